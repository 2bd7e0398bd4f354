/* SPDX-License-Identifier: MIT */
/*
 * test_mock_hal.c - the mock HAL: ops table, DMA arenas, time, interrupt
 * delivery and locks, used through the ops table the way the core uses it.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE   /* pthreads, clock_gettime, fork: tests build as plain C11 */
#endif

#include "test_mock_host.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include "hdabdl/codec.h"
#include "hal/mock/mock_internal.h"

struct ht {
    struct hdabdl_mock_hal_config cfg;
    struct hdabdl_mock_hal *hal;
    struct hdabdl_mock *dev;
    const struct hdabdl_hal_ops *ops;
    void *ctx;
    /* interrupt handler log */
    unsigned irq_calls;
    bool irq_clears_bcis;
    uint64_t irq_last_ns;
};

static void ht_create(struct ht *h)
{
    hdabdl_mock_hal_destroy(h->hal);
    h->hal = NULL;
    assert_int_equal(hdabdl_mock_hal_create(&h->cfg, &h->hal), 0);
    h->dev = hdabdl_mock_hal_device(h->hal);
    h->ops = hdabdl_mock_hal_ops();
    h->ctx = hdabdl_mock_hal_context(h->hal);
    assert_non_null(h->dev);
}

static int ht_setup(void **state)
{
    struct ht *h = calloc(1, sizeof(*h));
    if (!h)
        return -1;
    *state = h;
    hdabdl_mock_hal_config_default(&h->cfg);
    if (hdabdl_mock_hal_create(&h->cfg, &h->hal) != 0)
        return -1;
    h->dev = hdabdl_mock_hal_device(h->hal);
    h->ops = hdabdl_mock_hal_ops();
    h->ctx = hdabdl_mock_hal_context(h->hal);
    return 0;
}

static int ht_teardown(void **state)
{
    struct ht *h = *state;
    hdabdl_mock_hal_destroy(h->hal);
    free(h);
    return 0;
}

static uint32_t ht_rd(struct ht *h, uint32_t offset, unsigned width)
{
    uint32_t v = 0;
    assert_int_equal(h->ops->reg_read(h->ctx, offset, width, &v), 0);
    return v;
}

static void ht_wr(struct ht *h, uint32_t offset, unsigned width, uint32_t value)
{
    assert_int_equal(h->ops->reg_write(h->ctx, offset, width, value), 0);
}

static void ht_leave_reset(struct ht *h)
{
    ht_wr(h, HDA_REG_GCTL, 4, HDA_GCTL_CRST);
    h->ops->delay_us(h->ctx, 100);
    assert_int_equal(ht_rd(h, HDA_REG_GCTL, 4), HDA_GCTL_CRST);
}

static struct hdabdl_hal_dma ht_alloc(struct ht *h, size_t size, size_t align, uint64_t limit)
{
    struct hdabdl_hal_dma dma;
    memset(&dma, 0, sizeof(dma));
    assert_int_equal(h->ops->dma_alloc(h->ctx, size, align, limit, &dma), 0);
    return dma;
}

/* BDL entry @i in the controller's byte order. */
static void put_bde(const struct hdabdl_hal_dma *bdl, unsigned i, uint64_t address, uint32_t len, bool ioc)
{
    hdabdl_bdl_write_entry(bdl->cpu, i, address, len, ioc ? HDA_BDL_IOC : 0);
}

static void ht_program(struct ht *h, unsigned n, uint64_t bdl, uint32_t cbl, uint32_t lvi, uint32_t ctl)
{
    ht_wr(h, HDA_SD_OFFSET(n, HDA_SD_BDPL), 4, (uint32_t)bdl);
    ht_wr(h, HDA_SD_OFFSET(n, HDA_SD_BDPU), 4, (uint32_t)(bdl >> 32));
    ht_wr(h, HDA_SD_OFFSET(n, HDA_SD_CBL), 4, cbl);
    ht_wr(h, HDA_SD_OFFSET(n, HDA_SD_LVI), 2, lvi);
    ht_wr(h, HDA_SD_OFFSET(n, HDA_SD_FMT), 2, TH_FMT_48K_16_2CH);
    ht_wr(h, HDA_SD_OFFSET(n, HDA_SD_CTL), 4, ctl | 1u << HDA_SD_CTL_STRM_SHIFT);
}

/* ---- Ops table and life cycle ------------------------------------------------------ */

