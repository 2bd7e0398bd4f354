/* SPDX-License-Identifier: MIT */
/*
 * test_mock_registers.c - the mock controller's register map and access rules,
 * driven directly (no core): reset values, write masks, W1C, byte/word/dword
 * views, and the violations an illegal access records.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE   /* pthreads, clock_gettime, fork: tests build as plain C11 */
#endif

#include "test_mock_host.h"

#include <stdio.h>

static void test_default_config_reads_like_qemu(void **state)
{
    struct th *t = *state;

    /* Capability registers are readable in reset. */
    assert_int_equal(th_rd(t, HDA_REG_GCAP, 2), 0x4401);
    assert_int_equal(th_rd(t, HDA_REG_VMIN, 1), 0x00);
    assert_int_equal(th_rd(t, HDA_REG_VMAJ, 1), 0x01);
    assert_int_equal(th_rd(t, HDA_REG_OUTPAY, 2), 0x003C);
    assert_int_equal(th_rd(t, HDA_REG_INPAY, 2), 0x001D);
    assert_int_equal(th_rd(t, HDA_REG_OUTSTRMPAY, 2), 0x0030);
    assert_int_equal(th_rd(t, HDA_REG_INSTRMPAY, 2), 0x0018);
    assert_int_equal(th_rd(t, HDA_REG_CORBSIZE, 1), 0x42);
    assert_int_equal(th_rd(t, HDA_REG_RIRBSIZE, 1), 0x42);
    assert_int_equal(th_rd(t, HDA_REG_GCAP, 4), 0x01004401);   /* GCAP, VMIN, VMAJ in one dword */
    assert_int_equal(th_violations(t), 0);
}

static void test_gcap_reflects_the_configuration(void **state)
{
    struct th *t = *state;
    t->cfg.input_streams = 2;
    t->cfg.output_streams = 3;
    t->cfg.bidir_streams = 1;
    t->cfg.sdo_lines = 4;
    t->cfg.addr64 = false;
    th_create(t);
    assert_int_equal(th_rd(t, HDA_REG_GCAP, 2), 0x3000 | 0x0200 | (1 << 3) | (2 << 1) | 0);

    t->cfg.sdo_lines = 2;
    t->cfg.addr64 = true;
    th_create(t);
    assert_int_equal(th_rd(t, HDA_REG_GCAP, 2), 0x320B);
}

typedef void (*cfg_tweak)(struct hdabdl_mock_config *c);
static void bad_iss(struct hdabdl_mock_config *c) { c->input_streams = 16; }
static void bad_oss(struct hdabdl_mock_config *c) { c->output_streams = 16; }
static void bad_bss(struct hdabdl_mock_config *c) { c->bidir_streams = 16; }
static void bad_total(struct hdabdl_mock_config *c) { c->input_streams = 15; c->output_streams = 15; c->bidir_streams = 1; }
static void bad_sdo(struct hdabdl_mock_config *c) { c->sdo_lines = 3; }
static void bad_sdo0(struct hdabdl_mock_config *c) { c->sdo_lines = 0; }
static void bad_fifo_out0(struct hdabdl_mock_config *c) { c->output_fifo_size = 0; }
static void bad_fifo_in_big(struct hdabdl_mock_config *c) { c->input_fifo_size = 257; }
static void bad_codec(struct hdabdl_mock_config *c) { c->codec_mask = 0x8001; }

static void test_create_rejects_impossible_configurations(void **state)
{
    struct th *t = *state;
    static const cfg_tweak tweaks[] = { bad_iss, bad_oss, bad_bss, bad_total, bad_sdo, bad_sdo0,
                                        bad_fifo_out0, bad_fifo_in_big, bad_codec };
    struct hdabdl_mock_host host = th_host(t);
    struct hdabdl_mock *m = (struct hdabdl_mock *)&host;   /* must be overwritten with NULL */

    for (size_t i = 0; i < sizeof(tweaks) / sizeof(tweaks[0]); i++) {
        struct hdabdl_mock_config c;
        hdabdl_mock_config_default(&c);
        tweaks[i](&c);
        assert_int_equal(hdabdl_mock_create(&c, &host, &m), -EINVAL);
        assert_null(m);
    }

    struct hdabdl_mock_config c;
    hdabdl_mock_config_default(&c);
    struct hdabdl_mock_host no_read = host, no_write = host;
    no_read.dma_read = NULL;
    no_write.dma_write = NULL;
    assert_int_equal(hdabdl_mock_create(&c, &no_read, &m), -EINVAL);
    assert_int_equal(hdabdl_mock_create(&c, &no_write, &m), -EINVAL);
    assert_int_equal(hdabdl_mock_create(NULL, &host, &m), -EINVAL);
    assert_int_equal(hdabdl_mock_create(&c, NULL, &m), -EINVAL);

    /* The limits themselves are fine: 15 + 15 + 0, 4 SDO lines, 256-byte FIFOs, codec 14. */
    c.input_streams = 15;
    c.output_streams = 15;
    c.sdo_lines = 4;
    c.input_fifo_size = 256;
    c.output_fifo_size = 256;
    c.codec_mask = 0x4000;
    assert_int_equal(hdabdl_mock_create(&c, &host, &m), 0);
    hdabdl_mock_destroy(m);
}

