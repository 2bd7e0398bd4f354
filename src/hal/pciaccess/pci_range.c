/* SPDX-License-Identifier: MIT */
/*
 * pci_range.c - first-fit range allocator and the VFIO_IOMMU_GET_INFO parser.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/vfio.h>

#include "pci_range.h"

static int ranges_reserve(struct hdabdl__ranges *r, size_t want)
{
    if (want <= r->capacity)
        return 0;
    size_t capacity = r->capacity ? r->capacity * 2 : 8;
    while (capacity < want)
        capacity *= 2;
    struct hdabdl__range *p = realloc(r->free, capacity * sizeof(*p));
    if (!p)
        return -ENOMEM;
    r->free = p;
    r->capacity = capacity;
    return 0;
}

static int range_cmp(const void *a, const void *b)
{
    const struct hdabdl__range *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start ? 1 : 0;
}

int hdabdl__ranges_init(struct hdabdl__ranges *r, const struct hdabdl__range *src, size_t n,
                        uint64_t floor, uint64_t max)
{
    memset(r, 0, sizeof(*r));
    if (n == 0)
        return 0;
    if (ranges_reserve(r, n) != 0)
        return -ENOMEM;
    for (size_t i = 0; i < n; i++) {
        struct hdabdl__range c = src[i];
        if (c.start > c.last) {
            hdabdl__ranges_clear(r);
            return -EINVAL;
        }
        if (c.last < floor || c.start > max)
            continue;
        if (c.start < floor)
            c.start = floor;
        if (c.last > max)
            c.last = max;
        r->free[r->count++] = c;
    }
    qsort(r->free, r->count, sizeof(*r->free), range_cmp);
    size_t out = 0;
    for (size_t i = 0; i < r->count; i++) {
        struct hdabdl__range *prev = out ? &r->free[out - 1] : NULL;
        if (prev && (prev->last == UINT64_MAX || r->free[i].start <= prev->last + 1)) {
            if (r->free[i].last > prev->last)
                prev->last = r->free[i].last;
        } else {
            r->free[out++] = r->free[i];
        }
    }
    r->count = out;
    return (int)out;
}

int hdabdl__ranges_alloc(struct hdabdl__ranges *r, uint64_t size, uint64_t align, uint64_t max,
                         uint64_t *out)
{
    if (size == 0 || align == 0 || (align & (align - 1)) != 0)
        return -EINVAL;
    for (size_t i = 0; i < r->count; i++) {
        struct hdabdl__range f = r->free[i];
        if (f.start > max)
            break;
        uint64_t start = (f.start + align - 1) & ~(align - 1);
        if (start < f.start)
            continue;                       /* wrapped */
        uint64_t last = start + (size - 1);
        if (last < start || last > f.last || last > max)
            continue;
        bool left = start > f.start, right = last < f.last;
        if (left && right) {
            if (ranges_reserve(r, r->count + 1) != 0)
                return -ENOMEM;
            memmove(&r->free[i + 2], &r->free[i + 1], (r->count - i - 1) * sizeof(*r->free));
            r->count++;
            r->free[i] = (struct hdabdl__range){f.start, start - 1};
            r->free[i + 1] = (struct hdabdl__range){last + 1, f.last};
        } else if (left) {
            r->free[i].last = start - 1;
        } else if (right) {
            r->free[i].start = last + 1;
        } else {
            memmove(&r->free[i], &r->free[i + 1], (r->count - i - 1) * sizeof(*r->free));
            r->count--;
        }
        *out = start;
        return 0;
    }
    return -ENOMEM;
}

