/* SPDX-License-Identifier: MIT */
/*
 * pci_range.h - a first-fit allocator over a set of address ranges (IOVA
 * space under vfio, physical hugepage chunks under uio), and the parser of
 * the capability chain of VFIO_IOMMU_GET_INFO. Pure code, no system calls.
 */
#ifndef HDABDL_PCI_RANGE_H
#define HDABDL_PCI_RANGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** [start, last], both inclusive (so a range may end at UINT64_MAX). */
struct hdabdl__range {
    uint64_t start;
    uint64_t last;
};

/** Free address space: sorted, disjoint, non-adjacent ranges. */
struct hdabdl__ranges {
    struct hdabdl__range *free;
    size_t count;
    size_t capacity;
};

/**
 * Build the free set from @n ranges in any order (overlapping or adjacent
 * ones are merged), each clipped to [@floor, @max]. Returns the number of
 * ranges kept (0 if nothing is left), or -ENOMEM / -EINVAL (a range with
 * start > last).
 */
int hdabdl__ranges_init(struct hdabdl__ranges *r, const struct hdabdl__range *src, size_t n,
                        uint64_t floor, uint64_t max);

/**
 * The lowest @align-aligned block of @size bytes that is free and ends at or
 * below @max (inclusive). @size > 0, @align a power of two. 0, -ENOMEM when no
 * such block, -EINVAL for bad arguments.
 */
int hdabdl__ranges_alloc(struct hdabdl__ranges *r, uint64_t size, uint64_t align, uint64_t max,
                         uint64_t *out);

/**
 * Give back [@start, @start + @size): merged with its neighbours. -EINVAL if
 * any of it is already free (double free), -ENOMEM if the set cannot grow
 * (the space is then lost, not corrupted).
 */
int hdabdl__ranges_free(struct hdabdl__ranges *r, uint64_t start, uint64_t size);

/** Add a new range of free space (uio: a new chunk); same as free. */
int hdabdl__ranges_add(struct hdabdl__ranges *r, uint64_t start, uint64_t size);

/** Bytes free. */
uint64_t hdabdl__ranges_total(const struct hdabdl__ranges *r);

void hdabdl__ranges_clear(struct hdabdl__ranges *r);

/* ---- VFIO_IOMMU_GET_INFO ------------------------------------------------------- */

#define HDABDL__IOVA_MAX_RANGES 64

struct hdabdl__iommu_info {
    uint64_t pgsizes;            /**< iova_pgsizes (0 if the kernel did not say) */
    bool has_ranges;             /**< a CAP_IOVA_RANGE was present */
    size_t nranges;
    struct hdabdl__range ranges[HDABDL__IOVA_MAX_RANGES];
    bool has_dma_avail;
    uint32_t dma_avail;
};

/**
 * Parse a struct vfio_iommu_type1_info of @size bytes (what the second
 * GET_INFO returned). Rejects with -EPROTO: a chain that loops or goes
 * backwards, a capability outside the buffer or before the fixed part, more
 * than 64 capabilities, an IOVA capability with 0 or too many ranges, or a
 * range with start > end. Unknown capabilities are skipped.
 */
int hdabdl__vfio_parse_iommu_info(const void *buf, size_t size, struct hdabdl__iommu_info *out);

#endif /* HDABDL_PCI_RANGE_H */
