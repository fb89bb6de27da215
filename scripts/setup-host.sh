#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Install everything the build and the tests need on a Debian 12 host
# (the kernel sources of both LTS series the QEMU boards are built from:
# KSERIES_ALL in lib.sh).
# Idempotent: it only calls apt-get when something is missing.
set -euo pipefail

PKGS=(linux-source-6.12 linux-source-6.1 gcc-aarch64-linux-gnu gcc-arm-linux-gnueabihf
      gcc-arm-linux-gnueabi qemu-system-arm device-tree-compiler dt-schema
      libc6-dev-armel-cross libc6-dev-armhf-cross libc6-dev-arm64-cross
      sparse ccache bc bison flex libssl-dev libelf-dev cpio xz-utils
      python3 kmod make rsync python3-sphinx
      dkms linux-headers-amd64 linux-headers-6.12-amd64)
# The last three: scripts/host-headers.sh and scripts/dkms-check.sh build
# the modules against Debian 12's own amd64 header packages, the 6.1 one
# (linux-headers-amd64) and the 6.12 one (the linux-headers-6.12-amd64
# metapackage of bookworm, which follows its newest 6.12.x+deb12-amd64).
# An installed metapackage is not upgraded here: that keeps this fast and
# offline; apt-get upgrade moves it on. Debian's 6.12 header package
# depends on its kernel image, so linux-image-6.12.*-amd64 comes along
# (with an initramfs, and a boot menu entry where a boot loader is set up).
# Nothing here boots it.
FOREIGN=(armel arm64)

SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing+=("$p")
done
need_arch=0
for a in "${FOREIGN[@]}"; do
	dpkg --print-foreign-architectures | grep -qx "$a" || need_arch=1
done

if [ ${#missing[@]} -gt 0 ] || [ "$need_arch" -eq 1 ]; then
	for a in "${FOREIGN[@]}"; do
		$SUDO dpkg --add-architecture "$a"
	done
	# A foreign index may fail to update while main still works: go on.
	$SUDO apt-get update -qq || true
	if [ ${#missing[@]} -gt 0 ]; then
		echo "setup: installing ${missing[*]}"
		DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
			--no-install-recommends "${missing[@]}"
	fi
fi
echo "setup: host ready"
