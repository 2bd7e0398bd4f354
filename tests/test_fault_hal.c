/* SPDX-License-Identifier: MIT */
/*
 * test_fault_hal.c - the fault-injecting HAL (hdabdl/fault.h): each fault
 * kind fires at the Nth call once or from then on, the counters, the log of
 * faulted reads, version pretending, and the core over it: a clean run is the
 * same as over the bare mock, failed opens give their documented status and
 * leak nothing.
 */
#include "support/fixture.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "hdabdl/fault.h"
#include "hdabdl/hal_hosted.h"

/* ---- The fixture: a mock HAL, a fault HAL over it, optionally a controller ---------------- */

struct ft {
    struct fx *fx;                    /* the mock (fx->hal); fx->ctrl / fx->client when opened */
    struct hdabdl_fault_hal *fh;
    const struct hdabdl_hal_ops *ops; /* the fault HAL's table */
    void *ctx;
    struct hdabdl_hal_ops inner;      /* a modified inner table, when a test needs one */
};

static struct fx *ft_new_fx(void)
{
    struct fx *fx = calloc(1, sizeof *fx);
    assert_non_null(fx);
    hdabdl_mock_hal_config_default(&fx->cfg);
    fx_create_hal(fx);
    return fx;
}

/* A fault HAL over (@inner, @inner_ctx); NULL @inner: the mock's table. */
static void ft_wrap(struct ft *t, const struct hdabdl_hal_ops *inner)
{
    assert_status(hdabdl_fault_hal_create(inner ? inner : hdabdl_mock_hal_ops(),
                                          hdabdl_mock_hal_context(t->fx->hal), &t->fh),
                  HDABDL_STATUS_SUCCESS);
    t->ops = hdabdl_fault_hal_ops(t->fh);
    t->ctx = hdabdl_fault_hal_context(t->fh);
    assert_non_null(t->ops);
}

static struct ft *ft_new(void)
{
    struct ft *t = calloc(1, sizeof *t);
    assert_non_null(t);
    t->fx = ft_new_fx();
    ft_wrap(t, NULL);
    return t;
}

static int ft_setup(void **state)
{
    *state = ft_new();
    return 0;
}

/* Nothing the core took through the fault HAL is still held. */
static void assert_nothing_held(struct hdabdl_fault_hal *fh)
{
    assert_int_equal(hdabdl_fault_hal_outstanding(fh, HDABDL_FAULT_RES_DMA), 0);
    assert_int_equal(hdabdl_fault_hal_outstanding(fh, HDABDL_FAULT_RES_MEM), 0);
    assert_int_equal(hdabdl_fault_hal_outstanding(fh, HDABDL_FAULT_RES_MEM_BYTES), 0);
    assert_int_equal(hdabdl_fault_hal_outstanding(fh, HDABDL_FAULT_RES_LOCK), 0);
    assert_int_equal(hdabdl_fault_hal_outstanding(fh, HDABDL_FAULT_RES_IRQ), 0);
    assert_int_equal(hdabdl_fault_hal_outstanding(fh, HDABDL_FAULT_RES_TIMER), 0);
}

/* Close what is open, check that nothing is held, free the fault HAL, then the fixture
 * (which checks violations and DMA blocks). */
static void ft_free(struct ft *t)
{
    void *fx_state = t->fx;
    fx_close_all(t->fx);
    assert_nothing_held(t->fh);
    hdabdl_fault_hal_destroy(t->fh);
    t->fh = NULL;
    assert_int_equal(fx_teardown(&fx_state), 0);
    free(t);
}

static int ft_teardown(void **state)
{
    struct ft *t = *state;
    *state = NULL;
    if (t)
        ft_free(t);
    return 0;
}

static hdabdl_status ft_try_open(struct ft *t)
{
    return hdabdl_controller_open(t->ops, t->ctx, NULL, &t->fx->ctrl);
}

static void ft_open(struct ft *t, unsigned clients)
{
    assert_status(ft_try_open(t), HDABDL_STATUS_SUCCESS);
    assert_non_null(t->fx->ctrl);
    if (clients >= 1)
        assert_status(hdabdl_client_open(t->fx->ctrl, 0, 1, &t->fx->client),
                      HDABDL_STATUS_SUCCESS);
    t->fx->dma_baseline = hdabdl_mock_hal_dma_blocks(t->fx->hal);
}

/* A failed open: @want, no controller, and nothing left anywhere. */
static void assert_open_fails_cleanly(struct ft *t, hdabdl_status want)
{
    assert_status(ft_try_open(t), want);
    assert_null(t->fx->ctrl);
    assert_int_equal(hdabdl_mock_hal_dma_blocks(t->fx->hal), 0);
    assert_nothing_held(t->fh);
    fx_assert_no_violations(t->fx);
}

static void dummy_handler(void *arg) { (void)arg; }

/* ---- One call of each kind's slot ------------------------------------------------------ */

#define TEST_VALUE 0x1234u
#define VENDOR_VERB HDABDL_VERB12(0, 0, HDABDL_VERB_GET_PARAMETER, 0x00)   /* codec 0 vendor ID */

/* Make one call of @kind's slot through the fault HAL; true if the fault showed. What the
 * call acquired is given back at once. */
static bool call_kind(struct ft *t, enum hdabdl_fault_kind kind)
{
    const struct hdabdl_hal_ops *o = t->ops;
    void *c = t->ctx;
    uint32_t v = 0;
    int rc;

    switch (kind) {
    case HDABDL_FAULT_REG_READ_ERROR:
        v = 0;
        rc = o->reg_read(c, HDA_REG_GCAP, 2, &v);
        if (rc != 0) {
            assert_int_equal(rc, -HDABDL_EIO);
            assert_int_equal(v, 0xFFFF);
        }
        return rc != 0;
    case HDABDL_FAULT_REG_READ_ALL_ONES:
        assert_int_equal(o->reg_read(c, HDA_REG_GCAP, 2, &v), 0);
        return v == 0xFFFF;
    case HDABDL_FAULT_REG_READ_VALUE:
        assert_int_equal(o->reg_read(c, HDA_REG_GCAP, 2, &v), 0);
        return v == TEST_VALUE;
    case HDABDL_FAULT_REG_WRITE_ERROR:
        rc = o->reg_write(c, HDA_REG_GCTL, 4, 0);   /* legal in reset: GCTL as it is */
        if (rc != 0)
            assert_int_equal(rc, -HDABDL_EIO);
        return rc != 0;
    case HDABDL_FAULT_DMA_ALLOC: {
        struct hdabdl_hal_dma d;
        memset(&d, 0, sizeof d);
        size_t before = hdabdl_mock_hal_dma_blocks(t->fx->hal);
        rc = o->dma_alloc(c, 4096, 128, UINT64_MAX, &d);
        if (rc != 0) {
            assert_int_equal(rc, -HDABDL_ENOMEM);
            assert_int_equal(hdabdl_mock_hal_dma_blocks(t->fx->hal), before);
            return true;
        }
        o->dma_free(c, &d);
        return false;
    }
    case HDABDL_FAULT_MEM_ALLOC: {
        void *p = o->mem_alloc(c, 64, HDABDL_HAL_MEM_MAY_SLEEP);
        if (p)
            o->mem_free(c, p, 64);
        return p == NULL;
    }
    case HDABDL_FAULT_LOCK_CREATE: {
        void *lock = NULL;
        rc = o->lock_create(c, &lock);
        if (rc != 0) {
            assert_int_equal(rc, -HDABDL_ENOMEM);
            return true;
        }
        o->lock_acquire(c, lock);
        o->lock_release(c, lock);
        o->lock_destroy(c, lock);
        return false;
    }
    case HDABDL_FAULT_IRQ_ATTACH:
        rc = o->irq_attach(c, dummy_handler, NULL);
        if (rc != 0) {
            assert_int_equal(rc, -HDABDL_EBUSY);
            return true;
        }
        o->irq_detach(c);
        return false;
    case HDABDL_FAULT_TIMER_ATTACH:
        rc = o->timer_attach(c, dummy_handler, NULL);
        if (rc != 0) {
            assert_int_equal(rc, -HDABDL_EBUSY);
            return true;
        }
        o->timer_detach(c);
        return false;
    default:
        fail_msg("no call for kind %d", (int)kind);
        return false;
    }
}

