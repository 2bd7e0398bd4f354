# SPDX-License-Identifier: MIT
# inspect: list, info, regs, codecs, verbs on QEMU's controller (hda-duplex),
# and the refusals before it is bound.
bdf="$(find_hda)" || { log "no HDA controller"; return 1; }
load_vfio || return 1
run list_unbound hdabdl list
run info_unbound hdabdl info --device "$bdf"
bind vfio-pci "$bdf" || return 1
run list hdabdl list
run list_json hdabdl list --json
run regs_as_found hdabdl regs --device "$bdf"
run info hdabdl info --device "$bdf"
run info_json hdabdl info --device "$bdf" --json
run regs hdabdl regs --device "$bdf" --open
run codecs hdabdl codecs --device "$bdf"
run codecs_json hdabdl codecs --device "$bdf" --json
run verbs hdabdl verbs --device "$bdf" 0 0 0xf00 0 0 1 0xf00 4 0 2 0xf00 9 0 4 0xf00 0xe
run regs_after hdabdl regs --device "$bdf"
