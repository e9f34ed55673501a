// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include "text.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

int ifstat_parse_uint(const char *s, size_t n, unsigned long max,
		      unsigned long *out)
{
	unsigned long v = 0;
	size_t i;

	if (!n)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		v = v * 10 + (unsigned long)(s[i] - '0');
		if (v > max)
			return -ERANGE;
	}
	*out = v;
	return 0;
}

bool ifstat_is_blank(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\f' ||
	       ch == '\v';
}

static bool is_name_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= '0' && ch <= '9') || ch == '_' || ch == '.' || ch == '-';
}

bool ifstat_valid_name(const char *s, size_t n, size_t max)
{
	size_t i;

	if (!n || n > max)
		return false;
	for (i = 0; i < n; i++)
		if (!is_name_char(s[i]))
			return false;
	return true;
}

int ifstat_table_find(const void *table, unsigned int n, size_t stride,
		      const char *key)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (!strcmp(key, *(const char *const *)((const char *)table +
							i * stride)))
			return (int)i;
	return -1;
}

size_t ifstat_utf8_seq(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned int cp, n, i;

	if (p[0] < 0x80)
		return p[0] ? 1 : 0;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2, cp = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3, cp = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4, cp = p[0] & 0x07;
	else
		return 0; /* a continuation byte, C0/C1 (overlong), F5-FF */
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0; /* the NUL included */
		cp = cp << 6 | (p[i] & 0x3f);
	}
	/* Overlong forms, UTF-16 surrogates, beyond U+10FFFF. */
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return n;
}

size_t ifstat_visible_seq(const char *s, char esc[5])
{
	unsigned char c = (unsigned char)s[0];
	size_t n = ifstat_utf8_seq(s);

	/* C0 controls, DEL and the C1 controls (U+0080-U+009F, which some
	 * terminals obey as CSI and the like) are shown as \xNN. */
	if (n == 1 && c >= 0x20 && c != 0x7f)
		return 1;
	if (n == 2 && !(c == 0xc2 && (unsigned char)s[1] < 0xa0))
		return 2;
	if (n > 2)
		return n;
	snprintf(esc, 5, "\\x%02x", c);
	return 0;
}

void ifstat_visible(char *out, size_t len, const char *s)
{
	size_t o = 0, n, k;
	char esc[5];

	if (!len)
		return;
	while (*s) {
		n = ifstat_visible_seq(s, esc);
		k = n ? n : 4;
		if (o + k >= len)
			break; /* only whole characters and escapes */
		memcpy(out + o, n ? s : esc, k);
		o += k;
		s += n ? n : 1;
	}
	out[o] = '\0';
}
