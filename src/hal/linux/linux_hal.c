/* SPDX-License-Identifier: MIT */
/*
 * linux_hal.c - the hdabdl HAL over the Linux kernel (linux_hal.h).
 *
 * Rules the core gives a HAL (hdabdl/hal.h) and what they mean here: register
 * and DMA slots may be called with the core's spinlock held, so nothing here
 * sleeps but sleep_us and the slots the core calls only from process context
 * (irq_attach/detach, timer_attach/detach, mem_alloc with MAY_SLEEP).
 */
#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/preempt.h>
#include <linux/slab.h>

#include "hal/linux/linux_hal.h"
#include "hdabdl/regs.h"

#define HAL_NAME "hdabdl"

/* ---- Registers ------------------------------------------------------------------ */

static bool reg_in_bar(const struct hdabdl_linux_hal *hal, uint32_t offset, unsigned width)
{
    return (width == 1 || width == 2 || width == 4) && (offset & (width - 1)) == 0 &&
           (resource_size_t)offset + width <= hal->bar_len;
}

static int linux_hal_reg_read(void *ctx, uint32_t offset, unsigned width, uint32_t *value)
{
    struct hdabdl_linux_hal *hal = ctx;

    if (!reg_in_bar(hal, offset, width))
        return -EINVAL;
    *value = width == 1 ? readb(hal->bar + offset)
           : width == 2 ? readw(hal->bar + offset)
                        : readl(hal->bar + offset);
    return 0;
}

static int linux_hal_reg_write(void *ctx, uint32_t offset, unsigned width, uint32_t value)
{
    struct hdabdl_linux_hal *hal = ctx;

    if (!reg_in_bar(hal, offset, width))
        return -EINVAL;
    if (width == 1)
        writeb((u8)value, hal->bar + offset);
    else if (width == 2)
        writew((u16)value, hal->bar + offset);
    else
        writel(value, hal->bar + offset);
    return 0;
}

/* The DDI hands out the alias page as a pointer: on x86 the ioremapped BAR
 * can be read through a plain volatile pointer. */
static const volatile uint32_t *linux_hal_reg_pointer(void *ctx, uint32_t offset)
{
    struct hdabdl_linux_hal *hal = ctx;

    if (!reg_in_bar(hal, offset, 4))
        return NULL;
    return (const volatile uint32_t __force *)(hal->bar + offset);
}

/* ---- DMA memory ----------------------------------------------------------------- */

struct linux_dma_block {
    struct list_head node;              /* on free_list once given back */
    void *cpu;
    dma_addr_t bus;
    size_t size;
};

static int linux_hal_dma_alloc(void *ctx, size_t size, size_t align, uint64_t limit,
                               struct hdabdl_hal_dma *out)
{
    struct hdabdl_linux_hal *hal = ctx;
    struct linux_dma_block *b;

    /* The core holds its spinlock (interrupts off): no sleeping allocation. */
    b = kzalloc(sizeof(*b), GFP_ATOMIC);
    if (!b)
        return -ENOMEM;
    b->size = PAGE_ALIGN(size);
    b->cpu = dma_alloc_coherent(&hal->pdev->dev, b->size, &b->bus, GFP_ATOMIC);
    /* Coherent blocks are aligned to their page order; the mask keeps them under the limit. */
    if (b->cpu && ((b->bus & (align - 1)) != 0 || b->bus > limit - b->size)) {
        dma_free_coherent(&hal->pdev->dev, b->size, b->cpu, b->bus);
        b->cpu = NULL;
    }
    if (!b->cpu) {
        kfree(b);
        return -ENOMEM;
    }
    atomic_inc(&hal->dma_blocks);
    out->cpu = b->cpu;
    out->bus = b->bus;
    out->size = b->size;
    out->cookie = b;
    return 0;
}

