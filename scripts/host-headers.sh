#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# host-headers.sh: build the modules with W=1 against Debian 12's own amd64
# header packages (6.1 and 6.12, HOST_HEADER_PKGS in lib.sh), the way a
# user of a distribution kernel, or DKMS, builds them: the harness's own
# kernels are allnoconfig-based and a distribution's configuration (no
# CONFIG_OF, no KUnit, module signing, xz modules) is not. One verdict per
# package: PASS only if make exits 0, prints no "warning:" or "error:"
# (modpost's "WARNING:" included) and builds every module dkms.conf
# packages. What the Kbuild reports leaving out ("not built") is passed on
# to the output, not judged. Verdicts go to $RESULTS; logs to
# $BUILD/host-headers/LABEL.log.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
. "$TOP/scripts/judge.sh"

# -j2: the machines this runs on are shared (at most 2 jobs).
jobs=${HOSTHDR_JOBS:-2}
out=$BUILD/host-headers
mkdir -p "$out"

# The modules dkms.conf installs: a header build without them is no use
# to DKMS, whatever make's exit status says.
mapfile -t want < <(sed -n 's/^BUILT_MODULE_NAME\[[0-9]*\]="\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' \
	"$TOP/dkms.conf" 2>/dev/null)

for entry in "${HOST_HEADER_PKGS[@]}"; do
	label=${entry%%:*}
	pkg=${entry#*:}
	name=host-headers/$label-w1
	if ! k=$(host_kernel "$pkg"); then
		fail "$name" "$k"
		continue
	fi
	src=$out/$label
	logf=$out/$label.log
	# A fresh copy each time: Linux 6.12 writes objects next to the
	# sources, and W=1 warnings appear only when a file is compiled.
	if ! module_sources "$src"; then
		fail "$name" "could not copy the sources to $src"
		continue
	fi
	t=$(date +%s)
	make -C "/usr/src/linux-headers-$k" M="$src" modules W=1 -j"$jobs" >"$logf" 2>&1
	rc=$?
	secs=$(( $(date +%s) - t ))
	kos=$(cd "$src" && find . -name '*.ko' | sed 's|^\./||' | sort | tr '\n' ' ')
	echo "  $label ($k): built in ${secs} s: ${kos:-no .ko}; log: $logf"
	# The Kbuild's own account of what it left out, and why.
	grep -E 'not built' "$logf" | grep -viE '(warning|error):' | sort -u | sed 's/^/  /'
	# The first diagnostic, its path relative to the copy.
	diag=$(grep -m1 -iE '(warning|error):' "$logf" | sed "s|$src/||g")
	missing=
	for m in "${want[@]}"; do
		[ -n "$(cd "$src" && find . -name "$m.ko")" ] || missing+=" $m.ko"
	done
	if [ $rc -ne 0 ]; then
		fail "$name" "make exited $rc against $k: ${diag:-$(tail -n1 "$logf")} (log: $logf)"
	elif [ -n "$diag" ]; then
		fail "$name" "$(grep -ciE '(warning|error):' "$logf") diagnostics against $k, the first: $diag (log: $logf)"
	elif [ ${#want[@]} -eq 0 ]; then
		fail "$name" "no BUILT_MODULE_NAME in $TOP/dkms.conf to look for"
	elif [ -n "$missing" ]; then
		fail "$name" "not built against $k:$missing (log: $logf)"
	else
		pass "$name"
	fi
done
