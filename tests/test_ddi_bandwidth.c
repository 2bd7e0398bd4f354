/* SPDX-License-Identifier: MIT */
/*
 * test_ddi_bandwidth.c - link bandwidth admission and ChangeBandwidthAllocation
 * (ddi.md §4.2-4.4, §6.1; hw.md §3.8).
 *
 * Costs, in bits per 48 kHz frame:
 *   render  MULT x valid_bits x channels on SDO0, or ceil(cost / lines) on every
 *           line when striped (stripe=TRUE and more than one SDO line); 960 per line.
 *   capture 10 + roundup8(MULT x valid_bits x channels) on SDI line = codec address;
 *           464 per line.
 */
#include "support/fixture.h"

#include <string.h>

static void cfg_sdo2(struct hdabdl_mock_hal_config *c) { c->device.sdo_lines = 2; }
static int setup_sdo2(void **state) { return fx_setup_with(state, cfg_sdo2, 1); }
static void cfg_sdo4(struct hdabdl_mock_hal_config *c) { c->device.sdo_lines = 4; }
static int setup_sdo4(void **state) { return fx_setup_with(state, cfg_sdo4, 1); }
static void cfg_codecs_0_1(struct hdabdl_mock_hal_config *c) { c->device.codec_mask = 0x0003; }
static int setup_codecs_0_1(void **state) { return fx_setup_with(state, cfg_codecs_0_1, 1); }

static hdabdl_status try_render(struct fx *fx, struct hdabdl_stream_format f, bool stripe,
                                hdabdl_handle *h)
{
    hdabdl_converter_format conv = 0;
    hdabdl_handle local = NULL;
    return hdabdl_allocate_render_dma_engine(fx->client, &f, stripe, h ? h : &local, &conv);
}

static hdabdl_status try_capture(struct fx *fx, uint8_t codec, struct hdabdl_stream_format f,
                                 hdabdl_handle *h)
{
    hdabdl_converter_format conv = 0;
    hdabdl_handle local = NULL;
    return hdabdl_allocate_capture_dma_engine(fx->client, codec, &f, h ? h : &local, &conv);
}

static hdabdl_status change(struct fx *fx, hdabdl_handle h, struct hdabdl_stream_format f,
                            hdabdl_converter_format *conv)
{
    hdabdl_converter_format local = 0;
    return hdabdl_change_bandwidth_allocation(fx->client, h, &f, conv ? conv : &local);
}

static void assert_same_engine_format(const struct hdabdl_engine_info *a,
                                      const struct hdabdl_engine_info *b)
{
    assert_int_equal(a->format.sample_rate, b->format.sample_rate);
    assert_int_equal(a->format.valid_bits_per_sample, b->format.valid_bits_per_sample);
    assert_int_equal(a->format.container_size, b->format.container_size);
    assert_int_equal(a->format.number_of_channels, b->format.number_of_channels);
    assert_int_equal(a->converter_format, b->converter_format);
    assert_int_equal(a->bandwidth_bits, b->bandwidth_bits);
    assert_int_equal(a->stripe_lines, b->stripe_lines);
    assert_int_equal(a->state, b->state);
    assert_int_equal(a->buffer, b->buffer);
}

/* ---- Capacities and render costs -------------------------------------------------------------- */

static void test_fresh_controller_has_nothing_reserved_and_the_documented_capacities(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_bandwidth_info bw = fx_bandwidth(fx);
    assert_int_equal(bw.sdo_capacity, 960);
    assert_int_equal(bw.sdi_capacity, 464);
    for (int i = 0; i < 4; i++)
        assert_int_equal(bw.sdo_used[i], 0);
    for (int i = 0; i < 15; i++)
        assert_int_equal(bw.sdi_used[i], 0);
}

static void test_render_48k_16_bit_stereo_reserves_32_bits_on_sdo0(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_stream_format f = fx_format_default();
    hdabdl_handle h = fx_alloc_render(fx->client, &f, false);
    assert_int_equal(fx_bandwidth(fx).sdo_used[0], 32);
    assert_int_equal(fx_info(fx->client, h).bandwidth_bits, 32);
}

