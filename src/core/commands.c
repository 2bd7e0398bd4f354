/* SPDX-License-Identifier: MIT */
/*
 * commands.c - codec verbs over CORB/RIRB or the immediate command interface,
 * unsolicited responses, and the DDI routines built on them.
 *
 * The ladder: CORB/RIRB with responses collected by the interrupt; if a
 * waiting caller finds responses the interrupt did not collect, the RIRB is
 * polled from then on; if the CORB stops fetching verbs (or never came up),
 * immediate commands, one verb at a time. A verb that gets no response within
 * the verb timeout completes with IsValid = 0 (HasFifoOverrun = 1 if the RIRB
 * overran meanwhile), so no caller ever waits forever.
 *
 * Verbs are pipelined: the CORB is kept as full as the RIRB can absorb, so
 * the link carries one verb per frame instead of one per round trip.
 */
#include <stdatomic.h>
#include <string.h>

#include "internal.h"

#define RIRB_OFFSET 2048u
#define RESPONSE_VALID    ((uint64_t)1 << 63)
#define RESPONSE_OVERRUN  ((uint64_t)1 << 62)
#define RESPONSE_UNSOL    ((uint64_t)1 << 36)
#define RIRB_EX_UNSOL     0x10u
#define IMMEDIATE_BURST   16    /* verbs per pass before others get the lock */

/* ---- Bring-up ---------------------------------------------------------------------- */

/* CORBSIZE/RIRBSIZE capability bits 7:4 -> entries and the size code to write. */
static uint16_t ring_entries(uint8_t caps, uint8_t *code)
{
    if (caps & 0x4) { *code = 2; return 256; }
    if (caps & 0x2) { *code = 1; return 16; }
    if (caps & 0x1) { *code = 0; return 2; }
    return 0;
}

/* CORBCTL / RIRBCTL to 0: DMA off with its interrupt enables (set again on start). */
static bool stop_dma(hdabdl_controller *ctrl, uint32_t offset, uint8_t run_bit)
{
    hdabdl__wr8(ctrl, offset, 0);
    return hdabdl__poll(ctrl, offset, 1, run_bit, 0, COMMAND_POLL_US, DMA_RUN_TIMEOUT_US);
}

/* CORBRP reset handshake, with the variants real parts show (hw.md §3.5). */
static enum hdabdl_corb_reset reset_corb_read_pointer(hdabdl_controller *ctrl)
{
    hdabdl__wr16(ctrl, HDA_REG_CORBRP, HDA_CORBRP_RST);
    if (hdabdl__poll(ctrl, HDA_REG_CORBRP, 2, HDA_CORBRP_RST, HDA_CORBRP_RST, 1,
                     CORB_RESET_TIMEOUT_US)) {
        hdabdl__wr16(ctrl, HDA_REG_CORBRP, 0);
        return hdabdl__poll(ctrl, HDA_REG_CORBRP, 2, HDA_CORBRP_RST, 0, 1, CORB_RESET_TIMEOUT_US)
                   ? HDABDL_CORB_RESET_ACKNOWLEDGED
                   : HDABDL_CORB_RESET_FAILED;
    }
    /* Never read 1: self-clearing parts (NVIDIA) and ICH6-style parts that do
     * not acknowledge. Clearing the bit is harmless; RP must read 0. */
    hdabdl__wr16(ctrl, HDA_REG_CORBRP, 0);
    return (hdabdl__rd16(ctrl, HDA_REG_CORBRP) & 0x80FFu) == 0 ? HDABDL_CORB_RESET_SELF_CLEARED
                                                              : HDABDL_CORB_RESET_FAILED;
}

static void use_immediate_commands(hdabdl_controller *ctrl)
{
    struct command_transport *c = &ctrl->cmd;

    (void)stop_dma(ctrl, HDA_REG_CORBCTL, HDA_CORBCTL_RUN);
    (void)stop_dma(ctrl, HDA_REG_RIRBCTL, HDA_RIRBCTL_DMAEN);
    if (c->mode != HDABDL_COMMANDS_IMMEDIATE)
        c->stats.mode_changes++;
    c->mode = HDABDL_COMMANDS_IMMEDIATE;
    c->stats.mode = c->mode;
    c->stats.corb_entries = 0;
}

