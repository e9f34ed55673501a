/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* A growable text buffer for the published formats (JSON, Prometheus). */
#ifndef IFSTAT_BUF_H
#define IFSTAT_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct ifstat_buf {
	char *data; /* NUL-terminated while err is 0 */
	size_t len, cap;
	int err; /* first -errno; later appends do nothing */
};

void ifstat_buf_init(struct ifstat_buf *b);
void ifstat_buf_reset(struct ifstat_buf *b); /* len 0, keeps the memory */
void ifstat_buf_free(struct ifstat_buf *b);
void ifstat_buf_printf(struct ifstat_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void ifstat_buf_vprintf(struct ifstat_buf *b, const char *fmt, va_list ap);
void ifstat_buf_add(struct ifstat_buf *b, const char *s, size_t n);
/* s as a JSON string, quotes included. */
void ifstat_buf_json_str(struct ifstat_buf *b, const char *s);
/* s for a person: control characters and invalid UTF-8 as \xNN (text.h,
 * ifstat_visible_seq). */
void ifstat_buf_visible(struct ifstat_buf *b, const char *s);

#endif
