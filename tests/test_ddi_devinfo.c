/* SPDX-License-Identifier: MIT */
/*
 * test_ddi_devinfo.c - GetDeviceInformation (V1 and V2) and
 * GetResourceInformation (ddi.md §4.18, §4.19, §5.8, §10 #5/#12; hdabdl.h),
 * and where the V2 fields come from: the HAL's pci_ids slot, which a HAL of
 * ABI version 1 does not have (hal.h "Versioning").
 *
 * GetDeviceInformation honours the caller's Size: below sizeof V1 (10) it is
 * BUFFER_TOO_SMALL; from 10 it fills V1 and writes back 10; from sizeof V2
 * (14) it fills V2 and writes back 14. It never writes past what it reports.
 * The mock controller is VMAJ 1 / VMIN 0 with PCI IDs 8086:2668 rev 1 unless
 * configured otherwise. CodecsDetected is a count here (ddi.md §10 #5: the
 * documentation's reading, as SK does; the mask is in controller_get_info).
 */
#include "support/fixture.h"

#include <errno.h>
#include <string.h>

#include "hdabdl/hal_hosted.h"
#include "hdabdl/version.h"

#define CANARY 0xA5u

/* A device information buffer with room to spare, filled with CANARY. */
union info_buf {
    struct hdabdl_device_information v1;
    struct hdabdl_device_information_v2 v2;
    uint8_t bytes[32];
};

static void fill_canary(union info_buf *b, uint16_t size)
{
    memset(b, CANARY, sizeof(*b));
    b->v1.size = size;
}

static void assert_untouched_from(const union info_buf *b, size_t from)
{
    for (size_t i = from; i < sizeof(b->bytes); i++)
        if (b->bytes[i] != CANARY) {
            print_error("byte %zu of the buffer was written (0x%02x)\n", i, b->bytes[i]);
            fail();
        }
}

static hdabdl_status devinfo(hdabdl_client *c, union info_buf *b)
{
    return hdabdl_get_device_information(c, &b->v1);
}

static struct hdabdl_device_information_v2 devinfo_v2(hdabdl_client *c)
{
    union info_buf b;
    fill_canary(&b, (uint16_t)sizeof(b.v2));
    assert_status(devinfo(c, &b), HDABDL_STATUS_SUCCESS);
    assert_int_equal(b.v2.size, 14);
    return b.v2;
}

/* ---- Layout ------------------------------------------------------------------------------------ */

static void test_the_device_information_structs_are_10_and_14_bytes(void **state)
{
    (void)state;
    assert_int_equal(sizeof(struct hdabdl_device_information), 10);
    assert_int_equal(sizeof(struct hdabdl_device_information_v2), 14);
    assert_int_equal(offsetof(struct hdabdl_device_information_v2, ctrl_revision), 9);
    assert_int_equal(offsetof(struct hdabdl_device_information_v2, ctrl_vendor_id), 10);
    assert_int_equal(offsetof(struct hdabdl_device_information_v2, ctrl_device_id), 12);
}

/* ---- Size handling ----------------------------------------------------------------------------- */

static void test_device_information_with_size_0_is_buffer_too_small(void **state)
{
    struct fx *fx = *state;
    union info_buf b;
    fill_canary(&b, 0);
    assert_status(devinfo(fx->client, &b), HDABDL_STATUS_BUFFER_TOO_SMALL);
    assert_int_equal(b.v1.size, 0);
    assert_untouched_from(&b, 2);
}

static void test_device_information_with_size_9_is_buffer_too_small(void **state)
{
    struct fx *fx = *state;
    union info_buf b;
    fill_canary(&b, 9);
    assert_status(devinfo(fx->client, &b), HDABDL_STATUS_BUFFER_TOO_SMALL);
    assert_int_equal(b.v1.size, 9);
    assert_untouched_from(&b, 2);
}

