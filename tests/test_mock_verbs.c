/* SPDX-License-Identifier: MIT */
/*
 * test_mock_verbs.c - the mock controller's command transport, driven
 * directly (no core): CORB and RIRB engines, the response interrupt, the
 * immediate command interface, unsolicited responses, codecs on the link and
 * stream data to and from their converters. Times are link frames: frame k
 * starts at k * 62500 / 3 ns.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE   /* pthreads in the model's internal header */
#endif

#include "test_mock_host.h"

#include <stdio.h>

#include "hdabdl/codec.h"
#include "hal/mock/mock_internal.h"

/* Nodes of the default codec (src/hal/mock/mock_default_codec.c). */
#define NID_AFG     0x01
#define NID_DAC     0x02
#define NID_HP      0x03
#define NID_ADC     0x04
#define NID_MIC     0x05
#define VENDOR_ID   0x1af40022u

/* Codecs a test built; destroyed after the model at teardown. */
static struct hdabdl_codec *codecs[15];

static int vt_teardown(void **state)
{
    th_teardown(state);
    for (unsigned a = 0; a < 15; a++) {
        hdabdl_codec_destroy(codecs[a]);
        codecs[a] = NULL;
    }
    return 0;
}

/* Build the default codec at @address and attach it to the model. */
static struct hdabdl_codec *attach(struct th *t, uint8_t address)
{
    struct hdabdl_codec_desc desc;
    struct hdabdl_codec_config cfg;
    assert_int_equal(hdabdl__mock_default_codec_desc(&desc), 0);
    hdabdl_codec_config_default(&cfg, &desc);
    cfg.address = address;
    assert_null(codecs[address]);
    assert_int_equal(hdabdl_codec_create(&desc, &cfg, &codecs[address]), 0);
    hdabdl_codec_desc_clear(&desc);
    assert_int_equal(hdabdl_mock_attach_codec(t->m, codecs[address]), 0);
    return codecs[address];
}

/* Default model with the default codec at address 0, link up, CORB/RIRB running. */
static struct hdabdl_codec *start(struct th *t, unsigned rintcnt)
{
    struct hdabdl_codec *c = attach(t, 0);
    th_link_up(t);
    th_cmd_start(t, rintcnt);
    return c;
}

static uint64_t verbs_seen(struct hdabdl_codec *c)
{
    struct hdabdl_codec_stats s;
    hdabdl_codec_get_stats(c, &s);
    return s.verbs;
}

static unsigned rintfl(struct th *t)
{
    return th_rd(t, HDA_REG_RIRBSTS, 1) & HDA_RIRBSTS_RINTFL;
}

/* ---- CORB ---------------------------------------------------------------------------- */

static void test_corb_sends_one_verb_per_link_frame(void **state)
{
    struct th *t = *state;
    struct hdabdl_codec *c = start(t, 1);

    for (unsigned i = 0; i < 3; i++)
        th_queue_verb(t, th_get_param(0, 0, 0x00));
    assert_int_equal(th_corbrp(t), 0);
    for (unsigned k = 1; k <= 3; k++) {
        th_advance_frames(t, 1);
        assert_int_equal(th_corbrp(t), k);
        assert_int_equal(verbs_seen(c), k);
    }
    th_advance_frames(t, 5);
    assert_int_equal(th_corbrp(t), 3);
    assert_int_equal(verbs_seen(c), 3);
    assert_int_equal(th_violations(t), 0);
}

static void test_verb_goes_out_in_the_first_frame_after_corbwp(void **state)
{
    struct th *t = *state;
    start(t, 1);

    uint64_t now = hdabdl_mock_now(t->m);
    uint64_t frame = th_frame_time(th_first_frame_after(now));
    th_queue_verb(t, th_get_param(0, 0, 0x00));
    hdabdl_mock_advance(t->m, frame - now - 1);
    assert_int_equal(th_corbrp(t), 0);
    hdabdl_mock_advance(t->m, 1);
    assert_int_equal(th_corbrp(t), 1);
}

static void test_response_arrives_in_the_frame_after_its_verb(void **state)
{
    struct th *t = *state;
    start(t, 1);

    th_queue_verb(t, th_get_param(0, 0, 0x00));
    th_advance_frames(t, 1);
    assert_int_equal(th_corbrp(t), 1);
    assert_int_equal(th_rirbwp(t), 0);
    uint64_t now = hdabdl_mock_now(t->m);
    hdabdl_mock_advance(t->m, th_frame_time(th_first_frame_after(now)) - now - 1);
    assert_int_equal(th_rirbwp(t), 0);
    hdabdl_mock_advance(t->m, 1);
    /* After a pointer reset the first response goes to entry 1. */
    assert_int_equal(th_rirbwp(t), 1);
    assert_int_equal(th_rirb_response(t, 1), VENDOR_ID);
    assert_int_equal(th_rirb_ex(t, 1), 0);
    assert_int_equal(th_violations(t), 0);
}

static void test_back_to_back_verbs_answer_in_consecutive_frames(void **state)
{
    struct th *t = *state;
    start(t, 0);

    th_queue_verb(t, th_get_param(0, 0, 0x00));    /* vendor */
    th_queue_verb(t, th_get_param(0, 0, 0x02));    /* revision */
    th_queue_verb(t, th_get_param(0, 0, 0x04));    /* subordinate nodes */
    for (unsigned k = 1; k <= 4; k++) {
        th_advance_frames(t, 1);
        assert_int_equal(th_corbrp(t), k < 3 ? k : 3);
        assert_int_equal(th_rirbwp(t), k - 1);
    }
    assert_int_equal(th_rirb_response(t, 1), VENDOR_ID);
    assert_int_equal(th_rirb_response(t, 2), 0x100101);
    assert_int_equal(th_rirb_response(t, 3), 0x00010001);   /* one function group at NID 1 */
}

static void test_rirb_entry_carries_the_codec_address(void **state)
{
    struct th *t = *state;
    t->cfg.codec_mask = 0;
    th_create(t);
    attach(t, 2);
    th_link_up(t);
    th_cmd_start(t, 1);

    th_queue_verb(t, th_get_param(2, 0, 0x00));
    th_advance_frames(t, 2);
    assert_int_equal(th_rirbwp(t), 1);
    assert_int_equal(th_rirb_response(t, 1), VENDOR_ID);
    assert_int_equal(th_rirb_ex(t, 1), 2);
}

static void test_verb_to_an_empty_address_gets_no_response(void **state)
{
    struct th *t = *state;
    start(t, 1);

    th_queue_verb(t, th_get_param(3, 0, 0x00));
    th_queue_verb(t, th_get_param(15, 0, 0x00));   /* broadcast: nobody answers */
    th_advance_frames(t, 10);
    assert_int_equal(th_corbrp(t), 2);
    assert_int_equal(th_rirbwp(t), 0);
    assert_int_equal(rintfl(t), 0);
}

static void test_corb_wraps_at_its_size(void **state)
{
    struct th *t = *state;
    t->cfg.corb_size_caps = 0x7;
    th_create(t);
    attach(t, 0);
    th_link_up(t);
    th_wr(t, HDA_REG_CORBSIZE, 1, 0x71);    /* 16 entries */
    th_wr(t, HDA_REG_RIRBSIZE, 1, 0x71);
    th_cmd_start(t, 1);
    assert_int_equal(th_corb_entries(t), 16);

    for (unsigned i = 0; i < 20; i++) {
        th_queue_verb(t, th_get_param(0, 0, i % 2 ? 0x00 : 0x02));
        th_advance_frames(t, 2);
    }
    assert_int_equal(th_corbrp(t), 20 % 16);
    assert_int_equal(th_rirbwp(t), 20 % 16);
    /* The 20th verb sat in entry 4 and was the vendor ID query. */
    assert_int_equal(th_rirb_response(t, 4), VENDOR_ID);
    assert_int_equal(th_violations(t), 0);
}

