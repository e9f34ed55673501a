// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include "safedir.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int ifstat_dir_trusted(const struct stat *st, char *why, size_t len)
{
	bool own_group = st->st_gid == 0 || st->st_gid == getegid();

	if (!S_ISDIR(st->st_mode)) {
		snprintf(why, len, "not a directory");
		return -ENOTDIR;
	}
	if (st->st_uid != 0 && st->st_uid != geteuid()) {
		snprintf(why, len, "owned by uid %u, not root",
			 (unsigned int)st->st_uid);
		return -EPERM;
	}
	if (st->st_mode & S_ISVTX)
		return 0;
	if ((st->st_mode & S_IWOTH) ||
	    ((st->st_mode & S_IWGRP) && !own_group)) {
		snprintf(why, len,
			 "writable by other users (mode %04o, group %u) "
			 "without "
			 "the sticky bit",
			 (unsigned int)(st->st_mode & 07777),
			 (unsigned int)st->st_gid);
		return -EPERM;
	}
	return 0;
}

/* The parents of a trusted directory must be trusted too: whoever can
 * rename one can put another tree under the same path, and clients that
 * go by the path would meet another socket. */
static int parents_trusted(const char *real, char *why, size_t len)
{
	char path[PATH_MAX], *slash, sub[96];
	struct stat st;
	int ret;

	snprintf(path, sizeof(path), "%s", real);
	while ((slash = strrchr(path, '/')) && slash != path) {
		*slash = '\0';
		if (stat(path, &st))
			return -errno;
		ret = ifstat_dir_trusted(&st, sub, sizeof(sub));
		if (ret) {
			snprintf(why, len, "its parent %s is %s", path, sub);
			return ret;
		}
	}
	return 0;
}

int ifstat_dir_open_trusted(const char *dir, int *fd, char *why, size_t len)
{
	char real[PATH_MAX];
	struct stat st;
	int ret;

	*fd = -1;
	/* Judged by name first, so that a directory we may not even open
	 * (ours are kept without CAP_DAC_OVERRIDE) is named for what it is;
	 * then what was opened is judged, whatever the name led to. */
	if (!stat(dir, &st)) {
		ret = ifstat_dir_trusted(&st, why, len);
		if (ret)
			return ret;
	}
	if (realpath(dir, real)) {
		ret = parents_trusted(real, why, len);
		if (ret)
			return ret;
	}
	*fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (*fd < 0) {
		ret = -errno;
		snprintf(why, len, "%s", strerror(errno));
		return ret;
	}
	if (fstat(*fd, &st)) {
		ret = -errno;
		snprintf(why, len, "%s", strerror(errno));
	} else {
		ret = ifstat_dir_trusted(&st, why, len);
	}
	if (ret) {
		close(*fd);
		*fd = -1;
	}
	return ret;
}
