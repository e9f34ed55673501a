// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include "diag.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void ifstat_diag_vset(struct ifstat_diag *d, const char *file,
		      unsigned int line, const char *key, const char *value,
		      const char *fmt, va_list ap)
{
	snprintf(d->file, sizeof(d->file), "%s", file ? file : "");
	d->line = line;
	snprintf(d->key, sizeof(d->key), "%.*s", IFSTAT_DIAG_KEY_SHOWN,
		 key ? key : "");
	d->has_value = value != NULL;
	snprintf(d->value, sizeof(d->value), "%.*s%s", IFSTAT_DIAG_VALUE_SHOWN,
		 value ? value : "",
		 value && strlen(value) > IFSTAT_DIAG_VALUE_SHOWN ? "..." : "");
	vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
}

void ifstat_diag_set(struct ifstat_diag *d, const char *file, unsigned int line,
		     const char *key, const char *value, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ifstat_diag_vset(d, file, line, key, value, fmt, ap);
	va_end(ap);
}

int ifstat_diag_add(struct ifstat_diags *l, const char *file, unsigned int line,
		    const char *key, const char *value, const char *fmt, ...)
{
	va_list ap;

	if (l->count++ >= IFSTAT_DIAG_MAX)
		return -EINVAL;
	va_start(ap, fmt);
	ifstat_diag_vset(&l->d[l->count - 1], file, line, key, value, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

int ifstat_diag_push(struct ifstat_diags *l, const struct ifstat_diag *d,
		     const char *file, unsigned int line)
{
	struct ifstat_diag *n;

	if (l->count++ >= IFSTAT_DIAG_MAX)
		return -EINVAL;
	n = &l->d[l->count - 1];
	*n = *d;
	snprintf(n->file, sizeof(n->file), "%s", file ? file : "");
	n->line = line;
	return -EINVAL;
}

/* Values come from the file or the command line: written with visible
 * escapes, a control character in one reaches no terminal or log. */
void ifstat_diag_write(struct ifstat_buf *b, const struct ifstat_diag *d)
{
	struct ifstat_buf t;

	ifstat_buf_init(&t);
	if (d->file[0] && d->line)
		ifstat_buf_printf(&t, "%s:%u: ", d->file, d->line);
	else if (d->file[0])
		ifstat_buf_printf(&t, "%s: ", d->file);
	if (d->key[0])
		ifstat_buf_printf(&t, "%s: ", d->key);
	ifstat_buf_printf(&t, "%s", d->msg);
	if (d->has_value)
		ifstat_buf_printf(&t, " ('%s')", d->value);
	if (t.err)
		b->err = b->err ? b->err : t.err;
	else if (t.data)
		ifstat_buf_visible(b, t.data);
	ifstat_buf_free(&t);
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
