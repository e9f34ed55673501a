/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The client's one wait: for its socket (ifstatd's, or ubusd's), until
 * the work is done, a failure or SIGINT/SIGTERM. The steps of the client
 * return 0 to go on, IFSTAT_DONE when the work is done (--once) or
 * -errno on a failure they have reported; main() alone turns that into
 * an exit status.
 */
#ifndef IFSTAT_WAIT_H
#define IFSTAT_WAIT_H

#include <signal.h>

#define IFSTAT_DONE 1

/*
 * Calls on_ready(ctx) each time fd is readable (or hung up) until it
 * returns non-zero or *stop is set. SIGINT and SIGTERM are let in only
 * while waiting, so none is missed between the check of *stop and the
 * wait. Returns on_ready's IFSTAT_DONE or -errno, or 0 when stopped.
 */
int ifstat_wait_fd(int fd, volatile sig_atomic_t *stop,
		   int (*on_ready)(void *ctx), void *ctx);

#endif
