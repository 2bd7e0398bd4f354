# SPDX-License-Identifier: MIT
# run_smoke.cmake - one short libFuzzer run (the CTest smoke test of a target).
#
#   cmake -DFUZZER=<exe> -DWORK=<dir> -DRUNS=<n> -DMAX_TIME=<s> [-DSEEDS=<dir>] [-DDICT=<file>]
#         -P run_smoke.cmake
#
# libFuzzer writes the inputs it finds into the FIRST corpus folder it is
# given, so that is a fresh empty folder under WORK; SEEDS (read only, e.g.
# the shared hda-emu dumps) comes second and is only read. A crash, leak,
# timeout or sanitizer report fails the test; the input that caused it is
# kept in WORK (crash-*, leak-*, timeout-*) for reproducing:
#   <exe> WORK/crash-...
foreach(_var FUZZER WORK RUNS MAX_TIME)
    if(NOT DEFINED ${_var})
        message(FATAL_ERROR "run_smoke.cmake: -D${_var}=... is required")
    endif()
endforeach()

file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}/corpus")
set(_dirs "${WORK}/corpus")
if(DEFINED SEEDS)
    if(IS_DIRECTORY "${SEEDS}")
        list(APPEND _dirs "${SEEDS}")
    else()
        message(STATUS "no seed corpus at ${SEEDS}: starting from an empty corpus")
    endif()
endif()
set(_opts "-runs=${RUNS}" "-max_total_time=${MAX_TIME}" -timeout=10 -rss_limit_mb=2048
          -print_final_stats=1 "-artifact_prefix=${WORK}/")
if(DEFINED DICT)
    list(APPEND _opts "-dict=${DICT}")
endif()

execute_process(COMMAND "${FUZZER}" ${_opts} ${_dirs} RESULT_VARIABLE _rc)
if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "${FUZZER} failed (${_rc}); the input is in ${WORK}")
endif()
