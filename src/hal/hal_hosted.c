/* SPDX-License-Identifier: MIT */
/*
 * hal_hosted.c - a version 3 HAL over a version 1 or 2 table, with libc's
 * allocator and a thread-local level (hdabdl/hal_hosted.h). Hosted C: this
 * is the fallback the freestanding core does not contain.
 */
#include <stdlib.h>

#include "hal/hal_posix.h"
#include "hdabdl/hal_hosted.h"

#define INNER(ctx) (((struct hdabdl_hal_hosted *)(ctx))->inner)
#define INNER_CTX(ctx) (((struct hdabdl_hal_hosted *)(ctx))->inner_ctx)

static int fwd_reg_read(void *ctx, uint32_t offset, unsigned width, uint32_t *value)
{
    return INNER(ctx)->reg_read(INNER_CTX(ctx), offset, width, value);
}

static int fwd_reg_write(void *ctx, uint32_t offset, unsigned width, uint32_t value)
{
    return INNER(ctx)->reg_write(INNER_CTX(ctx), offset, width, value);
}

static const volatile uint32_t *fwd_reg_pointer(void *ctx, uint32_t offset)
{
    return INNER(ctx)->reg_pointer(INNER_CTX(ctx), offset);
}

static int fwd_dma_alloc(void *ctx, size_t size, size_t align, uint64_t limit,
                         struct hdabdl_hal_dma *out)
{
    return INNER(ctx)->dma_alloc(INNER_CTX(ctx), size, align, limit, out);
}

static void fwd_dma_free(void *ctx, struct hdabdl_hal_dma *dma)
{
    INNER(ctx)->dma_free(INNER_CTX(ctx), dma);
}

static void fwd_delay_us(void *ctx, uint32_t us)
{
    INNER(ctx)->delay_us(INNER_CTX(ctx), us);
}

static uint64_t fwd_now_ns(void *ctx)
{
    return INNER(ctx)->now_ns(INNER_CTX(ctx));
}

static int fwd_irq_attach(void *ctx, hdabdl_hal_irq_handler handler, void *arg)
{
    return INNER(ctx)->irq_attach(INNER_CTX(ctx), handler, arg);
}

static void fwd_irq_detach(void *ctx)
{
    INNER(ctx)->irq_detach(INNER_CTX(ctx));
}

static int fwd_lock_create(void *ctx, void **lock)
{
    return INNER(ctx)->lock_create(INNER_CTX(ctx), lock);
}

static void fwd_lock_destroy(void *ctx, void *lock)
{
    INNER(ctx)->lock_destroy(INNER_CTX(ctx), lock);
}

static void fwd_lock_acquire(void *ctx, void *lock)
{
    INNER(ctx)->lock_acquire(INNER_CTX(ctx), lock);
}

static void fwd_lock_release(void *ctx, void *lock)
{
    INNER(ctx)->lock_release(INNER_CTX(ctx), lock);
}

static int fwd_pci_ids(void *ctx, struct hdabdl_pci_ids *ids)
{
    return INNER(ctx)->pci_ids(INNER_CTX(ctx), ids);
}

static int fwd_timer_attach(void *ctx, hdabdl_hal_irq_handler handler, void *arg)
{
    return INNER(ctx)->timer_attach(INNER_CTX(ctx), handler, arg);
}

static void fwd_timer_arm(void *ctx, uint32_t delay_us)
{
    INNER(ctx)->timer_arm(INNER_CTX(ctx), delay_us);
}

static void fwd_timer_detach(void *ctx)
{
    INNER(ctx)->timer_detach(INNER_CTX(ctx));
}

static void fwd_sleep_us(void *ctx, uint32_t us)
{
    INNER(ctx)->sleep_us(INNER_CTX(ctx), us);
}

static void *fwd_mem_alloc(void *ctx, size_t size, unsigned flags)
{
    return INNER(ctx)->mem_alloc(INNER_CTX(ctx), size, flags);
}

static void fwd_mem_free(void *ctx, void *p, size_t size)
{
    INNER(ctx)->mem_free(INNER_CTX(ctx), p, size);
}

