#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# dt-check.sh: check the dmaxfer device-tree binding against the dt-schema
# meta-schemas, then every DTB the project builds with a dmaxfer node (and a
# deliberately broken one) against the binding. Verdicts go to $RESULTS.
#
# Written for Debian's dt-schema 2022.08: dt-validate exits 0 even when it
# reports errors, and reports plenty about the boards' own nodes, so only
# the error records that mention dmaxfer are judged.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
. "$TOP/scripts/judge.sh"

BINDINGS=$TOP/Documentation/devicetree/bindings
BINDING=$BINDINGS/dma/dmaxfer,slave-dma-client.yaml
SCHEMA_ID='http://devicetree.org/schemas/dma/dmaxfer,slave-dma-client.yaml#'
OUT=$BUILD/dt
mkdir -p "$OUT"

# a. The binding against the meta-schemas. -u: $id is checked against the
# path relative to the bindings directory.
if out=$(dt-doc-validate -u "$BINDINGS" "$BINDING" 2>&1) && [ -z "$out" ]; then
	pass "dt/binding-doc-validate"
else
	echo "$out"
	fail "dt/binding-doc-validate" "$(echo "$out" | head -n1)"
fi

# One processed schema: the package's core schemas plus ours. A binding with
# meta-schema errors is left out of it (with only a warning), which the
# "matched" test in dt_validate below turns into a failure.
PROCESSED=$OUT/processed-schema.json
if ! mkout=$(dt-mk-schema -j -o "$PROCESSED" "$BINDINGS" 2>&1); then
	echo "$mkout"
	rm -f "$PROCESSED"
fi

# dt_validate DTB LOG: validate DTB; set MATCHED (our schema was applied to
# some node) and ERRS (the error records that mention dmaxfer, one a line).
# Returns 1 if dt-validate itself failed.
dt_validate() {
	MATCHED=0 ERRS=
	[ -f "$PROCESSED" ] || { ERRS="dt-mk-schema failed: $mkout"; return 1; }
	dt-validate -M -s "$PROCESSED" "$1" >"$2" 2>&1 || {
		ERRS="dt-validate failed: $(tail -n1 "$2")"
		return 1
	}
	# A record is a line and the tab-indented lines under it: join them.
	local recs
	recs=$(awk '/^\t/ { sub(/^\t/, ""); r = r " | " $0; next }
		{ if (r != "") print r; r = $0 } END { if (r != "") print r }' "$2")
	MATCHED=$(echo "$recs" | grep 'matched on schema' | grep -cF "$SCHEMA_ID")
	ERRS=$(echo "$recs" | grep -v 'matched on schema' | grep dmaxfer)
	return 0
}

# The example of the binding, as the kernel's dt_binding_check does.
ex=$OUT/binding-example
if dt-extract-example "$BINDING" >"$ex.dts" &&
	dtc -q -@ -I dts -O dtb -o "$ex.dtb" "$ex.dts" &&
	dt_validate "$ex.dtb" "$ex.log" && [ "$MATCHED" -gt 0 ] && [ -z "$ERRS" ]; then
	pass "dt/binding-example-validate"
else
	echo "$ERRS"
	fail "dt/binding-example-validate" "${ERRS:-example not built or not matched}; see $ex.log"
fi

# b. Every overlay of dts/ whose board is its file-name prefix.
for f in "$TOP"/dts/*.dtso; do
	ovl=$(basename "$f" .dtso)
	board=${ovl%%-*}
	case $board in zynq | vpb | virt64 | rpi3) ;; *) continue ;; esac
	name=dt/validate-$ovl
	board_load "$board"
	# virt64 boots on the DTB QEMU generates: virt64-dtb.sh dumps it with
	# the runner's machine options and applies the overlay to it.
	if [ -z "$KDTB" ]; then
		build=("$TOP/scripts/virt64-dtb.sh" "$ovl")
	else
		build=("$TOP/scripts/build-dtb.sh" "$board" "$ovl")
	fi
	if ! dtb=$(bash "${build[@]}" 2>"$OUT/$ovl.build.log"); then
		fail "$name" "cannot build the DTB: $(tail -n1 "$OUT/$ovl.build.log")"
		continue
	fi
	if ! dt_validate "$dtb" "$OUT/$ovl.log"; then
		fail "$name" "$ERRS"
	elif [ "$MATCHED" -eq 0 ]; then
		fail "$name" "no node matched $SCHEMA_ID; see $OUT/$ovl.log"
	elif [ -n "$ERRS" ]; then
		echo "$ERRS"
		fail "$name" "$(echo "$ERRS" | head -n1)"
	else
		pass "$name"
	fi
done

# c. Negative control: tests/dt/zynq-broken.dtso on the zynq DTB must be
# rejected, for each of its planted mistakes.
name=dt/validate-detects-broken-node
board_load zynq
out=$BUILD/zynq/dtb
mkdir -p "$out"
if ! kdir=$(bash "$TOP/scripts/build-kernel.sh" zynq) ||
	! dtc -q -@ -I dts -O dtb -o "$out/zynq-broken.dtbo" "$TOP/tests/dt/zynq-broken.dtso" ||
	! fdtoverlay -i "$kdir/arch/$KARCH/boot/dts/$KDTB" -o "$out/zynq-broken.dtb" \
		"$out/zynq-broken.dtbo"; then
	fail "$name" "cannot build $out/zynq-broken.dtb"
elif ! dt_validate "$out/zynq-broken.dtb" "$OUT/zynq-broken.log"; then
	fail "$name" "$ERRS"
else
	echo "$ERRS"
	missing=
	for want in "dmaxfer,tx-bus-width.*not one of" "dmaxfer,tx-maxburst.*minimum" \
		"'dmaxfer,tx-fifo-addr' is a required property" "'dmaxfer,bogus'"; do
		echo "$ERRS" | grep -q -- "$want" || missing+=" [$want]"
	done
	if [ "$MATCHED" -eq 0 ]; then
		fail "$name" "no node matched $SCHEMA_ID; see $OUT/zynq-broken.log"
	elif [ -z "$ERRS" ]; then
		fail "$name" "no error reported for the dmaxfer node; see $OUT/zynq-broken.log"
	elif [ -n "$missing" ]; then
		fail "$name" "not reported:$missing"
	else
		pass "$name"
	fi
fi