static void test_device_information_with_the_v1_size_fills_v1_and_writes_back_10(void **state)
{
    struct fx *fx = *state;
    union info_buf b;
    fill_canary(&b, (uint16_t)sizeof(b.v1));
    assert_status(devinfo(fx->client, &b), HDABDL_STATUS_SUCCESS);
    assert_int_equal(b.v1.size, 10);
    assert_int_equal(b.v1.device_version, 0x0100);
    assert_int_equal(b.v1.driver_version, HDABDL_VERSION_MAJOR << 8 | HDABDL_VERSION_MINOR);
    assert_int_equal(b.v1.codecs_detected, 1);
    assert_false(b.v1.is_striping_supported);
}

static void test_device_information_v1_leaves_the_bytes_after_it_untouched(void **state)
{
    struct fx *fx = *state;
    union info_buf b;
    fill_canary(&b, (uint16_t)sizeof(b.v1));
    b.v2.ctrl_vendor_id = 0xCAFE;
    b.v2.ctrl_device_id = 0xBEEF;
    assert_status(devinfo(fx->client, &b), HDABDL_STATUS_SUCCESS);
    assert_int_equal(b.v2.size, 10);
    assert_int_equal(b.v2.ctrl_vendor_id, 0xCAFE);
    assert_int_equal(b.v2.ctrl_device_id, 0xBEEF);
    assert_untouched_from(&b, 14);
}

static void test_device_information_of_13_bytes_fills_only_v1(void **state)
{
    struct fx *fx = *state;
    union info_buf b;
    fill_canary(&b, 13);
    assert_status(devinfo(fx->client, &b), HDABDL_STATUS_SUCCESS);
    assert_int_equal(b.v1.size, 10);
    assert_untouched_from(&b, 10);
}

static void test_device_information_with_the_v2_size_fills_v2_and_writes_back_14(void **state)
{
    struct fx *fx = *state;
    union info_buf b;
    fill_canary(&b, (uint16_t)sizeof(b.v2));
    assert_status(devinfo(fx->client, &b), HDABDL_STATUS_SUCCESS);
    assert_int_equal(b.v2.size, 14);
    assert_int_equal(b.v2.device_version, 0x0100);
    assert_int_equal(b.v2.driver_version, HDABDL_VERSION_MAJOR << 8 | HDABDL_VERSION_MINOR);
    assert_int_equal(b.v2.codecs_detected, 1);
    assert_false(b.v2.is_striping_supported);
    assert_int_equal(b.v2.ctrl_vendor_id, 0x8086);
    assert_int_equal(b.v2.ctrl_device_id, 0x2668);
    assert_int_equal(b.v2.ctrl_revision, 0x01);
    assert_untouched_from(&b, 14);
}

static void test_device_information_larger_than_v2_fills_v2_and_writes_back_14(void **state)
{
    struct fx *fx = *state;
    union info_buf b;
    fill_canary(&b, (uint16_t)sizeof(b));
    assert_status(devinfo(fx->client, &b), HDABDL_STATUS_SUCCESS);
    assert_int_equal(b.v2.size, 14);
    assert_int_equal(b.v2.ctrl_vendor_id, 0x8086);
    assert_int_equal(b.v2.ctrl_device_id, 0x2668);
    assert_int_equal(b.v2.ctrl_revision, 0x01);
    assert_untouched_from(&b, 14);
}

static void test_device_information_with_null_is_invalid_parameter(void **state)
{
    struct fx *fx = *state;
    union info_buf b;
    fill_canary(&b, (uint16_t)sizeof(b.v2));
    assert_status(hdabdl_get_device_information(fx->client, NULL), HDABDL_STATUS_INVALID_PARAMETER);
    assert_status(hdabdl_get_device_information(NULL, &b.v1), HDABDL_STATUS_INVALID_PARAMETER);
    assert_int_equal(b.v2.size, 14);
    assert_untouched_from(&b, 2);
}

/* ---- Contents ---------------------------------------------------------------------------------- */

static void other_pci_ids(struct hdabdl_mock_hal_config *cfg)
{
    cfg->device.pci_vendor_id = 0x1002;  /* AMD */
    cfg->device.pci_device_id = 0x1457;
    cfg->device.pci_revision = 0xC1;
}

