#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# cross.sh - cross-compiled builds and the freestanding-core check (a step of
# scripts/test.sh; run it alone the same way).
#
#   scripts/cross.sh [TARGET...]      TARGETs: i686 s390x aarch64 mingw native
#                                     (default: all five, in that order)
#
# Each target builds in build/cross-<target> (RelWithDebInfo, warnings as
# errors, toolchain files in cmake/toolchains/):
#   i686     i686-linux-gnu-gcc: 32-bit pointers and size_t, 64-bit division
#            through libgcc. Builds everything but the CLI (the pciaccess backend
#            included) and runs the whole CTest suite under qemu-i386-static: every
#            cmocka test, the examples and the benchmark
#   s390x    s390x-linux-gnu-gcc: big-endian. The same under qemu-s390x-static,
#            without the pciaccess backend (libpciaccess-dev:s390x is not
#            installable on Debian 12 next to the updated zlib1g)
#   aarch64  aarch64-linux-gnu-gcc: the library (core + mock) only
#   mingw    x86_64-w64-mingw32-gcc (Windows x64): the library only
#   native   gcc for this machine, no sanitizers: the core's objects only
# and then, for every target, scripts/check_core_symbols.sh with the target's nm
# (i686-linux-gnu-nm, ...) on the core's objects (hdabdl_core_objects.txt): the
# core may use nothing from outside but memcpy, memset, memmove and memcmp.
# On the library-only targets the core is built first on its own, so the
# symbol check runs even when the mock does not build there.
#
# The CTest label "package" is left out under emulation: its consumer is built
# without the toolchain file and run without qemu (the native builds of
# test.sh run it). The CLI and its tests (labels cli, vm) are not built here:
# they need the target's libsndfile.
#
# Every step is timed. A failed step skips what depends on it, the other
# targets still run; the end is a summary (steps, seconds, failing tests and
# cmocka cases, the symbol check of each target), and the exit status is 1 if
# anything failed. JOBS (default 2) sets the parallelism.
set -euo pipefail
cd "$(dirname "$0")/.."

jobs="${JOBS:-2}"
all_targets=(i686 s390x aarch64 mingw native)
if [ "$#" -gt 0 ]; then
    targets=("$@")
else
    targets=("${all_targets[@]}")
fi
for t in "${targets[@]}"; do
    case " ${all_targets[*]} " in
    *" $t "*) ;;
    *) echo "cross.sh: unknown target '$t' (known: ${all_targets[*]})" >&2; exit 2 ;;
    esac
done

summary=()     # one line per step
details=()     # failing tests and symbol check lines, printed after the summary
failed=0
t_total_start=$(date +%s%N)

seconds_since() {   # seconds since a date +%s%N, one decimal
    local ns=$(($(date +%s%N) - $1))
    printf '%d.%d' $((ns / 1000000000)) $((ns / 100000000 % 10))
}

# step TARGET NAME COMMAND...: run, time, record; returns the command's status.
step() {
    local target="$1" name="$2"
    shift 2
    echo "==== cross $target: $name"
    local start rc=0 secs result
    start=$(date +%s%N)
    "$@" || rc=$?
    secs=$(seconds_since "$start")
    if [ "$rc" -eq 0 ]; then
        result=ok
    else
        result="FAILED (exit $rc)"
        failed=1
    fi
    echo "---- cross $target: $name: $result, $secs s"
    summary+=("$(printf '%-8s %-10s %6s s  %s' "$target" "$name" "$secs" "$result")")
    return "$rc"
}

# A build folder configured from another checkout can't be reused.
fresh_build_dir() {
    local dir="$1"
    if [ -f "$dir/CMakeCache.txt" ] &&
        ! grep -qx "CMAKE_HOME_DIRECTORY:INTERNAL=$PWD" "$dir/CMakeCache.txt"; then
        rm -rf "$dir"
    fi
}

configure() {
    local dir="$1"
    shift
    fresh_build_dir "$dir"
    cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHDABDL_WERROR=ON \
        -DHDABDL_BUILD_TOOLS=OFF "$@"
}

# The cmocka tests that must be registered: one per tests/test_*.c, the
# pciaccess ones only where the backend is built.
check_registered() {
    local dir="$1" pciaccess="$2" missing=() name
    local registered
    registered="$(cd "$dir" && ctest -N -L unit | sed -n 's/^ *Test *#[0-9]*: *//p')"
    for src in tests/test_*.c; do
        name="$(basename "$src" .c)"
        if [ "$pciaccess" = OFF ] && [[ "$name" == test_pciaccess_* ]]; then
            continue
        fi
        grep -qx "$name" <<<"$registered" || missing+=("$name")
    done
    if [ "${#missing[@]}" -gt 0 ]; then
        echo "cross.sh: cmocka tests not registered with CTest in $dir: ${missing[*]}" >&2
        return 1
    fi
    echo "cross.sh: $(wc -l <<<"$registered") cmocka tests registered in $dir"
}

