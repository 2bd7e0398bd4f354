/* SPDX-License-Identifier: MIT */
/*
 * test_pciaccess_discovery.c - discovery through libpciaccess (faked): the
 * HDA class filter, the `driver` and `iommu_group` links, what each binding
 * allows, BDF parsing, opening without a BDF, names, and that libpciaccess
 * is initialised once and cleaned up with its last user.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "hdabdl/pciaccess.h"
#include "hal/pciaccess/pci_internal.h"

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

static void test_list_hda_only(void **state)
{
    (void)state;
    fk_start();
    struct hdabdl_pci_device_info *devs = NULL;
    size_t n = 0;
    assert_int_equal(hdabdl_pci_list(&devs, &n), HDABDL_STATUS_SUCCESS);
    assert_int_equal(n, 2);   /* the NIC is not listed */
    assert_string_equal(devs[0].bdf, FK_BDF);
    assert_int_equal(devs[0].ids.vendor_id, 0x8086);
    assert_int_equal(devs[0].ids.device_id, 0x293e);
    assert_int_equal(devs[0].ids.subsystem_vendor_id, 0x1af4);
    assert_int_equal(devs[0].ids.subsystem_id, 0x1100);
    assert_int_equal(devs[0].ids.revision, 3);
    assert_int_equal(devs[0].class_code, 0x040300);
    assert_string_equal(devs[0].driver, "vfio-pci");
    assert_int_equal(devs[0].binding, HDABDL_PCI_BINDING_VFIO);
    assert_int_equal(devs[0].iommu_group, FK_GROUP);
    assert_int_equal(devs[0].modes, HDABDL_PCI_MODE_BIT(HDABDL_PCI_MODE_VFIO));
    assert_true(devs[0].bar0_base == FK_BAR_PHYS);
    assert_int_equal(devs[0].bar0_size, 0x4000);
    assert_int_equal(devs[0].domain, 0);
    assert_int_equal(devs[0].dev, 0x1b);

    assert_string_equal(devs[1].bdf, FK_BDF_HDA2);
    assert_string_equal(devs[1].driver, "snd_hda_intel");
    assert_int_equal(devs[1].binding, HDABDL_PCI_BINDING_OTHER);
    assert_int_equal(devs[1].iommu_group, 9);
    assert_int_equal(devs[1].modes, 0);
    assert_int_equal(devs[1].func, 3);
    hdabdl_pci_list_free(devs);
    FK_ASSERT_CLEAN();
}

static void test_list_bindings(void **state)
{
    (void)state;
    fk.cfg.driver = "uio_pci_generic";
    fk.cfg.iommu_group = -1;
    fk.cfg.hda2_driver = NULL;
    fk_start();
    struct hdabdl_pci_device_info *devs = NULL;
    size_t n = 0;
    assert_int_equal(hdabdl_pci_list(&devs, &n), HDABDL_STATUS_SUCCESS);
    assert_int_equal(n, 2);
    assert_int_equal(devs[0].binding, HDABDL_PCI_BINDING_UIO);
    assert_int_equal(devs[0].iommu_group, -1);
    assert_int_equal(devs[0].modes, HDABDL_PCI_MODE_BIT(HDABDL_PCI_MODE_UIO));
    assert_int_equal(devs[1].binding, HDABDL_PCI_BINDING_NONE);
    assert_string_equal(devs[1].driver, "");
    assert_int_equal(devs[1].modes, 0);
    hdabdl_pci_list_free(devs);
    FK_ASSERT_CLEAN();
}

/* vfio-pci without an IOMMU group cannot be opened in vfio mode. */
static void test_list_vfio_without_group(void **state)
{
    (void)state;
    fk.cfg.iommu_group = -1;
    fk_start();
    struct hdabdl_pci_device_info info;
    assert_int_equal(hdabdl_pci_find(FK_BDF, &info), HDABDL_STATUS_SUCCESS);
    assert_int_equal(info.binding, HDABDL_PCI_BINDING_VFIO);
    assert_int_equal(info.modes, 0);
    FK_ASSERT_CLEAN();
}

static void test_list_system_init_fails(void **state)
{
    (void)state;
    fk.cfg.system_init_errno = ENOENT;
    fk_start();
    struct hdabdl_pci_device_info *devs = (void *)1;
    size_t n = 7;
    assert_int_equal(hdabdl_pci_list(&devs, &n), HDABDL_STATUS_NO_SUCH_DEVICE);
    assert_null(devs);
    assert_int_equal(n, 0);
    assert_non_null(strstr(hdabdl_pci_last_error(), "pci_system_init"));
    assert_int_equal(hdabdl_pci_list(NULL, &n), HDABDL_STATUS_INVALID_PARAMETER);
    FK_ASSERT_CLEAN();
}

