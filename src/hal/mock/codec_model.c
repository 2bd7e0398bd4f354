/* SPDX-License-Identifier: MIT */
/*
 * codec_model.c - a codec that answers verbs as the dumped part would.
 *
 * Node tree (HDA spec 7.3.4.3): the root node 0 lists the function groups
 * (AFG, and MFG when the dump has one); the AFG lists the widgets of the dump
 * as one NID range. Widgets answer the verbs of their type; anything else
 * answers 0 and is counted (struct hdabdl_codec_stats).
 *
 * Power-on state is the dumped state: amp values, pin controls, selected
 * connections, power settings, EAPD, unsolicited enables, SDI select, digital
 * converter bits, volume knob, GPIO, coefficients. Converter stream tags and
 * channels start at 0 (unconnected, the HDA spec's reset value): the tags in a
 * dump are what the driver last set, and a stale tag would route a new stream
 * to converters nobody set up. What the dump does not show starts as the
 * spec's reset value (0), except the converter format, which starts as
 * 48 kHz / 16 bit / two channels (one for mono widgets).
 *
 * Resets: the function reset verb (0x7FF) on a function group and a link
 * reset (hdabdl_codec_reset) put every widget back to power-on state. Pin
 * configuration defaults and the subsystem ID survive both (BIOS-programmed
 * values live in always-on registers; Linux relies on that after CRST), as
 * does the physical jack state.
 *
 * Coefficients: the index does not auto-increment (drivers set it before each
 * access); the dump's "Coefficient Index"/"Processing Coefficient" pair seeds
 * the value at that index.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "codec_internal.h"

/* Verb IDs (Linux hda_verbs.h names) */
enum {
    V4_SET_FORMAT = 0x2, V4_SET_AMP = 0x3, V4_SET_COEF = 0x4, V4_SET_COEF_INDEX = 0x5,
    V4_GET_FORMAT = 0xA, V4_GET_AMP = 0xB, V4_GET_COEF = 0xC, V4_GET_COEF_INDEX = 0xD,
};

#define VERB_PARAMETERS         0xF00
#define VERB_GET_CONNECT_SEL    0xF01
#define VERB_GET_CONNECT_LIST   0xF02
#define VERB_GET_PROC_STATE     0xF03
#define VERB_GET_SDI_SELECT     0xF04
#define VERB_GET_POWER_STATE    0xF05
#define VERB_GET_CONV           0xF06
#define VERB_GET_PIN_CTL        0xF07
#define VERB_GET_UNSOL          0xF08
#define VERB_GET_PIN_SENSE      0xF09
#define VERB_GET_BEEP           0xF0A
#define VERB_GET_EAPD_BTL       0xF0C
#define VERB_GET_DIGI_CONVERT   0xF0D
#define VERB_GET_VOLUME_KNOB    0xF0F
#define VERB_GET_GPI_DATA       0xF10
#define VERB_GET_GPI_WAKE       0xF11
#define VERB_GET_GPI_UNSOL      0xF12
#define VERB_GET_GPI_STICKY     0xF13
#define VERB_GET_GPO_DATA       0xF14
#define VERB_GET_GPIO_DATA      0xF15
#define VERB_GET_GPIO_MASK      0xF16
#define VERB_GET_GPIO_DIR       0xF17
#define VERB_GET_GPIO_WAKE      0xF18
#define VERB_GET_GPIO_UNSOL     0xF19
#define VERB_GET_GPIO_STICKY    0xF1A
#define VERB_GET_CONFIG_DEFAULT 0xF1C
#define VERB_GET_SUBSYSTEM_ID   0xF20
#define VERB_GET_STRIPE         0xF24
#define VERB_GET_CVT_CHAN_COUNT 0xF2D
#define VERB_GET_HDMI_DIP_SIZE  0xF2E
#define VERB_GET_HDMI_ELDD      0xF2F
#define VERB_GET_HDMI_DIP_INDEX 0xF30
#define VERB_GET_HDMI_DIP_DATA  0xF31
#define VERB_GET_HDMI_DIP_XMIT  0xF32
#define VERB_GET_HDMI_CP_CTRL   0xF33
#define VERB_GET_HDMI_CHAN_SLOT 0xF34
#define VERB_GET_DEVICE_SEL     0xF35
#define VERB_GET_DEVICE_LIST    0xF36

#define VERB_SET_CONNECT_SEL    0x701
#define VERB_SET_PROC_STATE     0x703
#define VERB_SET_SDI_SELECT     0x704
#define VERB_SET_POWER_STATE    0x705
#define VERB_SET_CHANNEL_STREAM 0x706
#define VERB_SET_PIN_CTL        0x707
#define VERB_SET_UNSOL          0x708
#define VERB_SET_PIN_SENSE      0x709
#define VERB_SET_BEEP           0x70A
#define VERB_SET_EAPD_BTL       0x70C
#define VERB_SET_DIGI_CONVERT_1 0x70D
#define VERB_SET_DIGI_CONVERT_2 0x70E
#define VERB_SET_VOLUME_KNOB    0x70F
#define VERB_SET_GPI_DATA       0x710
#define VERB_SET_GPI_WAKE       0x711
#define VERB_SET_GPI_UNSOL      0x712
#define VERB_SET_GPI_STICKY     0x713
#define VERB_SET_GPO_DATA       0x714
#define VERB_SET_GPIO_DATA      0x715
#define VERB_SET_GPIO_MASK      0x716
#define VERB_SET_GPIO_DIR       0x717
#define VERB_SET_GPIO_WAKE      0x718
#define VERB_SET_GPIO_UNSOL     0x719
#define VERB_SET_GPIO_STICKY    0x71A
#define VERB_SET_CONFIG_DEF_0   0x71C
#define VERB_SET_CONFIG_DEF_3   0x71F
#define VERB_SET_SUBSYSTEM_ID_0 0x720
#define VERB_SET_SUBSYSTEM_ID_3 0x723
#define VERB_SET_STRIPE         0x724
#define VERB_SET_CVT_CHAN_COUNT 0x72D
#define VERB_SET_HDMI_DIP_INDEX 0x730
#define VERB_SET_HDMI_DIP_DATA  0x731
#define VERB_SET_HDMI_DIP_XMIT  0x732
#define VERB_SET_HDMI_CP_CTRL   0x733
#define VERB_SET_HDMI_CHAN_SLOT 0x734
#define VERB_SET_DEVICE_SEL     0x735
#define VERB_SET_DIGI_CONVERT_3 0x73E
#define VERB_SET_DIGI_CONVERT_4 0x73F
#define VERB_FUNCTION_RESET     0x7FF

