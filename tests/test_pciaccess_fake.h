/* SPDX-License-Identifier: MIT */
/*
 * test_pciaccess_fake.h - a fake kernel (and libpciaccess) behind the
 * pciaccess backend's system-call table, for tests/test_pciaccess_*.c.
 *
 * What it models: /dev/vfio/vfio (API version, type1 extensions, SET_IOMMU,
 * GET_INFO with a capability chain built from configured IOVA ranges, or raw
 * bytes for malformed chains, MAP_DMA / UNMAP_DMA with the kernel's checks:
 * alignment, inside the ranges, no overlap, exact unmaps, entry limit),
 * /dev/vfio/N (viability, SET_CONTAINER, GET_DEVICE_FD), the device fd
 * (GET_INFO, region infos, BAR0 mmap, config region through pread/pwrite,
 * IRQ infos, SET_IRQS), uio (sysfs config, /dev/uio0, libpciaccess BAR
 * mapping), hugepages with physical addresses and /proc/self/pagemap, and
 * three PCI devices with `driver` and `iommu_group` links.
 *
 * BAR0 is a plain memory array (fk.bar, 64 KiB, page aligned) holding
 * QEMU-like reset values (GCAP, VMAJ, payloads, CORB/RIRB size caps, codec 0
 * in STATESTS): registers keep what is written, which is enough for the
 * core's open handshakes (CRST, CORBRP reset, DMA run bits read back).
 *
 * Every fd the fake hands out is a real fd (an eventfd), so numbers are
 * unique and the backend's service thread can poll(2) them for real; MSI,
 * INTx and uio interrupts are raised by writing to them. The fake counts
 * open fds, mappings, IOMMU mappings, libpciaccess references and
 * iterators, records protocol violations (closing an fd it never gave out,
 * a munmap or UNMAP_DMA that does not match, closing the device with its IRQ
 * enabled or the container with DMA still mapped), and numbers the teardown
 * steps so tests can check their order.
 */
#ifndef TEST_PCIACCESS_FAKE_H
#define TEST_PCIACCESS_FAKE_H

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include <linux/vfio.h>
#include <pciaccess.h>

#include "hal/pciaccess/pci_sys.h"

#define FK_UNUSED __attribute__((unused))

#define FK_BDF          "0000:00:1b.0"
#define FK_BDF_NIC      "0000:00:02.0"
#define FK_BDF_HDA2     "0000:00:1f.3"
#define FK_GROUP        3
#define FK_CFG_OFFSET   UINT64_C(0x70000000000)   /* VFIO_PCI_INDEX_TO_OFFSET(7) */
#define FK_BAR_ALLOC    0x10000u
#define FK_BAR_PHYS     UINT64_C(0xfebd4000)
#define FK_HUGE         (UINT64_C(2) << 20)
#define FK_MAX_FDS      64
#define FK_MAX_MAPS     64
#define FK_MAX_DMA      64

enum fk_kind { FK_CONTAINER = 1, FK_GROUP_FD, FK_DEVICE, FK_EVENTFD, FK_TIMERFD, FK_UIO, FK_CONFIG, FK_PAGEMAP };
enum fk_map_kind { FK_MAP_BAR = 1, FK_MAP_ANON, FK_MAP_HUGE, FK_MAP_PCIACCESS_BAR };

struct fk_range {
    uint64_t start, end;   /* inclusive */
};

struct fk_config {
    /* libpciaccess and sysfs */
    int system_init_errno;
    const char *driver;             /* driver of FK_BDF (basename); NULL: none */
    int iommu_group;                /* of FK_BDF; -1: no link */
    const char *hda2_driver;        /* driver of FK_BDF_HDA2 */
    int probe_errno;
    /* vfio container */
    int container_open_errno;
    int api_version;
    bool no_type1v2, no_type1;
    int set_iommu_errno;
    int get_info_errno;
    bool no_caps;
    const uint8_t *raw_caps;        /* appended at offset 24 as the chain (malformed-chain tests) */
    size_t raw_caps_len;
    struct fk_range ranges[8];
    unsigned nranges;
    uint64_t pgsizes;
    unsigned dma_avail;
    int map_dma_fail_at;            /* the n-th MAP_DMA (1-based) fails with map_dma_errno */
    int map_dma_errno;
    unsigned dma_entry_limit;       /* 0: none; else ENOSPC beyond it */
    /* group */
    int group_open_errno;
    bool not_viable;
    int set_container_errno;
    int get_device_errno;
    /* device */
    bool not_pci;
    uint64_t bar_size;
    uint32_t bar_flags;
    int bar_mmap_errno;
    uint32_t msi_count, intx_count;
    int msi_set_errno, intx_set_errno;
    bool master_stuck;
    int config_io_errno;
    uint16_t gcap;
    uint8_t interrupt_pin;
    int eventfd_fail_at;            /* the n-th eventfd() (1-based) fails with EMFILE */
    /* uio */
    int map_range_errno;
    int config_open_errno;
    bool no_uio_node;
    int uio_open_errno;
    unsigned hugepages;             /* 2 MiB pages the fake kernel has */
    uint64_t huge_phys_base;
    bool pagemap_pfn_zero, pagemap_noncontig;
};

struct fk_dev {
    struct pci_device dev;
    const char *bdf;
    const char **driver;            /* points into the config (NULL: none) */
    const int *group;
};

struct fk_iter {
    bool by_slot;
    struct pci_id_match id;
    struct pci_slot_match slot;
    unsigned pos;
};

struct fk_state {
    struct fk_config cfg;
    struct { int fd; enum fk_kind kind; } fds[FK_MAX_FDS];
    unsigned nfds;
    struct { void *p; size_t len; enum fk_map_kind kind; uint64_t phys; } maps[FK_MAX_MAPS];
    unsigned nmaps;
    bool group_attached, iommu_set;
    struct { uint64_t iova, size, vaddr; } dma[FK_MAX_DMA];
    unsigned ndma, map_dma_calls, unmap_dma_calls, max_ndma;
    int irq_active;                 /* VFIO IRQ index enabled, -1 */
    int irq_eventfd;
    unsigned intx_unmasks, set_irqs_calls;
    int system_refs;
    unsigned iterators, eventfd_calls, hugepages_used;
    uint8_t cfg_space[256];
    uint8_t *bar;
    struct fk_dev devs[3];
    char default_driver_storage[8];
    /* protocol violations */
    unsigned errors;
    char last_error[256];
    /* teardown order: sequence numbers (0: never happened) */
    unsigned seq;
    unsigned seq_master_off, seq_irq_off, seq_unmap_dma, seq_bar_unmap, seq_close_device,
        seq_close_group, seq_close_container, seq_host_munmap, seq_uio_close;
    bool master_was_set;
};

