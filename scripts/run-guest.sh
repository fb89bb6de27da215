#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# run-guest.sh BOARD RUN TESTS [DTB] [EXTRA_APPEND]: boot BOARD (or
# BOARD-SERIES, see lib.sh board_load) under QEMU,
# always under a timeout, running the comma-separated guest TESTS.
# Console:   build/BOARD/logs/RUN.console.log
# UART0 (zynq, rpi3): build/BOARD/logs/RUN.uart0.bin; with DMAXFER_UART_DIR
#   set, QEMU writes it there (make bench: tmpfs, so that the host's page
#   writeback does not pace UART0) and it is moved into logs/ afterwards.
# Exits 0 when QEMU exited by itself, 124 on timeout.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

board=${1:?usage: run-guest.sh BOARD RUN TESTS [DTB] [APPEND]}
run=${2:?}
tests=${3:?}
dtb=${4:-}
append=${5:-}
board_load "$board"
logs=$BUILD/$board/logs
mkdir -p "$logs"
# make check's lanes may boot one board twice at once: one build at a
# time, and each boot its own copy of the initramfs, so that a rebuild
# never changes the file under a QEMU that is loading it.
exec 8>"$BUILD/$board/.build.lock"
flock 8
kdir=$(bash "$TOP/scripts/build-kernel.sh" "$board") || exit 1
initrd=$(bash "$TOP/scripts/initramfs.sh" "$board") || exit 1
cp "$initrd" "$logs/$run.initrd"
initrd=$logs/$run.initrd
exec 8>&-
log=$logs/$run.console.log
img=$kdir/arch/$KARCH/boot/$KIMAGE
limit=${DMAXFER_GUEST_TIMEOUT:-600}
cmdline="rdinit=/init panic=-1 oops=panic DMAXFER_BOARD=$KBOARD DMAXFER_KSERIES=$KSERIES DMAXFER_TESTS=$tests $append"

case $KBOARD in
zynq)
	uart=${DMAXFER_UART_DIR:-$logs}/$run.uart0.bin
	: >"$uart"
	qemu=(qemu-system-arm -M xilinx-zynq-a9 -m 1024
	      -serial "file:$uart" -serial stdio
	      -append "console=ttyPS0,115200 $cmdline") ;;
rpi3)
	# raspi3b: UART0 (PL011) is serial_hd(0), the mini-UART console
	# (ttyS1, stdout-path serial1) serial_hd(1). The board always has 4
	# cores and 1 GiB. DMAXFER_RPI3_SMP=N passes maxcpus=N.
	uart=${DMAXFER_UART_DIR:-$logs}/$run.uart0.bin
	: >"$uart"
	qemu=(qemu-system-aarch64 -M raspi3b -m 1G
	      -serial "file:$uart" -serial stdio
	      -append "console=ttyS1,115200 earlycon=uart8250,mmio32,0x3f215040 ${DMAXFER_RPI3_SMP:+maxcpus=$DMAXFER_RPI3_SMP }$cmdline") ;;
vpb)
	export QEMU_AUDIO_DRV=none
	qemu=(qemu-system-arm -M versatilepb -m 256 -serial stdio
	      -append "console=ttyAMA0 $cmdline") ;;
virt64 | virt64kcsan | virt64rt)
	qemu=(qemu-system-aarch64 -M virt -cpu cortex-a57 -smp 2 -m 2048
	      -serial stdio -append "console=ttyAMA0 $cmdline") ;;
*) die "no QEMU command for $board" ;;
esac
qemu+=(-nographic -monitor none -nic none -no-reboot -kernel "$img" -initrd "$initrd")
[ -n "$dtb" ] && qemu+=(-dtb "$dtb")

log "booting $board ($run), at most ${limit}s; console: $log"
# The boot's wall and CPU seconds (QEMU's user + system) go to the end of
# its console log: where make check's time goes. Tagged, because bash's
# own "Killed" notice of a guest killed at the limit lands in that file.
TIMEFORMAT='DMAXFER-T %R %U %S'
{ time timeout -k 10 "$limit" "${qemu[@]}" </dev/null >"$log" 2>&1; } 2>"$log.time"
rc=$?
read -r _ wall usr sys < <(grep '^DMAXFER-T ' "$log.time" | tail -n1)
rm -f "$log.time"
# A guest killed mid-line leaves the console without its last newline.
[ -n "$(tail -c1 "$log")" ] && echo >>"$log"
echo "DMAXFER-HOST: $board ($run) ran ${wall%.*} s, CPU $(awk -v u="${usr:-0}" -v s="${sys:-0}" 'BEGIN { printf "%.0f", u + s }') s" >>"$log"
rm -f "$initrd"
case $KBOARD in zynq | rpi3) [ "$uart" != "$logs/$run.uart0.bin" ] &&
	mv "$uart" "$logs/$run.uart0.bin" ;; esac
if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
	echo "DMAXFER-HOST: guest timed out after ${limit}s" >>"$log"
	log "$board ($run): guest timed out; console kept at $log"
	exit 124
fi
exit $rc