static void test_mock_hal_ops_table_is_version_3(void **state)
{
    struct ht *h = *state;
    const struct hdabdl_hal_ops *ops = h->ops;

    assert_int_equal(HDABDL_HAL_ABI_VERSION, 3);
    assert_int_equal(ops->abi_version, HDABDL_HAL_ABI_VERSION);
    assert_int_equal(ops->struct_size, sizeof(struct hdabdl_hal_ops));
    assert_true(ops->struct_size >= HDABDL_HAL_OPS_V1_SIZE);
    assert_true(ops->struct_size >= HDABDL_HAL_OPS_V2_SIZE);
    assert_true(ops->struct_size >= HDABDL_HAL_OPS_V3_SIZE);
    assert_non_null(ops->pci_ids);
    assert_non_null(ops->mem_alloc);
    assert_non_null(ops->mem_free);
    assert_non_null(ops->caller_level);
    assert_non_null(ops->level_raise);
    assert_non_null(ops->level_restore);
    assert_string_equal(ops->name, "mock");
    assert_non_null(ops->reg_read);
    assert_non_null(ops->reg_write);
    assert_non_null(ops->reg_pointer);
    assert_non_null(ops->dma_alloc);
    assert_non_null(ops->dma_free);
    assert_non_null(ops->delay_us);
    assert_non_null(ops->now_ns);
    assert_non_null(ops->irq_attach);
    assert_non_null(ops->irq_detach);
    assert_non_null(ops->lock_create);
    assert_non_null(ops->lock_destroy);
    assert_non_null(ops->lock_acquire);
    assert_non_null(ops->lock_release);
    assert_ptr_equal(h->ctx, h->hal);
}

static void test_mock_hal_config_default_values(void **state)
{
    (void)state;
    struct hdabdl_mock_hal_config c;
    hdabdl_mock_hal_config_default(&c);
    assert_int_equal(c.dma_bus_base, 0x10000000u);
    assert_int_equal(c.dma_arena_size, 64u << 20);
    assert_int_equal(c.dma_high_bus_base, 0);
    assert_int_equal(c.device.input_streams, 4);
    assert_int_equal(c.device.output_streams, 4);
    assert_int_equal(c.device.bidir_streams, 0);
    assert_true(c.device.addr64);
    assert_int_equal(c.device.mmio_bus_address, 0xFEBF0000u);
    assert_int_equal(c.device.crst_delay_ns, 50000);
    assert_int_equal(c.device.link_tap_capacity, 8u << 20);
    assert_int_equal(c.device.codec_mask, 0x1);
    assert_int_equal(c.device.corb_size_caps, 0x4);
    assert_int_equal(c.device.corbrp_reset, HDABDL_MOCK_CORBRP_ACKED);
    assert_int_equal(c.device.pci_vendor_id, 0x8086);
    assert_int_equal(c.device.pci_device_id, 0x2668);
    assert_int_equal(c.device.pci_revision, 0x01);
}

static void test_mock_hal_pci_ids(void **state)
{
    struct ht *h = *state;
    struct hdabdl_pci_ids ids;

    assert_int_equal(h->ops->pci_ids(h->ctx, &ids), 0);
    assert_int_equal(ids.vendor_id, 0x8086);
    assert_int_equal(ids.device_id, 0x2668);
    assert_int_equal(ids.revision, 0x01);
    assert_int_equal(ids.subsystem_vendor_id, 0x8086);
    assert_int_equal(ids.subsystem_id, 0x0000);

    h->cfg.device.pci_device_id = 0xA0C8;   /* Tiger Lake */
    h->cfg.device.pci_revision = 0x20;
    h->cfg.device.pci_subsystem_vendor_id = 0x1af4;
    h->cfg.device.pci_subsystem_id = 0x1100;
    ht_create(h);
    assert_int_equal(h->ops->pci_ids(h->ctx, &ids), 0);
    assert_int_equal(ids.vendor_id, 0x8086);
    assert_int_equal(ids.device_id, 0xA0C8);
    assert_int_equal(ids.revision, 0x20);
    assert_int_equal(ids.subsystem_vendor_id, 0x1af4);
    assert_int_equal(ids.subsystem_id, 0x1100);
    assert_int_equal(h->ops->pci_ids(h->ctx, NULL), -EINVAL);
}

/* ---- Codecs ------------------------------------------------------------------------------ */

#define DEFAULT_VENDOR_ID 0x1af40022u

/* Leave reset and wait for the codecs (through the ops table). */
static void ht_link_up(struct ht *h)
{
    ht_leave_reset(h);
    h->ops->delay_us(h->ctx, (uint32_t)(h->cfg.device.codec_wake_delay_ns / 1000u) + 1u);
}

/* Send @verb with the immediate command interface; true and *response if answered. */
static bool ht_ic(struct ht *h, uint32_t verb, uint32_t *response)
{
    ht_wr(h, HDA_REG_ICIS, 2, HDA_ICIS_IRV);
    ht_wr(h, HDA_REG_ICOI, 4, verb);
    ht_wr(h, HDA_REG_ICIS, 2, HDA_ICIS_ICB);
    h->ops->delay_us(h->ctx, 50);   /* more than two link frames */
    if (!(ht_rd(h, HDA_REG_ICIS, 2) & HDA_ICIS_IRV))
        return false;
    *response = ht_rd(h, HDA_REG_ICII, 4);
    return true;
}

/* The default codec's description with another vendor ID. */
static void other_desc(struct hdabdl_codec_desc *desc, uint32_t vendor_id)
{
    assert_int_equal(hdabdl__mock_default_codec_desc(desc), 0);
    desc->vendor_id = vendor_id;
}