static struct fk_state fk;
static pthread_mutex_t fk_lock = PTHREAD_MUTEX_INITIALIZER;

static FK_UNUSED void fk_violation(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void fk_violation(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(fk.last_error, sizeof(fk.last_error), fmt, ap);
    va_end(ap);
    fk.errors++;
    fprintf(stderr, "fake kernel: violation: %s\n", fk.last_error);
}

static int fk_err(int e)
{
    errno = e;
    return -1;
}

/* ---- fd table ---- */

static int fk_new_fd(enum fk_kind kind)
{
    if (fk.nfds == FK_MAX_FDS)
        return fk_err(EMFILE);
    int fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (fd < 0)
        return -1;
    fk.fds[fk.nfds].fd = fd;
    fk.fds[fk.nfds].kind = kind;
    fk.nfds++;
    return fd;
}

static int fk_add_fd(int fd, enum fk_kind kind)
{
    fk.fds[fk.nfds].fd = fd;
    fk.fds[fk.nfds].kind = kind;
    fk.nfds++;
    return fd;
}

static int fk_kind_of(int fd)
{
    for (unsigned i = 0; i < fk.nfds; i++)
        if (fk.fds[i].fd == fd)
            return (int)fk.fds[i].kind;
    return 0;
}

static FK_UNUSED int fk_find_fd(enum fk_kind kind)
{
    pthread_mutex_lock(&fk_lock);
    int fd = -1;
    for (unsigned i = 0; i < fk.nfds; i++)
        if (fk.fds[i].kind == kind) {
            fd = fk.fds[i].fd;
            break;
        }
    pthread_mutex_unlock(&fk_lock);
    return fd;
}

/* ---- config space ---- */

static void fk_cfg_put16(unsigned off, uint16_t v)
{
    memcpy(&fk.cfg_space[off], &v, 2);
}

static FK_UNUSED uint16_t fk_command(void)
{
    uint16_t v;
    pthread_mutex_lock(&fk_lock);
    memcpy(&v, &fk.cfg_space[4], 2);
    pthread_mutex_unlock(&fk_lock);
    return v;
}

static ssize_t fk_cfg_read(void *buf, size_t n, uint64_t off)
{
    if (fk.cfg.config_io_errno)
        return fk_err(fk.cfg.config_io_errno);
    if (off >= sizeof(fk.cfg_space) || n > sizeof(fk.cfg_space) - off)
        return fk_err(EINVAL);
    memcpy(buf, &fk.cfg_space[off], n);
    return (ssize_t)n;
}

static ssize_t fk_cfg_write(const void *buf, size_t n, uint64_t off)
{
    if (fk.cfg.config_io_errno)
        return fk_err(fk.cfg.config_io_errno);
    if (off >= sizeof(fk.cfg_space) || n > sizeof(fk.cfg_space) - off)
        return fk_err(EINVAL);
    uint16_t before;
    memcpy(&before, &fk.cfg_space[4], 2);
    memcpy(&fk.cfg_space[off], buf, n);
    uint16_t after;
    memcpy(&after, &fk.cfg_space[4], 2);
    if (fk.cfg.master_stuck)
        after &= (uint16_t)~0x4u;
    fk_cfg_put16(4, after);
    if (!(before & 4) && (after & 4))
        fk.master_was_set = true;
    if ((before & 4) && !(after & 4))
        fk.seq_master_off = ++fk.seq;
    return (ssize_t)n;
}

/* ---- files ---- */

static int fk_open(const char *path, int flags)
{
    (void)flags;
    pthread_mutex_lock(&fk_lock);
    int rc;
    char group_path[32];
    snprintf(group_path, sizeof(group_path), "/dev/vfio/%d", FK_GROUP);
    if (strcmp(path, "/dev/vfio/vfio") == 0)
        rc = fk.cfg.container_open_errno ? fk_err(fk.cfg.container_open_errno) : fk_new_fd(FK_CONTAINER);
    else if (strcmp(path, group_path) == 0 && fk.cfg.iommu_group == FK_GROUP)
        rc = fk.cfg.group_open_errno ? fk_err(fk.cfg.group_open_errno) : fk_new_fd(FK_GROUP_FD);
    else if (strcmp(path, "/sys/bus/pci/devices/" FK_BDF "/config") == 0)
        rc = fk.cfg.config_open_errno ? fk_err(fk.cfg.config_open_errno) : fk_new_fd(FK_CONFIG);
    else if (strcmp(path, "/dev/uio0") == 0 && !fk.cfg.no_uio_node)
        rc = fk.cfg.uio_open_errno ? fk_err(fk.cfg.uio_open_errno) : fk_new_fd(FK_UIO);
    else if (strcmp(path, "/proc/self/pagemap") == 0)
        rc = fk_new_fd(FK_PAGEMAP);
    else
        rc = fk_err(ENOENT);
    pthread_mutex_unlock(&fk_lock);
    return rc;
}

static int fk_close(int fd)
{
    pthread_mutex_lock(&fk_lock);
    int rc = 0;
    unsigned i;
    for (i = 0; i < fk.nfds && fk.fds[i].fd != fd; i++)
        ;
    if (i == fk.nfds) {
        fk_violation("close(%d): not an fd the fake gave out", fd);
        rc = fk_err(EBADF);
    } else {
        enum fk_kind kind = fk.fds[i].kind;
        if (kind == FK_DEVICE) {
            if (fk.irq_active >= 0)
                fk_violation("device fd closed with IRQ index %d still enabled", fk.irq_active);
            fk.seq_close_device = ++fk.seq;
        } else if (kind == FK_GROUP_FD) {
            for (unsigned j = 0; j < fk.nfds; j++)
                if (fk.fds[j].kind == FK_DEVICE)
                    fk_violation("group fd closed before the device fd");
            fk.group_attached = false;
            fk.iommu_set = false;
            fk.seq_close_group = ++fk.seq;
        } else if (kind == FK_CONTAINER) {
            if (fk.ndma)
                fk_violation("container closed with %u DMA mappings left", fk.ndma);
            fk.ndma = 0;
            fk.seq_close_container = ++fk.seq;
        } else if (kind == FK_UIO) {
            fk.seq_uio_close = ++fk.seq;
        } else if (kind == FK_EVENTFD && fd == fk.irq_eventfd && fk.irq_active >= 0) {
            fk_violation("IRQ eventfd closed while its index is enabled");
        }
        close(fd);
        fk.fds[i] = fk.fds[--fk.nfds];
    }
    pthread_mutex_unlock(&fk_lock);
    return rc;
}

static bool fk_in_ranges(uint64_t iova, uint64_t size)
{
    uint64_t last = iova + size - 1;
    if (fk.cfg.no_caps || fk.cfg.raw_caps)
        return last < (UINT64_C(1) << 39);
    for (unsigned i = 0; i < fk.cfg.nranges; i++)
        if (iova >= fk.cfg.ranges[i].start && last <= fk.cfg.ranges[i].end)
            return true;
    return false;
}

static bool fk_anon_mapped(uint64_t vaddr, uint64_t size)
{
    for (unsigned i = 0; i < fk.nmaps; i++) {
        uint64_t p = (uint64_t)(uintptr_t)fk.maps[i].p;
        if (fk.maps[i].kind == FK_MAP_ANON && vaddr >= p && vaddr + size <= p + fk.maps[i].len)
            return true;
    }
    return false;
}

static int fk_container_ioctl(unsigned long req, void *arg)
{
    switch (req) {
    case VFIO_GET_API_VERSION:
        return fk.cfg.api_version;
    case VFIO_CHECK_EXTENSION: {
        uintptr_t ext = (uintptr_t)arg;
        if (ext == VFIO_TYPE1v2_IOMMU)
            return !fk.cfg.no_type1v2;
        if (ext == VFIO_TYPE1_IOMMU)
            return !fk.cfg.no_type1;
        return 0;
    }
    case VFIO_SET_IOMMU:
        if (!fk.group_attached)
            return fk_err(EINVAL);
        if (fk.cfg.set_iommu_errno)
            return fk_err(fk.cfg.set_iommu_errno);
        fk.iommu_set = true;
        return 0;
    case VFIO_IOMMU_GET_INFO: {
        if (!fk.iommu_set)
            return fk_err(EINVAL);
        if (fk.cfg.get_info_errno)
            return fk_err(fk.cfg.get_info_errno);
        uint8_t blob[2048];
        memset(blob, 0, sizeof(blob));
        struct vfio_iommu_type1_info info = {.argsz = sizeof(info),
                                             .flags = VFIO_IOMMU_INFO_PGSIZES,
                                             .iova_pgsizes = fk.cfg.pgsizes};
        size_t len = sizeof(info);
        if (fk.cfg.raw_caps) {
            memcpy(blob + len, fk.cfg.raw_caps, fk.cfg.raw_caps_len);
            len += fk.cfg.raw_caps_len;
            info.flags |= VFIO_IOMMU_INFO_CAPS;
            info.cap_offset = sizeof(info);
        } else if (!fk.cfg.no_caps) {
            struct vfio_iommu_type1_info_cap_iova_range cap;
            memset(&cap, 0, sizeof(cap));
            size_t cap_len = sizeof(cap) + fk.cfg.nranges * sizeof(struct vfio_iova_range);
            cap.header.id = VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE;
            cap.header.version = 1;
            cap.header.next = (uint32_t)(len + cap_len);
            cap.nr_iovas = fk.cfg.nranges;
            memcpy(blob + len, &cap, sizeof(cap));
            for (unsigned i = 0; i < fk.cfg.nranges; i++) {
                struct vfio_iova_range r = {.start = fk.cfg.ranges[i].start, .end = fk.cfg.ranges[i].end};
                memcpy(blob + len + sizeof(cap) + i * sizeof(r), &r, sizeof(r));
            }
            info.cap_offset = (uint32_t)len;
            len += cap_len;
            struct vfio_iommu_type1_info_dma_avail avail;
            memset(&avail, 0, sizeof(avail));
            avail.header.id = VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL;
            avail.header.version = 1;
            avail.header.next = 0;
            avail.avail = fk.cfg.dma_avail;
            memcpy(blob + len, &avail, sizeof(avail));
            len += sizeof(avail);
            len = (len + 7) & ~(size_t)7;
            info.flags |= VFIO_IOMMU_INFO_CAPS;
        }
        struct vfio_iommu_type1_info in;
        memcpy(&in, arg, sizeof(in.argsz));
        info.argsz = (uint32_t)len;
        if (in.argsz < len) {
            info.cap_offset = 0;   /* too small: the caller learns the size */
            memcpy(arg, &info, in.argsz < sizeof(info) ? in.argsz : sizeof(info));
        } else {
            memcpy(blob, &info, sizeof(info));
            memcpy(arg, blob, len);
        }
        return 0;
    }
    case VFIO_IOMMU_MAP_DMA: {
        struct vfio_iommu_type1_dma_map m;
        memcpy(&m, arg, sizeof(m));
        if (!fk.iommu_set)
            return fk_err(EINVAL);
        fk.map_dma_calls++;
        if (fk.cfg.map_dma_fail_at && fk.map_dma_calls == (unsigned)fk.cfg.map_dma_fail_at)
            return fk_err(fk.cfg.map_dma_errno);
        if (m.size == 0 || (m.size | m.iova | m.vaddr) & 0xFFF || m.iova + m.size - 1 < m.iova)
            return fk_err(EINVAL);
        if (!fk_in_ranges(m.iova, m.size))
            return fk_err(EINVAL);
        if (m.iova == m.vaddr)
            fk_violation("MAP_DMA with IOVA == VA (0x%llx)", (unsigned long long)m.iova);
        if (!fk_anon_mapped(m.vaddr, m.size))
            fk_violation("MAP_DMA of host memory the backend did not map");
        if (!(m.flags & VFIO_DMA_MAP_FLAG_READ) || !(m.flags & VFIO_DMA_MAP_FLAG_WRITE))
            fk_violation("MAP_DMA without READ|WRITE");
        for (unsigned i = 0; i < fk.ndma; i++)
            if (m.iova < fk.dma[i].iova + fk.dma[i].size && fk.dma[i].iova < m.iova + m.size)
                return fk_err(EEXIST);
        if (fk.cfg.dma_entry_limit && fk.ndma >= fk.cfg.dma_entry_limit)
            return fk_err(ENOSPC);
        if (fk.ndma == FK_MAX_DMA)
            return fk_err(ENOSPC);
        fk.dma[fk.ndma].iova = m.iova;
        fk.dma[fk.ndma].size = m.size;
        fk.dma[fk.ndma].vaddr = m.vaddr;
        fk.ndma++;
        if (fk.ndma > fk.max_ndma)
            fk.max_ndma = fk.ndma;
        return 0;
    }
    case VFIO_IOMMU_UNMAP_DMA: {
        struct vfio_iommu_type1_dma_unmap u;
        memcpy(&u, arg, sizeof(u));
        fk.unmap_dma_calls++;
        for (unsigned i = 0; i < fk.ndma; i++) {
            if (fk.dma[i].iova == u.iova && fk.dma[i].size == u.size) {
                fk.dma[i] = fk.dma[--fk.ndma];
                fk.seq_unmap_dma = ++fk.seq;
                return 0;
            }
        }
        fk_violation("UNMAP_DMA(0x%llx, 0x%llx) matches no mapping exactly", (unsigned long long)u.iova,
                     (unsigned long long)u.size);
        return fk_err(EINVAL);
    }
    default:
        fk_violation("container ioctl 0x%lx unknown", req);
        return fk_err(ENOTTY);
    }
}

static int fk_group_ioctl(unsigned long req, void *arg)
{
    switch (req) {
    case VFIO_GROUP_GET_STATUS: {
        struct vfio_group_status s;
        memcpy(&s, arg, sizeof(s));
        s.flags = fk.cfg.not_viable ? 0 : VFIO_GROUP_FLAGS_VIABLE;
        if (fk.group_attached)
            s.flags |= VFIO_GROUP_FLAGS_CONTAINER_SET;
        memcpy(arg, &s, sizeof(s));
        return 0;
    }
    case VFIO_GROUP_SET_CONTAINER: {
        int cfd;
        memcpy(&cfd, arg, sizeof(cfd));
        if (fk_kind_of(cfd) != FK_CONTAINER)
            return fk_err(EBADF);
        if (fk.cfg.not_viable)
            return fk_err(EPERM);
        if (fk.cfg.set_container_errno)
            return fk_err(fk.cfg.set_container_errno);
        fk.group_attached = true;
        return 0;
    }
    case VFIO_GROUP_GET_DEVICE_FD:
        if (!fk.iommu_set)
            return fk_err(EINVAL);
        if (strcmp((const char *)arg, FK_BDF) != 0)
            return fk_err(ENODEV);
        if (fk.cfg.get_device_errno)
            return fk_err(fk.cfg.get_device_errno);
        return fk_new_fd(FK_DEVICE);
    default:
        fk_violation("group ioctl 0x%lx unknown", req);
        return fk_err(ENOTTY);
    }
}

static int fk_device_ioctl(unsigned long req, void *arg)
{
    switch (req) {
    case VFIO_DEVICE_GET_INFO: {
        struct vfio_device_info d;
        memcpy(&d, arg, sizeof(d));
        d.flags = fk.cfg.not_pci ? VFIO_DEVICE_FLAGS_PLATFORM : VFIO_DEVICE_FLAGS_PCI;
        d.num_regions = 9;
        d.num_irqs = 5;
        memcpy(arg, &d, sizeof(d));
        return 0;
    }
    case VFIO_DEVICE_GET_REGION_INFO: {
        struct vfio_region_info r;
        memcpy(&r, arg, sizeof(r));
        if (r.index == VFIO_PCI_CONFIG_REGION_INDEX) {
            r.offset = FK_CFG_OFFSET;
            r.size = 256;
            r.flags = VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE;
        } else if (r.index == VFIO_PCI_BAR0_REGION_INDEX) {
            r.offset = 0;
            r.size = fk.cfg.bar_size;
            r.flags = fk.cfg.bar_flags;
        } else {
            r.offset = (uint64_t)r.index << 40;
            r.size = 0;
            r.flags = 0;
        }
        memcpy(arg, &r, sizeof(r));
        return 0;
    }
    case VFIO_DEVICE_GET_IRQ_INFO: {
        struct vfio_irq_info ii;
        memcpy(&ii, arg, sizeof(ii));
        if (ii.index == VFIO_PCI_MSI_IRQ_INDEX) {
            ii.count = fk.cfg.msi_count;
            ii.flags = VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_NORESIZE;
        } else if (ii.index == VFIO_PCI_INTX_IRQ_INDEX) {
            ii.count = fk.cfg.intx_count;
            ii.flags = VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_MASKABLE | VFIO_IRQ_INFO_AUTOMASKED;
        } else {
            ii.count = 0;
            ii.flags = 0;
        }
        memcpy(arg, &ii, sizeof(ii));
        return 0;
    }
    case VFIO_DEVICE_SET_IRQS: {
        struct vfio_irq_set s;
        memcpy(&s, arg, sizeof(s));
        fk.set_irqs_calls++;
        uint32_t data = s.flags & VFIO_IRQ_SET_DATA_TYPE_MASK;
        uint32_t action = s.flags & VFIO_IRQ_SET_ACTION_TYPE_MASK;
        if (data == VFIO_IRQ_SET_DATA_EVENTFD && action == VFIO_IRQ_SET_ACTION_TRIGGER && s.count == 1) {
            int efd;
            memcpy(&efd, (const uint8_t *)arg + sizeof(s), sizeof(efd));
            if (s.index == VFIO_PCI_MSI_IRQ_INDEX && (fk.cfg.msi_set_errno || !fk.cfg.msi_count))
                return fk_err(fk.cfg.msi_set_errno ? fk.cfg.msi_set_errno : EINVAL);
            if (s.index == VFIO_PCI_INTX_IRQ_INDEX && (fk.cfg.intx_set_errno || !fk.cfg.intx_count))
                return fk_err(fk.cfg.intx_set_errno ? fk.cfg.intx_set_errno : EINVAL);
            if (fk.irq_active >= 0 && fk.irq_active != (int)s.index)
                return fk_err(EINVAL);   /* never two indexes at once */
            if (fk_kind_of(efd) != FK_EVENTFD)
                fk_violation("SET_IRQS with fd %d that is not an eventfd", efd);
            fk.irq_active = (int)s.index;
            fk.irq_eventfd = efd;
            return 0;
        }
        if (data == VFIO_IRQ_SET_DATA_NONE && action == VFIO_IRQ_SET_ACTION_TRIGGER && s.count == 0) {
            if (fk.irq_active == (int)s.index) {
                fk.irq_active = -1;
                fk.irq_eventfd = -1;
                fk.seq_irq_off = ++fk.seq;
            }
            return 0;
        }
        if (data == VFIO_IRQ_SET_DATA_NONE && action == VFIO_IRQ_SET_ACTION_UNMASK) {
            if (s.index != VFIO_PCI_INTX_IRQ_INDEX || fk.irq_active != (int)s.index)
                return fk_err(EINVAL);
            fk.intx_unmasks++;
            return 0;
        }
        fk_violation("SET_IRQS flags 0x%x count %u not modelled", (unsigned)s.flags, (unsigned)s.count);
        return fk_err(EINVAL);
    }
    default:
        fk_violation("device ioctl 0x%lx unknown", req);
        return fk_err(ENOTTY);
    }
}

static int fk_ioctl(int fd, unsigned long req, void *arg)
{
    pthread_mutex_lock(&fk_lock);
    int rc;
    switch (fk_kind_of(fd)) {
    case FK_CONTAINER:
        rc = fk_container_ioctl(req, arg);
        break;
    case FK_GROUP_FD:
        rc = fk_group_ioctl(req, arg);
        break;
    case FK_DEVICE:
        rc = fk_device_ioctl(req, arg);
        break;
    default:
        fk_violation("ioctl 0x%lx on fd %d of kind %d", req, fd, fk_kind_of(fd));
        rc = fk_err(ENOTTY);
        break;
    }
    pthread_mutex_unlock(&fk_lock);
    return rc;
}

static ssize_t fk_pagemap_read(void *buf, size_t n, off_t off)
{
    if (n % 8 || off % 8)
        return fk_err(EINVAL);
    size_t count = n / 8;
    uint64_t *out = buf;
    for (size_t i = 0; i < count; i++) {
        uint64_t va = ((uint64_t)off / 8 + i) * 4096;
        uint64_t entry = 0;
        for (unsigned m = 0; m < fk.nmaps; m++) {
            uint64_t p = (uint64_t)(uintptr_t)fk.maps[m].p;
            if (fk.maps[m].kind == FK_MAP_HUGE && va >= p && va < p + fk.maps[m].len) {
                uint64_t pfn = (fk.maps[m].phys + (va - p)) / 4096;
                if (fk.cfg.pagemap_pfn_zero)
                    pfn = 0;
                if (fk.cfg.pagemap_noncontig && i >= count / 2)
                    pfn += 7;
                entry = (UINT64_C(1) << 63) | pfn;
            }
        }
        out[i] = entry;
    }
    return (ssize_t)n;
}

static ssize_t fk_pread(int fd, void *buf, size_t n, off_t off)
{
    pthread_mutex_lock(&fk_lock);
    ssize_t rc;
    int kind = fk_kind_of(fd);
    if (kind == FK_DEVICE) {
        if ((uint64_t)off < FK_CFG_OFFSET)
            rc = fk_err(EINVAL);
        else
            rc = fk_cfg_read(buf, n, (uint64_t)off - FK_CFG_OFFSET);
    } else if (kind == FK_CONFIG) {
        rc = fk_cfg_read(buf, n, (uint64_t)off);
    } else if (kind == FK_PAGEMAP) {
        rc = fk_pagemap_read(buf, n, off);
    } else {
        fk_violation("pread on fd %d of kind %d", fd, kind);
        rc = fk_err(EBADF);
    }
    pthread_mutex_unlock(&fk_lock);
    return rc;
}

static ssize_t fk_pwrite(int fd, const void *buf, size_t n, off_t off)
{
    pthread_mutex_lock(&fk_lock);
    ssize_t rc;
    int kind = fk_kind_of(fd);
    if (kind == FK_DEVICE) {
        if ((uint64_t)off < FK_CFG_OFFSET)
            rc = fk_err(EINVAL);
        else
            rc = fk_cfg_write(buf, n, (uint64_t)off - FK_CFG_OFFSET);
    } else if (kind == FK_CONFIG) {
        rc = fk_cfg_write(buf, n, (uint64_t)off);
    } else {
        fk_violation("pwrite on fd %d of kind %d", fd, kind);
        rc = fk_err(EBADF);
    }
    pthread_mutex_unlock(&fk_lock);
    return rc;
}

static ssize_t fk_read(int fd, void *buf, size_t n)
{
    pthread_mutex_lock(&fk_lock);
    int kind = fk_kind_of(fd);
    pthread_mutex_unlock(&fk_lock);
    if (kind == FK_UIO) {
        uint64_t v;
        if (n != 4)
            return fk_err(EINVAL);
        ssize_t r = read(fd, &v, sizeof(v));
        if (r != 8)
            return r;
        uint32_t c = (uint32_t)v;
        memcpy(buf, &c, 4);
        return 4;
    }
    if (kind != FK_EVENTFD && kind != FK_TIMERFD) {
        fk_violation("read on fd %d of kind %d", fd, kind);
        return fk_err(EBADF);
    }
    return read(fd, buf, n);
}

static ssize_t fk_write(int fd, const void *buf, size_t n)
{
    pthread_mutex_lock(&fk_lock);
    int kind = fk_kind_of(fd);
    pthread_mutex_unlock(&fk_lock);
    if (kind != FK_EVENTFD) {
        fk_violation("write on fd %d of kind %d", fd, kind);
        return fk_err(EBADF);
    }
    return write(fd, buf, n);
}

static ssize_t fk_readlink(const char *path, char *buf, size_t size)
{
    pthread_mutex_lock(&fk_lock);
    ssize_t rc = fk_err(ENOENT);
    const char *prefix = "/sys/bus/pci/devices/";
    size_t plen = strlen(prefix);
    if (strncmp(path, prefix, plen) == 0) {
        for (unsigned i = 0; i < 3; i++) {
            const char *bdf = fk.devs[i].bdf;
            size_t blen = strlen(bdf);
            if (strncmp(path + plen, bdf, blen) != 0 || path[plen + blen] != '/')
                continue;
            const char *link = path + plen + blen + 1;
            char target[128];
            target[0] = '\0';
            if (strcmp(link, "driver") == 0 && *fk.devs[i].driver)
                snprintf(target, sizeof(target), "../../../bus/pci/drivers/%s", *fk.devs[i].driver);
            else if (strcmp(link, "iommu_group") == 0 && *fk.devs[i].group >= 0)
                snprintf(target, sizeof(target), "../../../kernel/iommu_groups/%d", *fk.devs[i].group);
            if (target[0]) {
                size_t len = strlen(target);
                if (len > size)
                    len = size;
                memcpy(buf, target, len);
                rc = (ssize_t)len;
            }
        }
    }
    pthread_mutex_unlock(&fk_lock);
    return rc;
}

static int fk_find_entry(const char *dir, const char *prefix, char *name, size_t size)
{
    if (strcmp(dir, "/sys/bus/pci/devices/" FK_BDF "/uio") != 0 || fk.cfg.no_uio_node ||
        strcmp(prefix, "uio") != 0)
        return -ENOENT;
    snprintf(name, size, "uio0");
    return 0;
}

static int fk_poll(struct pollfd *fds, nfds_t n, int timeout)
{
    return poll(fds, n, timeout);
}

static int fk_eventfd(unsigned int initval, int flags)
{
    pthread_mutex_lock(&fk_lock);
    int rc;
    fk.eventfd_calls++;
    if (fk.cfg.eventfd_fail_at && fk.eventfd_calls == (unsigned)fk.cfg.eventfd_fail_at) {
        rc = fk_err(EMFILE);
    } else {
        rc = eventfd(initval, flags);
        if (rc >= 0)
            fk_add_fd(rc, FK_EVENTFD);
    }
    pthread_mutex_unlock(&fk_lock);
    return rc;
}

static int fk_timerfd_create(int clockid, int flags)
{
    pthread_mutex_lock(&fk_lock);
    int rc = timerfd_create(clockid, flags);
    if (rc >= 0)
        fk_add_fd(rc, FK_TIMERFD);
    pthread_mutex_unlock(&fk_lock);
    return rc;
}

static int fk_timerfd_settime(int fd, int flags, const struct itimerspec *value, struct itimerspec *old)
{
    pthread_mutex_lock(&fk_lock);
    int kind = fk_kind_of(fd);
    pthread_mutex_unlock(&fk_lock);
    if (kind != FK_TIMERFD) {
        fk_violation("timerfd_settime on fd %d of kind %d", fd, kind);
        return fk_err(EBADF);
    }
    return timerfd_settime(fd, flags, value, old);
}

/* ---- memory ---- */

static void *fk_add_map(void *p, size_t len, enum fk_map_kind kind, uint64_t phys)
{
    if (fk.nmaps == FK_MAX_MAPS) {
        fk_violation("too many mappings");
        return MAP_FAILED;
    }
    fk.maps[fk.nmaps].p = p;
    fk.maps[fk.nmaps].len = len;
    fk.maps[fk.nmaps].kind = kind;
    fk.maps[fk.nmaps].phys = phys;
    fk.nmaps++;
    return p;
}

static void *fk_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
    (void)addr;
    (void)prot;
    pthread_mutex_lock(&fk_lock);
    void *rc = MAP_FAILED;
    if (fd >= 0) {
        if (fk_kind_of(fd) != FK_DEVICE) {
            fk_violation("mmap of fd %d that is not a device", fd);
            errno = EINVAL;
        } else if (off != 0 || len > fk.cfg.bar_size || !(flags & MAP_SHARED)) {
            errno = EINVAL;
        } else if (fk.cfg.bar_mmap_errno) {
            errno = fk.cfg.bar_mmap_errno;
        } else {
            rc = fk_add_map(fk.bar, len, FK_MAP_BAR, 0);
        }
    } else if (flags & MAP_HUGETLB) {
        size_t pages = len / FK_HUGE;
        if (len % FK_HUGE) {
            errno = EINVAL;
        } else if (fk.hugepages_used + pages > fk.cfg.hugepages) {
            errno = ENOMEM;
        } else {
            void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            if (p != MAP_FAILED) {
                rc = fk_add_map(p, len, FK_MAP_HUGE, fk.cfg.huge_phys_base + fk.hugepages_used * FK_HUGE);
                fk.hugepages_used += (unsigned)pages;
            }
        }
    } else {
        void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p != MAP_FAILED)
            rc = fk_add_map(p, len, FK_MAP_ANON, 0);
    }
    pthread_mutex_unlock(&fk_lock);
    return rc;
}

