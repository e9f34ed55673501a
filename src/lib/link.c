// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * A link: one interface's counters (pinned by its name), its programs
 * (one object each, loaded when needed) and its locks: the name's, for
 * the pins, and the interface's, by ifindex, for what is attached to it,
 * so that a rename cannot hand one interface to two daemons.
 */
#include "engine.h"

#include <errno.h>
#include <net/if.h>
#include <linux/ethtool.h>
#include <linux/if_arp.h>
#include <linux/sockios.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <xdp/libxdp.h>

#include "bpffs.h"
#include "engine_impl.h"
#include "instance.h"
#include "log.h"

#define VERIFIER_LOG_SIZE (1u << 20)

const char *const ifstat_pin_names[] = { IFSTAT_MAP_COUNTERS, IFSTAT_MAP_CONF,
					 NULL };

static struct bpf_program *prog_of(struct ifstat_bpf *skel,
				   enum ifstat_prog prog)
{
	switch (prog) {
	case IFSTAT_PROG_TC_IN:
		return skel->progs.ifstat_tc_in;
	case IFSTAT_PROG_TC_OUT:
		return skel->progs.ifstat_tc_out;
	default:
		return skel->progs.ifstat_xdp;
	}
}

/* A map pinned at path, checked against what this version makes: its fd,
 * -ENOENT, or -EPROTO (another version's, said). */
static int map_pinned(struct ifstat_link *l, const char *path,
		      enum bpf_map_type type, __u32 value_size,
		      __u32 max_entries, __u32 flags)
{
	struct bpf_map_info info = {};
	__u32 len = sizeof(info);
	int fd = bpf_obj_get(path);

	if (fd < 0)
		return -errno;
	if (bpf_obj_get_info_by_fd(fd, &info, &len) || info.type != type ||
	    info.key_size != 4 || info.value_size != value_size ||
	    info.max_entries != max_entries || info.map_flags != flags) {
		log_err("%s was pinned by another version of ifstat; stop it "
			"and remove %s",
			path, l->pin_dir);
		close(fd);
		return -EPROTO;
	}
	return fd;
}

/* The configuration pinned beside the counters, kept for
 * ifstat_engine_conf_ready to adopt. */
static int conf_pinned(struct ifstat_link *l)
{
	char path[PATH_MAX + 16];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", l->pin_dir, IFSTAT_MAP_CONF);
	fd = map_pinned(l, path, BPF_MAP_TYPE_ARRAY, sizeof(struct ifstat_conf),
			1, BPF_F_MMAPABLE);
	if (fd == -ENOENT)
		return 0;
	if (fd < 0)
		return fd;
	l->found_conf = fd;
	return 0;
}

static int make_counters(struct ifstat_link *l)
{
	char path[PATH_MAX + 16];
	int fd, ret;

	snprintf(path, sizeof(path), "%s/%s", l->pin_dir, IFSTAT_MAP_COUNTERS);
	if (l->pinned) {
		fd = map_pinned(l, path, BPF_MAP_TYPE_PERCPU_ARRAY,
				sizeof(struct ifstat_counters), IFSTAT_NDIRS,
				0);
		if (fd >= 0) {
			l->reused = true;
			l->counters_fd = fd;
			return conf_pinned(l);
		}
		if (fd != -ENOENT) {
			if (fd != -EPROTO)
				log_err("cannot open %s: %s", path,
					strerror(-fd));
			return fd;
		}
	}
	fd = bpf_map_create(BPF_MAP_TYPE_PERCPU_ARRAY, "ifstat_counters", 4,
			    sizeof(struct ifstat_counters), IFSTAT_NDIRS, NULL);
	if (fd < 0) {
		ret = -errno;
		log_err("cannot create BPF map ifstat_counters: %s%s",
			strerror(-ret),
			ret == -EPERM ? " (run as root or with CAP_BPF)" : "");
		return ret;
	}
	l->counters_fd = fd;
	if (l->pinned && bpf_obj_pin(fd, path)) {
		ret = -errno;
		log_err("cannot pin %s: %s", path, strerror(-ret));
		return ret;
	}
	return 0;
}

int ifstat_link_open(struct ifstat_engine *e, const struct ifstat_link_opts *o,
		     struct ifstat_link **out)
{
	struct ifstat_link *l = calloc(1, sizeof(*l)), **tail;
	int ret;

