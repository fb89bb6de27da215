# SPDX-License-Identifier: GPL-2.0
# zynq: a transfer that outlives its timeout is terminated and reported
# with its residue; the bytes reported as moved are exactly the bytes the
# peripheral got (checked on the host); the channel then works again.
check "timeout-bind" zynq_bind

# UART0 takes about 4.5 s per MiB on QEMU: 256 KiB cannot finish in 100 ms.
echo 100 >"$SYS/timeout_ms"
dmaxfer send -s 90 -n 262144 -w 262144 -o 0 >/tmp/to.out 2>&1
rc=$?
cat /tmp/to.out
moved=$(sed -n 's/^sent \([0-9]*\) bytes.*/\1/p' /tmp/to.out)
expect_eq "timeout-write-reports-failure" "$rc" 4
expect_eq "timeout-counted" "$(cat "$SYS/tx/timeouts")" 1
expect_eq "timeout-errno" "$(cat "$SYS/tx/last_error")" -110
if [ -n "$moved" ] && [ "$moved" -lt 262144 ]; then
	result PASS "timeout-partial-count"
	# Only the bytes reported as moved may have reached UART0.
	expect_stream timeout-partial 90 "$moved"
else
	result FAIL "timeout-partial-count" "moved '$moved'"
fi

# Same channel, normal timeout: a full stream goes through.
echo 3000 >"$SYS/timeout_ms"
send_stream after-timeout 91 65536 65536 0
expect_eq "after-timeout-no-new-timeout" "$(cat "$SYS/tx/timeouts")" 1
check "timeout-rmmod" rmmod dmaxfer
