/* SPDX-License-Identifier: MIT */
/*
 * hdabdl/pciaccess.h - the real-hardware backend: HDA controllers on the PCI
 * bus, driven from user space through vfio-pci (default) or uio_pci_generic.
 *
 * Present only when the library was built with the backend (CMake option
 * HDABDL_WITH_PCIACCESS, on when pkg-config finds libpciaccess); then the
 * target hdabdl::hdabdl carries the public compile definition
 * HDABDL_HAVE_PCIACCESS, so code can say #ifdef HDABDL_HAVE_PCIACCESS.
 *
 * Use:
 *
 *   1. Discovery (no privileges needed):
 *        struct hdabdl_pci_device_info *devs; size_t n;
 *        hdabdl_pci_list(&devs, &n);          // every PCI class 0x0403xx device
 *        ... devs[i].bdf, .ids, .driver, .iommu_group, .modes ...
 *        hdabdl_pci_list_free(devs);
 *      or hdabdl_pci_find("0000:00:1b.0", &info) for one device (any
 *      multimedia class 0x04xxxx, so a BDF given by hand may be an HDA
 *      controller with another subclass).
 *
 *   2. Open by BDF with a mode. The mode must match the driver the device is
 *      bound to; the backend never rebinds drivers (see README: binding):
 *        struct hdabdl_pci_options o; hdabdl_pci_options_default(&o);
 *        o.mode = HDABDL_PCI_MODE_VFIO;        // or _UIO: explicit, no IOMMU
 *        hdabdl_pci *pci;
 *        st = hdabdl_pci_open("0000:00:1b.0", &o, &pci);
 *        if (!HDABDL_NT_SUCCESS(st)) fprintf(stderr, "%s\n", hdabdl_pci_last_error());
 *
 *   3. Give the HAL to the core:
 *        hdabdl_controller_open(hdabdl_pci_hal_ops(), hdabdl_pci_hal_context(pci),
 *                               NULL, &ctrl);
 *      (pass a struct hdabdl_controller_options to add flags; the quirk table
 *      already knows QEMU's controllers by their PCI IDs, which this HAL gives.)
 *
 *   4. Close in this order: hdabdl_controller_close(ctrl), then
 *      hdabdl_pci_close(pci). hdabdl_pci_close also quiesces the controller
 *      and frees any DMA memory still allocated, so a forgotten controller
 *      leaves no DMA running (but the controller object must not be used after).
 *
 *   From a signal handler (SIGINT, SIGTERM): hdabdl_pci_quiesce(pci) stops
 *   every DMA engine and turns bus mastering off using only MMIO stores and
 *   pwrite(2); then let the main thread close as usual (or _exit).
 *
 * Modes:
 *   VFIO (vfio type1, the default): container, group, device; BAR0 and config
 *     space through the vfio regions; DMA memory is anonymous host memory
 *     mapped into the IOMMU at IOVAs chosen by the backend inside the ranges
 *     the kernel reports (VFIO_IOMMU_GET_INFO), from 0x10000 up, and below
 *     4 GiB unless the controller's GCAP says 64OK (GCAP is read at open).
 *     Interrupts: MSI through an eventfd, else INTx (unmasked after each
 *     service), else a polling thread. Needs read/write access to
 *     /dev/vfio/<group> and enough RLIMIT_MEMLOCK for the DMA memory.
 *   UIO (uio_pci_generic): BAR0 through libpciaccess's sysfs mapping, config
 *     through sysfs; DMA memory from 2 MiB hugepages (reserve some:
 *     echo 8 > /proc/sys/vm/nr_hugepages), bus addresses are physical (from
 *     /proc/self/pagemap, root only). It bypasses any IOMMU: the controller
 *     can write anywhere in memory. Needs root and an IOMMU off or in
 *     passthrough mode. Interrupts: INTx through /dev/uioN, else polling.
 *
 * Interrupts and timer: handlers run on one service thread per open device
 * (poll(2) over the interrupt eventfd or /dev/uioN, a timerfd for the HAL
 * timer, and a wake-up eventfd), never inside another HAL call. Polling mode
 * reads INTSTS/INTCTL every poll_interval_us and calls the handler when an
 * enabled interrupt is pending; HDABDL_PCI_IRQ_NONE attaches nothing and the
 * user calls hdabdl_controller_service_interrupt() itself.
 *
 * Status of hdabdl_pci_open() (every failure leaves nothing mapped or open;
 * hdabdl_pci_last_error() says which step failed and why):
 *
 *   BDF malformed, out NULL, bad mode/irq value ....... INVALID_PARAMETER
 *   no BDF and several controllers usable ............. INVALID_PARAMETER
 *   options.size smaller than the first version ....... REVISION_MISMATCH
 *   no /sys/bus/pci (pci_system_init failed) .......... NO_SUCH_DEVICE
 *   no such device / no HDA controller at all ......... NO_SUCH_DEVICE
 *   the BDF is not a multimedia (0x04) device ......... NOT_SUPPORTED
 *   bound to another driver (snd_hda_intel, ...) ...... DEVICE_BUSY
 *   no driver bound, or bound to the other mode's
 *     driver (vfio-pci vs uio_pci_generic) ............ INVALID_DEVICE_STATE
 *   vfio: no iommu_group link (no IOMMU) .............. NO_SUCH_DEVICE
 *   vfio: /dev/vfio/vfio or /dev/vfio/N missing ....... NO_SUCH_DEVICE
 *   vfio: no permission on /dev/vfio/N ................ ACCESS_DENIED
 *   vfio: group already open elsewhere (EBUSY) ........ DEVICE_BUSY
 *   vfio: VFIO_GET_API_VERSION != VFIO_API_VERSION .... REVISION_MISMATCH
 *   vfio: no type1/type1v2 IOMMU extension ............ NOT_SUPPORTED
 *   vfio: group not viable (a group member is bound
 *     to another driver) .............................. DEVICE_BUSY
 *   vfio: SET_CONTAINER / GET_DEVICE_FD fails ......... the errno's status (hdabdl_status_from_errno)
 *   vfio: SET_IOMMU EPERM (no interrupt remapping) .... ACCESS_DENIED
 *   vfio: IOVA capability chain malformed (cycle,
 *     out of bounds, no ranges) ....................... IO_DEVICE_ERROR
 *   vfio: no usable IOVA range (after the 0x10000
 *     floor and the 4 GiB clip) ....................... INSUFFICIENT_RESOURCES
 *   vfio: device is not a PCI device .................. NOT_SUPPORTED
 *   BAR0 missing, I/O, not mmap-able or < 16 KiB ...... NOT_SUPPORTED
 *   BAR0 mmap fails ................................... the errno's status
 *   uio: BAR0 mapping refused (EINVAL: claimed) ........ DEVICE_BUSY
 *   uio: not root (EACCES/EPERM on resource0, config,
 *     /dev/uioN) ...................................... ACCESS_DENIED
 *   uio: no uioN under the device ..................... NO_SUCH_DEVICE
 *   uio: no hugepages reserved (MAP_HUGETLB ENOMEM) ... INSUFFICIENT_RESOURCES
 *   uio: pagemap gives PFN 0 (no CAP_SYS_ADMIN) ....... ACCESS_DENIED
 *   uio: hugepage not physically contiguous, or above
 *     4 GiB for a controller without 64OK ............. INSUFFICIENT_RESOURCES
 *   config space read/write fails (EACCES/EPERM:
 *     ACCESS_DENIED), or memory decode / bus master
 *     do not read back set ............................ IO_DEVICE_ERROR
 *   GCAP reads 0xFFFF (device gone) ................... DEVICE_DOES_NOT_EXIST
 *   irq MSI/INTX asked explicitly but not available,
 *     or SET_IRQS fails for it; MSI in uio mode ....... NOT_SUPPORTED
 *     (AUTO falls back MSI -> INTx -> polling and never fails here)
 *   eventfd/timerfd/thread cannot be created .......... INSUFFICIENT_RESOURCES
 *   out of memory (malloc) ............................ NO_MEMORY
 *
 * HAL dma_alloc errors (negative errno, the core turns them into its status):
 *   -ENOMEM  IOVA space below the limit exhausted, host memory or hugepages
 *            exhausted, MAP_DMA pinning over RLIMIT_MEMLOCK;
 *   -ENOSPC  MAP_DMA: the container's dma_entry_limit reached;
 *   -EINVAL  bad size/alignment; any other MAP_DMA errno is passed through.
 *   A failed dma_alloc leaves nothing mapped, and hdabdl_pci_last_error() on
 *   the thread that called the core explains it (memlock, entry limit, IOVA
 *   space below 4 GiB, hugepages).
 *
 * Thread safety: hdabdl_pci_list/find/open/close may be called from any
 * thread (libpciaccess is used under one process-wide lock, initialised once
 * and cleaned up with the last user). The HAL ops follow hal.h.
 */
