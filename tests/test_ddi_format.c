/* SPDX-License-Identifier: MIT */
/*
 * test_ddi_format.c - HDAUDIO_STREAM_FORMAT -> HDAUDIO_CONVERTER_FORMAT
 * (SDnFMT), the formats the library accepts, and the FIFO check
 * (ddi.md §4.2-4.4, §5.4, §5.5, §9 #2; hw.md §2 SDnFMT).
 */
#include "support/fixture.h"

#include <string.h>

static hdabdl_converter_format encode_ok(uint32_t rate, uint16_t valid, uint16_t container,
                                         uint16_t channels)
{
    struct hdabdl_stream_format f = fx_format(rate, valid, container, channels);
    hdabdl_converter_format out = 0xFFFF;
    assert_status(hdabdl_stream_format_encode(&f, &out), HDABDL_STATUS_SUCCESS);
    return out;
}

static void assert_encode_rejected(uint32_t rate, uint16_t valid, uint16_t container,
                                   uint16_t channels)
{
    struct hdabdl_stream_format f = fx_format(rate, valid, container, channels);
    hdabdl_converter_format out = 0x1234;
    hdabdl_status st = hdabdl_stream_format_encode(&f, &out);
    if (st != HDABDL_STATUS_INVALID_PARAMETER)
        print_error("format %u Hz, %u in %u bits, %u ch was accepted (0x%04X)\n", (unsigned)rate,
                    valid, container, channels, out);
    assert_status(st, HDABDL_STATUS_INVALID_PARAMETER);
}

/* ---- Encoding ------------------------------------------------------------------------------ */

static void test_encode_48k_16_bit_stereo_is_0x0011(void **state)
{
    (void)state;
    assert_int_equal(encode_ok(48000, 16, 16, 2), 0x0011);
}

static void test_encode_44k1_16_bit_stereo_is_0x4011(void **state)
{
    (void)state;
    assert_int_equal(encode_ok(44100, 16, 16, 2), 0x4011);
}

static void test_encode_96k_24_in_32_stereo_is_0x0831(void **state)
{
    (void)state;
    assert_int_equal(encode_ok(96000, 24, 32, 2), 0x0831);
}

static void test_encode_8k_16_bit_mono_is_48k_divided_by_6(void **state)
{
    (void)state;
    assert_int_equal(encode_ok(8000, 16, 16, 1), 0x0510);
}

static void test_encode_192k_32_bit_stereo_is_0x1841(void **state)
{
    (void)state;
    assert_int_equal(encode_ok(192000, 32, 32, 2), 0x1841);
}

static void test_encode_32k_is_48k_times_2_divided_by_3(void **state)
{
    (void)state;
    assert_int_equal(encode_ok(32000, 16, 16, 2), 0x0A11);
}

static void test_encode_every_supported_rate(void **state)
{
    (void)state;
    static const struct { uint32_t rate; uint16_t bits; } table[] = {
        {8000, 0x0500},   /* 48k / 6 */
        {9600, 0x0400},   /* 48k / 5 */
        {11025, 0x4300},  /* 44.1k / 4 */
        {16000, 0x0200},  /* 48k / 3 */
        {22050, 0x4100},  /* 44.1k / 2 */
        {32000, 0x0A00},  /* 48k * 2 / 3 */
        {44100, 0x4000},
        {48000, 0x0000},
        {88200, 0x4800},  /* 44.1k * 2 */
        {96000, 0x0800},  /* 48k * 2 */
        {176400, 0x5800}, /* 44.1k * 4 */
        {192000, 0x1800}, /* 48k * 4 */
    };
    for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
        hdabdl_converter_format f = encode_ok(table[i].rate, 16, 16, 2);
        if (f != (uint16_t)(table[i].bits | 0x0011))
            print_error("rate %u encoded as 0x%04X\n", (unsigned)table[i].rate, f);
        assert_int_equal(f, table[i].bits | 0x0011);
    }
}

static void test_encode_bits_come_from_valid_bits_not_from_the_container(void **state)
{
    (void)state;
    assert_int_equal(encode_ok(48000, 8, 8, 2) & HDA_FMT_BITS_MASK, 0x00);
    assert_int_equal(encode_ok(48000, 16, 16, 2) & HDA_FMT_BITS_MASK, 0x10);
    assert_int_equal(encode_ok(48000, 20, 32, 2) & HDA_FMT_BITS_MASK, 0x20);
    assert_int_equal(encode_ok(48000, 24, 32, 2) & HDA_FMT_BITS_MASK, 0x30); /* ddi.md §9 #2 */
    assert_int_equal(encode_ok(48000, 32, 32, 2) & HDA_FMT_BITS_MASK, 0x40);
}

