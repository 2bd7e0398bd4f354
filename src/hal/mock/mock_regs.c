/* SPDX-License-Identifier: MIT */
/*
 * mock_regs.c - the register table of the mock HDA controller and the one
 * place that applies MMIO access rules to it.
 *
 * A write is split into per-register segments; each is checked first (reset
 * gate, read-only bits, run lock, the register's own check handler) against
 * the registers as they read before the access, then applied: the write mask
 * and the write-1-to-clear mask, byte by byte (only the bytes the access
 * covers), then the register's handler. Side effects live only in the handlers
 * below; the behaviour they start (handshakes, engines) lives in mock_device.c
 * and, for the command transport, mock_cmd.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mock_internal.h"

/* ---- Write handlers -------------------------------------------------------------- */

/* GCTL: CRST reads back the written value only after the reset handshake. */
static void mock_gctl_written(struct hdabdl_mock *m, struct mock_access *acc, unsigned reg,
                              uint32_t old, uint32_t written)
{
    (void)acc;
    if (!(written & HDA_GCTL_CRST))
        return;
    bool target = (m->vals[reg] & HDA_GCTL_CRST) != 0;
    m->vals[reg] = (m->vals[reg] & ~HDA_GCTL_CRST) | (old & HDA_GCTL_CRST);
    hdabdl__mock_request_crst(m, target);
}

/* RIRBWP: bit 15 (RIRBWPRST) is write-only and resets WP to 0; WP itself
 * (7:0) belongs to the RIRB engine. */
static void mock_rirbwp_written(struct hdabdl_mock *m, struct mock_access *acc, unsigned reg,
                                uint32_t old, uint32_t written)
{
    (void)acc;
    (void)written;
    if (m->vals[reg] & HDA_RIRBWP_RST)
        m->vals[reg] = 0;
    else
        m->vals[reg] = old;
}

/* CORBRP: bit 15 (CORBRPRST) starts or ends the read pointer reset; how it
 * reads back depends on config.corbrp_reset. RP (7:0) belongs to the engine. */
static void mock_corbrp_written(struct hdabdl_mock *m, struct mock_access *acc, unsigned reg,
                                uint32_t old, uint32_t written)
{
    (void)acc;
    if (!(written & HDA_CORBRP_RST))
        return;
    bool rst = (m->vals[reg] & HDA_CORBRP_RST) != 0;
    m->vals[reg] = (m->vals[reg] & ~HDA_CORBRP_RST) | (old & HDA_CORBRP_RST);
    hdabdl__mock_corbrp_written(m, rst);
}

/* CORBCTL: CORBRUN reads 0 only once the engine has stopped. */
static void mock_corbctl_written(struct hdabdl_mock *m, struct mock_access *acc, unsigned reg,
                                 uint32_t old, uint32_t written)
{
    (void)acc;
    if (!(written & HDA_CORBCTL_RUN))
        return;
    bool run = (m->vals[reg] & HDA_CORBCTL_RUN) != 0;
    m->vals[reg] = (m->vals[reg] & ~HDA_CORBCTL_RUN) | (old & HDA_CORBCTL_RUN);
    hdabdl__mock_corb_run_written(m, run);
}

/* RIRBCTL: RIRBDMAEN likewise. */
static void mock_rirbctl_written(struct hdabdl_mock *m, struct mock_access *acc, unsigned reg,
                                 uint32_t old, uint32_t written)
{
    (void)acc;
    if (!(written & HDA_RIRBCTL_DMAEN))
        return;
    bool run = (m->vals[reg] & HDA_RIRBCTL_DMAEN) != 0;
    m->vals[reg] = (m->vals[reg] & ~HDA_RIRBCTL_DMAEN) | (old & HDA_RIRBCTL_DMAEN);
    hdabdl__mock_rirb_dma_written(m, run);
}

/* ICIS: software sets ICB to send ICOI; only the hardware clears it (writing
 * 0 does not cancel a command). IRV is write-1-to-clear. */
static void mock_icis_written(struct hdabdl_mock *m, struct mock_access *acc, unsigned reg,
                              uint32_t old, uint32_t written)
{
    (void)acc;
    if (!(written & HDA_ICIS_ICB))
        return;
    bool send = (m->vals[reg] & HDA_ICIS_ICB) != 0;
    m->vals[reg] = (m->vals[reg] & ~HDA_ICIS_ICB) | (old & HDA_ICIS_ICB);
    if (send)
        hdabdl__mock_icb_written(m);
}

