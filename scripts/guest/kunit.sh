# SPDX-License-Identifier: GPL-2.0
# KUnit, with dmasim (the engine suite runs on two of its channels) and
# dmaxfer loaded, and the mapping accounting of every case.
#
# dmaxfer_kunit.ko is loaded once, with acct_gate=1: after each case (after
# its .exit and every KUnit resource of it are gone) the case waits at
# /sys/kernel/debug/dmaxfer_kunit_gate until user space has counted the
# live DMA-API debug entries and FOLL_PIN pages (acct_snap, lib.sh). A case
# after which either count is not where it was after the case before it
# (or before the insmod, for the first) fails as acct-kunit.SUITE.CASE,
# with both numbers. Then each suite's KTAP results are printed between
# markers: the host feeds them to kunit.py parse (the boot-time empty KTAP
# header would confuse it if fed the whole console).
#
# The negative control, dmaxfer_leak_control.ko, goes through the same
# gate while dmaxfer_kunit.ko is still loaded: its two cases leak one
# mapping and one pin on purpose. Their accounting is printed as
# DMAXFER-CONTROL lines, not verdicts: the host judge (judge_acct_controls)
# requires each to have moved by exactly one.
GATE=/sys/kernel/debug/dmaxfer_kunit_gate
KD=/sys/kernel/debug/kunit

# gate_run MODULE KIND [PARAM]: insmod MODULE in the background and
# answer the gate until the insmod has returned; its exit status is the
# verdict insmod-MODULE. KIND "case": an acct-kunit verdict per case;
# "control": DMAXFER-CONTROL lines. The window of a case starts where the
# last one's ended (ACCT_NOW). Built-ins but acct_snap's one awk: a fork
# costs about 0.1 s here.
gate_run() {
	rm -f /tmp/insmod.rc
	( insmod "/lib/modules/$1.ko" $3; echo $? >/tmp/insmod.rc ) &
	while [ ! -e /tmp/insmod.rc ]; do
		_st='' _n='' _s='' _c=''
		{ read -r _st _n _s _c <$GATE; } 2>/dev/null
		if [ "$_st" != wait ]; then
			# The gate appears with dmaxfer_kunit; "idle" waited 100 ms.
			[ -e $GATE ] || sleep 0.1
			continue
		fi
		acct_begin "kunit.$_s.$_c" "$ACCT_NOW"
		if [ "$2" = case ]; then
			acct_end "kunit.$_s.$_c"
		elif acct_diff "kunit.$_s.$_c" || [ $? = 1 ]; then
			echo "DMAXFER-CONTROL: $_c dma=$ACCT_DMA pins=$ACCT_PINS: $ACCT_MSG"
		else
			echo "DMAXFER-CONTROL: $_c unmeasured: $ACCT_MSG"
		fi
		echo "$_n" >$GATE
	done
	wait
	expect_eq "insmod-$1" "$(cat /tmp/insmod.rc)" 0
}

check "insmod-dmasim" insmod /lib/modules/dmasim.ko
check "insmod-dmaxfer" insmod /lib/modules/dmaxfer.ko

# No settling time: at the gate, all of a case is gone; and the gate
# would not wait long enough.
ACCT_SETTLE=0
read -r t0 _ </proc/uptime
acct_snap
gate_run dmaxfer_kunit case acct_gate=1
read -r t1 _ </proc/uptime
# Where KUnit runs the suites before the module's parameters are parsed
# (6.1), no case stops at the gate: the module says so, and the host
# judges each case's missing accounting as this SKIP, not a FAIL.
_why=$(dmesg | sed -n 's/.*dmaxfer_kunit: accounting gate unavailable: //p' | head -n1)
[ -n "$_why" ] && result SKIP acct-kunit-per-case "$_why"
echo "DMAXFER-INFO: kunit: dmaxfer_kunit.ko with the accounting gate took $t0 -> $t1 s (uptime)"
# From the end of the last case to the insmod's return.
acct_begin kunit-suites-end "$ACCT_NOW"
acct_end kunit-suites-end

# The negative control (built where KUnit has kunit_vm_mmap(), 6.10;
# the host judge names the reason from the module build's own words).
ctl=/lib/modules/dmaxfer_leak_control.ko
if [ -f $ctl ]; then
	gate_run dmaxfer_leak_control control
else
	result SKIP leak-control "no dmaxfer_leak_control.ko in this kernel's build"
fi
unset ACCT_SETTLE

for r in "$KD"/*/results; do
	[ -r "$r" ] || continue
	echo "DMAXFER-KTAP-BEGIN $(basename "$(dirname "$r")")"
	cat "$r"
	echo "DMAXFER-KTAP-END"
done
acct_begin kunit-rmmod
[ -f $ctl ] && check "rmmod-dmaxfer_leak_control" rmmod dmaxfer_leak_control
check "rmmod-dmaxfer_kunit" rmmod dmaxfer_kunit
acct_end kunit-rmmod
check "rmmod-dmaxfer" rmmod dmaxfer
check "rmmod-dmasim" rmmod dmasim
