/* SPDX-License-Identifier: MIT */
/*
 * test_ddi_handles.c - every routine that takes a DMA engine handle rejects a
 * NULL, forged, corrupted, stale (even when the same engine has been
 * allocated again) or another client's handle with STATUS_INVALID_HANDLE,
 * never crashes, and leaves every engine as it was (ddi.md §4.4, §4.9-4.15,
 * §8.2 "Handle validation": the SK driver dereferences handles and crashes).
 */
#include "support/fixture.h"

#include <string.h>

enum routine {
    R_CHANGE_BANDWIDTH,
    R_FREE_ENGINE,
    R_SET_STATE,
    R_LINK_POSITION,
    R_ALLOC_BUFFER,
    R_SETUP,
    R_FREE_BUFFER,
    R_ENGINE_INFO,
};

enum bad_kind {
    BAD_NULL,        /* NULL */
    BAD_FORGED,      /* a value no allocation returned */
    BAD_FLIPPED,     /* a valid handle with bits flipped */
    BAD_STALE,       /* a freed engine's handle */
    BAD_REALLOCATED, /* a freed engine's handle after the same engine was allocated again */
    BAD_FOREIGN,     /* another client's valid handle */
};

struct scenario {
    struct fx *fx;
    hdabdl_handle bad;
    struct fx_stream keep;   /* a valid engine of fx->client that must stay as it is */
    bool keep_programmed;
    struct fx_stream other;  /* client2's engine (BAD_FOREIGN) */
    struct hdabdl_engine_info keep_before, other_before;
    struct hdabdl_bandwidth_info bw_before;
    size_t blocks_before;
};

static const uintptr_t flip_pattern = (uintptr_t)0x5A5A5A5A5A5A5A5Aull;

static void build(struct scenario *sc, struct fx *fx, enum bad_kind kind)
{
    memset(sc, 0, sizeof(*sc));
    sc->fx = fx;
    struct hdabdl_stream_format f = fx_format_default();
    switch (kind) {
    case BAD_NULL:
    case BAD_FORGED:
        fx_render_stream(fx->client, &f, 2, 1920, false, &sc->keep);
        sc->keep_programmed = true;
        sc->bad = kind == BAD_NULL ? NULL : FX_FORGED_HANDLE;
        break;
    case BAD_FLIPPED: {
        /* The client owns exactly this one engine: any other value is not its handle. */
        fx_render_stream(fx->client, &f, 2, 1920, false, &sc->keep);
        sc->keep_programmed = true;
        sc->bad = (hdabdl_handle)((uintptr_t)sc->keep.handle ^ flip_pattern);
        break;
    }
    case BAD_STALE: {
        fx_render_stream(fx->client, &f, 2, 1920, false, &sc->keep);
        sc->keep_programmed = true;
        hdabdl_handle h = fx_alloc_render(fx->client, &f, false);
        assert_status(hdabdl_free_dma_engine(fx->client, h), HDABDL_STATUS_SUCCESS);
        sc->bad = h;
        break;
    }
    case BAD_REALLOCATED: {
        hdabdl_handle h = fx_alloc_render(fx->client, &f, false);
        uint8_t sd = fx_info(fx->client, h).sd_index;
        assert_status(hdabdl_free_dma_engine(fx->client, h), HDABDL_STATUS_SUCCESS);
        fx_render_stream(fx->client, &f, 2, 1920, false, &sc->keep);
        sc->keep_programmed = true;
        assert_int_equal(sc->keep.sd, sd); /* the very same engine, a new generation */
        assert_true(sc->keep.handle != h);
        sc->bad = h;
        break;
    }
    case BAD_FOREIGN:
        fx_render_stream(fx->client, &f, 2, 1920, false, &sc->keep);
        sc->keep_programmed = true;
        fx_render_stream(fx->client2, &f, 2, 1920, false, &sc->other);
        sc->bad = sc->other.handle;
        sc->other_before = fx_info(fx->client2, sc->other.handle);
        break;
    }
    sc->keep_before = fx_info(fx->client, sc->keep.handle);
    sc->bw_before = fx_bandwidth(fx);
    sc->blocks_before = hdabdl_mock_hal_dma_blocks(fx->hal);
}