static int fk_munmap(void *p, size_t len)
{
    pthread_mutex_lock(&fk_lock);
    int rc = 0;
    unsigned i;
    for (i = 0; i < fk.nmaps && !(fk.maps[i].p == p && fk.maps[i].len == len); i++)
        ;
    if (i == fk.nmaps || fk.maps[i].kind == FK_MAP_PCIACCESS_BAR) {
        fk_violation("munmap(%p, 0x%zx) matches no mapping", p, len);
        rc = fk_err(EINVAL);
    } else {
        if (fk.maps[i].kind == FK_MAP_BAR) {
            fk.seq_bar_unmap = ++fk.seq;
        } else {
            if (fk.maps[i].kind == FK_MAP_ANON) {
                uint64_t a = (uint64_t)(uintptr_t)p;
                for (unsigned d = 0; d < fk.ndma; d++)
                    if (fk.dma[d].vaddr >= a && fk.dma[d].vaddr < a + len)
                        fk_violation("host memory unmapped while the IOMMU still maps it");
            }
            fk.seq_host_munmap = ++fk.seq;
            munmap(p, len);
        }
        fk.maps[i] = fk.maps[--fk.nmaps];
    }
    pthread_mutex_unlock(&fk_lock);
    return rc;
}

static int fk_mlock(const void *p, size_t len)
{
    (void)p;
    (void)len;
    return 0;
}

