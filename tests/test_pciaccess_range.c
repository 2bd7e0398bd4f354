/* SPDX-License-Identifier: MIT */
/*
 * test_pciaccess_range.c - the pure parts of the pciaccess backend: the
 * range allocator (IOVA and physical space: ranges with holes, clipping to
 * the floor and to 4 GiB, alignment, exhaustion, coalescing, double free)
 * and the VFIO_IOMMU_GET_INFO capability-chain parser, fuzzed too.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>

#include <cmocka.h>

#include <linux/vfio.h>

#include "hal/pciaccess/pci_range.h"

#define R(a, b) ((struct hdabdl__range){(a), (b)})

static void test_init_clips_sorts_merges(void **state)
{
    (void)state;
    struct hdabdl__ranges r;
    const struct hdabdl__range src[] = {
        R(0xfef00000, UINT64_C(0x7fffffffff)), R(0x0, 0xfedfffff), R(0x1000, 0x2000), /* overlap */
    };
    assert_int_equal(hdabdl__ranges_init(&r, src, 3, 0x10000, UINT32_MAX), 2);
    assert_true(r.free[0].start == 0x10000 && r.free[0].last == 0xfedfffff);
    assert_true(r.free[1].start == 0xfef00000 && r.free[1].last == 0xffffffff);
    assert_true(hdabdl__ranges_total(&r) == (0xfedfffffu - 0x10000u + 1) + (0xffffffffu - 0xfef00000u + 1));
    hdabdl__ranges_clear(&r);

    /* adjacent ranges merge; ranges wholly outside go */
    const struct hdabdl__range adj[] = {R(0x20000, 0x2ffff), R(0x10000, 0x1ffff), R(0x0, 0xfff),
                                        R(UINT64_C(0x200000000), UINT64_C(0x2ffffffff))};
    assert_int_equal(hdabdl__ranges_init(&r, adj, 4, 0x10000, UINT32_MAX), 1);
    assert_true(r.free[0].start == 0x10000 && r.free[0].last == 0x2ffff);
    hdabdl__ranges_clear(&r);

    /* nothing left */
    assert_int_equal(hdabdl__ranges_init(&r, adj + 2, 2, 0x10000, UINT32_MAX), 0);
    hdabdl__ranges_clear(&r);
    /* a bad range */
    const struct hdabdl__range bad[] = {R(0x2000, 0x1000)};
    assert_int_equal(hdabdl__ranges_init(&r, bad, 1, 0, UINT64_MAX), -EINVAL);
    /* the full 64-bit space */
    const struct hdabdl__range all[] = {R(0, UINT64_MAX), R(5, 6)};
    assert_int_equal(hdabdl__ranges_init(&r, all, 2, 0x10000, UINT64_MAX), 1);
    assert_true(r.free[0].last == UINT64_MAX);
    uint64_t a;
    assert_int_equal(hdabdl__ranges_alloc(&r, 0x1000, 0x1000, UINT64_MAX, &a), 0);
    assert_true(a == 0x10000);
    hdabdl__ranges_clear(&r);
}

