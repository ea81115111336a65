// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "trace/tracer.h"
#include "lib/proc.h"
#include "lib/clock.h"
#include "lib/log.h"

#include "trace/tracer_priv.h"

/* A stage holding records longer than this on an idle CPU is kicked out by userspace. */
#define KICK_AGE_NS (100ULL * 1000 * 1000)
/* A busy CPU flushes its own stage once the oldest record is this old. */
#define FLUSH_AGE_NS (20ULL * 1000 * 1000)

static int load_cgroups(struct tracer *t, const struct tracer_opts *o)
{
	int fd = bpf_map__fd(t->skel->maps.cgroups);

	for (__u32 i = 0; o->scope && i < o->scope->nr_cgroups; i++)
		if (bpf_map_update_elem(fd, &i, &o->cgroup_fds[i], BPF_ANY))
			return -errno;
	return 0;
}

static bool libbpf_verbose;

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	/* Our own errors say what failed; libbpf's detail is for -v. */
	if (!libbpf_verbose || level == LIBBPF_DEBUG)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

int tracer_consume_sample(void *consumer, void *data, size_t size)
{
	struct tracer_consumer *c = consumer;

	/* A sample is a batch of records from one CPU's stage, written whole. */
	return c->fn(c->ctx, data, size / sizeof(struct sysray_rec));
}

/* --stacks: a sample of the stack ring is one event with its stack bytes. */
static int stack_sample(void *consumer, void *data, size_t size)
{
	struct tracer_stacks_consumer *c = consumer;

	if (size < sizeof(struct sysray_stack_event))
		return 0;
	return c->fn(c->ctx, data, size);
}

/*
 * --ring-size is per ring. By default a machine gets 16 MiB of rings in all, split over its
 * CPUs, but at least 1 MiB and at most 8 MiB each (a power of two, as the kernel needs).
 */
static __u64 ring_size(const struct tracer_opts *opts, int ncpus)
{
	__u64 want = (16ULL << 20) / (opts->shared_ring ? 1 : ncpus), size = 1ULL << 20;

	if (opts->ring_bytes)
		return opts->ring_bytes;
	while (size * 2 <= want && size < (opts->shared_ring ? 16ULL << 20 : 8ULL << 20))
		size *= 2;
	return size;
}

/* Before load: the rings, the first also the template the outer map is checked against. */
static int create_rings(struct tracer *t, int nrings)
{
	t->ring_fds = calloc(nrings, sizeof(*t->ring_fds));
	if (!t->ring_fds)
		return -ENOMEM;
	for (int i = 0; i < nrings; i++)
		t->ring_fds[i] = -1;
	t->nrings = nrings;
	for (int i = 0; i < nrings; i++) {
		t->ring_fds[i] =
		    bpf_map_create(BPF_MAP_TYPE_RINGBUF, "sysray_ring", 0, 0, t->ring_bytes, NULL);
		if (t->ring_fds[i] < 0)
			return t->ring_fds[i];
	}
	return bpf_map__set_inner_map_fd(t->skel->maps.rings, t->ring_fds[0]);
}

