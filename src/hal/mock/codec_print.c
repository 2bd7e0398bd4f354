/* SPDX-License-Identifier: MIT */
/*
 * codec_print.c - descriptions back to text: the Linux proc format (as current
 * sound/pci/hda/hda_proc.c prints it, so the result reads back to the same
 * description) and JSON.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec_internal.h"

/* ---- Proc format --------------------------------------------------------------------- */

static void print_amp_caps(struct codec_sbuf *sb, uint32_t caps)
{
    if (caps == 0) {
        codec_sbuf_puts(sb, "N/A\n");
        return;
    }
    codec_sbuf_printf(sb, "ofs=0x%02x, nsteps=0x%02x, stepsize=0x%02x, mute=%x\n",
                      (unsigned)(caps & 0x7F), (unsigned)((caps >> 8) & 0x7F),
                      (unsigned)((caps >> 16) & 0x7F), (unsigned)(caps >> 31));
}

static void print_amp_vals(struct codec_sbuf *sb, const char *label, const struct hdabdl_codec_amp *amp)
{
    codec_sbuf_printf(sb, "  %s vals: ", label);
    for (unsigned i = 0; i < amp->nvals && i < HDABDL_CODEC_MAX_CONN; i++) {
        if (amp->vals_stereo)
            codec_sbuf_printf(sb, " [0x%02x 0x%02x]", amp->vals[i][0], amp->vals[i][1]);
        else
            codec_sbuf_printf(sb, " [0x%02x]", amp->vals[i][0]);
    }
    codec_sbuf_putc(sb, '\n');
}

static void print_pcm(struct codec_sbuf *sb, const struct hdabdl_codec_pcm *pcm)
{
    static const unsigned rates[] = { 8000, 11025, 16000, 22050, 32000, 44100,
                                      48000, 88200, 96000, 176400, 192000, 384000 };
    static const unsigned bits[] = { 8, 16, 20, 24, 32 };
    if (pcm->na) {
        codec_sbuf_puts(sb, "N/A\n");
        if (pcm->sizes == 0 && pcm->formats == 0)
            return;
    }
    uint32_t r = pcm->sizes & 0xFFF, b = (pcm->sizes >> 16) & 0xFF;
    codec_sbuf_printf(sb, "    rates [0x%x]:", (unsigned)r);
    for (unsigned i = 0; i < 12; i++)
        if (r & (1u << i))
            codec_sbuf_printf(sb, " %u", rates[i]);
    codec_sbuf_printf(sb, "\n    bits [0x%x]:", (unsigned)b);
    for (unsigned i = 0; i < 5; i++)
        if (b & (1u << i))
            codec_sbuf_printf(sb, " %u", bits[i]);
    codec_sbuf_printf(sb, "\n    formats [0x%x]:", (unsigned)(pcm->formats & 0xF));
    if (pcm->formats & 1)
        codec_sbuf_puts(sb, " PCM");
    if (pcm->formats & 2)
        codec_sbuf_puts(sb, " FLOAT");
    if (pcm->formats & 4)
        codec_sbuf_puts(sb, " AC3");
    codec_sbuf_putc(sb, '\n');
}

static void print_power_states(struct codec_sbuf *sb, uint32_t sup)
{
    static const struct { uint32_t bit; const char *name; } names[] = {
        { 1u << 0, "D0" }, { 1u << 1, "D1" }, { 1u << 2, "D2" }, { 1u << 3, "D3" },
        { 1u << 4, "D3cold" }, { PWRST_S3D3COLDSUP, "S3D3cold" }, { PWRST_CLKSTOP, "CLKSTOP" },
        { PWRST_EPSS, "EPSS" },
    };
    codec_sbuf_puts(sb, "  Power states: ");
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (sup & names[i].bit)
            codec_sbuf_printf(sb, " %s", names[i].name);
    codec_sbuf_putc(sb, '\n');
}

static void print_power(struct codec_sbuf *sb, uint32_t pwr)
{
    codec_sbuf_printf(sb, "  Power: setting=%s, actual=%s", codec_power_state_name(pwr & 0xF),
                      codec_power_state_name((pwr >> 4) & 0xF));
    if (pwr & PWRST_ERROR)
        codec_sbuf_puts(sb, ", Error");
    if (pwr & PWRST_CLK_STOP_OK)
        codec_sbuf_puts(sb, ", Clock-stop-OK");
    if (pwr & PWRST_SETTING_RESET)
        codec_sbuf_puts(sb, ", Setting-reset");
    codec_sbuf_putc(sb, '\n');
}

