/* SPDX-License-Identifier: MIT */
/*
 * test_ddi_busbuf.c - AllocateDmaBuffer / FreeDmaBuffer (V1): the bus
 * allocates the buffer, describes it in an MDL, builds the BDL itself and
 * programs the engine (ddi.md §4.5-4.6, §6.1, §6.4).
 */
#include "support/fixture.h"
#include "test_bdl_util.h"

#include "core/internal.h"   /* the engine's BDL page, to read what the controller reads */

#include <string.h>

#define SIZE 19200u            /* 100 ms at 48 kHz, 16-bit stereo */
#define MIB16 (16u << 20)

/* A render engine (default format) without a buffer. */
static void bus_engine(struct fx *fx, struct fx_bus *b)
{
    struct hdabdl_stream_format f = fx_format_default();
    fx_bus_engine(fx->client, &f, b);
}

/* A render engine (default format) with a V1 buffer of @requested bytes. */
static void bus_buffer(struct fx *fx, size_t requested, struct fx_bus *b)
{
    struct hdabdl_stream_format f = fx_format_default();
    fx_bus_render(fx->client, &f, 0, requested, b);
}

/* Allocated size for @requested in format @f (asserting success), engine freed again. */
static size_t allocated_for(struct fx *fx, const struct hdabdl_stream_format *f, size_t requested)
{
    struct fx_bus b;
    fx_bus_engine(fx->client, f, &b);
    assert_status(fx_bus_try_alloc(&b, 0, requested), HDABDL_STATUS_SUCCESS);
    size_t got = b.allocated;
    assert_status(fx_bus_free(&b), HDABDL_STATUS_SUCCESS);
    assert_status(hdabdl_free_dma_engine(fx->client, b.handle), HDABDL_STATUS_SUCCESS);
    return got;
}

/* The BDL the engine's BDPL/BDPU point at (the library's own page). */
static const struct hdabdl_buffer_descriptor *engine_bdl(struct fx *fx, const struct fx_bus *b)
{
    const struct engine *e = &fx->ctrl->engines[b->sd];
    uint64_t bdp = (uint64_t)fx_sd_reg(fx, b->sd, HDA_SD_BDPU, 4) << 32 |
                   fx_sd_reg(fx, b->sd, HDA_SD_BDPL, 4);
    assert_int_equal(bdp, e->bdl.bus);
    assert_non_null(e->bdl.cpu);
    return e->bdl.cpu;
}

/* Entries 0..SD_LVI, walked together with the MDL's pages: each entry is the
 * next bytes of the pages, in order, and together they are the whole buffer. */
static void assert_bdl_covers_the_mdl_pages_in_order(struct fx *fx, const struct fx_bus *b)
{
    const struct hdabdl_buffer_descriptor *bdl = engine_bdl(fx, b);
    uint32_t lvi = fx_sd_reg(fx, b->sd, HDA_SD_LVI, 2) & 0xFFu;
    const struct hdabdl_mdl *mdl = b->mdl;
    uint32_t page = 0;
    size_t in_page = mdl->byte_offset, covered = 0;

    for (uint32_t i = 0; i <= lvi; i++) {
        uint64_t addr = bdl_entry_address(bdl, i);
        size_t left = bdl_entry_length(bdl, i);
        assert_true(left > 0);
        assert_int_equal(addr % HDA_BDL_FRAGMENT_ALIGN, 0);
        while (left > 0) {
            assert_true(page < mdl->page_count);
            size_t chunk = mdl->pages[page].size - in_page;
            if (chunk > left)
                chunk = left;
            assert_int_equal(addr, mdl->pages[page].bus + in_page);
            addr += chunk;
            left -= chunk;
            in_page += chunk;
            covered += chunk;
            if (in_page == mdl->pages[page].size) {
                page++;
                in_page = 0;
            }
        }
    }
    assert_int_equal(covered, b->allocated);
}

static void fill_pattern(const struct fx_bus *b)
{
    for (size_t i = 0; i < b->allocated; i++)
        *fx_mdl_byte(b->mdl, i) = (uint8_t)(i * 7u + (i >> 8) + 1u);
}

/* Run the engine and check that what reached the link is the buffer, in order, wrapping. */
static void assert_link_carries_the_buffer(struct fx *fx, struct fx_bus *b)
{
    static uint8_t out[2 * SIZE + SIZE / 2];
    fill_pattern(b);
    fx_bus_start(b);
    fx_advance_ms(fx, 260);
    size_t n = hdabdl_mock_link_tap_read(fx->dev, b->tag, out, sizeof(out));
    assert_int_equal(n, sizeof(out));
    for (size_t i = 0; i < n; i++) {
        if (out[i] != *fx_mdl_byte(b->mdl, i % b->allocated))
            fail_msg("link byte %zu is 0x%02x, buffer byte %zu is 0x%02x", i, out[i],
                     i % b->allocated, *fx_mdl_byte(b->mdl, i % b->allocated));
    }
}

/* Punch a two-page hole below free space: the pages of a later buffer are then not
 * contiguous. Returns the engine that keeps the memory after the hole. */
