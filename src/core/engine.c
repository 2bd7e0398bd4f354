/* SPDX-License-Identifier: MIT */
/*
 * engine.c - DMA engine allocation, stream tags, link bandwidth, handles.
 */
#include <string.h>

#include "internal.h"

/* ---- Handles: (generation << 8) | (SD index + 1); never dereferenced. ---- */

#define HANDLE_INDEX_BITS 8
#define GENERATION_MASK 0xFFFFFFu

hdabdl_handle hdabdl__engine_handle(const struct engine *e)
{
    uintptr_t v = ((uintptr_t)e->generation << HANDLE_INDEX_BITS) | ((uintptr_t)e->index + 1u);
    return (hdabdl_handle)v;
}

struct engine *hdabdl__engine_lookup(hdabdl_client *client, hdabdl_handle handle)
{
    hdabdl_controller *ctrl = client->ctrl;
    uintptr_t v = (uintptr_t)handle;
    uintptr_t slot = v & ((1u << HANDLE_INDEX_BITS) - 1);
    uintptr_t generation = v >> HANDLE_INDEX_BITS;
    struct engine *e;

    if (slot == 0 || slot > ctrl->num_streams || generation > GENERATION_MASK)
        return NULL;
    e = &ctrl->engines[slot - 1];
    if (e->owner != client || e->generation != generation)
        return NULL;
    return e;
}

hdabdl_status hdabdl__engine_enter(hdabdl_client *client, hdabdl_handle handle, struct engine **out)
{
    if (!client)
        return HDABDL_STATUS_INVALID_PARAMETER;
    hdabdl__lock(client->ctrl);
    *out = hdabdl__engine_lookup(client, handle);
    if (!*out) {
        hdabdl__unlock(client->ctrl);
        return HDABDL_STATUS_INVALID_HANDLE;
    }
    return HDABDL_STATUS_SUCCESS;
}

/* ---- Bandwidth (bits per 48 kHz frame, hw.md §3.8) ---------------------------- */

struct reservation {
    bool render;
    uint8_t line;       /* capture: SDI line */
    uint8_t lines;      /* render: SDO lines 0..lines-1 */
    uint32_t bits;      /* on each line */
};

static struct reservation reservation_for(const hdabdl_controller *ctrl, bool render,
                                          uint8_t codec_address, bool stripe,
                                          const struct hdabdl_stream_format *format,
                                          const struct format_layout *layout)
{
    uint32_t payload = layout->blocks_per_frame * format->valid_bits_per_sample *
                       format->number_of_channels;
    struct reservation r = {.render = render};

    if (render) {
        /* Striping spreads the stream's bits MSB-first over the SDO lines. */
        r.lines = stripe ? ctrl->info.sdo_lines : 1;
        r.bits = (payload + r.lines - 1u) / r.lines;
    } else {
        /* Each SDI packet carries a 10-bit header and whole bytes of samples. */
        r.line = codec_address;
        r.lines = 1;
        r.bits = HDA_SDI_STREAM_HEADER_BITS + (payload + 7u) / 8u * 8u;
    }
    return r;
}

static bool reservation_fits(const hdabdl_controller *ctrl, const struct reservation *r)
{
    if (!r->render)
        return ctrl->sdi_used[r->line] + r->bits <= SDI_LINE_CAPACITY;
    for (unsigned l = 0; l < r->lines; l++)
        if (ctrl->sdo_used[l] + r->bits > SDO_LINE_CAPACITY)
            return false;
    return true;
}

static void reservation_apply(hdabdl_controller *ctrl, const struct reservation *r, bool add)
{
    if (!r->render) {
        ctrl->sdi_used[r->line] = add ? ctrl->sdi_used[r->line] + r->bits
                                      : ctrl->sdi_used[r->line] - r->bits;
        return;
    }
    for (unsigned l = 0; l < r->lines; l++)
        ctrl->sdo_used[l] = add ? ctrl->sdo_used[l] + r->bits : ctrl->sdo_used[l] - r->bits;
}

static struct reservation engine_reservation(const struct engine *e)
{
    return (struct reservation){.render = e->render,
                                .line = e->codec_address,
                                .lines = e->render ? e->stripe_lines : 1,
                                .bits = e->bandwidth_bits};
}

/* FIFO: the engine must hold at least one link frame of the format. */
static uint32_t engine_fifo_size(hdabdl_controller *ctrl, const struct engine *e)
{
    return (uint32_t)hdabdl__rd16(ctrl, SD_REG(e, HDA_SD_FIFOS)) + 1u;
}

/* ---- Allocation --------------------------------------------------------------------- */

static struct engine *find_free_engine(hdabdl_controller *ctrl, enum hdabdl_engine_kind kind)
{
    for (unsigned i = 0; i < ctrl->num_streams; i++)
        if (ctrl->engines[i].kind == kind && !ctrl->engines[i].owner)
            return &ctrl->engines[i];
    return NULL;
}

