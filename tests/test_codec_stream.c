/* SPDX-License-Identifier: MIT */
/*
 * test_codec_stream.c - what a codec offers the controller model besides
 * verbs: jack events and the unsolicited queue, converters by stream tag,
 * the byte ring of output converters, the capture source; and creation
 * arguments.
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

static struct hdabdl_codec_desc *load(enum sample_id id)
{
    size_t len = 0, n = 0;
    char *text = sample_text(id, &len);
    struct hdabdl_codec_desc *d = NULL;
    struct hdabdl_codec_parse_error err;
    assert_non_null(text);
    assert_int_equal(hdabdl_codec_parse(text, len, &d, &n, &err), 0);
    free(text);
    return d;
}

static struct hdabdl_codec *make(enum sample_id id, const struct hdabdl_codec_config *cfg)
{
    struct hdabdl_codec_desc *d = load(id);
    struct hdabdl_codec *c = NULL;
    assert_int_equal(hdabdl_codec_create(d, cfg, &c), 0);
    hdabdl_codec_desc_array_free(d, 1);
    return c;
}

static uint32_t send(struct hdabdl_codec *c, unsigned nid, unsigned verb, unsigned payload)
{
    uint32_t r = 0;
    uint32_t v = (uint32_t)hdabdl_codec_address(c) << 28 | (uint32_t)nid << 20;
    if (verb > 0xF)
        v |= (uint32_t)verb << 8 | (payload & 0xFF);
    else
        v |= (uint32_t)verb << 16 | (payload & 0xFFFF);
    assert_true(hdabdl_codec_verb(c, v, &r));
    return r;
}

/* ---- Jacks -------------------------------------------------------------------------------------- */

static void test_jack_plug_with_unsol_enabled_queues_a_tagged_response(void **state)
{
    (void)state;
    struct hdabdl_codec *c = make(SAMPLE_ALC269VB, NULL);
    uint32_t res;
    /* 0x21 (headphone) has "Unsolicited: tag=01, enabled=1" */
    assert_false(hdabdl_codec_pop_unsolicited(c, &res));
    assert_true(hdabdl_codec_set_jack(c, 0x21, true));
    assert_int_equal(hdabdl_codec_unsolicited_pending(c), 1);
    assert_true(hdabdl_codec_pop_unsolicited(c, &res));
    assert_int_equal(res, 0x01u << 26);
    assert_int_equal(res >> 26, 1);                 /* tag, bits 31:26 */
    assert_int_equal((res >> 21) & 0x1f, 0);        /* subtag */
    assert_false(hdabdl_codec_pop_unsolicited(c, &res));
    /* unplugging is an event too */
    assert_true(hdabdl_codec_set_jack(c, 0x21, false));
    assert_true(hdabdl_codec_pop_unsolicited(c, &res));
    assert_int_equal(res, 0x01u << 26);
    /* the driver re-tags the pin: the next event carries the new tag */
    send(c, 0x21, 0x708, 0x80 | 0x2a);
    hdabdl_codec_set_jack(c, 0x21, true);
    assert_true(hdabdl_codec_pop_unsolicited(c, &res));
    assert_int_equal(res, 0x2au << 26);
    hdabdl_codec_destroy(c);
}

static void test_jack_plug_without_unsol_enabled_queues_nothing(void **state)
{
    (void)state;
    struct hdabdl_codec *c = make(SAMPLE_ALC269VB, NULL);
    /* 0x1a: unsol capable, "enabled=0" */
    assert_true(hdabdl_codec_set_jack(c, 0x1a, true));
    assert_int_equal(hdabdl_codec_unsolicited_pending(c), 0);
    assert_int_equal(send(c, 0x1a, 0xF09, 0), 0x80000000);   /* sense still reports it */
    /* enabled, but then disabled again */
    send(c, 0x21, 0x708, 0x01);
    hdabdl_codec_set_jack(c, 0x21, true);
    assert_int_equal(hdabdl_codec_unsolicited_pending(c), 0);
    hdabdl_codec_destroy(c);
}

