/* SPDX-License-Identifier: MIT */
/*
 * test_ddi_alloc.c - AllocateRenderDmaEngine / AllocateCaptureDmaEngine /
 * FreeDmaEngine: which engine a request takes, stream tags, codec addresses
 * (ddi.md §4.2, §4.3, §4.12, §6.4; hw.md §3.8).
 */
#include "support/fixture.h"

#include <string.h>

/* ---- Configurations ------------------------------------------------------------------------ */

static void cfg_2_2_2(struct hdabdl_mock_hal_config *c)
{
    c->device.input_streams = 2;
    c->device.output_streams = 2;
    c->device.bidir_streams = 2;
}
static int setup_2_2_2(void **state) { return fx_setup_with(state, cfg_2_2_2, 1); }

static void cfg_0_15_15(struct hdabdl_mock_hal_config *c)
{
    c->device.input_streams = 0;
    c->device.output_streams = 15;
    c->device.bidir_streams = 15;
}
static int setup_0_15_15(void **state) { return fx_setup_with(state, cfg_0_15_15, 1); }

static void cfg_15_0_15(struct hdabdl_mock_hal_config *c)
{
    c->device.input_streams = 15;
    c->device.output_streams = 0;
    c->device.bidir_streams = 15;
}
static int setup_15_0_15(void **state) { return fx_setup_with(state, cfg_15_0_15, 1); }

static void cfg_4_0_0(struct hdabdl_mock_hal_config *c)
{
    c->device.input_streams = 4;
    c->device.output_streams = 0;
    c->device.bidir_streams = 0;
}
static int setup_4_0_0(void **state) { return fx_setup_with(state, cfg_4_0_0, 1); }

static void cfg_codecs_0_2(struct hdabdl_mock_hal_config *c) { c->device.codec_mask = 0x0005; }
static int setup_codecs_0_2(void **state) { return fx_setup_with(state, cfg_codecs_0_2, 1); }

static struct hdabdl_stream_format small_format(void) { return fx_format(8000, 8, 8, 1); }

/* ---- Fresh engines ----------------------------------------------------------------------------- */

static void test_new_render_engine_is_reset_with_no_buffer(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_stream_format f = fx_format_default();
    hdabdl_handle h = fx_alloc_render(fx->client, &f, false);
    struct hdabdl_engine_info i = fx_info(fx->client, h);
    assert_int_equal(i.state, HDABDL_RESET_STATE);
    assert_int_equal(i.buffer, HDABDL_BUFFER_NONE);
    assert_true(i.render);
    assert_int_equal(i.format.sample_rate, 48000);
    assert_int_equal(i.format.valid_bits_per_sample, 16);
    assert_int_equal(i.format.container_size, 16);
    assert_int_equal(i.format.number_of_channels, 2);
}

static void test_new_capture_engine_is_reset_with_no_buffer(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_stream_format f = fx_format_default();
    hdabdl_handle h = fx_alloc_capture(fx->client, 0, &f);
    struct hdabdl_engine_info i = fx_info(fx->client, h);
    assert_int_equal(i.state, HDABDL_RESET_STATE);
    assert_int_equal(i.buffer, HDABDL_BUFFER_NONE);
    assert_false(i.render);
    assert_int_equal(i.codec_address, 0);
}

static void test_allocation_does_not_program_the_hardware(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_stream_format f = fx_format_default();
    struct hdabdl_mock_stats before, after;
    hdabdl_mock_get_stats(fx->dev, &before);
    hdabdl_handle h = fx_alloc_render(fx->client, &f, false);
    hdabdl_mock_get_stats(fx->dev, &after);
    assert_int_equal(after.reg_writes, before.reg_writes);
    struct hdabdl_engine_info i = fx_info(fx->client, h);
    assert_int_equal(fx_sd_ctl(fx, i.sd_index) & HDA_SD_CTL_RUN, 0);
}

/* ---- Engine layout: input, output, bidirectional ---------------------------------------------- */

static void test_first_render_engine_is_the_first_output_descriptor_after_the_inputs(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_stream_format f = fx_format_default();
    struct hdabdl_engine_info i = fx_info(fx->client, fx_alloc_render(fx->client, &f, false));
    assert_int_equal(i.sd_index, 4); /* ISS = 4 */
    assert_int_equal(i.kind, HDABDL_ENGINE_OUTPUT);
}

