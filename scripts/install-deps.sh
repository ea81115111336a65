#!/bin/sh
# Install what sysray needs; safe to run again (only missing packages are installed).
# usage: scripts/install-deps.sh [--test] [--bench] [--arm64]
#   (none)   what building and running sysray needs
#   --test   also what `make test` starts: strace to compare with, Criterion, qemu for the
#            6.1 smoke suite, headless Chromium (renders the HTML report), tmux (drives
#            sysray top), the sanitizer and libFuzzer runtimes of `make test SANITIZE=1`
#            and `make fuzz`
#   --bench  also the peers `make bench` measures (perf, bpftrace, syscount, hyperfine)
#   --arm64  also what `make ARCH=arm64` and `make vmtest ARCH=arm64` need (cross compiler,
#            arm64 libraries through Debian multiarch, qemu-system-arm)
set -eu
build="make gcc clang llvm libbpf-dev bpftool libelf-dev libdw-dev zlib1g-dev pkg-config libncurses-dev
	libmicrohttpd-dev libcrypt-dev"
test="libcriterion-dev strace qemu-system-x86 cpio chromium tmux prometheus curl
	openssl python3 libclang-rt-dev liblzma-dev libbz2-dev"
bench="linux-perf bpftrace libbpf-tools hyperfine"
arm64="gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-system-arm libbpf-dev:arm64 libelf-dev:arm64
libdw-dev:arm64 liblzma-dev:arm64 libbz2-dev:arm64 zlib1g-dev:arm64 libncurses-dev:arm64 libmicrohttpd-dev:arm64 libcrypt-dev:arm64"

pkgs=$build
for arg in "$@"; do
	case $arg in
	--test) pkgs="$pkgs $test" ;;
	--bench) pkgs="$pkgs $bench" ;;
	--arm64) pkgs="$pkgs $arm64" ;;
	*)
		echo "usage: $0 [--test] [--bench] [--arm64]" >&2
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
case $missing in
*:arm64*) dpkg --print-foreign-architectures | grep -qx arm64 || dpkg --add-architecture arm64 ;;
esac
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing
echo "install-deps: installed$missing"
