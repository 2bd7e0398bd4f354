/* SPDX-License-Identifier: MIT */
/*
 * test_ddi_verbs.c - TransferCodecVerbs (ddi.md §4.1, §5.1-5.3, §10 #3/#4;
 * hdabdl.h "Codec verbs"): synchronous batches return with every response in
 * its own element, strictly in order, of any length; lost responses complete
 * as invalid (HasFifoOverrun for a RIRB overrun) in bounded time; the command
 * transport steps down the ladder CORB with interrupts -> CORB polled ->
 * immediate commands when the hardware misbehaves; verbs are pipelined (about
 * one per link frame); asynchronous batches call back once, in call order.
 *
 * Most tests put their own codec (fx_add_duplex_codec: a DAC 0x02, an HP pin
 * 0x03, an ADC 0x04 and a mic pin 0x05 under an AFG at 0x01) on the link so
 * the expected answers are known; the default mock codec answers the same
 * verbs.
 *
 * Time is the mock's virtual time. A synchronous waiter busy-waits through the
 * HAL's delay_us, which advances the model without delivering interrupts, so
 * on the mock the first synchronous batch finds the responses itself after the
 * interrupt grace period and switches to polling (CORB_POLL); asynchronous
 * batches are completed by the interrupts hdabdl_mock_hal_advance() delivers.
 */
#include "support/fixture.h"

#include <stdlib.h>
#include <string.h>

#include "hdabdl/codec.h"

#define VENDOR_A 0x14f15069u
#define VENDOR_B 0x10ec0888u

static struct hdabdl_codec *codec0; /* the fixture codec at address 0 (setups below) */
static struct hdabdl_codec *codec2; /* at address 2 */

/* ---- Verbs ------------------------------------------------------------------------------ */

static uint32_t get_param(uint8_t cad, uint8_t nid, uint8_t param)
{
    return HDABDL_VERB12(cad, nid, HDABDL_VERB_GET_PARAMETER, param);
}

static uint32_t get_vendor(uint8_t cad) { return get_param(cad, 0, HDABDL_PARAM_VENDOR_ID); }

static uint32_t set_pinctl(uint8_t cad, uint8_t nid, uint8_t value)
{
    return HDABDL_VERB12(cad, nid, HDABDL_VERB_SET_PIN_WIDGET_CONTROL, value);
}

static uint32_t get_pinctl(uint8_t cad, uint8_t nid)
{
    return HDABDL_VERB12(cad, nid, HDABDL_VERB_GET_PIN_WIDGET_CONTROL, 0);
}

static uint32_t set_amp_out(uint8_t cad, uint8_t nid, uint8_t gain_mute)
{
    return HDABDL_VERB4(cad, nid, HDABDL_VERB4_SET_AMP_GAIN_MUTE,
                        HDABDL_AMP_SET_OUTPUT | HDABDL_AMP_SET_LEFT | HDABDL_AMP_SET_RIGHT |
                            gain_mute);
}

static uint32_t get_amp_out_left(uint8_t cad, uint8_t nid)
{
    return HDABDL_VERB4(cad, nid, HDABDL_VERB4_GET_AMP_GAIN_MUTE, 0x8000u | 0x2000u);
}

/* A value for pin control number @i that differs from its neighbours. */
static uint8_t pin_value(uint32_t i) { return (uint8_t)(i * 37u + 1u); }

static struct hdabdl_codec_transfer *new_batch(uint32_t count)
{
    struct hdabdl_codec_transfer *t = calloc(count, sizeof(*t));
    assert_non_null(t);
    return t;
}

/* Pairs of SET / GET pin control of the HP pin of codec @cad, values pin_value(pair). */
static struct hdabdl_codec_transfer *set_get_batch(uint8_t cad, uint32_t count)
{
    struct hdabdl_codec_transfer *t = new_batch(count);
    for (uint32_t i = 0; i < count; i++)
        t[i].output.command =
            i % 2 == 0 ? set_pinctl(cad, FX_HP, pin_value(i / 2)) : get_pinctl(cad, FX_HP);
    return t;
}

static hdabdl_status transfer(hdabdl_client *c, uint32_t n, struct hdabdl_codec_transfer *t)
{
    return hdabdl_transfer_codec_verbs(c, n, t, NULL, NULL);
}

/* ---- Responses ------------------------------------------------------------------------------ */

static void assert_answered_(hdabdl_codec_response r, unsigned cad, const char *file, int line)
{
    uint64_t c = r.complete_response;
    if (HDABDL_RESPONSE_IS_VALID(c) && !HDABDL_RESPONSE_FIFO_OVERRUN(c) &&
        !HDABDL_RESPONSE_IS_UNSOL(c) && HDABDL_RESPONSE_SDATA_IN(c) == cad &&
        ((c >> 37) & 0x1FFFFFFu) == 0 && r.is_valid == 1 && r.has_fifo_overrun == 0 &&
        r.is_unsolicited_response == 0 && r.sdata_in == cad)
        return;
    print_error("response 0x%016llx: expected a valid solicited response from codec %u\n",
                (unsigned long long)c, cad);
    _fail(file, line);
}
#define assert_answered(r, cad) assert_answered_((r), (cad), __FILE__, __LINE__)

static void assert_lost_(hdabdl_codec_response r, bool overrun, const char *file, int line)
{
    uint64_t c = r.complete_response;
    if (!HDABDL_RESPONSE_IS_VALID(c) && HDABDL_RESPONSE_FIFO_OVERRUN(c) == (overrun ? 1u : 0u))
        return;
    print_error("response 0x%016llx: expected IsValid 0 and HasFifoOverrun %d\n",
                (unsigned long long)c, overrun ? 1 : 0);
    _fail(file, line);
}
#define assert_lost(r, overrun) assert_lost_((r), (overrun), __FILE__, __LINE__)

/* Every SET answered, every GET answered with the value of the SET before it. */
static void assert_set_get_batch(const struct hdabdl_codec_transfer *t, uint8_t cad, uint32_t count)
{
    for (uint32_t i = 0; i < count; i++) {
        assert_answered(t[i].input, cad);
        if (i % 2 == 1)
            assert_int_equal(HDABDL_RESPONSE_VALUE(t[i].input.complete_response), pin_value(i / 2));
    }
}

/* ---- Async completion log ------------------------------------------------------------------ */

static unsigned callback_sequence;

struct cb_log {
    unsigned calls;
    struct hdabdl_codec_transfer *first;
    void *context;
    uint32_t count;             /* elements of the batch (set by the test) */
    bool all_valid_at_call;     /* every element had IsValid = 1 when the callback ran */
    unsigned order;             /* callback_sequence when called */
};

/* Logs outlive a failed test: the teardown may still complete its batches. */
static struct cb_log cb_logs[4];
static unsigned cb_logs_used;

static struct cb_log *new_log(uint32_t count)
{
    assert_true(cb_logs_used < 4);
    struct cb_log *log = &cb_logs[cb_logs_used++];
    memset(log, 0, sizeof(*log));
    log->count = count;
    return log;
}

static void reset_logs(void)
{
    callback_sequence = 0;
    cb_logs_used = 0;
}

static void log_completion(struct hdabdl_codec_transfer *transfer, void *context)
{
    struct cb_log *log = context;
    log->calls++;
    log->first = transfer;
    log->context = context;
    log->order = ++callback_sequence;
    log->all_valid_at_call = true;
    for (uint32_t i = 0; i < log->count; i++)
        if (!transfer[i].input.is_valid)
            log->all_valid_at_call = false;
}

/* ---- Setups -------------------------------------------------------------------------------- */

static int setup_codec0(void **state)
{
    fx_setup_bare(state);
    struct fx *fx = *state;
    reset_logs();
    codec0 = fx_add_duplex_codec(fx, 0, VENDOR_A);
    codec2 = NULL;
    fx_start(fx, 1);
    return 0;
}

static int setup_codec0_two_clients(void **state)
{
    fx_setup_bare(state);
    struct fx *fx = *state;
    reset_logs();
    codec0 = fx_add_duplex_codec(fx, 0, VENDOR_A);
    codec2 = NULL;
    fx_start(fx, 2);
    return 0;
}