#define CALLS 6
#define NTH 3

/* Every kind but STUCK_BITS: armed at call NTH, once or sticky; CALLS calls. */
static void check_kind_fires_at_nth(enum hdabdl_fault_kind kind, bool sticky)
{
    struct ft *t = ft_new();
    struct hdabdl_fault_spec spec;
    int id = -1;

    memset(&spec, 0, sizeof spec);
    spec.kind = kind;
    spec.nth = NTH;
    spec.flags = sticky ? HDABDL_FAULT_STICKY : 0;
    spec.value = TEST_VALUE;
    assert_status(hdabdl_fault_hal_arm(t->fh, &spec, &id), HDABDL_STATUS_SUCCESS);
    assert_true(id >= 0);

    for (unsigned call = 1; call <= CALLS; call++) {
        bool want = sticky ? call >= NTH : call == NTH;
        bool got = call_kind(t, kind);
        if (got != want)
            fail_msg("%s%s: call %u %s, expected it to %s", hdabdl_fault_kind_name(kind),
                     sticky ? " (sticky)" : "", call, got ? "failed" : "succeeded",
                     want ? "fail" : "succeed");
    }
    uint64_t fired = sticky ? CALLS - NTH + 1 : 1;
    assert_int_equal(hdabdl_fault_hal_kind_calls(t->fh, kind, HDABDL_FAULT_SINCE_CREATE), CALLS);
    assert_int_equal(hdabdl_fault_hal_fault_matched(t->fh, id), CALLS);
    assert_int_equal(hdabdl_fault_hal_fault_fired(t->fh, id), fired);
    assert_int_equal(hdabdl_fault_hal_fired(t->fh, kind, HDABDL_FAULT_SINCE_CREATE), fired);
    assert_int_equal(hdabdl_fault_hal_fired_total(t->fh, HDABDL_FAULT_SINCE_CREATE), fired);
    ft_free(t);
}

static const enum hdabdl_fault_kind call_kinds[] = {
    HDABDL_FAULT_REG_READ_ERROR, HDABDL_FAULT_REG_READ_ALL_ONES, HDABDL_FAULT_REG_READ_VALUE,
    HDABDL_FAULT_REG_WRITE_ERROR, HDABDL_FAULT_DMA_ALLOC,       HDABDL_FAULT_MEM_ALLOC,
    HDABDL_FAULT_LOCK_CREATE,     HDABDL_FAULT_IRQ_ATTACH,      HDABDL_FAULT_TIMER_ATTACH,
};

static void test_each_kind_fires_at_the_nth_call_only_once(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof call_kinds / sizeof call_kinds[0]; i++)
        check_kind_fires_at_nth(call_kinds[i], false);
}

static void test_each_sticky_kind_fires_at_the_nth_call_and_every_later_one(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof call_kinds / sizeof call_kinds[0]; i++)
        check_kind_fires_at_nth(call_kinds[i], true);
}

static void test_a_fault_counts_calls_from_when_it_was_armed(void **state)
{
    struct ft *t = *state;
    for (int i = 0; i < 4; i++)
        assert_false(call_kind(t, HDABDL_FAULT_DMA_ALLOC));
    assert_status(hdabdl_fault_hal_fail(t->fh, HDABDL_FAULT_DMA_ALLOC, 2, false),
                  HDABDL_STATUS_SUCCESS);
    assert_false(call_kind(t, HDABDL_FAULT_DMA_ALLOC));
    assert_true(call_kind(t, HDABDL_FAULT_DMA_ALLOC));
    assert_false(call_kind(t, HDABDL_FAULT_DMA_ALLOC));
}

static void test_a_disarmed_fault_never_fires(void **state)
{
    struct ft *t = *state;
    int id = -1;
    struct hdabdl_fault_spec spec = {.kind = HDABDL_FAULT_MEM_ALLOC, .nth = 1,
                                     .flags = HDABDL_FAULT_STICKY};
    assert_status(hdabdl_fault_hal_arm(t->fh, &spec, &id), HDABDL_STATUS_SUCCESS);
    assert_true(call_kind(t, HDABDL_FAULT_MEM_ALLOC));
    hdabdl_fault_hal_disarm(t->fh, id);
    assert_false(call_kind(t, HDABDL_FAULT_MEM_ALLOC));
    assert_int_equal(hdabdl_fault_hal_fault_fired(t->fh, id), 0);   /* unknown id now */
    assert_status(hdabdl_fault_hal_fail(t->fh, HDABDL_FAULT_MEM_ALLOC, 1, true),
                  HDABDL_STATUS_SUCCESS);
    hdabdl_fault_hal_disarm_all(t->fh);
    assert_false(call_kind(t, HDABDL_FAULT_MEM_ALLOC));
}

static void test_several_faults_armed_at_once_each_fire(void **state)
{
    struct ft *t = *state;
    assert_status(hdabdl_fault_hal_fail(t->fh, HDABDL_FAULT_DMA_ALLOC, 1, false),
                  HDABDL_STATUS_SUCCESS);
    assert_status(hdabdl_fault_hal_fail(t->fh, HDABDL_FAULT_MEM_ALLOC, 2, false),
                  HDABDL_STATUS_SUCCESS);
    assert_status(hdabdl_fault_hal_fail(t->fh, HDABDL_FAULT_DMA_ALLOC, 3, false),
                  HDABDL_STATUS_SUCCESS);
    assert_true(call_kind(t, HDABDL_FAULT_DMA_ALLOC));
    assert_false(call_kind(t, HDABDL_FAULT_MEM_ALLOC));
    assert_true(call_kind(t, HDABDL_FAULT_MEM_ALLOC));
    assert_false(call_kind(t, HDABDL_FAULT_DMA_ALLOC));
    assert_true(call_kind(t, HDABDL_FAULT_DMA_ALLOC));
    assert_false(call_kind(t, HDABDL_FAULT_DMA_ALLOC));
    assert_int_equal(hdabdl_fault_hal_fired(t->fh, HDABDL_FAULT_DMA_ALLOC,
                                            HDABDL_FAULT_SINCE_CREATE), 2);
    assert_int_equal(hdabdl_fault_hal_fired_total(t->fh, HDABDL_FAULT_SINCE_CREATE), 3);
}

static void test_the_first_armed_fault_decides_a_call_two_fire_on(void **state)
{
    struct ft *t = *state;
    struct hdabdl_fault_spec value = {.kind = HDABDL_FAULT_REG_READ_VALUE, .nth = 1,
                                      .value = 0x77};
    struct hdabdl_fault_spec error = {.kind = HDABDL_FAULT_REG_READ_ERROR, .nth = 1};
    uint32_t v = 0;
    assert_status(hdabdl_fault_hal_arm(t->fh, &value, NULL), HDABDL_STATUS_SUCCESS);
    assert_status(hdabdl_fault_hal_arm(t->fh, &error, NULL), HDABDL_STATUS_SUCCESS);
    assert_int_equal(t->ops->reg_read(t->ctx, HDA_REG_GCAP, 2, &v), 0);
    assert_int_equal(v, 0x77);
    /* Both fired (and are spent); the call counts once in the total. */
    assert_int_equal(hdabdl_fault_hal_fired(t->fh, HDABDL_FAULT_REG_READ_ERROR,
                                            HDABDL_FAULT_SINCE_CREATE), 1);
    assert_int_equal(hdabdl_fault_hal_fired_total(t->fh, HDABDL_FAULT_SINCE_CREATE), 1);
    assert_int_equal(t->ops->reg_read(t->ctx, HDA_REG_GCAP, 2, &v), 0);
    assert_int_equal(v, 0x4401);
}

