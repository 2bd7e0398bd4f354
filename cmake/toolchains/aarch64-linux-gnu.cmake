# SPDX-License-Identifier: MIT
# aarch64-linux-gnu.cmake - CMake toolchain file: Debian 12's aarch64-linux-gnu
# cross compiler (64-bit Arm, little-endian).
#
#   cmake -S . -B build/cross-aarch64 --toolchain cmake/toolchains/aarch64-linux-gnu.cmake \
#         -DHDABDL_BUILD_TESTS=OFF -DHDABDL_BUILD_TOOLS=OFF ...
#
# Debian packages (scripts/install-deps.sh): gcc-aarch64-linux-gnu
# libc6-dev-arm64-cross. scripts/cross.sh builds only the library with it:
# there is no libcmocka-dev:arm64 on the machine.
#
# Target libraries, if any are installed, are Debian multiarch packages (dpkg
# architecture arm64): /usr/lib/aarch64-linux-gnu, headers in /usr/include. The
# cross C library the compiler links is in /usr/aarch64-linux-gnu.
#
# The emulator (try_run, or tests if cmocka:arm64 is installed): qemu-user with
# the cross C library as prefix (-L), since libc6:arm64 is not installed.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)

set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)

# Libraries, headers and packages: the cross C library, then the machine's own
# root, where only the multiarch folders hold anything of the target.
set(CMAKE_FIND_ROOT_PATH /usr/aarch64-linux-gnu /)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# pkg-config reads the target's .pc files, never the build machine's.
set(ENV{PKG_CONFIG_LIBDIR} "/usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig")
unset(ENV{PKG_CONFIG_PATH})

set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64-static -L /usr/aarch64-linux-gnu)
