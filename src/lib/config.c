// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ini.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* How much of a bad value or key a message quotes. */
#define VALUE_SHOWN 80
#define KEY_SHOWN 40

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const uint32_t default_edges[] = IFSTAT_DEFAULT_EDGES;

/* The filter keys (doc/semantics.md rule 7), in the order of the canonical one-line form. */
static const struct {
	const char *key;
	unsigned int bit;
	const char *word; /* what the one-line form writes before the value */
} filter_keys[] = {
	{ "protocol", IFSTAT_F_PROTO, "proto " },
	{ "vlan", IFSTAT_F_VLAN, "vlan " },
	{ "src", IFSTAT_F_SRC, "src " },
	{ "dst", IFSTAT_F_DST, "dst " },
	{ "host", IFSTAT_F_HOST, "host " },
	{ "src_port", IFSTAT_F_SRC_PORT, "src port " },
	{ "dst_port", IFSTAT_F_DST_PORT, "dst port " },
	{ "port", IFSTAT_F_PORT, "port " },
};
#define NFILTER_KEYS ARRAY_SIZE(filter_keys)

static const char name_rule[] = "characters of A-Z a-z 0-9 _ . -";

/* ------------------------------------------------------------------ */
/* Values of the [ifstat] keys: pure setters, the caller adds FILE:LINE */

typedef int (*setter)(struct ifstat_config *c, const char *v, char *msg,
		      size_t len);

static int bad(char *msg, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int bad(char *msg, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, len, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* Strict unsigned decimal: no sign, no blanks, no trailing garbage. */
static int parse_uint(const char *s, size_t n, unsigned long max,
		      unsigned long *out)
{
	unsigned long v = 0;
	size_t i;

	if (!n)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		v = v * 10 + (unsigned long)(s[i] - '0');
		if (v > max)
			return -ERANGE;
	}
	*out = v;
	return 0;
}

static bool is_name_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= '0' && ch <= '9') || ch == '_' || ch == '.' || ch == '-';
}

/* 1..max characters of [A-Za-z0-9_.-] (filter, group, ubus names). */
static bool valid_name(const char *s, size_t n, size_t max)
{
	size_t i;

	if (!n || n > max)
		return false;
	for (i = 0; i < n; i++)
		if (!is_name_char(s[i]))
			return false;
	return true;
}

static bool is_blank(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\f' ||
	       ch == '\v';
}

static int set_interface(struct ifstat_config *c, const char *v, char *msg,
			 size_t len)
{
	size_t i, n = strlen(v);

	/* The kernel's dev_valid_name(), less '#' and ';': the file could
	 * not write "interface = #0" back. */
	if (n >= sizeof(c->interface) || !strcmp(v, ".") || !strcmp(v, ".."))
		goto fail;
	for (i = 0; i < n; i++)
		if (strchr("/:#;", v[i]) || is_blank(v[i]))
			goto fail;
	memcpy(c->interface, v, n + 1);
	return 0;
fail:
	return bad(msg, len,
		   "not an interface name (1-%zu characters, no '/', ':', "
		   "'#', ';' or blanks)",
		   sizeof(c->interface) - 1);
}

static int set_interval(struct ifstat_config *c, const char *v, char *msg,
			size_t len)
{
	unsigned long n, scale;
	size_t digits = strspn(v, "0123456789");
	int ret;

	if (!strcmp(v + digits, "ms"))
		scale = 1;
	else if (!strcmp(v + digits, "s"))
		scale = 1000;
	else
		return bad(msg, len,
			   "expected a number and the unit ms or s, e.g. 500ms "
			   "or 2s");
	ret = parse_uint(v, digits, IFSTAT_INTERVAL_MAX_MS, &n);
	if (ret == -EINVAL)
		return bad(msg, len,
			   "expected a number and the unit ms or s, e.g. 500ms "
			   "or 2s");
	if (ret || n * scale < IFSTAT_INTERVAL_MIN_MS ||
	    n * scale > IFSTAT_INTERVAL_MAX_MS)
		return bad(msg, len, "must be %ums-%us", IFSTAT_INTERVAL_MIN_MS,
			   IFSTAT_INTERVAL_MAX_MS / 1000);
	c->interval_ms = (unsigned int)(n * scale);
	return 0;
}

