/* SPDX-License-Identifier: MIT */
/*
 * consumer.c - the smallest program against the installed package: the
 * generated version header, the status names, and the mock controller opened
 * through the core. Built once with find_package(hdabdl CONFIG) and once with
 * pkg-config by cmake/HdabdlPackageTest.cmake.
 */
#include <stdio.h>
#include <string.h>

#include <hdabdl/hdabdl.h>
#include <hdabdl/mock.h>
#include <hdabdl/version.h>

int main(void)
{
#ifdef EXPECT_VERSION
    if (strcmp(HDABDL_VERSION_STRING, EXPECT_VERSION) != 0) {
        fprintf(stderr, "consumer: version.h says %s, package says %s\n",
                HDABDL_VERSION_STRING, EXPECT_VERSION);
        return 1;
    }
#endif
    if (strcmp(hdabdl_status_name(HDABDL_STATUS_INVALID_HANDLE), "STATUS_INVALID_HANDLE") != 0) {
        fprintf(stderr, "consumer: hdabdl_status_name is wrong\n");
        return 1;
    }

    struct hdabdl_mock_hal_config config;
    hdabdl_mock_hal_config_default(&config);
    struct hdabdl_mock_hal *hal = NULL;
    int err = hdabdl_mock_hal_create(&config, &hal);
    if (err != 0) {
        fprintf(stderr, "consumer: hdabdl_mock_hal_create: %s\n",
                hdabdl_status_name(hdabdl_status_from_errno(err)));
        return 1;
    }

    hdabdl_controller *ctrl = NULL;
    hdabdl_status status = hdabdl_controller_open(hdabdl_mock_hal_ops(),
                                                  hdabdl_mock_hal_context(hal), NULL, &ctrl);
    if (!HDABDL_NT_SUCCESS(status)) {
        fprintf(stderr, "consumer: hdabdl_controller_open: %s\n", hdabdl_status_name(status));
        hdabdl_mock_hal_destroy(hal);
        return 1;
    }
    struct hdabdl_controller_info info;
    status = hdabdl_controller_get_info(ctrl, &info);
    hdabdl_controller_close(ctrl);
    hdabdl_mock_hal_destroy(hal);
    if (!HDABDL_NT_SUCCESS(status)) {
        fprintf(stderr, "consumer: hdabdl_controller_get_info: %s\n", hdabdl_status_name(status));
        return 1;
    }

    printf("consumer: hdabdl %s, controller %u.%u with %u output engines\n",
           HDABDL_VERSION_STRING, info.version_major, info.version_minor, info.output_streams);
    return 0;
}