hdabdl_status hdabdl__commands_init(hdabdl_controller *ctrl)
{
    struct command_transport *c = &ctrl->cmd;
    uint8_t corbsize = hdabdl__rd8(ctrl, HDA_REG_CORBSIZE);
    uint8_t rirbsize = hdabdl__rd8(ctrl, HDA_REG_RIRBSIZE);
    uint8_t code = 0;
    uint64_t rirb_bus;

    c->mode = HDABDL_COMMANDS_CORB_IRQ;
    c->entries = ring_entries((uint8_t)((corbsize & rirbsize) >> 4), &code);
    if (c->entries == 0 || corbsize == 0xFF || rirbsize == 0xFF) {   /* 0xFF: a failed read */
        c->stats.corb_reset = HDABDL_CORB_RESET_FAILED;
        use_immediate_commands(ctrl);
        c->stats.mode_changes = 0;
        return hdabdl__take_io_error(ctrl);
    }
    if (hdabdl__dma_alloc(ctrl, HDABDL_PAGE_SIZE, 128, &c->ring) != 0)
        return HDABDL_STATUS_INSUFFICIENT_RESOURCES;
    memset(c->ring.cpu, 0, HDABDL_PAGE_SIZE);
    rirb_bus = c->ring.bus + RIRB_OFFSET;

    (void)stop_dma(ctrl, HDA_REG_CORBCTL, HDA_CORBCTL_RUN);
    (void)stop_dma(ctrl, HDA_REG_RIRBCTL, HDA_RIRBCTL_DMAEN);
    hdabdl__wr8(ctrl, HDA_REG_CORBSIZE, (uint8_t)((corbsize & 0xF0u) | code));
    hdabdl__wr32(ctrl, HDA_REG_CORBLBASE, (uint32_t)c->ring.bus);
    hdabdl__wr32(ctrl, HDA_REG_CORBUBASE, (uint32_t)(c->ring.bus >> 32));
    hdabdl__wr16(ctrl, HDA_REG_CORBWP, 0);
    c->stats.corb_reset = reset_corb_read_pointer(ctrl);

    hdabdl__wr8(ctrl, HDA_REG_RIRBSIZE, (uint8_t)((rirbsize & 0xF0u) | code));
    hdabdl__wr32(ctrl, HDA_REG_RIRBLBASE, (uint32_t)rirb_bus);
    hdabdl__wr32(ctrl, HDA_REG_RIRBUBASE, (uint32_t)(rirb_bus >> 32));
    hdabdl__wr16(ctrl, HDA_REG_RIRBWP, HDA_RIRBWP_RST);
    /* An interrupt every few responses keeps a long burst flowing (the ISR
     * refills the CORB) well inside the IRQ grace; a burst's end raises one
     * through the empty-response-slot rule. */
    hdabdl__wr16(ctrl, HDA_REG_RINTCNT, (uint16_t)(c->entries < RIRB_IRQ_EVERY ? c->entries / 2 + 1
                                                                               : RIRB_IRQ_EVERY));
    hdabdl__wr8(ctrl, HDA_REG_RIRBCTL, HDA_RIRBCTL_DMAEN | HDA_RIRBCTL_RINTCTL | HDA_RIRBCTL_OIC);
    c->corb_wp = 0;
    c->rirb_rp = 0;

    if (c->stats.corb_reset == HDABDL_CORB_RESET_FAILED) {
        use_immediate_commands(ctrl);
        c->stats.mode_changes = 0;
    } else {
        hdabdl__wr8(ctrl, HDA_REG_CORBCTL, HDA_CORBCTL_RUN);
        if (!hdabdl__poll(ctrl, HDA_REG_CORBCTL, 1, HDA_CORBCTL_RUN, HDA_CORBCTL_RUN,
                          COMMAND_POLL_US, DMA_RUN_TIMEOUT_US)) {
            use_immediate_commands(ctrl);
            c->stats.mode_changes = 0;
        } else {
            c->stats.corb_entries = c->entries;
        }
    }
    c->stats.mode = c->mode;
    hdabdl__write_gctl(ctrl, ctrl->gctl | HDA_GCTL_UNSOL);
    return hdabdl__take_io_error(ctrl);
}

/* ---- Batches --------------------------------------------------------------------- */

