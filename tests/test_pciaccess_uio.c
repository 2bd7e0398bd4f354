/* SPDX-License-Identifier: MIT */
/*
 * test_pciaccess_uio.c - the pciaccess backend in uio mode (uio_pci_generic)
 * against the fake kernel: BAR0 through libpciaccess, config through sysfs,
 * hugepage DMA memory at physical addresses from pagemap, INTx through
 * /dev/uio0; the core opens a controller and allocates DMA; every failure
 * row that applies to uio (not root, BAR claimed, no hugepages, PFN 0, not
 * contiguous, above 4 GiB, no uio node, no interrupt pin) with nothing left
 * open or mapped.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "hdabdl/hdabdl.h"
#include "hdabdl/pciaccess.h"

#include "test_pciaccess_fake.h"

static int setup(void **state)
{
    (void)state;
    fk_reset();
    fk.cfg.driver = "uio_pci_generic";
    fk.cfg.iommu_group = -1;    /* uio runs without an IOMMU (or in passthrough) */
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    fk_finish();
    return 0;
}

static struct hdabdl_pci_options uio_options(void)
{
    struct hdabdl_pci_options o;
    hdabdl_pci_options_default(&o);
    o.mode = HDABDL_PCI_MODE_UIO;
    return o;
}

static hdabdl_status open_with(const struct hdabdl_pci_options *o, hdabdl_pci **pci)
{
    fk_start();
    hdabdl_status st = hdabdl_pci_open(FK_BDF, o, pci);
    if (!HDABDL_NT_SUCCESS(st))
        print_message("open: %s: %s\n", hdabdl_status_name(st), hdabdl_pci_last_error());
    return st;
}

static void expect_open_fails(hdabdl_status want, const char *msg)
{
    struct hdabdl_pci_options o = uio_options();
    hdabdl_pci *pci = (hdabdl_pci *)(uintptr_t)1;
    hdabdl_status st = open_with(&o, &pci);
    assert_string_equal(hdabdl_status_name(st), hdabdl_status_name(want));
    assert_null(pci);
    if (msg && !strstr(hdabdl_pci_last_error(), msg))
        fail_msg("message '%s' lacks '%s'", hdabdl_pci_last_error(), msg);
    FK_ASSERT_CLEAN();
}

static hdabdl_pci *open_ok(void)
{
    struct hdabdl_pci_options o = uio_options();
    hdabdl_pci *pci = NULL;
    assert_int_equal(open_with(&o, &pci), HDABDL_STATUS_SUCCESS);
    return pci;
}

static bool in_hugepages(uint64_t bus, uint64_t size)
{
    return bus >= fk.cfg.huge_phys_base && bus + size <= fk.cfg.huge_phys_base + fk.hugepages_used * FK_HUGE;
}

