// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "sysray.skel.h"
#include "tracer.h"
#include "util.h"

struct tracer {
	struct sysray_bpf *skel;
	struct ring_buffer *rb;
	tracer_rec_fn fn;
	void *ctx;
	__u32 pid_max;
	int ncpus;
	bool attached;
};

static bool libbpf_verbose;

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	/* Our own errors say what failed; libbpf's detail is for -v. */
	if (!libbpf_verbose || level == LIBBPF_DEBUG)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

static int on_sample(void *ctx, void *data, size_t size)
{
	struct tracer *t = ctx;

	if (size < sizeof(struct sysray_rec))
		return 0;
	return t->fn(t->ctx, data);
}

static int read_pid_max(__u32 *out)
{
	unsigned long v;
	FILE *f = fopen("/proc/sys/kernel/pid_max", "r");
	int n;

	if (!f)
		return -errno;
	n = fscanf(f, "%lu", &v);
	fclose(f);
	if (n != 1 || v == 0 || v > (1UL << 30))
		return -EINVAL;
	*out = v;
	return 0;
}

int tracer__new(const struct tracer_opts *opts, tracer_rec_fn fn, void *ctx, struct tracer **out)
{
	struct tracer *t;
	int err;

	libbpf_verbose = opts->verbose;
	libbpf_set_print(libbpf_print);

	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->fn = fn;
	t->ctx = ctx;

	err = read_pid_max(&t->pid_max);
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

	t->skel = sysray_bpf__open();
	if (!t->skel) {
		err = -errno;
		p_err("cannot open the BPF object: %s", strerror(-err));
		goto cleanup;
	}
	t->skel->rodata->filter_tgid = opts->filter_tgid;
	t->skel->rodata->follow_forks = opts->follow_forks;
	t->skel->rodata->self_tgid = getpid();
	/* Wake the consumer only when a quarter of the ring is used; it polls on a timer. */
	t->skel->rodata->wakeup_bytes = opts->ring_bytes / 4;

	err = bpf_map__set_max_entries(t->skel->maps.starts, t->pid_max);
	if (!err)
		err = bpf_map__set_max_entries(t->skel->maps.tgids, (t->pid_max + 63) / 64);
	if (!err)
		err = bpf_map__set_max_entries(t->skel->maps.events, opts->ring_bytes);
	if (err) {
		p_err("cannot size the BPF maps: %s", strerror(-err));
		goto cleanup;
	}

	err = sysray_bpf__load(t->skel);
	if (err) {
		p_err("cannot load the BPF programs: %s%s", strerror(-err),
		      opts->verbose ? "" : " (run with -v for the verifier's log)");
		goto cleanup;
	}

	t->rb = ring_buffer__new(bpf_map__fd(t->skel->maps.events), on_sample, t, NULL);
	if (!t->rb) {
		err = -errno;
		p_err("cannot set up the ring buffer: %s", strerror(-err));
		goto cleanup;
	}
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

int tracer__poll(struct tracer *t, int timeout_ms)
{
	int n = ring_buffer__poll(t->rb, timeout_ms);

	if (n < 0 && n != -EINTR)
		return n;
	/* Records are submitted without wakeups: always drain after the wait. */
	n = ring_buffer__consume(t->rb);
	return n < 0 ? n : 0;
}

int tracer__stop(struct tracer *t)
{
	int n;

	if (t->attached) {
		sysray_bpf__detach(t->skel);
		t->attached = false;
	}
	n = ring_buffer__consume(t->rb);
	return n < 0 ? n : 0;
}

int tracer__read_counters(struct tracer *t, struct sc_table *tbl)
{
	struct sysray_counter *vals;
	int fd = bpf_map__fd(t->skel->maps.counters);
	__u32 key;
	int err = 0;

	vals = calloc(t->ncpus, sizeof(*vals));
	if (!vals)
		return -ENOMEM;
	for (key = 0; key < SYSRAY_NR_SLOTS; key++) {
		struct sc_stat *s = &tbl->sc[key / SYSRAY_MAX_NR][key % SYSRAY_MAX_NR];
		__u64 calls = 0, exits = 0, errors = 0;
		int cpu;

		if (bpf_map_lookup_elem(fd, &key, vals)) {
			err = -errno;
			break;
		}
		for (cpu = 0; cpu < t->ncpus; cpu++) {
			calls += vals[cpu].calls;
			exits += vals[cpu].exits;
			errors += vals[cpu].errors;
		}
		s->calls = calls;
		s->errors = errors;
		s->unfinished = calls > exits ? calls - exits : 0;
	}
	free(vals);
	return err;
}

int tracer__read_stats(struct tracer *t, __u64 stats[SYSRAY_STAT_CNT])
{
	int fd = bpf_map__fd(t->skel->maps.stats);
	__u64 *vals;
	__u32 key;
	int err = 0;

	vals = calloc(t->ncpus, sizeof(*vals));
	if (!vals)
		return -ENOMEM;
	for (key = 0; key < SYSRAY_STAT_CNT; key++) {
		int cpu;

		if (bpf_map_lookup_elem(fd, &key, vals)) {
			err = -errno;
			break;
		}
		stats[key] = 0;
		for (cpu = 0; cpu < t->ncpus; cpu++)
			stats[key] += vals[cpu];
	}
	free(vals);
	return err;
}

__u32 tracer__pid_max(const struct tracer *t)
{
	return t->pid_max;
}

void tracer__free(struct tracer *t)
{
	if (!t)
		return;
	ring_buffer__free(t->rb);
	sysray_bpf__destroy(t->skel);
	free(t);
}