static void test_render_cost_is_mult_times_valid_bits_times_channels(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_stream_format f = fx_format(96000, 24, 32, 2); /* 2 x 24 x 2 */
    hdabdl_handle a = fx_alloc_render(fx->client, &f, false);
    f = fx_format(44100, 20, 32, 6);                             /* 1 x 20 x 6 */
    hdabdl_handle b = fx_alloc_render(fx->client, &f, false);
    f = fx_format(8000, 8, 8, 1);                                /* 1 x 8 x 1 (DIV ignored) */
    hdabdl_handle c = fx_alloc_render(fx->client, &f, false);
    assert_int_equal(fx_info(fx->client, a).bandwidth_bits, 96);
    assert_int_equal(fx_info(fx->client, b).bandwidth_bits, 120);
    assert_int_equal(fx_info(fx->client, c).bandwidth_bits, 8);
    assert_int_equal(fx_bandwidth(fx).sdo_used[0], 96 + 120 + 8);
}

static void test_render_over_960_bits_without_stripe_is_insufficient_resources(void **state)
{
    struct fx *fx = *state;
    /* 4 x 32 x 8 = 1024 > 960; FIFO 4 x 8 x 4 = 128 <= 192 */
    assert_status(try_render(fx, fx_format(192000, 32, 32, 8), false, NULL),
                  HDABDL_STATUS_INSUFFICIENT_RESOURCES);
    assert_int_equal(fx_bandwidth(fx).sdo_used[0], 0);
}

static void test_stripe_on_a_single_sdo_line_controller_changes_nothing(void **state)
{
    struct fx *fx = *state;
    assert_status(try_render(fx, fx_format(192000, 32, 32, 8), true, NULL),
                  HDABDL_STATUS_INSUFFICIENT_RESOURCES);
    struct hdabdl_stream_format f = fx_format_default();
    hdabdl_handle h = fx_alloc_render(fx->client, &f, true);
    struct hdabdl_engine_info i = fx_info(fx->client, h);
    assert_int_equal(i.stripe_lines, 1);
    assert_int_equal(i.bandwidth_bits, 32);
    assert_int_equal(fx_bandwidth(fx).sdo_used[0], 32);
}

static void test_render_striped_over_two_lines_costs_half_on_each(void **state)
{
    struct fx *fx = *state; /* 2 SDO lines */
    hdabdl_handle h = NULL;
    assert_status(try_render(fx, fx_format(192000, 32, 32, 8), true, &h), HDABDL_STATUS_SUCCESS);
    struct hdabdl_engine_info i = fx_info(fx->client, h);
    assert_int_equal(i.stripe_lines, 2);
    assert_int_equal(i.bandwidth_bits, 512);
    struct hdabdl_bandwidth_info bw = fx_bandwidth(fx);
    assert_int_equal(bw.sdo_used[0], 512);
    assert_int_equal(bw.sdo_used[1], 512);
}

static void test_render_striped_over_four_lines_costs_a_quarter_on_each(void **state)
{
    struct fx *fx = *state; /* 4 SDO lines */
    hdabdl_handle h = NULL;
    assert_status(try_render(fx, fx_format(192000, 32, 32, 8), true, &h), HDABDL_STATUS_SUCCESS);
    struct hdabdl_engine_info i = fx_info(fx->client, h);
    assert_int_equal(i.stripe_lines, 4);
    assert_int_equal(i.bandwidth_bits, 256);
    struct hdabdl_bandwidth_info bw = fx_bandwidth(fx);
    for (int l = 0; l < 4; l++)
        assert_int_equal(bw.sdo_used[l], 256);
}

static void test_striped_render_programs_the_stripe_field(void **state)
{
    struct fx *fx = *state; /* 2 SDO lines */
    struct hdabdl_stream_format f = fx_format_default();
    struct fx_stream s;
    memset(&s, 0, sizeof(s));
    s.client = fx->client;
    assert_status(try_render(fx, f, true, &s.handle), HDABDL_STATUS_SUCCESS);
    s.sd = fx_info(fx->client, s.handle).sd_index;
    fx_alloc_buffer(&s, 2048);
    fx_fill_bdl(&s, 2, 1024, false);
    assert_status(fx_try_setup(&s), HDABDL_STATUS_SUCCESS);
    assert_int_equal((fx_sd_ctl(fx, s.sd) & HDA_SD_CTL_STRIPE_MASK) >> HDA_SD_CTL_STRIPE_SHIFT, 1);
}

