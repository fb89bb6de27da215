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
	dmesg | grep ' bench ' | tail -n1 | sed "s/.*bench /DMAXFER-BENCH $REP kernel /"
}
# tool MODE SIZE ITERS DEPTHS: dmaxfer bench on tx, one JSON line a depth,
# followed by the number of sg entries the driver mapped for the last one.
tool() {
	local out

	out=$(dmaxfer bench -c tx --mode "$1" --sizes "$2" -i "$3" --depths "$4" --json 2>&1)
	echo "$out" | sed "s/^/DMAXFER-BENCH $REP tool nents=$(cat "$SYS/tx/last_nents") /"
}

# Ratios: each user-space figure next to the bare in-kernel path with a
# table of the same shape (pinned user memory: one entry a page; the pool:
# one contiguous block), interleaved and repeated in this one boot so that
# drift of the host (UART0 output is a write() a byte into a file) hits
# both sides alike. scripts/bench.sh takes the median of the repetitions.
# Nine repetitions of short runs (1 MiB at 64 KiB, 2 MiB at 1 MiB, 128
# transfers at 4 KiB): a slow spell of QEMU's lasts seconds, and the more
# pairs there are, the fewer of them one spell can spoil.
for REP in rep=1 rep=2 rep=3 rep=4 rep=5 rep=6 rep=7 rep=8 rep=9; do
	for n in 65536 1048576; do
		i=$((1048576 / n)); [ $i -lt 2 ] && i=2
		kbench tx $n $i 1 pages
		tool zero-copy $n $i 1
		kbench tx $n $i 1 contig
		tool pool $n $i 1
	done
	kbench tx 4096 128 1 pages
	tool zero-copy 4096 128 1,8
	kbench tx 4096 128 8 pages
done
REP=rep=0

# write(): the copying path.
for n in 4096 65536 1048576; do
	out=$(dmaxfer send -s 5 -n 2097152 -w $n 2>&1 | tail -n1)
	echo "DMAXFER-BENCH write tx size=$n $out"
done
# rx (OCM, not bound by UART0) through the ioctls.
for mode in zero-copy pool; do
	dmaxfer bench -c rx --mode $mode --sizes 65536,1048576 --depths 1,8 -i 16 --json
done 2>&1 | sed "s/^/DMAXFER-BENCH tool /"
kbench rx 65536 64 1
kbench rx 1048576 16 1
kbench rx 1048576 16 8
# Zero-copy proof: 16 MiB from user memory, verified on the host; the
# driver's count of payload bytes copied must not move. Then the same
# CPU-time measurement for 4 MiB through write().
echo "$(cat "$SYS/tx/bytes")" >/tmp/uart_off
c0=$(cat "$SYS/tx/copied_bytes")
( time dmaxfer loop -s 41 -n 16777216 -b 1048576 -q 4 --zero-copy --tx-only ) 2>&1 |
	sed 's/^/DMAXFER-BENCH zc-loop-16MiB /'
expect_stream zc-loop-16MiB 41 16777216
c1=$(cat "$SYS/tx/copied_bytes")
echo "DMAXFER-BENCH zero-copy 16MiB copied_bytes_delta=$((c1 - c0))"
expect_eq "zero-copy-copies-nothing" "$((c1 - c0))" 0
( time dmaxfer send -s 42 -n 4194304 -w 1048576 ) 2>&1 |
	sed 's/^/DMAXFER-BENCH write-4MiB /'
expect_stream write-4MiB 42 4194304
c2=$(cat "$SYS/tx/copied_bytes")
echo "DMAXFER-BENCH write 4MiB copied_bytes_delta=$((c2 - c1))"
rmmod dmaxfer

# dmatest: memcpy on a free channel of the same PL330.
insmod /lib/modules/dmatest.ko iterations=20 test_buf_size=1048576 \
	norandom=1 noverify=1 max_channels=1 threads_per_chan=1 && {
	echo 1 >/sys/module/dmatest/parameters/run
	while [ "$(cat /sys/module/dmatest/parameters/run)" = Y ]; do sleep 1; done
	dmesg | grep 'dmatest.*summary' | sed 's/.*dmatest: /DMAXFER-BENCH dmatest /'
	rmmod dmatest
}
