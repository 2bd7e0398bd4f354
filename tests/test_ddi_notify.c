/* SPDX-License-Identifier: MIT */
/*
 * test_ddi_notify.c - AllocateDmaBufferWithNotification /
 * FreeDmaBufferWithNotification (V2), notification events (V2) and
 * notification callbacks (V3) on the mock's timeline (ddi.md §4.7-4.8,
 * §4.20-4.21, §6.4).
 *
 * At 48 kHz, 16-bit stereo the engine moves 192 bytes per millisecond, so a
 * 19200-byte buffer is one pass per 100 ms: NotificationCount 2 notifies every
 * 50 ms, NotificationCount 1 every 100 ms.
 */
#include "support/fixture.h"
#include "test_bdl_util.h"

#include "core/internal.h"   /* the engine's BDL page */

#include <string.h>

#define SIZE 19200u
#define MS 1000000ull

static void notification_buffer(struct fx *fx, uint32_t count, size_t requested, struct fx_bus *b)
{
    struct hdabdl_stream_format f = fx_format_default();
    fx_bus_render(fx->client, &f, count, requested, b);
}

static void engine_only(struct fx *fx, struct fx_bus *b)
{
    struct hdabdl_stream_format f = fx_format_default();
    fx_bus_engine(fx->client, &f, b);
}

static const struct hdabdl_buffer_descriptor *engine_bdl(struct fx *fx, const struct fx_bus *b,
                                                         uint32_t *lvi)
{
    const struct engine *e = &fx->ctrl->engines[b->sd];
    uint64_t bdp = (uint64_t)fx_sd_reg(fx, b->sd, HDA_SD_BDPU, 4) << 32 |
                   fx_sd_reg(fx, b->sd, HDA_SD_BDPL, 4);
    assert_int_equal(bdp, e->bdl.bus);
    *lvi = fx_sd_reg(fx, b->sd, HDA_SD_LVI, 2) & 0xFFu;
    assert_true(*lvi >= 1);
    return e->bdl.cpu;
}

/* Byte offsets in the buffer at which an IOC entry ends, in order; returns how many. */
static unsigned ioc_ends(struct fx *fx, const struct fx_bus *b, size_t *ends, unsigned max)
{
    uint32_t lvi;
    const struct hdabdl_buffer_descriptor *bdl = engine_bdl(fx, b, &lvi);
    size_t pos = 0;
    unsigned n = 0;
    for (uint32_t i = 0; i <= lvi; i++) {
        pos += bdl_entry_length(bdl, i);
        assert_true(bdl_entry_ioc(bdl, i) <= 1);
        if (bdl_entry_ioc(bdl, i) && n < max)
            ends[n++] = pos;
    }
    assert_int_equal(pos, b->allocated);
    return n;
}

static void register_event(struct fx *fx, const struct fx_bus *b, struct fx_event *ev)
{
    fx_event_init(ev, fx);
    assert_status(hdabdl_register_notification_event(fx->client, b->handle, &ev->event),
                  HDABDL_STATUS_SUCCESS);
}

static void register_callback(struct fx *fx, const struct fx_bus *b, struct fx_callback_log *log)
{
    memset(log, 0, sizeof(*log));
    assert_status(hdabdl_register_notification_callback(fx->client, b->handle, fx, fx_callback_record,
                                                        log),
                  HDABDL_STATUS_SUCCESS);
}

/* Start, let the first 25 ms pass (off any notification instant), then return. */
static void start_and_settle(struct fx *fx, struct fx_bus *b)
{
    fx_bus_start(b);
    fx_advance_ms(fx, 25);
}

static void assert_buffer_kept(struct fx *fx, const struct fx_bus *b)
{
    struct hdabdl_engine_info i = fx_info(fx->client, b->handle);
    assert_int_equal(i.buffer, HDABDL_BUFFER_PROGRAMMED);
    assert_int_equal(i.buffer_kind, HDABDL_BUFFER_KIND_NOTIFICATION);
}

/* ---- NotificationCount and the BDL ---------------------------------------------------------- */

static void test_notification_count_0_is_invalid_parameter(void **state)
{
    struct fx *fx = *state;
    struct fx_bus b;
    engine_only(fx, &b);
    struct hdabdl_mdl *mdl = NULL;
    size_t allocated = 0, offset = 0;
    uint8_t tag = 0;
    uint32_t fifo = 0;
    assert_status(hdabdl_allocate_dma_buffer_with_notification(fx->client, b.handle, 0, SIZE, &mdl,
                                                               &allocated, &offset, &tag, &fifo),
                  HDABDL_STATUS_INVALID_PARAMETER);
    assert_int_equal(fx_info(fx->client, b.handle).buffer, HDABDL_BUFFER_NONE);
    assert_int_equal(hdabdl_mock_hal_dma_blocks(fx->hal), fx->dma_baseline);
}

static void test_notification_count_3_is_invalid_parameter(void **state)
{
    struct fx *fx = *state;
    struct fx_bus b;
    engine_only(fx, &b);
    assert_status(fx_bus_try_alloc(&b, 3, SIZE), HDABDL_STATUS_INVALID_PARAMETER);
    assert_int_equal(fx_info(fx->client, b.handle).buffer, HDABDL_BUFFER_NONE);
    assert_int_equal(hdabdl_mock_hal_dma_blocks(fx->hal), fx->dma_baseline);
}

static void test_a_null_offset_from_first_page_is_invalid_parameter(void **state)
{
    struct fx *fx = *state;
    struct fx_bus b;
    struct hdabdl_mdl *mdl = NULL;
    size_t allocated = 0;
    uint8_t tag = 0;
    uint32_t fifo = 0;
    engine_only(fx, &b);
    assert_status(hdabdl_allocate_dma_buffer_with_notification(fx->client, b.handle, 2, SIZE, &mdl,
                                                               &allocated, NULL, &tag, &fifo),
                  HDABDL_STATUS_INVALID_PARAMETER);
    assert_int_equal(fx_info(fx->client, b.handle).buffer, HDABDL_BUFFER_NONE);
}

