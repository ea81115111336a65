/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The executable mappings of the process images that made captured calls, read from
 * /proc/PID/maps when their first stack event arrives (the kernel flags it and wakes the
 * consumer) and kept after the process is gone, so that its stacks are unwound and
 * symbolized at the end. An image is a (tgid, exec_id) pair: every execve starts a new one.
 */
#ifndef SYSRAY_STACKS_MAPS_H
#define SYSRAY_STACKS_MAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "stacks/modules.h"

struct mapping {
	__u64 start, end; /* [start, end) */
	__u64 bias;	  /* address - bias = the module's ELF virtual address */
	struct module *mod;
};

struct image {
	__u32 tgid, exec_id;
	struct mapping *maps; /* sorted by start */
	size_t n;
	struct module *exe; /* the program itself (/proc/PID/exe), or NULL */
	bool loaded;	    /* its maps were read (the process was still there) */
	bool inherited;	    /* its parent's maps: its own cannot be read */
	bool fresh;	    /* just read: the event that created it needs no second read */
	__u64 read_ns;	    /* when its maps were last read (CLOCK_MONOTONIC) */
	void *unwind;	    /* the unwinder's state for this image (unwind.c) */
	unsigned long used; /* for the LRU */
};

struct images;

/* unwind_free: frees an image's unwind state when the image is dropped (may be NULL). */
int images__new(struct module_cache *mods, void (*unwind_free)(void *), struct images **out);
/*
 * The image (tgid, exec_id), created on first sight: its maps are read from /proc now,
 * which fails (loaded false) for a process already gone. NULL only without memory. Past
 * the limit of images kept, the least recently used one is dropped.
 */
struct image *images__get(struct images *s, __u32 tgid, __u32 exec_id);
/*
 * A child gone before its maps were read, forked from parent without an execve since:
 * it mapped what its parent did. Copies the parent's maps (read now if new); 0 or -errno.
 */
int images__inherit(struct images *s, struct image *child, __u32 parent);
/*
 * Read the maps of a live image again (after a dlopen); 0 or -errno. With rate_limit, not
 * if they were read in the last second.
 */
int images__reread(struct images *s, struct image *im, bool rate_limit);
/* The mapping holding addr, or NULL. */
const struct mapping *image_lookup(const struct image *im, __u64 addr);
/* Images that could not be read (gone before their first event was read). */
__u64 images__missed(const struct images *s);
void images__free(struct images *s);

/*
 * Parse one line of /proc/PID/maps: the range, the offset, device and inode, and the path
 * (pointing into line, or "" for anonymous memory). 0, or -EINVAL for a line that is not one.
 */
struct maps_line {
	__u64 start, end, pgoff, inode;
	unsigned int major, minor;
	bool exec;
	const char *path;
};
int maps_parse_line(char *line, struct maps_line *out);

#endif /* SYSRAY_STACKS_MAPS_H */