static void test_jack_state_unchanged_queues_nothing(void **state)
{
    (void)state;
    struct hdabdl_codec *c = make(SAMPLE_ALC269VB, NULL);
    assert_true(hdabdl_codec_set_jack(c, 0x21, false));     /* already empty */
    assert_int_equal(hdabdl_codec_unsolicited_pending(c), 0);
    assert_true(hdabdl_codec_set_jack(c, 0x21, true));
    assert_true(hdabdl_codec_set_jack(c, 0x21, true));
    assert_int_equal(hdabdl_codec_unsolicited_pending(c), 1);
    hdabdl_codec_destroy(c);
}

static void test_hdmi_jack_response_carries_pd_and_eldv(void **state)
{
    (void)state;
    struct hdabdl_codec *c = make(SAMPLE_SYNTHETIC, NULL);
    uint32_t res;
    /* 0x09: DP pin, "Unsolicited: tag=03, enabled=1" */
    assert_int_equal(send(c, 0x09, 0xF09, 0), 0);
    assert_true(hdabdl_codec_set_jack(c, 0x09, true));
    assert_true(hdabdl_codec_pop_unsolicited(c, &res));
    assert_int_equal(res, 0x03u << 26 | 0x3);
    assert_int_equal(send(c, 0x09, 0xF09, 0), 0xC0000000);  /* presence + ELD valid */
    assert_true(hdabdl_codec_set_jack(c, 0x09, false));
    assert_true(hdabdl_codec_pop_unsolicited(c, &res));
    assert_int_equal(res, 0x03u << 26);
    hdabdl_codec_destroy(c);
}

static void test_unsolicited_queue_overflow_is_counted(void **state)
{
    (void)state;
    struct hdabdl_codec_desc *d = load(SAMPLE_ALC269VB);
    struct hdabdl_codec_config cfg;
    hdabdl_codec_config_default(&cfg, d);
    cfg.unsol_capacity = 2;
    struct hdabdl_codec *c = NULL;
    assert_int_equal(hdabdl_codec_create(d, &cfg, &c), 0);
    hdabdl_codec_desc_array_free(d, 1);
    for (int i = 0; i < 5; i++)
        hdabdl_codec_set_jack(c, 0x21, i % 2 == 0);
    assert_int_equal(hdabdl_codec_unsolicited_pending(c), 2);
    struct hdabdl_codec_stats st;
    hdabdl_codec_get_stats(c, &st);
    assert_int_equal(st.unsol_dropped, 3);
    /* a link reset empties the queue */
    hdabdl_codec_reset(c);
    assert_int_equal(hdabdl_codec_unsolicited_pending(c), 0);
    hdabdl_codec_destroy(c);
}

static void test_set_jack_on_a_non_pin_fails(void **state)
{
    (void)state;
    struct hdabdl_codec *c = make(SAMPLE_ALC269VB, NULL);
    assert_false(hdabdl_codec_set_jack(c, 0x0b, true));
    assert_false(hdabdl_codec_set_jack(c, 0x7e, true));
    assert_int_equal(hdabdl_codec_unsolicited_pending(c), 0);
    hdabdl_codec_destroy(c);
}

/* ---- Converters and sinks ------------------------------------------------------------------------ */

static void test_find_converters_by_stream_tag(void **state)
{
    (void)state;
    struct hdabdl_codec *c = make(SAMPLE_ALC269VB, NULL);
    struct hdabdl_codec_converter conv[4];
    /* nothing is connected at power-on, whatever tags the dump shows */
    assert_int_equal(hdabdl_codec_find_converters(c, 8, true, conv, 4), 0);
    send(c, 0x02, 0x706, 0x80);
    send(c, 0x03, 0x706, 0x80);
    send(c, 0x06, 0x706, 0x80);
    send(c, 0x08, 0x706, 0x40);
    assert_int_equal(hdabdl_codec_find_converters(c, 8, true, conv, 4), 3);
    assert_int_equal(conv[0].nid, 0x02);
    assert_int_equal(conv[1].nid, 0x03);
    assert_int_equal(conv[2].nid, 0x06);
    assert_true(conv[2].digital);
    assert_false(conv[0].digital);
    assert_int_equal(conv[0].format, 0x0011);
    assert_int_equal(conv[0].channels, 2);
    assert_true(conv[0].powered);
    /* only what fits is written; the count is complete */
    assert_int_equal(hdabdl_codec_find_converters(c, 8, true, conv, 1), 3);
    assert_int_equal(hdabdl_codec_find_converters(c, 8, true, NULL, 0), 3);
    /* the driver moves 0x03 to stream 5 channel 2, 6 channels of 24 bit at 96 kHz */
    send(c, 0x03, 0x706, 0x52);
    send(c, 0x03, 0x2, 0x0835);
    assert_int_equal(hdabdl_codec_find_converters(c, 5, true, conv, 4), 1);
    assert_int_equal(conv[0].nid, 0x03);
    assert_int_equal(conv[0].channel, 2);
    assert_int_equal(conv[0].channels, 6);
    assert_int_equal(conv[0].format, 0x0835);
    /* capture: ADC 0x08 was put on stream 4 */
    assert_int_equal(hdabdl_codec_find_converters(c, 4, false, conv, 4), 1);
    assert_int_equal(conv[0].nid, 0x08);
    assert_int_equal(hdabdl_codec_find_converters(c, 4, true, conv, 4), 0);
    assert_int_equal(hdabdl_codec_find_converters(c, 0, false, conv, 4), 0);    /* tag 0: unconnected */
    hdabdl_codec_destroy(c);
}

