/* SPDX-License-Identifier: MIT */
/*
 * fuzz/fuzz_mock_mmio.c - libFuzzer target: the mock controller's device
 * model alone (hdabdl_mock_create), driven as a guest driver would drive a
 * device model inside an emulator, except that the "driver" is the input.
 *
 * The host is a small fake memory (FAKE_MEM_SIZE bytes at a bus address the
 * input picks); dma_read/dma_write serve it and refuse everything else. The
 * input is a configuration header followed by a bounded sequence of
 * operations: MMIO reads and writes (any offset, width and value, or a
 * register of the table), advances of virtual time (bounded per input),
 * faults, FIFO errors, codecs attached and detached (the mock's default
 * codec), jack events, writes into the fake memory (BDLs, CORB entries), link
 * tap reads, alias page reads, the violation log. Whatever registers and DMA
 * pointers say (DMA into the BAR, BDLs anywhere, LVI/CBL garbage, CORB/RIRB
 * garbage), the model must not crash, hang, or touch memory outside its own
 * objects (ASan) - and it must never hand the host an access into its own BAR
 * or, without 64OK, above 4 GiB (it promises to refuse those itself): the
 * host callbacks abort() if asked to.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hdabdl/codec.h"
#include "hdabdl/hdabdl.h"      /* hdabdl_bdl_write_entry() */
#include "hdabdl/mock.h"
#include "hdabdl/regs.h"

#include "byteorder.h"                /* memory shared with the device is little-endian */
#include "hal/mock/mock_internal.h"   /* hdabdl__mock_default_codec_desc() */

