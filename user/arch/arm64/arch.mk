# arm64: what the Makefile needs to know of this architecture (see user/arch/x86/arch.mk).
ARCH_OF_aarch64 := arm64
ARCH_CFLAGS_arm64 :=
# Cross builds from another architecture (make ARCH=arm64) use this compiler by default.
CROSS_CC_arm64 := aarch64-linux-gnu-gcc