	*out = NULL;
	if (!l)
		return -ENOMEM;
	l->e = e;
	l->name_lock = l->if_lock = l->counters_fd = l->found_conf = -1;
	l->dirs = o->dirs ? o->dirs : IFSTAT_DIRS_INGRESS;
	l->hook = o->hook;
	l->xdp_mode = o->xdp_mode;
	if (o->ifname) {
		if (strlen(o->ifname) >= sizeof(l->ifname)) {
			log_err("interface name too long: '%s'", o->ifname);
			free(l);
			return -ENAMETOOLONG;
		}
		snprintf(l->ifname, sizeof(l->ifname), "%s", o->ifname);
		ifstat_instance_key(o->ifname, l->key, sizeof(l->key));
		if (snprintf(l->pin_dir, sizeof(l->pin_dir), "%s/%s",
			     e->pin_root, l->key) >= (int)sizeof(l->pin_dir)) {
			free(l);
			return -ENAMETOOLONG;
		}
		ret = ifstat_instance_lock(e->lock_dir, l->key, l->ifname,
					   &l->name_lock);
		if (!ret)
			ret = ifstat_bpffs_prepare(l->pin_dir);
		if (ret)
			goto fail;
		l->pinned = true;
	}
	/* The configuration is pinned beside it when it is made, or, when
	 * it exists already (a reload), at ifstat_link_commit: a refused
	 * reload leaves the pins of the name as they were. */
	ret = make_counters(l);
	if (ret)
		goto fail;
	for (tail = &e->links; *tail; tail = &(*tail)->next)
		;
	*tail = l;
	*out = l;
	return 0;
fail:
	ifstat_link_close(l, true);
	return ret;
}

int ifstat_link_object(struct ifstat_link *l, enum ifstat_prog prog,
		       struct ifstat_bpf **out)
{
	struct ifstat_bpf *skel;
	int ret, i;

	if (l->skel[prog]) {
		*out = l->skel[prog];
		return 0;
	}
	ret = ifstat_engine_conf_ready(l->e);
	if (ret)
		return ret;
	skel = ifstat_bpf__open();
	if (!skel) {
		ret = -errno;
		log_err("cannot open the embedded BPF object: %s",
			strerror(-ret));
		return ret;
	}
	for (i = 0; i < IFSTAT_NPROGS; i++)
		bpf_program__set_autoload(prog_of(skel, (enum ifstat_prog)i),
					  i == (int)prog);
	skel->rodata->l3_dev = l->l3;
	ret = bpf_map__reuse_fd(skel->maps.counters, l->counters_fd);
	if (!ret)
		ret = bpf_map__reuse_fd(skel->maps.bss, l->e->conf_fd);
	if (ret) {
		ifstat_bpf__destroy(skel);
		return ret;
	}
	l->skel[prog] = skel;
	*out = skel;
	return 0;
}

/*
 * Loads once more with the verifier's log on, only after a refusal, so
 * that a normal start pays nothing for it.
 */
static void capture_verifier_log(struct ifstat_link *l, enum ifstat_prog prog)
{
	struct ifstat_bpf *skel = ifstat_bpf__open();
	int i;

	if (!skel)
		return;
	free(l->vlog);
	l->vlog = calloc(1, VERIFIER_LOG_SIZE);
	if (l->vlog) {
		for (i = 0; i < IFSTAT_NPROGS; i++)
			bpf_program__set_autoload(prog_of(skel,
							  (enum ifstat_prog)i),
						  i == (int)prog);
		bpf_program__set_log_buf(prog_of(skel, prog), l->vlog,
					 VERIFIER_LOG_SIZE);
		bpf_program__set_log_level(prog_of(skel, prog), 1);
		ifstat_bpf__load(skel);
	}
	ifstat_bpf__destroy(skel);
}

void ifstat_link_load_failed(struct ifstat_link *l, enum ifstat_prog prog,
			     int ret)
{
	log_err("the kernel refused the %s program (%s): ifstat needs root "
		"(CAP_BPF, CAP_NET_ADMIN) and a kernel >= 5.18; the "
		"verifier's log is shown at the verbose log level",
		prog == IFSTAT_PROG_XDP ? "XDP" : "tc", strerror(-ret));
	capture_verifier_log(l, prog);
	if (ifstat_log_verbosity() > 0 && l->vlog && *l->vlog)
		fprintf(stderr, "%s\n", l->vlog);
}