/* Codecs at 0 (VENDOR_A) and 2 (VENDOR_B); client at codec 0, client2 at codec 2. */
static int setup_codecs_0_and_2(void **state)
{
    fx_setup_bare(state);
    struct fx *fx = *state;
    codec0 = fx_add_duplex_codec(fx, 0, VENDOR_A);
    codec2 = fx_add_duplex_codec(fx, 2, VENDOR_B);
    fx_start(fx, 1);
    assert_status(hdabdl_client_open(fx->ctrl, 2, 1, &fx->client2), HDABDL_STATUS_SUCCESS);
    return 0;
}

static void start_with_codec0(struct fx *fx)
{
    reset_logs();
    codec0 = fx_add_duplex_codec(fx, 0, VENDOR_A);
    fx_start(fx, 1);
}

/* ---- Synchronous transfers --------------------------------------------------------------------- */

static void test_a_sync_transfer_returns_success_with_every_response_in(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_codec_transfer t[4];
    memset(t, 0, sizeof(t));
    t[0].output.command = get_vendor(0);
    t[1].output.command = get_param(0, 0, HDABDL_PARAM_REVISION_ID);
    t[2].output.command = HDABDL_VERB12(0, FX_AFG, HDABDL_VERB_GET_SUBSYSTEM_ID, 0);
    t[3].output.command = get_pinctl(0, FX_HP);
    assert_status(transfer(fx->client, 4, t), HDABDL_STATUS_SUCCESS);
    for (unsigned i = 0; i < 4; i++)
        assert_int_equal(t[i].input.is_valid, 1);
}

static void test_each_response_lands_in_the_element_of_its_verb(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_codec_transfer t[5];
    memset(t, 0, sizeof(t));
    t[0].output.command = get_param(0, 0, HDABDL_PARAM_REVISION_ID);
    t[1].output.command = get_vendor(0);
    t[2].output.command = get_amp_out_left(0, FX_DAC);
    t[3].output.command = HDABDL_VERB12(0, FX_AFG, HDABDL_VERB_GET_SUBSYSTEM_ID, 0);
    t[4].output.command = get_param(0, 0, HDABDL_PARAM_VENDOR_ID);
    assert_status(transfer(fx->client, 5, t), HDABDL_STATUS_SUCCESS);
    assert_int_equal(HDABDL_RESPONSE_VALUE(t[0].input.complete_response), FX_CODEC_REVISION);
    assert_int_equal(HDABDL_RESPONSE_VALUE(t[1].input.complete_response), VENDOR_A);
    assert_int_equal(HDABDL_RESPONSE_VALUE(t[2].input.complete_response), 0x57);
    assert_int_equal(HDABDL_RESPONSE_VALUE(t[3].input.complete_response), FX_CODEC_SUBSYSTEM);
    assert_int_equal(HDABDL_RESPONSE_VALUE(t[4].input.complete_response), VENDOR_A);
    /* The commands are left as they were. */
    assert_int_equal(t[1].output.command, get_vendor(0));
}

static void test_answered_verbs_are_valid_solicited_and_name_the_codec(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_codec_transfer t[3];
    memset(t, 0, sizeof(t));
    t[0].output.command = get_vendor(0);
    t[1].output.command = set_pinctl(0, FX_HP, HDABDL_PIN_OUT_ENABLE);
    t[2].output.command = get_pinctl(0, FX_HP);
    assert_status(transfer(fx->client, 3, t), HDABDL_STATUS_SUCCESS);
    for (unsigned i = 0; i < 3; i++) {
        assert_answered(t[i].input, 0);
        assert_int_equal(t[i].input.is_valid, 1);
        assert_int_equal(t[i].input.is_unsolicited_response, 0);
        assert_int_equal(t[i].input.has_fifo_overrun, 0);
        assert_int_equal(t[i].input.sdata_in, 0);
    }
}

static void test_stale_response_bits_are_overwritten_reserved_bits_are_0(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_codec_transfer t[2];
    memset(t, 0, sizeof(t));
    t[0].output.command = get_vendor(0);
    t[1].output.command = get_pinctl(0, FX_HP);
    t[0].input.complete_response = ~(uint64_t)0;
    t[1].input.complete_response = 0x7FFFFFFF00000000ull;
    assert_status(transfer(fx->client, 2, t), HDABDL_STATUS_SUCCESS);
    assert_int_equal(t[0].input.complete_response, (1ull << 63) | VENDOR_A);
    assert_int_equal(t[1].input.complete_response, 1ull << 63);
}

static void test_get_parameter_vendor_id_answers_the_codecs_vendor_id(void **state)
{
    struct fx *fx = *state;
    uint64_t r = fx_verb(fx->client, get_vendor(0));
    assert_answered((hdabdl_codec_response){.complete_response = r}, 0);
    assert_int_equal(HDABDL_RESPONSE_VALUE(r), hdabdl_codec_description(codec0)->vendor_id);
    assert_int_equal(HDABDL_RESPONSE_VALUE(r), VENDOR_A);
}

static void test_the_default_mock_codec_answers_its_vendor_id_0x1af4xxxx(void **state)
{
    struct fx *fx = *state; /* fx_setup: no codec added, the mock's default codec at 0 */
    uint64_t r = fx_verb(fx->client, get_vendor(0));
    assert_answered((hdabdl_codec_response){.complete_response = r}, 0);
    assert_int_equal(HDABDL_RESPONSE_VALUE(r) >> 16, 0x1af4); /* QEMU's virtual codec vendor */
    /* ... and has a DAC with an output amp and an HP pin, as documented. */
    uint32_t wcaps =
        (uint32_t)fx_verb(fx->client, get_param(0, FX_DAC, HDABDL_PARAM_AUDIO_WIDGET_CAP));
    assert_int_equal(hdabdl_codec_wcaps_type(wcaps), HDABDL_WIDGET_AUDIO_OUTPUT);
    wcaps = (uint32_t)fx_verb(fx->client, get_param(0, FX_HP, HDABDL_PARAM_AUDIO_WIDGET_CAP));
    assert_int_equal(hdabdl_codec_wcaps_type(wcaps), HDABDL_WIDGET_PIN_COMPLEX);
}

static void test_a_set_then_get_of_an_amp_in_one_batch_sees_the_set_value(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_codec_transfer t[4];
    memset(t, 0, sizeof(t));
    t[0].output.command = get_amp_out_left(0, FX_DAC);
    t[1].output.command = set_amp_out(0, FX_DAC, 0x20);
    t[2].output.command = get_amp_out_left(0, FX_DAC);
    t[3].output.command = set_amp_out(0, FX_DAC, HDABDL_AMP_MUTE | 0x11);
    assert_status(transfer(fx->client, 4, t), HDABDL_STATUS_SUCCESS);
    assert_int_equal(HDABDL_RESPONSE_VALUE(t[0].input.complete_response), 0x57); /* power-on */
    assert_int_equal(HDABDL_RESPONSE_VALUE(t[2].input.complete_response), 0x20);
    assert_int_equal(HDABDL_RESPONSE_VALUE(fx_verb(fx->client, get_amp_out_left(0, FX_DAC))),
                     HDABDL_AMP_MUTE | 0x11);
}

static void test_a_set_then_get_of_a_pin_control_in_one_batch_sees_the_set_value(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_codec_transfer t[5];
    memset(t, 0, sizeof(t));
    t[0].output.command = get_pinctl(0, FX_HP);
    t[1].output.command = set_pinctl(0, FX_HP, HDABDL_PIN_OUT_ENABLE | HDABDL_PIN_HP_ENABLE);
    t[2].output.command = get_pinctl(0, FX_HP);
    t[3].output.command = set_pinctl(0, FX_HP, HDABDL_PIN_OUT_ENABLE);
    t[4].output.command = get_pinctl(0, FX_HP);
    assert_status(transfer(fx->client, 5, t), HDABDL_STATUS_SUCCESS);
    assert_int_equal(HDABDL_RESPONSE_VALUE(t[0].input.complete_response), 0);
    assert_int_equal(HDABDL_RESPONSE_VALUE(t[2].input.complete_response),
                     HDABDL_PIN_OUT_ENABLE | HDABDL_PIN_HP_ENABLE);
    assert_int_equal(HDABDL_RESPONSE_VALUE(t[4].input.complete_response), HDABDL_PIN_OUT_ENABLE);
}

