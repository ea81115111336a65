#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# make soak: sysray in service mode for a long time under churn, scraped every second.
#
#   sysray -a --listen 127.0.0.1:PORT --metrics-by cgroup --anomaly, for SOAK_SECS (1800);
#   meanwhile, in a loop: a batch of SOAK_CGROUPS (50) short-lived cgroups with a process
#   each (tests/workloads/cgchurn), a storm on every core for about a second (sized as
#   `make bench` sizes its zero-drop storms), a known workload, 10 s of pause; a scraper GETs
#   /metrics every second. Every 10 s it records sysray's RSS, its series, and the
#   received and dropped counts. At the end: RSS after warm-up vs at the end, the drops.
#
# Not part of `make test` (it takes half an hour). Needs root, and a cgroup2 mount.
set -u
export LC_ALL=C

REPO=$(cd "$(dirname "$0")/.." && pwd)
OUT=${OUTPUT:-.output}
case $OUT in /*) ;; *) OUT=$REPO/$OUT ;; esac
SYSRAY=${SYSRAY:-$REPO/sysray}
SECS=${SOAK_SECS:-1800}
CGROUPS=${SOAK_CGROUPS:-50}
WARMUP=${SOAK_WARMUP:-720} # the default --metrics-expire (600 s) and two minutes
LOG=${SOAK_LOG:-$OUT/soak.csv}
NPROC=$(nproc)

die() {
	echo "soak: $*" >&2
	exit 1
}

[ "$(id -u)" -eq 0 ] || die "must run as root"
for f in "$SYSRAY" "$OUT/workloads/storm" "$OUT/workloads/cgchurn" "$OUT/workloads/known"; do
	[ -x "$f" ] || die "$f is missing: run 'make soak'"
done
command -v curl >/dev/null || die "needs curl"
CGMOUNT=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
[ -n "$CGMOUNT" ] || die "no cgroup2 mount"

TMP=$(mktemp -d /tmp/sysray-soak.XXXXXX) || die "cannot create a temporary directory"
CGDIR=$CGMOUNT/sysray-soak-$$
PIDS=()
cleanup() {
	for p in ${PIDS[@]+"${PIDS[@]}"}; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	rmdir "$CGDIR"/c* "$CGDIR" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
mkdir -p "$CGDIR" || die "cannot create $CGDIR"
# Private copies: a rebuild in the tree during the soak must not change what runs.
mkdir -p "$TMP/bin"
cp "$SYSRAY" "$TMP/bin/sysray" && cp "$OUT"/workloads/{storm,cgchurn,known} "$TMP/bin/" ||
	die "cannot copy the binaries"
SYSRAY=$TMP/bin/sysray
WL=$TMP/bin

"$SYSRAY" -a --listen 127.0.0.1:0 --metrics-by cgroup --anomaly --anomaly-log "$TMP/anomaly.log" \
	2>"$TMP/sysray.err" &
SPID=$!
PIDS+=("$SPID")
for _ in $(seq 300); do
	grep -q '^sysray: tracing' "$TMP/sysray.err" && break
	sleep 0.1
done
PORT=$(sed -n 's|.*http://127.0.0.1:\([0-9]*\)/metrics.*|\1|p' "$TMP/sysray.err")
[ -n "$PORT" ] || die "sysray did not start: $(cat "$TMP/sysray.err")"
echo "soak: sysray pid $SPID on port $PORT for $SECS s; $CGROUPS cgroups a round; log $LOG"

# The scraper: one GET a second, the HTTP code and size of each, until told to stop.
(
	while [ ! -e "$TMP/stop" ] && kill -0 "$SPID" 2>/dev/null; do
		curl -s -o /dev/null -w '%{http_code} %{size_download}\n' \
			"http://127.0.0.1:$PORT/metrics" >>"$TMP/scrapes"
		sleep 1
	done
) &
PIDS+=($!)

# The load: churn, a storm on every core, a known workload, a pause.
(
	round=0 chunk=200000
	while [ ! -e "$TMP/stop" ] && kill -0 "$SPID" 2>/dev/null; do
		"$WL/cgchurn" "$CGDIR" "$CGROUPS" 20 >/dev/null || echo "churn failed" >>"$TMP/load.err"
		# About a second of storm on every core, sized from the previous one's speed.
		"$WL/storm" "$chunk" "$NPROC" >"$TMP/storm.out" 2>&1
		cat "$TMP/storm.out" >>"$TMP/storms"
		chunk=$(sed -n 's/.* \([0-9.]*\) ns\/syscall.*/\1/p' "$TMP/storm.out" |
			awk -v d="$chunk" '{ printf "%d", ($1 > 0 ? 1e9 / $1 : d) }')
		[ -n "$chunk" ] && [ "$chunk" -gt 0 ] || chunk=200000
		"$WL/known" getppid=1000 enoent=100 write=100 thread=100 >/dev/null
		round=$((round + 1))
		echo "$round" >"$TMP/rounds"
		sleep 10
	done
) &
PIDS+=($!)

