// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include "buf.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

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

void ifstat_buf_vprintf(struct ifstat_buf *b, const char *fmt, va_list ap)
{
	va_list again;
	int n;

	if (b->err)
		return;
	va_copy(again, ap);
	n = vsnprintf(NULL, 0, fmt, ap);
	if (n >= 0 && !reserve(b, (size_t)n)) {
		vsnprintf(b->data + b->len, (size_t)n + 1, fmt, again);
		b->len += (size_t)n;
	}
	va_end(again);
}

void ifstat_buf_printf(struct ifstat_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ifstat_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void ifstat_buf_json_str(struct ifstat_buf *b, const char *s)
{
	const char *p = s;
	unsigned char c;
	size_t n;

	ifstat_buf_add(b, "\"", 1);
	while (*p) {
		c = (unsigned char)*p;
		n = ifstat_utf8_seq(p);
		if (c == '"' || c == '\\') {
			ifstat_buf_printf(b, "\\%c", c);
		} else if (n == 1 && c >= 0x20 && c != 0x7f) {
			ifstat_buf_add(b, p, 1);
		} else if (n > 1) {
			ifstat_buf_add(b, p, n);
			p += n;
			continue;
		} else {
			/* Controls, DEL and bytes that are not UTF-8 (names
			 * from the system: an interface may be named with
			 * any byte): one \\u00XX each, so the line is always
			 * valid JSON in valid UTF-8. */
			ifstat_buf_printf(b, "\\u%04x", c);
		}
		p++;
	}
	ifstat_buf_add(b, "\"", 1);
}

void ifstat_buf_visible(struct ifstat_buf *b, const char *s)
{
	char esc[5];
	size_t n;

	while (*s) {
		n = ifstat_visible_seq(s, esc);
		ifstat_buf_add(b, n ? s : esc, n ? n : 4);
		s += n ? n : 1;
	}
}
