/* SPDX-License-Identifier: MIT */
/*
 * test_ddi_layout.c - the DDI structures have the layout hdaudio.h gives them
 * on Windows (MSVC: 64-bit members aligned to 8 on x86 too), and every named
 * bit-field of HDAUDIO_CODEC_COMMAND and HDAUDIO_CODEC_RESPONSE means the
 * documented bits of the integer value, on any host byte order (the build
 * runs this on x86-64, i686 and big-endian s390x). A BDL entry is
 * little-endian in memory whatever the host.
 *
 * Each bit-field is checked both ways: setting the field to all ones sets
 * exactly its bits of the integer, and the integer with exactly those bits
 * set reads back as the field all ones while every other field reads 0.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdbool.h>
#include <string.h>
#include <cmocka.h>

#include "hdabdl/ddi.h"
#include "hdabdl/hdabdl.h"
#include "hdabdl/verbs.h"

/* The same rules at compile time (hdabdl.h and ddi.h assert them too). */
_Static_assert(sizeof(struct hdabdl_codec_transfer) == 16, "HDAUDIO_CODEC_TRANSFER is 16 bytes");
_Static_assert(offsetof(struct hdabdl_codec_transfer, input) == 8, "Input at offset 8");
_Static_assert(_Alignof(hdabdl_codec_response) == 8, "HDAUDIO_CODEC_RESPONSE aligned to 8");
_Static_assert(sizeof(struct hdabdl_buffer_descriptor) == 16, "HDAUDIO_BUFFER_DESCRIPTOR is 16 bytes");
_Static_assert(_Alignof(struct hdabdl_buffer_descriptor) == 8, "HDAUDIO_BUFFER_DESCRIPTOR aligned to 8");

#define MASK64(width) ((width) >= 64 ? UINT64_MAX : (UINT64_C(1) << (width)) - 1u)
#define BITS64(shift, width) (MASK64(width) << (shift))
#define BITS32(shift, width) ((uint32_t)BITS64(shift, width))

/* ---- Sizes and offsets ------------------------------------------------------------------ */

static void test_codec_transfer_is_16_bytes_with_input_at_offset_8(void **state)
{
    (void)state;
    assert_int_equal(sizeof(struct hdabdl_codec_transfer), 16);
    assert_int_equal(offsetof(struct hdabdl_codec_transfer, output), 0);
    assert_int_equal(offsetof(struct hdabdl_codec_transfer, input), 8);
    /* An array of them (TransferCodecVerbs' CodecTransfer) steps by 16. */
    struct hdabdl_codec_transfer t[2];
    assert_int_equal((const char *)&t[1].input - (const char *)&t[0], 24);
}

static void test_codec_command_is_4_bytes(void **state)
{
    (void)state;
    assert_int_equal(sizeof(hdabdl_codec_command), 4);
}

static void test_codec_response_is_8_bytes_aligned_to_8(void **state)
{
    (void)state;
    assert_int_equal(sizeof(hdabdl_codec_response), 8);
    assert_int_equal(_Alignof(hdabdl_codec_response), 8);
    struct { char c; hdabdl_codec_response r; } s;
    assert_int_equal((const char *)&s.r - (const char *)&s, 8);
}

static void test_buffer_descriptor_is_16_bytes_address_length_ioc_at_0_8_12(void **state)
{
    (void)state;
    assert_int_equal(sizeof(struct hdabdl_buffer_descriptor), 16);
    assert_int_equal(_Alignof(struct hdabdl_buffer_descriptor), 8);
    assert_int_equal(offsetof(struct hdabdl_buffer_descriptor, address), 0);
    assert_int_equal(offsetof(struct hdabdl_buffer_descriptor, length), 8);
    assert_int_equal(offsetof(struct hdabdl_buffer_descriptor, interrupt_on_completion), 12);
}

static void test_stream_format_is_12_bytes(void **state)
{
    (void)state;
    assert_int_equal(sizeof(struct hdabdl_stream_format), 12);
    assert_int_equal(offsetof(struct hdabdl_stream_format, sample_rate), 0);
    assert_int_equal(offsetof(struct hdabdl_stream_format, valid_bits_per_sample), 4);
    assert_int_equal(offsetof(struct hdabdl_stream_format, container_size), 6);
    assert_int_equal(offsetof(struct hdabdl_stream_format, number_of_channels), 8);
}

