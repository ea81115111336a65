#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# make bench: what sysray costs, measured side by side with its peers in one run.
#
#   1. getppid() storm: ns/syscall untraced, under the bench hook variants (the empty-hook
#      floor, the no-output limit of two clocks and a store, the two ways of sampling),
#      under sysray (command, system-wide, --sample 64, -a -e trace=openat; per-call
#      events with nothing or everything shown) and under the peers, in interleaved rounds, medians; ratios to the floor and to the limit
#   2. zero-drop check: sysray -a with a storm on every core, exact counts compared; the
#      same with the smallest default ring (RING_MIN in user/trace/tracer_rings.c)
#   3. real workloads (tar, make -j2): wall clock traced vs untraced, interleaved, medians;
#      tar also under the empty hooks and under --sample 64
#   4. consumer throughput (tests/bench/bench_consumer, also with the html and top sinks) and sysray's CPU at 1 M syscalls/s
#   5. memory: sysray's peak RSS and its BPF maps
#   6. per-program cost from kernel.bpf_stats_enabled
#   7. the statistics engine: histogram records/s, percentile pass (tests/bench/bench_hist)
#   8. service mode: series, document size and rendering CPU, memory of sysray -a --listen
#   9. --stacks: the cost of a captured stack, frame-pointer and DWARF mode (kernel side in
#      the traced task, userspace in sysray), interleaved rounds
#
# Run by `make bench` as root. BENCH_QUICK=1 gives a ~1 minute version; BENCH_ONLY="sysray
# metrics" runs only those storm variants (and the untraced one) in section 1. Overrides:
# BENCH_ROUNDS, BENCH_CALLS, BENCH_PERF_CALLS, BENCH_STRACE_CALLS, BENCH_EV_CALLS,
# BENCH_REAL_ROUNDS, BENCH_DROP_SECS, BENCH_STACK_CALLS. Timings on a shared VM are noisy: read the ratios, not the absolutes.
set -u
export LC_ALL=C

