// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Micro-benchmark of the userspace consumer on one core: a BPF program (bench_produce in
 * bpf/bench.bpf.c) fills a ring with batches of SYSRAY_BATCH records, as sys_exit's flush
 * does, then the real consumer path drains it and is timed: ring_buffer__consume, the
 * tracer's ring callback (tracer_consume_sample) and the session's pipeline with the
 * whole-run aggregation of a system-wide run (pipeline__records). With SINK, that sink is
 * in the pipeline too: html (--format html: its heatmap), top (sysray top: its window), or
 * anomaly / anomaly-process (--anomaly's per-record path: the window by service, the
 * slow-call check; with --anomaly-by process, 200 processes and 64 baselines).
 * usage: bench_consumer [FILLS [html|top|anomaly|anomaly-process]]
 * prints "consumer: X M records/s ..."
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "html/html_sink.h"
#include "report/output.h"
#include "anomaly/anomaly_sink.h"
#include "session/pipeline.h"
#include "top/top_sink.h"
#include "trace/tracer.h"
#include "bench.skel.h"
#include "sysray.h"
#include "lib/clock.h"
#include "lib/log.h"

#define BC_RING_BYTES  (16U << 20) /* sysray's default --ring-size */
#define BC_TEMPLATES   8	   /* BENCH_TEMPLATES in bpf/bench.bpf.c */
#define BC_RUN_BATCHES 4096	   /* BENCH_RUN_BATCHES in bpf/bench.bpf.c */
#define BC_PID_MAX     32768
#define BC_WARMUP      3

_Static_assert(sizeof(((struct bench_bpf__bss *)0)->bench_recs[0]) ==
		   SYSRAY_BATCH * sizeof(struct sysray_rec),
	       "bench_recs holds SYSRAY_BATCH records per template");

static __u64 bc_seed = 0x9e3779b97f4a7c15ULL;

static __u64 bc_rand(void)
{
	__u64 z = (bc_seed += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/*
 * A system-wide mix: mostly cheap calls (read, write, futex, getppid...) with durations
 * spread over a few decades, ~5 % errors, 200 processes, a few i386 calls.
 */
static void bc_fill_templates(void *words)
{
	struct sysray_rec(*recs)[SYSRAY_BATCH] = words;
	static const __u16 nrs[] = { 0, 1, 3, 9, 202, 232, 257, 262, 110, 39, 7, 17, 44, 45 };
	__u64 t = 1000000000ULL;

	for (int b = 0; b < BC_TEMPLATES; b++) {
		for (int i = 0; i < SYSRAY_BATCH; i++) {
			struct sysray_rec *r = &recs[b][i];
			__u64 x = bc_rand();

			r->nr = nrs[x % ARRAY_SIZE(nrs)];
			r->abi = (x >> 8) % 64 == 0 ? SYSRAY_ABI_COMPAT : SYSRAY_ABI_NATIVE;
			if (r->abi == SYSRAY_ABI_COMPAT)
				r->nr = 64; /* getppid on i386 */
			r->dur_ns = 100 + ((x >> 16) % 1000) * (1 + (x >> 32) % 50);
			r->ret = (x >> 40) % 20 == 0 ? -11 : (__s64)((x >> 44) % 4096);
			r->tgid = 1000 + (x >> 48) % 200;
			r->tid = r->tgid;
			r->cpu = i & 1;
			r->start_ns = t;
			t += r->dur_ns + 50;
		}
	}
}

/* Run the producer until the ring is full; returns the batches written or -errno. */
static long bc_fill(struct bench_bpf *skel)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts);
	long total = 0;

	for (;;) {
		if (bpf_prog_test_run_opts(bpf_program__fd(skel->progs.bench_produce), &opts))
			return -errno;
		total += skel->bss->bench_produced;
		if (skel->bss->bench_produced < BC_RUN_BATCHES)
			return total;
	}
}

/* The sink named on the command line, started as a session would; 0 when none is named. */
static int bc_add_sink(struct pipeline *pipe, const char *name, struct output **out)
{
	static struct run_info run = { .mode = TARGET_SYSTEM, .exit_status = -1 };
	struct sink_start ss = { .run = &run, .pid_max = BC_PID_MAX };
	const struct anomaly *det;
	struct sink sink;
	int err = 0;

	run.start_ns = now_ns();
	if (!name)
		return pipeline__start(pipe, &ss);
	if (!strcmp(name, "html")) {
		struct html_sink_opts ho = { .out_name = "/dev/null" };

		err = output__open("/dev/null", out);
		ho.out = *out;
		if (!err)
			err = html_sink__new(&ho, &sink);
	} else if (!strcmp(name, "top")) {
		struct top_sink_opts to = { .no_probe = true };

		err = top_sink__new(&to, &sink);
	} else if (!strcmp(name, "anomaly") || !strcmp(name, "anomaly-process")) {
		struct anomaly_sink_opts ao = { .window_ns = 1000000000ULL };

		if (!strcmp(name, "anomaly-process"))
			ao.by = GWIN_PROCESS;
		err = anomaly_sink__new(&ao, &sink, &det);
	} else {
		return -EINVAL;
	}
	if (!err)
		err = pipeline__add_sink(pipe, sink);
	return err ? err : pipeline__start(pipe, &ss);
}

