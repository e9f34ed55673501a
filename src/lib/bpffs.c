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

#include "ifstat_abi.h"

#include "log.h"
#include "mkdirs.h"
#include "safedir.h"

#define BPFFS_MOUNT "/sys/fs/bpf"

static bool ephemeral;
static int private_ns = -1; /* unknown until ifstat_bpffs_init */

/*
 * Whether we live in a mount namespace other than init's (ip netns exec,
 * unshare -m, a unit's private mounts): a mount made here ends with it.
 * Where init's cannot be seen (a sandbox), our parent's stands in: a
 * namespace made for us alone (ip netns exec) differs from it.
 */
static bool private_mount_ns(void)
{
	struct stat self, other;
	char path[48];

	if (stat("/proc/self/ns/mnt", &self))
		return false;
	if (!stat("/proc/1/ns/mnt", &other))
		return other.st_ino != self.st_ino;
	snprintf(path, sizeof(path), "/proc/%d/ns/mnt", (int)getppid());
	return !stat(path, &other) && other.st_ino != self.st_ino;
}

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
	ephemeral = private_ns < 0 ? private_mount_ns() : private_ns;
	if (ephemeral)
		log_warn("%s was mounted in a private mount namespace (ip "
			 "netns "
			 "exec?): pinned counters end with this ifstatd; to "
			 "keep "
			 "them across restarts enter only the network "
			 "namespace "
			 "(nsenter --net=/run/netns/NAME)",
			 BPFFS_MOUNT);
	return 0;
}

void ifstat_bpffs_init(void)
{
	private_ns = private_mount_ns();
}

bool ifstat_bpffs_ephemeral(void)
{
	return ephemeral;
}

/* Nothing is created outside a bpffs: the nearest existing ancestor of
 * dir must be on one. */
static int check_on_bpffs(const char *dir)
{
	char path[PATH_MAX], *slash;
	struct statfs st;
	struct stat sb;

	snprintf(path, sizeof(path), "%s", dir);
	/* Up to what exists, or what we may not look into (a directory of
	 * another user, which the trust check then names). */
	while (stat(path, &sb)) {
		slash = strrchr(path, '/');
		if (!slash || slash == path)
			return 0; /* only / is left: mkdir says */
		*slash = '\0';
	}
	if (statfs(path, &st))
		return -errno;
	if (st.f_type == BPF_FS_MAGIC)
		return 0;
	log_err("pin root: %s is not on a bpffs (mount one there: mount -t "
		"bpf bpf DIR, or use the default %s)",
		path, IFSTAT_PIN_ROOT);
	return -EXDEV;
}

/* The pins' directories must be root's alone: on a world-writable
 * /sys/fs/bpf (mode 1777 on some systems) another user could have made
 * them, and would own the counters. */
static int check_trusted(const char *dir)
{
	char why[128];
	int fd, ret = ifstat_dir_open_trusted(dir, &fd, why, sizeof(why));

	if (ret) {
		log_err("pin directory %s: %s", dir, why);
		return ret;
	}
	close(fd);
	return 0;
}

int ifstat_bpffs_prepare(const char *dir)
{
	char path[PATH_MAX], *slash;
	int ret;

	if (strncmp(dir, BPFFS_MOUNT "/", strlen(BPFFS_MOUNT) + 1) == 0) {
		ret = ensure_mounted();
		if (ret)
			return ret;
	}
	if (snprintf(path, sizeof(path), "%s", dir) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	ret = check_on_bpffs(path);
	if (ret)
		return ret;
	/* An existing pin root is judged before anything is made in it. */
	slash = strrchr(path, '/');
	if (slash && slash != path) {
		*slash = '\0';
		ret = access(path, F_OK) ? 0 : check_trusted(path);
		*slash = '/';
		if (ret)
			return ret;
	}
	ret = ifstat_mkdirs(path, 0700);
	if (ret) {
		log_err("cannot create %s: %s", path, strerror(-ret));
		return ret;
	}
	slash = strrchr(path, '/');
	if (slash && slash != path) {
		*slash = '\0';
		ret = check_trusted(path);
		*slash = '/';
	}
	return ret ? ret : check_trusted(path);
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
