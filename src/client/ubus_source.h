/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * ifstat --ubus: the snapshots from ifstatd's ubus object instead of its
 * socket. The client subscribes to the object and, at each notification
 * (one per interval), calls its method "stats", whose answer is the
 * snapshot of the socket, as blobmsg; it goes to on_line as the same
 * JSON line.
 */
#ifndef IFSTAT_UBUS_SOURCE_H
#define IFSTAT_UBUS_SOURCE_H

#include <signal.h>

/* 0 to go on, IFSTAT_DONE when done, or -errno (wait.h). */
typedef int (*ifstat_line_fn)(void *ctx, const char *line);

/*
 * Runs until on_line returns non-zero, *stop is set (SIGINT, SIGTERM) or
 * the object or ubusd goes away (-errno, said on stderr). path: ubusd's
 * socket, NULL for $UBUS_SOCK, else libubus's default. Returns 0,
 * IFSTAT_DONE or -errno.
 */
int ifstat_ubus_source(const char *path, const char *object,
		       ifstat_line_fn on_line, void *ctx,
		       volatile sig_atomic_t *stop);

#endif