static void test_device_information_is_10_bytes_and_v2_is_14(void **state)
{
    (void)state;
    assert_int_equal(sizeof(struct hdabdl_device_information), 10);
    assert_int_equal(offsetof(struct hdabdl_device_information, is_striping_supported), 8);
    assert_int_equal(sizeof(struct hdabdl_device_information_v2), 14);
    assert_int_equal(offsetof(struct hdabdl_device_information_v2, ctrl_revision), 9);
    assert_int_equal(offsetof(struct hdabdl_device_information_v2, ctrl_vendor_id), 10);
    assert_int_equal(offsetof(struct hdabdl_device_information_v2, ctrl_device_id), 12);
}

static void test_interface_tables_are_the_header_and_one_pointer_per_routine(void **state)
{
    (void)state;
    const size_t p = sizeof(void *);
    assert_int_equal(sizeof(struct hdabdl_guid), 16);
    assert_int_equal(offsetof(struct hdabdl_interface, Version), 2);
    assert_int_equal(offsetof(struct hdabdl_interface, Context), p);
    assert_int_equal(offsetof(struct hdabdl_interface, InterfaceReference), 2 * p);
    assert_int_equal(offsetof(struct hdabdl_interface, InterfaceDereference), 3 * p);
    assert_int_equal(sizeof(struct hdabdl_bus_interface), 18 * p);      /* 144 / 72 */
    assert_int_equal(sizeof(struct hdabdl_bus_interface_bdl), 19 * p);  /* 152 / 76 */
    assert_int_equal(sizeof(struct hdabdl_bus_interface_v2), 22 * p);   /* 176 / 88 */
    assert_int_equal(sizeof(struct hdabdl_bus_interface_v3), 24 * p);   /* 192 / 96 */
}

static void test_host_byte_order_macro_matches_the_host(void **state)
{
    (void)state;
    const uint32_t one = 1;
    uint8_t first;
    memcpy(&first, &one, 1);
    assert_int_equal(HDABDL_HOST_BIG_ENDIAN, first == 0 ? 1 : 0);
}

/* ---- HDAUDIO_CODEC_RESPONSE ---------------------------------------------------------------- */

/* Every named field of a response, as one value each (0 unless set). */
struct response_fields {
    uint64_t response, sdata_in, is_unsolicited_response, has_fifo_overrun, is_valid;
    uint64_t unsol_response, unsol_sub_tag, unsol_tag;
};

static struct response_fields response_fields(hdabdl_codec_response r)
{
    struct response_fields f = {
        r.response, r.sdata_in, r.is_unsolicited_response, r.has_fifo_overrun, r.is_valid,
        r.unsolicited.response, r.unsolicited.sub_tag, r.unsolicited.tag,
    };
    return f;
}

static hdabdl_codec_response response_of(uint64_t value)
{
    hdabdl_codec_response r;
    memset(&r, 0, sizeof(r));
    r.complete_response = value;
    return r;
}

/* Which fields alias which bits: response (31:0) overlaps the unsolicited ones. */
static void assert_response_fields(hdabdl_codec_response r, uint64_t bits)
{
    struct response_fields f = response_fields(r);
    assert_int_equal(f.response, (uint32_t)bits);
    assert_int_equal(f.unsol_response, bits & MASK64(21));
    assert_int_equal(f.unsol_sub_tag, (bits >> 21) & MASK64(5));
    assert_int_equal(f.unsol_tag, (bits >> 26) & MASK64(6));
    assert_int_equal(f.sdata_in, (bits >> 32) & MASK64(4));
    assert_int_equal(f.is_unsolicited_response, (bits >> 36) & 1u);
    assert_int_equal(f.has_fifo_overrun, (bits >> 62) & 1u);
    assert_int_equal(f.is_valid, (bits >> 63) & 1u);
}

