// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include "mode.h"

#include <errno.h>
#include <string.h>

static const char *const names[] = {
	[IFSTAT_MODE_AUTO] = "auto",
	[IFSTAT_MODE_NATIVE] = "native",
	[IFSTAT_MODE_GENERIC] = "generic",
};

const char *ifstat_mode_name(enum ifstat_mode mode)
{
	return (unsigned int)mode < sizeof(names) / sizeof(names[0])
		       ? names[mode]
		       : "auto";
}

int ifstat_mode_parse(const char *s, enum ifstat_mode *mode)
{
	unsigned int i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!strcmp(s, names[i])) {
			*mode = (enum ifstat_mode)i;
			return 0;
		}
	}
	return -EINVAL;
}