static void test_count_1_puts_ioc_only_at_the_end(void **state)
{
    struct fx *fx = *state;
    struct fx_bus b;
    size_t ends[8];
    notification_buffer(fx, 1, SIZE, &b);
    assert_int_equal(ioc_ends(fx, &b, ends, 8), 1);
    assert_int_equal(ends[0], SIZE);
}

static void test_count_2_puts_ioc_at_the_midpoint_and_the_end(void **state)
{
    struct fx *fx = *state;
    struct fx_bus b;
    size_t ends[8];
    notification_buffer(fx, 2, SIZE, &b);
    assert_int_equal(ioc_ends(fx, &b, ends, 8), 2);
    assert_int_equal(ends[0], SIZE / 2);
    assert_int_equal(ends[1], SIZE);
}

static void test_count_2_midpoint_is_exactly_half_the_allocated_size(void **state)
{
    struct fx *fx = *state;
    struct fx_bus b;
    size_t ends[8];
    notification_buffer(fx, 2, 1000, &b); /* allocated 1024 */
    assert_int_equal(b.allocated, 1024);
    assert_int_equal(ioc_ends(fx, &b, ends, 8), 2);
    assert_int_equal(ends[0], 512);
    assert_int_equal(ends[1], 1024);
}

static void test_count_2_midpoint_falls_on_an_entry_boundary_inside_a_page(void **state)
{
    struct fx *fx = *state;
    struct fx_bus b;
    size_t ends[8];
    engine_only(fx, &b);
    hdabdl_mock_hal_fail_dma_alloc(fx->hal, 1, 1); /* a set of pages: 9600 is inside page 2 */
    assert_status(fx_bus_try_alloc(&b, 2, SIZE), HDABDL_STATUS_SUCCESS);
    assert_null(b.mdl->virtual_address);
    assert_int_equal(ioc_ends(fx, &b, ends, 8), 2);
    assert_int_equal(ends[0], SIZE / 2);
    assert_int_equal(ends[1], SIZE);
}

static void test_count_1_with_pages_puts_ioc_only_at_the_end(void **state)
{
    struct fx *fx = *state;
    struct fx_bus b;
    size_t ends[8];
    engine_only(fx, &b);
    hdabdl_mock_hal_fail_dma_alloc(fx->hal, 1, 1);
    assert_status(fx_bus_try_alloc(&b, 1, SIZE), HDABDL_STATUS_SUCCESS);
    assert_int_equal(ioc_ends(fx, &b, ends, 8), 1);
    assert_int_equal(ends[0], SIZE);
}

static void test_offset_from_first_page_is_reported_and_is_0(void **state)
{
    struct fx *fx = *state;
    struct fx_bus b;
    engine_only(fx, &b);
    assert_status(fx_bus_try_alloc(&b, 2, SIZE), HDABDL_STATUS_SUCCESS);
    assert_int_equal(b.offset, 0); /* fx_bus_try_alloc starts it at SIZE_MAX */
    assert_int_equal(b.mdl->byte_offset, b.offset);
}

static void test_the_outputs_match_the_engine(void **state)
{
    struct fx *fx = *state;
    struct fx_bus b;
    notification_buffer(fx, 2, SIZE, &b);
    struct hdabdl_engine_info i = fx_info(fx->client, b.handle);
    assert_int_equal(b.allocated, SIZE);
    assert_int_equal(b.mdl->byte_count, SIZE);
    assert_int_equal(b.tag, i.stream_tag);
    assert_int_equal(b.fifo_size, i.fifo_size);
    assert_int_equal(fx_sd_reg(fx, b.sd, HDA_SD_CBL, 4), SIZE);
    assert_int_equal(i.buffer_kind, HDABDL_BUFFER_KIND_NOTIFICATION);
    assert_int_equal(i.notification_count, 2);
    assert_int_equal(i.state, HDABDL_RESET_STATE);
    assert_false(fx_sd_running(fx, b.sd));
}

/* ---- Events on the timeline ------------------------------------------------------------------- */

static void test_count_2_signals_an_event_20_times_a_second(void **state)
{
    struct fx *fx = *state;
    struct fx_bus b;
    struct fx_event ev;
    notification_buffer(fx, 2, SIZE, &b);
    register_event(fx, &b, &ev);
    start_and_settle(fx, &b);
    assert_int_equal(ev.signals, 0);
    fx_advance_ms(fx, 1000);
    assert_int_equal(ev.signals, 20);
}

static void test_count_1_signals_an_event_10_times_a_second(void **state)
{
    struct fx *fx = *state;
    struct fx_bus b;
    struct fx_event ev;
    notification_buffer(fx, 1, SIZE, &b);
    register_event(fx, &b, &ev);
    start_and_settle(fx, &b);
    fx_advance_ms(fx, 1000);
    assert_int_equal(ev.signals, 10);
}

static void test_count_2_signals_are_50_ms_apart(void **state)
{
    struct fx *fx = *state;
    struct fx_bus b;
    struct fx_event ev;
    notification_buffer(fx, 2, SIZE, &b);
    register_event(fx, &b, &ev);
    uint64_t start = fx_now_ns(fx);
    fx_bus_start(&b);
    fx_advance_ms(fx, 520);
    assert_int_equal(ev.signals, 10);
    /* The first after one half buffer (plus the FIFO's start-up), then every 50 ms. */
    assert_true(ev.times[0] - start >= 50 * MS && ev.times[0] - start <= 50 * MS + 100000);
    for (unsigned i = 1; i < ev.signals; i++) {
        uint64_t gap = ev.times[i] - ev.times[i - 1];
        assert_true(gap >= 50 * MS - 21000 && gap <= 50 * MS + 21000); /* +- one frame */
    }
}