/* Field -> integer: the field all ones sets exactly @shift..@shift+@width-1;
 * integer -> field: those bits read back as the field, the others as 0. */
#define CHECK_RESPONSE_FIELD(member, shift, width)                                   \
    do {                                                                             \
        hdabdl_codec_response r_ = response_of(0);                                   \
        r_.member = MASK64(width);                                                   \
        assert_int_equal(r_.complete_response, BITS64(shift, width));                \
        assert_response_fields(response_of(BITS64(shift, width)), BITS64(shift, width)); \
        hdabdl_codec_response all_ = response_of(UINT64_MAX);                        \
        all_.member = 0;                                                             \
        assert_int_equal(all_.complete_response, ~BITS64(shift, width));             \
    } while (0)

static void test_response_is_valid_is_bit_63(void **state)
{
    (void)state;
    CHECK_RESPONSE_FIELD(is_valid, 63, 1);
    assert_int_equal(HDABDL_RESPONSE_IS_VALID(UINT64_C(1) << 63), 1);
}

static void test_response_has_fifo_overrun_is_bit_62(void **state)
{
    (void)state;
    CHECK_RESPONSE_FIELD(has_fifo_overrun, 62, 1);
    assert_int_equal(HDABDL_RESPONSE_FIFO_OVERRUN(UINT64_C(1) << 62), 1);
}

static void test_response_is_unsolicited_response_is_bit_36(void **state)
{
    (void)state;
    CHECK_RESPONSE_FIELD(is_unsolicited_response, 36, 1);
    assert_int_equal(HDABDL_RESPONSE_IS_UNSOL(UINT64_C(1) << 36), 1);
}

static void test_response_sdata_in_is_bits_35_to_32(void **state)
{
    (void)state;
    CHECK_RESPONSE_FIELD(sdata_in, 32, 4);
    assert_int_equal(HDABDL_RESPONSE_SDATA_IN(UINT64_C(0xA) << 32), 0xA);
}

static void test_response_response_is_bits_31_to_0(void **state)
{
    (void)state;
    CHECK_RESPONSE_FIELD(response, 0, 32);
    hdabdl_codec_response r = response_of(UINT64_C(0x8000000F12345678));
    assert_int_equal(r.response, 0x12345678u);
    assert_int_equal(HDABDL_RESPONSE_VALUE(r.complete_response), 0x12345678u);
}

static void test_unsolicited_tag_is_bits_31_to_26(void **state)
{
    (void)state;
    CHECK_RESPONSE_FIELD(unsolicited.tag, 26, 6);
    assert_int_equal(HDABDL_UNSOL_TAG(UINT64_C(0x2A) << 26), 0x2A);
}

static void test_unsolicited_sub_tag_is_bits_25_to_21(void **state)
{
    (void)state;
    CHECK_RESPONSE_FIELD(unsolicited.sub_tag, 21, 5);
    assert_int_equal(HDABDL_UNSOL_SUBTAG(UINT64_C(0x15) << 21), 0x15);
}

static void test_unsolicited_response_is_bits_20_to_0(void **state)
{
    (void)state;
    CHECK_RESPONSE_FIELD(unsolicited.response, 0, 21);
}

static void test_response_bits_61_to_37_belong_to_no_field(void **state)
{
    (void)state;
    hdabdl_codec_response r = response_of(0);
    r.is_valid = 1;
    r.has_fifo_overrun = 1;
    r.is_unsolicited_response = 1;
    r.sdata_in = 0xF;
    r.response = 0xFFFFFFFFu;
    assert_int_equal(r.complete_response, ~BITS64(37, 25));
    assert_response_fields(response_of(BITS64(37, 25)), 0);
}

