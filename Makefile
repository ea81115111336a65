# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# sysray: .bpf.c -> .bpf.o -> bpftool gen skeleton -> .skel.h -> sysray

OUTPUT ?= .output
PREFIX ?= /usr/local
CC ?= cc
CLANG ?= clang
BPFTOOL ?= $(shell command -v bpftool 2>/dev/null || echo /usr/sbin/bpftool)
VERSION := 0.1.0

UNAME_M := $(shell uname -m)
ifeq ($(UNAME_M),x86_64)
ARCH := x86
else ifeq ($(UNAME_M),aarch64)
ARCH := arm64
else
$(error sysray: unsupported architecture '$(UNAME_M)' (supported: x86_64))
endif
VMLINUX := vmlinux/$(ARCH)/vmlinux.h
ifeq ($(wildcard $(VMLINUX)),)
$(error sysray: no $(VMLINUX) for $(UNAME_M); generate it with scripts/gen-vmlinux.sh on a kernel with BTF)
endif

ifeq ($(V),1)
Q =
msg =
else
Q = @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

WARN := -Wall -Wextra -Werror
INCLUDES := -Iinclude -Iuser -I$(OUTPUT) -I$(OUTPUT)/gen
CFLAGS ?= -O2 -g
ALL_CFLAGS := -std=gnu11 -D_GNU_SOURCE $(CFLAGS) $(WARN) $(INCLUDES) -DSYSRAY_VERSION='"$(VERSION)"' -MMD -MP
BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) $(WARN) -Wno-unused-parameter \
	-Iinclude -Ibpf -Ivmlinux/$(ARCH) -MMD -MP
LIBS := -lbpf -lelf -lz -lm

BPF_SRCS := $(wildcard bpf/*.bpf.c)
BPF_OBJS := $(patsubst bpf/%.bpf.c,$(OUTPUT)/%.bpf.o,$(BPF_SRCS))
SKELS := $(patsubst bpf/%.bpf.c,$(OUTPUT)/%.skel.h,$(BPF_SRCS))

GEN_SRCS := $(OUTPUT)/gen/syscall_tables.c $(OUTPUT)/gen/errno_table.c
USER_SRCS := $(filter-out user/main.c,$(wildcard user/*.c))
LIB_OBJS := $(patsubst user/%.c,$(OUTPUT)/user/%.o,$(USER_SRCS)) \
	$(patsubst $(OUTPUT)/gen/%.c,$(OUTPUT)/gen/%.o,$(GEN_SRCS))
LIB := $(OUTPUT)/libsysray.a

UNIT_SRCS := $(wildcard tests/unit/*.c)
UNIT_OBJS := $(patsubst tests/unit/%.c,$(OUTPUT)/tests/unit/%.o,$(UNIT_SRCS))
INTEG_SRCS := $(wildcard tests/integration/*.c)
INTEG_OBJS := $(patsubst tests/integration/%.c,$(OUTPUT)/tests/integration/%.o,$(INTEG_SRCS))
WORKLOADS := $(patsubst tests/workloads/%.c,$(OUTPUT)/workloads/%,$(wildcard tests/workloads/*.c))
BENCHES := $(patsubst tests/bench/%.c,$(OUTPUT)/bench/%,$(wildcard tests/bench/*.c))

.PHONY: all test unit integration bench install clean format
.DELETE_ON_ERROR:
.SECONDARY:

all: sysray

sysray: $(OUTPUT)/user/main.o $(LIB)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(ALL_CFLAGS) $^ $(LIBS) -o $@

$(LIB): $(LIB_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(OUTPUT)/%.bpf.o: bpf/%.bpf.c $(VMLINUX) | $(OUTPUT)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(OUTPUT)/%.skel.h: $(OUTPUT)/%.bpf.o
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name $(subst -,_,$*)_bpf > $@

$(OUTPUT)/gen/syscall_tables.c: scripts/gen-syscall-tables.sh include/sysray.h | $(OUTPUT)/gen
	$(call msg,GEN,$@)
	$(Q)CC="$(CC)" $< $@

$(OUTPUT)/gen/errno_table.c: scripts/gen-errno-table.sh user/errnos.h | $(OUTPUT)/gen
	$(call msg,GEN,$@)
	$(Q)CC="$(CC)" $< $@

# Userspace objects may include any skeleton; generate them first.
$(OUTPUT)/user/%.o: user/%.c $(SKELS) | $(OUTPUT)/user
	$(call msg,CC,$@)
	$(Q)$(CC) $(ALL_CFLAGS) -c $< -o $@

$(OUTPUT)/gen/%.o: $(OUTPUT)/gen/%.c
	$(call msg,CC,$@)
	$(Q)$(CC) $(ALL_CFLAGS) -c $< -o $@

$(OUTPUT)/tests/unit/%.o: tests/unit/%.c $(SKELS) | $(OUTPUT)/tests/unit
	$(call msg,CC,$@)
	$(Q)$(CC) $(ALL_CFLAGS) -c $< -o $@

$(OUTPUT)/tests/integration/%.o: tests/integration/%.c | $(OUTPUT)/tests/integration
	$(call msg,CC,$@)
	$(Q)$(CC) $(ALL_CFLAGS) -c $< -o $@

$(OUTPUT)/unit_tests: $(UNIT_OBJS) $(LIB)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(ALL_CFLAGS) $^ -lcriterion $(LIBS) -o $@

$(OUTPUT)/integration_tests: $(INTEG_OBJS) $(LIB)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(ALL_CFLAGS) $^ -lcriterion -lpthread $(LIBS) -o $@

# Workloads make known syscalls: -O1 and no fortify so the compiler adds or removes none.
$(OUTPUT)/workloads/%: tests/workloads/%.c | $(OUTPUT)/workloads
	$(call msg,CC,$@)
	$(Q)$(CC) -std=gnu11 -O1 -g $(WARN) -D_GNU_SOURCE -U_FORTIFY_SOURCE -Iinclude -MMD -MP $< -lpthread -o $@

$(OUTPUT)/bench/%: tests/bench/%.c $(LIB) | $(OUTPUT)/bench
	$(call msg,LINK,$@)
	$(Q)$(CC) $(ALL_CFLAGS) $< $(LIB) $(LIBS) -o $@

$(OUTPUT) $(OUTPUT)/gen $(OUTPUT)/user $(OUTPUT)/tests/unit $(OUTPUT)/tests/integration \
$(OUTPUT)/workloads $(OUTPUT)/bench:
	$(Q)mkdir -p $@

unit: $(OUTPUT)/unit_tests
	$(Q)$(OUTPUT)/unit_tests

integration: sysray $(OUTPUT)/integration_tests $(WORKLOADS)
	$(Q)SYSRAY=$(CURDIR)/sysray WORKLOADS=$(CURDIR)/$(OUTPUT)/workloads $(OUTPUT)/integration_tests --jobs=1

# Unit tests first: they are fast and need no privileges. Integration tests run one at a
# time: the anomaly and latency tests time real sleeps, which other tests would disturb.
test: unit integration

bench: sysray $(WORKLOADS) $(BENCHES)
	$(Q)OUTPUT=$(OUTPUT) scripts/bench.sh

install: sysray
	install -D -m 0755 sysray $(DESTDIR)$(PREFIX)/bin/sysray

format:
	clang-format -i bpf/*.c bpf/*.h user/*.c user/*.h include/*.h tests/*/*.c

clean:
	$(call msg,CLEAN,)
	$(Q)rm -rf $(OUTPUT) sysray

-include $(wildcard $(OUTPUT)/*.d $(OUTPUT)/*/*.d $(OUTPUT)/*/*/*.d)