static void test_device_information_reports_the_controllers_pci_ids(void **state)
{
    struct fx *fx = *state; /* other_pci_ids */
    struct hdabdl_device_information_v2 v2 = devinfo_v2(fx->client);
    assert_int_equal(v2.ctrl_vendor_id, 0x1002);
    assert_int_equal(v2.ctrl_device_id, 0x1457);
    assert_int_equal(v2.ctrl_revision, 0xC1);
    struct hdabdl_controller_info info = fx_ctrl_info(fx);
    assert_int_equal(info.pci.vendor_id, 0x1002);
    assert_int_equal(info.pci.device_id, 0x1457);
    assert_int_equal(info.pci.revision, 0xC1);
}

static void test_device_version_is_vmaj_vmin_0x0100_for_the_mock(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_controller_info info = fx_ctrl_info(fx);
    assert_int_equal(info.version_major, 1);
    assert_int_equal(info.version_minor, 0);
    assert_int_equal(devinfo_v2(fx->client).device_version, 0x0100);
}

static void codecs_0_and_2(struct hdabdl_mock_hal_config *cfg) { cfg->device.codec_mask = 0x5; }

static void test_codecs_detected_counts_the_codecs_on_the_link(void **state)
{
    struct fx *fx = *state; /* codec_mask 0x5 */
    assert_int_equal(fx_ctrl_info(fx).codec_mask, 0x5);
    assert_int_equal(devinfo_v2(fx->client).codecs_detected, 2);
}

static void all_codecs(struct hdabdl_mock_hal_config *cfg) { cfg->device.codec_mask = 0x7FFF; }

static void test_codecs_detected_is_15_with_every_address_taken(void **state)
{
    struct fx *fx = *state; /* codec_mask 0x7FFF */
    assert_int_equal(devinfo_v2(fx->client).codecs_detected, 15);
}

static void test_codecs_detected_counts_an_added_codec(void **state)
{
    struct fx *fx = *state; /* bare */
    (void)fx_add_duplex_codec(fx, 2, 0x14f15069u);
    fx_start(fx, 1);
    assert_int_equal(fx_ctrl_info(fx).codec_mask, 0x5);
    assert_int_equal(devinfo_v2(fx->client).codecs_detected, 2);
}

static void test_striping_is_not_supported_with_one_sdo_line(void **state)
{
    struct fx *fx = *state;
    assert_int_equal(fx_ctrl_info(fx).sdo_lines, 1);
    assert_false(devinfo_v2(fx->client).is_striping_supported);
}

static void two_sdo(struct hdabdl_mock_hal_config *cfg) { cfg->device.sdo_lines = 2; }
static void four_sdo(struct hdabdl_mock_hal_config *cfg) { cfg->device.sdo_lines = 4; }

static void test_striping_is_supported_with_two_sdo_lines(void **state)
{
    struct fx *fx = *state; /* two_sdo */
    assert_int_equal(fx_ctrl_info(fx).sdo_lines, 2);
    assert_true(devinfo_v2(fx->client).is_striping_supported);
    union info_buf b;
    fill_canary(&b, (uint16_t)sizeof(b.v1));
    assert_status(devinfo(fx->client, &b), HDABDL_STATUS_SUCCESS);
    assert_true(b.v1.is_striping_supported);
}

static void test_striping_is_supported_with_four_sdo_lines(void **state)
{
    struct fx *fx = *state; /* four_sdo */
    assert_true(devinfo_v2(fx->client).is_striping_supported);
}

static void test_every_client_gets_the_same_device_information(void **state)
{
    struct fx *fx = *state; /* codec_mask 0x5 */
    hdabdl_client *c2 = NULL;
    assert_status(hdabdl_client_open(fx->ctrl, 2, 1, &c2), HDABDL_STATUS_SUCCESS);
    struct hdabdl_device_information_v2 a = devinfo_v2(fx->client);
    struct hdabdl_device_information_v2 b = devinfo_v2(c2);
    assert_memory_equal(&a, &b, sizeof(a));
    hdabdl_client_close(c2);
}

/* ---- Resource information ----------------------------------------------------------------------- */