static void test_encode_channels_minus_one_in_bits_3_to_0(void **state)
{
    (void)state;
    for (uint16_t ch = 1; ch <= 16; ch++)
        assert_int_equal(encode_ok(48000, 16, 16, ch), 0x0010 | (ch - 1));
}

static void test_encode_never_sets_the_non_pcm_or_reserved_bits(void **state)
{
    (void)state;
    assert_int_equal(encode_ok(176400, 32, 32, 16) & 0x8080, 0);
    assert_int_equal(encode_ok(176400, 32, 32, 16), 0x584F);
}

static void test_encode_rejects_rates_outside_the_supported_list(void **state)
{
    (void)state;
    assert_encode_rejected(0, 16, 16, 2);
    assert_encode_rejected(7999, 16, 16, 2);
    assert_encode_rejected(44000, 16, 16, 2);
    assert_encode_rejected(48001, 16, 16, 2);
    assert_encode_rejected(384000, 16, 16, 2);
    assert_encode_rejected(0xFFFFFFFFu, 16, 16, 2);
}

static void test_encode_rejects_encodable_rates_that_are_not_in_the_list(void **state)
{
    (void)state;
    assert_encode_rejected(12000, 16, 16, 2);  /* 48k / 4 */
    assert_encode_rejected(24000, 16, 16, 2);  /* 48k / 2 */
    assert_encode_rejected(144000, 16, 16, 2); /* 48k * 3 */
}

static void test_encode_rejects_unsupported_valid_bits(void **state)
{
    (void)state;
    assert_encode_rejected(48000, 0, 16, 2);
    assert_encode_rejected(48000, 12, 16, 2);
    assert_encode_rejected(48000, 18, 32, 2);
    assert_encode_rejected(48000, 28, 32, 2);
    assert_encode_rejected(48000, 33, 32, 2);
}

static void test_encode_rejects_containers_that_do_not_match_the_valid_bits(void **state)
{
    (void)state;
    assert_encode_rejected(48000, 8, 16, 2);
    assert_encode_rejected(48000, 16, 8, 2);
    assert_encode_rejected(48000, 16, 32, 2);
    assert_encode_rejected(48000, 20, 16, 2);
    assert_encode_rejected(48000, 32, 16, 2);
    assert_encode_rejected(48000, 24, 0, 2);
    assert_encode_rejected(48000, 32, 64, 2);
}

static void test_encode_rejects_packed_24_bit_containers(void **state)
{
    (void)state;
    assert_encode_rejected(48000, 24, 24, 2);
    assert_encode_rejected(48000, 20, 24, 2);
    assert_encode_rejected(44100, 16, 24, 2);
}

static void test_encode_rejects_0_and_17_channels(void **state)
{
    (void)state;
    assert_encode_rejected(48000, 16, 16, 0);
    assert_encode_rejected(48000, 16, 16, 17);
    assert_encode_rejected(48000, 16, 16, 0xFFFF);
}

static void test_encode_with_null_format_or_null_out_is_invalid_parameter(void **state)
{
    (void)state;
    struct hdabdl_stream_format f = fx_format_default();
    hdabdl_converter_format out = 0;
    assert_status(hdabdl_stream_format_encode(NULL, &out), HDABDL_STATUS_INVALID_PARAMETER);
    assert_status(hdabdl_stream_format_encode(&f, NULL), HDABDL_STATUS_INVALID_PARAMETER);
}

static void test_block_bytes_is_channels_times_container_bytes(void **state)
{
    (void)state;
    struct hdabdl_stream_format f = fx_format(48000, 16, 16, 2);
    assert_int_equal(hdabdl_stream_format_block_bytes(&f), 4);
    f = fx_format(96000, 24, 32, 6);
    assert_int_equal(hdabdl_stream_format_block_bytes(&f), 24);
    f = fx_format(8000, 8, 8, 1);
    assert_int_equal(hdabdl_stream_format_block_bytes(&f), 1);
    f = fx_format(48000, 16, 16, 3);
    assert_int_equal(hdabdl_stream_format_block_bytes(&f), 6);
}