static void test_a_batch_of_1000_verbs_longer_than_the_corb_completes_in_order(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_codec_transfer *t = set_get_batch(0, 1000);
    assert_int_equal(fx_cmd_stats(fx).corb_entries, 256);
    assert_status(transfer(fx->client, 1000, t), HDABDL_STATUS_SUCCESS);
    assert_set_get_batch(t, 0, 1000);
    free(t);
}

static void test_a_batch_across_two_codecs_routes_each_response_to_its_element(void **state)
{
    struct fx *fx = *state; /* codecs at 0 and 2 */
    struct hdabdl_codec_transfer t[8];
    memset(t, 0, sizeof(t));
    t[0].output.command = get_vendor(0);
    t[1].output.command = get_vendor(2);
    t[2].output.command = get_vendor(2);
    t[3].output.command = set_pinctl(2, FX_HP, 0x40);
    t[4].output.command = set_pinctl(0, FX_HP, 0xC0);
    t[5].output.command = get_pinctl(2, FX_HP);
    t[6].output.command = get_pinctl(0, FX_HP);
    t[7].output.command = get_vendor(0);
    assert_status(transfer(fx->client, 8, t), HDABDL_STATUS_SUCCESS);
    static const unsigned cad[8] = {0, 2, 2, 2, 0, 2, 0, 0};
    for (unsigned i = 0; i < 8; i++)
        assert_answered(t[i].input, cad[i]);
    assert_int_equal(HDABDL_RESPONSE_VALUE(t[0].input.complete_response), VENDOR_A);
    assert_int_equal(HDABDL_RESPONSE_VALUE(t[1].input.complete_response), VENDOR_B);
    assert_int_equal(HDABDL_RESPONSE_VALUE(t[2].input.complete_response), VENDOR_B);
    assert_int_equal(HDABDL_RESPONSE_VALUE(t[5].input.complete_response), 0x40);
    assert_int_equal(HDABDL_RESPONSE_VALUE(t[6].input.complete_response), 0xC0);
    assert_int_equal(HDABDL_RESPONSE_VALUE(t[7].input.complete_response), VENDOR_A);
}

static void test_a_long_batch_alternating_two_codecs_stays_in_order(void **state)
{
    struct fx *fx = *state; /* codecs at 0 and 2 */
    enum { N = 600 };
    struct hdabdl_codec_transfer *t = new_batch(N);
    /* Quads: SET@0 v, SET@2 ~v, GET@0, GET@2. */
    for (uint32_t i = 0; i < N; i += 4) {
        uint8_t v = pin_value(i);
        t[i].output.command = set_pinctl(0, FX_HP, v);
        t[i + 1].output.command = set_pinctl(2, FX_HP, (uint8_t)~v);
        t[i + 2].output.command = get_pinctl(0, FX_HP);
        t[i + 3].output.command = get_pinctl(2, FX_HP);
    }
    assert_status(transfer(fx->client2, N, t), HDABDL_STATUS_SUCCESS);
    for (uint32_t i = 0; i < N; i += 4) {
        uint8_t v = pin_value(i);
        assert_answered(t[i].input, 0);
        assert_answered(t[i + 1].input, 2);
        assert_answered(t[i + 2].input, 0);
        assert_answered(t[i + 3].input, 2);
        assert_int_equal(HDABDL_RESPONSE_VALUE(t[i + 2].input.complete_response), v);
        assert_int_equal(HDABDL_RESPONSE_VALUE(t[i + 3].input.complete_response), (uint8_t)~v);
    }
    free(t);
}

/* ---- Lost responses ------------------------------------------------------------------------------ */

static void test_a_verb_to_an_empty_codec_address_is_invalid_without_overrun(void **state)
{
    struct fx *fx = *state; /* codec only at 0 */
    struct hdabdl_codec_transfer t;
    memset(&t, 0, sizeof(t));
    t.output.command = get_vendor(3);
    uint64_t t0 = fx_now_ns(fx);
    assert_status(transfer(fx->client, 1, &t), HDABDL_STATUS_SUCCESS);
    uint64_t us = (fx_now_ns(fx) - t0) / 1000u;
    assert_lost(t.input, false);
    assert_int_equal(t.input.is_valid, 0);
    assert_int_equal(t.input.has_fifo_overrun, 0);
    /* Waited the default verb timeout (5 ms), not much longer. */
    assert_true(us >= 5000);
    assert_true(us <= 6000);
}

static void test_a_verb_to_a_silent_codec_is_invalid_and_returns_in_bounded_time(void **state)
{
    struct fx *fx = *state;
    hdabdl_mock_set_fault(fx->dev, HDABDL_MOCK_FAULT_CODEC_SILENT, 0, true);
    struct hdabdl_codec_transfer t;
    memset(&t, 0, sizeof(t));
    t.output.command = get_vendor(0);
    uint64_t t0 = fx_now_ns(fx);
    assert_status(transfer(fx->client, 1, &t), HDABDL_STATUS_SUCCESS);
    uint64_t us = (fx_now_ns(fx) - t0) / 1000u;
    assert_lost(t.input, false);
    assert_true(us >= 5000);
    assert_true(us <= 6000);
}

static void test_a_silent_codec_that_answers_again_is_heard_again(void **state)
{
    struct fx *fx = *state;
    hdabdl_mock_set_fault(fx->dev, HDABDL_MOCK_FAULT_CODEC_SILENT, 0, true);
    assert_lost((hdabdl_codec_response){.complete_response = fx_verb(fx->client, get_vendor(0))},
                false);
    hdabdl_mock_set_fault(fx->dev, HDABDL_MOCK_FAULT_CODEC_SILENT, 0, false);
    uint64_t r = fx_verb(fx->client, get_vendor(0));
    assert_answered((hdabdl_codec_response){.complete_response = r}, 0);
    assert_int_equal(HDABDL_RESPONSE_VALUE(r), VENDOR_A);
}

static void test_verb_timeout_us_sets_how_long_a_lost_verb_is_waited_for(void **state)
{
    struct fx *fx = *state; /* bare */
    struct hdabdl_controller_options opt;
    memset(&opt, 0, sizeof(opt));
    opt.size = sizeof(opt);
    opt.verb_timeout_us = 1000;
    fx_start_opts(fx, &opt, 1);
    struct hdabdl_codec_transfer t;
    memset(&t, 0, sizeof(t));
    t.output.command = get_vendor(5);
    uint64_t t0 = fx_now_ns(fx);
    assert_status(transfer(fx->client, 1, &t), HDABDL_STATUS_SUCCESS);
    uint64_t us = (fx_now_ns(fx) - t0) / 1000u;
    assert_lost(t.input, false);
    assert_true(us >= 1000);
    assert_true(us <= 2000);
}

static void test_a_verb_lost_to_a_rirb_overrun_has_fifo_overrun_set(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_command_stats before = fx_cmd_stats(fx);
    hdabdl_mock_set_fault(fx->dev, HDABDL_MOCK_FAULT_RIRB_OVERRUN, -1, true);
    struct hdabdl_codec_transfer t;
    memset(&t, 0, sizeof(t));
    t.output.command = get_vendor(0);
    assert_status(transfer(fx->client, 1, &t), HDABDL_STATUS_SUCCESS);
    hdabdl_mock_set_fault(fx->dev, HDABDL_MOCK_FAULT_RIRB_OVERRUN, -1, false);
    assert_lost(t.input, true);
    assert_int_equal(t.input.is_valid, 0);
    assert_int_equal(t.input.has_fifo_overrun, 1);
    struct hdabdl_command_stats after = fx_cmd_stats(fx);
    assert_int_equal(after.timeouts - before.timeouts, 1);
    assert_int_equal(after.overruns - before.overruns, 1);
    /* The RIRB works again once it stops overrunning. */
    uint64_t r = fx_verb(fx->client, get_vendor(0));
    assert_answered((hdabdl_codec_response){.complete_response = r}, 0);
}

