#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# What the pid-namespace translation costs (docs/design.md, "Pid namespaces"): the BPF run
# time per call of sys_enter and sys_exit (run_time_ns / run_cnt, with BPF_ENABLE_STATS held
# by tests/bench/bench_stats), in interleaved rounds, medians. Per-program run time is not
# inflated by other load preempting the storm, which wall-clock storms on a shared VM are.
#
#   U-*-host  untraced path: sysray -- sleep, a storm outside the traced set, on the host
#   U-*-nsh   the same with sysray in a pid namespace and the storm on the host (rejected
#             by its pid's level)
#   U-*-nss   ... and the storm in a sibling namespace (rejected by the namespace compare)
#   T-*-host  traced path: sysray -- storm, sampled while the storm runs (the storm makes
#             most of the calls; the rest of the machine makes the others)
#   T-*-ns    the same inside a pid namespace
#
# usage: scripts/bench-pidns.sh [BASE_SYSRAY]   (as root; make bench-pidns builds and runs it.
# BASE: another build, main's say, measured on the host in the same rounds.) BENCH_ROUNDS,
# BENCH_CALLS (the traced rows need storms long enough to be sampled every 50 ms).
set -u
export LC_ALL=C
REPO=$(cd "$(dirname "$0")/.." && pwd)
OUT=${OUTPUT:-.output}
case $OUT in /*) ;; *) OUT=$REPO/$OUT ;; esac
STORM=$OUT/workloads/storm
STATS=$OUT/bench/bench_stats
R=${BENCH_ROUNDS:-7}
N=${BENCH_CALLS:-1000000}
BINS="new:${SYSRAY:-$REPO/sysray}"
[ $# -ge 1 ] && BINS="base:$1 $BINS"

die() {
	echo "bench-pidns: $*" >&2
	exit 1
}
[ "$(id -u)" -eq 0 ] || die "must run as root"
for f in "$STORM" "$STATS" /usr/bin/unshare /usr/bin/nsenter; do
	[ -x "$f" ] || die "$f is missing (make bench; util-linux)"
done
if [ "${BENCH_PIDNS_INNER:-}" != 1 ]; then
	BENCH_PIDNS_INNER=1 exec "$STATS" "$0" "$@"
fi
# Private copies: a rebuild in the tree during the run must not change what is measured.
TMP=$(mktemp -d /tmp/sysray-bench-pidns.XXXXXX) || die "cannot create a temporary directory"
trap 'rm -rf "$TMP"' EXIT
copies=
for b in $BINS; do
	mkdir -p "$TMP/${b%%:*}" && cp "${b#*:}" "$TMP/${b%%:*}/sysray" || die "cannot copy ${b#*:}"
	copies+=" ${b%%:*}:$TMP/${b%%:*}/sysray"
done
BINS=$copies
cp "$STORM" "$TMP/storm" || die "cannot copy $STORM"
STORM=$TMP/storm

fdv() { awk -v k="$2:" '$1 == k { print $2; exit }' "$1" 2>/dev/null; }
prog_stats() { # PID TP -> "run_time_ns run_cnt"
	local pid=$1 tp=$2 f id= fi
	for f in /proc/"$pid"/fd/*; do
		[ "$(readlink "$f" 2>/dev/null)" = anon_inode:bpf_link ] || continue
		fi=/proc/$pid/fdinfo/${f##*/}
		[ "$(fdv "$fi" tp_name)" = "$tp" ] && id=$(fdv "$fi" prog_id) && break
	done
	[ -n "$id" ] || return 0
	for f in /proc/"$pid"/fd/*; do
		[ "$(readlink "$f" 2>/dev/null)" = anon_inode:bpf-prog ] || continue
		fi=/proc/$pid/fdinfo/${f##*/}
		[ "$(fdv "$fi" prog_id)" = "$id" ] && echo "$(fdv "$fi" run_time_ns) $(fdv "$fi" run_cnt)" && return 0
	done
}
both() { echo "$(prog_stats "$1" sys_enter) $(prog_stats "$1" sys_exit)"; }
first_child() { local c; c=$(cat /proc/"$1"/task/"$1"/children 2>/dev/null); echo "${c%% *}"; }
ratio() { # enter0 cnt0 exit0 cnt0 enter1 cnt1 exit1 cnt1 -> "enter/exit" ns per run
	awk -v a=$(($5 - $1)) -v b=$(($6 - $2)) -v c=$(($7 - $3)) -v d=$(($8 - $4)) \
		'BEGIN { printf "%.1f/%.1f", b ? a / b : 0, d ? c / d : 0 }'
}
# start BIN INNS ARGS...: sysray (in a new pid namespace if INNS) in the background; sets
# P (what to wait for) and SP (the sysray process)
start() {
	local bin=$1 inns=$2 i
	shift 2
	if [ "$inns" = 1 ]; then
		unshare -p -f --mount-proc --kill-child "$bin" "$@" >/dev/null 2>&1 &
		P=$!
		for ((i = 0; i < 500; i++)); do
			SP=$(first_child $P)
			[ -n "$SP" ] && [ "$(cat /proc/"$SP"/comm 2>/dev/null)" = "$(basename "$bin" | cut -c1-15)" ] && break
			sleep 0.01
		done
	else
		"$bin" "$@" >/dev/null 2>&1 &
		P=$! SP=$!
	fi
}
declare -A RES
untraced() { # NAME BIN INNS WHERE(host|sib)
	local name=$1 bin=$2 inns=$3 where=$4 sib= a b i
	start "$bin" "$inns" -o /dev/null -- sleep 1000
	for ((i = 0; i < 500; i++)); do
		[ "$(cat /proc/"$(first_child "$SP")"/comm 2>/dev/null)" = sleep ] &&
			[ "$(both "$SP" | wc -w)" = 4 ] && break
		sleep 0.02
	done
	if [ "$where" = sib ]; then
		unshare -p -f --mount-proc --kill-child sleep 1000 &
		sib=$!
		sleep 0.2
	fi
	a=$(both "$SP")
	if [ -n "$sib" ]; then
		nsenter -t "$(first_child $sib)" -p -m "$STORM" "$N" >/dev/null
	else
		"$STORM" "$N" >/dev/null
	fi
	b=$(both "$SP")
	kill "$(first_child "$SP")"
	wait $P 2>/dev/null
	[ -n "$sib" ] && { kill -KILL $sib; wait $sib 2>/dev/null; }
	RES[$name]+="$(ratio $a $b) "
}
traced() { # NAME BIN INNS
	local name=$1 bin=$2 inns=$3 a= b= s
	# three times the calls: the counters are sampled every 50 ms while it runs
	start "$bin" "$inns" -o /dev/null -- "$STORM" $((3 * N))
	while kill -0 $P 2>/dev/null; do
		s=$(both "$SP")
		if [ "$(echo $s | wc -w)" = 4 ]; then
			[ -z "$a" ] && a=$s
			b=$s
		fi
		sleep 0.05
	done
	wait $P
	if [ -z "$a" ]; then
		echo "bench-pidns: $name: the storm ended before it was sampled (raise BENCH_CALLS)" >&2
		return
	fi
	RES[$name]+="$(ratio $a $b) "
}

echo "bench-pidns: $(uname -r), $(nproc) CPUs, $R rounds, storms of $N getppid calls"
for ((r = 1; r <= R; r++)); do
	for b in $BINS; do
		n=${b%%:*} bin=${b#*:}
		untraced U-$n-host "$bin" 0 host
		traced T-$n-host "$bin" 0
		# a build without namespace support never ends inside one: host rows only
		[ "$n" = base ] && continue
		untraced U-$n-nsh "$bin" 1 host
		untraced U-$n-nss "$bin" 1 sib
		traced T-$n-ns "$bin" 1
	done
	echo "   round $r done" >&2
done
printf '%-14s %12s %12s   %s\n' variant "sys_enter" "sys_exit" "ns/run, medians (min-max)"
for k in $(printf '%s\n' "${!RES[@]}" | sort); do
	m=()
	for f in 1 2; do
		m+=("$(printf '%s\n' ${RES[$k]} | cut -d/ -f$f | sort -g | awk '{ v[NR] = $1 } END {
			n = NR; m = n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
			printf "%.1f (%.0f-%.0f)", m, v[1], v[n] }')")
	done
	printf '%-14s %18s %18s\n' "$k" "${m[0]}" "${m[1]}"
done