/* Parameter IDs */
enum {
    PAR_VENDOR_ID = 0x00, PAR_SUBSYSTEM_ID = 0x01, PAR_REV_ID = 0x02, PAR_NODE_COUNT = 0x04,
    PAR_FUNCTION_TYPE = 0x05, PAR_AUDIO_FG_CAP = 0x08, PAR_AUDIO_WIDGET_CAP = 0x09, PAR_PCM = 0x0A,
    PAR_STREAM = 0x0B, PAR_PIN_CAP = 0x0C, PAR_AMP_IN_CAP = 0x0D, PAR_CONNLIST_LEN = 0x0E,
    PAR_POWER_STATE = 0x0F, PAR_PROC_CAP = 0x10, PAR_GPIO_CAP = 0x11, PAR_AMP_OUT_CAP = 0x12,
    PAR_VOL_KNB_CAP = 0x13, PAR_DEVLIST_LEN = 0x15, PAR_HDMI_LPCM_CAP = 0x20,
};

/* Outcome of one verb. */
enum vr { VR_OK, VR_BAD_NID, VR_UNKNOWN, VR_WRONG_NODE };

static bool known_param(unsigned p)
{
    switch (p) {
    case PAR_VENDOR_ID: case PAR_SUBSYSTEM_ID: case PAR_REV_ID: case PAR_NODE_COUNT:
    case PAR_FUNCTION_TYPE: case PAR_AUDIO_FG_CAP: case PAR_AUDIO_WIDGET_CAP: case PAR_PCM:
    case PAR_STREAM: case PAR_PIN_CAP: case PAR_AMP_IN_CAP: case PAR_CONNLIST_LEN:
    case PAR_POWER_STATE: case PAR_PROC_CAP: case PAR_GPIO_CAP: case PAR_AMP_OUT_CAP:
    case PAR_VOL_KNB_CAP: case PAR_DEVLIST_LEN: case PAR_HDMI_LPCM_CAP:
        return true;
    default:
        return false;
    }
}

/* Is @verb a verb the HDA spec (or Linux hda_verbs.h) defines? */
static bool known_verb12(unsigned verb)
{
    if (verb >= 0xF00 && verb <= 0xF1A)
        return verb != 0xF0B;
    if (verb >= 0x701 && verb <= 0x71A)
        return verb != 0x702 && verb != 0x70B;
    if ((verb >= 0x71C && verb <= 0x724) || verb == 0x72D || (verb >= 0x730 && verb <= 0x735))
        return true;
    switch (verb) {
    case 0xF1C: case 0xF20: case 0xF24: case 0xF2D: case 0xF2E: case 0xF2F: case 0xF30: case 0xF31:
    case 0xF32: case 0xF33: case 0xF34: case 0xF35: case 0xF36: case 0x73E: case 0x73F: case 0x7FF:
        return true;
    default:
        return false;
    }
}

static bool known_verb4(unsigned v4)
{
    return (v4 >= 0x2 && v4 <= 0x5) || (v4 >= 0xA && v4 <= 0xD);
}

/* A defined verb the node does not have, or one nobody defines. */
static enum vr not_here(unsigned verb)
{
    return known_verb12(verb) ? VR_WRONG_NODE : VR_UNKNOWN;
}

/* ---- Lookup and helpers --------------------------------------------------------------------- */

struct codec_node_rt *codec_node(struct hdabdl_codec *codec, uint8_t nid)
{
    int16_t i = codec->map[nid];
    return i < 0 ? NULL : &codec->nodes[i];
}

static bool has_wcap(const struct codec_node_rt *rt, uint32_t bit)
{
    return (rt->d->wcaps & bit) != 0;
}

static bool is_converter(const struct codec_node_rt *rt)
{
    return rt->type == HDABDL_WIDGET_AUDIO_OUTPUT || rt->type == HDABDL_WIDGET_AUDIO_INPUT;
}

bool codec_pin_is_hdmi(const struct hdabdl_codec *codec, const struct codec_node_rt *rt)
{
    uint32_t caps = rt->d->pincap;
    if (caps & PINCAP_DP)
        return true;
    return (caps & PINCAP_HDMI) && (codec->desc.vendor_id >> 16) != 0x10ec;
}

unsigned codec_node_actual_power(const struct hdabdl_codec *codec, const struct codec_node_rt *rt)
{
    unsigned own = has_wcap(rt, WCAP_POWER) ? rt->power_setting : 0;
    unsigned fg = codec->afg_power;
    return own > fg ? own : fg;
}

uint32_t codec_pin_sense(const struct hdabdl_codec *codec, const struct codec_node_rt *rt)
{
    uint32_t v = 0;
    if (!rt->jack)
        return 0;
    if (rt->d->pincap & PINCAP_PRES_DETECT)
        v |= 1u << 31;
    if (codec_pin_is_hdmi(codec, rt))
        v |= 1u << 30;      /* ELD valid */
    return v;
}

/* Effective amp caps of a widget: its own when it overrides (or reports any), else the AFG's. */
static uint32_t amp_caps(const struct hdabdl_codec *codec, const struct codec_node_rt *rt, bool out)
{
    uint32_t own = out ? rt->d->amp_out.caps : rt->d->amp_in.caps;
    if (own || has_wcap(rt, WCAP_AMP_OVRD))
        return own;
    return out ? codec->desc.default_amp_out : codec->desc.default_amp_in;
}

static int coef_find(const struct codec_node_rt *rt, uint16_t index, bool *found)
{
    int lo = 0, hi = (int)rt->ncoefs;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (rt->coefs[mid].index < index)
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = lo < (int)rt->ncoefs && rt->coefs[lo].index == index;
    return lo;
}

