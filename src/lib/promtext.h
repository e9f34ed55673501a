/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The snapshot in the Prometheus text exposition format (version 0.0.4),
 * as served on /metrics. Pure formatting, no I/O, so the exact text is
 * unit-tested.
 */
#ifndef IFSTAT_PROMTEXT_H
#define IFSTAT_PROMTEXT_H

#include <stdbool.h>
#include <stdint.h>

#include "buf.h"
#include "snapjson.h"

#define IFSTAT_PROM_CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"

/* What /metrics shows besides the view. */
struct ifstat_prom_info {
	const char *version;
	uint64_t start_time_ms; /* wall clock */
	uint64_t reload_time_ms; /* last reload attempt; 0: none yet */
	bool reload_ok;
};

/* Appends every metric family, HELP and TYPE first, label values escaped. */
void ifstat_prom_text(struct ifstat_buf *b, const struct ifstat_view *v,
		      const struct ifstat_prom_info *info);

/* s as a label value, quotes included (\\, \" and \n escaped). */
void ifstat_prom_label(struct ifstat_buf *b, const char *s);

#endif
