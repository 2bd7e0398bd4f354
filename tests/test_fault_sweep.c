/* SPDX-License-Identifier: MIT */
/*
 * test_fault_sweep.c - every HAL call of a full lifecycle fails once, and
 * from then on, for every kind of fault (the fault HAL, hdabdl/fault.h).
 *
 * The scenario: controller open, two clients; client B runs a bystander
 * render engine with a BDL; client A takes a render engine with a BDL
 * buffer, a capture engine with a V2 buffer (two notifications, an event
 * and a callback), a bidirectional engine with a V1 buffer, registers an
 * unsolicited-response callback, sends synchronous and asynchronous verbs,
 * runs render and capture together, lets interrupts come, pauses, resets and
 * frees everything; then B stops, and both close. A clean run counts the HAL
 * calls of each kind; then the scenario runs again once per call index and
 * kind with that call failing (once, and sticky: from then on). At every
 * point:
 *   - the DDI call during which the fault fired returns a failure status,
 *     unless the fault is one the README lists as harmless (no status to
 *     give, or a documented fallback);
 *   - no register is written with a value derived from a failed read
 *     (the fault HAL's log: a write at the offset of a faulted read that is
 *     that value with at most two bits changed);
 *   - the bystander, running before the fault and not named by the failing
 *     call, keeps running (its position moves while interrupts come), unless
 *     the device was declared gone;
 *   - nothing leaks (DMA, host memory, locks, interrupt and timer
 *     attachments through the fault HAL; the mock's DMA arena; LSan);
 *   - afterwards, with the fault disarmed, the whole scenario succeeds on
 *     the same HAL.
 * It prints "swept N/M points" per kind and in all.
 */
#define _POSIX_C_SOURCE 200809L
#include "support/fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hdabdl/fault.h"

#define MAX_STEPS 64
#define RATE_NS_10MS 10000000u

struct run {
    struct hdabdl_fault_hal *fh;
    struct hdabdl_mock_hal *mock;
    int fault_id;                       /* -1: none armed */
    unsigned nsteps;
    const char *name[MAX_STEPS];
    hdabdl_status st[MAX_STEPS];
    bool fired[MAX_STEPS];              /* the fault fired during this step */
    bool names_bystander[MAX_STEPS];
    bool bystander_running;             /* its Run returned SUCCESS */
    bool bystander_moved;               /* its LPIB moved while interrupts came */
    bool bystander_checked;
    bool gone;                          /* some step said DEVICE_DOES_NOT_EXIST */
    unsigned completions;
};

static uint64_t fired_now(struct run *r)
{
    return r->fault_id < 0 ? 0 : hdabdl_fault_hal_fault_fired(r->fh, r->fault_id);
}

static void note(struct run *r, const char *name, hdabdl_status st, uint64_t before, bool bystander)
{
    unsigned i = r->nsteps < MAX_STEPS ? r->nsteps++ : MAX_STEPS - 1;
    r->name[i] = name;
    r->st[i] = st;
    r->fired[i] = fired_now(r) > before;
    r->names_bystander[i] = bystander;
    if (st == HDABDL_STATUS_DEVICE_DOES_NOT_EXIST)
        r->gone = true;
}

/* A DDI call with a status. */
#define STEP(r, name, bystander, expr)                                                        \
    do {                                                                                      \
        uint64_t before_ = fired_now(r);                                                      \
        hdabdl_status st_ = (expr);                                                           \
        note((r), (name), st_, before_, (bystander));                                         \
    } while (0)

/* A call without a status (close, interrupts): SUCCESS when it did not fault. */
#define VOID_STEP(r, name, expr)                                                              \
    do {                                                                                      \
        uint64_t before_ = fired_now(r);                                                      \
        expr;                                                                                 \
        note((r), (name), HDABDL_STATUS_SUCCESS, before_, false);                             \
        (r)->st[(r)->nsteps - 1] = HDABDL_STATUS_SUCCESS;                                     \
    } while (0)

static void on_complete(struct hdabdl_codec_transfer *t, void *context)
{
    (void)t;
    ((struct run *)context)->completions++;
}

static void on_isr(void *context, uint32_t bits)
{
    (void)context;
    (void)bits;
}