static void linux_hal_free_work(struct work_struct *work)
{
    struct hdabdl_linux_hal *hal = container_of(work, struct hdabdl_linux_hal, free_work);
    unsigned long flags;
    LIST_HEAD(list);
    struct linux_dma_block *b, *n;

    spin_lock_irqsave(&hal->free_lock, flags);
    list_splice_init(&hal->free_list, &list);
    spin_unlock_irqrestore(&hal->free_lock, flags);
    list_for_each_entry_safe(b, n, &list, node) {
        dma_free_coherent(&hal->pdev->dev, b->size, b->cpu, b->bus);
        kfree(b);
        atomic_dec(&hal->dma_blocks);
    }
}

/* Called with interrupts off (the core's lock): the block is freed later by
 * free_work; the core no longer uses it, and the engine using it is stopped. */
static void linux_hal_dma_free(void *ctx, struct hdabdl_hal_dma *dma)
{
    struct hdabdl_linux_hal *hal = ctx;
    struct linux_dma_block *b = dma->cookie;
    unsigned long flags;

    if (!b)
        return;
    spin_lock_irqsave(&hal->free_lock, flags);
    list_add_tail(&b->node, &hal->free_list);
    spin_unlock_irqrestore(&hal->free_lock, flags);
    schedule_work(&hal->free_work);
}

/* ---- Time ------------------------------------------------------------------------- */

static void linux_hal_delay_us(void *ctx, uint32_t us)
{
    (void)ctx;
    while (us >= 1000) {
        mdelay(1);
        us -= 1000;
    }
    if (us)
        udelay(us);
}

static void linux_hal_sleep_us(void *ctx, uint32_t us)
{
    /* The core calls it at passive level with no lock held; stay safe anyway. */
    if (!preemptible()) {
        linux_hal_delay_us(ctx, us);
        return;
    }
    usleep_range(us, us + us / 2 + 10);
}

static uint64_t linux_hal_now_ns(void *ctx)
{
    (void)ctx;
    return ktime_get_ns();
}

/* ---- Interrupts --------------------------------------------------------------------- */

static irqreturn_t linux_hal_isr(int irq, void *arg)
{
    struct hdabdl_linux_hal *hal = arg;
    hdabdl_hal_irq_handler handler = READ_ONCE(hal->irq_handler);

    (void)irq;
    if (!handler)
        return IRQ_NONE;
    if (!hal->msi) {
        /* A shared line: only claim it when the controller asserts it. */
        u32 intsts = readl(hal->bar + HDA_REG_INTSTS);
        if (intsts == 0 || intsts == 0xFFFFFFFFu)
            return IRQ_NONE;
    }
    handler(READ_ONCE(hal->irq_arg));
    return IRQ_HANDLED;
}

static int linux_hal_irq_attach(void *ctx, hdabdl_hal_irq_handler handler, void *arg)
{
    struct hdabdl_linux_hal *hal = ctx;
    int err;

    if (hal->irq_requested)
        return -EBUSY;
    WRITE_ONCE(hal->irq_arg, arg);
    WRITE_ONCE(hal->irq_handler, handler);
    err = request_irq(hal->irq, linux_hal_isr, hal->msi ? 0 : IRQF_SHARED, HAL_NAME, hal);
    if (err) {
        WRITE_ONCE(hal->irq_handler, NULL);
        return err;
    }
    hal->irq_requested = true;
    return 0;
}

static void linux_hal_irq_detach(void *ctx)
{
    struct hdabdl_linux_hal *hal = ctx;

    if (!hal->irq_requested)
        return;
    free_irq(hal->irq, hal);            /* waits for a running handler */
    hal->irq_requested = false;
    WRITE_ONCE(hal->irq_handler, NULL);
}

/* ---- Timer ---------------------------------------------------------------------------- */

static enum hrtimer_restart linux_hal_timer_fn(struct hrtimer *t)
{
    struct hdabdl_linux_hal *hal = container_of(t, struct hdabdl_linux_hal, timer);
    hdabdl_hal_irq_handler handler = READ_ONCE(hal->timer_handler);

    if (handler)
        handler(READ_ONCE(hal->timer_arg));   /* may re-arm the timer */
    return HRTIMER_NORESTART;
}

