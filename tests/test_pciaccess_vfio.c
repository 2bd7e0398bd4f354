/* SPDX-License-Identifier: MIT */
/*
 * test_pciaccess_vfio.c - the pciaccess backend in vfio mode against the fake
 * kernel of test_pciaccess_fake.h: the happy path with the core opening a
 * controller over the fake BAR and allocating DMA, every row of vfio.md §7.6
 * that applies to vfio type1 (each a documented status, nothing left open or
 * mapped), DMA and IOVA rules, interrupts, the timer, register widths,
 * quiesce and the teardown order.
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
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    fk_finish();
    return 0;
}

static hdabdl_status open_with(const struct hdabdl_pci_options *o, hdabdl_pci **pci)
{
    fk_start();
    hdabdl_status st = hdabdl_pci_open(FK_BDF, o, pci);
    if (!HDABDL_NT_SUCCESS(st))
        print_message("open: %s: %s\n", hdabdl_status_name(st), hdabdl_pci_last_error());
    return st;
}

/* The open fails with @want, says @msg, and leaves nothing behind. */
static void expect_open_fails(hdabdl_status want, const char *msg)
{
    hdabdl_pci *pci = (hdabdl_pci *)(uintptr_t)1;
    hdabdl_status st = open_with(NULL, &pci);
    assert_string_equal(hdabdl_status_name(st), hdabdl_status_name(want));
    assert_null(pci);
    if (msg && !strstr(hdabdl_pci_last_error(), msg))
        fail_msg("message '%s' lacks '%s'", hdabdl_pci_last_error(), msg);
    FK_ASSERT_CLEAN();
}

static hdabdl_pci *open_ok(const struct hdabdl_pci_options *o)
{
    hdabdl_pci *pci = NULL;
    assert_int_equal(open_with(o, &pci), HDABDL_STATUS_SUCCESS);
    assert_non_null(pci);
    return pci;
}

static bool iova_in_fake_ranges(uint64_t bus, uint64_t size)
{
    for (unsigned i = 0; i < fk.cfg.nranges; i++)
        if (bus >= fk.cfg.ranges[i].start && bus + size - 1 <= fk.cfg.ranges[i].end)
            return true;
    return false;
}

/* ---- happy path ------------------------------------------------------------------ */

static void test_vfio_core_opens_allocates_and_closes(void **state)
{
    (void)state;
    hdabdl_pci *pci = open_ok(NULL);

    struct hdabdl_pci_open_info oi;
    assert_int_equal(hdabdl_pci_get_open_info(pci, &oi), HDABDL_STATUS_SUCCESS);
    assert_int_equal(oi.mode, HDABDL_PCI_MODE_VFIO);
    assert_int_equal(oi.irq, HDABDL_PCI_IRQ_MSI);
    assert_int_equal(oi.gcap, 0x4401);
    assert_true(oi.dma_limit == UINT64_MAX);
    assert_int_equal(oi.iova_ranges, 2);
    assert_string_equal(oi.device.bdf, FK_BDF);
    assert_string_equal(oi.device.driver, "vfio-pci");
    assert_int_equal(oi.device.iommu_group, FK_GROUP);
    assert_int_equal(fk_command() & 0x6, 0x6);          /* memory decode and bus master */
    assert_int_equal(fk.irq_active, VFIO_PCI_MSI_IRQ_INDEX);
    assert_int_equal(fk.nfds, 6);                       /* container, group, device, MSI, wake, timer */

    hdabdl_controller *ctrl = NULL;
    assert_int_equal(hdabdl_controller_open(hdabdl_pci_hal_ops(), hdabdl_pci_hal_context(pci), NULL, &ctrl),
                     HDABDL_STATUS_SUCCESS);
    struct hdabdl_controller_info info;
    assert_int_equal(hdabdl_controller_get_info(ctrl, &info), HDABDL_STATUS_SUCCESS);
    assert_int_equal(info.gcap, 0x4401);
    assert_int_equal(info.output_streams, 4);
    assert_int_equal(info.codec_mask, 0x0001);
    assert_int_equal(info.pci.vendor_id, 0x8086);
    assert_int_equal(info.pci.device_id, 0x293e);
    assert_int_equal(info.pci.subsystem_vendor_id, 0x1af4);
    assert_int_equal(info.pci.revision, 3);
    assert_true(info.quirks & HDABDL_OPT_SRST_NO_ACK);   /* the quirk table saw QEMU's IDs */
    assert_int_equal(fk.ndma, 2);                         /* position buffer, CORB/RIRB page */
    uint32_t dpl = fk_bar_get32(0x70);
    assert_true(dpl & 1);
    assert_true(iova_in_fake_ranges(dpl & ~0x7Fu, 4096));
    assert_true((dpl & ~0x7Fu) >= 0x10000);

    hdabdl_client *client = NULL;
    assert_int_equal(hdabdl_client_open(ctrl, 0, 1, &client), HDABDL_STATUS_SUCCESS);
    struct hdabdl_stream_format fmt = {48000, 16, 16, 2};
    hdabdl_handle h;
    hdabdl_converter_format cf;
    assert_int_equal(hdabdl_allocate_render_dma_engine(client, &fmt, false, &h, &cf), HDABDL_STATUS_SUCCESS);
    void *data = NULL;
    uint64_t data_bus = 0, bdl_bus = 0;
    struct hdabdl_buffer_descriptor *bdl = NULL;
    assert_int_equal(hdabdl_allocate_contiguous_dma_buffer(client, h, 65536, &data, &data_bus, &bdl, &bdl_bus),
                     HDABDL_STATUS_SUCCESS);
    assert_int_equal(fk.ndma, 4);
    assert_true(iova_in_fake_ranges(data_bus, 65536));
    assert_true(iova_in_fake_ranges(bdl_bus, 4096));
    assert_int_equal(bdl_bus % 4096, 0);
    assert_true(data_bus >= 0x10000 && bdl_bus >= 0x10000);
    assert_true(data_bus != (uint64_t)(uintptr_t)data);   /* never IOVA = VA */
    memset(data, 0x5A, 65536);                             /* the CPU side is real memory */
    memset(bdl, 0, 4096);
    assert_int_equal(hdabdl_pci_get_open_info(pci, &oi), HDABDL_STATUS_SUCCESS);
    assert_int_equal(oi.dma_blocks, 4);

    assert_int_equal(hdabdl_free_contiguous_dma_buffer(client, h), HDABDL_STATUS_SUCCESS);
    assert_int_equal(fk.ndma, 2);
    assert_int_equal(hdabdl_free_dma_engine(client, h), HDABDL_STATUS_SUCCESS);
    hdabdl_client_close(client);
    hdabdl_controller_close(ctrl);
    assert_int_equal(fk.ndma, 0);
    assert_int_equal(fk.unmap_dma_calls, fk.map_dma_calls);

    hdabdl_pci_close(pci);
    FK_ASSERT_CLEAN();
    assert_true(fk.master_was_set);
}

