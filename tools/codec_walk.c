/* SPDX-License-Identifier: MIT */
/*
 * codec_walk.c - discover a codec through verbs (what Linux's hda_proc.c
 * reads, read the way it reads it), and find and program a playback path.
 *
 * The walk sends its verbs in a few large batches, each one
 * hdabdl_transfer_codec_verbs() call (the transport pipelines them through
 * the CORB): the root node, the function group types, the AFG, the widget
 * capabilities of every widget, then everything the capabilities call for,
 * then what depends on that (connection list entries, EAPD, SDI select,
 * devices, coefficients), then what depends on the connection lists (input
 * amp values, selected connection).
 *
 * A verb without a response reads as Linux's snd_hda_codec_read() error,
 * -1, except where that would be nonsense for the description (widget
 * capabilities, node counts and connection list lengths read as 0).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec_walk.h"

/* Verbs and parameters verbs.h does not name */
#define CW_VERB_GET_GPIO_WAKE    0xF18
#define CW_VERB_GET_GPIO_UNSOL   0xF19
#define CW_VERB_GET_GPIO_STICKY  0xF1A
#define CW_VERB_GET_DEVICE_SEL   0xF35
#define CW_VERB_GET_DEVICE_LIST  0xF36
#define CW_PARAM_DEVLIST_LEN     0x15

#define CW_FG_AUDIO  0x01u
#define CW_FG_MODEM  0x02u

/* AMP GET payload: 15 output (else input), 13 left (else right), index in the low bits */
#define CW_AMP_GET_OUTPUT 0x8000u
#define CW_AMP_GET_LEFT   0x2000u

#define NOT_SENT SIZE_MAX

/* ---- Verb batches ------------------------------------------------------------------ */

struct batch {
    struct hdabdl_codec_transfer *t;
    size_t n, cap;
    bool oom;
};

static size_t batch_add(struct batch *b, uint32_t verb)
{
    if (b->oom)
        return 0;
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 256;
        struct hdabdl_codec_transfer *t = realloc(b->t, cap * sizeof(*t));
        if (t == NULL) {
            b->oom = true;
            return 0;
        }
        b->t = t;
        b->cap = cap;
    }
    b->t[b->n].output.command = verb;
    b->t[b->n].input.complete_response = 0;
    return b->n++;
}

static uint32_t v12(uint8_t cad, unsigned nid, unsigned verb, unsigned payload)
{
    return HDABDL_VERB12(cad, nid, verb, payload);
}

static uint32_t v4(uint8_t cad, unsigned nid, unsigned verb, unsigned payload)
{
    return HDABDL_VERB4(cad, nid, verb, payload);
}

static size_t add_param(struct batch *b, uint8_t cad, unsigned nid, unsigned param)
{
    return batch_add(b, v12(cad, nid, HDABDL_VERB_GET_PARAMETER, param));
}

/* Send the batch (and empty it for the next one, keeping the results readable until then). */
static hdabdl_status batch_run(hdabdl_client *client, struct batch *b, struct codec_walk_stats *st)
{
    if (b->oom)
        return HDABDL_STATUS_NO_MEMORY;
    if (b->n == 0)
        return HDABDL_STATUS_SUCCESS;
    hdabdl_status status = hdabdl_transfer_codec_verbs(client, (uint32_t)b->n, b->t, NULL, NULL);
    st->transfers++;
    st->verbs += (unsigned)b->n;
    if (!HDABDL_NT_SUCCESS(status))
        return status;
    for (size_t i = 0; i < b->n; i++)
        if (!HDABDL_RESPONSE_IS_VALID(b->t[i].input.complete_response))
            st->invalid++;
    return status;
}

static void batch_reset(struct batch *b)
{
    b->n = 0;
}

static bool ok(const struct batch *b, size_t i)
{
    return i != NOT_SENT && i < b->n && HDABDL_RESPONSE_IS_VALID(b->t[i].input.complete_response);
}

/* The response, or -1 as Linux reads a failed verb. */
static uint32_t rd(const struct batch *b, size_t i)
{
    return ok(b, i) ? HDABDL_RESPONSE_VALUE(b->t[i].input.complete_response) : 0xFFFFFFFFu;
}

/* The response, or 0. */
static uint32_t rd0(const struct batch *b, size_t i)
{
    return ok(b, i) ? HDABDL_RESPONSE_VALUE(b->t[i].input.complete_response) : 0;
}

/* ---- Values as the proc file shows them ------------------------------------------------- */

static uint32_t amp_caps_value(const struct batch *b, size_t i)
{
    uint32_t caps = rd(b, i);
    if (caps == 0xFFFFFFFFu)
        return 0;   /* printed N/A */
    return caps & 0x807F7F7Fu;   /* mute, step size, steps, offset */
}

static void pcm_value(const struct batch *b, size_t i_pcm, size_t i_stream, struct hdabdl_codec_pcm *pcm)
{
    memset(pcm, 0, sizeof(*pcm));
    pcm->present = true;
    if (!ok(b, i_pcm) || !ok(b, i_stream)) {
        pcm->na = true;
        return;
    }
    uint32_t sizes = rd(b, i_pcm);
    pcm->sizes = (sizes & 0xFFFu) | (sizes & 0xFF0000u);
    pcm->formats = rd(b, i_stream) & 0xFu;
}

static uint32_t power_nibble(uint32_t v)
{
    return v <= 4 ? v : 0xFu;
}

static uint32_t power_value(uint32_t pwr)
{
    return power_nibble(pwr & 0xFu) | (power_nibble((pwr >> 4) & 0xFu) << 4) | (pwr & 0x700u);
}

static uint32_t power_states_value(uint32_t sup)
{
    return sup & 0xE000001Fu;   /* D0..D3cold, S3D3cold, CLKSTOP, EPSS */
}

/* ---- Vendor names (Linux hdac_device.c) ----------------------------------------------- */

void codec_generic_name(uint32_t vendor_id, char *buf, size_t len)
{
    static const struct { uint16_t id; const char *name; } vendors[] = {
        { 0x1002, "ATI" },       { 0x1013, "Cirrus Logic" }, { 0x1057, "Motorola" },
        { 0x1095, "Silicon Image" }, { 0x10de, "Nvidia" },  { 0x10ec, "Realtek" },
        { 0x1102, "Creative" },  { 0x1106, "VIA" },          { 0x111d, "IDT" },
        { 0x11c1, "LSI" },       { 0x11d4, "Analog Devices" }, { 0x13f6, "C-Media" },
        { 0x14f1, "Conexant" },  { 0x17e8, "Chrontel" },     { 0x1854, "LG" },
        { 0x19e5, "Huawei" },    { 0x1aec, "Wolfson Microelectronics" }, { 0x1af4, "QEMU" },
        { 0x434d, "C-Media" },   { 0x8086, "Intel" },        { 0x8384, "SigmaTel" },
    };
    unsigned vendor = vendor_id >> 16;
    for (size_t i = 0; i < sizeof(vendors) / sizeof(vendors[0]); i++) {
        if (vendors[i].id == vendor) {
            snprintf(buf, len, "%s ID %x", vendors[i].name, (unsigned)(vendor_id & 0xFFFFu));
            return;
        }
    }
    snprintf(buf, len, "Generic %04x ID %x", vendor, (unsigned)(vendor_id & 0xFFFFu));
}

/* ---- The walk --------------------------------------------------------------------------- */

/* What was sent for one widget, and what came back. */
struct wnode {
    uint8_t nid;
    uint32_t wcaps;
    unsigned type;
    size_t i_wcaps;
    /* capabilities and state */
    size_t i_ampin_cap, i_ampout_cap, i_connlen, i_pincap, i_pincfg, i_pinctl, i_vkcap, i_vkctl;
    size_t i_conv, i_digi, i_pcm, i_stream, i_unsol, i_pwrcap, i_pwr, i_proccap, i_coefidx;
    size_t i_devlen;
    size_t i_ampout[2], i_pin_ampin[2];
    /* what depends on that */
    size_t i_conn_first;
    unsigned n_conn_reads;
    size_t i_eapd, i_sdi, i_dev_first, i_devsel, i_coef_first;
    unsigned n_dev_reads, ncoefs;
    /* what depends on the connection list */
    size_t i_ampin_first, i_connsel;
    unsigned nampin;
    /* decoded connection list */
    int conn_len;
    uint16_t conn[HDABDL_CODEC_MAX_CONN];
};

static bool has_conn_list(const struct wnode *w)
{
    return (w->wcaps & CW_WCAP_CONN_LIST) || w->type == HDABDL_WIDGET_VOLUME_KNOB;
}

