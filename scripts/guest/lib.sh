# SPDX-License-Identifier: GPL-2.0
# Helpers for the guest test scripts (busybox sh).

# count_verdict: one more verdict in $DMAXFER_VERDICTS, which init empties
# before each script and prints as a DMAXFER-RESULTS-COUNT line after it.
# The console is not a reliable channel: a kernel message can land inside
# a verdict line, and judge_console then parses fewer verdicts than the
# guest printed. The count makes that a FAIL, never a verdict lost
# silently. Whatever prints a DMAXFER-RESULT line counts it (the C tools
# too: tools/testing/dmaxfer/verdict.h).
count_verdict() {
	if [ -n "$DMAXFER_VERDICTS" ]; then
		echo . >>"$DMAXFER_VERDICTS"
	fi
}

# result PASS|FAIL|SKIP NAME [REASON]
result() {
	count_verdict
	if [ "$1" = PASS ]; then
		echo "DMAXFER-RESULT: PASS $2"
	elif [ "$1" = SKIP ]; then
		echo "DMAXFER-RESULT: SKIP $2: ${3:-no reason given}"
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

# DMA-API debug must be on (it turns itself off for good when it runs out
# of memory for its own entries, and then "0 errors" means nothing), its
# error count must stay 0, and the kernel must not warn. Every board's
# kernel has DMA_API_DEBUG (scripts/configs/common.config): a missing file
# is a failure.
health_checks() {
	_d=/sys/kernel/debug/dma-api
	if [ -r $_d/disabled ]; then
		expect_eq "dma-api-enabled" "$(cat $_d/disabled)" N
	else
		result FAIL "dma-api-enabled" "$_d/disabled missing (CONFIG_DMA_API_DEBUG?)"
	fi
	if [ -r $_d/error_count ]; then
		expect_eq "dma-api-errors" "$(cat $_d/error_count)" 0
	else
		result FAIL "dma-api-errors" "$_d/error_count missing (CONFIG_DMA_API_DEBUG?)"
	fi
	if [ -r /sys/kernel/warn_count ]; then
		expect_eq "kernel-warn-count" "$(cat /sys/kernel/warn_count)" 0
	else
		result FAIL "kernel-warn-count" "/sys/kernel/warn_count missing"
	fi
	# The file exists whenever the kernel has kmemleak (zynq's and vpb's
	# have not); once kmemleak has turned itself off, a scan is refused.
	if [ -e /sys/kernel/debug/kmemleak ]; then
		# kmemleak reports only objects older than ~5 s.
		sleep 6
		if { echo scan >/sys/kernel/debug/kmemleak; } 2>/dev/null; then
			_n=$(grep -c '^unreferenced object' /sys/kernel/debug/kmemleak)
			[ "$_n" = 0 ] || cat /sys/kernel/debug/kmemleak
			expect_eq "kmemleak" "$_n" 0
		else
			result FAIL "kmemleak" "scan refused: kmemleak has turned itself off"
		fi
	else
		echo "DMAXFER-INFO: no kmemleak in this kernel: not checked"
	fi
}

# Mapping accounting: acct_begin NAME ... acct_end NAME around any phase.
#
# acct_snap sets ACCT_NOW to "LIVE PINS": the live DMA-API debug entries
# (nr_total_entries - num_free_entries; the pool grows, so the difference
# is what counts) and the pages held by FOLL_PIN (nr_foll_pin_acquired -
# nr_foll_pin_released in /proc/vmstat, read after /proc/sys/vm/stat_refresh
# has folded the per-CPU counters in). Nothing in the kernel hands these
# counts to a module (its debugfs files refuse kernel_read()), so they are
# read here. When it cannot read one, it sets ACCT_NOW to "ERR reason"
# and fails. One fork only: a fork costs about 0.1 s on the emulated debug
# kernel, and kunit.sh takes a snapshot per KUnit case.
acct_snap() {
	_ad=/sys/kernel/debug/dma-api
	_ax='' _at='' _af=''
	{ read -r _ax <$_ad/disabled; } 2>/dev/null
	if [ "$_ax" != N ]; then
		ACCT_NOW="ERR DMA-API debug is ${_ax:+off ($_ad/disabled is $_ax)}${_ax:-missing ($_ad/disabled)}"
		return 1
	fi
	{ read -r _at <$_ad/nr_total_entries; read -r _af <$_ad/num_free_entries; } 2>/dev/null
	case "$_at,$_af" in
	,* | *, | *[!0-9,]*)
		ACCT_NOW="ERR cannot read $_ad/nr_total_entries ('$_at') and num_free_entries ('$_af')"
		return 1 ;;
	esac
	if ! { echo 1 >/proc/sys/vm/stat_refresh; } 2>/dev/null; then
		ACCT_NOW="ERR cannot fold the per-CPU vmstat counters (/proc/sys/vm/stat_refresh)"
		return 1
	fi
	# One awk: the shell's read takes a byte a system call, and a fork is
	# cheaper than the 2,000 it would need to get there.
	_ap=$(awk '$1 == "nr_foll_pin_acquired" { a = $2 }
		$1 == "nr_foll_pin_released" { r = $2; exit }
		END { if (a != "" && r != "") print a - r }' /proc/vmstat)
	if [ -z "$_ap" ]; then
		ACCT_NOW="ERR no nr_foll_pin_acquired/released in /proc/vmstat"
		return 1
	fi
	ACCT_NOW="$((_at - _af)) $_ap"
}

# acct_begin NAME [SNAPSHOT]: the baseline of acct_end NAME: now, or
# SNAPSHOT (an ACCT_NOW of before, to chain phases without a gap).
acct_begin() {
	[ -d /tmp/acct ] || mkdir /tmp/acct
	if [ -n "$2" ]; then
		echo "$2" >"/tmp/acct/$1"
	else
		acct_snap
		echo "$ACCT_NOW" >"/tmp/acct/$1"
	fi
}

# acct_diff NAME: compare with acct_begin NAME's baseline. Sets ACCT_MSG,
# ACCT_NOW (the last snapshot), and ACCT_DMA and ACCT_PINS (the changes,
# when measured). Returns 0 when both are back at the baseline, 1 when one
# moved, 2 when it could not measure. Work that ends asynchronously (a
# release, a worker) gets ACCT_SETTLE more tries 0.2 s apart (default 10)
# to come back.
acct_diff() {
	ACCT_DMA='' ACCT_PINS=''
	_b0='' _b1=''
	{ read -r _b0 _b1 <"/tmp/acct/$1"; } 2>/dev/null
	: >"/tmp/acct/$1"
	if [ -z "$_b0" ] || [ "$_b0" = ERR ]; then
		ACCT_MSG="no baseline: ${_b1:-no acct_begin $1}"
		acct_snap
		return 2
	fi
	_tries=${ACCT_SETTLE:-10}
	while :; do
		if ! acct_snap; then
			ACCT_MSG="no measurement at the end: ${ACCT_NOW#ERR }"
			return 2
		fi
		ACCT_DMA=$((${ACCT_NOW% *} - _b0))
		ACCT_PINS=$((${ACCT_NOW#* } - _b1))
		ACCT_MSG="live DMA-API mappings $_b0 -> ${ACCT_NOW% *}, FOLL_PIN pages $_b1 -> ${ACCT_NOW#* }"
		[ "$ACCT_DMA" = 0 ] && [ "$ACCT_PINS" = 0 ] && break
		[ "$_tries" -gt 0 ] || return 1
		_tries=$((_tries - 1))
		sleep 0.2
	done
	[ "$_tries" = "${ACCT_SETTLE:-10}" ] ||
		echo "DMAXFER-INFO: acct $1: back at the baseline after $(((${ACCT_SETTLE:-10} - _tries) * 2))00 ms"
	return 0
}

# acct_end NAME: PASS acct-NAME if the live DMA-API mappings and the
# FOLL_PIN pages are where acct_begin NAME found them; FAIL with both
# numbers if either moved, or with the reason if it could not tell.
acct_end() {
	if acct_diff "$1"; then
		result PASS "acct-$1"
	else
		result FAIL "acct-$1" "$ACCT_MSG"
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

# tap_results FILE PREFIX: a DMAXFER-RESULT per case of a kselftest TAP
# file, named PREFIX<case>; skips carry their reason; the race loops' wall
# times are printed.
tap_results() {
	sed -n 's/^ok [0-9]* \([^ #]*\)\( # XFAIL.*\)\{0,1\}$/\1/p' "$1" |
	while read -r t; do result PASS "$2$t"; done
	sed -n 's/^not ok [0-9]* \([^ #]*\).*$/\1/p' "$1" |
	while read -r t; do result FAIL "$2$t" "see the TAP above"; done
	sed -n 's/^ok [0-9]* \([^ #]*\) # SKIP \(.*\)$/\1 \2/p' "$1" |
	while read -r t why; do result SKIP "$2$t" "$why"; done
	sed -n 's/^# *[^ ]*:[0-9]*:\([a-z_]*\):\(.* iterations in .*\)$/DMAXFER-INFO: race \1:\2/p' "$1"
}

# dma_align: the kernel's dma_get_cache_alignment() here, which user
# space cannot read (the kselftest's DMAXFER_DMA_ALIGN): on arm64 it was
# ARCH_DMA_MINALIGN, 128, until Linux 6.5 and is the CPU's cache line
# since (64 on QEMU's Cortex-A57); on zynq's Cortex-A9, the 64-byte L1 line.
dma_align() {
	_r=$(uname -r)
	_maj=${_r%%.*}
	_min=${_r#*.}
	_min=${_min%%[!0-9]*}
	if [ "$(uname -m)" = aarch64 ] && { [ "$_maj" -lt 6 ] || { [ "$_maj" -eq 6 ] && [ "$_min" -lt 5 ]; }; }; then
		echo 128
	else
		echo 64
	fi
}
