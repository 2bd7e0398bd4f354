/* SPDX-License-Identifier: MIT */
/*
 * pci_vfio.c - vfio type1 mode: container, group, device, BAR0 and config
 * through the vfio regions, DMA mapped at IOVAs of our own choosing, MSI or
 * INTx through an eventfd.
 *
 * IOVAs: the ranges the kernel reports (VFIO_IOMMU_GET_INFO, CAP_IOVA_RANGE;
 * [0x10000, 2^39 - 1] when it reports none, as QEMU and libvfn do), clipped
 * to start at 0x10000 (never a zero-looking bus address) and to end at 4 GiB
 * unless GCAP says 64OK. Never IOVA = VA (qemu-guest.md #8). Each dma_alloc
 * is its own host mapping and its own MAP_DMA, unmapped with exactly the
 * same (iova, size).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/vfio.h>

#include "pci_internal.h"

#define VFIO_INFO_MAX_ARGSZ 65536u   /* a GET_INFO answer larger than this is nonsense */

static hdabdl_status vfio_errno_fail(struct hdabdl_pci *pci, const char *what, int err)
{
    return hdabdl__pci_fail(hdabdl_status_from_errno(err), "%s: vfio: %s: %s", pci->info.bdf, what,
                            strerror(err));
}

static int vfio_ioctl(struct hdabdl_pci *pci, int fd, unsigned long request, void *arg)
{
    int rc = pci->sys->ioctl(fd, request, arg);
    return rc < 0 ? -errno : rc;
}

static hdabdl_status vfio_open_container(struct hdabdl_pci *pci)
{
    pci->container_fd = pci->sys->open("/dev/vfio/vfio", O_RDWR);
    if (pci->container_fd < 0) {
        int err = errno;
        if (err == ENOENT || err == ENODEV || err == ENXIO)
            return hdabdl__pci_fail(HDABDL_STATUS_NO_SUCH_DEVICE,
                                    "%s: /dev/vfio/vfio: %s (load the vfio-pci module)", pci->info.bdf,
                                    strerror(err));
        return vfio_errno_fail(pci, "open /dev/vfio/vfio", err);
    }
    int version = vfio_ioctl(pci, pci->container_fd, VFIO_GET_API_VERSION, NULL);
    if (version != VFIO_API_VERSION)
        return hdabdl__pci_fail(HDABDL_STATUS_REVISION_MISMATCH,
                                "%s: vfio API version %d, this library speaks %d", pci->info.bdf, version,
                                VFIO_API_VERSION);
    return HDABDL_STATUS_SUCCESS;
}

static hdabdl_status vfio_open_group(struct hdabdl_pci *pci)
{
    char path[64];
    snprintf(path, sizeof(path), "/dev/vfio/%d", pci->info.iommu_group);
    pci->group_fd = pci->sys->open(path, O_RDWR);
    if (pci->group_fd < 0) {
        int err = errno;
        switch (err) {
        case ENOENT:
        case ENODEV:
            return hdabdl__pci_fail(HDABDL_STATUS_NO_SUCH_DEVICE, "%s: %s: %s (is it bound to vfio-pci?)",
                                    pci->info.bdf, path, strerror(err));
        case EACCES:
        case EPERM:
            return hdabdl__pci_fail(HDABDL_STATUS_ACCESS_DENIED,
                                    "%s: %s: %s (run as root, or give this user the group node and "
                                    "enough `ulimit -l`)", pci->info.bdf, path, strerror(err));
        case EBUSY:
            return hdabdl__pci_fail(HDABDL_STATUS_DEVICE_BUSY,
                                    "%s: %s is already open (another process drives this controller)",
                                    pci->info.bdf, path);
        default:
            return vfio_errno_fail(pci, path, err);
        }
    }
    struct vfio_group_status status = {.argsz = sizeof(status)};
    int rc = vfio_ioctl(pci, pci->group_fd, VFIO_GROUP_GET_STATUS, &status);
    if (rc < 0)
        return vfio_errno_fail(pci, "VFIO_GROUP_GET_STATUS", -rc);
    if (!(status.flags & VFIO_GROUP_FLAGS_VIABLE))
        return hdabdl__pci_fail(HDABDL_STATUS_DEVICE_BUSY,
                                "%s: IOMMU group %d is not viable: every device in it must be bound to "
                                "vfio-pci or to no driver (see /sys/kernel/iommu_groups/%d/devices)",
                                pci->info.bdf, pci->info.iommu_group, pci->info.iommu_group);
    return HDABDL_STATUS_SUCCESS;
}