int ifstat_link_load(struct ifstat_link *l, enum ifstat_prog prog)
{
	struct ifstat_bpf *skel;
	int ret = ifstat_link_object(l, prog, &skel);

	if (ret)
		return ret;
	if (bpf_program__fd(prog_of(skel, prog)) >= 0)
		return 0;
	ret = ifstat_bpf__load(skel);
	if (ret) {
		ifstat_link_load_failed(l, prog, ret);
		return ret;
	}
	l->e->live = true;
	return 0;
}

int ifstat_link_prog_fd(struct ifstat_link *l, enum ifstat_prog prog)
{
	int ret = ifstat_link_load(l, prog);

	return ret ? ret : bpf_program__fd(prog_of(l->skel[prog], prog));
}

static int lock_ifindex(struct ifstat_link *l, int ifindex, bool quiet)
{
	char name[32];

	/* ':' is in no interface name: no clash with a name's lock. */
	snprintf(name, sizeof(name), "ifindex:%d", ifindex);
	ifstat_instance_key(name, l->if_key, sizeof(l->if_key));
	return quiet ? ifstat_instance_trylock(l->e->lock_dir, l->if_key,
					       l->ifname, &l->if_lock)
		     : ifstat_instance_lock(l->e->lock_dir, l->if_key,
					    l->ifname, &l->if_lock);
}

/*
 * How the interface frames its packets: Ethernet (0), none, the packet
 * starts with its IP header (1), or something ifstat cannot parse.
 */
/*
 * Drivers whose native XDP works on a copy of an skb the stack already
 * made (the peer's transmit): tc sees the same skb for less
 * (bench/RESULTS.md, "Egress and tc": on veth 66 ns a frame at tc
 * against 136 at XDP).
 */
static const char *const xdp_on_skb[] = { "veth", "tun" };

static bool tc_cheaper(int fd, struct ifreq *ifr)
{
	struct ethtool_drvinfo info = { .cmd = ETHTOOL_GDRVINFO };
	unsigned int i;

	ifr->ifr_data = (void *)&info;
	if (ioctl(fd, SIOCETHTOOL, ifr))
		return false;
	for (i = 0; i < sizeof(xdp_on_skb) / sizeof(xdp_on_skb[0]); i++)
		if (!strcmp(info.driver, xdp_on_skb[i]))
			return true;
	return false;
}

static int framing(int ifindex, const char *name, bool *l3, bool *tc)
{
	struct ifreq ifr = { 0 };
	int fd, ret = 0;
	unsigned int type = 0;

	if (!if_indextoname((unsigned int)ifindex, ifr.ifr_name))
		return -errno;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (ioctl(fd, SIOCGIFHWADDR, &ifr)) {
		ret = -errno;
	} else {
		/* ifr_hwaddr and ifr_data share their place. */
		type = ifr.ifr_hwaddr.sa_family;
		*tc = tc_cheaper(fd, &ifr);
	}
	close(fd);
	if (ret)
		return ret;
	switch (type) {
	case ARPHRD_ETHER:
	case ARPHRD_LOOPBACK:
		*l3 = false;
		return 0;
	case ARPHRD_NONE: /* WireGuard, tun */
	case ARPHRD_PPP:
	case ARPHRD_RAWIP:
		*l3 = true;
		return 0;
	case ARPHRD_TUNNEL:
	case ARPHRD_TUNNEL6:
	case ARPHRD_SIT:
	case ARPHRD_IPGRE:
		/* At their tc ingress the outer header comes first (sit
		 * points the link-layer header at it): not parsed yet. */
		log_err("%s: IP tunnels (ipip, sit, ip6tnl, gre) are not "
			"counted yet: count the interface that carries them",
			name);
		return -EPROTONOSUPPORT;
	default:
		log_err("%s: link type %u is neither Ethernet nor plain IP: "
			"ifstat cannot parse its frames",
			name, type);
		return -EPROTONOSUPPORT;
	}
}

