/* SPDX-License-Identifier: MIT */
/*
 * tests/support/fixture.c - the shared fixture of the DDI rule tests.
 */
#include "support/fixture.h"

#include "hdabdl/codec.h"
#include "hal/mock/mock_internal.h"   /* the default codec description */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void fx_assert_status_(hdabdl_status got, hdabdl_status want, const char *expr, const char *file,
                       int line)
{
    if (got == want)
        return;
    print_error("%s returned %s (0x%08X), expected %s (0x%08X)\n", expr, hdabdl_status_name(got),
                (unsigned)(uint32_t)got, hdabdl_status_name(want), (unsigned)(uint32_t)want);
    _fail(file, line);
}

/* ---- Fixture life cycle --------------------------------------------------------- */

static struct fx *fx_new(void)
{
    struct fx *fx = calloc(1, sizeof(*fx));
    assert_non_null(fx);
    hdabdl_mock_hal_config_default(&fx->cfg);
    return fx;
}

void fx_create_hal(struct fx *fx)
{
    assert_null(fx->hal);
    int rc = hdabdl_mock_hal_create(&fx->cfg, &fx->hal);
    assert_int_equal(rc, 0);
    assert_non_null(fx->hal);
    fx->dev = hdabdl_mock_hal_device(fx->hal);
    assert_non_null(fx->dev);
}

void fx_start(struct fx *fx, unsigned clients)
{
    if (!fx->hal)
        fx_create_hal(fx);
    assert_status(hdabdl_controller_open(hdabdl_mock_hal_ops(), hdabdl_mock_hal_context(fx->hal),
                                         NULL, &fx->ctrl),
                  HDABDL_STATUS_SUCCESS);
    assert_non_null(fx->ctrl);
    if (clients >= 1) {
        assert_status(hdabdl_client_open(fx->ctrl, 0, 1, &fx->client), HDABDL_STATUS_SUCCESS);
        assert_non_null(fx->client);
    }
    if (clients >= 2) {
        assert_status(hdabdl_client_open(fx->ctrl, 0, 2, &fx->client2), HDABDL_STATUS_SUCCESS);
        assert_non_null(fx->client2);
    }
    fx->dma_baseline = hdabdl_mock_hal_dma_blocks(fx->hal);
}

int fx_setup_with(void **state, fx_tweak_fn tweak, unsigned clients)
{
    struct fx *fx = fx_new();
    *state = fx;
    if (tweak)
        tweak(&fx->cfg);
    fx_start(fx, clients);
    return 0;
}

int fx_setup(void **state) { return fx_setup_with(state, NULL, 1); }
int fx_setup_two_clients(void **state) { return fx_setup_with(state, NULL, 2); }

int fx_setup_bare(void **state)
{
    *state = fx_new();
    return 0;
}

void fx_assert_no_violations(struct fx *fx)
{
    size_t n = hdabdl_mock_violation_count(fx->dev);
    if (n != 0) {
        char buf[4096];
        hdabdl_mock_violation_describe(fx->dev, buf, sizeof(buf));
        print_error("the core made %zu illegal register/DMA access(es):\n%s\n", n, buf);
    }
    assert_int_equal(n, 0);
}

void fx_close_all(struct fx *fx)
{
    if (fx->client2) {
        hdabdl_client_close(fx->client2);
        fx->client2 = NULL;
    }
    if (fx->client) {
        hdabdl_client_close(fx->client);
        fx->client = NULL;
    }
    if (fx->ctrl) {
        hdabdl_controller_close(fx->ctrl);
        fx->ctrl = NULL;
    }
}

