/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * --filter NAME, --interface NAME and --direction: what the client
 * shows. Names are checked against the first snapshot only; a filter or
 * an interface that appears later under a requested name (a reload) is
 * shown from then on.
 */
#ifndef IFSTAT_SELECT_H
#define IFSTAT_SELECT_H

#include <stdbool.h>

#include "buf.h"
#include "ifstat_abi.h"
#include "report.h"

/* Names asked for on the command line, 64 at most. */
struct ifstat_names {
	const char *names[IFSTAT_MAX_FILTERS];
	unsigned int n; /* 0: every one */
};

struct ifstat_select {
	struct ifstat_names filters;
	struct ifstat_names interfaces;
	const char *direction; /* NULL: both */
};

/* Adds a name; -E2BIG beyond IFSTAT_MAX_FILTERS names. */
int ifstat_select_add(struct ifstat_names *s, const char *name);

bool ifstat_select_wants(const struct ifstat_names *s, const char *name);

/* Whether the entry e is shown (--interface and --direction). */
bool ifstat_select_entry(const struct ifstat_select *s,
			 const struct ifstat_report_entry *e);

/*
 * Checks the names against r: the filters of every entry, the
 * interfaces, the direction. Appends one warning line per unknown name
 * to msg and returns 0 while at least one name of each kind is known and
 * some entry is shown; otherwise appends one error line naming what is
 * known and returns -ENOENT.
 */
int ifstat_select_check(const struct ifstat_select *s,
			const struct ifstat_report *r, struct ifstat_buf *msg);

/*
 * The JSON line with the unwanted filters left out of every entry's
 * "filters" (not the entries: --json prints every interface), as json-c
 * writes it (compact, '/' not escaped), '\n' appended. Only for a line
 * that ifstat_report_parse() accepted.
 */
int ifstat_select_json(const struct ifstat_select *s, const char *line,
		       struct ifstat_buf *out);

#endif
