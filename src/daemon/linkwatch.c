// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include "linkwatch.h"

#include <errno.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "log.h"

static void on_netlink(struct ifstat_watch *w, uint32_t events)
{
	struct ifstat_linkwatch *lw = w->ctx;
	char buf[16384] __attribute__((aligned(NLMSG_ALIGNTO)));
	bool any = false;
	ssize_t n;

	(void)events;
	for (;;) {
		struct nlmsghdr *h;

		n = recv(w->fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0 && errno == ENOBUFS) {
			/* Messages lost: what we know may be stale. */
			log_warn("interface events were lost; looking at "
				 "every configured interface again");
			any = true;
			continue;
		}
		if (n <= 0)
			break;
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)n);
		     h = NLMSG_NEXT(h, n)) {
			struct ifinfomsg *ifi = NLMSG_DATA(h);

			if (h->nlmsg_type != RTM_NEWLINK &&
			    h->nlmsg_type != RTM_DELLINK)
				continue;
			if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*ifi)))
				continue;
			any = true;
			/* A bridge port leaving its bridge is announced as a
			 * DELLINK of family AF_BRIDGE: the port stays. */
			if (h->nlmsg_type == RTM_DELLINK &&
			    ifi->ifi_family != AF_BRIDGE)
				lw->cb(lw->ctx, ifi->ifi_index, true);
		}
	}
	if (any)
		lw->cb(lw->ctx, 0, false);
}

int ifstat_linkwatch_start(struct ifstat_linkwatch *lw,
			   struct ifstat_loop *loop, ifstat_link_cb cb,
			   void *ctx)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK,
				  .nl_groups = RTMGRP_LINK };
	int ret, size = 1 << 20;

	lw->loop = loop;
	lw->cb = cb;
	lw->ctx = ctx;
	lw->w.fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK,
			  NETLINK_ROUTE);
	if (lw->w.fd < 0) {
		ret = -errno;
		log_err("cannot open an rtnetlink socket: %s", strerror(-ret));
		return ret;
	}
	/* A burst (a bridge with many ports going down) must not overrun
	 * it; if it still does, ENOBUFS says so. */
	setsockopt(lw->w.fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	if (bind(lw->w.fd, (struct sockaddr *)&sa, sizeof(sa))) {
		ret = -errno;
		log_err("cannot watch interfaces (rtnetlink): %s",
			strerror(-ret));
		close(lw->w.fd);
		lw->w.fd = -1;
		return ret;
	}
	lw->w.cb = on_netlink;
	lw->w.ctx = lw;
	ret = ifstat_loop_add(loop, &lw->w, EPOLLIN);
	if (ret) {
		close(lw->w.fd);
		lw->w.fd = -1;
	}
	return ret;
}

void ifstat_linkwatch_stop(struct ifstat_linkwatch *lw)
{
	if (lw->w.fd < 0)
		return;
	ifstat_loop_del(lw->loop, &lw->w);
	close(lw->w.fd);
	lw->w.fd = -1;
}