static void test_block_bytes_of_an_invalid_format_is_0(void **state)
{
    (void)state;
    struct hdabdl_stream_format f = fx_format(48000, 24, 24, 2);
    assert_int_equal(hdabdl_stream_format_block_bytes(&f), 0);
    f = fx_format(48000, 16, 16, 0);
    assert_int_equal(hdabdl_stream_format_block_bytes(&f), 0);
    assert_int_equal(hdabdl_stream_format_block_bytes(NULL), 0);
}

/* ---- Formats through the allocation routines ------------------------------------------------------ */

static void test_render_allocation_returns_the_converter_format(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_stream_format f = fx_format(44100, 16, 16, 2);
    hdabdl_handle h = NULL;
    hdabdl_converter_format conv = 0xFFFF;
    assert_status(hdabdl_allocate_render_dma_engine(fx->client, &f, false, &h, &conv),
                  HDABDL_STATUS_SUCCESS);
    assert_int_equal(conv, 0x4011);
    assert_int_equal(fx_info(fx->client, h).converter_format, 0x4011);
}

static void test_capture_allocation_returns_the_converter_format(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_stream_format f = fx_format(96000, 24, 32, 2);
    hdabdl_handle h = NULL;
    hdabdl_converter_format conv = 0xFFFF;
    assert_status(hdabdl_allocate_capture_dma_engine(fx->client, 0, &f, &h, &conv),
                  HDABDL_STATUS_SUCCESS);
    assert_int_equal(conv, 0x0831);
    struct hdabdl_engine_info i = fx_info(fx->client, h);
    assert_int_equal(i.converter_format, 0x0831);
    assert_int_equal(i.format.container_size, 32);
    assert_int_equal(i.format.valid_bits_per_sample, 24);
}

static void test_render_with_container_32_and_valid_24_gets_bits_24(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_stream_format f = fx_format(48000, 24, 32, 2);
    hdabdl_handle h = NULL;
    hdabdl_converter_format conv = 0;
    assert_status(hdabdl_allocate_render_dma_engine(fx->client, &f, false, &h, &conv),
                  HDABDL_STATUS_SUCCESS);
    assert_int_equal(conv, 0x0031);
}

static void test_setup_programs_sdnfmt_with_the_converter_format(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_stream_format f = fx_format(96000, 24, 32, 2);
    struct fx_stream s;
    fx_render_stream(fx->client, &f, 2, 1024, false, &s);
    assert_int_equal(s.conv, 0x0831);
    assert_int_equal(fx_sd_reg(fx, s.sd, HDA_SD_FMT, 2), 0x0831);
}

static void test_render_with_an_invalid_format_is_invalid_parameter_and_takes_nothing(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_stream_format bad = fx_format(44000, 16, 16, 2);
    hdabdl_handle h = NULL;
    hdabdl_converter_format conv = 0;
    assert_status(hdabdl_allocate_render_dma_engine(fx->client, &bad, false, &h, &conv),
                  HDABDL_STATUS_INVALID_PARAMETER);
    bad = fx_format(48000, 24, 24, 2);
    assert_status(hdabdl_allocate_render_dma_engine(fx->client, &bad, false, &h, &conv),
                  HDABDL_STATUS_INVALID_PARAMETER);
    struct hdabdl_stream_format good = fx_format_default();
    struct hdabdl_engine_info i = fx_info(fx->client, fx_alloc_render(fx->client, &good, false));
    assert_int_equal(i.stream_tag, 1);
    assert_int_equal(fx_bandwidth(fx).sdo_used[0], 32);
}

static void test_capture_with_an_invalid_format_is_invalid_parameter_and_takes_nothing(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_stream_format bad = fx_format(48000, 16, 16, 17);
    hdabdl_handle h = NULL;
    hdabdl_converter_format conv = 0;
    assert_status(hdabdl_allocate_capture_dma_engine(fx->client, 0, &bad, &h, &conv),
                  HDABDL_STATUS_INVALID_PARAMETER);
    assert_int_equal(fx_bandwidth(fx).sdi_used[0], 0);
    struct hdabdl_stream_format good = fx_format_default();
    assert_int_equal(fx_info(fx->client, fx_alloc_capture(fx->client, 0, &good)).stream_tag, 1);
}

