# SPDX-License-Identifier: MIT
# capture: record 2 s on hda-duplex's line in (QEMU's `none` audiodev gives
# silence at the real rate); the WAV goes to the host.
bdf="$(find_hda)" || { log "no HDA controller"; return 1; }
load_vfio || return 1
bind vfio-pci "$bdf" || return 1
run capture hdabdl capture --device "$bdf" --seconds 2 --out /tmp/capture.wav
[ -f /tmp/capture.wav ] && emit_base64 capture_wav /tmp/capture.wav
run regs_after hdabdl regs --device "$bdf"