static bool coef_set(struct codec_node_rt *rt, uint16_t index, uint16_t value)
{
    bool found;
    int pos = coef_find(rt, index, &found);
    if (found) {
        rt->coefs[pos].value = value;
        return true;
    }
    if (rt->ncoefs >= CODEC_MAX_VERB_COEFS)
        return false;
    struct hdabdl_codec_coef *c = realloc(rt->coefs, (rt->ncoefs + 1u) * sizeof(*c));
    if (!c)
        return false;
    rt->coefs = c;
    memmove(&c[pos + 1], &c[pos], (rt->ncoefs - (size_t)pos) * sizeof(*c));
    c[pos].index = index;
    c[pos].value = value;
    rt->ncoefs++;
    return true;
}

static uint16_t coef_get(const struct codec_node_rt *rt, uint16_t index)
{
    bool found;
    int pos = coef_find(rt, index, &found);
    return found ? rt->coefs[pos].value : 0;
}

/* ---- Power-on state ------------------------------------------------------------------------- */

void codec_node_power_on(struct hdabdl_codec *codec, struct codec_node_rt *rt, bool keep_pin_config)
{
    const struct hdabdl_codec_node *d = rt->d;
    unsigned chans = codec_wcaps_channels(d->wcaps);
    (void)codec;

    memset(rt->amp_in, 0, sizeof(rt->amp_in));
    for (unsigned i = 0; i < d->amp_in.nvals && i < HDABDL_CODEC_MAX_CONN; i++) {
        rt->amp_in[i][0] = d->amp_in.vals[i][0];
        rt->amp_in[i][1] = d->amp_in.vals[i][1];
    }
    rt->amp_out[0] = d->amp_out.nvals ? d->amp_out.vals[0][0] : 0;
    rt->amp_out[1] = d->amp_out.nvals ? d->amp_out.vals[0][1] : 0;
    rt->conn_sel = d->conn_sel >= 0 ? (uint8_t)d->conn_sel : 0;
    rt->pinctl = d->pinctl;
    if (!keep_pin_config)
        rt->pin_default = d->pin_default;
    rt->eapd = d->eapd;
    rt->unsol = d->unsol;
    rt->power_setting = (uint8_t)((d->power & 0xF) <= 4 ? (d->power & 0xF) : 0);
    rt->stream_chan = 0;    /* unconnected: the dump's tag is the driver's, not the part's */
    rt->format = (uint16_t)(0x0010u | (chans >= 2 ? 1u : 0u));
    rt->sdi = d->sdi_select;
    rt->digital = d->digital;
    rt->volknob = d->volknob_ctl;
    rt->beep = 0;
    rt->proc_state = 0;
    rt->coef_index = d->coef_index;
    rt->ncoefs = 0;
    free(rt->coefs);
    rt->coefs = NULL;
    for (unsigned i = 0; i < d->ncoefs && i < HDABDL_CODEC_MAX_COEFS; i++)
        coef_set(rt, d->coefs[i].index, d->coefs[i].value);
    if (d->has_coef_value)
        coef_set(rt, d->coef_index, d->coef_value);
    rt->stripe = 0;
    rt->cvt_chan_count = (uint8_t)(chans - 1);
    rt->dev_sel = d->dev_sel >= 0 ? (uint8_t)d->dev_sel : 0;
    rt->dip_index = 0;
    rt->dip_xmit = 0;
    rt->cp_ctrl = 0;
    memset(rt->chan_slot, 0xF, sizeof(rt->chan_slot));
}

static void power_on_all(struct hdabdl_codec *codec)
{
    const struct hdabdl_codec_desc *d = &codec->desc;
    for (size_t i = 0; i < codec->nnodes; i++)
        codec_node_power_on(codec, &codec->nodes[i], true);
    codec->afg_power = (uint8_t)(d->has_afg_power && (d->afg_power & 0xF) <= 4 ? d->afg_power & 0xF : 0);
    codec->afg_unsol = 0;
    codec->mfg_power = 0;
    codec->gpio_data = d->gpio_data;
    codec->gpio_mask = d->gpio_enable;
    codec->gpio_dir = d->gpio_dir;
    codec->gpio_wake = d->gpio_wake;
    codec->gpio_unsol = d->gpio_unsol;
    codec->gpio_sticky = d->gpio_sticky;
    codec->gpi_data = codec->gpi_wake = codec->gpi_unsol = codec->gpi_sticky = codec->gpo_data = 0;
}

/* ---- Creation ------------------------------------------------------------------------------- */

void hdabdl_codec_config_default(struct hdabdl_codec_config *config, const struct hdabdl_codec_desc *desc)
{
    config->address = desc && desc->address <= 14 ? desc->address : 0;
    config->sink_capacity = 64 * 1024;
    config->unsol_capacity = 16;
}

int hdabdl_codec_create(const struct hdabdl_codec_desc *desc, const struct hdabdl_codec_config *config,
                        struct hdabdl_codec **out)
{
    struct hdabdl_codec_config cfg;
    int rc;

    if (!out)
        return -EINVAL;
    *out = NULL;
    if (!desc || desc->nnodes > 255 || (desc->nnodes && !desc->nodes))
        return -EINVAL;
    if (config)
        cfg = *config;
    else
        hdabdl_codec_config_default(&cfg, desc);
    if (cfg.address > 14 || cfg.unsol_capacity == 0 || cfg.unsol_capacity > 4096 ||
        cfg.sink_capacity > ((size_t)1 << 30))
        return -EINVAL;

    struct hdabdl_codec *c = calloc(1, sizeof(*c));
    if (!c)
        return -ENOMEM;
    c->cfg = cfg;
    rc = hdabdl_codec_desc_copy(&c->desc, desc);
    if (rc) {
        free(c);
        return rc;
    }
    for (size_t i = 0; i < 256; i++)
        c->map[i] = -1;
    c->has_afg = c->desc.nnodes > 0 || c->desc.has_afg_fid || c->desc.default_pcm.present;
    c->afg_nid = c->desc.afg_nid ? c->desc.afg_nid : 1;
    c->has_mfg = c->desc.has_mfg || c->desc.has_mfg_fid;
    c->mfg_nid = c->desc.has_mfg ? c->desc.mfg_nid : (uint8_t)(c->has_afg ? c->afg_nid + 1 : 1);
    if (c->has_mfg && c->has_afg && c->mfg_nid == c->afg_nid)
        c->has_mfg = false;     /* a dump cannot have both at one NID; keep the audio group */
    c->subsystem_id = c->desc.subsystem_id;

