/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The local socket: a unix stream socket that sends each client the
 * current snapshot at once, then one JSON line per interval. The daemon
 * never waits on a client: a line that a client's socket buffer cannot
 * take is kept until the client can read it, and a client still behind
 * when the next line comes is disconnected.
 */
#ifndef IFSTATD_SOCKPUB_H
#define IFSTATD_SOCKPUB_H

#include <stddef.h>

struct ifstatd;
struct ifstat_sockpub;

/*
 * Creates path's directory if needed, replaces a stale socket file (one
 * nobody listens on), binds with mode 0660 and group (NULL or "": the
 * daemon's). Refuses a path where another process listens.
 */
int ifstat_sockpub_start(struct ifstatd *d, const char *path, const char *group,
			 unsigned int max_clients, struct ifstat_sockpub **out);
/* New group or limit on the same path; the clients stay. */
int ifstat_sockpub_update(struct ifstat_sockpub *s, const char *group,
			  unsigned int max_clients);
/* Closes every client and removes the socket file. NULL: nothing. */
void ifstat_sockpub_stop(struct ifstat_sockpub *s);

void ifstat_sockpub_publish(struct ifstat_sockpub *s, const char *line,
			    size_t len);
unsigned int ifstat_sockpub_clients(const struct ifstat_sockpub *s);

#endif
