// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The filter text forms: every accepted one-line form with its canonical
 * text and a round trip, every refusal with the exact error, the INI
 * setter, and the `need` bits and masks that the XDP program relies on.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "filter.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

struct valid_case {
	const char *in;
	const char *canon; /* written by hand from the documented order */
};

/* Canonical order: protocol, vlan, src, dst, host, src/dst/any port. */
static const struct valid_case valid[] = {
	{ "any", "any" },
	{ "tcp", "tcp" },
	{ "udp", "udp" },
	{ "icmp", "icmp" },
	{ "icmpv6", "icmpv6" },
	{ "proto 0", "proto 0" },
	{ "proto 255", "proto 255" },
	{ "proto 47", "proto 47" },
	{ "proto 6", "tcp" },
	{ "proto 17", "udp" },
	{ "proto 1", "icmp" },
	{ "proto 58", "icmpv6" },
	{ "proto 006", "tcp" },
	{ "proto any", "any" },
	{ "src 192.0.2.1", "src 192.0.2.1" },
	{ "src 192.0.2.1/32", "src 192.0.2.1" },
	{ "src 198.51.100.0/24", "src 198.51.100.0/24" },
	{ "src 0.0.0.0/0", "src 0.0.0.0/0" },
	{ "dst 203.0.113.7", "dst 203.0.113.7" },
	{ "dst 203.0.113.128/25", "dst 203.0.113.128/25" },
	{ "host 192.0.2.0/31", "host 192.0.2.0/31" },
	{ "host 192.0.2.255", "host 192.0.2.255" },
	{ "src 2001:db8::1", "src 2001:db8::1" },
	{ "src 2001:db8::1/128", "src 2001:db8::1" },
	{ "src 2001:0db8:0000:0000::0001", "src 2001:db8::1" },
	{ "dst 2001:db8::/32", "dst 2001:db8::/32" },
	{ "dst 2001:db8:8000::/33", "dst 2001:db8:8000::/33" },
	{ "host ::/0", "host ::/0" },
	{ "host 2001:db8::", "host 2001:db8::" },
	{ "host 2001:db8:1:2:3:4:5:6", "host 2001:db8:1:2:3:4:5:6" },
	{ "src port 22", "src port 22" },
	{ "dst port 8000-8080", "dst port 8000-8080" },
	{ "port 0", "port 0" },
	{ "port 65535", "port 65535" },
	{ "port 0-65535", "port 0-65535" },
	{ "port 53-53", "port 53" },
	{ "port 0053", "port 53" },
	{ "src port 65534-65535", "src port 65534-65535" },
	{ "vlan 1", "vlan 1" },
	{ "vlan 4094", "vlan 4094" },
	{ "udp port 53", "udp port 53" },
	{ "tcp src 192.0.2.1 src port 22", "tcp src 192.0.2.1 src port 22" },
	{ "vlan 100 dst port 8000-8080", "vlan 100 dst port 8000-8080" },
	{ "src 198.51.100.0/24 dst 203.0.113.7", "src 198.51.100.0/24 dst "
						 "203.0.113.7" },
	{ "port 443 dst 2001:db8::2 tcp vlan 7", "tcp vlan 7 dst 2001:db8::2 "
						 "port 443" },
	{ "dst port 53 src port 1024-65535 udp", "udp src port 1024-65535 dst "
						 "port 53" },
	{ "host 192.0.2.9 proto 0", "proto 0 host 192.0.2.9" },
	{ "icmp src 192.0.2.1", "icmp src 192.0.2.1" },
	{ "icmpv6 host 2001:db8::/48", "icmpv6 host 2001:db8::/48" },
	{ "port 80 src 192.0.2.0/24", "src 192.0.2.0/24 port 80" },
	{ "  udp\tport   53 ", "udp port 53" },
	{ "src port 1-2 dst port 3-4 port 5-6 host 2001:db8:3::/48 "
	  "dst 2001:db8:2::/48 src 2001:db8:1::/48 vlan 4094 tcp",
	  "tcp vlan 4094 src 2001:db8:1::/48 dst 2001:db8:2::/48 "
	  "host 2001:db8:3::/48 src port 1-2 dst port 3-4 port 5-6" },
};