static void enqueue(struct command_transport *c, struct verb_batch *b)
{
    b->next = NULL;
    if (c->queue_tail)
        c->queue_tail->next = b;
    else
        c->queue_head = b;
    c->queue_tail = b;
}

static void unlink_batch(struct command_transport *c, struct verb_batch *b)
{
    struct verb_batch *prev = NULL;
    for (struct verb_batch *p = c->queue_head; p; prev = p, p = p->next) {
        if (p != b)
            continue;
        if (prev)
            prev->next = p->next;
        else
            c->queue_head = p->next;
        if (c->queue_tail == p)
            c->queue_tail = prev;
        return;
    }
}

/* Store a response in the caller's array, whose ULONGLONG is the host's. */
static void complete_verb(hdabdl_controller *ctrl, struct verb_batch *b, uint32_t index,
                          uint64_t response)
{
    struct command_transport *c = &ctrl->cmd;

    b->transfers[index].input.complete_response = response;
    if (ctrl->io_error && !b->io_error)
        b->io_error = ctrl->io_error;   /* met on the way to this response */
    if (++b->done < b->count)
        return;
    unlink_batch(c, b);
    if (b->callback) {
        b->next = NULL;
        if (c->completed_tail)
            c->completed_tail->next = b;
        else
            c->completed = b;
        c->completed_tail = b;
    }
}

/* No response came. If the RIRB overran after the verb went out, its
 * response was probably among the lost ones (ddi.md §4.1). */
static uint64_t lost_response(struct command_transport *c, bool overrun)
{
    c->stats.timeouts++;
    if (!overrun)
        return 0;
    c->stats.overruns++;
    return RESPONSE_OVERRUN;
}

/* ---- Immediate commands ---------------------------------------------------------------- */

static uint64_t send_immediate(hdabdl_controller *ctrl, uint32_t verb)
{
    struct command_transport *c = &ctrl->cmd;
    uint32_t response;

    c->stats.verbs_sent++;
    if (!hdabdl__poll(ctrl, HDA_REG_ICIS, 2, HDA_ICIS_ICB, 0, IMMEDIATE_POLL_US, c->timeout_us))
        return lost_response(c, false);
    hdabdl__wr16(ctrl, HDA_REG_ICIS, HDA_ICIS_IRV);      /* clear a stale result */
    hdabdl__wr32(ctrl, HDA_REG_ICOI, verb);
    hdabdl__wr16(ctrl, HDA_REG_ICIS, HDA_ICIS_ICB);
    if (!hdabdl__poll(ctrl, HDA_REG_ICIS, 2, HDA_ICIS_IRV, HDA_ICIS_IRV, IMMEDIATE_POLL_US,
                      c->timeout_us))
        return lost_response(c, false);
    response = hdabdl__rd32(ctrl, HDA_REG_ICII);
    hdabdl__wr16(ctrl, HDA_REG_ICIS, HDA_ICIS_IRV);
    c->stats.responses++;
    return RESPONSE_VALID | (uint64_t)HDABDL_VERB_CODEC(verb) << 32 | response;
}

static void pump_immediate(hdabdl_controller *ctrl, unsigned budget)
{
    struct command_transport *c = &ctrl->cmd;

    while (c->queue_head && budget--) {
        struct verb_batch *b = c->queue_head;
        uint32_t index = b->sent++;
        complete_verb(ctrl, b, index, send_immediate(ctrl, b->transfers[index].output.command));
    }
}

/* ---- CORB / RIRB ------------------------------------------------------------------------ */

static struct inflight_verb *inflight_at(struct command_transport *c, unsigned i)
{
    return &c->inflight[(c->inflight_head + i) % MAX_CORB_ENTRIES];
}

static void head_changed(hdabdl_controller *ctrl)
{
    ctrl->cmd.head_since_ns = hdabdl__now_ns(ctrl);
    ctrl->cmd.head_polls = 0;
}

/* Drop completed verbs from the front of the in-flight list. */
static void pop_done(hdabdl_controller *ctrl)
{
    struct command_transport *c = &ctrl->cmd;
    bool moved = false;

    while (c->inflight_count && !inflight_at(c, 0)->batch) {
        c->inflight_head = (uint16_t)((c->inflight_head + 1) % MAX_CORB_ENTRIES);
        c->inflight_count--;
        moved = true;
    }
    if (moved)
        head_changed(ctrl);
}

