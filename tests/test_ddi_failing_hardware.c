/* SPDX-License-Identifier: MIT */
/*
 * test_ddi_failing_hardware.c - what the core does when the hardware fails
 * (over the fault HAL, hdabdl/fault.h, wrapping the mock):
 *   - shared control registers are written from what the core knows, never
 *     read back and modified, so a failed read cannot corrupt them, and a bad
 *     read while starting one engine leaves a running one running;
 *   - SetDmaEngineState(Run) that meets an I/O error leaves its engines
 *     stopped;
 *   - an I/O error in a synchronous TransferCodecVerbs is that call's status,
 *     not the next one's;
 *   - a free that meets an I/O error releases everything and says so;
 *   - a vanished device (every read all ones) is DEVICE_DOES_NOT_EXIST from
 *     every routine, its engines count as stopped, and the frees and close
 *     release everything without touching it.
 */
#include "support/fixture.h"

#include <stdlib.h>
#include <string.h>

#include "hdabdl/fault.h"

struct hw {
    struct fx fx;                       /* the mock: fx.hal; fx.ctrl, fx.client */
    struct hdabdl_fault_hal *fh;
    hdabdl_client *other;
};

static int hw_setup(void **state)
{
    struct hw *h = calloc(1, sizeof *h);
    assert_non_null(h);
    hdabdl_mock_hal_config_default(&h->fx.cfg);
    fx_create_hal(&h->fx);
    assert_status(hdabdl_fault_hal_create(hdabdl_mock_hal_ops(), hdabdl_mock_hal_context(h->fx.hal), &h->fh),
                  HDABDL_STATUS_SUCCESS);
    assert_status(hdabdl_controller_open(hdabdl_fault_hal_ops(h->fh), hdabdl_fault_hal_context(h->fh), NULL,
                                         &h->fx.ctrl),
                  HDABDL_STATUS_SUCCESS);
    assert_status(hdabdl_client_open(h->fx.ctrl, 0, 1, &h->fx.client), HDABDL_STATUS_SUCCESS);
    assert_status(hdabdl_client_open(h->fx.ctrl, 0, 1, &h->other), HDABDL_STATUS_SUCCESS);
    *state = h;
    return 0;
}

static int hw_teardown(void **state)
{
    struct hw *h = *state;
    hdabdl_fault_hal_disarm_all(h->fh);
    hdabdl_client_close(h->other);
    hdabdl_client_close(h->fx.client);
    hdabdl_controller_close(h->fx.ctrl);
    assert_int_equal(hdabdl_fault_hal_outstanding(h->fh, HDABDL_FAULT_RES_DMA), 0);
    assert_int_equal(hdabdl_fault_hal_outstanding(h->fh, HDABDL_FAULT_RES_MEM), 0);
    assert_int_equal(hdabdl_mock_hal_dma_blocks(h->fx.hal), 0);
    hdabdl_fault_hal_destroy(h->fh);
    hdabdl_mock_hal_destroy(h->fx.hal);
    free(h);
    return 0;
}

/* A render stream with a BDL, set up and paused (not running). */
static void ready_stream(hdabdl_client *client, struct fx_stream *s)
{
    struct hdabdl_stream_format f = fx_format_default();
    fx_render_stream(client, &f, 4, 3840, true, s);   /* 20 ms fragments */
    assert_status(fx_state1(client, HDABDL_PAUSE_STATE, s->handle), HDABDL_STATUS_SUCCESS);
}

static uint32_t lpib_of(struct hw *h, hdabdl_client *client, hdabdl_handle handle)
{
    uint32_t v = 0;
    (void)hdabdl_mock_mmio_read(hdabdl_mock_hal_device(h->fx.hal),
                                HDA_SD_OFFSET(fx_info(client, handle).sd_index, HDA_SD_LPIB), 4, &v);
    return v;
}

static uint32_t sd_ctl_of(struct hw *h, hdabdl_client *client, hdabdl_handle handle)
{
    uint32_t v = 0;
    (void)hdabdl_mock_mmio_read(hdabdl_mock_hal_device(h->fx.hal),
                                HDA_SD_OFFSET(fx_info(client, handle).sd_index, HDA_SD_CTL), 1, &v);
    return v;
}