static void test_model_starts_in_reset_and_drops_other_writes(void **state)
{
    struct th *t = *state;

    assert_int_equal(th_rd(t, HDA_REG_GCTL, 4), 0);
    assert_int_equal(hdabdl_mock_mmio_write(t->m, HDA_REG_WAKEEN, 2, 0x1), -EINVAL);
    assert_int_equal(th_rd(t, HDA_REG_WAKEEN, 2), 0);
    assert_int_equal(th_violations(t), 1);
    assert_int_equal(th_violation_kind(t, 0), HDABDL_MOCK_WRITE_IN_RESET);

    /* GCTL itself is the one register that listens. */
    th_wr(t, HDA_REG_GCTL, 4, HDA_GCTL_UNSOL);
    assert_int_equal(th_rd(t, HDA_REG_GCTL, 4), HDA_GCTL_UNSOL);
    assert_int_equal(th_violations(t), 1);
}

static void test_write_to_read_only_bits_is_reported(void **state)
{
    struct th *t = *state;
    struct hdabdl_mock_violation_record r;
    th_leave_reset(t);

    assert_int_equal(hdabdl_mock_mmio_write(t->m, HDA_REG_GCAP, 2, 0x1234), -EINVAL);
    assert_int_equal(th_rd(t, HDA_REG_GCAP, 2), 0x4401);
    assert_true(hdabdl_mock_violation_get(t->m, 0, &r));
    assert_int_equal(r.kind, HDABDL_MOCK_READ_ONLY_WRITE);
    assert_int_equal(r.offset, HDA_REG_GCAP);
    assert_int_equal(r.width, 2);
    assert_true(r.write);
    assert_int_equal(r.value, 0x1234);
    assert_int_equal(r.time_ns, t->cfg.crst_delay_ns);

    /* The writable bits of the same write still land: CORBRP's reset bit. */
    assert_int_equal(hdabdl_mock_mmio_write(t->m, HDA_REG_CORBRP, 2, 0xC000), -EINVAL);
    assert_int_equal(th_rd(t, HDA_REG_CORBRP, 2), HDA_CORBRP_RST);
    assert_int_equal(th_violations(t), 2);
    assert_int_equal(th_violation_kind(t, 1), HDABDL_MOCK_READ_ONLY_WRITE);
}

static void test_writing_read_only_bits_unchanged_is_legal(void **state)
{
    struct th *t = *state;
    th_leave_reset(t);

    th_wr(t, HDA_REG_GCAP, 2, 0x4401);
    th_wr(t, HDA_REG_INTSTS, 4, 0);
    th_wr(t, HDA_REG_GCAP, 4, 0x01004401);
    th_wr(t, HDA_SD_OFFSET(TH_OUT0, HDA_SD_FIFOS), 2, 0xBF);
    assert_int_equal(th_violations(t), 0);
}

static void test_intsts_is_read_only(void **state)
{
    struct th *t = *state;
    th_leave_reset(t);
    hdabdl_mock_inject_fifo_error(t->m, TH_OUT0);
    th_set_ctl(t, TH_OUT0, HDA_SD_CTL_FEIE);
    uint32_t intsts = th_rd(t, HDA_REG_INTSTS, 4);
    assert_int_equal(intsts, HDA_INT_GLOBAL | (1u << TH_OUT0));

    assert_int_equal(hdabdl_mock_mmio_write(t->m, HDA_REG_INTSTS, 4, 0xFFFFFFFFu), -EINVAL);
    assert_int_equal(th_violation_kind(t, 0), HDABDL_MOCK_READ_ONLY_WRITE);
    assert_int_equal(th_rd(t, HDA_REG_INTSTS, 4), intsts);
}

