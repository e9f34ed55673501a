// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#define _GNU_SOURCE /* accept4, struct ucred */
#include "sockpub.h"

#include <errno.h>
#include <grp.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "daemon.h"
#include "log.h"

struct client {
	struct ifstat_watch w; /* first: the watch's ctx is the socket */
	struct ifstat_sockpub *s;
	pid_t pid;
	char *pending; /* the unsent rest of the last line */
	size_t pending_len, pending_off;
	bool said_garbage;
};

struct ifstat_sockpub {
	struct ifstatd *d;
	struct ifstat_watch listen;
	char path[108];
	unsigned int max, n, cap;
	struct client **clients;
	time_t refused_logged; /* one log line a second when refusing */
	unsigned long refused;
};

unsigned int ifstat_sockpub_clients(const struct ifstat_sockpub *s)
{
	return s ? s->n : 0;
}

static void drop(struct client *c, const char *why)
{
	struct ifstat_sockpub *s = c->s;
	unsigned int i;

	if (why)
		log_warn("socket client (pid %d) disconnected: %s", (int)c->pid,
			 why);
	ifstat_loop_del(s->d->loop, &c->w);
	close(c->w.fd);
	for (i = 0; i < s->n; i++) {
		if (s->clients[i] == c) {
			s->clients[i] = s->clients[--s->n];
			break;
		}
	}
	free(c->pending);
	free(c);
}

/* Sends what the socket buffer takes; keeps the rest. 0, or -errno when
 * the client is gone. */
static int push(struct client *c, const char *data, size_t len)
{
	ssize_t n = send(c->w.fd, data, len, MSG_DONTWAIT | MSG_NOSIGNAL);

	if (n < 0 && errno != EAGAIN)
		return -errno;
	if (n < 0)
		n = 0;
	if ((size_t)n == len)
		return 0;
	c->pending = malloc(len - (size_t)n);
	if (!c->pending)
		return -ENOMEM;
	memcpy(c->pending, data + n, len - (size_t)n);
	c->pending_len = len - (size_t)n;
	c->pending_off = 0;
	return ifstat_loop_mod(c->s->d->loop, &c->w, EPOLLIN | EPOLLOUT);
}

static void flush_pending(struct client *c)
{
	ssize_t n = send(c->w.fd, c->pending + c->pending_off,
			 c->pending_len - c->pending_off,
			 MSG_DONTWAIT | MSG_NOSIGNAL);

	if (n < 0 && errno == EAGAIN)
		return;
	if (n < 0) {
		drop(c, NULL);
		return;
	}
	c->pending_off += (size_t)n;
	if (c->pending_off < c->pending_len)
		return;
	free(c->pending);
	c->pending = NULL;
	ifstat_loop_mod(c->s->d->loop, &c->w, EPOLLIN);
}

static void on_client(struct ifstat_watch *w, uint32_t events)
{
	struct client *c = (struct client *)w;
	char junk[512];
	ssize_t n;

	if (events & EPOLLIN) {
		/* Clients have nothing to say; what they send is read and
		 * dropped so that it cannot fill the socket. */
		n = recv(w->fd, junk, sizeof(junk), MSG_DONTWAIT);
		if (n == 0 || (n < 0 && errno != EAGAIN)) {
			log_debug("socket client (pid %d) left", (int)c->pid);
			drop(c, NULL);
			return;
		}
		if (n > 0 && !c->said_garbage) {
			c->said_garbage = true;
			log_info("socket client (pid %d) sends data; ignored",
				 (int)c->pid);
		}
	}
	if (events & (EPOLLHUP | EPOLLERR)) {
		drop(c, NULL);
		return;
	}
	if ((events & EPOLLOUT) && c->pending)
		flush_pending(c);
}

static void refuse(struct ifstat_sockpub *s, int fd)
{
	time_t now = time(NULL);

	close(fd);
	s->refused++;
	if (now == s->refused_logged)
		return;
	log_warn("socket: refused %lu client(s): limit of %u reached",
		 s->refused, s->max);
	s->refused_logged = now;
	s->refused = 0;
}

static void welcome(struct ifstat_sockpub *s, int fd)
{
	struct client *c = calloc(1, sizeof(*c));
	struct ucred cred;
	socklen_t len = sizeof(cred);
	struct ifstat_buf line;
	struct ifstat_view v;
	int ret;

	if (!c) {
		close(fd);
		return;
	}
	c->s = s;
	c->w.fd = fd;
	c->w.cb = on_client;
	c->w.ctx = c;
	c->pid = getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len)
			 ? -1
			 : cred.pid;
	if (ifstat_loop_add(s->d->loop, &c->w, EPOLLIN)) {
		close(fd);
		free(c);
		return;
	}
	s->clients[s->n++] = c;
	log_debug("socket client (pid %d) connected, %u now", (int)c->pid,
		  s->n);
	/* The current counters at once, not the last interval's. */
	ifstat_buf_init(&line);
	ret = ifstatd_view(s->d, &v);
	if (!ret) {
		ifstat_json_snapshot(&line, &v, -1);
		ret = line.err ? line.err : push(c, line.data, line.len);
	}
	ifstat_buf_free(&line);
	if (ret)
		drop(c, ret == -EPIPE || ret == -ECONNRESET ? NULL
							    : strerror(-ret));
}

