/* SPDX-License-Identifier: MIT */
/*
 * pci_internal.h - the pciaccess backend's shared state and internal calls.
 *
 * Layers (vfio.md §7.1): pci_sys.c (the system-call seam), pci_range.c (IOVA
 * and physical range allocator, GET_INFO parser), pci_discover.c
 * (libpciaccess, sysfs links), pci_vfio.c and pci_uio.c (one per mode:
 * BAR, config, DMA, interrupts), pci_hal.c (open/close, the HAL ops, the
 * service thread).
 */
#ifndef HDABDL_PCI_INTERNAL_H
#define HDABDL_PCI_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "hdabdl/pciaccess.h"

#include "pci_range.h"
#include "pci_sys.h"

#define PCI_SYSFS_DEVICES "/sys/bus/pci/devices"

/* PCI configuration space */
#define PCI_CFG_COMMAND       0x04
#define PCI_CFG_INTERRUPT_PIN 0x3D
#define PCI_CMD_MEMORY        0x0002u
#define PCI_CMD_MASTER        0x0004u
#define PCI_CMD_INTX_DISABLE  0x0400u

/* HDA registers the backend itself touches (hw.md §1, §2) */
#define PCI_HDA_GCAP          0x00
#define PCI_HDA_GCAP_64OK     0x0001u
#define PCI_HDA_INTCTL        0x20
#define PCI_HDA_INTSTS        0x24
#define PCI_HDA_CORBCTL       0x4C
#define PCI_HDA_RIRBCTL       0x5C
#define PCI_HDA_DPLBASE       0x70
#define PCI_HDA_DPUBASE       0x74
#define PCI_HDA_SD_CTL(n)     (0x80u + 0x20u * (n))
#define PCI_HDA_SD_RUN        0x02u
#define PCI_HDA_INT_GIE       0x80000000u

#define PCI_BAR0_MIN_SIZE     0x4000u          /* HDA: 16 KiB of registers and aliases */
#define PCI_IOVA_FLOOR        0x10000u         /* never hand out IOVA 0..64 KiB */
#define PCI_IOVA_FALLBACK_LAST ((UINT64_C(1) << 39) - 1)   /* no CAP_IOVA_RANGE: 39 bits */
#define PCI_HUGEPAGE_SIZE     (UINT64_C(2) << 20)
#define PCI_MIN_ALIGN         128u

/** One block handed to the core. */
struct pci_dma_block {
    uint64_t bus;
    void *cpu;
    size_t size;          /* bytes reserved in the bus space */
    void *map_cpu;        /* vfio: the host mapping (may start before cpu when aligned) */
    size_t map_size;
    bool dma_mapped;      /* vfio: MAP_DMA done */
};

/** uio: one piece of hugepage memory, physically contiguous, with its own free space
 *  (chunks are never merged: physically adjacent chunks are not adjacent in the CPU's view). */
struct pci_chunk {
    void *cpu;
    uint64_t phys;
    size_t size;
    struct hdabdl__ranges space;
};

struct hdabdl_pci {
    const struct hdabdl_pci_sys *sys;
    struct hdabdl_pci_device_info info;
    struct pci_device *dev;
    bool system_held;
    enum hdabdl_pci_mode mode;
    enum hdabdl_pci_irq irq;             /* in effect */
    uint32_t poll_interval_us;

    /* BAR0 */
    volatile uint8_t *bar;
    uint64_t bar_size;
    /* configuration space: pread/pwrite on cfg_fd at cfg_offset + register */
    int cfg_fd;
    uint64_t cfg_offset;
    bool cfg_fd_owned;                   /* uio: our sysfs fd; vfio: it is device_fd */
    bool master_set;                     /* we turned bus mastering on */

    /* vfio */
    int container_fd, group_fd, device_fd;
    bool group_attached;
    struct hdabdl__iommu_info iommu;
    uint64_t iova_page;

    /* uio */
    int uio_fd;
    struct pci_chunk *chunks;
    size_t nchunks;

    uint16_t gcap;
    uint64_t dma_max;                    /* inclusive */
    struct hdabdl__ranges space;         /* vfio: free IOVA space (uio: per chunk) */
    unsigned iova_ranges;

    pthread_mutex_t dma_lock;            /* blocks, space, chunks */
    struct pci_dma_block **blocks;
    size_t nblocks, blocks_capacity;
    uint64_t dma_bytes;

    /* interrupts and timer */
    int irq_fd;                          /* vfio eventfd or /dev/uioN; -1 */
    int irq_index;                       /* VFIO_PCI_*_IRQ_INDEX enabled, or -1 */
    int timer_fd, wake_fd;
    pthread_t thread;
    bool thread_started;
    pthread_mutex_t handler_lock;        /* held while a handler runs */
    hdabdl_hal_irq_handler irq_handler;
    void *irq_arg;
    hdabdl_hal_irq_handler timer_handler;
    void *timer_arg;
    atomic_bool stopping;
    _Atomic uint64_t interrupts;
    bool locks_ready;
};