static hdabdl_status vfio_set_iommu(struct hdabdl_pci *pci)
{
    int type;
    if (vfio_ioctl(pci, pci->container_fd, VFIO_CHECK_EXTENSION, (void *)(uintptr_t)VFIO_TYPE1v2_IOMMU) > 0)
        type = VFIO_TYPE1v2_IOMMU;
    else if (vfio_ioctl(pci, pci->container_fd, VFIO_CHECK_EXTENSION, (void *)(uintptr_t)VFIO_TYPE1_IOMMU) > 0)
        type = VFIO_TYPE1_IOMMU;
    else
        return hdabdl__pci_fail(HDABDL_STATUS_NOT_SUPPORTED,
                                "%s: the vfio container offers no type1 IOMMU (vfio_iommu_type1 not loaded?)",
                                pci->info.bdf);

    int rc = vfio_ioctl(pci, pci->group_fd, VFIO_GROUP_SET_CONTAINER, &pci->container_fd);
    if (rc < 0)
        return vfio_errno_fail(pci, "VFIO_GROUP_SET_CONTAINER", -rc);
    pci->group_attached = true;

    rc = vfio_ioctl(pci, pci->container_fd, VFIO_SET_IOMMU, (void *)(uintptr_t)type);
    if (rc == -EPERM)
        return hdabdl__pci_fail(HDABDL_STATUS_ACCESS_DENIED,
                                "%s: VFIO_SET_IOMMU: operation not permitted: the IOMMU has no interrupt "
                                "remapping (enable it, e.g. QEMU intel-iommu,intremap=on, or load "
                                "vfio_iommu_type1 with allow_unsafe_interrupts=1)", pci->info.bdf);
    if (rc < 0)
        return vfio_errno_fail(pci, "VFIO_SET_IOMMU", -rc);
    return HDABDL_STATUS_SUCCESS;
}

static hdabdl_status vfio_iommu_info(struct hdabdl_pci *pci)
{
    struct vfio_iommu_type1_info head = {.argsz = sizeof(head)};
    int rc = vfio_ioctl(pci, pci->container_fd, VFIO_IOMMU_GET_INFO, &head);
    if (rc < 0)
        return vfio_errno_fail(pci, "VFIO_IOMMU_GET_INFO", -rc);
    void *buf = NULL;
    size_t size = sizeof(head);
    if (head.argsz > sizeof(head)) {
        if (head.argsz > VFIO_INFO_MAX_ARGSZ)
            return hdabdl__pci_fail(HDABDL_STATUS_IO_DEVICE_ERROR,
                                    "%s: VFIO_IOMMU_GET_INFO wants %u bytes", pci->info.bdf,
                                    (unsigned)head.argsz);
        size = head.argsz;
        buf = calloc(1, size);
        if (!buf)
            return hdabdl__pci_fail(HDABDL_STATUS_NO_MEMORY, "out of memory");
        struct vfio_iommu_type1_info second = {.argsz = head.argsz};
        memcpy(buf, &second, sizeof(second));
        rc = vfio_ioctl(pci, pci->container_fd, VFIO_IOMMU_GET_INFO, buf);
        if (rc < 0) {
            free(buf);
            return vfio_errno_fail(pci, "VFIO_IOMMU_GET_INFO", -rc);
        }
    }
    rc = hdabdl__vfio_parse_iommu_info(buf ? buf : (void *)&head, size, &pci->iommu);
    free(buf);
    if (rc < 0)
        return hdabdl__pci_fail(HDABDL_STATUS_IO_DEVICE_ERROR,
                                "%s: VFIO_IOMMU_GET_INFO: malformed capability chain", pci->info.bdf);
    uint64_t page = 4096;
    if (pci->iommu.pgsizes) {
        page = pci->iommu.pgsizes & (~pci->iommu.pgsizes + 1);   /* smallest page */
        if (page < 4096)
            page = 4096;
    }
    pci->iova_page = page;
    return HDABDL_STATUS_SUCCESS;
}

