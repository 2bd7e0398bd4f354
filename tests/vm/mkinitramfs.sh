#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# mkinitramfs.sh - build the guest's initramfs for the hdabdl VM tests.
#
#   tests/vm/mkinitramfs.sh OUT.cpio.gz KERNEL_RELEASE PROGRAM...
#
# The image holds:
#   /bin/busybox (busybox-static; applets are linked at boot by /init)
#   /lib/modules/*.ko  irqbypass, vfio, vfio_iommu_type1, vfio_virqfd,
#                      vfio-pci-core, vfio-pci, uio, uio_pci_generic from
#                      /lib/modules/KERNEL_RELEASE (uncompressed .ko, loaded by insmod)
#   /bin/<name> for every PROGRAM, with the shared libraries ldd lists at the
#                      same paths as on the host (so the dynamic loader finds them);
#                      a PROGRAM ending in .ko (a module built for KERNEL_RELEASE,
#                      e.g. kmod/hdabdl_demo.ko) goes to /lib/modules/<name> instead
#   /init and /scenarios/*.sh from this folder
# No device nodes are needed: /init mounts devtmpfs and reopens the console.
# Needs: busybox-static, cpio, gzip. Exits 1 with a message if one is missing.
set -euo pipefail

if [ "$#" -lt 3 ]; then
    echo "usage: $0 OUT.cpio.gz KERNEL_RELEASE PROGRAM..." >&2
    exit 2
fi
out="$1"
kver="$2"
shift 2
here="$(cd "$(dirname "$0")" && pwd)"

busybox=""
for b in /bin/busybox /usr/bin/busybox; do
    if [ -x "$b" ]; then busybox="$b"; break; fi
done
# The busybox package's binary is dynamic; busybox-static's needs no libraries.
if [ -z "$busybox" ] || LC_ALL=C ldd "$busybox" >/dev/null 2>&1; then
    echo "mkinitramfs: a static busybox is needed (apt-get install busybox-static)" >&2
    exit 1
fi
for tool in cpio gzip ldd; do
    command -v "$tool" >/dev/null || { echo "mkinitramfs: $tool not found" >&2; exit 1; }
done
moddir="/lib/modules/$kver"
if [ ! -f "$moddir/modules.dep" ]; then
    echo "mkinitramfs: $moddir/modules.dep not found (apt-get install linux-image-amd64)" >&2
    exit 1
fi

stage="$(mktemp -d "${TMPDIR:-/tmp}/hdabdl-initramfs.XXXXXX")"
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage"/{bin,sbin,dev,proc,sys,tmp,lib/modules,scenarios,usr/bin,usr/sbin,root}
cp "$busybox" "$stage/bin/busybox"

# Modules in dependency order (modules.dep); each one a plain .ko.
for m in irqbypass vfio vfio_iommu_type1 vfio_virqfd vfio-pci-core vfio-pci uio uio_pci_generic; do
    rel="$(grep -E "(^|/)$m\.ko(\.(xz|zst|gz))?:" "$moddir/modules.dep" | head -n1 | cut -d: -f1)"
    if [ -z "$rel" ]; then
        echo "mkinitramfs: module $m not in $moddir/modules.dep" >&2
        exit 1
    fi
    src="$moddir/$rel"
    case "$src" in
    *.ko) cp "$src" "$stage/lib/modules/$m.ko" ;;
    *.ko.xz) xz -dc "$src" >"$stage/lib/modules/$m.ko" ;;
    *.ko.zst) zstd -qdc "$src" >"$stage/lib/modules/$m.ko" ;;
    *.ko.gz) gzip -dc "$src" >"$stage/lib/modules/$m.ko" ;;
    esac
done

# Programs and their shared libraries (paths as ldd prints them; mawk has no \s).
copy_lib() {
    local path="$1"
    [ -e "$stage$path" ] && return 0
    mkdir -p "$stage$(dirname "$path")"
    cp -L "$path" "$stage$path"
}
for prog in "$@"; do
    name="$(basename "$prog")"
    if [ "${name%.ko}" != "$name" ]; then
        cp "$prog" "$stage/lib/modules/$name"
        continue
    fi
    cp "$prog" "$stage/bin/$name"
    if LC_ALL=C ldd "$prog" >/dev/null 2>&1; then
        LC_ALL=C ldd "$prog" | awk '
            /=>[[:space:]]*\// { print $3; next }
            /^[[:space:]]*\// { print $1 }' | while read -r lib; do
            copy_lib "$lib"
        done
    fi
done

cp "$here/init" "$stage/init"
chmod 755 "$stage/init"
cp "$here"/scenarios/*.sh "$stage/scenarios/"

mkdir -p "$(dirname "$out")"
(cd "$stage" && find . -print0 | LC_ALL=C sort -z |
    cpio --null -o -H newc --owner=0:0 --quiet) | gzip -6 >"$out.tmp"
mv "$out.tmp" "$out"
echo "mkinitramfs: $out ($(du -k "$out" | cut -f1) KiB; kernel modules of $kver)"
