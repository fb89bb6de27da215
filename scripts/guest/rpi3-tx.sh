# SPDX-License-Identifier: GPL-2.0
# rpi3: MEM_TO_DEV through the BCM2835 DMA into UART0's data register, in
# word mode (one payload byte per 32-bit word, see rpi3-lib.sh), through
# write(), zero-copy and the pool. The host checks the bytes QEMU wrote to
# uart0's file against the DMAXFER-EXPECT lines: more than 1 MiB of
# capture, from more than 4 MiB of DMA.
. /tests/rpi3-lib.sh

# seg_size=8192: a 64 KiB transfer spans at least 8 sg entries (8 control
# blocks) whatever the page allocator hands out.
check "tx-bind" rpi3_bind dmaxfer-uart0 seg_size=8192
base=$(uart_off)
c0=$(cat "$SYS/tx/copied_bytes")

# write(): each size on its own (4 B, the bus width, to 1 MiB), from a
# buffer at an odd multiple of the width into a page.
for n in 4 12 4092 4096 4100 65540 1048576; do
	send_words "size-$n" "$n" "$n" "$n" 2052
done
expect_ge "tx-sg-entries-64k-write" "$(cat "$SYS/tx/max_nents")" 8
# Varied write sizes in one stream, from another odd offset.
send_words varied-writes 1 1048576 4,12,4092,4096,4100,65540,780 4092
c1=$(cat "$SYS/tx/copied_bytes")

# Zero-copy: from user memory in place, 64 KiB transfers, 4 in flight.
loop_words zero-copy 31 1048576 -b 65536 -q 4 --zero-copy
c2=$(cat "$SYS/tx/copied_bytes")
expect_eq "tx-zero-copy-copies-nothing" "$((c2 - c1))" 0
expect_ge "tx-zero-copy-sg-entries" "$(cat "$SYS/tx/last_nents")" 4
# The pool: mmap()ed coherent buffers.
loop_words pool 32 1048576 -b 65536 -q 4 --pool

expect_eq "tx-bytes-counted" "$(cat "$SYS/tx/bytes")" "$((($(uart_off) - base) * RPI3_WORD))"
expect_ge "tx-write-path-copied" "$((c1 - c0))" 1
expect_eq "tx-no-errors" "$(cat "$SYS/tx/errors")" 0
expect_eq "tx-no-timeouts" "$(cat "$SYS/tx/timeouts")" 0
# With swiotlb=...,force every streaming mapping bounces: the pool's high
# water mark shows that this run's did.
tlb=/sys/kernel/debug/swiotlb/io_tlb_used_hiwater
if grep -q 'swiotlb=[0-9,]*force' /proc/cmdline; then
	expect_ge "tx-bounced" "$(cat $tlb 2>/dev/null)" 1
else
	echo "DMAXFER-INFO: not bouncing; swiotlb slots used at most: $(cat $tlb 2>/dev/null)"
fi
check "tx-rmmod" rmmod dmaxfer
