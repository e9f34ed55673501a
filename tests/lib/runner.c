// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include "runner.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <linux/bpf.h>

#include "filter.h"

int runner_open(struct runner *r)
{
	int ret = ifstat_engine_open(&r->e, NULL);

	if (ret)
		return ret;
	r->prog_fd = ifstat_engine_prog_fd(r->e);
	if (r->prog_fd < 0) {
		ret = r->prog_fd;
		ifstat_engine_destroy(r->e);
		r->e = NULL;
	}
	return ret;
}

void runner_close(struct runner *r)
{
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
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = f->b,
		    .data_size_in = (__u32)f->len, .data_out = out,
		    .data_size_out = sizeof(out), .repeat = 1);

	if (bpf_prog_test_run_opts(r->prog_fd, &o)) {
		fprintf(stderr, "test run of a %zu-byte frame failed: %s\n",
			f->len, strerror(errno));
		return -1;
	}
	if (o.retval != XDP_PASS) {
		fprintf(stderr, "verdict %u, expected XDP_PASS\n", o.retval);
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
	return ifstat_engine_read(r->e, s);
}