    rc = -EINVAL;
    if (c->desc.nnodes) {
        c->nodes = calloc(c->desc.nnodes, sizeof(*c->nodes));
        if (!c->nodes) {
            rc = -ENOMEM;
            goto fail;
        }
        c->nnodes = c->desc.nnodes;
        unsigned lo = 255, hi = 0;
        for (size_t i = 0; i < c->nnodes; i++) {
            const struct hdabdl_codec_node *d = &c->desc.nodes[i];
            if (d->nid == 0 || c->map[d->nid] >= 0 || (c->has_afg && d->nid == c->afg_nid) ||
                (c->has_mfg && d->nid == c->mfg_nid))
                goto fail;
            c->map[d->nid] = (int16_t)i;
            struct codec_node_rt *rt = &c->nodes[i];
            rt->d = d;
            rt->type = (uint8_t)hdabdl_codec_wcaps_type(d->wcaps);
            unsigned n_in = d->amp_in.nvals;
            if (rt->type != HDABDL_WIDGET_PIN_COMPLEX && d->nconn > n_in)
                n_in = d->nconn;
            if (n_in == 0)
                n_in = 1;
            if (n_in > HDABDL_CODEC_MAX_CONN)
                n_in = HDABDL_CODEC_MAX_CONN;
            rt->n_in_amps = (uint8_t)n_in;
            rt->pin_default = d->pin_default;
            unsigned port = d->pin_default >> 30;   /* 0 jack, 1 none, 2 fixed, 3 both */
            rt->jack = port == 2 || port == 3;
            if (d->nid < lo)
                lo = d->nid;
            if (d->nid > hi)
                hi = d->nid;
        }
        c->first_nid = (uint8_t)lo;
        c->num_widgets = (uint8_t)(hi - lo + 1);
    }
    c->unsol_q = calloc(cfg.unsol_capacity, sizeof(*c->unsol_q));
    if (!c->unsol_q) {
        rc = -ENOMEM;
        goto fail;
    }
    power_on_all(c);
    *out = c;
    return 0;
fail:
    hdabdl_codec_destroy(c);
    return rc;
}

void hdabdl_codec_destroy(struct hdabdl_codec *codec)
{
    if (!codec)
        return;
    for (size_t i = 0; i < codec->nnodes; i++) {
        free(codec->nodes[i].coefs);
        free(codec->nodes[i].ring.buf);
    }
    free(codec->nodes);
    free(codec->unsol_q);
    hdabdl_codec_desc_clear(&codec->desc);
    free(codec);
}

const struct hdabdl_codec_desc *hdabdl_codec_description(const struct hdabdl_codec *codec)
{
    return &codec->desc;
}

uint8_t hdabdl_codec_address(const struct hdabdl_codec *codec)
{
    return codec->cfg.address;
}

void hdabdl_codec_reset(struct hdabdl_codec *codec)
{
    power_on_all(codec);
    codec->unsol_head = 0;
    codec->unsol_len = 0;
}

void hdabdl_codec_get_stats(const struct hdabdl_codec *codec, struct hdabdl_codec_stats *out)
{
    *out = codec->stats;
}

uint64_t hdabdl_codec_refused_verbs(const struct hdabdl_codec *codec)
{
    return codec->stats.refused;
}

/* ---- Verbs of the root node and function groups ---------------------------------------------- */

static enum vr root_verb(struct hdabdl_codec *codec, unsigned verb, unsigned payload, uint32_t *r)
{
    if (verb != VERB_PARAMETERS)
        return not_here(verb);
    if (!known_param(payload))
        return VR_UNKNOWN;
    switch (payload) {
    case PAR_VENDOR_ID:
        *r = codec->desc.vendor_id;
        break;
    case PAR_SUBSYSTEM_ID:
        *r = codec->subsystem_id;
        break;
    case PAR_REV_ID:
        *r = codec->desc.revision_id;
        break;
    case PAR_NODE_COUNT: {
        unsigned lo = 255, hi = 0;
        if (codec->has_afg) {
            lo = codec->afg_nid;
            hi = codec->afg_nid;
        }
        if (codec->has_mfg) {
            lo = codec->mfg_nid < lo ? codec->mfg_nid : lo;
            hi = codec->mfg_nid > hi ? codec->mfg_nid : hi;
        }
        *r = hi >= lo ? (lo << 16) | (hi - lo + 1) : 0;
        break;
    }
    default:
        *r = 0;
        break;
    }
    return VR_OK;
}

static enum vr set_power(uint8_t *setting, uint32_t supported, unsigned payload)
{
    unsigned ps = payload & 0xF;
    if (ps > 4)
        return VR_WRONG_NODE;
    if (supported ? !(supported & (1u << ps)) : ps == 4)
        return VR_WRONG_NODE;
    *setting = (uint8_t)ps;
    return VR_OK;
}

static enum vr gpio_verb(struct hdabdl_codec *codec, unsigned verb, unsigned payload, uint32_t *r)
{
    uint32_t cap = codec->desc.gpio_cap;
    bool gpio = (cap & 0xFF) != 0, gpo = ((cap >> 8) & 0xFF) != 0, gpi = ((cap >> 16) & 0xFF) != 0;
    uint8_t *reg;
    bool ok;
    switch (verb & 0xFF) {
    case 0x10: reg = &codec->gpi_data;    ok = gpi;  break;
    case 0x11: reg = &codec->gpi_wake;    ok = gpi;  break;
    case 0x12: reg = &codec->gpi_unsol;   ok = gpi;  break;
    case 0x13: reg = &codec->gpi_sticky;  ok = gpi;  break;
    case 0x14: reg = &codec->gpo_data;    ok = gpo;  break;
    case 0x15: reg = &codec->gpio_data;   ok = gpio; break;
    case 0x16: reg = &codec->gpio_mask;   ok = gpio; break;
    case 0x17: reg = &codec->gpio_dir;    ok = gpio; break;
    case 0x18: reg = &codec->gpio_wake;   ok = gpio; break;
    case 0x19: reg = &codec->gpio_unsol;  ok = gpio; break;
    case 0x1A: reg = &codec->gpio_sticky; ok = gpio; break;
    default:   return VR_UNKNOWN;
    }
    if (!ok)
        return VR_WRONG_NODE;
    if ((verb & 0xF00) == 0xF00) {
        *r = *reg;
    } else {
        *reg = (uint8_t)payload;
        *r = 0;
    }
    return VR_OK;
}

