// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include "daemon.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "log.h"
#include "notify.h"
#include "prom.h"
#include "sockpub.h"
#include "ubus.h"

static void report(struct ifstat_buf *errors, const char *msg)
{
	if (errors)
		ifstat_buf_printf(errors, "%s\n", msg);
	else
		ifstat_log_plain(IFSTAT_LOG_ERR, "%s", msg);
}

static void report_all(struct ifstat_buf *errors,
		       const struct ifstat_config_errors *errs)
{
	unsigned int i, n = errs->count < IFSTAT_CONF_MAX_ERRORS
				    ? errs->count
				    : IFSTAT_CONF_MAX_ERRORS;
	char more[64];

	for (i = 0; i < n; i++)
		report(errors, errs->msg[i]);
	if (errs->count > n) {
		snprintf(more, sizeof(more), "... and %u more errors",
			 errs->count - n);
		report(errors, more);
	}
}

int ifstatd_build_config(const struct ifstatd_args *a,
			 struct ifstat_config *out, struct ifstat_buf *errors)
{
	struct ifstat_config_errors *errs = calloc(1, sizeof(*errs));
	struct ifstat_config *c = calloc(1, sizeof(*c));
	const char *path = a->config;
	const char *name = "command line";
	char err[320];
	unsigned int i;
	int ret = 0;

	if (!errs || !c) {
		ret = -ENOMEM;
		goto out;
	}
	ifstat_config_defaults(c);
	if (!path && !access(IFSTAT_CONF_DEFAULT, F_OK))
		path = IFSTAT_CONF_DEFAULT;
	if (path) {
		name = path;
		ret = ifstat_config_load(path, c, errs);
		if (ret) {
			report_all(errors, errs);
			goto out;
		}
	}
	if (a->ifname) {
		if (strlen(a->ifname) >= sizeof(c->interface)) {
			snprintf(err, sizeof(err),
				 "-i: interface name too long ('%s')",
				 a->ifname);
			report(errors, err);
			ret = -EINVAL;
			goto out;
		}
		snprintf(c->interface, sizeof(c->interface), "%s", a->ifname);
	}
	for (i = 0; i < a->nfilters; i++) {
		if (ifstat_config_add_filter_arg(c, a->filters[i], err,
						 sizeof(err))) {
			report(errors, err);
			ret = -EINVAL;
		}
	}
	if (ifstat_config_check_interface(name, c, errs)) {
		report_all(errors, errs);
		ret = -EINVAL;
	}
	if (!ret) {
		ifstat_config_finish(c);
		*out = *c;
	}
out:
	free(c);
	free(errs);
	return ret;
}

int ifstatd_view(struct ifstatd *d, struct ifstat_view *v)
{
	int ret = ifstat_engine_read(d->engine, &d->snap);

	if (ret) {
		log_err("cannot read the counters: %s", strerror(-ret));
		return ret;
	}
	v->interface = d->conf.interface;
	v->xdp_mode = ifstat_mode_name(ifstat_engine_mode(d->engine));
	v->interval_ms = d->conf.interval_ms;
	v->time_ms = ifstat_now_ms();
	v->snap = &d->snap;
	return 0;
}

/* One read, one JSON line for every socket client, and ubus. */
static void publish(struct ifstatd *d)
{
	struct ifstat_view v;

	/* Nobody to tell: no read, no line (formatting was most of an idle
	 * daemon's CPU, bench/RESULTS.md). */
	if (!ifstat_sockpub_clients(d->sock) && !d->ubus)
		return;
	if (ifstatd_view(d, &v))
		return;
	if (ifstat_sockpub_clients(d->sock)) {
		ifstat_buf_reset(&d->line);
		ifstat_json_snapshot(&d->line, &v, -1);
		if (d->line.err) {
			log_err("snapshot: %s", strerror(-d->line.err));
			return;
		}
		ifstat_sockpub_publish(d->sock, d->line.data, d->line.len);
	}
	ifstat_ubus_publish(d->ubus, &v);
}

static void on_tick(struct ifstat_watch *w, uint32_t events)
{
	(void)events;
	ifstat_timer_ack(w);
	publish(w->ctx);
}

static int apply_socket(struct ifstatd *d, const struct ifstat_config *old)
{
	const struct ifstat_config *c = &d->conf;
	struct ifstat_sockpub *s = NULL;
	int ret;

	if (old && !strcmp(old->socket, c->socket)) {
		if (!strcmp(old->socket_group, c->socket_group) &&
		    old->max_clients == c->max_clients)
			return 0;
		return ifstat_sockpub_update(d->sock, c->socket_group,
					     c->max_clients);
	}
	ret = ifstat_sockpub_start(d, c->socket, c->socket_group,
				   c->max_clients, &s);
	if (ret)
		return ret;
	ifstat_sockpub_stop(d->sock);
	d->sock = s;
	return 0;
}

