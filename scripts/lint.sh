#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# lint.sh: checkpatch --strict and kernel-doc -Wall on every kernel source
# of the project, a W=1 + sparse (C=2) build of the modules for each
# architecture on both LTS series (zynq, virt64, zynq-6.1, virt64-6.1),
# the user-space tool and kselftest built with -Werror for both guest
# architectures (32-bit armel catches the pointer/size mistakes), and the
# Sphinx build of Documentation/ (scripts/docs.sh). Any warning fails. Verdicts go to $RESULTS.
#
# checkpatch and the -Werror builds are single-threaded and independent:
# they run in the background while the module builds use make -j.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
. "$TOP/scripts/judge.sh"

ksrc=$(ksrc_dir)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

mapfile -t srcs < <(cd "$TOP" && git ls-files -co --exclude-standard \
	'drivers/*.c' 'drivers/*.h' 'kunit/*.c' 'kunit/*.h' 'include/*.h')
# Relative paths: checkpatch applies the UAPI rules to include/uapi/.
(cd "$TOP" && "$ksrc/scripts/checkpatch.pl" --strict --no-tree --quiet \
	--show-types --ignore FILE_PATH_CHANGES -f "${srcs[@]}" >"$tmp/checkpatch" 2>&1) &

ccs=(arm-linux-gnueabi-gcc aarch64-linux-gnu-gcc)
for cc in "${ccs[@]}"; do
	# -Werror rides on CC: a CFLAGS on the command line would replace
	# the Makefiles' own (include paths among them).
	(
		out=$tmp/tools-$cc
		mkdir -p "$out"
		make -s -C "$TOP/tools/dmaxfer" O="$out" CC="$cc -Werror" &&
			make -s -C "$TOP/tools/testing/dmaxfer" O="$out" \
				CC="$cc -Werror" KSRC="$ksrc"
	) >"$tmp/tools-$cc.log" 2>&1 &
	echo $! >"$tmp/tools-$cc.pid"
done

# make check boots while lint runs: each board's module build holds the
# lock that run-guest.sh takes to build and pack that board's modules. All
# are taken at once, now that the background jobs above are forked (they
# would keep them), and each is let go when its board is built. Then
# LINT_LOCKED (a file) tells make check that the boots may start: they wait
# for their board, and reuse its W=1 objects (build-modules.sh). virt64
# first: make check's first boots are virt64's.
boards=(${LINT_BOARDS:-virt64 virt64-6.1 zynq zynq-6.1})
declare -A lockfd=()
for board in "${boards[@]}"; do
	mkdir -p "$BUILD/$board"
	exec {fd}>"$BUILD/$board/.build.lock"
	flock "$fd"
	lockfd[$board]=$fd
done
[ -n "${LINT_LOCKED:-}" ] && : >"$LINT_LOCKED"

wbuild=()
for board in "${boards[@]}"; do
	mod=$BUILD/$board/mod/src
	# C=2 runs sparse on every file, rebuilt or not; W=1 needs a rebuild.
	find "$mod" -name '*.o' -delete 2>/dev/null
	if ! blog=$(bash "$TOP/scripts/build-modules.sh" "$board" W=1 C=2 2>&1); then
		wbuild+=("FAIL lint/w1-sparse-$board build failed: $(echo "$blog" | tail -n 3)")
		exec {lockfd[$board]}>&-
		continue
	fi
	warn=$(echo "$blog" | grep -E 'warning|error' | grep -v '^/' | head -n 20)
	warn+=$(echo "$blog" | grep -E '(warning|error):' | head -n 20)
	if [ -z "$warn" ]; then
		wbuild+=("PASS lint/w1-sparse-$board")
	else
		echo "$warn"
		wbuild+=("FAIL lint/w1-sparse-$board $(echo "$warn" | head -n1)")
	fi
	exec {lockfd[$board]}>&-
done

# Verdicts in a fixed order, once everything has finished.
tool_rc=()
for cc in "${ccs[@]}"; do
	wait "$(cat "$tmp/tools-$cc.pid")"
	tool_rc+=($?)
done
wait
out=$(cat "$tmp/checkpatch")
if [ -z "$out" ]; then
	pass "lint/checkpatch-strict"
else
	echo "$out" | head -n 40
	fail "lint/checkpatch-strict" "$(echo "$out" | grep -cE '^(ERROR|WARNING|CHECK)') findings"
fi
# kernel-doc -Wall (missing parameters and return values, short
# descriptions, text before sections) over the same files. In -none mode
# it only parses, and exits 0 whatever it found: judge by its output.
kd=$(cd "$TOP" && "$ksrc/scripts/kernel-doc" -none -Wall "${srcs[@]}" 2>&1)
kd_rc=$?
if [ "$kd_rc" -eq 0 ] && [ -z "$kd" ]; then
	pass "lint/kernel-doc"
else
	echo "$kd" | head -n 20
	fail "lint/kernel-doc" "exit $kd_rc, $(echo "$kd" | grep -c 'warning:') warnings: $(echo "$kd" | head -n 3 | tr '\n' ' ')"
fi
for v in "${wbuild[@]}"; do
	name=${v#* }
	name=${name%% *}
	case $v in
	PASS*) pass "$name" ;;
	*) fail "$name" "${v#FAIL "$name" }" ;;
	esac
done
for i in "${!ccs[@]}"; do
	cc=${ccs[$i]}
	name=lint/tools-werror-${cc%%-*}
	if [ "${tool_rc[$i]}" -eq 0 ]; then
		pass "$name"
	else
		grep -E 'error|warning' "$tmp/tools-$cc.log" | head -n 20
		fail "$name" "$(grep -m1 -E 'error|warning' "$tmp/tools-$cc.log")"
	fi
done
# Last, alone: Sphinx would only slow the parallel builds above down.
bash "$TOP/scripts/docs.sh"
