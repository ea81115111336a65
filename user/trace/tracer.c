// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <sched.h>
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
#include "trace/pidns.h"
#include "lib/proc.h"
#include "lib/clock.h"
#include "lib/log.h"

#include "trace/tracer_hooks.h"
#include "trace/tracer_priv.h"

/* Errors of a first try with trampolines are not the user's: the tracepoints come next. */
#define t_err(t, ...)                                                                              \
	do {                                                                                       \
		if (!(t)->quiet)                                                                   \
			p_err(__VA_ARGS__);                                                        \
	} while (0)

/* With --hooks auto, trampolines for at most this many syscall functions (see design.md). */
#define TRAMP_AUTO_MAX 8

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

/* --stacks: a sample of the stack ring is one event with its stack bytes. */
static int stack_sample(void *consumer, void *data, size_t size)
{
	struct tracer_stacks_consumer *c = consumer;

	if (size < sizeof(struct sysray_stack_event))
		return 0;
	return c->fn(c->ctx, data, size);
}

/*
 * Below the initial pid namespace the programs translate every id into sysray's (a constant
 * level: fixed offsets), and the start slots, indexed by the kernel's tids, cover the initial
 * namespace's pid_max.
 */
static int configure_pidns(struct tracer *t)
{
	struct sysray_bpf__rodata *ro = t->skel->rodata;
	struct pidns_info ns;
	int err = pidns_probe(&ns);

	if (err)
		return err;
	ro->pidns_level = ns.level;
	ro->pidns_ptr = ns.ptr;
	t->child_pidns = ns.level > 0;
	t->nr_slots = t->pid_max;
	if (ns.level && ns.root_pid_max > t->nr_slots)
		t->nr_slots = ns.root_pid_max;
	return 0;
}

/* Before load: the rodata knobs and the map sizes of this run. */
static int configure(struct tracer *t, const struct tracer_opts *opts)
{
	struct sysray_bpf__rodata *ro = t->skel->rodata;
	int err;

	err = configure_pidns(t);
	if (err)
		return err;
	ro->filter_tgid = t->filter_tgid = opts->filter_tgid;
	ro->follow_forks = opts->follow_forks;
	ro->self_tgid = getpid();
	ro->record_cgroup = opts->record_cgroup;
	t->ring_bytes = tracer_ring_size(opts, t->ncpus);
	/* Wake the consumer only when a quarter of a ring is used; it polls on a timer. */
	ro->wakeup_bytes = t->ring_bytes / 4;
	ro->flush_age_ns = FLUSH_AGE_NS;
	if (opts->sample_every > 1) {
		/* P(timed) = sample_below / 2^32, the nearest to 1/N. */
		ro->sample_every = opts->sample_every;
		ro->sample_below = ((1ULL << 32) + opts->sample_every / 2) / opts->sample_every;
		t->sampled = true;
	}
	/* kick is run on demand with BPF_PROG_TEST_RUN, never attached. */
	bpf_program__set_autoattach(t->skel->progs.kick, false);
	err = bpf_map__set_max_entries(t->skel->maps.starts, t->nr_slots);
	if (!err && t->sampled)
		err = bpf_map__set_max_entries(t->skel->maps.tallies, SYSRAY_NR_SLOTS);
	if (!err)
		err = bpf_map__set_max_entries(t->skel->maps.tgids, (t->pid_max + 63) / 64);
	if (!err)
		err = tracer_stacks_configure(t, opts);
	if (!err)
		err = tracer_rings__start(t, opts->shared_ring ? 1 : t->ncpus);
	if (!err)
		err = tracer_events_configure(t, opts->events);
	if (!err && opts->scope) {
		memcpy((void *)&ro->scope, opts->scope, sizeof(*opts->scope));
		t->result_filter = opts->scope->result != SYSRAY_RESULT_ALL;
		err = bpf_map__set_max_entries(t->skel->maps.cgroups, opts->scope->nr_cgroups ?: 1);
	}
	if (err)
		t_err(t, "cannot size the BPF maps: %s", strerror(-err));
	return err;
}