# Failing CTest tests of the last run in DIR, one line each, with their failed
# cmocka cases (FAILED, or ERROR in a setup/teardown) and the first assertion.
failed_tests_report() {
    local target="$1" dir="$2"
    [ -f "$dir/Testing/Temporary/LastTest.log" ] || return 0
    awk -v target="$target" '
    function flush() {
        if (name != "" && failed_test) {
            line = sprintf("%s %s:", target, name)
            if (ncases > 0) {
                line = line sprintf(" %d of %s cmocka cases failed:", ncases, total == "" ? "?" : total)
                for (i = 1; i <= ncases && i <= 4; i++) line = line " " cases[i]
                if (ncases > 4) line = line sprintf(" (+%d more)", ncases - 4)
            } else {
                line = line " " (status == "" ? "failed" : status) " (no cmocka case reported)"
                if (last != "") line = line "; last output: " last
            }
            if (first != "") line = line "; first: " first
            print line
        }
        name = ""; failed_test = 0; ncases = 0; total = ""; first = ""; status = ""; last = ""
        out = 0
        delete seen
    }
    /^[0-9]+\/[0-9]+ Test: / { flush(); name = $3; next }
    /^Output:$/ { out = 1; next }
    /^<end of output>$/ { out = 0; next }
    out && /[^ -]/ { last = substr($0, 1, 160) }
    !out && /^Test Failed/ { failed_test = 1; if (status == "") status = "failed" }
    !out && /[Tt]ime ?out/ { if (name != "") status = "timeout" }
    /^\[  (FAILED|ERROR)   ?\] [A-Za-z_][A-Za-z0-9_]* *$/ {
        c = $NF
        if (!(c in seen)) { seen[c] = 1; cases[++ncases] = c }
    }
    /^\[==========\] [0-9]+ test\(s\) run\./ { total = $2 }
    /\[   LINE   \] --- / && first == "" {
        sub(/.*\[   LINE   \] --- /, ""); sub(/: error: Failure!.*/, "")
        sub(/^.*\/tests\//, "tests/"); first = $0
    }
    END { flush() }' "$dir/Testing/Temporary/LastTest.log"
}

run_tests() {
    local target="$1" dir="$2"
    (cd "$dir" && HDABDL_SWEEP_STRIDE="${HDABDL_SWEEP_STRIDE:-8}" ctest --output-on-failure --no-label-summary -j "$jobs" -LE '^package$')
}

symbols() {
    local target="$1" dir="$2" nm="$3" out rc=0
    local objs=()
    mapfile -t objs <"$dir/hdabdl_core_objects.txt"
    out="$(bash scripts/check_core_symbols.sh --label "$target" "$nm" "${objs[@]}")" || rc=$?
    printf '%s\n' "$out"
    details+=("$(tail -n 1 <<<"$out")")
    return "$rc"
}

# Emulated targets: build everything, run the suite, check the symbols.
emulated() {
    local target="$1" toolchain="$2" nm="$3" pciaccess="$4"
    local dir="build/cross-$target"
    step "$target" configure configure "$dir" --toolchain "cmake/toolchains/$toolchain.cmake" \
        -DHDABDL_WITH_PCIACCESS="$pciaccess" || return 0
    step "$target" build cmake --build "$dir" -j "$jobs" || return 0
    step "$target" registered check_registered "$dir" "$pciaccess" || true
    if ! step "$target" test run_tests "$target" "$dir"; then
        local line
        while IFS= read -r line; do
            [ -n "$line" ] && details+=("$line")
        done < <(failed_tests_report "$target" "$dir")
    fi
    step "$target" symbols symbols "$target" "$dir" "$nm" || true
}

# Library-only targets: the core on its own (for the symbol check), then the
# library, then the check.
library_only() {
    local target="$1" toolchain="$2" nm="$3"
    local dir="build/cross-$target"
    step "$target" configure configure "$dir" --toolchain "cmake/toolchains/$toolchain.cmake" \
        -DHDABDL_BUILD_TESTS=OFF -DHDABDL_BUILD_EXAMPLES=OFF -DHDABDL_BUILD_BENCH=OFF \
        -DHDABDL_WITH_PCIACCESS=OFF || return 0
    local core_ok=1
    step "$target" core cmake --build "$dir" -j "$jobs" --target hdabdl_core || core_ok=0
    # Keep going after the first error, so every file that fails is listed.
    local keep_going=()
    case "$(sed -n 's/^CMAKE_GENERATOR:INTERNAL=//p' "$dir/CMakeCache.txt")" in
    *Makefiles) keep_going=(-- -k) ;;
    Ninja*) keep_going=(-- -k 0) ;;
    esac
    if ! step "$target" library cmake --build "$dir" -j "$jobs" --target hdabdl "${keep_going[@]}"; then
        details+=("$target library: does not build (the errors are above, under '==== cross $target: library')")
    fi
    if [ "$core_ok" -eq 1 ]; then
        step "$target" symbols symbols "$target" "$dir" "$nm" || true
    fi
}

native() {
    local dir="build/cross-native"
    step native configure configure "$dir" -DCMAKE_C_COMPILER=gcc \
        -DHDABDL_BUILD_TESTS=OFF -DHDABDL_BUILD_EXAMPLES=OFF -DHDABDL_BUILD_BENCH=OFF \
        -DHDABDL_WITH_PCIACCESS=OFF || return 0
    step native core cmake --build "$dir" -j "$jobs" --target hdabdl_core || return 0
    step native symbols symbols native "$dir" nm || true
}

for t in "${targets[@]}"; do
    case "$t" in
    i686) emulated i686 i686-linux-gnu i686-linux-gnu-nm ON ;;
    s390x) emulated s390x s390x-linux-gnu s390x-linux-gnu-nm OFF ;;
    aarch64) library_only aarch64 aarch64-linux-gnu aarch64-linux-gnu-nm ;;
    mingw) library_only mingw x86_64-w64-mingw32 x86_64-w64-mingw32-nm ;;
    native) native ;;
    esac
done

echo
echo "==== cross summary ($(seconds_since "$t_total_start") s in all)"
printf '%s\n' "${summary[@]}"
if [ "${#details[@]}" -gt 0 ]; then
    echo "----"
    printf '%s\n' "${details[@]}"
fi
if [ "$failed" -ne 0 ]; then
    echo "cross.sh: FAILED"
    exit 1
fi
echo "cross.sh: all targets OK"
