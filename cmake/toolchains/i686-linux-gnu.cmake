# SPDX-License-Identifier: MIT
# i686-linux-gnu.cmake - CMake toolchain file: Debian 12's i686-linux-gnu cross
# compiler (32-bit x86, little-endian, 32-bit pointers and size_t).
#
#   cmake -S . -B build/cross-i686 --toolchain cmake/toolchains/i686-linux-gnu.cmake
#
# Debian packages (scripts/install-deps.sh): gcc-i686-linux-gnu
# libc6-dev-i386-cross libcmocka-dev:i386 qemu-user-static. scripts/cross.sh
# builds and tests with it.
#
# The target's libraries are Debian multiarch packages (dpkg architecture
# i386): /usr/lib/i386-linux-gnu (CMAKE_LIBRARY_ARCHITECTURE), headers in
# /usr/include, .pc files in /usr/lib/i386-linux-gnu/pkgconfig. The cross C
# library the compiler links is in /usr/i686-linux-gnu.
#
# CTest runs the test executables under qemu-user (CMAKE_CROSSCOMPILING_EMULATOR).
# Their ELF interpreter /lib/ld-linux.so.2 and shared libraries (libc6:i386,
# libcmocka0:i386) are installed on the build machine itself, where qemu finds
# them without a -L prefix.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR i686)

set(CMAKE_C_COMPILER i686-linux-gnu-gcc)
# 64-bit off_t, ino_t and directory offsets (LFS). Under qemu-user the host
# kernel hands out ext4's 64-bit directory hash cookies (it does not see a
# 32-bit process), and readdir() without LFS then fails with EOVERFLOW: the
# codec corpus test would find no files. Natively on a 64-bit kernel the
# 32-bit syscalls get 32-bit cookies, so this only matters under emulation.
set(CMAKE_C_FLAGS_INIT "-D_FILE_OFFSET_BITS=64")
set(CMAKE_LIBRARY_ARCHITECTURE i386-linux-gnu)

# Libraries, headers and packages: the cross C library, then the machine's own
# root, where only the multiarch folders hold anything of the target.
set(CMAKE_FIND_ROOT_PATH /usr/i686-linux-gnu /)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# pkg-config reads the target's .pc files, never the build machine's.
set(ENV{PKG_CONFIG_LIBDIR} "/usr/lib/i386-linux-gnu/pkgconfig:/usr/share/pkgconfig")
unset(ENV{PKG_CONFIG_PATH})

set(CMAKE_CROSSCOMPILING_EMULATOR qemu-i386-static)
