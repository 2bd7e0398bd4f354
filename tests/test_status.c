/* SPDX-License-Identifier: MIT */
/*
 * test_status.c - status codes: NTSTATUS numbers, names, messages, NT_SUCCESS,
 * and the HAL errno mapping.
 *
 * The expected numbers and names are written out here independently of
 * HDABDL_STATUS_LIST (they are ntstatus.h's), so a typo in the list fails.
 */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "hdabdl/status.h"

struct expected_status {
    hdabdl_status value;  /* the enum constant */
    uint32_t number;      /* NTSTATUS from ntstatus.h */
    const char *name;
};

static const struct expected_status expected[] = {
    { HDABDL_STATUS_SUCCESS,                0x00000000u, "STATUS_SUCCESS" },
    { HDABDL_STATUS_PENDING,                0x00000103u, "STATUS_PENDING" },
    { HDABDL_STATUS_DEVICE_BUSY,            0x80000011u, "STATUS_DEVICE_BUSY" },
    { HDABDL_STATUS_UNSUCCESSFUL,           0xC0000001u, "STATUS_UNSUCCESSFUL" },
    { HDABDL_STATUS_NOT_IMPLEMENTED,        0xC0000002u, "STATUS_NOT_IMPLEMENTED" },
    { HDABDL_STATUS_INVALID_HANDLE,         0xC0000008u, "STATUS_INVALID_HANDLE" },
    { HDABDL_STATUS_INVALID_PARAMETER,      0xC000000Du, "STATUS_INVALID_PARAMETER" },
    { HDABDL_STATUS_NO_SUCH_DEVICE,         0xC000000Eu, "STATUS_NO_SUCH_DEVICE" },
    { HDABDL_STATUS_INVALID_DEVICE_REQUEST, 0xC0000010u, "STATUS_INVALID_DEVICE_REQUEST" },
    { HDABDL_STATUS_NO_MEMORY,              0xC0000017u, "STATUS_NO_MEMORY" },
    { HDABDL_STATUS_ACCESS_DENIED,          0xC0000022u, "STATUS_ACCESS_DENIED" },
    { HDABDL_STATUS_BUFFER_TOO_SMALL,       0xC0000023u, "STATUS_BUFFER_TOO_SMALL" },
    { HDABDL_STATUS_REVISION_MISMATCH,      0xC0000059u, "STATUS_REVISION_MISMATCH" },
    { HDABDL_STATUS_INSUFFICIENT_RESOURCES, 0xC000009Au, "STATUS_INSUFFICIENT_RESOURCES" },
    { HDABDL_STATUS_DEVICE_NOT_CONNECTED,   0xC000009Du, "STATUS_DEVICE_NOT_CONNECTED" },
    { HDABDL_STATUS_DEVICE_NOT_READY,       0xC00000A3u, "STATUS_DEVICE_NOT_READY" },
    { HDABDL_STATUS_IO_TIMEOUT,             0xC00000B5u, "STATUS_IO_TIMEOUT" },
    { HDABDL_STATUS_NOT_SUPPORTED,          0xC00000BBu, "STATUS_NOT_SUPPORTED" },
    { HDABDL_STATUS_DEVICE_DOES_NOT_EXIST,  0xC00000C0u, "STATUS_DEVICE_DOES_NOT_EXIST" },
    { HDABDL_STATUS_INTERNAL_ERROR,         0xC00000E5u, "STATUS_INTERNAL_ERROR" },
    { HDABDL_STATUS_INVALID_DEVICE_STATE,   0xC0000184u, "STATUS_INVALID_DEVICE_STATE" },
    { HDABDL_STATUS_IO_DEVICE_ERROR,        0xC0000185u, "STATUS_IO_DEVICE_ERROR" },
    { HDABDL_STATUS_NOT_FOUND,              0xC0000225u, "STATUS_NOT_FOUND" },
    { HDABDL_STATUS_RETRY,                  0xC000022Du, "STATUS_RETRY" },
};

#define N_EXPECTED (sizeof(expected) / sizeof(expected[0]))

/* The list, counted by the same X-macro the library uses. */
#define COUNT_ONE_(name, number, message) +1
enum { LIST_LENGTH = 0 HDABDL_STATUS_LIST(COUNT_ONE_) };
#undef COUNT_ONE_

