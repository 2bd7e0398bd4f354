#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# install-deps.sh - install the Debian 12 packages hdabdl needs, only those missing.
#
#   scripts/install-deps.sh [package...]
#
# Without arguments: everything the test command needs, the cross-compilation
# step (scripts/cross.sh) included. Checks with dpkg-query first, so on a
# machine that has them it does nothing (and needs no network); otherwise one
# `apt-get update` and one `apt-get install`. Needs root (or sudo).
#
# Packages named pkg:arch (libcmocka-dev:i386) come from a foreign dpkg
# architecture; it is added first (dpkg --add-architecture) when missing.
# Never install gcc-multilib: it conflicts with the cross compilers
# (gcc-i686-linux-gnu, gcc-s390x-linux-gnu), so it is refused here.
set -euo pipefail

if [ "$#" -gt 0 ]; then
    wanted=("$@")
else
    wanted=(cmake make gcc clang libclang-rt-14-dev libc6-dev pkg-config python3 libcmocka-dev
        libsndfile1-dev libpciaccess-dev
        qemu-system-x86 linux-image-amd64 linux-headers-amd64 busybox-static cpio   # these five: tests/vm/
        # scripts/cross.sh: Debian's cross compilers with their C libraries, cmocka
        # of the two targets whose tests run under qemu-user, and qemu-user itself;
        # libpciaccess for i686's pciaccess backend tests (s390x builds without it:
        # Debian 12's zlib1g:s390x lags the security update of zlib1g).
        gcc-i686-linux-gnu libc6-dev-i386-cross libcmocka-dev:i386 libpciaccess-dev:i386
        gcc-s390x-linux-gnu libc6-dev-s390x-cross libcmocka-dev:s390x
        gcc-aarch64-linux-gnu libc6-dev-arm64-cross
        gcc-mingw-w64-x86-64 binutils-mingw-w64-x86-64
        qemu-user-static)
fi

for pkg in "${wanted[@]}"; do
    if [ "$pkg" = gcc-multilib ] || [ "$pkg" = g++-multilib ]; then
        echo "install-deps: refusing $pkg: it conflicts with the cross compilers (scripts/cross.sh)" >&2
        exit 1
    fi
done

missing=()
for pkg in "${wanted[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$pkg")
    fi
done
if [ "${#missing[@]}" -eq 0 ]; then
    exit 0
fi

echo "install-deps: installing ${missing[*]}"
if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-deps: apt-get not found; install these yourself: ${missing[*]}" >&2
    exit 1
fi
as_root=()
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        as_root=(sudo)
    else
        echo "install-deps: not root and no sudo; install these yourself: ${missing[*]}" >&2
        exit 1
    fi
fi
# Foreign architectures of the missing pkg:arch packages.
for pkg in "${missing[@]}"; do
    case "$pkg" in
    *:*)
        arch="${pkg##*:}"
        if [ "$arch" != "$(dpkg --print-architecture)" ] &&
            ! dpkg --print-foreign-architectures | grep -qx "$arch"; then
            echo "install-deps: adding the dpkg architecture $arch"
            "${as_root[@]}" dpkg --add-architecture "$arch"
        fi
        ;;
    esac
done
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y --no-install-recommends "${missing[@]}"
