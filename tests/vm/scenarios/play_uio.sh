# SPDX-License-Identifier: MIT
# play_uio: the same through uio_pci_generic (no vIOMMU in this guest: DMA at
# physical addresses from hugepages). Also the refusals around uio.
bdf="$(find_hda)" || { log "no HDA controller"; return 1; }
load_uio || return 1
bind uio_pci_generic "$bdf" || return 1
echo 8 >/proc/sys/vm/nr_hugepages
log "hugepages: $(cat /proc/sys/vm/nr_hugepages)"
run list hdabdl list
run refuse_no_opt_in hdabdl play --device "$bdf" --mode uio --sine 1000 --seconds 1
run refuse_vfio_mode hdabdl play --device "$bdf" --sine 1000 --seconds 1
run play hdabdl play --device "$bdf" --mode uio --allow-uio --sine 997 --seconds 2