static void on_unsol(hdabdl_codec_response response, void *context)
{
    (void)response;
    (void)context;
}

static void on_notify(void *context, int64_t ts)
{
    (void)context;
    (void)ts;
}

static void on_signal(struct hdabdl_notification_event *event)
{
    (void)event;
}

static uint32_t lpib(struct run *r, hdabdl_client *client, hdabdl_handle h)
{
    struct hdabdl_engine_info info;
    uint32_t v = 0;
    if (!h || hdabdl_engine_get_info(client, h, &info) != HDABDL_STATUS_SUCCESS)
        return 0;
    (void)hdabdl_mock_mmio_read(hdabdl_mock_hal_device(r->mock), HDA_SD_OFFSET(info.sd_index, HDA_SD_LPIB),
                                4, &v);
    return v;
}

static void write_bdl(struct hdabdl_buffer_descriptor *bdl, uint64_t bus, unsigned n, uint32_t len)
{
    for (unsigned i = 0; i < n; i++)
        hdabdl_bdl_write_entry(bdl, i, bus + (uint64_t)i * len, len, 1);
}

static void scenario(struct run *r)
{
    struct hdabdl_stream_format f = fx_format_default();
    hdabdl_controller *ctrl = NULL;
    hdabdl_client *a = NULL, *b = NULL;
    hdabdl_handle by = NULL, ren = NULL, cap = NULL, bid = NULL;
    hdabdl_converter_format conv;
    struct hdabdl_buffer_descriptor *bdl;
    struct hdabdl_mdl *mdl2 = NULL, *mdl1 = NULL;
    struct hdabdl_notification_event ev = {.signal = on_signal};
    struct hdabdl_codec_transfer sync[3], async[3];
    void *data;
    uint64_t data_bus, bdl_bus;
    size_t got2 = 0, got1 = 0, off;
    uint8_t sid, tag = 0;
    uint32_t fifo;

    STEP(r, "controller_open", false,
         hdabdl_controller_open(hdabdl_fault_hal_ops(r->fh), hdabdl_fault_hal_context(r->fh), NULL, &ctrl));
    if (!ctrl)
        return;
    STEP(r, "client_open(A)", false, hdabdl_client_open(ctrl, 0, 1, &a));
    STEP(r, "client_open(B)", false, hdabdl_client_open(ctrl, 0, 1, &b));
    if (!a || !b)
        goto close;

    /* The bystander. */
    STEP(r, "B: allocate_render_dma_engine", true,
         hdabdl_allocate_render_dma_engine(b, &f, false, &by, &conv));
    STEP(r, "B: allocate_contiguous_dma_buffer", true,
         by ? hdabdl_allocate_contiguous_dma_buffer(b, by, 7680, &data, &data_bus, &bdl, &bdl_bus)
            : HDABDL_STATUS_UNSUCCESSFUL);
    if (r->st[r->nsteps - 1] == HDABDL_STATUS_SUCCESS)
        write_bdl(bdl, data_bus, 4, 1920);
    STEP(r, "B: setup_dma_engine_with_bdl", true,
         by ? hdabdl_setup_dma_engine_with_bdl(b, by, 7680, 3, on_isr, NULL, &sid, &fifo)
            : HDABDL_STATUS_UNSUCCESSFUL);
    STEP(r, "B: set_dma_engine_state(PAUSE)", true,
         by ? hdabdl_set_dma_engine_state(b, HDABDL_PAUSE_STATE, 1, &by) : HDABDL_STATUS_UNSUCCESSFUL);
    STEP(r, "B: set_dma_engine_state(RUN)", true,
         by ? hdabdl_set_dma_engine_state(b, HDABDL_RUN_STATE, 1, &by) : HDABDL_STATUS_UNSUCCESSFUL);
    r->bystander_running = r->st[r->nsteps - 1] == HDABDL_STATUS_SUCCESS;

    /* Client A's engines and buffers. */
    STEP(r, "A: allocate_render_dma_engine", false,
         hdabdl_allocate_render_dma_engine(a, &f, false, &ren, &conv));
    STEP(r, "A: allocate_contiguous_dma_buffer", false,
         ren ? hdabdl_allocate_contiguous_dma_buffer(a, ren, 7680, &data, &data_bus, &bdl, &bdl_bus)
             : HDABDL_STATUS_UNSUCCESSFUL);
    if (r->st[r->nsteps - 1] == HDABDL_STATUS_SUCCESS)
        write_bdl(bdl, data_bus, 4, 1920);
    STEP(r, "A: setup_dma_engine_with_bdl", false,
         ren ? hdabdl_setup_dma_engine_with_bdl(a, ren, 7680, 3, on_isr, NULL, &sid, &fifo)
             : HDABDL_STATUS_UNSUCCESSFUL);
    STEP(r, "A: allocate_capture_dma_engine", false,
         hdabdl_allocate_capture_dma_engine(a, 0, &f, &cap, &conv));
    STEP(r, "A: allocate_dma_buffer_with_notification", false,
         cap ? hdabdl_allocate_dma_buffer_with_notification(a, cap, 2, 9600, &mdl2, &got2, &off, &sid,
                                                            &fifo)
             : HDABDL_STATUS_UNSUCCESSFUL);
    STEP(r, "A: register_notification_event", false,
         cap ? hdabdl_register_notification_event(a, cap, &ev) : HDABDL_STATUS_UNSUCCESSFUL);
    STEP(r, "A: register_notification_callback", false,
         cap ? hdabdl_register_notification_callback(a, cap, NULL, on_notify, r)
             : HDABDL_STATUS_UNSUCCESSFUL);
    STEP(r, "A: allocate_render_dma_engine(bidirectional)", false,
         hdabdl_allocate_render_dma_engine(a, &f, false, &bid, &conv));
    STEP(r, "A: allocate_dma_buffer", false,
         bid ? hdabdl_allocate_dma_buffer(a, bid, 9600, &mdl1, &got1, &sid, &fifo)
             : HDABDL_STATUS_UNSUCCESSFUL);
    STEP(r, "A: register_event_callback", false, hdabdl_register_event_callback(a, on_unsol, r, &tag));
    for (int i = 0; i < 3; i++) {
        sync[i].output.command = HDABDL_VERB12(0, 0, HDABDL_VERB_GET_PARAMETER, (uint32_t)i);
        async[i] = sync[i];
    }
    STEP(r, "A: transfer_codec_verbs(sync)", false, hdabdl_transfer_codec_verbs(a, 3, sync, NULL, NULL));
    STEP(r, "A: transfer_codec_verbs(async)", false,
         hdabdl_transfer_codec_verbs(a, 3, async, on_complete, r));
    {
        hdabdl_handle two[2] = {ren, cap};
        STEP(r, "A: set_dma_engine_state(PAUSE, render+capture)", false,
             ren && cap ? hdabdl_set_dma_engine_state(a, HDABDL_PAUSE_STATE, 2, two)
                        : HDABDL_STATUS_UNSUCCESSFUL);
        STEP(r, "A: set_dma_engine_state(RUN, render+capture)", false,
             ren && cap ? hdabdl_set_dma_engine_state(a, HDABDL_RUN_STATE, 2, two)
                        : HDABDL_STATUS_UNSUCCESSFUL);
        {
            uint32_t before = lpib(r, b, by);
            VOID_STEP(r, "interrupts (30 ms)", hdabdl_mock_hal_advance(r->mock, 3u * RATE_NS_10MS));
            r->bystander_moved = lpib(r, b, by) != before;
            r->bystander_checked = true;
        }
        STEP(r, "A: set_dma_engine_state(PAUSE, render+capture) again", false,
             ren && cap ? hdabdl_set_dma_engine_state(a, HDABDL_PAUSE_STATE, 2, two)
                        : HDABDL_STATUS_UNSUCCESSFUL);
        STEP(r, "A: set_dma_engine_state(RESET, render+capture)", false,
             ren && cap ? hdabdl_set_dma_engine_state(a, HDABDL_RESET_STATE, 2, two)
                        : HDABDL_STATUS_UNSUCCESSFUL);
    }
    STEP(r, "A: free_contiguous_dma_buffer", false,
         ren ? hdabdl_free_contiguous_dma_buffer(a, ren) : HDABDL_STATUS_UNSUCCESSFUL);
    STEP(r, "A: unregister_notification_callback", false,
         cap ? hdabdl_unregister_notification_callback(a, cap, on_notify, r) : HDABDL_STATUS_UNSUCCESSFUL);
    STEP(r, "A: unregister_notification_event", false,
         cap ? hdabdl_unregister_notification_event(a, cap, &ev) : HDABDL_STATUS_UNSUCCESSFUL);
    STEP(r, "A: free_dma_buffer_with_notification", false,
         cap && mdl2 ? hdabdl_free_dma_buffer_with_notification(a, cap, mdl2, got2)
                     : HDABDL_STATUS_UNSUCCESSFUL);
    STEP(r, "A: free_dma_buffer", false, bid ? hdabdl_free_dma_buffer(a, bid) : HDABDL_STATUS_UNSUCCESSFUL);
    STEP(r, "A: free_dma_engine(render)", false, ren ? hdabdl_free_dma_engine(a, ren) : HDABDL_STATUS_UNSUCCESSFUL);
    STEP(r, "A: free_dma_engine(capture)", false, cap ? hdabdl_free_dma_engine(a, cap) : HDABDL_STATUS_UNSUCCESSFUL);
    STEP(r, "A: free_dma_engine(bidirectional)", false,
         bid ? hdabdl_free_dma_engine(a, bid) : HDABDL_STATUS_UNSUCCESSFUL);
    STEP(r, "A: unregister_event_callback", false, hdabdl_unregister_event_callback(a, tag));
    STEP(r, "B: set_dma_engine_state(PAUSE)", true,
         by ? hdabdl_set_dma_engine_state(b, HDABDL_PAUSE_STATE, 1, &by) : HDABDL_STATUS_UNSUCCESSFUL);
    STEP(r, "B: set_dma_engine_state(RESET)", true,
         by ? hdabdl_set_dma_engine_state(b, HDABDL_RESET_STATE, 1, &by) : HDABDL_STATUS_UNSUCCESSFUL);
    STEP(r, "B: free_contiguous_dma_buffer", true,
         by ? hdabdl_free_contiguous_dma_buffer(b, by) : HDABDL_STATUS_UNSUCCESSFUL);
    STEP(r, "B: free_dma_engine", true, by ? hdabdl_free_dma_engine(b, by) : HDABDL_STATUS_UNSUCCESSFUL);
close:
    VOID_STEP(r, "client_close(A)", hdabdl_client_close(a));
    VOID_STEP(r, "client_close(B)", hdabdl_client_close(b));
    VOID_STEP(r, "controller_close", hdabdl_controller_close(ctrl));
}

