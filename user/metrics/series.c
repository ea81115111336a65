// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lib/utf8.h"
#include "lib/walltime.h"
#include "metrics/series.h"

/* Ids remembered at most: beyond that (a million cgroups or processes within the expiry
 * time) new ones fold into "other" without being remembered. */
#define IDS_MAX	  (1U << 20)
#define LABEL_MAX 4096

struct id_entry {
	__u32 id;
	bool used;
	__u64 last_ns;
	struct series *s; /* NULL: forgotten, resolve again */
};

struct series_set {
	struct series_set_opts o;
	struct metric_bounds bounds;
	struct series *only;	/* SERIES_KEY_NONE */
	struct series *other;	/* folded label values, or NULL */
	struct series **labels; /* open addressing by label */
	size_t nr_labels, label_cap;
	struct id_entry *ids;
	size_t nr_ids, id_cap;
	struct id_entry *last; /* the entry of the previous record: runs of one id are common */
	const struct series **list;
	size_t list_cap;
	__u64 created, folded, expired;
};

int metric_bounds__init(struct metric_bounds *b, const __u64 *ns, unsigned int n)
{
	unsigned int i = 0;

	if (!n || n > METRICS_MAX_BUCKETS)
		return -EINVAL;
	for (unsigned int k = 0; k < n; k++)
		if (!ns[k] || (k && ns[k] <= ns[k - 1]))
			return -EINVAL;
	memcpy(b->ns, ns, n * sizeof(*ns));
	b->n = n;
	for (unsigned int idx = 0; idx < HIST_NR_BUCKETS; idx++) {
		while (i < n && b->ns[i] < hist_bucket_lo(idx))
			i++;
		b->first[idx] = i;
	}
	return 0;
}

