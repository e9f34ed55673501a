// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The local socket publisher: a unix stream socket that sends each client
 * the current snapshot at once, then one JSON line per interval. The
 * daemon never waits on a client: a line that a client's socket buffer
 * cannot take is kept until the client can read it, and a client still
 * behind when the next line comes is disconnected. The directory is made
 * if missing, a stale socket file (nobody listens) is replaced, and the
 * socket gets mode 0660 and socket_group.
 */
#define _GNU_SOURCE /* accept4, struct ucred */
#include "publisher.h"

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

#include "log.h"
#include "mkdirs.h"

struct client {
	struct ifstat_watch w; /* first: the watch's ctx is the socket */
	struct server *s;
	pid_t pid;
	char *pending; /* the unsent rest of the last line */
	size_t pending_len, pending_off;
	bool said_garbage;
};

/* One listening socket and its clients; a new path is a new server. */
struct server {
	struct ifstat_host *h;
	struct ifstat_watch listen;
	char path[sizeof(((struct ifstat_config *)0)->socket)];
	char group[sizeof(((struct ifstat_config *)0)->socket_group)];
	unsigned int max, n, cap;
	struct client **clients;
	time_t refused_logged; /* one log line a second when refusing */
	unsigned long refused;
};

static void drop(struct client *c, const char *why)
{
	struct server *s = c->s;
	unsigned int i;

	if (why)
		log_warn("socket client (pid %d) disconnected: %s", (int)c->pid,
			 why);
	ifstat_loop_del(s->h->loop, &c->w);
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
	return ifstat_loop_mod(c->s->h->loop, &c->w, EPOLLIN | EPOLLOUT);
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
	ifstat_loop_mod(c->s->h->loop, &c->w, EPOLLIN);
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

static void refuse(struct server *s, int fd)
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

static void welcome(struct server *s, int fd)
{
	struct client *c = calloc(1, sizeof(*c));
	struct ucred cred;
	socklen_t len = sizeof(cred);
	const struct ifstat_buf *line;
	const struct ifstat_view *v;
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
	if (ifstat_loop_add(s->h->loop, &c->w, EPOLLIN)) {
		close(fd);
		free(c);
		return;
	}
	s->clients[s->n++] = c;
	log_debug("socket client (pid %d) connected, %u now", (int)c->pid,
		  s->n);
	/* The current counters at once, not the last interval's. */
	ret = s->h->ops->read(s->h, &v);
	if (!ret)
		ret = s->h->ops->line(s->h, &line);
	if (!ret)
		ret = push(c, line->data, line->len);
	if (ret)
		drop(c, ret == -EPIPE || ret == -ECONNRESET ? NULL
							    : strerror(-ret));
}

static void on_listen(struct ifstat_watch *w, uint32_t events)
{
	struct server *s = w->ctx;
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

static void publish_line(struct server *s, const char *line, size_t len)
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

/* The socket's directory, made if missing. */
static int make_dir(const char *path)
{
	char dir[sizeof(((struct server *)0)->path)], *slash;

	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return 0;
	*slash = '\0';
	return ifstat_mkdirs(dir, 0755);
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

static int listen_on(struct server *s, const char *group)
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

static void server_stop(struct server *s)
{
	if (!s)
		return;
	while (s->n)
		drop(s->clients[0], NULL);
	if (s->listen.fd >= 0) {
		ifstat_loop_del(s->h->loop, &s->listen);
		close(s->listen.fd);
		unlink(s->path);
	}
	free(s->clients);
	free(s);
}

static int server_start(struct ifstat_host *h, const struct ifstat_config *c,
			struct server **out)
{
	struct server *s = calloc(1, sizeof(*s));
	int ret;

	if (!s)
		return -ENOMEM;
	s->h = h;
	s->max = c->max_clients;
	s->listen.fd = -1;
	s->listen.cb = on_listen;
	s->listen.ctx = s;
	snprintf(s->path, sizeof(s->path), "%s", c->socket);
	snprintf(s->group, sizeof(s->group), "%s", c->socket_group);
	s->cap = s->max ? s->max : 1;
	s->clients = calloc(s->cap, sizeof(*s->clients));
	ret = s->clients ? listen_on(s, s->group) : -ENOMEM;
	if (!ret)
		ret = ifstat_loop_add(h->loop, &s->listen, EPOLLIN);
	if (ret) {
		server_stop(s);
		return ret;
	}
	log_info("socket: %s (up to %u clients)", s->path, s->max);
	*out = s;
	return 0;
}

/* New group or limit on the same path; the clients stay. */
static int server_update(struct server *s, const char *group,
			 unsigned int max_clients)
{
	struct client **cl;
	int ret = set_group(s->path, group);

	if (ret)
		return ret;
	snprintf(s->group, sizeof(s->group), "%s", group);
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

/* The publisher: the server of the running settings. */
struct sockpub {
	struct ifstat_publisher pub;
	struct server *s;
};

/* socket, socket_group and max_clients are ours. */
static int sockpub_apply(struct ifstat_publisher *pub, struct ifstat_config *c,
			 struct ifstat_diags *errs)
{
	struct sockpub *p = (struct sockpub *)pub;
	struct server *s = p->s, *n = NULL;
	int ret;

	if (s && !strcmp(s->path, c->socket)) {
		if (!strcmp(s->group, c->socket_group) &&
		    s->max == c->max_clients)
			return 0;
		ret = server_update(s, c->socket_group, c->max_clients);
	} else {
		ret = server_start(pub->host, c, &n);
		if (!ret) {
			server_stop(s);
			p->s = n;
		}
	}
	if (!ret || !s)
		return ret;
	snprintf(c->socket, sizeof(c->socket), "%s", s->path);
	snprintf(c->socket_group, sizeof(c->socket_group), "%s", s->group);
	c->max_clients = s->max;
	ifstat_diag_add(errs, "reload", 0, "socket", NULL,
			"%s; the filters were replaced, socket keeps its old "
			"settings",
			strerror(-ret));
	return ret;
}

static bool sockpub_listening(const struct ifstat_publisher *pub)
{
	const struct sockpub *p = (const struct sockpub *)pub;

	return p->s && p->s->n;
}

static void sockpub_publish(struct ifstat_publisher *pub,
			    const struct ifstat_view *v)
{
	struct sockpub *p = (struct sockpub *)pub;
	const struct ifstat_buf *line;

	(void)v; /* the host's line is this reading */
	if (!sockpub_listening(pub) || pub->host->ops->line(pub->host, &line))
		return;
	publish_line(p->s, line->data, line->len);
}

static void sockpub_stop(struct ifstat_publisher *pub)
{
	struct sockpub *p = (struct sockpub *)pub;

	server_stop(p->s);
}

const struct ifstat_publisher_ops ifstat_sockpub_ops = {
	.name = "socket",
	.size = sizeof(struct sockpub),
	.apply = sockpub_apply,
	.listening = sockpub_listening,
	.publish = sockpub_publish,
	.stop = sockpub_stop,
};