static void arm_at(struct hw *h, enum hdabdl_fault_kind kind, uint32_t offset, uint64_t nth, bool sticky)
{
    struct hdabdl_fault_spec spec = {.kind = kind, .nth = nth, .offset = offset,
                                     .flags = HDABDL_FAULT_AT_OFFSET | (sticky ? HDABDL_FAULT_STICKY : 0u)};
    assert_status(hdabdl_fault_hal_arm(h->fh, &spec, NULL), HDABDL_STATUS_SUCCESS);
}

/* ---- 1. No value from a failed read is written back ---------------------------------------- */

static void test_gctl_intctl_and_ssync_are_never_read_to_be_modified(void **state)
{
    struct hw *h = *state;
    struct fx_stream a, b;
    hdabdl_fault_hal_reset_counts(h->fh);
    ready_stream(h->fx.client, &a);
    ready_stream(h->other, &b);
    assert_status(fx_state1(h->fx.client, HDABDL_RUN_STATE, a.handle), HDABDL_STATUS_SUCCESS);
    assert_status(fx_state1(h->other, HDABDL_RUN_STATE, b.handle), HDABDL_STATUS_SUCCESS);
    fx_advance_ms(&h->fx, 20);
    assert_status(fx_state1(h->fx.client, HDABDL_PAUSE_STATE, a.handle), HDABDL_STATUS_SUCCESS);
    assert_int_equal(hdabdl_fault_hal_reg_reads(h->fh, HDA_REG_INTCTL, HDABDL_FAULT_SINCE_RESET), 0);
    assert_int_equal(hdabdl_fault_hal_reg_reads(h->fh, HDA_REG_SSYNC, HDABDL_FAULT_SINCE_RESET), 0);
    assert_int_equal(hdabdl_fault_hal_reg_reads(h->fh, HDA_REG_GCTL, HDABDL_FAULT_SINCE_RESET), 0);
    assert_true(hdabdl_fault_hal_reg_writes(h->fh, HDA_REG_SSYNC, HDABDL_FAULT_SINCE_RESET) >= 4);
}

static void test_a_failed_read_while_starting_engine_b_leaves_running_engine_a_running(void **state)
{
    struct hw *h = *state;
    struct fx_stream a, b;
    ready_stream(h->fx.client, &a);
    ready_stream(h->other, &b);
    assert_status(fx_state1(h->fx.client, HDABDL_RUN_STATE, a.handle), HDABDL_STATUS_SUCCESS);
    /* B's FIFO never reads ready: every read of its status fails. */
    arm_at(h, HDABDL_FAULT_REG_READ_ALL_ONES,
           HDA_SD_OFFSET(fx_info(h->other, b.handle).sd_index, HDA_SD_STS), 1, true);
    assert_true(!HDABDL_NT_SUCCESS(fx_state1(h->other, HDABDL_RUN_STATE, b.handle)));
    hdabdl_fault_hal_disarm_all(h->fh);
    assert_int_equal(fx_info(h->other, b.handle).state, HDABDL_PAUSE_STATE);
    assert_int_equal(sd_ctl_of(h, h->other, b.handle) & HDA_SD_CTL_RUN, 0);
    /* A runs on: its position moves, SSYNC holds nothing. */
    uint32_t before = lpib_of(h, h->fx.client, a.handle);
    fx_advance_ms(&h->fx, 20);
    assert_int_not_equal(lpib_of(h, h->fx.client, a.handle), before);
    assert_int_equal(fx_info(h->fx.client, a.handle).state, HDABDL_RUN_STATE);
    assert_int_equal(fx_reg(&h->fx, HDA_REG_SSYNC, 4), 0);
    assert_int_equal(hdabdl_fault_hal_tainted_writes(h->fh, HDABDL_FAULT_SINCE_CREATE), 0);
}

/* ---- 2. Run that meets an I/O error does not leave the engine running ---------------------- */