static enum vr afg_verb(struct hdabdl_codec *codec, unsigned verb, unsigned payload, uint32_t *r)
{
    const struct hdabdl_codec_desc *d = &codec->desc;
    *r = 0;
    if (verb == VERB_PARAMETERS) {
        if (!known_param(payload))
            return VR_UNKNOWN;
        switch (payload) {
        case PAR_NODE_COUNT:
            *r = codec->nnodes ? ((uint32_t)codec->first_nid << 16) | codec->num_widgets : 0;
            break;
        case PAR_FUNCTION_TYPE:
            if (d->has_afg_fid) {
                *r = d->afg_fid;
            } else {
                bool unsol = false;
                for (size_t i = 0; i < codec->nnodes; i++)
                    unsol = unsol || has_wcap(&codec->nodes[i], WCAP_UNSOL_CAP);
                *r = 0x01u | (unsol ? 0x100u : 0);
            }
            break;
        case PAR_AUDIO_FG_CAP:
            for (size_t i = 0; i < codec->nnodes; i++)
                if (codec->nodes[i].type == HDABDL_WIDGET_BEEP_GENERATOR)
                    *r = 1u << 16;
            break;
        case PAR_PCM:
            *r = d->default_pcm.na ? 0 : d->default_pcm.sizes;
            break;
        case PAR_STREAM:
            *r = d->default_pcm.na ? 0 : d->default_pcm.formats;
            break;
        case PAR_AMP_IN_CAP:
            *r = d->default_amp_in;
            break;
        case PAR_AMP_OUT_CAP:
            *r = d->default_amp_out;
            break;
        case PAR_POWER_STATE:
            *r = d->has_afg_power_states ? d->afg_power_states : 0x9;   /* D0 and D3 */
            break;
        case PAR_GPIO_CAP:
            *r = d->gpio_cap;
            break;
        default:
            break;
        }
        return VR_OK;
    }
    switch (verb) {
    case VERB_GET_POWER_STATE:
        *r = (uint32_t)codec->afg_power | (uint32_t)codec->afg_power << 4;
        return VR_OK;
    case VERB_SET_POWER_STATE:
        return set_power(&codec->afg_power, d->has_afg_power_states ? d->afg_power_states : 0, payload);
    case VERB_GET_SUBSYSTEM_ID:
        *r = codec->subsystem_id;
        return VR_OK;
    case VERB_GET_UNSOL:
    case VERB_SET_UNSOL: {
        uint16_t fid = d->has_afg_fid ? d->afg_fid : 0x100;
        if (!(fid & 0x100))
            return VR_WRONG_NODE;
        if (verb == VERB_GET_UNSOL)
            *r = codec->afg_unsol;
        else
            codec->afg_unsol = (uint8_t)(payload & 0xBF);
        return VR_OK;
    }
    case VERB_FUNCTION_RESET:
        power_on_all(codec);
        return VR_OK;
    default:
        break;
    }
    if (verb >= VERB_SET_SUBSYSTEM_ID_0 && verb <= VERB_SET_SUBSYSTEM_ID_3) {
        unsigned shift = (verb - VERB_SET_SUBSYSTEM_ID_0) * 8;
        codec->subsystem_id = (codec->subsystem_id & ~(0xFFu << shift)) | ((uint32_t)payload << shift);
        return VR_OK;
    }
    if ((verb >= 0xF10 && verb <= 0xF1A) || (verb >= 0x710 && verb <= 0x71A))
        return gpio_verb(codec, verb, payload, r);
    return not_here(verb);
}

static enum vr mfg_verb(struct hdabdl_codec *codec, unsigned verb, unsigned payload, uint32_t *r)
{
    *r = 0;
    if (verb == VERB_PARAMETERS) {
        if (!known_param(payload))
            return VR_UNKNOWN;
        if (payload == PAR_FUNCTION_TYPE)
            *r = codec->desc.has_mfg_fid ? codec->desc.mfg_fid : 0x02;
        else if (payload == PAR_POWER_STATE)
            *r = 0x9;
        return VR_OK;
    }
    switch (verb) {
    case VERB_GET_POWER_STATE:
        *r = (uint32_t)codec->mfg_power | (uint32_t)codec->mfg_power << 4;
        return VR_OK;
    case VERB_SET_POWER_STATE:
        return set_power(&codec->mfg_power, 0x9, payload);
    case VERB_GET_SUBSYSTEM_ID:
        *r = codec->subsystem_id;
        return VR_OK;
    case VERB_FUNCTION_RESET:
        codec->mfg_power = 0;
        return VR_OK;
    default:
        return not_here(verb);
    }
}

/* ---- Widget verbs --------------------------------------------------------------------------- */

