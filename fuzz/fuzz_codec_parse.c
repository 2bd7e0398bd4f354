/* SPDX-License-Identifier: MIT */
/*
 * fuzz/fuzz_codec_parse.c - libFuzzer target: the codec dump reader, the
 * printers and the codec model built from what was read.
 *
 * For every input:
 *   1. hdabdl_codec_parse() on the bytes (any bytes: a malformed text is an
 *      error with a line number, never a crash);
 *   2. for each description read: print it back (hdabdl_codec_desc_to_proc),
 *      read the printout again and require an equal description
 *      (parse(print(d)) == d, the round trip codec.h promises), copy it and
 *      require the copy equal, print it as JSON;
 *   3. build a codec from it (hdabdl_codec_create) and send it verbs: a probe
 *      of the usual GET verbs on its nodes, then verbs made from the input's
 *      bytes (NIDs of the dump, set verbs with payloads from the input), a
 *      jack event per pin, a function reset, some stream data; free it.
 * A broken promise calls abort() with the reason on stderr, which libFuzzer
 * reports as a crash.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hdabdl/codec.h"
#include "hdabdl/verbs.h"

#define MAX_CODECS_MODELLED 4     /* codecs of one input built and driven */
#define MAX_INPUT_VERBS 96        /* verbs made from the input's bytes, per codec */
#define MAX_PROBED_NODES 24       /* nodes of a codec the GET probe visits */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what, const char *detail)
{
    fprintf(stderr, "fuzz_codec_parse: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    abort();
}

/* ---- Bytes of the input as a stream of numbers ------------------------------------ */

struct bytes {
    const uint8_t *data;
    size_t size;
    size_t pos;     /* wraps around: a short input still gives numbers */
};

static uint8_t next8(struct bytes *b)
{
    if (b->size == 0)
        return 0;
    uint8_t v = b->data[b->pos % b->size];
    b->pos++;
    return v;
}

static uint16_t next16(struct bytes *b)
{
    uint16_t lo = next8(b);
    return (uint16_t)(lo | (uint16_t)(next8(b) << 8));
}

/* ---- A strict JSON checker (RFC 8259) ---------------------------------------------------- */

static const char *skip_ws(const char *p)
{
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    return p;
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

static const char *json_string(const char *p)
{
    if (*p++ != '"')
        return NULL;
    for (;;) {
        unsigned char c = (unsigned char)*p++;
        if (c == '"')
            return p;
        if (c < 0x20)
            return NULL;    /* a raw control character (or the end) */
        if (c != '\\')
            continue;
        c = (unsigned char)*p++;
        if (c == 'u') {
            for (int i = 0; i < 4; i++)
                if (!is_hex(*p++))
                    return NULL;
        } else if (!strchr("\"\\/bfnrt", c) || c == 0) {
            return NULL;
        }
    }
}

static const char *json_number(const char *p)
{
    if (*p == '-')
        p++;
    if (*p == '0')
        p++;
    else if (is_digit(*p))
        while (is_digit(*p))
            p++;
    else
        return NULL;
    if (*p == '.') {
        p++;
        if (!is_digit(*p))
            return NULL;
        while (is_digit(*p))
            p++;
    }
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-')
            p++;
        if (!is_digit(*p))
            return NULL;
        while (is_digit(*p))
            p++;
    }
    return p;
}

static const char *json_value(const char *p, unsigned depth)
{
    if (depth > 64)
        return NULL;
    switch (*p) {
    case '{':
        p = skip_ws(p + 1);
        if (*p == '}')
            return p + 1;
        for (;;) {
            p = json_string(p);
            if (!p)
                return NULL;
            p = skip_ws(p);
            if (*p++ != ':')
                return NULL;
            p = json_value(skip_ws(p), depth + 1);
            if (!p)
                return NULL;
            p = skip_ws(p);
            if (*p == '}')
                return p + 1;
            if (*p++ != ',')
                return NULL;
            p = skip_ws(p);
        }
    case '[':
        p = skip_ws(p + 1);
        if (*p == ']')
            return p + 1;
        for (;;) {
            p = json_value(p, depth + 1);
            if (!p)
                return NULL;
            p = skip_ws(p);
            if (*p == ']')
                return p + 1;
            if (*p++ != ',')
                return NULL;
            p = skip_ws(p);
        }
    case '"':
        return json_string(p);
    case 't':
        return strncmp(p, "true", 4) == 0 ? p + 4 : NULL;
    case 'f':
        return strncmp(p, "false", 5) == 0 ? p + 5 : NULL;
    case 'n':
        return strncmp(p, "null", 4) == 0 ? p + 4 : NULL;
    default:
        return json_number(p);
    }
}

/* ---- The round trip ---------------------------------------------------------------- */

static void check_round_trip(const struct hdabdl_codec_desc *desc)
{
    char why[256];
    size_t len = 0;
    char *text = hdabdl_codec_desc_to_proc(desc, &len);
    if (!text)
        fail("hdabdl_codec_desc_to_proc returned NULL", NULL);
    if (strlen(text) != len)
        fail("hdabdl_codec_desc_to_proc: len_out is not strlen", NULL);

    struct hdabdl_codec_desc *again = NULL;
    size_t count = 0;
    struct hdabdl_codec_parse_error err;
    memset(&err, 0, sizeof(err));
    int rc = hdabdl_codec_parse(text, len, &again, &count, &err);
    if (rc != 0) {
        fprintf(stderr, "printout:\n%s\n", text);
        snprintf(why, sizeof(why), "rc %d, line %u: %s", rc, err.line, err.message);
        fail("the printout of a parsed codec does not parse", why);
    }
    if (count != 1) {
        fprintf(stderr, "printout:\n%s\n", text);
        snprintf(why, sizeof(why), "%zu codecs", count);
        fail("the printout of one codec parses as another number of codecs", why);
    }
    why[0] = '\0';
    if (!hdabdl_codec_desc_equal(desc, &again[0], why, sizeof(why))) {
        fprintf(stderr, "printout:\n%s\n", text);
        fail("parse(print(d)) != d", why);
    }
    hdabdl_codec_desc_array_free(again, count);
    free(text);

    /* A deep copy compares equal (or the copy refuses: more than 256 nodes). */
    struct hdabdl_codec_desc copy;
    rc = hdabdl_codec_desc_copy(&copy, desc);
    if (rc == 0) {
        why[0] = '\0';
        if (!hdabdl_codec_desc_equal(desc, &copy, why, sizeof(why)))
            fail("hdabdl_codec_desc_copy: the copy differs", why);
        hdabdl_codec_desc_clear(&copy);
    }

    char *json = hdabdl_codec_desc_to_json(desc, &len);
    if (!json)
        fail("hdabdl_codec_desc_to_json returned NULL", NULL);
    if (strlen(json) != len)
        fail("hdabdl_codec_desc_to_json: len_out is not strlen", NULL);
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)json[i] >= 0x80)
            fail("hdabdl_codec_desc_to_json: not ASCII", NULL);
    const char *end = json_value(skip_ws(json), 0);
    if (!end || json[0] != '{' || *skip_ws(end) != '\0') {
        fprintf(stderr, "JSON:\n%s\n", json);
        fail("hdabdl_codec_desc_to_json: not one valid JSON object", NULL);
    }
    free(json);
}

