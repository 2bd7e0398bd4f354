/* SPDX-License-Identifier: MIT */
/*
 * test_ddi_threads.c - every routine may be called from any number of threads
 * (hdabdl.h "Locking"): workers on their own clients allocate, set up, start,
 * stop and free engines while the main thread advances time (and so runs the
 * ISR). Only INSUFFICIENT_RESOURCES may come back, and at the end every
 * engine, tag, bandwidth bit and DMA block is back.
 */
#define _POSIX_C_SOURCE 200809L
#include "support/fixture.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define WORKERS 4
#define ITERATIONS_PER_WORKER 500 /* 2000 in all */

struct worker {
    struct fx *fx;
    hdabdl_client *client;
    unsigned index;
    atomic_uint *callbacks;
    atomic_int *failures;
    atomic_bool finished;
    unsigned cycles;         /* full allocate..free cycles done */
    unsigned no_resources;   /* INSUFFICIENT_RESOURCES seen */
    hdabdl_status bad_status;
    int bad_line;
};

static void counting_isr(void *ctx, uint32_t mask)
{
    atomic_uint *n = ctx;
    if (mask & ~(uint32_t)(HDABDL_ISR_BCIS | HDABDL_ISR_FIFOE | HDABDL_ISR_DESE))
        atomic_fetch_add(n, 1000000u); /* shows up as a gross miscount */
    atomic_fetch_add(n, 1u);
}

#define CHECK(w, expr, want)                                    \
    do {                                                        \
        hdabdl_status st_ = (expr);                             \
        if (st_ != (want)) {                                    \
            (w)->bad_status = st_;                              \
            (w)->bad_line = __LINE__;                           \
            atomic_fetch_add((w)->failures, 1);                 \
            return NULL;                                        \
        }                                                       \
    } while (0)

static void *worker_body(struct worker *w)
{
    struct hdabdl_stream_format f = fx_format_default();
    struct hdabdl_stream_format cap = fx_format(48000, 16, 16, 1);
    for (unsigned it = 0; it < ITERATIONS_PER_WORKER; it++) {
        if (atomic_load(w->failures))
            return NULL;
        bool capture = ((it + w->index) % 3) == 0;
        hdabdl_handle h = NULL;
        hdabdl_converter_format conv = 0;
        hdabdl_status st = capture
                               ? hdabdl_allocate_capture_dma_engine(w->client, 0, &cap, &h, &conv)
                               : hdabdl_allocate_render_dma_engine(w->client, &f, false, &h, &conv);
        if (st == HDABDL_STATUS_INSUFFICIENT_RESOURCES) {
            w->no_resources++;
            continue;
        }
        CHECK(w, st, HDABDL_STATUS_SUCCESS);
        /* Every few iterations: allocate and free without a buffer. */
        if (it % 5 == 4) {
            CHECK(w, hdabdl_free_dma_engine(w->client, h), HDABDL_STATUS_SUCCESS);
            continue;
        }
        void *data = NULL;
        uint64_t data_bus = 0, bdl_bus = 0;
        struct hdabdl_buffer_descriptor *bdl = NULL;
        CHECK(w, hdabdl_allocate_contiguous_dma_buffer(w->client, h, 2048, &data, &data_bus, &bdl,
                                                       &bdl_bus),
              HDABDL_STATUS_SUCCESS);
        memset(data, (int)w->index, 2048);
        for (unsigned i = 0; i < 4; i++)
            hdabdl_bdl_write_entry(bdl, i, data_bus + 512u * i, 512, 1);
        uint8_t tag = 0;
        uint32_t fifo = 0;
        CHECK(w, hdabdl_setup_dma_engine_with_bdl(w->client, h, 2048, 3, counting_isr, w->callbacks,
                                                  &tag, &fifo),
              HDABDL_STATUS_SUCCESS);
        if (tag < 1 || tag > 15) {
            w->bad_status = tag;
            w->bad_line = __LINE__;
            atomic_fetch_add(w->failures, 1);
            return NULL;
        }
        CHECK(w, hdabdl_set_dma_engine_state(w->client, HDABDL_PAUSE_STATE, 1, &h),
              HDABDL_STATUS_SUCCESS);
        CHECK(w, hdabdl_set_dma_engine_state(w->client, HDABDL_RUN_STATE, 1, &h),
              HDABDL_STATUS_SUCCESS);
        const volatile uint32_t *pos = NULL;
        CHECK(w, hdabdl_get_link_position_register(w->client, h, &pos), HDABDL_STATUS_SUCCESS);
        if (!pos || *pos >= 2048) {
            w->bad_status = pos ? (hdabdl_status)*pos : -1;
            w->bad_line = __LINE__;
            atomic_fetch_add(w->failures, 1);
            return NULL;
        }
        sched_yield();
        CHECK(w, hdabdl_set_dma_engine_state(w->client, HDABDL_STOP_STATE, 1, &h),
              HDABDL_STATUS_SUCCESS);
        CHECK(w, hdabdl_set_dma_engine_state(w->client, HDABDL_RESET_STATE, 1, &h),
              HDABDL_STATUS_SUCCESS);
        CHECK(w, hdabdl_free_contiguous_dma_buffer(w->client, h), HDABDL_STATUS_SUCCESS);
        CHECK(w, hdabdl_free_dma_engine(w->client, h), HDABDL_STATUS_SUCCESS);
        w->cycles++;
    }
    return NULL;
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    worker_body(w);
    atomic_store(&w->finished, true);
    return NULL;
}

