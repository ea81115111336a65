// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* --events on the tracer's side: the knobs and maps of bpf/events.bpf.h, and its ring. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
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

/*
 * Without --events the event programs are not even loaded, and their maps are made as small
 * as the kernel allows: the summary's programs run alone, as they did before events.
 */
static int configure_off(struct tracer *t)
{
	struct sysray_bpf *s = t->skel;
	int err;

	err = bpf_program__set_autoload(s->progs.events_sys_enter, false);
	if (!err)
		err = bpf_program__set_autoload(s->progs.events_sys_exit, false);
	if (!err)
		err = bpf_program__set_autoload(s->progs.events_sched_exit, false);
	if (!err)
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
	/* Attached by tracer_events_attach(), in the order they must run. */
	bpf_program__set_autoattach(s->progs.events_sys_enter, false);
	bpf_program__set_autoattach(s->progs.events_sys_exit, false);
	bpf_program__set_autoattach(s->progs.events_sched_exit, false);
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
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = fd };

	if (!t->events.fn)
		return 0;
	/* In the poll loop's epoll set, as the record rings (tracer.c) are. */
	err = ring_buffer__add(t->rb, fd, consume_event, &t->events);
	if (!err && epoll_ctl(t->epfd, EPOLL_CTL_ADD, fd, &ev))
		err = -errno;
	return err;
}

static int attach(struct bpf_program *prog, struct bpf_link **link)
{
	*link = bpf_program__attach(prog);
	return *link ? 0 : -errno;
}

int tracer_events_attach(struct tracer *t, bool before)
{
	struct sysray_bpf *s = t->skel;
	int err;

	if (!t->events.fn)
		return 0;
	/*
	 * A tracepoint calls its programs in the order they were attached: events_sys_exit
	 * reads the start slot before sys_exit retires it, events_sys_enter after sys_enter
	 * has written it.
	 */
	if (before)
		return attach(s->progs.events_sys_exit, &s->links.events_sys_exit);
	err = attach(s->progs.events_sys_enter, &s->links.events_sys_enter);
	if (!err)
		err = attach(s->progs.events_sched_exit, &s->links.events_sched_exit);
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
