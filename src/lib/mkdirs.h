/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* mkdir -p. */
#ifndef IFSTAT_MKDIRS_H
#define IFSTAT_MKDIRS_H

#include <sys/types.h>

/*
 * Creates dir and its missing parents with mode (existing ones are left
 * as they are). Returns 0 or -errno; on an error dir is cut after the
 * component that could not be made, for the caller's message.
 */
int ifstat_mkdirs(char *dir, mode_t mode);

#endif
