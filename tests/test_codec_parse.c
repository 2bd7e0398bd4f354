/* SPDX-License-Identifier: MIT */
/*
 * test_codec_parse.c - reading codec descriptions from Linux proc text:
 * every line kind, the text around codecs, old kernel formats, damaged
 * copies, and errors that name their line.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hdabdl/codec.h"
#include "test_codec_util.h"

/* ---- Helpers ----------------------------------------------------------------------- */

struct parsed {
    struct hdabdl_codec_desc *d;
    size_t n;
    struct hdabdl_codec_parse_error err;
    int rc;
};

static struct parsed parse_str(const char *text)
{
    struct parsed p;
    memset(&p, 0, sizeof(p));
    p.rc = hdabdl_codec_parse(text, strlen(text), &p.d, &p.n, &p.err);
    return p;
}

static struct parsed parse_sample(enum sample_id id)
{
    size_t len = 0;
    char *text = sample_text(id, &len);
    assert_non_null(text);
    struct parsed p;
    memset(&p, 0, sizeof(p));
    p.rc = hdabdl_codec_parse(text, len, &p.d, &p.n, &p.err);
    free(text);
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 1);
    return p;
}

/* A reading with its warnings (where the dump ends early). */
struct warned {
    struct parsed p;
    struct hdabdl_codec_parse_warnings w;
};

static struct warned parse_warned(const char *text, size_t len)
{
    struct warned r;
    memset(&r, 0, sizeof(r));
    r.p.rc = hdabdl_codec_parse_ex(text, len, &r.p.d, &r.p.n, &r.p.err, &r.w);
    return r;
}

static struct warned parse_warned_str(const char *text)
{
    return parse_warned(text, strlen(text));
}

/* Exactly one warning, at @line, whose message holds @needle. */
static void assert_one_warning(const struct warned *r, unsigned line, const char *needle)
{
    if (r->p.rc != 0)
        fail_msg("rc %d, line %u: %s", r->p.rc, r->p.err.line, r->p.err.message);
    if (r->w.count != 1)
        fail_msg("%u warnings, the first: line %u: %s", r->w.count, r->w.list[0].line, r->w.list[0].message);
    if (r->w.list[0].line != line || strstr(r->w.list[0].message, needle) == NULL)
        fail_msg("warning at line %u: '%s'; expected line %u with '%s'", r->w.list[0].line,
                 r->w.list[0].message, line, needle);
    assert_non_null(strstr(r->w.list[0].message, "the dump ends early"));
}

static void done(struct parsed *p)
{
    hdabdl_codec_desc_array_free(p->d, p->n);
    p->d = NULL;
    p->n = 0;
}

static const struct hdabdl_codec_node *node(const struct parsed *p, uint8_t nid)
{
    const struct hdabdl_codec_node *n = hdabdl_codec_desc_node(&p->d[0], nid);
    assert_non_null(n);
    return n;
}

/* A minimal codec header to build small texts from. */
#define HEAD                                                                  \
    "Codec: Test\n"                                                           \
    "Address: 0\n"                                                            \
    "Vendor Id: 0x10ec0269\n"                                                 \
    "Subsystem Id: 0x10431a13\n"                                              \
    "Revision Id: 0x100100\n"

/* ---- Reading a real dump ------------------------------------------------------------------- */

static void test_parser_reads_every_node_of_an_alc269_dump(void **state)
{
    (void)state;
    struct parsed p = parse_sample(SAMPLE_ALC269VB);
    const struct hdabdl_codec_desc *d = &p.d[0];

    assert_int_equal(d->nnodes, 34);
    for (size_t i = 0; i < d->nnodes; i++)
        assert_int_equal(d->nodes[i].nid, 0x02 + i);
    /* types as printed in the brackets */
    assert_int_equal(hdabdl_codec_wcaps_type(node(&p, 0x02)->wcaps), HDABDL_WIDGET_AUDIO_OUTPUT);
    assert_int_equal(hdabdl_codec_wcaps_type(node(&p, 0x08)->wcaps), HDABDL_WIDGET_AUDIO_INPUT);
    assert_int_equal(hdabdl_codec_wcaps_type(node(&p, 0x0b)->wcaps), HDABDL_WIDGET_AUDIO_MIXER);
    assert_int_equal(hdabdl_codec_wcaps_type(node(&p, 0x22)->wcaps), HDABDL_WIDGET_AUDIO_SELECTOR);
    assert_int_equal(hdabdl_codec_wcaps_type(node(&p, 0x21)->wcaps), HDABDL_WIDGET_PIN_COMPLEX);
    assert_int_equal(hdabdl_codec_wcaps_type(node(&p, 0x20)->wcaps), HDABDL_WIDGET_VENDOR_DEFINED);
    assert_int_equal(node(&p, 0x21)->wcaps, 0x40018d);
    unsigned pins = 0;
    for (size_t i = 0; i < d->nnodes; i++)
        pins += hdabdl_codec_wcaps_type(d->nodes[i].wcaps) == HDABDL_WIDGET_PIN_COMPLEX;
    assert_int_equal(pins, 10);
    done(&p);
}

static void test_parser_reads_the_codec_header_lines(void **state)
{
    (void)state;
    struct parsed p = parse_sample(SAMPLE_ALC269VB);
    const struct hdabdl_codec_desc *d = &p.d[0];
    assert_string_equal(d->name, "Realtek ALC269VB");
    assert_int_equal(d->address, 0);
    assert_true(d->has_afg_fid);
    assert_int_equal(d->afg_fid, 0x101);
    assert_false(d->has_mfg_fid);
    assert_int_equal(d->vendor_id, 0x10ec0269);
    assert_int_equal(d->subsystem_id, 0x10431a13);
    assert_int_equal(d->revision_id, 0x100100);
    assert_false(d->has_mfg);
    assert_int_equal(d->afg_nid, 1);
    assert_int_equal(d->line, 1);
    done(&p);
}

static void test_parser_reads_default_pcm_amp_caps_and_gpio(void **state)
{
    (void)state;
    struct parsed p = parse_sample(SAMPLE_SYNTHETIC);
    const struct hdabdl_codec_desc *d = &p.d[0];
    assert_true(d->default_pcm.present);
    assert_false(d->default_pcm.na);
    assert_int_equal(d->default_pcm.sizes, 0x7f0 | (0x1eu << 16));
    assert_int_equal(d->default_pcm.formats, 0x5);
    assert_int_equal(d->default_amp_in, 0x27 | 0x27u << 8 | 0x05u << 16 | 1u << 31);
    assert_int_equal(d->default_amp_out, 0x3f | 0x3fu << 8 | 0x05u << 16 | 1u << 31);
    assert_true(d->has_gpio);
    assert_int_equal(d->gpio_cap, 3 | 1u << 8 | 1u << 16 | 1u << 30);
    assert_int_equal(d->gpio_lines, 3);
    assert_int_equal(d->gpio_enable, 0x5);
    assert_int_equal(d->gpio_dir, 0x1);
    assert_int_equal(d->gpio_data, 0x1);
    assert_int_equal(d->gpio_unsol, 0x4);
    assert_true(d->has_mfg);
    assert_int_equal(d->mfg_nid, 2);
    assert_int_equal(d->mfg_fid, 0x002);
    assert_true(d->has_afg_nid);
    assert_int_equal(d->afg_power_states, 0x8000000f);
    assert_int_equal(d->afg_power, 0x00);
    done(&p);
}

