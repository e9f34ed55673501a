// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * libbpf's and libxdp's own messages, through ifstat's log. Apart from
 * log.c so that what does not load BPF programs does not link libbpf.
 */
#include <stdarg.h>
#include <stdio.h>
#include <syslog.h>

#include <bpf/libbpf.h>
#include <xdp/libxdp.h>

#include "log.h"

static int libbpf_print(enum libbpf_print_level level, const char *fmt,
			va_list ap)
{
	if (ifstat_log_verbosity() < 2 && level != LIBBPF_WARN)
		return 0;
	if (ifstat_log_verbosity() < 1)
		return 0; /* libbpf warnings are repeated by our own message */
	if (ifstat_log_syslog()) {
		vsyslog(LOG_DEBUG, fmt, ap);
		return 0;
	}
	return vfprintf(stderr, fmt, ap);
}

static int libxdp_print(enum libxdp_print_level level, const char *fmt,
			va_list ap)
{
	/* libxdp explains its dispatcher fallback at info level; that is
	 * detail, our own message says what was attached. */
	if (ifstat_log_verbosity() < 1 && level != LIBXDP_WARN)
		return 0;
	if (ifstat_log_syslog()) {
		vsyslog(LOG_DEBUG, fmt, ap);
		return 0;
	}
	return vfprintf(stderr, fmt, ap);
}

void ifstat_log_bpf_init(void)
{
	libbpf_set_print(libbpf_print);
	libxdp_set_print(libxdp_print);
}
