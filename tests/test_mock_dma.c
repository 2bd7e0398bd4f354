/* SPDX-License-Identifier: MIT */
/*
 * test_mock_dma.c - the mock controller's DMA engines in virtual time, driven
 * directly (no core): BDL walk, LPIB, BCIS, cadence per format, SSYNC, DMA
 * safety, position buffer, link taps and capture.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE   /* pthreads, clock_gettime, fork: tests build as plain C11 */
#endif

#include "test_mock_host.h"

#include <time.h>

#define BUF2 (TH_MEM_BASE + 0x10000)   /* a second data buffer */

/* ---- Output ------------------------------------------------------------------------- */

static void test_output_engine_sends_the_buffer_to_the_link_tap(void **state)
{
    struct th *t = *state;
    uint8_t got[256];
    th_leave_reset(t);
    th_simple_output(t, TH_OUT0, 1);
    th_run(t, TH_OUT0);

    th_advance_frames(t, 32);
    assert_int_equal(hdabdl_mock_link_tap_available(t->m, 1), 128);
    assert_int_equal(hdabdl_mock_link_tap_read(t->m, 1, got, sizeof(got)), 128);
    assert_memory_equal(got, th_ptr(t, TH_BUF), 128);
    assert_int_equal(hdabdl_mock_link_tap_available(t->m, 1), 0);
    assert_int_equal(th_violations(t), 0);
}

static void test_lpib_advances_one_block_per_frame_at_48k(void **state)
{
    struct th *t = *state;
    th_leave_reset(t);
    th_simple_output(t, TH_OUT0, 1);
    th_run(t, TH_OUT0);

    for (uint32_t f = 1; f <= 10; f++) {
        th_advance_frames(t, 1);
        assert_int_equal(th_sd_rd(t, TH_OUT0, HDA_SD_LPIB, 4), 4 * f);
    }
    /* Nothing between frames. */
    hdabdl_mock_advance(t->m, 20000);
    assert_int_equal(th_sd_rd(t, TH_OUT0, HDA_SD_LPIB, 4), 40);
}

static void test_lpib_wraps_at_cbl(void **state)
{
    struct th *t = *state;
    th_leave_reset(t);
    th_simple_output(t, TH_OUT0, 1);
    th_run(t, TH_OUT0);

    th_advance_frames(t, 31);
    assert_int_equal(th_sd_rd(t, TH_OUT0, HDA_SD_LPIB, 4), 124);
    th_advance_frames(t, 1);
    assert_int_equal(th_sd_rd(t, TH_OUT0, HDA_SD_LPIB, 4), 0);
    th_advance_frames(t, 1);
    assert_int_equal(th_sd_rd(t, TH_OUT0, HDA_SD_LPIB, 4), 4);
}

static void test_lpib_wraps_at_cbl_even_when_the_bdl_is_longer(void **state)
{
    struct th *t = *state;
    th_leave_reset(t);
    th_simple_output(t, TH_OUT0, 1);
    th_sd_wr(t, TH_OUT0, HDA_SD_CBL, 4, 100);
    th_run(t, TH_OUT0);

    for (int f = 0; f < 100; f++) {
        th_advance_frames(t, 1);
        assert_true(th_sd_rd(t, TH_OUT0, HDA_SD_LPIB, 4) < 100);
    }
    assert_int_equal(th_sd_rd(t, TH_OUT0, HDA_SD_LPIB, 4), 400 % 100);
    th_advance_frames(t, 5);
    assert_int_equal(th_sd_rd(t, TH_OUT0, HDA_SD_LPIB, 4), 20);
}

static void test_bcis_only_on_ioc_entries(void **state)
{
    struct th *t = *state;
    struct hdabdl_mock_stats s;
    th_leave_reset(t);
    th_simple_output(t, TH_OUT0, 1);
    th_put_bde(t, TH_BDL, 0, TH_BUF, 64, false);
    th_run(t, TH_OUT0);

    th_advance_frames(t, 16);                       /* entry 0 done: no IOC */
    assert_int_equal(th_sd_rd(t, TH_OUT0, HDA_SD_STS, 1) & HDA_SD_STS_BCIS, 0);
    th_advance_frames(t, 15);
    assert_int_equal(th_sd_rd(t, TH_OUT0, HDA_SD_STS, 1) & HDA_SD_STS_BCIS, 0);
    th_advance_frames(t, 1);                        /* entry 1 done: IOC */
    assert_int_equal(th_sd_rd(t, TH_OUT0, HDA_SD_STS, 1) & HDA_SD_STS_BCIS, HDA_SD_STS_BCIS);
    hdabdl_mock_get_stats(t->m, &s);
    assert_int_equal(s.bcis_raised, 1);

    th_sd_wr(t, TH_OUT0, HDA_SD_STS, 1, HDA_SD_STS_BCIS);
    th_advance_frames(t, 16);                       /* entry 0 again */
    assert_int_equal(th_sd_rd(t, TH_OUT0, HDA_SD_STS, 1) & HDA_SD_STS_BCIS, 0);
}

