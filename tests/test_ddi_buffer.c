/* SPDX-License-Identifier: MIT */
/*
 * test_ddi_buffer.c - AllocateContiguousDmaBuffer, SetupDmaEngineWithBdl,
 * FreeContiguousDmaBuffer and FreeDmaEngine: the buffer half of the engine
 * life cycle (ddi.md §4.9-4.12, §6.1, §9 #1; hw.md §4).
 */
#include "support/fixture.h"
#include "test_bdl_util.h"

#include <string.h>

#define GIB4 0x100000000ull

static void cfg_high_no64(struct hdabdl_mock_hal_config *c)
{
    c->dma_high_bus_base = GIB4;
    c->device.addr64 = false;
}
static int setup_high_no64(void **state) { return fx_setup_with(state, cfg_high_no64, 1); }

static void cfg_high_64(struct hdabdl_mock_hal_config *c)
{
    c->dma_high_bus_base = GIB4;
    c->device.addr64 = true;
}
static int setup_high_64(void **state) { return fx_setup_with(state, cfg_high_64, 1); }

/* A render engine (default format) with a buffer of @size and nothing written to the BDL. */
static void engine_with_buffer(struct fx *fx, uint32_t size, struct fx_stream *s)
{
    memset(s, 0, sizeof(*s));
    s->client = fx->client;
    s->format = fx_format_default();
    s->handle = fx_alloc_render(fx->client, &s->format, false);
    s->sd = fx_info(fx->client, s->handle).sd_index;
    fx_alloc_buffer(s, size);
}

static hdabdl_status try_alloc_buffer(struct fx *fx, hdabdl_handle h, uint32_t size)
{
    void *data = NULL;
    uint64_t data_bus = 0, bdl_bus = 0;
    struct hdabdl_buffer_descriptor *bdl = NULL;
    return hdabdl_allocate_contiguous_dma_buffer(fx->client, h, size, &data, &data_bus, &bdl,
                                                 &bdl_bus);
}

static hdabdl_status setup_len_lvi(struct fx_stream *s, uint32_t length, uint32_t lvi)
{
    s->length = length;
    s->lvi = lvi;
    return fx_try_setup(s);
}

/* Setup must fail with @want and leave the engine with its buffer merely allocated. */
static void assert_setup_rejected(struct fx *fx, struct fx_stream *s, hdabdl_status want)
{
    assert_status(fx_try_setup(s), want);
    struct hdabdl_engine_info i = fx_info(fx->client, s->handle);
    assert_int_equal(i.buffer, HDABDL_BUFFER_ALLOCATED);
    assert_int_equal(i.state, HDABDL_RESET_STATE);
    assert_int_equal(fx_sd_ctl(fx, s->sd) & HDA_SD_CTL_RUN, 0);
}

/* ---- AllocateContiguousDmaBuffer ----------------------------------------------------------- */

static void test_allocate_buffer_gives_a_page_aligned_one_page_bdl(void **state)
{
    struct fx *fx = *state;
    struct fx_stream s;
    engine_with_buffer(fx, 6000, &s);
    assert_int_equal((uintptr_t)s.bdl % HDABDL_PAGE_SIZE, 0);
    assert_int_equal(s.bdl_bus % HDABDL_PAGE_SIZE, 0);
    /* A whole page of entries is writable (fx_alloc_buffer cleared it all). */
    memset(s.bdl, 0x5A, HDABDL_PAGE_SIZE);
    memset(s.data, 0xA5, 6000);
    /* The data buffer and the BDL do not overlap on the bus. */
    assert_true(s.data_bus + 6000 <= s.bdl_bus || s.bdl_bus + HDABDL_PAGE_SIZE <= s.data_bus);
}

static void test_allocate_buffer_records_the_requested_size(void **state)
{
    struct fx *fx = *state;
    struct fx_stream s;
    engine_with_buffer(fx, 6000, &s);
    struct hdabdl_engine_info i = fx_info(fx->client, s.handle);
    assert_int_equal(i.buffer, HDABDL_BUFFER_ALLOCATED);
    assert_int_equal(i.buffer_size, 6000);
    assert_int_equal(i.state, HDABDL_RESET_STATE);
}

static void test_allocate_buffer_data_bus_address_is_128_byte_aligned(void **state)
{
    struct fx *fx = *state;
    struct fx_stream s;
    engine_with_buffer(fx, 300, &s);
    assert_int_equal(s.data_bus % HDA_BDL_FRAGMENT_ALIGN, 0);
}

static void test_allocate_buffer_twice_is_idr(void **state)
{
    struct fx *fx = *state;
    struct fx_stream s;
    engine_with_buffer(fx, 4096, &s);
    size_t blocks = hdabdl_mock_hal_dma_blocks(fx->hal);
    assert_status(try_alloc_buffer(fx, s.handle, 4096), HDABDL_STATUS_INVALID_DEVICE_REQUEST);
    assert_int_equal(hdabdl_mock_hal_dma_blocks(fx->hal), blocks);
    assert_int_equal(fx_info(fx->client, s.handle).buffer_size, 4096);
}

static void test_allocate_buffer_after_setup_is_idr(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_stream_format f = fx_format_default();
    struct fx_stream s;
    fx_render_stream(fx->client, &f, 2, 1024, false, &s);
    assert_status(try_alloc_buffer(fx, s.handle, 4096), HDABDL_STATUS_INVALID_DEVICE_REQUEST);
    assert_int_equal(fx_info(fx->client, s.handle).buffer, HDABDL_BUFFER_PROGRAMMED);
}