/* ---- libpciaccess ---- */

static int fk_pci_system_init(void)
{
    pthread_mutex_lock(&fk_lock);
    int rc = fk.cfg.system_init_errno;
    if (rc == 0) {
        if (fk.system_refs != 0)
            fk_violation("pci_system_init called twice");
        fk.system_refs++;
    }
    pthread_mutex_unlock(&fk_lock);
    return rc;
}

static void fk_pci_system_cleanup(void)
{
    pthread_mutex_lock(&fk_lock);
    if (fk.system_refs != 1)
        fk_violation("pci_system_cleanup without init");
    fk.system_refs--;
    for (unsigned i = 0; i < fk.nmaps; i++)
        if (fk.maps[i].kind == FK_MAP_PCIACCESS_BAR)
            fk_violation("pci_system_cleanup with a map_range mapping left (libpciaccess leaks it)");
    pthread_mutex_unlock(&fk_lock);
}

static struct pci_device_iterator *fk_iter_new(const struct pci_id_match *id, const struct pci_slot_match *slot)
{
    struct fk_iter *it = calloc(1, sizeof(*it));
    if (!it)
        return NULL;
    if (id)
        it->id = *id;
    if (slot) {
        it->by_slot = true;
        it->slot = *slot;
    }
    pthread_mutex_lock(&fk_lock);
    fk.iterators++;
    pthread_mutex_unlock(&fk_lock);
    return (struct pci_device_iterator *)(void *)it;
}