static void test_alloc_first_fit_holes_alignment(void **state)
{
    (void)state;
    struct hdabdl__ranges r;
    const struct hdabdl__range src[] = {R(0x10000, 0x1ffff), R(0x30000, 0xfffff)};
    assert_int_equal(hdabdl__ranges_init(&r, src, 2, 0, UINT64_MAX), 2);
    uint64_t a, b, c, d;
    assert_int_equal(hdabdl__ranges_alloc(&r, 0x1000, 0x1000, UINT64_MAX, &a), 0);
    assert_true(a == 0x10000);
    assert_int_equal(hdabdl__ranges_alloc(&r, 0x10000, 0x1000, UINT64_MAX, &b), 0);   /* skips the hole */
    assert_true(b == 0x30000);
    assert_int_equal(hdabdl__ranges_alloc(&r, 0x1000, 0x8000, UINT64_MAX, &c), 0);    /* aligned, splits */
    assert_true(c == 0x18000);
    assert_int_equal(r.count, 3);   /* [0x11000,0x17fff] [0x19000,0x1ffff] [0x40000,...] */
    assert_int_equal(hdabdl__ranges_alloc(&r, 0x1000, 0x1000, 0x10fff, &d), -ENOMEM);  /* limit */
    assert_int_equal(hdabdl__ranges_alloc(&r, 0x1000, 0x1000, 0x11fff, &d), 0);
    assert_true(d == 0x11000);
    assert_int_equal(hdabdl__ranges_alloc(&r, 0, 0x1000, UINT64_MAX, &d), -EINVAL);
    assert_int_equal(hdabdl__ranges_alloc(&r, 0x1000, 0x1001, UINT64_MAX, &d), -EINVAL);
    assert_int_equal(hdabdl__ranges_alloc(&r, 0x1000, 0, UINT64_MAX, &d), -EINVAL);
    assert_int_equal(hdabdl__ranges_alloc(&r, UINT64_MAX, 0x1000, UINT64_MAX, &d), -ENOMEM);
    hdabdl__ranges_clear(&r);
}

static void test_exhaustion_and_coalescing(void **state)
{
    (void)state;
    struct hdabdl__ranges r;
    const struct hdabdl__range src[] = {R(0x10000, 0x13fff)};
    assert_int_equal(hdabdl__ranges_init(&r, src, 1, 0, UINT64_MAX), 1);
    uint64_t p[4], x;
    for (int i = 0; i < 4; i++) {
        assert_int_equal(hdabdl__ranges_alloc(&r, 0x1000, 0x1000, UINT64_MAX, &p[i]), 0);
        assert_true(p[i] == 0x10000u + 0x1000u * (unsigned)i);
    }
    assert_int_equal(r.count, 0);
    assert_int_equal(hdabdl__ranges_alloc(&r, 0x1000, 0x1000, UINT64_MAX, &x), -ENOMEM);
    assert_int_equal(hdabdl__ranges_free(&r, p[1], 0x1000), 0);
    assert_int_equal(hdabdl__ranges_free(&r, p[3], 0x1000), 0);
    assert_int_equal(r.count, 2);
    assert_int_equal(hdabdl__ranges_alloc(&r, 0x2000, 0x1000, UINT64_MAX, &x), -ENOMEM);   /* fragmented */
    assert_int_equal(hdabdl__ranges_free(&r, p[2], 0x1000), 0);   /* joins both neighbours */
    assert_int_equal(r.count, 1);
    assert_int_equal(hdabdl__ranges_alloc(&r, 0x3000, 0x1000, UINT64_MAX, &x), 0);
    assert_true(x == 0x11000);
    assert_int_equal(hdabdl__ranges_free(&r, x, 0x3000), 0);
    assert_int_equal(hdabdl__ranges_free(&r, p[0], 0x1000), 0);
    assert_int_equal(r.count, 1);
    assert_true(r.free[0].start == 0x10000 && r.free[0].last == 0x13fff);
    /* double free and overlapping free are refused */
    assert_int_equal(hdabdl__ranges_free(&r, 0x11000, 0x1000), -EINVAL);
    assert_int_equal(hdabdl__ranges_free(&r, 0xf000, 0x2000), -EINVAL);
    assert_int_equal(hdabdl__ranges_free(&r, 0x13000, 0x2000), -EINVAL);
    assert_int_equal(hdabdl__ranges_free(&r, 0x20000, 0), 0);
    /* a new separate range (uio chunk) */
    assert_int_equal(hdabdl__ranges_add(&r, 0x40000000, 0x200000), 0);
    assert_int_equal(r.count, 2);
    assert_true(hdabdl__ranges_total(&r) == 0x4000 + 0x200000);
    hdabdl__ranges_clear(&r);
}