/* SDnCTL: RUN and SRST are owned by the engine and the stream reset handshake;
 * the stored bits keep what they read until those say otherwise. */
static void mock_sd_ctl_written(struct hdabdl_mock *m, struct mock_access *acc, unsigned reg,
                                uint32_t old, uint32_t written)
{
    unsigned n = (unsigned)m->regs[reg].stream;

    if (written & HDA_SD_CTL_RUN) {
        bool run = (m->vals[reg] & HDA_SD_CTL_RUN) != 0;
        m->vals[reg] = (m->vals[reg] & ~HDA_SD_CTL_RUN) | (old & HDA_SD_CTL_RUN);
        hdabdl__mock_run_written(m, n, run);
    }
    if (written & HDA_SD_CTL_SRST) {
        bool srst = (m->vals[reg] & HDA_SD_CTL_SRST) != 0;
        if (srst && (old & HDA_SD_CTL_RUN))
            hdabdl__mock_flag(m, acc, HDABDL_MOCK_WRITE_WHILE_RUNNING);
        m->vals[reg] = (m->vals[reg] & ~HDA_SD_CTL_SRST) | (old & HDA_SD_CTL_SRST);
        hdabdl__mock_request_srst(m, n, srst);
    }
}

/* ---- Check handlers ----------------------------------------------------------------- */

static bool mock_corb_running(const struct hdabdl_mock *m)
{
    return (m->vals[MOCK_CORBCTL] & HDA_CORBCTL_RUN) != 0;
}

static bool mock_rirb_running(const struct hdabdl_mock *m)
{
    return (m->vals[MOCK_RIRBCTL] & HDA_RIRBCTL_DMAEN) != 0;
}

/* CORBSIZE / RIRBSIZE: only the sizes the capability bits (7:4) offer can be
 * selected; on a part that offers one size the field is in effect read-only.
 * Selecting another one is a read-only write and leaves the size alone. */
static uint32_t mock_ring_size_check(struct hdabdl_mock *m, struct mock_access *acc, unsigned reg,
                                     uint32_t value, uint32_t mask)
{
    if (!(mask & 0x3u))
        return 0;
    uint32_t code = value & 0x3u;
    if (code == (m->vals[reg] & 0x3u) || (m->config.corb_size_caps >> code) & 1u)
        return 0;
    hdabdl__mock_flag(m, acc, HDABDL_MOCK_READ_ONLY_WRITE);
    return 0x3u;
}

/* CORBRPRST and RIRBWPRST: the engine must be stopped (the reset is still done). */
static uint32_t mock_corbrp_check(struct hdabdl_mock *m, struct mock_access *acc, unsigned reg,
                                  uint32_t value, uint32_t mask)
{
    (void)reg;
    if ((value & mask & HDA_CORBRP_RST) && mock_corb_running(m))
        hdabdl__mock_flag(m, acc, HDABDL_MOCK_WRITE_WHILE_RUNNING);
    return 0;
}

static uint32_t mock_rirbwp_check(struct hdabdl_mock *m, struct mock_access *acc, unsigned reg,
                                  uint32_t value, uint32_t mask)
{
    (void)reg;
    if ((value & mask & HDA_RIRBWP_RST) && mock_rirb_running(m))
        hdabdl__mock_flag(m, acc, HDABDL_MOCK_WRITE_WHILE_RUNNING);
    return 0;
}

/* The immediate command interface must not be used while the CORB or the
 * RIRB runs (hw.md 3.6): a new command (ICB 0 -> 1) then is reported, and
 * still sent. ICOI must not change while a command is outstanding. */
static uint32_t mock_icis_check(struct hdabdl_mock *m, struct mock_access *acc, unsigned reg,
                                uint32_t value, uint32_t mask)
{
    if ((value & mask & HDA_ICIS_ICB) && !(m->vals[reg] & HDA_ICIS_ICB) &&
        (mock_corb_running(m) || mock_rirb_running(m)))
        hdabdl__mock_flag(m, acc, HDABDL_MOCK_WRITE_WHILE_RUNNING);
    return 0;
}

static uint32_t mock_icoi_check(struct hdabdl_mock *m, struct mock_access *acc, unsigned reg,
                                uint32_t value, uint32_t mask)
{
    (void)reg;
    (void)value;
    (void)mask;
    if (m->vals[MOCK_ICIS] & HDA_ICIS_ICB)
        hdabdl__mock_flag(m, acc, HDABDL_MOCK_WRITE_WHILE_RUNNING);
    return 0;
}