static void wnode_init(struct wnode *w, uint8_t nid)
{
    memset(w, 0, sizeof(*w));
    w->nid = nid;
    size_t *idx[] = { &w->i_wcaps, &w->i_ampin_cap, &w->i_ampout_cap, &w->i_connlen, &w->i_pincap,
                      &w->i_pincfg, &w->i_pinctl, &w->i_vkcap, &w->i_vkctl, &w->i_conv, &w->i_digi,
                      &w->i_pcm, &w->i_stream, &w->i_unsol, &w->i_pwrcap, &w->i_pwr, &w->i_proccap,
                      &w->i_coefidx, &w->i_devlen, &w->i_ampout[0], &w->i_ampout[1],
                      &w->i_pin_ampin[0], &w->i_pin_ampin[1], &w->i_conn_first, &w->i_eapd,
                      &w->i_sdi, &w->i_dev_first, &w->i_devsel, &w->i_coef_first,
                      &w->i_ampin_first, &w->i_connsel };
    for (size_t i = 0; i < sizeof(idx) / sizeof(idx[0]); i++)
        *idx[i] = NOT_SENT;
}

/* Phase E: what the widget capabilities call for. */
static void queue_widget(struct batch *b, uint8_t cad, struct wnode *w, bool dump_coefs)
{
    unsigned nid = w->nid;
    uint32_t wc = w->wcaps;
    bool stereo = (wc & CW_WCAP_STEREO) != 0;

    if (wc & CW_WCAP_IN_AMP)
        w->i_ampin_cap = add_param(b, cad, nid, HDABDL_PARAM_AMP_IN_CAP);
    if (wc & CW_WCAP_OUT_AMP) {
        w->i_ampout_cap = add_param(b, cad, nid, HDABDL_PARAM_AMP_OUT_CAP);
        w->i_ampout[0] = batch_add(b, v4(cad, nid, HDABDL_VERB4_GET_AMP_GAIN_MUTE,
                                         CW_AMP_GET_OUTPUT | CW_AMP_GET_LEFT));
        if (stereo)
            w->i_ampout[1] = batch_add(b, v4(cad, nid, HDABDL_VERB4_GET_AMP_GAIN_MUTE,
                                             CW_AMP_GET_OUTPUT));
    }
    if (has_conn_list(w))
        w->i_connlen = add_param(b, cad, nid, HDABDL_PARAM_CONNLIST_LEN);

    switch (w->type) {
    case HDABDL_WIDGET_PIN_COMPLEX:
        w->i_pincap = add_param(b, cad, nid, HDABDL_PARAM_PIN_CAP);
        w->i_pincfg = batch_add(b, v12(cad, nid, HDABDL_VERB_GET_CONFIG_DEFAULT, 0));
        w->i_pinctl = batch_add(b, v12(cad, nid, HDABDL_VERB_GET_PIN_WIDGET_CONTROL, 0));
        if (wc & CW_WCAP_IN_AMP) {   /* a pin's input amp: one index */
            w->i_pin_ampin[0] = batch_add(b, v4(cad, nid, HDABDL_VERB4_GET_AMP_GAIN_MUTE, CW_AMP_GET_LEFT));
            if (stereo)
                w->i_pin_ampin[1] = batch_add(b, v4(cad, nid, HDABDL_VERB4_GET_AMP_GAIN_MUTE, 0));
        }
        if (wc & CW_WCAP_DIGITAL)
            w->i_devlen = add_param(b, cad, nid, CW_PARAM_DEVLIST_LEN);
        break;
    case HDABDL_WIDGET_VOLUME_KNOB:
        w->i_vkcap = add_param(b, cad, nid, HDABDL_PARAM_VOL_KNB_CAP);
        w->i_vkctl = batch_add(b, v12(cad, nid, HDABDL_VERB_GET_VOLUME_KNOB, 0));
        break;
    case HDABDL_WIDGET_AUDIO_OUTPUT:
    case HDABDL_WIDGET_AUDIO_INPUT:
        w->i_conv = batch_add(b, v12(cad, nid, HDABDL_VERB_GET_CONV, 0));
        if (wc & CW_WCAP_DIGITAL)
            w->i_digi = batch_add(b, v12(cad, nid, HDABDL_VERB_GET_DIGI_CONVERT_1, 0));
        if (wc & CW_WCAP_FORMAT_OVRD) {
            w->i_pcm = add_param(b, cad, nid, HDABDL_PARAM_PCM);
            w->i_stream = add_param(b, cad, nid, HDABDL_PARAM_STREAM);
        }
        break;
    default:
        break;
    }
    if (wc & CW_WCAP_UNSOL_CAP)
        w->i_unsol = batch_add(b, v12(cad, nid, HDABDL_VERB_GET_UNSOLICITED_RESPONSE, 0));
    if (wc & CW_WCAP_POWER) {
        w->i_pwrcap = add_param(b, cad, nid, HDABDL_PARAM_POWER_STATE);
        w->i_pwr = batch_add(b, v12(cad, nid, HDABDL_VERB_GET_POWER_STATE, 0));
    }
    if (wc & CW_WCAP_PROC_WID) {
        w->i_proccap = add_param(b, cad, nid, HDABDL_PARAM_PROC_CAP);
        if (dump_coefs)
            w->i_coefidx = batch_add(b, v4(cad, nid, HDABDL_VERB4_GET_COEF_INDEX, 0));
    }
}

/* Phase F: connection list entries, EAPD, SDI select, devices, coefficients. */
static void queue_widget_more(struct batch *b, const struct batch *prev, uint8_t cad, struct wnode *w,
                              bool dump_coefs)
{
    unsigned nid = w->nid;

    if (w->i_connlen != NOT_SENT) {
        uint32_t parm = rd0(prev, w->i_connlen);
        unsigned len = parm & 0x7Fu, per = (parm & 0x80u) ? 2u : 4u;
        for (unsigned i = 0; i < len; i += per) {
            size_t k = batch_add(b, v12(cad, nid, HDABDL_VERB_GET_CONNECT_LIST, i));
            if (w->n_conn_reads++ == 0)
                w->i_conn_first = k;
        }
    }
    if (w->type == HDABDL_WIDGET_PIN_COMPLEX) {
        if (rd(prev, w->i_pincap) & CW_PINCAP_EAPD)
            w->i_eapd = batch_add(b, v12(cad, nid, HDABDL_VERB_GET_EAPD_BTLENABLE, 0));
        uint32_t devlen = w->i_devlen != NOT_SENT ? rd0(prev, w->i_devlen) & 0x3Fu : 0;
        if (devlen > 0) {
            unsigned n = devlen + 1;
            for (unsigned i = 0; i < n; i += 8) {
                size_t k = batch_add(b, v12(cad, nid, CW_VERB_GET_DEVICE_LIST, i));
                if (w->n_dev_reads++ == 0)
                    w->i_dev_first = k;
            }
            w->i_devsel = batch_add(b, v12(cad, nid, CW_VERB_GET_DEVICE_SEL, 0));
        }
    }
    if (w->type == HDABDL_WIDGET_AUDIO_INPUT && (rd(prev, w->i_conv) & 0xFu) == 0)
        w->i_sdi = batch_add(b, v12(cad, nid, HDABDL_VERB_GET_SDI_SELECT, 0));
    if (dump_coefs && w->i_proccap != NOT_SENT && ok(prev, w->i_proccap)) {
        unsigned ncoeff = (rd(prev, w->i_proccap) >> 8) & 0xFFu;
        for (unsigned i = 0; i < ncoeff; i++) {
            batch_add(b, v4(cad, nid, HDABDL_VERB4_SET_COEF_INDEX, i));
            size_t k = batch_add(b, v4(cad, nid, HDABDL_VERB4_GET_COEF, 0));
            if (i == 0)
                w->i_coef_first = k;
        }
        w->ncoefs = ncoeff;
        if (ncoeff > 0)   /* put the index back */
            batch_add(b, v4(cad, nid, HDABDL_VERB4_SET_COEF_INDEX, rd0(prev, w->i_coefidx) & 0xFFFFu));
    }
}

