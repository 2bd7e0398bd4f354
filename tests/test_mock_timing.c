/* SPDX-License-Identifier: MIT */
/*
 * test_mock_timing.c - the mock controller's handshakes, wall clock, faults
 * and interrupt logic in virtual time, driven directly (no core).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE   /* pthreads, clock_gettime, fork: tests build as plain C11 */
#endif

#include "test_mock_host.h"

#include <pthread.h>

/* ---- Controller reset -------------------------------------------------------------- */

static void test_crst_reads_back_only_after_the_handshake_delay(void **state)
{
    struct th *t = *state;

    th_wr(t, HDA_REG_GCTL, 4, HDA_GCTL_CRST);
    assert_int_equal(th_rd(t, HDA_REG_GCTL, 4), 0);
    hdabdl_mock_advance(t->m, t->cfg.crst_delay_ns - 1);
    assert_int_equal(th_rd(t, HDA_REG_GCTL, 4), 0);
    hdabdl_mock_advance(t->m, 1);
    assert_int_equal(th_rd(t, HDA_REG_GCTL, 4), HDA_GCTL_CRST);

    th_wr(t, HDA_REG_GCTL, 4, 0);
    assert_int_equal(th_rd(t, HDA_REG_GCTL, 4), HDA_GCTL_CRST);
    hdabdl_mock_advance(t->m, t->cfg.crst_delay_ns - 1);
    assert_int_equal(th_rd(t, HDA_REG_GCTL, 4), HDA_GCTL_CRST);
    hdabdl_mock_advance(t->m, 1);
    assert_int_equal(th_rd(t, HDA_REG_GCTL, 4), 0);
    assert_int_equal(th_violations(t), 0);
}

static void test_entering_reset_restores_every_register(void **state)
{
    struct th *t = *state;
    th_leave_reset(t);
    hdabdl_mock_advance(t->m, t->cfg.codec_wake_delay_ns);

    th_wr(t, HDA_REG_GCTL, 4, HDA_GCTL_CRST | HDA_GCTL_UNSOL);
    th_wr(t, HDA_REG_WAKEEN, 2, 0x7);
    th_wr(t, HDA_REG_INTCTL, 4, HDA_INT_GLOBAL | 0xFF);
    th_wr(t, HDA_REG_SSYNC, 4, 0xFF);
    th_wr(t, HDA_REG_DPLBASE, 4, 0x1001);
    th_wr(t, HDA_REG_CORBLBASE, 4, 0x2000);
    th_sd_wr(t, TH_OUT0, HDA_SD_CBL, 4, 1024);
    th_sd_wr(t, TH_OUT0, HDA_SD_FIFOW, 2, 2);
    th_sd_wr(t, TH_OUT0, HDA_SD_CTL, 4, 0x00100004);

    th_wr(t, HDA_REG_GCTL, 4, 0);
    assert_int_equal(th_rd(t, HDA_REG_WAKEEN, 2), 0x7);      /* not yet */
    hdabdl_mock_advance(t->m, t->cfg.crst_delay_ns);

    assert_int_equal(th_rd(t, HDA_REG_GCTL, 4), 0);
    assert_int_equal(th_rd(t, HDA_REG_WAKEEN, 2), 0);
    assert_int_equal(th_rd(t, HDA_REG_STATESTS, 2), 0);
    assert_int_equal(th_rd(t, HDA_REG_INTCTL, 4), 0);
    assert_int_equal(th_rd(t, HDA_REG_SSYNC, 4), 0);
    assert_int_equal(th_rd(t, HDA_REG_DPLBASE, 4), 0);
    assert_int_equal(th_rd(t, HDA_REG_CORBLBASE, 4), 0);
    assert_int_equal(th_rd(t, HDA_REG_WALCLK, 4), 0);
    assert_int_equal(th_sd_rd(t, TH_OUT0, HDA_SD_CBL, 4), 0);
    assert_int_equal(th_sd_rd(t, TH_OUT0, HDA_SD_FIFOW, 2), 4);
    assert_int_equal(th_sd_rd(t, TH_OUT0, HDA_SD_CTL, 4), 0);
    assert_int_equal(th_rd(t, HDA_REG_GCAP, 2), 0x4401);
    assert_int_equal(th_rd(t, HDA_REG_CORBSIZE, 1), 0x42);
    assert_int_equal(th_violations(t), 0);
}

