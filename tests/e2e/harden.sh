#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# ifstatd against a local user, a careless operator and bad clients
# (issue 17), each case as it was found:
#  1. a user who owns the socket's directory swaps the socket for a
#     symlink to a root file before a reload that changes socket_group:
#     the file keeps its owner, group and mode;
#  2. clients beyond the open-files limit: no spin, at most a log line a
#     second, every client gets a line or EOF; max_clients beyond the
#     limit refused at start, raised when the hard limit allows;
#  3. a FIFO as the configuration: --check-config and a reload return at
#     once, the loop keeps serving;
#  4. under `ip netns exec` (a private bpffs): --keep does not claim the
#     counters are kept;
#  5. an interface named with ESC and 0xFF: valid UTF-8 JSON on the
#     socket, no raw control byte in the table or the log; HTTP: a request
#     with two Content-Length answered 400 and closed, a scrape answered
#     under 300 slowloris connections;
#  7. the capabilities kept (caps.c), a pin root made by another user, a pin root outside bpffs, the lock
#     file removed at exit, -i 'a/b', a half-closed client.
# The user is created here and removed at the end.
#
# Usage: harden.sh IFSTATD IFSTAT
# Exit: 0 pass, 1 fail, 77 skipped.

set -u
IFSTATD=$1
IFSTAT=$2
HERE=$(dirname "$0")
. "$HERE/netns.sh"
NS_SEND="ifsh-s-$$"
NS_RECV="ifsh-r-$$"
PIN_ROOT="/sys/fs/bpf/ifsh-$$"

require_root_tools python3 useradd userdel setpriv prlimit
netns_setup 1500
USR="ifsth$$"
PID=
CLEANUP_EXTRA='[ -n "$PID" ] && kill -9 $PID 2>/dev/null
	userdel "$USR" 2>/dev/null; groupdel "$USR" 2>/dev/null
	rm -f "/run/ifstat/$IF_RECV@"*.lock.harden'
useradd --system --no-create-home --user-group --shell /usr/sbin/nologin \
	"$USR" || skip "cannot create a user"
as_user() {
	setpriv --reuid="$USR" --regid="$USR" --clear-groups -- "$@"
}
# The user may walk into WORK, not list it.
chmod 0711 "$WORK"
SOCK="$WORK/run/ifstatd.sock"
LOG="$WORK/ifstatd.log"

