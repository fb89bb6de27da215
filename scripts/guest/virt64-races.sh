# SPDX-License-Identifier: GPL-2.0
# virt64 over dmasim: the kselftest's race loops alone (tools/testing/
# dmaxfer/races.c), for the boot without swiotlb bouncing (the bounce boot
# runs them inside virt64-uapi). DMAXFER_ITERS on the kernel command line
# sets the iterations (default 20; make stress: 200), DMAXFER_RACE_TIMEOUT_MS
# the device timeout of the loops (default 300 ms, so that the iterations
# of each shape fit the budget; the races are at the deadline, whatever its
# length).

if [ -c /dev/dmaxfer0 ]; then
	rmmod dmaxfer 2>/dev/null
fi
[ -e /sys/kernel/debug/dmasim ] || check "races-insmod-dmasim" insmod /lib/modules/dmasim.ko
check "races-insmod-dmaxfer" insmod /lib/modules/dmaxfer.ko timeout_ms=1000
DMAXFER_LOOPBACK=1 DMAXFER_ITERS="${DMAXFER_ITERS:-20}" \
	DMAXFER_RACE_TIMEOUT_MS="${DMAXFER_RACE_TIMEOUT_MS:-300}" /bin/dmaxfer_test \
	-t close_at_deadline_inflight -t close_at_deadline_reaped \
	-t close_at_deadline_waiting -t close_at_completion \
	-t timeout_status_lone -t timeout_status_next >/tmp/races.tap 2>&1
rc=$?
cat /tmp/races.tap
tap_results /tmp/races.tap races-
expect_eq "races-selftest-exit" "$rc" 0
check "races-rmmod-dmaxfer" rmmod dmaxfer
