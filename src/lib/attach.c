// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Attach policy: which XDP mode, where ifstat sits in a libxdp dispatcher,
 * taking over a running instance at a restart, naming what holds the
 * interface, detaching only ours.
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

bool ifstat_ours_attached(int ifindex)
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

static int attach_mode(struct ifstat_engine *e, enum xdp_attach_mode m)
{
	return xdp_program__attach(e->xprog, e->ifindex, m, 0);
}

/* A restart: swap the running program for ours in one step, no gap. */
static int replace_running(struct ifstat_engine *e)
{
	struct xdp_multiprog *mp = xdp_multiprog__get_from_ifindex(e->ifindex);
	enum xdp_attach_mode m;
	int ret;

	if (!mp || libxdp_get_error(mp))
		return -ENOENT;
	if (!xdp_multiprog__is_legacy(mp)) {
		/* Under the dispatcher the old instance shares our maps and
		 * reads any filter set from them: it keeps counting and we
		 * leave the dispatcher alone. */
		e->mode = xdp_multiprog__attach_mode(mp) == XDP_MODE_SKB
				  ? IFSTAT_MODE_GENERIC
				  : IFSTAT_MODE_NATIVE;
		xdp_multiprog__close(mp);
		return 0;
	}
	m = xdp_multiprog__attach_mode(mp);
	{
		LIBBPF_OPTS(bpf_xdp_attach_opts, o,
			    .old_prog_fd = xdp_program__fd(
				    xdp_multiprog__main_prog(mp)));
		__u32 flags = XDP_FLAGS_REPLACE |
			      (m == XDP_MODE_SKB ? XDP_FLAGS_SKB_MODE
						 : XDP_FLAGS_DRV_MODE);

		ret = bpf_xdp_attach(e->ifindex,
				     bpf_program__fd(e->skel->progs.ifstat_xdp),
				     flags, &o);
	}
	xdp_multiprog__close(mp);
	if (ret)
		return ret;
	e->mode = m == XDP_MODE_SKB ? IFSTAT_MODE_GENERIC : IFSTAT_MODE_NATIVE;
	return 0;
}

int ifstat_engine_attach(struct ifstat_engine *e, enum ifstat_mode mode)
{
	char holder[96], dir[256];
	int ret;

	if (!e->ifindex)
		return -EINVAL;
	if (e->resumed) {
		ret = ifstat_engine_load(e);
		if (ret)
			return ret;
		ret = replace_running(e);
		if (!ret) {
			log_info("%s: continuing the counters pinned in %s (%s "
				 "mode)",
				 e->ifname, e->pin_dir,
				 ifstat_mode_name(e->mode));
			return 0;
		}
		log_warn("%s: cannot replace the running ifstat program (%s); "
			 "attaching anew",
			 e->ifname, strerror(-ret));
	}
	if (!e->xprog) {
		DECLARE_LIBXDP_OPTS(xdp_program_opts, xo, .obj = e->skel->obj,
				    .prog_name = IFSTAT_PROG_NAME);

		e->xprog = xdp_program__create(&xo);
		if (!e->xprog) {
			ret = -errno;
			log_err("libxdp cannot use the program: %s",
				strerror(-ret));
			return ret;
		}
		/* libbpf sets the frags flag only at load, too late for
		 * libxdp to build a frags-capable dispatcher. */
		ret = xdp_program__set_xdp_frags_support(e->xprog, true);
		if (ret)
			return ret;
		/* First in a libxdp dispatcher: a counter must see every
		 * frame before a program that may drop it (xdp-filter runs
		 * at 10 and aborts frames it cannot parse); ours always
		 * passes, so the others still see them all. */
		ret = xdp_program__set_run_prio(e->xprog, 1);
		if (ret)
			return ret;
	}
	if (!ifstat_xdp_dispatcher_found(dir, sizeof(dir))) {
		/* libxdp opens its dispatcher's file before any attach,
		 * even where the kernel cannot run it: without the file
		 * every attach fails with ENOENT, which is no refusal of
		 * the kernel and no reason to try generic mode. */
		log_err("%s: libxdp's dispatcher xdp-dispatcher.o is not in "
			"%s: install libxdp's BPF objects (Debian: libxdp1) or "
			"set LIBXDP_OBJECT_PATH",
			e->ifname, dir);
		return -ENOENT;
	}
	if (mode == IFSTAT_MODE_AUTO) {
		ret = attach_mode(e, XDP_MODE_NATIVE);
		e->mode = IFSTAT_MODE_NATIVE;
		if (ret && ret != -EEXIST && ret != -EBUSY) {
			log_warn("%s: native XDP refused (%s); using generic "
				 "(skb) mode, which is slower",
				 e->ifname, strerror(-ret));
			ret = attach_mode(e, XDP_MODE_SKB);
			e->mode = IFSTAT_MODE_GENERIC;
		}
	} else {
		ret = attach_mode(e, xdp_mode(mode));
		e->mode = mode;
	}
	if (ret == -EEXIST || ret == -EBUSY) {
		describe_holder(e->ifindex, holder, sizeof(holder));
		log_err("%s: %s already holds the interface; detach it first "
			"(xdp-loader status %s)",
			e->ifname, holder, e->ifname);
		return -EEXIST;
	}
	if (ret && !e->loaded &&
	    bpf_program__fd(e->skel->progs.ifstat_xdp) < 0) {
		ifstat_engine_load_failed(e, ret);
		return ret;
	}
	if (ret) {
		log_err("%s: cannot attach in %s mode: %s%s", e->ifname,
			ifstat_mode_name(mode), strerror(-ret),
			ret == -EOPNOTSUPP ? " (the driver lacks it; try "
					     "generic)"
			: ret == -ERANGE   ? " (MTU too large for this mode)"
					   : "");
		return ret;
	}
	e->loaded = true;
	log_info("%s: attached in %s mode", e->ifname,
		 ifstat_mode_name(e->mode));
	return 0;
}

enum ifstat_mode ifstat_engine_mode(const struct ifstat_engine *e)
{
	return e->mode;
}

bool ifstat_engine_resumed(const struct ifstat_engine *e)
{
	return e->resumed;
}

bool ifstat_engine_reused(const struct ifstat_engine *e)
{
	return e->reused;
}

int ifstat_engine_detach(struct ifstat_engine *e, bool keep_pins)
{
	int ret = 0;

	struct xdp_multiprog *mp = NULL;
	struct xdp_program *ours;

	if (e->ifindex)
		mp = xdp_multiprog__get_from_ifindex(e->ifindex);
	if (mp && !libxdp_get_error(mp) && (ours = find_ours(mp))) {
		/* Only ours leaves a dispatcher; the others stay. The mode
		 * must be the one in use, or libxdp finds no match. */
		ret = xdp_program__detach(ours, e->ifindex,
					  xdp_multiprog__attach_mode(mp), 0);
		if (ret) {
			log_err("%s: cannot detach ifstat: %s; the counters "
				"stay pinned in %s",
				e->ifname, strerror(-ret), e->pin_dir);
			xdp_multiprog__close(mp);
			return ret;
		}
	}
	if (mp && !libxdp_get_error(mp))
		xdp_multiprog__close(mp);
	if (e->pinned && !keep_pins)
		ifstat_bpffs_remove(e->pin_dir, ifstat_pin_names);
	return ret;
}
