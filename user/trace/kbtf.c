// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <dlfcn.h>
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/btf.h>
#include <bpf/btf.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include "trace/kbtf.h"

#define VMLINUX_BTF "/sys/kernel/btf/vmlinux"

/* The whole file: mapped if the kernel allows it, else read. */
static int load(void **data, size_t *len, bool *mapped)
{
	int fd = open(VMLINUX_BTF, O_RDONLY | O_CLOEXEC), err = 0;
	struct stat st;
	size_t off = 0;
	char *buf;

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) || st.st_size <= (off_t)sizeof(struct btf_header)) {
		close(fd);
		return -EINVAL;
	}
	*len = st.st_size;
	*data = mmap(NULL, *len, PROT_READ, MAP_PRIVATE, fd, 0);
	*mapped = *data != MAP_FAILED;
	if (*mapped) {
		close(fd);
		return 0;
	}
	buf = malloc(*len);
	while (buf && off < *len) {
		ssize_t n = read(fd, buf + off, *len - off);

		if (n <= 0) {
			err = n ? -errno : -EIO;
			break;
		}
		off += n;
	}
	close(fd);
	if (!buf || err) {
		free(buf);
		return buf ? err : -ENOMEM;
	}
	*data = buf;
	return 0;
}

/* Bytes that follow a struct btf_type of this kind and vlen; -1 for a kind not known. */
static long extra(unsigned int kind, unsigned int vlen)
{
	switch (kind) {
	case BTF_KIND_INT:
	case BTF_KIND_VAR:
	case BTF_KIND_DECL_TAG:
		return 4;
	case BTF_KIND_ARRAY:
		return sizeof(struct btf_array);
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
	case BTF_KIND_DATASEC:
	case BTF_KIND_ENUM64:
		return 12L * vlen;
	case BTF_KIND_ENUM:
	case BTF_KIND_FUNC_PROTO:
		return 8L * vlen;
	case BTF_KIND_PTR:
	case BTF_KIND_FWD:
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_FUNC:
	case BTF_KIND_FLOAT:
	case BTF_KIND_TYPE_TAG:
		return 0;
	}
	return -1;
}

static int cmp_name(const void *key, const void *elem)
{
	return strcmp(key, *(const char *const *)elem);
}

static int scan(const char *data, size_t len, const char *const *names, size_t n, __u32 *ids)
{
	const struct btf_header *h = (const void *)data;
	const char *types, *strs, *end;
	__u32 id = 1; /* type ids count from 1 (0 is void) */

	if (h->magic != BTF_MAGIC || h->hdr_len > len ||
	    (size_t)h->hdr_len + h->type_off + h->type_len > len ||
	    (size_t)h->hdr_len + h->str_off + h->str_len > len || !h->str_len)
		return -EINVAL;
	types = data + h->hdr_len + h->type_off;
	end = types + h->type_len;
	strs = data + h->hdr_len + h->str_off;
	while (types + sizeof(struct btf_type) <= end) {
		const struct btf_type *t = (const void *)types;
		long more = extra(BTF_INFO_KIND(t->info), BTF_INFO_VLEN(t->info));
		const char *const *hit;

		if (more < 0)
			return -EINVAL;
		if (BTF_INFO_KIND(t->info) == BTF_KIND_FUNC && t->name_off < h->str_len &&
		    memchr(strs + t->name_off, 0, h->str_len - t->name_off)) {
			hit = bsearch(strs + t->name_off, names, n, sizeof(*names), cmp_name);
			if (hit)
				ids[hit - names] = id;
		}
		types += sizeof(*t) + more;
		id++;
	}
	return types == end ? 0 : -EINVAL;
}

int kbtf_find_funcs(const char *const *names, size_t n, __u32 *ids)
{
	bool mapped = false;
	size_t len = 0;
	void *data = NULL;
	int err;

	memset(ids, 0, n * sizeof(*ids));
	err = load(&data, &len, &mapped);
	if (err)
		return err;
	err = scan(data, len, names, n, ids);
	if (mapped)
		munmap(data, len);
	else
		free(data);
	return err;
}

/*
 * libbpf 1.1 reads the kernel's BTF with read(): 1348 system calls of at most 4 KiB each
 * (sysfs), and 5.5 MB of fresh pages written twice (its read buffer, then the copy it
 * keeps): the largest part of sysray's start-up (docs/design.md, "Start-up"). This
 * definition takes the place of libbpf's, which libbpf calls through its PLT: the same BTF,
 * from a mapping of the file where the kernel allows it (Linux 6.16 and later), so that
 * only the copy is written; elsewhere libbpf's own function does the work. A static
 * binary links libbpf's definition itself, so there this one is left out.
 */
#ifndef SYSRAY_STATIC
struct btf *btf__load_vmlinux_btf(void)
{
	struct btf *(*libbpf_own)(void);
	bool mapped = false;
	size_t len = 0;
	void *data = NULL;

	if (!load(&data, &len, &mapped) && mapped) {
		struct btf *btf = btf__new(data, len);

		munmap(data, len);
		if (btf)
			return btf;
	} else if (data) {
		free(data);
	}
	libbpf_own = (struct btf * (*)(void)) dlsym(RTLD_NEXT, "btf__load_vmlinux_btf");
	if (!libbpf_own) {
		errno = ENOENT;
		return NULL;
	}
	return libbpf_own();
}
#endif