/* A controller whose DMA the user never freed: close unmaps it all, in the safe order. */
static void test_vfio_teardown_order(void **state)
{
    (void)state;
    hdabdl_pci *pci = open_ok(NULL);
    const struct hdabdl_hal_ops *ops = hdabdl_pci_hal_ops();
    void *ctx = hdabdl_pci_hal_context(pci);
    struct hdabdl_hal_dma a, b;
    assert_int_equal(ops->dma_alloc(ctx, 4096, 128, UINT64_MAX, &a), 0);
    assert_int_equal(ops->dma_alloc(ctx, 100000, 4096, UINT64_MAX, &b), 0);
    assert_int_equal(fk.ndma, 2);
    fk.seq = 0;
    hdabdl_pci_close(pci);
    FK_ASSERT_CLEAN();
    assert_true(fk.seq_master_off > 0);
    assert_true(fk.seq_master_off < fk.seq_irq_off);
    assert_true(fk.seq_irq_off < fk.seq_unmap_dma);
    assert_true(fk.seq_unmap_dma < fk.seq_bar_unmap);
    assert_true(fk.seq_bar_unmap < fk.seq_close_device);
    assert_true(fk.seq_close_device < fk.seq_close_group);
    assert_true(fk.seq_close_group < fk.seq_close_container);
    assert_true(fk.seq_close_container < fk.seq_host_munmap);
}

/* ---- §7.6 rows: each a documented status, nothing left open or mapped ------------ */

static void test_vfio_pci_system_init_fails(void **state)
{
    (void)state;
    fk.cfg.system_init_errno = ENOENT;
    expect_open_fails(HDABDL_STATUS_NO_SUCH_DEVICE, "pci_system_init");
}

static void test_vfio_no_such_device(void **state)
{
    (void)state;
    fk_start();
    hdabdl_pci *pci = NULL;
    assert_int_equal(hdabdl_pci_open("0000:00:05.0", NULL, &pci), HDABDL_STATUS_NO_SUCH_DEVICE);
    assert_int_equal(hdabdl_pci_open("00:1b", NULL, &pci), HDABDL_STATUS_INVALID_PARAMETER);
    assert_int_equal(hdabdl_pci_open(FK_BDF_NIC, NULL, &pci), HDABDL_STATUS_NOT_SUPPORTED);
    assert_non_null(strstr(hdabdl_pci_last_error(), "0x020000"));
    assert_null(pci);
    FK_ASSERT_CLEAN();
}

static void test_vfio_bound_to_other_driver(void **state)
{
    (void)state;
    fk.cfg.driver = "snd_hda_intel";
    expect_open_fails(HDABDL_STATUS_DEVICE_BUSY, "held by the driver 'snd_hda_intel'");
}

static void test_vfio_no_driver(void **state)
{
    (void)state;
    fk.cfg.driver = NULL;
    expect_open_fails(HDABDL_STATUS_INVALID_DEVICE_STATE, "bound to no driver");
}

static void test_vfio_bound_to_uio(void **state)
{
    (void)state;
    fk.cfg.driver = "uio_pci_generic";
    expect_open_fails(HDABDL_STATUS_INVALID_DEVICE_STATE, "uio mode");
}

static void test_vfio_no_iommu_group(void **state)
{
    (void)state;
    fk.cfg.iommu_group = -1;
    expect_open_fails(HDABDL_STATUS_NO_SUCH_DEVICE, "no IOMMU group");
}

static void test_vfio_modules_not_loaded(void **state)
{
    (void)state;
    fk.cfg.container_open_errno = ENOENT;
    expect_open_fails(HDABDL_STATUS_NO_SUCH_DEVICE, "vfio-pci module");
}