static void test_parser_reads_amp_caps_and_values(void **state)
{
    (void)state;
    struct parsed p = parse_sample(SAMPLE_ALC269VB);
    const struct hdabdl_codec_node *n = node(&p, 0x0b);
    assert_true(n->amp_in.caps_present);
    assert_int_equal(n->amp_in.caps, 0x17 | 0x1fu << 8 | 0x05u << 16 | 1u << 31);
    assert_true(n->amp_in.vals_present);
    assert_true(n->amp_in.vals_stereo);
    assert_int_equal(n->amp_in.nvals, 5);
    assert_int_equal(n->amp_in.vals[4][1], 0x80);
    n = node(&p, 0x03);
    assert_int_equal(n->amp_out.nvals, 1);
    assert_int_equal(n->amp_out.vals[0][0], 0x4b);
    /* mono widget: one value per index */
    n = node(&p, 0x0f);
    assert_false(n->amp_in.vals_stereo);
    assert_int_equal(n->amp_in.nvals, 2);
    /* N/A caps read as 0 */
    n = node(&p, 0x22);
    assert_true(n->amp_in.caps_present);
    assert_int_equal(n->amp_in.caps, 0);
    assert_int_equal(n->amp_in.nvals, 7);
    done(&p);
}

static void test_parser_reads_connection_lists_and_the_selected_entry(void **state)
{
    (void)state;
    struct parsed p = parse_sample(SAMPLE_ALC269VB);
    const struct hdabdl_codec_node *n = node(&p, 0x22);
    assert_true(n->has_conn);
    assert_int_equal(n->conn_len, 7);
    assert_int_equal(n->nconn, 7);
    const uint16_t want[] = { 0x18, 0x19, 0x1a, 0x1b, 0x1d, 0x0b, 0x12 };
    for (unsigned i = 0; i < 7; i++)
        assert_int_equal(n->conn[i], want[i]);
    assert_int_equal(n->conn_sel, 0);
    assert_int_equal(node(&p, 0x21)->conn_sel, 1);
    assert_int_equal(node(&p, 0x0b)->conn_sel, -1);    /* mixers have no selection */
    assert_false(node(&p, 0x20)->has_conn);
    done(&p);
}

static void test_parser_reads_pin_lines(void **state)
{
    (void)state;
    struct parsed p = parse_sample(SAMPLE_ALC269VB);
    const struct hdabdl_codec_node *n = node(&p, 0x14);
    assert_true(n->has_pincap);
    assert_int_equal(n->pincap, 0x00010014);
    assert_true(n->has_eapd);
    assert_int_equal(n->eapd, 0x2);
    assert_int_equal(n->pin_default, 0x99130110);
    assert_int_equal(n->pinctl, 0x40);
    assert_true(n->has_unsol);
    assert_int_equal(n->unsol, 0x00);
    n = node(&p, 0x21);
    assert_int_equal(n->unsol, 0x81);   /* tag 1, enabled */
    assert_int_equal(n->pinctl, 0xc0);
    n = node(&p, 0x18);
    assert_int_equal(n->unsol, 0x82);
    assert_int_equal(n->pinctl, 0x24);
    done(&p);
}

static void test_parser_reads_controls_and_pcm_devices(void **state)
{
    (void)state;
    struct parsed p = parse_sample(SAMPLE_ALC269VB);
    const struct hdabdl_codec_node *n = node(&p, 0x0b);
    assert_int_equal(n->ncontrols, 4);
    assert_string_equal(n->controls[2].name, "Internal Mic Playback Volume");
    assert_true(n->controls[2].has_amp);
    assert_int_equal(n->controls[2].amp_chs, 3);
    assert_false(n->controls[2].amp_out);
    assert_int_equal(n->controls[2].amp_idx, 1);
    n = node(&p, 0x06);
    assert_int_equal(n->ncontrols, 5);
    assert_false(n->controls[0].has_amp);
    assert_int_equal(n->npcm_devices, 1);
    assert_string_equal(n->pcm_devices[0].name, "ALC269VB Digital");
    assert_string_equal(n->pcm_devices[0].type, "SPDIF");
    assert_int_equal(n->pcm_devices[0].device, 1);
    done(&p);
}

static void test_parser_reads_converter_digital_and_power_lines(void **state)
{
    (void)state;
    struct parsed p = parse_sample(SAMPLE_SYNTHETIC);
    const struct hdabdl_codec_node *n = node(&p, 0x03);
    assert_true(n->has_converter);
    assert_int_equal(n->conv_stream, 0);
    assert_true(n->has_digital);
    assert_true(n->has_dig_category);
    assert_true(n->has_iec_coding);
    assert_int_equal(n->digital, 0x81 | 0x2u << 8);
    assert_true(n->pcm.present);
    assert_int_equal(n->pcm.sizes, 0x7f0 | 0x1eu << 16);
    assert_int_equal(n->power_states, 0x9);
    assert_int_equal(n->power, 0x33);
    n = node(&p, 0x04);
    assert_int_equal(n->conv_stream, 5);
    n = node(&p, 0x05);
    assert_true(n->has_sdi_select);
    n = node(&p, 0x07);
    assert_true(n->has_volknob);
    assert_int_equal(n->volknob_cap, 0x80 | 127);
    assert_int_equal(n->volknob_ctl, 100);
    done(&p);
}

static void test_parser_reads_hdmi_devices_and_long_connection_entries(void **state)
{
    (void)state;
    struct parsed p = parse_sample(SAMPLE_SYNTHETIC);
    const struct hdabdl_codec_node *n = node(&p, 0x09);
    assert_true(n->has_devices);
    assert_int_equal(n->ndevices, 3);
    assert_int_equal(n->devices[1], 0x3);
    assert_int_equal(n->devices[2], 0x4);
    assert_int_equal(n->dev_sel, 0);
    n = node(&p, 0x0d);
    assert_int_equal(n->conn[1], 0x8c);
    assert_int_equal(n->conn[2], 0x100);
    assert_int_equal(n->conn_sel, 2);
    done(&p);
}

static void test_parser_reads_processing_coefficients(void **state)
{
    (void)state;
    struct parsed p = parse_sample(SAMPLE_SYNTHETIC);
    const struct hdabdl_codec_node *n = node(&p, 0x0b);
    assert_true(n->has_proc_caps);
    assert_int_equal(n->proc_caps, 0x301);
    assert_int_equal(n->ncoefs, 3);
    assert_int_equal(n->coefs[2].index, 2);
    assert_int_equal(n->coefs[2].value, 0xbeef);
    assert_true(n->has_coef_value);
    assert_int_equal(n->coef_value, 0xbeef);
    assert_int_equal(n->coef_index, 2);
    done(&p);
}

/* ---- Text around and between codecs -------------------------------------------------------- */