static void test_engine_crosses_entries_within_one_frame(void **state)
{
    struct th *t = *state;
    uint8_t got[32];
    th_leave_reset(t);
    /* 8 channels x 16 bit: 16-byte blocks; entries of 6, 10 and 16 bytes. */
    th_put_bde(t, TH_BDL, 0, TH_BUF, 6, true);
    th_put_bde(t, TH_BDL, 1, BUF2, 10, false);
    th_put_bde(t, TH_BDL, 2, TH_BUF + 0x100, 16, false);
    th_fill(t, TH_BUF, 6, 0x10);
    th_fill(t, BUF2, 10, 0x40);
    th_fill(t, TH_BUF + 0x100, 16, 0x80);
    th_program(t, TH_OUT0, TH_BDL, 32, 2, 0x0017, 1);
    th_run(t, TH_OUT0);

    th_advance_frames(t, 1);
    assert_int_equal(th_sd_rd(t, TH_OUT0, HDA_SD_LPIB, 4), 16);
    assert_int_equal(th_sd_rd(t, TH_OUT0, HDA_SD_STS, 1) & HDA_SD_STS_BCIS, HDA_SD_STS_BCIS);
    th_advance_frames(t, 1);
    assert_int_equal(th_sd_rd(t, TH_OUT0, HDA_SD_LPIB, 4), 0);
    assert_int_equal(hdabdl_mock_link_tap_read(t->m, 1, got, sizeof(got)), 32);
    assert_memory_equal(got, th_ptr(t, TH_BUF), 6);
    assert_memory_equal(got + 6, th_ptr(t, BUF2), 10);
    assert_memory_equal(got + 16, th_ptr(t, TH_BUF + 0x100), 16);
}

static void test_walk_wraps_to_entry_zero_after_lvi(void **state)
{
    struct th *t = *state;
    uint8_t got[132];
    th_leave_reset(t);
    th_simple_output(t, TH_OUT0, 1);
    th_put_bde(t, TH_BDL, 2, BUF2, 64, true);          /* beyond LVI: never used */
    th_fill(t, BUF2, 64, 0xC0);
    th_sd_wr(t, TH_OUT0, HDA_SD_CBL, 4, 192);
    th_run(t, TH_OUT0);

    th_advance_frames(t, 33);
    assert_int_equal(hdabdl_mock_link_tap_read(t->m, 1, got, sizeof(got)), 132);
    assert_memory_equal(got + 128, th_ptr(t, TH_BUF), 4);
}

static void test_zero_length_entries_are_skipped(void **state)
{
    struct th *t = *state;
    uint8_t got[128];
    th_leave_reset(t);
    th_put_bde(t, TH_BDL, 0, TH_BUF, 0, true);
    th_put_bde(t, TH_BDL, 1, TH_BUF, 64, false);
    th_put_bde(t, TH_BDL, 2, TH_BUF + 64, 0, true);
    th_put_bde(t, TH_BDL, 3, TH_BUF + 64, 64, false);
    th_fill(t, TH_BUF, 128, 7);
    th_program(t, TH_OUT0, TH_BDL, 128, 3, TH_FMT_48K_16_2CH, 1);
    th_run(t, TH_OUT0);

    th_advance_frames(t, 32);
    assert_int_equal(th_sd_rd(t, TH_OUT0, HDA_SD_LPIB, 4), 0);
    assert_int_equal(hdabdl_mock_link_tap_read(t->m, 1, got, sizeof(got)), 128);
    assert_memory_equal(got, th_ptr(t, TH_BUF), 128);
    assert_int_equal(th_sd_rd(t, TH_OUT0, HDA_SD_STS, 1) & HDA_SD_STS_BCIS, 0);   /* skipped, not completed */
    assert_int_equal(th_violations(t), 0);
}

static void test_a_bdl_of_only_zero_length_entries_moves_nothing_and_terminates(void **state)
{
    struct th *t = *state;
    th_leave_reset(t);
    for (unsigned i = 0; i < 256; i++)
        th_put_bde(t, TH_BDL, i, TH_BUF, 0, true);
    th_program(t, TH_OUT0, TH_BDL, 128, 255, TH_FMT_48K_16_2CH, 1);
    th_run(t, TH_OUT0);

    unsigned before = t->dma_reads;
    th_advance_frames(t, 48);
    assert_int_equal(th_sd_rd(t, TH_OUT0, HDA_SD_LPIB, 4), 0);
    assert_int_equal(hdabdl_mock_link_tap_available(t->m, 1), 0);
    assert_true(t->dma_reads - before <= 48u * 257u);     /* one lap per frame at most */
    assert_true(t->dma_reads - before >= 48u * 256u);
    assert_true(th_sd_rd(t, TH_OUT0, HDA_SD_CTL, 1) & HDA_SD_CTL_RUN);
    assert_int_equal(th_violations(t), 0);
}

static void test_cbl_zero_moves_no_data(void **state)
{
    struct th *t = *state;
    th_leave_reset(t);
    th_simple_output(t, TH_OUT0, 1);
    th_sd_wr(t, TH_OUT0, HDA_SD_CBL, 4, 0);
    th_run(t, TH_OUT0);
    th_advance_frames(t, 20);
    assert_int_equal(hdabdl_mock_link_tap_available(t->m, 1), 0);
    assert_int_equal(t->dma_reads, 0);
}

/* ---- Cadence and format ---------------------------------------------------------------- */

/* Bytes an output engine moved in @frames frames with format @fmt. */
static size_t bytes_in_frames(struct th *t, uint32_t fmt, uint64_t frames)
{
    th_leave_reset(t);
    th_put_bde(t, TH_BDL, 0, TH_BUF, 4096, false);
    th_put_bde(t, TH_BDL, 1, TH_BUF + 4096, 4096, false);
    th_program(t, TH_OUT0, TH_BDL, 8192, 1, fmt, 1);
    th_run(t, TH_OUT0);
    th_advance_frames(t, frames);
    return hdabdl_mock_link_tap_available(t->m, 1);
}

static void test_44k1_moves_44100_blocks_per_48000_frames(void **state)
{
    struct th *t = *state;
    assert_int_equal(bytes_in_frames(t, TH_FMT_44K1_16_2CH, 48000), 44100u * 4u);
}