static void test_allocate_buffer_while_running_or_paused_is_idr(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_stream_format f = fx_format_default();
    struct fx_stream s;
    fx_render_stream(fx->client, &f, 2, 1024, false, &s);
    assert_status(fx_state1(fx->client, HDABDL_PAUSE_STATE, s.handle), HDABDL_STATUS_SUCCESS);
    assert_status(try_alloc_buffer(fx, s.handle, 4096), HDABDL_STATUS_INVALID_DEVICE_REQUEST);
    assert_status(fx_state1(fx->client, HDABDL_RUN_STATE, s.handle), HDABDL_STATUS_SUCCESS);
    assert_status(try_alloc_buffer(fx, s.handle, 4096), HDABDL_STATUS_INVALID_DEVICE_REQUEST);
    assert_int_equal(fx_info(fx->client, s.handle).state, HDABDL_RUN_STATE);
}

static void test_allocate_buffer_of_size_0_is_invalid_parameter(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_stream_format f = fx_format_default();
    hdabdl_handle h = fx_alloc_render(fx->client, &f, false);
    assert_status(try_alloc_buffer(fx, h, 0), HDABDL_STATUS_INVALID_PARAMETER);
    assert_int_equal(fx_info(fx->client, h).buffer, HDABDL_BUFFER_NONE);
    assert_int_equal(hdabdl_mock_hal_dma_blocks(fx->hal), fx->dma_baseline);
}

static void test_allocate_buffer_with_any_null_out_pointer_is_invalid_parameter(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_stream_format f = fx_format_default();
    hdabdl_handle h = fx_alloc_render(fx->client, &f, false);
    void *data;
    uint64_t data_bus, bdl_bus;
    struct hdabdl_buffer_descriptor *bdl;
    assert_status(hdabdl_allocate_contiguous_dma_buffer(fx->client, h, 4096, NULL, &data_bus, &bdl,
                                                        &bdl_bus),
                  HDABDL_STATUS_INVALID_PARAMETER);
    assert_status(hdabdl_allocate_contiguous_dma_buffer(fx->client, h, 4096, &data, NULL, &bdl,
                                                        &bdl_bus),
                  HDABDL_STATUS_INVALID_PARAMETER);
    assert_status(hdabdl_allocate_contiguous_dma_buffer(fx->client, h, 4096, &data, &data_bus,
                                                        NULL, &bdl_bus),
                  HDABDL_STATUS_INVALID_PARAMETER);
    assert_status(hdabdl_allocate_contiguous_dma_buffer(fx->client, h, 4096, &data, &data_bus, &bdl,
                                                        NULL),
                  HDABDL_STATUS_INVALID_PARAMETER);
    assert_int_equal(fx_info(fx->client, h).buffer, HDABDL_BUFFER_NONE);
    assert_int_equal(hdabdl_mock_hal_dma_blocks(fx->hal), fx->dma_baseline);
}

static void test_allocate_buffer_hal_failure_is_insufficient_resources_and_changes_nothing(
    void **state)
{
    struct fx *fx = *state;
    struct hdabdl_stream_format f = fx_format_default();
    hdabdl_handle h = fx_alloc_render(fx->client, &f, false);
    hdabdl_mock_hal_fail_dma_alloc(fx->hal, 0, 1);
    assert_status(try_alloc_buffer(fx, h, 4096), HDABDL_STATUS_INSUFFICIENT_RESOURCES);
    assert_int_equal(fx_info(fx->client, h).buffer, HDABDL_BUFFER_NONE);
    assert_int_equal(hdabdl_mock_hal_dma_blocks(fx->hal), fx->dma_baseline);
    /* The engine is still usable. */
    assert_status(try_alloc_buffer(fx, h, 4096), HDABDL_STATUS_SUCCESS);
}

static void test_allocate_buffer_second_hal_failure_frees_the_first_block(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_stream_format f = fx_format_default();
    hdabdl_handle h = fx_alloc_render(fx->client, &f, false);
    hdabdl_mock_hal_fail_dma_alloc(fx->hal, 1, 1);
    hdabdl_status st = try_alloc_buffer(fx, h, 4096);
    hdabdl_mock_hal_fail_dma_alloc(fx->hal, 0, 0);
    if (st == HDABDL_STATUS_SUCCESS) {
        /* The core needed a single block (data and BDL in one allocation). */
        assert_int_equal(hdabdl_mock_hal_dma_blocks(fx->hal), fx->dma_baseline + 1);
        return;
    }
    assert_status(st, HDABDL_STATUS_INSUFFICIENT_RESOURCES);
    assert_int_equal(fx_info(fx->client, h).buffer, HDABDL_BUFFER_NONE);
    assert_int_equal(hdabdl_mock_hal_dma_blocks(fx->hal), fx->dma_baseline);
}

static void test_buffer_and_bdl_stay_below_4_gib_without_64ok(void **state)
{
    struct fx *fx = *state; /* high arena at 4 GiB, addr64 false */
    struct fx_stream s;
    engine_with_buffer(fx, 65536, &s);
    assert_true(s.data_bus + 65536 <= GIB4);
    assert_true(s.bdl_bus + HDABDL_PAGE_SIZE <= GIB4);
    assert_false(fx_ctrl_info(fx).addr64);
}

static void test_buffer_may_come_from_above_4_gib_with_64ok(void **state)
{
    struct fx *fx = *state; /* high arena at 4 GiB, addr64 true */
    struct fx_stream s;
    engine_with_buffer(fx, 65536, &s);
    /* The mock serves every allocation whose limit allows it from the high arena. */
    assert_true(s.data_bus >= GIB4);
}

static void test_setup_programs_bdpu_with_the_high_half_of_the_bdl_address(void **state)
{
    struct fx *fx = *state; /* high arena at 4 GiB, addr64 true */
    struct hdabdl_stream_format f = fx_format_default();
    struct fx_stream s;
    fx_render_stream(fx->client, &f, 2, 1024, false, &s);
    assert_int_equal(fx_sd_reg(fx, s.sd, HDA_SD_BDPL, 4), (uint32_t)s.bdl_bus);
    assert_int_equal(fx_sd_reg(fx, s.sd, HDA_SD_BDPU, 4), (uint32_t)(s.bdl_bus >> 32));
    assert_true(s.bdl_bus >= GIB4); /* so BDPU is not 0 */
    assert_int_equal(fx_sd_reg(fx, s.sd, HDA_SD_BDPU, 4), 1);
}

