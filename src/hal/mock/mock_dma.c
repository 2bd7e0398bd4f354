/* SPDX-License-Identifier: MIT */
/*
 * mock_dma.c - the stream DMA engines of the mock HDA controller.
 *
 * Once per link frame every engine that may move data (RUN, SSYNC bit clear,
 * CBL non-zero) moves a whole number of sample blocks: a cadence accumulator
 * keeps the long-run rate at the format's rate. The engine walks its BDL
 * (entries fetched through the host, one at a time, like a descriptor
 * prefetch), crossing entries within a frame, wrapping after LVI; LPIB wraps
 * at CBL. Render data goes to the link tap of the stream's tag and to every
 * attached codec's powered output converters (DACs) set to that tag. Capture
 * data comes from the first attached codec (lowest address) with an input
 * converter (ADC) set to the tag, else from the capture source, else zeros.
 *
 * Every device-initiated access is checked first: a range reaching into the
 * BAR (CVE-2021-3611 pattern) or above 4 GiB without 64OK is refused and
 * never touches memory; the BDL walk is bounded (CVE-2016-8909 pattern).
 *
 * Byte order: what the engines share with host memory is little-endian on
 * the bus, whatever the host's byte order (Intel HDA specification 1.0a):
 * the BDL entries they fetch (64-bit address, 32-bit length, 32-bit IOC word)
 * and the DMA position buffer they write (one 32-bit LPIB per stream, 8 bytes
 * apart) go through byteorder.h. Sample data is moved as bytes, never as
 * host integers: the link taps, the codecs' converters and the capture
 * sources see the little-endian samples exactly as they are in memory.
 */
#include <stdlib.h>
#include <string.h>

#include "byteorder.h"
#include "mock_internal.h"

#include "hdabdl/codec.h"


/* ---- Format -------------------------------------------------------------------- */

struct mock_format {
    uint32_t block_bytes;   /* channels x container bytes */
    uint64_t rate_num;      /* blocks per second = rate_num / rate_den * 48000 ... */
    uint64_t rate_den;      /* ... i.e. per frame: rate_num / rate_den */
};

static struct mock_format mock_decode_format(uint32_t fmt)
{
    static const uint8_t container_bytes[8] = { 1, 2, 4, 4, 4, 4, 4, 4 };
    struct mock_format f;
    uint32_t base = (fmt & HDA_FMT_BASE_44K1) ? 44100u : 48000u;
    uint32_t mult = ((fmt & HDA_FMT_MULT_MASK) >> HDA_FMT_MULT_SHIFT) + 1u;
    uint32_t div = ((fmt & HDA_FMT_DIV_MASK) >> HDA_FMT_DIV_SHIFT) + 1u;
    uint32_t channels = (fmt & HDA_FMT_CHAN_MASK) + 1u;

    f.block_bytes = channels * container_bytes[(fmt & HDA_FMT_BITS_MASK) >> HDA_FMT_BITS_SHIFT];
    f.rate_num = (uint64_t)base * mult;
    f.rate_den = (uint64_t)HDA_FRAME_RATE * div;
    return f;
}

/* ---- Link taps and capture ---------------------------------------------------------- */

static bool mock_tap_reserve(struct mock_link_tap *tap, size_t need, size_t capacity)
{
    if (tap->allocated >= need)
        return true;
    size_t size = tap->allocated ? tap->allocated : 4096;
    while (size < need)
        size = size > capacity / 2 ? capacity : size * 2;
    if (size > capacity)
        size = capacity;
    uint8_t *data = malloc(size);
    if (!data)
        return false;
    /* Unwrap into the new buffer. */
    size_t first = tap->used < tap->allocated - tap->head ? tap->used : tap->allocated - tap->head;
    if (tap->used) {
        memcpy(data, tap->data + tap->head, first);
        memcpy(data + first, tap->data, tap->used - first);
    }
    free(tap->data);
    tap->data = data;
    tap->allocated = size;
    tap->head = 0;
    return true;
}

