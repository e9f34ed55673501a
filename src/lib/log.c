// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <syslog.h>

static const char *log_ident = "ifstat";
static bool log_syslog;
static int log_verbosity;

void ifstat_log_init(const char *ident, bool use_syslog, int verbosity)
{
	log_ident = ident;
	log_syslog = use_syslog;
	log_verbosity = verbosity;
	if (use_syslog)
		openlog(ident, LOG_PID, LOG_DAEMON);
}

int ifstat_log_verbosity(void)
{
	return log_verbosity;
}

bool ifstat_log_syslog(void)
{
	return log_syslog;
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
