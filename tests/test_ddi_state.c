/* SPDX-License-Identifier: MIT */
/*
 * test_ddi_state.c - SetDmaEngineState: parameter checks, all-or-nothing
 * validation, the transition table, synchronized start (SSYNC) and bounded
 * hardware handshakes (ddi.md §4.13, §5.6, §6.2, §11 #2-3; hw.md §3.2, §3.3).
 */
#include "support/fixture.h"

#include <string.h>

/* Three programmed render engines of the default format, 2 x 1920 bytes each. */
struct three {
    struct fx_stream s[3];
    hdabdl_handle h[3];
};

static void three_streams(struct fx *fx, struct three *t)
{
    struct hdabdl_stream_format f = fx_format_default();
    for (int i = 0; i < 3; i++) {
        fx_render_stream(fx->client, &f, 2, 1920, false, &t->s[i]);
        t->h[i] = t->s[i].handle;
    }
}

static void assert_state(struct fx *fx, struct fx_stream *s, enum hdabdl_stream_state want)
{
    struct hdabdl_engine_info i = fx_info(fx->client, s->handle);
    assert_int_equal(i.state, want);
    assert_int_equal(fx_sd_running(fx, s->sd), want == HDABDL_RUN_STATE);
}

static hdabdl_handle stale_handle(struct fx *fx)
{
    struct hdabdl_stream_format f = fx_format_default();
    hdabdl_handle h = fx_alloc_render(fx->client, &f, false);
    assert_status(hdabdl_free_dma_engine(fx->client, h), HDABDL_STATUS_SUCCESS);
    return h;
}

static uint32_t ssync(struct fx *fx) { return fx_reg(fx, HDA_REG_SSYNC, 4); }

/* ---- Parameters ------------------------------------------------------------------------------ */

static void test_set_state_with_count_0_is_invalid_parameter(void **state)
{
    struct fx *fx = *state;
    struct three t;
    three_streams(fx, &t);
    assert_status(hdabdl_set_dma_engine_state(fx->client, HDABDL_PAUSE_STATE, 0, t.h),
                  HDABDL_STATUS_INVALID_PARAMETER);
    assert_state(fx, &t.s[0], HDABDL_RESET_STATE);
}

static void test_set_state_with_a_null_array_is_invalid_parameter(void **state)
{
    struct fx *fx = *state;
    assert_status(hdabdl_set_dma_engine_state(fx->client, HDABDL_PAUSE_STATE, 1, NULL),
                  HDABDL_STATUS_INVALID_PARAMETER);
    assert_status(hdabdl_set_dma_engine_state(fx->client, HDABDL_RESET_STATE, 3, NULL),
                  HDABDL_STATUS_INVALID_PARAMETER);
}

static void test_set_state_with_a_state_outside_0_to_2_is_invalid_parameter(void **state)
{
    struct fx *fx = *state;
    struct three t;
    three_streams(fx, &t);
    assert_status(fx_state1(fx->client, HDABDL_PAUSE_STATE, t.h[0]), HDABDL_STATUS_SUCCESS);
    assert_status(fx_state1(fx->client, (enum hdabdl_stream_state)3, t.h[0]),
                  HDABDL_STATUS_INVALID_PARAMETER);
    assert_status(fx_state1(fx->client, (enum hdabdl_stream_state)-1, t.h[0]),
                  HDABDL_STATUS_INVALID_PARAMETER);
    assert_status(fx_state1(fx->client, (enum hdabdl_stream_state)0x7FFFFFFF, t.h[0]),
                  HDABDL_STATUS_INVALID_PARAMETER);
    assert_state(fx, &t.s[0], HDABDL_PAUSE_STATE);
}

static void test_set_state_with_duplicate_handles_is_invalid_parameter_and_changes_nothing(
    void **state)
{
    struct fx *fx = *state;
    struct three t;
    three_streams(fx, &t);
    assert_status(fx_state2(fx->client, HDABDL_PAUSE_STATE, t.h[0], t.h[1]), HDABDL_STATUS_SUCCESS);
    hdabdl_handle hs[3] = {t.h[0], t.h[1], t.h[0]};
    assert_status(hdabdl_set_dma_engine_state(fx->client, HDABDL_RUN_STATE, 3, hs),
                  HDABDL_STATUS_INVALID_PARAMETER);
    assert_state(fx, &t.s[0], HDABDL_PAUSE_STATE);
    assert_state(fx, &t.s[1], HDABDL_PAUSE_STATE);
}

/* ---- Every handle is validated before any register changes --------------------------------------- */

