# SPDX-License-Identifier: GPL-2.0
# Turn what a guest printed into PASS/FAIL lines. Source it (after lib.sh).
# Every verdict is one line "PASS name" or "FAIL name: why" in $RESULTS.

RESULTS=${RESULTS:-$BUILD/results.txt}

pass() { echo "PASS $1" | tee -a "$RESULTS"; }
fail() { echo "FAIL $1${2:+: $2}" | tee -a "$RESULTS"; }

# results_per_series: one line with the counts of the boards' verdicts per
# kernel series ("zynq-6.1-uapi/..." is 6.1's, "zynq-uapi/..." the default
# series'); nothing when no board ran.
results_per_series() {
	local boards
	boards=$(cd "$TOP/scripts/boards" && ls -- *.env | sed 's/\.env$//' | paste -sd'|')
	awk -v boards="^($boards)" -v def="${KSERIES_ALL[0]}" -v order="${KSERIES_ALL[*]}" '
	/^(PASS|FAIL|SKIP) / {
		name = $2
		sub(/[\/:].*/, "", name)
		split(name, w, "-")
		if (w[1] !~ (boards "$"))
			next
		s = (w[2] ~ /^[0-9]+\.[0-9]+$/) ? w[2] : def
		n[s, $1]++
		seen[s] = 1
	}
	END {
		line = ""
		k = split(order, o, " ")
		for (i = 1; i <= k; i++) {
			s = o[i]
			if (!(s in seen))
				continue
			line = line sprintf("%s%s: %d passed, %d failed, %d skipped",
				line == "" ? "" : "; ", s, n[s, "PASS"], n[s, "FAIL"], n[s, "SKIP"])
		}
		if (line != "")
			print "per kernel series: " line
	}' "$RESULTS"
}

