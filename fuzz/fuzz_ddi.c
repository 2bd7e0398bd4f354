/* SPDX-License-Identifier: MIT */
/*
 * fuzz/fuzz_ddi.c - libFuzzer target: the DDI core over the mock HAL.
 *
 * The input is a small header (the mock controller's shape and the open
 * options) and then at most MAX_OPS DDI calls with arguments from the input:
 * clients opened and closed, render and capture engines with any format,
 * bandwidth changes, contiguous buffers with BDL entries written anyhow and
 * set up with any length and LVI, SetDmaEngineState on arrays of real, stale,
 * foreign and forged handles, V1/V2 buffers, notification events and
 * callbacks, codec verbs (synchronous and asynchronous), unsolicited-response
 * callbacks, the interface tables and their reference counts, bus addresses,
 * time, jack events and the mock's faults. Callbacks do what the DDI allows at
 * interrupt time (and check that the passive-only routines refuse).
 *
 * Statuses may be anything; what must hold whatever the input:
 *   - no crash, hang, leak or undefined behaviour (ASan, UBSan, LSan);
 *   - once everything is closed the mock HAL holds no DMA block;
 *   - every asynchronous verb batch that was accepted completes exactly once,
 *     with its own transfer array;
 *   - a BDL ISR sees only BCIS/FIFOE/DESE; an unsolicited response arrives
 *     at the callback registered for its tag and codec; notification
 *     timestamps never go back; the passive-only routines return
 *     UNSUCCESSFUL at interrupt time;
 *   - the engine's buffer kind (hdabdl_engine_get_info) is the one its
 *     allocation gave; reserved link bandwidth never exceeds the capacity;
 *   - without injected mock faults the core makes no illegal register access,
 *     and (unless the input rewrote a BDL the engine was using) its DMA never
 *     strays from the buffers (the mock's violation log stays empty).
 * A broken promise calls abort() with the reason on stderr.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hdabdl/codec.h"
#include "hdabdl/ddi.h"
#include "hdabdl/hdabdl.h"
#include "hdabdl/mock.h"
#include "hdabdl/regs.h"

#define MAX_OPS 64                  /* DDI calls per input */
#define MAX_CLIENTS 4
#define MAX_SLOTS 24                /* engines allocated per input (their handles stay, stale) */
#define MAX_BATCHES 24              /* asynchronous verb batches per input */
#define BATCH_VERBS 8
#define SYNC_VERBS 8
#define MAX_EVENTS 4                /* notification events */
#define MAX_NCB 4                   /* notification callback contexts */
#define MAX_UNSOL 32                /* unsolicited-response callback contexts */
#define MAX_ADVANCE_NS 3000000u     /* per advance */
#define MAX_VIRTUAL_NS 400000000u   /* stop issuing calls after this much virtual time */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what)
{
    fprintf(stderr, "fuzz_ddi: %s\n", what);
    abort();
}

/* ---- Input ------------------------------------------------------------------------ */

struct input {
    const uint8_t *data;
    size_t size;
    size_t pos;
};

static bool more(const struct input *in) { return in->pos < in->size; }
static uint8_t u8(struct input *in) { return in->pos < in->size ? in->data[in->pos++] : 0; }

static uint16_t u16(struct input *in)
{
    uint16_t lo = u8(in);
    return (uint16_t)(lo | (uint16_t)(u8(in) << 8));
}

static uint32_t u32(struct input *in)
{
    uint32_t lo = u16(in);
    return lo | (uint32_t)u16(in) << 16;
}

/* ---- State of one run ---------------------------------------------------------------- */

struct fuzz;

/* What a BDL ISR does when it is called (chosen at setup). */
enum isr_action {
    ISR_NOTHING,
    ISR_PAUSE,          /* SetDmaEngineState(Pause) on its own engine */
    ISR_RUN,            /* ... Run */
    ISR_POSITION,       /* GetLinkPositionRegister and read it */
    ISR_ASYNC_VERBS,    /* an asynchronous TransferCodecVerbs */
    ISR_PASSIVE_ONLY,   /* the passive-only routines must refuse */
    ISR_RESET,          /* SetDmaEngineState(Reset): refused while running */
    ISR_FREE,           /* FreeDmaEngine: refused while it has a buffer */
    ISR_ACTIONS
};

struct isr_ctx {
    struct fuzz *f;
    hdabdl_client *client;      /* the owner when it was set up (alive while the ISR can run) */
    hdabdl_handle handle;
    uint8_t action;
    unsigned calls;
};

enum buffer_kind { BUF_NONE, BUF_CONTIG, BUF_BUS, BUF_NOTIFY };

struct slot {
    bool used;
    int client;                 /* index into clients; -1 once that client is gone */
    hdabdl_handle handle;
    struct hdabdl_stream_format format;
    enum buffer_kind kind;      /* what the fuzzer believes the engine holds */
    /* contiguous */
    uint8_t *data;
    uint64_t data_bus;
    uint32_t size;
    struct hdabdl_buffer_descriptor *bdl;
    uint64_t bdl_bus;
    uint32_t length;            /* a valid setup, after "fill valid BDL" */
    uint32_t lvi;
    /* bus-allocated */
    struct hdabdl_mdl *mdl;
    size_t allocated;
    size_t requested;
    struct isr_ctx isr;
};

struct client_slot {
    hdabdl_client *client;      /* NULL: free */
    uint8_t codec_address;
    bool opener_closed;
    unsigned table_refs;        /* references taken through query/InterfaceReference */
    struct hdabdl_bus_interface_v3 v3;      /* the last tables queried (Context = client) */
    struct hdabdl_bus_interface_bdl bdl;
    bool have_v3, have_bdl;
    uint8_t tags[8];            /* unsolicited tags it registered (some) */
    unsigned ntags;
};

struct batch {
    struct fuzz *f;
    struct hdabdl_codec_transfer t[BATCH_VERBS];
    uint32_t count;
    bool accepted;              /* TransferCodecVerbs returned SUCCESS */
    unsigned completions;
};

struct event {
    struct hdabdl_notification_event ev;    /* first member: the callback finds us */
    unsigned signals;
};

struct ncb {
    struct fuzz *f;
    int64_t last;
    unsigned calls;
};

struct unsol_ctx {
    struct fuzz *f;
    int client;                 /* index of the registering client */
    uint8_t codec;
    uint8_t tag;
    bool live;
    unsigned calls;
};

struct fuzz {
    struct hdabdl_mock_hal *hal;
    struct hdabdl_mock *dev;
    hdabdl_controller *ctrl;
    struct client_slot clients[MAX_CLIENTS];
    struct slot slots[MAX_SLOTS];
    unsigned nslots;
    struct batch batches[MAX_BATCHES];
    unsigned nbatches;
    struct event events[MAX_EVENTS];
    struct ncb ncbs[MAX_NCB];
    struct unsol_ctx unsol[MAX_UNSOL];
    unsigned nunsol;
    struct hdabdl_codec *codecs[3];
    bool faults;                /* mock faults injected: register rules may break */
    bool bdl_tampered;          /* a BDL in use was rewritten: its DMA may go anywhere */
    unsigned async_verbs_left;  /* budget for batches queued from callbacks */
};

static struct fuzz fz;

/* ---- Callbacks ---------------------------------------------------------------------- */

static void transfer_done(struct hdabdl_codec_transfer *transfer, void *context)
{
    struct batch *b = context;
    if (transfer != b->t)
        fail("transfer-complete callback: not the batch's first transfer");
    if (b->completions++ > 0)
        fail("transfer-complete callback: a batch completed twice");
}

static struct batch *new_batch(struct fuzz *f)
{
    if (f->nbatches >= MAX_BATCHES)
        return NULL;
    struct batch *b = &f->batches[f->nbatches++];
    memset(b, 0, sizeof(*b));
    b->f = f;
    return b;
}

/* Queue a small asynchronous batch (allowed at interrupt time too). */
static void async_verbs(struct fuzz *f, hdabdl_client *client, uint32_t seed)
{
    struct batch *b = new_batch(f);
    if (!b)
        return;
    b->count = 1 + seed % 4;
    for (uint32_t i = 0; i < b->count; i++)
        b->t[i].output.command = HDABDL_VERB12(seed >> 4, i, HDABDL_VERB_GET_PARAMETER, i + seed);
    hdabdl_status st = hdabdl_transfer_codec_verbs(client, b->count, b->t, transfer_done, b);
    b->accepted = st == HDABDL_STATUS_SUCCESS;
}

