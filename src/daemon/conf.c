// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * ifstatd's configuration: the file (or the default one, if it exists),
 * then -i and -F over it; every error collected, none printed here.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon.h"
#include "log.h"

void ifstatd_log_diags(const struct ifstat_diags *l)
{
	struct ifstat_buf b;
	const char *p;

	ifstat_buf_init(&b);
	ifstat_diags_write(&b, l);
	for (p = b.err ? NULL : b.data; p && *p;) {
		size_t n = strcspn(p, "\n");

		ifstat_log_plain(IFSTAT_LOG_ERR, "%.*s", (int)n, p);
		p += n + (p[n] == '\n');
	}
	ifstat_buf_free(&b);
}

int ifstatd_build_config(const struct ifstatd_args *a,
			 struct ifstat_config *out, struct ifstat_diags *errs)
{
	struct ifstat_config *c = calloc(1, sizeof(*c));
	const char *path = a->config;
	const char *name = "command line";
	char msg[160];
	unsigned int i;
	int ret = 0;

	if (!c)
		return -ENOMEM;
	ifstat_diags_init(errs);
	ifstat_config_defaults(c);
	if (!path && !access(IFSTAT_CONF_DEFAULT, F_OK))
		path = IFSTAT_CONF_DEFAULT;
	if (path) {
		name = path;
		ret = ifstat_config_load(path, c, errs);
		if (ret)
			goto out;
	}
	/* The file's rule for the key, so that -i takes what it takes;
	 * given at all, the -i list replaces the file's. */
	if (a->nifnames) {
		char list[IFSTAT_KEY_TEXT_MAX] = "";
		size_t pos = 0;

		for (i = 0; i < a->nifnames; i++) {
			if (strchr(a->ifnames[i], ' ') ||
			    strchr(a->ifnames[i], '\t')) {
				ret = ifstat_diag_add(errs, "-i", 0, NULL,
						      a->ifnames[i],
						      "not an interface name "
						      "(no blanks)");
				goto out;
			}
			pos += (size_t)snprintf(list + pos, sizeof(list) - pos,
						"%s%s", i ? " " : "",
						a->ifnames[i]);
			if (pos >= sizeof(list))
				break;
		}
		if (ifstat_config_set(
			    c,
			    (unsigned int)ifstat_config_key_index("interface"),
			    list, msg, sizeof(msg))) {
			ret = ifstat_diag_add(errs, "-i", 0, NULL, list, "%s",
					      msg);
			goto out;
		}
	}
	for (i = 0; i < a->nfilters; i++)
		if (ifstat_config_add_filter_arg(c, a->filters[i], errs))
			ret = -EINVAL;
	/* Here, not in the library: -i is ifstatd's. */
	if (!c->ninterfaces)
		ret = ifstat_diag_add(errs, name, 0, "interface", "",
				      "no interface given (set 'interface =' "
				      "or use -i)");
	if (!ret)
		ret = ifstat_config_check_tables(c, name, errs);
	if (!ret)
		ret = ifstatd_fd_budget(c, !a->check_only, name, errs);
	if (!ret) {
		ifstat_config_finish(c);
		*out = *c;
	}
out:
	free(c);
	return ret;
}