static hdabdl_status vfio_region(struct hdabdl_pci *pci, uint32_t index, struct vfio_region_info *ri)
{
    memset(ri, 0, sizeof(*ri));
    ri->argsz = sizeof(*ri);
    ri->index = index;
    int rc = vfio_ioctl(pci, pci->device_fd, VFIO_DEVICE_GET_REGION_INFO, ri);
    if (rc < 0)
        return vfio_errno_fail(pci, index == VFIO_PCI_CONFIG_REGION_INDEX ? "config region info"
                                                                          : "BAR0 region info", -rc);
    return HDABDL_STATUS_SUCCESS;
}

static hdabdl_status vfio_open_device(struct hdabdl_pci *pci)
{
    int fd = vfio_ioctl(pci, pci->group_fd, VFIO_GROUP_GET_DEVICE_FD, pci->info.bdf);
    if (fd < 0)
        return vfio_errno_fail(pci, "VFIO_GROUP_GET_DEVICE_FD", -fd);
    pci->device_fd = fd;

    struct vfio_device_info di = {.argsz = sizeof(di)};
    int rc = vfio_ioctl(pci, fd, VFIO_DEVICE_GET_INFO, &di);
    if (rc < 0)
        return vfio_errno_fail(pci, "VFIO_DEVICE_GET_INFO", -rc);
    if (!(di.flags & VFIO_DEVICE_FLAGS_PCI) || di.num_regions <= VFIO_PCI_CONFIG_REGION_INDEX)
        return hdabdl__pci_fail(HDABDL_STATUS_NOT_SUPPORTED,
                                "%s: vfio says this is not a PCI device (flags 0x%x, %u regions)",
                                pci->info.bdf, (unsigned)di.flags, (unsigned)di.num_regions);

    struct vfio_region_info cfg, bar;
    hdabdl_status st = vfio_region(pci, VFIO_PCI_CONFIG_REGION_INDEX, &cfg);
    if (HDABDL_NT_SUCCESS(st))
        st = vfio_region(pci, VFIO_PCI_BAR0_REGION_INDEX, &bar);
    if (!HDABDL_NT_SUCCESS(st))
        return st;
    if (!(cfg.flags & VFIO_REGION_INFO_FLAG_READ) || !(cfg.flags & VFIO_REGION_INFO_FLAG_WRITE) ||
        cfg.size < 0x40)
        return hdabdl__pci_fail(HDABDL_STATUS_NOT_SUPPORTED,
                                "%s: the vfio config region is not readable and writable", pci->info.bdf);
    pci->cfg_fd = fd;
    pci->cfg_offset = cfg.offset;

    uint32_t need = VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE | VFIO_REGION_INFO_FLAG_MMAP;
    if ((bar.flags & need) != need || bar.size < PCI_BAR0_MIN_SIZE || bar.size > SIZE_MAX ||
        (pci->dev && pci->dev->regions[0].is_IO))
        return hdabdl__pci_fail(HDABDL_STATUS_NOT_SUPPORTED,
                                "%s: BAR0 is not a mappable memory BAR of at least 16 KiB (size 0x%llx, "
                                "flags 0x%x)", pci->info.bdf, (unsigned long long)bar.size,
                                (unsigned)bar.flags);
    void *p = pci->sys->mmap(NULL, (size_t)bar.size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)bar.offset);
    if (p == MAP_FAILED)
        return vfio_errno_fail(pci, "mmap BAR0", errno);
    pci->bar = p;
    pci->bar_size = bar.size;
    return HDABDL_STATUS_SUCCESS;
}