#ifndef HDABDL_PCIACCESS_H
#define HDABDL_PCIACCESS_H

#include <stddef.h>
#include <stdint.h>

#include "hdabdl/hal.h"
#include "hdabdl/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/** "dddd:bb:dd.f" plus the terminating NUL. */
#define HDABDL_PCI_BDF_SIZE 16

/** How the device may be opened (the binding decides; the backend never rebinds). */
enum hdabdl_pci_mode {
    HDABDL_PCI_MODE_VFIO = 0,   /**< vfio-pci, type1 IOMMU: the default and the safe one */
    HDABDL_PCI_MODE_UIO = 1     /**< uio_pci_generic: no IOMMU protection, root only, opt-in */
};

/** Bit of hdabdl_pci_device_info.modes for a mode. */
#define HDABDL_PCI_MODE_BIT(mode) (1u << (unsigned)(mode))

/** The driver the device is bound to, as far as this backend cares. */
enum hdabdl_pci_binding {
    HDABDL_PCI_BINDING_NONE = 0,   /**< no driver: bind vfio-pci (or uio_pci_generic) first */
    HDABDL_PCI_BINDING_VFIO,       /**< vfio-pci */
    HDABDL_PCI_BINDING_UIO,        /**< uio_pci_generic */
    HDABDL_PCI_BINDING_OTHER       /**< another driver (snd_hda_intel, ...): refused */
};