static void test_writes_before_crst_reads_one_are_dropped(void **state)
{
    struct th *t = *state;

    th_wr(t, HDA_REG_GCTL, 4, HDA_GCTL_CRST);
    hdabdl_mock_advance(t->m, t->cfg.crst_delay_ns / 2);
    assert_int_equal(hdabdl_mock_mmio_write(t->m, HDA_REG_WAKEEN, 2, 0x1), -EINVAL);
    assert_int_equal(th_violation_kind(t, 0), HDABDL_MOCK_WRITE_IN_RESET);
    hdabdl_mock_advance(t->m, t->cfg.crst_delay_ns);
    assert_int_equal(th_rd(t, HDA_REG_WAKEEN, 2), 0);
}

static void test_codecs_appear_in_statests_after_the_wake_delay(void **state)
{
    struct th *t = *state;
    t->cfg.codec_mask = 0x5;
    th_create(t);

    th_leave_reset(t);
    assert_int_equal(th_rd(t, HDA_REG_STATESTS, 2), 0);
    hdabdl_mock_advance(t->m, t->cfg.codec_wake_delay_ns - 1);
    assert_int_equal(th_rd(t, HDA_REG_STATESTS, 2), 0);
    hdabdl_mock_advance(t->m, 1);
    assert_int_equal(th_rd(t, HDA_REG_STATESTS, 2), 0x5);
}

static void test_no_codecs_leave_statests_empty(void **state)
{
    struct th *t = *state;
    t->cfg.codec_mask = 0;
    th_create(t);
    th_leave_reset(t);
    hdabdl_mock_advance(t->m, 10 * t->cfg.codec_wake_delay_ns);
    assert_int_equal(th_rd(t, HDA_REG_STATESTS, 2), 0);
}

static void test_entering_reset_cancels_the_codec_wake(void **state)
{
    struct th *t = *state;
    th_leave_reset(t);
    th_wr(t, HDA_REG_GCTL, 4, 0);
    hdabdl_mock_advance(t->m, t->cfg.codec_wake_delay_ns * 2);
    assert_int_equal(th_rd(t, HDA_REG_STATESTS, 2), 0);
}

static void test_writing_back_the_current_crst_cancels_the_handshake(void **state)
{
    struct th *t = *state;

    th_wr(t, HDA_REG_GCTL, 4, HDA_GCTL_CRST);
    hdabdl_mock_advance(t->m, t->cfg.crst_delay_ns / 2);
    th_wr(t, HDA_REG_GCTL, 4, 0);
    hdabdl_mock_advance(t->m, t->cfg.crst_delay_ns * 4);
    assert_int_equal(th_rd(t, HDA_REG_GCTL, 4), 0);
}

static void test_repeating_a_pending_crst_write_keeps_its_deadline(void **state)
{
    struct th *t = *state;

    th_wr(t, HDA_REG_GCTL, 4, HDA_GCTL_CRST);
    hdabdl_mock_advance(t->m, t->cfg.crst_delay_ns - 10);
    th_wr(t, HDA_REG_GCTL, 4, HDA_GCTL_CRST | HDA_GCTL_UNSOL);
    assert_int_equal(th_rd(t, HDA_REG_GCTL, 4), HDA_GCTL_UNSOL);   /* other bits land at once */
    hdabdl_mock_advance(t->m, 10);
    assert_int_equal(th_rd(t, HDA_REG_GCTL, 4), HDA_GCTL_CRST | HDA_GCTL_UNSOL);
}

static void test_crst_stuck_fault_keeps_crst(void **state)
{
    struct th *t = *state;

    hdabdl_mock_set_fault(t->m, HDABDL_MOCK_FAULT_CRST_STUCK, -1, true);
    th_wr(t, HDA_REG_GCTL, 4, HDA_GCTL_CRST);
    hdabdl_mock_advance(t->m, 1000000);
    assert_int_equal(th_rd(t, HDA_REG_GCTL, 4), 0);

    hdabdl_mock_set_fault(t->m, HDABDL_MOCK_FAULT_CRST_STUCK, -1, false);
    th_wr(t, HDA_REG_GCTL, 4, 0);
    th_leave_reset(t);

    hdabdl_mock_set_fault(t->m, HDABDL_MOCK_FAULT_CRST_STUCK, -1, true);
    th_wr(t, HDA_REG_GCTL, 4, 0);
    hdabdl_mock_advance(t->m, 1000000);
    assert_int_equal(th_rd(t, HDA_REG_GCTL, 4), HDA_GCTL_CRST);
}