static void test_every_verb_whose_response_a_rirb_overrun_lost_has_fifo_overrun_set(void **state)
{
    struct fx *fx = *state;
    hdabdl_mock_set_fault(fx->dev, HDABDL_MOCK_FAULT_RIRB_OVERRUN, -1, true);
    struct hdabdl_codec_transfer t[3];
    memset(t, 0, sizeof(t));
    t[0].output.command = get_vendor(0);
    t[1].output.command = get_pinctl(0, FX_HP);
    t[2].output.command = get_vendor(0);
    assert_status(transfer(fx->client, 3, t), HDABDL_STATUS_SUCCESS);
    hdabdl_mock_set_fault(fx->dev, HDABDL_MOCK_FAULT_RIRB_OVERRUN, -1, false);
    /* The codec answered all three (ddi.md §4.1: HasFifoOverrun = the codec
     * probably got the verb, the response was lost); none is "no answer". */
    unsigned wrong = 0;
    for (unsigned i = 0; i < 3; i++) {
        if (t[i].input.is_valid == 0 && t[i].input.has_fifo_overrun == 1)
            continue;
        print_error("element %u: response 0x%016llx, expected IsValid 0, HasFifoOverrun 1\n", i,
                    (unsigned long long)t[i].input.complete_response);
        wrong++;
    }
    assert_int_equal(wrong, 0);
    assert_int_equal(fx_cmd_stats(fx).overruns, 3);
}

static void test_later_verbs_to_a_good_codec_in_the_same_batch_still_succeed(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_codec_transfer t[5];
    memset(t, 0, sizeof(t));
    t[0].output.command = get_vendor(3);          /* nothing at 3 */
    t[1].output.command = get_vendor(0);
    t[2].output.command = set_pinctl(0, FX_HP, 0x40);
    t[3].output.command = get_vendor(4);          /* nothing at 4 */
    t[4].output.command = get_pinctl(0, FX_HP);
    assert_status(transfer(fx->client, 5, t), HDABDL_STATUS_SUCCESS);
    assert_lost(t[0].input, false);
    assert_answered(t[1].input, 0);
    assert_int_equal(HDABDL_RESPONSE_VALUE(t[1].input.complete_response), VENDOR_A);
    assert_answered(t[2].input, 0);
    assert_lost(t[3].input, false);
    assert_answered(t[4].input, 0);
    assert_int_equal(HDABDL_RESPONSE_VALUE(t[4].input.complete_response), 0x40);
}

static void test_the_stats_count_lost_verbs_as_timeouts(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_command_stats before = fx_cmd_stats(fx);
    struct hdabdl_codec_transfer t[4];
    memset(t, 0, sizeof(t));
    t[0].output.command = get_vendor(3);
    t[1].output.command = get_vendor(0);
    t[2].output.command = get_vendor(6);
    t[3].output.command = get_vendor(0);
    assert_status(transfer(fx->client, 4, t), HDABDL_STATUS_SUCCESS);
    struct hdabdl_command_stats after = fx_cmd_stats(fx);
    assert_int_equal(after.timeouts - before.timeouts, 2);
    assert_int_equal(after.overruns - before.overruns, 0);
    assert_int_equal(after.responses - before.responses, 2);
    assert_int_equal(after.verbs_sent - before.verbs_sent, 4);
}

static void test_the_stats_count_verbs_sent_and_responses(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_command_stats before = fx_cmd_stats(fx);
    struct hdabdl_codec_transfer *t = set_get_batch(0, 10);
    assert_status(transfer(fx->client, 10, t), HDABDL_STATUS_SUCCESS);
    struct hdabdl_command_stats after = fx_cmd_stats(fx);
    assert_int_equal(after.verbs_sent - before.verbs_sent, 10);
    assert_int_equal(after.responses - before.responses, 10);
    assert_int_equal(after.timeouts, before.timeouts);
    assert_int_equal(after.spurious, before.spurious);
    free(t);
}

static void test_get_command_stats_with_null_arguments_is_invalid_parameter(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_command_stats st;
    assert_status(hdabdl_controller_get_command_stats(NULL, &st), HDABDL_STATUS_INVALID_PARAMETER);
    assert_status(hdabdl_controller_get_command_stats(fx->ctrl, NULL),
                  HDABDL_STATUS_INVALID_PARAMETER);
}

/* ---- The ladder ------------------------------------------------------------------------------- */

static void test_open_uses_a_256_entry_corb_with_interrupts(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_command_stats st = fx_cmd_stats(fx);
    assert_int_equal(st.mode, HDABDL_COMMANDS_CORB_IRQ);
    assert_int_equal(st.corb_reset, HDABDL_CORB_RESET_ACKNOWLEDGED);
    assert_int_equal(st.corb_entries, 256);
    assert_int_equal(st.mode_changes, 0);
    assert_int_equal(st.verbs_sent, 0);
}

static void test_a_synchronous_transfer_sleeps_so_the_interrupt_collects_its_responses(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_codec_transfer *t = set_get_batch(0, 300);
    assert_status(transfer(fx->client, 300, t), HDABDL_STATUS_SUCCESS);
    assert_set_get_batch(t, 0, 300);
    struct hdabdl_command_stats st = fx_cmd_stats(fx);
    assert_int_equal(st.mode, HDABDL_COMMANDS_CORB_IRQ);   /* the mock HAL's sleep_us runs the ISR */
    assert_int_equal(st.mode_changes, 0);
    free(t);
}

static void test_a_single_verb_waits_two_frames_not_for_the_empty_slot_interrupt(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_codec_transfer t[1];
    memset(t, 0, sizeof(t));
    t[0].output.command = get_vendor(0);
    assert_status(transfer(fx->client, 1, t), HDABDL_STATUS_SUCCESS);   /* warm-up */
    uint64_t t0 = fx_now_ns(fx);
    for (int i = 0; i < 48; i++)
        assert_status(transfer(fx->client, 1, t), HDABDL_STATUS_SUCCESS);
    double frames = (double)(fx_now_ns(fx) - t0) / FX_FRAME_NS / 48.0;
    print_message("      single verb: %.2f frames each\n", frames);
    assert_true(frames < 2.5);     /* verb in frame k, response in k+1, read right then */
    assert_int_equal(fx_cmd_stats(fx).mode, HDABDL_COMMANDS_CORB_IRQ);
}

static void test_without_a_sleeping_wait_a_synchronous_transfer_polls_the_rirb(void **state)
{
    struct fx *fx = *state; /* bare */
    fx_create_hal(fx);
    fx->ops = *hdabdl_mock_hal_ops();
    fx->ops.sleep_us = NULL;    /* the waiter busy-waits: no interrupt can come meanwhile */
    assert_status(hdabdl_controller_open(&fx->ops, hdabdl_mock_hal_context(fx->hal), NULL,
                                         &fx->ctrl),
                  HDABDL_STATUS_SUCCESS);
    assert_status(hdabdl_client_open(fx->ctrl, 0, 1, &fx->client), HDABDL_STATUS_SUCCESS);
    /* More verbs in flight than RINTCNT: the waiter waits the IRQ grace, then reads itself. */
    struct hdabdl_codec_transfer *t = set_get_batch(0, 300);
    assert_status(transfer(fx->client, 300, t), HDABDL_STATUS_SUCCESS);
    assert_set_get_batch(t, 0, 300);
    free(t);
    struct hdabdl_command_stats st = fx_cmd_stats(fx);
    assert_int_equal(st.mode, HDABDL_COMMANDS_CORB_POLL);
    assert_int_equal(st.mode_changes, 1);
}

