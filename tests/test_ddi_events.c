/* SPDX-License-Identifier: MIT */
/*
 * test_ddi_events.c - RegisterEventCallback / UnregisterEventCallback and the
 * delivery of unsolicited responses (ddi.md §4.16, §4.17, §5.2, §10 #9;
 * hdabdl.h "Codec verbs, unsolicited responses"): up to 64 unique 6-bit tags
 * per codec (the client's codec address); a response from that codec with
 * that tag calls the routine with the response by value (IsValid = 1,
 * IsUnsolicitedResponse = 1, SDataIn = the codec, Unsolicited.Tag = the tag);
 * other routines are not called; responses nobody registered for are counted
 * as dropped.
 *
 * Jack events come from the codec model: a pin is programmed with
 * SET_UNSOLICITED_ENABLE (0x708, payload 0x80 | tag) through
 * hdabdl_transfer_codec_verbs, then hdabdl_codec_set_jack() changes presence
 * and the codec queues the response; hdabdl_mock_hal_advance() carries it over
 * the link into the RIRB and delivers the interrupt.
 */
#include "support/fixture.h"

#include <string.h>

#include "hdabdl/codec.h"

#define VENDOR_A 0x14f15069u
#define VENDOR_B 0x10ec0888u

static struct hdabdl_codec *codec0; /* fixture codec at address 0 (setups below) */
static struct hdabdl_codec *codec2; /* at address 2 */

/* ---- Recording callbacks ----------------------------------------------------------------------- */

#define EV_LOG_MAX 16

struct ev_log {
    unsigned calls;
    void *context;                      /* as received */
    hdabdl_codec_response responses[EV_LOG_MAX];
};

/* Logs outlive a failed test: the teardown may still deliver events to them. */
static struct ev_log ev_logs[4];
static unsigned ev_logs_used;

static struct ev_log *new_ev_log(void)
{
    assert_true(ev_logs_used < 4);
    struct ev_log *log = &ev_logs[ev_logs_used++];
    memset(log, 0, sizeof(*log));
    return log;
}

static void ev_record(hdabdl_codec_response response, void *context)
{
    struct ev_log *log = context;
    if (log->calls < EV_LOG_MAX)
        log->responses[log->calls] = response;
    log->calls++;
    log->context = context;
}

/* A routine that must never run (checked by the teardown: failing inside the
 * interrupt path would jump out of it with locks held). */
static unsigned never_calls;

static void ev_never(hdabdl_codec_response response, void *context)
{
    (void)response;
    (void)context;
    never_calls++;
}

static int ev_teardown(void **state)
{
    unsigned calls = never_calls;
    int rc = fx_teardown(state);
    if (calls) {
        print_error("%u unsolicited response(s) reached a routine registered for another tag\n",
                    calls);
        return -1;
    }
    return rc;
}

/* ---- Setups ------------------------------------------------------------------------------------ */

/* Codec at 0; client and client2 both on codec 0. */
static int setup_codec0(void **state)
{
    fx_setup_bare(state);
    struct fx *fx = *state;
    never_calls = 0;
    ev_logs_used = 0;
    codec0 = fx_add_duplex_codec(fx, 0, VENDOR_A);
    codec2 = NULL;
    fx_start(fx, 2);
    return 0;
}

/* Codecs at 0 and 2; client on codec 0, client2 on codec 2. */
static int setup_codecs_0_and_2(void **state)
{
    fx_setup_bare(state);
    struct fx *fx = *state;
    never_calls = 0;
    ev_logs_used = 0;
    codec0 = fx_add_duplex_codec(fx, 0, VENDOR_A);
    codec2 = fx_add_duplex_codec(fx, 2, VENDOR_B);
    fx_start(fx, 1);
    assert_status(hdabdl_client_open(fx->ctrl, 2, 1, &fx->client2), HDABDL_STATUS_SUCCESS);
    return 0;
}

/* ---- Helpers ----------------------------------------------------------------------------------- */

