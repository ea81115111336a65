#!/bin/sh
# Install what sysray needs to build, test and benchmark; safe to run again.
# usage: scripts/install-deps.sh [--bench]   (--bench adds the peers measured by make bench)
set -eu
pkgs="make gcc clang llvm libbpf-dev bpftool libelf-dev zlib1g-dev pkg-config libcriterion-dev strace"
[ "${1:-}" = "--bench" ] && pkgs="$pkgs linux-perf bpftrace libbpf-tools hyperfine"

missing=
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
if [ -z "$missing" ]; then
	echo "install-deps: all present"
	exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: need root to install:$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing
echo "install-deps: installed$missing"