static void test_vfio_wrong_api_version(void **state)
{
    (void)state;
    fk.cfg.api_version = 1;
    expect_open_fails(HDABDL_STATUS_REVISION_MISMATCH, "API version 1");
}

static void test_vfio_no_type1(void **state)
{
    (void)state;
    fk.cfg.no_type1v2 = fk.cfg.no_type1 = true;
    expect_open_fails(HDABDL_STATUS_NOT_SUPPORTED, "type1");
}

static void test_vfio_type1_without_v2(void **state)
{
    (void)state;
    fk.cfg.no_type1v2 = true;
    hdabdl_pci *pci = open_ok(NULL);
    hdabdl_pci_close(pci);
    FK_ASSERT_CLEAN();
}

static void test_vfio_group_permission_denied(void **state)
{
    (void)state;
    fk.cfg.group_open_errno = EACCES;
    expect_open_fails(HDABDL_STATUS_ACCESS_DENIED, "/dev/vfio/3");
}

static void test_vfio_group_busy(void **state)
{
    (void)state;
    fk.cfg.group_open_errno = EBUSY;
    expect_open_fails(HDABDL_STATUS_DEVICE_BUSY, "already open");
}

static void test_vfio_group_node_missing(void **state)
{
    (void)state;
    fk.cfg.group_open_errno = ENOENT;
    expect_open_fails(HDABDL_STATUS_NO_SUCH_DEVICE, "/dev/vfio/3");
}

static void test_vfio_group_not_viable(void **state)
{
    (void)state;
    fk.cfg.not_viable = true;
    expect_open_fails(HDABDL_STATUS_DEVICE_BUSY, "not viable");
}

static void test_vfio_set_container_fails(void **state)
{
    (void)state;
    fk.cfg.set_container_errno = EINVAL;
    expect_open_fails(HDABDL_STATUS_INVALID_PARAMETER, "SET_CONTAINER");
}

static void test_vfio_set_iommu_eperm(void **state)
{
    (void)state;
    fk.cfg.set_iommu_errno = EPERM;
    expect_open_fails(HDABDL_STATUS_ACCESS_DENIED, "interrupt remapping");
}

static void test_vfio_get_info_fails(void **state)
{
    (void)state;
    fk.cfg.get_info_errno = ENOTTY;
    expect_open_fails(HDABDL_STATUS_UNSUCCESSFUL, "GET_INFO");
}

static void test_vfio_caps_cycle(void **state)
{
    (void)state;
    /* one IOVA capability at offset 24 whose next points back at itself */
    static uint8_t caps[48];
    struct vfio_iommu_type1_info_cap_iova_range cap;
    memset(&cap, 0, sizeof(cap));
    cap.header.id = VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE;
    cap.header.next = 24;
    cap.nr_iovas = 1;
    struct vfio_iova_range r = {0x10000, 0xfffff};
    memcpy(caps, &cap, sizeof(cap));
    memcpy(caps + sizeof(cap), &r, sizeof(r));
    fk.cfg.raw_caps = caps;
    fk.cfg.raw_caps_len = sizeof(caps);
    expect_open_fails(HDABDL_STATUS_IO_DEVICE_ERROR, "malformed");
}

static void test_vfio_caps_out_of_bounds(void **state)
{
    (void)state;
    static uint8_t caps[24];
    struct vfio_iommu_type1_info_cap_iova_range cap;
    memset(&cap, 0, sizeof(cap));
    cap.header.id = VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE;
    cap.nr_iovas = 3;   /* 3 ranges announced, room for half of one */
    memcpy(caps, &cap, sizeof(cap));
    fk.cfg.raw_caps = caps;
    fk.cfg.raw_caps_len = sizeof(caps);
    expect_open_fails(HDABDL_STATUS_IO_DEVICE_ERROR, "malformed");
}

static void test_vfio_caps_no_ranges(void **state)
{
    (void)state;
    static uint8_t caps[16];
    struct vfio_iommu_type1_info_cap_iova_range cap;
    memset(&cap, 0, sizeof(cap));
    cap.header.id = VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE;
    cap.nr_iovas = 0;
    memcpy(caps, &cap, sizeof(cap));
    fk.cfg.raw_caps = caps;
    fk.cfg.raw_caps_len = sizeof(caps);
    expect_open_fails(HDABDL_STATUS_IO_DEVICE_ERROR, "malformed");
}

/* No capability at all: the 39-bit fallback from 0x10000. */
static void test_vfio_no_caps_fallback(void **state)
{
    (void)state;
    fk.cfg.no_caps = true;
    hdabdl_pci *pci = open_ok(NULL);
    struct hdabdl_pci_open_info oi;
    hdabdl_pci_get_open_info(pci, &oi);
    assert_int_equal(oi.iova_ranges, 1);
    struct hdabdl_hal_dma d;
    assert_int_equal(hdabdl_pci_hal_ops()->dma_alloc(hdabdl_pci_hal_context(pci), 4096, 128, UINT64_MAX, &d), 0);
    assert_int_equal(d.bus, 0x10000);
    hdabdl_pci_hal_ops()->dma_free(hdabdl_pci_hal_context(pci), &d);
    hdabdl_pci_close(pci);
    FK_ASSERT_CLEAN();
}