static void test_uio_core_opens_allocates_and_closes(void **state)
{
    (void)state;
    hdabdl_pci *pci = open_ok();
    struct hdabdl_pci_open_info oi;
    assert_int_equal(hdabdl_pci_get_open_info(pci, &oi), HDABDL_STATUS_SUCCESS);
    assert_int_equal(oi.mode, HDABDL_PCI_MODE_UIO);
    assert_int_equal(oi.irq, HDABDL_PCI_IRQ_INTX);
    assert_int_equal(oi.iova_ranges, 0);
    assert_int_equal(fk_command() & 0x6, 0x6);   /* memory decode and bus master, through sysfs config */
    assert_int_equal(fk.hugepages_used, 1);      /* the first chunk, made at open */

    hdabdl_controller *ctrl = NULL;
    assert_int_equal(hdabdl_controller_open(hdabdl_pci_hal_ops(), hdabdl_pci_hal_context(pci), NULL, &ctrl),
                     HDABDL_STATUS_SUCCESS);
    uint32_t dpl = fk_bar_get32(0x70);
    assert_true(in_hugepages(dpl & ~0x7Fu, 128));
    hdabdl_client *client = NULL;
    assert_int_equal(hdabdl_client_open(ctrl, 0, 1, &client), HDABDL_STATUS_SUCCESS);
    struct hdabdl_stream_format fmt = {48000, 16, 16, 2};
    hdabdl_handle h;
    hdabdl_converter_format cf;
    assert_int_equal(hdabdl_allocate_render_dma_engine(client, &fmt, false, &h, &cf), HDABDL_STATUS_SUCCESS);
    void *data;
    uint64_t data_bus, bdl_bus;
    struct hdabdl_buffer_descriptor *bdl;
    assert_int_equal(hdabdl_allocate_contiguous_dma_buffer(client, h, 76800, &data, &data_bus, &bdl, &bdl_bus),
                     HDABDL_STATUS_SUCCESS);
    assert_true(in_hugepages(data_bus, 76800));
    assert_true(in_hugepages(bdl_bus, 4096));
    assert_int_equal(bdl_bus % 4096, 0);
    memset(data, 0x5A, 76800);
    /* The CPU address and the physical address are the same place of the same chunk. */
    uint8_t *chunk = NULL;
    for (unsigned i = 0; i < fk.nmaps; i++)
        if (fk.maps[i].kind == FK_MAP_HUGE)
            chunk = fk.maps[i].p;
    assert_ptr_equal((uint8_t *)data, chunk + (data_bus - fk.cfg.huge_phys_base));
    assert_int_equal(hdabdl_free_contiguous_dma_buffer(client, h), HDABDL_STATUS_SUCCESS);
    hdabdl_client_close(client);
    hdabdl_controller_close(ctrl);
    hdabdl_pci_close(pci);
    FK_ASSERT_CLEAN();
    assert_true(fk.seq_master_off > 0 && fk.seq_master_off < fk.seq_uio_close);
    assert_true(fk.seq_uio_close < fk.seq_host_munmap);   /* memory freed once the device is quiet */
}

static void test_uio_vfio_bound_device_refused(void **state)
{
    (void)state;
    fk.cfg.driver = "vfio-pci";
    fk.cfg.iommu_group = FK_GROUP;
    expect_open_fails(HDABDL_STATUS_INVALID_DEVICE_STATE, "vfio mode");
}

static void test_uio_bound_to_other_driver(void **state)
{
    (void)state;
    fk.cfg.driver = "snd_hda_intel";
    expect_open_fails(HDABDL_STATUS_DEVICE_BUSY, "snd_hda_intel");
}

static void test_uio_bar_not_root(void **state)
{
    (void)state;
    fk.cfg.map_range_errno = EACCES;
    expect_open_fails(HDABDL_STATUS_ACCESS_DENIED, "needs root");
}

static void test_uio_bar_claimed(void **state)
{
    (void)state;
    fk.cfg.map_range_errno = EINVAL;
    expect_open_fails(HDABDL_STATUS_DEVICE_BUSY, "claimed");
}

static void test_uio_bar_too_small(void **state)
{
    (void)state;
    fk.cfg.bar_size = 0x2000;
    expect_open_fails(HDABDL_STATUS_NOT_SUPPORTED, "BAR0");
}

static void test_uio_probe_fails(void **state)
{
    (void)state;
    fk.cfg.probe_errno = EACCES;
    expect_open_fails(HDABDL_STATUS_ACCESS_DENIED, "probe");
}

static void test_uio_config_not_root(void **state)
{
    (void)state;
    fk.cfg.config_open_errno = EACCES;
    expect_open_fails(HDABDL_STATUS_ACCESS_DENIED, "config");
}

static void test_uio_no_uio_node(void **state)
{
    (void)state;
    fk.cfg.no_uio_node = true;
    expect_open_fails(HDABDL_STATUS_NO_SUCH_DEVICE, "no uio device");
}

static void test_uio_dev_node_not_root(void **state)
{
    (void)state;
    fk.cfg.uio_open_errno = EACCES;
    expect_open_fails(HDABDL_STATUS_ACCESS_DENIED, "/dev/uio0");
}

static void test_uio_no_hugepages(void **state)
{
    (void)state;
    fk.cfg.hugepages = 0;
    expect_open_fails(HDABDL_STATUS_INSUFFICIENT_RESOURCES, "nr_hugepages");
}