static int apply_prom(struct ifstatd *d, const struct ifstat_config *old)
{
	if (old && !strcmp(old->prometheus, d->conf.prometheus))
		return 0;
	return ifstat_prom_move(d, d->conf.prometheus, &d->prom);
}

/*
 * A publisher that kept its old settings on reload: the running
 * configuration says so (what is published, and the next SIGHUP tries
 * again since the file then differs), and the reload counts as failed.
 */
static void kept(struct ifstatd *d, const struct ifstat_config *old,
		 const char *what, int err, struct ifstat_buf *errors)
{
	struct ifstat_config *c = &d->conf;

	if (!strcmp(what, "socket")) {
		memcpy(c->socket, old->socket, sizeof(c->socket));
		memcpy(c->socket_group, old->socket_group,
		       sizeof(c->socket_group));
		c->max_clients = old->max_clients;
	} else if (!strcmp(what, "prometheus")) {
		memcpy(c->prometheus, old->prometheus, sizeof(c->prometheus));
		if (!d->prom && c->prometheus[0]) {
			/* The old one could not come back either. */
			c->prometheus[0] = '\0';
			ifstat_buf_printf(errors,
					  "reload: prometheus: %s; the "
					  "endpoint is off\n",
					  strerror(-err));
			return;
		}
	}
	ifstat_buf_printf(errors,
			  "reload: %s: %s; the filters were replaced, %s "
			  "keeps its old settings\n",
			  what, strerror(-err), what);
}

/*
 * The publishers: each (re)started when its settings changed (old NULL:
 * at start, where a failure is fatal). At reload one that cannot start
 * keeps its old settings (kept) and the others go on.
 */
static int publishers_apply(struct ifstatd *d, const struct ifstat_config *old,
			    struct ifstat_buf *errors)
{
	int ret = apply_socket(d, old), prom, ubus;

	if (ret && !old)
		return ret;
	if (ret)
		kept(d, old, "socket", ret, errors);
	prom = apply_prom(d, old);
	if (prom && !old)
		return prom;
	if (prom)
		kept(d, old, "prometheus", prom, errors);
	ubus = ifstat_ubus_apply(d);
	if (ubus && old)
		ifstat_buf_printf(errors, "reload: ubus: %s\n",
				  strerror(-ubus));
	return ret ? ret : prom ? prom : ubus;
}

static void publishers_stop(struct ifstatd *d)
{
	ifstat_sockpub_stop(d->sock);
	d->sock = NULL;
	ifstat_prom_stop(d->prom);
	d->prom = NULL;
	ifstat_ubus_stop(d->ubus);
	d->ubus = NULL;
}

/*
 * An engine counting c's filters on c's interface. A failure leaves
 * nothing behind that this call created; counters found pinned stay for
 * the next try.
 */
static int open_engine(const struct ifstatd *d, const struct ifstat_config *c,
		       struct ifstat_engine **out)
{
	struct ifstat_engine_opts eo = { .ifname = c->interface,
					 .pin_root = d->args->pin_root };
	struct ifstat_engine *e = NULL;
	int ret = ifstat_engine_open(&e, &eo);

	if (ret)
		return ret;
	ret = ifstat_engine_set_filters(e, c->filters, c->nfilters, c->edges,
					c->nedges);
	if (!ret)
		ret = ifstat_engine_attach(e, c->xdp_mode);
	if (ret) {
		if (!ifstat_engine_resumed(e))
			ifstat_engine_detach(e, ifstat_engine_reused(e));
		ifstat_engine_destroy(e);
		return ret;
	}
	*out = e;
	return 0;
}

/* A new interface: attach there first, then leave the old one, so a
 * failure leaves the running state as it was. */
static int move_interface(struct ifstatd *d, const struct ifstat_config *c)
{
	struct ifstat_engine *e;
	int ret = open_engine(d, c, &e);

	if (ret)
		return ret;
	ifstat_engine_detach(d->engine, d->args->keep || d->conf.keep_counters);
	ifstat_engine_destroy(d->engine);
	d->engine = e;
	log_info("now counting %s (%s)", c->interface,
		 ifstat_mode_name(ifstat_engine_mode(e)));
	return 0;
}

/* Returns 0, or -errno with nothing changed (*partial false) or with the
 * filters replaced but a publisher on its old settings (*partial). */
static int apply(struct ifstatd *d, const struct ifstat_config *c,
		 struct ifstat_buf *errors, bool *partial)
{
	struct ifstat_config *old = malloc(sizeof(*old));
	int ret;