static void run_with_bad_handle_at(struct fx *fx, unsigned pos, hdabdl_handle bad)
{
    struct three t;
    three_streams(fx, &t);
    hdabdl_handle hs[3] = {t.h[0], t.h[1], t.h[2]};
    assert_status(hdabdl_set_dma_engine_state(fx->client, HDABDL_PAUSE_STATE, 3, hs),
                  HDABDL_STATUS_SUCCESS);
    hdabdl_handle req[4];
    unsigned n = 0;
    for (unsigned i = 0; i <= 3; i++) {
        if (i == pos)
            req[n++] = bad;
        if (i < 3)
            req[n++] = hs[i];
    }
    struct hdabdl_mock_stats before, after;
    hdabdl_mock_get_stats(fx->dev, &before);
    assert_status(hdabdl_set_dma_engine_state(fx->client, HDABDL_RUN_STATE, 4, req),
                  HDABDL_STATUS_INVALID_HANDLE);
    hdabdl_mock_get_stats(fx->dev, &after);
    assert_int_equal(after.reg_writes, before.reg_writes);
    for (int i = 0; i < 3; i++)
        assert_state(fx, &t.s[i], HDABDL_PAUSE_STATE);
    fx_advance_ms(fx, 5);
    for (int i = 0; i < 3; i++)
        assert_int_equal(hdabdl_mock_link_tap_available(fx->dev, t.s[i].tag), 0);
}

static void test_set_state_with_a_bad_handle_first_changes_nothing(void **state)
{
    run_with_bad_handle_at(*state, 0, FX_FORGED_HANDLE);
}

static void test_set_state_with_a_null_handle_in_the_middle_changes_nothing(void **state)
{
    run_with_bad_handle_at(*state, 2, NULL);
}

static void test_set_state_with_a_stale_handle_last_changes_nothing(void **state)
{
    struct fx *fx = *state;
    hdabdl_handle stale = stale_handle(fx);
    run_with_bad_handle_at(fx, 3, stale);
}

static void test_set_state_with_another_clients_handle_changes_nothing(void **state)
{
    struct fx *fx = *state; /* two clients */
    struct hdabdl_stream_format f = fx_format_default();
    struct fx_stream other;
    fx_render_stream(fx->client2, &f, 2, 1920, false, &other);
    run_with_bad_handle_at(fx, 1, other.handle);
    assert_int_equal(fx_info(fx->client2, other.handle).state, HDABDL_RESET_STATE);
    assert_false(fx_sd_running(fx, other.sd));
}

static void test_pause_with_a_bad_handle_leaves_running_engines_running(void **state)
{
    struct fx *fx = *state;
    struct three t;
    three_streams(fx, &t);
    assert_status(hdabdl_set_dma_engine_state(fx->client, HDABDL_PAUSE_STATE, 3, t.h),
                  HDABDL_STATUS_SUCCESS);
    assert_status(hdabdl_set_dma_engine_state(fx->client, HDABDL_RUN_STATE, 3, t.h),
                  HDABDL_STATUS_SUCCESS);
    hdabdl_handle req[4] = {t.h[0], t.h[1], t.h[2], FX_FORGED_HANDLE};
    assert_status(hdabdl_set_dma_engine_state(fx->client, HDABDL_PAUSE_STATE, 4, req),
                  HDABDL_STATUS_INVALID_HANDLE);
    for (int i = 0; i < 3; i++)
        assert_state(fx, &t.s[i], HDABDL_RUN_STATE);
}

/* ---- Buffers ------------------------------------------------------------------------------------ */

static void test_pause_with_an_engine_without_a_buffer_is_idr_and_changes_nothing(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_stream_format f = fx_format_default();
    struct fx_stream a;
    fx_render_stream(fx->client, &f, 2, 1920, false, &a);
    hdabdl_handle bare = fx_alloc_render(fx->client, &f, false);
    assert_status(fx_state2(fx->client, HDABDL_PAUSE_STATE, a.handle, bare),
                  HDABDL_STATUS_INVALID_DEVICE_REQUEST);
    assert_state(fx, &a, HDABDL_RESET_STATE);
    assert_int_equal(fx_info(fx->client, bare).state, HDABDL_RESET_STATE);
}

static void test_run_with_an_allocated_but_unprogrammed_buffer_is_idr(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_stream_format f = fx_format_default();
    struct fx_stream a, b;
    fx_render_stream(fx->client, &f, 2, 1920, false, &a);
    memset(&b, 0, sizeof(b));
    b.client = fx->client;
    b.handle = fx_alloc_render(fx->client, &f, false);
    fx_alloc_buffer(&b, 4096);
    assert_status(fx_state1(fx->client, HDABDL_PAUSE_STATE, a.handle), HDABDL_STATUS_SUCCESS);
    assert_status(fx_state2(fx->client, HDABDL_PAUSE_STATE, a.handle, b.handle),
                  HDABDL_STATUS_INVALID_DEVICE_REQUEST);
    assert_status(fx_state2(fx->client, HDABDL_RUN_STATE, b.handle, a.handle),
                  HDABDL_STATUS_INVALID_DEVICE_REQUEST);
    assert_state(fx, &a, HDABDL_PAUSE_STATE);
    assert_int_equal(fx_info(fx->client, b.handle).state, HDABDL_RESET_STATE);
}