static void test_status_list_is_covered(void **state)
{
    (void)state;
    assert_int_equal(N_EXPECTED, LIST_LENGTH);
}

static void test_status_values_are_ntstatus_numbers(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_EXPECTED; i++) {
        uint32_t as_unsigned = (uint32_t)expected[i].value;
        if (as_unsigned != expected[i].number)
            fail_msg("%s is 0x%08X, expected 0x%08X", expected[i].name, as_unsigned,
                     expected[i].number);
    }
    assert_true(sizeof(hdabdl_status) == 4);
}

static void test_status_values_are_distinct(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_EXPECTED; i++)
        for (size_t j = i + 1; j < N_EXPECTED; j++)
            assert_true(expected[i].value != expected[j].value);
}

static void test_status_names(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_EXPECTED; i++)
        assert_string_equal(hdabdl_status_name(expected[i].value), expected[i].name);
}

/* The messages from the list, pasted next to their enum constant. */
#define MESSAGE_ROW_(name, number, message) { HDABDL_STATUS_##name, message },
static const struct {
    hdabdl_status value;
    const char *message;
} list_messages[] = { HDABDL_STATUS_LIST(MESSAGE_ROW_) };
#undef MESSAGE_ROW_

static void test_status_messages(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(list_messages) / sizeof(list_messages[0]); i++) {
        const char *message = hdabdl_status_message(list_messages[i].value);
        assert_non_null(message);
        assert_string_equal(message, list_messages[i].message);
        /* one line of English: non-empty, no newline, no trailing period */
        assert_true(strlen(message) > 0);
        assert_null(strchr(message, '\n'));
        assert_true(message[strlen(message) - 1] != '.');
    }
    /* a few spelled out, so the list's wording is pinned too */
    assert_string_equal(hdabdl_status_message(HDABDL_STATUS_SUCCESS),
                        "The operation completed successfully");
    assert_string_equal(hdabdl_status_message(HDABDL_STATUS_INVALID_HANDLE),
                        "The handle is not valid for this client");
    assert_string_equal(hdabdl_status_message(HDABDL_STATUS_RETRY), "Try again");
}

static void test_status_unknown(void **state)
{
    (void)state;
    static const hdabdl_status unknown[] = {
        1, 0x00000102, (hdabdl_status)0x40000000u, (hdabdl_status)0x80000001u,
        (hdabdl_status)0xC0000000u, (hdabdl_status)0xC0000003u, (hdabdl_status)0xFFFFFFFFu,
        INT32_MAX, INT32_MIN, -1,
    };
    for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
        assert_string_equal(hdabdl_status_name(unknown[i]), "STATUS_<unknown>");
        const char *message = hdabdl_status_message(unknown[i]);
        assert_non_null(message);
        assert_true(strlen(message) > 0);
    }
}

static void test_status_nt_success(void **state)
{
    (void)state;
    /* success and informational: top bit clear */
    assert_true(HDABDL_NT_SUCCESS(HDABDL_STATUS_SUCCESS));
    assert_true(HDABDL_NT_SUCCESS(HDABDL_STATUS_PENDING));
    assert_true(HDABDL_NT_SUCCESS((hdabdl_status)0x40000000u)); /* informational severity */
    assert_true(HDABDL_NT_SUCCESS((hdabdl_status)0x7FFFFFFFu));
    /* warning and error: top bit set */
    assert_false(HDABDL_NT_SUCCESS(HDABDL_STATUS_DEVICE_BUSY));  /* warning severity */
    assert_false(HDABDL_NT_SUCCESS((hdabdl_status)0x80000000u));
    assert_false(HDABDL_NT_SUCCESS(HDABDL_STATUS_UNSUCCESSFUL));
    assert_false(HDABDL_NT_SUCCESS(HDABDL_STATUS_RETRY));
    assert_false(HDABDL_NT_SUCCESS((hdabdl_status)0xFFFFFFFFu));
    /* every listed error (0xC...) fails, every 0x0... succeeds */
    for (size_t i = 0; i < N_EXPECTED; i++) {
        bool ok = (expected[i].number & 0x80000000u) == 0;
        assert_int_equal(HDABDL_NT_SUCCESS(expected[i].value), ok);
    }
    /* the macro takes any integer expression */
    uint32_t raw = 0xC0000008u;
    assert_false(HDABDL_NT_SUCCESS(raw));
}