static void test_a_register_fault_at_an_offset_counts_only_that_offset(void **state)
{
    struct ft *t = *state;
    int id = -1;
    uint32_t v = 0;
    struct hdabdl_fault_spec spec = {.kind = HDABDL_FAULT_REG_READ_VALUE, .nth = 2,
                                     .flags = HDABDL_FAULT_AT_OFFSET, .offset = HDA_REG_GCTL,
                                     .value = 0xABCDEF01u};
    assert_status(hdabdl_fault_hal_arm(t->fh, &spec, &id), HDABDL_STATUS_SUCCESS);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(t->ops->reg_read(t->ctx, HDA_REG_GCAP, 2, &v), 0);
        assert_int_equal(v, 0x4401);
    }
    assert_int_equal(t->ops->reg_read(t->ctx, HDA_REG_GCTL, 4, &v), 0);
    assert_int_not_equal(v, 0xABCDEF01u);
    assert_int_equal(t->ops->reg_read(t->ctx, HDA_REG_GCTL, 4, &v), 0);
    assert_int_equal(v, 0xABCDEF01u);
    assert_int_equal(hdabdl_fault_hal_fault_matched(t->fh, id), 2);
    /* A byte read of the same offset is truncated to its width. */
    spec.nth = 1;
    assert_status(hdabdl_fault_hal_arm(t->fh, &spec, NULL), HDABDL_STATUS_SUCCESS);
    assert_int_equal(t->ops->reg_read(t->ctx, HDA_REG_GCTL, 1, &v), 0);
    assert_int_equal(v, 0x01);
}

static void test_a_write_fault_does_not_reach_the_inner_hal(void **state)
{
    struct ft *t = *state;
    struct hdabdl_mock_stats before, after;
    struct hdabdl_fault_spec spec = {.kind = HDABDL_FAULT_REG_WRITE_ERROR, .nth = 1,
                                     .error = HDABDL_ETIMEDOUT};   /* positive: negated */
    assert_status(hdabdl_fault_hal_arm(t->fh, &spec, NULL), HDABDL_STATUS_SUCCESS);
    hdabdl_mock_get_stats(t->fx->dev, &before);
    assert_int_equal(t->ops->reg_write(t->ctx, HDA_REG_GCTL, 4, HDA_GCTL_CRST), -HDABDL_ETIMEDOUT);
    hdabdl_mock_get_stats(t->fx->dev, &after);
    assert_int_equal(after.reg_writes, before.reg_writes);
    t->ops->delay_us(t->ctx, 1000);
    assert_int_equal(fx_reg(t->fx, HDA_REG_GCTL, 4) & HDA_GCTL_CRST, 0);   /* still in reset */
}

/* ---- Stuck bits ------------------------------------------------------------------------ */

static uint32_t read_gctl(struct ft *t)
{
    uint32_t v = 0;
    assert_int_equal(t->ops->reg_read(t->ctx, HDA_REG_GCTL, 4, &v), 0);
    return v;
}

static void write_gctl(struct ft *t, uint32_t v)
{
    assert_int_equal(t->ops->reg_write(t->ctx, HDA_REG_GCTL, 4, v), 0);
    t->ops->delay_us(t->ctx, 1000);   /* the handshake takes 50 us on the mock */
}

static int arm_stuck_crst(struct ft *t, uint64_t nth, bool sticky)
{
    int id = -1;
    struct hdabdl_fault_spec spec = {.kind = HDABDL_FAULT_STUCK_BITS, .nth = nth,
                                     .flags = HDABDL_FAULT_AT_OFFSET |
                                              (sticky ? HDABDL_FAULT_STICKY : 0u),
                                     .offset = HDA_REG_GCTL, .mask = HDA_GCTL_CRST};
    assert_status(hdabdl_fault_hal_arm(t->fh, &spec, &id), HDABDL_STATUS_SUCCESS);
    return id;
}

static void test_stuck_bits_read_as_before_the_nth_write_until_the_next_write(void **state)
{
    struct ft *t = *state;
    int id = arm_stuck_crst(t, 2, false);

    write_gctl(t, HDA_GCTL_CRST);                  /* 1st write: not faulted */
    assert_true(read_gctl(t) & HDA_GCTL_CRST);
    write_gctl(t, 0);                              /* 2nd: CRST keeps reading 1 */
    assert_int_equal(fx_reg(t->fx, HDA_REG_GCTL, 4) & HDA_GCTL_CRST, 0);   /* the truth */
    for (int i = 0; i < 5; i++) {
        assert_true(read_gctl(t) & HDA_GCTL_CRST);
        t->ops->delay_us(t->ctx, 1000);
    }
    write_gctl(t, HDA_GCTL_CRST);                  /* 3rd: the fault is over */
    assert_true(read_gctl(t) & HDA_GCTL_CRST);
    write_gctl(t, 0);
    assert_int_equal(read_gctl(t) & HDA_GCTL_CRST, 0);
    assert_int_equal(hdabdl_fault_hal_fault_fired(t->fh, id), 1);
    assert_int_equal(hdabdl_fault_hal_fired(t->fh, HDABDL_FAULT_STUCK_BITS,
                                            HDABDL_FAULT_SINCE_CREATE), 1);
}

static void test_sticky_stuck_bits_never_change_again(void **state)
{
    struct ft *t = *state;
    int id = arm_stuck_crst(t, 1, true);

    write_gctl(t, HDA_GCTL_CRST);   /* CRST was 0: it stays 0 */
    assert_true(fx_reg(t->fx, HDA_REG_GCTL, 4) & HDA_GCTL_CRST);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(read_gctl(t) & HDA_GCTL_CRST, 0);
        write_gctl(t, i % 2 ? HDA_GCTL_CRST : 0);
    }
    assert_int_equal(read_gctl(t) & HDA_GCTL_CRST, 0);
    hdabdl_fault_hal_disarm(t->fh, id);
    write_gctl(t, HDA_GCTL_CRST);
    assert_true(read_gctl(t) & HDA_GCTL_CRST);
}

static void test_stuck_bits_leave_the_other_bits_and_offsets_alone(void **state)
{
    struct ft *t = *state;
    arm_stuck_crst(t, 1, true);
    write_gctl(t, HDA_GCTL_CRST);
    write_gctl(t, HDA_GCTL_CRST | HDA_GCTL_UNSOL);
    assert_int_equal(read_gctl(t), HDA_GCTL_UNSOL);      /* UNSOL real, CRST kept at 0 */
    uint32_t v = 0;
    assert_int_equal(t->ops->reg_read(t->ctx, HDA_REG_GCAP, 2, &v), 0);
    assert_int_equal(v, 0x4401);
}

/* ---- Counting ----------------------------------------------------------------------------- */

static void test_counts_every_slot_since_creation_and_since_reset(void **state)
{
    struct ft *t = *state;
    uint32_t v;
    for (int i = 0; i < 3; i++)
        assert_int_equal(t->ops->reg_read(t->ctx, HDA_REG_GCAP, 2, &v), 0);
    t->ops->delay_us(t->ctx, 1);
    (void)t->ops->now_ns(t->ctx);
    (void)t->ops->caller_level(t->ctx);
    assert_int_equal(hdabdl_fault_hal_slot_calls(t->fh, HDABDL_FAULT_SLOT_REG_READ,
                                                 HDABDL_FAULT_SINCE_CREATE), 3);
    assert_int_equal(hdabdl_fault_hal_slot_calls(t->fh, HDABDL_FAULT_SLOT_DELAY_US,
                                                 HDABDL_FAULT_SINCE_RESET), 1);
    hdabdl_fault_hal_reset_counts(t->fh);
    assert_int_equal(t->ops->reg_read(t->ctx, HDA_REG_GCAP, 2, &v), 0);
    assert_int_equal(hdabdl_fault_hal_slot_calls(t->fh, HDABDL_FAULT_SLOT_REG_READ,
                                                 HDABDL_FAULT_SINCE_CREATE), 4);
    assert_int_equal(hdabdl_fault_hal_slot_calls(t->fh, HDABDL_FAULT_SLOT_REG_READ,
                                                 HDABDL_FAULT_SINCE_RESET), 1);
    assert_int_equal(hdabdl_fault_hal_slot_calls(t->fh, HDABDL_FAULT_SLOT_DELAY_US,
                                                 HDABDL_FAULT_SINCE_RESET), 0);
    assert_int_equal(hdabdl_fault_hal_slot_calls(t->fh, HDABDL_FAULT_SLOT_NOW_NS,
                                                 HDABDL_FAULT_SINCE_CREATE), 1);
    assert_int_equal(hdabdl_fault_hal_slot_calls(t->fh, HDABDL_FAULT_SLOT_CALLER_LEVEL,
                                                 HDABDL_FAULT_SINCE_CREATE), 1);
    assert_int_equal(hdabdl_fault_hal_slot_calls(t->fh, HDABDL_FAULT_SLOT_COUNT,
                                                 HDABDL_FAULT_SINCE_CREATE), 0);
}