static void test_reset_of_an_engine_without_a_buffer_is_allowed(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_stream_format f = fx_format_default();
    hdabdl_handle h = fx_alloc_render(fx->client, &f, false);
    assert_status(fx_state1(fx->client, HDABDL_RESET_STATE, h), HDABDL_STATUS_SUCCESS);
    struct hdabdl_engine_info i = fx_info(fx->client, h);
    assert_int_equal(i.state, HDABDL_RESET_STATE);
    assert_int_equal(i.buffer, HDABDL_BUFFER_NONE);
}

/* ---- Transition table ------------------------------------------------------------------------------- */

static void test_reset_to_run_is_idr(void **state)
{
    struct fx *fx = *state;
    struct three t;
    three_streams(fx, &t);
    assert_status(fx_state1(fx->client, HDABDL_RUN_STATE, t.h[0]),
                  HDABDL_STATUS_INVALID_DEVICE_REQUEST);
    assert_state(fx, &t.s[0], HDABDL_RESET_STATE);
}

static void test_run_to_reset_is_idr_and_the_engine_keeps_running(void **state)
{
    struct fx *fx = *state;
    struct three t;
    three_streams(fx, &t);
    fx_start_stream(&t.s[0]);
    fx_advance_ms(fx, 1);
    assert_status(fx_state1(fx->client, HDABDL_RESET_STATE, t.h[0]),
                  HDABDL_STATUS_INVALID_DEVICE_REQUEST);
    assert_state(fx, &t.s[0], HDABDL_RUN_STATE);
    uint32_t before = fx_sd_lpib(fx, t.s[0].sd);
    fx_advance_ms(fx, 1);
    assert_int_not_equal(fx_sd_lpib(fx, t.s[0].sd), before);
}

static void test_run_with_one_engine_still_in_reset_is_idr_and_starts_none(void **state)
{
    struct fx *fx = *state;
    struct three t;
    three_streams(fx, &t);
    assert_status(fx_state1(fx->client, HDABDL_PAUSE_STATE, t.h[0]), HDABDL_STATUS_SUCCESS);
    assert_status(fx_state2(fx->client, HDABDL_RUN_STATE, t.h[0], t.h[1]),
                  HDABDL_STATUS_INVALID_DEVICE_REQUEST);
    assert_state(fx, &t.s[0], HDABDL_PAUSE_STATE);
    assert_state(fx, &t.s[1], HDABDL_RESET_STATE);
}

static void test_stop_and_pause_are_the_same_state(void **state)
{
    struct fx *fx = *state;
    assert_int_equal(HDABDL_STOP_STATE, HDABDL_PAUSE_STATE);
    assert_int_equal(HDABDL_RESET_STATE, 0);
    assert_int_equal(HDABDL_STOP_STATE, 1);
    assert_int_equal(HDABDL_RUN_STATE, 2);
    struct three t;
    three_streams(fx, &t);
    assert_status(fx_state1(fx->client, HDABDL_STOP_STATE, t.h[0]), HDABDL_STATUS_SUCCESS);
    assert_int_equal(fx_info(fx->client, t.h[0]).state, HDABDL_PAUSE_STATE);
    assert_status(fx_state1(fx->client, HDABDL_RUN_STATE, t.h[0]), HDABDL_STATUS_SUCCESS);
    assert_status(fx_state1(fx->client, HDABDL_STOP_STATE, t.h[0]), HDABDL_STATUS_SUCCESS);
    assert_state(fx, &t.s[0], HDABDL_PAUSE_STATE);
}

static void test_reset_pause_run_pause_reset_is_allowed(void **state)
{
    struct fx *fx = *state;
    struct three t;
    three_streams(fx, &t);
    assert_status(fx_state1(fx->client, HDABDL_PAUSE_STATE, t.h[0]), HDABDL_STATUS_SUCCESS);
    assert_state(fx, &t.s[0], HDABDL_PAUSE_STATE);
    assert_status(fx_state1(fx->client, HDABDL_RUN_STATE, t.h[0]), HDABDL_STATUS_SUCCESS);
    assert_state(fx, &t.s[0], HDABDL_RUN_STATE);
    fx_advance_ms(fx, 2);
    assert_status(fx_state1(fx->client, HDABDL_PAUSE_STATE, t.h[0]), HDABDL_STATUS_SUCCESS);
    assert_state(fx, &t.s[0], HDABDL_PAUSE_STATE);
    assert_status(fx_state1(fx->client, HDABDL_RESET_STATE, t.h[0]), HDABDL_STATUS_SUCCESS);
    assert_state(fx, &t.s[0], HDABDL_RESET_STATE);
    assert_int_equal(fx_info(fx->client, t.h[0]).buffer, HDABDL_BUFFER_PROGRAMMED);
}

