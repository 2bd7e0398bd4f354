/* SPDX-License-Identifier: MIT */
/*
 * test_codec_verbs.c - a codec built from a dump answers verbs as the dumped
 * part would: parameters, connection lists, amps, pins, power, converters,
 * coefficients, GPIO, resets; refused verbs answer 0 and are counted.
 *
 * Verb layout (HDA spec 7.1.2): CAd 31:28, NID 27:20, then a 12-bit verb and
 * 8-bit payload, or a 4-bit verb and 16-bit payload.
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

/* ---- Fixtures ------------------------------------------------------------------------------ */

struct fx {
    struct hdabdl_codec *codec;
    uint8_t cad;
};

static int setup_sample(void **state, enum sample_id id)
{
    size_t len = 0, n = 0;
    char *text = sample_text(id, &len);
    struct hdabdl_codec_desc *d = NULL;
    struct hdabdl_codec_parse_error err;
    if (!text || hdabdl_codec_parse(text, len, &d, &n, &err) != 0 || n != 1) {
        free(text);
        return -1;
    }
    free(text);
    struct fx *f = calloc(1, sizeof(*f));
    if (!f)
        return -1;
    int rc = hdabdl_codec_create(&d[0], NULL, &f->codec);
    f->cad = d[0].address;
    hdabdl_codec_desc_array_free(d, n);     /* the codec keeps its own copy */
    if (rc) {
        free(f);
        return -1;
    }
    *state = f;
    return 0;
}

static int setup_alc269(void **state)
{
    return setup_sample(state, SAMPLE_ALC269VB);
}

static int setup_synthetic(void **state)
{
    return setup_sample(state, SAMPLE_SYNTHETIC);
}

static int teardown(void **state)
{
    struct fx *f = *state;
    hdabdl_codec_destroy(f->codec);
    free(f);
    return 0;
}

static uint32_t v12(const struct fx *f, unsigned nid, unsigned verb, unsigned payload)
{
    return (uint32_t)f->cad << 28 | (uint32_t)nid << 20 | (uint32_t)verb << 8 | (payload & 0xFFu);
}

static uint32_t v4(const struct fx *f, unsigned nid, unsigned verb, unsigned payload)
{
    return (uint32_t)f->cad << 28 | (uint32_t)nid << 20 | (uint32_t)verb << 16 | (payload & 0xFFFFu);
}

/* Send a verb; it must be answered and not refused. */
static uint32_t ok(struct fx *f, uint32_t verb)
{
    uint64_t before = hdabdl_codec_refused_verbs(f->codec);
    uint32_t r = 0xDEADBEEF;
    assert_true(hdabdl_codec_verb(f->codec, verb, &r));
    if (hdabdl_codec_refused_verbs(f->codec) != before)
        fail_msg("verb 0x%08x was refused", (unsigned)verb);
    return r;
}

/* Send a verb the part must refuse: answer 0, counted. */
static void refused(struct fx *f, uint32_t verb)
{
    uint64_t before = hdabdl_codec_refused_verbs(f->codec);
    uint32_t r = 0xDEADBEEF;
    assert_true(hdabdl_codec_verb(f->codec, verb, &r));
    if (r != 0 || hdabdl_codec_refused_verbs(f->codec) != before + 1)
        fail_msg("verb 0x%08x was not refused (answer 0x%08x)", (unsigned)verb, (unsigned)r);
    struct hdabdl_codec_stats st;
    hdabdl_codec_get_stats(f->codec, &st);
    assert_int_equal(st.last_refused, verb);
}

#define PARAM(f, nid, id) ok((f), v12((f), (nid), 0xF00, (id)))

/* ---- Parameters ------------------------------------------------------------------------------ */

static void test_get_parameter_vendor_id_answers_the_dumped_id(void **state)
{
    struct fx *f = *state;
    assert_int_equal(PARAM(f, 0x00, 0x00), 0x10ec0269);
    assert_int_equal(PARAM(f, 0x00, 0x02), 0x100100);
}