/* Random allocations and frees: blocks never overlap, everything comes back. */
static void test_random_alloc_free(void **state)
{
    (void)state;
    struct hdabdl__ranges r;
    const struct hdabdl__range src[] = {R(0x10000, 0xfffff), R(0x200000, 0x2fffff)};
    assert_int_equal(hdabdl__ranges_init(&r, src, 2, 0, UINT64_MAX), 2);
    uint64_t total = hdabdl__ranges_total(&r);
    struct { uint64_t a, n; } live[64];
    unsigned nlive = 0;
    srand(1234);
    for (int step = 0; step < 4000; step++) {
        if (nlive < 64 && (rand() % 3 != 0 || nlive == 0)) {
            uint64_t n = (uint64_t)(rand() % 16 + 1) * 0x1000;
            uint64_t align = (uint64_t)0x1000 << (rand() % 4);
            uint64_t a;
            if (hdabdl__ranges_alloc(&r, n, align, UINT64_MAX, &a) == 0) {
                assert_int_equal(a % align, 0);
                for (unsigned i = 0; i < nlive; i++)
                    assert_true(a + n <= live[i].a || live[i].a + live[i].n <= a);
                live[nlive].a = a;
                live[nlive].n = n;
                nlive++;
            }
        } else {
            unsigned i = (unsigned)rand() % nlive;
            assert_int_equal(hdabdl__ranges_free(&r, live[i].a, live[i].n), 0);
            live[i] = live[--nlive];
        }
    }
    for (; nlive > 0; nlive--)
        assert_int_equal(hdabdl__ranges_free(&r, live[nlive - 1].a, live[nlive - 1].n), 0);
    assert_true(hdabdl__ranges_total(&r) == total);
    assert_int_equal(r.count, 2);
    hdabdl__ranges_clear(&r);
}

/* ---- GET_INFO parser ---- */

struct blob {
    uint8_t b[512];
    size_t len;
};

static void blob_info(struct blob *bl, uint32_t flags, uint64_t pgsizes, uint32_t cap_offset)
{
    memset(bl, 0, sizeof(*bl));
    struct vfio_iommu_type1_info info = {.argsz = 0, .flags = flags, .iova_pgsizes = pgsizes,
                                         .cap_offset = cap_offset};
    memcpy(bl->b, &info, sizeof(info));
    bl->len = sizeof(info);
}

static size_t blob_iova_cap(struct blob *bl, size_t off, uint32_t next, uint32_t nr, unsigned actual,
                            const struct vfio_iova_range *ranges)
{
    struct vfio_iommu_type1_info_cap_iova_range cap;
    memset(&cap, 0, sizeof(cap));
    cap.header.id = VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE;
    cap.header.version = 1;
    cap.header.next = next;
    cap.nr_iovas = nr;
    memcpy(bl->b + off, &cap, sizeof(cap));
    memcpy(bl->b + off + sizeof(cap), ranges, actual * sizeof(*ranges));
    size_t end = off + sizeof(cap) + actual * sizeof(*ranges);
    if (end > bl->len)
        bl->len = end;
    return end;
}

static size_t blob_avail_cap(struct blob *bl, size_t off, uint32_t next, uint32_t avail)
{
    struct vfio_iommu_type1_info_dma_avail cap;
    memset(&cap, 0, sizeof(cap));
    cap.header.id = VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL;
    cap.header.version = 1;
    cap.header.next = next;
    cap.avail = avail;
    memcpy(bl->b + off, &cap, sizeof(cap));
    size_t end = off + sizeof(cap);
    if (end > bl->len)
        bl->len = end;
    return end;
}

static const struct vfio_iova_range qemu_ranges[] = {{0x0, 0xfedfffff}, {0xfef00000, 0x7fffffffffULL}};

