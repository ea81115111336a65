// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The stack options (rows of cli/options.c): parsing, then the checks across them. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "cli/opts.h"
#include "cli/values.h"
#include "lib/errmsg.h"

#define US 1000ULL
#define MS (1000 * US)
#define S  (1000 * MS)

/* --stacks alone: one stack per this much syscall time (docs/stacks.md). */
#define DEFAULT_PERIOD_NS (100 * US)
/* Stacks a second per CPU at most: a DWARF event copies and unwinds kilobytes. */
#define DEFAULT_RATE_FP	   2000
#define DEFAULT_RATE_DWARF 200
#define DEFAULT_COPY_DWARF 8192

static int add_debug_dir(struct cli_config *c, const char *dir)
{
	const char **a = realloc(c->debug_dirs, (c->stack.nr_debug_dirs + 1) * sizeof(*a));

	if (!a)
		return -ENOMEM;
	a[c->stack.nr_debug_dirs++] = dir;
	c->debug_dirs = a;
	return 0;
}

static int parse_count(const char *what, const char *s, unsigned long long max, unsigned int *out,
		       char *err, size_t len)
{
	unsigned long long v;

	if (value_uint(s, 1, max, &v))
		return errmsg(err, len, -EINVAL, "invalid %s: '%s' (an integer from 1 to %llu)",
			      what, s, max);
	*out = v;
	return 0;
}

static int parse_choice(struct cli_config *c, int id, const char *s, char *err, size_t len)
{
	if (id == 'm') {
		if (strcmp(s, "fp") && strcmp(s, "dwarf"))
			return errmsg(err, len, -EINVAL, "invalid --stack-mode: '%s' (fp or dwarf)",
				      s);
		c->stack.cfg.mode = !strcmp(s, "fp") ? SYSRAY_STACKS_FP : SYSRAY_STACKS_DWARF;
		return 0;
	}
	if (strcmp(s, "time") && strcmp(s, "calls"))
		return errmsg(err, len, -EINVAL, "invalid --folded-value: '%s' (time or calls)", s);
	c->stack.folded_calls = !strcmp(s, "calls");
	return 0;
}

static int parse_size(struct cli_config *c, const char *s, char *err, size_t len)
{
	__u64 v;

	if (value_size(s, 1024, SYSRAY_STACK_COPY_MAX, &v) || v % 512)
		return errmsg(err, len, -EINVAL,
			      "invalid --stack-size: '%s' (bytes, a multiple of 512 from 1024 to "
			      "%d)",
			      s, SYSRAY_STACK_COPY_MAX);
	c->stack.cfg.copy_bytes = v;
	return 0;
}

int cli_parse_stacks(struct cli_config *c, int id, const char *s, char *err, size_t len)
{
	struct sysray_stack_cfg *cfg = &c->stack.cfg;

	if (id == 's') {
		c->stacks = true;
		return 0;
	}
	c->stack_opts = true;
	switch (id) {
	case 'm':
	case 'v':
		return parse_choice(c, id, s, err, len);
	case 'k':
		cfg->kernel = 1;
		return 0;
	case 'b':
		c->stack.by_function = true;
		return 0;
	case 'g':
		return add_debug_dir(c, s);
	case 'z':
		return parse_size(c, s, err, len);
	case 'r':
		return parse_count("--stack-rate", s, 1000000, &cfg->max_per_sec, err, len);
	case 't':
		return parse_count("--stack-top", s, 1000000, &c->stack.top_stacks, err, len);
	case 'D':
		return parse_count("--function-depth", s, 64, &c->stack.function_depth, err, len);
	case 'M':
		return parse_count("--stack-map-size", s, SYSRAY_USTACK_MAX, &cfg->ustack_entries,
				   err, len);
	case 'd':
		if (value_duration(s, 1, 3600 * S, &cfg->min_ns))
			return errmsg(err, len, -EINVAL,
				      "invalid --stack-min-duration: '%s' (from 1ns to 1h, e.g. "
				      "5ms, 100us, 1s)",
				      s);
		return 0;
	}
	/* The sampling draw multiplies a 32-bit random number by the period: below 2^32 ns. */
	if (value_duration(s, 1000, 4 * S, &cfg->period_ns))
		return errmsg(err, len, -EINVAL,
			      "invalid --stack-period: '%s' (from 1us to 4s, e.g. 100us)", s);
	return 0;
}

/* Defaults for what was not given, and what the kernel needs (copy size, rate). */
static void complete(struct cli_config *c)
{
	struct sysray_stack_cfg *cfg = &c->stack.cfg;
	bool dwarf = cfg->mode == SYSRAY_STACKS_DWARF;

	if (!cfg->mode)
		cfg->mode = SYSRAY_STACKS_FP;
	if (!cfg->min_ns && !cfg->period_ns)
		cfg->period_ns = DEFAULT_PERIOD_NS;
	if (!cfg->max_per_sec)
		cfg->max_per_sec = dwarf ? DEFAULT_RATE_DWARF : DEFAULT_RATE_FP;
	if (!cfg->ustack_entries)
		cfg->ustack_entries = SYSRAY_USTACK_ENTRIES;
	/* Frame-pointer mode copies the window the libc wrapper frames need. */
	if (!dwarf)
		cfg->copy_bytes = SYSRAY_STACK_WINDOW;
	else if (!cfg->copy_bytes)
		cfg->copy_bytes = DEFAULT_COPY_DWARF;
	c->stack.debug_dirs = c->debug_dirs;
	c->stack.top_syscalls = c->report.text.top;
}

int cli_finish_stacks(struct cli_config *c, char *err, size_t len)
{
	struct sysray_stack_cfg *cfg = &c->stack.cfg;

	if (!c->stacks) {
		if (c->stack_opts)
			return errmsg(err, len, -EINVAL, "the stack options need --stacks");
		if (c->report.format == REPORT_FOLDED)
			return errmsg(err, len, -EINVAL, "--format folded needs --stacks");
		return 0;
	}
	/* An untimed call leaves before the capture: the estimates would be N times short. */
	if (c->sample_every)
		return errmsg(err, len, -EINVAL, "--stacks needs every call timed: drop --sample");
	if (cfg->min_ns && cfg->period_ns)
		return errmsg(err, len, -EINVAL,
			      "give only one of --stack-min-duration and --stack-period");
	if (cfg->copy_bytes && cfg->mode != SYSRAY_STACKS_DWARF)
		return errmsg(err, len, -EINVAL, "--stack-size needs --stack-mode dwarf");
	if (cfg->ustack_entries && cfg->mode == SYSRAY_STACKS_DWARF)
		return errmsg(err, len, -EINVAL, "--stack-map-size is for --stack-mode fp");
	if (c->report.format == REPORT_FOLDED && c->interval_ns)
		return errmsg(err, len, -EINVAL, "--format folded has no interval form (-i)");
	if (c->stack.function_depth && !c->stack.by_function)
		return errmsg(err, len, -EINVAL, "--function-depth needs --by-function");
	complete(c);
	return 0;
}
