// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include "lib/clock.h"
#include "stacks/maps.h"

/* Images kept: a long -a run forgets the least recently used ones. */
#define IMAGES_MAX   4096
#define IMAGES_SLOTS 8192 /* hash slots, a power of two above IMAGES_MAX */

struct images {
	struct module_cache *mods;
	void (*unwind_free)(void *);
	struct image **slots; /* open addressing on (tgid, exec_id) */
	size_t n;
	unsigned long clock;
	__u64 missed;
};

int images__new(struct module_cache *mods, void (*unwind_free)(void *), struct images **out)
{
	struct images *s = calloc(1, sizeof(*s));

	if (!s || !(s->slots = calloc(IMAGES_SLOTS, sizeof(*s->slots)))) {
		free(s);
		return -ENOMEM;
	}
	s->mods = mods;
	s->unwind_free = unwind_free;
	*out = s;
	return 0;
}

int maps_parse_line(char *line, struct maps_line *o)
{
	char perms[8];
	int pos = 0;

	memset(o, 0, sizeof(*o));
	if (sscanf(line, "%" SCNx64 "-%" SCNx64 " %7s %" SCNx64 " %x:%x %" SCNu64 " %n",
		   (uint64_t *)&o->start, (uint64_t *)&o->end, perms, (uint64_t *)&o->pgoff,
		   &o->major, &o->minor, (uint64_t *)&o->inode, &pos) < 7 ||
	    o->end <= o->start)
		return -EINVAL;
	o->exec = strlen(perms) >= 3 && perms[2] == 'x';
	o->path = pos ? line + pos : "";
	line[strcspn(line, "\n")] = 0;
	return 0;
}

/*
 * The file of a mapping, through /proc/PID/map_files (the mapped file itself, whatever its
 * path now names); checked to be the regular file the maps line says before it is opened,
 * so no device or FIFO is ever opened.
 */
static int open_mapped(__u32 tgid, const struct maps_line *l)
{
	char p[96];
	struct stat st;
	int fd;

	snprintf(p, sizeof(p), "/proc/%u/map_files/%llx-%llx", tgid, (unsigned long long)l->start,
		 (unsigned long long)l->end);
	if (stat(p, &st) || !S_ISREG(st.st_mode) || st.st_ino != l->inode ||
	    major(st.st_dev) != l->major || minor(st.st_dev) != l->minor)
		return -ENOENT;
	fd = open(p, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_ino != l->inode) {
		close(fd);
		return -ESTALE;
	}
	return fd;
}

static int add_mapping(struct image *im, size_t *cap, const struct mapping *m)
{
	if (im->n == *cap) {
		size_t c = *cap ? *cap * 2 : 16;
		struct mapping *a = realloc(im->maps, c * sizeof(*a));

		if (!a)
			return -ENOMEM;
		im->maps = a;
		*cap = c;
	}
	im->maps[im->n++] = *m;
	return 0;
}

static struct module *module_of(struct images *s, __u32 tgid, const struct maps_line *l)
{
	struct module *m;
	int fd;

	if (!strcmp(l->path, "[vdso]"))
		return module_cache__vdso(s->mods);
	if (!l->inode)
		return NULL;
	/* A file already known (libc...) is not opened again. */
	m = module_cache__find(s->mods, makedev(l->major, l->minor), l->inode);
	if (m)
		return m;
	fd = open_mapped(tgid, l);
	return fd < 0 ? NULL : module_cache__add(s->mods, fd, l->path);
}

static void find_exe(struct images *s, struct image *im)
{
	char p[32];
	struct stat st;

	snprintf(p, sizeof(p), "/proc/%u/exe", im->tgid);
	if (stat(p, &st))
		return;
	for (size_t i = 0; i < im->n; i++) {
		struct module *m = im->maps[i].mod;

		if (!m->vdso && m->dev == st.st_dev && m->ino == st.st_ino)
			im->exe = m;
	}
	(void)s;
}

/* Maps are listed by address, so the array comes out sorted. */
static int read_maps(struct images *s, struct image *im)
{
	char p[32], *line = NULL;
	size_t len = 0, cap = 0;
	int err = 0;
	FILE *f;

	snprintf(p, sizeof(p), "/proc/%u/maps", im->tgid);
	f = fopen(p, "re");
	if (!f)
		return -errno;
	im->n = 0;
	while (!err && getline(&line, &len, f) > 0) {
		struct maps_line l;
		struct mapping m;

		if (maps_parse_line(line, &l) || !l.exec)
			continue;
		m = (struct mapping){ .start = l.start, .end = l.end };
		m.mod = module_of(s, im->tgid, &l);
		if (!m.mod)
			continue;
		m.bias = module_bias(m.mod, l.start, m.mod->vdso ? 0 : l.pgoff);
		err = add_mapping(im, &cap, &m);
	}
	free(line);
	fclose(f);
	/* A process that exited has an empty maps file: nothing to keep. */
	if (!err && !im->n)
		err = -ESRCH;
	if (!err)
		find_exe(s, im);
	return err;
}

