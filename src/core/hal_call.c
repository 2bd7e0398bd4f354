/* SPDX-License-Identifier: MIT */
/*
 * hal_call.c - the one wrapper layer between the core and the HAL.
 *
 * Every hardware access of the core goes through these functions, so a HAL
 * that counts or fails calls sees all of them, and register errors are
 * handled in one way: a failed read returns all ones (what a vanished PCI
 * device returns) and the first error is kept for the routine to report.
 */
#include <string.h>

#include "internal.h"

hdabdl_status hdabdl__hal_check_ops(const struct hdabdl_hal_ops *ops)
{
    /* The core takes its memory from the v3 slots; older tables go through
     * hdabdl_hal_hosted_wrap() (outside the core). */
    if (ops->abi_version < 3 || ops->struct_size < HDABDL_HAL_OPS_V3_SIZE)
        return HDABDL_STATUS_REVISION_MISMATCH;
    if (!ops->reg_read || !ops->reg_write || !ops->dma_alloc || !ops->dma_free ||
        !ops->delay_us || !ops->now_ns || !ops->lock_create || !ops->lock_destroy ||
        !ops->lock_acquire || !ops->lock_release || !ops->mem_alloc || !ops->mem_free)
        return HDABDL_STATUS_INVALID_PARAMETER;
    return HDABDL_STATUS_SUCCESS;
}

void *hdabdl__hal_mem_alloc(const struct hdabdl_hal_ops *ops, void *hal, size_t size, unsigned flags)
{
    void *p = ops->mem_alloc(hal, size, flags);
    if (p)
        memset(p, 0, size);
    return p;
}

void hdabdl__hal_mem_free(const struct hdabdl_hal_ops *ops, void *hal, void *p, size_t size)
{
    if (p)
        ops->mem_free(hal, p, size);
}

void *hdabdl__mem_alloc(hdabdl_controller *ctrl, size_t size, unsigned flags)
{
    return hdabdl__hal_mem_alloc(ctrl->ops, ctrl->hal, size, flags);
}

void hdabdl__mem_free(hdabdl_controller *ctrl, void *p, size_t size)
{
    hdabdl__hal_mem_free(ctrl->ops, ctrl->hal, p, size);
}

static bool has_levels(const hdabdl_controller *ctrl)
{
    return ctrl->ops->caller_level && ctrl->ops->level_raise && ctrl->ops->level_restore;
}

bool hdabdl__at_raised_level(hdabdl_controller *ctrl)
{
    return has_levels(ctrl) && ctrl->ops->caller_level(ctrl->hal) != HDABDL_HAL_LEVEL_PASSIVE;
}

uint64_t hdabdl__level_raise(hdabdl_controller *ctrl)
{
    return has_levels(ctrl) ? ctrl->ops->level_raise(ctrl->hal) : 0;
}

void hdabdl__level_restore(hdabdl_controller *ctrl, uint64_t token)
{
    if (has_levels(ctrl))
        ctrl->ops->level_restore(ctrl->hal, token);
}

static void note_io_error(hdabdl_controller *ctrl, int err)
{
    if (err != 0 && ctrl->io_error == 0)
        ctrl->io_error = err;
}

static uint32_t all_ones(unsigned width)
{
    return width == 4 ? 0xFFFFFFFFu : (1u << (8 * width)) - 1;
}

/* A read the HAL failed, or that returned all ones: no register the core
 * reads can hold all ones (reserved bits read 0). Is the device still there?
 * GCAP and VMAJ cannot read all ones on a live controller (NSDO 3 is
 * reserved; VMAJ is 1), so both reading so, or failing, means it is gone. */
static void check_presence(hdabdl_controller *ctrl)
{
    uint32_t gcap = 0, vmaj = 0;
    bool gcap_bad = ctrl->ops->reg_read(ctrl->hal, HDA_REG_GCAP, 2, &gcap) != 0 ||
                    (gcap & 0xFFFFu) == 0xFFFFu;
    bool vmaj_bad = ctrl->ops->reg_read(ctrl->hal, HDA_REG_VMAJ, 1, &vmaj) != 0 ||
                    (vmaj & 0xFFu) == 0xFFu;

    if (gcap_bad && vmaj_bad)
        hdabdl__device_gone(ctrl);
}