conf() { # FILE KEY=VALUE...: the test's configuration with these keys
	local f=$1 kv sock=$SOCK
	shift
	for kv in "$@"; do
		[ "${kv%%=*}" = socket ] && sock=${kv#*=}
	done
	{
		printf '[ifstat]\ninterface = %s\nsocket = %s\ninterval = 100ms\n' \
			"$IF_RECV" "$sock"
		for kv in "$@"; do
			[ "${kv%%=*}" = socket ] && continue
			printf '%s = %s\n' "${kv%%=*}" "${kv#*=}"
		done
		printf '\n[filter all]\n'
	} >"$f"
}

# Reads N lines from SOCK within 3 s; prints how many came, or "eof N".
read_lines() {
	python3 - "$1" "$2" "${3:-}" <<'EOF'
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.settimeout(3)
s.connect(sys.argv[1])
if sys.argv[3] == "halfclose":
    s.shutdown(socket.SHUT_WR)
f = s.makefile("rb")
n = 0
try:
    while n < int(sys.argv[2]):
        if not f.readline():
            print("eof", n)
            sys.exit(0)
        n += 1
except socket.timeout:
    print("timeout", n)
    sys.exit(0)
print(n)
EOF
}

# --- 1. the socket directory of another user ---------------------------
TARGET="$WORK/secret"
echo "root's own" >"$TARGET"
chmod 0640 "$TARGET"
mkdir "$WORK/ud"
chown "$USR:$USR" "$WORK/ud"
conf "$WORK/good.conf"
conf "$WORK/ud1.conf" socket="$WORK/ud/s.sock" socket_group="$USR"
conf "$WORK/ud2.conf" socket="$WORK/ud/s.sock" socket_group=nogroup
conf "$WORK/c.conf"
cp "$WORK/good.conf" "$WORK/c.conf"
start_ifstatd "$WORK/c.conf" "$LOG" test -S "$SOCK"
cp "$WORK/ud1.conf" "$WORK/c.conf"
kill -HUP $PID
sleep 0.5
# What the user does, whether or not the socket moved there.
as_user sh -c "rm -f '$WORK/ud/s.sock'; ln -s '$TARGET' '$WORK/ud/s.sock'" ||
	fail "the user cannot write into its directory"
cp "$WORK/ud2.conf" "$WORK/c.conf"
kill -HUP $PID
sleep 0.5
got=$(stat -c '%U:%G %a' "$TARGET")
[ "$got" = "root:root 640" ] ||
	fail "1: the symlink's target was changed to $got"
grep -q "the directory $WORK/ud is not safe for a socket of root: owned by uid" \
	"$LOG" || {
	cat "$LOG"
	fail "1: the reload into the user's directory was not refused"
}
[ "$(read_lines "$SOCK" 1)" = 1 ] || fail "1: the old socket stopped serving"
kill -0 $PID || fail "1: ifstatd died"
stop_ifstatd
expect_refused "1: a socket in another user's directory at start" \
	"is not safe for a socket of root: owned by uid" "$WORK/ud1.conf"
[ "$(stat -c '%U:%G %a' "$TARGET")" = "root:root 640" ] ||
	fail "1: the target changed at start"
# A root directory under the user's: the user could rename it away and
# put its own socket where clients look.
mkdir "$WORK/ud/sub"
conf "$WORK/ud3.conf" socket="$WORK/ud/sub/s.sock"
expect_refused "1: a socket under another user's directory" \
	"its parent $WORK/ud is owned by uid" "$WORK/ud3.conf"
echo "1: the symlinked root file kept root:root 0640"

# --- 2. open files ------------------------------------------------------
conf "$WORK/max.conf" max_clients=1024
out=$(prlimit --nofile=1024:1024 "$IFSTATD" --check-config \
	-c "$WORK/max.conf" 2>&1)
rc=$?
[ $rc = 1 ] || fail "2: max_clients beyond the limit: exit $rc"
case "$out" in
*"max_clients: 1024 socket clients and 1 interface(s) need 1104 open files, the limit is 1024 (hard 1024)"*) ;;
*) fail "2: max_clients beyond the limit said: $out" ;;
esac
echo "2: $out"
prlimit --nofile=256:4096 "$IFSTATD" --check-config -c "$WORK/max.conf" \
	>/dev/null 2>&1 || fail "2: --check-config refused a limit it can raise"

: >"$LOG"
conf "$WORK/c.conf" max_clients=64
start_ifstatd "$WORK/c.conf" "$LOG" test -S "$SOCK"
# Descriptors run out under it (as an operator's prlimit would do).
prlimit --pid $PID --nofile=40:40 || fail "2: prlimit failed"
python3 - "$SOCK" "$PID" "$WORK/clients.out" <<'EOF' || fail "2: $(cat "$WORK/clients.out")"
import os, socket, sys, time
path, pid, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
def cpu():
    f = open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")
c0, t0 = cpu(), time.monotonic()
socks = []
for i in range(60):
    s = socket.socket(socket.AF_UNIX)
    s.settimeout(4)
    s.connect(path)
    socks.append(s)
time.sleep(3)
used = (cpu() - c0) / (time.monotonic() - t0)
served = eof = stuck = 0
for s in socks:
    try:
        d = s.recv(1)
        if d:
            served += 1
        else:
            eof += 1
    except socket.timeout:
        stuck += 1
msg = "cpu %.0f%%, %d served, %d EOF, %d with nothing" % (used * 100, served, eof, stuck)
open(out, "w").write(msg)
print("2:", msg)
sys.exit(0 if used < 0.3 and stuck == 0 and served > 0 and eof > 0 else 1)
EOF
n=$(grep -c "out of file descriptors" "$LOG")
[ "$n" -ge 1 ] && [ "$n" -le 5 ] ||
	fail "2: $n 'out of file descriptors' lines in about 3 s"
sleep 0.3
[ "$(read_lines "$SOCK" 2)" = 2 ] ||
	fail "2: no client served after the others left"
echo "2: $n log line(s); served again once they left"
stop_ifstatd

# --- 3. a FIFO as the configuration --------------------------------------
mkfifo "$WORK/fifo.conf"
out=$(timeout 5 "$IFSTATD" --check-config -c "$WORK/fifo.conf" 2>&1)
rc=$?
[ $rc = 1 ] || fail "3: --check-config on a FIFO: exit $rc ($out)"
[ "$out" = "$WORK/fifo.conf: cannot read: not a regular file" ] ||
	fail "3: --check-config on a FIFO said: $out"
