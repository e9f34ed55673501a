#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# The OpenWrt package's BPF build, as far as it runs outside an OpenWrt
# tree: packaging/openwrt/Makefile is read by make with stand-ins for
# OpenWrt's include files (the variables of bpf.mk that it uses, with
# Debian's clang and llvm-strip, and mips uapi headers from
# linux-libc-dev-mips-cross in the layout of bpf-headers), for a
# little-endian and a big-endian target. CMake then builds with exactly
# the package's options: the object must be a 64-bit eBPF ELF of that byte
# order with BTF, the skeleton must be generated from it and ifstatd must
# compile with it. The little-endian object also runs test_datapath and
# test_differential on this kernel when root.
# bpftool before 7.5 (libbpf 1.5) cannot open an object of the other byte
# order: the big-endian skeleton is then skipped, said so. IFSTAT_BPFTOOL
# names a newer bpftool.
# Also: the menu options IFSTAT_UBUS and IFSTAT_PROMETHEUS reach CMake,
# DEPENDS states the kernel and the optional libraries, PKG_FLAGS is
# nonshared.
# Usage: openwrt_bpf.sh SOURCE_DIR
set -u
src=$1
fail() {
	echo "FAIL: $*"
	exit 1
}
skip() {
	echo "SKIPPED: $*"
	exit 77
}
hdrs=/usr/mips-linux-gnu/include
[ -f "$hdrs/asm/byteorder.h" ] ||
	skip "no mips uapi headers ($hdrs; Debian: linux-libc-dev-mips-cross)"
for t in make cmake clang llvm-strip readelf; do
	command -v $t >/dev/null || skip "$t is not installed"
done
bpftool=${IFSTAT_BPFTOOL:-$(PATH=$PATH:/usr/sbin:/sbin command -v bpftool)} ||
	skip "bpftool is not installed"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
top=$work/openwrt
mkdir -p "$top/include" "$top/staging/bpf-headers/arch/mips/include" \
	"$top/staging/bpf-headers/include" "$top/staging/bpf-headers/tools/lib" \
	"$top/host/usr/sbin"
ln -s "$hdrs" "$top/staging/bpf-headers/arch/mips/include/uapi"
ln -s "$hdrs" "$top/staging/bpf-headers/include/uapi"
ln -s /usr/include/bpf "$top/staging/bpf-headers/tools/lib/bpf"
ln -s "$bpftool" "$top/host/usr/sbin/bpftool"
# Stand-ins: only what the package's Makefile reads, named as OpenWrt
# names it.
cat >"$top/rules.mk" <<MK
INCLUDE_DIR:=$top/include
STAGING_DIR:=$top/staging
STAGING_DIR_HOST:=$top/host
MK
cat >"$top/include/package.mk" <<'MK'
BuildPackage=
MK
: >"$top/include/cmake.mk"
cat >"$top/include/bpf.mk" <<MK
BPF_DEPENDS:=@HAS_BPF_TOOLCHAIN
CLANG:=$(command -v clang)
LLVM_STRIP:=$(command -v llvm-strip)
BPF_KARCH:=mips
BPF_TARGET:=bpf\$(if \$(CONFIG_BIG_ENDIAN),eb,el)
BPF_HEADERS_DIR:=\$(STAGING_DIR)/bpf-headers
MK
cat >"$work/print.mk" <<MK
include $src/packaging/openwrt/Makefile
print:
	@echo '\$(CMAKE_OPTIONS)'
MK

# The menu options reach CMake, and what they add is only in DEPENDS.
opts=$(make -s -f "$work/print.mk" -C "$src/packaging/openwrt" TOPDIR="$top" \
	CONFIG_IFSTAT_UBUS=y CONFIG_IFSTAT_PROMETHEUS=y print) || fail "make"
for o in -DWITH_UBUS=ON -DWITH_PROMETHEUS=ON; do
	grep -q -- "$o" <<<"$opts" || fail "IFSTAT_UBUS/IFSTAT_PROMETHEUS=y do not give $o"
done
cat >>"$work/print.mk" <<'MK'
print-%:
	@echo '$($*)'
print-package:
	$(info $(Package/ifstat))@:
MK
deps=$(make -s -f "$work/print.mk" -C "$src/packaging/openwrt" TOPDIR="$top" \
	print-package)
