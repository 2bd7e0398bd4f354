/* SPDX-License-Identifier: MIT */
/*
 * test_codec_print.c - descriptions back to text: the proc printout reads back
 * to the same description (and is Linux's own text for a current dump), the
 * comparison names differences, JSON is well formed, copies are deep.
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

static struct hdabdl_codec_desc *parse_or_fail(const char *text, size_t len, size_t *n)
{
    struct hdabdl_codec_desc *d = NULL;
    struct hdabdl_codec_parse_error err;
    int rc = hdabdl_codec_parse(text, len, &d, n, &err);
    if (rc)
        fail_msg("parse failed: rc %d line %u: %s", rc, err.line, err.message);
    return d;
}

static struct hdabdl_codec_desc *sample(enum sample_id id)
{
    size_t len = 0, n = 0;
    char *text = sample_text(id, &len);
    assert_non_null(text);
    struct hdabdl_codec_desc *d = parse_or_fail(text, len, &n);
    free(text);
    assert_int_equal(n, 1);
    return d;
}

/* ---- Tests ----------------------------------------------------------------------------------- */

static void test_printout_reads_back_to_the_same_codec(void **state)
{
    (void)state;
    for (int s = 0; s < 2; s++) {
        struct hdabdl_codec_desc *d = sample(s ? SAMPLE_SYNTHETIC : SAMPLE_ALC269VB);
        size_t len = 0, n = 0;
        char *text = hdabdl_codec_desc_to_proc(d, &len);
        assert_non_null(text);
        assert_int_equal(strlen(text), len);
        struct hdabdl_codec_desc *back = parse_or_fail(text, len, &n);
        assert_int_equal(n, 1);
        char why[200];
        if (!hdabdl_codec_desc_equal(d, back, why, sizeof(why)))
            fail_msg("differs: %s", why);
        hdabdl_codec_desc_array_free(back, n);
        hdabdl_codec_desc_array_free(d, 1);
        free(text);
    }
}

static void test_printout_is_linux_text_for_a_current_dump(void **state)
{
    (void)state;
    for (int s = 0; s < 2; s++) {
        size_t len = 0, n = 0, plen = 0;
        char *orig = sample_text(s ? SAMPLE_SYNTHETIC : SAMPLE_ALC269VB, &len);
        struct hdabdl_codec_desc *d = parse_or_fail(orig, len, &n);
        char *text = hdabdl_codec_desc_to_proc(d, &plen);
        assert_string_equal(text, orig);
        free(text);
        free(orig);
        hdabdl_codec_desc_array_free(d, n);
    }
}

static void test_printout_of_old_formats_is_current_format_and_reads_back(void **state)
{
    (void)state;
    const char *old =
        "Codec: SigmaTel STAC9200\n"
        "Address: 0\n"
        "Function Id: 0x1\n"
        "Vendor Id: 0x83847690\n"
        "Subsystem Id: 0x102801d4\n"
        "Revision Id: 0x102201\n"
        "Default PCM: rates 0x7e0, bits 0x0e, types 0x1\n"
        "Node 0x02 [Audio Output] wcaps 0xd0401: Stereo\n"
        "  Power: 0x0\n"
        "Node 0x08 [Pin Complex] wcaps 0x430681: Stereo Digital\n"
        "  Amp-In vals: 0x00 0x80\n"
        "  Pincap 0x0810024: IN\n";
    size_t n, plen, n2;
    struct hdabdl_codec_desc *d = parse_or_fail(old, strlen(old), &n);
    char *text = hdabdl_codec_desc_to_proc(d, &plen);
    assert_non_null(strstr(text, "AFG Function Id: 0x1 (unsol 0)\n"));
    assert_non_null(strstr(text, "Default PCM:\n    rates [0x7e0]: 44100 48000 88200 96000 176400 192000\n"));
    assert_non_null(strstr(text, "  Power: setting=D0, actual=D0\n"));
    assert_non_null(strstr(text, "  Pincap 0x00010024: IN EAPD Detect\n"));
    assert_non_null(strstr(text, "  Amp-In vals:  [0x00 0x80]\n"));
    assert_non_null(strstr(text, "  Delay: 13 samples\n"));
    struct hdabdl_codec_desc *back = parse_or_fail(text, plen, &n2);
    assert_true(hdabdl_codec_desc_equal(d, back, NULL, 0));
    hdabdl_codec_desc_array_free(back, n2);
    hdabdl_codec_desc_array_free(d, n);
    free(text);
}

static void test_compare_names_the_first_difference(void **state)
{
    (void)state;
    struct hdabdl_codec_desc *a = sample(SAMPLE_ALC269VB);
    struct hdabdl_codec_desc b;
    assert_int_equal(hdabdl_codec_desc_copy(&b, a), 0);
    char why[200];
    assert_true(hdabdl_codec_desc_equal(a, &b, why, sizeof(why)));
    assert_string_equal(why, "");

    struct hdabdl_codec_node *n = (struct hdabdl_codec_node *)hdabdl_codec_desc_node(&b, 0x0c);
    n->amp_in.vals[1][0] = 0x00;
    assert_false(hdabdl_codec_desc_equal(a, &b, why, sizeof(why)));
    assert_string_equal(why, "node 0x0c amp_in.vals[1][0]: 0x80 != 0x00");
    n->amp_in.vals[1][0] = 0x80;

    b.vendor_id = 0x10ec0270;
    assert_false(hdabdl_codec_desc_equal(a, &b, why, sizeof(why)));
    assert_non_null(strstr(why, "vendor_id"));
    b.vendor_id = a->vendor_id;

    /* line numbers are not part of a description's identity */
    b.nodes[3].line = 999;
    b.line = 77;
    assert_true(hdabdl_codec_desc_equal(a, &b, NULL, 0));
    hdabdl_codec_desc_clear(&b);
    assert_int_equal(b.nnodes, 0);
    hdabdl_codec_desc_array_free(a, 1);
}