static void test_get_parameter_node_counts_describe_the_tree(void **state)
{
    struct fx *f = *state;
    assert_int_equal(PARAM(f, 0x00, 0x04), 0x00010001);    /* AFG at 1, one group */
    assert_int_equal(PARAM(f, 0x01, 0x04), 0x00020022);    /* widgets 0x02.., 34 of them */
    assert_int_equal(PARAM(f, 0x01, 0x05), 0x101);         /* audio, unsol capable */
}

static void test_get_parameter_node_counts_include_the_modem_group(void **state)
{
    struct fx *f = *state;
    assert_int_equal(PARAM(f, 0x00, 0x04), 0x00010002);    /* AFG 1, MFG 2 */
    assert_int_equal(PARAM(f, 0x02, 0x05), 0x002);
    assert_int_equal(PARAM(f, 0x01, 0x04), 0x0003000b);    /* 0x03..0x0d */
    assert_int_equal(PARAM(f, 0x01, 0x08), 1u << 16);      /* has a beep generator */
    assert_int_equal(PARAM(f, 0x01, 0x0f), 0x8000000f);
    assert_int_equal(PARAM(f, 0x01, 0x11), 3 | 1u << 8 | 1u << 16 | 1u << 30);
}

static void test_get_parameter_function_group_answers_default_pcm_amps_and_gpio(void **state)
{
    struct fx *f = *state;
    assert_int_equal(PARAM(f, 0x01, 0x0a), 0x000e0560);
    assert_int_equal(PARAM(f, 0x01, 0x0b), 0x1);
    assert_int_equal(PARAM(f, 0x01, 0x0d), 0);
    assert_int_equal(PARAM(f, 0x01, 0x12), 0);
    assert_int_equal(PARAM(f, 0x01, 0x11), 0x40000002);    /* io=2, unsolicited */
    assert_int_equal(PARAM(f, 0x01, 0x0f), 0x9);           /* no "Power states": D0, D3 */
}

static void test_get_parameter_widget_caps_pcm_pin_and_amp_caps(void **state)
{
    struct fx *f = *state;
    assert_int_equal(PARAM(f, 0x02, 0x09), 0x1d);
    assert_int_equal(PARAM(f, 0x02, 0x0a), 0x000e0560);
    assert_int_equal(PARAM(f, 0x02, 0x12), 0x00025757);
    assert_int_equal(PARAM(f, 0x0b, 0x0d), 0x80051f17);
    assert_int_equal(PARAM(f, 0x21, 0x0c), 0x0000001c);
    assert_int_equal(PARAM(f, 0x20, 0x10), 25u << 8);
    assert_int_equal(PARAM(f, 0x02, 0x0c), 0);     /* not a pin: 0, but a valid question */
}

static void test_unknown_parameter_is_refused(void **state)
{
    struct fx *f = *state;
    refused(f, v12(f, 0x02, 0xF00, 0x03));
    refused(f, v12(f, 0x00, 0xF00, 0x7f));
}

/* ---- Connections ------------------------------------------------------------------------------ */

static void test_get_parameter_connection_list_length(void **state)
{
    struct fx *f = *state;
    assert_int_equal(PARAM(f, 0x22, 0x0e), 7);
    assert_int_equal(PARAM(f, 0x14, 0x0e), 2);
    assert_int_equal(PARAM(f, 0x02, 0x0e), 0);
}

static void test_get_connection_list_entries_short_form(void **state)
{
    struct fx *f = *state;
    assert_int_equal(ok(f, v12(f, 0x22, 0xF02, 0)), 0x1b1a1918);
    assert_int_equal(ok(f, v12(f, 0x22, 0xF02, 4)), 0x00120b1d);
    assert_int_equal(ok(f, v12(f, 0x22, 0xF02, 8)), 0);
    refused(f, v12(f, 0x02, 0xF02, 0));    /* no connection list */
}

static void test_get_connection_list_entries_long_form(void **state)
{
    struct fx *f = *state;
    assert_int_equal(PARAM(f, 0x0d, 0x0e), 0x83);   /* long form, 3 entries */
    assert_int_equal(ok(f, v12(f, 0x0d, 0xF02, 0)), 0x008c000a);
    assert_int_equal(ok(f, v12(f, 0x0d, 0xF02, 2)), 0x00000100);
}

