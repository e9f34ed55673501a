#!/usr/bin/env bash
# The demo: installs what is missing, builds, then makes a pair of network
# namespaces joined by a veth, runs ifstatd on one end with the example
# filters, sends a mix of traffic from the other, and shows the live
# ifstat table. Ctrl-C removes everything it created.
#   sudo scripts/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh build
[ "$(id -u)" = 0 ] || { echo "run: needs root (namespaces, XDP)" >&2; exit 1; }

NS_TX=ifstat-demo-tx NS_RX=ifstat-demo-rx IF_TX=demo-tx IF_RX=demo-rx
MAC_RX=02:00:00:00:00:02
WORK=$(mktemp -d /tmp/ifstat-demo.XXXXXX)
SOCK="$WORK/ifstatd.sock"
pids=()
cleanup() {
	set +e
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	ip netns del "$NS_TX" 2>/dev/null
	ip netns del "$NS_RX" 2>/dev/null
	rmdir /sys/fs/bpf/ifstat-demo 2>/dev/null
	rm -rf "$WORK"
	echo "run: demo removed (namespaces, program, socket)"
}
trap cleanup EXIT
trap 'exit 0' INT TERM

ip netns add "$NS_TX"
ip netns add "$NS_RX"
ip link add "$IF_TX" netns "$NS_TX" type veth peer name "$IF_RX" netns "$NS_RX"
ip -n "$NS_RX" link set "$IF_RX" address "$MAC_RX"
ip -n "$NS_TX" link set "$IF_TX" up
ip -n "$NS_RX" link set "$IF_RX" up

# The example configuration with its commented filters switched on, both
# directions counted.
sed -e "s|^interface = .*|interface = $IF_RX|" \
	-e "s|^socket = .*|socket = $SOCK|" \
	-e '/^# More examples:/,$ s/^# \?\(\[filter\|protocol\|port\|host\|vlan\|dst_port\)/\1/' \
	-e "s|^direction = .*|direction = both|" \
	packaging/ifstat.conf.example >"$WORK/ifstat.conf"
nsenter --net="/run/netns/$NS_RX" ./build/src/daemon/ifstatd -f \
	-c "$WORK/ifstat.conf" --pin-root /sys/fs/bpf/ifstat-demo \
	2>"$WORK/ifstatd.log" &
pids+=($!)
for _ in $(seq 100); do
	[ -S "$SOCK" ] && grep -q counting "$WORK/ifstatd.log" && break
	kill -0 "${pids[0]}" 2>/dev/null || { cat "$WORK/ifstatd.log"; exit 1; }
	sleep 0.1
done
nsenter --net="/run/netns/$NS_TX" python3 scripts/demo-traffic.py \
	"$IF_TX" "$MAC_RX" 300 &
pids+=($!)
echo "run: ifstatd counts $IF_RX in namespace $NS_RX; Ctrl-C ends the demo"
sleep 1
./build/src/client/ifstat -s "$SOCK" || true
