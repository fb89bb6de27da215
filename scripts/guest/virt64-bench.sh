# SPDX-License-Identifier: GPL-2.0
# virt64 with dts/virt64-dmasim.dtso, for make bench: the CPU time that
# each user-space path costs the process, per MiB sent. dmasim moves the
# data in a kworker, so what the process is charged is the interface's
# own work (copy, or pin and map); on zynq it is not, because QEMU's PL330
# runs a transfer inside the register write that starts it and charges it
# to whichever task is current. Asserts nothing about speed.
check "bench-insmod-dmasim" insmod /lib/modules/dmasim.ko
check "bench-insmod-dmaxfer" insmod /lib/modules/dmaxfer.ko
SYS=$(dmaxfer_sysfs)
expect_eq "bench-dmaxfer0-is-loopback" "$(misc_node dmaxfer0)" dmaxfer-loopback

# Five interleaved repetitions of 32 transfers of 1 MiB per path: CPU time
# is sampled at the tick, and the runs of one boot spread by 50 %, so one
# run per path says little. The tool's peer process drains the loopback
# FIFO (its CPU time is not counted: RUSAGE_SELF). Each run is followed by
# the sg entries of its last transfer and the bytes the driver copied.
for rep in 1 2 3 4 5; do
	for mode in write zero-copy pool; do
		c0=$(cat "$SYS/tx/copied_bytes")
		out=$(dmaxfer bench -c tx --mode $mode --sizes 1048576 --depths 1 -i 32 \
			--loopback --json 2>&1)
		c1=$(cat "$SYS/tx/copied_bytes")
		echo "$out" | sed "s/^/DMAXFER-BENCH cpu rep=$rep nents=$(cat "$SYS/tx/last_nents") copied=$((c1 - c0)) /"
		expect_eq "bench-cpu-$mode-$rep" "$(echo "$out" | grep -c '"ok":true')" 1
	done
done
for d in /sys/kernel/debug/dmasim/*/fifo_flush; do echo 1 >"$d"; done
check "bench-rmmod-dmaxfer" rmmod dmaxfer
check "bench-rmmod-dmasim" rmmod dmasim