int fx_teardown(void **state)
{
    struct fx *fx = *state;
    if (!fx)
        return 0;
    *state = NULL;
    fx_close_all(fx);
    if (fx->hal) {
        size_t violations = hdabdl_mock_violation_count(fx->dev);
        size_t blocks = hdabdl_mock_hal_dma_blocks(fx->hal);
        char buf[4096] = "";
        if (violations)
            hdabdl_mock_violation_describe(fx->dev, buf, sizeof(buf));
        hdabdl_mock_hal_destroy(fx->hal);
        free(fx);
        if (violations) {
            print_error("the core made %zu illegal register/DMA access(es):\n%s\n", violations, buf);
            return -1;
        }
        if (blocks) {
            print_error("%zu DMA block(s) still allocated after the controller was closed\n",
                        blocks);
            return -1;
        }
        return 0;
    }
    free(fx);
    return 0;
}

/* ---- Formats --------------------------------------------------------------------------- */

struct hdabdl_stream_format fx_format(uint32_t rate, uint16_t valid_bits, uint16_t container,
                                      uint16_t channels)
{
    struct hdabdl_stream_format f;
    memset(&f, 0, sizeof(f));
    f.sample_rate = rate;
    f.valid_bits_per_sample = valid_bits;
    f.container_size = container;
    f.number_of_channels = channels;
    return f;
}

struct hdabdl_stream_format fx_format_default(void) { return fx_format(48000, 16, 16, 2); }

/* ---- Engines ------------------------------------------------------------------------------ */

hdabdl_handle fx_alloc_render(hdabdl_client *client, const struct hdabdl_stream_format *fmt,
                              bool stripe)
{
    hdabdl_handle h = NULL;
    hdabdl_converter_format conv = 0;
    assert_status(hdabdl_allocate_render_dma_engine(client, fmt, stripe, &h, &conv),
                  HDABDL_STATUS_SUCCESS);
    assert_non_null(h);
    return h;
}

hdabdl_handle fx_alloc_capture(hdabdl_client *client, uint8_t codec,
                               const struct hdabdl_stream_format *fmt)
{
    hdabdl_handle h = NULL;
    hdabdl_converter_format conv = 0;
    assert_status(hdabdl_allocate_capture_dma_engine(client, codec, fmt, &h, &conv),
                  HDABDL_STATUS_SUCCESS);
    assert_non_null(h);
    return h;
}

struct hdabdl_engine_info fx_info(hdabdl_client *client, hdabdl_handle h)
{
    struct hdabdl_engine_info info;
    memset(&info, 0xA5, sizeof(info));
    assert_status(hdabdl_engine_get_info(client, h, &info), HDABDL_STATUS_SUCCESS);
    return info;
}

struct hdabdl_bandwidth_info fx_bandwidth(struct fx *fx)
{
    struct hdabdl_bandwidth_info bw;
    memset(&bw, 0xA5, sizeof(bw));
    assert_status(hdabdl_controller_get_bandwidth(fx->ctrl, &bw), HDABDL_STATUS_SUCCESS);
    return bw;
}

struct hdabdl_controller_info fx_ctrl_info(struct fx *fx)
{
    struct hdabdl_controller_info info;
    memset(&info, 0xA5, sizeof(info));
    assert_status(hdabdl_controller_get_info(fx->ctrl, &info), HDABDL_STATUS_SUCCESS);
    return info;
}

void fx_isr_record(void *context, uint32_t interrupt_bit_mask)
{
    struct fx_isr_log *log = context;
    if (log->calls < FX_ISR_LOG_MAX)
        log->masks[log->calls] = interrupt_bit_mask;
    log->calls++;
    log->or_mask |= interrupt_bit_mask;
    if (log->hook)
        log->hook(log, interrupt_bit_mask);
}

unsigned fx_isr_count(const struct fx_isr_log *log, uint32_t mask)
{
    unsigned n = 0;
    unsigned kept = log->calls < FX_ISR_LOG_MAX ? log->calls : FX_ISR_LOG_MAX;
    for (unsigned i = 0; i < kept; i++)
        if (log->masks[i] == mask)
            n++;
    return n;
}