static void test_same_state_requests_succeed(void **state)
{
    struct fx *fx = *state;
    struct three t;
    three_streams(fx, &t);
    assert_status(fx_state1(fx->client, HDABDL_RESET_STATE, t.h[0]), HDABDL_STATUS_SUCCESS);
    assert_state(fx, &t.s[0], HDABDL_RESET_STATE);
    assert_status(fx_state1(fx->client, HDABDL_PAUSE_STATE, t.h[0]), HDABDL_STATUS_SUCCESS);
    assert_status(fx_state1(fx->client, HDABDL_PAUSE_STATE, t.h[0]), HDABDL_STATUS_SUCCESS);
    assert_state(fx, &t.s[0], HDABDL_PAUSE_STATE);
    assert_status(fx_state1(fx->client, HDABDL_RUN_STATE, t.h[0]), HDABDL_STATUS_SUCCESS);
    fx_advance_ms(fx, 1);
    uint32_t pos = fx_sd_lpib(fx, t.s[0].sd);
    assert_status(fx_state1(fx->client, HDABDL_RUN_STATE, t.h[0]), HDABDL_STATUS_SUCCESS);
    assert_state(fx, &t.s[0], HDABDL_RUN_STATE);
    /* A repeated Run does not restart the engine. */
    assert_true(fx_sd_lpib(fx, t.s[0].sd) >= pos);
}

static void test_a_mix_of_paused_and_running_engines_can_be_run_together(void **state)
{
    struct fx *fx = *state;
    struct three t;
    three_streams(fx, &t);
    assert_status(fx_state2(fx->client, HDABDL_PAUSE_STATE, t.h[0], t.h[1]), HDABDL_STATUS_SUCCESS);
    assert_status(fx_state1(fx->client, HDABDL_RUN_STATE, t.h[0]), HDABDL_STATUS_SUCCESS);
    assert_status(fx_state2(fx->client, HDABDL_RUN_STATE, t.h[0], t.h[1]), HDABDL_STATUS_SUCCESS);
    assert_state(fx, &t.s[0], HDABDL_RUN_STATE);
    assert_state(fx, &t.s[1], HDABDL_RUN_STATE);
}

/* ---- Registers and synchronized start ------------------------------------------------------------ */

static void test_run_sets_the_run_bit_and_pause_clears_it(void **state)
{
    struct fx *fx = *state;
    struct three t;
    three_streams(fx, &t);
    fx_start_stream(&t.s[0]);
    assert_true(fx_sd_running(fx, t.s[0].sd));
    assert_false(fx_sd_running(fx, t.s[1].sd));
    assert_status(fx_state1(fx->client, HDABDL_PAUSE_STATE, t.h[0]), HDABDL_STATUS_SUCCESS);
    assert_false(fx_sd_running(fx, t.s[0].sd));
}

static void test_engines_started_together_run_with_ssync_cleared_afterwards(void **state)
{
    struct fx *fx = *state;
    struct three t;
    three_streams(fx, &t);
    assert_status(hdabdl_set_dma_engine_state(fx->client, HDABDL_PAUSE_STATE, 3, t.h),
                  HDABDL_STATUS_SUCCESS);
    assert_status(hdabdl_set_dma_engine_state(fx->client, HDABDL_RUN_STATE, 3, t.h),
                  HDABDL_STATUS_SUCCESS);
    for (int i = 0; i < 3; i++)
        assert_state(fx, &t.s[i], HDABDL_RUN_STATE);
    assert_int_equal(ssync(fx), 0);
    assert_status(hdabdl_set_dma_engine_state(fx->client, HDABDL_PAUSE_STATE, 3, t.h),
                  HDABDL_STATUS_SUCCESS);
    for (int i = 0; i < 3; i++)
        assert_state(fx, &t.s[i], HDABDL_PAUSE_STATE);
    assert_int_equal(ssync(fx), 0);
}

static void test_engines_started_together_advance_identically(void **state)
{
    struct fx *fx = *state;
    struct three t;
    three_streams(fx, &t);
    assert_status(hdabdl_set_dma_engine_state(fx->client, HDABDL_PAUSE_STATE, 3, t.h),
                  HDABDL_STATUS_SUCCESS);
    assert_status(hdabdl_set_dma_engine_state(fx->client, HDABDL_RUN_STATE, 3, t.h),
                  HDABDL_STATUS_SUCCESS);
    for (int step = 0; step < 5; step++) {
        fx_advance_us(fx, 1337);
        uint32_t p0 = fx_sd_lpib(fx, t.s[0].sd);
        assert_true(p0 > 0 || step == 0);
        assert_int_equal(fx_sd_lpib(fx, t.s[1].sd), p0);
        assert_int_equal(fx_sd_lpib(fx, t.s[2].sd), p0);
    }
    assert_int_equal(hdabdl_mock_link_tap_available(fx->dev, t.s[0].tag),
                     hdabdl_mock_link_tap_available(fx->dev, t.s[1].tag));
}