/* Keep the newest link_tap_capacity bytes; count what falls off. */
static void mock_tap_push(struct hdabdl_mock *m, uint8_t tag, const uint8_t *data, size_t len)
{
    struct mock_link_tap *tap = &m->taps[tag & 0xF];
    size_t capacity = m->config.link_tap_capacity;

    if (tag == 0 || tag >= MOCK_LINK_TAGS) {
        tap->dropped += len;    /* tag 0 is reserved: nobody listens */
        return;
    }
    if (len > capacity) {
        tap->dropped += len - capacity;
        data += len - capacity;
        len = capacity;
    }
    if (len == 0)
        return;
    size_t need = tap->used + len < capacity ? tap->used + len : capacity;
    if (!mock_tap_reserve(tap, need, capacity)) {
        tap->dropped += len;
        return;
    }
    if (tap->used + len > capacity) {
        size_t drop = tap->used + len - capacity;
        tap->head = (tap->head + drop) % tap->allocated;
        tap->used -= drop;
        tap->dropped += drop;
    }
    size_t tail = (tap->head + tap->used) % tap->allocated;
    size_t first = len < tap->allocated - tail ? len : tap->allocated - tail;
    memcpy(tap->data + tail, data, first);
    memcpy(tap->data, data + first, len - first);
    tap->used += len;
}

size_t hdabdl_mock_link_tap_read(struct hdabdl_mock *mock, uint8_t tag, void *buf, size_t len)
{
    if (tag == 0 || tag >= MOCK_LINK_TAGS)
        return 0;
    hdabdl__mock_lock(mock);
    struct mock_link_tap *tap = &mock->taps[tag];
    size_t n = len < tap->used ? len : tap->used;
    size_t first = n < tap->allocated - tap->head ? n : tap->allocated - tap->head;
    if (n) {
        memcpy(buf, tap->data + tap->head, first);
        memcpy((uint8_t *)buf + first, tap->data, n - first);
        tap->head = (tap->head + n) % tap->allocated;
        tap->used -= n;
    }
    hdabdl__mock_unlock(mock);
    return n;
}

size_t hdabdl_mock_link_tap_available(struct hdabdl_mock *mock, uint8_t tag)
{
    if (tag == 0 || tag >= MOCK_LINK_TAGS)
        return 0;
    hdabdl__mock_lock(mock);
    size_t used = mock->taps[tag].used;
    hdabdl__mock_unlock(mock);
    return used;
}

uint64_t hdabdl_mock_link_tap_dropped(struct hdabdl_mock *mock, uint8_t tag)
{
    if (tag >= MOCK_LINK_TAGS)
        return 0;
    hdabdl__mock_lock(mock);
    uint64_t dropped = mock->taps[tag].dropped;
    hdabdl__mock_unlock(mock);
    return dropped;
}

void hdabdl__mock_link_taps_free(struct hdabdl_mock *m)
{
    for (unsigned t = 0; t < MOCK_LINK_TAGS; t++) {
        free(m->taps[t].data);
        memset(&m->taps[t], 0, sizeof(m->taps[t]));
    }
}

void hdabdl_mock_set_capture_source(struct hdabdl_mock *mock, hdabdl_mock_capture_fn fn, void *ctx)
{
    hdabdl__mock_lock(mock);
    mock->capture_fn = fn;
    mock->capture_ctx = ctx;
    hdabdl__mock_unlock(mock);
}

/* ---- Device-initiated memory access ---------------------------------------------------- */

static uint8_t mock_stream_tag(const struct hdabdl_mock *m, unsigned n)
{
    return (uint8_t)((mock_sd_get(m, n, MOCK_SD_CTL) & HDA_SD_CTL_STRM_MASK) >> HDA_SD_CTL_STRM_SHIFT);
}

static bool mock_stream_renders(const struct hdabdl_mock *m, unsigned n)
{
    switch (m->streams[n].kind) {
    case MOCK_STREAM_OUTPUT: return true;
    case MOCK_STREAM_BIDIR: return (mock_sd_get(m, n, MOCK_SD_CTL) & HDA_SD_CTL_DIR) != 0;
    case MOCK_STREAM_INPUT: return false;
    }
    return false;
}

/* May the device touch [bus, bus + len)? Returns true, or records why not. */
static bool mock_dma_allowed(struct hdabdl_mock *m, uint64_t bus, size_t len, bool write)
{
    uint64_t last = bus + len - 1;
    uint64_t bar = m->config.mmio_bus_address;
    enum hdabdl_mock_violation kind;

    if (last < bus || (!m->config.addr64 && last > UINT32_MAX))
        kind = HDABDL_MOCK_DMA_FAULT;          /* beyond what the device can address */
    else if (bus <= bar + (HDA_MMIO_SIZE - 1) && last >= bar)
        kind = HDABDL_MOCK_DMA_INTO_MMIO;      /* never let the device reach its own BAR */
    else
        return true;
    hdabdl__mock_record(m, kind, (uint32_t)bus, 0, write, (uint32_t)len);
    return false;
}

