/* SPDX-License-Identifier: MIT */
/*
 * test_ddi_interrupts.c - the BDL ISR (PHDAUDIO_BDL_ISR): called once per
 * completed IOC fragment with only SDnSTS bits 2..4 (BCIS, FIFOE, DESE), with
 * the context given at setup; status cleared afterwards; polling through
 * hdabdl_controller_service_interrupt() (ddi.md §4.10, §8.2 "IOC delivery";
 * hw.md §3.4).
 *
 * Fragments are 1920 bytes = 10 ms at 48 kHz/16-bit/stereo, and times are
 * chosen mid-fragment so an early (FIFO fetch) or late (link) BCIS gives the
 * same count.
 */
#include "support/fixture.h"
#include "test_bdl_util.h"

#include <string.h>

#define FRAG 1920u /* 10 ms */

static void ioc_on(struct fx_stream *s, unsigned entry, bool on)
{
    bdl_entry_set_ioc(s->bdl, entry, on ? 1u : 0u);
}

/* A render stream of @n fragments; IOC per @ioc_mask bit i for entry i. Started. */
static void started_render(struct fx *fx, hdabdl_client *c, unsigned n, uint32_t ioc_mask,
                           struct fx_stream *s)
{
    struct hdabdl_stream_format f = fx_format_default();
    fx_render_stream(c, &f, n, FRAG, false, s);
    for (unsigned i = 0; i < n; i++)
        ioc_on(s, i, (ioc_mask >> i) & 1u);
    assert_status(fx_try_setup(s), HDABDL_STATUS_SUCCESS);
    fx_start_stream(s);
    (void)fx;
}

/* ---- BCIS ------------------------------------------------------------------------------------- */

static void test_an_ioc_fragment_calls_the_isr_with_bcis_exactly(void **state)
{
    struct fx *fx = *state;
    struct fx_stream s;
    started_render(fx, fx->client, 4, 0xF, &s);
    fx_advance_ms(fx, 5);
    assert_int_equal(s.log.calls, 0);
    fx_advance_ms(fx, 10); /* 15 ms: fragment 0 done */
    assert_int_equal(s.log.calls, 1);
    assert_int_equal(s.log.masks[0], HDABDL_ISR_BCIS);
}

static void test_the_isr_is_called_once_per_completed_ioc_fragment(void **state)
{
    struct fx *fx = *state;
    struct fx_stream s;
    started_render(fx, fx->client, 4, 0xF, &s);
    fx_advance_ms(fx, 45); /* fragments 0..3 done, 4th (0 again) not yet */
    assert_int_equal(s.log.calls, 4);
    assert_int_equal(fx_isr_count(&s.log, HDABDL_ISR_BCIS), 4);
    fx_advance_ms(fx, 40); /* 85 ms: 8 fragments */
    assert_int_equal(s.log.calls, 8);
}

static void test_fragments_without_ioc_give_no_callback(void **state)
{
    struct fx *fx = *state;
    struct fx_stream s;
    started_render(fx, fx->client, 4, 0x0, &s);
    fx_advance_ms(fx, 95);
    assert_int_equal(s.log.calls, 0);
    struct hdabdl_mock_stats st;
    hdabdl_mock_get_stats(fx->dev, &st);
    assert_int_equal(st.bcis_raised, 0);
    assert_true(fx_sd_lpib(fx, s.sd) > 0); /* it did run */
}

static void test_only_the_ioc_fragments_give_callbacks(void **state)
{
    struct fx *fx = *state;
    struct fx_stream s;
    started_render(fx, fx->client, 4, 0xA, &s); /* entries 1 and 3 */
    fx_advance_ms(fx, 15);
    assert_int_equal(s.log.calls, 0);
    fx_advance_ms(fx, 10); /* 25 ms: entry 1 done */
    assert_int_equal(s.log.calls, 1);
    fx_advance_ms(fx, 20); /* 45 ms: entry 3 done */
    assert_int_equal(s.log.calls, 2);
    assert_int_equal(fx_isr_count(&s.log, HDABDL_ISR_BCIS), 2);
}

static void test_the_last_fragment_at_lvi_raises_its_ioc(void **state)
{
    struct fx *fx = *state;
    struct fx_stream s;
    started_render(fx, fx->client, 3, 0x4, &s); /* only entry 2 = Lvi */
    fx_advance_ms(fx, 25);
    assert_int_equal(s.log.calls, 0);
    fx_advance_ms(fx, 10); /* 35 ms */
    assert_int_equal(s.log.calls, 1);
}

