// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include "filter.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IPPROTO_ICMPV6_ 58

static const struct {
	const char *name;
	unsigned char num;
} proto_names[] = {
	{ "tcp", 6 },
	{ "udp", 17 },
	{ "icmp", 1 },
	{ "icmpv6", IPPROTO_ICMPV6_ },
};

static int fail(struct ifstat_filter_err *err, const char *field,
		const char *value, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail(struct ifstat_filter_err *err, const char *field,
		const char *value, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return -EINVAL;
	snprintf(err->field, sizeof(err->field), "%s", field);
	snprintf(err->value, sizeof(err->value), "%s", value ? value : "");
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

void ifstat_filter_init(struct ifstat_filter *f)
{
	memset(f, 0, sizeof(*f));
}

/* Strict unsigned decimal: no sign, no spaces, no trailing garbage. */
static int parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	unsigned long v = 0;

	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		v = v * 10 + (unsigned long)(*s - '0');
		if (v > max)
			return -ERANGE;
	}
	*out = v;
	return 0;
}

static int set_proto(struct ifstat_filter *f, const char *v,
		     struct ifstat_filter_err *err)
{
	unsigned long n;
	size_t i;
	int ret;

	if (!strcmp(v, "any")) {
		f->fields &= ~IFSTAT_F_PROTO;
		f->proto = 0;
		return 0;
	}
	for (i = 0; i < sizeof(proto_names) / sizeof(proto_names[0]); i++) {
		if (!strcmp(v, proto_names[i].name)) {
			f->proto = proto_names[i].num;
			f->fields |= IFSTAT_F_PROTO;
			return 0;
		}
	}
	ret = parse_uint(v, 255, &n);
	if (ret == -ERANGE)
		return fail(err, "protocol", v,
			    "protocol number out of range 0-255");
	if (ret)
		return fail(err, "protocol", v,
			    "unknown protocol (any, tcp, udp, icmp, icmpv6 or "
			    "0-255)");
	f->proto = (unsigned char)n;
	f->fields |= IFSTAT_F_PROTO;
	return 0;
}

static void prefix_mask(struct ifstat_prefix *p, unsigned int len)
{
	int w;

	for (w = 0; w < 4; w++) {
		unsigned int bits = len > 32 ? 32 : len;

		p->mask[w] = bits ? htonl(0xffffffffu << (32 - bits)) : 0;
		len -= bits;
	}
}

static int set_prefix(struct ifstat_filter *f, const char *key, const char *v,
		      struct ifstat_prefix *p, unsigned char *plen,
		      unsigned int bit, struct ifstat_filter_err *err)
{
	char addr[INET6_ADDRSTRLEN + 8];
	const char *slash = strchr(v, '/');
	unsigned long len;
	unsigned char family, maxlen;
	int w;

	if (strlen(v) >= sizeof(addr))
		return fail(err, key, v, "not an IPv4 or IPv6 address");
	snprintf(addr, sizeof(addr), "%.*s",
		 (int)(slash ? (size_t)(slash - v) : strlen(v)), v);
	memset(p, 0, sizeof(*p));
	if (inet_pton(AF_INET, addr, &p->addr[0]) == 1) {
		family = 4;
		maxlen = 32;
	} else if (inet_pton(AF_INET6, addr, p->addr) == 1) {
		family = 6;
		maxlen = 128;
	} else {
		return fail(err, key, v, "not an IPv4 or IPv6 address");
	}
	len = maxlen;
	if (slash && parse_uint(slash + 1, maxlen, &len))
		return fail(err, key, v, "prefix length must be 0-%u",
			    (unsigned int)maxlen);
	prefix_mask(p, (unsigned int)len);
	for (w = 0; w < 4; w++) {
		if (p->addr[w] & ~p->mask[w])
			return fail(err, key, v,
				    "address has bits set beyond the /%lu "
				    "prefix",
				    len);
	}
	*plen = (unsigned char)len;
	f->fields |= bit;
	/* The family is settled by ifstat_filter_finish(), which sees the
	 * final value of every field. */
	if (family == 6)
		f->v6_addrs |= (unsigned char)bit;
	else
		f->v6_addrs &= (unsigned char)~bit;
	return 0;
}

