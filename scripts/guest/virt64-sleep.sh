# SPDX-License-Identifier: GPL-2.0
# virt64: system sleep with transfers in flight. A stream paced by dmasim's
# bandwidth cap is under way in both directions when the system goes to
# suspend-to-idle; the PL031 RTC's alarm wakes it 2 s later. The stream must
# arrive whole and verified, with no error, no timeout and no abort.
# What this proves: the freezer does not cut a stream (it used to: the
# freezer's fake signal aborted the transfers in flight and write() returned
# short), and dmaxfer's suspend/resume (pause/resume of its channels) runs
# without error. It cannot prove the pause itself: dmasim's engine is not
# frozen and would finish the transfers anyway.

SIM=/sys/kernel/debug/dmasim/dmasim
[ -c /dev/dmaxfer0 ] || {
	check "sleep-insmod-dmasim" insmod /lib/modules/dmasim.ko
	check "sleep-insmod-dmaxfer" insmod /lib/modules/dmaxfer.ko timeout_ms=20000
}
SYS=$(dmaxfer_sysfs)
RTC=/sys/class/rtc/rtc0
if ! grep -qw freeze /sys/power/state 2>/dev/null || [ ! -w $RTC/wakealarm ]; then
	result FAIL "sleep-support" "no freeze in /sys/power/state or no RTC wakealarm"
	return 0 2>/dev/null || exit 0
fi
result PASS "sleep-support"
old_tmo=$(cat "$SYS/timeout_ms")
echo 20000 >"$SYS/timeout_ms"
t0=$(cat "$SYS/tx/timeouts")/$(cat "$SYS/rx/timeouts")
e0=$(cat "$SYS/tx/errors")/$(cat "$SYS/rx/errors")
a0=$(cat "$SYS/tx/aborts")/$(cat "$SYS/rx/aborts")

# 512 KiB at 2 Mbit/s each way: about 2 s of DMA, suspended in the middle.
echo 2000 >$SIM/chan0/bandwidth_kbps
dd if=/dev/dmaxfer0 of=/tmp/sleep-rx bs=65536 count=8 2>/dev/null &
rd=$!
dmaxfer send -s 21 -n 524288 -w 65536 >/tmp/sleep-tx.log 2>&1 &
wr=$!
sleep 1
echo 0 >$RTC/wakealarm
echo +2 >$RTC/wakealarm
before=$(cat /proc/uptime)
if echo freeze >/sys/power/state; then
	result PASS "sleep-freeze-resumed"
else
	result FAIL "sleep-freeze-resumed" "echo freeze > /sys/power/state failed"
fi
echo "DMAXFER-INFO: suspended at uptime ${before%% *}, back at $(cut -d' ' -f1 /proc/uptime)"
dmesg | grep -E "PM: suspend (entry|exit)" | tail -n 2
wait $wr
check "sleep-stream-sent" test $? = 0
wait $rd
check "sleep-stream-read" test $? = 0
check "sleep-stream-data" dmaxfer verify -s 21 -n 524288 /tmp/sleep-rx
echo 0 >$SIM/chan0/bandwidth_kbps
rm -f /tmp/sleep-rx
expect_eq "sleep-no-timeouts" "$(cat "$SYS/tx/timeouts")/$(cat "$SYS/rx/timeouts")" "$t0"
expect_eq "sleep-no-errors" "$(cat "$SYS/tx/errors")/$(cat "$SYS/rx/errors")" "$e0"
expect_eq "sleep-no-aborts" "$(cat "$SYS/tx/aborts")/$(cat "$SYS/rx/aborts")" "$a0"
expect_eq "sleep-fifo-drained" "$(cat $SIM/fifo_level)" 0
echo "$old_tmo" >"$SYS/timeout_ms"

# A closed file's rx a minute from its deadline, and a read() that holds
# the channel waiting for data: neither may make the freezer fail.
DMAXFER_LOOPBACK=1 DMAXFER_SLEEP=1 /bin/dmaxfer_test -t freeze_with_closed_rx_and_stream \
	>/tmp/sleep2.tap 2>&1
rc=$?
cat /tmp/sleep2.tap
if grep -q '^ok .*# SKIP' /tmp/sleep2.tap; then
	result SKIP "sleep-closed-rx-and-stream" "$(sed -n 's/^ok .*# SKIP //p' /tmp/sleep2.tap)"
else
	expect_eq "sleep-closed-rx-and-stream" "$rc" 0
fi
