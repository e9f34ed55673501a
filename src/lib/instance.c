// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include "instance.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine.h"
#include "log.h"
#include "safedir.h"
#include "text.h"

static int foreign_netns = -1; /* unknown until asked */

/* Looking at init's namespace takes ptrace rights over it, which ifstatd
 * gives up with its capabilities: asked once, before (main). */
void ifstat_instance_init(void)
{
	struct stat self, init;

	foreign_netns =
		!stat("/proc/self/ns/net", &self) &&
		(stat("/proc/1/ns/net", &init) || init.st_ino != self.st_ino);
}

/* Same-named interfaces of two namespaces (veths, containers) are two
 * instances, not one. */
void ifstat_instance_key(const char *ifname, char *key, size_t len)
{
	struct stat self;

	if (foreign_netns < 0)
		ifstat_instance_init();
	if (foreign_netns && !stat("/proc/self/ns/net", &self))
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

/* ": ifstatd 1234 counts it as 'eth0'" from the holder's lock file. */
static void holder(int fd, char *buf, size_t len)
{
	char text[64], raw[IF_NAMESIZE], name[IF_NAMESIZE * 4 + 1];
	ssize_t n = pread(fd, text, sizeof(text) - 1, 0);
	int pid;

	buf[0] = '\0';
	if (n <= 0)
		return;
	text[n] = '\0';
	if (sscanf(text, "%d %15s", &pid, raw) != 2)
		return;
	ifstat_visible(name, sizeof(name), raw);
	snprintf(buf, len, ": ifstatd %d counts it as '%s'", pid, name);
}

/*
 * A second ifstat on the interface would take over the program and the
 * counters of the first. The kernel drops the lock when we die; a clean
 * exit also removes the file (ifstat_instance_unlock), so a locker checks
 * after flock() that the name still leads to the file it locked, and
 * tries again if not. The directory must be one no other user can write
 * into (safedir.h): the name is opened once, relative to it, without
 * following a symlink.
 */
static int take_lock(const char *dir, const char *key, const char *ifname,
		     int *fd, bool quiet)
{
	char name[IF_NAMESIZE + 32], why[128];
	struct stat held, named;
	int dfd, tries, ret;

	*fd = -1;
	if (mkdir(dir, 0755) && errno != EEXIST) {
		ret = -errno;
		log_err("cannot create %s: %s", dir, strerror(errno));
		return ret;
	}
	ret = ifstat_dir_open_trusted(dir, &dfd, why, sizeof(why));
	if (ret) {
		log_err("lock directory %s: %s", dir, why);
		return ret;
	}
	snprintf(name, sizeof(name), "%s.lock", key);
	for (tries = 0; tries < 10; tries++) {
		*fd = openat(dfd, name,
			     O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW |
				     O_NONBLOCK,
			     0644);
		if (*fd < 0) {
			ret = -errno;
			log_err("cannot open %s/%s: %s", dir, name,
				strerror(errno));
			break;
		}
		if (flock(*fd, LOCK_EX | LOCK_NB)) {
			ret = -errno;
			if (ret == -EWOULDBLOCK && quiet) {
				ret = -EBUSY;
			} else if (ret == -EWOULDBLOCK) {
				holder(*fd, why, sizeof(why));
				log_err("%s: another ifstat is already running "
					"on this interface%s (lock %s/%s)",
					ifname, why, dir, name);
				ret = -EBUSY;
			} else {
				log_err("cannot lock %s/%s: %s", dir, name,
					strerror(errno));
			}
			break;
		}
		if (fstat(*fd, &held) ||
		    fstatat(dfd, name, &named, AT_SYMLINK_NOFOLLOW) ||
		    held.st_ino != named.st_ino ||
		    held.st_dev != named.st_dev) {
			/* Removed by the holder we waited for: a new one. */
			close(*fd);
			*fd = -1;
			continue;
		}
		if (!S_ISREG(held.st_mode) || held.st_uid != geteuid()) {
			log_err("lock %s/%s is not a regular file of ours", dir,
				name);
			ret = -EPERM;
			break;
		}
		close(dfd);
		/* Who holds it, for the message of the next one. */
		ret = snprintf(why, sizeof(why), "%d %s\n", (int)getpid(),
			       ifname);
		if (ftruncate(*fd, 0) || pwrite(*fd, why, (size_t)ret, 0) < 0)
			log_warn("cannot write %s/%s: %s", dir, name,
				 strerror(errno));
		return 0;
	}
	if (!ret)
		ret = -EAGAIN;
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
	close(dfd);
	return ret;
}

int ifstat_instance_lock(const char *dir, const char *key, const char *ifname,
			 int *fd)
{
	return take_lock(dir, key, ifname, fd, false);
}

int ifstat_instance_trylock(const char *dir, const char *key,
			    const char *ifname, int *fd)
{
	return take_lock(dir, key, ifname, fd, true);
}

void ifstat_instance_unlock(const char *dir, const char *key, int fd)
{
	char path[PATH_MAX];
	struct stat held, named;

	if (fd < 0)
		return;
	snprintf(path, sizeof(path), "%s/%s.lock", dir, key);
	/* Still locked: nobody else can hold this file now. */
	if (!fstat(fd, &held) && !lstat(path, &named) &&
	    held.st_ino == named.st_ino && held.st_dev == named.st_dev)
		unlink(path);
	close(fd);
}
