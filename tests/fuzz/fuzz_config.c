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

static void check_errors(const struct ifstat_config_errors *errs, int ret)
{
	unsigned int i, n;

	if (ret != 0 && ret != -EINVAL)
		abort(); /* only ENOMEM is possible, and not here */
	if ((ret == 0) != (errs->count == 0))
		abort();
	n = errs->count < IFSTAT_CONF_MAX_ERRORS ? errs->count
						 : IFSTAT_CONF_MAX_ERRORS;
	for (i = 0; i < n; i++)
		if (strncmp(errs->msg[i], "fuzz.conf:", 10) ||
		    !memchr(errs->msg[i], '\0', sizeof(errs->msg[i])))
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ifstat_config c, back, before;
	static struct ifstat_config_errors errs;
	char *text, *once, *twice;
	int ret;

	if (size > 64 * 1024)
		return 0;
	text = malloc(size + 1);
	if (!text)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';

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
		fprintf(stderr, "printed config refused: %s\n%s", errs.msg[0],
			once);
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
