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

/*
 * Takes dir/KEY.lock (creating dir), held until *fd is closed or the
 * process dies. -EBUSY when another ifstat holds it; 0 or -errno.
 */
int ifstat_instance_lock(const char *dir, const char *key, const char *ifname,
			 int *fd);

#endif
