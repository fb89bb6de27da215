# SPDX-License-Identifier: GPL-2.0
# virt64 over dmasim: the kselftest's race loops alone (tools/testing/
# dmaxfer/races.c), for the boot without swiotlb bouncing (the bounce boot
# runs them inside virt64-uapi). DMAXFER_ITERS on the kernel command line
# sets the iterations (default 20; make stress: 200), DMAXFER_RACE_TIMEOUT_MS
# the device timeout of the loops (make stress: 300 ms, so that 200
# iterations of each shape fit its budget; the races are at the deadline,
# whatever its length).

if [ -c /dev/dmaxfer0 ]; then
	rmmod dmaxfer 2>/dev/null
fi
[ -e /sys/kernel/debug/dmasim ] || check "races-insmod-dmasim" insmod /lib/modules/dmasim.ko
check "races-insmod-dmaxfer" insmod /lib/modules/dmaxfer.ko timeout_ms=1000
DMAXFER_LOOPBACK=1 DMAXFER_ITERS="${DMAXFER_ITERS:-20}" \
	DMAXFER_RACE_TIMEOUT_MS="${DMAXFER_RACE_TIMEOUT_MS:-}" /bin/dmaxfer_test \
	-t close_at_deadline_inflight -t close_at_deadline_reaped \
	-t close_at_deadline_waiting -t close_at_completion \
	-t timeout_status_lone -t timeout_status_next >/tmp/races.tap 2>&1
rc=$?
cat /tmp/races.tap
sed -n 's/^ok [0-9]* \([^ #]*\)$/\1/p' /tmp/races.tap |
while read -r t; do result PASS "races-$t"; done
sed -n 's/^not ok [0-9]* \([^ #]*\).*$/\1/p' /tmp/races.tap |
while read -r t; do result FAIL "races-$t" "see the TAP above"; done
sed -n 's/^ok [0-9]* \([^ #]*\) # SKIP \(.*\)$/DMAXFER-RESULT: SKIP races-\1: \2/p' /tmp/races.tap
sed -n 's/^# *[^ ]*:[0-9]*:\([a-z_]*\):\(.* iterations in .*\)$/DMAXFER-INFO: race \1:\2/p' /tmp/races.tap
expect_eq "races-selftest-exit" "$rc" 0
check "races-rmmod-dmaxfer" rmmod dmaxfer
