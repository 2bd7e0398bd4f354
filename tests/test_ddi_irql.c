/* SPDX-License-Identifier: MIT */
/*
 * test_ddi_irql.c - the DDI's IRQL rules made portable (ddi.md §6.3, §9 #7):
 * inside an interrupt-time callback (a BDL ISR, a V3 notification callback,
 * a V2 event's signal, a transfer-complete callback) the routines the DDI
 * allows only at PASSIVE_LEVEL return STATUS_UNSUCCESSFUL and change nothing;
 * SetDmaEngineState, FreeDmaEngine, GetWallClockRegister,
 * GetLinkPositionRegister and asynchronous TransferCodecVerbs work there, and
 * a stream reset there busy-waits instead of sleeping.
 *
 * Each PASSIVE-only routine is one named test per context, generated from
 * the ROUTINES table below. After the refusal the same call is made at
 * passive level and succeeds, so the refusal came from the context alone.
 */
#include "support/fixture.h"

#include <pthread.h>
#include <string.h>

#define SIZE 19200u
#define FRAG 1920u   /* 10 ms */

enum context { IN_BDL_ISR, IN_NOTIFICATION_CALLBACK };

/* What the routines write: all 0xA5 before a call, to see whether anything was written. */
struct outs {
    hdabdl_handle handle;
    hdabdl_converter_format conv;
    struct hdabdl_mdl *mdl;
    size_t size;
    size_t offset;
    uint8_t u8a;
    uint8_t u8b;
    uint32_t u32;
    void *ptr;
    uint64_t bus1;
    uint64_t bus2;
    struct hdabdl_buffer_descriptor *bdl;
    struct hdabdl_device_information info;
    struct hdabdl_codec_transfer xfer;
};

/* The library state a refused call must leave as it was. */
struct snapshot {
    size_t dma_blocks;
    struct hdabdl_bandwidth_info bw;
    struct hdabdl_engine_info spare, v1, v2, contig;
    uint64_t verbs_sent;
};

struct world;
typedef hdabdl_status (*routine_fn)(struct world *w);

struct world {
    struct fx *fx;
    enum context ctx;
    /* The engine whose interrupts give the context. */
    struct fx_stream drv;            /* IN_BDL_ISR: contiguous buffer, IOC on every entry */
    struct fx_bus ndrv;              /* IN_NOTIFICATION_CALLBACK: notification buffer, count 2 */
    struct fx_callback_log ndrv_log;
    /* Targets of the routines, all in Reset. */
    hdabdl_handle spare;             /* render engine without a buffer */
    struct fx_bus v1;                /* AllocateDmaBuffer */
    struct fx_bus v2;                /* AllocateDmaBufferWithNotification, with ... */
    struct fx_event v2_event;        /* ... an event and ... */
    struct fx_callback_log v2_log;   /* ... a callback registered */
    struct fx_event new_event;       /* for RegisterNotificationEvent */
    struct fx_callback_log new_log;  /* for RegisterNotificationCallback */
    struct fx_stream contig;         /* contiguous buffer, BDL written, not set up */
    uint8_t unsol_tag;               /* a registered unsolicited-response tag */
    struct outs outs;
    /* What runs at interrupt time, once. */
    routine_fn call;
    unsigned calls;
    hdabdl_status got;
    /* Busy-waits and time across the call (spying HAL only). */
    uint64_t delay_us, elapsed_ns;
    hdabdl_status got2;
};

static void cfg_eight_outputs(struct hdabdl_mock_hal_config *c)
{
    c->device.output_streams = 8;
}
static int setup(void **state) { return fx_setup_with(state, cfg_eight_outputs, 1); }
static int setup_spy(void **state) { return fx_setup_spy_with(state, cfg_eight_outputs); }

static void on_unsolicited(hdabdl_codec_response response, void *context)
{
    (void)response;
    (void)context;
}

static uint32_t vendor_id_verb(void)
{
    return HDABDL_VERB12(0, 0, HDABDL_VERB_GET_PARAMETER, HDABDL_PARAM_VENDOR_ID);
}

