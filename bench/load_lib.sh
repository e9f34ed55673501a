# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Sourced by bench/load.sh: the traffic, the filter sets with their
# nftables equivalents, the veth pair in two network namespaces, and the
# modes (what is attached to the receiving device during a run).

NS_S="ifsl-s-$$"
NS_R="ifsl-r-$$"
IF_S=ifsl-s
IF_R=ifsl-r
MAC_S=02:00:00:00:00:01
MAC_R=02:00:00:00:00:02
PIN_ROOT="/sys/fs/bpf/ifsl-$$"
NFT_TABLE=ifsl_load
WORK=
BG_PIDS=
NS_R_INO=

die() {
	echo "FAIL: $*" >&2
	exit 1
}

skip() {
	echo "SKIPPED: $*"
	exit 77
}

in_s() {
	nsenter --net="/run/netns/$NS_S" "$@"
}

# nsenter, not `ip netns exec`: the latter remounts /sys and hides bpffs.
in_r() {
	nsenter --net="/run/netns/$NS_R" "$@"
}

cleanup() {
	local rc=$? pid
	set +e
	# Background processes of the caller, and their children (trafgen
	# forks its worker), by process id.
	for pid in $BG_PIDS; do
		kill -TERM $(pgrep -P "$pid") "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	# The engine's lock file for the receiving device of this namespace.
	[ -n "$NS_R_INO" ] && rm -f "/run/ifstat/$IF_R@$NS_R_INO.lock"
	# Deleting the namespaces deletes the veth, its program and nft table.
	ip netns del "$NS_S" 2>/dev/null
	ip netns del "$NS_R" 2>/dev/null
	rm -rf "$PIN_ROOT"
	[ -n "$WORK" ] && rm -rf "$WORK"
	exit $rc
}

# ---- traffic --------------------------------------------------------------
# One cycle of the mix: a frame in every size bucket (the 1024-1512 one
# twice), each of IPv4/IPv6 x TCP/UDP twice. "SIZE KIND" per frame; KIND is
# 4T 4U 6T 6U. Runs send a multiple of the cycle, so every count is exact.
FRAMES=(
	"64 4T" "100 6U" "200 4U" "400 6T" "800 4T" "1200 6U" "1500 4U" "1600 6T"
)
CYCLE=${#FRAMES[@]}
MTU=2000 # the 1600-byte frame needs more than 1500

# The trafgen configuration of the mix (documentation addresses only).
trafgen_conf() {
	local eth="eth(da=$MAC_R, sa=$MAC_S)" f size kind l3 hdr
	for f in "${FRAMES[@]}"; do
		read -r size kind <<<"$f"
		case $kind in
		4T)
			l3="ipv4(saddr=198.51.100.1, daddr=192.0.2.10, ttl=64), tcp(sp=40000, dp=80, seq=1, ack)"
			hdr=54
			;;
		4U)
			l3="ipv4(saddr=198.51.100.1, daddr=192.0.2.53, ttl=64), udp(sp=5353, dp=53)"
			hdr=42
			;;
		6T)
			l3="ipv6(saddr=2001:db8:1::1, daddr=2001:db8:2::10, hl=64), tcp(sp=40001, dp=443, seq=1, ack)"
			hdr=74
			;;
		6U)
			l3="ipv6(saddr=2001:db8:1::1, daddr=2001:db8:2::53, hl=64), udp(sp=5353, dp=53)"
			hdr=62
			;;
		esac
		echo "{ $eth, $l3, fill(0, $((size - hdr))) }"
	done
}

# ---- filters ----------------------------------------------------------------
# "NAME|ifstat one-line form|nftables match|KINDS it matches in the mix".
# The nft match is written to mean what the ifstat filter means (ports
# only of TCP/UDP, both families unless an address names one).
FILTERS5=(
	"web|tcp dst port 80|meta l4proto tcp th dport 80|4T"
	"dns|udp dst port 53|meta l4proto udp th dport 53|4U 6U"
	"https6|tcp dst 2001:db8:2::/64 dst port 443|ip6 daddr 2001:db8:2::/64 meta l4proto tcp th dport 443|6T"
	"lan|src 198.51.100.0/24|ip saddr 198.51.100.0/24|4T 4U"
	"ssh|tcp dst port 22|meta l4proto tcp th dport 22|"
)

# The 64-filter set: the five, then 59 that no frame of the mix matches
# (services by port, IPv4 hosts, IPv6 prefixes), so every one is evaluated.
filters64() {
	local i
	printf '%s\n' "${FILTERS5[@]}"
	for ((i = 0; i < 59; i++)); do
		case $((i % 4)) in
		0) echo "t$i|tcp dst port $((1000 + i))|meta l4proto tcp th dport $((1000 + i))|" ;;
		1) echo "u$i|udp dst port $((2000 + i))|meta l4proto udp th dport $((2000 + i))|" ;;
		2) echo "h$i|dst 203.0.113.$i|ip daddr 203.0.113.$i|" ;;
		3) printf 'n%d|dst 2001:db8:ff%02x::/48|ip6 daddr 2001:db8:ff%02x::/48|\n' \
			"$i" "$i" "$i" ;;
		esac
	done
}