: >"$LOG"
conf "$WORK/c.conf"
start_ifstatd "$WORK/c.conf" "$LOG" test -S "$SOCK"
mv "$WORK/c.conf" "$WORK/c.conf.real"
mkfifo "$WORK/c.conf"
kill -HUP $PID
sleep 0.3
[ "$(read_lines "$SOCK" 3)" = 3 ] ||
	fail "3: the loop stopped after a reload from a FIFO"
grep -q "c.conf: cannot read: not a regular file" "$LOG" ||
	fail "3: the refused reload was not logged"
rm "$WORK/c.conf"
mv "$WORK/c.conf.real" "$WORK/c.conf"
echo "3: a FIFO is refused at once, the loop serves"

# --- 7. a half-closed client, the lock file --------------------------------
got=$(read_lines "$SOCK" 3 halfclose)
[ "$got" = 3 ] || fail "7: a half-closed client got '$got' of 3 lines"
echo "7: a half-closed client got its lines"
# Capabilities: only those caps.c names (of those this shell has).
bnd=$(awk '/^CapBnd/ { print $2 }' /proc/self/status)
want=$(printf '%016x' $((0xc000201401 & 0x$bnd)))
for set in CapEff CapPrm CapBnd; do
	got=$(awk -v s="$set:" '$1 == s { print $2 }' /proc/$PID/status)
	[ "$got" = "$want" ] || fail "7: $set of ifstatd is $got, expected $want"
done
[ "$(awk '$1 == "NoNewPrivs:" { print $2 }' /proc/$PID/status)" = 1 ] ||
	fail "7: no_new_privs is not set"
echo "7: capabilities limited to $want (CapEff, CapPrm, CapBnd)"
lock="/run/ifstat/$IF_RECV@$(stat -L -c %i "/run/netns/$NS_RECV").lock"
[ -f "$lock" ] || fail "7: no lock file $lock while running"
stop_ifstatd
[ -e "$lock" ] && fail "7: the lock file $lock stayed after a clean stop"
echo "7: the lock file is removed at exit"

# --- 7. -i and the pin root ------------------------------------------------
out=$("$IFSTATD" --check-config -i 'a/b' 2>&1)
rc=$?
[ $rc = 1 ] || fail "7: -i 'a/b': exit $rc ($out)"
case "$out" in
*"-i: not an interface name"*"('a/b')") ;;
*) fail "7: -i 'a/b' said: $out" ;;
esac
echo "7: $out"
expect_refused "7: --pin-root outside bpffs" \
	"pin root: $WORK is not on a bpffs" "$WORK/c.conf" \
	--pin-root "$WORK/notbpf/ifstat"
[ -e "$WORK/notbpf" ] && fail "7: --pin-root outside bpffs left a directory"
mkdir -p "$PIN_ROOT"
chown "$USR" "$PIN_ROOT"
expect_refused "7: a pin root of another user" \
	"pin directory $PIN_ROOT: owned by uid" "$WORK/c.conf"
[ -z "$(xdp_id)" ] || fail "7: attached with a pin root of another user"
rm -rf "$PIN_ROOT"

# --- 4. a bpffs of a private mount namespace -------------------------------
: >"$LOG"
ip netns exec "$NS_RECV" "$IFSTATD" -f -c "$WORK/c.conf" --keep \
	--pin-root /sys/fs/bpf/ifsh-$$ >"$LOG" 2>&1 &
PID=$!
for i in $(seq 100); do
	test -S "$SOCK" && break
	sleep 0.1
done
grep -q "private mount namespace" "$LOG" || {
	cat "$LOG"
	fail "4: no warning that the pins end with ifstatd"
}
stop_ifstatd
grep -q "counters kept in" "$LOG" && fail "4: claimed the counters were kept"
grep -q "counters not kept: .* private mount namespace" "$LOG" ||
	fail "4: did not say the counters are not kept"
echo "4: $(grep -m1 'counters not kept' "$LOG")"

# --- 5. an interface named with ESC and 0xFF --------------------------------
BAD=$'e\x1b[31m\xff'
ip -n "$NS_RECV" link add name "$BAD" type veth peer name hpeer ||
	skip "cannot name an interface with ESC and 0xFF here"
ip -n "$NS_RECV" link set "$BAD" up
ip -n "$NS_RECV" link set hpeer up
: >"$LOG"
conf "$WORK/bad.conf"
sed -i '/^interface = /d' "$WORK/bad.conf"
nsenter --net="/run/netns/$NS_RECV" "$IFSTATD" -f -c "$WORK/bad.conf" \
	-i "$BAD" --pin-root "$PIN_ROOT" \
	-v >"$LOG" 2>&1 &