static struct pci_device_iterator *fk_id_iter(const struct pci_id_match *m)
{
    return fk_iter_new(m, NULL);
}

static struct pci_device_iterator *fk_slot_iter(const struct pci_slot_match *m)
{
    return fk_iter_new(NULL, m);
}

static bool fk_match(uint32_t want, uint32_t have)
{
    return want == PCI_MATCH_ANY || want == have;
}

static struct pci_device *fk_next(struct pci_device_iterator *iter)
{
    struct fk_iter *it = (struct fk_iter *)(void *)iter;
    while (it->pos < 3) {
        struct pci_device *d = &fk.devs[it->pos++].dev;
        if (it->by_slot) {
            if (fk_match(it->slot.domain, d->domain) && fk_match(it->slot.bus, d->bus) &&
                fk_match(it->slot.dev, d->dev) && fk_match(it->slot.func, d->func))
                return d;
        } else if ((d->device_class & it->id.device_class_mask) == it->id.device_class &&
                   fk_match(it->id.vendor_id, d->vendor_id) && fk_match(it->id.device_id, d->device_id)) {
            return d;
        }
    }
    return NULL;
}

static void fk_iter_destroy(struct pci_device_iterator *iter)
{
    pthread_mutex_lock(&fk_lock);
    fk.iterators--;
    pthread_mutex_unlock(&fk_lock);
    free(iter);
}