/* The connection list as Linux's snd_hdac_get_connections() expands it. */
static void decode_conn_list(struct wnode *w, const struct batch *prev, const struct batch *b)
{
    w->conn_len = 0;
    if (w->i_connlen == NOT_SENT)
        return;
    uint32_t parm = rd0(prev, w->i_connlen);
    unsigned len = parm & 0x7Fu;
    bool lng = (parm & 0x80u) != 0;
    unsigned shift = lng ? 16 : 8, per = lng ? 2 : 4;
    uint32_t mask = (1u << (shift - 1)) - 1;
    if (len == 0 || w->n_conn_reads == 0)
        return;
    if (len == 1) {
        uint32_t r = rd(b, w->i_conn_first);
        w->conn[0] = (uint16_t)(r & mask);
        w->conn_len = 1;
        return;
    }
    unsigned conns = 0, prev_nid = 0, nulls = 0;
    uint32_t r = 0;
    for (unsigned i = 0; i < len; i++) {
        if (i % per == 0)
            r = rd(b, w->i_conn_first + i / per);
        bool range = (r & (1u << (shift - 1))) != 0;
        unsigned val = r & mask;
        if (val == 0 && nulls++) {    /* no second chance */
            w->conn_len = 0;
            return;
        }
        r >>= shift;
        if (range) {
            if (prev_nid == 0 || prev_nid >= val)
                continue;   /* invalid range: Linux warns and skips it */
            for (unsigned n = prev_nid + 1; n <= val; n++)
                if (conns < HDABDL_CODEC_MAX_CONN)
                    w->conn[conns++] = (uint16_t)n;
        } else if (conns < HDABDL_CODEC_MAX_CONN) {
            w->conn[conns++] = (uint16_t)val;
        }
        prev_nid = val;
    }
    w->conn_len = (int)conns;
}

/* Phase G: input amp values (one per connection) and the selected connection. */
static void queue_widget_last(struct batch *b, uint8_t cad, struct wnode *w)
{
    unsigned nid = w->nid;
    bool stereo = (w->wcaps & CW_WCAP_STEREO) != 0;

    if ((w->wcaps & CW_WCAP_IN_AMP) && w->type != HDABDL_WIDGET_PIN_COMPLEX) {
        w->nampin = (unsigned)w->conn_len;
        for (unsigned i = 0; i < w->nampin; i++) {
            size_t k = batch_add(b, v4(cad, nid, HDABDL_VERB4_GET_AMP_GAIN_MUTE, CW_AMP_GET_LEFT | i));
            if (i == 0)
                w->i_ampin_first = k;
            if (stereo)
                batch_add(b, v4(cad, nid, HDABDL_VERB4_GET_AMP_GAIN_MUTE, i));
        }
    }
    if (w->conn_len > 1 && w->type != HDABDL_WIDGET_AUDIO_MIXER &&
        w->type != HDABDL_WIDGET_VOLUME_KNOB && w->type != HDABDL_WIDGET_POWER)
        w->i_connsel = batch_add(b, v12(cad, nid, HDABDL_VERB_GET_CONNECT_SEL, 0));
}

static void fill_amp_vals(struct hdabdl_codec_amp *amp, bool stereo, unsigned n, const struct batch *b,
                          const size_t *left, const size_t *right, size_t first)
{
    amp->vals_present = true;
    amp->nvals = (uint16_t)(n < HDABDL_CODEC_MAX_CONN ? n : HDABDL_CODEC_MAX_CONN);
    amp->vals_stereo = stereo && amp->nvals > 0;
    for (unsigned i = 0; i < amp->nvals; i++) {
        size_t il, ir;
        if (left != NULL) {
            il = *left;
            ir = right != NULL ? *right : NOT_SENT;
        } else {
            il = first + i * (stereo ? 2u : 1u);
            ir = stereo ? il + 1 : NOT_SENT;
        }
        amp->vals[i][0] = (uint8_t)rd(b, il);
        amp->vals[i][1] = stereo ? (uint8_t)rd(b, ir) : amp->vals[i][0];
    }
}

/* Everything read about one widget, into its description. */
static void fill_node(struct hdabdl_codec_node *n, const struct wnode *w, const struct batch *be,
                      const struct batch *bf, const struct batch *bg)
{
    uint32_t wc = w->wcaps;
    bool stereo = (wc & CW_WCAP_STEREO) != 0;

    memset(n, 0, sizeof(*n));
    n->nid = w->nid;
    n->wcaps = wc;
    n->conn_sel = -1;
    n->dev_sel = -1;

    if (wc & CW_WCAP_IN_AMP) {
        n->amp_in.caps_present = true;
        n->amp_in.caps = amp_caps_value(be, w->i_ampin_cap);
        if (w->type == HDABDL_WIDGET_PIN_COMPLEX)
            fill_amp_vals(&n->amp_in, stereo, 1, be, &w->i_pin_ampin[0], &w->i_pin_ampin[1], 0);
        else
            fill_amp_vals(&n->amp_in, stereo, w->nampin, bg, NULL, NULL, w->i_ampin_first);
    }
    if (wc & CW_WCAP_OUT_AMP) {
        n->amp_out.caps_present = true;
        n->amp_out.caps = amp_caps_value(be, w->i_ampout_cap);
        fill_amp_vals(&n->amp_out, stereo, 1, be, &w->i_ampout[0], &w->i_ampout[1], 0);
    }

    switch (w->type) {
    case HDABDL_WIDGET_PIN_COMPLEX:
        n->has_pincap = true;
        n->pincap = rd(be, w->i_pincap);
        if (w->i_eapd != NOT_SENT) {
            n->has_eapd = true;
            n->eapd = (uint8_t)rd(bf, w->i_eapd);
        }
        n->has_pin_default = true;
        n->pin_default = rd(be, w->i_pincfg);
        n->has_pinctl = true;
        n->pinctl = (uint8_t)rd(be, w->i_pinctl);
        if (w->n_dev_reads > 0) {
            unsigned count = (rd0(be, w->i_devlen) & 0x3Fu) + 1u;
            n->has_devices = true;
            n->ndevices = (uint8_t)(count < HDABDL_CODEC_MAX_DEVICES ? count : HDABDL_CODEC_MAX_DEVICES);
            for (unsigned i = 0; i < n->ndevices; i++)
                n->devices[i] = (uint8_t)((rd(bf, w->i_dev_first + i / 8) >> ((i % 8) * 4)) & 0x7u);
            uint32_t sel = rd(bf, w->i_devsel);
            n->dev_sel = sel < n->ndevices ? (int8_t)sel : -1;
        }
        break;
    case HDABDL_WIDGET_VOLUME_KNOB:
        n->has_volknob = true;
        n->volknob_cap = (uint8_t)rd(be, w->i_vkcap);
        n->volknob_ctl = (uint8_t)rd(be, w->i_vkctl);
        break;
    case HDABDL_WIDGET_AUDIO_OUTPUT:
    case HDABDL_WIDGET_AUDIO_INPUT: {
        uint32_t conv = rd(be, w->i_conv);
        n->has_converter = true;
        n->conv_stream = (uint8_t)((conv >> 4) & 0xFu);
        n->conv_channel = (uint8_t)(conv & 0xFu);
        if (w->i_sdi != NOT_SENT) {
            n->has_sdi_select = true;
            n->sdi_select = (uint8_t)(rd(bf, w->i_sdi) & 0xFu);
        }
        if (wc & CW_WCAP_DIGITAL) {
            n->has_digital = n->has_dig_category = n->has_iec_coding = true;
            n->digital = rd(be, w->i_digi) & 0x008F7FFFu;   /* DIG1, category, KAE, coding type */
        }
        if (wc & CW_WCAP_FORMAT_OVRD)
            pcm_value(be, w->i_pcm, w->i_stream, &n->pcm);
        break;
    }
    default:
        break;
    }

    if (wc & CW_WCAP_UNSOL_CAP) {
        n->has_unsol = true;
        n->unsol = (uint8_t)(rd(be, w->i_unsol) & 0xBFu);
    }
    if (wc & CW_WCAP_POWER) {
        if (ok(be, w->i_pwrcap)) {
            n->has_power_states = true;
            n->power_states = power_states_value(rd(be, w->i_pwrcap));
        }
        n->has_power = true;
        n->power = power_value(rd(be, w->i_pwr));
    }
    if (has_conn_list(w)) {
        n->has_conn = true;
        n->conn_len = w->conn_len;
        n->nconn = (uint16_t)w->conn_len;
        memcpy(n->conn, w->conn, (size_t)w->conn_len * sizeof(n->conn[0]));
        if (w->i_connsel != NOT_SENT) {
            uint32_t sel = rd(bg, w->i_connsel);
            n->conn_sel = sel < n->nconn ? (int16_t)sel : -1;
        }
    }
    if (wc & CW_WCAP_PROC_WID) {
        n->has_proc_caps = true;
        n->proc_caps = rd(be, w->i_proccap) & 0xFF01u;
        n->ncoefs = (uint16_t)w->ncoefs;
        for (unsigned i = 0; i < w->ncoefs && i < HDABDL_CODEC_MAX_COEFS; i++) {
            n->coefs[i].index = (uint16_t)i;
            n->coefs[i].value = (uint16_t)rd(bf, w->i_coef_first + 2u * i);
        }
    }
}

hdabdl_status codec_walk(hdabdl_client *client, uint8_t cad, const struct codec_walk_options *options,
                         struct hdabdl_codec_desc *out, struct codec_walk_stats *stats)
{
    struct codec_walk_options defaults = { .dump_coefs = false };
    struct codec_walk_stats local_stats;
    struct batch b[3];   /* the last three phases' results are read together */
    struct wnode *w = NULL;
    hdabdl_status status;

