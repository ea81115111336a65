// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <elfutils/libdwelf.h>
#include "stacks/debuginfo.h"

#define SYSTEM_DEBUG_DIR "/usr/lib/debug"

/* Whether the file at fd is an ELF file with this build-id. */
static bool same_build_id(int fd, const unsigned char *id, int len)
{
	Elf *elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	const void *got = NULL;
	bool same;

	same = elf && dwelf_elf_gnu_build_id(elf, &got) == len && !memcmp(got, id, len);
	elf_end(elf);
	return same;
}

static int open_by_build_id(const char *dir, const unsigned char *id, int len, char **name)
{
	char path[4096];
	int n, fd;
	struct stat st;

	n = snprintf(path, sizeof(path), "%s/.build-id/%02x/", dir, id[0]);
	for (int i = 1; i < len && n < (int)sizeof(path) - 8; i++)
		n += snprintf(path + n, sizeof(path) - n, "%02x", id[i]);
	snprintf(path + n, sizeof(path) - n, ".debug");
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || !same_build_id(fd, id, len)) {
		close(fd);
		return -ENOENT;
	}
	*name = strdup(path);
	return fd;
}

static int find_debuginfo(Dwfl_Module *mod, void **userdata, const char *modname, Dwarf_Addr base,
			  const char *file_name, const char *debuglink_file,
			  GElf_Word debuglink_crc, char **debuginfo_file_name)
{
	const struct debug_dirs *d = *userdata;
	const unsigned char *id;
	GElf_Addr vaddr;
	int len, fd = -ENOENT;

	(void)modname, (void)base, (void)file_name, (void)debuglink_file, (void)debuglink_crc;
	len = dwfl_module_build_id(mod, &id, &vaddr);
	if (len <= 0)
		return -1;
	for (int i = 0; d && i < d->n && fd < 0; i++)
		fd = open_by_build_id(d->dirs[i], id, len, debuginfo_file_name);
	if (fd < 0)
		fd = open_by_build_id(SYSTEM_DEBUG_DIR, id, len, debuginfo_file_name);
	return fd < 0 ? -1 : fd;
}

static const Dwfl_Callbacks callbacks = {
	.find_elf = NULL,
	.find_debuginfo = find_debuginfo,
};

const Dwfl_Callbacks *debuginfo_callbacks(void)
{
	return &callbacks;
}

void debuginfo_attach(Dwfl_Module *mod, const struct debug_dirs *dirs)
{
	void **ud = NULL;

	dwfl_module_info(mod, &ud, NULL, NULL, NULL, NULL, NULL, NULL);
	if (ud)
		*ud = (void *)dirs;
}