/* After load: put the rings in the per-CPU slots, and consume and watch every one. */
static int install_rings(struct tracer *t)
{
	int outer = bpf_map__fd(t->skel->maps.rings), err = 0;
	__u32 *keys = calloc(t->ncpus, sizeof(*keys)), count = t->ncpus;
	int *vals = calloc(t->ncpus, sizeof(*vals));

	if (!keys || !vals) {
		err = -ENOMEM;
		goto out;
	}
	for (__u32 cpu = 0; cpu < (__u32)t->ncpus; cpu++) {
		keys[cpu] = cpu;
		vals[cpu] = t->ring_fds[t->nrings > 1 ? cpu : 0];
	}
	/*
	 * Each map-in-map update waits for an RCU grace period (~8 ms here): one batch waits
	 * once, where one update per CPU would cost a second of start-up on 128 CPUs.
	 */
	if (bpf_map_update_batch(outer, keys, vals, &count, NULL)) {
		for (__u32 cpu = 0; cpu < (__u32)t->ncpus && !err; cpu++)
			if (bpf_map_update_elem(outer, &keys[cpu], &vals[cpu], BPF_ANY))
				err = -errno;
	}
out:
	free(keys);
	free(vals);
	if (err)
		return err;
	t->rb = ring_buffer__new(t->ring_fds[0], tracer_consume_sample, &t->consumer, NULL);
	if (!t->rb)
		return -errno;
	for (int i = 0; i < t->nrings; i++) {
		err =
		    i ? ring_buffer__add(t->rb, t->ring_fds[i], tracer_consume_sample, &t->consumer)
		      : 0;
		if (!err)
			err = tracer__watch_fd(t, t->ring_fds[i]);
		if (err)
			return err;
	}
	if (!t->stacks)
		return 0;
	err = ring_buffer__add(t->rb, bpf_map__fd(t->skel->maps.stack_events), stack_sample,
			       &t->stack_consumer);
	return err ? err : tracer__watch_fd(t, bpf_map__fd(t->skel->maps.stack_events));
}

/* Before load: the rodata knobs and the map sizes of this run. */
static int configure(struct tracer *t, const struct tracer_opts *opts)
{
	struct sysray_bpf__rodata *ro = t->skel->rodata;
	int err;

	ro->filter_tgid = opts->filter_tgid;
	ro->follow_forks = opts->follow_forks;
	ro->self_tgid = getpid();
	ro->record_cgroup = opts->record_cgroup;
	t->ring_bytes = ring_size(opts, t->ncpus);
	/* Wake the consumer only when a quarter of a ring is used; it polls on a timer. */
	ro->wakeup_bytes = t->ring_bytes / 4;
	ro->flush_age_ns = FLUSH_AGE_NS;
	/* kick is run on demand with BPF_PROG_TEST_RUN, never attached. */
	bpf_program__set_autoattach(t->skel->progs.kick, false);
	err = bpf_map__set_max_entries(t->skel->maps.starts, t->pid_max);
	if (!err)
		err = bpf_map__set_max_entries(t->skel->maps.tgids, (t->pid_max + 63) / 64);
	if (!err)
		err = bpf_map__set_max_entries(t->skel->maps.rings, t->ncpus);
	if (!err)
		err = create_rings(t, opts->shared_ring ? 1 : t->ncpus);
	if (!err)
		err = tracer_stacks_configure(t, opts);
	if (!err && opts->scope) {
		memcpy((void *)&ro->scope, opts->scope, sizeof(*opts->scope));
		t->result_filter = opts->scope->result != SYSRAY_RESULT_ALL;
		err = bpf_map__set_max_entries(t->skel->maps.cgroups, opts->scope->nr_cgroups ?: 1);
	}
	if (err)
		p_err("cannot size the BPF maps: %s", strerror(-err));
	return err;
}

/* Load the programs, fill the maps that need their fds, and set up the poll loop. */
static int load(struct tracer *t, const struct tracer_opts *opts)
{
	int err = sysray_bpf__load(t->skel);

	if (err) {
		p_err("cannot load the BPF programs: %s%s", strerror(-err),
		      opts->verbose ? "" : " (run with -v for the verifier's log)");
		return err;
	}
	err = load_cgroups(t, opts);
	if (err) {
		p_err("cannot load the --cgroup set: %s", strerror(-err));
		return err;
	}
	t->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (t->epfd < 0) {
		err = -errno;
		p_err("cannot set up the poll loop: %s", strerror(-err));
		return err;
	}
	err = install_rings(t);
	if (err)
		p_err("cannot set up the ring buffers: %s", strerror(-err));
	return err;
}