static void test_non_striped_render_on_a_two_line_controller_uses_sdo0_only(void **state)
{
    struct fx *fx = *state; /* 2 SDO lines */
    struct hdabdl_stream_format f = fx_format_default();
    hdabdl_handle h = fx_alloc_render(fx->client, &f, false);
    assert_int_equal(fx_info(fx->client, h).stripe_lines, 1);
    struct hdabdl_bandwidth_info bw = fx_bandwidth(fx);
    assert_int_equal(bw.sdo_used[0], 32);
    assert_int_equal(bw.sdo_used[1], 0);
}

static void test_a_second_render_that_overflows_sdo0_is_insufficient_resources(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_stream_format f = fx_format(96000, 32, 32, 8); /* 512 */
    fx_alloc_render(fx->client, &f, false);
    assert_status(try_render(fx, f, false, NULL), HDABDL_STATUS_INSUFFICIENT_RESOURCES);
    assert_int_equal(fx_bandwidth(fx).sdo_used[0], 512);
}

static void test_a_striped_stream_also_needs_room_on_sdo0(void **state)
{
    struct fx *fx = *state; /* 2 SDO lines */
    struct hdabdl_stream_format f = fx_format(96000, 32, 32, 8); /* 512 on SDO0 */
    fx_alloc_render(fx->client, &f, false);
    /* 1024 striped = 512 on each line; SDO0 would carry 1024 > 960 */
    assert_status(try_render(fx, fx_format(192000, 32, 32, 8), true, NULL),
                  HDABDL_STATUS_INSUFFICIENT_RESOURCES);
    struct hdabdl_bandwidth_info bw = fx_bandwidth(fx);
    assert_int_equal(bw.sdo_used[0], 512);
    assert_int_equal(bw.sdo_used[1], 0);
    /* 96k/32/8 striped = 256 per line fits: 768 on SDO0, 256 on SDO1 */
    assert_status(try_render(fx, f, true, NULL), HDABDL_STATUS_SUCCESS);
    bw = fx_bandwidth(fx);
    assert_int_equal(bw.sdo_used[0], 768);
    assert_int_equal(bw.sdo_used[1], 256);
}

static void test_freeing_an_engine_returns_its_bandwidth(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_stream_format f = fx_format(96000, 32, 32, 8);
    hdabdl_handle a = fx_alloc_render(fx->client, &f, false);
    assert_status(try_render(fx, f, false, NULL), HDABDL_STATUS_INSUFFICIENT_RESOURCES);
    assert_status(hdabdl_free_dma_engine(fx->client, a), HDABDL_STATUS_SUCCESS);
    assert_int_equal(fx_bandwidth(fx).sdo_used[0], 0);
    assert_status(try_render(fx, f, false, NULL), HDABDL_STATUS_SUCCESS);
    assert_int_equal(fx_bandwidth(fx).sdo_used[0], 512);
}

static void test_freeing_a_striped_engine_returns_bandwidth_on_every_line(void **state)
{
    struct fx *fx = *state; /* 4 SDO lines */
    hdabdl_handle h = NULL;
    assert_status(try_render(fx, fx_format(96000, 16, 16, 8), true, &h), HDABDL_STATUS_SUCCESS);
    assert_status(hdabdl_free_dma_engine(fx->client, h), HDABDL_STATUS_SUCCESS);
    struct hdabdl_bandwidth_info bw = fx_bandwidth(fx);
    for (int l = 0; l < 4; l++)
        assert_int_equal(bw.sdo_used[l], 0);
}

/* ---- Capture costs ------------------------------------------------------------------------------ */

static void test_capture_cost_is_a_10_bit_header_plus_bits_rounded_to_bytes(void **state)
{
    struct fx *fx = *state;
    hdabdl_handle a = NULL, b = NULL, c = NULL;
    assert_status(try_capture(fx, 0, fx_format(48000, 16, 16, 2), &a), HDABDL_STATUS_SUCCESS);
    assert_status(try_capture(fx, 0, fx_format(48000, 20, 32, 1), &b), HDABDL_STATUS_SUCCESS);
    assert_status(try_capture(fx, 0, fx_format(44100, 20, 32, 3), &c), HDABDL_STATUS_SUCCESS);
    assert_int_equal(fx_info(fx->client, a).bandwidth_bits, 10 + 32);
    assert_int_equal(fx_info(fx->client, b).bandwidth_bits, 10 + 24); /* roundup8(20) */
    assert_int_equal(fx_info(fx->client, c).bandwidth_bits, 10 + 64); /* roundup8(60) */
    assert_int_equal(fx_bandwidth(fx).sdi_used[0], 42 + 34 + 74);
}

