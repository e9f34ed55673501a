// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include "daemon.h"

#include <errno.h>
#include <stddef.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "bpffs.h"
#include "ifaces.h"
#include "linkwatch.h"
#include "log.h"
#include "loop.h"
#include "notify.h"
#include "publisher.h"
#include "snapjson.h"

/* ifstatd's state. The publishers see only host. */
struct ifstatd {
	struct ifstat_host host;
	struct ifstat_status status;
	const struct ifstatd_args *args;
	struct ifstat_loop *loop;
	struct ifstat_config conf; /* running */
	struct ifstatd_ifaces ifaces; /* what is counted, and its readings */
	bool counting; /* ifaces started */
	struct ifstat_linkwatch links;
	struct ifstat_watch tick, signals;
	struct ifstat_view view; /* the last reading */
	bool have_view;
	struct ifstat_buf line; /* view as a JSON line, once asked for */
	bool line_fresh;
	struct ifstat_publisher *pubs[8];
	unsigned int npubs;
};

static struct ifstatd *of_host(struct ifstat_host *h)
{
	return (struct ifstatd *)((char *)h - offsetof(struct ifstatd, host));
}

static int read_now(struct ifstatd *d)
{
	int ret;

	if (!d->counting)
		return -EAGAIN;
	d->line_fresh = false; /* the view changes, even on a failed read */
	d->have_view = false;
	ret = ifstatd_ifaces_read(&d->ifaces, &d->view);
	if (ret) {
		log_err("cannot read the counters: %s", strerror(-ret));
		return ret;
	}
	d->view.interval_ms = d->conf.interval_ms;
	d->view.time_ms = ifstat_now_ms();
	d->have_view = true;
	return 0;
}

static int host_read(struct ifstat_host *h, const struct ifstat_view **out)
{
	struct ifstatd *d = of_host(h);
	int ret = read_now(d);

	if (!ret)
		*out = &d->view;
	return ret;
}

static int host_line(struct ifstat_host *h, const struct ifstat_buf **out)
{
	struct ifstatd *d = of_host(h);

	if (!d->view.nentries)
		return -EAGAIN;
	if (!d->line_fresh) {
		ifstat_buf_reset(&d->line);
		ifstat_json_snapshot(&d->line, &d->view, -1);
		if (d->line.err) {
			log_err("snapshot: %s", strerror(-d->line.err));
			return d->line.err;
		}
		d->line_fresh = true;
	}
	*out = &d->line;
	return 0;
}

static bool listening(const struct ifstatd *d)
{
	unsigned int i;

	for (i = 0; i < d->npubs; i++)
		if (d->pubs[i]->ops->listening &&
		    d->pubs[i]->ops->listening(d->pubs[i]))
			return true;
	return false;
}

/*
 * One reading for every publisher that has someone to tell (read: read
 * even without, for a caller that needs the reading).
 */
static int publish(struct ifstatd *d, bool read)
{
	unsigned int i;
	int ret;

	/* Nobody to tell: no read, no line (formatting was most of an idle
	 * daemon's CPU, bench/RESULTS.md). */
	if (!read && !listening(d))
		return 0;
	ret = read_now(d);
	if (ret)
		return ret;
	for (i = 0; i < d->npubs; i++)
		if (d->pubs[i]->ops->publish)
			d->pubs[i]->ops->publish(d->pubs[i], &d->view);
	return 0;
}

static void on_tick(struct ifstat_watch *w, uint32_t events)
{
	struct ifstatd *d = w->ctx;

	(void)events;
	ifstat_timer_ack(w);
	ifstatd_ifaces_retry(&d->ifaces);
	publish(d, false);
}

/*
 * Every publisher takes its settings from d->conf. At start the first
 * failure stops; at reload one that cannot apply its new settings keeps
 * its old ones (and writes them back into d->conf) while the others go
 * on, and the reload counts as failed.
 */
static int publishers_apply(struct ifstatd *d, bool start,
			    struct ifstat_diags *errs)
{
	unsigned int i;
	int ret = 0, r;

	for (i = 0; i < d->npubs; i++) {
		r = d->pubs[i]->ops->apply(d->pubs[i], &d->conf, errs);
		if (!ret)
			ret = r;
		if (ret && start)
			break;
	}
	return ret;
}