static int linux_hal_timer_attach(void *ctx, hdabdl_hal_irq_handler handler, void *arg)
{
    struct hdabdl_linux_hal *hal = ctx;

    WRITE_ONCE(hal->timer_arg, arg);
    WRITE_ONCE(hal->timer_handler, handler);
    return 0;
}

static void linux_hal_timer_arm(void *ctx, uint32_t delay_us)
{
    struct hdabdl_linux_hal *hal = ctx;

    /* Never blocks: from the timer's own callback too. */
    if (delay_us == 0)
        hrtimer_try_to_cancel(&hal->timer);
    else
        hrtimer_start(&hal->timer, ns_to_ktime((u64)delay_us * NSEC_PER_USEC), HRTIMER_MODE_REL);
}

static void linux_hal_timer_detach(void *ctx)
{
    struct hdabdl_linux_hal *hal = ctx;

    WRITE_ONCE(hal->timer_handler, NULL);
    hrtimer_cancel(&hal->timer);        /* waits for a running callback */
}

/* ---- Locks ---------------------------------------------------------------------------- */

struct linux_lock {
    spinlock_t lock;
    unsigned long flags;                /* of the holder (the lock is not recursive) */
};

static int linux_hal_lock_create(void *ctx, void **lock)
{
    struct linux_lock *l = kzalloc(sizeof(*l), GFP_KERNEL);

    (void)ctx;
    if (!l)
        return -ENOMEM;
    spin_lock_init(&l->lock);
    *lock = l;
    return 0;
}

static void linux_hal_lock_destroy(void *ctx, void *lock)
{
    (void)ctx;
    kfree(lock);
}

static void linux_hal_lock_acquire(void *ctx, void *lock)
{
    struct linux_lock *l = lock;
    unsigned long flags;

    (void)ctx;
    spin_lock_irqsave(&l->lock, flags);
    l->flags = flags;
}

static void linux_hal_lock_release(void *ctx, void *lock)
{
    struct linux_lock *l = lock;

    (void)ctx;
    spin_unlock_irqrestore(&l->lock, l->flags);
}

/* ---- Identity, memory, level ---------------------------------------------------------- */

static int linux_hal_pci_ids(void *ctx, struct hdabdl_pci_ids *ids)
{
    struct hdabdl_linux_hal *hal = ctx;

    ids->vendor_id = hal->pdev->vendor;
    ids->device_id = hal->pdev->device;
    ids->subsystem_vendor_id = hal->pdev->subsystem_vendor;
    ids->subsystem_id = hal->pdev->subsystem_device;
    ids->revision = hal->pdev->revision;
    return 0;
}

static void *linux_hal_mem_alloc(void *ctx, size_t size, unsigned flags)
{
    (void)ctx;
    if (flags & HDABDL_HAL_MEM_MAY_SLEEP)
        return kvzalloc(size, GFP_KERNEL);   /* the controller is tens of KiB */
    return kzalloc(size, GFP_ATOMIC);
}

static void linux_hal_mem_free(void *ctx, void *p, size_t size)
{
    (void)ctx;
    (void)size;
    kvfree(p);
}

static int linux_hal_caller_level(void *ctx)
{
    (void)ctx;
    return in_interrupt() || irqs_disabled() ? HDABDL_HAL_LEVEL_RAISED : HDABDL_HAL_LEVEL_PASSIVE;
}

/* Callbacks run with interrupts off wherever the core makes them, so they see
 * raised level (irqs_disabled()) and cannot sleep. */
static uint64_t linux_hal_level_raise(void *ctx)
{
    unsigned long flags;

    (void)ctx;
    local_irq_save(flags);
    return flags;
}

static void linux_hal_level_restore(void *ctx, uint64_t token)
{
    (void)ctx;
    local_irq_restore((unsigned long)token);
}

