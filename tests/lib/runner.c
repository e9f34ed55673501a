// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include "runner.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <linux/bpf.h>

#include "filter.h"

int runner_open_prog(struct runner *r, enum ifstat_prog prog)
{
	struct ifstat_link_opts lo = { .dirs = IFSTAT_DIRS_BOTH };
	int ret = ifstat_engine_open(&r->e, NULL);

	r->l = NULL;
	r->prog = prog;
	r->gso_segs = r->gso_size = 0;
	if (!ret)
		ret = ifstat_link_open(r->e, &lo, &r->l);
	if (!ret) {
		r->prog_fd = ifstat_link_prog_fd(r->l, prog);
		if (r->prog_fd < 0)
			ret = r->prog_fd;
	}
	if (ret)
		runner_close(r);
	return ret;
}

int runner_open(struct runner *r)
{
	return runner_open_prog(r, IFSTAT_PROG_XDP);
}

void runner_close(struct runner *r)
{
	ifstat_link_close(r->l, false);
	r->l = NULL;
	ifstat_engine_destroy(r->e);
	r->e = NULL;
}

int runner_filters(struct runner *r, const char *const *specs, unsigned int n,
		   const uint32_t *edges, unsigned int nedges)
{
	struct ifstat_filter_def *defs = calloc(n ? n : 1, sizeof(*defs));
	struct ifstat_diag err;
	unsigned int i;
	int ret = 0;

	if (!defs)
		return -ENOMEM;
	for (i = 0; i < n && !ret; i++) {
		const char *eq = strchr(specs[i], '=');

		if (!eq || (size_t)(eq - specs[i]) >= IFSTAT_NAME_MAX) {
			fprintf(stderr, "bad spec '%s'\n", specs[i]);
			ret = -EINVAL;
			break;
		}
		memcpy(defs[i].name, specs[i], (size_t)(eq - specs[i]));
		ret = ifstat_filter_parse(eq + 1, &defs[i].filter, &err);
		if (ret)
			fprintf(stderr, "'%s': %s: %s ('%s')\n", specs[i],
				err.key, err.msg, err.value);
	}
	if (!ret)
		ret = ifstat_engine_set_filters(r->e, defs, n, edges, nedges);
	free(defs);
	return ret;
}

int runner_run(struct runner *r, const struct frame *f)
{
	static unsigned char out[FRAME_MAX + 4096];
	struct __sk_buff skb = { .gso_segs = r->gso_segs,
				 .gso_size = r->gso_size };
	bool tc = r->prog != IFSTAT_PROG_XDP;
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = f->b,
		    .data_size_in = (__u32)f->len, .data_out = out,
		    .data_size_out = sizeof(out), .repeat = 1);

	if (tc) {
		o.ctx_in = &skb;
		o.ctx_size_in = sizeof(skb);
	}
	if (bpf_prog_test_run_opts(r->prog_fd, &o)) {
		fprintf(stderr, "test run of a %zu-byte frame failed: %s\n",
			f->len, strerror(errno));
		return -1;
	}
	/* XDP_PASS; tc: TC_ACT_UNSPEC, the next filter decides. */
	if (o.retval != (tc ? (__u32)-1 : XDP_PASS)) {
		fprintf(stderr, "verdict %d, expected a pass\n", (int)o.retval);
		return -1;
	}
	if (o.data_size_out != f->len || memcmp(out, f->b, f->len)) {
		fprintf(stderr, "the frame came back changed\n");
		return -1;
	}
	return 0;
}

int runner_read(struct runner *r, struct ifstat_snapshot *s)
{
	return ifstat_link_read(r->l,
				r->prog == IFSTAT_PROG_TC_OUT
					? IFSTAT_DIR_EGRESS
					: IFSTAT_DIR_INGRESS,
				s);
}
