# SPDX-License-Identifier: GPL-2.0
# rpi3: dmatest memcpy on a free channel of the same BCM2835 DMA, with
# 4-byte aligned offsets and lengths (alignment=2). QEMU's model moves 32
# bits a beat and counts the length down by 4 until it reaches 0, so an
# unaligned length never ends: dmatest's default (byte-aligned, the
# driver sets no copy_align) hangs the guest. See Documentation/testing.rst.
# DMAXFER_DMATEST_ALIGNMENT=-1 on the kernel command line runs dmatest's
# default instead, to see that hang (the boot then ends in its timeout).
align=${DMAXFER_DMATEST_ALIGNMENT:-2}
insmod /lib/modules/dmatest.ko iterations=40 alignment="$align" test_buf_size=16384 \
	max_channels=1 threads_per_chan=1 || { result FAIL dmatest-insmod; return; }
echo 1 >/sys/module/dmatest/parameters/run
n=0
while [ "$(cat /sys/module/dmatest/parameters/run)" = Y ] && [ $n -lt 60 ]; do
	sleep 1
	n=$((n + 1))
done
sum=$(dmesg | grep 'dmatest: .*summary' | tail -n1)
echo "DMAXFER-INFO: ${sum#*] }"
case $sum in
*"summary 40 tests, 0 failures"*) result PASS dmatest-aligned-memcpy ;;
*) result FAIL dmatest-aligned-memcpy "${sum:-no summary after ${n}s}" ;;
esac
check "dmatest-rmmod" rmmod dmatest
