/* SPDX-License-Identifier: MIT */
/*
 * hdabdl/hal.h - the hardware abstraction layer the core runs on.
 *
 * A backend fills a struct hdabdl_hal_ops and passes it, with its own context
 * pointer, to hdabdl_controller_open(). The core reaches hardware only through
 * these slots (and only through one wrapper layer, src/core/hal_call.c), so a
 * HAL may wrap another HAL to count or fail calls.
 *
 * Versioning (append-only): abi_version says which slots exist and struct_size
 * is sizeof the struct the backend was built with. New slots are only ever
 * added at the end, under a new version; the core reads a slot of version N
 * only when abi_version >= N and struct_size covers it.
 *
 * Every slot that returns int returns 0 on success or a negative error number
 * (HDABDL_E* below); hdabdl_status_from_errno() documents how those become
 * status codes.
 *
 * The core needs version 3 (it takes its host memory from mem_alloc). A
 * version 1 or 2 table is refused with STATUS_REVISION_MISMATCH; in user space
 * hdabdl_hal_hosted_wrap() (hdabdl/hal_hosted.h) turns one into a version 3
 * table with libc's allocator and a thread-local level.
 */
#ifndef HDABDL_HAL_H
#define HDABDL_HAL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define HDABDL_HAL_ABI_VERSION 3

/*
 * Error numbers a slot returns, negated. They are Linux's numbers (the same
 * as <errno.h> on Linux, in the Linux kernel and on most POSIX hosts), so the
 * freestanding core can map them without <errno.h>; a backend on a host that
 * numbers them differently returns these constants.
 */
#define HDABDL_EPERM 1
#define HDABDL_ENOENT 2
#define HDABDL_EIO 5
#define HDABDL_ENXIO 6
#define HDABDL_EAGAIN 11
#define HDABDL_ENOMEM 12
#define HDABDL_EACCES 13
#define HDABDL_EFAULT 14
#define HDABDL_EBUSY 16
#define HDABDL_ENODEV 19
#define HDABDL_EINVAL 22
#define HDABDL_ENFILE 23
#define HDABDL_EMFILE 24
#define HDABDL_ENOSPC 28
#define HDABDL_ERANGE 34
#define HDABDL_ENOSYS 38
#define HDABDL_ENOTSUP 95      /* also EOPNOTSUPP */
#define HDABDL_ETIMEDOUT 110

/** mem_alloc flags. */
#define HDABDL_HAL_MEM_ATOMIC 0u      /**< the caller may not sleep (a lock is held, or raised level) */
#define HDABDL_HAL_MEM_MAY_SLEEP 1u   /**< passive level, no lock held: the allocator may block */

/** What caller_level returns. */
#define HDABDL_HAL_LEVEL_PASSIVE 0    /**< thread context that may block (PASSIVE_LEVEL) */
#define HDABDL_HAL_LEVEL_RAISED 1     /**< DISPATCH_LEVEL or above: interrupt, DPC, atomic context */

/** A block of DMA memory: what the CPU sees and what the controller sees. */
struct hdabdl_hal_dma {
    void *cpu;        /**< CPU address of the first byte */
    uint64_t bus;     /**< address the controller uses (physical or IOVA) */
    size_t size;      /**< bytes, at least what was asked for */
    void *cookie;     /**< backend's own bookkeeping; the core never reads it */
};

/** The controller's PCI identity (GetDeviceInformation V2, quirks). */
struct hdabdl_pci_ids {
    uint16_t vendor_id;
    uint16_t device_id;
    uint16_t subsystem_vendor_id;
    uint16_t subsystem_id;
    uint8_t revision;
};

/** Called by the backend when the controller's interrupt line is asserted. */
typedef void (*hdabdl_hal_irq_handler)(void *arg);

struct hdabdl_hal_ops {
    uint32_t abi_version;   /**< HDABDL_HAL_ABI_VERSION the backend implements */
    uint32_t struct_size;   /**< sizeof(struct hdabdl_hal_ops) as the backend saw it */
    const char *name;       /**< short backend name for messages ("mock", "vfio") */

