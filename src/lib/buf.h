/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* A growable text buffer for the published formats (JSON, Prometheus). */
#ifndef IFSTAT_BUF_H
#define IFSTAT_BUF_H

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
void ifstat_buf_add(struct ifstat_buf *b, const char *s, size_t n);
/* s as a JSON string, quotes included. */
void ifstat_buf_json_str(struct ifstat_buf *b, const char *s);

#endif
