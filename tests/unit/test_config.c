// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The configuration file: every valid form, every error with its exact
 * message and line, all errors of a file at once, nothing changed by a
 * refused file, -F arguments, and print -> parse round trips.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "config.h"

/* The first interface, "" for none. */
#define IFACE0(c) ((c).ninterfaces ? (c).interfaces[0].name : "")
#include "filter.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define HDR "[ifstat]\n"

#define IFACE_RULE                                                             \
	"(1-15 characters, no '/', ':', '#', ';' or blanks), optionally "      \
	"followed by :ingress, :egress or :both"
#define IFACE_MSG "not an interface name " IFACE_RULE
#define INTERVAL_UNIT "expected a number and the unit ms or s, e.g. 500ms or 2s"
#define INTERVAL_RANGE "must be 10ms-3600s"
#define NAME_RULE "characters of A-Z a-z 0-9 _ . -"
#define PORT_MSG "port must be 0-65535 or a range lo-hi"
#define BOOL_MSG "expected yes or no (or true, false, on, off, 1, 0)"
#define FILTER_KEYS                                                            \
	"unknown key in a filter, expected protocol, src, dst, host, "         \
	"src_port, dst_port, port or vlan"

static struct ifstat_diags errs;

/* Error i of errs as it is printed. */
static const char *msg(unsigned int i)
{
	static char text[1024];
	struct ifstat_buf b;

	ifstat_buf_init(&b);
	ifstat_diag_write(&b, &errs.d[i]);
	snprintf(text, sizeof(text), "%s", b.err ? "(no memory)" : b.data);
	ifstat_buf_free(&b);
	return text;
}

static void dump_errors(const char *text)
{
	unsigned int i;

	print_message("--- for:\n%s--- got %u error(s):\n", text, errs.count);
	for (i = 0; i < errs.count && i < IFSTAT_DIAG_MAX; i++)
		print_message("  %s\n", msg(i));
}

static void parse_ok(const char *text, struct ifstat_config *c)
{
	int ret = ifstat_config_parse("t.conf", text, c, &errs);

	if (ret)
		dump_errors(text);
	assert_int_equal(ret, 0);
	assert_int_equal(errs.count, 0);
}

/* Parses text, expects exactly the messages want[] (NULL-terminated) and
 * an untouched output. */
static void expect_errors(const char *text, const char *const *want)
{
	static struct ifstat_config c, before;
	unsigned int i, n = 0;
	int ret;

	while (want[n])
		n++;
	memset(&c, 0xa5, sizeof(c));
	before = c;
	ret = ifstat_config_parse("t.conf", text, &c, &errs);
	if (ret != -EINVAL || errs.count != n)
		dump_errors(text);
	assert_int_equal(ret, -EINVAL);
	assert_int_equal(errs.count, n);
	for (i = 0; i < n; i++)
		assert_string_equal(msg(i), want[i]);
	assert_memory_equal(&c, &before, sizeof(c));
}

/* ---------------------------------------------------------------- */
/* [ifstat]: every valid form */

enum field {
	F_IFACE,
	F_INTERVAL,
	F_MODE,
	F_EDGES,
	F_SOCKET,
	F_GROUP,
	F_MAXCL,
	F_PROM,
	F_HTTP,
	F_UBUS,
	F_UOBJ,
	F_USOCK,
	F_KEEP,
};

struct valid_case {
	const char *line; /* one line under [ifstat] */
	enum field field;
	unsigned long num; /* interval, mode, max_clients, booleans */
	const char *str; /* strings; edges as "64 127" */
};

static const struct valid_case valid_cases[] = {
	{ "interface = eth0", F_IFACE, 0, "eth0" },
	{ "interface = enp0s8", F_IFACE, 0, "enp0s8" },
	{ "interface = br-lan.100", F_IFACE, 0, "br-lan.100" },
	{ "interface = abcdefghijklmno", F_IFACE, 0, "abcdefghijklmno" },
	{ "interface =", F_IFACE, 0, "" },
	{ "interface = wan0 lan0", F_IFACE, 0, "wan0" },
	{ "interface = wan0:both lan0", F_IFACE, 0, "wan0" },
	{ "interval = 500ms", F_INTERVAL, 500, NULL },
	{ "interval = 10ms", F_INTERVAL, 10, NULL },
	{ "interval = 1s", F_INTERVAL, 1000, NULL },
	{ "interval = 2s", F_INTERVAL, 2000, NULL },
	{ "interval = 3600s", F_INTERVAL, 3600000, NULL },
	{ "interval = 3600000ms", F_INTERVAL, 3600000, NULL },
	{ "interval = 0010ms", F_INTERVAL, 10, NULL },
	{ "xdp_mode = auto", F_MODE, IFSTAT_MODE_AUTO, NULL },
	{ "xdp_mode = native", F_MODE, IFSTAT_MODE_NATIVE, NULL },
	{ "xdp_mode = generic", F_MODE, IFSTAT_MODE_GENERIC, NULL },
	{ "size_buckets = 64 127 255 511 1023 1512", F_EDGES, 0,
	  "64 127 255 511 1023 1512" },
	{ "size_buckets = 64", F_EDGES, 0, "64" },
	{ "size_buckets = 1 65535", F_EDGES, 0, "1 65535" },
	{ "size_buckets = 100\t 200", F_EDGES, 0, "100 200" },
	{ "size_buckets = 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15", F_EDGES, 0,
	  "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15" },
	{ "socket = /run/ifstat/ifstatd.sock", F_SOCKET, 0,
	  "/run/ifstat/ifstatd.sock" },
	{ "socket = /tmp/my dir/x#1.sock", F_SOCKET, 0,
	  "/tmp/my dir/x#1.sock" },
	{ "socket_group = adm", F_GROUP, 0, "adm" },
	{ "socket_group = ifstat-users_1.x", F_GROUP, 0, "ifstat-users_1.x" },
	{ "socket_group =", F_GROUP, 0, "" },
	{ "max_clients = 1", F_MAXCL, 1, NULL },
	{ "max_clients = 1024", F_MAXCL, 1024, NULL },
	{ "prometheus = 127.0.0.1:9877", F_PROM, 0, "127.0.0.1:9877" },
	{ "prometheus = 0.0.0.0:1", F_PROM, 0, "0.0.0.0:1" },
	{ "prometheus = 192.0.2.1:065535", F_PROM, 0, "192.0.2.1:65535" },
	{ "prometheus = [::1]:9877", F_PROM, 0, "[::1]:9877" },
	{ "prometheus = [2001:DB8:0:0::1]:80", F_PROM, 0, "[2001:db8::1]:80" },
	{ "prometheus =", F_PROM, 0, "" },
	{ "http = 127.0.0.1:8080", F_HTTP, 0, "127.0.0.1:8080" },
	{ "http = [2001:DB8::0:1]:080", F_HTTP, 0, "[2001:db8::1]:80" },
	{ "http =", F_HTTP, 0, "" },
	{ "ubus = yes", F_UBUS, 1, NULL },
	{ "ubus = true", F_UBUS, 1, NULL },
	{ "ubus = on", F_UBUS, 1, NULL },
	{ "ubus = 1", F_UBUS, 1, NULL },
	{ "ubus = Yes", F_UBUS, 1, NULL },
	{ "ubus = no", F_UBUS, 0, NULL },
	{ "ubus = false", F_UBUS, 0, NULL },
	{ "ubus = off", F_UBUS, 0, NULL },
	{ "ubus = 0", F_UBUS, 0, NULL },
	{ "ubus_object = ifstat.wan", F_UOBJ, 0, "ifstat.wan" },
	{ "ubus_socket = /var/run/ubus/ubus.sock", F_USOCK, 0,
	  "/var/run/ubus/ubus.sock" },
	{ "ubus_socket =", F_USOCK, 0, "" },
	{ "keep_counters = yes", F_KEEP, 1, NULL },
	{ "keep_counters = FALSE", F_KEEP, 0, NULL },
	{ "keep_counters = 1", F_KEEP, 1, NULL },
};

