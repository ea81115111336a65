# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# sysray: .bpf.c -> .bpf.o -> bpftool gen skeleton -> .skel.h -> sysray
#
# Layout: bpf/ (product BPF programs), bpf/arch/<arch>/, user/<subsystem>/ (userspace, one
# folder per stage of the pipeline, see docs/design.md), user/arch/<arch>/, include/ (shared
# with BPF), tests/ (unit, integration, bench, workloads). Everything built goes to $(OUTPUT).

PREFIX ?= /usr/local
CLANG ?= clang
LLVM_STRIP ?= $(shell command -v llvm-strip 2>/dev/null || echo llvm-strip)
BPFTOOL ?= $(shell command -v bpftool 2>/dev/null || echo /usr/sbin/bpftool)
VERSION := 0.2.0
REVISION := $(shell git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)

# Each architecture says which `uname -m` it serves in user/arch/<arch>/arch.mk.
include $(wildcard user/arch/*/arch.mk)
UNAME_M := $(shell uname -m)
ARCH ?= $(ARCH_OF_$(UNAME_M))
ifeq ($(ARCH),)
$(error sysray: unsupported architecture '$(UNAME_M)' (supported: $(patsubst ARCH_OF_%,%,$(filter ARCH_OF_%,$(.VARIABLES)))))
endif
# A cross build (make ARCH=arm64 on x86) uses the architecture's cross compiler and keeps
# its objects and binary apart from the native ones.
HOST_ARCH := $(ARCH_OF_$(UNAME_M))
ifneq ($(ARCH),$(HOST_ARCH))
ifeq ($(origin CC),default)
CC := $(CROSS_CC_$(ARCH))
endif
OUTPUT ?= .output-$(ARCH)
BIN ?= $(OUTPUT)/sysray
endif
# make test SANITIZE=1: sysray and the tests built with ASan+UBSan, in their own directory so
# that the two builds never mix; the binary is then $(OUTPUT)/sysray.
ifeq ($(SANITIZE),1)
OUTPUT ?= .output-san
BIN ?= $(OUTPUT)/sysray
endif
OUTPUT ?= .output
VMLINUX := vmlinux/$(ARCH)/vmlinux.h
ifeq ($(wildcard $(VMLINUX)),)
$(error sysray: no $(VMLINUX) for $(ARCH); generate it with scripts/gen-vmlinux.sh on a kernel with BTF)
endif

ifeq ($(V),1)
Q =
msg =
else
Q = @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

WARN := -Wall -Wextra -Werror
INCLUDES := -Iinclude -Iuser -Iuser/arch/$(ARCH) -I$(OUTPUT) -Itests
ifeq ($(SANITIZE),1)
# -O1, as the sanitizers advise: reports stay readable, and the second build of CI is quicker.
CFLAGS ?= -O1 -g
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
# Any report fails the run; leaks too (LeakSanitizer, at exit).
export ASAN_OPTIONS := detect_leaks=1:abort_on_error=0:exitcode=99
export LSAN_OPTIONS := suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0
export UBSAN_OPTIONS := print_stacktrace=1:halt_on_error=1
else
CFLAGS ?= -O2 -g
endif
ALL_CFLAGS := -std=gnu11 -D_GNU_SOURCE $(CFLAGS) $(SAN_FLAGS) $(WARN) $(INCLUDES) \
	-DSYSRAY_VERSION='"$(VERSION)"' -DSYSRAY_REVISION='"$(REVISION)"' -MMD -MP
BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) $(WARN) -Wno-unused-parameter \
	-Iinclude -Ibpf -Ibpf/arch/$(ARCH) -Ivmlinux/$(ARCH) -MMD -MP
# sysray top draws with ncurses (docs/design.md, "Dependencies"); --stacks uses libdw.
CURSES_LIBS := $(shell pkg-config --libs ncurses 2>/dev/null || echo -lncurses)
# service mode serves HTTP with libmicrohttpd and checks bcrypt passwords with libcrypt;
# --stacks reads DWARF with elfutils' libdw.
LIBS := -lbpf -ldw -lelf -lz -lm $(CURSES_LIBS) -lmicrohttpd -lcrypt -lpthread
# A static link (make vmtest) has libbpf's own btf__load_vmlinux_btf: user/trace/kbtf.c
# leaves it alone then.
ifneq ($(filter -static,$(LIBS)),)
ALL_CFLAGS += -DSYSRAY_STATIC
endif

# Product BPF objects are stripped of DWARF before they are embedded (BTF stays: CO-RE
# needs it); the bench-only object under tests/bench/ is never part of the product.
BPF_SRCS := $(wildcard bpf/*.bpf.c)
SKELS := $(patsubst bpf/%.bpf.c,$(OUTPUT)/%.skel.h,$(BPF_SRCS))
BENCH_SKELS := $(patsubst tests/bench/%.bpf.c,$(OUTPUT)/%.skel.h,$(wildcard tests/bench/*.bpf.c))

USER_SRCS := $(filter-out user/cli/main.c,$(wildcard user/*/*.c user/arch/$(ARCH)/*.c))
# METRICS=0 leaves service mode out (--listen refuses): the static build of make vmtest
# cannot link libmicrohttpd, whose GnuTLS needs libraries Debian ships only as .so.
METRICS ?= 1
ifeq ($(METRICS),0)
USER_SRCS := $(filter-out user/metrics/%,$(USER_SRCS))
ALL_CFLAGS += -DSYSRAY_NO_METRICS
endif
LIB_OBJS := $(patsubst %.c,$(OUTPUT)/%.o,$(USER_SRCS)) $(OUTPUT)/gen/errno_table.o
LIB := $(OUTPUT)/libsysray.a

UNIT_OBJS := $(patsubst %.c,$(OUTPUT)/%.o,$(wildcard tests/unit/*.c))
INTEG_OBJS := $(patsubst %.c,$(OUTPUT)/%.o,$(wildcard tests/integration/*.c))
WORKLOADS := $(patsubst tests/workloads/%.c,$(OUTPUT)/workloads/%,$(wildcard tests/workloads/*.c)) \
	$(OUTPUT)/workloads/stacks_nofp
BENCHES := $(patsubst tests/bench/%.c,$(OUTPUT)/bench/%,$(filter-out %.bpf.c,$(wildcard tests/bench/*.c)))
# tests/replay/record.c: records a real run's record stream for tests/unit/test_replay.c.
RECORDER := $(OUTPUT)/replay/record

.PHONY: all test unit integration check bench bench-pidns soak install clean format golden-stream \
	vmtest vmtest-all fuzz fuzz-replay fuzz-runs sanitize
.DELETE_ON_ERROR:
.SECONDARY:

# BIN: where the binary goes (make vmtest builds a static one elsewhere).
BIN ?= sysray

all: $(BIN)

$(BIN): $(OUTPUT)/user/cli/main.o $(LIB)
	$(call msg,LINK,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) $^ $(LIBS) -o $@

$(LIB): $(LIB_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(OUTPUT)/%.bpf.o: bpf/%.bpf.c $(VMLINUX)
	$(call msg,BPF,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@
	$(Q)$(LLVM_STRIP) -g $@

$(OUTPUT)/%.bpf.o: tests/bench/%.bpf.c $(VMLINUX)
	$(call msg,BPF,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(OUTPUT)/%.skel.h: $(OUTPUT)/%.bpf.o
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name $(subst -,_,$*)_bpf > $@

$(OUTPUT)/gen/errno_table.c: scripts/gen-errno-table.sh user/lib/errnos.h
	$(call msg,GEN,$@)
	$(Q)mkdir -p $(@D)
	$(Q)CC="$(CC)" $< $@

# The skeletons exist before any object is compiled (order-only); which object includes
# which skeleton is then tracked by -MMD, so touching one .bpf.c rebuilds only its users.
$(OUTPUT)/user/%.o: user/%.c | $(SKELS)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) $(ARCH_CFLAGS_$(ARCH)) -c $< -o $@

$(OUTPUT)/gen/%.o: $(OUTPUT)/gen/%.c
	$(call msg,CC,$@)
	$(Q)$(CC) $(ALL_CFLAGS) -c $< -o $@

$(OUTPUT)/tests/%.o: tests/%.c | $(SKELS) $(BENCH_SKELS)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) -c $< -o $@

$(OUTPUT)/unit_tests: $(UNIT_OBJS) $(LIB)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(ALL_CFLAGS) $^ -lcriterion $(LIBS) -o $@

$(OUTPUT)/integration_tests: $(INTEG_OBJS) $(LIB)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(ALL_CFLAGS) $^ -lcriterion -lpthread $(LIBS) -o $@

# Workloads make known syscalls: -O1 and no fortify so the compiler adds or removes none.
WORKLOAD_CC = $(CC) -std=gnu11 -O1 -g $(WARN) -D_GNU_SOURCE -U_FORTIFY_SOURCE -Iinclude -MMD -MP
$(OUTPUT)/workloads/%: tests/workloads/%.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(WORKLOAD_CC) $(WORKLOAD_CFLAGS) $< -lpthread -o $@

# The --stacks workload with frame pointers (stacks), and without them (stacks_nofp) for
# --stack-mode dwarf.
$(OUTPUT)/workloads/stacks: WORKLOAD_CFLAGS := -fno-omit-frame-pointer
# The storm too: make bench walks its stacks (a frame-pointer chain as deep as a real one).
$(OUTPUT)/workloads/storm: WORKLOAD_CFLAGS := -fno-omit-frame-pointer
$(OUTPUT)/workloads/stacks_nofp: tests/workloads/stacks.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(WORKLOAD_CC) -fomit-frame-pointer $< -lpthread -o $@

$(RECORDER): $(OUTPUT)/tests/replay/record.o $(LIB)
	$(call msg,LINK,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) $^ $(LIBS) -o $@

# Re-record the golden stream (then SYSRAY_UPDATE_GOLDEN=1 for the reports; review the diff).
golden-stream: $(RECORDER) $(WORKLOADS)
	$(Q)$(RECORDER) tests/replay/golden/known.stream 100 -- $(OUTPUT)/workloads/known \
		getppid=1000 enoent=50 write=20 fork=30 thread=40 x32=3 badnr=2 blocked=2 \
		>/dev/null

$(OUTPUT)/bench/%: $(OUTPUT)/tests/bench/%.o $(LIB)
	$(call msg,LINK,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) $^ $(LIBS) -o $@

# A test skipped for a reason (a kernel without ia32 emulation, say) is listed with it.
show_skips = grep '\# SKIP' $(1) | grep -v '\# SKIP test was skipped' | \
	sed 's/^ok - \(.*\)  \# SKIP /  SKIPPED  \1: /' || true

unit: $(OUTPUT)/unit_tests
	$(Q)$(OUTPUT)/unit_tests --tap=$(OUTPUT)/unit.tap; rc=$$?; \
	$(call show_skips,$(OUTPUT)/unit.tap); exit $$rc

# INTEGRATION_FILTER: a Criterion pattern of the tests to run ('files/*'); all when empty.
integration: $(BIN) $(OUTPUT)/integration_tests $(WORKLOADS)
	$(Q)SYSRAY=$(CURDIR)/$(BIN) WORKLOADS=$(CURDIR)/$(OUTPUT)/workloads \
	$(OUTPUT)/integration_tests --jobs=1 --tap=$(OUTPUT)/integration.tap \
	$(if $(INTEGRATION_FILTER),--filter='$(INTEGRATION_FILTER)'); rc=$$?; \
	$(call show_skips,$(OUTPUT)/integration.tap); exit $$rc

# Structure rules a compiler does not check: file and function sizes, one-way dependencies.
check:
	$(Q)scripts/check-structure.sh $(OUTPUT)

# Unit tests first: they are fast and need no privileges. Integration tests run one at a
# time: the anomaly and latency tests time real sleeps, which other tests would disturb.
# Then the smoke suite on Debian 12's 6.1 kernel in qemu (about two minutes), then the
# sanitized pass (make test SANITIZE=1, in .output-san/).
#
# make test SANITIZE=1: sysray and the tests built with ASan+UBSan; the unit tests, the
# integration suites of the paths that take untrusted input or write files (SAN_SUITES: the
# core pipeline, the output files, privileges, bad input, diff, the event lines that quote
# the traced processes' strings; the metrics endpoint's HTTP and --web-config parsing are in
# the unit tests), the fuzz corpus replayed
# and FUZZ_RUNS new inputs per fuzz target. The qemu run tests kernels, not the sanitized
# userspace, and is left out. Every suite under the sanitizers:
# make integration SANITIZE=1 INTEGRATION_FILTER=
ifeq ($(SANITIZE),1)
SAN_SUITES := @(core|files|privs|errors|diff|events)/*
INTEGRATION_FILTER ?= $(SAN_SUITES)
test: check unit integration fuzz-replay fuzz-runs
else
test: check unit integration vmtest sanitize
endif

sanitize:
	$(Q)$(MAKE) --no-print-directory SANITIZE=1 test

# libFuzzer on what sysray reads from files others may write: the profile reader and sysray
# diff (tests/fuzz/fuzz_diff.c). New inputs go to $(OUTPUT)/fuzz/corpus; the committed seed
# corpus in tests/fuzz/corpus is only read.
FUZZ_SECONDS ?= 60
FUZZ_SRCS := tests/fuzz/fuzz_diff.c user/diff/diff.c user/diff/diff_anomaly.c user/diff/diff_fmt.c \
	user/diff/json_read.c \
	user/lib/json.c user/lib/utf8.c user/lib/log.c user/lib/escape.c user/lib/u128.c
FUZZ_FLAGS := -std=gnu11 -D_GNU_SOURCE -g -O1 $(WARN) -Iinclude -Iuser \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all

$(OUTPUT)/fuzz/fuzz_diff: $(FUZZ_SRCS) $(wildcard user/diff/*.h user/lib/*.h)
	$(call msg,FUZZ,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) $(FUZZ_FLAGS) $(FUZZ_SRCS) -o $@

fuzz: $(OUTPUT)/fuzz/fuzz_diff
	$(Q)mkdir -p $(OUTPUT)/fuzz/corpus
	$(Q)$< -max_total_time=$(FUZZ_SECONDS) -close_fd_mask=3 -print_final_stats=1 \
		-dict=tests/fuzz/profile.dict $(OUTPUT)/fuzz/corpus tests/fuzz/corpus

fuzz-replay: $(OUTPUT)/fuzz/fuzz_diff
	$(Q)$< -runs=0 -close_fd_mask=3 tests/fuzz/corpus

# A bounded, repeatable run for make test: FUZZ_RUNS inputs from a fixed seed (38 s for 20,000
# on the loaded 2-core VM).
FUZZ_RUNS ?= 20000
fuzz-runs: $(OUTPUT)/fuzz/fuzz_diff
	$(Q)rm -rf $(OUTPUT)/fuzz/runs && mkdir -p $(OUTPUT)/fuzz/runs
	$(Q)$< -runs=$(FUZZ_RUNS) -seed=1 -close_fd_mask=3 -print_final_stats=1 \
		-dict=tests/fuzz/profile.dict $(OUTPUT)/fuzz/runs tests/fuzz/corpus \
		>$(OUTPUT)/fuzz/runs.log 2>&1; rc=$$?; \
	grep -E '^(stat::number_of_executed_units|Done)' $(OUTPUT)/fuzz/runs.log; \
	[ $$rc = 0 ] || cat $(OUTPUT)/fuzz/runs.log; exit $$rc

bench: sysray $(WORKLOADS) $(BENCHES)
	$(Q)OUTPUT=$(OUTPUT) scripts/bench.sh

# What the pid-namespace translation costs per call (docs/design.md, "Pid namespaces").
bench-pidns: sysray $(WORKLOADS) $(BENCHES)
	$(Q)OUTPUT=$(OUTPUT) scripts/bench-pidns.sh

# make vmtest [KERNEL=<Debian kernel package, .deb, image, or host>] [ARCH=arm64]: the smoke
# suite on another kernel in qemu (scripts/vmtest.sh). The default is Debian 12's current 6.1
# cloud kernel; make vmtest-all is the release check over every kernel sysray claims.
KERNEL ?= $(if $(filter arm64,$(ARCH)),linux-image-arm64,linux-image-cloud-amd64)
VMOUT := $(OUTPUT)/vmtest-$(ARCH)
vmtest:
	$(Q)$(MAKE) --no-print-directory OUTPUT=$(VMOUT)/build BIN=$(VMOUT)/sysray METRICS=0 \
		LIBS="-static -lbpf -ldw -lelf -lz -llzma -lbz2 -lm -lncurses -ltinfo -lpthread -ldl" \
		$(VMOUT)/sysray
	$(Q)scripts/vmtest.sh $(KERNEL) $(ARCH) $(VMOUT)

vmtest-all:
	$(Q)$(MAKE) --no-print-directory vmtest KERNEL=host
	$(Q)$(MAKE) --no-print-directory vmtest KERNEL=linux-image-cloud-amd64
	$(Q)$(MAKE) --no-print-directory vmtest KERNEL=linux-image-rt-amd64
	$(Q)$(MAKE) --no-print-directory vmtest ARCH=arm64 KERNEL=linux-image-arm64

# Service mode for 30 minutes under cgroup churn and storms, scraped every second (not in
# CI; SOAK_SECS shortens it). Figures in docs/benchmarks.md.
soak: sysray $(WORKLOADS)
	$(Q)OUTPUT=$(OUTPUT) scripts/soak.sh

# The binary, the systemd unit (service mode, docs/metrics.md) and the service docs.
UNITDIR ?= $(PREFIX)/lib/systemd/system
DOCDIR ?= $(PREFIX)/share/doc/sysray
install: sysray
	install -D -m 0755 sysray $(DESTDIR)$(PREFIX)/bin/sysray
	install -D -m 0644 docs/sysray.1 $(DESTDIR)$(PREFIX)/share/man/man1/sysray.1
	install -d $(DESTDIR)$(UNITDIR) $(DESTDIR)$(DOCDIR)
	sed -e 's|@BINDIR@|$(PREFIX)/bin|g' -e 's|@DOCDIR@|$(DOCDIR)|g' dist/sysray.service \
		>$(DESTDIR)$(UNITDIR)/sysray.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/sysray.service
	install -m 0644 docs/metrics.md docs/fleet.md dist/sysray-rules.yml $(DESTDIR)$(DOCDIR)/

format:
	clang-format -i $(shell git ls-files '*.c' '*.h' | grep -v '^vmlinux/')

clean:
	$(call msg,CLEAN,)
	$(Q)rm -rf $(OUTPUT) .output-san sysray

-include $(shell find $(OUTPUT) -name '*.d' -type f 2>/dev/null)