static void test_a_stalled_corb_falls_back_to_immediate_commands_and_completes(void **state)
{
    struct fx *fx = *state;
    hdabdl_mock_set_fault(fx->dev, HDABDL_MOCK_FAULT_CORB_STALLED, -1, true);
    struct hdabdl_codec_transfer t[3];
    memset(t, 0, sizeof(t));
    t[0].output.command = set_pinctl(0, FX_HP, 0x40);
    t[1].output.command = get_pinctl(0, FX_HP);
    t[2].output.command = get_vendor(0);
    assert_status(transfer(fx->client, 3, t), HDABDL_STATUS_SUCCESS);
    for (unsigned i = 0; i < 3; i++)
        assert_answered(t[i].input, 0);
    assert_int_equal(HDABDL_RESPONSE_VALUE(t[1].input.complete_response), 0x40);
    assert_int_equal(HDABDL_RESPONSE_VALUE(t[2].input.complete_response), VENDOR_A);
    struct hdabdl_command_stats st = fx_cmd_stats(fx);
    assert_int_equal(st.mode, HDABDL_COMMANDS_IMMEDIATE);
    assert_int_equal(st.corb_entries, 0);
    assert_true(st.mode_changes >= 1);
    assert_int_equal(st.timeouts, 0); /* the verbs were resent, not given up */
}

static void test_after_the_fallback_long_batches_go_through_immediate_commands(void **state)
{
    struct fx *fx = *state;
    hdabdl_mock_set_fault(fx->dev, HDABDL_MOCK_FAULT_CORB_STALLED, -1, true);
    (void)fx_verb(fx->client, get_vendor(0));
    assert_int_equal(fx_cmd_stats(fx).mode, HDABDL_COMMANDS_IMMEDIATE);
    struct hdabdl_codec_transfer *t = set_get_batch(0, 300);
    assert_status(transfer(fx->client, 300, t), HDABDL_STATUS_SUCCESS);
    assert_set_get_batch(t, 0, 300);
    assert_int_equal(fx_cmd_stats(fx).mode, HDABDL_COMMANDS_IMMEDIATE);
    free(t);
}

static void never_acked(struct hdabdl_mock_hal_config *cfg)
{
    cfg->device.corbrp_reset = HDABDL_MOCK_CORBRP_NEVER_ACKED;
}

static void test_a_corbrp_reset_never_acknowledged_opens_in_immediate_mode(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_command_stats st = fx_cmd_stats(fx);
    assert_int_equal(st.corb_reset, HDABDL_CORB_RESET_FAILED);
    assert_int_equal(st.mode, HDABDL_COMMANDS_IMMEDIATE);
    assert_int_equal(st.corb_entries, 0);
    assert_int_equal(st.mode_changes, 0);
}

static void test_verbs_work_in_immediate_mode_from_open(void **state)
{
    struct fx *fx = *state; /* bare */
    never_acked(&fx->cfg);
    start_with_codec0(fx);
    struct hdabdl_codec_transfer *t = set_get_batch(0, 40);
    t[0].output.command = get_vendor(0);
    assert_status(transfer(fx->client, 40, t), HDABDL_STATUS_SUCCESS);
    assert_answered(t[0].input, 0);
    assert_int_equal(HDABDL_RESPONSE_VALUE(t[0].input.complete_response), VENDOR_A);
    for (uint32_t i = 1; i < 40; i++) {
        assert_answered(t[i].input, 0);
        if (i % 2 == 1 && i > 1)
            assert_int_equal(HDABDL_RESPONSE_VALUE(t[i].input.complete_response), pin_value(i / 2));
    }
    assert_int_equal(fx_cmd_stats(fx).mode, HDABDL_COMMANDS_IMMEDIATE);
    free(t);
}

static void test_in_immediate_mode_a_lost_verb_does_not_block_the_next_one(void **state)
{
    struct fx *fx = *state; /* bare */
    never_acked(&fx->cfg);
    start_with_codec0(fx);
    struct hdabdl_codec_transfer t[3];
    memset(t, 0, sizeof(t));
    t[0].output.command = get_vendor(3);          /* nothing at 3 */
    t[1].output.command = get_vendor(0);
    t[2].output.command = get_vendor(3);
    assert_status(transfer(fx->client, 3, t), HDABDL_STATUS_SUCCESS);
    assert_lost(t[0].input, false);
    assert_answered(t[1].input, 0);
    assert_int_equal(HDABDL_RESPONSE_VALUE(t[1].input.complete_response), VENDOR_A);
    assert_lost(t[2].input, false);
    assert_int_equal(fx_cmd_stats(fx).mode, HDABDL_COMMANDS_IMMEDIATE);
}

static void self_clearing(struct hdabdl_mock_hal_config *cfg)
{
    cfg->device.corbrp_reset = HDABDL_MOCK_CORBRP_SELF_CLEARING;
}

static void test_a_self_clearing_corbrp_reset_is_detected_and_the_corb_used(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_command_stats st = fx_cmd_stats(fx);
    assert_int_equal(st.corb_reset, HDABDL_CORB_RESET_SELF_CLEARED);
    assert_int_equal(st.mode, HDABDL_COMMANDS_CORB_IRQ);
    assert_int_equal(st.corb_entries, 256);
    uint64_t r = fx_verb(fx->client, get_vendor(0));
    assert_answered((hdabdl_codec_response){.complete_response = r}, 0);
    assert_int_not_equal(fx_cmd_stats(fx).mode, HDABDL_COMMANDS_IMMEDIATE);
}

static void acked(struct hdabdl_mock_hal_config *cfg)
{
    cfg->device.corbrp_reset = HDABDL_MOCK_CORBRP_ACKED;
}

static void test_an_acknowledged_corbrp_reset_is_reported_as_acknowledged(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_command_stats st = fx_cmd_stats(fx);
    assert_int_equal(st.corb_reset, HDABDL_CORB_RESET_ACKNOWLEDGED);
    assert_int_equal(st.mode, HDABDL_COMMANDS_CORB_IRQ);
}

static void corb_caps(struct fx *fx, uint8_t caps)
{
    fx->cfg.device.corb_size_caps = caps;
    start_with_codec0(fx);
}

static void test_a_2_entry_corb_carries_a_300_verb_batch(void **state)
{
    struct fx *fx = *state; /* bare */
    corb_caps(fx, 0x1);
    assert_int_equal(fx_cmd_stats(fx).corb_entries, 2);
    struct hdabdl_codec_transfer *t = set_get_batch(0, 300);
    assert_status(transfer(fx->client, 300, t), HDABDL_STATUS_SUCCESS);
    assert_set_get_batch(t, 0, 300);
    assert_int_not_equal(fx_cmd_stats(fx).mode, HDABDL_COMMANDS_IMMEDIATE);
    free(t);
}

static void test_a_16_entry_corb_carries_a_300_verb_batch(void **state)
{
    struct fx *fx = *state; /* bare */
    corb_caps(fx, 0x2);
    assert_int_equal(fx_cmd_stats(fx).corb_entries, 16);
    struct hdabdl_codec_transfer *t = set_get_batch(0, 300);
    assert_status(transfer(fx->client, 300, t), HDABDL_STATUS_SUCCESS);
    assert_set_get_batch(t, 0, 300);
    assert_int_not_equal(fx_cmd_stats(fx).mode, HDABDL_COMMANDS_IMMEDIATE);
    free(t);
}

static void test_with_every_corb_size_offered_the_largest_is_used(void **state)
{
    struct fx *fx = *state; /* bare */
    corb_caps(fx, 0x7);
    assert_int_equal(fx_cmd_stats(fx).corb_entries, 256);
}

static void test_with_rirb_interrupts_lost_sync_transfers_complete_by_polling(void **state)
{
    struct fx *fx = *state;
    hdabdl_mock_set_fault(fx->dev, HDABDL_MOCK_FAULT_RIRB_IRQ_LOST, -1, true);
    struct hdabdl_codec_transfer *t = set_get_batch(0, 400);
    assert_status(transfer(fx->client, 400, t), HDABDL_STATUS_SUCCESS);
    assert_set_get_batch(t, 0, 400);
    struct hdabdl_command_stats st = fx_cmd_stats(fx);
    assert_int_equal(st.mode, HDABDL_COMMANDS_CORB_POLL);
    assert_int_equal(st.mode_changes, 1);
    assert_int_equal(st.timeouts, 0);
    free(t);
}