static void test_parser_reads_several_codecs_inside_alsa_info_text(void **state)
{
    (void)state;
    const char *text =
        "upload=true&script=true&cardinfo=\n"
        "!!################################\n"
        "!!ALSA Information Script v 0.4.60\n"
        "!!HDA-Intel Codec information\n"
        "!!---------------------------\n"
        "--startcollapse--\n"
        "\n"
        HEAD
        "No Modem Function Group found\n"
        "Node 0x02 [Audio Output] wcaps 0x41d: Stereo Amp-Out\n"
        "  Converter: stream=0, channel=0\n"
        "Codec: Nvidia GPU 11 HDMI/DP\n"
        "Address: 3\n"
        "AFG Function Id: 0x1 (unsol 0)\n"
        "Vendor Id: 0x10de0011\n"
        "Subsystem Id: 0x10de0101\n"
        "Revision Id: 0x100100\n"
        "Node 0x04 [Audio Output] wcaps 0x62b1: 8-Channels Digital\n"
        "Node 0x05 [Pin Complex] wcaps 0x407381: 8-Channels Digital\n"
        "  Connection: 1\n"
        "     0x04\n"
        "--endcollapse--\n"
        "\n"
        "!!ALSA Device nodes\n"
        "Node 0x99 [Pin Complex] wcaps 0x0: this is not a codec line any more\n";
    struct parsed p = parse_str(text);
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 2);
    assert_string_equal(p.d[0].name, "Test");
    assert_int_equal(p.d[0].nnodes, 1);
    assert_int_equal(p.d[0].line, 8);
    assert_string_equal(p.d[1].name, "Nvidia GPU 11 HDMI/DP");
    assert_int_equal(p.d[1].address, 3);
    assert_int_equal(p.d[1].nnodes, 2);
    assert_int_equal(p.d[1].nodes[1].conn[0], 0x04);
    done(&p);
}

static void test_parser_accepts_crlf_and_a_byte_order_mark(void **state)
{
    (void)state;
    const char *text =
        "\xEF\xBB\xBF" "Codec: Test\r\n"
        "Address: 1\r\n"
        "Vendor Id: 0x10ec0662\r\n"
        "Subsystem Id: 0x0\r\n"
        "Revision Id: 0x100101\r\n"
        "Node 0x0c [Audio Mixer] wcaps 0x20010f: Stereo Amp-In Amp-Out\r\n"
        "  Amp-In vals:  [0x00 0x00] [0x80 0x80]\r\n"
        "  Connection: 2\r\n"
        "     0x02 0x0b\r\n";
    struct parsed p = parse_str(text);
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 1);
    assert_int_equal(p.d[0].address, 1);
    assert_int_equal(p.d[0].nodes[0].amp_in.vals[1][0], 0x80);
    assert_int_equal(p.d[0].nodes[0].conn[1], 0x0b);
    done(&p);
}

static void test_parser_reads_old_kernel_formats(void **state)
{
    (void)state;
    const char *text =
        "Codec: SigmaTel STAC9200\n"
        "Address: 0\n"
        "Function Id: 0x1\n"
        "Vendor Id: 0x83847690\n"
        "Subsystem Id: 0x102801d4\n"
        "Revision Id: 0x102201\n"
        "Default PCM: rates 0x7e0, bits 0x0e, types 0x1\n"
        "Default Amp-In caps: N/A\n"
        "Default Amp-Out caps: ofs=0x1f, nsteps=0x1f, stepsize=0x05, mute=1\n"
        "Node 0x02 [Audio Output] wcaps 0xd0401: Stereo\n"
        "  Power: 0x0\n"
        "Node 0x07 [Audio Input] wcaps 0x10051b: Stereo Amp-In\n"
        "  Amp-In vals: 0x00 0x80\n"
        "  PCM: rates 0x160, bits 0x06, types 0x1\n"
        "  Connection: 3\n"
        "     0x18 0x19 0x1a*\n"
        "Node 0x08 [Pin Complex] wcaps 0x430681: Stereo Digital\n"
        "  Pincap 0x0810024: IN\n"
        "  Pin Default 0x40f000f0: [N/A] Other at Ext N/A\n"
        "  EAPD: 0x2\n"
        "  Digital: Preemphasis Copyright\n";
    struct parsed p = parse_str(text);
    assert_int_equal(p.rc, 0);
    const struct hdabdl_codec_desc *d = &p.d[0];
    assert_true(d->has_afg_fid);
    assert_int_equal(d->afg_fid, 0x1);
    assert_int_equal(d->default_pcm.sizes, 0x7e0 | 0x0eu << 16);
    assert_int_equal(d->default_pcm.formats, 1);
    assert_true(d->nodes[0].has_power);
    assert_int_equal(d->nodes[0].power, 0);
    assert_true(d->nodes[1].amp_in.vals_stereo);
    assert_int_equal(d->nodes[1].amp_in.nvals, 1);
    assert_int_equal(d->nodes[1].amp_in.vals[0][1], 0x80);
    assert_int_equal(d->nodes[1].pcm.sizes, 0x160 | 0x06u << 16);
    assert_int_equal(d->nodes[1].conn_sel, 2);
    /* the 2006 "0x08%x" Pincap bug: 0x0810024 is 0x10024 */
    assert_int_equal(d->nodes[2].pincap, 0x10024);
    assert_int_equal(d->nodes[2].eapd, 0x2);
    assert_int_equal(d->nodes[2].digital, 0x18);
    done(&p);
}

static void test_parser_joins_soft_wrapped_amp_values(void **state)
{
    (void)state;
    const char *text =
        HEAD
        "Node 0x0b [Audio Mixer] wcaps 0x20010b: Stereo Amp-In\n"
        "  Amp-In caps: ofs=0x17, nsteps=0x1f, stepsize=0x05, mute=1\n"
        "  Amp-In vals:  [0x80 0x80] [0x97 0x97] [0x00 0x00] [0x97 0x97] [0x97 0x97]=\n"
        " [0x97 0x97] [0x97 0x97] [0x97 0x97] [0x97 0x97] [0x11 0x12]\n"
        "  Connection: 10\n"
        "     0x18 0x19 0x1a 0x1b 0x1c 0x1d 0x14 0x15 0x16 0x17\n";
    struct parsed p = parse_str(text);
    assert_int_equal(p.rc, 0);
    const struct hdabdl_codec_node *n = &p.d[0].nodes[0];
    assert_int_equal(n->amp_in.nvals, 10);
    assert_int_equal(n->amp_in.vals[9][0], 0x11);
    assert_int_equal(n->amp_in.vals[9][1], 0x12);
    assert_int_equal(n->nconn, 10);
    done(&p);
}

static void test_parser_reads_reindented_lines(void **state)
{
    (void)state;
    /* as some mail clients left them: one blank instead of two or four */
    const char *text =
        HEAD
        "Default PCM:\n"
        "   rates [0x560]: 44100 48000 96000 192000\n"
        "   bits [0xe]: 16 20 24\n"
        "   formats [0x1]: PCM\n"
        "Node 0x14 [Pin Complex] wcaps 0x40018d: Stereo Amp-Out\n"
        " Amp-Out caps: ofs=0x00, nsteps=0x00, stepsize=0x00, mute=1\n"
        " Amp-Out vals:  [0x00 0x00]\n"
        " Pincap 0x00010014: OUT EAPD Detect\n"
        "\tPin Default 0x99130110: [Fixed] Speaker at Int ATAPI\n"
        "   Conn = ATAPI, Color = Unknown\n"
        " Pin-ctls: 0x40: OUT\n"
        " Connection: 2\n"
        "    0x0c 0x0d*\n";
    struct parsed p = parse_str(text);
    assert_int_equal(p.rc, 0);
    const struct hdabdl_codec_node *n = &p.d[0].nodes[0];
    assert_int_equal(p.d[0].default_pcm.sizes, 0x560 | 0xeu << 16);
    assert_int_equal(n->amp_out.caps, 1u << 31);
    assert_int_equal(n->pincap, 0x00010014);
    assert_int_equal(n->pin_default, 0x99130110);
    assert_int_equal(n->pinctl, 0x40);
    assert_int_equal(n->conn_sel, 1);
    done(&p);
}