static void test_a_high_buffer_is_played_from_its_64_bit_addresses(void **state)
{
    struct fx *fx = *state; /* high arena at 4 GiB, addr64 true */
    struct hdabdl_stream_format f = fx_format_default();
    struct fx_stream s;
    fx_render_stream(fx->client, &f, 2, 1920, false, &s);
    for (uint32_t i = 0; i < s.length; i++)
        s.data[i] = (uint8_t)(i * 7 + 1);
    fx_start_stream(&s);
    fx_advance_ms(fx, 5);
    uint8_t out[960];
    assert_int_equal(hdabdl_mock_link_tap_read(fx->dev, s.tag, out, sizeof(out)), sizeof(out));
    assert_memory_equal(out, s.data, sizeof(out));
}

/* ---- FreeContiguousDmaBuffer ------------------------------------------------------------------- */

static void test_free_buffer_without_a_buffer_is_idr(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_stream_format f = fx_format_default();
    hdabdl_handle h = fx_alloc_render(fx->client, &f, false);
    assert_status(hdabdl_free_contiguous_dma_buffer(fx->client, h),
                  HDABDL_STATUS_INVALID_DEVICE_REQUEST);
    assert_int_equal(fx_info(fx->client, h).buffer, HDABDL_BUFFER_NONE);
}

static void test_free_buffer_while_running_or_paused_is_idr(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_stream_format f = fx_format_default();
    struct fx_stream s;
    fx_render_stream(fx->client, &f, 2, 1024, false, &s);
    assert_status(fx_state1(fx->client, HDABDL_PAUSE_STATE, s.handle), HDABDL_STATUS_SUCCESS);
    assert_status(hdabdl_free_contiguous_dma_buffer(fx->client, s.handle),
                  HDABDL_STATUS_INVALID_DEVICE_REQUEST);
    assert_status(fx_state1(fx->client, HDABDL_RUN_STATE, s.handle), HDABDL_STATUS_SUCCESS);
    assert_status(hdabdl_free_contiguous_dma_buffer(fx->client, s.handle),
                  HDABDL_STATUS_INVALID_DEVICE_REQUEST);
    struct hdabdl_engine_info i = fx_info(fx->client, s.handle);
    assert_int_equal(i.buffer, HDABDL_BUFFER_PROGRAMMED);
    assert_true(fx_sd_running(fx, s.sd));
}

static void test_free_buffer_releases_both_blocks_and_leaves_no_buffer(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_stream_format f = fx_format_default();
    struct fx_stream s;
    fx_render_stream(fx->client, &f, 2, 1024, false, &s);
    assert_true(hdabdl_mock_hal_dma_blocks(fx->hal) > fx->dma_baseline);
    assert_status(hdabdl_free_contiguous_dma_buffer(fx->client, s.handle), HDABDL_STATUS_SUCCESS);
    assert_int_equal(hdabdl_mock_hal_dma_blocks(fx->hal), fx->dma_baseline);
    assert_int_equal(fx_info(fx->client, s.handle).buffer, HDABDL_BUFFER_NONE);
}

static void test_free_buffer_of_a_merely_allocated_buffer_succeeds(void **state)
{
    struct fx *fx = *state;
    struct fx_stream s;
    engine_with_buffer(fx, 4096, &s);
    assert_status(hdabdl_free_contiguous_dma_buffer(fx->client, s.handle), HDABDL_STATUS_SUCCESS);
    assert_int_equal(hdabdl_mock_hal_dma_blocks(fx->hal), fx->dma_baseline);
}

static void test_a_buffer_can_be_allocated_again_after_it_was_freed(void **state)
{
    struct fx *fx = *state;
    struct fx_stream s;
    engine_with_buffer(fx, 4096, &s);
    assert_status(hdabdl_free_contiguous_dma_buffer(fx->client, s.handle), HDABDL_STATUS_SUCCESS);
    fx_alloc_buffer(&s, 8192);
    fx_fill_bdl(&s, 4, 2048, false);
    assert_status(fx_try_setup(&s), HDABDL_STATUS_SUCCESS);
    assert_int_equal(fx_info(fx->client, s.handle).buffer_size, 8192);
    assert_int_equal(fx_sd_reg(fx, s.sd, HDA_SD_CBL, 4), 8192);
}

/* ---- FreeDmaEngine ------------------------------------------------------------------------------------ */

static void test_free_engine_with_a_buffer_allocated_is_idr(void **state)
{
    struct fx *fx = *state;
    struct fx_stream s;
    engine_with_buffer(fx, 4096, &s);
    assert_status(hdabdl_free_dma_engine(fx->client, s.handle), HDABDL_STATUS_INVALID_DEVICE_REQUEST);
    assert_int_equal(fx_info(fx->client, s.handle).buffer, HDABDL_BUFFER_ALLOCATED);
}

static void test_free_engine_with_a_buffer_programmed_is_idr(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_stream_format f = fx_format_default();
    struct fx_stream s;
    fx_render_stream(fx->client, &f, 2, 1024, false, &s);
    assert_status(hdabdl_free_dma_engine(fx->client, s.handle), HDABDL_STATUS_INVALID_DEVICE_REQUEST);
    assert_int_equal(fx_info(fx->client, s.handle).buffer, HDABDL_BUFFER_PROGRAMMED);
    assert_int_equal(fx_bandwidth(fx).sdo_used[0], 32);
}

static void test_free_engine_while_running_or_paused_is_idr(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_stream_format f = fx_format_default();
    struct fx_stream s;
    fx_render_stream(fx->client, &f, 2, 1024, false, &s);
    fx_start_stream(&s);
    assert_status(hdabdl_free_dma_engine(fx->client, s.handle), HDABDL_STATUS_INVALID_DEVICE_REQUEST);
    assert_true(fx_sd_running(fx, s.sd));
    assert_status(fx_state1(fx->client, HDABDL_PAUSE_STATE, s.handle), HDABDL_STATUS_SUCCESS);
    assert_status(hdabdl_free_dma_engine(fx->client, s.handle), HDABDL_STATUS_INVALID_DEVICE_REQUEST);
    assert_int_equal(fx_info(fx->client, s.handle).state, HDABDL_PAUSE_STATE);
}