static void prepare_outs(struct world *w)
{
    memset(&w->outs, 0xA5, sizeof(w->outs));
    w->outs.info.size = (uint16_t)sizeof(w->outs.info);
    memset(&w->outs.xfer, 0, sizeof(w->outs.xfer));
    w->outs.xfer.output.command = vendor_id_verb();
}

static void take_snapshot(struct world *w, struct snapshot *s)
{
    struct fx *fx = w->fx;
    memset(s, 0, sizeof(*s));
    s->dma_blocks = hdabdl_mock_hal_dma_blocks(fx->hal);
    s->bw = fx_bandwidth(fx);
    s->spare = fx_info(fx->client, w->spare);
    s->v1 = fx_info(fx->client, w->v1.handle);
    s->v2 = fx_info(fx->client, w->v2.handle);
    s->contig = fx_info(fx->client, w->contig.handle);
    s->verbs_sent = fx_cmd_stats(fx).verbs_sent;
}

static void assert_same_snapshot(const struct snapshot *a, const struct snapshot *b)
{
    assert_int_equal(a->dma_blocks, b->dma_blocks);
    assert_memory_equal(&a->bw, &b->bw, sizeof(a->bw));
    assert_memory_equal(&a->spare, &b->spare, sizeof(a->spare));
    assert_memory_equal(&a->v1, &b->v1, sizeof(a->v1));
    assert_memory_equal(&a->v2, &b->v2, sizeof(a->v2));
    assert_memory_equal(&a->contig, &b->contig, sizeof(a->contig));
    assert_int_equal(a->verbs_sent, b->verbs_sent);
}

/* Runs w->call once, at interrupt time. */
static void call_once(struct world *w)
{
    if (w->calls++ == 0 && w->call) {
        uint64_t d0 = fx_spy.delay_us, t0 = hdabdl_mock_now(w->fx->dev);
        w->got = w->call(w);
        w->delay_us = fx_spy.delay_us - d0;
        w->elapsed_ns = hdabdl_mock_now(w->fx->dev) - t0;
    }
}

static void isr_hook(struct fx_isr_log *log, uint32_t mask)
{
    (void)mask;
    call_once(log->hook_ctx);
}

static void callback_hook(struct fx_callback_log *log, int64_t ts)
{
    (void)ts;
    call_once(log->hook_ctx);
}

static void build_world(struct fx *fx, enum context ctx, struct world *w)
{
    struct hdabdl_stream_format f = fx_format_default();
    memset(w, 0, sizeof(*w));
    w->fx = fx;
    w->ctx = ctx;
    if (ctx == IN_BDL_ISR) {
        fx_render_stream(fx->client, &f, 4, FRAG, true, &w->drv);
        w->drv.log.hook = isr_hook;
        w->drv.log.hook_ctx = w;
    } else {
        fx_bus_render(fx->client, &f, 2, SIZE, &w->ndrv);
        w->ndrv_log.hook = callback_hook;
        w->ndrv_log.hook_ctx = w;
        assert_status(hdabdl_register_notification_callback(fx->client, w->ndrv.handle, fx,
                                                            fx_callback_record, &w->ndrv_log),
                      HDABDL_STATUS_SUCCESS);
    }
    w->spare = fx_alloc_render(fx->client, &f, false);
    fx_bus_render(fx->client, &f, 0, SIZE, &w->v1);
    fx_bus_render(fx->client, &f, 2, SIZE, &w->v2);
    fx_event_init(&w->v2_event, fx);
    assert_status(hdabdl_register_notification_event(fx->client, w->v2.handle, &w->v2_event.event),
                  HDABDL_STATUS_SUCCESS);
    assert_status(hdabdl_register_notification_callback(fx->client, w->v2.handle, fx,
                                                        fx_callback_record, &w->v2_log),
                  HDABDL_STATUS_SUCCESS);
    fx_event_init(&w->new_event, fx);
    w->contig.client = fx->client;
    w->contig.format = f;
    w->contig.handle = fx_alloc_render(fx->client, &f, false);
    fx_alloc_buffer(&w->contig, 2 * FRAG);
    fx_fill_bdl(&w->contig, 2, FRAG, false);
    assert_status(hdabdl_register_event_callback(fx->client, on_unsolicited, w, &w->unsol_tag),
                  HDABDL_STATUS_SUCCESS);
}

