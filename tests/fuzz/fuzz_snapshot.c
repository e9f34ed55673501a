// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * libFuzzer harness for the client's snapshot parser: it reads whatever
 * is on the socket. The input is two lines, the previous snapshot and
 * the current one; whatever parses is rendered as the table (with the
 * deltas), checked against --filter, --interface and --direction and
 * filtered as --json does. The
 * table must reach the terminal as valid UTF-8 with no control character
 * but the newline, whatever the names held.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_text.h"
#include "render.h"
#include "report.h"
#include "select.h"
#include "text.h"

static struct ifstat_report prev, cur;

static void check_printable(const struct ifstat_buf *b)
{
	const char *p = b->data;
	size_t n;

	if (b->err || !p)
		return;
	while (*p) {
		n = ifstat_utf8_seq(p);
		if (!n ||
		    (n == 1 && *p != '\n' &&
		     ((unsigned char)*p < 0x20 || *p == 0x7f)) ||
		    (n == 2 && (unsigned char)p[0] == 0xc2 &&
		     (unsigned char)p[1] < 0xa0)) {
			fprintf(stderr, "raw byte 0x%02x in the table\n",
				(unsigned char)*p);
			abort();
		}
		p += n;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ifstat_select sel = { 0 };
	struct ifstat_select one = { .filters = { { "ssh" }, 1 },
				     .interfaces = { { "eth0" }, 1 },
				     .direction = "egress" };
	struct ifstat_buf out, msg;
	char *text, *second, err[256];
	bool have_prev;

	if (size > 65536)
		return 0;
	text = fuzz_text(data, size);
	second = strchr(text, '\n');
	if (second)
		*second++ = '\0';
	have_prev = second &&
		    !ifstat_report_parse(text, &prev, err, sizeof(err));
	if (ifstat_report_parse(second ? second : text, &cur, err,
				sizeof(err))) {
		if (!memchr(err, '\0', sizeof(err)) || !err[0])
			abort();
		free(text);
		return 0;
	}
	ifstat_buf_init(&out);
	ifstat_buf_init(&msg);
	ifstat_render_table(&out, &cur, have_prev ? &prev : NULL, &sel);
	check_printable(&out);
	ifstat_buf_reset(&out);
	ifstat_render_table(&out, &cur, have_prev ? &prev : NULL, &one);
	check_printable(&out);
	ifstat_select_check(&one, &cur, &msg);
	check_printable(&msg);
	ifstat_buf_reset(&out);
	ifstat_select_json(&one, second ? second : text, &out);
	ifstat_buf_free(&out);
	ifstat_buf_free(&msg);
	free(text);
	return 0;
}