static int fk_probe(struct pci_device *d)
{
    if (fk.cfg.probe_errno)
        return fk.cfg.probe_errno;
    if (d == &fk.devs[0].dev) {
        d->regions[0].base_addr = FK_BAR_PHYS;
        d->regions[0].size = fk.cfg.bar_size;
        d->regions[0].is_IO = 0;
    }
    return 0;
}

static int fk_map_range(struct pci_device *d, pciaddr_t base, pciaddr_t size, unsigned flags, void **addr)
{
    pthread_mutex_lock(&fk_lock);
    int rc = 0;
    if (d != &fk.devs[0].dev || base != FK_BAR_PHYS || size > fk.cfg.bar_size)
        rc = E2BIG;
    else if (!(flags & PCI_DEV_MAP_FLAG_WRITABLE))
        fk_violation("BAR mapped read-only");
    if (rc == 0 && fk.cfg.map_range_errno)
        rc = fk.cfg.map_range_errno;
    if (rc == 0) {
        *addr = fk_add_map(fk.bar, (size_t)size, FK_MAP_PCIACCESS_BAR, 0);
    }
    pthread_mutex_unlock(&fk_lock);
    return rc;
}

static int fk_unmap_range(struct pci_device *d, void *p, pciaddr_t size)
{
    (void)d;
    pthread_mutex_lock(&fk_lock);
    int rc = ENOENT;
    for (unsigned i = 0; i < fk.nmaps; i++) {
        if (fk.maps[i].kind == FK_MAP_PCIACCESS_BAR && fk.maps[i].p == p && fk.maps[i].len == size) {
            fk.maps[i] = fk.maps[--fk.nmaps];
            fk.seq_bar_unmap = ++fk.seq;
            rc = 0;
            break;
        }
    }
    if (rc)
        fk_violation("pci_device_unmap_range matches no mapping");
    pthread_mutex_unlock(&fk_lock);
    return rc;
}

