/* SPDX-License-Identifier: MIT */
/*
 * codec_stream.c - what a codec does besides answering verbs: jack events and
 * the unsolicited response queue, converters listening to stream tags, the
 * byte ring of each output converter, and the capture source of input
 * converters.
 */
#include <stdlib.h>
#include <string.h>

#include "codec_internal.h"

/* ---- Jacks and unsolicited responses ------------------------------------------------------- */

static void unsol_push(struct hdabdl_codec *codec, uint32_t res)
{
    if (codec->unsol_len == codec->cfg.unsol_capacity) {
        codec->stats.unsol_dropped++;   /* the codec cannot send it: lost */
        return;
    }
    size_t tail = (codec->unsol_head + codec->unsol_len) % codec->cfg.unsol_capacity;
    codec->unsol_q[tail] = res;
    codec->unsol_len++;
}

bool hdabdl_codec_set_jack(struct hdabdl_codec *codec, uint8_t nid, bool present)
{
    struct codec_node_rt *rt = codec_node(codec, nid);
    if (!rt || rt->type != HDABDL_WIDGET_PIN_COMPLEX)
        return false;
    if (rt->jack == present)
        return true;
    rt->jack = present;
    if ((rt->d->wcaps & WCAP_UNSOL_CAP) && (rt->unsol & 0x80)) {
        uint32_t res = (uint32_t)(rt->unsol & 0x3F) << 26;
        if (codec_pin_is_hdmi(codec, rt) && present)
            res |= 0x3;     /* PD and ELDV (AC_UNSOL_RES_PD / _ELDV) */
        unsol_push(codec, res);
    }
    return true;
}

bool hdabdl_codec_pop_unsolicited(struct hdabdl_codec *codec, uint32_t *response)
{
    if (codec->unsol_len == 0)
        return false;
    if (response)
        *response = codec->unsol_q[codec->unsol_head];
    codec->unsol_head = (codec->unsol_head + 1) % codec->cfg.unsol_capacity;
    codec->unsol_len--;
    return true;
}

size_t hdabdl_codec_unsolicited_pending(const struct hdabdl_codec *codec)
{
    return codec->unsol_len;
}

/* ---- Converters --------------------------------------------------------------------------------- */

size_t hdabdl_codec_find_converters(const struct hdabdl_codec *codec, uint8_t tag, bool output,
                                    struct hdabdl_codec_converter *out, size_t max)
{
    size_t found = 0;
    uint8_t want = output ? HDABDL_WIDGET_AUDIO_OUTPUT : HDABDL_WIDGET_AUDIO_INPUT;
    if (tag == 0 || tag > 15)
        return 0;
    /* by NID: walk the map, not the dump order */
    for (unsigned nid = 1; nid < 256; nid++) {
        int16_t i = codec->map[nid];
        if (i < 0)
            continue;
        const struct codec_node_rt *rt = &codec->nodes[i];
        if (rt->type != want || (rt->stream_chan >> 4) != tag)
            continue;
        if (out && found < max) {
            struct hdabdl_codec_converter *c = &out[found];
            c->nid = (uint8_t)nid;
            c->channel = rt->stream_chan & 0xF;
            c->channels = (uint8_t)((rt->format & 0xF) + 1);
            c->format = rt->format;
            c->digital = (rt->d->wcaps & WCAP_DIGITAL) != 0;
            c->powered = codec_node_actual_power(codec, rt) == 0;
        }
        found++;
    }
    return found;
}

static struct codec_node_rt *converter(struct hdabdl_codec *codec, uint8_t nid, uint8_t type)
{
    struct codec_node_rt *rt = codec_node(codec, nid);
    return rt && rt->type == type ? rt : NULL;
}

/* Append @n bytes to a converter's ring, dropping the oldest when it is full. */
static void ring_append(struct hdabdl_codec *codec, struct codec_node_rt *rt, const uint8_t *p, size_t n)
{
    struct codec_ring *r = &rt->ring;
    if (!r->buf && codec->cfg.sink_capacity) {
        r->buf = malloc(codec->cfg.sink_capacity);
        if (r->buf)
            r->cap = codec->cfg.sink_capacity;
    }
    r->total += n;
    if (r->cap == 0) {
        r->dropped += n;
        return;
    }
    if (n > r->cap) {               /* only the newest cap bytes can stay */
        r->dropped += r->len + (n - r->cap);
        p += n - r->cap;
        n = r->cap;
        r->head = 0;
        r->len = 0;
    }
    if (r->len + n > r->cap) {      /* drop the oldest to make room */
        size_t drop = r->len + n - r->cap;
        r->head = (r->head + drop) % r->cap;
        r->len -= drop;
        r->dropped += drop;
    }
    size_t tail = (r->head + r->len) % r->cap;
    size_t first = r->cap - tail < n ? r->cap - tail : n;
    memcpy(r->buf + tail, p, first);
    memcpy(r->buf, p + first, n - first);
    r->len += n;
}

size_t hdabdl_codec_converter_consume(struct hdabdl_codec *codec, uint8_t nid, const void *samples,
                                      size_t len)
{
    struct codec_node_rt *rt = converter(codec, nid, HDABDL_WIDGET_AUDIO_OUTPUT);
    if (!rt || (!samples && len))
        return 0;
    ring_append(codec, rt, samples, len);
    return len;
}

/* Bytes per sample in memory for a stream format (HDA spec 3.7.1): 0 if reserved. */
static unsigned container_bytes(uint16_t format)
{
    switch ((format >> 4) & 7) {
    case 0: return 1;
    case 1: return 2;
    case 2: case 3: case 4: return 4;
    default: return 0;
    }
}