/* ---- The codec model ------------------------------------------------------------------ */

static const uint16_t get_verbs12[] = {
    HDABDL_VERB_GET_CONNECT_SEL, HDABDL_VERB_GET_PROC_STATE, HDABDL_VERB_GET_SDI_SELECT,
    HDABDL_VERB_GET_POWER_STATE, HDABDL_VERB_GET_CONV, HDABDL_VERB_GET_PIN_WIDGET_CONTROL,
    HDABDL_VERB_GET_UNSOLICITED_RESPONSE, HDABDL_VERB_GET_PIN_SENSE,
    HDABDL_VERB_GET_EAPD_BTLENABLE, HDABDL_VERB_GET_DIGI_CONVERT_1, HDABDL_VERB_GET_VOLUME_KNOB,
    HDABDL_VERB_GET_GPIO_DATA, HDABDL_VERB_GET_GPIO_MASK, HDABDL_VERB_GET_GPIO_DIRECTION,
    HDABDL_VERB_GET_CONFIG_DEFAULT, HDABDL_VERB_GET_SUBSYSTEM_ID,
    0xF0A, 0xF0E, 0xF10, 0xF18, 0xF19, 0xF1A, 0xF1D, 0xF1E, 0xF1F, 0xF2D, 0xF2E, 0xF2F, 0xF3C,
};