static void test_vfio_get_device_fd_fails(void **state)
{
    (void)state;
    fk.cfg.get_device_errno = EBUSY;
    expect_open_fails(HDABDL_STATUS_DEVICE_BUSY, "GET_DEVICE_FD");
}

static void test_vfio_not_pci(void **state)
{
    (void)state;
    fk.cfg.not_pci = true;
    expect_open_fails(HDABDL_STATUS_NOT_SUPPORTED, "not a PCI device");
}

static void test_vfio_bar_too_small(void **state)
{
    (void)state;
    fk.cfg.bar_size = 0x1000;
    expect_open_fails(HDABDL_STATUS_NOT_SUPPORTED, "BAR0");
}

static void test_vfio_bar_not_mappable(void **state)
{
    (void)state;
    fk.cfg.bar_flags = VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE;
    expect_open_fails(HDABDL_STATUS_NOT_SUPPORTED, "BAR0");
}

static void test_vfio_bar_mmap_fails(void **state)
{
    (void)state;
    fk.cfg.bar_mmap_errno = ENOMEM;
    expect_open_fails(HDABDL_STATUS_NO_MEMORY, "mmap BAR0");
}

static void test_vfio_config_io_error(void **state)
{
    (void)state;
    fk.cfg.config_io_errno = EIO;
    expect_open_fails(HDABDL_STATUS_IO_DEVICE_ERROR, "COMMAND");
}

static void test_vfio_bus_master_does_not_stick(void **state)
{
    (void)state;
    fk.cfg.master_stuck = true;
    expect_open_fails(HDABDL_STATUS_IO_DEVICE_ERROR, "bus master");
}

static void test_vfio_registers_all_ones(void **state)
{
    (void)state;
    fk.cfg.gcap = 0xFFFF;
    expect_open_fails(HDABDL_STATUS_DEVICE_DOES_NOT_EXIST, "all ones");
}

/* No 64OK and no IOVA range below 4 GiB above the floor: refused at open. */
static void test_vfio_no_iova_below_4g(void **state)
{
    (void)state;
    fk.cfg.gcap = 0x4400;
    fk.cfg.ranges[0] = (struct fk_range){0x0, 0xffff};
    fk.cfg.ranges[1] = (struct fk_range){UINT64_C(0x100000000), UINT64_C(0x7fffffffff)};
    expect_open_fails(HDABDL_STATUS_INSUFFICIENT_RESOURCES, "no 64OK");
}

static void test_vfio_eventfd_exhausted(void **state)
{
    (void)state;
    fk.cfg.eventfd_fail_at = 2;   /* the MSI eventfd works, the wake-up one does not */
    expect_open_fails(HDABDL_STATUS_INSUFFICIENT_RESOURCES, "eventfd");
}

/* ---- IOVA allocation and MAP_DMA ------------------------------------------------- */

static void test_vfio_64ok_uses_high_iova(void **state)
{
    (void)state;
    fk.cfg.ranges[0] = (struct fk_range){0x0, 0xffff};
    fk.cfg.ranges[1] = (struct fk_range){UINT64_C(0x100000000), UINT64_C(0x7fffffffff)};
    hdabdl_pci *pci = open_ok(NULL);
    struct hdabdl_hal_dma d;
    assert_int_equal(hdabdl_pci_hal_ops()->dma_alloc(hdabdl_pci_hal_context(pci), 4096, 128, UINT64_MAX, &d), 0);
    assert_true(d.bus == UINT64_C(0x100000000));
    /* The core's 32-bit limit is honoured even with 64OK. */
    struct hdabdl_hal_dma e;
    assert_int_equal(hdabdl_pci_hal_ops()->dma_alloc(hdabdl_pci_hal_context(pci), 4096, 128,
                                                     UINT64_C(1) << 32, &e), -ENOMEM);
    hdabdl_pci_close(pci);   /* d still allocated: close unmaps it */
    FK_ASSERT_CLEAN();
}

/* Without 64OK every block ends below 4 GiB; when that space is used up: -ENOMEM. */
static void test_vfio_iova_space_exhausted(void **state)
{
    (void)state;
    fk.cfg.gcap = 0x4400;
    fk.cfg.ranges[0] = (struct fk_range){0x0, 0x3ffff};   /* 0x10000..0x3ffff usable: 192 KiB */
    fk.cfg.ranges[1] = (struct fk_range){UINT64_C(0x100000000), UINT64_C(0x7fffffffff)};
    hdabdl_pci *pci = open_ok(NULL);
    const struct hdabdl_hal_ops *ops = hdabdl_pci_hal_ops();
    void *ctx = hdabdl_pci_hal_context(pci);
    struct hdabdl_pci_open_info oi;
    hdabdl_pci_get_open_info(pci, &oi);
    assert_true(oi.dma_limit == UINT64_C(1) << 32);
    struct hdabdl_hal_dma d[3], extra;
    for (int i = 0; i < 3; i++) {
        assert_int_equal(ops->dma_alloc(ctx, 0x10000, 128, UINT64_MAX, &d[i]), 0);
        assert_true(d[i].bus + d[i].size <= 0x40000);
    }
    unsigned maps = fk.nmaps;
    assert_int_equal(ops->dma_alloc(ctx, 4096, 128, UINT64_MAX, &extra), -ENOMEM);
    assert_non_null(strstr(hdabdl_pci_last_error(), "no free IOVA range"));
    assert_int_equal(fk.nmaps, maps);   /* the host memory of the failed block was released */
    assert_int_equal(fk.ndma, 3);
    ops->dma_free(ctx, &d[1]);
    assert_int_equal(ops->dma_alloc(ctx, 4096, 128, UINT64_MAX, &extra), 0);   /* reused */
    assert_int_equal(extra.bus, 0x20000);
    ops->dma_free(ctx, &extra);
    ops->dma_free(ctx, &d[0]);
    ops->dma_free(ctx, &d[2]);
    assert_int_equal(fk.ndma, 0);
    hdabdl_pci_close(pci);
    FK_ASSERT_CLEAN();
}