static uint8_t register_ok(hdabdl_client *c, hdabdl_unsolicited_response_callback routine,
                           void *ctx)
{
    uint8_t tag = 0xFF;
    assert_status(hdabdl_register_event_callback(c, routine, ctx, &tag), HDABDL_STATUS_SUCCESS);
    assert_true(tag < 64);
    return tag;
}

/* Program pin @nid of codec @cad to send unsolicited responses with @tag (through @c). */
static void enable_unsol(hdabdl_client *c, uint8_t cad, uint8_t nid, uint8_t tag)
{
    uint64_t r =
        fx_verb(c, HDABDL_VERB12(cad, nid, HDABDL_VERB_SET_UNSOLICITED_ENABLE, 0x80u | tag));
    assert_int_equal(HDABDL_RESPONSE_IS_VALID(r), 1);
    r = fx_verb(c, HDABDL_VERB12(cad, nid, HDABDL_VERB_GET_UNSOLICITED_RESPONSE, 0));
    assert_int_equal(HDABDL_RESPONSE_VALUE(r), 0x80u | tag);
}

static void plug(struct fx *fx, struct hdabdl_codec *codec, uint8_t nid, bool present)
{
    assert_true(hdabdl_codec_set_jack(codec, nid, present));
    fx_advance_ms(fx, 1);
}

static void assert_unsolicited(hdabdl_codec_response r, unsigned cad, unsigned tag)
{
    assert_int_equal(r.is_valid, 1);
    assert_int_equal(r.is_unsolicited_response, 1);
    assert_int_equal(r.has_fifo_overrun, 0);
    assert_int_equal(r.sdata_in, cad);
    assert_int_equal(r.unsolicited.tag, tag);
    /* The same through the portable accessors. */
    assert_int_equal(HDABDL_RESPONSE_IS_VALID(r.complete_response), 1);
    assert_int_equal(HDABDL_RESPONSE_IS_UNSOL(r.complete_response), 1);
    assert_int_equal(HDABDL_RESPONSE_SDATA_IN(r.complete_response), cad);
    assert_int_equal(HDABDL_UNSOL_TAG(r.complete_response), tag);
}

/* ---- Registration ------------------------------------------------------------------------------ */

static void test_register_hands_out_64_distinct_tags_0_to_63_per_codec(void **state)
{
    struct fx *fx = *state;
    uint64_t seen = 0;
    for (unsigned i = 0; i < 64; i++) {
        uint8_t tag = register_ok(fx->client, ev_never, NULL);
        assert_false(seen & (1ull << tag));
        seen |= 1ull << tag;
    }
    assert_int_equal(seen, ~(uint64_t)0);
}

static void test_the_65th_registration_on_one_codec_is_insufficient_resources(void **state)
{
    struct fx *fx = *state;
    for (unsigned i = 0; i < 64; i++)
        (void)register_ok(fx->client, ev_never, NULL);
    uint8_t tag = 0xEE;
    assert_status(hdabdl_register_event_callback(fx->client, ev_never, NULL, &tag),
                  HDABDL_STATUS_INSUFFICIENT_RESOURCES);
}

static void test_the_64_tags_of_a_codec_are_shared_by_its_clients(void **state)
{
    struct fx *fx = *state; /* client and client2 both on codec 0 */
    uint64_t seen = 0;
    for (unsigned i = 0; i < 64; i++) {
        uint8_t tag = register_ok(i % 2 ? fx->client2 : fx->client, ev_never, NULL);
        assert_false(seen & (1ull << tag)); /* unique across the clients */
        seen |= 1ull << tag;
    }
    uint8_t tag;
    assert_status(hdabdl_register_event_callback(fx->client2, ev_never, NULL, &tag),
                  HDABDL_STATUS_INSUFFICIENT_RESOURCES);
    assert_status(hdabdl_register_event_callback(fx->client, ev_never, NULL, &tag),
                  HDABDL_STATUS_INSUFFICIENT_RESOURCES);
}

