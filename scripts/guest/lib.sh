# SPDX-License-Identifier: GPL-2.0
# Helpers for the guest test scripts (busybox sh).

# result PASS|FAIL NAME [REASON]
result() {
	if [ "$1" = PASS ]; then
		echo "DMAXFER-RESULT: PASS $2"
	else
		echo "DMAXFER-RESULT: FAIL $2${3:+: $3}"
	fi
}

# check NAME COMMAND...: PASS if COMMAND succeeds.
check() {
	_name=$1
	shift
	if "$@"; then
		result PASS "$_name"
	else
		result FAIL "$_name" "'$*' exited $?"
	fi
}

# expect_eq NAME GOT WANT
expect_eq() {
	if [ "$2" = "$3" ]; then
		result PASS "$1"
	else
		result FAIL "$1" "got '$2', want '$3'"
	fi
}

# expect_ge NAME GOT MIN
expect_ge() {
	if [ "$2" -ge "$3" ] 2>/dev/null; then
		result PASS "$1"
	else
		result FAIL "$1" "got '$2', want at least '$3'"
	fi
}

# misc_node NAME: the platform device (DT node name) behind /dev/NAME.
misc_node() { basename "$(readlink "/sys/class/misc/$1/device")"; }

# The sysfs directory of the first dmaxfer device.
dmaxfer_sysfs() {
	for d in /sys/bus/platform/drivers/dmaxfer/*/; do
		[ -d "$d/tx" ] || [ -d "$d/rx" ] && { echo "${d%/}"; return 0; }
	done
	return 1
}

# The DMA-API debug error count must stay 0, and the kernel must not warn.
health_checks() {
	_e=/sys/kernel/debug/dma-api/error_count
	if [ -r $_e ]; then
		expect_eq "dma-api-errors" "$(cat $_e)" 0
	else
		result FAIL "dma-api-errors" "$_e missing (CONFIG_DMA_API_DEBUG?)"
	fi
	if [ -r /sys/kernel/warn_count ]; then
		expect_eq "kernel-warn-count" "$(cat /sys/kernel/warn_count)" 0
	fi
	if [ -w /sys/kernel/debug/kmemleak ]; then
		# kmemleak reports only objects older than ~5 s.
		sleep 6
		echo scan > /sys/kernel/debug/kmemleak
		_n=$(grep -c '^unreferenced object' /sys/kernel/debug/kmemleak)
		[ "$_n" = 0 ] || cat /sys/kernel/debug/kmemleak
		expect_eq "kmemleak" "$_n" 0
	fi
}

# Bytes sent to zynq's UART0 so far in this boot: the host checks the
# capture against the DMAXFER-EXPECT-* lines, region by region.
uart_off() { cat /tmp/uart_off 2>/dev/null || echo 0; }

# expect_stream NAME SEED SIZE: the next SIZE bytes UART0 put out are the
# seeded stream.
expect_stream() {
	_o=$(uart_off)
	echo "DMAXFER-EXPECT-STREAM $1 $_o $2 $3"
	echo $((_o + $3)) >/tmp/uart_off
}

# send_stream NAME SEED SIZE WRITES OFFSET: send, and expect on the host.
send_stream() {
	if dmaxfer send -s "$2" -n "$3" -w "$4" -o "$5"; then
		expect_stream "$1" "$2" "$3"
	else
		result FAIL "send-$1" "dmaxfer send exited $?"
	fi
}

# zynq_bind [PARAMS]: load dmaxfer, then enable UART0's transmitter
# (CR = TXEN | RXEN; QEMU resets it with TX off). Only after the insmod:
# until dmaxfer holds UART0's clocks, QEMU drops every access to it.
zynq_bind() {
	insmod /lib/modules/dmaxfer.ko "$@" || return 1
	devmem 0xe0000000 32 0x14
	SYS=$(dmaxfer_sysfs)
	test -c /dev/dmaxfer0 && [ -n "$SYS" ]
}

# dmesg_has WHO TEXT: a kernel message from WHO contains TEXT.
dmesg_has() { dmesg | grep -F "$1" | grep -qF "$2"; }
