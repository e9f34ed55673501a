// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The [ifstat] keys as one table, and what walks it: defaults, setting a
 * key from text, writing it back, comparing two configurations and
 * printing one. The file itself is read by ini.c.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "addrport.h"
#include "classify.h"
#include "text.h"

static const uint32_t default_edges[] = IFSTAT_DEFAULT_EDGES;

#define MEMBER(m) offsetof(struct ifstat_config, m)
#define TEXT(m) MEMBER(m), sizeof(((struct ifstat_config *)0)->m)

/*
 * {key, kind, offset, size, count, min, max, default}. For text kinds
 * min is the shortest value (0: may be empty); a NULL default is the
 * ABI's bucket edges.
 */
const struct ifstat_key ifstat_config_keys[] = {
	{ "interface", IFSTAT_KEY_IFNAMES, MEMBER(interfaces), 0,
	  MEMBER(ninterfaces), 0, IFSTAT_MAX_IFACES, "" },
	{ "direction", IFSTAT_KEY_DIRS, MEMBER(direction), 0, 0, 0, 0,
	  "ingress" },
	{ "hook", IFSTAT_KEY_HOOK, MEMBER(hook), 0, 0, 0, 0, "auto" },
	{ "interval", IFSTAT_KEY_DURATION, MEMBER(interval_ms), 0, 0,
	  IFSTAT_INTERVAL_MIN_MS, IFSTAT_INTERVAL_MAX_MS, "1s" },
	{ "xdp_mode", IFSTAT_KEY_MODE, MEMBER(xdp_mode), 0, 0, 0, 0, "auto" },
	{ "size_buckets", IFSTAT_KEY_EDGES, MEMBER(edges), 0, MEMBER(nedges), 1,
	  65535, NULL },
	{ "socket", IFSTAT_KEY_PATH, TEXT(socket), 0, 1, 0,
	  IFSTAT_SOCKET_DEFAULT },
	{ "socket_group", IFSTAT_KEY_NAME, TEXT(socket_group), 0, 0, 0, "" },
	{ "max_clients", IFSTAT_KEY_UINT, MEMBER(max_clients), 0, 0, 1,
	  IFSTAT_MAX_CLIENTS_MAX, "64" },
	{ "prometheus", IFSTAT_KEY_ADDRPORT, TEXT(prometheus), 0, 0, 0, "" },
	{ "http", IFSTAT_KEY_ADDRPORT, TEXT(http), 0, 0, 0, "" },
	{ "ubus", IFSTAT_KEY_BOOL, MEMBER(ubus), 0, 0, 0, 0, "no" },
	{ "ubus_object", IFSTAT_KEY_NAME, TEXT(ubus_object), 0, 1, 0,
	  IFSTAT_UBUS_OBJECT_DEFAULT },
	{ "ubus_socket", IFSTAT_KEY_PATH, TEXT(ubus_socket), 0, 0, 0, "" },
	{ "keep_counters", IFSTAT_KEY_BOOL, MEMBER(keep_counters), 0, 0, 0, 0,
	  "no" },
};

const unsigned int ifstat_config_nkeys = IFSTAT_ARRAY_SIZE(ifstat_config_keys);
_Static_assert(IFSTAT_ARRAY_SIZE(ifstat_config_keys) <= IFSTAT_CONF_MAX_KEYS,
	       "ini.c keeps a line per key");

#define AT(c, k, type) ((type *)((char *)(c) + (k)->offset))
#define CAT(c, k, type) ((const type *)((const char *)(c) + (k)->offset))

int ifstat_config_key_index(const char *key)
{
	return ifstat_table_find(ifstat_config_keys, ifstat_config_nkeys,
				 sizeof(ifstat_config_keys[0]), key);
}

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

/* ------------------------------------------------------------------ */
/* Reading a value, one function per kind */

typedef int (*set_fn)(const struct ifstat_key *k, struct ifstat_config *c,
		      const char *v, char *msg, size_t len);