static void test_responses_collected_by_the_interrupt_keep_the_irq_mode(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_codec_transfer *t = set_get_batch(0, 300);
    struct cb_log *log = new_log(300);
    assert_status(hdabdl_transfer_codec_verbs(fx->client, 300, t, log_completion, log),
                  HDABDL_STATUS_SUCCESS);
    fx_advance_ms(fx, 20);
    assert_int_equal(log->calls, 1);
    assert_set_get_batch(t, 0, 300);
    struct hdabdl_command_stats st = fx_cmd_stats(fx);
    assert_int_equal(st.mode, HDABDL_COMMANDS_CORB_IRQ);
    assert_int_equal(st.mode_changes, 0);
    free(t);
}

static void test_with_rirb_interrupts_lost_an_async_batch_still_completes(void **state)
{
    struct fx *fx = *state;
    hdabdl_mock_set_fault(fx->dev, HDABDL_MOCK_FAULT_RIRB_IRQ_LOST, -1, true);
    /* Polling mode already: a sync batch longer than RINTCNT found the interrupt missing. */
    struct hdabdl_codec_transfer *warm = set_get_batch(0, 300);
    assert_status(transfer(fx->client, 300, warm), HDABDL_STATUS_SUCCESS);
    free(warm);
    assert_int_equal(fx_cmd_stats(fx).mode, HDABDL_COMMANDS_CORB_POLL);
    static struct hdabdl_codec_transfer t[2]; /* may still be pending at teardown */
    memset(t, 0, sizeof(t));
    t[0].output.command = set_pinctl(0, FX_HP, 0x40);
    t[1].output.command = get_pinctl(0, FX_HP);
    struct cb_log *log = new_log(2);
    assert_status(hdabdl_transfer_codec_verbs(fx->client, 2, t, log_completion, log),
                  HDABDL_STATUS_SUCCESS);
    /* Nobody waits synchronously: only time passes (far beyond the verb timeout). */
    fx_advance_ms(fx, 50);
    assert_int_equal(log->calls, 1);
    assert_true(log->all_valid_at_call);
}

static void test_without_a_hal_timer_a_stalled_async_batch_waits_for_the_next_call(void **state)
{
    struct fx *fx = *state; /* bare */
    reset_logs();
    codec0 = fx_add_duplex_codec(fx, 0, VENDOR_A);
    fx->ops = *hdabdl_mock_hal_ops(); /* the controller keeps the pointer */
    fx->ops.timer_attach = NULL;      /* optional (hal.h): interrupts and later calls only */
    fx->ops.timer_arm = NULL;
    fx->ops.timer_detach = NULL;
    assert_status(hdabdl_controller_open(&fx->ops, hdabdl_mock_hal_context(fx->hal), NULL,
                                         &fx->ctrl),
                  HDABDL_STATUS_SUCCESS);
    assert_status(hdabdl_client_open(fx->ctrl, 0, 1, &fx->client), HDABDL_STATUS_SUCCESS);
    hdabdl_mock_set_fault(fx->dev, HDABDL_MOCK_FAULT_RIRB_IRQ_LOST, -1, true);
    static struct hdabdl_codec_transfer t[2]; /* may still be pending at teardown */
    memset(t, 0, sizeof(t));
    t[0].output.command = set_pinctl(0, FX_HP, 0x40);
    t[1].output.command = get_pinctl(0, FX_HP);
    struct cb_log *log = new_log(2);
    assert_status(hdabdl_transfer_codec_verbs(fx->client, 2, t, log_completion, log),
                  HDABDL_STATUS_SUCCESS);
    fx_advance_ms(fx, 50);
    assert_int_equal(log->calls, 0); /* nothing drives it */
    uint64_t r = fx_verb(fx->client, get_pinctl(0, FX_HP));
    assert_int_equal(log->calls, 1);
    assert_true(log->all_valid_at_call);
    assert_int_equal(HDABDL_RESPONSE_VALUE(t[1].input.complete_response), 0x40);
    assert_int_equal(HDABDL_RESPONSE_VALUE(r), 0x40);
}

/* ---- Pipelining ------------------------------------------------------------------------------ */

static void test_a_480_verb_batch_takes_about_one_frame_per_verb(void **state)
{
    struct fx *fx = *state;
    enum { N = 480 };
    (void)fx_verb(fx->client, get_vendor(0)); /* settle the transport (see the file comment) */
    struct hdabdl_codec_transfer *t = set_get_batch(0, N);
    uint64_t t0 = fx_now_ns(fx);
    assert_status(transfer(fx->client, N, t), HDABDL_STATUS_SUCCESS);
    double frames = (double)(fx_now_ns(fx) - t0) / FX_FRAME_NS;
    assert_set_get_batch(t, 0, N);
    print_message("      %d verbs in one batch: %.1f frames\n", N, frames);
    assert_true(frames >= N);           /* one command per frame at most */
    assert_true(frames < 1.3 * N);      /* but (nearly) one in every frame */
    free(t);
}

static void test_480_single_verb_calls_take_at_least_two_frames_each(void **state)
{
    struct fx *fx = *state;
    enum { N = 480 };
    (void)fx_verb(fx->client, get_vendor(0));
    uint64_t t0 = fx_now_ns(fx);
    for (uint32_t i = 0; i < N; i++) {
        uint64_t r = fx_verb(fx->client, i % 2 ? get_pinctl(0, FX_HP) : set_pinctl(0, FX_HP, 0x40));
        assert_int_equal(HDABDL_RESPONSE_IS_VALID(r), 1);
    }
    double frames = (double)(fx_now_ns(fx) - t0) / FX_FRAME_NS;
    print_message("      %d single-verb calls: %.1f frames\n", N, frames);
    /* The response comes in the frame after the verb; the next call's verb
     * can go out only in the frame after that. */
    assert_true(frames >= 2.0 * N - 1.0);
}

/* ---- Asynchronous transfers ------------------------------------------------------------------- */

static void test_an_async_transfer_returns_success_at_once_without_calling_back(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_codec_transfer *t = set_get_batch(0, 100);
    struct cb_log *log = new_log(100);
    uint64_t t0 = fx_now_ns(fx);
    assert_status(hdabdl_transfer_codec_verbs(fx->client, 100, t, log_completion, log),
                  HDABDL_STATUS_SUCCESS);
    assert_int_equal(fx_now_ns(fx), t0); /* no waiting at all */
    assert_int_equal(log->calls, 0);
    fx_advance_ms(fx, 10); /* let it finish before t is freed */
    assert_int_equal(log->calls, 1);
    free(t);
}

static void test_the_async_callback_runs_once_with_the_first_element_and_context(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_codec_transfer *t = set_get_batch(0, 300);
    struct cb_log *log = new_log(300);
    assert_status(hdabdl_transfer_codec_verbs(fx->client, 300, t, log_completion, log),
                  HDABDL_STATUS_SUCCESS);
    fx_advance_ms(fx, 20); /* 300 verbs: about 6.3 ms of link frames */
    assert_int_equal(log->calls, 1);
    assert_ptr_equal(log->first, &t[0]);
    assert_ptr_equal(log->context, log);
    fx_advance_ms(fx, 20);
    assert_int_equal(log->calls, 1);
    free(t);
}

static void test_the_async_callback_runs_after_every_response_is_in(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_codec_transfer *t = set_get_batch(0, 300);
    struct cb_log *log = new_log(300);
    assert_status(hdabdl_transfer_codec_verbs(fx->client, 300, t, log_completion, log),
                  HDABDL_STATUS_SUCCESS);
    fx_advance_ms(fx, 20);
    assert_int_equal(log->calls, 1);
    assert_true(log->all_valid_at_call);
    assert_set_get_batch(t, 0, 300);
    free(t);
}