static void test_find_converters_reports_power(void **state)
{
    (void)state;
    struct hdabdl_codec *c = make(SAMPLE_SYNTHETIC, NULL);
    struct hdabdl_codec_converter conv[2];
    send(c, 0x03, 0x706, 0x10);     /* 0x03 was dumped in D3 */
    send(c, 0x04, 0x706, 0x10);
    assert_int_equal(hdabdl_codec_find_converters(c, 1, true, conv, 2), 2);
    assert_false(conv[0].powered);
    assert_true(conv[1].powered);
    send(c, 0x03, 0x705, 0x0);
    hdabdl_codec_find_converters(c, 1, true, conv, 2);
    assert_true(conv[0].powered);
    send(c, 0x01, 0x705, 0x3);      /* the whole group to D3 */
    hdabdl_codec_find_converters(c, 1, true, conv, 2);
    assert_false(conv[0].powered);
    assert_false(conv[1].powered);
    hdabdl_codec_destroy(c);
}

static void test_converter_consume_records_bytes_in_a_ring(void **state)
{
    (void)state;
    struct hdabdl_codec *c = make(SAMPLE_ALC269VB, NULL);
    uint8_t in[1000], out[1000];
    for (size_t i = 0; i < sizeof(in); i++)
        in[i] = (uint8_t)(i * 7);
    assert_int_equal(hdabdl_codec_converter_consume(c, 0x02, in, 600), 600);
    assert_int_equal(hdabdl_codec_converter_consume(c, 0x02, in + 600, 400), 400);
    assert_int_equal(hdabdl_codec_converter_available(c, 0x02), 1000);
    assert_int_equal(hdabdl_codec_converter_available(c, 0x03), 0);    /* rings are per converter */
    assert_int_equal(hdabdl_codec_converter_read(c, 0x02, out, 300), 300);
    assert_int_equal(hdabdl_codec_converter_read(c, 0x02, out + 300, 1000), 700);
    assert_memory_equal(in, out, sizeof(in));
    assert_int_equal(hdabdl_codec_converter_available(c, 0x02), 0);
    assert_int_equal(hdabdl_codec_converter_total(c, 0x02), 1000);
    assert_int_equal(hdabdl_codec_converter_dropped(c, 0x02), 0);
    /* only output converters have a sink */
    assert_int_equal(hdabdl_codec_converter_consume(c, 0x08, in, 10), 0);
    assert_int_equal(hdabdl_codec_converter_consume(c, 0x14, in, 10), 0);
    assert_int_equal(hdabdl_codec_converter_read(c, 0x14, out, 10), 0);
    hdabdl_codec_destroy(c);
}

