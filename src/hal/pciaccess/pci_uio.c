/* SPDX-License-Identifier: MIT */
/*
 * pci_uio.c - uio_pci_generic mode: BAR0 through libpciaccess's sysfs
 * mapping, configuration space through sysfs `config`, INTx through
 * /dev/uioN, and DMA memory from hugepages at physical addresses.
 *
 * No IOMMU stands between the controller and memory here, so this mode is
 * opted into explicitly (HDABDL_PCI_MODE_UIO) and needs root: resource0 and
 * config writes are root-only, and /proc/self/pagemap shows PFNs only with
 * CAP_SYS_ADMIN (PFN 0 otherwise: refused, never used as an address).
 *
 * DMA memory: chunks of 2 MiB hugepages (MAP_HUGETLB, locked and touched),
 * each checked page by page through pagemap to be physically contiguous and
 * to end below the controller's reach; blocks are carved out of the chunks'
 * physical ranges by the same allocator vfio mode uses for IOVAs, one free
 * set per chunk (two chunks may be physically adjacent, never virtually). The first
 * chunk is made at open so missing hugepages or privileges fail there.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "pci_internal.h"

#define PAGEMAP_PFN_MASK    ((UINT64_C(1) << 55) - 1)
#define PAGEMAP_PRESENT     (UINT64_C(1) << 63)

static hdabdl_status uio_errno_fail(struct hdabdl_pci *pci, const char *what, int err)
{
    hdabdl_status st = err == EACCES || err == EPERM ? HDABDL_STATUS_ACCESS_DENIED
                                                     : hdabdl_status_from_errno(err);
    return hdabdl__pci_fail(st, "%s: uio: %s: %s%s", pci->info.bdf, what, strerror(err),
                            st == HDABDL_STATUS_ACCESS_DENIED ? " (uio mode needs root)" : "");
}

hdabdl_status hdabdl__uio_open(struct hdabdl_pci *pci)
{
    const struct hdabdl_pci_sys *sys = pci->sys;
    char path[160];

    hdabdl__pci_lock();
    int rc = sys->pci_device_probe(pci->dev);
    hdabdl__pci_unlock();
    if (rc != 0)
        return uio_errno_fail(pci, "pci_device_probe", rc);
    struct pci_mem_region *r = &pci->dev->regions[0];
    if (r->is_IO || r->base_addr == 0 || r->size < PCI_BAR0_MIN_SIZE || r->size > SIZE_MAX)
        return hdabdl__pci_fail(HDABDL_STATUS_NOT_SUPPORTED,
                                "%s: BAR0 is not a memory BAR of at least 16 KiB (size 0x%llx%s)",
                                pci->info.bdf, (unsigned long long)r->size, r->is_IO ? ", I/O" : "");

    void *bar = NULL;
    hdabdl__pci_lock();
    rc = sys->pci_device_map_range(pci->dev, r->base_addr, r->size, PCI_DEV_MAP_FLAG_WRITABLE, &bar);
    hdabdl__pci_unlock();
    if (rc == EINVAL)
        return hdabdl__pci_fail(HDABDL_STATUS_DEVICE_BUSY,
                                "%s: BAR0 cannot be mapped through sysfs (EINVAL): its memory is claimed "
                                "(by a kernel driver or an open vfio user)", pci->info.bdf);
    if (rc != 0 || !bar)
        return uio_errno_fail(pci, "mapping BAR0 (resource0)", rc ? rc : EIO);
    pci->bar = bar;
    pci->bar_size = r->size;

    snprintf(path, sizeof(path), "%s/%s/config", PCI_SYSFS_DEVICES, pci->info.bdf);
    pci->cfg_fd = sys->open(path, O_RDWR);
    if (pci->cfg_fd < 0)
        return uio_errno_fail(pci, path, errno);
    pci->cfg_fd_owned = true;
    pci->cfg_offset = 0;

    char name[64];
    snprintf(path, sizeof(path), "%s/%s/uio", PCI_SYSFS_DEVICES, pci->info.bdf);
    rc = sys->find_entry(path, "uio", name, sizeof(name));
    if (rc != 0)
        return hdabdl__pci_fail(HDABDL_STATUS_NO_SUCH_DEVICE,
                                "%s: no uio device under %s (%s): is uio_pci_generic bound?", pci->info.bdf,
                                path, strerror(-rc));
    snprintf(path, sizeof(path), "/dev/%s", name);
    pci->uio_fd = sys->open(path, O_RDWR | O_NONBLOCK);
    if (pci->uio_fd < 0) {
        int err = errno;
        if (err == ENOENT)
            return hdabdl__pci_fail(HDABDL_STATUS_NO_SUCH_DEVICE, "%s: %s: %s", pci->info.bdf, path,
                                    strerror(err));
        return uio_errno_fail(pci, path, err);
    }
    return HDABDL_STATUS_SUCCESS;
}

/* Physical address of [cpu, cpu + size), or a negative errno (EPERM: PFN 0, ERANGE: not contiguous). */
static int uio_resolve(struct hdabdl_pci *pci, const void *cpu, size_t size, uint64_t *phys)
{
    const struct hdabdl_pci_sys *sys = pci->sys;
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t pages = size / page;
    uint64_t *entries = malloc(pages * sizeof(*entries));
    if (!entries)
        return -ENOMEM;
    int fd = sys->open("/proc/self/pagemap", O_RDONLY);
    if (fd < 0) {
        int err = errno;
        free(entries);
        return -err;
    }
    off_t offset = (off_t)((uintptr_t)cpu / page * sizeof(uint64_t));
    ssize_t n = sys->pread(fd, entries, pages * sizeof(*entries), offset);
    int err = n < 0 ? errno : 0;
    sys->close(fd);
    int rc = 0;
    if (n < 0)
        rc = -err;
    else if ((size_t)n != pages * sizeof(*entries))
        rc = -EIO;
    uint64_t first = 0;
    for (size_t i = 0; rc == 0 && i < pages; i++) {
        uint64_t pfn = entries[i] & PAGEMAP_PFN_MASK;
        if (!(entries[i] & PAGEMAP_PRESENT))
            rc = -EFAULT;
        else if (pfn == 0)
            rc = -EPERM;
        else if (i == 0)
            first = pfn;
        else if (pfn != first + i)
            rc = -ERANGE;
    }
    free(entries);
    if (rc == 0)
        *phys = first * page;
    return rc;
}