static void test_counts_register_reads_and_writes_per_offset(void **state)
{
    struct ft *t = *state;
    uint32_t v;
    for (int i = 0; i < 3; i++)
        assert_int_equal(t->ops->reg_read(t->ctx, HDA_REG_GCAP, 2, &v), 0);
    assert_int_equal(t->ops->reg_read(t->ctx, HDA_REG_GCTL, 4, &v), 0);
    assert_int_equal(t->ops->reg_write(t->ctx, HDA_REG_GCTL, 4, 0), 0);
    assert_int_equal(t->ops->reg_write(t->ctx, HDA_REG_GCTL, 4, 0), 0);
    assert_int_equal(hdabdl_fault_hal_reg_reads(t->fh, HDA_REG_GCAP, HDABDL_FAULT_SINCE_CREATE), 3);
    assert_int_equal(hdabdl_fault_hal_reg_reads(t->fh, HDA_REG_GCTL, HDABDL_FAULT_SINCE_CREATE), 1);
    assert_int_equal(hdabdl_fault_hal_reg_writes(t->fh, HDA_REG_GCTL, HDABDL_FAULT_SINCE_CREATE),
                     2);
    assert_int_equal(hdabdl_fault_hal_reg_writes(t->fh, HDA_REG_GCAP, HDABDL_FAULT_SINCE_CREATE),
                     0);
    hdabdl_fault_hal_reset_counts(t->fh);
    assert_int_equal(hdabdl_fault_hal_reg_reads(t->fh, HDA_REG_GCAP, HDABDL_FAULT_SINCE_RESET), 0);
    assert_int_equal(hdabdl_fault_hal_reg_reads(t->fh, HDA_REG_GCAP, HDABDL_FAULT_SINCE_CREATE), 3);
    assert_int_equal(hdabdl_fault_hal_reg_reads(t->fh, HDABDL_FAULT_REG_SPACE,
                                                HDABDL_FAULT_SINCE_CREATE), 0);
}

static void test_every_register_call_of_an_open_is_counted_at_its_offset(void **state)
{
    struct ft *t = *state;
    uint64_t reads = 0, writes = 0;
    ft_open(t, 1);
    for (uint32_t off = 0; off < HDABDL_FAULT_REG_SPACE; off++) {
        reads += hdabdl_fault_hal_reg_reads(t->fh, off, HDABDL_FAULT_SINCE_CREATE);
        writes += hdabdl_fault_hal_reg_writes(t->fh, off, HDABDL_FAULT_SINCE_CREATE);
    }
    assert_true(reads > 0 && writes > 0);
    assert_int_equal(reads, hdabdl_fault_hal_slot_calls(t->fh, HDABDL_FAULT_SLOT_REG_READ,
                                                        HDABDL_FAULT_SINCE_CREATE));
    assert_int_equal(writes, hdabdl_fault_hal_slot_calls(t->fh, HDABDL_FAULT_SLOT_REG_WRITE,
                                                         HDABDL_FAULT_SINCE_CREATE));
    assert_true(hdabdl_fault_hal_reg_reads(t->fh, HDA_REG_GCAP, HDABDL_FAULT_SINCE_CREATE) >= 1);
    assert_true(hdabdl_fault_hal_reg_writes(t->fh, HDA_REG_GCTL, HDABDL_FAULT_SINCE_CREATE) >= 1);
    /* An open controller holds DMA (position buffer, CORB/RIRB), memory, a lock, the irq. */
    assert_int_equal(hdabdl_fault_hal_outstanding(t->fh, HDABDL_FAULT_RES_DMA),
                     (int64_t)hdabdl_mock_hal_dma_blocks(t->fx->hal));
    assert_true(hdabdl_fault_hal_outstanding(t->fh, HDABDL_FAULT_RES_MEM) > 0);
    assert_int_equal(hdabdl_fault_hal_outstanding(t->fh, HDABDL_FAULT_RES_LOCK), 1);
    assert_int_equal(hdabdl_fault_hal_outstanding(t->fh, HDABDL_FAULT_RES_IRQ), 1);
    assert_int_equal(hdabdl_fault_hal_outstanding(t->fh, HDABDL_FAULT_RES_TIMER), 1);
}

/* Several threads through one fault HAL: no call is lost from the counters. */
#define THREADS 4
#define THREAD_CALLS 5000

static void *hammer(void *arg)
{
    struct ft *t = arg;
    void *lock = NULL;
    uint32_t v;
    assert_int_equal(t->ops->lock_create(t->ctx, &lock), 0);
    for (int i = 0; i < THREAD_CALLS; i++) {
        (void)t->ops->reg_read(t->ctx, HDA_REG_GCAP, 2, &v);
        t->ops->lock_acquire(t->ctx, lock);
        t->ops->lock_release(t->ctx, lock);
    }
    t->ops->lock_destroy(t->ctx, lock);
    return NULL;
}

static void test_counters_lose_no_call_of_concurrent_threads(void **state)
{
    struct ft *t = *state;
    pthread_t th[THREADS];
    assert_status(hdabdl_fault_hal_fail(t->fh, HDABDL_FAULT_REG_READ_ALL_ONES, 100, true),
                  HDABDL_STATUS_SUCCESS);
    for (int i = 0; i < THREADS; i++)
        assert_int_equal(pthread_create(&th[i], NULL, hammer, t), 0);
    for (int i = 0; i < THREADS; i++)
        assert_int_equal(pthread_join(th[i], NULL), 0);
    uint64_t n = (uint64_t)THREADS * THREAD_CALLS;
    assert_int_equal(hdabdl_fault_hal_slot_calls(t->fh, HDABDL_FAULT_SLOT_REG_READ,
                                                 HDABDL_FAULT_SINCE_CREATE), n);
    assert_int_equal(hdabdl_fault_hal_reg_reads(t->fh, HDA_REG_GCAP, HDABDL_FAULT_SINCE_CREATE), n);
    assert_int_equal(hdabdl_fault_hal_slot_calls(t->fh, HDABDL_FAULT_SLOT_LOCK_ACQUIRE,
                                                 HDABDL_FAULT_SINCE_CREATE), n);
    assert_int_equal(hdabdl_fault_hal_fired(t->fh, HDABDL_FAULT_REG_READ_ALL_ONES,
                                            HDABDL_FAULT_SINCE_CREATE), n - 99);
    assert_int_equal(hdabdl_fault_hal_log_count(t->fh), HDABDL_FAULT_LOG_SIZE);
}

/* ---- The log of faulted reads ------------------------------------------------------------- */