static void test_default_codec_answers_vendor_id(void **state)
{
    struct ht *h = *state;
    uint32_t r = 0;
    ht_link_up(h);

    assert_int_equal(ht_rd(h, HDA_REG_STATESTS, 2), 0x1);
    assert_true(ht_ic(h, th_get_param(0, 0, 0x00), &r));
    assert_int_equal(r, DEFAULT_VENDOR_ID);
    assert_int_equal(ht_rd(h, HDA_REG_ICIS, 2) & 0xF0, 0x00);   /* codec 0 answered */
    assert_int_equal(hdabdl_mock_violation_count(h->dev), 0);
}

static void test_mock_hal_puts_a_default_codec_at_every_codec_mask_address(void **state)
{
    struct ht *h = *state;
    uint32_t r = 0;
    h->cfg.device.codec_mask = 0x5;
    ht_create(h);
    ht_link_up(h);

    assert_int_equal(ht_rd(h, HDA_REG_STATESTS, 2), 0x5);
    assert_true(ht_ic(h, th_get_param(2, 0, 0x00), &r));
    assert_int_equal(r, DEFAULT_VENDOR_ID);
    assert_int_equal(ht_rd(h, HDA_REG_ICIS, 2) & 0xF0, 0x20);
    assert_true(ht_ic(h, th_get_param(0, 0, 0x00), &r));
    assert_false(ht_ic(h, th_get_param(1, 0, 0x00), &r));
}

static void test_mock_hal_add_codec_builds_attaches_and_marks_present(void **state)
{
    struct ht *h = *state;
    struct hdabdl_codec_desc desc;
    struct hdabdl_codec *codec = NULL;
    uint32_t r = 0;

    other_desc(&desc, 0x10ec0269);
    assert_int_equal(hdabdl_mock_hal_add_codec(h->hal, &desc, 3, &codec), 0);
    hdabdl_codec_desc_clear(&desc);     /* the codec keeps its own copy */
    assert_non_null(codec);
    assert_int_equal(hdabdl_codec_address(codec), 3);
    ht_link_up(h);

    assert_int_equal(ht_rd(h, HDA_REG_STATESTS, 2), 0x9);
    assert_true(ht_ic(h, th_get_param(3, 0, 0x00), &r));
    assert_int_equal(r, 0x10ec0269);
    assert_true(ht_ic(h, th_get_param(0, 0, 0x00), &r));
    assert_int_equal(r, DEFAULT_VENDOR_ID);
    struct hdabdl_codec_stats s;
    hdabdl_codec_get_stats(codec, &s);
    assert_int_equal(s.verbs, 1);
}

static void test_mock_hal_add_codec_replaces_the_default_codec(void **state)
{
    struct ht *h = *state;
    struct hdabdl_codec_desc desc;
    uint32_t r = 0;

    other_desc(&desc, 0x11112222);
    assert_int_equal(hdabdl_mock_hal_add_codec(h->hal, &desc, 0, NULL), 0);
    ht_link_up(h);
    assert_true(ht_ic(h, th_get_param(0, 0, 0x00), &r));
    assert_int_equal(r, 0x11112222);
    /* Added codecs are not replaced. */
    assert_int_equal(hdabdl_mock_hal_add_codec(h->hal, &desc, 0, NULL), -EBUSY);

    /* After the controller was used, a default codec is still replaced. */
    h->cfg.device.codec_mask = 0x2;
    ht_create(h);
    ht_link_up(h);
    assert_true(ht_ic(h, th_get_param(1, 0, 0x00), &r));
    assert_int_equal(r, DEFAULT_VENDOR_ID);
    desc.vendor_id = 0x33334444;
    assert_int_equal(hdabdl_mock_hal_add_codec(h->hal, &desc, 1, NULL), 0);
    assert_true(ht_ic(h, th_get_param(1, 0, 0x00), &r));
    assert_int_equal(r, 0x33334444);
    hdabdl_codec_desc_clear(&desc);
}

static void test_mock_hal_add_codec_rejects_bad_addresses(void **state)
{
    struct ht *h = *state;
    struct hdabdl_codec *codec = (struct hdabdl_codec *)h;

    assert_int_equal(hdabdl_mock_hal_add_codec(h->hal, NULL, 15, &codec), -EINVAL);
    assert_null(codec);
    assert_int_equal(hdabdl_mock_hal_add_codec(NULL, NULL, 0, NULL), -EINVAL);
}

static void test_mock_hal_add_codec_without_description_builds_the_default(void **state)
{
    struct ht *h = *state;
    struct hdabdl_codec *codec = NULL;
    uint32_t r = 0;

    assert_int_equal(hdabdl_mock_hal_add_codec(h->hal, NULL, 7, &codec), 0);
    assert_int_equal(hdabdl_codec_description(codec)->vendor_id, DEFAULT_VENDOR_ID);
    ht_link_up(h);
    assert_int_equal(ht_rd(h, HDA_REG_STATESTS, 2), 0x81);
    assert_true(ht_ic(h, th_get_param(7, 0, 0x00), &r));
    assert_int_equal(r, DEFAULT_VENDOR_ID);
}

