# SPDX-License-Identifier: GPL-2.0
# rpi3, by hand only (it hangs the guest on purpose; not in any check):
# why dmatest's memcpy hangs QEMU's BCM2835 DMA. With the two-client DTB
# (for the reserved page at 0x3b000000) and no dmaxfer loaded:
#
#   DMAXFER_GUEST_TIMEOUT=30 bash scripts/run-guest.sh rpi3 runaway \
#       rpi3-runaway build/rpi3/dtb/rpi3-two.dtb
#
# It programs channel 4 directly. A control block of 8 bytes (a multiple
# of 4) copies two words and ends. One of 6 bytes, aimed just below the
# controller's own registers (bus 0x7e007000), never ends: the model
# counts the length down by 4 and stops only at 0, and its writes walk
# into its own registers, which QEMU's re-entrancy guard refuses
# ("Blocked re-entrant IO on MemoryRegion: bcm2835-dma at addr: 0x0" on
# QEMU's stderr, in the console log). The console then stops.
CB=0x3b000100			# CPU physical; bus 0xfb000100
CH=0x3f007400			# channel 4's registers (CPU physical)

cb() {	# cb INFO SRC DST LEN: write the control block at $CB
	devmem $CB 32 "$1"
	devmem $((CB + 4)) 32 "$2"
	devmem $((CB + 8)) 32 "$3"
	devmem $((CB + 12)) 32 "$4"
	devmem $((CB + 16)) 32 0
	devmem $((CB + 20)) 32 0
}

devmem 0x3b000000 32 0x11223344
devmem 0x3b000004 32 0x55667788
devmem 0x3b000200 32 0
devmem 0x3b000204 32 0
cb 0x110 0xfb000000 0xfb000200 8	# S_INC | D_INC, 8 bytes
devmem $((CH + 4)) 32 0xfb000100
devmem $CH 32 1				# ACTIVE: the model runs it in this write
echo "DMAXFER-INFO: 8-byte block: CS $(devmem $CH 32), copied $(devmem 0x3b000200 32) $(devmem 0x3b000204 32)"
echo "DMAXFER-INFO: now a 6-byte block towards bus 0x7e007000; the guest stops here"
sleep 1
cb 0x110 0xfb000000 0x7e006ff0 6
devmem $((CH + 4)) 32 0xfb000100
devmem $CH 32 1
echo "DMAXFER-INFO: not reached"
