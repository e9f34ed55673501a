#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# Start-up and footprint of ifstatd, as Markdown on stdout:
#  - bench/startup (C) starts ifstatd RUNS times on the receiving end of a
#    veth pair and times exec -> XDP program attached -> READY=1 -> first
#    frame counted, then reads the peak RSS; medians over the runs;
#  - one run under strace: where the start-up time goes (bpf() calls);
#  - the installed binary (cmake --install --strip) and its run-time
#    libraries (ldd), with sizes and Debian packages.
#
# Usage: startup.sh [-b BUILD] [-r RUNS]
# Exit: 0 done, 1 failure, 77 cannot run here.

set -u
cd "$(dirname "$0")/.."
. bench/load_lib.sh

BUILD=build
RUNS=15
while [ $# -gt 0 ]; do
	case $1 in
	-b) BUILD=$2; shift ;;
	-r) RUNS=$2; shift ;;
	*)
		echo "usage: $0 [-b BUILD] [-r RUNS]" >&2
		exit 2
		;;
	esac
	shift
done
IFSTATD=$BUILD/src/daemon/ifstatd
STARTUP=$BUILD/bench/startup

[ "$(id -u)" -eq 0 ] || skip "needs root (network namespaces, XDP)"
for t in ip nsenter ethtool strace ldd; do
	command -v "$t" >/dev/null 2>&1 || skip "$t is not installed"
done
[ -x "$IFSTATD" ] && [ -x "$STARTUP" ] ||
	die "build $IFSTATD and $STARTUP first (cmake --build $BUILD)"

# conf_filters PREFIX ROTATE: the 64 filters of the load test as INI
# sections, names prefixed, definitions rotated by ROTATE places (so that
# with ROTATE 1 every filter differs from the set of ROTATE 0).
conf_filters() {
	filter_set 64 | awk -F'|' -v pre="$1" -v rot="$2" '
	{ name[NR] = $1; def[NR] = $2 }
	END {
		for (i = 1; i <= NR; i++) {
			printf "[filter %s%s]\n", pre, name[i]
			n = split(def[(i - 1 + rot) % NR + 1], t, " ")
			for (k = 1; k <= n; k++) {
				w = t[k]
				if (w == "tcp" || w == "udp" || w == "icmp" || w == "icmpv6" || w == "any")
					print "protocol = " w
				else if (w == "proto")
					print "protocol = " t[++k]
				else if ((w == "src" || w == "dst") && t[k + 1] == "port") {
					print w "_port = " t[k + 2]
					k += 2
				} else
					print w " = " t[++k]
			}
			print ""
		}
	}'
}

netns_setup
head="[ifstat]
interface = $IF_R
hook = xdp
socket = $WORK/ifstatd.sock
"
{
	echo "$head"
	conf_filters "" 0
} >"$WORK/ifstat.conf"
{
	echo "$head"
	conf_filters "n" 1
} >"$WORK/ifstat-new.conf"
first_new=n$(filter_set 1 | cut -d'|' -f1)
"$IFSTATD" --check-config -c "$WORK/ifstat.conf" >/dev/null &&
	"$IFSTATD" --check-config -c "$WORK/ifstat-new.conf" >/dev/null ||
	die "the generated configurations are refused"
args=("$(realpath "$IFSTATD")" -f -c "$WORK/ifstat.conf" --pin-root "$PIN_ROOT")

echo "- $(date -u '+%Y-%m-%d %H:%M UTC'), kernel $(uname -r), $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- ifstatd: \`ifstatd -f -c ifstat.conf --pin-root DIR\` (the load test's 64 filters in the file), started $RUNS times by \`bench/startup\`; a 64-byte frame is sent to $IF_R before every look; once it counts, the file is replaced by 64 changed filters and SIGHUP sent: reload = until the pinned configuration map's active set is the new one"
echo
"$STARTUP" -s "/run/netns/$NS_S" -o "$IF_S" -n "/run/netns/$NS_R" -i "$IF_R" \
	-p "$PIN_ROOT" -r "$RUNS" -l "$WORK/ifstatd.log" \
	-C "$WORK/ifstat.conf" -H "$WORK/ifstat-new.conf" -N "$first_new" \
	-- "${args[@]}" || {
	tail -n 20 "$WORK/ifstatd.log" >&2
	die "startup runs failed"
}

