// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * XDP attach policy: which mode, where ifstat sits in a libxdp
 * dispatcher, taking over a running instance at a restart, naming what
 * holds the interface, detaching only ours.
 */
#include <errno.h>
#include <linux/if_link.h>
#include <stdio.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <xdp/libxdp.h>

#include "bpffs.h"
#include "engine_impl.h"
#include "kcheck.h"
#include "log.h"

static struct xdp_program *find_ours(const struct xdp_multiprog *mp)
{
	struct xdp_program *p;

	if (xdp_multiprog__is_legacy(mp)) {
		p = xdp_multiprog__main_prog(mp);
		return p && !strcmp(xdp_program__name(p), IFSTAT_PROG_NAME)
			       ? p
			       : NULL;
	}
	for (p = xdp_multiprog__next_prog(NULL, mp); p;
	     p = xdp_multiprog__next_prog(p, mp))
		if (!strcmp(xdp_program__name(p), IFSTAT_PROG_NAME))
			return p;
	return NULL;
}

bool ifstat_xdp_ours_attached(int ifindex)
{
	struct xdp_multiprog *mp = xdp_multiprog__get_from_ifindex(ifindex);
	bool ours;

	if (!mp || libxdp_get_error(mp))
		return false;
	ours = find_ours(mp) != NULL;
	xdp_multiprog__close(mp);
	return ours;
}

static enum xdp_attach_mode xdp_mode(enum ifstat_mode m)
{
	switch (m) {
	case IFSTAT_MODE_NATIVE:
		return XDP_MODE_NATIVE;
	case IFSTAT_MODE_GENERIC:
		return XDP_MODE_SKB;
	default:
		return XDP_MODE_UNSPEC;
	}
}

/* Names what holds the interface, for the one-line error. */
static void describe_holder(int ifindex, char *buf, size_t len)
{
	struct xdp_multiprog *mp = xdp_multiprog__get_from_ifindex(ifindex);
	struct xdp_program *p;

	snprintf(buf, len, "another XDP program");
	if (!mp || libxdp_get_error(mp))
		return;
	p = xdp_multiprog__main_prog(mp);
	if (xdp_multiprog__is_legacy(mp) && p)
		snprintf(buf, len, "XDP program '%s' (id %u)",
			 xdp_program__name(p), xdp_program__id(p));
	else if (p)
		snprintf(buf, len,
			 "the libxdp dispatcher (id %u) with %d programs",
			 xdp_program__id(p), xdp_multiprog__program_count(mp));
	xdp_multiprog__close(mp);
}

static int attach_mode(struct ifstat_link *l, enum xdp_attach_mode m)
{
	return xdp_program__attach(l->xprog, l->ifindex, m, 0);
}

/* Whether the program prog_fd reads the map map_fd. */
static bool prog_uses(int prog_fd, int map_fd)
{
	struct bpf_map_info mi = {};
	struct bpf_prog_info pi = {};
	__u32 ml = sizeof(mi), pl = sizeof(pi), ids[8], i;

	if (prog_fd < 0 || bpf_obj_get_info_by_fd(map_fd, &mi, &ml))
		return false;
	pi.nr_map_ids = sizeof(ids) / sizeof(ids[0]);
	pi.map_ids = (__u64)(unsigned long)ids;
	if (bpf_obj_get_info_by_fd(prog_fd, &pi, &pl))
		return false;
	for (i = 0; i < pi.nr_map_ids && i < sizeof(ids) / sizeof(ids[0]); i++)
		if (ids[i] == mi.id)
			return true;
	return false;
}

/* A restart: swap the running program for ours in one step, no gap. */
static int replace_running(struct ifstat_link *l, int prog_fd)
{
	struct xdp_multiprog *mp = xdp_multiprog__get_from_ifindex(l->ifindex);
	struct xdp_program *ours;
	enum xdp_attach_mode m;
	int ret;

	if (!mp || libxdp_get_error(mp))
		return -ENOENT;
	ours = find_ours(mp);
	if (!xdp_multiprog__is_legacy(mp) && ours &&
	    prog_uses(xdp_program__fd(ours), l->e->conf_fd) &&
	    prog_uses(xdp_program__fd(ours), l->counters_fd)) {
		/* Under the dispatcher the old instance shares our maps and
		 * reads any filter set from them: it keeps counting and we
		 * leave the dispatcher alone. */
		l->mode = xdp_multiprog__attach_mode(mp) == XDP_MODE_SKB
				  ? IFSTAT_MODE_GENERIC
				  : IFSTAT_MODE_NATIVE;
		xdp_multiprog__close(mp);
		return 0;
	}
	if (!xdp_multiprog__is_legacy(mp)) {
		/* It reads other maps (a configuration not continued): it
		 * leaves, ours comes in anew. */
		ret = ours ? xdp_program__detach(ours, l->ifindex,
						 xdp_multiprog__attach_mode(mp),
						 0)
			   : -ENOENT;
		xdp_multiprog__close(mp);
		return ret ? ret : -ESTALE;
	}
	m = xdp_multiprog__attach_mode(mp);
	{
		LIBBPF_OPTS(bpf_xdp_attach_opts, o,
			    .old_prog_fd = xdp_program__fd(
				    xdp_multiprog__main_prog(mp)));
		__u32 flags = XDP_FLAGS_REPLACE |
			      (m == XDP_MODE_SKB ? XDP_FLAGS_SKB_MODE
						 : XDP_FLAGS_DRV_MODE);

		ret = bpf_xdp_attach(l->ifindex, prog_fd, flags, &o);
	}
	xdp_multiprog__close(mp);
	if (ret)
		return ret;
	l->mode = m == XDP_MODE_SKB ? IFSTAT_MODE_GENERIC : IFSTAT_MODE_NATIVE;
	return 0;
}