static void test_first_capture_engine_is_descriptor_0(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_stream_format f = fx_format_default();
    struct hdabdl_engine_info i = fx_info(fx->client, fx_alloc_capture(fx->client, 0, &f));
    assert_int_equal(i.sd_index, 0);
    assert_int_equal(i.kind, HDABDL_ENGINE_INPUT);
}

static void test_first_bidirectional_engine_is_descriptor_iss_plus_oss(void **state)
{
    struct fx *fx = *state; /* 2 in, 2 out, 2 bidir */
    struct hdabdl_stream_format f = fx_format_default();
    fx_alloc_render(fx->client, &f, false);
    fx_alloc_render(fx->client, &f, false);
    struct hdabdl_engine_info i = fx_info(fx->client, fx_alloc_render(fx->client, &f, false));
    assert_int_equal(i.kind, HDABDL_ENGINE_BIDIR);
    assert_int_equal(i.sd_index, 4);
}

static void test_render_takes_a_render_engine_before_a_bidirectional_one(void **state)
{
    struct fx *fx = *state; /* 2 in, 2 out, 2 bidir */
    struct hdabdl_stream_format f = fx_format_default();
    struct hdabdl_engine_info a = fx_info(fx->client, fx_alloc_render(fx->client, &f, false));
    struct hdabdl_engine_info b = fx_info(fx->client, fx_alloc_render(fx->client, &f, false));
    assert_int_equal(a.kind, HDABDL_ENGINE_OUTPUT);
    assert_int_equal(b.kind, HDABDL_ENGINE_OUTPUT);
    assert_int_equal(a.sd_index, 2);
    assert_int_equal(b.sd_index, 3);
}

static void test_capture_takes_a_capture_engine_before_a_bidirectional_one(void **state)
{
    struct fx *fx = *state; /* 2 in, 2 out, 2 bidir */
    struct hdabdl_stream_format f = small_format();
    struct hdabdl_engine_info a = fx_info(fx->client, fx_alloc_capture(fx->client, 0, &f));
    struct hdabdl_engine_info b = fx_info(fx->client, fx_alloc_capture(fx->client, 0, &f));
    assert_int_equal(a.kind, HDABDL_ENGINE_INPUT);
    assert_int_equal(b.kind, HDABDL_ENGINE_INPUT);
    assert_int_equal(a.sd_index, 0);
    assert_int_equal(b.sd_index, 1);
}

static void test_capture_falls_back_to_a_bidirectional_engine(void **state)
{
    struct fx *fx = *state; /* 2 in, 2 out, 2 bidir */
    struct hdabdl_stream_format f = small_format();
    fx_alloc_capture(fx->client, 0, &f);
    fx_alloc_capture(fx->client, 0, &f);
    struct hdabdl_engine_info c = fx_info(fx->client, fx_alloc_capture(fx->client, 0, &f));
    assert_int_equal(c.kind, HDABDL_ENGINE_BIDIR);
    assert_int_equal(c.sd_index, 4);
    assert_false(c.render);
}

static void test_render_takes_a_freed_render_engine_before_a_free_bidirectional_one(void **state)
{
    struct fx *fx = *state; /* 2 in, 2 out, 2 bidir */
    struct hdabdl_stream_format f = fx_format_default();
    hdabdl_handle a = fx_alloc_render(fx->client, &f, false);
    fx_alloc_render(fx->client, &f, false);
    assert_status(hdabdl_free_dma_engine(fx->client, a), HDABDL_STATUS_SUCCESS);
    struct hdabdl_engine_info i = fx_info(fx->client, fx_alloc_render(fx->client, &f, false));
    assert_int_equal(i.kind, HDABDL_ENGINE_OUTPUT);
    assert_int_equal(i.sd_index, 2);
}

static void test_render_and_capture_share_the_bidirectional_engines(void **state)
{
    struct fx *fx = *state; /* 2 in, 2 out, 2 bidir */
    struct hdabdl_stream_format f = small_format();
    for (int i = 0; i < 3; i++)
        fx_alloc_render(fx->client, &f, false); /* 2 out + bidir 4 */
    for (int i = 0; i < 3; i++)
        fx_alloc_capture(fx->client, 0, &f);    /* 2 in + bidir 5 */
    hdabdl_handle h = (hdabdl_handle)(uintptr_t)0x77;
    hdabdl_converter_format conv = 0x7777;
    assert_status(hdabdl_allocate_render_dma_engine(fx->client, &f, false, &h, &conv),
                  HDABDL_STATUS_INSUFFICIENT_RESOURCES);
    assert_status(hdabdl_allocate_capture_dma_engine(fx->client, 0, &f, &h, &conv),
                  HDABDL_STATUS_INSUFFICIENT_RESOURCES);
}

