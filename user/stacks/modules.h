/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The binaries and libraries traced processes run (modules), each known once however many
 * processes map it: by device and inode, with its build-id, its loadable segments (for
 * the load bias of a mapping) and an open descriptor of the very file that was mapped, so
 * that it is still read after the process is gone or the path was replaced.
 */
#ifndef SYSRAY_STACKS_MODULES_H
#define SYSRAY_STACKS_MODULES_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <linux/types.h>

#define MODULE_BUILD_ID_MAX 64
#define MODULE_MAX_SEGS	    16

struct module_seg {
	__u64 offset; /* p_offset */
	__u64 vaddr;  /* p_vaddr */
	__u64 filesz;
};

struct module {
	int idx;	  /* in the cache: stable for the run */
	char *path;	  /* as /proc/PID/maps names it: untrusted bytes, escape before printing */
	const char *name; /* the last component of path */
	dev_t dev;
	ino_t ino;
	int fd;		/* the mapped file, or -1 (too many open; reopened by path if it matches) */
	bool exec_type; /* ET_EXEC: addresses are absolute, never biased */
	bool vdso;	/* the kernel's vDSO (a copy of sysray's own, which is the same) */
	__u8 build_id[MODULE_BUILD_ID_MAX];
	size_t build_id_len;
	struct module_seg segs[MODULE_MAX_SEGS];
	int nsegs;
};

struct module_cache;

int module_cache__new(struct module_cache **out);
/*
 * The module of the regular file open at fd, mapped from path: an existing one with the
 * same device and inode (fd is then closed), or a new one that keeps fd. NULL when the
 * file is not a readable ELF or memory runs out (fd is closed).
 */
struct module *module_cache__add(struct module_cache *c, int fd, const char *path);
/* The module of this device and inode, if known (no file is opened). */
struct module *module_cache__find(struct module_cache *c, dev_t dev, ino_t ino);
/* The vDSO, read from sysray's own mapping once; NULL if it has none. */
struct module *module_cache__vdso(struct module_cache *c);
struct module *module_cache__at(struct module_cache *c, int idx);
int module_cache__count(const struct module_cache *c);
void module_cache__free(struct module_cache *c);

/*
 * The load bias of a mapping of m at start from file offset pgoff: what to subtract from
 * an address in it to get the ELF virtual address. 0 for ET_EXEC.
 */
__u64 module_bias(const struct module *m, __u64 start, __u64 pgoff);
/* A new descriptor of the module's file (the kept one, duplicated), or -errno. */
int module_open(const struct module *m);
/* The build-id as lowercase hex into buf[2 * MODULE_BUILD_ID_MAX + 1]; "" if none. */
const char *module_build_id_hex(const struct module *m, char *buf);

#endif /* SYSRAY_STACKS_MODULES_H */