static void test_a_client_on_another_codec_still_gets_tags_when_one_is_full(void **state)
{
    struct fx *fx = *state; /* client on codec 0, client2 on codec 2 */
    for (unsigned i = 0; i < 64; i++)
        (void)register_ok(fx->client, ev_never, NULL);
    uint64_t seen = 0;
    for (unsigned i = 0; i < 64; i++) {
        uint8_t tag = register_ok(fx->client2, ev_never, NULL);
        seen |= 1ull << tag;
    }
    assert_int_equal(seen, ~(uint64_t)0);
}

static void test_register_with_a_null_routine_or_tag_is_invalid_parameter(void **state)
{
    struct fx *fx = *state;
    struct ev_log *log = new_ev_log();
    uint8_t tag = 0xEE;
    assert_status(hdabdl_register_event_callback(fx->client, NULL, log, &tag),
                  HDABDL_STATUS_INVALID_PARAMETER);
    assert_int_equal(tag, 0xEE);
    assert_status(hdabdl_register_event_callback(fx->client, ev_record, log, NULL),
                  HDABDL_STATUS_INVALID_PARAMETER);
    /* Neither took a tag: all 64 are still there. */
    for (unsigned i = 0; i < 64; i++)
        (void)register_ok(fx->client, ev_never, NULL);
}

static void test_register_with_a_null_client_is_invalid_parameter(void **state)
{
    (void)state;
    uint8_t tag = 0xEE;
    assert_status(hdabdl_register_event_callback(NULL, ev_never, NULL, &tag),
                  HDABDL_STATUS_INVALID_PARAMETER);
    assert_status(hdabdl_unregister_event_callback(NULL, 0), HDABDL_STATUS_INVALID_PARAMETER);
}

static void test_the_context_may_be_null(void **state)
{
    struct fx *fx = *state;
    (void)register_ok(fx->client, ev_never, NULL);
}

/* ---- Unregistration ------------------------------------------------------------------------------ */

static void test_unregister_of_an_unknown_tag_is_invalid_parameter(void **state)
{
    struct fx *fx = *state;
    uint8_t tag = register_ok(fx->client, ev_never, NULL);
    uint8_t other = (uint8_t)((tag + 1u) % 64u);
    assert_status(hdabdl_unregister_event_callback(fx->client, other),
                  HDABDL_STATUS_INVALID_PARAMETER);
    assert_status(hdabdl_unregister_event_callback(fx->client, tag), HDABDL_STATUS_SUCCESS);
}

static void test_unregister_of_a_tag_of_64_or_more_is_invalid_parameter(void **state)
{
    struct fx *fx = *state;
    for (unsigned i = 0; i < 64; i++)
        (void)register_ok(fx->client, ev_never, NULL);
    static const uint8_t bad[] = {64, 65, 0x80, 0xFF};
    for (unsigned i = 0; i < sizeof(bad); i++)
        assert_status(hdabdl_unregister_event_callback(fx->client, bad[i]),
                      HDABDL_STATUS_INVALID_PARAMETER);
    /* A tag >= 64 must not alias one below (64 & 63 == 0): tag 0 is still held. */
    uint8_t tag;
    assert_status(hdabdl_register_event_callback(fx->client, ev_never, NULL, &tag),
                  HDABDL_STATUS_INSUFFICIENT_RESOURCES);
}

static void test_unregister_of_another_clients_tag_is_invalid_parameter(void **state)
{
    struct fx *fx = *state; /* client and client2 on codec 0 */
    uint8_t tag = register_ok(fx->client, ev_never, NULL);
    assert_status(hdabdl_unregister_event_callback(fx->client2, tag),
                  HDABDL_STATUS_INVALID_PARAMETER);
    /* Still the first client's. */
    assert_status(hdabdl_unregister_event_callback(fx->client, tag), HDABDL_STATUS_SUCCESS);
}

