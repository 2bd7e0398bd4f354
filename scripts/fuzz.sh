#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# fuzz.sh - run every libFuzzer target in fuzz/ for a while, each with its corpus.
#
#   scripts/fuzz.sh SECONDS [TARGET...]
#
# Builds build/fuzz (clang, HDABDL_BUILD_FUZZERS=ON) if needed, then runs each
# target (default: all of them, one after the other) for SECONDS with its
# corpus in corpus/<target>/ (created; libFuzzer adds the inputs it finds
# there), fuzz_codec_parse with its dictionary and the hda-emu dumps next to
# the source tree as read-only seeds. A crash, leak or timeout input is kept
# in corpus/<target>/artifacts/. Prints each target's executions at the end;
# exits non-zero if any target found a failure. CI runs only the short smoke
# runs (ctest -L fuzz); this is for longer campaigns.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$#" -lt 1 ] || ! [[ "$1" =~ ^[0-9]+$ ]] || [ "$1" -eq 0 ]; then
    echo "usage: $0 SECONDS [TARGET...]   (SECONDS: a whole number above 0)" >&2
    exit 2
fi
seconds="$1"
shift
all=(fuzz_codec_parse fuzz_mock_mmio fuzz_ddi fuzz_hostile)
targets=("$@")
[ "${#targets[@]}" -gt 0 ] || targets=("${all[@]}")
for t in "${targets[@]}"; do
    [[ " ${all[*]} " == *" $t "* ]] || { echo "$0: unknown target '$t' (one of: ${all[*]})" >&2; exit 2; }
done

bash scripts/install-deps.sh cmake make clang libclang-rt-14-dev
dir=build/fuzz
cmake -S . -B "$dir" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DHDABDL_WERROR=ON -DHDABDL_BUILD_FUZZERS=ON -DHDABDL_BUILD_TESTS=OFF \
    -DHDABDL_BUILD_TOOLS=OFF -DHDABDL_BUILD_EXAMPLES=OFF -DHDABDL_BUILD_BENCH=OFF \
    -DHDABDL_WITH_PCIACCESS=OFF >/dev/null
cmake --build "$dir" -j "${JOBS:-2}" --target "${targets[@]}"

status=0
summary=()
for t in "${targets[@]}"; do
    corpus="corpus/$t"
    mkdir -p "$corpus/artifacts"
    extra=()
    case "$t" in
    fuzz_codec_parse)
        extra=(-dict=fuzz/codec_parse.dict)
        seeds=../shared/codecs/hda-emu
        ;;
    fuzz_mock_mmio) extra=(-max_len=4096); seeds="" ;;
    fuzz_ddi) extra=(-max_len=1024); seeds="" ;;
    fuzz_hostile) extra=(-max_len=8192); seeds="" ;;
    esac
    dirs=("$corpus")
    if [ -n "$seeds" ] && [ -d "$seeds" ]; then dirs+=("$seeds"); fi
    echo "==== $t: ${seconds} s, corpus $corpus"
    log="$corpus/last-run.log"
    rc=0
    "$dir/fuzz/$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$corpus/artifacts/" "${extra[@]}" "${dirs[@]}" 2>"$log" || rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n1)
    cov=$(grep -Eo 'cov: [0-9]+' "$log" | tail -n1)
    summary+=("$t: ${execs:-?} executions in ${seconds} s, ${cov:-cov: ?}, corpus $(ls "$corpus" | wc -l) entries, exit $rc")
    if [ "$rc" -ne 0 ]; then
        status=1
        tail -n 30 "$log"
    fi
done
echo "==== fuzz.sh summary"
printf '%s\n' "${summary[@]}"
exit "$status"