static void test_44k1_never_moves_more_than_one_block_per_frame(void **state)
{
    struct th *t = *state;
    size_t last = bytes_in_frames(t, TH_FMT_44K1_16_2CH, 1);
    for (int f = 0; f < 500; f++) {
        th_advance_frames(t, 1);
        size_t now = hdabdl_mock_link_tap_available(t->m, 1);
        assert_true(now - last == 0 || now - last == 4);
        last = now;
    }
    assert_int_equal(last, (501u * 44100u / 48000u) * 4u);
}

static void test_96k_moves_two_blocks_per_frame(void **state)
{
    struct th *t = *state;
    assert_int_equal(bytes_in_frames(t, TH_FMT_96K_16_2CH, 10), 80);
}

static void test_8k_moves_one_block_every_six_frames(void **state)
{
    struct th *t = *state;
    assert_int_equal(bytes_in_frames(t, TH_FMT_8K_16_2CH, 5), 0);
    th_advance_frames(t, 1);
    assert_int_equal(hdabdl_mock_link_tap_available(t->m, 1), 4);
    th_advance_frames(t, 54);
    assert_int_equal(hdabdl_mock_link_tap_available(t->m, 1), 40);
}

static void test_block_size_follows_channels_and_container(void **state)
{
    struct th *t = *state;
    static const struct { uint32_t fmt; size_t bytes; } cases[] = {
        { 0x0000, 1 },    /* 8-bit mono: 1-byte container */
        { 0x0010, 2 },    /* 16-bit mono */
        { 0x0021, 8 },    /* 20-bit stereo: 4-byte containers */
        { 0x0031, 8 },    /* 24-bit stereo */
        { 0x0043, 16 },   /* 32-bit, 4 channels */
        { 0x001F, 32 },   /* 16-bit, 16 channels */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        th_create(t);
        assert_int_equal(bytes_in_frames(t, cases[i].fmt, 3), 3 * cases[i].bytes);
    }
}

/* ---- SSYNC, pause, reset ------------------------------------------------------------- */

static void test_ssync_bit_holds_a_running_stream(void **state)
{
    struct th *t = *state;
    th_leave_reset(t);
    th_simple_output(t, TH_OUT0, 1);
    th_wr(t, HDA_REG_SSYNC, 4, 1u << TH_OUT0);
    th_run(t, TH_OUT0);

    th_advance_frames(t, 10);
    assert_int_equal(th_sd_rd(t, TH_OUT0, HDA_SD_LPIB, 4), 0);
    assert_int_equal(th_sd_rd(t, TH_OUT0, HDA_SD_STS, 1), HDA_SD_STS_FIFORDY);
    assert_int_equal(t->dma_reads, 0);

    th_wr(t, HDA_REG_SSYNC, 4, 0);
    th_advance_frames(t, 10);
    assert_int_equal(th_sd_rd(t, TH_OUT0, HDA_SD_LPIB, 4), 40);
}

static void test_ssync_release_starts_streams_in_the_same_frame(void **state)
{
    struct th *t = *state;
    th_leave_reset(t);
    th_simple_output(t, TH_OUT0, 1);
    th_program(t, TH_OUT0 + 1, TH_BDL, 128, 1, TH_FMT_48K_16_2CH, 2);
    th_wr(t, HDA_REG_SSYNC, 4, 3u << TH_OUT0);
    th_run(t, TH_OUT0);
    hdabdl_mock_advance(t->m, 7000);
    th_run(t, TH_OUT0 + 1);
    hdabdl_mock_advance(t->m, 50000);

    th_wr(t, HDA_REG_SSYNC, 4, 0);
    th_advance_frames(t, 7);
    assert_int_equal(th_sd_rd(t, TH_OUT0, HDA_SD_LPIB, 4), 28);
    assert_int_equal(th_sd_rd(t, TH_OUT0 + 1, HDA_SD_LPIB, 4), 28);
}

static void test_pause_and_resume_continue_where_stopped(void **state)
{
    struct th *t = *state;
    uint8_t got[128];
    th_leave_reset(t);
    th_simple_output(t, TH_OUT0, 1);
    th_run(t, TH_OUT0);
    th_advance_frames(t, 10);

    th_clear_ctl(t, TH_OUT0, HDA_SD_CTL_RUN);
    hdabdl_mock_advance(t->m, 1000000);
    assert_int_equal(th_sd_rd(t, TH_OUT0, HDA_SD_CTL, 1), 0);
    assert_int_equal(th_sd_rd(t, TH_OUT0, HDA_SD_LPIB, 4), 40);

    th_run(t, TH_OUT0);
    th_advance_frames(t, 22);
    assert_int_equal(th_sd_rd(t, TH_OUT0, HDA_SD_LPIB, 4), 0);
    assert_int_equal(hdabdl_mock_link_tap_read(t->m, 1, got, sizeof(got)), 128);
    assert_memory_equal(got, th_ptr(t, TH_BUF), 128);
    assert_int_equal(th_violations(t), 0);
}

static void test_stop_halts_dma_at_once_although_run_still_reads_one(void **state)
{
    struct th *t = *state;
    th_leave_reset(t);
    th_simple_output(t, TH_OUT0, 1);
    th_run(t, TH_OUT0);
    th_advance_frames(t, 3);
    th_clear_ctl(t, TH_OUT0, HDA_SD_CTL_RUN);
    th_advance_frames(t, 1);
    assert_int_equal(th_sd_rd(t, TH_OUT0, HDA_SD_CTL, 1), HDA_SD_CTL_RUN);
    assert_int_equal(th_sd_rd(t, TH_OUT0, HDA_SD_LPIB, 4), 12);
}