int tracer__new(const struct tracer_opts *opts, tracer_batch_fn fn, void *ctx, struct tracer **out)
{
	struct tracer *t;
	int err;

	libbpf_verbose = opts->verbose;
	libbpf_set_print(libbpf_print);
	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->consumer = (struct tracer_consumer){ .fn = fn, .ctx = ctx };
	t->epfd = -1;
	t->pid_max = opts->pid_max;
	err = t->pid_max ? 0 : proc_pid_max(&t->pid_max);
	if (err) {
		p_err("cannot read /proc/sys/kernel/pid_max: %s", strerror(-err));
		goto cleanup;
	}
	t->ncpus = libbpf_num_possible_cpus();
	if (t->ncpus <= 0) {
		err = t->ncpus ? t->ncpus : -EINVAL;
		p_err("cannot count possible CPUs: %s", strerror(-err));
		goto cleanup;
	}
	t->stages = calloc(t->ncpus, sizeof(*t->stages));
	t->skel = t->stages ? sysray_bpf__open() : NULL;
	if (!t->skel) {
		err = -errno ?: -ENOMEM;
		p_err("cannot open the BPF object: %s", strerror(-err));
		goto cleanup;
	}
	err = configure(t, opts);
	if (!err)
		err = load(t, opts);
	if (err)
		goto cleanup;
	*out = t;
	return 0;
cleanup:
	tracer__free(t);
	return err;
}

int tracer__trace_tgid(struct tracer *t, __u32 tgid)
{
	__u32 word = tgid / 64;
	__u64 bits;
	int err;

	if (tgid >= t->pid_max)
		return -ERANGE;
	/* Userspace only adds tgids before they run traced code; no race with the BPF side. */
	err = bpf_map_lookup_elem(bpf_map__fd(t->skel->maps.tgids), &word, &bits);
	if (err)
		return -errno;
	bits |= 1ULL << (tgid % 64);
	err = bpf_map_update_elem(bpf_map__fd(t->skel->maps.tgids), &word, &bits, BPF_ANY);
	return err ? -errno : 0;
}

bool tracer__any_traced(struct tracer *t)
{
	size_t words = (t->pid_max + 63) / 64;

	if (!t->tgid_bits) {
		size_t len =
		    (words * sizeof(__u64) + getpagesize() - 1) & ~((size_t)getpagesize() - 1);
		void *p =
		    mmap(NULL, len, PROT_READ, MAP_SHARED, bpf_map__fd(t->skel->maps.tgids), 0);

		/* Without the map, say yes: the caller then relies on its other checks. */
		if (p == MAP_FAILED)
			return true;
		t->tgid_bits = p;
		t->tgid_bits_len = len;
	}
	for (size_t i = 0; i < words; i++)
		if (t->tgid_bits[i])
			return true;
	return false;
}

int tracer__inflight(void *tracer, __u32 tid, int *abi, int *nr, __u64 *elapsed_ns)
{
	struct tracer *t = tracer;
	__u64 v;

	if (tid >= t->pid_max)
		return -ENOENT;
	if (!t->slots) {
		size_t len = (size_t)t->pid_max * sizeof(__u64);
		void *p;

		len = (len + getpagesize() - 1) & ~((size_t)getpagesize() - 1);
		p = mmap(NULL, len, PROT_READ, MAP_SHARED, bpf_map__fd(t->skel->maps.starts), 0);
		if (p == MAP_FAILED)
			return -errno;
		t->slots = p;
		t->slots_len = len;
	}
	v = __atomic_load_n(&t->slots[tid], __ATOMIC_RELAXED);
	if (!(v & SYSRAY_SLOT_VALID))
		return -ENOENT;
	*abi = (v >> SYSRAY_SLOT_ABI_SHIFT) & 1;
	*nr = (v >> SYSRAY_SLOT_NR_SHIFT) & SYSRAY_SLOT_NR_MASK;
	/* The slot keeps the low 48 bits of the entry time, CLOCK_MONOTONIC as ours. */
	*elapsed_ns = (now_ns() - v) & SYSRAY_SLOT_TS_MASK;
	return 0;
}

int tracer__attach(struct tracer *t)
{
	int err = sysray_bpf__attach(t->skel);

	if (err) {
		p_err("cannot attach to the syscall tracepoints: %s", strerror(-err));
		return err;
	}
	t->attached = true;
	return 0;
}