/* Write as many queued verbs into the CORB as the RIRB can answer, in order. */
static void pump(hdabdl_controller *ctrl)
{
    struct command_transport *c = &ctrl->cmd;
    uint8_t *corb = c->ring.cpu;
    unsigned written = 0;

    if (c->mode == HDABDL_COMMANDS_IMMEDIATE) {
        pump_immediate(ctrl, IMMEDIATE_BURST);
        return;
    }
    for (struct verb_batch *b = c->queue_head; b; b = b->next) {
        while (b->sent < b->count && c->inflight_count < c->entries - 1u) {
            uint32_t verb = b->transfers[b->sent].output.command;
            struct inflight_verb *slot = inflight_at(c, c->inflight_count);

            c->corb_wp = (uint16_t)((c->corb_wp + 1u) % c->entries);
            hdabdl__le32_store(corb + 4u * c->corb_wp, verb);
            *slot = (struct inflight_verb){b, b->sent, (uint8_t)HDABDL_VERB_CODEC(verb), c->corb_wp,
                                           ++c->write_seq};
            if (c->inflight_count++ == 0)
                head_changed(ctrl);
            b->sent++;
            written++;
        }
        if (b->sent < b->count)
            break;      /* CORB full: later batches wait their turn */
    }
    if (written) {
        atomic_thread_fence(memory_order_seq_cst);   /* verbs in memory before WP moves */
        hdabdl__wr16(ctrl, HDA_REG_CORBWP, c->corb_wp);
        c->stats.verbs_sent += written;
    }
}

static void solicited_response(hdabdl_controller *ctrl, uint8_t codec, uint32_t value)
{
    struct command_transport *c = &ctrl->cmd;

    /* A codec answers its verbs in order: the oldest one waiting is this one. */
    for (unsigned i = 0; i < c->inflight_count; i++) {
        struct inflight_verb *v = inflight_at(c, i);
        if (v->batch && v->codec == codec) {
            struct verb_batch *b = v->batch;
            v->batch = NULL;
            c->stats.responses++;
            complete_verb(ctrl, b, v->index, RESPONSE_VALID | (uint64_t)codec << 32 | value);
            pop_done(ctrl);
            return;
        }
    }
    c->stats.spurious++;
}

static const struct event_slot *event_slot_for(struct command_transport *c, uint8_t codec,
                                               uint32_t value)
{
    const struct event_slot *slot =
        codec < MAX_SDI_LINES ? &c->events[codec][HDABDL_UNSOL_TAG(value)] : NULL;
    return slot && slot->routine ? slot : NULL;
}

/* Queue it for delivery (the caller made sure there is room). */
static void unsolicited_response(hdabdl_controller *ctrl, uint8_t codec, uint32_t value)
{
    struct command_transport *c = &ctrl->cmd;

    c->stats.unsolicited++;
    if (!event_slot_for(c, codec, value)) {
        c->stats.unsolicited_dropped++;
        return;
    }
    c->pending[(c->pending_head + c->pending_count) % EVENTS_PER_PASS] =
        (struct pending_event){codec, value};
    c->pending_count++;
}

/* Read what the RIRB holds. Returns true if it held anything. */
static bool drain_rirb(hdabdl_controller *ctrl)
{
    struct command_transport *c = &ctrl->cmd;
    const uint8_t *rirb = (const uint8_t *)c->ring.cpu + RIRB_OFFSET;
    uint8_t sts = hdabdl__rd8(ctrl, HDA_REG_RIRBSTS);
    uint16_t wp;
    bool found = false;

    /* Clear status before reading WP so a response landing now raises it again. */
    if (sts != 0xFF && (sts & (HDA_RIRBSTS_RINTFL | HDA_RIRBSTS_OIS))) {
        hdabdl__wr8(ctrl, HDA_REG_RIRBSTS, sts & (HDA_RIRBSTS_RINTFL | HDA_RIRBSTS_OIS));
        if (sts & HDA_RIRBSTS_OIS)
            c->overrun_upto = c->write_seq;
    }
    wp = hdabdl__rd16(ctrl, HDA_REG_RIRBWP);
    if (wp == 0xFFFF || (wp & 0xFFu) >= c->entries)
        return false;           /* device gone, or garbage: believe nothing */
    atomic_thread_fence(memory_order_seq_cst);
    /* With the event queue full the rest stay in the RIRB until it drains. */
    while (c->rirb_rp != (wp & 0xFFu) && c->pending_count < EVENTS_PER_PASS) {
        uint32_t value, ex;
        c->rirb_rp = (uint16_t)((c->rirb_rp + 1u) % c->entries);
        value = hdabdl__le32_load(rirb + 8u * c->rirb_rp);
        ex = hdabdl__le32_load(rirb + 8u * c->rirb_rp + 4u);
        found = true;
        if (ex & RIRB_EX_UNSOL)
            unsolicited_response(ctrl, (uint8_t)(ex & 0xFu), value);
        else
            solicited_response(ctrl, (uint8_t)(ex & 0xFu), value);
    }
    return found;
}

