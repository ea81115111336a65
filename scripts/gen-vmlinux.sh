#!/bin/sh
# Regenerate vmlinux/<arch>/vmlinux.h from a kernel's BTF, for CO-RE builds.
# The header is committed so builds do not depend on the build host's kernel;
# CO-RE relocations adapt the programs to the running kernel at load time.
# usage: [ARCH=arm64] scripts/gen-vmlinux.sh [BTF_FILE] (default /sys/kernel/btf/vmlinux)
set -eu
btf=${1:-/sys/kernel/btf/vmlinux}
top=$(cd "$(dirname "$0")/.." && pwd)
# Each architecture names the `uname -m` it serves in user/arch/<arch>/arch.mk.
arch=${ARCH:-$(cat "$top"/user/arch/*/arch.mk | awk -v m="$(uname -m)" '$1 == "ARCH_OF_" m { print $3 }')}
[ -n "$arch" ] || { echo "gen-vmlinux: unsupported architecture $(uname -m)" >&2; exit 1; }
[ -r "$btf" ] || { echo "gen-vmlinux: no BTF at $btf (kernel needs CONFIG_DEBUG_INFO_BTF=y)" >&2; exit 1; }
mkdir -p "$top/vmlinux/$arch"
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
${BPFTOOL:-bpftool} btf dump file "$btf" format c >"$tmp"
chmod 644 "$tmp"
mv "$tmp" "$top/vmlinux/$arch/vmlinux.h"
trap - EXIT
echo "wrote vmlinux/$arch/vmlinux.h from $btf"