static void isr(void *context, uint32_t mask)
{
    struct isr_ctx *c = context;
    struct fuzz *f = c->f;
    const volatile uint32_t *pos = NULL;

    if (mask == 0 || (mask & ~(uint32_t)(HDABDL_ISR_BCIS | HDABDL_ISR_FIFOE | HDABDL_ISR_DESE)))
        fail("BDL ISR called with bits other than BCIS/FIFOE/DESE (or none)");
    c->calls++;
    switch (c->action) {
    case ISR_PAUSE:
        (void)hdabdl_set_dma_engine_state(c->client, HDABDL_PAUSE_STATE, 1, &c->handle);
        break;
    case ISR_RUN:
        (void)hdabdl_set_dma_engine_state(c->client, HDABDL_RUN_STATE, 1, &c->handle);
        break;
    case ISR_POSITION:
        if (hdabdl_get_link_position_register(c->client, c->handle, &pos) == HDABDL_STATUS_SUCCESS)
            (void)*pos;
        if (hdabdl_get_wall_clock_register(c->client, &pos) == HDABDL_STATUS_SUCCESS)
            (void)*pos;
        break;
    case ISR_ASYNC_VERBS:
        if (f->async_verbs_left) {
            f->async_verbs_left--;
            async_verbs(f, c->client, c->calls);
        }
        break;
    case ISR_PASSIVE_ONLY: {
        struct hdabdl_stream_format fmt = {48000, 16, 16, 2};
        hdabdl_handle h = NULL;
        hdabdl_converter_format conv;
        struct hdabdl_codec_transfer t = {{0}, {0}};
        uint8_t tag;
        if (hdabdl_allocate_render_dma_engine(c->client, &fmt, false, &h, &conv) !=
                HDABDL_STATUS_UNSUCCESSFUL ||
            hdabdl_transfer_codec_verbs(c->client, 1, &t, NULL, NULL) != HDABDL_STATUS_UNSUCCESSFUL ||
            hdabdl_register_event_callback(c->client, NULL, NULL, &tag) != HDABDL_STATUS_UNSUCCESSFUL ||
            hdabdl_free_contiguous_dma_buffer(c->client, c->handle) != HDABDL_STATUS_UNSUCCESSFUL ||
            hdabdl_free_dma_buffer(c->client, c->handle) != HDABDL_STATUS_UNSUCCESSFUL)
            fail("a passive-only routine did not return UNSUCCESSFUL at interrupt time");
        break;
    }
    case ISR_RESET:
        (void)hdabdl_set_dma_engine_state(c->client, HDABDL_RESET_STATE, 1, &c->handle);
        break;
    case ISR_FREE:
        (void)hdabdl_free_dma_engine(c->client, c->handle);
        break;
    default:
        break;
    }
}

static void event_signal(struct hdabdl_notification_event *event)
{
    struct event *ev = (struct event *)(void *)event;
    ev->signals++;
}

static void notification_a(void *context, int64_t timestamp)
{
    struct ncb *n = context;
    if (timestamp < n->last)
        fail("notification callback: the timestamp went back");
    if ((uint64_t)timestamp > hdabdl_mock_now(n->f->dev))
        fail("notification callback: a timestamp in the future");
    n->last = timestamp;
    n->calls++;
}

static void notification_b(void *context, int64_t timestamp)
{
    notification_a(context, timestamp);
}

static void unsolicited(hdabdl_codec_response response, void *context)
{
    struct unsol_ctx *u = context;
    uint64_t r = response.complete_response;
    if (!u->live)
        fail("unsolicited-response callback called after it was unregistered");
    if (!HDABDL_RESPONSE_IS_VALID(r) || !HDABDL_RESPONSE_IS_UNSOL(r))
        fail("unsolicited-response callback: not a valid unsolicited response");
    if (HDABDL_UNSOL_TAG(r) != u->tag || HDABDL_RESPONSE_SDATA_IN(r) != u->codec)
        fail("unsolicited-response callback: a response for another tag or codec");
    u->calls++;
}

/* ---- Pickers ----------------------------------------------------------------------- */

static struct hdabdl_stream_format pick_format(struct input *in)
{
    static const uint32_t rates[] = {8000,  11025, 16000,  22050,  32000,  44100,
                                     48000, 88200, 96000, 176400, 192000, 384000};
    static const uint16_t bits[] = {8, 16, 20, 24, 32, 16, 0, 33};
    static const uint16_t containers[] = {8, 16, 32, 16, 32, 24, 0, 64};
    struct hdabdl_stream_format f;
    uint8_t how = u8(in);

    f.sample_rate = (how & 0x80) ? u32(in) : rates[u8(in) % (sizeof(rates) / sizeof(rates[0]))];
    f.valid_bits_per_sample = (how & 0x40) ? u8(in) : bits[u8(in) % 8];
    f.container_size = (how & 0x20) ? u8(in) : containers[u8(in) % 8];
    if (!(how & 0x20) && f.container_size < f.valid_bits_per_sample && (how & 0x10))
        f.container_size = 32;
    f.number_of_channels = (how & 0x08) ? u16(in) : (uint16_t)(1 + u8(in) % 16);
    return f;
}

static struct client_slot *pick_client(struct fuzz *f, struct input *in)
{
    struct client_slot *c = &f->clients[u8(in) % MAX_CLIENTS];
    return c->client ? c : NULL;
}

static struct slot *pick_slot(struct fuzz *f, struct input *in)
{
    uint8_t b = u8(in);
    return f->nslots ? &f->slots[b % f->nslots] : NULL;
}

/* The client a slot's calls go to: its owner, or (the input says) any other. */
static hdabdl_client *slot_client(struct fuzz *f, const struct slot *s, struct input *in)
{
    uint8_t b = u8(in);
    if ((b & 0xC0) == 0xC0 || s->client < 0) {
        struct client_slot *c = &f->clients[b % MAX_CLIENTS];
        return c->client;
    }
    return f->clients[s->client].client;
}

/* A handle: a real one (maybe stale), NULL, or forged. */
static hdabdl_handle pick_handle(struct fuzz *f, struct input *in)
{
    uint8_t b = u8(in);
    switch (b & 7) {
    case 6:
        return NULL;
    case 7: {
        uintptr_t v = (b & 0x80) ? (uintptr_t)u32(in) : (uintptr_t)u16(in);
        if (f->nslots && (b & 0x40))   /* a real slot number with a wrong generation */
            v = ((uintptr_t)f->slots[b % f->nslots].handle & 0xFFu) | ((uintptr_t)u8(in) << 8);
        return (hdabdl_handle)v;
    }
    default:
        return f->nslots ? f->slots[(b >> 3) % f->nslots].handle : NULL;
    }
}

/* ---- Bookkeeping --------------------------------------------------------------------- */

/* The engine of @s is alive for @client and holds the buffer the slot says? */
static bool slot_buffer_alive(struct fuzz *f, struct slot *s)
{
    struct hdabdl_engine_info info;

    if (!s->used || s->client < 0 || s->kind == BUF_NONE)
        return false;
    hdabdl_client *client = f->clients[s->client].client;
    if (!client || hdabdl_engine_get_info(client, s->handle, &info) != HDABDL_STATUS_SUCCESS)
        fail("an engine the fuzzer holds a buffer of is gone");
    enum hdabdl_buffer_kind want = s->kind == BUF_CONTIG ? HDABDL_BUFFER_KIND_CONTIGUOUS
                                 : s->kind == BUF_BUS   ? HDABDL_BUFFER_KIND_BUS
                                                        : HDABDL_BUFFER_KIND_NOTIFICATION;
    if (info.buffer_kind != want || info.buffer == HDABDL_BUFFER_NONE)
        fail("hdabdl_engine_get_info: the buffer kind is not what the allocation gave");
    return true;
}

/* The client at index @ci has been freed: its engines and buffers went with it. */
static void client_gone(struct fuzz *f, unsigned ci)
{
    for (unsigned i = 0; i < f->nslots; i++) {
        if (f->slots[i].client == (int)ci) {
            f->slots[i].client = -1;
            f->slots[i].kind = BUF_NONE;
        }
    }
    for (unsigned i = 0; i < f->nunsol; i++)
        if (f->unsol[i].client == (int)ci)
            f->unsol[i].live = false;      /* its registrations went with it */
    memset(&f->clients[ci], 0, sizeof(f->clients[ci]));
}