static void test_connection_select_set_then_get(void **state)
{
    struct fx *f = *state;
    assert_int_equal(ok(f, v12(f, 0x22, 0xF01, 0)), 0);    /* the '*' entry */
    assert_int_equal(ok(f, v12(f, 0x21, 0xF01, 0)), 1);
    ok(f, v12(f, 0x22, 0x701, 3));
    assert_int_equal(ok(f, v12(f, 0x22, 0xF01, 0)), 3);
    refused(f, v12(f, 0x22, 0x701, 7));                    /* past the list */
    assert_int_equal(ok(f, v12(f, 0x22, 0xF01, 0)), 3);
}

static void test_connection_select_on_a_mixer_is_refused(void **state)
{
    struct fx *f = *state;
    refused(f, v12(f, 0x0b, 0x701, 1));
    refused(f, v12(f, 0x0b, 0xF01, 0));
}

/* ---- Amplifiers ----------------------------------------------------------------------------- */

static void test_amp_power_on_values_come_from_the_dump(void **state)
{
    struct fx *f = *state;
    assert_int_equal(ok(f, v4(f, 0x03, 0xB, 0xA000)), 0x4b);     /* out, left */
    assert_int_equal(ok(f, v4(f, 0x03, 0xB, 0x8000)), 0x4b);     /* out, right */
    assert_int_equal(ok(f, v4(f, 0x08, 0xB, 0x2000)), 0x13);     /* in 0, left */
    assert_int_equal(ok(f, v4(f, 0x0c, 0xB, 0x2001)), 0x80);     /* in 1 */
    assert_int_equal(ok(f, v4(f, 0x23, 0xB, 0x0001)), 0x00);
    assert_int_equal(ok(f, v4(f, 0x23, 0xB, 0x0005)), 0x80);
}

static void test_amp_gain_set_then_get_round_trips(void **state)
{
    struct fx *f = *state;
    /* input amp 2 of mixer 0x0b, both channels, gain 0x10, unmuted */
    ok(f, v4(f, 0x0b, 0x3, 0x7000 | 2u << 8 | 0x10));
    assert_int_equal(ok(f, v4(f, 0x0b, 0xB, 0x2002)), 0x10);
    assert_int_equal(ok(f, v4(f, 0x0b, 0xB, 0x0002)), 0x10);
    assert_int_equal(ok(f, v4(f, 0x0b, 0xB, 0x2001)), 0x80);     /* others untouched */
    /* left only, muted */
    ok(f, v4(f, 0x0b, 0x3, 0x6000 | 2u << 8 | 0x80 | 0x05));
    assert_int_equal(ok(f, v4(f, 0x0b, 0xB, 0x2002)), 0x85);
    assert_int_equal(ok(f, v4(f, 0x0b, 0xB, 0x0002)), 0x10);
    /* output amp of a DAC */
    ok(f, v4(f, 0x02, 0x3, 0xB000 | 0x20));
    assert_int_equal(ok(f, v4(f, 0x02, 0xB, 0xA000)), 0x20);
}

static void test_amp_gain_is_clamped_and_mute_needs_the_capability(void **state)
{
    struct fx *f = *state;
    /* 0x02: nsteps 0x57, not mute capable */
    ok(f, v4(f, 0x02, 0x3, 0xB000 | 0x80 | 0x7f));
    assert_int_equal(ok(f, v4(f, 0x02, 0xB, 0xA000)), 0x57);
    /* 0x0f is mono: either channel bit sets its one amp, both reads agree */
    ok(f, v4(f, 0x0f, 0x3, 0x5000 | 1u << 8 | 0x80));
    assert_int_equal(ok(f, v4(f, 0x0f, 0xB, 0x2001)), 0x80);
    assert_int_equal(ok(f, v4(f, 0x0f, 0xB, 0x0001)), 0x80);
}

static void test_amp_on_a_widget_without_that_amp_is_refused(void **state)
{
    struct fx *f = *state;
    refused(f, v4(f, 0x20, 0x3, 0xB000 | 0x10));   /* vendor widget, no amps */
    refused(f, v4(f, 0x02, 0x3, 0x7000 | 0x10));   /* DAC has no input amp */
    refused(f, v4(f, 0x02, 0xB, 0x2000));
    refused(f, v4(f, 0x0b, 0xB, 0x2005));          /* mixer has inputs 0..4 */
}