/* Read every CPU's stage; racy while attached, which is fine for deciding on a kick. */
static int read_stages(struct tracer *t)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(bpf_map__fd(t->skel->maps.stages), &zero, t->stages) ? -errno
											: 0;
}

/* Flush the stages of CPUs that went idle with records in them. */
static int kick_idle(struct tracer *t)
{
	__u64 now = now_ns();
	int err, cpu;

	err = read_stages(t);
	if (err)
		return err;
	for (cpu = 0; cpu < t->ncpus; cpu++) {
		LIBBPF_OPTS(bpf_test_run_opts, opts, .flags = BPF_F_TEST_RUN_ON_CPU, .cpu = cpu);
		const struct sysray_stage *st = &t->stages[cpu];

		if (!st->n || now - st->first_ns < KICK_AGE_NS)
			continue;
		err = bpf_prog_test_run_opts(bpf_program__fd(t->skel->progs.kick), &opts);
		/* An offline CPU has no stage to flush; tracer__stop reads it. */
		if (err && errno != ENXIO)
			return -errno;
	}
	return 0;
}

int tracer__watch_fd(struct tracer *t, int fd)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = fd };

	return epoll_ctl(t->epfd, EPOLL_CTL_ADD, fd, &ev) ? -errno : 0;
}

void tracer__unwatch_fd(struct tracer *t, int fd)
{
	if (fd >= 0)
		epoll_ctl(t->epfd, EPOLL_CTL_DEL, fd, NULL);
}

int tracer__poll(struct tracer *t, int timeout_ms)
{
	struct epoll_event ev[4];
	int n = epoll_wait(t->epfd, ev, 4, timeout_ms);

	if (n < 0 && errno != EINTR)
		return -errno;
	/* Records are submitted without wakeups: always drain after the wait. */
	n = ring_buffer__consume(t->rb);
	if (n < 0)
		return n;
	return kick_idle(t);
}

int tracer__stop(struct tracer *t)
{
	int n, err, cpu;

	if (t->attached) {
		__u32 zero = 0;

		sysray_bpf__detach(t->skel);
		t->attached = false;
		/*
		 * A sys_exit already running on another CPU may still write its record: wait
		 * for it. Rewriting a ring slot waits for an RCU grace period, which covers
		 * every program run that started before the detach.
		 */
		bpf_map_update_elem(bpf_map__fd(t->skel->maps.rings), &zero, &t->ring_fds[0],
				    BPF_ANY);
	}
	n = ring_buffer__consume(t->rb);
	if (n < 0)
		return n;
	/* Nothing runs any more: what is left in the stages goes straight to the consumer. */
	err = read_stages(t);
	if (err)
		return err;
	for (cpu = 0; cpu < t->ncpus; cpu++) {
		const struct sysray_stage *st = &t->stages[cpu];

		err = st->n ? t->consumer.fn(t->consumer.ctx, st->recs,
					     st->n < SYSRAY_BATCH ? st->n : SYSRAY_BATCH)
			    : 0;
		if (err)
			return err;
	}
	return 0;
}

int tracer__comm(void *tracer, __u32 tid, char *buf, size_t len)
{
	struct tracer *t = tracer;
	char comm[16];

	if (bpf_map_lookup_elem(bpf_map__fd(t->skel->maps.task_comms), &tid, comm))
		return -ENOENT;
	snprintf(buf, len, "%.*s", (int)sizeof(comm), comm);
	return 0;
}

void tracer__free(struct tracer *t)
{
	if (!t)
		return;
	if (t->epfd >= 0)
		close(t->epfd);
	ring_buffer__free(t->rb);
	for (int i = 0; i < t->nrings; i++)
		if (t->ring_fds[i] >= 0)
			close(t->ring_fds[i]);
	free(t->ring_fds);
	if (t->tgid_bits)
		munmap((void *)t->tgid_bits, t->tgid_bits_len);
	if (t->slots)
		munmap((void *)t->slots, t->slots_len);
	sysray_bpf__destroy(t->skel);
	free(t->stages);
	free(t);
}