void fx_alloc_buffer(struct fx_stream *s, uint32_t size)
{
    void *data = NULL;
    s->bdl = NULL;
    assert_status(hdabdl_allocate_contiguous_dma_buffer(s->client, s->handle, size, &data,
                                                        &s->data_bus, &s->bdl, &s->bdl_bus),
                  HDABDL_STATUS_SUCCESS);
    assert_non_null(data);
    assert_non_null(s->bdl);
    s->data = data;
    s->size = size;
    memset(s->data, 0, size);
    memset(s->bdl, 0, HDABDL_PAGE_SIZE);
}

void fx_fill_bdl(struct fx_stream *s, unsigned fragments, uint32_t frag_len, bool ioc)
{
    assert_true(fragments >= 1 && fragments <= HDA_BDL_MAX_ENTRIES);
    for (unsigned i = 0; i < fragments; i++) {
        hdabdl_bdl_write_entry(s->bdl, i, s->data_bus + (uint64_t)i * frag_len, frag_len,
                               ioc ? 1u : 0u);
    }
    s->length = fragments * frag_len;
    s->lvi = fragments - 1;
}

hdabdl_status fx_try_setup(struct fx_stream *s)
{
    s->tag = 0;
    s->fifo_size = 0;
    return hdabdl_setup_dma_engine_with_bdl(s->client, s->handle, s->length, s->lvi, fx_isr_record,
                                            &s->log, &s->tag, &s->fifo_size);
}

static void fx_stream_finish(struct fx_stream *s, unsigned fragments, uint32_t frag_len, bool ioc)
{
    struct hdabdl_engine_info info = fx_info(s->client, s->handle);
    s->sd = info.sd_index;
    fx_alloc_buffer(s, fragments * frag_len);
    fx_fill_bdl(s, fragments, frag_len, ioc);
    assert_status(fx_try_setup(s), HDABDL_STATUS_SUCCESS);
    assert_int_equal(s->tag, info.stream_tag);
}

void fx_render_stream(hdabdl_client *client, const struct hdabdl_stream_format *fmt,
                      unsigned fragments, uint32_t frag_len, bool ioc, struct fx_stream *s)
{
    memset(s, 0, sizeof(*s));
    s->client = client;
    s->format = *fmt;
    assert_status(hdabdl_allocate_render_dma_engine(client, fmt, false, &s->handle, &s->conv),
                  HDABDL_STATUS_SUCCESS);
    fx_stream_finish(s, fragments, frag_len, ioc);
}

void fx_capture_stream(hdabdl_client *client, uint8_t codec, const struct hdabdl_stream_format *fmt,
                       unsigned fragments, uint32_t frag_len, bool ioc, struct fx_stream *s)
{
    memset(s, 0, sizeof(*s));
    s->client = client;
    s->format = *fmt;
    assert_status(hdabdl_allocate_capture_dma_engine(client, codec, fmt, &s->handle, &s->conv),
                  HDABDL_STATUS_SUCCESS);
    fx_stream_finish(s, fragments, frag_len, ioc);
}

hdabdl_status fx_state1(hdabdl_client *client, enum hdabdl_stream_state st, hdabdl_handle h)
{
    return hdabdl_set_dma_engine_state(client, st, 1, &h);
}

hdabdl_status fx_state2(hdabdl_client *client, enum hdabdl_stream_state st, hdabdl_handle a,
                        hdabdl_handle b)
{
    hdabdl_handle hs[2] = {a, b};
    return hdabdl_set_dma_engine_state(client, st, 2, hs);
}

void fx_start_stream(struct fx_stream *s)
{
    assert_status(fx_state1(s->client, HDABDL_PAUSE_STATE, s->handle), HDABDL_STATUS_SUCCESS);
    assert_status(fx_state1(s->client, HDABDL_RUN_STATE, s->handle), HDABDL_STATUS_SUCCESS);
}

/* ---- Time and registers ----------------------------------------------------------------- */