static void test_resource_information_returns_the_codec_address_and_start_node(void **state)
{
    struct fx *fx = *state;
    uint8_t cad = 0xEE, node = 0xEE;
    assert_status(hdabdl_get_resource_information(fx->client, &cad, &node), HDABDL_STATUS_SUCCESS);
    assert_int_equal(cad, 0);
    assert_int_equal(node, 1);
}

static void test_resource_information_is_what_each_client_was_opened_with(void **state)
{
    struct fx *fx = *state; /* codec_mask 0x5 */
    hdabdl_client *c = NULL;
    assert_status(hdabdl_client_open(fx->ctrl, 2, 0x11, &c), HDABDL_STATUS_SUCCESS);
    uint8_t cad = 0xEE, node = 0xEE;
    assert_status(hdabdl_get_resource_information(c, &cad, &node), HDABDL_STATUS_SUCCESS);
    assert_int_equal(cad, 2);
    assert_int_equal(node, 0x11);
    hdabdl_client_close(c);
    assert_status(hdabdl_client_open(fx->ctrl, 14, 0xFE, &c), HDABDL_STATUS_SUCCESS);
    assert_status(hdabdl_get_resource_information(c, &cad, &node), HDABDL_STATUS_SUCCESS);
    assert_int_equal(cad, 14);
    assert_int_equal(node, 0xFE);
    hdabdl_client_close(c);
    /* The fixture's client is unchanged. */
    assert_status(hdabdl_get_resource_information(fx->client, &cad, &node), HDABDL_STATUS_SUCCESS);
    assert_int_equal(cad, 0);
    assert_int_equal(node, 1);
}

static void test_resource_information_with_null_pointers_is_invalid_parameter(void **state)
{
    struct fx *fx = *state;
    uint8_t cad = 0xEE, node = 0xEE;
    assert_status(hdabdl_get_resource_information(NULL, &cad, &node),
                  HDABDL_STATUS_INVALID_PARAMETER);
    assert_status(hdabdl_get_resource_information(fx->client, NULL, &node),
                  HDABDL_STATUS_INVALID_PARAMETER);
    assert_status(hdabdl_get_resource_information(fx->client, &cad, NULL),
                  HDABDL_STATUS_INVALID_PARAMETER);
    assert_int_equal(cad, 0xEE);
    assert_int_equal(node, 0xEE);
}

/* ---- HAL versions -------------------------------------------------------------------------------- */

static unsigned pci_ids_calls;

static int counting_pci_ids(void *ctx, struct hdabdl_pci_ids *ids)
{
    (void)ctx;
    pci_ids_calls++;
    *ids = (struct hdabdl_pci_ids){.vendor_id = 0x10DE, .device_id = 0x0BEE, .revision = 0xA1};
    return 0;
}

static int failing_pci_ids(void *ctx, struct hdabdl_pci_ids *ids)
{
    (void)ctx;
    pci_ids_calls++;
    /* written, then failed: must not be believed */
    *ids = (struct hdabdl_pci_ids){.vendor_id = 0x10DE, .device_id = 0x0BEE, .revision = 0xA1};
    return -EIO;
}

/* Older tables reach the v3 core through the hosted fallback (hdabdl/hal_hosted.h). */
static struct hdabdl_hal_hosted hosted;

static hdabdl_status open_over_ops(struct fx *fx)
{
    if (!fx->hal)
        fx_create_hal(fx);
    hdabdl_status st;
    if (fx->ops.abi_version >= 3) {
        st = hdabdl_controller_open(&fx->ops, hdabdl_mock_hal_context(fx->hal), NULL, &fx->ctrl);
    } else {
        st = hdabdl_hal_hosted_wrap(&hosted, &fx->ops, hdabdl_mock_hal_context(fx->hal));
        if (st == HDABDL_STATUS_SUCCESS)
            st = hdabdl_controller_open(&hosted.ops, &hosted, NULL, &fx->ctrl);
    }
    if (st == HDABDL_STATUS_SUCCESS)
        assert_status(hdabdl_client_open(fx->ctrl, 0, 1, &fx->client), HDABDL_STATUS_SUCCESS);
    return st;
}