static void test_parser_reads_idt_vendor_lines(void **state)
{
    (void)state;
    const char *text =
        HEAD
        "GPIO: io=4, o=0, i=0, unsolicited=1, wake=1\n"
        "  IO[0]: enable=1, dir=1, wake=0, sticky=0, data=1\n"
        "Power-Map: 0x77\n"
        "Analog Loopback: 0x00\n"
        "Node 0x0a [Pin Complex] wcaps 0x400581: Stereo\n"
        "  Pincap 0x0001001c: OUT HP EAPD Detect\n";
    struct parsed p = parse_str(text);
    assert_int_equal(p.rc, 0);
    assert_true(p.d[0].has_power_map);
    assert_int_equal(p.d[0].power_map, 0x77);
    assert_true(p.d[0].has_analog_loopback);
    assert_int_equal(p.d[0].nnodes, 1);     /* the vendor lines do not end the codec */
    assert_int_equal(p.d[0].gpio_data, 1);
    done(&p);
}

static void test_parser_reads_negative_connection_count(void **state)
{
    (void)state;
    const char *text =
        HEAD
        "Node 0x23 [Vendor Defined Widget] wcaps 0xf00100: Mono\n"
        "  Connection: -22\n"
        "Node 0x24 [Pin Complex] wcaps 0x40098d: Stereo Amp-Out R/L\n";
    struct parsed p = parse_str(text);
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.d[0].nodes[0].conn_len, -22);
    assert_int_equal(p.d[0].nodes[0].nconn, 0);
    assert_int_equal(p.d[0].nnodes, 2);
    done(&p);
}

static void test_parser_skips_derived_and_unknown_node_lines(void **state)
{
    (void)state;
    const char *text =
        HEAD
        "Node 0x02 [Audio Output] wcaps 0xd0401: Stereo\n"
        "  Delay: 13 samples\n"
        "  Some vendor hook: 0x1234\n"
        "  In-driver Connection: 2\n"
        "     0x0c 0x0d\n"
        "Node 0x03 [Audio Output] wcaps 0x411: Stereo\n";
    struct parsed p = parse_str(text);
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.d[0].nnodes, 2);
    assert_false(p.d[0].nodes[0].has_conn);
    done(&p);
}

/* ---- Errors ------------------------------------------------------------------------------ */

static void test_malformed_node_line_reports_its_line_number(void **state)
{
    (void)state;
    const char *text =
        HEAD
        "Node 0x02 [Audio Output] wcaps 0x1d: Stereo Amp-Out\n"
        "Node 0xZZ [Audio Output] wcaps 0x1d: Stereo Amp-Out\n";
    struct parsed p = parse_str(text);
    assert_int_equal(p.rc, -EINVAL);
    assert_int_equal(p.err.line, 7);
    assert_non_null(strstr(p.err.message, "Node"));
    assert_null(p.d);
    assert_int_equal(p.n, 0);
}

static void test_node_line_without_wcaps_reports_its_line_number(void **state)
{
    (void)state;
    struct parsed p = parse_str(HEAD "Node 0x02 [Audio Output]\n");
    assert_int_equal(p.rc, -EINVAL);
    assert_int_equal(p.err.line, 6);
    assert_non_null(strstr(p.err.message, "wcaps"));
}

static void test_connection_count_mismatch_reports_the_list_line(void **state)
{
    (void)state;
    const char *text =
        HEAD
        "Node 0x0c [Audio Mixer] wcaps 0x20010b: Stereo Amp-In\n"
        "  Connection: 3\n"
        "     0x02 0x0b\n";
    struct parsed p = parse_str(text);
    assert_int_equal(p.rc, -EINVAL);
    assert_int_equal(p.err.line, 8);
    assert_non_null(strstr(p.err.message, "2 entries"));
}

static void test_missing_connection_list_is_an_error(void **state)
{
    (void)state;
    struct parsed p = parse_str(HEAD "Node 0x0c [Audio Mixer] wcaps 0x20010b: Stereo Amp-In\n"
                                     "  Connection: 2\n"
                                     "Node 0x0d [Audio Mixer] wcaps 0x20010b: Stereo Amp-In\n");
    assert_int_equal(p.rc, -EINVAL);
    assert_int_equal(p.err.line, 8);
    assert_non_null(strstr(p.err.message, "Connection: 2"));
    /* at the end of the text the dump was cut off there instead: see
     * test_connection_line_at_the_end_of_the_text_warns_and_leaves_the_list_empty */
}

static void test_duplicate_node_is_an_error(void **state)
{
    (void)state;
    struct parsed p = parse_str(HEAD "Node 0x02 [Audio Output] wcaps 0x1d: Stereo\n"
                                     "Node 0x02 [Audio Output] wcaps 0x1d: Stereo\n");
    assert_int_equal(p.rc, -EINVAL);
    assert_int_equal(p.err.line, 7);
    assert_non_null(strstr(p.err.message, "twice"));
}

static void test_codec_without_vendor_id_is_an_error(void **state)
{
    (void)state;
    struct parsed p = parse_str("junk\nCodec: Broken\nAddress: 0\nNode 0x02 [Audio Output] wcaps 0x1d: Stereo\n");
    assert_int_equal(p.rc, -EINVAL);
    assert_int_equal(p.err.line, 2);
    assert_non_null(strstr(p.err.message, "Vendor Id"));
}

static void test_text_without_codec_reports_no_codec(void **state)
{
    (void)state;
    struct parsed p = parse_str("!!ALSA Information Script\nnothing here\n");
    assert_int_equal(p.rc, -ENOENT);
    assert_int_equal(p.err.line, 2);
    assert_non_null(strstr(p.err.message, "Codec:"));
    p = parse_str("");
    assert_int_equal(p.rc, -ENOENT);
}

static void test_malformed_values_report_their_line(void **state)
{
    (void)state;
    static const char *const bad_lines[] = {
        "  Amp-In caps: ofs=0x17, nsteps=0x1f, stepsize=0x05\n",
        "  Amp-Out vals:  [0x80 0x80\n",
        "  Amp-Out vals:  [0x180 0x80]\n",
        "  Pin-ctls: zero\n",
        "  Unsolicited: tag=40, enabled=1\n",
        "  Power: setting=D7, actual=D0\n",
        "  Power states:  D0 D9\n",
        "  Converter: stream=16, channel=0\n",
        "  Connection: 200\n",
        "  Processing caps: benign=0\n",
        "  Control: name=\"x\", index=zero, device=0\n",
        "  Digital: Enabled Sparkly\n",
    };
    for (size_t i = 0; i < sizeof(bad_lines) / sizeof(bad_lines[0]); i++) {
        char text[512];
        snprintf(text, sizeof(text), "%sNode 0x02 [Audio Output] wcaps 0x1d: Stereo\n%s", HEAD, bad_lines[i]);
        struct parsed p = parse_str(text);
        if (p.rc != -EINVAL || p.err.line != 7)
            fail_msg("'%s' gave rc %d line %u (%s)", bad_lines[i], p.rc, p.err.line, p.err.message);
        assert_true(strlen(p.err.message) > 0);
    }
}