static void test_engine_life_cycle_none_allocated_programmed_none_free(void **state)
{
    struct fx *fx = *state;
    struct fx_stream s;
    engine_with_buffer(fx, 4096, &s);
    assert_int_equal(fx_info(fx->client, s.handle).buffer, HDABDL_BUFFER_ALLOCATED);
    fx_fill_bdl(&s, 2, 2048, true);
    assert_status(fx_try_setup(&s), HDABDL_STATUS_SUCCESS);
    assert_int_equal(fx_info(fx->client, s.handle).buffer, HDABDL_BUFFER_PROGRAMMED);
    fx_start_stream(&s);
    fx_advance_ms(fx, 2);
    assert_status(fx_state1(fx->client, HDABDL_PAUSE_STATE, s.handle), HDABDL_STATUS_SUCCESS);
    assert_status(fx_state1(fx->client, HDABDL_RESET_STATE, s.handle), HDABDL_STATUS_SUCCESS);
    assert_status(hdabdl_free_contiguous_dma_buffer(fx->client, s.handle), HDABDL_STATUS_SUCCESS);
    assert_int_equal(fx_info(fx->client, s.handle).buffer, HDABDL_BUFFER_NONE);
    assert_status(hdabdl_free_dma_engine(fx->client, s.handle), HDABDL_STATUS_SUCCESS);
    assert_int_equal(hdabdl_mock_hal_dma_blocks(fx->hal), fx->dma_baseline);
    assert_int_equal(fx_bandwidth(fx).sdo_used[0], 0);
}

/* ---- SetupDmaEngineWithBdl: state ------------------------------------------------------------------------ */

static void test_setup_without_a_buffer_is_idr(void **state)
{
    struct fx *fx = *state;
    struct fx_stream s;
    memset(&s, 0, sizeof(s));
    s.client = fx->client;
    struct hdabdl_stream_format f = fx_format_default();
    s.handle = fx_alloc_render(fx->client, &f, false);
    s.length = 2048;
    s.lvi = 1;
    assert_status(fx_try_setup(&s), HDABDL_STATUS_INVALID_DEVICE_REQUEST);
    assert_int_equal(fx_info(fx->client, s.handle).buffer, HDABDL_BUFFER_NONE);
}

static void test_setup_while_paused_is_idr(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_stream_format f = fx_format_default();
    struct fx_stream s;
    fx_render_stream(fx->client, &f, 2, 1024, false, &s);
    assert_status(fx_state1(fx->client, HDABDL_PAUSE_STATE, s.handle), HDABDL_STATUS_SUCCESS);
    assert_status(fx_try_setup(&s), HDABDL_STATUS_INVALID_DEVICE_REQUEST);
    assert_status(fx_state1(fx->client, HDABDL_RUN_STATE, s.handle), HDABDL_STATUS_SUCCESS);
    assert_status(fx_try_setup(&s), HDABDL_STATUS_INVALID_DEVICE_REQUEST);
    assert_true(fx_sd_running(fx, s.sd));
    assert_int_equal(fx_info(fx->client, s.handle).state, HDABDL_RUN_STATE);
}

static void test_setup_leaves_the_engine_in_reset_with_run_clear(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_stream_format f = fx_format_default();
    struct fx_stream s;
    fx_render_stream(fx->client, &f, 2, 1024, true, &s);
    struct hdabdl_engine_info i = fx_info(fx->client, s.handle);
    assert_int_equal(i.state, HDABDL_RESET_STATE);
    assert_int_equal(i.buffer, HDABDL_BUFFER_PROGRAMMED);
    uint32_t ctl = fx_sd_ctl(fx, s.sd);
    assert_int_equal(ctl & HDA_SD_CTL_RUN, 0);
    assert_int_equal(ctl & HDA_SD_CTL_SRST, 0); /* out of stream reset: registers hold */
    fx_advance_ms(fx, 10);
    assert_int_equal(fx_sd_lpib(fx, s.sd), 0);
    assert_int_equal(hdabdl_mock_link_tap_available(fx->dev, s.tag), 0);
}

static void test_setup_can_be_repeated_while_reset(void **state)
{
    struct fx *fx = *state;
    struct fx_stream s;
    engine_with_buffer(fx, 8192, &s);
    fx_fill_bdl(&s, 2, 4096, false);
    assert_status(fx_try_setup(&s), HDABDL_STATUS_SUCCESS);
    fx_fill_bdl(&s, 4, 1024, true);
    assert_status(fx_try_setup(&s), HDABDL_STATUS_SUCCESS);
    assert_int_equal(fx_sd_reg(fx, s.sd, HDA_SD_LVI, 2), 3);
    assert_int_equal(fx_sd_reg(fx, s.sd, HDA_SD_CBL, 4), 4096);
    struct hdabdl_engine_info i = fx_info(fx->client, s.handle);
    assert_int_equal(i.lvi, 3);
    assert_int_equal(i.buffer_length, 4096);
    assert_int_equal(i.state, HDABDL_RESET_STATE);
}

static void test_setup_after_reset_from_pause_is_allowed(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_stream_format f = fx_format_default();
    struct fx_stream s;
    fx_render_stream(fx->client, &f, 4, 1024, false, &s);
    fx_start_stream(&s);
    fx_advance_ms(fx, 3);
    assert_status(fx_state1(fx->client, HDABDL_PAUSE_STATE, s.handle), HDABDL_STATUS_SUCCESS);
    assert_status(fx_state1(fx->client, HDABDL_RESET_STATE, s.handle), HDABDL_STATUS_SUCCESS);
    fx_fill_bdl(&s, 2, 2048, false);
    assert_status(fx_try_setup(&s), HDABDL_STATUS_SUCCESS);
    assert_int_equal(fx_sd_reg(fx, s.sd, HDA_SD_LVI, 2), 1);
}

