// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The load test's baseline: attaches an empty XDP program
 * (r0 = XDP_PASS; exit) to an interface in native mode, or detaches
 * whatever native program is there. It is loaded with BPF_F_XDP_HAS_FRAGS
 * like ifstat_xdp, so it is accepted on the same MTUs (a veth refuses a
 * program without frags support above one page), and attached directly
 * with netlink like libxdp attaches ifstat when no dispatcher is used.
 * The attachment outlives this process.
 *
 *   xdp_pass attach IFACE    prints "prog_id N"
 *   xdp_pass detach IFACE
 *
 * Exit: 0 done, 1 error, 2 usage.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>
#include <linux/if_link.h>

#include "empty_xdp.h"

static int do_attach(int ifindex, const char *ifname)
{
	struct bpf_prog_info info = { 0 };
	__u32 len = sizeof(info);
	int fd, ret;

	fd = bench_load_empty_xdp("xdp_pass");
	if (fd < 0) {
		fprintf(stderr, "xdp_pass: cannot load the program: %s\n",
			strerror(-fd));
		return fd;
	}
	ret = bpf_xdp_attach(ifindex, fd, XDP_FLAGS_DRV_MODE, NULL);
	if (ret) {
		fprintf(stderr, "xdp_pass: cannot attach to %s (native): %s\n",
			ifname, strerror(-ret));
		return ret;
	}
	if (!bpf_obj_get_info_by_fd(fd, &info, &len))
		printf("prog_id %u\n", info.id);
	return 0;
}

int main(int argc, char **argv)
{
	int ifindex, ret;

	if (argc != 3 || (strcmp(argv[1], "attach") && strcmp(argv[1], "detac"
								       "h"))) {
		fprintf(stderr, "Usage: xdp_pass attach|detach IFACE\n");
		return 2;
	}
	ifindex = (int)if_nametoindex(argv[2]);
	if (!ifindex) {
		fprintf(stderr, "xdp_pass: no interface '%s'\n", argv[2]);
		return 1;
	}
	if (!strcmp(argv[1], "attach"))
		ret = do_attach(ifindex, argv[2]);
	else
		ret = bpf_xdp_detach(ifindex, XDP_FLAGS_DRV_MODE, NULL);
	if (ret && strcmp(argv[1], "attach"))
		fprintf(stderr, "xdp_pass: cannot detach from %s: %s\n",
			argv[2], strerror(-ret));
	return ret ? 1 : 0;
}