static hdabdl_status call(struct scenario *sc, enum routine r)
{
    struct fx *fx = sc->fx;
    hdabdl_client *c = fx->client;
    hdabdl_handle h = sc->bad;
    switch (r) {
    case R_CHANGE_BANDWIDTH: {
        struct hdabdl_stream_format f = fx_format(44100, 16, 16, 2);
        hdabdl_converter_format conv = 0;
        return hdabdl_change_bandwidth_allocation(c, h, &f, &conv);
    }
    case R_FREE_ENGINE:
        return hdabdl_free_dma_engine(c, h);
    case R_SET_STATE: {
        /* Pause would be a legal transition for a programmed engine in Reset. */
        return hdabdl_set_dma_engine_state(c, HDABDL_PAUSE_STATE, 1, &h);
    }
    case R_LINK_POSITION: {
        const volatile uint32_t *pos = NULL;
        hdabdl_status st = hdabdl_get_link_position_register(c, h, &pos);
        return st;
    }
    case R_ALLOC_BUFFER: {
        void *data = NULL;
        uint64_t data_bus = 0, bdl_bus = 0;
        struct hdabdl_buffer_descriptor *bdl = NULL;
        return hdabdl_allocate_contiguous_dma_buffer(c, h, 4096, &data, &data_bus, &bdl, &bdl_bus);
    }
    case R_SETUP: {
        /* The keep engine's BDL is valid for its own buffer. */
        uint8_t id = 0;
        uint32_t fifo = 0;
        return hdabdl_setup_dma_engine_with_bdl(c, h, sc->keep.length, sc->keep.lvi, fx_isr_record,
                                                &sc->keep.log, &id, &fifo);
    }
    case R_FREE_BUFFER:
        return hdabdl_free_contiguous_dma_buffer(c, h);
    case R_ENGINE_INFO: {
        struct hdabdl_engine_info info;
        return hdabdl_engine_get_info(c, h, &info);
    }
    }
    return HDABDL_STATUS_INTERNAL_ERROR;
}

static void assert_info_same(const struct hdabdl_engine_info *a, const struct hdabdl_engine_info *b)
{
    assert_int_equal(a->sd_index, b->sd_index);
    assert_int_equal(a->stream_tag, b->stream_tag);
    assert_int_equal(a->state, b->state);
    assert_int_equal(a->buffer, b->buffer);
    assert_int_equal(a->converter_format, b->converter_format);
    assert_int_equal(a->bandwidth_bits, b->bandwidth_bits);
    assert_int_equal(a->buffer_size, b->buffer_size);
    assert_int_equal(a->buffer_length, b->buffer_length);
    assert_int_equal(a->lvi, b->lvi);
}

static void check_unchanged(struct scenario *sc)
{
    struct fx *fx = sc->fx;
    struct hdabdl_engine_info now = fx_info(fx->client, sc->keep.handle);
    assert_info_same(&sc->keep_before, &now);
    assert_false(fx_sd_running(fx, sc->keep.sd));
    if (sc->other.handle) {
        struct hdabdl_engine_info o = fx_info(fx->client2, sc->other.handle);
        assert_info_same(&sc->other_before, &o);
    }
    struct hdabdl_bandwidth_info bw = fx_bandwidth(fx);
    assert_memory_equal(bw.sdo_used, sc->bw_before.sdo_used, sizeof(bw.sdo_used));
    assert_memory_equal(bw.sdi_used, sc->bw_before.sdi_used, sizeof(bw.sdi_used));
    assert_int_equal(hdabdl_mock_hal_dma_blocks(fx->hal), sc->blocks_before);
    /* The valid engine still works through its own handle. */
    assert_status(fx_state1(fx->client, HDABDL_PAUSE_STATE, sc->keep.handle), HDABDL_STATUS_SUCCESS);
    assert_status(fx_state1(fx->client, HDABDL_RESET_STATE, sc->keep.handle), HDABDL_STATUS_SUCCESS);
}

static void run(void **state, enum routine r, enum bad_kind kind)
{
    struct scenario sc;
    build(&sc, *state, kind);
    assert_status(call(&sc, r), HDABDL_STATUS_INVALID_HANDLE);
    check_unchanged(&sc);
}

#define HANDLE_TESTS(rname, R)                                                                \
    static void test_##rname##_rejects_a_null_handle(void **s) { run(s, R, BAD_NULL); }       \
    static void test_##rname##_rejects_a_forged_handle(void **s) { run(s, R, BAD_FORGED); }   \
    static void test_##rname##_rejects_a_handle_with_flipped_bits(void **s)                   \
    {                                                                                         \
        run(s, R, BAD_FLIPPED);                                                               \
    }                                                                                         \
    static void test_##rname##_rejects_a_stale_handle(void **s) { run(s, R, BAD_STALE); }     \
    static void test_##rname##_rejects_a_stale_handle_of_a_reallocated_engine(void **s)       \
    {                                                                                         \
        run(s, R, BAD_REALLOCATED);                                                           \
    }                                                                                         \
    static void test_##rname##_rejects_another_clients_handle(void **s)                       \
    {                                                                                         \
        run(s, R, BAD_FOREIGN);                                                               \
    }