/* IOVAs skip the hole of the ranges (the MSI window on VT-d) and honour alignment. */
static void test_vfio_iova_ranges_and_alignment(void **state)
{
    (void)state;
    fk.cfg.ranges[0] = (struct fk_range){0x0, 0x1ffff};
    fk.cfg.ranges[1] = (struct fk_range){0x30000, 0xfffffff};
    fk.cfg.nranges = 2;
    hdabdl_pci *pci = open_ok(NULL);
    const struct hdabdl_hal_ops *ops = hdabdl_pci_hal_ops();
    void *ctx = hdabdl_pci_hal_context(pci);
    struct hdabdl_hal_dma a, b, c;
    assert_int_equal(ops->dma_alloc(ctx, 0x18000, 128, UINT64_MAX, &a), 0);   /* does not fit below 0x20000 */
    assert_int_equal(a.bus, 0x30000);
    assert_int_equal(a.size, 0x18000);
    assert_int_equal(ops->dma_alloc(ctx, 100, 128, UINT64_MAX, &b), 0);       /* rounded to a page */
    assert_int_equal(b.bus, 0x10000);
    assert_int_equal(b.size, 4096);
    assert_int_equal(ops->dma_alloc(ctx, 4096, 0x10000, UINT64_MAX, &c), 0);  /* 64 KiB aligned */
    assert_int_equal(c.bus % 0x10000, 0);
    assert_int_equal(ops->dma_alloc(ctx, 4096, 100, UINT64_MAX, &c), -EINVAL);
    hdabdl_pci_close(pci);
    FK_ASSERT_CLEAN();
}

/* MAP_DMA fails part-way through the core's open: the core fails, nothing stays mapped. */
static void test_vfio_map_dma_fails_part_way(void **state)
{
    (void)state;
    fk.cfg.map_dma_fail_at = 2;   /* the position buffer maps, the CORB/RIRB page does not */
    fk.cfg.map_dma_errno = ENOMEM;
    hdabdl_pci *pci = open_ok(NULL);
    hdabdl_controller *ctrl = NULL;
    assert_int_equal(hdabdl_controller_open(hdabdl_pci_hal_ops(), hdabdl_pci_hal_context(pci), NULL, &ctrl),
                     HDABDL_STATUS_INSUFFICIENT_RESOURCES);
    assert_null(ctrl);
    assert_int_equal(fk.ndma, 0);
    assert_int_equal(fk.map_dma_calls, 2);
    assert_int_equal(fk.unmap_dma_calls, 1);
    struct hdabdl_pci_open_info oi;
    hdabdl_pci_get_open_info(pci, &oi);
    assert_int_equal(oi.dma_blocks, 0);
    hdabdl_pci_close(pci);
    FK_ASSERT_CLEAN();
}

static void test_vfio_map_dma_errors_pass_through(void **state)
{
    (void)state;
    fk.cfg.dma_entry_limit = 1;
    hdabdl_pci *pci = open_ok(NULL);
    const struct hdabdl_hal_ops *ops = hdabdl_pci_hal_ops();
    void *ctx = hdabdl_pci_hal_context(pci);
    struct hdabdl_hal_dma a, b;
    assert_int_equal(ops->dma_alloc(ctx, 4096, 128, UINT64_MAX, &a), 0);
    unsigned maps = fk.nmaps;
    assert_int_equal(ops->dma_alloc(ctx, 4096, 128, UINT64_MAX, &b), -ENOSPC);   /* dma_entry_limit */
    assert_non_null(strstr(hdabdl_pci_last_error(), "dma_entry_limit"));
    assert_int_equal(fk.nmaps, maps);
    fk.cfg.dma_entry_limit = 0;
    fk.cfg.map_dma_fail_at = (int)fk.map_dma_calls + 1;
    fk.cfg.map_dma_errno = ENOMEM;                                               /* RLIMIT_MEMLOCK */
    assert_int_equal(ops->dma_alloc(ctx, 4096, 128, UINT64_MAX, &b), -ENOMEM);
    assert_non_null(strstr(hdabdl_pci_last_error(), "ulimit -l"));
    assert_int_equal(fk.nmaps, maps);
    /* the IOVA of a failed map is free again */
    assert_int_equal(ops->dma_alloc(ctx, 4096, 128, UINT64_MAX, &b), 0);
    assert_int_equal(b.bus, a.bus + 4096);
    ops->dma_free(ctx, &a);
    ops->dma_free(ctx, &b);
    hdabdl_pci_close(pci);
    FK_ASSERT_CLEAN();
}

/* ---- interrupts ----------------------------------------------------------------------- */

static _Atomic unsigned irq_calls, timer_calls;