	if (!old)
		return -ENOMEM;
	if (strcmp(c->interface, d->conf.interface))
		ret = move_interface(d, c);
	else
		ret = ifstat_engine_set_filters(d->engine, c->filters,
						c->nfilters, c->edges,
						c->nedges);
	if (ret)
		goto out;
	if (c->xdp_mode != d->conf.xdp_mode &&
	    !strcmp(c->interface, d->conf.interface))
		log_warn("xdp_mode: the change to %s takes effect at the next "
			 "start (running: %s)",
			 ifstat_mode_name(c->xdp_mode),
			 ifstat_mode_name(ifstat_engine_mode(d->engine)));
	*old = d->conf;
	d->conf = *c;
	if (c->interval_ms != old->interval_ms)
		ifstat_timer_set(&d->tick, c->interval_ms, true);
	ret = publishers_apply(d, old, errors);
	*partial = ret != 0;
out:
	free(old);
	return ret;
}

int ifstatd_reload(struct ifstatd *d, struct ifstat_buf *errors)
{
	struct ifstat_config *c = malloc(sizeof(*c));
	struct ifstat_buf local;
	bool partial = false;
	int ret;

	if (!c)
		return -ENOMEM;
	ifstat_buf_init(&local);
	d->reload.time_ms = ifstat_now_ms();
	ret = ifstatd_build_config(d->args, c, &local);
	if (!ret && ifstat_config_same(c, &d->conf)) {
		log_info("reload: configuration unchanged");
	} else if (!ret) {
		ret = apply(d, c, &local, &partial);
		if (ret && !partial)
			ifstat_buf_printf(&local, "reload: cannot apply: %s\n",
					  strerror(-ret));
		else if (!ret)
			log_info("reload: %u filters on %s", c->nfilters,
				 c->interface);
	}
	d->reload.ok = !ret;
	snprintf(d->reload.error, sizeof(d->reload.error), "%s",
		 ret && local.data ? local.data : "");
	if (ret) {
		const char *p = local.data;

		log_err(partial ? "reload applied in part:"
				: "reload refused, the running configuration "
				  "stays:");
		while (p && *p) {
			size_t n = strcspn(p, "\n");

			ifstat_log_plain(IFSTAT_LOG_ERR, "%.*s", (int)n, p);
			p += n + (p[n] == '\n');
		}
		if (errors)
			ifstat_buf_add(errors, local.data ? local.data : "",
				       local.len);
	}
	/* Clients see the new filter set at once; the tick keeps its
	 * rhythm. */
	if (!ret || partial)
		publish(d);
	ifstat_buf_free(&local);
	free(c);
	return ret;
}

int ifstatd_reset(struct ifstatd *d, int index)
{
	int ret = ifstat_engine_reset(d->engine, index);

	if (ret)
		return ret;
	if (index < 0)
		log_info("counters reset");
	else
		log_info("counters of filter %d reset", index);
	publish(d);
	return 0;
}

static void on_signal(struct ifstat_watch *w, uint32_t events)
{
	struct ifstatd *d = w->ctx;
	struct signalfd_siginfo si;

	(void)events;
	while (read(w->fd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGHUP) {
			log_info("SIGHUP: reloading");
			notify_systemd("RELOADING=1");
			ifstatd_reload(d, NULL);
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
	d->start_time_ms = ifstat_now_ms();
	d->signals.fd = -1;
	d->tick.fd = -1;
	ifstat_buf_init(&d->line);
	ret = ifstat_loop_new(&d->loop);
	if (!ret)
		ret = watch_signals(d);
	/* Publishers first: one that cannot start (socket path) stops the
	 * start before anything is attached. No client is served before
	 * the loop runs, after the attach. */
	if (!ret)
		ret = publishers_apply(d, NULL, NULL);
	if (!ret)
		ret = open_engine(d, &d->conf, &d->engine);
	if (ret)
		goto out;
	ret = ifstat_timer_init(d->loop, &d->tick, on_tick, d);
	if (!ret)
		ret = ifstat_timer_set(&d->tick, d->conf.interval_ms, true);
	if (!ret) {
		log_info("counting %s (%s), %u filters, every %u ms",
			 d->conf.interface,
			 ifstat_mode_name(ifstat_engine_mode(d->engine)),
			 d->conf.nfilters, d->conf.interval_ms);
		notify_systemd("READY=1");
		ret = ifstat_loop_run(d->loop);
		notify_systemd("STOPPING=1");
	}
	keep = a->keep || d->conf.keep_counters;
	if (!ifstat_engine_detach(d->engine, keep) && keep)
		log_info("counters kept in %s",
			 ifstat_engine_pin_dir(d->engine));
	ifstat_engine_destroy(d->engine);
out:
	publishers_stop(d);
	ifstat_timer_close(d->loop, &d->tick);
	if (d->signals.fd >= 0)
		close(d->signals.fd);
	ifstat_loop_free(d->loop);
	ifstat_buf_free(&d->line);
	free(d);
	return ret;
}
