#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# run-board.sh BOARD: build what BOARD needs, boot it with its tests and
# judge the result into $RESULTS. BOARD-SERIES (zynq-6.1) runs the board on
# that kernel series; its verdicts are named BOARD-SERIES... in place of
# BOARD... (zynq-6.1-uapi/..., not zynq-uapi/...).
#
# run-board.sh BOARD core: the boots that prove the driver on a kernel
# (make check runs the second LTS series so, within its time budget):
# on zynq and vpb every boot (race loops at 5 iterations); on rpi3 all but
# the bounced one, without the ABI suite; on virt64 KUnit (bounced) and
# one boot with the end-to-end, 64-bit ABI and system-sleep tests,
# without the 32-bit ABI suite, race loops, fault injection, hostile
# modes and fuzzer, which make stress runs on that series.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
. "$TOP/scripts/judge.sh"

board=${1:?usage: run-board.sh BOARD [all|core|boots:RUN,...]}
set=${2:-all}
case $set in all | core | boots:?*) ;; *) die "unknown set '$set' (all, core or boots:RUN,...)" ;; esac
# want RUN: whether this set boots RUN (boots:kunit,hostile names virt64's
# boots, so that make check can spread one board over its lanes).
want() {
	case $set in
	all | core) return 0 ;;
	*) case ,${set#boots:}, in *",$1,"*) return 0 ;; esac ;;
	esac
	return 1
}
logs=$BUILD/$board/logs
board_load "$board"
# v SUFFIX: the verdict prefix of this board and series ("zynq-6.1-uapi").
v() { echo "$board${1:+-$1}"; }

case $KBOARD in
zynq)
	dtb=$(bash "$TOP/scripts/build-dtb.sh" "$board" zynq-pl330-uart0) ||
		{ fail "$(v)/dtb" "overlay did not apply"; exit 0; }
	bash "$TOP/scripts/run-guest.sh" "$board" tx zynq-tx,zynq-rx,zynq-duplex,zynq-timeout "$dtb"
	judge_console "$(v)" "$logs/tx.console.log"
	judge_uart "$(v)" "$logs/tx.console.log" "$logs/tx.uart0.bin"
	iters=
	[ "$set" = core ] && iters="DMAXFER_ITERS=${DMAXFER_CORE_ITERS:-5}"
	bash "$TOP/scripts/run-guest.sh" "$board" uapi zynq-uapi "$dtb" "$iters"
	judge_console "$(v uapi)" "$logs/uapi.console.log"
	judge_uart "$(v uapi)" "$logs/uapi.console.log" "$logs/uapi.uart0.bin"
	dtb=$(bash "$TOP/scripts/build-dtb.sh" "$board" zynq-baddt "$TOP/dts/zynq-pl330-uart0.dtso" \
		"$TOP/tests/dt/zynq-bad-nodes.dtso") || { fail "$(v)/baddt-dtb"; exit 0; }
	bash "$TOP/scripts/run-guest.sh" "$board" baddt baddt "$dtb"
	judge_console "$(v baddt)" "$logs/baddt.console.log"
	;;
vpb)
	dtb=$(bash "$TOP/scripts/build-dtb.sh" "$board" vpb-pl080-uart1) ||
		{ fail "$(v)/dtb" "overlay did not apply"; exit 0; }
	bash "$TOP/scripts/run-guest.sh" "$board" pl080 vpb-timeout "$dtb"
	judge_console "$(v)" "$logs/pl080.console.log"
	dtb=$(bash "$TOP/scripts/build-dtb.sh" "$board" vpb-baddt "$TOP/dts/vpb-pl080-uart1.dtso" \
		"$TOP/tests/dt/vpb-bad-width.dtso") || { fail "$(v)/baddt-dtb"; exit 0; }
	bash "$TOP/scripts/run-guest.sh" "$board" baddt baddt "$dtb"
	judge_console "$(v baddt)" "$logs/baddt.console.log"
	;;
