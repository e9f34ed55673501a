// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include "lines.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

/* Room asked of each read: a whole 64-filter snapshot fits in one. */
#define READ_CHUNK (64 * 1024)

int ifstat_connect(const char *path, int *fd)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int s, err;

	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -errno;
	if (connect(s, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		err = -errno;
		close(s);
		return err;
	}
	*fd = s;
	return 0;
}

void ifstat_lines_init(struct ifstat_lines *l, size_t max)
{
	memset(l, 0, sizeof(*l));
	l->max = max;
}

void ifstat_lines_free(struct ifstat_lines *l)
{
	free(l->buf);
	ifstat_lines_init(l, l->max);
}

long ifstat_lines_fill(struct ifstat_lines *l, int fd)
{
	size_t cap;
	ssize_t n;
	char *p;

	/* Returned lines are consumed: move the unfinished one to the front. */
	if (l->start) {
		memmove(l->buf, l->buf + l->start, l->len - l->start);
		l->len -= l->start;
		l->start = 0;
	}
	if (l->cap - l->len < READ_CHUNK + 1) {
		cap = l->cap ? l->cap : READ_CHUNK + 1;
		while (cap - l->len < READ_CHUNK + 1)
			cap *= 2;
		p = realloc(l->buf, cap);
		if (!p)
			return -ENOMEM;
		l->buf = p;
		l->cap = cap;
	}
	do
		n = read(fd, l->buf + l->len, l->cap - l->len - 1);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	l->len += (size_t)n;
	return n;
}

int ifstat_lines_next(struct ifstat_lines *l, char **line, size_t *len)
{
	size_t avail = l->len - l->start;
	char *s, *nl;

	if (!l->buf)
		return 0;
	s = l->buf + l->start;
	nl = avail > l->scanned
		     ? memchr(s + l->scanned, '\n', avail - l->scanned)
		     : NULL;
	if (!nl) {
		l->scanned = avail;
		return avail > l->max ? -EMSGSIZE : 0;
	}
	*nl = '\0';
	*len = (size_t)(nl - s);
	if (*len > l->max)
		return -EMSGSIZE;
	*line = s;
	l->start += *len + 1;
	l->scanned = 0;
	return 1;
}

size_t ifstat_lines_pending(const struct ifstat_lines *l)
{
	return l->len - l->start;
}