    if (options == NULL)
        options = &defaults;
    if (stats == NULL)
        stats = &local_stats;
    memset(stats, 0, sizeof(*stats));
    memset(out, 0, sizeof(*out));
    memset(b, 0, sizeof(b));
    if (client == NULL || cad > 14)
        return HDABDL_STATUS_INVALID_PARAMETER;

    struct hdabdl_codec_desc *d = out;
    d->address = cad;
    d->afg_nid = 1;

    /* Phase A: the root node. */
    size_t i_vendor = add_param(&b[0], cad, 0, HDABDL_PARAM_VENDOR_ID);
    size_t i_rev = add_param(&b[0], cad, 0, HDABDL_PARAM_REVISION_ID);
    size_t i_nodes = add_param(&b[0], cad, 0, HDABDL_PARAM_NODE_COUNT);
    status = batch_run(client, &b[0], stats);
    if (!HDABDL_NT_SUCCESS(status))
        goto out;
    if (!ok(&b[0], i_vendor)) {
        status = HDABDL_STATUS_NO_SUCH_DEVICE;
        goto out;
    }
    d->vendor_id = rd(&b[0], i_vendor);
    d->revision_id = rd(&b[0], i_rev);
    codec_generic_name(d->vendor_id, d->name, sizeof(d->name));
    uint32_t parm = rd0(&b[0], i_nodes);
    unsigned fg_start = (parm >> 16) & 0xFFu, fg_total = parm & 0xFFu;
    if (fg_start + fg_total > 256)
        fg_total = 256 - fg_start;

    /* Phase B: function group types. */
    batch_reset(&b[0]);
    for (unsigned i = 0; i < fg_total; i++)
        add_param(&b[0], cad, fg_start + i, HDABDL_PARAM_FUNCTION_TYPE);
    status = batch_run(client, &b[0], stats);
    if (!HDABDL_NT_SUCCESS(status))
        goto out;
    unsigned afg = 0, mfg = 0;
    for (unsigned i = 0; i < fg_total; i++) {
        if (!ok(&b[0], i))
            continue;
        uint32_t fid = rd(&b[0], i);
        if ((fid & 0xFFu) == CW_FG_AUDIO) {
            afg = fg_start + i;
            d->has_afg_fid = true;
            d->afg_fid = (uint16_t)(fid & 0x1FFu);
        } else if ((fid & 0xFFu) == CW_FG_MODEM) {
            mfg = fg_start + i;
            d->has_mfg_fid = true;
            d->mfg_fid = (uint16_t)(fid & 0x1FFu);
        }
    }
    if (mfg) {
        d->has_mfg = true;
        d->mfg_nid = (uint8_t)mfg;
    }

    /* Phase C: the function group. */
    batch_reset(&b[0]);
    unsigned fg = afg ? afg : mfg;   /* 0 (the root node) without function groups, as Linux asks */
    size_t i_ssid = batch_add(&b[0], v12(cad, fg, HDABDL_VERB_GET_SUBSYSTEM_ID, 0));
    size_t i_wnodes = NOT_SENT, i_pcm = NOT_SENT, i_stream = NOT_SENT, i_ampin = NOT_SENT;
    size_t i_ampout = NOT_SENT, i_pwrcap = NOT_SENT, i_pwr = NOT_SENT, i_gpio = NOT_SENT;
    if (afg) {
        i_wnodes = add_param(&b[0], cad, afg, HDABDL_PARAM_NODE_COUNT);
        i_pcm = add_param(&b[0], cad, afg, HDABDL_PARAM_PCM);
        i_stream = add_param(&b[0], cad, afg, HDABDL_PARAM_STREAM);
        i_ampin = add_param(&b[0], cad, afg, HDABDL_PARAM_AMP_IN_CAP);
        i_ampout = add_param(&b[0], cad, afg, HDABDL_PARAM_AMP_OUT_CAP);
        i_pwrcap = add_param(&b[0], cad, afg, HDABDL_PARAM_POWER_STATE);
        i_pwr = batch_add(&b[0], v12(cad, afg, HDABDL_VERB_GET_POWER_STATE, 0));
        i_gpio = add_param(&b[0], cad, afg, HDABDL_PARAM_GPIO_CAP);
    }
    status = batch_run(client, &b[0], stats);
    if (!HDABDL_NT_SUCCESS(status))
        goto out;
    d->subsystem_id = rd0(&b[0], i_ssid);
    if (!afg) {
        status = HDABDL_STATUS_SUCCESS;   /* Linux prints nothing more without an AFG */
        goto out;
    }
    d->has_afg_nid = true;
    d->afg_nid = (uint8_t)afg;
    pcm_value(&b[0], i_pcm, i_stream, &d->default_pcm);
    d->has_default_amp_in = true;
    d->default_amp_in = amp_caps_value(&b[0], i_ampin);
    d->has_default_amp_out = true;
    d->default_amp_out = amp_caps_value(&b[0], i_ampout);
    if (ok(&b[0], i_pwrcap)) {
        d->has_afg_power_states = true;
        d->afg_power_states = power_states_value(rd(&b[0], i_pwrcap));
    }
    d->has_afg_power = true;
    d->afg_power = power_value(rd(&b[0], i_pwr));
    parm = rd0(&b[0], i_wnodes);
    unsigned w_start = (parm >> 16) & 0xFFu, w_total = parm & 0xFFu;
    if (w_start == 0 || w_total == 0) {
        d->invalid_afg_subtree = true;
        status = HDABDL_STATUS_SUCCESS;
        goto out;
    }
    if (w_start + w_total > 256)
        w_total = 256 - w_start;
    uint32_t gpio = rd(&b[0], i_gpio);
    d->has_gpio = true;
    d->gpio_cap = gpio & 0xC0FFFFFFu;   /* counts, unsolicited, wake */
    unsigned gpio_io = gpio & 0xFFu;

    /* Phase D: GPIO state and the capabilities of every widget. */
    batch_reset(&b[0]);
    size_t i_gpio_first = NOT_SENT;
    if (gpio_io >= 1 && gpio_io <= 8) {
        static const unsigned gpio_verbs[] = { HDABDL_VERB_GET_GPIO_MASK, HDABDL_VERB_GET_GPIO_DIRECTION,
                                               CW_VERB_GET_GPIO_WAKE, CW_VERB_GET_GPIO_UNSOL,
                                               CW_VERB_GET_GPIO_STICKY, HDABDL_VERB_GET_GPIO_DATA };
        for (size_t i = 0; i < 6; i++) {
            size_t k = batch_add(&b[0], v12(cad, afg, gpio_verbs[i], 0));
            if (i == 0)
                i_gpio_first = k;
        }
    }
    w = calloc(w_total, sizeof(*w));
    if (w == NULL) {
        status = HDABDL_STATUS_NO_MEMORY;
        goto out;
    }
    for (unsigned i = 0; i < w_total; i++) {
        wnode_init(&w[i], (uint8_t)(w_start + i));
        w[i].i_wcaps = add_param(&b[0], cad, w_start + i, HDABDL_PARAM_AUDIO_WIDGET_CAP);
    }
    status = batch_run(client, &b[0], stats);
    if (!HDABDL_NT_SUCCESS(status))
        goto out;
    if (i_gpio_first != NOT_SENT) {
        uint8_t *regs[] = { &d->gpio_enable, &d->gpio_dir, &d->gpio_wake, &d->gpio_unsol,
                            &d->gpio_sticky, &d->gpio_data };
        d->gpio_lines = (uint8_t)gpio_io;
        uint8_t mask = (uint8_t)((1u << gpio_io) - 1u);
        for (size_t i = 0; i < 6; i++)
            *regs[i] = (uint8_t)(rd(&b[0], i_gpio_first + i) & mask);
    }
    for (unsigned i = 0; i < w_total; i++) {
        w[i].wcaps = rd0(&b[0], w[i].i_wcaps);
        w[i].type = hdabdl_codec_wcaps_type(w[i].wcaps);
    }

    /* Phase E: what the capabilities call for (b[0]). */
    batch_reset(&b[0]);
    for (unsigned i = 0; i < w_total; i++)
        queue_widget(&b[0], cad, &w[i], options->dump_coefs);
    status = batch_run(client, &b[0], stats);
    if (!HDABDL_NT_SUCCESS(status))
        goto out;

    /* Phase F: what depends on that (b[1]). */
    for (unsigned i = 0; i < w_total; i++)
        queue_widget_more(&b[1], &b[0], cad, &w[i], options->dump_coefs);
    status = batch_run(client, &b[1], stats);
    if (!HDABDL_NT_SUCCESS(status))
        goto out;

