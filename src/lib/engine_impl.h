/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The engine's state, shared by its mechanism (engine.c: the filter
 * configuration; link.c: counters, pins, locks and reads) and its attach
 * policy (attach.c for XDP, tc.c for tc). Not for users of the engine:
 * they see engine.h.
 */
#ifndef IFSTAT_ENGINE_IMPL_H
#define IFSTAT_ENGINE_IMPL_H

#include <limits.h>
#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>

#include "engine.h"
#include "ifstat.skel.h"

struct ifstat_engine {
	struct ifstat_conf *conf; /* the mmapped configuration map */
	int conf_fd;
	size_t conf_len;
	char pin_root[PATH_MAX];
	char lock_dir[PATH_MAX];
	bool reused; /* the configuration was found pinned */
	int conf_lock; /* the configuration is ours alone (engine.c) */
	char conf_key[32];
	bool live; /* a program was loaded: a flip waits for its runs */
	unsigned int ncpus;
	void *percpu; /* read buffer: one counters value per possible CPU */
	struct ifstat_link *links; /* open order */
};

/* Makes the configuration map, or adopts the one pinned beside the
 * first link that has one (a restart), and pins it beside every link.
 * 0 or -errno. */
int ifstat_engine_conf_ready(struct ifstat_engine *e);
/* Pins the configuration map beside l (replacing another one). */
int ifstat_engine_conf_pin(struct ifstat_engine *e, struct ifstat_link *l);

/* An instance key: IFACE or IFACE@NETNS_INODE (ifstat_instance_key). */
#define IFSTAT_KEY_MAX (IF_NAMESIZE + 24)

struct ifstat_link {
	struct ifstat_engine *e;
	struct ifstat_link *next;
	int found_conf; /* a configuration pinned beside it at open, or -1 */
	char ifname[IF_NAMESIZE];
	char key[IFSTAT_KEY_MAX];
	char pin_dir[PATH_MAX];
	bool pinned;
	bool reused; /* counters found pinned */
	int name_lock; /* lock of the name (its pins) */
	int if_lock; /* lock of the interface counted now */
	char if_key[IFSTAT_KEY_MAX];
	int counters_fd;
	/* One object per program, each loaded only when needed. */
	struct ifstat_bpf *skel[IFSTAT_NPROGS];
	struct xdp_program *xprog;
	enum ifstat_dirs dirs;
	enum ifstat_hook hook;
	enum ifstat_mode xdp_mode;
	int ifindex; /* counted now; 0: none */
	enum ifstat_hook in_hook; /* running ingress: XDP, TC, AUTO = none */
	enum ifstat_mode mode; /* of the XDP program */
	bool out_on; /* tc egress attached */
	bool l3; /* the interface has no link-layer header */
	char *vlog;
};

/* The maps pinned per link, NULL-terminated. */
extern const char *const ifstat_pin_names[];

/* The program (and its object) of the link, loaded. 0 or -errno. */
int ifstat_link_load(struct ifstat_link *l, enum ifstat_prog prog);
/* The object of prog, opened with the link's maps, not loaded yet. */
int ifstat_link_object(struct ifstat_link *l, enum ifstat_prog prog,
		       struct ifstat_bpf **out);
/* Logs a refused program (and the verifier's log with -v). */
void ifstat_link_load_failed(struct ifstat_link *l, enum ifstat_prog prog,
			     int ret);

/* XDP (attach.c): 0 or -errno. */
bool ifstat_xdp_ours_attached(int ifindex);
int ifstat_xdp_attach(struct ifstat_link *l);
int ifstat_xdp_detach(struct ifstat_link *l);

/* tc clsact (tc.c): 0 or -errno. */
int ifstat_tc_attach(struct ifstat_link *l, unsigned int dir);
int ifstat_tc_detach(struct ifstat_link *l, unsigned int dir);
/* The name of the program at our tc handle on ifindex, "" for none. */
void ifstat_tc_held(int ifindex, unsigned int dir, char *name, size_t len);

#endif
