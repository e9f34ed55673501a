// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * libFuzzer harness for the one-line filter syntax: whatever parses must
 * format to a canonical form that parses back to the same filter and
 * formats to the same text.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_text.h"
#include "filter.h"

static void check_err(const struct ifstat_diag *err)
{
	if (!memchr(err->key, '\0', sizeof(err->key)) ||
	    !memchr(err->msg, '\0', sizeof(err->msg)) ||
	    !memchr(err->value, '\0', sizeof(err->value)) || !err->msg[0])
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ifstat_filter f, g;
	struct ifstat_diag err;
	char *text, once[IFSTAT_FILTER_TEXT_MAX], twice[IFSTAT_FILTER_TEXT_MAX];
	int ret;

	if (size > 4096)
		return 0;
	text = fuzz_text(data, size);
	memset(&err, 0x5a, sizeof(err));
	ret = ifstat_filter_parse(text, &f, &err);
	free(text);
	if (ret) {
		check_err(&err);
		return 0;
	}

	if (ifstat_filter_format(&f, once, sizeof(once)) < 0)
		abort(); /* a valid filter always fits */
	memset(&err, 0x5a, sizeof(err));
	if (ifstat_filter_parse(once, &g, &err)) {
		fprintf(stderr, "canonical form refused: '%s': %s: %s ('%s')\n",
			once, err.key, err.msg, err.value);
		abort();
	}
	if (!ifstat_filter_same(&f, &g)) {
		fprintf(stderr, "canonical form '%s' is another filter\n",
			once);
		abort();
	}
	if (ifstat_filter_format(&g, twice, sizeof(twice)) < 0 ||
	    strcmp(once, twice)) {
		fprintf(stderr, "'%s' formats back as '%s'\n", once, twice);
		abort();
	}
	return 0;
}
