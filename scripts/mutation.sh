#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# mutation.sh [NAME...]: make mutation. Every tests/mutants/NAME.patch is a
# planted bug; each must be caught by the boots its header names.
#
# For each mutant, alone: copy the tree (without build/ and .git) to a
# scratch directory (one for all, reused in turn, so that the builds are
# incremental), apply the patch there (a patch that does not apply is
# an error, not a survivor), build the modules for each board it needs
# (a mutant that does not compile is an error too: it would prove nothing),
# and run scripts/run-board.sh of the copy for those boards with a build
# directory of its own (DMAXFER_BUILD), so with the same boots and the same
# judge functions as make check. Only the boots named on the patch's
# "Boots:" line run: the copy's run-guest.sh is wrapped so that the others
# exit at once without a log, and the verdicts about their missing logs
# are dropped. The mutant is killed when any verdict left is a FAIL.
#
# First, the same is done with no patch for the union of the boots
# (the baseline): a check that fails there proves nothing about a mutant,
# so it is not counted as a kill, and is listed.
#
#   NAME...            the mutants to run (default: all; also MUTANTS=a,b)
#   MUTATION_BASELINE  0: no baseline; eager: every boot's baseline first;
#                      default: a boot's baseline is run when a mutant first
#                      fails a check in it (once per tree:
#                      build/mutation/baseline/HASH/BOARD:RUN/)
#   MUTATION_SCRATCH   scratch directory (default /tmp/dmaxfer-mutation-
#                      HASH, HASH from the tree's path: two trees never
#                      share one; a second run on the same one is refused)
#   DMAXFER_GUEST_TIMEOUT  per boot, as everywhere (default here: 600)
#
# A check listed in tests/mutants/flaky.txt (seen failing without a patch
# on a busy host) is flaky: a mutant that fails only flaky checks is
# FLAKY, not killed.
#
# Prints a table "mutant | killed? | by which check(s) | seconds" (also in
# build/mutation/table.txt) and exits non-zero if a mutant survived or
# could not be run.
#
# mutation.sh --check-apply: only check that every patch still applies to
# the tree (git apply --check) and that its Boots: line names boots of
# scripts/run-board.sh; one PASS/FAIL line per patch (make check runs it).
# tests/mutants/unobservable/ holds mutants that no boot can catch (their
# headers say why): make mutation does not run them, the guard checks that
# they apply.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

MUTDIR=$TOP/tests/mutants

# The mutants: every tests/mutants/*.patch, or those named.
mutant_list() {
	local n
	if [ $# -gt 0 ]; then
		for n in "$@"; do
			n=${n%.patch}
			n=${n##*/}
			echo "$n"
		done
	else
		for n in "$MUTDIR"/*.patch; do
			[ -f "$n" ] && basename "$n" .patch
		done
	fi
}

# header_field PATCH FIELD: the value of "FIELD: ..." in the header (the
# text before the first "diff --git"), several lines joined.
header_field() {
	awk -v f="$2" '/^diff --git /{exit}
		index($0, f ":") == 1 { sub(/^[^:]*: */, ""); printf "%s ", $0 }' "$1" |
		sed 's/ *$//'
}

# The boots of scripts/run-board.sh, as BOARD:RUN, one a line.
known_boots() {
	local tree=${1:-$TOP}
	awk '/^[a-z0-9]+\)$/ { b = $1; sub(/\)$/, "", b) }
		/run-guest\.sh"/ {
			for (i = 1; i <= NF; i++)
				if ($i ~ /run-guest\.sh"$/) { print b ":" $(i + 2); break }
		}' "$tree/scripts/run-board.sh" |
		# The core boot runs only in run-board.sh's core set, never here.
		grep -v ':core$' |
		# The same boots of a board on the other LTS series (zynq-6.1:uapi).
		awk -v series="${KSERIES_ALL[*]:1}" '{
			print
			n = split(series, s, " ")
			split($0, bp, ":")
			for (i = 1; i <= n; i++)
				print bp[1] "-" s[i] ":" bp[2]
		}' | sort -u
}

