/* SPDX-License-Identifier: MIT */
/*
 * fuzz/fuzz_hostile.c - libFuzzer target: the DDI core over hostile hardware.
 *
 * The HAL here has no device model at all: every register read takes its
 * value from the input (values that never settle, bits that flip, ring
 * pointers anywhere, all ones, HAL errors), DMA memory holds whatever the
 * input says (RIRB entries, position buffer), and time moves only through
 * the core's own delays. A fixed sequence of DDI calls runs over it: open,
 * two clients, render and capture engines, a contiguous buffer with a BDL,
 * setup, Pause and Run, interrupts, synchronous and asynchronous verbs, an
 * unsolicited-response registration, V1 and V2 buffers, Pause, Reset, the
 * frees and close; each call is made whatever the previous ones returned.
 *
 * What must hold whatever the hardware does:
 *   - no crash, hang, leak or undefined behaviour (ASan, UBSan, LSan; every
 *     wait is bounded, so libFuzzer's timeout finds a loop that is not);
 *   - every status is one of the library's (hdabdl_status_name knows it);
 *   - an engine is not reported running after a Run that failed;
 *   - no register is written with a value derived from a failed read: after
 *     a read of GCTL, INTCTL, SSYNC or an SDnCTL that failed or returned all
 *     ones, the core's next write there is not that value with bits changed
 *     (it writes from what it knows);
 *   - an asynchronous verb batch that was accepted completes exactly once;
 *   - after close the HAL holds no DMA block and no host memory.
 * A broken promise calls abort() with the reason on stderr.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hdabdl/hdabdl.h"
#include "hdabdl/regs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what)
{
    fprintf(stderr, "fuzz_hostile: broken promise: %s\n", what);
    abort();
}

/* ---- The hostile HAL ------------------------------------------------------------- */

#define WATCH_LIMIT HDA_SD_OFFSET(HDA_MAX_STREAMS, 0)   /* offsets below it are tracked */

struct hostile {
    const uint8_t *data;
    size_t size, pos;
    uint64_t now_ns;
    uint64_t next_bus;                  /* bus addresses handed out, below 4 GiB */
    long dma_blocks, mem_blocks;
    /* The last failed read of each shared control register: a write of
     * (that value with some bits changed) afterwards means read-modify-write. */
    struct {
        bool armed;
        uint32_t value;
    } tainted[WATCH_LIMIT];
};

static uint8_t take8(struct hostile *h)
{
    if (h->pos < h->size)
        return h->data[h->pos++];
    return 0;   /* the input is used up: a quiet device */
}

static uint32_t take32(struct hostile *h)
{
    uint32_t v = 0;
    for (int i = 0; i < 4; i++)
        v |= (uint32_t)take8(h) << (8 * i);
    return v;
}

/* Shared control registers a read-modify-write would corrupt. */
static bool watched(uint32_t offset)
{
    return offset == HDA_REG_GCTL || offset == HDA_REG_INTCTL || offset == HDA_REG_SSYNC ||
           offset == HDA_REG_SSYNC_OLD ||
           (offset >= HDA_SD_OFFSET(0, 0) && offset < HDA_SD_OFFSET(HDA_MAX_STREAMS, 0) &&
            (offset - HDA_SD_OFFSET(0, 0)) % HDA_SD_STRIDE == HDA_SD_CTL);
}

static int h_reg_read(void *ctx, uint32_t offset, unsigned width, uint32_t *value)
{
    struct hostile *h = ctx;
    uint8_t how = take8(h);
    uint32_t ones = width == 4 ? 0xFFFFFFFFu : (1u << (8 * width)) - 1;

    /* One byte says how this read goes: mostly (30 in 32) a value from the input. */
    switch (how & 0x1F) {
    case 0:
        *value = 0xFFFFFFFFu & ones;            /* gone, or garbage */
        break;
    case 1:
        *value = 0;
        if (offset < WATCH_LIMIT && watched(offset)) {
            h->tainted[offset].armed = true;    /* the core sees all ones */
            h->tainted[offset].value = ones;
        }
        return -HDABDL_EIO;
    default:
        *value = take32(h) & ones;
        if (offset < WATCH_LIMIT)
            h->tainted[offset].armed = false;   /* a real value: the core may use it */
        return 0;
    }
    if (offset < WATCH_LIMIT && watched(offset)) {
        h->tainted[offset].armed = true;
        h->tainted[offset].value = *value;
    }
    return 0;
}