#define FAKE_MEM_SIZE 0x10000u          /* 64 KiB of guest memory */
#define MAX_OPS 192                     /* operations per input */
#define MAX_VIRTUAL_NS 20000000u        /* 20 ms of virtual time per input */
#define MAX_ADVANCE_NS 1000000u         /* 1 ms per advance */
#define NCODECS 16                      /* addresses 0..15 (15 is refused) */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what, uint64_t bus, size_t len)
{
    fprintf(stderr, "fuzz_mock_mmio: %s (bus 0x%llx, %zu bytes)\n", what, (unsigned long long)bus,
            len);
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

/* ---- The host: fake memory --------------------------------------------------------- */

struct host {
    uint8_t *mem;           /* FAKE_MEM_SIZE bytes (malloc: ASan guards both ends) */
    uint64_t base;          /* its bus address */
    uint64_t bar;           /* the model's BAR0 */
    bool addr64;
    unsigned irq_changes;
};

/* Is [bus, bus + len) inside the fake memory? Then its offset. */
static bool host_range(const struct host *h, uint64_t bus, size_t len, size_t *offset)
{
    if (bus < h->base || bus - h->base > FAKE_MEM_SIZE || len > FAKE_MEM_SIZE - (bus - h->base))
        return false;
    *offset = (size_t)(bus - h->base);
    return true;
}

/* What the model promised never to ask the host for. */
static void host_check(const struct host *h, uint64_t bus, size_t len)
{
    if (len == 0)
        fail("DMA access of 0 bytes", bus, len);
    uint64_t last = bus + (len - 1);
    if (last < bus)
        fail("DMA access wrapping around the address space", bus, len);
    if (!h->addr64 && last > UINT32_MAX)
        fail("DMA access above 4 GiB without 64OK", bus, len);
    if (bus < h->bar + HDA_MMIO_SIZE && last >= h->bar)
        fail("DMA access into the device's own BAR", bus, len);
}

static int host_dma_read(void *ctx, uint64_t bus, void *buf, size_t len)
{
    struct host *h = ctx;
    size_t off;
    host_check(h, bus, len);
    if (!host_range(h, bus, len, &off))
        return -EFAULT;
    memcpy(buf, h->mem + off, len);
    return 0;
}

static int host_dma_write(void *ctx, uint64_t bus, const void *buf, size_t len)
{
    struct host *h = ctx;
    size_t off;
    host_check(h, bus, len);
    if (!host_range(h, bus, len, &off))
        return -EFAULT;
    memcpy(h->mem + off, buf, len);
    return 0;
}

static void host_irq_line(void *ctx, bool asserted)
{
    struct host *h = ctx;
    (void)asserted;
    h->irq_changes++;
}

static void capture_source(void *ctx, uint8_t tag, void *buf, size_t len)
{
    (void)ctx;
    memset(buf, 0x40 + tag, len);
}

/* ---- Registers worth aiming at ------------------------------------------------------ */

struct reg { uint16_t offset; uint8_t width; };

static const struct reg global_regs[] = {
    {HDA_REG_GCAP, 2},      {HDA_REG_GCTL, 4},      {HDA_REG_WAKEEN, 2},    {HDA_REG_STATESTS, 2},
    {HDA_REG_GSTS, 2},      {HDA_REG_INTCTL, 4},    {HDA_REG_INTSTS, 4},    {HDA_REG_WALCLK, 4},
    {HDA_REG_SSYNC_OLD, 4}, {HDA_REG_SSYNC, 4},     {HDA_REG_CORBLBASE, 4}, {HDA_REG_CORBUBASE, 4},
    {HDA_REG_CORBWP, 2},    {HDA_REG_CORBRP, 2},    {HDA_REG_CORBCTL, 1},   {HDA_REG_CORBSTS, 1},
    {HDA_REG_CORBSIZE, 1},  {HDA_REG_RIRBLBASE, 4}, {HDA_REG_RIRBUBASE, 4}, {HDA_REG_RIRBWP, 2},
    {HDA_REG_RINTCNT, 2},   {HDA_REG_RIRBCTL, 1},   {HDA_REG_RIRBSTS, 1},   {HDA_REG_RIRBSIZE, 1},
    {HDA_REG_ICOI, 4},      {HDA_REG_ICII, 4},      {HDA_REG_ICIS, 2},      {HDA_REG_DPLBASE, 4},
    {HDA_REG_DPUBASE, 4},   {HDA_REG_WALCLK_ALIAS, 4},
};
#define NGLOBAL (sizeof(global_regs) / sizeof(global_regs[0]))

static const struct reg sd_regs[] = {
    {HDA_SD_CTL, 1},  {HDA_SD_CTL, 4},  {HDA_SD_CTL + 2, 1}, {HDA_SD_STS, 1}, {HDA_SD_LPIB, 4},
    {HDA_SD_CBL, 4},  {HDA_SD_LVI, 2},  {HDA_SD_FIFOW, 2},   {HDA_SD_FIFOS, 2}, {HDA_SD_FMT, 2},
    {HDA_SD_BDPL, 4}, {HDA_SD_BDPU, 4},
};
#define NSD (sizeof(sd_regs) / sizeof(sd_regs[0]))

/* A register of the table: global ones, then those of stream descriptor 0..31. */
static struct reg pick_reg(struct input *in)
{
    uint8_t b = u8(in);
    if (b < NGLOBAL)
        return global_regs[b];
    unsigned i = b - (unsigned)NGLOBAL;
    struct reg r = sd_regs[i % NSD];
    unsigned sd = (i / NSD + u8(in)) % 32;   /* 30 and 31 do not exist */
    if (sd >= 30)
        r.offset = (uint16_t)(HDA_SD_LPIB_ALIAS(sd % 30));
    else
        r.offset = (uint16_t)(HDA_SD_OFFSET(sd, r.offset));
    return r;
}

static unsigned pick_width(uint8_t b)
{
    static const unsigned widths[8] = {1, 2, 4, 4, 2, 1, 3, 0};
    return widths[b & 7];
}

/* A value for a register: the input's own, or one with the bits that do something. */
static uint32_t pick_value(struct input *in, struct reg r, uint64_t mem_base)
{
    uint8_t how = u8(in);
    switch (how & 3) {
    case 0: /* a bus address inside the fake memory (bases, BDL pointers) */
        if (r.offset % 8 == 4 && r.width == 4 && r.offset < HDA_SD_BASE)
            return (uint32_t)(mem_base >> 32);
        return (uint32_t)(mem_base + ((uint32_t)u16(in) % FAKE_MEM_SIZE & ~0x7Fu));
    case 1: /* small numbers: run bits, tags, counts */
        return u8(in);
    case 2: /* a stream descriptor control word: run + interrupts + tag */
        return 0x1Eu | (uint32_t)(u8(in) & 0xF) << 20 | (uint32_t)(how & 0x80) << 12;
    default:
        return u32(in);
    }
}

/* ---- Fake memory contents ------------------------------------------------------------ */

static void fill_memory(struct host *h, uint8_t how, struct input *in)
{
    switch (how % 4) {
    case 0:
        memset(h->mem, 0, FAKE_MEM_SIZE);
        break;
    case 1:
        /* Every 16-byte slot a plausible BDL entry into the memory itself;
         * every eighth one runs into the BAR (wherever that is). */
        for (size_t i = 0; i < FAKE_MEM_SIZE / 16; i++) {
            uint64_t addr = i % 8 == 7 ? h->bar - 0x40u : h->base + (i * 0x80u) % FAKE_MEM_SIZE;
            uint32_t len = (uint32_t)(0x80u << (i % 4));
            uint32_t ioc = (uint32_t)(i & 1);
            hdabdl_bdl_write_entry((struct hdabdl_buffer_descriptor *)(void *)h->mem, (uint32_t)i, addr,
                                   len, ioc);
        }
        break;
    case 2: {
        /* The next bytes of the input, repeated. */
        uint8_t pattern[32];
        for (size_t i = 0; i < sizeof(pattern); i++)
            pattern[i] = u8(in);
        for (size_t i = 0; i < FAKE_MEM_SIZE; i++)
            h->mem[i] = pattern[i % sizeof(pattern)];
        break;
    }
    default:
        /* CORB-like: verbs for codec 0, GET_PARAMETER of every node. */
        for (size_t i = 0; i < FAKE_MEM_SIZE / 4; i++) {
            uint32_t v = (uint32_t)(i % 8) << 20 | 0xF0000u | (uint32_t)(i & 0x13);
            hdabdl__le32_store(h->mem + 4 * i, v);   /* CORB entries are little-endian */
        }
        break;
    }
}

/* ---- The run ------------------------------------------------------------------------- */

static const uint64_t mem_bases[] = {
    0x10000000u,            /* below 4 GiB */
    0xFFFF8000u,            /* straddling 4 GiB */
    0x100000000ull,         /* just above 4 GiB */
    0xFEBE0000u,            /* right below the default BAR */
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct input in = {data, size, 0};
    struct hdabdl_mock_config cfg;
    struct host host;
    struct hdabdl_mock *mock = NULL;
    struct hdabdl_codec *codecs[NCODECS] = {0};
    struct hdabdl_codec_desc desc;

    if (size < 16)
        return 0;
    if (hdabdl__mock_default_codec_desc(&desc) != 0)
        abort();

    /* Header: the configuration. */
    hdabdl_mock_config_default(&cfg);
    uint8_t streams = u8(&in), flags = u8(&in), place = u8(&in);
    cfg.input_streams = (uint8_t)(streams & 0x7);
    cfg.output_streams = (uint8_t)((streams >> 3) & 0x7);
    cfg.bidir_streams = (uint8_t)(u8(&in) % 16);
    if (cfg.input_streams + cfg.output_streams + cfg.bidir_streams > HDA_MAX_STREAMS)
        cfg.bidir_streams = 0;
    cfg.addr64 = (flags & 1) != 0;
    cfg.old_ssync = (flags & 2) != 0;
    cfg.sdo_lines = (uint8_t)(1u << ((flags >> 2) % 3));
    cfg.corbrp_reset = (enum hdabdl_mock_corbrp_reset)((flags >> 4) % 3);
    cfg.codec_mask = (uint16_t)(u16(&in) & 0x7FFF);
    cfg.corb_size_caps = (uint8_t)(1 + u8(&in) % 7);
    cfg.output_fifo_size = (uint16_t)(1 + u8(&in));
    cfg.input_fifo_size = (uint16_t)(1 + u8(&in));
    uint8_t delays = u8(&in);
    cfg.crst_delay_ns = (uint32_t)(delays & 3) * 25000u;
    cfg.srst_delay_ns = (uint32_t)((delays >> 2) & 3) * 2500u;
    cfg.codec_wake_delay_ns = (uint32_t)((delays >> 4) & 3) * 200000u;
    cfg.run_stop_delay_ns = (uint32_t)((delays >> 6) & 1) * 21000u;
    cfg.fifo_ready_delay_ns = (uint32_t)((delays >> 7) & 1) * 10000u;
    static const size_t taps[4] = {0, 256, 4096, 65536};
    cfg.link_tap_capacity = taps[(place >> 4) & 3];

    memset(&host, 0, sizeof(host));
    host.base = mem_bases[place & 3];
    switch ((place >> 2) & 3) {
    case 0: host.bar = 0xFEBF0000u; break;                       /* the default */
    case 1: host.bar = host.base + FAKE_MEM_SIZE; break;         /* right after the memory */
    case 2: host.bar = host.base + FAKE_MEM_SIZE / 2; break;     /* in the middle of it */
    default: host.bar = 0xFFFFFFFFFFFFC000ull; break;            /* the top of the space */
    }
    cfg.mmio_bus_address = host.bar;
    host.addr64 = cfg.addr64;
    host.mem = malloc(FAKE_MEM_SIZE);
    if (!host.mem)
        abort();
    fill_memory(&host, (uint8_t)(place >> 6), &in);

    struct hdabdl_mock_host callbacks = {&host, host_dma_read, host_dma_write,
                                         (flags & 0x40) ? host_irq_line : NULL};
    if (hdabdl_mock_create(&cfg, &callbacks, &mock) != 0) {
        if (mock)
            abort();
        goto out;
    }
    unsigned nstreams = (unsigned)cfg.input_streams + cfg.output_streams + cfg.bidir_streams;

    /* Usually start where a driver would: out of reset, codecs awake. */
    if (flags & 0x80) {
        (void)hdabdl_mock_mmio_write(mock, HDA_REG_GCTL, 4, HDA_GCTL_CRST);
        hdabdl_mock_advance(mock, cfg.crst_delay_ns + cfg.codec_wake_delay_ns + 1000u);
    }

    uint64_t budget_ns = MAX_VIRTUAL_NS;
    uint8_t scratch[4096];
    for (unsigned op = 0; op < MAX_OPS && more(&in); op++) {
        uint8_t code = u8(&in);
        switch (code % 22) {
        case 0: { /* raw read */
            uint32_t offset = u16(&in) & 0x7FFFu, value;
            (void)hdabdl_mock_mmio_read(mock, offset, pick_width(u8(&in)), &value);
            break;
        }
        case 1: { /* raw write */
            uint32_t offset = u16(&in) & 0x7FFFu;
            unsigned width = pick_width(u8(&in));
            (void)hdabdl_mock_mmio_write(mock, offset, width, u32(&in));
            break;
        }
        case 2:
        case 3:
        case 4:
        case 5: { /* a register of the table, written */
            struct reg r = pick_reg(&in);
            (void)hdabdl_mock_mmio_write(mock, r.offset, r.width, pick_value(&in, r, host.base));
            break;
        }
        case 6: { /* a register of the table, read */
            struct reg r = pick_reg(&in);
            uint32_t value;
            (void)hdabdl_mock_mmio_read(mock, r.offset, r.width, &value);
            break;
        }
        case 7:
        case 8: { /* time */
            uint64_t ns = (uint64_t)u16(&in) * ((code & 0x80) ? 16u : 1u);
            if (ns > MAX_ADVANCE_NS)
                ns = MAX_ADVANCE_NS;
            if (ns > budget_ns)
                ns = budget_ns;
            budget_ns -= ns;
            hdabdl_mock_advance(mock, ns);
            break;
        }
        case 9: { /* faults (some out of range) */
            uint8_t f = u8(&in);
            int stream = (int8_t)u8(&in);
            hdabdl_mock_set_fault(mock, (enum hdabdl_mock_fault)(f % (HDABDL_MOCK_FAULT_COUNT + 2)),
                                  stream, (f & 0x80) == 0);
            break;
        }
        case 10:
            hdabdl_mock_inject_fifo_error(mock, u8(&in) % 34u);
            break;
        case 11: { /* attach a default codec */
            uint8_t address = u8(&in) % NCODECS;
            if (codecs[address])
                break;
            struct hdabdl_codec_config ccfg;
            hdabdl_codec_config_default(&ccfg, &desc);
            ccfg.address = address;
            ccfg.sink_capacity = 512;
            ccfg.unsol_capacity = 4;
            struct hdabdl_codec *codec = NULL;
            if (hdabdl_codec_create(&desc, &ccfg, &codec) != 0)
                break;      /* address 15 */
            if (hdabdl_mock_attach_codec(mock, codec) == 0)
                codecs[address] = codec;
            else
                hdabdl_codec_destroy(codec);
            break;
        }
        case 12: { /* detach */
            uint8_t address = u8(&in) % NCODECS;
            hdabdl_mock_detach_codec(mock, address);
            hdabdl_codec_destroy(codecs[address]);
            codecs[address] = NULL;
            break;
        }
        case 13: { /* a jack, and a verb straight to the codec (unsol enable) */
            uint8_t address = u8(&in) % NCODECS, nid = u8(&in) % 8;
            if (!codecs[address])
                break;
            uint32_t response;
            (void)hdabdl_codec_verb(codecs[address],
                                    (uint32_t)address << 28 | (uint32_t)nid << 20 | 0x70880u |
                                        (nid & 0x3Fu),
                                    &response);
            (void)hdabdl_codec_set_jack(codecs[address], nid, (code & 0x80) != 0);
            break;
        }
        case 14: { /* poke the fake memory */
            size_t offset = u16(&in) % FAKE_MEM_SIZE;
            size_t len = u8(&in) % 17;
            for (size_t i = 0; i < len && offset + i < FAKE_MEM_SIZE; i++)
                host.mem[offset + i] = u8(&in);
            break;
        }
        case 15: { /* a BDL entry into the memory, up to the BAR, or anywhere */
            size_t offset = (u16(&in) % FAKE_MEM_SIZE) & ~(size_t)15;
            uint64_t addr = (code & 0x80)   ? (uint64_t)u32(&in) << (u8(&in) % 33)
                            : (code & 0x20) ? host.bar - u8(&in)
                                            : host.base + (u16(&in) % FAKE_MEM_SIZE);
            uint32_t len = (code & 0x40) ? u32(&in) : (uint32_t)u16(&in);
            uint32_t ioc = u8(&in) % 3;
            hdabdl_bdl_write_entry((struct hdabdl_buffer_descriptor *)(void *)(host.mem + offset), 0, addr,
                                   len, ioc);
            break;
        }
        case 16: { /* what reached the link */
            uint8_t tag = u8(&in) % 17;
            size_t len = u16(&in) % sizeof(scratch);
            size_t avail = hdabdl_mock_link_tap_available(mock, tag);
            size_t got = hdabdl_mock_link_tap_read(mock, tag, scratch, len);
            if (got > len || got > avail)
                fail("link tap read more than asked or available", tag, got);
            (void)hdabdl_mock_link_tap_dropped(mock, tag);
            break;
        }
        case 17:
            hdabdl_mock_set_capture_source(mock, (code & 0x80) ? capture_source : NULL, NULL);
            break;
        case 18: { /* the alias page through a pointer: WALCLK and every engine's LPIB */
            uint8_t n = u8(&in);
            uint32_t offset = n < 64 ? (uint32_t)HDA_SD_LPIB_ALIAS(n % 32) + (n & 0x20 ? 4u : 0u)
                                     : HDA_REG_WALCLK_ALIAS;
            bool expected = offset == HDA_REG_WALCLK_ALIAS || (!(n & 0x20) && n % 32 < nstreams);
            const volatile uint32_t *p = hdabdl_mock_alias_pointer(mock, offset);
            if ((p != NULL) != expected)
                fail(expected ? "no alias pointer for a register of the alias page"
                              : "an alias pointer for a register off the alias page",
                     offset, 4);
            if (p)
                (void)*p;
            break;
        }
        case 19: { /* a stream descriptor programmed and started in one go */
            if (nstreams == 0)
                break;
            unsigned sd = u8(&in) % nstreams;
            uint64_t bdl = (code & 0x80) ? (uint64_t)u32(&in)
                                         : host.base + ((u16(&in) % FAKE_MEM_SIZE) & ~0x7Fu);
            uint32_t cbl = (code & 0x40) ? u32(&in) : 1u + u16(&in);
            uint8_t lvi = u8(&in), tag = u8(&in);
            uint16_t fmt = u16(&in);
            (void)hdabdl_mock_mmio_write(mock, HDA_SD_OFFSET(sd, HDA_SD_CTL), 1, 0);
            (void)hdabdl_mock_mmio_write(mock, HDA_SD_OFFSET(sd, HDA_SD_BDPL), 4, (uint32_t)bdl);
            (void)hdabdl_mock_mmio_write(mock, HDA_SD_OFFSET(sd, HDA_SD_BDPU), 4, (uint32_t)(bdl >> 32));
            (void)hdabdl_mock_mmio_write(mock, HDA_SD_OFFSET(sd, HDA_SD_CBL), 4, cbl);
            (void)hdabdl_mock_mmio_write(mock, HDA_SD_OFFSET(sd, HDA_SD_LVI), 2, lvi);
            (void)hdabdl_mock_mmio_write(mock, HDA_SD_OFFSET(sd, HDA_SD_FMT), 2, fmt);
            (void)hdabdl_mock_mmio_write(mock, HDA_SD_OFFSET(sd, HDA_SD_CTL), 4,
                                         HDA_SD_CTL_RUN | HDA_SD_CTL_INT_MASK |
                                             (uint32_t)(tag & 0xF) << HDA_SD_CTL_STRM_SHIFT |
                                             ((tag & 0x10) ? HDA_SD_CTL_DIR : 0u));
            if (tag & 0x20)
                (void)hdabdl_mock_mmio_write(mock, HDA_REG_INTCTL, 4, 0xFFFFFFFFu);
            break;
        }
        case 20: { /* the command transport brought up in one go, rings in the memory */
            uint64_t corb = host.base + ((u16(&in) % FAKE_MEM_SIZE) & ~0x7Fu);
            uint64_t rirb = (code & 0x80) ? (uint64_t)u32(&in) << (u8(&in) % 33)
                                          : host.base + ((u16(&in) % FAKE_MEM_SIZE) & ~0x7Fu);
            uint8_t sizes = u8(&in), wp = u8(&in), rintcnt = u8(&in);
            (void)hdabdl_mock_mmio_write(mock, HDA_REG_CORBCTL, 1, 0);
            (void)hdabdl_mock_mmio_write(mock, HDA_REG_RIRBCTL, 1, 0);
            hdabdl_mock_advance(mock, 50000);
            (void)hdabdl_mock_mmio_write(mock, HDA_REG_CORBSIZE, 1, sizes & 3u);
            (void)hdabdl_mock_mmio_write(mock, HDA_REG_RIRBSIZE, 1, (sizes >> 2) & 3u);
            (void)hdabdl_mock_mmio_write(mock, HDA_REG_CORBLBASE, 4, (uint32_t)corb);
            (void)hdabdl_mock_mmio_write(mock, HDA_REG_CORBUBASE, 4, (uint32_t)(corb >> 32));
            (void)hdabdl_mock_mmio_write(mock, HDA_REG_RIRBLBASE, 4, (uint32_t)rirb);
            (void)hdabdl_mock_mmio_write(mock, HDA_REG_RIRBUBASE, 4, (uint32_t)(rirb >> 32));
            (void)hdabdl_mock_mmio_write(mock, HDA_REG_CORBRP, 2, HDA_CORBRP_RST);
            (void)hdabdl_mock_mmio_write(mock, HDA_REG_CORBRP, 2, 0);
            (void)hdabdl_mock_mmio_write(mock, HDA_REG_RIRBWP, 2, HDA_RIRBWP_RST);
            (void)hdabdl_mock_mmio_write(mock, HDA_REG_RINTCNT, 2, rintcnt);
            (void)hdabdl_mock_mmio_write(mock, HDA_REG_CORBWP, 2, wp);
            (void)hdabdl_mock_mmio_write(mock, HDA_REG_RIRBCTL, 1, 0x7u & sizes >> 4);
            (void)hdabdl_mock_mmio_write(mock, HDA_REG_CORBCTL, 1, 0x3u & sizes >> 6);
            break;
        }
        default: { /* the record keeping */
            char text[512];
            struct hdabdl_mock_violation_record rec;
            struct hdabdl_mock_stats stats;
            size_t count = hdabdl_mock_violation_count(mock);
            if (count && !hdabdl_mock_violation_get(mock, count > 64 ? 63 : count - 1, &rec))
                fail("a kept violation record cannot be read", count, 0);
            if (hdabdl_mock_violation_get(mock, count < 64 ? count : 64, &rec))
                fail("a violation record past the kept ones reads", count, 0);
            hdabdl_mock_violation_describe(mock, text, (code & 0x80) ? sizeof(text) : 1u + u8(&in));
            if (memchr(text, '\0', sizeof(text)) == NULL)
                fail("violation description not NUL-terminated", 0, 0);
            hdabdl_mock_get_stats(mock, &stats);
            (void)hdabdl_mock_irq_asserted(mock);
            (void)hdabdl_mock_now(mock);
            if (code & 0x40)
                hdabdl_mock_violation_clear(mock);
            break;
        }
        }
    }

    hdabdl_mock_destroy(mock);
out:
    for (unsigned a = 0; a < NCODECS; a++)
        hdabdl_codec_destroy(codecs[a]);
    hdabdl_codec_desc_clear(&desc);
    free(host.mem);
    return 0;
}
