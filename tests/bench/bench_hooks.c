// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * make bench only: run a command under one hook variant of tests/bench/bench.bpf.c (an empty
 * tp_btf pair, or entry clock + one kind of start store + exit clock) and print nothing, so
 * that the storm's time under it is the cost of that variant alone.
 * usage: bench_hooks bare|array|hash|task|random|stride -- COMMAND [ARGS...]
 * (random and stride: time one call in 64, as --sample 64 would)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/libbpf.h>
#include "bench.skel.h"
#include "trace/launcher.h"
#include "lib/log.h"

static const char *const modes[] = { "bare", "array", "hash", "task", "random", "stride" };
#define NMODES 6

static int mode_index(const char *mode)
{
	for (size_t i = 0; i < ARRAY_SIZE(modes); i++)
		if (!strcmp(mode, modes[i]))
			return i;
	return -EINVAL;
}

static int read_pid_max(void)
{
	FILE *f = fopen("/proc/sys/kernel/pid_max", "r");
	int v = 0;

	if (f) {
		if (fscanf(f, "%d", &v) != 1)
			v = 0;
		fclose(f);
	}
	return v > 0 ? v : 4194304;
}

static int run(const char *mode, char **argv)
{
	struct bpf_program *enter[NMODES], *exit_[NMODES];
	struct launcher *l = NULL;
	struct bench_bpf *skel;
	int m = mode_index(mode), err, code = 1;

	skel = bench_bpf__open();
	if (!skel) {
		p_err("cannot open the bench BPF object: %s", strerror(errno));
		return 1;
	}
	enter[0] = skel->progs.bare_enter, exit_[0] = skel->progs.bare_exit;
	enter[1] = skel->progs.array_enter, exit_[1] = skel->progs.array_exit;
	enter[2] = skel->progs.hash_enter, exit_[2] = skel->progs.hash_exit;
	enter[3] = skel->progs.task_enter, exit_[3] = skel->progs.task_exit;
	enter[4] = skel->progs.random_enter, exit_[4] = skel->progs.random_exit;
	enter[5] = skel->progs.stride_enter, exit_[5] = skel->progs.stride_exit;
	for (int i = 0; i < NMODES; i++) {
		bpf_program__set_autoload(enter[i], i == m);
		bpf_program__set_autoload(exit_[i], i == m);
	}
	bpf_map__set_max_entries(skel->maps.starts_array, read_pid_max());
	bpf_map__set_max_entries(skel->maps.starts_hash, read_pid_max());

	err = launcher__spawn(argv, &l);
	if (err) {
		p_err("cannot execute '%s': %s", argv[0], strerror(-err));
		code = 127;
		goto cleanup;
	}
	skel->rodata->target_tgid = launcher__pid(l);
	err = bench_bpf__load(skel);
	if (!err)
		err = bench_bpf__attach(skel);
	if (err) {
		p_err("cannot load or attach the '%s' bench hooks: %s", mode, strerror(-err));
		goto cleanup;
	}
	err = launcher__release(l);
	if (err) {
		p_err("cannot execute '%s': %s", argv[0], strerror(-err));
		code = 127;
		goto cleanup;
	}
	launcher__reap(l, true);
	code = launcher__exit_code(l);
cleanup:
	bench_bpf__destroy(skel);
	launcher__free(l);
	return code;
}

int main(int argc, char **argv)
{
	if (argc < 4 || strcmp(argv[2], "--") || mode_index(argv[1]) < 0) {
		fprintf(stderr, "usage: bench_hooks bare|array|hash|task|random|stride -- COMMAND "
				"[ARGS...]\n");
		return 2;
	}
	return run(argv[1], argv + 3);
}
