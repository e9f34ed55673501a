// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * libFuzzer harness for the configuration file parser. Beyond not
 * crashing, it holds the parser's promises: -EINVAL comes with at least
 * one "FILE:LINE: ..." message and 0 with none, and a configuration that
 * parses prints as a file that parses back to the same configuration and
 * prints identically.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_text.h"
#include "config.h"

static char *print_str(const struct ifstat_config *c)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		abort();
	ifstat_config_print(f, c);
	if (fclose(f))
		abort();
	return buf;
}

/* Every error is in the file, on a line of it, and says something. */
static void check_errors(const struct ifstat_diags *errs, int ret)
{
	unsigned int i, n;

	if (ret != 0 && ret != -EINVAL)
		abort(); /* only ENOMEM is possible, and not here */
	if ((ret == 0) != (errs->count == 0))
		abort();
	n = errs->count < IFSTAT_DIAG_MAX ? errs->count : IFSTAT_DIAG_MAX;
	for (i = 0; i < n; i++)
		if (strcmp(errs->d[i].file, "fuzz.conf") || !errs->d[i].line ||
		    !errs->d[i].msg[0] ||
		    !memchr(errs->d[i].value, '\0', sizeof(errs->d[i].value)))
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ifstat_config c, back, before;
	static struct ifstat_diags errs;
	char *text, *once, *twice;
	int ret;

	if (size > 64 * 1024)
		return 0;
	text = fuzz_text(data, size);

	memset(&c, 0x5a, sizeof(c));
	before = c;
	ret = ifstat_config_parse("fuzz.conf", text, &c, &errs);
	check_errors(&errs, ret);
	free(text);
	if (ret) {
		if (memcmp(&c, &before, sizeof(c)))
			abort(); /* a refused file changes nothing */
		return 0;
	}

	once = print_str(&c);
	ret = ifstat_config_parse("fuzz.conf", once, &back, &errs);
	if (ret) {
		fprintf(stderr, "printed config refused: line %u: %s: %s\n%s",
			errs.d[0].line, errs.d[0].key, errs.d[0].msg, once);
		abort();
	}
	if (!ifstat_config_same(&c, &back)) {
		fprintf(stderr, "printed config differs:\n%s", once);
		abort();
	}
	twice = print_str(&back);
	if (strcmp(once, twice)) {
		fprintf(stderr, "printed twice differently:\n%s---\n%s", once,
			twice);
		abort();
	}
	free(once);
	free(twice);
	return 0;
}