static int attach(struct ifstat_link *l, int ifindex, bool quiet)
{
	bool l3 = false, tc = false, at_tc;
	int ret, i;

	if (!l->pinned || ifindex <= 0)
		return -EINVAL;
	if (l->ifindex == ifindex)
		return 0;
	if (l->ifindex)
		ifstat_link_detach(l, false);
	ret = framing(ifindex, l->ifname, &l3, &tc);
	if (ret)
		return ret;
	if (l3 && l->hook == IFSTAT_HOOK_XDP) {
		log_err("%s: no link-layer header, where XDP sees IP packets "
			"without their protocol: use hook = tc or auto",
			l->ifname);
		return -EPROTONOSUPPORT;
	}
	if (l3 != l->l3) {
		/* The programs were made for the other framing. */
		for (i = 0; i < IFSTAT_NPROGS; i++) {
			ifstat_bpf__destroy(l->skel[i]);
			l->skel[i] = NULL;
		}
		l->l3 = l3;
	}
	ret = lock_ifindex(l, ifindex, quiet);
	if (ret)
		return ret;
	l->ifindex = ifindex;
	/* hook auto: tc where XDP would cost more (an explicit xdp_mode
	 * asks for XDP). */
	at_tc = l->hook == IFSTAT_HOOK_TC || l->l3 ||
		(l->hook == IFSTAT_HOOK_AUTO &&
		 l->xdp_mode == IFSTAT_MODE_AUTO && tc);
	if (l->dirs & IFSTAT_DIRS_INGRESS) {
		if (!at_tc) {
			ret = ifstat_xdp_attach(l);
			if (!ret)
				l->in_hook = IFSTAT_HOOK_XDP;
		}
		if (at_tc ||
		    (l->hook == IFSTAT_HOOK_AUTO && ret == -EOPNOTSUPP)) {
			ret = ifstat_tc_attach(l, IFSTAT_DIR_INGRESS);
			if (!ret)
				l->in_hook = IFSTAT_HOOK_TC;
		}
	}
	if (!ret && (l->dirs & IFSTAT_DIRS_EGRESS)) {
		ret = ifstat_tc_attach(l, IFSTAT_DIR_EGRESS);
		l->out_on = !ret;
	}
	if (ret) {
		ifstat_link_detach(l, false);
		return ret;
	}
	/* Ours from a run with other settings (killed, not stopped) would
	 * go on counting where nothing reads it. */
	if (l->in_hook != IFSTAT_HOOK_XDP)
		ifstat_xdp_detach(l);
	if (l->in_hook != IFSTAT_HOOK_TC)
		ifstat_tc_detach(l, IFSTAT_DIR_INGRESS);
	if (!l->out_on)
		ifstat_tc_detach(l, IFSTAT_DIR_EGRESS);
	return 0;
}

int ifstat_link_attach(struct ifstat_link *l, int ifindex)
{
	return attach(l, ifindex, false);
}

int ifstat_link_attach_again(struct ifstat_link *l, int ifindex)
{
	return attach(l, ifindex, true);
}

void ifstat_link_detach(struct ifstat_link *l, bool gone)
{
	if (!l->ifindex)
		return;
	if (!gone) {
		if (l->in_hook == IFSTAT_HOOK_XDP)
			ifstat_xdp_detach(l);
		else if (l->in_hook == IFSTAT_HOOK_TC)
			ifstat_tc_detach(l, IFSTAT_DIR_INGRESS);
		if (l->out_on)
			ifstat_tc_detach(l, IFSTAT_DIR_EGRESS);
	}
	if (l->xprog) {
		xdp_program__close(l->xprog);
		l->xprog = NULL;
	}
	if (l->in_hook == IFSTAT_HOOK_XDP || l->hook != IFSTAT_HOOK_TC) {
		/* libxdp sets the program's flags before its load: the next
		 * attach needs an object not loaded yet. */
		ifstat_bpf__destroy(l->skel[IFSTAT_PROG_XDP]);
		l->skel[IFSTAT_PROG_XDP] = NULL;
	}
	l->in_hook = IFSTAT_HOOK_AUTO;
	l->out_on = false;
	l->ifindex = 0;
	ifstat_instance_unlock(l->e->lock_dir, l->if_key, l->if_lock);
	l->if_lock = -1;
}

int ifstat_link_commit(struct ifstat_link *l)
{
	int ret = ifstat_engine_conf_ready(l->e);

	return ret ? ret : ifstat_engine_conf_pin(l->e, l);
}

void ifstat_link_configure(struct ifstat_link *l,
			   const struct ifstat_link_opts *o)
{
	enum ifstat_dirs dirs = o->dirs ? o->dirs : IFSTAT_DIRS_INGRESS;

	if (dirs == l->dirs && o->hook == l->hook && o->xdp_mode == l->xdp_mode)
		return;
	ifstat_link_detach(l, false);
	l->dirs = dirs;
	l->hook = o->hook;
	l->xdp_mode = o->xdp_mode;
}

