// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* --clusters in the report: text and JSON. */
#include <stdio.h>
#include <string.h>
#include "analysis/cluster_priv.h"
#include "lib/escape.h"
#include "lib/json.h"
#include "lib/syscalls.h"

#define DISTINCT_MAX 3	  /* syscalls shown per cluster */
#define DISTINCT_MIN 0.05 /* a share at least this far above the average point's */

static const char *dim_name(const struct clusters *c, unsigned int d, char *buf, size_t len)
{
	if (d == c->nsys)
		return "other";
	return syscall_name(c->slot[d] / SYSRAY_MAX_NR, c->slot[d] % SYSRAY_MAX_NR, buf, len);
}

/* The syscall dimensions whose share the centre has most above the average; their number. */
static unsigned int distinct(const struct clusters *c, unsigned int k, unsigned int *out)
{
	const double *cen = c->res.centroid + (size_t)k * c->stride;
	unsigned int n = 0;

	for (unsigned int d = 0; d <= c->nsys; d++) {
		double diff = cen[d] - c->mean[d];
		unsigned int j = n;

		if (diff < DISTINCT_MIN)
			continue;
		while (j > 0 && diff > cen[out[j - 1]] - c->mean[out[j - 1]]) {
			if (j < DISTINCT_MAX)
				out[j] = out[j - 1];
			j--;
		}
		if (j < DISTINCT_MAX) {
			out[j] = d;
			if (n < DISTINCT_MAX)
				n++;
		}
	}
	return n;
}

static void put_member(FILE *f, const struct clusters *c, const struct cluster_member *m)
{
	fputs_escaped(m->comm, f);
	if (c->threads)
		fprintf(f, "[%u/%u]", m->pid, m->tid);
	else
		fprintf(f, "[%u]", m->pid);
}

static void put_cluster(FILE *f, const struct clusters *c, unsigned int k)
{
	const double *cen = c->res.centroid + (size_t)k * c->stride;
	unsigned int d[DISTINCT_MAX], nd = distinct(c, k, d), shown = 0;
	const char *what = c->threads ? "thread" : "process";
	char buf[SYSCALL_NAME_BUF];

	fprintf(f, "  cluster %u, %u %s%s:", k + 1, c->res.size[k], what,
		c->res.size[k] == 1 ? ""
		: c->threads	    ? "s"
				    : "es");
	for (unsigned int i = 0; i < nd; i++)
		fprintf(f, "%s %s %.1f%% of time (all %.1f%%)", i ? "," : "",
			dim_name(c, d[i], buf, sizeof(buf)), cen[d[i]] * 100, c->mean[d[i]] * 100);
	if (!nd)
		fputs(" no syscall stands out", f);
	fputs("\n   ", f);
	for (unsigned int p = 0; p < c->n; p++) {
		if (c->res.label[p] != k)
			continue;
		if (shown++ == CLUSTER_SHOW_MEMBERS) {
			fprintf(f, " and %u more", c->res.size[k] - CLUSTER_SHOW_MEMBERS);
			break;
		}
		fputc(' ', f);
		put_member(f, c, &c->m[p]);
	}
	fputc('\n', f);
}

int clusters_write_text(FILE *f, const struct clusters *c)
{
	const char *what = c->threads ? "threads" : "processes";

	fprintf(f, "\nClusters of %s by syscall mix and latency (%u with at least %d calls", what,
		c->n, CLUSTER_MIN_CALLS);
	if (c->left_out)
		fprintf(f, "; %u more left out", c->left_out);
	fputs("):\n", f);
	if (c->status == CLUSTERS_TOO_FEW) {
		fprintf(f, "  too few to conclude anything (at least %u needed)\n", c->need);
	} else if (c->status == CLUSTERS_NO_STRUCTURE) {
		fprintf(
		    f,
		    "  no clear clusters: the best silhouette, %.2f at K=%u, is below %.2f; their "
		    "mixes do not fall into groups\n",
		    c->res.silhouette, c->res.k, CLUSTER_MIN_SILHOUETTE);
	} else {
		fprintf(f, "  k-means, K=%u%s, silhouette %.2f\n", c->res.k,
			c->auto_k ? " (by silhouette)" : "", c->res.silhouette);
		for (unsigned int k = 0; k < c->res.k; k++)
			put_cluster(f, c, k);
	}
	return ferror(f) ? -1 : 0;
}

static void json_cluster(struct json_writer *w, const struct clusters *c, unsigned int k)
{
	const double *cen = c->res.centroid + (size_t)k * c->stride;
	unsigned int d[DISTINCT_MAX], nd = distinct(c, k, d);
	char buf[SYSCALL_NAME_BUF];
	int indent = w->indent;

	json_writer__begin_object(w);
	json_writer__kv_u64(w, "size", c->res.size[k]);
	json_writer__key(w, "members");
	json_writer__begin_array(w);
	json_writer__set_indent(w, 0);
	for (unsigned int p = 0; p < c->n; p++) {
		if (c->res.label[p] != k)
			continue;
		json_writer__begin_object(w);
		json_writer__kv_u64(w, "pid", c->m[p].pid);
		if (c->threads)
			json_writer__kv_u64(w, "tid", c->m[p].tid);
		json_writer__kv_string(w, "comm", c->m[p].comm);
		json_writer__end_object(w);
	}
	json_writer__end_array(w);
	json_writer__set_indent(w, indent);
	json_writer__key(w, "distinguishing");
	json_writer__begin_array(w);
	json_writer__set_indent(w, 0);
	for (unsigned int i = 0; i < nd; i++) {
		json_writer__begin_object(w);
		json_writer__kv_string(w, "syscall", dim_name(c, d[i], buf, sizeof(buf)));
		json_writer__key(w, "time_share");
		json_writer__double(w, cen[d[i]]);
		json_writer__key(w, "overall_share");
		json_writer__double(w, c->mean[d[i]]);
		json_writer__end_object(w);
	}
	json_writer__end_array(w);
	json_writer__set_indent(w, indent);
	json_writer__end_object(w);
}

void clusters_put_json(struct json_writer *w, const struct clusters *c)
{
	static const char *const status[] = { "ok", "too_few", "no_structure" };

	json_writer__key(w, "clusters");
	json_writer__begin_object(w);
	json_writer__kv_string(w, "of", c->threads ? "threads" : "processes");
	json_writer__kv_u64(w, "points", c->n);
	json_writer__kv_u64(w, "left_out", c->left_out);
	json_writer__kv_u64(w, "min_calls", CLUSTER_MIN_CALLS);
	json_writer__kv_string(w, "status", status[c->status]);
	json_writer__key(w, "auto");
	json_writer__bool(w, c->auto_k);
	if (c->status != CLUSTERS_TOO_FEW) {
		json_writer__kv_u64(w, "k", c->res.k);
		json_writer__key(w, "silhouette");
		json_writer__double(w, c->res.silhouette);
	}
	json_writer__key(w, "clusters");
	json_writer__begin_array(w);
	for (unsigned int k = 0; c->status == CLUSTERS_OK && k < c->res.k; k++)
		json_cluster(w, c, k);
	json_writer__end_array(w);
	json_writer__end_object(w);
}