static void test_a_count_1_event_follows_the_allocated_size_not_the_requested_one(void **state)
{
    struct fx *fx = *state;
    struct fx_bus b;
    struct fx_event ev;
    notification_buffer(fx, 1, 3800, &b); /* allocated 3840: 20 ms a pass */
    assert_int_equal(b.allocated, 3840);
    register_event(fx, &b, &ev);
    fx_bus_start(&b);
    fx_advance_ms(fx, 10);
    fx_advance_ms(fx, 1000);
    assert_int_equal(ev.signals, 50);
}

static void test_every_registered_event_and_callback_fires_on_every_completion(void **state)
{
    struct fx *fx = *state;
    struct fx_bus b;
    struct fx_event ev[3];
    struct fx_callback_log log[2];
    notification_buffer(fx, 2, SIZE, &b);
    for (unsigned i = 0; i < 3; i++)
        register_event(fx, &b, &ev[i]);
    for (unsigned i = 0; i < 2; i++)
        register_callback(fx, &b, &log[i]);
    start_and_settle(fx, &b);
    fx_advance_ms(fx, 1000);
    for (unsigned i = 0; i < 3; i++)
        assert_int_equal(ev[i].signals, 20);
    for (unsigned i = 0; i < 2; i++)
        assert_int_equal(log[i].calls, 20);
}

static void test_events_of_one_engine_do_not_fire_for_another(void **state)
{
    struct fx *fx = *state;
    struct fx_bus a, b;
    struct fx_event ev_a, ev_b;
    notification_buffer(fx, 2, SIZE, &a);
    notification_buffer(fx, 1, SIZE, &b);
    register_event(fx, &a, &ev_a);
    register_event(fx, &b, &ev_b);
    fx_bus_start(&a);
    fx_bus_start(&b);
    fx_advance_ms(fx, 25);
    fx_advance_ms(fx, 1000);
    assert_int_equal(ev_a.signals, 20);
    assert_int_equal(ev_b.signals, 10);
}

static void test_an_event_on_a_paused_engine_is_not_signalled(void **state)
{
    struct fx *fx = *state;
    struct fx_bus b;
    struct fx_event ev;
    notification_buffer(fx, 2, SIZE, &b);
    register_event(fx, &b, &ev);
    start_and_settle(fx, &b);
    fx_advance_ms(fx, 100);
    assert_int_equal(ev.signals, 2);
    assert_status(fx_state1(fx->client, HDABDL_PAUSE_STATE, b.handle), HDABDL_STATUS_SUCCESS);
    fx_advance_ms(fx, 300);
    assert_int_equal(ev.signals, 2);
}

static void test_an_event_fires_for_a_v1_buffer_at_every_wrap(void **state)
{
    struct fx *fx = *state;
    struct fx_bus b;
    struct fx_event ev;
    notification_buffer(fx, 0, SIZE, &b); /* AllocateDmaBuffer */
    register_event(fx, &b, &ev);
    start_and_settle(fx, &b);
    fx_advance_ms(fx, 1000);
    assert_int_equal(ev.signals, 10);
}

/* ---- V3 callbacks and their timestamps ---------------------------------------------------------- */

static void test_callbacks_get_the_context_they_were_registered_with(void **state)
{
    struct fx *fx = *state;
    struct fx_bus b;
    struct fx_callback_log log;
    notification_buffer(fx, 2, SIZE, &b);
    register_callback(fx, &b, &log); /* fx_callback_record writes through the context */
    start_and_settle(fx, &b);
    fx_advance_ms(fx, 100);
    assert_int_equal(log.calls, 2);
}

static void test_callback_timestamps_increase(void **state)
{
    struct fx *fx = *state;
    struct fx_bus b;
    struct fx_callback_log log;
    notification_buffer(fx, 2, SIZE, &b);
    register_callback(fx, &b, &log);
    fx_bus_start(&b);
    fx_advance_ms(fx, 1020);
    assert_int_equal(log.calls, 20);
    for (unsigned i = 1; i < log.calls; i++)
        assert_true(log.stamps[i] > log.stamps[i - 1]);
}

static void test_callback_timestamps_are_50_ms_apart_with_count_2(void **state)
{
    struct fx *fx = *state;
    struct fx_bus b;
    struct fx_callback_log log;
    notification_buffer(fx, 2, SIZE, &b);
    register_callback(fx, &b, &log);
    fx_bus_start(&b);
    fx_advance_ms(fx, 520);
    assert_int_equal(log.calls, 10);
    for (unsigned i = 1; i < log.calls; i++) {
        int64_t gap = log.stamps[i] - log.stamps[i - 1];
        assert_true(gap >= (int64_t)(50 * MS) - 21000 && gap <= (int64_t)(50 * MS) + 21000);
    }
}

static void test_a_callback_timestamp_lies_within_the_interrupts_frame(void **state)
{
    struct fx *fx = *state;
    struct fx_bus b;
    struct fx_callback_log log;
    struct hdabdl_mock_stats st;
    notification_buffer(fx, 2, SIZE, &b);
    register_callback(fx, &b, &log);
    fx_bus_start(&b);
    fx_advance_ms(fx, 45);
    /* Frame by frame: the step in which BCIS is raised is the one the callback runs after. */
    unsigned checked = 0;
    for (unsigned frame = 0; frame < 48000 / 4 && checked < 3; frame++) {
        hdabdl_mock_get_stats(fx->dev, &st);
        uint64_t raised_before = st.bcis_raised;
        unsigned calls = log.calls;
        uint64_t t0 = fx_now_ns(fx);
        fx_advance_ns(fx, 20833);
        uint64_t t1 = fx_now_ns(fx);
        hdabdl_mock_get_stats(fx->dev, &st);
        if (st.bcis_raised == raised_before) {
            assert_int_equal(log.calls, calls); /* no IOC, no callback */
            continue;
        }
        assert_int_equal(log.calls, calls + 1);
        int64_t ts = log.stamps[calls];
        /* BCIS rose inside (t0, t1]; the stamp is taken when the interrupt is
         * serviced: not before the frame, at most a frame later. */
        assert_true(ts > (int64_t)t0);
        assert_true(ts <= (int64_t)t1);
        checked++;
    }
    assert_int_equal(checked, 3);
}