static void test_engines_stopped_together_stop_at_the_same_position(void **state)
{
    struct fx *fx = *state;
    struct three t;
    three_streams(fx, &t);
    assert_status(fx_state2(fx->client, HDABDL_PAUSE_STATE, t.h[0], t.h[1]), HDABDL_STATUS_SUCCESS);
    assert_status(fx_state2(fx->client, HDABDL_RUN_STATE, t.h[0], t.h[1]), HDABDL_STATUS_SUCCESS);
    fx_advance_us(fx, 2500);
    assert_status(fx_state2(fx->client, HDABDL_PAUSE_STATE, t.h[0], t.h[1]), HDABDL_STATUS_SUCCESS);
    assert_int_equal(fx_sd_lpib(fx, t.s[0].sd), fx_sd_lpib(fx, t.s[1].sd));
}

static void test_paused_engine_keeps_its_position_and_sends_nothing(void **state)
{
    struct fx *fx = *state;
    struct three t;
    three_streams(fx, &t);
    fx_start_stream(&t.s[0]);
    fx_advance_ms(fx, 3);
    assert_status(fx_state1(fx->client, HDABDL_PAUSE_STATE, t.h[0]), HDABDL_STATUS_SUCCESS);
    uint32_t pos = fx_sd_lpib(fx, t.s[0].sd);
    size_t sent = hdabdl_mock_link_tap_available(fx->dev, t.s[0].tag);
    assert_true(pos > 0);
    fx_advance_ms(fx, 10);
    assert_int_equal(fx_sd_lpib(fx, t.s[0].sd), pos);
    assert_int_equal(hdabdl_mock_link_tap_available(fx->dev, t.s[0].tag), sent);
}

static void test_pause_then_run_continues_from_the_paused_position(void **state)
{
    struct fx *fx = *state;
    struct three t;
    three_streams(fx, &t);
    fx_start_stream(&t.s[0]);
    fx_advance_ms(fx, 3);
    assert_status(fx_state1(fx->client, HDABDL_PAUSE_STATE, t.h[0]), HDABDL_STATUS_SUCCESS);
    uint32_t pos = fx_sd_lpib(fx, t.s[0].sd);
    assert_status(fx_state1(fx->client, HDABDL_RUN_STATE, t.h[0]), HDABDL_STATUS_SUCCESS);
    fx_advance_ms(fx, 1);
    assert_int_equal(fx_sd_lpib(fx, t.s[0].sd), pos + 192);
}

static void test_reset_brings_the_link_position_to_0(void **state)
{
    struct fx *fx = *state;
    struct three t;
    three_streams(fx, &t);
    fx_start_stream(&t.s[0]);
    fx_advance_ms(fx, 3);
    assert_status(fx_state1(fx->client, HDABDL_PAUSE_STATE, t.h[0]), HDABDL_STATUS_SUCCESS);
    assert_true(fx_sd_lpib(fx, t.s[0].sd) > 0);
    assert_status(fx_state1(fx->client, HDABDL_RESET_STATE, t.h[0]), HDABDL_STATUS_SUCCESS);
    assert_int_equal(fx_sd_lpib(fx, t.s[0].sd), 0);
}

static void test_an_engine_runs_again_after_reset_with_its_bdl(void **state)
{
    struct fx *fx = *state;
    struct three t;
    three_streams(fx, &t);
    struct fx_stream *s = &t.s[0];
    for (uint32_t i = 0; i < s->length; i++)
        s->data[i] = (uint8_t)(i ^ 0x5A);
    fx_start_stream(s);
    fx_advance_ms(fx, 3);
    assert_status(fx_state1(fx->client, HDABDL_PAUSE_STATE, s->handle), HDABDL_STATUS_SUCCESS);
    assert_status(fx_state1(fx->client, HDABDL_RESET_STATE, s->handle), HDABDL_STATUS_SUCCESS);
    uint8_t drain[4096];
    hdabdl_mock_link_tap_read(fx->dev, s->tag, drain, sizeof(drain));
    /* Back in Reset the engine keeps its buffer: it can go Pause -> Run again. */
    assert_int_equal(fx_info(fx->client, s->handle).buffer, HDABDL_BUFFER_PROGRAMMED);
    fx_start_stream(s);
    assert_int_equal(fx_sd_reg(fx, s->sd, HDA_SD_LVI, 2), s->lvi);
    assert_int_equal(fx_sd_reg(fx, s->sd, HDA_SD_CBL, 4), s->length);
    assert_int_equal(fx_sd_reg(fx, s->sd, HDA_SD_FMT, 2), s->conv);
    assert_int_equal((fx_sd_ctl(fx, s->sd) & HDA_SD_CTL_STRM_MASK) >> HDA_SD_CTL_STRM_SHIFT, s->tag);
    fx_advance_ms(fx, 10);
    uint8_t out[1920];
    assert_int_equal(hdabdl_mock_link_tap_read(fx->dev, s->tag, out, sizeof(out)), sizeof(out));
    assert_memory_equal(out, s->data, sizeof(out)); /* from the start of the buffer */
}

