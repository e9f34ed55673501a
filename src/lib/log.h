/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* One place for messages: stderr in the foreground, syslog as a service. */
#ifndef IFSTAT_LOG_H
#define IFSTAT_LOG_H

#include <stdbool.h>

enum ifstat_log_level {
	IFSTAT_LOG_ERR = 3,
	IFSTAT_LOG_WARN = 4,
	IFSTAT_LOG_INFO = 6,
	IFSTAT_LOG_DEBUG = 7,
};

/* verbosity 0 shows errors, warnings and info; 1 adds debug; 2 adds
 * libbpf's own messages (ifstat_log_bpf_init). */
void ifstat_log_init(const char *ident, bool use_syslog, int verbosity);
int ifstat_log_verbosity(void);
bool ifstat_log_syslog(void);

/* Routes libbpf's and libxdp's messages here, by the verbosity above
 * (log_bpf.c, in the engine library). */
void ifstat_log_bpf_init(void);
void ifstat_log(enum ifstat_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* As ifstat_log, without the "ident: " prefix on stderr: for messages
 * that carry their own location, such as "FILE:LINE: key: ...". */
void ifstat_log_plain(enum ifstat_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define log_err(...) ifstat_log(IFSTAT_LOG_ERR, __VA_ARGS__)
#define log_warn(...) ifstat_log(IFSTAT_LOG_WARN, __VA_ARGS__)
#define log_info(...) ifstat_log(IFSTAT_LOG_INFO, __VA_ARGS__)
#define log_debug(...) ifstat_log(IFSTAT_LOG_DEBUG, __VA_ARGS__)

#endif