static void test_a_version_1_hal_opens_and_reports_pci_ids_as_0(void **state)
{
    struct fx *fx = *state; /* bare */
    pci_ids_calls = 0;
    fx->ops = *hdabdl_mock_hal_ops();
    fx->ops.abi_version = 1;
    fx->ops.struct_size = (uint32_t)HDABDL_HAL_OPS_V1_SIZE;
    fx->ops.pci_ids = counting_pci_ids; /* beyond the v1 struct: must not be read */
    assert_status(open_over_ops(fx), HDABDL_STATUS_SUCCESS);
    struct hdabdl_device_information_v2 v2 = devinfo_v2(fx->client);
    assert_int_equal(v2.ctrl_vendor_id, 0);
    assert_int_equal(v2.ctrl_device_id, 0);
    assert_int_equal(v2.ctrl_revision, 0);
    assert_int_equal(v2.device_version, 0x0100); /* the rest is there */
    assert_int_equal(v2.codecs_detected, 1);
    assert_int_equal(pci_ids_calls, 0);
}

static void test_a_version_1_hal_struct_size_covers_the_pci_ids_slot_still_unread(void **state)
{
    struct fx *fx = *state; /* bare */
    pci_ids_calls = 0;
    fx->ops = *hdabdl_mock_hal_ops();
    fx->ops.abi_version = 1;                 /* a v1 HAL with a larger struct */
    fx->ops.struct_size = (uint32_t)sizeof(fx->ops);
    fx->ops.pci_ids = counting_pci_ids;
    assert_status(open_over_ops(fx), HDABDL_STATUS_SUCCESS);
    assert_int_equal(devinfo_v2(fx->client).ctrl_vendor_id, 0);
    assert_int_equal(pci_ids_calls, 0);
}

static void test_a_version_2_table_is_refused_by_the_core_itself(void **state)
{
    struct fx *fx = *state; /* bare */
    fx_create_hal(fx);
    fx->ops = *hdabdl_mock_hal_ops();
    fx->ops.abi_version = 2;
    fx->ops.struct_size = (uint32_t)HDABDL_HAL_OPS_V2_SIZE;
    assert_status(hdabdl_controller_open(&fx->ops, hdabdl_mock_hal_context(fx->hal), NULL, &fx->ctrl),
                  HDABDL_STATUS_REVISION_MISMATCH);
    assert_null(fx->ctrl);
    assert_int_equal(hdabdl_mock_hal_dma_blocks(fx->hal), 0);
}

static void test_a_version_2_table_through_the_hosted_fallback_opens(void **state)
{
    struct fx *fx = *state; /* bare */
    pci_ids_calls = 0;
    fx->ops = *hdabdl_mock_hal_ops();
    fx->ops.abi_version = 2;
    fx->ops.struct_size = (uint32_t)HDABDL_HAL_OPS_V2_SIZE;
    fx->ops.pci_ids = counting_pci_ids;
    fx->ops.mem_alloc = NULL;   /* beyond the v2 struct: the fallback's own are used */
    assert_status(open_over_ops(fx), HDABDL_STATUS_SUCCESS);
    assert_non_null(hosted.ops.mem_alloc);
    assert_non_null(hosted.ops.caller_level);
    assert_int_equal(hosted.ops.abi_version, HDABDL_HAL_ABI_VERSION);
    assert_int_equal(devinfo_v2(fx->client).ctrl_vendor_id, 0x10DE);
    assert_true(pci_ids_calls >= 1);
}

static void test_the_hosted_fallback_refuses_null_arguments(void **state)
{
    (void)state;
    struct hdabdl_hal_hosted h;
    assert_status(hdabdl_hal_hosted_wrap(NULL, hdabdl_mock_hal_ops(), NULL),
                  HDABDL_STATUS_INVALID_PARAMETER);
    assert_status(hdabdl_hal_hosted_wrap(&h, NULL, NULL), HDABDL_STATUS_INVALID_PARAMETER);
}