static void test_advancing_time_completes_an_async_batch_step_by_step(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_codec_transfer *t = set_get_batch(0, 300);
    struct cb_log *log = new_log(300);
    assert_status(hdabdl_transfer_codec_verbs(fx->client, 300, t, log_completion, log),
                  HDABDL_STATUS_SUCCESS);
    fx_advance_ms(fx, 2); /* about 96 frames: not done yet */
    assert_int_equal(log->calls, 0);
    unsigned steps = 0;
    while (log->calls == 0 && steps++ < 1000)
        fx_advance_us(fx, 50);
    assert_int_equal(log->calls, 1);
    assert_true(log->all_valid_at_call);
    free(t);
}

static unsigned reserve_calls;

static void count_reserve_completion(struct hdabdl_codec_transfer *transfer, void *context)
{
    (void)transfer;
    (void)context;
    reserve_calls++;
}

static void test_a_client_queues_32_async_batches_and_the_33rd_is_insufficient_resources(void **state)
{
    struct fx *fx = *state;
    static struct hdabdl_codec_transfer t[HDABDL_MAX_ASYNC_BATCHES + 1];
    reserve_calls = 0;
    assert_int_equal(HDABDL_MAX_ASYNC_BATCHES, 32);
    for (unsigned i = 0; i < HDABDL_MAX_ASYNC_BATCHES; i++) {
        t[i].output.command = get_vendor(0);
        assert_status(hdabdl_transfer_codec_verbs(fx->client, 1, &t[i], count_reserve_completion, NULL),
                      HDABDL_STATUS_SUCCESS);
    }
    t[32].output.command = get_vendor(0);
    assert_status(hdabdl_transfer_codec_verbs(fx->client, 1, &t[32], count_reserve_completion, NULL),
                  HDABDL_STATUS_INSUFFICIENT_RESOURCES);
    /* A synchronous call needs no reserve. */
    struct hdabdl_codec_transfer sync = {.output.command = get_vendor(0)};
    assert_status(hdabdl_transfer_codec_verbs(fx->client, 1, &sync, NULL, NULL), HDABDL_STATUS_SUCCESS);
    assert_true(HDABDL_RESPONSE_IS_VALID(sync.input.complete_response));
    fx_advance_ms(fx, 10);
    assert_int_equal(reserve_calls, HDABDL_MAX_ASYNC_BATCHES);
    /* Delivered batches give their room back. */
    assert_status(hdabdl_transfer_codec_verbs(fx->client, 1, &t[32], count_reserve_completion, NULL),
                  HDABDL_STATUS_SUCCESS);
    fx_advance_ms(fx, 2);
    assert_int_equal(reserve_calls, HDABDL_MAX_ASYNC_BATCHES + 1);
    assert_true(HDABDL_RESPONSE_IS_VALID(t[32].input.complete_response));
}

static void test_two_async_batches_of_one_client_complete_in_call_order(void **state)
{
    struct fx *fx = *state;
    /* Batch 1: 300 SETs of the pin control (longer than the CORB), the last to 0xC5. */
    enum { N1 = 300 };
    struct hdabdl_codec_transfer *b1 = new_batch(N1);
    for (uint32_t i = 0; i < N1; i++)
        b1[i].output.command = set_pinctl(0, FX_HP, i == N1 - 1 ? 0xC5 : pin_value(i));
    static struct hdabdl_codec_transfer b2[1]; /* static: see cb_logs */
    memset(b2, 0, sizeof(b2));
    b2[0].output.command = get_pinctl(0, FX_HP);
    struct cb_log *log1 = new_log(N1), *log2 = new_log(1);
    assert_status(hdabdl_transfer_codec_verbs(fx->client, N1, b1, log_completion, log1),
                  HDABDL_STATUS_SUCCESS);
    assert_status(hdabdl_transfer_codec_verbs(fx->client, 1, b2, log_completion, log2),
                  HDABDL_STATUS_SUCCESS);
    fx_advance_ms(fx, 20);
    assert_int_equal(log1->calls, 1);
    assert_int_equal(log2->calls, 1);
    assert_true(log1->order < log2->order);
    assert_answered(b2[0].input, 0);
    assert_int_equal(HDABDL_RESPONSE_VALUE(b2[0].input.complete_response), 0xC5);
    free(b1);
}

static void test_async_batches_of_two_clients_complete_in_queue_order(void **state)
{
    struct fx *fx = *state; /* two clients of codec 0 */
    struct hdabdl_codec_transfer *b1 = set_get_batch(0, 200);
    struct hdabdl_codec_transfer *b2 = set_get_batch(0, 200);
    struct cb_log *log1 = new_log(200), *log2 = new_log(200);
    assert_status(hdabdl_transfer_codec_verbs(fx->client, 200, b1, log_completion, log1),
                  HDABDL_STATUS_SUCCESS);
    assert_status(hdabdl_transfer_codec_verbs(fx->client2, 200, b2, log_completion, log2),
                  HDABDL_STATUS_SUCCESS);
    fx_advance_ms(fx, 20);
    assert_int_equal(log1->calls, 1);
    assert_int_equal(log2->calls, 1);
    assert_true(log1->order < log2->order);
    assert_set_get_batch(b1, 0, 200);
    assert_set_get_batch(b2, 0, 200);
    free(b1);
    free(b2);
}

static void test_an_async_batch_has_called_back_when_a_later_sync_call_returns(void **state)
{
    struct fx *fx = *state;
    enum { N1 = 100 };
    struct hdabdl_codec_transfer *b1 = new_batch(N1);
    for (uint32_t i = 0; i < N1; i++)
        b1[i].output.command = set_pinctl(0, FX_HP, i == N1 - 1 ? 0x25 : pin_value(i));
    struct cb_log *log = new_log(N1);
    assert_status(hdabdl_transfer_codec_verbs(fx->client, N1, b1, log_completion, log),
                  HDABDL_STATUS_SUCCESS);
    /* The sync batch is queued behind it and waits for it: the waiter
     * delivers the earlier batch's completion before it returns. */
    uint64_t r = fx_verb(fx->client, get_pinctl(0, FX_HP));
    assert_int_equal(log->calls, 1);
    assert_true(log->all_valid_at_call);
    assert_int_equal(HDABDL_RESPONSE_VALUE(r), 0x25);
    free(b1);
}

static void test_closing_the_client_completes_its_pending_async_batch(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_codec_transfer *t = set_get_batch(0, 300);
    struct cb_log *log = new_log(300);
    assert_status(hdabdl_transfer_codec_verbs(fx->client, 300, t, log_completion, log),
                  HDABDL_STATUS_SUCCESS);
    assert_int_equal(log->calls, 0);
    hdabdl_client_close(fx->client);
    fx->client = NULL;
    assert_int_equal(log->calls, 1);
    assert_ptr_equal(log->first, &t[0]);
    free(t);
    /* Nothing leaked: teardown checks DMA, the sanitizer the heap. */
    fx_advance_ms(fx, 5);
    assert_int_equal(log->calls, 1);
}

static void test_closing_the_controller_completes_a_pending_async_batch(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_codec_transfer *t = set_get_batch(0, 300);
    struct cb_log *log = new_log(300);
    assert_status(hdabdl_transfer_codec_verbs(fx->client, 300, t, log_completion, log),
                  HDABDL_STATUS_SUCCESS);
    fx_close_all(fx);
    assert_int_equal(log->calls, 1);
    assert_ptr_equal(log->first, &t[0]);
    free(t);
}

static void test_in_immediate_mode_an_async_batch_completes_before_the_call_returns(void **state)
{
    struct fx *fx = *state; /* bare */
    never_acked(&fx->cfg);
    start_with_codec0(fx);
    struct hdabdl_codec_transfer *t = set_get_batch(0, 20);
    struct cb_log *log = new_log(20);
    assert_status(hdabdl_transfer_codec_verbs(fx->client, 20, t, log_completion, log),
                  HDABDL_STATUS_SUCCESS);
    assert_int_equal(log->calls, 1);
    assert_true(log->all_valid_at_call);
    assert_set_get_batch(t, 0, 20);
    free(t);
}