static const char *jack_location(uint32_t cfg)
{
    static const char *const bases[7] = { "N/A", "Rear", "Front", "Left", "Right", "Top", "Bottom" };
    static const unsigned char specials_idx[] = { 0x07, 0x08, 0x17, 0x18, 0x19, 0x37, 0x38 };
    static const char *const specials[] = { "Rear Panel", "Drive Bar", "Riser", "HDMI", "ATAPI",
                                            "Mobile-In", "Mobile-Out" };
    unsigned loc = (cfg >> 24) & 0x3F;
    if ((loc & 0x0F) < 7)
        return bases[loc & 0x0F];
    for (size_t i = 0; i < sizeof(specials_idx); i++)
        if (loc == specials_idx[i])
            return specials[i];
    return "UNKNOWN";
}

static void print_pin(struct codec_sbuf *sb, const struct hdabdl_codec_desc *d,
                      const struct hdabdl_codec_node *n)
{
    static const char *const jack_conns[4] = { "Jack", "N/A", "Fixed", "Both" };
    static const char *const jack_types[16] = {
        "Line Out", "Speaker", "HP Out", "CD", "SPDIF Out", "Digital Out", "Modem Line",
        "Modem Hand", "Line In", "Aux", "Mic", "Telephony", "SPDIF In", "Digital In", "Reserved",
        "Other" };
    static const char *const connectivity[4] = { "Ext", "Int", "Sep", "Oth" };
    static const char *const conn_names[16] = {
        "Unknown", "1/8", "1/4", "ATAPI", "RCA", "Optical", "Digital", "Analog", "DIN", "XLR",
        "RJ11", "Comb", NULL, NULL, NULL, "Other" };
    static const char *const colors[16] = {
        "Unknown", "Black", "Grey", "Blue", "Green", "Red", "Orange", "Yellow", "Purple", "Pink",
        NULL, NULL, NULL, NULL, "White", "Other" };
    bool vref = false;

    if (n->has_pincap) {
        uint32_t caps = n->pincap;
        codec_sbuf_printf(sb, "  Pincap 0x%08x:", (unsigned)caps);
        if (caps & PINCAP_IN)
            codec_sbuf_puts(sb, " IN");
        if (caps & PINCAP_OUT)
            codec_sbuf_puts(sb, " OUT");
        if (caps & PINCAP_HP_DRV)
            codec_sbuf_puts(sb, " HP");
        if (caps & PINCAP_EAPD)
            codec_sbuf_puts(sb, " EAPD");
        if (caps & PINCAP_PRES_DETECT)
            codec_sbuf_puts(sb, " Detect");
        if (caps & PINCAP_BALANCE)
            codec_sbuf_puts(sb, " Balanced");
        if (caps & PINCAP_HDMI) {
            if ((d->vendor_id >> 16) == 0x10ec) {
                codec_sbuf_puts(sb, " R/L");
            } else {
                if (caps & PINCAP_HBR)
                    codec_sbuf_puts(sb, " HBR");
                codec_sbuf_puts(sb, " HDMI");
            }
        }
        if (caps & PINCAP_DP)
            codec_sbuf_puts(sb, " DP");
        if (caps & PINCAP_TRIG_REQ)
            codec_sbuf_puts(sb, " Trigger");
        if (caps & PINCAP_IMP_SENSE)
            codec_sbuf_puts(sb, " ImpSense");
        codec_sbuf_putc(sb, '\n');
        if (caps & PINCAP_VREF_MASK) {
            unsigned v = (caps & PINCAP_VREF_MASK) >> PINCAP_VREF_SHIFT;
            codec_sbuf_puts(sb, "    Vref caps:");
            if (v & 0x01)
                codec_sbuf_puts(sb, " HIZ");
            if (v & 0x02)
                codec_sbuf_puts(sb, " 50");
            if (v & 0x04)
                codec_sbuf_puts(sb, " GRD");
            if (v & 0x10)
                codec_sbuf_puts(sb, " 80");
            if (v & 0x20)
                codec_sbuf_puts(sb, " 100");
            codec_sbuf_putc(sb, '\n');
            vref = true;
        }
    }
    if (n->has_eapd) {
        codec_sbuf_printf(sb, "  EAPD 0x%x:", n->eapd);
        if (n->eapd & 0x01)
            codec_sbuf_puts(sb, " BALANCED");
        if (n->eapd & 0x02)
            codec_sbuf_puts(sb, " EAPD");
        if (n->eapd & 0x04)
            codec_sbuf_puts(sb, " R/L");
        codec_sbuf_putc(sb, '\n');
    }
    if (n->has_pin_default) {
        uint32_t c = n->pin_default;
        const char *cn = conn_names[(c >> 16) & 0xF], *col = colors[(c >> 12) & 0xF];
        codec_sbuf_printf(sb, "  Pin Default 0x%08x: [%s] %s at %s %s\n", (unsigned)c,
                          jack_conns[c >> 30], jack_types[(c >> 20) & 0xF],
                          connectivity[(c >> 28) & 3], jack_location(c));
        codec_sbuf_printf(sb, "    Conn = %s, Color = %s\n", cn ? cn : "UNKNOWN", col ? col : "UNKNOWN");
        codec_sbuf_printf(sb, "    DefAssociation = 0x%x, Sequence = 0x%x\n", (unsigned)((c >> 4) & 0xF),
                          (unsigned)(c & 0xF));
        if ((c >> 8) & 1)
            codec_sbuf_puts(sb, "    Misc = NO_PRESENCE\n");
    }
    if (n->has_pinctl) {
        uint8_t p = n->pinctl;
        codec_sbuf_printf(sb, "  Pin-ctls: 0x%02x:", p);
        if (p & 0x20)
            codec_sbuf_puts(sb, " IN");
        if (p & 0x40)
            codec_sbuf_puts(sb, " OUT");
        if (p & 0x80)
            codec_sbuf_puts(sb, " HP");
        if (vref) {
            switch (p & 7) {
            case 0: codec_sbuf_puts(sb, " VREF_HIZ"); break;
            case 1: codec_sbuf_puts(sb, " VREF_50"); break;
            case 2: codec_sbuf_puts(sb, " VREF_GRD"); break;
            case 4: codec_sbuf_puts(sb, " VREF_80"); break;
            case 5: codec_sbuf_puts(sb, " VREF_100"); break;
            default: break;
            }
        }
        codec_sbuf_putc(sb, '\n');
    }
}

