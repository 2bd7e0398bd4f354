/* SPDX-License-Identifier: MIT */
/*
 * test_ddi_open.c - opening and closing a controller: the CRST handshake,
 * codec discovery, GCAP decoding, HAL versioning and failure paths that leak
 * nothing.
 */
#include "support/fixture.h"

#include <string.h>

static hdabdl_status open_over(struct fx *fx, const struct hdabdl_hal_ops *ops)
{
    if (!fx->hal)
        fx_create_hal(fx);
    hdabdl_controller *ctrl = (hdabdl_controller *)(uintptr_t)0x1; /* must not be kept on failure */
    hdabdl_status st = hdabdl_controller_open(ops, hdabdl_mock_hal_context(fx->hal), NULL, &ctrl);
    if (st == HDABDL_STATUS_SUCCESS) {
        assert_non_null(ctrl);
        fx->ctrl = ctrl;
    }
    return st;
}

static void assert_gcap_decoded(struct fx *fx, uint8_t iss, uint8_t oss, uint8_t bss,
                                uint8_t sdo, bool addr64)
{
    fx->cfg.device.input_streams = iss;
    fx->cfg.device.output_streams = oss;
    fx->cfg.device.bidir_streams = bss;
    fx->cfg.device.sdo_lines = sdo;
    fx->cfg.device.addr64 = addr64;
    fx_start(fx, 0);
    struct hdabdl_controller_info info = fx_ctrl_info(fx);
    assert_int_equal(info.input_streams, iss);
    assert_int_equal(info.output_streams, oss);
    assert_int_equal(info.bidir_streams, bss);
    assert_int_equal(info.sdo_lines, sdo);
    assert_int_equal(info.addr64, addr64);
    assert_int_equal(info.gcap, fx_reg(fx, HDA_REG_GCAP, 2));
}

/* ---- GCAP and codecs ------------------------------------------------------------------ */

static void test_open_decodes_the_default_gcap(void **state)
{
    struct fx *fx = *state;
    assert_gcap_decoded(fx, 4, 4, 0, 1, true);
    struct hdabdl_controller_info info = fx_ctrl_info(fx);
    assert_int_equal(info.gcap, 0x4401);
}

static void test_open_decodes_gcap_with_0_in_3_out_2_bidir(void **state)
{
    assert_gcap_decoded(*state, 0, 3, 2, 1, true);
}

static void test_open_decodes_gcap_with_15_in_15_out_0_bidir(void **state)
{
    assert_gcap_decoded(*state, 15, 15, 0, 1, true);
}

static void test_open_decodes_gcap_with_only_15_bidir_engines(void **state)
{
    assert_gcap_decoded(*state, 0, 0, 15, 1, true);
}

static void test_open_decodes_gcap_with_no_engines_at_all(void **state)
{
    assert_gcap_decoded(*state, 0, 0, 0, 1, true);
}

static void test_open_decodes_two_sdo_lines_and_no_64ok(void **state)
{
    assert_gcap_decoded(*state, 4, 4, 0, 2, false);
}

static void test_open_decodes_four_sdo_lines(void **state)
{
    assert_gcap_decoded(*state, 2, 3, 1, 4, true);
}

static void test_open_reports_version_and_payloads_as_read(void **state)
{
    struct fx *fx = *state;
    fx_start(fx, 0);
    struct hdabdl_controller_info info = fx_ctrl_info(fx);
    assert_int_equal(info.version_major, fx_reg(fx, HDA_REG_VMAJ, 1));
    assert_int_equal(info.version_minor, fx_reg(fx, HDA_REG_VMIN, 1));
    assert_int_equal(info.output_payload, fx_reg(fx, HDA_REG_OUTPAY, 2));
    assert_int_equal(info.input_payload, fx_reg(fx, HDA_REG_INPAY, 2));
    assert_int_equal(info.version_major, 1);
}

