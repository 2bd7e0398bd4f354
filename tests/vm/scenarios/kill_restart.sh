# SPDX-License-Identifier: MIT
# kill_restart: a play stopped by SIGTERM tears down cleanly (exit 143, no
# stream running after); a play killed by SIGKILL mid-stream cannot, and the
# next run must still bring the controller up and play correctly (hda-duplex).
bdf="$(find_hda)" || { log "no HDA controller"; return 1; }
load_vfio || return 1
bind vfio-pci "$bdf" || return 1

background play_term hdabdl play --device "$bdf" --sine 441 --seconds 30
sleep 3
kill -TERM "$bg_pid"
finish play_term
run regs_after_term hdabdl regs --device "$bdf"

background play_kill hdabdl play --device "$bdf" --sine 441 --seconds 30
sleep 3
kill -KILL "$bg_pid"
finish play_kill
run regs_after_kill hdabdl regs --device "$bdf"

run play hdabdl play --device "$bdf" --sine 997 --seconds 2
