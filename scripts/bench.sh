#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench: figures, not pass/fail. Boots zynq once with the benchmark
# script and prints every DMAXFER-BENCH line the guest produced.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

dtb=$(bash "$TOP/scripts/build-dtb.sh" zynq zynq-pl330-uart0) || die "overlay failed"
bash "$TOP/scripts/run-guest.sh" zynq bench zynq-bench "$dtb"
logf=$BUILD/zynq/logs/bench.console.log
grep -a '^DMAXFER-BENCH' "$logf" | tr -d '\r' | sed 's/^DMAXFER-BENCH //'
grep -q '^DMAXFER-DONE' "$logf" || die "bench run did not finish; console: $logf"
# The streams sent for the zero-copy proof are checked byte for byte.
RESULTS=$BUILD/bench-results.txt
. "$TOP/scripts/judge.sh"
: >"$RESULTS"
mkdir -p "$BUILD/tool-host"
make -s -C "$TOP/tools/dmaxfer" O="$BUILD/tool-host"
judge_console zynq-bench "$logf" | grep -v '^PASS'
judge_uart zynq-bench "$logf" "$BUILD/zynq/logs/bench.uart0.bin"
! grep -q '^FAIL' "$RESULTS"
