/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Captured calls aggregated by what they have in common: syscall, command name, the
 * program, the kernel stack and the user frames as (module, address in the module), so
 * the same code path of many processes (or of one run again and again) is one entry.
 * Memory is bounded: past the limit of entries, calls are counted as not kept.
 */
#ifndef SYSRAY_STACKS_TABLE_H
#define SYSRAY_STACKS_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

/* A user frame: an address in a module's ELF virtual addresses, or a raw pc (mod -1). */
struct frame_ref {
	__s32 mod;
	__u32 pad;
	__u64 addr; /* the pc: for return addresses the instruction after the call */
};

struct stack_key {
	__u16 nr;
	__u8 abi;
	__u8 pad;
	__s32 exe;    /* the program's module, -1 if unknown */
	__s32 kstack; /* kernel stack map id of the longest wait, < 0 for none */
	__u32 nframes;
	char comm[16];
	struct frame_ref frames[]; /* innermost first */
};

/* One captured call, with its weight: it stands for 1/p calls (p: its chance of capture). */
struct stack_sample {
	__u64 dur_ns;
	bool error;
	double weight; /* 1/p */
	__u64 time_ns; /* dur_ns / p, an integer: dur_ns, or the sampling period */
};

struct stack_entry {
	__u64 captured; /* calls captured, exactly */
	double calls;	/* estimated calls: the sum of the weights */
	double errors;	/* estimated errors */
	__u64 time_ns;	/* estimated time: the sum of time_ns */
	__u64 max_ns;	/* the longest captured call */
	__u64 hash;
	struct stack_key key; /* last: its frames follow */
};

struct stack_table;

int stack_table__new(size_t max_entries, struct stack_table **out);
/* Add a sample to the entry of key (created on first sight); -ENOSPC when full. */
int stack_table__add(struct stack_table *t, const struct stack_key *key,
		     const struct stack_sample *s);
size_t stack_table__count(const struct stack_table *t);
const struct stack_entry *stack_table__at(const struct stack_table *t, size_t i);
void stack_table__free(struct stack_table *t);

static inline size_t stack_key_size(const struct stack_key *k)
{
	return sizeof(*k) + k->nframes * sizeof(k->frames[0]);
}

#endif /* SYSRAY_STACKS_TABLE_H */