/* A new chunk of @size bytes (a multiple of the hugepage size); dma_lock held or open. */
static int uio_add_chunk(struct hdabdl_pci *pci, size_t size)
{
    const struct hdabdl_pci_sys *sys = pci->sys;
    struct pci_chunk *chunks = realloc(pci->chunks, (pci->nchunks + 1) * sizeof(*chunks));
    if (!chunks)
        return -ENOMEM;
    pci->chunks = chunks;
    struct pci_chunk chunk;
    memset(&chunk, 0, sizeof(chunk));

    void *p = sys->mmap(NULL, size, PROT_READ | PROT_WRITE,
                        MAP_SHARED | MAP_ANONYMOUS | MAP_HUGETLB | MAP_POPULATE, -1, 0);
    if (p == MAP_FAILED)
        return errno == EINVAL ? -ENOMEM : -errno;   /* EINVAL: no hugepage support */
    int rc = sys->mlock(p, size) == 0 ? 0 : -errno;
    uint64_t phys = 0;
    if (rc == 0) {
        memset(p, 0, size);   /* every page faulted in before pagemap is read */
        rc = uio_resolve(pci, p, size, &phys);
    }
    if (rc == 0 && (phys > pci->dma_max || size - 1 > pci->dma_max - phys))
        rc = -ERANGE;
    if (rc == 0)
        rc = hdabdl__ranges_add(&chunk.space, phys, size);
    if (rc != 0) {
        hdabdl__ranges_clear(&chunk.space);
        sys->munmap(p, size);
        return rc;
    }
    chunk.cpu = p;
    chunk.phys = phys;
    chunk.size = size;
    pci->chunks[pci->nchunks++] = chunk;
    return 0;
}

hdabdl_status hdabdl__uio_setup_space(struct hdabdl_pci *pci)
{
    int rc = uio_add_chunk(pci, (size_t)PCI_HUGEPAGE_SIZE);
    switch (rc) {
    case 0:
        return HDABDL_STATUS_SUCCESS;
    case -ENOMEM:
        return hdabdl__pci_fail(HDABDL_STATUS_INSUFFICIENT_RESOURCES,
                                "%s: uio: no 2 MiB hugepage for DMA memory (reserve some: echo 8 > "
                                "/proc/sys/vm/nr_hugepages)", pci->info.bdf);
    case -EPERM:
    case -EACCES:
        return hdabdl__pci_fail(HDABDL_STATUS_ACCESS_DENIED,
                                "%s: uio: /proc/self/pagemap gives no physical addresses (PFN 0): uio "
                                "mode needs root (CAP_SYS_ADMIN)", pci->info.bdf);
    case -ERANGE:
        return hdabdl__pci_fail(HDABDL_STATUS_INSUFFICIENT_RESOURCES,
                                "%s: uio: the hugepage is not physically contiguous or lies above what "
                                "the controller reaches (GCAP 0x%04x)", pci->info.bdf, (unsigned)pci->gcap);
    default:
        return uio_errno_fail(pci, "DMA memory", -rc);
    }
}

hdabdl_status hdabdl__uio_irq_setup(struct hdabdl_pci *pci, enum hdabdl_pci_irq want)
{
    uint8_t pin = 0, cmd_hi;
    int rc = hdabdl__pci_cfg_read(pci, PCI_CFG_INTERRUPT_PIN, &pin, 1);
    if (rc == 0 && pin == 0)
        rc = -ENOTSUP;
    if (rc == 0)
        rc = hdabdl__pci_cfg_read(pci, PCI_CFG_COMMAND + 1, &cmd_hi, 1);
    if (rc == 0 && (cmd_hi & (PCI_CMD_INTX_DISABLE >> 8))) {
        cmd_hi = (uint8_t)(cmd_hi & ~(PCI_CMD_INTX_DISABLE >> 8));
        rc = hdabdl__pci_cfg_write(pci, PCI_CFG_COMMAND + 1, &cmd_hi, 1);
    }
    if (rc == 0) {
        pci->irq_fd = pci->uio_fd;
        pci->irq = HDABDL_PCI_IRQ_INTX;
        return HDABDL_STATUS_SUCCESS;
    }
    if (want == HDABDL_PCI_IRQ_INTX)
        return hdabdl__pci_fail(HDABDL_STATUS_NOT_SUPPORTED, "%s: INTx through uio: %s", pci->info.bdf,
                                rc == -ENOTSUP ? "the device has no interrupt pin" : strerror(-rc));
    pci->irq = HDABDL_PCI_IRQ_POLL;
    return HDABDL_STATUS_SUCCESS;
}