static void punch_a_hole(struct fx *fx, struct fx_stream *keep)
{
    struct hdabdl_stream_format f = fx_format_default();
    struct fx_stream gone;
    memset(&gone, 0, sizeof(gone));
    gone.client = fx->client;
    gone.handle = fx_alloc_render(fx->client, &f, false);
    fx_alloc_buffer(&gone, HDABDL_PAGE_SIZE);
    memset(keep, 0, sizeof(*keep));
    keep->client = fx->client;
    keep->handle = fx_alloc_render(fx->client, &f, false);
    fx_alloc_buffer(keep, HDABDL_PAGE_SIZE);
    assert_status(hdabdl_free_contiguous_dma_buffer(fx->client, gone.handle),
                  HDABDL_STATUS_SUCCESS);
    assert_status(hdabdl_free_dma_engine(fx->client, gone.handle), HDABDL_STATUS_SUCCESS);
}

/* The engine in the state a failed call must leave it in. */
static void assert_no_buffer(struct fx *fx, hdabdl_handle h)
{
    struct hdabdl_engine_info i = fx_info(fx->client, h);
    assert_int_equal(i.buffer, HDABDL_BUFFER_NONE);
    assert_int_equal(i.buffer_kind, HDABDL_BUFFER_KIND_NONE);
    assert_int_equal(i.state, HDABDL_RESET_STATE);
    assert_int_equal(hdabdl_mock_hal_dma_blocks(fx->hal), fx->dma_baseline);
}

/* ---- The allocated size ------------------------------------------------------------------ */

static void test_allocated_size_is_the_requested_size_when_that_is_whole_blocks_of_256(void **state)
{
    struct fx *fx = *state;
    struct fx_bus b;
    bus_buffer(fx, SIZE, &b);
    assert_int_equal(b.allocated, SIZE);
    assert_int_equal(b.mdl->byte_count, SIZE);
}

static void test_allocated_size_is_rounded_up_to_a_multiple_of_256_bytes(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_stream_format f = fx_format_default();
    assert_int_equal(allocated_for(fx, &f, 1), 256);
    assert_int_equal(allocated_for(fx, &f, 1000), 1024);
    assert_int_equal(allocated_for(fx, &f, 19201), 19456);
}

static void test_allocated_size_is_whole_sample_blocks_of_6_bytes_for_3_channels(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_stream_format f = fx_format(48000, 16, 16, 3); /* 6-byte blocks: unit 768 */
    assert_int_equal(allocated_for(fx, &f, 1000), 1536);
    assert_int_equal(allocated_for(fx, &f, 768), 768);
    assert_int_equal(allocated_for(fx, &f, 769), 1536);
}

static void test_allocated_size_is_the_smallest_whole_blocks_of_256_at_least_requested(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_stream_format f = fx_format(48000, 24, 32, 6); /* 24-byte blocks: unit 768 */
    uint32_t block = hdabdl_stream_format_block_bytes(&f);
    for (size_t req = 1; req < 20000; req += 997) {
        size_t got = allocated_for(fx, &f, req);
        assert_true(got >= req);
        assert_int_equal(got % 256, 0);
        assert_int_equal(got % block, 0);
        assert_true(got < req + 768); /* "as close as possible" */
    }
}

static void test_allocated_size_is_capped_at_16_mib(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_stream_format f = fx_format_default();
    assert_int_equal(allocated_for(fx, &f, (size_t)MIB16 + 4096u), MIB16);
    assert_int_equal(allocated_for(fx, &f, (size_t)40u << 20), MIB16);
}

static void test_the_cap_is_whole_sample_blocks_below_16_mib(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_stream_format f = fx_format(48000, 16, 16, 3); /* 768-byte unit */
    size_t got = allocated_for(fx, &f, (size_t)20u << 20);
    assert_int_equal(got, MIB16 / 768u * 768u);
    assert_int_equal(got % 6, 0);
}

/* ---- Stream ID, FIFO size, MDL ----------------------------------------------------------------- */

static void test_stream_id_is_the_engines_stream_tag(void **state)
{
    struct fx *fx = *state;
    struct fx_bus b;
    bus_buffer(fx, SIZE, &b);
    struct hdabdl_engine_info i = fx_info(fx->client, b.handle);
    assert_true(b.tag >= 1 && b.tag <= 15);
    assert_int_equal(b.tag, i.stream_tag);
    uint32_t ctl = fx_sd_ctl(fx, b.sd);
    assert_int_equal((ctl >> HDA_SD_CTL_STRM_SHIFT) & 0xFu, b.tag);
}

static void test_fifo_size_is_the_engines_fifo_size_in_bytes(void **state)
{
    struct fx *fx = *state;
    struct fx_bus b;
    bus_buffer(fx, SIZE, &b);
    assert_int_equal(b.fifo_size, fx->cfg.device.output_fifo_size);
    assert_int_equal(b.fifo_size, fx_sd_reg(fx, b.sd, HDA_SD_FIFOS, 2) + 1u);
    assert_int_equal(fx_info(fx->client, b.handle).fifo_size, b.fifo_size);
}

