// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <syslog.h>

#include <bpf/libbpf.h>
#include <xdp/libxdp.h>

static const char *log_ident = "ifstat";
static bool log_syslog;
static int log_verbosity;

static int libbpf_print(enum libbpf_print_level level, const char *fmt,
			va_list ap)
{
	if (log_verbosity < 2 && level != LIBBPF_WARN)
		return 0;
	if (log_verbosity < 1)
		return 0; /* libbpf warnings are repeated by our own message */
	if (log_syslog) {
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
	if (log_verbosity < 1 && level != LIBXDP_WARN)
		return 0;
	if (log_syslog) {
		vsyslog(LOG_DEBUG, fmt, ap);
		return 0;
	}
	return vfprintf(stderr, fmt, ap);
}

void ifstat_log_init(const char *ident, bool use_syslog, int verbosity)
{
	log_ident = ident;
	log_syslog = use_syslog;
	log_verbosity = verbosity;
	if (use_syslog)
		openlog(ident, LOG_PID, LOG_DAEMON);
	libbpf_set_print(libbpf_print);
	libxdp_set_print(libxdp_print);
}

int ifstat_log_verbosity(void)
{
	return log_verbosity;
}

static void vlog(enum ifstat_log_level level, bool prefix, const char *fmt,
		 va_list ap)
{
	if (level == IFSTAT_LOG_DEBUG && log_verbosity < 1)
		return;
	if (log_syslog) {
		vsyslog((int)level, fmt, ap);
		return;
	}
	if (prefix)
		fprintf(stderr, "%s: ", log_ident);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void ifstat_log(enum ifstat_log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(level, true, fmt, ap);
	va_end(ap);
}

void ifstat_log_plain(enum ifstat_log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(level, false, fmt, ap);
	va_end(ap);
}