static void test_response_fields_and_the_verbs_h_accessors_agree(void **state)
{
    (void)state;
    /* A response as the library fills it: codec 3 answered 0x1af40022. */
    hdabdl_codec_response r = response_of(0);
    r.response = 0x1af40022u;
    r.sdata_in = 3;
    r.is_valid = 1;
    assert_int_equal(r.complete_response, UINT64_C(0x800000031af40022));
    assert_int_equal(HDABDL_RESPONSE_VALUE(r.complete_response), 0x1af40022u);
    assert_int_equal(HDABDL_RESPONSE_SDATA_IN(r.complete_response), 3);
    assert_int_equal(HDABDL_RESPONSE_IS_VALID(r.complete_response), 1);
    assert_int_equal(HDABDL_RESPONSE_IS_UNSOL(r.complete_response), 0);
    /* An unsolicited one: tag 0x21, sub-tag 2, payload 0x1234, from codec 1. */
    r = response_of(0);
    r.unsolicited.tag = 0x21;
    r.unsolicited.sub_tag = 2;
    r.unsolicited.response = 0x1234;
    r.sdata_in = 1;
    r.is_unsolicited_response = 1;
    r.is_valid = 1;
    assert_int_equal(r.complete_response,
                     UINT64_C(1) << 63 | UINT64_C(1) << 36 | UINT64_C(1) << 32 |
                         UINT64_C(0x21) << 26 | UINT64_C(2) << 21 | 0x1234u);
    assert_int_equal(HDABDL_UNSOL_TAG(r.complete_response), 0x21);
    assert_int_equal(HDABDL_UNSOL_SUBTAG(r.complete_response), 2);
}

/* ---- HDAUDIO_CODEC_COMMAND ------------------------------------------------------------------ */

struct command_fields {
    uint32_t v8_data, v8_verb_id, v8_node, v8_codec;
    uint32_t v16_data, v16_verb_id, v16_node, v16_codec;
};

static hdabdl_codec_command command_of(uint32_t value)
{
    hdabdl_codec_command c;
    c.command = value;
    return c;
}

static void assert_command_fields(hdabdl_codec_command c, uint32_t bits)
{
    struct command_fields f = {
        c.verb8.data, c.verb8.verb_id, c.verb8.node, c.verb8.codec_address,
        c.verb16.data, c.verb16.verb_id, c.verb16.node, c.verb16.codec_address,
    };
    assert_int_equal(f.v8_data, bits & 0xFFu);
    assert_int_equal(f.v8_verb_id, (bits >> 8) & 0xFFFu);
    assert_int_equal(f.v8_node, (bits >> 20) & 0xFFu);
    assert_int_equal(f.v8_codec, bits >> 28);
    assert_int_equal(f.v16_data, bits & 0xFFFFu);
    assert_int_equal(f.v16_verb_id, (bits >> 16) & 0xFu);
    assert_int_equal(f.v16_node, (bits >> 20) & 0xFFu);
    assert_int_equal(f.v16_codec, bits >> 28);
}

#define CHECK_COMMAND_FIELD(member, shift, width)                                    \
    do {                                                                             \
        hdabdl_codec_command c_ = command_of(0);                                     \
        c_.member = (uint32_t)MASK64(width);                                         \
        assert_int_equal(c_.command, BITS32(shift, width));                          \
        assert_command_fields(command_of(BITS32(shift, width)), BITS32(shift, width)); \
        hdabdl_codec_command all_ = command_of(0xFFFFFFFFu);                         \
        all_.member = 0;                                                             \
        assert_int_equal(all_.command, ~BITS32(shift, width));                       \
    } while (0)

static void test_verb8_data_is_bits_7_to_0(void **state)
{
    (void)state;
    CHECK_COMMAND_FIELD(verb8.data, 0, 8);
}

static void test_verb8_verb_id_is_bits_19_to_8(void **state)
{
    (void)state;
    CHECK_COMMAND_FIELD(verb8.verb_id, 8, 12);
}

static void test_verb8_node_is_bits_27_to_20(void **state)
{
    (void)state;
    CHECK_COMMAND_FIELD(verb8.node, 20, 8);
}

static void test_verb8_codec_address_is_bits_31_to_28(void **state)
{
    (void)state;
    CHECK_COMMAND_FIELD(verb8.codec_address, 28, 4);
}

static void test_verb16_data_is_bits_15_to_0(void **state)
{
    (void)state;
    CHECK_COMMAND_FIELD(verb16.data, 0, 16);
}