static int publishers_create(struct ifstatd *d)
{
	const struct ifstat_publisher_ops *const *ops;

	for (ops = ifstat_publishers; *ops; ops++) {
		struct ifstat_publisher *p;

		if (d->npubs == sizeof(d->pubs) / sizeof(d->pubs[0]))
			return -E2BIG;
		p = calloc(1, (*ops)->size);
		if (!p)
			return -ENOMEM;
		p->ops = *ops;
		p->host = &d->host;
		d->pubs[d->npubs++] = p;
	}
	return 0;
}

static void publishers_destroy(struct ifstatd *d)
{
	while (d->npubs) {
		struct ifstat_publisher *p = d->pubs[--d->npubs];

		if (p->ops->stop)
			p->ops->stop(p);
		free(p);
	}
}

/* Returns 0, or -errno with nothing changed (*partial false) or with the
 * filters replaced but a publisher on its old settings (*partial). */
static int apply(struct ifstatd *d, const struct ifstat_config *c,
		 struct ifstat_diags *errs, bool *partial)
{
	unsigned int interval_ms;
	int ret;

	ret = ifstatd_ifaces_apply(&d->ifaces, c, &d->conf,
				   d->args->keep || d->conf.keep_counters);
	if (ret)
		return ret;
	interval_ms = d->conf.interval_ms;
	d->conf = *c;
	if (c->interval_ms != interval_ms)
		ifstat_timer_set(&d->tick, c->interval_ms, true);
	ret = publishers_apply(d, false, errs);
	*partial = ret != 0;
	return ret;
}

/*
 * Reads the configuration again (SIGHUP, ubus reload). A valid one
 * replaces the filters without a counting gap and the publishers take
 * their new settings; a refused one changes nothing. Its errors are
 * logged and, when errs is given, left there. Returns 0 or -errno.
 */
static int reload(struct ifstatd *d, struct ifstat_diags *errs)
{
	struct ifstat_config *c = malloc(sizeof(*c));
	struct ifstat_diags *local = errs ? NULL : malloc(sizeof(*local));
	bool partial = false;
	int ret;

	if (!c || (!errs && !local)) {
		ret = -ENOMEM;
		goto out;
	}
	if (!errs)
		errs = local;
	d->status.reload_time_ms = ifstat_now_ms();
	ret = ifstatd_build_config(d->args, c, errs);
	if (!ret && ifstat_config_same(c, &d->conf)) {
		log_info("reload: configuration unchanged");
	} else if (!ret) {
		ret = apply(d, c, errs, &partial);
		if (ret && !partial)
			ifstat_diag_add(errs, "reload", 0, NULL, NULL,
					"cannot apply: %s", strerror(-ret));
		else if (!ret)
			log_info("reload: %u filters on %u interfaces",
				 c->nfilters, c->ninterfaces);
	}
	d->status.reload_ok = !ret;
	if (ret) {
		log_err(partial ? "reload applied in part:"
				: "reload refused, the running configuration "
				  "stays:");
		ifstatd_log_diags(errs);
	}
	/* Clients see the new filter set at once; the tick keeps its
	 * rhythm. */
	if (!ret || partial)
		publish(d, false);
out:
	free(local);
	free(c);
	return ret;
}

static int host_reload(struct ifstat_host *h, struct ifstat_diags *errs)
{
	struct ifstatd *d = of_host(h);

	return d->counting ? reload(d, errs) : -EAGAIN;
}

/* Zeroes one filter (index) or everything (-1); moves the epoch. */
static int host_reset(struct ifstat_host *h, int index, uint64_t *epoch)
{
	struct ifstatd *d = of_host(h);
	int ret;

	if (!d->counting)
		return -EAGAIN;
	ret = ifstatd_ifaces_reset(&d->ifaces, index);
	if (ret)
		return ret;
	if (index < 0)
		log_info("counters reset");
	else
		log_info("counters of filter %d reset", index);
	ret = publish(d, true);
	if (!ret)
		*epoch = d->view.epoch;
	return ret;
}

