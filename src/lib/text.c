// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include "text.h"

#include <errno.h>
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
