#!/bin/sh
# Regenerate vmlinux/<arch>/vmlinux.h from a kernel's BTF, for CO-RE builds.
# The header is committed so builds do not depend on the build host's kernel;
# CO-RE relocations adapt the programs to the running kernel at load time.
# usage: [ARCH=arm64] scripts/gen-vmlinux.sh [BTF_FILE | KERNEL_IMAGE | DEB]
#   (default /sys/kernel/btf/vmlinux; a kernel image or a linux-image .deb of another
#   architecture works too: its BTF is cut out with scripts/btf-from-image.py)
set -eu
btf=${1:-/sys/kernel/btf/vmlinux}
src=$btf
top=$(cd "$(dirname "$0")/.." && pwd)
# Each architecture names the `uname -m` it serves in user/arch/<arch>/arch.mk.
arch=${ARCH:-$(cat "$top"/user/arch/*/arch.mk | awk -v m="$(uname -m)" '$1 == "ARCH_OF_" m { print $3 }')}
[ -n "$arch" ] || { echo "gen-vmlinux: unsupported architecture $(uname -m)" >&2; exit 1; }
[ -r "$btf" ] || { echo "gen-vmlinux: no BTF at $btf (kernel needs CONFIG_DEBUG_INFO_BTF=y)" >&2; exit 1; }
mkdir -p "$top/vmlinux/$arch"
tmp=$(mktemp)
raw=$(mktemp -d)
trap 'rm -rf "$tmp" "$raw"' EXIT
case $btf in
*.deb)
	dpkg-deb -x "$btf" "$raw/deb"
	"$top/scripts/btf-from-image.py" "$(ls "$raw"/deb/boot/vmlinuz-* | head -n 1)" "$raw/btf"
	btf=$raw/btf
	;;
*)
	# Raw BTF (/sys/kernel/btf/vmlinux) or an ELF vmlinux go to bpftool as they are.
	magic=$(od -An -tx1 -N4 "$btf" | tr -d ' ')
	if [ "$magic" != 9feb0100 ] && [ "$magic" != 7f454c46 ]; then
		"$top/scripts/btf-from-image.py" "$btf" "$raw/btf"
		btf=$raw/btf
	fi
	;;
esac
${BPFTOOL:-bpftool} btf dump file "$btf" format c >"$tmp"
chmod 644 "$tmp"
mv "$tmp" "$top/vmlinux/$arch/vmlinux.h"
trap - EXIT
echo "wrote vmlinux/$arch/vmlinux.h from $src"