static void test_allocation_with_a_null_format_is_invalid_parameter(void **state)
{
    struct fx *fx = *state;
    hdabdl_handle h = NULL;
    hdabdl_converter_format conv = 0;
    assert_status(hdabdl_allocate_render_dma_engine(fx->client, NULL, false, &h, &conv),
                  HDABDL_STATUS_INVALID_PARAMETER);
    assert_status(hdabdl_allocate_capture_dma_engine(fx->client, 0, NULL, &h, &conv),
                  HDABDL_STATUS_INVALID_PARAMETER);
    assert_int_equal(fx_bandwidth(fx).sdo_used[0], 0);
}

static void test_allocation_with_a_null_handle_out_is_invalid_parameter(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_stream_format f = fx_format_default();
    hdabdl_converter_format conv = 0;
    assert_status(hdabdl_allocate_render_dma_engine(fx->client, &f, false, NULL, &conv),
                  HDABDL_STATUS_INVALID_PARAMETER);
    assert_status(hdabdl_allocate_capture_dma_engine(fx->client, 0, &f, NULL, &conv),
                  HDABDL_STATUS_INVALID_PARAMETER);
    struct hdabdl_bandwidth_info bw = fx_bandwidth(fx);
    assert_int_equal(bw.sdo_used[0], 0);
    assert_int_equal(bw.sdi_used[0], 0);
}

static void test_allocation_with_a_null_converter_out_is_invalid_parameter(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_stream_format f = fx_format_default();
    hdabdl_handle h = NULL;
    assert_status(hdabdl_allocate_render_dma_engine(fx->client, &f, false, &h, NULL),
                  HDABDL_STATUS_INVALID_PARAMETER);
    assert_status(hdabdl_allocate_capture_dma_engine(fx->client, 0, &f, &h, NULL),
                  HDABDL_STATUS_INVALID_PARAMETER);
    struct hdabdl_bandwidth_info bw = fx_bandwidth(fx);
    assert_int_equal(bw.sdo_used[0], 0);
    assert_int_equal(bw.sdi_used[0], 0);
}

/* ---- FIFO ------------------------------------------------------------------------------------------ */

static void cfg_sdo4(struct hdabdl_mock_hal_config *c) { c->device.sdo_lines = 4; }
static int setup_sdo4(void **state) { return fx_setup_with(state, cfg_sdo4, 1); }

static void test_render_frame_larger_than_the_fifo_is_buffer_too_small(void **state)
{
    struct fx *fx = *state; /* 4 SDO lines */
    /* 4 blocks per frame x 16 ch x 4 bytes = 256 > 192, although striped over 4 lines
     * the bandwidth (4 x 20 x 16 / 4 = 320 per line) would fit. */
    struct hdabdl_stream_format f = fx_format(192000, 20, 32, 16);
    hdabdl_handle h = NULL;
    hdabdl_converter_format conv = 0;
    assert_status(hdabdl_allocate_render_dma_engine(fx->client, &f, true, &h, &conv),
                  HDABDL_STATUS_BUFFER_TOO_SMALL);
    struct hdabdl_bandwidth_info bw = fx_bandwidth(fx);
    for (int i = 0; i < 4; i++)
        assert_int_equal(bw.sdo_used[i], 0);
}

static void test_the_fifo_is_checked_before_the_bandwidth(void **state)
{
    struct fx *fx = *state;
    /* 176.4k (MULT 4) x 32 x 16 = 2048 bits > 960 and 256 bytes > 192: FIFO first. */
    struct hdabdl_stream_format f = fx_format(176400, 32, 32, 16);
    hdabdl_handle h = NULL;
    hdabdl_converter_format conv = 0;
    assert_status(hdabdl_allocate_render_dma_engine(fx->client, &f, false, &h, &conv),
                  HDABDL_STATUS_BUFFER_TOO_SMALL);
}

static void test_capture_frame_larger_than_the_input_fifo_is_buffer_too_small(void **state)
{
    struct fx *fx = *state;
    /* 2 blocks per frame x 16 ch x 4 bytes = 128 > 120 (input FIFO) */
    struct hdabdl_stream_format f = fx_format(96000, 32, 32, 16);
    hdabdl_handle h = NULL;
    hdabdl_converter_format conv = 0;
    assert_status(hdabdl_allocate_capture_dma_engine(fx->client, 0, &f, &h, &conv),
                  HDABDL_STATUS_BUFFER_TOO_SMALL);
    assert_int_equal(fx_bandwidth(fx).sdi_used[0], 0);
}

