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
#include <fcntl.h>
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
#include "safedir.h"

struct client {
	struct ifstat_watch w; /* first: the watch's ctx is the socket */
	struct server *s;
	pid_t pid;
	char *pending; /* the unsent rest of the last line */
	size_t pending_len, pending_off;
	bool said_garbage;
	bool half_closed; /* sent EOF: no more EPOLLIN */
};

/* One listening socket and its clients; a new path is a new server. */
struct server {
	struct ifstat_host *h;
	struct ifstat_watch listen;
	char path[sizeof(((struct ifstat_config *)0)->socket)];
	char name[sizeof(((struct ifstat_config *)0)->socket)]; /* in dirfd */
	int dirfd; /* the socket's directory, checked once (open_dir) */
	ino_t ino; /* the socket bind made */
	dev_t dev;
	bool bound;
	char group[sizeof(((struct ifstat_config *)0)->socket_group)];
	unsigned int max, n, cap;
	struct client **clients;
	time_t refused_logged; /* one log line a second when refusing */
	unsigned long refused;
	time_t shed_logged; /* the same, out of descriptors */
	unsigned long shed;
	bool paused; /* out of descriptors and no reserve: until one leaves */
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
	if (s->paused && !ifstat_loop_mod(s->h->loop, &s->listen, EPOLLIN))
		s->paused = false;
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
	return ifstat_loop_mod(c->s->h->loop, &c->w,
			       c->half_closed ? EPOLLOUT : EPOLLIN | EPOLLOUT);
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
	ifstat_loop_mod(c->s->h->loop, &c->w, c->half_closed ? 0 : EPOLLIN);
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
		if (n < 0 && errno != EAGAIN) {
			log_debug("socket client (pid %d) left", (int)c->pid);
			drop(c, NULL);
			return;
		}
		/* EOF is a client done sending (shutdown(SHUT_WR)), still
		 * reading: it keeps its lines; a closed one fails the next
		 * send. */
		if (n == 0) {
			log_debug("socket client (pid %d) half-closed",
				  (int)c->pid);
			c->half_closed = true;
			ifstat_loop_mod(c->s->h->loop, &c->w,
					c->pending ? EPOLLOUT : 0);
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

/*
 * Out of descriptors (EMFILE, ENFILE) the connection stays in the
 * backlog and the level-triggered listener fires at once again: a spin.
 * The reserve descriptor is given up to accept and close it (the client
 * sees EOF, not silence), then taken back; without one the listener
 * pauses until a client leaves. Logged once a second at most.
 */
static int reserve_fd = -1;

static void shed(struct server *s, int err)
{
	time_t now = time(NULL);
	int fd;

	if (reserve_fd >= 0) {
		close(reserve_fd);
		fd = accept4(s->listen.fd, NULL, NULL, SOCK_CLOEXEC);
		if (fd >= 0)
			close(fd);
		reserve_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	}
	if (reserve_fd < 0 && !s->paused &&
	    !ifstat_loop_mod(s->h->loop, &s->listen, 0))
		s->paused = true;
	s->shed++;
	if (now == s->shed_logged)
		return;
	log_warn("socket: out of file descriptors (%s): %lu client(s) "
		 "refused; raise RLIMIT_NOFILE or lower max_clients",
		 strerror(err), s->shed);
	s->shed_logged = now;
	s->shed = 0;
}

static void on_listen(struct ifstat_watch *w, uint32_t events)
{
	struct server *s = w->ctx;
	int i, fd;

	(void)events;
	/* A bounded batch, so a connection storm cannot starve the tick. */
	for (i = 0; i < 64 && !s->paused; i++) {
		fd = accept4(w->fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
		if (fd < 0 && (errno == EMFILE || errno == ENFILE)) {
			shed(s, errno);
			continue;
		}
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

/*
 * The socket's directory, made if missing, opened and checked: every
 * later step works on the descriptor and a name in it. The directory
 * must be one where no other user can swap the socket for a symlink or
 * a link to another file between our steps (safedir.h).
 */
static int open_dir(struct server *s)
{
	char dir[sizeof(s->path)], why[128], *slash;
	int ret;

	snprintf(dir, sizeof(dir), "%s", s->path);
	slash = strrchr(dir, '/');
	if (!slash) {
		snprintf(dir, sizeof(dir), ".");
		snprintf(s->name, sizeof(s->name), "%s", s->path);
	} else {
		snprintf(s->name, sizeof(s->name), "%s", slash + 1);
		if (slash == dir)
			slash++;
		*slash = '\0';
		ret = ifstat_mkdirs(dir, 0755);
		if (ret) {
			log_err("socket: cannot create the directory of %s: %s",
				s->path, strerror(-ret));
			return ret;
		}
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - dir), s->path);
		if (!dir[0])
			snprintf(dir, sizeof(dir), "/");
	}
	if (!s->name[0]) {
		log_err("socket: %s names a directory, not a socket", s->path);
		return -EISDIR;
	}
	ret = ifstat_dir_open_trusted(dir, &s->dirfd, why, sizeof(why));
	if (ret)
		log_err("socket: the directory %s is not safe for a socket of "
			"root: %s",
			dir, why);
	return ret;
}

/* The socket's name through the held directory: bind and connect take
 * no directory descriptor, /proc's link to it stands in. */
static int proc_path(const struct server *s, struct sockaddr_un *sa)
{
	int n = snprintf(sa->sun_path, sizeof(sa->sun_path),
			 "/proc/self/fd/%d/%s", s->dirfd, s->name);

	return n < 0 || (size_t)n >= sizeof(sa->sun_path) ? -ENAMETOOLONG : 0;
}

/* A socket file left by a daemon that died is replaced; one where a
 * daemon listens, or a file that is not a socket, is an error. */
static int clear_path(const struct server *s, const struct sockaddr_un *sa)
{
	struct stat st;
	int fd, ret;

	if (fstatat(s->dirfd, s->name, &st, AT_SYMLINK_NOFOLLOW))
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISSOCK(st.st_mode)) {
		log_err("socket: %s exists and is not a socket", s->path);
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
			s->path);
		return -EADDRINUSE;
	}
	log_info("socket: replacing the stale %s", s->path);
	return unlinkat(s->dirfd, s->name, 0) ? -errno : 0;
}

static int group_id(const char *group, gid_t *gid)
{
	struct group *g;

	if (!group || !*group) { /* the daemon's own, also after a reload */
		*gid = getegid();
		return 0;
	}
	g = getgrnam(group);
	if (!g) {
		log_err("socket_group: no such group ('%s')", group);
		return -ENOENT;
	}
	*gid = g->gr_gid;
	return 0;
}

/*
 * The group goes to the socket we bound, by descriptor: the name is
 * opened without following a symlink and must still be our socket (the
 * inode bind made), so no other file can receive the group.
 */
static int set_group(struct server *s, const char *group)
{
	struct stat st;
	gid_t gid;
	int fd, ret = group_id(group, &gid);

	if (ret)
		return ret;
	fd = openat(s->dirfd, s->name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st))
		ret = -errno;
	else if (!S_ISSOCK(st.st_mode) || st.st_ino != s->ino ||
		 st.st_dev != s->dev || st.st_uid != geteuid())
		ret = -ESTALE; /* not the socket we made */
	else if (fchownat(fd, "", (uid_t)-1, gid, AT_EMPTY_PATH))
		ret = -errno;
	close(fd);
	return ret;
}