void fx_advance_ns(struct fx *fx, uint64_t ns) { hdabdl_mock_hal_advance(fx->hal, ns); }
void fx_advance_us(struct fx *fx, uint64_t us) { hdabdl_mock_hal_advance(fx->hal, us * 1000u); }
void fx_advance_ms(struct fx *fx, uint64_t ms) { hdabdl_mock_hal_advance(fx->hal, ms * 1000000u); }

uint32_t fx_reg(struct fx *fx, uint32_t offset, unsigned width)
{
    uint32_t v = 0xDEADBEEFu;
    assert_int_equal(hdabdl_mock_mmio_read(fx->dev, offset, width, &v), 0);
    return v;
}

uint32_t fx_sd_reg(struct fx *fx, unsigned sd, uint32_t reg, unsigned width)
{
    return fx_reg(fx, HDA_SD_OFFSET(sd, reg), width);
}

uint32_t fx_sd_ctl(struct fx *fx, unsigned sd) { return fx_sd_reg(fx, sd, HDA_SD_CTL, 4); }
uint8_t fx_sd_sts(struct fx *fx, unsigned sd) { return (uint8_t)fx_sd_reg(fx, sd, HDA_SD_STS, 1); }
bool fx_sd_running(struct fx *fx, unsigned sd) { return (fx_sd_ctl(fx, sd) & HDA_SD_CTL_RUN) != 0; }
uint32_t fx_sd_lpib(struct fx *fx, unsigned sd) { return fx_sd_reg(fx, sd, HDA_SD_LPIB, 4); }

/* ---- Codecs and verbs ---------------------------------------------------------------------- */

void fx_start_opts(struct fx *fx, const struct hdabdl_controller_options *options, unsigned clients)
{
    if (!fx->hal)
        fx_create_hal(fx);
    assert_status(hdabdl_controller_open(hdabdl_mock_hal_ops(), hdabdl_mock_hal_context(fx->hal),
                                         options, &fx->ctrl),
                  HDABDL_STATUS_SUCCESS);
    assert_non_null(fx->ctrl);
    if (clients >= 1)
        assert_status(hdabdl_client_open(fx->ctrl, 0, 1, &fx->client), HDABDL_STATUS_SUCCESS);
    if (clients >= 2)
        assert_status(hdabdl_client_open(fx->ctrl, 0, 2, &fx->client2), HDABDL_STATUS_SUCCESS);
    fx->dma_baseline = hdabdl_mock_hal_dma_blocks(fx->hal);
}

struct hdabdl_codec *fx_add_codec_text(struct fx *fx, const char *text, uint8_t address)
{
    struct hdabdl_codec_desc *descs = NULL;
    struct hdabdl_codec_parse_error err;
    struct hdabdl_codec *codec = NULL;
    size_t count = 0;

    if (!fx->hal)
        fx_create_hal(fx);
    memset(&err, 0, sizeof(err));
    int rc = hdabdl_codec_parse(text, strlen(text), &descs, &count, &err);
    if (rc != 0)
        print_error("codec text: line %u: %s\n", err.line, err.message);
    assert_int_equal(rc, 0);
    assert_int_equal(count, 1);
    rc = hdabdl_mock_hal_add_codec(fx->hal, &descs[0], address, &codec);
    hdabdl_codec_desc_array_free(descs, count);
    assert_int_equal(rc, 0);
    assert_non_null(codec);
    assert_int_equal(hdabdl_codec_address(codec), address);
    return codec;
}

struct hdabdl_codec *fx_add_duplex_codec(struct fx *fx, uint8_t address, uint32_t vendor_id)
{
    /* The mock's own default codec (QEMU's hda-duplex layout), with our IDs. */
    struct hdabdl_codec_desc desc;
    struct hdabdl_codec *codec = NULL;