    /* Phase G: what depends on the connection lists (b[2]). */
    for (unsigned i = 0; i < w_total; i++) {
        decode_conn_list(&w[i], &b[0], &b[1]);
        queue_widget_last(&b[2], cad, &w[i]);
    }
    status = batch_run(client, &b[2], stats);
    if (!HDABDL_NT_SUCCESS(status))
        goto out;

    d->nodes = calloc(w_total, sizeof(*d->nodes));
    if (d->nodes == NULL) {
        status = HDABDL_STATUS_NO_MEMORY;
        goto out;
    }
    d->nnodes = w_total;
    for (unsigned i = 0; i < w_total; i++)
        fill_node(&d->nodes[i], &w[i], &b[0], &b[1], &b[2]);
    status = HDABDL_STATUS_SUCCESS;

out:
    free(w);
    for (size_t i = 0; i < 3; i++)
        free(b[i].t);
    if (!HDABDL_NT_SUCCESS(status))
        hdabdl_codec_desc_clear(out);
    return status;
}

/* ---- Output paths ------------------------------------------------------------------------- */

uint32_t codec_effective_amp_caps(const struct hdabdl_codec_desc *desc,
                                  const struct hdabdl_codec_node *node, bool output)
{
    uint32_t own = output ? node->amp_out.caps : node->amp_in.caps;
    if (own != 0 || (node->wcaps & CW_WCAP_AMP_OVRD))
        return own;
    return output ? desc->default_amp_out : desc->default_amp_in;
}

static const char *short_type_name(unsigned type)
{
    switch (type) {
    case HDABDL_WIDGET_AUDIO_OUTPUT:
        return "DAC";
    case HDABDL_WIDGET_AUDIO_MIXER:
        return "Mixer";
    case HDABDL_WIDGET_AUDIO_SELECTOR:
        return "Selector";
    case HDABDL_WIDGET_PIN_COMPLEX:
        return "Pin";
    default:
        return hdabdl_codec_widget_type_name(type);
    }
}

static const char *pin_device_name(uint32_t cfg)
{
    static const char *const names[16] = {
        "Line Out", "Speaker", "HP Out", "CD", "SPDIF Out", "Digital Out", "Modem Line",
        "Modem Hand", "Line In", "Aux", "Mic", "Telephony", "SPDIF In", "Digital In", "Reserved",
        "Other" };
    return names[CW_PINCFG_DEVICE(cfg)];
}

static const char *pin_port_name(uint32_t cfg)
{
    static const char *const names[4] = { "Jack", "N/A", "Fixed", "Both" };
    return names[CW_PINCFG_PORT(cfg)];
}

/* Can this DAC take a 48 kHz 16-bit PCM stream? Unknown (0) capabilities count as yes. */
static bool dac_takes_48k_16(const struct hdabdl_codec_desc *desc, const struct hdabdl_codec_node *n)
{
    const struct hdabdl_codec_pcm *pcm = (n->wcaps & CW_WCAP_FORMAT_OVRD) ? &n->pcm : &desc->default_pcm;
    if (!pcm->present || pcm->na || pcm->sizes == 0)
        return true;
    bool rate = (pcm->sizes & (1u << 6)) != 0;      /* 48000 */
    bool bits = (pcm->sizes & (1u << 17)) != 0;     /* 16 bit */
    bool fmt = pcm->formats == 0 || (pcm->formats & 1u) != 0;
    return rate && bits && fmt;
}

static unsigned pin_rank(uint32_t cfg)
{
    switch (CW_PINCFG_DEVICE(cfg)) {
    case CW_DEVICE_LINE_OUT:
        return 0;
    case CW_DEVICE_HP_OUT:
        return 1;
    case CW_DEVICE_SPEAKER:
        return 2;
    default:
        return 3;
    }
}

/* Sort key of a candidate pin: kind, association (0 = none, last), sequence, NID. */
static uint32_t pin_key(const struct hdabdl_codec_node *n)
{
    uint32_t cfg = n->pin_default;
    unsigned assoc = CW_PINCFG_ASSOC(cfg) ? CW_PINCFG_ASSOC(cfg) : 16u;
    return (pin_rank(cfg) << 24) | (assoc << 16) | (CW_PINCFG_SEQ(cfg) << 8) | n->nid;
}

static int index_of(const struct hdabdl_codec_desc *desc, unsigned nid)
{
    for (size_t i = 0; i < desc->nnodes; i++)
        if (desc->nodes[i].nid == nid)
            return (int)i;
    return -1;
}

/* Breadth-first from @pin (a node index) back to a DAC; fills @path. */
static bool search_from_pin(const struct hdabdl_codec_desc *desc, int pin, struct codec_path *path)
{
    int parent[256];          /* node index -> the node (index) it feeds, toward the pin */
    int16_t via[256];         /* node index -> its index in that node's connection list */
    unsigned depth[256];
    int queue[256];
    unsigned head = 0, tail = 0;
    size_t n = desc->nnodes < 256 ? desc->nnodes : 256;

    for (size_t i = 0; i < n; i++) {
        parent[i] = -2;       /* not seen */
        via[i] = -1;
        depth[i] = 0;
    }
    parent[pin] = -1;
    queue[tail++] = pin;
    while (head < tail) {
        int cur = queue[head++];
        const struct hdabdl_codec_node *cn = &desc->nodes[cur];
        if (depth[cur] + 1 >= CODEC_PATH_MAX)
            continue;
        for (unsigned c = 0; c < cn->nconn; c++) {
            int in = index_of(desc, cn->conn[c]);
            if (in < 0 || (size_t)in >= n || parent[in] != -2)
                continue;
            const struct hdabdl_codec_node *inn = &desc->nodes[in];
            unsigned type = hdabdl_codec_wcaps_type(inn->wcaps);
            if (type == HDABDL_WIDGET_AUDIO_OUTPUT) {
                if (!dac_takes_48k_16(desc, inn))
                    continue;
                parent[in] = cur;
                via[in] = (int16_t)c;
                /* Found: walk back from the DAC to the pin. */
                path->len = 0;
                int prev = -1;
                for (int k = in; k != -1; k = parent[k]) {
                    path->nodes[path->len] = desc->nodes[k].nid;
                    path->conn_index[path->len] = prev >= 0 ? via[prev] : -1;
                    path->len++;
                    prev = k;
                }
                return true;
            }
            if (type != HDABDL_WIDGET_AUDIO_MIXER && type != HDABDL_WIDGET_AUDIO_SELECTOR)
                continue;
            parent[in] = cur;
            via[in] = (int16_t)c;
            depth[in] = depth[cur] + 1;
            queue[tail++] = in;
        }
    }
    return false;
}

bool codec_find_output_path(const struct hdabdl_codec_desc *desc, struct codec_path *path,
                            char *why, size_t why_len)
{
    int pins[256];
    size_t npins = 0, out_pins = 0;
    memset(path, 0, sizeof(*path));
    path->cad = desc->address;

    for (size_t i = 0; i < desc->nnodes && i < 256; i++) {
        const struct hdabdl_codec_node *n = &desc->nodes[i];
        if (hdabdl_codec_wcaps_type(n->wcaps) != HDABDL_WIDGET_PIN_COMPLEX || !(n->pincap & CW_PINCAP_OUT))
            continue;
        out_pins++;
        if (CW_PINCFG_PORT(n->pin_default) == CW_PORT_NONE)
            continue;
        pins[npins++] = (int)i;
    }
    /* insertion sort by preference */
    for (size_t i = 1; i < npins; i++) {
        int p = pins[i];
        size_t j = i;
        while (j > 0 && pin_key(&desc->nodes[pins[j - 1]]) > pin_key(&desc->nodes[p])) {
            pins[j] = pins[j - 1];
            j--;
        }
        pins[j] = p;
    }
    for (size_t i = 0; i < npins; i++)
        if (search_from_pin(desc, pins[i], path))
            return true;

    if (desc->nnodes == 0)
        snprintf(why, why_len, "the codec has no audio function group widgets");
    else if (out_pins == 0)
        snprintf(why, why_len, "no pin complex can output (no pin caps with OUT)");
    else if (npins == 0)
        snprintf(why, why_len, "all %zu output-capable pins are marked \"no physical connection\"",
                 out_pins);
    else
        snprintf(why, why_len,
                 "none of the %zu connected output pins reaches an Audio Output converter that takes "
                 "48 kHz 16-bit PCM through mixers and selectors", npins);
    return false;
}

