# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Sourced by bench/load.sh and bench/egress.sh: the traffic, the filter
# sets with their nftables equivalents, the veth pair in two network
# namespaces, the modes (what is attached to either end during a run) and
# the timed run.

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
NS_S_INO=
# trafgen bypasses the qdisc layer, and with it tc and nftables egress,
# unless given -q (egress.sh).
TRAFGEN_QDISC=

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
	[ -n "$NS_S_INO" ] && rm -f "/run/ifstat/$IF_S@$NS_S_INO.lock"
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
# ingress hook of the receiving device (netdev), on prerouting (inet) or
# on the egress hook of the sending device (egress: a netdev table).
nft_rules() {
	local family=$1 n=$2 hook
	if [ "$family" = netdev ]; then
		hook="type filter hook ingress device \"$IF_R\" priority 0; policy accept;"
	elif [ "$family" = egress ]; then
		hook="type filter hook egress device \"$IF_S\" priority 0; policy accept;"
	else
		hook="type filter hook prerouting priority 0; policy accept;"
	fi
	echo "table $(nft_family "$family") $NFT_TABLE {"
	echo "  chain count {"
	echo "    $hook"
	filter_set "$n" | awk -F'|' '{ printf "    %s counter comment \"%s\"\n", $3, $1 }'
	echo "  }"
	echo "}"
}

# The nft family of a mode's FAMILY, and the namespace of its table.
nft_family() {
	[ "$1" = egress ] && echo netdev || echo "$1"
}

in_nft() { # FAMILY CMD...
	local family=$1
	shift
	if [ "$family" = egress ]; then in_s "$@"; else in_r "$@"; fi
}

# nft_check FAMILY N PACKETS: every rule's packets as the filter's, bytes
# as the filter's less the 14-byte Ethernet header per frame at ingress
# (nft counts skb->len, which there starts at the network header; at
# egress at the Ethernet header).
nft_check() {
	local family=$1 n=$2 packets=$3 l2=14
	[ "$family" = egress ] && l2=0
	in_nft "$family" nft list table "$(nft_family "$family")" \
		"$NFT_TABLE" >"$WORK/nft.out" || die "cannot list the nft table"
	expected "$n" "$packets" |
		awk -v l2=$l2 '$1 ~ /^filter\..*\.(packets|bytes)$/ {
			split($1, p, "."); v[p[2], p[3]] = $2; names[p[2]] = 1 }
		END { for (f in names) print f, v[f, "packets"],
			v[f, "bytes"] - l2 * v[f, "packets"] }' |
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
	NS_S_INO=$(stat -L -c %i "/run/netns/$NS_S")
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
# ifstat-N: ifstat with N filters at XDP on the receiving device;
# ifstat-tcin-N at its tc ingress; ifstat-tcout-N at the sending device's
# tc egress. nft-FAMILY-N: N nftables counting rules (FAMILY egress: on
# the sending device's egress hook).
MODES_ALL="none xdp-empty ifstat-1 ifstat-5 ifstat-64 nft-netdev-5 nft-inet-5 nft-netdev-64 xdp-empty+nft-netdev-5"

# ifstat_at MODE CMD_ARGS...: attach_check with the device, namespace,
# direction and hook of an ifstat mode.
ifstat_at() {
	local mode=$1
	shift
	case $mode in
	ifstat-tcout-*) in_s "$CHECK" -i "$IF_S" -p "$PIN_ROOT" -d egress "$@" ;;
	ifstat-tcin-*) in_r "$CHECK" -i "$IF_R" -p "$PIN_ROOT" -k tc "$@" ;;
	*) in_r "$CHECK" -i "$IF_R" -p "$PIN_ROOT" "$@" ;;
	esac
}

