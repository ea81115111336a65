// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* --events on the tracer's side: the knobs and maps of bpf/events.bpf.h, and its ring. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "trace/tracer_priv.h"
#include "lib/log.h"

/* The BPF side's ev_strs value: a small header, then two string slots. */
#define EV_STRS_HDR 16

static int consume_event(void *ctx, void *data, size_t size)
{
	struct tracer_events *ev = ctx;

	/* A sample is one event, written whole by the kernel; anything shorter is not one. */
	if (size < sizeof(struct sysray_event))
		return 0;
	return ev->fn(ev->ctx, data, size);
}

/* Without --events the maps are made as small as the kernel allows: they are never used. */
static int configure_off(struct tracer *t)
{
	struct sysray_bpf *s = t->skel;
	int err;

	err = bpf_map__set_max_entries(s->maps.ev_ring, getpagesize());
	if (!err)
		err = bpf_map__set_value_size(s->maps.ev_scratch, 8);
	if (!err)
		err = bpf_map__set_value_size(s->maps.ev_strs, 8);
	return err;
}

int tracer_events_configure(struct tracer *t, const struct tracer_events *ev)
{
	struct sysray_bpf__rodata *ro = t->skel->rodata;
	struct sysray_bpf *s = t->skel;
	__u32 slot;
	int err;

	if (!ev)
		return configure_off(t);
	if (!ev->fn || !ev->spec || ev->str_size > SYSRAY_EV_STR_MAX ||
	    ev->ring_bytes < (__u64)getpagesize() || (ev->ring_bytes & (ev->ring_bytes - 1)))
		return -EINVAL;
	t->events = *ev;
	slot = SYSRAY_EV_STR_SLOT(ev->str_size);
	ro->events_on = true;
	ro->ev_fds = ev->fds;
	ro->ev_min_dur_ns = ev->min_dur_ns;
	ro->ev_str_size = ev->str_size;
	ro->ev_str_slot = slot;
	memcpy((void *)ro->ev_spec, ev->spec, sizeof(ro->ev_spec));
	err = bpf_map__set_max_entries(s->maps.ev_ring, ev->ring_bytes);
	if (!err)
		err = bpf_map__set_value_size(s->maps.ev_strs, EV_STRS_HDR + SYSRAY_EV_NSTR * slot);
	/* Every thread may hold one entry: the map never refuses a traced thread. */
	if (!err)
		err = bpf_map__set_max_entries(s->maps.ev_strs, t->pid_max);
	return err;
}

int tracer_events_install(struct tracer *t)
{
	int fd = bpf_map__fd(t->skel->maps.ev_ring), err;

	if (!t->events.fn)
		return 0;
	err = ring_buffer__add(t->rb, fd, consume_event, &t->events);
	if (!err)
		err = tracer__watch_fd(t, fd);
	return err;
}

int tracer__read_event_stats(struct tracer *t, __u64 stats[SYSRAY_EV_STAT_CNT])
{
	int fd = bpf_map__fd(t->skel->maps.ev_stats);
	__u64 *vals = calloc(t->ncpus, sizeof(*vals));
	int err = 0;

	if (!vals)
		return -ENOMEM;
	for (__u32 key = 0; key < SYSRAY_EV_STAT_CNT; key++) {
		stats[key] = 0;
		if (bpf_map_lookup_elem(fd, &key, vals)) {
			err = -errno;
			break;
		}
		for (int cpu = 0; cpu < t->ncpus; cpu++)
			stats[key] += vals[cpu];
	}
	free(vals);
	return err;
}