REPO=$(cd "$(dirname "$0")/.." && pwd)
OUT=${OUTPUT:-.output}
case $OUT in /*) ;; *) OUT=$REPO/$OUT ;; esac
SYSRAY=${SYSRAY:-$REPO/sysray}
STORM=$OUT/workloads/storm
CONSUMER=$OUT/bench/bench_consumer
HISTBENCH=$OUT/bench/bench_hist
HOOKS=$OUT/bench/bench_hooks
NPROC=$(nproc)

if [ "${BENCH_QUICK:-0}" = 1 ]; then
	ROUNDS=3 CALLS=1000000 PERF_CALLS=30000 STRACE_CALLS=10000 EV_CALLS=50000 REAL_ROUNDS=3
	DROP_SECS=4
else
	ROUNDS=9 CALLS=2000000 PERF_CALLS=100000 STRACE_CALLS=50000 EV_CALLS=200000 REAL_ROUNDS=7
	DROP_SECS=10
fi
# Every call of these storms gets a stack: few enough that the stack ring (4 MiB in
# frame-pointer mode, 32 MiB in DWARF mode) holds them all even if sysray lags.
STACK_CALLS=${BENCH_STACK_CALLS:-3000}
ROUNDS=${BENCH_ROUNDS:-$ROUNDS}
CALLS=${BENCH_CALLS:-$CALLS}
PERF_CALLS=${BENCH_PERF_CALLS:-$PERF_CALLS}
STRACE_CALLS=${BENCH_STRACE_CALLS:-$STRACE_CALLS}
EV_CALLS=${BENCH_EV_CALLS:-$EV_CALLS}
REAL_ROUNDS=${BENCH_REAL_ROUNDS:-$REAL_ROUNDS}
DROP_SECS=${BENCH_DROP_SECS:-$DROP_SECS}

die() {
	echo "bench: $*" >&2
	exit 1
}

[ "$(id -u)" -eq 0 ] || die "must run as root (BPF, tracefs, sysctl)"
for f in "$SYSRAY" "$STORM" "$CONSUMER" "$HISTBENCH" "$HOOKS"; do
	[ -x "$f" ] || die "$f is missing: run 'make bench'"
done
[ -n "${EPOCHREALTIME:-}" ] || die "needs bash >= 5 (EPOCHREALTIME)"

TMP=$(mktemp -d /tmp/sysray-bench.XXXXXX) || die "cannot create a temporary directory"
BG_PIDS=()
STATS_ORIG=
MOUNTED_TRACEFS=0

cleanup() {
	local p
	for p in ${BG_PIDS[@]+"${BG_PIDS[@]}"}; do
		kill -INT "$p" 2>/dev/null && sleep 0.5
		kill -KILL "$p" 2>/dev/null
	done
	[ -n "$STATS_ORIG" ] && echo "$STATS_ORIG" >/proc/sys/kernel/bpf_stats_enabled
	[ "$MOUNTED_TRACEFS" = 1 ] && umount /sys/kernel/tracing 2>/dev/null
	cd / && rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

cd "$TMP" || die "cannot enter $TMP"
# Run private copies: a rebuild in the tree during the run must not change what is measured.
mkdir -p "$TMP/bin"
for f in "$SYSRAY" "$STORM" "$CONSUMER" "$HISTBENCH" "$HOOKS"; do
	cp "$f" "$TMP/bin/" || die "cannot copy $f"
done
SYSRAY=$TMP/bin/${SYSRAY##*/} STORM=$TMP/bin/${STORM##*/} CONSUMER=$TMP/bin/${CONSUMER##*/}
HISTBENCH=$TMP/bin/${HISTBENCH##*/} HOOKS=$TMP/bin/${HOOKS##*/}

# --- helpers ------------------------------------------------------------------------

median() { # numbers on stdin -> median
	sort -g | awk '{ v[NR] = $1 } END {
		if (NR == 0) exit
		if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

minmax() { # [FORMAT] numbers on stdin -> "min-max"
	sort -g | awk -v f="${1:-%g}" 'NR == 1 { lo = $1 } { hi = $1 } END { if (NR) printf f "-" f, lo, hi }'
}

fsub() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.6f", a - b }'; }

storm_ns() { sed -n 's/.* \([0-9.]*\) ns\/syscall.*/\1/p' "$1" | tail -1; }
storm_cpu() { sed -n 's/^storm-cpu: \([0-9.]*\) .*/\1/p' "$1" | tail -1; }

# bg_start LOG READY_REGEX CMD...: start CMD in the background, output to LOG, and wait
# (up to 30 s) until LOG matches READY_REGEX. Sets BG to its pid.
bg_start() {
	local log=$1 re=$2 i
	shift 2
	"$@" >"$log" 2>&1 &
	BG=$!
	BG_PIDS+=("$BG")
	for ((i = 0; i < 600; i++)); do
		grep -qE "$re" "$log" 2>/dev/null && return 0
		kill -0 "$BG" 2>/dev/null || break
		sleep 0.05
	done
	bg_stop "$BG"
	return 1
}

# bg_stop PID: SIGINT, then SIGKILL after 30 s; reap it.
bg_stop() {
	local pid=$1 i keep=() p
	kill -INT "$pid" 2>/dev/null
	for ((i = 0; i < 300; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	for p in ${BG_PIDS[@]+"${BG_PIDS[@]}"}; do
		[ "$p" = "$pid" ] || keep+=("$p")
	done
	BG_PIDS=(${keep[@]+"${keep[@]}"})
}

# with_bg READY_REGEX CMD... -- STORM_ARGS...: the storm under a background tracer.
with_bg() {
	local re=$1 cmd=()
	shift
	while [ "$1" != -- ]; do
		cmd+=("$1")
		shift
	done
	shift
	bg_start "$TMP/bg.log" "$re" "${cmd[@]}" || {
		echo "bench: '${cmd[*]}' did not start:" >&2
		tail -3 "$TMP/bg.log" >&2
		return 1
	}
	"$STORM" "$@"
	bg_stop "$BG"
}

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null; }

# bpf_fdinfo PID KIND: "fd" lines of a process's BPF objects (KIND: map, prog, link)
bpf_fds() {
	local pid=$1 kind=$2 f
	for f in /proc/"$pid"/fd/*; do
		case $(readlink "$f" 2>/dev/null) in
		"anon_inode:bpf-$kind" | "anon_inode:bpf_$kind") echo "${f##*/}" ;;
		esac
	done
}

fdinfo_val() { awk -v k="$2:" '$1 == k { print $2; exit }' "$1"; }

# prog_stats PID TP: "run_time_ns run_cnt recursion_misses id name", one line per program of
# PID attached to TP (two with --events: the summary's and the events')
prog_stats() {
	local pid=$1 tp=$2 fd id ids=() fi name
	for fd in $(bpf_fds "$pid" link); do
		if [ "$(fdinfo_val "/proc/$pid/fdinfo/$fd" tp_name)" = "$tp" ]; then
			ids+=("$(fdinfo_val "/proc/$pid/fdinfo/$fd" prog_id)")
		fi
	done
	[ ${#ids[@]} -gt 0 ] || return 1
	for id in "${ids[@]}"; do
		for fd in $(bpf_fds "$pid" prog); do
			fi=/proc/$pid/fdinfo/$fd
			[ "$(fdinfo_val "$fi" prog_id)" = "$id" ] || continue
			name=$(bpftool prog show id "$id" 2>/dev/null | awk 'NR == 1 { print $4 }')
			echo "$(fdinfo_val "$fi" run_time_ns) $(fdinfo_val "$fi" run_cnt)" \
				"$(fdinfo_val "$fi" recursion_misses) $id ${name:-$tp}"
		done
	done
}

have_py() { command -v python3 >/dev/null 2>&1; }

# json_profile FILE: "received dropped getppid_calls total_calls" from a sysray JSON report
json_profile() {
	if have_py; then
		python3 - "$1" <<'EOF'
import json, sys
p = json.load(open(sys.argv[1]))
sc = p.get("syscalls", [])
g = sum(s["calls"] for s in sc if s["name"] == "getppid" and s.get("abi", "x86_64") == "x86_64")
print(p["events"]["received"], p["events"]["dropped"], g, sum(s["calls"] for s in sc))
EOF
	elif command -v jq >/dev/null 2>&1; then
		jq -r '[.events.received, .events.dropped,
			([.syscalls[] | select(.name == "getppid" and .abi == "x86_64") | .calls] | add // 0),
			([.syscalls[].calls] | add // 0)] | @tsv' "$1"
	else
		echo "? ? ? ?"
	fi
}

hr() { printf '\n== %s ==\n' "$*"; }

# --- set-up -------------------------------------------------------------------------

echo "sysray bench: $(uname -r), $NPROC CPUs, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)," \
	"$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo), pid_max $(cat /proc/sys/kernel/pid_max)"
[ "${BENCH_QUICK:-0}" = 1 ] && echo "BENCH_QUICK=1: fewer rounds and calls"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
# Another tracer on the raw syscall tracepoints puts every syscall on the traced path,
# 'untraced' included: the floor and the ratios then mean nothing. Say so.
FOREIGN=$(bpftool link show 2>/dev/null | grep -c "tp 'sys_enter'")
[ "${FOREIGN:-0}" -gt 0 ] && echo "!! $FOREIGN program(s) of another tracer already attached to sys_enter:" \
	"every syscall, 'untraced' included, pays for them; these figures are not those of a quiet machine"

SYSCOUNT=
for c in /usr/sbin/syscount "$(command -v syscount 2>/dev/null)"; do
	if [ -n "$c" ] && [ -x "$c" ]; then
		SYSCOUNT=$c
		break
	fi
done
BPFTRACE=$(command -v bpftrace 2>/dev/null)
PERF=$(command -v perf 2>/dev/null)
STRACE=$(command -v strace 2>/dev/null)
STDBUF=$(command -v stdbuf 2>/dev/null)

if [ -n "$BPFTRACE" ] || [ -n "$PERF" ]; then
	if [ ! -d /sys/kernel/tracing/events ]; then
		if mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null; then
			MOUNTED_TRACEFS=1
			echo "mounted tracefs on /sys/kernel/tracing for bpftrace and perf trace" \
				"(unmounted at exit)"
		else
			echo "tracefs is not mounted and could not be: skipping bpftrace and perf trace"
			BPFTRACE='' PERF=''
		fi
	fi
fi
if [ -n "$PERF" ] && ! "$PERF" trace -s -o /dev/null -- true >/dev/null 2>&1; then
	echo "skipping perf trace: 'perf trace -s -- true' fails here"
	PERF=
fi

BT_PROG='tracepoint:raw_syscalls:sys_enter { @start[tid] = nsecs; }
tracepoint:raw_syscalls:sys_exit /@start[tid]/ { @h = hist(nsecs - @start[tid]); delete(@start[tid]); }'

# name|scope|calls|description
VARIANTS=(
	"untraced|-|$CALLS|storm alone"
	"bare|command|$CALLS|bench_hooks bare: the floor (empty tp_btf pair)"
	"array|command|$CALLS|bench_hooks array: the limit (2 clocks + store)"
	"random|command|$CALLS|bench_hooks random (1 in 64 timed, at random)"
	"stride|command|$CALLS|bench_hooks stride (every 64th call of a CPU)"
	"task|command|$CALLS|bench_hooks task (task storage)"
	"hash|command|$CALLS|bench_hooks hash (hash map)"
	"sysray|command|$CALLS|sysray -o /dev/null -- storm"
	"sample|command|$CALLS|sysray --sample 64 -o /dev/null -- storm"
	"shared|command|$CALLS|sysray --ring-layout shared (one ring, not per CPU)"
	"sysray-ns|command|$CALLS|unshare -p -f --mount-proc sysray -- storm (pid ns)"
	"sysray-a|system|$CALLS|sysray -a -o /dev/null (storm alongside)"
	"filt-none|system|$CALLS|sysray -a -e trace=!getppid (filters out all)"
	"filt-all|system|$CALLS|sysray -a -e trace=getppid --comm storm (passes all)"
	"ev-min|command|$CALLS|sysray --events --min-duration 1s (nothing shown)"
	"ev-all|command|$EV_CALLS|sysray --events --events-max-rate 0 -o FILE (every call)"
	"metrics|command|$CALLS|sysray --listen (metrics, no label) -- storm"
	"metrics-cg|command|$CALLS|sysray --listen --metrics-by cgroup -- storm"
	"openat-a|system|$CALLS|sysray -a -e trace=openat (hooks: see below)"
	"stk-none|command|$CALLS|sysray --stacks --stack-min-duration 1s (none qualifies)"
	"stk-smpl|command|$CALLS|sysray --stacks (sampled: a getppid seldom)"
)
if [ -n "$SYSCOUNT" ] && [ -n "$STDBUF" ]; then
	VARIANTS+=("syscount|system|$CALLS|syscount -L (libbpf-tools)")
else
	echo "skipping syscount: /usr/sbin/syscount (libbpf-tools) or stdbuf not installed"
fi
if [ -n "$BPFTRACE" ] && [ -n "$STDBUF" ]; then
	VARIANTS+=("bpftrace|system|$CALLS|bpftrace raw_syscalls latency hist")
else
	echo "skipping bpftrace: not installed"
fi
if [ -n "$PERF" ]; then
	VARIANTS+=("perf|command|$PERF_CALLS|perf trace -s -- storm")
	VARIANTS+=("perf-dur|command|$PERF_CALLS|perf trace --duration 1000 (nothing shown)")
	VARIANTS+=("perf-all|command|$PERF_CALLS|perf trace -o FILE (every call)")
else
	echo "skipping perf trace: not installed (linux-perf)"
fi
if [ -n "$STRACE" ]; then
	VARIANTS+=("strace|command|$STRACE_CALLS|strace -c -f -- storm")
	VARIANTS+=("strace-all|command|$STRACE_CALLS|strace -f -o FILE (every call)")
else
	echo "skipping strace: not installed"
fi

# BENCH_ONLY="untraced sysray metrics": only those variants of the storm (untraced always).
if [ -n "${BENCH_ONLY:-}" ]; then
	keep=()
	for v in "${VARIANTS[@]}"; do
		case " untraced $BENCH_ONLY " in *" ${v%%|*} "*) keep+=("$v") ;; esac
	done
	VARIANTS=("${keep[@]}")
fi

# run_variant NAME CALLS: the storm under NAME; its output goes to stdout
run_variant() {
	local v=$1 n=$2
	case $v in
	untraced) "$STORM" "$n" ;;
	bare | array | hash | task | random | stride) "$HOOKS" "$v" -- "$STORM" "$n" ;;
	sysray) "$SYSRAY" -o /dev/null -- "$STORM" "$n" ;;
	sample) "$SYSRAY" --sample 64 -o /dev/null -- "$STORM" "$n" ;;
	shared) "$SYSRAY" --ring-layout shared -o /dev/null -- "$STORM" "$n" ;;
	metrics) "$SYSRAY" --listen 127.0.0.1:0 -o /dev/null -- "$STORM" "$n" ;;
	metrics-cg)
		"$SYSRAY" --listen 127.0.0.1:0 --metrics-by cgroup -o /dev/null -- "$STORM" "$n"
		;;
	sysray-ns) unshare -p -f --mount-proc "$SYSRAY" -o /dev/null -- "$STORM" "$n" ;;
	stk-none) "$SYSRAY" --stacks --stack-min-duration 1s -o /dev/null -- "$STORM" "$n" ;;
	stk-smpl) "$SYSRAY" --stacks -o /dev/null -- "$STORM" "$n" ;;
	sysray-a) with_bg '^sysray: tracing' "$SYSRAY" -a -o /dev/null -- "$n" ;;
	filt-none) with_bg '^sysray: tracing' "$SYSRAY" -a -e 'trace=!getppid' -o /dev/null -- "$n" ;;
	filt-all)
		with_bg '^sysray: tracing' "$SYSRAY" -a -e trace=getppid --comm storm -o /dev/null \
			-- "$n"
		;;
	openat-a) with_bg '^sysray: tracing' "$SYSRAY" -a -e trace=openat -o /dev/null -- "$n" ;;
	syscount) with_bg '^Tracing' "$STDBUF" -oL "$SYSCOUNT" -L -- "$n" ;;
	bpftrace)
		# RLIMIT_MEMLOCK is not needed on >= 5.11 (memcg accounting); raise it if allowed.
		with_bg '^Attaching' bash -c 'ulimit -l unlimited 2>/dev/null; exec "$@"' _ \
			"$STDBUF" -oL "$BPFTRACE" -e "$BT_PROG" -- "$n"
		;;
	perf) "$PERF" trace -s -o "$TMP/perf.out" -- "$STORM" "$n" ;;
	perf-dur) "$PERF" trace --duration 1000 -o "$TMP/perf.out" -- "$STORM" "$n" ;;
	perf-all) "$PERF" trace -o "$TMP/perf.out" -- "$STORM" "$n" ;;
	strace) "$STRACE" -c -f -o "$TMP/strace.out" -- "$STORM" "$n" ;;
	strace-all) "$STRACE" -f -o "$TMP/strace.out" -- "$STORM" "$n" ;;
	ev-min) "$SYSRAY" --events --min-duration 1s -o /dev/null -- "$STORM" "$n" ;;
	ev-all) "$SYSRAY" --events --events-max-rate 0 -o "$TMP/ev.out" -- "$STORM" "$n" ;;
	esac
}