static void edges_str(const struct ifstat_config *c, char *buf, size_t len)
{
	size_t pos = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < c->nedges; i++)
		pos += (size_t)snprintf(buf + pos, len - pos, "%s%u",
					i ? " " : "", c->edges[i]);
}

/* Checks the field, then puts the default back: the rest must be the
 * defaults, so a key touches nothing else. */
static void check_and_reset(const struct valid_case *vc,
			    struct ifstat_config *c,
			    const struct ifstat_config *d)
{
	char buf[128];

	switch (vc->field) {
	case F_IFACE:
		assert_string_equal(IFACE0(*c), vc->str);
		memcpy(c->interfaces, d->interfaces, sizeof(c->interfaces));
		c->ninterfaces = d->ninterfaces;
		break;
	case F_INTERVAL:
		assert_int_equal(c->interval_ms, vc->num);
		c->interval_ms = d->interval_ms;
		break;
	case F_MODE:
		assert_int_equal(c->xdp_mode, vc->num);
		c->xdp_mode = d->xdp_mode;
		break;
	case F_EDGES:
		edges_str(c, buf, sizeof(buf));
		assert_string_equal(buf, vc->str);
		memcpy(c->edges, d->edges, sizeof(c->edges));
		c->nedges = d->nedges;
		break;
	case F_SOCKET:
		assert_string_equal(c->socket, vc->str);
		memcpy(c->socket, d->socket, sizeof(c->socket));
		break;
	case F_GROUP:
		assert_string_equal(c->socket_group, vc->str);
		memcpy(c->socket_group, d->socket_group,
		       sizeof(c->socket_group));
		break;
	case F_MAXCL:
		assert_int_equal(c->max_clients, vc->num);
		c->max_clients = d->max_clients;
		break;
	case F_PROM:
		assert_string_equal(c->prometheus, vc->str);
		memcpy(c->prometheus, d->prometheus, sizeof(c->prometheus));
		break;
	case F_HTTP:
		assert_string_equal(c->http, vc->str);
		memcpy(c->http, d->http, sizeof(c->http));
		break;
	case F_UBUS:
		assert_int_equal(c->ubus, vc->num);
		c->ubus = d->ubus;
		break;
	case F_UOBJ:
		assert_string_equal(c->ubus_object, vc->str);
		memcpy(c->ubus_object, d->ubus_object, sizeof(c->ubus_object));
		break;
	case F_USOCK:
		assert_string_equal(c->ubus_socket, vc->str);
		memcpy(c->ubus_socket, d->ubus_socket, sizeof(c->ubus_socket));
		break;
	case F_KEEP:
		assert_int_equal(c->keep_counters, vc->num);
		c->keep_counters = d->keep_counters;
		break;
	}
}

static void test_defaults(void **state)
{
	static const uint32_t edges[] = IFSTAT_DEFAULT_EDGES;
	static struct ifstat_config c, p;

	(void)state;
	ifstat_config_defaults(&c);
	assert_string_equal(IFACE0(c), "");
	assert_int_equal(c.interval_ms, 1000);
	assert_int_equal(c.xdp_mode, IFSTAT_MODE_AUTO);
	assert_int_equal(c.nedges, IFSTAT_DEFAULT_NEDGES);
	assert_memory_equal(c.edges, edges, sizeof(edges));
	assert_string_equal(c.socket, "/run/ifstat/ifstatd.sock");
	assert_string_equal(c.socket_group, "");
	assert_int_equal(c.max_clients, 64);
	assert_string_equal(c.prometheus, "");
	assert_string_equal(c.http, "");
	assert_false(c.ubus);
	assert_string_equal(c.ubus_object, "ifstat");
	assert_string_equal(c.ubus_socket, "");
	assert_false(c.keep_counters);
	assert_int_equal(c.nfilters, 0);

	/* An empty file, or one with an empty [ifstat], is the defaults. */
	parse_ok("", &p);
	assert_true(ifstat_config_same(&p, &c));
	parse_ok(HDR, &p);
	assert_true(ifstat_config_same(&p, &c));
}

static void test_valid_keys(void **state)
{
	static struct ifstat_config c, d;
	char text[512];
	size_t i;

	(void)state;
	ifstat_config_defaults(&d);
	for (i = 0; i < ARRAY_SIZE(valid_cases); i++) {
		snprintf(text, sizeof(text), HDR "%s\n", valid_cases[i].line);
		parse_ok(text, &c);
		check_and_reset(&valid_cases[i], &c, &d);
		if (!ifstat_config_same(&c, &d))
			fail_msg("'%s' changed another key", text);
	}
}

/* Comments, blank lines, indentation, CRLF and a BOM change nothing. */
static void test_layout(void **state)
{
	static struct ifstat_config c;

	(void)state;
	parse_ok("\xef\xbb\xbf# ifstat\r\n"
		 "\r\n"
		 "; another comment\r\n"
		 "  [ifstat]   # the section\r\n"
		 "\tinterface=eth1 ; inline\r\n"
		 "    interval   =   250ms   # inline\r\n"
		 "socket = /run/x#y;z.sock\r\n"
		 "  # indented comment after a key\r\n"
		 "xdp_mode = native\r\n"
		 "[filter  web]\n"
		 "\tport = 80 # http\n",
		 &c);
	assert_string_equal(IFACE0(c), "eth1");
	assert_int_equal(c.interval_ms, 250);
	assert_string_equal(c.socket, "/run/x#y;z.sock");
	assert_int_equal(c.xdp_mode, IFSTAT_MODE_NATIVE);
	assert_int_equal(c.nfilters, 1);
	assert_string_equal(c.filters[0].name, "web");
	assert_int_equal(c.filters[0].filter.fields, IFSTAT_F_PORT);
	assert_int_equal(c.filters[0].filter.port.lo, 80);
	assert_int_equal(c.filter_line[0], 10);

	/* Lines are counted through all of that. */
	static const char *const want[] = {
		"t.conf:5: xdp_mode: expected auto, native or generic "
		"('fast')",
		"t.conf:7: vlan: VLAN ID must be 1-4094 ('0')",
		NULL,
	};
	expect_errors("\xef\xbb\xbf# c\r\n\r\n[ifstat]\r\n"
		      "  ; x\r\n\txdp_mode = fast # y\r\n"
		      "[filter a]\r\n"
		      "vlan = 0\r\n",
		      want);
}

/* The longest line inih's buffer holds is 199 characters. */
static void test_line_length(void **state)
{
	static struct ifstat_config c;
	char text[1024], line[256], want0[256];
	const char *want[3] = { want0, NULL, NULL };
	size_t n;

	(void)state;
	/* 199 characters: "size_buckets = 64", blanks, "127". */
	n = (size_t)snprintf(line, sizeof(line), "size_buckets = 64");
	memset(line + n, ' ', 199 - n - 3);
	memcpy(line + 199 - 3, "127", 4);
	assert_int_equal(strlen(line), 199);
	snprintf(text, sizeof(text), HDR "%s\n", line);
	parse_ok(text, &c);
	assert_int_equal(c.nedges, 2);
	assert_int_equal(c.edges[1], 127);

	/* A long comment does not count. */
	n = (size_t)snprintf(text, sizeof(text), HDR "interval = 2s #");
	memset(text + n, 'c', 600);
	memcpy(text + n + 600, "\n", 2);
	parse_ok(text, &c);
	assert_int_equal(c.interval_ms, 2000);

	/* 200 characters: refused, and the next line is still line 3. */
	memmove(line + 15, line + 14, strlen(line + 14) + 1);
	assert_int_equal(strlen(line), 200);
	snprintf(text, sizeof(text), HDR "%s\ninterval = 1\n", line);
	snprintf(want0, sizeof(want0),
		 "t.conf:2: syntax: line longer than 199 characters "
		 "('%.80s...')",
		 line);
	want[1] = "t.conf:3: interval: " INTERVAL_UNIT " ('1')";
	expect_errors(text, want);
}

/* ---------------------------------------------------------------- */
/* Filters: every key and form, against the one-line parser */

struct filter_case {
	const char *body; /* the keys of [filter f] */
	const char *oneline; /* the same filter in the one-line form */
};

