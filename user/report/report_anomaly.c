// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include "anomaly/anomaly.h"
#include "lib/json.h"
#include "report/report_anomaly.h"

int report_anomaly_text(FILE *f, const struct anomaly *a)
{
	struct anomaly_summary s;
	char line[512];

	anomaly__summary(a, &s);
	fprintf(f, "\nanomalies: %u episodes (high %u, medium %u, low %u), %u still firing\n",
		s.episodes, s.by_severity[ANOMALY_SEV_HIGH], s.by_severity[ANOMALY_SEV_MEDIUM],
		s.by_severity[ANOMALY_SEV_LOW], s.open);
	if (s.groups > 1 || s.folded)
		fprintf(f,
			"  %u services with baselines of their own, %u more folded into (others)\n",
			s.groups, s.folded);
	for (unsigned int i = 0; i < s.n_top; i++) {
		anomaly_episode_format_text(line, sizeof(line), s.top[i]);
		fprintf(f, "  %s\n", line);
	}
	return ferror(f) ? -1 : 0;
}

void report_anomaly_json(struct json_writer *w, const struct anomaly *a)
{
	struct anomaly_summary s;

	anomaly__summary(a, &s);
	json_writer__key(w, "anomalies");
	json_writer__begin_array(w);
	for (unsigned int i = 0; i < s.n_top; i++)
		anomaly_episode_put_json(w, s.top[i]);
	json_writer__end_array(w);
	json_writer__key(w, "anomaly_summary");
	json_writer__begin_object(w);
	json_writer__kv_u64(w, "episodes", s.episodes);
	json_writer__kv_u64(w, "open", s.open);
	json_writer__kv_u64(w, "low", s.by_severity[ANOMALY_SEV_LOW]);
	json_writer__kv_u64(w, "medium", s.by_severity[ANOMALY_SEV_MEDIUM]);
	json_writer__kv_u64(w, "high", s.by_severity[ANOMALY_SEV_HIGH]);
	json_writer__kv_u64(w, "services", s.groups);
	json_writer__kv_u64(w, "folded", s.folded);
	json_writer__end_object(w);
}