static void print_node(struct codec_sbuf *sb, const struct hdabdl_codec_desc *d,
                       const struct hdabdl_codec_node *n)
{
    uint32_t w = n->wcaps;
    unsigned type = hdabdl_codec_wcaps_type(w);

    codec_sbuf_printf(sb, "Node 0x%02x [%s] wcaps 0x%x:", n->nid, hdabdl_codec_widget_type_name(type),
                      (unsigned)w);
    if (w & WCAP_STEREO) {
        unsigned ch = codec_wcaps_channels(w);
        if (ch == 2)
            codec_sbuf_puts(sb, " Stereo");
        else
            codec_sbuf_printf(sb, " %u-Channels", ch);
    } else {
        codec_sbuf_puts(sb, " Mono");
    }
    if (w & WCAP_DIGITAL)
        codec_sbuf_puts(sb, " Digital");
    if (w & WCAP_IN_AMP)
        codec_sbuf_puts(sb, " Amp-In");
    if (w & WCAP_OUT_AMP)
        codec_sbuf_puts(sb, " Amp-Out");
    if (w & WCAP_STRIPE)
        codec_sbuf_puts(sb, " Stripe");
    if (w & WCAP_LR_SWAP)
        codec_sbuf_puts(sb, " R/L");
    if (w & WCAP_CP_CAPS)
        codec_sbuf_puts(sb, " CP");
    codec_sbuf_putc(sb, '\n');

    for (unsigned i = 0; i < n->ncontrols && i < HDABDL_CODEC_MAX_CONTROLS; i++) {
        const struct hdabdl_codec_control *c = &n->controls[i];
        codec_sbuf_printf(sb, "  Control: name=\"%.*s\", index=%d, device=%d\n",
                          (int)sizeof(c->name) - 1, c->name, (int)c->index, (int)c->device);
        if (c->has_amp)
            codec_sbuf_printf(sb, "    ControlAmp: chs=%u, dir=%s, idx=%u, ofs=%u\n", (unsigned)c->amp_chs,
                              c->amp_out ? "Out" : "In", (unsigned)c->amp_idx, (unsigned)c->amp_ofs);
    }
    for (unsigned i = 0; i < n->npcm_devices && i < HDABDL_CODEC_MAX_PCM_DEVICES; i++) {
        const struct hdabdl_codec_pcm_device *p = &n->pcm_devices[i];
        codec_sbuf_printf(sb, "  Device: name=\"%.*s\", type=\"%.*s\", device=%d",
                          (int)sizeof(p->name) - 1, p->name, (int)sizeof(p->type) - 1, p->type,
                          (int)p->device);
        if (p->has_substream)
            codec_sbuf_printf(sb, ", substream=%d", (int)p->substream);
        codec_sbuf_putc(sb, '\n');
    }
    if (n->amp_in.caps_present) {
        codec_sbuf_puts(sb, "  Amp-In caps: ");
        print_amp_caps(sb, n->amp_in.caps);
    }
    if (n->amp_in.vals_present)
        print_amp_vals(sb, "Amp-In", &n->amp_in);
    if (n->amp_out.caps_present) {
        codec_sbuf_puts(sb, "  Amp-Out caps: ");
        print_amp_caps(sb, n->amp_out.caps);
    }
    if (n->amp_out.vals_present)
        print_amp_vals(sb, "Amp-Out", &n->amp_out);

    print_pin(sb, d, n);

    if (n->has_volknob)
        codec_sbuf_printf(sb, "  Volume-Knob: delta=%u, steps=%u, direct=%u, val=%u\n",
                          n->volknob_cap >> 7, n->volknob_cap & 0x7Fu, n->volknob_ctl >> 7,
                          n->volknob_ctl & 0x7Fu);
    if (n->has_converter)
        codec_sbuf_printf(sb, "  Converter: stream=%u, channel=%u\n", n->conv_stream, n->conv_channel);
    if (n->has_sdi_select)
        codec_sbuf_printf(sb, "  SDI-Select: %u\n", n->sdi_select);
    if (n->has_digital) {
        static const struct { uint32_t bit; const char *name; } flags[] = {
            { 1u << 0, "Enabled" }, { 1u << 1, "Validity" }, { 1u << 2, "ValidityCfg" },
            { 1u << 3, "Preemphasis" }, { 1u << 4, "Non-Copyright" }, { 1u << 5, "Non-Audio" },
            { 1u << 6, "Pro" }, { 1u << 7, "GenLevel" }, { 1u << 23, "KAE" },
        };
        codec_sbuf_puts(sb, "  Digital:");
        for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
            if (n->digital & flags[i].bit)
                codec_sbuf_printf(sb, " %s", flags[i].name);
        codec_sbuf_putc(sb, '\n');
    }
    if (n->has_dig_category)
        codec_sbuf_printf(sb, "  Digital category: 0x%x\n", (unsigned)((n->digital >> 8) & 0x7F));
    if (n->has_iec_coding)
        codec_sbuf_printf(sb, "  IEC Coding Type: 0x%x\n", (unsigned)((n->digital >> 16) & 0xF));
    if (n->pcm.present) {
        codec_sbuf_puts(sb, "  PCM:\n");
        print_pcm(sb, &n->pcm);
    }
    if (n->has_unsol)
        codec_sbuf_printf(sb, "  Unsolicited: tag=%02x, enabled=%u\n", n->unsol & 0x3Fu, n->unsol >> 7);
    if (n->has_power_states)
        print_power_states(sb, n->power_states);
    if (n->has_power)
        print_power(sb, n->power);
    if ((w >> WCAP_DELAY_SHIFT) & 0xF)
        codec_sbuf_printf(sb, "  Delay: %u samples\n", (unsigned)((w >> WCAP_DELAY_SHIFT) & 0xF));
    if (n->has_devices) {
        codec_sbuf_printf(sb, "  Devices: %u\n", n->ndevices);
        for (unsigned i = 0; i < n->ndevices && i < HDABDL_CODEC_MAX_DEVICES; i++)
            codec_sbuf_printf(sb, "    %sDev %02u: PD = %u, ELDV = %u, IA = %u\n",
                              (int)i == n->dev_sel ? "*" : " ", i, n->devices[i] & 1u,
                              (n->devices[i] >> 1) & 1u, (n->devices[i] >> 2) & 1u);
    }
    if (n->has_conn) {
        codec_sbuf_printf(sb, "  Connection: %d\n", (int)n->conn_len);
        if (n->nconn) {
            codec_sbuf_puts(sb, "    ");
            for (unsigned i = 0; i < n->nconn && i < HDABDL_CODEC_MAX_CONN; i++)
                codec_sbuf_printf(sb, " 0x%02x%s", n->conn[i], (int)i == n->conn_sel ? "*" : "");
            codec_sbuf_putc(sb, '\n');
        }
    }
    if (n->has_proc_caps)
        codec_sbuf_printf(sb, "  Processing caps: benign=%u, ncoeff=%u\n", (unsigned)(n->proc_caps & 1),
                          (unsigned)((n->proc_caps >> 8) & 0xFF));
    for (unsigned i = 0; i < n->ncoefs && i < HDABDL_CODEC_MAX_COEFS; i++)
        codec_sbuf_printf(sb, "    Coeff 0x%02x: 0x%04x\n", n->coefs[i].index, n->coefs[i].value);
    if (n->has_coef_value)
        codec_sbuf_printf(sb, "  Processing Coefficient: 0x%02x\n", n->coef_value);
    if (n->has_coef_index)
        codec_sbuf_printf(sb, "  Coefficient Index: 0x%02x\n", n->coef_index);
}

