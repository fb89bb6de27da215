# SPDX-License-Identifier: GPL-2.0
# rpi3: the controller is left healthy. A transfer that never starts ends
# in the client's timeout (terminate_all with the descriptor submitted but
# not issued); then the same channel, and after rmmod a fresh load, move
# bytes the host checks.
#
# QEMU's BCM2835 DMA runs a control-block chain inside the register write
# that starts it, so no transfer it starts can outlast a timeout: the
# debugfs knob hold_issue skips the next issue_pending instead, like a
# peripheral that never raises its DREQ.
. /tests/rpi3-lib.sh

check "timeout-bind" rpi3_bind dmaxfer-uart0
D=/sys/kernel/debug/dmaxfer/${DEV#/dev/}
echo 200 >"$SYS/timeout_ms"
echo 1 >"$D/hold_issue"
dmaxfer send -d "$DEV" -s 90 -n 262144 -w 262144 -o 0 --word $RPI3_WORD >/tmp/to.out 2>&1
rc=$?
cat /tmp/to.out
expect_eq "timeout-write-reports-failure" "$rc" 4
check "timeout-etimedout" grep -q "timed out" /tmp/to.out
expect_eq "timeout-nothing-reported-moved" "$(sed -n 's/^sent \([0-9]*\) bytes.*/\1/p' /tmp/to.out)" 0
expect_eq "timeout-counted" "$(cat "$SYS/tx/timeouts")" 1
expect_eq "timeout-errno" "$(cat "$SYS/tx/last_error")" -110
expect_eq "timeout-residue-is-length" "$(cat "$SYS/tx/last_residue")" 262144
expect_eq "timeout-knob-consumed" "$(cat "$D/hold_issue")" 0

# The transfer never started, so not one byte of it may reach UART0: the
# next expected region starts where the last one ended, and the host's
# uart-total-bytes catches any byte too many.
echo 3000 >"$SYS/timeout_ms"
send_words after-timeout 91 65536 65536 0
expect_eq "after-timeout-no-new-timeout" "$(cat "$SYS/tx/timeouts")" 1
check "timeout-rmmod" rmmod dmaxfer

# A fresh load on the channel the last one gave back.
check "reload-bind" rpi3_bind dmaxfer-uart0
send_words after-reload 92 262144 65536 4
loop_words after-reload-zero-copy 93 65536 -b 16384 --zero-copy
expect_eq "reload-no-errors" "$(cat "$SYS/tx/errors")/$(cat "$SYS/tx/timeouts")" 0/0
check "reload-rmmod" rmmod dmaxfer
