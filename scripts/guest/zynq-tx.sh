# SPDX-License-Identifier: GPL-2.0
# zynq: MEM_TO_DEV through the PL330 into UART0's TX FIFO. The host checks
# the bytes QEMU wrote to uart0's file against the DMAXFER-EXPECT lines.

# seg_size=8192: segments above 8 KiB are split, so a 64 KiB write spans
# at least 8 sg entries whatever the page allocator hands out.
check "insmod" insmod /lib/modules/dmaxfer.ko seg_size=8192
check "chardev" test -c /dev/dmaxfer0

# UART0's own set-up, as its driver would do on real hardware:
# CR = TXEN | RXEN (QEMU resets it with TX disabled). Only now: until
# dmaxfer holds UART0's clocks, QEMU drops every access to it.
devmem 0xe0000000 32 0x14
SYS=$(dmaxfer_sysfs)
off=0

MSG="dmaxfer: hello from the PL330"
printf '%s\n' "$MSG" > /dev/dmaxfer0
echo "DMAXFER-EXPECT-TEXT $off $MSG"
off=$((off + ${#MSG} + 1))

# Varied write sizes: 1 byte, odd, below/at/above a page, > 64 KiB.
n=1048576
if dmaxfer send -s 1 -n $n -w 1,3,4095,4096,4097,65537,777 -o 3; then
	echo "DMAXFER-EXPECT-STREAM varied-writes $off 1 $n"
	off=$((off + n))
else
	result FAIL "send-varied" "dmaxfer send failed"
fi
expect_ge "sg-entries-64k-write" "$(cat $SYS/tx/max_nents)" 4

# One 1 MiB write: xfer_size chunks, several in flight.
if dmaxfer send -s 2 -n $n -w $n -o 0; then
	echo "DMAXFER-EXPECT-STREAM single-1MiB-write $off 2 $n"
	off=$((off + n))
else
	result FAIL "send-1MiB" "dmaxfer send failed"
fi

expect_eq "tx-bytes-counted" "$(cat $SYS/tx/bytes)" "$off"
expect_eq "tx-no-errors" "$(cat $SYS/tx/errors)" 0
echo "DMAXFER-EXPECT-TOTAL $off"
check "rmmod" rmmod dmaxfer
