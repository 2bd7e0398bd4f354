/* SPDX-License-Identifier: MIT */
/*
 * test_ddi_preconditions.c - the precondition table of ddi.md §6.1 and the
 * transitions of §6.2, one test per cell, for every buffer kind:
 *
 *   contiguous    AllocateContiguousDmaBuffer + SetupDmaEngineWithBdl (BDL)
 *   bus           AllocateDmaBuffer (V1)
 *   notification  AllocateDmaBufferWithNotification (V2)
 *
 * Routines (rows): allocate X buffer, setup (contiguous only), free X buffer,
 * change_bandwidth_allocation, free_dma_engine, set_dma_engine_state to Run,
 * Pause and Reset. Engine states (columns): Reset without a buffer, Reset with
 * a buffer (set up, for the contiguous kind), Paused, Running.
 *
 * Every cell checks the documented status, then: on failure nothing changed
 * (state, buffer, DMA blocks, bandwidth, registers' RUN bit); on success the
 * documented post-state.
 */
#include "support/fixture.h"

#include <string.h>

#define SIZE 19200u
#define FRAG 9600u

enum kind { CONTIGUOUS, BUS, NOTIFICATION };
enum start { RESET_NO_BUFFER, RESET_WITH_BUFFER, PAUSED, RUNNING };
enum routine {
    ALLOCATE_BUFFER,
    SETUP,
    FREE_BUFFER,
    CHANGE_BANDWIDTH,
    FREE_ENGINE,
    SET_RUN,
    SET_PAUSE,
    SET_RESET
};

struct cell {
    struct fx *fx;
    enum kind kind;
    hdabdl_handle handle;
    uint8_t sd;
    struct fx_stream s;   /* contiguous */
    struct fx_bus b;      /* bus, notification */
};

static const enum hdabdl_buffer_kind buffer_kind_of[] = {
    [CONTIGUOUS] = HDABDL_BUFFER_KIND_CONTIGUOUS,
    [BUS] = HDABDL_BUFFER_KIND_BUS,
    [NOTIFICATION] = HDABDL_BUFFER_KIND_NOTIFICATION,
};

static hdabdl_status allocate_buffer(struct cell *c)
{
    if (c->kind == CONTIGUOUS) {
        void *data = NULL;
        uint64_t data_bus = 0, bdl_bus = 0;
        struct hdabdl_buffer_descriptor *bdl = NULL;
        hdabdl_status st = hdabdl_allocate_contiguous_dma_buffer(c->fx->client, c->handle, SIZE,
                                                                 &data, &data_bus, &bdl, &bdl_bus);
        if (st == HDABDL_STATUS_SUCCESS) {
            c->s.data = data;
            c->s.data_bus = data_bus;
            c->s.bdl = bdl;
            c->s.bdl_bus = bdl_bus;
            c->s.size = SIZE;
            memset(bdl, 0, HDABDL_PAGE_SIZE);
            fx_fill_bdl(&c->s, 2, FRAG, true);
        }
        return st;
    }
    return fx_bus_try_alloc(&c->b, c->kind == BUS ? 0 : 2, SIZE);
}

static hdabdl_status free_buffer(struct cell *c)
{
    switch (c->kind) {
    case CONTIGUOUS:
        return hdabdl_free_contiguous_dma_buffer(c->fx->client, c->handle);
    case BUS:
        return hdabdl_free_dma_buffer(c->fx->client, c->handle);
    default:
        return hdabdl_free_dma_buffer_with_notification(c->fx->client, c->handle, c->b.mdl,
                                                        c->b.allocated);
    }
}