static void test_a_version_3_hal_without_mem_alloc_is_invalid_parameter(void **state)
{
    struct fx *fx = *state; /* bare */
    fx->ops = *hdabdl_mock_hal_ops();
    fx->ops.mem_alloc = NULL;
    assert_status(open_over_ops(fx), HDABDL_STATUS_INVALID_PARAMETER);
    assert_null(fx->ctrl);
    fx->ops = *hdabdl_mock_hal_ops();
    fx->ops.mem_free = NULL;
    assert_status(open_over_ops(fx), HDABDL_STATUS_INVALID_PARAMETER);
    assert_null(fx->ctrl);
}

static void test_a_version_3_struct_smaller_than_v3_is_revision_mismatch(void **state)
{
    struct fx *fx = *state; /* bare */
    fx->ops = *hdabdl_mock_hal_ops();
    fx->ops.struct_size = (uint32_t)HDABDL_HAL_OPS_V3_SIZE - 1;
    assert_status(open_over_ops(fx), HDABDL_STATUS_REVISION_MISMATCH);
    assert_null(fx->ctrl);
}

static void test_a_version_2_hal_struct_smaller_than_v2_is_revision_mismatch(void **state)
{
    struct fx *fx = *state; /* bare */
    fx->ops = *hdabdl_mock_hal_ops();
    fx->ops.abi_version = 2;
    fx->ops.struct_size = (uint32_t)HDABDL_HAL_OPS_V2_SIZE - 1;
    assert_status(open_over_ops(fx), HDABDL_STATUS_REVISION_MISMATCH);
    assert_null(fx->ctrl);
    fx->ops.struct_size = (uint32_t)HDABDL_HAL_OPS_V1_SIZE;
    assert_status(open_over_ops(fx), HDABDL_STATUS_REVISION_MISMATCH);
    assert_null(fx->ctrl);
    assert_int_equal(hdabdl_mock_hal_dma_blocks(fx->hal), 0);
}

static void test_a_version_2_hal_pci_ids_slot_is_what_device_information_reports(void **state)
{
    struct fx *fx = *state; /* bare */
    pci_ids_calls = 0;
    fx->ops = *hdabdl_mock_hal_ops();
    fx->ops.abi_version = 2;
    fx->ops.struct_size = (uint32_t)HDABDL_HAL_OPS_V2_SIZE;
    fx->ops.pci_ids = counting_pci_ids;
    assert_status(open_over_ops(fx), HDABDL_STATUS_SUCCESS);
    struct hdabdl_device_information_v2 v2 = devinfo_v2(fx->client);
    assert_int_equal(v2.ctrl_vendor_id, 0x10DE);
    assert_int_equal(v2.ctrl_device_id, 0x0BEE);
    assert_int_equal(v2.ctrl_revision, 0xA1);
    assert_true(pci_ids_calls >= 1);
}

static void test_a_version_2_hal_without_pci_ids_reports_0(void **state)
{
    struct fx *fx = *state; /* bare */
    fx->ops = *hdabdl_mock_hal_ops();
    fx->ops.pci_ids = NULL; /* optional */
    assert_status(open_over_ops(fx), HDABDL_STATUS_SUCCESS);
    struct hdabdl_device_information_v2 v2 = devinfo_v2(fx->client);
    assert_int_equal(v2.ctrl_vendor_id, 0);
    assert_int_equal(v2.ctrl_device_id, 0);
    assert_int_equal(v2.ctrl_revision, 0);
}

static void test_a_failing_pci_ids_slot_reports_0(void **state)
{
    struct fx *fx = *state; /* bare */
    pci_ids_calls = 0;
    fx->ops = *hdabdl_mock_hal_ops();
    fx->ops.pci_ids = failing_pci_ids;
    assert_status(open_over_ops(fx), HDABDL_STATUS_SUCCESS);
    struct hdabdl_device_information_v2 v2 = devinfo_v2(fx->client);
    assert_int_equal(v2.ctrl_vendor_id, 0);
    assert_int_equal(v2.ctrl_device_id, 0);
    assert_int_equal(v2.ctrl_revision, 0);
    assert_true(pci_ids_calls >= 1);
}