/** What discovery knows about one device (from libpciaccess and sysfs links). */
struct hdabdl_pci_device_info {
    char bdf[HDABDL_PCI_BDF_SIZE];  /**< "0000:00:1b.0" */
    uint16_t domain;
    uint8_t bus, dev, func;
    struct hdabdl_pci_ids ids;      /**< vendor, device, subsystem, revision */
    uint32_t class_code;            /**< 24 bits: 0x040300 for an HDA controller */
    char driver[64];                /**< basename of the `driver` link; "" if none */
    enum hdabdl_pci_binding binding;
    int iommu_group;                /**< number of the `iommu_group` link; -1 if none */
    uint64_t bar0_base;             /**< CPU physical address of BAR0 (0 if unknown) */
    uint64_t bar0_size;             /**< bytes (0 if unknown) */
    unsigned modes;                 /**< HDABDL_PCI_MODE_BIT()s hdabdl_pci_open would accept
                                         with the current binding (0: see `driver`) */
};

/** Interrupt delivery. */
enum hdabdl_pci_irq {
    HDABDL_PCI_IRQ_AUTO = 0,   /**< vfio: MSI, else INTx, else polling; uio: INTx, else polling */
    HDABDL_PCI_IRQ_MSI,        /**< vfio only; NOT_SUPPORTED if unavailable */
    HDABDL_PCI_IRQ_INTX,       /**< vfio INTx or /dev/uioN; NOT_SUPPORTED if unavailable */
    HDABDL_PCI_IRQ_POLL,       /**< service thread reads INTSTS every poll_interval_us */
    HDABDL_PCI_IRQ_NONE        /**< no irq_attach: call hdabdl_controller_service_interrupt() */
};

struct hdabdl_pci_options {
    uint32_t size;              /**< sizeof(struct hdabdl_pci_options) as the caller knows it */
    enum hdabdl_pci_mode mode;  /**< default VFIO */
    enum hdabdl_pci_irq irq;    /**< default AUTO */
    uint32_t poll_interval_us;  /**< polling period; 0: 1000 */
    /* Fields are only ever appended. */
};

