// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Stack events: queued as they arrive, unwound and aggregated by code path on ticks. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "sysray.h"
#include "stacks/stacks_priv.h"
#include "stacks/unwind.h"

/* Events waiting to be unwound: about 100 ms of the kernel's rate limit on many CPUs. */
#define QUEUE_MAX (64U << 20)
/* Ids of the user stack map are its bucket indexes: below its size rounded up. */
static __u32 fp_ids(const struct stacks *s)
{
	__u32 n = 1;

	while (n < s->o.cfg.ustack_entries)
		n *= 2;
	return n;
}

static size_t align8(size_t n)
{
	return (n + 7) & ~(size_t)7;
}

/*
 * On the consumer path, so it stays cheap: a copy into the queue. Only the first event
 * of a process image costs more: its maps are read now, while the process still runs.
 */
int stacks_queue(struct stacks *s, const struct sysray_stack_event *e, size_t size)
{
	struct image *im;
	size_t need;

	s->counts.received++;
	if (size < sizeof(*e) || e->ips_bytes > size - sizeof(*e) ||
	    e->stack_len > size - sizeof(*e) - e->ips_bytes || e->nips * 8 > e->ips_bytes) {
		s->counts.bad++;
		return 0;
	}
	size = sizeof(*e) + e->ips_bytes + e->stack_len;
	im = images__get(s->images, e->tgid, e->exec_id);
	if (!im)
		return -ENOMEM;
	if (!im->loaded && e->fork_parent)
		images__inherit(s->images, im, e->fork_parent);
	/* Flagged again after the process mapped more code (ld.so, dlopen): read them now. */
	else if (im->loaded && (e->flags & SYSRAY_STACK_F_FIRST) && !im->fresh)
		images__reread(s->images, im, false);
	im->fresh = false;
	need = s->qlen + align8(size);
	if (need > QUEUE_MAX) {
		s->counts.queue_full++;
		return 0;
	}
	if (need > s->qcap) {
		size_t cap = s->qcap ? s->qcap : 1 << 20;
		unsigned char *q;

		while (cap < need)
			cap *= 2;
		q = realloc(s->queue, cap);
		if (!q)
			return -ENOMEM;
		s->queue = q;
		s->qcap = cap;
	}
	memcpy(s->queue + s->qlen, e, size);
	s->qlen = need;
	return 0;
}

/* Frame-pointer mode: the kernel's walk of a stack id, read from the map once. */
static int fp_frames(struct stacks *s, __s32 id, const __u64 **ips)
{
	__u64 buf[SYSRAY_STACK_DEPTH], *c;
	int n;

	if (id < 0 || (__u32)id >= fp_ids(s))
		return 0;
	if (!s->fp_cache) {
		s->fp_cache = calloc(fp_ids(s), sizeof(*s->fp_cache));
		if (!s->fp_cache)
			return -ENOMEM;
	}
	if (!s->fp_cache[id]) {
		n = s->src->frames(s->src->ctx, id, false, buf, SYSRAY_STACK_DEPTH);
		if (n <= 0) {
			s->counts.fp_missing++;
			return 0;
		}
		c = malloc((n + 1) * sizeof(*c));
		if (!c)
			return -ENOMEM;
		c[0] = n;
		memcpy(c + 1, buf, n * sizeof(*c));
		s->fp_cache[id] = c;
	}
	*ips = s->fp_cache[id] + 1;
	return s->fp_cache[id][0];
}

/*
 * What one captured call stands for. --stacks alone captures a call shorter than the
 * period with probability dur / period: it stands for period / dur calls and, in time,
 * for exactly one period (Horvitz-Thompson), so each code path's sums are unbiased.
 */
static void sample_of(const struct sysray_stack_cfg *c, const struct sysray_stack_event *e,
		      struct stack_sample *smp)
{
	smp->dur_ns = e->dur_ns;
	smp->error = sysray_is_error(e->ret);
	smp->weight = 1;
	smp->time_ns = e->dur_ns;
	if (!c->min_ns && !smp->error && e->dur_ns < c->period_ns && e->dur_ns) {
		smp->weight = (double)c->period_ns / e->dur_ns;
		smp->time_ns = c->period_ns;
	}
}

/* A pc into (module, ELF address), or the raw pc. */
static struct frame_ref frame_of(struct image *im, __u64 pc)
{
	const struct mapping *m = image_lookup(im, pc);

	if (!m)
		return (struct frame_ref){ .mod = -1, .addr = pc };
	return (struct frame_ref){ .mod = m->mod->idx, .addr = pc - m->bias };
}

static bool all_mapped(const struct image *im, const __u64 *pcs, int n)
{
	for (int i = 0; i < n; i++)
		if (!image_lookup(im, pcs[i]))
			return false;
	return true;
}

static int process(struct stacks *s, const struct sysray_stack_event *e)
{
	struct image *im = images__get(s->images, e->tgid, e->exec_id);
	__u64 pcs[UNWIND_MAX_FRAMES];
	const __u64 *fp = NULL;
	struct stack_sample smp;
	struct stack_key *key;
	int n, nfp = 0, err;

	if (!im)
		return -ENOMEM;
	if (!im->loaded)
		s->counts.no_maps++;
	if (s->o.cfg.mode == SYSRAY_STACKS_FP && e->nips) {
		/* The map could not hold this walk: it came in the event. */
		fp = (const __u64 *)e->stack;
		nfp = e->nips;
	} else if (s->o.cfg.mode == SYSRAY_STACKS_FP) {
		nfp = fp_frames(s, e->ustack_id, &fp);
		if (nfp < 0)
			return nfp;
	}
	n = unwind_event(im, e, fp, nfp, pcs);
	/* Code the maps lack (a library mapped since): read them again if it still runs. */
	if (im->loaded && !all_mapped(im, pcs, n) && !images__reread(s->images, im, true))
		n = unwind_event(im, e, fp, nfp, pcs);
	key = calloc(1, sizeof(*key) + n * sizeof(key->frames[0]));
	if (!key)
		return -ENOMEM;
	key->nr = e->nr;
	key->abi = e->abi;
	key->exe = im->exe ? im->exe->idx : -1;
	key->kstack = e->kstack_id < 0 ? -1 : e->kstack_id;
	memcpy(key->comm, e->comm, sizeof(key->comm));
	key->comm[sizeof(key->comm) - 1] = 0;
	for (int i = 0; i < n; i++)
		key->frames[key->nframes++] = frame_of(im, pcs[i]);
	sample_of(&s->o.cfg, e, &smp);
	err = stack_table__add(s->table, key, &smp);
	free(key);
	if (err == -ENOSPC) {
		s->counts.table_full++;
		err = 0;
	}
	return err;
}

int stacks_drain(struct stacks *s)
{
	size_t off = 0;
	int err = 0;

	while (!err && off < s->qlen) {
		const struct sysray_stack_event *e = (const void *)(s->queue + off);

		err = process(s, e);
		off += align8(sizeof(*e) + e->ips_bytes + e->stack_len);
	}
	s->qlen = 0;
	return err;
}

void stacks_capture_free(struct stacks *s)
{
	if (s->fp_cache)
		for (__u32 i = 0; i < fp_ids(s); i++)
			free(s->fp_cache[i]);
	free(s->fp_cache);
	free(s->queue);
}
