// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "lib/log.h"
#include "report/deliver.h"

int report_deliver(struct output *o, const struct report_opts *ro, const struct profile *p,
		   const char *what)
{
	bool on_stderr = output__failed(o);
	int err = report_write(output__file(o), ro, p), e = output__end_report(o);
	char kept[160] = "";

	/* The stream's errno is the real one; report_write() only saw that it failed. */
	if (e)
		err = e;
	if (!err)
		return 0;
	if (on_stderr) {
		p_err("cannot write %s to stderr: %s", what, strerror(-err));
		return err;
	}
	if (!output__fail(o, err)) {
		p_err("cannot write %s to '%s': %s", what, output__name(o), strerror(-err));
		return err;
	}
	if (output__kept(o))
		snprintf(kept, sizeof(kept), "; '%s' keeps the %u whole report%s before it",
			 output__name(o), output__kept(o), output__kept(o) == 1 ? "" : "s");
	p_err("cannot write %s to '%s': %s%s; it and the rest of the run follow on stderr", what,
	      output__name(o), strerror(-err), kept);
	e = report_write(output__file(o), ro, p);
	if (!e)
		e = output__end_report(o);
	if (e)
		p_err("cannot write %s to stderr either: %s", what, strerror(-e));
	return err;
}
