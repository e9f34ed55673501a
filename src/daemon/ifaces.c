// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include "ifaces.h"

#include <errno.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "text.h"

struct ifstatd_iface {
	char name[IF_NAMESIZE];
	struct ifstat_link *link;
	int failed; /* the ifindex an attach failed on: not retried */
	int held; /* the ifindex another ifstat held at the last try */
	bool waiting; /* "waiting for it" was logged */
	struct ifstat_snapshot snap[IFSTAT_NDIRS];
};

/* The link of c's interface i. */
static void link_opts(const struct ifstat_config *c, unsigned int i,
		      struct ifstat_link_opts *o)
{
	o->ifname = c->interfaces[i].name;
	o->dirs = ifstat_config_dirs(c, i);
	o->hook = c->hook;
	o->xdp_mode = c->xdp_mode;
}

static int iface_new(struct ifstatd_ifaces *s, const struct ifstat_config *c,
		     unsigned int i, struct ifstatd_iface **out)
{
	struct ifstatd_iface *f = calloc(1, sizeof(*f));
	struct ifstat_link_opts o;
	int ret;

	if (!f)
		return -ENOMEM;
	snprintf(f->name, sizeof(f->name), "%s", c->interfaces[i].name);
	link_opts(c, i, &o);
	o.ifname = f->name;
	ret = ifstat_link_open(s->e, &o, &f->link);
	if (ret) {
		free(f);
		return ret;
	}
	*out = f;
	return 0;
}

static void iface_free(struct ifstatd_iface *f, bool keep)
{
	ifstat_link_close(f->link, keep);
	free(f);
}

static void say_gone(const char *name)
{
	log_info("%s: the interface is gone; its counters are kept until it "
		 "comes back",
		 name);
}

/*
 * Brings f in line with the system: what it counts must still carry its
 * name (else it was renamed or deleted), and an interface of that name
 * is counted. strict: a failure to count is returned (at start); else it
 * is logged and tried again when the interface changes.
 */
static int sync_one(struct ifstatd_iface *f, bool strict)
{
	int idx = (int)if_nametoindex(f->name);
	int cur = ifstat_link_ifindex(f->link);
	char now[IF_NAMESIZE], shown[IF_NAMESIZE * 4];
	int ret;

	if (cur && cur != idx) {
		bool gone = !if_indextoname((unsigned int)cur, now);

		if (gone) {
			say_gone(f->name);
		} else {
			ifstat_visible(shown, sizeof(shown), now);
			log_info("%s: renamed to '%s', no longer counted; "
				 "its counters are kept until an interface "
				 "of that name comes back",
				 f->name, shown);
		}
		ifstat_link_detach(f->link, gone);
		f->waiting = true; /* said: no "not there yet" */
	}
	if (!idx) {
		if (!f->waiting)
			log_info("%s: no such interface yet; counting starts "
				 "when it appears",
				 f->name);
		f->waiting = true;
		f->failed = 0;
		f->held = 0;
		return 0;
	}
	if (cur == idx || f->failed == idx)
		return 0;
	ret = f->held == idx ? ifstat_link_attach_again(f->link, idx)
			     : ifstat_link_attach(f->link, idx);
	if (ret == -EBUSY && !strict) {
		/* Another ifstat counts it under its old name: it has not
		 * seen the rename yet (it hears of it when we do) or is
		 * stopped. No event tells when it lets go: each tick tries
		 * again (ifstatd_ifaces_retry). */
		if (f->held != idx)
			log_info("%s: counted once that ifstat lets go of "
				 "it",
				 f->name);
		f->held = idx;
		return 0;
	}
	f->held = 0;
	if (ret) {
		f->failed = idx;
		if (!strict)
			log_warn("%s: not counted (above); tried again when "
				 "the interface changes or at a reload",
				 f->name);
		return strict ? ret : 0;
	}
	f->waiting = false;
	f->failed = 0;
	log_info("%s: counting (ifindex %d, ingress %s, egress %s)", f->name,
		 idx, ifstat_link_hook(f->link, IFSTAT_DIR_INGRESS),
		 ifstat_link_hook(f->link, IFSTAT_DIR_EGRESS));
	return 0;
}

static void sync_all(struct ifstatd_ifaces *s)
{
	unsigned int i;

	/* Detaches first, so an interface renamed from one configured name
	 * to another is free for the second when its turn comes. */
	for (i = 0; i < s->n; i++) {
		int cur = ifstat_link_ifindex(s->v[i]->link);

		if (cur && cur != (int)if_nametoindex(s->v[i]->name))
			sync_one(s->v[i], false);
	}
	for (i = 0; i < s->n; i++)
		sync_one(s->v[i], false);
}

void ifstatd_ifaces_retry(struct ifstatd_ifaces *s)
{
	unsigned int i;

	for (i = 0; i < s->n; i++)
		if (s->v[i]->held)
			sync_one(s->v[i], false);
}

void ifstatd_ifaces_event(void *ctx, int ifindex, bool gone)
{
	struct ifstatd_ifaces *s = ctx;
	unsigned int i;

	if (!gone) {
		sync_all(s);
		return;
	}
	for (i = 0; i < s->n; i++) {
		if (ifstat_link_ifindex(s->v[i]->link) != ifindex)
			continue;
		say_gone(s->v[i]->name);
		/* Its programs went with it. */
		ifstat_link_detach(s->v[i]->link, true);
	}
}