static void test_a_callback_timestamp_is_the_time_of_the_ioc_not_of_a_later_poll(void **state)
{
    struct fx *fx = *state;
    struct fx_bus b;
    struct fx_callback_log log;
    notification_buffer(fx, 2, SIZE, &b);
    register_callback(fx, &b, &log);
    fx_bus_start(&b);
    fx_advance_ms(fx, 520);
    assert_int_equal(log.calls, 10);
    /* Each stamp is where the buffer's half was due: k x 50 ms after the start. */
    for (unsigned i = 0; i < log.calls; i++) {
        int64_t due = (int64_t)((i + 1) * 50 * MS);
        int64_t rel = log.stamps[i] - log.stamps[0] + (int64_t)(50 * MS);
        assert_true(rel >= due - 30000 && rel <= due + 30000);
    }
}

/* A callback that reads the link position when it runs. */
static void read_position(struct fx_callback_log *log, int64_t ts)
{
    (void)ts;
    struct fx_bus *b = log->hook_ctx;
    const volatile uint32_t *pos = NULL;
    if (log->calls <= FX_CALLBACK_LOG_MAX &&
        hdabdl_get_link_position_register(b->client, b->handle, &pos) == HDABDL_STATUS_SUCCESS &&
        pos)
        log->stamps[log->calls - 1] = (int64_t)*pos; /* replace the stamp with LPIB */
}

static void test_count_2_callbacks_come_at_the_midpoint_and_the_wrap(void **state)
{
    struct fx *fx = *state;
    struct fx_bus b;
    struct fx_callback_log log;
    notification_buffer(fx, 2, SIZE, &b);
    register_callback(fx, &b, &log);
    log.hook = read_position;
    log.hook_ctx = &b;
    fx_bus_start(&b);
    fx_advance_ms(fx, 420);
    assert_int_equal(log.calls, 8);
    for (unsigned i = 0; i < log.calls; i++) {
        int64_t want = i % 2 == 0 ? SIZE / 2 : 0;
        int64_t lpib = log.stamps[i];
        /* within a FIFO's worth of the IOC point */
        assert_true(lpib >= want && lpib <= want + 192 + 8);
    }
}

/* ---- FreeDmaBufferWithNotification ------------------------------------------------------------- */

static void test_free_with_the_allocated_size_succeeds(void **state)
{
    struct fx *fx = *state;
    struct fx_bus b;
    notification_buffer(fx, 2, 1000, &b);
    assert_status(hdabdl_free_dma_buffer_with_notification(fx->client, b.handle, b.mdl, 1024),
                  HDABDL_STATUS_SUCCESS);
    assert_int_equal(fx_info(fx->client, b.handle).buffer, HDABDL_BUFFER_NONE);
    assert_int_equal(hdabdl_mock_hal_dma_blocks(fx->hal), fx->dma_baseline);
}

static void test_free_with_the_requested_size_succeeds(void **state)
{
    struct fx *fx = *state;
    struct fx_bus b;
    notification_buffer(fx, 2, 1000, &b);
    assert_status(hdabdl_free_dma_buffer_with_notification(fx->client, b.handle, b.mdl, 1000),
                  HDABDL_STATUS_SUCCESS);
    assert_int_equal(fx_info(fx->client, b.handle).buffer, HDABDL_BUFFER_NONE);
    assert_int_equal(hdabdl_mock_hal_dma_blocks(fx->hal), fx->dma_baseline);
}

static void test_free_with_another_size_is_invalid_parameter(void **state)
{
    struct fx *fx = *state;
    struct fx_bus b;
    notification_buffer(fx, 2, 1000, &b);
    size_t blocks = hdabdl_mock_hal_dma_blocks(fx->hal);
    assert_status(hdabdl_free_dma_buffer_with_notification(fx->client, b.handle, b.mdl, 512),
                  HDABDL_STATUS_INVALID_PARAMETER);
    assert_status(hdabdl_free_dma_buffer_with_notification(fx->client, b.handle, b.mdl, 0),
                  HDABDL_STATUS_INVALID_PARAMETER);
    assert_buffer_kept(fx, &b);
    assert_int_equal(hdabdl_mock_hal_dma_blocks(fx->hal), blocks);
}

static void test_free_with_another_mdl_is_invalid_parameter(void **state)
{
    struct fx *fx = *state;
    struct fx_bus a, b;
    notification_buffer(fx, 2, SIZE, &a);
    notification_buffer(fx, 2, SIZE, &b);
    struct hdabdl_mdl copy = *a.mdl; /* same contents, another MDL */
    assert_status(hdabdl_free_dma_buffer_with_notification(fx->client, a.handle, b.mdl, SIZE),
                  HDABDL_STATUS_INVALID_PARAMETER);
    assert_status(hdabdl_free_dma_buffer_with_notification(fx->client, a.handle, &copy, SIZE),
                  HDABDL_STATUS_INVALID_PARAMETER);
    assert_status(hdabdl_free_dma_buffer_with_notification(fx->client, a.handle, NULL, SIZE),
                  HDABDL_STATUS_INVALID_PARAMETER);
    assert_buffer_kept(fx, &a);
    assert_buffer_kept(fx, &b);
}

