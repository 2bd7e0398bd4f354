#!/usr/bin/env bash
# test.sh - the test command (also what CI runs through .ci/run).
#
# Installs missing Debian packages, then builds and tests twice, warnings as
# errors both times:
#   build/gcc-asan  gcc, Debug, ASan + UBSan
#   build/clang     clang, RelWithDebInfo (-O2), no sanitizers; also the QEMU
#                   guest tests (label vm, about a minute and a half)
# and runs each build's CTest suite. Stops at the first failure (non-zero).
# JOBS (default 2) sets the parallelism.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh

jobs="${JOBS:-2}"

# A build folder configured from another checkout can't be reused.
fresh_build_dir() {
    local dir="$1"
    if [ -f "$dir/CMakeCache.txt" ] &&
        ! grep -qx "CMAKE_HOME_DIRECTORY:INTERNAL=$PWD" "$dir/CMakeCache.txt"; then
        rm -rf "$dir"
    fi
}

build_and_test() {
    local name="$1" cc="$2"
    shift 2
    local dir="build/$name"
    fresh_build_dir "$dir"
    echo "==== $name: configure"
    cmake -S . -B "$dir" -DCMAKE_C_COMPILER="$cc" -DHDABDL_WERROR=ON "$@"
    echo "==== $name: build"
    cmake --build "$dir" -j "$jobs"
    echo "==== $name: test"
    (cd "$dir" && ctest --output-on-failure --no-label-summary -j "$jobs")
}

# The QEMU guest tests (CTest label vm, tests/vm/) run once, from the clang
# build: they boot a guest that runs that build's CLI (not a sanitized one).
# install-deps.sh installed what they need, so there a missing piece fails
# (HDABDL_VM_REQUIRE=1) instead of skipping.
build_and_test gcc-asan gcc -DCMAKE_BUILD_TYPE=Debug -DHDABDL_SANITIZE=ON -DHDABDL_VM_TESTS=OFF
HDABDL_VM_REQUIRE=1 build_and_test clang clang -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DHDABDL_WITH_PCIACCESS=ON -DHDABDL_VM_TESTS=ON
