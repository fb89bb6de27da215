#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# kconftest.sh OUTDIR: probe the target kernel for the interfaces that
# differ between the kernels dmaxfer builds against, and write
#
#   OUTDIR/dmaxfer_compat_auto.h   #define HAVE_<FEATURE> 1, for
#                                  include/dmaxfer_compat.h
#   OUTDIR/dmaxfer_compat_auto.mk  DMAXFER_HAVE_<FEATURE> := y, for the
#                                  Kbuild files (what to build)
#
# The top-level Kbuild runs it before anything compiles, inside
# "make -C KDIR M=..." (the harness, "make modules", DKMS), from make's
# working directory and with the variables the kernel's Makefile exports:
# CC, NOSTDINC_FLAGS, LINUXINCLUDE, KBUILD_CPPFLAGS, KBUILD_CFLAGS,
# KBUILD_CFLAGS_MODULE, srctree, objtree. So each probe is compiled as a
# module source would be: same compiler (cross or clang), same flags, same
# configuration. Probes test features, not version numbers, because
# distribution and vendor kernels backport.
#
# The probes run in parallel, with -fsyntax-only: about a second. The
# output is rewritten only when the kernel, its configuration, the
# compiler or this script changed, so objects are not rebuilt for nothing.
set -u

out=${1:?usage: kconftest.sh OUTDIR}
: "${CC:?not run from a kernel build: CC is not set}"
: "${srctree:?not run from a kernel build: srctree is not set}"
: "${objtree:=.}"
hdr=$out/dmaxfer_compat_auto.h
mk=$out/dmaxfer_compat_auto.mk
autoconf=$objtree/include/generated/autoconf.h

key=$({ echo "$CC $KBUILD_CFLAGS $(pwd) $srctree"; cat "$autoconf" \
	"$objtree/include/generated/utsrelease.h" "$0"; } 2>/dev/null | cksum)
if [ -f "$hdr" ] && [ -f "$mk" ] &&
	[ "$(cat "$out/kconftest.key" 2>/dev/null)" = "$key" ]; then
	exit 0
fi

mkdir -p "$out" || exit 1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/dmaxfer-kconftest.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

# probe NAME: compile $tmp/NAME.c (written by the caller) in the background.
# The kernel's flags are shell words, quotes included (arm64's
# -DARM64_ASM_ARCH='"armv8.5-a"'), as in Kbuild's recipes: hence eval.
# -Werror: a probe is written warning-free, so that a warning means the
# interface is not the one expected (e.g. a different prototype).
probe() {
	eval "$CC $NOSTDINC_FLAGS $LINUXINCLUDE" \
		'-include "$srctree/include/linux/compiler_types.h"' \
		"$KBUILD_CPPFLAGS $KBUILD_CFLAGS $KBUILD_CFLAGS_MODULE" \
		"-DMODULE -DKBUILD_BASENAME='\"kconftest\"'" \
		"-DKBUILD_MODNAME='\"kconftest\"' -D__KBUILD_MODNAME=kmod_kconftest" \
		'-Werror -fsyntax-only "$tmp/$1.c"' >"$tmp/$1.log" 2>&1 &&
		touch "$tmp/$1.ok" &
}

config() { grep -q "^#define CONFIG_$1 1$" "$autoconf" 2>/dev/null ||
	grep -q "^#define CONFIG_$1_MODULE 1$" "$autoconf" 2>/dev/null; }

# The control: a module source that must compile. If it does not, the
# compiler or the flags are wrong, and every probe would say "absent".
echo '#include <linux/module.h>' >"$tmp/control.c"
probe control

# kunit/visibility.h: Linux 6.2 (and Debian's 6.1). A compiled probe, not
# __has_include(): sparse does not know that.
echo '#include <kunit/visibility.h>' >"$tmp/KUNIT_VISIBILITY_H.c"
probe KUNIT_VISIBILITY_H

# vm_flags_set(): Linux 6.3 (vm_flags became read-only).
cat >"$tmp/VM_FLAGS_SET.c" <<'EOF'
#include <linux/mm.h>
static void __maybe_unused p(struct vm_area_struct *vma)
{
	vm_flags_set(vma, VM_DONTEXPAND);
}
EOF
probe VM_FLAGS_SET

# devm_clk_bulk_get_all_enabled(): Linux 6.13, returns the number of
# clocks (6.9's devm_clk_bulk_get_all_enable() returned 0; it went away).
cat >"$tmp/DEVM_CLK_BULK_GET_ALL_ENABLED.c" <<'EOF'
#include <linux/clk.h>
static int __maybe_unused p(struct device *dev, struct clk_bulk_data **clks)
{
	return devm_clk_bulk_get_all_enabled(dev, clks);
}
EOF
probe DEVM_CLK_BULK_GET_ALL_ENABLED