    /* ---- version 1 ---- */

    /**
     * reg_read - read a controller register.
     * @offset: byte offset in BAR0, naturally aligned for @width.
     * @width:  1, 2 or 4 bytes.
     * Called with or without the controller lock held, possibly at interrupt
     * time. Must not sleep. Required.
     */
    int (*reg_read)(void *ctx, uint32_t offset, unsigned width, uint32_t *value);

    /** reg_write - write a controller register. Same rules as reg_read. Required. */
    int (*reg_write)(void *ctx, uint32_t offset, unsigned width, uint32_t value);

    /**
     * reg_pointer - a CPU pointer through which the 32-bit register at @offset
     * can be read directly (used for the WALCLK and LPIB alias page that the
     * DDI hands out). Returns NULL if the backend cannot give one. Optional.
     */
    const volatile uint32_t *(*reg_pointer)(void *ctx, uint32_t offset);

    /**
     * dma_alloc - allocate physically contiguous (bus-contiguous) memory the
     * controller can reach.
     * @size:  bytes (> 0).
     * @align: power of two, at least 128; the bus address is aligned to it.
     * @limit: every bus address of the block must be below @limit
     *         (1 << 32 for a controller without 64OK, UINT64_MAX otherwise).
     * The memory is not cached in a way that hides CPU writes from the device
     * (write-combined or uncached on real hardware). Contents unspecified.
     * Returns -ENOMEM when no memory within the limit is left. Called with
     * the controller lock held (never at interrupt time). Required.
     */
    int (*dma_alloc)(void *ctx, size_t size, size_t align, uint64_t limit,
                     struct hdabdl_hal_dma *out);

    /** dma_free - release a block from dma_alloc. Required. */
    void (*dma_free)(void *ctx, struct hdabdl_hal_dma *dma);

    /**
     * delay_us - busy-wait at least @us microseconds. Never sleeps (the core
     * calls it from paths the DDI allows at raised IRQL). A mock advances its
     * virtual time here. Required.
     */
    void (*delay_us)(void *ctx, uint32_t us);

    /** now_ns - monotonic time in nanoseconds (interrupt timestamps). Required. */
    uint64_t (*now_ns)(void *ctx);

    /**
     * irq_attach - ask the backend to call @handler(@arg) whenever the
     * controller's interrupt line is asserted, from whatever context the
     * backend delivers interrupts in (never from inside another HAL call the
     * core is making). Optional: without it the user calls
     * hdabdl_controller_service_interrupt() to poll.
     */
    int (*irq_attach)(void *ctx, hdabdl_hal_irq_handler handler, void *arg);

    /** irq_detach - stop delivering interrupts; on return no handler runs. Optional. */
    void (*irq_detach)(void *ctx);

    /**
     * lock_create / lock_destroy / lock_acquire / lock_release - a
     * non-recursive mutual-exclusion lock that may be taken at interrupt time
     * (a spinlock in a kernel, a mutex in user space). Required.
     */
    int (*lock_create)(void *ctx, void **lock);
    void (*lock_destroy)(void *ctx, void *lock);
    void (*lock_acquire)(void *ctx, void *lock);
    void (*lock_release)(void *ctx, void *lock);

    /* Slots above are valid for version 1. */

    /* ---- version 2 ---- */

    /**
     * pci_ids - the controller's PCI identity (for GetDeviceInformation V2
     * and quirks). Optional: without it every ID reads as 0.
     */
    int (*pci_ids)(void *ctx, struct hdabdl_pci_ids *ids);

    /**
     * timer_attach - ask the backend to call @handler(@arg) when a deadline
     * set with timer_arm passes, in the same kind of context as interrupts
     * (never from inside another HAL call the core is making). The core uses
     * it to finish asynchronous verb batches when interrupts do not come.
     * Optional (with timer_arm and timer_detach): without it such batches
     * progress only through interrupts and later calls.
     */
    int (*timer_attach)(void *ctx, hdabdl_hal_irq_handler handler, void *arg);