HANDLE_TESTS(change_bandwidth, R_CHANGE_BANDWIDTH)
HANDLE_TESTS(free_engine, R_FREE_ENGINE)
HANDLE_TESTS(set_state, R_SET_STATE)
HANDLE_TESTS(get_link_position, R_LINK_POSITION)
HANDLE_TESTS(allocate_buffer, R_ALLOC_BUFFER)
HANDLE_TESTS(setup_engine, R_SETUP)
HANDLE_TESTS(free_buffer, R_FREE_BUFFER)
HANDLE_TESTS(engine_get_info, R_ENGINE_INFO)

/* ---- Beyond the matrix ------------------------------------------------------------------------- */

static void test_every_single_bit_flip_of_a_handle_is_rejected(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_stream_format f = fx_format_default();
    hdabdl_handle h = fx_alloc_render(fx->client, &f, false);
    for (unsigned bit = 0; bit < sizeof(uintptr_t) * 8; bit++) {
        hdabdl_handle bad = (hdabdl_handle)((uintptr_t)h ^ ((uintptr_t)1 << bit));
        struct hdabdl_engine_info info;
        hdabdl_status st = hdabdl_engine_get_info(fx->client, bad, &info);
        if (st != HDABDL_STATUS_INVALID_HANDLE)
            print_error("handle %p with bit %u flipped was accepted\n", (void *)h, bit);
        assert_status(st, HDABDL_STATUS_INVALID_HANDLE);
        st = hdabdl_free_dma_engine(fx->client, bad);
        assert_status(st, HDABDL_STATUS_INVALID_HANDLE);
    }
    assert_int_equal(fx_info(fx->client, h).state, HDABDL_RESET_STATE);
}

static void test_garbage_handle_values_are_rejected_without_a_crash(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_stream_format f = fx_format_default();
    hdabdl_handle real = fx_alloc_render(fx->client, &f, false);
    static const uintptr_t values[] = {1, 2, 3, 0x10, 0xFF, 0x1000, 0x7FFFFFFF, 0x80000000u,
                                       0xFFFFFFFFu, (uintptr_t)-1, (uintptr_t)-4096};
    for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
        hdabdl_handle bad = (hdabdl_handle)values[i];
        if (bad == real)
            continue;
        struct hdabdl_engine_info info;
        const volatile uint32_t *pos;
        assert_status(hdabdl_engine_get_info(fx->client, bad, &info), HDABDL_STATUS_INVALID_HANDLE);
        assert_status(hdabdl_get_link_position_register(fx->client, bad, &pos),
                      HDABDL_STATUS_INVALID_HANDLE);
        assert_status(fx_state1(fx->client, HDABDL_RESET_STATE, bad), HDABDL_STATUS_INVALID_HANDLE);
        assert_status(hdabdl_free_dma_engine(fx->client, bad), HDABDL_STATUS_INVALID_HANDLE);
    }
}

static void test_every_engine_gets_a_distinct_non_null_handle(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_stream_format f = fx_format(8000, 8, 8, 1);
    hdabdl_handle h[8];
    for (int i = 0; i < 4; i++) {
        h[i] = fx_alloc_render(fx->client, &f, false);
        h[4 + i] = fx_alloc_capture(fx->client, 0, &f);
    }
    for (int i = 0; i < 8; i++) {
        assert_non_null(h[i]);
        for (int j = 0; j < i; j++)
            assert_true(h[i] != h[j]);
    }
}

static void test_a_reallocated_engine_gets_a_new_handle_each_time(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_stream_format f = fx_format_default();
    hdabdl_handle seen[16];
    for (int i = 0; i < 16; i++) {
        seen[i] = fx_alloc_render(fx->client, &f, false);
        for (int j = 0; j < i; j++)
            assert_true(seen[i] != seen[j]);
        assert_status(hdabdl_free_dma_engine(fx->client, seen[i]), HDABDL_STATUS_SUCCESS);
    }
}

#define T(name) cmocka_unit_test_setup_teardown(name, fx_setup_two_clients, fx_teardown)
#define ROW(rname)                                                           \
    T(test_##rname##_rejects_a_null_handle),                                 \
    T(test_##rname##_rejects_a_forged_handle),                               \
    T(test_##rname##_rejects_a_handle_with_flipped_bits),                    \
    T(test_##rname##_rejects_a_stale_handle),                                \
    T(test_##rname##_rejects_a_stale_handle_of_a_reallocated_engine),        \
    T(test_##rname##_rejects_another_clients_handle)

int main(void)
{
    const struct CMUnitTest tests[] = {
        ROW(change_bandwidth),
        ROW(free_engine),
        ROW(set_state),
        ROW(get_link_position),
        ROW(allocate_buffer),
        ROW(setup_engine),
        ROW(free_buffer),
        ROW(engine_get_info),
        T(test_every_single_bit_flip_of_a_handle_is_rejected),
        T(test_garbage_handle_values_are_rejected_without_a_crash),
        T(test_every_engine_gets_a_distinct_non_null_handle),
        T(test_a_reallocated_engine_gets_a_new_handle_each_time),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