static struct slot *new_slot(struct fuzz *f, unsigned ci, hdabdl_handle h,
                             const struct hdabdl_stream_format *fmt)
{
    if (f->nslots >= MAX_SLOTS)
        return NULL;
    struct slot *s = &f->slots[f->nslots++];
    memset(s, 0, sizeof(*s));
    s->used = true;
    s->client = (int)ci;
    s->handle = h;
    s->format = *fmt;
    s->isr.f = f;
    return s;
}

static unsigned client_index(struct fuzz *f, const struct client_slot *c)
{
    return (unsigned)(c - f->clients);
}

static void check_bandwidth(struct fuzz *f)
{
    struct hdabdl_bandwidth_info bw;
    if (hdabdl_controller_get_bandwidth(f->ctrl, &bw) != HDABDL_STATUS_SUCCESS)
        fail("hdabdl_controller_get_bandwidth failed");
    for (unsigned i = 0; i < 4; i++)
        if (bw.sdo_used[i] > bw.sdo_capacity)
            fail("more bandwidth reserved on an SDO line than it has");
    for (unsigned i = 0; i < 15; i++)
        if (bw.sdi_used[i] > bw.sdi_capacity)
            fail("more bandwidth reserved on an SDI line than it has");
}

/* A verb for the transfer ops: mostly what drivers send, some garbage. */
static uint32_t pick_verb(struct client_slot *c, struct input *in)
{
    uint8_t b = u8(in);
    uint8_t cad = (b & 0x80) ? (uint8_t)(u8(in) & 0xF) : c->codec_address;
    uint8_t nid = (uint8_t)(u8(in) % 8);
    switch (b & 7) {
    case 0:
        return HDABDL_VERB12(cad, nid, HDABDL_VERB_GET_PARAMETER, u8(in) % 0x14);
    case 1: /* unsolicited responses on, with a tag the client registered (or any) */
        return HDABDL_VERB12(cad, nid, HDABDL_VERB_SET_UNSOLICITED_ENABLE,
                             0x80u | (c->ntags ? c->tags[u8(in) % c->ntags] : u8(in) & 0x3Fu));
    case 2: /* a converter on a stream tag */
        return HDABDL_VERB12(cad, nid, HDABDL_VERB_SET_CHANNEL_STREAMID, u8(in));
    case 3:
        return HDABDL_VERB4(cad, nid, HDABDL_VERB4_SET_STREAM_FORMAT, u16(in));
    case 4:
        return HDABDL_VERB12(cad, nid, HDABDL_VERB_SET_PIN_WIDGET_CONTROL, u8(in));
    case 5:
        return HDABDL_VERB12(cad, nid, HDABDL_VERB_GET_PIN_SENSE, 0);
    default:
        return u32(in);
    }
}

/* ---- Operations -------------------------------------------------------------------------- */

enum op {
    OP_CLIENT_OPEN,
    OP_CLIENT_CLOSE,
    OP_ALLOC_RENDER,
    OP_ALLOC_CAPTURE,
    OP_CHANGE_BANDWIDTH,
    OP_FREE_ENGINE,
    OP_ALLOC_CONTIG,
    OP_WRITE_BDL,
    OP_FILL_BDL,
    OP_SETUP,
    OP_FREE_CONTIG,
    OP_SET_STATE,
    OP_START,
    OP_ALLOC_BUS,
    OP_FREE_BUS,
    OP_NOTIFY_EVENT,
    OP_NOTIFY_CALLBACK,
    OP_VERBS_SYNC,
    OP_VERBS_ASYNC,
    OP_EVENT_CALLBACK,
    OP_ADVANCE,
    OP_ADVANCE2,
    OP_FAULT,
    OP_JACK,
    OP_INFO,
    OP_SERVICE,
    OP_WRITE_DATA,
    OP_INTERFACE,
    OP_BUS_ADDRESS,
    OP_DMA_FAIL,
    OP_STREAM,
    OP_STREAM2,
    OP_UNSOL,
    OP_COUNT
};

static void op_client_open(struct fuzz *f, struct input *in)
{
    unsigned ci = u8(in) % MAX_CLIENTS;
    uint8_t cad = u8(in), node = u8(in);
    struct client_slot *c = &f->clients[ci];
    if (c->client)
        return;
    hdabdl_client *client = NULL;
    hdabdl_status st = hdabdl_client_open(f->ctrl, (uint8_t)(cad % 16), node, &client);
    if (st == HDABDL_STATUS_SUCCESS) {
        if (!client)
            fail("hdabdl_client_open succeeded without a client");
        memset(c, 0, sizeof(*c));
        c->client = client;
        c->codec_address = (uint8_t)(cad % 16);
    }
}

/* Drop one of the fuzzer's references (opener's or a table's); frees at zero. */
static void client_drop(struct fuzz *f, struct client_slot *c, bool table)
{
    unsigned ci = client_index(f, c);
    if (table) {
        if (!c->table_refs)
            return;
        c->table_refs--;
        if (c->have_v3)
            c->v3.InterfaceDereference(c->v3.Context);
        else
            c->bdl.InterfaceDereference(c->bdl.Context);
    } else {
        if (c->opener_closed) {
            /* A second close while tables keep it alive: ignored (ddi.h). */
            if (c->table_refs)
                hdabdl_client_close(c->client);
            return;
        }
        c->opener_closed = true;
        hdabdl_client_close(c->client);
    }
    if (c->opener_closed && c->table_refs == 0)
        client_gone(f, ci);
}

static void op_alloc_engine(struct fuzz *f, struct input *in, bool render)
{
    struct client_slot *c = pick_client(f, in);
    struct hdabdl_stream_format fmt = pick_format(in);
    uint8_t arg = u8(in);
    if (!c)
        return;
    hdabdl_handle h = NULL;
    hdabdl_converter_format conv = 0;
    hdabdl_status st =
        render ? hdabdl_allocate_render_dma_engine(c->client, &fmt, (arg & 1) != 0, &h, &conv)
               : hdabdl_allocate_capture_dma_engine(c->client, (uint8_t)(arg % 17), &fmt, &h, &conv);
    if (st != HDABDL_STATUS_SUCCESS)
        return;
    hdabdl_converter_format expect;
    if (hdabdl_stream_format_encode(&fmt, &expect) != HDABDL_STATUS_SUCCESS || expect != conv)
        fail("an engine was allocated for a format hdabdl_stream_format_encode refuses (or differently)");
    (void)new_slot(f, client_index(f, c), h, &fmt);   /* out of slots: closed at the end */
    check_bandwidth(f);
}

static void op_change_bandwidth(struct fuzz *f, struct input *in)
{
    struct slot *s = pick_slot(f, in);
    struct hdabdl_stream_format fmt = pick_format(in);
    if (!s)
        return;
    hdabdl_client *client = slot_client(f, s, in);
    hdabdl_converter_format conv;
    if (!client)
        return;
    if (hdabdl_change_bandwidth_allocation(client, s->handle, &fmt, &conv) == HDABDL_STATUS_SUCCESS)
        s->format = fmt;
    check_bandwidth(f);
}

static void op_free_engine(struct fuzz *f, struct input *in)
{
    hdabdl_handle h = pick_handle(f, in);
    struct client_slot *c = pick_client(f, in);
    if (!c)
        return;
    if (hdabdl_free_dma_engine(c->client, h) == HDABDL_STATUS_SUCCESS) {
        for (unsigned i = 0; i < f->nslots; i++)
            if (f->slots[i].handle == h && f->slots[i].kind != BUF_NONE &&
                f->slots[i].client == (int)client_index(f, c))
                fail("FreeDmaEngine succeeded on an engine with a buffer");
    }
    check_bandwidth(f);
}