static void test_run_that_meets_an_io_error_leaves_its_engine_stopped(void **state)
{
    struct hw *h = *state;
    struct fx_stream a;
    ready_stream(h->fx.client, &a);
    /* The write that releases SSYNC fails (the second SSYNC write of the Run). */
    arm_at(h, HDABDL_FAULT_REG_WRITE_ERROR, HDA_REG_SSYNC, 2, false);
    assert_status(fx_state1(h->fx.client, HDABDL_RUN_STATE, a.handle), HDABDL_STATUS_IO_DEVICE_ERROR);
    assert_int_equal(fx_info(h->fx.client, a.handle).state, HDABDL_PAUSE_STATE);
    assert_int_equal(sd_ctl_of(h, h->fx.client, a.handle) & HDA_SD_CTL_RUN, 0);
    uint32_t before = lpib_of(h, h->fx.client, a.handle);
    fx_advance_ms(&h->fx, 20);
    assert_int_equal(lpib_of(h, h->fx.client, a.handle), before);   /* no DMA moves */
    /* Nothing is left over: the next Run works. */
    assert_status(fx_state1(h->fx.client, HDABDL_RUN_STATE, a.handle), HDABDL_STATUS_SUCCESS);
}

/* ---- 3. A verb's I/O error is its own call's ------------------------------------------------- */

static void test_an_io_error_in_a_sync_transfer_is_that_calls_status_not_the_next_ones(void **state)
{
    struct hw *h = *state;
    struct hdabdl_codec_transfer t = {.output.command = HDABDL_VERB12(0, 0, HDABDL_VERB_GET_PARAMETER, 0)};
    struct hdabdl_stream_format f = fx_format_default();
    hdabdl_handle e;
    hdabdl_converter_format conv;
    arm_at(h, HDABDL_FAULT_REG_WRITE_ERROR, HDA_REG_CORBWP, 1, false);
    assert_status(hdabdl_transfer_codec_verbs(h->fx.client, 1, &t, NULL, NULL), HDABDL_STATUS_IO_DEVICE_ERROR);
    /* The next, unrelated call does not inherit it. */
    assert_status(hdabdl_allocate_render_dma_engine(h->fx.client, &f, false, &e, &conv), HDABDL_STATUS_SUCCESS);
    assert_status(hdabdl_free_dma_engine(h->fx.client, e), HDABDL_STATUS_SUCCESS);
    assert_status(hdabdl_transfer_codec_verbs(h->fx.client, 1, &t, NULL, NULL), HDABDL_STATUS_SUCCESS);
    assert_true(HDABDL_RESPONSE_IS_VALID(t.input.complete_response));
}

/* ---- 4. A free that meets an I/O error releases everything and says so ----------------------- */

static void test_a_free_that_meets_an_io_error_releases_everything_and_says_so(void **state)
{
    struct hw *h = *state;
    struct fx_stream a;
    ready_stream(h->fx.client, &a);
    assert_status(fx_state1(h->fx.client, HDABDL_RESET_STATE, a.handle), HDABDL_STATUS_SUCCESS);
    int64_t dma = hdabdl_fault_hal_outstanding(h->fh, HDABDL_FAULT_RES_DMA);
    /* The write that clears the BDL address fails during the teardown. */
    arm_at(h, HDABDL_FAULT_REG_WRITE_ERROR, HDA_SD_OFFSET(fx_info(h->fx.client, a.handle).sd_index, HDA_SD_BDPL),
           1, false);
    assert_status(hdabdl_free_contiguous_dma_buffer(h->fx.client, a.handle), HDABDL_STATUS_IO_DEVICE_ERROR);
    assert_int_equal(hdabdl_fault_hal_outstanding(h->fh, HDABDL_FAULT_RES_DMA), dma - 2);   /* data and BDL */
    assert_int_equal(fx_info(h->fx.client, a.handle).buffer, HDABDL_BUFFER_NONE);
    assert_status(hdabdl_free_dma_engine(h->fx.client, a.handle), HDABDL_STATUS_SUCCESS);
}

/* ---- 5. A vanished device ------------------------------------------------------------------- */