/* An engine of @kind in @start. */
static void reach(struct fx *fx, enum kind kind, enum start start, struct cell *c)
{
    struct hdabdl_stream_format f = fx_format_default();
    memset(c, 0, sizeof(*c));
    c->fx = fx;
    c->kind = kind;
    if (kind == CONTIGUOUS) {
        c->s.client = fx->client;
        c->s.format = f;
        c->s.handle = fx_alloc_render(fx->client, &f, false);
        c->handle = c->s.handle;
    } else {
        fx_bus_engine(fx->client, &f, &c->b);
        c->handle = c->b.handle;
    }
    c->sd = fx_info(fx->client, c->handle).sd_index;
    if (start == RESET_NO_BUFFER)
        return;
    assert_status(allocate_buffer(c), HDABDL_STATUS_SUCCESS);
    if (kind == CONTIGUOUS)
        assert_status(fx_try_setup(&c->s), HDABDL_STATUS_SUCCESS);
    if (start == RESET_WITH_BUFFER)
        return;
    assert_status(fx_state1(fx->client, HDABDL_PAUSE_STATE, c->handle), HDABDL_STATUS_SUCCESS);
    if (start == PAUSED)
        return;
    assert_status(fx_state1(fx->client, HDABDL_RUN_STATE, c->handle), HDABDL_STATUS_SUCCESS);
    fx_advance_ms(fx, 5);
}

static hdabdl_status invoke(struct cell *c, enum routine r)
{
    hdabdl_client *client = c->fx->client;
    switch (r) {
    case ALLOCATE_BUFFER:
        return allocate_buffer(c);
    case SETUP:
        if (!c->s.bdl) { /* no buffer, so no BDL to write: the state check comes first */
            c->s.length = 2 * FRAG;
            c->s.lvi = 1;
        }
        return fx_try_setup(&c->s);
    case FREE_BUFFER:
        return free_buffer(c);
    case CHANGE_BANDWIDTH: {
        struct hdabdl_stream_format f = fx_format(48000, 16, 16, 1);
        hdabdl_converter_format conv = 0;
        return hdabdl_change_bandwidth_allocation(client, c->handle, &f, &conv);
    }
    case FREE_ENGINE:
        return hdabdl_free_dma_engine(client, c->handle);
    case SET_RUN:
        return fx_state1(client, HDABDL_RUN_STATE, c->handle);
    case SET_PAUSE:
        return fx_state1(client, HDABDL_PAUSE_STATE, c->handle);
    case SET_RESET:
        return fx_state1(client, HDABDL_RESET_STATE, c->handle);
    }
    return HDABDL_STATUS_UNSUCCESSFUL;
}

static enum hdabdl_stream_state state_of(enum start start)
{
    return start == PAUSED ? HDABDL_PAUSE_STATE
                           : start == RUNNING ? HDABDL_RUN_STATE : HDABDL_RESET_STATE;
}

/* After SUCCESS: what the routine documents. */
static void assert_post_state(struct cell *c, enum routine r, enum start start)
{
    struct fx *fx = c->fx;
    struct hdabdl_engine_info i;
    if (r == FREE_ENGINE) {
        assert_status(hdabdl_engine_get_info(fx->client, c->handle, &i),
                      HDABDL_STATUS_INVALID_HANDLE);
        return;
    }
    i = fx_info(fx->client, c->handle);
    switch (r) {
    case ALLOCATE_BUFFER:
        assert_int_equal(i.state, HDABDL_RESET_STATE);
        assert_int_equal(i.buffer_kind, buffer_kind_of[c->kind]);
        assert_int_equal(i.buffer, c->kind == CONTIGUOUS ? HDABDL_BUFFER_ALLOCATED
                                                         : HDABDL_BUFFER_PROGRAMMED);
        break;
    case SETUP:
        assert_int_equal(i.state, HDABDL_RESET_STATE);
        assert_int_equal(i.buffer, HDABDL_BUFFER_PROGRAMMED);
        break;
    case FREE_BUFFER:
        assert_int_equal(i.state, HDABDL_RESET_STATE);
        assert_int_equal(i.buffer, HDABDL_BUFFER_NONE);
        assert_int_equal(i.buffer_kind, HDABDL_BUFFER_KIND_NONE);
        assert_int_equal(hdabdl_mock_hal_dma_blocks(fx->hal), fx->dma_baseline);
        break;
    case CHANGE_BANDWIDTH:
        assert_int_equal(i.format.number_of_channels, 1);
        break;
    case SET_RUN:
        assert_int_equal(i.state, HDABDL_RUN_STATE);
        assert_true(fx_sd_running(fx, c->sd));
        break;
    case SET_PAUSE:
        assert_int_equal(i.state, HDABDL_PAUSE_STATE);
        assert_false(fx_sd_running(fx, c->sd));
        break;
    case SET_RESET:
        assert_int_equal(i.state, HDABDL_RESET_STATE);
        assert_false(fx_sd_running(fx, c->sd));
        /* Reset keeps the buffer and its programming (a later Run works). */
        assert_int_equal(i.buffer, start == RESET_NO_BUFFER ? HDABDL_BUFFER_NONE
                                                            : HDABDL_BUFFER_PROGRAMMED);
        break;
    case FREE_ENGINE:
        break;
    }
}

