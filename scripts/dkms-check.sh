#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# dkms-check.sh: the README's DKMS install, done for real against each of
# Debian 12's amd64 header packages (HOST_HEADER_PKGS in lib.sh), then
# undone. For each kernel release K: the sources go to /usr/src/dmaxfer-V
# (V from VERSION), then dkms add, build, install; modinfo must find both
# modules under /lib/modules/K/updates/dkms with version V and K's
# vermagic, and depmod must list them; dkms remove --all must take them
# out again. "clean" checks that nothing is left: no module file under
# /lib/modules/K, no /var/lib/dkms/dmaxfer, no dmaxfer in modules.dep, no
# /usr/src/dmaxfer-V (removed here), and nothing in /lib/modules/K that
# was not there before (depmod's files for a K that had none are removed
# here, a modules.dep that was there must come back unchanged).
#
# Neither K is the running kernel: /lib/modules/K may hold nothing but the
# headers' build symlink, and that is enough for dkms to install into.
#
# Left behind on purpose: the module signing key dkms creates on its first
# build for a kernel with CONFIG_MODULE_SIG (/var/lib/dkms/mok.key and
# mok.pub). It is the machine's, reused by every dkms module, and a
# Secure Boot user may have enrolled it; removing it is not a test's call.
#
# Verdicts dkms/LABEL/{add,build,install,modinfo,remove,clean} go to
# $RESULTS; the output of each step to $BUILD/dkms/LABEL.log.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
. "$TOP/scripts/judge.sh"

SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
# -j2: the machines this runs on are shared (at most 2 jobs).
jobs=${DKMS_JOBS:-2}
mods=(dmaxfer dmasim)
out=$BUILD/dkms
mkdir -p "$out"

ver=$(cat "$TOP/VERSION" 2>/dev/null)
usrc=/usr/src/dmaxfer-$ver
# Marks a /usr/src/dmaxfer-V as this script's: only such a tree, and the
# dkms entry made from it, may be removed here. A user's own install of
# the same version is never touched (the check fails instead).
marker=$usrc/.dmaxfer-dkms-check

# undo K: take out whatever this script put in (called after each kernel's
# steps, and by the trap if the script is interrupted half-way).
undo() {
	local k=$1
	if [ -f "$marker" ]; then
		[ -e /var/lib/dkms/dmaxfer/"$ver" ] &&
			$SUDO dkms remove -m dmaxfer -v "$ver" --all >>"$out/undo.log" 2>&1
		$SUDO rm -rf "$usrc"
	fi
	[ -n "$k" ] && restore_lib_modules "$k"
}
cur_k=
trap 'undo "$cur_k"' EXIT
# A signal waits for the running dkms command to end (bash runs traps
# between commands); then the EXIT trap undoes what was done.
trap 'fail "dkms/${label:-setup}/interrupted" "by a signal; what this run added is removed"; exit 130' INT TERM

# snapshot K: what /lib/modules/K holds before (its kernel/ tree apart:
# dkms never writes there), and a checksum of modules.dep if there is one.
snapshot() {
	local d=/lib/modules/$1
	find "$d" -mindepth 1 -path "$d/kernel" -prune -o -print 2>/dev/null | sort >"$out/$label.before"
	if [ -f "$d/modules.dep" ]; then
		sha256sum <"$d/modules.dep" >"$out/$label.dep.before"
	else
		rm -f "$out/$label.dep.before"
	fi
}

# restore_lib_modules K: remove what dkms install and depmod added to
# /lib/modules/K that was not there before: depmod's modules.* files (for a
# K that had none) and directories left empty. Anything else stays, for
# the clean verdict to report.
restore_lib_modules() {
	local d=/lib/modules/$1 f
	[ -f "$out/$label.before" ] || return 0
	find "$d" -mindepth 1 -path "$d/kernel" -prune -o -print 2>/dev/null | sort |
		comm -13 "$out/$label.before" - | sort -r | while read -r f; do
		case ${f#"$d"/} in
		modules.*) [ -f "$f" ] && $SUDO rm -f "$f" ;;
		*) [ -d "$f" ] && $SUDO rmdir --ignore-fail-on-non-empty "$f" ;;
		esac
	done
}