static void test_sdnsts_is_cleared_after_the_isr(void **state)
{
    struct fx *fx = *state;
    struct fx_stream s;
    started_render(fx, fx->client, 4, 0xF, &s);
    fx_advance_ms(fx, 15);
    assert_int_equal(s.log.calls, 1);
    assert_int_equal(fx_sd_sts(fx, s.sd) & HDA_SD_STS_INT_MASK, 0);
    assert_int_equal(fx_reg(fx, HDA_REG_INTSTS, 4) & (1u << s.sd), 0);
    assert_false(hdabdl_mock_irq_asserted(fx->dev));
}

static void test_each_engine_gets_its_own_callbacks_and_context(void **state)
{
    struct fx *fx = *state;
    struct fx_stream a, b;
    started_render(fx, fx->client, 4, 0xF, &a);
    started_render(fx, fx->client, 4, 0x0, &b);
    fx_advance_ms(fx, 25);
    assert_int_equal(a.log.calls, 2);
    assert_int_equal(b.log.calls, 0);
}

static void test_two_engines_with_ioc_both_get_called(void **state)
{
    struct fx *fx = *state;
    struct fx_stream a, b;
    started_render(fx, fx->client, 4, 0x1, &a);
    started_render(fx, fx->client2, 2, 0x3, &b);
    fx_advance_ms(fx, 25);
    assert_int_equal(a.log.calls, 1);
    assert_int_equal(b.log.calls, 2);
    assert_int_equal(a.log.masks[0], HDABDL_ISR_BCIS);
    assert_int_equal(b.log.masks[1], HDABDL_ISR_BCIS);
}

static void test_a_paused_engine_raises_no_interrupts(void **state)
{
    struct fx *fx = *state;
    struct fx_stream s;
    started_render(fx, fx->client, 4, 0xF, &s);
    fx_advance_ms(fx, 5);
    assert_status(fx_state1(fx->client, HDABDL_PAUSE_STATE, s.handle), HDABDL_STATUS_SUCCESS);
    fx_advance_ms(fx, 50);
    assert_int_equal(s.log.calls, 0);
}

/* ---- FIFOE and DESE -------------------------------------------------------------------------------- */

static void test_an_injected_fifo_error_reaches_the_isr_as_fifoe(void **state)
{
    struct fx *fx = *state;
    struct fx_stream s;
    started_render(fx, fx->client, 4, 0x0, &s);
    fx_advance_ms(fx, 1);
    hdabdl_mock_inject_fifo_error(fx->dev, s.sd);
    fx_advance_us(fx, 100);
    assert_int_equal(s.log.calls, 1);
    assert_int_equal(s.log.masks[0], HDABDL_ISR_FIFOE);
    assert_int_equal(fx_sd_sts(fx, s.sd) & HDA_SD_STS_FIFOE, 0);
}

static void test_a_fifo_error_on_a_capture_engine_reaches_its_isr(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_stream_format f = fx_format_default();
    struct fx_stream s;
    fx_capture_stream(fx->client, 0, &f, 4, FRAG, false, &s);
    fx_start_stream(&s);
    fx_advance_ms(fx, 1);
    hdabdl_mock_inject_fifo_error(fx->dev, s.sd);
    fx_advance_us(fx, 100);
    assert_int_equal(s.log.calls, 1);
    assert_int_equal(s.log.masks[0], HDABDL_ISR_FIFOE);
}

static void test_a_descriptor_error_reaches_the_isr_as_dese_and_stops_the_engine(void **state)
{
    struct fx *fx = *state;
    struct fx_stream s;
    started_render(fx, fx->client, 4, 0x0, &s);
    /* The DDI cannot stop a caller from corrupting its BDL after setup. */
    bdl_entry_set_address(s.bdl, 2, fx->cfg.device.mmio_bus_address);
    fx_advance_ms(fx, 25);
    assert_true(s.log.calls >= 1);
    assert_true((s.log.or_mask & HDABDL_ISR_DESE) != 0);
    assert_int_equal(s.log.or_mask & ~(uint32_t)HDA_SD_STS_INT_MASK, 0);
    assert_false(fx_sd_running(fx, s.sd));
    /* The mock recorded the DMA into its BAR: that one was provoked by the test. */
    assert_true(hdabdl_mock_violation_count(fx->dev) >= 1);
    struct hdabdl_mock_violation_record rec;
    assert_true(hdabdl_mock_violation_get(fx->dev, 0, &rec));
    assert_int_equal(rec.kind, HDABDL_MOCK_DMA_INTO_MMIO);
    hdabdl_mock_violation_clear(fx->dev);
    /* The client can still pause, reset and free the engine. */
    bdl_entry_set_address(s.bdl, 2, s.data_bus + 2 * FRAG);
    assert_status(fx_state1(fx->client, HDABDL_PAUSE_STATE, s.handle), HDABDL_STATUS_SUCCESS);
    assert_status(fx_state1(fx->client, HDABDL_RESET_STATE, s.handle), HDABDL_STATUS_SUCCESS);
    assert_status(hdabdl_free_contiguous_dma_buffer(fx->client, s.handle), HDABDL_STATUS_SUCCESS);
    assert_status(hdabdl_free_dma_engine(fx->client, s.handle), HDABDL_STATUS_SUCCESS);
}

