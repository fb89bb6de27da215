#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: every test on every board. Each check is one PASS/FAIL line
# in build/results.txt; the last line printed is "N passed, N failed".
set -uo pipefail
. "$(dirname "$0")/lib.sh"
. "$TOP/scripts/judge.sh"
: >"$RESULTS"
t0=$(date +%s)

bash "$TOP/scripts/setup-host.sh" || die "host set-up failed"

# Host: the tool and the comparator's negative control.
mkdir -p "$BUILD/tool-host"
if make -s -C "$TOP/tools/dmaxfer" O="$BUILD/tool-host"; then
	bash "$TOP/tests/host/verify-negative.sh" "$BUILD/tool-host/dmaxfer" | tee -a "$RESULTS"
else
	fail "host/tool-build"
fi
# The judge: injected faults' messages pass, real reports among them fail.
bash "$TOP/tests/host/judge-faultinj.sh" | tee -a "$RESULTS"
# The judge's UART resynchronisation: found within its slack, exact after.
bash "$TOP/tests/host/judge-uart-resync.sh" | tee -a "$RESULTS"

# Static checks of the driver, the binding and the device trees.
bash "$TOP/scripts/lint.sh"
# The planted bugs of make mutation still apply (a cheap guard: no boot).
bash "$TOP/scripts/mutation.sh" --check-apply | tee -a "$RESULTS"

# Two lanes of boots side by side, so that both cores work: in the
# background the ARM boards (zynq and vpb, 32-bit, one vCPU each; rpi3,
# arm64 raspi3b, four vCPUs that idle in WFI), the device-tree schema
# check, the host-header and DKMS checks, virt64's and rpi3's core boots
# on the other series, then all of rpi3 on the default one; in the
# foreground all of virt64 on the default series.
# Each lane keeps its verdicts and its output apart; they are added in a
# fixed order once both are done. Every board runs on both LTS series
# (KSERIES_ALL): all boots on the default one, the core boots on the
# other (run-board.sh; make stress runs the rest there).
other=("${KSERIES_ALL[@]:1}")
armres=$BUILD/results-lane2.txt
armlog=$BUILD/lane2.log
: >"$armres"
(
	export RESULTS=$armres
	[ -f "$TOP/scripts/dt-check.sh" ] && bash "$TOP/scripts/dt-check.sh"
	# zynq: PL330 -> UART0, bytes checked on the host. vpb: PL080 binding
	# and the timeout path (QEMU's PL080 moves no slave data).
	for b in zynq vpb; do
		bash "$TOP/scripts/run-board.sh" "$b"
		for s in "${other[@]}"; do
			bash "$TOP/scripts/run-board.sh" "$b-$s" core
		done
	done
	# The modules against Debian 12's own amd64 kernel headers (6.1 and
	# 6.12), W=1, and the README's DKMS install and removal on both.
	bash "$TOP/scripts/host-headers.sh"
	bash "$TOP/scripts/dkms-check.sh"
	for s in "${other[@]}"; do
		bash "$TOP/scripts/run-board.sh" "virt64-$s" core
		bash "$TOP/scripts/run-board.sh" "rpi3-$s" core
	done
	# rpi3: BCM2835 DMA -> UART0, a byte per 32-bit word, checked on the
	# host (here, so that the two lanes take about as long).
	bash "$TOP/scripts/run-board.sh" rpi3
) >"$armlog" 2>&1 &
armpid=$!

# virt64: KUnit on the debug kernel, every mapping bounced through swiotlb.
bash "$TOP/scripts/run-board.sh" virt64

wait "$armpid" || echo "second lane: exit $?"
cat "$armlog"
cat "$armres" >>"$RESULTS"

results_summary "make check took $(( $(date +%s) - t0 )) s"
