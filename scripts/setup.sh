#!/usr/bin/env bash
# Installs what this project needs on Debian 12 when it is missing, then
# builds into build/. Run as root (apt-get); safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

pkgs=(
	build-essential cmake pkg-config clang llvm clang-format
	libbpf-dev bpftool libxdp-dev xdp-tools libelf-dev zlib1g-dev
	libcmocka-dev libinih-dev libjson-c-dev libclang-rt-14-dev iproute2 procps util-linux
	tcpreplay git python3
	libmicrohttpd-dev prometheus curl
	netsniff-ng nftables ethtool socat strace systemd
	qemu-system-x86 busybox-static kmod cpio
	debhelper lintian mandoc man-db dpkg-dev fakeroot linux-libc-dev-mips-cross
	bash-completion
	chromium chromium-driver python3-selenium
)
# npm fetches the page's chart library at build time. A Node.js that
# brings its own npm (NodeSource's) conflicts with Debian's npm package:
# keep it.
command -v npm >/dev/null 2>&1 || pkgs+=(npm)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done
if ((${#missing[@]})); then
	echo "setup: installing ${missing[*]}"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		"${missing[@]}"
fi

# The VM tests (tests/vm) boot Debian 12's kernel, downloaded here, not
# installed: the package of the kernel linux-image-amd64 points to.
vm_cache=${IFSTAT_VM_CACHE:-/var/cache/ifstat-vm}
# kernel_6_1: the package name, from the package lists as they are.
kernel_6_1() {
	apt-cache depends linux-image-amd64 2>/dev/null |
		awk '$1 == "Depends:" && $2 ~ /^linux-image-6\.1\./ { print $2; exit }' ||
		true
}
if ! ls "$vm_cache"/linux-image-6.1.0-*-amd64_*.deb >/dev/null 2>&1; then
	mkdir -p "$vm_cache"
	kpkg=$(kernel_6_1)
	# Lists older than the mirror name a package it no longer has.
	if [ -z "$kpkg" ] ||
		! (cd "$vm_cache" && apt-get download -qq "$kpkg" 2>/dev/null); then
		apt-get update -qq >/dev/null 2>&1 || true
		kpkg=$(kernel_6_1)
	fi
	if ls "$vm_cache"/linux-image-6.1.0-*-amd64_*.deb >/dev/null 2>&1 ||
		{ [ -n "$kpkg" ] &&
			(cd "$vm_cache" && apt-get download -qq "$kpkg" 2>/dev/null); }; then
		echo "setup: downloaded $kpkg into $vm_cache"
	else
		echo "setup: cannot download Debian's 6.1 kernel package" \
			"(the vm test will be skipped)"
	fi
fi

# And Debian 11's 5.10, older than ifstat needs, for the kernel check's
# refusal (vm_5.10): apt with a state of its own, the host's sources and
# lists untouched.
if ! ls "$vm_cache"/linux-image-5.10.0-*-amd64_*.deb >/dev/null 2>&1; then
	a="$vm_cache/apt-bullseye"
	mkdir -p "$a/lists/partial"
	echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg]" \
		"http://deb.debian.org/debian-security bullseye-security main" \
		>"$a/sources.list"
	apto=(-o "Dir::Etc::SourceList=$a/sources.list"
		-o Dir::Etc::SourceParts=/dev/null -o "Dir::State::Lists=$a/lists"
		-o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache=)
	# shellcheck disable=SC2015 # any failure: no package
	kpkg=$(apt-get "${apto[@]}" update -qq >/dev/null 2>&1 &&
		apt-cache "${apto[@]}" depends linux-image-amd64 2>/dev/null |
		awk '$1 == "Depends:" && $2 ~ /^linux-image-5\.10\./ { print $2; exit }' ||
		true)
	if [ -n "$kpkg" ] &&
		(cd "$vm_cache" && apt-get "${apto[@]}" download -qq "$kpkg" 2>/dev/null); then
		echo "setup: downloaded $kpkg into $vm_cache"
	else
		echo "setup: cannot download Debian 11's 5.10 kernel package" \
			"(the vm_5.10 test will be skipped)"
	fi
fi

build=${1:-build}
shift || true
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
cmake --build "$build" -j"$(nproc)"