static void test_verb16_verb_id_is_bits_19_to_16(void **state)
{
    (void)state;
    CHECK_COMMAND_FIELD(verb16.verb_id, 16, 4);
}

static void test_verb16_node_is_bits_27_to_20(void **state)
{
    (void)state;
    CHECK_COMMAND_FIELD(verb16.node, 20, 8);
}

static void test_verb16_codec_address_is_bits_31_to_28(void **state)
{
    (void)state;
    CHECK_COMMAND_FIELD(verb16.codec_address, 28, 4);
}

static void test_command_fields_build_what_the_verb_macros_build(void **state)
{
    (void)state;
    hdabdl_codec_command c = command_of(0);
    c.verb8.codec_address = 2;
    c.verb8.node = 0x1B;
    c.verb8.verb_id = HDABDL_VERB_SET_PIN_WIDGET_CONTROL;
    c.verb8.data = HDABDL_PIN_OUT_ENABLE;
    assert_int_equal(c.command, HDABDL_VERB12(2, 0x1B, HDABDL_VERB_SET_PIN_WIDGET_CONTROL,
                                              HDABDL_PIN_OUT_ENABLE));
    assert_int_equal(c.command, 0x21B70740u);
    c = command_of(0);
    c.verb16.codec_address = 1;
    c.verb16.node = 0x02;
    c.verb16.verb_id = HDABDL_VERB4_SET_AMP_GAIN_MUTE;
    c.verb16.data = HDABDL_AMP_SET_OUTPUT | HDABDL_AMP_SET_LEFT | 0x57;
    assert_int_equal(c.command, HDABDL_VERB4(1, 0x02, HDABDL_VERB4_SET_AMP_GAIN_MUTE, 0xA057));
    assert_int_equal(c.command, 0x1023A057u);
    assert_int_equal(HDABDL_VERB_CODEC(c.command), c.verb16.codec_address);
    assert_int_equal(HDABDL_VERB_NID(c.command), c.verb16.node);
}

/* ---- BDL entries ------------------------------------------------------------------------------ */

static void test_bdl_entry_is_little_endian_in_memory(void **state)
{
    (void)state;
    struct hdabdl_buffer_descriptor bdl[3];
    memset(bdl, 0xEE, sizeof(bdl));
    hdabdl_bdl_write_entry(bdl, 1, UINT64_C(0x0123456789ABCD80), 0x00C0FFEEu, 1);
    static const uint8_t want[16] = {
        0x80, 0xCD, 0xAB, 0x89, 0x67, 0x45, 0x23, 0x01,   /* address */
        0xEE, 0xFF, 0xC0, 0x00,                           /* length */
        0x01, 0x00, 0x00, 0x00,                           /* IOC */
    };
    assert_memory_equal(&bdl[1], want, sizeof(want));
    /* Its neighbours are untouched. */
    const uint8_t *raw = (const uint8_t *)bdl;
    for (size_t i = 0; i < 16; i++) {
        assert_int_equal(raw[i], 0xEE);
        assert_int_equal(raw[32 + i], 0xEE);
    }
}

static void test_bdl_read_entry_gives_back_what_write_entry_stored(void **state)
{
    (void)state;
    struct hdabdl_buffer_descriptor bdl[256];
    memset(bdl, 0, sizeof(bdl));
    for (uint32_t i = 0; i < 256; i++)
        hdabdl_bdl_write_entry(bdl, i, UINT64_C(0x100000000) * i + 128u * i, 128u + i, i & 1u);
    hdabdl_bdl_write_entry(bdl, 7, UINT64_MAX, UINT32_MAX, 0x80000001u);   /* stored as given */
    for (uint32_t i = 0; i < 256; i++) {
        uint64_t address;
        uint32_t length, ioc;
        hdabdl_bdl_read_entry(bdl, i, &address, &length, &ioc);
        if (i == 7) {
            assert_int_equal(address, UINT64_MAX);
            assert_int_equal(length, UINT32_MAX);
            assert_int_equal(ioc, 0x80000001u);
            continue;
        }
        assert_int_equal(address, UINT64_C(0x100000000) * i + 128u * i);
        assert_int_equal(length, 128u + i);
        assert_int_equal(ioc, i & 1u);
    }
}