static void test_zero_delay_handshakes_complete_on_the_write(void **state)
{
    struct th *t = *state;
    t->cfg.crst_delay_ns = 0;
    t->cfg.srst_delay_ns = 0;
    t->cfg.codec_wake_delay_ns = 0;
    t->cfg.run_stop_delay_ns = 0;
    t->cfg.fifo_ready_delay_ns = 0;
    th_create(t);

    th_wr(t, HDA_REG_GCTL, 4, HDA_GCTL_CRST);
    assert_int_equal(th_rd(t, HDA_REG_GCTL, 4), HDA_GCTL_CRST);
    assert_int_equal(th_rd(t, HDA_REG_STATESTS, 2), 0x1);
    th_set_ctl(t, TH_OUT0, HDA_SD_CTL_SRST);
    assert_int_equal(th_sd_rd(t, TH_OUT0, HDA_SD_CTL, 1), HDA_SD_CTL_SRST);
    th_clear_ctl(t, TH_OUT0, HDA_SD_CTL_SRST);
    th_run(t, TH_OUT0);
    assert_int_equal(th_sd_rd(t, TH_OUT0, HDA_SD_STS, 1), HDA_SD_STS_FIFORDY);
    th_clear_ctl(t, TH_OUT0, HDA_SD_CTL_RUN);
    assert_int_equal(th_sd_rd(t, TH_OUT0, HDA_SD_CTL, 4), 0);
}

/* ---- Wall clock ------------------------------------------------------------------- */

static void test_walclk_runs_at_24mhz(void **state)
{
    struct th *t = *state;
    th_leave_reset(t);

    assert_int_equal(th_rd(t, HDA_REG_WALCLK, 4), 0);
    hdabdl_mock_advance(t->m, 41);
    assert_int_equal(th_rd(t, HDA_REG_WALCLK, 4), 0);
    hdabdl_mock_advance(t->m, 1);           /* 42 ns: one 41.67 ns tick */
    assert_int_equal(th_rd(t, HDA_REG_WALCLK, 4), 1);
    hdabdl_mock_advance(t->m, 1000 - 42);
    assert_int_equal(th_rd(t, HDA_REG_WALCLK, 4), 24);
    hdabdl_mock_advance(t->m, 1000000000);
    assert_int_equal(th_rd(t, HDA_REG_WALCLK, 4), 24 + 24000000);
}

static void test_walclk_stops_in_reset_and_restarts_from_zero(void **state)
{
    struct th *t = *state;

    hdabdl_mock_advance(t->m, 100000);
    assert_int_equal(th_rd(t, HDA_REG_WALCLK, 4), 0);
    th_leave_reset(t);
    hdabdl_mock_advance(t->m, 10000);
    assert_int_equal(th_rd(t, HDA_REG_WALCLK, 4), 240);

    th_wr(t, HDA_REG_GCTL, 4, 0);
    hdabdl_mock_advance(t->m, t->cfg.crst_delay_ns);
    assert_int_equal(th_rd(t, HDA_REG_WALCLK, 4), 0);
    hdabdl_mock_advance(t->m, 10000);
    assert_int_equal(th_rd(t, HDA_REG_WALCLK, 4), 0);
    th_leave_reset(t);
    hdabdl_mock_advance(t->m, 1000);
    assert_int_equal(th_rd(t, HDA_REG_WALCLK, 4), 24);
}

static void test_walclk_wraps_modulo_2_to_the_32(void **state)
{
    struct th *t = *state;
    th_leave_reset(t);

    hdabdl_mock_advance(t->m, 180ull * 1000000000ull);
    assert_int_equal(th_rd(t, HDA_REG_WALCLK, 4), (uint32_t)(180ull * 24000000ull));
    assert_int_equal(th_rd(t, HDA_REG_WALCLK, 4), 25032704u);
}