/* The slot of converter @rt in a stream of @stream_channels: first channel and count (0: none). */
static unsigned converter_slot(const struct codec_node_rt *rt, unsigned stream_channels, unsigned *first)
{
    unsigned k = (rt->format & 0xFu) + 1;
    *first = rt->stream_chan & 0xFu;
    if (*first >= stream_channels)
        return 0;
    return *first + k > stream_channels ? stream_channels - *first : k;
}

static bool active_converter(const struct hdabdl_codec *codec, const struct codec_node_rt *rt, uint8_t type,
                             uint8_t tag)
{
    return rt->type == type && (rt->stream_chan >> 4) == tag && codec_node_actual_power(codec, rt) == 0;
}

size_t hdabdl_codec_stream_render(struct hdabdl_codec *codec, uint8_t tag, uint16_t stream_format,
                                  const void *data, size_t len)
{
    unsigned cs = container_bytes(stream_format);
    unsigned sch = (stream_format & 0xFu) + 1;
    if (!cs || tag == 0 || tag > 15 || (!data && len))
        return 0;
    size_t frame = (size_t)sch * cs, frames = len / frame, took = 0;
    const uint8_t *p = data;
    for (unsigned nid = 1; nid < 256; nid++) {
        int16_t i = codec->map[nid];
        if (i < 0)
            continue;
        struct codec_node_rt *rt = &codec->nodes[i];
        if (!active_converter(codec, rt, HDABDL_WIDGET_AUDIO_OUTPUT, tag))
            continue;
        unsigned first, k = converter_slot(rt, sch, &first);
        if (k == 0)
            continue;
        if (k == sch) {
            ring_append(codec, rt, p, frames * frame);
        } else {
            for (size_t f = 0; f < frames; f++)
                ring_append(codec, rt, p + f * frame + (size_t)first * cs, (size_t)k * cs);
        }
        took++;
    }
    return took;
}

size_t hdabdl_codec_stream_capture(struct hdabdl_codec *codec, uint8_t tag, uint16_t stream_format,
                                   void *buf, size_t len)
{
    unsigned cs = container_bytes(stream_format);
    unsigned sch = (stream_format & 0xFu) + 1;
    if (!cs || tag == 0 || tag > 15 || (!buf && len))
        return 0;
    size_t frame = (size_t)sch * cs, frames = len / frame, gave = 0;
    uint8_t *out = buf;
    for (unsigned nid = 1; nid < 256; nid++) {
        int16_t i = codec->map[nid];
        if (i < 0)
            continue;
        struct codec_node_rt *rt = &codec->nodes[i];
        if (!active_converter(codec, rt, HDABDL_WIDGET_AUDIO_INPUT, tag))
            continue;
        unsigned first, k = converter_slot(rt, sch, &first);
        if (k == 0)
            continue;
        if (gave == 0)
            memset(out, 0, len);
        gave++;
        size_t slice = (size_t)k * cs;
        uint8_t tmp[4096];
        size_t per = sizeof(tmp) / slice;   /* slice <= 64 bytes, so per >= 64 */
        for (size_t f = 0; f < frames; f += per) {
            size_t nf = frames - f < per ? frames - f : per;
            if (codec->source)
                codec->source(codec->source_ctx, (uint8_t)nid, rt->format, tmp, nf * slice);
            else
                memset(tmp, 0, nf * slice);
            for (size_t j = 0; j < nf; j++)
                memcpy(out + (f + j) * frame + (size_t)first * cs, tmp + j * slice, slice);
        }
    }
    return gave;
}

size_t hdabdl_codec_converter_read(struct hdabdl_codec *codec, uint8_t nid, void *buf, size_t len)
{
    struct codec_node_rt *rt = converter(codec, nid, HDABDL_WIDGET_AUDIO_OUTPUT);
    if (!rt || !rt->ring.buf)
        return 0;
    struct codec_ring *r = &rt->ring;
    size_t n = len < r->len ? len : r->len;
    size_t first = r->cap - r->head < n ? r->cap - r->head : n;
    if (buf) {
        memcpy(buf, r->buf + r->head, first);
        memcpy((uint8_t *)buf + first, r->buf, n - first);
    }
    r->head = (r->head + n) % r->cap;
    r->len -= n;
    return n;
}

size_t hdabdl_codec_converter_available(const struct hdabdl_codec *codec, uint8_t nid)
{
    int16_t i = codec->map[nid];
    if (i < 0 || codec->nodes[i].type != HDABDL_WIDGET_AUDIO_OUTPUT)
        return 0;
    return codec->nodes[i].ring.len;
}

uint64_t hdabdl_codec_converter_total(const struct hdabdl_codec *codec, uint8_t nid)
{
    int16_t i = codec->map[nid];
    return i < 0 ? 0 : codec->nodes[i].ring.total;
}

uint64_t hdabdl_codec_converter_dropped(const struct hdabdl_codec *codec, uint8_t nid)
{
    int16_t i = codec->map[nid];
    return i < 0 ? 0 : codec->nodes[i].ring.dropped;
}

void hdabdl_codec_set_source(struct hdabdl_codec *codec, hdabdl_codec_source_fn fn, void *ctx)
{
    codec->source = fn;
    codec->source_ctx = fn ? ctx : NULL;
}

size_t hdabdl_codec_converter_produce(struct hdabdl_codec *codec, uint8_t nid, void *buf, size_t len)
{
    struct codec_node_rt *rt = converter(codec, nid, HDABDL_WIDGET_AUDIO_INPUT);
    if (!rt || (!buf && len))
        return 0;
    if (len == 0)
        return 0;
    if (codec->source)
        codec->source(codec->source_ctx, nid, rt->format, buf, len);
    else
        memset(buf, 0, len);
    return len;
}