static void test_uio_pagemap_pfn_zero(void **state)
{
    (void)state;
    fk.cfg.pagemap_pfn_zero = true;
    expect_open_fails(HDABDL_STATUS_ACCESS_DENIED, "PFN 0");
}

static void test_uio_not_contiguous(void **state)
{
    (void)state;
    fk.cfg.pagemap_noncontig = true;
    expect_open_fails(HDABDL_STATUS_INSUFFICIENT_RESOURCES, "contiguous");
}

/* A hugepage above 4 GiB: refused without 64OK, used with it. */
static void test_uio_above_4g(void **state)
{
    (void)state;
    fk.cfg.huge_phys_base = UINT64_C(0x180000000);
    fk.cfg.gcap = 0x4400;
    expect_open_fails(HDABDL_STATUS_INSUFFICIENT_RESOURCES, "above");

    fk_reset();
    setup(NULL);
    fk.cfg.huge_phys_base = UINT64_C(0x180000000);
    hdabdl_pci *pci = open_ok();
    struct hdabdl_hal_dma d;
    assert_int_equal(hdabdl_pci_hal_ops()->dma_alloc(hdabdl_pci_hal_context(pci), 4096, 4096, UINT64_MAX, &d), 0);
    assert_true(d.bus == UINT64_C(0x180000000));
    /* the core's 32-bit limit cannot be met from this memory */
    assert_int_equal(hdabdl_pci_hal_ops()->dma_alloc(hdabdl_pci_hal_context(pci), 4096, 128,
                                                     UINT64_C(1) << 32, &d), -ENOMEM);
    hdabdl_pci_close(pci);
    FK_ASSERT_CLEAN();
}

static void test_uio_config_write_fails(void **state)
{
    (void)state;
    fk.cfg.config_io_errno = EPERM;
    expect_open_fails(HDABDL_STATUS_ACCESS_DENIED, "COMMAND");
}

/* Blocks come out of the chunk, a new chunk when it is full, -ENOMEM without hugepages. */
static void test_uio_chunks(void **state)
{
    (void)state;
    fk.cfg.hugepages = 2;
    hdabdl_pci *pci = open_ok();
    const struct hdabdl_hal_ops *ops = hdabdl_pci_hal_ops();
    void *ctx = hdabdl_pci_hal_context(pci);
    struct hdabdl_hal_dma a, b, c, d;
    assert_int_equal(ops->dma_alloc(ctx, 100, 128, UINT64_MAX, &a), 0);
    assert_int_equal(a.bus, fk.cfg.huge_phys_base);
    assert_int_equal(a.size, 128);
    assert_int_equal(ops->dma_alloc(ctx, 4096, 4096, UINT64_MAX, &b), 0);
    assert_int_equal(b.bus, fk.cfg.huge_phys_base + 4096);
    assert_int_equal(ops->dma_alloc(ctx, 1u << 20, 4096, UINT64_MAX, &c), 0);   /* rest of chunk 1 */
    assert_int_equal(fk.hugepages_used, 1);
    assert_int_equal(ops->dma_alloc(ctx, 1u << 20, 4096, UINT64_MAX, &d), 0);   /* chunk 2 */
    assert_int_equal(fk.hugepages_used, 2);
    assert_true(d.bus >= fk.cfg.huge_phys_base + FK_HUGE);
    struct hdabdl_hal_dma e;
    assert_int_equal(ops->dma_alloc(ctx, 2u << 20, 4096, UINT64_MAX, &e), -ENOMEM);   /* none left */
    assert_non_null(strstr(hdabdl_pci_last_error(), "nr_hugepages"));
    ops->dma_free(ctx, &b);
    assert_int_equal(ops->dma_alloc(ctx, 4096, 4096, UINT64_MAX, &e), 0);   /* reused */
    assert_int_equal(e.bus, fk.cfg.huge_phys_base + 4096);
    hdabdl_pci_close(pci);
    FK_ASSERT_CLEAN();
}

static _Atomic unsigned irq_calls;

static void count_irq(void *arg)
{
    (void)arg;
    irq_calls++;
}

