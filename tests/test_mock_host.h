/* SPDX-License-Identifier: MIT */
/*
 * tests/test_mock_host.h - a tiny host for device-level tests of the mock
 * controller (tests/test_mock_*.c): a flat byte array as bus memory, counters
 * of what the device did to it, and register helpers.
 *
 * cmocka.h needs <stdarg.h>, <stddef.h>, <stdint.h> and <setjmp.h> first.
 */
#ifndef HDABDL_TESTS_TEST_MOCK_HOST_H
#define HDABDL_TESTS_TEST_MOCK_HOST_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdbool.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "hdabdl/hdabdl.h"   /* hdabdl_bdl_write_entry() */
#include "hdabdl/mock.h"
#include "hdabdl/regs.h"

#include "byteorder.h"        /* what the device shares with memory is little-endian */

#define TH_MEM_BASE   0x00100000ull     /* bus address of th.mem[0] */
#define TH_MEM_SIZE   (512u * 1024u)
#define TH_BDL        (TH_MEM_BASE)             /* default BDL (128-byte aligned) */
#define TH_POSBUF     (TH_MEM_BASE + 0x800)     /* position buffer */
#define TH_BUF        (TH_MEM_BASE + 0x1000)    /* default data buffer */
#define TH_CORB       (TH_MEM_BASE + 0x60000)   /* CORB: 256 x 4 bytes */
#define TH_RIRB       (TH_MEM_BASE + 0x61000)   /* RIRB: 256 x 8 bytes */

/* Stream formats: base 48 kHz unless noted. */
#define TH_FMT_48K_16_2CH   0x0011u   /* 4-byte blocks */
#define TH_FMT_44K1_16_2CH  0x4011u
#define TH_FMT_96K_16_2CH   0x0811u   /* MULT x2 */
#define TH_FMT_8K_16_2CH    0x0511u   /* DIV /6 */

#define TH_OUT0  4u   /* first output engine with the default 4/4/0 layout */
#define TH_IN0   0u

struct th {
    struct hdabdl_mock_config cfg;
    struct hdabdl_mock *m;
    uint8_t *mem;
    /* what the device did */
    unsigned dma_reads;
    unsigned dma_writes;
    unsigned irq_changes;
    bool irq_level;
};

static inline int th_dma_read(void *ctx, uint64_t bus, void *buf, size_t len)
{
    struct th *t = ctx;
    t->dma_reads++;
    if (bus < TH_MEM_BASE || bus - TH_MEM_BASE > TH_MEM_SIZE || len > TH_MEM_SIZE - (bus - TH_MEM_BASE))
        return -EFAULT;
    memcpy(buf, t->mem + (bus - TH_MEM_BASE), len);
    return 0;
}

static inline int th_dma_write(void *ctx, uint64_t bus, const void *buf, size_t len)
{
    struct th *t = ctx;
    t->dma_writes++;
    if (bus < TH_MEM_BASE || bus - TH_MEM_BASE > TH_MEM_SIZE || len > TH_MEM_SIZE - (bus - TH_MEM_BASE))
        return -EFAULT;
    memcpy(t->mem + (bus - TH_MEM_BASE), buf, len);
    return 0;
}

static inline void th_irq_line(void *ctx, bool asserted)
{
    struct th *t = ctx;
    t->irq_changes++;
    t->irq_level = asserted;
}

static inline struct hdabdl_mock_host th_host(struct th *t)
{
    struct hdabdl_mock_host host = { t, th_dma_read, th_dma_write, th_irq_line };
    return host;
}

/* (Re)create the model from t->cfg. */
static inline void th_create(struct th *t)
{
    hdabdl_mock_destroy(t->m);
    t->m = NULL;
    struct hdabdl_mock_host host = th_host(t);
    assert_int_equal(hdabdl_mock_create(&t->cfg, &host, &t->m), 0);
    assert_non_null(t->m);
}

static inline int th_setup(void **state)
{
    struct th *t = calloc(1, sizeof(*t));
    if (!t)
        return -1;
    t->mem = calloc(1, TH_MEM_SIZE);
    if (!t->mem) {
        free(t);
        return -1;
    }
    hdabdl_mock_config_default(&t->cfg);
    struct hdabdl_mock_host host = th_host(t);
    *state = t;
    if (hdabdl_mock_create(&t->cfg, &host, &t->m) != 0)
        return -1;
    return 0;
}

static inline int th_teardown(void **state)
{
    struct th *t = *state;
    hdabdl_mock_destroy(t->m);
    free(t->mem);
    free(t);
    return 0;
}

/* ---- Registers ------------------------------------------------------------------ */

static inline uint32_t th_rd(struct th *t, uint32_t offset, unsigned width)
{
    uint32_t v = 0xDEADBEEFu;
    assert_int_equal(hdabdl_mock_mmio_read(t->m, offset, width, &v), 0);
    return v;
}

static inline void th_wr(struct th *t, uint32_t offset, unsigned width, uint32_t value)
{
    assert_int_equal(hdabdl_mock_mmio_write(t->m, offset, width, value), 0);
}