/* Nanoseconds (no 64-bit division: 32-bit hosts would need libgcc for it). */
static uint64_t head_wait_ns(hdabdl_controller *ctrl)
{
    struct command_transport *c = &ctrl->cmd;
    uint64_t now = hdabdl__now_ns(ctrl);

    /* A HAL whose clock stands still still lets verbs time out, by poll count. */
    if (now > c->head_since_ns)
        return now - c->head_since_ns;
    return (uint64_t)c->head_polls * COMMAND_POLL_US * 1000u;
}

#define US(x) ((uint64_t)(x) * 1000u)

/* The oldest verb has waited too long: lost, or the CORB has stopped. */
static void check_timeout(hdabdl_controller *ctrl)
{
    struct command_transport *c = &ctrl->cmd;
    struct inflight_verb *head;
    uint16_t rp, fetched_ahead, written_ahead;

    if (c->mode == HDABDL_COMMANDS_IMMEDIATE || c->inflight_count == 0 ||
        head_wait_ns(ctrl) < US(c->timeout_us))
        return;
    (void)drain_rirb(ctrl);         /* a late response, or the overrun status */
    if (c->inflight_count == 0 || head_wait_ns(ctrl) < US(c->timeout_us))
        return;                     /* the head was answered after all */
    head = inflight_at(c, 0);
    rp = hdabdl__rd16(ctrl, HDA_REG_CORBRP) & 0xFFu;
    if (hdabdl__read_failed(ctrl))
        rp = head->corb_index;      /* cannot tell lost from stalled: the head is lost */
    fetched_ahead = (uint16_t)((rp + c->entries - head->corb_index) % c->entries);
    written_ahead = (uint16_t)((c->corb_wp + c->entries - head->corb_index) % c->entries);
    if (rp < c->entries && fetched_ahead <= written_ahead) {
        struct verb_batch *b = head->batch;
        head->batch = NULL;
        complete_verb(ctrl, b, head->index, lost_response(c, head->seq <= c->overrun_upto));
        pop_done(ctrl);
        return;
    }
    /* Not even fetched: the CORB is dead. Nothing after the head was fetched
     * either, so every in-flight verb is sent again as an immediate command. */
    for (unsigned i = c->inflight_count; i-- > 0;) {
        struct inflight_verb *v = inflight_at(c, i);
        if (v->batch && v->batch->sent > v->index)
            v->batch->sent = v->index;
    }
    c->inflight_count = 0;
    use_immediate_commands(ctrl);
}

/* Whatever is still waiting completes without a response. */
static void fail_all_verbs(hdabdl_controller *ctrl)
{
    struct command_transport *c = &ctrl->cmd;

    for (unsigned i = 0; i < c->inflight_count; i++) {
        struct inflight_verb *v = inflight_at(c, i);
        if (v->batch) {
            struct verb_batch *b = v->batch;
            v->batch = NULL;
            complete_verb(ctrl, b, v->index, 0);
        }
    }
    c->inflight_count = 0;
    while (c->queue_head) {
        struct verb_batch *b = c->queue_head;
        while (b->sent < b->count) {
            uint32_t index = b->sent++;
            complete_verb(ctrl, b, index, 0);
        }
    }
}