/* ---- Old SSYNC location ------------------------------------------------------------------------------ */

static void test_an_ich6_controller_syncs_through_ssync_at_0x34(void **state)
{
    struct fx *fx = *state; /* bare */
    fx->cfg.device.old_ssync = true;
    fx_create_hal(fx);
    struct hdabdl_controller_options opt = {.size = sizeof(opt), .flags = HDABDL_OPT_OLD_SSYNC};
    assert_status(hdabdl_controller_open(hdabdl_mock_hal_ops(), hdabdl_mock_hal_context(fx->hal),
                                         &opt, &fx->ctrl),
                  HDABDL_STATUS_SUCCESS);
    assert_status(hdabdl_client_open(fx->ctrl, 0, 1, &fx->client), HDABDL_STATUS_SUCCESS);
    fx->dma_baseline = hdabdl_mock_hal_dma_blocks(fx->hal);
    struct three t;
    three_streams(fx, &t);
    assert_status(hdabdl_set_dma_engine_state(fx->client, HDABDL_PAUSE_STATE, 3, t.h),
                  HDABDL_STATUS_SUCCESS);
    assert_status(hdabdl_set_dma_engine_state(fx->client, HDABDL_RUN_STATE, 3, t.h),
                  HDABDL_STATUS_SUCCESS);
    assert_int_equal(fx_reg(fx, HDA_REG_SSYNC_OLD, 4), 0);
    fx_advance_ms(fx, 2);
    assert_int_equal(fx_sd_lpib(fx, t.s[0].sd), fx_sd_lpib(fx, t.s[2].sd));
    assert_int_equal(fx_sd_lpib(fx, t.s[0].sd), 384);
    fx_assert_no_violations(fx); /* nothing touched 0x38 */
}

/* ---- Bounded handshakes -------------------------------------------------------------------------------- */

static void prepare_unprogrammed(struct fx *fx, struct fx_stream *s)
{
    memset(s, 0, sizeof(*s));
    s->client = fx->client;
    struct hdabdl_stream_format f = fx_format_default();
    s->handle = fx_alloc_render(fx->client, &f, false);
    s->sd = fx_info(fx->client, s->handle).sd_index;
    fx_alloc_buffer(s, 3840);
    fx_fill_bdl(s, 2, 1920, false);
}

static void test_setup_with_srst_never_set_is_device_not_ready(void **state)
{
    struct fx *fx = *state;
    struct fx_stream s;
    prepare_unprogrammed(fx, &s);
    hdabdl_mock_set_fault(fx->dev, HDABDL_MOCK_FAULT_SRST_NEVER_SET, s.sd, true);
    assert_status(fx_try_setup(&s), HDABDL_STATUS_DEVICE_NOT_READY);
    assert_int_equal(fx_info(fx->client, s.handle).state, HDABDL_RESET_STATE);
    hdabdl_mock_set_fault(fx->dev, HDABDL_MOCK_FAULT_SRST_NEVER_SET, s.sd, false);
    assert_status(fx_try_setup(&s), HDABDL_STATUS_SUCCESS);
}

static void test_setup_with_srst_never_clearing_is_device_not_ready(void **state)
{
    struct fx *fx = *state;
    struct fx_stream s;
    prepare_unprogrammed(fx, &s);
    hdabdl_mock_set_fault(fx->dev, HDABDL_MOCK_FAULT_SRST_NEVER_CLEAR, s.sd, true);
    uint64_t t0 = hdabdl_mock_now(fx->dev);
    assert_status(fx_try_setup(&s), HDABDL_STATUS_DEVICE_NOT_READY);
    assert_true(hdabdl_mock_now(fx->dev) - t0 < 1000000000ull); /* bounded: < 1 s */
    hdabdl_mock_set_fault(fx->dev, HDABDL_MOCK_FAULT_SRST_NEVER_CLEAR, s.sd, false);
    fx_advance_ms(fx, 1);
    assert_status(fx_try_setup(&s), HDABDL_STATUS_SUCCESS);
}

