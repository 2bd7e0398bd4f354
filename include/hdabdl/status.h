/* SPDX-License-Identifier: MIT */
/*
 * hdabdl/status.h - status codes with the numbers of Windows NTSTATUS.
 *
 * Every routine of the library returns an hdabdl_status. The values are the
 * NTSTATUS numbers a Windows HD Audio function driver expects, so a table of
 * routines handed to such a driver passes them through unchanged.
 */
#ifndef HDABDL_STATUS_H
#define HDABDL_STATUS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* X(name, number, message): the one list everything below is generated from. */
#define HDABDL_STATUS_LIST(X)                                                          \
    X(SUCCESS,                 0x00000000, "The operation completed successfully")      \
    X(PENDING,                 0x00000103, "The operation was queued and will complete later") \
    X(DEVICE_BUSY,             0x80000011, "The device is busy")                        \
    X(UNSUCCESSFUL,            0xC0000001, "The operation was not allowed in this context") \
    X(NOT_IMPLEMENTED,         0xC0000002, "The routine is not implemented")            \
    X(INVALID_HANDLE,          0xC0000008, "The handle is not valid for this client")   \
    X(INVALID_PARAMETER,       0xC000000D, "A parameter is not valid")                  \
    X(NO_SUCH_DEVICE,          0xC000000E, "No such device")                            \
    X(INVALID_DEVICE_REQUEST,  0xC0000010, "The request is not valid in the object's current state") \
    X(NO_MEMORY,               0xC0000017, "Not enough memory")                         \
    X(ACCESS_DENIED,           0xC0000022, "Access denied")                             \
    X(BUFFER_TOO_SMALL,        0xC0000023, "The buffer (or the engine's FIFO) is too small") \
    X(REVISION_MISMATCH,       0xC0000059, "The interface revision is not supported")   \
    X(INSUFFICIENT_RESOURCES,  0xC000009A, "No engine, tag, bandwidth or memory is left") \
    X(DEVICE_NOT_CONNECTED,    0xC000009D, "The device is not connected")               \
    X(DEVICE_NOT_READY,        0xC00000A3, "The hardware did not answer in time")       \
    X(IO_TIMEOUT,              0xC00000B5, "The operation timed out")                   \
    X(NOT_SUPPORTED,           0xC00000BB, "The request is not supported")              \
    X(DEVICE_DOES_NOT_EXIST,   0xC00000C0, "The device does not exist (registers read all ones)") \
    X(INTERNAL_ERROR,          0xC00000E5, "Internal error")                            \
    X(INVALID_DEVICE_STATE,    0xC0000184, "The device is in a state that does not allow this") \
    X(IO_DEVICE_ERROR,         0xC0000185, "An I/O error occurred on the device")       \
    X(NOT_FOUND,               0xC0000225, "The object was not found")                  \
    X(RETRY,                   0xC000022D, "Try again")

typedef int32_t hdabdl_status;

#define HDABDL_STATUS_ENUM_(name, number, message) \
    HDABDL_STATUS_##name = (int32_t)(uint32_t)(number),
enum hdabdl_status_code { HDABDL_STATUS_LIST(HDABDL_STATUS_ENUM_) };
#undef HDABDL_STATUS_ENUM_

/* Success or informational (NT_SUCCESS): the top bit is clear. */
#define HDABDL_NT_SUCCESS(status) ((hdabdl_status)(status) >= 0)

/** Name of the status as in ntstatus.h ("STATUS_INVALID_HANDLE"), or "STATUS_<unknown>". */
const char *hdabdl_status_name(hdabdl_status status);

/** One-line English description of the status. */
const char *hdabdl_status_message(hdabdl_status status);

/**
 * Status for a HAL error. HAL slots return 0 or a negative error number in
 * Linux's numbering (HDABDL_E* in hdabdl/hal.h, <errno.h> on Linux):
 *
 *   0                         -> STATUS_SUCCESS
 *   -ENOMEM                   -> STATUS_NO_MEMORY
 *   -ENOSPC, -EMFILE, -ENFILE -> STATUS_INSUFFICIENT_RESOURCES
 *   -EINVAL, -ERANGE, -EFAULT -> STATUS_INVALID_PARAMETER
 *   -ENODEV, -ENXIO, -ENOENT  -> STATUS_NO_SUCH_DEVICE
 *   -EBUSY                    -> STATUS_DEVICE_BUSY
 *   -EAGAIN                   -> STATUS_RETRY
 *   -ETIMEDOUT                -> STATUS_IO_TIMEOUT
 *   -EPERM, -EACCES           -> STATUS_ACCESS_DENIED
 *   -ENOTSUP, -EOPNOTSUPP, -ENOSYS -> STATUS_NOT_SUPPORTED
 *   -EIO                      -> STATUS_IO_DEVICE_ERROR
 *   anything else             -> STATUS_UNSUCCESSFUL
 *
 * Positive values are taken as their negation (errno as returned by libc).
 */
hdabdl_status hdabdl_status_from_errno(int err);

#ifdef __cplusplus
}
#endif

#endif /* HDABDL_STATUS_H */