static int set_xdp_mode(struct ifstat_config *c, const char *v, char *msg,
			size_t len)
{
	if (!ifstat_mode_parse(v, &c->xdp_mode))
		return 0;
	return bad(msg, len, "expected auto, native or generic");
}

static int set_size_buckets(struct ifstat_config *c, const char *v, char *msg,
			    size_t len)
{
	uint32_t edges[IFSTAT_MAX_EDGES];
	unsigned int n = 0;
	unsigned long e;
	const char *s = v;

	for (;;) {
		size_t tok;

		while (is_blank(*s))
			s++;
		if (!*s)
			break;
		tok = strcspn(s, " \t\r\f\v");
		if (parse_uint(s, tok, 65535, &e) || !e)
			return bad(msg, len, "'%.*s' is not a number 1-65535",
				   (int)(tok > 20 ? 20 : tok), s);
		if (n == IFSTAT_MAX_EDGES)
			return bad(msg, len, "more than %d edges",
				   IFSTAT_MAX_EDGES);
		if (n && e <= edges[n - 1])
			return bad(msg, len,
				   "edges must be strictly increasing (%lu "
				   "after %u)",
				   e, edges[n - 1]);
		edges[n++] = (uint32_t)e;
		s += tok;
	}
	if (!n)
		return bad(msg, len, "no edges given");
	memcpy(c->edges, edges, n * sizeof(edges[0]));
	c->nedges = n;
	return 0;
}

static int set_path(char *dst, size_t size, const char *v, bool may_be_empty,
		    char *msg, size_t len)
{
	size_t n = strlen(v);

	if (!n && may_be_empty) {
		dst[0] = '\0';
		return 0;
	}
	if (v[0] != '/')
		return bad(msg, len, "must be an absolute path");
	if (n >= size)
		return bad(msg, len, "longer than %zu characters", size - 1);
	memcpy(dst, v, n + 1);
	return 0;
}

static int set_socket(struct ifstat_config *c, const char *v, char *msg,
		      size_t len)
{
	return set_path(c->socket, sizeof(c->socket), v, false, msg, len);
}

static int set_ubus_socket(struct ifstat_config *c, const char *v, char *msg,
			   size_t len)
{
	return set_path(c->ubus_socket, sizeof(c->ubus_socket), v, true, msg,
			len);
}

static int set_socket_group(struct ifstat_config *c, const char *v, char *msg,
			    size_t len)
{
	size_t n = strlen(v);

	if (n && !valid_name(v, n, sizeof(c->socket_group) - 1))
		return bad(msg, len, "must be 1-%zu %s",
			   sizeof(c->socket_group) - 1, name_rule);
	memcpy(c->socket_group, v, n + 1);
	return 0;
}

static int set_ubus_object(struct ifstat_config *c, const char *v, char *msg,
			   size_t len)
{
	size_t n = strlen(v);

	if (!valid_name(v, n, sizeof(c->ubus_object) - 1))
		return bad(msg, len, "must be 1-%zu %s",
			   sizeof(c->ubus_object) - 1, name_rule);
	memcpy(c->ubus_object, v, n + 1);
	return 0;
}

static int set_max_clients(struct ifstat_config *c, const char *v, char *msg,
			   size_t len)
{
	unsigned long n;

	if (parse_uint(v, strlen(v), IFSTAT_MAX_CLIENTS_MAX, &n) || !n)
		return bad(msg, len, "must be a number 1-%u",
			   IFSTAT_MAX_CLIENTS_MAX);
	c->max_clients = (unsigned int)n;
	return 0;
}

