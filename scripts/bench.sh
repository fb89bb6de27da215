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