static void op_alloc_contig(struct fuzz *f, struct input *in)
{
    struct slot *s = pick_slot(f, in);
    uint8_t how = u8(in);
    uint32_t size = (how & 0x80) ? u32(in) : (uint32_t)u16(in) + (how & 0x40 ? 0u : 128u);
    if (!s)
        return;
    hdabdl_client *client = slot_client(f, s, in);
    if (!client)
        return;
    void *data = NULL;
    uint64_t data_bus = 0, bdl_bus = 0;
    struct hdabdl_buffer_descriptor *bdl = NULL;
    hdabdl_status st = hdabdl_allocate_contiguous_dma_buffer(client, s->handle, size, &data, &data_bus,
                                                             (how & 0x20) ? NULL : &bdl, &bdl_bus);
    if (st != HDABDL_STATUS_SUCCESS)
        return;
    if (s->client < 0 || client != f->clients[s->client].client)
        fail("AllocateContiguousDmaBuffer succeeded for a handle of another client");
    if (s->kind != BUF_NONE)
        fail("AllocateContiguousDmaBuffer succeeded for an engine that has a buffer");
    if (!data || !bdl || ((uintptr_t)bdl & (HDABDL_PAGE_SIZE - 1)) || (bdl_bus & (HDABDL_PAGE_SIZE - 1)))
        fail("AllocateContiguousDmaBuffer: no buffer, or a BDL not on a page");
    s->kind = BUF_CONTIG;
    s->data = data;
    s->data_bus = data_bus;
    s->size = size;
    s->bdl = bdl;
    s->bdl_bus = bdl_bus;
    s->length = 0;
    s->lvi = 0;
    /* Touch every byte: ASan says if the buffer is smaller than promised. */
    memset(data, 0, size);
    memset(bdl, 0, HDABDL_PAGE_SIZE);
}

/* Is the engine's buffer programmed (in use by the hardware)? */
static bool slot_programmed(struct fuzz *f, struct slot *s)
{
    struct hdabdl_engine_info info;
    hdabdl_client *client = f->clients[s->client].client;
    return hdabdl_engine_get_info(client, s->handle, &info) == HDABDL_STATUS_SUCCESS &&
           info.buffer == HDABDL_BUFFER_PROGRAMMED;
}

static void op_write_bdl(struct fuzz *f, struct input *in)
{
    struct slot *s = pick_slot(f, in);
    uint8_t index = u8(in), how = u8(in);
    if (!s || !slot_buffer_alive(f, s) || s->kind != BUF_CONTIG)
        return;
    if (slot_programmed(f, s))
        f->bdl_tampered = true;
    uint64_t address;
    switch (how & 3) {
    case 0: /* inside the buffer, aligned */
        address = s->data_bus + ((uint64_t)u16(in) * 128u) % s->size;
        break;
    case 1: /* inside, anywhere */
        address = s->data_bus + u32(in) % s->size;
        break;
    case 2: /* near the buffer's end or past it */
        address = s->data_bus + s->size - 128u + (uint64_t)(u8(in) % 4) * 64u;
        break;
    default:
        address = (uint64_t)u32(in) << (u8(in) % 40);
        break;
    }
    uint32_t length = (how & 4) ? u32(in) : (uint32_t)u16(in);
    uint32_t ioc = (how & 8) ? u8(in) : (uint32_t)((how >> 4) & 1);
    hdabdl_bdl_write_entry(s->bdl, index, address, length, ioc);
}

static uint32_t lcm32(uint32_t a, uint32_t b)
{
    uint32_t x = a, y = b;
    while (y) {
        uint32_t t = x % y;
        x = y;
        y = t;
    }
    return a / x * b;
}

static void op_fill_bdl(struct fuzz *f, struct input *in)
{
    struct slot *s = pick_slot(f, in);
    uint8_t n = u8(in), ioc = u8(in);
    if (!s || !slot_buffer_alive(f, s) || s->kind != BUF_CONTIG)
        return;
    if (slot_programmed(f, s))
        f->bdl_tampered = true;
    uint32_t block = hdabdl_stream_format_block_bytes(&s->format);
    uint32_t fragments = 2 + n % 15;
    uint32_t unit = lcm32(HDA_BDL_FRAGMENT_ALIGN, block ? block : 1);
    uint32_t frag = s->size / fragments / unit * unit;
    if (frag == 0) {
        fragments = 2;
        frag = s->size / 2 / unit * unit;
        if (frag == 0)
            return;
    }
    for (uint32_t i = 0; i < fragments; i++)
        hdabdl_bdl_write_entry(s->bdl, i, s->data_bus + (uint64_t)i * frag, frag, (ioc >> (i % 8)) & 1u);
    s->length = fragments * frag;
    s->lvi = fragments - 1;
}

static void op_setup(struct fuzz *f, struct input *in)
{
    struct slot *s = pick_slot(f, in);
    uint8_t how = u8(in), action = u8(in);
    uint32_t length = (how & 1) ? u32(in) : (uint32_t)u16(in);
    uint32_t lvi = (how & 2) ? u32(in) : u8(in);
    if (!s)
        return;
    hdabdl_client *client = slot_client(f, s, in);
    if (!client)
        return;
    if (!(how & 0x80) && s->length) {   /* the valid setup the last fill made */
        length = s->length;
        lvi = s->lvi;
    }
    uint8_t stream_id = 0;
    uint32_t fifo = 0;
    /* The context changes only when the setup succeeds: until then the old
     * programming (and its ISR, with the old context) stays in force. */
    struct isr_ctx *ctx = &s->isr;
    hdabdl_status st = hdabdl_setup_dma_engine_with_bdl(client, s->handle, length, lvi,
                                                        (how & 0x40) ? NULL : isr, ctx,
                                                        (how & 0x20) ? NULL : &stream_id, &fifo);
    if (st == HDABDL_STATUS_SUCCESS) {
        if (s->kind != BUF_CONTIG || client != f->clients[s->client].client)
            fail("SetupDmaEngineWithBdl succeeded without a contiguous buffer of this client");
        if (stream_id < 1 || stream_id > 15 || fifo == 0)
            fail("SetupDmaEngineWithBdl: stream id or FIFO size out of range");
        ctx->client = client;
        ctx->handle = s->handle;
        ctx->action = (uint8_t)(action % ISR_ACTIONS);
    }
}

/* A free releases the buffer on SUCCESS, and also when it met the hardware
 * failing during the teardown (README "Failing hardware"): the status then
 * says what the hardware did not confirm. Refusals release nothing. */
static bool free_released(hdabdl_status st)
{
    return st == HDABDL_STATUS_SUCCESS || st == HDABDL_STATUS_IO_DEVICE_ERROR ||
           st == HDABDL_STATUS_DEVICE_NOT_READY || st == HDABDL_STATUS_DEVICE_DOES_NOT_EXIST;
}

static void op_free_contig(struct fuzz *f, struct input *in)
{
    struct slot *s = pick_slot(f, in);
    if (!s)
        return;
    hdabdl_client *client = slot_client(f, s, in);
    if (!client)
        return;
    if (free_released(hdabdl_free_contiguous_dma_buffer(client, s->handle))) {
        if (s->kind != BUF_CONTIG || client != f->clients[s->client].client)
            fail("FreeContiguousDmaBuffer released without a contiguous buffer of this client");
        s->kind = BUF_NONE;
        s->length = 0;
    }
}

static void op_set_state(struct fuzz *f, struct input *in)
{
    struct client_slot *c = pick_client(f, in);
    uint8_t b = u8(in);
    hdabdl_handle handles[6];
    uint32_t n = b % 7u;
    for (uint32_t i = 0; i < n; i++)
        handles[i] = pick_handle(f, in);
    if (!c)
        return;
    enum hdabdl_stream_state st = (enum hdabdl_stream_state)((b >> 3) % 4);   /* 3: invalid */
    (void)hdabdl_set_dma_engine_state(c->client, st, (b & 0x80) ? n : (n ? n : 1),
                                      (b & 0x40) && n == 0 ? NULL : handles);
}

static void op_start(struct fuzz *f, struct input *in)
{
    struct slot *s = pick_slot(f, in);
    uint8_t b = u8(in);
    if (!s || s->client < 0 || !f->clients[s->client].client)
        return;
    hdabdl_client *client = f->clients[s->client].client;
    hdabdl_handle hs[2] = {s->handle, NULL};
    uint32_t n = 1;
    struct slot *other = (b & 1) ? pick_slot(f, in) : NULL;
    if (other && other != s) {
        hs[1] = other->handle;
        n = 2;
    }
    if (b & 2)
        (void)hdabdl_set_dma_engine_state(client, HDABDL_PAUSE_STATE, n, hs);
    else if (hdabdl_set_dma_engine_state(client, HDABDL_PAUSE_STATE, n, hs) == HDABDL_STATUS_SUCCESS)
        (void)hdabdl_set_dma_engine_state(client, HDABDL_RUN_STATE, n, hs);
}