static void test_rirb_overwrites_entries_software_has_not_read(void **state)
{
    struct th *t = *state;
    t->cfg.corb_size_caps = 0x7;
    th_create(t);
    attach(t, 0);
    th_link_up(t);
    th_wr(t, HDA_REG_RIRBSIZE, 1, 0x70);    /* 2 entries */
    th_cmd_start(t, 1);

    th_queue_verb(t, th_get_param(0, 0, 0x00));
    th_queue_verb(t, th_get_param(0, 0, 0x02));
    th_queue_verb(t, th_get_param(0, 0, 0x04));
    th_advance_frames(t, 4);
    /* Entries 1, 0, 1: the third response overwrote the first. */
    assert_int_equal(th_rirbwp(t), 1);
    assert_int_equal(th_rirb_response(t, 0), 0x100101);
    assert_int_equal(th_rirb_response(t, 1), 0x00010001);
    assert_int_equal(th_rd(t, HDA_REG_RIRBSTS, 1) & HDA_RIRBSTS_OIS, 0);
}

static void test_corb_stalled_fault_fetches_nothing(void **state)
{
    struct th *t = *state;
    struct hdabdl_codec *c = start(t, 1);

    hdabdl_mock_set_fault(t->m, HDABDL_MOCK_FAULT_CORB_STALLED, -1, true);
    th_queue_verb(t, th_get_param(0, 0, 0x00));
    th_advance_frames(t, 10);
    assert_int_equal(th_corbrp(t), 0);
    assert_int_equal(verbs_seen(c), 0);

    hdabdl_mock_set_fault(t->m, HDABDL_MOCK_FAULT_CORB_STALLED, -1, false);
    th_advance_frames(t, 2);
    assert_int_equal(th_corbrp(t), 1);
    assert_int_equal(th_rirbwp(t), 1);
}

static void test_corbrun_reads_one_until_the_next_frame_after_stop(void **state)
{
    struct th *t = *state;
    struct hdabdl_codec *c = start(t, 1);

    th_queue_verb(t, th_get_param(0, 0, 0x00));
    th_wr(t, HDA_REG_CORBCTL, 1, 0);
    assert_int_equal(th_rd(t, HDA_REG_CORBCTL, 1), HDA_CORBCTL_RUN);
    uint64_t now = hdabdl_mock_now(t->m);
    hdabdl_mock_advance(t->m, th_frame_time(th_first_frame_after(now)) - now - 1);
    assert_int_equal(th_rd(t, HDA_REG_CORBCTL, 1), HDA_CORBCTL_RUN);
    hdabdl_mock_advance(t->m, 1);
    assert_int_equal(th_rd(t, HDA_REG_CORBCTL, 1), 0);
    /* The engine stopped on the write: the queued verb never went out. */
    th_advance_frames(t, 3);
    assert_int_equal(th_corbrp(t), 0);
    assert_int_equal(verbs_seen(c), 0);
}

static void test_restarting_the_corb_before_it_stopped_keeps_it_running(void **state)
{
    struct th *t = *state;
    start(t, 1);

    th_wr(t, HDA_REG_CORBCTL, 1, 0);
    th_wr(t, HDA_REG_CORBCTL, 1, HDA_CORBCTL_RUN);
    th_advance_frames(t, 2);
    assert_int_equal(th_rd(t, HDA_REG_CORBCTL, 1), HDA_CORBCTL_RUN);
    th_queue_verb(t, th_get_param(0, 0, 0x00));
    th_advance_frames(t, 2);
    assert_int_equal(th_rirbwp(t), 1);
}

static void test_rirbdmaen_reads_one_until_the_next_frame_after_stop(void **state)
{
    struct th *t = *state;
    start(t, 1);

    th_wr(t, HDA_REG_RIRBCTL, 1, HDA_RIRBCTL_RINTCTL);
    assert_int_equal(th_rd(t, HDA_REG_RIRBCTL, 1), HDA_RIRBCTL_DMAEN | HDA_RIRBCTL_RINTCTL);
    th_advance_frames(t, 1);
    assert_int_equal(th_rd(t, HDA_REG_RIRBCTL, 1), HDA_RIRBCTL_RINTCTL);
}

static void test_responses_are_dropped_while_rirb_dma_is_off(void **state)
{
    struct th *t = *state;
    struct hdabdl_codec *c = start(t, 1);

    th_wr(t, HDA_REG_RIRBCTL, 1, HDA_RIRBCTL_RINTCTL);
    th_queue_verb(t, th_verb(0, NID_DAC, 0x706, 0x50));   /* stream tag 5 */
    th_advance_frames(t, 4);
    assert_int_equal(th_corbrp(t), 1);
    assert_int_equal(th_rirbwp(t), 0);
    assert_int_equal(rintfl(t), 0);
    /* The codec still executed it. */
    assert_int_equal(hdabdl_codec_find_converters(c, 5, true, NULL, 0), 1);
}

static void test_corb_fetch_from_the_bar_sets_cmei_and_stops(void **state)
{
    struct th *t = *state;
    struct hdabdl_mock_violation_record r;
    start(t, 1);
    th_wr(t, HDA_REG_CORBCTL, 1, 0);
    th_advance_frames(t, 1);
    th_wr(t, HDA_REG_CORBLBASE, 4, (uint32_t)t->cfg.mmio_bus_address);
    th_wr(t, HDA_REG_CORBUBASE, 4, 0);
    th_wr(t, HDA_REG_CORBCTL, 1, HDA_CORBCTL_RUN | HDA_CORBCTL_CMEIE);
    th_wr(t, HDA_REG_INTCTL, 4, HDA_INT_GLOBAL | HDA_INT_CTRL);
    th_wr(t, HDA_REG_CORBWP, 2, 1);
    assert_int_equal(th_violations(t), 0);

    th_advance_frames(t, 1);
    assert_int_equal(th_rd(t, HDA_REG_CORBSTS, 1), 0x01);
    assert_int_equal(th_rd(t, HDA_REG_CORBCTL, 1), HDA_CORBCTL_CMEIE);   /* stopped at once */
    assert_int_equal(th_corbrp(t), 0);
    assert_true(hdabdl_mock_violation_get(t->m, 0, &r));
    assert_int_equal(r.kind, HDABDL_MOCK_DMA_INTO_MMIO);
    assert_int_equal(r.offset, (uint32_t)t->cfg.mmio_bus_address + 4u);
    assert_int_equal(th_rd(t, HDA_REG_INTSTS, 4), HDA_INT_GLOBAL | HDA_INT_CTRL);
    assert_true(t->irq_level);

    th_wr(t, HDA_REG_CORBSTS, 1, 0x01);
    assert_int_equal(th_rd(t, HDA_REG_CORBSTS, 1), 0);
    assert_false(t->irq_level);
}

static void test_corb_fetch_failure_sets_cmei(void **state)
{
    struct th *t = *state;
    start(t, 1);
    th_wr(t, HDA_REG_CORBCTL, 1, 0);
    th_advance_frames(t, 1);
    th_wr(t, HDA_REG_CORBLBASE, 4, 0x70000000u);    /* nothing mapped there */
    th_wr(t, HDA_REG_CORBCTL, 1, HDA_CORBCTL_RUN);
    th_wr(t, HDA_REG_CORBWP, 2, 1);
    th_advance_frames(t, 1);
    assert_int_equal(th_rd(t, HDA_REG_CORBSTS, 1), 0x01);
    assert_int_equal(th_rd(t, HDA_REG_CORBCTL, 1), 0);
    assert_int_equal(th_violations(t), 1);
    assert_int_equal(th_violation_kind(t, 0), HDABDL_MOCK_DMA_FAULT);
    /* Without CMEIE the status does not reach INTSTS. */
    assert_int_equal(th_rd(t, HDA_REG_INTSTS, 4), 0);
}

