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
	debhelper lintian mandoc man-db dpkg-dev fakeroot linux-libc-dev-mips-cross
	bash-completion
)
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

build=${1:-build}
shift || true
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
cmake --build "$build" -j"$(nproc)"
