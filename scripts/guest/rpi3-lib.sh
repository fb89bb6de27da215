# SPDX-License-Identifier: GPL-2.0
# Helpers of the rpi3 test scripts (busybox sh), sourced after lib.sh.
#
# The BCM2835 DMA writes UART0's data register a 32-bit word at a time and
# QEMU's PL011 puts out the low byte of each: the streams go in word mode
# (dmaxfer --word 4), 4 bytes of DMA per byte of capture.

RPI3_WORD=4
# The RAM word the ramword client's rx reads (dts/rpi3-bcm2835-ramword.dtso).
RPI3_RX_WORD=0x3b000000

# rpi3_dev NODE: /dev/dmaxferN of the client whose DT node is NODE.
rpi3_dev() {
	for _m in /sys/class/misc/dmaxfer*; do
		[ -e "$_m" ] || continue
		[ "$(misc_node "${_m##*/}")" = "$1" ] && { echo "/dev/${_m##*/}"; return 0; }
	done
	return 1
}

# rpi3_use NODE: DEV and SYS (sysfs directory) of that client.
rpi3_use() {
	DEV=$(rpi3_dev "$1") || return 1
	SYS=/sys/bus/platform/devices/$1
	[ -c "$DEV" ] && [ -d "$SYS/tx" ]
}

# rpi3_bind NODE [PARAMS]: load dmaxfer and use NODE's client.
rpi3_bind() {
	_n=$1
	shift
	insmod /lib/modules/dmaxfer.ko "$@" && rpi3_use "$_n"
}

# expect_words NAME SEED SIZE: the next SIZE / 4 bytes of UART0 are the low
# bytes of SIZE bytes of the seeded stream in word mode.
expect_words() {
	_o=$(uart_off)
	echo "DMAXFER-EXPECT-STREAM $1 $_o $2 $3 $RPI3_WORD"
	echo $((_o + $3 / RPI3_WORD)) >/tmp/uart_off
}

# send_words NAME SEED SIZE WRITES OFFSET: write() it to $DEV, expect it.
send_words() {
	if dmaxfer send -d "$DEV" -s "$2" -n "$3" -w "$4" -o "$5" --word $RPI3_WORD; then
		expect_words "$1" "$2" "$3"
	else
		result FAIL "send-$1" "dmaxfer send exited $?"
	fi
}

# loop_words NAME SEED SIZE LOOP-OPTIONS...: the same through the ioctls.
loop_words() {
	_n=$1 _s=$2 _z=$3
	shift 3
	if dmaxfer loop -d "$DEV" -s "$_s" -n "$_z" --tx-only --word $RPI3_WORD "$@"; then
		result PASS "loop-$_n"
		expect_words "$_n" "$_s" "$_z"
	else
		result FAIL "loop-$_n" "dmaxfer loop exited $?"
	fi
}

# dma_chan_of DEV CHAN: the dmaengine channel (dma0chanN) behind it.
dma_chan_of() {
	dmaxfer info -d "$1" --json |
		sed -n "s/.*\"chan\":\"$2\",\"present\":true[^}]*\"dma_chan\":\"\([^\"]*\)\".*/\1/p"
}