void codec_path_describe(const struct hdabdl_codec_desc *desc, const struct codec_path *path,
                         char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (unsigned i = 0; i < path->len && used < len; i++) {
        const struct hdabdl_codec_node *n = hdabdl_codec_desc_node(desc, path->nodes[i]);
        unsigned type = n ? hdabdl_codec_wcaps_type(n->wcaps) : 0xFu;
        int k = snprintf(buf + used, len - used, "%s%s 0x%02x", i ? " -> " : "", short_type_name(type),
                         path->nodes[i]);
        if (k < 0)
            return;
        used += (size_t)k;
        if (i + 1 == path->len && n != NULL && used < len)
            snprintf(buf + used, len - used, " (%s, %s)", pin_device_name(n->pin_default),
                     pin_port_name(n->pin_default));
    }
}

struct prog {
    struct codec_path_verb *out;
    size_t max, n;
};

#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 6, 7)))
#endif
static void prog_add(struct prog *p, uint32_t verb, bool readback, uint32_t expect, uint32_t mask,
                     const char *fmt, ...);

static void prog_add(struct prog *p, uint32_t verb, bool readback, uint32_t expect, uint32_t mask,
                     const char *fmt, ...)
{
    if (p->n < p->max) {
        struct codec_path_verb *v = &p->out[p->n];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(v->what, sizeof(v->what), fmt, ap);
        va_end(ap);
        v->verb = verb;
        v->readback = readback;
        v->expect = expect;
        v->mask = mask;
    }
    p->n++;
}

/* Gain/mute byte for 0 dB, unmuted: the caps' offset (clamped to the steps). */
static uint8_t amp_zero_db(uint32_t caps)
{
    unsigned ofs = CW_AMPCAP_OFFSET(caps), steps = CW_AMPCAP_NSTEPS(caps);
    return (uint8_t)(ofs <= steps ? ofs : steps);
}

size_t codec_path_program(const struct hdabdl_codec_desc *desc, const struct codec_path *path,
                          uint16_t format, uint8_t tag, struct codec_path_verb *out, size_t max)
{
    struct prog p = { out, max, 0 };
    uint8_t cad = path->cad;
    unsigned afg = desc->afg_nid;
    const struct hdabdl_codec_node *nodes[CODEC_PATH_MAX];

    for (unsigned i = 0; i < path->len; i++) {
        nodes[i] = hdabdl_codec_desc_node(desc, path->nodes[i]);
        if (nodes[i] == NULL)
            return 0;
    }
    const struct hdabdl_codec_node *dac = nodes[0], *pin = nodes[path->len - 1];
    uint8_t pinctl = HDABDL_PIN_OUT_ENABLE;
    if (CW_PINCFG_DEVICE(pin->pin_default) == CW_DEVICE_HP_OUT && (pin->pincap & CW_PINCAP_HP_DRV))
        pinctl |= HDABDL_PIN_HP_ENABLE;

    /* Power: the function group, then every node of the path that has its own power control. */
    prog_add(&p, v12(cad, afg, HDABDL_VERB_SET_POWER_STATE, 0), false, 0, 0, "SET_POWER_STATE AFG 0x%02x D0", afg);
    for (unsigned i = 0; i < path->len; i++)
        if (nodes[i]->wcaps & CW_WCAP_POWER)
            prog_add(&p, v12(cad, nodes[i]->nid, HDABDL_VERB_SET_POWER_STATE, 0), false, 0, 0,
                     "SET_POWER_STATE node 0x%02x D0", nodes[i]->nid);

    /* Connections, then amps from the pin back to the DAC (so the DAC's own amp is
     * set last: QEMU's codec applies an amp verb sent to any node to the DAC's
     * stream), then the pin. */
    for (unsigned i = 0; i < path->len; i++) {
        const struct hdabdl_codec_node *n = nodes[i];
        unsigned type = hdabdl_codec_wcaps_type(n->wcaps);
        int idx = i > 0 ? path->conn_index[i] : -1;
        if (idx >= 0 && n->nconn > 1 && type != HDABDL_WIDGET_AUDIO_MIXER)
            prog_add(&p, v12(cad, n->nid, HDABDL_VERB_SET_CONNECT_SEL, (unsigned)idx), false, 0, 0,
                     "SET_CONNECT_SEL node 0x%02x -> [%d] 0x%02x", n->nid, idx, path->nodes[i - 1]);
    }
    for (unsigned i = path->len; i-- > 0;) {
        const struct hdabdl_codec_node *n = nodes[i];
        unsigned type = hdabdl_codec_wcaps_type(n->wcaps);
        int idx = i > 0 ? path->conn_index[i] : -1;
        if (idx >= 0 && idx < 16 && (n->wcaps & CW_WCAP_IN_AMP) && type != HDABDL_WIDGET_PIN_COMPLEX) {
            uint8_t g = amp_zero_db(codec_effective_amp_caps(desc, n, false));
            prog_add(&p, v4(cad, n->nid, HDABDL_VERB4_SET_AMP_GAIN_MUTE,
                            HDABDL_AMP_SET_INPUT | HDABDL_AMP_SET_LEFT | HDABDL_AMP_SET_RIGHT |
                                (unsigned)idx << 8 | g),
                     false, 0, 0, "SET_AMP_GAIN_MUTE node 0x%02x in[%d] unmute, gain 0x%02x (0 dB)", n->nid,
                     idx, g);
        }
        if (n->wcaps & CW_WCAP_OUT_AMP) {
            uint8_t g = amp_zero_db(codec_effective_amp_caps(desc, n, true));
            prog_add(&p, v4(cad, n->nid, HDABDL_VERB4_SET_AMP_GAIN_MUTE,
                            HDABDL_AMP_SET_OUTPUT | HDABDL_AMP_SET_LEFT | HDABDL_AMP_SET_RIGHT | g),
                     false, 0, 0, "SET_AMP_GAIN_MUTE node 0x%02x out unmute, gain 0x%02x (0 dB)", n->nid, g);
        }
    }
    prog_add(&p, v12(cad, pin->nid, HDABDL_VERB_SET_PIN_WIDGET_CONTROL, pinctl), false, 0, 0,
             "SET_PIN_WIDGET_CONTROL pin 0x%02x 0x%02x (OUT%s)", pin->nid, pinctl,
             (pinctl & HDABDL_PIN_HP_ENABLE) ? " HP" : "");
    if (pin->pincap & CW_PINCAP_EAPD) {
        uint8_t eapd = (uint8_t)((pin->has_eapd ? pin->eapd : 0) | CW_EAPD_ENABLE);
        prog_add(&p, v12(cad, pin->nid, HDABDL_VERB_SET_EAPD_BTLENABLE, eapd), false, 0, 0,
                 "SET_EAPD_BTLENABLE pin 0x%02x 0x%02x (EAPD on)", pin->nid, eapd);
    }
    if ((dac->wcaps & CW_WCAP_DIGITAL) && dac->has_digital) {
        uint8_t dig1 = (uint8_t)((dac->digital & 0xFFu) | 0x01u);
        prog_add(&p, v12(cad, dac->nid, HDABDL_VERB_SET_DIGI_CONVERT_1, dig1), false, 0, 0,
                 "SET_DIGI_CONVERT_1 DAC 0x%02x 0x%02x (digital enable)", dac->nid, dig1);
    }
    prog_add(&p, v4(cad, dac->nid, HDABDL_VERB4_SET_STREAM_FORMAT, format), false, 0, 0,
             "SET_STREAM_FORMAT DAC 0x%02x 0x%04x", dac->nid, format);
    prog_add(&p, v12(cad, dac->nid, HDABDL_VERB_SET_CHANNEL_STREAMID, (unsigned)tag << 4), false, 0, 0,
             "SET_CHANNEL_STREAMID DAC 0x%02x stream %u, channel 0", dac->nid, tag);

    /* Read it all back. */
    prog_add(&p, v12(cad, afg, HDABDL_VERB_GET_POWER_STATE, 0), true, 0x00, 0xFF,
             "GET_POWER_STATE AFG 0x%02x: D0/D0", afg);
    for (unsigned i = 0; i < path->len; i++)
        if (nodes[i]->wcaps & CW_WCAP_POWER)
            prog_add(&p, v12(cad, nodes[i]->nid, HDABDL_VERB_GET_POWER_STATE, 0), true, 0x00, 0xFF,
                     "GET_POWER_STATE node 0x%02x: D0/D0", nodes[i]->nid);
    for (unsigned i = 0; i < path->len; i++) {
        const struct hdabdl_codec_node *n = nodes[i];
        unsigned type = hdabdl_codec_wcaps_type(n->wcaps);
        int idx = i > 0 ? path->conn_index[i] : -1;
        if (idx >= 0 && n->nconn > 1 && type != HDABDL_WIDGET_AUDIO_MIXER)
            prog_add(&p, v12(cad, n->nid, HDABDL_VERB_GET_CONNECT_SEL, 0), true, (uint32_t)idx, 0xFF,
                     "GET_CONNECT_SEL node 0x%02x: %d", n->nid, idx);
        if (idx >= 0 && idx < 16 && (n->wcaps & CW_WCAP_IN_AMP) && type != HDABDL_WIDGET_PIN_COMPLEX) {
            uint8_t g = amp_zero_db(codec_effective_amp_caps(desc, n, false));
            prog_add(&p, v4(cad, n->nid, HDABDL_VERB4_GET_AMP_GAIN_MUTE, CW_AMP_GET_LEFT | (unsigned)idx),
                     true, g, 0xFF, "GET_AMP_GAIN_MUTE node 0x%02x in[%d] left: 0x%02x", n->nid, idx, g);
        }
        if (n->wcaps & CW_WCAP_OUT_AMP) {
            uint8_t g = amp_zero_db(codec_effective_amp_caps(desc, n, true));
            prog_add(&p, v4(cad, n->nid, HDABDL_VERB4_GET_AMP_GAIN_MUTE, CW_AMP_GET_OUTPUT | CW_AMP_GET_LEFT),
                     true, g, 0xFF, "GET_AMP_GAIN_MUTE node 0x%02x out left: 0x%02x", n->nid, g);
        }
    }
    prog_add(&p, v12(cad, pin->nid, HDABDL_VERB_GET_PIN_WIDGET_CONTROL, 0), true, pinctl, 0xFF,
             "GET_PIN_WIDGET_CONTROL pin 0x%02x: 0x%02x", pin->nid, pinctl);
    prog_add(&p, v4(cad, dac->nid, HDABDL_VERB4_GET_STREAM_FORMAT, 0), true, format, 0xFFFF,
             "GET_STREAM_FORMAT DAC 0x%02x: 0x%04x", dac->nid, format);
    prog_add(&p, v12(cad, dac->nid, HDABDL_VERB_GET_CONV, 0), true, (uint32_t)tag << 4, 0xFF,
             "GET_CONV DAC 0x%02x: stream %u, channel 0", dac->nid, tag);
    return p.n;
}