static const struct ifstat_host_ops host_ops = {
	.read = host_read,
	.line = host_line,
	.reset = host_reset,
	.reload = host_reload,
};

static void on_signal(struct ifstat_watch *w, uint32_t events)
{
	struct ifstatd *d = w->ctx;
	struct signalfd_siginfo si;

	(void)events;
	while (read(w->fd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGHUP) {
			log_info("SIGHUP: reloading");
			notify_systemd("RELOADING=1");
			reload(d, NULL);
			notify_systemd("READY=1");
			continue;
		}
		log_info("%s: stopping", strsignal((int)si.ssi_signo));
		ifstat_loop_stop(d->loop, 0);
		return;
	}
}

static int watch_signals(struct ifstatd *d)
{
	sigset_t mask;

	/* Clients that go away are seen as EPIPE, not as a signal. */
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &mask, NULL))
		return -errno;
	d->signals.fd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	if (d->signals.fd < 0)
		return -errno;
	d->signals.cb = on_signal;
	d->signals.ctx = d;
	return ifstat_loop_add(d->loop, &d->signals, EPOLLIN);
}

int ifstatd_run(const struct ifstatd_args *a, struct ifstat_config *c)
{
	struct ifstatd *d = calloc(1, sizeof(*d));
	bool keep;
	int ret;

	if (!d)
		return -ENOMEM;
	d->args = a;
	d->conf = *c;
	d->status.start_time_ms = ifstat_now_ms();
	d->status.reload_time_ms = d->status.start_time_ms;
	d->status.reload_ok = true;
	d->signals.fd = -1;
	d->tick.fd = -1;
	ifstat_buf_init(&d->line);
	ret = ifstat_loop_new(&d->loop);
	d->host.ops = &host_ops;
	d->host.loop = d->loop;
	d->host.status = &d->status;
	if (!ret)
		ret = watch_signals(d);
	if (!ret)
		ret = publishers_create(d);
	/* Publishers first: one that cannot start (socket path) stops the
	 * start before anything is attached. No client is served before
	 * the loop runs, after the attach. */
	if (!ret) {
		struct ifstat_diags *errs = malloc(sizeof(*errs));

		ret = errs ? publishers_apply(d, true, errs) : -ENOMEM;
		free(errs); /* at start each publisher logs why itself */
	}
	/* Subscribed before the interfaces are looked at: no change in
	 * between goes unseen. */
	d->links.w.fd = -1;
	if (!ret)
		ret = ifstat_linkwatch_start(&d->links, d->loop,
					     ifstatd_ifaces_event, &d->ifaces);
	if (!ret)
		ret = ifstatd_ifaces_start(&d->ifaces, &d->conf, a->pin_root);
	if (ret)
		goto out;
	d->counting = true;
	ret = ifstat_timer_init(d->loop, &d->tick, on_tick, d);
	if (!ret)
		ret = ifstat_timer_set(&d->tick, d->conf.interval_ms, true);
	if (!ret) {
		log_info("counting %u interface(s) (%s), %u filters, every %u "
			 "ms",
			 d->conf.ninterfaces,
			 ifstat_dirs_name(d->conf.direction), d->conf.nfilters,
			 d->conf.interval_ms);
		notify_systemd("READY=1");
		ret = ifstat_loop_run(d->loop);
		notify_systemd("STOPPING=1");
	}
	keep = a->keep || d->conf.keep_counters;
	if (keep && ifstat_bpffs_ephemeral())
		log_warn("counters not kept: the bpffs holding them was "
			 "mounted "
			 "in a private mount namespace, which ends with "
			 "ifstatd");
	else if (keep)
		log_info("counters kept in %s",
			 a->pin_root ? a->pin_root : IFSTAT_PIN_ROOT);
	ifstatd_ifaces_stop(&d->ifaces, keep);
	d->counting = false;
out:
	ifstat_linkwatch_stop(&d->links);
	publishers_destroy(d);
	ifstat_timer_close(d->loop, &d->tick);
	if (d->signals.fd >= 0)
		close(d->signals.fd);
	ifstat_loop_free(d->loop);
	ifstat_buf_free(&d->line);
	free(d);
	return ret;
}