PID=$!
for i in $(seq 100); do
	test -S "$SOCK" && break
	sleep 0.1
done
python3 - "$SOCK" <<'EOF' || fail "5: the JSON line"
import json, socket, sys
s = socket.socket(socket.AF_UNIX)
s.settimeout(3)
s.connect(sys.argv[1])
raw = s.makefile("rb").readline()
snap = json.loads(raw.decode("utf-8"))  # strict: fails on invalid UTF-8
assert b"\x1b" not in raw, raw
name = snap["interfaces"][0]["interface"]
assert name == "e\x1b[31m\u00ff", name
print("5: JSON line valid, interface", json.dumps(name))
EOF
"$IFSTAT" -s "$SOCK" --once >"$WORK/table" 2>&1 || fail "5: ifstat --once"
grep -q $'\x1b' "$WORK/table" && fail "5: a raw ESC in the table"
# The JSON line carries 0xFF as U+00FF (\u00ff), which the client shows
# as such; ESC stays visible.
grep -qF "e\\x1b[31m"$'\xc3\xbf' "$WORK/table" || {
	cat -v "$WORK/table"
	fail "5: the table does not show the name escaped"
}
stop_ifstatd
grep -q $'\x1b' "$LOG" && {
	cat -v "$LOG"
	fail "5: a raw ESC in the log"
}
grep -qF 'e\x1b[31m\xff' "$LOG" || fail "5: the log does not name it escaped"
echo "5: table and log show $(sed -n 2p "$WORK/table")"
printf '[ifstat]\ninterface = eth0\n\n[filter a\x1bcx\x07]\n' >"$WORK/esc.conf"
out=$("$IFSTATD" --check-config -c "$WORK/esc.conf" 2>&1)
case "$out" in
*$'\x1b'* | *$'\x07'*) fail "5: a configuration error echoed raw controls" ;;
*"('a\x1bcx\x07')"*) ;;
*) fail "5: the configuration error said: $out" ;;
esac
echo "5: $out"

# --- 5. HTTP: slowloris, conflicting Content-Length ------------------------
command -v curl >/dev/null || skip "curl is not installed"
ip -n "$NS_RECV" link set lo up
: >"$LOG"
conf "$WORK/c.conf" prometheus=127.0.0.1:9879 http=127.0.0.1:9880
start_ifstatd "$WORK/c.conf" "$LOG" in_recv curl -sf -o /dev/null \
	http://127.0.0.1:9879/metrics
in_recv python3 - <<'EOF' || fail "5: HTTP"
import socket, time
addr = ("127.0.0.1", 9879)
# Two lengths: one answer (400) and the connection closed, the "body"
# never read as a second request.
for port, path in ((9879, b"/metrics"), (9880, b"/api/v1/snapshot")):
    s = socket.create_connection(("127.0.0.1", port), timeout=3)
    s.sendall(b"GET " + path + b" HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n"
              b"Content-Length: 38\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n")
    got = b""
    while True:
        d = s.recv(65536)
        if not d:
            break
        got += d
    assert got.startswith(b"HTTP/1.1 400 "), got[:80]
    assert got.count(b"HTTP/1.1 ") == 1, got
    print("5: two Content-Length on", port, got.split(b"\r\n")[0].decode())
# Slowloris: 300 connections, one byte every 2 s each; a scrape still
# answered (header deadline 5 s), well before the 10 s idle timeout.
slow = []
for i in range(300):
    c = socket.create_connection(addr, timeout=3)
    c.setblocking(False)
    slow.append(c)
t0 = time.monotonic()
scrape = socket.create_connection(addr, timeout=12)
scrape.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
scrape.setblocking(False)
reply, last = b"", 0
while time.monotonic() - t0 < 12:
    if time.monotonic() - last >= 2:
        last = time.monotonic()
        for c in slow:
            try:
                c.send(b"X")
            except OSError:
                pass
    try:
        d = scrape.recv(65536)
        if not d:
            break
        reply += d
    except BlockingIOError:
        time.sleep(0.05)
took = time.monotonic() - t0
assert reply.startswith(b"HTTP/1.1 200 "), ("no answer in %.1f s" % took, reply[:60])
assert took < 9, took
print("5: a scrape under 300 slowloris connections answered in %.1f s" % took)
EOF
stop_ifstatd

echo "PASS: issue 17's attacks and accidents are refused or harmless"
exit 0
