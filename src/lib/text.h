/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Small text rules that the parsers share (configuration, filters). */
#ifndef IFSTAT_TEXT_H
#define IFSTAT_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#define IFSTAT_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* What a name of ours may hold (filter, group, ubus object). */
#define IFSTAT_NAME_RULE "characters of A-Z a-z 0-9 _ . -"

/*
 * Strict unsigned decimal of the n characters at s: no sign, no blanks,
 * no trailing garbage. 0, -EINVAL (not a number) or -ERANGE (above max).
 */
int ifstat_parse_uint(const char *s, size_t n, unsigned long max,
		      unsigned long *out);

/* Blanks other than the newline (the INI reader splits lines). */
bool ifstat_is_blank(char ch);

/* 1..max characters of IFSTAT_NAME_RULE. */
bool ifstat_valid_name(const char *s, size_t n, size_t max);

/*
 * Index of the row whose first member, a const char *, is key, in a
 * table of n rows of stride bytes; or -1. The key tables (config.c,
 * filter.c) share it.
 */
int ifstat_table_find(const void *table, unsigned int n, size_t stride,
		      const char *key);

#endif