static void test_find(void **state)
{
    (void)state;
    fk_start();
    struct hdabdl_pci_device_info info;
    assert_int_equal(hdabdl_pci_find("00:1b.0", &info), HDABDL_STATUS_SUCCESS);
    assert_string_equal(info.bdf, FK_BDF);
    assert_string_equal(hdabdl_pci_last_error(), "");
    assert_int_equal(hdabdl_pci_find("0000:00:1F.3", &info), HDABDL_STATUS_SUCCESS);
    assert_string_equal(info.bdf, FK_BDF_HDA2);
    assert_int_equal(hdabdl_pci_find("0000:00:03.0", &info), HDABDL_STATUS_NO_SUCH_DEVICE);
    assert_int_equal(hdabdl_pci_find(FK_BDF_NIC, &info), HDABDL_STATUS_NOT_SUPPORTED);
    assert_int_equal(hdabdl_pci_find("zz:1b.0", &info), HDABDL_STATUS_INVALID_PARAMETER);
    assert_non_null(strstr(hdabdl_pci_last_error(), "zz:1b.0"));
    assert_int_equal(hdabdl_pci_find(NULL, &info), HDABDL_STATUS_INVALID_PARAMETER);
    FK_ASSERT_CLEAN();
}

static void test_parse_bdf(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        bool ok;
        uint32_t d, b, s, f;
    } cases[] = {
        {"0000:00:1b.0", true, 0, 0, 0x1b, 0},
        {"00:1b.0", true, 0, 0, 0x1b, 0},
        {"1:2:3.4", true, 1, 2, 3, 4},
        {"ffff:ff:1f.7", true, 0xffff, 0xff, 0x1f, 7},
        {"0000:00:20.0", false, 0, 0, 0, 0},   /* device > 31 */
        {"0000:00:1b.8", false, 0, 0, 0, 0},   /* function > 7 */
        {"10000:00:1b.0", false, 0, 0, 0, 0},
        {"0000:100:1b.0", false, 0, 0, 0, 0},
        {"00:1b", false, 0, 0, 0, 0},
        {"00:1b.", false, 0, 0, 0, 0},
        {"00:1b.0x", false, 0, 0, 0, 0},
        {"00:1b.0 ", false, 0, 0, 0, 0},
        {" 00:1b.0", false, 0, 0, 0, 0},
        {"", false, 0, 0, 0, 0},
        {"0000:00:1b:0", false, 0, 0, 0, 0},
        {"-1:1b.0", false, 0, 0, 0, 0},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        uint32_t d = 99, b = 99, s = 99, f = 99;
        bool ok = hdabdl__pci_parse_bdf(cases[i].text, &d, &b, &s, &f);
        if (ok != cases[i].ok)
            fail_msg("'%s': parse says %d", cases[i].text, ok);
        if (ok) {
            assert_int_equal(d, cases[i].d);
            assert_int_equal(b, cases[i].b);
            assert_int_equal(s, cases[i].s);
            assert_int_equal(f, cases[i].f);
        }
    }
    uint32_t d, b, s, f;
    assert_false(hdabdl__pci_parse_bdf(NULL, &d, &b, &s, &f));
}

/* No BDF: the only usable controller; none, or two, are errors with a message. */
static void test_open_without_bdf(void **state)
{
    (void)state;
    fk_start();
    hdabdl_pci *pci = NULL;
    assert_int_equal(hdabdl_pci_open(NULL, NULL, &pci), HDABDL_STATUS_SUCCESS);
    hdabdl_pci_close(pci);
    FK_ASSERT_CLEAN();

    fk.cfg.driver = "snd_hda_intel";
    assert_int_equal(hdabdl_pci_open(NULL, NULL, &pci), HDABDL_STATUS_NO_SUCH_DEVICE);
    assert_non_null(strstr(hdabdl_pci_last_error(), "none bound to vfio-pci"));
    FK_ASSERT_CLEAN();

    fk.cfg.driver = "uio_pci_generic";
    fk.cfg.hda2_driver = "uio_pci_generic";
    struct hdabdl_pci_options o;
    hdabdl_pci_options_default(&o);
    o.mode = HDABDL_PCI_MODE_UIO;
    assert_int_equal(hdabdl_pci_open(NULL, &o, &pci), HDABDL_STATUS_INVALID_PARAMETER);
    assert_non_null(strstr(hdabdl_pci_last_error(), "2 HDA controllers"));
    assert_null(pci);
    FK_ASSERT_CLEAN();
}