/* ADDR:PORT or [ADDR6]:PORT, stored in the canonical text of the address. */
static int set_prometheus(struct ifstat_config *c, const char *v, char *msg,
			  size_t len)
{
	char addr[INET6_ADDRSTRLEN], text[INET6_ADDRSTRLEN];
	unsigned char bin[16];
	const char *a, *port;
	unsigned long p;
	size_t n;
	int family;

	if (!*v) {
		c->prometheus[0] = '\0';
		return 0;
	}
	if (v[0] == '[') {
		const char *end = strchr(v, ']');

		if (!end || end[1] != ':')
			goto syntax;
		family = AF_INET6;
		a = v + 1;
		n = (size_t)(end - a);
		port = end + 2;
	} else {
		const char *colon = strrchr(v, ':');

		if (!colon)
			goto syntax;
		if (memchr(v, ':', (size_t)(colon - v)))
			return bad(msg, len,
				   "an IPv6 address needs brackets, e.g. "
				   "[::1]:9877");
		family = AF_INET;
		a = v;
		n = (size_t)(colon - v);
		port = colon + 1;
	}
	if (n >= sizeof(addr))
		goto address;
	memcpy(addr, a, n);
	addr[n] = '\0';
	if (inet_pton(family, addr, bin) != 1)
		goto address;
	if (parse_uint(port, strlen(port), 65535, &p) || !p)
		return bad(msg, len, "port must be 1-65535");
	inet_ntop(family, bin, text, sizeof(text));
	if (snprintf(c->prometheus, sizeof(c->prometheus),
		     family == AF_INET6 ? "[%s]:%lu" : "%s:%lu", text,
		     p) >= (int)sizeof(c->prometheus))
		goto syntax; /* cannot happen: 45 + 8 characters at most */
	return 0;
address:
	return bad(msg, len, "not an %s address",
		   family == AF_INET6 ? "IPv6" : "IPv4");
syntax:
	return bad(msg, len,
		   "expected ADDRESS:PORT, e.g. 127.0.0.1:9877 or [::1]:9877");
}

static int parse_bool(const char *v, bool *out, char *msg, size_t len)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(yes); i++) {
		if (!strcasecmp(v, yes[i])) {
			*out = true;
			return 0;
		}
		if (!strcasecmp(v, no[i])) {
			*out = false;
			return 0;
		}
	}
	return bad(msg, len,
		   "expected yes or no (or true, false, on, off, "
		   "1, 0)");
}

static int set_ubus(struct ifstat_config *c, const char *v, char *msg,
		    size_t len)
{
	return parse_bool(v, &c->ubus, msg, len);
}

static int set_keep_counters(struct ifstat_config *c, const char *v, char *msg,
			     size_t len)
{
	return parse_bool(v, &c->keep_counters, msg, len);
}

static const struct {
	const char *key;
	setter set;
} ifstat_keys[] = {
	{ "interface", set_interface },
	{ "interval", set_interval },
	{ "xdp_mode", set_xdp_mode },
	{ "size_buckets", set_size_buckets },
	{ "socket", set_socket },
	{ "socket_group", set_socket_group },
	{ "max_clients", set_max_clients },
	{ "prometheus", set_prometheus },
	{ "ubus", set_ubus },
	{ "ubus_object", set_ubus_object },
	{ "ubus_socket", set_ubus_socket },
	{ "keep_counters", set_keep_counters },
};
#define NIFSTAT_KEYS ARRAY_SIZE(ifstat_keys)

/* ------------------------------------------------------------------ */
/* The file: libinih splits keys and values, our reader feeds it lines. */