void ifstat_link_detach_from(struct ifstat_link *l, int ifindex)
{
	int ret;

	if (l->ifindex || ifindex <= 0)
		return;
	ret = lock_ifindex(l, ifindex, false);
	if (ret)
		return;
	l->ifindex = ifindex;
	ifstat_xdp_detach(l);
	ifstat_tc_detach(l, IFSTAT_DIR_INGRESS);
	ifstat_tc_detach(l, IFSTAT_DIR_EGRESS);
	ifstat_link_detach(l, true);
}

static void link_free(struct ifstat_link *l, bool keep_pins)
{
	struct ifstat_link **p;
	int i;

	for (p = &l->e->links; *p; p = &(*p)->next) {
		if (*p == l) {
			*p = l->next;
			break;
		}
	}
	for (i = 0; i < IFSTAT_NPROGS; i++)
		ifstat_bpf__destroy(l->skel[i]);
	if (l->counters_fd >= 0)
		close(l->counters_fd);
	if (l->found_conf >= 0)
		close(l->found_conf);
	if (l->pinned && !keep_pins)
		ifstat_bpffs_remove(l->pin_dir, ifstat_pin_names);
	ifstat_instance_unlock(l->e->lock_dir, l->if_key, l->if_lock);
	ifstat_instance_unlock(l->e->lock_dir, l->key, l->name_lock);
	free(l->vlog);
	free(l);
}

void ifstat_link_close(struct ifstat_link *l, bool keep_pins)
{
	if (!l)
		return;
	ifstat_link_detach(l, false);
	link_free(l, keep_pins);
}

void ifstat_link_drop(struct ifstat_link *l, bool keep_pins)
{
	char path[PATH_MAX + 16];

	if (!l)
		return;
	if (l->pinned && keep_pins) {
		snprintf(path, sizeof(path), "%s/%s", l->pin_dir,
			 IFSTAT_MAP_CONF);
		unlink(path);
	}
	ifstat_link_close(l, keep_pins);
}

void ifstat_link_release(struct ifstat_link *l)
{
	if (!l)
		return;
	if (l->xprog)
		xdp_program__close(l->xprog);
	l->xprog = NULL;
	link_free(l, true);
}

bool ifstat_link_running(const struct ifstat_link *l)
{
	int idx = (int)if_nametoindex(l->ifname);
	char held[32];

	if (!idx)
		return false;
	if (ifstat_xdp_ours_attached(idx))
		return true;
	ifstat_tc_held(idx, IFSTAT_DIR_INGRESS, held, sizeof(held));
	if (!strcmp(held, IFSTAT_TC_IN_NAME))
		return true;
	ifstat_tc_held(idx, IFSTAT_DIR_EGRESS, held, sizeof(held));
	return !strcmp(held, IFSTAT_TC_OUT_NAME);
}

int ifstat_link_read(struct ifstat_link *l, unsigned int dir,
		     struct ifstat_snapshot *snap)
{
	struct ifstat_engine *e = l->e;
	uint32_t key = dir;
	int ret = ifstat_engine_conf_ready(e);

	if (ret)
		return ret;
	if (bpf_map_lookup_elem(l->counters_fd, &key, e->percpu))
		return -errno;
	ifstat_snapshot_sum(e->percpu, e->ncpus, ifstat_percpu_stride(),
			    &e->conf->sets[e->conf->active & 1], e->conf->epoch,
			    snap);
	return 0;
}

enum ifstat_dirs ifstat_link_dirs(const struct ifstat_link *l)
{
	return l->dirs;
}

int ifstat_link_ifindex(const struct ifstat_link *l)
{
	return l->ifindex;
}

const char *ifstat_link_name(const struct ifstat_link *l)
{
	return l->ifname;
}

bool ifstat_link_reused(const struct ifstat_link *l)
{
	return l->reused;
}

const char *ifstat_link_pin_dir(const struct ifstat_link *l)
{
	return l->pin_dir;
}

const char *ifstat_link_hook(const struct ifstat_link *l, unsigned int dir)
{
	if (dir == IFSTAT_DIR_EGRESS)
		return l->out_on ? "tc" : "none";
	return l->in_hook == IFSTAT_HOOK_XDP  ? "xdp"
	       : l->in_hook == IFSTAT_HOOK_TC ? "tc"
					      : "none";
}

const char *ifstat_link_mode(const struct ifstat_link *l, unsigned int dir)
{
	const char *hook = ifstat_link_hook(l, dir);

	if (!strcmp(hook, "xdp"))
		return ifstat_mode_name(l->mode);
	return !strcmp(hook, "tc") ? "clsact" : "none";
}