static const struct filter_case filter_cases[] = {
	{ "", "any" },
	{ "protocol = any\n", "any" },
	{ "protocol = tcp\n", "tcp" },
	{ "protocol = udp\n", "udp" },
	{ "protocol = icmp\n", "icmp" },
	{ "protocol = icmpv6\n", "icmpv6" },
	{ "protocol = 47\n", "proto 47" },
	{ "protocol = 0\n", "proto 0" },
	{ "protocol = 255\n", "proto 255" },
	{ "src = 192.0.2.10\n", "src 192.0.2.10" },
	{ "src = 192.0.2.0/24\n", "src 192.0.2.0/24" },
	{ "dst = 0.0.0.0/0\n", "dst 0.0.0.0/0" },
	{ "host = 203.0.113.7/32\n", "host 203.0.113.7" },
	{ "src = 2001:db8::1\n", "src 2001:db8::1" },
	{ "dst = 2001:db8::/32\n", "dst 2001:db8::/32" },
	{ "host = 2001:db8::/128\n", "host 2001:db8::" },
	{ "src = 198.51.100.0/24\ndst = 203.0.113.7\n", "src 198.51.100.0/24 "
							"dst 203.0.113.7" },
	{ "src_port = 22\n", "src port 22" },
	{ "dst_port = 8000-8080\n", "dst port 8000-8080" },
	{ "port = 0\n", "port 0" },
	{ "port = 65535\n", "port 65535" },
	{ "port = 0-65535\n", "port 0-65535" },
	{ "port = 53-53\n", "port 53" },
	{ "vlan = 1\n", "vlan 1" },
	{ "vlan = 4094\n", "vlan 4094" },
	{ "protocol = tcp\nsrc = 192.0.2.10\nsrc_port = 22\n", "tcp src "
							       "192.0.2.10 src "
							       "port 22" },
	{ "protocol = udp\nport = 53\n", "udp port 53" },
	{ "vlan = 100\ndst_port = 8000-8080\n", "vlan 100 dst port 8000-8080" },
	{ "port = 443\nprotocol = tcp\nvlan = 7\nhost = 2001:db8::/48\n"
	  "src = 2001:db8:0:1::/64\ndst = 2001:db8::2\nsrc_port = 1024-65535\n"
	  "dst_port = 443\n",
	  "tcp vlan 7 src 2001:db8:0:1::/64 dst 2001:db8::2 host 2001:db8::/48 "
	  "src port 1024-65535 dst port 443 port 443" },
	{ "protocol = any\nport = 123\n", "port 123" },
};

static void test_filters(void **state)
{
	static struct ifstat_config c;
	struct ifstat_filter want;
	struct ifstat_diag err;
	char text[1024];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(filter_cases); i++) {
		snprintf(text, sizeof(text), "[filter f]\n%s",
			 filter_cases[i].body);
		parse_ok(text, &c);
		assert_int_equal(c.nfilters, 1);
		assert_string_equal(c.filters[0].name, "f");
		assert_int_equal(c.filter_line[0], 1);
		assert_int_equal(ifstat_filter_parse(filter_cases[i].oneline,
						     &want, &err),
				 0);
		if (!ifstat_filter_same(&c.filters[0].filter, &want))
			fail_msg("[filter f] %s is not '%s'",
				 filter_cases[i].body, filter_cases[i].oneline);
	}

	/* Some fields, read directly. */
	parse_ok("[filter ssh]\nprotocol = tcp\nsrc = 192.0.2.10\n"
		 "src_port = 22\n",
		 &c);
	assert_int_equal(c.filters[0].filter.fields,
			 IFSTAT_F_PROTO | IFSTAT_F_SRC | IFSTAT_F_SRC_PORT);
	assert_int_equal(c.filters[0].filter.proto, 6);
	assert_int_equal(c.filters[0].filter.family, 4);
	assert_int_equal(c.filters[0].filter.src_len, 32);
	assert_int_equal(c.filters[0].filter.src_port.lo, 22);
	assert_int_equal(c.filters[0].filter.src_port.span, 0);
	assert_int_equal(c.filters[0].filter.need,
			 IFSTAT_P_IPV4 | IFSTAT_P_PROTO | IFSTAT_P_PORTS);
}

/* Position in the file is the index; names of every allowed form. */
static void test_filter_order(void **state)
{
	static const char *const names[] = {
		"ssh",
		"DNS",
		"a",
		"web-8080",
		"v6.doc",
		"x_1",
		"abcdefghijklmnopqrstuvwxyz01234", /* 31 characters */
	};
	static struct ifstat_config c;
	char text[2048];
	size_t i, pos = 0;

	(void)state;
	pos += (size_t)snprintf(text, sizeof(text), HDR "interface = eth0\n\n");
	for (i = 0; i < ARRAY_SIZE(names); i++)
		pos += (size_t)snprintf(text + pos, sizeof(text) - pos,
					"# filter %zu\n[filter %s]\nport = "
					"%zu\n\n",
					i, names[i], i);
	parse_ok(text, &c);
	assert_int_equal(c.nfilters, ARRAY_SIZE(names));
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		assert_string_equal(c.filters[i].name, names[i]);
		assert_int_equal(c.filters[i].filter.port.lo, i);
		/* 3 lines of [ifstat], 4 per filter, header 2nd of them. */
		assert_int_equal(c.filter_line[i], 3 + 4 * i + 2);
	}
}

static void test_filter_limit(void **state)
{
	static char text[IFSTAT_MAX_FILTERS * 32 + 256];
	static struct ifstat_config c;
	size_t pos = 0;
	unsigned int i;

	(void)state;
	for (i = 0; i < IFSTAT_MAX_FILTERS; i++)
		pos += (size_t)snprintf(text + pos, sizeof(text) - pos,
					"[filter f%u]\n", i);
	parse_ok(text, &c);
	assert_int_equal(c.nfilters, IFSTAT_MAX_FILTERS);
	for (i = 0; i < IFSTAT_MAX_FILTERS; i++)
		assert_int_equal(c.filter_line[i], i + 1);

	/* Two more: one error, at the first one too many; the keys of
	 * both are still checked. */
	snprintf(text + pos, sizeof(text) - pos,
		 "[filter f64]\nvlan = 5000\n[filter f65]\nport = x\n");
	static const char *const want[] = {
		"t.conf:65: filter: more than 64 filters ('f64')",
		"t.conf:66: vlan: VLAN ID must be 1-4094 ('5000')",
		"t.conf:68: port: port must be 0-65535 or a range lo-hi ('x')",
		NULL,
	};
	expect_errors(text, want);
}

/* ---------------------------------------------------------------- */
/* Every error, one file each */

struct error_case {
	const char *text;
	const char *want[4];
};