static void op_alloc_bus(struct fuzz *f, struct input *in)
{
    struct slot *s = pick_slot(f, in);
    uint8_t how = u8(in);
    size_t requested = (how & 0x80) ? (size_t)u32(in) : (size_t)u16(in) * ((how & 0x40) ? 16u : 1u);
    if (!s)
        return;
    hdabdl_client *client = slot_client(f, s, in);
    if (!client)
        return;
    struct hdabdl_mdl *mdl = NULL;
    size_t allocated = 0, offset = 0;
    uint8_t stream_id = 0;
    uint32_t fifo = 0;
    uint32_t count = (how & 0x20) ? (how & 3u) : 0u;
    hdabdl_status st =
        !(how & 0x20)
            ? hdabdl_allocate_dma_buffer(client, s->handle, requested, &mdl, &allocated, &stream_id, &fifo)
            : hdabdl_allocate_dma_buffer_with_notification(client, s->handle, count, requested, &mdl,
                                                           &allocated, (how & 0x10) ? NULL : &offset,
                                                           &stream_id, &fifo);
    if (st != HDABDL_STATUS_SUCCESS)
        return;
    if (s->client < 0 || client != f->clients[s->client].client || s->kind != BUF_NONE)
        fail("a bus buffer was allocated for another client's engine or one that has a buffer");
    if (!mdl || allocated < requested || mdl->byte_count != allocated || mdl->page_count == 0 ||
        stream_id < 1 || stream_id > 15)
        fail("a bus buffer's MDL, size or stream id is wrong");
    size_t total = 0;
    for (uint32_t i = 0; i < mdl->page_count; i++) {
        memset(mdl->pages[i].cpu, 0x11, mdl->pages[i].size);   /* ASan: each page is that big */
        total += mdl->pages[i].size;
    }
    if (total < mdl->byte_offset + mdl->byte_count)
        fail("a bus buffer's pages are smaller than the buffer");
    s->kind = (how & 0x20) ? BUF_NOTIFY : BUF_BUS;
    s->mdl = mdl;
    s->allocated = allocated;
    s->requested = requested;
}

static void op_free_bus(struct fuzz *f, struct input *in)
{
    struct slot *s = pick_slot(f, in);
    uint8_t how = u8(in);
    if (!s)
        return;
    hdabdl_client *client = slot_client(f, s, in);
    if (!client)
        return;
    hdabdl_status st;
    if (!(how & 1)) {
        st = hdabdl_free_dma_buffer(client, s->handle);
        if (free_released(st) && s->kind != BUF_BUS)
            fail("FreeDmaBuffer released without a V1 buffer");
    } else {
        struct slot *other = pick_slot(f, in);
        struct hdabdl_mdl *mdl = (how & 2) && other ? other->mdl : s->mdl;
        size_t size = (how & 4) ? s->requested : (how & 8) ? (size_t)u32(in) : s->allocated;
        st = hdabdl_free_dma_buffer_with_notification(client, s->handle, mdl, size);
        if (free_released(st) && (s->kind != BUF_NOTIFY || mdl != s->mdl))
            fail("FreeDmaBufferWithNotification released without that notification buffer");
    }
    if (free_released(st)) {
        if (client != f->clients[s->client].client)
            fail("a bus buffer was freed through another client");
        s->kind = BUF_NONE;
        s->mdl = NULL;
    }
}

static void op_notify_event(struct fuzz *f, struct input *in)
{
    struct slot *s = pick_slot(f, in);
    uint8_t b = u8(in);
    if (!s)
        return;
    hdabdl_client *client = slot_client(f, s, in);
    if (!client)
        return;
    struct hdabdl_notification_event *ev = (b & 0x40) ? NULL : &f->events[b % MAX_EVENTS].ev;
    if (b & 0x80)
        (void)hdabdl_unregister_notification_event(client, s->handle, ev);
    else
        (void)hdabdl_register_notification_event(client, s->handle, ev);
}

static void op_notify_callback(struct fuzz *f, struct input *in)
{
    struct slot *s = pick_slot(f, in);
    uint8_t b = u8(in);
    if (!s)
        return;
    hdabdl_client *client = slot_client(f, s, in);
    if (!client)
        return;
    hdabdl_dma_notification_callback fn = (b & 0x40) ? NULL : (b & 0x20) ? notification_b : notification_a;
    void *ctx = &f->ncbs[b % MAX_NCB];
    if (b & 0x80)
        (void)hdabdl_unregister_notification_callback(client, s->handle, fn, ctx);
    else
        (void)hdabdl_register_notification_callback(client, s->handle, (void *)f, fn, ctx);
}

static void op_verbs_sync(struct fuzz *f, struct input *in)
{
    struct client_slot *c = pick_client(f, in);
    uint8_t b = u8(in);
    struct hdabdl_codec_transfer t[SYNC_VERBS];
    uint32_t n = b % (SYNC_VERBS + 1);
    if (!c)
        return;
    memset(t, 0, sizeof(t));
    for (uint32_t i = 0; i < n; i++)
        t[i].output.command = pick_verb(c, in);
    hdabdl_status st = hdabdl_transfer_codec_verbs(c->client, n, (b & 0x80) && n == 0 ? NULL : t,
                                                   NULL, NULL);
    if (st == HDABDL_STATUS_SUCCESS) {
        for (uint32_t i = 0; i < n; i++) {
            uint64_t r = t[i].input.complete_response;
            if (HDABDL_RESPONSE_IS_VALID(r) &&
                HDABDL_RESPONSE_SDATA_IN(r) != HDABDL_VERB_CODEC(t[i].output.command))
                fail("a verb's response came from another codec");
            if (HDABDL_RESPONSE_IS_UNSOL(r))
                fail("a solicited response marked unsolicited");
        }
    }
}

static void op_verbs_async(struct fuzz *f, struct input *in)
{
    struct client_slot *c = pick_client(f, in);
    uint8_t b = u8(in);
    if (!c)
        return;
    struct batch *batch = new_batch(f);
    if (!batch)
        return;
    batch->count = b % (BATCH_VERBS + 1);
    for (uint32_t i = 0; i < batch->count; i++)
        batch->t[i].output.command = pick_verb(c, in);
    hdabdl_status st = hdabdl_transfer_codec_verbs(c->client, batch->count, batch->t, transfer_done, batch);
    batch->accepted = st == HDABDL_STATUS_SUCCESS;
    if (batch->count == 0 && batch->accepted && batch->completions != 1)
        fail("an empty asynchronous batch did not complete at once");
}

static void op_event_callback(struct fuzz *f, struct input *in)
{
    struct client_slot *c = pick_client(f, in);
    uint8_t b = u8(in);
    if (!c)
        return;
    if (b & 0x80) {
        /* Unregister: one of its tags, or any number. */
        uint8_t tag = (b & 0x40) || !c->ntags ? u8(in) : c->tags[u8(in) % c->ntags];
        hdabdl_status st = hdabdl_unregister_event_callback(c->client, tag);
        for (unsigned i = 0; i < f->nunsol; i++) {
            struct unsol_ctx *u = &f->unsol[i];
            if (u->live && u->client == (int)client_index(f, c) && u->tag == tag &&
                st == HDABDL_STATUS_SUCCESS)
                u->live = false;
        }
        return;
    }
    if (f->nunsol >= MAX_UNSOL)
        return;
    struct unsol_ctx *u = &f->unsol[f->nunsol];
    uint8_t tag = 0xFF;
    hdabdl_status st = hdabdl_register_event_callback(c->client, (b & 0x40) ? NULL : unsolicited, u,
                                                      (b & 0x20) ? NULL : &tag);
    if (st != HDABDL_STATUS_SUCCESS)
        return;
    if (tag >= 64)
        fail("RegisterEventCallback gave a tag above 63");
    for (unsigned i = 0; i < f->nunsol; i++)
        if (f->unsol[i].live && f->unsol[i].codec == c->codec_address && f->unsol[i].tag == tag)
            fail("RegisterEventCallback gave a tag that is still taken");
    f->nunsol++;
    u->f = f;
    u->client = (int)client_index(f, c);
    u->codec = c->codec_address;
    u->tag = tag;
    u->live = true;
    if (c->ntags < sizeof(c->tags))
        c->tags[c->ntags++] = tag;
}

static void op_advance(struct fuzz *f, struct input *in, bool long_step)
{
    uint64_t ns = long_step ? (uint64_t)u8(in) * 12000u : (uint64_t)u16(in) * 8u;
    if (ns > MAX_ADVANCE_NS)
        ns = MAX_ADVANCE_NS;
    hdabdl_mock_hal_advance(f->hal, ns);
}