static void test_a_vanished_device_is_does_not_exist_and_everything_is_released(void **state)
{
    struct hw *h = *state;
    struct fx_stream a;
    struct hdabdl_stream_format f = fx_format_default();
    struct hdabdl_codec_transfer t = {.output.command = HDABDL_VERB12(0, 0, HDABDL_VERB_GET_PARAMETER, 0)};
    hdabdl_handle e;
    hdabdl_converter_format conv;
    uint8_t cad, node;
    ready_stream(h->fx.client, &a);
    assert_status(fx_state1(h->fx.client, HDABDL_RUN_STATE, a.handle), HDABDL_STATUS_SUCCESS);
    hdabdl_mock_set_fault(hdabdl_mock_hal_device(h->fx.hal), HDABDL_MOCK_FAULT_ALL_ONES, 0, true);
    fx_advance_ms(&h->fx, 5);
    /* The first routine that reads finds out; every one says so from then on. */
    assert_status(fx_state1(h->fx.client, HDABDL_PAUSE_STATE, a.handle), HDABDL_STATUS_DEVICE_DOES_NOT_EXIST);
    assert_int_equal(fx_info(h->fx.client, a.handle).state, HDABDL_RESET_STATE);   /* nothing runs */
    assert_status(hdabdl_transfer_codec_verbs(h->fx.client, 1, &t, NULL, NULL),
                  HDABDL_STATUS_DEVICE_DOES_NOT_EXIST);
    assert_status(hdabdl_allocate_render_dma_engine(h->fx.client, &f, false, &e, &conv),
                  HDABDL_STATUS_DEVICE_DOES_NOT_EXIST);
    assert_status(hdabdl_get_resource_information(h->fx.client, &cad, &node),
                  HDABDL_STATUS_DEVICE_DOES_NOT_EXIST);
    assert_int_equal(cad, 0);   /* the DDI's version returns nothing: the outputs still come */
    assert_int_equal(node, 1);
    uint64_t writes = hdabdl_fault_hal_slot_calls(h->fh, HDABDL_FAULT_SLOT_REG_WRITE, HDABDL_FAULT_SINCE_CREATE);
    /* The frees release and report; the hardware is not touched. */
    assert_status(hdabdl_free_contiguous_dma_buffer(h->fx.client, a.handle),
                  HDABDL_STATUS_DEVICE_DOES_NOT_EXIST);
    assert_int_equal(fx_info(h->fx.client, a.handle).buffer, HDABDL_BUFFER_NONE);
    assert_status(hdabdl_free_dma_engine(h->fx.client, a.handle), HDABDL_STATUS_DEVICE_DOES_NOT_EXIST);
    assert_status(hdabdl_free_dma_engine(h->fx.client, a.handle), HDABDL_STATUS_INVALID_HANDLE);   /* gone */
    hdabdl_client_close(h->other);
    h->other = NULL;
    assert_int_equal(hdabdl_fault_hal_slot_calls(h->fh, HDABDL_FAULT_SLOT_REG_WRITE, HDABDL_FAULT_SINCE_CREATE),
                     writes);
}

static void test_close_of_a_vanished_device_releases_everything_without_writing(void **state)
{
    struct hw *h = *state;
    struct fx_stream a;
    ready_stream(h->fx.client, &a);
    assert_status(fx_state1(h->fx.client, HDABDL_RUN_STATE, a.handle), HDABDL_STATUS_SUCCESS);
    hdabdl_mock_set_fault(hdabdl_mock_hal_device(h->fx.hal), HDABDL_MOCK_FAULT_ALL_ONES, 0, true);
    assert_status(fx_state1(h->fx.client, HDABDL_PAUSE_STATE, a.handle), HDABDL_STATUS_DEVICE_DOES_NOT_EXIST);
    uint64_t writes = hdabdl_fault_hal_slot_calls(h->fh, HDABDL_FAULT_SLOT_REG_WRITE, HDABDL_FAULT_SINCE_CREATE);
    hdabdl_client_close(h->other);
    hdabdl_client_close(h->fx.client);
    hdabdl_controller_close(h->fx.ctrl);
    h->other = h->fx.client = NULL;
    h->fx.ctrl = NULL;
    assert_int_equal(hdabdl_fault_hal_slot_calls(h->fh, HDABDL_FAULT_SLOT_REG_WRITE, HDABDL_FAULT_SINCE_CREATE),
                     writes);
    /* hw_teardown checks that no DMA block or memory is left. */
}

#define T(name) cmocka_unit_test_setup_teardown(name, hw_setup, hw_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_gctl_intctl_and_ssync_are_never_read_to_be_modified),
        T(test_a_failed_read_while_starting_engine_b_leaves_running_engine_a_running),
        T(test_run_that_meets_an_io_error_leaves_its_engine_stopped),
        T(test_an_io_error_in_a_sync_transfer_is_that_calls_status_not_the_next_ones),
        T(test_a_free_that_meets_an_io_error_releases_everything_and_says_so),
        T(test_a_vanished_device_is_does_not_exist_and_everything_is_released),
        T(test_close_of_a_vanished_device_releases_everything_without_writing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