/* ---- The sweep ------------------------------------------------------------------ */

static struct hdabdl_mock_hal *new_mock(void)
{
    struct hdabdl_mock_hal_config c;
    struct hdabdl_mock_hal *m = NULL;
    hdabdl_mock_hal_config_default(&c);
    c.device.bidir_streams = 1;
    assert_int_equal(hdabdl_mock_hal_create(&c, &m), 0);
    return m;
}

static unsigned popcount32(uint32_t v)
{
    unsigned n = 0;
    for (; v; v &= v - 1)
        n++;
    return n;
}

/* A write after a faulted read that is the faulted value with at most two
 * bits changed: a read-modify-write of what the fault returned. */
static bool derived_write_seen(struct hdabdl_fault_hal *fh, char *why, size_t whylen)
{
    size_t n = hdabdl_fault_hal_log_count(fh);
    for (size_t i = 0; i < n; i++) {
        struct hdabdl_fault_read_record rec;
        /* Failed reads only: a wrong value that looks right is used as right
         * (a W1C status is acknowledged with the bits it showed). */
        if (!hdabdl_fault_hal_log_get(fh, i, &rec) || rec.writes == 0 ||
            rec.kind == HDABDL_FAULT_REG_READ_VALUE)
            continue;
        uint32_t mask = rec.width >= 4 ? 0xFFFFFFFFu : (1u << (8u * rec.width)) - 1u;
        /* A failed read reads as all ones in the core. */
        uint32_t seen = (rec.error != 0 ? 0xFFFFFFFFu : rec.value) & mask;
        uint32_t wrote = rec.write_value & mask;
        if (seen != 0 && popcount32(seen) > 4 && popcount32((seen ^ wrote) & mask) <= 2) {
            snprintf(why, whylen, "offset 0x%04x read as 0x%08x, then written 0x%08x", rec.offset,
                     seen, wrote);
            return true;
        }
    }
    return false;
}