static void test_oversized_input_is_refused(void **state)
{
    (void)state;
    struct hdabdl_codec_desc *d = (struct hdabdl_codec_desc *)1;
    size_t n = 99;
    struct hdabdl_codec_parse_error err;
    static const char dummy[1] = { 'x' };
    /* the length is checked before anything is read */
    assert_int_equal(hdabdl_codec_parse(dummy, (size_t)HDABDL_CODEC_MAX_INPUT + 1, &d, &n, &err), -E2BIG);
    assert_null(d);
    assert_int_equal(n, 0);
    assert_int_equal(hdabdl_codec_parse(NULL, 5, &d, &n, &err), -EINVAL);
}

static void test_parse_file_reports_a_missing_file(void **state)
{
    (void)state;
    struct hdabdl_codec_desc *d;
    size_t n;
    struct hdabdl_codec_parse_error err;
    assert_int_equal(hdabdl_codec_parse_file("/nonexistent/hdabdl/codec#0", &d, &n, &err), -ENOENT);
    assert_non_null(strstr(err.message, "cannot open"));
}

/* ---- Dumps that end early, and texts that are not dumps ---------------------------------------- */

/* HEAD (5 lines), then an AFG line: nodes start at line 7. */
#define HEAD_AFG HEAD "AFG Function Id: 0x1 (unsol 1)\n"

static void test_complete_dump_gives_no_warning(void **state)
{
    (void)state;
    size_t len = 0;
    char *text = sample_text(SAMPLE_ALC269VB, &len);
    assert_non_null(text);
    struct warned r = parse_warned(text, len);
    free(text);
    assert_int_equal(r.p.rc, 0);
    assert_int_equal(r.w.count, 0);
    done(&r.p);

    /* several codecs in alsa-info text, each ending before the next: no warning either */
    r = parse_warned_str("!!ALSA Information Script\n" HEAD_AFG
                         "Node 0x02 [Audio Output] wcaps 0x40d: Stereo Amp-Out\n"
                         "  Amp-Out caps: ofs=0x57, nsteps=0x57, stepsize=0x02, mute=0\n"
                         "  Amp-Out vals:  [0x00 0x00]\n"
                         "  Converter: stream=0, channel=0\n"
                         "  Power states:  D0 D3\n"
                         "  Power: setting=D0, actual=D0\n"
                         "Codec: Second\nAddress: 2\nVendor Id: 0x10de0011\nSubsystem Id: 0x0\n"
                         "Revision Id: 0x100100\n"
                         "Node 0x05 [Pin Complex] wcaps 0x407381: 8-Channels Digital\n"
                         "  Pincap 0x09000094: OUT Detect HBR HDMI DP\n"
                         "  Pin Default 0x185600f0: [Jack] Digital Out at Int HDMI\n"
                         "  Pin-ctls: 0x40: OUT\n"
                         "--endcollapse--\n");
    assert_int_equal(r.p.rc, 0);
    assert_int_equal(r.p.n, 2);
    assert_int_equal(r.w.count, 0);
    done(&r.p);
}

static void test_dump_cut_mid_node_list_warns_with_the_line_where_it_ends(void **state)
{
    (void)state;
    /* the last node, a pin, stops after its Pincap line (line 11) */
    struct warned r = parse_warned_str(HEAD_AFG
                                       "Node 0x02 [Audio Output] wcaps 0x1d: Stereo Amp-Out\n"
                                       "  Amp-Out caps: ofs=0x57, nsteps=0x57, stepsize=0x02, mute=1\n"
                                       "  Amp-Out vals:  [0x57 0x57]\n"
                                       "Node 0x03 [Pin Complex] wcaps 0x40018d: Stereo Amp-Out\n"
                                       "  Pincap 0x0000001c: OUT HP Detect\n");
    assert_one_warning(&r, 11, "node 0x03 (line 10) has no 'Amp-Out caps:' line");
    assert_int_equal(r.w.list[0].codec, 1);
    /* the codec keeps what was there */
    assert_int_equal(r.p.n, 1);
    assert_int_equal(r.p.d[0].nnodes, 2);
    assert_int_equal(r.p.d[0].nodes[1].pincap, 0x1c);
    done(&r.p);

    /* the plain reader reads it the same way, without saying so */
    struct parsed p = parse_str(HEAD_AFG "Node 0x03 [Pin Complex] wcaps 0x400001: Stereo\n"
                                         "  Pincap 0x0000001c: OUT HP Detect\n");
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 1);
    done(&p);
    r = parse_warned_str(HEAD_AFG "Node 0x03 [Pin Complex] wcaps 0x400001: Stereo\n"
                                  "  Pincap 0x0000001c: OUT HP Detect\n");
    assert_one_warning(&r, 8, "has no 'Pin Default' line, which Linux prints for every Pin Complex node");
    done(&r.p);
}

static void test_last_node_without_a_line_its_like_nodes_have_warns(void **state)
{
    (void)state;
    /* two converters print "Converter:", the last one stops before it */
    struct warned r = parse_warned_str(HEAD_AFG
                                       "Node 0x02 [Audio Output] wcaps 0x400: Mono\n"
                                       "  Converter: stream=0, channel=0\n"
                                       "  Power: setting=D0, actual=D0\n"
                                       "Node 0x03 [Audio Output] wcaps 0x400: Mono\n"
                                       "  Converter: stream=0, channel=0\n"
                                       "  Power: setting=D0, actual=D0\n"
                                       "Node 0x04 [Audio Output] wcaps 0x400: Mono\n"
                                       "  Converter: stream=0, channel=0\n");
    assert_one_warning(&r, 14, "node 0x04 (line 13) has no 'Power:' line, which every other Power Control node");
    done(&r.p);
}

static void test_lines_an_old_kernel_never_printed_give_no_warning(void **state)
{
    (void)state;
    /* no node has "Power states:" or "Unsolicited:" (kernels before 2008): not a cut */
    struct warned r = parse_warned_str(HEAD_AFG
                                       "Node 0x02 [Audio Output] wcaps 0x480: Mono\n"
                                       "  Converter: stream=0, channel=0\n"
                                       "  Power: setting=D0, actual=D0\n"
                                       "Node 0x03 [Audio Output] wcaps 0x480: Mono\n"
                                       "  Converter: stream=0, channel=0\n"
                                       "  Power: setting=D0, actual=D0\n");
    assert_int_equal(r.p.rc, 0);
    assert_int_equal(r.w.count, 0);
    done(&r.p);
}

