# SPDX-License-Identifier: GPL-2.0
# zynq: DEV_TO_MEM through the PL330 from a word whose value the test sets
# (OCM at 0xfffc0000, see the overlay). The destination is poisoned with
# 0xa5 and guarded by 4 KiB each side: every byte of the window must hold
# the device's value and every guard byte must be untouched.
check "rx-bind" zynq_bind
devmem 0xfffc0000 32 0x3c3c3c3c
for n in 4 4096 4100 65536 1048576; do
	check "rx-size-$n" dmaxfer recv -n $n -o 12 -g 4096 -e 0x3c
done
devmem 0xfffc0000 32 0xc3c3c3c3
check "rx-value-follows-device" dmaxfer recv -n 65536 -o 0 -g 64 -e 0xc3
expect_eq "rx-no-errors" "$(cat "$SYS/rx/errors")" 0
check "rx-rmmod" rmmod dmaxfer
