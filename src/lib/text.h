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

/*
 * Length (1-4) of the valid UTF-8 character at s, or 0 for an invalid
 * byte (stray continuation, overlong form, surrogate, beyond U+10FFFF,
 * cut short) or the terminating NUL.
 */
size_t ifstat_utf8_seq(const char *s);

/*
 * How the character at s is shown to a person (terminal, log): its
 * length when it can be written as is, or 0 with the escape \xNN of the
 * byte s[0] in esc (control characters, DEL, C1 controls, invalid UTF-8).
 */
size_t ifstat_visible_seq(const char *s, char esc[5]);

/* s with visible escapes into out (len bytes, NUL included), cut
 * between characters when it does not fit. */
void ifstat_visible(char *out, size_t len, const char *s);

#endif
