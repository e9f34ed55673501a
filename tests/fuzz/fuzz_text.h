/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The harnesses' input as a C string: the parsers read NUL-terminated
 * text, libFuzzer hands bytes. */
#ifndef IFSTAT_FUZZ_TEXT_H
#define IFSTAT_FUZZ_TEXT_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A malloc'd copy of data with a NUL after it; the caller frees it. */
static inline char *fuzz_text(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);

	if (!text)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	return text;
}

#endif
