/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A recorded record stream: what the tracer delivered to the pipeline during a real run
 * (record batches, the ticks between them, the kernel's counts at the end), so that the
 * same reports can be rebuilt without BPF and compared with committed golden files.
 * Native byte order and struct layout: a stream is read back on the machine kind that
 * recorded it (the record's size is checked).
 */
#ifndef SYSRAY_TEST_STREAM_H
#define SYSRAY_TEST_STREAM_H

#include <stdio.h>
#include <linux/types.h>
#include "sysray.h"
#include "stats/run.h"

#define STREAM_MAGIC   "SYSRAYRS"
#define STREAM_VERSION 1

enum stream_kind {
	STREAM_RECORDS = 1, /* n records */
	STREAM_TICK,	    /* struct stream_tick */
	STREAM_STOP,	    /* struct stream_stop, last */
};

struct stream_hdr {
	char magic[8];
	__u32 version;
	__u32 rec_size; /* sizeof(struct sysray_rec) */
	__u32 mode;	/* enum target_mode */
	__u32 argv_len; /* bytes of NUL-terminated argv strings that follow */
	__u64 start_ns;
	__u64 tick_ns; /* the recorder's tick period */
};

struct stream_tick {
	__u64 now;
	__u64 dropped;
};

/*
 * The kernel's counts as a stream holds them: the members struct sysray_counts had when the
 * format was made, so that the struct can grow without invalidating recorded streams (its
 * later members replay as zero).
 */
struct stream_counts {
	struct sysray_counter sc[SYSRAY_NR_SLOTS];
	__u64 stats[SYSRAY_STAT_CNT];
	__u64 missed;
};

struct stream_stop {
	struct stream_counts counts;
	__u64 duration_ns;
	__u64 procs;
	__s64 exit_status;
};

struct stream_chunk {
	__u32 kind;
	__u32 n; /* records, or 1 */
};

#endif /* SYSRAY_TEST_STREAM_H */
