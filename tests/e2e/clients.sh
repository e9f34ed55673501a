#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# The local socket under bad clients and bad paths: 64 clients with one
# that never reads, one that sends garbage, clients that connect and
# close at once, one beyond the limit, SIGHUPs meanwhile (clients.py);
# a stale socket file replaced at start; a socket path where nothing
# can be created refused at start with nothing attached.
#
# Usage: clients.sh IFSTATD
# Exit: 0 pass, 1 fail, 77 skipped.

set -u
IFSTATD=$1
HERE=$(dirname "$0")
. "$HERE/netns.sh"

require_root_tools python3
netns_setup 1500
SOCK="$WORK/deep/er/ifstatd.sock"
CONF="$WORK/ifstat.conf"
LOG="$WORK/ifstatd.log"
INTERVAL=100
PID=
CLEANUP_EXTRA='[ -n "$PID" ] && kill -9 $PID 2>/dev/null'

# 64 filters: lines of about 20 KB, so a client that never reads fills
# its socket within a few intervals.
{
	printf '[ifstat]\ninterface = %s\nhook = xdp\nsocket = %s\ninterval = %dms\n' \
		"$IF_RECV" "$SOCK" "$INTERVAL"
	for i in $(seq 64); do
		printf '\n[filter udp%d]\nprotocol = udp\nport = %d\n' "$i" "$i"
	done
} >"$CONF"

# A path where no socket can be made: refused, nothing attached.
sed "s|^socket = .*|socket = /proc/ifstat-test/ifstatd.sock|" "$CONF" \
	>"$WORK/badpath.conf"
expect_refused "impossible socket path" \
	"socket: cannot create the directory of /proc/ifstat-test" \
	"$WORK/badpath.conf"
[ -z "$(xdp_id)" ] || fail "attached although the socket failed"

# A stale socket file (its daemon died) is replaced.
mkdir -p "$(dirname "$SOCK")"
python3 -c 'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' \
	"$SOCK" || fail "cannot make a stale socket"
start_ifstatd "$CONF" "$LOG" grep -q "$IF_RECV: counting" "$LOG"
grep -q "replacing the stale $SOCK" "$LOG" || {
	cat "$LOG"
	fail "the stale socket was not replaced"
}
[ "$(stat -c %a "$SOCK")" = 660 ] || fail "socket mode is not 0660"

python3 "$HERE/clients.py" "$SOCK" "$PID" "$INTERVAL" 64 ||
	{
		tail -n 20 "$LOG"
		exit 1
	}
grep -q "too slow" "$LOG" || fail "the slow client's disconnection was not logged"
grep -q "limit of 64 reached" "$LOG" || fail "the refusal was not logged"
grep -q "sends data; ignored" "$LOG" || fail "the garbage was not logged"
kill -0 $PID || fail "ifstatd died"

# The limit lowered below the clients connected (they stay), then raised
# again: the three keep getting every line. Each says when it has its
# first line (it is connected and counted), so that under load none
# arrives after the limit went down; they read until released.
holders=()
for i in 1 2 3; do
	python3 -c 'import os, socket, sys, time
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); f = s.makefile("rb")
if not f.readline():
    sys.exit("disconnected before the first line")
open(sys.argv[2], "w").close()
end = time.monotonic() + 20
while not os.path.exists(sys.argv[3]):
    if time.monotonic() > end:
        sys.exit("never released")
    if not f.readline():
        sys.exit("disconnected")' "$SOCK" "$WORK/held.$i" "$WORK/released" &
	holders+=($!)
done
for i in $(seq 100); do
	[ -e "$WORK/held.1" ] && [ -e "$WORK/held.2" ] && [ -e "$WORK/held.3" ] &&
		break
	sleep 0.1
done
[ -e "$WORK/held.1" ] && [ -e "$WORK/held.2" ] && [ -e "$WORK/held.3" ] ||
	fail "three clients not served within 10 s"
sed -i 's/^interval = .*/&\nmax_clients = 1/' "$CONF"
kill -HUP $PID
sleep 0.5
sed -i 's/^max_clients = 1$/max_clients = 2/' "$CONF"
kill -HUP $PID
sleep 0.5
touch "$WORK/released"
for h in "${holders[@]}"; do
	wait "$h" || {
		tail -n 20 "$LOG"
		fail "a client connected before the limit was lowered was dropped"
	}
done
kill -0 $PID || fail "ifstatd died when the limit was lowered and raised"
echo "limit lowered to 1 and raised to 2 under 3 clients: all served"
stop_ifstatd
echo "PASS: bad clients and bad socket paths handled, every reader served"
exit 0