uint32_t codec_path_release_verb(const struct codec_path *path)
{
    return v12(path->cad, path->nodes[0], HDABDL_VERB_SET_CHANNEL_STREAMID, 0);
}

/* ---- Input paths ------------------------------------------------------------------------- */

/* Preference of an input pin by its default device: line in, mic, aux, CD, the rest. */
static unsigned input_pin_rank(uint32_t cfg)
{
    switch (CW_PINCFG_DEVICE(cfg)) {
    case CW_DEVICE_LINE_IN:
        return 0;
    case CW_DEVICE_MIC:
        return 1;
    case CW_DEVICE_AUX:
        return 2;
    case CW_DEVICE_CD:
        return 3;
    default:
        return 4;
    }
}

static uint32_t input_pin_key(const struct hdabdl_codec_node *n)
{
    uint32_t cfg = n->pin_default;
    unsigned assoc = CW_PINCFG_ASSOC(cfg) ? CW_PINCFG_ASSOC(cfg) : 16u;
    return (input_pin_rank(cfg) << 24) | (assoc << 16) | (CW_PINCFG_SEQ(cfg) << 8) | n->nid;
}

static bool input_pin_usable(const struct hdabdl_codec_node *n)
{
    return hdabdl_codec_wcaps_type(n->wcaps) == HDABDL_WIDGET_PIN_COMPLEX && (n->pincap & CW_PINCAP_IN) &&
           CW_PINCFG_PORT(n->pin_default) != CW_PORT_NONE;
}

/* Breadth-first from ADC @adc (a node index) to the best input pin; fills @path, sets *@key. */
static bool search_from_adc(const struct hdabdl_codec_desc *desc, int adc, struct codec_path *path,
                            uint32_t *key)
{
    int parent[256];
    int16_t via[256];       /* node index -> its index in the parent's connection list */
    unsigned depth[256];
    int queue[256];
    unsigned head = 0, tail = 0;
    size_t n = desc->nnodes < 256 ? desc->nnodes : 256;
    int best = -1;
    uint32_t best_key = UINT32_MAX;

    for (size_t i = 0; i < n; i++) {
        parent[i] = -2;
        via[i] = -1;
        depth[i] = 0;
    }
    parent[adc] = -1;
    queue[tail++] = adc;
    while (head < tail) {
        int cur = queue[head++];
        const struct hdabdl_codec_node *cn = &desc->nodes[cur];
        if (depth[cur] + 1 >= CODEC_PATH_MAX)
            continue;
        for (unsigned c = 0; c < cn->nconn; c++) {
            int in = index_of(desc, cn->conn[c]);
            if (in < 0 || (size_t)in >= n || parent[in] != -2)
                continue;
            const struct hdabdl_codec_node *inn = &desc->nodes[in];
            unsigned type = hdabdl_codec_wcaps_type(inn->wcaps);
            if (type == HDABDL_WIDGET_PIN_COMPLEX) {
                if (!input_pin_usable(inn))
                    continue;
                parent[in] = cur;
                via[in] = (int16_t)c;
                depth[in] = depth[cur] + 1;
                /* breadth-first: the first pin of a rank is the nearest of that rank */
                uint32_t k = input_pin_key(inn);
                if (best < 0 || (k >> 24) < (best_key >> 24)) {
                    best = in;
                    best_key = k;
                }
                continue;
            }
            if (type != HDABDL_WIDGET_AUDIO_MIXER && type != HDABDL_WIDGET_AUDIO_SELECTOR)
                continue;
            parent[in] = cur;
            via[in] = (int16_t)c;
            depth[in] = depth[cur] + 1;
            queue[tail++] = in;
        }
    }
    if (best < 0)
        return false;
    /* Walk back from the pin to the ADC, then reverse: nodes[0] is the ADC. */
    int chain[CODEC_PATH_MAX];
    unsigned len = 0;
    for (int k = best; k != -1 && len < CODEC_PATH_MAX; k = parent[k])
        chain[len++] = k;
    path->len = len;
    for (unsigned i = 0; i < len; i++) {
        int node = chain[len - 1 - i];
        path->nodes[i] = desc->nodes[node].nid;
        /* index of the next node (toward the pin) in this node's list */
        path->conn_index[i] = i + 1 < len ? via[chain[len - 2 - i]] : -1;
    }
    *key = (best_key & 0xFF000000u) | (depth[best] << 16) | desc->nodes[adc].nid;
    return true;
}

bool codec_find_input_path(const struct hdabdl_codec_desc *desc, struct codec_path *path,
                           char *why, size_t why_len)
{
    struct codec_path best, cand;
    uint32_t best_key = UINT32_MAX;
    bool found = false;
    size_t adcs = 0, in_pins = 0;
    memset(path, 0, sizeof(*path));
    memset(&best, 0, sizeof(best));
    path->cad = desc->address;

    for (size_t i = 0; i < desc->nnodes && i < 256; i++) {
        const struct hdabdl_codec_node *n = &desc->nodes[i];
        unsigned type = hdabdl_codec_wcaps_type(n->wcaps);
        if (type == HDABDL_WIDGET_PIN_COMPLEX && input_pin_usable(n))
            in_pins++;
        if (type != HDABDL_WIDGET_AUDIO_INPUT || (n->wcaps & CW_WCAP_DIGITAL) || !dac_takes_48k_16(desc, n))
            continue;
        adcs++;
        uint32_t key = 0;
        memset(&cand, 0, sizeof(cand));
        cand.cad = desc->address;
        if (search_from_adc(desc, (int)i, &cand, &key) && (!found || key < best_key)) {
            best = cand;
            best_key = key;
            found = true;
        }
    }
    if (found) {
        *path = best;
        return true;
    }
    if (desc->nnodes == 0)
        snprintf(why, why_len, "the codec has no audio function group widgets");
    else if (adcs == 0)
        snprintf(why, why_len, "no analog Audio Input converter takes 48 kHz 16-bit PCM");
    else if (in_pins == 0)
        snprintf(why, why_len, "no connected pin complex can input (no pin caps with IN)");
    else
        snprintf(why, why_len,
                 "none of the %zu Audio Input converters reaches one of the %zu connected input pins "
                 "through mixers and selectors", adcs, in_pins);
    return false;
}

void codec_input_path_describe(const struct hdabdl_codec_desc *desc, const struct codec_path *path,
                               char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (unsigned k = path->len; k-- > 0 && used < len;) {
        const struct hdabdl_codec_node *n = hdabdl_codec_desc_node(desc, path->nodes[k]);
        unsigned type = n ? hdabdl_codec_wcaps_type(n->wcaps) : 0xFu;
        const char *name = type == HDABDL_WIDGET_AUDIO_INPUT ? "ADC" : short_type_name(type);
        int w = snprintf(buf + used, len - used, "%s%s 0x%02x", k + 1 == path->len ? "" : " -> ", name,
                         path->nodes[k]);
        if (w < 0)
            return;
        used += (size_t)w;
        if (k + 1 == path->len && n != NULL && used < len) {
            w = snprintf(buf + used, len - used, " (%s, %s)", pin_device_name(n->pin_default),
                         pin_port_name(n->pin_default));
            if (w < 0)
                return;
            used += (size_t)w;
        }
    }
}