char *hdabdl_codec_desc_to_proc(const struct hdabdl_codec_desc *d, size_t *len_out)
{
    struct codec_sbuf sb;
    codec_sbuf_init(&sb);

    codec_sbuf_printf(&sb, "Codec: %.*s\n", (int)sizeof(d->name) - 1, d->name);
    codec_sbuf_printf(&sb, "Address: %u\n", d->address);
    if (d->has_afg_fid)
        codec_sbuf_printf(&sb, "AFG Function Id: 0x%x (unsol %u)\n", d->afg_fid & 0xFFu,
                          (d->afg_fid >> 8) & 1u);
    if (d->has_mfg_fid)
        codec_sbuf_printf(&sb, "MFG Function Id: 0x%x (unsol %u)\n", d->mfg_fid & 0xFFu,
                          (d->mfg_fid >> 8) & 1u);
    codec_sbuf_printf(&sb, "Vendor Id: 0x%08x\n", (unsigned)d->vendor_id);
    codec_sbuf_printf(&sb, "Subsystem Id: 0x%08x\n", (unsigned)d->subsystem_id);
    codec_sbuf_printf(&sb, "Revision Id: 0x%x\n", (unsigned)d->revision_id);
    if (d->has_mfg)
        codec_sbuf_printf(&sb, "Modem Function Group: 0x%x\n", d->mfg_nid);
    else
        codec_sbuf_puts(&sb, "No Modem Function Group found\n");
    if (d->default_pcm.present) {
        codec_sbuf_puts(&sb, "Default PCM:\n");
        print_pcm(&sb, &d->default_pcm);
    }
    if (d->has_default_amp_in) {
        codec_sbuf_puts(&sb, "Default Amp-In caps: ");
        print_amp_caps(&sb, d->default_amp_in);
    }
    if (d->has_default_amp_out) {
        codec_sbuf_puts(&sb, "Default Amp-Out caps: ");
        print_amp_caps(&sb, d->default_amp_out);
    }
    if (d->has_afg_nid) {
        codec_sbuf_printf(&sb, "State of AFG node 0x%02x:\n", d->afg_nid);
        if (d->has_afg_power_states)
            print_power_states(&sb, d->afg_power_states);
        if (d->has_afg_power)
            print_power(&sb, d->afg_power);
    }
    if (d->invalid_afg_subtree)
        codec_sbuf_puts(&sb, "Invalid AFG subtree\n");
    if (d->has_gpio) {
        uint32_t g = d->gpio_cap;
        codec_sbuf_printf(&sb, "GPIO: io=%u, o=%u, i=%u, unsolicited=%u, wake=%u\n", (unsigned)(g & 0xFF),
                          (unsigned)((g >> 8) & 0xFF), (unsigned)((g >> 16) & 0xFF),
                          (unsigned)((g >> 30) & 1), (unsigned)(g >> 31));
        for (unsigned i = 0; i < d->gpio_lines && i < 8; i++)
            codec_sbuf_printf(&sb, "  IO[%u]: enable=%u, dir=%u, wake=%u, sticky=%u, data=%u, unsol=%u\n", i,
                              (d->gpio_enable >> i) & 1u, (d->gpio_dir >> i) & 1u,
                              (d->gpio_wake >> i) & 1u, (d->gpio_sticky >> i) & 1u,
                              (d->gpio_data >> i) & 1u, (d->gpio_unsol >> i) & 1u);
    }
    if (d->has_power_map)
        codec_sbuf_printf(&sb, "Power-Map: 0x%02x\n", (unsigned)d->power_map);
    if (d->has_analog_loopback)
        codec_sbuf_printf(&sb, "Analog Loopback: 0x%02x\n", (unsigned)d->analog_loopback);
    for (size_t i = 0; i < d->nnodes; i++)
        print_node(&sb, d, &d->nodes[i]);
    return codec_sbuf_finish(&sb, len_out);
}

