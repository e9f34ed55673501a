#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# The filter loop is bounded by loop_cap, a load-time constant the engine
# sets to the number of filters installed (doc/internals.md). This loads
# the program built in BUILD with several bounds (time, verified
# instructions) and runs it with BPF_PROG_TEST_RUN against the unbounded
# default (64), to show that the bound cuts the verification, not the
# per-frame speed. (Before the bound was in bpf/, this script applied it
# to a copy; RESULTS.md keeps that run.) Markdown on stdout.
#
# Usage: verify_cap.sh [-b BUILD]
# Exit: 0 done, 1 failure,
# 77 cannot run here.

set -u
cd "$(dirname "$0")/.."
BUILD=build
[ "${1:-}" = -b ] && BUILD=$2
VC=$BUILD/bench/verify_cap

die() {
	echo "FAIL: $*" >&2
	exit 1
}

[ "$(id -u)" -eq 0 ] || {
	echo "SKIPPED: needs root (loading BPF programs)"
	exit 77
}
[ -x "$VC" ] || die "build $VC first (cmake --build $BUILD)"
OBJ=$BUILD/ifstat.bpf.o
[ -f "$OBJ" ] || die "build $OBJ first (cmake --build $BUILD)"
echo "- $(date -u '+%Y-%m-%d %H:%M UTC'), kernel $(uname -r), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- the object: $OBJ (loop_cap unset: the default, 64)"
echo
echo "Loading (libbpf, maps created by it; three loads each):"
echo
echo "| loop_cap | load ms | verified insns | JIT bytes |"
echo "|---:|---:|---:|---:|"
for k in 1 2 3; do
	"$VC" load "$OBJ" || die "load failed"
done
for c in 1 5 8 16 32 64; do
	for k in 1 2 3; do
		"$VC" load "$OBJ" "$c" || die "load failed"
	done
done
echo
echo "Per frame, BPF_PROG_TEST_RUN of a 64-byte IPv4 TCP frame; every filter reaches its port compare and fails (median of 9 alternating rounds of 2 000 000):"
echo
echo "| filters | loop_cap | bpf/ as is, ns | with loop_cap, ns |"
echo "|---:|---:|---:|---:|"
"$VC" run "$OBJ" "$OBJ" 8 5 || die "run failed"
"$VC" run "$OBJ" "$OBJ" 64 5 || die "run failed"
"$VC" run "$OBJ" "$OBJ" 64 64 || die "run failed"
exit 0
