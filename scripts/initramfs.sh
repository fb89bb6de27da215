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

# build_tools DEBARCH CC: the tool and the kselftests, static, into
# build/tool-DEBARCH (shared by every board of that architecture and
# series; the lock keeps boards built side by side from racing in it).
build_tools() {
	local d=$BUILD/tool-$1
	mkdir -p "$d"
	(
		flock 9
		make -s -C "$TOP/tools/dmaxfer" O="$d" CC="$2" LDFLAGS=-static >&2 ||
			die "tool build for $1 failed"
		make -s -C "$TOP/tools/testing/dmaxfer" O="$d" CC="$2" LDFLAGS=-static \
			KSRC="$(ksrc_dir "${KSERIES_ALL[0]}")" >&2 || die "kselftest build for $1 failed"
	) 9>"$d/.lock" || exit 1
	echo "$d"
}
tooldir=$(build_tools "$debarch" "$cc")
# An arm64 kernel with 32-bit EL0 (CONFIG_COMPAT) also gets the ABI suite
# built for 32-bit ARM, as /bin/dmaxfer_test32: it goes through the
# driver's compat_ioctl (guest test virt64-uapi32). armhf (ARMv7, hard
# float), Debian's armhf.
tool32=
if [ "$KARCH" = arm64 ] && grep -qx 'CONFIG_COMPAT=y' "$kdir/.config"; then
	tool32=$(build_tools armhf arm-linux-gnueabihf-gcc)
fi

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
	[ -n "$tool32" ] && echo "file /bin/dmaxfer_test32 $tool32/dmaxfer_test 0755 0 0"
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
