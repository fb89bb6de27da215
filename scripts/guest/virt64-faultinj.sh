# SPDX-License-Identifier: GPL-2.0
# virt64 with dts/virt64-dmasim.dtso: systematic fault injection into every
# call of /dev/dmaxfer0 (open, the ioctls, mmap, read, write) with fail-nth
# and the debug kernel's FAILSLAB and FAIL_PAGE_ALLOC (see the kernel's
# Documentation/fault-injection/fault-injection.rst). /bin/dmaxfer_failnth
# fails the Nth allocation of each call for N = 1, 2, ... until the call
# runs without a fault, and checks each errno, the data, and that DMA-API
# debug's live entries and the pinned pages come back to where they were.
# Then kmemleak, and a verified round trip through the loopback.
#
# DMAXFER_FI_VERBOSE=0|1|2 on the kernel command line sets the fault
# attributes' "verbose" (default 0: no message per injected fault).

FI=/sys/kernel/debug
SIM=/sys/kernel/debug/dmasim/dmasim
P=/sys/module/dmaxfer/parameters

# fi_set ATTR VALUE...: the same value into failslab and fail_page_alloc
fi_set() {
	_f=$1
	shift
	for _a in failslab fail_page_alloc; do
		echo "$*" >"$FI/$_a/$_f" || result FAIL "faultinj-config" "cannot set $_a/$_f"
	done
}
fi_show() {
	for _a in failslab fail_page_alloc; do
		_l=""
		for _f in "$FI/$_a"/*; do
			case ${_f##*/} in
			require-*|reject-*|stacktrace-depth) continue ;;
			esac
			_l="$_l ${_f##*/}=$(cat "$_f")"
		done
		echo "DMAXFER-INFO: $1 $_a:$_l"
	done
}
# The allocator filters: the kernel's defaults, or every allocation.
fi_filters() {
	if [ "$1" = defaults ]; then
		w=Y; o=1; h=Y
	else
		w=N; o=0; h=N
	fi
	fi_set ignore-gfp-wait $w
	echo $o >$FI/fail_page_alloc/min-order
	echo $h >$FI/fail_page_alloc/ignore-gfp-highmem
}
# The sum of the "fi count CALL K" lines of dmaxfer_failnth -c.
fi_count_sum() { awk '/^DMAXFER-INFO: fi count / { s += $5 } END { print s + 0 }' "$1"; }

t0=$(date +%s)
# kmemleak's own scanning thread is off (/init): a scan, or reading the
# report, would wait for one of its scans (30 s on this guest). Only the
# explicit scans below (and health_checks') run.
check "faultinj-insmod-dmasim" insmod /lib/modules/dmasim.ko
# A short timeout bounds any transfer a fault would leave hanging.
check "faultinj-insmod-dmaxfer" insmod /lib/modules/dmaxfer.ko timeout_ms=1000
check "faultinj-chardev" test -c /dev/dmaxfer0
expect_eq "faultinj-dmaxfer0-is-loopback" "$(misc_node dmaxfer0)" dmaxfer-loopback
check "faultinj-fail-nth" test -w /proc/thread-self/fail-nth
check "faultinj-debugfs" test -d $FI/failslab -a -d $FI/fail_page_alloc

# fail-nth takes precedence over probability, interval and times, and only
# ever fails the task that wrote it. probability 0 and task-filter Y (with
# no task marked make-it-fail) keep the random injection off for every
# task. fail-nth decrements "times" on each fault it injects unless it is
# -1: a large count makes it the kernel's own tally of injected faults,
# per allocator, which dmaxfer_failnth compares with fail-nth.
fi_set probability 0
fi_set interval 1
fi_set space 0
fi_set times 100000000
fi_set task-filter Y
fi_set verbose "${DMAXFER_FI_VERBOSE:-0}"
echo N >$FI/failslab/cache-filter

