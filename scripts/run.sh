#!/usr/bin/env bash
# Sets up, builds, and counts the traffic of an interface (default: the
# one the default route uses), printing the counters every second.
#   sudo scripts/run.sh [IFACE] [ifstatd options...]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh build
iface=${1:-$(ip -o route show default | awk '{print $5; exit}')}
shift || true
if [ -z "$iface" ]; then
	echo "run: no default route; name an interface: scripts/run.sh IFACE" >&2
	exit 1
fi
exec ./build/ifstatd -f -i "$iface" "$@"
