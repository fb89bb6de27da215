# SPDX-License-Identifier: GPL-2.0
# KUnit, with dmasim (the engine suite runs on two of its channels) and
# dmaxfer loaded, in three passes:
#
# 1. each *_kunit.ko once, every case: each suite's KTAP results are printed
#    between markers, and the host feeds them to kunit.py parse (the
#    boot-time empty KTAP header would confuse it if fed the whole console);
# 2. each case of pass 1 again, alone, for the mapping accounting: KUnit's
#    filter_glob parameter (writable at run time, read by every module load)
#    selects "suite.case", and acct_begin/acct_end compare the live DMA-API
#    debug entries and the FOLL_PIN pages before and after it;
# 3. the accounting's negative control: dmaxfer_leak_control.ko's two cases
#    leak one mapping and one pin on purpose. Their accounting is printed as
#    DMAXFER-CONTROL lines, not verdicts: the host judge (judge_kunit)
#    requires each to have moved by exactly one.
KG=/sys/module/kunit/parameters/filter_glob
KD=/sys/kernel/debug/kunit
CASES=/tmp/kunit.cases

# kunit_glob GLOB: what the next module load runs. No newline: the
# parameter would keep it, and then no name matches.
kunit_glob() { printf '%s' "$1" >$KG; }

# kunit_ran SUITE CASE: sets RAN to "ok", "skip" or "not-ok" if the last
# module load ran CASE of SUITE and nothing else, to "" otherwise.
# Built-ins only.
kunit_ran() {
	RAN='' _kn=''
	[ -r "$KD/$1/results" ] || return
	while IFS= read -r _l; do
		case $_l in
		"    1..1") _kn=1 ;;
		"    1.."*) _kn=many ;;
		"    ok 1 $2") RAN=ok ;;
		"    ok 1 $2 # SKIP"*) RAN=skip ;;
		"    not ok 1 $2" | "    not ok 1 $2 #"*) RAN=not-ok ;;
		esac
	done <"$KD/$1/results"
	[ "$_kn" = 1 ] || RAN=''
}

check "insmod-dmasim" insmod /lib/modules/dmasim.ko
check "insmod-dmaxfer" insmod /lib/modules/dmaxfer.ko
check "kunit-filter-glob" kunit_glob '*.*'

# 1. Every case; the verdicts. Also the list of cases for pass 2.
: >$CASES
for m in /lib/modules/*_kunit.ko; do
	[ -f "$m" ] || continue
	mod=$(basename "$m" .ko)
	acct_begin "kunit-$mod"
	insmod "$m" || result FAIL "insmod-$mod"
	for r in "$KD"/*/results; do
		[ -r "$r" ] || continue
		s=$(basename "$(dirname "$r")")
		echo "DMAXFER-KTAP-BEGIN $s"
		cat "$r"
		echo "DMAXFER-KTAP-END"
		sed -n "s/^    \(not \)\{0,1\}ok [0-9]* \([^ #]*\).*$/$mod $s \2/p" "$r" >>$CASES
	done
	rmmod "$mod"
	acct_end "kunit-$mod"
done

# 2. Each case alone: no mapping and no pin may outlive it. A case's
# window runs from before its insmod to after its rmmod, and the next
# one's starts there (one snapshot a case).
acct_snap
while read -r mod s c; do
	acct_begin "kunit.$s.$c" "$ACCT_NOW"
	kunit_glob "$s.$c"
	insmod "/lib/modules/$mod.ko" || result FAIL "insmod-$mod" "filter_glob $s.$c"
	kunit_ran "$s" "$c"
	[ "$RAN" = not-ok ] && cat "$KD/$s/results"
	rmmod "$mod"
	if [ -z "$RAN" ]; then
		acct_diff "kunit.$s.$c"
		result FAIL "acct-kunit.$s.$c" "filter_glob '$s.$c' did not run that case alone"
	else
		acct_end "kunit.$s.$c"
		[ "$RAN" = not-ok ] && result FAIL "kunit-alone.$s.$c" "fails when run alone (results above)"
	fi
done <$CASES

# 3. The negative control. Its leaks are for good: no settling time.
ACCT_SETTLE=0
for c in leaks_one_dma_mapping leaks_one_foll_pin; do
	kunit_glob "dmaxfer_leak_control.$c"
	acct_begin "control.$c"
	insmod /lib/modules/dmaxfer_leak_control.ko
	kunit_ran dmaxfer_leak_control "$c"
	if acct_diff "control.$c" || [ $? = 1 ]; then
		echo "DMAXFER-CONTROL: $c ${RAN:-notrun} dma=$ACCT_DMA pins=$ACCT_PINS: $ACCT_MSG"
	else
		echo "DMAXFER-CONTROL: $c ${RAN:-notrun} unmeasured: $ACCT_MSG"
	fi
	rmmod dmaxfer_leak_control
done
unset ACCT_SETTLE

kunit_glob '*.*'
check "rmmod-dmaxfer" rmmod dmaxfer
check "rmmod-dmasim" rmmod dmasim
