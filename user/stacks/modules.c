// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <elfutils/libdwelf.h>
#include "stacks/modules.h"

/* Modules known in all: frames of later ones stay unresolved (counted by the caller). */
#define MODULES_MAX 8192
/* Descriptors kept open; later modules are reopened by path (if still the same file). */
#define MODULE_FDS_MAX 256

struct module_cache {
	struct module **mods;
	int n, cap;
	int open_fds;
	struct module *vdso;
	bool vdso_tried;
};

int module_cache__new(struct module_cache **out)
{
	struct module_cache *c = calloc(1, sizeof(*c));

	if (!c)
		return -ENOMEM;
	if (elf_version(EV_CURRENT) == EV_NONE) {
		free(c);
		return -EINVAL;
	}
	*out = c;
	return 0;
}

/* Segments, type and build-id from the ELF headers; -EINVAL if it is no ELF we can use. */
static int read_elf(struct module *m, int fd)
{
	Elf *elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	const void *id = NULL;
	GElf_Ehdr eh;
	size_t phnum;
	ssize_t len;
	int err = -EINVAL;

	if (!elf || elf_kind(elf) != ELF_K_ELF || !gelf_getehdr(elf, &eh) ||
	    elf_getphdrnum(elf, &phnum))
		goto out;
	m->exec_type = eh.e_type == ET_EXEC;
	for (size_t i = 0; i < phnum && m->nsegs < MODULE_MAX_SEGS; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(elf, i, &ph) || ph.p_type != PT_LOAD)
			continue;
		m->segs[m->nsegs++] = (struct module_seg){ ph.p_offset, ph.p_vaddr, ph.p_filesz };
	}
	len = dwelf_elf_gnu_build_id(elf, &id);
	if (len > 0 && len <= MODULE_BUILD_ID_MAX) {
		memcpy(m->build_id, id, len);
		m->build_id_len = len;
	}
	err = m->nsegs ? 0 : -EINVAL;
out:
	elf_end(elf);
	return err;
}

struct module *module_cache__find(struct module_cache *c, dev_t dev, ino_t ino)
{
	for (int i = 0; i < c->n; i++)
		if (!c->mods[i]->vdso && c->mods[i]->dev == dev && c->mods[i]->ino == ino)
			return c->mods[i];
	return NULL;
}

static struct module *insert(struct module_cache *c, struct module *m)
{
	if (c->n == c->cap) {
		int cap = c->cap ? c->cap * 2 : 64;
		struct module **a = realloc(c->mods, cap * sizeof(*a));

		if (!a)
			return NULL;
		c->mods = a;
		c->cap = cap;
	}
	m->idx = c->n;
	c->mods[c->n++] = m;
	return m;
}

static struct module *module_new(const char *path, int fd, const struct stat *st)
{
	struct module *m = calloc(1, sizeof(*m));
	const char *slash;

	if (!m || !(m->path = strdup(path))) {
		free(m);
		return NULL;
	}
	slash = strrchr(m->path, '/');
	m->name = slash ? slash + 1 : m->path;
	m->dev = st->st_dev;
	m->ino = st->st_ino;
	m->fd = fd;
	return m;
}

static void module_free(struct module *m)
{
	if (!m)
		return;
	if (m->fd >= 0)
		close(m->fd);
	free(m->path);
	free(m);
}

struct module *module_cache__add(struct module_cache *c, int fd, const char *path)
{
	struct module *m;
	struct stat st;

	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || c->n >= MODULES_MAX) {
		close(fd);
		return NULL;
	}
	m = module_cache__find(c, st.st_dev, st.st_ino);
	if (m) {
		close(fd);
		return m;
	}
	m = module_new(path, fd, &st);
	if (!m) {
		close(fd);
		return NULL;
	}
	if (read_elf(m, fd) || !insert(c, m)) {
		module_free(m);
		return NULL;
	}
	/* Past the budget of descriptors, keep what identifies the file and reopen it later. */
	if (++c->open_fds > MODULE_FDS_MAX) {
		close(m->fd);
		m->fd = -1;
		c->open_fds--;
	}
	return m;
}

/* The vDSO is the same image in every process of this kernel: copy ours into a memfd. */
static struct module *load_vdso(struct module_cache *c)
{
	const void *base = (const void *)getauxval(AT_SYSINFO_EHDR);
	const Elf64_Ehdr *eh = base;
	struct stat st = { 0 };
	struct module *m;
	size_t len;
	int fd;

	if (!base || memcmp(eh->e_ident, ELFMAG, SELFMAG) || eh->e_ident[EI_CLASS] != ELFCLASS64)
		return NULL;
	/* The image ends with its section headers. */
	len = eh->e_shoff + (size_t)eh->e_shnum * eh->e_shentsize;
	fd = memfd_create("vdso", MFD_CLOEXEC);
	if (fd < 0)
		return NULL;
	if (len > (1 << 20) || write(fd, base, len) != (ssize_t)len) {
		close(fd);
		return NULL;
	}
	m = module_new("[vdso]", fd, &st);
	if (!m) {
		close(fd);
		return NULL;
	}
	m->vdso = true;
	if (read_elf(m, fd) || !insert(c, m)) {
		module_free(m);
		return NULL;
	}
	return m;
}

struct module *module_cache__vdso(struct module_cache *c)
{
	if (!c->vdso_tried) {
		c->vdso_tried = true;
		c->vdso = load_vdso(c);
	}
	return c->vdso;
}

struct module *module_cache__at(struct module_cache *c, int idx)
{
	return idx >= 0 && idx < c->n ? c->mods[idx] : NULL;
}

int module_cache__count(const struct module_cache *c)
{
	return c->n;
}

void module_cache__free(struct module_cache *c)
{
	if (!c)
		return;
	for (int i = 0; i < c->n; i++)
		module_free(c->mods[i]);
	free(c->mods);
	free(c);
}

__u64 module_bias(const struct module *m, __u64 start, __u64 pgoff)
{
	__u64 page = sysconf(_SC_PAGESIZE);
	const struct module_seg *best = NULL;

	if (m->exec_type)
		return 0;
	/* The segment the mapping starts in: the last one whose page-rounded offset is <= pgoff. */
	for (int i = 0; i < m->nsegs; i++)
		if ((m->segs[i].offset & ~(page - 1)) <= pgoff &&
		    (!best || m->segs[i].offset >= best->offset))
			best = &m->segs[i];
	if (!best)
		return start - pgoff;
	return start - (best->vaddr - (best->offset - pgoff));
}

int module_open(const struct module *m)
{
	struct stat st;
	int fd;

	if (m->fd >= 0) {
		fd = fcntl(m->fd, F_DUPFD_CLOEXEC, 0);
		return fd < 0 ? -errno : fd;
	}
	/* Only the very file that was mapped: same device and inode, a regular file. */
	fd = open(m->path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_dev != m->dev || st.st_ino != m->ino) {
		close(fd);
		return -ESTALE;
	}
	return fd;
}

const char *module_build_id_hex(const struct module *m, char *buf)
{
	static const char hex[] = "0123456789abcdef";

	for (size_t i = 0; i < m->build_id_len; i++) {
		buf[2 * i] = hex[m->build_id[i] >> 4];
		buf[2 * i + 1] = hex[m->build_id[i] & 15];
	}
	buf[2 * m->build_id_len] = 0;
	return buf;
}
