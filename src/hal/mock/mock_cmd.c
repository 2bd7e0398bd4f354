/* SPDX-License-Identifier: MIT */
/*
 * mock_cmd.c - the command transport of the mock HDA controller: the CORB
 * and RIRB DMA engines, the immediate command interface, unsolicited
 * responses, and the codecs on the link that answer them.
 *
 * One link frame (hw.md 3.5, 3.8, 7.2), in this order:
 *
 *   1. Response slots. The codec addressed by the command of the previous
 *      frame answers now: into ICII for an immediate command, else into the
 *      RIRB. An immediate command nobody answers ends here too: ICB clears
 *      and IRV stays 0. Every other codec may use its slot for one queued unsolicited
 *      response (GCTL.UNSOL = 1: into the RIRB; 0: the controller drops it).
 *   2. Response interrupt. Each response written to the RIRB counts; when the
 *      count reaches RINTCNT (0 means 256), or when a frame brings no
 *      response on any SDI after at least one was written, the count restarts
 *      and, with RINTCTL, RIRBSTS.RINTFL is set (hw.md 1, RIRBCTL).
 *   3. Command field. A pending immediate command (ICIS.ICB written 1) goes
 *      out; otherwise, while CORBRUN is on and CORBRP != CORBWP, RP advances
 *      and the entry at RP is fetched and sent. At most one command per frame.
 *
 * The codec executes the command in the frame it is sent; its response lands
 * in the next frame. The RIRB does not know how far software has read: it
 * overwrites, as hardware does.
 *
 * Byte order: CORB entries (one 32-bit verb each) and RIRB entries (the
 * 32-bit response, then the 32-bit extended word: codec address 3:0,
 * unsolicited bit 4) are little-endian in memory whatever the host's byte
 * order (Intel HDA specification 1.0a, section 4.4); they go through
 * byteorder.h.
 */
#include <errno.h>
#include <string.h>

#include "byteorder.h"
#include "mock_internal.h"

#include "hdabdl/codec.h"

#define MOCK_UNSOL_FLAG  0x10u  /* RIRB entry dword 1: bit 4 = unsolicited */

/* ---- Codecs on the link ------------------------------------------------------------- */

int hdabdl_mock_attach_codec(struct hdabdl_mock *mock, struct hdabdl_codec *codec)
{
    if (!mock || !codec)
        return -EINVAL;
    uint8_t address = hdabdl_codec_address(codec);
    if (address >= MOCK_CODECS)
        return -EINVAL;

    hdabdl__mock_lock(mock);
    int rc = mock->codecs[address] ? -EBUSY : 0;
    if (rc == 0)
        mock->codecs[address] = codec;
    hdabdl__mock_unlock(mock);
    return rc;
}

void hdabdl_mock_detach_codec(struct hdabdl_mock *mock, uint8_t address)
{
    if (!mock || address >= MOCK_CODECS)
        return;
    hdabdl__mock_lock(mock);
    mock->codecs[address] = NULL;
    /* A response it had not sent yet never comes. */
    if (mock->cmd.inflight && mock->cmd.inflight_codec == address)
        mock->cmd.inflight_answered = false;
    hdabdl__mock_unlock(mock);
}

/* Is the codec at @address attached, awake and not silenced by a fault? */
static struct hdabdl_codec *mock_live_codec(const struct hdabdl_mock *m, unsigned address)
{
    if (address >= MOCK_CODECS || !m->codecs[address] || !m->cmd.codecs_awake ||
        hdabdl__mock_fault(m, HDABDL_MOCK_FAULT_CODEC_SILENT, address))
        return NULL;
    return m->codecs[address];
}

/* ---- Register requests ---------------------------------------------------------------- */

static void mock_cmd_timer_start(struct mock_timer *t, uint64_t deadline)
{
    t->pending = true;
    t->deadline = deadline;
}

/* A DMA enable bit: on at once; off: the engine stops at once, the bit reads
 * 0 from the next link frame on (the engine finishes the frame it is in). */
static void mock_dma_enable_written(struct hdabdl_mock *m, bool run, bool *on, struct mock_timer *stop,
                                    uint32_t *reg, uint32_t bit)
{
    if (run) {
        if (*on)
            return;
        *on = true;
        stop->pending = false;
        *reg |= bit;
        return;
    }
    *on = false;
    if ((*reg & bit) && !stop->pending)
        mock_cmd_timer_start(stop, hdabdl__mock_next_frame_time(m));
}

void hdabdl__mock_corb_run_written(struct hdabdl_mock *m, bool run)
{
    mock_dma_enable_written(m, run, &m->cmd.corb_on, &m->cmd.corb_stop, mock_gr(m, MOCK_CORBCTL),
                            HDA_CORBCTL_RUN);
}

void hdabdl__mock_rirb_dma_written(struct hdabdl_mock *m, bool run)
{
    mock_dma_enable_written(m, run, &m->cmd.rirb_on, &m->cmd.rirb_stop, mock_gr(m, MOCK_RIRBCTL),
                            HDA_RIRBCTL_DMAEN);
}