static uint32_t reg_read(hdabdl_controller *ctrl, uint32_t offset, unsigned width)
{
    uint32_t value = 0, ones = all_ones(width);
    int err;

    if (ctrl->gone) {
        ctrl->last_read_bad = true;
        return ones;
    }
    err = ctrl->ops->reg_read(ctrl->hal, offset, width, &value);
    if (err != 0 || (value & ones) == ones) {
        note_io_error(ctrl, err ? err : -HDABDL_EIO);
        ctrl->last_read_bad = true;
        check_presence(ctrl);
        return ones;
    }
    ctrl->last_read_bad = false;
    return value & ones;
}

static void reg_write(hdabdl_controller *ctrl, uint32_t offset, unsigned width, uint32_t value)
{
    if (ctrl->gone)
        return;                 /* nothing to write to */
    note_io_error(ctrl, ctrl->ops->reg_write(ctrl->hal, offset, width, value));
}

bool hdabdl__read_failed(const hdabdl_controller *ctrl)
{
    return ctrl->last_read_bad;
}

void hdabdl__device_gone(hdabdl_controller *ctrl)
{
    if (ctrl->gone)
        return;
    ctrl->gone = true;
    /* Nothing runs any more: every engine is in Reset as far as software goes,
     * so frees and close release everything without the hardware. */
    for (unsigned i = 0; i < ctrl->num_streams; i++)
        ctrl->engines[i].state = HDABDL_RESET_STATE;
}

uint8_t hdabdl__rd8(hdabdl_controller *ctrl, uint32_t offset)
{
    return (uint8_t)reg_read(ctrl, offset, 1);
}

uint16_t hdabdl__rd16(hdabdl_controller *ctrl, uint32_t offset)
{
    return (uint16_t)reg_read(ctrl, offset, 2);
}

uint32_t hdabdl__rd32(hdabdl_controller *ctrl, uint32_t offset)
{
    return reg_read(ctrl, offset, 4);
}

void hdabdl__wr8(hdabdl_controller *ctrl, uint32_t offset, uint8_t value)
{
    reg_write(ctrl, offset, 1, value);
}

void hdabdl__wr16(hdabdl_controller *ctrl, uint32_t offset, uint16_t value)
{
    reg_write(ctrl, offset, 2, value);
}

void hdabdl__wr32(hdabdl_controller *ctrl, uint32_t offset, uint32_t value)
{
    reg_write(ctrl, offset, 4, value);
}

void hdabdl__write_gctl(hdabdl_controller *ctrl, uint32_t value)
{
    ctrl->gctl = value;
    hdabdl__wr32(ctrl, HDA_REG_GCTL, value);
}

void hdabdl__write_intctl(hdabdl_controller *ctrl, uint32_t value)
{
    ctrl->intctl = value;
    hdabdl__wr32(ctrl, HDA_REG_INTCTL, value);
}

bool hdabdl__poll(hdabdl_controller *ctrl, uint32_t offset, unsigned width, uint32_t mask,
                  uint32_t want, uint32_t step_us, uint32_t timeout_us)
{
    /* Bounded by a count, not by a clock: a HAL whose time stands still
     * cannot make this loop forever. */
    uint32_t polls = step_us ? timeout_us / step_us + 1 : 1;
    for (uint32_t i = 0; i < polls && !ctrl->gone; i++) {
        uint32_t v = reg_read(ctrl, offset, width);
        if (!ctrl->last_read_bad && (v & mask) == want)
            return true;
        if (i + 1 < polls)
            hdabdl__delay_us(ctrl, step_us);
    }
    return false;
}

hdabdl_status hdabdl__take_io_error(hdabdl_controller *ctrl)
{
    int err = ctrl->io_error;
    ctrl->io_error = 0;
    if (ctrl->gone)
        return HDABDL_STATUS_DEVICE_DOES_NOT_EXIST;
    return err ? hdabdl_status_from_errno(err) : HDABDL_STATUS_SUCCESS;
}

