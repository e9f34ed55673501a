/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Instance identity: one ifstat per interface and network namespace, its
 * lock file and the name of its pin directory.
 */
#ifndef IFSTAT_INSTANCE_H
#define IFSTAT_INSTANCE_H

#include <stddef.h>

/*
 * The name of an interface's lock and pins: IFACE in the host's network
 * namespace, IFACE@INODE (the namespace's inode) in any other.
 */
void ifstat_instance_key(const char *ifname, char *key, size_t len);
/* Decides that namespace question now, while /proc/1 may be looked at
 * (before capabilities are dropped); the key asks it itself otherwise. */
void ifstat_instance_init(void);

/*
 * Takes dir/KEY.lock (creating dir, which must be root's alone), held
 * until ifstat_instance_unlock or the process dies. -EBUSY when another
 * ifstat holds it; 0 or -errno (*fd is then -1).
 */
int ifstat_instance_lock(const char *dir, const char *key, const char *ifname,
			 int *fd);

/* The same, but another holder (-EBUSY) goes unsaid: for a caller that
 * said so once and tries again. */
int ifstat_instance_trylock(const char *dir, const char *key,
			    const char *ifname, int *fd);

/* Removes the lock file (while still holding it) and lets it go. */
void ifstat_instance_unlock(const char *dir, const char *key, int fd);

#endif