static const struct error_case error_cases[] = {
	/* syntax */
	{ HDR "interface eth0\n",
	  { "t.conf:2: syntax: expected 'key = value' or '[section]' "
	    "('interface eth0')" } },
	{ HDR "interface: eth0\n",
	  { "t.conf:2: syntax: expected 'key = value' or '[section]' "
	    "('interface: eth0')" } },
	{ "[filter a]\nsrc 2001:db8::1 = x\n",
	  { "t.conf:2: syntax: expected 'key = value' or '[section]' "
	    "('src 2001:db8::1 = x')" } },
	{ HDR "= eth0\n",
	  { "t.conf:2: syntax: missing key before '=' ('= eth0')" } },
	{ "[ifstat\ninterface = eth0\n",
	  { "t.conf:1: syntax: expected '[section]' ('[ifstat')" } },
	{ "[ifstat] x\n",
	  { "t.conf:1: syntax: expected '[section]' ('[ifstat] x')" } },
	{ "[ifstat]]\n",
	  { "t.conf:1: syntax: expected '[section]' ('[ifstat]]')" } },
	{ "[[ifstat]\n",
	  { "t.conf:1: syntax: expected '[section]' ('[[ifstat]')" } },
	/* sections */
	{ "[global]\nx = 1\n",
	  { "t.conf:1: section: unknown section, expected [ifstat] or "
	    "[filter NAME] ('global')" } },
	{ "[]\n",
	  { "t.conf:1: section: unknown section, expected [ifstat] or "
	    "[filter NAME] ('')" } },
	{ "[IFSTAT]\n",
	  { "t.conf:1: section: unknown section, expected [ifstat] or "
	    "[filter NAME] ('IFSTAT')" } },
	{ "[filterssh]\n",
	  { "t.conf:1: section: unknown section, expected [ifstat] or "
	    "[filter NAME] ('filterssh')" } },
	{ HDR "interval = 1s\n" HDR "xdp_mode = native\n",
	  { "t.conf:3: section: [ifstat] given twice, first on line 1 "
	    "('ifstat')" } },
	{ "[filter]\nport = 1\n",
	  { "t.conf:1: filter: missing name, expected [filter NAME] ('')" } },
	{ "[filter  ]\n",
	  { "t.conf:1: filter: missing name, expected [filter NAME] ('')" } },
	{ "[filter a b]\n",
	  { "t.conf:1: filter: name must be 1-31 " NAME_RULE " ('a b')" } },
	{ "[filter a/b]\n",
	  { "t.conf:1: filter: name must be 1-31 " NAME_RULE " ('a/b')" } },
	{ "[filter abcdefghijklmnopqrstuvwxyz012345]\n",
	  { "t.conf:1: filter: name must be 1-31 " NAME_RULE " ('"
	    "abcdefghijklmnopq"
	    "rstuvwxyz012345'"
	    ")" } },
	{ "[filter ssh]\nport = 22\n\n[filter ssh]\nport = 2222\n",
	  { "t.conf:4: filter: name already used on line 1 ('ssh')" } },
	/* keys */
	{ "interface = eth0\n",
	  { "t.conf:1: interface: outside any section, expected after "
	    "[ifstat] or [filter NAME] ('eth0')" } },
	{ HDR "Interface = eth0\n",
	  { "t.conf:2: Interface: unknown key in [ifstat] ('eth0')" } },
	{ HDR "protocol = tcp\n",
	  { "t.conf:2: protocol: unknown key in [ifstat] ('tcp')" } },
	{ "[filter a]\nproto = tcp\n",
	  { "t.conf:2: proto: " FILTER_KEYS " ('tcp')" } },
	{ "[filter a]\ninterface = eth0\n",
	  { "t.conf:2: interface: " FILTER_KEYS " ('eth0')" } },
	{ HDR "interval = 1s\nxdp_mode = auto\ninterval = 2s\n",
	  { "t.conf:4: interval: given twice, first on line 2 ('2s')" } },
	{ HDR "interface = eth0\ninterface = eth1\n",
	  { "t.conf:3: interface: given twice, first on line 2 ('eth1')" } },
	{ "[filter a]\nport = 1\nport = 2\n",
	  { "t.conf:3: port: given twice, first on line 2 ('2')" } },
	{ "[filter a]\nsrc = 192.0.2.1\nsrc = 192.0.2.2\n",
	  { "t.conf:3: src: given twice, first on line 2 ('192.0.2.2')" } },
	/* interface */
	{ HDR "interface = abcdefghijklmnop\n",
	  { "t.conf:2: interface: " IFACE_MSG " ('abcdefghijklmnop')" } },
	{ HDR "interface = eth/0\n",
	  { "t.conf:2: interface: " IFACE_MSG " ('eth/0')" } },
	{ HDR "interface = eth0:1\n",
	  { "t.conf:2: interface: 'eth0:1': the direction after ':' is "
	    "ingress, egress or both ('eth0:1')" } },
	{ HDR "interface = eth0 wan:out\n",
	  { "t.conf:2: interface: 'wan:out': the direction after ':' is "
	    "ingress, egress or both ('eth0 wan:out')" } },
	{ HDR "interface = :egress\n",
	  { "t.conf:2: interface: " IFACE_MSG " (':egress')" } },
	{ HDR "interface = eth0 eth/1\n",
	  { "t.conf:2: interface: 'eth/1' is not an interface name " IFACE_RULE
	    " ('eth0 eth/1')" } },
	{ HDR "interface = eth0 eth0:egress\n",
	  { "t.conf:2: interface: 'eth0' is listed twice ('eth0 "
	    "eth0:egress')" } },
	{ HDR "interface = eth0 eth1 eth0\n",
	  { "t.conf:2: interface: 'eth0' is listed twice ('eth0 eth1 "
	    "eth0')" } },
	{ HDR "direction = sideways\n",
	  { "t.conf:2: direction: expected ingress, egress or both "
	    "('sideways')" } },
	{ HDR "hook = ebpf\n",
	  { "t.conf:2: hook: expected auto, xdp or tc ('ebpf')" } },
	{ HDR "interface =#0\n",
	  { "t.conf:2: interface: " IFACE_MSG " ('#0')" } },
	{ HDR "interface = eth;0\n",
	  { "t.conf:2: interface: " IFACE_MSG " ('eth;0')" } },
	{ HDR "interface = ..\n",
	  { "t.conf:2: interface: " IFACE_MSG " ('..')" } },
	/* interval */
	{ HDR "interval = 5\n",
	  { "t.conf:2: interval: " INTERVAL_UNIT " ('5')" } },
	{ HDR "interval = 5m\n",
	  { "t.conf:2: interval: " INTERVAL_UNIT " ('5m')" } },
	{ HDR "interval = 1h\n",
	  { "t.conf:2: interval: " INTERVAL_UNIT " ('1h')" } },
	{ HDR "interval = 1.5s\n",
	  { "t.conf:2: interval: " INTERVAL_UNIT " ('1.5s')" } },
	{ HDR "interval = 5 s\n",
	  { "t.conf:2: interval: " INTERVAL_UNIT " ('5 s')" } },
	{ HDR "interval = ms\n",
	  { "t.conf:2: interval: " INTERVAL_UNIT " ('ms')" } },
	{ HDR "interval = -5ms\n",
	  { "t.conf:2: interval: " INTERVAL_UNIT " ('-5ms')" } },
	{ HDR "interval =\n",
	  { "t.conf:2: interval: " INTERVAL_UNIT " ('')" } },
	{ HDR "interval = 9ms\n",
	  { "t.conf:2: interval: " INTERVAL_RANGE " ('9ms')" } },
	{ HDR "interval = 0s\n",
	  { "t.conf:2: interval: " INTERVAL_RANGE " ('0s')" } },
	{ HDR "interval = 3601s\n",
	  { "t.conf:2: interval: " INTERVAL_RANGE " ('3601s')" } },
	{ HDR "interval = 3600001ms\n",
	  { "t.conf:2: interval: " INTERVAL_RANGE " ('3600001ms')" } },
	{ HDR "interval = 99999999999999999999999s\n",
	  { "t.conf:2: interval: " INTERVAL_RANGE " ('99999999999999999999999s'"
	    ")" } },
	/* xdp_mode */
	{ HDR "xdp_mode = fast\n",
	  { "t.conf:2: xdp_mode: expected auto, native or generic "
	    "('fast')" } },
	{ HDR "xdp_mode = Native\n",
	  { "t.conf:2: xdp_mode: expected auto, native or generic "
	    "('Native')" } },
	{ HDR "xdp_mode =\n",
	  { "t.conf:2: xdp_mode: expected auto, native or generic ('')" } },
	/* size_buckets */
	{ HDR "size_buckets = 64 64\n",
	  { "t.conf:2: size_buckets: edges must be strictly increasing (64 "
	    "after 64) ('64 64')" } },
	{ HDR "size_buckets = 64 255 127\n",
	  { "t.conf:2: size_buckets: edges must be strictly increasing (127 "
	    "after 255) ('64 255 127')" } },
	{ HDR "size_buckets = 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n",
	  { "t.conf:2: size_buckets: more than 15 edges ('1 2 3 4 5 6 7 8 9 "
	    "10 11 12 13 14 15 16')" } },
	{ HDR "size_buckets = 0 64\n",
	  { "t.conf:2: size_buckets: '0' is not a number 1-65535 ('0 "
	    "64')" } },
	{ HDR "size_buckets = 64 65536\n",
	  { "t.conf:2: size_buckets: '65536' is not a number 1-65535 ('64 "
	    "65536')" } },
	{ HDR "size_buckets = 64,127\n",
	  { "t.conf:2: size_buckets: '64,127' is not a number 1-65535 "
	    "('64,127')" } },
	{ HDR "size_buckets = -1\n",
	  { "t.conf:2: size_buckets: '-1' is not a number 1-65535 ('-1')" } },
	{ HDR "size_buckets =\n",
	  { "t.conf:2: size_buckets: no edges given ('')" } },
	/* socket, socket_group, max_clients */
	{ HDR "socket = run/ifstat.sock\n",
	  { "t.conf:2: socket: must be an absolute path "
	    "('run/ifstat.sock')" } },
	{ HDR "socket =\n",
	  { "t.conf:2: socket: must be an absolute path ('')" } },
	{ HDR "socket_group = a b\n",
	  { "t.conf:2: socket_group: must be 1-31 " NAME_RULE " ('a b')" } },
	{ HDR "socket_group = abcdefghijklmnopqrstuvwxyz012345\n",
	  { "t.conf:2: socket_group: must be 1-31 " NAME_RULE " ('"
	    "abcdefghijklmnop"
	    "qrstuvwxyz012345"
	    "')" } },
	{ HDR "max_clients = 0\n",
	  { "t.conf:2: max_clients: must be a number 1-1024 ('0')" } },
	{ HDR "max_clients = 1025\n",
	  { "t.conf:2: max_clients: must be a number 1-1024 ('1025')" } },
	{ HDR "max_clients = ten\n",
	  { "t.conf:2: max_clients: must be a number 1-1024 ('ten')" } },
	{ HDR "max_clients = +5\n",
	  { "t.conf:2: max_clients: must be a number 1-1024 ('+5')" } },
	/* prometheus */
	{ HDR "prometheus = 127.0.0.1\n",
	  { "t.conf:2: prometheus: expected ADDRESS:PORT, e.g. "
	    "127.0.0.1:9877 or [::1]:9877 ('127.0.0.1')" } },
	{ HDR "prometheus = [::1]\n",
	  { "t.conf:2: prometheus: expected ADDRESS:PORT, e.g. "
	    "127.0.0.1:9877 or [::1]:9877 ('[::1]')" } },
	{ HDR "prometheus = [::1]9877\n",
	  { "t.conf:2: prometheus: expected ADDRESS:PORT, e.g. "
	    "127.0.0.1:9877 or [::1]:9877 ('[::1]9877')" } },
	{ HDR "prometheus = localhost:9877\n",
	  { "t.conf:2: prometheus: not an IPv4 address "
	    "('localhost:9877')" } },
	{ HDR "prometheus = 192.0.2.256:9877\n",
	  { "t.conf:2: prometheus: not an IPv4 address "
	    "('192.0.2.256:9877')" } },
	{ HDR "prometheus = [192.0.2.1]:9877\n",
	  { "t.conf:2: prometheus: not an IPv6 address "
	    "('[192.0.2.1]:9877')" } },
	{ HDR "prometheus = ::1:9877\n",
	  { "t.conf:2: prometheus: an IPv6 address needs brackets, e.g. "
	    "[::1]:9877 ('::1:9877')" } },
	{ HDR "prometheus = 127.0.0.1:0\n",
	  { "t.conf:2: prometheus: port must be 1-65535 "
	    "('127.0.0.1:0')" } },
	{ HDR "prometheus = 127.0.0.1:65536\n",
	  { "t.conf:2: prometheus: port must be 1-65535 "
	    "('127.0.0.1:65536')" } },
	{ HDR "prometheus = [::1]:\n",
	  { "t.conf:2: prometheus: port must be 1-65535 ('[::1]:')" } },
	/* http: the same kind as prometheus */
	{ HDR "http = localhost:8080\n",
	  { "t.conf:2: http: not an IPv4 address ('localhost:8080')" } },
	{ HDR "http = 127.0.0.1:0\n",
	  { "t.conf:2: http: port must be 1-65535 ('127.0.0.1:0')" } },
	/* ubus, keep_counters */
	{ HDR "ubus = maybe\n", { "t.conf:2: ubus: " BOOL_MSG " ('maybe')" } },
	{ HDR "ubus = 2\n", { "t.conf:2: ubus: " BOOL_MSG " ('2')" } },
	{ HDR "keep_counters =\n",
	  { "t.conf:2: keep_counters: " BOOL_MSG " ('')" } },
	{ HDR "ubus_object =\n",
	  { "t.conf:2: ubus_object: must be 1-63 " NAME_RULE " ('')" } },
	{ HDR "ubus_object = if/stat\n",
	  { "t.conf:2: ubus_object: must be 1-63 " NAME_RULE " ('if/stat')" } },
	{ HDR "ubus_socket = var/run/ubus.sock\n",
	  { "t.conf:2: ubus_socket: must be an absolute path "
	    "('var/run/ubus.sock')" } },
	/* filter values (messages from filter.c) */
	{ "[filter a]\nsrc = 192.0.2.256\n",
	  { "t.conf:2: src: not an IPv4 or IPv6 address ('192.0.2.256')" } },
	{ "[filter a]\nhost = example.org\n",
	  { "t.conf:2: host: not an IPv4 or IPv6 address "
	    "('example.org')" } },
	{ "[filter a]\ndst = 192.0.2.0/33\n",
	  { "t.conf:2: dst: prefix length must be 0-32 ('192.0.2.0/33')" } },
	{ "[filter a]\ndst = 192.0.2.0/\n",
	  { "t.conf:2: dst: prefix length must be 0-32 ('192.0.2.0/')" } },
	{ "[filter a]\nhost = 2001:db8::/129\n",
	  { "t.conf:2: host: prefix length must be 0-128 "
	    "('2001:db8::/129')" } },
	{ "[filter a]\nsrc = 192.0.2.1/24\n",
	  { "t.conf:2: src: address has bits set beyond the /24 prefix "
	    "('192.0.2.1/24')" } },
	{ "[filter a]\nsrc = 192.0.2.1\ndst = 2001:db8::1\n",
	  { "t.conf:3: dst: IPv4 and IPv6 addresses in one filter "
	    "('2001:db8::1')" } },
	/* The first address in the order src, dst, host sets the family;
	 * the first one of the other family is named. */
	{ "[filter a]\nhost = 2001:db8::/32\ndst = 2001:DB8::1\n"
	  "src = 198.51.100.0/24\n",
	  { "t.conf:3: dst: IPv4 and IPv6 addresses in one filter "
	    "('2001:db8::1')" } },
	{ "[filter a]\nsrc_port = 65536\n",
	  { "t.conf:2: src_port: port out of range 0-65535 ('65536')" } },
	{ "[filter a]\nsrc_port = 1-65536\n",
	  { "t.conf:2: src_port: port out of range 0-65535 ('1-65536')" } },
	{ "[filter a]\nport = x\n", { "t.conf:2: port: " PORT_MSG " ('x')" } },
	{ "[filter a]\ndst_port = 22-\n",
	  { "t.conf:2: dst_port: " PORT_MSG " ('22-')" } },
	{ "[filter a]\nport = 1-2-3\n",
	  { "t.conf:2: port: " PORT_MSG " ('1-2-3')" } },
	{ "[filter a]\ndst_port = 30-20\n",
	  { "t.conf:2: dst_port: port range is reversed ('30-20')" } },
	{ "[filter a]\nprotocol = icmp\nport = 22\n",
	  { "t.conf:2: protocol: ports need protocol tcp or udp "
	    "('icmp')" } },
	{ "[filter a]\nsrc_port = 1\nprotocol = 47\n",
	  { "t.conf:3: protocol: ports need protocol tcp or udp ('47')" } },
	{ "[filter a]\nvlan = 0\n",
	  { "t.conf:2: vlan: VLAN ID must be 1-4094 ('0')" } },
	{ "[filter a]\nvlan = 4095\n",
	  { "t.conf:2: vlan: VLAN ID must be 1-4094 ('4095')" } },
	{ "[filter a]\nvlan = ten\n",
	  { "t.conf:2: vlan: VLAN ID must be 1-4094 ('ten')" } },
	{ "[filter a]\nprotocol = tcpp\n",
	  { "t.conf:2: protocol: unknown protocol (any, tcp, udp, icmp, "
	    "icmpv6 or 0-255) ('tcpp')" } },
	{ "[filter a]\nprotocol = 256\n",
	  { "t.conf:2: protocol: protocol number out of range 0-255 "
	    "('256')" } },
	/* several errors in one filter, in line order */
	{ "[filter a]\nprotocol = icmp\nhost = 2001:db8::1\n"
	  "src = 192.0.2.1\nport = 22\nvlan = 0\n",
	  { "t.conf:2: protocol: ports need protocol tcp or udp ('icmp')",
	    "t.conf:3: host: IPv4 and IPv6 addresses in one filter "
	    "('2001:db8::1')",
	    "t.conf:6: vlan: VLAN ID must be 1-4094 ('0')" } },
	/* a refused section's keys are still checked */
	{ "[filter a/b]\nvlan = 0\n",
	  { "t.conf:1: filter: name must be 1-31 " NAME_RULE " ('a/b')",
	    "t.conf:2: vlan: VLAN ID must be 1-4094 ('0')" } },
	/* long values are cut in the message */
	{ HDR "socket = /0123456789012345678901234567890123456789"
	      "0123456789012345678901234567890123456789"
	      "0123456789012345678901234567\n",
	  { "t.conf:2: socket: longer than 107 characters "
	    "('/0123456789012345678901234567890123456789"
	    "012345678901234567890123456789012345678...')" } },
};

