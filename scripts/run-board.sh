#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# run-board.sh BOARD: build what BOARD needs, boot it with its tests and
# judge the result into $RESULTS.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
. "$TOP/scripts/judge.sh"

board=${1:?usage: run-board.sh BOARD}
logs=$BUILD/$board/logs

case $board in
zynq)
	dtb=$(bash "$TOP/scripts/build-dtb.sh" zynq zynq-pl330-uart0) ||
		{ fail "zynq/dtb" "overlay did not apply"; exit 0; }
	bash "$TOP/scripts/run-guest.sh" zynq tx zynq-tx,zynq-rx,zynq-duplex,zynq-timeout "$dtb"
	judge_console zynq "$logs/tx.console.log"
	judge_uart zynq "$logs/tx.console.log" "$logs/tx.uart0.bin"
	bash "$TOP/scripts/run-guest.sh" zynq uapi zynq-uapi "$dtb"
	judge_console zynq-uapi "$logs/uapi.console.log"
	judge_uart zynq-uapi "$logs/uapi.console.log" "$logs/uapi.uart0.bin"
	dtb=$(bash "$TOP/scripts/build-dtb.sh" zynq zynq-baddt "$TOP/dts/zynq-pl330-uart0.dtso" \
		"$TOP/tests/dt/zynq-bad-nodes.dtso") || { fail "zynq/baddt-dtb"; exit 0; }
	bash "$TOP/scripts/run-guest.sh" zynq baddt baddt "$dtb"
	judge_console zynq-baddt "$logs/baddt.console.log"
	;;
vpb)
	dtb=$(bash "$TOP/scripts/build-dtb.sh" vpb vpb-pl080-uart1) ||
		{ fail "vpb/dtb" "overlay did not apply"; exit 0; }
	bash "$TOP/scripts/run-guest.sh" vpb pl080 vpb-timeout "$dtb"
	judge_console vpb "$logs/pl080.console.log"
	dtb=$(bash "$TOP/scripts/build-dtb.sh" vpb vpb-baddt "$TOP/dts/vpb-pl080-uart1.dtso" \
		"$TOP/tests/dt/vpb-bad-width.dtso") || { fail "vpb/baddt-dtb"; exit 0; }
	bash "$TOP/scripts/run-guest.sh" vpb baddt baddt "$dtb"
	judge_console vpb-baddt "$logs/baddt.console.log"
	;;
virt64)
	dtb=$(bash "$TOP/scripts/virt64-dtb.sh" virt64-dmasim) ||
		{ fail "virt64/dtb" "dmasim overlay did not apply"; exit 0; }
	# KUnit, and the whole driver against dmasim, with every mapping
	# bounced through swiotlb; then the driver again without bouncing.
	bash "$TOP/scripts/run-guest.sh" virt64 kunit kunit "$dtb" "swiotlb=16384,force"
	judge_console virt64 "$logs/kunit.console.log"
	judge_kunit virt64 "$logs/kunit.console.log"
	bash "$TOP/scripts/run-guest.sh" virt64 dmasim-bounce virt64-dmasim,virt64-uapi "$dtb" \
		"swiotlb=16384,force"
	judge_console virt64-bounce "$logs/dmasim-bounce.console.log"
	bash "$TOP/scripts/run-guest.sh" virt64 dmasim virt64-dmasim,virt64-sleep,virt64-races "$dtb"
	judge_console virt64 "$logs/dmasim.console.log"
	# Every call of /dev/dmaxfer0 with its Nth allocation failed, N = 1, 2, ...
	bash "$TOP/scripts/run-guest.sh" virt64 faultinj virt64-faultinj "$dtb"
	judge_console virt64-faultinj "$logs/faultinj.console.log"
	# The client under each of dmasim's hostile modes, in a boot of its
	# own: lockdep reports once per boot, and its kernel log is judged
	# apart from the others'.
	bash "$TOP/scripts/run-guest.sh" virt64 hostile virt64-hostile "$dtb"
	judge_console virt64-hostile "$logs/hostile.console.log"
	# The seeded ABI fuzzer (100,000 operations), then unbind under load.
	bash "$TOP/scripts/run-guest.sh" virt64 fuzz virt64-fuzz,virt64-unbind "$dtb" \
		"DMAXFER_FUZZ_SEED=${DMAXFER_FUZZ_SEED:-1}"
	judge_console virt64-fuzz "$logs/fuzz.console.log"
	;;
*)
	die "unknown board $board" ;;
esac
exit 0