static void op_fault(struct fuzz *f, struct input *in)
{
    uint8_t b = u8(in), stream = u8(in);
    if (b & 0x80) {
        hdabdl_mock_inject_fifo_error(f->dev, stream % 32u);
        return;
    }
    enum hdabdl_mock_fault fault = (enum hdabdl_mock_fault)(b % HDABDL_MOCK_FAULT_COUNT);
    hdabdl_mock_set_fault(f->dev, fault, (b & 0x40) ? -1 : (int)(stream % 32u), (b & 0x20) == 0);
    f->faults = true;
}

static void op_jack(struct fuzz *f, struct input *in)
{
    uint8_t b = u8(in);
    struct hdabdl_codec *codec = f->codecs[b % 3];
    if (codec)
        (void)hdabdl_codec_set_jack(codec, (b & 0x10) ? 5 : 3, (b & 0x20) != 0);
}

static void op_info(struct fuzz *f, struct input *in)
{
    struct client_slot *c = pick_client(f, in);
    uint8_t b = u8(in);
    struct hdabdl_controller_info ci;
    struct hdabdl_command_stats cs;
    if (hdabdl_controller_get_info(f->ctrl, &ci) != HDABDL_STATUS_SUCCESS ||
        hdabdl_controller_get_command_stats(f->ctrl, &cs) != HDABDL_STATUS_SUCCESS)
        fail("controller info or command stats failed");
    if (cs.overruns > cs.timeouts)
        fail("command stats: more overruns than timeouts");
    check_bandwidth(f);
    if (!c)
        return;
    union {
        struct hdabdl_device_information v1;
        struct hdabdl_device_information_v2 v2;
        uint8_t bytes[64];
    } di;
    memset(&di, 0xCC, sizeof(di));
    di.v1.size = (uint16_t)(b % 24);
    (void)hdabdl_get_device_information(c->client, &di.v1);
    uint8_t cad, node;
    hdabdl_status st = hdabdl_get_resource_information(c->client, &cad, &node);
    /* A vanished device (the all-ones fault) is DEVICE_DOES_NOT_EXIST for every routine. */
    if ((st != HDABDL_STATUS_SUCCESS && st != HDABDL_STATUS_DEVICE_DOES_NOT_EXIST) ||
        cad != c->codec_address)
        fail("GetResourceInformation: not the client's codec address");
    const volatile uint32_t *p;
    if (hdabdl_get_wall_clock_register(c->client, &p) == HDABDL_STATUS_SUCCESS)
        (void)*p;
    hdabdl_handle h = pick_handle(f, in);
    struct hdabdl_engine_info ei;
    if (hdabdl_engine_get_info(c->client, h, &ei) == HDABDL_STATUS_SUCCESS) {
        if (ei.stream_tag < 1 || ei.stream_tag > 15 || ei.sd_index >= 30)
            fail("engine info: stream tag or SD index out of range");
        if (hdabdl_get_link_position_register(c->client, h, &p) == HDABDL_STATUS_SUCCESS)
            (void)*p;
    }
}

static void op_write_data(struct fuzz *f, struct input *in)
{
    struct slot *s = pick_slot(f, in);
    uint32_t at = u32(in);
    uint8_t value = u8(in);
    if (!s || !slot_buffer_alive(f, s))
        return;
    if (s->kind == BUF_CONTIG) {
        uint32_t off = at % s->size;
        uint32_t len = s->size - off < 256 ? s->size - off : 256;
        memset(s->data + off, value, len);
        return;
    }
    /* Byte offsets of the MDL's buffer, across pages. */
    size_t pos = s->mdl->byte_offset + at % s->mdl->byte_count;
    for (uint32_t i = 0; i < s->mdl->page_count; i++) {
        if (pos < s->mdl->pages[i].size) {
            size_t len = s->mdl->pages[i].size - pos < 256 ? s->mdl->pages[i].size - pos : 256;
            memset((uint8_t *)s->mdl->pages[i].cpu + pos, value, len);
            return;
        }
        pos -= s->mdl->pages[i].size;
    }
    fail("an MDL byte offset past its pages");
}

static void op_interface(struct fuzz *f, struct input *in)
{
    struct client_slot *c = pick_client(f, in);
    uint8_t b = u8(in);
    if (!c)
        return;
    switch (b & 3) {
    case 0: { /* query a table (some queries must fail) */
        static const struct hdabdl_guid bogus = {0x12345678, 0x1234, 0x5678, {1, 2, 3, 4, 5, 6, 7, 8}};
        const struct hdabdl_guid *guids[5] = {&hdabdl_guid_bus_interface_v3, &hdabdl_guid_bus_interface_bdl,
                                              &hdabdl_guid_bus_interface, &hdabdl_guid_bus_class, &bogus};
        unsigned g = (b >> 2) % 5;
        bool small = (b & 0x80) != 0;
        union {
            struct hdabdl_bus_interface_v3 v3;
            struct hdabdl_bus_interface_bdl bdl;
            struct hdabdl_bus_interface v1;
            uint8_t bytes[256];
        } table;
        memset(&table, 0, sizeof(table));
        uint16_t size = g == 1 ? (uint16_t)sizeof(table.bdl) : g == 2 ? (uint16_t)sizeof(table.v1)
                                                                      : (uint16_t)sizeof(table.v3);
        if (small)
            size = (uint16_t)(size - 1 - u8(in) % 16);
        hdabdl_status st = hdabdl_query_interface(c->client, guids[g], size, 0x100, &table);
        if (st != HDABDL_STATUS_SUCCESS) {
            if (g < 3 && !small)
                fail("QueryInterface refused a bus interface GUID with room for the table");
            return;
        }
        if (g >= 3 || small)
            fail("QueryInterface filled a table for an unknown GUID or a short buffer");
        if (table.v1.Context != c->client || table.v1.Size != size)
            fail("QueryInterface: Context or Size wrong");
        if (g == 2) {
            /* V1: a call through it, and its reference dropped at once. */
            uint8_t cad = 0xEE, node = 0xEE;
            table.v1.GetResourceInformation(table.v1.Context, &cad, &node);
            if (cad != c->codec_address)
                fail("GetResourceInformation through the V1 table: wrong codec address");
            table.v1.InterfaceDereference(table.v1.Context);
            break;
        }
        c->table_refs++;
        if (g == 0) {
            c->v3 = table.v3;
            c->have_v3 = true;
        } else {
            c->bdl = table.bdl;
            c->have_bdl = true;
        }
        break;
    }
    case 1: /* InterfaceReference */
        if (c->have_v3 || c->have_bdl) {
            if (c->have_v3)
                c->v3.InterfaceReference(c->v3.Context);
            else
                c->bdl.InterfaceReference(c->bdl.Context);
            c->table_refs++;
        }
        break;
    case 2: /* InterfaceDereference (never below the references the fuzzer took) */
        if (c->table_refs && (c->have_v3 || c->have_bdl))
            client_drop(f, c, true);
        break;
    default: { /* routines through the tables */
        if (c->have_v3) {
            struct hdabdl_device_information info = {.size = sizeof(info)};
            uint8_t cad = 0xEE, node = 0xEE;
            const volatile uint32_t *wall = NULL;
            (void)c->v3.GetDeviceInformation(c->v3.Context, &info);
            c->v3.GetResourceInformation(c->v3.Context, &cad, &node);
            c->v3.GetWallClockRegister(c->v3.Context, &wall);
            if (cad != c->codec_address)
                fail("GetResourceInformation through the V3 table: wrong codec address");
            hdabdl_handle h = pick_handle(f, in);
            (void)c->v3.SetDmaEngineState(c->v3.Context, HDABDL_PAUSE_STATE, 1, &h);
            (void)c->v3.FreeDmaEngine(c->v3.Context, h);
        }
        if (c->have_bdl) {
            struct hdabdl_stream_format fmt = pick_format(in);
            hdabdl_handle h = NULL;
            hdabdl_converter_format conv;
            if (c->bdl.AllocateRenderDmaEngine(c->bdl.Context, &fmt, 0, &h, &conv) == HDABDL_STATUS_SUCCESS)
                (void)new_slot(f, client_index(f, c), h, &fmt);
        }
        break;
    }
    }
}