static const struct hdabdl_pci_sys fk_sys = {
    .open = fk_open,
    .close = fk_close,
    .ioctl = fk_ioctl,
    .pread = fk_pread,
    .pwrite = fk_pwrite,
    .read = fk_read,
    .write = fk_write,
    .readlink = fk_readlink,
    .find_entry = fk_find_entry,
    .poll = fk_poll,
    .eventfd = fk_eventfd,
    .timerfd_create = fk_timerfd_create,
    .timerfd_settime = fk_timerfd_settime,
    .mmap = fk_mmap,
    .munmap = fk_munmap,
    .mlock = fk_mlock,
    .pci_system_init = fk_pci_system_init,
    .pci_system_cleanup = fk_pci_system_cleanup,
    .pci_id_match_iterator_create = fk_id_iter,
    .pci_slot_match_iterator_create = fk_slot_iter,
    .pci_device_next = fk_next,
    .pci_iterator_destroy = fk_iter_destroy,
    .pci_device_probe = fk_probe,
    .pci_device_map_range = fk_map_range,
    .pci_device_unmap_range = fk_unmap_range,
};

/* ---- set-up ---- */

static const char *fk_nic_driver = "e1000";
static const int fk_nic_group = 1;
static const int fk_hda2_group = 9;

static void fk_bar_put16(unsigned off, uint16_t v)
{
    memcpy(fk.bar + off, &v, 2);
}

static FK_UNUSED void fk_bar_put32(unsigned off, uint32_t v)
{
    memcpy(fk.bar + off, &v, 4);
}

static FK_UNUSED uint32_t fk_bar_get32(unsigned off)
{
    uint32_t v;
    memcpy(&v, fk.bar + off, 4);
    return v;
}