hdabdl_status hdabdl__vfio_open(struct hdabdl_pci *pci)
{
    hdabdl_status st = vfio_open_container(pci);
    if (HDABDL_NT_SUCCESS(st))
        st = vfio_open_group(pci);
    if (HDABDL_NT_SUCCESS(st))
        st = vfio_set_iommu(pci);
    if (HDABDL_NT_SUCCESS(st))
        st = vfio_iommu_info(pci);
    if (HDABDL_NT_SUCCESS(st))
        st = vfio_open_device(pci);
    return st;
}

hdabdl_status hdabdl__vfio_setup_space(struct hdabdl_pci *pci)
{
    static const struct hdabdl__range fallback = {PCI_IOVA_FLOOR, PCI_IOVA_FALLBACK_LAST};
    const struct hdabdl__range *src = pci->iommu.has_ranges ? pci->iommu.ranges : &fallback;
    size_t n = pci->iommu.has_ranges ? pci->iommu.nranges : 1;
    uint64_t floor = PCI_IOVA_FLOOR > pci->iova_page ? PCI_IOVA_FLOOR : pci->iova_page;

    int rc = hdabdl__ranges_init(&pci->space, src, n, floor, pci->dma_max);
    if (rc == -ENOMEM)
        return hdabdl__pci_fail(HDABDL_STATUS_NO_MEMORY, "out of memory");
    if (rc < 0)
        return hdabdl__pci_fail(HDABDL_STATUS_IO_DEVICE_ERROR, "%s: bad IOVA ranges", pci->info.bdf);
    if (rc == 0)
        return hdabdl__pci_fail(HDABDL_STATUS_INSUFFICIENT_RESOURCES,
                                "%s: no usable IOVA range between 0x%llx and 0x%llx (GCAP 0x%04x%s)",
                                pci->info.bdf, (unsigned long long)floor,
                                (unsigned long long)pci->dma_max, (unsigned)pci->gcap,
                                (pci->gcap & PCI_HDA_GCAP_64OK) ? "" : ", no 64OK: below 4 GiB only");
    pci->iova_ranges = (unsigned)rc;
    return HDABDL_STATUS_SUCCESS;
}

/* ---- interrupts ---- */

static int vfio_set_irqs(struct hdabdl_pci *pci, uint32_t index, uint32_t flags, uint32_t count,
                         const int *fd)
{
    struct vfio_irq_set hdr;
    _Alignas(8) uint8_t buf[sizeof(struct vfio_irq_set) + sizeof(int)];
    memset(&hdr, 0, sizeof(hdr));
    hdr.argsz = (uint32_t)(sizeof(hdr) + (fd ? sizeof(int) : 0));
    hdr.flags = flags;
    hdr.index = index;
    hdr.start = 0;
    hdr.count = count;
    memcpy(buf, &hdr, sizeof(hdr));
    if (fd)
        memcpy(buf + sizeof(hdr), fd, sizeof(int));
    int rc = vfio_ioctl(pci, pci->device_fd, VFIO_DEVICE_SET_IRQS, buf);
    return rc < 0 ? rc : 0;
}

static int vfio_irq_enable(struct hdabdl_pci *pci, uint32_t index)
{
    struct vfio_irq_info ii = {.argsz = sizeof(ii), .index = index};
    int rc = vfio_ioctl(pci, pci->device_fd, VFIO_DEVICE_GET_IRQ_INFO, &ii);
    if (rc < 0)
        return rc;
    if (ii.count < 1 || !(ii.flags & VFIO_IRQ_INFO_EVENTFD))
        return -ENOTSUP;
    int fd = pci->sys->eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (fd < 0)
        return -errno;
    rc = vfio_set_irqs(pci, index, VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER, 1, &fd);
    if (rc < 0) {
        pci->sys->close(fd);
        return rc;
    }
    pci->irq_fd = fd;
    pci->irq_index = (int)index;
    if (index == VFIO_PCI_INTX_IRQ_INDEX)
        hdabdl__vfio_irq_ack(pci);
    return 0;
}