/* ---- Pins ------------------------------------------------------------------------------------- */

static void test_pin_widget_control_set_then_get(void **state)
{
    struct fx *f = *state;
    assert_int_equal(ok(f, v12(f, 0x21, 0xF07, 0)), 0xc0);
    assert_int_equal(ok(f, v12(f, 0x18, 0xF07, 0)), 0x24);
    ok(f, v12(f, 0x21, 0x707, 0x40));
    assert_int_equal(ok(f, v12(f, 0x21, 0xF07, 0)), 0x40);
    refused(f, v12(f, 0x02, 0x707, 0x40));
    refused(f, v12(f, 0x02, 0xF07, 0));
}

static void test_pin_config_default_get_and_set_bytes(void **state)
{
    struct fx *f = *state;
    assert_int_equal(ok(f, v12(f, 0x21, 0xF1C, 0)), 0x0121401f);
    ok(f, v12(f, 0x21, 0x71C, 0x2e));
    ok(f, v12(f, 0x21, 0x71F, 0x90));
    assert_int_equal(ok(f, v12(f, 0x21, 0xF1C, 0)), 0x9021402e);
    refused(f, v12(f, 0x0b, 0xF1C, 0));
    refused(f, v12(f, 0x0b, 0x71D, 0x11));
}

static void test_eapd_btl_get_and_set(void **state)
{
    struct fx *f = *state;
    assert_int_equal(ok(f, v12(f, 0x14, 0xF0C, 0)), 0x2);
    ok(f, v12(f, 0x14, 0x70C, 0x00));
    assert_int_equal(ok(f, v12(f, 0x14, 0xF0C, 0)), 0x0);
    refused(f, v12(f, 0x02, 0x70C, 0x02));
}

static void test_unsolicited_enable_set_then_get(void **state)
{
    struct fx *f = *state;
    assert_int_equal(ok(f, v12(f, 0x21, 0xF08, 0)), 0x81);
    ok(f, v12(f, 0x14, 0x708, 0x85));
    assert_int_equal(ok(f, v12(f, 0x14, 0xF08, 0)), 0x85);
    refused(f, v12(f, 0x17, 0x708, 0x81));     /* wcaps 0x40010c: not unsol capable */
}

static void test_pin_sense_reports_presence(void **state)
{
    struct fx *f = *state;
    assert_int_equal(ok(f, v12(f, 0x21, 0xF09, 0)), 0);            /* HP jack: empty */
    assert_int_equal(ok(f, v12(f, 0x14, 0xF09, 0)), 0x80000000);   /* fixed speaker */
    assert_true(hdabdl_codec_set_jack(f->codec, 0x21, true));
    ok(f, v12(f, 0x21, 0x709, 0));                                 /* execute sense */
    assert_int_equal(ok(f, v12(f, 0x21, 0xF09, 0)), 0x80000000);
    refused(f, v12(f, 0x0b, 0xF09, 0));
}

/* ---- Power ------------------------------------------------------------------------------------ */

static void test_power_state_set_reports_the_actual_state(void **state)
{
    struct fx *f = *state;
    assert_int_equal(ok(f, v12(f, 0x04, 0xF05, 0)), 0x00);
    ok(f, v12(f, 0x04, 0x705, 0x2));
    assert_int_equal(ok(f, v12(f, 0x04, 0xF05, 0)), 0x22);
    /* the function group going to D3 takes its widgets with it */
    ok(f, v12(f, 0x01, 0x705, 0x3));
    assert_int_equal(ok(f, v12(f, 0x01, 0xF05, 0)), 0x33);
    assert_int_equal(ok(f, v12(f, 0x04, 0xF05, 0)), 0x32);
    ok(f, v12(f, 0x01, 0x705, 0x0));
    ok(f, v12(f, 0x04, 0x705, 0x0));
    assert_int_equal(ok(f, v12(f, 0x04, 0xF05, 0)), 0x00);
    /* the digital converter powered on in D3, as dumped */
    assert_int_equal(ok(f, v12(f, 0x03, 0xF05, 0)), 0x33);
}