/* libpciaccess is initialised once however many users, cleaned up with the last. */
static void test_system_refcount(void **state)
{
    (void)state;
    fk_start();
    hdabdl_pci *pci = NULL;
    assert_int_equal(hdabdl_pci_open(FK_BDF, NULL, &pci), HDABDL_STATUS_SUCCESS);
    assert_int_equal(fk.system_refs, 1);
    struct hdabdl_pci_device_info *devs = NULL;
    size_t n = 0;
    assert_int_equal(hdabdl_pci_list(&devs, &n), HDABDL_STATUS_SUCCESS);   /* no second init */
    hdabdl_pci_list_free(devs);
    assert_int_equal(fk.system_refs, 1);
    hdabdl_pci_close(pci);
    FK_ASSERT_CLEAN();
}

static void test_names(void **state)
{
    (void)state;
    assert_string_equal(hdabdl_pci_mode_name(HDABDL_PCI_MODE_VFIO), "vfio");
    assert_string_equal(hdabdl_pci_mode_name(HDABDL_PCI_MODE_UIO), "uio");
    assert_string_equal(hdabdl_pci_binding_name(HDABDL_PCI_BINDING_NONE), "none");
    assert_string_equal(hdabdl_pci_binding_name(HDABDL_PCI_BINDING_VFIO), "vfio-pci");
    assert_string_equal(hdabdl_pci_binding_name(HDABDL_PCI_BINDING_UIO), "uio_pci_generic");
    assert_string_equal(hdabdl_pci_binding_name(HDABDL_PCI_BINDING_OTHER), "other");
    assert_string_equal(hdabdl_pci_irq_name(HDABDL_PCI_IRQ_AUTO), "auto");
    assert_string_equal(hdabdl_pci_irq_name(HDABDL_PCI_IRQ_MSI), "msi");
    assert_string_equal(hdabdl_pci_irq_name(HDABDL_PCI_IRQ_INTX), "intx");
    assert_string_equal(hdabdl_pci_irq_name(HDABDL_PCI_IRQ_POLL), "poll");
    assert_string_equal(hdabdl_pci_irq_name(HDABDL_PCI_IRQ_NONE), "none");
    struct hdabdl_pci_options o;
    hdabdl_pci_options_default(&o);
    assert_int_equal(o.size, sizeof(o));
    assert_int_equal(o.mode, HDABDL_PCI_MODE_VFIO);
    assert_int_equal(o.irq, HDABDL_PCI_IRQ_AUTO);
    assert_int_equal(o.poll_interval_us, 1000);
    const struct hdabdl_hal_ops *ops = hdabdl_pci_hal_ops();
    assert_int_equal(ops->abi_version, HDABDL_HAL_ABI_VERSION);
    assert_int_equal(ops->struct_size, sizeof(struct hdabdl_hal_ops));
    assert_string_equal(ops->name, "pciaccess");
    assert_non_null(ops->pci_ids);
    assert_non_null(ops->timer_arm);
}

/* The real table is what is used by default (no device is touched by this). */
static void test_real_table_default(void **state)
{
    (void)state;
    assert_ptr_equal(hdabdl__pci_sys(), &hdabdl__pci_sys_real);
    hdabdl__pci_sys_set(&fk_sys);
    assert_ptr_equal(hdabdl__pci_sys(), &fk_sys);
    hdabdl__pci_sys_set(NULL);
    assert_ptr_equal(hdabdl__pci_sys(), &hdabdl__pci_sys_real);
    char name[32];
    assert_int_equal(hdabdl__pci_sys_real.find_entry("/nonexistent-dir", "x", name, sizeof(name)), -ENOENT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_real_table_default),
        cmocka_unit_test_setup_teardown(test_list_hda_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_bindings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_vfio_without_group, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_system_init_fails, setup, teardown),
        cmocka_unit_test_setup_teardown(test_find, setup, teardown),
        cmocka_unit_test(test_parse_bdf),
        cmocka_unit_test_setup_teardown(test_open_without_bdf, setup, teardown),
        cmocka_unit_test_setup_teardown(test_system_refcount, setup, teardown),
        cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
