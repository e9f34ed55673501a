/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The event loop: one epoll over a timerfd and a signalfd. */
#ifndef IFSTAT_LOOP_H
#define IFSTAT_LOOP_H

/* Calls tick(ctx) every interval_ms until SIGINT or SIGTERM. Returns 0 on
 * a signal, or tick's error. */
int ifstat_loop_run(unsigned int interval_ms, int (*tick)(void *ctx),
		    void *ctx);

#endif
