# SPDX-License-Identifier: GPL-2.0
# virt64 with dts/virt64-dmasim.dtso: unbind dmaxfer (and then its
# provider, dmasim) through sysfs while 8 threads transfer, files are open,
# pool buffers are mapped and records are unreaped ("dmaxfer_fuzz unbind",
# tools/testing/dmaxfer/fuzz_*.c, checks the files against the
# post-unbind semantics of Documentation/uapi.rst and prints one result per
# check); then rebind and check a verified round trip.
# DMAXFER_UNBIND_ROUNDS (kernel command line) repeats it; make stress does.
# DMAXFER_UNBIND_NO_STREAMS=1 leaves read()/write() out of the load (to
# look past a stream bug at the rest).
ROUNDS=${DMAXFER_UNBIND_ROUNDS:-1}
DRV=/sys/bus/platform/drivers/dmaxfer
SIMDRV=/sys/bus/platform/drivers/dmasim
SIM=/sys/kernel/debug/dmasim/dmasim
NODE=dmaxfer-loopback
TMO=200

wait_dev() {	# wait_dev PATH present|absent: up to 10 s
	for _ in $(seq 1 50); do
		if [ "$2" = present ]; then [ -c "$1" ] && return 0
		else [ -e "$1" ] || return 0; fi
		sleep 0.2
	done
	return 1
}

uptime_ms() { awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime; }

round_trip() {	# round_trip NAME SEED
	echo 1 >$SIM/fifo_flush
	check "$1-send" dmaxfer send -s "$2" -n 65536 -w 65536
	check "$1-read" sh -c 'dd if=/dev/dmaxfer0 of=/tmp/rx bs=65536 count=1 2>/dev/null'
	check "$1-data" dmaxfer verify -s "$2" -n 65536 /tmp/rx
	rm -f /tmp/rx
}

# under_load NAME SEED UNBIND_CMD: the helper loads /dev/dmaxfer0, the
# command unbinds, the helper checks the files and exits.
under_load() {
	_n=$1
	/bin/dmaxfer_fuzz unbind -d /dev/dmaxfer0 -j 8 -T 150 -s "$2" \
		${DMAXFER_UNBIND_NO_STREAMS:+-R} >/tmp/unbind.out 2>&1 &
	_pid=$!
	for _ in $(seq 1 100); do
		grep -q '^DMAXFER-UNBIND-READY' /tmp/unbind.out && break
		sleep 0.1
	done
	check "$_n-helper-ready" grep -q '^DMAXFER-UNBIND-READY' /tmp/unbind.out
	sleep 1		# transfers in flight, records piling up
	_t0=$(uptime_ms)
	# Unbinding waits for the file operations under way: each is bounded
	# by the transfer timeout, so this must not take many seconds.
	sh -c "$3" &
	_upid=$!
	_w=0
	while kill -0 $_upid 2>/dev/null && [ $_w -lt 300 ]; do
		sleep 0.1
		_w=$((_w + 1))
	done
	if kill -0 $_upid 2>/dev/null; then
		# Still in the kernel after 30 s: show where, and where everyone is.
		echo "DMAXFER-INFO: $_n: the unbind is still running after 30 s; its stack:"
		cat /proc/$_upid/stack
		echo w >/proc/sysrq-trigger
		for _ in $(seq 1 300); do
			kill -0 $_upid 2>/dev/null || break
			sleep 0.2
		done
	fi
	wait $_upid
	expect_eq "$_n-unbind" "$?" 0
	_dt=$(($(uptime_ms) - _t0))
	echo "DMAXFER-INFO: $_n: unbind took $_dt ms"
	if [ "$_dt" -le 10000 ]; then
		result PASS "$_n-unbind-quick"
	else
		result FAIL "$_n-unbind-quick" "unbind took $_dt ms with ${TMO} ms transfer timeouts"
	fi
	check "$_n-chardev-gone" wait_dev /dev/dmaxfer0 absent
	kill -USR1 $_pid 2>/dev/null
	_ok=0
	for _ in $(seq 1 150); do
		kill -0 $_pid 2>/dev/null || { _ok=1; break; }
		sleep 0.2
	done
	if [ $_ok = 0 ]; then
		result FAIL "$_n-helper-exits" "the helper still runs 30 s after the unbind"
		cat /proc/$_pid/task/*/stack 2>/dev/null | head -n 40
		kill -9 $_pid
	else
		result PASS "$_n-helper-exits"
	fi
	wait $_pid
	_rc=$?
	sed "s/^DMAXFER-RESULT: \(PASS\|FAIL\) unbind-/DMAXFER-RESULT: \1 $_n-/" /tmp/unbind.out
	expect_eq "$_n-helper-exit" "$_rc" 0
}

check "unbind-insmod-dmasim" insmod /lib/modules/dmasim.ko
check "unbind-insmod-dmaxfer" insmod /lib/modules/dmaxfer.ko timeout_ms=$TMO
check "unbind-chardev" test -c /dev/dmaxfer0

r=1
while [ $r -le "$ROUNDS" ]; do
	p=unbind; [ "$ROUNDS" -gt 1 ] && p=unbind$r
	under_load "$p" "$r" "echo $NODE >$DRV/unbind"
	check "$p-rebind" sh -c "echo $NODE >$DRV/bind"
	check "$p-chardev-back" wait_dev /dev/dmaxfer0 present
	round_trip "$p-rebound" $((50 + r))
	r=$((r + 1))
done

# The provider: with a device link, unbinding dmasim unbinds its consumers
# first; without one, dmaengine would free channels that dmaxfer still
# holds, so the test is skipped rather than crash the kernel.
if ls -d /sys/bus/platform/devices/$NODE/supplier:*dmasim* >/dev/null 2>&1; then
	echo "DMAXFER-INFO: device link: $(ls -d /sys/bus/platform/devices/$NODE/supplier:*)"
	r=1
	while [ $r -le "$ROUNDS" ]; do
		p=provider-unbind; [ "$ROUNDS" -gt 1 ] && p=provider-unbind$r
		under_load "$p" $((100 + r)) "echo dmasim >$SIMDRV/unbind"
		check "$p-consumers-unbound" test ! -e /dev/dmaxfer1
		check "$p-rebind" sh -c "echo dmasim >$SIMDRV/bind"
		# The consumers should probe again once their supplier is back;
		# if they do not, bind them by hand to test the rest.
		if wait_dev /dev/dmaxfer0 present; then
			result PASS "$p-consumers-reprobe"
		else
			result FAIL "$p-consumers-reprobe" "no /dev/dmaxfer0 10 s after dmasim was bound again"
			echo $NODE >$DRV/bind
			echo dmaxfer-txonly >$DRV/bind
		fi
		check "$p-chardev-back" wait_dev /dev/dmaxfer0 present
		check "$p-txonly-back" wait_dev /dev/dmaxfer1 present
		round_trip "$p-rebound" $((150 + r))
		r=$((r + 1))
	done
else
	result SKIP provider-unbind "no device link from $NODE to dmasim: unbinding dmasim while dmaxfer holds its channels is not supported, see Documentation/testing.rst"
fi

check "unbind-rmmod-dmaxfer" rmmod dmaxfer
check "unbind-rmmod-dmasim" rmmod dmasim