int hdabdl__ranges_free(struct hdabdl__ranges *r, uint64_t start, uint64_t size)
{
    if (size == 0)
        return 0;
    uint64_t last = start + (size - 1);
    if (last < start)
        return -EINVAL;
    size_t pos = 0;     /* first free range starting above @start */
    while (pos < r->count && r->free[pos].start <= start)
        pos++;
    struct hdabdl__range *prev = pos ? &r->free[pos - 1] : NULL;
    struct hdabdl__range *next = pos < r->count ? &r->free[pos] : NULL;
    if ((prev && prev->last >= start) || (next && next->start <= last))
        return -EINVAL;
    bool join_prev = prev && prev->last + 1 == start;
    bool join_next = next && last + 1 == next->start;
    if (join_prev && join_next) {
        prev->last = next->last;
        memmove(&r->free[pos], &r->free[pos + 1], (r->count - pos - 1) * sizeof(*r->free));
        r->count--;
    } else if (join_prev) {
        prev->last = last;
    } else if (join_next) {
        next->start = start;
    } else {
        if (ranges_reserve(r, r->count + 1) != 0)
            return -ENOMEM;
        memmove(&r->free[pos + 1], &r->free[pos], (r->count - pos) * sizeof(*r->free));
        r->free[pos] = (struct hdabdl__range){start, last};
        r->count++;
    }
    return 0;
}

int hdabdl__ranges_add(struct hdabdl__ranges *r, uint64_t start, uint64_t size)
{
    return hdabdl__ranges_free(r, start, size);
}

uint64_t hdabdl__ranges_total(const struct hdabdl__ranges *r)
{
    uint64_t total = 0;
    for (size_t i = 0; i < r->count; i++)
        total += r->free[i].last - r->free[i].start + 1;
    return total;
}

void hdabdl__ranges_clear(struct hdabdl__ranges *r)
{
    free(r->free);
    memset(r, 0, sizeof(*r));
}

/* ---- VFIO_IOMMU_GET_INFO ------------------------------------------------------------ */

#define MAX_CAPS 64

int hdabdl__vfio_parse_iommu_info(const void *buf, size_t size, struct hdabdl__iommu_info *out)
{
    const uint8_t *p = buf;
    struct vfio_iommu_type1_info info;

    memset(out, 0, sizeof(*out));
    if (!buf || size < offsetof(struct vfio_iommu_type1_info, cap_offset))
        return -EPROTO;
    memset(&info, 0, sizeof(info));
    memcpy(&info, p, size < sizeof(info) ? size : sizeof(info));
    if (info.flags & VFIO_IOMMU_INFO_PGSIZES)
        out->pgsizes = info.iova_pgsizes;
    if (!(info.flags & VFIO_IOMMU_INFO_CAPS) || size < sizeof(info) || info.cap_offset == 0)
        return 0;

    size_t off = info.cap_offset, prev = 0;
    for (unsigned n = 0; off != 0; n++) {
        struct vfio_info_cap_header h;
        if (n >= MAX_CAPS || off < sizeof(info) || off <= prev || off % 4 != 0 ||
            off > size || size - off < sizeof(h))
            return -EPROTO;
        memcpy(&h, p + off, sizeof(h));
        if (h.id == VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE) {
            struct vfio_iommu_type1_info_cap_iova_range cap;
            if (out->has_ranges || size - off < sizeof(cap))
                return -EPROTO;
            memcpy(&cap, p + off, sizeof(cap));
            if (cap.nr_iovas == 0 || cap.nr_iovas > HDABDL__IOVA_MAX_RANGES ||
                (size - off - sizeof(cap)) / sizeof(struct vfio_iova_range) < cap.nr_iovas)
                return -EPROTO;
            for (uint32_t i = 0; i < cap.nr_iovas; i++) {
                struct vfio_iova_range range;
                memcpy(&range, p + off + sizeof(cap) + i * sizeof(range), sizeof(range));
                if (range.start > range.end)
                    return -EPROTO;
                out->ranges[i] = (struct hdabdl__range){range.start, range.end};
            }
            out->nranges = cap.nr_iovas;
            out->has_ranges = true;
        } else if (h.id == VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL) {
            struct vfio_iommu_type1_info_dma_avail cap;
            if (size - off < sizeof(cap))
                return -EPROTO;
            memcpy(&cap, p + off, sizeof(cap));
            out->has_dma_avail = true;
            out->dma_avail = cap.avail;
        }
        prev = off;
        off = h.next;
    }
    return 0;
}
