/* SPDX-License-Identifier: MIT */
/*
 * hdabdl/hal_hosted.h - run a version 1 or 2 HAL table on the version 3 core,
 * in user space.
 *
 * The core takes its host memory and the caller's level from HAL version 3
 * slots and refuses older tables (STATUS_REVISION_MISMATCH). This fallback
 * lives outside the core (src/hal/hal_hosted.c, hosted C): it builds a v3
 * table that forwards every slot the inner table has (v2 slots only when its
 * version and size cover them) and adds
 *   mem_alloc / mem_free        libc's malloc and free;
 *   caller_level / level_raise / level_restore
 *                               a thread-local depth: a thread is at raised
 *                               level while the core runs one of its
 *                               callbacks on it (the IRQL rule of the DDI).
 * A v3 inner table is forwarded as it is, its own v3 slots included.
 *
 *     struct hdabdl_hal_hosted hosted;
 *     hdabdl_hal_hosted_wrap(&hosted, my_v2_ops, my_ctx);
 *     hdabdl_controller_open(&hosted.ops, &hosted, NULL, &ctrl);
 *
 * The struct is the caller's and must outlive the controller.
 */
#ifndef HDABDL_HAL_HOSTED_H
#define HDABDL_HAL_HOSTED_H

#include "hdabdl/hal.h"
#include "hdabdl/status.h"

#ifdef __cplusplus
extern "C" {
#endif

struct hdabdl_hal_hosted {
    struct hdabdl_hal_ops ops;          /**< pass &ops and the struct itself to the core */
    const struct hdabdl_hal_ops *inner;
    void *inner_ctx;
};

/**
 * Fill @hosted so that (&hosted->ops, hosted) is a version 3 HAL over
 * (@inner, @inner_ctx). INVALID_PARAMETER for NULL arguments;
 * REVISION_MISMATCH when @inner is not a valid version 1, 2 or 3 table (the
 * struct too small for its version).
 */
hdabdl_status hdabdl_hal_hosted_wrap(struct hdabdl_hal_hosted *hosted,
                                     const struct hdabdl_hal_ops *inner, void *inner_ctx);

#ifdef __cplusplus
}
#endif

#endif /* HDABDL_HAL_HOSTED_H */