static void test_converter_ring_drops_oldest_when_full(void **state)
{
    (void)state;
    struct hdabdl_codec_desc *d = load(SAMPLE_ALC269VB);
    struct hdabdl_codec_config cfg;
    hdabdl_codec_config_default(&cfg, d);
    cfg.sink_capacity = 64;
    struct hdabdl_codec *c = NULL;
    assert_int_equal(hdabdl_codec_create(d, &cfg, &c), 0);
    hdabdl_codec_desc_array_free(d, 1);
    uint8_t in[200], out[64];
    for (size_t i = 0; i < sizeof(in); i++)
        in[i] = (uint8_t)i;
    hdabdl_codec_converter_consume(c, 0x03, in, 50);
    hdabdl_codec_converter_consume(c, 0x03, in + 50, 30);  /* 80 > 64: 16 oldest dropped */
    assert_int_equal(hdabdl_codec_converter_available(c, 0x03), 64);
    assert_int_equal(hdabdl_codec_converter_dropped(c, 0x03), 16);
    assert_int_equal(hdabdl_codec_converter_read(c, 0x03, out, 64), 64);
    assert_memory_equal(out, in + 16, 64);
    /* one write larger than the ring keeps its newest bytes */
    hdabdl_codec_converter_consume(c, 0x03, in, 10);
    hdabdl_codec_converter_consume(c, 0x03, in, 200);
    assert_int_equal(hdabdl_codec_converter_read(c, 0x03, out, 64), 64);
    assert_memory_equal(out, in + 136, 64);
    assert_int_equal(hdabdl_codec_converter_total(c, 0x03), 290);
    assert_int_equal(hdabdl_codec_converter_dropped(c, 0x03), 16 + 10 + 136);
    hdabdl_codec_destroy(c);
}

struct source_log {
    unsigned calls;
    uint8_t nid;
    uint16_t format;
};

static void ramp_source(void *ctx, uint8_t nid, uint16_t format, void *buf, size_t len)
{
    struct source_log *log = ctx;
    log->calls++;
    log->nid = nid;
    log->format = format;
    for (size_t i = 0; i < len; i++)
        ((uint8_t *)buf)[i] = (uint8_t)(i + 1);
}

static void test_capture_source_fills_input_converter(void **state)
{
    (void)state;
    struct hdabdl_codec *c = make(SAMPLE_ALC269VB, NULL);
    struct source_log log = { 0, 0, 0 };
    uint8_t buf[16];
    hdabdl_codec_set_source(c, ramp_source, &log);
    send(c, 0x08, 0x2, 0x0031);
    assert_int_equal(hdabdl_codec_converter_produce(c, 0x08, buf, sizeof(buf)), sizeof(buf));
    assert_int_equal(log.calls, 1);
    assert_int_equal(log.nid, 0x08);
    assert_int_equal(log.format, 0x0031);
    assert_int_equal(buf[0], 1);
    assert_int_equal(buf[15], 16);
    /* not an input converter: nothing happens */
    memset(buf, 0xaa, sizeof(buf));
    assert_int_equal(hdabdl_codec_converter_produce(c, 0x02, buf, sizeof(buf)), 0);
    assert_int_equal(buf[0], 0xaa);
    assert_int_equal(log.calls, 1);
    hdabdl_codec_destroy(c);
}

static void test_capture_without_source_gives_zeros(void **state)
{
    (void)state;
    struct hdabdl_codec *c = make(SAMPLE_ALC269VB, NULL);
    uint8_t buf[8];
    memset(buf, 0x55, sizeof(buf));
    assert_int_equal(hdabdl_codec_converter_produce(c, 0x09, buf, sizeof(buf)), sizeof(buf));
    for (size_t i = 0; i < sizeof(buf); i++)
        assert_int_equal(buf[i], 0);
    struct source_log log = { 0, 0, 0 };
    hdabdl_codec_set_source(c, ramp_source, &log);
    hdabdl_codec_set_source(c, NULL, NULL);
    hdabdl_codec_converter_produce(c, 0x09, buf, sizeof(buf));
    assert_int_equal(log.calls, 0);
    hdabdl_codec_destroy(c);
}


/* ---- Whole streams ------------------------------------------------------------------------------ */