static void test_dump_cut_in_the_middle_of_a_line_warns_and_leaves_the_line_out(void **state)
{
    (void)state;
    static const char text[] = HEAD_AFG
        "Node 0x02 [Audio Output] wcaps 0x1d: Stereo Amp-Out\n"
        "  Amp-Out caps: ofs=0x57, nsteps=0x57, stepsize=0x02, mute=1\n"
        "  Amp-Out vals:  [0x57 0x5";       /* no line end: the text stops here */
    struct warned r = parse_warned(text, sizeof(text) - 1);
    assert_int_equal(r.p.rc, 0);
    assert_int_equal(r.w.count, 2);
    assert_int_equal(r.w.list[0].line, 9);
    assert_non_null(strstr(r.w.list[0].message, "stops in the middle of this line"));
    assert_non_null(strstr(r.w.list[0].message, "left out ('  Amp-Out vals:  [0x57 0x5')"));
    /* left out as if the text ended before it: then the node has no vals line */
    assert_false(r.p.d[0].nodes[0].amp_out.vals_present);
    assert_int_equal(r.w.list[1].line, 8);
    assert_non_null(strstr(r.w.list[1].message, "no 'Amp-Out vals:' line"));
    done(&r.p);

    /* the plain reader (no warnings) gives the same codec, where it refused the text before */
    struct hdabdl_codec_desc *d = NULL;
    size_t n = 0;
    struct hdabdl_codec_parse_error err;
    assert_int_equal(hdabdl_codec_parse(text, sizeof(text) - 1, &d, &n, &err), 0);
    assert_false(d[0].nodes[0].amp_out.vals_present);
    hdabdl_codec_desc_array_free(d, n);
}

static void test_last_line_without_a_line_end_warns_even_when_it_reads(void **state)
{
    (void)state;
    static const char text[] = HEAD_AFG
        "Node 0x03 [Pin Complex] wcaps 0x400001: Stereo\n"
        "  Pincap 0x0000001c: OUT HP Detect\n"
        "  Pin Default 0x0221401f: [Jack] HP Out at Ext Front\n"
        "  Pin-ctls: 0x4";                  /* 0x40 cut: it reads as 0x4 */
    struct warned r = parse_warned(text, sizeof(text) - 1);
    assert_one_warning(&r, 10, "without a line end, maybe in the middle of this line ('  Pin-ctls: 0x4')");
    assert_int_equal(r.p.d[0].nodes[0].pinctl, 0x4);
    done(&r.p);

    /* the start of a Node line, or indentation alone, ends the text early as well */
    static const char node_start[] = HEAD_AFG "Node 0x03 [Pin Complex] wcaps 0x400001: Stereo\n"
                                              "  Pincap 0x0000001c: OUT HP Detect\n"
                                              "  Pin Default 0x0221401f: [Jack] HP Out at Ext Front\n"
                                              "  Pin-ctls: 0x40: OUT\n"
                                              "Nod";
    r = parse_warned(node_start, sizeof(node_start) - 1);
    assert_one_warning(&r, 11, "('Nod')");
    done(&r.p);
    static const char indent[] = HEAD_AFG "Node 0x03 [Pin Complex] wcaps 0x400001: Stereo\n"
                                          "  Pincap 0x0000001c: OUT HP Detect\n"
                                          "  Pin Default 0x0221401f: [Jack] HP Out at Ext Front\n"
                                          "  Pin-ctls: 0x40: OUT\n"
                                          "  ";
    r = parse_warned(indent, sizeof(indent) - 1);
    assert_one_warning(&r, 11, "without a line end");
    done(&r.p);

    /* a last line without its line end outside a codec (alsa-info text) is no warning */
    static const char after[] = HEAD_AFG "Node 0x03 [Vendor Defined Widget] wcaps 0xf00000: Mono\n"
                                         "!!ALSA Device no";
    r = parse_warned(after, sizeof(after) - 1);
    assert_int_equal(r.p.rc, 0);
    assert_int_equal(r.w.count, 0);
    done(&r.p);
}

static void test_connection_line_at_the_end_of_the_text_warns_and_leaves_the_list_empty(void **state)
{
    (void)state;
    struct warned r = parse_warned_str(HEAD_AFG "Node 0x0c [Audio Mixer] wcaps 0x20010b: Stereo Amp-In\n"
                                                "  Amp-In caps: ofs=0x17, nsteps=0x1f, stepsize=0x05, mute=1\n"
                                                "  Amp-In vals:  [0x80 0x80] [0x80 0x80]\n"
                                                "  Connection: 2\n");
    assert_one_warning(&r, 10, "ends after 'Connection: 2' of node 0x0c, before its list");
    const struct hdabdl_codec_node *n = &r.p.d[0].nodes[0];
    assert_true(n->has_conn);
    assert_int_equal(n->conn_len, 0);      /* what the dump has, and what prints back */
    assert_int_equal(n->nconn, 0);
    done(&r.p);

    /* cut inside the list line: the line is left out, the same list is missing */
    static const char mid[] = HEAD_AFG "Node 0x0c [Audio Mixer] wcaps 0x20010b: Stereo Amp-In\n"
                                       "  Amp-In caps: ofs=0x17, nsteps=0x1f, stepsize=0x05, mute=1\n"
                                       "  Amp-In vals:  [0x80 0x80] [0x80 0x80] [0x80 0x80]\n"
                                       "  Connection: 3\n"
                                       "     0x02 0x0";
    r = parse_warned(mid, sizeof(mid) - 1);
    assert_int_equal(r.p.rc, 0);
    assert_int_equal(r.w.count, 2);
    assert_int_equal(r.w.list[0].line, 11);
    assert_non_null(strstr(r.w.list[0].message, "('     0x02 0x0')"));
    assert_int_equal(r.w.list[1].line, 10);
    assert_non_null(strstr(r.w.list[1].message, "'Connection: 3' of node 0x0c"));
    assert_int_equal(r.p.d[0].nodes[0].conn_len, 0);
    done(&r.p);
}

