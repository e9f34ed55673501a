/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * One shape for every message about what a user wrote: the configuration
 * file, -F, a reload, a ubus reply. Where (file and line, or "-F NAME",
 * "reload"), which key, what is wrong and the value quoted, written as
 * "FILE:LINE: key: what is wrong ('value')". Library functions fill a
 * list and return -errno; the caller decides where it goes.
 */
#ifndef IFSTAT_DIAG_H
#define IFSTAT_DIAG_H

#include <stdarg.h>
#include <stdbool.h>

#include "buf.h"

#define IFSTAT_DIAG_MAX 32 /* kept; more are only counted */
#define IFSTAT_DIAG_KEY_SHOWN 40
#define IFSTAT_DIAG_VALUE_SHOWN 80

struct ifstat_diag {
	char file[256]; /* or "-F NAME", "reload"; "" for none */
	unsigned int line; /* 0: none */
	char key[IFSTAT_DIAG_KEY_SHOWN + 1]; /* "" for none */
	char msg[192];
	/* Quoted when has_value, cut at IFSTAT_DIAG_VALUE_SHOWN with "...". */
	char value[IFSTAT_DIAG_VALUE_SHOWN + 4];
	bool has_value;
};

struct ifstat_diags {
	unsigned int count; /* every one added; the first IFSTAT_DIAG_MAX kept */
	struct ifstat_diag d[IFSTAT_DIAG_MAX];
};

static inline void ifstat_diags_init(struct ifstat_diags *l)
{
	l->count = 0;
}

/*
 * Adds one. file, key and value may be NULL (none; a NULL value is not
 * quoted at all, "" is quoted as ''). Returns -EINVAL, for a caller's
 * "return ifstat_diag_add(...)".
 */
int ifstat_diag_add(struct ifstat_diags *l, const char *file, unsigned int line,
		    const char *key, const char *value, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/* Fills d alone (one not in a list yet), as ifstat_diag_add would. */
void ifstat_diag_set(struct ifstat_diag *d, const char *file, unsigned int line,
		     const char *key, const char *value, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
void ifstat_diag_vset(struct ifstat_diag *d, const char *file,
		      unsigned int line, const char *key, const char *value,
		      const char *fmt, va_list ap);

/*
 * Adds a copy of d placed at file:line: a diagnostic made where the
 * location was not known (the filter parser's). Returns -EINVAL.
 */
int ifstat_diag_push(struct ifstat_diags *l, const struct ifstat_diag *d,
		     const char *file, unsigned int line);

/* "FILE:LINE: key: msg ('value')", the parts that are there. */
void ifstat_diag_write(struct ifstat_buf *b, const struct ifstat_diag *d);

/* Every kept one on a line of its own, then "... and N more errors". */
void ifstat_diags_write(struct ifstat_buf *b, const struct ifstat_diags *l);

/* Stable sort by line (cross-field errors are found at a section's end). */
void ifstat_diags_sort(struct ifstat_diags *l);

#endif