static void test_alias_pointer_tracks_walclk(void **state)
{
    struct th *t = *state;
    const volatile uint32_t *p = hdabdl_mock_alias_pointer(t->m, HDA_REG_WALCLK_ALIAS);
    assert_non_null(p);
    th_leave_reset(t);
    hdabdl_mock_advance(t->m, 5000);
    assert_int_equal(*p, 120);
    assert_int_equal(th_rd(t, HDA_REG_WALCLK_ALIAS, 4), 120);
    assert_null(hdabdl_mock_alias_pointer(t->m, HDA_REG_WALCLK));
    assert_null(hdabdl_mock_alias_pointer(t->m, HDA_ALIAS_BASE));
    assert_null(hdabdl_mock_alias_pointer(t->m, HDA_SD_LPIB_ALIAS(8)));
    assert_null(hdabdl_mock_alias_pointer(t->m, HDA_SD_LPIB_ALIAS(0) + 4));
}

/* ---- Stream reset, RUN, FIFORDY ---------------------------------------------------------- */

static void test_srst_reads_back_only_after_the_handshake_delay(void **state)
{
    struct th *t = *state;
    const unsigned n = TH_OUT0;
    th_leave_reset(t);

    th_sd_wr(t, n, HDA_SD_CTL, 1, HDA_SD_CTL_SRST);
    assert_int_equal(th_sd_rd(t, n, HDA_SD_CTL, 1), 0);
    hdabdl_mock_advance(t->m, t->cfg.srst_delay_ns - 1);
    assert_int_equal(th_sd_rd(t, n, HDA_SD_CTL, 1), 0);
    hdabdl_mock_advance(t->m, 1);
    assert_int_equal(th_sd_rd(t, n, HDA_SD_CTL, 1), HDA_SD_CTL_SRST);

    th_sd_wr(t, n, HDA_SD_CTL, 1, 0);
    assert_int_equal(th_sd_rd(t, n, HDA_SD_CTL, 1), HDA_SD_CTL_SRST);
    hdabdl_mock_advance(t->m, t->cfg.srst_delay_ns - 1);
    assert_int_equal(th_sd_rd(t, n, HDA_SD_CTL, 1), HDA_SD_CTL_SRST);
    hdabdl_mock_advance(t->m, 1);
    assert_int_equal(th_sd_rd(t, n, HDA_SD_CTL, 1), 0);
    assert_int_equal(th_violations(t), 0);
}

static void test_srst_clears_the_stream_registers(void **state)
{
    struct th *t = *state;
    const unsigned n = TH_OUT0;
    th_leave_reset(t);
    th_simple_output(t, n, 3);
    th_sd_wr(t, n, HDA_SD_FIFOW, 2, 2);
    th_set_ctl(t, n, HDA_SD_CTL_IOCE | HDA_SD_CTL_TP);
    th_run(t, n);
    th_advance_frames(t, 5);
    assert_int_equal(th_sd_rd(t, n, HDA_SD_LPIB, 4), 20);
    th_clear_ctl(t, n, HDA_SD_CTL_RUN);
    hdabdl_mock_advance(t->m, t->cfg.run_stop_delay_ns);
    hdabdl_mock_inject_fifo_error(t->m, n);

    th_set_ctl(t, n, HDA_SD_CTL_SRST);
    hdabdl_mock_advance(t->m, t->cfg.srst_delay_ns);
    assert_int_equal(th_sd_rd(t, n, HDA_SD_CTL, 4), HDA_SD_CTL_SRST);   /* STS 0, FIFORDY 0 */
    assert_int_equal(th_sd_rd(t, n, HDA_SD_LPIB, 4), 0);
    assert_int_equal(th_sd_rd(t, n, HDA_SD_CBL, 4), 0);
    assert_int_equal(th_sd_rd(t, n, HDA_SD_LVI, 2), 0);
    assert_int_equal(th_sd_rd(t, n, HDA_SD_FIFOW, 2), 4);
    assert_int_equal(th_sd_rd(t, n, HDA_SD_FIFOS, 2), 0xBF);
    assert_int_equal(th_sd_rd(t, n, HDA_SD_FMT, 2), 0);
    assert_int_equal(th_sd_rd(t, n, HDA_SD_BDPL, 4), 0);
    assert_int_equal(th_sd_rd(t, n, HDA_SD_BDPU, 4), 0);
    assert_int_equal(th_rd(t, HDA_SD_LPIB_ALIAS(n), 4), 0);
    assert_int_equal(th_violations(t), 0);
}