static void test_the_mdl_is_one_block_covering_the_buffer(void **state)
{
    struct fx *fx = *state;
    struct fx_bus b;
    bus_buffer(fx, SIZE, &b);
    assert_int_equal(b.mdl->page_count, 1);
    assert_int_equal(b.mdl->byte_offset, 0);
    assert_int_equal(b.mdl->byte_count, SIZE);
    assert_true(b.mdl->pages[0].size >= SIZE);
    assert_ptr_equal(b.mdl->virtual_address, b.mdl->pages[0].cpu);
    assert_int_equal(b.mdl->pages[0].bus % HDABDL_PAGE_SIZE, 0);
    memset(b.mdl->virtual_address, 0x5A, SIZE); /* writable end to end */
}

static void test_without_a_free_block_the_mdl_is_a_set_of_pages_with_no_virtual_address(
    void **state)
{
    struct fx *fx = *state;
    struct fx_bus b;
    bus_engine(fx, &b);
    hdabdl_mock_hal_fail_dma_alloc(fx->hal, 1, 1); /* the BDL page, then the one block fails */
    assert_status(fx_bus_try_alloc(&b, 0, SIZE), HDABDL_STATUS_SUCCESS);
    assert_null(b.mdl->virtual_address);
    assert_int_equal(b.mdl->page_count, (SIZE + HDABDL_PAGE_SIZE - 1) / HDABDL_PAGE_SIZE);
    size_t sum = 0;
    for (uint32_t i = 0; i < b.mdl->page_count; i++) {
        assert_non_null(b.mdl->pages[i].cpu);
        assert_int_equal(b.mdl->pages[i].bus % HDABDL_PAGE_SIZE, 0);
        if (i + 1 < b.mdl->page_count)
            assert_int_equal(b.mdl->pages[i].size, HDABDL_PAGE_SIZE);
        sum += b.mdl->pages[i].size;
    }
    assert_int_equal(sum, SIZE);
    assert_int_equal(b.allocated, SIZE);
    assert_int_equal(hdabdl_mock_hal_dma_blocks(fx->hal), fx->dma_baseline + 1 + b.mdl->page_count);
}

/* ---- The engine is programmed ----------------------------------------------------------------- */

static void test_sd_cbl_is_the_allocated_size(void **state)
{
    struct fx *fx = *state;
    struct fx_bus b;
    bus_buffer(fx, 1000, &b);
    assert_int_equal(b.allocated, 1024);
    assert_int_equal(fx_sd_reg(fx, b.sd, HDA_SD_CBL, 4), 1024);
    assert_int_equal(fx_info(fx->client, b.handle).buffer_length, 1024);
}

static void test_sd_lvi_is_at_least_1(void **state)
{
    struct fx *fx = *state;
    struct fx_bus b;
    bus_buffer(fx, 256, &b); /* the smallest buffer */
    uint32_t lvi = fx_sd_reg(fx, b.sd, HDA_SD_LVI, 2) & 0xFFu;
    assert_true(lvi >= 1);
    assert_int_equal(fx_info(fx->client, b.handle).lvi, lvi);
}

static void test_sd_fmt_is_the_engines_converter_format(void **state)
{
    struct fx *fx = *state;
    struct fx_bus b;
    bus_buffer(fx, SIZE, &b);
    assert_int_equal(fx_sd_reg(fx, b.sd, HDA_SD_FMT, 2), b.conv);
}

static void test_bdpl_bdpu_point_at_a_page_aligned_bdl(void **state)
{
    struct fx *fx = *state;
    struct fx_bus b;
    bus_buffer(fx, SIZE, &b);
    assert_int_equal(fx_sd_reg(fx, b.sd, HDA_SD_BDPL, 4) % HDABDL_PAGE_SIZE, 0);
    const struct hdabdl_buffer_descriptor *bdl = engine_bdl(fx, &b);
    assert_int_equal((uintptr_t)bdl % HDABDL_PAGE_SIZE, 0);
}

static void test_bdl_entries_cover_exactly_the_one_block_in_order(void **state)
{
    struct fx *fx = *state;
    struct fx_bus b;
    bus_buffer(fx, SIZE, &b);
    assert_bdl_covers_the_mdl_pages_in_order(fx, &b);
}

static void test_bdl_entries_cover_exactly_the_pages_in_order(void **state)
{
    struct fx *fx = *state;
    struct fx_bus b;
    bus_engine(fx, &b);
    hdabdl_mock_hal_fail_dma_alloc(fx->hal, 1, 1);
    assert_status(fx_bus_try_alloc(&b, 0, SIZE), HDABDL_STATUS_SUCCESS);
    assert_true(b.mdl->page_count > 1);
    assert_bdl_covers_the_mdl_pages_in_order(fx, &b);
}

static void test_bdl_entries_follow_pages_that_are_not_contiguous(void **state)
{
    struct fx *fx = *state;
    struct fx_stream keep;
    struct fx_bus b;
    bus_engine(fx, &b);
    punch_a_hole(fx, &keep);
    hdabdl_mock_hal_fail_dma_alloc(fx->hal, 1, 1);
    assert_status(fx_bus_try_alloc(&b, 0, SIZE), HDABDL_STATUS_SUCCESS);
    bool gap = false;
    for (uint32_t i = 1; i < b.mdl->page_count; i++)
        gap |= b.mdl->pages[i].bus != b.mdl->pages[i - 1].bus + b.mdl->pages[i - 1].size;
    assert_true(gap); /* the hole really split the pages */
    assert_bdl_covers_the_mdl_pages_in_order(fx, &b);
}