static void test_free_with_notification_without_a_buffer_is_idr(void **state)
{
    struct fx *fx = *state;
    struct fx_bus b;
    notification_buffer(fx, 2, SIZE, &b);
    struct hdabdl_mdl *mdl = b.mdl;
    assert_status(fx_bus_free(&b), HDABDL_STATUS_SUCCESS);
    assert_status(hdabdl_free_dma_buffer_with_notification(fx->client, b.handle, mdl, SIZE),
                  HDABDL_STATUS_INVALID_DEVICE_REQUEST);
}

static void test_free_with_notification_while_running_is_idr(void **state)
{
    struct fx *fx = *state;
    struct fx_bus b;
    notification_buffer(fx, 2, SIZE, &b);
    fx_bus_start(&b);
    assert_status(fx_bus_free(&b), HDABDL_STATUS_INVALID_DEVICE_REQUEST);
    assert_buffer_kept(fx, &b);
    assert_true(fx_sd_running(fx, b.sd));
}

static void test_a_notification_buffer_may_be_allocated_again_after_free(void **state)
{
    struct fx *fx = *state;
    struct fx_bus b;
    struct fx_event ev;
    notification_buffer(fx, 2, SIZE, &b);
    assert_status(fx_bus_free(&b), HDABDL_STATUS_SUCCESS);
    assert_status(fx_bus_try_alloc(&b, 1, SIZE), HDABDL_STATUS_SUCCESS);
    assert_int_equal(fx_info(fx->client, b.handle).notification_count, 1);
    register_event(fx, &b, &ev);
    start_and_settle(fx, &b);
    fx_advance_ms(fx, 1000);
    assert_int_equal(ev.signals, 10);
}

/* ---- Registration limits and matching ------------------------------------------------------------ */

static void test_16_events_register_and_the_17th_is_insufficient_resources(void **state)
{
    struct fx *fx = *state;
    struct fx_bus b;
    struct fx_event ev[HDABDL_MAX_NOTIFICATION_EVENTS + 1];
    notification_buffer(fx, 2, SIZE, &b);
    for (unsigned i = 0; i < HDABDL_MAX_NOTIFICATION_EVENTS; i++)
        register_event(fx, &b, &ev[i]);
    fx_event_init(&ev[16], fx);
    assert_status(hdabdl_register_notification_event(fx->client, b.handle, &ev[16].event),
                  HDABDL_STATUS_INSUFFICIENT_RESOURCES);
    assert_int_equal(fx_info(fx->client, b.handle).notification_events, 16);
    start_and_settle(fx, &b);
    fx_advance_ms(fx, 100);
    for (unsigned i = 0; i < HDABDL_MAX_NOTIFICATION_EVENTS; i++)
        assert_int_equal(ev[i].signals, 2);
    assert_int_equal(ev[16].signals, 0);
}

static void test_16_callbacks_register_and_the_17th_is_insufficient_resources(void **state)
{
    struct fx *fx = *state;
    struct fx_bus b;
    struct fx_callback_log log[HDABDL_MAX_NOTIFICATION_CALLBACKS + 1];
    notification_buffer(fx, 2, SIZE, &b);
    for (unsigned i = 0; i < HDABDL_MAX_NOTIFICATION_CALLBACKS; i++)
        register_callback(fx, &b, &log[i]);
    memset(&log[16], 0, sizeof(log[16]));
    assert_status(hdabdl_register_notification_callback(fx->client, b.handle, fx,
                                                        fx_callback_record, &log[16]),
                  HDABDL_STATUS_INSUFFICIENT_RESOURCES);
    assert_int_equal(fx_info(fx->client, b.handle).notification_callbacks, 16);
    start_and_settle(fx, &b);
    fx_advance_ms(fx, 100);
    for (unsigned i = 0; i < HDABDL_MAX_NOTIFICATION_CALLBACKS; i++)
        assert_int_equal(log[i].calls, 2);
    assert_int_equal(log[16].calls, 0);
}

static void test_the_limits_are_per_engine_and_separate_for_events_and_callbacks(void **state)
{
    struct fx *fx = *state;
    struct fx_bus a, b;
    static struct fx_event ev[2][HDABDL_MAX_NOTIFICATION_EVENTS];
    static struct fx_callback_log log[2][HDABDL_MAX_NOTIFICATION_CALLBACKS];
    notification_buffer(fx, 2, SIZE, &a);
    notification_buffer(fx, 2, SIZE, &b);
    for (unsigned i = 0; i < HDABDL_MAX_NOTIFICATION_EVENTS; i++) {
        register_event(fx, &a, &ev[0][i]);
        register_event(fx, &b, &ev[1][i]);
    }
    for (unsigned i = 0; i < HDABDL_MAX_NOTIFICATION_CALLBACKS; i++) {
        register_callback(fx, &a, &log[0][i]);
        register_callback(fx, &b, &log[1][i]);
    }
    struct hdabdl_engine_info ia = fx_info(fx->client, a.handle);
    assert_int_equal(ia.notification_events, 16);
    assert_int_equal(ia.notification_callbacks, 16);
}

static void test_registering_the_same_event_twice_is_invalid_parameter(void **state)
{
    struct fx *fx = *state;
    struct fx_bus b;
    struct fx_event ev;
    notification_buffer(fx, 2, SIZE, &b);
    register_event(fx, &b, &ev);
    assert_status(hdabdl_register_notification_event(fx->client, b.handle, &ev.event),
                  HDABDL_STATUS_INVALID_PARAMETER);
    assert_int_equal(fx_info(fx->client, b.handle).notification_events, 1);
}