static void test_rirb_write_failure_sets_ois_and_is_reported(void **state)
{
    struct th *t = *state;
    start(t, 1);
    th_wr(t, HDA_REG_RIRBCTL, 1, 0);
    th_advance_frames(t, 1);
    th_wr(t, HDA_REG_RIRBLBASE, 4, 0x70000000u);
    th_wr(t, HDA_REG_RIRBCTL, 1, HDA_RIRBCTL_DMAEN | HDA_RIRBCTL_RINTCTL);
    th_queue_verb(t, th_get_param(0, 0, 0x00));
    th_advance_frames(t, 3);
    assert_int_equal(th_rd(t, HDA_REG_RIRBSTS, 1), HDA_RIRBSTS_OIS);
    assert_int_equal(th_rirbwp(t), 0);
    assert_int_equal(th_violation_kind(t, 0), HDABDL_MOCK_DMA_FAULT);
}

/* ---- CORBRP reset handshake --------------------------------------------------------------- */

static void run_two_verbs(struct th *t)
{
    th_queue_verb(t, th_get_param(0, 0, 0x00));
    th_queue_verb(t, th_get_param(0, 0, 0x00));
    th_advance_frames(t, 3);
    assert_int_equal(th_corbrp(t), 2);
    th_wr(t, HDA_REG_CORBCTL, 1, 0);
    th_advance_frames(t, 1);
}

static void test_corbrp_reset_is_acknowledged(void **state)
{
    struct th *t = *state;
    start(t, 1);
    run_two_verbs(t);

    th_wr(t, HDA_REG_CORBRP, 2, HDA_CORBRP_RST);
    assert_int_equal(th_corbrp(t), HDA_CORBRP_RST);    /* RP 0, reset acknowledged */
    th_wr(t, HDA_REG_CORBRP, 2, 0);
    assert_int_equal(th_corbrp(t), 0);

    /* Usable again: the next command comes from entry 1. */
    th_wr(t, HDA_REG_CORBWP, 2, 0);
    th_wr(t, HDA_REG_CORBCTL, 1, HDA_CORBCTL_RUN);
    th_queue_verb(t, th_get_param(0, 0, 0x02));
    th_advance_frames(t, 2);
    assert_int_equal(th_corbrp(t), 1);
    assert_int_equal(th_violations(t), 0);
}

static void test_corb_does_not_fetch_while_rp_is_held_in_reset(void **state)
{
    struct th *t = *state;
    start(t, 1);
    th_wr(t, HDA_REG_CORBCTL, 1, 0);
    th_advance_frames(t, 1);
    th_wr(t, HDA_REG_CORBRP, 2, HDA_CORBRP_RST);
    th_wr(t, HDA_REG_CORBCTL, 1, HDA_CORBCTL_RUN);
    th_queue_verb(t, th_get_param(0, 0, 0x00));
    th_advance_frames(t, 4);
    assert_int_equal(th_corbrp(t), HDA_CORBRP_RST);
    assert_int_equal(th_rirbwp(t), 0);
}

static void test_self_clearing_corbrp_never_reads_one(void **state)
{
    struct th *t = *state;
    t->cfg.corbrp_reset = HDABDL_MOCK_CORBRP_SELF_CLEARING;
    th_create(t);
    start(t, 1);
    run_two_verbs(t);

    th_wr(t, HDA_REG_CORBRP, 2, HDA_CORBRP_RST);
    assert_int_equal(th_corbrp(t), 0);
    th_advance_frames(t, 100);
    assert_int_equal(th_corbrp(t), 0);
    th_wr(t, HDA_REG_CORBWP, 2, 0);
    th_wr(t, HDA_REG_CORBCTL, 1, HDA_CORBCTL_RUN);
    th_queue_verb(t, th_get_param(0, 0, 0x00));
    th_advance_frames(t, 2);
    assert_int_equal(th_corbrp(t), 1);
}

static void test_never_acked_corbrp_keeps_reading_one_and_fetches_nothing(void **state)
{
    struct th *t = *state;
    t->cfg.corbrp_reset = HDABDL_MOCK_CORBRP_NEVER_ACKED;
    th_create(t);
    start(t, 1);    /* th_cmd_start wrote 1 then 0: it still reads 1 */

    assert_int_equal(th_corbrp(t), HDA_CORBRP_RST);
    th_wr(t, HDA_REG_CORBRP, 2, 0);
    th_advance_frames(t, 100);
    assert_int_equal(th_corbrp(t), HDA_CORBRP_RST);
    th_queue_verb(t, th_get_param(0, 0, 0x00));
    th_advance_frames(t, 4);
    assert_int_equal(th_corbrp(t), HDA_CORBRP_RST);
    assert_int_equal(th_rirbwp(t), 0);

    /* Only a controller reset brings it back. */
    th_wr(t, HDA_REG_GCTL, 4, 0);
    hdabdl_mock_advance(t->m, t->cfg.crst_delay_ns);
    th_leave_reset(t);
    assert_int_equal(th_corbrp(t), 0);
}

/* ---- Rules ------------------------------------------------------------------------------------ */

static void test_corb_base_and_size_written_while_running_are_reported(void **state)
{
    struct th *t = *state;
    start(t, 1);

    assert_int_equal(hdabdl_mock_mmio_write(t->m, HDA_REG_CORBLBASE, 4, (uint32_t)TH_CORB), -EINVAL);
    assert_int_equal(th_violation_kind(t, 0), HDABDL_MOCK_WRITE_WHILE_RUNNING);
    assert_int_equal(hdabdl_mock_mmio_write(t->m, HDA_REG_CORBUBASE, 4, 0), -EINVAL);
    assert_int_equal(hdabdl_mock_mmio_write(t->m, HDA_REG_CORBSIZE, 1, 0x42), -EINVAL);
    assert_int_equal(hdabdl_mock_mmio_write(t->m, HDA_REG_CORBRP, 2, HDA_CORBRP_RST), -EINVAL);
    assert_int_equal(th_violations(t), 4);
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(th_violation_kind(t, i), HDABDL_MOCK_WRITE_WHILE_RUNNING);
    /* Writing the pointer and CORBCTL itself is what software does while it runs. */
    th_queue_verb(t, th_get_param(0, 0, 0x00));
    th_wr(t, HDA_REG_CORBCTL, 1, HDA_CORBCTL_RUN | HDA_CORBCTL_CMEIE);
    assert_int_equal(th_violations(t), 4);
}

static void test_rirb_registers_written_while_running_are_reported(void **state)
{
    struct th *t = *state;
    start(t, 1);

    assert_int_equal(hdabdl_mock_mmio_write(t->m, HDA_REG_RIRBLBASE, 4, (uint32_t)TH_RIRB), -EINVAL);
    assert_int_equal(hdabdl_mock_mmio_write(t->m, HDA_REG_RIRBUBASE, 4, 0), -EINVAL);
    assert_int_equal(hdabdl_mock_mmio_write(t->m, HDA_REG_RIRBSIZE, 1, 0x42), -EINVAL);
    assert_int_equal(hdabdl_mock_mmio_write(t->m, HDA_REG_RINTCNT, 2, 4), -EINVAL);
    assert_int_equal(hdabdl_mock_mmio_write(t->m, HDA_REG_RIRBWP, 2, HDA_RIRBWP_RST), -EINVAL);
    assert_int_equal(th_violations(t), 5);
    for (size_t i = 0; i < 5; i++)
        assert_int_equal(th_violation_kind(t, i), HDABDL_MOCK_WRITE_WHILE_RUNNING);
    /* Status and control are fine. */
    th_wr(t, HDA_REG_RIRBSTS, 1, HDA_RIRBSTS_RINTFL | HDA_RIRBSTS_OIS);
    th_wr(t, HDA_REG_RIRBCTL, 1, HDA_RIRBCTL_DMAEN | HDA_RIRBCTL_RINTCTL | HDA_RIRBCTL_OIC);
    assert_int_equal(th_violations(t), 5);
}