static void test_ioc_is_on_the_last_entry_only(void **state)
{
    struct fx *fx = *state;
    struct fx_bus b;
    bus_buffer(fx, SIZE, &b);
    const struct hdabdl_buffer_descriptor *bdl = engine_bdl(fx, &b);
    uint32_t lvi = fx_sd_reg(fx, b.sd, HDA_SD_LVI, 2) & 0xFFu;
    for (uint32_t i = 0; i < lvi; i++)
        assert_int_equal(bdl_entry_ioc(bdl, i), 0);
    assert_int_equal(bdl_entry_ioc(bdl, lvi), 1);
}

static void test_ioc_is_on_the_last_entry_only_with_pages(void **state)
{
    struct fx *fx = *state;
    struct fx_stream keep;
    struct fx_bus b;
    bus_engine(fx, &b);
    punch_a_hole(fx, &keep);
    hdabdl_mock_hal_fail_dma_alloc(fx->hal, 1, 1);
    assert_status(fx_bus_try_alloc(&b, 0, SIZE), HDABDL_STATUS_SUCCESS);
    const struct hdabdl_buffer_descriptor *bdl = engine_bdl(fx, &b);
    uint32_t lvi = fx_sd_reg(fx, b.sd, HDA_SD_LVI, 2) & 0xFFu;
    assert_true(lvi >= 2); /* a page boundary and the midpoint */
    for (uint32_t i = 0; i < lvi; i++)
        assert_int_equal(bdl_entry_ioc(bdl, i), 0);
    assert_int_equal(bdl_entry_ioc(bdl, lvi), 1);
}

static void test_the_engine_is_left_in_reset_and_programmed(void **state)
{
    struct fx *fx = *state;
    struct fx_bus b;
    bus_buffer(fx, SIZE, &b);
    struct hdabdl_engine_info i = fx_info(fx->client, b.handle);
    assert_int_equal(i.state, HDABDL_RESET_STATE);
    assert_int_equal(i.buffer, HDABDL_BUFFER_PROGRAMMED);
    assert_int_equal(i.buffer_kind, HDABDL_BUFFER_KIND_BUS);
    assert_int_equal(i.buffer_size, SIZE);
    assert_false(fx_sd_running(fx, b.sd));
    assert_int_equal(fx_sd_ctl(fx, b.sd) & HDA_SD_CTL_SRST, 0);
    fx_advance_ms(fx, 20);
    assert_int_equal(hdabdl_mock_link_tap_available(fx->dev, b.tag), 0);
}

static void test_the_engine_raises_ioc_once_per_buffer_pass(void **state)
{
    struct fx *fx = *state;
    struct fx_bus b;
    struct hdabdl_mock_stats before, after;
    bus_buffer(fx, SIZE, &b);
    fx_bus_start(&b);
    fx_advance_ms(fx, 25);
    hdabdl_mock_get_stats(fx->dev, &before);
    fx_advance_ms(fx, 1000);
    hdabdl_mock_get_stats(fx->dev, &after);
    assert_int_equal(after.bcis_raised - before.bcis_raised, 10);
}

/* ---- Data ----------------------------------------------------------------------------------------- */

static void test_the_link_carries_the_buffer_bytes_in_order(void **state)
{
    struct fx *fx = *state;
    struct fx_bus b;
    bus_buffer(fx, SIZE, &b);
    assert_link_carries_the_buffer(fx, &b);
}

static void test_the_link_carries_the_bytes_of_the_pages_in_order(void **state)
{
    struct fx *fx = *state;
    struct fx_stream keep;
    struct fx_bus b;
    bus_engine(fx, &b);
    punch_a_hole(fx, &keep);
    hdabdl_mock_hal_fail_dma_alloc(fx->hal, 1, 1);
    assert_status(fx_bus_try_alloc(&b, 0, SIZE), HDABDL_STATUS_SUCCESS);
    assert_null(b.mdl->virtual_address);
    assert_link_carries_the_buffer(fx, &b);
}

/* ---- State rules (ddi.md §6.1) ------------------------------------------------------------------- */

static void test_allocate_with_a_buffer_present_is_idr(void **state)
{
    struct fx *fx = *state;
    struct fx_bus b;
    bus_buffer(fx, SIZE, &b);
    size_t blocks = hdabdl_mock_hal_dma_blocks(fx->hal);
    struct fx_bus again = b;
    assert_status(fx_bus_try_alloc(&again, 0, 4096), HDABDL_STATUS_INVALID_DEVICE_REQUEST);
    assert_int_equal(hdabdl_mock_hal_dma_blocks(fx->hal), blocks);
    assert_int_equal(fx_info(fx->client, b.handle).buffer_size, SIZE);
}