# filter_set N: the first N lines of the 64-filter set.
filter_set() {
	filters64 | head -n "$1"
}

# ifstat_filters N: NAME=FILTER lines for attach_check -F.
ifstat_filters() {
	filter_set "$1" | awk -F'|' '{ print $1 "=" $2 }'
}

# expected N PACKETS: every counter attach_check reads, for PACKETS frames
# of the mix (a multiple of the cycle) through the first N filters.
expected() {
	local n=$1 packets=$2
	filter_set "$n" | awk -F'|' -v cycles=$((packets / CYCLE)) \
		-v frames="$(printf '%s,' "${FRAMES[@]}")" '
	function bucket(len,    b) {
		for (b = 0; b < 6 && len > edge[b + 1]; b++)
			;
		return b
	}
	BEGIN {
		split("64 127 255 511 1023 1512", edge, " ")
		split("0-64 65-127 128-255 256-511 512-1023 1024-1512 1513+", label, " ")
		nf = split(frames, fr, ",") - 1
		for (i = 1; i <= nf; i++) {
			split(fr[i], p, " ")
			size[i] = p[1]; kind[i] = p[2]
			tot_b += p[1]
		}
	}
	{
		name[NR] = $1
		np = split($4, k, " ")
		for (i = 1; i <= nf; i++)
			for (j = 1; j <= np; j++)
				if (k[j] == kind[i]) {
					pk[NR]++; by[NR] += size[i]
					bk[NR, bucket(size[i])]++
					hit[i] = 1
				}
	}
	END {
		for (i = 1; i <= nf; i++)
			if (!hit[i])
				unm++
		printf "totals.packets %d\ntotals.bytes %d\n", nf * cycles, tot_b * cycles
		printf "totals.unmatched %d\ntotals.non_ip 0\ntotals.malformed 0\n", unm * cycles
		printf "filters %d\n", NR
		for (f = 1; f <= NR; f++) {
			printf "filter.%s.packets %d\n", name[f], pk[f] * cycles
			printf "filter.%s.bytes %d\n", name[f], by[f] * cycles
			for (b = 0; b < 7; b++)
				printf "filter.%s.bucket.%s %d\n", name[f], label[b + 1], bk[f, b] * cycles
		}
	}'
}

# nft_rules FAMILY N: a table with one counting rule per filter, on the
# ingress hook of the receiving device (netdev) or on prerouting (inet).
nft_rules() {
	local family=$1 n=$2 hook
	if [ "$family" = netdev ]; then
		hook="type filter hook ingress device \"$IF_R\" priority 0; policy accept;"
	else
		hook="type filter hook prerouting priority 0; policy accept;"
	fi
	echo "table $family $NFT_TABLE {"
	echo "  chain count {"
	echo "    $hook"
	filter_set "$n" | awk -F'|' '{ printf "    %s counter comment \"%s\"\n", $3, $1 }'
	echo "  }"
	echo "}"
}

# nft_check FAMILY N PACKETS: every rule's packets as the filter's, bytes
# as the filter's less the 14-byte Ethernet header per frame (nft counts
# skb->len, which at these hooks starts at the network header).
nft_check() {
	local family=$1 n=$2 packets=$3
	in_r nft list table "$family" "$NFT_TABLE" >"$WORK/nft.out" ||
		die "cannot list the nft table"
	expected "$n" "$packets" |
		awk '$1 ~ /^filter\..*\.(packets|bytes)$/ {
			split($1, p, "."); v[p[2], p[3]] = $2; names[p[2]] = 1 }
		END { for (f in names) print f, v[f, "packets"],
			v[f, "bytes"] - 14 * v[f, "packets"] }' |
		sort >"$WORK/nft.want"
	sed -n 's/.*counter packets \([0-9]*\) bytes \([0-9]*\) comment "\([^"]*\)".*/\3 \1 \2/p' \
		"$WORK/nft.out" | sort >"$WORK/nft.got"
	cmp -s "$WORK/nft.want" "$WORK/nft.got" || {
		diff "$WORK/nft.want" "$WORK/nft.got" >&2
		die "nft counters differ from the expected counts"
	}
}

# ---- the pair -----------------------------------------------------------------
ns_sysctl() {
	local ns=$1
	shift
	nsenter --net="/run/netns/$ns" sysctl -q -w "$@" >/dev/null
}