/* ---- SetupDmaEngineWithBdl: what it programs --------------------------------------------------------------- */

static void test_setup_programs_sd_lvi_equal_to_lvi_not_lvi_minus_one(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_stream_format f = fx_format_default();
    struct fx_stream s;
    fx_render_stream(fx->client, &f, 4, 1024, false, &s);
    assert_int_equal(s.lvi, 3);
    assert_int_equal(fx_sd_reg(fx, s.sd, HDA_SD_LVI, 2), 3);
    assert_int_equal(fx_info(fx->client, s.handle).lvi, 3);
}

static void test_setup_with_lvi_1_programs_sd_lvi_1(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_stream_format f = fx_format_default();
    struct fx_stream s;
    fx_render_stream(fx->client, &f, 2, 1024, false, &s);
    assert_int_equal(fx_sd_reg(fx, s.sd, HDA_SD_LVI, 2), 1);
}

static void test_setup_programs_cbl_bdl_address_and_format(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_stream_format f = fx_format(44100, 16, 16, 2);
    struct fx_stream s;
    fx_render_stream(fx->client, &f, 3, 1280, false, &s);
    assert_int_equal(fx_sd_reg(fx, s.sd, HDA_SD_CBL, 4), 3840);
    assert_int_equal(fx_sd_reg(fx, s.sd, HDA_SD_BDPL, 4), (uint32_t)s.bdl_bus);
    assert_int_equal(fx_sd_reg(fx, s.sd, HDA_SD_BDPU, 4), (uint32_t)(s.bdl_bus >> 32));
    assert_int_equal(fx_sd_reg(fx, s.sd, HDA_SD_FMT, 2), 0x4011);
    struct hdabdl_engine_info i = fx_info(fx->client, s.handle);
    assert_int_equal(i.buffer_length, 3840);
}

static void test_setup_programs_the_stream_tag_in_sdnctl(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_stream_format f = fx_format_default();
    fx_alloc_render(fx->client, &f, false);
    struct fx_stream s;
    fx_render_stream(fx->client, &f, 2, 1024, false, &s);
    assert_int_equal((fx_sd_ctl(fx, s.sd) & HDA_SD_CTL_STRM_MASK) >> HDA_SD_CTL_STRM_SHIFT, 2);
}

static void test_setup_returns_the_tag_as_stream_id_and_the_fifo_size(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_stream_format f = fx_format_default();
    struct fx_stream s;
    fx_render_stream(fx->client, &f, 2, 1024, false, &s);
    struct hdabdl_engine_info i = fx_info(fx->client, s.handle);
    assert_int_equal(s.tag, i.stream_tag);
    assert_int_equal(s.tag, 1);
    assert_int_equal(s.fifo_size, 192);
    assert_int_equal(s.fifo_size, fx_sd_reg(fx, s.sd, HDA_SD_FIFOS, 2) + 1);
}

static void test_setup_enables_the_stream_interrupt_sources(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_stream_format f = fx_format_default();
    struct fx_stream s;
    fx_render_stream(fx->client, &f, 2, 1024, true, &s);
    /* IOC, FIFO error and descriptor error interrupts reach the ISR (DDI: BCIS/FIFOE/DESE). */
    assert_int_equal(fx_sd_ctl(fx, s.sd) & HDA_SD_CTL_INT_MASK, HDA_SD_CTL_INT_MASK);
}

static void test_setup_with_lvi_255_uses_the_whole_bdl_page(void **state)
{
    struct fx *fx = *state;
    struct fx_stream s;
    engine_with_buffer(fx, 256 * 128, &s);
    fx_fill_bdl(&s, 256, 128, false);
    assert_int_equal(s.lvi, 255);
    assert_status(fx_try_setup(&s), HDABDL_STATUS_SUCCESS);
    assert_int_equal(fx_sd_reg(fx, s.sd, HDA_SD_LVI, 2), 255);
}

static void test_setup_ignores_entries_after_lvi(void **state)
{
    struct fx *fx = *state;
    struct fx_stream s;
    engine_with_buffer(fx, 4096, &s);
    memset(s.bdl, 0xEE, HDABDL_PAGE_SIZE);
    fx_fill_bdl(&s, 2, 2048, false);
    assert_status(fx_try_setup(&s), HDABDL_STATUS_SUCCESS);
}

static void test_setup_accepts_unaligned_lengths_and_gaps_between_fragments(void **state)
{
    struct fx *fx = *state;
    struct fx_stream s;
    engine_with_buffer(fx, 4096, &s);
    hdabdl_bdl_write_entry(s.bdl, 0, s.data_bus, 1000, 0);
    hdabdl_bdl_write_entry(s.bdl, 1, s.data_bus + 1024, 1048, 1);
    assert_status(setup_len_lvi(&s, 2048, 1), HDABDL_STATUS_SUCCESS);
    assert_int_equal(fx_sd_reg(fx, s.sd, HDA_SD_CBL, 4), 2048);
}

static void test_setup_accepts_fragments_in_any_order(void **state)
{
    struct fx *fx = *state;
    struct fx_stream s;
    engine_with_buffer(fx, 4096, &s);
    hdabdl_bdl_write_entry(s.bdl, 0, s.data_bus + 2048, 2048, 1);
    hdabdl_bdl_write_entry(s.bdl, 1, s.data_bus, 2048, 1);
    assert_status(setup_len_lvi(&s, 4096, 1), HDABDL_STATUS_SUCCESS);
}