static void test_valid_forms(void **state)
{
	char text[IFSTAT_FILTER_TEXT_MAX], again[IFSTAT_FILTER_TEXT_MAX];
	struct ifstat_filter a, b;
	struct ifstat_diag err;
	size_t i;
	int n;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(valid); i++) {
		memset(&err, 0, sizeof(err));
		if (ifstat_filter_parse(valid[i].in, &a, &err))
			fail_msg("'%s' refused: %s: %s ('%s')", valid[i].in,
				 err.key, err.msg, err.value);
		n = ifstat_filter_format(&a, text, sizeof(text));
		assert_int_equal(n, (int)strlen(valid[i].canon));
		if (strcmp(text, valid[i].canon))
			fail_msg("'%s' formats as '%s', expected '%s'",
				 valid[i].in, text, valid[i].canon);

		/* The canonical form must parse to the very same filter. */
		if (ifstat_filter_parse(text, &b, &err))
			fail_msg("canonical '%s' refused: %s: %s", text,
				 err.key, err.msg);
		if (memcmp(&a, &b, sizeof(a)))
			fail_msg("'%s' and its canonical '%s' differ",
				 valid[i].in, text);
		assert_true(ifstat_filter_same(&a, &b));
		assert_int_equal(ifstat_filter_format(&b, again, sizeof(again)),
				 n);
		assert_string_equal(again, text);
	}
}

struct err_case {
	const char *in;
	const char *field, *msg, *value;
};

#define E_PORT "port must be 0-65535 or a range lo-hi"
#define E_ADDR "not an IPv4 or IPv6 address"
#define E_VLAN "VLAN ID must be 1-4094"
#define E_EMPTY "empty (write 'any' to match everything)"