static void test_parse_qemu_answer(void **state)
{
    (void)state;
    struct blob bl;
    struct hdabdl__iommu_info info;
    blob_info(&bl, VFIO_IOMMU_INFO_PGSIZES | VFIO_IOMMU_INFO_CAPS, 0x40201000, 24);
    /* IOVA ranges at 24 (16 + 32 bytes), then an unknown capability, then DMA_AVAIL */
    blob_iova_cap(&bl, 24, 72, 2, 2, qemu_ranges);
    struct vfio_info_cap_header unknown = {.id = 2, .version = 1, .next = 80};
    memcpy(bl.b + 72, &unknown, sizeof(unknown));
    bl.len = 80;
    blob_avail_cap(&bl, 80, 0, 65535);
    assert_int_equal(hdabdl__vfio_parse_iommu_info(bl.b, bl.len, &info), 0);
    assert_true(info.pgsizes == 0x40201000);
    assert_true(info.has_ranges);
    assert_int_equal(info.nranges, 2);
    assert_true(info.ranges[0].start == 0 && info.ranges[0].last == 0xfedfffff);
    assert_true(info.ranges[1].start == 0xfef00000 && info.ranges[1].last == UINT64_C(0x7fffffffff));
    assert_true(info.has_dma_avail);
    assert_int_equal(info.dma_avail, 65535);
}

static void test_parse_without_caps(void **state)
{
    (void)state;
    struct blob bl;
    struct hdabdl__iommu_info info;
    blob_info(&bl, VFIO_IOMMU_INFO_PGSIZES, 0x1000, 0);
    assert_int_equal(hdabdl__vfio_parse_iommu_info(bl.b, bl.len, &info), 0);
    assert_false(info.has_ranges);
    assert_true(info.pgsizes == 0x1000);
    /* an old kernel's short struct (no cap_offset) */
    assert_int_equal(hdabdl__vfio_parse_iommu_info(bl.b, 16, &info), 0);
    assert_int_equal(hdabdl__vfio_parse_iommu_info(bl.b, 8, &info), -EPROTO);
    assert_int_equal(hdabdl__vfio_parse_iommu_info(NULL, 24, &info), -EPROTO);
}

