#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# Builds the test VM's initramfs: busybox-static as the base, the host's
# (Debian 12) bash, iproute2, util-linux nsenter, kmod, tcpreplay,
# bpftool, xdp-tools with libxdp's BPF objects and a python3 cut down to
# what the e2e scripts import, each with the libraries ldd lists; the
# files of the tests in PLAN_FILES at their absolute paths (so CTest's
# commands run unchanged); the modules in MODULES with their
# dependencies, from the unpacked kernel package.
#
# Usage: mkinitramfs.sh OUT.cpio.gz KROOT KVER PLAN_SH PLAN_FILES MODULES
#   KROOT: the kernel package unpacked (dpkg-deb -x), KVER its version.
set -euo pipefail

out=$1 kroot=$2 kver=$3 plan=$4 files=$5
shift 5
modules=("$@")
here=$(cd "$(dirname "$0")" && pwd)
root=$(mktemp -d "${TMPDIR:-/tmp}/ifstat-vm-root.XXXXXX")
trap 'rm -rf "$root"' EXIT

# Debian 12 is merged-/usr: the same links, so every path ldd prints and
# every #! line resolves as on the host.
mkdir -p "$root"/usr/{bin,sbin,lib,lib64} "$root"/{proc,sys,dev,run,tmp,root,etc,vm}
for d in bin sbin lib lib64; do
	ln -s "usr/$d" "$root/$d"
done
ln -s /run "$root/var" 2>/dev/null || { mkdir -p "$root/var" && ln -s /run "$root/var/run"; }

# copy FILE...: each file at its path, symlinks kept as links to what
# they point at (also copied).
copy() {
	local f
	for f in "$@"; do
		[ -e "$root$f" ] && continue
		mkdir -p "$root$(dirname "$f")"
		if [ -L "$f" ]; then
			cp -P "$f" "$root$f"
			copy "$(readlink -f "$f")"
		else
			cp "$f" "$root$f"
		fi
	done
}

# copy_bin PROG...: the program and the libraries ldd lists.
copy_bin() {
	local p lib
	for p in "$@"; do
		[ -f "$p" ] || p=$(command -v "$p") || {
			echo "mkinitramfs: $1 is not installed" >&2
			exit 1
		}
		copy "$p"
		for lib in $(ldd "$p" 2>/dev/null | grep -o '/[^ ]*'); do
			copy "$lib"
		done
	done
}

# Debian's python3, not one a version manager put first in PATH.
py=/usr/bin/python3.11
copy_bin bash ip tc nsenter kmod tcpreplay bpftool xdp-filter xdp-loader ethtool socat $py
ln -sf python3.11 "$root/usr/bin/python3"
for m in modprobe insmod lsmod depmod rmmod modinfo; do
	ln -sf ../bin/kmod "$root/usr/sbin/$m"
done

# busybox for everything else, where no real program was copied.
cp /bin/busybox "$root/usr/bin/busybox"
for a in $(/bin/busybox --list); do
	[ -e "$root/usr/bin/$a" ] || [ -e "$root/usr/sbin/$a" ] ||
		ln -s busybox "$root/usr/bin/$a"
done

# libxdp's objects: the dispatcher and xdp-filter's programs.
libxdp_dir=$(dirname "$(dpkg -L libxdp1 xdp-tools 2>/dev/null | grep -m 1 '/bpf/xdp-dispatcher.o$')")
[ -f "$libxdp_dir/xdp-dispatcher.o" ] ||
	{ echo "mkinitramfs: libxdp's xdp-dispatcher.o not found" >&2; exit 1; }
copy "$libxdp_dir"/*.o

# python3: the modules the e2e helpers import load, not the whole
# standard library.
"$py" -I -c 'import json, socket, struct, sys, fcntl, os, subprocess, time, encodings.idna
for m in list(sys.modules.values()):
    f = getattr(m, "__file__", None)
    if f:
        print(f)' | while read -r f; do copy "$f"; done
copy /usr/lib/python3.11/os.py # the landmark python looks for

# The tests: what the plan names, and the scripts beside them.
while read -r f; do
	case "$f" in
	*/) mkdir -p "$root$f" ;;
	*) copy_bin "$f" ;;
	esac
done <"$files"
for d in $(grep -o '/[^ ]*/tests/[a-z0-9]*/' "$files" | sed 'p; s|[^/]*/$|e2e/|' |
	sort -u); do
	[ -d "$d" ] || continue
	find "$d" -maxdepth 1 -type f \( -name '*.sh' -o -name '*.py' \) |
		while read -r f; do copy "$f"; done
done
cp "$plan" "$root/vm/plan.sh"
cp "$here/init" "$root/init"
chmod +x "$root/init"

# Modules with their dependencies, and modules.dep for modprobe (the
# kernel's own requests for a module go through /sbin/modprobe too).
mdir="$kroot/lib/modules/$kver"
[ -f "$mdir/modules.dep" ] || depmod -b "$kroot" "$kver"
for m in "${modules[@]}"; do
	modprobe -d "$kroot" -S "$kver" --show-depends "$m" |
		awk '$1 == "insmod" { print $2 }'
done | sort -u | while read -r ko; do
	rel=${ko#"$kroot"}
	mkdir -p "$root$(dirname "$rel")"
	cp "$ko" "$root$rel"
done
cp "$mdir"/modules.{order,builtin} "$root/lib/modules/$kver/"
[ -f "$mdir/modules.builtin.modinfo" ] && cp "$mdir/modules.builtin.modinfo" "$root/lib/modules/$kver/"
depmod -b "$root" "$kver"
printf '%s\n' "${modules[@]}" >"$root/vm/modules"

cat >"$root/etc/passwd" <<'PW'
root:x:0:0:root:/root:/bin/sh
PW
echo 'root:x:0:' >"$root/etc/group"

(cd "$root" && find . -print0 | cpio --null -o -H newc --quiet) | gzip -1 >"$out"