static void test_reset_with_srst_never_set_is_device_not_ready(void **state)
{
    struct fx *fx = *state;
    struct three t;
    three_streams(fx, &t);
    fx_start_stream(&t.s[0]);
    fx_advance_ms(fx, 1);
    assert_status(fx_state1(fx->client, HDABDL_PAUSE_STATE, t.h[0]), HDABDL_STATUS_SUCCESS);
    hdabdl_mock_set_fault(fx->dev, HDABDL_MOCK_FAULT_SRST_NEVER_SET, t.s[0].sd, true);
    assert_status(fx_state1(fx->client, HDABDL_RESET_STATE, t.h[0]), HDABDL_STATUS_DEVICE_NOT_READY);
    assert_false(fx_sd_running(fx, t.s[0].sd));
    hdabdl_mock_set_fault(fx->dev, HDABDL_MOCK_FAULT_SRST_NEVER_SET, t.s[0].sd, false);
}

static void test_reset_with_srst_never_clearing_is_device_not_ready(void **state)
{
    struct fx *fx = *state;
    struct three t;
    three_streams(fx, &t);
    assert_status(fx_state1(fx->client, HDABDL_PAUSE_STATE, t.h[0]), HDABDL_STATUS_SUCCESS);
    hdabdl_mock_set_fault(fx->dev, HDABDL_MOCK_FAULT_SRST_NEVER_CLEAR, t.s[0].sd, true);
    assert_status(fx_state1(fx->client, HDABDL_RESET_STATE, t.h[0]), HDABDL_STATUS_DEVICE_NOT_READY);
    hdabdl_mock_set_fault(fx->dev, HDABDL_MOCK_FAULT_SRST_NEVER_CLEAR, t.s[0].sd, false);
    fx_advance_ms(fx, 1);
}

static void test_run_without_fifo_ready_is_device_not_ready_and_the_engine_stays_paused(
    void **state)
{
    struct fx *fx = *state;
    struct three t;
    three_streams(fx, &t);
    assert_status(fx_state1(fx->client, HDABDL_PAUSE_STATE, t.h[0]), HDABDL_STATUS_SUCCESS);
    hdabdl_mock_set_fault(fx->dev, HDABDL_MOCK_FAULT_FIFORDY_NEVER, t.s[0].sd, true);
    uint64_t t0 = hdabdl_mock_now(fx->dev);
    assert_status(fx_state1(fx->client, HDABDL_RUN_STATE, t.h[0]), HDABDL_STATUS_DEVICE_NOT_READY);
    assert_true(hdabdl_mock_now(fx->dev) - t0 < 1000000000ull);
    assert_state(fx, &t.s[0], HDABDL_PAUSE_STATE);
    assert_int_equal(ssync(fx), 0);
    fx_advance_ms(fx, 5);
    assert_int_equal(hdabdl_mock_link_tap_available(fx->dev, t.s[0].tag), 0);
    hdabdl_mock_set_fault(fx->dev, HDABDL_MOCK_FAULT_FIFORDY_NEVER, t.s[0].sd, false);
    assert_status(fx_state1(fx->client, HDABDL_RUN_STATE, t.h[0]), HDABDL_STATUS_SUCCESS);
    assert_state(fx, &t.s[0], HDABDL_RUN_STATE);
}

static void test_a_group_start_with_one_engine_not_ready_starts_none(void **state)
{
    struct fx *fx = *state;
    struct three t;
    three_streams(fx, &t);
    assert_status(hdabdl_set_dma_engine_state(fx->client, HDABDL_PAUSE_STATE, 3, t.h),
                  HDABDL_STATUS_SUCCESS);
    hdabdl_mock_set_fault(fx->dev, HDABDL_MOCK_FAULT_FIFORDY_NEVER, t.s[1].sd, true);
    assert_status(hdabdl_set_dma_engine_state(fx->client, HDABDL_RUN_STATE, 3, t.h),
                  HDABDL_STATUS_DEVICE_NOT_READY);
    for (int i = 0; i < 3; i++)
        assert_state(fx, &t.s[i], HDABDL_PAUSE_STATE);
    assert_int_equal(ssync(fx), 0);
    hdabdl_mock_set_fault(fx->dev, HDABDL_MOCK_FAULT_FIFORDY_NEVER, t.s[1].sd, false);
}

static void test_pause_when_run_never_clears_is_device_not_ready(void **state)
{
    struct fx *fx = *state;
    struct three t;
    three_streams(fx, &t);
    fx_start_stream(&t.s[0]);
    fx_advance_ms(fx, 1);
    hdabdl_mock_set_fault(fx->dev, HDABDL_MOCK_FAULT_RUN_NEVER_CLEARS, t.s[0].sd, true);
    uint64_t t0 = hdabdl_mock_now(fx->dev);
    assert_status(fx_state1(fx->client, HDABDL_PAUSE_STATE, t.h[0]), HDABDL_STATUS_DEVICE_NOT_READY);
    assert_true(hdabdl_mock_now(fx->dev) - t0 < 1000000000ull);
    /* The other engines are untouched. */
    assert_state(fx, &t.s[1], HDABDL_RESET_STATE);
    /* Closing the client must still return, with the fault on. Forcing the stuck
     * engine into stream reset is the only way out (Linux does the same): the
     * mock reports that SRST as a write while running, which this test provoked. */
    hdabdl_client_close(fx->client);
    fx->client = NULL;
    for (size_t i = 0; i < hdabdl_mock_violation_count(fx->dev); i++) {
        struct hdabdl_mock_violation_record rec;
        assert_true(hdabdl_mock_violation_get(fx->dev, i, &rec));
        assert_int_equal(rec.kind, HDABDL_MOCK_WRITE_WHILE_RUNNING);
        assert_int_equal(rec.offset, HDA_SD_OFFSET(t.s[0].sd, HDA_SD_CTL));
    }
    hdabdl_mock_violation_clear(fx->dev);
    hdabdl_mock_set_fault(fx->dev, HDABDL_MOCK_FAULT_RUN_NEVER_CLEARS, t.s[0].sd, false);
    assert_int_equal(hdabdl_mock_hal_dma_blocks(fx->hal), fx->dma_baseline);
}

