// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include "lib/csv.h"
#include "lib/json.h"
#include "lib/syscalls.h"
#include "report/report_csv.h"
#include "report/report_stats.h"

/* Indexes of P50, P90 and P99 in report_pcts. */
static const int pct_idx[] = { 0, 2, 4 };

static int put_row(FILE *f, const struct profile *p, int abi, int nr)
{
	const struct sc_stat *s = &p->total.sc[abi][nr];
	const struct sc_detail *d = p->detail[abi][nr];
	__u64 pct[REPORT_NR_PCTS] = { 0 };
	char name[SYSCALL_NAME_BUF], mean[JSON_DOUBLE_BUF] = "0";
	int err;

	if (d && d->hist.count) {
		err = hist__percentiles(&d->hist, report_pcts, REPORT_NR_PCTS, pct);
		if (err)
			return err;
		json_double_text(mean, hist__mean(&d->hist));
	}
	csv_fputs(f, syscall_name(abi, nr, name, sizeof(name)));
	fprintf(f, ",%s,%llu,%llu,%llu,%llu,%s", abi_name(abi), (unsigned long long)s->calls,
		(unsigned long long)s->errors, (unsigned long long)s->unfinished,
		(unsigned long long)s->total_ns, mean);
	for (size_t i = 0; i < sizeof(pct_idx) / sizeof(pct_idx[0]); i++)
		fprintf(f, ",%llu", (unsigned long long)pct[pct_idx[i]]);
	fprintf(f, ",%llu" CSV_EOL, (unsigned long long)(s->timed ? s->max_ns : 0));
	return 0;
}

static int put_rows(FILE *f, const struct profile *p, const struct report_text_opts *o)
{
	int *nrs = malloc(SYSRAY_MAX_NR * sizeof(*nrs)), n, err = 0;

	if (!nrs)
		return -ENOMEM;
	for (int abi = 0; abi < SYSRAY_ABI_CNT && !err; abi++) {
		n = abi_name(abi) ? report_text_order(&p->total, abi, o, nrs) : 0;
		if (n < 0) {
			err = n;
			break;
		}
		if (o->top && n > (int)o->top)
			n = o->top;
		for (int i = 0; i < n && !err; i++)
			err = put_row(f, p, abi, nrs[i]);
	}
	free(nrs);
	return err;
}

int report_csv(FILE *f, const struct profile *p, const struct report_text_opts *o)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	int err;

	if (!mem)
		return -ENOMEM;
	fputs(REPORT_CSV_HEADER CSV_EOL, mem);
	err = put_rows(mem, p, o);
	if (fclose(mem) && !err)
		err = -ENOMEM;
	if (!err && (fwrite(buf, 1, len, f) != len || fflush(f)))
		err = -EIO;
	free(buf);
	return err;
}