# --- 1. storm -----------------------------------------------------------------------

NV=${#VARIANTS[@]}
mkdir -p "$TMP/res"
echo
echo "1. getppid() storm: $ROUNDS interleaved rounds (order rotated each round) of ${#VARIANTS[@]} variants..."
for ((r = 0; r < ROUNDS; r++)); do
	line="   round $((r + 1)):"
	for ((k = 0; k < NV; k++)); do
		IFS='|' read -r name scope n desc <<<"${VARIANTS[(k + r) % NV]}"
		if run_variant "$name" "$n" >"$TMP/storm.out" 2>>"$TMP/errors.log"; then
			ns=$(storm_ns "$TMP/storm.out")
		else
			ns=
		fi
		if [ -n "$ns" ]; then
			echo "$ns" >>"$TMP/res/$name"
			storm_cpu "$TMP/storm.out" >>"$TMP/res/$name.cpu"
			line+=" $name $ns"
		else
			line+=" $name FAILED"
			echo "--- $name failed in round $((r + 1))" >>"$TMP/errors.log"
		fi
	done
	echo "$line" >&2
done

declare -A MED CPU
for v in "${VARIANTS[@]}"; do
	IFS='|' read -r name scope n desc <<<"$v"
	[ -s "$TMP/res/$name" ] && MED[$name]=$(median <"$TMP/res/$name")
	[ -s "$TMP/res/$name.cpu" ] && CPU[$name]=$(median <"$TMP/res/$name.cpu")
done
BASE=${MED[untraced]:-}
[ -n "$BASE" ] || die "the untraced storm failed: $(tail -5 "$TMP/errors.log")"
ADD_CMD=$([ -n "${MED[sysray]:-}" ] && fsub "${MED[sysray]}" "$BASE")
ADD_SYS=$([ -n "${MED[sysray-a]:-}" ] && fsub "${MED[sysray-a]}" "$BASE")
ADD_FLOOR=$([ -n "${MED[bare]:-}" ] && fsub "${MED[bare]}" "$BASE")
ADD_LIMIT=$([ -n "${MED[array]:-}" ] && fsub "${MED[array]}" "$BASE")

hr "1. getppid() storm: median ns/syscall of $ROUNDS interleaved rounds"
printf '%-54s %-7s %8s %10s %9s %8s %7s %7s %9s %9s  %s\n' variant scope calls ns/syscall \
	added "x sysray" "x floor" "x limit" "cpu-ns" "cpu added" "range (ns)"
for v in "${VARIANTS[@]}"; do
	IFS='|' read -r name scope n desc <<<"$v"
	med=${MED[$name]:-}
	if [ -z "$med" ]; then
		printf '%-54s %-7s %8s %10s\n' "$desc" "$scope" "$n" FAILED
		continue
	fi
	ref=$ADD_CMD
	[ "$scope" = system ] && ref=$ADD_SYS
	awk -v d="$desc" -v s="$scope" -v n="$n" -v m="$med" -v b="$BASE" -v ref="$ref" \
		-v fl="${ADD_FLOOR:-}" -v li="${ADD_LIMIT:-}" \
		-v c="${CPU[$name]:-}" -v cb="${CPU[untraced]:-}" \
		-v name="$name" -v rg="$(minmax <"$TMP/res/$name")" 'BEGIN {
		add = m - b
		if (name == "untraced") { a = "-"; x = "-"; xf = "-"; xl = "-"; ca = "-" }
		else {
			a = sprintf("%+.1f", add)
			x = (ref != "" && ref > 0) ? sprintf("%.2f", add / ref) : "?"
			xf = (fl != "" && fl > 0) ? sprintf("%.2f", add / fl) : "?"
			xl = (li != "" && li > 0) ? sprintf("%.2f", add / li) : "?"
			ca = (c != "" && cb != "") ? sprintf("%+.1f", c - cb) : "?"
		}
		printf "%-54s %-7s %8s %10.1f %9s %8s %7s %7s %9s %9s  %s\n", d, s, n, m, a, x, xf,
			xl, c == "" ? "?" : sprintf("%.1f", c), ca, rg }'