static void test_the_log_records_a_write_after_a_faulted_read(void **state)
{
    struct ft *t = *state;
    struct hdabdl_fault_read_record r;
    struct hdabdl_fault_spec spec = {.kind = HDABDL_FAULT_REG_READ_ALL_ONES, .nth = 1,
                                     .flags = HDABDL_FAULT_AT_OFFSET, .offset = HDA_REG_GCTL};
    uint32_t v = 0;

    write_gctl(t, HDA_GCTL_CRST);   /* out of reset, so that WAKEEN may be written */
    assert_int_equal(t->ops->reg_read(t->ctx, HDA_REG_GCAP, 2, &v), 0);
    assert_status(hdabdl_fault_hal_arm(t->fh, &spec, NULL), HDABDL_STATUS_SUCCESS);
    /* A read-modify-write of GCTL on a value from the failed read. */
    assert_int_equal(t->ops->reg_read(t->ctx, HDA_REG_GCTL, 4, &v), 0);
    assert_int_equal(v, 0xFFFFFFFFu);
    assert_int_equal(t->ops->reg_write(t->ctx, HDA_REG_WAKEEN, 2, 0), 0);   /* elsewhere */
    assert_int_equal(t->ops->reg_write(t->ctx, HDA_REG_GCTL, 4, v & HDA_GCTL_CRST), 0);
    assert_int_equal(t->ops->reg_write(t->ctx, HDA_REG_GCTL, 4, 0), 0);

    assert_int_equal(hdabdl_fault_hal_log_count(t->fh), 1);
    assert_true(hdabdl_fault_hal_log_get(t->fh, 0, &r));
    assert_int_equal(r.call, 2);
    assert_int_equal(r.kind, HDABDL_FAULT_REG_READ_ALL_ONES);
    assert_int_equal(r.offset, HDA_REG_GCTL);
    assert_int_equal(r.width, 4);
    assert_int_equal(r.error, 0);
    assert_int_equal(r.value, 0xFFFFFFFFu);
    assert_false(r.closed);
    assert_int_equal(r.writes, 2);
    assert_int_equal(r.write_width, 4);
    assert_int_equal(r.write_value, HDA_GCTL_CRST);
    assert_int_equal(hdabdl_fault_hal_tainted_writes(t->fh, HDABDL_FAULT_SINCE_CREATE), 2);
    assert_false(hdabdl_fault_hal_log_get(t->fh, 1, &r));
    fx_assert_no_violations(t->fx);
}

static void test_a_clean_read_closes_the_record_of_a_faulted_read(void **state)
{
    struct ft *t = *state;
    struct hdabdl_fault_read_record r;
    struct hdabdl_fault_spec spec = {.kind = HDABDL_FAULT_REG_READ_ERROR, .nth = 1,
                                     .flags = HDABDL_FAULT_AT_OFFSET, .offset = HDA_REG_GCTL};
    uint32_t v = 0;

    assert_status(hdabdl_fault_hal_arm(t->fh, &spec, NULL), HDABDL_STATUS_SUCCESS);
    assert_int_equal(t->ops->reg_read(t->ctx, HDA_REG_GCTL, 4, &v), -HDABDL_EIO);
    assert_int_equal(t->ops->reg_read(t->ctx, HDA_REG_GCTL, 4, &v), 0);   /* clean */
    assert_int_equal(t->ops->reg_write(t->ctx, HDA_REG_GCTL, 4, v), 0);
    assert_true(hdabdl_fault_hal_log_get(t->fh, 0, &r));
    assert_int_equal(r.error, -HDABDL_EIO);
    assert_int_equal(r.value, 0xFFFFFFFFu);
    assert_true(r.closed);
    assert_int_equal(r.writes, 0);
    assert_int_equal(hdabdl_fault_hal_tainted_writes(t->fh, HDABDL_FAULT_SINCE_CREATE), 0);
    hdabdl_fault_hal_log_clear(t->fh);
    assert_int_equal(hdabdl_fault_hal_log_count(t->fh), 0);
}

static void test_the_log_keeps_the_latest_faulted_reads(void **state)
{
    struct ft *t = *state;
    struct hdabdl_fault_read_record r;
    uint32_t v;
    assert_status(hdabdl_fault_hal_fail(t->fh, HDABDL_FAULT_REG_READ_ALL_ONES, 1, true),
                  HDABDL_STATUS_SUCCESS);
    for (int i = 0; i < HDABDL_FAULT_LOG_SIZE + 6; i++)
        assert_int_equal(t->ops->reg_read(t->ctx, HDA_REG_GCAP, 2, &v), 0);
    assert_int_equal(hdabdl_fault_hal_log_count(t->fh), HDABDL_FAULT_LOG_SIZE);
    assert_true(hdabdl_fault_hal_log_get(t->fh, 0, &r));
    assert_int_equal(r.call, 7);
    assert_true(hdabdl_fault_hal_log_get(t->fh, HDABDL_FAULT_LOG_SIZE - 1, &r));
    assert_int_equal(r.call, HDABDL_FAULT_LOG_SIZE + 6);
    assert_int_equal(r.width, 2);
    assert_int_equal(r.value, 0xFFFF);
}

/* ---- Arming rules, names, tables ---------------------------------------------------------- */

static void test_arming_refuses_faults_that_cannot_fire(void **state)
{
    struct ft *t = *state;
    struct hdabdl_fault_spec s = {.kind = HDABDL_FAULT_DMA_ALLOC, .nth = 0};
    int id = 5;
    assert_status(hdabdl_fault_hal_arm(t->fh, &s, &id), HDABDL_STATUS_INVALID_PARAMETER);
    assert_int_equal(id, -1);
    s.nth = 1;
    s.flags = HDABDL_FAULT_AT_OFFSET;   /* not a register kind */
    assert_status(hdabdl_fault_hal_arm(t->fh, &s, NULL), HDABDL_STATUS_INVALID_PARAMETER);
    s.flags = 0x80;
    assert_status(hdabdl_fault_hal_arm(t->fh, &s, NULL), HDABDL_STATUS_INVALID_PARAMETER);
    s.flags = 0;
    s.kind = HDABDL_FAULT_KIND_COUNT;
    assert_status(hdabdl_fault_hal_arm(t->fh, &s, NULL), HDABDL_STATUS_INVALID_PARAMETER);
    s.kind = HDABDL_FAULT_STUCK_BITS;   /* needs an offset and a mask */
    assert_status(hdabdl_fault_hal_arm(t->fh, &s, NULL), HDABDL_STATUS_INVALID_PARAMETER);
    s.flags = HDABDL_FAULT_AT_OFFSET;
    assert_status(hdabdl_fault_hal_arm(t->fh, &s, NULL), HDABDL_STATUS_INVALID_PARAMETER);
    assert_status(hdabdl_fault_hal_fail(t->fh, HDABDL_FAULT_STUCK_BITS, 1, true),
                  HDABDL_STATUS_INVALID_PARAMETER);
    assert_status(hdabdl_fault_hal_arm(t->fh, NULL, NULL), HDABDL_STATUS_INVALID_PARAMETER);
    assert_status(hdabdl_fault_hal_arm(NULL, &s, NULL), HDABDL_STATUS_INVALID_PARAMETER);
}

static void test_arming_holds_at_most_max_armed_faults(void **state)
{
    struct ft *t = *state;
    int id = -1;
    for (int i = 0; i < HDABDL_FAULT_MAX_ARMED; i++) {
        assert_status(hdabdl_fault_hal_fail(t->fh, HDABDL_FAULT_DMA_ALLOC, 100, false),
                      HDABDL_STATUS_SUCCESS);
    }
    assert_status(hdabdl_fault_hal_fail(t->fh, HDABDL_FAULT_DMA_ALLOC, 100, false),
                  HDABDL_STATUS_INSUFFICIENT_RESOURCES);
    hdabdl_fault_hal_disarm(t->fh, 3);
    struct hdabdl_fault_spec s = {.kind = HDABDL_FAULT_MEM_ALLOC, .nth = 1};
    assert_status(hdabdl_fault_hal_arm(t->fh, &s, &id), HDABDL_STATUS_SUCCESS);
    assert_int_equal(id, 3);
}

static void test_every_kind_and_slot_has_a_name(void **state)
{
    (void)state;
    for (int k = 0; k < HDABDL_FAULT_KIND_COUNT; k++) {
        assert_string_not_equal(hdabdl_fault_kind_name((enum hdabdl_fault_kind)k), "?");
        assert_true(hdabdl_fault_kind_slot((enum hdabdl_fault_kind)k) < HDABDL_FAULT_SLOT_COUNT);
    }
    for (int s = 0; s < HDABDL_FAULT_SLOT_COUNT; s++)
        assert_string_not_equal(hdabdl_fault_slot_name((enum hdabdl_fault_slot)s), "?");
    assert_string_equal(hdabdl_fault_kind_name(HDABDL_FAULT_KIND_COUNT), "?");
    assert_string_equal(hdabdl_fault_slot_name(HDABDL_FAULT_SLOT_COUNT), "?");
    assert_string_equal(hdabdl_fault_slot_name(HDABDL_FAULT_SLOT_LEVEL_RESTORE), "level_restore");
    assert_int_equal(hdabdl_fault_kind_slot(HDABDL_FAULT_STUCK_BITS), HDABDL_FAULT_SLOT_REG_WRITE);
}

