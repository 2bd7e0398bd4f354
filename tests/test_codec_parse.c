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

    /* at the end of the text too */
    p = parse_str(HEAD "Node 0x0c [Audio Mixer] wcaps 0x20010b: Stereo Amp-In\n  Connection: 2\n");
    assert_int_equal(p.rc, -EINVAL);
    assert_int_equal(p.err.line, 7);
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
        cmocka_unit_test(test_parser_fuzz_truncated_and_byte_flipped_dumps_never_crash),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
