// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include "filter.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

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

#define MEMBER(m) offsetof(struct ifstat_filter, m)

/*
 * Every field, in the order of the canonical one-line form: the INI key,
 * the one-line word, the bit, how its value is read and written, where
 * it lives and its limits. Absent is every field's default (it matches
 * anything). Parsing, the one-line form, the cross-field checks and the
 * configuration's keys and printout all walk this table.
 */
const struct ifstat_filter_field ifstat_filter_fields[] = {
	{ "protocol", "proto", IFSTAT_F_PROTO, IFSTAT_FIELD_PROTO,
	  MEMBER(proto), 0, 0, 255 },
	{ "vlan", "vlan", IFSTAT_F_VLAN, IFSTAT_FIELD_VLAN, MEMBER(vlan), 0, 1,
	  4094 },
	{ "src", "src", IFSTAT_F_SRC, IFSTAT_FIELD_PREFIX, MEMBER(src),
	  MEMBER(src_len), 0, 128 },
	{ "dst", "dst", IFSTAT_F_DST, IFSTAT_FIELD_PREFIX, MEMBER(dst),
	  MEMBER(dst_len), 0, 128 },
	{ "host", "host", IFSTAT_F_HOST, IFSTAT_FIELD_PREFIX, MEMBER(host),
	  MEMBER(host_len), 0, 128 },
	{ "src_port", "src port", IFSTAT_F_SRC_PORT, IFSTAT_FIELD_PORTS,
	  MEMBER(src_port), 0, 0, 65535 },
	{ "dst_port", "dst port", IFSTAT_F_DST_PORT, IFSTAT_FIELD_PORTS,
	  MEMBER(dst_port), 0, 0, 65535 },
	{ "port", "port", IFSTAT_F_PORT, IFSTAT_FIELD_PORTS, MEMBER(port), 0, 0,
	  65535 },
};

const unsigned int ifstat_filter_nfields =
	IFSTAT_ARRAY_SIZE(ifstat_filter_fields);

#define FIELD_PTR(f, fd, type) ((type *)((char *)(f) + (fd)->offset))
#define FIELD_CPTR(f, fd, type)                                                \
	((const type *)((const char *)(f) + (fd)->offset))