static void add_err(struct ifstat_config_errors *errs, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void add_err(struct ifstat_config_errors *errs, const char *fmt, ...)
{
	va_list ap;

	if (errs->count < IFSTAT_CONF_MAX_ERRORS) {
		va_start(ap, fmt);
		vsnprintf(errs->msg[errs->count], sizeof(errs->msg[0]), fmt,
			  ap);
		va_end(ap);
	}
	errs->count++;
}

enum section { SEC_NONE, SEC_IFSTAT, SEC_FILTER, SEC_BAD };

struct parser {
	const char *file;
	const char *next; /* the text not read yet */
	unsigned int line; /* of the line inih works on */
	struct ifstat_config *c;
	struct ifstat_config_errors *errs;
	enum section sec;
	unsigned int sec_line;
	unsigned int ifstat_line; /* first [ifstat], 0 if none yet */
	unsigned int key_line[NIFSTAT_KEYS];
	bool too_many;
	/* The filter section being read: a slot of c, or scratch when the
	 * section is refused (its keys are still checked). */
	struct ifstat_filter_def *def;
	struct ifstat_filter_def scratch;
	unsigned int fkey_line[NFILTER_KEYS];
	unsigned int err_line[IFSTAT_CONF_MAX_ERRORS];
};

static void perr(struct parser *p, unsigned int line, const char *key,
		 const char *value, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void perr(struct parser *p, unsigned int line, const char *key,
		 const char *value, const char *fmt, ...)
{
	char what[192];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (p->errs->count < IFSTAT_CONF_MAX_ERRORS)
		p->err_line[p->errs->count] = line;
	add_err(p->errs, "%s:%u: %.*s: %s ('%.*s%s')", p->file, line, KEY_SHOWN,
		key, what, VALUE_SHOWN, value,
		strlen(value) > VALUE_SHOWN ? "..." : "");
}

static int filter_key_index(const char *key)
{
	size_t i;

	for (i = 0; i < NFILTER_KEYS; i++)
		if (!strcmp(key, filter_keys[i].key))
			return (int)i;
	return -1;
}

static int find_filter(const struct ifstat_config *c, const char *name,
		       size_t n)
{
	unsigned int i;

	for (i = 0; i < c->nfilters; i++)
		if (strlen(c->filters[i].name) == n &&
		    !memcmp(c->filters[i].name, name, n))
			return (int)i;
	return -1;
}

/*
 * A filter's cross-field errors are found at its end: put them back among
 * the others in line order (stable, so one line keeps its order).
 */
static void sort_errors(struct parser *p)
{
	struct ifstat_config_errors *e = p->errs;
	unsigned int n = e->count < IFSTAT_CONF_MAX_ERRORS
				 ? e->count
				 : IFSTAT_CONF_MAX_ERRORS;
	unsigned int i, j, line;
	char msg[sizeof(e->msg[0])];

	for (i = 1; i < n; i++) {
		line = p->err_line[i];
		memcpy(msg, e->msg[i], sizeof(msg));
		for (j = i; j > 0 && p->err_line[j - 1] > line; j--) {
			p->err_line[j] = p->err_line[j - 1];
			memcpy(e->msg[j], e->msg[j - 1], sizeof(msg));
		}
		p->err_line[j] = line;
		memcpy(e->msg[j], msg, sizeof(msg));
	}
}

static void finish_error(struct parser *p, const struct ifstat_filter_err *err)
{
	int k = filter_key_index(err->field);

	perr(p, k >= 0 && p->fkey_line[k] ? p->fkey_line[k] : p->sec_line,
	     err->field, err->value, "%s", err->msg);
}

/* Cross-field checks once the whole section is read. */
static void end_filter(struct parser *p)
{
	struct ifstat_filter_err err, more;
	struct ifstat_filter rest;

	if (p->sec != SEC_FILTER)
		return;
	p->sec = SEC_NONE;
	if (!ifstat_filter_finish(&p->def->filter, &err))
		return;
	finish_error(p, &err);
	/* finish() stops at the first problem: without the addresses, a
	 * family clash no longer hides the others. */
	rest = p->def->filter;
	rest.fields &= ~(unsigned int)IFSTAT_F_ADDRS;
	if (ifstat_filter_finish(&rest, &more) &&
	    (strcmp(more.field, err.field) || strcmp(more.msg, err.msg)))
		finish_error(p, &more);
}

static void start_filter(struct parser *p, const char *name)
{
	struct ifstat_config *c = p->c;
	size_t n = strlen(name);
	int i;

	p->sec = SEC_FILTER;
	memset(p->fkey_line, 0, sizeof(p->fkey_line));
	p->def = &p->scratch;
	ifstat_filter_init(&p->scratch.filter);
	if (!n) {
		perr(p, p->line, "filter", name,
		     "missing name, expected [filter NAME]");
		return;
	}
	if (!valid_name(name, n, IFSTAT_NAME_MAX - 1)) {
		perr(p, p->line, "filter", name, "name must be 1-%d %s",
		     IFSTAT_NAME_MAX - 1, name_rule);
		return;
	}
	i = find_filter(c, name, n);
	if (i >= 0) {
		perr(p, p->line, "filter", name, "name already used on line %u",
		     c->filter_line[i]);
		return;
	}
	if (c->nfilters >= IFSTAT_MAX_FILTERS) {
		if (!p->too_many)
			perr(p, p->line, "filter", name, "more than %d filters",
			     IFSTAT_MAX_FILTERS);
		p->too_many = true;
		return;
	}
	p->def = &c->filters[c->nfilters];
	memcpy(p->def->name, name, n + 1);
	ifstat_filter_init(&p->def->filter);
	c->filter_line[c->nfilters++] = p->line;
}

/* inner: the text between [ and ], or NULL for a broken header. */
static void start_section(struct parser *p, const char *inner)
{
	end_filter(p);
	p->sec = SEC_BAD;
	p->sec_line = p->line;
	if (!inner)
		return;
	if (!strcmp(inner, "ifstat")) {
		if (p->ifstat_line)
			perr(p, p->line, "section", inner,
			     "[ifstat] given twice, first on line %u",
			     p->ifstat_line);
		else
			p->ifstat_line = p->line;
		p->sec = SEC_IFSTAT;
		return;
	}
	if (!strncmp(inner, "filter", 6) && (!inner[6] || is_blank(inner[6]))) {
		inner += 6;
		while (is_blank(*inner))
			inner++;
		start_filter(p, inner);
		return;
	}
	perr(p, p->line, "section", inner,
	     "unknown section, expected [ifstat] or [filter NAME]");
}

/*
 * inih's reader: one line per call, so p->line is the line of the key
 * inih hands to on_key() next. Besides counting, it does what Debian's
 * inih would do differently from systemd: it strips '#' comments (inih
 * knows only ';'), removes leading blanks (inih would take an indented
 * line as the continuation of the previous value), refuses lines longer
 * than inih's buffer (inih would split them) and reports every syntax
 * error itself (inih reports only the first one, by number).
 */
static char *read_line(char *buf, int num, void *stream)
{
	struct parser *p = stream;
	const char *s = p->next, *end, *a, *b;
	char inner[IFSTAT_NAME_MAX + 64];
	size_t n;

	if (!*s)
		return NULL;
	end = strchr(s, '\n');
	if (!end)
		end = s + strlen(s);
	p->next = *end ? end + 1 : end;
	p->line++;
	if (p->line == 1 && !strncmp(s, "\xef\xbb\xbf", 3))
		s += 3;
	for (a = s; a < end && is_blank(*a); a++)
		;
	for (b = a; b < end; b++)
		if ((*b == '#' || *b == ';') && (b == a || is_blank(b[-1])))
			break;
	while (b > a && is_blank(b[-1]))
		b--;
	n = (size_t)(b - a);
	buf[0] = '\0';
	if (!n)
		return buf;
	if (n >= (size_t)num) {
		char shown[VALUE_SHOWN + 2];

		snprintf(shown, sizeof(shown), "%.*s", VALUE_SHOWN + 1, a);
		perr(p, p->line, "syntax", shown,
		     "line longer than %d characters", num - 1);
		/* Keys that follow must not land in the previous section
		 * when this was a section header. */
		if (*a == '[')
			start_section(p, NULL);
		return buf;
	}
	memcpy(buf, a, n);
	buf[n] = '\0';
	if (buf[0] == '[') {
		if (buf[n - 1] != ']' || strchr(buf + 1, '[') ||
		    strchr(buf, ']') != buf + n - 1) {
			perr(p, p->line, "syntax", buf, "expected '[section]'");
			start_section(p, NULL);
			buf[0] = '\0';
			return buf;
		}
		snprintf(inner, sizeof(inner), "%.*s", (int)(n - 2), buf + 1);
		start_section(p, inner);
		return buf;
	}
	/* inih would split "key: value" too, and "src 2001:db8::1" at
	 * its first ':'. */
	a = strchr(buf, '=');
	b = strchr(buf, ':');
	if (!a || (b && b < a)) {
		perr(p, p->line, "syntax", buf,
		     "expected 'key = value' or '[section]'");
		buf[0] = '\0';
	} else if (a == buf) {
		perr(p, p->line, "syntax", buf, "missing key before '='");
		buf[0] = '\0';
	}
	return buf;
}

static void ifstat_key(struct parser *p, const char *key, const char *value)
{
	char msg[160];
	size_t i;

	for (i = 0; i < NIFSTAT_KEYS; i++)
		if (!strcmp(key, ifstat_keys[i].key))
			break;
	if (i == NIFSTAT_KEYS) {
		perr(p, p->line, key, value, "unknown key in [ifstat]");
		return;
	}
	if (p->key_line[i]) {
		perr(p, p->line, key, value, "given twice, first on line %u",
		     p->key_line[i]);
		return;
	}
	p->key_line[i] = p->line;
	if (ifstat_keys[i].set(p->c, value, msg, sizeof(msg)))
		perr(p, p->line, key, value, "%s", msg);
}

static void filter_key(struct parser *p, const char *key, const char *value)
{
	struct ifstat_filter_err err;
	int k = filter_key_index(key);

	if (k < 0) {
		perr(p, p->line, key, value,
		     "unknown key in a filter, expected protocol, src, dst, "
		     "host, src_port, dst_port, port or vlan");
		return;
	}
	if (p->fkey_line[k]) {
		perr(p, p->line, key, value, "given twice, first on line %u",
		     p->fkey_line[k]);
		return;
	}
	p->fkey_line[k] = p->line;
	if (ifstat_filter_set(&p->def->filter, key, value, &err))
		perr(p, p->line, err.field, err.value, "%s", err.msg);
}

static int on_key(void *user, const char *section, const char *key,
		  const char *value)
{
	struct parser *p = user;

	(void)section; /* ours is p->sec: inih truncates long names */
	switch (p->sec) {
	case SEC_NONE:
		perr(p, p->line, key, value,
		     "outside any section, expected after [ifstat] or "
		     "[filter NAME]");
		break;
	case SEC_IFSTAT:
		ifstat_key(p, key, value);
		break;
	case SEC_FILTER:
		filter_key(p, key, value);
		break;
	case SEC_BAD:
		break; /* the header was reported; its keys would be noise */
	}
	return 1;
}

void ifstat_config_defaults(struct ifstat_config *c)
{
	memset(c, 0, sizeof(*c));
	c->interval_ms = 1000;
	c->xdp_mode = IFSTAT_MODE_AUTO;
	memcpy(c->edges, default_edges, sizeof(default_edges));
	c->nedges = ARRAY_SIZE(default_edges);
	snprintf(c->socket, sizeof(c->socket), "%s", IFSTAT_SOCKET_DEFAULT);
	c->max_clients = 64;
	snprintf(c->ubus_object, sizeof(c->ubus_object), "%s",
		 IFSTAT_UBUS_OBJECT_DEFAULT);
}

int ifstat_config_parse(const char *name, const char *text,
			struct ifstat_config *out,
			struct ifstat_config_errors *errs)
{
	struct ifstat_config_errors *dummy = NULL;
	struct ifstat_config *c;
	struct parser *p;
	int ret;

	if (!errs) {
		dummy = malloc(sizeof(*dummy));
		if (!dummy)
			return -ENOMEM;
		errs = dummy;
	}
	errs->count = 0;
	c = malloc(sizeof(*c));
	p = calloc(1, sizeof(*p));
	if (!c || !p) {
		ret = -ENOMEM;
		goto out;
	}
	ifstat_config_defaults(c);
	p->file = name ? name : "<config>";
	p->next = text;
	p->c = c;
	p->errs = errs;
	ret = ini_parse_stream(read_line, p, on_key, p);
	end_filter(p);
	if (ret > 0) /* a line inih refused and read_line let through */
		perr(p, (unsigned int)ret, "syntax", "", "not understood");
	sort_errors(p);
	if (ret < 0)
		ret = -ENOMEM;
	else if (errs->count)
		ret = -EINVAL;
	if (!ret)
		*out = *c;
out:
	free(p);
	free(c);
	free(dummy);
	return ret;
}

static int read_file(const char *path, char **out)
{
	size_t len = 0, cap = 4096;
	char *buf = NULL, *nb;
	ssize_t n;
	int fd, ret = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (;;) {
		if (len + 1 >= cap || !buf) {
			if (buf)
				cap *= 2;
			nb = realloc(buf, cap);
			if (!nb) {
				ret = -ENOMEM;
				break;
			}
			buf = nb;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = -errno;
			break;
		}
		if (!n)
			break;
		len += (size_t)n;
		if (len > IFSTAT_CONF_MAX_SIZE) {
			ret = -EFBIG;
			break;
		}
	}
	close(fd);
	if (ret) {
		free(buf);
		return ret;
	}
	buf[len] = '\0';
	if (memchr(buf, '\0', len)) {
		free(buf);
		return -EILSEQ; /* a binary file: it would be cut at the NUL */
	}
	*out = buf;
	return 0;
}

int ifstat_config_load(const char *path, struct ifstat_config *out,
		       struct ifstat_config_errors *errs)
{
	char *text = NULL;
	int ret;

	ret = read_file(path, &text);
	if (ret) {
		if (errs) {
			errs->count = 0;
			add_err(errs, "%s: cannot read: %s", path,
				ret == -EILSEQ ? "not a text file (NUL byte)"
					       : strerror(-ret));
		}
		return ret;
	}
	ret = ifstat_config_parse(path, text, out, errs);
	free(text);
	return ret;
}

int ifstat_config_check_interface(const char *name,
				  const struct ifstat_config *c,
				  struct ifstat_config_errors *errs)
{
	if (c->interface[0])
		return 0;
	if (errs)
		add_err(errs,
			"%s: interface: no interface given (set 'interface =' "
			"or use -i) ('')",
			name ? name : "<config>");
	return -EINVAL;
}

int ifstat_config_add_filter_arg(struct ifstat_config *c, const char *arg,
				 char *err, size_t errlen)
{
	const char *eq = strchr(arg, '=');
	struct ifstat_filter_def *d;
	struct ifstat_filter_err fe;
	struct ifstat_filter f;
	int n;

	if (!eq || eq == arg) {
		snprintf(err, errlen, "-F: expected NAME=FILTER ('%s')", arg);
		return -EINVAL;
	}
	n = (int)(eq - arg) > KEY_SHOWN ? KEY_SHOWN : (int)(eq - arg);
	if (!valid_name(arg, (size_t)(eq - arg), IFSTAT_NAME_MAX - 1)) {
		snprintf(err, errlen,
			 "-F %.*s: filter: name must be 1-%d %s ('%.*s')", n,
			 arg, IFSTAT_NAME_MAX - 1, name_rule, n, arg);
		return -EINVAL;
	}
	if (find_filter(c, arg, (size_t)(eq - arg)) >= 0) {
		snprintf(err, errlen,
			 "-F %.*s: filter: name already used ('%.*s')", n, arg,
			 n, arg);
		return -EINVAL;
	}
	if (c->nfilters >= IFSTAT_MAX_FILTERS) {
		snprintf(err, errlen,
			 "-F %.*s: filter: more than %d filters ('%s')", n, arg,
			 IFSTAT_MAX_FILTERS, eq + 1);
		return -E2BIG;
	}
	if (ifstat_filter_parse(eq + 1, &f, &fe)) {
		snprintf(err, errlen, "-F %.*s: %s: %s ('%s')", n, arg,
			 fe.field, fe.msg, fe.value);
		return -EINVAL;
	}
	d = &c->filters[c->nfilters];
	memset(d, 0, sizeof(*d));
	d->filter = f;
	memcpy(d->name, arg, (size_t)(eq - arg));
	d->name[eq - arg] = '\0';
	c->filter_line[c->nfilters++] = 0;
	return 0;
}

void ifstat_config_finish(struct ifstat_config *c)
{
	struct ifstat_filter_def *d = &c->filters[0];

	if (c->nfilters)
		return;
	memset(d, 0, sizeof(*d));
	snprintf(d->name, sizeof(d->name), "all");
	ifstat_filter_init(&d->filter);
	ifstat_filter_finish(&d->filter, NULL); /* no fields: cannot fail */
	c->filter_line[0] = 0;
	c->nfilters = 1;
}

bool ifstat_config_same(const struct ifstat_config *a,
			const struct ifstat_config *b)
{
	unsigned int i;

	if (strcmp(a->interface, b->interface) ||
	    a->interval_ms != b->interval_ms || a->xdp_mode != b->xdp_mode ||
	    a->nedges != b->nedges ||
	    memcmp(a->edges, b->edges, a->nedges * sizeof(a->edges[0])) ||
	    strcmp(a->socket, b->socket) ||
	    strcmp(a->socket_group, b->socket_group) ||
	    a->max_clients != b->max_clients ||
	    strcmp(a->prometheus, b->prometheus) || a->ubus != b->ubus ||
	    strcmp(a->ubus_object, b->ubus_object) ||
	    strcmp(a->ubus_socket, b->ubus_socket) ||
	    a->keep_counters != b->keep_counters || a->nfilters != b->nfilters)
		return false;
	for (i = 0; i < a->nfilters; i++)
		if (strcmp(a->filters[i].name, b->filters[i].name) ||
		    !ifstat_filter_same(&a->filters[i].filter,
					&b->filters[i].filter))
			return false;
	return true;
}

static void print_kv(FILE *out, const char *key, const char *value)
{
	fprintf(out, "%s =%s%s\n", key, *value ? " " : "", value);
}

void ifstat_config_print(FILE *out, const struct ifstat_config *c)
{
	char text[IFSTAT_FILTER_TEXT_MAX];
	unsigned int i, k;

	fprintf(out, "[ifstat]\n");
	print_kv(out, "interface", c->interface);
	if (c->interval_ms % 1000)
		fprintf(out, "interval = %ums\n", c->interval_ms);
	else
		fprintf(out, "interval = %us\n", c->interval_ms / 1000);
	print_kv(out, "xdp_mode", ifstat_mode_name(c->xdp_mode));
	fprintf(out, "size_buckets =");
	for (i = 0; i < c->nedges && i < IFSTAT_MAX_EDGES; i++)
		fprintf(out, " %u", c->edges[i]);
	fprintf(out, "\n");
	print_kv(out, "socket", c->socket);
	print_kv(out, "socket_group", c->socket_group);
	fprintf(out, "max_clients = %u\n", c->max_clients);
	print_kv(out, "prometheus", c->prometheus);
	print_kv(out, "ubus", c->ubus ? "yes" : "no");
	print_kv(out, "ubus_object", c->ubus_object);
	print_kv(out, "ubus_socket", c->ubus_socket);
	print_kv(out, "keep_counters", c->keep_counters ? "yes" : "no");
	for (i = 0; i < c->nfilters && i < IFSTAT_MAX_FILTERS; i++) {
		const struct ifstat_filter *f = &c->filters[i].filter;

		fprintf(out, "\n[filter %s]\n", c->filters[i].name);
		if (ifstat_filter_format(f, text, sizeof(text)) >= 0)
			fprintf(out, "# %s\n", text);
		/* Each key through the canonical form of that field alone,
		 * so the file and the one-line form cannot disagree. */
		for (k = 0; k < NFILTER_KEYS; k++) {
			struct ifstat_filter one = *f;
			size_t wl = strlen(filter_keys[k].word);
			const char *v = text;

			if (!(f->fields & filter_keys[k].bit))
				continue;
			one.fields = filter_keys[k].bit;
			if (ifstat_filter_format(&one, text, sizeof(text)) < 0)
				continue;
			if (!strncmp(text, filter_keys[k].word, wl))
				v += wl;
			print_kv(out, filter_keys[k].key, v);
		}
	}
}