static const uint16_t set_verbs12[] = {
    HDABDL_VERB_SET_CONNECT_SEL, HDABDL_VERB_SET_PROC_STATE, HDABDL_VERB_SET_SDI_SELECT,
    HDABDL_VERB_SET_POWER_STATE, HDABDL_VERB_SET_CHANNEL_STREAMID,
    HDABDL_VERB_SET_PIN_WIDGET_CONTROL, HDABDL_VERB_SET_UNSOLICITED_ENABLE,
    HDABDL_VERB_SET_PIN_SENSE, HDABDL_VERB_SET_EAPD_BTLENABLE, HDABDL_VERB_SET_DIGI_CONVERT_1,
    0x70E, HDABDL_VERB_SET_VOLUME_KNOB, HDABDL_VERB_SET_GPIO_DATA, HDABDL_VERB_SET_GPIO_MASK,
    HDABDL_VERB_SET_GPIO_DIRECTION, 0x718, 0x719, 0x71A, HDABDL_VERB_SET_CONFIG_DEFAULT_0,
    0x71D, 0x71E, 0x71F, 0x720, 0x721, 0x722, 0x723, 0x72D, 0x72E, 0x73E, 0x724,
    HDABDL_VERB_SET_CODEC_RESET,
};

static uint32_t verb(struct hdabdl_codec *codec, uint32_t cmd)
{
    uint32_t response = 0xDEADBEEFu;
    bool answered = hdabdl_codec_verb(codec, cmd, &response);
    if (answered != (HDABDL_VERB_CODEC(cmd) == hdabdl_codec_address(codec)))
        fail("hdabdl_codec_verb answered a verb for another address (or ignored its own)", NULL);
    return response;
}

static void source_fn(void *ctx, uint8_t nid, uint16_t format, void *buf, size_t len)
{
    (void)format;
    const struct bytes *b = ctx;
    uint8_t *p = buf;
    for (size_t i = 0; i < len; i++)
        p[i] = (uint8_t)(nid + i + b->size);
}