/* The kernel's dev_valid_name(), less '#' and ';': the file could not
 * write "interface = #0" back. */
static bool ifname_valid(const char *v, size_t n, size_t size)
{
	size_t i;

	if (!n || n >= size || (n == 1 && v[0] == '.') ||
	    (n == 2 && v[0] == '.' && v[1] == '.'))
		return false;
	for (i = 0; i < n; i++)
		if (strchr("/:#;", v[i]) || ifstat_is_blank(v[i]))
			return false;
	return true;
}

#define IFNAME_RULE                                                            \
	"(1-15 characters, no '/', ':', '#', ';' or blanks), optionally "      \
	"followed by :ingress, :egress or :both"

/* One NAME[:DIRECTION] of the list, n characters at v, into *f. */
static int set_iface(struct ifstat_iface_conf *f, const char *v, size_t n,
		     bool alone, char *msg, size_t len)
{
	const char *colon = memchr(v, ':', n);
	size_t w = colon ? (size_t)(colon - v) : n;
	char dir[8];

	if (!ifname_valid(v, w, sizeof(f->name)))
		return alone ? bad(msg, len,
				   "not an interface name " IFNAME_RULE)
			     : bad(msg, len,
				   "'%.*s' is not an interface "
				   "name " IFNAME_RULE,
				   (int)(n < 64 ? n : 64), v);
	memcpy(f->name, v, w);
	f->name[w] = '\0';
	f->dirs = 0;
	if (!colon)
		return 0;
	snprintf(dir, sizeof(dir), "%.*s", (int)(n - w - 1), colon + 1);
	if (n - w - 1 >= sizeof(dir) || ifstat_dirs_parse(dir, &f->dirs))
		return bad(msg, len,
			   "'%.*s': the direction after ':' is ingress, egress "
			   "or both",
			   (int)(n < 64 ? n : 64), v);
	return 0;
}

/* A space-separated list of distinct names, which replaces the list. */
static int set_ifnames(const struct ifstat_key *k, struct ifstat_config *c,
		       const char *v, char *msg, size_t len)
{
	struct ifstat_iface_conf *out = AT(c, k, struct ifstat_iface_conf);
	struct ifstat_iface_conf list[IFSTAT_MAX_IFACES];
	unsigned int n = 0, i;
	int ret;

	while (*v) {
		size_t w;

		while (ifstat_is_blank(*v))
			v++;
		w = strcspn(v, " \t");
		if (!w)
			break;
		if (n == k->max)
			return bad(msg, len, "more than %lu interfaces",
				   k->max);
		ret = set_iface(&list[n], v, w, !n && !v[w], msg, len);
		if (ret)
			return ret;
		for (i = 0; i < n; i++)
			if (!strcmp(list[i].name, list[n].name))
				return bad(msg, len, "'%s' is listed twice",
					   list[n].name);
		n++;
		v += w;
	}
	memcpy(out, list, n * sizeof(list[0]));
	*(unsigned int *)((char *)c + k->count) = n;
	return 0;
}

static void get_ifnames(const struct ifstat_key *k,
			const struct ifstat_config *c, char *buf, size_t len)
{
	const struct ifstat_iface_conf *f = CAT(c, k, struct ifstat_iface_conf);
	unsigned int i, n = *(const unsigned int *)((const char *)c + k->count);
	size_t pos = 0;

	buf[0] = '\0';
	for (i = 0; i < n && pos < len; i++)
		pos += (size_t)snprintf(
			buf + pos, len - pos, "%s%s%s%s", i ? " " : "",
			f[i].name, f[i].dirs ? ":" : "",
			f[i].dirs ? ifstat_dirs_name(f[i].dirs) : "");
}

enum ifstat_dirs ifstat_config_dirs(const struct ifstat_config *c,
				    unsigned int i)
{
	return c->interfaces[i].dirs ? c->interfaces[i].dirs : c->direction;
}