# check_apply: one verdict per patch, for make check.
check_apply() {
	local p n boots b bad known
	known=$(known_boots)
	for p in "$MUTDIR"/*.patch "$MUTDIR"/unobservable/*.patch; do
		[ -f "$p" ] || continue
		n=${p#"$MUTDIR"/}
		n=${n%.patch}
		boots=$(header_field "$p" Boots)
		bad=
		# unobservable/: no boot can see them (see their headers).
		[[ $n == unobservable/* ]] && [ "$boots" = none ] && boots=
		for b in $boots; do
			grep -qxF "$b" <<<"$known" || bad="$bad $b"
		done
		if [ -z "$boots" ] && [[ $n != unobservable/* ]]; then
			echo "FAIL mutant/$n: no Boots: line in its header"
		elif [ -n "$bad" ]; then
			echo "FAIL mutant/$n: Boots: names boots that scripts/run-board.sh does not have:$bad"
		elif ! out=$(cd "$TOP" && git apply --check "$p" 2>&1); then
			echo "FAIL mutant/$n: no longer applies to the tree ($(echo "$out" | head -n1)); regenerate it"
		else
			echo "PASS mutant/$n"
		fi
	done
}

OUT=$BUILD/mutation
SCRATCH=${MUTATION_SCRATCH:-/tmp/dmaxfer-mutation-$(echo "$TOP" | sha256sum | cut -c1-8)}
MODE=mutant

# One scratch copy serves every run, one after the other: its sources in
# $WORK/src, its build directory (DMAXFER_BUILD) in $WORK/build. Kept from
# run to run, the module, tool and kselftest builds are incremental: the
# copy is refreshed by content (rsync --checksum, without keeping the
# tree's times), so a file gets a new time exactly when its content
# changes (a patch applied, or a file put back as it is in the tree) and
# make compiles again exactly those files, on every board.
WORK=$SCRATCH/work

# tree_hash: a hash of the tree's contents that matter to a boot (not
# build/, .git, the mutants, this script or the documentation): the baseline
# of a boot is kept under it and reused while the tree does not change.
tree_hash() {
	(cd "$TOP" && find . \( -path ./build -o -path ./.git -o -path ./tests/mutants \
		-o -path ./Documentation -o -path ./scripts/mutation.sh \) -prune -o -type f ! -name '*.md' -print0 |
		sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)
}

# prepare [PATCH]: the tree in $WORK/src with PATCH applied and run-guest.sh
# wrapped. Returns 1 when the patch does not apply.
prepare() {
	local patch=${1:-}
	mkdir -p "$WORK/src" "$WORK/build/tool-host"
	rsync -rlpD --checksum --delete --exclude=/build/ --exclude=/.git \
		"$TOP/" "$WORK/src/" || return 2
	if [ -n "$patch" ]; then
		(cd "$WORK/src" && git apply --verbose "$patch") >"$SCRATCH/apply.log" 2>&1 ||
			return 1
	fi
	cp "$OUT/tool-host/dmaxfer" "$WORK/build/tool-host/"
	mv "$WORK/src/scripts/run-guest.sh" "$WORK/src/scripts/run-guest.real.sh"
	cat >"$WORK/src/scripts/run-guest.sh" <<-'EOF'
	#!/usr/bin/env bash
	# Written by scripts/mutation.sh: boot only the runs in DMAXFER_MUT_RUNS.
	case " ${DMAXFER_MUT_RUNS:-} " in
	*" $1:$2 "*)
		echo "$1:$2" >>"$DMAXFER_BUILD/mutation-booted"
		exec bash "$(dirname "$0")/run-guest.real.sh" "$@" ;;
	esac
	echo "$1:$2 $DMAXFER_BUILD/$1/logs/$2.console.log" >>"$DMAXFER_BUILD/mutation-skipped"
	exit 0
	EOF
	return 0
}

# fails RESULTS: the names of the checks that failed, one a line.
fails() { sed -n 's/^FAIL \([^:]*\).*/\1/p' "$1" | sort -u; }

# kills FAILS BOOT: the checks of FAILS that did not fail in BOOT's baseline.
kills() {
	if [ "${MUTATION_BASELINE:-1}" != 0 ] && [ -s "$BASE/$2/fails" ]; then
		grep -vxFf "$BASE/$2/fails" "$1" || true
	else
		cat "$1"
	fi
}

# flaky: the checks that never count as a kill alone, those listed in
# tests/mutants/flaky.txt (seen failing without a patch).
flaky() { sed 's/#.*//; s/[[:space:]]*$//; /^$/d' "$MUTDIR/flaky.txt" 2>/dev/null; }

# solid KILLS: the kills that are not flaky.
solid() { grep -vxFf <(flaky; echo '#') "$1" || true; }

# ensure_baseline BOOT: run BOOT without a patch, unless it has been on
# this tree; then put the current mutant (CUR_PATCH) back in place.
ensure_baseline() {
	local b=$1
	[ "${MUTATION_BASELINE:-1}" = 0 ] && return 0
	[ -f "$BASE/$b/done" ] && return 0
	log "mutation: baseline of $b (the tree without a patch)"
	prepare || return 1
	MODE=baseline
	run_boots "$BASE/$b" "$b" || {
		MODE=mutant
		echo "MUTATION-ERROR baseline: $(grep -m1 MUTATION-ERROR "$BASE/$b/run.log" | cut -d' ' -f2-)"
		return 1
	}
	MODE=mutant
	fails "$BASE/$b/results.txt" >"$BASE/$b/fails"
	touch "$BASE/$b/done"
	log "mutation: baseline of $b: $(cut -d' ' -f2 "$BASE/$b/seconds") s," \
		"$(grep -c '^PASS ' "$BASE/$b/results.txt") passed, $(wc -l <"$BASE/$b/fails") failed"
	[ -z "${CUR_PATCH:-}" ] || prepare "$CUR_PATCH"
}

# boot_timeout BOOT: the guest timeout of BOOT for a mutant: four times
# what it took in the baseline (the longest of any tree's) plus two
# minutes, since the same boot was seen to take 80 s and 300 s on a
# shared host (a mutant that hangs a guest is
# caught by guest-finished without waiting the full default), at most
# DMAXFER_GUEST_TIMEOUT; that limit itself without a baseline time.
boot_timeout() {
	local t
	t=$(cat "$OUT"/baseline/*/"$1"/seconds 2>/dev/null | awk '$2 > m { m = $2 } END { if (m) print m }')
	if [ -n "$t" ] && [ "$MODE" = mutant ]; then
		t=$((4 * t + 120))
		[ "$t" -lt "$DMAXFER_GUEST_TIMEOUT" ] && { echo "$t"; return; }
	fi
	echo "$DMAXFER_GUEST_TIMEOUT"
}

# run_boots SAVE BOOTS...: run the boots one at a time in the scratch copy
# (each through its board's run-board.sh, the others skipped); leaves
# SAVE/results.txt (the verdicts of those boots only), SAVE/run.log and
# SAVE/logs-BOARD/. For a mutant, stops after the first boot that kills it
# unless MUTATION_ALL_BOOTS=1. Returns 1 for an error of the harness (no
# kill possible), with a MUTATION-ERROR line in SAVE/run.log.
run_boots() {
	local save=$1 b board boards=() bd=$WORK/build t0 rc
	shift
	for b in "$@"; do
		board=${b%%:*}
		[[ " ${boards[*]} " == *" $board "* ]] || boards+=("$board")
	done
	rm -rf "$save"
	mkdir -p "$save"
	: >"$save/results.txt"
	: >"$save/run.log"
	: >"$save/kills"
	for board in "${boards[@]}"; do
		echo "=== modules for $board" >>"$save/run.log"
		DMAXFER_BUILD=$bd bash "$WORK/src/scripts/build-modules.sh" "$board" \
			>/dev/null 2>>"$save/run.log" || {
			echo "MUTATION-ERROR module build failed for $board" >>"$save/run.log"
			return 1
		}
	done
	for b in "$@"; do
		board=${b%%:*}
		rm -rf "$bd/$board/logs"
		: >"$bd/mutation-booted"
		: >"$bd/mutation-skipped"
		: >"$bd/results.raw"
		t0=$(date +%s)
		echo "=== $b: run-board.sh $board, guest timeout $(boot_timeout "$b") s" >>"$save/run.log"
		DMAXFER_BUILD=$bd RESULTS=$bd/results.raw DMAXFER_MUT_RUNS=$b \
			DMAXFER_GUEST_TIMEOUT=$(boot_timeout "$b") \
			bash "$WORK/src/scripts/run-board.sh" "$board" >>"$save/run.log" 2>&1
		rc=$?
		echo "$b $(( $(date +%s) - t0 ))" >>"$save/seconds"
		[ -d "$bd/$board/logs" ] && cp -r "$bd/$board/logs" "$save/logs-$b"
		if [ $rc -ne 0 ] || ! grep -qxF "$b" "$bd/mutation-booted"; then
			echo "MUTATION-ERROR $b: not booted (not a boot of scripts/run-board.sh, or run-board.sh exited $rc)" \
				>>"$save/run.log"
			return 1
		fi
		# Drop the verdicts about the logs of the boots skipped on purpose.
		cut -d' ' -f2 "$bd/mutation-skipped" | sort -u >"$save/skipped-logs"
		if [ -s "$save/skipped-logs" ]; then
			grep -vFf "$save/skipped-logs" "$bd/results.raw" >>"$save/results.txt"
		else
			cat "$bd/results.raw" >>"$save/results.txt"
		fi
		[ "$MODE" = mutant ] || continue
		# A failed check is a kill unless it fails without the patch too.
		fails "$save/results.txt" >"$save/fails"
		[ -s "$save/fails" ] || continue
		ensure_baseline "$b" >>"$save/run.log" || return 1
		kills "$save/fails" "$b" >>"$save/kills"
		sort -u -o "$save/kills" "$save/kills"
		[ -n "$(solid "$save/kills")" ] && [ "${MUTATION_ALL_BOOTS:-0}" != 1 ] && break
	done
	return 0
}


# Everything runs from main(), parsed whole before it starts: the script
# may be edited while it runs.
main() {
	if [ "${1:-}" = --check-apply ]; then
		check_apply
		return 0
	fi

	export DMAXFER_GUEST_TIMEOUT=${DMAXFER_GUEST_TIMEOUT:-600}
	mkdir -p "$OUT" "$SCRATCH"
	# Two runs in one scratch copy would build and boot each other's
	# patches (it happened: a helper's run and make mutation, both in the
	# old shared default).
	exec 8>"$SCRATCH/lock"
	flock -n 8 || die "$SCRATCH is in use by another mutation run (MUTATION_SCRATCH picks another)"
	# The tree's results (table, baselines) are one set too.
	exec 7>"$OUT/lock"
	flock -n 7 || die "$OUT is in use by another mutation run of this tree"

	IFS=', ' read -r -a names <<<"${MUTANTS:-}"
	[ $# -gt 0 ] && names=("$@")
	mapfile -t names < <(mutant_list "${names[@]}")
	[ ${#names[@]} -gt 0 ] || die "no mutants under $MUTDIR"
	for n in "${names[@]}"; do
		[ -f "$MUTDIR/$n.patch" ] || die "no mutant $MUTDIR/$n.patch"
	done

	# The host tool for judge_uart, built once and shared.
	mkdir -p "$OUT/tool-host"
	make -s -C "$TOP/tools/dmaxfer" O="$OUT/tool-host" || die "host tool build failed"

	t_all=$(date +%s)
	all_boots=$(for n in "${names[@]}"; do header_field "$MUTDIR/$n.patch" Boots; echo; done |
		tr ' ' '\n' | sed '/^$/d' | awk '!seen[$0]++' | tr '\n' ' ')
	BASE=$OUT/baseline/$(tree_hash)
	mkdir -p "$BASE"
	if [ "${MUTATION_BASELINE:-1}" = eager ]; then
		need=
		for b in $all_boots; do
			[ -f "$BASE/$b/done" ] || need="$need $b"
		done
		if [ -n "$need" ]; then
			log "mutation: baseline (no patch), boots:$need"
			prepare || die "cannot copy the tree to $WORK"
			MODE=baseline
			for b in $need; do
				run_boots "$BASE/$b" "$b" ||
					die "baseline: $(grep MUTATION-ERROR "$BASE/$b/run.log" | head -n1) (log: $BASE/$b/run.log)"
				fails "$BASE/$b/results.txt" >"$BASE/$b/fails"
				touch "$BASE/$b/done"
				log "mutation: baseline $b: $(cut -d' ' -f2 "$BASE/$b/seconds") s," \
					"$(grep -c '^PASS ' "$BASE/$b/results.txt") passed, $(wc -l <"$BASE/$b/fails") failed"
			done
			MODE=mutant
		fi
	fi

	table=$OUT/table.txt
	: >"$table"
	row() { printf '%-34s | %-8s | %s | %s\n' "$1" "$2" "$3" "$4" | tee -a "$table"; }
	row mutant killed? "by which check(s)" seconds
	survived=0 errors=0
	for n in "${names[@]}"; do
		p=$MUTDIR/$n.patch
		boots=$(header_field "$p" Boots)
		t0=$(date +%s)
		log "mutation: $n (boots: $boots)"
		if [ -z "$boots" ]; then
			row "$n" ERROR "no Boots: line in the header" 0
			errors=$((errors + 1))
			continue
		fi
		CUR_PATCH=$p
		prepare "$p"
		case $? in
		1)	row "$n" ERROR "patch does not apply: $(grep -m1 -E 'error|fail' "$SCRATCH/apply.log")" 0
			errors=$((errors + 1))
			continue ;;
		2)	die "cannot copy the tree to $WORK" ;;
		esac
		MODE=mutant
		# shellcheck disable=SC2086
		if ! run_boots "$OUT/$n" $boots; then
			row "$n" ERROR "$(grep -m1 MUTATION-ERROR "$OUT/$n/run.log" | cut -d' ' -f2-) (log: $OUT/$n/run.log)" \
				$(( $(date +%s) - t0 ))
			errors=$((errors + 1))
			continue
		fi
		cp "$OUT/$n/results.txt" "$OUT/$n.results.txt"
		fails "$OUT/$n/results.txt" >"$OUT/$n.fails"
		# A kill is a check that fails here and did not fail in the baseline.
		kills=$(solid "$OUT/$n/kills")
		weak=$(grep -xFf <(flaky; echo '#') "$OUT/$n/kills" | tr '\n' ' ' | sed 's/ $//')
		secs=$(( $(date +%s) - t0 ))
		if [ -n "$kills" ]; then
			by=$(echo "$kills" | head -n 6 | tr '\n' ' ' | sed 's/ $//')
			k=$(echo "$kills" | wc -l)
			[ "$k" -gt 6 ] && by="$by (+$((k - 6)) more)"
			row "$n" killed "$by" "$secs"
		elif [ -n "$weak" ]; then
			row "$n" FLAKY "only flaky checks failed: $weak" "$secs"
			survived=$((survived + 1))
		elif [ -s "$OUT/$n.fails" ]; then
			row "$n" SURVIVED "in $boots only checks that fail without it too: $(head -n 3 "$OUT/$n.fails" | tr '\n' ' ')" "$secs"
			survived=$((survived + 1))
		else
			row "$n" SURVIVED "nothing failed in: $boots" "$secs"
			survived=$((survived + 1))
		fi
	done

	echo
	cat "$table"
	echo
	echo "Mutation testing: table in $table; verdicts in $OUT/NAME.results.txt, logs in $OUT/NAME/"
	for f in "$BASE"/*/fails; do
		[ -s "$f" ] || continue
		b=${f%/fails}
		echo "Checks that failed in $(basename "$b") without a mutant (not counted as kills):"
		sed 's/^/  /' "$f"
	done
	echo "make mutation took $(( $(date +%s) - t_all )) s: ${#names[@]} mutants," \
		"$(( ${#names[@]} - survived - errors )) killed, $survived survived, $errors not run"
	[ "$survived" -eq 0 ] && [ "$errors" -eq 0 ]
}

main "$@"
exit