    if (!fx->hal)
        fx_create_hal(fx);
    assert_int_equal(hdabdl__mock_default_codec_desc(&desc), 0);
    desc.address = address;
    desc.vendor_id = vendor_id;
    desc.subsystem_id = FX_CODEC_SUBSYSTEM;
    desc.revision_id = FX_CODEC_REVISION;
    int rc = hdabdl_mock_hal_add_codec(fx->hal, &desc, address, &codec);
    hdabdl_codec_desc_clear(&desc);
    assert_int_equal(rc, 0);
    assert_non_null(codec);
    assert_int_equal(hdabdl_codec_description(codec)->vendor_id, vendor_id);
    return codec;
}

uint64_t fx_verb(hdabdl_client *client, uint32_t verb)
{
    struct hdabdl_codec_transfer t;
    memset(&t, 0, sizeof(t));
    t.output.command = verb;
    assert_status(hdabdl_transfer_codec_verbs(client, 1, &t, NULL, NULL), HDABDL_STATUS_SUCCESS);
    return t.input.complete_response;
}

struct hdabdl_command_stats fx_cmd_stats(struct fx *fx)
{
    struct hdabdl_command_stats st;
    memset(&st, 0xA5, sizeof(st));
    assert_status(hdabdl_controller_get_command_stats(fx->ctrl, &st), HDABDL_STATUS_SUCCESS);
    return st;
}

uint64_t fx_now_ns(struct fx *fx) { return hdabdl_mock_now(fx->dev); }

/* ---- Bus-allocated buffers ------------------------------------------------------------------- */

void fx_bus_engine(hdabdl_client *client, const struct hdabdl_stream_format *fmt,
                   struct fx_bus *b)
{
    memset(b, 0, sizeof(*b));
    b->client = client;
    b->format = *fmt;
    assert_status(hdabdl_allocate_render_dma_engine(client, fmt, false, &b->handle, &b->conv),
                  HDABDL_STATUS_SUCCESS);
    assert_non_null(b->handle);
    b->sd = fx_info(client, b->handle).sd_index;
}

hdabdl_status fx_bus_try_alloc(struct fx_bus *b, uint32_t count, size_t requested)
{
    struct hdabdl_mdl *mdl = NULL;
    size_t allocated = 0, offset = (size_t)-1;
    uint8_t tag = 0;
    uint32_t fifo = 0;
    hdabdl_status st;

    if (count == 0)
        st = hdabdl_allocate_dma_buffer(b->client, b->handle, requested, &mdl, &allocated, &tag,
                                        &fifo);
    else
        st = hdabdl_allocate_dma_buffer_with_notification(b->client, b->handle, count, requested,
                                                          &mdl, &allocated, &offset, &tag, &fifo);
    if (st == HDABDL_STATUS_SUCCESS) {
        b->count = count;
        b->requested = requested;
        b->mdl = mdl;
        b->allocated = allocated;
        b->offset = count == 0 ? 0 : offset;
        b->tag = tag;
        b->fifo_size = fifo;
    }
    return st;
}

void fx_bus_render(hdabdl_client *client, const struct hdabdl_stream_format *fmt, uint32_t count,
                   size_t requested, struct fx_bus *b)
{
    fx_bus_engine(client, fmt, b);
    assert_status(fx_bus_try_alloc(b, count, requested), HDABDL_STATUS_SUCCESS);
    assert_non_null(b->mdl);
    assert_true(b->allocated >= requested);
    for (uint32_t i = 0; i < b->mdl->page_count; i++)
        memset(b->mdl->pages[i].cpu, 0, b->mdl->pages[i].size);
}

hdabdl_status fx_bus_free(struct fx_bus *b)
{
    if (b->count == 0)
        return hdabdl_free_dma_buffer(b->client, b->handle);
    return hdabdl_free_dma_buffer_with_notification(b->client, b->handle, b->mdl, b->allocated);
}

void fx_bus_start(struct fx_bus *b)
{
    assert_status(fx_state1(b->client, HDABDL_PAUSE_STATE, b->handle), HDABDL_STATUS_SUCCESS);
    assert_status(fx_state1(b->client, HDABDL_RUN_STATE, b->handle), HDABDL_STATUS_SUCCESS);
}

