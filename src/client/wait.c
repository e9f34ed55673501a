// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#define _GNU_SOURCE /* ppoll */
#include "wait.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>

int ifstat_wait_fd(int fd, volatile sig_atomic_t *stop,
		   int (*on_ready)(void *ctx), void *ctx)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	sigset_t block, old;
	int ret = 0;

	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &old);
	while (!ret) {
		pfd.revents = 0; /* ppoll() leaves it as is when interrupted */
		if (ppoll(&pfd, 1, NULL, &old) < 0 && errno != EINTR) {
			ret = -errno;
			fprintf(stderr, "ifstat: poll: %s\n", strerror(errno));
			break;
		}
		if (*stop)
			break;
		if (pfd.revents)
			ret = on_ready(ctx);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	return ret;
}
