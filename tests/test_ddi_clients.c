/* SPDX-License-Identifier: MIT */
/*
 * test_ddi_clients.c - per-client contexts: opening, ownership, and closing a
 * client (or the controller) releases everything it held: engines stopped,
 * reset and freed, buffers freed, tags and bandwidth returned
 * (ddi.md §2/§3 per-client context, §6).
 */
#include "support/fixture.h"

#include <string.h>

static void test_client_open_with_codec_address_15_or_more_is_invalid_parameter(void **state)
{
    struct fx *fx = *state;
    hdabdl_client *c = (hdabdl_client *)(uintptr_t)0x1;
    assert_status(hdabdl_client_open(fx->ctrl, 15, 1, &c), HDABDL_STATUS_INVALID_PARAMETER);
    assert_status(hdabdl_client_open(fx->ctrl, 255, 1, &c), HDABDL_STATUS_INVALID_PARAMETER);
}

static void test_client_open_with_codec_address_14_succeeds(void **state)
{
    struct fx *fx = *state;
    hdabdl_client *c = NULL;
    assert_status(hdabdl_client_open(fx->ctrl, 14, 1, &c), HDABDL_STATUS_SUCCESS);
    assert_non_null(c);
    hdabdl_client_close(c);
}

static void test_client_open_with_null_controller_or_out_is_invalid_parameter(void **state)
{
    struct fx *fx = *state;
    hdabdl_client *c = NULL;
    assert_status(hdabdl_client_open(NULL, 0, 1, &c), HDABDL_STATUS_INVALID_PARAMETER);
    assert_status(hdabdl_client_open(fx->ctrl, 0, 1, NULL), HDABDL_STATUS_INVALID_PARAMETER);
}

static void test_clients_are_distinct_contexts(void **state)
{
    struct fx *fx = *state; /* two clients */
    assert_true(fx->client != fx->client2);
    struct hdabdl_stream_format f = fx_format_default();
    hdabdl_handle a = fx_alloc_render(fx->client, &f, false);
    hdabdl_handle b = fx_alloc_render(fx->client2, &f, false);
    /* Engines are a controller-wide pool: tags are unique across clients. */
    assert_int_equal(fx_info(fx->client, a).stream_tag, 1);
    assert_int_equal(fx_info(fx->client2, b).stream_tag, 2);
    assert_int_not_equal(fx_info(fx->client, a).sd_index, fx_info(fx->client2, b).sd_index);
}

static void test_client_close_releases_allocated_engines(void **state)
{
    struct fx *fx = *state; /* two clients */
    struct hdabdl_stream_format f = fx_format_default();
    for (int i = 0; i < 4; i++)
        fx_alloc_render(fx->client2, &f, false);
    hdabdl_handle h = NULL;
    hdabdl_converter_format conv = 0;
    assert_status(hdabdl_allocate_render_dma_engine(fx->client, &f, false, &h, &conv),
                  HDABDL_STATUS_INSUFFICIENT_RESOURCES);
    hdabdl_client_close(fx->client2);
    fx->client2 = NULL;
    for (int i = 0; i < 4; i++)
        assert_int_equal(fx_info(fx->client, fx_alloc_render(fx->client, &f, false)).stream_tag, i + 1);
}

static void test_client_close_with_a_running_engine_stops_resets_and_frees_it(void **state)
{
    struct fx *fx = *state; /* two clients */
    struct hdabdl_stream_format f = fx_format_default();
    struct fx_stream s[4];
    for (int i = 0; i < 4; i++)
        fx_render_stream(fx->client2, &f, 2, 1920, true, &s[i]);
    fx_start_stream(&s[0]);
    assert_status(fx_state1(fx->client2, HDABDL_PAUSE_STATE, s[1].handle), HDABDL_STATUS_SUCCESS);
    fx_advance_ms(fx, 3);
    hdabdl_client_close(fx->client2);
    fx->client2 = NULL;
    for (int i = 0; i < 4; i++) {
        assert_false(fx_sd_running(fx, s[i].sd));
        assert_int_equal(fx_sd_lpib(fx, s[i].sd), 0);
    }
    assert_int_equal(hdabdl_mock_hal_dma_blocks(fx->hal), fx->dma_baseline);
    unsigned calls = s[0].log.calls;
    fx_advance_ms(fx, 30);
    assert_int_equal(s[0].log.calls, calls); /* no callback into a closed client */
    size_t sent = hdabdl_mock_link_tap_available(fx->dev, s[0].tag);
    fx_advance_ms(fx, 10);
    assert_int_equal(hdabdl_mock_link_tap_available(fx->dev, s[0].tag), sent);
    /* Another client gets every engine, with a buffer each. */
    struct fx_stream t[4];
    for (int i = 0; i < 4; i++)
        fx_render_stream(fx->client, &f, 2, 1920, false, &t[i]);
}

static void test_client_close_returns_its_bandwidth_and_tags(void **state)
{
    struct fx *fx = *state; /* two clients */
    struct hdabdl_stream_format big = fx_format(96000, 32, 32, 8); /* 512 */
    fx_alloc_render(fx->client2, &big, false);
    struct hdabdl_stream_format f = fx_format_default();
    fx_alloc_capture(fx->client2, 0, &f);
    struct hdabdl_bandwidth_info bw = fx_bandwidth(fx);
    assert_int_equal(bw.sdo_used[0], 512);
    assert_int_equal(bw.sdi_used[0], 42);
    hdabdl_client_close(fx->client2);
    fx->client2 = NULL;
    bw = fx_bandwidth(fx);
    assert_int_equal(bw.sdo_used[0], 0);
    assert_int_equal(bw.sdi_used[0], 0);
    assert_int_equal(fx_info(fx->client, fx_alloc_render(fx->client, &big, false)).stream_tag, 1);
    assert_int_equal(fx_info(fx->client, fx_alloc_capture(fx->client, 0, &f)).stream_tag, 1);
}