static int set_hook(const struct ifstat_key *k, struct ifstat_config *c,
		    const char *v, char *msg, size_t len)
{
	if (!ifstat_hook_parse(v, AT(c, k, enum ifstat_hook)))
		return 0;
	return bad(msg, len, "expected auto, xdp or tc");
}

static void get_hook(const struct ifstat_key *k, const struct ifstat_config *c,
		     char *buf, size_t len)
{
	snprintf(buf, len, "%s",
		 ifstat_hook_name(*CAT(c, k, enum ifstat_hook)));
}

static int set_dirs(const struct ifstat_key *k, struct ifstat_config *c,
		    const char *v, char *msg, size_t len)
{
	if (!ifstat_dirs_parse(v, AT(c, k, enum ifstat_dirs)))
		return 0;
	return bad(msg, len, "expected ingress, egress or both");
}

static void get_dirs(const struct ifstat_key *k, const struct ifstat_config *c,
		     char *buf, size_t len)
{
	snprintf(buf, len, "%s",
		 ifstat_dirs_name(*CAT(c, k, enum ifstat_dirs)));
}

static int set_duration(const struct ifstat_key *k, struct ifstat_config *c,
			const char *v, char *msg, size_t len)
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
	ret = ifstat_parse_uint(v, digits, k->max, &n);
	if (ret == -EINVAL)
		return bad(msg, len,
			   "expected a number and the unit ms or s, e.g. 500ms "
			   "or 2s");
	if (ret || n * scale < k->min || n * scale > k->max)
		return bad(msg, len, "must be %lums-%lus", k->min,
			   k->max / 1000);
	*AT(c, k, unsigned int) = (unsigned int)(n * scale);
	return 0;
}

static int set_mode(const struct ifstat_key *k, struct ifstat_config *c,
		    const char *v, char *msg, size_t len)
{
	if (!ifstat_mode_parse(v, AT(c, k, enum ifstat_mode)))
		return 0;
	return bad(msg, len, "expected auto, native or generic");
}