const volatile uint32_t *hdabdl__reg_pointer(hdabdl_controller *ctrl, uint32_t offset)
{
    return ctrl->ops->reg_pointer ? ctrl->ops->reg_pointer(ctrl->hal, offset) : NULL;
}

int hdabdl__timer_attach(hdabdl_controller *ctrl, hdabdl_hal_irq_handler handler, void *arg)
{
    if (!ctrl->ops->timer_attach || !ctrl->ops->timer_arm || !ctrl->ops->timer_detach)
        return -HDABDL_ENOTSUP;
    return ctrl->ops->timer_attach(ctrl->hal, handler, arg);
}

void hdabdl__timer_arm(hdabdl_controller *ctrl, uint32_t delay_us)
{
    if (ctrl->timer_attached)
        ctrl->ops->timer_arm(ctrl->hal, delay_us);
}

void hdabdl__timer_detach(hdabdl_controller *ctrl)
{
    if (ctrl->timer_attached)
        ctrl->ops->timer_detach(ctrl->hal);
    ctrl->timer_attached = false;
}

void hdabdl__sleep_us(hdabdl_controller *ctrl, uint32_t us)
{
    if (ctrl->ops->sleep_us)
        ctrl->ops->sleep_us(ctrl->hal, us);
    else
        ctrl->ops->delay_us(ctrl->hal, us);
}

void hdabdl__pci_ids(hdabdl_controller *ctrl, struct hdabdl_pci_ids *ids)
{
    *ids = (struct hdabdl_pci_ids){0};
    if (ctrl->ops->pci_ids && ctrl->ops->pci_ids(ctrl->hal, ids) != 0)
        *ids = (struct hdabdl_pci_ids){0};
}

int hdabdl__dma_alloc(hdabdl_controller *ctrl, size_t size, size_t align, struct hdabdl_hal_dma *out)
{
    struct hdabdl_hal_dma dma = {0};
    int err = ctrl->ops->dma_alloc(ctrl->hal, size, align, ctrl->dma_limit, &dma);
    if (err != 0)
        return err < 0 ? err : -err;
    /* Do not trust the backend with the rules the controller depends on. */
    if (!dma.cpu || dma.size < size || (dma.bus & (align - 1)) != 0 ||
        dma.bus > ctrl->dma_limit - size || dma.bus + size - 1 < dma.bus) {
        ctrl->ops->dma_free(ctrl->hal, &dma);
        return -HDABDL_ENOMEM;
    }
    *out = dma;
    return 0;
}

void hdabdl__dma_free(hdabdl_controller *ctrl, struct hdabdl_hal_dma *dma)
{
    if (dma->cpu)
        ctrl->ops->dma_free(ctrl->hal, dma);
    *dma = (struct hdabdl_hal_dma){0};
}

void hdabdl__delay_us(hdabdl_controller *ctrl, uint32_t us)
{
    ctrl->ops->delay_us(ctrl->hal, us);
}

uint64_t hdabdl__now_ns(hdabdl_controller *ctrl)
{
    return ctrl->ops->now_ns(ctrl->hal);
}

int hdabdl__lock_create(hdabdl_controller *ctrl)
{
    return ctrl->ops->lock_create(ctrl->hal, &ctrl->lock);
}

void hdabdl__lock_destroy(hdabdl_controller *ctrl)
{
    ctrl->ops->lock_destroy(ctrl->hal, ctrl->lock);
    ctrl->lock = NULL;
}

void hdabdl__lock(hdabdl_controller *ctrl)
{
    ctrl->ops->lock_acquire(ctrl->hal, ctrl->lock);
}

void hdabdl__unlock(hdabdl_controller *ctrl)
{
    ctrl->ops->lock_release(ctrl->hal, ctrl->lock);
}

int hdabdl__irq_attach(hdabdl_controller *ctrl, hdabdl_hal_irq_handler handler, void *arg)
{
    if (!ctrl->ops->irq_attach)
        return -HDABDL_ENOTSUP;
    return ctrl->ops->irq_attach(ctrl->hal, handler, arg);
}

void hdabdl__irq_detach(hdabdl_controller *ctrl)
{
    if (ctrl->ops->irq_detach)
        ctrl->ops->irq_detach(ctrl->hal);
}
