# SPDX-License-Identifier: GPL-2.0
# virt64 with dts/virt64-dmasim.dtso and CONFIG_COMPAT: the ABI suite built
# for 32-bit ARM (static, EABI; /bin/dmaxfer_test32) against the arm64
# kernel, so every ioctl goes through the driver's compat_ioctl, as on a
# Raspberry Pi OS with 32-bit user space on a 64-bit kernel. The same
# cases as virt64-uapi.sh, over dmasim's loopback FIFO.

acct_begin virt64-uapi32
# initramfs.sh adds the binary only when the kernel has CONFIG_COMPAT.
check "uapi32-binary" test -x /bin/dmaxfer_test32
check "uapi32-insmod-dmasim" insmod /lib/modules/dmasim.ko
check "uapi32-insmod-dmaxfer" insmod /lib/modules/dmaxfer.ko timeout_ms=1000
check "uapi32-chardev" test -c /dev/dmaxfer0
# The binary really is 32-bit ARM: ELF class (byte 4) 1 = ELFCLASS32, and
# e_machine (bytes 18-19) 40 = EM_ARM.
expect_eq "uapi32-elf-arm32" \
	"$(od -An -tu1 -j4 -N1 /bin/dmaxfer_test32 | tr -d ' ')/$(od -An -tu2 -j18 -N2 /bin/dmaxfer_test32 | tr -d ' ')" 1/40

acct_begin uapi32-selftest
# The race loops once each: the 64-bit runs have them at 20 (make check's
# bar, with and without bouncing); here they only show that the compat
# path takes the same ioctls (5 iterations cost 15 s of the boot).
export DMAXFER_COHERENT=0 DMAXFER_DMA_ALIGN="$(dma_align)" DMAXFER_ITERS="${DMAXFER_ITERS32:-1}"
export DMAXFER_RACE_TIMEOUT_MS="${DMAXFER_RACE_TIMEOUT_MS:-300}"
DMAXFER_LOOPBACK=1 /bin/dmaxfer_test32 >/tmp/uapi32.tap 2>&1
rc=$?
cat /tmp/uapi32.tap
tap_results /tmp/uapi32.tap uapi32-
check "uapi32-tap-totals" grep -q '^# Totals: pass:[1-9]' /tmp/uapi32.tap
expect_eq "uapi32-selftest-exit" "$rc" 0
acct_end uapi32-selftest

check "uapi32-rmmod-dmaxfer" rmmod dmaxfer
check "uapi32-rmmod-dmasim" rmmod dmasim
acct_end virt64-uapi32