static void test_open_takes_the_codec_mask_from_statests(void **state)
{
    struct fx *fx = *state;
    fx->cfg.device.codec_mask = 0x0005;
    fx_start(fx, 0);
    assert_int_equal(fx_ctrl_info(fx).codec_mask, 0x0005);
}

static void test_open_reports_a_codec_at_address_14(void **state)
{
    struct fx *fx = *state;
    fx->cfg.device.codec_mask = 0x4001;
    fx_start(fx, 0);
    assert_int_equal(fx_ctrl_info(fx).codec_mask, 0x4001);
}

static void test_open_leaves_the_controller_out_of_reset(void **state)
{
    struct fx *fx = *state;
    fx_start(fx, 0);
    assert_true((fx_reg(fx, HDA_REG_GCTL, 4) & HDA_GCTL_CRST) != 0);
}

static void test_close_puts_the_controller_back_in_reset_with_engines_stopped(void **state)
{
    struct fx *fx = *state;
    fx_start(fx, 1);
    struct fx_stream s;
    struct hdabdl_stream_format f = fx_format_default();
    fx_render_stream(fx->client, &f, 2, 1024, true, &s);
    fx_start_stream(&s);
    fx_advance_ms(fx, 1);
    assert_true(fx_sd_running(fx, s.sd));
    hdabdl_controller_close(fx->ctrl); /* the client is still open: close closes it */
    fx->ctrl = NULL;
    fx->client = NULL;
    fx_advance_ms(fx, 1); /* CRST takes the hardware a moment to read back */
    assert_int_equal(fx_reg(fx, HDA_REG_GCTL, 4) & HDA_GCTL_CRST, 0);
    assert_int_equal(hdabdl_mock_hal_dma_blocks(fx->hal), 0);
    assert_false(hdabdl_mock_irq_asserted(fx->dev));
}

static void test_get_info_and_get_bandwidth_with_null_out_are_invalid_parameter(void **state)
{
    struct fx *fx = *state;
    fx_start(fx, 0);
    assert_status(hdabdl_controller_get_info(fx->ctrl, NULL), HDABDL_STATUS_INVALID_PARAMETER);
    assert_status(hdabdl_controller_get_bandwidth(fx->ctrl, NULL), HDABDL_STATUS_INVALID_PARAMETER);
}

/* ---- Hardware that does not answer ---------------------------------------------------------- */

static void test_open_with_crst_stuck_is_device_not_ready_and_leaks_nothing(void **state)
{
    struct fx *fx = *state;
    fx_create_hal(fx);
    hdabdl_mock_set_fault(fx->dev, HDABDL_MOCK_FAULT_CRST_STUCK, -1, true);
    assert_status(open_over(fx, hdabdl_mock_hal_ops()), HDABDL_STATUS_DEVICE_NOT_READY);
    assert_null(fx->ctrl);
    assert_int_equal(hdabdl_mock_hal_dma_blocks(fx->hal), 0);
    assert_false(hdabdl_mock_irq_asserted(fx->dev));
}

static void test_open_with_crst_stuck_returns_in_bounded_time(void **state)
{
    struct fx *fx = *state;
    fx_create_hal(fx);
    hdabdl_mock_set_fault(fx->dev, HDABDL_MOCK_FAULT_CRST_STUCK, -1, true);
    uint64_t before = hdabdl_mock_now(fx->dev);
    assert_status(open_over(fx, hdabdl_mock_hal_ops()), HDABDL_STATUS_DEVICE_NOT_READY);
    /* The waits are bounded: well under 10 s of virtual time. */
    assert_true(hdabdl_mock_now(fx->dev) - before < 10ull * 1000 * 1000 * 1000);
}

static void test_open_with_registers_reading_all_ones_is_device_does_not_exist(void **state)
{
    struct fx *fx = *state;
    fx_create_hal(fx);
    hdabdl_mock_set_fault(fx->dev, HDABDL_MOCK_FAULT_ALL_ONES, -1, true);
    assert_status(open_over(fx, hdabdl_mock_hal_ops()), HDABDL_STATUS_DEVICE_DOES_NOT_EXIST);
    assert_null(fx->ctrl);
    assert_int_equal(hdabdl_mock_hal_dma_blocks(fx->hal), 0);
}

