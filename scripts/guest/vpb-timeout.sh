# SPDX-License-Identifier: GPL-2.0
# vpb: the overlay binds the PL080; a slave channel is acquired, configured,
# prepared and submitted. QEMU 7.2's PL080 never moves slave data, so each
# transfer must end in the timeout path: -ETIMEDOUT, residue = length, and
# the channel clean for the next one.
check "vpb-insmod" insmod /lib/modules/dmaxfer.ko
SYS=$(dmaxfer_sysfs)
check "vpb-chardev" test -c /dev/dmaxfer0
for i in 1 2; do
	dmaxfer send -s $i -n 4096 -w 4096 >/tmp/vpb.out 2>&1
	rc=$?
	cat /tmp/vpb.out
	expect_eq "vpb-transfer-$i-fails" "$rc" 4
	check "vpb-transfer-$i-etimedout" grep -q "timed out" /tmp/vpb.out
	expect_eq "vpb-transfer-$i-timeouts" "$(cat "$SYS/tx/timeouts")" "$i"
	expect_eq "vpb-transfer-$i-errno" "$(cat "$SYS/tx/last_error")" -110
	expect_eq "vpb-transfer-$i-residue" "$(cat "$SYS/tx/last_residue")" 4096
done
expect_eq "vpb-nothing-counted-as-moved" "$(cat "$SYS/tx/bytes")" 0
check "vpb-rmmod" rmmod dmaxfer