mode_up() {
	local mode=$1 m want
	for m in ${mode//+/ }; do
		case $m in
		none) ;;
		xdp-empty)
			in_r "$XDP_PASS" attach "$IF_R" >/dev/null ||
				die "cannot attach the empty program"
			;;
		ifstat-*)
			ifstat_filters "${m##*-}" >"$WORK/filters"
			ifstat_at "$m" -m native -F "$WORK/filters" attach \
				>"$WORK/attach" 2>&1 || {
				cat "$WORK/attach" >&2
				die "ifstat attach failed"
			}
			want=native
			[[ $m == ifstat-tc* ]] && want=clsact
			grep -qx "mode $want" "$WORK/attach" ||
				die "$m: ifstat did not attach ($want)"
			;;
		nft-*)
			set -- ${m//-/ }
			nft_rules "$2" "$3" >"$WORK/rules.nft"
			in_nft "$2" nft -f "$WORK/rules.nft" || die "nft -f failed"
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
		ifstat-tc*)
			ifstat_at "$m" detach
			# No clsact qdisc left for the next mode to pass.
			if [[ $m == ifstat-tcout-* ]]; then
				tc -n "$NS_S" qdisc del dev "$IF_S" clsact
			else
				tc -n "$NS_R" qdisc del dev "$IF_R" clsact
			fi
			;;
		ifstat-*) ifstat_at "$m" detach ;;
		nft-*)
			set -- ${m//-/ }
			in_nft "$2" nft delete table "$(nft_family "$2")" \
				"$NFT_TABLE"
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
			expected "${m##*-}" "$packets" >"$WORK/expected"
			ifstat_at "$m" read "$WORK/expected" >"$WORK/cmp" || {
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

# mode_counted MODE SEEN: the frames ifstat counted in a mode with ifstat,
# else SEEN.
mode_counted() {
	local m
	for m in ${1//+/ }; do
		if [[ $m == ifstat-* ]]; then
			ifstat_at "$m" read |
				awk '$1 == "totals.packets" { print $2 }'
			return
		fi
	done
	echo "$2"
}

# ---- the timed run ------------------------------------------------------------
# run uses TOPO (split, shared), SEND_CPU, RECV_CPU, PACKETS, CHECK and
# PERF_DIR of the caller, and $WORK/napi.foreign (the NAPI threads of
# other devices).

# cpu_ticks CPU: busy and steal ticks (USER_HZ) of one CPU, and softirq.
cpu_ticks() {
	awk -v c="cpu$1" '$1 == c { print $2+$3+$4+$7+$8, $9, $8 }' /proc/stat
}

napi_ns() {
	local pid sum=0
	for pid in $(napi_pids); do
		sum=$((sum + $(cut -d' ' -f1 "/proc/$pid/schedstat")))
	done
	echo $sum
}

HZ=$(getconf CLK_TCK)

# run MODE ROUND: one timed run; appends a record to $WORK/runs.
run() {
	local mode=$1 round=$2 pid rx0 rx1 n0 n1 busy0 steal0 si0 busy1 steal1 si1
	local sb0 sb1 out wall send_us recv_ns seen
	mode_up "$mode"
	if [ $TOPO = split ]; then
		# NAPI threads come and go with the program: pin the current ones.
		for pid in $(napi_pids); do
			taskset -pc "$RECV_CPU" "$pid" >/dev/null
		done
		[ -n "$(napi_pids)" ] || die "$mode: no NAPI thread for $IF_R"
	fi
	rx0=$(r_sysfs statistics/rx_packets)
	n0=$(napi_ns)
	read -r busy0 steal0 si0 < <(cpu_ticks "$RECV_CPU")
	read -r sb0 _ _ < <(cpu_ticks "$SEND_CPU")
	# -t 0: one blocking sendto per frame, retried when the veth ring is
	# full, so nothing is lost. (The TX_RING path aborts on the first full
	# socket buffer unless trafgen may raise net.core.wmem_default, which
	# is system-wide and cannot be set from a network namespace.)
	local perf=()
	[ "$round" = 0 ] && perf=(perf record -q -g -C "$RECV_CPU" -F 2999
		-o "$PERF_DIR/$mode.perf" --)
	out=$( (
		"${perf[@]}" taskset -c "$SEND_CPU" \
			nsenter --net="/run/netns/$NS_S" \
			trafgen -i "$WORK/mix.cfg" -o "$IF_S" -n "$PACKETS" -P 1 \
			-t 0 --no-sock-mem -Q $TRAFGEN_QDISC 2>&1
		times
	) | tr -d "\r" | grep -v '^\[ perf' | tail -n 3)
	read -r sb1 _ _ < <(cpu_ticks "$SEND_CPU")
	read -r busy1 steal1 si1 < <(cpu_ticks "$RECV_CPU")
	n1=$(napi_ns)
	rx1=$(r_sysfs statistics/rx_packets)
	# trafgen's own figure: the send loop, "S sec, U usec on CPU0".
	wall=$(echo "$out" | sed -n 's/^ *\([0-9]*\) sec, *\([0-9]*\) usec on CPU.*/\1 \2/p' |
		awk '{ printf "%d", $1 * 1000000 + $2 }')
	send_us=$(echo "$out" | tail -n 1 | awk '{
		t = 0
		for (i = 1; i <= 2; i++) {
			split($i, a, "m"); sub("s", "", a[2]); t += a[1] * 60 + a[2]
		}
		printf "%d", t * 1000000 }')
	[ -n "$wall" ] && [ "$wall" -gt 0 ] || {
		echo "$out" >&2
		die "$mode: trafgen failed"
	}
	seen=$((rx1 - rx0))
	[ "$seen" -eq "$PACKETS" ] ||
		die "$mode: $IF_R received $seen frames, $PACKETS were sent"
	if [ $TOPO = split ]; then
		recv_ns=$((n1 - n0))
	else
		recv_ns=$(((si1 - si0) * 1000000000 / HZ))
	fi
	counted=$(mode_counted "$mode" "$seen")
	mode_check "$mode" "$PACKETS"
	mode_down "$mode"
	if [ "$round" = 0 ]; then
		breakdown "$mode" "$recv_ns" >>"$WORK/breakdown"
		return 0
	fi
	echo "$mode $round $PACKETS $wall $recv_ns $send_us $((busy1 - busy0)) \
$((steal1 - steal0)) $((sb1 - sb0)) $counted $seen" >>"$WORK/runs"
	echo "round $round $mode: $((PACKETS * 1000000 / wall)) pps," \
		"receive $((recv_ns / PACKETS)) ns/frame, counted $counted of $seen" >&2
}

# breakdown MODE RECV_NS: shares of the receiving side's samples (the NAPI
# thread, or with shared the whole CPU) in the XDP program, in nftables,
# and in veth's copy of the frame for XDP (skb_pp_cow_data, inclusive).
breakdown() {
	local comm='^napi/'
	[ $TOPO = shared ] && comm='.'
	perf report -i "$PERF_DIR/$1.perf" --children --sort comm,sym \
		-g none --percent-limit 0 --stdio 2>/dev/null |
		awk -v m="$1" -v ns="$2" -v n="$PACKETS" -v c="$comm" '
		$1 ~ /%$/ && $3 ~ c {
			ch = $1; se = $2; sub("%", "", ch); sub("%", "", se)
			sym = $NF
			tot += se
			if (sym ~ /^bpf_prog_/) prog += se
			if (sym ~ /^(nft_|__nft|nf_)/) nft += se
			if (sym == "skb_pp_cow_data") cow += ch
		}
		END {
			if (!tot) tot = 1
			f = ns / n / tot
			printf "| %s | %.0f | %.1f %% (%.0f ns) | %.1f %% (%.0f ns) | %.1f %% (%.0f ns) |\n",
				m, ns / n, prog, prog * f, nft, nft * f, cow, cow * f
		}'
}

median() {
	sort -g | awk '{ v[NR] = $1 } END {
		if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# col MODE FIELD EXPR: the median over rounds of an awk expression.
col() {
	awk -v m="$1" "\$1 == m { print $2 }" "$WORK/runs" | median
}

# prepare: root and the tools, the CPUs (TOPO split or shared: SEND_CPU,
# RECV_CPU), the pair, threaded NAPI with split. Uses CHECK, XDP_PASS,
# BUILD and TOPO of the caller.
prepare() {
	[ "$(id -u)" -eq 0 ] || skip "needs root (network namespaces, XDP, nft)"
	for t in ip nsenter taskset trafgen nft ethtool tc; do
		command -v "$t" >/dev/null 2>&1 || skip "$t is not installed"
	done
	[ -x "$CHECK" ] && [ -x "$XDP_PASS" ] ||
		die "build $CHECK and $XDP_PASS first (cmake --build $BUILD)"
	NCPU=$(nproc)
	[ -n "$TOPO" ] || { [ "$NCPU" -ge 2 ] && TOPO=split || TOPO=shared; }
	case $TOPO in
	split)
		[ "$NCPU" -ge 2 ] || skip "split needs 2 CPUs"
		SEND_CPU=0 RECV_CPU=1
		;;
	shared) SEND_CPU=0 RECV_CPU=0 ;;
	*) die "-t split or shared" ;;
	esac
	netns_setup
	pgrep "^napi/${IF_R:0:10}" >"$WORK/napi.foreign"
	if [ $TOPO = split ]; then
		r_sysfs_set threaded 1 ||
			die "cannot enable threaded NAPI on $IF_R"
	fi
}

# run_rounds: ROUNDS rounds of every mode of MODES (after an untimed
# round under perf with PERF_DIR); the starting mode moves by one each
# round so that no mode always follows the same other one. Sets
# mode_list, start and load_before for the report.
run_rounds() {
	local nm r i m
	read -r -a mode_list <<<"$MODES"
	nm=${#mode_list[@]}
	start=$(date -u '+%Y-%m-%d %H:%M UTC')
	load_before=$(cut -d' ' -f1-3 /proc/loadavg)
	if [ -n "$PERF_DIR" ]; then
		command -v perf >/dev/null 2>&1 ||
			die "-p needs perf (linux-perf)"
		mkdir -p "$PERF_DIR"
		for m in "${mode_list[@]}"; do
			run "$m" 0
		done
	fi
	for ((r = 1; r <= ROUNDS; r++)); do
		for ((i = 0; i < nm; i++)); do
			run "${mode_list[$(((i + r - 1) % nm))]}" "$r"
		done
	done
}
