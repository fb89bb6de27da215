#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# lint.sh: checkpatch --strict on every kernel source of the project, and a
# W=1 + sparse (C=2) build of the modules for each architecture, and the
# user-space tool and kselftest built with -Werror for both guest
# architectures (32-bit armel catches the pointer/size mistakes). Any
# warning fails. Verdicts go to $RESULTS.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
. "$TOP/scripts/judge.sh"

ksrc=$(ksrc_dir)
mapfile -t srcs < <(cd "$TOP" && git ls-files -co --exclude-standard \
	'drivers/*.c' 'drivers/*.h' 'kunit/*.c' 'kunit/*.h' 'include/*.h')
# Relative paths: checkpatch applies the UAPI rules to include/uapi/.
out=$(cd "$TOP" && "$ksrc/scripts/checkpatch.pl" --strict --no-tree --quiet \
	--show-types --ignore FILE_PATH_CHANGES -f "${srcs[@]}" 2>&1)
if [ -z "$out" ]; then
	pass "lint/checkpatch-strict"
else
	echo "$out" | head -n 40
	fail "lint/checkpatch-strict" "$(echo "$out" | grep -cE '^(ERROR|WARNING|CHECK)') findings"
fi

for board in ${LINT_BOARDS:-zynq virt64}; do
	mod=$BUILD/$board/mod/src
	# C=2 runs sparse on every file, rebuilt or not; W=1 needs a rebuild.
	find "$mod" -name '*.o' -delete 2>/dev/null
	if ! blog=$(bash "$TOP/scripts/build-modules.sh" "$board" W=1 C=2 2>&1); then
		fail "lint/w1-sparse-$board" "build failed: $(echo "$blog" | tail -n 3)"
		continue
	fi
	warn=$(echo "$blog" | grep -E 'warning|error' | grep -v '^/' | head -n 20)
	warn+=$(echo "$blog" | grep -E '(warning|error):' | head -n 20)
	if [ -z "$warn" ]; then
		pass "lint/w1-sparse-$board"
	else
		echo "$warn"
		fail "lint/w1-sparse-$board" "$(echo "$warn" | head -n1)"
	fi
done

for cc in arm-linux-gnueabi-gcc aarch64-linux-gnu-gcc; do
	name=lint/tools-werror-${cc%%-*}
	out=$(mktemp -d)
	# -Werror rides on CC: a CFLAGS on the command line would replace
	# the Makefiles' own (include paths among them).
	if blog=$(make -s -C "$TOP/tools/dmaxfer" O="$out" CC="$cc -Werror" 2>&1 &&
		make -s -C "$TOP/tools/testing/dmaxfer" O="$out" CC="$cc -Werror" \
			KSRC="$ksrc" 2>&1); then
		pass "$name"
	else
		echo "$blog" | grep -E 'error|warning' | head -n 20
		fail "$name" "$(echo "$blog" | grep -m1 -E 'error|warning')"
	fi
	rm -rf "$out"
done