/** Defaults: QEMU's ich9-intel-hda bound to vfio-pci in group 3, the guest's IOVA ranges. */
static FK_UNUSED void fk_reset(void)
{
    free(fk.bar);
    memset(&fk, 0, sizeof(fk));
    struct fk_config *c = &fk.cfg;
    c->driver = "vfio-pci";
    c->iommu_group = FK_GROUP;
    c->hda2_driver = "snd_hda_intel";
    c->api_version = VFIO_API_VERSION;
    c->ranges[0] = (struct fk_range){0x0, 0xfedfffff};
    c->ranges[1] = (struct fk_range){0xfef00000, UINT64_C(0x7fffffffff)};
    c->nranges = 2;
    c->pgsizes = 0x40201000;
    c->dma_avail = 65535;
    c->bar_size = 0x4000;
    c->bar_flags = VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE | VFIO_REGION_INFO_FLAG_MMAP;
    c->msi_count = 1;
    c->intx_count = 1;
    c->gcap = 0x4401;
    c->interrupt_pin = 1;
    c->hugepages = 4;
    c->huge_phys_base = UINT64_C(0x40000000);
    fk.irq_active = -1;
    fk.irq_eventfd = -1;

    fk.bar = aligned_alloc(4096, FK_BAR_ALLOC);
    memset(fk.bar, 0, FK_BAR_ALLOC);

    /* config space: IDs, COMMAND as vfio leaves it (memory on, master off) */
    fk_cfg_put16(0x00, 0x8086);
    fk_cfg_put16(0x02, 0x293e);
    fk_cfg_put16(0x04, 0x0103);
    fk.cfg_space[0x08] = 0x03;
    fk.cfg_space[0x0B] = 0x04;
    fk.cfg_space[0x0A] = 0x03;
    fk_cfg_put16(0x2C, 0x1af4);
    fk_cfg_put16(0x2E, 0x1100);

    struct pci_device *d = &fk.devs[0].dev;
    d->domain = 0;
    d->bus = 0;
    d->dev = 0x1b;
    d->func = 0;
    d->vendor_id = 0x8086;
    d->device_id = 0x293e;
    d->subvendor_id = 0x1af4;
    d->subdevice_id = 0x1100;
    d->device_class = 0x040300;
    d->revision = 3;
    fk.devs[0].bdf = FK_BDF;
    fk.devs[0].driver = &fk.cfg.driver;
    fk.devs[0].group = &fk.cfg.iommu_group;

    d = &fk.devs[1].dev;
    d->bus = 0;
    d->dev = 2;
    d->vendor_id = 0x8086;
    d->device_id = 0x100e;
    d->device_class = 0x020000;
    fk.devs[1].bdf = FK_BDF_NIC;
    fk.devs[1].driver = &fk_nic_driver;
    fk.devs[1].group = &fk_nic_group;

    d = &fk.devs[2].dev;
    d->bus = 0;
    d->dev = 0x1f;
    d->func = 3;
    d->vendor_id = 0x8086;
    d->device_id = 0xa348;
    d->subvendor_id = 0x17aa;
    d->subdevice_id = 0x2233;
    d->device_class = 0x040380;
    d->revision = 0x10;
    fk.devs[2].bdf = FK_BDF_HDA2;
    fk.devs[2].driver = &fk.cfg.hda2_driver;
    fk.devs[2].group = &fk_hda2_group;
}

/** After fk_reset and config edits: the BAR's reset values (GCAP from the config). */
static FK_UNUSED void fk_start(void)
{
    fk_bar_put16(0x00, fk.cfg.gcap);
    fk.bar[0x02] = 0x00;
    fk.bar[0x03] = 0x01;
    fk_bar_put16(0x04, 0x003C);
    fk_bar_put16(0x06, 0x001D);
    fk_bar_put16(0x0E, 0x0001);     /* codec 0 */
    fk.bar[0x4E] = 0x42;
    fk.bar[0x5E] = 0x42;
    for (unsigned i = 0; i < 16; i++)   /* SDnFIFOS: 256 bytes */
        fk_bar_put16(0x80 + 0x20 * i + 0x10, 0x00FF);
    fk.cfg_space[0x3D] = fk.cfg.interrupt_pin;
    hdabdl__pci_sys_set(&fk_sys);
}

/** Nothing open, mapped, referenced or enabled; no protocol violation. */
#define FK_ASSERT_CLEAN()                                                             \
    do {                                                                              \
        assert_int_equal(fk.errors, 0);                                               \
        assert_int_equal(fk.nfds, 0);                                                 \
        assert_int_equal(fk.nmaps, 0);                                                \
        assert_int_equal(fk.ndma, 0);                                                 \
        assert_int_equal(fk.system_refs, 0);                                          \
        assert_int_equal(fk.iterators, 0);                                            \
        assert_int_equal(fk.irq_active, -1);                                          \
        assert_int_equal(fk_command() & 0x4, 0);                                      \
    } while (0)

static FK_UNUSED void fk_finish(void)
{
    hdabdl__pci_sys_set(NULL);
    free(fk.bar);
    fk.bar = NULL;
}

/** Raise the interrupt the backend enabled (vfio eventfd or /dev/uio0). */
static FK_UNUSED void fk_raise_irq(void)
{
    pthread_mutex_lock(&fk_lock);
    int fd = fk.irq_eventfd;
    for (unsigned i = 0; fd < 0 && i < fk.nfds; i++)
        if (fk.fds[i].kind == FK_UIO)
            fd = fk.fds[i].fd;
    pthread_mutex_unlock(&fk_lock);
    uint64_t one = 1;
    if (fd < 0 || write(fd, &one, sizeof(one)) != (ssize_t)sizeof(one))
        fk_violation("no interrupt to raise");
}

/** A counter of the fake read under its lock (the service thread changes them). */
static FK_UNUSED unsigned fk_locked_read(const unsigned *counter)
{
    pthread_mutex_lock(&fk_lock);
    unsigned v = *counter;
    pthread_mutex_unlock(&fk_lock);
    return v;
}

/** Wait (up to 2 s) until *@counter reaches @want. */
static FK_UNUSED bool fk_wait_for(const _Atomic unsigned *counter, unsigned want)
{
    for (int i = 0; i < 2000; i++) {
        if (*counter >= want)
            return true;
        struct timespec ts = {0, 1000000};
        nanosleep(&ts, NULL);
    }
    return *counter >= want;
}

#endif /* TEST_PCIACCESS_FAKE_H */