static void test_pause_succeeds_once_a_stuck_run_bit_clears_again(void **state)
{
    struct fx *fx = *state;
    struct three t;
    three_streams(fx, &t);
    fx_start_stream(&t.s[0]);
    fx_advance_ms(fx, 1);
    hdabdl_mock_set_fault(fx->dev, HDABDL_MOCK_FAULT_RUN_NEVER_CLEARS, t.s[0].sd, true);
    assert_status(fx_state1(fx->client, HDABDL_PAUSE_STATE, t.h[0]), HDABDL_STATUS_DEVICE_NOT_READY);
    hdabdl_mock_set_fault(fx->dev, HDABDL_MOCK_FAULT_RUN_NEVER_CLEARS, t.s[0].sd, false);
    fx_advance_ms(fx, 1);
    /* The hardware answers again: a new request stops the engine. */
    assert_status(fx_state1(fx->client, HDABDL_PAUSE_STATE, t.h[0]), HDABDL_STATUS_SUCCESS);
    assert_state(fx, &t.s[0], HDABDL_PAUSE_STATE);
}

#define T(name) cmocka_unit_test_setup_teardown(name, fx_setup, fx_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_set_state_with_count_0_is_invalid_parameter),
        T(test_set_state_with_a_null_array_is_invalid_parameter),
        T(test_set_state_with_a_state_outside_0_to_2_is_invalid_parameter),
        T(test_set_state_with_duplicate_handles_is_invalid_parameter_and_changes_nothing),
        T(test_set_state_with_a_bad_handle_first_changes_nothing),
        T(test_set_state_with_a_null_handle_in_the_middle_changes_nothing),
        T(test_set_state_with_a_stale_handle_last_changes_nothing),
        cmocka_unit_test_setup_teardown(test_set_state_with_another_clients_handle_changes_nothing,
                                        fx_setup_two_clients, fx_teardown),
        T(test_pause_with_a_bad_handle_leaves_running_engines_running),
        T(test_pause_with_an_engine_without_a_buffer_is_idr_and_changes_nothing),
        T(test_run_with_an_allocated_but_unprogrammed_buffer_is_idr),
        T(test_reset_of_an_engine_without_a_buffer_is_allowed),
        T(test_reset_to_run_is_idr),
        T(test_run_to_reset_is_idr_and_the_engine_keeps_running),
        T(test_run_with_one_engine_still_in_reset_is_idr_and_starts_none),
        T(test_stop_and_pause_are_the_same_state),
        T(test_reset_pause_run_pause_reset_is_allowed),
        T(test_same_state_requests_succeed),
        T(test_a_mix_of_paused_and_running_engines_can_be_run_together),
        T(test_run_sets_the_run_bit_and_pause_clears_it),
        T(test_engines_started_together_run_with_ssync_cleared_afterwards),
        T(test_engines_started_together_advance_identically),
        T(test_engines_stopped_together_stop_at_the_same_position),
        T(test_paused_engine_keeps_its_position_and_sends_nothing),
        T(test_pause_then_run_continues_from_the_paused_position),
        T(test_reset_brings_the_link_position_to_0),
        T(test_an_engine_runs_again_after_reset_with_its_bdl),
        cmocka_unit_test_setup_teardown(test_an_ich6_controller_syncs_through_ssync_at_0x34,
                                        fx_setup_bare, fx_teardown),
        T(test_setup_with_srst_never_set_is_device_not_ready),
        T(test_setup_with_srst_never_clearing_is_device_not_ready),
        T(test_reset_with_srst_never_set_is_device_not_ready),
        T(test_reset_with_srst_never_clearing_is_device_not_ready),
        T(test_run_without_fifo_ready_is_device_not_ready_and_the_engine_stays_paused),
        T(test_a_group_start_with_one_engine_not_ready_starts_none),
        T(test_pause_when_run_never_clears_is_device_not_ready),
        T(test_pause_succeeds_once_a_stuck_run_bit_clears_again),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