static hdabdl_handle driver(const struct world *w)
{
    return w->ctx == IN_BDL_ISR ? w->drv.handle : w->ndrv.handle;
}

static unsigned driver_interrupts(const struct world *w)
{
    return w->ctx == IN_BDL_ISR ? w->drv.log.calls : w->ndrv_log.calls;
}

/* Start the driver engine and run until @w->call has run at interrupt time. */
static void run_at_interrupt_time(struct world *w, routine_fn call)
{
    w->call = call;
    if (w->ctx == IN_BDL_ISR)
        fx_start_stream(&w->drv);
    else
        fx_bus_start(&w->ndrv);
    fx_advance_ms(w->fx, 60);
    assert_true(w->calls >= 1);
}

/* ---- The PASSIVE-only routines --------------------------------------------------------------- */

static hdabdl_status call_allocate_capture_dma_engine(struct world *w)
{
    struct hdabdl_stream_format f = fx_format_default();
    return hdabdl_allocate_capture_dma_engine(w->fx->client, 0, &f, &w->outs.handle,
                                              &w->outs.conv);
}

static hdabdl_status call_allocate_render_dma_engine(struct world *w)
{
    struct hdabdl_stream_format f = fx_format_default();
    return hdabdl_allocate_render_dma_engine(w->fx->client, &f, false, &w->outs.handle,
                                             &w->outs.conv);
}

static hdabdl_status call_change_bandwidth_allocation(struct world *w)
{
    struct hdabdl_stream_format f = fx_format(48000, 16, 16, 1);
    return hdabdl_change_bandwidth_allocation(w->fx->client, w->spare, &f, &w->outs.conv);
}

static hdabdl_status call_allocate_dma_buffer(struct world *w)
{
    return hdabdl_allocate_dma_buffer(w->fx->client, w->spare, SIZE, &w->outs.mdl, &w->outs.size,
                                      &w->outs.u8a, &w->outs.u32);
}

static hdabdl_status call_free_dma_buffer(struct world *w)
{
    return hdabdl_free_dma_buffer(w->fx->client, w->v1.handle);
}

static hdabdl_status call_allocate_dma_buffer_with_notification(struct world *w)
{
    return hdabdl_allocate_dma_buffer_with_notification(w->fx->client, w->spare, 2, SIZE,
                                                        &w->outs.mdl, &w->outs.size,
                                                        &w->outs.offset, &w->outs.u8a,
                                                        &w->outs.u32);
}

static hdabdl_status call_free_dma_buffer_with_notification(struct world *w)
{
    return hdabdl_free_dma_buffer_with_notification(w->fx->client, w->v2.handle, w->v2.mdl,
                                                    w->v2.allocated);
}

static hdabdl_status call_allocate_contiguous_dma_buffer(struct world *w)
{
    return hdabdl_allocate_contiguous_dma_buffer(w->fx->client, w->spare, 4096, &w->outs.ptr,
                                                 &w->outs.bus1, &w->outs.bdl, &w->outs.bus2);
}

static hdabdl_status call_free_contiguous_dma_buffer(struct world *w)
{
    return hdabdl_free_contiguous_dma_buffer(w->fx->client, w->contig.handle);
}

static hdabdl_status call_setup_dma_engine_with_bdl(struct world *w)
{
    return hdabdl_setup_dma_engine_with_bdl(w->fx->client, w->contig.handle, 2 * FRAG, 1,
                                            fx_isr_record, &w->contig.log, &w->outs.u8a,
                                            &w->outs.u32);
}

static hdabdl_status call_register_event_callback(struct world *w)
{
    return hdabdl_register_event_callback(w->fx->client, on_unsolicited, w, &w->outs.u8a);
}

static hdabdl_status call_unregister_event_callback(struct world *w)
{
    return hdabdl_unregister_event_callback(w->fx->client, w->unsol_tag);
}

static hdabdl_status call_get_device_information(struct world *w)
{
    return hdabdl_get_device_information(w->fx->client, &w->outs.info);
}

