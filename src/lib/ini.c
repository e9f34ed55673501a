// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Reading the configuration file: libinih splits keys and values, our
 * reader feeds it lines and keeps the line numbers; sections and keys go
 * to the key tables (config.c for [ifstat], filter.c for the filters).
 * Every error of a file is collected, each with its line.
 */
#include <errno.h>
#include <fcntl.h>
#include <ini.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "text.h"

#define VALUE_SHOWN IFSTAT_DIAG_VALUE_SHOWN

enum section { SEC_NONE, SEC_IFSTAT, SEC_FILTER, SEC_BAD };

struct parser {
	const char *file;
	const char *next; /* the text not read yet */
	unsigned int line; /* of the line inih works on */
	struct ifstat_config *c;
	struct ifstat_diags *errs;
	enum section sec;
	unsigned int sec_line;
	unsigned int ifstat_line; /* first [ifstat], 0 if none yet */
	unsigned int key_line[IFSTAT_CONF_MAX_KEYS];
	bool too_many;
	/* The filter section being read: a slot of c, or scratch when the
	 * section is refused (its keys are still checked). */
	struct ifstat_filter_def *def;
	struct ifstat_filter_def scratch;
	unsigned int fkey_line[IFSTAT_FILTER_MAX_FIELDS];
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
	ifstat_diag_add(p->errs, p->file, line, key, value, "%s", what);
}

static void finish_error(struct parser *p, const struct ifstat_diag *err)
{
	int k = ifstat_filter_field_index(err->key);

	ifstat_diag_push(p->errs, err, p->file,
			 k >= 0 && p->fkey_line[k] ? p->fkey_line[k]
						   : p->sec_line);
}

/* Cross-field checks once the whole section is read. */
static void end_filter(struct parser *p)
{
	struct ifstat_diag err, more;
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
	    (strcmp(more.key, err.key) || strcmp(more.msg, err.msg)))
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
	if (!ifstat_valid_name(name, n, IFSTAT_NAME_MAX - 1)) {
		perr(p, p->line, "filter", name, "name must be 1-%d %s",
		     IFSTAT_NAME_MAX - 1, IFSTAT_NAME_RULE);
		return;
	}
	i = ifstat_config_find_filter(c, name, n);
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
	if (!strncmp(inner, "filter", 6) &&
	    (!inner[6] || ifstat_is_blank(inner[6]))) {
		inner += 6;
		while (ifstat_is_blank(*inner))
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
	for (a = s; a < end && ifstat_is_blank(*a); a++)
		;
	for (b = a; b < end; b++)
		if ((*b == '#' || *b == ';') &&
		    (b == a || ifstat_is_blank(b[-1])))
			break;
	while (b > a && ifstat_is_blank(b[-1]))
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

/*
 * A key of a section: known (index i in its table, else unknown says
 * what is expected) and not given before in the section (lines[i]).
 */
static bool take_key(struct parser *p, unsigned int *lines, int i,
		     const char *key, const char *value, const char *unknown)
{
	if (i < 0) {
		perr(p, p->line, key, value, "%s", unknown);
		return false;
	}
	if (lines[i]) {
		perr(p, p->line, key, value, "given twice, first on line %u",
		     lines[i]);
		return false;
	}
	lines[i] = p->line;
	return true;
}

static void ifstat_key(struct parser *p, const char *key, const char *value)
{
	int i = ifstat_config_key_index(key);
	char msg[160];

	if (take_key(p, p->key_line, i, key, value,
		     "unknown key in [ifstat]") &&
	    ifstat_config_set(p->c, (unsigned int)i, value, msg, sizeof(msg)))
		perr(p, p->line, key, value, "%s", msg);
}

/* "unknown key ..., expected protocol, src, ... or vlan": the filter
 * keys, in the order of their bits. */
static void filter_unknown(char *buf, size_t len)
{
	unsigned int bit, i, n = 0;
	size_t pos;

	pos = (size_t)snprintf(buf, len, "unknown key in a filter, expected ");
	for (bit = 1; bit && pos < len; bit <<= 1) {
		for (i = 0; i < ifstat_filter_nfields && pos < len; i++) {
			if (ifstat_filter_fields[i].bit != bit)
				continue;
			n++;
			pos += (size_t)snprintf(buf + pos, len - pos, "%s%s",
						n == 1 ? ""
						: n == ifstat_filter_nfields
							? " or "
							: ", ",
						ifstat_filter_fields[i].key);
		}
	}
}

static void filter_key(struct parser *p, const char *key, const char *value)
{
	struct ifstat_diag err;
	int i = ifstat_filter_field_index(key);
	char unknown[160];

	if (i < 0)
		filter_unknown(unknown, sizeof(unknown));
	if (take_key(p, p->fkey_line, i, key, value, unknown) &&
	    ifstat_filter_set(&p->def->filter, key, value, &err))
		ifstat_diag_push(p->errs, &err, p->file, p->line);
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

int ifstat_config_parse(const char *name, const char *text,
			struct ifstat_config *out, struct ifstat_diags *errs)
{
	struct ifstat_diags *dummy = NULL;
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
	ifstat_diags_sort(errs);
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

	struct stat st;

	/* O_NONBLOCK: opening a FIFO would wait for a writer, and with it
	 * the daemon's loop or --check-config; only a regular file is read. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st))
		ret = -errno;
	else if (S_ISDIR(st.st_mode))
		ret = -EISDIR;
	else if (!S_ISREG(st.st_mode))
		ret = -EINVAL; /* FIFO, device, socket */
	if (ret) {
		close(fd);
		return ret;
	}
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
		       struct ifstat_diags *errs)
{
	char *text = NULL;
	int ret;

	ret = read_file(path, &text);
	if (ret) {
		if (errs) {
			ifstat_diags_init(errs);
			ifstat_diag_add(errs, path, 0, NULL, NULL,
					"cannot read: %s",
					ret == -EILSEQ ? "not a text file (NUL "
							 "byte)"
					: ret == -EINVAL ? "not a regular file"
							 : strerror(-ret));
		}
		return ret;
	}
	ret = ifstat_config_parse(path, text, out, errs);
	free(text);
	return ret;
}