static void test_mock_hal_leaves_a_codec_the_host_attached_alone(void **state)
{
    struct ht *h = *state;
    struct hdabdl_codec_desc desc;
    struct hdabdl_codec *mine = NULL;
    uint32_t r = 0;

    other_desc(&desc, 0x55556666);
    assert_int_equal(hdabdl_codec_create(&desc, NULL, &mine), 0);
    hdabdl_codec_desc_clear(&desc);
    assert_int_equal(hdabdl_mock_attach_codec(h->dev, mine), 0);
    ht_link_up(h);
    assert_true(ht_ic(h, th_get_param(0, 0, 0x00), &r));
    assert_int_equal(r, 0x55556666);
    assert_int_equal(hdabdl_mock_hal_add_codec(h->hal, NULL, 0, NULL), -EBUSY);

    hdabdl_mock_hal_destroy(h->hal);    /* the HAL does not free it */
    h->hal = NULL;
    hdabdl_codec_destroy(mine);
}

static void test_mock_hal_create_rejects_bad_arenas(void **state)
{
    (void)state;
    struct hdabdl_mock_hal_config c;
    struct hdabdl_mock_hal *hal = NULL;

    hdabdl_mock_hal_config_default(&c);
    c.dma_arena_size = 0;
    assert_int_equal(hdabdl_mock_hal_create(&c, &hal), -EINVAL);
    hdabdl_mock_hal_config_default(&c);
    c.dma_bus_base = UINT64_MAX - 100;
    assert_int_equal(hdabdl_mock_hal_create(&c, &hal), -EINVAL);
    hdabdl_mock_hal_config_default(&c);
    c.dma_bus_base = c.device.mmio_bus_address - 4096;    /* covers the BAR */
    assert_int_equal(hdabdl_mock_hal_create(&c, &hal), -EINVAL);
    hdabdl_mock_hal_config_default(&c);
    c.dma_high_bus_base = c.dma_bus_base + 4096;           /* overlaps the low arena */
    assert_int_equal(hdabdl_mock_hal_create(&c, &hal), -EINVAL);
    hdabdl_mock_hal_config_default(&c);
    c.device.sdo_lines = 3;                                /* the device's own checks */
    assert_int_equal(hdabdl_mock_hal_create(&c, &hal), -EINVAL);
    assert_null(hal);
}

/* ---- DMA arenas ---------------------------------------------------------------------- */

static void test_mock_hal_dma_respects_limit(void **state)
{
    struct ht *h = *state;
    struct hdabdl_hal_dma dma;
    const uint64_t base = h->cfg.dma_bus_base;

    dma = ht_alloc(h, 4096, 4096, base + 4096);
    assert_int_equal(dma.bus, base);
    assert_true(dma.bus + dma.size <= base + 4096);
    struct hdabdl_hal_dma more;
    assert_int_equal(h->ops->dma_alloc(h->ctx, 128, 128, base + 4096, &more), -ENOMEM);
    assert_int_equal(h->ops->dma_alloc(h->ctx, 128, 128, base, &more), -ENOMEM);
    assert_int_equal(h->ops->dma_alloc(h->ctx, 4096, 128, base + 8191, &more), -ENOMEM);
    more = ht_alloc(h, 4096, 128, base + 8192);
    assert_int_equal(more.bus, base + 4096);
    h->ops->dma_free(h->ctx, &dma);
    h->ops->dma_free(h->ctx, &more);
    assert_int_equal(hdabdl_mock_hal_dma_blocks(h->hal), 0);
}

static void test_mock_hal_dma_aligns_bus_and_cpu_addresses(void **state)
{
    struct ht *h = *state;
    struct hdabdl_hal_dma a = ht_alloc(h, 100, 128, UINT64_MAX);
    struct hdabdl_hal_dma b = ht_alloc(h, 100, 65536, UINT64_MAX);
    struct hdabdl_hal_dma c = ht_alloc(h, 1, 1, UINT64_MAX);

    assert_int_equal(a.bus % 128, 0);
    assert_int_equal(b.bus % 65536, 0);
    assert_true(b.bus > a.bus);
    assert_int_equal((uintptr_t)a.cpu % 128, 0);
    assert_int_equal((uintptr_t)b.cpu % 4096, 0);
    assert_true(a.size >= 100 && b.size >= 100 && c.size >= 1);
    assert_int_equal(c.bus, a.bus + 100);          /* first fit: right after a */
    memset(a.cpu, 1, a.size);
    memset(b.cpu, 2, b.size);
    h->ops->dma_free(h->ctx, &a);
    h->ops->dma_free(h->ctx, &b);
    h->ops->dma_free(h->ctx, &c);
}

static void test_mock_hal_dma_first_fit_reuses_freed_space(void **state)
{
    struct ht *h = *state;
    struct hdabdl_hal_dma a = ht_alloc(h, 4096, 4096, UINT64_MAX);
    struct hdabdl_hal_dma b = ht_alloc(h, 4096, 4096, UINT64_MAX);
    uint64_t a_bus = a.bus;
    h->ops->dma_free(h->ctx, &a);
    struct hdabdl_hal_dma c = ht_alloc(h, 2048, 128, UINT64_MAX);
    assert_int_equal(c.bus, a_bus);
    struct hdabdl_hal_dma d = ht_alloc(h, 4096, 128, UINT64_MAX);   /* does not fit in the rest */
    assert_int_equal(d.bus, b.bus + 4096);
    h->ops->dma_free(h->ctx, &b);
    h->ops->dma_free(h->ctx, &c);
    h->ops->dma_free(h->ctx, &d);
}