/* ---- Read handlers ----------------------------------------------------------------- */

static uint32_t mock_intsts_read(const struct hdabdl_mock *m, unsigned reg)
{
    (void)reg;
    return hdabdl__mock_intsts(m);
}

static uint32_t mock_walclk_read(const struct hdabdl_mock *m, unsigned reg)
{
    (void)reg;
    return hdabdl__mock_walclk(m);
}

static uint32_t mock_lpib_alias_read(const struct hdabdl_mock *m, unsigned reg)
{
    return mock_sd_get(m, (unsigned)m->regs[reg].stream, MOCK_SD_LPIB);
}

/* ---- The table --------------------------------------------------------------------- */

#define REG(n, off, sz)         .name = (n), .offset = (off), .size = (sz), .stream = -1
#define RO(n, off, sz, rst)     { REG(n, off, sz), .reset = (rst) }
#define RW(n, off, sz, wm)      { REG(n, off, sz), .wmask = (wm) }
#define W1C(n, off, sz, clr)    { REG(n, off, sz), .w1c = (clr) }
#define COMPUTED(n, off, fn)    { REG(n, off, 4), .on_read = (fn) }

/* Global registers (hw.md section 1). GCAP's reset value, INTCTL's and SSYNC's
 * masks and SSYNC's offset depend on the configuration and are set in
 * hdabdl__mock_build_regs(). Indexed by enum mock_global_reg. */