static void test_the_same_frame_fits_the_larger_output_fifo(void **state)
{
    struct fx *fx = *state;
    /* 128 bytes fit the 192-byte output FIFO; 2 x 32 x 16 = 1024 bits do not fit SDO0. */
    struct hdabdl_stream_format f = fx_format(96000, 32, 32, 16);
    hdabdl_handle h = NULL;
    hdabdl_converter_format conv = 0;
    assert_status(hdabdl_allocate_render_dma_engine(fx->client, &f, false, &h, &conv),
                  HDABDL_STATUS_INSUFFICIENT_RESOURCES);
}

static void test_a_frame_exactly_filling_the_fifo_and_the_sdo_line_is_accepted(void **state)
{
    struct fx *fx = *state;
    /* 192k (MULT 4) x 12 ch x 4 bytes = 192 bytes = FIFO; 4 x 20 x 12 = 960 bits = SDO line. */
    struct hdabdl_stream_format f = fx_format(192000, 20, 32, 12);
    hdabdl_handle h = fx_alloc_render(fx->client, &f, false);
    struct hdabdl_engine_info i = fx_info(fx->client, h);
    assert_int_equal(i.bandwidth_bits, 960);
    assert_int_equal(i.converter_format, 0x182B);
    assert_int_equal(fx_bandwidth(fx).sdo_used[0], 960);
}

static void test_setup_reports_the_engines_fifo_size(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_stream_format f = fx_format_default();
    struct fx_stream r, c;
    fx_render_stream(fx->client, &f, 2, 1024, false, &r);
    fx_capture_stream(fx->client, 0, &f, 2, 1024, false, &c);
    assert_int_equal(r.fifo_size, 192);
    assert_int_equal(c.fifo_size, 120);
    assert_int_equal(fx_info(fx->client, r.handle).fifo_size, 192);
    assert_int_equal(fx_info(fx->client, c.handle).fifo_size, 120);
}

#define T0(name) cmocka_unit_test(name)
#define T(name) cmocka_unit_test_setup_teardown(name, fx_setup, fx_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T0(test_encode_48k_16_bit_stereo_is_0x0011),
        T0(test_encode_44k1_16_bit_stereo_is_0x4011),
        T0(test_encode_96k_24_in_32_stereo_is_0x0831),
        T0(test_encode_8k_16_bit_mono_is_48k_divided_by_6),
        T0(test_encode_192k_32_bit_stereo_is_0x1841),
        T0(test_encode_32k_is_48k_times_2_divided_by_3),
        T0(test_encode_every_supported_rate),
        T0(test_encode_bits_come_from_valid_bits_not_from_the_container),
        T0(test_encode_channels_minus_one_in_bits_3_to_0),
        T0(test_encode_never_sets_the_non_pcm_or_reserved_bits),
        T0(test_encode_rejects_rates_outside_the_supported_list),
        T0(test_encode_rejects_encodable_rates_that_are_not_in_the_list),
        T0(test_encode_rejects_unsupported_valid_bits),
        T0(test_encode_rejects_containers_that_do_not_match_the_valid_bits),
        T0(test_encode_rejects_packed_24_bit_containers),
        T0(test_encode_rejects_0_and_17_channels),
        T0(test_encode_with_null_format_or_null_out_is_invalid_parameter),
        T0(test_block_bytes_is_channels_times_container_bytes),
        T0(test_block_bytes_of_an_invalid_format_is_0),
        T(test_render_allocation_returns_the_converter_format),
        T(test_capture_allocation_returns_the_converter_format),
        T(test_render_with_container_32_and_valid_24_gets_bits_24),
        T(test_setup_programs_sdnfmt_with_the_converter_format),
        T(test_render_with_an_invalid_format_is_invalid_parameter_and_takes_nothing),
        T(test_capture_with_an_invalid_format_is_invalid_parameter_and_takes_nothing),
        T(test_allocation_with_a_null_format_is_invalid_parameter),
        T(test_allocation_with_a_null_handle_out_is_invalid_parameter),
        T(test_allocation_with_a_null_converter_out_is_invalid_parameter),
        cmocka_unit_test_setup_teardown(test_render_frame_larger_than_the_fifo_is_buffer_too_small,
                                        setup_sdo4, fx_teardown),
        T(test_the_fifo_is_checked_before_the_bandwidth),
        T(test_capture_frame_larger_than_the_input_fifo_is_buffer_too_small),
        T(test_the_same_frame_fits_the_larger_output_fifo),
        T(test_a_frame_exactly_filling_the_fifo_and_the_sdo_line_is_accepted),
        T(test_setup_reports_the_engines_fifo_size),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