# ---- where the time goes: one start under strace ---------------------------
nsenter --net="/run/netns/$NS_R" strace -f --seccomp-bpf -tt -T \
	-e trace=execve,bpf -o "$WORK/strace" "${args[@]}" >/dev/null 2>&1 &
spid=$!
BG_PIDS=$spid
for ((i = 0; i < 100; i++)); do
	ip -n "$NS_R" link show dev "$IF_R" | grep -q 'prog/xdp' && break
	sleep 0.1
done
prog_id=$(ip -n "$NS_R" -d link show dev "$IF_R" |
	sed -n 's/.*prog\/xdp id \([0-9]*\).*/\1/p' | head -n 1)
[ -n "$prog_id" ] || die "ifstatd under strace did not attach"
# bpftool of Debian 12 does not print verified_insns; bench_datapath does.
xlated=$(bpftool prog show id "$prog_id" 2>/dev/null |
	sed -n 's/.*xlated \([0-9]*\)B.*/\1/p')
sleep 1
# SIGTERM to ifstatd itself, so that it detaches; strace then ends.
kill -TERM "$(pgrep -P "$spid" -x ifstatd)"
wait "$spid"
BG_PIDS=
echo
echo "One start under \`strace -f --seccomp-bpf -tt -T -e trace=execve,bpf\` (slower than the runs above):"
echo
awk '
	function secs(t,    a) { split(t, a, ":"); return a[1] * 3600 + a[2] * 60 + a[3] }
	/execve\(/ && !t0 { t0 = secs($2) }
	/bpf\(BPF_PROG_LOAD/ {
		d = $NF; gsub(/[<>]/, "", d)
		n++; tot += d
		if (d > big) { big = d; at = secs($2) - t0 }
	}
	END {
		printf "- %d BPF_PROG_LOAD calls (libbpf and libxdp feature probes, the xdp-tools dispatcher libxdp tries, ifstat_xdp), %.0f ms in all\n", n, tot * 1000
		printf "- the longest, ifstat_xdp: %.0f ms, starting %.0f ms after exec\n", big * 1000, at * 1000
	}' "$WORK/strace"
echo "- the attached program: ${xlated:-?} B of BPF instructions (bpftool prog show id $prog_id)"

# ---- footprint ------------------------------------------------------------------
cmake --install "$BUILD" --prefix "$WORK/inst" --strip >/dev/null ||
	die "cmake --install failed"
echo
echo "Installed (\`cmake --install $BUILD --prefix DIR --strip\`):"
echo
echo "| file | bytes |"
echo "|---|---:|"
for f in "$WORK"/inst/sbin/* "$WORK"/inst/bin/*; do
	[ -f "$f" ] && echo "| ${f#"$WORK"/inst/} | $(stat -c %s "$f") |"
done
echo "| ifstatd as built (RelWithDebInfo, not stripped) | $(stat -c %s "$IFSTATD") |"
echo
echo "Run-time libraries of ifstatd (\`ldd\`), sizes of the files they resolve to:"
echo
echo "| library | bytes | package |"
echo "|---|---:|---|"
ldd "$WORK/inst/sbin/ifstatd" | awk '$2 == "=>" && $3 ~ /^\// { print $1, $3 }' |
	while read -r name path; do
		real=$(readlink -f "$path")
		pkg=$(dpkg -S "$path" 2>/dev/null | head -n 1 | cut -d: -f1)
		[ -n "$pkg" ] || pkg=$(dpkg -S "$real" 2>/dev/null | head -n 1 | cut -d: -f1)
		echo "| $name | $(stat -c %s "$real") | ${pkg:-?} |"
	done >"$WORK/libs"
cat "$WORK/libs"
total=$(awk -F'|' '{ s += $3 } END { print s }' "$WORK/libs")
echo
echo "Libraries in all: $total bytes ($(wc -l <"$WORK/libs") files, libc included)."
exit 0
