/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The pin directory on bpffs: mounted when missing, created, removed. */
#ifndef IFSTAT_BPFFS_H
#define IFSTAT_BPFFS_H

#include <stddef.h>

/* Makes sure the bpffs that holds root (e.g. /sys/fs/bpf/ifstat) is
 * mounted, then creates dir and its parents. */
int ifstat_bpffs_prepare(const char *dir);

/* Removes the pinned files named in names (NULL-terminated) and dir. */
int ifstat_bpffs_remove(const char *dir, const char *const *names);

#endif