static void test_create_refuses_a_missing_or_short_inner_table(void **state)
{
    struct ft *t = *state;
    struct hdabdl_fault_hal *fh = (struct hdabdl_fault_hal *)1;
    assert_status(hdabdl_fault_hal_create(NULL, NULL, &fh), HDABDL_STATUS_INVALID_PARAMETER);
    assert_null(fh);
    assert_status(hdabdl_fault_hal_create(hdabdl_mock_hal_ops(), NULL, NULL),
                  HDABDL_STATUS_INVALID_PARAMETER);
    t->inner = *hdabdl_mock_hal_ops();
    t->inner.struct_size = (uint32_t)HDABDL_HAL_OPS_V2_SIZE;   /* says v3, has v2's size */
    assert_status(hdabdl_fault_hal_create(&t->inner, NULL, &fh), HDABDL_STATUS_REVISION_MISMATCH);
    t->inner.abi_version = 0;
    assert_status(hdabdl_fault_hal_create(&t->inner, NULL, &fh), HDABDL_STATUS_REVISION_MISMATCH);
    hdabdl_fault_hal_destroy(NULL);
}

static void test_the_table_forwards_every_slot_the_inner_table_has(void **state)
{
    struct ft *t = *state;
    const struct hdabdl_hal_ops *m = hdabdl_mock_hal_ops();
    const struct hdabdl_hal_ops *o = t->ops;
    assert_int_equal(o->abi_version, HDABDL_HAL_ABI_VERSION);
    assert_int_equal(o->struct_size, sizeof(struct hdabdl_hal_ops));
    assert_string_equal(o->name, m->name);
    /* Same presence, slot by slot (the mock has them all). */
#define SAME_PRESENCE(slot) assert_int_equal(o->slot != NULL, m->slot != NULL)
    SAME_PRESENCE(reg_read);     SAME_PRESENCE(reg_write);    SAME_PRESENCE(reg_pointer);
    SAME_PRESENCE(dma_alloc);    SAME_PRESENCE(dma_free);     SAME_PRESENCE(delay_us);
    SAME_PRESENCE(now_ns);       SAME_PRESENCE(irq_attach);   SAME_PRESENCE(irq_detach);
    SAME_PRESENCE(lock_create);  SAME_PRESENCE(lock_destroy); SAME_PRESENCE(lock_acquire);
    SAME_PRESENCE(lock_release); SAME_PRESENCE(pci_ids);      SAME_PRESENCE(timer_attach);
    SAME_PRESENCE(timer_arm);    SAME_PRESENCE(timer_detach); SAME_PRESENCE(sleep_us);
    SAME_PRESENCE(mem_alloc);    SAME_PRESENCE(mem_free);     SAME_PRESENCE(caller_level);
    SAME_PRESENCE(level_raise);  SAME_PRESENCE(level_restore);
#undef SAME_PRESENCE
    struct hdabdl_pci_ids a, b;
    assert_int_equal(o->pci_ids(t->ctx, &a), 0);
    assert_int_equal(m->pci_ids(hdabdl_mock_hal_context(t->fx->hal), &b), 0);
    assert_int_equal(a.vendor_id, b.vendor_id);
    assert_int_equal(a.device_id, b.device_id);
    assert_int_equal(a.subsystem_vendor_id, b.subsystem_vendor_id);
    assert_int_equal(a.subsystem_id, b.subsystem_id);
    assert_int_equal(a.revision, b.revision);
    assert_non_null(o->reg_pointer(t->ctx, HDA_REG_WALCLK_ALIAS));
    uint64_t token = o->level_raise(t->ctx);
    assert_int_equal(o->caller_level(t->ctx), HDABDL_HAL_LEVEL_RAISED);
    o->level_restore(t->ctx, token);
    assert_int_equal(o->caller_level(t->ctx), HDABDL_HAL_LEVEL_PASSIVE);
}

static void test_slots_absent_in_the_inner_table_stay_absent(void **state)
{
    struct ft *t = *state;
    hdabdl_fault_hal_destroy(t->fh);
    t->inner = *hdabdl_mock_hal_ops();
    t->inner.irq_attach = NULL;
    t->inner.irq_detach = NULL;
    t->inner.reg_pointer = NULL;
    t->inner.sleep_us = NULL;
    t->inner.caller_level = NULL;
    ft_wrap(t, &t->inner);
    assert_null(t->ops->irq_attach);
    assert_null(t->ops->irq_detach);
    assert_null(t->ops->reg_pointer);
    assert_null(t->ops->sleep_us);
    assert_null(t->ops->caller_level);
    assert_non_null(t->ops->level_raise);
    /* The core still opens and talks to the codec, polling. */
    ft_open(t, 1);
    assert_int_equal(fx_cmd_stats(t->fx).mode, HDABDL_COMMANDS_CORB_POLL);
    assert_int_equal(fx_verb(t->fx->client, VENDOR_VERB) & 0xFFFF0000u, 0x1af40000u);
}

static void test_over_a_version_2_table_memory_comes_from_malloc(void **state)
{
    struct ft *t = *state;
    hdabdl_fault_hal_destroy(t->fh);
    t->inner = *hdabdl_mock_hal_ops();
    t->inner.abi_version = 2;
    t->inner.struct_size = (uint32_t)HDABDL_HAL_OPS_V2_SIZE;
    t->inner.mem_alloc = NULL;   /* past its size anyway */
    t->inner.mem_free = NULL;
    ft_wrap(t, &t->inner);
    assert_int_equal(t->ops->abi_version, 3);
    assert_non_null(t->ops->mem_alloc);
    assert_non_null(t->ops->mem_free);
    assert_null(t->ops->caller_level);   /* v3 slots of a v2 table are not read */
    assert_null(t->ops->level_raise);
    ft_open(t, 1);
    assert_true(hdabdl_fault_hal_outstanding(t->fh, HDABDL_FAULT_RES_MEM) > 0);
    /* ...and a fault of it still fires. */
    assert_status(hdabdl_fault_hal_fail(t->fh, HDABDL_FAULT_MEM_ALLOC, 1, false),
                  HDABDL_STATUS_SUCCESS);
    assert_true(call_kind(t, HDABDL_FAULT_MEM_ALLOC));
}

/* ---- Version pretending -------------------------------------------------------------------- */

static void test_pretending_version_1_or_2_makes_open_a_revision_mismatch(void **state)
{
    struct ft *t = *state;
    assert_status(hdabdl_fault_hal_set_version(t->fh, 1), HDABDL_STATUS_SUCCESS);
    assert_int_equal(t->ops->abi_version, 1);
    assert_int_equal(t->ops->struct_size, HDABDL_HAL_OPS_V1_SIZE);
    assert_open_fails_cleanly(t, HDABDL_STATUS_REVISION_MISMATCH);
    assert_status(hdabdl_fault_hal_set_version(t->fh, 2), HDABDL_STATUS_SUCCESS);
    assert_int_equal(t->ops->abi_version, 2);
    assert_int_equal(t->ops->struct_size, HDABDL_HAL_OPS_V2_SIZE);
    assert_open_fails_cleanly(t, HDABDL_STATUS_REVISION_MISMATCH);
    /* The core refused the table before calling any slot. */
    for (int s = 0; s < HDABDL_FAULT_SLOT_COUNT; s++)
        assert_int_equal(hdabdl_fault_hal_slot_calls(t->fh, (enum hdabdl_fault_slot)s,
                                                     HDABDL_FAULT_SINCE_CREATE), 0);
}