static hdabdl_status call_get_resource_information(struct world *w)
{
    return hdabdl_get_resource_information(w->fx->client, &w->outs.u8a, &w->outs.u8b);
}

static hdabdl_status call_register_notification_event(struct world *w)
{
    return hdabdl_register_notification_event(w->fx->client, w->v2.handle, &w->new_event.event);
}

static hdabdl_status call_unregister_notification_event(struct world *w)
{
    return hdabdl_unregister_notification_event(w->fx->client, w->v2.handle, &w->v2_event.event);
}

static hdabdl_status call_register_notification_callback(struct world *w)
{
    return hdabdl_register_notification_callback(w->fx->client, w->v2.handle, w->fx,
                                                 fx_callback_record, &w->new_log);
}

static hdabdl_status call_unregister_notification_callback(struct world *w)
{
    return hdabdl_unregister_notification_callback(w->fx->client, w->v2.handle,
                                                   fx_callback_record, &w->v2_log);
}

static hdabdl_status call_synchronous_transfer_codec_verbs(struct world *w)
{
    return hdabdl_transfer_codec_verbs(w->fx->client, 1, &w->outs.xfer, NULL, NULL);
}

/* The rule: refused at interrupt time, nothing changed, and the same call works at passive. */
static void refused_at_interrupt_time(struct fx *fx, enum context ctx, routine_fn call)
{
    static struct world w; /* outlives nothing, but large: keep it off the stack */
    struct snapshot before, after;
    build_world(fx, ctx, &w);
    prepare_outs(&w);
    struct outs sentinel = w.outs;
    take_snapshot(&w, &before);
    run_at_interrupt_time(&w, call);
    assert_status(w.got, HDABDL_STATUS_UNSUCCESSFUL);
    assert_memory_equal(&w.outs, &sentinel, sizeof(sentinel));
    take_snapshot(&w, &after);
    assert_same_snapshot(&before, &after);
    assert_int_equal(w.v2_event.signals, 0); /* v2 never ran: its registrations untouched */
    /* Back at passive level the same call does its work. */
    assert_status(call(&w), HDABDL_STATUS_SUCCESS);
}

#define ROUTINES(X)                                 \
    X(allocate_capture_dma_engine)                  \
    X(allocate_render_dma_engine)                   \
    X(change_bandwidth_allocation)                  \
    X(allocate_dma_buffer)                          \
    X(free_dma_buffer)                              \
    X(allocate_dma_buffer_with_notification)        \
    X(free_dma_buffer_with_notification)            \
    X(allocate_contiguous_dma_buffer)               \
    X(free_contiguous_dma_buffer)                   \
    X(setup_dma_engine_with_bdl)                    \
    X(register_event_callback)                      \
    X(unregister_event_callback)                    \
    X(get_device_information)                       \
    X(get_resource_information)                     \
    X(register_notification_event)                  \
    X(unregister_notification_event)                \
    X(register_notification_callback)               \
    X(unregister_notification_callback)             \
    X(synchronous_transfer_codec_verbs)

