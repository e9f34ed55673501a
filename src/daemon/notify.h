/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* systemd's readiness protocol (Type=notify), without libsystemd. */
#ifndef IFSTATD_NOTIFY_H
#define IFSTATD_NOTIFY_H

/* Sends state ("READY=1", ...) to $NOTIFY_SOCKET; nothing when unset. */
void notify_systemd(const char *state);

#endif
