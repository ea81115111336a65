/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * User stacks from what the kernel copied at the syscall: the registers and a slice of the
 * stack, unwound with the call frame information (.eh_frame, .debug_frame) of the image's
 * modules through elfutils' libdwfl, as perf --call-graph dwarf does. In frame-pointer mode
 * the slice is small and covers the frameless libc wrapper frames that a frame-pointer
 * walk skips; the kernel's walk continues from where the slice ends.
 */
#ifndef SYSRAY_STACKS_UNWIND_H
#define SYSRAY_STACKS_UNWIND_H

#include <stddef.h>
#include <linux/types.h>
#include "sysray_stacks.h"
#include "stacks/maps.h"

/* Most user frames kept per stack. */
#define UNWIND_MAX_FRAMES 128

/*
 * The user pcs of event e (innermost first: the instruction after the syscall, then
 * return addresses) into pcs[UNWIND_MAX_FRAMES]; fp/nfp: the kernel's frame-pointer walk
 * (frame-pointer mode), else NULL/0. Returns how many; at least the syscall's own pc.
 */
int unwind_event(struct image *im, const struct sysray_stack_event *e, const __u64 *fp, int nfp,
		 __u64 *pcs);
/* The image's unwind state (images__new's unwind_free). */
void unwind_image_free(void *state);

/*
 * Join the frames unwound from the stack slice (cfi[0..ncfi), which starts at the syscall's
 * pc) with the frame-pointer walk (fp[0..nfp), which starts there too): all the slice's
 * frames, then those of the walk that the slice does not reach. Into out[max]; returns how
 * many.
 */
int unwind_splice(const __u64 *cfi, int ncfi, const __u64 *fp, int nfp, __u64 *out, int max);

#endif /* SYSRAY_STACKS_UNWIND_H */