static int set_ports(const char *key, const char *v, struct ifstat_ports *r,
		     struct ifstat_filter *f, unsigned int bit,
		     struct ifstat_filter_err *err)
{
	char lo_s[8], *dash = strchr(v, '-');
	unsigned long lo, hi;
	int ret;

	if (dash && (size_t)(dash - v) >= sizeof(lo_s))
		return fail(err, key, v, "port out of range 0-65535");
	if (dash)
		snprintf(lo_s, sizeof(lo_s), "%.*s", (int)(dash - v), v);
	ret = parse_uint(dash ? lo_s : v, 65535, &lo);
	if (!ret)
		ret = parse_uint(dash ? dash + 1 : v, 65535, &hi);
	if (ret == -ERANGE)
		return fail(err, key, v, "port out of range 0-65535");
	if (ret)
		return fail(err, key, v,
			    "port must be 0-65535 or a range lo-hi");
	if (hi < lo)
		return fail(err, key, v, "port range is reversed");
	r->lo = (unsigned short)lo;
	r->span = (unsigned short)(hi - lo);
	f->fields |= bit;
	return 0;
}

static int set_vlan(struct ifstat_filter *f, const char *v,
		    struct ifstat_filter_err *err)
{
	unsigned long n;

	if (parse_uint(v, 4094, &n) || n < 1)
		return fail(err, "vlan", v, "VLAN ID must be 1-4094");
	f->vlan = (unsigned short)n;
	f->fields |= IFSTAT_F_VLAN;
	return 0;
}

int ifstat_filter_set(struct ifstat_filter *f, const char *key,
		      const char *value, struct ifstat_filter_err *err)
{
	if (!strcmp(key, "protocol"))
		return set_proto(f, value, err);
	if (!strcmp(key, "src"))
		return set_prefix(f, key, value, &f->src, &f->src_len,
				  IFSTAT_F_SRC, err);
	if (!strcmp(key, "dst"))
		return set_prefix(f, key, value, &f->dst, &f->dst_len,
				  IFSTAT_F_DST, err);
	if (!strcmp(key, "host"))
		return set_prefix(f, key, value, &f->host, &f->host_len,
				  IFSTAT_F_HOST, err);
	if (!strcmp(key, "src_port"))
		return set_ports(key, value, &f->src_port, f, IFSTAT_F_SRC_PORT,
				 err);
	if (!strcmp(key, "dst_port"))
		return set_ports(key, value, &f->dst_port, f, IFSTAT_F_DST_PORT,
				 err);
	if (!strcmp(key, "port"))
		return set_ports(key, value, &f->port, f, IFSTAT_F_PORT, err);
	if (!strcmp(key, "vlan"))
		return set_vlan(f, value, err);
	return fail(err, key, key, "unknown key");
}

static int proto_has_ports(unsigned char proto)
{
	return proto == 6 || proto == 17;
}

static const char *proto_name(unsigned char num)
{
	size_t i;

	for (i = 0; i < sizeof(proto_names) / sizeof(proto_names[0]); i++)
		if (proto_names[i].num == num)
			return proto_names[i].name;
	return NULL;
}

/* One address family per filter: the first address named sets it. */
static int settle_family(struct ifstat_filter *f, struct ifstat_filter_err *err)
{
	static const struct {
		unsigned int bit;
		const char *key;
		size_t prefix, len;
	} addrs[] = {
		{ IFSTAT_F_SRC, "src", offsetof(struct ifstat_filter, src),
		  offsetof(struct ifstat_filter, src_len) },
		{ IFSTAT_F_DST, "dst", offsetof(struct ifstat_filter, dst),
		  offsetof(struct ifstat_filter, dst_len) },
		{ IFSTAT_F_HOST, "host", offsetof(struct ifstat_filter, host),
		  offsetof(struct ifstat_filter, host_len) },
	};
	char a[INET6_ADDRSTRLEN], text[INET6_ADDRSTRLEN + 8];
	unsigned char family = 0, fam;
	size_t i;

	for (i = 0; i < sizeof(addrs) / sizeof(addrs[0]); i++) {
		const struct ifstat_prefix *p;
		unsigned char plen;

		if (!(f->fields & addrs[i].bit))
			continue;
		fam = (f->v6_addrs & addrs[i].bit) ? 6 : 4;
		if (!family) {
			family = fam;
			continue;
		}
		if (fam == family)
			continue;
		p = (const void *)((const char *)f + addrs[i].prefix);
		plen = *((const unsigned char *)f + addrs[i].len);
		inet_ntop(fam == 6 ? AF_INET6 : AF_INET, p->addr, a, sizeof(a));
		if (plen == (fam == 6 ? 128 : 32))
			snprintf(text, sizeof(text), "%s", a);
		else
			snprintf(text, sizeof(text), "%s/%u", a, plen);
		return fail(err, addrs[i].key, text,
			    "IPv4 and IPv6 addresses in one filter");
	}
	f->family = family;
	return 0;
}