static uint32_t widget_param(struct hdabdl_codec *codec, struct codec_node_rt *rt, unsigned p)
{
    const struct hdabdl_codec_node *d = rt->d;
    (void)codec;
    switch (p) {
    case PAR_AUDIO_WIDGET_CAP:
        return d->wcaps;
    case PAR_PCM:
        return d->pcm.present && !d->pcm.na ? d->pcm.sizes : 0;
    case PAR_STREAM:
        return d->pcm.present && !d->pcm.na ? d->pcm.formats : 0;
    case PAR_PIN_CAP:
        return rt->type == HDABDL_WIDGET_PIN_COMPLEX ? d->pincap : 0;
    case PAR_AMP_IN_CAP:
        return d->amp_in.caps;
    case PAR_AMP_OUT_CAP:
        return d->amp_out.caps;
    case PAR_CONNLIST_LEN: {
        if (!has_wcap(rt, WCAP_CONN_LIST) && rt->type != HDABDL_WIDGET_VOLUME_KNOB)
            return 0;
        bool lng = false;
        for (unsigned i = 0; i < d->nconn; i++)
            lng = lng || d->conn[i] > 0x7F;
        return (d->nconn & 0x7Fu) | (lng ? 0x80u : 0);
    }
    case PAR_POWER_STATE:
        return d->has_power_states ? d->power_states : 0;
    case PAR_PROC_CAP:
        return d->proc_caps;
    case PAR_VOL_KNB_CAP:
        return rt->type == HDABDL_WIDGET_VOLUME_KNOB ? d->volknob_cap : 0;
    case PAR_DEVLIST_LEN:
        return d->has_devices && d->ndevices ? (uint32_t)(d->ndevices - 1) & 0x3Fu : 0;
    default:
        return 0;
    }
}

static enum vr amp_set(struct hdabdl_codec *codec, struct codec_node_rt *rt, unsigned payload)
{
    bool out = payload & 0x8000, in = payload & 0x4000, left = payload & 0x2000, right = payload & 0x1000;
    unsigned idx = (payload >> 8) & 0xF;
    if ((out && !has_wcap(rt, WCAP_OUT_AMP)) || (in && !has_wcap(rt, WCAP_IN_AMP)) || (!out && !in))
        return VR_WRONG_NODE;
    if (in && idx >= rt->n_in_amps)
        return VR_WRONG_NODE;
    bool stereo = has_wcap(rt, WCAP_STEREO);
    for (int side = 0; side < 2; side++) {
        bool this_side = side == 0 ? out : in;
        if (!this_side)
            continue;
        uint32_t caps = amp_caps(codec, rt, side == 0);
        unsigned nsteps = (caps >> 8) & 0x7F;
        unsigned gain = payload & 0x7F;
        if (gain > nsteps)
            gain = nsteps;
        unsigned mute = (caps & AMPCAP_MUTE) ? (payload & 0x80) : 0;
        uint8_t v = (uint8_t)(mute | gain);
        uint8_t *pair = side == 0 ? rt->amp_out : rt->amp_in[idx];
        if (stereo) {
            if (left)
                pair[0] = v;
            if (right)
                pair[1] = v;
        } else if (left || right) {
            pair[0] = pair[1] = v;  /* a mono amp has one channel, set by either bit */
        }
    }
    return VR_OK;
}

static enum vr amp_get(struct codec_node_rt *rt, unsigned payload, uint32_t *r)
{
    bool out = payload & 0x8000, left = payload & 0x2000;
    unsigned idx = payload & 0xF;
    if (out) {
        if (!has_wcap(rt, WCAP_OUT_AMP))
            return VR_WRONG_NODE;
        *r = rt->amp_out[left ? 0 : 1];
        if (!has_wcap(rt, WCAP_STEREO))
            *r = rt->amp_out[0];
        return VR_OK;
    }
    if (!has_wcap(rt, WCAP_IN_AMP) || idx >= rt->n_in_amps)
        return VR_WRONG_NODE;
    *r = has_wcap(rt, WCAP_STEREO) ? rt->amp_in[idx][left ? 0 : 1] : rt->amp_in[idx][0];
    return VR_OK;
}

static bool proc_capable(const struct codec_node_rt *rt)
{
    const struct hdabdl_codec_node *d = rt->d;
    return has_wcap(rt, WCAP_PROC_WID) || d->has_proc_caps || d->has_coef_index || d->ncoefs;
}

static enum vr widget_verb4(struct hdabdl_codec *codec, struct codec_node_rt *rt, unsigned v4,
                            unsigned payload, uint32_t *r)
{
    *r = 0;
    switch (v4) {
    case V4_SET_FORMAT:
        if (!is_converter(rt))
            return VR_WRONG_NODE;
        rt->format = (uint16_t)payload;
        return VR_OK;
    case V4_GET_FORMAT:
        if (!is_converter(rt))
            return VR_WRONG_NODE;
        *r = rt->format;
        return VR_OK;
    case V4_SET_AMP:
        return amp_set(codec, rt, payload);
    case V4_GET_AMP:
        return amp_get(rt, payload, r);
    case V4_SET_COEF_INDEX:
        if (!proc_capable(rt))
            return VR_WRONG_NODE;
        rt->coef_index = (uint16_t)payload;
        return VR_OK;
    case V4_GET_COEF_INDEX:
        if (!proc_capable(rt))
            return VR_WRONG_NODE;
        *r = rt->coef_index;
        return VR_OK;
    case V4_SET_COEF:
        if (!proc_capable(rt))
            return VR_WRONG_NODE;
        return coef_set(rt, rt->coef_index, (uint16_t)payload) ? VR_OK : VR_WRONG_NODE;
    case V4_GET_COEF:
        if (!proc_capable(rt))
            return VR_WRONG_NODE;
        *r = coef_get(rt, rt->coef_index);
        return VR_OK;
    default:
        return VR_UNKNOWN;
    }
}

