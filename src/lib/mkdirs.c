// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include "mkdirs.h"

#include <errno.h>
#include <sys/stat.h>

int ifstat_mkdirs(char *dir, mode_t mode)
{
	char *p;

	for (p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, mode) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(dir, mode) && errno != EEXIST)
		return -errno;
	return 0;
}