static void test_pretending_version_3_opens(void **state)
{
    struct ft *t = *state;
    assert_status(hdabdl_fault_hal_set_version(t->fh, 1), HDABDL_STATUS_SUCCESS);
    assert_status(hdabdl_fault_hal_set_version(t->fh, 3), HDABDL_STATUS_SUCCESS);
    assert_int_equal(t->ops->abi_version, 3);
    assert_true(t->ops->struct_size >= HDABDL_HAL_OPS_V3_SIZE);
    ft_open(t, 1);
    assert_status(hdabdl_fault_hal_set_version(t->fh, 0), HDABDL_STATUS_INVALID_PARAMETER);
    assert_status(hdabdl_fault_hal_set_version(t->fh, 4), HDABDL_STATUS_INVALID_PARAMETER);
    assert_int_equal(t->ops->abi_version, 3);
}

static void test_a_version_1_fault_table_runs_through_the_hosted_wrapper(void **state)
{
    struct ft *t = *state;
    struct hdabdl_hal_hosted hosted;
    assert_status(hdabdl_fault_hal_set_version(t->fh, 1), HDABDL_STATUS_SUCCESS);
    assert_status(hdabdl_hal_hosted_wrap(&hosted, t->ops, t->ctx), HDABDL_STATUS_SUCCESS);
    assert_status(hdabdl_controller_open(&hosted.ops, &hosted, NULL, &t->fx->ctrl),
                  HDABDL_STATUS_SUCCESS);
    /* Host memory came from the wrapper, not through the v1 table. */
    assert_int_equal(hdabdl_fault_hal_slot_calls(t->fh, HDABDL_FAULT_SLOT_MEM_ALLOC,
                                                 HDABDL_FAULT_SINCE_CREATE), 0);
    assert_int_equal(hdabdl_fault_hal_slot_calls(t->fh, HDABDL_FAULT_SLOT_PCI_IDS,
                                                 HDABDL_FAULT_SINCE_CREATE), 0);
    assert_true(hdabdl_fault_hal_slot_calls(t->fh, HDABDL_FAULT_SLOT_REG_READ,
                                            HDABDL_FAULT_SINCE_CREATE) > 0);
    hdabdl_controller_close(t->fx->ctrl);
    t->fx->ctrl = NULL;
}

/* ---- The core over it: a clean run is the same as over the bare mock ------------------------- */

struct play_result {
    struct hdabdl_mock_stats stats;
    unsigned isr_calls;
    uint32_t isr_or;
    uint64_t now_ns;
    size_t tap_bytes;
    uint8_t tap[8192];
    size_t dma_blocks_after;
    size_t violations;
};

#define PLAY_FRAGMENTS 4u
#define PLAY_FRAGMENT 1920u   /* 10 ms of 48 kHz 16-bit stereo */

/* Open over (@ops, @ctx), play 100 ms of a ramp, stop, free, close: what the mock saw. */
static void play(struct fx *fx, const struct hdabdl_hal_ops *ops, void *ctx,
                 struct play_result *r)
{
    struct hdabdl_stream_format f = fx_format_default();
    struct fx_stream s;

    memset(r, 0, sizeof *r);
    assert_status(hdabdl_controller_open(ops, ctx, NULL, &fx->ctrl), HDABDL_STATUS_SUCCESS);
    assert_status(hdabdl_client_open(fx->ctrl, 0, 1, &fx->client), HDABDL_STATUS_SUCCESS);
    fx_render_stream(fx->client, &f, PLAY_FRAGMENTS, PLAY_FRAGMENT, true, &s);
    for (uint32_t i = 0; i < PLAY_FRAGMENTS * PLAY_FRAGMENT; i++)
        s.data[i] = (uint8_t)(i * 7u + 1u);
    fx_start_stream(&s);
    fx_advance_ms(fx, 100);
    assert_status(fx_state1(fx->client, HDABDL_PAUSE_STATE, s.handle), HDABDL_STATUS_SUCCESS);
    assert_status(fx_state1(fx->client, HDABDL_RESET_STATE, s.handle), HDABDL_STATUS_SUCCESS);
    r->tap_bytes = hdabdl_mock_link_tap_read(fx->dev, s.tag, r->tap, sizeof r->tap);
    assert_status(hdabdl_free_contiguous_dma_buffer(fx->client, s.handle), HDABDL_STATUS_SUCCESS);
    assert_status(hdabdl_free_dma_engine(fx->client, s.handle), HDABDL_STATUS_SUCCESS);
    fx_close_all(fx);
    r->isr_calls = s.log.calls;
    r->isr_or = s.log.or_mask;
    hdabdl_mock_get_stats(fx->dev, &r->stats);
    r->now_ns = hdabdl_mock_now(fx->dev);
    r->dma_blocks_after = hdabdl_mock_hal_dma_blocks(fx->hal);
    r->violations = hdabdl_mock_violation_count(fx->dev);
}

static void test_a_clean_run_through_the_fault_hal_is_the_same_as_without_it(void **state)
{
    struct ft *t = *state;
    struct fx *bare = ft_new_fx();
    void *bare_state = bare;
    static struct play_result a, b;

    play(bare, hdabdl_mock_hal_ops(), hdabdl_mock_hal_context(bare->hal), &a);
    play(t->fx, t->ops, t->ctx, &b);

    assert_true(a.isr_calls >= 9);            /* it did play: 10 fragments in 100 ms */
    assert_int_equal(a.isr_or, HDABDL_ISR_BCIS);
    assert_true(a.tap_bytes > PLAY_FRAGMENT);
    assert_int_equal(a.violations, 0);
    assert_int_equal(a.dma_blocks_after, 0);

    assert_int_equal(b.isr_calls, a.isr_calls);
    assert_int_equal(b.isr_or, a.isr_or);
    assert_int_equal(b.now_ns, a.now_ns);
    assert_int_equal(b.stats.reg_reads, a.stats.reg_reads);
    assert_int_equal(b.stats.reg_writes, a.stats.reg_writes);
    assert_int_equal(b.stats.dma_bytes_read, a.stats.dma_bytes_read);
    assert_int_equal(b.stats.dma_bytes_written, a.stats.dma_bytes_written);
    assert_int_equal(b.stats.bcis_raised, a.stats.bcis_raised);
    assert_int_equal(b.tap_bytes, a.tap_bytes);
    assert_memory_equal(b.tap, a.tap, a.tap_bytes);
    assert_int_equal(b.violations, 0);
    assert_int_equal(b.dma_blocks_after, 0);

    /* The fault HAL saw every register access the mock saw, and fired nothing. */
    assert_int_equal(hdabdl_fault_hal_slot_calls(t->fh, HDABDL_FAULT_SLOT_REG_READ,
                                                 HDABDL_FAULT_SINCE_CREATE), b.stats.reg_reads);
    assert_int_equal(hdabdl_fault_hal_slot_calls(t->fh, HDABDL_FAULT_SLOT_REG_WRITE,
                                                 HDABDL_FAULT_SINCE_CREATE), b.stats.reg_writes);
    assert_int_equal(hdabdl_fault_hal_fired_total(t->fh, HDABDL_FAULT_SINCE_CREATE), 0);
    assert_int_equal(hdabdl_fault_hal_log_count(t->fh), 0);
    assert_true(hdabdl_fault_hal_slot_calls(t->fh, HDABDL_FAULT_SLOT_LEVEL_RAISE,
                                            HDABDL_FAULT_SINCE_CREATE) >= a.isr_calls);
    assert_nothing_held(t->fh);
    assert_int_equal(fx_teardown(&bare_state), 0);
}

/* ---- The core over it: failed opens ---------------------------------------------------------- */

/* Calls of @kind one clean open and close of a fresh controller make. */
static uint64_t calls_of_an_open(enum hdabdl_fault_kind kind)
{
    struct ft *t = ft_new();
    ft_open(t, 0);
    uint64_t n = hdabdl_fault_hal_kind_calls(t->fh, kind, HDABDL_FAULT_SINCE_CREATE);
    ft_free(t);
    return n;
}