static enum vr widget_verb12(struct hdabdl_codec *codec, struct codec_node_rt *rt, unsigned verb,
                             unsigned payload, uint32_t *r)
{
    const struct hdabdl_codec_node *d = rt->d;
    bool pin = rt->type == HDABDL_WIDGET_PIN_COMPLEX;
    bool digital_cvt = is_converter(rt) && has_wcap(rt, WCAP_DIGITAL);
    bool hdmi_node = (pin && (codec_pin_is_hdmi(codec, rt) || has_wcap(rt, WCAP_DIGITAL))) || digital_cvt;
    *r = 0;

    switch (verb) {
    case VERB_PARAMETERS:
        if (!known_param(payload))
            return VR_UNKNOWN;
        *r = widget_param(codec, rt, payload);
        return VR_OK;

    case VERB_GET_CONNECT_SEL:
    case VERB_SET_CONNECT_SEL:
        if (d->nconn == 0 || rt->type == HDABDL_WIDGET_AUDIO_MIXER || rt->type == HDABDL_WIDGET_POWER ||
            rt->type == HDABDL_WIDGET_VOLUME_KNOB)
            return VR_WRONG_NODE;
        if (verb == VERB_GET_CONNECT_SEL) {
            *r = rt->conn_sel;
            return VR_OK;
        }
        if (payload >= d->nconn)
            return VR_WRONG_NODE;
        rt->conn_sel = (uint8_t)payload;
        return VR_OK;

    case VERB_GET_CONNECT_LIST: {
        if (!has_wcap(rt, WCAP_CONN_LIST) && rt->type != HDABDL_WIDGET_VOLUME_KNOB)
            return VR_WRONG_NODE;
        bool lng = (widget_param(codec, rt, PAR_CONNLIST_LEN) & 0x80) != 0;
        unsigned per = lng ? 2 : 4, width = lng ? 16 : 8;
        for (unsigned i = 0; i < per; i++) {
            unsigned idx = payload + i;
            if (idx >= d->nconn)
                break;
            *r |= (uint32_t)(d->conn[idx] & (lng ? 0xFFFFu : 0xFFu)) << (i * width);
        }
        return VR_OK;
    }

    case VERB_GET_PROC_STATE:
    case VERB_SET_PROC_STATE:
        if (!proc_capable(rt))
            return VR_WRONG_NODE;
        if (verb == VERB_GET_PROC_STATE)
            *r = rt->proc_state;
        else
            rt->proc_state = (uint8_t)payload;
        return VR_OK;

    case VERB_GET_SDI_SELECT:
    case VERB_SET_SDI_SELECT:
        if (rt->type != HDABDL_WIDGET_AUDIO_INPUT)
            return VR_WRONG_NODE;
        if (verb == VERB_GET_SDI_SELECT)
            *r = rt->sdi;
        else
            rt->sdi = (uint8_t)(payload & 0xF);
        return VR_OK;

    case VERB_GET_POWER_STATE:
        if (!has_wcap(rt, WCAP_POWER))
            return VR_WRONG_NODE;
        *r = (uint32_t)rt->power_setting | (uint32_t)codec_node_actual_power(codec, rt) << 4;
        return VR_OK;
    case VERB_SET_POWER_STATE:
        if (!has_wcap(rt, WCAP_POWER))
            return VR_WRONG_NODE;
        return set_power(&rt->power_setting, d->has_power_states ? d->power_states : 0, payload);

    case VERB_GET_CONV:
    case VERB_SET_CHANNEL_STREAM:
        if (!is_converter(rt))
            return VR_WRONG_NODE;
        if (verb == VERB_GET_CONV)
            *r = rt->stream_chan;
        else
            rt->stream_chan = (uint8_t)payload;
        return VR_OK;

    case VERB_GET_PIN_CTL:
    case VERB_SET_PIN_CTL:
        if (!pin)
            return VR_WRONG_NODE;
        if (verb == VERB_GET_PIN_CTL)
            *r = rt->pinctl;
        else
            rt->pinctl = (uint8_t)payload;
        return VR_OK;

    case VERB_GET_UNSOL:
    case VERB_SET_UNSOL:
        if (!has_wcap(rt, WCAP_UNSOL_CAP))
            return VR_WRONG_NODE;
        if (verb == VERB_GET_UNSOL)
            *r = rt->unsol;
        else
            rt->unsol = (uint8_t)(payload & 0xBF);     /* enable bit 7, tag 5:0 */
        return VR_OK;

    case VERB_GET_PIN_SENSE:
    case VERB_SET_PIN_SENSE:
        if (!pin)
            return VR_WRONG_NODE;
        if (verb == VERB_GET_PIN_SENSE)
            *r = codec_pin_sense(codec, rt);
        return VR_OK;

    case VERB_GET_BEEP:
    case VERB_SET_BEEP:
        if (rt->type != HDABDL_WIDGET_BEEP_GENERATOR)
            return VR_WRONG_NODE;
        if (verb == VERB_GET_BEEP)
            *r = rt->beep;
        else
            rt->beep = (uint8_t)payload;
        return VR_OK;

    case VERB_GET_EAPD_BTL:
    case VERB_SET_EAPD_BTL:
        if (!pin)
            return VR_WRONG_NODE;
        if (verb == VERB_GET_EAPD_BTL)
            *r = rt->eapd;
        else
            rt->eapd = (uint8_t)(payload & 0x07);
        return VR_OK;

    case VERB_GET_DIGI_CONVERT:
        if (!digital_cvt)
            return VR_WRONG_NODE;
        *r = rt->digital;
        return VR_OK;
    case VERB_SET_DIGI_CONVERT_1:
    case VERB_SET_DIGI_CONVERT_2:
    case VERB_SET_DIGI_CONVERT_3:
    case VERB_SET_DIGI_CONVERT_4: {
        if (!digital_cvt)
            return VR_WRONG_NODE;
        unsigned shift = verb == VERB_SET_DIGI_CONVERT_1 ? 0 : verb == VERB_SET_DIGI_CONVERT_2 ? 8
                       : verb == VERB_SET_DIGI_CONVERT_3 ? 16 : 24;
        rt->digital = (rt->digital & ~(0xFFu << shift)) | ((uint32_t)payload << shift);
        return VR_OK;
    }

    case VERB_GET_VOLUME_KNOB:
    case VERB_SET_VOLUME_KNOB:
        if (rt->type != HDABDL_WIDGET_VOLUME_KNOB)
            return VR_WRONG_NODE;
        if (verb == VERB_GET_VOLUME_KNOB)
            *r = rt->volknob;
        else
            rt->volknob = (uint8_t)payload;
        return VR_OK;

    case VERB_GET_CONFIG_DEFAULT:
        if (!pin)
            return VR_WRONG_NODE;
        *r = rt->pin_default;
        return VR_OK;

    case VERB_GET_STRIPE:
    case VERB_SET_STRIPE:
        if (rt->type != HDABDL_WIDGET_AUDIO_OUTPUT || !has_wcap(rt, WCAP_STRIPE))
            return VR_WRONG_NODE;
        if (verb == VERB_GET_STRIPE)
            *r = 0x00100000u | rt->stripe;     /* stripe capability: 1 SDO (bit 20) + control */
        else
            rt->stripe = (uint8_t)(payload & 0x3);
        return VR_OK;

    case VERB_GET_CVT_CHAN_COUNT:
    case VERB_SET_CVT_CHAN_COUNT:
        if (!is_converter(rt) || !(has_wcap(rt, WCAP_CHAN_CNT_EXT) || has_wcap(rt, WCAP_DIGITAL)))
            return VR_WRONG_NODE;
        if (verb == VERB_GET_CVT_CHAN_COUNT)
            *r = rt->cvt_chan_count;
        else
            rt->cvt_chan_count = (uint8_t)(payload & 0xF);
        return VR_OK;

    case VERB_GET_HDMI_DIP_SIZE:
    case VERB_GET_HDMI_ELDD:
    case VERB_GET_HDMI_DIP_DATA:
    case VERB_SET_HDMI_DIP_DATA:
        if (!hdmi_node)
            return VR_WRONG_NODE;
        return VR_OK;       /* no ELD, no DIP buffers: all zeros */
    case VERB_GET_HDMI_DIP_INDEX:
    case VERB_SET_HDMI_DIP_INDEX:
        if (!hdmi_node)
            return VR_WRONG_NODE;
        if (verb == VERB_GET_HDMI_DIP_INDEX)
            *r = rt->dip_index;
        else
            rt->dip_index = (uint8_t)payload;
        return VR_OK;
    case VERB_GET_HDMI_DIP_XMIT:
    case VERB_SET_HDMI_DIP_XMIT:
        if (!hdmi_node)
            return VR_WRONG_NODE;
        if (verb == VERB_GET_HDMI_DIP_XMIT)
            *r = rt->dip_xmit;
        else
            rt->dip_xmit = (uint8_t)payload;
        return VR_OK;
    case VERB_GET_HDMI_CP_CTRL:
    case VERB_SET_HDMI_CP_CTRL:
        if (!hdmi_node)
            return VR_WRONG_NODE;
        if (verb == VERB_GET_HDMI_CP_CTRL)
            *r = rt->cp_ctrl;
        else
            rt->cp_ctrl = (uint16_t)payload;
        return VR_OK;
    case VERB_GET_HDMI_CHAN_SLOT:
    case VERB_SET_HDMI_CHAN_SLOT:
        if (!hdmi_node)
            return VR_WRONG_NODE;
        if (verb == VERB_GET_HDMI_CHAN_SLOT)
            *r = (payload & 0xF0u) | rt->chan_slot[(payload >> 4) & 0xF];
        else
            rt->chan_slot[(payload >> 4) & 0xF] = (uint8_t)(payload & 0xF);
        return VR_OK;

    case VERB_GET_DEVICE_SEL:
    case VERB_SET_DEVICE_SEL:
        if (!pin || !d->has_devices || d->ndevices == 0)
            return VR_WRONG_NODE;
        if (verb == VERB_GET_DEVICE_SEL) {
            *r = rt->dev_sel;
            return VR_OK;
        }
        if ((payload & 0x3F) >= d->ndevices)
            return VR_WRONG_NODE;
        rt->dev_sel = (uint8_t)(payload & 0x3F);
        return VR_OK;
    case VERB_GET_DEVICE_LIST:
        if (!pin || !d->has_devices || d->ndevices == 0)
            return VR_WRONG_NODE;
        for (unsigned i = 0; i < 8 && payload + i < d->ndevices; i++)
            *r |= (uint32_t)(d->devices[payload + i] & 0xF) << (i * 4);
        return VR_OK;

    default:
        break;
    }
    if (verb >= VERB_SET_CONFIG_DEF_0 && verb <= VERB_SET_CONFIG_DEF_3) {
        if (!pin)
            return VR_WRONG_NODE;
        unsigned shift = (verb - VERB_SET_CONFIG_DEF_0) * 8;
        rt->pin_default = (rt->pin_default & ~(0xFFu << shift)) | ((uint32_t)payload << shift);
        return VR_OK;
    }
    return not_here(verb);     /* e.g. function-group verbs sent to a widget */
}