static void test_the_isr_never_sees_bits_outside_bcis_fifoe_dese(void **state)
{
    struct fx *fx = *state;
    struct fx_stream s;
    started_render(fx, fx->client, 4, 0xF, &s);
    for (int i = 0; i < 10; i++) {
        fx_advance_ms(fx, 7);
        hdabdl_mock_inject_fifo_error(fx->dev, s.sd);
    }
    fx_advance_ms(fx, 1);
    assert_true(s.log.calls >= 10);
    assert_int_equal(s.log.or_mask & ~(uint32_t)(HDABDL_ISR_BCIS | HDABDL_ISR_FIFOE |
                                                 HDABDL_ISR_DESE),
                     0);
    assert_int_equal(s.log.or_mask & HDA_SD_STS_FIFORDY, 0);
    assert_int_equal(s.log.or_mask, HDABDL_ISR_BCIS | HDABDL_ISR_FIFOE);
    for (unsigned i = 0; i < s.log.calls && i < FX_ISR_LOG_MAX; i++)
        assert_int_not_equal(s.log.masks[i], 0);
}

/* ---- Delivery ---------------------------------------------------------------------------------------- */

static void test_service_interrupt_returns_false_when_nothing_is_pending(void **state)
{
    struct fx *fx = *state;
    assert_false(hdabdl_controller_service_interrupt(fx->ctrl));
    struct fx_stream s;
    started_render(fx, fx->client, 4, 0xF, &s);
    fx_advance_ms(fx, 15); /* delivered through irq_attach already */
    assert_int_equal(s.log.calls, 1);
    assert_false(hdabdl_controller_service_interrupt(fx->ctrl));
    assert_int_equal(s.log.calls, 1);
}

static void test_without_irq_attach_interrupts_are_delivered_by_polling(void **state)
{
    struct fx *fx = *state; /* bare */
    fx_create_hal(fx);
    fx->ops = *hdabdl_mock_hal_ops(); /* the controller keeps the pointer */
    fx->ops.irq_attach = NULL;
    fx->ops.irq_detach = NULL;
    assert_status(hdabdl_controller_open(&fx->ops, hdabdl_mock_hal_context(fx->hal), NULL,
                                         &fx->ctrl),
                  HDABDL_STATUS_SUCCESS);
    assert_status(hdabdl_client_open(fx->ctrl, 0, 1, &fx->client), HDABDL_STATUS_SUCCESS);
    struct fx_stream s;
    started_render(fx, fx->client, 4, 0xF, &s);
    fx_advance_ms(fx, 15);
    assert_int_equal(s.log.calls, 0); /* nobody polled yet */
    assert_true(hdabdl_mock_irq_asserted(fx->dev));
    assert_true(hdabdl_controller_service_interrupt(fx->ctrl));
    assert_int_equal(s.log.calls, 1);
    assert_int_equal(s.log.masks[0], HDABDL_ISR_BCIS);
    assert_false(hdabdl_mock_irq_asserted(fx->dev));
    assert_false(hdabdl_controller_service_interrupt(fx->ctrl));
}

static void pause_from_isr(struct fx_isr_log *log, uint32_t mask)
{
    (void)mask;
    struct fx_stream *s = log->hook_ctx;
    if (log->calls == 1) {
        hdabdl_status st = fx_state1(s->client, HDABDL_PAUSE_STATE, s->handle);
        s->fifo_size = (uint32_t)st; /* stash the status for the test */
    }
}

