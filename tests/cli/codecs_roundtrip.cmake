# SPDX-License-Identifier: MIT
# codecs_roundtrip.cmake - `hdabdl codecs` on one dump: print the codecs, read
# the printout back, compare.
#
#   cmake -DCLI=<hdabdl> [-DDUMP=<file>] -DWORK=<dir> [-DCODEC=<n>] -P codecs_roundtrip.cmake
#
# Without DUMP the mock's default codec is used (no --codec-file).
#
#   1. `codecs --codec-file DUMP` prints the codecs it walked (proc format);
#   2. that printout, used as a codec file, prints the very same text again;
#   3. `codecs --check --codec-file DUMP`: the printout reads back to the walk,
#      and the walk equals the dumped codecs on everything verbs can observe;
#   4. `codecs --check` on the printout: likewise;
#   5. `codecs --json --codec-file DUMP`: a JSON array with one object per
#      printed codec, with the same vendor IDs and node counts.
#
# When DUMP does not exist it prints "SKIP: ..." (the test's
# SKIP_REGULAR_EXPRESSION) and succeeds.
cmake_minimum_required(VERSION 3.25)
foreach(_var CLI WORK)
    if(NOT DEFINED ${_var})
        message(FATAL_ERROR "codecs_roundtrip: ${_var} is required")
    endif()
endforeach()
if(DEFINED DUMP AND NOT EXISTS "${DUMP}")
    message("SKIP: ${DUMP} not found (the hda-emu codec collection is not next to the source tree)")
    return()
endif()

set(_select "")
set(_tag "")
if(DEFINED DUMP)
    set(_select --codec-file "${DUMP}")
    get_filename_component(_name "${DUMP}" NAME)
else()
    set(_name "default-codec")
endif()
if(DEFINED CODEC)
    list(APPEND _select --codec ${CODEC})
    set(_tag "-${CODEC}")
endif()
file(MAKE_DIRECTORY "${WORK}")
set(_printed "${WORK}/${_name}${_tag}.proc")

# run(<out-var> args...): run the tool, fail unless it exits 0.
function(run _out)
    execute_process(COMMAND "${CLI}" ${ARGN}
        RESULT_VARIABLE _rc OUTPUT_VARIABLE _stdout ERROR_VARIABLE _stderr)
    string(REPLACE ";" " " _shown "${ARGN}")
    if(NOT _rc EQUAL 0)
        message(FATAL_ERROR "$ hdabdl ${_shown}\n${_stdout}${_stderr}exit code ${_rc}")
    endif()
    message("$ hdabdl ${_shown}: exit 0")
    if(_stderr)
        message("${_stderr}")
    endif()
    set(${_out} "${_stdout}" PARENT_SCOPE)
endfunction()

# 1-2. print, print the printout
run(_first codecs ${_select})
file(WRITE "${_printed}" "${_first}")
run(_second codecs --codec-file "${_printed}")
if(NOT _first STREQUAL _second)
    file(WRITE "${_printed}.again" "${_second}")
    message(FATAL_ERROR "the printout of ${_printed} differs from it (see ${_printed}.again)")
endif()
string(REGEX MATCHALL "\nCodec: |^Codec: " _codec_lines "${_first}")
list(LENGTH _codec_lines _ncodecs)
if(_ncodecs EQUAL 0)
    message(FATAL_ERROR "no codec printed")
endif()
message("${_ncodecs} codec(s) printed, and printed again identically from the printout")

# 3-4. the checks
run(_check codecs --check ${_select})
message("${_check}")
run(_check2 codecs --check --codec-file "${_printed}")
message("${_check2}")
foreach(_c IN ITEMS "${_check}" "${_check2}")
    string(REGEX MATCHALL "walk == given codec" _ok "${_c}")
    list(LENGTH _ok _nok)
    if(NOT _nok EQUAL _ncodecs)
        message(FATAL_ERROR "--check confirmed ${_nok} of ${_ncodecs} codecs")
    endif()
endforeach()

# 5. JSON
run(_json codecs --json ${_select})
string(JSON _len ERROR_VARIABLE _err LENGTH "${_json}")
if(_err)
    message(FATAL_ERROR "--json output is not a JSON array: ${_err}\n${_json}")
endif()
if(NOT _len EQUAL _ncodecs)
    message(FATAL_ERROR "--json has ${_len} codecs, the proc printout ${_ncodecs}")
endif()
string(REGEX MATCHALL "Vendor Id: 0x[0-9a-f]+" _vendors "${_first}")
string(REGEX MATCHALL "\nNode 0x" _nodes_proc "\n${_first}")
list(LENGTH _nodes_proc _nnodes_proc)
set(_nnodes_json 0)
math(EXPR _last "${_len} - 1")
foreach(_i RANGE ${_last})
    string(JSON _vid GET "${_json}" ${_i} vendor_id)
    list(GET _vendors ${_i} _want)
    string(REPLACE "Vendor Id: " "" _want "${_want}")
    math(EXPR _want "${_want}")
    if(NOT _vid EQUAL _want)
        message(FATAL_ERROR "--json codec ${_i}: vendor_id ${_vid}, proc says ${_want}")
    endif()
    string(JSON _n LENGTH "${_json}" ${_i} nodes)
    math(EXPR _nnodes_json "${_nnodes_json} + ${_n}")
endforeach()
if(NOT _nnodes_json EQUAL _nnodes_proc)
    message(FATAL_ERROR "--json lists ${_nnodes_json} nodes, the proc printout ${_nnodes_proc}")
endif()
message("--json: ${_len} codec(s), ${_nnodes_json} nodes, vendor IDs as printed")