static void test_ring_size_offers_only_the_sizes_in_its_caps(void **state)
{
    struct th *t = *state;
    th_leave_reset(t);

    /* Default: 256 entries only. Selecting 16 is a read-only write, ignored. */
    assert_int_equal(hdabdl_mock_mmio_write(t->m, HDA_REG_CORBSIZE, 1, 0x41), -EINVAL);
    assert_int_equal(th_rd(t, HDA_REG_CORBSIZE, 1), 0x42);
    assert_int_equal(th_violation_kind(t, 0), HDABDL_MOCK_READ_ONLY_WRITE);
    assert_int_equal(hdabdl_mock_mmio_write(t->m, HDA_REG_RIRBSIZE, 1, 0x40), -EINVAL);
    assert_int_equal(th_rd(t, HDA_REG_RIRBSIZE, 1), 0x42);
    assert_int_equal(hdabdl_mock_mmio_write(t->m, HDA_REG_CORBSIZE, 1, 0x43), -EINVAL);  /* reserved */
    th_wr(t, HDA_REG_CORBSIZE, 1, 0x42);    /* the offered size, capabilities written back */
    assert_int_equal(th_violations(t), 3);
    /* Linux writes 0x02: the capability bits differ, a read-only write (the size lands). */
    assert_int_equal(hdabdl_mock_mmio_write(t->m, HDA_REG_CORBSIZE, 1, 0x02), -EINVAL);
    assert_int_equal(th_violation_kind(t, 3), HDABDL_MOCK_READ_ONLY_WRITE);
    assert_int_equal(th_rd(t, HDA_REG_CORBSIZE, 1), 0x42);

    /* 2 and 16 entries only: resets to 16, 2 may be chosen, 256 not. */
    t->cfg.corb_size_caps = 0x3;
    th_create(t);
    th_leave_reset(t);
    assert_int_equal(th_rd(t, HDA_REG_CORBSIZE, 1), 0x31);
    assert_int_equal(th_rd(t, HDA_REG_RIRBSIZE, 1), 0x31);
    th_wr(t, HDA_REG_CORBSIZE, 1, 0x30);
    assert_int_equal(th_rd(t, HDA_REG_CORBSIZE, 1), 0x30);
    assert_int_equal(hdabdl_mock_mmio_write(t->m, HDA_REG_RIRBSIZE, 1, 0x32), -EINVAL);
    assert_int_equal(th_rd(t, HDA_REG_RIRBSIZE, 1), 0x31);
}

static void test_config_rejects_impossible_corb_caps(void **state)
{
    struct th *t = *state;
    struct hdabdl_mock *m = NULL;
    struct hdabdl_mock_host host = th_host(t);
    struct hdabdl_mock_config c = t->cfg;

    c.corb_size_caps = 0;
    assert_int_equal(hdabdl_mock_create(&c, &host, &m), -EINVAL);
    c.corb_size_caps = 0x8;
    assert_int_equal(hdabdl_mock_create(&c, &host, &m), -EINVAL);
    c.corb_size_caps = 0x4;
    c.corbrp_reset = (enum hdabdl_mock_corbrp_reset)7;
    assert_int_equal(hdabdl_mock_create(&c, &host, &m), -EINVAL);
    assert_null(m);
}

/* ---- Response interrupt -------------------------------------------------------------------------- */

static void test_rirb_interrupt_after_rintcnt_responses(void **state)
{
    struct th *t = *state;
    start(t, 3);

    for (unsigned i = 0; i < 4; i++)
        th_queue_verb(t, th_get_param(0, 0, 0x00));
    th_advance_frames(t, 3);        /* responses 1 and 2 */
    assert_int_equal(th_rirbwp(t), 2);
    assert_int_equal(rintfl(t), 0);
    th_advance_frames(t, 1);        /* response 3 */
    assert_int_equal(th_rirbwp(t), 3);
    assert_int_equal(rintfl(t), HDA_RIRBSTS_RINTFL);
    assert_int_equal(th_violations(t), 0);
}

static void test_rintcnt_one_interrupts_on_every_response(void **state)
{
    struct th *t = *state;
    start(t, 1);

    th_queue_verb(t, th_get_param(0, 0, 0x00));
    th_queue_verb(t, th_get_param(0, 0, 0x00));
    th_advance_frames(t, 2);
    assert_int_equal(rintfl(t), HDA_RIRBSTS_RINTFL);
    th_wr(t, HDA_REG_RIRBSTS, 1, HDA_RIRBSTS_RINTFL);
    assert_int_equal(rintfl(t), 0);
    th_advance_frames(t, 1);
    assert_int_equal(th_rirbwp(t), 2);
    assert_int_equal(rintfl(t), HDA_RIRBSTS_RINTFL);
}

static void test_rintcnt_zero_means_256(void **state)
{
    struct th *t = *state;
    start(t, 0);

    /* 300 verbs without a gap: the CORB holds at most 255 outstanding. */
    for (unsigned i = 0; i < 200; i++)
        th_queue_verb(t, th_get_param(0, 0, 0x00));
    th_advance_frames(t, 100);
    for (unsigned i = 0; i < 100; i++)
        th_queue_verb(t, th_get_param(0, 0, 0x00));
    th_advance_frames(t, 155);      /* responses 1..254 */
    assert_int_equal(th_rirbwp(t), 254);
    th_advance_frames(t, 1);
    assert_int_equal(th_rirbwp(t), 255);
    assert_int_equal(rintfl(t), 0);
    th_advance_frames(t, 1);        /* response 256 */
    assert_int_equal(th_rirbwp(t), 0);
    assert_int_equal(rintfl(t), HDA_RIRBSTS_RINTFL);
    /* The CORB did not stall waiting for the interrupt to be acknowledged. */
    th_advance_frames(t, 50);
    assert_int_equal(th_corbrp(t), 300 % 256);
}

static void test_rirb_interrupt_on_empty_response_slot(void **state)
{
    struct th *t = *state;
    start(t, 10);

    th_queue_verb(t, th_get_param(0, 0, 0x00));
    th_queue_verb(t, th_get_param(0, 0, 0x00));
    th_advance_frames(t, 3);        /* responses in frames 2 and 3 */
    assert_int_equal(th_rirbwp(t), 2);
    assert_int_equal(rintfl(t), 0);
    th_advance_frames(t, 1);        /* frame 4: no response on any SDI */
    assert_int_equal(rintfl(t), HDA_RIRBSTS_RINTFL);
}

static void test_no_response_means_no_empty_slot_interrupt(void **state)
{
    struct th *t = *state;
    start(t, 10);

    th_queue_verb(t, th_get_param(5, 0, 0x00));    /* nobody at 5 */
    th_advance_frames(t, 10);
    assert_int_equal(rintfl(t), 0);
}

static void test_rintcnt_counter_restarts_when_the_interrupt_is_raised(void **state)
{
    struct th *t = *state;
    start(t, 2);

    for (unsigned i = 0; i < 4; i++)
        th_queue_verb(t, th_get_param(0, 0, 0x00));
    th_advance_frames(t, 3);        /* responses 1, 2: interrupt, counter restarts */
    assert_int_equal(rintfl(t), HDA_RIRBSTS_RINTFL);
    th_advance_frames(t, 1);        /* response 3: counter 1 */
    th_wr(t, HDA_REG_RIRBSTS, 1, HDA_RIRBSTS_RINTFL);   /* clearing does not restart it */
    th_advance_frames(t, 1);        /* response 4: counter 2 */
    assert_int_equal(th_rirbwp(t), 4);
    assert_int_equal(rintfl(t), HDA_RIRBSTS_RINTFL);
}

static void test_rintfl_needs_rintctl(void **state)
{
    struct th *t = *state;
    start(t, 1);
    th_wr(t, HDA_REG_RIRBCTL, 1, HDA_RIRBCTL_DMAEN);

    th_queue_verb(t, th_get_param(0, 0, 0x00));
    th_advance_frames(t, 4);
    assert_int_equal(th_rirbwp(t), 1);
    assert_int_equal(rintfl(t), 0);
}

static void test_rirb_irq_lost_fault_never_raises_rintfl(void **state)
{
    struct th *t = *state;
    start(t, 1);
    hdabdl_mock_set_fault(t->m, HDABDL_MOCK_FAULT_RIRB_IRQ_LOST, -1, true);

    th_queue_verb(t, th_get_param(0, 0, 0x00));
    th_queue_verb(t, th_get_param(0, 0, 0x00));
    th_advance_frames(t, 5);
    assert_int_equal(th_rirbwp(t), 2);
    assert_int_equal(th_rirb_response(t, 2), VENDOR_ID);
    assert_int_equal(rintfl(t), 0);
}