static int fail(struct ifstat_diag *err, const char *field, const char *value,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int fail(struct ifstat_diag *err, const char *field, const char *value,
		const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return -EINVAL;
	/* Where it was written is the caller's to add. */
	va_start(ap, fmt);
	ifstat_diag_vset(err, NULL, 0, field, value ? value : "", fmt, ap);
	va_end(ap);
	return -EINVAL;
}

void ifstat_filter_init(struct ifstat_filter *f)
{
	memset(f, 0, sizeof(*f));
}

int ifstat_filter_field_index(const char *key)
{
	return ifstat_table_find(ifstat_filter_fields, ifstat_filter_nfields,
				 sizeof(ifstat_filter_fields[0]), key);
}

static const char *proto_name(unsigned char num)
{
	size_t i;

	for (i = 0; i < IFSTAT_ARRAY_SIZE(proto_names); i++)
		if (proto_names[i].num == num)
			return proto_names[i].name;
	return NULL;
}

static int proto_by_name(const char *name)
{
	size_t i;

	for (i = 0; i < IFSTAT_ARRAY_SIZE(proto_names); i++)
		if (!strcmp(name, proto_names[i].name))
			return proto_names[i].num;
	return -1;
}

/* ------------------------------------------------------------------ */
/* Reading a value, one function per kind of field */

static int set_proto(const struct ifstat_filter_field *fd,
		     struct ifstat_filter *f, const char *v,
		     struct ifstat_diag *err)
{
	unsigned long n;
	int ret = proto_by_name(v);

	if (!strcmp(v, "any")) {
		f->fields &= ~fd->bit;
		f->proto = 0;
		return 0;
	}
	if (ret >= 0) {
		n = (unsigned long)ret;
	} else {
		ret = ifstat_parse_uint(v, strlen(v), fd->max, &n);
		if (ret == -ERANGE)
			return fail(err, fd->key, v,
				    "protocol number out of range %lu-%lu",
				    fd->min, fd->max);
		if (ret)
			return fail(err, fd->key, v,
				    "unknown protocol (any, tcp, udp, icmp, "
				    "icmpv6 or %lu-%lu)",
				    fd->min, fd->max);
	}
	f->proto = (unsigned char)n;
	f->fields |= fd->bit;
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

static int set_prefix(const struct ifstat_filter_field *fd,
		      struct ifstat_filter *f, const char *v,
		      struct ifstat_diag *err)
{
	struct ifstat_prefix *p = FIELD_PTR(f, fd, struct ifstat_prefix);
	unsigned char *plen = (unsigned char *)f + fd->len_offset;
	char addr[INET6_ADDRSTRLEN + 8];
	const char *slash = strchr(v, '/');
	unsigned long len;
	unsigned char family, maxlen;
	int w;

	if (strlen(v) >= sizeof(addr))
		return fail(err, fd->key, v, "not an IPv4 or IPv6 address");
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
		return fail(err, fd->key, v, "not an IPv4 or IPv6 address");
	}
	len = maxlen;
	if (slash &&
	    ifstat_parse_uint(slash + 1, strlen(slash + 1), maxlen, &len))
		return fail(err, fd->key, v, "prefix length must be 0-%u",
			    (unsigned int)maxlen);
	prefix_mask(p, (unsigned int)len);
	for (w = 0; w < 4; w++) {
		if (p->addr[w] & ~p->mask[w])
			return fail(err, fd->key, v,
				    "address has bits set beyond the /%lu "
				    "prefix",
				    len);
	}
	*plen = (unsigned char)len;
	f->fields |= fd->bit;
	/* The family is settled by ifstat_filter_finish(), which sees the
	 * final value of every field. */
	if (family == 6)
		f->v6_addrs |= (unsigned char)fd->bit;
	else
		f->v6_addrs &= (unsigned char)~fd->bit;
	return 0;
}

static int set_ports(const struct ifstat_filter_field *fd,
		     struct ifstat_filter *f, const char *v,
		     struct ifstat_diag *err)
{
	struct ifstat_ports *r = FIELD_PTR(f, fd, struct ifstat_ports);
	const char *dash = strchr(v, '-');
	unsigned long lo, hi;
	int ret;

	/* More digits than a port has: out of range, whatever they are. */
	if (dash && dash - v >= 8)
		return fail(err, fd->key, v, "port out of range %lu-%lu",
			    fd->min, fd->max);
	ret = ifstat_parse_uint(v, dash ? (size_t)(dash - v) : strlen(v),
				fd->max, &lo);
	if (!ret)
		ret = ifstat_parse_uint(dash ? dash + 1 : v,
					strlen(dash ? dash + 1 : v), fd->max,
					&hi);
	if (ret == -ERANGE)
		return fail(err, fd->key, v, "port out of range %lu-%lu",
			    fd->min, fd->max);
	if (ret)
		return fail(err, fd->key, v,
			    "port must be %lu-%lu or a range lo-hi", fd->min,
			    fd->max);
	if (hi < lo)
		return fail(err, fd->key, v, "port range is reversed");
	r->lo = (unsigned short)lo;
	r->span = (unsigned short)(hi - lo);
	f->fields |= fd->bit;
	return 0;
}

static int set_vlan(const struct ifstat_filter_field *fd,
		    struct ifstat_filter *f, const char *v,
		    struct ifstat_diag *err)
{
	unsigned long n;

	if (ifstat_parse_uint(v, strlen(v), fd->max, &n) || n < fd->min)
		return fail(err, fd->key, v, "VLAN ID must be %lu-%lu", fd->min,
			    fd->max);
	*FIELD_PTR(f, fd, unsigned short) = (unsigned short)n;
	f->fields |= fd->bit;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Writing a value as the INI file and the one-line form spell it */

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

static int put_proto(const struct ifstat_filter_field *fd,
		     const struct ifstat_filter *f, char *buf, size_t len,
		     size_t *pos)
{
	const char *name = proto_name(f->proto);

	(void)fd;
	return name ? put(buf, len, pos, "%s", name)
		    : put(buf, len, pos, "%u", f->proto);
}

static int put_prefix(const struct ifstat_filter_field *fd,
		      const struct ifstat_filter *f, char *buf, size_t len,
		      size_t *pos)
{
	const struct ifstat_prefix *p = FIELD_CPTR(f, fd, struct ifstat_prefix);
	unsigned char plen = *((const unsigned char *)f + fd->len_offset);
	char a[INET6_ADDRSTRLEN];

	inet_ntop(f->family == 6 ? AF_INET6 : AF_INET, p->addr, a, sizeof(a));
	if (plen == (f->family == 6 ? 128 : 32))
		return put(buf, len, pos, "%s", a);
	return put(buf, len, pos, "%s/%u", a, plen);
}

static int put_ports(const struct ifstat_filter_field *fd,
		     const struct ifstat_filter *f, char *buf, size_t len,
		     size_t *pos)
{
	const struct ifstat_ports *r = FIELD_CPTR(f, fd, struct ifstat_ports);

	if (!r->span)
		return put(buf, len, pos, "%u", r->lo);
	return put(buf, len, pos, "%u-%u", r->lo, r->lo + r->span);
}

static int put_vlan(const struct ifstat_filter_field *fd,
		    const struct ifstat_filter *f, char *buf, size_t len,
		    size_t *pos)
{
	return put(buf, len, pos, "%u", *FIELD_CPTR(f, fd, unsigned short));
}

static const struct {
	int (*set)(const struct ifstat_filter_field *fd,
		   struct ifstat_filter *f, const char *v,
		   struct ifstat_diag *err);
	int (*put)(const struct ifstat_filter_field *fd,
		   const struct ifstat_filter *f, char *buf, size_t len,
		   size_t *pos);
} kinds[] = {
	[IFSTAT_FIELD_PROTO] = { set_proto, put_proto },
	[IFSTAT_FIELD_VLAN] = { set_vlan, put_vlan },
	[IFSTAT_FIELD_PREFIX] = { set_prefix, put_prefix },
	[IFSTAT_FIELD_PORTS] = { set_ports, put_ports },
};

int ifstat_filter_set(struct ifstat_filter *f, const char *key,
		      const char *value, struct ifstat_diag *err)
{
	int i = ifstat_filter_field_index(key);
	const struct ifstat_filter_field *fd;

	if (i < 0)
		return fail(err, key, key, "unknown key");
	fd = &ifstat_filter_fields[i];
	return kinds[fd->kind].set(fd, f, value, err);
}

int ifstat_filter_field_format(const struct ifstat_filter *f, unsigned int i,
			       char *buf, size_t len)
{
	const struct ifstat_filter_field *fd = &ifstat_filter_fields[i];
	size_t pos = 0;
	int ret;

	if (!len)
		return -ENOSPC;
	buf[0] = '\0';
	ret = kinds[fd->kind].put(fd, f, buf, len, &pos);
	return ret ? ret : (int)pos;
}

/* ------------------------------------------------------------------ */
/* The whole filter */

static int proto_has_ports(unsigned char proto)
{
	return proto == 6 || proto == 17;
}

/* One address family per filter: the first address named sets it. */
static int settle_family(struct ifstat_filter *f, struct ifstat_diag *err)
{
	char text[INET6_ADDRSTRLEN + 8];
	unsigned char family = 0, fam;
	unsigned int i;

	for (i = 0; i < ifstat_filter_nfields; i++) {
		const struct ifstat_filter_field *fd = &ifstat_filter_fields[i];
		struct ifstat_filter shown;

		if (fd->kind != IFSTAT_FIELD_PREFIX || !(f->fields & fd->bit))
			continue;
		fam = (f->v6_addrs & fd->bit) ? 6 : 4;
		if (!family) {
			family = fam;
			continue;
		}
		if (fam == family)
			continue;
		shown = *f;
		shown.family = fam;
		if (ifstat_filter_field_format(&shown, i, text, sizeof(text)) <
		    0)
			text[0] = '\0';
		return fail(err, fd->key, text,
			    "IPv4 and IPv6 addresses in one filter");
	}
	f->family = family;
	return 0;
}

int ifstat_filter_finish(struct ifstat_filter *f, struct ifstat_diag *err)
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

/* The field whose one-line word is first (and second, when given). */
static int field_of_words(const char *first, const char *second)
{
	unsigned int i;
	size_t n = strlen(first);

	for (i = 0; i < ifstat_filter_nfields; i++) {
		const char *w = ifstat_filter_fields[i].word;

		if (strncmp(w, first, n) || (w[n] && w[n] != ' '))
			continue;
		if (!second ? !w[n] : (w[n] && !strcmp(w + n + 1, second)))
			return (int)i;
	}
	return -1;
}

int ifstat_filter_parse(const char *text, struct ifstat_filter *f,
			struct ifstat_diag *err)
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
		const struct ifstat_filter_field *fd;
		const char *arg;
		int i, two;

		nwords++;
		if (!strcmp(w, "any")) {
			any = 1;
			continue;
		}
		if (proto_by_name(w) >= 0) {
			/* "tcp": a protocol's name alone is its field. */
			fd = &ifstat_filter_fields[ifstat_filter_field_index(
				"protocol")];
			arg = w;
		} else {
			i = field_of_words(w, NULL);
			if (i < 0)
				return fail(err, "filter", w, "unknown word");
			arg = strtok_r(NULL, " \t", &save);
			/* "src port 22": a two-word field. */
			two = arg ? field_of_words(w, arg) : -1;
			if (two >= 0) {
				i = two;
				arg = strtok_r(NULL, " \t", &save);
			}
			fd = &ifstat_filter_fields[i];
			if (!arg)
				return fail(err, fd->key, w, "missing value");
		}
		if (seen & fd->bit)
			return fail(err, fd->key, arg, "given twice");
		seen |= fd->bit;
		ret = kinds[fd->kind].set(fd, f, arg, err);
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

int ifstat_filter_format(const struct ifstat_filter *f, char *buf, size_t len)
{
	size_t pos = 0;
	unsigned int i;
	int ret = 0;

	if (!len)
		return -ENOSPC;
	buf[0] = '\0';
	for (i = 0; !ret && i < ifstat_filter_nfields; i++) {
		const struct ifstat_filter_field *fd = &ifstat_filter_fields[i];

		if (!(f->fields & fd->bit))
			continue;
		if (pos)
			ret = put(buf, len, &pos, " ");
		/* A protocol with a name is written as the name alone. */
		if (!ret &&
		    !(fd->kind == IFSTAT_FIELD_PROTO && proto_name(f->proto)))
			ret = put(buf, len, &pos, "%s ", fd->word);
		if (!ret)
			ret = kinds[fd->kind].put(fd, f, buf, len, &pos);
	}
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