static void test_blocks_cut_before_their_lines_warn(void **state)
{
    (void)state;
    static const struct {
        const char *tail;   /* after HEAD_AFG (line 7 on) */
        unsigned line;
        const char *needle;
    } cases[] = {
        { "Default PCM:\n    rates [0x560]: 44100 48000 96000 192000\n", 8,
          "'Default PCM:' (line 7) has 1 of its 3 lines" },
        { "State of AFG node 0x01:\n  Power states:  D0 D3\n", 8,
          "'State of AFG node 0x01:' (line 7) has no 'Power:' line" },
        { "GPIO: io=3, o=0, i=0, unsolicited=1, wake=0\n"
          "  IO[0]: enable=0, dir=0, wake=0, sticky=0, data=0, unsol=0\n", 8,
          "'GPIO: io=3' (line 7) lists 1 of its 3 IO lines" },
        { "Node 0x02 [Audio Output] wcaps 0x10: Mono\n  Converter: stream=0, channel=0\n  PCM:\n", 9,
          "the 'PCM:' block of node 0x02 (line 9) has 0 of its 3 lines" },
        { "Node 0x05 [Pin Complex] wcaps 0x400381: 8-Channels Digital\n"
          "  Pincap 0x09000094: OUT Detect HBR HDMI DP\n"
          "  Pin Default 0x185600f0: [Jack] Digital Out at Int HDMI\n"
          "  Pin-ctls: 0x40: OUT\n  Unsolicited: tag=01, enabled=1\n"
          "  Devices: 3\n     Dev 00: PD = 1, ELDV = 1, IA = 0\n", 13,
          "'Devices: 3' of node 0x05 (line 12) lists 1 of its entries" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char text[1024];
        snprintf(text, sizeof(text), "%s%s", HEAD_AFG, cases[i].tail);
        struct warned r = parse_warned_str(text);
        assert_one_warning(&r, cases[i].line, cases[i].needle);
        done(&r.p);
    }
}

static void test_function_group_without_nodes_warns(void **state)
{
    (void)state;
    /* a current kernel's header, cut before the first node */
    struct warned r = parse_warned_str(HEAD_AFG "No Modem Function Group found\n"
                                                "Default Amp-In caps: N/A\n");
    assert_one_warning(&r, 8, "codec 'Test' (line 1) has an audio function group but no node");
    done(&r.p);

    /* "Invalid AFG subtree" is what Linux prints for an AFG without nodes: whole */
    r = parse_warned_str(HEAD_AFG "Invalid AFG subtree\n");
    assert_int_equal(r.p.rc, 0);
    assert_int_equal(r.w.count, 0);
    done(&r.p);
}

static void test_last_codec_cut_in_its_header_is_left_out_with_a_warning(void **state)
{
    (void)state;
    struct warned r = parse_warned_str(HEAD_AFG "Node 0x02 [Vendor Defined Widget] wcaps 0xf00000: Mono\n"
                                                "Codec: Second\n"
                                                "Address: 1\n"
                                                "Vendor Id: 0x14f12c06\n");
    assert_one_warning(&r, 10, "ends in the header of codec 2 ('Second', line 8), before its 'Subsystem Id:' line");
    assert_int_equal(r.w.list[0].codec, 2);
    assert_int_equal(r.p.n, 1);
    assert_string_equal(r.p.d[0].name, "Test");
    done(&r.p);
}

static void test_header_only_codec_is_not_a_codec_dump(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "Codec: Realtek ALC269\nVendor Id: 0x10ec0269\n",
        "Codec: Realtek ALC269\nAddress: 0\nVendor Id: 0x10ec0269\nSubsystem Id: 0x0\n",
        "Codec: Realtek ALC269\n",
    };
    for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
        struct warned r = parse_warned_str(texts[i]);
        if (r.p.rc != -EINVAL || r.p.err.line != 1 || !strstr(r.p.err.message, "not a codec dump"))
            fail_msg("text %zu: rc %d line %u: %s", i, r.p.rc, r.p.err.line, r.p.err.message);
        assert_null(r.p.d);
        assert_int_equal(r.w.count, 0);
    }
    /* also when a codec in the middle of a text is one (then it is not a cut) */
    struct parsed p = parse_str(HEAD_AFG "Node 0x02 [Vendor Defined Widget] wcaps 0xf00000: Mono\n"
                                "Codec: junk\nVendor Id: 0x1\n!!other text\n");
    assert_int_equal(p.rc, -EINVAL);
    assert_int_equal(p.err.line, 8);
}

static void test_whole_header_without_function_group_reads_as_an_old_modem_codec(void **state)
{
    (void)state;
    /* what kernels of 2006 printed for a modem codec: the header, nothing more */
    struct warned r = parse_warned_str("Codec: Generic 14f1 ID 2bfa\nAddress: 1\nVendor Id: 0x14f12bfa\n"
                                       "Subsystem Id: 0x17aa201b\nRevision Id: 0x90000\n");
    assert_int_equal(r.p.rc, 0);
    assert_int_equal(r.p.n, 1);
    assert_int_equal(r.p.d[0].nnodes, 0);
    assert_int_equal(r.w.count, 0);
    done(&r.p);
}

static void test_nul_byte_is_not_a_codec_dump(void **state)
{
    (void)state;
    static const char text[] = HEAD_AFG "Node 0x02 [Audio Output] wcaps 0x1d: Ste\0reo Amp-Out\n";
    struct warned r = parse_warned(text, sizeof(text) - 1);
    assert_int_equal(r.p.rc, -EINVAL);
    assert_int_equal(r.p.err.line, 7);
    char want[64];
    snprintf(want, sizeof(want), "a NUL byte at offset %zu", (size_t)(strchr(text, '\0') - text));
    assert_non_null(strstr(r.p.err.message, "not a codec dump"));
    assert_non_null(strstr(r.p.err.message, want));
    assert_null(r.p.d);
    /* outside a codec too: the whole text is refused */
    static const char before[] = "\0\0" HEAD_AFG "Node 0x02 [Vendor Defined Widget] wcaps 0xf00000: Mono\n";
    r = parse_warned(before, sizeof(before) - 1);
    assert_int_equal(r.p.rc, -EINVAL);
    assert_int_equal(r.p.err.line, 1);
}

static void test_warnings_past_the_kept_ones_are_counted(void **state)
{
    (void)state;
    /* 20 codecs, each a function group without nodes: one warning each */
    size_t cap = 20 * 200 + 1, len = 0;
    char *text = malloc(cap);
    assert_non_null(text);
    for (int i = 0; i < 20; i++)
        len += (size_t)snprintf(text + len, cap - len, "%sDefault Amp-In caps: N/A\n", HEAD_AFG);
    struct warned r = parse_warned(text, len);
    free(text);
    assert_int_equal(r.p.rc, 0);
    assert_int_equal(r.p.n, 20);
    assert_int_equal(r.w.count, 20);
    assert_int_equal(r.w.list[HDABDL_CODEC_MAX_WARNINGS - 1].codec, HDABDL_CODEC_MAX_WARNINGS);
    assert_int_equal(r.w.list[0].line, 7);
    assert_int_equal(r.w.list[1].line, 14);
    done(&r.p);
}

static void test_every_cut_inside_a_line_warns_or_is_refused(void **state)
{
    (void)state;
    size_t len = 0;
    char *text = sample_text(SAMPLE_ALC269VB, &len);
    assert_non_null(text);
    unsigned warned = 0, refused = 0, silent_at_line_ends = 0;
    for (size_t cut = 1; cut < len; cut++) {
        char *copy = malloc(cut);     /* exact size: ASan sees over-reads */
        assert_non_null(copy);
        memcpy(copy, text, cut);
        struct warned r = parse_warned(copy, cut);
        free(copy);
        if (r.p.rc != 0) {
            /* only in the first codec's header, before anything of it could be used */
            if (r.p.err.line > 6)
                fail_msg("cut at %zu refused at line %u: %s", cut, r.p.err.line, r.p.err.message);
            refused++;
            continue;
        }
        if (r.w.count > 0)
            warned++;
        else if (text[cut - 1] == '\n')
            silent_at_line_ends++;   /* between two whole lines: a whole node may have been last */
        else
            fail_msg("cut at %zu, inside a line, gave no warning", cut);
        done(&r.p);
    }
    free(text);
    print_message("cuts: %u warned, %u refused in the header, %u silent at line ends\n", warned,
                  refused, silent_at_line_ends);
    assert_true(warned > refused);
}

/* ---- Damaged copies ------------------------------------------------------------------------- */

