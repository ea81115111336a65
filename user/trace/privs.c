// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/capability.h>
#include <bpf/libbpf.h>
#include "trace/privs.h"
#include "lib/log.h"

#ifndef CAP_PERFMON
#define CAP_PERFMON 38
#endif
#ifndef CAP_BPF
#define CAP_BPF 39
#endif

static int has_cap(const struct __user_cap_data_struct *d, int cap)
{
	return !!(d[cap / 32].effective & (1U << (cap % 32)));
}

int privs_check(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2];
	int bpf, perfmon;

	memset(data, 0, sizeof(data));
	if (syscall(SYS_capget, &hdr, data)) {
		p_err("cannot read capabilities: %s", strerror(errno));
		return -errno;
	}
	/* Tracing programs need CAP_BPF and CAP_PERFMON; CAP_SYS_ADMIN implies both. */
	if (has_cap(data, CAP_SYS_ADMIN))
		return 0;
	bpf = has_cap(data, CAP_BPF);
	perfmon = has_cap(data, CAP_PERFMON);
	if (bpf && perfmon)
		return 0;
	p_err("missing %s%s%s: run as root, or grant CAP_BPF and CAP_PERFMON", bpf ? "" : "CAP_BPF",
	      !bpf && !perfmon ? " and " : "", perfmon ? "" : "CAP_PERFMON");
	return -EPERM;
}

int btf_check(void)
{
	if (access("/sys/kernel/btf/vmlinux", R_OK) == 0)
		return 0;
	p_err("the kernel has no BTF (/sys/kernel/btf/vmlinux: %s); sysray needs a kernel "
	      "built with CONFIG_DEBUG_INFO_BTF=y",
	      strerror(errno));
	return -ENOENT;
}

int features_check(void)
{
	/*
	 * What a kernel with BTF may still lack, probed without loading anything; the rest
	 * (tp_btf 5.5, bpf_get_current_task_btf 5.11) is refused by the load itself.
	 */
	static const struct {
		enum bpf_map_type map;
		const char *what, *since;
	} need[] = {
		{ BPF_MAP_TYPE_RINGBUF, "the BPF ring buffer", "5.8" },
	};

	for (size_t i = 0; i < sizeof(need) / sizeof(need[0]); i++) {
		/* A probe that cannot run (no privileges) is left to the load to report. */
		if (libbpf_probe_bpf_map_type(need[i].map, NULL) == 0) {
			p_err(
			    "this kernel lacks %s (Linux %s and later); sysray is proven on Linux "
			    "6.1 and later (docs/portability.md)",
			    need[i].what, need[i].since);
			return -EOPNOTSUPP;
		}
	}
	return 0;
}