# results_summary WHAT: the failures, "WHAT; results: FILE", then the last
# line "N passed, N failed" (", N skipped" when some were); succeeds only
# with no failure and at least one pass.
results_summary() {
	local passed failed skipped
	passed=$(grep -c '^PASS ' "$RESULTS")
	failed=$(grep -c '^FAIL ' "$RESULTS")
	skipped=$(grep -c '^SKIP ' "$RESULTS")
	echo
	grep '^FAIL ' "$RESULTS" | sed 's/^/  /'
	echo "$1; results: $RESULTS"
	results_per_series
	if [ "$skipped" -gt 0 ]; then
		echo "$passed passed, $failed failed, $skipped skipped"
	else
		echo "$passed passed, $failed failed"
	fi
	[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
}

# Lines that mean the kernel itself is unhappy, whatever the tests said,
# or that a checker (DMA-API debug, kmemleak) has turned itself off, after
# which its silence means nothing.
KERNEL_BAD='Kernel panic|Internal error|cut here|WARNING:|BUG:|KASAN|UBSAN:|DMA-API: .*(device driver|exceeded|leak|out of memory|ENOMEM)|Unable to handle|suspected memory leak|memory leak detector disabled|Kmemleak disabled|possible circular locking|possible recursive locking|inconsistent lock state|blocked for more than|Call trace:|Backtrace:'

# kernel_log LOG: the console without the messages of faults injected on
# purpose (failslab, fail_page_alloc and fail-nth, see the kernel's
# Documentation/fault-injection/fault-injection.rst). With "verbose" 1 a
# fault prints two lines,
#   FAULT_INJECTION: forcing a failure.
#   name failslab, interval 1, probability 0, space 0, times 99999999
# and with 2 a dump_stack() follows: "CPU: ... Comm: ...", optionally the
# "Tainted: [O]=..." detail, "Hardware name:" and "Workqueue:", then
# "Call trace:" and one " function+0x../0x.. [module]" line per frame.
# Only exactly that is dropped: the two lines with a known attribute name,
# and a dump whose frames include should_fail_ex() (the injection point)
# and that has nothing but frames after "Call trace:". Anything else, in
# particular the first line of any real report (WARNING:, BUG:, KASAN,
# UBSAN:, lockdep, DMA-API), ends the block and is kept. Kernel lines
# carry a "[ seconds]" stamp. The console lags behind the kernel's log
# buffer, so whole lines of user space output can land inside a block:
# on a console with stamps, a line without one is user space's, is kept,
# and neither ends nor continues the block. Text before a stamp on the
# same line (user output cut by the kernel's) is kept as a line of its own.
kernel_log() {
	local stamped
	stamped=$(grep -cE '\[ *[0-9]+\.[0-9]+\] ' "$1")
	tr -d '\r' <"$1" | awk -v stamped="$stamped" '
	function flush(keep,   i) {
		if (keep)
			for (i = 0; i < nb; i++)
				print blk[i]
		nb = 0; st = 0; sawfi = 0; sawct = 0
	}
	function hold(l) {
		if (pre != "")
			print pre
		blk[nb++] = l
	}
	{
		line = $0; rest = line; pre = ""
		if (match(line, /\[ *[0-9]+\.[0-9]+\] /)) {
			pre = substr(line, 1, RSTART - 1)
			rest = substr(line, RSTART + RLENGTH)
		} else if (stamped) {
			print line; next	# user space: not part of any block
		}
		for (;;) {
			if (st == 1) {
				if (rest ~ /^name (failslab|fail_page_alloc|fail_usercopy|fail_futex), interval [0-9]+, probability [0-9]+, space -?[0-9]+, times -?[0-9]+$/) {
					hold(line); st = 2; next
				}
				flush(1); continue
			}
			if (st == 2) {
				if (rest ~ /^CPU: [0-9]+ UID: [0-9]+ PID: [0-9]+ Comm: /) {
					hold(line); st = 3; next
				}
				flush(0); continue	# verbose 1: the two lines only
			}
			if (st == 3) {
				if (!sawct && rest ~ /^(Tainted: \[|Hardware name: |Workqueue: )/) {
					hold(line); next
				}
				if (!sawct && rest == "Call trace:") {
					hold(line); sawct = 1; next
				}
				if (sawct && rest ~ /^ [A-Za-z0-9_.$]+\+0x[0-9a-f]+\/0x[0-9a-f]+( \[[A-Za-z0-9_]+\])?( \([A-Z]\))?$/) {
					if (rest ~ /^ should_fail_ex\+/)
						sawfi = 1
					hold(line); next
				}
				flush(!(sawct && sawfi)); continue
			}
			if (rest == "FAULT_INJECTION: forcing a failure.") {
				hold(line); st = 1; next
			}
			print line; next
		}
	}
	END { flush(st == 1 || (st == 3 && !(sawct && sawfi))) }'
}

# judge_console PREFIX LOG
judge_console() {
	local p=$1 logf=$2 bad
	if [ ! -s "$logf" ]; then
		fail "$p/guest-booted" "no console log at $logf (build or boot failed)"
		return
	fi
	if grep -q '^DMAXFER-DONE' "$logf"; then
		pass "$p/guest-finished"
	else
		fail "$p/guest-finished" "no DMAXFER-DONE (timeout, panic or hang); console: $logf"
	fi
	# Every test script that began ran to its end (init's COMPLETE line).
	# The log is read once; grep reads a here-string, not a pipe, so an
	# early exit cannot SIGPIPE a writer under pipefail.
	local clean began died t
	clean=$(tr -d '\r' <"$logf")
	began=$(sed -n 's/^DMAXFER-TEST-BEGIN \([^ ]*\)$/\1/p' <<<"$clean")
	died=
	for t in $began; do
		grep -qx "DMAXFER-TEST-COMPLETE $t" <<<"$clean" || died="$died $t"
	done
	if [ -z "$began" ]; then
		fail "$p/tests-ran-to-the-end" "no DMAXFER-TEST-BEGIN in $logf"
	elif [ -n "$died" ]; then
		fail "$p/tests-ran-to-the-end" "stopped part-way:$died (console: $logf)"
	else
		pass "$p/tests-ran-to-the-end"
	fi
	judge_verdict_counts "$p" "$logf" "$clean"
	sed -n 's/^DMAXFER-RESULT: PASS \(.*\)/\1/p' "$logf" | while read -r n; do
		pass "$p/$n"
	done
	sed -n 's/^DMAXFER-RESULT: SKIP \(.*\)/\1/p' "$logf" | tr -d '\r' | while read -r n; do
		echo "SKIP $p/$n" | tee -a "$RESULTS"
	done
	sed -n 's/^DMAXFER-RESULT: FAIL \(.*\)/\1/p' "$logf" | while read -r n; do
		fail "$p/${n%%:*}" "${n#*: } (console: $logf)"
	done
	bad=$(kernel_log "$logf" | grep -E "$KERNEL_BAD" | head -n 5)
	if [ -z "$bad" ]; then
		pass "$p/kernel-log-clean"
	else
		fail "$p/kernel-log-clean" "$(echo "$bad" | head -n1) (console: $logf)"
	fi
}

# verdict_count_gaps < CONSOLE: one line per section of the console whose
# verdict lines (DMAXFER-RESULT: PASS|SKIP|FAIL at the start of a line) do
# not add up to the guest's own count: "SECTION GOT WANT", WANT "-" when
# the guest printed no DMAXFER-RESULTS-COUNT for it. Sections: each test
# script (its BEGIN to its END) and "health", what init checks after the
# scripts (after the last END).
verdict_count_gaps() {
	awk '
	/^DMAXFER-TEST-BEGIN / { sect = $2; began[sect] = 1; order[++n] = sect; got[sect] += 0; next }
	/^DMAXFER-TEST-END / { sect = "health"; got[sect] = 0; next }
	/^DMAXFER-RESULT: (PASS|SKIP|FAIL) / { got[sect]++; next }
	/^DMAXFER-RESULTS-COUNT [^ ]+ [0-9]+$/ { want[$2] = $3; next }
	/^DMAXFER-DONE/ { done = 1 }
	END {
		if (done) { began["health"] = 1; order[++n] = "health" }
		for (i = 1; i <= n; i++) {
			s = order[i]
			if (!(s in want))
				print s, got[s] + 0, "-"
			else if (got[s] != want[s])
				print s, got[s] + 0, want[s]
		}
	}'
}

# judge_verdict_counts PREFIX LOG CLEAN: PREFIX/verdicts-complete passes
# when every section's verdicts on the console add up to the guest's
# count. A kernel message printed in the middle of a verdict line garbles
# it; without the count a FAIL garbled that way would be lost silently.
# Lines where a verdict does not start the line are quoted in the reason.
judge_verdict_counts() {
	local p=$1 logf=$2 clean=$3 gaps garbled
	gaps=$(verdict_count_gaps <<<"$clean")
	if [ -z "$gaps" ]; then
		pass "$p/verdicts-complete"
		return
	fi
	garbled=$(grep -F DMAXFER-RES <<<"$clean" |
		grep -vE '^DMAXFER-RESULT: (PASS|SKIP|FAIL) [^[]*$|^DMAXFER-RESULTS-COUNT ' |
		head -n 2 | tr '\n' '|')
	fail "$p/verdicts-complete" "$(awk '{ printf "%s%s: %s verdicts on the console, guest counted %s", \
		(NR > 1 ? "; " : ""), $1, $2, ($3 == "-" ? "none (no DMAXFER-RESULTS-COUNT)" : $3) }' <<<"$gaps")${garbled:+; garbled: $garbled} (console: $logf)"
}

# resync_slack UART TOOL OFF SLACK SEED SIZE WORD: how many bytes after OFF
# (0 to SLACK) the capture holds the first bytes (up to 256) of the seeded
# stream; nothing if it does not. (The first 256 bytes of a seeded stream
# do not turn up by chance in the others'.)
resync_slack() {
	local n=$(($6 / $7))
	[ "$n" -gt 256 ] && n=256
	# In word mode the capture holds each word's low byte: the plain stream.
	"$2" gen -s "$5" -n "$n" 2>/dev/null >"$1.resync"
	python3 - "$1" "$1.resync" "$3" "$4" <<'PY'
import sys
cap = open(sys.argv[1], 'rb').read()
pat = open(sys.argv[2], 'rb').read()
off, slack = int(sys.argv[3]), int(sys.argv[4])
i = cap.find(pat, off, off + slack + len(pat))
if pat and i >= 0:
    print(i - off)
PY
	rm -f "$1.resync"
}

# judge_uart PREFIX LOG UART_FILE: check the bytes the peripheral received
# against the DMAXFER-EXPECT-* lines the guest printed. A stream line with
# a fifth field W is in word mode (dmaxfer --word W): SIZE bytes of words
# left SIZE / W bytes, their low bytes, in the capture (rpi3).
judge_uart() {
	local p=$1 logf=$2 uart=$3 tool=$BUILD/tool-host/dmaxfer
	local name off seed size word text want total got out
	[ -s "$logf" ] || return 0
	while read -r _ off text; do
		want=$(printf '%s\n' "$text" | od -An -tx1 | tr -d ' \n')
		got=$(dd if="$uart" bs=1 skip="$off" count=$((${#text} + 1)) 2>/dev/null |
			od -An -tx1 | tr -d ' \n')
		if [ "$want" = "$got" ]; then
			pass "$p/uart-text"
			echo "  received text: $text"
		else
			fail "$p/uart-text" "at offset $off: want hex $want, got hex $got"
		fi
	done < <(grep '^DMAXFER-EXPECT-TEXT ' "$logf" | tr -d '\r')
	# A RESYNC line: the next stream starts at its offset or up to SLACK
	# bytes after it (transfers that ended early moved more than their
	# records could say); it is looked for there, and the streams after
	# it move with it (shift).
	local kind slack="" shift=0 d
	while read -r kind name off seed size word; do
		if [ "$kind" = DMAXFER-EXPECT-RESYNC ]; then
			slack=$name
			continue
		fi
		word=${word:-1}
		off=$((off + shift))
		if [ -n "$slack" ]; then
			d=$(resync_slack "$uart" "$tool" "$off" "$slack" "$seed" "$size" "$word")
			if [ -z "$d" ]; then
				fail "$p/uart-$name-found" "not within $slack bytes of file offset $off"
			else
				pass "$p/uart-$name-found"
				echo "  $name: found $d bytes after the counted offset $off"
				shift=$((shift + d))
				off=$((off + d))
			fi
			slack=
		fi
		tail -c +"$((off + 1))" "$uart" | head -c "$((size / word))" >"$uart.$name"
		if out=$("$tool" verify -s "$seed" -n "$size" --word "$word" "$uart.$name"); then
			pass "$p/uart-$name"
			echo "  $name: $out"
		else
			fail "$p/uart-$name" "$out (stream offset; file offset +$off)"
		fi
	done < <(grep -E '^DMAXFER-EXPECT-(STREAM|RESYNC) ' "$logf" | tr -d '\r')
	# The regions are consecutive: the last one ends where the capture must.
	if grep -q '^DMAXFER-EXPECT-PARTIAL ' "$logf"; then
		# The capture ends with a timed-out transfer: its own checker.
		grep '^DMAXFER-EXPECT-PARTIAL ' "$logf" | tr -d '\r' | tail -n1 |
		while read -r _ off seed moved size mark seed2 size2; do
			python3 "$TOP/scripts/uart-partial.py" "$uart" "$tool" "$off" \
				"$seed" "$moved" "$size" "$mark" "$seed2" "$size2"
		done | tee -a "$RESULTS.tmp"
		sed -n '/^\(PASS\|FAIL\) /p' "$RESULTS.tmp" >>"$RESULTS"
		rm -f "$RESULTS.tmp"
		return 0
	fi
	total=$(tr -d '\r' <"$logf" | awk '
		/^DMAXFER-EXPECT-TEXT / { e = $2 + length($0) - length($1 " " $2 " ") + 1 }
		/^DMAXFER-EXPECT-STREAM / { e = $3 + $5 / ($6 == "" ? 1 : $6) }
		END { if (e != "") print e }')
	[ -n "$total" ] && total=$((total + shift))
	got=$(stat -c %s "$uart")
	if [ -n "$total" ] && [ "$total" = "$got" ]; then
		pass "$p/uart-total-bytes"
	else
		fail "$p/uart-total-bytes" "peripheral received $got bytes, guest sent ${total:-?}"
	fi
}

# kunit_source_cases: "suite case file" for every case of every suite in
# kunit/*.c but the negative control's (file: its source, without .c),
# read from the KUNIT_CASE*() lists and the suites' .name and .test_cases.
kunit_source_cases() {
	awk '
	/^static struct kunit_case [A-Za-z0-9_]+\[\] *= *\{/ {
		arr = $4; sub(/\[.*/, "", arr); inarr = 1; next
	}
	inarr && /KUNIT_CASE[A-Z_]*\(/ {
		c = $0; sub(/.*KUNIT_CASE[A-Z_]*\( */, "", c); sub(/[ ,)].*/, "", c)
		cases[arr] = cases[arr] " " c
	}
	inarr && /^};/ { inarr = 0 }
	/^static struct kunit_suite [A-Za-z0-9_]+ *= *\{/ { insuite = 1; name = ""; tc = "" }
	insuite && /\.name *=/ { name = $0; sub(/^[^"]*"/, "", name); sub(/".*/, "", name) }
	insuite && /\.test_cases *=/ { tc = $0; sub(/.*= */, "", tc); sub(/[ ,].*/, "", tc) }
	insuite && /^};/ {
		insuite = 0
		if (name == "dmaxfer_leak_control")
			next
		file = FILENAME; sub(/.*\//, "", file); sub(/\.c$/, "", file)
		n = split(cases[tc], a, " ")
		for (i = 1; i <= n; i++)
			print name, a[i], file
	}' "$TOP"/kunit/*.c
}

# judge_kunit PREFIX LOG: every KUnit case is a verdict; kunit.py parse
# must agree. Every case in kunit/*.c must have run, and must have had its
# mapping accounting (kunit.sh's second pass); the negative control must
# have been caught (judge_acct_controls).
judge_kunit() {
	local p=$1 logf=$2 ktap=${2%.console.log}.ktap ksrc out
	ksrc=$(ksrc_dir "${KSERIES_ALL[0]}")
	if [ ! -s "$logf" ]; then
		fail "$p/kunit-results" "no console log at $logf"
		return
	fi
	tr -d '\r' <"$logf" | awk '/^DMAXFER-KTAP-BEGIN/{on=1; next} /^DMAXFER-KTAP-END/{on=0} on' \
		>"$ktap"
	if [ ! -s "$ktap" ]; then
		fail "$p/kunit-results" "no KTAP in $logf"
		return
	fi
	# kunit.py parses one KTAP document at a time: one per suite.
	local suite blk case ok=1
	rm -f "$ktap".suite.*
	tr -d '\r' <"$logf" | awk -v base="$ktap.suite." '/^DMAXFER-KTAP-BEGIN/{f=base $2; next}
		/^DMAXFER-KTAP-END/{f=""} f{print > f}'
	for blk in "$ktap".suite.*; do
		suite=${blk##*.suite.}
		# Cases are indented one level below their suite.
		sed -n 's/^    ok [0-9]* \([^#]*[^ #]\)\( # SKIP.*\)\{0,1\}$/\1\2/p' "$blk" |
		while read -r n; do
			case $n in
			*"# SKIP"*) echo "SKIP $p/$suite/${n%% \#*}: ${n#*\# SKIP }" | tee -a "$RESULTS" ;;
			*) pass "$p/$suite/$n" ;;
			esac
		done
		sed -n 's/^    not ok [0-9]* \(.*\)$/\1/p' "$blk" | while read -r n; do
			fail "$p/$suite/$n" "see $blk"
		done
		if out=$(PYTHONDONTWRITEBYTECODE=1 python3 \
			"$ksrc/tools/testing/kunit/kunit.py" parse <"$blk" 2>&1); then
			echo "  $suite: $(echo "$out" | grep -oE 'Ran [0-9]+ tests.*' | sed 's/\x1b\[[0-9;]*m//g')"
		else
			ok=0
			echo "$out" | tail -n 5
		fi
	done
	if [ $ok = 1 ]; then
		pass "$p/kunit.py-parse"
	else
		fail "$p/kunit.py-parse" "kunit.py parse failed, see $ktap"
	fi
	# A case that never reported, or was never accounted, is a failure,
	# unless the module build left its file out for this kernel and said
	# why (build-modules.sh: build/BOARD/mod/left-out.txt): a SKIP with
	# that reason.
	# Only on another series than the default: on 6.12 every suite and
	# the negative control must build and run (a probe gone wrong must
	# not turn them into SKIPs).
	local leftout why
	leftout=/dev/null
	case $p in
	*-[0-9]*.[0-9]*) leftout=$(dirname "$(dirname "$logf")")/mod/left-out.txt ;;
	esac
	while read -r suite case file; do
		why=$(grep -F "dmaxfer: $file " "$leftout" 2>/dev/null | head -n1)
		if [ -n "$why" ] && [ ! -s "$ktap.suite.$suite" ]; then
			echo "SKIP $p/$suite/$case: not built for this kernel (${why#dmaxfer: })" |
				tee -a "$RESULTS"
			continue
		fi
		grep -qE "^    (not )?ok [0-9]+ $case( #.*)?$" "$ktap.suite.$suite" 2>/dev/null ||
			fail "$p/$suite/$case" "in kunit/*.c but not in the KTAP of $logf"
		# No grep -q after tr: see tests-ran-to-the-end.
		if tr -d '\r' <"$logf" | grep -E "^DMAXFER-RESULT: (PASS|FAIL) acct-kunit\.$suite\.$case(:|$)" >/dev/null; then
			:
		elif [ "$leftout" != /dev/null ] &&
			tr -d '\r' <"$logf" | grep "^DMAXFER-RESULT: SKIP acct-kunit-per-case: " >/dev/null; then
			echo "SKIP $p/acct-kunit.$suite.$case: no per-case accounting on this kernel (acct-kunit-per-case); the whole load's is acct-kunit-suites-end" |
				tee -a "$RESULTS"
		else
			fail "$p/acct-kunit.$suite.$case" "no mapping accounting for it in $logf"
		fi
	done < <(kunit_source_cases)
	why=$(grep -F "dmaxfer: dmaxfer_leak_control.ko " "$leftout" 2>/dev/null | head -n1)
	if [ -n "$why" ]; then
		echo "SKIP $p/acct-control: the negative control was not built for this kernel (${why#dmaxfer: })" |
			tee -a "$RESULTS"
	else
		judge_acct_controls "$p" "$logf"
	fi
}

# judge_acct_controls PREFIX LOG: dmaxfer_leak_control.ko leaks one DMA
# mapping in one case and one FOLL_PIN page in the other, and each case
# passes. kunit.sh prints the accounting of each as a DMAXFER-CONTROL line;
# it must show exactly that one leak. Anything else (no line, no
# measurement, nothing moved, the wrong counter) means the accounting could
# not have caught a real leak.
judge_acct_controls() {
	local p=$1 logf=$2 c want line
	while read -r c want; do
		line=$(tr -d '\r' <"$logf" | sed -n "s/^DMAXFER-CONTROL: $c //p" | head -n1)
		case $line in
		"$want: "*)
			pass "$p/acct-control.$c"
			echo "  the accounting caught the planted leak: ${line#*: }" ;;
		"")
			fail "$p/acct-control.$c" "no DMAXFER-CONTROL line in $logf: the negative control did not run" ;;
		*)
			fail "$p/acct-control.$c" "want '$want', got '$line'" ;;
		esac
	done <<-EOF
		leaks_one_dma_mapping dma=1 pins=0
		leaks_one_foll_pin dma=0 pins=1
	EOF
}

# judge_uart_planted PREFIX LOG UART_FILE OFFSET: the negative control of
# judge_uart on a real capture: one byte at OFFSET altered in a copy must
# give exactly one failure, naming that byte (region offset + stream
# offset = OFFSET). PASS or FAIL PREFIX/uart-planted-byte-caught.
judge_uart_planted() {
	local p=$1 logf=$2 uart=$3 at=$4 tmp old got k o
	[ -s "$uart" ] || { fail "$p/uart-planted-byte-caught" "no capture at $uart"; return; }
	tmp=$(mktemp -d)
	cp "$uart" "$tmp/capture"
	old=$(od -An -tu1 -j "$at" -N 1 "$uart" | tr -d ' ')
	printf '%b' "\\0$(printf '%03o' $((old ^ 0xff)))" |
		dd of="$tmp/capture" bs=1 seek="$at" conv=notrunc 2>/dev/null
	(RESULTS=$tmp/results judge_uart "$p" "$logf" "$tmp/capture") >/dev/null
	got=$(grep '^FAIL ' "$tmp/results")
	k=$(echo "$got" | sed -n 's/.*MISMATCH at offset \([0-9]*\):.*/\1/p')
	o=$(echo "$got" | sed -n 's/.*file offset +\([0-9]*\)).*/\1/p')
	if [ "$(echo "$got" | grep -c .)" = 1 ] && [ -n "$k" ] && [ $((k + o)) = "$at" ]; then
		pass "$p/uart-planted-byte-caught"
		echo "  byte $at altered: ${got#FAIL }"
	else
		fail "$p/uart-planted-byte-caught" "byte $at altered, judge_uart said: ${got:-nothing failed}"
	fi
	rm -rf "$tmp"
}