static void count_irq(void *arg)
{
    (void)arg;
    irq_calls++;
}

static void count_timer(void *arg)
{
    (void)arg;
    timer_calls++;
}

static void test_vfio_msi_delivers(void **state)
{
    (void)state;
    hdabdl_pci *pci = open_ok(NULL);
    const struct hdabdl_hal_ops *ops = hdabdl_pci_hal_ops();
    void *ctx = hdabdl_pci_hal_context(pci);
    irq_calls = 0;
    assert_int_equal(ops->irq_attach(ctx, count_irq, NULL), 0);
    assert_int_equal(ops->irq_attach(ctx, count_irq, NULL), -EBUSY);
    fk_raise_irq();
    assert_true(fk_wait_for(&irq_calls, 1));
    ops->irq_detach(ctx);
    unsigned before = irq_calls;
    fk_raise_irq();
    struct timespec ts = {0, 20000000};
    nanosleep(&ts, NULL);
    assert_int_equal(irq_calls, before);   /* detached: no call */
    struct hdabdl_pci_open_info oi;
    hdabdl_pci_get_open_info(pci, &oi);
    assert_int_equal(oi.interrupts, 2);
    assert_int_equal(fk.intx_unmasks, 0);
    hdabdl_pci_close(pci);
    FK_ASSERT_CLEAN();
}

static void test_vfio_no_msi_uses_intx_and_unmasks(void **state)
{
    (void)state;
    fk.cfg.msi_count = 0;
    hdabdl_pci *pci = open_ok(NULL);
    struct hdabdl_pci_open_info oi;
    hdabdl_pci_get_open_info(pci, &oi);
    assert_int_equal(oi.irq, HDABDL_PCI_IRQ_INTX);
    assert_int_equal(fk.irq_active, VFIO_PCI_INTX_IRQ_INDEX);
    unsigned unmasks = fk_locked_read(&fk.intx_unmasks);
    irq_calls = 0;
    assert_int_equal(hdabdl_pci_hal_ops()->irq_attach(hdabdl_pci_hal_context(pci), count_irq, NULL), 0);
    fk_raise_irq();
    assert_true(fk_wait_for(&irq_calls, 1));
    for (int i = 0; i < 200 && fk_locked_read(&fk.intx_unmasks) == unmasks; i++) {
        struct timespec ts = {0, 1000000};
        nanosleep(&ts, NULL);
    }
    assert_true(fk_locked_read(&fk.intx_unmasks) > unmasks);
    hdabdl_pci_close(pci);
    FK_ASSERT_CLEAN();
}

static void test_vfio_msi_set_fails_falls_back(void **state)
{
    (void)state;
    fk.cfg.msi_set_errno = EINVAL;
    hdabdl_pci *pci = open_ok(NULL);
    struct hdabdl_pci_open_info oi;
    hdabdl_pci_get_open_info(pci, &oi);
    assert_int_equal(oi.irq, HDABDL_PCI_IRQ_INTX);
    hdabdl_pci_close(pci);
    FK_ASSERT_CLEAN();
}

/* No IRQ at all: AUTO polls; asking for MSI or INTx explicitly is refused. */
static void test_vfio_no_irq_support(void **state)
{
    (void)state;
    fk.cfg.msi_count = 0;
    fk.cfg.intx_count = 0;
    struct hdabdl_pci_options o;
    hdabdl_pci_options_default(&o);
    o.irq = HDABDL_PCI_IRQ_MSI;
    hdabdl_pci *pci = (hdabdl_pci *)(uintptr_t)1;
    assert_int_equal(open_with(&o, &pci), HDABDL_STATUS_NOT_SUPPORTED);
    assert_null(pci);
    FK_ASSERT_CLEAN();
    o.irq = HDABDL_PCI_IRQ_INTX;
    assert_int_equal(open_with(&o, &pci), HDABDL_STATUS_NOT_SUPPORTED);
    FK_ASSERT_CLEAN();

    pci = open_ok(NULL);
    struct hdabdl_pci_open_info oi;
    hdabdl_pci_get_open_info(pci, &oi);
    assert_int_equal(oi.irq, HDABDL_PCI_IRQ_POLL);
    /* Polling: the handler runs while an enabled interrupt is pending. */
    irq_calls = 0;
    assert_int_equal(hdabdl_pci_hal_ops()->irq_attach(hdabdl_pci_hal_context(pci), count_irq, NULL), 0);
    struct timespec ts = {0, 20000000};
    nanosleep(&ts, NULL);
    assert_int_equal(irq_calls, 0);                      /* nothing pending */
    fk_bar_put32(0x20, 0xC0000000u);                     /* GIE | CIE */
    fk_bar_put32(0x24, 0xC0000000u);                     /* GIS | CIS */
    assert_true(fk_wait_for(&irq_calls, 3));
    fk_bar_put32(0x24, 0);
    hdabdl_pci_close(pci);
    FK_ASSERT_CLEAN();
}