static void test_illegal_width_is_reported(void **state)
{
    struct th *t = *state;
    uint32_t v = 0x55;
    th_leave_reset(t);
    th_wr(t, HDA_REG_WAKEEN, 2, 0x0003);

    assert_int_equal(hdabdl_mock_mmio_read(t->m, HDA_REG_GCTL, 3, &v), -EINVAL);
    assert_int_equal(v, 0);
    assert_int_equal(hdabdl_mock_mmio_read(t->m, HDA_REG_GCTL, 8, &v), -EINVAL);
    assert_int_equal(hdabdl_mock_mmio_read(t->m, HDA_REG_GCTL, 0, &v), -EINVAL);
    assert_int_equal(hdabdl_mock_mmio_read(t->m, HDA_REG_GCTL + 2, 4, &v), -EINVAL);   /* misaligned */
    assert_int_equal(hdabdl_mock_mmio_read(t->m, HDA_REG_VMIN + 1, 2, &v), -EINVAL);
    /* A misaligned write is not performed at all. */
    assert_int_equal(hdabdl_mock_mmio_write(t->m, HDA_REG_WAKEEN + 2, 4, 0xFFFFFFFFu), -EINVAL);
    assert_int_equal(th_rd(t, HDA_REG_WAKEEN, 2), 0x0003);

    assert_int_equal(th_violations(t), 6);
    for (size_t i = 0; i < 6; i++)
        assert_int_equal(th_violation_kind(t, i), HDABDL_MOCK_BAD_WIDTH);
    struct hdabdl_mock_violation_record r;
    assert_true(hdabdl_mock_violation_get(t->m, 0, &r));
    assert_int_equal(r.width, 3);
    assert_false(r.write);
}

static void test_unknown_offset_is_reported_and_reads_zero(void **state)
{
    struct th *t = *state;
    static const uint32_t holes[] = { 0x14, 0x1C, 0x28, 0x2C, 0x34, 0x3C, 0x78, 0x7C,
                                      HDA_SD_OFFSET(8, 0), 0x1000, 0x2000, 0x2034, 0x3FFC, 0x4000,
                                      0xFFFFFFFCu, HDA_SD_OFFSET(0, 0x14) };
    th_leave_reset(t);

    for (size_t i = 0; i < sizeof(holes) / sizeof(holes[0]); i++) {
        uint32_t v = 0x55;
        assert_int_equal(hdabdl_mock_mmio_read(t->m, holes[i], 4, &v), -EINVAL);
        assert_int_equal(v, 0);
        assert_int_equal(th_violations(t), i + 1);
        struct hdabdl_mock_violation_record r;
        assert_true(hdabdl_mock_violation_get(t->m, i, &r));
        assert_int_equal(r.kind, HDABDL_MOCK_UNKNOWN_OFFSET);
        assert_int_equal(r.offset, holes[i]);
    }
    assert_int_equal(hdabdl_mock_mmio_write(t->m, 0x12, 2, 0), -EINVAL);
    assert_int_equal(th_violation_kind(t, sizeof(holes) / sizeof(holes[0])), HDABDL_MOCK_UNKNOWN_OFFSET);
}

static void test_partly_unknown_access_reads_the_known_bytes(void **state)
{
    struct th *t = *state;
    uint32_t v = 0;
    th_leave_reset(t);

    /* CORBCTL, CORBSTS, CORBSIZE and the hole at 0x4F. */
    assert_int_equal(hdabdl_mock_mmio_read(t->m, HDA_REG_CORBCTL, 4, &v), -EINVAL);
    assert_int_equal(v, 0x00420000);
    assert_int_equal(th_violations(t), 1);
    assert_int_equal(th_violation_kind(t, 0), HDABDL_MOCK_UNKNOWN_OFFSET);

    /* The known bytes of a partly unknown write land. */
    assert_int_equal(hdabdl_mock_mmio_write(t->m, HDA_REG_CORBCTL, 4, 0x00420002), -EINVAL);
    assert_int_equal(th_rd(t, HDA_REG_CORBCTL, 1), HDA_CORBCTL_RUN);
}

static void test_sdctl_has_byte_word_and_dword_views(void **state)
{
    struct th *t = *state;
    const unsigned n = TH_OUT0;
    th_leave_reset(t);

    th_sd_wr(t, n, HDA_SD_CTL + 2, 1, 0x50);             /* tag 5 */
    assert_int_equal(th_sd_rd(t, n, HDA_SD_CTL, 4), 0x00500000);
    th_sd_wr(t, n, HDA_SD_CTL + 2, 2, 0x0060);           /* CTL byte 2 and STS */
    assert_int_equal(th_sd_rd(t, n, HDA_SD_CTL + 2, 2), 0x0060);
    th_sd_wr(t, n, HDA_SD_CTL, 1, HDA_SD_CTL_IOCE);
    assert_int_equal(th_sd_rd(t, n, HDA_SD_CTL, 1), HDA_SD_CTL_IOCE);
    th_sd_wr(t, n, HDA_SD_CTL + 1, 1, 0);                 /* reserved byte, written unchanged */
    assert_int_equal(th_sd_rd(t, n, HDA_SD_CTL, 4), 0x00600004);
    assert_int_equal(th_sd_rd(t, n, HDA_SD_CTL, 2), 0x0004);
    assert_int_equal(th_sd_rd(t, n, HDA_SD_STS, 1), 0);
    assert_int_equal(th_violations(t), 0);

    /* Reserved CTL bits are read-only. */
    assert_int_equal(hdabdl_mock_mmio_write(t->m, HDA_SD_OFFSET(n, HDA_SD_CTL + 1), 1, 0x80), -EINVAL);
    assert_int_equal(th_violation_kind(t, 0), HDABDL_MOCK_READ_ONLY_WRITE);
}

