#!/bin/sh
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#
# make vmtest: boot another kernel in qemu (software emulation: no /dev/kvm needed) with an
# initramfs holding a static sysray, static workloads and the smoke suite
# (tests/vmtest/smoke.sh); print the suite's lines and fail if any check failed.
#
# usage: scripts/vmtest.sh KERNEL ARCH OUTDIR
#   KERNEL  a Debian kernel package (linux-image-6.1.0-50-cloud-amd64), a .deb, a kernel
#           image file, or "host" to run the same suite on the running kernel (as root);
#           packages are fetched with apt-get download into OUTDIR/cache
#   ARCH    x86 or arm64 (sysray's arch names); OUTDIR/sysray is the static binary for it
#   OUTDIR  where the static build, the workloads and the initramfs go
# Environment: VMTEST_CPUS (default 2), VMTEST_MEM (MiB, default 1024),
# VMTEST_TIMEOUT (seconds, default 1800), CROSS_CC (arm64: aarch64-linux-gnu-gcc),
# VMTEST_RUN (a shell command to run in the VM instead of the suite, for debugging; its
# output is printed whole).
set -eu

die() {
	echo "vmtest: $*" >&2
	exit 1
}

[ $# -eq 3 ] || die "usage: $0 KERNEL ARCH OUTDIR"
kernel=$1
arch=$2
out=$3
top=$(cd "$(dirname "$0")/.." && pwd)
cpus=${VMTEST_CPUS:-2}
mem=${VMTEST_MEM:-1024}
timeout=${VMTEST_TIMEOUT:-1800}

case $arch in
x86)
	debarch=amd64
	cc=${CC:-cc}
	qemu="qemu-system-x86_64 -cpu max"
	console=ttyS0
	;;
arm64)
	debarch=arm64
	cc=${CROSS_CC:-aarch64-linux-gnu-gcc}
	qemu="qemu-system-aarch64 -machine virt -cpu max"
	console=ttyAMA0
	;;
*) die "unknown ARCH '$arch' (x86 or arm64)" ;;
esac
# The workloads are static, so the counts are not muddied by a dynamic loader.
build_workloads() { # dir
	for w in known storm sleeper; do
		$cc -std=gnu11 -O1 -static -D_GNU_SOURCE -U_FORTIFY_SOURCE -I"$top/include" \
			"$top/tests/workloads/$w.c" -lpthread -o "$1/$w" ||
			die "cannot build the $w workload for $arch"
	done
}

if [ "$kernel" = host ]; then
	dir=$out/host
	rm -rf "$dir"
	mkdir -p "$dir"
	cp "$out/sysray" "$dir/sysray"
	build_workloads "$dir"
	start=$(date +%s)
	sh "$top/tests/vmtest/smoke.sh" "$(cd "$dir" && pwd)" | tee "$out/host.log" | grep '^SMOKE'
	secs=$(($(date +%s) - start))
	done_line=$(grep '^SMOKE DONE' "$out/host.log" || true)
	[ -n "$done_line" ] || die "the suite did not finish"
	echo "vmtest: host $(uname -r): ${done_line#SMOKE DONE } passed in $secs s"
	! grep -q '^SMOKE FAIL' "$out/host.log"
	exit
fi

command -v ${qemu%% *} >/dev/null || die "${qemu%% *} is missing: scripts/install-deps.sh --vmtest"
command -v cpio >/dev/null || die "cpio is missing: scripts/install-deps.sh --vmtest"

mkdir -p "$out/cache"
cache=$(cd "$out/cache" && pwd)

# A Debian package: fetched once and unpacked; its vmlinuz is the kernel.
fetch() { # package -> unpacked directory
	pkg=$1
	dir=$cache/$pkg
	if [ ! -d "$dir" ]; then
		deb=$(ls "$cache"/"${pkg%%:*}"_*.deb 2>/dev/null | head -n 1 || true)
		if [ -z "$deb" ]; then
			(cd "$cache" && apt-get download "$pkg" >/dev/null 2>&1) ||
				die "cannot download $pkg (apt-get update? arm64: dpkg --add-architecture arm64)"
			deb=$(ls "$cache"/"${pkg%%:*}"_*.deb | head -n 1)
		fi
		dpkg-deb -x "$deb" "$dir.tmp" && mv "$dir.tmp" "$dir"
	fi
	echo "$dir"
}

case $kernel in
*.deb)
	dir=$cache/$(basename "$kernel" .deb)
	[ -d "$dir" ] || { dpkg-deb -x "$kernel" "$dir.tmp" && mv "$dir.tmp" "$dir"; }
	image=$(ls "$dir"/boot/vmlinuz-* | head -n 1)
	;;
linux-image-*)
	pkg=$kernel
	[ "$debarch" = amd64 ] || pkg=$kernel:$debarch
	# A meta package (linux-image-cloud-amd64) names the current kernel of its flavour.
	case $kernel in
	linux-image-[0-9]*) ;;
	*)
		real=$(apt-cache depends "$pkg" 2>/dev/null | awk '/Depends: linux-image-/ { print $2; exit }')
		[ -n "$real" ] || die "cannot resolve $pkg (apt-get update?)"
		pkg=${real%%:*}
		[ "$debarch" = amd64 ] || pkg=$pkg:$debarch
		;;
	esac
	image=$(ls "$(fetch "$pkg")"/boot/vmlinuz-* | head -n 1)
	;;
*) image=$kernel ;;
esac
[ -r "$image" ] || die "no kernel image for '$kernel'"

# The initramfs: busybox, /init, the suite, a static sysray and static workloads.
busybox=$(fetch "busybox-static:$debarch")/bin/busybox
root=$out/root
rm -rf "$root"
mkdir -p "$root/bin" "$root/smoke" "$root/proc" "$root/sys" "$root/dev" "$root/tmp"
cp "$busybox" "$root/bin/busybox"
cp "$top/tests/vmtest/init" "$root/init"
cp "$top/tests/vmtest/smoke.sh" "$root/smoke/smoke.sh"
cp "$out/sysray" "$root/smoke/sysray"
build_workloads "$root/smoke"
[ -z "${VMTEST_RUN:-}" ] || printf '%s\n' "$VMTEST_RUN" >"$root/smoke/run"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$out/initramfs.gz"

echo "vmtest: booting $(basename "$image") ($arch, $cpus CPUs, $mem MiB, software emulation)"
start=$(date +%s)
log=$out/console.log
# shellcheck disable=SC2086
timeout "$timeout" $qemu -m "$mem" -smp "$cpus" -nographic -no-reboot \
	-kernel "$image" -initrd "$out/initramfs.gz" \
	-append "console=$console panic=-1 loglevel=3 rdinit=/init" >"$log" 2>&1 || true
secs=$(($(date +%s) - start))
if [ -n "${VMTEST_RUN:-}" ]; then
	tr -d '\r' <"$log"
	exit 0
fi
tr -d '\r' <"$log" | grep '^SMOKE' || true
done_line=$(tr -d '\r' <"$log" | grep '^SMOKE DONE' || true)
[ -n "$done_line" ] || die "the suite did not finish in $secs s; console: $log"
echo "vmtest: $(basename "$image"): ${done_line#SMOKE DONE } passed in $secs s"
tr -d '\r' <"$log" | grep -q '^SMOKE FAIL' && exit 1
exit 0