static void test_setup_accepts_a_buffer_length_below_the_requested_size(void **state)
{
    struct fx *fx = *state;
    struct fx_stream s;
    engine_with_buffer(fx, 8192, &s);
    fx_fill_bdl(&s, 2, 1024, false);
    assert_status(fx_try_setup(&s), HDABDL_STATUS_SUCCESS);
    struct hdabdl_engine_info i = fx_info(fx->client, s.handle);
    assert_int_equal(i.buffer_length, 2048);
    assert_int_equal(i.buffer_size, 8192);
}

/* ---- SetupDmaEngineWithBdl: what it refuses ---------------------------------------------------------------- */

static void test_setup_with_lvi_0_is_invalid_parameter(void **state)
{
    struct fx *fx = *state;
    struct fx_stream s;
    engine_with_buffer(fx, 4096, &s);
    fx_fill_bdl(&s, 1, 4096, true);
    assert_int_equal(s.lvi, 0);
    assert_setup_rejected(fx, &s, HDABDL_STATUS_INVALID_PARAMETER);
}

static void test_setup_with_lvi_256_is_invalid_parameter(void **state)
{
    struct fx *fx = *state;
    struct fx_stream s;
    engine_with_buffer(fx, 256 * 128, &s);
    fx_fill_bdl(&s, 256, 128, false);
    s.lvi = 256; /* 257 entries do not fit one page */
    s.length = 256 * 128;
    assert_setup_rejected(fx, &s, HDABDL_STATUS_INVALID_PARAMETER);
    s.lvi = 0xFFFFFFFFu;
    assert_setup_rejected(fx, &s, HDABDL_STATUS_INVALID_PARAMETER);
}

static void test_setup_rejects_a_fragment_not_on_a_128_byte_boundary(void **state)
{
    struct fx *fx = *state;
    struct fx_stream s;
    engine_with_buffer(fx, 4096, &s);
    hdabdl_bdl_write_entry(s.bdl, 0, s.data_bus, 1024, 0);
    hdabdl_bdl_write_entry(s.bdl, 1, s.data_bus + 1028, 1024, 0);
    s.length = 2048;
    s.lvi = 1;
    assert_setup_rejected(fx, &s, HDABDL_STATUS_INVALID_PARAMETER);
    bdl_entry_set_address(s.bdl, 1, s.data_bus + 1024 + 64);
    assert_setup_rejected(fx, &s, HDABDL_STATUS_INVALID_PARAMETER);
}

static void test_setup_rejects_a_misaligned_first_fragment(void **state)
{
    struct fx *fx = *state;
    struct fx_stream s;
    engine_with_buffer(fx, 4096, &s);
    hdabdl_bdl_write_entry(s.bdl, 0, s.data_bus + 4, 1024, 0);
    hdabdl_bdl_write_entry(s.bdl, 1, s.data_bus + 1152, 1024, 0);
    s.length = 2048;
    s.lvi = 1;
    assert_setup_rejected(fx, &s, HDABDL_STATUS_INVALID_PARAMETER);
}

static void test_setup_rejects_a_fragment_before_the_buffer(void **state)
{
    struct fx *fx = *state;
    struct fx_stream s;
    engine_with_buffer(fx, 4096, &s);
    fx_fill_bdl(&s, 2, 1024, false);
    bdl_entry_set_address(s.bdl, 0, s.data_bus - 1024);
    assert_setup_rejected(fx, &s, HDABDL_STATUS_INVALID_PARAMETER);
}

static void test_setup_rejects_a_fragment_after_the_buffer(void **state)
{
    struct fx *fx = *state;
    struct fx_stream s;
    engine_with_buffer(fx, 4096, &s);
    fx_fill_bdl(&s, 2, 1024, false);
    bdl_entry_set_address(s.bdl, 1, s.data_bus + 4096);
    assert_setup_rejected(fx, &s, HDABDL_STATUS_INVALID_PARAMETER);
}

static void test_setup_rejects_a_fragment_running_past_the_end_of_the_buffer(void **state)
{
    struct fx *fx = *state;
    struct fx_stream s;
    engine_with_buffer(fx, 4096, &s);
    hdabdl_bdl_write_entry(s.bdl, 0, s.data_bus, 128, 0);
    hdabdl_bdl_write_entry(s.bdl, 1, s.data_bus + 3968, 256, 0); /* ends at 4224 */
    s.length = 384;
    s.lvi = 1;
    assert_setup_rejected(fx, &s, HDABDL_STATUS_INVALID_PARAMETER);
}

static void test_setup_rejects_a_fragment_whose_end_wraps_around(void **state)
{
    struct fx *fx = *state;
    struct fx_stream s;
    engine_with_buffer(fx, 4096, &s);
    fx_fill_bdl(&s, 2, 2048, false);
    /* address + length overflows 64 bits: must not look "inside" the buffer */
    bdl_entry_set_address(s.bdl, 1, UINT64_MAX - 127);
    bdl_entry_set_length(s.bdl, 1, 2048);
    assert_setup_rejected(fx, &s, HDABDL_STATUS_INVALID_PARAMETER);
}

static void test_setup_rejects_a_fragment_in_the_high_half_of_the_address_space(void **state)
{
    struct fx *fx = *state;
    struct fx_stream s;
    engine_with_buffer(fx, 4096, &s);
    fx_fill_bdl(&s, 2, 2048, false);
    bdl_entry_set_address(s.bdl, 1, bdl_entry_address(s.bdl, 1) ^ (1ull << 40));
    assert_setup_rejected(fx, &s, HDABDL_STATUS_INVALID_PARAMETER);
}

static void test_setup_rejects_a_zero_length_fragment(void **state)
{
    struct fx *fx = *state;
    struct fx_stream s;
    engine_with_buffer(fx, 4096, &s);
    hdabdl_bdl_write_entry(s.bdl, 0, s.data_bus, 2048, 0);
    hdabdl_bdl_write_entry(s.bdl, 1, s.data_bus + 2048, 0, 0);
    hdabdl_bdl_write_entry(s.bdl, 2, s.data_bus + 2048, 2048, 0);
    s.length = 4096;
    s.lvi = 2;
    assert_setup_rejected(fx, &s, HDABDL_STATUS_INVALID_PARAMETER);
}