static void test_rirb_response_raises_the_interrupt_line_through_cis(void **state)
{
    struct th *t = *state;
    start(t, 1);
    th_wr(t, HDA_REG_INTCTL, 4, HDA_INT_GLOBAL | HDA_INT_CTRL);

    th_queue_verb(t, th_get_param(0, 0, 0x00));
    th_advance_frames(t, 1);
    assert_false(t->irq_level);
    th_advance_frames(t, 1);
    assert_true(t->irq_level);
    assert_true(hdabdl_mock_irq_asserted(t->m));
    assert_int_equal(th_rd(t, HDA_REG_INTSTS, 4), HDA_INT_GLOBAL | HDA_INT_CTRL);
    th_wr(t, HDA_REG_RIRBSTS, 1, HDA_RIRBSTS_RINTFL);
    assert_false(t->irq_level);
    assert_int_equal(th_rd(t, HDA_REG_INTSTS, 4), 0);
}

static void test_rirb_overrun_fault_sets_ois(void **state)
{
    struct th *t = *state;
    struct hdabdl_codec *c = start(t, 1);
    th_wr(t, HDA_REG_RIRBCTL, 1, HDA_RIRBCTL_DMAEN | HDA_RIRBCTL_RINTCTL | HDA_RIRBCTL_OIC);
    th_wr(t, HDA_REG_INTCTL, 4, HDA_INT_GLOBAL | HDA_INT_CTRL);
    hdabdl_mock_set_fault(t->m, HDABDL_MOCK_FAULT_RIRB_OVERRUN, -1, true);

    th_queue_verb(t, th_verb(0, NID_DAC, 0x706, 0x30));
    th_advance_frames(t, 3);
    assert_int_equal(th_rd(t, HDA_REG_RIRBSTS, 1), HDA_RIRBSTS_OIS);
    assert_int_equal(th_rirbwp(t), 0);
    assert_int_equal(hdabdl_codec_find_converters(c, 3, true, NULL, 0), 1);   /* executed */
    assert_true(t->irq_level);
    th_wr(t, HDA_REG_RIRBSTS, 1, HDA_RIRBSTS_OIS);
    assert_false(t->irq_level);

    hdabdl_mock_set_fault(t->m, HDABDL_MOCK_FAULT_RIRB_OVERRUN, -1, false);
    th_queue_verb(t, th_get_param(0, 0, 0x00));
    th_advance_frames(t, 2);
    assert_int_equal(th_rirbwp(t), 1);
}

/* ---- Codecs --------------------------------------------------------------------------------------- */

static void test_silent_codec_gives_no_response(void **state)
{
    struct th *t = *state;
    struct hdabdl_codec *c = start(t, 1);
    hdabdl_mock_set_fault(t->m, HDABDL_MOCK_FAULT_CODEC_SILENT, 0, true);

    th_queue_verb(t, th_get_param(0, 0, 0x00));
    th_advance_frames(t, 5);
    assert_int_equal(th_corbrp(t), 1);
    assert_int_equal(th_rirbwp(t), 0);
    assert_int_equal(verbs_seen(c), 0);     /* a hung codec does not execute either */
}

static void test_silent_fault_names_one_codec_address(void **state)
{
    struct th *t = *state;
    t->cfg.input_streams = 1;
    t->cfg.output_streams = 1;  /* fewer engines than the address: still accepted */
    t->cfg.codec_mask = 0;
    th_create(t);
    attach(t, 0);
    attach(t, 9);
    th_link_up(t);
    th_cmd_start(t, 1);
    hdabdl_mock_set_fault(t->m, HDABDL_MOCK_FAULT_CODEC_SILENT, 9, true);

    th_queue_verb(t, th_get_param(9, 0, 0x00));
    th_queue_verb(t, th_get_param(0, 0, 0x00));
    th_advance_frames(t, 4);
    assert_int_equal(th_rirbwp(t), 1);
    assert_int_equal(th_rirb_ex(t, 1), 0);
}

static void test_codec_in_codec_mask_without_a_model_is_present_but_silent(void **state)
{
    struct th *t = *state;
    t->cfg.codec_mask = 0x3;
    th_create(t);
    attach(t, 0);
    th_link_up(t);
    assert_int_equal(th_rd(t, HDA_REG_STATESTS, 2), 0x3);
    th_cmd_start(t, 1);

    th_queue_verb(t, th_get_param(1, 0, 0x00));
    th_advance_frames(t, 4);
    assert_int_equal(th_rirbwp(t), 0);
}

static void test_attached_codec_counts_as_present(void **state)
{
    struct th *t = *state;
    t->cfg.codec_mask = 0;
    th_create(t);
    attach(t, 2);
    th_leave_reset(t);
    assert_int_equal(th_rd(t, HDA_REG_STATESTS, 2), 0);
    hdabdl_mock_advance(t->m, t->cfg.codec_wake_delay_ns);
    assert_int_equal(th_rd(t, HDA_REG_STATESTS, 2), 0x4);
}

static void test_codecs_answer_only_after_they_woke_up(void **state)
{
    struct th *t = *state;
    attach(t, 0);
    th_leave_reset(t);
    th_cmd_start(t, 1);

    th_queue_verb(t, th_get_param(0, 0, 0x00));
    th_advance_frames(t, 3);
    assert_int_equal(th_corbrp(t), 1);
    assert_int_equal(th_rirbwp(t), 0);      /* still in its link-reset wake */
    hdabdl_mock_advance(t->m, t->cfg.codec_wake_delay_ns);
    th_queue_verb(t, th_get_param(0, 0, 0x00));
    th_advance_frames(t, 2);
    assert_int_equal(th_rirbwp(t), 1);
}

static void test_attach_rejects_taken_and_bad_addresses(void **state)
{
    struct th *t = *state;
    struct hdabdl_codec_desc desc;
    struct hdabdl_codec_config cfg;
    attach(t, 3);

    assert_int_equal(hdabdl__mock_default_codec_desc(&desc), 0);
    hdabdl_codec_config_default(&cfg, &desc);
    cfg.address = 3;
    assert_int_equal(hdabdl_codec_create(&desc, &cfg, &codecs[4]), 0);
    hdabdl_codec_desc_clear(&desc);
    assert_int_equal(hdabdl_mock_attach_codec(t->m, codecs[4]), -EBUSY);
    assert_int_equal(hdabdl_mock_attach_codec(t->m, NULL), -EINVAL);
    assert_int_equal(hdabdl_mock_attach_codec(NULL, codecs[4]), -EINVAL);

    hdabdl_mock_detach_codec(t->m, 3);
    assert_int_equal(hdabdl_mock_attach_codec(t->m, codecs[4]), 0);
    hdabdl_mock_detach_codec(t->m, 14);     /* nothing there: fine */
    hdabdl_mock_detach_codec(t->m, 200);
}

static void test_detached_codec_never_sends_its_pending_response(void **state)
{
    struct th *t = *state;
    start(t, 1);

    th_queue_verb(t, th_get_param(0, 0, 0x00));
    th_advance_frames(t, 1);
    hdabdl_mock_detach_codec(t->m, 0);
    th_advance_frames(t, 3);
    assert_int_equal(th_rirbwp(t), 0);
}

static void test_controller_reset_resets_attached_codecs(void **state)
{
    struct th *t = *state;
    struct hdabdl_codec *c = start(t, 1);

    th_queue_verb(t, th_verb(0, NID_DAC, 0x706, 0x50));
    th_advance_frames(t, 2);
    assert_int_equal(hdabdl_codec_find_converters(c, 5, true, NULL, 0), 1);

    th_wr(t, HDA_REG_GCTL, 4, 0);
    hdabdl_mock_advance(t->m, t->cfg.crst_delay_ns);
    assert_int_equal(hdabdl_codec_find_converters(c, 5, true, NULL, 0), 1);   /* not yet */
    th_leave_reset(t);
    assert_int_equal(hdabdl_codec_find_converters(c, 5, true, NULL, 0), 0);
}

