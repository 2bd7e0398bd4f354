/* SPDX-License-Identifier: MIT */
/*
 * linux_hal.h - the hdabdl HAL over the Linux kernel's PCI, DMA, interrupt,
 * timer and memory APIs (kernel code; not part of the user-space library).
 *
 * A driver embeds a struct hdabdl_linux_hal, calls hdabdl_linux_hal_init()
 * from its probe (process context), passes hdabdl_linux_hal_ops() and the
 * struct to hdabdl_controller_open(), and after hdabdl_controller_close()
 * calls hdabdl_linux_hal_fini(). It is the template for a driver's own HAL:
 * every slot of HAL version 3 is here, each mapped to the kernel's own API.
 *
 *   reg_read/reg_write      readb/w/l, writeb/w/l on the pci_iomap()ped BAR0
 *   reg_pointer             the alias page inside the same mapping
 *   dma_alloc/dma_free      dma_alloc_coherent(GFP_ATOMIC: the core's lock is
 *                           held) with the DMA mask from GCAP.64OK; frees are
 *                           deferred to a work item, since dma_free_coherent
 *                           must not run with interrupts disabled
 *   delay_us/sleep_us       udelay/mdelay; usleep_range where the caller may sleep
 *   now_ns                  ktime_get_ns
 *   irq_attach/irq_detach   request_irq on the MSI vector (shared INTx when
 *                           the device has no MSI), free_irq
 *   lock_*                  spinlock_t with spin_lock_irqsave
 *   timer_*                 an hrtimer (hard interrupt context)
 *   mem_alloc/mem_free      kvzalloc(GFP_KERNEL) when the core may sleep,
 *                           kzalloc(GFP_ATOMIC) otherwise; kvfree
 *   caller_level            raised when in_interrupt() || irqs_disabled()
 *   level_raise/_restore    local_irq_save/local_irq_restore around callbacks
 */
#ifndef HDABDL_LINUX_HAL_H
#define HDABDL_LINUX_HAL_H

#include <linux/hrtimer.h>
#include <linux/list.h>
#include <linux/pci.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "hdabdl/hal.h"

struct hdabdl_linux_hal {
    struct pci_dev *pdev;
    void __iomem *bar;
    resource_size_t bar_len;
    bool addr64;                        /* GCAP.64OK: the DMA mask is 64-bit */
    int irq;                            /* Linux IRQ number of vector 0 */
    bool msi;
    bool irq_requested;
    hdabdl_hal_irq_handler irq_handler;
    void *irq_arg;
    struct hrtimer timer;
    hdabdl_hal_irq_handler timer_handler;
    void *timer_arg;
    /* DMA blocks given back, freed by free_work in process context. */
    spinlock_t free_lock;
    struct list_head free_list;
    struct work_struct free_work;
    atomic_t dma_blocks;                /* allocated and not yet freed */
};

/* Map BAR0, set the DMA mask from GCAP.64OK, allocate one interrupt vector.
 * The device must be enabled (pci_enable_device) with its regions requested.
 * 0 or a negative errno. */
int hdabdl_linux_hal_init(struct hdabdl_linux_hal *hal, struct pci_dev *pdev);

/* After hdabdl_controller_close(): free deferred DMA blocks, the vector, the mapping. */
void hdabdl_linux_hal_fini(struct hdabdl_linux_hal *hal);

const struct hdabdl_hal_ops *hdabdl_linux_hal_ops(void);

#endif /* HDABDL_LINUX_HAL_H */
