# SPDX-License-Identifier: GPL-2.0
# virt64 with dts/virt64-dmasim.dtso: the seeded ABI fuzzer
# (tools/testing/dmaxfer/fuzz_*.c) against /dev/dmaxfer0 (the
# loopback client) and /dev/dmaxfer1 (tx only), with dmasim's debugfs for
# its data checks; then a verified round trip through the device it leaves.
# The kernel command line may set DMAXFER_FUZZ_SEED, DMAXFER_FUZZ_OPS,
# DMAXFER_FUZZ_SECS (the time bound) and DMAXFER_FUZZ_MIN_OPS (the count
# the run must reach); make stress does.
FUZZ_SEED=${DMAXFER_FUZZ_SEED:-1}
FUZZ_OPS=${DMAXFER_FUZZ_OPS:-100000}
FUZZ_SECS=${DMAXFER_FUZZ_SECS:-300}
FUZZ_MIN=${DMAXFER_FUZZ_MIN_OPS:-100000}
SIM=/sys/kernel/debug/dmasim/dmasim

check "fuzz-insmod-dmasim" insmod /lib/modules/dmasim.ko
# A short timeout: rx transfers from the empty FIFO end quickly.
check "fuzz-insmod-dmaxfer" insmod /lib/modules/dmaxfer.ko timeout_ms=200
check "fuzz-chardev" test -c /dev/dmaxfer0 -a -c /dev/dmaxfer1

# CPU time: idle jiffies of all CPUs before and after (the 4th field of "cpu").
idle0=$(awk '/^cpu /{print $5; exit}' /proc/stat)
t0=$(date +%s)
# The fuzzer's own watchdog ends a hung operation; this ends a hung fuzzer.
timeout -s KILL $((FUZZ_SECS + 120)) /bin/dmaxfer_fuzz -d /dev/dmaxfer0 -e /dev/dmaxfer1 \
	-S $SIM -s "$FUZZ_SEED" -n "$FUZZ_OPS" -T "$FUZZ_SECS" >/tmp/fuzz.out 2>&1
rc=$?
secs=$(($(date +%s) - t0))
idle=$(($(awk '/^cpu /{print $5; exit}' /proc/stat) - idle0))
echo "DMAXFER-INFO: fuzz: CPUs idle $((idle / $(nproc))) of $((secs * 100)) jiffies each (USER_HZ)"
cat /tmp/fuzz.out
n=$(sed -n 's/^DMAXFER-FUZZ: seed .*: \([0-9]*\) operations in .*/\1/p' /tmp/fuzz.out)
echo "DMAXFER-INFO: fuzz seed $FUZZ_SEED: ${n:-?} operations in $secs s (exit $rc)"
expect_eq "fuzz-exit" "$rc" 0
expect_eq "fuzz-no-violations" "$(grep -c 'VIOLATION\|HANG' /tmp/fuzz.out)" 0
expect_ge "fuzz-operations" "${n:-0}" "$FUZZ_MIN"
check "fuzz-data-checked" grep -q ' [1-9][0-9]* data checks' /tmp/fuzz.out

# The device still works: a verified round trip through the loopback FIFO.
echo 1 >$SIM/fifo_flush
check "fuzz-after-send" dmaxfer send -s 43 -n 262144 -w 65536
check "fuzz-after-read" sh -c 'dd if=/dev/dmaxfer0 of=/tmp/rx bs=262144 count=1 2>/dev/null'
check "fuzz-after-data" dmaxfer verify -s 43 -n 262144 /tmp/rx
rm -f /tmp/rx /tmp/fuzz.out
check "fuzz-rmmod-dmaxfer" rmmod dmaxfer
check "fuzz-rmmod-dmasim" rmmod dmasim