static void test_allocate_while_paused_or_running_is_idr(void **state)
{
    struct fx *fx = *state;
    struct fx_bus b;
    bus_buffer(fx, SIZE, &b);
    assert_status(fx_state1(fx->client, HDABDL_PAUSE_STATE, b.handle), HDABDL_STATUS_SUCCESS);
    struct fx_bus again = b;
    assert_status(fx_bus_try_alloc(&again, 0, SIZE), HDABDL_STATUS_INVALID_DEVICE_REQUEST);
    assert_status(fx_state1(fx->client, HDABDL_RUN_STATE, b.handle), HDABDL_STATUS_SUCCESS);
    assert_status(fx_bus_try_alloc(&again, 0, SIZE), HDABDL_STATUS_INVALID_DEVICE_REQUEST);
    assert_int_equal(fx_info(fx->client, b.handle).state, HDABDL_RUN_STATE);
}

static void test_allocate_on_an_engine_with_a_contiguous_buffer_is_idr(void **state)
{
    struct fx *fx = *state;
    struct fx_bus b;
    struct fx_stream s;
    bus_engine(fx, &b);
    memset(&s, 0, sizeof(s));
    s.client = fx->client;
    s.handle = b.handle;
    fx_alloc_buffer(&s, 4096);
    assert_status(fx_bus_try_alloc(&b, 0, SIZE), HDABDL_STATUS_INVALID_DEVICE_REQUEST);
    assert_int_equal(fx_info(fx->client, b.handle).buffer_kind, HDABDL_BUFFER_KIND_CONTIGUOUS);
}

static void test_free_without_a_buffer_is_idr(void **state)
{
    struct fx *fx = *state;
    struct fx_bus b;
    bus_engine(fx, &b);
    assert_status(hdabdl_free_dma_buffer(fx->client, b.handle),
                  HDABDL_STATUS_INVALID_DEVICE_REQUEST);
}

static void test_free_while_paused_or_running_is_idr_and_keeps_the_buffer(void **state)
{
    struct fx *fx = *state;
    struct fx_bus b;
    bus_buffer(fx, SIZE, &b);
    assert_status(fx_state1(fx->client, HDABDL_PAUSE_STATE, b.handle), HDABDL_STATUS_SUCCESS);
    assert_status(fx_bus_free(&b), HDABDL_STATUS_INVALID_DEVICE_REQUEST);
    assert_status(fx_state1(fx->client, HDABDL_RUN_STATE, b.handle), HDABDL_STATUS_SUCCESS);
    assert_status(fx_bus_free(&b), HDABDL_STATUS_INVALID_DEVICE_REQUEST);
    struct hdabdl_engine_info i = fx_info(fx->client, b.handle);
    assert_int_equal(i.buffer, HDABDL_BUFFER_PROGRAMMED);
    assert_int_equal(i.state, HDABDL_RUN_STATE);
    assert_true(fx_sd_running(fx, b.sd));
}

static void test_free_dma_buffer_of_a_contiguous_buffer_is_idr(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_stream_format f = fx_format_default();
    struct fx_stream s;
    fx_render_stream(fx->client, &f, 2, 2048, false, &s);
    size_t blocks = hdabdl_mock_hal_dma_blocks(fx->hal);
    assert_status(hdabdl_free_dma_buffer(fx->client, s.handle),
                  HDABDL_STATUS_INVALID_DEVICE_REQUEST);
    assert_int_equal(hdabdl_mock_hal_dma_blocks(fx->hal), blocks);
    assert_int_equal(fx_info(fx->client, s.handle).buffer, HDABDL_BUFFER_PROGRAMMED);
}

static void test_free_dma_buffer_of_a_notification_buffer_is_idr(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_stream_format f = fx_format_default();
    struct fx_bus b;
    fx_bus_render(fx->client, &f, 2, SIZE, &b);
    assert_status(hdabdl_free_dma_buffer(fx->client, b.handle),
                  HDABDL_STATUS_INVALID_DEVICE_REQUEST);
    assert_int_equal(fx_info(fx->client, b.handle).buffer_kind, HDABDL_BUFFER_KIND_NOTIFICATION);
}

static void test_free_contiguous_of_a_bus_buffer_is_idr(void **state)
{
    struct fx *fx = *state;
    struct fx_bus b;
    bus_buffer(fx, SIZE, &b);
    size_t blocks = hdabdl_mock_hal_dma_blocks(fx->hal);
    assert_status(hdabdl_free_contiguous_dma_buffer(fx->client, b.handle),
                  HDABDL_STATUS_INVALID_DEVICE_REQUEST);
    assert_int_equal(hdabdl_mock_hal_dma_blocks(fx->hal), blocks);
    assert_int_equal(fx_info(fx->client, b.handle).buffer_kind, HDABDL_BUFFER_KIND_BUS);
}

static void test_free_with_notification_of_a_bus_buffer_is_idr(void **state)
{
    struct fx *fx = *state;
    struct fx_bus b;
    bus_buffer(fx, SIZE, &b);
    assert_status(hdabdl_free_dma_buffer_with_notification(fx->client, b.handle, b.mdl,
                                                           b.allocated),
                  HDABDL_STATUS_INVALID_DEVICE_REQUEST);
    assert_int_equal(fx_info(fx->client, b.handle).buffer_kind, HDABDL_BUFFER_KIND_BUS);
}

