# SPDX-License-Identifier: GPL-2.0
# zynq: both directions at once, and many transfers queued on one channel.
check "duplex-bind" zynq_bind
devmem 0xfffc0000 32 0x5a5a5a5a

# tx in the background while rx runs: both verified.
dmaxfer send -s 77 -n 524288 -w 65536 -o 0 >/tmp/duplex.out 2>&1 &
txpid=$!
rxok=0
for i in 1 2 3 4 5 6 7 8; do
	dmaxfer recv -n 65536 -g 256 -e 0x5a >/dev/null || rxok=1
done
if wait $txpid; then
	expect_stream duplex-tx 77 524288
	result PASS duplex-tx
else
	result FAIL duplex-tx "$(cat /tmp/duplex.out)"
fi
expect_eq "duplex-rx-while-tx" "$rxok" 0

# 4 KiB transfers, 16 in flight: one 256 KiB write becomes 64 transfers.
echo 4096 >/sys/module/dmaxfer/parameters/xfer_size
echo 16 >/sys/module/dmaxfer/parameters/queue_depth
send_stream queued-4k 78 262144 262144 0
expect_ge "tx-queued-in-flight" "$(cat "$SYS/tx/max_inflight")" 8
check "queued-rx" dmaxfer recv -n 131072 -g 256 -e 0x5a
expect_ge "rx-queued-in-flight" "$(cat "$SYS/rx/max_inflight")" 8
check "duplex-rmmod" rmmod dmaxfer
