# SPDX-License-Identifier: GPL-2.0
# Probe failures: every bad node named by BADDT_EXPECT ("node|message" per
# line, in /tests/baddt-<board>.txt) must fail with its message and get no
# char device; the good node still binds; unloading leaves nothing behind.
check "baddt-insmod" insmod /lib/modules/dmaxfer.ko
while IFS='|' read -r node msg; do
	[ -n "$node" ] || continue
	if [ "$msg" = DEFER ]; then
		check "baddt-$node-deferred" grep -q "$node" /sys/kernel/debug/devices_deferred
	else
		check "baddt-$node-message" dmesg_has "$node" "$msg"
	fi
	check "baddt-$node-unbound" test ! -e "/sys/bus/platform/drivers/dmaxfer/$node"
done <"/tests/baddt-$BOARD.txt"
expect_eq "baddt-good-node-bound" "$(ls /dev/dmaxfer* | wc -l)" 1
check "baddt-rmmod" rmmod dmaxfer
check "baddt-reinsmod" insmod /lib/modules/dmaxfer.ko
check "baddt-rermmod" rmmod dmaxfer
