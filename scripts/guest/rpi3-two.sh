# SPDX-License-Identifier: GPL-2.0
# rpi3: two clients at once (dts/rpi3-bcm2835-uart0.dtso and
# dts/rpi3-bcm2835-ramword.dtso). bcm2835_dma_xlate() hands out any free
# channel, so the device tree cannot pick one: each client must get
# channels of its own, both must move bytes that are checked (tx on the
# host, rx here), and after rmmod every channel must be free again and a
# second load must do it all once more.
. /tests/rpi3-lib.sh

# in_use_chans: the dmaengine channels in use, on one line.
in_use_chans() {
	for _c in /sys/class/dma/dma*chan*; do
		[ "$(cat "$_c/in_use" 2>/dev/null)" = 1 ] && printf '%s ' "${_c##*/}"
	done
}

expect_ge "two-channels-registered" "$(ls -d /sys/class/dma/dma0chan* | wc -l)" 3
expect_eq "two-no-channel-in-use-before" "$(in_use_chans | wc -w)" 0
for round in 1 2; do
	check "two-$round-insmod" insmod /lib/modules/dmaxfer.ko
	A=$(rpi3_dev dmaxfer-uart0)
	B=$(rpi3_dev dmaxfer-ramword)
	check "two-$round-both-bound" test -c "$A" -a -c "$B" -a "$A" != "$B"
	ta=$(dma_chan_of "$A" tx)
	tb=$(dma_chan_of "$B" tx)
	rb=$(dma_chan_of "$B" rx)
	echo "DMAXFER-INFO: round $round: $A tx $ta; $B tx $tb, rx $rb; in use: $(in_use_chans)"
	if [ -n "$ta" ] && [ -n "$tb" ] && [ -n "$rb" ] &&
		[ "$ta" != "$tb" ] && [ "$ta" != "$rb" ] && [ "$tb" != "$rb" ]; then
		result PASS "two-$round-own-channels"
	else
		result FAIL "two-$round-own-channels" "tx '$ta', tx '$tb', rx '$rb'"
	fi
	expect_eq "two-$round-three-in-use" "$(in_use_chans | wc -w)" 3
	# One after the other: both write the same FIFO.
	DEV=$A
	send_words "two-$round-a" $((100 + round)) 262144 65536 4
	DEV=$B
	send_words "two-$round-b" $((110 + round)) 262144 65536 4
	loop_words "two-$round-b-zero-copy" $((120 + round)) 65536 -b 16384 --zero-copy
	devmem $RPI3_RX_WORD 32 0x5a0fc3e1
	check "two-$round-b-rx" dmaxfer recv -d "$B" -n 65536 -o 4 -g 4096 -e 0x5a0fc3e1
	check "two-$round-b-rx-zero-copy" dmaxfer recv -d "$B" --mode zero-copy -n 65536 -o 0 -g 4096 \
		-e 0x5a0fc3e1
	for x in uart0 ramword; do
		s=/sys/bus/platform/devices/dmaxfer-$x
		expect_eq "two-$round-$x-clean" "$(cat $s/tx/errors)/$(cat $s/tx/timeouts)" 0/0
	done
	check "two-$round-rmmod" rmmod dmaxfer
	expect_eq "two-$round-channels-freed" "$(in_use_chans | wc -w)" 0
done
