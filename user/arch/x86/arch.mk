# x86: what the Makefile needs to know of this architecture. A port adds its own arch.mk.
# uname -m of the machines this directory serves -> the name of bpf/arch/, user/arch/ and
# vmlinux/ (libbpf's __TARGET_ARCH_ name).
ARCH_OF_x86_64 := x86
# Extra flags for the files of this directory only (the AVX2 kernels are compiled for AVX2
# and chosen at run time by CPUID).
ARCH_CFLAGS_x86 :=
