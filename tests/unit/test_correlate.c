// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Unit tests of the correlation of window series (user/analysis/correlate*.c). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/correlate.h"
#include "lib/json.h"

/*
 * By hand: x = 1..5, y = 2 4 5 4 5. Means 3 and 4; deviations -2 -1 0 1 2 and -2 0 1 0 1;
 * sxy = 4 + 2 = 6, sxx = 10, syy = 6, so r = 6 / sqrt(60) = sqrt(0.6) = 0.7745966...
 */
Test(correlate, pearson_by_hand)
{
	const float x[] = { 1, 2, 3, 4, 5 }, y[] = { 2, 4, 5, 4, 5 };
	const float neg[] = { 8, 6, 4, 2, 0 }, flat[] = { 3, 3, 3, 3, 3 };
	size_t n;

	cr_expect_float_eq(corr_pearson(x, y, 5, &n), sqrt(0.6), 1e-7);
	cr_expect_eq(n, 5);
	cr_expect_float_eq(corr_pearson(x, neg, 5, &n), -1, 1e-12);
	cr_expect(isnan(corr_pearson(x, flat, 5, &n)), "a constant series has no r");
	cr_expect(isnan(corr_pearson(x, y, 1, &n)));
}

/* Windows where either side has no value are left out of both. */
Test(correlate, pearson_skips_missing_values)
{
	const float x[] = { 1, NAN, 2, 3, 100 }, y[] = { 1, 50, 3, 2, NAN };
	size_t n;

	/* pairs (1,1) (2,3) (3,2): deviations -1 0 1 and -1 1 0, sxy = 1, sxx = syy = 2: 0.5 */
	cr_expect_float_eq(corr_pearson(x, y, 5, &n), 0.5, 1e-12);
	cr_expect_eq(n, 3);
}

static struct corr *series_of(unsigned int windows)
{
	struct corr *c;

	cr_assert_eq(corr__new(0.5, &c), 0);
	for (unsigned int w = 0; w < windows; w++) {
		cr_assert_eq(corr__next_window(c), 0);
		/* read and write follow one hidden load; getpid alternates against it */
		cr_assert_eq(corr__set(c, CORR_CALLS, 0, "read", 10.0 * (w % 5)), 0);
		cr_assert_eq(corr__set(c, CORR_CALLS, 1, "write", 20.0 * (w % 5) + 3), 0);
		if (w >= 4)
			cr_assert_eq(corr__set(c, CORR_CALLS, 39, "getpid", 40 - 10.0 * (w % 5)),
				     0);
		/* a p99 with a value in every other window only */
		if (w % 2)
			cr_assert_eq(corr__set(c, CORR_P99, 0, "read", 1000), 0);
	}
	cr_assert_eq(corr__compute(c), 0);
	return c;
}

Test(correlate, strongest_pairs_and_what_cannot_be_said)
{
	struct corr *c = series_of(30);
	const struct corr_result *r = corr__result(c);

	cr_expect_eq(r->windows, 30);
	cr_expect_eq(r->series, 4);
	/* read ~ write: +1; getpid is 0 in its first 4 windows, then -1 against the load */
	cr_assert_eq(r->n_pos, 1);
	cr_expect_float_eq(r->pos[0].r, 1, 1e-9);
	cr_expect_str_eq(corr__name(c, r->pos[0].a), "read");
	cr_expect_str_eq(corr__name(c, r->pos[0].b), "write");
	cr_expect_eq(r->pos[0].n, 30);
	cr_assert_eq(r->n_neg, 2);
	cr_expect(r->neg[0].r < -0.5 && r->neg[0].r >= -1);
	/* read's p99 is constant: no coefficient with anything */
	cr_expect_eq(r->pairs, 3);
	cr_expect(isnan(corr__r(c, 0, 2)));
	cr_expect_float_eq(corr__r(c, 1, 0), 1, 1e-9);
	corr__free(c);

	c = series_of(CORR_MIN_WINDOWS - 1);
	r = corr__result(c);
	cr_expect_eq(r->pairs, 0, "%u windows are too few", r->windows);
	cr_expect_eq(r->n_pos + r->n_neg, 0);
	corr__free(c);
}

Test(correlate, text_and_json)
{
	struct corr *c = series_of(30);
	struct json_writer w;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	cr_assert_not_null(f);
	cr_assert_eq(corr_write_text(f, c), 0);
	fflush(f);
	cr_expect(strstr(buf, "(30 windows of 0.5 s, 4 series):\n"), "%s", buf);
	cr_expect(strstr(buf, "  strongest positive:\n    +1.000  read calls/s ~ write calls/s "
			      "(30 windows)\n"),
		  "%s", buf);
	rewind(f);
	json_writer__init(&w, f, 0);
	json_writer__begin_object(&w);
	corr_put_json(&w, c);
	json_writer__end_object(&w);
	cr_assert_eq(json_writer__end(&w), 0);
	fputc(0, f);
	fflush(f);
	cr_expect(strstr(buf, "\"concluded\":true"), "%s", buf);
	cr_expect(strstr(buf, "\"positive\":[{\"a\":{\"name\":\"read\",\"metric\":\"calls_per_s\"},"
			      "\"b\":{\"name\":\"write\",\"metric\":\"calls_per_s\"},\"r\":"),
		  "%s", buf);
	cr_expect(strstr(buf, "\"matrix\":{\"series\":["), "%s", buf);
	fclose(f);
	free(buf);
	corr__free(c);
}