static int h_reg_write(void *ctx, uint32_t offset, unsigned width, uint32_t value)
{
    struct hostile *h = ctx;
    (void)width;
    if (offset < WATCH_LIMIT && h->tainted[offset].armed) {
        uint32_t bad = h->tainted[offset].value;
        h->tainted[offset].armed = false;
        /* All ones with a few bits cleared or set is what RMW of a failed read writes. */
        uint32_t diff = bad ^ value;
        if (bad != 0 && value != 0 && (diff & (diff - 1)) == 0)
            fail("a register was written with a value derived from a failed read");
    }
    return (take8(h) & 0x3F) == 0x3F ? -HDABDL_EIO : 0;
}

static int h_dma_alloc(void *ctx, size_t size, size_t align, uint64_t limit,
                       struct hdabdl_hal_dma *out)
{
    struct hostile *h = ctx;
    size_t rounded = (size + 4095) / 4096 * 4096;
    void *p;

    (void)limit;
    if ((take8(h) & 0x1F) == 0x1F)
        return -HDABDL_ENOMEM;
    p = aligned_alloc(align < 4096 ? 4096 : align, rounded);
    if (!p)
        return -HDABDL_ENOMEM;
    /* The device's side of the memory: whatever the input holds. */
    for (size_t i = 0; i < rounded; i++)
        ((uint8_t *)p)[i] = take8(h);
    out->cpu = p;
    out->bus = h->next_bus;
    h->next_bus += rounded;
    out->size = rounded;
    out->cookie = NULL;
    h->dma_blocks++;
    return 0;
}

static void h_dma_free(void *ctx, struct hdabdl_hal_dma *dma)
{
    struct hostile *h = ctx;
    free(dma->cpu);
    h->dma_blocks--;
}

static void h_delay_us(void *ctx, uint32_t us)
{
    ((struct hostile *)ctx)->now_ns += (uint64_t)us * 1000u;
}

static uint64_t h_now_ns(void *ctx)
{
    return ((struct hostile *)ctx)->now_ns;
}

static int h_lock_create(void *ctx, void **lock)
{
    struct hostile *h = ctx;
    if ((take8(h) & 0x3F) == 0x3F)
        return -HDABDL_ENOMEM;
    *lock = h;
    return 0;
}

static void h_lock_nop(void *ctx, void *lock)
{
    (void)ctx;
    (void)lock;
}

static void *h_mem_alloc(void *ctx, size_t size, unsigned flags)
{
    struct hostile *h = ctx;
    void *p;
    (void)flags;
    if ((take8(h) & 0x3F) == 0x3F)
        return NULL;
    p = malloc(size);
    if (p)
        h->mem_blocks++;
    return p;
}

static void h_mem_free(void *ctx, void *p, size_t size)
{
    (void)size;
    free(p);
    ((struct hostile *)ctx)->mem_blocks--;
}

static const struct hdabdl_hal_ops hostile_ops = {
    .abi_version = HDABDL_HAL_ABI_VERSION,
    .struct_size = sizeof(struct hdabdl_hal_ops),
    .name = "hostile",
    .reg_read = h_reg_read,
    .reg_write = h_reg_write,
    .dma_alloc = h_dma_alloc,
    .dma_free = h_dma_free,
    .delay_us = h_delay_us,
    .now_ns = h_now_ns,
    .lock_create = h_lock_create,
    .lock_destroy = h_lock_nop,
    .lock_acquire = h_lock_nop,
    .lock_release = h_lock_nop,
    .mem_alloc = h_mem_alloc,
    .mem_free = h_mem_free,
};

/* ---- The scenario ---------------------------------------------------------------- */

static unsigned completions;

static void count_completion(struct hdabdl_codec_transfer *t, void *context)
{
    (void)t;
    if (context != &completions)
        fail("a batch completed with another batch's context");
    completions++;
}

static void isr(void *context, uint32_t bits)
{
    (void)context;
    if (bits & ~(uint32_t)(HDABDL_ISR_BCIS | HDABDL_ISR_FIFOE | HDABDL_ISR_DESE))
        fail("a BDL ISR saw bits other than BCIS/FIFOE/DESE");
}

static void unsol(hdabdl_codec_response r, void *context)
{
    (void)r;
    (void)context;
}

static hdabdl_status check(hdabdl_status st)
{
    if (strcmp(hdabdl_status_name(st), "STATUS_<unknown>") == 0)
        fail("a routine returned a status that is not the library's");
    return st;
}

