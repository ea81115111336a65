/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Command-line options into a config struct; no side effects, so it is unit-tested. */
#ifndef SYSRAY_OPTS_H
#define SYSRAY_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "profile.h"

enum out_format {
	FORMAT_TEXT,
	FORMAT_JSON,
};

#define SYSRAY_DEFAULT_RING_BYTES (16ULL << 20)

struct sysray_config {
	enum target_mode mode;
	char **argv;	    /* command mode: NULL-terminated, points into the caller's argv */
	int *pids;	    /* pid mode: malloc'ed */
	int nr_pids;
	bool follow_forks;  /* -f; always on in command mode */
	__u64 duration_ns;  /* -d: 0 means until the command ends or Ctrl-C */
	const char *output; /* -o: NULL for stderr, "-" for stdout */
	enum out_format format;
	const char *sort_by; /* -S, validated by the report */
	const char *columns; /* -U, validated by the report */
	__u64 ring_bytes;
	bool verbose;
	const char *bench_hooks; /* --bench-hooks MODE: measure a hook variant, no report */
	bool help, version;
};

/* 0 on success; -EINVAL with a one-line message in err otherwise. */
int opts_parse(int argc, char **argv, struct sysray_config *cfg, char *err, size_t errlen);
void opts_free(struct sysray_config *cfg);
void opts_usage(FILE *f);

#endif /* SYSRAY_OPTS_H */