static void test_registering_the_same_callback_and_context_twice_is_invalid_parameter(void **state)
{
    struct fx *fx = *state;
    struct fx_bus b;
    struct fx_callback_log log;
    notification_buffer(fx, 2, SIZE, &b);
    register_callback(fx, &b, &log);
    assert_status(hdabdl_register_notification_callback(fx->client, b.handle, fx,
                                                        fx_callback_record, &log),
                  HDABDL_STATUS_INVALID_PARAMETER);
    assert_int_equal(fx_info(fx->client, b.handle).notification_callbacks, 1);
}

static void test_a_slot_freed_by_unregister_can_be_used_again(void **state)
{
    struct fx *fx = *state;
    struct fx_bus b;
    struct fx_event ev[HDABDL_MAX_NOTIFICATION_EVENTS + 1];
    notification_buffer(fx, 2, SIZE, &b);
    for (unsigned i = 0; i < HDABDL_MAX_NOTIFICATION_EVENTS; i++)
        register_event(fx, &b, &ev[i]);
    assert_status(hdabdl_unregister_notification_event(fx->client, b.handle, &ev[5].event),
                  HDABDL_STATUS_SUCCESS);
    register_event(fx, &b, &ev[16]);
    assert_int_equal(fx_info(fx->client, b.handle).notification_events, 16);
}

static void test_unregister_of_an_unknown_event_is_invalid_parameter(void **state)
{
    struct fx *fx = *state;
    struct fx_bus b;
    struct fx_event ev, other;
    notification_buffer(fx, 2, SIZE, &b);
    register_event(fx, &b, &ev);
    fx_event_init(&other, fx);
    assert_status(hdabdl_unregister_notification_event(fx->client, b.handle, &other.event),
                  HDABDL_STATUS_INVALID_PARAMETER);
    assert_status(hdabdl_unregister_notification_event(fx->client, b.handle, NULL),
                  HDABDL_STATUS_INVALID_PARAMETER);
    assert_int_equal(fx_info(fx->client, b.handle).notification_events, 1);
}

static void test_unregister_of_an_event_registered_on_another_engine_is_invalid_parameter(
    void **state)
{
    struct fx *fx = *state;
    struct fx_bus a, b;
    struct fx_event ev;
    notification_buffer(fx, 2, SIZE, &a);
    notification_buffer(fx, 2, SIZE, &b);
    register_event(fx, &a, &ev);
    assert_status(hdabdl_unregister_notification_event(fx->client, b.handle, &ev.event),
                  HDABDL_STATUS_INVALID_PARAMETER);
    assert_int_equal(fx_info(fx->client, a.handle).notification_events, 1);
}

static void test_unregister_twice_is_invalid_parameter_the_second_time(void **state)
{
    struct fx *fx = *state;
    struct fx_bus b;
    struct fx_event ev;
    notification_buffer(fx, 2, SIZE, &b);
    register_event(fx, &b, &ev);
    assert_status(hdabdl_unregister_notification_event(fx->client, b.handle, &ev.event),
                  HDABDL_STATUS_SUCCESS);
    assert_status(hdabdl_unregister_notification_event(fx->client, b.handle, &ev.event),
                  HDABDL_STATUS_INVALID_PARAMETER);
}

static void other_callback(void *context, int64_t timestamp_ns)
{
    fx_callback_record(context, timestamp_ns);
}

static void test_unregister_of_a_callback_whose_context_differs_is_invalid_parameter(void **state)
{
    struct fx *fx = *state;
    struct fx_bus b;
    struct fx_callback_log log, other;
    memset(&other, 0, sizeof(other));
    notification_buffer(fx, 2, SIZE, &b);
    register_callback(fx, &b, &log);
    assert_status(hdabdl_unregister_notification_callback(fx->client, b.handle,
                                                          fx_callback_record, &other),
                  HDABDL_STATUS_INVALID_PARAMETER);
    assert_status(hdabdl_unregister_notification_callback(fx->client, b.handle,
                                                          fx_callback_record, NULL),
                  HDABDL_STATUS_INVALID_PARAMETER);
    start_and_settle(fx, &b);
    fx_advance_ms(fx, 100);
    assert_int_equal(log.calls, 2); /* still registered */
}

static void test_unregister_of_a_callback_that_differs_is_invalid_parameter(void **state)
{
    struct fx *fx = *state;
    struct fx_bus b;
    struct fx_callback_log log;
    notification_buffer(fx, 2, SIZE, &b);
    register_callback(fx, &b, &log);
    assert_status(hdabdl_unregister_notification_callback(fx->client, b.handle, other_callback,
                                                          &log),
                  HDABDL_STATUS_INVALID_PARAMETER);
    assert_status(hdabdl_unregister_notification_callback(fx->client, b.handle, NULL, &log),
                  HDABDL_STATUS_INVALID_PARAMETER);
    assert_int_equal(fx_info(fx->client, b.handle).notification_callbacks, 1);
}

static void test_unregister_matches_on_callback_and_context(void **state)
{
    struct fx *fx = *state;
    struct fx_bus b;
    struct fx_callback_log one, two;
    notification_buffer(fx, 2, SIZE, &b);
    register_callback(fx, &b, &one);
    register_callback(fx, &b, &two); /* the same callback, another context */
    assert_status(hdabdl_unregister_notification_callback(fx->client, b.handle,
                                                          fx_callback_record, &two),
                  HDABDL_STATUS_SUCCESS);
    start_and_settle(fx, &b);
    fx_advance_ms(fx, 100);
    assert_int_equal(one.calls, 2);
    assert_int_equal(two.calls, 0);
}