static void test_unsupported_power_state_is_refused(void **state)
{
    struct fx *f = *state;
    refused(f, v12(f, 0x03, 0x705, 0x1));      /* supports D0 and D3 only */
    refused(f, v12(f, 0x04, 0x705, 0x4));      /* no D3cold */
    refused(f, v12(f, 0x05, 0x705, 0x0));      /* no power control at all */
    assert_int_equal(ok(f, v12(f, 0x03, 0xF05, 0)), 0x33);
}

/* ---- Converters -------------------------------------------------------------------------------- */

static void test_converter_format_set_then_get(void **state)
{
    struct fx *f = *state;
    assert_int_equal(ok(f, v4(f, 0x02, 0xA, 0)), 0x0011);      /* 48 kHz, 16 bit, 2 ch */
    ok(f, v4(f, 0x02, 0x2, 0x4031));
    assert_int_equal(ok(f, v4(f, 0x02, 0xA, 0)), 0x4031);
    refused(f, v4(f, 0x14, 0x2, 0x4031));
    refused(f, v4(f, 0x14, 0xA, 0));
}

static void test_converter_stream_channel_set_then_get(void **state)
{
    struct fx *f = *state;
    /* the dump says "stream=8": the driver's tag; the part powers up unconnected */
    assert_int_equal(ok(f, v12(f, 0x02, 0xF06, 0)), 0x00);
    ok(f, v12(f, 0x02, 0x706, 0x52));
    assert_int_equal(ok(f, v12(f, 0x02, 0xF06, 0)), 0x52);
    refused(f, v12(f, 0x0b, 0x706, 0x52));
    assert_int_equal(ok(f, v12(f, 0x08, 0xF04, 0)), 0);        /* SDI select of an ADC */
    refused(f, v12(f, 0x02, 0xF04, 0));
}

static void test_digital_converter_verbs(void **state)
{
    struct fx *f = *state;
    assert_int_equal(ok(f, v12(f, 0x03, 0xF0D, 0)), 0x0281);
    ok(f, v12(f, 0x03, 0x70D, 0x01));
    ok(f, v12(f, 0x03, 0x70E, 0x05));
    ok(f, v12(f, 0x03, 0x73E, 0x03));
    assert_int_equal(ok(f, v12(f, 0x03, 0xF0D, 0)), 0x030501);
    refused(f, v12(f, 0x04, 0xF0D, 0));        /* analog converter */
    assert_int_equal(ok(f, v12(f, 0x03, 0xF2D, 0)), 7);        /* 8 channels */
    assert_int_equal(ok(f, v4(f, 0x03, 0xA, 0)), 0x0011);
    assert_int_equal(ok(f, v12(f, 0x04, 0xF24, 0)), 0x00100000);
    ok(f, v12(f, 0x04, 0x724, 1));
    assert_int_equal(ok(f, v12(f, 0x04, 0xF24, 0)), 0x00100001);
}

/* ---- Processing ------------------------------------------------------------------------------- */

static void test_coefficient_index_and_value_set_then_get(void **state)
{
    struct fx *f = *state;
    ok(f, v4(f, 0x20, 0x5, 0x0007));
    ok(f, v4(f, 0x20, 0x4, 0x1234));
    assert_int_equal(ok(f, v4(f, 0x20, 0xD, 0)), 0x0007);
    assert_int_equal(ok(f, v4(f, 0x20, 0xC, 0)), 0x1234);
    assert_int_equal(ok(f, v4(f, 0x20, 0xD, 0)), 0x0007);      /* no auto-increment */
    ok(f, v4(f, 0x20, 0x5, 0x0008));
    assert_int_equal(ok(f, v4(f, 0x20, 0xC, 0)), 0);
    ok(f, v12(f, 0x20, 0x703, 0x01));
    assert_int_equal(ok(f, v12(f, 0x20, 0xF03, 0)), 0x01);
    refused(f, v4(f, 0x02, 0x5, 0x0001));      /* not a processing widget */
    refused(f, v12(f, 0x02, 0xF03, 0));
}

