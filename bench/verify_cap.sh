#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# Experiment (nothing in bpf/ changes): would bounding the filter loop by
# a load-time constant cut the verification time that dominates ifstatd's
# start, without slowing the per-filter path? A copy of bpf/ gets
# `const volatile __u32 loop_cap` in .rodata and `|| i >= loop_cap` in the
# loop's exit test; both objects are built with the project's flags, then
# bench/verify_cap loads them (time, verified instructions) and runs them
# side by side with BPF_PROG_TEST_RUN. Markdown on stdout.
#
# Usage: verify_cap.sh [-b BUILD]
# Exit: 0 done, 1 failure (also when bpf/ no longer takes the edit),
# 77 cannot run here.

set -u
cd "$(dirname "$0")/.."
BUILD=build
[ "${1:-}" = -b ] && BUILD=$2
VC=$BUILD/bench/verify_cap
CLANG=${CLANG:-clang}

die() {
	echo "FAIL: $*" >&2
	exit 1
}

[ "$(id -u)" -eq 0 ] || {
	echo "SKIPPED: needs root (loading BPF programs)"
	exit 77
}
[ -x "$VC" ] || die "build $VC first (cmake --build $BUILD)"
WORK=$(mktemp -d /tmp/ifsl-vcap.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

cp -r bpf include "$WORK/"
src=$WORK/bpf/ifstat.bpf.c
sed -i -e 's|^struct ifstat_conf conf SEC(".data.conf") = {};$|&\nconst volatile __u32 loop_cap = IFSTAT_MAX_FILTERS;|' \
	-e 's|^\t\tif (i >= n)$|\t\tif (i >= n \|\| i >= loop_cap)|' "$src"
[ "$(grep -c loop_cap "$src")" = 2 ] ||
	die "bpf/ifstat.bpf.c changed: the edit no longer applies"
cflags=(-O2 -g -target bpf -Wall -Wextra -Werror -Iinclude
	"-I/usr/include/$(uname -m)-linux-gnu")
"$CLANG" "${cflags[@]}" -c bpf/ifstat.bpf.c -o "$WORK/orig.o" ||
	die "cannot build bpf/ifstat.bpf.c"
(cd "$WORK" && "$CLANG" "${cflags[@]}" -c bpf/ifstat.bpf.c -o cap.o) ||
	die "cannot build the edited copy"

echo "- $(date -u '+%Y-%m-%d %H:%M UTC'), kernel $(uname -r), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- the edit: \`const volatile __u32 loop_cap = IFSTAT_MAX_FILTERS;\` after \`conf\`, and \`if (i >= n || i >= loop_cap) break;\` in the filter loop"
echo
echo "Loading (libbpf, maps created by it; three loads each):"
echo
echo "| loop_cap | load ms | verified insns | JIT bytes |"
echo "|---:|---:|---:|---:|"
for k in 1 2 3; do
	"$VC" load "$WORK/orig.o" || die "load failed"
done
for c in 1 5 8 16 32 64; do
	for k in 1 2 3; do
		"$VC" load "$WORK/cap.o" "$c" || die "load failed"
	done
done
echo
echo "Per frame, BPF_PROG_TEST_RUN of a 64-byte IPv4 TCP frame; every filter reaches its port compare and fails (median of 9 alternating rounds of 2 000 000):"
echo
echo "| filters | loop_cap | bpf/ as is, ns | with loop_cap, ns |"
echo "|---:|---:|---:|---:|"
"$VC" run "$WORK/orig.o" "$WORK/cap.o" 8 5 || die "run failed"
"$VC" run "$WORK/orig.o" "$WORK/cap.o" 64 5 || die "run failed"
"$VC" run "$WORK/orig.o" "$WORK/cap.o" 64 64 || die "run failed"
exit 0