/* uio_pci_generic masks INTx (COMMAND.INTx_DISABLE) in its handler: unmask after service. */
void hdabdl__uio_irq_ack(struct hdabdl_pci *pci)
{
    uint8_t cmd_hi;
    if (hdabdl__pci_cfg_read(pci, PCI_CFG_COMMAND + 1, &cmd_hi, 1) == 0) {
        cmd_hi = (uint8_t)(cmd_hi & ~(PCI_CMD_INTX_DISABLE >> 8));
        (void)hdabdl__pci_cfg_write(pci, PCI_CFG_COMMAND + 1, &cmd_hi, 1);
    }
}

/* From the first chunk that has room, else from a new chunk. */
static int uio_carve(struct hdabdl_pci *pci, size_t first, size_t len, size_t align, uint64_t max,
                     struct pci_dma_block *block)
{
    for (size_t i = first; i < pci->nchunks; i++) {
        struct pci_chunk *c = &pci->chunks[i];
        uint64_t bus;
        int rc = hdabdl__ranges_alloc(&c->space, len, align, max, &bus);
        if (rc == -ENOMEM)
            continue;
        if (rc != 0)
            return rc;
        block->bus = bus;
        block->cpu = (uint8_t *)c->cpu + (bus - c->phys);
        block->size = len;
        return 0;
    }
    return -ENOMEM;
}

int hdabdl__uio_dma_alloc(struct hdabdl_pci *pci, size_t size, size_t align, uint64_t max,
                          struct pci_dma_block *block)
{
    if (size > SIZE_MAX - PCI_HUGEPAGE_SIZE || align > PCI_HUGEPAGE_SIZE)
        return -ENOMEM;
    size_t len = (size + PCI_MIN_ALIGN - 1) & ~(size_t)(PCI_MIN_ALIGN - 1);
    int rc = uio_carve(pci, 0, len, align, max, block);
    if (rc != -ENOMEM)
        return rc;
    size_t before = pci->nchunks;
    size_t chunk = (size_t)((len + PCI_HUGEPAGE_SIZE - 1) & ~(PCI_HUGEPAGE_SIZE - 1));
    rc = uio_add_chunk(pci, chunk);
    if (rc == 0)
        rc = uio_carve(pci, before, len, align, max, block);
    if (rc != 0)
        hdabdl__pci_fail(HDABDL_STATUS_INSUFFICIENT_RESOURCES,
                         "%s: uio: no DMA memory for 0x%zx bytes below 0x%llx: %s", pci->info.bdf, len,
                         (unsigned long long)max,
                         rc == -ENOMEM ? "no hugepage left (raise /proc/sys/vm/nr_hugepages)"
                         : rc == -ERANGE ? "the new hugepages are not contiguous or out of reach"
                                         : strerror(-rc));
    return rc == -ERANGE ? -ENOMEM : rc;
}

void hdabdl__uio_dma_free(struct hdabdl_pci *pci, struct pci_dma_block *block)
{
    for (size_t i = 0; i < pci->nchunks; i++) {
        struct pci_chunk *c = &pci->chunks[i];
        if (block->bus >= c->phys && block->bus - c->phys < c->size) {
            (void)hdabdl__ranges_free(&c->space, block->bus, block->size);
            return;
        }
    }
}

void hdabdl__uio_close(struct hdabdl_pci *pci)
{
    const struct hdabdl_pci_sys *sys = pci->sys;
    if (pci->bar) {
        hdabdl__pci_lock();
        (void)sys->pci_device_unmap_range(pci->dev, (void *)(uintptr_t)pci->bar, pci->bar_size);
        hdabdl__pci_unlock();
    }
    pci->bar = NULL;
    if (pci->uio_fd >= 0)
        sys->close(pci->uio_fd);
    pci->uio_fd = -1;
    if (pci->cfg_fd_owned && pci->cfg_fd >= 0)
        sys->close(pci->cfg_fd);
    pci->cfg_fd = -1;
    pci->cfg_fd_owned = false;
}

void hdabdl__uio_free_chunks(struct hdabdl_pci *pci)
{
    for (size_t i = 0; i < pci->nchunks; i++) {
        pci->sys->munmap(pci->chunks[i].cpu, pci->chunks[i].size);
        hdabdl__ranges_clear(&pci->chunks[i].space);
    }
    free(pci->chunks);
    pci->chunks = NULL;
    pci->nchunks = 0;
}