static void test_setup_with_bdl_on_a_bus_buffer_is_idr(void **state)
{
    struct fx *fx = *state;
    struct fx_bus b;
    struct fx_isr_log log;
    uint8_t tag = 0;
    uint32_t fifo = 0;
    memset(&log, 0, sizeof(log));
    bus_buffer(fx, SIZE, &b);
    assert_status(hdabdl_setup_dma_engine_with_bdl(fx->client, b.handle, 9600, 1, fx_isr_record,
                                                   &log, &tag, &fifo),
                  HDABDL_STATUS_INVALID_DEVICE_REQUEST);
    struct hdabdl_engine_info i = fx_info(fx->client, b.handle);
    assert_int_equal(i.buffer_length, SIZE); /* the library's programming stays */
    assert_int_equal(fx_sd_reg(fx, b.sd, HDA_SD_CBL, 4), SIZE);
}

static void test_free_dma_engine_with_a_bus_buffer_is_idr(void **state)
{
    struct fx *fx = *state;
    struct fx_bus b;
    bus_buffer(fx, SIZE, &b);
    assert_status(hdabdl_free_dma_engine(fx->client, b.handle),
                  HDABDL_STATUS_INVALID_DEVICE_REQUEST);
    assert_int_equal(fx_info(fx->client, b.handle).buffer_kind, HDABDL_BUFFER_KIND_BUS);
}

static void test_free_releases_every_block_and_leaves_reset_without_a_buffer(void **state)
{
    struct fx *fx = *state;
    struct fx_bus b;
    bus_buffer(fx, SIZE, &b);
    assert_status(fx_bus_free(&b), HDABDL_STATUS_SUCCESS);
    assert_no_buffer(fx, b.handle);
    assert_int_equal(fx_sd_reg(fx, b.sd, HDA_SD_BDPL, 4), 0);
    assert_status(hdabdl_free_dma_engine(fx->client, b.handle), HDABDL_STATUS_SUCCESS);
}

static void test_free_releases_every_page(void **state)
{
    struct fx *fx = *state;
    struct fx_bus b;
    bus_engine(fx, &b);
    hdabdl_mock_hal_fail_dma_alloc(fx->hal, 1, 1);
    assert_status(fx_bus_try_alloc(&b, 0, SIZE), HDABDL_STATUS_SUCCESS);
    assert_int_equal(b.mdl->page_count, 5);
    assert_status(fx_bus_free(&b), HDABDL_STATUS_SUCCESS);
    assert_no_buffer(fx, b.handle);
}

static void test_free_after_run_pause_reset_succeeds(void **state)
{
    struct fx *fx = *state;
    struct fx_bus b;
    bus_buffer(fx, SIZE, &b);
    fx_bus_start(&b);
    fx_advance_ms(fx, 30);
    assert_status(fx_state1(fx->client, HDABDL_PAUSE_STATE, b.handle), HDABDL_STATUS_SUCCESS);
    assert_status(fx_state1(fx->client, HDABDL_RESET_STATE, b.handle), HDABDL_STATUS_SUCCESS);
    assert_status(fx_bus_free(&b), HDABDL_STATUS_SUCCESS);
    assert_no_buffer(fx, b.handle);
}

static void test_allocate_may_be_called_again_after_free(void **state)
{
    struct fx *fx = *state;
    struct fx_bus b;
    bus_buffer(fx, SIZE, &b);
    assert_status(fx_bus_free(&b), HDABDL_STATUS_SUCCESS);
    assert_status(fx_bus_try_alloc(&b, 0, 2 * SIZE), HDABDL_STATUS_SUCCESS);
    assert_int_equal(b.allocated, 2 * SIZE);
    assert_int_equal(fx_sd_reg(fx, b.sd, HDA_SD_CBL, 4), 2 * SIZE);
    assert_link_carries_the_buffer(fx, &b);
}

static void test_a_run_after_reset_plays_the_buffer_from_its_start(void **state)
{
    struct fx *fx = *state;
    struct fx_bus b;
    uint8_t out[960];
    bus_buffer(fx, SIZE, &b);
    fill_pattern(&b);
    fx_bus_start(&b);
    fx_advance_ms(fx, 30);
    assert_status(fx_state1(fx->client, HDABDL_PAUSE_STATE, b.handle), HDABDL_STATUS_SUCCESS);
    assert_status(fx_state1(fx->client, HDABDL_RESET_STATE, b.handle), HDABDL_STATUS_SUCCESS);
    while (hdabdl_mock_link_tap_read(fx->dev, b.tag, out, sizeof(out)) > 0) {
    }
    fx_bus_start(&b); /* the library programmed the engine again after the reset */
    fx_advance_ms(fx, 6);
    assert_int_equal(hdabdl_mock_link_tap_read(fx->dev, b.tag, out, sizeof(out)), sizeof(out));
    for (size_t i = 0; i < sizeof(out); i++)
        assert_int_equal(out[i], *fx_mdl_byte(b.mdl, i));
}

/* ---- Parameters and failures ------------------------------------------------------------------- */