static void test_unregister_of_another_clients_tag_keeps_its_callback(void **state)
{
    struct fx *fx = *state; /* client and client2 on codec 0 */
    struct ev_log *log = new_ev_log();
    uint8_t tag = register_ok(fx->client, ev_record, log);
    assert_status(hdabdl_unregister_event_callback(fx->client2, tag),
                  HDABDL_STATUS_INVALID_PARAMETER);
    enable_unsol(fx->client, 0, FX_HP, tag);
    plug(fx, codec0, FX_HP, true);
    assert_int_equal(log->calls, 1);
}

static void test_unregister_twice_is_invalid_parameter_the_second_time(void **state)
{
    struct fx *fx = *state;
    uint8_t tag = register_ok(fx->client, ev_never, NULL);
    assert_status(hdabdl_unregister_event_callback(fx->client, tag), HDABDL_STATUS_SUCCESS);
    assert_status(hdabdl_unregister_event_callback(fx->client, tag),
                  HDABDL_STATUS_INVALID_PARAMETER);
}

static void test_an_unregistered_tag_can_be_registered_again(void **state)
{
    struct fx *fx = *state;
    uint8_t tags[64];
    for (unsigned i = 0; i < 64; i++)
        tags[i] = register_ok(fx->client, ev_never, NULL);
    assert_status(hdabdl_unregister_event_callback(fx->client, tags[17]), HDABDL_STATUS_SUCCESS);
    /* The only free tag. */
    assert_int_equal(register_ok(fx->client2, ev_never, NULL), tags[17]);
}

static void test_closing_a_client_releases_its_tags(void **state)
{
    struct fx *fx = *state; /* client and client2 on codec 0 */
    for (unsigned i = 0; i < 64; i++)
        (void)register_ok(fx->client2, ev_never, NULL);
    hdabdl_client_close(fx->client2);
    fx->client2 = NULL;
    for (unsigned i = 0; i < 64; i++)
        (void)register_ok(fx->client, ev_never, NULL);
}

/* ---- Delivery ---------------------------------------------------------------------------------- */

static void test_an_unsolicited_response_reaches_the_callback_by_value(void **state)
{
    struct fx *fx = *state;
    struct ev_log *log = new_ev_log();
    uint8_t tag = register_ok(fx->client, ev_record, log);
    enable_unsol(fx->client, 0, FX_HP, tag);
    assert_int_equal(log->calls, 0);
    plug(fx, codec0, FX_HP, true);
    assert_int_equal(log->calls, 1);
    assert_ptr_equal(log->context, log);
    assert_unsolicited(log->responses[0], 0, tag);
    /* An analog pin's response carries only the tag (HDA spec 7.3.3.14). */
    assert_int_equal(HDABDL_RESPONSE_VALUE(log->responses[0].complete_response),
                     (uint32_t)tag << 26);
}

static void test_a_tag_of_63_is_delivered_with_all_six_bits(void **state)
{
    struct fx *fx = *state;
    struct ev_log *log = new_ev_log();
    uint8_t tag = 0;
    for (unsigned i = 0; i < 64; i++) {
        tag = register_ok(fx->client, ev_never, NULL);
        if (tag == 63)
            break;
    }
    assert_int_equal(tag, 63);
    assert_status(hdabdl_unregister_event_callback(fx->client, 63), HDABDL_STATUS_SUCCESS);
    assert_int_equal(register_ok(fx->client, ev_record, log), 63);
    enable_unsol(fx->client, 0, FX_MIC, 63);
    plug(fx, codec0, FX_MIC, true);
    assert_int_equal(log->calls, 1);
    assert_unsolicited(log->responses[0], 0, 63);
}

static void test_each_plug_and_unplug_calls_the_callback_once(void **state)
{
    struct fx *fx = *state;
    struct ev_log *log = new_ev_log();
    uint8_t tag = register_ok(fx->client, ev_record, log);
    enable_unsol(fx->client, 0, FX_HP, tag);
    plug(fx, codec0, FX_HP, true);
    plug(fx, codec0, FX_HP, false);
    plug(fx, codec0, FX_HP, true);
    assert_int_equal(log->calls, 3);
    fx_advance_ms(fx, 5);
    assert_int_equal(log->calls, 3);
    struct hdabdl_command_stats st = fx_cmd_stats(fx);
    assert_int_equal(st.unsolicited, 3);
    assert_int_equal(st.unsolicited_dropped, 0);
    assert_int_equal(st.spurious, 0);
}

