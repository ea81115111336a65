#!/bin/sh
# Install what sysray needs; safe to run again (only missing packages are installed).
# usage: scripts/install-deps.sh [--test] [--bench]
#   (none)   what building and running sysray needs
#   --test   also what `make test` starts: strace to compare with, Criterion, ...
#   --bench  also the peers `make bench` measures (perf, bpftrace, syscount, hyperfine)
set -eu
build="make gcc clang llvm libbpf-dev bpftool libelf-dev libdw-dev zlib1g-dev pkg-config"
test="libcriterion-dev strace"
bench="linux-perf bpftrace libbpf-tools hyperfine"

pkgs=$build
for arg in "$@"; do
	case $arg in
	--test) pkgs="$pkgs $test" ;;
	--bench) pkgs="$pkgs $bench" ;;
	*)
		echo "usage: $0 [--test] [--bench]" >&2
		exit 2
		;;
	esac
done

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
# Concurrent runs (CI jobs on one host) wait for each other instead of failing on dpkg's lock.
exec 9>/tmp/sysray-install-deps.lock
command -v flock >/dev/null && flock 9
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing
echo "install-deps: installed$missing"
