/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * --filter NAME: which filters the client shows. Names are checked
 * against the first snapshot only; a filter that appears later under a
 * requested name (a reload) is shown from then on.
 */
#ifndef IFSTAT_SELECT_H
#define IFSTAT_SELECT_H

#include <stdbool.h>

#include "buf.h"
#include "ifstat_abi.h"
#include "report.h"

struct ifstat_select {
	const char *names[IFSTAT_MAX_FILTERS];
	unsigned int n; /* 0: every filter */
};

/* Adds a name; -E2BIG beyond IFSTAT_MAX_FILTERS names. */
int ifstat_select_add(struct ifstat_select *s, const char *name);

bool ifstat_select_wants(const struct ifstat_select *s, const char *name);

/*
 * Checks the names against r. Appends one warning line per unknown name
 * to msg and returns 0 while at least one name is known; when none is,
 * appends one error line naming the known filters and returns -ENOENT.
 */
int ifstat_select_check(const struct ifstat_select *s,
			const struct ifstat_report *r, struct ifstat_buf *msg);

/*
 * The JSON line with the unwanted filters left out of "filters", as
 * json-c writes it (compact, '/' not escaped), '\n' appended. Only for
 * a line that ifstat_report_parse() accepted.
 */
int ifstat_select_json(const struct ifstat_select *s, const char *line,
		       struct ifstat_buf *out);

#endif