# hrtimer_setup(): Linux 6.13; hrtimer_init() is gone in 6.15.
cat >"$tmp/HRTIMER_SETUP.c" <<'EOF'
#include <linux/hrtimer.h>
static enum hrtimer_restart fn(struct hrtimer *t)
{
	return HRTIMER_NORESTART;
}

static void __maybe_unused p(struct hrtimer *t)
{
	hrtimer_setup(t, fn, CLOCK_MONOTONIC, HRTIMER_MODE_ABS);
}
EOF
probe HRTIMER_SETUP

# MODULE_IMPORT_NS("NS"): Linux 6.13 takes a string literal; before, an
# identifier that it stringified. Tell them apart by what it expands to.
cat >"$tmp/MODULE_IMPORT_NS_STRING.c" <<'EOF'
#include <linux/module.h>
#undef MODULE_INFO
#define MODULE_INFO(tag, info) static const char ns[] __maybe_unused = info
MODULE_IMPORT_NS("AB");
_Static_assert(sizeof(ns) == 3, "MODULE_IMPORT_NS stringifies");
EOF
probe MODULE_IMPORT_NS_STRING

if config KUNIT; then
	# kunit/device.h, kunit_device_register(): Linux 6.8.
	cat >"$tmp/KUNIT_DEVICE_H.c" <<'EOF'
#include <kunit/device.h>
#include <kunit/test.h>
static struct device *__maybe_unused p(struct kunit *test)
{
	return kunit_device_register(test, "kconftest");
}
EOF
	probe KUNIT_DEVICE_H

	# kunit_add_action(): Linux 6.5.
	cat >"$tmp/KUNIT_ADD_ACTION.c" <<'EOF'
#include <kunit/test.h>
static void act(void *p)
{
}

static int __maybe_unused p(struct kunit *test)
{
	return kunit_add_action(test, act, NULL);
}
EOF
	probe KUNIT_ADD_ACTION

	# The leak control maps user memory: kunit_vm_mmap(), 6.10.
	cat >"$tmp/KUNIT_VM_MMAP.c" <<'EOF'
#include <kunit/test.h>
#include <linux/mman.h>
static unsigned long __maybe_unused p(struct kunit *test)
{
	return kunit_vm_mmap(test, NULL, 0, PAGE_SIZE, PROT_READ,
			     MAP_PRIVATE | MAP_ANONYMOUS, 0);
}
EOF
	probe KUNIT_VM_MMAP
fi

if config OF_DYNAMIC; then
	# of_kunit builds its nodes with these: Linux 6.6.
	cat >"$tmp/OF_CHANGESET_ADD_PROP.c" <<'EOF'
#include <linux/of.h>
static int __maybe_unused p(struct of_changeset *cs, struct device_node *np)
{
	static const u32 v[] = { 1, 2 };
	static const char *const s[] = { "a" };
	struct device_node *n = of_changeset_create_node(cs, np, "a");

	return of_changeset_add_prop_u32_array(cs, n, "b", v, 2) +
	       of_changeset_add_prop_string_array(cs, n, "c", s, 1) +
	       of_changeset_add_prop_string(cs, n, "d", "e") +
	       of_changeset_add_prop_u32(cs, n, "f", 1);
}
EOF
	probe OF_CHANGESET_ADD_PROP
fi
wait
if [ ! -e "$tmp/control.ok" ]; then
	echo "kconftest.sh: cannot compile against this kernel with $CC:" >&2
	head -n 20 "$tmp/control.log" >&2
	exit 1
fi
rm "$tmp/control.c"

{
	echo "/* Generated by scripts/kconftest.sh for the kernel it ran against. */"
	for c in "$tmp"/*.c; do
		f=$(basename "$c" .c)
		if [ -e "$tmp/$f.ok" ]; then
			echo "#define HAVE_$f 1"
		else
			echo "/* HAVE_$f is not set */"
		fi
	done
} >"$tmp/h"
{
	echo "# Generated by scripts/kconftest.sh for the kernel it ran against."
	for c in "$tmp"/*.c; do
		f=$(basename "$c" .c)
		[ -e "$tmp/$f.ok" ] && echo "DMAXFER_HAVE_$f := y"
	done
} >"$tmp/mk"
# Keep the failed probes' messages: "why was X not built" starts there.
cat "$tmp"/*.log >"$out/kconftest.log" 2>/dev/null
# Replaced only when different: every object depends on the header.
for f in h mk; do
	[ $f = h ] && dst=$hdr || dst=$mk
	cmp -s "$tmp/$f" "$dst" || mv -f "$tmp/$f" "$dst" || exit 1
done
echo "$key" >"$out/kconftest.key"
