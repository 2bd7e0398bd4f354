# SPDX-License-Identifier: MIT
# play_codec.cmake - `hdabdl play` through a codec, then the WAV checker.
#
#   cmake -DCLI=<hdabdl> -DWAV_CHECK=<hdabdl_wav_check> -DWAV=<out.wav>
#         [-DDUMP=<codec file>] [-DCODEC=<n>] [-DHZ=1000] [-DSECONDS=1]
#         [-DEXPECT_PATH=<regex>] -P play_codec.cmake
#
# Plays a sine through the codec path the tool finds (without DUMP: the mock's
# default codec), requires every path verb to read back as set, the DAC's
# bytes to equal the link tap's, EXPECT_PATH (if given) to match the path the
# tool reports, and the WAV to be a clean sine (hdabdl_wav_check).
# When DUMP does not exist it prints "SKIP: ..." and succeeds.
cmake_minimum_required(VERSION 3.25)
foreach(_var CLI WAV_CHECK WAV)
    if(NOT DEFINED ${_var})
        message(FATAL_ERROR "play_codec: ${_var} is required")
    endif()
endforeach()
if(NOT DEFINED HZ)
    set(HZ 1000)
endif()
if(NOT DEFINED SECONDS)
    set(SECONDS 1)
endif()
set(_codec_args "")
if(DEFINED DUMP)
    if(NOT EXISTS "${DUMP}")
        message("SKIP: ${DUMP} not found (the hda-emu codec collection is not next to the source tree)")
        return()
    endif()
    list(APPEND _codec_args --codec-file "${DUMP}")
endif()
if(DEFINED CODEC)
    list(APPEND _codec_args --codec ${CODEC})
endif()

file(REMOVE "${WAV}")
execute_process(COMMAND "${CLI}" play ${_codec_args} --sine ${HZ} --seconds ${SECONDS} --out "${WAV}"
    RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _out)
message("${_out}exit code: ${_rc}")
if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "hdabdl play failed")
endif()
foreach(_want
        "output path: "
        "codec_program: STATUS_SUCCESS [^\n]* 0 unanswered, 0 read back wrong"
        "cross-check: the [0-9]+ bytes that reached DAC"
        "codec_release: STATUS_SUCCESS"
        "0 illegal accesses, 0 DMA blocks leaked")
    if(NOT _out MATCHES "${_want}")
        message(FATAL_ERROR "output does not match: ${_want}")
    endif()
endforeach()
if(DEFINED EXPECT_PATH AND NOT _out MATCHES "${EXPECT_PATH}")
    message(FATAL_ERROR "output does not match the expected path: ${EXPECT_PATH}")
endif()
if(_out MATCHES "NOT AS SET|NO RESPONSE")
    message(FATAL_ERROR "a path verb was not answered or did not read back")
endif()

execute_process(COMMAND "${WAV_CHECK}" "${WAV}" --sine ${HZ} --seconds ${SECONDS} --amplitude 0.5
                        --fragment-ms 100 --fragments 4
    RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _out)
message("${_out}")
if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "the WAV is not a clean ${HZ} Hz sine")
endif()