static void test_capture_cost_counts_mult(void **state)
{
    struct fx *fx = *state;
    hdabdl_handle h = NULL;
    assert_status(try_capture(fx, 0, fx_format(96000, 24, 32, 2), &h), HDABDL_STATUS_SUCCESS);
    assert_int_equal(fx_info(fx->client, h).bandwidth_bits, 10 + 96);
}

static void test_capture_reserves_on_the_sdi_line_of_its_codec(void **state)
{
    struct fx *fx = *state; /* codecs 0 and 1 */
    assert_status(try_capture(fx, 1, fx_format_default(), NULL), HDABDL_STATUS_SUCCESS);
    struct hdabdl_bandwidth_info bw = fx_bandwidth(fx);
    assert_int_equal(bw.sdi_used[0], 0);
    assert_int_equal(bw.sdi_used[1], 42);
    assert_int_equal(bw.sdo_used[0], 0);
}

static void test_capture_over_464_bits_is_insufficient_resources(void **state)
{
    struct fx *fx = *state;
    /* 10 + 32 x 15 = 490 > 464 (FIFO: 15 x 4 = 60 <= 120) */
    assert_status(try_capture(fx, 0, fx_format(48000, 32, 32, 15), NULL),
                  HDABDL_STATUS_INSUFFICIENT_RESOURCES);
    assert_int_equal(fx_bandwidth(fx).sdi_used[0], 0);
}

static void test_capture_up_to_the_sdi_capacity_is_accepted_and_then_full(void **state)
{
    struct fx *fx = *state;
    /* 10 + 32 x 14 = 458 <= 464, then 10 + 8 = 18 more would be 476 */
    assert_status(try_capture(fx, 0, fx_format(48000, 32, 32, 14), NULL), HDABDL_STATUS_SUCCESS);
    assert_status(try_capture(fx, 0, fx_format(48000, 8, 8, 1), NULL),
                  HDABDL_STATUS_INSUFFICIENT_RESOURCES);
    assert_int_equal(fx_bandwidth(fx).sdi_used[0], 458);
}

static void test_sdi_lines_are_budgeted_independently(void **state)
{
    struct fx *fx = *state; /* codecs 0 and 1 */
    struct hdabdl_stream_format f = fx_format(96000, 32, 32, 6); /* 10 + 384 = 394 */
    assert_status(try_capture(fx, 0, f, NULL), HDABDL_STATUS_SUCCESS);
    assert_status(try_capture(fx, 1, f, NULL), HDABDL_STATUS_SUCCESS);
    assert_status(try_capture(fx, 0, f, NULL), HDABDL_STATUS_INSUFFICIENT_RESOURCES);
    struct hdabdl_bandwidth_info bw = fx_bandwidth(fx);
    assert_int_equal(bw.sdi_used[0], 394);
    assert_int_equal(bw.sdi_used[1], 394);
}

static void test_render_and_capture_budgets_are_separate(void **state)
{
    struct fx *fx = *state;
    assert_status(try_render(fx, fx_format(192000, 20, 32, 12), false, NULL), HDABDL_STATUS_SUCCESS);
    assert_int_equal(fx_bandwidth(fx).sdo_used[0], 960); /* SDO0 full */
    assert_status(try_capture(fx, 0, fx_format(48000, 32, 32, 14), NULL), HDABDL_STATUS_SUCCESS);
    assert_status(try_render(fx, fx_format(8000, 8, 8, 1), false, NULL),
                  HDABDL_STATUS_INSUFFICIENT_RESOURCES);
}

static void test_freeing_a_capture_engine_returns_its_bandwidth(void **state)
{
    struct fx *fx = *state;
    hdabdl_handle h = NULL;
    assert_status(try_capture(fx, 0, fx_format(48000, 32, 32, 14), &h), HDABDL_STATUS_SUCCESS);
    assert_status(hdabdl_free_dma_engine(fx->client, h), HDABDL_STATUS_SUCCESS);
    assert_int_equal(fx_bandwidth(fx).sdi_used[0], 0);
    assert_status(try_capture(fx, 0, fx_format(48000, 32, 32, 14), NULL), HDABDL_STATUS_SUCCESS);
}