/* INTx through /dev/uio0: the handler runs and INTx is unmasked (COMMAND bit 10 cleared). */
static void test_uio_intx(void **state)
{
    (void)state;
    hdabdl_pci *pci = open_ok();
    irq_calls = 0;
    assert_int_equal(hdabdl_pci_hal_ops()->irq_attach(hdabdl_pci_hal_context(pci), count_irq, NULL), 0);
    pthread_mutex_lock(&fk_lock);
    fk.cfg_space[5] |= 0x04;   /* uio_pci_generic's handler masked INTx */
    pthread_mutex_unlock(&fk_lock);
    fk_raise_irq();
    assert_true(fk_wait_for(&irq_calls, 1));
    for (int i = 0; i < 200 && (fk_command() & 0x400); i++) {
        struct timespec ts = {0, 1000000};
        nanosleep(&ts, NULL);
    }
    assert_int_equal(fk_command() & 0x400, 0);
    struct hdabdl_pci_open_info oi;
    hdabdl_pci_get_open_info(pci, &oi);
    assert_int_equal(oi.interrupts, 1);
    hdabdl_pci_close(pci);
    FK_ASSERT_CLEAN();
}

static void test_uio_no_interrupt_pin(void **state)
{
    (void)state;
    fk.cfg.interrupt_pin = 0;
    struct hdabdl_pci_options o = uio_options();
    o.irq = HDABDL_PCI_IRQ_INTX;
    hdabdl_pci *pci = NULL;
    assert_int_equal(open_with(&o, &pci), HDABDL_STATUS_NOT_SUPPORTED);
    FK_ASSERT_CLEAN();
    o.irq = HDABDL_PCI_IRQ_MSI;
    assert_int_equal(open_with(&o, &pci), HDABDL_STATUS_NOT_SUPPORTED);
    FK_ASSERT_CLEAN();
    pci = open_ok();
    struct hdabdl_pci_open_info oi;
    hdabdl_pci_get_open_info(pci, &oi);
    assert_int_equal(oi.irq, HDABDL_PCI_IRQ_POLL);
    hdabdl_pci_close(pci);
    FK_ASSERT_CLEAN();
}

/* Without a BDF: the only controller bound to uio_pci_generic. */
static void test_uio_open_without_bdf(void **state)
{
    (void)state;
    fk_start();
    struct hdabdl_pci_options o = uio_options();
    hdabdl_pci *pci = NULL;
    assert_int_equal(hdabdl_pci_open(NULL, &o, &pci), HDABDL_STATUS_SUCCESS);
    struct hdabdl_pci_open_info oi;
    hdabdl_pci_get_open_info(pci, &oi);
    assert_string_equal(oi.device.bdf, FK_BDF);
    hdabdl_pci_close(pci);
    FK_ASSERT_CLEAN();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_uio_core_opens_allocates_and_closes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_uio_vfio_bound_device_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_uio_bound_to_other_driver, setup, teardown),
        cmocka_unit_test_setup_teardown(test_uio_bar_not_root, setup, teardown),
        cmocka_unit_test_setup_teardown(test_uio_bar_claimed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_uio_bar_too_small, setup, teardown),
        cmocka_unit_test_setup_teardown(test_uio_probe_fails, setup, teardown),
        cmocka_unit_test_setup_teardown(test_uio_config_not_root, setup, teardown),
        cmocka_unit_test_setup_teardown(test_uio_no_uio_node, setup, teardown),
        cmocka_unit_test_setup_teardown(test_uio_dev_node_not_root, setup, teardown),
        cmocka_unit_test_setup_teardown(test_uio_no_hugepages, setup, teardown),
        cmocka_unit_test_setup_teardown(test_uio_pagemap_pfn_zero, setup, teardown),
        cmocka_unit_test_setup_teardown(test_uio_not_contiguous, setup, teardown),
        cmocka_unit_test_setup_teardown(test_uio_above_4g, setup, teardown),
        cmocka_unit_test_setup_teardown(test_uio_config_write_fails, setup, teardown),
        cmocka_unit_test_setup_teardown(test_uio_chunks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_uio_intx, setup, teardown),
        cmocka_unit_test_setup_teardown(test_uio_no_interrupt_pin, setup, teardown),
        cmocka_unit_test_setup_teardown(test_uio_open_without_bdf, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