static void test_setup_rejects_an_ioc_value_other_than_0_or_1(void **state)
{
    struct fx *fx = *state;
    struct fx_stream s;
    engine_with_buffer(fx, 4096, &s);
    fx_fill_bdl(&s, 2, 2048, true);
    bdl_entry_set_ioc(s.bdl, 1, 2);
    assert_setup_rejected(fx, &s, HDABDL_STATUS_INVALID_PARAMETER);
    bdl_entry_set_ioc(s.bdl, 1, 0x80000001u);
    assert_setup_rejected(fx, &s, HDABDL_STATUS_INVALID_PARAMETER);
}

static void test_setup_rejects_a_buffer_length_other_than_the_sum_of_fragments(void **state)
{
    struct fx *fx = *state;
    struct fx_stream s;
    engine_with_buffer(fx, 4096, &s);
    fx_fill_bdl(&s, 2, 1024, false);
    assert_status(setup_len_lvi(&s, 2044, 1), HDABDL_STATUS_INVALID_PARAMETER);
    assert_status(setup_len_lvi(&s, 2052, 1), HDABDL_STATUS_INVALID_PARAMETER);
    assert_status(setup_len_lvi(&s, 4096, 1), HDABDL_STATUS_INVALID_PARAMETER);
    assert_int_equal(fx_info(fx->client, s.handle).buffer, HDABDL_BUFFER_ALLOCATED);
}

static void test_setup_rejects_a_buffer_length_above_the_requested_size(void **state)
{
    struct fx *fx = *state;
    struct fx_stream s;
    engine_with_buffer(fx, 4096, &s);
    /* Overlapping fragments summing to more than was allocated. */
    hdabdl_bdl_write_entry(s.bdl, 0, s.data_bus, 4096, 0);
    hdabdl_bdl_write_entry(s.bdl, 1, s.data_bus, 1024, 0);
    s.length = 5120;
    s.lvi = 1;
    assert_setup_rejected(fx, &s, HDABDL_STATUS_INVALID_PARAMETER);
}

static void test_setup_rejects_a_buffer_length_of_0(void **state)
{
    struct fx *fx = *state;
    struct fx_stream s;
    engine_with_buffer(fx, 4096, &s);
    fx_fill_bdl(&s, 2, 1024, false);
    assert_status(setup_len_lvi(&s, 0, 1), HDABDL_STATUS_INVALID_PARAMETER);
    assert_int_equal(fx_info(fx->client, s.handle).buffer, HDABDL_BUFFER_ALLOCATED);
}

static void test_setup_rejects_a_buffer_length_that_is_not_whole_sample_blocks(void **state)
{
    struct fx *fx = *state;
    struct fx_stream s;
    engine_with_buffer(fx, 4096, &s); /* 4-byte blocks */
    hdabdl_bdl_write_entry(s.bdl, 0, s.data_bus, 1024, 0);
    hdabdl_bdl_write_entry(s.bdl, 1, s.data_bus + 1024, 1023, 0);
    s.length = 2047;
    s.lvi = 1;
    assert_setup_rejected(fx, &s, HDABDL_STATUS_INVALID_PARAMETER);
    bdl_entry_set_length(s.bdl, 1, 1022);
    s.length = 2046;
    assert_setup_rejected(fx, &s, HDABDL_STATUS_INVALID_PARAMETER);
}

static void test_setup_checks_whole_blocks_of_six_bytes_for_three_channels(void **state)
{
    struct fx *fx = *state;
    struct fx_stream s;
    memset(&s, 0, sizeof(s));
    s.client = fx->client;
    struct hdabdl_stream_format f = fx_format(48000, 16, 16, 3); /* 6-byte blocks */
    s.handle = fx_alloc_render(fx->client, &f, false);
    s.sd = fx_info(fx->client, s.handle).sd_index;
    fx_alloc_buffer(&s, 8192);
    fx_fill_bdl(&s, 2, 2048, false); /* 4096 is not a multiple of 6 */
    assert_setup_rejected(fx, &s, HDABDL_STATUS_INVALID_PARAMETER);
    fx_fill_bdl(&s, 2, 3072, false); /* 6144 = 1024 blocks */
    assert_status(fx_try_setup(&s), HDABDL_STATUS_SUCCESS);
}

static void test_setup_with_a_null_isr_is_invalid_parameter(void **state)
{
    struct fx *fx = *state;
    struct fx_stream s;
    engine_with_buffer(fx, 4096, &s);
    fx_fill_bdl(&s, 2, 2048, false);
    uint8_t id = 0;
    uint32_t fifo = 0;
    assert_status(hdabdl_setup_dma_engine_with_bdl(fx->client, s.handle, s.length, s.lvi, NULL,
                                                   &s.log, &id, &fifo),
                  HDABDL_STATUS_INVALID_PARAMETER);
    assert_int_equal(fx_info(fx->client, s.handle).buffer, HDABDL_BUFFER_ALLOCATED);
}

static void test_setup_with_a_null_stream_id_is_invalid_parameter(void **state)
{
    struct fx *fx = *state;
    struct fx_stream s;
    engine_with_buffer(fx, 4096, &s);
    fx_fill_bdl(&s, 2, 2048, false);
    uint32_t fifo = 0;
    assert_status(hdabdl_setup_dma_engine_with_bdl(fx->client, s.handle, s.length, s.lvi,
                                                   fx_isr_record, &s.log, NULL, &fifo),
                  HDABDL_STATUS_INVALID_PARAMETER);
    assert_int_equal(fx_info(fx->client, s.handle).buffer, HDABDL_BUFFER_ALLOCATED);
}