/* ---- JSON ------------------------------------------------------------------------------ */

struct json {
    struct codec_sbuf sb;
    bool first;         /* no member written yet in the current object/array */
};

static void json_str(struct json *j, const char *s, size_t max)
{
    codec_sbuf_putc(&j->sb, '"');
    for (size_t i = 0; i < max && s[i]; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            codec_sbuf_putc(&j->sb, '\\');
            codec_sbuf_putc(&j->sb, (char)c);
        } else if (c < 0x20 || c >= 0x7F) {
            codec_sbuf_printf(&j->sb, "\\u%04x", c);
        } else {
            codec_sbuf_putc(&j->sb, (char)c);
        }
    }
    codec_sbuf_putc(&j->sb, '"');
}

static void json_key(struct json *j, const char *key)
{
    if (!j->first)
        codec_sbuf_putc(&j->sb, ',');
    j->first = false;
    json_str(j, key, SIZE_MAX);
    codec_sbuf_putc(&j->sb, ':');
}

static void json_open(struct json *j, const char *key, char brace)
{
    if (key)
        json_key(j, key);
    else if (!j->first)
        codec_sbuf_putc(&j->sb, ',');
    codec_sbuf_putc(&j->sb, brace);
    j->first = true;
}

static void json_close(struct json *j, char brace)
{
    codec_sbuf_putc(&j->sb, brace);
    j->first = false;
}