static void test_requested_size_0_is_invalid_parameter(void **state)
{
    struct fx *fx = *state;
    struct fx_bus b;
    bus_engine(fx, &b);
    assert_status(fx_bus_try_alloc(&b, 0, 0), HDABDL_STATUS_INVALID_PARAMETER);
    assert_no_buffer(fx, b.handle);
}

static void test_any_null_out_pointer_is_invalid_parameter(void **state)
{
    struct fx *fx = *state;
    struct fx_bus b;
    struct hdabdl_mdl *mdl;
    size_t allocated;
    uint8_t tag;
    uint32_t fifo;
    bus_engine(fx, &b);
    assert_status(hdabdl_allocate_dma_buffer(fx->client, b.handle, SIZE, NULL, &allocated, &tag,
                                             &fifo),
                  HDABDL_STATUS_INVALID_PARAMETER);
    assert_status(hdabdl_allocate_dma_buffer(fx->client, b.handle, SIZE, &mdl, NULL, &tag, &fifo),
                  HDABDL_STATUS_INVALID_PARAMETER);
    assert_status(hdabdl_allocate_dma_buffer(fx->client, b.handle, SIZE, &mdl, &allocated, NULL,
                                             &fifo),
                  HDABDL_STATUS_INVALID_PARAMETER);
    assert_status(hdabdl_allocate_dma_buffer(fx->client, b.handle, SIZE, &mdl, &allocated, &tag,
                                             NULL),
                  HDABDL_STATUS_INVALID_PARAMETER);
    assert_no_buffer(fx, b.handle);
}

static void test_a_forged_or_foreign_handle_is_invalid_handle(void **state)
{
    struct fx *fx = *state;
    struct fx_bus b;
    bus_engine(fx, &b);
    struct fx_bus forged = b;
    forged.handle = FX_FORGED_HANDLE;
    assert_status(fx_bus_try_alloc(&forged, 0, SIZE), HDABDL_STATUS_INVALID_HANDLE);
    assert_status(hdabdl_free_dma_buffer(fx->client, FX_FORGED_HANDLE),
                  HDABDL_STATUS_INVALID_HANDLE);
    struct fx_bus foreign = b;
    foreign.client = fx->client2;
    assert_status(fx_bus_try_alloc(&foreign, 0, SIZE), HDABDL_STATUS_INVALID_HANDLE);
    assert_no_buffer(fx, b.handle);
}

static void test_a_failed_bdl_page_is_insufficient_resources_and_changes_nothing(void **state)
{
    struct fx *fx = *state;
    struct fx_bus b;
    bus_engine(fx, &b);
    uint32_t cbl = fx_sd_reg(fx, b.sd, HDA_SD_CBL, 4);
    fx_spy.fail_mask = 0x1; /* the BDL page */
    assert_status(fx_bus_try_alloc(&b, 0, SIZE), HDABDL_STATUS_INSUFFICIENT_RESOURCES);
    assert_no_buffer(fx, b.handle);
    assert_int_equal(fx_sd_reg(fx, b.sd, HDA_SD_CBL, 4), cbl);
    assert_status(fx_bus_try_alloc(&b, 0, SIZE), HDABDL_STATUS_SUCCESS); /* still usable */
}

static void test_no_block_and_no_first_page_is_insufficient_resources_and_leaks_nothing(
    void **state)
{
    struct fx *fx = *state;
    struct fx_bus b;
    bus_engine(fx, &b);
    fx_spy.fail_mask = 0x6; /* the block, then the first page */
    assert_status(fx_bus_try_alloc(&b, 0, SIZE), HDABDL_STATUS_INSUFFICIENT_RESOURCES);
    assert_no_buffer(fx, b.handle);
    assert_status(fx_bus_try_alloc(&b, 0, SIZE), HDABDL_STATUS_SUCCESS);
}

static void test_a_page_failing_midway_is_insufficient_resources_and_frees_the_pages_taken(
    void **state)
{
    struct fx *fx = *state;
    struct fx_bus b;
    bus_engine(fx, &b);
    fx_spy.fail_mask = 0x2 | (1u << 5); /* the block, then the fourth page */
    uint64_t before = fx_spy.dma_allocs;
    assert_status(fx_bus_try_alloc(&b, 0, SIZE), HDABDL_STATUS_INSUFFICIENT_RESOURCES);
    assert_int_equal(fx_spy.dma_allocs - before, 6); /* BDL, block, pages 0..3 */
    assert_no_buffer(fx, b.handle);
}

static void test_the_last_page_failing_is_insufficient_resources_and_leaks_nothing(void **state)
{
    struct fx *fx = *state;
    struct fx_bus b;
    bus_engine(fx, &b);
    fx_spy.fail_mask = 0x2 | (1u << 6); /* the block, then page 4 of 5 */
    assert_status(fx_bus_try_alloc(&b, 0, SIZE), HDABDL_STATUS_INSUFFICIENT_RESOURCES);
    assert_no_buffer(fx, b.handle);
    fx_spy.fail_mask = 0;
    assert_status(fx_bus_try_alloc(&b, 0, SIZE), HDABDL_STATUS_SUCCESS);
    assert_int_equal(b.mdl->page_count, 1);
}

