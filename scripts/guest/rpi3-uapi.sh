# SPDX-License-Identifier: GPL-2.0
# rpi3: the user-space ABI on the BCM2835 DMA with the kselftest
# tools/testing/dmaxfer (one DMAXFER-RESULT per TAP case), on the client
# with both channels (dts/rpi3-bcm2835-ramword.dtso): tx into UART0, rx
# from the RAM word. Not a loopback, so nothing checks rx data but the
# loop negative control and what the suite checks itself. The host checks
# what UART0 got of the loop streams.
. /tests/rpi3-lib.sh

base=$(uart_off)
check "uapi-bind" rpi3_bind dmaxfer-ramword
devmem $RPI3_RX_WORD 32 0x3c5a96e1

# Every case but timeout_record: QEMU's BCM2835 DMA completes a chain
# inside the register write that starts it, so no transfer outlasts the
# timeout (rpi3-timeout.sh takes the timeout path with hold_issue; virt64
# runs timeout_record on dmasim), and unbind_records (DMAXFER_UNBIND=1,
# virt64). Not DMA-coherent. The race loops hold a tx unissued until
# its deadline: 300 ms for them, and 10 rounds of each (zynq and virt64
# run 20; here they cost 3 s a loop).
DMAXFER_DEV=$DEV DMAXFER_COHERENT=0 DMAXFER_DMA_ALIGN="$(dma_align)" DMAXFER_ITERS="${DMAXFER_ITERS:-10}" \
	DMAXFER_RACE_TIMEOUT_MS=300 /bin/dmaxfer_test -T timeout_record >/tmp/uapi.tap 2>&1
rc=$?
cat /tmp/uapi.tap
tap_results /tmp/uapi.tap uapi-
check "uapi-tap-totals" grep -q '^# Totals: pass:[1-9]' /tmp/uapi.tap
expect_eq "uapi-selftest-exit" "$rc" 0

# All that went to UART0 unchecked: resynchronise on the bytes the driver
# counted (a word a byte), then send streams the host checks.
echo $((base + $(cat "$SYS/tx/bytes") / RPI3_WORD)) >/tmp/uart_off
loop_words uapi-pool 21 65536 -b 4096 -q 4
loop_words uapi-zero-copy 22 65536 -b 8192 --zero-copy
# Negative control: rx gives the word's bytes, not the stream.
dmaxfer loop -d "$DEV" -s 23 -n 4096 -b 1024 --word $RPI3_WORD >/tmp/loop.out 2>&1
rc=$?
cat /tmp/loop.out
expect_eq "uapi-loop-mismatch-detected" "$rc/$(grep -c '^MISMATCH at offset' /tmp/loop.out)" 1/1
expect_words uapi-loop-mismatch 23 4096
expect_eq "uapi-tx-bytes-counted" "$((base + $(cat "$SYS/tx/bytes") / RPI3_WORD))" "$(uart_off)"
check "uapi-rmmod" rmmod dmaxfer
