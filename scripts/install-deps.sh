#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# install-deps.sh - install the Debian 12 packages hdabdl needs, only those missing.
#
#   scripts/install-deps.sh [package...]
#
# Without arguments: everything the test command needs. Checks with dpkg-query
# first, so on a machine that has them it does nothing (and needs no network);
# otherwise one `apt-get update` and one `apt-get install`. Needs root (or sudo).
set -euo pipefail

if [ "$#" -gt 0 ]; then
    wanted=("$@")
else
    wanted=(cmake make gcc clang libclang-rt-14-dev libc6-dev pkg-config libcmocka-dev
        libsndfile1-dev libpciaccess-dev
        qemu-system-x86 linux-image-amd64 busybox-static cpio)   # the last four: tests/vm/
fi

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
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y --no-install-recommends "${missing[@]}"