static void test_dword_read_spans_adjacent_registers(void **state)
{
    struct th *t = *state;
    th_leave_reset(t);

    th_wr(t, HDA_REG_CORBWP, 2, 0x12);
    th_wr(t, HDA_REG_CORBRP, 2, HDA_CORBRP_RST);
    assert_int_equal(th_rd(t, HDA_REG_CORBWP, 4), 0x80000012);
    th_wr(t, HDA_REG_WAKEEN, 4, 0x00000005);              /* WAKEEN + STATESTS (W1C 0) */
    assert_int_equal(th_rd(t, HDA_REG_WAKEEN, 2), 5);
    assert_int_equal(th_violations(t), 0);
}

static void test_stream_descriptors_are_ordered_input_output_bidir(void **state)
{
    struct th *t = *state;
    t->cfg.input_streams = 1;
    t->cfg.output_streams = 1;
    t->cfg.bidir_streams = 1;
    t->cfg.input_fifo_size = 120;
    t->cfg.output_fifo_size = 192;
    th_create(t);
    th_leave_reset(t);

    assert_int_equal(th_sd_rd(t, 0, HDA_SD_FIFOS, 2), 0x77);
    assert_int_equal(th_sd_rd(t, 1, HDA_SD_FIFOS, 2), 0xBF);
    assert_int_equal(th_sd_rd(t, 2, HDA_SD_FIFOS, 2), 0xBF);
    uint32_t v;
    assert_int_equal(hdabdl_mock_mmio_read(t->m, HDA_SD_OFFSET(3, HDA_SD_CTL), 4, &v), -EINVAL);
    assert_int_equal(th_violation_kind(t, 0), HDABDL_MOCK_UNKNOWN_OFFSET);
}

static void test_dir_bit_is_writable_only_on_bidir_engines(void **state)
{
    struct th *t = *state;
    t->cfg.input_streams = 1;
    t->cfg.output_streams = 1;
    t->cfg.bidir_streams = 1;
    th_create(t);
    th_leave_reset(t);

    th_sd_wr(t, 2, HDA_SD_CTL, 4, HDA_SD_CTL_DIR);
    assert_int_equal(th_sd_rd(t, 2, HDA_SD_CTL, 4), HDA_SD_CTL_DIR);
    for (unsigned n = 0; n < 2; n++) {
        assert_int_equal(hdabdl_mock_mmio_write(t->m, HDA_SD_OFFSET(n, HDA_SD_CTL), 4, HDA_SD_CTL_DIR),
                         -EINVAL);
        assert_int_equal(th_sd_rd(t, n, HDA_SD_CTL, 4), 0);
    }
    assert_int_equal(th_violations(t), 2);
    /* STRIPE and TP are writable everywhere. */
    th_sd_wr(t, 1, HDA_SD_CTL, 4, HDA_SD_CTL_TP | (1u << HDA_SD_CTL_STRIPE_SHIFT));
    assert_int_equal(th_sd_rd(t, 1, HDA_SD_CTL, 4), HDA_SD_CTL_TP | (1u << HDA_SD_CTL_STRIPE_SHIFT));
}

