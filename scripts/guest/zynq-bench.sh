# SPDX-License-Identifier: GPL-2.0
# zynq benchmark (reports figures, asserts nothing about speed): the bare
# in-kernel path, user space through write(), zero-copy and the pool, and
# dmatest memcpy on the same PL330, all in one boot. Lines starting with
# "DMAXFER-BENCH" are collected by scripts/bench.sh.
zynq_bind || { result FAIL bench-bind; return; }
devmem 0xfffc0000 32 0x3c3c3c3c
B=/sys/kernel/debug/dmaxfer/dmaxfer0/bench
# UART0 takes ~3 s per MiB on QEMU: give 1 MiB transfers room.
echo 30000 >"$SYS/timeout_ms"

kbench() {
	echo "$*" >$B || { result FAIL "kbench-$*"; return; }
	dmesg | grep ' bench ' | tail -n1 | sed 's/.*bench /DMAXFER-BENCH kernel /'
}
for n in 4096 65536 1048576; do
	kbench tx $n $((2097152 / n + 2)) 1
done
kbench tx 4096 514 8
kbench rx 1048576 16 1

# write(): the copying path.
for n in 4096 65536 1048576; do
	out=$(dmaxfer send -s 5 -n 2097152 -w $n 2>&1 | tail -n1)
	echo "DMAXFER-BENCH write tx size=$n $out"
done
if dmaxfer bench --help >/dev/null 2>&1; then
	for mode in zero-copy pool; do
		dmaxfer bench -c tx --mode $mode --sizes 4096,65536,1048576 \
			--depths 1,8 -i 64 --json 2>&1 | sed "s/^/DMAXFER-BENCH tool $mode /"
	done
fi
echo "DMAXFER-BENCH copied tx=$(cat "$SYS/tx/copied_bytes") bytes"
rmmod dmaxfer

# dmatest: memcpy on a free channel of the same PL330.
insmod /lib/modules/dmatest.ko iterations=20 test_buf_size=1048576 \
	norandom=1 noverify=1 max_channels=1 threads_per_chan=1 && {
	echo 1 >/sys/module/dmatest/parameters/run
	while [ "$(cat /sys/module/dmatest/parameters/run)" = Y ]; do sleep 1; done
	dmesg | grep 'dmatest.*summary' | sed 's/.*dmatest: /DMAXFER-BENCH dmatest /'
	rmmod dmatest
}
