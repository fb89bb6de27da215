# SPDX-License-Identifier: GPL-2.0
# Load the KUnit modules and print each suite's KTAP results between
# markers: the host feeds them to kunit.py parse (the boot-time empty
# KTAP header would confuse it if fed the whole console).
# dmasim first: the engine suite runs on two of its channels.
check "insmod-dmasim" insmod /lib/modules/dmasim.ko
check "insmod-dmaxfer" insmod /lib/modules/dmaxfer.ko
for m in /lib/modules/*_kunit.ko; do
	[ -f "$m" ] || continue
	insmod "$m" || result FAIL "insmod-$(basename "$m" .ko)"
done
for r in /sys/kernel/debug/kunit/*/results; do
	[ -r "$r" ] || continue
	echo "DMAXFER-KTAP-BEGIN $(basename "$(dirname "$r")")"
	cat "$r"
	echo "DMAXFER-KTAP-END"
done
for m in /lib/modules/*_kunit.ko; do
	[ -f "$m" ] && rmmod "$(basename "$m" .ko)"
done
check "rmmod-dmaxfer" rmmod dmaxfer
check "rmmod-dmasim" rmmod dmasim
