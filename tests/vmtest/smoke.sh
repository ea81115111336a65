#!/bin/sh
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#
# The smoke suite `make vmtest` runs inside a VM booted on another kernel (busybox sh, no
# other tools): exact counts on the known workloads in command mode, -p and -a, overflow
# accounting, filters, the anomaly detector's quiet steady run, and a storm on every vCPU.
# Prints one "SMOKE PASS name" or "SMOKE FAIL name: why" line per check and "SMOKE DONE
# passed/total" at the end; scripts/vmtest.sh reads them back from the serial console.
#
# usage: smoke.sh DIR   (DIR holds sysray and the static workloads known, storm, sleeper)
D=${1:-/smoke}
S=$D/sysray
T=/tmp/smoke
mkdir -p $T
pass=0
total=0

ok() {
	pass=$((pass + 1))
	total=$((total + 1))
	echo "SMOKE PASS $1"
}

bad() {
	total=$((total + 1))
	echo "SMOKE FAIL $1: $2"
}

# calls NAME FILE: the calls of NAME in the native table of a -U calls,errors,name report.
calls() {
	awk -v n="$1" '/mode:/ { exit } $NF == n && NF >= 2 { c = $1 } END { print c + 0 }' "$2"
}

# Calls that never return (exit, exit_group): the records cannot cover them.
unfinished() {
	echo $(($(calls exit "$1") + $(calls exit_group "$1")))
}

errors() {
	awk -v n="$1" '/mode:/ { exit } $NF == n && NF == 3 { e = $2 } END { print e + 0 }' "$2"
}

# expect NAME WHAT GOT WANT [ERRFILE]
expect() {
	if [ "$3" = "$4" ]; then
		ok "$1"
	else
		bad "$1" "$2: got '$3', want '$4' $(head -c 300 "${5:-/dev/null}" | tr '\n' ' ')"
	fi
}

# Wait up to 30 s for a line matching $2 in file $1.
wait_for() {
	i=0
	while ! grep -q "$2" "$1" 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 300 ] || return 1
		sleep 0.1
	done
}

kernel=$(uname -r)
echo "SMOKE INFO kernel $kernel, $(nproc) CPUs, $(uname -m)"

# 1. Command mode: 1000 getppid in main, 30 in a child, 40 in a thread; 20 writes.
$S -U calls,errors,name -o $T/cmd.txt -- $D/known getppid=1000 enoent=50 write=20 fork=30 \
	thread=40 >/dev/null 2>$T/cmd.err
expect command-getppid "getppid calls" "$(calls getppid $T/cmd.txt)" 1070
expect command-openat-enoent "openat errors" "$(errors openat $T/cmd.txt)" 50
expect command-write "write calls" "$(calls write $T/cmd.txt)" 20
expect command-wait4 "wait4 calls" "$(calls wait4 $T/cmd.txt)" 1
expect command-exit_group "exit_group calls" "$(calls exit_group $T/cmd.txt)" 2

# 2. -p: a process that waits on a FIFO, attached to, then released.
rm -f $T/fifo
mkfifo $T/fifo
$D/known wait getppid=500 <$T/fifo >$T/p.out &
wl=$!
exec 3>$T/fifo
if wait_for $T/p.out ready; then
	$S -p $wl -U calls,errors,name -o $T/p.txt 2>$T/p.err &
	sr=$!
	wait_for $T/p.err tracing
	echo x >&3
	exec 3>&-
	wait $sr
	expect pid-getppid "getppid calls" "$(calls getppid $T/p.txt)" 500
else
	exec 3>&-
	bad pid-getppid "the workload never got ready"
fi
wait $wl 2>/dev/null

# 3. -a: the whole system, narrowed to the workload by a name no other process has.
me=smoke$$
cp $D/known $T/$me
$S -a --comm $me -U calls,errors,name -o $T/a.txt 2>$T/a.err &
sr=$!
if wait_for $T/a.err tracing; then
	$T/$me getppid=300 enoent=3
	kill -INT $sr
	wait $sr
	expect system-getppid "getppid calls" "$(calls getppid $T/a.txt)" 300
	expect system-openat-enoent "openat errors" "$(errors openat $T/a.txt)" 3
else
	kill $sr
	bad system-getppid "sysray -a never started: $(cat $T/a.err)"
fi