/*
 * The socket is born with its final mode: bind under umask 0117 (the
 * daemon is one thread, so the umask of the moment is nobody else's),
 * and gets its group before listen(), until which nobody can connect.
 */
static int bind_socket(struct server *s, int fd, const struct sockaddr_un *sa)
{
	struct stat st;
	mode_t old = umask(0117);
	int ret = bind(fd, (const struct sockaddr *)sa, sizeof(*sa)) ? -errno
								     : 0;

	umask(old);
	if (ret)
		return ret;
	if (fstatat(s->dirfd, s->name, &st, AT_SYMLINK_NOFOLLOW))
		return -errno;
	s->ino = st.st_ino;
	s->dev = st.st_dev;
	s->bound = true;
	return 0;
}

static int listen_on(struct server *s, const char *group)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd, ret;

	ret = open_dir(s);
	if (ret)
		return ret;
	ret = proc_path(s, &sa);
	if (ret) {
		log_err("socket: %s: name too long", s->path);
		return ret;
	}
	ret = clear_path(s, &sa);
	if (ret)
		return ret;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	ret = bind_socket(s, fd, &sa);
	if (ret) {
		log_err("socket: cannot bind %s: %s", s->path, strerror(-ret));
		close(fd);
		return ret;
	}
	ret = set_group(s, group);
	if (!ret && listen(fd, 128))
		ret = -errno;
	if (ret) {
		if (ret != -ENOENT)
			log_err("socket: %s: %s", s->path, strerror(-ret));
		close(fd);
		return ret;
	}
	s->listen.fd = fd;
	return 0;
}

/* Our socket's name goes, never a file that took its place. */
static void remove_socket(struct server *s)
{
	struct stat st;

	if (!s->bound || fstatat(s->dirfd, s->name, &st, AT_SYMLINK_NOFOLLOW))
		return;
	if (S_ISSOCK(st.st_mode) && st.st_ino == s->ino && st.st_dev == s->dev)
		unlinkat(s->dirfd, s->name, 0);
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
	}
	if (s->dirfd >= 0) {
		remove_socket(s);
		close(s->dirfd);
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
	s->dirfd = -1;
	s->listen.cb = on_listen;
	s->listen.ctx = s;
	snprintf(s->path, sizeof(s->path), "%s", c->socket);
	snprintf(s->group, sizeof(s->group), "%s", c->socket_group);
	s->cap = s->max ? s->max : 1;
	if (reserve_fd < 0)
		reserve_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
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
	int ret = set_group(s, group);

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
