/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The state of the stacks sink, shared by its files: capture, view and the renderers. */
#ifndef SYSRAY_STACKS_PRIV_H
#define SYSRAY_STACKS_PRIV_H

#include <stdio.h>
#include "stacks/debuginfo.h"
#include "stacks/ksyms.h"
#include "stacks/maps.h"
#include "stacks/modules.h"
#include "stacks/stacks_sink.h"
#include "stacks/symbolize.h"
#include "stacks/table.h"

/* A frame of a report: resolved, or an address that could not be. */
struct vframe {
	const char *func; /* NULL: unknown */
	const char *file; /* NULL: no source line */
	unsigned int line;
	bool inlined;
	bool kernel;
	const struct module *mod; /* user frames: the module, or NULL (unknown) */
	__u64 addr;		  /* user: the pc in the module (or raw); kernel: the address */
};

/* A code path of one syscall with its totals; frames innermost first, kernel ones first. */
struct vstack {
	int abi, nr;
	const char *comm; /* in the per-command list (folded), else NULL */
	const struct module *exe;
	__u64 captured, time_ns, max_ns;
	double calls, errors;
	struct vframe *frames;
	int nframes;
};

/* The report's view of the table: built at a snapshot and at stop. */
struct stack_view {
	struct vstack *by_comm; /* one per table entry: for folded output */
	size_t n_by_comm;
	struct vstack *merged; /* across commands, by syscall then time: text and JSON */
	size_t n_merged;
	__u64 captured; /* calls captured, in all */
	int no_dwarf, no_symbols;
	bool kernel_syms; /* /proc/kallsyms was read */
};

/* Counts of userspace: what happened to events after they arrived. */
struct stacks_counts {
	__u64 received;	  /* events delivered */
	__u64 queue_full; /* dropped: the queue of events to unwind was full */
	__u64 table_full; /* not kept: the table of code paths was full */
	__u64 bad;	  /* malformed events (never expected) */
	__u64 no_maps;	  /* events of images whose maps could not be read */
	__u64 fp_missing; /* frame-pointer mode: the kernel's stack id was gone */
};

struct stacks {
	struct stacks_sink_opts o;
	struct debug_dirs dirs;
	struct report_extra extra;
	const struct sink_stack_source *src;
	struct module_cache *mods;
	struct images *images;
	struct stack_table *table;
	unsigned char *queue; /* events waiting to be unwound, back to back, 8-aligned */
	size_t qlen, qcap;
	__u64 next_tick;
	__u64 **fp_cache; /* frame-pointer mode: ips of a stack id, [0] = count */
	struct stacks_counts counts;
	__u64 kstats[SYSRAY_STACK_STAT_CNT];
	struct symbolizer *sym;
	struct ksyms *ksyms;
	int ksyms_err;
	struct stack_view view;
};

/* capture.c: queue an event; unwind and aggregate the queued ones. */
int stacks_queue(struct stacks *s, const struct sysray_stack_event *e, size_t size);
int stacks_drain(struct stacks *s);
void stacks_capture_free(struct stacks *s);

/* view.c: symbolize the table into s->view (replacing the last one). */
int stacks_view_build(struct stacks *s);
void stacks_view_free(struct stack_view *v);
/* The merged stacks of syscall (abi, nr): *first and how many, by time descending. */
size_t stacks_view_syscall(const struct stack_view *v, int abi, int nr,
			   const struct vstack **first);

/* Renderers (stacks_text.c, stacks_json.c, stacks_folded.c, by_function.c). */
int stacks_text(void *ctx, FILE *f);
int stacks_json_syscall(void *ctx, struct json_writer *w, int abi, int nr);
int stacks_json(void *ctx, struct json_writer *w);
int stacks_folded(void *ctx, FILE *f);
/* The frame as text: "func (file:line)", "func [module]", "0xADDR [module]"; escaped. */
void stacks_frame_text(const struct vframe *fr, char *buf, size_t len);
/* The totals line of what was captured and lost, for text; 1 if anything was lost. */
int stacks_summary_text(const struct stacks *s, FILE *f);
/* The same as a report_extra callback (the HTML page). */
int stacks_summary(void *ctx, FILE *f);

/* --by-function (by_function.c): the table in text, and as the JSON "functions". */
int stacks_by_function_text(struct stacks *s, FILE *f);
int stacks_by_function_json(struct stacks *s, struct json_writer *w);

#endif /* SYSRAY_STACKS_PRIV_H */
