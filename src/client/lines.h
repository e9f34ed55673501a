/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The client's end of ifstatd's socket: connect, and split the byte
 * stream into lines whatever the reads cut (a snapshot of 64 filters is
 * about 20 KB, more than one read may bring).
 */
#ifndef IFSTAT_LINES_H
#define IFSTAT_LINES_H

#include <stddef.h>

/* Longest line accepted; anything longer is a broken peer, not data. */
#define IFSTAT_LINE_MAX (1024 * 1024)

struct ifstat_lines {
	char *buf;
	size_t start; /* first byte not yet returned as a line */
	size_t scanned; /* bytes from start known to hold no '\n' */
	size_t len, cap;
	size_t max; /* longest line, '\n' not included */
};

/* Connects a stream socket to path; *fd on success. */
int ifstat_connect(const char *path, int *fd);

void ifstat_lines_init(struct ifstat_lines *l, size_t max);
void ifstat_lines_free(struct ifstat_lines *l);

/*
 * One read(2) from fd into the buffer. Returns the number of bytes read,
 * 0 at end of stream, or -errno. Lines returned by ifstat_lines_next()
 * before this call are no longer valid after it.
 */
long ifstat_lines_fill(struct ifstat_lines *l, int fd);

/*
 * The next complete line, NUL-terminated, without its '\n': returns 1
 * and sets *line and *len, 0 when no complete line is buffered, or
 * -EMSGSIZE when the buffered part of a line is already longer than max.
 */
int ifstat_lines_next(struct ifstat_lines *l, char **line, size_t *len);

/* Bytes of an unfinished line still buffered (what EOF cut off). */
size_t ifstat_lines_pending(const struct ifstat_lines *l);

#endif
