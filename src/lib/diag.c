// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include "diag.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int ifstat_diag_add(struct ifstat_diags *l, const char *file, unsigned int line,
		    const char *key, const char *value, const char *fmt, ...)
{
	struct ifstat_diag *d;
	va_list ap;

	if (l->count++ >= IFSTAT_DIAG_MAX)
		return -EINVAL;
	d = &l->d[l->count - 1];
	snprintf(d->file, sizeof(d->file), "%s", file ? file : "");
	d->line = line;
	snprintf(d->key, sizeof(d->key), "%.*s", IFSTAT_DIAG_KEY_SHOWN,
		 key ? key : "");
	d->has_value = value != NULL;
	snprintf(d->value, sizeof(d->value), "%.*s%s", IFSTAT_DIAG_VALUE_SHOWN,
		 value ? value : "",
		 value && strlen(value) > IFSTAT_DIAG_VALUE_SHOWN ? "..." : "");
	va_start(ap, fmt);
	vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

void ifstat_diag_write(struct ifstat_buf *b, const struct ifstat_diag *d)
{
	if (d->file[0] && d->line)
		ifstat_buf_printf(b, "%s:%u: ", d->file, d->line);
	else if (d->file[0])
		ifstat_buf_printf(b, "%s: ", d->file);
	if (d->key[0])
		ifstat_buf_printf(b, "%s: ", d->key);
	ifstat_buf_printf(b, "%s", d->msg);
	if (d->has_value)
		ifstat_buf_printf(b, " ('%s')", d->value);
}

void ifstat_diags_write(struct ifstat_buf *b, const struct ifstat_diags *l)
{
	unsigned int i,
		n = l->count < IFSTAT_DIAG_MAX ? l->count : IFSTAT_DIAG_MAX;

	for (i = 0; i < n; i++) {
		ifstat_diag_write(b, &l->d[i]);
		ifstat_buf_add(b, "\n", 1);
	}
	if (l->count > n)
		ifstat_buf_printf(b, "... and %u more errors\n", l->count - n);
}

void ifstat_diags_sort(struct ifstat_diags *l)
{
	unsigned int n = l->count < IFSTAT_DIAG_MAX ? l->count
						    : IFSTAT_DIAG_MAX;
	unsigned int i, j;
	struct ifstat_diag d;

	for (i = 1; i < n; i++) {
		d = l->d[i];
		for (j = i; j > 0 && l->d[j - 1].line > d.line; j--)
			l->d[j] = l->d[j - 1];
		l->d[j] = d;
	}
}
