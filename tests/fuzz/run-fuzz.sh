#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# run-fuzz.sh BUILD_DIR [NAME...]: runs each fuzzer (fuzz_NAME in
# BUILD_DIR; default: config filter snapshot http) for FUZZ_SECONDS (default 60) on a
# copy of its checked-in seed corpus, so the corpus in git never grows.
# Fails on any crash, leak, sanitizer report or timeout; the input that
# did it is left in BUILD_DIR/fuzz-artifacts/.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
build=${1:?usage: run-fuzz.sh BUILD_DIR [NAME...]}
shift
[ $# -gt 0 ] || set -- config filter snapshot http
seconds=${FUZZ_SECONDS:-60}

case $seconds in
'' | *[!0-9]*)
	echo "run-fuzz.sh: FUZZ_SECONDS must be a number of seconds ('$seconds')" >&2
	exit 2
	;;
esac

artifacts=$build/fuzz-artifacts
mkdir -p "$artifacts"
work=$(mktemp -d "$build/fuzz-work.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 1' INT TERM

export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

status=0
for name in "$@"; do
	fuzzer=$build/fuzz_$name
	if [ ! -x "$fuzzer" ]; then
		echo "run-fuzz.sh: $fuzzer not built" >&2
		exit 2
	fi
	case $name in
	config) max_len=8192 ;;
	*) max_len=1024 ;;
	esac
	cp -r "$here/corpus/$name" "$work/$name"
	echo "== fuzz_$name: $seconds s on a copy of corpus/$name"
	# libFuzzer adds what it finds to the first directory: the copy.
	# The timeout is a guard in case libFuzzer itself hangs.
	if ! timeout -k 10 $((seconds + 120)) "$fuzzer" \
		-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
		-max_len="$max_len" -dict="$here/$name.dict" \
		-artifact_prefix="$artifacts/$name-" -print_final_stats=1 \
		"$work/$name"; then
		echo "run-fuzz.sh: fuzz_$name FAILED; inputs in $artifacts" >&2
		status=1
	fi
done
exit $status