/* ---- Unsolicited responses -------------------------------------------------------------------------- */

/* Enable unsolicited responses with tag @tag on the headphone pin. */
static void enable_hp_unsol(struct th *t, unsigned tag)
{
    th_queue_verb(t, th_verb(0, NID_HP, 0x708, 0x80 | tag));
    th_advance_frames(t, 2);
    assert_int_equal(th_rirbwp(t), 1);
}

static void test_unsolicited_response_needs_gctl_unsol(void **state)
{
    struct th *t = *state;
    struct hdabdl_codec *c = start(t, 1);
    enable_hp_unsol(t, 5);

    /* UNSOL = 0: the controller drops it (the codec sent it all the same). */
    assert_true(hdabdl_codec_set_jack(c, NID_HP, true));
    th_advance_frames(t, 3);
    assert_int_equal(th_rirbwp(t), 1);
    assert_int_equal(hdabdl_codec_unsolicited_pending(c), 0);

    th_wr(t, HDA_REG_GCTL, 4, HDA_GCTL_CRST | HDA_GCTL_UNSOL);
    th_wr(t, HDA_REG_RIRBSTS, 1, HDA_RIRBSTS_RINTFL);
    assert_true(hdabdl_codec_set_jack(c, NID_HP, false));
    th_advance_frames(t, 1);
    assert_int_equal(th_rirbwp(t), 2);
    assert_int_equal(th_rirb_response(t, 2), 5u << 26);
    assert_int_equal(th_rirb_ex(t, 2), 0x10);
    assert_int_equal(rintfl(t), HDA_RIRBSTS_RINTFL);
}

static void test_unsolicited_response_waits_for_a_free_response_slot(void **state)
{
    struct th *t = *state;
    struct hdabdl_codec *c = start(t, 1);
    enable_hp_unsol(t, 7);
    th_wr(t, HDA_REG_GCTL, 4, HDA_GCTL_CRST | HDA_GCTL_UNSOL);

    th_queue_verb(t, th_get_param(0, 0, 0x00));
    th_advance_frames(t, 1);        /* the verb went out */
    hdabdl_codec_set_jack(c, NID_HP, true);
    th_advance_frames(t, 1);        /* the codec's slot carries the solicited response */
    assert_int_equal(th_rirbwp(t), 2);
    assert_int_equal(th_rirb_ex(t, 2), 0);
    th_advance_frames(t, 1);        /* now the unsolicited one */
    assert_int_equal(th_rirbwp(t), 3);
    assert_int_equal(th_rirb_ex(t, 3), 0x10);
    assert_int_equal(th_rirb_response(t, 3), 7u << 26);
}

static void test_two_codecs_respond_in_the_same_frame(void **state)
{
    struct th *t = *state;
    t->cfg.codec_mask = 0;
    th_create(t);
    attach(t, 0);
    struct hdabdl_codec *c1 = attach(t, 1);
    th_link_up(t);
    th_cmd_start(t, 1);
    th_wr(t, HDA_REG_GCTL, 4, HDA_GCTL_CRST | HDA_GCTL_UNSOL);
    th_queue_verb(t, th_verb(1, NID_MIC, 0x708, 0x80 | 0x09));
    th_advance_frames(t, 2);
    assert_int_equal(th_rirbwp(t), 1);

    th_queue_verb(t, th_get_param(0, 0, 0x00));
    th_advance_frames(t, 1);
    hdabdl_codec_set_jack(c1, NID_MIC, true);
    th_advance_frames(t, 1);        /* codec 0's response and codec 1's event */
    assert_int_equal(th_rirbwp(t), 3);
    assert_int_equal(th_rirb_ex(t, 2), 0x00);
    assert_int_equal(th_rirb_response(t, 2), VENDOR_ID);
    assert_int_equal(th_rirb_ex(t, 3), 0x11);
    assert_int_equal(th_rirb_response(t, 3), 0x09u << 26);
}

/* Memory as bytes, whatever the host's byte order: a CORB entry is one
 * little-endian dword (the verb), a RIRB entry two (the response, then the
 * codec address in 3:0 and the unsolicited flag in bit 4). */
static void test_corb_and_rirb_entries_are_little_endian_bytes(void **state)
{
    struct th *t = *state;
    t->cfg.codec_mask = 0;
    th_create(t);
    struct hdabdl_codec *c = attach(t, 2);
    th_link_up(t);
    th_cmd_start(t, 1);

    static const uint8_t get_vendor[4] = { 0x00, 0x00, 0x0F, 0x20 };   /* 0x200F0000 */
    memcpy(th_ptr(t, TH_CORB + 4), get_vendor, sizeof(get_vendor));
    th_wr(t, HDA_REG_CORBWP, 2, 1);
    th_advance_frames(t, 2);
    assert_int_equal(th_rirbwp(t), 1);
    static const uint8_t vendor[8] = { 0x22, 0x00, 0xF4, 0x1A, 0x02, 0x00, 0x00, 0x00 };
    assert_memory_equal(th_ptr(t, TH_RIRB + 8), vendor, sizeof(vendor));

    /* SET_UNSOLICITED_ENABLE tag 0x2A on the headphone pin: 0x203708AA. */
    static const uint8_t unsol_on[4] = { 0xAA, 0x08, 0x37, 0x20 };
    memcpy(th_ptr(t, TH_CORB + 8), unsol_on, sizeof(unsol_on));
    th_wr(t, HDA_REG_CORBWP, 2, 2);
    th_advance_frames(t, 2);
    assert_int_equal(th_rirbwp(t), 2);
    static const uint8_t done[8] = { 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00 };
    assert_memory_equal(th_ptr(t, TH_RIRB + 16), done, sizeof(done));

    th_wr(t, HDA_REG_GCTL, 4, HDA_GCTL_CRST | HDA_GCTL_UNSOL);
    assert_true(hdabdl_codec_set_jack(c, NID_HP, true));
    th_advance_frames(t, 1);
    assert_int_equal(th_rirbwp(t), 3);
    static const uint8_t event[8] = { 0x00, 0x00, 0x00, 0xA8, 0x12, 0x00, 0x00, 0x00 };   /* tag << 26 */
    assert_memory_equal(th_ptr(t, TH_RIRB + 24), event, sizeof(event));
    assert_int_equal(th_violations(t), 0);
}

/* ---- Immediate command interface ------------------------------------------------------------------------ */

static void test_immediate_command_latches_response_and_sets_irv(void **state)
{
    struct th *t = *state;
    t->cfg.codec_mask = 0;
    th_create(t);
    attach(t, 2);
    th_link_up(t);

    th_ic_send(t, th_get_param(2, 0, 0x00));
    assert_int_equal(th_rd(t, HDA_REG_ICIS, 2), HDA_ICIS_ICB);
    th_advance_frames(t, 1);        /* sent */
    assert_int_equal(th_rd(t, HDA_REG_ICIS, 2), HDA_ICIS_ICB);
    th_advance_frames(t, 1);        /* latched */
    assert_int_equal(th_rd(t, HDA_REG_ICIS, 2), HDA_ICIS_IRV | 0x20);   /* responder 2 in 7:4 */
    assert_int_equal(th_rd(t, HDA_REG_ICII, 4), VENDOR_ID);
    th_wr(t, HDA_REG_ICIS, 2, HDA_ICIS_IRV);
    assert_int_equal(th_rd(t, HDA_REG_ICIS, 2) & HDA_ICIS_IRV, 0);
    assert_int_equal(th_violations(t), 0);
}