static void test_the_isr_may_pause_its_own_engine(void **state)
{
    struct fx *fx = *state;
    struct fx_stream s;
    started_render(fx, fx->client, 4, 0xF, &s);
    s.log.hook = pause_from_isr;
    s.log.hook_ctx = &s;
    s.fifo_size = 0xFFFFFFFFu;
    fx_advance_ms(fx, 15);
    assert_int_equal(s.log.calls, 1);
    assert_status((hdabdl_status)s.fifo_size, HDABDL_STATUS_SUCCESS);
    assert_int_equal(fx_info(fx->client, s.handle).state, HDABDL_PAUSE_STATE);
    assert_false(fx_sd_running(fx, s.sd));
    fx_advance_ms(fx, 30);
    assert_int_equal(s.log.calls, 1);
}

static void read_position_from_isr(struct fx_isr_log *log, uint32_t mask)
{
    (void)mask;
    struct fx_stream *s = log->hook_ctx;
    const volatile uint32_t *pos = NULL;
    if (hdabdl_get_link_position_register(s->client, s->handle, &pos) == HDABDL_STATUS_SUCCESS &&
        pos)
        s->lvi = 1000000u + *pos; /* mark: called and read */
}

static void test_the_isr_may_read_the_link_position(void **state)
{
    struct fx *fx = *state;
    struct fx_stream s;
    started_render(fx, fx->client, 4, 0x1, &s);
    s.log.hook = read_position_from_isr;
    s.log.hook_ctx = &s;
    fx_advance_ms(fx, 15);
    assert_int_equal(s.log.calls, 1);
    assert_true(s.lvi >= 1000000u);
    assert_true(s.lvi - 1000000u >= FRAG - 192 && s.lvi - 1000000u <= FRAG + 192);
}

/* ---- Capture ---------------------------------------------------------------------------------------- */

static void counting_source(void *ctx, uint8_t tag, void *buf, size_t len)
{
    (void)tag;
    uint32_t *counter = ctx;
    uint8_t *p = buf;
    for (size_t i = 0; i < len; i++)
        p[i] = (uint8_t)((*counter)++ * 7u);
}

static void test_capture_ioc_calls_the_isr_and_the_buffer_holds_the_link_data(void **state)
{
    struct fx *fx = *state;
    uint32_t counter = 0;
    hdabdl_mock_set_capture_source(fx->dev, counting_source, &counter);
    struct hdabdl_stream_format f = fx_format_default();
    struct fx_stream s;
    fx_capture_stream(fx->client, 0, &f, 4, FRAG, true, &s);
    memset(s.data, 0xEE, s.size);
    fx_start_stream(&s);
    fx_advance_ms(fx, 15);
    assert_int_equal(s.log.calls, 1);
    assert_int_equal(s.log.masks[0], HDABDL_ISR_BCIS);
    for (uint32_t i = 0; i < FRAG; i++)
        assert_int_equal(s.data[i], (uint8_t)(i * 7u));
    hdabdl_mock_set_capture_source(fx->dev, NULL, NULL);
}

#define T(name) cmocka_unit_test_setup_teardown(name, fx_setup, fx_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_an_ioc_fragment_calls_the_isr_with_bcis_exactly),
        T(test_the_isr_is_called_once_per_completed_ioc_fragment),
        T(test_fragments_without_ioc_give_no_callback),
        T(test_only_the_ioc_fragments_give_callbacks),
        T(test_the_last_fragment_at_lvi_raises_its_ioc),
        T(test_sdnsts_is_cleared_after_the_isr),
        T(test_each_engine_gets_its_own_callbacks_and_context),
        cmocka_unit_test_setup_teardown(test_two_engines_with_ioc_both_get_called,
                                        fx_setup_two_clients, fx_teardown),
        T(test_a_paused_engine_raises_no_interrupts),
        T(test_an_injected_fifo_error_reaches_the_isr_as_fifoe),
        T(test_a_fifo_error_on_a_capture_engine_reaches_its_isr),
        T(test_a_descriptor_error_reaches_the_isr_as_dese_and_stops_the_engine),
        T(test_the_isr_never_sees_bits_outside_bcis_fifoe_dese),
        T(test_service_interrupt_returns_false_when_nothing_is_pending),
        cmocka_unit_test_setup_teardown(test_without_irq_attach_interrupts_are_delivered_by_polling,
                                        fx_setup_bare, fx_teardown),
        T(test_the_isr_may_pause_its_own_engine),
        T(test_the_isr_may_read_the_link_position),
        T(test_capture_ioc_calls_the_isr_and_the_buffer_holds_the_link_data),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