static void test_dumped_coefficients_are_answered(void **state)
{
    struct fx *f = *state;
    assert_int_equal(ok(f, v4(f, 0x0b, 0xD, 0)), 0x0002);      /* "Coefficient Index: 0x02" */
    assert_int_equal(ok(f, v4(f, 0x0b, 0xC, 0)), 0xbeef);
    ok(f, v4(f, 0x0b, 0x5, 0x0000));
    assert_int_equal(ok(f, v4(f, 0x0b, 0xC, 0)), 0x1234);      /* "Coeff 0x00: 0x1234" */
    assert_int_equal(PARAM(f, 0x0b, 0x10), 0x301);
}

/* ---- Function group verbs ------------------------------------------------------------------- */

static void test_gpio_data_mask_direction(void **state)
{
    struct fx *f = *state;
    assert_int_equal(ok(f, v12(f, 0x01, 0xF15, 0)), 0x01);
    assert_int_equal(ok(f, v12(f, 0x01, 0xF16, 0)), 0x05);
    assert_int_equal(ok(f, v12(f, 0x01, 0xF17, 0)), 0x01);
    assert_int_equal(ok(f, v12(f, 0x01, 0xF19, 0)), 0x04);
    ok(f, v12(f, 0x01, 0x716, 0x07));
    ok(f, v12(f, 0x01, 0x717, 0x03));
    ok(f, v12(f, 0x01, 0x715, 0x02));
    assert_int_equal(ok(f, v12(f, 0x01, 0xF16, 0)), 0x07);
    assert_int_equal(ok(f, v12(f, 0x01, 0xF17, 0)), 0x03);
    assert_int_equal(ok(f, v12(f, 0x01, 0xF15, 0)), 0x02);
    ok(f, v12(f, 0x01, 0x714, 0x01));                      /* one GPO */
    assert_int_equal(ok(f, v12(f, 0x01, 0xF14, 0)), 0x01);
    refused(f, v12(f, 0x04, 0xF15, 0));                    /* GPIO lives on the AFG */
}

static void test_gpio_verbs_need_gpio_pins(void **state)
{
    struct fx *f = *state;
    ok(f, v12(f, 0x01, 0x715, 0x01));      /* ALC269VB: io=2 */
    refused(f, v12(f, 0x01, 0xF10, 0));    /* but no GPI */
    refused(f, v12(f, 0x01, 0x714, 1));    /* nor GPO */
}

static void test_volume_knob_and_beep_generator(void **state)
{
    struct fx *f = *state;
    assert_int_equal(PARAM(f, 0x07, 0x13), 0xff);
    assert_int_equal(ok(f, v12(f, 0x07, 0xF0F, 0)), 100);
    ok(f, v12(f, 0x07, 0x70F, 0x80 | 50));
    assert_int_equal(ok(f, v12(f, 0x07, 0xF0F, 0)), 0xb2);
    assert_int_equal(ok(f, v12(f, 0x06, 0xF0A, 0)), 0);
    ok(f, v12(f, 0x06, 0x70A, 0x40));
    assert_int_equal(ok(f, v12(f, 0x06, 0xF0A, 0)), 0x40);
    refused(f, v12(f, 0x0a, 0x70A, 0x40));
    refused(f, v12(f, 0x06, 0xF0F, 0));
    /* volume knob and power widget: lists without a selection */
    assert_int_equal(ok(f, v12(f, 0x07, 0xF02, 0)), 0x0a04);
    refused(f, v12(f, 0x08, 0xF01, 0));
}

static void test_subsystem_id_get_and_set_bytes(void **state)
{
    struct fx *f = *state;
    assert_int_equal(ok(f, v12(f, 0x01, 0xF20, 0)), 0x10431a13);
    ok(f, v12(f, 0x01, 0x720, 0xaa));
    ok(f, v12(f, 0x01, 0x723, 0x17));
    assert_int_equal(ok(f, v12(f, 0x01, 0xF20, 0)), 0x17431aaa);
    refused(f, v12(f, 0x02, 0xF20, 0));
}

static void test_device_list_and_select_of_an_mst_pin(void **state)
{
    struct fx *f = *state;
    assert_int_equal(PARAM(f, 0x09, 0x15), 2);     /* three entries */
    assert_int_equal(ok(f, v12(f, 0x09, 0xF36, 0)), 0x430);
    assert_int_equal(ok(f, v12(f, 0x09, 0xF35, 0)), 0);
    ok(f, v12(f, 0x09, 0x735, 2));
    assert_int_equal(ok(f, v12(f, 0x09, 0xF35, 0)), 2);
    refused(f, v12(f, 0x09, 0x735, 5));
    refused(f, v12(f, 0x0a, 0xF36, 0));
}