/* One step of progress: collect responses, expire the oldest, send more. */
static void service(hdabdl_controller *ctrl, bool waiting)
{
    struct command_transport *c = &ctrl->cmd;

    if (ctrl->gone) {
        fail_all_verbs(ctrl);       /* no codec will ever answer */
        return;
    }

    if (c->mode != HDABDL_COMMANDS_IMMEDIATE) {
        uint64_t waited = head_wait_ns(ctrl);
        /* With fewer verbs in flight than RINTCNT only the empty-slot
         * interrupt, a frame after the last response, would come: a waiter
         * reads the tail itself rather than lose that frame. */
        bool tail = c->inflight_count < RIRB_IRQ_EVERY && waited >= US(LINK_FRAME_US);
        if (c->mode == HDABDL_COMMANDS_CORB_IRQ && waiting && !tail && waited < US(IRQ_GRACE_US))
            goto done;
        bool found = drain_rirb(ctrl);
        if (found && waiting && c->mode == HDABDL_COMMANDS_CORB_IRQ &&
            waited >= US(IRQ_GRACE_US)) {
            /* The interrupt should have collected these: stop relying on it. */
            c->mode = HDABDL_COMMANDS_CORB_POLL;
            c->stats.mode = c->mode;
            c->stats.mode_changes++;
        }
    }
done:
    check_timeout(ctrl);
    pump(ctrl);
}

static void attribute_io_error(hdabdl_controller *ctrl);

void hdabdl__commands_interrupt(hdabdl_controller *ctrl)
{
    uint16_t statests = hdabdl__rd16(ctrl, HDA_REG_STATESTS);

    if (!hdabdl__read_failed(ctrl) && (statests & HDA_STATESTS_MASK))
        hdabdl__wr16(ctrl, HDA_REG_STATESTS, statests & HDA_STATESTS_MASK);
    if (ctrl->cmd.mode != HDABDL_COMMANDS_IMMEDIATE) {
        (void)drain_rirb(ctrl);
        pump(ctrl);
    }
    attribute_io_error(ctrl);
}

/* A register access of the transport failed: every batch under way (or just
 * completed) met it. A synchronous caller returns it; the register error is
 * not left for an unrelated routine to report. */
static void attribute_io_error(hdabdl_controller *ctrl)
{
    struct command_transport *c = &ctrl->cmd;
    int err = ctrl->io_error;

    if (!err)
        return;
    ctrl->io_error = 0;
    for (struct verb_batch *b = c->queue_head; b; b = b->next)
        if (!b->io_error)
            b->io_error = err;
    for (struct verb_batch *b = c->completed; b; b = b->next)
        if (!b->io_error)
            b->io_error = err;
}

static void release_batch(struct verb_batch *b)
{
    hdabdl_client *client = b->client;
    client->batches_used &= ~(1u << (unsigned)(b - client->batches));
}

bool hdabdl__commands_next_delivery(hdabdl_controller *ctrl, struct delivery *out)
{
    struct command_transport *c = &ctrl->cmd;

    while (c->pending_count) {
        struct pending_event ev = c->pending[c->pending_head];
        const struct event_slot *slot = event_slot_for(c, ev.codec, ev.response);

        c->pending_head = (uint16_t)((c->pending_head + 1u) % EVENTS_PER_PASS);
        c->pending_count--;
        if (!slot)
            continue;               /* unregistered since it arrived */
        out->kind = DELIVER_UNSOLICITED;
        out->u.unsolicited.fn = slot->routine;
        out->u.unsolicited.context = slot->context;
        out->u.unsolicited.response.complete_response =
            RESPONSE_VALID | RESPONSE_UNSOL | (uint64_t)ev.codec << 32 | ev.response;
        return true;
    }
    if (c->completed) {
        struct verb_batch *b = c->completed;

        c->completed = b->next;
        if (!c->completed)
            c->completed_tail = NULL;
        out->kind = DELIVER_BATCH;
        out->u.batch.fn = b->callback;
        out->u.batch.context = b->context;
        out->u.batch.transfers = b->transfers;
        release_batch(b);           /* the callback may queue a new one in its place */
        return true;
    }
    return false;
}

/* Wait (lock held, dropped while waiting) until @done says so. Bounded: every
 * verb completes within the verb timeout. */
static void wait_until(hdabdl_controller *ctrl, bool (*done)(hdabdl_controller *, const void *),
                       const void *arg)
{
    for (;;) {
        bool raised;

        service(ctrl, true);
        attribute_io_error(ctrl);
        hdabdl__deliver(ctrl);
        if (done(ctrl, arg) || !ctrl->cmd.queue_head)
            break;
        raised = hdabdl__at_raised_level(ctrl);
        hdabdl__unlock(ctrl);
        /* At passive level let the interrupt thread run; in a callback, spin. */
        if (!raised)
            hdabdl__sleep_us(ctrl, COMMAND_POLL_US);
        else
            hdabdl__delay_us(ctrl, COMMAND_POLL_US);
        hdabdl__lock(ctrl);
        ctrl->cmd.head_polls++;
    }
}