rpi3)
	# BCM2835 DMA -> UART0 in word mode (a payload byte per 32-bit word),
	# checked on the host; judge_uart needs the host tool's --word.
	mkdir -p "$BUILD/tool-host"
	make -s -C "$TOP/tools/dmaxfer" O="$BUILD/tool-host" ||
		{ fail "$(v)/host-tool" "tools/dmaxfer did not build"; exit 0; }
	dtb=$(bash "$TOP/scripts/build-dtb.sh" "$board" rpi3-bcm2835-uart0) ||
		{ fail "$(v)/dtb" "overlay did not apply"; exit 0; }
	two=$(bash "$TOP/scripts/build-dtb.sh" "$board" rpi3-two \
		"$TOP/dts/rpi3-bcm2835-uart0.dtso" "$TOP/dts/rpi3-bcm2835-ramword.dtso") ||
		{ fail "$(v)/dtb-two" "overlays did not apply"; exit 0; }
	# The user's overlay alone: tx on every path, the forced timeout and
	# the reload.
	bash "$TOP/scripts/run-guest.sh" "$board" tx rpi3-tx,rpi3-timeout "$dtb"
	judge_console "$(v)" "$logs/tx.console.log"
	judge_uart "$(v)" "$logs/tx.console.log" "$logs/tx.uart0.bin"
	# The same judge on that capture with one byte altered must say which.
	judge_uart_planted "$(v)" "$logs/tx.console.log" "$logs/tx.uart0.bin" 500000
	# Both clients: rx from the RAM word, two at once, dmatest, and (not
	# in the core set: make check's fifth run of it, 75 s) the ABI suite.
	scripts=rpi3-rx,rpi3-two,rpi3-dmatest
	[ "$set" = core ] || scripts+=,rpi3-uapi
	bash "$TOP/scripts/run-guest.sh" "$board" two "$scripts" "$two"
	judge_console "$(v two)" "$logs/two.console.log"
	judge_uart "$(v two)" "$logs/two.console.log" "$logs/two.uart0.bin"
	[ "$set" = core ] && exit 0
	# Every streaming mapping bounced through swiotlb.
	bash "$TOP/scripts/run-guest.sh" "$board" bounce rpi3-tx,rpi3-rx "$two" "swiotlb=16384,force"
	judge_console "$(v bounce)" "$logs/bounce.console.log"
	judge_uart "$(v bounce)" "$logs/bounce.console.log" "$logs/bounce.uart0.bin"
	;;
virt64)
	dtb=$(bash "$TOP/scripts/virt64-dtb.sh" virt64-dmasim) ||
		{ fail "$(v)/dtb" "dmasim overlay did not apply"; exit 0; }
	# KUnit, and the whole driver against dmasim, with every mapping
	# bounced through swiotlb; then the driver again without bouncing.
	if want kunit; then
		bash "$TOP/scripts/run-guest.sh" "$board" kunit kunit "$dtb" "swiotlb=16384,force"
		judge_console "$(v)" "$logs/kunit.console.log"
		judge_kunit "$(v)" "$logs/kunit.console.log"
	fi
	if [ "$set" = core ]; then
		# Race loops at 5 iterations (20 on the default series, 200 in
		# make stress). The 32-bit ABI suite runs on the default series
		# (its compat path is the same code) and in make stress here.
		bash "$TOP/scripts/run-guest.sh" "$board" core \
			virt64-dmasim,virt64-uapi,virt64-sleep "$dtb" \
			"DMAXFER_ITERS=${DMAXFER_CORE_ITERS:-5}"
		judge_console "$(v)" "$logs/core.console.log"
		exit 0
	fi
	if want dmasim-bounce; then
		bash "$TOP/scripts/run-guest.sh" "$board" dmasim-bounce virt64-dmasim,virt64-uapi \
			"$dtb" "swiotlb=16384,force"
		judge_console "$(v bounce)" "$logs/dmasim-bounce.console.log"
	fi
	# Without bouncing: the 32-bit ABI suite, system sleep and the race
	# loops. The end-to-end script runs bounced above and unbounced on
	# the other series (core), so not a third time here (70 s of a boot).
	if want dmasim; then
		bash "$TOP/scripts/run-guest.sh" "$board" dmasim \
			virt64-uapi32,virt64-sleep,virt64-races "$dtb"
		judge_console "$(v)" "$logs/dmasim.console.log"
	fi
	# Every call of /dev/dmaxfer0 with its Nth allocation failed, N = 1, 2, ...
	if want faultinj; then
		bash "$TOP/scripts/run-guest.sh" "$board" faultinj virt64-faultinj "$dtb"
		judge_console "$(v faultinj)" "$logs/faultinj.console.log"
	fi
	# The client under each of dmasim's hostile modes, in a boot of its
	# own: lockdep reports once per boot, and its kernel log is judged
	# apart from the others'.
	if want hostile; then
		bash "$TOP/scripts/run-guest.sh" "$board" hostile virt64-hostile "$dtb"
		judge_console "$(v hostile)" "$logs/hostile.console.log"
	fi
	# The seeded ABI fuzzer (100,000 operations), then unbind under load.
	if want fuzz; then
		bash "$TOP/scripts/run-guest.sh" "$board" fuzz virt64-fuzz,virt64-unbind "$dtb" \
			"DMAXFER_FUZZ_SEED=${DMAXFER_FUZZ_SEED:-1}"
		judge_console "$(v fuzz)" "$logs/fuzz.console.log"
	fi
	;;
*)
	die "unknown board $board" ;;
esac
exit 0
