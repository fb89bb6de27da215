# SPDX-License-Identifier: GPL-2.0
# Print the driver's gcov data (kept by the kernel across rmmod) as base64
# between markers, for scripts/coverage.sh to turn back into .gcda files.
n=0
for f in $(find /sys/kernel/debug/gcov -path '*drivers/dmaxfer/*.gcda'); do
	echo "DMAXFER-GCDA-BEGIN ${f##*/}"
	base64 "$f"
	echo "DMAXFER-GCDA-END"
	n=$((n + 1))
done
expect_ge "gcov-files" "$n" 1