/* ---- Entry ---------------------------------------------------------------------------------- */

bool hdabdl_codec_verb(struct hdabdl_codec *codec, uint32_t verb, uint32_t *response)
{
    uint32_t r = 0;
    enum vr res;

    if (!codec || (verb >> 28) != codec->cfg.address)
        return false;
    uint8_t nid = (uint8_t)((verb >> 20) & 0xFF);
    unsigned v4 = (verb >> 16) & 0xF;
    bool long_verb = v4 == 0x7 || v4 == 0xF;
    unsigned verb12 = (verb >> 8) & 0xFFF, payload8 = verb & 0xFF, payload16 = verb & 0xFFFF;

    codec->stats.verbs++;
    if (!long_verb && !known_verb4(v4)) {
        res = nid == 0 || (codec->has_afg && nid == codec->afg_nid) || (codec->has_mfg && nid == codec->mfg_nid) ||
              codec_node(codec, nid) ? VR_UNKNOWN : VR_BAD_NID;
    } else if (nid == 0) {
        res = long_verb ? root_verb(codec, verb12, payload8, &r) : VR_WRONG_NODE;
    } else if (codec->has_afg && nid == codec->afg_nid) {
        res = long_verb ? afg_verb(codec, verb12, payload8, &r) : VR_WRONG_NODE;
    } else if (codec->has_mfg && nid == codec->mfg_nid) {
        res = long_verb ? mfg_verb(codec, verb12, payload8, &r) : VR_WRONG_NODE;
    } else {
        struct codec_node_rt *rt = codec_node(codec, nid);
        if (!rt)
            res = VR_BAD_NID;
        else if (long_verb)
            res = widget_verb12(codec, rt, verb12, payload8, &r);
        else
            res = widget_verb4(codec, rt, v4, payload16, &r);
    }

    if (res != VR_OK) {
        r = 0;
        codec->stats.refused++;
        codec->stats.last_refused = verb;
        if (res == VR_BAD_NID)
            codec->stats.refused_bad_nid++;
        else if (res == VR_UNKNOWN)
            codec->stats.refused_unknown++;
        else
            codec->stats.refused_wrong_node++;
    }
    if (response)
        *response = r;
    return true;
}