static void test_hdmi_verbs_on_a_digital_pin(void **state)
{
    struct fx *f = *state;
    assert_int_equal(ok(f, v12(f, 0x09, 0xF2F, 0)), 0);    /* no ELD */
    ok(f, v12(f, 0x09, 0x734, 0x21));                      /* channel 2 -> slot 1 */
    assert_int_equal(ok(f, v12(f, 0x09, 0xF34, 0x20)), 0x21);
    refused(f, v12(f, 0x0a, 0xF2F, 0));                    /* analog pin */
}

/* ---- Resets ------------------------------------------------------------------------------------ */

static void test_function_reset_restores_power_on_state(void **state)
{
    struct fx *f = *state;
    ok(f, v4(f, 0x0b, 0x3, 0x7000 | 0x1f));
    ok(f, v12(f, 0x21, 0x707, 0x00));
    ok(f, v12(f, 0x22, 0x701, 4));
    ok(f, v12(f, 0x02, 0x706, 0x10));
    ok(f, v12(f, 0x21, 0x71C, 0x00));
    ok(f, v12(f, 0x01, 0x7FF, 0));             /* function reset */
    assert_int_equal(ok(f, v4(f, 0x0b, 0xB, 0x2000)), 0x80);
    assert_int_equal(ok(f, v12(f, 0x21, 0xF07, 0)), 0xc0);
    assert_int_equal(ok(f, v12(f, 0x22, 0xF01, 0)), 0);
    assert_int_equal(ok(f, v12(f, 0x02, 0xF06, 0)), 0x00);
    /* the pin configuration survives (BIOS-programmed) */
    assert_int_equal(ok(f, v12(f, 0x21, 0xF1C, 0)), 0x01214000);
    refused(f, v12(f, 0x02, 0x7FF, 0));                    /* not on a widget */
}

static void test_link_reset_restores_power_on_state_and_keeps_pin_config(void **state)
{
    struct fx *f = *state;
    ok(f, v12(f, 0x14, 0x70C, 0x00));
    ok(f, v12(f, 0x14, 0x71E, 0x00));
    ok(f, v12(f, 0x01, 0x720, 0x00));
    hdabdl_codec_reset(f->codec);
    assert_int_equal(ok(f, v12(f, 0x14, 0xF0C, 0)), 0x2);
    assert_int_equal(ok(f, v12(f, 0x14, 0xF1C, 0)), 0x99000110);
    assert_int_equal(ok(f, v12(f, 0x01, 0xF20, 0)), 0x10431a00);
}

/* ---- Refusals ---------------------------------------------------------------------------------- */

static void test_unknown_verb_answers_zero_and_is_counted(void **state)
{
    struct fx *f = *state;
    struct hdabdl_codec_stats st;
    refused(f, v12(f, 0x02, 0xF7A, 0));        /* vendor verb the part lacks */
    refused(f, v4(f, 0x02, 0x6, 0x1234));      /* undefined 4-bit verb */
    refused(f, v12(f, 0x01, 0xF0B, 0));
    hdabdl_codec_get_stats(f->codec, &st);
    assert_int_equal(st.refused, 3);
    assert_int_equal(st.refused_unknown, 3);
    assert_int_equal(st.refused_bad_nid, 0);
    assert_int_equal(st.verbs, 3);
    assert_int_equal(st.last_refused, v12(f, 0x01, 0xF0B, 0));
}

static void test_verb_the_node_type_lacks_is_counted_as_wrong_node(void **state)
{
    struct fx *f = *state;
    struct hdabdl_codec_stats st;
    refused(f, v12(f, 0x00, 0xF07, 0));        /* root node: parameters only */
    refused(f, v12(f, 0x01, 0xF07, 0));        /* pin control on the AFG */
    refused(f, v4(f, 0x00, 0xB, 0x8000));
    hdabdl_codec_get_stats(f->codec, &st);
    assert_int_equal(st.refused_wrong_node, 3);
}