int ifstat_filter_finish(struct ifstat_filter *f, struct ifstat_filter_err *err)
{
	char text[8];
	int ret = settle_family(f, err);

	if (ret)
		return ret;
	if ((f->fields & IFSTAT_F_PORTS) && (f->fields & IFSTAT_F_PROTO) &&
	    !proto_has_ports(f->proto)) {
		const char *name = proto_name(f->proto);

		snprintf(text, sizeof(text), "%u", f->proto);
		return fail(err, "protocol", name ? name : text,
			    "ports need protocol tcp or udp");
	}
	f->need = 0;
	if (f->fields & IFSTAT_F_VLAN)
		f->need |= IFSTAT_P_VLAN;
	if (f->fields & IFSTAT_F_ADDRS)
		f->need |= f->family == 6 ? IFSTAT_P_IPV6 : IFSTAT_P_IPV4;
	if (f->fields & IFSTAT_F_PROTO)
		f->need |= IFSTAT_P_PROTO;
	if (f->fields & IFSTAT_F_PORTS)
		f->need |= IFSTAT_P_PORTS;
	return 0;
}

/* One-line form: words map to the INI keys. */
static const struct {
	const char *word; /* first word */
	const char *key;
	int takes_port; /* "src port N" */
} words[] = {
	{ "src", "src", 0 },   { "dst", "dst", 0 },
	{ "host", "host", 0 }, { "port", "port", 0 },
	{ "vlan", "vlan", 0 }, { "proto", "protocol", 0 },
};

int ifstat_filter_parse(const char *text, struct ifstat_filter *f,
			struct ifstat_filter_err *err)
{
	char buf[IFSTAT_FILTER_TEXT_MAX * 2];
	char *save = NULL, *w;
	unsigned int seen = 0;
	int any = 0, nwords = 0, ret;

	ifstat_filter_init(f);
	if (strlen(text) >= sizeof(buf))
		return fail(err, "filter", text, "too long");
	snprintf(buf, sizeof(buf), "%s", text);
	for (w = strtok_r(buf, " \t", &save); w;
	     w = strtok_r(NULL, " \t", &save)) {
		const char *key = NULL, *arg;
		unsigned int bit;
		size_t i;

		nwords++;
		if (!strcmp(w, "any")) {
			any = 1;
			continue;
		}
		if (!set_proto(f, w, NULL) && strcmp(w, "proto") &&
		    (w[0] < '0' || w[0] > '9')) {
			key = "protocol";
			arg = w;
		} else {
			for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
				if (!strcmp(w, words[i].word))
					key = words[i].key;
			if (!key)
				return fail(err, "filter", w, "unknown word");
			arg = strtok_r(NULL, " \t", &save);
			if (arg && !strcmp(arg, "port") &&
			    (!strcmp(key, "src") || !strcmp(key, "dst"))) {
				key = !strcmp(key, "src") ? "src_port"
							  : "dst_port";
				arg = strtok_r(NULL, " \t", &save);
			}
			if (!arg)
				return fail(err, key, w, "missing value");
		}
		if (!strcmp(key, "protocol"))
			bit = IFSTAT_F_PROTO;
		else if (!strcmp(key, "src"))
			bit = IFSTAT_F_SRC;
		else if (!strcmp(key, "dst"))
			bit = IFSTAT_F_DST;
		else if (!strcmp(key, "host"))
			bit = IFSTAT_F_HOST;
		else if (!strcmp(key, "src_port"))
			bit = IFSTAT_F_SRC_PORT;
		else if (!strcmp(key, "dst_port"))
			bit = IFSTAT_F_DST_PORT;
		else if (!strcmp(key, "port"))
			bit = IFSTAT_F_PORT;
		else
			bit = IFSTAT_F_VLAN;
		if (seen & bit)
			return fail(err, key, arg, "given twice");
		seen |= bit;
		ret = ifstat_filter_set(f, key, arg, err);
		if (ret)
			return ret;
	}
	if (any && nwords > 1)
		return fail(err, "filter", text, "'any' cannot be combined");
	if (!nwords)
		return fail(err, "filter", text,
			    "empty (write 'any' to match everything)");
	return ifstat_filter_finish(f, err);
}