bool hdabdl__mock_dma_read(struct hdabdl_mock *m, uint64_t bus, void *buf, size_t len)
{
    if (!mock_dma_allowed(m, bus, len, false))
        return false;
    if (m->host.dma_read(m->host.ctx, bus, buf, len) != 0) {
        hdabdl__mock_record(m, HDABDL_MOCK_DMA_FAULT, (uint32_t)bus, 0, false, (uint32_t)len);
        return false;
    }
    m->stats.dma_bytes_read += len;
    return true;
}

bool hdabdl__mock_dma_write(struct hdabdl_mock *m, uint64_t bus, const void *buf, size_t len)
{
    if (!mock_dma_allowed(m, bus, len, true))
        return false;
    if (m->host.dma_write(m->host.ctx, bus, buf, len) != 0) {
        hdabdl__mock_record(m, HDABDL_MOCK_DMA_FAULT, (uint32_t)bus, 0, true, (uint32_t)len);
        return false;
    }
    m->stats.dma_bytes_written += len;
    return true;
}

/* A descriptor error: DESE, and the engine stops at once (RUN reads 0). */
static void mock_descriptor_error(struct hdabdl_mock *m, unsigned n)
{
    *mock_sd(m, n, MOCK_SD_STS) |= HDA_SD_STS_DESE;
    hdabdl__mock_stop_engine(m, n);
}

static bool mock_load_entry(struct hdabdl_mock *m, unsigned n)
{
    struct mock_stream *s = &m->streams[n];
    uint64_t bdl = (uint64_t)mock_sd_get(m, n, MOCK_SD_BDPU) << 32 | mock_sd_get(m, n, MOCK_SD_BDPL);
    uint8_t raw[HDA_BDL_ENTRY_SIZE];

    if (!hdabdl__mock_dma_read(m, bdl + (uint64_t)HDA_BDL_ENTRY_SIZE * s->entry_index, raw, sizeof(raw))) {
        mock_descriptor_error(m, n);
        return false;
    }
    /* Bytes 0-7 address, 8-11 length, 12-15 IOC word: little-endian. */
    s->entry.address = hdabdl__le64_load(raw);
    s->entry.length = hdabdl__le32_load(raw + 8);
    s->entry.flags = hdabdl__le32_load(raw + 12);
    s->entry_offset = 0;
    s->entry_loaded = true;
    return true;
}

static void mock_next_entry(struct hdabdl_mock *m, unsigned n)
{
    struct mock_stream *s = &m->streams[n];
    uint32_t lvi = mock_sd_get(m, n, MOCK_SD_LVI) & 0xFFu;
    s->entry_index = s->entry_index >= lvi ? 0 : s->entry_index + 1;
    s->entry_offset = 0;
    s->entry_loaded = false;
}

/* One frame of render data on the link reaches every codec: each DAC set to
 * @tag and powered takes its own channels of each sample block. */
static void mock_feed_codecs(struct hdabdl_mock *m, uint8_t tag, uint16_t fmt, const uint8_t *data,
                             size_t len)
{
    for (unsigned a = 0; a < MOCK_CODECS; a++)
        if (m->codecs[a])
            (void)hdabdl_codec_stream_render(m->codecs[a], tag, fmt, data, len);
}

/* One frame of capture data for @tag: from the codecs whose ADCs are set to
 * it (each fills its own channels), else the capture source, else silence. */
static void mock_capture_frame(struct hdabdl_mock *m, uint8_t tag, uint16_t fmt, uint8_t *buf,
                               size_t len)
{
    for (unsigned a = 0; a < MOCK_CODECS; a++)
        if (m->codecs[a] && hdabdl_codec_stream_capture(m->codecs[a], tag, fmt, buf, len) > 0)
            return;
    if (m->capture_fn)
        m->capture_fn(m->capture_ctx, tag, buf, len);
    else
        memset(buf, 0, len);
}

/* Move one frame of @len bytes (whole sample blocks, at most
 * MOCK_MAX_FRAME_BYTES) between memory and the link, walking the BDL.
 * Returns the bytes moved. The link sees the frame as a whole, however the
 * BDL entries cut it. */