static void test_only_the_callback_of_the_matching_tag_is_called(void **state)
{
    struct fx *fx = *state;
    struct ev_log *hp = new_ev_log(), *mic = new_ev_log();
    uint8_t hp_tag = register_ok(fx->client, ev_record, hp);
    uint8_t mic_tag = register_ok(fx->client, ev_record, mic);
    (void)register_ok(fx->client, ev_never, NULL);
    assert_int_not_equal(hp_tag, mic_tag);
    enable_unsol(fx->client, 0, FX_HP, hp_tag);
    enable_unsol(fx->client, 0, FX_MIC, mic_tag);
    plug(fx, codec0, FX_MIC, true);
    assert_int_equal(mic->calls, 1);
    assert_int_equal(hp->calls, 0);
    assert_unsolicited(mic->responses[0], 0, mic_tag);
    plug(fx, codec0, FX_HP, true);
    assert_int_equal(mic->calls, 1);
    assert_int_equal(hp->calls, 1);
    assert_unsolicited(hp->responses[0], 0, hp_tag);
}

static void test_a_callback_of_another_client_on_the_codec_gets_its_own_tag(void **state)
{
    struct fx *fx = *state; /* client and client2 on codec 0 */
    struct ev_log *a = new_ev_log(), *b = new_ev_log();
    uint8_t tag_a = register_ok(fx->client, ev_record, a);
    uint8_t tag_b = register_ok(fx->client2, ev_record, b);
    enable_unsol(fx->client, 0, FX_HP, tag_a);
    enable_unsol(fx->client2, 0, FX_MIC, tag_b);
    plug(fx, codec0, FX_MIC, true);
    assert_int_equal(a->calls, 0);
    assert_int_equal(b->calls, 1);
    assert_ptr_equal(b->context, b);
}

static void test_two_codecs_with_the_same_tag_route_to_their_own_clients(void **state)
{
    struct fx *fx = *state; /* client on codec 0, client2 on codec 2 */
    struct ev_log *log0 = new_ev_log(), *log2 = new_ev_log();
    uint8_t tag0 = register_ok(fx->client, ev_record, log0);
    uint8_t tag2 = register_ok(fx->client2, ev_record, log2);
    assert_int_equal(tag0, tag2); /* tags are per codec: both get the first one */
    enable_unsol(fx->client, 0, FX_HP, tag0);
    enable_unsol(fx->client2, 2, FX_HP, tag2);
    plug(fx, codec2, FX_HP, true);
    assert_int_equal(log0->calls, 0);
    assert_int_equal(log2->calls, 1);
    assert_unsolicited(log2->responses[0], 2, tag2);
    plug(fx, codec0, FX_HP, true);
    assert_int_equal(log0->calls, 1);
    assert_int_equal(log2->calls, 1);
    assert_unsolicited(log0->responses[0], 0, tag0);
}

static void test_events_of_two_codecs_at_once_both_arrive(void **state)
{
    struct fx *fx = *state; /* client on codec 0, client2 on codec 2 */
    struct ev_log *log0 = new_ev_log(), *log2 = new_ev_log();
    uint8_t tag0 = register_ok(fx->client, ev_record, log0);
    uint8_t tag2 = register_ok(fx->client2, ev_record, log2);
    enable_unsol(fx->client, 0, FX_MIC, tag0);
    enable_unsol(fx->client2, 2, FX_MIC, tag2);
    assert_true(hdabdl_codec_set_jack(codec0, FX_MIC, true));
    assert_true(hdabdl_codec_set_jack(codec2, FX_MIC, true));
    fx_advance_ms(fx, 1);
    assert_int_equal(log0->calls, 1);
    assert_int_equal(log2->calls, 1);
    assert_unsolicited(log0->responses[0], 0, tag0);
    assert_unsolicited(log2->responses[0], 2, tag2);
}

