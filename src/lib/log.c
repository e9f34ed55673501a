// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include "log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>

#include "buf.h"

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

static void emit(enum ifstat_log_level level, bool prefix, const char *line)
{
	if (log_syslog) {
		syslog((int)level, "%s", line);
		return;
	}
	if (prefix)
		fprintf(stderr, "%s: ", log_ident);
	fprintf(stderr, "%s\n", line);
}

/*
 * A message is written line by line with its control characters and
 * invalid UTF-8 shown as \xNN: what it quotes (a value from the file, an
 * interface name, a peer's request) can forge neither a log line nor a
 * terminal's escape sequence.
 */
static void vlog(enum ifstat_log_level level, bool prefix, const char *fmt,
		 va_list ap)
{
	struct ifstat_buf msg, line;
	int saved = errno; /* callers return -errno after logging */
	char *p, *nl;

	if (level == IFSTAT_LOG_DEBUG && log_verbosity < 1)
		return;
	ifstat_buf_init(&msg);
	ifstat_buf_init(&line);
	ifstat_buf_vprintf(&msg, fmt, ap);
	if (msg.err || !msg.data) {
		emit(level, prefix, msg.err ? "(out of memory)" : "");
		goto out;
	}
	for (p = msg.data;; p = nl + 1) {
		nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		if (*p || (!nl && p == msg.data)) {
			ifstat_buf_reset(&line);
			ifstat_buf_visible(&line, p);
			emit(level, prefix,
			     line.err	 ? "(out of memory)"
			     : line.data ? line.data
					 : "");
		}
		if (!nl || !nl[1])
			break;
	}
out:
	ifstat_buf_free(&msg);
	ifstat_buf_free(&line);
	errno = saved;
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