static void test_nid_out_of_range_answers_zero_and_is_counted(void **state)
{
    struct fx *f = *state;
    struct hdabdl_codec_stats st;
    refused(f, v12(f, 0x24, 0xF00, 0x09));
    refused(f, v12(f, 0x7f, 0xF07, 0));
    refused(f, v4(f, 0xff, 0xB, 0));
    hdabdl_codec_get_stats(f->codec, &st);
    assert_int_equal(st.refused_bad_nid, 3);
    assert_int_equal(hdabdl_codec_refused_verbs(f->codec), 3);
}

static void test_verb_for_another_address_gets_no_answer(void **state)
{
    struct fx *f = *state;
    uint32_t r = 0x1234;
    assert_false(hdabdl_codec_verb(f->codec, 0x1u << 28 | 0x000F0000u, &r));
    assert_int_equal(r, 0x1234);
    struct hdabdl_codec_stats st;
    hdabdl_codec_get_stats(f->codec, &st);
    assert_int_equal(st.verbs, 0);
    assert_int_equal(hdabdl_codec_address(f->codec), 0);
}

static void test_codec_answers_at_its_dumped_address(void **state)
{
    struct fx *f = *state;
    assert_int_equal(hdabdl_codec_address(f->codec), 2);
    assert_int_equal(PARAM(f, 0x00, 0x00), 0x11d41984);
    uint32_t r;
    assert_false(hdabdl_codec_verb(f->codec, 0x000F0000u, &r));
}

int main(void)
{
#define ALC(t) cmocka_unit_test_setup_teardown(t, setup_alc269, teardown)
#define SYN(t) cmocka_unit_test_setup_teardown(t, setup_synthetic, teardown)
    const struct CMUnitTest tests[] = {
        ALC(test_get_parameter_vendor_id_answers_the_dumped_id),
        ALC(test_get_parameter_node_counts_describe_the_tree),
        SYN(test_get_parameter_node_counts_include_the_modem_group),
        ALC(test_get_parameter_function_group_answers_default_pcm_amps_and_gpio),
        ALC(test_get_parameter_widget_caps_pcm_pin_and_amp_caps),
        ALC(test_unknown_parameter_is_refused),
        ALC(test_get_parameter_connection_list_length),
        ALC(test_get_connection_list_entries_short_form),
        SYN(test_get_connection_list_entries_long_form),
        ALC(test_connection_select_set_then_get),
        ALC(test_connection_select_on_a_mixer_is_refused),
        ALC(test_amp_power_on_values_come_from_the_dump),
        ALC(test_amp_gain_set_then_get_round_trips),
        ALC(test_amp_gain_is_clamped_and_mute_needs_the_capability),
        ALC(test_amp_on_a_widget_without_that_amp_is_refused),
        ALC(test_pin_widget_control_set_then_get),
        ALC(test_pin_config_default_get_and_set_bytes),
        ALC(test_eapd_btl_get_and_set),
        ALC(test_unsolicited_enable_set_then_get),
        ALC(test_pin_sense_reports_presence),
        SYN(test_power_state_set_reports_the_actual_state),
        SYN(test_unsupported_power_state_is_refused),
        ALC(test_converter_format_set_then_get),
        ALC(test_converter_stream_channel_set_then_get),
        SYN(test_digital_converter_verbs),
        ALC(test_coefficient_index_and_value_set_then_get),
        SYN(test_dumped_coefficients_are_answered),
        SYN(test_gpio_data_mask_direction),
        ALC(test_gpio_verbs_need_gpio_pins),
        SYN(test_volume_knob_and_beep_generator),
        ALC(test_subsystem_id_get_and_set_bytes),
        SYN(test_device_list_and_select_of_an_mst_pin),
        SYN(test_hdmi_verbs_on_a_digital_pin),
        ALC(test_function_reset_restores_power_on_state),
        ALC(test_link_reset_restores_power_on_state_and_keeps_pin_config),
        ALC(test_unknown_verb_answers_zero_and_is_counted),
        ALC(test_verb_the_node_type_lacks_is_counted_as_wrong_node),
        ALC(test_nid_out_of_range_answers_zero_and_is_counted),
        ALC(test_verb_for_another_address_gets_no_answer),
        SYN(test_codec_answers_at_its_dumped_address),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