static void test_stream_register_write_masks(void **state)
{
    struct th *t = *state;
    const unsigned n = TH_OUT0;
    th_leave_reset(t);

    assert_int_equal(th_sd_rd(t, n, HDA_SD_FIFOW, 2), 0x4);
    struct { uint32_t reg; unsigned width; uint32_t write; uint32_t reads; } cases[] = {
        { HDA_SD_FIFOW, 2, 0x000F, 0x0007 },
        { HDA_SD_LVI, 2, 0x01FF, 0x00FF },
        { HDA_SD_FMT, 2, 0xFFFF, 0x7F7F },
        { HDA_SD_BDPL, 4, 0x1234567F, 0x12345600 },
        { HDA_SD_FIFOS, 2, 0x0010, 0x00BF },
        { HDA_SD_LPIB, 4, 0x10, 0 },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        assert_int_equal(hdabdl_mock_mmio_write(t->m, HDA_SD_OFFSET(n, cases[i].reg), cases[i].width,
                                                cases[i].write), -EINVAL);
        assert_int_equal(th_sd_rd(t, n, cases[i].reg, cases[i].width), cases[i].reads);
        assert_int_equal(th_violation_kind(t, i), HDABDL_MOCK_READ_ONLY_WRITE);
    }
    /* Fully writable ones. */
    th_sd_wr(t, n, HDA_SD_CBL, 4, 0xFFFFFFFFu);
    th_sd_wr(t, n, HDA_SD_BDPU, 4, 0xFFFFFFFFu);
    assert_int_equal(th_sd_rd(t, n, HDA_SD_CBL, 4), 0xFFFFFFFFu);
    assert_int_equal(th_sd_rd(t, n, HDA_SD_BDPU, 4), 0xFFFFFFFFu);
    assert_int_equal(th_violations(t), 6);
}

static void test_dplbase_keeps_the_enable_bit_and_an_aligned_base(void **state)
{
    struct th *t = *state;
    th_leave_reset(t);

    th_wr(t, HDA_REG_DPLBASE, 4, 0x12345681);
    assert_int_equal(th_rd(t, HDA_REG_DPLBASE, 4), 0x12345681);
    assert_int_equal(hdabdl_mock_mmio_write(t->m, HDA_REG_DPLBASE, 4, 0x12345603), -EINVAL);
    assert_int_equal(th_rd(t, HDA_REG_DPLBASE, 4), 0x12345601);
    th_wr(t, HDA_REG_DPUBASE, 4, 0xCAFEF00D);
    assert_int_equal(th_rd(t, HDA_REG_DPUBASE, 4), 0xCAFEF00D);
    assert_int_equal(th_violations(t), 1);
}

static void test_corb_and_rirb_registers_store_with_their_masks(void **state)
{
    struct th *t = *state;
    th_leave_reset(t);

    th_wr(t, HDA_REG_CORBLBASE, 4, 0xABCDEF80);
    th_wr(t, HDA_REG_RIRBLBASE, 4, 0x12345600);
    th_wr(t, HDA_REG_CORBSIZE, 1, 0x42);
    th_wr(t, HDA_REG_RINTCNT, 2, 0x00C0);
    /* The immediate command interface before the RIRB runs (using it while the
     * CORB or RIRB runs is a violation). ICB reads 1 until a response comes. */
    th_wr(t, HDA_REG_ICOI, 4, 0x000F0000);
    th_wr(t, HDA_REG_ICIS, 2, HDA_ICIS_ICB);
    th_wr(t, HDA_REG_RIRBCTL, 1, 0x07);
    assert_int_equal(th_rd(t, HDA_REG_CORBLBASE, 4), 0xABCDEF80);
    assert_int_equal(th_rd(t, HDA_REG_RIRBLBASE, 4), 0x12345600);
    assert_int_equal(th_rd(t, HDA_REG_RINTCNT, 2), 0xC0);
    assert_int_equal(th_rd(t, HDA_REG_RIRBCTL, 1), 0x07);
    assert_int_equal(th_rd(t, HDA_REG_ICOI, 4), 0x000F0000);
    assert_int_equal(th_rd(t, HDA_REG_ICIS, 2), HDA_ICIS_ICB);
    assert_int_equal(th_violations(t), 0);

    /* Capability bits of CORBSIZE, the low bits of the bases and ICII are read-only. */
    assert_int_equal(hdabdl_mock_mmio_write(t->m, HDA_REG_CORBSIZE, 1, 0x02), -EINVAL);
    assert_int_equal(th_rd(t, HDA_REG_CORBSIZE, 1), 0x42);
    assert_int_equal(hdabdl_mock_mmio_write(t->m, HDA_REG_CORBLBASE, 4, 0x40), -EINVAL);
    assert_int_equal(hdabdl_mock_mmio_write(t->m, HDA_REG_ICII, 4, 1), -EINVAL);
    assert_int_equal(th_violations(t), 3);
}

static void test_rirbwp_reset_bit_reads_zero(void **state)
{
    struct th *t = *state;
    th_leave_reset(t);

    th_wr(t, HDA_REG_RIRBWP, 2, HDA_RIRBWP_RST);
    assert_int_equal(th_rd(t, HDA_REG_RIRBWP, 2), 0);
    /* WP belongs to the RIRB engine: whatever software writes there is ignored. */
    th_wr(t, HDA_REG_RIRBWP, 2, HDA_RIRBWP_RST | 0x0005);
    assert_int_equal(th_rd(t, HDA_REG_RIRBWP, 2), 0);
    assert_int_equal(hdabdl_mock_mmio_write(t->m, HDA_REG_RIRBWP, 2, 0x0100), -EINVAL);
    assert_int_equal(th_rd(t, HDA_REG_RIRBWP, 2), 0);
    assert_int_equal(th_violations(t), 1);
}

