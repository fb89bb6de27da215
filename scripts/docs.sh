#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# docs.sh (make docs): build Documentation/ to HTML in build/docs/html with
# Sphinx, warnings as errors. The API pages pull the kernel-doc comments of
# the sources in with the kernel's own kernel-doc directive, from the
# kernel source tree of scripts/lib.sh (ksrc_dir), passed to
# Documentation/conf.py in DMAXFER_KSRC. One verdict, docs/sphinx, goes to
# $RESULTS: PASS only with no warning at all.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
. "$TOP/scripts/judge.sh"

name=docs/sphinx
out=$BUILD/docs
mkdir -p "$out"
log=$out/sphinx.log

# Debian's sphinx-build runs /usr/bin/python3, where python3-sphinx is
# installed; a python3 earlier in PATH (pyenv, a venv) may lack it.
sb=$(command -v sphinx-build) || {
	fail "$name" "sphinx-build not found (scripts/setup-host.sh installs python3-sphinx)"
	exit 1
}
ksrc=$(ksrc_dir) || exit 1

# -E -a: a fresh environment and every page written, every time. Sphinx
# otherwise rereads only changed pages, and a second run would be silent
# about the warnings of the unchanged ones: a PASS that means nothing.
# -W --keep-going: every warning is reported, and any one fails the build.
t0=$(date +%s)
DMAXFER_KSRC=$ksrc "$sb" -b html -E -a -W --keep-going -q -j 1 \
	-d "$out/doctrees" "$TOP/Documentation" "$out/html" >"$log" 2>&1
rc=$?
secs=$(( $(date +%s) - t0 ))

# The kernel-doc directive writes kernel-doc's own warnings straight to
# stderr, not through Sphinx's logger, so -W does not see them: count
# every warning line of the log, whatever its origin.
warn=$(grep -icE 'warning|error' "$log")
if [ "$rc" -eq 0 ] && [ "$warn" -eq 0 ] && [ -f "$out/html/index.html" ]; then
	pass "$name"
	log "docs: $out/html/index.html in ${secs} s"
else
	head -n 20 "$log"
	fail "$name" "sphinx-build exit $rc, $warn warning line(s), first: $(grep -m1 -iE 'warning|error' "$log"); see $log"
	exit 1
fi
