/* SPDX-License-Identifier: MIT */
/*
 * format.c - HDAUDIO_STREAM_FORMAT -> SDnFMT / converter format.
 *
 * BITS comes from ValidBitsPerSample, never from ContainerSize (ddi.md §9 #2:
 * Realtek drivers pass container 32 / valid 24). The container must be the
 * one the controller uses in memory for that sample size (HDA spec 4.5.1:
 * 8-bit in bytes, 16-bit in words, 20/24/32-bit in dwords); packed 24-bit
 * containers do not exist on HDA and are refused.
 */
#include "internal.h"

struct rate_encoding {
    uint32_t rate;
    bool base_44k1;
    uint8_t mult;
    uint8_t div;
};

/* The rates HDA converters report in their PCM-size/rate parameter, as
 * base x mult / div. */
static const struct rate_encoding rates[] = {
    {8000, false, 1, 6},   {9600, false, 1, 5},  {11025, true, 1, 4},
    {16000, false, 1, 3},  {22050, true, 1, 2},  {32000, false, 2, 3},
    {44100, true, 1, 1},   {48000, false, 1, 1}, {88200, true, 2, 1},
    {96000, false, 2, 1},  {176400, true, 4, 1}, {192000, false, 4, 1},
};

static bool bits_code(uint16_t valid_bits, uint16_t container, uint16_t *code)
{
    switch (valid_bits) {
    case 8:  *code = 0; return container == 8;
    case 16: *code = 1; return container == 16;
    case 20: *code = 2; return container == 32;
    case 24: *code = 3; return container == 32;
    case 32: *code = 4; return container == 32;
    default: return false;
    }
}

hdabdl_status hdabdl__format_layout(const struct hdabdl_stream_format *format,
                                    struct format_layout *out)
{
    const struct rate_encoding *r = NULL;
    uint16_t code;

    if (!format)
        return HDABDL_STATUS_INVALID_PARAMETER;
    for (size_t i = 0; i < sizeof rates / sizeof rates[0]; i++)
        if (rates[i].rate == format->sample_rate)
            r = &rates[i];
    if (!r || !bits_code(format->valid_bits_per_sample, format->container_size, &code) ||
        format->number_of_channels < 1 || format->number_of_channels > 16)
        return HDABDL_STATUS_INVALID_PARAMETER;

    out->fmt = (hdabdl_converter_format)(
        (r->base_44k1 ? HDA_FMT_BASE_44K1 : 0) |
        (unsigned)(r->mult - 1) << HDA_FMT_MULT_SHIFT |
        (unsigned)(r->div - 1) << HDA_FMT_DIV_SHIFT |
        (unsigned)code << HDA_FMT_BITS_SHIFT |
        (unsigned)(format->number_of_channels - 1));
    out->block_bytes = (uint32_t)format->number_of_channels * format->container_size / 8u;
    out->blocks_per_frame = r->mult;
    return HDABDL_STATUS_SUCCESS;
}

hdabdl_status hdabdl_stream_format_encode(const struct hdabdl_stream_format *format,
                                          hdabdl_converter_format *out)
{
    struct format_layout layout;
    hdabdl_status st;

    if (!out)
        return HDABDL_STATUS_INVALID_PARAMETER;
    st = hdabdl__format_layout(format, &layout);
    if (HDABDL_NT_SUCCESS(st))
        *out = layout.fmt;
    return st;
}

uint32_t hdabdl_stream_format_block_bytes(const struct hdabdl_stream_format *format)
{
    struct format_layout layout;
    return HDABDL_NT_SUCCESS(hdabdl__format_layout(format, &layout)) ? layout.block_bytes : 0;
}