static void test_mock_hal_dma_arena_runs_out(void **state)
{
    struct ht *h = *state;
    struct hdabdl_hal_dma a, b;
    h->cfg.dma_arena_size = 65536;
    ht_create(h);

    a = ht_alloc(h, 65536, 128, UINT64_MAX);
    assert_int_equal(h->ops->dma_alloc(h->ctx, 1, 128, UINT64_MAX, &b), -ENOMEM);
    h->ops->dma_free(h->ctx, &a);
    b = ht_alloc(h, 1, 128, UINT64_MAX);
    h->ops->dma_free(h->ctx, &b);
}

static void test_mock_hal_dma_prefers_the_high_arena_when_the_limit_allows(void **state)
{
    struct ht *h = *state;
    h->cfg.dma_high_bus_base = 0x100000000ull;
    ht_create(h);

    struct hdabdl_hal_dma hi = ht_alloc(h, 4096, 128, UINT64_MAX);
    struct hdabdl_hal_dma lo = ht_alloc(h, 4096, 128, 1ull << 32);
    assert_int_equal(hi.bus, 0x100000000ull);
    assert_int_equal(lo.bus, h->cfg.dma_bus_base);
    h->ops->dma_free(h->ctx, &hi);
    h->ops->dma_free(h->ctx, &lo);
}

static void test_mock_hal_dma_rejects_bad_arguments(void **state)
{
    struct ht *h = *state;
    struct hdabdl_hal_dma dma;
    assert_int_equal(h->ops->dma_alloc(h->ctx, 0, 128, UINT64_MAX, &dma), -EINVAL);
    assert_int_equal(h->ops->dma_alloc(h->ctx, 128, 0, UINT64_MAX, &dma), -EINVAL);
    assert_int_equal(h->ops->dma_alloc(h->ctx, 128, 96, UINT64_MAX, &dma), -EINVAL);
    assert_int_equal(hdabdl_mock_hal_dma_blocks(h->hal), 0);
}

static void test_mock_hal_dma_alloc_failure_knob(void **state)
{
    struct ht *h = *state;
    struct hdabdl_hal_dma d[4];
    hdabdl_mock_hal_fail_dma_alloc(h->hal, 1, 2);

    assert_int_equal(h->ops->dma_alloc(h->ctx, 128, 128, UINT64_MAX, &d[0]), 0);
    assert_int_equal(h->ops->dma_alloc(h->ctx, 128, 128, UINT64_MAX, &d[1]), -ENOMEM);
    assert_int_equal(h->ops->dma_alloc(h->ctx, 128, 128, UINT64_MAX, &d[1]), -ENOMEM);
    assert_int_equal(h->ops->dma_alloc(h->ctx, 128, 128, UINT64_MAX, &d[1]), 0);
    assert_int_equal(hdabdl_mock_hal_dma_blocks(h->hal), 2);
    h->ops->dma_free(h->ctx, &d[0]);
    h->ops->dma_free(h->ctx, &d[1]);
}

static void test_mock_hal_dma_blocks_counts_live_blocks(void **state)
{
    struct ht *h = *state;
    struct hdabdl_hal_dma d[5];
    for (int i = 0; i < 5; i++) {
        d[i] = ht_alloc(h, 300, 128, UINT64_MAX);
        assert_int_equal(hdabdl_mock_hal_dma_blocks(h->hal), (size_t)i + 1);
    }
    h->ops->dma_free(h->ctx, &d[2]);
    assert_int_equal(hdabdl_mock_hal_dma_blocks(h->hal), 4);
    assert_null(d[2].cookie);
    /* The rest is left for destroy to free (the leak checker watches). */
}

static void test_mock_hal_dma_contents_are_not_zeroed(void **state)
{
    struct ht *h = *state;
    struct hdabdl_hal_dma d = ht_alloc(h, 256, 128, UINT64_MAX);
    bool all_zero = true;
    for (size_t i = 0; i < d.size; i++)
        all_zero = all_zero && ((uint8_t *)d.cpu)[i] == 0;
    assert_false(all_zero);
    h->ops->dma_free(h->ctx, &d);
}

static void test_mock_hal_device_reaches_only_live_blocks(void **state)
{
    struct ht *h = *state;
    struct hdabdl_mock_violation_record r;
    ht_leave_reset(h);
    struct hdabdl_hal_dma bdl = ht_alloc(h, 4096, 128, UINT64_MAX);
    struct hdabdl_hal_dma buf = ht_alloc(h, 256, 128, UINT64_MAX);
    put_bde(&bdl, 0, buf.bus, 128, false);
    put_bde(&bdl, 1, buf.bus + 128, 128, false);
    uint64_t freed = buf.bus;
    h->ops->dma_free(h->ctx, &buf);

    ht_program(h, TH_OUT0, bdl.bus, 256, 1, HDA_SD_CTL_RUN);
    hdabdl_mock_hal_advance(h->hal, 100000);
    assert_true(hdabdl_mock_violation_get(h->dev, 0, &r));
    assert_int_equal(r.kind, HDABDL_MOCK_DMA_FAULT);
    assert_int_equal(r.offset, (uint32_t)freed);
    assert_int_equal(ht_rd(h, HDA_SD_OFFSET(TH_OUT0, HDA_SD_STS), 1), HDA_SD_STS_DESE);
    h->ops->dma_free(h->ctx, &bdl);
}

