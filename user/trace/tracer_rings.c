// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The tracer's rings: sized from a budget, created, put in the per-CPU slots of the outer
 * map, consumed. Filling the slots waits for an RCU grace period, so it runs on a thread of
 * its own while the programs load (docs/design.md, "Start-up").
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "trace/tracer_priv.h"

/*
 * Default ring memory (docs/design.md, "Memory"): RING_BUDGET in all, split over the rings,
 * each a power of two from RING_MIN to RING_MAX. RING_MIN is what the drop test needs per
 * CPU (docs/benchmarks.md); from 256 CPUs on, the rings are RING_MIN each.
 */
#define RING_BUDGET (16ULL << 20)
#define RING_MIN    (64ULL << 10)
#define RING_MAX    (8ULL << 20)

int tracer_consume_sample(void *consumer, void *data, size_t size)
{
	struct tracer_consumer *c = consumer;

	/* A sample is a batch of records from one CPU's stage, written whole. */
	return c->fn(c->ctx, data, size / sizeof(struct sysray_rec));
}

__u64 tracer_ring_size(const struct tracer_opts *opts, int ncpus)
{
	__u64 want = RING_BUDGET / (opts->shared_ring ? 1 : ncpus), size = RING_MIN;

	if (opts->ring_bytes)
		return opts->ring_bytes;
	while (size * 2 <= want && size * 2 <= (opts->shared_ring ? RING_BUDGET : RING_MAX))
		size *= 2;
	return size;
}

/* The other rings and the slots, while the programs load. */
static void *fill(void *arg)
{
	struct tracer *t = arg;
	__u32 *keys = calloc(t->ncpus, sizeof(*keys)), count = t->ncpus;
	int *vals = calloc(t->ncpus, sizeof(*vals)), err = 0;

	for (int i = 1; i < t->nrings && !err; i++) {
		t->ring_fds[i] =
		    bpf_map_create(BPF_MAP_TYPE_RINGBUF, "sysray_ring", 0, 0, t->ring_bytes, NULL);
		if (t->ring_fds[i] < 0)
			err = -errno;
	}
	if (!err && (!keys || !vals))
		err = -ENOMEM;
	for (__u32 cpu = 0; !err && cpu < (__u32)t->ncpus; cpu++) {
		keys[cpu] = cpu;
		vals[cpu] = t->ring_fds[t->nrings > 1 ? cpu : 0];
	}
	/*
	 * Each map-in-map update waits for an RCU grace period (~8 ms here): one batch waits
	 * once, where one update per CPU would cost a second of start-up on 128 CPUs.
	 */
	if (!err && bpf_map_update_batch(t->outer_fd, keys, vals, &count, NULL)) {
		for (__u32 cpu = 0; cpu < (__u32)t->ncpus && !err; cpu++)
			if (bpf_map_update_elem(t->outer_fd, &keys[cpu], &vals[cpu], BPF_ANY))
				err = -errno;
	}
	free(keys);
	free(vals);
	t->fill_err = err;
	return NULL;
}

int tracer_rings__start(struct tracer *t, int nrings)
{
	LIBBPF_OPTS(bpf_map_create_opts, o);
	sigset_t all, old;
	int err;

	t->ring_fds = calloc(nrings, sizeof(*t->ring_fds));
	if (!t->ring_fds)
		return -ENOMEM;
	for (int i = 0; i < nrings; i++)
		t->ring_fds[i] = -1;
	t->nrings = nrings;
	/* The first ring is also the template the outer map is checked against. */
	t->ring_fds[0] =
	    bpf_map_create(BPF_MAP_TYPE_RINGBUF, "sysray_ring", 0, 0, t->ring_bytes, NULL);
	if (t->ring_fds[0] < 0)
		return -errno;
	o.inner_map_fd = t->ring_fds[0];
	t->outer_fd = bpf_map_create(BPF_MAP_TYPE_ARRAY_OF_MAPS, "rings", sizeof(__u32),
				     sizeof(__u32), t->ncpus, &o);
	if (t->outer_fd < 0)
		return -errno;
	err = bpf_map__reuse_fd(t->skel->maps.rings, t->outer_fd);
	if (err)
		return err;
	/* Signals are the main thread's to take (their handlers set flags its loop reads). */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	err = -pthread_create(&t->filler, NULL, fill, t);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	t->filling = !err;
	return err;
}

/* Wait for the filler (also on error paths): 0 or its error. */
int tracer_rings__join(struct tracer *t)
{
	if (t->filling) {
		pthread_join(t->filler, NULL);
		t->filling = false;
	}
	return t->fill_err;
}

int tracer_rings__finish(struct tracer *t)
{
	int err = tracer_rings__join(t);

	if (err)
		return err;
	t->rb = ring_buffer__new(t->ring_fds[0], tracer_consume_sample, &t->consumer, NULL);
	if (!t->rb)
		return -errno;
	for (int i = 0; i < t->nrings; i++) {
		err =
		    i ? ring_buffer__add(t->rb, t->ring_fds[i], tracer_consume_sample, &t->consumer)
		      : 0;
		if (err)
			return err;
	}
	return 0;
}

void tracer_rings__free(struct tracer *t)
{
	tracer_rings__join(t);
	ring_buffer__free(t->rb);
	for (int i = 0; i < t->nrings; i++)
		if (t->ring_fds[i] >= 0)
			close(t->ring_fds[i]);
	free(t->ring_fds);
	if (t->outer_fd >= 0)
		close(t->outer_fd);
}
