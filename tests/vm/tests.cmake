# SPDX-License-Identifier: MIT
# tests/vm/tests.cmake - CTest registration of the guest tests (label "vm").
# Included from CMakeLists.txt inside its CLI test section (the tool and the
# WAV checker are targets there). See tests/vm/run_vm.sh for the scenarios.
#
# HDABDL_VM_TESTS (default ON) registers them where the pciaccess backend is
# built. They need qemu-system-x86, linux-image-amd64 (and linux-headers-amd64
# for the kernel module scenarios), busybox-static and cpio
# (scripts/install-deps.sh installs them); without those each test prints
# "SKIP: ..." and is reported as skipped, unless HDABDL_VM_REQUIRE=1 in the
# environment (scripts/test.sh sets it), where that is a failure.
#
# The guest runs this build's `hdabdl` with its shared libraries, so build
# these in a build without sanitizers (scripts/test.sh: the clang build).

option(HDABDL_VM_TESTS "Register the QEMU guest tests (label vm; need qemu, a kernel, busybox-static, cpio)" ON)
if(HDABDL_VM_TESTS AND NOT HDABDL_HAVE_PCIACCESS)
    if("$ENV{HDABDL_VM_REQUIRE}" STREQUAL "1")
        message(FATAL_ERROR "HDABDL_VM_REQUIRE=1 but the pciaccess backend is not built, so the VM "
                            "tests cannot run (configure with -DHDABDL_WITH_PCIACCESS=ON)")
    endif()
    message(STATUS "hdabdl: VM tests not registered: the pciaccess backend is not built")
elseif(HDABDL_VM_TESTS)
    find_program(HDABDL_BASH bash)
    set(_vm_dir "${PROJECT_SOURCE_DIR}/tests/vm")
    set(_vm_work "${CMAKE_CURRENT_BINARY_DIR}/vm")
    set(_vm_initrd "${_vm_work}/initrd.gz")

    # The kernel module kmod/hdabdl_demo.ko for the guest's kernel (its headers:
    # linux-headers-amd64), built in this build folder.
    set(_vm_kmod "${_vm_work}/kmod")
    add_test(NAME vm_kmod
        COMMAND "${HDABDL_BASH}" "${_vm_dir}/run_vm.sh" kmod --out "${_vm_kmod}")
    set_tests_properties(vm_kmod PROPERTIES
        TIMEOUT 300 LABELS "vm" FIXTURES_SETUP vm_kmod SKIP_REGULAR_EXPRESSION "SKIP: ")

    # The initramfs with this build's CLI and the module: rebuilt on every run (about a second).
    add_test(NAME vm_initramfs
        COMMAND "${HDABDL_BASH}" "${_vm_dir}/run_vm.sh" initrd --cli "${_cli}"
                --kmod "${_vm_kmod}/hdabdl_demo.ko" --out "${_vm_initrd}")
    set_tests_properties(vm_initramfs PROPERTIES
        TIMEOUT 120 LABELS "vm" FIXTURES_SETUP vm_initrd FIXTURES_REQUIRED vm_kmod
        SKIP_REGULAR_EXPRESSION "SKIP: ")

    foreach(_scenario play_vfio play_uio inspect capture kill_restart kmod_play kmod_rmmod)
        add_test(NAME vm_${_scenario}
            COMMAND "${HDABDL_BASH}" "${_vm_dir}/run_vm.sh" run ${_scenario} --initrd "${_vm_initrd}"
                    --host-cli "${_cli}" --wav-check "$<TARGET_FILE:hdabdl_wav_check>"
                    --work "${_vm_work}")
        # One QEMU at a time: the guest plays in real time, and QEMU's codec drops
        # audio when its timers run late on a busy host (run_vm.sh allows only the
        # drops QEMU reports).
        set_tests_properties(vm_${_scenario} PROPERTIES
            TIMEOUT 300 LABELS "vm" FIXTURES_REQUIRED vm_initrd SKIP_REGULAR_EXPRESSION "SKIP: "
            RESOURCE_LOCK hdabdl_qemu)
    endforeach()
endif()
