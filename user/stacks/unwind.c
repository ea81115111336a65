// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <elfutils/libdwfl.h>
#include "arch.h"
#include "stacks/debuginfo.h"
#include "stacks/unwind.h"

/* What the callbacks see of the event being unwound. */
struct uw_event {
	const __u64 *regs;
	const __u8 *stack;
	__u64 sp;
	size_t len;
	pid_t tid;
};

struct uw_state {
	Dwfl *dwfl;
	struct uw_event cur;
};

struct uw_out {
	__u64 *pcs;
	int n;
	Dwarf_Word last_sp;
};

static pid_t next_thread(Dwfl *dwfl, void *arg, void **thread_argp)
{
	struct uw_state *s = arg;

	(void)dwfl;
	if (*thread_argp)
		return 0;
	*thread_argp = s;
	return s->cur.tid;
}

static bool get_thread(Dwfl *dwfl, pid_t tid, void *arg, void **thread_argp)
{
	struct uw_state *s = arg;

	(void)dwfl;
	*thread_argp = s;
	return tid == s->cur.tid;
}

/* Only the copied slice of the stack can be read: unwinding stops where it ends. */
static bool memory_read(Dwfl *dwfl, Dwarf_Addr addr, Dwarf_Word *result, void *arg)
{
	struct uw_state *s = arg;

	(void)dwfl;
	if (addr < s->cur.sp || addr - s->cur.sp + sizeof(*result) > s->cur.len)
		return false;
	memcpy(result, s->cur.stack + (addr - s->cur.sp), sizeof(*result));
	return true;
}

static bool set_initial_registers(Dwfl_Thread *thread, void *thread_arg)
{
	struct uw_state *s = thread_arg;

	/* The pc explicitly: only x86-64 numbers it as a DWARF register (the return column). */
	if (!dwfl_thread_state_registers(thread, 0, ARCH_DWARF_NREGS,
					 (const Dwarf_Word *)s->cur.regs))
		return false;
	dwfl_thread_state_register_pc(thread, s->cur.regs[ARCH_DWARF_IP]);
	return true;
}

static const Dwfl_Thread_Callbacks thread_cbs = {
	.next_thread = next_thread,
	.get_thread = get_thread,
	.memory_read = memory_read,
	.set_initial_registers = set_initial_registers,
};

void unwind_image_free(void *state)
{
	struct uw_state *s = state;

	if (!s)
		return;
	dwfl_end(s->dwfl);
	free(s);
}

/* A libdwfl session with the image's modules at their load addresses. */
static struct uw_state *image_state(struct image *im)
{
	struct uw_state *s = calloc(1, sizeof(*s));

	if (!s || !(s->dwfl = dwfl_begin(debuginfo_callbacks()))) {
		free(s);
		return NULL;
	}
	dwfl_report_begin(s->dwfl);
	for (size_t i = 0; i < im->n; i++) {
		const struct mapping *m = &im->maps[i];
		bool seen = false;
		int fd;

		for (size_t j = 0; j < i && !seen; j++)
			seen = im->maps[j].mod == m->mod;
		fd = seen ? -1 : module_open(m->mod);
		if (fd < 0)
			continue;
		/* On success libdwfl owns fd. */
		if (!dwfl_report_elf(s->dwfl, m->mod->name, m->mod->path, fd, m->bias, true))
			close(fd);
	}
	dwfl_report_end(s->dwfl, NULL, NULL);
	if (!dwfl_attach_state(s->dwfl, NULL, im->tgid, &thread_cbs, s)) {
		unwind_image_free(s);
		return NULL;
	}
	return s;
}

static int frame_cb(Dwfl_Frame *frame, void *arg)
{
	struct uw_out *o = arg;
	Dwarf_Addr pc;
	Dwarf_Word sp = 0;

	if (o->n >= UNWIND_MAX_FRAMES || !dwfl_frame_pc(frame, &pc, NULL) || !pc)
		return DWARF_CB_ABORT;
	/* The same pc at the same stack pointer: the unwinder is going nowhere (recursion is
	 * the same pc deeper in the stack). */
	if (dwfl_frame_reg(frame, ARCH_DWARF_SP, &sp) == 0 && o->n && o->pcs[o->n - 1] == pc &&
	    sp == o->last_sp)
		return DWARF_CB_ABORT;
	o->last_sp = sp;
	o->pcs[o->n++] = pc;
	return DWARF_CB_OK;
}

int unwind_splice(const __u64 *cfi, int ncfi, const __u64 *fp, int nfp, __u64 *out, int max)
{
	int n = 0, j = 1;

	/*
	 * The slice's frames are exact but stop where the slice ends; the walk goes deeper but
	 * skips frameless functions, so its frames are a subsequence of the true stack, and the
	 * slice's a prefix of it: matched in order (recursion repeats pcs), the walk's frames
	 * that the slice does not reach are those after the last one matched.
	 */
	for (int i = 1; i < ncfi && j < nfp; i++)
		if (cfi[i] == fp[j])
			j++;
	for (int k = 0; k < ncfi && n < max; k++)
		out[n++] = cfi[k];
	for (int k = j; k < nfp && n < max; k++)
		out[n++] = fp[k];
	return n;
}

int unwind_event(struct image *im, const struct sysray_stack_event *e, const __u64 *fp, int nfp,
		 __u64 *pcs)
{
	__u64 cfi[UNWIND_MAX_FRAMES];
	struct uw_out o = { .pcs = cfi };
	struct uw_state *s;
	int n;

	cfi[0] = e->regs[ARCH_DWARF_IP];
	o.n = 1;
	/* The registers are the 64-bit ones: a 32-bit process gets the kernel's walk only. */
	s = im->loaded && e->abi != SYSRAY_ABI_COMPAT ? im->unwind : NULL;
	if (im->loaded && e->abi != SYSRAY_ABI_COMPAT && !s)
		s = im->unwind = image_state(im);
	if (s) {
		s->cur = (struct uw_event){ .regs = e->regs,
					    .stack = e->stack + e->ips_bytes,
					    .sp = e->regs[ARCH_DWARF_SP],
					    .len = e->stack_len,
					    .tid = e->tid };
		o.n = 0;
		dwfl_getthread_frames(s->dwfl, e->tid, frame_cb, &o);
		if (!o.n)
			cfi[o.n++] = e->regs[ARCH_DWARF_IP];
	}
	if (!fp || !nfp) {
		memcpy(pcs, cfi, o.n * sizeof(*pcs));
		return o.n;
	}
	n = unwind_splice(cfi, o.n, fp, nfp, pcs, UNWIND_MAX_FRAMES);
	/*
	 * Past the outermost frame (_start) or a function that uses the frame pointer register
	 * for data, the walk reads garbage: in a process whose maps are known, it ends at the
	 * first return address that is in none of them.
	 */
	for (int i = o.n; im->loaded && i < n; i++)
		if (!image_lookup(im, pcs[i]))
			return i;
	return n;
}