static void test_mock_hal_device_reads_what_the_cpu_wrote(void **state)
{
    struct ht *h = *state;
    uint8_t got[64];
    ht_leave_reset(h);
    struct hdabdl_hal_dma bdl = ht_alloc(h, 4096, 128, UINT64_MAX);
    struct hdabdl_hal_dma buf = ht_alloc(h, 128, 128, UINT64_MAX);
    for (int i = 0; i < 128; i++)
        ((uint8_t *)buf.cpu)[i] = (uint8_t)(3 * i);
    put_bde(&bdl, 0, buf.bus, 64, false);
    put_bde(&bdl, 1, buf.bus + 64, 64, false);

    ht_program(h, TH_OUT0, bdl.bus, 128, 1, HDA_SD_CTL_RUN);
    hdabdl_mock_hal_advance(h->hal, 16 * 20834);
    assert_int_equal(hdabdl_mock_link_tap_read(h->dev, 1, got, sizeof(got)), 64);
    assert_memory_equal(got, buf.cpu, 64);
    assert_int_equal(hdabdl_mock_violation_count(h->dev), 0);
    h->ops->dma_free(h->ctx, &bdl);
    h->ops->dma_free(h->ctx, &buf);
}

/* ---- Registers, time ---------------------------------------------------------------------- */

static void test_mock_hal_reg_access_returns_einval_for_illegal_access(void **state)
{
    struct ht *h = *state;
    uint32_t v;
    assert_int_equal(ht_rd(h, HDA_REG_GCAP, 2), 0x4401);
    assert_int_equal(h->ops->reg_read(h->ctx, 0x1000, 4, &v), -EINVAL);
    assert_int_equal(h->ops->reg_read(h->ctx, HDA_REG_GCTL, 3, &v), -EINVAL);
    assert_int_equal(h->ops->reg_write(h->ctx, HDA_REG_WAKEEN, 2, 1), -EINVAL);   /* in reset */
    assert_int_equal(hdabdl_mock_violation_count(h->dev), 3);
}

static void test_mock_hal_reg_pointer_returns_the_alias(void **state)
{
    struct ht *h = *state;
    const volatile uint32_t *walclk = h->ops->reg_pointer(h->ctx, HDA_REG_WALCLK_ALIAS);
    assert_non_null(walclk);
    assert_ptr_equal(walclk, hdabdl_mock_alias_pointer(h->dev, HDA_REG_WALCLK_ALIAS));
    assert_non_null(h->ops->reg_pointer(h->ctx, HDA_SD_LPIB_ALIAS(7)));
    assert_null(h->ops->reg_pointer(h->ctx, HDA_REG_GCTL));
    ht_leave_reset(h);
    h->ops->delay_us(h->ctx, 10);
    assert_int_equal(*walclk, ht_rd(h, HDA_REG_WALCLK, 4));
    assert_int_equal(*walclk, (100 - 50 + 10) * 24);
}

static void test_mock_hal_delay_and_now_use_virtual_time(void **state)
{
    struct ht *h = *state;
    assert_int_equal(h->ops->now_ns(h->ctx), 0);
    h->ops->delay_us(h->ctx, 1234);
    assert_int_equal(h->ops->now_ns(h->ctx), 1234000);
    hdabdl_mock_hal_advance(h->hal, 1000001);
    assert_int_equal(h->ops->now_ns(h->ctx), 2234001);
    assert_int_equal(hdabdl_mock_now(h->dev), 2234001);
}

/* ---- Interrupts --------------------------------------------------------------------------- */

static void record_irq(void *arg)
{
    struct ht *h = arg;
    h->irq_calls++;
    h->irq_last_ns = h->ops->now_ns(h->ctx);
    if (h->irq_clears_bcis) {
        uint32_t sts = ht_rd(h, HDA_SD_OFFSET(TH_OUT0, HDA_SD_STS), 1);
        ht_wr(h, HDA_SD_OFFSET(TH_OUT0, HDA_SD_STS), 1, sts & HDA_SD_STS_INT_MASK);
    }
}

/* FIFOE with FEIE, SIE and GIE: the line is up until someone clears FIFOE. */
static void raise_fifo_error_interrupt(struct ht *h)
{
    ht_leave_reset(h);
    ht_wr(h, HDA_SD_OFFSET(TH_OUT0, HDA_SD_CTL), 1, HDA_SD_CTL_FEIE);
    ht_wr(h, HDA_REG_INTCTL, 4, HDA_INT_GLOBAL | (1u << TH_OUT0));
    hdabdl_mock_inject_fifo_error(h->dev, TH_OUT0);
    assert_true(hdabdl_mock_irq_asserted(h->dev));
}