/* ---- ChangeBandwidthAllocation ---------------------------------------------------------------------- */

static void test_change_bandwidth_updates_format_converter_and_reservation(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_stream_format f = fx_format_default();
    hdabdl_handle h = fx_alloc_render(fx->client, &f, false);
    hdabdl_converter_format conv = 0;
    assert_status(change(fx, h, fx_format(96000, 24, 32, 2), &conv), HDABDL_STATUS_SUCCESS);
    assert_int_equal(conv, 0x0831);
    struct hdabdl_engine_info i = fx_info(fx->client, h);
    assert_int_equal(i.converter_format, 0x0831);
    assert_int_equal(i.format.sample_rate, 96000);
    assert_int_equal(i.format.valid_bits_per_sample, 24);
    assert_int_equal(i.format.container_size, 32);
    assert_int_equal(i.bandwidth_bits, 96);
    assert_int_equal(fx_bandwidth(fx).sdo_used[0], 96);
    assert_int_equal(i.state, HDABDL_RESET_STATE);
    assert_int_equal(i.buffer, HDABDL_BUFFER_NONE);
}

static void test_change_bandwidth_failure_keeps_the_old_reservation(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_stream_format big = fx_format(96000, 32, 32, 8); /* 512 */
    struct hdabdl_stream_format f = fx_format_default();           /* 32 */
    fx_alloc_render(fx->client, &big, false);
    hdabdl_handle h = fx_alloc_render(fx->client, &f, false);
    struct hdabdl_engine_info before = fx_info(fx->client, h);
    hdabdl_converter_format conv = 0x5555;
    assert_status(change(fx, h, big, &conv), HDABDL_STATUS_INSUFFICIENT_RESOURCES);
    struct hdabdl_engine_info after = fx_info(fx->client, h);
    assert_same_engine_format(&before, &after);
    assert_int_equal(after.converter_format, 0x0011);
    assert_int_equal(fx_bandwidth(fx).sdo_used[0], 512 + 32);
}

static void test_change_bandwidth_with_an_invalid_format_keeps_the_old_reservation(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_stream_format f = fx_format_default();
    hdabdl_handle h = fx_alloc_render(fx->client, &f, false);
    struct hdabdl_engine_info before = fx_info(fx->client, h);
    assert_status(change(fx, h, fx_format(48000, 24, 24, 2), NULL), HDABDL_STATUS_INVALID_PARAMETER);
    assert_status(change(fx, h, fx_format(50000, 16, 16, 2), NULL), HDABDL_STATUS_INVALID_PARAMETER);
    struct hdabdl_engine_info after = fx_info(fx->client, h);
    assert_same_engine_format(&before, &after);
    assert_int_equal(fx_bandwidth(fx).sdo_used[0], 32);
}

static void test_change_bandwidth_exceeding_the_fifo_is_buffer_too_small_and_keeps_the_old(
    void **state)
{
    struct fx *fx = *state;
    struct hdabdl_stream_format f = fx_format_default();
    hdabdl_handle h = fx_alloc_render(fx->client, &f, false);
    struct hdabdl_engine_info before = fx_info(fx->client, h);
    assert_status(change(fx, h, fx_format(192000, 32, 32, 16), NULL), HDABDL_STATUS_BUFFER_TOO_SMALL);
    struct hdabdl_engine_info after = fx_info(fx->client, h);
    assert_same_engine_format(&before, &after);
    assert_int_equal(fx_bandwidth(fx).sdo_used[0], 32);
}

static void test_change_bandwidth_may_grow_into_its_own_old_reservation(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_stream_format f = fx_format(96000, 32, 32, 8); /* 512 */
    hdabdl_handle h = fx_alloc_render(fx->client, &f, false);
    /* 2 x 32 x 15 = 960: fits only once the old 512 are given back */
    assert_status(change(fx, h, fx_format(96000, 32, 32, 15), NULL), HDABDL_STATUS_SUCCESS);
    assert_int_equal(fx_bandwidth(fx).sdo_used[0], 960);
    assert_int_equal(fx_info(fx->client, h).bandwidth_bits, 960);
}

