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

# Static checks of the driver, the binding and the device trees.
bash "$TOP/scripts/lint.sh"
# The modules against Debian 12's own amd64 kernel headers (6.1 and 6.12),
# W=1, and the README's DKMS install and removal on both; no boot. They
# run beside the zynq and vpb boots (their QEMU leaves a core idle), and
# their log is printed once those are done.
hostlog=$BUILD/host-checks.log
mkdir -p "$BUILD"
(bash "$TOP/scripts/host-headers.sh"; bash "$TOP/scripts/dkms-check.sh") >"$hostlog" 2>&1 &
hostpid=$!
# The planted bugs of make mutation still apply (a cheap guard: no boot).
bash "$TOP/scripts/mutation.sh" --check-apply | tee -a "$RESULTS"
[ -f "$TOP/scripts/dt-check.sh" ] && bash "$TOP/scripts/dt-check.sh"

# zynq: PL330 -> UART0, bytes checked on the host.
bash "$TOP/scripts/run-board.sh" zynq

# vpb: PL080 binding and the timeout path (QEMU's PL080 moves no slave data).
bash "$TOP/scripts/run-board.sh" vpb

wait "$hostpid" || echo "host header / DKMS checks: exit $?"
cat "$hostlog"

# virt64: KUnit on the debug kernel, every mapping bounced through swiotlb.
bash "$TOP/scripts/run-board.sh" virt64

results_summary "make check took $(( $(date +%s) - t0 )) s"
