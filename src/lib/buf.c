// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include "buf.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ifstat_buf_init(struct ifstat_buf *b)
{
	memset(b, 0, sizeof(*b));
}

void ifstat_buf_reset(struct ifstat_buf *b)
{
	b->len = 0;
	b->err = 0;
	if (b->data)
		b->data[0] = '\0';
}

void ifstat_buf_free(struct ifstat_buf *b)
{
	free(b->data);
	ifstat_buf_init(b);
}

static int reserve(struct ifstat_buf *b, size_t more)
{
	size_t cap = b->cap ? b->cap : 1024;
	char *p;

	if (b->err)
		return b->err;
	if (b->len + more + 1 <= b->cap)
		return 0;
	while (cap < b->len + more + 1)
		cap *= 2;
	p = realloc(b->data, cap);
	if (!p)
		return b->err = -ENOMEM;
	b->data = p;
	b->cap = cap;
	return 0;
}

void ifstat_buf_add(struct ifstat_buf *b, const char *s, size_t n)
{
	if (reserve(b, n))
		return;
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void ifstat_buf_printf(struct ifstat_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->err)
		return;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || reserve(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void ifstat_buf_json_str(struct ifstat_buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	ifstat_buf_add(b, "\"", 1);
	for (; *p; p++) {
		if (*p == '"' || *p == '\\')
			ifstat_buf_printf(b, "\\%c", *p);
		else if (*p < 0x20)
			ifstat_buf_printf(b, "\\u%04x", *p);
		else
			ifstat_buf_add(b, (const char *)p, 1);
	}
	ifstat_buf_add(b, "\"", 1);
}