static void test_corbrp_reset_bit_latches(void **state)
{
    struct th *t = *state;
    th_leave_reset(t);

    th_wr(t, HDA_REG_CORBRP, 2, HDA_CORBRP_RST);
    assert_int_equal(th_rd(t, HDA_REG_CORBRP, 2), HDA_CORBRP_RST);
    th_wr(t, HDA_REG_CORBRP, 2, 0);
    assert_int_equal(th_rd(t, HDA_REG_CORBRP, 2), 0);
    /* RP belongs to the CORB engine: writes to it are ignored, not reported. */
    th_wr(t, HDA_REG_CORBRP, 2, 0x00FF);
    assert_int_equal(th_rd(t, HDA_REG_CORBRP, 2), 0);
}

static void test_ssync_moves_to_0x34_on_old_parts(void **state)
{
    struct th *t = *state;
    uint32_t v;
    th_leave_reset(t);
    th_wr(t, HDA_REG_SSYNC, 4, 0x3);
    assert_int_equal(th_rd(t, HDA_REG_SSYNC, 4), 0x3);
    assert_int_equal(hdabdl_mock_mmio_read(t->m, HDA_REG_SSYNC_OLD, 4, &v), -EINVAL);

    t->cfg.old_ssync = true;
    th_create(t);
    th_leave_reset(t);
    th_wr(t, HDA_REG_SSYNC_OLD, 4, 0x5);
    assert_int_equal(th_rd(t, HDA_REG_SSYNC_OLD, 4), 0x5);
    assert_int_equal(hdabdl_mock_mmio_read(t->m, HDA_REG_SSYNC, 4, &v), -EINVAL);
    assert_int_equal(th_violation_kind(t, 0), HDABDL_MOCK_UNKNOWN_OFFSET);
}

static void test_intctl_and_ssync_have_bits_only_for_present_streams(void **state)
{
    struct th *t = *state;
    t->cfg.input_streams = 1;
    t->cfg.output_streams = 1;
    th_create(t);
    th_leave_reset(t);

    th_wr(t, HDA_REG_INTCTL, 4, HDA_INT_GLOBAL | HDA_INT_CTRL | 0x3);
    th_wr(t, HDA_REG_SSYNC, 4, 0x3);
    assert_int_equal(hdabdl_mock_mmio_write(t->m, HDA_REG_INTCTL, 4, 0x7), -EINVAL);
    assert_int_equal(th_rd(t, HDA_REG_INTCTL, 4), 0x3);
    assert_int_equal(hdabdl_mock_mmio_write(t->m, HDA_REG_SSYNC, 4, 0x4), -EINVAL);
    assert_int_equal(th_rd(t, HDA_REG_SSYNC, 4), 0);
    assert_int_equal(th_violations(t), 2);
}

static void test_statests_is_write_one_to_clear(void **state)
{
    struct th *t = *state;
    t->cfg.codec_mask = 0x5;
    th_create(t);
    th_leave_reset(t);
    hdabdl_mock_advance(t->m, t->cfg.codec_wake_delay_ns);
    assert_int_equal(th_rd(t, HDA_REG_STATESTS, 2), 0x5);

    th_wr(t, HDA_REG_STATESTS, 2, 0);
    assert_int_equal(th_rd(t, HDA_REG_STATESTS, 2), 0x5);
    th_wr(t, HDA_REG_STATESTS, 2, 0x1);
    assert_int_equal(th_rd(t, HDA_REG_STATESTS, 2), 0x4);
    th_wr(t, HDA_REG_STATESTS, 2, 0x7FFF);
    assert_int_equal(th_rd(t, HDA_REG_STATESTS, 2), 0);
    assert_int_equal(hdabdl_mock_mmio_write(t->m, HDA_REG_STATESTS, 2, 0x8000), -EINVAL);
    th_wr(t, HDA_REG_GSTS, 2, HDA_GSTS_FSTS);
    assert_int_equal(th_violations(t), 1);
}

