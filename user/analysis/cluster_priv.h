/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Internals of --clusters shared by cluster.c and cluster_fmt.c. */
#ifndef SYSRAY_ANALYSIS_CLUSTER_PRIV_H
#define SYSRAY_ANALYSIS_CLUSTER_PRIV_H

#include "analysis/cluster.h"
#include "analysis/kmeans.h"

enum clusters_status {
	CLUSTERS_OK = 0,
	CLUSTERS_TOO_FEW,      /* fewer points than the clustering needs */
	CLUSTERS_NO_STRUCTURE, /* auto: the best silhouette is below CLUSTER_MIN_SILHOUETTE */
};

struct cluster_member {
	size_t summary; /* while computing: its group summary */
	__u32 pid, tid;
	char comm[GROUP_COMM_LEN];
};

struct clusters {
	bool threads;
	bool auto_k;
	enum clusters_status status;
	unsigned int need;     /* CLUSTERS_TOO_FEW: points needed */
	unsigned int n;	       /* points */
	unsigned int small;    /* groups left out for having fewer than CLUSTER_MIN_CALLS calls */
	unsigned int left_out; /* beyond CLUSTER_MAX_POINTS */
	struct cluster_member *m;
	unsigned int nsys; /* syscall dimensions; then "other", then the latency decades */
	__u16 slot[CLUSTER_MAX_SYSCALLS];
	unsigned int dim, stride;
	double *x;    /* n x stride */
	double *mean; /* of the points */
	struct kmeans_result res;
};

#endif /* SYSRAY_ANALYSIS_CLUSTER_PRIV_H */