static void test_restart_before_the_stop_is_acknowledged_keeps_running(void **state)
{
    struct th *t = *state;
    th_leave_reset(t);
    th_simple_output(t, TH_OUT0, 1);
    th_run(t, TH_OUT0);
    th_advance_frames(t, 2);
    th_clear_ctl(t, TH_OUT0, HDA_SD_CTL_RUN);
    hdabdl_mock_advance(t->m, 1000);
    th_run(t, TH_OUT0);   /* RUN still reads 1: this restarts the engine */
    hdabdl_mock_advance(t->m, 1000000);
    assert_int_equal(th_sd_rd(t, TH_OUT0, HDA_SD_CTL, 1), HDA_SD_CTL_RUN);
    assert_true(hdabdl_mock_link_tap_available(t->m, 1) > 8);
}

static void test_srst_zeroes_the_position_and_restarts_the_walk(void **state)
{
    struct th *t = *state;
    uint8_t got[8];
    th_leave_reset(t);
    th_simple_output(t, TH_OUT0, 1);
    th_run(t, TH_OUT0);
    th_advance_frames(t, 20);
    th_clear_ctl(t, TH_OUT0, HDA_SD_CTL_RUN);
    hdabdl_mock_advance(t->m, t->cfg.run_stop_delay_ns);
    th_set_ctl(t, TH_OUT0, HDA_SD_CTL_SRST);
    hdabdl_mock_advance(t->m, t->cfg.srst_delay_ns);
    th_clear_ctl(t, TH_OUT0, HDA_SD_CTL_SRST);
    hdabdl_mock_advance(t->m, t->cfg.srst_delay_ns);
    assert_int_equal(th_sd_rd(t, TH_OUT0, HDA_SD_LPIB, 4), 0);

    uint8_t drain[128];
    (void)hdabdl_mock_link_tap_read(t->m, 1, drain, sizeof(drain));
    th_simple_output(t, TH_OUT0, 1);
    th_run(t, TH_OUT0);
    th_advance_frames(t, 2);
    assert_int_equal(hdabdl_mock_link_tap_read(t->m, 1, got, sizeof(got)), 8);
    assert_memory_equal(got, th_ptr(t, TH_BUF), 8);
    assert_int_equal(th_violations(t), 0);
}

static void test_controller_reset_stops_streams_and_zeroes_positions(void **state)
{
    struct th *t = *state;
    th_leave_reset(t);
    th_simple_output(t, TH_OUT0, 1);
    th_run(t, TH_OUT0);
    th_advance_frames(t, 10);

    th_wr(t, HDA_REG_GCTL, 4, 0);
    hdabdl_mock_advance(t->m, t->cfg.crst_delay_ns);
    size_t moved = hdabdl_mock_link_tap_available(t->m, 1);
    th_leave_reset(t);
    th_advance_frames(t, 10);
    assert_int_equal(hdabdl_mock_link_tap_available(t->m, 1), moved);
    assert_int_equal(th_sd_rd(t, TH_OUT0, HDA_SD_LPIB, 4), 0);
    assert_int_equal(th_sd_rd(t, TH_OUT0, HDA_SD_CTL, 4), 0);
}

/* ---- DMA safety ------------------------------------------------------------------------ */

static void test_bdl_pointing_at_the_bar_sets_dese_and_touches_nothing(void **state)
{
    struct th *t = *state;
    struct hdabdl_mock_violation_record r;
    th_leave_reset(t);
    th_program(t, TH_OUT0, t->cfg.mmio_bus_address + 0x80, 128, 1, TH_FMT_48K_16_2CH, 1);
    th_set_ctl(t, TH_OUT0, HDA_SD_CTL_DEIE);
    th_wr(t, HDA_REG_INTCTL, 4, HDA_INT_GLOBAL | (1u << TH_OUT0));
    th_run(t, TH_OUT0);

    th_advance_frames(t, 1);
    assert_int_equal(t->dma_reads + t->dma_writes, 0);
    assert_int_equal(th_sd_rd(t, TH_OUT0, HDA_SD_STS, 1), HDA_SD_STS_DESE);
    assert_int_equal(th_sd_rd(t, TH_OUT0, HDA_SD_CTL, 1) & HDA_SD_CTL_RUN, 0);   /* at once */
    assert_int_equal(th_violations(t), 1);
    assert_true(hdabdl_mock_violation_get(t->m, 0, &r));
    assert_int_equal(r.kind, HDABDL_MOCK_DMA_INTO_MMIO);
    assert_int_equal(r.offset, (uint32_t)t->cfg.mmio_bus_address + 0x80);
    assert_false(r.write);
    assert_true(hdabdl_mock_irq_asserted(t->m));
    assert_int_equal(th_rd(t, HDA_REG_INTSTS, 4), HDA_INT_GLOBAL | (1u << TH_OUT0));

    th_advance_frames(t, 10);
    assert_int_equal(th_violations(t), 1);      /* the engine stays stopped */
}

static void test_data_in_the_bar_sets_dese_and_touches_nothing(void **state)
{
    struct th *t = *state;
    th_leave_reset(t);
    th_put_bde(t, TH_BDL, 0, t->cfg.mmio_bus_address + HDA_MMIO_SIZE - 2, 64, false);
    th_put_bde(t, TH_BDL, 1, TH_BUF, 64, false);
    th_program(t, TH_OUT0, TH_BDL, 128, 1, TH_FMT_48K_16_2CH, 1);
    th_run(t, TH_OUT0);

    th_advance_frames(t, 1);
    assert_int_equal(t->dma_reads, 1);          /* the descriptor only */
    assert_int_equal(th_sd_rd(t, TH_OUT0, HDA_SD_STS, 1), HDA_SD_STS_DESE);
    assert_int_equal(th_violation_kind(t, 0), HDABDL_MOCK_DMA_INTO_MMIO);
    assert_int_equal(hdabdl_mock_link_tap_available(t->m, 1), 0);
    assert_int_equal(th_sd_rd(t, TH_OUT0, HDA_SD_LPIB, 4), 0);
}