/* After load: the traced-tgid bitmap, shared with the programs. */
static int map_tgids(struct tracer *t)
{
	size_t words = (t->pid_max + 63) / 64;
	size_t len = (words * sizeof(__u64) + getpagesize() - 1) & ~((size_t)getpagesize() - 1);
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED,
		       bpf_map__fd(t->skel->maps.tgids), 0);

	if (p == MAP_FAILED)
		return -errno;
	t->tgid_bits = p;
	t->tgid_bits_len = len;
	return 0;
}

/* Load the programs, fill the maps that need their fds, and set up the poll loop. */
static int load(struct tracer *t, const struct tracer_opts *opts)
{
	int err = sysray_bpf__load(t->skel);

	if (err) {
		t_err(t, "cannot load the BPF programs: %s%s", strerror(-err),
		      opts->verbose ? "" : " (run with -v for the verifier's log)");
		return err;
	}
	err = load_cgroups(t, opts);
	if (err) {
		t_err(t, "cannot load the --cgroup set: %s", strerror(-err));
		return err;
	}
	err = map_tgids(t);
	if (err) {
		p_err("cannot map the traced-process set: %s", strerror(-err));
		return err;
	}
	t->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (t->epfd < 0) {
		err = -errno;
		t_err(t, "cannot set up the poll loop: %s", strerror(-err));
		return err;
	}
	err = tracer_rings__finish(t);
	for (int i = 0; !err && i < t->nrings; i++)
		err = tracer__watch_fd(t, t->ring_fds[i]);
	if (!err)
		err = tracer_events_install(t);
	if (!err && t->stacks) {
		int fd = bpf_map__fd(t->skel->maps.stack_events);

		err = ring_buffer__add(t->rb, fd, stack_sample, &t->stack_consumer);
		if (!err)
			err = tracer__watch_fd(t, fd);
	}
	if (err)
		t_err(t, "cannot set up the ring buffers: %s", strerror(-err));
	return err;
}

/* One try at a tracer: with the trampolines of plan (attached at once), or tracepoints. */
static int tracer_open(const struct tracer_opts *opts, tracer_batch_fn fn, void *ctx,
		       const struct tramp_plan *plan, struct tracer **out)
{
	struct tracer *t;
	int err;

	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->consumer = (struct tracer_consumer){ .fn = fn, .ctx = ctx };
	t->epfd = -1;
	t->outer_fd = -1;
	t->quiet = plan && opts->hooks == TRACER_HOOKS_AUTO;
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
		err = tracer_hooks__setup(t, plan);
	if (!err)
		err = load(t, opts);
	/* Trampolines attach now, so that a kernel that refuses them falls back at once. */
	if (!err && plan)
		err = tracer__attach(t);
	if (err)
		goto cleanup;
	t->quiet = false;
	*out = t;
	return 0;
cleanup:
	tracer__free(t);
	return err;
}

int tracer__new(const struct tracer_opts *opts, tracer_batch_fn fn, void *ctx, struct tracer **out)
{
	struct tramp_plan plan;
	int err = -ENOENT;

	libbpf_verbose = opts->verbose;
	libbpf_set_print(libbpf_print);
	/*
	 * The event programs read the start slots on the tracepoints, around the summary's
	 * programs there: with trampolines they would run before the slot is written at entry
	 * and after it is retired at exit. The command line refuses --events with trampolines.
	 */
	if (opts->hooks != TRACER_HOOKS_TRACEPOINTS && !opts->events)
		err = tramp_plan(
		    opts->scope,
		    opts->hooks == TRACER_HOOKS_AUTO ? TRAMP_AUTO_MAX : SYSRAY_TRAMP_FUNCS, &plan);
	if (err && opts->hooks == TRACER_HOOKS_TRAMPOLINES) {
		p_err("cannot hook the syscalls with trampolines: %s", plan.why);
		return err;
	}
	if (!err) {
		err = tracer_open(opts, fn, ctx, &plan, out);
		if (!err || opts->hooks == TRACER_HOOKS_TRAMPOLINES)
			return err;
		if (opts->verbose)
			p_warn("trampolines failed (%s): using the syscall tracepoints",
			       strerror(-err));
	}
	return tracer_open(opts, fn, ctx, NULL, out);
}

/* Atomic, like the programs' own updates: a fork hook may set another bit of the word. */
int tracer__trace_tgid(struct tracer *t, __u32 tgid)
{
	if (tgid >= t->pid_max)
		return -ERANGE;
	__atomic_fetch_or(&t->tgid_bits[tgid / 64], 1ULL << (tgid % 64), __ATOMIC_SEQ_CST);
	return 0;
}

