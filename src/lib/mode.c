// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include "mode.h"

#include <errno.h>
#include <string.h>

#define NAMES(a) (sizeof(a) / sizeof((a)[0]))

static const char *const modes[] = {
	[IFSTAT_MODE_AUTO] = "auto",
	[IFSTAT_MODE_NATIVE] = "native",
	[IFSTAT_MODE_GENERIC] = "generic",
};

static const char *const hooks[] = {
	[IFSTAT_HOOK_AUTO] = "auto",
	[IFSTAT_HOOK_XDP] = "xdp",
	[IFSTAT_HOOK_TC] = "tc",
};

static const char *const dirsets[] = {
	[IFSTAT_DIRS_INGRESS] = "ingress",
	[IFSTAT_DIRS_EGRESS] = "egress",
	[IFSTAT_DIRS_BOTH] = "both",
};

static int parse(const char *const *t, unsigned int n, const char *s,
		 unsigned int *v)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (t[i] && !strcmp(s, t[i])) {
			*v = i;
			return 0;
		}
	}
	return -EINVAL;
}

const char *ifstat_mode_name(enum ifstat_mode mode)
{
	return (unsigned int)mode < NAMES(modes) ? modes[mode] : "auto";
}

int ifstat_mode_parse(const char *s, enum ifstat_mode *mode)
{
	unsigned int v;
	int ret = parse(modes, NAMES(modes), s, &v);

	if (!ret)
		*mode = (enum ifstat_mode)v;
	return ret;
}

const char *ifstat_hook_name(enum ifstat_hook hook)
{
	return (unsigned int)hook < NAMES(hooks) ? hooks[hook] : "auto";
}

int ifstat_hook_parse(const char *s, enum ifstat_hook *hook)
{
	unsigned int v;
	int ret = parse(hooks, NAMES(hooks), s, &v);

	if (!ret)
		*hook = (enum ifstat_hook)v;
	return ret;
}

const char *ifstat_dirs_name(enum ifstat_dirs dirs)
{
	return (unsigned int)dirs < NAMES(dirsets) && dirsets[dirs]
		       ? dirsets[dirs]
		       : "ingress";
}

int ifstat_dirs_parse(const char *s, enum ifstat_dirs *dirs)
{
	unsigned int v;
	int ret = parse(dirsets, NAMES(dirsets), s, &v);

	if (!ret)
		*dirs = (enum ifstat_dirs)v;
	return ret;
}

const char *ifstat_dir_name(unsigned int dir)
{
	return dir ? "egress" : "ingress";
}
