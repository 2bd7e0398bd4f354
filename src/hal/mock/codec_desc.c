/* SPDX-License-Identifier: MIT */
/*
 * codec_desc.c - codec descriptions: copy, free, compare, lookup; the shared
 * text buffer and small helpers of the codec files.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec_internal.h"

/* ---- Text buffer ------------------------------------------------------------------- */

void codec_sbuf_init(struct codec_sbuf *sb)
{
    sb->p = NULL;
    sb->len = 0;
    sb->cap = 0;
    sb->oom = false;
}

void codec_sbuf_free(struct codec_sbuf *sb)
{
    free(sb->p);
    codec_sbuf_init(sb);
}

static bool sbuf_reserve(struct codec_sbuf *sb, size_t extra)
{
    if (sb->oom)
        return false;
    if (extra > SIZE_MAX / 2 - sb->len) {
        sb->oom = true;
        return false;
    }
    size_t need = sb->len + extra + 1;
    if (need <= sb->cap)
        return true;
    size_t cap = sb->cap ? sb->cap : 256;
    while (cap < need)
        cap *= 2;
    char *p = realloc(sb->p, cap);
    if (!p) {
        sb->oom = true;
        return false;
    }
    sb->p = p;
    sb->cap = cap;
    return true;
}

void codec_sbuf_putc(struct codec_sbuf *sb, char c)
{
    if (!sbuf_reserve(sb, 1))
        return;
    sb->p[sb->len++] = c;
    sb->p[sb->len] = '\0';
}

void codec_sbuf_puts(struct codec_sbuf *sb, const char *s)
{
    size_t n = strlen(s);
    if (!sbuf_reserve(sb, n))
        return;
    memcpy(sb->p + sb->len, s, n);
    sb->len += n;
    sb->p[sb->len] = '\0';
}