static void test_render_with_no_engine_left_is_insufficient_resources(void **state)
{
    struct fx *fx = *state; /* 4 in, 4 out, 0 bidir */
    struct hdabdl_stream_format f = fx_format_default();
    for (int i = 0; i < 4; i++)
        fx_alloc_render(fx->client, &f, false);
    struct hdabdl_bandwidth_info before = fx_bandwidth(fx);
    hdabdl_handle h = NULL;
    hdabdl_converter_format conv = 0;
    assert_status(hdabdl_allocate_render_dma_engine(fx->client, &f, false, &h, &conv),
                  HDABDL_STATUS_INSUFFICIENT_RESOURCES);
    struct hdabdl_bandwidth_info after = fx_bandwidth(fx);
    assert_memory_equal(&before, &after, sizeof(before)); /* nothing reserved by the failure */
}

static void test_capture_with_no_engine_left_is_insufficient_resources(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_stream_format f = small_format();
    for (int i = 0; i < 4; i++)
        fx_alloc_capture(fx->client, 0, &f);
    hdabdl_handle h = NULL;
    hdabdl_converter_format conv = 0;
    assert_status(hdabdl_allocate_capture_dma_engine(fx->client, 0, &f, &h, &conv),
                  HDABDL_STATUS_INSUFFICIENT_RESOURCES);
    /* Render engines are a different pool. */
    fx_alloc_render(fx->client, &f, false);
}

static void test_render_on_a_controller_with_only_input_engines_is_insufficient_resources(
    void **state)
{
    struct fx *fx = *state; /* 4 in, 0 out, 0 bidir */
    struct hdabdl_stream_format f = fx_format_default();
    hdabdl_handle h = NULL;
    hdabdl_converter_format conv = 0;
    assert_status(hdabdl_allocate_render_dma_engine(fx->client, &f, false, &h, &conv),
                  HDABDL_STATUS_INSUFFICIENT_RESOURCES);
    fx_alloc_capture(fx->client, 0, &f);
}

static void test_a_freed_engine_can_be_allocated_again(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_stream_format f = fx_format_default();
    hdabdl_handle h[4];
    for (int i = 0; i < 4; i++)
        h[i] = fx_alloc_render(fx->client, &f, false);
    uint8_t sd = fx_info(fx->client, h[2]).sd_index;
    assert_status(hdabdl_free_dma_engine(fx->client, h[2]), HDABDL_STATUS_SUCCESS);
    struct hdabdl_engine_info i = fx_info(fx->client, fx_alloc_render(fx->client, &f, false));
    assert_int_equal(i.sd_index, sd);
}

/* ---- Direction bit of bidirectional engines ------------------------------------------------------ */

static void test_bidirectional_engine_for_render_gets_dir_set_once_programmed(void **state)
{
    struct fx *fx = *state; /* 2 in, 2 out, 2 bidir */
    struct hdabdl_stream_format f = fx_format_default();
    fx_alloc_render(fx->client, &f, false);
    fx_alloc_render(fx->client, &f, false);
    struct fx_stream s;
    fx_render_stream(fx->client, &f, 2, 1024, false, &s);
    assert_int_equal(fx_info(fx->client, s.handle).kind, HDABDL_ENGINE_BIDIR);
    assert_true((fx_sd_ctl(fx, s.sd) & HDA_SD_CTL_DIR) != 0);
}

static void test_bidirectional_engine_for_capture_has_dir_clear_once_programmed(void **state)
{
    struct fx *fx = *state; /* 2 in, 2 out, 2 bidir */
    struct hdabdl_stream_format f = fx_format_default();
    fx_alloc_capture(fx->client, 0, &f);
    fx_alloc_capture(fx->client, 0, &f);
    struct fx_stream s;
    fx_capture_stream(fx->client, 0, &f, 2, 1024, false, &s);
    assert_int_equal(fx_info(fx->client, s.handle).kind, HDABDL_ENGINE_BIDIR);
    assert_int_equal(fx_sd_ctl(fx, s.sd) & HDA_SD_CTL_DIR, 0);
}