static const struct mock_reg mock_global_template[MOCK_GLOBAL_REGS] = {
    [MOCK_GCAP]       = RO("GCAP", HDA_REG_GCAP, 2, 0),
    [MOCK_VMIN]       = RO("VMIN", HDA_REG_VMIN, 1, 0x00),
    [MOCK_VMAJ]       = RO("VMAJ", HDA_REG_VMAJ, 1, 0x01),
    [MOCK_OUTPAY]     = RO("OUTPAY", HDA_REG_OUTPAY, 2, 0x003C),
    [MOCK_INPAY]      = RO("INPAY", HDA_REG_INPAY, 2, 0x001D),
    [MOCK_GCTL]       = { REG("GCTL", HDA_REG_GCTL, 4),
                          .wmask = HDA_GCTL_CRST | HDA_GCTL_FCNTRL | HDA_GCTL_UNSOL,
                          .on_write = mock_gctl_written },
    [MOCK_WAKEEN]     = RW("WAKEEN", HDA_REG_WAKEEN, 2, HDA_STATESTS_MASK),
    [MOCK_STATESTS]   = W1C("STATESTS", HDA_REG_STATESTS, 2, HDA_STATESTS_MASK),
    [MOCK_GSTS]       = W1C("GSTS", HDA_REG_GSTS, 2, HDA_GSTS_FSTS),
    [MOCK_OUTSTRMPAY] = RO("OUTSTRMPAY", HDA_REG_OUTSTRMPAY, 2, 0x0030),
    [MOCK_INSTRMPAY]  = RO("INSTRMPAY", HDA_REG_INSTRMPAY, 2, 0x0018),
    [MOCK_INTCTL]     = RW("INTCTL", HDA_REG_INTCTL, 4, 0),
    [MOCK_INTSTS]     = COMPUTED("INTSTS", HDA_REG_INTSTS, mock_intsts_read),
    [MOCK_WALCLK]     = COMPUTED("WALCLK", HDA_REG_WALCLK, mock_walclk_read),
    [MOCK_SSYNC]      = RW("SSYNC", HDA_REG_SSYNC, 4, 0),
    [MOCK_CORBLBASE]  = { REG("CORBLBASE", HDA_REG_CORBLBASE, 4), .wmask = 0xFFFFFF80u,
                          .run_lock = MOCK_LOCK_CORB },
    [MOCK_CORBUBASE]  = { REG("CORBUBASE", HDA_REG_CORBUBASE, 4), .wmask = 0xFFFFFFFFu,
                          .run_lock = MOCK_LOCK_CORB },
    [MOCK_CORBWP]     = RW("CORBWP", HDA_REG_CORBWP, 2, 0x00FF),
    [MOCK_CORBRP]     = { REG("CORBRP", HDA_REG_CORBRP, 2), .wmask = HDA_CORBRP_RST, .wignore = 0x00FF,
                          .on_write = mock_corbrp_written, .on_check = mock_corbrp_check },
    [MOCK_CORBCTL]    = { REG("CORBCTL", HDA_REG_CORBCTL, 1), .wmask = HDA_CORBCTL_RUN | HDA_CORBCTL_CMEIE,
                          .on_write = mock_corbctl_written },
    [MOCK_CORBSTS]    = W1C("CORBSTS", HDA_REG_CORBSTS, 1, 0x01),
    /* Reset value (capabilities and the largest size they offer) set in build_regs. */
    [MOCK_CORBSIZE]   = { REG("CORBSIZE", HDA_REG_CORBSIZE, 1), .wmask = 0x03, .run_lock = MOCK_LOCK_CORB,
                          .on_check = mock_ring_size_check },
    [MOCK_RIRBLBASE]  = { REG("RIRBLBASE", HDA_REG_RIRBLBASE, 4), .wmask = 0xFFFFFF80u,
                          .run_lock = MOCK_LOCK_RIRB },
    [MOCK_RIRBUBASE]  = { REG("RIRBUBASE", HDA_REG_RIRBUBASE, 4), .wmask = 0xFFFFFFFFu,
                          .run_lock = MOCK_LOCK_RIRB },
    [MOCK_RIRBWP]     = { REG("RIRBWP", HDA_REG_RIRBWP, 2), .wmask = HDA_RIRBWP_RST, .wignore = 0x00FF,
                          .on_write = mock_rirbwp_written, .on_check = mock_rirbwp_check },
    /* "change only with DMA stopped" (hw.md section 1) */
    [MOCK_RINTCNT]    = { REG("RINTCNT", HDA_REG_RINTCNT, 2), .wmask = 0x00FF, .run_lock = MOCK_LOCK_RIRB },
    [MOCK_RIRBCTL]    = { REG("RIRBCTL", HDA_REG_RIRBCTL, 1),
                          .wmask = HDA_RIRBCTL_OIC | HDA_RIRBCTL_DMAEN | HDA_RIRBCTL_RINTCTL,
                          .on_write = mock_rirbctl_written },
    [MOCK_RIRBSTS]    = W1C("RIRBSTS", HDA_REG_RIRBSTS, 1, HDA_RIRBSTS_OIS | HDA_RIRBSTS_RINTFL),
    [MOCK_RIRBSIZE]   = { REG("RIRBSIZE", HDA_REG_RIRBSIZE, 1), .wmask = 0x03, .run_lock = MOCK_LOCK_RIRB,
                          .on_check = mock_ring_size_check },
    [MOCK_ICOI]       = { REG("ICOI", HDA_REG_ICOI, 4), .wmask = 0xFFFFFFFFu, .on_check = mock_icoi_check },
    [MOCK_ICII]       = RO("ICII", HDA_REG_ICII, 4, 0),
    /* Bits 7:4: the address of the codec that answered (ECR), the hardware's. */
    [MOCK_ICIS]       = { REG("ICIS", HDA_REG_ICIS, 2), .wmask = HDA_ICIS_ICB, .w1c = HDA_ICIS_IRV,
                          .wignore = 0x00F0, .on_write = mock_icis_written, .on_check = mock_icis_check },
    [MOCK_DPLBASE]    = RW("DPLBASE", HDA_REG_DPLBASE, 4, 0xFFFFFF81u),
    [MOCK_DPUBASE]    = RW("DPUBASE", HDA_REG_DPUBASE, 4, 0xFFFFFFFFu),
    [MOCK_WALCLK_ALIAS] = COMPUTED("WALCLK(alias)", HDA_REG_WALCLK_ALIAS, mock_walclk_read),
};

/* Bits of SDnCTL software may write on every engine; bidirectional engines add DIR. */
#define MOCK_SD_CTL_WMASK (HDA_SD_CTL_SRST | HDA_SD_CTL_RUN | HDA_SD_CTL_INT_MASK | \
                           HDA_SD_CTL_STRIPE_MASK | HDA_SD_CTL_TP | HDA_SD_CTL_STRM_MASK)

/* A stream register: CBL, LVI, FMT, BDPL, BDPU must not change while RUN reads 1. */
#define SD(n, off, sz)          .name = (n), .offset = (off), .size = (sz)
#define SD_RUN_LOCKED(n, off, sz, wm)  { SD(n, off, sz), .wmask = (wm), .run_lock = MOCK_LOCK_SD }