hdabdl_status hdabdl__vfio_irq_setup(struct hdabdl_pci *pci, enum hdabdl_pci_irq want)
{
    int rc;
    if (want == HDABDL_PCI_IRQ_AUTO || want == HDABDL_PCI_IRQ_MSI) {
        rc = vfio_irq_enable(pci, VFIO_PCI_MSI_IRQ_INDEX);
        if (rc == 0) {
            pci->irq = HDABDL_PCI_IRQ_MSI;
            return HDABDL_STATUS_SUCCESS;
        }
        if (rc == -EMFILE || rc == -ENFILE)
            return hdabdl__pci_fail(HDABDL_STATUS_INSUFFICIENT_RESOURCES, "eventfd: %s", strerror(-rc));
        if (want == HDABDL_PCI_IRQ_MSI)
            return hdabdl__pci_fail(HDABDL_STATUS_NOT_SUPPORTED, "%s: MSI through vfio: %s", pci->info.bdf,
                                    rc == -ENOTSUP ? "the device has no MSI" : strerror(-rc));
    }
    rc = vfio_irq_enable(pci, VFIO_PCI_INTX_IRQ_INDEX);
    if (rc == 0) {
        pci->irq = HDABDL_PCI_IRQ_INTX;
        return HDABDL_STATUS_SUCCESS;
    }
    if (rc == -EMFILE || rc == -ENFILE)
        return hdabdl__pci_fail(HDABDL_STATUS_INSUFFICIENT_RESOURCES, "eventfd: %s", strerror(-rc));
    if (want == HDABDL_PCI_IRQ_INTX)
        return hdabdl__pci_fail(HDABDL_STATUS_NOT_SUPPORTED, "%s: INTx through vfio: %s", pci->info.bdf,
                                rc == -ENOTSUP ? "the device has no INTx" : strerror(-rc));
    pci->irq = HDABDL_PCI_IRQ_POLL;   /* AUTO: polling is always there */
    return HDABDL_STATUS_SUCCESS;
}

void hdabdl__vfio_irq_ack(struct hdabdl_pci *pci)
{
    if (pci->irq_index == VFIO_PCI_INTX_IRQ_INDEX)
        (void)vfio_set_irqs(pci, VFIO_PCI_INTX_IRQ_INDEX,
                            VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_UNMASK, 1, NULL);
}

void hdabdl__vfio_irq_off(struct hdabdl_pci *pci)
{
    if (pci->irq_index < 0)
        return;
    (void)vfio_set_irqs(pci, (uint32_t)pci->irq_index, VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER,
                        0, NULL);
    pci->irq_index = -1;
}

/* ---- DMA ---- */

int hdabdl__vfio_dma_map(struct hdabdl_pci *pci, size_t size, size_t align, uint64_t max,
                         struct pci_dma_block *block)
{
    const struct hdabdl_pci_sys *sys = pci->sys;
    uint64_t page = pci->iova_page;
    if (size > SIZE_MAX - page * 2)
        return -ENOMEM;
    size_t len = (size_t)((size + page - 1) & ~(page - 1));
    if (align < page)
        align = (size_t)page;