static bool batch_done(hdabdl_controller *ctrl, const void *arg)
{
    const struct verb_batch *b = arg;
    (void)ctrl;
    return b->done == b->count;
}

static bool client_idle(hdabdl_controller *ctrl, const void *arg)
{
    for (const struct verb_batch *b = ctrl->cmd.queue_head; b; b = b->next)
        if (b->client == arg)
            return false;
    return true;
}

void hdabdl__commands_timer(hdabdl_controller *ctrl)
{
    hdabdl__lock(ctrl);
    if (ctrl->cmd.queue_head)
        service(ctrl, true);
    attribute_io_error(ctrl);
    hdabdl__deliver(ctrl);
    if (ctrl->cmd.queue_head)
        hdabdl__timer_arm(ctrl, IRQ_GRACE_US);
    hdabdl__unlock(ctrl);
}

/* Take @client's completed batches off the delivery list, uncalled. */
static void drop_completions(struct command_transport *c, hdabdl_client *client)
{
    struct verb_batch **p = &c->completed;

    c->completed_tail = NULL;
    while (*p) {
        if ((*p)->client == client) {
            release_batch(*p);
            *p = (*p)->next;
        } else {
            c->completed_tail = *p;
            p = &(*p)->next;
        }
    }
}

void hdabdl__commands_flush_client(hdabdl_controller *ctrl, hdabdl_client *client)
{
    if (!client_idle(ctrl, client))
        wait_until(ctrl, client_idle, client);
    /* Its callbacks are owed: make them, or wait for the thread making them. */
    for (unsigned i = 0; client->batches_used && i < CALLBACK_DRAIN_POLLS; i++) {
        if (!ctrl->delivering) {
            hdabdl__deliver(ctrl);
            continue;
        }
        if (hdabdl__at_raised_level(ctrl))
            break;                  /* inside a callback: the deliverer may be us */
        hdabdl__unlock(ctrl);
        hdabdl__delay_us(ctrl, 1);
        hdabdl__lock(ctrl);
    }
    /* The client's memory goes away: no callback may reach its batches. */
    drop_completions(&ctrl->cmd, client);
}

void hdabdl__commands_shutdown(hdabdl_controller *ctrl)
{
    struct command_transport *c = &ctrl->cmd;

    if (c->ring.cpu) {
        (void)stop_dma(ctrl, HDA_REG_CORBCTL, HDA_CORBCTL_RUN);
        (void)stop_dma(ctrl, HDA_REG_RIRBCTL, HDA_RIRBCTL_DMAEN);
    }
    hdabdl__write_gctl(ctrl, ctrl->gctl & ~HDA_GCTL_UNSOL);
    fail_all_verbs(ctrl);
    (void)hdabdl__take_io_error(ctrl);
}

/* ---- DDI routines ------------------------------------------------------------------------ */