for d in +IFSTAT_PROMETHEUS:libmicrohttpd-no-ssl +IFSTAT_UBUS:libubus @!LINUX_5_15 \
	@HAS_BPF_TOOLCHAIN; do
	grep -qF -- "$d" <<<"$deps" || fail "DEPENDS lacks $d"
done
[ "$(make -s -f "$work/print.mk" -C "$src/packaging/openwrt" TOPDIR="$top" \
	print-PKG_FLAGS)" = nonshared ] || fail "PKG_FLAGS is not nonshared"

for order in little big; do
	big=
	[ $order = big ] && big=y
	out=$(make -s -f "$work/print.mk" -C "$src/packaging/openwrt" \
		TOPDIR="$top" CONFIG_BIG_ENDIAN=$big print) ||
		fail "make cannot read the package Makefile"
	eval "opts=($out)"
	b=$work/build-$order
	extra=()
	# The data-path tests need the tests built (the package does not).
	[ $order = little ] && extra=(-DBUILD_TESTING=ON -DIFSTAT_FUZZ=OFF)
	cmake -S "$src" -B "$b" -DCMAKE_INSTALL_PREFIX=/usr "${opts[@]}" \
		"${extra[@]}" >"$work/cmake-$order.log" 2>&1 ||
		{ cat "$work/cmake-$order.log"; fail "cmake with the package's options"; }
	cmake --build "$b" --target ifstat_bpf_obj >"$work/obj-$order.log" 2>&1 ||
		{ cat "$work/obj-$order.log"; fail "$order-endian BPF object"; }
	obj=$b/ifstat.bpf.o
	cmd=$(grep -- '-target bpf' "$b/CMakeFiles/ifstat_bpf_obj.dir/build.make")
	for f in -nostdinc "-D__MIPSE$([ $order = big ] && echo B || echo L)__" \
		"-I$top/staging/bpf-headers/include/uapi"; do
		grep -q -- "$f" <<<"$cmd" || fail "the BPF compile lacks $f: $cmd"
	done
	hdr=$(readelf -h "$obj")
	want=$([ $order = big ] && echo "big endian" || echo "little endian")
	grep -q "Class: *ELF64" <<<"$hdr" || fail "$obj: not ELF64"
	grep -q "Data: .*$want" <<<"$hdr" || fail "$obj: not $want"
	grep -q "Machine: *Linux BPF" <<<"$hdr" || fail "$obj: not BPF"
	readelf -S "$obj" | grep -q ' \.BTF ' || fail "$obj: no BTF"
	readelf -S "$obj" | grep -q ' \.debug_info ' && fail "$obj: not stripped"
	echo "$order endian: $(grep -o -- '-target [a-z]*' <<<"$cmd" | head -1) with the package's" \
		"flags: ELF64 $want eBPF object with BTF, $(stat -c %s "$obj") bytes"

	if ! cmake --build "$b" --target ifstat_skel >"$work/skel-$order.log" 2>&1; then
		if grep -q 'Endian mismatch\|endianness mismatch' "$work/skel-$order.log"; then
			echo "SKIPPED: $order-endian skeleton: $("$bpftool" version | head -1)" \
				"cannot open an object of the other byte order (7.5 can; IFSTAT_BPFTOOL)"
			continue
		fi
		cat "$work/skel-$order.log"
		fail "$order-endian skeleton"
	fi
	cmake --build "$b" --target ifstatd >"$work/ifstatd-$order.log" 2>&1 ||
		{ tail -20 "$work/ifstatd-$order.log"; fail "ifstatd with the $order-endian skeleton"; }
	echo "$order endian: skeleton generated, ifstatd built with it"
	if [ $order = little ]; then
		if [ "$(id -u)" != 0 ]; then
			echo "SKIPPED: data-path tests of the package's object: not root"
			continue
		fi
		cmake --build "$b" --target test_datapath test_differential \
			>"$work/tests.log" 2>&1 || { tail -20 "$work/tests.log"; fail "tests"; }
		(cd "$b" && ctest -R '^test_(datapath|differential)$' --output-on-failure) \
			>"$work/ctest.log" 2>&1 || { tail -40 "$work/ctest.log"; fail "data-path tests"; }
		grep -q 'Skipped' "$work/ctest.log" && { cat "$work/ctest.log"; fail "data-path tests skipped"; }
		echo "little endian: test_datapath and test_differential pass on the package's object"
	fi
done
echo "PASS: the OpenWrt package's BPF build"
