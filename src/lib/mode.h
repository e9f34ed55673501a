/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* XDP attach modes by name; no libbpf here, so the parsers stay free of it. */
#ifndef IFSTAT_MODE_H
#define IFSTAT_MODE_H

enum ifstat_mode {
	IFSTAT_MODE_AUTO, /* native, else generic with a warning */
	IFSTAT_MODE_NATIVE,
	IFSTAT_MODE_GENERIC,
};

const char *ifstat_mode_name(enum ifstat_mode mode);
/* 0, or -EINVAL when s is not auto, native or generic. */
int ifstat_mode_parse(const char *s, enum ifstat_mode *mode);

#endif