void tracer__untrace_tgid(struct tracer *t, __u32 tgid)
{
	if (tgid < t->pid_max)
		__atomic_fetch_and(&t->tgid_bits[tgid / 64], ~(1ULL << (tgid % 64)),
				   __ATOMIC_SEQ_CST);
}

bool tracer__any_traced(struct tracer *t)
{
	size_t words = (t->pid_max + 63) / 64;

	for (size_t i = 0; i < words; i++)
		if (__atomic_load_n(&t->tgid_bits[i], __ATOMIC_RELAXED))
			return true;
	return false;
}

int tracer__inflight(void *tracer, __u32 tid, int *abi, int *nr, __u64 *elapsed_ns)
{
	struct tracer *t = tracer;
	__u64 v;

	/*
	 * The slots are indexed by the kernel's tids, tid is one of sysray's namespace, and
	 * userspace there cannot see the kernel's: no answer rather than another thread's call.
	 */
	if (tid >= t->pid_max || t->child_pidns)
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
	*abi = (v >> SYSRAY_SLOT_ABI_SHIFT) & SYSRAY_SLOT_ABI_MASK;
	*nr = (v >> SYSRAY_SLOT_NR_SHIFT) & SYSRAY_SLOT_NR_MASK;
	/* --sample: a call not chosen for timing has no entry time. */
	if (v & SYSRAY_SLOT_UNTIMED)
		return -ENODATA;
	/* The slot keeps the low 48 bits of the entry time, CLOCK_MONOTONIC as ours. */
	*elapsed_ns = (now_ns() - v) & SYSRAY_SLOT_TS_MASK;
	return 0;
}

int tracer__attach(struct tracer *t)
{
	int err = 0;

	/* Trampolines were attached at load; the events need the tracepoints (tracer__new). */
	if (!t->attached) {
		err = tracer_events_attach(t, true);
		if (!err)
			err = sysray_bpf__attach(t->skel);
		if (!err)
			err = tracer_events_attach(t, false);
	}

	if (err) {
		t_err(t, "cannot attach to the syscall %s: %s",
		      t->trampolines ? "functions" : "tracepoints", strerror(-err));
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

int tracer__probe_access(struct tracer *t)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts, .flags = BPF_F_TEST_RUN_ON_CPU);
	int cpu = sched_getcpu(), err;

	/* What the poll loop does: a map read, a kick (on an idle stage it does nothing). */
	err = read_stages(t);
	if (err)
		return err;
	opts.cpu = cpu < 0 ? 0 : cpu;
	if (bpf_prog_test_run_opts(bpf_program__fd(t->skel->progs.kick), &opts) && errno != ENXIO)
		return -errno;
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
		/*
		 * Only traced tasks write records, in their own context. Once the last traced
		 * thread has passed its exit (the exit hook took its tgid out of the set), none
		 * can be inside a program, and there is nothing to wait for.
		 */
		bool gone = t->filter_tgid && !tracer__any_traced(t);

		/* An fexit still pending in a blocked call must not write once we have read. */
		if (t->trampolines)
			t->skel->bss->tramp_stopped = true;
		sysray_bpf__detach(t->skel);
		t->attached = false;
		/*
		 * Otherwise a sys_exit already running on another CPU may still write its
		 * record: wait for it. Rewriting a ring slot waits for an RCU grace period,
		 * which covers every program run that started before the detach.
		 */
		if (!gone)
			bpf_map_update_elem(bpf_map__fd(t->skel->maps.rings), &zero,
					    &t->ring_fds[0], BPF_ANY);
		/* The stages are read after the set was seen empty. */
		__sync_synchronize();
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

const char *tracer__hooks(const struct tracer *t)
{
	return t->trampolines ? "trampolines" : "tracepoints";
}

void tracer__free(struct tracer *t)
{
	if (!t)
		return;
	if (t->epfd >= 0)
		close(t->epfd);
	tracer_rings__free(t);
	if (t->tgid_bits)
		munmap((void *)t->tgid_bits, t->tgid_bits_len);
	if (t->slots)
		munmap((void *)t->slots, t->slots_len);
	sysray_bpf__destroy(t->skel);
	free(t->stages);
	free(t);
}