static void test_stream_render_splits_a_four_channel_stream_over_two_dacs(void **state)
{
    (void)state;
    struct hdabdl_codec *c = make(SAMPLE_ALC269VB, NULL);
    /* front on 0x02 (channels 0-1), rear on 0x03 (channels 2-3), 16-bit, stream 1 */
    send(c, 0x02, 0x706, 0x10);
    send(c, 0x03, 0x706, 0x12);
    send(c, 0x02, 0x2, 0x0011);
    send(c, 0x03, 0x2, 0x0011);
    uint8_t stream[3 * 4 * 2 + 5];  /* three frames and a partial one */
    for (size_t i = 0; i < sizeof(stream); i++)
        stream[i] = (uint8_t)i;
    assert_int_equal(hdabdl_codec_stream_render(c, 1, 0x0013, stream, sizeof(stream)), 2);
    uint8_t out[16];
    assert_int_equal(hdabdl_codec_converter_available(c, 0x02), 12);
    assert_int_equal(hdabdl_codec_converter_available(c, 0x03), 12);
    hdabdl_codec_converter_read(c, 0x02, out, sizeof(out));
    const uint8_t front[12] = { 0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19 };
    assert_memory_equal(out, front, 12);
    hdabdl_codec_converter_read(c, 0x03, out, sizeof(out));
    const uint8_t rear[12] = { 4, 5, 6, 7, 12, 13, 14, 15, 20, 21, 22, 23 };
    assert_memory_equal(out, rear, 12);
    /* a stereo stream to one DAC goes through whole */
    send(c, 0x03, 0x706, 0x20);
    assert_int_equal(hdabdl_codec_stream_render(c, 2, 0x0011, stream, 16), 1);
    assert_int_equal(hdabdl_codec_converter_read(c, 0x03, out, sizeof(out)), 16);
    assert_memory_equal(out, stream, 16);
    /* nobody on stream 9; a reserved bit depth is not a stream */
    assert_int_equal(hdabdl_codec_stream_render(c, 9, 0x0011, stream, 16), 0);
    assert_int_equal(hdabdl_codec_stream_render(c, 1, 0x0071, stream, 16), 0);
    hdabdl_codec_destroy(c);
}

static void test_stream_render_skips_converters_not_in_d0(void **state)
{
    (void)state;
    struct hdabdl_codec *c = make(SAMPLE_SYNTHETIC, NULL);
    uint8_t stream[32] = { 0 };
    send(c, 0x03, 0x706, 0x10);     /* dumped in D3 */
    send(c, 0x04, 0x706, 0x10);
    assert_int_equal(hdabdl_codec_stream_render(c, 1, 0x0011, stream, sizeof(stream)), 1);
    assert_int_equal(hdabdl_codec_converter_available(c, 0x03), 0);
    assert_int_equal(hdabdl_codec_converter_available(c, 0x04), 32);
    send(c, 0x03, 0x705, 0x0);
    assert_int_equal(hdabdl_codec_stream_render(c, 1, 0x0011, stream, sizeof(stream)), 2);
    /* 32-bit containers for 24-bit samples: 8 bytes a stereo frame */
    send(c, 0x04, 0x2, 0x0031);
    assert_int_equal(hdabdl_codec_stream_render(c, 1, 0x0031, stream, 20), 2);
    assert_int_equal(hdabdl_codec_converter_available(c, 0x04), 32 + 32 + 16);
    hdabdl_codec_destroy(c);
}

static void test_stream_capture_puts_the_adc_into_its_slot(void **state)
{
    (void)state;
    struct hdabdl_codec *c = make(SAMPLE_ALC269VB, NULL);
    struct source_log log = { 0, 0, 0 };
    hdabdl_codec_set_source(c, ramp_source, &log);
    send(c, 0x08, 0x706, 0x42);     /* stream 4, channels 2-3 */
    send(c, 0x08, 0x2, 0x0011);
    uint8_t buf[2 * 4 * 2];
    memset(buf, 0xee, sizeof(buf));
    assert_int_equal(hdabdl_codec_stream_capture(c, 4, 0x0013, buf, sizeof(buf)), 1);
    const uint8_t want[16] = { 0, 0, 0, 0, 1, 2, 3, 4, 0, 0, 0, 0, 5, 6, 7, 8 };
    assert_memory_equal(buf, want, sizeof(want));
    assert_int_equal(log.nid, 0x08);
    /* no converter on the tag: the buffer is left alone */
    memset(buf, 0xee, sizeof(buf));
    assert_int_equal(hdabdl_codec_stream_capture(c, 3, 0x0013, buf, sizeof(buf)), 0);
    assert_int_equal(buf[0], 0xee);
    hdabdl_codec_destroy(c);
}

/* ---- Creation ------------------------------------------------------------------------------------- */