# step NAME CMD...: one verdict for one command, its output in the log;
# the FAIL line carries the command's last line of output.
step() {
	local n=$1 rc t last
	shift
	t=$(date +%s)
	echo "+ $*" >>"$logf"
	"$@" >"$out/step.out" 2>&1
	rc=$?
	cat "$out/step.out" >>"$logf"
	echo "  $label/$n: ${rc}, $(( $(date +%s) - t )) s" | tee -a "$logf"
	if [ $rc -eq 0 ]; then
		pass "dkms/$label/$n"
	else
		# dkms says what went wrong in a line "Error! ..."; else the end.
		last=$(grep -m1 '^Error!' "$out/step.out")
		[ -n "$last" ] || last=$(grep -v '^$' "$out/step.out" | tail -n2 | tr '\n' ' ')
		fail "dkms/$label/$n" "'$*' exited $rc: $last (log: $logf)"
	fi
	return $rc
}

# dkms_build K: dkms build, -j for the module build. Its make.log is kept
# (dkms remove deletes it); on a failure its first diagnostic is the last
# line printed, for the FAIL line.
dkms_build() {
	local rc mlog=/var/lib/dkms/dmaxfer/$ver/build/make.log
	$SUDO dkms build -m dmaxfer -v "$ver" -k "$1" -j "$jobs"
	rc=$?
	$SUDO cat "$mlog" >"$out/$label.make.log" 2>/dev/null
	if [ $rc -ne 0 ]; then
		grep -m1 -iE '(warning|error):' "$out/$label.make.log" |
			sed "s|/var/lib/dkms/dmaxfer/$ver/build/||g"
		echo "(make.log: $out/$label.make.log)"
	fi
	return $rc
}

# check_installed K: where modinfo finds each module for K, its version and
# vermagic, and depmod's view of it.
check_installed() {
	local k=$1 m path v vm bad=''
	for m in "${mods[@]}"; do
		path=$(modinfo -k "$k" -n "$m" 2>&1)
		v=$(modinfo -k "$k" -F version "$m" 2>/dev/null)
		vm=$(modinfo -k "$k" -F vermagic "$m" 2>/dev/null)
		# Signed by dkms's key on kernels with CONFIG_MODULE_SIG, if
		# openssl was there: shown, not judged (a host property).
		echo "$m: $path version=$v vermagic=$vm signer=$(modinfo -k "$k" -F signer "$m" 2>/dev/null)"
		case $path in
		/lib/modules/"$k"/updates/dkms/"$m".ko*) ;;
		*) bad+=" $m at '$path', not under /lib/modules/$k/updates/dkms;" ;;
		esac
		[ "$v" = "$ver" ] || bad+=" $m version '$v', not '$ver';"
		[ "${vm%% *}" = "$k" ] || bad+=" $m vermagic '$vm', not $k;"
		grep -qE "^updates/dkms/$m\.ko[^:]*:" "/lib/modules/$k/modules.dep" 2>/dev/null ||
			bad+=" $m not in /lib/modules/$k/modules.dep;"
	done
	$SUDO dkms status -m dmaxfer -v "$ver" -k "$k"
	$SUDO dkms status -m dmaxfer -v "$ver" -k "$k" | grep -q ': installed' ||
		bad+=" dkms status does not say installed;"
	[ -z "$bad" ] || { echo "wrong:$bad"; return 1; }
}

# check_clean K: nothing of dmaxfer left anywhere, /lib/modules/K as before.
check_clean() {
	local k=$1 d=/lib/modules/$1 bad='' left
	left=$(find "$d" \( -name 'dmaxfer*.ko*' -o -name 'dmasim*.ko*' \) 2>/dev/null | head -n3)
	[ -z "$left" ] || bad+=" module files left: $left;"
	[ ! -e /var/lib/dkms/dmaxfer ] || bad+=" /var/lib/dkms/dmaxfer is still there;"
	! grep -qE '(^|/)(dmaxfer|dmasim)\.ko' "$d/modules.dep" 2>/dev/null ||
		bad+=" $d/modules.dep still lists dmaxfer;"
	if [ -f "$marker" ]; then
		$SUDO rm -rf "$usrc"
	fi
	[ ! -e "$usrc" ] || bad+=" $usrc is still there;"
	restore_lib_modules "$k"
	left=$(find "$d" -mindepth 1 -path "$d/kernel" -prune -o -print 2>/dev/null | sort |
		comm -13 "$out/$label.before" - | head -n3 | tr '\n' ' ')
	[ -z "$left" ] || bad+=" new in $d: $left;"
	if [ -f "$out/$label.dep.before" ]; then
		sha256sum <"$d/modules.dep" 2>/dev/null | cmp -s - "$out/$label.dep.before" ||
			bad+=" $d/modules.dep is not what it was before;"
	fi
	[ -z "$bad" ] || { echo "left behind:$bad"; return 1; }
}