static int set_edges(const struct ifstat_key *k, struct ifstat_config *c,
		     const char *v, char *msg, size_t len)
{
	uint32_t edges[IFSTAT_MAX_EDGES];
	unsigned int n = 0;
	unsigned long e;
	const char *s = v;

	if (!v) { /* the default */
		memcpy(edges, default_edges, sizeof(default_edges));
		n = IFSTAT_ARRAY_SIZE(default_edges);
	}
	while (s) {
		size_t tok;

		while (ifstat_is_blank(*s))
			s++;
		if (!*s)
			break;
		tok = strcspn(s, " \t\r\f\v");
		if (ifstat_parse_uint(s, tok, k->max, &e) || e < k->min)
			return bad(msg, len, "'%.*s' is not a number %lu-%lu",
				   (int)(tok > 20 ? 20 : tok), s, k->min,
				   k->max);
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
	memcpy(AT(c, k, uint32_t), edges, n * sizeof(edges[0]));
	*(unsigned int *)((char *)c + k->count) = n;
	return 0;
}

static int set_path(const struct ifstat_key *k, struct ifstat_config *c,
		    const char *v, char *msg, size_t len)
{
	size_t n = strlen(v);

	if (n || k->min) {
		if (v[0] != '/')
			return bad(msg, len, "must be an absolute path");
		if (n >= k->size)
			return bad(msg, len, "longer than %zu characters",
				   k->size - 1);
	}
	memcpy(AT(c, k, char), v, n + 1);
	return 0;
}

static int set_name(const struct ifstat_key *k, struct ifstat_config *c,
		    const char *v, char *msg, size_t len)
{
	size_t n = strlen(v);

	if ((n || k->min) && !ifstat_valid_name(v, n, k->size - 1))
		return bad(msg, len, "must be 1-%zu %s", k->size - 1,
			   IFSTAT_NAME_RULE);
	memcpy(AT(c, k, char), v, n + 1);
	return 0;
}

static int set_uint(const struct ifstat_key *k, struct ifstat_config *c,
		    const char *v, char *msg, size_t len)
{
	unsigned long n;

	if (ifstat_parse_uint(v, strlen(v), k->max, &n) || n < k->min)
		return bad(msg, len, "must be a number %lu-%lu", k->min,
			   k->max);
	*AT(c, k, unsigned int) = (unsigned int)n;
	return 0;
}

/* Stored in the canonical text of the address. */
static int set_addrport(const struct ifstat_key *k, struct ifstat_config *c,
			const char *v, char *msg, size_t len)
{
	struct ifstat_addrport a;

	if (!*v && !k->min) {
		AT(c, k, char)[0] = '\0';
		return 0;
	}
	switch (ifstat_addrport_parse(v, &a)) {
	case 0:
		break;
	case -EAFNOSUPPORT:
		return bad(msg, len,
			   "an IPv6 address needs brackets, e.g. [::1]:9877");
	case -EADDRNOTAVAIL:
		return bad(msg, len, "not an %s address",
			   a.family == AF_INET6 ? "IPv6" : "IPv4");
	case -ERANGE:
		return bad(msg, len, "port must be 1-65535");
	default:
		return bad(msg, len,
			   "expected ADDRESS:PORT, e.g. 127.0.0.1:9877 or "
			   "[::1]:9877");
	}
	/* 45 + 8 characters at most: fits. */
	ifstat_addrport_format(&a, AT(c, k, char), k->size);
	return 0;
}

static int set_bool(const struct ifstat_key *k, struct ifstat_config *c,
		    const char *v, char *msg, size_t len)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };
	size_t i;

	for (i = 0; i < IFSTAT_ARRAY_SIZE(yes); i++) {
		if (!strcasecmp(v, yes[i]) || !strcasecmp(v, no[i])) {
			*AT(c, k, bool) = !strcasecmp(v, yes[i]);
			return 0;
		}
	}
	return bad(msg, len,
		   "expected yes or no (or true, false, on, off, "
		   "1, 0)");
}

/* ------------------------------------------------------------------ */
/* Writing a value as the file spells it */

typedef void (*get_fn)(const struct ifstat_key *k,
		       const struct ifstat_config *c, char *buf, size_t len);

static void get_text(const struct ifstat_key *k, const struct ifstat_config *c,
		     char *buf, size_t len)
{
	snprintf(buf, len, "%s", CAT(c, k, char));
}

static void get_duration(const struct ifstat_key *k,
			 const struct ifstat_config *c, char *buf, size_t len)
{
	unsigned int ms = *CAT(c, k, unsigned int);

	if (ms % 1000)
		snprintf(buf, len, "%ums", ms);
	else
		snprintf(buf, len, "%us", ms / 1000);
}

static void get_mode(const struct ifstat_key *k, const struct ifstat_config *c,
		     char *buf, size_t len)
{
	snprintf(buf, len, "%s",
		 ifstat_mode_name(*CAT(c, k, enum ifstat_mode)));
}

static void get_edges(const struct ifstat_key *k, const struct ifstat_config *c,
		      char *buf, size_t len)
{
	const uint32_t *e = CAT(c, k, uint32_t);
	unsigned int i, n = *(const unsigned int *)((const char *)c + k->count);
	size_t pos = 0;

	buf[0] = '\0';
	for (i = 0; i < n && i < IFSTAT_MAX_EDGES && pos < len; i++)
		pos += (size_t)snprintf(buf + pos, len - pos, "%s%u",
					i ? " " : "", e[i]);
}

static void get_uint(const struct ifstat_key *k, const struct ifstat_config *c,
		     char *buf, size_t len)
{
	snprintf(buf, len, "%u", *CAT(c, k, unsigned int));
}