static void test_mock_hal_delay_does_not_deliver_interrupts(void **state)
{
    struct ht *h = *state;
    assert_int_equal(h->ops->irq_attach(h->ctx, record_irq, h), 0);
    raise_fifo_error_interrupt(h);
    h->ops->delay_us(h->ctx, 1000);
    assert_int_equal(h->irq_calls, 0);
    h->irq_clears_bcis = true;     /* clears FIFOE too (all INT bits) */
    hdabdl_mock_hal_advance(h->hal, 0);
    assert_int_equal(h->irq_calls, 1);
    assert_false(hdabdl_mock_irq_asserted(h->dev));
    h->ops->irq_detach(h->ctx);
}

static void test_mock_hal_interrupt_delivery_is_bounded_per_step(void **state)
{
    struct ht *h = *state;
    assert_int_equal(h->ops->irq_attach(h->ctx, record_irq, h), 0);
    raise_fifo_error_interrupt(h);
    hdabdl_mock_hal_advance(h->hal, 1000);           /* one step: the handler never clears */
    assert_int_equal(h->irq_calls, 16);
    hdabdl_mock_hal_advance(h->hal, 3 * 20833);      /* three steps */
    assert_int_equal(h->irq_calls, 16 * 4);
    h->ops->irq_detach(h->ctx);
}

static void test_mock_hal_irq_detach_stops_delivery(void **state)
{
    struct ht *h = *state;
    struct ht other;
    assert_int_equal(h->ops->irq_attach(h->ctx, record_irq, h), 0);
    assert_int_equal(h->ops->irq_attach(h->ctx, record_irq, &other), -EBUSY);
    h->ops->irq_detach(h->ctx);
    raise_fifo_error_interrupt(h);
    hdabdl_mock_hal_advance(h->hal, 100000);
    assert_int_equal(h->irq_calls, 0);
}

static void test_mock_hal_advance_delivers_every_frame_interrupt(void **state)
{
    struct ht *h = *state;
    ht_leave_reset(h);
    /* One 4-byte entry per frame, each with IOC: BCIS in every frame. */
    struct hdabdl_hal_dma bdl = ht_alloc(h, 4096, 128, UINT64_MAX);
    struct hdabdl_hal_dma buf = ht_alloc(h, 128, 128, UINT64_MAX);
    put_bde(&bdl, 0, buf.bus, 4, true);
    put_bde(&bdl, 1, buf.bus + 4, 4, true);
    ht_wr(h, HDA_REG_INTCTL, 4, HDA_INT_GLOBAL | (1u << TH_OUT0));
    h->irq_clears_bcis = true;
    assert_int_equal(h->ops->irq_attach(h->ctx, record_irq, h), 0);

    uint64_t start = h->ops->now_ns(h->ctx);
    ht_program(h, TH_OUT0, bdl.bus, 8, 1, HDA_SD_CTL_RUN | HDA_SD_CTL_IOCE);
    uint64_t end = th_frame_time(th_first_frame_after(start) + 99);
    hdabdl_mock_hal_advance(h->hal, end - start);
    assert_int_equal(h->irq_calls, 100);                  /* not one per two frames */
    assert_int_equal(h->irq_last_ns, end);
    struct hdabdl_mock_stats s;
    hdabdl_mock_get_stats(h->dev, &s);
    assert_int_equal(s.bcis_raised, 100);
    h->ops->irq_detach(h->ctx);
    h->ops->dma_free(h->ctx, &bdl);
    h->ops->dma_free(h->ctx, &buf);
}

static void detach_from_handler(void *arg)
{
    struct ht *h = arg;
    h->irq_calls++;
    h->ops->irq_detach(h->ctx);
}

static void test_mock_hal_handler_may_detach_itself(void **state)
{
    struct ht *h = *state;
    assert_int_equal(h->ops->irq_attach(h->ctx, detach_from_handler, h), 0);
    raise_fifo_error_interrupt(h);
    hdabdl_mock_hal_advance(h->hal, 100000);
    assert_int_equal(h->irq_calls, 1);
}

/* ---- Locks -------------------------------------------------------------------------------- */

static void test_mock_hal_lock_excludes_and_releases(void **state)
{
    struct ht *h = *state;
    void *lock = NULL;
    assert_int_equal(h->ops->lock_create(h->ctx, &lock), 0);
    assert_non_null(lock);
    h->ops->lock_acquire(h->ctx, lock);
    h->ops->lock_release(h->ctx, lock);
    h->ops->lock_acquire(h->ctx, lock);
    h->ops->lock_release(h->ctx, lock);
    h->ops->lock_destroy(h->ctx, lock);
}

enum lock_misuse { RECURSIVE_ACQUIRE, RELEASE_UNHELD, DESTROY_HELD };