static void test_capture_into_the_bar_is_refused(void **state)
{
    struct th *t = *state;
    th_leave_reset(t);
    th_put_bde(t, TH_BDL, 0, t->cfg.mmio_bus_address - 2, 64, false);
    th_put_bde(t, TH_BDL, 1, TH_BUF, 64, false);
    th_program(t, TH_IN0, TH_BDL, 128, 1, TH_FMT_48K_16_2CH, 1);
    th_run(t, TH_IN0);
    th_advance_frames(t, 1);
    assert_int_equal(t->dma_writes, 0);
    assert_int_equal(th_violation_kind(t, 0), HDABDL_MOCK_DMA_INTO_MMIO);
    assert_int_equal(th_sd_rd(t, TH_IN0, HDA_SD_STS, 1), HDA_SD_STS_DESE);
}

/* A BDL entry as bytes in memory: 64-bit address, 32-bit length, 32-bit IOC
 * word, each little-endian (whatever the host's byte order). */
static void test_bdl_entries_are_read_as_little_endian_bytes(void **state)
{
    struct th *t = *state;
    static const uint8_t entries[32] = {
        0x00, 0x10, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00,   /* TH_BUF (0x00101000) */
        0x40, 0x00, 0x00, 0x00,                           /* 64 bytes */
        0x00, 0x00, 0x00, 0x00,                           /* no IOC */
        0x00, 0x00, 0x11, 0x00, 0x00, 0x00, 0x00, 0x00,   /* BUF2 (0x00110000) */
        0x20, 0x00, 0x00, 0x00,                           /* 32 bytes */
        0x01, 0x00, 0x00, 0x00,                           /* IOC */
    };
    uint8_t got[96];
    th_leave_reset(t);
    memcpy(th_ptr(t, TH_BDL), entries, sizeof(entries));
    th_fill(t, TH_BUF, 64, 0x10);
    th_fill(t, BUF2, 32, 0x80);
    th_program(t, TH_OUT0, TH_BDL, 96, 1, TH_FMT_48K_16_2CH, 1);
    th_run(t, TH_OUT0);
    th_advance_frames(t, 16);   /* entry 0 only */
    assert_int_equal(th_sd_rd(t, TH_OUT0, HDA_SD_STS, 1) & HDA_SD_STS_BCIS, 0);
    th_advance_frames(t, 8);    /* and entry 1 */
    assert_int_equal(th_sd_rd(t, TH_OUT0, HDA_SD_STS, 1) & HDA_SD_STS_BCIS, HDA_SD_STS_BCIS);
    assert_int_equal(hdabdl_mock_link_tap_read(t->m, 1, got, sizeof(got)), 96);
    assert_memory_equal(got, th_ptr(t, TH_BUF), 64);
    assert_memory_equal(got + 64, th_ptr(t, BUF2), 32);
    assert_int_equal(th_violations(t), 0);
}

static void test_failed_bdl_fetch_sets_dese_and_stops_the_engine(void **state)
{
    struct th *t = *state;
    struct hdabdl_mock_violation_record r;
    th_leave_reset(t);
    th_program(t, TH_OUT0, 0x80000000u, 128, 1, TH_FMT_48K_16_2CH, 1);
    th_run(t, TH_OUT0);
    th_advance_frames(t, 1);

    assert_int_equal(th_sd_rd(t, TH_OUT0, HDA_SD_STS, 1), HDA_SD_STS_DESE);
    assert_int_equal(th_sd_rd(t, TH_OUT0, HDA_SD_CTL, 1), 0);
    assert_true(hdabdl_mock_violation_get(t->m, 0, &r));
    assert_int_equal(r.kind, HDABDL_MOCK_DMA_FAULT);
    assert_int_equal(r.offset, 0x80000000u);
    assert_int_equal(r.value, 16);
    assert_false(hdabdl_mock_irq_asserted(t->m));   /* DEIE off */
}

static void test_failed_capture_write_sets_dese(void **state)
{
    struct th *t = *state;
    th_leave_reset(t);
    th_put_bde(t, TH_BDL, 0, 0x70000000u, 64, false);
    th_put_bde(t, TH_BDL, 1, 0x70000040u, 64, false);
    th_program(t, TH_IN0, TH_BDL, 128, 1, TH_FMT_48K_16_2CH, 1);
    th_run(t, TH_IN0);
    th_advance_frames(t, 1);
    assert_int_equal(th_sd_rd(t, TH_IN0, HDA_SD_STS, 1), HDA_SD_STS_DESE);
    struct hdabdl_mock_violation_record r;
    assert_true(hdabdl_mock_violation_get(t->m, 0, &r));
    assert_int_equal(r.kind, HDABDL_MOCK_DMA_FAULT);
    assert_true(r.write);
}

static void test_a_device_without_64ok_refuses_high_addresses(void **state)
{
    struct th *t = *state;
    t->cfg.addr64 = false;
    th_create(t);
    th_leave_reset(t);
    th_program(t, TH_OUT0, TH_BDL | (1ull << 32), 128, 1, TH_FMT_48K_16_2CH, 1);
    th_run(t, TH_OUT0);
    th_advance_frames(t, 1);
    assert_int_equal(t->dma_reads, 0);
    assert_int_equal(th_violation_kind(t, 0), HDABDL_MOCK_DMA_FAULT);
    assert_int_equal(th_sd_rd(t, TH_OUT0, HDA_SD_STS, 1), HDA_SD_STS_DESE);
}

/* ---- Position buffer, alias page ------------------------------------------------------ */