/* ---- Bad input -------------------------------------------------------------------------------- */

static void test_transfer_with_a_null_client_is_invalid_parameter(void **state)
{
    (void)state;
    struct hdabdl_codec_transfer t;
    memset(&t, 0, sizeof(t));
    t.output.command = get_vendor(0);
    struct cb_log *log = new_log(1);
    assert_status(hdabdl_transfer_codec_verbs(NULL, 1, &t, NULL, NULL),
                  HDABDL_STATUS_INVALID_PARAMETER);
    assert_status(hdabdl_transfer_codec_verbs(NULL, 1, &t, log_completion, log),
                  HDABDL_STATUS_INVALID_PARAMETER);
    assert_int_equal(log->calls, 0);
}

static void test_transfer_of_0_verbs_succeeds_and_calls_back_once(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_codec_transfer t[1];
    memset(t, 0, sizeof(t));
    struct cb_log *log = new_log(0);
    assert_status(hdabdl_transfer_codec_verbs(fx->client, 0, t, log_completion, log),
                  HDABDL_STATUS_SUCCESS);
    assert_int_equal(log->calls, 1);
    assert_ptr_equal(log->context, log);
    assert_ptr_equal(log->first, &t[0]);
    fx_advance_ms(fx, 1);
    assert_int_equal(log->calls, 1);
    assert_int_equal(fx_cmd_stats(fx).verbs_sent, 0);
}

static void test_transfer_of_0_verbs_without_callback_succeeds(void **state)
{
    struct fx *fx = *state;
    assert_status(hdabdl_transfer_codec_verbs(fx->client, 0, NULL, NULL, NULL),
                  HDABDL_STATUS_SUCCESS);
    assert_int_equal(fx_cmd_stats(fx).verbs_sent, 0);
}

static void test_transfer_of_null_transfers_with_a_count_is_invalid_parameter(void **state)
{
    struct fx *fx = *state;
    struct cb_log *log = new_log(0);
    assert_status(hdabdl_transfer_codec_verbs(fx->client, 1, NULL, NULL, NULL),
                  HDABDL_STATUS_INVALID_PARAMETER);
    assert_status(hdabdl_transfer_codec_verbs(fx->client, 3, NULL, log_completion, log),
                  HDABDL_STATUS_INVALID_PARAMETER);
    assert_int_equal(log->calls, 0);
    assert_int_equal(fx_cmd_stats(fx).verbs_sent, 0);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup_codec0, fx_teardown)
#define T_WITH(name, setup) cmocka_unit_test_setup_teardown(name, setup, fx_teardown)

static int setup_never_acked(void **state) { return fx_setup_with(state, never_acked, 1); }
static int setup_self_clearing(void **state) { return fx_setup_with(state, self_clearing, 1); }
static int setup_acked(void **state) { return fx_setup_with(state, acked, 1); }

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_a_client_queues_32_async_batches_and_the_33rd_is_insufficient_resources),
        /* Synchronous */
        T(test_a_sync_transfer_returns_success_with_every_response_in),
        T(test_each_response_lands_in_the_element_of_its_verb),
        T(test_answered_verbs_are_valid_solicited_and_name_the_codec),
        T(test_stale_response_bits_are_overwritten_reserved_bits_are_0),
        T(test_get_parameter_vendor_id_answers_the_codecs_vendor_id),
        T_WITH(test_the_default_mock_codec_answers_its_vendor_id_0x1af4xxxx, fx_setup),
        T(test_a_set_then_get_of_an_amp_in_one_batch_sees_the_set_value),
        T(test_a_set_then_get_of_a_pin_control_in_one_batch_sees_the_set_value),
        T(test_a_batch_of_1000_verbs_longer_than_the_corb_completes_in_order),
        T_WITH(test_a_batch_across_two_codecs_routes_each_response_to_its_element,
               setup_codecs_0_and_2),
        T_WITH(test_a_long_batch_alternating_two_codecs_stays_in_order, setup_codecs_0_and_2),
        /* Lost responses */
        T(test_a_verb_to_an_empty_codec_address_is_invalid_without_overrun),
        T(test_a_verb_to_a_silent_codec_is_invalid_and_returns_in_bounded_time),
        T(test_a_silent_codec_that_answers_again_is_heard_again),
        T_WITH(test_verb_timeout_us_sets_how_long_a_lost_verb_is_waited_for, fx_setup_bare),
        T(test_a_verb_lost_to_a_rirb_overrun_has_fifo_overrun_set),
        T(test_every_verb_whose_response_a_rirb_overrun_lost_has_fifo_overrun_set),
        T(test_later_verbs_to_a_good_codec_in_the_same_batch_still_succeed),
        T(test_the_stats_count_lost_verbs_as_timeouts),
        T(test_the_stats_count_verbs_sent_and_responses),
        T(test_get_command_stats_with_null_arguments_is_invalid_parameter),
        /* The ladder */
        T(test_open_uses_a_256_entry_corb_with_interrupts),
        T(test_a_synchronous_transfer_sleeps_so_the_interrupt_collects_its_responses),
        T(test_a_single_verb_waits_two_frames_not_for_the_empty_slot_interrupt),
        T_WITH(test_without_a_sleeping_wait_a_synchronous_transfer_polls_the_rirb, fx_setup_bare),
        T(test_a_stalled_corb_falls_back_to_immediate_commands_and_completes),
        T(test_after_the_fallback_long_batches_go_through_immediate_commands),
        T_WITH(test_a_corbrp_reset_never_acknowledged_opens_in_immediate_mode, setup_never_acked),
        T_WITH(test_verbs_work_in_immediate_mode_from_open, fx_setup_bare),
        T_WITH(test_in_immediate_mode_a_lost_verb_does_not_block_the_next_one, fx_setup_bare),
        T_WITH(test_a_self_clearing_corbrp_reset_is_detected_and_the_corb_used,
               setup_self_clearing),
        T_WITH(test_an_acknowledged_corbrp_reset_is_reported_as_acknowledged, setup_acked),
        T_WITH(test_a_2_entry_corb_carries_a_300_verb_batch, fx_setup_bare),
        T_WITH(test_a_16_entry_corb_carries_a_300_verb_batch, fx_setup_bare),
        T_WITH(test_with_every_corb_size_offered_the_largest_is_used, fx_setup_bare),
        T(test_with_rirb_interrupts_lost_sync_transfers_complete_by_polling),
        T(test_responses_collected_by_the_interrupt_keep_the_irq_mode),
        T(test_with_rirb_interrupts_lost_an_async_batch_still_completes),
        T_WITH(test_without_a_hal_timer_a_stalled_async_batch_waits_for_the_next_call, fx_setup_bare),
        /* Pipelining */
        T(test_a_480_verb_batch_takes_about_one_frame_per_verb),
        T(test_480_single_verb_calls_take_at_least_two_frames_each),
        /* Asynchronous */
        T(test_an_async_transfer_returns_success_at_once_without_calling_back),
        T(test_the_async_callback_runs_once_with_the_first_element_and_context),
        T(test_the_async_callback_runs_after_every_response_is_in),
        T(test_advancing_time_completes_an_async_batch_step_by_step),
        T(test_two_async_batches_of_one_client_complete_in_call_order),
        T_WITH(test_async_batches_of_two_clients_complete_in_queue_order, setup_codec0_two_clients),
        T(test_an_async_batch_has_called_back_when_a_later_sync_call_returns),
        T(test_closing_the_client_completes_its_pending_async_batch),
        T(test_closing_the_controller_completes_a_pending_async_batch),
        T_WITH(test_in_immediate_mode_an_async_batch_completes_before_the_call_returns,
               fx_setup_bare),
        /* Bad input */
        T(test_transfer_with_a_null_client_is_invalid_parameter),
        T(test_transfer_of_0_verbs_succeeds_and_calls_back_once),
        T(test_transfer_of_0_verbs_without_callback_succeeds),
        T(test_transfer_of_null_transfers_with_a_count_is_invalid_parameter),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