static const struct err_case errors[] = {
	{ "", "filter", E_EMPTY, "" },
	{ " \t ", "filter", E_EMPTY, " \t " },
	{ "foo", "filter", "unknown word", "foo" },
	{ "tcp foo", "filter", "unknown word", "foo" },
	{ "TCP", "filter", "unknown word", "TCP" },
	/* A bare number is not a protocol; "proto N" is. */
	{ "47", "filter", "unknown word", "47" },
	{ "src", "src", "missing value", "src" },
	{ "tcp dst", "dst", "missing value", "dst" },
	{ "host", "host", "missing value", "host" },
	{ "port", "port", "missing value", "port" },
	{ "src port", "src_port", "missing value", "src" },
	{ "dst port", "dst_port", "missing value", "dst" },
	{ "vlan", "vlan", "missing value", "vlan" },
	{ "proto", "protocol", "missing value", "proto" },
	{ "tcp udp", "protocol", "given twice", "udp" },
	{ "tcp proto 6", "protocol", "given twice", "6" },
	{ "proto any tcp", "protocol", "given twice", "tcp" },
	{ "src 192.0.2.1 src 192.0.2.2", "src", "given twice", "192.0.2.2" },
	{ "dst 192.0.2.1 dst 192.0.2.1", "dst", "given twice", "192.0.2.1" },
	{ "host 2001:db8::1 host 2001:db8::2", "host", "given twice",
	  "2001:db8::2" },
	{ "port 1 port 2", "port", "given twice", "2" },
	{ "src port 1 src port 2", "src_port", "given twice", "2" },
	{ "dst port 1 dst port 1", "dst_port", "given twice", "1" },
	{ "vlan 5 vlan 6", "vlan", "given twice", "6" },
	{ "any tcp", "filter", "'any' cannot be combined", "any tcp" },
	{ "vlan 5 any", "filter", "'any' cannot be combined", "vlan 5 any" },
	{ "src 192.0.2.256", "src", E_ADDR, "192.0.2.256" },
	{ "src 192.0.2", "src", E_ADDR, "192.0.2" },
	{ "host example.com", "host", E_ADDR, "example.com" },
	{ "dst 2001:db8:::1", "dst", E_ADDR, "2001:db8:::1" },
	{ "dst 2001:db8::1%eth0", "dst", E_ADDR, "2001:db8::1%eth0" },
	{ "src /24", "src", E_ADDR, "/24" },
	{ "src 192.0.2.0/33", "src", "prefix length must be 0-32",
	  "192.0.2.0/33" },
	{ "src 192.0.2.0/", "src", "prefix length must be 0-32", "192.0.2.0/" },
	{ "dst 192.0.2.0/-1", "dst", "prefix length must be 0-32",
	  "192.0.2.0/-1" },
	{ "host 192.0.2.0/2x", "host", "prefix length must be 0-32",
	  "192.0.2.0/2x" },
	{ "src 2001:db8::/129", "src", "prefix length must be 0-128",
	  "2001:db8::/129" },
	{ "src 192.0.2.1/24", "src",
	  "address has bits set beyond the /24 prefix", "192.0.2.1/24" },
	{ "dst 0.0.0.1/0", "dst", "address has bits set beyond the /0 prefix",
	  "0.0.0.1/0" },
	{ "host 2001:db8::1/64", "host",
	  "address has bits set beyond the /64 prefix", "2001:db8::1/64" },
	{ "src 2001:db8:8000::/32", "src",
	  "address has bits set beyond the /32 prefix", "2001:db8:8000::/32" },
	/* The second address of the other family is the one quoted. */
	{ "src 192.0.2.1 dst 2001:db8::1", "dst",
	  "IPv4 and IPv6 addresses in one filter", "2001:db8::1" },
	{ "dst 2001:db8::1 host 192.0.2.0/24", "host",
	  "IPv4 and IPv6 addresses in one filter", "192.0.2.0/24" },
	{ "port 65536", "port", "port out of range 0-65535", "65536" },
	{ "src port 1-65536", "src_port", "port out of range 0-65535",
	  "1-65536" },
	{ "any any", "filter", "'any' cannot be combined", "any any" },
	{ "proto any any", "filter", "'any' cannot be combined",
	  "proto any any" },
	{ "dst port 99999999-1", "dst_port", "port out of range 0-65535",
	  "99999999-1" },
	{ "port -1", "port", E_PORT, "-1" },
	{ "port 1-", "port", E_PORT, "1-" },
	{ "port 1-2-3", "port", E_PORT, "1-2-3" },
	{ "port http", "port", E_PORT, "http" },
	{ "port +53", "port", E_PORT, "+53" },
	{ "port 80-79", "port", "port range is reversed", "80-79" },
	{ "src port 65535-0", "src_port", "port range is reversed", "65535-0" },
	{ "icmp port 53", "protocol", "ports need protocol tcp or udp",
	  "icmp" },
	{ "icmpv6 dst port 1", "protocol", "ports need protocol tcp or udp",
	  "icmpv6" },
	{ "proto 47 src port 1-2", "protocol", "ports need protocol tcp or udp",
	  "47" },
	{ "vlan 0", "vlan", E_VLAN, "0" },
	{ "vlan 4095", "vlan", E_VLAN, "4095" },
	{ "vlan 99999999999", "vlan", E_VLAN, "99999999999" },
	{ "vlan one", "vlan", E_VLAN, "one" },
	{ "proto 256", "protocol", "protocol number out of range 0-255",
	  "256" },
	{ "proto tcpx", "protocol",
	  "unknown protocol (any, tcp, udp, icmp, icmpv6 or 0-255)", "tcpx" },
	{ "proto -1", "protocol",
	  "unknown protocol (any, tcp, udp, icmp, icmpv6 or 0-255)", "-1" },
};

static void test_errors(void **state)
{
	struct ifstat_filter f;
	struct ifstat_diag err;
	size_t i;
	int ret;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(errors); i++) {
		memset(&err, 0x55, sizeof(err));
		ret = ifstat_filter_parse(errors[i].in, &f, &err);
		if (ret != -EINVAL)
			fail_msg("'%s': returned %d, expected -EINVAL",
				 errors[i].in, ret);
		if (strcmp(err.key, errors[i].field) ||
		    strcmp(err.msg, errors[i].msg) ||
		    strcmp(err.value, errors[i].value))
			fail_msg("'%s': got {%s | %s | %s}, expected "
				 "{%s | %s | %s}",
				 errors[i].in, err.key, err.msg, err.value,
				 errors[i].field, errors[i].msg,
				 errors[i].value);
	}
}

/* A NULL err is allowed: the caller only wants the verdict. */
static void test_errors_without_err(void **state)
{
	struct ifstat_filter f;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(errors); i++)
		assert_int_equal(ifstat_filter_parse(errors[i].in, &f, NULL),
				 -EINVAL);
	assert_int_equal(ifstat_filter_parse("udp port 53", &f, NULL), 0);
}