struct errno_row {
    int err;
    hdabdl_status expect;
};

static const struct errno_row errno_rows[] = {
    { 0,          HDABDL_STATUS_SUCCESS },
    { ENOMEM,     HDABDL_STATUS_NO_MEMORY },
    { ENOSPC,     HDABDL_STATUS_INSUFFICIENT_RESOURCES },
    { EMFILE,     HDABDL_STATUS_INSUFFICIENT_RESOURCES },
    { ENFILE,     HDABDL_STATUS_INSUFFICIENT_RESOURCES },
    { EINVAL,     HDABDL_STATUS_INVALID_PARAMETER },
    { ERANGE,     HDABDL_STATUS_INVALID_PARAMETER },
    { EFAULT,     HDABDL_STATUS_INVALID_PARAMETER },
    { ENODEV,     HDABDL_STATUS_NO_SUCH_DEVICE },
    { ENXIO,      HDABDL_STATUS_NO_SUCH_DEVICE },
    { ENOENT,     HDABDL_STATUS_NO_SUCH_DEVICE },
    { EBUSY,      HDABDL_STATUS_DEVICE_BUSY },
    { EAGAIN,     HDABDL_STATUS_RETRY },
    { ETIMEDOUT,  HDABDL_STATUS_IO_TIMEOUT },
    { EPERM,      HDABDL_STATUS_ACCESS_DENIED },
    { EACCES,     HDABDL_STATUS_ACCESS_DENIED },
    { ENOTSUP,    HDABDL_STATUS_NOT_SUPPORTED },
    { EOPNOTSUPP, HDABDL_STATUS_NOT_SUPPORTED },
    { ENOSYS,     HDABDL_STATUS_NOT_SUPPORTED },
    { EIO,        HDABDL_STATUS_IO_DEVICE_ERROR },
    /* anything else */
    { EEXIST,     HDABDL_STATUS_UNSUCCESSFUL },
    { EINTR,      HDABDL_STATUS_UNSUCCESSFUL },
    { EPIPE,      HDABDL_STATUS_UNSUCCESSFUL },
    { EDOM,       HDABDL_STATUS_UNSUCCESSFUL },
    { 4095,       HDABDL_STATUS_UNSUCCESSFUL },
    { INT_MAX,    HDABDL_STATUS_UNSUCCESSFUL },
};

static void test_status_from_errno_negative(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(errno_rows) / sizeof(errno_rows[0]); i++) {
        hdabdl_status got = hdabdl_status_from_errno(-errno_rows[i].err);
        if (got != errno_rows[i].expect)
            fail_msg("from_errno(-%d) = %s, expected %s", errno_rows[i].err,
                     hdabdl_status_name(got), hdabdl_status_name(errno_rows[i].expect));
    }
}

static void test_status_from_errno_positive(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(errno_rows) / sizeof(errno_rows[0]); i++) {
        hdabdl_status got = hdabdl_status_from_errno(errno_rows[i].err);
        if (got != errno_rows[i].expect)
            fail_msg("from_errno(%d) = %s, expected %s", errno_rows[i].err,
                     hdabdl_status_name(got), hdabdl_status_name(errno_rows[i].expect));
    }
}

static void test_status_from_errno_extremes(void **state)
{
    (void)state;
    assert_int_equal(hdabdl_status_from_errno(INT_MIN), HDABDL_STATUS_UNSUCCESSFUL);
    assert_int_equal(hdabdl_status_from_errno(-INT_MAX), HDABDL_STATUS_UNSUCCESSFUL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_status_list_is_covered),
        cmocka_unit_test(test_status_values_are_ntstatus_numbers),
        cmocka_unit_test(test_status_values_are_distinct),
        cmocka_unit_test(test_status_names),
        cmocka_unit_test(test_status_messages),
        cmocka_unit_test(test_status_unknown),
        cmocka_unit_test(test_status_nt_success),
        cmocka_unit_test(test_status_from_errno_negative),
        cmocka_unit_test(test_status_from_errno_positive),
        cmocka_unit_test(test_status_from_errno_extremes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