static void test_immediate_command_nobody_answers_ends_with_icb_clear_and_no_irv(void **state)
{
    struct th *t = *state;
    attach(t, 0);
    th_link_up(t);

    th_ic_send(t, th_get_param(6, 0, 0x00));
    th_advance_frames(t, 1);
    assert_int_equal(th_rd(t, HDA_REG_ICIS, 2), HDA_ICIS_ICB);   /* on the link */
    th_advance_frames(t, 1);
    assert_int_equal(th_rd(t, HDA_REG_ICIS, 2), 0);   /* the empty response slot ended it */
    /* The interface takes the next command, and a codec that exists answers. */
    th_ic_send(t, th_get_param(0, 0, 0x00));
    th_advance_frames(t, 2);
    assert_int_equal(th_rd(t, HDA_REG_ICIS, 2) & (HDA_ICIS_ICB | HDA_ICIS_IRV), HDA_ICIS_IRV);
}

static void test_immediate_command_while_corb_runs_is_reported(void **state)
{
    struct th *t = *state;
    struct hdabdl_mock_violation_record r;
    start(t, 1);

    th_queue_verb(t, th_get_param(0, 0, 0x02));
    th_wr(t, HDA_REG_ICOI, 4, th_get_param(0, 0, 0x00));
    assert_int_equal(hdabdl_mock_mmio_write(t->m, HDA_REG_ICIS, 2, HDA_ICIS_ICB), -EINVAL);
    assert_true(hdabdl_mock_violation_get(t->m, 0, &r));
    assert_int_equal(r.kind, HDABDL_MOCK_WRITE_WHILE_RUNNING);
    assert_int_equal(r.offset, HDA_REG_ICIS);

    /* Sent all the same, ahead of the CORB, and answered into ICII. */
    th_advance_frames(t, 1);
    assert_int_equal(th_corbrp(t), 0);
    th_advance_frames(t, 1);
    assert_int_equal(th_rd(t, HDA_REG_ICII, 4), VENDOR_ID);
    assert_int_equal(th_rd(t, HDA_REG_ICIS, 2) & (HDA_ICIS_ICB | HDA_ICIS_IRV), HDA_ICIS_IRV);
    assert_int_equal(th_corbrp(t), 1);
    th_advance_frames(t, 1);
    assert_int_equal(th_rirbwp(t), 1);
    assert_int_equal(th_rirb_response(t, 1), 0x100101);
}

static void test_icoi_written_while_a_command_is_outstanding_is_reported(void **state)
{
    struct th *t = *state;
    attach(t, 0);
    th_link_up(t);

    th_ic_send(t, th_get_param(0, 0, 0x00));
    assert_int_equal(hdabdl_mock_mmio_write(t->m, HDA_REG_ICOI, 4, 0), -EINVAL);
    assert_int_equal(th_violation_kind(t, 0), HDABDL_MOCK_WRITE_WHILE_RUNNING);
}

static void test_immediate_command_reads_back_through_th_ic_exec(void **state)
{
    struct th *t = *state;
    attach(t, 0);
    th_link_up(t);

    assert_int_equal(th_ic_exec(t, th_get_param(0, NID_AFG, 0x05)) & 0xFF, 0x01);   /* audio FG */
    assert_int_equal(th_ic_exec(t, th_get_param(0, NID_AFG, 0x04)), 0x00020004);   /* NIDs 2..5 */
    assert_int_equal(th_violations(t), 0);
}

/* ---- Stream data ------------------------------------------------------------------------------------ */

static void test_output_engine_feeds_the_matching_dac(void **state)
{
    struct th *t = *state;
    struct hdabdl_codec *c = attach(t, 0);
    th_link_up(t);
    th_ic_exec(t, th_verb(0, NID_DAC, 0x706, 0x50));     /* tag 5, channel 0 */
    th_ic_exec(t, 0x00200000u | NID_DAC << 20 | 0x0011); /* format 48k 16-bit stereo */

    th_simple_output(t, TH_OUT0, 5);
    th_run(t, TH_OUT0);
    th_advance_frames(t, 32);       /* 128 bytes: the whole buffer once */
    uint8_t got[128];
    assert_int_equal(hdabdl_codec_converter_available(c, NID_DAC), 128);
    assert_int_equal(hdabdl_codec_converter_read(c, NID_DAC, got, sizeof(got)), 128);
    assert_memory_equal(got, th_ptr(t, TH_BUF), 128);
    /* The link tap sees the same bytes. */
    assert_int_equal(hdabdl_mock_link_tap_available(t->m, 5), 128);
}

static void test_a_dac_takes_only_its_own_channels_of_a_wider_stream(void **state)
{
    struct th *t = *state;
    struct hdabdl_codec *c = attach(t, 0);
    th_link_up(t);
    th_ic_exec(t, th_verb(0, NID_DAC, 0x706, 0x52));     /* tag 5, channels 2..3 */
    th_ic_exec(t, 0x00200000u | NID_DAC << 20 | 0x0011); /* the DAC converts 2 channels */

    /* A 4-channel stream: blocks of 8 bytes, 16 blocks in the 128-byte buffer. */
    th_put_bde(t, TH_BDL, 0, TH_BUF, 64, true);
    th_put_bde(t, TH_BDL, 1, TH_BUF + 64, 64, true);
    th_fill(t, TH_BUF, 128, 0);
    th_program(t, TH_OUT0, TH_BDL, 128, 1, 0x0013, 5);
    th_run(t, TH_OUT0);
    th_advance_frames(t, 16);
    uint8_t got[64], want[64];
    const uint8_t *buf = th_ptr(t, TH_BUF);
    for (unsigned b = 0; b < 16; b++)
        memcpy(want + 4 * b, buf + 8 * b + 4, 4);       /* bytes of channels 2 and 3 */
    assert_int_equal(hdabdl_codec_converter_available(c, NID_DAC), 64);
    assert_int_equal(hdabdl_codec_converter_read(c, NID_DAC, got, sizeof(got)), 64);
    assert_memory_equal(got, want, 64);
    assert_int_equal(hdabdl_mock_link_tap_available(t->m, 5), 128);   /* the link: all of it */
}

static void test_output_engine_skips_a_dac_on_another_tag(void **state)
{
    struct th *t = *state;
    struct hdabdl_codec *c = attach(t, 0);
    th_link_up(t);
    th_ic_exec(t, th_verb(0, NID_DAC, 0x706, 0x60));

    th_simple_output(t, TH_OUT0, 5);
    th_run(t, TH_OUT0);
    th_advance_frames(t, 8);
    assert_int_equal(hdabdl_codec_converter_total(c, NID_DAC), 0);
    assert_int_equal(hdabdl_mock_link_tap_available(t->m, 5), 32);
}

static void test_powered_down_dac_gets_no_data(void **state)
{
    struct th *t = *state;
    struct hdabdl_codec *c = attach(t, 0);
    th_link_up(t);
    th_ic_exec(t, th_verb(0, NID_DAC, 0x706, 0x50));
    th_ic_exec(t, th_verb(0, NID_AFG, 0x705, 0x03));     /* function group to D3 */

    th_simple_output(t, TH_OUT0, 5);
    th_run(t, TH_OUT0);
    th_advance_frames(t, 8);
    assert_int_equal(hdabdl_codec_converter_total(c, NID_DAC), 0);
}

static void adc_source(void *ctx, uint8_t nid, uint16_t format, void *buf, size_t len)
{
    unsigned *calls = ctx;
    (*calls)++;
    assert_int_equal(nid, NID_ADC);
    assert_int_equal(format, 0x0011);
    memset(buf, 0x5A, len);
}

static void host_source(void *ctx, uint8_t tag, void *buf, size_t len)
{
    (void)ctx;
    (void)tag;
    memset(buf, 0x11, len);
}

