# SPDX-License-Identifier: MIT
# HdabdlAddTest.cmake - hdabdl_add_test(): one cmocka executable, one CTest test.
#
#   hdabdl_add_test(<name> SOURCES <file.c>... [LIBRARIES <lib>...]
#                   [ENVIRONMENT <VAR=value>...] [TIMEOUT <seconds>])
#
# The executable links hdabdl, the test support library (tests/support/*.c,
# when there is any) and cmocka::cmocka, sees src/ and tests/ as include
# directories (tests may use the core's internal headers; the library is
# static, so internal non-static symbols link), and is built with the
# project's warnings and sanitizers.

include_guard(GLOBAL)

# Sanitizer runtime options for every test (harmless without sanitizers).
set(HDABDL_TEST_ENVIRONMENT
    "ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:strict_string_checks=1:detect_stack_use_after_return=1"
    "UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1"
    "LSAN_OPTIONS=report_objects=1")

set(HDABDL_TEST_TIMEOUT 120 CACHE STRING "Default CTest timeout of each hdabdl test, seconds")

function(hdabdl_add_test name)
    cmake_parse_arguments(PARSE_ARGV 1 ARG "" "TIMEOUT" "SOURCES;LIBRARIES;ENVIRONMENT")
    if(NOT ARG_SOURCES)
        message(FATAL_ERROR "hdabdl_add_test(${name}): SOURCES is required")
    endif()

    add_executable(${name} ${ARG_SOURCES})
    # Tests find their data (tests/data, ../shared/codecs) from the source tree.
    target_compile_definitions(${name} PRIVATE "HDABDL_SOURCE_DIR=\"${PROJECT_SOURCE_DIR}\"")
    target_include_directories(${name} PRIVATE
        "${PROJECT_SOURCE_DIR}/src"
        "${PROJECT_SOURCE_DIR}/tests")
    if(TARGET hdabdl_test_support)
        target_link_libraries(${name} PRIVATE hdabdl_test_support)
    endif()
    target_link_libraries(${name} PRIVATE
        hdabdl::hdabdl
        cmocka::cmocka
        ${ARG_LIBRARIES}
        $<BUILD_INTERFACE:hdabdl_project_options>)

    add_test(NAME ${name} COMMAND ${name})
    if(NOT ARG_TIMEOUT)
        set(ARG_TIMEOUT ${HDABDL_TEST_TIMEOUT})
    endif()
    set_tests_properties(${name} PROPERTIES
        TIMEOUT ${ARG_TIMEOUT}
        LABELS "unit"
        ENVIRONMENT "${HDABDL_TEST_ENVIRONMENT};${ARG_ENVIRONMENT}")
endfunction()