static void test_bidirectional_engine_reused_for_capture_after_render_clears_dir(void **state)
{
    struct fx *fx = *state; /* 2 in, 2 out, 2 bidir */
    struct hdabdl_stream_format f = fx_format_default();
    fx_alloc_render(fx->client, &f, false);
    fx_alloc_render(fx->client, &f, false);
    fx_alloc_capture(fx->client, 0, &f);
    fx_alloc_capture(fx->client, 0, &f);
    struct fx_stream s;
    fx_render_stream(fx->client, &f, 2, 1024, false, &s);  /* bidir 4 */
    uint8_t sd = s.sd;
    assert_status(hdabdl_free_contiguous_dma_buffer(fx->client, s.handle), HDABDL_STATUS_SUCCESS);
    assert_status(hdabdl_free_dma_engine(fx->client, s.handle), HDABDL_STATUS_SUCCESS);
    fx_capture_stream(fx->client, 0, &f, 2, 1024, false, &s);
    assert_int_equal(s.sd, sd);
    assert_int_equal(fx_sd_ctl(fx, s.sd) & HDA_SD_CTL_DIR, 0);
}

/* ---- Stream tags ------------------------------------------------------------------------------ */

static void test_render_tags_are_unique_and_lowest_free_first(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_stream_format f = fx_format_default();
    for (unsigned t = 1; t <= 4; t++) {
        struct hdabdl_engine_info i = fx_info(fx->client, fx_alloc_render(fx->client, &f, false));
        assert_int_equal(i.stream_tag, t);
    }
}

static void test_render_and_capture_tags_are_separate_spaces(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_stream_format f = fx_format_default();
    struct hdabdl_engine_info r = fx_info(fx->client, fx_alloc_render(fx->client, &f, false));
    struct hdabdl_engine_info c = fx_info(fx->client, fx_alloc_capture(fx->client, 0, &f));
    struct hdabdl_engine_info r2 = fx_info(fx->client, fx_alloc_render(fx->client, &f, false));
    struct hdabdl_engine_info c2 = fx_info(fx->client, fx_alloc_capture(fx->client, 0, &f));
    assert_int_equal(r.stream_tag, 1);
    assert_int_equal(c.stream_tag, 1);
    assert_int_equal(r2.stream_tag, 2);
    assert_int_equal(c2.stream_tag, 2);
}

static void test_a_freed_tag_is_reused_lowest_first(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_stream_format f = fx_format_default();
    hdabdl_handle h1 = fx_alloc_render(fx->client, &f, false);
    hdabdl_handle h2 = fx_alloc_render(fx->client, &f, false);
    fx_alloc_render(fx->client, &f, false);
    assert_status(hdabdl_free_dma_engine(fx->client, h2), HDABDL_STATUS_SUCCESS);
    assert_status(hdabdl_free_dma_engine(fx->client, h1), HDABDL_STATUS_SUCCESS);
    assert_int_equal(fx_info(fx->client, fx_alloc_render(fx->client, &f, false)).stream_tag, 1);
    assert_int_equal(fx_info(fx->client, fx_alloc_render(fx->client, &f, false)).stream_tag, 2);
    assert_int_equal(fx_info(fx->client, fx_alloc_render(fx->client, &f, false)).stream_tag, 4);
}

static void test_the_tag_is_programmed_in_sdnctl_and_returned_as_stream_id(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_stream_format f = fx_format_default();
    fx_alloc_render(fx->client, &f, false);
    fx_alloc_render(fx->client, &f, false);
    struct fx_stream s;
    fx_render_stream(fx->client, &f, 2, 512, false, &s);
    assert_int_equal(s.tag, 3);
    assert_int_equal((fx_sd_ctl(fx, s.sd) & HDA_SD_CTL_STRM_MASK) >> HDA_SD_CTL_STRM_SHIFT, 3);
}