/* A failed read of the interrupt status or a stream's status, in the
 * interrupt handler: that interrupt is dropped (nothing is owed for it),
 * whatever routine was running when the mock delivered it. */
static bool isr_status_read(struct hdabdl_fault_hal *fh)
{
    struct hdabdl_fault_read_record rec;
    if (!hdabdl_fault_hal_log_get(fh, 0, &rec))
        return false;
    return rec.offset == HDA_REG_INTSTS ||
           (rec.offset >= HDA_SD_OFFSET(0, 0) && rec.offset < HDA_SD_OFFSET(HDA_MAX_STREAMS, 0) &&
            (rec.offset - HDA_SD_OFFSET(0, 0)) % HDA_SD_STRIDE == HDA_SD_STS);
}

/* Faults after which SUCCESS is what the call should say (README "Failing hardware"). */
static bool harmless(struct hdabdl_fault_hal *fh, enum hdabdl_fault_kind kind, bool sticky,
                     const char *step)
{
    /* A bus-allocated buffer that cannot have one block is made of pages. */
    if (kind == HDABDL_FAULT_DMA_ALLOC && !sticky &&
        (strcmp(step, "A: allocate_dma_buffer") == 0 ||
         strcmp(step, "A: allocate_dma_buffer_with_notification") == 0))
        return true;
    if ((kind == HDABDL_FAULT_REG_READ_ERROR || kind == HDABDL_FAULT_REG_READ_ALL_ONES) &&
        isr_status_read(fh))
        return true;
    /* A read that returns a wrong value that could be right cannot be told
     * from a right one: the call must survive it (bounded waits, ring
     * pointers checked), not notice it. */
    if (kind == HDABDL_FAULT_REG_READ_VALUE)
        return true;
    /* No status to give: interrupts, the timer, closing. */
    if (strncmp(step, "interrupts", 10) == 0 || strncmp(step, "client_close", 12) == 0 ||
        strcmp(step, "controller_close") == 0)
        return true;
    /* Interrupts and the timer are optional: open falls back to polling. */
    if ((kind == HDABDL_FAULT_IRQ_ATTACH || kind == HDABDL_FAULT_TIMER_ATTACH) &&
        strcmp(step, "controller_open") == 0)
        return true;
    /* An asynchronous batch is queued before its verbs go out: what goes wrong
     * on the way shows in its responses (IsValid 0), not in the call. */
    if (strcmp(step, "A: transfer_codec_verbs(async)") == 0)
        return true;
    return false;
}