static void test_client_close_frees_a_buffer_that_was_only_allocated(void **state)
{
    struct fx *fx = *state; /* two clients */
    struct fx_stream s;
    memset(&s, 0, sizeof(s));
    s.client = fx->client2;
    struct hdabdl_stream_format f = fx_format_default();
    s.handle = fx_alloc_render(fx->client2, &f, false);
    fx_alloc_buffer(&s, 65536);
    assert_true(hdabdl_mock_hal_dma_blocks(fx->hal) > fx->dma_baseline);
    hdabdl_client_close(fx->client2);
    fx->client2 = NULL;
    assert_int_equal(hdabdl_mock_hal_dma_blocks(fx->hal), fx->dma_baseline);
}

static void test_client_close_leaves_other_clients_engines_alone(void **state)
{
    struct fx *fx = *state; /* two clients */
    struct hdabdl_stream_format f = fx_format_default();
    struct fx_stream mine, theirs;
    fx_render_stream(fx->client, &f, 2, 1920, false, &mine);
    fx_render_stream(fx->client2, &f, 2, 1920, false, &theirs);
    fx_start_stream(&mine);
    fx_start_stream(&theirs);
    hdabdl_client_close(fx->client2);
    fx->client2 = NULL;
    assert_true(fx_sd_running(fx, mine.sd));
    struct hdabdl_engine_info i = fx_info(fx->client, mine.handle);
    assert_int_equal(i.state, HDABDL_RUN_STATE);
    assert_int_equal(i.buffer, HDABDL_BUFFER_PROGRAMMED);
    uint32_t p = fx_sd_lpib(fx, mine.sd);
    fx_advance_ms(fx, 1);
    assert_int_not_equal(fx_sd_lpib(fx, mine.sd), p);
}

static void test_a_closed_clients_handles_are_invalid_for_everyone(void **state)
{
    struct fx *fx = *state; /* two clients */
    struct hdabdl_stream_format f = fx_format_default();
    hdabdl_handle theirs = fx_alloc_render(fx->client2, &f, false);
    hdabdl_client_close(fx->client2);
    fx->client2 = NULL;
    hdabdl_handle mine = fx_alloc_render(fx->client, &f, false); /* the same engine again */
    assert_true(mine != theirs);
    struct hdabdl_engine_info i;
    assert_status(hdabdl_engine_get_info(fx->client, theirs, &i), HDABDL_STATUS_INVALID_HANDLE);
    assert_status(hdabdl_free_dma_engine(fx->client, theirs), HDABDL_STATUS_INVALID_HANDLE);
    assert_int_equal(fx_info(fx->client, mine).state, HDABDL_RESET_STATE);
}

static void test_controller_close_closes_clients_still_open(void **state)
{
    struct fx *fx = *state; /* two clients */
    struct hdabdl_stream_format f = fx_format_default();
    struct fx_stream a, b;
    fx_render_stream(fx->client, &f, 2, 1920, true, &a);
    fx_capture_stream(fx->client2, 0, &f, 2, 1920, true, &b);
    fx_start_stream(&a);
    fx_start_stream(&b);
    fx_advance_ms(fx, 3);
    hdabdl_controller_close(fx->ctrl);
    fx->ctrl = NULL;
    fx->client = NULL;
    fx->client2 = NULL;
    assert_int_equal(hdabdl_mock_hal_dma_blocks(fx->hal), 0);
    assert_false(fx_sd_running(fx, a.sd));
    assert_false(fx_sd_running(fx, b.sd));
    unsigned ca = a.log.calls, cb = b.log.calls;
    fx_advance_ms(fx, 30);
    assert_int_equal(a.log.calls, ca);
    assert_int_equal(b.log.calls, cb);
}

static void test_many_clients_can_be_opened_and_closed(void **state)
{
    struct fx *fx = *state;
    hdabdl_client *c[32];
    for (int i = 0; i < 32; i++)
        assert_status(hdabdl_client_open(fx->ctrl, (uint8_t)(i % 15), (uint8_t)(i + 1), &c[i]),
                      HDABDL_STATUS_SUCCESS);
    struct hdabdl_stream_format f = fx_format_default();
    fx_alloc_render(c[7], &f, false);
    for (int i = 31; i >= 0; i -= 2)
        hdabdl_client_close(c[i]);
    for (int i = 30; i >= 0; i -= 2)
        hdabdl_client_close(c[i]);
    assert_int_equal(fx_bandwidth(fx).sdo_used[0], 0);
}

#define T(name) cmocka_unit_test_setup_teardown(name, fx_setup, fx_teardown)
#define T2(name) cmocka_unit_test_setup_teardown(name, fx_setup_two_clients, fx_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_client_open_with_codec_address_15_or_more_is_invalid_parameter),
        T(test_client_open_with_codec_address_14_succeeds),
        T(test_client_open_with_null_controller_or_out_is_invalid_parameter),
        T2(test_clients_are_distinct_contexts),
        T2(test_client_close_releases_allocated_engines),
        T2(test_client_close_with_a_running_engine_stops_resets_and_frees_it),
        T2(test_client_close_returns_its_bandwidth_and_tags),
        T2(test_client_close_frees_a_buffer_that_was_only_allocated),
        T2(test_client_close_leaves_other_clients_engines_alone),
        T2(test_a_closed_clients_handles_are_invalid_for_everyone),
        T2(test_controller_close_closes_clients_still_open),
        T(test_many_clients_can_be_opened_and_closed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
