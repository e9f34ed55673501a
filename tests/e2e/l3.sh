#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# An interface without a link-layer header (tun, as WireGuard and PPP):
# ifstatd counts it at tc from its IP header, both directions, every
# counter exact (l3.py). IPv6 is off in the namespace: nothing but the
# test's packets reaches the interface.
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
echo "PASS"