# What the default filters let through: they skip every allocation that
# may sleep (ignore-gfp-wait), every order-0 page (min-order 1) and every
# user page (ignore-gfp-highmem). Counted without failing anything.
fi_filters defaults
fi_show "fault injection, defaults:"
echo 4096 >$P/xfer_size
echo 2 >$P/queue_depth
dmaxfer_failnth -c >/tmp/fi-defaults.txt 2>&1
expect_eq "faultinj-count-defaults" "$?" 0
cat /tmp/fi-defaults.txt
fi_filters all
fi_show "fault injection, used:"
dmaxfer_failnth -c >/tmp/fi-all.txt 2>&1
expect_eq "faultinj-count-all" "$?" 0
cat /tmp/fi-all.txt
d=$(fi_count_sum /tmp/fi-defaults.txt)
a=$(fi_count_sum /tmp/fi-all.txt)
echo "DMAXFER-INFO: fault-checked allocations of one pass over every call: $d with the default filters, $a with ignore-gfp-wait=N min-order=0 ignore-gfp-highmem=N"
if [ "$a" -gt "$d" ] 2>/dev/null; then
	result PASS "faultinj-filters-open"
else
	result FAIL "faultinj-filters-open" "$a allocations with the filters open, $d with the defaults"
fi

# The sweep. read() and write() run with xfer_size 4096 and queue_depth 2
# (set above): 12 KiB is three transfers, two in flight.
# INFO, BUF_FREE, WAIT and SYNC make no allocation of their own: with
# nothing to fail they are SKIP, not FAIL, as long as that stays true (an
# allocation added to them would be swept like any other).
t1=$(date +%s)
dmaxfer_failnth -z info,buf-free,wait,sync
rc=$?
t2=$(date +%s)
echo "DMAXFER-INFO: fault-injection sweep took $((t2 - t1)) s"
expect_eq "faultinj-sweep-exit" "$rc" 0

# The fault settings back to the kernel's defaults.
fi_filters defaults
fi_set times 1
fi_set verbose 2
fi_set task-filter N

# DMA-API debug disables itself when it runs out of entries; kmemleak when
# it cannot allocate its metadata: both must still be watching.
expect_eq "faultinj-dma-api-debug-enabled" "$(cat /sys/kernel/debug/dma-api/disabled)" N
expect_eq "faultinj-dma-api-errors" "$(cat /sys/kernel/debug/dma-api/error_count)" 0

# A verified round trip after all that: the device still works.
echo 262144 >$P/xfer_size
echo 8 >$P/queue_depth
echo 1 >$SIM/fifo_flush
check "faultinj-rt-send" dmaxfer send -s 5 -n 65536 -w 65536
check "faultinj-rt-read" sh -c 'dd if=/dev/dmaxfer0 of=/tmp/rx bs=65536 count=1 2>/dev/null'
check "faultinj-rt-data" dmaxfer verify -s 5 -n 65536 /tmp/rx
expect_eq "faultinj-rt-fifo-drained" "$(cat $SIM/fifo_level)" 0
rm -f /tmp/rx

# kmemleak, before the module goes (its report then names the driver's
# functions): only objects older than ~5 s are reported, so the scan
# waits until 6 s after the sweep. A scan fails (EPERM) once kmemleak has
# disabled itself.
w=$((t2 + 6 - $(date +%s)))
[ "$w" -gt 0 ] && sleep "$w"
t1=$(date +%s)
if echo scan >/sys/kernel/debug/kmemleak; then
	echo "DMAXFER-INFO: kmemleak scan took $(( $(date +%s) - t1 )) s"
	n=$(grep -c '^unreferenced object' /sys/kernel/debug/kmemleak)
	[ "$n" = 0 ] || cat /sys/kernel/debug/kmemleak
	expect_eq "faultinj-kmemleak" "$n" 0
else
	result FAIL "faultinj-kmemleak" "kmemleak scan refused: kmemleak is off"
fi
check "faultinj-rmmod-dmaxfer" rmmod dmaxfer
check "faultinj-rmmod-dmasim" rmmod dmasim
echo "DMAXFER-INFO: virt64-faultinj took $(( $(date +%s) - t0 )) s"