static void run_cell(struct fx *fx, enum kind kind, enum routine r, enum start start,
                     hdabdl_status want)
{
    static struct cell c;
    reach(fx, kind, start, &c);
    struct hdabdl_engine_info before = fx_info(fx->client, c.handle);
    struct hdabdl_bandwidth_info bw_before = fx_bandwidth(fx);
    size_t blocks = hdabdl_mock_hal_dma_blocks(fx->hal);
    bool running = fx_sd_running(fx, c.sd);
    assert_int_equal(before.state, state_of(start));

    assert_status(invoke(&c, r), want);

    if (want == HDABDL_STATUS_SUCCESS) {
        assert_post_state(&c, r, start);
        return;
    }
    struct hdabdl_engine_info after = fx_info(fx->client, c.handle);
    struct hdabdl_bandwidth_info bw_after = fx_bandwidth(fx);
    assert_int_equal(after.state, before.state);
    assert_int_equal(after.buffer, before.buffer);
    assert_int_equal(after.buffer_kind, before.buffer_kind);
    assert_int_equal(after.buffer_length, before.buffer_length);
    assert_memory_equal(&after.format, &before.format, sizeof(before.format));
    assert_memory_equal(&bw_after, &bw_before, sizeof(bw_before));
    assert_int_equal(hdabdl_mock_hal_dma_blocks(fx->hal), blocks);
    assert_int_equal(fx_sd_running(fx, c.sd), running);
}

/*
 * The table: kind, routine, engine state, status. SUCCESS / IDR per ddi.md
 * §6.1 (buffer routines, bandwidth, FreeDmaEngine: Reset and the right buffer
 * presence) and §6.2 (Run needs a buffer and is not reachable from Reset;
 * Reset is not reachable from Run: IDR per §10 #7; the same state is a no-op).
 */
#define ROWS(X, kind)                                                    \
    X(kind, allocate_buffer, reset_without_buffer, success)              \
    X(kind, allocate_buffer, reset_with_buffer, idr)                     \
    X(kind, allocate_buffer, paused, idr)                                \
    X(kind, allocate_buffer, running, idr)                               \
    X(kind, free_buffer, reset_without_buffer, idr)                      \
    X(kind, free_buffer, reset_with_buffer, success)                     \
    X(kind, free_buffer, paused, idr)                                    \
    X(kind, free_buffer, running, idr)                                   \
    X(kind, change_bandwidth_allocation, reset_without_buffer, success)  \
    X(kind, change_bandwidth_allocation, reset_with_buffer, idr)         \
    X(kind, change_bandwidth_allocation, paused, idr)                    \
    X(kind, change_bandwidth_allocation, running, idr)                   \
    X(kind, free_dma_engine, reset_without_buffer, success)              \
    X(kind, free_dma_engine, reset_with_buffer, idr)                     \
    X(kind, free_dma_engine, paused, idr)                                \
    X(kind, free_dma_engine, running, idr)                               \
    X(kind, set_run, reset_without_buffer, idr)                          \
    X(kind, set_run, reset_with_buffer, idr)                             \
    X(kind, set_run, paused, success)                                    \
    X(kind, set_run, running, success)                                   \
    X(kind, set_pause, reset_without_buffer, idr)                        \
    X(kind, set_pause, reset_with_buffer, success)                       \
    X(kind, set_pause, paused, success)                                  \
    X(kind, set_pause, running, success)                                 \
    X(kind, set_reset, reset_without_buffer, success)                    \
    X(kind, set_reset, reset_with_buffer, success)                       \
    X(kind, set_reset, paused, success)                                  \
    X(kind, set_reset, running, idr)

/* SetupDmaEngineWithBdl exists for the contiguous kind only. */
#define SETUP_ROWS(X)                                                     \
    X(contiguous, setup_with_bdl, reset_without_buffer, idr)              \
    X(contiguous, setup_with_bdl, reset_with_buffer, success)             \
    X(contiguous, setup_with_bdl, paused, idr)                            \
    X(contiguous, setup_with_bdl, running, idr)