static void test_an_unsolicited_response_nobody_registered_is_dropped_and_counted(void **state)
{
    struct fx *fx = *state;
    struct ev_log *log = new_ev_log();
    uint8_t tag = register_ok(fx->client, ev_record, log);
    uint8_t unregistered = (uint8_t)(tag + 5u);
    struct hdabdl_command_stats before = fx_cmd_stats(fx);
    enable_unsol(fx->client, 0, FX_HP, unregistered);
    plug(fx, codec0, FX_HP, true);
    struct hdabdl_command_stats after = fx_cmd_stats(fx);
    assert_int_equal(log->calls, 0);
    assert_int_equal(after.unsolicited - before.unsolicited, 1);
    assert_int_equal(after.unsolicited_dropped - before.unsolicited_dropped, 1);
}

static void test_after_unregister_the_tags_responses_are_dropped(void **state)
{
    struct fx *fx = *state;
    struct ev_log *log = new_ev_log();
    uint8_t tag = register_ok(fx->client, ev_record, log);
    enable_unsol(fx->client, 0, FX_HP, tag);
    plug(fx, codec0, FX_HP, true);
    assert_int_equal(log->calls, 1);
    assert_status(hdabdl_unregister_event_callback(fx->client, tag), HDABDL_STATUS_SUCCESS);
    plug(fx, codec0, FX_HP, false);
    assert_int_equal(log->calls, 1);
    assert_int_equal(fx_cmd_stats(fx).unsolicited_dropped, 1);
}

static void test_a_response_of_an_unregistered_codec_does_not_reach_another_codecs_tag(void **state)
{
    struct fx *fx = *state; /* client on codec 0, client2 on codec 2 */
    struct ev_log *log0 = new_ev_log();
    uint8_t tag0 = register_ok(fx->client, ev_record, log0);
    /* Codec 2 uses the same tag value, but nobody registered it on codec 2. */
    enable_unsol(fx->client2, 2, FX_HP, tag0);
    plug(fx, codec2, FX_HP, true);
    assert_int_equal(log0->calls, 0);
    assert_int_equal(fx_cmd_stats(fx).unsolicited_dropped, 1);
}

static void test_an_unsolicited_response_amid_verbs_is_not_taken_for_an_answer(void **state)
{
    struct fx *fx = *state;
    struct ev_log *log = new_ev_log();
    uint8_t tag = register_ok(fx->client, ev_record, log);
    enable_unsol(fx->client, 0, FX_HP, tag);
    assert_true(hdabdl_codec_set_jack(codec0, FX_HP, true)); /* queued, not delivered yet */
    enum { N = 64 };
    struct hdabdl_codec_transfer t[N];
    memset(t, 0, sizeof(t));
    for (unsigned i = 0; i < N; i++)
        t[i].output.command =
            HDABDL_VERB12(0, 0, HDABDL_VERB_GET_PARAMETER, HDABDL_PARAM_VENDOR_ID);
    assert_status(hdabdl_transfer_codec_verbs(fx->client, N, t, NULL, NULL), HDABDL_STATUS_SUCCESS);
    for (unsigned i = 0; i < N; i++) {
        assert_int_equal(t[i].input.is_valid, 1);
        assert_int_equal(t[i].input.is_unsolicited_response, 0);
        assert_int_equal(HDABDL_RESPONSE_VALUE(t[i].input.complete_response), VENDOR_A);
    }
    fx_advance_ms(fx, 1);
    assert_int_equal(log->calls, 1);
    assert_unsolicited(log->responses[0], 0, tag);
    assert_int_equal(fx_cmd_stats(fx).spurious, 0);
}

/* The callback reads the pin's presence with an async transfer (allowed at
 * the callback's IRQL; a sync one is not). */