static void test_the_mock_hal_is_version_3_with_pci_ids_memory_and_levels(void **state)
{
    (void)state;
    const struct hdabdl_hal_ops *ops = hdabdl_mock_hal_ops();
    assert_int_equal(ops->abi_version, 3);
    assert_true(ops->struct_size >= HDABDL_HAL_OPS_V3_SIZE);
    assert_non_null(ops->pci_ids);
    assert_non_null(ops->mem_alloc);
    assert_non_null(ops->mem_free);
    assert_non_null(ops->caller_level);
    assert_non_null(ops->level_raise);
    assert_non_null(ops->level_restore);
}

#define T(name) cmocka_unit_test_setup_teardown(name, fx_setup, fx_teardown)
#define T_BARE(name) cmocka_unit_test_setup_teardown(name, fx_setup_bare, fx_teardown)
#define T_WITH(name, tweak) cmocka_unit_test_setup_teardown(name, setup_##tweak, fx_teardown)

#define SETUP_WITH(tweak) \
    static int setup_##tweak(void **state) { return fx_setup_with(state, tweak, 1); }
SETUP_WITH(other_pci_ids)
SETUP_WITH(codecs_0_and_2)
SETUP_WITH(all_codecs)
SETUP_WITH(two_sdo)
SETUP_WITH(four_sdo)

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_device_information_structs_are_10_and_14_bytes),
        /* Size handling */
        T(test_device_information_with_size_0_is_buffer_too_small),
        T(test_device_information_with_size_9_is_buffer_too_small),
        T(test_device_information_with_the_v1_size_fills_v1_and_writes_back_10),
        T(test_device_information_v1_leaves_the_bytes_after_it_untouched),
        T(test_device_information_of_13_bytes_fills_only_v1),
        T(test_device_information_with_the_v2_size_fills_v2_and_writes_back_14),
        T(test_device_information_larger_than_v2_fills_v2_and_writes_back_14),
        T(test_device_information_with_null_is_invalid_parameter),
        /* Contents */
        T_WITH(test_device_information_reports_the_controllers_pci_ids, other_pci_ids),
        T(test_device_version_is_vmaj_vmin_0x0100_for_the_mock),
        T_WITH(test_codecs_detected_counts_the_codecs_on_the_link, codecs_0_and_2),
        T_WITH(test_codecs_detected_is_15_with_every_address_taken, all_codecs),
        T_BARE(test_codecs_detected_counts_an_added_codec),
        T(test_striping_is_not_supported_with_one_sdo_line),
        T_WITH(test_striping_is_supported_with_two_sdo_lines, two_sdo),
        T_WITH(test_striping_is_supported_with_four_sdo_lines, four_sdo),
        T_WITH(test_every_client_gets_the_same_device_information, codecs_0_and_2),
        /* Resource information */
        T(test_resource_information_returns_the_codec_address_and_start_node),
        T_WITH(test_resource_information_is_what_each_client_was_opened_with, codecs_0_and_2),
        T(test_resource_information_with_null_pointers_is_invalid_parameter),
        /* HAL versions */
        T_BARE(test_a_version_1_hal_opens_and_reports_pci_ids_as_0),
        T_BARE(test_a_version_1_hal_struct_size_covers_the_pci_ids_slot_still_unread),
        T_BARE(test_a_version_2_table_is_refused_by_the_core_itself),
        T_BARE(test_a_version_2_table_through_the_hosted_fallback_opens),
        T_BARE(test_the_hosted_fallback_refuses_null_arguments),
        T_BARE(test_a_version_3_hal_without_mem_alloc_is_invalid_parameter),
        T_BARE(test_a_version_3_struct_smaller_than_v3_is_revision_mismatch),
        T_BARE(test_a_version_2_hal_struct_smaller_than_v2_is_revision_mismatch),
        T_BARE(test_a_version_2_hal_pci_ids_slot_is_what_device_information_reports),
        T_BARE(test_a_version_2_hal_without_pci_ids_reports_0),
        T_BARE(test_a_failing_pci_ids_slot_reports_0),
        cmocka_unit_test(test_the_mock_hal_is_version_3_with_pci_ids_memory_and_levels),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