static inline uint32_t th_sd_rd(struct th *t, unsigned n, uint32_t reg, unsigned width)
{
    return th_rd(t, HDA_SD_OFFSET(n, reg), width);
}

static inline void th_sd_wr(struct th *t, unsigned n, uint32_t reg, unsigned width, uint32_t value)
{
    th_wr(t, HDA_SD_OFFSET(n, reg), width, value);
}

static inline size_t th_violations(struct th *t)
{
    return hdabdl_mock_violation_count(t->m);
}

/* The kind of violation record @i (asserting it exists). */
static inline enum hdabdl_mock_violation th_violation_kind(struct th *t, size_t i)
{
    struct hdabdl_mock_violation_record r;
    assert_true(hdabdl_mock_violation_get(t->m, i, &r));
    return r.kind;
}

/* Leave reset and wait for the handshake (not for the codecs). */
static inline void th_leave_reset(struct th *t)
{
    th_wr(t, HDA_REG_GCTL, 4, HDA_GCTL_CRST);
    hdabdl_mock_advance(t->m, t->cfg.crst_delay_ns);
    assert_int_equal(th_rd(t, HDA_REG_GCTL, 4) & HDA_GCTL_CRST, HDA_GCTL_CRST);
}

/* ---- Memory and BDLs ---------------------------------------------------------------- */

static inline uint8_t *th_ptr(struct th *t, uint64_t bus)
{
    return t->mem + (bus - TH_MEM_BASE);
}

/* A 32-bit word in memory as the device sees it (CORB and RIRB entries, the
 * position buffer): little-endian on any host. */
static inline void th_put32(struct th *t, uint64_t bus, uint32_t v)
{
    hdabdl__le32_store(th_ptr(t, bus), v);
}

static inline uint32_t th_get32(struct th *t, uint64_t bus)
{
    return hdabdl__le32_load(th_ptr(t, bus));
}

/* BDL entry @i of the BDL at @bdl (128-byte aligned), in the controller's byte order. */
static inline void th_put_bde(struct th *t, uint64_t bdl, unsigned i, uint64_t address, uint32_t length,
                              bool ioc)
{
    hdabdl_bdl_write_entry((struct hdabdl_buffer_descriptor *)(void *)th_ptr(t, bdl), i, address, length,
                           ioc ? HDA_BDL_IOC : 0);
}

/* Fill @len bytes at @bus with a pattern that starts at @seed. */
static inline void th_fill(struct th *t, uint64_t bus, size_t len, uint8_t seed)
{
    for (size_t i = 0; i < len; i++)
        th_ptr(t, bus)[i] = (uint8_t)(seed + i);
}

/* Program engine @n: BDL at @bdl, CBL, LVI, format, stream tag (RUN not set). */
static inline void th_program(struct th *t, unsigned n, uint64_t bdl, uint32_t cbl, uint32_t lvi,
                              uint32_t fmt, uint8_t tag)
{
    th_sd_wr(t, n, HDA_SD_BDPL, 4, (uint32_t)bdl);
    th_sd_wr(t, n, HDA_SD_BDPU, 4, (uint32_t)(bdl >> 32));
    th_sd_wr(t, n, HDA_SD_CBL, 4, cbl);
    th_sd_wr(t, n, HDA_SD_LVI, 2, lvi);
    th_sd_wr(t, n, HDA_SD_FMT, 2, fmt);
    th_sd_wr(t, n, HDA_SD_CTL + 2, 1, (uint32_t)tag << 4);
}

/* Read-modify-write of the CTL+STS dword that leaves the W1C status bits alone
 * (writing 0 to them) and writes FIFORDY back as read. */
static inline void th_update_ctl(struct th *t, unsigned n, uint32_t clear, uint32_t set)
{
    uint32_t v = th_sd_rd(t, n, HDA_SD_CTL, 4) & ~((uint32_t)HDA_SD_STS_INT_MASK << 24);
    th_sd_wr(t, n, HDA_SD_CTL, 4, (v & ~clear) | set);
}

static inline void th_set_ctl(struct th *t, unsigned n, uint32_t set)
{
    th_update_ctl(t, n, 0, set);
}

static inline void th_clear_ctl(struct th *t, unsigned n, uint32_t clear)
{
    th_update_ctl(t, n, clear, 0);
}

static inline void th_run(struct th *t, unsigned n)
{
    th_set_ctl(t, n, HDA_SD_CTL_RUN);
}

/* Two 64-byte entries (IOC on both), CBL 128, 48 kHz 16-bit stereo, on output engine @n. */
static inline void th_simple_output(struct th *t, unsigned n, uint8_t tag)
{
    th_put_bde(t, TH_BDL, 0, TH_BUF, 64, true);
    th_put_bde(t, TH_BDL, 1, TH_BUF + 64, 64, true);
    th_fill(t, TH_BUF, 128, 0);
    th_program(t, n, TH_BDL, 128, 1, TH_FMT_48K_16_2CH, tag);
}

/* ---- Link frames ----------------------------------------------------------------- */

static inline uint64_t th_frame_time(uint64_t k)
{
    return k * 62500u / 3u;
}