/* 2 in, 2 out, 1 bidir: four workers contend for engines. */
static void cfg_contended(struct hdabdl_mock_hal_config *c)
{
    c->device.input_streams = 2;
    c->device.output_streams = 2;
    c->device.bidir_streams = 1;
}
static int setup_contended(void **state) { return fx_setup_with(state, cfg_contended, 1); }

static void test_concurrent_clients_keep_the_controller_consistent(void **state)
{
    struct fx *fx = *state;
    alarm(120); /* a deadlock fails the test instead of hanging it */
    atomic_uint callbacks = 0;
    atomic_int failures = 0;
    struct worker w[WORKERS];
    pthread_t th[WORKERS];
    memset(w, 0, sizeof(w));
    for (unsigned i = 0; i < WORKERS; i++) {
        w[i].fx = fx;
        w[i].index = i;
        w[i].callbacks = &callbacks;
        w[i].failures = &failures;
        assert_status(hdabdl_client_open(fx->ctrl, 0, (uint8_t)(i + 1), &w[i].client),
                      HDABDL_STATUS_SUCCESS);
    }
    for (unsigned i = 0; i < WORKERS; i++)
        assert_int_equal(pthread_create(&th[i], NULL, worker_main, &w[i]), 0);

    /* Main thread: advance time (and so run the ISR) until the workers are done. */
    for (;;) {
        unsigned done = 0;
        for (unsigned i = 0; i < WORKERS; i++)
            done += atomic_load(&w[i].finished) ? 1u : 0u;
        if (done == WORKERS)
            break;
        fx_advance_us(fx, 250);
    }
    for (unsigned i = 0; i < WORKERS; i++)
        assert_int_equal(pthread_join(th[i], NULL), 0);
    alarm(0);

    unsigned total_cycles = 0;
    for (unsigned i = 0; i < WORKERS; i++) {
        if (w[i].bad_line)
            print_error("worker %u: line %d returned %s (0x%08X)\n", i, w[i].bad_line,
                        hdabdl_status_name(w[i].bad_status), (unsigned)w[i].bad_status);
        total_cycles += w[i].cycles;
    }
    assert_int_equal(atomic_load(&failures), 0);
    assert_true(total_cycles > 0);
    assert_true(atomic_load(&callbacks) < 1000000u);

    /* Consistency: everything is back. */
    struct hdabdl_bandwidth_info bw = fx_bandwidth(fx);
    for (int l = 0; l < 4; l++)
        assert_int_equal(bw.sdo_used[l], 0);
    for (int l = 0; l < 15; l++)
        assert_int_equal(bw.sdi_used[l], 0);
    assert_int_equal(hdabdl_mock_hal_dma_blocks(fx->hal), fx->dma_baseline);
    for (unsigned i = 0; i < WORKERS; i++)
        hdabdl_client_close(w[i].client);
    struct hdabdl_stream_format f = fx_format_default();
    for (unsigned i = 0; i < 2; i++) {
        struct hdabdl_engine_info r = fx_info(fx->client, fx_alloc_render(fx->client, &f, false));
        struct hdabdl_engine_info c = fx_info(fx->client, fx_alloc_capture(fx->client, 0, &f));
        assert_int_equal(r.stream_tag, i + 1);
        assert_int_equal(c.stream_tag, i + 1);
        assert_int_equal(r.kind, HDABDL_ENGINE_OUTPUT);
        assert_int_equal(c.kind, HDABDL_ENGINE_INPUT);
        assert_false(fx_sd_running(fx, r.sd_index));
        assert_false(fx_sd_running(fx, c.sd_index));
    }
    struct hdabdl_engine_info b = fx_info(fx->client, fx_alloc_render(fx->client, &f, false));
    assert_int_equal(b.kind, HDABDL_ENGINE_BIDIR);
    assert_int_equal(b.stream_tag, 3);
    hdabdl_handle h = NULL;
    hdabdl_converter_format conv = 0;
    assert_status(hdabdl_allocate_capture_dma_engine(fx->client, 0, &f, &h, &conv),
                  HDABDL_STATUS_INSUFFICIENT_RESOURCES);
}

static void *close_client_thread(void *arg)
{
    hdabdl_client_close(arg);
    return NULL;
}

static void test_concurrent_close_of_clients_with_running_engines(void **state)
{
    struct fx *fx = *state;
    alarm(60);
    struct hdabdl_stream_format f = fx_format_default();
    for (int round = 0; round < 20; round++) {
        hdabdl_client *c[2];
        struct fx_stream s[2];
        for (int i = 0; i < 2; i++) {
            assert_status(hdabdl_client_open(fx->ctrl, 0, (uint8_t)(10 + i), &c[i]),
                          HDABDL_STATUS_SUCCESS);
            fx_render_stream(c[i], &f, 2, 512, true, &s[i]);
            fx_start_stream(&s[i]);
        }
        fx_advance_ms(fx, 3);
        pthread_t th;
        assert_int_equal(pthread_create(&th, NULL, close_client_thread, c[0]), 0);
        hdabdl_client_close(c[1]);
        fx_advance_ms(fx, 1);
        assert_int_equal(pthread_join(th, NULL), 0);
        assert_int_equal(hdabdl_mock_hal_dma_blocks(fx->hal), fx->dma_baseline);
    }
    alarm(0);
    assert_int_equal(fx_bandwidth(fx).sdo_used[0], 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_concurrent_clients_keep_the_controller_consistent,
                                        setup_contended, fx_teardown),
        cmocka_unit_test_setup_teardown(test_concurrent_close_of_clients_with_running_engines,
                                        fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