static void test_sdnsts_bits_are_write_one_to_clear(void **state)
{
    struct th *t = *state;
    const unsigned n = TH_OUT0;
    th_leave_reset(t);

    hdabdl_mock_inject_fifo_error(t->m, n);
    assert_int_equal(th_sd_rd(t, n, HDA_SD_STS, 1), HDA_SD_STS_FIFOE);
    th_sd_wr(t, n, HDA_SD_STS, 1, 0);
    assert_int_equal(th_sd_rd(t, n, HDA_SD_STS, 1), HDA_SD_STS_FIFOE);
    th_sd_wr(t, n, HDA_SD_STS, 1, HDA_SD_STS_BCIS | HDA_SD_STS_DESE);
    assert_int_equal(th_sd_rd(t, n, HDA_SD_STS, 1), HDA_SD_STS_FIFOE);
    th_sd_wr(t, n, HDA_SD_STS, 1, HDA_SD_STS_FIFOE);
    assert_int_equal(th_sd_rd(t, n, HDA_SD_STS, 1), 0);
    assert_int_equal(th_violations(t), 0);

    /* FIFORDY is the engine's: writes to it are ignored; reserved bits are read-only. */
    th_sd_wr(t, n, HDA_SD_STS, 1, HDA_SD_STS_FIFORDY);
    assert_int_equal(th_sd_rd(t, n, HDA_SD_STS, 1), 0);
    assert_int_equal(hdabdl_mock_mmio_write(t->m, HDA_SD_OFFSET(n, HDA_SD_STS), 1, 0xC0), -EINVAL);
    assert_int_equal(th_sd_rd(t, n, HDA_SD_STS, 1), 0);
    assert_int_equal(th_violation_kind(t, 0), HDABDL_MOCK_READ_ONLY_WRITE);
}

static void test_clearing_status_of_a_running_stream_ignores_fifordy(void **state)
{
    struct th *t = *state;
    const unsigned n = TH_OUT0;
    th_leave_reset(t);
    th_run(t, n);
    hdabdl_mock_advance(t->m, t->cfg.fifo_ready_delay_ns);
    hdabdl_mock_inject_fifo_error(t->m, n);
    assert_int_equal(th_sd_rd(t, n, HDA_SD_STS, 1), HDA_SD_STS_FIFORDY | HDA_SD_STS_FIFOE);

    /* The usual ISR write: only the bits to clear, FIFORDY written as 0. */
    th_sd_wr(t, n, HDA_SD_STS, 1, HDA_SD_STS_INT_MASK);
    assert_int_equal(th_sd_rd(t, n, HDA_SD_STS, 1), HDA_SD_STS_FIFORDY);
    assert_int_equal(th_violations(t), 0);
}

static void test_sdctl_read_modify_write_clears_status_read_without_violation(void **state)
{
    struct th *t = *state;
    const unsigned n = TH_OUT0;
    th_leave_reset(t);
    th_run(t, n);
    hdabdl_mock_advance(t->m, t->cfg.fifo_ready_delay_ns);
    hdabdl_mock_inject_fifo_error(t->m, n);

    uint32_t v = th_sd_rd(t, n, HDA_SD_CTL, 4);
    assert_int_equal(v >> 24, HDA_SD_STS_FIFORDY | HDA_SD_STS_FIFOE);
    th_sd_wr(t, n, HDA_SD_CTL, 4, v | HDA_SD_CTL_IOCE);
    assert_int_equal(th_sd_rd(t, n, HDA_SD_CTL, 4),
                     (uint32_t)HDA_SD_STS_FIFORDY << 24 | HDA_SD_CTL_IOCE | HDA_SD_CTL_RUN);
    assert_int_equal(th_violations(t), 0);
}

static void test_violations_keep_the_first_64_and_count_all(void **state)
{
    struct th *t = *state;
    struct hdabdl_mock_violation_record r;
    uint32_t v;

    for (uint32_t i = 0; i < 100; i++)
        assert_int_equal(hdabdl_mock_mmio_read(t->m, 0x1000 + 4 * i, 4, &v), -EINVAL);
    assert_int_equal(th_violations(t), 100);
    assert_true(hdabdl_mock_violation_get(t->m, 63, &r));
    assert_int_equal(r.offset, 0x1000 + 4 * 63);
    assert_false(hdabdl_mock_violation_get(t->m, 64, &r));

    hdabdl_mock_violation_clear(t->m);
    assert_int_equal(th_violations(t), 0);
    assert_false(hdabdl_mock_violation_get(t->m, 0, &r));
}

