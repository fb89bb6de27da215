#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# busybox.sh DEBARCH: print the path of a static busybox for the guest
# (armel runs on both ARM boards, arm64 on virt), fetched once from
# Debian's archive into the cache.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

arch=${1:?usage: busybox.sh armel|arm64}
dir=$CACHE/busybox/$arch
# make check's lanes build initramfs images at once: one fetch at a time.
mkdir -p "$CACHE/busybox"
exec 9>"$CACHE/busybox/.lock"
flock 9
if [ ! -x "$dir/bin/busybox" ]; then
	log "fetching busybox-static:$arch"
	tmp=$(mktemp -d)
	chmod 755 "$tmp"
	trap 'rm -rf "$tmp"' EXIT
	(cd "$tmp" && apt-get download -q "busybox-static:$arch" >/dev/null) ||
		die "apt-get download busybox-static:$arch failed (dpkg --add-architecture $arch; apt-get update)"
	rm -rf "$dir"
	mkdir -p "$dir"
	dpkg-deb -x "$tmp"/busybox-static_*.deb "$tmp/x"
	mkdir -p "$dir/bin"
	cp "$tmp/x/bin/busybox" "$dir/bin/busybox"
fi
echo "$dir/bin/busybox"