# netns_setup: two namespaces, the veth, nothing on it but the test frames.
# The receiver forwards and has blackhole routes for the destinations, so
# the stack drops every frame after one route lookup (both families reach
# prerouting, nothing is answered, nothing is allocated per frame).
netns_setup() {
	trap cleanup EXIT
	trap 'exit 130' INT TERM
	WORK=$(mktemp -d /tmp/ifsl-load.XXXXXX)
	ip netns add "$NS_S" || die "cannot create netns $NS_S"
	ip netns add "$NS_R" || die "cannot create netns $NS_R"
	NS_R_INO=$(stat -L -c %i "/run/netns/$NS_R")
	ip link add "$IF_S" netns "$NS_S" type veth peer name "$IF_R" \
		netns "$NS_R" || die "cannot create the veth pair"
	ns_sysctl "$NS_S" net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1 \
		net.ipv4.conf.all.arp_notify=0 net.ipv4.conf.default.arp_notify=0
	ns_sysctl "$NS_R" net.ipv6.conf.default.accept_ra=0 \
		net.ipv6.conf.default.accept_dad=0 \
		net.ipv6.conf.default.autoconf=0 \
		net.ipv4.conf.all.arp_notify=0 net.ipv4.conf.default.arp_notify=0
	ip -n "$NS_R" link set "$IF_R" addrgenmode none
	ns_sysctl "$NS_R" net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
	ip -n "$NS_S" link set "$IF_S" address "$MAC_S" mtu "$MTU"
	ip -n "$NS_R" link set "$IF_R" address "$MAC_R" mtu "$MTU"
	ip -n "$NS_S" addr add 198.51.100.1/24 dev "$IF_S"
	ip -n "$NS_R" addr add 198.51.100.2/24 dev "$IF_R"
	ip -n "$NS_R" route add blackhole 192.0.2.0/24
	ip -n "$NS_R" -6 route add blackhole 2001:db8::/32
	# veth takes its NAPI receive path (the one a program attached to it
	# runs in) only for senders without TSO/GSO, and without a program
	# only with GRO on: so always, for every mode alike.
	in_s ethtool -K "$IF_S" tso off gso off >/dev/null ||
		die "ethtool -K $IF_S failed"
	in_r ethtool -K "$IF_R" gro on >/dev/null || die "ethtool -K $IF_R failed"
	ip -n "$NS_S" link set "$IF_S" up
	ip -n "$NS_R" link set "$IF_R" up
	trafgen_conf >"$WORK/mix.cfg"
}

# Sysfs of the receiving namespace (ip netns exec mounts the right /sys).
r_sysfs() {
	ip netns exec "$NS_R" cat "/sys/class/net/$IF_R/$1"
}

r_sysfs_set() {
	ip netns exec "$NS_R" sh -c "echo $2 > /sys/class/net/$IF_R/$1"
}

# The NAPI threads of the receiving device (threaded NAPI), by name:
# "napi/IF-ID", cut to 15 characters by the kernel.
napi_pids() {
	local pid
	for pid in $(pgrep "^napi/${IF_R:0:10}"); do
		grep -qx "$pid" "$WORK/napi.foreign" 2>/dev/null || echo "$pid"
	done
}

# ---- modes ------------------------------------------------------------------
# mode_up MODE / mode_down MODE / mode_check MODE PACKETS
MODES_ALL="none xdp-empty ifstat-1 ifstat-5 ifstat-64 nft-netdev-5 nft-inet-5 nft-netdev-64 xdp-empty+nft-netdev-5"

mode_up() {
	local mode=$1 m
	for m in ${mode//+/ }; do
		case $m in
		none) ;;
		xdp-empty)
			in_r "$XDP_PASS" attach "$IF_R" >/dev/null ||
				die "cannot attach the empty program"
			;;
		ifstat-*)
			ifstat_filters "${m#ifstat-}" >"$WORK/filters"
			in_r "$CHECK" -i "$IF_R" -p "$PIN_ROOT" -m native \
				-F "$WORK/filters" attach >"$WORK/attach" 2>&1 || {
				cat "$WORK/attach" >&2
				die "ifstat attach failed"
			}
			grep -qx 'mode native' "$WORK/attach" ||
				die "ifstat did not attach in native mode"
			;;
		nft-*)
			set -- ${m//-/ }
			nft_rules "$2" "$3" >"$WORK/rules.nft"
			in_r nft -f "$WORK/rules.nft" || die "nft -f failed"
			;;
		*) die "unknown mode '$m'" ;;
		esac
	done
}

mode_down() {
	local mode=$1 m
	for m in ${mode//+/ }; do
		case $m in
		xdp-empty) in_r "$XDP_PASS" detach "$IF_R" ;;
		ifstat-*) in_r "$CHECK" -i "$IF_R" -p "$PIN_ROOT" detach ;;
		nft-*)
			set -- ${m//-/ }
			in_r nft delete table "$2" "$NFT_TABLE"
			;;
		esac
	done
	ip -n "$NS_R" link show dev "$IF_R" | grep -q 'prog/xdp' &&
		die "an XDP program is still attached after $mode"
	return 0
}

# What was counted must be exactly what was sent: ifstat's totals and
# every filter's packets, bytes and buckets; each nft rule's counter.
mode_check() {
	local mode=$1 packets=$2 m
	for m in ${mode//+/ }; do
		case $m in
		ifstat-*)
			expected "${m#ifstat-}" "$packets" >"$WORK/expected"
			in_r "$CHECK" -i "$IF_R" -p "$PIN_ROOT" read \
				"$WORK/expected" >"$WORK/cmp" || {
				cat "$WORK/cmp" >&2
				die "$m: counters differ from what was sent"
			}
			;;
		nft-*)
			set -- ${m//-/ }
			nft_check "$2" "$3" "$packets"
			;;
		esac
	done
}