static void test_change_bandwidth_keeps_the_stripe_setting(void **state)
{
    struct fx *fx = *state; /* 2 SDO lines */
    hdabdl_handle h = NULL;
    assert_status(try_render(fx, fx_format_default(), true, &h), HDABDL_STATUS_SUCCESS);
    assert_int_equal(fx_bandwidth(fx).sdo_used[1], 16);
    assert_status(change(fx, h, fx_format(96000, 32, 32, 8), NULL), HDABDL_STATUS_SUCCESS);
    struct hdabdl_engine_info i = fx_info(fx->client, h);
    assert_int_equal(i.stripe_lines, 2);
    assert_int_equal(i.bandwidth_bits, 256);
    struct hdabdl_bandwidth_info bw = fx_bandwidth(fx);
    assert_int_equal(bw.sdo_used[0], 256);
    assert_int_equal(bw.sdo_used[1], 256);
}

static void test_change_bandwidth_of_a_capture_engine_stays_on_its_sdi_line(void **state)
{
    struct fx *fx = *state; /* codecs 0 and 1 */
    hdabdl_handle h = NULL;
    assert_status(try_capture(fx, 1, fx_format_default(), &h), HDABDL_STATUS_SUCCESS);
    assert_status(change(fx, h, fx_format(96000, 24, 32, 2), NULL), HDABDL_STATUS_SUCCESS);
    struct hdabdl_bandwidth_info bw = fx_bandwidth(fx);
    assert_int_equal(bw.sdi_used[1], 106);
    assert_int_equal(bw.sdi_used[0], 0);
    /* over the line: 10 + 2 x 32 x 8 = 522 > 464 */
    assert_status(change(fx, h, fx_format(96000, 32, 32, 8), NULL),
                  HDABDL_STATUS_INSUFFICIENT_RESOURCES);
    assert_int_equal(fx_bandwidth(fx).sdi_used[1], 106);
    assert_int_equal(fx_info(fx->client, h).converter_format, 0x0831);
}

static void test_change_bandwidth_with_a_buffer_allocated_is_idr_and_keeps_the_old(void **state)
{
    struct fx *fx = *state;
    struct fx_stream s;
    memset(&s, 0, sizeof(s));
    s.client = fx->client;
    struct hdabdl_stream_format f = fx_format_default();
    s.handle = fx_alloc_render(fx->client, &f, false);
    fx_alloc_buffer(&s, 4096);
    struct hdabdl_engine_info before = fx_info(fx->client, s.handle);
    assert_status(change(fx, s.handle, fx_format(44100, 16, 16, 2), NULL),
                  HDABDL_STATUS_INVALID_DEVICE_REQUEST);
    struct hdabdl_engine_info after = fx_info(fx->client, s.handle);
    assert_same_engine_format(&before, &after);
    assert_int_equal(after.buffer, HDABDL_BUFFER_ALLOCATED);
}

static void test_change_bandwidth_with_a_buffer_programmed_is_idr(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_stream_format f = fx_format_default();
    struct fx_stream s;
    fx_render_stream(fx->client, &f, 2, 1024, false, &s);
    assert_status(change(fx, s.handle, fx_format(44100, 16, 16, 2), NULL),
                  HDABDL_STATUS_INVALID_DEVICE_REQUEST);
    assert_int_equal(fx_info(fx->client, s.handle).converter_format, 0x0011);
    assert_int_equal(fx_sd_reg(fx, s.sd, HDA_SD_FMT, 2), 0x0011);
}

static void test_change_bandwidth_while_running_or_paused_is_idr(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_stream_format f = fx_format_default();
    struct fx_stream s;
    fx_render_stream(fx->client, &f, 2, 1024, false, &s);
    fx_start_stream(&s);
    assert_status(change(fx, s.handle, fx_format(44100, 16, 16, 2), NULL),
                  HDABDL_STATUS_INVALID_DEVICE_REQUEST);
    assert_status(fx_state1(fx->client, HDABDL_PAUSE_STATE, s.handle), HDABDL_STATUS_SUCCESS);
    assert_status(change(fx, s.handle, fx_format(44100, 16, 16, 2), NULL),
                  HDABDL_STATUS_INVALID_DEVICE_REQUEST);
    struct hdabdl_engine_info i = fx_info(fx->client, s.handle);
    assert_int_equal(i.converter_format, 0x0011);
    assert_int_equal(i.state, HDABDL_PAUSE_STATE);
}