static unsigned count_lines(const char *t, size_t len)
{
    unsigned n = 0;
    for (size_t i = 0; i < len; i++)
        n += t[i] == '\n';
    return n + 1;
}

/* Parse @t; success, or an error naming a line of the text. Successes must print back. */
static void check_damaged(const char *t, size_t len, unsigned *ok, unsigned *refused)
{
    struct hdabdl_codec_desc *d = NULL;
    size_t n = 0;
    struct hdabdl_codec_parse_error err;
    int rc = hdabdl_codec_parse(t, len, &d, &n, &err);
    if (rc == 0) {
        (*ok)++;
        for (size_t i = 0; i < n; i++) {
            size_t plen;
            char *p = hdabdl_codec_desc_to_proc(&d[i], &plen);
            assert_non_null(p);
            struct hdabdl_codec_desc *d2 = NULL;
            size_t n2 = 0;
            assert_int_equal(hdabdl_codec_parse(p, plen, &d2, &n2, &err), 0);
            assert_int_equal(n2, 1);
            char why[200];
            if (!hdabdl_codec_desc_equal(&d[i], &d2[0], why, sizeof(why)))
                fail_msg("damaged text parsed but does not print back: %s", why);
            hdabdl_codec_desc_array_free(d2, n2);
            free(p);
        }
        hdabdl_codec_desc_array_free(d, n);
        return;
    }
    (*refused)++;
    assert_null(d);
    if (rc != -EINVAL && rc != -ENOENT)
        fail_msg("unexpected rc %d", rc);
    if (err.line < 1 || err.line > count_lines(t, len) || err.message[0] == '\0')
        fail_msg("error without a valid line: line %u of %u: '%s'", err.line, count_lines(t, len),
                 err.message);
}

static void test_parser_fuzz_truncated_and_byte_flipped_dumps_never_crash(void **state)
{
    (void)state;
    static const char interesting[] = { '\n', ' ', '0', 'x', '*', '[', ']', ':', '\0', '\r', '=', '-',
                                        'f', '9', ',', '"', (char)0xff, (char)0x80, '\t', 'N' };
    unsigned ok = 0, refused = 0;
    uint32_t rng = 0x12345678u;
    for (int s = 0; s < 2; s++) {
        size_t len = 0;
        char *text = sample_text(s == 0 ? SAMPLE_SYNTHETIC : SAMPLE_ALC269VB, &len);
        assert_non_null(text);
        /* every truncation point (the synthetic one), every 5th (the ALC) */
        for (size_t cut = 0; cut <= len; cut += s == 0 ? 1 : 5) {
            char *copy = malloc(cut ? cut : 1);     /* exact size: ASan sees over-reads */
            assert_non_null(copy);
            memcpy(copy, text, cut);
            check_damaged(copy, cut, &ok, &refused);
            free(copy);
        }
        /* single and multiple byte flips */
        for (int round = 0; round < 1500; round++) {
            char *copy = malloc(len);
            assert_non_null(copy);
            memcpy(copy, text, len);
            int flips = 1 + round % 4;
            for (int f = 0; f < flips; f++) {
                rng ^= rng << 13;
                rng ^= rng >> 17;
                rng ^= rng << 5;
                size_t at = rng % len;
                char c = (rng >> 8) % 3 == 0 ? (char)(rng >> 16) : interesting[(rng >> 16) % sizeof(interesting)];
                copy[at] = c;
            }
            check_damaged(copy, len, &ok, &refused);
            free(copy);
        }
        free(text);
    }
    print_message("damaged texts: %u read, %u refused with a line number\n", ok, refused);
    assert_true(ok > 0);
    assert_true(refused > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parser_reads_every_node_of_an_alc269_dump),
        cmocka_unit_test(test_parser_reads_the_codec_header_lines),
        cmocka_unit_test(test_parser_reads_default_pcm_amp_caps_and_gpio),
        cmocka_unit_test(test_parser_reads_amp_caps_and_values),
        cmocka_unit_test(test_parser_reads_connection_lists_and_the_selected_entry),
        cmocka_unit_test(test_parser_reads_pin_lines),
        cmocka_unit_test(test_parser_reads_controls_and_pcm_devices),
        cmocka_unit_test(test_parser_reads_converter_digital_and_power_lines),
        cmocka_unit_test(test_parser_reads_hdmi_devices_and_long_connection_entries),
        cmocka_unit_test(test_parser_reads_processing_coefficients),
        cmocka_unit_test(test_parser_reads_several_codecs_inside_alsa_info_text),
        cmocka_unit_test(test_parser_accepts_crlf_and_a_byte_order_mark),
        cmocka_unit_test(test_parser_reads_old_kernel_formats),
        cmocka_unit_test(test_parser_joins_soft_wrapped_amp_values),
        cmocka_unit_test(test_parser_reads_reindented_lines),
        cmocka_unit_test(test_parser_reads_idt_vendor_lines),
        cmocka_unit_test(test_parser_reads_negative_connection_count),
        cmocka_unit_test(test_parser_skips_derived_and_unknown_node_lines),
        cmocka_unit_test(test_malformed_node_line_reports_its_line_number),
        cmocka_unit_test(test_node_line_without_wcaps_reports_its_line_number),
        cmocka_unit_test(test_connection_count_mismatch_reports_the_list_line),
        cmocka_unit_test(test_missing_connection_list_is_an_error),
        cmocka_unit_test(test_duplicate_node_is_an_error),
        cmocka_unit_test(test_codec_without_vendor_id_is_an_error),
        cmocka_unit_test(test_text_without_codec_reports_no_codec),
        cmocka_unit_test(test_malformed_values_report_their_line),
        cmocka_unit_test(test_oversized_input_is_refused),
        cmocka_unit_test(test_parse_file_reports_a_missing_file),
        cmocka_unit_test(test_complete_dump_gives_no_warning),
        cmocka_unit_test(test_dump_cut_mid_node_list_warns_with_the_line_where_it_ends),
        cmocka_unit_test(test_last_node_without_a_line_its_like_nodes_have_warns),
        cmocka_unit_test(test_lines_an_old_kernel_never_printed_give_no_warning),
        cmocka_unit_test(test_dump_cut_in_the_middle_of_a_line_warns_and_leaves_the_line_out),
        cmocka_unit_test(test_last_line_without_a_line_end_warns_even_when_it_reads),
        cmocka_unit_test(test_connection_line_at_the_end_of_the_text_warns_and_leaves_the_list_empty),
        cmocka_unit_test(test_blocks_cut_before_their_lines_warn),
        cmocka_unit_test(test_function_group_without_nodes_warns),
        cmocka_unit_test(test_last_codec_cut_in_its_header_is_left_out_with_a_warning),
        cmocka_unit_test(test_header_only_codec_is_not_a_codec_dump),
        cmocka_unit_test(test_whole_header_without_function_group_reads_as_an_old_modem_codec),
        cmocka_unit_test(test_nul_byte_is_not_a_codec_dump),
        cmocka_unit_test(test_warnings_past_the_kept_ones_are_counted),
        cmocka_unit_test(test_every_cut_inside_a_line_warns_or_is_refused),
        cmocka_unit_test(test_parser_fuzz_truncated_and_byte_flipped_dumps_never_crash),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
