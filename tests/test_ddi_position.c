/* SPDX-License-Identifier: MIT */
/*
 * test_ddi_position.c - GetWallClockRegister, GetLinkPositionRegister and the
 * data a running engine moves: the whole buffer up to Lvi, in BDL order, at
 * the format's rate (ddi.md §4.14, §4.15, §9 #1; hw.md §3.9).
 */
#include "support/fixture.h"
#include "test_bdl_util.h"

#include <string.h>

#define FRAG 1920u /* 10 ms at 48 kHz / 16 bit / stereo */

static const volatile uint32_t *position_of(struct fx *fx, hdabdl_handle h)
{
    const volatile uint32_t *pos = NULL;
    assert_status(hdabdl_get_link_position_register(fx->client, h, &pos), HDABDL_STATUS_SUCCESS);
    assert_non_null(pos);
    return pos;
}

static const volatile uint32_t *wall_clock(struct fx *fx)
{
    const volatile uint32_t *wc = NULL;
    assert_status(hdabdl_get_wall_clock_register(fx->client, &wc), HDABDL_STATUS_SUCCESS);
    assert_non_null(wc);
    return wc;
}

/* ---- Wall clock ---------------------------------------------------------------------------------- */

static void test_wall_clock_pointer_is_not_null(void **state)
{
    (void)wall_clock(*state);
}

static void test_wall_clock_with_a_null_out_pointer_is_invalid_parameter(void **state)
{
    struct fx *fx = *state;
    assert_status(hdabdl_get_wall_clock_register(fx->client, NULL), HDABDL_STATUS_INVALID_PARAMETER);
}

static void test_wall_clock_advances_24_ticks_per_microsecond(void **state)
{
    struct fx *fx = *state;
    const volatile uint32_t *wc = wall_clock(fx);
    uint32_t t0 = *wc;
    fx_advance_us(fx, 1000);
    uint32_t t1 = *wc;
    assert_int_equal(t1 - t0, 24000);
    fx_advance_us(fx, 250);
    assert_int_equal(*wc - t1, 6000);
}

static void test_wall_clock_pointer_matches_the_walclk_register(void **state)
{
    struct fx *fx = *state;
    const volatile uint32_t *wc = wall_clock(fx);
    fx_advance_us(fx, 77);
    assert_int_equal(*wc, fx_reg(fx, HDA_REG_WALCLK, 4));
}

static void test_every_client_gets_the_same_wall_clock(void **state)
{
    struct fx *fx = *state; /* two clients */
    const volatile uint32_t *a = NULL, *b = NULL;
    assert_status(hdabdl_get_wall_clock_register(fx->client, &a), HDABDL_STATUS_SUCCESS);
    assert_status(hdabdl_get_wall_clock_register(fx->client2, &b), HDABDL_STATUS_SUCCESS);
    assert_non_null(a);
    assert_ptr_equal((const void *)a, (const void *)b);
}

/* ---- Link position -------------------------------------------------------------------------------- */

static void test_link_position_with_a_null_out_pointer_is_invalid_parameter(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_stream_format f = fx_format_default();
    hdabdl_handle h = fx_alloc_render(fx->client, &f, false);
    assert_status(hdabdl_get_link_position_register(fx->client, h, NULL),
                  HDABDL_STATUS_INVALID_PARAMETER);
}

static void test_link_position_is_available_in_any_state(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_stream_format f = fx_format_default();
    hdabdl_handle bare = fx_alloc_render(fx->client, &f, false);
    (void)position_of(fx, bare);
    struct fx_stream s;
    fx_render_stream(fx->client, &f, 2, FRAG, false, &s);
    (void)position_of(fx, s.handle);
    fx_start_stream(&s);
    (void)position_of(fx, s.handle);
}