static void on_listen(struct ifstat_watch *w, uint32_t events)
{
	struct ifstat_sockpub *s = w->ctx;
	int i, fd;

	(void)events;
	/* A bounded batch, so a connection storm cannot starve the tick. */
	for (i = 0; i < 64; i++) {
		fd = accept4(w->fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
		if (fd < 0) {
			if (errno != EAGAIN && errno != EINTR &&
			    errno != ECONNABORTED)
				log_warn("socket: accept: %s", strerror(errno));
			return;
		}
		if (s->n >= s->max || s->n >= s->cap)
			refuse(s, fd);
		else
			welcome(s, fd);
	}
}

void ifstat_sockpub_publish(struct ifstat_sockpub *s, const char *line,
			    size_t len)
{
	unsigned int i = 0;
	int ret;

	while (i < s->n) {
		struct client *c = s->clients[i];

		if (c->pending) {
			drop(c, "too slow (did not read the last snapshot "
				"before the next)");
			continue; /* drop moved another client to i */
		}
		ret = push(c, line, len);
		if (ret) {
			drop(c, ret == -EPIPE || ret == -ECONNRESET
					? NULL
					: strerror(-ret));
			continue;
		}
		i++;
	}
}

static int make_dir(const char *path)
{
	char dir[108], *slash;

	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return 0;
	*slash = '\0';
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0755) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(dir, 0755) && errno != EEXIST)
		return -errno;
	return 0;
}

/* A socket file left by a daemon that died is replaced; one where a
 * daemon listens, or a file that is not a socket, is an error. */
static int clear_path(const struct sockaddr_un *sa)
{
	struct stat st;
	int fd, ret;

	if (lstat(sa->sun_path, &st))
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISSOCK(st.st_mode)) {
		log_err("socket: %s exists and is not a socket", sa->sun_path);
		return -EEXIST;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	ret = connect(fd, (const struct sockaddr *)sa, sizeof(*sa));
	close(fd);
	if (!ret) {
		log_err("socket: %s is in use by another process (another "
			"ifstatd?)",
			sa->sun_path);
		return -EADDRINUSE;
	}
	log_info("socket: replacing the stale %s", sa->sun_path);
	return unlink(sa->sun_path) ? -errno : 0;
}

static int set_group(const char *path, const char *group)
{
	struct group *g;

	if (!group || !*group) /* the daemon's own, also after a reload */
		return chown(path, (uid_t)-1, getegid()) ? -errno : 0;
	g = getgrnam(group);
	if (!g) {
		log_err("socket_group: no such group ('%s')", group);
		return -ENOENT;
	}
	return chown(path, (uid_t)-1, g->gr_gid) ? -errno : 0;
}

static int listen_on(struct ifstat_sockpub *s, const char *group)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd, ret;

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", s->path);
	ret = make_dir(s->path);
	if (ret) {
		log_err("socket: cannot create the directory of %s: %s",
			s->path, strerror(-ret));
		return ret;
	}
	ret = clear_path(&sa);
	if (ret)
		return ret;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		ret = -errno;
		log_err("socket: cannot bind %s: %s", s->path, strerror(errno));
		close(fd);
		return ret;
	}
	/* chmod, not umask: the rest of the daemon keeps its own umask. */
	ret = chmod(s->path, 0660) ? -errno : set_group(s->path, group);
	if (!ret && listen(fd, 128))
		ret = -errno;
	if (ret) {
		if (ret != -ENOENT)
			log_err("socket: %s: %s", s->path, strerror(-ret));
		close(fd);
		unlink(s->path);
		return ret;
	}
	s->listen.fd = fd;
	return 0;
}

int ifstat_sockpub_start(struct ifstatd *d, const char *path, const char *group,
			 unsigned int max_clients, struct ifstat_sockpub **out)
{
	struct ifstat_sockpub *s = calloc(1, sizeof(*s));
	int ret;

	if (!s)
		return -ENOMEM;
	s->d = d;
	s->max = max_clients;
	s->listen.fd = -1;
	s->listen.cb = on_listen;
	s->listen.ctx = s;
	snprintf(s->path, sizeof(s->path), "%s", path);
	s->cap = max_clients ? max_clients : 1;
	s->clients = calloc(s->cap, sizeof(*s->clients));
	ret = s->clients ? listen_on(s, group) : -ENOMEM;
	if (!ret)
		ret = ifstat_loop_add(d->loop, &s->listen, EPOLLIN);
	if (ret) {
		ifstat_sockpub_stop(s);
		return ret;
	}
	log_info("socket: %s (up to %u clients)", path, max_clients);
	*out = s;
	return 0;
}

int ifstat_sockpub_update(struct ifstat_sockpub *s, const char *group,
			  unsigned int max_clients)
{
	struct client **cl;
	int ret = set_group(s->path, group);

	if (ret)
		return ret;
	/* Clients beyond a lowered limit stay (the array never shrinks);
	 * only new ones are refused. */
	if (max_clients > s->cap) {
		cl = realloc(s->clients, max_clients * sizeof(*cl));
		if (!cl)
			return -ENOMEM;
		s->clients = cl;
		s->cap = max_clients;
	}
	s->max = max_clients;
	return 0;
}

void ifstat_sockpub_stop(struct ifstat_sockpub *s)
{
	if (!s)
		return;
	while (s->n)
		drop(s->clients[0], NULL);
	if (s->listen.fd >= 0) {
		ifstat_loop_del(s->d->loop, &s->listen);
		close(s->listen.fd);
		unlink(s->path);
	}
	free(s->clients);
	free(s);
}