static void test_change_bandwidth_after_the_buffer_is_freed_succeeds(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_stream_format f = fx_format_default();
    struct fx_stream s;
    fx_render_stream(fx->client, &f, 2, 1024, false, &s);
    assert_status(hdabdl_free_contiguous_dma_buffer(fx->client, s.handle), HDABDL_STATUS_SUCCESS);
    hdabdl_converter_format conv = 0;
    assert_status(change(fx, s.handle, fx_format(44100, 16, 16, 2), &conv), HDABDL_STATUS_SUCCESS);
    assert_int_equal(conv, 0x4011);
}

static void test_change_bandwidth_with_null_format_or_converter_out_is_invalid_parameter(
    void **state)
{
    struct fx *fx = *state;
    struct hdabdl_stream_format f = fx_format_default();
    hdabdl_handle h = fx_alloc_render(fx->client, &f, false);
    hdabdl_converter_format conv = 0;
    struct hdabdl_stream_format g = fx_format(44100, 16, 16, 2);
    assert_status(hdabdl_change_bandwidth_allocation(fx->client, h, NULL, &conv),
                  HDABDL_STATUS_INVALID_PARAMETER);
    assert_status(hdabdl_change_bandwidth_allocation(fx->client, h, &g, NULL),
                  HDABDL_STATUS_INVALID_PARAMETER);
    assert_int_equal(fx_info(fx->client, h).converter_format, 0x0011);
}

#define T(name) cmocka_unit_test_setup_teardown(name, fx_setup, fx_teardown)
#define T2(name) cmocka_unit_test_setup_teardown(name, setup_sdo2, fx_teardown)
#define T4(name) cmocka_unit_test_setup_teardown(name, setup_sdo4, fx_teardown)
#define TC(name) cmocka_unit_test_setup_teardown(name, setup_codecs_0_1, fx_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_fresh_controller_has_nothing_reserved_and_the_documented_capacities),
        T(test_render_48k_16_bit_stereo_reserves_32_bits_on_sdo0),
        T(test_render_cost_is_mult_times_valid_bits_times_channels),
        T(test_render_over_960_bits_without_stripe_is_insufficient_resources),
        T(test_stripe_on_a_single_sdo_line_controller_changes_nothing),
        T2(test_render_striped_over_two_lines_costs_half_on_each),
        T4(test_render_striped_over_four_lines_costs_a_quarter_on_each),
        T2(test_striped_render_programs_the_stripe_field),
        T2(test_non_striped_render_on_a_two_line_controller_uses_sdo0_only),
        T(test_a_second_render_that_overflows_sdo0_is_insufficient_resources),
        T2(test_a_striped_stream_also_needs_room_on_sdo0),
        T(test_freeing_an_engine_returns_its_bandwidth),
        T4(test_freeing_a_striped_engine_returns_bandwidth_on_every_line),
        T(test_capture_cost_is_a_10_bit_header_plus_bits_rounded_to_bytes),
        T(test_capture_cost_counts_mult),
        TC(test_capture_reserves_on_the_sdi_line_of_its_codec),
        T(test_capture_over_464_bits_is_insufficient_resources),
        T(test_capture_up_to_the_sdi_capacity_is_accepted_and_then_full),
        TC(test_sdi_lines_are_budgeted_independently),
        T(test_render_and_capture_budgets_are_separate),
        T(test_freeing_a_capture_engine_returns_its_bandwidth),
        T(test_change_bandwidth_updates_format_converter_and_reservation),
        T(test_change_bandwidth_failure_keeps_the_old_reservation),
        T(test_change_bandwidth_with_an_invalid_format_keeps_the_old_reservation),
        T(test_change_bandwidth_exceeding_the_fifo_is_buffer_too_small_and_keeps_the_old),
        T(test_change_bandwidth_may_grow_into_its_own_old_reservation),
        T2(test_change_bandwidth_keeps_the_stripe_setting),
        TC(test_change_bandwidth_of_a_capture_engine_stays_on_its_sdi_line),
        T(test_change_bandwidth_with_a_buffer_allocated_is_idr_and_keeps_the_old),
        T(test_change_bandwidth_with_a_buffer_programmed_is_idr),
        T(test_change_bandwidth_while_running_or_paused_is_idr),
        T(test_change_bandwidth_after_the_buffer_is_freed_succeeds),
        T(test_change_bandwidth_with_null_format_or_converter_out_is_invalid_parameter),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
