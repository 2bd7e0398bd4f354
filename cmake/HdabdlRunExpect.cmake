# SPDX-License-Identifier: MIT
# HdabdlRunExpect.cmake - run a command and check its exit code and output.
#
#   cmake -DEXPECT_EXIT=<code> [-DEXPECT_OUTPUT=<regex>] [-DEXPECT_NO_FILE=<path>]
#         -P HdabdlRunExpect.cmake -- <command> [args...]
#
# Fails (non-zero) unless the command exits with exactly EXPECT_EXIT and, if
# given, its combined stdout+stderr matches EXPECT_OUTPUT.

set(_cmd "")
set(_seen_sep FALSE)
math(EXPR _last "${CMAKE_ARGC} - 1")
foreach(_i RANGE 0 ${_last})
    if(_seen_sep)
        list(APPEND _cmd "${CMAKE_ARGV${_i}}")
    elseif("${CMAKE_ARGV${_i}}" STREQUAL "--")
        set(_seen_sep TRUE)
    endif()
endforeach()
if(NOT _cmd)
    message(FATAL_ERROR "HdabdlRunExpect: no command after --")
endif()
if(NOT DEFINED EXPECT_EXIT)
    message(FATAL_ERROR "HdabdlRunExpect: EXPECT_EXIT is required")
endif()

execute_process(COMMAND ${_cmd}
    RESULT_VARIABLE _rc
    OUTPUT_VARIABLE _out
    ERROR_VARIABLE _out)

string(REPLACE ";" " " _shown "${_cmd}")
message("$ ${_shown}\n${_out}exit code: ${_rc}")

if(NOT "${_rc}" STREQUAL "${EXPECT_EXIT}")
    message(FATAL_ERROR "expected exit code ${EXPECT_EXIT}, got ${_rc}")
endif()
if(DEFINED EXPECT_OUTPUT AND NOT "${_out}" MATCHES "${EXPECT_OUTPUT}")
    message(FATAL_ERROR "output does not match: ${EXPECT_OUTPUT}")
endif()
if(DEFINED EXPECT_NO_FILE AND EXISTS "${EXPECT_NO_FILE}")
    message(FATAL_ERROR "file should not exist: ${EXPECT_NO_FILE}")
endif()
