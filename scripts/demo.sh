#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# demo.sh - the main job: build the library and the CLI, then play a 1 kHz
# sine for 1 s through a DMA engine of the mock controller into sine.wav.
#
#   scripts/demo.sh                 hdabdl play --backend mock --sine 1000 --seconds 1 --out sine.wav
#   scripts/demo.sh ARGS...         hdabdl ARGS... instead (e.g. play --sine 440 --out a.wav)
#
# Installs missing Debian packages first. Paths are relative to the repository root.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh cmake make gcc libc6-dev pkg-config libsndfile1-dev

cmake -S . -B build/demo -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHDABDL_BUILD_TESTS=OFF
cmake --build build/demo -j "${JOBS:-2}" --target hdabdl_cli

if [ "$#" -eq 0 ]; then
    set -- play --backend mock --sine 1000 --seconds 1 --out sine.wav
fi
exec ./build/demo/bin/hdabdl "$@"