static void test_unregister_of_the_first_of_two_contexts_leaves_the_second_firing(void **state)
{
    struct fx *fx = *state;
    struct fx_bus b;
    struct fx_callback_log one, two;
    notification_buffer(fx, 2, SIZE, &b);
    register_callback(fx, &b, &one);
    register_callback(fx, &b, &two);
    assert_status(hdabdl_unregister_notification_callback(fx->client, b.handle,
                                                          fx_callback_record, &one),
                  HDABDL_STATUS_SUCCESS);
    start_and_settle(fx, &b);
    fx_advance_ms(fx, 100);
    assert_int_equal(one.calls, 0);
    assert_int_equal(two.calls, 2);
}

static void test_an_event_is_not_signalled_after_unregister_returns(void **state)
{
    struct fx *fx = *state;
    struct fx_bus b;
    struct fx_event ev;
    notification_buffer(fx, 2, SIZE, &b);
    register_event(fx, &b, &ev);
    start_and_settle(fx, &b);
    fx_advance_ms(fx, 100);
    assert_int_equal(ev.signals, 2);
    assert_status(hdabdl_unregister_notification_event(fx->client, b.handle, &ev.event),
                  HDABDL_STATUS_SUCCESS);
    fx_advance_ms(fx, 500);
    assert_int_equal(ev.signals, 2);
    assert_int_equal(fx_info(fx->client, b.handle).notification_events, 0);
}

static void test_a_callback_is_not_called_after_unregister_returns(void **state)
{
    struct fx *fx = *state;
    struct fx_bus b;
    struct fx_callback_log log;
    notification_buffer(fx, 2, SIZE, &b);
    register_callback(fx, &b, &log);
    start_and_settle(fx, &b);
    fx_advance_ms(fx, 100);
    assert_status(hdabdl_unregister_notification_callback(fx->client, b.handle,
                                                          fx_callback_record, &log),
                  HDABDL_STATUS_SUCCESS);
    fx_advance_ms(fx, 500);
    assert_int_equal(log.calls, 2);
}

static void test_events_and_callbacks_are_forgotten_when_the_engine_is_freed(void **state)
{
    struct fx *fx = *state;
    struct fx_bus b, again;
    struct fx_event ev;
    struct fx_callback_log log;
    notification_buffer(fx, 2, SIZE, &b);
    register_event(fx, &b, &ev);
    register_callback(fx, &b, &log);
    assert_status(fx_bus_free(&b), HDABDL_STATUS_SUCCESS);
    assert_status(hdabdl_free_dma_engine(fx->client, b.handle), HDABDL_STATUS_SUCCESS);
    notification_buffer(fx, 2, SIZE, &again);
    assert_int_equal(again.sd, b.sd); /* the same stream descriptor, a new engine */
    struct hdabdl_engine_info i = fx_info(fx->client, again.handle);
    assert_int_equal(i.notification_events, 0);
    assert_int_equal(i.notification_callbacks, 0);
    start_and_settle(fx, &again);
    fx_advance_ms(fx, 200);
    assert_int_equal(ev.signals, 0);
    assert_int_equal(log.calls, 0);
    assert_status(hdabdl_unregister_notification_event(fx->client, again.handle, &ev.event),
                  HDABDL_STATUS_INVALID_PARAMETER);
}

static void test_events_and_callbacks_are_forgotten_when_the_client_closes(void **state)
{
    struct fx *fx = *state;
    struct fx_bus b, other;
    struct fx_event ev;
    struct fx_callback_log log;
    notification_buffer(fx, 2, SIZE, &b);
    register_event(fx, &b, &ev);
    register_callback(fx, &b, &log);
    start_and_settle(fx, &b);
    assert_int_equal(ev.signals, 0);
    fx_advance_ms(fx, 50);
    assert_int_equal(ev.signals, 1);
    assert_int_equal(log.calls, 1);
    hdabdl_client_close(fx->client);
    fx->client = NULL;
    /* The other client gets the same stream descriptor: it hears nothing of them. */
    struct hdabdl_stream_format f = fx_format_default();
    fx_bus_render(fx->client2, &f, 2, SIZE, &other);
    assert_int_equal(other.sd, b.sd);
    start_and_settle(fx, &other);
    fx_advance_ms(fx, 200);
    assert_int_equal(ev.signals, 1);
    assert_int_equal(log.calls, 1);
    struct hdabdl_engine_info i = fx_info(fx->client2, other.handle);
    assert_int_equal(i.notification_events, 0);
    assert_int_equal(i.notification_callbacks, 0);
}

static void test_registration_counts_show_in_engine_info(void **state)
{
    struct fx *fx = *state;
    struct fx_bus b;
    struct fx_event ev[2];
    struct fx_callback_log log[3];
    notification_buffer(fx, 2, SIZE, &b);
    for (unsigned i = 0; i < 2; i++)
        register_event(fx, &b, &ev[i]);
    for (unsigned i = 0; i < 3; i++)
        register_callback(fx, &b, &log[i]);
    struct hdabdl_engine_info i = fx_info(fx->client, b.handle);
    assert_int_equal(i.notification_events, 2);
    assert_int_equal(i.notification_callbacks, 3);
}

static void test_register_with_bad_arguments_is_invalid_parameter(void **state)
{
    struct fx *fx = *state;
    struct fx_bus b;
    struct hdabdl_notification_event no_signal = {NULL};
    notification_buffer(fx, 2, SIZE, &b);
    assert_status(hdabdl_register_notification_event(fx->client, b.handle, NULL),
                  HDABDL_STATUS_INVALID_PARAMETER);
    assert_status(hdabdl_register_notification_event(fx->client, b.handle, &no_signal),
                  HDABDL_STATUS_INVALID_PARAMETER);
    assert_status(hdabdl_register_notification_callback(fx->client, b.handle, fx, NULL, NULL),
                  HDABDL_STATUS_INVALID_PARAMETER);
    struct hdabdl_engine_info i = fx_info(fx->client, b.handle);
    assert_int_equal(i.notification_events, 0);
    assert_int_equal(i.notification_callbacks, 0);
}