static void test_render_tags_run_out_after_15_render_engines(void **state)
{
    struct fx *fx = *state; /* 0 in, 15 out, 15 bidir */
    struct hdabdl_stream_format f = small_format();
    uint16_t seen = 0;
    for (int i = 0; i < 15; i++) {
        struct hdabdl_engine_info e = fx_info(fx->client, fx_alloc_render(fx->client, &f, false));
        assert_true(e.stream_tag >= 1 && e.stream_tag <= 15);
        assert_int_equal(seen & (1u << e.stream_tag), 0);
        seen |= (uint16_t)(1u << e.stream_tag);
    }
    hdabdl_handle h = NULL;
    hdabdl_converter_format conv = 0;
    /* 15 bidirectional engines are still free, but no render tag is. */
    assert_status(hdabdl_allocate_render_dma_engine(fx->client, &f, false, &h, &conv),
                  HDABDL_STATUS_INSUFFICIENT_RESOURCES);
}

static void test_capture_tags_run_out_after_15_capture_engines(void **state)
{
    struct fx *fx = *state; /* 15 in, 0 out, 15 bidir */
    struct hdabdl_stream_format f = small_format();
    for (int i = 0; i < 15; i++)
        assert_int_equal(fx_info(fx->client, fx_alloc_capture(fx->client, 0, &f)).stream_tag, i + 1);
    hdabdl_handle h = NULL;
    hdabdl_converter_format conv = 0;
    assert_status(hdabdl_allocate_capture_dma_engine(fx->client, 0, &f, &h, &conv),
                  HDABDL_STATUS_INSUFFICIENT_RESOURCES);
    /* Render tags are another space: a bidirectional engine can still render. */
    struct hdabdl_engine_info r = fx_info(fx->client, fx_alloc_render(fx->client, &f, false));
    assert_int_equal(r.kind, HDABDL_ENGINE_BIDIR);
    assert_int_equal(r.stream_tag, 1);
}

static void test_a_freed_tag_makes_the_16th_render_allocation_possible(void **state)
{
    struct fx *fx = *state; /* 0 in, 15 out, 15 bidir */
    struct hdabdl_stream_format f = small_format();
    hdabdl_handle h[15];
    for (int i = 0; i < 15; i++)
        h[i] = fx_alloc_render(fx->client, &f, false);
    uint8_t tag = fx_info(fx->client, h[6]).stream_tag;
    assert_status(hdabdl_free_dma_engine(fx->client, h[6]), HDABDL_STATUS_SUCCESS);
    assert_int_equal(fx_info(fx->client, fx_alloc_render(fx->client, &f, false)).stream_tag, tag);
}

/* ---- Capture codec addresses ----------------------------------------------------------------- */

static void test_capture_with_codec_address_15_is_invalid_parameter(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_stream_format f = fx_format_default();
    hdabdl_handle h = NULL;
    hdabdl_converter_format conv = 0;
    assert_status(hdabdl_allocate_capture_dma_engine(fx->client, 15, &f, &h, &conv),
                  HDABDL_STATUS_INVALID_PARAMETER);
    assert_status(hdabdl_allocate_capture_dma_engine(fx->client, 255, &f, &h, &conv),
                  HDABDL_STATUS_INVALID_PARAMETER);
    /* No engine was taken. */
    for (int i = 0; i < 4; i++)
        fx_alloc_capture(fx->client, 0, &f);
}

static void test_capture_from_a_codec_not_in_the_mask_is_invalid_parameter(void **state)
{
    struct fx *fx = *state; /* codecs 0 and 2 */
    struct hdabdl_stream_format f = fx_format_default();
    hdabdl_handle h = NULL;
    hdabdl_converter_format conv = 0;
    assert_status(hdabdl_allocate_capture_dma_engine(fx->client, 1, &f, &h, &conv),
                  HDABDL_STATUS_INVALID_PARAMETER);
    assert_status(hdabdl_allocate_capture_dma_engine(fx->client, 14, &f, &h, &conv),
                  HDABDL_STATUS_INVALID_PARAMETER);
    struct hdabdl_bandwidth_info bw = fx_bandwidth(fx);
    for (int i = 0; i < 15; i++)
        assert_int_equal(bw.sdi_used[i], 0);
}

static void test_capture_from_a_present_codec_records_its_address(void **state)
{
    struct fx *fx = *state; /* codecs 0 and 2 */
    struct hdabdl_stream_format f = fx_format_default();
    struct hdabdl_engine_info i = fx_info(fx->client, fx_alloc_capture(fx->client, 2, &f));
    assert_int_equal(i.codec_address, 2);
}