static void test_link_position_pointer_reads_the_engines_lpib(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_stream_format f = fx_format_default();
    struct fx_stream a, b;
    fx_render_stream(fx->client, &f, 2, FRAG, false, &a);
    fx_render_stream(fx->client, &f, 2, FRAG, false, &b);
    const volatile uint32_t *pa = position_of(fx, a.handle);
    const volatile uint32_t *pb = position_of(fx, b.handle);
    assert_true(pa != pb);
    fx_start_stream(&a);
    fx_advance_us(fx, 3100);
    assert_int_equal(*pa, fx_sd_lpib(fx, a.sd));
    assert_true(*pa > 0);
    assert_int_equal(*pb, 0);
}

static void test_link_position_counts_bytes_sent_at_the_format_rate(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_stream_format f = fx_format_default();
    struct fx_stream s;
    fx_render_stream(fx->client, &f, 4, FRAG, false, &s);
    const volatile uint32_t *pos = position_of(fx, s.handle);
    fx_start_stream(&s);
    fx_advance_ms(fx, 10);
    assert_int_equal(*pos, 1920);
    fx_advance_ms(fx, 5);
    assert_int_equal(*pos, 2880);
}

static void test_link_position_wraps_at_the_buffer_length(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_stream_format f = fx_format_default();
    struct fx_stream s;
    fx_render_stream(fx->client, &f, 2, FRAG, false, &s); /* 3840 bytes = 20 ms */
    const volatile uint32_t *pos = position_of(fx, s.handle);
    fx_start_stream(&s);
    uint32_t prev = 0;
    bool wrapped = false;
    for (int i = 0; i < 60; i++) {
        fx_advance_ms(fx, 1);
        uint32_t p = *pos;
        assert_true(p < s.length);
        if (p < prev)
            wrapped = true;
        prev = p;
    }
    assert_true(wrapped);
    assert_int_equal(*pos, (60u * 192u) % 3840u);
}

static void test_link_position_wraps_at_a_buffer_length_below_the_requested_size(void **state)
{
    struct fx *fx = *state;
    struct fx_stream s;
    memset(&s, 0, sizeof(s));
    s.client = fx->client;
    struct hdabdl_stream_format f = fx_format_default();
    s.handle = fx_alloc_render(fx->client, &f, false);
    s.sd = fx_info(fx->client, s.handle).sd_index;
    fx_alloc_buffer(&s, 16384);
    fx_fill_bdl(&s, 2, 1536, false); /* 3072 of 16384 bytes = 16 ms */
    assert_status(fx_try_setup(&s), HDABDL_STATUS_SUCCESS);
    const volatile uint32_t *pos = position_of(fx, s.handle);
    fx_start_stream(&s);
    fx_advance_ms(fx, 20);
    assert_int_equal(*pos, (20u * 192u) % 3072u);
}

/* ---- Data on the link ------------------------------------------------------------------------------ */

static void cfg_big_tap(struct hdabdl_mock_hal_config *c) { c->device.link_tap_capacity = 1u << 20; }
static int setup_big_tap(void **state) { return fx_setup_with(state, cfg_big_tap, 1); }

static void test_a_running_engine_sends_19200_bytes_per_100_ms_at_48k_16_bit_stereo(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_stream_format f = fx_format_default();
    struct fx_stream s;
    fx_render_stream(fx->client, &f, 4, FRAG, false, &s);
    fx_start_stream(&s);
    fx_advance_ms(fx, 100);
    assert_int_equal(hdabdl_mock_link_tap_available(fx->dev, s.tag), 19200);
}

static void test_a_44k1_engine_sends_17640_bytes_per_100_ms(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_stream_format f = fx_format(44100, 16, 16, 2);
    struct fx_stream s;
    fx_render_stream(fx->client, &f, 4, 1792, false, &s);
    fx_start_stream(&s);
    fx_advance_ms(fx, 100);
    size_t n = hdabdl_mock_link_tap_available(fx->dev, s.tag);
    /* 4410 frames of 4 bytes; the 44.1k cadence may leave one block either way */
    assert_true(n >= 17636 && n <= 17644);
}