static const struct hdabdl_hal_ops linux_hal_ops = {
    .abi_version = HDABDL_HAL_ABI_VERSION,
    .struct_size = sizeof(struct hdabdl_hal_ops),
    .name = "linux",
    .reg_read = linux_hal_reg_read,
    .reg_write = linux_hal_reg_write,
    .reg_pointer = linux_hal_reg_pointer,
    .dma_alloc = linux_hal_dma_alloc,
    .dma_free = linux_hal_dma_free,
    .delay_us = linux_hal_delay_us,
    .now_ns = linux_hal_now_ns,
    .irq_attach = linux_hal_irq_attach,
    .irq_detach = linux_hal_irq_detach,
    .lock_create = linux_hal_lock_create,
    .lock_destroy = linux_hal_lock_destroy,
    .lock_acquire = linux_hal_lock_acquire,
    .lock_release = linux_hal_lock_release,
    .pci_ids = linux_hal_pci_ids,
    .timer_attach = linux_hal_timer_attach,
    .timer_arm = linux_hal_timer_arm,
    .timer_detach = linux_hal_timer_detach,
    .sleep_us = linux_hal_sleep_us,
    .mem_alloc = linux_hal_mem_alloc,
    .mem_free = linux_hal_mem_free,
    .caller_level = linux_hal_caller_level,
    .level_raise = linux_hal_level_raise,
    .level_restore = linux_hal_level_restore,
};

const struct hdabdl_hal_ops *hdabdl_linux_hal_ops(void)
{
    return &linux_hal_ops;
}

int hdabdl_linux_hal_init(struct hdabdl_linux_hal *hal, struct pci_dev *pdev)
{
    int err, nvec;
    u16 gcap;

    memset(hal, 0, sizeof(*hal));
    hal->pdev = pdev;
    spin_lock_init(&hal->free_lock);
    INIT_LIST_HEAD(&hal->free_list);
    INIT_WORK(&hal->free_work, linux_hal_free_work);
    hrtimer_init(&hal->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
    hal->timer.function = linux_hal_timer_fn;
    atomic_set(&hal->dma_blocks, 0);

    hal->bar_len = pci_resource_len(pdev, 0);
    if (!(pci_resource_flags(pdev, 0) & IORESOURCE_MEM) || hal->bar_len < HDA_MMIO_SIZE)
        return -ENODEV;
    hal->bar = pci_iomap(pdev, 0, 0);
    if (!hal->bar)
        return -ENOMEM;

    /* GCAP is readable in reset; all ones: the device is gone. */
    gcap = readw(hal->bar + HDA_REG_GCAP);
    if (gcap == 0xFFFF) {
        err = -ENODEV;
        goto fail_unmap;
    }
    hal->addr64 = (gcap & HDA_GCAP_64OK) != 0;
    err = dma_set_mask_and_coherent(&pdev->dev, hal->addr64 ? DMA_BIT_MASK(64) : DMA_BIT_MASK(32));
    if (err && hal->addr64) {
        hal->addr64 = false;
        err = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(32));
    }
    if (err)
        goto fail_unmap;

    nvec = pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_MSI | PCI_IRQ_LEGACY);
    if (nvec < 1) {
        err = nvec < 0 ? nvec : -ENOSPC;
        goto fail_unmap;
    }
    hal->msi = pdev->msi_enabled;
    hal->irq = pci_irq_vector(pdev, 0);
    return 0;

fail_unmap:
    pci_iounmap(pdev, hal->bar);
    hal->bar = NULL;
    return err;
}

void hdabdl_linux_hal_fini(struct hdabdl_linux_hal *hal)
{
    linux_hal_irq_detach(hal);
    hrtimer_cancel(&hal->timer);
    flush_work(&hal->free_work);
    linux_hal_free_work(&hal->free_work);   /* anything queued after the flush */
    if (atomic_read(&hal->dma_blocks))
        dev_warn(&hal->pdev->dev, "hdabdl: %d DMA blocks still allocated\n",
                 atomic_read(&hal->dma_blocks));
    pci_free_irq_vectors(hal->pdev);
    if (hal->bar)
        pci_iounmap(hal->pdev, hal->bar);
    hal->bar = NULL;
}