struct totals {
    unsigned points, handled;
};

static bool check_point(struct run *r, enum hdabdl_fault_kind kind, uint64_t nth, bool sticky,
                        struct hdabdl_mock_hal *mock)
{
    char why[160] = "";
    bool ok = true;

    for (unsigned i = 0; i < r->nsteps; i++) {
        if (!r->fired[i])
            continue;
        if (r->st[i] == HDABDL_STATUS_SUCCESS && !harmless(r->fh, kind, sticky, r->name[i])) {
            struct hdabdl_fault_read_record rec = {0};
            (void)hdabdl_fault_hal_log_get(r->fh, 0, &rec);
            printf("  %s #%llu%s: %s returned SUCCESS although the fault hit it (first faulted "
                   "read at 0x%04x)\n", hdabdl_fault_kind_name(kind), (unsigned long long)nth,
                   sticky ? " sticky" : "", r->name[i], rec.offset);
            ok = false;
        }
        break;      /* the first call that met it */
    }
    if (derived_write_seen(r->fh, why, sizeof why)) {
        printf("  %s #%llu%s: a derived write: %s\n", hdabdl_fault_kind_name(kind),
               (unsigned long long)nth, sticky ? " sticky" : "", why);
        ok = false;
    }
    if (r->bystander_running && r->bystander_checked && !r->bystander_moved && !r->gone) {
        bool hit_bystander = false;
        for (unsigned i = 0; i < r->nsteps; i++)
            if (r->fired[i] && (r->names_bystander[i] || strncmp(r->name[i], "interrupts", 10) == 0))
                hit_bystander = true;
        /* Sticky faults keep firing in the interrupt path too: the bystander's
         * interrupts may be what they hit. */
        if (!hit_bystander && !sticky) {
            printf("  %s #%llu: the bystander stopped moving\n", hdabdl_fault_kind_name(kind),
                   (unsigned long long)nth);
            ok = false;
        }
    }
    if (hdabdl_fault_hal_outstanding(r->fh, HDABDL_FAULT_RES_DMA) != 0 ||
        hdabdl_fault_hal_outstanding(r->fh, HDABDL_FAULT_RES_MEM) != 0 ||
        hdabdl_fault_hal_outstanding(r->fh, HDABDL_FAULT_RES_LOCK) != 0 ||
        hdabdl_fault_hal_outstanding(r->fh, HDABDL_FAULT_RES_IRQ) != 0 ||
        hdabdl_fault_hal_outstanding(r->fh, HDABDL_FAULT_RES_TIMER) != 0 ||
        hdabdl_mock_hal_dma_blocks(mock) != 0) {
        printf("  %s #%llu%s: something leaked (dma %lld, mem %lld, locks %lld)\n",
               hdabdl_fault_kind_name(kind), (unsigned long long)nth, sticky ? " sticky" : "",
               (long long)hdabdl_fault_hal_outstanding(r->fh, HDABDL_FAULT_RES_DMA),
               (long long)hdabdl_fault_hal_outstanding(r->fh, HDABDL_FAULT_RES_MEM),
               (long long)hdabdl_fault_hal_outstanding(r->fh, HDABDL_FAULT_RES_LOCK));
        ok = false;
    }
    return ok;
}