done
echo "cpu-ns: the storm's own CPU time per call (the BPF hooks run on it and are in it; the time"
echo "other tasks held the CPU is not, so it holds on a loaded machine; a ptrace tracer's own"
echo "work is not in it either, so for perf trace and strace only the wall clock counts)."
echo "added: ns/syscall over untraced. x sysray: added cost / sysray's added cost in the same"
echo "scope (command: 'sysray -- storm', system: 'sysray -a'); x floor: / the empty hook pair's"
echo "(bare); x limit: / the no-output limit's (array). perf trace and strace ran"
echo "$PERF_CALLS and $STRACE_CALLS calls (they are slow), sysray --events with every call"
echo "$EV_CALLS; the others $CALLS, one thread. 'every call' writes one line per call to a"
echo "file; 'nothing shown' selects calls by duration in the tracer and shows none."
if [ -s "$TMP/ev.out" ]; then
	echo "sysray --events (every call), its last round: $(grep -c '^\[pid .*getppid()' "$TMP/ev.out")" \
		"getppid lines written for $EV_CALLS calls;" \
		"$(grep -o 'events not shown: .*lost (event ring full)' "$TMP/errors.log" | tail -1 | sed 's/^/last warning: /')"
fi
echo "sysray -a -e trace=openat used: $("$SYSRAY" -e trace=openat --format json -o - -- true 2>/dev/null |
	sed -n 's/.*"hooks": *"\([a-z]*\)".*/\1/p')" \
	"(trampolines where the kernel allows them, else the tracepoints)"
if grep -q failed "$TMP/errors.log" 2>/dev/null; then
	echo "failures (last lines of stderr):"
	tail -6 "$TMP/errors.log" | sed 's/^/   /'
fi

# --- 2. zero-drop check (also feeds 4 and 5) ------------------------------------------