static void test_dma_position_buffer_tracks_lpib(void **state)
{
    struct th *t = *state;
    const uint64_t slot = TH_POSBUF + 8u * TH_OUT0;
    th_leave_reset(t);
    th_put32(t, slot, 0xAAAAAAAAu);
    th_simple_output(t, TH_OUT0, 1);
    th_wr(t, HDA_REG_DPLBASE, 4, (uint32_t)TH_POSBUF);     /* not enabled yet */
    th_run(t, TH_OUT0);
    th_advance_frames(t, 3);
    assert_int_equal(th_get32(t, slot), 0xAAAAAAAAu);

    th_wr(t, HDA_REG_DPLBASE, 4, (uint32_t)TH_POSBUF | HDA_DPLBASE_ENABLE);
    for (int f = 0; f < 40; f++) {
        th_advance_frames(t, 1);
        assert_int_equal(th_get32(t, slot), th_sd_rd(t, TH_OUT0, HDA_SD_LPIB, 4));
    }
    assert_int_equal(th_get32(t, TH_POSBUF), 0);   /* other slots untouched */
    assert_int_equal(th_violations(t), 0);
}

static void test_position_buffer_is_written_only_in_frames_that_moved_data(void **state)
{
    struct th *t = *state;
    const uint64_t slot = TH_POSBUF + 8u * TH_OUT0;
    th_leave_reset(t);
    th_simple_output(t, TH_OUT0, 1);
    th_sd_wr(t, TH_OUT0, HDA_SD_FMT, 2, TH_FMT_8K_16_2CH);
    th_wr(t, HDA_REG_DPLBASE, 4, (uint32_t)TH_POSBUF | HDA_DPLBASE_ENABLE);
    th_run(t, TH_OUT0);
    th_advance_frames(t, 6);
    unsigned writes = t->dma_writes;
    assert_int_equal(writes, 1);
    assert_int_equal(th_get32(t, slot), 4);
    th_advance_frames(t, 5);
    assert_int_equal(t->dma_writes, writes);
}

/* The slot is one little-endian dword at 8 * n; the dword after it stays as it was. */
static void test_position_buffer_slot_is_a_little_endian_dword(void **state)
{
    struct th *t = *state;
    uint8_t *slot = th_ptr(t, TH_POSBUF + 8u * TH_OUT0);
    th_leave_reset(t);
    memset(slot, 0xCC, 8);
    th_put_bde(t, TH_BDL, 0, TH_BUF, 0x1000, false);
    th_put_bde(t, TH_BDL, 1, TH_BUF + 0x1000, 0x1000, false);
    th_program(t, TH_OUT0, TH_BDL, 0x2000, 1, TH_FMT_48K_16_2CH, 1);
    th_wr(t, HDA_REG_DPLBASE, 4, (uint32_t)TH_POSBUF | HDA_DPLBASE_ENABLE);
    th_run(t, TH_OUT0);
    th_advance_frames(t, 0x101);   /* 4 bytes a frame: LPIB 0x404 */
    assert_int_equal(th_sd_rd(t, TH_OUT0, HDA_SD_LPIB, 4), 0x404);
    static const uint8_t want[8] = { 0x04, 0x04, 0x00, 0x00, 0xCC, 0xCC, 0xCC, 0xCC };
    assert_memory_equal(slot, want, sizeof(want));
    assert_int_equal(th_violations(t), 0);
}

static void test_alias_page_mirrors_lpib(void **state)
{
    struct th *t = *state;
    const volatile uint32_t *p = hdabdl_mock_alias_pointer(t->m, HDA_SD_LPIB_ALIAS(TH_OUT0));
    assert_non_null(p);
    th_leave_reset(t);
    th_simple_output(t, TH_OUT0, 1);
    th_run(t, TH_OUT0);

    for (int f = 0; f < 40; f++) {
        th_advance_frames(t, 1);
        uint32_t lpib = th_sd_rd(t, TH_OUT0, HDA_SD_LPIB, 4);
        assert_int_equal(th_rd(t, HDA_SD_LPIB_ALIAS(TH_OUT0), 4), lpib);
        assert_int_equal(*p, lpib);
    }
    assert_int_equal(hdabdl_mock_mmio_write(t->m, HDA_SD_LPIB_ALIAS(TH_OUT0), 4, 0x1234), -EINVAL);
    assert_int_equal(th_violation_kind(t, 0), HDABDL_MOCK_READ_ONLY_WRITE);
}

/* ---- Capture, bidirectional, link taps ------------------------------------------------- */

struct capture_log {
    uint8_t tag;
    uint8_t next;
    size_t bytes;
};

static void counting_source(void *ctx, uint8_t tag, void *buf, size_t len)
{
    struct capture_log *log = ctx;
    log->tag = tag;
    for (size_t i = 0; i < len; i++)
        ((uint8_t *)buf)[i] = log->next++;
    log->bytes += len;
}

static void test_capture_engine_writes_source_data(void **state)
{
    struct th *t = *state;
    struct capture_log log = { 0, 0, 0 };
    th_leave_reset(t);
    hdabdl_mock_set_capture_source(t->m, counting_source, &log);
    th_put_bde(t, TH_BDL, 0, TH_BUF, 64, true);
    th_put_bde(t, TH_BDL, 1, TH_BUF + 64, 64, true);
    memset(th_ptr(t, TH_BUF), 0xEE, 128);
    th_program(t, TH_IN0, TH_BDL, 128, 1, TH_FMT_48K_16_2CH, 2);
    th_run(t, TH_IN0);

    th_advance_frames(t, 16);
    assert_int_equal(log.tag, 2);
    assert_int_equal(log.bytes, 64);
    for (int i = 0; i < 64; i++)
        assert_int_equal(th_ptr(t, TH_BUF)[i], i);
    assert_int_equal(th_ptr(t, TH_BUF)[64], 0xEE);
    assert_int_equal(th_sd_rd(t, TH_IN0, HDA_SD_STS, 1) & HDA_SD_STS_BCIS, HDA_SD_STS_BCIS);
    assert_int_equal(th_sd_rd(t, TH_IN0, HDA_SD_LPIB, 4), 64);
    struct hdabdl_mock_stats s;
    hdabdl_mock_get_stats(t->m, &s);
    assert_int_equal(s.dma_bytes_written, 64);
}