static void test_srst_set_while_running_is_reported(void **state)
{
    struct th *t = *state;
    const unsigned n = TH_OUT0;
    th_leave_reset(t);
    th_run(t, n);

    uint32_t ctl = th_sd_rd(t, n, HDA_SD_CTL, 4);
    assert_int_equal(hdabdl_mock_mmio_write(t->m, HDA_SD_OFFSET(n, HDA_SD_CTL), 4,
                                            ctl | HDA_SD_CTL_SRST), -EINVAL);
    assert_int_equal(th_violation_kind(t, 0), HDABDL_MOCK_WRITE_WHILE_RUNNING);
    /* Applied anyway: the engine resets, RUN included. */
    hdabdl_mock_advance(t->m, t->cfg.srst_delay_ns);
    assert_int_equal(th_sd_rd(t, n, HDA_SD_CTL, 4), HDA_SD_CTL_SRST);
}

static void test_srst_faults_hold_the_bit(void **state)
{
    struct th *t = *state;
    th_leave_reset(t);

    hdabdl_mock_set_fault(t->m, HDABDL_MOCK_FAULT_SRST_NEVER_SET, TH_OUT0, true);
    th_sd_wr(t, TH_OUT0, HDA_SD_CTL, 1, HDA_SD_CTL_SRST);
    th_sd_wr(t, TH_OUT0 + 1, HDA_SD_CTL, 1, HDA_SD_CTL_SRST);
    hdabdl_mock_advance(t->m, 1000000);
    assert_int_equal(th_sd_rd(t, TH_OUT0, HDA_SD_CTL, 1), 0);
    assert_int_equal(th_sd_rd(t, TH_OUT0 + 1, HDA_SD_CTL, 1), HDA_SD_CTL_SRST);   /* per stream */

    hdabdl_mock_set_fault(t->m, HDABDL_MOCK_FAULT_SRST_NEVER_CLEAR, -1, true);
    th_sd_wr(t, TH_OUT0 + 1, HDA_SD_CTL, 1, 0);
    hdabdl_mock_advance(t->m, 1000000);
    assert_int_equal(th_sd_rd(t, TH_OUT0 + 1, HDA_SD_CTL, 1), HDA_SD_CTL_SRST);

    hdabdl_mock_set_fault(t->m, HDABDL_MOCK_FAULT_SRST_NEVER_CLEAR, -1, false);
    th_sd_wr(t, TH_OUT0 + 1, HDA_SD_CTL, 1, HDA_SD_CTL_SRST);   /* the lost request is gone */
    th_sd_wr(t, TH_OUT0 + 1, HDA_SD_CTL, 1, 0);
    hdabdl_mock_advance(t->m, t->cfg.srst_delay_ns);
    assert_int_equal(th_sd_rd(t, TH_OUT0 + 1, HDA_SD_CTL, 1), 0);
}

static void test_run_reads_one_until_the_stop_delay(void **state)
{
    struct th *t = *state;
    const unsigned n = TH_OUT0;
    th_leave_reset(t);

    th_run(t, n);
    assert_int_equal(th_sd_rd(t, n, HDA_SD_CTL, 1), HDA_SD_CTL_RUN);
    hdabdl_mock_advance(t->m, 100000);
    th_clear_ctl(t, n, HDA_SD_CTL_RUN);
    assert_int_equal(th_sd_rd(t, n, HDA_SD_CTL, 1), HDA_SD_CTL_RUN);
    hdabdl_mock_advance(t->m, t->cfg.run_stop_delay_ns - 1);
    th_clear_ctl(t, n, HDA_SD_CTL_RUN);   /* a second stop does not restart the delay */
    assert_int_equal(th_sd_rd(t, n, HDA_SD_CTL, 1), HDA_SD_CTL_RUN);
    hdabdl_mock_advance(t->m, 1);
    assert_int_equal(th_sd_rd(t, n, HDA_SD_CTL, 1), 0);
}