static void test_open_with_the_first_dma_allocation_failing_leaks_nothing(void **state)
{
    struct fx *fx = *state;
    fx_create_hal(fx);
    hdabdl_mock_hal_fail_dma_alloc(fx->hal, 0, 1);
    hdabdl_status st = open_over(fx, hdabdl_mock_hal_ops());
    assert_true(st == HDABDL_STATUS_INSUFFICIENT_RESOURCES || st == HDABDL_STATUS_NO_MEMORY);
    assert_null(fx->ctrl);
    assert_int_equal(hdabdl_mock_hal_dma_blocks(fx->hal), 0);
}

static void test_open_with_any_dma_allocation_failing_fails_cleanly(void **state)
{
    struct fx *fx = *state;
    fx_create_hal(fx);
    unsigned skip;
    for (skip = 0; skip < 16; skip++) {
        hdabdl_mock_hal_fail_dma_alloc(fx->hal, skip, 1);
        hdabdl_status st = open_over(fx, hdabdl_mock_hal_ops());
        if (st == HDABDL_STATUS_SUCCESS)
            break;
        assert_true(st == HDABDL_STATUS_INSUFFICIENT_RESOURCES || st == HDABDL_STATUS_NO_MEMORY);
        assert_int_equal(hdabdl_mock_hal_dma_blocks(fx->hal), 0);
    }
    hdabdl_mock_hal_fail_dma_alloc(fx->hal, 0, 0);
    assert_true(skip >= 1);  /* opening needs DMA memory (at least the position buffer) */
    assert_true(skip < 16);
    assert_non_null(fx->ctrl);
}

/* ---- HAL versioning and required slots ------------------------------------------------------ */

static void test_open_rejects_hal_abi_version_0(void **state)
{
    struct fx *fx = *state;
    fx->ops = *hdabdl_mock_hal_ops();
    fx->ops.abi_version = 0;
    assert_status(open_over(fx, &fx->ops), HDABDL_STATUS_REVISION_MISMATCH);
    assert_null(fx->ctrl);
    assert_int_equal(hdabdl_mock_hal_dma_blocks(fx->hal), 0);
}

static void test_open_rejects_a_hal_struct_too_small_for_version_1(void **state)
{
    struct fx *fx = *state;
    fx->ops = *hdabdl_mock_hal_ops();
    fx->ops.struct_size = (uint32_t)HDABDL_HAL_OPS_V1_SIZE - 1;
    assert_status(open_over(fx, &fx->ops), HDABDL_STATUS_REVISION_MISMATCH);
    assert_null(fx->ctrl);
}

static void test_open_rejects_a_hal_struct_size_of_0(void **state)
{
    struct fx *fx = *state;
    fx->ops = *hdabdl_mock_hal_ops();
    fx->ops.struct_size = 0;
    assert_status(open_over(fx, &fx->ops), HDABDL_STATUS_REVISION_MISMATCH);
    assert_null(fx->ctrl);
}

static void test_open_with_null_ops_or_null_out_is_invalid_parameter(void **state)
{
    struct fx *fx = *state;
    fx_create_hal(fx);
    hdabdl_controller *ctrl = NULL;
    assert_status(hdabdl_controller_open(NULL, hdabdl_mock_hal_context(fx->hal), NULL, &ctrl),
                  HDABDL_STATUS_INVALID_PARAMETER);
    assert_null(ctrl);
    assert_status(hdabdl_controller_open(hdabdl_mock_hal_ops(), hdabdl_mock_hal_context(fx->hal),
                                         NULL, NULL),
                  HDABDL_STATUS_INVALID_PARAMETER);
    assert_int_equal(hdabdl_mock_hal_dma_blocks(fx->hal), 0);
}