static inline uint64_t th_first_frame_after(uint64_t t)
{
    return (3u * (t + 1) + 62499u) / 62500u;
}

/* Advance so that exactly @frames more link frames have started (ending on the last). */
static inline void th_advance_frames(struct th *t, uint64_t frames)
{
    if (frames == 0)
        return;
    uint64_t now = hdabdl_mock_now(t->m);
    uint64_t target = th_frame_time(th_first_frame_after(now) + frames - 1);
    hdabdl_mock_advance(t->m, target - now);
}

/* ---- Command transport -------------------------------------------------------- */

/* A 12-bit verb with an 8-bit payload for codec @cad, node @nid. */
static inline uint32_t th_verb(unsigned cad, unsigned nid, unsigned verb, unsigned payload)
{
    return (uint32_t)cad << 28 | (uint32_t)nid << 20 | (uint32_t)verb << 8 | (payload & 0xFFu);
}

/* Get parameter @param of node @nid. */
static inline uint32_t th_get_param(unsigned cad, unsigned nid, unsigned param)
{
    return th_verb(cad, nid, 0xF00, param);
}

/* Leave reset and wait until the codecs have woken up (and answer verbs). */
static inline void th_link_up(struct th *t)
{
    th_leave_reset(t);
    hdabdl_mock_advance(t->m, t->cfg.codec_wake_delay_ns);
}

/*
 * Program and start the CORB and RIRB the way Linux does (hw.md 3.5), with
 * the largest sizes the capabilities offer: bases, CORBWP = 0, CORBRP reset
 * (set, then clear), CORBRUN; RIRBWP reset, RINTCNT, RIRBDMAEN | RINTCTL.
 */
static inline void th_cmd_start(struct th *t, unsigned rintcnt)
{
    th_wr(t, HDA_REG_CORBLBASE, 4, (uint32_t)TH_CORB);
    th_wr(t, HDA_REG_CORBUBASE, 4, (uint32_t)(TH_CORB >> 32));
    th_wr(t, HDA_REG_CORBWP, 2, 0);
    th_wr(t, HDA_REG_CORBRP, 2, HDA_CORBRP_RST);
    th_wr(t, HDA_REG_CORBRP, 2, 0);
    th_wr(t, HDA_REG_CORBCTL, 1, HDA_CORBCTL_RUN);
    th_wr(t, HDA_REG_RIRBLBASE, 4, (uint32_t)TH_RIRB);
    th_wr(t, HDA_REG_RIRBUBASE, 4, (uint32_t)(TH_RIRB >> 32));
    th_wr(t, HDA_REG_RIRBWP, 2, HDA_RIRBWP_RST);
    th_wr(t, HDA_REG_RINTCNT, 2, rintcnt);
    th_wr(t, HDA_REG_RIRBCTL, 1, HDA_RIRBCTL_DMAEN | HDA_RIRBCTL_RINTCTL);
}

/* Number of CORB entries CORBSIZE selects. */
static inline unsigned th_corb_entries(struct th *t)
{
    unsigned code = th_rd(t, HDA_REG_CORBSIZE, 1) & 3u;
    return code == 0 ? 2u : code == 1 ? 16u : 256u;
}

/* Put @verb in the next CORB entry and hand it to the hardware (CORBWP). */
static inline void th_queue_verb(struct th *t, uint32_t verb)
{
    unsigned wp = (th_rd(t, HDA_REG_CORBWP, 2) + 1u) % th_corb_entries(t);
    th_put32(t, TH_CORB + 4u * wp, verb);
    th_wr(t, HDA_REG_CORBWP, 2, wp);
}

static inline uint32_t th_rirb_response(struct th *t, unsigned index)
{
    return th_get32(t, TH_RIRB + 8u * index);
}

static inline uint32_t th_rirb_ex(struct th *t, unsigned index)
{
    return th_get32(t, TH_RIRB + 8u * index + 4u);
}

static inline unsigned th_rirbwp(struct th *t)
{
    return th_rd(t, HDA_REG_RIRBWP, 2);
}

static inline unsigned th_corbrp(struct th *t)
{
    return th_rd(t, HDA_REG_CORBRP, 2);
}

/* Send @verb through the immediate command interface (ICB set; not waited for). */
static inline void th_ic_send(struct th *t, uint32_t verb)
{
    th_wr(t, HDA_REG_ICIS, 2, HDA_ICIS_IRV);       /* clear a stale result */
    th_wr(t, HDA_REG_ICOI, 4, verb);
    th_wr(t, HDA_REG_ICIS, 2, HDA_ICIS_ICB);
}

/* Immediate command and its response two frames later (asserting it came). */
static inline uint32_t th_ic_exec(struct th *t, uint32_t verb)
{
    th_ic_send(t, verb);
    th_advance_frames(t, 2);
    assert_int_equal(th_rd(t, HDA_REG_ICIS, 2) & (HDA_ICIS_ICB | HDA_ICIS_IRV), HDA_ICIS_IRV);
    return th_rd(t, HDA_REG_ICII, 4);
}

#endif /* HDABDL_TESTS_TEST_MOCK_HOST_H */
