// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include "instance.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine.h"
#include "log.h"

/* Same-named interfaces of two namespaces (veths, containers) are two
 * instances, not one. */
void ifstat_instance_key(const char *ifname, char *key, size_t len)
{
	struct stat self, init;

	if (!stat("/proc/self/ns/net", &self) &&
	    (stat("/proc/1/ns/net", &init) || init.st_ino != self.st_ino))
		snprintf(key, len, "%s@%lu", ifname,
			 (unsigned long)self.st_ino);
	else
		snprintf(key, len, "%s", ifname);
}

void ifstat_engine_pin_dir_of(const char *ifname, const char *pin_root,
			      char *buf, size_t len)
{
	char key[IF_NAMESIZE + 24];

	ifstat_instance_key(ifname, key, sizeof(key));
	snprintf(buf, len, "%s/%s", pin_root ? pin_root : IFSTAT_PIN_ROOT, key);
}

/* A second ifstat on the interface would take over the program and the
 * counters of the first. The kernel drops the lock when we die. */
int ifstat_instance_lock(const char *dir, const char *key, const char *ifname,
			 int *fd)
{
	char path[PATH_MAX];
	int ret;

	if (mkdir(dir, 0755) && errno != EEXIST) {
		ret = -errno;
		log_err("cannot create %s: %s", dir, strerror(errno));
		return ret;
	}
	snprintf(path, sizeof(path), "%s/%s.lock", dir, key);
	*fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (*fd < 0) {
		ret = -errno;
		log_err("cannot open %s: %s", path, strerror(errno));
		return ret;
	}
	if (flock(*fd, LOCK_EX | LOCK_NB)) {
		ret = -errno;
		if (ret == -EWOULDBLOCK) {
			log_err("%s: another ifstat is already running on this "
				"interface (lock %s)",
				ifname, path);
			return -EBUSY;
		}
		log_err("cannot lock %s: %s", path, strerror(errno));
		return ret;
	}
	return 0;
}