/* CORBRPRST: writing 1 resets RP to 0 at once; while the bit reads 1 the
 * read pointer is held in reset and nothing is fetched. */
void hdabdl__mock_corbrp_written(struct hdabdl_mock *m, bool rst)
{
    uint32_t *rp = mock_gr(m, MOCK_CORBRP);

    if (rst) {
        *rp = 0;
        if (m->config.corbrp_reset != HDABDL_MOCK_CORBRP_SELF_CLEARING)
            *rp |= HDA_CORBRP_RST;      /* the reset is acknowledged */
        return;
    }
    if (m->config.corbrp_reset != HDABDL_MOCK_CORBRP_NEVER_ACKED)
        *rp &= ~HDA_CORBRP_RST;
}

void hdabdl__mock_icb_written(struct hdabdl_mock *m)
{
    uint32_t *icis = mock_gr(m, MOCK_ICIS);
    if (*icis & HDA_ICIS_ICB)
        return;     /* a command is outstanding: nothing new is sent */
    *icis |= HDA_ICIS_ICB;
    m->cmd.ic_pending = true;
}

void hdabdl__mock_cmd_reset(struct hdabdl_mock *m)
{
    memset(&m->cmd, 0, sizeof(m->cmd));
}

uint64_t hdabdl__mock_cmd_next_deadline(const struct hdabdl_mock *m, uint64_t t)
{
    const struct mock_cmd *c = &m->cmd;
    if (c->corb_stop.pending && c->corb_stop.deadline < t)
        t = c->corb_stop.deadline;
    if (c->rirb_stop.pending && c->rirb_stop.deadline < t)
        t = c->rirb_stop.deadline;
    return t;
}

void hdabdl__mock_cmd_fire_events_at(struct hdabdl_mock *m, uint64_t t)
{
    struct mock_cmd *c = &m->cmd;
    if (c->corb_stop.pending && c->corb_stop.deadline == t) {
        c->corb_stop.pending = false;
        *mock_gr(m, MOCK_CORBCTL) &= ~HDA_CORBCTL_RUN;
    }
    if (c->rirb_stop.pending && c->rirb_stop.deadline == t) {
        c->rirb_stop.pending = false;
        *mock_gr(m, MOCK_RIRBCTL) &= ~HDA_RIRBCTL_DMAEN;
    }
}

/* ---- The engines ----------------------------------------------------------------------- */

static uint64_t mock_base(const struct hdabdl_mock *m, enum mock_global_reg lower, enum mock_global_reg upper)
{
    return (uint64_t)m->vals[upper] << 32 | (m->vals[lower] & ~0x7Fu);
}

/* Would the CORB engine fetch a command in the next frame? */
static bool mock_corb_can_fetch(const struct hdabdl_mock *m)
{
    const uint32_t rp = m->vals[MOCK_CORBRP];
    return m->cmd.corb_on && !(rp & HDA_CORBRP_RST) &&
           !hdabdl__mock_fault(m, HDABDL_MOCK_FAULT_CORB_STALLED, 0) &&
           (rp & 0xFFu) != (m->vals[MOCK_CORBWP] & 0xFFu) % mock_ring_entries(m->vals[MOCK_CORBSIZE]);
}

bool hdabdl__mock_cmd_busy(const struct hdabdl_mock *m)
{
    const struct mock_cmd *c = &m->cmd;

    if (mock_in_reset(m))
        return false;
    /* A response to deliver, a command to send, a response interrupt that an
     * empty slot would raise, or an unsolicited response waiting. */
    if (c->inflight || c->ic_pending || c->rirb_count > 0 || mock_corb_can_fetch(m))
        return true;
    for (unsigned a = 0; a < MOCK_CODECS; a++) {
        const struct hdabdl_codec *codec = mock_live_codec(m, a);
        if (codec && hdabdl_codec_unsolicited_pending(codec) > 0)
            return true;
    }
    return false;
}

/* The response interrupt condition was met: the count restarts ("N counter
 * reset at IRQ") and RINTFL is set if RINTCTL allows. */
static void mock_rirb_interrupt(struct hdabdl_mock *m)
{
    m->cmd.rirb_count = 0;
    if ((m->vals[MOCK_RIRBCTL] & HDA_RIRBCTL_RINTCTL) &&
        !hdabdl__mock_fault(m, HDABDL_MOCK_FAULT_RIRB_IRQ_LOST, 0))
        *mock_gr(m, MOCK_RIRBSTS) |= HDA_RIRBSTS_RINTFL;
}

/* A response reached the controller: write it into the RIRB. Dropped while
 * RIRBDMAEN is off; lost (OIS) under RIRB_OVERRUN or when the host refuses
 * the write (recorded as a DMA violation). */