/* libxdp's view of the link's program, set up to share a dispatcher. */
static int xprog_create(struct ifstat_link *l)
{
	struct ifstat_bpf *skel;
	int ret;

	if (l->xprog)
		return 0;
	ret = ifstat_link_object(l, IFSTAT_PROG_XDP, &skel);
	if (ret)
		return ret;
	{
		DECLARE_LIBXDP_OPTS(xdp_program_opts, xo, .obj = skel->obj,
				    .prog_name = IFSTAT_PROG_NAME);

		l->xprog = xdp_program__create(&xo);
	}
	if (!l->xprog) {
		ret = -errno;
		log_err("libxdp cannot use the program: %s", strerror(-ret));
		return ret;
	}
	/* libbpf sets the frags flag only at load, too late for libxdp to
	 * build a frags-capable dispatcher. */
	ret = xdp_program__set_xdp_frags_support(l->xprog, true);
	/* First in a libxdp dispatcher: a counter must see every frame
	 * before a program that may drop it (xdp-filter runs at 10 and
	 * aborts frames it cannot parse); ours always passes, so the others
	 * still see them all. */
	if (!ret)
		ret = xdp_program__set_run_prio(l->xprog, 1);
	return ret;
}

int ifstat_xdp_attach(struct ifstat_link *l)
{
	/* hook auto: native or nothing (tc is the fallback, not generic). */
	bool fallback = l->hook != IFSTAT_HOOK_AUTO;
	enum ifstat_mode mode = l->xdp_mode;
	char holder[96], dir[256];
	int ret;

	if (ifstat_xdp_ours_attached(l->ifindex)) {
		ret = ifstat_link_prog_fd(l, IFSTAT_PROG_XDP);
		if (ret < 0)
			return ret;
		ret = replace_running(l, ret);
		if (!ret) {
			log_info("%s: continuing the counters pinned in %s (%s "
				 "mode)",
				 l->ifname, l->pin_dir,
				 ifstat_mode_name(l->mode));
			return 0;
		}
		if (ret == -ESTALE)
			log_info("%s: the running ifstat program counts into "
				 "other maps; attaching anew",
				 l->ifname);
		else
			log_warn("%s: cannot replace the running ifstat "
				 "program (%s); attaching anew",
				 l->ifname, strerror(-ret));
	}
	ret = xprog_create(l);
	if (ret)
		return ret;
	if (!ifstat_xdp_dispatcher_found(dir, sizeof(dir))) {
		/* libxdp opens its dispatcher's file before any attach,
		 * even where the kernel cannot run it: without the file
		 * every attach fails with ENOENT, which is no refusal of
		 * the kernel and no reason to try generic mode. */
		log_err("%s: libxdp's dispatcher xdp-dispatcher.o is not in "
			"%s: install libxdp's BPF objects (Debian: libxdp1) or "
			"set LIBXDP_OBJECT_PATH",
			l->ifname, dir);
		return -ENOENT;
	}
	if (mode == IFSTAT_MODE_AUTO) {
		ret = attach_mode(l, XDP_MODE_NATIVE);
		l->mode = IFSTAT_MODE_NATIVE;
		if (ret && ret != -EEXIST && ret != -EBUSY && !fallback) {
			log_info("%s: native XDP refused (%s); counting "
				 "ingress at tc",
				 l->ifname, strerror(-ret));
			return -EOPNOTSUPP;
		}
		if (ret && ret != -EEXIST && ret != -EBUSY) {
			log_warn("%s: native XDP refused (%s); using generic "
				 "(skb) mode, which is slower",
				 l->ifname, strerror(-ret));
			ret = attach_mode(l, XDP_MODE_SKB);
			l->mode = IFSTAT_MODE_GENERIC;
		}
	} else {
		ret = attach_mode(l, xdp_mode(mode));
		l->mode = mode;
	}
	if (ret == -EEXIST || ret == -EBUSY) {
		describe_holder(l->ifindex, holder, sizeof(holder));
		log_err("%s: %s already holds the interface; detach it first "
			"(xdp-loader status %s)",
			l->ifname, holder, l->ifname);
		return -EEXIST;
	}
	if (ret &&
	    bpf_program__fd(l->skel[IFSTAT_PROG_XDP]->progs.ifstat_xdp) < 0) {
		ifstat_link_load_failed(l, IFSTAT_PROG_XDP, ret);
		return ret;
	}
	if (ret) {
		log_err("%s: cannot attach in %s mode: %s%s", l->ifname,
			ifstat_mode_name(mode), strerror(-ret),
			ret == -EOPNOTSUPP ? " (the driver lacks it; try "
					     "generic)"
			: ret == -ERANGE   ? " (MTU too large for this mode)"
					   : "");
		return ret;
	}
	l->e->live = true;
	log_info("%s: attached in %s mode", l->ifname,
		 ifstat_mode_name(l->mode));
	return 0;
}

int ifstat_xdp_detach(struct ifstat_link *l)
{
	struct xdp_multiprog *mp = xdp_multiprog__get_from_ifindex(l->ifindex);
	struct xdp_program *ours;
	int ret = 0;

	if (!mp || libxdp_get_error(mp))
		return 0;
	ours = find_ours(mp);
	if (ours) {
		/* Only ours leaves a dispatcher; the others stay. The mode
		 * must be the one in use, or libxdp finds no match. */
		ret = xdp_program__detach(ours, l->ifindex,
					  xdp_multiprog__attach_mode(mp), 0);
		if (ret)
			log_err("%s: cannot detach ifstat: %s", l->ifname,
				strerror(-ret));
	}
	xdp_multiprog__close(mp);
	return ret;
}