struct sense_ctx {
    hdabdl_client *client;
    struct hdabdl_codec_transfer t;
    unsigned events;
    unsigned completions;
    uint32_t sense;
    hdabdl_status status;       /* of the transfer queued in the callback */
};

static void sense_done(struct hdabdl_codec_transfer *transfer, void *context)
{
    struct sense_ctx *s = context;
    s->completions++;
    s->sense = HDABDL_RESPONSE_VALUE(transfer->input.complete_response);
}

static void on_jack(hdabdl_codec_response response, void *context)
{
    struct sense_ctx *s = context;
    (void)response;
    s->events++;
    memset(&s->t, 0, sizeof(s->t));
    s->t.output.command = HDABDL_VERB12(0, FX_HP, HDABDL_VERB_GET_PIN_SENSE, 0);
    /* No cmocka assertion here: this runs in the interrupt path. */
    s->status = hdabdl_transfer_codec_verbs(s->client, 1, &s->t, sense_done, s);
}

static void test_the_callback_may_queue_an_async_transfer(void **state)
{
    struct fx *fx = *state;
    static struct sense_ctx s; /* static: see ev_logs */
    memset(&s, 0, sizeof(s));
    s.client = fx->client;
    s.status = HDABDL_STATUS_UNSUCCESSFUL;
    uint8_t tag = register_ok(fx->client, on_jack, &s);
    enable_unsol(fx->client, 0, FX_HP, tag);
    plug(fx, codec0, FX_HP, true);
    fx_advance_ms(fx, 1);
    assert_int_equal(s.events, 1);
    assert_status(s.status, HDABDL_STATUS_SUCCESS);
    assert_int_equal(s.completions, 1);
    assert_true(s.sense & 0x80000000u); /* presence detect */
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup_codec0, ev_teardown)
#define T2(name) cmocka_unit_test_setup_teardown(name, setup_codecs_0_and_2, ev_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        /* Registration */
        T(test_register_hands_out_64_distinct_tags_0_to_63_per_codec),
        T(test_the_65th_registration_on_one_codec_is_insufficient_resources),
        T(test_the_64_tags_of_a_codec_are_shared_by_its_clients),
        T2(test_a_client_on_another_codec_still_gets_tags_when_one_is_full),
        T(test_register_with_a_null_routine_or_tag_is_invalid_parameter),
        T(test_register_with_a_null_client_is_invalid_parameter),
        T(test_the_context_may_be_null),
        /* Unregistration */
        T(test_unregister_of_an_unknown_tag_is_invalid_parameter),
        T(test_unregister_of_a_tag_of_64_or_more_is_invalid_parameter),
        T(test_unregister_of_another_clients_tag_is_invalid_parameter),
        T(test_unregister_of_another_clients_tag_keeps_its_callback),
        T(test_unregister_twice_is_invalid_parameter_the_second_time),
        T(test_an_unregistered_tag_can_be_registered_again),
        T(test_closing_a_client_releases_its_tags),
        /* Delivery */
        T(test_an_unsolicited_response_reaches_the_callback_by_value),
        T(test_a_tag_of_63_is_delivered_with_all_six_bits),
        T(test_each_plug_and_unplug_calls_the_callback_once),
        T(test_only_the_callback_of_the_matching_tag_is_called),
        T(test_a_callback_of_another_client_on_the_codec_gets_its_own_tag),
        T2(test_two_codecs_with_the_same_tag_route_to_their_own_clients),
        T2(test_events_of_two_codecs_at_once_both_arrive),
        T(test_an_unsolicited_response_nobody_registered_is_dropped_and_counted),
        T(test_after_unregister_the_tags_responses_are_dropped),
        T2(test_a_response_of_an_unregistered_codec_does_not_reach_another_codecs_tag),
        T(test_an_unsolicited_response_amid_verbs_is_not_taken_for_an_answer),
        T(test_the_callback_may_queue_an_async_transfer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