static void test_errors(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(error_cases); i++)
		expect_errors(error_cases[i].text, error_cases[i].want);
}

/* Every error of a file at once, in line order. */
static void test_all_errors(void **state)
{
	static const char text[] = "interface = eth0\n"
				   "[ifstat]\n"
				   "  interface = eth0   # comment\n"
				   "interval = 5\n"
				   "interval = 2s\n"
				   "xdp_mode = fast\n"
				   "size_buckets = 64 32\n"
				   "foo = bar\n"
				   "src 2001:db8::1\n"
				   "[filter ssh]\n"
				   "protocol = icmp\n"
				   "src = 192.0.2.1\n"
				   "dst = 2001:db8::1\n"
				   "port = 22\n"
				   "[filter ssh]\n"
				   "[filter a/b]\n"
				   "vlan = 0\n"
				   "[bogus]\n"
				   "x = 1\n"
				   "[filter\n"
				   "[filter mix]\n"
				   "host=2001:db8::/32\n"
				   "src=192.0.2.0/24\n"
				   "protocol=udp\n";
	static const char *const want[] = {
		"t.conf:1: interface: outside any section, expected after "
		"[ifstat] or [filter NAME] ('eth0')",
		"t.conf:4: interval: " INTERVAL_UNIT " ('5')",
		"t.conf:5: interval: given twice, first on line 4 ('2s')",
		"t.conf:6: xdp_mode: expected auto, native or generic "
		"('fast')",
		"t.conf:7: size_buckets: edges must be strictly increasing "
		"(32 after 64) ('64 32')",
		"t.conf:8: foo: unknown key in [ifstat] ('bar')",
		"t.conf:9: syntax: expected 'key = value' or '[section]' "
		"('src 2001:db8::1')",
		"t.conf:11: protocol: ports need protocol tcp or udp ('icmp')",
		"t.conf:13: dst: IPv4 and IPv6 addresses in one filter "
		"('2001:db8::1')",
		"t.conf:15: filter: name already used on line 10 ('ssh')",
		"t.conf:16: filter: name must be 1-31 " NAME_RULE " ('a/b')",
		"t.conf:17: vlan: VLAN ID must be 1-4094 ('0')",
		"t.conf:18: section: unknown section, expected [ifstat] or "
		"[filter NAME] ('bogus')",
		"t.conf:20: syntax: expected '[section]' ('[filter')",
		"t.conf:22: host: IPv4 and IPv6 addresses in one filter "
		"('2001:db8::/32')",
		NULL,
	};

	(void)state;
	expect_errors(text, want);
}