hr "2. zero-drop check: sysray -a --format json, ${DROP_SECS} s of $NPROC-thread storms (one thread per core)"
NS_A=${MED[sysray-a]:-${MED[sysray]:-$BASE}}
DROP_OK=0
if bg_start "$TMP/drop.err" '^sysray: tracing' "$SYSRAY" -a --format json -o "$TMP/drop.json"; then
	SPID=$BG
	c0=$(cpu_ticks "$SPID")
	# Storms of ~1 s each until DROP_SECS have passed: every one prints its exact count,
	# and the first sizes the others (threads on every core run slower than one alone).
	chunk=$(awk -v ns="$NS_A" 'BEGIN { printf "%d", 0.5e9 / ns }')
	: >"$TMP/drop.storm"
	t0=$EPOCHREALTIME
	while awk -v a="$t0" -v b="$EPOCHREALTIME" -v s="$DROP_SECS" 'BEGIN { exit !(b - a < s) }'; do
		"$STORM" "$chunk" "$NPROC" >"$TMP/chunk.out" || break
		cat "$TMP/chunk.out" >>"$TMP/drop.storm"
		chunk=$(awk -v ns="$(storm_ns "$TMP/chunk.out")" -v d="$chunk" \
			'BEGIN { printf "%d", (ns > 0 ? 1e9 / ns : d) }')
	done
	t2=$EPOCHREALTIME
	sleep 0.3 # let the consumer drain what the storm left in the ring
	c1=$(cpu_ticks "$SPID")
	HWM=$(awk '/^VmHWM/ { print $2 }' "/proc/$SPID/status")
	ANON=$(awk '/^RssAnon/ { print $2 }' "/proc/$SPID/status")
	RING_RSS=$(awk '/^[0-9a-f]+-[0-9a-f]+ / { m = ($6 == "anon_inode:bpf-map") } m && /^Rss:/ { n += $2 } END { print n + 0 }' "/proc/$SPID/smaps" 2>/dev/null)
	MAPS=
	for fd in $(bpf_fds "$SPID" map); do
		fi=/proc/$SPID/fdinfo/$fd
		MAPS+="$(fdinfo_val "$fi" map_id) $(fdinfo_val "$fi" max_entries) $(fdinfo_val "$fi" memlock)"$'\n'
	done
	if command -v bpftool >/dev/null 2>&1 && have_py; then
		bpftool map show -j 2>/dev/null | python3 -c '
import json, sys
for m in json.load(sys.stdin):
    print(m["id"], m.get("name", "?"), m.get("type", "?"))' >"$TMP/mapnames" 2>/dev/null
	fi
	bg_stop "$SPID"
	if [ -s "$TMP/drop.json" ]; then
		DROP_OK=1
		read -r RECV DROPPED GETPPID _ < <(json_profile "$TMP/drop.json")
		EXACT=$(sed -n 's/^storm: \([0-9]*\) calls.*/\1/p' "$TMP/drop.storm" | awk '{ n += $1 } END { print n }')
		STORM_S=$(fsub "$t2" "$t0")
		printf 'storm: %d runs of %s threads in %.1f s (%.1f M syscalls/s)\n' \
			"$(grep -c '^storm:' "$TMP/drop.storm")" "$NPROC" "$STORM_S" \
			"$(awk -v n="$EXACT" -v s="$STORM_S" 'BEGIN { print n / s / 1e6 }')"
		echo "storm's exact getppid calls : $EXACT"
		echo "sysray's getppid calls      : $GETPPID  (difference $((GETPPID - EXACT)): other processes' getppid)"
		echo "events received / dropped   : $RECV / $DROPPED"
		[ "$GETPPID" -ge "$EXACT" ] 2>/dev/null || echo "!! sysray counted fewer getppid calls than the storm made"
		[ "$DROPPED" = 0 ] || echo "!! records were dropped: the consumer did not keep up (counts stay exact)"
		grep -h 'warning' "$TMP/drop.err" | sed 's/^/   /'
	else
		echo "sysray wrote no report:"
		tail -3 "$TMP/drop.err"
	fi
else
	echo "sysray -a did not start: $(tail -2 "$TMP/drop.err")"
fi

# 2b. The per-CPU minimum of the default ring sizes (what a 256-CPU host gets): storms at
# full speed on all cores but one (a big host's storm leaves the consumer a CPU; on 2 CPUs:
# one storm thread) must not drop records with rings that small either.
RING_MIN=$(($(sed -n 's/^#define RING_MIN *(\([0-9]*\)ULL << \([0-9]*\)).*/\1 << \2/p' \
	"$REPO/user/trace/tracer_rings.c")))
NSTORM2=$((NPROC > 1 ? NPROC - 1 : 1))
hr "2b. the smallest default ring: sysray -a --ring-size $RING_MIN, ${DROP_SECS} s of $NSTORM2-thread storms"
if bg_start "$TMP/drop2.err" '^sysray: tracing' "$SYSRAY" -a --ring-size "$RING_MIN" --format json \
	-o "$TMP/drop2.json"; then
	: >"$TMP/drop2.storm"
	chunk=$(awk -v ns="$NS_A" 'BEGIN { printf "%d", 0.5e9 / ns }')
	t0=$EPOCHREALTIME
	while awk -v a="$t0" -v b="$EPOCHREALTIME" -v s="$DROP_SECS" 'BEGIN { exit !(b - a < s) }'; do
		"$STORM" "$chunk" "$NSTORM2" >"$TMP/chunk.out" || break
		cat "$TMP/chunk.out" >>"$TMP/drop2.storm"
	done
	t2=$EPOCHREALTIME
	sleep 0.3
	HWM2=$(awk '/^VmHWM/ { print $2 }' "/proc/$BG/status")
	bg_stop "$BG"
	if [ -s "$TMP/drop2.json" ]; then
		read -r RECV2 DROPPED2 GETPPID2 _ < <(json_profile "$TMP/drop2.json")
		EXACT2=$(sed -n 's/^storm: \([0-9]*\) calls.*/\1/p' "$TMP/drop2.storm" | awk '{ n += $1 } END { print n }')
		printf 'storm: %.1f M syscalls/s; getppid exact %s, sysray %s; received / dropped %s / %s; peak RSS %s kB\n' \
			"$(awk -v n="$EXACT2" -v s="$(fsub "$t2" "$t0")" 'BEGIN { print n / s / 1e6 }')" \
			"$EXACT2" "$GETPPID2" "$RECV2" "$DROPPED2" "$HWM2"
		[ "$DROPPED2" = 0 ] || echo "!! records were dropped with $RING_MIN-byte rings (counts stay exact)"
	else
		echo "sysray wrote no report: $(tail -2 "$TMP/drop2.err")"
	fi