static void test_a_stream_reset_timeout_is_device_not_ready_and_leaks_nothing(void **state)
{
    struct fx *fx = *state;
    struct fx_bus b;
    bus_engine(fx, &b);
    hdabdl_mock_set_fault(fx->dev, HDABDL_MOCK_FAULT_SRST_NEVER_CLEAR, b.sd, true);
    assert_status(fx_bus_try_alloc(&b, 0, SIZE), HDABDL_STATUS_DEVICE_NOT_READY);
    hdabdl_mock_set_fault(fx->dev, HDABDL_MOCK_FAULT_SRST_NEVER_CLEAR, b.sd, false);
    assert_no_buffer(fx, b.handle);
    assert_status(fx_bus_try_alloc(&b, 0, SIZE), HDABDL_STATUS_SUCCESS);
    assert_link_carries_the_buffer(fx, &b);
}

static void test_closing_the_client_frees_a_bus_buffer_of_a_running_engine(void **state)
{
    struct fx *fx = *state;
    struct fx_bus b;
    bus_buffer(fx, SIZE, &b);
    fx_bus_start(&b);
    fx_advance_ms(fx, 10);
    hdabdl_client_close(fx->client);
    fx->client = NULL;
    assert_int_equal(hdabdl_mock_hal_dma_blocks(fx->hal), fx->dma_baseline);
    assert_false(fx_sd_running(fx, b.sd));
}

#define T(name) cmocka_unit_test_setup_teardown(name, fx_setup, fx_teardown)
#define T2(name) cmocka_unit_test_setup_teardown(name, fx_setup_two_clients, fx_teardown)
#define TS(name) cmocka_unit_test_setup_teardown(name, fx_setup_spy, fx_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_allocated_size_is_the_requested_size_when_that_is_whole_blocks_of_256),
        T(test_allocated_size_is_rounded_up_to_a_multiple_of_256_bytes),
        T(test_allocated_size_is_whole_sample_blocks_of_6_bytes_for_3_channels),
        T(test_allocated_size_is_the_smallest_whole_blocks_of_256_at_least_requested),
        T(test_allocated_size_is_capped_at_16_mib),
        T(test_the_cap_is_whole_sample_blocks_below_16_mib),
        T(test_stream_id_is_the_engines_stream_tag),
        T(test_fifo_size_is_the_engines_fifo_size_in_bytes),
        T(test_the_mdl_is_one_block_covering_the_buffer),
        T(test_without_a_free_block_the_mdl_is_a_set_of_pages_with_no_virtual_address),
        T(test_sd_cbl_is_the_allocated_size),
        T(test_sd_lvi_is_at_least_1),
        T(test_sd_fmt_is_the_engines_converter_format),
        T(test_bdpl_bdpu_point_at_a_page_aligned_bdl),
        T(test_bdl_entries_cover_exactly_the_one_block_in_order),
        T(test_bdl_entries_cover_exactly_the_pages_in_order),
        T(test_bdl_entries_follow_pages_that_are_not_contiguous),
        T(test_ioc_is_on_the_last_entry_only),
        T(test_ioc_is_on_the_last_entry_only_with_pages),
        T(test_the_engine_is_left_in_reset_and_programmed),
        T(test_the_engine_raises_ioc_once_per_buffer_pass),
        T(test_the_link_carries_the_buffer_bytes_in_order),
        T(test_the_link_carries_the_bytes_of_the_pages_in_order),
        T(test_allocate_with_a_buffer_present_is_idr),
        T(test_allocate_while_paused_or_running_is_idr),
        T(test_allocate_on_an_engine_with_a_contiguous_buffer_is_idr),
        T(test_free_without_a_buffer_is_idr),
        T(test_free_while_paused_or_running_is_idr_and_keeps_the_buffer),
        T(test_free_dma_buffer_of_a_contiguous_buffer_is_idr),
        T(test_free_dma_buffer_of_a_notification_buffer_is_idr),
        T(test_free_contiguous_of_a_bus_buffer_is_idr),
        T(test_free_with_notification_of_a_bus_buffer_is_idr),
        T(test_setup_with_bdl_on_a_bus_buffer_is_idr),
        T(test_free_dma_engine_with_a_bus_buffer_is_idr),
        T(test_free_releases_every_block_and_leaves_reset_without_a_buffer),
        T(test_free_releases_every_page),
        T(test_free_after_run_pause_reset_succeeds),
        T(test_allocate_may_be_called_again_after_free),
        T(test_a_run_after_reset_plays_the_buffer_from_its_start),
        T(test_requested_size_0_is_invalid_parameter),
        T(test_any_null_out_pointer_is_invalid_parameter),
        T2(test_a_forged_or_foreign_handle_is_invalid_handle),
        TS(test_a_failed_bdl_page_is_insufficient_resources_and_changes_nothing),
        TS(test_no_block_and_no_first_page_is_insufficient_resources_and_leaks_nothing),
        TS(test_a_page_failing_midway_is_insufficient_resources_and_frees_the_pages_taken),
        TS(test_the_last_page_failing_is_insufficient_resources_and_leaks_nothing),
        T(test_a_stream_reset_timeout_is_device_not_ready_and_leaks_nothing),
        T(test_closing_the_client_frees_a_bus_buffer_of_a_running_engine),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