static int fwd_caller_level(void *ctx)
{
    return INNER(ctx)->caller_level(INNER_CTX(ctx));
}

static uint64_t fwd_level_raise(void *ctx)
{
    return INNER(ctx)->level_raise(INNER_CTX(ctx));
}

static void fwd_level_restore(void *ctx, uint64_t token)
{
    INNER(ctx)->level_restore(INNER_CTX(ctx), token);
}

hdabdl_status hdabdl_hal_hosted_wrap(struct hdabdl_hal_hosted *hosted,
                                     const struct hdabdl_hal_ops *inner, void *inner_ctx)
{
    struct hdabdl_hal_ops *o;

    if (!hosted || !inner)
        return HDABDL_STATUS_INVALID_PARAMETER;
    if (!hdabdl__hal_table_valid(inner))
        return HDABDL_STATUS_REVISION_MISMATCH;

    *hosted = (struct hdabdl_hal_hosted){.inner = inner, .inner_ctx = inner_ctx};
    o = &hosted->ops;
    o->abi_version = HDABDL_HAL_ABI_VERSION;
    o->struct_size = sizeof *o;
    o->name = inner->name;
    /* Required slots are forwarded even when NULL: the core checks them. */
    o->reg_read = inner->reg_read ? fwd_reg_read : NULL;
    o->reg_write = inner->reg_write ? fwd_reg_write : NULL;
    o->reg_pointer = inner->reg_pointer ? fwd_reg_pointer : NULL;
    o->dma_alloc = inner->dma_alloc ? fwd_dma_alloc : NULL;
    o->dma_free = inner->dma_free ? fwd_dma_free : NULL;
    o->delay_us = inner->delay_us ? fwd_delay_us : NULL;
    o->now_ns = inner->now_ns ? fwd_now_ns : NULL;
    o->irq_attach = inner->irq_attach ? fwd_irq_attach : NULL;
    o->irq_detach = inner->irq_detach ? fwd_irq_detach : NULL;
    o->lock_create = inner->lock_create ? fwd_lock_create : NULL;
    o->lock_destroy = inner->lock_destroy ? fwd_lock_destroy : NULL;
    o->lock_acquire = inner->lock_acquire ? fwd_lock_acquire : NULL;
    o->lock_release = inner->lock_release ? fwd_lock_release : NULL;
    o->pci_ids = HDABDL__HAL_HAS(inner, 2, pci_ids) ? fwd_pci_ids : NULL;
    if (HDABDL__HAL_HAS(inner, 2, timer_attach) && HDABDL__HAL_HAS(inner, 2, timer_arm) &&
        HDABDL__HAL_HAS(inner, 2, timer_detach)) {
        o->timer_attach = fwd_timer_attach;
        o->timer_arm = fwd_timer_arm;
        o->timer_detach = fwd_timer_detach;
    }
    o->sleep_us = HDABDL__HAL_HAS(inner, 2, sleep_us) ? fwd_sleep_us : NULL;
    if (HDABDL__HAL_HAS(inner, 3, mem_alloc) && HDABDL__HAL_HAS(inner, 3, mem_free)) {
        o->mem_alloc = fwd_mem_alloc;
        o->mem_free = fwd_mem_free;
    } else {
        o->mem_alloc = hdabdl__posix_mem_alloc;
        o->mem_free = hdabdl__posix_mem_free;
    }
    if (HDABDL__HAL_HAS(inner, 3, caller_level) && HDABDL__HAL_HAS(inner, 3, level_raise) &&
        HDABDL__HAL_HAS(inner, 3, level_restore)) {
        o->caller_level = fwd_caller_level;
        o->level_raise = fwd_level_raise;
        o->level_restore = fwd_level_restore;
    } else {
        o->caller_level = hdabdl__posix_caller_level;
        o->level_raise = hdabdl__posix_level_raise;
        o->level_restore = hdabdl__posix_level_restore;
    }
    return HDABDL_STATUS_SUCCESS;
}
