#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# An interface without a link-layer header (tun, as WireGuard and PPP):
# ifstatd counts it at tc from its IP header, both directions, every
# counter exact (l3.py). IPv6 is off in the namespace: nothing but the
# test's packets reaches the interface. Then a veth pair: hook = auto
# takes tc there, and NAME:DIRECTION counts one interface egress only.
#
# Usage: l3.sh IFSTATD
# Exit: 0 pass, 1 fail, 77 skipped.

set -u
IFSTATD=$1
HERE=$(dirname "$0")
. "$HERE/netns.sh"

require_root_tools python3
[ -c /dev/net/tun ] || skip "no /dev/net/tun"
trap cleanup EXIT
trap 'exit 130' INT
trap on_term TERM
WORK=$(mktemp -d /tmp/ifstat-e2e.XXXXXX)
start_watchdog
PID=
CLEANUP_EXTRA='[ -n "$PID" ] && kill -9 $PID 2>/dev/null'
ip netns add "$NS_RECV" || fail "cannot create netns $NS_RECV"
for c in all default; do
	ns_sysctl "$NS_RECV" "net.ipv6.conf.$c.disable_ipv6=1"
done
SOCK="$WORK/ifstatd.sock"
cat >"$WORK/ifstat.conf" <<EOC
[ifstat]
interface = tun0
direction = both
socket = $SOCK
interval = 50ms

[filter udp4]
protocol = udp
src = 192.0.2.2

[filter v6]
src = 2001:db8::2

[filter out]
protocol = udp
dst_port = 7777
EOC
start_ifstatd "$WORK/ifstat.conf" "$WORK/ifstatd.log" test -S "$SOCK"
in_recv python3 "$HERE/l3.py" tun0 "$SOCK" || {
	cat "$WORK/ifstatd.log"
	fail "counters of the tun interface differ"
}
grep -q "tun0: the interface is gone" "$WORK/ifstatd.log" || sleep 0.3
stop_ifstatd

# hook = auto on veth takes tc (its native XDP works on a copy), and
# NAME:DIRECTION gives one interface its own direction: x1 egress only.
ip -n "$NS_RECV" link add x0 type veth peer name x1 ||
	fail "cannot create the veth pair"
ip -n "$NS_RECV" link set x0 up && ip -n "$NS_RECV" link set x1 up
cat >"$WORK/veth.conf" <<EOC
[ifstat]
interface = x0 x1:egress
socket = $SOCK
interval = 50ms
EOC
start_ifstatd "$WORK/veth.conf" "$WORK/veth.log" test -S "$SOCK"
in_recv python3 - "$SOCK" <<'EOP' || { cat "$WORK/veth.log"; fail "veth"; }
import json, socket, sys, time
def snap():
    s = socket.socket(socket.AF_UNIX)
    s.connect(sys.argv[1])
    return json.loads(s.makefile().readline())
for _ in range(100):
    if all(e["present"] for e in snap()["interfaces"]):
        break
    time.sleep(0.05)
p = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
p.bind(("x1", 0))
for n in (100, 200, 300):  # not IP: nothing answers them
    p.send(b"\x02\0\0\0\0\x09" * 2 + b"\x88\xb5" + b"z" * (n - 14))
time.sleep(0.3)
got = [(e["interface"], e["direction"], e["hook"], e["totals"]["packets"],
        e["totals"]["bytes"]) for e in snap()["interfaces"]]
want = [("x0", "ingress", "tc", 3, 600), ("x1", "egress", "tc", 3, 600)]
if got != want:
    sys.exit("FAIL: veth entries %s, expected %s" % (got, want))
print("veth: hook auto took tc; x1 counted egress only; 3 frames each")
EOP
stop_ifstatd
echo "PASS"
