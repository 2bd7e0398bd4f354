# SPDX-License-Identifier: MIT
# HdabdlProjectOptions.cmake - the internal INTERFACE target hdabdl_project_options.
#
# Every target of this project links it PRIVATE (wrapped in $<BUILD_INTERFACE:>)
# so warnings and sanitizers are target properties, never CMAKE_C_FLAGS edits,
# and nothing of it leaks into the installed package (except the sanitizer link
# flag, see CMakeLists.txt: a sanitized static library needs its runtime).

include_guard(GLOBAL)
include(CheckCCompilerFlag)

add_library(hdabdl_project_options INTERFACE)

# Strict warnings, each probed (gcc 12 and clang 14 take all of them today).
set(_hdabdl_warning_flags
    -Wall
    -Wextra
    -Wpedantic
    -Wshadow
    -Wconversion
    -Wno-sign-conversion
    -Wstrict-prototypes
    -Wmissing-prototypes
    -Wold-style-definition
    -Wformat=2
    -Wundef
    -Wcast-align
    -Wpointer-arith
    -Wvla
    -Wwrite-strings
    -Winit-self
    -Wredundant-decls
    -Wnested-externs
    -Wimplicit-fallthrough
)
foreach(_flag IN LISTS _hdabdl_warning_flags)
    string(MAKE_C_IDENTIFIER "HDABDL_HAS${_flag}" _var)
    check_c_compiler_flag("${_flag}" ${_var})
    if(${_var})
        target_compile_options(hdabdl_project_options INTERFACE "${_flag}")
    endif()
endforeach()

if(HDABDL_WERROR)
    target_compile_options(hdabdl_project_options INTERFACE -Werror)
endif()

# ASan + UBSan on compile and link of every target.
set(HDABDL_SANITIZE_FLAGS
    -fsanitize=address,undefined
    -fno-omit-frame-pointer
    -fno-sanitize-recover=all)
if(HDABDL_SANITIZE)
    set(CMAKE_REQUIRED_LINK_OPTIONS -fsanitize=address,undefined)
    check_c_compiler_flag("-fsanitize=address,undefined" HDABDL_HAS_SANITIZERS)
    unset(CMAKE_REQUIRED_LINK_OPTIONS)
    if(NOT HDABDL_HAS_SANITIZERS)
        message(FATAL_ERROR
            "HDABDL_SANITIZE=ON but ${CMAKE_C_COMPILER} cannot build and link with "
            "-fsanitize=address,undefined (for clang on Debian install libclang-rt-14-dev)")
    endif()
    target_compile_options(hdabdl_project_options INTERFACE ${HDABDL_SANITIZE_FLAGS})
    target_link_options(hdabdl_project_options INTERFACE ${HDABDL_SANITIZE_FLAGS})
endif()