static int put(char *buf, size_t len, size_t *pos, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int put(char *buf, size_t len, size_t *pos, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf + *pos, len - *pos, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= len - *pos)
		return -ENOSPC;
	*pos += (size_t)n;
	return 0;
}

static int put_prefix(char *buf, size_t len, size_t *pos, const char *word,
		      const struct ifstat_prefix *p, unsigned char plen,
		      unsigned char family)
{
	char a[INET6_ADDRSTRLEN];

	inet_ntop(family == 6 ? AF_INET6 : AF_INET, p->addr, a, sizeof(a));
	if (plen == (family == 6 ? 128 : 32))
		return put(buf, len, pos, "%s%s %s", *pos ? " " : "", word, a);
	return put(buf, len, pos, "%s%s %s/%u", *pos ? " " : "", word, a, plen);
}

static int put_ports(char *buf, size_t len, size_t *pos, const char *word,
		     const struct ifstat_ports *r)
{
	if (!r->span)
		return put(buf, len, pos, "%s%s %u", *pos ? " " : "", word,
			   r->lo);
	return put(buf, len, pos, "%s%s %u-%u", *pos ? " " : "", word, r->lo,
		   r->lo + r->span);
}

int ifstat_filter_format(const struct ifstat_filter *f, char *buf, size_t len)
{
	size_t pos = 0, i;
	int ret = 0;

	if (!len)
		return -ENOSPC;
	buf[0] = '\0';
	if (f->fields & IFSTAT_F_PROTO) {
		const char *name = NULL;

		for (i = 0; i < sizeof(proto_names) / sizeof(proto_names[0]);
		     i++)
			if (proto_names[i].num == f->proto)
				name = proto_names[i].name;
		ret = name ? put(buf, len, &pos, "%s", name)
			   : put(buf, len, &pos, "proto %u", f->proto);
	}
	if (!ret && (f->fields & IFSTAT_F_VLAN))
		ret = put(buf, len, &pos, "%svlan %u", pos ? " " : "", f->vlan);
	if (!ret && (f->fields & IFSTAT_F_SRC))
		ret = put_prefix(buf, len, &pos, "src", &f->src, f->src_len,
				 f->family);
	if (!ret && (f->fields & IFSTAT_F_DST))
		ret = put_prefix(buf, len, &pos, "dst", &f->dst, f->dst_len,
				 f->family);
	if (!ret && (f->fields & IFSTAT_F_HOST))
		ret = put_prefix(buf, len, &pos, "host", &f->host, f->host_len,
				 f->family);
	if (!ret && (f->fields & IFSTAT_F_SRC_PORT))
		ret = put_ports(buf, len, &pos, "src port", &f->src_port);
	if (!ret && (f->fields & IFSTAT_F_DST_PORT))
		ret = put_ports(buf, len, &pos, "dst port", &f->dst_port);
	if (!ret && (f->fields & IFSTAT_F_PORT))
		ret = put_ports(buf, len, &pos, "port", &f->port);
	if (!ret && !pos)
		ret = put(buf, len, &pos, "any");
	return ret ? ret : (int)pos;
}

bool ifstat_filter_same(const struct ifstat_filter *a,
			const struct ifstat_filter *b)
{
	struct ifstat_filter x = *a, y = *b;

	x.slot = y.slot = 0;
	x.gen = y.gen = 0;
	return !memcmp(&x, &y, sizeof(x));
}

void ifstat_filter_err_str(const struct ifstat_filter_err *err, char *buf,
			   size_t len)
{
	snprintf(buf, len, "%s: %s ('%s')", err->field, err->msg, err->value);
}