static void json_u(struct json *j, const char *key, unsigned long long v)
{
    json_key(j, key);
    codec_sbuf_printf(&j->sb, "%llu", v);
}

static void json_i(struct json *j, const char *key, long long v)
{
    json_key(j, key);
    codec_sbuf_printf(&j->sb, "%lld", v);
}

static void json_b(struct json *j, const char *key, bool v)
{
    json_key(j, key);
    codec_sbuf_puts(&j->sb, v ? "true" : "false");
}

static void json_s(struct json *j, const char *key, const char *s, size_t max)
{
    json_key(j, key);
    json_str(j, s, max);
}

static void json_elem_u(struct json *j, unsigned long long v)
{
    if (!j->first)
        codec_sbuf_putc(&j->sb, ',');
    j->first = false;
    codec_sbuf_printf(&j->sb, "%llu", v);
}

static void json_pcm(struct json *j, const char *key, const struct hdabdl_codec_pcm *p)
{
    if (!p->present)
        return;
    json_open(j, key, '{');
    json_b(j, "na", p->na);
    json_u(j, "rates", p->sizes & 0xFFF);
    json_u(j, "bits", (p->sizes >> 16) & 0xFF);
    json_u(j, "formats", p->formats);
    json_close(j, '}');
}

static void json_amp(struct json *j, const char *key, const struct hdabdl_codec_amp *a)
{
    if (!a->caps_present && !a->vals_present)
        return;
    json_open(j, key, '{');
    if (a->caps_present)
        json_u(j, "caps", a->caps);
    if (a->vals_present) {
        json_b(j, "stereo", a->vals_stereo);
        json_open(j, "vals", '[');
        for (unsigned i = 0; i < a->nvals && i < HDABDL_CODEC_MAX_CONN; i++) {
            json_open(j, NULL, '[');
            json_elem_u(j, a->vals[i][0]);
            if (a->vals_stereo)
                json_elem_u(j, a->vals[i][1]);
            json_close(j, ']');
        }
        json_close(j, ']');
    }
    json_close(j, '}');
}