static void mock_rirb_put(struct hdabdl_mock *m, uint32_t response, uint32_t response_ex)
{
    struct mock_cmd *c = &m->cmd;

    if (!c->rirb_on)
        return;
    if (hdabdl__mock_fault(m, HDABDL_MOCK_FAULT_RIRB_OVERRUN, 0)) {
        *mock_gr(m, MOCK_RIRBSTS) |= HDA_RIRBSTS_OIS;
        return;
    }
    uint32_t wp = ((m->vals[MOCK_RIRBWP] & 0xFFu) + 1u) % mock_ring_entries(m->vals[MOCK_RIRBSIZE]);
    uint8_t entry[8];
    hdabdl__le32_store(entry, response);
    hdabdl__le32_store(entry + 4, response_ex);
    if (!hdabdl__mock_dma_write(m, mock_base(m, MOCK_RIRBLBASE, MOCK_RIRBUBASE) + 8u * (uint64_t)wp, entry,
                                sizeof(entry))) {
        *mock_gr(m, MOCK_RIRBSTS) |= HDA_RIRBSTS_OIS;
        return;
    }
    *mock_gr(m, MOCK_RIRBWP) = wp;
    c->rirb_count++;
    unsigned n = m->vals[MOCK_RINTCNT] & 0xFFu;
    if (c->rirb_count >= (n ? n : 256u))
        mock_rirb_interrupt(m);
}

/* A CORB entry could not be fetched: CMEI, and the engine stops at once. */
static void mock_corb_memory_error(struct hdabdl_mock *m)
{
    *mock_gr(m, MOCK_CORBSTS) |= 0x01u;
    m->cmd.corb_on = false;
    m->cmd.corb_stop.pending = false;
    *mock_gr(m, MOCK_CORBCTL) &= ~HDA_CORBCTL_RUN;
}

/* The command field of this frame: the immediate command first, else the
 * next CORB entry. The addressed codec executes it now. */
static void mock_send_command(struct hdabdl_mock *m)
{
    struct mock_cmd *c = &m->cmd;
    uint32_t verb;
    bool immediate;

    if (c->ic_pending) {
        c->ic_pending = false;
        verb = m->vals[MOCK_ICOI];
        immediate = true;
    } else if (mock_corb_can_fetch(m)) {
        uint32_t rp = ((m->vals[MOCK_CORBRP] & 0xFFu) + 1u) % mock_ring_entries(m->vals[MOCK_CORBSIZE]);
        uint8_t raw[4];
        if (!hdabdl__mock_dma_read(m, mock_base(m, MOCK_CORBLBASE, MOCK_CORBUBASE) + 4u * (uint64_t)rp, raw,
                                   sizeof(raw))) {
            mock_corb_memory_error(m);
            return;
        }
        *mock_gr(m, MOCK_CORBRP) = rp;
        verb = hdabdl__le32_load(raw);
        immediate = false;
    } else {
        return;
    }

    uint8_t address = (uint8_t)(verb >> 28);
    struct hdabdl_codec *codec = mock_live_codec(m, address);
    uint32_t response = 0;
    c->inflight = true;
    c->inflight_immediate = immediate;
    c->inflight_codec = address;
    c->inflight_answered = codec && hdabdl_codec_verb(codec, verb, &response);
    c->inflight_response = response;
}

void hdabdl__mock_cmd_frame(struct hdabdl_mock *m)
{
    struct mock_cmd *c = &m->cmd;
    uint32_t used = 0;      /* codecs whose response slot this frame is taken */
    bool any = false;       /* some SDI carried a response */

    if (mock_in_reset(m))
        return;

    /* 1. The response to the previous frame's command. */
    if (c->inflight) {
        c->inflight = false;
        if (c->inflight_answered) {
            used |= 1u << c->inflight_codec;
            any = true;
            if (c->inflight_immediate) {
                uint32_t *icis = mock_gr(m, MOCK_ICIS);
                *mock_gr(m, MOCK_ICII) = c->inflight_response;
                *icis = (*icis & ~(uint32_t)(HDA_ICIS_ICB | 0xF0u)) | HDA_ICIS_IRV |
                        (uint32_t)c->inflight_codec << 4;
            } else {
                mock_rirb_put(m, c->inflight_response, c->inflight_codec);
            }
        } else if (c->inflight_immediate) {
            /* The response slot went by empty: the command is over, without
             * a result (IRV stays 0), and the interface takes the next one. */
            *mock_gr(m, MOCK_ICIS) &= ~(uint32_t)HDA_ICIS_ICB;
        }
    }

    /* Unsolicited responses in the slots left free, one per codec. */
    for (unsigned a = 0; a < MOCK_CODECS; a++) {
        struct hdabdl_codec *codec = mock_live_codec(m, a);
        uint32_t response;
        if (!codec || (used & (1u << a)) || !hdabdl_codec_pop_unsolicited(codec, &response))
            continue;
        any = true;
        if (m->vals[MOCK_GCTL] & HDA_GCTL_UNSOL)
            mock_rirb_put(m, response, a | MOCK_UNSOL_FLAG);
    }

    /* 2. An empty response slot on all SDIs after a response: interrupt. */
    if (!any && c->rirb_count > 0)
        mock_rirb_interrupt(m);

    /* 3. This frame's command. */
    mock_send_command(m);
}