static void test_every_fragment_up_to_lvi_reaches_the_link_in_bdl_order(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_stream_format f = fx_format_default();
    struct fx_stream s;
    fx_render_stream(fx->client, &f, 3, FRAG, false, &s);
    memset(s.data, 0x11, FRAG);
    memset(s.data + FRAG, 0x22, FRAG);
    memset(s.data + 2 * FRAG, 0x33, FRAG); /* entry 2 = Lvi: the one an Lvi-1 bug drops */
    fx_start_stream(&s);
    fx_advance_ms(fx, 35);
    uint8_t out[3 * FRAG + FRAG / 2];
    assert_int_equal(hdabdl_mock_link_tap_read(fx->dev, s.tag, out, sizeof(out)), sizeof(out));
    assert_memory_equal(out, s.data, 3 * FRAG);
    assert_memory_equal(out + 3 * FRAG, s.data, FRAG / 2); /* then back to entry 0 */
}

static void test_the_link_carries_the_fragments_as_the_bdl_orders_them(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_stream_format f = fx_format_default();
    struct fx_stream s;
    fx_render_stream(fx->client, &f, 2, FRAG, false, &s);
    memset(s.data, 0xAA, FRAG);
    memset(s.data + FRAG, 0xBB, FRAG);
    /* Entry 0 plays the second half of the buffer, entry 1 the first. */
    bdl_entry_set_address(s.bdl, 0, s.data_bus + FRAG);
    bdl_entry_set_address(s.bdl, 1, s.data_bus);
    assert_status(fx_try_setup(&s), HDABDL_STATUS_SUCCESS);
    fx_start_stream(&s);
    fx_advance_ms(fx, 20);
    uint8_t out[2 * FRAG];
    assert_int_equal(hdabdl_mock_link_tap_read(fx->dev, s.tag, out, sizeof(out)), sizeof(out));
    assert_memory_equal(out, s.data + FRAG, FRAG);
    assert_memory_equal(out + FRAG, s.data, FRAG);
}

static void test_a_render_engine_in_reset_sends_nothing(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_stream_format f = fx_format_default();
    struct fx_stream s;
    fx_render_stream(fx->client, &f, 2, FRAG, false, &s);
    fx_advance_ms(fx, 20);
    assert_int_equal(hdabdl_mock_link_tap_available(fx->dev, s.tag), 0);
    assert_status(fx_state1(fx->client, HDABDL_PAUSE_STATE, s.handle), HDABDL_STATUS_SUCCESS);
    fx_advance_ms(fx, 20);
    assert_int_equal(hdabdl_mock_link_tap_available(fx->dev, s.tag), 0);
}

#define T(name) cmocka_unit_test_setup_teardown(name, fx_setup, fx_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_wall_clock_pointer_is_not_null),
        T(test_wall_clock_with_a_null_out_pointer_is_invalid_parameter),
        T(test_wall_clock_advances_24_ticks_per_microsecond),
        T(test_wall_clock_pointer_matches_the_walclk_register),
        cmocka_unit_test_setup_teardown(test_every_client_gets_the_same_wall_clock,
                                        fx_setup_two_clients, fx_teardown),
        T(test_link_position_with_a_null_out_pointer_is_invalid_parameter),
        T(test_link_position_is_available_in_any_state),
        T(test_link_position_pointer_reads_the_engines_lpib),
        T(test_link_position_counts_bytes_sent_at_the_format_rate),
        T(test_link_position_wraps_at_the_buffer_length),
        T(test_link_position_wraps_at_a_buffer_length_below_the_requested_size),
        cmocka_unit_test_setup_teardown(
            test_a_running_engine_sends_19200_bytes_per_100_ms_at_48k_16_bit_stereo, setup_big_tap,
            fx_teardown),
        cmocka_unit_test_setup_teardown(test_a_44k1_engine_sends_17640_bytes_per_100_ms,
                                        setup_big_tap, fx_teardown),
        T(test_every_fragment_up_to_lvi_reaches_the_link_in_bdl_order),
        T(test_the_link_carries_the_fragments_as_the_bdl_orders_them),
        T(test_a_render_engine_in_reset_sends_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