static void json_node(struct json *j, const struct hdabdl_codec_node *n)
{
    unsigned type = hdabdl_codec_wcaps_type(n->wcaps);
    codec_sbuf_puts(&j->sb, j->first ? "\n    " : ",\n    ");
    j->first = true;
    codec_sbuf_putc(&j->sb, '{');
    json_u(j, "nid", n->nid);
    json_s(j, "type", hdabdl_codec_widget_type_name(type), SIZE_MAX);
    json_u(j, "type_id", type);
    json_u(j, "wcaps", n->wcaps);
    json_u(j, "channels", codec_wcaps_channels(n->wcaps));
    json_amp(j, "amp_in", &n->amp_in);
    json_amp(j, "amp_out", &n->amp_out);
    if (n->has_pincap)
        json_u(j, "pincap", n->pincap);
    if (n->has_pin_default)
        json_u(j, "pin_default", n->pin_default);
    if (n->has_pinctl)
        json_u(j, "pinctl", n->pinctl);
    if (n->has_eapd)
        json_u(j, "eapd", n->eapd);
    if (n->has_unsol) {
        json_open(j, "unsolicited", '{');
        json_u(j, "tag", n->unsol & 0x3Fu);
        json_b(j, "enabled", (n->unsol & 0x80) != 0);
        json_close(j, '}');
    }
    if (n->has_power_states)
        json_u(j, "power_states", n->power_states);
    if (n->has_power)
        json_u(j, "power", n->power);
    if (n->has_converter) {
        json_open(j, "converter", '{');
        json_u(j, "stream", n->conv_stream);
        json_u(j, "channel", n->conv_channel);
        json_close(j, '}');
    }
    if (n->has_sdi_select)
        json_u(j, "sdi_select", n->sdi_select);
    if (n->has_digital || n->has_dig_category || n->has_iec_coding)
        json_u(j, "digital", n->digital);
    json_pcm(j, "pcm", &n->pcm);
    if (n->has_volknob) {
        json_open(j, "volume_knob", '{');
        json_u(j, "cap", n->volknob_cap);
        json_u(j, "control", n->volknob_ctl);
        json_close(j, '}');
    }
    if (n->has_proc_caps)
        json_u(j, "proc_caps", n->proc_caps);
    if (n->has_coef_index)
        json_u(j, "coef_index", n->coef_index);
    if (n->has_coef_value)
        json_u(j, "coef_value", n->coef_value);
    if (n->ncoefs) {
        json_open(j, "coefs", '[');
        for (unsigned i = 0; i < n->ncoefs && i < HDABDL_CODEC_MAX_COEFS; i++) {
            json_open(j, NULL, '{');
            json_u(j, "index", n->coefs[i].index);
            json_u(j, "value", n->coefs[i].value);
            json_close(j, '}');
        }
        json_close(j, ']');
    }
    if (n->has_conn) {
        json_open(j, "connections", '{');
        json_i(j, "count", n->conn_len);
        json_open(j, "list", '[');
        for (unsigned i = 0; i < n->nconn && i < HDABDL_CODEC_MAX_CONN; i++)
            json_elem_u(j, n->conn[i]);
        json_close(j, ']');
        json_i(j, "selected", n->conn_sel);
        json_close(j, '}');
    }
    if (n->has_devices) {
        json_open(j, "devices", '{');
        json_open(j, "list", '[');
        for (unsigned i = 0; i < n->ndevices && i < HDABDL_CODEC_MAX_DEVICES; i++)
            json_elem_u(j, n->devices[i]);
        json_close(j, ']');
        json_i(j, "selected", n->dev_sel);
        json_close(j, '}');
    }
    if (n->ncontrols) {
        json_open(j, "controls", '[');
        for (unsigned i = 0; i < n->ncontrols && i < HDABDL_CODEC_MAX_CONTROLS; i++) {
            const struct hdabdl_codec_control *c = &n->controls[i];
            json_open(j, NULL, '{');
            json_s(j, "name", c->name, sizeof(c->name));
            json_i(j, "index", c->index);
            json_i(j, "device", c->device);
            if (c->has_amp) {
                json_open(j, "amp", '{');
                json_u(j, "chs", c->amp_chs);
                json_s(j, "dir", c->amp_out ? "Out" : "In", SIZE_MAX);
                json_u(j, "idx", c->amp_idx);
                json_u(j, "ofs", c->amp_ofs);
                json_close(j, '}');
            }
            json_close(j, '}');
        }
        json_close(j, ']');
    }
    if (n->npcm_devices) {
        json_open(j, "pcm_devices", '[');
        for (unsigned i = 0; i < n->npcm_devices && i < HDABDL_CODEC_MAX_PCM_DEVICES; i++) {
            const struct hdabdl_codec_pcm_device *p = &n->pcm_devices[i];
            json_open(j, NULL, '{');
            json_s(j, "name", p->name, sizeof(p->name));
            json_s(j, "type", p->type, sizeof(p->type));
            json_i(j, "device", p->device);
            if (p->has_substream)
                json_i(j, "substream", p->substream);
            json_close(j, '}');
        }
        json_close(j, ']');
    }
    json_close(j, '}');
}