static void test_register_on_a_forged_or_foreign_handle_is_invalid_handle(void **state)
{
    struct fx *fx = *state;
    struct fx_bus b;
    struct fx_event ev;
    struct fx_callback_log log;
    notification_buffer(fx, 2, SIZE, &b);
    fx_event_init(&ev, fx);
    memset(&log, 0, sizeof(log));
    assert_status(hdabdl_register_notification_event(fx->client, FX_FORGED_HANDLE, &ev.event),
                  HDABDL_STATUS_INVALID_HANDLE);
    assert_status(hdabdl_register_notification_event(fx->client2, b.handle, &ev.event),
                  HDABDL_STATUS_INVALID_HANDLE);
    assert_status(hdabdl_register_notification_callback(fx->client2, b.handle, fx,
                                                        fx_callback_record, &log),
                  HDABDL_STATUS_INVALID_HANDLE);
    assert_status(hdabdl_unregister_notification_event(fx->client2, b.handle, &ev.event),
                  HDABDL_STATUS_INVALID_HANDLE);
    assert_status(hdabdl_unregister_notification_callback(fx->client2, b.handle,
                                                          fx_callback_record, &log),
                  HDABDL_STATUS_INVALID_HANDLE);
}

static void test_an_event_registered_before_the_buffer_fires_once_it_runs(void **state)
{
    struct fx *fx = *state;
    struct fx_bus b;
    struct fx_event ev;
    engine_only(fx, &b);
    register_event(fx, &b, &ev);
    assert_status(fx_bus_try_alloc(&b, 2, SIZE), HDABDL_STATUS_SUCCESS);
    start_and_settle(fx, &b);
    fx_advance_ms(fx, 1000);
    assert_int_equal(ev.signals, 20);
}

#define T(name) cmocka_unit_test_setup_teardown(name, fx_setup, fx_teardown)
#define T2(name) cmocka_unit_test_setup_teardown(name, fx_setup_two_clients, fx_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_notification_count_0_is_invalid_parameter),
        T(test_notification_count_3_is_invalid_parameter),
        T(test_a_null_offset_from_first_page_is_invalid_parameter),
        T(test_count_1_puts_ioc_only_at_the_end),
        T(test_count_2_puts_ioc_at_the_midpoint_and_the_end),
        T(test_count_2_midpoint_is_exactly_half_the_allocated_size),
        T(test_count_2_midpoint_falls_on_an_entry_boundary_inside_a_page),
        T(test_count_1_with_pages_puts_ioc_only_at_the_end),
        T(test_offset_from_first_page_is_reported_and_is_0),
        T(test_the_outputs_match_the_engine),
        T(test_count_2_signals_an_event_20_times_a_second),
        T(test_count_1_signals_an_event_10_times_a_second),
        T(test_count_2_signals_are_50_ms_apart),
        T(test_a_count_1_event_follows_the_allocated_size_not_the_requested_one),
        T(test_every_registered_event_and_callback_fires_on_every_completion),
        T(test_events_of_one_engine_do_not_fire_for_another),
        T(test_an_event_on_a_paused_engine_is_not_signalled),
        T(test_an_event_fires_for_a_v1_buffer_at_every_wrap),
        T(test_callbacks_get_the_context_they_were_registered_with),
        T(test_callback_timestamps_increase),
        T(test_callback_timestamps_are_50_ms_apart_with_count_2),
        T(test_a_callback_timestamp_lies_within_the_interrupts_frame),
        T(test_a_callback_timestamp_is_the_time_of_the_ioc_not_of_a_later_poll),
        T(test_count_2_callbacks_come_at_the_midpoint_and_the_wrap),
        T(test_free_with_the_allocated_size_succeeds),
        T(test_free_with_the_requested_size_succeeds),
        T(test_free_with_another_size_is_invalid_parameter),
        T(test_free_with_another_mdl_is_invalid_parameter),
        T(test_free_with_notification_without_a_buffer_is_idr),
        T(test_free_with_notification_while_running_is_idr),
        T(test_a_notification_buffer_may_be_allocated_again_after_free),
        T(test_16_events_register_and_the_17th_is_insufficient_resources),
        T(test_16_callbacks_register_and_the_17th_is_insufficient_resources),
        T(test_the_limits_are_per_engine_and_separate_for_events_and_callbacks),
        T(test_registering_the_same_event_twice_is_invalid_parameter),
        T(test_registering_the_same_callback_and_context_twice_is_invalid_parameter),
        T(test_a_slot_freed_by_unregister_can_be_used_again),
        T(test_unregister_of_an_unknown_event_is_invalid_parameter),
        T(test_unregister_of_an_event_registered_on_another_engine_is_invalid_parameter),
        T(test_unregister_twice_is_invalid_parameter_the_second_time),
        T(test_unregister_of_a_callback_whose_context_differs_is_invalid_parameter),
        T(test_unregister_of_a_callback_that_differs_is_invalid_parameter),
        T(test_unregister_matches_on_callback_and_context),
        T(test_unregister_of_the_first_of_two_contexts_leaves_the_second_firing),
        T(test_an_event_is_not_signalled_after_unregister_returns),
        T(test_a_callback_is_not_called_after_unregister_returns),
        T(test_events_and_callbacks_are_forgotten_when_the_engine_is_freed),
        T2(test_events_and_callbacks_are_forgotten_when_the_client_closes),
        T(test_registration_counts_show_in_engine_info),
        T2(test_register_on_a_forged_or_foreign_handle_is_invalid_handle),
        T(test_register_with_bad_arguments_is_invalid_parameter),
        T(test_an_event_registered_before_the_buffer_fires_once_it_runs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