static void test_capture_without_a_source_writes_zeros(void **state)
{
    struct th *t = *state;
    th_leave_reset(t);
    th_put_bde(t, TH_BDL, 0, TH_BUF, 64, false);
    th_put_bde(t, TH_BDL, 1, TH_BUF + 64, 64, false);
    memset(th_ptr(t, TH_BUF), 0xEE, 128);
    th_program(t, TH_IN0, TH_BDL, 128, 1, TH_FMT_48K_16_2CH, 2);
    th_run(t, TH_IN0);
    th_advance_frames(t, 8);
    for (int i = 0; i < 32; i++)
        assert_int_equal(th_ptr(t, TH_BUF)[i], 0);
    assert_int_equal(th_ptr(t, TH_BUF)[32], 0xEE);
    assert_int_equal(hdabdl_mock_link_tap_available(t->m, 2), 0);
}

static void test_bidir_engine_direction_follows_the_dir_bit(void **state)
{
    struct th *t = *state;
    t->cfg.input_streams = 0;
    t->cfg.output_streams = 0;
    t->cfg.bidir_streams = 1;
    th_create(t);
    th_leave_reset(t);

    th_simple_output(t, 0, 3);
    th_set_ctl(t, 0, HDA_SD_CTL_DIR);
    th_run(t, 0);
    th_advance_frames(t, 4);
    assert_int_equal(hdabdl_mock_link_tap_available(t->m, 3), 16);
    assert_int_equal(t->dma_writes, 0);

    th_clear_ctl(t, 0, HDA_SD_CTL_RUN);
    hdabdl_mock_advance(t->m, t->cfg.run_stop_delay_ns);
    th_clear_ctl(t, 0, HDA_SD_CTL_DIR);
    th_run(t, 0);
    th_advance_frames(t, 4);
    assert_int_equal(hdabdl_mock_link_tap_available(t->m, 3), 16);
    assert_int_equal(t->dma_writes, 4);
    assert_int_equal(th_ptr(t, TH_BUF)[16], 0);    /* capture zeros after the 16 rendered bytes */
    assert_int_equal(th_violations(t), 0);
}

static void test_link_tap_drops_the_oldest_bytes_when_full(void **state)
{
    struct th *t = *state;
    uint8_t got[128];
    t->cfg.link_tap_capacity = 64;
    th_create(t);
    th_leave_reset(t);
    th_simple_output(t, TH_OUT0, 1);
    th_run(t, TH_OUT0);

    th_advance_frames(t, 40);        /* 160 bytes */
    assert_int_equal(hdabdl_mock_link_tap_available(t->m, 1), 64);
    assert_int_equal(hdabdl_mock_link_tap_dropped(t->m, 1), 96);
    assert_int_equal(hdabdl_mock_link_tap_read(t->m, 1, got, sizeof(got)), 64);
    /* The newest 64 bytes: stream bytes 96..159, i.e. buffer bytes 96..127 then 0..31. */
    assert_memory_equal(got, th_ptr(t, TH_BUF + 96), 32);
    assert_memory_equal(got + 32, th_ptr(t, TH_BUF), 32);
}

static void test_link_tap_reads_in_pieces_across_the_ring_wrap(void **state)
{
    struct th *t = *state;
    uint8_t got[128], piece[24];
    size_t have = 0;
    t->cfg.link_tap_capacity = 40;      /* a small ring, so reads wrap around it */
    th_create(t);
    th_leave_reset(t);
    th_simple_output(t, TH_OUT0, 1);
    th_run(t, TH_OUT0);
    for (int round = 0; round < 40; round++) {
        th_advance_frames(t, 5);
        size_t n;
        while ((n = hdabdl_mock_link_tap_read(t->m, 1, piece, sizeof(piece))) > 0) {
            for (size_t i = 0; i < n; i++, have++)
                got[have % 128] = piece[i];
            if (have % 128 == 0)
                assert_memory_equal(got, th_ptr(t, TH_BUF), 128);
        }
    }
    assert_int_equal(have, 40 * 5 * 4);
    assert_int_equal(hdabdl_mock_link_tap_dropped(t->m, 1), 0);
}

static void test_link_tap_keeps_streams_apart_by_tag(void **state)
{
    struct th *t = *state;
    uint8_t a[16], b[16];
    th_leave_reset(t);
    th_simple_output(t, TH_OUT0, 1);
    th_put_bde(t, TH_BDL + 0x80, 0, BUF2, 64, false);
    th_put_bde(t, TH_BDL + 0x80, 1, BUF2 + 64, 64, false);
    th_fill(t, BUF2, 128, 0x80);
    th_program(t, TH_OUT0 + 1, TH_BDL + 0x80, 128, 1, TH_FMT_48K_16_2CH, 9);
    th_run(t, TH_OUT0);
    th_run(t, TH_OUT0 + 1);

    th_advance_frames(t, 4);
    assert_int_equal(hdabdl_mock_link_tap_read(t->m, 1, a, sizeof(a)), 16);
    assert_int_equal(hdabdl_mock_link_tap_read(t->m, 9, b, sizeof(b)), 16);
    assert_memory_equal(a, th_ptr(t, TH_BUF), 16);
    assert_memory_equal(b, th_ptr(t, BUF2), 16);
    assert_int_equal(hdabdl_mock_link_tap_available(t->m, 0), 0);
    assert_int_equal(hdabdl_mock_link_tap_available(t->m, 2), 0);
}