int ifstatd_ifaces_start(struct ifstatd_ifaces *s,
			 const struct ifstat_config *c, const char *pin_root)
{
	struct ifstat_engine_opts eo = { .pin_root = pin_root };
	unsigned int i;
	int ret;

	memset(s, 0, sizeof(*s));
	s->pin_root = pin_root;
	ret = ifstat_engine_open(&s->e, &eo);
	for (i = 0; !ret && i < c->ninterfaces; i++) {
		ret = iface_new(s, c, i, &s->v[i]);
		if (!ret)
			s->n++;
	}
	if (!ret)
		ret = ifstat_engine_set_filters(s->e, c->filters, c->nfilters,
						c->edges, c->nedges);
	for (i = 0; !ret && i < s->n; i++)
		ret = sync_one(s->v[i], true);
	if (ret) {
		/* Nothing left behind that this start made. */
		for (i = 0; i < s->n; i++)
			iface_free(s->v[i], ifstat_link_reused(s->v[i]->link));
		s->n = 0;
		ifstatd_ifaces_stop(s, true);
	}
	return ret;
}

static struct ifstatd_iface *take(struct ifstatd_ifaces *s, const char *name)
{
	struct ifstatd_iface *f;
	unsigned int i;

	for (i = 0; i < s->n; i++) {
		f = s->v[i];
		if (f && !strcmp(f->name, name)) {
			s->v[i] = NULL;
			return f;
		}
	}
	return NULL;
}

int ifstatd_ifaces_apply(struct ifstatd_ifaces *s,
			 const struct ifstat_config *c,
			 const struct ifstat_config *old, bool keep)
{
	struct ifstatd_iface *v[IFSTAT_MAX_IFACES] = { 0 };
	bool fresh[IFSTAT_MAX_IFACES] = { 0 };
	struct ifstat_link_opts o;
	unsigned int i, n = c->ninterfaces;
	int ret = 0;

	/* New names first: a failure there leaves everything as it was. */
	for (i = 0; i < n && !ret; i++) {
		unsigned int j;

		for (j = 0; j < s->n; j++)
			if (!strcmp(s->v[j]->name, c->interfaces[i].name))
				break;
		if (j == s->n) {
			ret = iface_new(s, c, i, &v[i]);
			fresh[i] = !ret;
		}
	}
	if (!ret && !ifstat_config_same_filters(c, old))
		ret = ifstat_engine_set_filters(s->e, c->filters, c->nfilters,
						c->edges, c->nedges);
	if (ret) {
		for (i = 0; i < n; i++)
			if (fresh[i])
				iface_free(v[i],
					   ifstat_link_reused(v[i]->link));
		return ret;
	}
	for (i = 0; i < n; i++) {
		if (fresh[i]) {
			ret = ifstat_link_commit(v[i]->link);
			if (ret)
				log_warn("%s: the filters are not pinned "
					 "beside "
					 "its counters (%s): a restart does "
					 "not "
					 "continue them",
					 v[i]->name, strerror(-ret));
			continue;
		}
		v[i] = take(s, c->interfaces[i].name);
		link_opts(c, i, &o);
		o.ifname = v[i]->name;
		ifstat_link_configure(v[i]->link, &o);
		v[i]->failed = 0; /* a reload tries again */
	}
	for (i = 0; i < s->n; i++) {
		if (!s->v[i])
			continue;
		log_info("%s: no longer counted%s", s->v[i]->name,
			 keep ? "; its counters stay pinned" : "");
		ifstat_link_drop(s->v[i]->link, keep);
		free(s->v[i]);
	}
	memcpy(s->v, v, sizeof(v));
	s->n = n;
	sync_all(s);
	return 0;
}

int ifstatd_ifaces_read(struct ifstatd_ifaces *s, struct ifstat_view *v)
{
	unsigned int i, d, k = 0;
	int ret;

	for (i = 0; i < s->n; i++) {
		struct ifstatd_iface *f = s->v[i];
		enum ifstat_dirs dirs = ifstat_link_dirs(f->link);

		for (d = 0; d < IFSTAT_NDIRS; d++) {
			struct ifstat_entry *e = &s->entries[k];

			if (!(dirs & (1u << d)))
				continue;
			ret = ifstat_link_read(f->link, d, &f->snap[d]);
			if (ret)
				return ret;
			e->interface = f->name;
			e->direction = ifstat_dir_name(d);
			e->hook = ifstat_link_hook(f->link, d);
			e->mode = ifstat_link_mode(f->link, d);
			e->present = ifstat_link_ifindex(f->link) != 0 &&
				     strcmp(e->hook, "none");
			e->snap = &f->snap[d];
			k++;
		}
	}
	v->entries = s->entries;
	v->nentries = k;
	v->epoch = ifstat_engine_epoch(s->e);
	if (k) {
		v->nedges = s->entries[0].snap->nedges;
		v->edges = s->entries[0].snap->edges;
	}
	return 0;
}

int ifstatd_ifaces_reset(struct ifstatd_ifaces *s, int index)
{
	return ifstat_engine_reset(s->e, index);
}

void ifstatd_ifaces_stop(struct ifstatd_ifaces *s, bool keep)
{
	unsigned int i;

	for (i = 0; i < s->n; i++)
		iface_free(s->v[i], keep);
	s->n = 0;
	ifstat_engine_destroy(s->e);
	s->e = NULL;
}

int ifstatd_ifaces_detach(const struct ifstat_config *c, const char *pin_root)
{
	struct ifstat_engine_opts eo = { .pin_root = pin_root };
	struct ifstat_engine *e;
	unsigned int i;
	int ret = ifstat_engine_open(&e, &eo);

	for (i = 0; !ret && i < c->ninterfaces; i++) {
		struct ifstat_link_opts o = { .ifname = c->interfaces[i].name };
		struct ifstat_link *l;

		ret = ifstat_link_open(e, &o, &l);
		if (ret)
			break;
		ifstat_link_detach_from(
			l, (int)if_nametoindex(c->interfaces[i].name));
		ifstat_link_close(l, false);
	}
	ifstat_engine_destroy(e);
	return ret;
}
