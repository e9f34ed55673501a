/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Directories a root daemon may trust with its files: ones where no other
 * user can create, rename or remove an entry, so that a name checked once
 * stays the same file (no symlink or hard link swapped in between).
 */
#ifndef IFSTAT_SAFEDIR_H
#define IFSTAT_SAFEDIR_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

/*
 * Whether st (a directory's) leaves its entries to root and us alone:
 * owned by root or the effective user, not writable by others, nor by
 * the group unless it is root's or ours, except with the sticky bit
 * (/tmp: others may add entries but not touch ours). 0, or -EPERM with
 * the reason in why.
 */
int ifstat_dir_trusted(const struct stat *st, char *why, size_t len);

/*
 * Opens dir (O_DIRECTORY; symlinks on the way are followed, what counts
 * is the directory reached and held) and checks it and every parent of
 * its real path as above. 0 with *fd, -ENOTDIR, -EPERM (why says it) or
 * -errno.
 */
int ifstat_dir_open_trusted(const char *dir, int *fd, char *why, size_t len);

#endif