static void test_codec_create_rejects_bad_arguments(void **state)
{
    (void)state;
    struct hdabdl_codec_desc *d = load(SAMPLE_ALC269VB);
    struct hdabdl_codec_config cfg;
    struct hdabdl_codec *c = (struct hdabdl_codec *)1;
    hdabdl_codec_config_default(&cfg, d);
    assert_int_equal(cfg.address, 0);
    assert_int_equal(cfg.sink_capacity, 64 * 1024);
    cfg.address = 15;
    assert_int_equal(hdabdl_codec_create(d, &cfg, &c), -EINVAL);
    assert_null(c);
    cfg.address = 3;
    cfg.unsol_capacity = 0;
    assert_int_equal(hdabdl_codec_create(d, &cfg, &c), -EINVAL);
    assert_int_equal(hdabdl_codec_create(NULL, NULL, &c), -EINVAL);
    /* a description with a node where the AFG is */
    d->nodes[0].nid = 0x01;
    assert_int_equal(hdabdl_codec_create(d, NULL, &c), -EINVAL);
    d->nodes[0].nid = 0x02;
    /* another address than the dump's */
    cfg.unsol_capacity = 4;
    assert_int_equal(hdabdl_codec_create(d, &cfg, &c), 0);
    assert_int_equal(hdabdl_codec_address(c), 3);
    uint32_t r;
    assert_true(hdabdl_codec_verb(c, 0x3u << 28 | 0x000F0000u, &r));
    assert_int_equal(r, 0x10ec0269);
    assert_string_equal(hdabdl_codec_description(c)->name, "Realtek ALC269VB");
    hdabdl_codec_destroy(c);
    hdabdl_codec_destroy(NULL);
    hdabdl_codec_desc_array_free(d, 1);
}

static void test_codec_from_a_modem_only_dump_answers_its_root(void **state)
{
    (void)state;
    const char *text =
        "Codec: Generic 14f1 ID 2bfa\n"
        "Address: 1\n"
        "Vendor Id: 0x14f12bfa\n"
        "Subsystem Id: 0x103c30aa\n"
        "Revision Id: 0x90000\n"
        "Modem Function Group: 0x1\n";
    struct hdabdl_codec_desc *d;
    size_t n;
    struct hdabdl_codec_parse_error err;
    assert_int_equal(hdabdl_codec_parse(text, strlen(text), &d, &n, &err), 0);
    struct hdabdl_codec *c;
    assert_int_equal(hdabdl_codec_create(d, NULL, &c), 0);
    hdabdl_codec_desc_array_free(d, n);
    assert_int_equal(send(c, 0x00, 0xF00, 0x04), 0x00010001);
    assert_int_equal(send(c, 0x01, 0xF00, 0x05), 0x02);
    assert_int_equal(send(c, 0x01, 0xF20, 0), 0x103c30aa);
    assert_int_equal(send(c, 0x02, 0xF00, 0x09), 0);
    assert_int_equal(hdabdl_codec_refused_verbs(c), 1);
    hdabdl_codec_destroy(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_jack_plug_with_unsol_enabled_queues_a_tagged_response),
        cmocka_unit_test(test_jack_plug_without_unsol_enabled_queues_nothing),
        cmocka_unit_test(test_jack_state_unchanged_queues_nothing),
        cmocka_unit_test(test_hdmi_jack_response_carries_pd_and_eldv),
        cmocka_unit_test(test_unsolicited_queue_overflow_is_counted),
        cmocka_unit_test(test_set_jack_on_a_non_pin_fails),
        cmocka_unit_test(test_find_converters_by_stream_tag),
        cmocka_unit_test(test_find_converters_reports_power),
        cmocka_unit_test(test_converter_consume_records_bytes_in_a_ring),
        cmocka_unit_test(test_converter_ring_drops_oldest_when_full),
        cmocka_unit_test(test_capture_source_fills_input_converter),
        cmocka_unit_test(test_capture_without_source_gives_zeros),
        cmocka_unit_test(test_stream_render_splits_a_four_channel_stream_over_two_dacs),
        cmocka_unit_test(test_stream_render_skips_converters_not_in_d0),
        cmocka_unit_test(test_stream_capture_puts_the_adc_into_its_slot),
        cmocka_unit_test(test_codec_create_rejects_bad_arguments),
        cmocka_unit_test(test_codec_from_a_modem_only_dump_answers_its_root),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