static void expect_not_running(hdabdl_client *c, hdabdl_handle h, const char *when)
{
    struct hdabdl_engine_info info;
    if (HDABDL_NT_SUCCESS(hdabdl_engine_get_info(c, h, &info)) && info.state == HDABDL_RUN_STATE) {
        fprintf(stderr, "fuzz_hostile: %s\n", when);
        fail("an engine is reported running although its Run did not succeed");
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct hostile h;
    struct hdabdl_stream_format fmt = {48000, 16, 16, 2};
    hdabdl_controller *ctrl = NULL;
    hdabdl_client *a = NULL, *b = NULL;
    hdabdl_handle render = NULL, capture = NULL;
    hdabdl_converter_format conv;
    struct hdabdl_buffer_descriptor *bdl = NULL;
    struct hdabdl_codec_transfer sync[4], async[4];
    struct hdabdl_mdl *mdl = NULL;
    void *buffer = NULL;
    uint64_t buffer_bus = 0, bdl_bus = 0;
    size_t got = 0, offset;
    uint8_t sid, tag;
    uint32_t fifo;
    bool async_queued = false;

    memset(&h, 0, sizeof h);
    h.data = data;
    h.size = size;
    h.next_bus = 0x10000000u;
    completions = 0;

    if (!HDABDL_NT_SUCCESS(check(hdabdl_controller_open(&hostile_ops, &h, NULL, &ctrl))))
        goto done;
    (void)check(hdabdl_client_open(ctrl, 0, 1, &a));
    (void)check(hdabdl_client_open(ctrl, 1, 1, &b));
    if (!a || !b)
        goto close;

    if (HDABDL_NT_SUCCESS(check(hdabdl_allocate_render_dma_engine(a, &fmt, false, &render, &conv)))) {
        if (HDABDL_NT_SUCCESS(check(hdabdl_allocate_contiguous_dma_buffer(a, render, 19200, &buffer,
                                                                          &buffer_bus, &bdl, &bdl_bus)))) {
            for (uint32_t i = 0; i < 4; i++)
                hdabdl_bdl_write_entry(bdl, i, buffer_bus + i * 4800u, 4800, 1);
            (void)check(hdabdl_setup_dma_engine_with_bdl(a, render, 19200, 3, isr, NULL, &sid, &fifo));
        }
        (void)check(hdabdl_set_dma_engine_state(a, HDABDL_PAUSE_STATE, 1, &render));
        if (!HDABDL_NT_SUCCESS(check(hdabdl_set_dma_engine_state(a, HDABDL_RUN_STATE, 1, &render))))
            expect_not_running(a, render, "after a failed Run");
    }
    (void)check(hdabdl_allocate_capture_dma_engine(b, 1, &fmt, &capture, &conv));
    if (capture) {
        (void)check(hdabdl_allocate_dma_buffer_with_notification(b, capture, 2, 9600, &mdl, &got,
                                                                 &offset, &sid, &fifo));
        (void)check(hdabdl_set_dma_engine_state(b, HDABDL_PAUSE_STATE, 1, &capture));
        if (!HDABDL_NT_SUCCESS(check(hdabdl_set_dma_engine_state(b, HDABDL_RUN_STATE, 1, &capture))))
            expect_not_running(b, capture, "after a failed Run of the capture engine");
    }
    (void)check(hdabdl_register_event_callback(a, unsol, NULL, &tag));
    for (int i = 0; i < 4; i++) {
        sync[i].output.command = HDABDL_VERB12(0, 0, HDABDL_VERB_GET_PARAMETER, (uint32_t)i);
        async[i] = sync[i];
    }
    (void)check(hdabdl_transfer_codec_verbs(a, 4, sync, NULL, NULL));
    async_queued = HDABDL_NT_SUCCESS(check(hdabdl_transfer_codec_verbs(b, 4, async, count_completion,
                                                                      &completions)));
    for (int i = 0; i < 8; i++)
        (void)hdabdl_controller_service_interrupt(ctrl);

    if (render) {
        (void)check(hdabdl_set_dma_engine_state(a, HDABDL_PAUSE_STATE, 1, &render));
        (void)check(hdabdl_set_dma_engine_state(a, HDABDL_RESET_STATE, 1, &render));
        (void)check(hdabdl_free_contiguous_dma_buffer(a, render));
        (void)check(hdabdl_free_dma_engine(a, render));
    }
    if (capture) {
        (void)check(hdabdl_set_dma_engine_state(b, HDABDL_PAUSE_STATE, 1, &capture));
        (void)check(hdabdl_set_dma_engine_state(b, HDABDL_RESET_STATE, 1, &capture));
        (void)check(hdabdl_free_dma_buffer_with_notification(b, capture, mdl, got));
        (void)check(hdabdl_free_dma_engine(b, capture));
    }
    (void)check(hdabdl_unregister_event_callback(a, tag));

close:
    hdabdl_client_close(a);
    hdabdl_client_close(b);
    hdabdl_controller_close(ctrl);
    if (async_queued && completions != 1)
        fail("an accepted asynchronous batch did not complete exactly once");
done:
    if (h.dma_blocks != 0)
        fail("DMA blocks left after close");
    if (h.mem_blocks != 0)
        fail("host memory left after close");
    return 0;
}
