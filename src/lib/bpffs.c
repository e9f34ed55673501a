// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include "bpffs.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <linux/magic.h>

#include "log.h"
#include "mkdirs.h"

#define BPFFS_MOUNT "/sys/fs/bpf"

static int ensure_mounted(void)
{
	struct statfs st;

	if (!statfs(BPFFS_MOUNT, &st) && st.f_type == BPF_FS_MAGIC)
		return 0;
	if (mkdir(BPFFS_MOUNT, 0700) && errno != EEXIST) {
		log_err("cannot create %s: %s", BPFFS_MOUNT, strerror(errno));
		return -errno;
	}
	if (mount("bpf", BPFFS_MOUNT, "bpf", 0, "mode=0700")) {
		int err = -errno;

		log_err("cannot mount bpffs on %s: %s (need CAP_SYS_ADMIN)",
			BPFFS_MOUNT, strerror(errno));
		return err;
	}
	log_info("mounted bpffs on %s", BPFFS_MOUNT);
	return 0;
}

int ifstat_bpffs_prepare(const char *dir)
{
	char path[PATH_MAX];
	int ret;

	if (strncmp(dir, BPFFS_MOUNT "/", strlen(BPFFS_MOUNT) + 1) == 0) {
		ret = ensure_mounted();
		if (ret)
			return ret;
	}
	if (snprintf(path, sizeof(path), "%s", dir) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	ret = ifstat_mkdirs(path, 0700);
	if (ret)
		log_err("cannot create %s: %s", path, strerror(-ret));
	return ret;
}

int ifstat_bpffs_remove(const char *dir, const char *const *names)
{
	char path[PATH_MAX];
	int ret = 0;

	for (; *names; names++) {
		snprintf(path, sizeof(path), "%s/%s", dir, *names);
		if (unlink(path) && errno != ENOENT) {
			ret = -errno;
			log_warn("cannot remove %s: %s", path, strerror(errno));
		}
	}
	if (rmdir(dir) && errno != ENOENT && errno != ENOTEMPTY) {
		ret = -errno;
		log_warn("cannot remove %s: %s", dir, strerror(errno));
	}
	return ret;
}