size_t codec_input_path_program(const struct hdabdl_codec_desc *desc, const struct codec_path *path,
                                uint16_t format, uint8_t tag, struct codec_path_verb *out, size_t max)
{
    struct prog p = { out, max, 0 };
    uint8_t cad = path->cad;
    unsigned afg = desc->afg_nid;
    const struct hdabdl_codec_node *nodes[CODEC_PATH_MAX];

    if (path->len < 2)
        return 0;
    for (unsigned i = 0; i < path->len; i++) {
        nodes[i] = hdabdl_codec_desc_node(desc, path->nodes[i]);
        if (nodes[i] == NULL)
            return 0;
    }
    const struct hdabdl_codec_node *adc = nodes[0], *pin = nodes[path->len - 1];
    const uint8_t pinctl = HDABDL_PIN_IN_ENABLE;

    prog_add(&p, v12(cad, afg, HDABDL_VERB_SET_POWER_STATE, 0), false, 0, 0, "SET_POWER_STATE AFG 0x%02x D0", afg);
    for (unsigned i = 0; i < path->len; i++)
        if (nodes[i]->wcaps & CW_WCAP_POWER)
            prog_add(&p, v12(cad, nodes[i]->nid, HDABDL_VERB_SET_POWER_STATE, 0), false, 0, 0,
                     "SET_POWER_STATE node 0x%02x D0", nodes[i]->nid);
    /* Selections: every node but the pin picks the next node toward the pin. */
    for (unsigned i = 0; i + 1 < path->len; i++) {
        const struct hdabdl_codec_node *n = nodes[i];
        int idx = path->conn_index[i];
        if (idx >= 0 && n->nconn > 1 && hdabdl_codec_wcaps_type(n->wcaps) != HDABDL_WIDGET_AUDIO_MIXER)
            prog_add(&p, v12(cad, n->nid, HDABDL_VERB_SET_CONNECT_SEL, (unsigned)idx), false, 0, 0,
                     "SET_CONNECT_SEL node 0x%02x -> [%d] 0x%02x", n->nid, idx, path->nodes[i + 1]);
    }
    /* Amps from the pin toward the ADC. The pin's input amp has index 0; the
     * others' input amp is the one of the connection the path uses. */
    for (unsigned i = path->len; i-- > 0;) {
        const struct hdabdl_codec_node *n = nodes[i];
        unsigned type = hdabdl_codec_wcaps_type(n->wcaps);
        int idx = type == HDABDL_WIDGET_PIN_COMPLEX ? 0 : path->conn_index[i];
        if (idx >= 0 && idx < 16 && (n->wcaps & CW_WCAP_IN_AMP)) {
            uint8_t g = amp_zero_db(codec_effective_amp_caps(desc, n, false));
            prog_add(&p, v4(cad, n->nid, HDABDL_VERB4_SET_AMP_GAIN_MUTE,
                            HDABDL_AMP_SET_INPUT | HDABDL_AMP_SET_LEFT | HDABDL_AMP_SET_RIGHT |
                                (unsigned)idx << 8 | g),
                     false, 0, 0, "SET_AMP_GAIN_MUTE node 0x%02x in[%d] unmute, gain 0x%02x (0 dB)", n->nid,
                     idx, g);
        }
        if ((n->wcaps & CW_WCAP_OUT_AMP) &&
            (type == HDABDL_WIDGET_AUDIO_MIXER || type == HDABDL_WIDGET_AUDIO_SELECTOR)) {
            uint8_t g = amp_zero_db(codec_effective_amp_caps(desc, n, true));
            prog_add(&p, v4(cad, n->nid, HDABDL_VERB4_SET_AMP_GAIN_MUTE,
                            HDABDL_AMP_SET_OUTPUT | HDABDL_AMP_SET_LEFT | HDABDL_AMP_SET_RIGHT | g),
                     false, 0, 0, "SET_AMP_GAIN_MUTE node 0x%02x out unmute, gain 0x%02x (0 dB)", n->nid, g);
        }
    }
    prog_add(&p, v12(cad, pin->nid, HDABDL_VERB_SET_PIN_WIDGET_CONTROL, pinctl), false, 0, 0,
             "SET_PIN_WIDGET_CONTROL pin 0x%02x 0x%02x (IN)", pin->nid, pinctl);
    prog_add(&p, v4(cad, adc->nid, HDABDL_VERB4_SET_STREAM_FORMAT, format), false, 0, 0,
             "SET_STREAM_FORMAT ADC 0x%02x 0x%04x", adc->nid, format);
    prog_add(&p, v12(cad, adc->nid, HDABDL_VERB_SET_CHANNEL_STREAMID, (unsigned)tag << 4), false, 0, 0,
             "SET_CHANNEL_STREAMID ADC 0x%02x stream %u, channel 0", adc->nid, tag);

    /* Read it back. */
    prog_add(&p, v12(cad, afg, HDABDL_VERB_GET_POWER_STATE, 0), true, 0x00, 0xFF,
             "GET_POWER_STATE AFG 0x%02x: D0/D0", afg);
    for (unsigned i = 0; i < path->len; i++)
        if (nodes[i]->wcaps & CW_WCAP_POWER)
            prog_add(&p, v12(cad, nodes[i]->nid, HDABDL_VERB_GET_POWER_STATE, 0), true, 0x00, 0xFF,
                     "GET_POWER_STATE node 0x%02x: D0/D0", nodes[i]->nid);
    for (unsigned i = 0; i + 1 < path->len; i++) {
        const struct hdabdl_codec_node *n = nodes[i];
        int idx = path->conn_index[i];
        if (idx >= 0 && n->nconn > 1 && hdabdl_codec_wcaps_type(n->wcaps) != HDABDL_WIDGET_AUDIO_MIXER)
            prog_add(&p, v12(cad, n->nid, HDABDL_VERB_GET_CONNECT_SEL, 0), true, (uint32_t)idx, 0xFF,
                     "GET_CONNECT_SEL node 0x%02x: %d", n->nid, idx);
    }
    for (unsigned i = path->len; i-- > 0;) {
        const struct hdabdl_codec_node *n = nodes[i];
        unsigned type = hdabdl_codec_wcaps_type(n->wcaps);
        int idx = type == HDABDL_WIDGET_PIN_COMPLEX ? 0 : path->conn_index[i];
        if (idx >= 0 && idx < 16 && (n->wcaps & CW_WCAP_IN_AMP)) {
            uint8_t g = amp_zero_db(codec_effective_amp_caps(desc, n, false));
            prog_add(&p, v4(cad, n->nid, HDABDL_VERB4_GET_AMP_GAIN_MUTE, CW_AMP_GET_LEFT | (unsigned)idx),
                     true, g, 0xFF, "GET_AMP_GAIN_MUTE node 0x%02x in[%d] left: 0x%02x", n->nid, idx, g);
        }
        if ((n->wcaps & CW_WCAP_OUT_AMP) &&
            (type == HDABDL_WIDGET_AUDIO_MIXER || type == HDABDL_WIDGET_AUDIO_SELECTOR)) {
            uint8_t g = amp_zero_db(codec_effective_amp_caps(desc, n, true));
            prog_add(&p, v4(cad, n->nid, HDABDL_VERB4_GET_AMP_GAIN_MUTE, CW_AMP_GET_OUTPUT | CW_AMP_GET_LEFT),
                     true, g, 0xFF, "GET_AMP_GAIN_MUTE node 0x%02x out left: 0x%02x", n->nid, g);
        }
    }
    prog_add(&p, v12(cad, pin->nid, HDABDL_VERB_GET_PIN_WIDGET_CONTROL, 0), true, pinctl, 0xFF & ~0x07u,
             "GET_PIN_WIDGET_CONTROL pin 0x%02x: 0x%02x (VREF bits not compared)", pin->nid, pinctl);
    prog_add(&p, v4(cad, adc->nid, HDABDL_VERB4_GET_STREAM_FORMAT, 0), true, format, 0xFFFF,
             "GET_STREAM_FORMAT ADC 0x%02x: 0x%04x", adc->nid, format);
    prog_add(&p, v12(cad, adc->nid, HDABDL_VERB_GET_CONV, 0), true, (uint32_t)tag << 4, 0xFF,
             "GET_CONV ADC 0x%02x: stream %u, channel 0", adc->nid, tag);
    return p.n;
}