static int bc_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	int fills = argc > 1 ? atoi(argv[1]) : 30;
	const char *with = argc > 2 ? argv[2] : NULL;
	struct output *out = NULL;
	struct pipeline_opts po = { .pid_max = BC_PID_MAX, .count_tgids = true };
	struct tracer_consumer cons = { .fn = pipeline__records };
	const struct profile *prof;
	struct pipeline *pipe = NULL;
	struct ring_buffer *rb = NULL;
	struct bpf_program *prog;
	struct bench_bpf *skel;
	double *rates = NULL;
	__u64 recs_total = 0;
	cpu_set_t set;
	int err = 1, cpu = sched_getcpu();

	if (fills < 1 || fills > 100000 || argc > 3) {
		fprintf(stderr, "usage: bench_consumer [FILLS [html|top|anomaly|anomaly-process]]\n");
		return 2;
	}
	/* One core: the producer and the consumer both run on it, one after the other. */
	CPU_ZERO(&set);
	CPU_SET(cpu < 0 ? 0 : cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);

	skel = bench_bpf__open();
	if (!skel) {
		fprintf(stderr, "bench_consumer: cannot open the bench BPF object: %s\n",
			strerror(errno));
		return 1;
	}
	bpf_object__for_each_program(prog, skel->obj)
	    bpf_program__set_autoload(prog, prog == skel->progs.bench_produce);
	if (bpf_map__set_max_entries(skel->maps.bench_ring, BC_RING_BYTES) ||
	    bench_bpf__load(skel)) {
		fprintf(stderr, "bench_consumer: cannot load the producer: %s\n", strerror(errno));
		goto cleanup;
	}
	bc_fill_templates(skel->bss->bench_recs);

	if (pipeline__new(&po, &pipe)) {
		fprintf(stderr, "bench_consumer: out of memory\n");
		goto cleanup;
	}
	if (bc_add_sink(pipe, with, &out)) {
		fprintf(stderr, "bench_consumer: cannot add the sink '%s'\n", with);
		goto cleanup;
	}
	prof = pipeline__profile(pipe);
	cons.ctx = pipe;
	rb = ring_buffer__new(bpf_map__fd(skel->maps.bench_ring), tracer_consume_sample, &cons,
			      NULL);
	rates = calloc(fills, sizeof(*rates));
	if (!rb || !rates) {
		fprintf(stderr, "bench_consumer: cannot set up the ring buffer\n");
		goto cleanup;
	}

	for (int f = -BC_WARMUP; f < fills; f++) {
		long batches = bc_fill(skel);
		__u64 before = prof->received, t;
		int n;

		if (batches <= 0) {
			fprintf(stderr, "bench_consumer: the producer wrote nothing: %s\n",
				strerror(batches ? (int)-batches : EIO));
			goto cleanup;
		}
		t = now_ns();
		n = ring_buffer__consume(rb);
		t = now_ns() - t;
		if (n != batches || prof->received - before != (__u64)batches * SYSRAY_BATCH) {
			fprintf(stderr,
				"bench_consumer: wrote %ld batches, consumed %d (%llu records)\n",
				batches, n, (unsigned long long)(prof->received - before));
			goto cleanup;
		}
		if (f >= 0) {
			rates[f] = (double)batches * SYSRAY_BATCH / (t * 1e-9);
			recs_total += (__u64)batches * SYSRAY_BATCH;
		}
	}
	qsort(rates, fills, sizeof(*rates), bc_cmp);
	printf("consumer%s%s: %.1f M records/s (median of %d fills of a %u MiB ring, %llu records;"
	       " min %.1f, max %.1f; %.1f ns/record)\n",
	       with ? " with " : "", with ? with : "", rates[fills / 2] / 1e6, fills,
	       BC_RING_BYTES >> 20, (unsigned long long)recs_total, rates[0] / 1e6,
	       rates[fills - 1] / 1e6, 1e9 / rates[fills / 2]);
	err = 0;
cleanup:
	ring_buffer__free(rb);
	pipeline__free(pipe);
	output__free(out);
	free(rates);
	bench_bpf__destroy(skel);
	return err;
}
