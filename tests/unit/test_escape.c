// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Names and values from the system or the file, written out: JSON always
 * valid UTF-8 with \u escapes for controls and invalid bytes; for people
 * (terminal, log, configuration errors) \xNN for the same; nothing raw.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "diag.h"
#include "text.h"

static void test_utf8_seq(void **state)
{
	(void)state;
	assert_int_equal(ifstat_utf8_seq("a"), 1);
	assert_int_equal(ifstat_utf8_seq(""), 0);
	assert_int_equal(ifstat_utf8_seq("\xc3\xa9"), 2); /* é */
	assert_int_equal(ifstat_utf8_seq("\xe2\x82\xac"), 3); /* € */
	assert_int_equal(ifstat_utf8_seq("\xf0\x9f\x98\x80"), 4);
	assert_int_equal(ifstat_utf8_seq("\xf4\x8f\xbf\xbf"), 4); /* max */
	assert_int_equal(ifstat_utf8_seq("\xff"), 0);
	assert_int_equal(ifstat_utf8_seq("\x80"), 0); /* lone continuation */
	assert_int_equal(ifstat_utf8_seq("\xc0\xaf"), 0); /* overlong / */
	assert_int_equal(ifstat_utf8_seq("\xe0\x80\xaf"), 0); /* overlong */
	assert_int_equal(ifstat_utf8_seq("\xf0\x80\x80\xaf"), 0);
	assert_int_equal(ifstat_utf8_seq("\xed\xa0\x80"), 0); /* surrogate */
	assert_int_equal(ifstat_utf8_seq("\xf4\x90\x80\x80"), 0); /* >10FFFF */
	assert_int_equal(ifstat_utf8_seq("\xc3"), 0); /* cut by the NUL */
	assert_int_equal(ifstat_utf8_seq("\xe2\x82"), 0);
}

static void json(const char *in, const char *want)
{
	struct ifstat_buf b;

	ifstat_buf_init(&b);
	ifstat_buf_json_str(&b, in);
	assert_int_equal(b.err, 0);
	assert_string_equal(b.data, want);
	ifstat_buf_free(&b);
}

static void test_json(void **state)
{
	(void)state;
	json("eth0", "\"eth0\"");
	json("a\"b\\c", "\"a\\\"b\\\\c\"");
	/* The interface of the issue: ESC and 0xFF. */
	json("e\x1b[31m\xff", "\"e\\u001b[31m\\u00ff\"");
	json("\x7f\t\n", "\"\\u007f\\u0009\\u000a\"");
	json("\xc3\xa9\xe2\x82\xac", "\"\xc3\xa9\xe2\x82\xac\"");
	/* Overlong and surrogate forms are bytes, one escape each. */
	json("\xc0\xaf", "\"\\u00c0\\u00af\"");
	json("\xed\xa0\x80", "\"\\u00ed\\u00a0\\u0080\"");
	json("x\xc3", "\"x\\u00c3\"");
}

static void visible(const char *in, const char *want)
{
	struct ifstat_buf b;
	char out[64];

	ifstat_buf_init(&b);
	ifstat_buf_visible(&b, in);
	assert_string_equal(b.data ? b.data : "", want);
	ifstat_buf_free(&b);
	ifstat_visible(out, sizeof(out), in);
	assert_string_equal(out, want);
}

static void test_visible(void **state)
{
	char out[8];

	(void)state;
	visible("eth0", "eth0");
	visible("e\x1b[31m\xff", "e\\x1b[31m\\xff");
	visible("a\rb\nc\x7f", "a\\x0db\\x0ac\\x7f");
	/* C1 controls (CSI is U+009B) are valid UTF-8 and still escaped. */
	visible("\xc2\x9b"
		"2J",
		"\\xc2\\x9b2J");
	visible("\xc2\xa0\xc3\xa9", "\xc2\xa0\xc3\xa9");
	/* Cut between escapes, never inside one. */
	ifstat_visible(out, sizeof(out), "ab\x1b\x1b");
	assert_string_equal(out, "ab\\x1b");
	ifstat_visible(out, 1, "abc");
	assert_string_equal(out, "");
}

/* A configuration error quoting a value with control characters. */
static void test_diag(void **state)
{
	struct ifstat_diags l;
	struct ifstat_buf b;

	(void)state;
	ifstat_diags_init(&l);
	ifstat_diag_add(&l, "/etc/ifstat.conf", 3, "interface",
			"eth\x1b]0;pwned\x07\xff", "not an interface name");
	ifstat_buf_init(&b);
	ifstat_diags_write(&b, &l);
	assert_string_equal(b.data, "/etc/ifstat.conf:3: interface: not an "
				    "interface "
				    "name ('eth\\x1b]0;pwned\\x07\\xff')\n");
	ifstat_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_seq),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_visible),
		cmocka_unit_test(test_diag),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
