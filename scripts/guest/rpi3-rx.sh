# SPDX-License-Identifier: GPL-2.0
# rpi3: DEV_TO_MEM through the BCM2835 DMA from a RAM word whose value the
# test sets (a no-map reserved page, read at its bus alias; see
# dts/rpi3-bcm2835-ramword.dtso). The word has four different bytes, so
# the window must hold it byte for byte, lane for lane (recv -e WORD).
#
# dmaxfer recv poisons a window and the guards directly before and after
# it with 0xa5 (a byte the words never hold), runs one rx, then checks
# every window byte and every guard byte, in three modes:
#   read       read(): the DMA writes the driver's pages; the guards check
#              copy_to_user()
#   zero-copy  SUBMIT USER_PTR: the DMA writes the window in the user's
#              anonymous mapping itself, and the guards are the bytes next
#              to its own destination. Not DMA-coherent: both ends of the
#              window sit on rx_align (the DMA cache alignment), the guards
#              outside it
#   pool       SUBMIT on a pool buffer at the window's offset, the guards
#              the buffer's own bytes around it
. /tests/rpi3-lib.sh

W=0x3c5a96e1		# in memory e1 96 5a 3c
check "rx-bind" rpi3_bind dmaxfer-ramword
devmem $RPI3_RX_WORD 32 $W
expect_eq "rx-word-set" "$(devmem $RPI3_RX_WORD 32)" 0x3C5A96E1

# read() and the pool: 4 B (the bus width) to 1 MiB, 12 bytes (an odd
# multiple of the width) into a page, 4 KiB guards.
for m in read pool; do
	for n in 4 12 4096 4100 65540 1048576; do
		check "rx-$m-size-$n" dmaxfer recv -d "$DEV" --mode $m -n $n -o 12 -g 4096 -e $W
	done
	check "rx-$m-size-65536-page-aligned" dmaxfer recv -d "$DEV" --mode $m -n 65536 -o 0 -g 4096 -e $W
done
# Zero-copy: sizes and offsets on rx_align (64, or 128 on arm64 before
# Linux 6.5); 3 * a is an odd multiple of it.
a=$(dma_align)
for n in $a $((3 * a)) 4096 $((4096 + a)) 65536 1048576; do
	check "rx-zero-copy-size-$n" dmaxfer recv -d "$DEV" --mode zero-copy -n $n -o $((3 * a)) -g 4096 -e $W
done
check "rx-zero-copy-size-65536-page-aligned" dmaxfer recv -d "$DEV" --mode zero-copy -n 65536 -o 0 -g 4096 -e $W
# Guards of a single byte, the closest check of the window's ends.
for m in read pool zero-copy; do
	check "rx-$m-guard-1" dmaxfer recv -d "$DEV" --mode $m -n 4096 -o $((3 * a)) -g 1 -e $W
done

# Negative controls, each with the offset of the first bad byte and the
# count of bad bytes, so that every lane is shown compared: lanes 2 and 3
# swapped (0x5a3c96e1: e1 96 3c 5a) fail at byte 2, 2048 of 4096; the
# byte-reversed word (0xe1965a3c: 3c 5a 96 e1) at byte 0, all 4096; lane 3
# alone altered (0x3d5a96e1) at byte 3, 1024 of 4096.
rx_bad() {
	dmaxfer recv -d "$DEV" --mode "$1" -n 4096 -o $((3 * a)) -g 64 -e "$2" >/tmp/rx.out 2>&1
	rc=$?
	cat /tmp/rx.out
	echo "$rc/$(grep -o 'MISMATCH at offset [0-9]*' /tmp/rx.out)/$(grep -o '([0-9]* of [0-9]* bytes)' /tmp/rx.out)"
}
for m in read pool zero-copy; do
	expect_eq "rx-$m-lane-swap-caught" "$(rx_bad $m 0x5a3c96e1 | tail -n 1)" \
		"1/MISMATCH at offset 2/(2048 of 4096 bytes)"
	expect_eq "rx-$m-byte-order-caught" "$(rx_bad $m 0xe1965a3c | tail -n 1)" \
		"1/MISMATCH at offset 0/(4096 of 4096 bytes)"
	expect_eq "rx-$m-lane3-caught" "$(rx_bad $m 0x3d5a96e1 | tail -n 1)" \
		"1/MISMATCH at offset 3/(1024 of 4096 bytes)"
done

# The guards' negative control: the same transfer run K bytes past both
# ends of the window (--plant-overrun K, K = rx_align for zero-copy, the
# width for the pool), as a DMA that overran it would: both guards must
# be caught, the window still right.
for m in pool zero-copy; do
	k=4
	[ $m = zero-copy ] && k=$a
	dmaxfer recv -d "$DEV" --mode $m -n 4096 -o $((3 * a)) -g 4096 -e $W --plant-overrun $k \
		>/tmp/rx.out 2>&1
	rc=$?
	cat /tmp/rx.out
	expect_eq "rx-$m-overrun-caught" \
		"$rc/$(grep -c "^dmaxfer: GUARD before the window: $k of 4096 bytes hit, the farthest at -$k\$" /tmp/rx.out)/$(grep -c "^dmaxfer: GUARD after the window: $k of 4096 bytes hit, the first at +0\$" /tmp/rx.out)/$(grep -c MISMATCH /tmp/rx.out)" \
		1/1/1/0
done

# The data follows the device: a new word, and the old one's check fails.
devmem $RPI3_RX_WORD 32 0x1e87d24b
for m in read pool zero-copy; do
	check "rx-$m-value-follows-device" dmaxfer recv -d "$DEV" --mode $m -n 65536 -o 0 -g 64 -e 0x1e87d24b
	dmaxfer recv -d "$DEV" --mode $m -n 4096 -o 0 -g 64 -e $W >/tmp/rx.out 2>&1
	expect_eq "rx-$m-old-value-caught" "$?/$(grep -o 'MISMATCH at offset [0-9]*' /tmp/rx.out)/$(grep -c GUARD /tmp/rx.out)" \
		"1/MISMATCH at offset 0/0"
done

# Through the ioctls in flight too, in place and from the pool (the bench
# does not check the data: the transfers above did).
check "rx-bench-zero-copy" dmaxfer bench -d "$DEV" -c rx --mode zero-copy --sizes 4096,65536 -i 8 --depths 1,4
check "rx-bench-pool" dmaxfer bench -d "$DEV" -c rx --mode pool --sizes 4096,65536 -i 8 --depths 1,4
expect_eq "rx-no-errors" "$(cat "$SYS/rx/errors")" 0
expect_eq "rx-no-timeouts" "$(cat "$SYS/rx/timeouts")" 0
check "rx-rmmod" rmmod dmaxfer
