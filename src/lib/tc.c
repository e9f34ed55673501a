// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * tc attach policy: our filter is a direct-action cls_bpf on the clsact
 * qdisc's ingress or egress hook, at a handle of its own and the first
 * priority, so it sees every packet before other filters and hands each
 * on (TC_ACT_UNSPEC). A restart replaces our filter in one step. The
 * clsact qdisc is made when missing and left in place: other filters
 * may share it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "engine_impl.h"
#include "log.h"

#define IFSTAT_TC_HANDLE 0x1f57 /* "ifst"; ours on either hook */
#define IFSTAT_TC_PRIO 1

/* The hook of direction dir on interface idx, and our filter's place
 * on it. */
#define OURS(h, o, idx, dir)                                                   \
	LIBBPF_OPTS(bpf_tc_hook, h, .ifindex = (idx),                          \
		    .attach_point = hooks[dir].point);                         \
	LIBBPF_OPTS(bpf_tc_opts, o, .handle = IFSTAT_TC_HANDLE,                \
		    .priority = IFSTAT_TC_PRIO)

static const struct {
	enum bpf_tc_attach_point point;
	enum ifstat_prog prog;
	const char *name;
} hooks[IFSTAT_NDIRS] = {
	[IFSTAT_DIR_INGRESS] = { BPF_TC_INGRESS, IFSTAT_PROG_TC_IN,
				 IFSTAT_TC_IN_NAME },
	[IFSTAT_DIR_EGRESS] = { BPF_TC_EGRESS, IFSTAT_PROG_TC_OUT,
				IFSTAT_TC_OUT_NAME },
};

/* The name of the program at our handle, "" when there is none. */
void ifstat_tc_held(int ifindex, unsigned int dir, char *name, size_t len)
{
	OURS(h, o, ifindex, dir);
	struct bpf_prog_info info = {};
	__u32 ilen = sizeof(info);
	int fd;

	name[0] = '\0';
	if (bpf_tc_query(&h, &o) || !o.prog_id)
		return;
	snprintf(name, len, "id %u", o.prog_id);
	fd = bpf_prog_get_fd_by_id(o.prog_id);
	if (fd < 0)
		return;
	if (!bpf_obj_get_info_by_fd(fd, &info, &ilen))
		snprintf(name, len, "%s", info.name);
	close(fd);
}

int ifstat_tc_attach(struct ifstat_link *l, unsigned int dir)
{
	OURS(h, o, l->ifindex, dir);
	char held[32];
	int fd, ret;

	fd = ifstat_link_prog_fd(l, hooks[dir].prog);
	if (fd < 0)
		return fd;
	ret = bpf_tc_hook_create(&h);
	if (ret && ret != -EEXIST) {
		log_err("%s: cannot add the clsact qdisc: %s", l->ifname,
			strerror(-ret));
		return ret;
	}
	ifstat_tc_held(l->ifindex, dir, held, sizeof(held));
	if (held[0] && strcmp(held, hooks[dir].name)) {
		log_err("%s: tc %s filter handle %#x priority %d is held by "
			"program %s; remove it first",
			l->ifname, ifstat_dir_name(dir), IFSTAT_TC_HANDLE,
			IFSTAT_TC_PRIO, held);
		return -EEXIST;
	}
	/* Ours from a run before: swapped in one step, no frame missed. */
	o.flags = held[0] ? BPF_TC_F_REPLACE : 0;
	o.prog_fd = fd;
	ret = bpf_tc_attach(&h, &o);
	if (ret) {
		log_err("%s: cannot attach at tc %s: %s", l->ifname,
			ifstat_dir_name(dir), strerror(-ret));
		return ret;
	}
	if (held[0])
		log_info("%s: continuing the counters pinned in %s (tc %s)",
			 l->ifname, l->pin_dir, ifstat_dir_name(dir));
	return 0;
}

int ifstat_tc_detach(struct ifstat_link *l, unsigned int dir)
{
	OURS(h, o, l->ifindex, dir);
	char held[32];
	int ret;

	ifstat_tc_held(l->ifindex, dir, held, sizeof(held));
	if (strcmp(held, hooks[dir].name))
		return 0; /* gone, or not ours: leave it */
	ret = bpf_tc_detach(&h, &o);
	if (ret && ret != -ENOENT && ret != -ENODEV)
		log_err("%s: cannot detach from tc %s: %s", l->ifname,
			ifstat_dir_name(dir), strerror(-ret));
	return ret;
}
