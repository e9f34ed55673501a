// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include "loop.h"

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "log.h"

static int make_timer(unsigned int interval_ms)
{
	struct itimerspec its = {
		.it_interval = { .tv_sec = interval_ms / 1000,
				 .tv_nsec =
					 (long)(interval_ms % 1000) * 1000000 },
	};
	int fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);

	if (fd < 0)
		return -errno;
	its.it_value = its.it_interval;
	if (timerfd_settime(fd, 0, &its, NULL)) {
		int ret = -errno;

		close(fd);
		return ret;
	}
	return fd;
}

int ifstat_loop_run(unsigned int interval_ms, int (*tick)(void *ctx), void *ctx)
{
	struct epoll_event ev = { .events = EPOLLIN };
	int tfd = -1, sfd = -1, ep = -1, ret;
	sigset_t mask;

	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &mask, NULL))
		return -errno;
	sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	tfd = make_timer(interval_ms);
	ep = epoll_create1(EPOLL_CLOEXEC);
	if (sfd < 0 || tfd < 0 || ep < 0) {
		ret = sfd < 0 ? -errno : tfd < 0 ? tfd : -errno;
		goto out;
	}
	ev.data.fd = sfd;
	if (epoll_ctl(ep, EPOLL_CTL_ADD, sfd, &ev))
		goto err;
	ev.data.fd = tfd;
	if (epoll_ctl(ep, EPOLL_CTL_ADD, tfd, &ev))
		goto err;
	for (;;) {
		int n = epoll_wait(ep, &ev, 1, -1);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto err;
		if (ev.data.fd == sfd) {
			struct signalfd_siginfo si;

			if (read(sfd, &si, sizeof(si)) == sizeof(si)) {
				log_info("%s: stopping",
					 strsignal((int)si.ssi_signo));
				ret = 0;
				goto out;
			}
		} else {
			uint64_t expirations;

			if (read(tfd, &expirations, sizeof(expirations)) < 0 &&
			    errno != EAGAIN)
				goto err;
			ret = tick(ctx);
			if (ret)
				goto out;
		}
	}
err:
	ret = -errno;
	log_err("event loop: %s", strerror(errno));
out:
	if (ep >= 0)
		close(ep);
	if (tfd >= 0)
		close(tfd);
	if (sfd >= 0)
		close(sfd);
	return ret;
}