/* One stream descriptor (hw.md section 2), offsets relative to its base; the
 * alias offset is relative to the descriptor's alias. Bytes +0x14..+0x17
 * (FIFOL on newer parts) are deliberately absent. FIFOS's reset value depends
 * on the engine's kind and is set in hdabdl__mock_build_regs(). */
static const struct mock_reg mock_sd_template[MOCK_SD_REGS] = {
    [MOCK_SD_CTL]   = { SD("CTL", HDA_SD_CTL, 3), .wmask = MOCK_SD_CTL_WMASK,
                        .on_write = mock_sd_ctl_written },
    [MOCK_SD_STS]   = { SD("STS", HDA_SD_STS, 1), .w1c = HDA_SD_STS_INT_MASK,
                        .wignore = HDA_SD_STS_FIFORDY },
    [MOCK_SD_LPIB]  = { SD("LPIB", HDA_SD_LPIB, 4) },
    [MOCK_SD_CBL]   = SD_RUN_LOCKED("CBL", HDA_SD_CBL, 4, 0xFFFFFFFFu),
    [MOCK_SD_LVI]   = SD_RUN_LOCKED("LVI", HDA_SD_LVI, 2, 0x00FF),
    [MOCK_SD_FIFOW] = { SD("FIFOW", HDA_SD_FIFOW, 2), .reset = 0x0004, .wmask = 0x0007 },
    [MOCK_SD_FIFOS] = { SD("FIFOS", HDA_SD_FIFOS, 2) },
    [MOCK_SD_FMT]   = SD_RUN_LOCKED("FMT", HDA_SD_FMT, 2, 0x7F7F),
    [MOCK_SD_BDPL]  = SD_RUN_LOCKED("BDPL", HDA_SD_BDPL, 4, 0xFFFFFF80u),
    [MOCK_SD_BDPU]  = SD_RUN_LOCKED("BDPU", HDA_SD_BDPU, 4, 0xFFFFFFFFu),
    [MOCK_SD_LPIB_ALIAS] = { SD("LPIB(alias)", HDA_ALIAS_BASE + HDA_SD_LPIB, 4),
                             .on_read = mock_lpib_alias_read },
};

static uint32_t mock_gcap(const struct hdabdl_mock_config *c)
{
    uint32_t nsdo = c->sdo_lines == 4 ? 2u : c->sdo_lines == 2 ? 1u : 0u;
    return (uint32_t)c->output_streams << HDA_GCAP_OSS_SHIFT |
           (uint32_t)c->input_streams << HDA_GCAP_ISS_SHIFT |
           (uint32_t)c->bidir_streams << HDA_GCAP_BSS_SHIFT |
           nsdo << HDA_GCAP_NSDO_SHIFT |
           (c->addr64 ? HDA_GCAP_64OK : 0u);
}

/* CORBSIZE/RIRBSIZE after reset: the capabilities and the largest size they offer. */
static uint32_t mock_ring_size_reset(uint8_t caps)
{
    uint32_t code = (caps & 0x4u) ? 2u : (caps & 0x2u) ? 1u : 0u;
    return (uint32_t)(caps & 0x7u) << 4 | code;
}

static enum mock_stream_kind mock_kind_of(const struct hdabdl_mock_config *c, unsigned n)
{
    if (n < c->input_streams)
        return MOCK_STREAM_INPUT;
    if (n < (unsigned)c->input_streams + c->output_streams)
        return MOCK_STREAM_OUTPUT;
    return MOCK_STREAM_BIDIR;
}