#define CELLS(X)            \
    ROWS(X, contiguous)     \
    SETUP_ROWS(X)           \
    ROWS(X, bus)            \
    ROWS(X, notification)

#define KIND_contiguous CONTIGUOUS
#define KIND_bus BUS
#define KIND_notification NOTIFICATION
#define ROUTINE_allocate_buffer ALLOCATE_BUFFER
#define ROUTINE_setup_with_bdl SETUP
#define ROUTINE_free_buffer FREE_BUFFER
#define ROUTINE_change_bandwidth_allocation CHANGE_BANDWIDTH
#define ROUTINE_free_dma_engine FREE_ENGINE
#define ROUTINE_set_run SET_RUN
#define ROUTINE_set_pause SET_PAUSE
#define ROUTINE_set_reset SET_RESET
#define START_reset_without_buffer RESET_NO_BUFFER
#define START_reset_with_buffer RESET_WITH_BUFFER
#define START_paused PAUSED
#define START_running RUNNING
#define WANT_success HDABDL_STATUS_SUCCESS
#define WANT_idr HDABDL_STATUS_INVALID_DEVICE_REQUEST

#define CELL_NAME(kind, routine, start, want) test_##kind##_##routine##_in_##start##_is_##want

#define DEFINE_CELL(kind, routine, start, want)                                                \
    static void CELL_NAME(kind, routine, start, want)(void **state)                            \
    {                                                                                          \
        run_cell(*state, KIND_##kind, ROUTINE_##routine, START_##start, WANT_##want);          \
    }
CELLS(DEFINE_CELL)

/* ---- Beyond the table: cross-kind and multi-engine rules ----------------------------------------- */

static void test_a_contiguous_buffer_not_yet_set_up_cannot_pause(void **state)
{
    struct fx *fx = *state;
    struct cell c;
    reach(fx, CONTIGUOUS, RESET_NO_BUFFER, &c);
    assert_status(allocate_buffer(&c), HDABDL_STATUS_SUCCESS);
    assert_status(fx_state1(fx->client, HDABDL_PAUSE_STATE, c.handle),
                  HDABDL_STATUS_INVALID_DEVICE_REQUEST);
    assert_int_equal(fx_info(fx->client, c.handle).buffer, HDABDL_BUFFER_ALLOCATED);
}

static void test_a_buffer_of_another_kind_cannot_be_freed_by_the_wrong_routine(void **state)
{
    struct fx *fx = *state;
    struct cell c[3];
    reach(fx, CONTIGUOUS, RESET_WITH_BUFFER, &c[0]);
    reach(fx, BUS, RESET_WITH_BUFFER, &c[1]);
    reach(fx, NOTIFICATION, RESET_WITH_BUFFER, &c[2]);
    for (unsigned owner = 0; owner < 3; owner++) {
        for (unsigned k = 0; k < 3; k++) {
            if (k == owner)
                continue;
            struct cell wrong = c[owner];
            wrong.kind = (enum kind)k;
            wrong.b.mdl = c[2].b.mdl; /* a real MDL, of another engine when owner != 2 */
            wrong.b.allocated = SIZE;
            assert_status(free_buffer(&wrong), HDABDL_STATUS_INVALID_DEVICE_REQUEST);
        }
        assert_int_equal(fx_info(fx->client, c[owner].handle).buffer_kind,
                         buffer_kind_of[c[owner].kind]);
    }
}

static void test_run_with_one_engine_without_a_buffer_is_idr_for_all(void **state)
{
    struct fx *fx = *state;
    struct cell a, b;
    reach(fx, NOTIFICATION, PAUSED, &a);
    reach(fx, BUS, RESET_NO_BUFFER, &b);
    assert_status(fx_state2(fx->client, HDABDL_PAUSE_STATE, a.handle, b.handle),
                  HDABDL_STATUS_INVALID_DEVICE_REQUEST);
    assert_status(fx_state2(fx->client, HDABDL_RUN_STATE, a.handle, b.handle),
                  HDABDL_STATUS_INVALID_DEVICE_REQUEST);
    assert_int_equal(fx_info(fx->client, a.handle).state, HDABDL_PAUSE_STATE);
    assert_false(fx_sd_running(fx, a.sd));
}

static void test_engines_of_all_three_kinds_start_and_stop_together(void **state)
{
    struct fx *fx = *state;
    struct cell c[3];
    reach(fx, CONTIGUOUS, PAUSED, &c[0]);
    reach(fx, BUS, PAUSED, &c[1]);
    reach(fx, NOTIFICATION, PAUSED, &c[2]);
    hdabdl_handle hs[3] = {c[0].handle, c[1].handle, c[2].handle};
    assert_status(hdabdl_set_dma_engine_state(fx->client, HDABDL_RUN_STATE, 3, hs),
                  HDABDL_STATUS_SUCCESS);
    for (unsigned i = 0; i < 3; i++)
        assert_true(fx_sd_running(fx, c[i].sd));
    fx_advance_ms(fx, 10);
    assert_status(hdabdl_set_dma_engine_state(fx->client, HDABDL_PAUSE_STATE, 3, hs),
                  HDABDL_STATUS_SUCCESS);
    assert_status(hdabdl_set_dma_engine_state(fx->client, HDABDL_RESET_STATE, 3, hs),
                  HDABDL_STATUS_SUCCESS);
    for (unsigned i = 0; i < 3; i++) {
        assert_false(fx_sd_running(fx, c[i].sd));
        assert_status(free_buffer(&c[i]), HDABDL_STATUS_SUCCESS);
        assert_status(hdabdl_free_dma_engine(fx->client, c[i].handle), HDABDL_STATUS_SUCCESS);
    }
    assert_int_equal(hdabdl_mock_hal_dma_blocks(fx->hal), fx->dma_baseline);
}

static void test_the_full_life_cycle_works_for_every_kind_twice(void **state)
{
    struct fx *fx = *state;
    for (unsigned k = 0; k < 3; k++) {
        struct cell c;
        reach(fx, (enum kind)k, RUNNING, &c);
        for (unsigned round = 0; round < 2; round++) {
            assert_status(fx_state1(fx->client, HDABDL_PAUSE_STATE, c.handle),
                          HDABDL_STATUS_SUCCESS);
            assert_status(fx_state1(fx->client, HDABDL_RESET_STATE, c.handle),
                          HDABDL_STATUS_SUCCESS);
            assert_status(free_buffer(&c), HDABDL_STATUS_SUCCESS);
            assert_status(allocate_buffer(&c), HDABDL_STATUS_SUCCESS);
            if (c.kind == CONTIGUOUS)
                assert_status(fx_try_setup(&c.s), HDABDL_STATUS_SUCCESS);
            assert_status(fx_state1(fx->client, HDABDL_PAUSE_STATE, c.handle),
                          HDABDL_STATUS_SUCCESS);
            assert_status(fx_state1(fx->client, HDABDL_RUN_STATE, c.handle),
                          HDABDL_STATUS_SUCCESS);
            fx_advance_ms(fx, 5);
        }
        assert_status(fx_state1(fx->client, HDABDL_PAUSE_STATE, c.handle), HDABDL_STATUS_SUCCESS);
        assert_status(fx_state1(fx->client, HDABDL_RESET_STATE, c.handle), HDABDL_STATUS_SUCCESS);
        assert_status(free_buffer(&c), HDABDL_STATUS_SUCCESS);
        assert_status(hdabdl_free_dma_engine(fx->client, c.handle), HDABDL_STATUS_SUCCESS);
    }
    assert_int_equal(hdabdl_mock_hal_dma_blocks(fx->hal), fx->dma_baseline);
}

#define T(name) cmocka_unit_test_setup_teardown(name, fx_setup, fx_teardown)
#define LIST_CELL(kind, routine, start, want) T(CELL_NAME(kind, routine, start, want)),

int main(void)
{
    const struct CMUnitTest tests[] = {
        CELLS(LIST_CELL)
        T(test_a_contiguous_buffer_not_yet_set_up_cannot_pause),
        T(test_a_buffer_of_another_kind_cannot_be_freed_by_the_wrong_routine),
        T(test_run_with_one_engine_without_a_buffer_is_idr_for_all),
        T(test_engines_of_all_three_kinds_start_and_stop_together),
        T(test_the_full_life_cycle_works_for_every_kind_twice),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