static void drive_codec(const struct hdabdl_codec_desc *desc, struct bytes *in)
{
    struct hdabdl_codec_config cfg;
    struct hdabdl_codec *codec = NULL;

    hdabdl_codec_config_default(&cfg, desc);
    if (cfg.address > 14)
        cfg.address = (uint8_t)(cfg.address % 15);   /* "Address: 15" is legal in a dump */
    cfg.sink_capacity = 1024;
    cfg.unsol_capacity = 1 + next8(in) % 32;
    int rc = hdabdl_codec_create(desc, &cfg, &codec);
    if (rc != 0) {
        if (codec)
            fail("hdabdl_codec_create failed but returned a codec", NULL);
        return;     /* e.g. a NID used twice: refused, fine */
    }
    if (hdabdl_codec_address(codec) != cfg.address)
        fail("hdabdl_codec_address is not the configured address", NULL);
    const uint8_t cad = cfg.address;
    const struct hdabdl_codec_desc *own = hdabdl_codec_description(codec);
    if (!own || !hdabdl_codec_desc_equal(desc, own, NULL, 0))
        fail("hdabdl_codec_description differs from the description given", NULL);

    /* The probe: every function group and node answers the GET verbs. */
    uint8_t fg = desc->has_afg_nid ? desc->afg_nid : 1;
    for (unsigned p = 0; p <= 0x13; p++) {
        (void)verb(codec, HDABDL_VERB12(cad, 0, HDABDL_VERB_GET_PARAMETER, p));
        (void)verb(codec, HDABDL_VERB12(cad, fg, HDABDL_VERB_GET_PARAMETER, p));
    }
    size_t probed = desc->nnodes < MAX_PROBED_NODES ? desc->nnodes : MAX_PROBED_NODES;
    for (size_t i = 0; i < probed; i++) {
        uint8_t nid = desc->nodes[i].nid;
        for (unsigned p = 0x09; p <= 0x13; p++)
            (void)verb(codec, HDABDL_VERB12(cad, nid, HDABDL_VERB_GET_PARAMETER, p));
        for (size_t v = 0; v < sizeof(get_verbs12) / sizeof(get_verbs12[0]); v++)
            (void)verb(codec, HDABDL_VERB12(cad, nid, get_verbs12[v], 0));
        for (unsigned off = 0; off < 8; off += 4)
            (void)verb(codec, HDABDL_VERB12(cad, nid, HDABDL_VERB_GET_CONNECT_LIST, off));
        for (unsigned idx = 0; idx < 3; idx++) {
            (void)verb(codec, HDABDL_VERB4(cad, nid, HDABDL_VERB4_GET_AMP_GAIN_MUTE, 0x8000u | idx));
            (void)verb(codec, HDABDL_VERB4(cad, nid, HDABDL_VERB4_GET_AMP_GAIN_MUTE, 0x2000u | idx));
        }
        (void)verb(codec, HDABDL_VERB4(cad, nid, HDABDL_VERB4_GET_STREAM_FORMAT, 0));
        (void)verb(codec, HDABDL_VERB4(cad, nid, HDABDL_VERB4_GET_COEF_INDEX, 0));
        (void)verb(codec, HDABDL_VERB4(cad, nid, HDABDL_VERB4_GET_COEF, 0));
    }

    /* Verbs made from the input: mostly to nodes of the dump, some anywhere. */
    unsigned nverbs = next8(in) % (MAX_INPUT_VERBS + 1);
    for (unsigned i = 0; i < nverbs; i++) {
        uint8_t sel = next8(in);
        uint8_t nid = (sel & 0x80) || desc->nnodes == 0 ? next8(in)
                                                       : desc->nodes[next8(in) % desc->nnodes].nid;
        uint8_t addr = (sel & 0x40) ? (uint8_t)(next8(in) & 0xF) : cad;
        uint32_t cmd;
        switch (sel & 0x7) {
        case 0:
        case 1:
            cmd = HDABDL_VERB12(addr, nid, set_verbs12[next8(in) % (sizeof(set_verbs12) /
                                                                    sizeof(set_verbs12[0]))],
                                next8(in));
            break;
        case 2:
            cmd = HDABDL_VERB12(addr, nid, get_verbs12[next8(in) % (sizeof(get_verbs12) /
                                                                    sizeof(get_verbs12[0]))],
                                next8(in));
            break;
        case 3:
            cmd = HDABDL_VERB4(addr, nid, next8(in) & 0xF, next16(in));
            break;
        case 4:
            cmd = HDABDL_VERB12(addr, nid, HDABDL_VERB_GET_PARAMETER, next8(in));
            break;
        case 5:
            cmd = HDABDL_VERB12(addr, nid, HDABDL_VERB_GET_CONNECT_LIST, next8(in));
            break;
        default: {
            uint32_t raw = next16(in);
            cmd = raw | (uint32_t)next16(in) << 16;
            break;
        }
        }
        if (HDABDL_VERB_CODEC(cmd) == 0xF)
            cmd &= 0x0FFFFFFFu;     /* keep the broadcast address out of the address check */
        (void)verb(codec, cmd);
    }

    /* Jacks: plug and unplug each pin; drain the unsolicited responses. */
    for (size_t i = 0; i < probed; i++) {
        bool present = (next8(in) & 1) != 0;
        (void)hdabdl_codec_set_jack(codec, desc->nodes[i].nid, present);
        (void)hdabdl_codec_set_jack(codec, desc->nodes[i].nid, !present);
    }
    uint32_t response;
    size_t pending = hdabdl_codec_unsolicited_pending(codec);
    if (pending > cfg.unsol_capacity)
        fail("more unsolicited responses queued than unsol_capacity", NULL);
    while (hdabdl_codec_pop_unsolicited(codec, &response))
        if (pending-- == 0)
            fail("hdabdl_codec_pop_unsolicited gave more than were pending", NULL);

    /* Streams: whatever converters the verbs left on some tag get data. */
    uint8_t frames[256];
    for (size_t i = 0; i < sizeof(frames); i++)
        frames[i] = next8(in);
    hdabdl_codec_set_source(codec, source_fn, in);
    for (uint8_t tag = 0; tag < 16; tag++) {
        struct hdabdl_codec_converter conv[8];
        uint16_t fmt = next16(in);
        size_t n = hdabdl_codec_find_converters(codec, tag, (tag & 1) != 0, conv, 8);
        if (tag == 0 && n != 0)
            fail("hdabdl_codec_find_converters found converters on tag 0", NULL);
        (void)hdabdl_codec_stream_render(codec, tag, fmt, frames, next8(in));
        (void)hdabdl_codec_stream_capture(codec, tag, fmt, frames, next8(in));
        for (size_t c = 0; c < n && c < 8; c++) {
            uint8_t out[64];
            (void)hdabdl_codec_converter_consume(codec, conv[c].nid, frames, next8(in));
            size_t avail = hdabdl_codec_converter_available(codec, conv[c].nid);
            size_t got = hdabdl_codec_converter_read(codec, conv[c].nid, out, sizeof(out));
            if (got > sizeof(out) || got > avail)
                fail("hdabdl_codec_converter_read gave more than asked or available", NULL);
            (void)hdabdl_codec_converter_produce(codec, conv[c].nid, out, sizeof(out));
            (void)hdabdl_codec_converter_total(codec, conv[c].nid);
            (void)hdabdl_codec_converter_dropped(codec, conv[c].nid);
        }
    }

    struct hdabdl_codec_stats stats;
    hdabdl_codec_get_stats(codec, &stats);
    if (stats.refused != stats.refused_bad_nid + stats.refused_unknown + stats.refused_wrong_node)
        fail("codec stats: refused is not the sum of its parts", NULL);
    if (stats.refused > stats.verbs || hdabdl_codec_refused_verbs(codec) != stats.refused)
        fail("codec stats: refused verbs inconsistent", NULL);

    /* Function reset and link reset, then the probe again on the root. */
    (void)verb(codec, HDABDL_VERB12(cad, fg, HDABDL_VERB_SET_CODEC_RESET, 0));
    hdabdl_codec_reset(codec);
    (void)verb(codec, HDABDL_VERB12(cad, 0, HDABDL_VERB_GET_PARAMETER, HDABDL_PARAM_VENDOR_ID));
    hdabdl_codec_destroy(codec);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct hdabdl_codec_desc *descs = NULL;
    struct hdabdl_codec_parse_error err;
    size_t count = 12345;

    memset(&err, 0, sizeof(err));
    int rc = hdabdl_codec_parse((const char *)data, size, &descs, &count, &err);
    if (rc != 0) {
        if (descs)
            fail("hdabdl_codec_parse failed but returned descriptions", NULL);
        if (memchr(err.message, '\0', sizeof(err.message)) == NULL)
            fail("hdabdl_codec_parse: error message not NUL-terminated", NULL);
        return 0;
    }
    if (count == 0 || !descs)
        fail("hdabdl_codec_parse succeeded with no codec", NULL);

    struct bytes in = {data, size, 0};
    for (size_t i = 0; i < count; i++) {
        check_round_trip(&descs[i]);
        for (size_t n = 0; n < descs[i].nnodes; n++) {
            const struct hdabdl_codec_node *node = hdabdl_codec_desc_node(&descs[i], descs[i].nodes[n].nid);
            if (!node || node->nid != descs[i].nodes[n].nid)
                fail("hdabdl_codec_desc_node does not find a node of the description", NULL);
            (void)hdabdl_codec_widget_type_name(hdabdl_codec_wcaps_type(node->wcaps));
        }
        if (i < MAX_CODECS_MODELLED)
            drive_codec(&descs[i], &in);
    }
    hdabdl_codec_desc_array_free(descs, count);
    return 0;
}