static void op_bus_address(struct fuzz *f, struct input *in)
{
    struct slot *s = pick_slot(f, in);
    uint8_t b = u8(in);
    uint32_t at = u32(in);
    if (!s || !slot_buffer_alive(f, s))
        return;
    hdabdl_client *client = f->clients[s->client].client;
    uint64_t bus = 0;
    const uint8_t *p;
    uint64_t expect;
    if (s->kind == BUF_CONTIG) {
        bool in_bdl = (b & 1) != 0;
        uint32_t off = at % (in_bdl ? HDABDL_PAGE_SIZE : s->size);
        p = (in_bdl ? (const uint8_t *)s->bdl : s->data) + off;
        expect = (in_bdl ? s->bdl_bus : s->data_bus) + off;
    } else {
        const struct hdabdl_dma_page *pg = &s->mdl->pages[at % s->mdl->page_count];
        uint32_t off = (at >> 8) % pg->size;
        p = (const uint8_t *)pg->cpu + off;
        expect = pg->bus + off;
    }
    if (hdabdl_get_bus_address(client, p, &bus) != HDABDL_STATUS_SUCCESS || bus != expect)
        fail("hdabdl_get_bus_address: wrong for a byte of the client's own buffer");
    /* Not a buffer of this client: refused (and never dereferenced). */
    struct client_slot *other = pick_client(f, in);
    if (other && other->client != client)
        (void)hdabdl_get_bus_address(other->client, p, &bus);
    (void)hdabdl_get_bus_address(client, (const void *)(uintptr_t)u32(in), &bus);
}

/* ---- Composite operations: short cuts to the states the calls above reach slowly ------------- */

/* An engine with a buffer, set up (and maybe started) in one go. */
static void op_stream(struct fuzz *f, struct input *in)
{
    static const struct hdabdl_stream_format formats[] = {
        {48000, 16, 16, 2}, {44100, 24, 32, 2}, {96000, 32, 32, 8}, {8000, 8, 8, 1},
        {192000, 16, 16, 16}, {48000, 20, 32, 6}, {176400, 24, 32, 4}, {22050, 16, 16, 3},
    };
    struct client_slot *c = pick_client(f, in);
    uint8_t b = u8(in), sizing = u8(in), action = u8(in);
    struct hdabdl_stream_format fmt = (b & 1) ? pick_format(in) : formats[u8(in) % 8];
    bool render = !(b & 2);
    uint8_t codec = (b & 0x40) ? (uint8_t)(u8(in) % 4) : c ? c->codec_address : 0;
    if (!c)
        return;
    hdabdl_handle h = NULL;
    hdabdl_converter_format conv;
    hdabdl_status st = render ? hdabdl_allocate_render_dma_engine(c->client, &fmt, (b & 0x80) != 0, &h, &conv)
                              : hdabdl_allocate_capture_dma_engine(c->client, codec, &fmt, &h, &conv);
    if (st != HDABDL_STATUS_SUCCESS)
        return;
    struct slot *s = new_slot(f, client_index(f, c), h, &fmt);
    if (!s)
        return;
    if (b & 4) {
        /* A bus-allocated buffer: V1, or V2 with one or two notifications. */
        struct hdabdl_mdl *mdl = NULL;
        size_t allocated = 0, offset = 0, requested = 256u * (1u + sizing % 64u) + (b & 8 ? 100u : 0u);
        uint8_t stream_id;
        uint32_t fifo, count = (b >> 4) % 3u;
        st = count == 0
                 ? hdabdl_allocate_dma_buffer(c->client, h, requested, &mdl, &allocated, &stream_id, &fifo)
                 : hdabdl_allocate_dma_buffer_with_notification(c->client, h, count, requested, &mdl,
                                                                &allocated, &offset, &stream_id, &fifo);
        if (st != HDABDL_STATUS_SUCCESS)
            return;
        s->kind = count == 0 ? BUF_BUS : BUF_NOTIFY;
        s->mdl = mdl;
        s->allocated = allocated;
        s->requested = requested;
        if (count && (action & 0x80))
            (void)hdabdl_register_notification_event(c->client, h, &f->events[action % (MAX_EVENTS - 1)].ev);
        if (count && (action & 0x40))
            (void)hdabdl_register_notification_callback(c->client, h, NULL, notification_a,
                                                        &f->ncbs[action % MAX_NCB]);
    } else {
        /* A contiguous buffer, a BDL of whole fragments, SetupDmaEngineWithBdl. */
        void *data = NULL;
        uint64_t data_bus, bdl_bus;
        struct hdabdl_buffer_descriptor *bdl = NULL;
        uint32_t block = hdabdl_stream_format_block_bytes(&fmt);
        uint32_t unit = lcm32(HDA_BDL_FRAGMENT_ALIGN, block ? block : 1);
        uint32_t fragments = 2 + (sizing >> 5);
        uint32_t frag = unit * (1 + sizing % 8u);
        uint32_t size = fragments * frag + ((b & 8) ? 128u : 0u);
        st = hdabdl_allocate_contiguous_dma_buffer(c->client, h, size, &data, &data_bus, &bdl, &bdl_bus);
        if (st != HDABDL_STATUS_SUCCESS)
            return;
        s->kind = BUF_CONTIG;
        s->data = data;
        s->data_bus = data_bus;
        s->size = size;
        s->bdl = bdl;
        s->bdl_bus = bdl_bus;
        memset(data, 0x22, size);
        for (uint32_t i = 0; i < fragments; i++)
            hdabdl_bdl_write_entry(bdl, i, data_bus + (uint64_t)i * frag, frag,
                                   (action & 0x80) || i + 1 == fragments ? 1u : 0u);
        s->length = fragments * frag;
        s->lvi = fragments - 1;
        uint8_t stream_id;
        uint32_t fifo;
        if (hdabdl_setup_dma_engine_with_bdl(c->client, h, s->length, s->lvi, isr, &s->isr, &stream_id,
                                             &fifo) == HDABDL_STATUS_SUCCESS) {
            s->isr.client = c->client;
            s->isr.handle = h;
            s->isr.action = (uint8_t)(action % ISR_ACTIONS);
        }
    }
    if (b & 0x20) {
        if (hdabdl_set_dma_engine_state(c->client, HDABDL_PAUSE_STATE, 1, &h) == HDABDL_STATUS_SUCCESS)
            (void)hdabdl_set_dma_engine_state(c->client, HDABDL_RUN_STATE, 1, &h);
    }
}

/* An unsolicited-response callback, the pin's unsolicited responses enabled
 * with its tag (and the converter on a stream), a jack event. */
static void op_unsol(struct fuzz *f, struct input *in)
{
    struct client_slot *c = pick_client(f, in);
    uint8_t b = u8(in);
    if (!c || f->nunsol >= MAX_UNSOL)
        return;
    struct unsol_ctx *u = &f->unsol[f->nunsol];
    uint8_t tag;
    if (hdabdl_register_event_callback(c->client, unsolicited, u, &tag) != HDABDL_STATUS_SUCCESS)
        return;
    f->nunsol++;
    *u = (struct unsol_ctx){f, (int)client_index(f, c), c->codec_address, tag, true, 0};
    if (c->ntags < sizeof(c->tags))
        c->tags[c->ntags++] = tag;
    uint8_t pin = (b & 1) ? 5 : 3;
    struct hdabdl_codec_transfer t[2];
    memset(t, 0, sizeof(t));
    t[0].output.command = HDABDL_VERB12(c->codec_address, pin, HDABDL_VERB_SET_UNSOLICITED_ENABLE, 0x80u | tag);
    t[1].output.command = HDABDL_VERB12(c->codec_address, (b & 1) ? 4 : 2, HDABDL_VERB_SET_CHANNEL_STREAMID,
                                        (b & 0xF0u) | 0u);
    (void)hdabdl_transfer_codec_verbs(c->client, (b & 2) ? 2 : 1, t, NULL, NULL);
    if (c->codec_address < 3 && f->codecs[c->codec_address])
        (void)hdabdl_codec_set_jack(f->codecs[c->codec_address], pin, (b & 4) != 0);
    if (b & 8)
        hdabdl_mock_hal_advance(f->hal, 100000);
}

/* ---- The run ------------------------------------------------------------------------------ */