static uint8_t find_free_tag(uint16_t used)
{
    for (uint8_t t = 1; t <= MAX_STREAM_TAG; t++)
        if (!(used & (1u << t)))
            return t;
    return 0;
}

static hdabdl_status allocate_engine(hdabdl_client *client, bool render, uint8_t codec_address,
                                     const struct hdabdl_stream_format *format, bool stripe,
                                     hdabdl_handle *handle, hdabdl_converter_format *converter)
{
    hdabdl_controller *ctrl;
    struct format_layout layout;
    struct reservation r;
    struct engine *e;
    uint16_t *tags;
    uint8_t tag;
    hdabdl_status st;

    HDABDL_REQUIRE_PASSIVE(client);
    if (!client || !format || !handle || !converter)
        return HDABDL_STATUS_INVALID_PARAMETER;
    ctrl = client->ctrl;
    st = hdabdl__format_layout(format, &layout);
    if (!HDABDL_NT_SUCCESS(st))
        return st;
    if (!render && (codec_address >= MAX_SDI_LINES ||
                    !(ctrl->info.codec_mask & (1u << codec_address))))
        return HDABDL_STATUS_INVALID_PARAMETER;

    hdabdl__lock(ctrl);
    HDABDL_REQUIRE_PRESENT(ctrl);
    e = find_free_engine(ctrl, render ? HDABDL_ENGINE_OUTPUT : HDABDL_ENGINE_INPUT);
    if (!e)
        e = find_free_engine(ctrl, HDABDL_ENGINE_BIDIR);
    tags = render ? &ctrl->render_tags : &ctrl->capture_tags;
    tag = find_free_tag(*tags);
    if (!e || !tag) {
        st = HDABDL_STATUS_INSUFFICIENT_RESOURCES;
        goto out;
    }
    if (layout.blocks_per_frame * layout.block_bytes > engine_fifo_size(ctrl, e)) {
        st = HDABDL_STATUS_BUFFER_TOO_SMALL;
        goto out;
    }
    r = reservation_for(ctrl, render, codec_address, stripe, format, &layout);
    if (!reservation_fits(ctrl, &r)) {
        st = HDABDL_STATUS_INSUFFICIENT_RESOURCES;
        goto out;
    }
    st = hdabdl__take_io_error(ctrl);
    if (!HDABDL_NT_SUCCESS(st))
        goto out;

    reservation_apply(ctrl, &r, true);
    *tags = (uint16_t)(*tags | (1u << tag));
    e->owner = client;
    e->generation = ctrl->next_generation;
    ctrl->next_generation = (ctrl->next_generation & GENERATION_MASK) + 1u;
    if (ctrl->next_generation > GENERATION_MASK)
        ctrl->next_generation = 1;
    e->render = render;
    e->tag = tag;
    e->codec_address = render ? 0 : codec_address;
    e->stripe_lines = render ? r.lines : 1;
    e->bandwidth_bits = r.bits;
    e->format = *format;
    e->converter_format = layout.fmt;
    e->state = HDABDL_RESET_STATE;
    e->buffer = HDABDL_BUFFER_NONE;
    e->isr = NULL;
    e->isr_context = NULL;
    *handle = hdabdl__engine_handle(e);
    *converter = layout.fmt;
out:
    if (ctrl->gone && !HDABDL_NT_SUCCESS(st) && st != HDABDL_STATUS_INVALID_HANDLE)
        st = HDABDL_STATUS_DEVICE_DOES_NOT_EXIST;   /* what went wrong: the device went away */
    hdabdl__unlock(ctrl);
    return st;
}

hdabdl_status hdabdl_allocate_capture_dma_engine(hdabdl_client *client, uint8_t codec_address,
                                                 const struct hdabdl_stream_format *format,
                                                 hdabdl_handle *handle,
                                                 hdabdl_converter_format *converter_format)
{
    return allocate_engine(client, false, codec_address, format, false, handle, converter_format);
}

hdabdl_status hdabdl_allocate_render_dma_engine(hdabdl_client *client,
                                                const struct hdabdl_stream_format *format,
                                                bool stripe, hdabdl_handle *handle,
                                                hdabdl_converter_format *converter_format)
{
    return allocate_engine(client, true, 0, format, stripe, handle, converter_format);
}