static void test_input_engine_takes_data_from_the_matching_adc(void **state)
{
    struct th *t = *state;
    unsigned calls = 0;
    struct hdabdl_codec *c = attach(t, 0);
    hdabdl_codec_set_source(c, adc_source, &calls);
    hdabdl_mock_set_capture_source(t->m, host_source, NULL);
    th_link_up(t);
    th_ic_exec(t, th_verb(0, NID_ADC, 0x706, 0x30));
    th_ic_exec(t, 0x00200000u | NID_ADC << 20 | 0x0011);

    th_put_bde(t, TH_BDL, 0, TH_BUF, 64, false);
    th_put_bde(t, TH_BDL, 1, TH_BUF + 64, 64, false);
    memset(th_ptr(t, TH_BUF), 0, 128);
    th_program(t, TH_IN0, TH_BDL, 128, 1, TH_FMT_48K_16_2CH, 3);
    th_run(t, TH_IN0);
    th_advance_frames(t, 8);
    assert_true(calls > 0);
    for (unsigned i = 0; i < 32; i++)
        assert_int_equal(th_ptr(t, TH_BUF)[i], 0x5A);
    assert_int_equal(th_ptr(t, TH_BUF)[32], 0);
}

static void test_input_engine_without_a_matching_adc_uses_the_capture_source(void **state)
{
    struct th *t = *state;
    attach(t, 0);
    hdabdl_mock_set_capture_source(t->m, host_source, NULL);
    th_link_up(t);
    th_ic_exec(t, th_verb(0, NID_ADC, 0x706, 0x40));     /* tag 4, the engine uses 3 */

    th_put_bde(t, TH_BDL, 0, TH_BUF, 64, false);
    th_put_bde(t, TH_BDL, 1, TH_BUF + 64, 64, false);
    th_program(t, TH_IN0, TH_BDL, 128, 1, TH_FMT_48K_16_2CH, 3);
    th_run(t, TH_IN0);
    th_advance_frames(t, 4);
    for (unsigned i = 0; i < 16; i++)
        assert_int_equal(th_ptr(t, TH_BUF)[i], 0x11);
}

/* ---- The default codec ------------------------------------------------------------------------------- */

static void test_default_codec_description_prints_back_as_written(void **state)
{
    (void)state;
    size_t len = 0, printed_len = 0;
    const char *text = hdabdl__mock_default_codec_text(&len);
    struct hdabdl_codec_desc desc;
    assert_int_equal(hdabdl__mock_default_codec_desc(&desc), 0);
    char *printed = hdabdl_codec_desc_to_proc(&desc, &printed_len);
    assert_non_null(printed);
    assert_int_equal(printed_len, len);
    assert_memory_equal(printed, text, len);
    free(printed);
    assert_int_equal(desc.vendor_id, VENDOR_ID);
    assert_int_equal(desc.nnodes, 4);
    hdabdl_codec_desc_clear(&desc);
}

static void test_default_codec_has_a_dac_adc_and_two_jacks(void **state)
{
    struct th *t = *state;
    attach(t, 0);
    th_link_up(t);

    /* Widget types from the audio widget capabilities (parameter 0x09). */
    assert_int_equal((th_ic_exec(t, th_get_param(0, NID_DAC, 0x09)) >> 20) & 0xF, 0x0);
    assert_int_equal((th_ic_exec(t, th_get_param(0, NID_HP, 0x09)) >> 20) & 0xF, 0x4);
    assert_int_equal((th_ic_exec(t, th_get_param(0, NID_ADC, 0x09)) >> 20) & 0xF, 0x1);
    assert_int_equal((th_ic_exec(t, th_get_param(0, NID_MIC, 0x09)) >> 20) & 0xF, 0x4);
    /* PCM: 44.1, 48, 96 kHz; 16, 20, 24 bits. */
    uint32_t pcm = th_ic_exec(t, th_get_param(0, NID_DAC, 0x0A));
    assert_int_equal(pcm & 0x160, 0x160);
    assert_int_equal(pcm & 0xE0000, 0xE0000);
    /* Pins: output + presence detect, input + presence detect. */
    uint32_t hp = th_ic_exec(t, th_get_param(0, NID_HP, 0x0C));
    uint32_t mic = th_ic_exec(t, th_get_param(0, NID_MIC, 0x0C));
    assert_int_equal(hp & 0x14, 0x14);
    assert_int_equal(mic & 0x24, 0x24);
    /* Connections: HP <- DAC, ADC <- mic. */
    assert_int_equal(th_ic_exec(t, th_verb(0, NID_HP, 0xF02, 0)) & 0xFF, NID_DAC);
    assert_int_equal(th_ic_exec(t, th_verb(0, NID_ADC, 0xF02, 0)) & 0xFF, NID_MIC);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, th_setup, vt_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_corb_sends_one_verb_per_link_frame),
        T(test_verb_goes_out_in_the_first_frame_after_corbwp),
        T(test_response_arrives_in_the_frame_after_its_verb),
        T(test_back_to_back_verbs_answer_in_consecutive_frames),
        T(test_rirb_entry_carries_the_codec_address),
        T(test_verb_to_an_empty_address_gets_no_response),
        T(test_corb_wraps_at_its_size),
        T(test_rirb_overwrites_entries_software_has_not_read),
        T(test_corb_stalled_fault_fetches_nothing),
        T(test_corbrun_reads_one_until_the_next_frame_after_stop),
        T(test_restarting_the_corb_before_it_stopped_keeps_it_running),
        T(test_rirbdmaen_reads_one_until_the_next_frame_after_stop),
        T(test_responses_are_dropped_while_rirb_dma_is_off),
        T(test_corb_fetch_from_the_bar_sets_cmei_and_stops),
        T(test_corb_fetch_failure_sets_cmei),
        T(test_rirb_write_failure_sets_ois_and_is_reported),
        T(test_corbrp_reset_is_acknowledged),
        T(test_corb_does_not_fetch_while_rp_is_held_in_reset),
        T(test_self_clearing_corbrp_never_reads_one),
        T(test_never_acked_corbrp_keeps_reading_one_and_fetches_nothing),
        T(test_corb_base_and_size_written_while_running_are_reported),
        T(test_rirb_registers_written_while_running_are_reported),
        T(test_ring_size_offers_only_the_sizes_in_its_caps),
        T(test_config_rejects_impossible_corb_caps),
        T(test_rirb_interrupt_after_rintcnt_responses),
        T(test_rintcnt_one_interrupts_on_every_response),
        T(test_rintcnt_zero_means_256),
        T(test_rirb_interrupt_on_empty_response_slot),
        T(test_no_response_means_no_empty_slot_interrupt),
        T(test_rintcnt_counter_restarts_when_the_interrupt_is_raised),
        T(test_rintfl_needs_rintctl),
        T(test_rirb_irq_lost_fault_never_raises_rintfl),
        T(test_rirb_response_raises_the_interrupt_line_through_cis),
        T(test_rirb_overrun_fault_sets_ois),
        T(test_silent_codec_gives_no_response),
        T(test_silent_fault_names_one_codec_address),
        T(test_codec_in_codec_mask_without_a_model_is_present_but_silent),
        T(test_attached_codec_counts_as_present),
        T(test_codecs_answer_only_after_they_woke_up),
        T(test_attach_rejects_taken_and_bad_addresses),
        T(test_detached_codec_never_sends_its_pending_response),
        T(test_controller_reset_resets_attached_codecs),
        T(test_unsolicited_response_needs_gctl_unsol),
        T(test_unsolicited_response_waits_for_a_free_response_slot),
        T(test_corb_and_rirb_entries_are_little_endian_bytes),
        T(test_two_codecs_respond_in_the_same_frame),
        T(test_immediate_command_latches_response_and_sets_irv),
        T(test_immediate_command_nobody_answers_ends_with_icb_clear_and_no_irv),
        T(test_immediate_command_while_corb_runs_is_reported),
        T(test_icoi_written_while_a_command_is_outstanding_is_reported),
        T(test_immediate_command_reads_back_through_th_ic_exec),
        T(test_output_engine_feeds_the_matching_dac),
        T(test_a_dac_takes_only_its_own_channels_of_a_wider_stream),
        T(test_output_engine_skips_a_dac_on_another_tag),
        T(test_powered_down_dac_gets_no_data),
        T(test_input_engine_takes_data_from_the_matching_adc),
        T(test_input_engine_without_a_matching_adc_uses_the_capture_source),
        T(test_default_codec_description_prints_back_as_written),
        T(test_default_codec_has_a_dac_adc_and_two_jacks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