static void test_setup_with_a_null_fifo_size_is_invalid_parameter(void **state)
{
    struct fx *fx = *state;
    struct fx_stream s;
    engine_with_buffer(fx, 4096, &s);
    fx_fill_bdl(&s, 2, 2048, false);
    uint8_t id = 0;
    assert_status(hdabdl_setup_dma_engine_with_bdl(fx->client, s.handle, s.length, s.lvi,
                                                   fx_isr_record, &s.log, &id, NULL),
                  HDABDL_STATUS_INVALID_PARAMETER);
    assert_int_equal(fx_info(fx->client, s.handle).buffer, HDABDL_BUFFER_ALLOCATED);
}

static void test_a_failed_setup_keeps_the_previous_programming(void **state)
{
    struct fx *fx = *state;
    struct fx_stream s;
    engine_with_buffer(fx, 4096, &s);
    fx_fill_bdl(&s, 4, 1024, false);
    assert_status(fx_try_setup(&s), HDABDL_STATUS_SUCCESS);
    bdl_entry_set_address(s.bdl, 2, bdl_entry_address(s.bdl, 2) + 4); /* now invalid */
    assert_status(fx_try_setup(&s), HDABDL_STATUS_INVALID_PARAMETER);
    struct hdabdl_engine_info i = fx_info(fx->client, s.handle);
    assert_int_equal(i.buffer, HDABDL_BUFFER_PROGRAMMED);
    assert_int_equal(i.lvi, 3);
    assert_int_equal(i.buffer_length, 4096);
}

#define T(name) cmocka_unit_test_setup_teardown(name, fx_setup, fx_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_allocate_buffer_gives_a_page_aligned_one_page_bdl),
        T(test_allocate_buffer_records_the_requested_size),
        T(test_allocate_buffer_data_bus_address_is_128_byte_aligned),
        T(test_allocate_buffer_twice_is_idr),
        T(test_allocate_buffer_after_setup_is_idr),
        T(test_allocate_buffer_while_running_or_paused_is_idr),
        T(test_allocate_buffer_of_size_0_is_invalid_parameter),
        T(test_allocate_buffer_with_any_null_out_pointer_is_invalid_parameter),
        T(test_allocate_buffer_hal_failure_is_insufficient_resources_and_changes_nothing),
        T(test_allocate_buffer_second_hal_failure_frees_the_first_block),
        cmocka_unit_test_setup_teardown(test_buffer_and_bdl_stay_below_4_gib_without_64ok,
                                        setup_high_no64, fx_teardown),
        cmocka_unit_test_setup_teardown(test_buffer_may_come_from_above_4_gib_with_64ok,
                                        setup_high_64, fx_teardown),
        cmocka_unit_test_setup_teardown(test_setup_programs_bdpu_with_the_high_half_of_the_bdl_address,
                                        setup_high_64, fx_teardown),
        cmocka_unit_test_setup_teardown(test_a_high_buffer_is_played_from_its_64_bit_addresses,
                                        setup_high_64, fx_teardown),
        T(test_free_buffer_without_a_buffer_is_idr),
        T(test_free_buffer_while_running_or_paused_is_idr),
        T(test_free_buffer_releases_both_blocks_and_leaves_no_buffer),
        T(test_free_buffer_of_a_merely_allocated_buffer_succeeds),
        T(test_a_buffer_can_be_allocated_again_after_it_was_freed),
        T(test_free_engine_with_a_buffer_allocated_is_idr),
        T(test_free_engine_with_a_buffer_programmed_is_idr),
        T(test_free_engine_while_running_or_paused_is_idr),
        T(test_engine_life_cycle_none_allocated_programmed_none_free),
        T(test_setup_without_a_buffer_is_idr),
        T(test_setup_while_paused_is_idr),
        T(test_setup_leaves_the_engine_in_reset_with_run_clear),
        T(test_setup_can_be_repeated_while_reset),
        T(test_setup_after_reset_from_pause_is_allowed),
        T(test_setup_programs_sd_lvi_equal_to_lvi_not_lvi_minus_one),
        T(test_setup_with_lvi_1_programs_sd_lvi_1),
        T(test_setup_programs_cbl_bdl_address_and_format),
        T(test_setup_programs_the_stream_tag_in_sdnctl),
        T(test_setup_returns_the_tag_as_stream_id_and_the_fifo_size),
        T(test_setup_enables_the_stream_interrupt_sources),
        T(test_setup_with_lvi_255_uses_the_whole_bdl_page),
        T(test_setup_ignores_entries_after_lvi),
        T(test_setup_accepts_unaligned_lengths_and_gaps_between_fragments),
        T(test_setup_accepts_fragments_in_any_order),
        T(test_setup_accepts_a_buffer_length_below_the_requested_size),
        T(test_setup_with_lvi_0_is_invalid_parameter),
        T(test_setup_with_lvi_256_is_invalid_parameter),
        T(test_setup_rejects_a_fragment_not_on_a_128_byte_boundary),
        T(test_setup_rejects_a_misaligned_first_fragment),
        T(test_setup_rejects_a_fragment_before_the_buffer),
        T(test_setup_rejects_a_fragment_after_the_buffer),
        T(test_setup_rejects_a_fragment_running_past_the_end_of_the_buffer),
        T(test_setup_rejects_a_fragment_whose_end_wraps_around),
        T(test_setup_rejects_a_fragment_in_the_high_half_of_the_address_space),
        T(test_setup_rejects_a_zero_length_fragment),
        T(test_setup_rejects_an_ioc_value_other_than_0_or_1),
        T(test_setup_rejects_a_buffer_length_other_than_the_sum_of_fragments),
        T(test_setup_rejects_a_buffer_length_above_the_requested_size),
        T(test_setup_rejects_a_buffer_length_of_0),
        T(test_setup_rejects_a_buffer_length_that_is_not_whole_sample_blocks),
        T(test_setup_checks_whole_blocks_of_six_bytes_for_three_channels),
        T(test_setup_with_a_null_isr_is_invalid_parameter),
        T(test_setup_with_a_null_stream_id_is_invalid_parameter),
        T(test_setup_with_a_null_fifo_size_is_invalid_parameter),
        T(test_a_failed_setup_keeps_the_previous_programming),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