static void test_desc_copy_is_deep(void **state)
{
    (void)state;
    struct hdabdl_codec_desc *a = sample(SAMPLE_SYNTHETIC);
    struct hdabdl_codec_desc b;
    assert_int_equal(hdabdl_codec_desc_copy(&b, a), 0);
    assert_ptr_not_equal(a->nodes, b.nodes);
    hdabdl_codec_desc_array_free(a, 1);     /* b survives its source */
    assert_int_equal(b.nodes[0].nid, 0x03);
    assert_int_equal(hdabdl_codec_desc_node(&b, 0x0d)->conn[2], 0x100);
    assert_null(hdabdl_codec_desc_node(&b, 0x42));
    hdabdl_codec_desc_clear(&b);
}

static void test_json_is_structurally_valid(void **state)
{
    (void)state;
    for (int s = 0; s < 2; s++) {
        struct hdabdl_codec_desc *d = sample(s ? SAMPLE_SYNTHETIC : SAMPLE_ALC269VB);
        size_t len = 0;
        char *json = hdabdl_codec_desc_to_json(d, &len);
        assert_non_null(json);
        assert_int_equal(strlen(json), len);
        assert_true(json_valid(json, len));
        /* a few members where they belong */
        assert_non_null(strstr(json, "\"vendor_id\":"));
        assert_non_null(strstr(json, "\"nodes\":["));
        int nodes = 0;
        for (const char *p = json; (p = strstr(p, "{\"nid\":")) != NULL; p++)
            nodes++;
        assert_int_equal(nodes, (int)d->nnodes);
        if (s == 0) {
            assert_non_null(strstr(json, "\"name\":\"Realtek ALC269VB\""));
            assert_non_null(strstr(json, "\"vendor_id\":283902569"));   /* 0x10ec0269 */
            assert_non_null(strstr(json, "{\"nid\":34,\"type\":\"Audio Selector\""));
            assert_non_null(strstr(json, "\"connections\":{\"count\":7,\"list\":[24,25,26,27,29,11,18],\"selected\":0}"));
        }
        free(json);
        hdabdl_codec_desc_array_free(d, 1);
    }
}

static void test_json_checker_rejects_broken_json(void **state)
{
    (void)state;
    static const char *const bad[] = { "{", "{\"a\":}", "[1,]", "{\"a\" 1}", "[01]", "\"\x01\"", "{}x", "" };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_false(json_valid(bad[i], strlen(bad[i])));
    { const char *good = "{\"a\":[1,-2,{\"b\":true}],\"c\":\"\\u00e9\"}"; assert_true(json_valid(good, strlen(good))); }
}

static void test_json_escapes_quotes_and_non_ascii_in_names(void **state)
{
    (void)state;
    const char *text =
        "Codec: Caf\xc3\xa9 \"quoted\" \\ name\n"
        "Address: 0\n"
        "Vendor Id: 0x10ec0269\n"
        "Subsystem Id: 0x0\n"
        "Revision Id: 0x0\n"
        "Node 0x02 [Audio Output] wcaps 0x1d: Stereo Amp-Out\n"
        "  Control: name=\"Say \"hi\"\", index=0, device=0\n";
    size_t n, len;
    struct hdabdl_codec_desc *d = parse_or_fail(text, strlen(text), &n);
    assert_string_equal(d->nodes[0].controls[0].name, "Say \"hi\"");
    char *json = hdabdl_codec_desc_to_json(d, &len);
    assert_true(json_valid(json, len));
    assert_non_null(strstr(json, "\"name\":\"Caf\\u00c3\\u00a9 \\\"quoted\\\" \\\\ name\""));
    assert_non_null(strstr(json, "\"name\":\"Say \\\"hi\\\"\""));
    free(json);
    /* and the quoted control name prints back */
    char *proc = hdabdl_codec_desc_to_proc(d, &len);
    size_t n2;
    struct hdabdl_codec_desc *back = parse_or_fail(proc, len, &n2);
    assert_true(hdabdl_codec_desc_equal(d, back, NULL, 0));
    hdabdl_codec_desc_array_free(back, n2);
    free(proc);
    hdabdl_codec_desc_array_free(d, n);
}

static void test_widget_type_names_follow_linux(void **state)
{
    (void)state;
    assert_string_equal(hdabdl_codec_widget_type_name(HDABDL_WIDGET_AUDIO_OUTPUT), "Audio Output");
    assert_string_equal(hdabdl_codec_widget_type_name(HDABDL_WIDGET_VOLUME_KNOB), "Volume Knob Widget");
    assert_string_equal(hdabdl_codec_widget_type_name(HDABDL_WIDGET_VENDOR_DEFINED), "Vendor Defined Widget");
    assert_string_equal(hdabdl_codec_widget_type_name(0x9), "UNKNOWN Widget");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_printout_reads_back_to_the_same_codec),
        cmocka_unit_test(test_printout_is_linux_text_for_a_current_dump),
        cmocka_unit_test(test_printout_of_old_formats_is_current_format_and_reads_back),
        cmocka_unit_test(test_compare_names_the_first_difference),
        cmocka_unit_test(test_desc_copy_is_deep),
        cmocka_unit_test(test_json_is_structurally_valid),
        cmocka_unit_test(test_json_checker_rejects_broken_json),
        cmocka_unit_test(test_json_escapes_quotes_and_non_ascii_in_names),
        cmocka_unit_test(test_widget_type_names_follow_linux),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