if [ -z "$ver" ]; then
	fail "dkms/version" "no version in $TOP/VERSION"
	exit 0
fi
if ! command -v dkms >/dev/null; then
	fail "dkms/installed" "no dkms command (scripts/setup-host.sh installs it)"
	exit 0
fi
# One run at a time on a machine: two would share /usr/src/dmaxfer-V and
# the dkms entry, and each would take the other's for a leftover to undo.
lock=/run/lock/dmaxfer-dkms-check.lock
[ -d /run/lock ] || lock=/tmp/dmaxfer-dkms-check.lock
exec 9>>"$lock"
if ! flock -w 900 9; then
	fail "dkms/lock" "another dkms-check.sh held $lock for 15 min"
	exit 0
fi
rm -f "$out/undo.log"
t0=$(date +%s)
for entry in "${HOST_HEADER_PKGS[@]}"; do
	label=${entry%%:*}
	pkg=${entry#*:}
	logf=$out/$label.log
	: >"$logf"
	if ! k=$(host_kernel "$pkg"); then
		fail "dkms/$label/add" "$k"
		continue
	fi
	# A tree or dkms entry of this version that is not ours: leave it.
	if { [ -e "$usrc" ] && [ ! -f "$marker" ]; } ||
		{ [ -e /var/lib/dkms/dmaxfer ] && [ ! -f "$marker" ]; }; then
		fail "dkms/$label/add" "dmaxfer is already in DKMS or $usrc exists, not made by this script: not touching it"
		continue
	fi
	# Ours, left by an interrupted run: start from nothing.
	undo ""
	snapshot "$k"
	cur_k=$k
	echo "  $label: kernel $k, dmaxfer $ver"
	ok=0
	# The marker goes in even if the copy fails half-way: what is there
	# is ours to remove.
	# (Copied as the user, installed with $SUDO: /usr/src is root's.)
	module_sources "$out/src" && $SUDO rm -rf "$usrc" && $SUDO cp -a "$out/src" "$usrc"
	rc=$?
	$SUDO mkdir -p "$usrc"
	if ! $SUDO touch "$marker" || [ $rc -ne 0 ]; then
		fail "dkms/$label/add" "could not copy the sources to $usrc"
	elif step add $SUDO dkms add "$usrc"; then
		ok=1
		# dkms build: -j for the kernel build; its make.log is kept.
		if step build dkms_build "$k"; then
			# No --force: a refusal (a newer dmaxfer in K) is a failure here.
			if step install $SUDO dkms install -m dmaxfer -v "$ver" -k "$k"; then
				step modinfo check_installed "$k"
			else
				echo "SKIP dkms/$label/modinfo: not run: install failed" | tee -a "$RESULTS"
			fi
		else
			for n in install modinfo; do
				echo "SKIP dkms/$label/$n: not run: build failed" | tee -a "$RESULTS"
			done
		fi
	fi
	if [ $ok = 1 ]; then
		step remove $SUDO dkms remove -m dmaxfer -v "$ver" --all
	else
		echo "SKIP dkms/$label/remove: not run: add failed" | tee -a "$RESULTS"
	fi
	# Whatever failed above, what is left is undone here and judged.
	[ -f "$marker" ] && [ -e /var/lib/dkms/dmaxfer/"$ver" ] &&
		$SUDO dkms remove -m dmaxfer -v "$ver" --all >>"$out/undo.log" 2>&1
	step clean check_clean "$k"
	cur_k=
done
echo "  dkms: $(( $(date +%s) - t0 )) s"
