// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <linux/capability.h>
#include <bpf/libbpf.h>
#include "trace/privs.h"
#include "trace/tracer.h"
#include "lib/log.h"

#ifndef CAP_PERFMON
#define CAP_PERFMON 38
#endif
#ifndef CAP_BPF
#define CAP_BPF 39
#endif
#define CAP_MAX 63

struct caps {
	__u64 eff, perm, inh;
};

static int caps_get(struct caps *c)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2];

	memset(d, 0, sizeof(d));
	if (syscall(SYS_capget, &hdr, d))
		return -errno;
	c->eff = d[0].effective | (__u64)d[1].effective << 32;
	c->perm = d[0].permitted | (__u64)d[1].permitted << 32;
	c->inh = d[0].inheritable | (__u64)d[1].inheritable << 32;
	return 0;
}

static int caps_set(const struct caps *c)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2] = {
		{ (__u32)c->eff, (__u32)c->perm, (__u32)c->inh },
		{ c->eff >> 32, c->perm >> 32, c->inh >> 32 },
	};

	return syscall(SYS_capset, &hdr, d) ? -errno : 0;
}

int privs_check(void)
{
	struct caps c;
	int bpf, perfmon, err = caps_get(&c);

	if (err) {
		p_err("cannot read capabilities: %s", strerror(-err));
		return err;
	}
	/* Tracing programs need CAP_BPF and CAP_PERFMON; CAP_SYS_ADMIN implies both. */
	if (c.eff & PRIVS_CAP(CAP_SYS_ADMIN))
		return 0;
	bpf = !!(c.eff & PRIVS_CAP(CAP_BPF));
	perfmon = !!(c.eff & PRIVS_CAP(CAP_PERFMON));
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

__u64 privs_write_needs(int dirfd, const char *name, bool file)
{
	const __u64 dac =
	    PRIVS_CAP(CAP_DAC_OVERRIDE) | PRIVS_CAP(CAP_DAC_READ_SEARCH) | PRIVS_CAP(CAP_FOWNER);
	struct caps c, low;
	struct stat dst, st;
	bool exists;
	__u64 need = 0;

	if (dirfd < 0 || caps_get(&c) || fstat(dirfd, &dst))
		return 0;
	exists = !fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW);
	low = c;
	low.eff &= ~dac;
	/* AT_EACCESS: checked with the lowered effective set, as the kernel will later. */
	if (!caps_set(&low)) {
		if (faccessat(dirfd, ".", W_OK | X_OK, AT_EACCESS) ||
		    (file && exists && S_ISREG(st.st_mode) &&
		     faccessat(dirfd, name, W_OK, AT_EACCESS | AT_SYMLINK_NOFOLLOW)))
			need |= PRIVS_CAP(CAP_DAC_OVERRIDE);
		caps_set(&c);
	}
	/* A sticky directory: only the owner of a file or of the directory may replace it. */
	if ((dst.st_mode & S_ISVTX) && exists && st.st_uid != geteuid() && dst.st_uid != geteuid())
		need |= PRIVS_CAP(CAP_FOWNER);
	return need;
}

static const char *const cap_names[] = {
	[CAP_CHOWN] = "CAP_CHOWN",
	[CAP_DAC_OVERRIDE] = "CAP_DAC_OVERRIDE",
	[CAP_DAC_READ_SEARCH] = "CAP_DAC_READ_SEARCH",
	[CAP_FOWNER] = "CAP_FOWNER",
	[CAP_KILL] = "CAP_KILL",
	[CAP_SYS_PTRACE] = "CAP_SYS_PTRACE",
	[CAP_SYS_ADMIN] = "CAP_SYS_ADMIN",
	[CAP_SYSLOG] = "CAP_SYSLOG",
	[CAP_PERFMON] = "CAP_PERFMON",
	[CAP_BPF] = "CAP_BPF",
	[CAP_CHECKPOINT_RESTORE] = "CAP_CHECKPOINT_RESTORE",
};

const char *privs_names(__u64 caps, char *buf, unsigned int len)
{
	unsigned int n = 0;

	buf[0] = 0;
	for (int i = 0; i <= CAP_MAX && n < len; i++) {
		if (!(caps & PRIVS_CAP(i)))
			continue;
		if (i < (int)ARRAY_SIZE(cap_names) && cap_names[i])
			n += snprintf(buf + n, len - n, "%s%s", n ? "," : "", cap_names[i]);
		else
			n += snprintf(buf + n, len - n, "%scap_%d", n ? "," : "", i);
	}
	if (!n)
		snprintf(buf, len, "none");
	return buf;
}

/* Lower the effective set to want and see whether the poll loop's BPF commands still work. */
static int probe(struct tracer *t, const struct caps *c, __u64 want)
{
	struct caps low = *c;
	int err;

	low.eff = want & c->perm;
	err = caps_set(&low);
	if (!err)
		err = tracer__probe_access(t);
	return err;
}

/* The bounding set, so that even an exec as root could not get the rest back. */
static void drop_bounding(__u64 keep)
{
	for (int cap = 0; cap <= CAP_MAX; cap++) {
		int in = prctl(PR_CAPBSET_READ, cap);

		if (in < 0) /* past the kernel's last capability */
			break;
		if (in && !(keep & PRIVS_CAP(cap)))
			prctl(PR_CAPBSET_DROP, cap);
	}
}

int privs_drop(struct tracer *t, __u64 keep, __u64 *kept)
{
	struct caps c, final;
	int err = caps_get(&c);

	if (err)
		return err;
	keep &= c.perm;
	err = probe(t, &c, keep);
	if (err == -EPERM) {
		/* Before Linux 6.5 every bpf() command wants CAP_BPF (or CAP_SYS_ADMIN). */
		keep |= c.perm & PRIVS_CAP(CAP_BPF) ? PRIVS_CAP(CAP_BPF) : PRIVS_CAP(CAP_SYS_ADMIN);
		keep &= c.perm;
		err = probe(t, &c, keep);
	}
	if (err) {
		caps_set(&c);
		return err;
	}
	/* CAP_SETPCAP is still in the permitted set: raise it for the bounding set's sake. */
	final = c;
	final.eff = c.perm & (keep | PRIVS_CAP(CAP_SETPCAP));
	if (!caps_set(&final))
		drop_bounding(keep);
	final = (struct caps){ .eff = keep, .perm = keep };
	err = caps_set(&final);
	if (!err && prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) && errno != EINVAL)
		err = -errno;
	/* Nothing sysray runs from now on can gain privileges (it runs nothing, so far). */
	if (!err && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		err = -errno;
	if (!err)
		*kept = keep;
	return err;
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