metric() { awk -v m="$1" '$1 == m { print $2; exit }' "$TMP/m.txt"; }

echo "t_s,rss_kb,anon_kb,series,series_folded,series_expired,received,dropped,render_cpu_s,doc_bytes" >"$LOG"
T0=$EPOCHSECONDS
while [ $((EPOCHSECONDS - T0)) -lt "$SECS" ]; do
	sleep 10
	kill -0 "$SPID" 2>/dev/null || die "sysray exited: $(tail -3 "$TMP/sysray.err")"
	curl -s -o "$TMP/m.txt" "http://127.0.0.1:$PORT/metrics" || continue
	rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$SPID/status")
	anon=$(awk '/^RssAnon/ { print $2 }' "/proc/$SPID/status")
	echo "$((EPOCHSECONDS - T0)),$rss,$anon,$(metric sysray_series),$(metric sysray_series_folded_total)," \
		"$(metric sysray_series_expired_total),$(metric sysray_events_received_total)," \
		"$(metric sysray_events_dropped_total),$(metric sysray_exposition_render_seconds)," \
		"$(metric sysray_exposition_bytes)" | tr -d ' ' >>"$LOG"
done
HWM=$(awk '/^VmHWM/ { print $2 }' "/proc/$SPID/status")
# The load and the scraper finish their round before sysray stops.
touch "$TMP/stop"
for p in "${PIDS[@]:1}"; do wait "$p" 2>/dev/null; done
kill -INT "$SPID"
wait "$SPID"
echo "soak: sysray exited with $?"

awk -F, -v w="$WARMUP" -v hwm="$HWM" 'NR > 1 {
	n++; last = $0; rss = $2
	if ($1 >= w && !base) { base = rss; bt = $1 }
	if ($1 >= w) { if (rss > max) max = rss; if (!min || rss < min) min = rss }
	drop = $8; recv = $7; if ($9 > rmax) rmax = $9; if ($10 > bmax) bmax = $10
} END {
	printf "soak: %d samples; RSS after warm-up (%d s) %d KiB, min %d, max %d, at the end %d KiB; peak (VmHWM) %d KiB\n", n, bt, base, min, max, rss, hwm
	printf "soak: %d records received, %d dropped; rendering at most %.4f s of CPU, %d bytes\n", recv, drop, rmax, bmax
}' "$LOG"
echo "soak: $(wc -l <"$TMP/scrapes") scrapes, $(grep -vc '^200 ' "$TMP/scrapes") not 200" \
	"($(grep -v '^200 ' "$TMP/scrapes" | cut -d' ' -f1 | sort | uniq -c | tr -s ' \n' ' '));" \
	"$(cat "$TMP/rounds" 2>/dev/null || echo 0) load rounds of $CGROUPS cgroups;" \
	"storms: $(awk '{ n += $2 } END { print n + 0 }' "$TMP/storms") calls"
[ -s "$TMP/load.err" ] && cat "$TMP/load.err"
exit 0