    /* Host memory aligned to the IOMMU page (over-allocate if it is larger than ours). */
    size_t host_page = (size_t)sysconf(_SC_PAGESIZE);
    size_t extra = page > host_page ? (size_t)page : 0;
    void *map = sys->mmap(NULL, len + extra, PROT_READ | PROT_WRITE,
                          MAP_SHARED | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    if (map == MAP_FAILED) {
        hdabdl__pci_fail(HDABDL_STATUS_NO_MEMORY, "%s: no host memory for a DMA block of 0x%zx bytes",
                         pci->info.bdf, len);
        return -ENOMEM;
    }
    uintptr_t cpu = ((uintptr_t)map + (uintptr_t)(extra ? page - 1 : 0)) & ~(uintptr_t)(extra ? page - 1 : 0);

    uint64_t iova;
    int rc = hdabdl__ranges_alloc(&pci->space, len, align, max, &iova);
    if (rc != 0) {
        sys->munmap(map, len + extra);
        hdabdl__pci_fail(hdabdl_status_from_errno(rc),
                         "%s: no free IOVA range of 0x%zx bytes ending below 0x%llx", pci->info.bdf, len,
                         (unsigned long long)max);
        return rc;
    }
    struct vfio_iommu_type1_dma_map m = {
        .argsz = sizeof(m),
        .flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
        .vaddr = (uint64_t)cpu,
        .iova = iova,
        .size = len,
    };
    rc = vfio_ioctl(pci, pci->container_fd, VFIO_IOMMU_MAP_DMA, &m);
    if (rc < 0) {
        (void)hdabdl__ranges_free(&pci->space, iova, len);
        sys->munmap(map, len + extra);
        hdabdl__pci_fail(hdabdl_status_from_errno(rc), "%s: VFIO_IOMMU_MAP_DMA of 0x%zx bytes at IOVA 0x%llx: %s%s",
                         pci->info.bdf, len, (unsigned long long)iova, strerror(-rc),
                         rc == -ENOMEM ? " (pinned memory over RLIMIT_MEMLOCK? raise `ulimit -l`)"
                         : rc == -ENOSPC ? " (vfio_iommu_type1 dma_entry_limit reached)" : "");
        return rc;
    }
    block->bus = iova;
    block->cpu = (void *)cpu;
    block->size = len;
    block->map_cpu = map;
    block->map_size = len + extra;
    block->dma_mapped = true;
    return 0;
}

static void vfio_unmap_one(struct hdabdl_pci *pci, struct pci_dma_block *block)
{
    if (!block->dma_mapped)
        return;
    struct vfio_iommu_type1_dma_unmap u = {
        .argsz = sizeof(u),
        .flags = 0,
        .iova = block->bus,
        .size = block->size,
    };
    int rc = vfio_ioctl(pci, pci->container_fd, VFIO_IOMMU_UNMAP_DMA, &u);
    block->dma_mapped = false;
    if (rc == 0)
        (void)hdabdl__ranges_free(&pci->space, block->bus, block->size);
    /* else: the IOVA stays reserved (never reused); closing the container unmaps it */
}

void hdabdl__vfio_dma_unmap(struct hdabdl_pci *pci, struct pci_dma_block *block)
{
    vfio_unmap_one(pci, block);
    if (block->map_cpu)
        pci->sys->munmap(block->map_cpu, block->map_size);
    block->map_cpu = NULL;
}

void hdabdl__vfio_close(struct hdabdl_pci *pci)
{
    const struct hdabdl_pci_sys *sys = pci->sys;

    /* From the last: never index forward while removing (vfio.md §3.2). */
    for (size_t i = pci->nblocks; i-- > 0;)
        vfio_unmap_one(pci, pci->blocks[i]);
    if (pci->bar)
        sys->munmap((void *)(uintptr_t)pci->bar, (size_t)pci->bar_size);
    pci->bar = NULL;
    pci->cfg_fd = -1;   /* it was the device fd */
    if (pci->device_fd >= 0)
        sys->close(pci->device_fd);
    pci->device_fd = -1;
    if (pci->group_fd >= 0)
        sys->close(pci->group_fd);   /* detaches the group from the container */
    pci->group_fd = -1;
    pci->group_attached = false;
    if (pci->container_fd >= 0)
        sys->close(pci->container_fd);
    pci->container_fd = -1;
}
