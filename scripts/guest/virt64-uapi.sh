# SPDX-License-Identifier: GPL-2.0
# virt64 with dts/virt64-dmasim.dtso: the user-space ABI of /dev/dmaxfer0
# over dmasim's loopback FIFO (DMAXFER_LOOPBACK=1: rx returns what tx
# sent, so the data tests run too), on the KASAN/lockdep kernel; then the
# dmaxfer tool's loop (data checked) and bench; last, the unbind case.
# DMAXFER_ITERS on the kernel command line sets the race loops' iterations
# (default 20; make stress: 200), DMAXFER_RACE_TIMEOUT_MS their device
# timeout (default 300 ms, as make stress: the races are at the deadline,
# whatever its length, and 20 iterations of six loops at 1 s cost 2 min).


# Mapping accounting (acct_begin/acct_end, lib.sh): the whole script, from
# before the first insmod to after the last rmmod, and each phase.
acct_begin virt64-uapi
check "uapi-insmod-dmasim" insmod /lib/modules/dmasim.ko
# A short timeout keeps the timeout test short.
check "uapi-insmod-dmaxfer" insmod /lib/modules/dmaxfer.ko timeout_ms=1000
check "uapi-chardev" test -c /dev/dmaxfer0

acct_begin uapi-selftest
# dmasim's node has no dma-coherent: rx zero-copy ends on the cache line.
export DMAXFER_COHERENT=0 DMAXFER_DMA_ALIGN="$(dma_align)" DMAXFER_ITERS="${DMAXFER_ITERS:-20}"
export DMAXFER_RACE_TIMEOUT_MS="${DMAXFER_RACE_TIMEOUT_MS:-300}"
DMAXFER_LOOPBACK=1 /bin/dmaxfer_test >/tmp/uapi.tap 2>&1
rc=$?
cat /tmp/uapi.tap
tap_results /tmp/uapi.tap uapi-
check "uapi-tap-totals" grep -q '^# Totals: pass:[1-9]' /tmp/uapi.tap
expect_eq "uapi-selftest-exit" "$rc" 0

acct_end uapi-selftest
# dmaxfer-txonly (/dev/dmaxfer1) has no rx channel: the case that the
# two-channel device has to skip runs there, and must not skip.
acct_begin uapi-txonly
check "uapi-txonly-chardev" test -c /dev/dmaxfer1
DMAXFER_DEV=/dev/dmaxfer1 /bin/dmaxfer_test -t chan_absent >/tmp/absent.tap 2>&1
rc=$?
cat /tmp/absent.tap
check "uapi-txonly-dmaxfer.chan_absent" grep -q '^ok [0-9]* dmaxfer.chan_absent$' /tmp/absent.tap
expect_eq "uapi-txonly-selftest-exit" "$rc" 0

acct_end uapi-txonly
# The tool: a loopback, so loop checks every byte that comes back.
acct_begin uapi-tool
# The tool's loopback waits on its own tx; on a loaded host a 1 s timeout
# cut its rx bench short (seen: 61440 of 65536 bytes). No timeout is
# tested here.
tool_sys=$(dmaxfer_sysfs)
tool_tmo=$(cat "$tool_sys/timeout_ms")
echo 10000 >"$tool_sys/timeout_ms"
for d in /sys/kernel/debug/dmasim/*/fifo_flush; do echo 1 >"$d"; done
check "uapi-loop-pool" dmaxfer loop -s 31 -n 4194304
check "uapi-loop-zero-copy" dmaxfer loop -s 32 -n 4194304 -b 65536 -q 8 --zero-copy
check "uapi-loop-odd-block" dmaxfer loop -s 33 -n 1000000 -b 4100 -q 3
dmaxfer bench -c tx --sizes 4096,65536 --depths 1,8 -t 1 --loopback --json >/tmp/bench.out
rc=$?
cat /tmp/bench.out
expect_eq "uapi-tool-bench-tx" "$rc/$(grep -c '"ok":true' /tmp/bench.out)" 0/4
dmaxfer bench -c rx --sizes 65536 --depths 1,4 -i 64 --mode zero-copy --loopback
expect_eq "uapi-tool-bench-rx" "$?" 0
for d in /sys/kernel/debug/dmasim/*/fifo_flush; do echo 1 >"$d"; done
echo "$tool_tmo" >"$tool_sys/timeout_ms"
acct_end uapi-tool

# Last: the device unbinds under an open file, then binds again.
DMAXFER_LOOPBACK=1 DMAXFER_UNBIND=1 /bin/dmaxfer_test -t unbind_records >/tmp/unbind.tap 2>&1
rc=$?
cat /tmp/unbind.tap
check "uapi-unbind_records" grep -q '^ok [0-9]* dmaxfer.unbind_records$' /tmp/unbind.tap
expect_eq "uapi-unbind-selftest-exit" "$rc" 0
check "uapi-rebound-chardev" test -c /dev/dmaxfer0
check "uapi-rmmod-dmaxfer" rmmod dmaxfer
check "uapi-rmmod-dmasim" rmmod dmasim
acct_end virt64-uapi