/* FNV-1a: labels are short, and a table of them is only hashed on first sightings. */
static size_t hash_str(const char *s)
{
	size_t h = 14695981039346656037ULL;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

static size_t hash_u32(__u32 v)
{
	return (v * 0x9E3779B97F4A7C15ULL) >> 20;
}

static struct series *series_new(const char *label)
{
	struct series *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->label = strdup(label);
	s->created_wall = walltime_now();
	s->mask = 7;
	s->sc = calloc(s->mask + 1, sizeof(*s->sc));
	if (!s->label || !s->sc) {
		free(s->label);
		free(s->sc);
		free(s);
		return NULL;
	}
	return s;
}

static void series_free(struct series *s)
{
	if (!s)
		return;
	for (__u32 i = 0; i <= s->mask; i++) {
		if (s->sc[i])
			free(s->sc[i]->errs);
		free(s->sc[i]);
	}
	free(s->sc);
	free(s->label);
	free(s);
}

static int series_grow(struct series *s)
{
	__u32 cap = (s->mask + 1) * 2;
	struct series_sc **t = calloc(cap, sizeof(*t));

	if (!t)
		return -ENOMEM;
	for (__u32 i = 0; i <= s->mask; i++) {
		struct series_sc *e = s->sc[i];
		__u32 k;

		if (!e)
			continue;
		for (k = e->key & (cap - 1); t[k]; k = (k + 1) & (cap - 1))
			;
		t[k] = e;
	}
	free(s->sc);
	s->sc = t;
	s->mask = cap - 1;
	return 0;
}

/* The syscall's entry in s, created on its first record; NULL when out of memory. */
static inline struct series_sc *series_sc(struct series_set *ss, struct series *s, __u16 key)
{
	struct series_sc *e;
	__u32 k;

	for (k = key & s->mask; s->sc[k]; k = (k + 1) & s->mask)
		if (s->sc[k]->key == key)
			return s->sc[k];
	if (2 * (s->nr_sc + 1) > s->mask + 1) {
		if (series_grow(s))
			return NULL;
		for (k = key & s->mask; s->sc[k]; k = (k + 1) & s->mask)
			;
	}
	e = calloc(1, sizeof(*e) + (ss->bounds.n + 1) * sizeof(__u64));
	if (!e)
		return NULL;
	e->key = key;
	s->sc[k] = e;
	s->nr_sc++;
	return e;
}

static int add_errno(struct series_sc *e, __u32 err)
{
	for (__u16 i = 0; i < e->nr_err; i++) {
		if (e->errs[i].err == err) {
			e->errs[i].count++;
			return 0;
		}
	}
	if (e->nr_err == e->cap_err) {
		__u16 cap = e->cap_err ? e->cap_err * 2 : 2;
		void *p = realloc(e->errs, cap * sizeof(*e->errs));

		if (!p)
			return -ENOMEM;
		e->errs = p;
		e->cap_err = cap;
	}
	e->errs[e->nr_err++] = (struct errno_count){ .err = err, .count = 1 };
	return 0;
}

static inline int add_rec(struct series_set *ss, struct series *s, const struct sysray_rec *r)
{
	struct series_sc *e = series_sc(ss, s, SYSRAY_SLOT(r->abi, r->nr) + 1);
	__u64 ts = r->start_ns + r->dur_ns;

	if (!e)
		return -ENOMEM;
	e->calls++;
	e->sum_ns += r->dur_ns;
	e->buckets[metric_bounds__bucket(&ss->bounds, r->dur_ns)]++;
	if (ts > s->last_ns)
		s->last_ns = ts;
	if (!sysray_is_error(r->ret))
		return 0;
	e->errors++;
	return add_errno(e, (__u32)-r->ret);
}

int series_set__new(const struct series_set_opts *o, struct series_set **out)
{
	struct series_set *ss = calloc(1, sizeof(*ss));

	if (!ss)
		return -ENOMEM;
	ss->o = *o;
	ss->bounds = *o->bounds;
	if (o->key == SERIES_KEY_NONE)
		ss->only = series_new("");
	else
		ss->labels = calloc(ss->label_cap = 64, sizeof(*ss->labels));
	if (o->key == SERIES_KEY_NONE ? !ss->only : !ss->labels) {
		series_set__free(ss);
		return -ENOMEM;
	}
	*out = ss;
	return 0;
}

static struct series **label_slot(struct series **t, size_t cap, const char *label)
{
	size_t k;

	for (k = hash_str(label) & (cap - 1); t[k]; k = (k + 1) & (cap - 1))
		if (!strcmp(t[k]->label, label))
			break;
	return &t[k];
}

static int labels_rebuild(struct series_set *ss, size_t cap)
{
	struct series **t = calloc(cap, sizeof(*t));

	if (!t)
		return -ENOMEM;
	for (size_t i = 0; i < ss->label_cap; i++)
		if (ss->labels[i])
			*label_slot(t, cap, ss->labels[i]->label) = ss->labels[i];
	free(ss->labels);
	ss->labels = t;
	ss->label_cap = cap;
	return 0;
}

static struct series *other(struct series_set *ss)
{
	if (!ss->other)
		ss->other = series_new(SERIES_OTHER);
	return ss->other;
}

/* The series of a label value seen for the first time by this id. */
static struct series *series_of_label(struct series_set *ss, __u32 id, const struct sysray_rec *r)
{
	/* The longest escape of a byte is 5 characters (\\377). */
	char raw[LABEL_MAX], label[LABEL_MAX * 5 + 1];
	struct series **slot, *s;

	if (ss->o.label_fn(ss->o.label_ctx, id, r, raw, sizeof(raw)) < 0)
		snprintf(raw, sizeof(raw), "(id %u)", id);
	series_label_escape(label, sizeof(label), raw);
	slot = label_slot(ss->labels, ss->label_cap, label);
	if (*slot)
		return *slot;
	if (ss->nr_labels >= ss->o.max_series || !strcmp(label, SERIES_OTHER)) {
		/* "other" itself is the folded series' label: a cgroup named so shares it. */
		if (strcmp(label, SERIES_OTHER))
			ss->folded++;
		return other(ss);
	}
	if (2 * (ss->nr_labels + 1) > ss->label_cap) {
		if (labels_rebuild(ss, ss->label_cap * 2))
			return NULL;
		slot = label_slot(ss->labels, ss->label_cap, label);
	}
	s = series_new(label);
	if (!s)
		return NULL;
	*slot = s;
	ss->nr_labels++;
	ss->created++;
	return s;
}

static struct id_entry *id_slot(struct id_entry *t, size_t cap, __u32 id)
{
	size_t k;

	for (k = hash_u32(id) & (cap - 1); t[k].used; k = (k + 1) & (cap - 1))
		if (t[k].id == id)
			break;
	return &t[k];
}

/* Rebuild the id table at cap without forgotten entries and, when now is given, those idle
 * since before now - expire_ns; on failure nothing changes. */
static int ids_rebuild(struct series_set *ss, size_t cap, __u64 now)
{
	struct id_entry *t = calloc(cap, sizeof(*t));
	size_t n = 0;

	if (!t)
		return -ENOMEM;
	for (size_t i = 0; i < ss->id_cap; i++) {
		const struct id_entry *e = &ss->ids[i];

		if (!e->used || !e->s || (now && e->last_ns + ss->o.expire_ns <= now))
			continue;
		*id_slot(t, cap, e->id) = *e;
		n++;
	}
	free(ss->ids);
	ss->ids = t;
	ss->id_cap = cap;
	ss->nr_ids = n;
	ss->last = NULL;
	return 0;
}

/* The series of a record's id: remembered, or resolved now. NULL when out of memory. */
static struct series *series_of_id(struct series_set *ss, __u32 id, const struct sysray_rec *r)
{
	__u64 ts = r->start_ns + r->dur_ns;
	struct id_entry *e = ss->last;

	if (!e || e->id != id || !e->s) {
		if (2 * (ss->nr_ids + 1) > ss->id_cap && ss->nr_ids < IDS_MAX &&
		    ids_rebuild(ss, ss->id_cap ? ss->id_cap * 2 : 256, 0))
			return NULL;
		e = id_slot(ss->ids, ss->id_cap, id);
		if (!e->used && ss->nr_ids >= IDS_MAX) {
			ss->folded++;
			return other(ss);
		}
		if (!e->used || !e->s) {
			if (!e->used)
				ss->nr_ids++;
			*e = (struct id_entry){ .id = id, .used = true };
			e->s = series_of_label(ss, id, r);
			if (!e->s)
				return NULL;
		}
		ss->last = e;
	}
	if (ts > e->last_ns)
		e->last_ns = ts;
	return e->s;
}

int series_set__add(struct series_set *ss, const struct sysray_rec *recs, size_t n,
		    __u32 (*id_of)(const struct sysray_rec *r))
{
	for (size_t i = 0; i < n; i++) {
		const struct sysray_rec *r = &recs[i];
		struct series *s;

		if (r->abi >= SYSRAY_ABI_CNT || r->nr >= SYSRAY_MAX_NR)
			continue;
		s = ss->only ? ss->only : series_of_id(ss, id_of(r), r);
		if (!s || add_rec(ss, s, r))
			return -ENOMEM;
	}
	return 0;
}

void series_set__forget(struct series_set *ss, __u32 id)
{
	struct id_entry *e;

	if (!ss->id_cap)
		return;
	e = id_slot(ss->ids, ss->id_cap, id);
	if (e->used)
		e->s = NULL;
}

/* Drop the labelled series idle since before now - expire_ns; how many went. */
static size_t expire_labels(struct series_set *ss, __u64 now)
{
	size_t cap = ss->label_cap, gone = 0, kept = 0;
	struct series **t;

	/* Shrink what a burst grew, so memory comes back after churn. */
	while (cap > 64 && 8 * ss->nr_labels < cap)
		cap /= 2;
	/* The new table is built before anything is freed: a failure changes nothing. */
	t = calloc(cap, sizeof(*t));
	if (!t)
		return 0;
	for (size_t i = 0; i < ss->label_cap; i++) {
		struct series *s = ss->labels[i];

		if (!s)
			continue;
		if (s->last_ns + ss->o.expire_ns <= now) {
			series_free(s);
			gone++;
		} else {
			*label_slot(t, cap, s->label) = s;
			kept++;
		}
	}
	free(ss->labels);
	ss->labels = t;
	ss->label_cap = cap;
	ss->nr_labels = kept;
	return gone;
}

size_t series_set__expire(struct series_set *ss, __u64 now)
{
	size_t gone, cap = ss->id_cap;

	if (ss->only || now < ss->o.expire_ns)
		return 0;
	/* Ids first: an id is never newer than its series, so none is left pointing to one
	 * that goes. */
	while (cap > 256 && 8 * ss->nr_ids < cap)
		cap /= 2;
	if (ss->id_cap && ids_rebuild(ss, cap, now))
		return 0;
	gone = expire_labels(ss, now);
	if (ss->other && ss->other->last_ns + ss->o.expire_ns <= now) {
		series_free(ss->other);
		ss->other = NULL;
		gone++;
	}
	ss->expired += gone;
	return gone;
}

static int by_label(const void *a, const void *b)
{
	const struct series *x = *(const struct series *const *)a;
	const struct series *y = *(const struct series *const *)b;

	return strcmp(x->label, y->label);
}

int series_set__list(struct series_set *ss, const struct series ***out, size_t *n)
{
	size_t k = 0, need = ss->nr_labels + 2;

	if (need > ss->list_cap) {
		void *p = realloc(ss->list, need * sizeof(*ss->list));

		if (!p)
			return -ENOMEM;
		ss->list = p;
		ss->list_cap = need;
	}
	if (ss->only)
		ss->list[k++] = ss->only;
	for (size_t i = 0; i < ss->label_cap; i++)
		if (ss->labels[i])
			ss->list[k++] = ss->labels[i];
	qsort(ss->list, k, sizeof(*ss->list), by_label);
	if (ss->other)
		ss->list[k++] = ss->other;
	*out = ss->list;
	*n = k;
	return 0;
}

static int by_key(const void *a, const void *b)
{
	const struct series_sc *x = *(const struct series_sc *const *)a;
	const struct series_sc *y = *(const struct series_sc *const *)b;

	return (int)x->key - (int)y->key;
}

void series__syscalls(const struct series *s, const struct series_sc **buf)
{
	size_t k = 0;

	for (__u32 i = 0; i <= s->mask; i++)
		if (s->sc[i])
			buf[k++] = s->sc[i];
	qsort(buf, k, sizeof(*buf), by_key);
}

size_t series_set__nr(const struct series_set *ss)
{
	return ss->only ? 1 : ss->nr_labels + !!ss->other;
}

__u64 series_set__created(const struct series_set *ss)
{
	return ss->created;
}

__u64 series_set__folded(const struct series_set *ss)
{
	return ss->folded;
}

__u64 series_set__expired(const struct series_set *ss)
{
	return ss->expired;
}

size_t series_set__ids(const struct series_set *ss)
{
	return ss->nr_ids;
}

void series_set__free(struct series_set *ss)
{
	if (!ss)
		return;
	series_free(ss->only);
	series_free(ss->other);
	for (size_t i = 0; i < ss->label_cap; i++)
		series_free(ss->labels[i]);
	free(ss->labels);
	free(ss->ids);
	free(ss->list);
	free(ss);
}

/*
 * Label values come from cgroup and task names, which their owners choose. Valid UTF-8 is
 * kept as it is (systemd's "\x2d" in unit names stays readable), control characters and
 * bytes that are not UTF-8 become strace-style octal escapes, and then the exposition's own
 * escapes are applied: backslash, double quote (a newline cannot remain).
 */
size_t series_label_escape(char *dst, size_t len, const char *src)
{
	size_t n = strlen(src), o = 0;
	char tmp[8];

	for (size_t i = 0; i < n;) {
		const unsigned char *p = (const unsigned char *)src + i;
		size_t k = utf8_seq_len(p, n - i), t = 0;

		if (k == 1 && (*p < 0x20 || *p == 0x7f))
			k = 0;
		if (!k) {
			t = snprintf(tmp, sizeof(tmp), "\\\\%03o", *p);
			k = 1;
		} else if (*p == '\\' || *p == '"') {
			tmp[t++] = '\\';
			tmp[t++] = *p;
		} else {
			memcpy(tmp, p, k);
			t = k;
		}
		if (o + t < len)
			memcpy(dst + o, tmp, t);
		o += t;
		i += k;
	}
	if (len)
		dst[o < len ? o : len - 1] = 0;
	return o;
}
