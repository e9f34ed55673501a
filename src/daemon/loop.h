/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The event loop: one epoll set. Every source (timers, signals, sockets,
 * the ubus connection, the HTTP server) is a watch on a file descriptor,
 * so the daemon never sleeps or polls.
 */
#ifndef IFSTAT_LOOP_H
#define IFSTAT_LOOP_H

#include <stdbool.h>
#include <stdint.h>

struct ifstat_loop;
struct ifstat_watch;

/* events: the EPOLL* bits that fired. */
typedef void (*ifstat_watch_cb)(struct ifstat_watch *w, uint32_t events);

/* Embedded in its owner (container_of style), never allocated here. */
struct ifstat_watch {
	int fd;
	ifstat_watch_cb cb;
	void *ctx;
};

int ifstat_loop_new(struct ifstat_loop **out);
void ifstat_loop_free(struct ifstat_loop *l);

/* events: EPOLLIN, EPOLLOUT, ... (level-triggered). */
int ifstat_loop_add(struct ifstat_loop *l, struct ifstat_watch *w,
		    uint32_t events);
int ifstat_loop_mod(struct ifstat_loop *l, struct ifstat_watch *w,
		    uint32_t events);
/* Safe from inside any callback, also for a watch whose event is still
 * pending in the same round. */
void ifstat_loop_del(struct ifstat_loop *l, struct ifstat_watch *w);

/* Runs until ifstat_loop_stop; returns the value given to it. */
int ifstat_loop_run(struct ifstat_loop *l);
void ifstat_loop_stop(struct ifstat_loop *l, int ret);

/*
 * A timerfd watch. ifstat_timer_set arms it after ms (0 disarms), then
 * every ms when periodic. The callback reads the expirations itself
 * through ifstat_timer_ack.
 */
int ifstat_timer_init(struct ifstat_loop *l, struct ifstat_watch *w,
		      ifstat_watch_cb cb, void *ctx);
int ifstat_timer_set(struct ifstat_watch *w, uint64_t ms, bool periodic);
void ifstat_timer_ack(struct ifstat_watch *w);
void ifstat_timer_close(struct ifstat_loop *l, struct ifstat_watch *w);

#endif