hdabdl_status hdabdl_transfer_codec_verbs(hdabdl_client *client, uint32_t count,
                                          struct hdabdl_codec_transfer *transfers,
                                          hdabdl_transfer_complete_callback callback,
                                          void *context)
{
    hdabdl_controller *ctrl;
    struct verb_batch local, *b = &local;
    hdabdl_status st = HDABDL_STATUS_SUCCESS;

    if (!callback)
        HDABDL_REQUIRE_PASSIVE(client);   /* a synchronous call waits */
    if (!client || (count && !transfers))
        return HDABDL_STATUS_INVALID_PARAMETER;
    ctrl = client->ctrl;
    for (uint32_t i = 0; i < count; i++)
        transfers[i].input.complete_response = 0;
    if (count == 0) {
        if (callback)
            callback(transfers, context);
        return HDABDL_STATUS_SUCCESS;
    }

    hdabdl__lock(ctrl);
    HDABDL_REQUIRE_PRESENT(ctrl);
    if (callback) {
        unsigned slot = 0;
        while (slot < HDABDL_MAX_ASYNC_BATCHES && (client->batches_used & (1u << slot)))
            slot++;
        if (slot == HDABDL_MAX_ASYNC_BATCHES) {
            hdabdl__unlock(ctrl);
            return HDABDL_STATUS_INSUFFICIENT_RESOURCES;
        }
        client->batches_used |= 1u << slot;
        b = &client->batches[slot];
    }
    *b = (struct verb_batch){.client = client, .transfers = transfers, .count = count,
                             .callback = callback, .context = context};
    enqueue(&ctrl->cmd, b);
    if (!callback) {
        wait_until(ctrl, batch_done, b);
        st = b->io_error ? hdabdl_status_from_errno(b->io_error) : HDABDL_STATUS_SUCCESS;
        if (ctrl->gone)
            st = HDABDL_STATUS_DEVICE_DOES_NOT_EXIST;
    } else if (ctrl->cmd.mode == HDABDL_COMMANDS_IMMEDIATE) {
        /* No interrupt will finish it: do the work now. */
        wait_until(ctrl, client_idle, client);
    } else {
        pump(ctrl);
        attribute_io_error(ctrl);
        hdabdl__deliver(ctrl);
        /* Should the interrupt never come, the timer finishes the batch. */
        hdabdl__timer_arm(ctrl, IRQ_GRACE_US);
    }
    hdabdl__unlock(ctrl);
    return st;
}

hdabdl_status hdabdl_register_event_callback(hdabdl_client *client,
                                             hdabdl_unsolicited_response_callback routine,
                                             void *context, uint8_t *tag)
{
    hdabdl_controller *ctrl;
    struct event_slot *slots;
    hdabdl_status st = HDABDL_STATUS_INSUFFICIENT_RESOURCES;

    HDABDL_REQUIRE_PASSIVE(client);
    if (!client || !routine || !tag)
        return HDABDL_STATUS_INVALID_PARAMETER;
    ctrl = client->ctrl;
    hdabdl__lock(ctrl);
    HDABDL_REQUIRE_PRESENT(ctrl);
    slots = ctrl->cmd.events[client->codec_address];
    for (uint8_t t = 0; t < UNSOL_TAGS; t++) {
        if (!slots[t].routine) {
            slots[t] = (struct event_slot){routine, context, client};
            *tag = t;
            st = HDABDL_STATUS_SUCCESS;
            break;
        }
    }
    hdabdl__unlock(ctrl);
    return st;
}

hdabdl_status hdabdl_unregister_event_callback(hdabdl_client *client, uint8_t tag)
{
    hdabdl_controller *ctrl;
    struct event_slot *slot;
    hdabdl_status st = HDABDL_STATUS_SUCCESS;

    HDABDL_REQUIRE_PASSIVE(client);
    if (!client)
        return HDABDL_STATUS_INVALID_PARAMETER;
    ctrl = client->ctrl;
    hdabdl__lock(ctrl);
    slot = tag < UNSOL_TAGS ? &ctrl->cmd.events[client->codec_address][tag] : NULL;
    if (!slot || !slot->routine || slot->client != client) {
        st = HDABDL_STATUS_INVALID_PARAMETER;
    } else {
        *slot = (struct event_slot){0};
        hdabdl__drain_callbacks(ctrl);   /* no call of it is still running on return */
        if (ctrl->gone)
            st = HDABDL_STATUS_DEVICE_DOES_NOT_EXIST;   /* unregistered all the same */
    }
    hdabdl__unlock(ctrl);
    return st;
}

void hdabdl__events_release_client(hdabdl_controller *ctrl, hdabdl_client *client)
{
    for (unsigned codec = 0; codec < MAX_SDI_LINES; codec++)
        for (unsigned t = 0; t < UNSOL_TAGS; t++)
            if (ctrl->cmd.events[codec][t].client == client)
                ctrl->cmd.events[codec][t] = (struct event_slot){0};
}

hdabdl_status hdabdl_controller_get_command_stats(hdabdl_controller *ctrl,
                                                  struct hdabdl_command_stats *stats)
{
    if (!ctrl || !stats)
        return HDABDL_STATUS_INVALID_PARAMETER;
    hdabdl__lock(ctrl);
    *stats = ctrl->cmd.stats;
    hdabdl__unlock(ctrl);
    return HDABDL_STATUS_SUCCESS;
}
