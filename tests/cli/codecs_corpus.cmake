# SPDX-License-Identifier: MIT
# codecs_corpus.cmake - `hdabdl codecs --check` on every codec of every dump
# in a folder (the hda-emu collection): each codec, picked with --codec N, is
# put on the mock link, walked through verbs, printed, read back and compared
# with its dump.
#
#   cmake -DCLI=<hdabdl> -DDIR=<folder> -P codecs_corpus.cmake
#
# Files the codec reader refuses (hdabdl codecs exits 1 without walking), and
# files it warns about (the dump ends early), are counted and listed, not
# failed: tests/test_codec_corpus.c owns the reader.
# When DIR does not exist it prints "SKIP: ..." and succeeds.
cmake_minimum_required(VERSION 3.25)
foreach(_var CLI DIR)
    if(NOT DEFINED ${_var})
        message(FATAL_ERROR "codecs_corpus: ${_var} is required")
    endif()
endforeach()
if(NOT IS_DIRECTORY "${DIR}")
    message("SKIP: ${DIR} not found (the hda-emu codec collection is not next to the source tree)")
    return()
endif()

file(GLOB_RECURSE _files LIST_DIRECTORIES false "${DIR}/*")
list(SORT _files)
set(_nfiles 0)
set(_ncodecs 0)
set(_failed "")
set(_unread "")
set(_warned "")
foreach(_f IN LISTS _files)
    get_filename_component(_base "${_f}" NAME)
    if(_base MATCHES "^(README|\\.)")
        continue()
    endif()
    math(EXPR _nfiles "${_nfiles} + 1")
    set(_n 1)
    while(TRUE)
        execute_process(COMMAND "${CLI}" codecs --check --codec-file "${_f}" --codec ${_n}
            RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _err)
        if(_rc EQUAL 2)
            break()   # past the last codec of the file
        endif()
        # the reader's "FILE:LINE: why", not its "FILE:LINE: warning: ..." lines
        string(REGEX REPLACE "[^\n]*: warning: [^\n]*\n" "" _err_no_warnings "${_err}")
        string(FIND "${_err_no_warnings}" "${_f}:" _reader_message)
        if(_n EQUAL 1 AND _err MATCHES ": warning: the dump ends early")
            list(APPEND _warned "${_f}")
        endif()
        if(_rc EQUAL 0)
            math(EXPR _ncodecs "${_ncodecs} + 1")
        elseif(_n EQUAL 1 AND _reader_message GREATER_EQUAL 0)
            list(APPEND _unread "${_err}")   # "FILE:LINE: why" from the reader
            break()
        else()
            list(APPEND _failed "${_f} --codec ${_n}: ${_out}${_err}")
        endif()
        math(EXPR _n "${_n} + 1")
    endwhile()
endforeach()

list(LENGTH _unread _nunread)
if(_nunread GREATER 0)
    string(REPLACE ";" "\n  " _shown "${_unread}")
    message("${_nunread} files could not be read as codec files:\n  ${_shown}")
endif()
list(LENGTH _warned _nwarned)
if(_nwarned GREATER 0)
    string(REPLACE ";" "\n  " _shown "${_warned}")
    message("${_nwarned} files end early (warned, still checked):\n  ${_shown}")
endif()
list(LENGTH _failed _nfailed)
message("${_nfiles} files, ${_ncodecs} codecs: walk == dump; ${_nfailed} differ")
if(_nfailed GREATER 0)
    string(REPLACE ";" "\n  " _shown "${_failed}")
    message(FATAL_ERROR "codecs whose walk differs from their dump:\n  ${_shown}")
endif()
if(_ncodecs EQUAL 0)
    message(FATAL_ERROR "no codec checked")
endif()