static void test_run_never_clears_fault(void **state)
{
    struct th *t = *state;
    th_leave_reset(t);
    hdabdl_mock_set_fault(t->m, HDABDL_MOCK_FAULT_RUN_NEVER_CLEARS, TH_OUT0, true);

    th_run(t, TH_OUT0);
    th_clear_ctl(t, TH_OUT0, HDA_SD_CTL_RUN);
    hdabdl_mock_advance(t->m, 10000000);
    assert_int_equal(th_sd_rd(t, TH_OUT0, HDA_SD_CTL, 1), HDA_SD_CTL_RUN);

    /* Once the fault is gone, a new stop request is acknowledged. */
    hdabdl_mock_set_fault(t->m, HDABDL_MOCK_FAULT_RUN_NEVER_CLEARS, TH_OUT0, false);
    hdabdl_mock_advance(t->m, 10000000);
    assert_int_equal(th_sd_rd(t, TH_OUT0, HDA_SD_CTL, 1), HDA_SD_CTL_RUN);
    th_clear_ctl(t, TH_OUT0, HDA_SD_CTL_RUN);
    hdabdl_mock_advance(t->m, t->cfg.run_stop_delay_ns - 1);
    assert_int_equal(th_sd_rd(t, TH_OUT0, HDA_SD_CTL, 1), HDA_SD_CTL_RUN);
    hdabdl_mock_advance(t->m, 1);
    assert_int_equal(th_sd_rd(t, TH_OUT0, HDA_SD_CTL, 1), 0);
}

static void test_fifordy_sets_after_the_fifo_delay_even_under_ssync(void **state)
{
    struct th *t = *state;
    const unsigned n = TH_OUT0;
    th_leave_reset(t);
    th_wr(t, HDA_REG_SSYNC, 4, 1u << n);

    th_run(t, n);
    assert_int_equal(th_sd_rd(t, n, HDA_SD_STS, 1), 0);
    hdabdl_mock_advance(t->m, t->cfg.fifo_ready_delay_ns - 1);
    assert_int_equal(th_sd_rd(t, n, HDA_SD_STS, 1), 0);
    hdabdl_mock_advance(t->m, 1);
    assert_int_equal(th_sd_rd(t, n, HDA_SD_STS, 1), HDA_SD_STS_FIFORDY);

    th_clear_ctl(t, n, HDA_SD_CTL_RUN);
    assert_int_equal(th_sd_rd(t, n, HDA_SD_STS, 1), 0);     /* clears with the stop */
}

static void test_fifordy_never_fault(void **state)
{
    struct th *t = *state;
    th_leave_reset(t);
    hdabdl_mock_set_fault(t->m, HDABDL_MOCK_FAULT_FIFORDY_NEVER, -1, true);
    th_run(t, TH_OUT0);
    hdabdl_mock_advance(t->m, 10000000);
    assert_int_equal(th_sd_rd(t, TH_OUT0, HDA_SD_STS, 1), 0);
}

static void test_write_while_running_is_reported_but_applied(void **state)
{
    struct th *t = *state;
    const unsigned n = TH_OUT0;
    static const struct { uint32_t reg; unsigned width; uint32_t value; } locked[] = {
        { HDA_SD_CBL, 4, 256 }, { HDA_SD_LVI, 2, 3 }, { HDA_SD_FMT, 2, 0x11 },
        { HDA_SD_BDPL, 4, 0x1000 }, { HDA_SD_BDPU, 4, 0 },
    };
    th_leave_reset(t);
    th_run(t, n);

    for (size_t i = 0; i < sizeof(locked) / sizeof(locked[0]); i++) {
        assert_int_equal(hdabdl_mock_mmio_write(t->m, HDA_SD_OFFSET(n, locked[i].reg), locked[i].width,
                                                locked[i].value), -EINVAL);
        assert_int_equal(th_violation_kind(t, i), HDABDL_MOCK_WRITE_WHILE_RUNNING);
        assert_int_equal(th_sd_rd(t, n, locked[i].reg, locked[i].width), locked[i].value);
    }
    /* FIFOW and the control bits are not run-locked. */
    th_sd_wr(t, n, HDA_SD_FIFOW, 2, 3);
    th_set_ctl(t, n, HDA_SD_CTL_IOCE);

    /* Still locked while RUN has not read back 0, free afterwards. */
    th_clear_ctl(t, n, HDA_SD_CTL_RUN);
    assert_int_equal(hdabdl_mock_mmio_write(t->m, HDA_SD_OFFSET(n, HDA_SD_CBL), 4, 512), -EINVAL);
    hdabdl_mock_advance(t->m, t->cfg.run_stop_delay_ns);
    th_sd_wr(t, n, HDA_SD_CBL, 4, 1024);
    assert_int_equal(th_violations(t), 6);
}

