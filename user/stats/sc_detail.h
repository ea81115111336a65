/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Latency histogram and errno breakdown of one syscall, from its delivered records. */
#ifndef SYSRAY_STATS_SC_DETAIL_H
#define SYSRAY_STATS_SC_DETAIL_H

#include <stddef.h>
#include <linux/types.h>
#include "sysray.h"
#include "stats/hist.h"

/* Errnos below this are counted in place; rarer ones (kernel-internal codes) in a list. */
#define SC_ERRNO_FLAT 256

struct errno_count {
	__u32 err; /* positive errno */
	__u64 count;
};

/*
 * Allocated at the first record of a syscall, so the per-record path never allocates after
 * that (except for the first sighting of an errno >= SC_ERRNO_FLAT).
 */
struct sc_detail {
	struct hist hist;
	__u64 errnos[SC_ERRNO_FLAT];
	struct errno_count *rare;
	__u32 nr_rare;
	__u32 cap_rare;
};

struct sc_detail *sc_detail__new(void);
void sc_detail__free(struct sc_detail *d);
/* Empty it for the next interval, keeping the allocation. */
void sc_detail__reset(struct sc_detail *d);
/* Count an errno >= SC_ERRNO_FLAT; -ENOMEM when its first sighting cannot be stored. */
int sc_detail__add_rare(struct sc_detail *d, __u32 err);

/* Fold one delivered record's latency and return value in. */
static inline int sc_detail__add(struct sc_detail *d, __u64 dur_ns, __s64 ret)
{
	hist__record(&d->hist, dur_ns);
	if (!sysray_is_error(ret))
		return 0;
	if (-ret < SC_ERRNO_FLAT) {
		d->errnos[-ret]++;
		return 0;
	}
	return sc_detail__add_rare(d, (__u32)-ret);
}

/* The errnos seen, by count descending then errno; *out is malloc'ed (NULL when n is 0). */
int sc_detail__errnos(const struct sc_detail *d, struct errno_count **out, size_t *n);
/* "ENOENT", or the number in decimal for an errno without a name. */
const char *sc_errno_label(__u32 err, char *buf, size_t len);

#endif /* SYSRAY_STATS_SC_DETAIL_H */
