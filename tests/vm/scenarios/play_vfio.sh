# SPDX-License-Identifier: MIT
# play_vfio: play a 997 Hz sine for 2 s through vfio-pci behind the vIOMMU
# (hda-output; QEMU writes what it receives to a WAV file on the host).
bdf="$(find_hda)" || { log "no HDA controller"; return 1; }
load_vfio || return 1
bind vfio-pci "$bdf" || return 1
run list hdabdl list
run play hdabdl play --device "$bdf" --sine 997 --seconds 2