static void test_inject_fifo_error_sets_fifoe_now(void **state)
{
    struct th *t = *state;
    th_leave_reset(t);
    hdabdl_mock_inject_fifo_error(t->m, TH_IN0 + 1);
    assert_int_equal(th_sd_rd(t, TH_IN0 + 1, HDA_SD_STS, 1), HDA_SD_STS_FIFOE);
    assert_int_equal(th_sd_rd(t, TH_IN0, HDA_SD_STS, 1), 0);
    hdabdl_mock_inject_fifo_error(t->m, 99);     /* no such engine: ignored */
}

static void test_bcis_raises_the_interrupt_only_with_ioce(void **state)
{
    struct th *t = *state;
    th_leave_reset(t);
    th_simple_output(t, TH_OUT0, 1);
    th_wr(t, HDA_REG_INTCTL, 4, HDA_INT_GLOBAL | (1u << TH_OUT0));
    th_run(t, TH_OUT0);
    th_advance_frames(t, 16);
    assert_int_equal(th_sd_rd(t, TH_OUT0, HDA_SD_STS, 1) & HDA_SD_STS_BCIS, HDA_SD_STS_BCIS);
    assert_false(hdabdl_mock_irq_asserted(t->m));

    th_set_ctl(t, TH_OUT0, HDA_SD_CTL_IOCE);
    assert_true(hdabdl_mock_irq_asserted(t->m));
    assert_true(t->irq_level);
    th_sd_wr(t, TH_OUT0, HDA_SD_STS, 1, HDA_SD_STS_BCIS);
    assert_false(hdabdl_mock_irq_asserted(t->m));
    th_advance_frames(t, 16);
    assert_true(hdabdl_mock_irq_asserted(t->m));
    assert_int_equal(t->irq_changes, 3);
}

/* ---- Speed ---------------------------------------------------------------------------- */

static double seconds_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void test_one_second_of_four_streams_is_cheap(void **state)
{
    struct th *t = *state;
    th_leave_reset(t);
    th_wr(t, HDA_REG_DPLBASE, 4, (uint32_t)TH_POSBUF | HDA_DPLBASE_ENABLE);
    for (unsigned i = 0; i < 4; i++) {
        uint64_t bdl = TH_BDL + 0x100u * i;
        th_put_bde(t, bdl, 0, TH_BUF + 0x4000u * i, 0x2000, true);
        th_put_bde(t, bdl, 1, TH_BUF + 0x4000u * i + 0x2000, 0x2000, true);
        th_program(t, TH_OUT0 + i, bdl, 0x4000, 1, 0x0031, (uint8_t)(i + 1));   /* 24-bit stereo */
        th_run(t, TH_OUT0 + i);
    }
    double start = seconds_now();
    hdabdl_mock_advance(t->m, 1000000000);
    double elapsed = seconds_now() - start;

    for (uint8_t tag = 1; tag <= 4; tag++)
        assert_int_equal(hdabdl_mock_link_tap_available(t->m, tag), 48000u * 8u);
    assert_int_equal(th_violations(t), 0);
    /* Well under 100 ms natively; generous for sanitizer builds. */
    assert_true(elapsed < 0.5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_output_engine_sends_the_buffer_to_the_link_tap, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_lpib_advances_one_block_per_frame_at_48k, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_lpib_wraps_at_cbl, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_lpib_wraps_at_cbl_even_when_the_bdl_is_longer, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_bcis_only_on_ioc_entries, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_engine_crosses_entries_within_one_frame, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_walk_wraps_to_entry_zero_after_lvi, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_zero_length_entries_are_skipped, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_a_bdl_of_only_zero_length_entries_moves_nothing_and_terminates, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_cbl_zero_moves_no_data, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_44k1_moves_44100_blocks_per_48000_frames, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_44k1_never_moves_more_than_one_block_per_frame, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_96k_moves_two_blocks_per_frame, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_8k_moves_one_block_every_six_frames, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_block_size_follows_channels_and_container, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_ssync_bit_holds_a_running_stream, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_ssync_release_starts_streams_in_the_same_frame, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_pause_and_resume_continue_where_stopped, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_stop_halts_dma_at_once_although_run_still_reads_one, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_restart_before_the_stop_is_acknowledged_keeps_running, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_srst_zeroes_the_position_and_restarts_the_walk, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_controller_reset_stops_streams_and_zeroes_positions, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_bdl_pointing_at_the_bar_sets_dese_and_touches_nothing, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_data_in_the_bar_sets_dese_and_touches_nothing, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_capture_into_the_bar_is_refused, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_bdl_entries_are_read_as_little_endian_bytes, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_failed_bdl_fetch_sets_dese_and_stops_the_engine, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_failed_capture_write_sets_dese, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_a_device_without_64ok_refuses_high_addresses, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_dma_position_buffer_tracks_lpib, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_position_buffer_is_written_only_in_frames_that_moved_data, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_position_buffer_slot_is_a_little_endian_dword, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_alias_page_mirrors_lpib, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_capture_engine_writes_source_data, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_capture_without_a_source_writes_zeros, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_bidir_engine_direction_follows_the_dir_bit, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_link_tap_drops_the_oldest_bytes_when_full, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_link_tap_reads_in_pieces_across_the_ring_wrap, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_link_tap_keeps_streams_apart_by_tag, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_inject_fifo_error_sets_fifoe_now, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_bcis_raises_the_interrupt_only_with_ioce, th_setup, th_teardown),
        cmocka_unit_test_setup_teardown(test_one_second_of_four_streams_is_cheap, th_setup, th_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