/* IRQ NONE: no irq_attach; the core then polls through service_interrupt. */
static void test_vfio_irq_none(void **state)
{
    (void)state;
    struct hdabdl_pci_options o;
    hdabdl_pci_options_default(&o);
    o.irq = HDABDL_PCI_IRQ_NONE;
    hdabdl_pci *pci = open_ok(&o);
    assert_int_equal(fk.irq_active, -1);
    assert_int_equal(hdabdl_pci_hal_ops()->irq_attach(hdabdl_pci_hal_context(pci), count_irq, NULL), -ENOTSUP);
    hdabdl_controller *ctrl = NULL;
    assert_int_equal(hdabdl_controller_open(hdabdl_pci_hal_ops(), hdabdl_pci_hal_context(pci), NULL, &ctrl),
                     HDABDL_STATUS_SUCCESS);
    struct hdabdl_command_stats cs;
    hdabdl_controller_get_command_stats(ctrl, &cs);
    assert_int_not_equal(cs.mode, HDABDL_COMMANDS_CORB_IRQ);
    hdabdl_controller_close(ctrl);
    hdabdl_pci_close(pci);
    FK_ASSERT_CLEAN();
}

static void test_vfio_timer(void **state)
{
    (void)state;
    hdabdl_pci *pci = open_ok(NULL);
    const struct hdabdl_hal_ops *ops = hdabdl_pci_hal_ops();
    void *ctx = hdabdl_pci_hal_context(pci);
    timer_calls = 0;
    assert_int_equal(ops->timer_attach(ctx, count_timer, NULL), 0);
    assert_int_equal(ops->timer_attach(ctx, count_timer, NULL), -EBUSY);
    uint64_t t0 = ops->now_ns(ctx);
    ops->timer_arm(ctx, 2000);
    assert_true(fk_wait_for(&timer_calls, 1));
    assert_true(ops->now_ns(ctx) - t0 >= 2000000u);
    /* re-armed then cancelled: no call */
    ops->timer_arm(ctx, 50000);
    ops->timer_arm(ctx, 0);
    struct timespec ts = {0, 100000000};
    nanosleep(&ts, NULL);
    assert_int_equal(timer_calls, 1);
    ops->timer_arm(ctx, 100000);
    ops->timer_detach(ctx);
    nanosleep(&ts, NULL);
    nanosleep(&ts, NULL);
    assert_int_equal(timer_calls, 1);
    hdabdl_pci_close(pci);
    FK_ASSERT_CLEAN();
}

/* delay_us busy-waits at least as long as asked. */
static void test_vfio_delay(void **state)
{
    (void)state;
    hdabdl_pci *pci = open_ok(NULL);
    const struct hdabdl_hal_ops *ops = hdabdl_pci_hal_ops();
    void *ctx = hdabdl_pci_hal_context(pci);
    uint64_t t0 = ops->now_ns(ctx);
    ops->delay_us(ctx, 1500);
    assert_true(ops->now_ns(ctx) - t0 >= 1500000u);
    void *lock = NULL;
    assert_int_equal(ops->lock_create(ctx, &lock), 0);
    ops->lock_acquire(ctx, lock);
    ops->lock_release(ctx, lock);
    ops->lock_destroy(ctx, lock);
    hdabdl_pci_close(pci);
    FK_ASSERT_CLEAN();
}

/* ---- registers ---------------------------------------------------------------------- */

static void test_vfio_register_widths(void **state)
{
    (void)state;
    hdabdl_pci *pci = open_ok(NULL);
    const struct hdabdl_hal_ops *ops = hdabdl_pci_hal_ops();
    void *ctx = hdabdl_pci_hal_context(pci);
    memset(fk.bar + 0x100, 0xAA, 16);
    assert_int_equal(ops->reg_write(ctx, 0x101, 1, 0x11), 0);
    assert_int_equal(ops->reg_write(ctx, 0x104, 2, 0x2233), 0);
    assert_int_equal(ops->reg_write(ctx, 0x108, 4, 0x44556677), 0);
    static const uint8_t want[16] = {0xAA, 0x11, 0xAA, 0xAA, 0x33, 0x22, 0xAA, 0xAA,
                                     0x77, 0x66, 0x55, 0x44, 0xAA, 0xAA, 0xAA, 0xAA};
    assert_memory_equal(fk.bar + 0x100, want, 16);
    uint32_t v;
    assert_int_equal(ops->reg_read(ctx, 0x00, 2, &v), 0);
    assert_int_equal(v, 0x4401);
    assert_int_equal(ops->reg_read(ctx, 0x03, 1, &v), 0);
    assert_int_equal(v, 0x01);
    assert_int_equal(ops->reg_read(ctx, 0x108, 4, &v), 0);
    assert_int_equal(v, 0x44556677);
    assert_int_equal(ops->reg_read(ctx, 0x101, 2, &v), -EINVAL);     /* misaligned */
    assert_int_equal(ops->reg_read(ctx, 0x100, 3, &v), -EINVAL);     /* no such width */
    assert_int_equal(ops->reg_read(ctx, 0x4000, 4, &v), -EINVAL);    /* past BAR0 */
    assert_int_equal(ops->reg_write(ctx, 0x3FFE, 4, 0), -EINVAL);
    const volatile uint32_t *p = ops->reg_pointer(ctx, 0x2030);
    assert_true(p == (const volatile uint32_t *)(const void *)(fk.bar + 0x2030));
    assert_null(ops->reg_pointer(ctx, 0x4000));
    struct hdabdl_pci_ids ids;
    assert_int_equal(ops->pci_ids(ctx, &ids), 0);
    assert_int_equal(ids.subsystem_id, 0x1100);
    hdabdl_pci_close(pci);
    FK_ASSERT_CLEAN();
}