else
	echo "sysray -a did not start: $(tail -2 "$TMP/drop2.err")"
fi

# --- 3. real workloads ------------------------------------------------------------------

hr "3. real workloads: wall clock, median of $REAL_ROUNDS interleaved rounds"
SRC=$TMP/src
mkdir -p "$SRC"
if ! git -C "$REPO" archive HEAD 2>/dev/null | tar -xf - -C "$SRC" 2>/dev/null; then
	cp -a "$REPO"/Makefile "$REPO"/bpf "$REPO"/include "$REPO"/user "$REPO"/scripts \
		"$REPO"/vmlinux "$SRC"/ 2>/dev/null
fi
TAR_DIR=/usr
REAL=(
	"tar|tar -cf /dev/null $TAR_DIR"
	"make|make -j2 sysray (sysray's own build, clean)"
	"true|true (sysray's fixed cost: load, attach, exit)"
)
real_argv() { # NAME -> CMD
	case $1 in
	tar) CMD=(tar -cf /dev/null "$TAR_DIR") ;;
	make) CMD=(make -C "$SRC" OUTPUT="$TMP/bo" -j2 sysray) ;;
	true) CMD=(true) ;;
	esac
}
# How each workload runs: plain and traced; tar also under the empty hook pair (the
# floor's own share) and under --sample 64.
real_modes() { [ "$1" = tar ] && echo "plain traced bare sample" || echo "plain traced"; }
RUNS=()
for w in "${REAL[@]}"; do
	for m in $(real_modes "${w%%|*}"); do RUNS+=("${w%%|*}|$m"); done
done
mkdir -p "$TMP/real"
NRUNS=${#RUNS[@]}
for w in "${REAL[@]}"; do # warm the page cache and dentries; not measured
	real_argv "${w%%|*}"
	[ "${w%%|*}" = make ] && rm -rf "$TMP/bo" "$SRC/sysray"
	"${CMD[@]}" >/dev/null 2>>"$TMP/real.err"
done
"$SYSRAY" -o /dev/null -- true 2>>"$TMP/real.err"
for ((r = 0; r < REAL_ROUNDS; r++)); do
	for ((k = 0; k < NRUNS; k++)); do
		IFS='|' read -r name kind <<<"${RUNS[(k + r) % NRUNS]}"
		real_argv "$name"
		[ "$name" = make ] && rm -rf "$TMP/bo" "$SRC/sysray"
		case $kind in
		traced) CMD=("$SYSRAY" --format json -o "$TMP/real/$name.json" -- "${CMD[@]}") ;;
		bare) CMD=("$HOOKS" bare -- "${CMD[@]}") ;;
		sample) CMD=("$SYSRAY" --sample 64 --format json -o "$TMP/real/$name.sample.json" -- "${CMD[@]}") ;;
		esac
		t0=$EPOCHREALTIME
		if "${CMD[@]}" >/dev/null 2>>"$TMP/real.err"; then
			t1=$EPOCHREALTIME
			fsub "$t1" "$t0" >>"$TMP/real/$name.$kind"
			echo >>"$TMP/real/$name.$kind"
		else
			echo "--- $name ($kind) failed" >>"$TMP/real.err"
		fi
	done
done
printf '%-46s %9s %9s %9s %8s  %s\n' workload untraced traced overhead syscalls "range untraced / traced (s)"
for w in "${REAL[@]}"; do
	IFS='|' read -r name desc <<<"$w"
	p=$(median <"$TMP/real/$name.plain" 2>/dev/null)
	t=$(median <"$TMP/real/$name.traced" 2>/dev/null)
	if [ -z "$p" ] || [ -z "$t" ]; then
		printf '%-46s %9s\n' "$desc" FAILED
		continue
	fi
	calls=-
	[ -s "$TMP/real/$name.json" ] && calls=$(json_profile "$TMP/real/$name.json" | awk '{ print $4 }')
	awk -v d="$desc" -v p="$p" -v t="$t" -v c="$calls" -v name="$name" \
		-v rp="$(minmax %.3f <"$TMP/real/$name.plain")" -v rt="$(minmax %.3f <"$TMP/real/$name.traced")" 'BEGIN {
		o = name == "true" ? sprintf("+%.1f ms", (t - p) * 1000) : sprintf("%+.1f %%", (t - p) / p * 100)
		printf "%-46s %8.3fs %8.3fs %9s %8s  %s / %s\n", d, p, t, o, c, rp, rt }'
	for kind in bare sample; do
		[ -s "$TMP/real/$name.$kind" ] || continue
		k=$(median <"$TMP/real/$name.$kind")
		awk -v d="  $name under $([ $kind = bare ] && echo 'the empty hooks (floor)' || echo '--sample 64')" \
			-v p="$p" -v t="$k" -v rt="$(minmax %.3f <"$TMP/real/$name.$kind")" 'BEGIN {
			printf "%-46s %9s %8.3fs %9s %8s  %s\n", d, "", t, sprintf("%+.1f %%", (t - p) / p * 100), "", rt }'
	done
done
echo "traced: sysray --format json -o FILE -- CMD; its time includes sysray's start-up and"
echo "report (the 'true' row). GNU tar reads no file data when the archive is /dev/null:"
echo "a metadata walk, heavy in syscalls."
if grep -q failed "$TMP/real.err" 2>/dev/null; then
	echo "failed runs (not counted):"
	grep failed "$TMP/real.err" | sort | uniq -c
	grep -v -e failed -e 'Removing leading' "$TMP/real.err" | tail -3 | sed 's/^/   /'
fi

# --- 4. consumer and CPU ------------------------------------------------------------------

hr "4. consumer throughput (one core) and sysray's CPU"
"$CONSUMER" || echo "bench_consumer failed"
# The same with the sinks that see every record besides the whole-run aggregation.
"$CONSUMER" 30 html || echo "bench_consumer html failed"
"$CONSUMER" 30 top || echo "bench_consumer top failed"
# The same with the --anomaly sink's per-record path: one window for everything, then one
# per process (200 processes in the records, 64 baselines and the rest folded).
for sink in anomaly anomaly-process; do
	printf '+ %-16s ' "$sink:"
	"$CONSUMER" 30 "$sink" || echo "bench_consumer $sink failed"
