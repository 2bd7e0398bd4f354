#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# test.sh - the test command (also what CI runs through .ci/run).
#
# Installs missing Debian packages, then builds and tests four times, warnings
# as errors each time, with the cross builds after the first:
#   build/gcc-asan  gcc, Debug, ASan + UBSan: the whole suite
#   stack report    scripts/stack_report.py: every core function at most 512
#                   bytes of stack, no VLA, alloca or recursion, and the
#                   worst-case stack of each entry point within 2 KiB (interrupt
#                   and timer paths) or 4 KiB (the rest); prints the table
#   build/cross-*   scripts/cross.sh: i686 and s390x (big-endian) run the cmocka
#                   suite under qemu-user, aarch64 and Windows x64 (mingw-w64)
#                   build the library, and on each of them and natively the
#                   core's objects may use nothing outside but memcpy, memset,
#                   memmove and memcmp (scripts/check_core_symbols.sh); about a
#                   minute. HDABDL_SKIP_CROSS=1 skips it (local runs only)
#   build/tsan      clang, ThreadSanitizer: the tests where threads, interrupts
#                   and callbacks meet (tests/tsan.supp lists the by-design races)
#   build/fuzz      clang, libFuzzer + ASan + UBSan: a short smoke run of each
#                   fuzz target (fuzz/, CTest label fuzz; a few seconds each)
#   build/clang     clang, RelWithDebInfo (-O2), no sanitizers: the whole suite,
#                   and the QEMU guest tests (label vm, about a minute and a half)
# Stops at the first failure (non-zero); the last lines are clang's CTest summary.
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

tsan_tests='^test_ddi_(threads|verbs|events|notify|interrupts|irql|clients)$'
tsan_targets=(test_ddi_threads test_ddi_verbs test_ddi_events test_ddi_notify test_ddi_interrupts
              test_ddi_irql test_ddi_clients)
thread_sanitizer() {
    local dir=build/tsan
    fresh_build_dir "$dir"
    echo "==== tsan: configure"
    cmake -S . -B "$dir" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DCMAKE_C_FLAGS=-fsanitize=thread -DCMAKE_EXE_LINKER_FLAGS=-fsanitize=thread \
        -DHDABDL_WERROR=ON -DHDABDL_BUILD_TOOLS=OFF -DHDABDL_BUILD_EXAMPLES=OFF \
        -DHDABDL_BUILD_BENCH=OFF -DHDABDL_WITH_PCIACCESS=OFF -DHDABDL_VM_TESTS=OFF
    echo "==== tsan: build"
    cmake --build "$dir" -j "$jobs" --target "${tsan_targets[@]}"
    echo "==== tsan: test"
    (cd "$dir" && TSAN_OPTIONS="halt_on_error=1 suppressions=$PWD/../../tests/tsan.supp" \
        ctest --output-on-failure --no-label-summary -j "$jobs" -R "$tsan_tests")
}

# The libFuzzer targets (fuzz/): build them and run each a few thousand times
# (HDABDL_FUZZ_RUNS, HDABDL_FUZZ_MAX_TIME); README "Fuzzing" says how to run
# them for longer.
fuzz_smoke() {
    local dir=build/fuzz
    fresh_build_dir "$dir"
    echo "==== fuzz: configure"
    cmake -S . -B "$dir" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DHDABDL_WERROR=ON -DHDABDL_BUILD_FUZZERS=ON -DHDABDL_BUILD_TESTS=OFF \
        -DHDABDL_BUILD_TOOLS=OFF -DHDABDL_BUILD_EXAMPLES=OFF -DHDABDL_BUILD_BENCH=OFF \
        -DHDABDL_WITH_PCIACCESS=OFF
    echo "==== fuzz: build"
    cmake --build "$dir" -j "$jobs"
    echo "==== fuzz: test"
    (cd "$dir" && ctest --output-on-failure --no-label-summary -j "$jobs" -L fuzz)
}

# The QEMU guest tests (CTest label vm, tests/vm/) run once, from the clang
# build: they boot a guest that runs that build's CLI (not a sanitized one).
# install-deps.sh installed what they need, so there a missing piece fails
# (HDABDL_VM_REQUIRE=1) instead of skipping.
build_and_test gcc-asan gcc -DCMAKE_BUILD_TYPE=Debug -DHDABDL_SANITIZE=ON -DHDABDL_VM_TESTS=OFF
echo "==== stack report"
python3 scripts/stack_report.py --self-test >/dev/null
python3 scripts/stack_report.py --include-dir build/gcc-asan/include --no-paths
if [ "${HDABDL_SKIP_CROSS:-0}" = 1 ]; then
    echo "==== cross: skipped (HDABDL_SKIP_CROSS=1)"
else
    JOBS="$jobs" bash scripts/cross.sh
fi
thread_sanitizer
fuzz_smoke
HDABDL_VM_REQUIRE=1 build_and_test clang clang -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DHDABDL_WITH_PCIACCESS=ON -DHDABDL_VM_TESTS=ON