static bool clean_run_succeeds(struct hdabdl_fault_hal *fh, struct hdabdl_mock_hal *mock)
{
    static struct run r;
    memset(&r, 0, sizeof r);
    r.fh = fh;
    r.mock = mock;
    r.fault_id = -1;
    scenario(&r);
    for (unsigned i = 0; i < r.nsteps; i++) {
        if (r.st[i] != HDABDL_STATUS_SUCCESS) {
            printf("  clean run after the fault: %s returned %s\n", r.name[i], hdabdl_status_name(r.st[i]));
            return false;
        }
    }
    return r.completions == 1 && r.bystander_moved;
}

/* HDABDL_SWEEP_STRIDE=K sweeps every Kth call index only (scripts/cross.sh
 * under qemu-user, where every point costs ten times as much); default 1. */
static uint64_t stride(void)
{
    const char *s = getenv("HDABDL_SWEEP_STRIDE");
    long v = s ? strtol(s, NULL, 10) : 1;
    return v >= 1 ? (uint64_t)v : 1u;
}

static void sweep_kind(enum hdabdl_fault_kind kind, uint64_t calls, struct totals *all)
{
    struct totals t = {0, 0};
    for (int sticky = 0; sticky <= 1; sticky++) {
        for (uint64_t nth = 1; nth <= calls; nth += stride()) {
            static struct run r;
            struct hdabdl_mock_hal *mock = new_mock();
            struct hdabdl_fault_hal *fh = NULL;
            struct hdabdl_fault_spec spec = {.kind = kind, .nth = nth,
                                             .flags = sticky ? HDABDL_FAULT_STICKY : 0u,
                                             .value = 0x5A5A5A5Au};
            bool ok;

            assert_int_equal(hdabdl_fault_hal_create(hdabdl_mock_hal_ops(), hdabdl_mock_hal_context(mock), &fh),
                             HDABDL_STATUS_SUCCESS);
            memset(&r, 0, sizeof r);
            r.fh = fh;
            r.mock = mock;
            assert_int_equal(hdabdl_fault_hal_arm(fh, &spec, &r.fault_id), HDABDL_STATUS_SUCCESS);
            scenario(&r);
            ok = check_point(&r, kind, nth, sticky != 0, mock);
            hdabdl_fault_hal_disarm_all(fh);
            hdabdl_fault_hal_log_clear(fh);
            if (ok && !clean_run_succeeds(fh, mock)) {
                printf("  %s #%llu%s: the clean scenario afterwards failed\n", hdabdl_fault_kind_name(kind),
                       (unsigned long long)nth, sticky ? " sticky" : "");
                ok = false;
            }
            t.points++;
            t.handled += ok ? 1u : 0u;
            if (getenv("HDABDL_SWEEP_VERBOSE")) {
                struct timespec ts;
                clock_gettime(CLOCK_MONOTONIC, &ts);
                printf("  point %s #%llu%s %s at %lld.%03ld s\n", hdabdl_fault_kind_name(kind),
                       (unsigned long long)nth, sticky ? " sticky" : "", ok ? "ok" : "FAILED",
                       (long long)ts.tv_sec, ts.tv_nsec / 1000000);
                fflush(stdout);
            }
            hdabdl_fault_hal_destroy(fh);
            hdabdl_mock_hal_destroy(mock);
        }
    }
    printf("%-20s %6llu calls: swept %u/%u points\n", hdabdl_fault_kind_name(kind),
           (unsigned long long)calls, t.handled, t.points);
    fflush(stdout);
    all->points += t.points;
    all->handled += t.handled;
}