/* More errors than kept: the count is the total, the first 32 kept. */
static void test_many_errors(void **state)
{
	static char text[64 * 24];
	char want[64];
	size_t pos = 0;
	unsigned int i;
	int ret;
	static struct ifstat_config c;

	(void)state;
	pos += (size_t)snprintf(text, sizeof(text), HDR);
	for (i = 0; i < 40; i++)
		pos += (size_t)snprintf(text + pos, sizeof(text) - pos,
					"bad%u = %u\n", i, i);
	ret = ifstat_config_parse("t.conf", text, &c, &errs);
	assert_int_equal(ret, -EINVAL);
	assert_int_equal(errs.count, 40);
	for (i = 0; i < IFSTAT_DIAG_MAX; i++) {
		snprintf(want, sizeof(want),
			 "t.conf:%u: bad%u: unknown key in [ifstat] ('%u')",
			 i + 2, i, i);
		assert_string_equal(msg(i), want);
	}
}

/* A file may leave the interface to -i: the daemon checks it after
 * applying -i (e2e_daemon has its message). */
static void test_no_interface(void **state)
{
	static struct ifstat_config c;

	(void)state;
	parse_ok(HDR "interval = 2s\n", &c);
	assert_string_equal(IFACE0(c), "");
	parse_ok(HDR "interface = eth0\n", &c);
	assert_string_equal(IFACE0(c), "eth0");
}

/* ---------------------------------------------------------------- */
/* Files */

/* CMake names the example: __FILE__ is not a path to build on, as
 * distributions compile with -ffile-prefix-map (Debian's "./tests/..."). */
static void example_path(char *buf, size_t len)
{
	snprintf(buf, len, "%s", IFSTAT_EXAMPLE_CONF);
}

static void test_example(void **state)
{
	static struct ifstat_config c, d;
	struct ifstat_filter want;
	struct ifstat_diag err;
	char path[1100];
	int ret;

	(void)state;
	example_path(path, sizeof(path));
	ret = ifstat_config_load(path, &c, &errs);
	if (ret)
		dump_errors(path);
	assert_int_equal(ret, 0);
	/* Every key at its default, but interface; one filter. */
	ifstat_config_defaults(&d);
	snprintf(d.interfaces[0].name, sizeof(d.interfaces[0].name), "eth0");
	d.ninterfaces = 1;
	assert_int_equal(ifstat_filter_parse("tcp src 192.0.2.10 src port 22",
					     &want, &err),
			 0);
	snprintf(d.filters[0].name, sizeof(d.filters[0].name), "ssh");
	d.filters[0].filter = want;
	d.nfilters = 1;
	assert_true(ifstat_config_same(&c, &d));
}

static void write_file(const char *path, const char *text, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, len), (ssize_t)len);
	close(fd);
}

static void test_load(void **state)
{
	static struct ifstat_config c, before;
	char dir[] = "/tmp/ifstat-test-config.XXXXXX", path[128], want[256];
	char fifo[160];
	int ret;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/ifstat.conf", dir);

	/* Missing: one error, the errno, nothing changed. */
	memset(&c, 0x5a, sizeof(c));
	before = c;
	ret = ifstat_config_load(path, &c, &errs);
	assert_int_equal(ret, -ENOENT);
	assert_int_equal(errs.count, 1);
	snprintf(want, sizeof(want),
		 "%s: cannot read: No such file or directory", path);
	assert_string_equal(msg(0), want);
	assert_memory_equal(&c, &before, sizeof(c));

	/* A directory. */
	ret = ifstat_config_load(dir, &c, &errs);
	assert_int_equal(ret, -EISDIR);
	snprintf(want, sizeof(want), "%s: cannot read: Is a directory", dir);
	assert_string_equal(msg(0), want);

	/* A FIFO: refused at once, never opened for a writer to come
	 * (it would hang the daemon's loop and --check-config). */
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	ret = ifstat_config_load(fifo, &c, &errs);
	assert_int_equal(ret, -EINVAL);
	snprintf(want, sizeof(want), "%s: cannot read: not a regular file",
		 fifo);
	assert_string_equal(msg(0), want);
	assert_memory_equal(&c, &before, sizeof(c));
	unlink(fifo);

	/* A binary file. */
	write_file(path, HDR "\0x\n", sizeof(HDR) + 2);
	ret = ifstat_config_load(path, &c, &errs);
	assert_int_equal(ret, -EILSEQ);
	snprintf(want, sizeof(want),
		 "%s: cannot read: not a text file (NUL byte)", path);
	assert_string_equal(msg(0), want);
	assert_memory_equal(&c, &before, sizeof(c));

	/* A good file; then a bad one names the path. */
	write_file(path, HDR "interface = eth3\n",
		   strlen(HDR "interface = eth3\n"));
	assert_int_equal(ifstat_config_load(path, &c, &errs), 0);
	assert_string_equal(IFACE0(c), "eth3");
	before = c;
	write_file(path, HDR "\nmax_clients = 0\n",
		   strlen(HDR "\nmax_clients = 0\n"));
	assert_int_equal(ifstat_config_load(path, &c, &errs), -EINVAL);
	assert_int_equal(errs.count, 1);
	snprintf(want, sizeof(want),
		 "%s:3: max_clients: must be a number 1-1024 ('0')", path);
	assert_string_equal(msg(0), want);
	assert_memory_equal(&c, &before, sizeof(c));

	unlink(path);
	rmdir(dir);
}