static void run_ops(struct fuzz *f, struct input *in)
{
    for (unsigned i = 0; i < MAX_OPS && more(in); i++) {
        if (hdabdl_mock_now(f->dev) > MAX_VIRTUAL_NS)
            break;
        switch ((enum op)(u8(in) % OP_COUNT)) {
        case OP_CLIENT_OPEN: op_client_open(f, in); break;
        case OP_CLIENT_CLOSE: {
            struct client_slot *c = pick_client(f, in);
            if (c)
                client_drop(f, c, false);
            break;
        }
        case OP_ALLOC_RENDER: op_alloc_engine(f, in, true); break;
        case OP_ALLOC_CAPTURE: op_alloc_engine(f, in, false); break;
        case OP_CHANGE_BANDWIDTH: op_change_bandwidth(f, in); break;
        case OP_FREE_ENGINE: op_free_engine(f, in); break;
        case OP_ALLOC_CONTIG: op_alloc_contig(f, in); break;
        case OP_WRITE_BDL: op_write_bdl(f, in); break;
        case OP_FILL_BDL: op_fill_bdl(f, in); break;
        case OP_SETUP: op_setup(f, in); break;
        case OP_FREE_CONTIG: op_free_contig(f, in); break;
        case OP_SET_STATE: op_set_state(f, in); break;
        case OP_START: op_start(f, in); break;
        case OP_ALLOC_BUS: op_alloc_bus(f, in); break;
        case OP_FREE_BUS: op_free_bus(f, in); break;
        case OP_NOTIFY_EVENT: op_notify_event(f, in); break;
        case OP_NOTIFY_CALLBACK: op_notify_callback(f, in); break;
        case OP_VERBS_SYNC: op_verbs_sync(f, in); break;
        case OP_VERBS_ASYNC: op_verbs_async(f, in); break;
        case OP_EVENT_CALLBACK: op_event_callback(f, in); break;
        case OP_ADVANCE: op_advance(f, in, false); break;
        case OP_ADVANCE2: op_advance(f, in, true); break;
        case OP_FAULT: op_fault(f, in); break;
        case OP_JACK: op_jack(f, in); break;
        case OP_INFO: op_info(f, in); break;
        case OP_SERVICE: (void)hdabdl_controller_service_interrupt(f->ctrl); break;
        case OP_WRITE_DATA: op_write_data(f, in); break;
        case OP_INTERFACE: op_interface(f, in); break;
        case OP_BUS_ADDRESS: op_bus_address(f, in); break;
        case OP_DMA_FAIL: {
            uint8_t b = u8(in);
            hdabdl_mock_hal_fail_dma_alloc(f->hal, b & 7u, (b >> 3) & 3u);
            break;
        }
        case OP_STREAM:
        case OP_STREAM2: op_stream(f, in); break;
        case OP_UNSOL: op_unsol(f, in); break;
        case OP_COUNT: break;
        }
    }
}

static void check_violations(struct fuzz *f)
{
    size_t n = hdabdl_mock_violation_count(f->dev);
    if (n == 0 || f->faults)
        return;
    for (size_t i = 0; i < n && i < 64; i++) {
        struct hdabdl_mock_violation_record r;
        if (!hdabdl_mock_violation_get(f->dev, i, &r))
            break;
        bool dma = r.kind == HDABDL_MOCK_DMA_FAULT || r.kind == HDABDL_MOCK_DMA_INTO_MMIO;
        if (dma && f->bdl_tampered)
            continue;
        char text[4096];
        hdabdl_mock_violation_describe(f->dev, text, sizeof(text));
        fprintf(stderr, "%s", text);
        fail(dma ? "the controller's DMA strayed from the buffers the core gave it"
                 : "the core made an illegal register access");
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz *f = &fz;
    struct input in = {data, size, 0};
    struct hdabdl_mock_hal_config cfg;
    struct hdabdl_controller_options opts;

    if (size < 6)
        return 0;
    memset(f, 0, sizeof(*f));
    f->async_verbs_left = 8;
    for (unsigned i = 0; i < MAX_EVENTS; i++)
        f->events[i].ev.signal = i == MAX_EVENTS - 1 ? NULL : event_signal;
    for (unsigned i = 0; i < MAX_NCB; i++)
        f->ncbs[i].f = f;

    /* Header: the controller and how it is opened. */
    uint8_t h0 = u8(&in), h1 = u8(&in), h2 = u8(&in), h3 = u8(&in), h4 = u8(&in), h5 = u8(&in);
    hdabdl_mock_hal_config_default(&cfg);
    cfg.device.input_streams = (uint8_t)(h0 & 7);
    cfg.device.output_streams = (uint8_t)((h0 >> 3) & 7);
    cfg.device.addr64 = (h0 & 0x40) != 0;
    cfg.device.bidir_streams = (uint8_t)(h1 & 3);
    cfg.device.sdo_lines = (uint8_t)(1u << ((h1 >> 2) % 3));
    cfg.device.old_ssync = (h3 & 1) && !(h4 & 0x40);         /* the options say so too */
    cfg.device.corbrp_reset = (enum hdabdl_mock_corbrp_reset)((h1 >> 5) % 3);
    cfg.device.codec_mask = (uint16_t)(h2 & 7);
    cfg.device.corb_size_caps = (uint8_t)(1 + (h2 >> 3) % 7);
    if (h2 & 0x80)
        cfg.device.pci_subsystem_vendor_id = 0x1af4;         /* QEMU: the SRST quirk */
    static const uint64_t arenas[4] = {256u << 10, 512u << 10, 1u << 20, 2u << 20};
    cfg.dma_arena_size = arenas[h3 >> 6];
    if (h0 & 0x80)
        cfg.dma_high_bus_base = 0x200000000ull;
    memset(&opts, 0, sizeof(opts));
    opts.size = sizeof(opts);
    opts.flags = (h3 & 1 ? HDABDL_OPT_OLD_SSYNC : 0u) | (h3 & 2 ? HDABDL_OPT_SRST_NO_ACK : 0u);
    opts.verb_timeout_us = 100u * (1u + ((h3 >> 2) & 7u));

    if (hdabdl_mock_hal_create(&cfg, &f->hal) != 0)
        fail("hdabdl_mock_hal_create refused the configuration");
    f->dev = hdabdl_mock_hal_device(f->hal);
    for (uint8_t a = 0; a < 3; a++)
        if ((h2 >> a) & 1)
            if (hdabdl_mock_hal_add_codec(f->hal, NULL, a, &f->codecs[a]) != 0)
                fail("hdabdl_mock_hal_add_codec failed");
    if (h4 & 0x80)
        hdabdl_mock_hal_fail_dma_alloc(f->hal, h4 & 3u, 1u + ((h4 >> 2) & 1u));
    if (h4 & 0x20) {   /* a device that is broken from the start */
        hdabdl_mock_set_fault(f->dev, (enum hdabdl_mock_fault)(h5 % HDABDL_MOCK_FAULT_COUNT),
                              (h5 & 0x80) ? -1 : (int)((h5 >> 4) & 7), true);
        f->faults = true;
    }

    hdabdl_status st = hdabdl_controller_open(hdabdl_mock_hal_ops(), hdabdl_mock_hal_context(f->hal),
                                              (h4 & 0x40) ? NULL : &opts, &f->ctrl);
    if (st != HDABDL_STATUS_SUCCESS) {
        if (f->ctrl)
            fail("hdabdl_controller_open failed but returned a controller");
        if (hdabdl_mock_hal_dma_blocks(f->hal) != 0)
            fail("a failed hdabdl_controller_open left DMA memory allocated");
        hdabdl_mock_hal_destroy(f->hal);
        return 0;
    }
    hdabdl_mock_hal_fail_dma_alloc(f->hal, 0, 0);
    for (unsigned i = 0; i < (h5 & 3u); i++) {
        f->clients[i].codec_address = (uint8_t)((h5 >> (2 + i)) & 1);
        if (hdabdl_client_open(f->ctrl, f->clients[i].codec_address, 1, &f->clients[i].client) !=
            HDABDL_STATUS_SUCCESS)
            fail("hdabdl_client_open failed");
    }

    run_ops(f, &in);

    /* Close: some clients by hand (dropping table references too), the rest with the controller. */
    for (unsigned i = 0; i < MAX_CLIENTS; i++) {
        struct client_slot *c = &f->clients[i];
        if (!c->client || !(h5 & (0x40 >> (i % 2))))
            continue;
        while (c->client && c->table_refs)
            client_drop(f, c, true);
        if (c->client)
            client_drop(f, c, false);
    }
    hdabdl_controller_close(f->ctrl);
    f->ctrl = NULL;

    for (unsigned i = 0; i < f->nbatches; i++) {
        const struct batch *b = &f->batches[i];
        if (b->accepted && b->completions != 1)
            fail("an accepted asynchronous verb batch did not complete exactly once");
        if (!b->accepted && b->completions != 0)
            fail("a refused asynchronous verb batch completed");
    }
    if (hdabdl_mock_hal_dma_blocks(f->hal) != 0)
        fail("DMA memory left allocated after hdabdl_controller_close");
    check_violations(f);
    hdabdl_mock_hal_destroy(f->hal);
    return 0;
}