    /**
     * timer_arm - one shot, @delay_us from now, replacing a pending one; 0
     * cancels. Never blocks: it may be called with the controller lock held
     * and from the timer handler itself.
     */
    void (*timer_arm)(void *ctx, uint32_t delay_us);

    /** timer_detach - no timer handler runs after this returns. */
    void (*timer_detach)(void *ctx);

    /**
     * sleep_us - wait about @us microseconds, letting other threads (the
     * interrupt thread) run. The core calls it only at passive level, with
     * no lock held, while a synchronous verb transfer waits for responses;
     * a backend may deliver interrupts and timer events during it (a mock
     * advances virtual time and does). Optional: without it the core
     * busy-waits with delay_us.
     */
    void (*sleep_us)(void *ctx, uint32_t us);

    /* Slots above are valid for version 2. */

    /* ---- version 3 ---- */

    /**
     * mem_alloc - host memory for the core's own objects (the controller,
     * clients, V1 page lists, DDI interface records); never shared with the
     * controller. @flags is HDABDL_HAL_MEM_MAY_SLEEP when the caller runs at
     * passive level with no lock held (GFP_KERNEL, paged or non-paged pool),
     * HDABDL_HAL_MEM_ATOMIC otherwise (GFP_ATOMIC, non-paged pool). Aligned
     * for any object; contents unspecified; NULL when none is left. The core
     * never calls it from the interrupt or timer handler. Required in v3.
     */
    void *(*mem_alloc)(void *ctx, size_t size, unsigned flags);

    /** mem_free - give back a block of @size bytes from mem_alloc. Never sleeps. Required in v3. */
    void (*mem_free)(void *ctx, void *ptr, size_t size);

    /**
     * caller_level - the level the calling thread runs at right now:
     * HDABDL_HAL_LEVEL_RAISED inside the backend's interrupt or timer
     * delivery, between level_raise and level_restore, or wherever the host
     * says so (in_interrupt() || irqs_disabled() in Linux, KeGetCurrentIrql()
     * >= DISPATCH_LEVEL in Windows); HDABDL_HAL_LEVEL_PASSIVE otherwise. The
     * core refuses the DDI's PASSIVE_LEVEL-only routines at raised level and
     * never sleeps there. Optional (with level_raise and level_restore):
     * without them every caller counts as passive, so those routines are not
     * refused inside callbacks.
     */
    int (*caller_level)(void *ctx);

    /**
     * level_raise / level_restore - bracket each call the core makes into a
     * client callback (BDL ISR, notification, unsolicited response, transfer
     * complete), so that the callback runs at raised level wherever the core
     * calls it from (KeRaiseIrql(DISPATCH_LEVEL) / KeLowerIrql; a per-thread
     * depth in user space). level_restore gets what the matching level_raise
     * returned. They nest; never block.
     */
    uint64_t (*level_raise)(void *ctx);
    void (*level_restore)(void *ctx, uint64_t token);

    /* Slots above are valid for version 3. */
};

/** The size of version 1 of the ops struct: a backend built against v1 has at least this. */
#define HDABDL_HAL_OPS_V1_SIZE \
    (offsetof(struct hdabdl_hal_ops, lock_release) + sizeof(void (*)(void *, void *)))

#define HDABDL_HAL_OPS_V2_SIZE \
    (offsetof(struct hdabdl_hal_ops, sleep_us) + sizeof(void (*)(void *, uint32_t)))

#define HDABDL_HAL_OPS_V3_SIZE \
    (offsetof(struct hdabdl_hal_ops, level_restore) + sizeof(void (*)(void *, uint64_t)))

#ifdef __cplusplus
}
#endif

#endif /* HDABDL_HAL_H */
