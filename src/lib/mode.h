/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* XDP attach modes by name; no libbpf here, so the parsers stay free of it. */
#ifndef IFSTAT_MODE_H
#define IFSTAT_MODE_H

enum ifstat_mode {
	IFSTAT_MODE_AUTO, /* native, else generic with a warning */
	IFSTAT_MODE_NATIVE,
	IFSTAT_MODE_GENERIC,
};

/* Where the ingress count runs (egress always runs at tc). */
enum ifstat_hook {
	IFSTAT_HOOK_AUTO, /* native XDP where the driver has it, else tc */
	IFSTAT_HOOK_XDP,
	IFSTAT_HOOK_TC,
};

/* Which directions are counted: bits 1 << enum ifstat_dir. */
enum ifstat_dirs {
	IFSTAT_DIRS_INGRESS = 1,
	IFSTAT_DIRS_EGRESS = 2,
	IFSTAT_DIRS_BOTH = 3,
};

const char *ifstat_mode_name(enum ifstat_mode mode);
/* 0, or -EINVAL when s is not auto, native or generic. */
int ifstat_mode_parse(const char *s, enum ifstat_mode *mode);
const char *ifstat_hook_name(enum ifstat_hook hook);
int ifstat_hook_parse(const char *s, enum ifstat_hook *hook);
const char *ifstat_dirs_name(enum ifstat_dirs dirs);
int ifstat_dirs_parse(const char *s, enum ifstat_dirs *dirs);
/* "ingress", "egress" (enum ifstat_dir). */
const char *ifstat_dir_name(unsigned int dir);

#endif
