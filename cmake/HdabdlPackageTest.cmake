# SPDX-License-Identifier: MIT
# HdabdlPackageTest.cmake - check the installed package (run by CTest as package_install).
#
#   cmake -DBUILD_DIR=<hdabdl build> -DWORK_DIR=<scratch> -DCONSUMER_DIR=<tests/package>
#         -DC_COMPILER=<cc> -DLIBDIR=<CMAKE_INSTALL_LIBDIR> -DVERSION=<x.y.z>
#         [-DCONFIG=<build type>] -P HdabdlPackageTest.cmake
#
# 1. cmake --install the Development component into WORK_DIR/prefix;
# 2. configure, build and run tests/package with find_package(hdabdl CONFIG),
#    making sure the package came from that prefix;
# 3. compile and run the same consumer with `pkg-config --cflags --libs hdabdl`.

foreach(_v BUILD_DIR WORK_DIR CONSUMER_DIR C_COMPILER LIBDIR VERSION)
    if(NOT DEFINED ${_v})
        message(FATAL_ERROR "HdabdlPackageTest: -D${_v}= is required")
    endif()
endforeach()

function(run)
    string(REPLACE ";" " " _shown "${ARGV}")
    message("$ ${_shown}")
    execute_process(COMMAND ${ARGV} RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _out)
    message("${_out}")
    if(NOT _rc EQUAL 0)
        message(FATAL_ERROR "failed (exit ${_rc}): ${_shown}")
    endif()
    set(RUN_OUTPUT "${_out}" PARENT_SCOPE)
endfunction()

set(_prefix "${WORK_DIR}/prefix")
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")

# 1. install
set(_config_args "")
if(CONFIG)
    set(_config_args --config "${CONFIG}")
endif()
run("${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${_prefix}" --component Development ${_config_args})
foreach(_f include/hdabdl/hdabdl.h include/hdabdl/version.h
           ${LIBDIR}/libhdabdl.a
           ${LIBDIR}/cmake/hdabdl/hdabdlConfig.cmake
           ${LIBDIR}/cmake/hdabdl/hdabdlConfigVersion.cmake
           ${LIBDIR}/pkgconfig/hdabdl.pc)
    if(NOT EXISTS "${_prefix}/${_f}")
        message(FATAL_ERROR "not installed: ${_prefix}/${_f}")
    endif()
endforeach()

# 2. find_package(hdabdl CONFIG)
set(_cbuild "${WORK_DIR}/consumer-cmake")
run("${CMAKE_COMMAND}" -S "${CONSUMER_DIR}" -B "${_cbuild}"
    "-DCMAKE_C_COMPILER=${C_COMPILER}"
    "-DCMAKE_PREFIX_PATH=${_prefix}"
    -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF
    -DCMAKE_FIND_USE_SYSTEM_PACKAGE_REGISTRY=OFF)
string(FIND "${RUN_OUTPUT}" "hdabdl ${VERSION} from ${_prefix}/" _found)
if(_found EQUAL -1)
    message(FATAL_ERROR "find_package(hdabdl) did not pick the package just installed in ${_prefix}")
endif()
run("${CMAKE_COMMAND}" --build "${_cbuild}")
run("${_cbuild}/consumer")

# 3. pkg-config
find_program(_pkg_config NAMES pkg-config pkgconf)
if(NOT _pkg_config)
    message(FATAL_ERROR "pkg-config not found")
endif()
set(ENV{PKG_CONFIG_PATH} "${_prefix}/${LIBDIR}/pkgconfig")
run("${_pkg_config}" --modversion hdabdl)
string(STRIP "${RUN_OUTPUT}" _pc_version)
if(NOT _pc_version STREQUAL VERSION)
    message(FATAL_ERROR "pkg-config says version '${_pc_version}', expected '${VERSION}'")
endif()
run("${_pkg_config}" --static --libs hdabdl)
if(NOT RUN_OUTPUT MATCHES "-lpthread")
    message(FATAL_ERROR "pkg-config --static --libs hdabdl lacks -lpthread")
endif()
run("${_pkg_config}" --cflags --libs hdabdl)
string(STRIP "${RUN_OUTPUT}" _pc_flags)
separate_arguments(_pc_flags UNIX_COMMAND "${_pc_flags}")
run("${C_COMPILER}" -std=c11 "-DEXPECT_VERSION=\"${VERSION}\"" "${CONSUMER_DIR}/consumer.c"
    -o "${WORK_DIR}/consumer-pkgconfig" ${_pc_flags})
run("${WORK_DIR}/consumer-pkgconfig")

message("package_install: OK (find_package and pkg-config consumers built and ran)")
