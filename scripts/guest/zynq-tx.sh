# SPDX-License-Identifier: GPL-2.0
# zynq: MEM_TO_DEV through the PL330 into UART0's TX FIFO. The host checks
# the bytes QEMU wrote to uart0's file against the DMAXFER-EXPECT lines.

# seg_size=8192: segments above 8 KiB are split, so a 64 KiB write spans
# at least 8 sg entries whatever the page allocator hands out.
check "tx-bind" zynq_bind seg_size=8192

MSG="dmaxfer: hello from the PL330"
printf '%s\n' "$MSG" > /dev/dmaxfer0
echo "DMAXFER-EXPECT-TEXT $(uart_off) $MSG"
echo $(($(uart_off) + ${#MSG} + 1)) >/tmp/uart_off

# Each size on its own, from a buffer at an odd offset into a page.
for n in 1 3 4095 4096 4097 65537 1048576; do
	send_stream "size-$n" "$n" "$n" "$n" 2049
done
# Varied write sizes in one stream, from another odd offset.
send_stream varied-writes 1 1048576 1,3,4095,4096,4097,65537,777 4093
expect_ge "tx-sg-entries-64k-write" "$(cat "$SYS/tx/max_nents")" 8
expect_eq "tx-bytes-counted" "$(cat "$SYS/tx/bytes")" "$(uart_off)"
expect_eq "tx-no-errors" "$(cat "$SYS/tx/errors")" 0
check "tx-rmmod" rmmod dmaxfer