uint8_t *fx_mdl_byte(const struct hdabdl_mdl *mdl, size_t offset)
{
    size_t pos = mdl->byte_offset + offset;
    assert_true(offset < mdl->byte_count);
    for (uint32_t i = 0; i < mdl->page_count; i++) {
        if (pos < mdl->pages[i].size)
            return (uint8_t *)mdl->pages[i].cpu + pos;
        pos -= mdl->pages[i].size;
    }
    fail_msg("offset %zu is past the MDL's pages", offset);
    return NULL;
}

void fx_mdl_write(const struct hdabdl_mdl *mdl, size_t offset, const void *src, size_t len)
{
    const uint8_t *p = src;
    for (size_t i = 0; i < len; i++)
        *fx_mdl_byte(mdl, offset + i) = p[i];
}

void fx_mdl_read(const struct hdabdl_mdl *mdl, size_t offset, void *dst, size_t len)
{
    uint8_t *p = dst;
    for (size_t i = 0; i < len; i++)
        p[i] = *fx_mdl_byte(mdl, offset + i);
}

static void fx_event_signal(struct hdabdl_notification_event *event)
{
    /* The event is the first member: the containing object is at the same address. */
    struct fx_event *ev = (struct fx_event *)(void *)event;
    if (ev->signals < FX_EVENT_LOG_MAX)
        ev->times[ev->signals] = ev->fx ? hdabdl_mock_now(ev->fx->dev) : 0;
    ev->signals++;
}

void fx_event_init(struct fx_event *ev, struct fx *fx)
{
    memset(ev, 0, sizeof(*ev));
    ev->event.signal = fx_event_signal;
    ev->fx = fx;
}

void fx_callback_record(void *context, int64_t timestamp_ns)
{
    struct fx_callback_log *log = context;
    if (log->calls < FX_CALLBACK_LOG_MAX)
        log->stamps[log->calls] = timestamp_ns;
    log->calls++;
    if (log->hook)
        log->hook(log, timestamp_ns);
}

/* ---- The spying HAL ------------------------------------------------------------------------------ */

struct fx_hal_spy fx_spy;

static int fx_spy_dma_alloc(void *ctx, size_t size, size_t align, uint64_t limit,
                            struct hdabdl_hal_dma *out)
{
    bool fail = (fx_spy.fail_mask & 1u) != 0;
    fx_spy.fail_mask >>= 1;
    fx_spy.dma_allocs++;
    if (fail)
        return -ENOMEM;
    return hdabdl_mock_hal_ops()->dma_alloc(ctx, size, align, limit, out);
}

static void fx_spy_delay_us(void *ctx, uint32_t us)
{
    fx_spy.delay_calls++;
    fx_spy.delay_us += us;
    hdabdl_mock_hal_ops()->delay_us(ctx, us);
}

int fx_setup_spy(void **state) { return fx_setup_spy_with(state, NULL); }

int fx_setup_spy_with(void **state, fx_tweak_fn tweak)
{
    struct fx *fx = fx_new();
    *state = fx;
    if (tweak)
        tweak(&fx->cfg);
    memset(&fx_spy, 0, sizeof(fx_spy));
    fx_create_hal(fx);
    fx->ops = *hdabdl_mock_hal_ops();
    fx->ops.dma_alloc = fx_spy_dma_alloc;
    fx->ops.delay_us = fx_spy_delay_us;
    assert_status(hdabdl_controller_open(&fx->ops, hdabdl_mock_hal_context(fx->hal), NULL,
                                         &fx->ctrl),
                  HDABDL_STATUS_SUCCESS);
    assert_status(hdabdl_client_open(fx->ctrl, 0, 1, &fx->client), HDABDL_STATUS_SUCCESS);
    fx->dma_baseline = hdabdl_mock_hal_dma_blocks(fx->hal);
    return 0;
}
