#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: boot QEMU xilinx-zynq-a9, bind dmaxfer to the PL330 with the
# overlay, send a message and 2 MiB of seeded data into UART0 by DMA, and
# check on the host, byte for byte, what UART0 put out.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
RESULTS=$BUILD/demo-results.txt
. "$TOP/scripts/judge.sh"
: >"$RESULTS"

mkdir -p "$BUILD/tool-host"
make -s -C "$TOP/tools/dmaxfer" O="$BUILD/tool-host" || die "host tool build failed"
dtb=$(bash "$TOP/scripts/build-dtb.sh" zynq zynq-pl330-uart0) || die "overlay failed"
bash "$TOP/scripts/run-guest.sh" zynq demo zynq-tx "$dtb"
logf=$BUILD/zynq/logs/demo.console.log
echo "--- guest ---"
grep -aE 'dmaxfer|^sent|DMAXFER-RESULT' "$logf" | tr -d '\r'
echo "--- host: what UART0 received ---"
judge_console zynq "$logf" >/dev/null
judge_uart zynq "$logf" "$BUILD/zynq/logs/demo.uart0.bin"
failed=$(grep -c '^FAIL' "$RESULTS")
if [ "$failed" -eq 0 ]; then
	echo "demo: $(stat -c %s "$BUILD/zynq/logs/demo.uart0.bin") bytes moved by the PL330 and verified"
else
	grep '^FAIL' "$RESULTS"
	echo "demo: FAILED (console: $logf)"
	exit 1
fi
