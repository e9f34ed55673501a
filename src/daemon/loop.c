// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include "loop.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "log.h"

#define LOOP_BATCH 32

struct ifstat_loop {
	int ep;
	bool stop;
	int ret;
	/* The round being dispatched, so that del can forget a watch's
	 * pending event (its owner may free it right after). */
	struct epoll_event ev[LOOP_BATCH];
	int nev, cur;
};

int ifstat_loop_new(struct ifstat_loop **out)
{
	struct ifstat_loop *l = calloc(1, sizeof(*l));

	if (!l)
		return -ENOMEM;
	l->ep = epoll_create1(EPOLL_CLOEXEC);
	if (l->ep < 0) {
		int ret = -errno;

		free(l);
		return ret;
	}
	*out = l;
	return 0;
}

void ifstat_loop_free(struct ifstat_loop *l)
{
	if (!l)
		return;
	close(l->ep);
	free(l);
}

static int ctl(struct ifstat_loop *l, int op, struct ifstat_watch *w,
	       uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.ptr = w };

	return epoll_ctl(l->ep, op, w->fd, &ev) ? -errno : 0;
}

int ifstat_loop_add(struct ifstat_loop *l, struct ifstat_watch *w,
		    uint32_t events)
{
	return ctl(l, EPOLL_CTL_ADD, w, events);
}

int ifstat_loop_mod(struct ifstat_loop *l, struct ifstat_watch *w,
		    uint32_t events)
{
	return ctl(l, EPOLL_CTL_MOD, w, events);
}

void ifstat_loop_del(struct ifstat_loop *l, struct ifstat_watch *w)
{
	int i;

	if (w->fd >= 0)
		epoll_ctl(l->ep, EPOLL_CTL_DEL, w->fd, NULL);
	for (i = l->cur + 1; i < l->nev; i++)
		if (l->ev[i].data.ptr == w)
			l->ev[i].data.ptr = NULL;
}

void ifstat_loop_stop(struct ifstat_loop *l, int ret)
{
	l->stop = true;
	l->ret = ret;
}

int ifstat_loop_run(struct ifstat_loop *l)
{
	l->stop = false;
	l->ret = 0;
	while (!l->stop) {
		int n = epoll_wait(l->ep, l->ev, LOOP_BATCH, -1);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			log_err("event loop: %s", strerror(errno));
			return -errno;
		}
		l->nev = n;
		for (l->cur = 0; l->cur < n && !l->stop; l->cur++) {
			struct ifstat_watch *w = l->ev[l->cur].data.ptr;

			if (w)
				w->cb(w, l->ev[l->cur].events);
		}
		l->nev = 0;
		l->cur = 0;
	}
	return l->ret;
}

int ifstat_timer_init(struct ifstat_loop *l, struct ifstat_watch *w,
		      ifstat_watch_cb cb, void *ctx)
{
	int ret;

	w->fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (w->fd < 0)
		return -errno;
	w->cb = cb;
	w->ctx = ctx;
	ret = ifstat_loop_add(l, w, EPOLLIN);
	if (ret) {
		close(w->fd);
		w->fd = -1;
	}
	return ret;
}

int ifstat_timer_set(struct ifstat_watch *w, uint64_t ms, bool periodic)
{
	struct itimerspec its = { 0 };

	its.it_value.tv_sec = (time_t)(ms / 1000);
	its.it_value.tv_nsec = (long)(ms % 1000) * 1000000;
	if (periodic)
		its.it_interval = its.it_value;
	return timerfd_settime(w->fd, 0, &its, NULL) ? -errno : 0;
}

void ifstat_timer_ack(struct ifstat_watch *w)
{
	uint64_t expirations;

	/* EAGAIN: re-armed after the event fired; nothing to take. */
	if (read(w->fd, &expirations, sizeof(expirations)) < 0)
		(void)errno;
}

void ifstat_timer_close(struct ifstat_loop *l, struct ifstat_watch *w)
{
	if (w->fd < 0)
		return;
	ifstat_loop_del(l, w);
	close(w->fd);
	w->fd = -1;
}