static void test_every_dma_allocation_fault_at_open_fails_it_and_leaks_nothing(void **state)
{
    (void)state;
    uint64_t n = calls_of_an_open(HDABDL_FAULT_DMA_ALLOC);
    assert_true(n >= 2);   /* the position buffer and the CORB/RIRB page */
    for (int sticky = 0; sticky <= 1; sticky++) {
        for (uint64_t i = 1; i <= n; i++) {
            struct ft *t = ft_new();
            assert_status(hdabdl_fault_hal_fail(t->fh, HDABDL_FAULT_DMA_ALLOC, i, sticky),
                          HDABDL_STATUS_SUCCESS);
            assert_open_fails_cleanly(t, HDABDL_STATUS_INSUFFICIENT_RESOURCES);
            assert_int_equal(hdabdl_fault_hal_fired(t->fh, HDABDL_FAULT_DMA_ALLOC,
                                                    HDABDL_FAULT_SINCE_CREATE), 1);
            ft_free(t);
        }
    }
}

static void test_all_ones_reads_at_open_say_the_device_does_not_exist(void **state)
{
    struct ft *t = *state;
    assert_status(hdabdl_fault_hal_fail(t->fh, HDABDL_FAULT_REG_READ_ALL_ONES, 1, true),
                  HDABDL_STATUS_SUCCESS);
    assert_open_fails_cleanly(t, HDABDL_STATUS_DEVICE_DOES_NOT_EXIST);
    /* Nothing was written to a device that is gone. */
    assert_int_equal(hdabdl_fault_hal_slot_calls(t->fh, HDABDL_FAULT_SLOT_REG_WRITE,
                                                 HDABDL_FAULT_SINCE_CREATE), 0);
}

static void test_a_failed_first_read_at_open_says_the_device_does_not_exist(void **state)
{
    struct ft *t = *state;
    struct hdabdl_fault_read_record r;
    assert_status(hdabdl_fault_hal_fail(t->fh, HDABDL_FAULT_REG_READ_ERROR, 1, false),
                  HDABDL_STATUS_SUCCESS);
    assert_open_fails_cleanly(t, HDABDL_STATUS_DEVICE_DOES_NOT_EXIST);
    assert_true(hdabdl_fault_hal_log_get(t->fh, 0, &r));
    assert_int_equal(r.offset, HDA_REG_GCAP);
    assert_int_equal(r.width, 2);
    assert_int_equal(r.writes, 0);
}

static void test_a_stuck_crst_at_open_says_the_device_is_not_ready(void **state)
{
    struct ft *t = *state;
    arm_stuck_crst(t, 1, true);
    assert_open_fails_cleanly(t, HDABDL_STATUS_DEVICE_NOT_READY);
    assert_int_equal(hdabdl_fault_hal_fired(t->fh, HDABDL_FAULT_STUCK_BITS,
                                            HDABDL_FAULT_SINCE_CREATE) >= 1, 1);
}

static void test_a_lock_creation_fault_at_open_fails_it_and_leaks_nothing(void **state)
{
    struct ft *t = *state;
    assert_status(hdabdl_fault_hal_fail(t->fh, HDABDL_FAULT_LOCK_CREATE, 1, false),
                  HDABDL_STATUS_SUCCESS);
    assert_open_fails_cleanly(t, HDABDL_STATUS_INSUFFICIENT_RESOURCES);
}

static void test_a_memory_fault_at_open_fails_it_with_no_memory(void **state)
{
    struct ft *t = *state;
    assert_status(hdabdl_fault_hal_fail(t->fh, HDABDL_FAULT_MEM_ALLOC, 1, false),
                  HDABDL_STATUS_SUCCESS);
    assert_open_fails_cleanly(t, HDABDL_STATUS_NO_MEMORY);
}

static void test_an_irq_attach_fault_at_open_leaves_the_controller_polling(void **state)
{
    struct ft *t = *state;
    assert_status(hdabdl_fault_hal_fail(t->fh, HDABDL_FAULT_IRQ_ATTACH, 1, false),
                  HDABDL_STATUS_SUCCESS);
    ft_open(t, 1);
    assert_int_equal(hdabdl_fault_hal_outstanding(t->fh, HDABDL_FAULT_RES_IRQ), 0);
    assert_int_equal(fx_cmd_stats(t->fx).mode, HDABDL_COMMANDS_CORB_POLL);
    assert_int_equal(fx_verb(t->fx->client, VENDOR_VERB) & 0xFFFF0000u, 0x1af40000u);
}

static void test_a_timer_attach_fault_at_open_still_opens(void **state)
{
    struct ft *t = *state;
    assert_status(hdabdl_fault_hal_fail(t->fh, HDABDL_FAULT_TIMER_ATTACH, 1, false),
                  HDABDL_STATUS_SUCCESS);
    ft_open(t, 1);
    assert_int_equal(hdabdl_fault_hal_outstanding(t->fh, HDABDL_FAULT_RES_TIMER), 0);
    assert_int_equal(hdabdl_fault_hal_outstanding(t->fh, HDABDL_FAULT_RES_IRQ), 1);
    assert_int_equal(fx_verb(t->fx->client, VENDOR_VERB) & 0xFFFF0000u, 0x1af40000u);
}

#define T(name) cmocka_unit_test_setup_teardown(name, ft_setup, ft_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        /* Each kind */
        cmocka_unit_test(test_each_kind_fires_at_the_nth_call_only_once),
        cmocka_unit_test(test_each_sticky_kind_fires_at_the_nth_call_and_every_later_one),
        T(test_a_fault_counts_calls_from_when_it_was_armed),
        T(test_a_disarmed_fault_never_fires),
        T(test_several_faults_armed_at_once_each_fire),
        T(test_the_first_armed_fault_decides_a_call_two_fire_on),
        T(test_a_register_fault_at_an_offset_counts_only_that_offset),
        T(test_a_write_fault_does_not_reach_the_inner_hal),
        /* Stuck bits */
        T(test_stuck_bits_read_as_before_the_nth_write_until_the_next_write),
        T(test_sticky_stuck_bits_never_change_again),
        T(test_stuck_bits_leave_the_other_bits_and_offsets_alone),
        /* Counting */
        T(test_counts_every_slot_since_creation_and_since_reset),
        T(test_counts_register_reads_and_writes_per_offset),
        T(test_every_register_call_of_an_open_is_counted_at_its_offset),
        T(test_counters_lose_no_call_of_concurrent_threads),
        /* The log */
        T(test_the_log_records_a_write_after_a_faulted_read),
        T(test_a_clean_read_closes_the_record_of_a_faulted_read),
        T(test_the_log_keeps_the_latest_faulted_reads),
        /* Rules and tables */
        T(test_arming_refuses_faults_that_cannot_fire),
        T(test_arming_holds_at_most_max_armed_faults),
        cmocka_unit_test(test_every_kind_and_slot_has_a_name),
        T(test_create_refuses_a_missing_or_short_inner_table),
        T(test_the_table_forwards_every_slot_the_inner_table_has),
        T(test_slots_absent_in_the_inner_table_stay_absent),
        T(test_over_a_version_2_table_memory_comes_from_malloc),
        /* Versions */
        T(test_pretending_version_1_or_2_makes_open_a_revision_mismatch),
        T(test_pretending_version_3_opens),
        T(test_a_version_1_fault_table_runs_through_the_hosted_wrapper),
        /* The core over it */
        T(test_a_clean_run_through_the_fault_hal_is_the_same_as_without_it),
        cmocka_unit_test(test_every_dma_allocation_fault_at_open_fails_it_and_leaks_nothing),
        T(test_all_ones_reads_at_open_say_the_device_does_not_exist),
        T(test_a_failed_first_read_at_open_says_the_device_does_not_exist),
        T(test_a_stuck_crst_at_open_says_the_device_is_not_ready),
        T(test_a_lock_creation_fault_at_open_fails_it_and_leaks_nothing),
        T(test_a_memory_fault_at_open_fails_it_with_no_memory),
        T(test_an_irq_attach_fault_at_open_leaves_the_controller_polling),
        T(test_a_timer_attach_fault_at_open_still_opens),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
