#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench: figures, not pass/fail. Boots zynq once with the benchmark
# script (throughput, ratios against the in-kernel path, the zero-copy
# proof, dmatest), then virt64 once (CPU time per MiB of each user-space
# path over dmasim), prints every DMAXFER-BENCH line and a summary.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

dtb=$(bash "$TOP/scripts/build-dtb.sh" zynq zynq-pl330-uart0) || die "overlay failed"
# UART0's capture goes to tmpfs while the guest runs: written to disk, its
# pace followed the host's page writeback and spread the tx figures by 20 %.
shm=$(mktemp -d /dev/shm/dmaxfer-bench.XXXXXX)
DMAXFER_UART_DIR=$shm DMAXFER_GUEST_TIMEOUT=${DMAXFER_GUEST_TIMEOUT:-1200} \
	bash "$TOP/scripts/run-guest.sh" zynq bench zynq-bench "$dtb"
rmdir "$shm"
vdtb=$(bash "$TOP/scripts/virt64-dtb.sh" virt64-dmasim) || die "virt64 overlay failed"
bash "$TOP/scripts/run-guest.sh" virt64 bench virt64-bench "$vdtb"

logf=$BUILD/zynq/logs/bench.console.log
vlogf=$BUILD/virt64/logs/bench.console.log
cat "$logf" "$vlogf" | grep -a '^DMAXFER-BENCH' | tr -d '\r' |
	sed 's/^DMAXFER-BENCH //' >"$BUILD/bench.txt"
cat "$BUILD/bench.txt"
echo
python3 "$TOP/scripts/bench-summary.py" <"$BUILD/bench.txt"
grep -q '^DMAXFER-DONE' "$logf" || die "zynq bench run did not finish; console: $logf"
grep -q '^DMAXFER-DONE' "$vlogf" || die "virt64 bench run did not finish; console: $vlogf"
# The guests' checks, clean kernel logs, and the streams sent for the
# zero-copy proof checked byte for byte.
RESULTS=$BUILD/bench-results.txt
. "$TOP/scripts/judge.sh"
: >"$RESULTS"
mkdir -p "$BUILD/tool-host"
make -s -C "$TOP/tools/dmaxfer" O="$BUILD/tool-host"
judge_console zynq-bench "$logf" | grep -v '^PASS'
judge_uart zynq-bench "$logf" "$BUILD/zynq/logs/bench.uart0.bin"
judge_console virt64-bench "$vlogf" | grep -v '^PASS'
! grep -q '^FAIL' "$RESULTS"