/** Defaults: VFIO, IRQ AUTO, 1 ms polling period. */
void hdabdl_pci_options_default(struct hdabdl_pci_options *options);

/** An open device (one per controller; opaque). */
typedef struct hdabdl_pci hdabdl_pci;

/** What an open device ended up with. */
struct hdabdl_pci_open_info {
    struct hdabdl_pci_device_info device;
    enum hdabdl_pci_mode mode;
    enum hdabdl_pci_irq irq;    /**< in effect: MSI, INTX, POLL or NONE (never AUTO) */
    uint16_t gcap;              /**< GCAP read at open (before any reset) */
    uint64_t dma_limit;         /**< DMA memory ends below this (1 << 32 without 64OK);
                                     UINT64_MAX with 64OK */
    unsigned iova_ranges;       /**< vfio: usable IOVA ranges after clipping; uio: 0 */
    size_t dma_blocks;          /**< DMA blocks allocated now */
    uint64_t dma_bytes;         /**< and their bytes (rounded to pages) */
    uint64_t interrupts;        /**< interrupt events received (eventfd counts, uio counts) */
};

/**
 * Every PCI device of class 0x0403xx (HD Audio), in bus order. On success
 * *devices is an array of *count entries (NULL when 0) to free with
 * hdabdl_pci_list_free(). NO_SUCH_DEVICE when PCI cannot be scanned at all.
 */
hdabdl_status hdabdl_pci_list(struct hdabdl_pci_device_info **devices, size_t *count);
void hdabdl_pci_list_free(struct hdabdl_pci_device_info *devices);

/**
 * One device by BDF ("dddd:bb:dd.f" or "bb:dd.f", hex): INVALID_PARAMETER if
 * malformed, NO_SUCH_DEVICE if absent, NOT_SUPPORTED if not class 0x04xxxx.
 */
hdabdl_status hdabdl_pci_find(const char *bdf, struct hdabdl_pci_device_info *info);

/**
 * Open the device at @bdf (NULL: the only HDA controller usable in
 * @options->mode; NO_SUCH_DEVICE if none, INVALID_PARAMETER if more than one).
 * @options may be NULL (defaults). See the status table at the top.
 */
hdabdl_status hdabdl_pci_open(const char *bdf, const struct hdabdl_pci_options *options,
                              hdabdl_pci **out);

/** The HAL for hdabdl_controller_open(): the same table for every device. */
const struct hdabdl_hal_ops *hdabdl_pci_hal_ops(void);

/** The context to pass with it. */
void *hdabdl_pci_hal_context(hdabdl_pci *pci);

/** State of an open device. */
hdabdl_status hdabdl_pci_get_open_info(hdabdl_pci *pci, struct hdabdl_pci_open_info *info);

/**
 * Stop the controller's DMA now: every stream's RUN, CORB/RIRB DMA,
 * interrupts and the position buffer off, then bus mastering off.
 * Async-signal-safe. The device is not usable afterwards except to close it.
 */
void hdabdl_pci_quiesce(hdabdl_pci *pci);

/**
 * Tear down in the safe order: service thread joined (no handler runs after
 * this starts), quiesce, bus master off, interrupts off, DMA unmapped, BAR
 * unmapped, device/group/container closed, host memory freed. NULL is allowed.
 */
void hdabdl_pci_close(hdabdl_pci *pci);

/** Names: "vfio", "uio"; "none", "vfio-pci", "uio_pci_generic", "other"; "msi", ... */
const char *hdabdl_pci_mode_name(enum hdabdl_pci_mode mode);
const char *hdabdl_pci_binding_name(enum hdabdl_pci_binding binding);
const char *hdabdl_pci_irq_name(enum hdabdl_pci_irq irq);

/**
 * A one-line English explanation of the last failure of an hdabdl_pci_*
 * call on this thread (which step, the errno, what to do), or "" if none.
 */
const char *hdabdl_pci_last_error(void);

#ifdef __cplusplus
}
#endif

#endif /* HDABDL_PCIACCESS_H */