static void test_too_long(void **state)
{
	char text[IFSTAT_FILTER_TEXT_MAX * 2 + 8];
	struct ifstat_filter f;
	struct ifstat_diag err;
	size_t i;

	(void)state;
	/* Long but valid: the limit is on the text, not on the meaning. */
	for (i = 0; i + 1 < IFSTAT_FILTER_TEXT_MAX * 2 - 4; i++)
		text[i] = ' ';
	memcpy(text + i, "tcp", 4);
	assert_int_equal(strlen(text), IFSTAT_FILTER_TEXT_MAX * 2 - 2);
	assert_int_equal(ifstat_filter_parse(text, &f, &err), 0);
	assert_int_equal(f.fields, IFSTAT_F_PROTO);

	memset(text, 'x', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	assert_int_equal(ifstat_filter_parse(text, &f, &err), -EINVAL);
	assert_string_equal(err.key, "filter");
	assert_string_equal(err.msg, "too long");
	/* The quoted value is cut, said so, and never overflows. */
	assert_int_equal(strlen(err.value), IFSTAT_DIAG_VALUE_SHOWN + 3);
	assert_memory_equal(err.value, text, IFSTAT_DIAG_VALUE_SHOWN);
	assert_string_equal(err.value + IFSTAT_DIAG_VALUE_SHOWN, "...");
}

/* Expected mask bytes, computed bit by bit from the prefix length. */
static void mask_bytes(unsigned int len, uint8_t out[16])
{
	unsigned int bit;

	memset(out, 0, 16);
	for (bit = 0; bit < len; bit++)
		out[bit / 8] |= (uint8_t)(0x80 >> (bit % 8));
}

static void check_prefix(const struct ifstat_prefix *p, const uint8_t addr[16],
			 unsigned int len)
{
	uint8_t mask[16];

	mask_bytes(len, mask);
	/* The program compares whole words in network byte order. */
	assert_memory_equal(p->mask, mask, 16);
	assert_memory_equal(p->addr, addr, 16);
}

static void test_need_and_masks(void **state)
{
	static const uint8_t v4_net[16] = { 198, 51, 100, 0 };
	static const uint8_t v4_host[16] = { 192, 0, 2, 7 };
	static const uint8_t zero[16] = { 0 };
	static const uint8_t v6_33[16] = { 0x20, 0x01, 0x0d, 0xb8, 0x80 };
	static const uint8_t v6_host[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	static const uint8_t v6_127[16] = { 0x20, 0x01, 0x0d,
					    0xb8, [15] = 0x02 };
	struct ifstat_filter f;
	struct ifstat_diag err;

	(void)state;
	assert_int_equal(ifstat_filter_parse("any", &f, &err), 0);
	assert_int_equal(f.fields, 0);
	assert_int_equal(f.need, 0);
	assert_int_equal(f.family, 0);

	assert_int_equal(ifstat_filter_parse("vlan 10", &f, &err), 0);
	assert_int_equal(f.fields, IFSTAT_F_VLAN);
	assert_int_equal(f.need, IFSTAT_P_VLAN);
	assert_int_equal(f.vlan, 10);

	assert_int_equal(ifstat_filter_parse("tcp src port 22", &f, &err), 0);
	assert_int_equal(f.fields, IFSTAT_F_PROTO | IFSTAT_F_SRC_PORT);
	assert_int_equal(f.need, IFSTAT_P_PROTO | IFSTAT_P_PORTS);
	assert_int_equal(f.proto, 6);
	assert_int_equal(f.src_port.lo, 22);
	assert_int_equal(f.src_port.span, 0);

	/* Ports alone: only TCP/UDP have known ports, so no protocol bit. */
	assert_int_equal(ifstat_filter_parse("port 8000-8080", &f, &err), 0);
	assert_int_equal(f.fields, IFSTAT_F_PORT);
	assert_int_equal(f.need, IFSTAT_P_PORTS);
	assert_int_equal(f.port.lo, 8000);
	assert_int_equal(f.port.span, 80);
	assert_int_equal(ifstat_filter_parse("dst port 0-65535", &f, &err), 0);
	assert_int_equal(f.dst_port.lo, 0);
	assert_int_equal(f.dst_port.span, 65535);

	assert_int_equal(ifstat_filter_parse("proto 0", &f, &err), 0);
	assert_int_equal(f.fields, IFSTAT_F_PROTO);
	assert_int_equal(f.need, IFSTAT_P_PROTO);
	assert_int_equal(f.proto, 0);

	assert_int_equal(ifstat_filter_parse("src 198.51.100.0/24", &f, &err),
			 0);
	assert_int_equal(f.fields, IFSTAT_F_SRC);
	assert_int_equal(f.need, IFSTAT_P_IPV4);
	assert_int_equal(f.family, 4);
	assert_int_equal(f.src_len, 24);
	check_prefix(&f.src, v4_net, 24);

	/* /0 still asks for the family (doc/semantics.md rule 7). */
	assert_int_equal(ifstat_filter_parse("host 0.0.0.0/0", &f, &err), 0);
	assert_int_equal(f.need, IFSTAT_P_IPV4);
	assert_int_equal(f.host_len, 0);
	check_prefix(&f.host, zero, 0);
	assert_int_equal(ifstat_filter_parse("dst ::/0", &f, &err), 0);
	assert_int_equal(f.need, IFSTAT_P_IPV6);
	assert_int_equal(f.family, 6);
	check_prefix(&f.dst, zero, 0);

	assert_int_equal(
		ifstat_filter_parse("dst 2001:db8:8000::/33", &f, &err), 0);
	assert_int_equal(f.fields, IFSTAT_F_DST);
	assert_int_equal(f.need, IFSTAT_P_IPV6);
	assert_int_equal(f.dst_len, 33);
	check_prefix(&f.dst, v6_33, 33);

	assert_int_equal(ifstat_filter_parse("host 2001:db8::1", &f, &err), 0);
	assert_int_equal(f.host_len, 128);
	check_prefix(&f.host, v6_host, 128);
	assert_int_equal(ifstat_filter_parse("src 2001:db8::2/127", &f, &err),
			 0);
	check_prefix(&f.src, v6_127, 127);

	assert_int_equal(ifstat_filter_parse("vlan 3 udp dst 192.0.2.7 "
					     "dst port 53",
					     &f, &err),
			 0);
	assert_int_equal(f.fields, IFSTAT_F_VLAN | IFSTAT_F_PROTO |
					   IFSTAT_F_DST | IFSTAT_F_DST_PORT);
	assert_int_equal(f.need, IFSTAT_P_VLAN | IFSTAT_P_IPV4 |
					 IFSTAT_P_PROTO | IFSTAT_P_PORTS);
	assert_int_equal(f.dst_len, 32);
	check_prefix(&f.dst, v4_host, 32);
	/* The user side never picks slot or generation. */
	assert_int_equal(f.slot, 0);
	assert_int_equal(f.gen, 0);
}

/* Every mask length, both families: the words match the bit count. */
static void test_every_prefix_length(void **state)
{
	struct ifstat_filter f;
	struct ifstat_diag err;
	uint8_t zero[16] = { 0 };
	char text[64];
	unsigned int len;

	(void)state;
	for (len = 0; len <= 128; len++) {
		snprintf(text, sizeof(text), "src 2001:db8::/%u", len);
		if (len < 32) {
			/* 2001:db8:: has bits below /32; use :: instead. */
			snprintf(text, sizeof(text), "src ::/%u", len);
		}
		if (ifstat_filter_parse(text, &f, &err))
			fail_msg("'%s': %s", text, err.msg);
		assert_int_equal(f.src_len, len);
		check_prefix(&f.src,
			     len < 32 ? zero
				      : (const uint8_t[16]){ 0x20, 0x01, 0x0d,
							     0xb8 },
			     len);
	}
	for (len = 0; len <= 32; len++) {
		snprintf(text, sizeof(text), "dst 0.0.0.0/%u", len);
		if (ifstat_filter_parse(text, &f, &err))
			fail_msg("'%s': %s", text, err.msg);
		assert_int_equal(f.dst_len, len);
		check_prefix(&f.dst, zero, len);
	}
}

/* The INI path: key by key, then the cross-field check. */
struct set_case {
	const char *keys[8][2];
	const char *same_as; /* the one-line form of the same filter */
};

static const struct set_case sets[] = {
	{ { { "protocol", "tcp" },
	    { "src", "192.0.2.1" },
	    { "src_port", "22" } },
	  "tcp src 192.0.2.1 src port 22" },
	{ { { "protocol", "any" } }, "any" },
	{ { { "protocol", "47" }, { "vlan", "4094" } }, "proto 47 vlan 4094" },
	{ { { "dst", "2001:db8::/32" },
	    { "host", "2001:db8::7" },
	    { "dst_port", "8000-8080" },
	    { "port", "0-65535" } },
	  "dst 2001:db8::/32 host 2001:db8::7 dst port 8000-8080 "
	  "port 0-65535" },
	/* A key given again replaces the value, as an INI reader does. */
	{ { { "protocol", "icmp" }, { "protocol", "udp" }, { "port", "53" } },
	  "udp port 53" },
	{ { { "protocol", "icmp" }, { "protocol", "any" }, { "port", "53" } },
	  "port 53" },
};

static void test_set(void **state)
{
	struct ifstat_filter a, b;
	struct ifstat_diag err;
	size_t i, k;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(sets); i++) {
		ifstat_filter_init(&a);
		for (k = 0; k < 8 && sets[i].keys[k][0]; k++)
			if (ifstat_filter_set(&a, sets[i].keys[k][0],
					      sets[i].keys[k][1], &err))
				fail_msg("%s = %s: %s", sets[i].keys[k][0],
					 sets[i].keys[k][1], err.msg);
		assert_int_equal(ifstat_filter_finish(&a, &err), 0);
		assert_int_equal(ifstat_filter_parse(sets[i].same_as, &b, &err),
				 0);
		if (memcmp(&a, &b, sizeof(a)))
			fail_msg("set case %zu differs from '%s'", i,
				 sets[i].same_as);
	}
}

static void test_set_errors(void **state)
{
	struct ifstat_filter f;
	struct ifstat_diag err;

	(void)state;
	ifstat_filter_init(&f);
	assert_int_equal(ifstat_filter_set(&f, "proto", "tcp", &err), -EINVAL);
	assert_string_equal(err.key, "proto");
	assert_string_equal(err.msg, "unknown key");
	assert_string_equal(err.value, "proto");
	/* The one-line words with a space are not INI keys. */
	assert_int_equal(ifstat_filter_set(&f, "src port", "22", &err),
			 -EINVAL);
	assert_string_equal(err.msg, "unknown key");
	/* A key longer than the field is cut, not overflowed. */
	assert_int_equal(ifstat_filter_set(&f,
					   "a_very_long_key_name_that_goes_on_"
					   "and_on_and_on",
					   "1", &err),
			 -EINVAL);
	/* Cut at IFSTAT_DIAG_KEY_SHOWN (40) characters. */
	assert_string_equal(err.key, "a_very_long_key_name_that_goes_on_and_"
				     "on");
	assert_int_equal(f.fields, 0);

	assert_int_equal(ifstat_filter_set(&f, "vlan", "4095", &err), -EINVAL);
	assert_string_equal(err.key, "vlan");
	assert_string_equal(err.msg, E_VLAN);
	assert_string_equal(err.value, "4095");
	/* A refused value leaves the filter as it was. */
	assert_int_equal(f.fields, 0);

	/* Ports with a port-less protocol are caught at finish. */
	assert_int_equal(ifstat_filter_set(&f, "protocol", "icmpv6", &err), 0);
	assert_int_equal(ifstat_filter_set(&f, "port", "53", &err), 0);
	assert_int_equal(ifstat_filter_finish(&f, &err), -EINVAL);
	assert_string_equal(err.key, "protocol");
	assert_string_equal(err.msg, "ports need protocol tcp or udp");
	assert_string_equal(err.value, "icmpv6");

	ifstat_filter_init(&f);
	assert_int_equal(ifstat_filter_set(&f, "host", "2001:db8::1", &err), 0);
	assert_int_equal(ifstat_filter_set(&f, "src", "192.0.2.1", &err), 0);
	assert_int_equal(ifstat_filter_finish(&f, &err), -EINVAL);
	assert_string_equal(err.msg, "IPv4 and IPv6 addresses in one filter");
	assert_string_equal(err.key, "host");
	assert_string_equal(err.value, "2001:db8::1");
	/* Asking again gives the same answer. */
	assert_int_equal(ifstat_filter_finish(&f, &err), -EINVAL);

	/* A key set twice counts with its last value only. */
	ifstat_filter_init(&f);
	assert_int_equal(ifstat_filter_set(&f, "src", "192.0.2.1", &err), 0);
	assert_int_equal(ifstat_filter_set(&f, "src", "2001:db8::1", &err), 0);
	assert_int_equal(ifstat_filter_finish(&f, &err), 0);
	assert_int_equal(f.family, 6);
}

static void test_format_space(void **state)
{
	static const char *const longest =
		"udp vlan 4093 "
		"src ffff:ffff:ffff:ffff:ffff:ffff:ffff:ff00/120 "
		"dst ffff:ffff:ffff:ffff:ffff:ffff:ffff:fe00/119 "
		"host ffff:ffff:ffff:ffff:ffff:ffff:ffff:fc00/118 "
		"src port 65533-65535 dst port 65532-65535 "
		"port 65531-65535";
	char buf[IFSTAT_FILTER_TEXT_MAX];
	struct ifstat_filter f;
	struct ifstat_diag err;
	size_t n = strlen(longest);

	(void)state;
	/* Ports need tcp/udp, so "proto N" never comes with three ranges. */
	assert_int_equal(ifstat_filter_parse(longest, &f, &err), 0);
	/* The documented bound holds for the longest possible form. */
	assert_int_equal(ifstat_filter_format(&f, buf, sizeof(buf)), (int)n);
	assert_true(n < IFSTAT_FILTER_TEXT_MAX);
	assert_string_equal(buf, longest);
	assert_int_equal(ifstat_filter_format(&f, buf, n + 1), (int)n);
	assert_int_equal(ifstat_filter_format(&f, buf, n), -ENOSPC);
	assert_int_equal(ifstat_filter_format(&f, buf, 12), -ENOSPC);
	assert_int_equal(ifstat_filter_format(&f, buf, 0), -ENOSPC);

	assert_int_equal(ifstat_filter_parse("any", &f, &err), 0);
	assert_int_equal(ifstat_filter_format(&f, buf, 4), 3);
	assert_string_equal(buf, "any");
	assert_int_equal(ifstat_filter_format(&f, buf, 3), -ENOSPC);
}

static void test_same(void **state)
{
	struct ifstat_filter a, b;
	struct ifstat_diag err;

	(void)state;
	assert_int_equal(ifstat_filter_parse("udp port 53", &a, &err), 0);
	assert_int_equal(ifstat_filter_parse("port 53 udp", &b, &err), 0);
	b.slot = 9;
	b.gen = 1234;
	assert_true(ifstat_filter_same(&a, &b));
	assert_int_equal(ifstat_filter_parse("udp port 53-54", &b, &err), 0);
	assert_false(ifstat_filter_same(&a, &b));
	assert_int_equal(ifstat_filter_parse("udp src port 53", &b, &err), 0);
	assert_false(ifstat_filter_same(&a, &b));
	assert_int_equal(ifstat_filter_parse("src 192.0.2.0/24", &a, &err), 0);
	assert_int_equal(ifstat_filter_parse("src 192.0.2.0/25", &b, &err), 0);
	assert_false(ifstat_filter_same(&a, &b));
}

/* The parser's diagnostic, written as every message about a filter is. */
static void test_err_str(void **state)
{
	struct ifstat_filter f;
	struct ifstat_diag err;
	struct ifstat_buf b;

	(void)state;
	assert_int_equal(ifstat_filter_parse("vlan 4095", &f, &err), -EINVAL);
	assert_string_equal(err.file, "");
	assert_int_equal(err.line, 0);
	ifstat_buf_init(&b);
	ifstat_diag_write(&b, &err);
	assert_string_equal(b.data, "vlan: VLAN ID must be 1-4094 ('4095')");
	ifstat_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_forms),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_errors_without_err),
		cmocka_unit_test(test_too_long),
		cmocka_unit_test(test_need_and_masks),
		cmocka_unit_test(test_every_prefix_length),
		cmocka_unit_test(test_set),
		cmocka_unit_test(test_set_errors),
		cmocka_unit_test(test_format_space),
		cmocka_unit_test(test_same),
		cmocka_unit_test(test_err_str),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