static void test_every_hal_call_of_a_lifecycle_may_fail_and_is_handled(void **state)
{
    static const enum hdabdl_fault_kind kinds[] = {
        HDABDL_FAULT_REG_READ_ERROR, HDABDL_FAULT_REG_READ_ALL_ONES, HDABDL_FAULT_REG_READ_VALUE,
        HDABDL_FAULT_REG_WRITE_ERROR, HDABDL_FAULT_DMA_ALLOC, HDABDL_FAULT_MEM_ALLOC,
        HDABDL_FAULT_LOCK_CREATE, HDABDL_FAULT_IRQ_ATTACH, HDABDL_FAULT_TIMER_ATTACH,
    };
    static struct run clean;
    struct hdabdl_mock_hal *mock = new_mock();
    struct hdabdl_fault_hal *fh = NULL;
    uint64_t calls[sizeof kinds / sizeof kinds[0]];
    struct totals all = {0, 0};

    (void)state;
    /* The clean run: every step succeeds; count the calls of each kind. */
    assert_int_equal(hdabdl_fault_hal_create(hdabdl_mock_hal_ops(), hdabdl_mock_hal_context(mock), &fh),
                     HDABDL_STATUS_SUCCESS);
    memset(&clean, 0, sizeof clean);
    clean.fh = fh;
    clean.mock = mock;
    clean.fault_id = -1;
    scenario(&clean);
    for (unsigned i = 0; i < clean.nsteps; i++) {
        if (clean.st[i] != HDABDL_STATUS_SUCCESS)
            printf("clean run: %s returned %s\n", clean.name[i], hdabdl_status_name(clean.st[i]));
        assert_int_equal(clean.st[i], HDABDL_STATUS_SUCCESS);
    }
    assert_int_equal(clean.completions, 1);
    assert_true(clean.bystander_moved);
    for (unsigned k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        calls[k] = hdabdl_fault_hal_kind_calls(fh, kinds[k], HDABDL_FAULT_SINCE_CREATE);
        printf("clean run: %llu calls of %s\n", (unsigned long long)calls[k], hdabdl_fault_kind_name(kinds[k]));
    }
    fflush(stdout);
    hdabdl_fault_hal_destroy(fh);
    hdabdl_mock_hal_destroy(mock);

    for (unsigned k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
        sweep_kind(kinds[k], calls[k], &all);
    if (stride() > 1)
        printf("swept %u/%u points (every %llu. call index: HDABDL_SWEEP_STRIDE)\n", all.handled,
               all.points, (unsigned long long)stride());
    else
        printf("swept %u/%u points\n", all.handled, all.points);
    assert_int_equal(all.handled, all.points);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_hal_call_of_a_lifecycle_may_fail_and_is_handled),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