static void test_parse_rejects_malformed(void **state)
{
    (void)state;
    struct blob bl;
    struct hdabdl__iommu_info info;

    /* a cycle: the capability points at itself */
    blob_info(&bl, VFIO_IOMMU_INFO_CAPS, 0, 24);
    blob_iova_cap(&bl, 24, 24, 1, 1, qemu_ranges);
    assert_int_equal(hdabdl__vfio_parse_iommu_info(bl.b, bl.len, &info), -EPROTO);
    /* going backwards */
    blob_info(&bl, VFIO_IOMMU_INFO_CAPS, 0, 48);
    blob_avail_cap(&bl, 48, 24, 1);
    blob_avail_cap(&bl, 24, 48, 1);
    assert_int_equal(hdabdl__vfio_parse_iommu_info(bl.b, bl.len, &info), -EPROTO);
    /* first capability inside the fixed part */
    blob_info(&bl, VFIO_IOMMU_INFO_CAPS, 0, 8);
    bl.len = 64;
    assert_int_equal(hdabdl__vfio_parse_iommu_info(bl.b, bl.len, &info), -EPROTO);
    /* next beyond the end */
    blob_info(&bl, VFIO_IOMMU_INFO_CAPS, 0, 24);
    blob_avail_cap(&bl, 24, 4000, 1);
    assert_int_equal(hdabdl__vfio_parse_iommu_info(bl.b, bl.len, &info), -EPROTO);
    /* header cut short */
    blob_info(&bl, VFIO_IOMMU_INFO_CAPS, 0, 24);
    bl.len = 28;
    assert_int_equal(hdabdl__vfio_parse_iommu_info(bl.b, bl.len, &info), -EPROTO);
    /* misaligned offset */
    blob_info(&bl, VFIO_IOMMU_INFO_CAPS, 0, 26);
    bl.len = 64;
    assert_int_equal(hdabdl__vfio_parse_iommu_info(bl.b, bl.len, &info), -EPROTO);
    /* ranges announced but not there */
    blob_info(&bl, VFIO_IOMMU_INFO_CAPS, 0, 24);
    blob_iova_cap(&bl, 24, 0, 2, 1, qemu_ranges);
    assert_int_equal(hdabdl__vfio_parse_iommu_info(bl.b, bl.len, &info), -EPROTO);
    /* no ranges */
    blob_info(&bl, VFIO_IOMMU_INFO_CAPS, 0, 24);
    blob_iova_cap(&bl, 24, 0, 0, 0, qemu_ranges);
    assert_int_equal(hdabdl__vfio_parse_iommu_info(bl.b, bl.len, &info), -EPROTO);
    /* too many ranges */
    blob_info(&bl, VFIO_IOMMU_INFO_CAPS, 0, 24);
    blob_iova_cap(&bl, 24, 0, 1000, 0, qemu_ranges);
    assert_int_equal(hdabdl__vfio_parse_iommu_info(bl.b, bl.len, &info), -EPROTO);
    /* a range that ends before it starts */
    const struct vfio_iova_range backwards = {0x2000, 0x1000};
    blob_info(&bl, VFIO_IOMMU_INFO_CAPS, 0, 24);
    blob_iova_cap(&bl, 24, 0, 1, 1, &backwards);
    assert_int_equal(hdabdl__vfio_parse_iommu_info(bl.b, bl.len, &info), -EPROTO);
    /* two IOVA capabilities */
    blob_info(&bl, VFIO_IOMMU_INFO_CAPS, 0, 24);
    size_t end = blob_iova_cap(&bl, 24, 56, 1, 1, qemu_ranges);
    assert_int_equal(end, 56);
    blob_iova_cap(&bl, 56, 0, 1, 1, qemu_ranges);
    assert_int_equal(hdabdl__vfio_parse_iommu_info(bl.b, bl.len, &info), -EPROTO);
    /* DMA_AVAIL cut short */
    blob_info(&bl, VFIO_IOMMU_INFO_CAPS, 0, 24);
    blob_avail_cap(&bl, 24, 0, 1);
    assert_int_equal(hdabdl__vfio_parse_iommu_info(bl.b, 32, &info), -EPROTO);
}

/* Random bytes after a valid head: never a crash, an overrun (ASan) or a bad range. */
static void test_parse_fuzz(void **state)
{
    (void)state;
    srand(42);
    for (int round = 0; round < 20000; round++) {
        size_t len = 24 + (size_t)(rand() % 200);
        uint8_t *buf = malloc(len);
        for (size_t i = 0; i < len; i++)
            buf[i] = (uint8_t)rand();
        struct vfio_iommu_type1_info head = {.argsz = (uint32_t)len, .flags = VFIO_IOMMU_INFO_CAPS,
                                             .cap_offset = (uint32_t)(24 + (rand() % 8) * 4)};
        memcpy(buf, &head, sizeof(head));
        /* often a plausible first header */
        if (rand() % 2 && len >= 40) {
            uint16_t id = (uint16_t)(rand() % 4);
            if (head.cap_offset + sizeof(id) <= len)
                memcpy(buf + head.cap_offset, &id, sizeof(id));
        }
        struct hdabdl__iommu_info info;
        if (hdabdl__vfio_parse_iommu_info(buf, len, &info) == 0) {
            for (size_t i = 0; i < info.nranges; i++)
                assert_true(info.ranges[i].start <= info.ranges[i].last);
            assert_true(info.nranges <= HDABDL__IOVA_MAX_RANGES);
        }
        free(buf);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_clips_sorts_merges),
        cmocka_unit_test(test_alloc_first_fit_holes_alignment),
        cmocka_unit_test(test_exhaustion_and_coalescing),
        cmocka_unit_test(test_random_alloc_free),
        cmocka_unit_test(test_parse_qemu_answer),
        cmocka_unit_test(test_parse_without_caps),
        cmocka_unit_test(test_parse_rejects_malformed),
        cmocka_unit_test(test_parse_fuzz),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
