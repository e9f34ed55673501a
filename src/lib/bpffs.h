/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The pin directory on bpffs: mounted when missing, created, removed. */
#ifndef IFSTAT_BPFFS_H
#define IFSTAT_BPFFS_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Makes sure the bpffs that holds root (e.g. /sys/fs/bpf/ifstat) is
 * mounted, then creates dir and its parents: only on a bpffs (-EXDEV
 * elsewhere, nothing created), and dir and its parent must be root's
 * alone (-EPERM). 0 or -errno, logged.
 */
int ifstat_bpffs_prepare(const char *dir);

/* Notes which mount namespace we run in, while we may still look at
 * init's and our parent's (before capabilities are dropped). */
void ifstat_bpffs_init(void);

/* The bpffs was mounted by this process in a private mount namespace:
 * pins in it end with the namespace, however asked to keep them. */
bool ifstat_bpffs_ephemeral(void);

/* Removes the pinned files named in names (NULL-terminated) and dir. */
int ifstat_bpffs_remove(const char *dir, const char *const *names);

#endif