int hdabdl__mock_build_regs(struct hdabdl_mock *m)
{
    const struct hdabdl_mock_config *c = &m->config;
    unsigned count = MOCK_GLOBAL_REGS + m->stream_count * MOCK_SD_REGS;
    uint32_t stream_bits = (uint32_t)((1ull << m->stream_count) - 1u);

    m->regs = calloc(count, sizeof(*m->regs));
    m->vals = calloc(count, sizeof(*m->vals));
    if (!m->regs || !m->vals)
        return -ENOMEM;
    m->reg_count = count;

    memcpy(m->regs, mock_global_template, sizeof(mock_global_template));
    m->regs[MOCK_GCAP].reset = mock_gcap(c);
    m->regs[MOCK_INTCTL].wmask = HDA_INT_GLOBAL | HDA_INT_CTRL | stream_bits;
    m->regs[MOCK_SSYNC].wmask = stream_bits;
    if (c->old_ssync)
        m->regs[MOCK_SSYNC].offset = HDA_REG_SSYNC_OLD;
    m->regs[MOCK_CORBSIZE].reset = mock_ring_size_reset(c->corb_size_caps);
    m->regs[MOCK_RIRBSIZE].reset = mock_ring_size_reset(c->corb_size_caps);

    for (unsigned n = 0; n < m->stream_count; n++) {
        enum mock_stream_kind kind = mock_kind_of(c, n);
        uint32_t base = HDA_SD_OFFSET(n, 0);
        m->streams[n].kind = kind;
        for (unsigned r = 0; r < MOCK_SD_REGS; r++) {
            struct mock_reg *reg = &m->regs[mock_sd_reg_index(n, (enum mock_sd_reg)r)];
            *reg = mock_sd_template[r];
            reg->offset += base;
            reg->stream = (int8_t)n;
        }
        if (kind == MOCK_STREAM_BIDIR)
            m->regs[mock_sd_reg_index(n, MOCK_SD_CTL)].wmask |= HDA_SD_CTL_DIR;
        m->regs[mock_sd_reg_index(n, MOCK_SD_FIFOS)].reset =
            (uint32_t)(kind == MOCK_STREAM_INPUT ? c->input_fifo_size : c->output_fifo_size) - 1u;
    }

    for (size_t b = 0; b < HDA_MMIO_SIZE; b++)
        m->reg_at[b] = -1;
    for (unsigned i = 0; i < count; i++)
        for (unsigned b = 0; b < m->regs[i].size; b++)
            m->reg_at[m->regs[i].offset + b] = (int16_t)i;
    return 0;
}

uint32_t hdabdl__mock_reg_value(const struct hdabdl_mock *m, unsigned reg)
{
    if (m->regs[reg].on_read)
        return m->regs[reg].on_read(m, reg);
    return m->vals[reg];
}

void hdabdl__mock_reg_name(const struct hdabdl_mock *m, uint32_t offset, char *buf, size_t len)
{
    int idx = offset < HDA_MMIO_SIZE ? m->reg_at[offset] : -1;
    if (idx < 0) {
        snprintf(buf, len, "?");
        return;
    }
    const struct mock_reg *r = &m->regs[idx];
    if (r->stream >= 0)
        snprintf(buf, len, "SD%d%s", r->stream, r->name);
    else
        snprintf(buf, len, "%s", r->name);
}

/* ---- Access rules -------------------------------------------------------------------- */

static uint32_t mock_bytes_mask(unsigned bytes)
{
    return bytes >= 4 ? 0xFFFFFFFFu : (1u << (8 * bytes)) - 1u;
}

/* The part of one access that falls on one register. */
struct mock_segment {
    unsigned reg;
    uint32_t value;     /* the accessed bytes, in register bit position */
    uint32_t mask;      /* which bits of the register the access covers */
    bool dropped;
};

static bool mock_run_locked(const struct hdabdl_mock *m, const struct mock_reg *r)
{
    switch ((enum mock_run_lock)r->run_lock) {
    case MOCK_LOCK_NONE: return false;
    case MOCK_LOCK_SD: return mock_sd_running(m, (unsigned)r->stream);
    case MOCK_LOCK_CORB: return mock_corb_running(m);
    case MOCK_LOCK_RIRB: return mock_rirb_running(m);
    }
    return false;
}

/* Check a write against the register as it reads before the access (so a
 * read-modify-write of CTL+STS that stops the engine may write back the
 * FIFORDY it read, although stopping clears it). */
static void mock_check_write(struct hdabdl_mock *m, struct mock_access *acc, struct mock_segment *seg)
{
    const struct mock_reg *r = &m->regs[seg->reg];

    /* A controller in reset only listens to GCTL. */
    if (seg->reg != MOCK_GCTL && mock_in_reset(m)) {
        hdabdl__mock_flag(m, acc, HDABDL_MOCK_WRITE_IN_RESET);
        seg->dropped = true;
        return;
    }
    if ((seg->value ^ hdabdl__mock_reg_value(m, seg->reg)) & seg->mask & ~(r->wmask | r->w1c | r->wignore))
        hdabdl__mock_flag(m, acc, HDABDL_MOCK_READ_ONLY_WRITE);
    if (mock_run_locked(m, r))
        hdabdl__mock_flag(m, acc, HDABDL_MOCK_WRITE_WHILE_RUNNING);
    if (r->on_check)
        seg->mask &= ~r->on_check(m, acc, seg->reg, seg->value, seg->mask);
}

