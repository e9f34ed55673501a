/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The live page's files, embedded at build time (cmake/webembed.cmake
 * writes webassets.c from web/ and the fetched uPlot): the daemon needs
 * nothing on disk at run time.
 */
#ifndef IFSTATD_WEBASSETS_H
#define IFSTATD_WEBASSETS_H

#include <stddef.h>

struct ifstat_web_asset {
	const char *path; /* as requested, "/" for the page */
	const char *type; /* Content-Type */
	const char *etag; /* quoted, from the file's SHA-256 */
	const unsigned char *data;
	size_t len;
};

extern const struct ifstat_web_asset ifstat_web_assets[];
extern const unsigned int ifstat_web_nassets;

#endif