char *hdabdl_codec_desc_to_json(const struct hdabdl_codec_desc *d, size_t *len_out)
{
    struct json j;
    codec_sbuf_init(&j.sb);
    j.first = true;

    codec_sbuf_putc(&j.sb, '{');
    json_s(&j, "name", d->name, sizeof(d->name));
    json_u(&j, "address", d->address);
    json_u(&j, "vendor_id", d->vendor_id);
    json_u(&j, "subsystem_id", d->subsystem_id);
    json_u(&j, "revision_id", d->revision_id);
    if (d->has_afg_fid) {
        json_open(&j, "afg_function_id", '{');
        json_u(&j, "type", d->afg_fid & 0xFFu);
        json_b(&j, "unsol", (d->afg_fid >> 8) & 1u);
        json_close(&j, '}');
    }
    if (d->has_mfg_fid) {
        json_open(&j, "mfg_function_id", '{');
        json_u(&j, "type", d->mfg_fid & 0xFFu);
        json_b(&j, "unsol", (d->mfg_fid >> 8) & 1u);
        json_close(&j, '}');
    }
    if (d->has_mfg)
        json_u(&j, "mfg_nid", d->mfg_nid);
    json_u(&j, "afg_nid", d->afg_nid);
    json_pcm(&j, "default_pcm", &d->default_pcm);
    if (d->has_default_amp_in)
        json_u(&j, "default_amp_in_caps", d->default_amp_in);
    if (d->has_default_amp_out)
        json_u(&j, "default_amp_out_caps", d->default_amp_out);
    if (d->has_afg_power_states)
        json_u(&j, "afg_power_states", d->afg_power_states);
    if (d->has_afg_power)
        json_u(&j, "afg_power", d->afg_power);
    if (d->has_gpio) {
        json_open(&j, "gpio", '{');
        json_u(&j, "cap", d->gpio_cap);
        json_u(&j, "lines", d->gpio_lines);
        json_u(&j, "enable", d->gpio_enable);
        json_u(&j, "dir", d->gpio_dir);
        json_u(&j, "wake", d->gpio_wake);
        json_u(&j, "sticky", d->gpio_sticky);
        json_u(&j, "data", d->gpio_data);
        json_u(&j, "unsol", d->gpio_unsol);
        json_close(&j, '}');
    }
    if (d->has_power_map)
        json_u(&j, "power_map", d->power_map);
    if (d->has_analog_loopback)
        json_u(&j, "analog_loopback", d->analog_loopback);
    if (d->invalid_afg_subtree)
        json_b(&j, "invalid_afg_subtree", true);
    json_open(&j, "nodes", '[');
    for (size_t i = 0; i < d->nnodes; i++)
        json_node(&j, &d->nodes[i]);
    codec_sbuf_puts(&j.sb, d->nnodes ? "\n  ]" : "]");
    j.first = false;
    codec_sbuf_puts(&j.sb, "}\n");
    return codec_sbuf_finish(&j.sb, len_out);
}