/* Apply the write masks byte-exactly, then the register's side effects. */
static void mock_apply_write(struct hdabdl_mock *m, struct mock_access *acc, const struct mock_segment *seg)
{
    const struct mock_reg *r = &m->regs[seg->reg];
    uint32_t old = m->vals[seg->reg];
    uint32_t writable = r->wmask & seg->mask;
    uint32_t next = (old & ~writable) | (seg->value & writable);

    next &= ~(seg->value & r->w1c & seg->mask);
    m->vals[seg->reg] = next;
    if (r->on_write)
        r->on_write(m, acc, seg->reg, old, seg->mask);
}

/* One MMIO access, byte-exact: every covered byte belongs to some register or
 * is reported unknown; bytes of the same register form one segment.
 * Registers are little-endian on the bus: the byte at offset o of a register
 * is bits 8*o..8*o+7 of its value, and byte b of an access is bits 8*b..8*b+7
 * of the access's value. Values are host integers and bytes are picked by
 * shifts, never through memory, so width 1, 2 and 4 behave the same on any
 * host byte order. */
static int mock_access_locked(struct hdabdl_mock *m, struct mock_access *acc, uint32_t *result)
{
    uint32_t offset = acc->offset;
    unsigned width = acc->width;
    struct mock_segment segs[4];
    unsigned count = 0;

    if (hdabdl__mock_fault(m, HDABDL_MOCK_FAULT_ALL_ONES, 0)) {
        /* The device is gone: the bus answers every read with ones. */
        if (result)
            *result = mock_bytes_mask(width == 1 || width == 2 ? width : 4);
        return 0;
    }
    if ((width != 1 && width != 2 && width != 4) || offset % width != 0) {
        hdabdl__mock_flag(m, acc, HDABDL_MOCK_BAD_WIDTH);
        if (result)
            *result = 0;
        return -EINVAL;
    }

    uint32_t value = 0;
    for (unsigned b = 0; b < width;) {
        uint32_t at = offset + b;
        int idx = at < HDA_MMIO_SIZE ? m->reg_at[at] : -1;
        if (idx < 0) {
            hdabdl__mock_flag(m, acc, HDABDL_MOCK_UNKNOWN_OFFSET);
            b++;
            continue;
        }
        unsigned n = 1;
        while (b + n < width && m->reg_at[at + n] == idx)
            n++;
        unsigned shift = 8 * (at - m->regs[idx].offset);
        uint32_t bytes = mock_bytes_mask(n);
        if (acc->write) {
            segs[count++] = (struct mock_segment){ (unsigned)idx, ((acc->value >> (8 * b)) & bytes) << shift,
                                                   bytes << shift, false };
        } else {
            value |= ((hdabdl__mock_reg_value(m, (unsigned)idx) >> shift) & bytes) << (8 * b);
        }
        b += n;
    }
    for (unsigned i = 0; i < count; i++)
        mock_check_write(m, acc, &segs[i]);
    for (unsigned i = 0; i < count; i++)
        if (!segs[i].dropped)
            mock_apply_write(m, acc, &segs[i]);
    if (result)
        *result = value;
    return acc->flagged ? -EINVAL : 0;
}

int hdabdl_mock_mmio_read(struct hdabdl_mock *mock, uint32_t offset, unsigned width, uint32_t *value)
{
    struct mock_access acc = { offset, (uint8_t)(width > 255 ? 255 : width), false, 0, 0 };
    uint32_t result = 0;

    hdabdl__mock_lock(mock);
    mock->stats.reg_reads++;
    int rc = mock_access_locked(mock, &acc, &result);
    hdabdl__mock_unlock(mock);
    if (value)
        *value = result;
    return rc;
}

int hdabdl_mock_mmio_write(struct hdabdl_mock *mock, uint32_t offset, unsigned width, uint32_t value)
{
    struct mock_access acc = { offset, (uint8_t)(width > 255 ? 255 : width), true, value, 0 };

    hdabdl__mock_lock(mock);
    mock->stats.reg_writes++;
    int rc = mock_access_locked(mock, &acc, NULL);
    hdabdl__mock_settle_locked(mock);
    hdabdl__mock_unlock(mock);
    return rc;
}