static void get_bool(const struct ifstat_key *k, const struct ifstat_config *c,
		     char *buf, size_t len)
{
	snprintf(buf, len, "%s", *CAT(c, k, bool) ? "yes" : "no");
}

static const struct {
	set_fn set;
	get_fn get;
} kinds[] = {
	[IFSTAT_KEY_IFNAMES] = { set_ifnames, get_ifnames },
	[IFSTAT_KEY_HOOK] = { set_hook, get_hook },
	[IFSTAT_KEY_DIRS] = { set_dirs, get_dirs },
	[IFSTAT_KEY_DURATION] = { set_duration, get_duration },
	[IFSTAT_KEY_MODE] = { set_mode, get_mode },
	[IFSTAT_KEY_EDGES] = { set_edges, get_edges },
	[IFSTAT_KEY_PATH] = { set_path, get_text },
	[IFSTAT_KEY_NAME] = { set_name, get_text },
	[IFSTAT_KEY_UINT] = { set_uint, get_uint },
	[IFSTAT_KEY_ADDRPORT] = { set_addrport, get_text },
	[IFSTAT_KEY_BOOL] = { set_bool, get_bool },
};

int ifstat_config_set(struct ifstat_config *c, unsigned int i, const char *v,
		      char *msg, size_t len)
{
	const struct ifstat_key *k = &ifstat_config_keys[i];

	return kinds[k->kind].set(k, c, v, msg, len);
}

void ifstat_config_get(const struct ifstat_config *c, unsigned int i, char *buf,
		       size_t len)
{
	const struct ifstat_key *k = &ifstat_config_keys[i];

	kinds[k->kind].get(k, c, buf, len);
}

/* ------------------------------------------------------------------ */
/* The whole configuration */

void ifstat_config_defaults(struct ifstat_config *c)
{
	char msg[160];
	unsigned int i;

	memset(c, 0, sizeof(*c));
	/* Through the setters, so a default is what the file would say. */
	for (i = 0; i < ifstat_config_nkeys; i++)
		ifstat_config_set(c, i, ifstat_config_keys[i].def, msg,
				  sizeof(msg));
}

int ifstat_config_add_filter_arg(struct ifstat_config *c, const char *arg,
				 struct ifstat_diags *errs)
{
	const char *eq = strchr(arg, '=');
	struct ifstat_filter_def *d;
	struct ifstat_diag fe;
	struct ifstat_filter f;
	char where[IFSTAT_DIAG_KEY_SHOWN + 8], name[IFSTAT_DIAG_KEY_SHOWN + 1];
	size_t n;

	if (!eq || eq == arg)
		return ifstat_diag_add(errs, "-F", 0, NULL, arg,
				       "expected NAME=FILTER");
	n = (size_t)(eq - arg);
	snprintf(name, sizeof(name), "%.*s",
		 (int)(n > IFSTAT_DIAG_KEY_SHOWN ? IFSTAT_DIAG_KEY_SHOWN : n),
		 arg);
	snprintf(where, sizeof(where), "-F %s", name);
	if (!ifstat_valid_name(arg, n, IFSTAT_NAME_MAX - 1))
		return ifstat_diag_add(errs, where, 0, "filter", name,
				       "name must be 1-%d %s",
				       IFSTAT_NAME_MAX - 1, IFSTAT_NAME_RULE);
	if (ifstat_config_find_filter(c, arg, n) >= 0)
		return ifstat_diag_add(errs, where, 0, "filter", name,
				       "name already used");
	if (c->nfilters >= IFSTAT_MAX_FILTERS) {
		ifstat_diag_add(errs, where, 0, "filter", eq + 1,
				"more than %d filters", IFSTAT_MAX_FILTERS);
		return -E2BIG;
	}
	if (ifstat_filter_parse(eq + 1, &f, &fe))
		return ifstat_diag_push(errs, &fe, where, 0);
	d = &c->filters[c->nfilters];
	memset(d, 0, sizeof(*d));
	d->filter = f;
	memcpy(d->name, arg, n);
	d->name[n] = '\0';
	c->filter_line[c->nfilters++] = 0;
	return 0;
}