/* Run the misuse in a child: the HAL must abort() it. */
static void expect_lock_misuse_aborts(struct ht *h, enum lock_misuse misuse)
{
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        void *lock = NULL;
        int devnull = open("/dev/null", O_WRONLY);
        if (devnull >= 0)
            dup2(devnull, 2);       /* keep the expected message out of the test log */
        if (h->ops->lock_create(h->ctx, &lock) != 0)
            _exit(2);
        switch (misuse) {
        case RECURSIVE_ACQUIRE:
            h->ops->lock_acquire(h->ctx, lock);
            h->ops->lock_acquire(h->ctx, lock);
            break;
        case RELEASE_UNHELD:
            h->ops->lock_release(h->ctx, lock);
            break;
        case DESTROY_HELD:
            h->ops->lock_acquire(h->ctx, lock);
            h->ops->lock_destroy(h->ctx, lock);
            break;
        }
        _exit(0);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGABRT);
}

static void test_mock_hal_lock_misuse_aborts(void **state)
{
    struct ht *h = *state;
    expect_lock_misuse_aborts(h, RECURSIVE_ACQUIRE);
    expect_lock_misuse_aborts(h, RELEASE_UNHELD);
    expect_lock_misuse_aborts(h, DESTROY_HELD);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_mock_hal_ops_table_is_version_3, ht_setup, ht_teardown),
        cmocka_unit_test_setup_teardown(test_mock_hal_config_default_values, ht_setup, ht_teardown),
        cmocka_unit_test_setup_teardown(test_mock_hal_pci_ids, ht_setup, ht_teardown),
        cmocka_unit_test_setup_teardown(test_default_codec_answers_vendor_id, ht_setup, ht_teardown),
        cmocka_unit_test_setup_teardown(test_mock_hal_puts_a_default_codec_at_every_codec_mask_address, ht_setup, ht_teardown),
        cmocka_unit_test_setup_teardown(test_mock_hal_add_codec_builds_attaches_and_marks_present, ht_setup, ht_teardown),
        cmocka_unit_test_setup_teardown(test_mock_hal_add_codec_replaces_the_default_codec, ht_setup, ht_teardown),
        cmocka_unit_test_setup_teardown(test_mock_hal_add_codec_rejects_bad_addresses, ht_setup, ht_teardown),
        cmocka_unit_test_setup_teardown(test_mock_hal_add_codec_without_description_builds_the_default, ht_setup, ht_teardown),
        cmocka_unit_test_setup_teardown(test_mock_hal_leaves_a_codec_the_host_attached_alone, ht_setup, ht_teardown),
        cmocka_unit_test_setup_teardown(test_mock_hal_create_rejects_bad_arenas, ht_setup, ht_teardown),
        cmocka_unit_test_setup_teardown(test_mock_hal_dma_respects_limit, ht_setup, ht_teardown),
        cmocka_unit_test_setup_teardown(test_mock_hal_dma_aligns_bus_and_cpu_addresses, ht_setup, ht_teardown),
        cmocka_unit_test_setup_teardown(test_mock_hal_dma_first_fit_reuses_freed_space, ht_setup, ht_teardown),
        cmocka_unit_test_setup_teardown(test_mock_hal_dma_arena_runs_out, ht_setup, ht_teardown),
        cmocka_unit_test_setup_teardown(test_mock_hal_dma_prefers_the_high_arena_when_the_limit_allows, ht_setup, ht_teardown),
        cmocka_unit_test_setup_teardown(test_mock_hal_dma_rejects_bad_arguments, ht_setup, ht_teardown),
        cmocka_unit_test_setup_teardown(test_mock_hal_dma_alloc_failure_knob, ht_setup, ht_teardown),
        cmocka_unit_test_setup_teardown(test_mock_hal_dma_blocks_counts_live_blocks, ht_setup, ht_teardown),
        cmocka_unit_test_setup_teardown(test_mock_hal_dma_contents_are_not_zeroed, ht_setup, ht_teardown),
        cmocka_unit_test_setup_teardown(test_mock_hal_device_reaches_only_live_blocks, ht_setup, ht_teardown),
        cmocka_unit_test_setup_teardown(test_mock_hal_device_reads_what_the_cpu_wrote, ht_setup, ht_teardown),
        cmocka_unit_test_setup_teardown(test_mock_hal_reg_access_returns_einval_for_illegal_access, ht_setup, ht_teardown),
        cmocka_unit_test_setup_teardown(test_mock_hal_reg_pointer_returns_the_alias, ht_setup, ht_teardown),
        cmocka_unit_test_setup_teardown(test_mock_hal_delay_and_now_use_virtual_time, ht_setup, ht_teardown),
        cmocka_unit_test_setup_teardown(test_mock_hal_delay_does_not_deliver_interrupts, ht_setup, ht_teardown),
        cmocka_unit_test_setup_teardown(test_mock_hal_interrupt_delivery_is_bounded_per_step, ht_setup, ht_teardown),
        cmocka_unit_test_setup_teardown(test_mock_hal_irq_detach_stops_delivery, ht_setup, ht_teardown),
        cmocka_unit_test_setup_teardown(test_mock_hal_advance_delivers_every_frame_interrupt, ht_setup, ht_teardown),
        cmocka_unit_test_setup_teardown(test_mock_hal_handler_may_detach_itself, ht_setup, ht_teardown),
        cmocka_unit_test_setup_teardown(test_mock_hal_lock_excludes_and_releases, ht_setup, ht_teardown),
        cmocka_unit_test_setup_teardown(test_mock_hal_lock_misuse_aborts, ht_setup, ht_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