/* ---- errors (pci_hal.c) ---- */

/** Record the thread's last-error message and return @status. */
hdabdl_status hdabdl__pci_fail(hdabdl_status status, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void hdabdl__pci_clear_error(void);

/* ---- discovery (pci_discover.c) ---- */

/** Take a reference on libpciaccess (pci_system_init on the first). 0 or an errno value. */
int hdabdl__pci_system_acquire(const struct hdabdl_pci_sys *sys);
void hdabdl__pci_system_release(const struct hdabdl_pci_sys *sys);
/** The process-wide lock every libpciaccess call is made under. */
void hdabdl__pci_lock(void);
void hdabdl__pci_unlock(void);

/** "dddd:bb:dd.f" or "bb:dd.f" -> numbers; false if malformed. */
bool hdabdl__pci_parse_bdf(const char *bdf, uint32_t *domain, uint32_t *bus, uint32_t *dev,
                           uint32_t *func);

/** Fill @info from @dev (probed) and the sysfs links (system held). */
void hdabdl__pci_describe(const struct hdabdl_pci_sys *sys, struct pci_device *dev,
                          struct hdabdl_pci_device_info *info);

/**
 * Find the device to open (system held): by @bdf, or the only HDA
 * controller usable in @mode. Sets the error message on failure.
 */
hdabdl_status hdabdl__pci_lookup(const struct hdabdl_pci_sys *sys, const char *bdf,
                                 enum hdabdl_pci_mode mode, struct pci_device **dev,
                                 struct hdabdl_pci_device_info *info);

/* ---- configuration space and registers (pci_hal.c) ---- */

int hdabdl__pci_cfg_read(struct hdabdl_pci *pci, uint32_t offset, void *buf, size_t len);
int hdabdl__pci_cfg_write(struct hdabdl_pci *pci, uint32_t offset, const void *buf, size_t len);
uint32_t hdabdl__pci_rd32(struct hdabdl_pci *pci, uint32_t offset);

/* ---- vfio (pci_vfio.c) ---- */

/** Container, group, IOMMU, GET_INFO, device fd, config region, BAR0 mmap. */
hdabdl_status hdabdl__vfio_open(struct hdabdl_pci *pci);
/** IOVA space from the ranges, clipped to [floor, dma_max] (after GCAP). */
hdabdl_status hdabdl__vfio_setup_space(struct hdabdl_pci *pci);
/** Interrupts as asked (AUTO: MSI, INTx, polling); sets pci->irq, irq_fd, irq_index. */
hdabdl_status hdabdl__vfio_irq_setup(struct hdabdl_pci *pci, enum hdabdl_pci_irq want);
/** After an interrupt was serviced (INTx: unmask). */
void hdabdl__vfio_irq_ack(struct hdabdl_pci *pci);
/** Disable the IRQ index (the eventfd is closed by the caller). */
void hdabdl__vfio_irq_off(struct hdabdl_pci *pci);
int hdabdl__vfio_dma_map(struct hdabdl_pci *pci, size_t size, size_t align, uint64_t max,
                         struct pci_dma_block *block);
void hdabdl__vfio_dma_unmap(struct hdabdl_pci *pci, struct pci_dma_block *block);
/** UNMAP_DMA of every live block (from the last), then BAR, device, group, container. */
void hdabdl__vfio_close(struct hdabdl_pci *pci);

/* ---- uio (pci_uio.c) ---- */

/** BAR0 through libpciaccess, sysfs config fd, /dev/uioN. */
hdabdl_status hdabdl__uio_open(struct hdabdl_pci *pci);
/** The first hugepage chunk (after GCAP): fails early without hugepages or pagemap. */
hdabdl_status hdabdl__uio_setup_space(struct hdabdl_pci *pci);
hdabdl_status hdabdl__uio_irq_setup(struct hdabdl_pci *pci, enum hdabdl_pci_irq want);
void hdabdl__uio_irq_ack(struct hdabdl_pci *pci);
int hdabdl__uio_dma_alloc(struct hdabdl_pci *pci, size_t size, size_t align, uint64_t max,
                          struct pci_dma_block *block);
void hdabdl__uio_dma_free(struct hdabdl_pci *pci, struct pci_dma_block *block);
/** BAR, uio fd, config fd (the device must be quiet: master already off). */
void hdabdl__uio_close(struct hdabdl_pci *pci);
/** Hugepage chunks, last: only after the device can no longer DMA. */
void hdabdl__uio_free_chunks(struct hdabdl_pci *pci);

#endif /* HDABDL_PCI_INTERNAL_H */