/* hdabdl_pci_quiesce stops engines, CORB/RIRB and the position buffer, then bus mastering. */
static void test_vfio_quiesce(void **state)
{
    (void)state;
    hdabdl_pci *pci = open_ok(NULL);
    fk.bar[0x80 + 0x20 * 4] = 0x1E;    /* output stream 0: RUN | IOCE | FEIE | DEIE */
    fk.bar[0x80 + 0x20 * 4 + 2] = 0x10;/* stream tag 1 stays */
    fk.bar[0x4C] = 0x02;               /* CORBRUN */
    fk.bar[0x5C] = 0x03;               /* RIRBDMAEN | RINTCTL */
    fk_bar_put32(0x70, 0x12340001);    /* DPLBASE enabled */
    fk_bar_put32(0x20, 0xC0000010);
    hdabdl_pci_quiesce(pci);
    assert_int_equal(fk.bar[0x80 + 0x20 * 4], 0x00);
    assert_int_equal(fk.bar[0x80 + 0x20 * 4 + 2], 0x10);
    assert_int_equal(fk.bar[0x4C], 0);
    assert_int_equal(fk.bar[0x5C], 0);
    assert_int_equal(fk_bar_get32(0x70), 0);
    assert_int_equal(fk_bar_get32(0x20), 0);
    assert_int_equal(fk_command() & 0x4, 0);
    assert_int_equal(fk_command() & 0x2, 0x2);   /* memory decode stays: the BAR is still mapped */
    hdabdl_pci_close(pci);
    FK_ASSERT_CLEAN();
}

/* A previous owner's running DMA is stopped before bus mastering is turned on. */
static void test_vfio_open_quiesces_leftovers(void **state)
{
    (void)state;
    fk.bar[0x80] = 0x02;     /* input stream 0 running */
    fk.bar[0x4C] = 0x02;
    hdabdl_pci *pci = open_ok(NULL);
    assert_int_equal(fk.bar[0x80] & 0x02, 0);
    assert_int_equal(fk.bar[0x4C], 0);
    hdabdl_pci_close(pci);
    FK_ASSERT_CLEAN();
}

static void test_vfio_options(void **state)
{
    (void)state;
    fk_start();
    struct hdabdl_pci_options o;
    hdabdl_pci_options_default(&o);
    hdabdl_pci *pci = NULL;
    o.size = 4;
    assert_int_equal(hdabdl_pci_open(FK_BDF, &o, &pci), HDABDL_STATUS_REVISION_MISMATCH);
    hdabdl_pci_options_default(&o);
    o.mode = (enum hdabdl_pci_mode)7;
    assert_int_equal(hdabdl_pci_open(FK_BDF, &o, &pci), HDABDL_STATUS_INVALID_PARAMETER);
    assert_int_equal(hdabdl_pci_open(FK_BDF, NULL, NULL), HDABDL_STATUS_INVALID_PARAMETER);
    hdabdl_pci_close(NULL);
    FK_ASSERT_CLEAN();
}

/* Open, close, open again: every resource comes back (leak check over repetitions). */
static void test_vfio_reopen(void **state)
{
    (void)state;
    for (int i = 0; i < 5; i++) {
        hdabdl_pci *pci = open_ok(NULL);
        hdabdl_controller *ctrl = NULL;
        assert_int_equal(hdabdl_controller_open(hdabdl_pci_hal_ops(), hdabdl_pci_hal_context(pci), NULL, &ctrl),
                         HDABDL_STATUS_SUCCESS);
        hdabdl_controller_close(ctrl);
        hdabdl_pci_close(pci);
        FK_ASSERT_CLEAN();
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_vfio_core_opens_allocates_and_closes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vfio_teardown_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vfio_pci_system_init_fails, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vfio_no_such_device, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vfio_bound_to_other_driver, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vfio_no_driver, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vfio_bound_to_uio, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vfio_no_iommu_group, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vfio_modules_not_loaded, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vfio_wrong_api_version, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vfio_no_type1, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vfio_type1_without_v2, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vfio_group_permission_denied, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vfio_group_busy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vfio_group_node_missing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vfio_group_not_viable, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vfio_set_container_fails, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vfio_set_iommu_eperm, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vfio_get_info_fails, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vfio_caps_cycle, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vfio_caps_out_of_bounds, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vfio_caps_no_ranges, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vfio_no_caps_fallback, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vfio_get_device_fd_fails, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vfio_not_pci, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vfio_bar_too_small, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vfio_bar_not_mappable, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vfio_bar_mmap_fails, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vfio_config_io_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vfio_bus_master_does_not_stick, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vfio_registers_all_ones, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vfio_no_iova_below_4g, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vfio_eventfd_exhausted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vfio_64ok_uses_high_iova, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vfio_iova_space_exhausted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vfio_iova_ranges_and_alignment, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vfio_map_dma_fails_part_way, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vfio_map_dma_errors_pass_through, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vfio_msi_delivers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vfio_no_msi_uses_intx_and_unmasks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vfio_msi_set_fails_falls_back, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vfio_no_irq_support, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vfio_irq_none, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vfio_timer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vfio_delay, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vfio_register_widths, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vfio_quiesce, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vfio_open_quiesces_leftovers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vfio_options, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vfio_reopen, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