/* ---------------------------------------------------------------- */
/* -F and the implicit filter */

static void test_filter_args(void **state)
{
	static const struct {
		const char *arg;
		const char *name;
		const char *oneline;
	} ok[] = {
		{ "ssh=tcp src 192.0.2.10 src port 22", "ssh",
		  "tcp src 192.0.2.10 src port 22" },
		{ "dns=udp port 53", "dns", "udp port 53" },
		{ "all=any", "all", "any" },
		{ "v6.doc=host 2001:db8::/32", "v6.doc", "host 2001:db8::/32" },
		{ "x=vlan 100 dst port 8000-8080", "x",
		  "dst port 8000-8080 vlan 100" },
		{ "eq=proto 47", "eq", "proto 47" },
	};
	static struct ifstat_config c;
	struct ifstat_filter want;
	struct ifstat_diag fe;
	size_t i;

	(void)state;
	parse_ok("[filter file]\nport = 1\n", &c);
	for (i = 0; i < ARRAY_SIZE(ok); i++) {
		ifstat_diags_init(&errs);
		assert_int_equal(
			ifstat_config_add_filter_arg(&c, ok[i].arg, &errs), 0);
		assert_int_equal(errs.count, 0);
		assert_int_equal(c.nfilters, i + 2);
		assert_string_equal(c.filters[i + 1].name, ok[i].name);
		assert_int_equal(c.filter_line[i + 1], 0);
		assert_int_equal(ifstat_filter_parse(ok[i].oneline, &want, &fe),
				 0);
		assert_true(
			ifstat_filter_same(&c.filters[i + 1].filter, &want));
	}
	assert_string_equal(c.filters[0].name, "file");
	assert_int_equal(c.filter_line[0], 1);
}

static void test_filter_arg_errors(void **state)
{
	static const struct {
		const char *arg;
		int ret;
		const char *msg;
	} bad[] = {
		{ "ssh", -EINVAL, "-F: expected NAME=FILTER ('ssh')" },
		{ "=tcp", -EINVAL, "-F: expected NAME=FILTER ('=tcp')" },
		{ "a b=tcp", -EINVAL,
		  "-F a b: filter: name must be 1-31 " NAME_RULE " ('a b')" },
		{ "abcdefghijklmnopqrstuvwxyz012345=tcp", -EINVAL,
		  "-F abcdefghijklmnopqrstuvwxyz012345: filter: name must be "
		  "1-31 " NAME_RULE " ('abcdefghijklmnopqrstuvwxyz012345')" },
		{ "file=udp", -EINVAL,
		  "-F file: filter: name already used ('file')" },
		{ "x=tcp port 99999", -EINVAL,
		  "-F x: port: port out of range 0-65535 ('99999')" },
		{ "x=tcp port a-b", -EINVAL,
		  "-F x: port: " PORT_MSG " ('a-b')" },
		{ "x=", -EINVAL,
		  "-F x: filter: empty (write 'any' to match everything) "
		  "('')" },
		{ "x=foo", -EINVAL, "-F x: filter: unknown word ('foo')" },
		{ "x=vlan 0", -EINVAL,
		  "-F x: vlan: VLAN ID must be 1-4094 ('0')" },
		{ "x=src 192.0.2.1/24", -EINVAL,
		  "-F x: src: address has bits set beyond the /24 prefix "
		  "('192.0.2.1/24')" },
		{ "x=icmp port 1", -EINVAL,
		  "-F x: protocol: ports need protocol tcp or udp ('icmp')" },
	};
	static struct ifstat_config c, before;
	char arg[32];
	unsigned int i;

	(void)state;
	parse_ok("[filter file]\n", &c);
	/* Garbage in the free slots must stay as it is too. */
	memset(&c.filters[1], 0xa5, sizeof(c.filters[1]));
	before = c;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		ifstat_diags_init(&errs);
		assert_int_equal(ifstat_config_add_filter_arg(&c, bad[i].arg,
							      &errs),
				 bad[i].ret);
		assert_int_equal(errs.count, 1);
		assert_string_equal(msg(0), bad[i].msg);
		assert_memory_equal(&c, &before, sizeof(c));
	}

	/* The 65th filter. */
	for (i = 1; i < IFSTAT_MAX_FILTERS; i++) {
		snprintf(arg, sizeof(arg), "f%u=port %u", i, i);
		assert_int_equal(ifstat_config_add_filter_arg(&c, arg, &errs),
				 0);
	}
	assert_int_equal(c.nfilters, IFSTAT_MAX_FILTERS);
	assert_int_equal(ifstat_config_add_filter_arg(&c, "f64=any", &errs),
			 -E2BIG);
	assert_string_equal(msg(errs.count - 1), "-F f64: filter: more than 64 "
						 "filters ('any')");
	assert_int_equal(c.nfilters, IFSTAT_MAX_FILTERS);
}

static void test_finish(void **state)
{
	static struct ifstat_config c;
	struct ifstat_filter any;
	struct ifstat_diag err;

	(void)state;
	parse_ok(HDR "interface = eth0\n", &c);
	ifstat_config_finish(&c);
	assert_int_equal(c.nfilters, 1);
	assert_string_equal(c.filters[0].name, "all");
	assert_int_equal(ifstat_filter_parse("any", &any, &err), 0);
	assert_true(ifstat_filter_same(&c.filters[0].filter, &any));
	assert_int_equal(c.filters[0].filter.fields, 0);
	assert_int_equal(c.filters[0].filter.need, 0);

	/* Filters from the file or -F: nothing added. */
	parse_ok("[filter ssh]\nport = 22\n", &c);
	ifstat_config_finish(&c);
	assert_int_equal(c.nfilters, 1);
	assert_string_equal(c.filters[0].name, "ssh");
	parse_ok(HDR, &c);
	assert_int_equal(
		ifstat_config_add_filter_arg(&c, "dns=udp port 53", &errs), 0);
	ifstat_config_finish(&c);
	assert_int_equal(c.nfilters, 1);
	assert_string_equal(c.filters[0].name, "dns");
}

/* ---------------------------------------------------------------- */
/* print -> parse */

static char *print_str(const struct ifstat_config *c)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	ifstat_config_print(f, c);
	fclose(f);
	return buf;
}

static void round_trip(const struct ifstat_config *c)
{
	static struct ifstat_config back;
	char *once = print_str(c), *twice;

	parse_ok(once, &back);
	if (!ifstat_config_same(c, &back))
		fail_msg("printed config parses differently:\n%s", once);
	twice = print_str(&back);
	assert_string_equal(once, twice);
	free(once);
	free(twice);
}