# 4. Overflow: a 4 KiB ring drops records; calls stay exact and received + dropped adds up.
$S --ring-size 4096 -U calls,errors,name -o $T/o.txt -- $D/storm 200000 >/dev/null 2>&1
expect overflow-getppid "getppid calls" "$(calls getppid $T/o.txt)" 200000
got=$(awk '/events received/ { print $1 + $4 }' $T/o.txt)
total_calls=$(awk '$NF == "total" { print $1; exit }' $T/o.txt)
expect overflow-accounting "received + dropped" "$got" $((total_calls - $(unfinished $T/o.txt)))

# 5. Filters in the kernel.
$S -e trace=getppid -U calls,errors,name -o $T/f.txt -- $D/known getppid=100 enoent=5 \
	>/dev/null 2>$T/f.err
expect filter-trace "getppid calls" "$(calls getppid $T/f.txt)" 100 $T/f.err
expect filter-trace-only "rows" "$(awk '/^ *[0-9]/ && $NF != "total" && !/events/' $T/f.txt |
	wc -l)" 1
$S -Z -e trace=openat -U calls,errors,name -o $T/z.txt -- $D/known getppid=10 enoent=7 \
	>/dev/null 2>$T/z.err
expect filter-failed "openat calls" "$(calls openat $T/z.txt)" 7 $T/z.err

# 6. The anomaly detector on a steady load fires nothing.
$S --anomaly --window-interval 0.2 --baseline-windows 12 -o $T/an.txt -- $D/sleeper 20000x250 \
	>/dev/null 2>$T/an.err
if grep -q "anomaly" $T/an.err; then
	bad anomaly-steady "$(grep anomaly $T/an.err | head -3)"
else
	ok anomaly-steady
fi

# 7. A storm on every vCPU through the per-CPU stages and rings.
n=$(nproc)
$S -U calls,errors,name -o $T/s.txt -- $D/storm 300000 $n >/dev/null 2>&1
expect storm-all-cpus "getppid calls" "$(calls getppid $T/s.txt)" $((300000 * n))
got=$(awk '/events received/ { print $1 + $4 }' $T/s.txt)
total_calls=$(awk '$NF == "total" { print $1; exit }' $T/s.txt)
expect storm-accounting "received + dropped" "$got" $((total_calls - $(unfinished $T/s.txt)))

# 8. More storm threads than CPUs: syscall exits of different tasks interleave on one CPU
#    (on PREEMPT_RT even inside a BPF program, which runs preemptible there).
$S -U calls,errors,name -o $T/s4.txt -- $D/storm 100000 $((4 * n)) >/dev/null 2>&1
expect storm-oversubscribed "getppid calls" "$(calls getppid $T/s4.txt)" $((400000 * n))
got=$(awk '/events received/ { print $1 + $4 }' $T/s4.txt)
total_calls=$(awk '$NF == "total" { print $1; exit }' $T/s4.txt)
expect storm-oversubscribed-accounting "received + dropped" "$got" \
	$((total_calls - $(unfinished $T/s4.txt)))

# 9. --sample 64: one call in 64 timed, every call counted.
$S --sample 64 -U calls,errors,name -o $T/sm.txt -- $D/known getppid=1000 enoent=50 fork=30 \
	>/dev/null 2>$T/sm.err
expect sample-getppid "getppid calls" "$(calls getppid $T/sm.txt)" 1030 $T/sm.err
expect sample-openat-enoent "openat errors" "$(errors openat $T/sm.txt)" 50 $T/sm.err

# 10. Trampolines on the selected syscalls: exact where the kernel lets sysray use them, else
#     a one-line error that says why (an ABI without one function to hook, fentry refused,
#     an attach the kernel refuses: 6.1-cloud answers EBUSY for one target). The default
#     (--hooks auto) falls back to the tracepoints then: the filter checks above run it.
if $S --hooks trampolines -e trace=getppid,openat -U calls,errors,name -o $T/tr.txt -- \
	$D/known getppid=1000 enoent=50 fork=30 >/dev/null 2>$T/tr.err; then
	expect trampolines-getppid "getppid calls" "$(calls getppid $T/tr.txt)" 1030 $T/tr.err
	expect trampolines-openat-enoent "openat errors" "$(errors openat $T/tr.txt)" 50 $T/tr.err
elif [ "$(wc -l <$T/tr.err)" = 1 ] &&
	grep -q '^sysray: error: cannot \(hook the syscalls with trampolines\|attach to the syscall functions\): ' \
		$T/tr.err; then
	echo "SMOKE INFO trampolines unavailable on $kernel:$(cut -d: -f3- $T/tr.err)"
	ok trampolines-refused-clearly
else
	bad trampolines "$(head -c 300 $T/tr.err)"
fi

echo "SMOKE DONE $pass/$total"