static void test_render_engine_records_codec_address_0(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_stream_format f = fx_format_default();
    struct hdabdl_engine_info i = fx_info(fx->client, fx_alloc_render(fx->client, &f, false));
    assert_int_equal(i.codec_address, 0);
    assert_int_equal(i.stripe_lines, 1);
}

/* ---- FreeDmaEngine -------------------------------------------------------------------------------- */

static void test_free_engine_makes_the_handle_unusable(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_stream_format f = fx_format_default();
    hdabdl_handle h = fx_alloc_render(fx->client, &f, false);
    assert_status(hdabdl_free_dma_engine(fx->client, h), HDABDL_STATUS_SUCCESS);
    assert_status(hdabdl_free_dma_engine(fx->client, h), HDABDL_STATUS_INVALID_HANDLE);
    struct hdabdl_engine_info i;
    assert_status(hdabdl_engine_get_info(fx->client, h, &i), HDABDL_STATUS_INVALID_HANDLE);
}

static void test_engine_get_info_with_null_out_is_invalid_parameter(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_stream_format f = fx_format_default();
    hdabdl_handle h = fx_alloc_render(fx->client, &f, false);
    assert_status(hdabdl_engine_get_info(fx->client, h, NULL), HDABDL_STATUS_INVALID_PARAMETER);
}

#define T(name) cmocka_unit_test_setup_teardown(name, fx_setup, fx_teardown)
#define T222(name) cmocka_unit_test_setup_teardown(name, setup_2_2_2, fx_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_new_render_engine_is_reset_with_no_buffer),
        T(test_new_capture_engine_is_reset_with_no_buffer),
        T(test_allocation_does_not_program_the_hardware),
        T(test_first_render_engine_is_the_first_output_descriptor_after_the_inputs),
        T(test_first_capture_engine_is_descriptor_0),
        T222(test_first_bidirectional_engine_is_descriptor_iss_plus_oss),
        T222(test_render_takes_a_render_engine_before_a_bidirectional_one),
        T222(test_capture_takes_a_capture_engine_before_a_bidirectional_one),
        T222(test_capture_falls_back_to_a_bidirectional_engine),
        T222(test_render_takes_a_freed_render_engine_before_a_free_bidirectional_one),
        T222(test_render_and_capture_share_the_bidirectional_engines),
        T(test_render_with_no_engine_left_is_insufficient_resources),
        T(test_capture_with_no_engine_left_is_insufficient_resources),
        cmocka_unit_test_setup_teardown(
            test_render_on_a_controller_with_only_input_engines_is_insufficient_resources,
            setup_4_0_0, fx_teardown),
        T(test_a_freed_engine_can_be_allocated_again),
        T222(test_bidirectional_engine_for_render_gets_dir_set_once_programmed),
        T222(test_bidirectional_engine_for_capture_has_dir_clear_once_programmed),
        T222(test_bidirectional_engine_reused_for_capture_after_render_clears_dir),
        T(test_render_tags_are_unique_and_lowest_free_first),
        T(test_render_and_capture_tags_are_separate_spaces),
        T(test_a_freed_tag_is_reused_lowest_first),
        T(test_the_tag_is_programmed_in_sdnctl_and_returned_as_stream_id),
        cmocka_unit_test_setup_teardown(test_render_tags_run_out_after_15_render_engines,
                                        setup_0_15_15, fx_teardown),
        cmocka_unit_test_setup_teardown(test_capture_tags_run_out_after_15_capture_engines,
                                        setup_15_0_15, fx_teardown),
        cmocka_unit_test_setup_teardown(test_a_freed_tag_makes_the_16th_render_allocation_possible,
                                        setup_0_15_15, fx_teardown),
        T(test_capture_with_codec_address_15_is_invalid_parameter),
        cmocka_unit_test_setup_teardown(test_capture_from_a_codec_not_in_the_mask_is_invalid_parameter,
                                        setup_codecs_0_2, fx_teardown),
        cmocka_unit_test_setup_teardown(test_capture_from_a_present_codec_records_its_address,
                                        setup_codecs_0_2, fx_teardown),
        T(test_render_engine_records_codec_address_0),
        T(test_free_engine_makes_the_handle_unusable),
        T(test_engine_get_info_with_null_out_is_invalid_parameter),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