static const char full_config[] = HDR
	"interface = br-lan\n"
	"interval = 250ms\n"
	"xdp_mode = generic\n"
	"size_buckets = 100 200 1500 9000\n"
	"socket = /tmp/ifstat test.sock\n"
	"socket_group = adm\n"
	"max_clients = 8\n"
	"prometheus = [2001:db8::1]:9100\n"
	"http = 192.0.2.1:8080\n"
	"ubus = yes\n"
	"ubus_object = ifstat.wan\n"
	"ubus_socket = /var/run/ubus/ubus.sock\n"
	"keep_counters = on\n"
	"[filter everything]\n"
	"[filter tcp]\nprotocol = tcp\n"
	"[filter gre]\nprotocol = 47\n"
	"[filter ssh]\nprotocol = tcp\nsrc = 192.0.2.10\nsrc_port = 22\n"
	"[filter net]\nsrc = 198.51.100.0/24\ndst = 203.0.113.0/25\n"
	"host = 0.0.0.0/0\n"
	"[filter v6]\nprotocol = udp\nhost = 2001:db8::/32\n"
	"dst_port = 8000-8080\nport = 0-1023\n"
	"[filter vlan]\nvlan = 4094\nprotocol = icmpv6\n";

/* NAME:DIRECTION gives an interface its own direction; the rest take
 * [ifstat]'s, and the list prints back as written. */
static void test_iface_directions(void **state)
{
	struct ifstat_config c;
	char *text;

	(void)state;
	parse_ok(HDR "interface = wan:both lan lo:egress\ndirection = "
		     "ingress\n",
		 &c);
	assert_int_equal(c.ninterfaces, 3);
	assert_string_equal(c.interfaces[0].name, "wan");
	assert_string_equal(c.interfaces[2].name, "lo");
	assert_int_equal(ifstat_config_dirs(&c, 0), IFSTAT_DIRS_BOTH);
	assert_int_equal(ifstat_config_dirs(&c, 1), IFSTAT_DIRS_INGRESS);
	assert_int_equal(ifstat_config_dirs(&c, 2), IFSTAT_DIRS_EGRESS);
	parse_ok(HDR "interface = wan:ingress lan\ndirection = egress\n", &c);
	assert_int_equal(ifstat_config_dirs(&c, 0), IFSTAT_DIRS_INGRESS);
	assert_int_equal(ifstat_config_dirs(&c, 1), IFSTAT_DIRS_EGRESS);
	text = print_str(&c);
	assert_non_null(strstr(text, "interface = wan:ingress lan\n"));
	free(text);
	round_trip(&c);
}

static void test_round_trip(void **state)
{
	static struct ifstat_config c;
	char path[1100], *text;

	(void)state;
	ifstat_config_defaults(&c);
	round_trip(&c);
	ifstat_config_finish(&c);
	round_trip(&c);

	example_path(path, sizeof(path));
	assert_int_equal(ifstat_config_load(path, &c, &errs), 0);
	round_trip(&c);

	parse_ok(full_config, &c);
	assert_int_equal(c.nfilters, 7);
	round_trip(&c);
	assert_int_equal(ifstat_config_add_filter_arg(&c,
						      "cli=vlan 3 tcp dst "
						      "2001:db8::5 port 9",
						      &errs),
			 0);
	round_trip(&c);

	for (unsigned int i = 0; i < ARRAY_SIZE(filter_cases); i++) {
		char buf[1024];

		snprintf(buf, sizeof(buf), "[filter f]\n%s",
			 filter_cases[i].body);
		parse_ok(buf, &c);
		round_trip(&c);
	}

	/* The normalized form, key by key. */
	parse_ok(HDR "interface = eth0\ninterval = 3000ms\nubus = TRUE\n"
		     "prometheus = [::0:1]:09877\n"
		     "[filter ssh]\nsrc_port = 22\nsrc = 192.0.2.10\n"
		     "protocol = tcp\n"
		     "[filter empty]\n",
		 &c);
	text = print_str(&c);
	assert_string_equal(text, "[ifstat]\n"
				  "interface = eth0\n"
				  "direction = ingress\n"
				  "hook = auto\n"
				  "interval = 3s\n"
				  "xdp_mode = auto\n"
				  "size_buckets = 64 127 255 511 1023 1512\n"
				  "socket = /run/ifstat/ifstatd.sock\n"
				  "socket_group =\n"
				  "max_clients = 64\n"
				  "prometheus = [::1]:9877\n"
				  "http =\n"
				  "ubus = yes\n"
				  "ubus_object = ifstat\n"
				  "ubus_socket =\n"
				  "keep_counters = no\n"
				  "\n"
				  "[filter ssh]\n"
				  "# tcp src 192.0.2.10 src port 22\n"
				  "protocol = tcp\n"
				  "src = 192.0.2.10\n"
				  "src_port = 22\n"
				  "\n"
				  "[filter empty]\n"
				  "# any\n");
	free(text);
}

/* ifstat_config_same() itself: each difference counts, lines do not. */
static void change_iface(struct ifstat_config *c)
{
	c->interfaces[0].name[0] = 'x';
	c->ninterfaces = 1;
}
static void change_interval(struct ifstat_config *c)
{
	c->interval_ms++;
}
static void change_mode(struct ifstat_config *c)
{
	c->xdp_mode = IFSTAT_MODE_NATIVE;
}
static void change_edge(struct ifstat_config *c)
{
	c->edges[c->nedges - 1]++;
}
static void change_nedges(struct ifstat_config *c)
{
	c->nedges--;
}
static void change_socket(struct ifstat_config *c)
{
	c->socket[1] = 'x';
}
static void change_group(struct ifstat_config *c)
{
	c->socket_group[0] = 'x';
}
static void change_maxcl(struct ifstat_config *c)
{
	c->max_clients++;
}
static void change_prom(struct ifstat_config *c)
{
	c->prometheus[0] = '\0';
}
static void change_http(struct ifstat_config *c)
{
	c->http[0] = '\0';
}
static void change_ubus(struct ifstat_config *c)
{
	c->ubus = !c->ubus;
}
static void change_uobj(struct ifstat_config *c)
{
	c->ubus_object[0] = 'x';
}
static void change_usock(struct ifstat_config *c)
{
	c->ubus_socket[1] = 'x';
}
static void change_keep(struct ifstat_config *c)
{
	c->keep_counters = !c->keep_counters;
}
static void change_nfilters(struct ifstat_config *c)
{
	c->nfilters--;
}
static void change_fname(struct ifstat_config *c)
{
	c->filters[2].name[0] = 'x';
}
static void change_fdef(struct ifstat_config *c)
{
	c->filters[3].filter.src_port.lo++;
}
static void change_order(struct ifstat_config *c)
{
	struct ifstat_filter_def t = c->filters[0];

	c->filters[0] = c->filters[1];
	c->filters[1] = t;
}

static void test_same(void **state)
{
	static void (*const changes[])(struct ifstat_config *) = {
		change_iface,  change_interval, change_mode,	 change_edge,
		change_nedges, change_socket,	change_group,	 change_maxcl,
		change_prom,   change_http,	change_ubus,	 change_uobj,
		change_usock,  change_keep,	change_nfilters, change_fname,
		change_fdef,   change_order,
	};
	static struct ifstat_config a, b;
	size_t i;

	(void)state;
	parse_ok(full_config, &a);
	b = a;
	assert_true(ifstat_config_same(&a, &b));
	b.filter_line[0] = 99;
	b.filters[1].filter.slot = 7;
	b.filters[1].filter.gen = 9;
	assert_true(ifstat_config_same(&a, &b));
	for (i = 0; i < ARRAY_SIZE(changes); i++) {
		b = a;
		changes[i](&b);
		if (ifstat_config_same(&a, &b))
			fail_msg("change %zu not seen", i);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_valid_keys),
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_line_length),
		cmocka_unit_test(test_filters),
		cmocka_unit_test(test_filter_order),
		cmocka_unit_test(test_filter_limit),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_all_errors),
		cmocka_unit_test(test_many_errors),
		cmocka_unit_test(test_no_interface),
		cmocka_unit_test(test_example),
		cmocka_unit_test(test_load),
		cmocka_unit_test(test_filter_args),
		cmocka_unit_test(test_filter_arg_errors),
		cmocka_unit_test(test_finish),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_iface_directions),
		cmocka_unit_test(test_same),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