/* ---- Interrupts ---------------------------------------------------------------------- */

static void test_sis_requires_the_matching_enable(void **state)
{
    struct th *t = *state;
    const unsigned n = TH_OUT0;
    th_leave_reset(t);

    hdabdl_mock_inject_fifo_error(t->m, n);
    th_set_ctl(t, n, HDA_SD_CTL_IOCE | HDA_SD_CTL_DEIE);
    assert_int_equal(th_rd(t, HDA_REG_INTSTS, 4), 0);
    th_set_ctl(t, n, HDA_SD_CTL_FEIE);
    assert_int_equal(th_rd(t, HDA_REG_INTSTS, 4), HDA_INT_GLOBAL | (1u << n));
    th_sd_wr(t, n, HDA_SD_STS, 1, HDA_SD_STS_FIFOE);
    assert_int_equal(th_rd(t, HDA_REG_INTSTS, 4), 0);
}

static void test_irq_line_follows_gie_and_sie_and_is_reported_to_the_host(void **state)
{
    struct th *t = *state;
    const unsigned n = TH_OUT0;
    th_leave_reset(t);
    th_set_ctl(t, n, HDA_SD_CTL_FEIE);
    hdabdl_mock_inject_fifo_error(t->m, n);
    assert_false(hdabdl_mock_irq_asserted(t->m));

    th_wr(t, HDA_REG_INTCTL, 4, 1u << n);
    assert_false(hdabdl_mock_irq_asserted(t->m));
    th_wr(t, HDA_REG_INTCTL, 4, HDA_INT_GLOBAL | (1u << (n + 1)));
    assert_false(hdabdl_mock_irq_asserted(t->m));
    assert_int_equal(t->irq_changes, 0);
    th_wr(t, HDA_REG_INTCTL, 4, HDA_INT_GLOBAL | (1u << n));
    assert_true(hdabdl_mock_irq_asserted(t->m));
    assert_int_equal(t->irq_changes, 1);
    assert_true(t->irq_level);

    th_sd_wr(t, n, HDA_SD_STS, 1, HDA_SD_STS_FIFOE);
    assert_false(hdabdl_mock_irq_asserted(t->m));
    assert_int_equal(t->irq_changes, 2);
    assert_false(t->irq_level);
}

static void test_cis_reports_statests_enabled_by_wakeen(void **state)
{
    struct th *t = *state;
    th_leave_reset(t);
    hdabdl_mock_advance(t->m, t->cfg.codec_wake_delay_ns);
    th_wr(t, HDA_REG_INTCTL, 4, HDA_INT_GLOBAL | HDA_INT_CTRL);

    assert_int_equal(th_rd(t, HDA_REG_INTSTS, 4), 0);
    th_wr(t, HDA_REG_WAKEEN, 2, 0x1);
    assert_int_equal(th_rd(t, HDA_REG_INTSTS, 4), HDA_INT_GLOBAL | HDA_INT_CTRL);
    assert_true(hdabdl_mock_irq_asserted(t->m));
    th_wr(t, HDA_REG_INTCTL, 4, HDA_INT_GLOBAL);
    assert_false(hdabdl_mock_irq_asserted(t->m));
    th_wr(t, HDA_REG_INTCTL, 4, HDA_INT_GLOBAL | HDA_INT_CTRL);
    th_wr(t, HDA_REG_STATESTS, 2, 0x1);
    assert_int_equal(th_rd(t, HDA_REG_INTSTS, 4), 0);
    assert_false(hdabdl_mock_irq_asserted(t->m));
}

