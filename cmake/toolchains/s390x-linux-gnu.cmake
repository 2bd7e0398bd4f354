# SPDX-License-Identifier: MIT
# s390x-linux-gnu.cmake - CMake toolchain file: Debian 12's s390x-linux-gnu cross
# compiler (IBM Z, 64-bit, big-endian).
#
#   cmake -S . -B build/cross-s390x --toolchain cmake/toolchains/s390x-linux-gnu.cmake
#
# Debian packages (scripts/install-deps.sh): gcc-s390x-linux-gnu
# libc6-dev-s390x-cross libcmocka-dev:s390x qemu-user-static. scripts/cross.sh
# builds and tests with it.
#
# The target's libraries are Debian multiarch packages (dpkg architecture
# s390x): /usr/lib/s390x-linux-gnu (CMAKE_LIBRARY_ARCHITECTURE), headers in
# /usr/include, .pc files in /usr/lib/s390x-linux-gnu/pkgconfig. The cross C
# library the compiler links is in /usr/s390x-linux-gnu.
#
# CTest runs the test executables under qemu-user (CMAKE_CROSSCOMPILING_EMULATOR).
# Their ELF interpreter /lib/ld64.so.1 and shared libraries (libc6:s390x,
# libcmocka0:s390x) are installed on the build machine itself, where qemu finds
# them without a -L prefix.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR s390x)

set(CMAKE_C_COMPILER s390x-linux-gnu-gcc)
set(CMAKE_LIBRARY_ARCHITECTURE s390x-linux-gnu)

# Libraries, headers and packages: the cross C library, then the machine's own
# root, where only the multiarch folders hold anything of the target.
set(CMAKE_FIND_ROOT_PATH /usr/s390x-linux-gnu /)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# pkg-config reads the target's .pc files, never the build machine's.
set(ENV{PKG_CONFIG_LIBDIR} "/usr/lib/s390x-linux-gnu/pkgconfig:/usr/share/pkgconfig")
unset(ENV{PKG_CONFIG_PATH})

set(CMAKE_CROSSCOMPILING_EMULATOR qemu-s390x-static)