#define DEFINE_REFUSED(name)                                                                  \
    static void test_##name##_in_a_bdl_isr_is_unsuccessful_and_changes_nothing(void **state) \
    {                                                                                         \
        refused_at_interrupt_time(*state, IN_BDL_ISR, call_##name);                           \
    }                                                                                         \
    static void test_##name##_in_a_notification_callback_is_unsuccessful_and_changes_nothing( \
        void **state)                                                                         \
    {                                                                                         \
        refused_at_interrupt_time(*state, IN_NOTIFICATION_CALLBACK, call_##name);             \
    }
ROUTINES(DEFINE_REFUSED)

/* ---- Other interrupt-time callbacks ---------------------------------------------------------- */

struct signal_probe {
    struct hdabdl_notification_event event;   /* first: the library hands this back */
    hdabdl_client *client;
    unsigned signals;
    hdabdl_status got;
    hdabdl_handle handle;
};

static void probe_signal(struct hdabdl_notification_event *event)
{
    struct signal_probe *p = (struct signal_probe *)(void *)event;
    if (p->signals++ == 0) {
        struct hdabdl_stream_format f = fx_format_default();
        hdabdl_converter_format conv;
        p->got = hdabdl_allocate_render_dma_engine(p->client, &f, false, &p->handle, &conv);
    }
}

static void test_allocate_render_in_a_notification_event_signal_is_unsuccessful(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_stream_format f = fx_format_default();
    struct fx_bus b;
    struct signal_probe p;
    memset(&p, 0, sizeof(p));
    p.event.signal = probe_signal;
    p.client = fx->client;
    p.got = HDABDL_STATUS_SUCCESS;
    fx_bus_render(fx->client, &f, 2, SIZE, &b);
    assert_status(hdabdl_register_notification_event(fx->client, b.handle, &p.event),
                  HDABDL_STATUS_SUCCESS);
    struct hdabdl_bandwidth_info bw = fx_bandwidth(fx);
    fx_bus_start(&b);
    fx_advance_ms(fx, 60);
    assert_true(p.signals >= 1);
    assert_status(p.got, HDABDL_STATUS_UNSUCCESSFUL);
    struct hdabdl_bandwidth_info bw2 = fx_bandwidth(fx);
    assert_memory_equal(&bw, &bw2, sizeof(bw));
}

struct completion_probe {
    struct hdabdl_codec_transfer xfer;
    hdabdl_client *client;
    unsigned completions;
    hdabdl_status got;
};

static void probe_completion(struct hdabdl_codec_transfer *transfer, void *context)
{
    (void)transfer;
    struct completion_probe *p = context;
    p->completions++;
    struct hdabdl_stream_format f = fx_format_default();
    hdabdl_handle h;
    hdabdl_converter_format conv;
    p->got = hdabdl_allocate_render_dma_engine(p->client, &f, false, &h, &conv);
}

static void test_allocate_render_in_a_transfer_complete_callback_is_unsuccessful(void **state)
{
    struct fx *fx = *state;
    static struct completion_probe p;
    memset(&p, 0, sizeof(p));
    p.client = fx->client;
    p.got = HDABDL_STATUS_SUCCESS;
    p.xfer.output.command = vendor_id_verb();
    assert_status(hdabdl_transfer_codec_verbs(fx->client, 1, &p.xfer, probe_completion, &p),
                  HDABDL_STATUS_SUCCESS);
    fx_advance_ms(fx, 5);
    assert_int_equal(p.completions, 1);
    assert_status(p.got, HDABDL_STATUS_UNSUCCESSFUL);
}

/* The level is the calling thread's: while a callback runs on one thread,
 * another thread calling a PASSIVE-only routine is at passive level. */
struct other_thread_probe {
    struct hdabdl_codec_transfer xfer;
    hdabdl_client *client;
    unsigned completions;
    hdabdl_status in_callback, from_other_thread;
    hdabdl_handle handle;
};

static void *other_thread_main(void *arg)
{
    struct other_thread_probe *p = arg;
    struct hdabdl_stream_format f = fx_format_default();
    hdabdl_converter_format conv;
    p->from_other_thread = hdabdl_allocate_render_dma_engine(p->client, &f, false, &p->handle, &conv);
    return NULL;
}

static void probe_other_thread(struct hdabdl_codec_transfer *transfer, void *context)
{
    (void)transfer;
    struct other_thread_probe *p = context;
    struct hdabdl_stream_format f = fx_format_default();
    hdabdl_handle h;
    hdabdl_converter_format conv;
    pthread_t th;
    p->completions++;
    p->in_callback = hdabdl_allocate_render_dma_engine(p->client, &f, false, &h, &conv);
    /* The callback waits for the other thread: that call runs while it runs. */
    if (pthread_create(&th, NULL, other_thread_main, p) == 0)
        pthread_join(th, NULL);
}

static void test_a_passive_call_from_another_thread_while_a_callback_runs_is_not_refused(void **state)
{
    struct fx *fx = *state;
    static struct other_thread_probe p;
    memset(&p, 0, sizeof(p));
    p.client = fx->client;
    p.in_callback = HDABDL_STATUS_SUCCESS;          /* both must be written */
    p.from_other_thread = HDABDL_STATUS_UNSUCCESSFUL;
    p.xfer.output.command = vendor_id_verb();
    assert_status(hdabdl_transfer_codec_verbs(fx->client, 1, &p.xfer, probe_other_thread, &p),
                  HDABDL_STATUS_SUCCESS);
    fx_advance_ms(fx, 5);
    assert_int_equal(p.completions, 1);
    assert_status(p.in_callback, HDABDL_STATUS_UNSUCCESSFUL);   /* this thread: raised */
    assert_status(p.from_other_thread, HDABDL_STATUS_SUCCESS);  /* that one: passive */
    assert_status(hdabdl_free_dma_engine(fx->client, p.handle), HDABDL_STATUS_SUCCESS);
}

/* ---- What works at interrupt time -------------------------------------------------------------- */

static hdabdl_status call_pause_the_driver(struct world *w)
{
    return fx_state1(w->fx->client, HDABDL_PAUSE_STATE, driver(w));
}

static void pause_from(struct fx *fx, enum context ctx)
{
    static struct world w;
    build_world(fx, ctx, &w);
    run_at_interrupt_time(&w, call_pause_the_driver);
    assert_status(w.got, HDABDL_STATUS_SUCCESS);
    assert_int_equal(fx_info(fx->client, driver(&w)).state, HDABDL_PAUSE_STATE);
    unsigned seen = driver_interrupts(&w);
    fx_advance_ms(fx, 100);
    assert_int_equal(driver_interrupts(&w), seen); /* stopped: no more completions */
}

static void test_set_dma_engine_state_pause_works_in_a_bdl_isr(void **state)
{
    pause_from(*state, IN_BDL_ISR);
}

static void test_set_dma_engine_state_pause_works_in_a_notification_callback(void **state)
{
    pause_from(*state, IN_NOTIFICATION_CALLBACK);
}

static hdabdl_status call_free_the_spare_engine(struct world *w)
{
    return hdabdl_free_dma_engine(w->fx->client, w->spare);
}

static hdabdl_status call_free_an_engine_with_a_buffer(struct world *w)
{
    return hdabdl_free_dma_engine(w->fx->client, w->v1.handle);
}

static void free_engine_from(struct fx *fx, enum context ctx)
{
    static struct world w;
    struct hdabdl_engine_info info;
    build_world(fx, ctx, &w);
    run_at_interrupt_time(&w, call_free_the_spare_engine);
    assert_status(w.got, HDABDL_STATUS_SUCCESS);
    assert_status(hdabdl_engine_get_info(fx->client, w.spare, &info), HDABDL_STATUS_INVALID_HANDLE);
}

static void free_engine_with_buffer_from(struct fx *fx, enum context ctx)
{
    static struct world w;
    build_world(fx, ctx, &w);
    run_at_interrupt_time(&w, call_free_an_engine_with_a_buffer);
    assert_status(w.got, HDABDL_STATUS_INVALID_DEVICE_REQUEST); /* the rule, not the IRQL */
    assert_int_equal(fx_info(fx->client, w.v1.handle).buffer_kind, HDABDL_BUFFER_KIND_BUS);
}

static void test_free_dma_engine_works_in_a_bdl_isr(void **state)
{
    free_engine_from(*state, IN_BDL_ISR);
}

static void test_free_dma_engine_works_in_a_notification_callback(void **state)
{
    free_engine_from(*state, IN_NOTIFICATION_CALLBACK);
}

static void test_free_dma_engine_with_a_buffer_is_idr_not_unsuccessful_in_a_bdl_isr(void **state)
{
    free_engine_with_buffer_from(*state, IN_BDL_ISR);
}

static void test_free_dma_engine_with_a_buffer_is_idr_not_unsuccessful_in_a_callback(void **state)
{
    free_engine_with_buffer_from(*state, IN_NOTIFICATION_CALLBACK);
}

static hdabdl_status call_get_wall_clock(struct world *w)
{
    const volatile uint32_t *p = NULL;
    hdabdl_status st = hdabdl_get_wall_clock_register(w->fx->client, &p);
    w->outs.ptr = (void *)(uintptr_t)p;
    return st;
}

static void wall_clock_from(struct fx *fx, enum context ctx)
{
    static struct world w;
    build_world(fx, ctx, &w);
    run_at_interrupt_time(&w, call_get_wall_clock);
    assert_status(w.got, HDABDL_STATUS_SUCCESS);
    const volatile uint32_t *p = (const volatile uint32_t *)(uintptr_t)w.outs.ptr;
    assert_non_null(p);
    uint32_t a = *p;
    fx_advance_ms(fx, 1);
    assert_true(*p != a); /* the live register */
}

static void test_get_wall_clock_register_works_in_a_bdl_isr(void **state)
{
    wall_clock_from(*state, IN_BDL_ISR);
}

static void test_get_wall_clock_register_works_in_a_notification_callback(void **state)
{
    wall_clock_from(*state, IN_NOTIFICATION_CALLBACK);
}

static hdabdl_status call_get_link_position(struct world *w)
{
    const volatile uint32_t *p = NULL;
    hdabdl_status st = hdabdl_get_link_position_register(w->fx->client, driver(w), &p);
    w->outs.ptr = (void *)(uintptr_t)p;
    if (p)
        w->outs.u32 = *p;
    return st;
}

static void link_position_from(struct fx *fx, enum context ctx)
{
    static struct world w;
    build_world(fx, ctx, &w);
    run_at_interrupt_time(&w, call_get_link_position);
    assert_status(w.got, HDABDL_STATUS_SUCCESS);
    assert_non_null(w.outs.ptr);
    /* At the first completion: the end of fragment 0 (BDL) or the midpoint (count 2). */
    uint32_t want = ctx == IN_BDL_ISR ? FRAG : SIZE / 2;
    assert_true(w.outs.u32 >= want && w.outs.u32 <= want + 200);
}

static void test_get_link_position_register_works_in_a_bdl_isr(void **state)
{
    link_position_from(*state, IN_BDL_ISR);
}

static void test_get_link_position_register_works_in_a_notification_callback(void **state)
{
    link_position_from(*state, IN_NOTIFICATION_CALLBACK);
}

static unsigned async_done;
static uint64_t async_response;

static void async_complete(struct hdabdl_codec_transfer *transfer, void *context)
{
    (void)context;
    async_done++;
    async_response = transfer->input.complete_response;
}

static hdabdl_status call_async_transfer(struct world *w)
{
    return hdabdl_transfer_codec_verbs(w->fx->client, 1, &w->outs.xfer, async_complete, w);
}

static void async_transfer_from(struct fx *fx, enum context ctx)
{
    static struct world w;
    uint64_t want = fx_verb(fx->client, vendor_id_verb());
    async_done = 0;
    async_response = 0;
    build_world(fx, ctx, &w);
    prepare_outs(&w);
    run_at_interrupt_time(&w, call_async_transfer);
    assert_status(w.got, HDABDL_STATUS_SUCCESS);
    fx_advance_ms(fx, 5);
    assert_int_equal(async_done, 1);
    assert_int_equal(async_response, want);
    assert_true(HDABDL_RESPONSE_IS_VALID(async_response));
}

static void test_asynchronous_transfer_codec_verbs_works_in_a_bdl_isr(void **state)
{
    async_transfer_from(*state, IN_BDL_ISR);
}

static void test_asynchronous_transfer_codec_verbs_works_in_a_notification_callback(void **state)
{
    async_transfer_from(*state, IN_NOTIFICATION_CALLBACK);
}

/* ---- Stream reset at interrupt time: busy-waits only ------------------------------------------ */

static hdabdl_status call_pause_then_reset(struct world *w)
{
    hdabdl_status st = fx_state1(w->fx->client, HDABDL_PAUSE_STATE, driver(w));
    w->got2 = fx_state1(w->fx->client, HDABDL_RESET_STATE, driver(w));
    return st;
}

static void reset_from(struct fx *fx, enum context ctx)
{
    static struct world w;
    build_world(fx, ctx, &w);
    uint64_t delays = fx_spy.delay_calls;
    run_at_interrupt_time(&w, call_pause_then_reset);
    assert_status(w.got, HDABDL_STATUS_SUCCESS);
    assert_status(w.got2, HDABDL_STATUS_SUCCESS);
    struct hdabdl_engine_info i = fx_info(fx->client, driver(&w));
    assert_int_equal(i.state, HDABDL_RESET_STATE);
    assert_int_equal(i.buffer, HDABDL_BUFFER_PROGRAMMED);
    /* It returned, and the only time that passed was the busy-waits' own. */
    assert_true(fx_spy.delay_calls > delays);
    assert_true(w.delay_us > 0);
    assert_int_equal(w.elapsed_ns, w.delay_us * 1000u);
    assert_true(w.delay_us < 10000); /* bounded: SRST and RUN handshakes, not a sleep */
    /* The engine is programmed again: it runs from passive level. */
    assert_status(fx_state1(fx->client, HDABDL_PAUSE_STATE, driver(&w)), HDABDL_STATUS_SUCCESS);
    assert_status(fx_state1(fx->client, HDABDL_RUN_STATE, driver(&w)), HDABDL_STATUS_SUCCESS);
    unsigned seen = driver_interrupts(&w);
    fx_advance_ms(fx, 60);
    assert_true(driver_interrupts(&w) > seen);
}

static void test_pause_then_reset_in_a_bdl_isr_busy_waits_and_returns(void **state)
{
    reset_from(*state, IN_BDL_ISR);
}

static void test_pause_then_reset_in_a_notification_callback_busy_waits_and_returns(void **state)
{
    reset_from(*state, IN_NOTIFICATION_CALLBACK);
}

static void test_passive_only_routines_work_again_after_the_callback_returns(void **state)
{
    struct fx *fx = *state;
    static struct world w;
    build_world(fx, IN_NOTIFICATION_CALLBACK, &w);
    run_at_interrupt_time(&w, call_allocate_render_dma_engine);
    assert_status(w.got, HDABDL_STATUS_UNSUCCESSFUL);
    /* Between interrupts the thread is at passive level again. */
    assert_status(call_allocate_capture_dma_engine(&w), HDABDL_STATUS_SUCCESS);
    fx_advance_ms(fx, 60);
    assert_status(call_get_resource_information(&w), HDABDL_STATUS_SUCCESS);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, fx_teardown)
#define TS(name) cmocka_unit_test_setup_teardown(name, setup_spy, fx_teardown)
#define LIST_REFUSED(name)                                                                    \
    T(test_##name##_in_a_bdl_isr_is_unsuccessful_and_changes_nothing),                        \
        T(test_##name##_in_a_notification_callback_is_unsuccessful_and_changes_nothing),

int main(void)
{
    const struct CMUnitTest tests[] = {
        ROUTINES(LIST_REFUSED)
        T(test_allocate_render_in_a_notification_event_signal_is_unsuccessful),
        T(test_allocate_render_in_a_transfer_complete_callback_is_unsuccessful),
        T(test_a_passive_call_from_another_thread_while_a_callback_runs_is_not_refused),
        T(test_set_dma_engine_state_pause_works_in_a_bdl_isr),
        T(test_set_dma_engine_state_pause_works_in_a_notification_callback),
        T(test_free_dma_engine_works_in_a_bdl_isr),
        T(test_free_dma_engine_works_in_a_notification_callback),
        T(test_free_dma_engine_with_a_buffer_is_idr_not_unsuccessful_in_a_bdl_isr),
        T(test_free_dma_engine_with_a_buffer_is_idr_not_unsuccessful_in_a_callback),
        T(test_get_wall_clock_register_works_in_a_bdl_isr),
        T(test_get_wall_clock_register_works_in_a_notification_callback),
        T(test_get_link_position_register_works_in_a_bdl_isr),
        T(test_get_link_position_register_works_in_a_notification_callback),
        T(test_asynchronous_transfer_codec_verbs_works_in_a_bdl_isr),
        T(test_asynchronous_transfer_codec_verbs_works_in_a_notification_callback),
        TS(test_pause_then_reset_in_a_bdl_isr_busy_waits_and_returns),
        TS(test_pause_then_reset_in_a_notification_callback_busy_waits_and_returns),
        T(test_passive_only_routines_work_again_after_the_callback_returns),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