static size_t slot_of(__u32 tgid, __u32 exec_id)
{
	__u64 h = ((__u64)tgid << 32 | exec_id) * 0x9e3779b97f4a7c15ULL;

	return h >> 51; /* 13 bits: IMAGES_SLOTS */
}

static void image_free(struct images *s, struct image *im)
{
	if (im->unwind && s->unwind_free)
		s->unwind_free(im->unwind);
	free(im->maps);
	free(im);
}

/* Remove slot i and re-place the entries of its cluster (linear probing). */
static void remove_slot(struct images *s, size_t i)
{
	image_free(s, s->slots[i]);
	s->slots[i] = NULL;
	s->n--;
	for (size_t j = (i + 1) & (IMAGES_SLOTS - 1); s->slots[j];
	     j = (j + 1) & (IMAGES_SLOTS - 1)) {
		struct image *im = s->slots[j];
		size_t k = slot_of(im->tgid, im->exec_id);

		s->slots[j] = NULL;
		while (s->slots[k])
			k = (k + 1) & (IMAGES_SLOTS - 1);
		s->slots[k] = im;
	}
}

static void evict_lru(struct images *s)
{
	size_t oldest = 0;
	bool found = false;

	for (size_t i = 0; i < IMAGES_SLOTS; i++)
		if (s->slots[i] && (!found || s->slots[i]->used < s->slots[oldest]->used)) {
			oldest = i;
			found = true;
		}
	if (found)
		remove_slot(s, oldest);
}

struct image *images__get(struct images *s, __u32 tgid, __u32 exec_id)
{
	size_t i = slot_of(tgid, exec_id);
	struct image *im;

	for (; s->slots[i]; i = (i + 1) & (IMAGES_SLOTS - 1)) {
		im = s->slots[i];
		if (im->tgid == tgid && im->exec_id == exec_id) {
			im->used = ++s->clock;
			return im;
		}
	}
	if (s->n >= IMAGES_MAX) {
		evict_lru(s);
		return images__get(s, tgid, exec_id);
	}
	im = calloc(1, sizeof(*im));
	if (!im)
		return NULL;
	im->tgid = tgid;
	im->exec_id = exec_id;
	im->used = ++s->clock;
	im->loaded = !read_maps(s, im);
	im->fresh = true;
	im->read_ns = now_ns();
	if (!im->loaded)
		s->missed++;
	s->slots[i] = im;
	s->n++;
	return im;
}

int images__inherit(struct images *s, struct image *child, __u32 parent)
{
	struct image *p;

	if (child->loaded || !parent || parent == child->tgid)
		return -EINVAL;
	p = images__get(s, parent, child->exec_id);
	/* The lookup may have dropped the child (LRU): look it up again. */
	child = images__get(s, child->tgid, child->exec_id);
	if (!p || !child)
		return -ENOMEM;
	if (!p->loaded || child->loaded)
		return -ESRCH;
	child->maps = malloc(p->n * sizeof(*p->maps));
	if (!child->maps)
		return -ENOMEM;
	memcpy(child->maps, p->maps, p->n * sizeof(*p->maps));
	child->n = p->n;
	child->exe = p->exe;
	child->loaded = true;
	child->inherited = true;
	s->missed--;
	return 0;
}

int images__reread(struct images *s, struct image *im, bool rate_limit)
{
	struct image fresh = { .tgid = im->tgid, .exec_id = im->exec_id };
	__u64 now = now_ns();
	int err;

	if (im->inherited || (rate_limit && now - im->read_ns < 1000000000ULL))
		return -EAGAIN;
	im->read_ns = now;
	err = read_maps(s, &fresh);
	if (err) {
		free(fresh.maps);
		return err;
	}
	/* The unwinder's state knew the old modules: it is rebuilt on next use. */
	if (im->unwind && s->unwind_free)
		s->unwind_free(im->unwind);
	im->unwind = NULL;
	free(im->maps);
	im->maps = fresh.maps;
	im->n = fresh.n;
	im->exe = fresh.exe ? fresh.exe : im->exe;
	if (!im->loaded)
		s->missed--;
	im->loaded = true;
	return 0;
}

const struct mapping *image_lookup(const struct image *im, __u64 addr)
{
	size_t lo = 0, hi = im->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (addr < im->maps[mid].start)
			hi = mid;
		else if (addr >= im->maps[mid].end)
			lo = mid + 1;
		else
			return &im->maps[mid];
	}
	return NULL;
}

__u64 images__missed(const struct images *s)
{
	return s->missed;
}

void images__free(struct images *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < IMAGES_SLOTS; i++)
		if (s->slots[i])
			image_free(s, s->slots[i]);
	free(s->slots);
	free(s);
}