static void test_bdl_read_entry_takes_null_outputs_and_a_null_bdl(void **state)
{
    (void)state;
    struct hdabdl_buffer_descriptor bdl[1];
    hdabdl_bdl_write_entry(bdl, 0, 0x1000, 0x80, 1);
    uint32_t length = 0;
    hdabdl_bdl_read_entry(bdl, 0, NULL, &length, NULL);
    assert_int_equal(length, 0x80);
    uint64_t address = 1;
    uint32_t ioc = 1;
    hdabdl_bdl_read_entry(NULL, 0, &address, &length, &ioc);
    assert_int_equal(address, 0);
    assert_int_equal(length, 0);
    assert_int_equal(ioc, 0);
    hdabdl_bdl_write_entry(NULL, 0, 0x1000, 0x80, 1);   /* does nothing */
}

static void test_on_a_little_endian_host_the_members_are_the_entry(void **state)
{
    (void)state;
    if (HDABDL_HOST_BIG_ENDIAN) {
        skip();
        return;
    }
    struct hdabdl_buffer_descriptor bdl[1];
    hdabdl_bdl_write_entry(bdl, 0, UINT64_C(0x12345680), 4096, 1);
    assert_int_equal(bdl[0].address, UINT64_C(0x12345680));
    assert_int_equal(bdl[0].length, 4096);
    assert_int_equal(bdl[0].interrupt_on_completion, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_codec_transfer_is_16_bytes_with_input_at_offset_8),
        cmocka_unit_test(test_codec_command_is_4_bytes),
        cmocka_unit_test(test_codec_response_is_8_bytes_aligned_to_8),
        cmocka_unit_test(test_buffer_descriptor_is_16_bytes_address_length_ioc_at_0_8_12),
        cmocka_unit_test(test_stream_format_is_12_bytes),
        cmocka_unit_test(test_device_information_is_10_bytes_and_v2_is_14),
        cmocka_unit_test(test_interface_tables_are_the_header_and_one_pointer_per_routine),
        cmocka_unit_test(test_host_byte_order_macro_matches_the_host),
        cmocka_unit_test(test_response_is_valid_is_bit_63),
        cmocka_unit_test(test_response_has_fifo_overrun_is_bit_62),
        cmocka_unit_test(test_response_is_unsolicited_response_is_bit_36),
        cmocka_unit_test(test_response_sdata_in_is_bits_35_to_32),
        cmocka_unit_test(test_response_response_is_bits_31_to_0),
        cmocka_unit_test(test_unsolicited_tag_is_bits_31_to_26),
        cmocka_unit_test(test_unsolicited_sub_tag_is_bits_25_to_21),
        cmocka_unit_test(test_unsolicited_response_is_bits_20_to_0),
        cmocka_unit_test(test_response_bits_61_to_37_belong_to_no_field),
        cmocka_unit_test(test_response_fields_and_the_verbs_h_accessors_agree),
        cmocka_unit_test(test_verb8_data_is_bits_7_to_0),
        cmocka_unit_test(test_verb8_verb_id_is_bits_19_to_8),
        cmocka_unit_test(test_verb8_node_is_bits_27_to_20),
        cmocka_unit_test(test_verb8_codec_address_is_bits_31_to_28),
        cmocka_unit_test(test_verb16_data_is_bits_15_to_0),
        cmocka_unit_test(test_verb16_verb_id_is_bits_19_to_16),
        cmocka_unit_test(test_verb16_node_is_bits_27_to_20),
        cmocka_unit_test(test_verb16_codec_address_is_bits_31_to_28),
        cmocka_unit_test(test_command_fields_build_what_the_verb_macros_build),
        cmocka_unit_test(test_bdl_entry_is_little_endian_in_memory),
        cmocka_unit_test(test_bdl_read_entry_gives_back_what_write_entry_stored),
        cmocka_unit_test(test_bdl_read_entry_takes_null_outputs_and_a_null_bdl),
        cmocka_unit_test(test_on_a_little_endian_host_the_members_are_the_entry),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
