# SPDX-License-Identifier: MIT
# kmod_rmmod: rmmod while hdabdl_demo plays (the engine stops, everything is
# freed), a second insmod that plays to the end, then unbind and bind the
# controller (the driver plays again: the last 2 s of the WAV), and rmmod.
bdf="$(find_hda)" || { log "no HDA controller"; return 1; }
unbind_any "$bdf"
run insmod_long insmod /lib/modules/hdabdl_demo.ko freq=997 seconds=10
wait_dmesg "hdabdl_demo: playing" 60
sleep 1
run rmmod_mid rmmod hdabdl_demo
run insmod insmod /lib/modules/hdabdl_demo.ko freq=997 seconds=2
wait_dmesg_count "hdabdl_demo: (done|failed)" 2 60
run unbind sh -c "echo $bdf >/sys/bus/pci/drivers/hdabdl_demo/unbind"
run bind sh -c "echo $bdf >/sys/bus/pci/drivers/hdabdl_demo/bind"
wait_dmesg_count "hdabdl_demo: (done|failed)" 3 60
run rmmod rmmod hdabdl_demo
emit_dmesg