done
if [ "$DROP_OK" = 1 ] && [ -n "${c0:-}" ] && [ -n "${c1:-}" ]; then
	awk -v c=$((c1 - c0)) -v hz="$(getconf CLK_TCK)" -v n="$RECV" -v s="$STORM_S" -v add="${ADD_SYS:-}" 'BEGIN {
		cpu = c / hz
		printf "sysray -a process during the zero-drop storm: %.2f s CPU for %d records in %.1f s\n", cpu, n, s
		printf "  -> %.1f %% of a core at 1 M syscalls/s (consumer, scaled linearly)\n", cpu / n * 1e6 * 100
		if (add != "")
			printf "  + %.1f %% of a core in the BPF hooks at 1 M syscalls/s (%.0f ns added per call, charged to the traced tasks)\n", add * 1e6 / 1e9 * 100, add
	}'
fi

# --- 5. memory ----------------------------------------------------------------------------

hr "5. memory of sysray -a (during the zero-drop storm)"
if [ "$DROP_OK" = 1 ]; then
	echo "peak RSS (VmHWM): $HWM kB; of the RSS now: ${RING_RSS:-?} kB mapped BPF maps (the ring's"
	echo "  pages, which libbpf maps twice; kernel memory, counted below too), ${ANON:-?} kB private (RssAnon)"
	[ -f "$TMP/mapnames" ] || : >"$TMP/mapnames"
	printf '%s' "$MAPS" | sort -k3,3nr | awk '
		FNR == NR { nm[$1] = $2; ty[$1] = $3; next }
		NF == 3 { tot += $3; n = ($1 in nm) ? nm[$1] : "id " $1; t = ($1 in ty) ? ty[$1] : "?"
			d = d sprintf("   %-18s %-14s max_entries %-9s %10.1f KiB\n", n, t, $2, $3 / 1024) }
		END { printf "BPF maps (memlock, from the process fdinfo): %.1f MiB\n%s", tot / 1048576, d }' \
		"$TMP/mapnames" -
else
	echo "no data: the zero-drop run failed"
fi

# --- 6. per-program cost ------------------------------------------------------------------

STATS_CALLS=$((CALLS > 3000000 ? CALLS : 3000000))
hr "6. per-program cost (kernel.bpf_stats_enabled=1, one storm of $STATS_CALLS calls each)"
STATS_ORIG=$(cat /proc/sys/kernel/bpf_stats_enabled)
echo 1 >/proc/sys/kernel/bpf_stats_enabled
show_stats() { # LABEL PID
	local tp rt rc rm id name
	for tp in sys_enter sys_exit; do
		while read -r rt rc rm id name; do
			awk -v l="$1" -v tp="$name" -v rt="$rt" -v rc="$rc" -v rm="${rm:-0}" -v id="$id" 'BEGIN {
				printf "%-30s %-16s %8.1f ns/run  run_cnt %-10d recursion_misses %d (prog id %d)\n",
					l, tp, rc ? rt / rc : 0, rc, rm, id }'
		done < <(prog_stats "$2" "$tp")
	done
}
# The same storm under sysray -a, and with the cgroup id in every record (--metrics-by
# cgroup): the difference is bpf_get_current_cgroup_id() at sys_exit.
for v in "-a" "-a --listen 127.0.0.1:0 --metrics-by cgroup" "-a --events --min-duration 1s"; do
	# shellcheck disable=SC2086
	if bg_start "$TMP/stats.err" '^sysray: tracing' "$SYSRAY" $v -o /dev/null; then
		"$STORM" "$STATS_CALLS" >/dev/null
		label="sysray -a"
		[[ $v == *cgroup* ]] && label="sysray -a --metrics-by cgroup"
		[[ $v == *events* ]] && label="sysray -a --events --min-dur 1s"
		show_stats "$label" "$BG"
		bg_stop "$BG"
	else
		echo "sysray $v did not start: $(tail -2 "$TMP/stats.err")"
	fi
done
# The bench hooks exit with the storm: sample their counters while it runs.
"$HOOKS" bare -- "$STORM" "$STATS_CALLS" >/dev/null &
BPID=$!
BG_PIDS+=("$BPID")
last=
while kill -0 "$BPID" 2>/dev/null; do
	s=$(show_stats "bench_hooks bare" "$BPID" 2>/dev/null)
	[ "$(printf '%s\n' "$s" | grep -c ns/run)" = 2 ] && last=$s
	sleep 0.1
done
bg_stop "$BPID"
[ -n "$last" ] && echo "$last"
echo "$STATS_ORIG" >/proc/sys/kernel/bpf_stats_enabled
STATS_ORIG=
echo "run_time_ns/run_cnt as bpftool prog show reports them (read from the programs' fdinfo);"
echo "they include the stats' own clock reads: the empty bare programs show that floor."
echo "kernel.bpf_stats_enabled restored to $(cat /proc/sys/kernel/bpf_stats_enabled)."

# --- 7. statistics engine -----------------------------------------------------------

echo
echo "== 7. statistics engine (user/hist.c): one core, SIMD and scalar paths =="
"$HISTBENCH" || echo "bench_hist failed"

# --- 8. service mode: the document and the footprint ------------------------------------

