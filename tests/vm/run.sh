#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# Runs the tests of tests/vm/tests.list inside a QEMU VM (TCG: software
# emulation, nested KVM hangs on the CI machines) booting Debian 12's
# kernel from its package, unpacked here, never installed. Each test's
# output and result come back on the serial console.
#
# Usage: run.sh BUILD_DIR [TESTS_LIST [PACKAGE_GLOB]]
#   PACKAGE_GLOB: the kernel package in IFSTAT_VM_CACHE, the newest match
#   (default linux-image-6.1.0-*-amd64_*.deb, Debian 12's)
# Environment: IFSTAT_VM_KERNEL_DEB (a package, instead of the glob),
#   IFSTAT_VM_CACHE (default /var/cache/ifstat-vm, where
#   scripts/setup.sh downloads it), IFSTAT_VM_CPUS (default 2),
#   IFSTAT_VM_MEM (default 1536, MiB).
# Exit: 0 every test passed or skipped, 1 a failure, 77 skipped (no QEMU,
#   no kernel package).
set -u
build=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
list=${2:-$here/tests.list}
glob=${3:-linux-image-6.1.0-*-amd64_*.deb}
cache=${IFSTAT_VM_CACHE:-/var/cache/ifstat-vm}
modules=(veth sch_ingress cls_bpf tun)

skip() {
	echo "SKIPPED: $*"
	exit 77
}

fail() {
	echo "FAIL: $*"
	exit 1
}

command -v qemu-system-x86_64 >/dev/null ||
	skip "vm: qemu-system-x86_64 is not installed (scripts/setup.sh)"
# shellcheck disable=SC2012,SC2086 # the glob is meant to expand
deb=${IFSTAT_VM_KERNEL_DEB:-$(ls "$cache"/$glob 2>/dev/null | sort -V |
	tail -n 1)}
if [ -n "${IFSTAT_VM_KERNEL_DEB:-}" ]; then
	[ -f "$deb" ] || skip "vm: no kernel package $deb"
elif [ -z "$deb" ]; then
	skip "vm: no $glob in $cache (scripts/setup.sh downloads it)"
fi
for t in busybox cpio depmod python3; do
	command -v "$t" >/dev/null || skip "vm: $t is not installed (scripts/setup.sh)"
done

# The package unpacked once, beside it.
kroot="$cache/$(basename "$deb" .deb)"
if [ ! -e "$kroot/.unpacked" ]; then
	rm -rf "$kroot" && mkdir -p "$kroot" &&
		dpkg-deb -x "$deb" "$kroot" && touch "$kroot/.unpacked" ||
		fail "cannot unpack $deb into $kroot"
fi
kver=$(ls "$kroot/lib/modules" | head -n 1)
vmlinuz="$kroot/boot/vmlinuz-$kver"
[ -f "$vmlinuz" ] || fail "no $vmlinuz in $deb"

work="$build/tests/vm/$kver"
mkdir -p "$work"
t0=$(date +%s)
"$here/plan.py" "$build" "$list" "$work/plan.sh" "$work/files" ||
	fail "cannot make the plan from $list"
"$here/mkinitramfs.sh" "$work/initrd.gz" "$kroot" "$kver" \
	"$work/plan.sh" "$work/files" "${modules[@]}" ||
	fail "cannot build the initramfs"
t1=$(date +%s)
echo "vm: initramfs $(du -h "$work/initrd.gz" | cut -f 1) in $((t1 - t0)) s;" \
	"booting $kver under TCG"

# The console is both shown and kept; the VM powers itself off at the
# end, the timeout only stops a VM that hangs.
timeout 1800 qemu-system-x86_64 -accel tcg -machine q35 -cpu max \
	-smp "${IFSTAT_VM_CPUS:-2}" -m "${IFSTAT_VM_MEM:-1536}" \
	-kernel "$vmlinuz" -initrd "$work/initrd.gz" \
	-append "console=ttyS0 panic=-1 oops=panic loglevel=4 rdinit=/init" \
	-display none -monitor none -serial stdio -nic none -no-reboot \
	</dev/null 2>&1 | tr -d '\r' | tee "$work/console.log"
t2=$(date +%s)
echo "vm: VM ran $((t2 - t1)) s"

bad=0
while read -r _ name _; do
	res=$(awk -v n="$name" '$1 == "@@VM" && $2 == "RESULT" && $3 == n' \
		"$work/console.log" | tail -n 1)
	rc=$(echo "$res" | awk '{ print $4 }')
	secs=$(echo "$res" | awk '{ print $5 }')
	case "$rc" in
	0) echo "vm: $kver: $name passed (${secs} s)" ;;
	77) echo "vm: $kver: $name skipped (${secs} s)" ;;
	"")
		echo "vm: $kver: $name FAILED: no result (the VM stopped?)"
		bad=1
		;;
	*)
		echo "vm: $kver: $name FAILED with exit $rc (${secs} s)"
		bad=1
		;;
	esac
done <"$work/plan.sh"
grep -aq '^@@VM DONE' "$work/console.log" ||
	{ echo "vm: the VM did not finish its list"; bad=1; }
grep -a '^@@VM MODULE' "$work/console.log" && bad=1
# The lines tests print when they (or part of them) could not run.
grep -a '^SKIPPED' "$work/console.log" | sed "s/^/vm: $kver: /"
[ $bad = 0 ] || fail "vm: a test failed on $kver (console: $work/console.log)"
echo "vm: all passed on $kver in $((t2 - t0)) s"
exit 0
