#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# initramfs.sh BOARD: build build/BOARD/initramfs.cpio.gz with busybox,
# /init, the guest tests, the project's modules (plus the kernel's own test
# modules) and the dmaxfer tool. Uses the kernel's gen_init_cpio, so no
# root is needed for /dev/console. Prints the archive's path.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

board=${1:?usage: initramfs.sh BOARD}
board_load "$board"
case $KARCH in
arm) debarch=armel; cc=arm-linux-gnueabi-gcc ;;
arm64) debarch=arm64; cc=aarch64-linux-gnu-gcc ;;
esac
kdir=$(bash "$TOP/scripts/build-kernel.sh" "$board")
ko=$(bash "$TOP/scripts/build-modules.sh" "$board")
bb=$(bash "$TOP/scripts/busybox.sh" "$debarch")

tooldir=$BUILD/tool-$debarch
mkdir -p "$tooldir"
make -s -C "$TOP/tools/dmaxfer" O="$tooldir" CC="$cc" LDFLAGS=-static >&2 ||
	die "tool build for $debarch failed"
make -s -C "$TOP/tools/testing/dmaxfer" O="$tooldir" CC="$cc" LDFLAGS=-static \
	KSRC="$(ksrc_dir)" >&2 || die "kselftest build for $debarch failed"

list=$BUILD/$board/initramfs.list
out=$BUILD/$board/initramfs.cpio.gz
{
	for d in /bin /sbin /dev /proc /sys /tmp /lib /lib/modules /tests; do
		echo "dir $d 0755 0 0"
	done
	echo "nod /dev/console 0600 0 0 c 5 1"
	echo "file /bin/busybox $bb 0755 0 0"
	echo "slink /bin/sh busybox 0777 0 0"
	echo "file /bin/dmaxfer $tooldir/dmaxfer 0755 0 0"
	echo "file /bin/dmaxfer_test $tooldir/dmaxfer_test 0755 0 0"
	echo "file /bin/dmaxfer_fuzz $tooldir/dmaxfer_fuzz 0755 0 0"
	echo "file /bin/dmaxfer_failnth $tooldir/dmaxfer_failnth 0755 0 0"
	echo "file /init $TOP/scripts/guest/init 0755 0 0"
	for f in "$TOP"/scripts/guest/*.sh "$TOP"/scripts/guest/*.txt; do
		echo "file /tests/$(basename "$f") $f 0644 0 0"
	done
	for f in "$ko"/*.ko; do
		echo "file /lib/modules/$(basename "$f") $f 0644 0 0"
	done
	find "$kdir" -name dmatest.ko | while read -r f; do
		echo "file /lib/modules/dmatest.ko $f 0644 0 0"
	done
} >"$list"
"$kdir/usr/gen_init_cpio" "$list" | gzip -1 >"$out"
echo "$out"