hdabdl_status hdabdl_change_bandwidth_allocation(hdabdl_client *client, hdabdl_handle handle,
                                                 const struct hdabdl_stream_format *format,
                                                 hdabdl_converter_format *converter_format)
{
    hdabdl_controller *ctrl;
    struct format_layout layout;
    struct reservation old, r;
    struct engine *e;
    hdabdl_status st;

    HDABDL_REQUIRE_PASSIVE(client);
    st = hdabdl__engine_enter(client, handle, &e);
    if (!HDABDL_NT_SUCCESS(st))
        return st;
    HDABDL_REQUIRE_PRESENT(client->ctrl);
    ctrl = client->ctrl;
    if (!format || !converter_format) {
        st = HDABDL_STATUS_INVALID_PARAMETER;
        goto out;
    }
    if (e->state != HDABDL_RESET_STATE || e->buffer != HDABDL_BUFFER_NONE) {
        st = HDABDL_STATUS_INVALID_DEVICE_REQUEST;
        goto out;
    }
    st = hdabdl__format_layout(format, &layout);
    if (!HDABDL_NT_SUCCESS(st))
        goto out;
    if (layout.blocks_per_frame * layout.block_bytes > engine_fifo_size(ctrl, e)) {
        st = HDABDL_STATUS_BUFFER_TOO_SMALL;
        goto out;
    }
    st = hdabdl__take_io_error(ctrl);
    if (!HDABDL_NT_SUCCESS(st))
        goto out;

    /* Admit the new reservation as if the old one were gone; keep the old on failure. */
    old = engine_reservation(e);
    r = reservation_for(ctrl, e->render, e->codec_address, e->stripe_lines > 1, format, &layout);
    reservation_apply(ctrl, &old, false);
    if (!reservation_fits(ctrl, &r)) {
        reservation_apply(ctrl, &old, true);
        st = HDABDL_STATUS_INSUFFICIENT_RESOURCES;
        goto out;
    }
    reservation_apply(ctrl, &r, true);
    e->bandwidth_bits = r.bits;
    e->format = *format;
    e->converter_format = layout.fmt;
    *converter_format = layout.fmt;
out:
    if (ctrl->gone && !HDABDL_NT_SUCCESS(st) && st != HDABDL_STATUS_INVALID_HANDLE)
        st = HDABDL_STATUS_DEVICE_DOES_NOT_EXIST;   /* what went wrong: the device went away */
    hdabdl__unlock(ctrl);
    return st;
}

void hdabdl__engine_release(hdabdl_controller *ctrl, struct engine *e)
{
    struct reservation r = engine_reservation(e);
    uint16_t *tags = e->render ? &ctrl->render_tags : &ctrl->capture_tags;

    reservation_apply(ctrl, &r, false);
    *tags = (uint16_t)(*tags & ~(1u << e->tag));
    hdabdl__notifications_clear(e);
    e->owner = NULL;
    e->generation = 0;
    e->tag = 0;
    e->bandwidth_bits = 0;
    e->isr = NULL;
    e->isr_context = NULL;
}

hdabdl_status hdabdl_free_dma_engine(hdabdl_client *client, hdabdl_handle handle)
{
    hdabdl_controller *ctrl;
    struct engine *e;
    hdabdl_status st = hdabdl__engine_enter(client, handle, &e);

    if (!HDABDL_NT_SUCCESS(st))
        return st;
    ctrl = client->ctrl;
    if (e->state != HDABDL_RESET_STATE || e->buffer != HDABDL_BUFFER_NONE)
        st = HDABDL_STATUS_INVALID_DEVICE_REQUEST;
    else
        hdabdl__engine_release(ctrl, e);
    if (HDABDL_NT_SUCCESS(st) && ctrl->gone)
        st = HDABDL_STATUS_DEVICE_DOES_NOT_EXIST;   /* released all the same */
    hdabdl__unlock(ctrl);
    return st;
}

hdabdl_status hdabdl_engine_get_info(hdabdl_client *client, hdabdl_handle handle,
                                     struct hdabdl_engine_info *info)
{
    hdabdl_controller *ctrl;
    struct engine *e;
    hdabdl_status st = hdabdl__engine_enter(client, handle, &e);

    if (!HDABDL_NT_SUCCESS(st))
        return st;
    ctrl = client->ctrl;
    if (!info) {
        st = HDABDL_STATUS_INVALID_PARAMETER;
    } else {
        memset(info, 0, sizeof *info);
        info->sd_index = e->index;
        info->kind = e->kind;
        info->render = e->render;
        info->stream_tag = e->tag;
        info->state = e->state;
        info->buffer = e->buffer;
        info->buffer_kind = e->buffer_kind;
        info->notification_count = e->notification_count;
        for (unsigned i = 0; i < HDABDL_MAX_NOTIFICATION_EVENTS; i++)
            info->notification_events += e->events[i] != NULL;
        for (unsigned i = 0; i < HDABDL_MAX_NOTIFICATION_CALLBACKS; i++)
            info->notification_callbacks += e->callbacks[i].fn != NULL;
        info->format = e->format;
        info->converter_format = e->converter_format;
        info->codec_address = e->codec_address;
        info->stripe_lines = e->stripe_lines;
        info->bandwidth_bits = e->bandwidth_bits;
        info->buffer_size = e->buffer_size;
        info->buffer_length = e->buffer_length;
        info->lvi = e->lvi;
        info->fifo_size = e->fifo_size;
    }
    hdabdl__unlock(ctrl);
    return st;
}