#define REQUIRED_SLOT_TEST(slot)                                                          \
    static void test_open_without_required_slot_##slot##_is_invalid_parameter(void **state) \
    {                                                                                     \
        struct fx *fx = *state;                                                           \
        fx->ops = *hdabdl_mock_hal_ops();                               \
        fx->ops.slot = NULL;                                                              \
        assert_status(open_over(fx, &fx->ops), HDABDL_STATUS_INVALID_PARAMETER);              \
        assert_null(fx->ctrl);                                                            \
        assert_int_equal(hdabdl_mock_hal_dma_blocks(fx->hal), 0);                         \
    }

REQUIRED_SLOT_TEST(reg_read)
REQUIRED_SLOT_TEST(reg_write)
REQUIRED_SLOT_TEST(dma_alloc)
REQUIRED_SLOT_TEST(dma_free)
REQUIRED_SLOT_TEST(delay_us)
REQUIRED_SLOT_TEST(now_ns)
REQUIRED_SLOT_TEST(lock_create)
REQUIRED_SLOT_TEST(lock_destroy)
REQUIRED_SLOT_TEST(lock_acquire)
REQUIRED_SLOT_TEST(lock_release)

static void test_open_accepts_options_of_the_right_size(void **state)
{
    struct fx *fx = *state;
    fx_create_hal(fx);
    struct hdabdl_controller_options opt = {.size = sizeof(opt)};
    assert_status(hdabdl_controller_open(hdabdl_mock_hal_ops(), hdabdl_mock_hal_context(fx->hal),
                                         &opt, &fx->ctrl),
                  HDABDL_STATUS_SUCCESS);
    assert_non_null(fx->ctrl);
}

#define T(name) cmocka_unit_test_setup_teardown(name, fx_setup_bare, fx_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_open_decodes_the_default_gcap),
        T(test_open_decodes_gcap_with_0_in_3_out_2_bidir),
        T(test_open_decodes_gcap_with_15_in_15_out_0_bidir),
        T(test_open_decodes_gcap_with_only_15_bidir_engines),
        T(test_open_decodes_gcap_with_no_engines_at_all),
        T(test_open_decodes_two_sdo_lines_and_no_64ok),
        T(test_open_decodes_four_sdo_lines),
        T(test_open_reports_version_and_payloads_as_read),
        T(test_open_takes_the_codec_mask_from_statests),
        T(test_open_reports_a_codec_at_address_14),
        T(test_open_leaves_the_controller_out_of_reset),
        T(test_close_puts_the_controller_back_in_reset_with_engines_stopped),
        T(test_get_info_and_get_bandwidth_with_null_out_are_invalid_parameter),
        T(test_open_with_crst_stuck_is_device_not_ready_and_leaks_nothing),
        T(test_open_with_crst_stuck_returns_in_bounded_time),
        T(test_open_with_registers_reading_all_ones_is_device_does_not_exist),
        T(test_open_with_the_first_dma_allocation_failing_leaks_nothing),
        T(test_open_with_any_dma_allocation_failing_fails_cleanly),
        T(test_open_rejects_hal_abi_version_0),
        T(test_open_rejects_a_hal_struct_too_small_for_version_1),
        T(test_open_rejects_a_hal_struct_size_of_0),
        T(test_open_with_null_ops_or_null_out_is_invalid_parameter),
        T(test_open_without_required_slot_reg_read_is_invalid_parameter),
        T(test_open_without_required_slot_reg_write_is_invalid_parameter),
        T(test_open_without_required_slot_dma_alloc_is_invalid_parameter),
        T(test_open_without_required_slot_dma_free_is_invalid_parameter),
        T(test_open_without_required_slot_delay_us_is_invalid_parameter),
        T(test_open_without_required_slot_now_ns_is_invalid_parameter),
        T(test_open_without_required_slot_lock_create_is_invalid_parameter),
        T(test_open_without_required_slot_lock_destroy_is_invalid_parameter),
        T(test_open_without_required_slot_lock_acquire_is_invalid_parameter),
        T(test_open_without_required_slot_lock_release_is_invalid_parameter),
        T(test_open_accepts_options_of_the_right_size),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
