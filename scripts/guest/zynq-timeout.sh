# SPDX-License-Identifier: GPL-2.0
# zynq: a transfer that never completes is terminated at its timeout and
# reported with its residue; the channel then works again, checked on the
# host byte for byte.
#
# QEMU's PL330 runs a started transfer to its end while the guest's timer
# waits, so "a timeout shorter than the transfer" is a race here. The
# debugfs knob hold_issue makes it deterministic: the next issue_pending is
# skipped, the descriptor stays submitted and never starts, exactly like a
# peripheral that never raises its request line.
check "timeout-bind" zynq_bind
D=/sys/kernel/debug/dmaxfer/dmaxfer0
echo 200 >"$SYS/timeout_ms"
echo 1 >"$D/hold_issue"
dmaxfer send -s 90 -n 262144 -w 262144 -o 0 >/tmp/to.out 2>&1
rc=$?
cat /tmp/to.out
moved=$(sed -n 's/^sent \([0-9]*\) bytes.*/\1/p' /tmp/to.out)
expect_eq "timeout-write-reports-failure" "$rc" 4
check "timeout-etimedout" grep -q "timed out" /tmp/to.out
expect_eq "timeout-nothing-reported-moved" "$moved" 0
expect_eq "timeout-counted" "$(cat "$SYS/tx/timeouts")" 1
expect_eq "timeout-errno" "$(cat "$SYS/tx/last_error")" -110
expect_eq "timeout-residue-is-length" "$(cat "$SYS/tx/last_residue")" 262144
expect_eq "timeout-knob-consumed" "$(cat "$D/hold_issue")" 0

# Same channel: a marker, then a full stream. The host checks that no byte
# of the terminated transfer reached UART0, then the marker and the stream.
# This must be the last thing written to UART0 in the boot.
echo 3000 >"$SYS/timeout_ms"
printf 'DMAXFER-SYNC-MARK\n' >/dev/dmaxfer0
if dmaxfer send -s 91 -n 65536 -w 65536 -o 0; then
	echo "DMAXFER-EXPECT-PARTIAL $(uart_off) 90 ${moved:-0} ${moved:-0} DMAXFER-SYNC-MARK 91 65536"
else
	result FAIL "send-after-timeout" "dmaxfer send exited $?"
fi
expect_eq "after-timeout-no-new-timeout" "$(cat "$SYS/tx/timeouts")" 1
check "timeout-rmmod" rmmod dmaxfer
