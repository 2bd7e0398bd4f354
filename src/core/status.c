/* SPDX-License-Identifier: MIT */
/*
 * status.c - names, messages and errno mapping of the status codes.
 *
 * Everything here is generated from HDABDL_STATUS_LIST (hdabdl/status.h), so a
 * new code needs only a new line there.
 */
#include <stddef.h>

#include "hdabdl/hal.h"
#include "hdabdl/status.h"

const char *hdabdl_status_name(hdabdl_status status)
{
    switch (status) {
#define HDABDL_STATUS_NAME_(name, number, message) \
    case HDABDL_STATUS_##name:                     \
        return "STATUS_" #name;
        HDABDL_STATUS_LIST(HDABDL_STATUS_NAME_)
#undef HDABDL_STATUS_NAME_
    default:
        return "STATUS_<unknown>";
    }
}

const char *hdabdl_status_message(hdabdl_status status)
{
    switch (status) {
#define HDABDL_STATUS_MESSAGE_(name, number, message) \
    case HDABDL_STATUS_##name:                        \
        return message;
        HDABDL_STATUS_LIST(HDABDL_STATUS_MESSAGE_)
#undef HDABDL_STATUS_MESSAGE_
    default:
        return "Unknown status code";
    }
}

hdabdl_status hdabdl_status_from_errno(int err)
{
    /* libc style (positive) is taken as the HAL style (negative). INT_MIN has
     * no positive twin and is not an errno value: it stays and maps to the
     * fallback. */
    if (err > 0)
        err = -err;

    switch (err) {
    case 0:
        return HDABDL_STATUS_SUCCESS;
    case -HDABDL_ENOMEM:
        return HDABDL_STATUS_NO_MEMORY;
    case -HDABDL_ENOSPC:
    case -HDABDL_EMFILE:
    case -HDABDL_ENFILE:
        return HDABDL_STATUS_INSUFFICIENT_RESOURCES;
    case -HDABDL_EINVAL:
    case -HDABDL_ERANGE:
    case -HDABDL_EFAULT:
        return HDABDL_STATUS_INVALID_PARAMETER;
    case -HDABDL_ENODEV:
    case -HDABDL_ENXIO:
    case -HDABDL_ENOENT:
        return HDABDL_STATUS_NO_SUCH_DEVICE;
    case -HDABDL_EBUSY:
        return HDABDL_STATUS_DEVICE_BUSY;
    case -HDABDL_EAGAIN:
        return HDABDL_STATUS_RETRY;
    case -HDABDL_ETIMEDOUT:
        return HDABDL_STATUS_IO_TIMEOUT;
    case -HDABDL_EPERM:
    case -HDABDL_EACCES:
        return HDABDL_STATUS_ACCESS_DENIED;
    case -HDABDL_ENOTSUP:   /* also EOPNOTSUPP */
    case -HDABDL_ENOSYS:
        return HDABDL_STATUS_NOT_SUPPORTED;
    case -HDABDL_EIO:
        return HDABDL_STATUS_IO_DEVICE_ERROR;
    default:
        return HDABDL_STATUS_UNSUCCESSFUL;
    }
}