int ifstat_config_find_filter(const struct ifstat_config *c, const char *name,
			      size_t n)
{
	unsigned int i;

	for (i = 0; i < c->nfilters; i++)
		if (strlen(c->filters[i].name) == n &&
		    !memcmp(c->filters[i].name, name, n))
			return (int)i;
	return -1;
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

int ifstat_config_check_tables(const struct ifstat_config *c, const char *file,
			       struct ifstat_diags *errs)
{
	struct ifstat_filter f[IFSTAT_MAX_FILTERS];
	struct ifstat_tables *t = malloc(sizeof(*t));
	char where[IFSTAT_NAME_MAX + 4];
	unsigned int i, n = c->nfilters, k;

	if (!n) {
		free(t);
		return 0;
	}
	if (!t)
		return -ENOMEM;
	for (i = 0; i < n && i < IFSTAT_MAX_FILTERS; i++)
		f[i] = c->filters[i].filter;
	k = ifstat_tables_fit(t, f, i);
	free(t);
	if (k >= i)
		return 0;
	if (!c->filter_line[k])
		snprintf(where, sizeof(where), "-F %s", c->filters[k].name);
	ifstat_diag_add(errs, c->filter_line[k] ? file : where,
			c->filter_line[k], "filter", c->filters[k].name,
			"with the filters before it, the address tries need "
			"more than %d nodes (fewer or shorter IPv6 prefixes)",
			IFSTAT_TRIE_NODES);
	return -ENOSPC;
}

/* Each key compared as the file writes it: one rule for every kind. */
bool ifstat_config_same(const struct ifstat_config *a,
			const struct ifstat_config *b)
{
	char va[IFSTAT_KEY_TEXT_MAX], vb[IFSTAT_KEY_TEXT_MAX];
	unsigned int i;

	for (i = 0; i < ifstat_config_nkeys; i++) {
		ifstat_config_get(a, i, va, sizeof(va));
		ifstat_config_get(b, i, vb, sizeof(vb));
		if (strcmp(va, vb))
			return false;
	}
	return ifstat_config_same_filters(a, b);
}

bool ifstat_config_same_filters(const struct ifstat_config *a,
				const struct ifstat_config *b)
{
	unsigned int i;

	if (a->nfilters != b->nfilters || a->nedges != b->nedges ||
	    memcmp(a->edges, b->edges, a->nedges * sizeof(a->edges[0])))
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
	char text[IFSTAT_FILTER_TEXT_MAX > IFSTAT_KEY_TEXT_MAX
			  ? IFSTAT_FILTER_TEXT_MAX
			  : IFSTAT_KEY_TEXT_MAX];
	unsigned int i, k;

	fprintf(out, "[ifstat]\n");
	for (k = 0; k < ifstat_config_nkeys; k++) {
		ifstat_config_get(c, k, text, sizeof(text));
		print_kv(out, ifstat_config_keys[k].key, text);
	}
	for (i = 0; i < c->nfilters && i < IFSTAT_MAX_FILTERS; i++) {
		const struct ifstat_filter *f = &c->filters[i].filter;

		fprintf(out, "\n[filter %s]\n", c->filters[i].name);
		if (ifstat_filter_format(f, text, sizeof(text)) >= 0)
			fprintf(out, "# %s\n", text);
		for (k = 0; k < ifstat_filter_nfields; k++) {
			if (!(f->fields & ifstat_filter_fields[k].bit) ||
			    ifstat_filter_field_format(f, k, text,
						       sizeof(text)) < 0)
				continue;
			print_kv(out, ifstat_filter_fields[k].key, text);
		}
	}
}