void codec_sbuf_printf(struct codec_sbuf *sb, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof(small), fmt, ap);
    va_end(ap);
    if (n < 0) {
        sb->oom = true;
        return;
    }
    if ((size_t)n < sizeof(small)) {
        codec_sbuf_puts(sb, small);
        return;
    }
    if (!sbuf_reserve(sb, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(sb->p + sb->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    sb->len += (size_t)n;
}

char *codec_sbuf_finish(struct codec_sbuf *sb, size_t *len_out)
{
    if (!sb->oom && !sb->p)
        sbuf_reserve(sb, 0);
    if (sb->oom) {
        codec_sbuf_free(sb);
        if (len_out)
            *len_out = 0;
        return NULL;
    }
    sb->p[sb->len] = '\0';
    char *p = sb->p;
    if (len_out)
        *len_out = sb->len;
    codec_sbuf_init(sb);
    return p;
}

/* ---- Helpers ---------------------------------------------------------------------- */

unsigned codec_wcaps_channels(uint32_t wcaps)
{
    unsigned chans = (wcaps & WCAP_CHAN_CNT_EXT) >> 13;
    return ((chans << 1) | (wcaps & WCAP_STEREO)) + 1;
}

static uint32_t power_nibble(uint32_t v)
{
    return v <= 4 ? v : 0xF;
}

uint32_t codec_power_normalize(uint32_t value)
{
    return power_nibble(value & 0xF) | (power_nibble((value >> 4) & 0xF) << 4) |
           (value & (PWRST_ERROR | PWRST_CLK_STOP_OK | PWRST_SETTING_RESET));
}

const char *codec_power_state_name(unsigned state)
{
    static const char *const names[] = { "D0", "D1", "D2", "D3", "D3cold" };
    return state < 5 ? names[state] : "UNKNOWN";
}

const char *hdabdl_codec_widget_type_name(unsigned type)
{
    switch (type & 0xF) {
    case HDABDL_WIDGET_AUDIO_OUTPUT:    return "Audio Output";
    case HDABDL_WIDGET_AUDIO_INPUT:     return "Audio Input";
    case HDABDL_WIDGET_AUDIO_MIXER:     return "Audio Mixer";
    case HDABDL_WIDGET_AUDIO_SELECTOR:  return "Audio Selector";
    case HDABDL_WIDGET_PIN_COMPLEX:     return "Pin Complex";
    case HDABDL_WIDGET_POWER:           return "Power Widget";
    case HDABDL_WIDGET_VOLUME_KNOB:     return "Volume Knob Widget";
    case HDABDL_WIDGET_BEEP_GENERATOR:  return "Beep Generator Widget";
    case HDABDL_WIDGET_VENDOR_DEFINED:  return "Vendor Defined Widget";
    default:                            return "UNKNOWN Widget";
    }
}

/* ---- Ownership ---------------------------------------------------------------------- */

void hdabdl_codec_desc_clear(struct hdabdl_codec_desc *desc)
{
    if (!desc)
        return;
    free(desc->nodes);
    memset(desc, 0, sizeof(*desc));
}

void hdabdl_codec_desc_array_free(struct hdabdl_codec_desc *descs, size_t count)
{
    if (!descs)
        return;
    for (size_t i = 0; i < count; i++)
        free(descs[i].nodes);
    free(descs);
}

int hdabdl_codec_desc_copy(struct hdabdl_codec_desc *dst, const struct hdabdl_codec_desc *src)
{
    *dst = *src;
    dst->nodes = NULL;
    if (src->nnodes) {
        if (!src->nodes || src->nnodes > 256) {
            memset(dst, 0, sizeof(*dst));
            return -EINVAL;
        }
        dst->nodes = malloc(src->nnodes * sizeof(*dst->nodes));
        if (!dst->nodes) {
            memset(dst, 0, sizeof(*dst));
            return -ENOMEM;
        }
        memcpy(dst->nodes, src->nodes, src->nnodes * sizeof(*dst->nodes));
    }
    return 0;
}

const struct hdabdl_codec_node *hdabdl_codec_desc_node(const struct hdabdl_codec_desc *desc, uint8_t nid)
{
    for (size_t i = 0; i < desc->nnodes; i++)
        if (desc->nodes[i].nid == nid)
            return &desc->nodes[i];
    return NULL;
}

/* ---- Comparison ----------------------------------------------------------------------- */

struct cmp {
    char *why;
    size_t why_len;
    char where[32];     /* "" or "node 0xNN " */
    bool differ;
};

CODEC_PRINTF(2, 3) static void cmp_fail(struct cmp *c, const char *fmt, ...)
{
    if (c->differ)
        return;
    c->differ = true;
    if (!c->why || !c->why_len)
        return;
    char msg[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    snprintf(c->why, c->why_len, "%s%s", c->where, msg);
}

#define CMP_U(c, a, b, field)                                                              \
    do {                                                                                   \
        if ((a)->field != (b)->field)                                                      \
            cmp_fail((c), "%s: 0x%llx != 0x%llx", #field,                                  \
                     (unsigned long long)(a)->field, (unsigned long long)(b)->field);      \
    } while (0)

#define CMP_I(c, a, b, field)                                                              \
    do {                                                                                   \
        if ((a)->field != (b)->field)                                                      \
            cmp_fail((c), "%s: %lld != %lld", #field, (long long)(a)->field,               \
                     (long long)(b)->field);                                               \
    } while (0)

#define CMP_S(c, a, b, field)                                                              \
    do {                                                                                   \
        if (strncmp((a)->field, (b)->field, sizeof((a)->field)) != 0)                      \
            cmp_fail((c), "%s: \"%.60s\" != \"%.60s\"", #field, (a)->field, (b)->field);   \
    } while (0)

static void cmp_pcm(struct cmp *c, const char *what, const struct hdabdl_codec_pcm *a,
                    const struct hdabdl_codec_pcm *b)
{
    if (a->present != b->present || a->na != b->na || a->sizes != b->sizes ||
        a->formats != b->formats)
        cmp_fail(c, "%s: present %d/%d na %d/%d sizes 0x%x/0x%x formats 0x%x/0x%x", what,
                 a->present, b->present, a->na, b->na, (unsigned)a->sizes, (unsigned)b->sizes,
                 (unsigned)a->formats, (unsigned)b->formats);
}

static void cmp_amp(struct cmp *c, const char *what, const struct hdabdl_codec_amp *a,
                    const struct hdabdl_codec_amp *b)
{
    if (a->caps_present != b->caps_present || a->caps != b->caps)
        cmp_fail(c, "%s.caps: %d:0x%08x != %d:0x%08x", what, a->caps_present, (unsigned)a->caps,
                 b->caps_present, (unsigned)b->caps);
    if (a->vals_present != b->vals_present || a->vals_stereo != b->vals_stereo ||
        a->nvals != b->nvals)
        cmp_fail(c, "%s.vals: present %d/%d stereo %d/%d count %u/%u", what, a->vals_present,
                 b->vals_present, a->vals_stereo, b->vals_stereo, a->nvals, b->nvals);
    for (unsigned i = 0; i < a->nvals && i < HDABDL_CODEC_MAX_CONN && !c->differ; i++)
        for (unsigned ch = 0; ch < 2; ch++)
            if (a->vals[i][ch] != b->vals[i][ch])
                cmp_fail(c, "%s.vals[%u][%u]: 0x%02x != 0x%02x", what, i, ch, a->vals[i][ch],
                         b->vals[i][ch]);
}

static void cmp_node(struct cmp *c, const struct hdabdl_codec_node *a, const struct hdabdl_codec_node *b)
{
    snprintf(c->where, sizeof(c->where), "node 0x%02x ", a->nid);
    CMP_U(c, a, b, nid);
    CMP_U(c, a, b, wcaps);
    cmp_amp(c, "amp_in", &a->amp_in, &b->amp_in);
    cmp_amp(c, "amp_out", &a->amp_out, &b->amp_out);
    CMP_U(c, a, b, has_pincap);
    CMP_U(c, a, b, pincap);
    CMP_U(c, a, b, has_pin_default);
    CMP_U(c, a, b, pin_default);
    CMP_U(c, a, b, has_pinctl);
    CMP_U(c, a, b, pinctl);
    CMP_U(c, a, b, has_eapd);
    CMP_U(c, a, b, eapd);
    CMP_U(c, a, b, has_unsol);
    CMP_U(c, a, b, unsol);
    CMP_U(c, a, b, has_power_states);
    CMP_U(c, a, b, power_states);
    CMP_U(c, a, b, has_power);
    CMP_U(c, a, b, power);
    CMP_U(c, a, b, has_converter);
    CMP_U(c, a, b, conv_stream);
    CMP_U(c, a, b, conv_channel);
    CMP_U(c, a, b, has_sdi_select);
    CMP_U(c, a, b, sdi_select);
    CMP_U(c, a, b, has_digital);
    CMP_U(c, a, b, has_dig_category);
    CMP_U(c, a, b, has_iec_coding);
    CMP_U(c, a, b, digital);
    cmp_pcm(c, "pcm", &a->pcm, &b->pcm);
    CMP_U(c, a, b, has_volknob);
    CMP_U(c, a, b, volknob_cap);
    CMP_U(c, a, b, volknob_ctl);
    CMP_U(c, a, b, has_proc_caps);
    CMP_U(c, a, b, proc_caps);
    CMP_U(c, a, b, has_coef_value);
    CMP_U(c, a, b, coef_value);
    CMP_U(c, a, b, has_coef_index);
    CMP_U(c, a, b, coef_index);
    CMP_U(c, a, b, ncoefs);
    for (unsigned i = 0; i < a->ncoefs && i < HDABDL_CODEC_MAX_COEFS && !c->differ; i++) {
        CMP_U(c, a, b, coefs[i].index);
        CMP_U(c, a, b, coefs[i].value);
    }
    CMP_U(c, a, b, has_conn);
    CMP_I(c, a, b, conn_len);
    CMP_U(c, a, b, nconn);
    for (unsigned i = 0; i < a->nconn && i < HDABDL_CODEC_MAX_CONN && !c->differ; i++)
        if (a->conn[i] != b->conn[i])
            cmp_fail(c, "conn[%u]: 0x%02x != 0x%02x", i, a->conn[i], b->conn[i]);
    CMP_I(c, a, b, conn_sel);
    CMP_U(c, a, b, has_devices);
    CMP_U(c, a, b, ndevices);
    for (unsigned i = 0; i < a->ndevices && i < HDABDL_CODEC_MAX_DEVICES && !c->differ; i++)
        CMP_U(c, a, b, devices[i]);
    CMP_I(c, a, b, dev_sel);
    CMP_U(c, a, b, ncontrols);
    for (unsigned i = 0; i < a->ncontrols && i < HDABDL_CODEC_MAX_CONTROLS && !c->differ; i++) {
        CMP_S(c, a, b, controls[i].name);
        CMP_I(c, a, b, controls[i].index);
        CMP_I(c, a, b, controls[i].device);
        CMP_U(c, a, b, controls[i].has_amp);
        CMP_U(c, a, b, controls[i].amp_chs);
        CMP_U(c, a, b, controls[i].amp_out);
        CMP_U(c, a, b, controls[i].amp_idx);
        CMP_U(c, a, b, controls[i].amp_ofs);
    }
    CMP_U(c, a, b, npcm_devices);
    for (unsigned i = 0; i < a->npcm_devices && i < HDABDL_CODEC_MAX_PCM_DEVICES && !c->differ; i++) {
        CMP_S(c, a, b, pcm_devices[i].name);
        CMP_S(c, a, b, pcm_devices[i].type);
        CMP_I(c, a, b, pcm_devices[i].device);
        CMP_U(c, a, b, pcm_devices[i].has_substream);
        CMP_I(c, a, b, pcm_devices[i].substream);
    }
}

bool hdabdl_codec_desc_equal(const struct hdabdl_codec_desc *a, const struct hdabdl_codec_desc *b,
                             char *why, size_t why_len)
{
    struct cmp c = { .why = why, .why_len = why_len, .where = "", .differ = false };
    if (why && why_len)
        why[0] = '\0';
    CMP_S(&c, a, b, name);
    CMP_U(&c, a, b, address);
    CMP_U(&c, a, b, has_afg_fid);
    CMP_U(&c, a, b, afg_fid);
    CMP_U(&c, a, b, has_mfg_fid);
    CMP_U(&c, a, b, mfg_fid);
    CMP_U(&c, a, b, vendor_id);
    CMP_U(&c, a, b, subsystem_id);
    CMP_U(&c, a, b, revision_id);
    CMP_U(&c, a, b, has_mfg);
    CMP_U(&c, a, b, mfg_nid);
    CMP_U(&c, a, b, has_afg_nid);
    CMP_U(&c, a, b, afg_nid);
    cmp_pcm(&c, "default_pcm", &a->default_pcm, &b->default_pcm);
    CMP_U(&c, a, b, has_default_amp_in);
    CMP_U(&c, a, b, default_amp_in);
    CMP_U(&c, a, b, has_default_amp_out);
    CMP_U(&c, a, b, default_amp_out);
    CMP_U(&c, a, b, has_afg_power_states);
    CMP_U(&c, a, b, afg_power_states);
    CMP_U(&c, a, b, has_afg_power);
    CMP_U(&c, a, b, afg_power);
    CMP_U(&c, a, b, has_gpio);
    CMP_U(&c, a, b, gpio_cap);
    CMP_U(&c, a, b, gpio_lines);
    CMP_U(&c, a, b, gpio_enable);
    CMP_U(&c, a, b, gpio_dir);
    CMP_U(&c, a, b, gpio_wake);
    CMP_U(&c, a, b, gpio_sticky);
    CMP_U(&c, a, b, gpio_data);
    CMP_U(&c, a, b, gpio_unsol);
    CMP_U(&c, a, b, has_power_map);
    CMP_U(&c, a, b, power_map);
    CMP_U(&c, a, b, has_analog_loopback);
    CMP_U(&c, a, b, analog_loopback);
    CMP_U(&c, a, b, invalid_afg_subtree);
    CMP_U(&c, a, b, nnodes);
    for (size_t i = 0; i < a->nnodes && !c.differ; i++)
        cmp_node(&c, &a->nodes[i], &b->nodes[i]);
    return !c.differ;
}