static void test_cis_reports_rirb_and_corb_status_with_their_enables(void **state)
{
    struct th *t = *state;
    th_leave_reset(t);
    /* Only the engines set RINTFL, OIS and CMEI (test_mock_verbs.c), so the
     * enables alone must not raise anything. */
    th_wr(t, HDA_REG_RIRBCTL, 1, HDA_RIRBCTL_RINTCTL | HDA_RIRBCTL_OIC);
    th_wr(t, HDA_REG_CORBCTL, 1, HDA_CORBCTL_CMEIE);
    th_wr(t, HDA_REG_INTCTL, 4, HDA_INT_GLOBAL | HDA_INT_CTRL);
    assert_int_equal(th_rd(t, HDA_REG_INTSTS, 4), 0);
    assert_false(hdabdl_mock_irq_asserted(t->m));
}

static void test_controller_reset_drops_the_interrupt_line(void **state)
{
    struct th *t = *state;
    th_leave_reset(t);
    th_set_ctl(t, TH_OUT0, HDA_SD_CTL_FEIE);
    hdabdl_mock_inject_fifo_error(t->m, TH_OUT0);
    th_wr(t, HDA_REG_INTCTL, 4, HDA_INT_GLOBAL | 0xFF);
    assert_true(hdabdl_mock_irq_asserted(t->m));

    th_wr(t, HDA_REG_GCTL, 4, 0);
    hdabdl_mock_advance(t->m, t->cfg.crst_delay_ns);
    assert_false(hdabdl_mock_irq_asserted(t->m));
    assert_false(t->irq_level);
}

/* ---- Locking ------------------------------------------------------------------------ */

struct advancer {
    struct hdabdl_mock *m;
    volatile bool done;
};

static void *advance_thread(void *arg)
{
    struct advancer *a = arg;
    for (int i = 0; i < 20000; i++)
        hdabdl_mock_advance(a->m, 1000);
    a->done = true;
    return NULL;
}

static void test_model_may_be_advanced_from_another_thread(void **state)
{
    struct th *t = *state;
    th_leave_reset(t);
    struct advancer a = { t->m, false };
    pthread_t thread;
    assert_int_equal(pthread_create(&thread, NULL, advance_thread, &a), 0);

    uint32_t last = 0;
    for (int i = 0; i < 20000; i++) {
        uint32_t now = th_rd(t, HDA_REG_WALCLK, 4);
        assert_true(now >= last);
        last = now;
    }
    assert_int_equal(pthread_join(thread, NULL), 0);
    assert_int_equal(th_rd(t, HDA_REG_WALCLK, 4), 20000u * 24u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_crst_reads_back_only_after_the_handshake_delay, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_entering_reset_restores_every_register, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_writes_before_crst_reads_one_are_dropped, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_codecs_appear_in_statests_after_the_wake_delay, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_no_codecs_leave_statests_empty, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_entering_reset_cancels_the_codec_wake, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_writing_back_the_current_crst_cancels_the_handshake, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_repeating_a_pending_crst_write_keeps_its_deadline, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_crst_stuck_fault_keeps_crst, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_zero_delay_handshakes_complete_on_the_write, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_walclk_runs_at_24mhz, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_walclk_stops_in_reset_and_restarts_from_zero, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_walclk_wraps_modulo_2_to_the_32, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_alias_pointer_tracks_walclk, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_srst_reads_back_only_after_the_handshake_delay, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_srst_clears_the_stream_registers, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_srst_set_while_running_is_reported, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_srst_faults_hold_the_bit, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_run_reads_one_until_the_stop_delay, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_run_never_clears_fault, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_fifordy_sets_after_the_fifo_delay_even_under_ssync, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_fifordy_never_fault, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_write_while_running_is_reported_but_applied, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_sis_requires_the_matching_enable, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_irq_line_follows_gie_and_sie_and_is_reported_to_the_host, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_cis_reports_statests_enabled_by_wakeen, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_cis_reports_rirb_and_corb_status_with_their_enables, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_controller_reset_drops_the_interrupt_line, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_model_may_be_advanced_from_another_thread, th_setup, th_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
