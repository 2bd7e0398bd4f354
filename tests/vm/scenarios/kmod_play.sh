# SPDX-License-Identifier: MIT
# kmod_play: the kernel module hdabdl_demo (the hdabdl core inside this
# kernel, over the kernel HAL) plays a 997 Hz sine for 2 s through QEMU's
# intel-hda behind the vIOMMU; then rmmod. The kernel log goes to the host.
bdf="$(find_hda)" || { log "no HDA controller"; return 1; }
unbind_any "$bdf"
# A parameter out of range: the module loads, the probe refuses and says why.
run insmod_bad insmod /lib/modules/hdabdl_demo.ko freq=0
run rmmod_bad rmmod hdabdl_demo
run insmod insmod /lib/modules/hdabdl_demo.ko freq=997 seconds=2
wait_dmesg "hdabdl_demo: (done|failed)" 60
run rmmod rmmod hdabdl_demo
emit_dmesg
