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
