/* SPDX-License-Identifier: MIT */
/*
 * test_ddi_quirks.c - controllers that need a quirk, found by PCI identity or
 * asked for through the open options.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "support/fixture.h"

static const struct hdabdl_stream_format fmt48 = {48000, 16, 16, 2};

static void as_qemu(struct hdabdl_mock_hal_config *cfg)
{
    cfg->device.pci_vendor_id = 0x8086;
    cfg->device.pci_device_id = 0x2668;
    cfg->device.pci_subsystem_vendor_id = 0x1af4;
    cfg->device.pci_subsystem_id = 0x1100;
}

static int setup_qemu(void **state)
{
    return fx_setup_with(state, as_qemu, 1);
}

static void test_qemus_intel_hda_gets_the_srst_quirk_from_its_pci_ids(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_controller_info info;
    assert_status(hdabdl_controller_get_info(fx->ctrl, &info), HDABDL_STATUS_SUCCESS);
    assert_int_equal(info.quirks & HDABDL_OPT_SRST_NO_ACK, HDABDL_OPT_SRST_NO_ACK);
    assert_int_equal(info.pci.subsystem_vendor_id, 0x1af4);
}

static void test_an_intel_controller_does_not_get_the_srst_quirk(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_controller_info info;
    assert_status(hdabdl_controller_get_info(fx->ctrl, &info), HDABDL_STATUS_SUCCESS);
    assert_int_equal(info.quirks, 0);
}

static void test_with_the_srst_quirk_setup_goes_on_when_srst_never_reads_1(void **state)
{
    struct fx *fx = *state;
    struct fx_stream s;
    hdabdl_mock_set_fault(fx->dev, HDABDL_MOCK_FAULT_SRST_NEVER_SET, -1, true);
    fx_render_stream(fx->client, &fmt48, 2, 1920, true, &s);   /* asserts SUCCESS */
    assert_int_equal(fx_sd_reg(fx, s.sd, HDA_SD_LVI, 2), 1);
    hdabdl_mock_set_fault(fx->dev, HDABDL_MOCK_FAULT_SRST_NEVER_SET, -1, false);
}

static void test_without_the_quirk_srst_never_reading_1_is_device_not_ready(void **state)
{
    struct fx *fx = *state;
    struct fx_stream s;
    hdabdl_converter_format conv;
    memset(&s, 0, sizeof(s));
    assert_status(hdabdl_allocate_render_dma_engine(fx->client, &fmt48, false, &s.handle, &conv),
                  HDABDL_STATUS_SUCCESS);
    s.client = fx->client;
    fx_alloc_buffer(&s, 3840);
    fx_fill_bdl(&s, 2, 1920, true);
    hdabdl_mock_set_fault(fx->dev, HDABDL_MOCK_FAULT_SRST_NEVER_SET, -1, true);
    assert_status(fx_try_setup(&s), HDABDL_STATUS_DEVICE_NOT_READY);
    hdabdl_mock_set_fault(fx->dev, HDABDL_MOCK_FAULT_SRST_NEVER_SET, -1, false);
}

static void test_the_srst_quirk_can_be_asked_for_in_the_options(void **state)
{
    struct fx *fx = *state; /* bare */
    struct hdabdl_controller_info info;
    fx_create_hal(fx);
    struct hdabdl_controller_options opt = {.size = sizeof(opt), .flags = HDABDL_OPT_SRST_NO_ACK};
    assert_status(hdabdl_controller_open(hdabdl_mock_hal_ops(), hdabdl_mock_hal_context(fx->hal),
                                         &opt, &fx->ctrl),
                  HDABDL_STATUS_SUCCESS);
    assert_status(hdabdl_controller_get_info(fx->ctrl, &info), HDABDL_STATUS_SUCCESS);
    assert_int_equal(info.quirks, HDABDL_OPT_SRST_NO_ACK);
}

static void test_options_of_the_first_version_size_are_accepted(void **state)
{
    struct fx *fx = *state; /* bare */
    fx_create_hal(fx);
    struct hdabdl_controller_options opt = {.size = offsetof(struct hdabdl_controller_options,
                                                             verb_timeout_us)};
    assert_status(hdabdl_controller_open(hdabdl_mock_hal_ops(), hdabdl_mock_hal_context(fx->hal),
                                         &opt, &fx->ctrl),
                  HDABDL_STATUS_SUCCESS);
}

static void test_options_smaller_than_the_first_version_are_a_revision_mismatch(void **state)
{
    struct fx *fx = *state; /* bare */
    fx_create_hal(fx);
    struct hdabdl_controller_options opt = {.size = 4};
    assert_status(hdabdl_controller_open(hdabdl_mock_hal_ops(), hdabdl_mock_hal_context(fx->hal),
                                         &opt, &fx->ctrl),
                  HDABDL_STATUS_REVISION_MISMATCH);
    assert_null(fx->ctrl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_qemus_intel_hda_gets_the_srst_quirk_from_its_pci_ids,
                                        setup_qemu, fx_teardown),
        cmocka_unit_test_setup_teardown(test_an_intel_controller_does_not_get_the_srst_quirk,
                                        fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_with_the_srst_quirk_setup_goes_on_when_srst_never_reads_1,
                                        setup_qemu, fx_teardown),
        cmocka_unit_test_setup_teardown(test_without_the_quirk_srst_never_reading_1_is_device_not_ready,
                                        fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_the_srst_quirk_can_be_asked_for_in_the_options,
                                        fx_setup_bare, fx_teardown),
        cmocka_unit_test_setup_teardown(test_options_of_the_first_version_size_are_accepted,
                                        fx_setup_bare, fx_teardown),
        cmocka_unit_test_setup_teardown(test_options_smaller_than_the_first_version_are_a_revision_mismatch,
                                        fx_setup_bare, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
