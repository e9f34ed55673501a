#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Building where a dependency is missing, with pkg-config made blind to
# it: without libmicrohttpd (optional) the configuration says what it
# leaves out and everything else builds (ifstatd -V: prometheus: no); a
# required one (libxdp) stops the configuration naming the Debian package
# to install.
# Usage: deps.sh SOURCE_DIR
set -u
src=$1
fail() {
	echo "FAIL: $*"
	exit 1
}
command -v pkg-config >/dev/null || { echo "SKIPPED: no pkg-config"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A pkg-config search path of everything installed but $1.
blind() {
	local dir=$work/pc-$1 d f
	mkdir -p "$dir"
	for d in $(pkg-config --variable pc_path pkg-config | tr : ' '); do
		for f in "$d"/*.pc; do
			[ -e "$f" ] && [ "${f##*/}" != "$1.pc" ] && ln -sf "$f" "$dir/"
		done
	done
	echo "$dir"
}

pc=$(blind libmicrohttpd)
PKG_CONFIG_LIBDIR=$pc cmake -S "$src" -B "$work/no-mhd" -DBUILD_TESTING=OFF \
	>"$work/no-mhd.log" 2>&1 || { cat "$work/no-mhd.log"; fail "configure without libmicrohttpd"; }
grep -q 'prometheus: off (not found: libmicrohttpd' "$work/no-mhd.log" ||
	fail "the configuration does not say Prometheus is left out"
cmake --build "$work/no-mhd" -j"$(nproc)" >>"$work/no-mhd.log" 2>&1 ||
	{ tail -30 "$work/no-mhd.log"; fail "build without libmicrohttpd"; }
"$work/no-mhd/src/daemon/ifstatd" -V | grep -qx 'prometheus: no' ||
	fail "ifstatd -V: $("$work/no-mhd/src/daemon/ifstatd" -V)"
[ -x "$work/no-mhd/src/client/ifstat" ] || fail "no client built"
echo "without libmicrohttpd: '$(grep -o 'prometheus: off.*' "$work/no-mhd.log")'; ifstatd and ifstat built"

PKG_CONFIG_LIBDIR=$pc cmake -S "$src" -B "$work/mhd-on" -DBUILD_TESTING=OFF \
	-DWITH_PROMETHEUS=ON >"$work/mhd-on.log" 2>&1 &&
	fail "WITH_PROMETHEUS=ON configured without libmicrohttpd"
grep -q 'libmicrohttpd-dev' "$work/mhd-on.log" ||
	fail "WITH_PROMETHEUS=ON does not name libmicrohttpd-dev"

pc=$(blind libxdp)
PKG_CONFIG_LIBDIR=$pc cmake -S "$src" -B "$work/no-xdp" -DBUILD_TESTING=OFF \
	>"$work/no-xdp.log" 2>&1 && fail "configured without libxdp"
grep -q 'Debian: libxdp-dev' "$work/no-xdp.log" ||
	{ cat "$work/no-xdp.log"; fail "the error does not name libxdp-dev"; }
echo "without libxdp: '$(grep -o 'libxdp>=1.2 not found.*' "$work/no-xdp.log")'"
echo "PASS: optional dependencies left out with a word, required ones named"
