# SPDX-License-Identifier: GPL-2.0
# rpi3: DEV_TO_MEM through the BCM2835 DMA from a RAM word whose value the
# test sets (a no-map reserved page, read at its bus alias; see
# dts/rpi3-bcm2835-ramword.dtso). The destination is poisoned with 0xa5
# and guarded by 4 KiB each side: every byte of the window must hold the
# word's value and every guard byte must be untouched.
. /tests/rpi3-lib.sh

check "rx-bind" rpi3_bind dmaxfer-ramword
devmem $RPI3_RX_WORD 32 0x3c3c3c3c
expect_eq "rx-word-set" "$(devmem $RPI3_RX_WORD 32)" 0x3C3C3C3C
for n in 4 4096 4100 65536 1048576; do
	check "rx-size-$n" dmaxfer recv -d "$DEV" -n $n -o 12 -g 4096 -e 0x3c
done
devmem $RPI3_RX_WORD 32 0xc3c3c3c3
check "rx-value-follows-device" dmaxfer recv -d "$DEV" -n 65536 -o 0 -g 64 -e 0xc3
# Through the ioctls too, in place and from the pool (not checked here:
# the ABI suite checks rx data in rpi3-uapi).
check "rx-bench-zero-copy" dmaxfer bench -d "$DEV" -c rx --mode zero-copy --sizes 4096,65536 -i 8 --depths 1,4
check "rx-bench-pool" dmaxfer bench -d "$DEV" -c rx --mode pool --sizes 4096,65536 -i 8 --depths 1,4
expect_eq "rx-no-errors" "$(cat "$SYS/rx/errors")" 0
expect_eq "rx-no-timeouts" "$(cat "$SYS/rx/timeouts")" 0
check "rx-rmmod" rmmod dmaxfer
