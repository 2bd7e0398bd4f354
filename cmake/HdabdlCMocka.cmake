# SPDX-License-Identifier: MIT
# HdabdlCMocka.cmake - provide the target cmocka::cmocka.
#
# cmocka 2.x installs cmocka::cmocka; Debian 12's 1.1.5 only sets
# CMOCKA_LIBRARIES / CMOCKA_INCLUDE_DIR, so build an IMPORTED target from
# pkg-config or, failing that, from find_library/find_path.
#
# Cross-compiling (cmake/toolchains/*.cmake) the target's cmocka is Debian's
# multiarch package (libcmocka-dev:i386, ...): the library in
# /usr/lib/<CMAKE_LIBRARY_ARCHITECTURE>, found there by find_library and the
# target's pkg-config files (the toolchain file sets PKG_CONFIG_LIBDIR); the
# header in /usr/include, which the Debian cross compilers search anyway.

include_guard(GLOBAL)

if(TARGET cmocka::cmocka)
    return()
endif()

find_package(cmocka CONFIG QUIET)

if(NOT TARGET cmocka::cmocka)
    find_package(PkgConfig QUIET)
    if(PKG_CONFIG_FOUND)
        pkg_check_modules(HDABDL_PC_CMOCKA QUIET cmocka)
    endif()

    find_path(HDABDL_CMOCKA_INCLUDE_DIR cmocka.h
        HINTS ${HDABDL_PC_CMOCKA_INCLUDE_DIRS} ${CMOCKA_INCLUDE_DIR})
    find_library(HDABDL_CMOCKA_LIBRARY NAMES cmocka
        HINTS ${HDABDL_PC_CMOCKA_LIBRARY_DIRS})

    if(NOT HDABDL_CMOCKA_INCLUDE_DIR OR NOT HDABDL_CMOCKA_LIBRARY)
        set(_hdabdl_cmocka_pkg libcmocka-dev)
        if(CMAKE_CROSSCOMPILING)
            set(_hdabdl_cmocka_pkg
                "libcmocka-dev:<dpkg architecture of ${CMAKE_LIBRARY_ARCHITECTURE}>, e.g. libcmocka-dev:i386")
        endif()
        message(FATAL_ERROR
            "cmocka not found (needed for the tests). Install it (Debian: apt-get install "
            "${_hdabdl_cmocka_pkg}) or configure with -DHDABDL_BUILD_TESTS=OFF.")
    endif()

    add_library(cmocka::cmocka UNKNOWN IMPORTED)
    set_target_properties(cmocka::cmocka PROPERTIES
        IMPORTED_LOCATION "${HDABDL_CMOCKA_LIBRARY}"
        INTERFACE_INCLUDE_DIRECTORIES "${HDABDL_CMOCKA_INCLUDE_DIR}")
    message(STATUS "cmocka: ${HDABDL_CMOCKA_LIBRARY} (imported target made by hdabdl)")
endif()