static uint32_t mock_stream_move(struct hdabdl_mock *m, unsigned n, uint32_t len)
{
    struct mock_stream *s = &m->streams[n];
    uint32_t cbl = mock_sd_get(m, n, MOCK_SD_CBL);
    uint32_t lvi = mock_sd_get(m, n, MOCK_SD_LVI) & 0xFFu;
    uint16_t fmt = (uint16_t)mock_sd_get(m, n, MOCK_SD_FMT);
    uint8_t tag = mock_stream_tag(m, n);
    bool render = mock_stream_renders(m, n);
    uint8_t frame[MOCK_MAX_FRAME_BYTES];
    uint32_t moved = 0, skipped = 0;

    if (len > sizeof(frame))
        len = sizeof(frame);
    if (!render)
        mock_capture_frame(m, tag, fmt, frame, len);
    while (moved < len && s->engine_on) {
        if (!s->entry_loaded && !mock_load_entry(m, n))
            break;
        if (s->entry_offset >= s->entry.length) {
            /* Zero-length entry: tolerated, but a list of nothing but those
             * must not spin: give up for this frame after one lap. */
            if (skipped++ > lvi)
                break;
            mock_next_entry(m, n);
            continue;
        }
        uint32_t left = s->entry.length - s->entry_offset;
        uint32_t chunk = len - moved < left ? len - moved : left;
        uint64_t bus = s->entry.address + s->entry_offset;
        if (render ? !hdabdl__mock_dma_read(m, bus, frame + moved, chunk)
                   : !hdabdl__mock_dma_write(m, bus, frame + moved, chunk)) {
            mock_descriptor_error(m, n);
            break;
        }
        s->entry_offset += chunk;
        moved += chunk;
        uint32_t *lpib = mock_sd(m, n, MOCK_SD_LPIB);
        *lpib = (uint32_t)(((uint64_t)*lpib + chunk) % cbl);
        if (s->entry_offset == s->entry.length) {
            if (s->entry.flags & HDA_BDL_IOC) {
                *mock_sd(m, n, MOCK_SD_STS) |= HDA_SD_STS_BCIS;
                m->stats.bcis_raised++;
            }
            mock_next_entry(m, n);
        }
    }
    if (render && moved > 0) {
        mock_tap_push(m, tag, frame, moved);
        mock_feed_codecs(m, tag, fmt, frame, moved);
    }
    return moved;
}

static void mock_write_position(struct hdabdl_mock *m, unsigned n)
{
    uint64_t base = (uint64_t)m->vals[MOCK_DPUBASE] << 32 | (m->vals[MOCK_DPLBASE] & ~0x7Fu);
    uint8_t le[4];

    hdabdl__le32_store(le, mock_sd_get(m, n, MOCK_SD_LPIB));   /* little-endian in memory */

    /* A refused position write is recorded; the stream itself carries on. */
    (void)hdabdl__mock_dma_write(m, base + (uint64_t)HDA_POSBUF_STRIDE * n, le, sizeof(le));
}

/* ---- Frames ------------------------------------------------------------------------------ */

bool hdabdl__mock_stream_moving(const struct hdabdl_mock *m, unsigned n)
{
    return m->streams[n].engine_on && !(m->vals[MOCK_SSYNC] & (1u << n)) &&
           mock_sd_get(m, n, MOCK_SD_CBL) != 0;
}

static void mock_stream_frame(struct hdabdl_mock *m, unsigned n)
{
    struct mock_stream *s = &m->streams[n];
    struct mock_format f = mock_decode_format(mock_sd_get(m, n, MOCK_SD_FMT));

    s->cadence += f.rate_num;
    uint64_t blocks = s->cadence / f.rate_den;
    s->cadence -= blocks * f.rate_den;
    uint32_t len = (uint32_t)blocks * f.block_bytes;
    if (len == 0)
        return;
    if (mock_stream_move(m, n, len) > 0 && (m->vals[MOCK_DPLBASE] & HDA_DPLBASE_ENABLE))
        mock_write_position(m, n);
}

void hdabdl__mock_dma_frame(struct hdabdl_mock *m)
{
    for (unsigned n = 0; n < m->stream_count; n++)
        if (hdabdl__mock_stream_moving(m, n))
            mock_stream_frame(m, n);
}