static void test_violation_description_names_kind_and_register(void **state)
{
    struct th *t = *state;
    char buf[2048];
    th_leave_reset(t);

    hdabdl_mock_violation_describe(t->m, buf, sizeof(buf));
    assert_non_null(strstr(buf, "no violations"));

    assert_int_equal(hdabdl_mock_mmio_write(t->m, HDA_SD_OFFSET(TH_OUT0, HDA_SD_CTL), 4, HDA_SD_CTL_DIR),
                     -EINVAL);
    for (uint32_t i = 0; i < 70; i++)
        (void)hdabdl_mock_mmio_read(t->m, 0x1000, 4, NULL);
    hdabdl_mock_violation_describe(t->m, buf, sizeof(buf));
    assert_non_null(strstr(buf, "READ_ONLY_WRITE"));
    assert_non_null(strstr(buf, "SD4CTL"));
    assert_non_null(strstr(buf, "UNKNOWN_OFFSET"));

    char big[16384];
    hdabdl_mock_violation_describe(t->m, big, sizeof(big));
    assert_non_null(strstr(big, "and 7 more"));

    char tiny[10];
    memset(tiny, 'x', sizeof(tiny));
    hdabdl_mock_violation_describe(t->m, tiny, sizeof(tiny));
    assert_true(strlen(tiny) < sizeof(tiny));
}

static void test_stats_count_register_accesses(void **state)
{
    struct th *t = *state;
    struct hdabdl_mock_stats s;

    (void)th_rd(t, HDA_REG_GCAP, 2);
    (void)th_rd(t, HDA_REG_GCTL, 4);
    (void)hdabdl_mock_mmio_read(t->m, 0x1000, 4, NULL);
    th_wr(t, HDA_REG_GCTL, 4, 0);
    hdabdl_mock_get_stats(t->m, &s);
    assert_int_equal(s.reg_reads, 3);
    assert_int_equal(s.reg_writes, 1);
    assert_int_equal(s.dma_bytes_read, 0);
    assert_int_equal(s.dma_bytes_written, 0);
    assert_int_equal(s.bcis_raised, 0);
}

static void test_all_ones_fault_reads_ones_and_ignores_writes(void **state)
{
    struct th *t = *state;
    uint32_t v;
    th_leave_reset(t);
    th_wr(t, HDA_REG_WAKEEN, 2, 0x1);

    hdabdl_mock_set_fault(t->m, HDABDL_MOCK_FAULT_ALL_ONES, -1, true);
    assert_int_equal(th_rd(t, HDA_REG_VMAJ, 1), 0xFF);
    assert_int_equal(th_rd(t, HDA_REG_GCAP, 2), 0xFFFF);
    assert_int_equal(th_rd(t, HDA_REG_INTSTS, 4), 0xFFFFFFFFu);
    assert_int_equal(hdabdl_mock_mmio_read(t->m, 0x1000, 4, &v), 0);
    assert_int_equal(v, 0xFFFFFFFFu);
    th_wr(t, HDA_REG_WAKEEN, 2, 0x7);
    th_wr(t, HDA_REG_GCTL, 4, 0);
    assert_int_equal(th_violations(t), 0);
    const volatile uint32_t *walclk = hdabdl_mock_alias_pointer(t->m, HDA_REG_WALCLK_ALIAS);
    assert_int_equal(*walclk, 0xFFFFFFFFu);

    hdabdl_mock_set_fault(t->m, HDABDL_MOCK_FAULT_ALL_ONES, -1, false);
    hdabdl_mock_advance(t->m, t->cfg.crst_delay_ns);
    assert_int_equal(th_rd(t, HDA_REG_WAKEEN, 2), 0x1);
    assert_int_equal(th_rd(t, HDA_REG_GCTL, 4), HDA_GCTL_CRST);
    assert_int_not_equal(*walclk, 0xFFFFFFFFu);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_default_config_reads_like_qemu, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_gcap_reflects_the_configuration, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_create_rejects_impossible_configurations, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_model_starts_in_reset_and_drops_other_writes, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_write_to_read_only_bits_is_reported, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_writing_read_only_bits_unchanged_is_legal, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_intsts_is_read_only, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_illegal_width_is_reported, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_unknown_offset_is_reported_and_reads_zero, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_partly_unknown_access_reads_the_known_bytes, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_sdctl_has_byte_word_and_dword_views, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_dword_read_spans_adjacent_registers, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_stream_descriptors_are_ordered_input_output_bidir, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_dir_bit_is_writable_only_on_bidir_engines, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_stream_register_write_masks, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_dplbase_keeps_the_enable_bit_and_an_aligned_base, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_corb_and_rirb_registers_store_with_their_masks, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_rirbwp_reset_bit_reads_zero, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_corbrp_reset_bit_latches, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_ssync_moves_to_0x34_on_old_parts, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_intctl_and_ssync_have_bits_only_for_present_streams, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_statests_is_write_one_to_clear, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_sdnsts_bits_are_write_one_to_clear, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_clearing_status_of_a_running_stream_ignores_fifordy, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_sdctl_read_modify_write_clears_status_read_without_violation, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_violations_keep_the_first_64_and_count_all, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_violation_description_names_kind_and_register, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_stats_count_register_accesses, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_all_ones_fault_reads_ones_and_ignores_writes, th_setup, th_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
