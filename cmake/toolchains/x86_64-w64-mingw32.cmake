# SPDX-License-Identifier: MIT
# x86_64-w64-mingw32.cmake - CMake toolchain file: Debian 12's MinGW-w64 cross
# compiler for 64-bit Windows (x86_64-w64-mingw32-gcc, the "win32" thread
# model; pthread.h is mingw-w64's winpthreads).
#
#   cmake -S . -B build/cross-mingw --toolchain cmake/toolchains/x86_64-w64-mingw32.cmake \
#         -DHDABDL_BUILD_TESTS=OFF -DHDABDL_BUILD_TOOLS=OFF ...
#
# Debian packages (scripts/install-deps.sh): gcc-mingw-w64-x86-64
# binutils-mingw-w64-x86-64. scripts/cross.sh builds only the library with it
# (no cmocka, no Windows emulator). Headers and libraries are in
# /usr/x86_64-w64-mingw32.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR AMD64)

set(CMAKE_C_COMPILER x86_64-w64-mingw32-gcc)
set(CMAKE_RC_COMPILER x86_64-w64-mingw32-windres)

set(CMAKE_FIND_ROOT_PATH /usr/x86_64-w64-mingw32)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# pkg-config finds nothing of the build machine's (there is no mingw .pc here).
set(ENV{PKG_CONFIG_LIBDIR} "/usr/x86_64-w64-mingw32/lib/pkgconfig")
unset(ENV{PKG_CONFIG_PATH})