echo
echo "== 8. service mode: sysray -a --listen --metrics-by cgroup, scraped every second =="
if bg_start "$TMP/svc.err" '^sysray: tracing' "$SYSRAY" -a --listen 127.0.0.1:0 \
	--metrics-by cgroup -o /dev/null; then
	port=$(sed -n 's|.*http://127.0.0.1:\([0-9]*\)/metrics.*|\1|p' "$TMP/svc.err")
	for ((i = 0; i < ${BENCH_SVC_SECS:-30}; i++)); do
		curl -s -o "$TMP/svc.prom" "http://127.0.0.1:$port/metrics"
		sleep 1
	done
	maps=0
	for f in /proc/"$BG"/fdinfo/*; do
		grep -q '^map_id' "$f" 2>/dev/null &&
			maps=$((maps + $(awk '/^memlock/ { print $2 }' "$f")))
	done
	awk -v maps="$maps" -v st="/proc/$BG/status" '
		$1 == "sysray_series" { series = $2 }
		$1 == "sysray_exposition_bytes" { bytes = $2 }
		$1 == "sysray_exposition_render_seconds" { render = $2 }
		!/^#/ { samples++ }
		END {
			while ((getline l < st) > 0) {
				split(l, f, /[ \t]+/)
				if (f[1] == "VmHWM:") hwm = f[2]
				if (f[1] == "RssAnon:") anon = f[2]
			}
			printf "%d cgroup series, %d samples, %d bytes (text 0.0.4), %.2f ms CPU a rendering\n",
				series, samples, bytes, render * 1000
			printf "RSS peak %d KiB (the rings are mapped twice), private %d KiB, BPF maps %.1f MiB\n",
				hwm, anon, maps / 1048576
		}' "$TMP/svc.prom"
	bg_stop "$BG"
else
	echo "sysray --listen did not start: $(tail -2 "$TMP/svc.err")"
fi

# --- 9. stacks ----------------------------------------------------------------------

hr "9. --stacks: what it costs when no call qualifies, and per captured stack ($ROUNDS rounds)"
# mode|sysray options. "none": --stacks, but no call qualifies; fp, dwarf: every call of
# the storm qualifies (>= 1 ns) and the rate limit is out of the way. Per call, the storm's
# CPU time (its hooks included) is compared: a machine loaded by others disturbs it far
# less than wall time. Command mode: only this storm is traced.
STK=(
	"plain|"
	"none|--stacks --stack-min-duration 1s"
	"fp|--stacks --stack-min-duration 1ns --stack-rate 1000000"
	"dwarf|--stacks --stack-min-duration 1ns --stack-rate 1000000 --stack-mode dwarf"
)
mkdir -p "$TMP/stk"
# children_cpu FILE: the CPU seconds (user + system) of the children line of bash's times
children_cpu() {
	tail -1 "$1" | awk '{ for (i = 1; i <= 2; i++) { split($i, a, /[ms]/); t += a[1] * 60 + a[2] } }
		END { printf "%.3f", t }'
}
for ((r = 0; r < ROUNDS; r++)); do
	for ((k = 0; k < ${#STK[@]}; k++)); do
		IFS='|' read -r mode opts <<<"${STK[(k + r) % ${#STK[@]}]}"
		# plain and none: a full storm; fp and dwarf: STACK_CALLS calls, one stack each.
		n=$CALLS
		case $mode in fp | dwarf) n=$STACK_CALLS ;; esac
		# shellcheck disable=SC2086
		(
			"$SYSRAY" $opts --format json -o "$TMP/stk/$mode.json" -- "$STORM" "$n" \
				>"$TMP/stk.out" 2>>"$TMP/stk.err"
			times
		) >"$TMP/stk.times"
		c=$(storm_cpu "$TMP/stk.out")
		if [ -z "$c" ]; then
			echo "--- $mode failed: $(tail -1 "$TMP/stk.err")" >>"$TMP/stk.fail"
			continue
		fi
		echo "$c" >>"$TMP/stk/$mode.cpu"
		# sysray's own CPU: everything the subshell's children used but the storm's.
		awk -v all="$(children_cpu "$TMP/stk.times")" -v c="$c" -v n="$n" \
			'BEGIN { printf "%.6f\n", all - c * n / 1e9 }' >>"$TMP/stk/$mode.self"
		if [ "$mode" != plain ] && have_py && [ -s "$TMP/stk/$mode.json" ]; then
			python3 - "$TMP/stk/$mode.json" >>"$TMP/stk/$mode.cap" <<'EOF'
import json, sys
c = json.load(open(sys.argv[1]))["stack_capture"]
print(c["captured"], c["ring_full"] + c["queue_full"] + c["table_full"] + c["throttled"])
EOF
		fi
	done
done
PLAIN=$(median <"$TMP/stk/plain.cpu" 2>/dev/null)
NONE=$(median <"$TMP/stk/none.cpu" 2>/dev/null)
NONE_SELF=$(median <"$TMP/stk/none.self" 2>/dev/null)
printf '%-7s %8s %15s %15s %13s %17s %s\n' mode calls cpu-ns/syscall "added per call" \
	"captured/run" "sysray CPU/stack" lost
for s in "${STK[@]}"; do
	mode=${s%%|*}
	n=$CALLS
	case $mode in fp | dwarf) n=$STACK_CALLS ;; esac
	[ -s "$TMP/stk/$mode.cpu" ] || {
		printf '%-7s %8s %15s\n' "$mode" "$n" FAILED
		continue
	}
	cpu=$(median <"$TMP/stk/$mode.cpu")
	cap=$(awk '{ print $1 }' "$TMP/stk/$mode.cap" 2>/dev/null | median)
	lost=$(awk '{ n += $2 } END { print n + 0 }' "$TMP/stk/$mode.cap" 2>/dev/null)
	self=$(median <"$TMP/stk/$mode.self")
	# plain is the reference of none; none that of fp and dwarf.
	ref=$NONE
	[ "$mode" = none ] && ref=$PLAIN
	awk -v m="$mode" -v n="$n" -v c="$cpu" -v ref="${ref:-}" -v cap="${cap:-0}" \
		-v self="$self" -v base="${NONE_SELF:-}" -v lost="${lost:-0}" 'BEGIN {
		add = (m == "plain" || ref == "") ? "-" : sprintf("%+.1f ns", c - ref)
		st = "-"
		if ((m == "fp" || m == "dwarf") && cap > 0 && base != "")
			st = sprintf("%.1f us", (self - base) * 1e6 / cap)
		printf "%-7s %8d %15.1f %15s %13s %17s %s\n", m, n, c, add, (m == "plain" ? "-" : cap), st, (m == "plain" ? "-" : lost) }'
done
echo "sysray [OPTS] -- storm N. cpu-ns/syscall: the storm's CPU time (user + system, its BPF"
echo "hooks included) per call. added: over plain for none (--stacks when no call qualifies),"
echo "over none for fp and dwarf, where every call gets a stack: what a captured stack costs the"
echo "traced task (frame-pointer walk and a 1 KiB window, or an 8 KiB copy). sysray CPU/stack:"
echo "sysray's own CPU time over that of a 'none' run, per stack: queueing, unwinding and the"
echo "symbolization at the end. lost: throttled or ring/queue/table full, over all rounds."
if [ -s "$TMP/stk.fail" ]; then cat "$TMP/stk.fail"; fi
