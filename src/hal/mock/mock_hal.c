/* SPDX-License-Identifier: MIT */
/*
 * mock_hal.c - the mock HAL: a device model plus DMA memory arenas acting as
 * its host, exposed as an hdabdl_hal_ops table.
 *
 * DMA memory: each arena is a range of bus addresses handed out first fit
 * from a list of blocks sorted by bus address; each block has its own
 * aligned_alloc'ed backing memory, filled with a poison pattern because the
 * contract leaves contents unspecified. The device reaches memory only
 * through live blocks: an access that is not entirely inside one is refused
 * (-EFAULT), so DMA into freed memory shows up as a DMA_FAULT violation.
 *
 * Codecs: the HAL owns the codecs it builds. hdabdl_mock_hal_add_codec()
 * builds one from a description and attaches it. For every address of
 * config.device.codec_mask a default codec (mock_default_codec.c) is built at
 * create time and attached on first use of the ops table (or of
 * hdabdl_mock_hal_advance()) if by then nothing else sits at that address; a
 * later hdabdl_mock_hal_add_codec() at that address replaces it.
 *
 * Time: delay_us advances the model without delivering interrupts;
 * hdabdl_mock_hal_advance() advances it at most one link frame per step and
 * delivers interrupts between steps, with no model lock held.
 *
 * Locks: @codec_lock guards the codec table (never taken inside the model's
 * lock); @arena_lock guards the arenas and the failure knob (taken inside the
 * model's lock by the device's DMA callbacks, never the other way round);
 * @irq_lock guards the handler and is held while it runs, so irq_detach waits
 * for a running handler (do not call irq_detach holding a lock the handler
 * takes).
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mock_internal.h"

#include "hal/hal_posix.h"

#include "hdabdl/codec.h"

#define MOCK_HAL_POISON          0xA5
#define MOCK_HAL_MAX_CPU_ALIGN   4096u
#define MOCK_HAL_STEP_NS         20833u  /* < 1e9 / 48000: at most one link frame per step */
#define MOCK_HAL_IRQ_CALLS       16      /* handler calls per step while the line stays up */

struct mock_dma_block {
    uint64_t bus;
    size_t size;
    void *cpu;
};

struct mock_arena {
    uint64_t base;
    uint64_t size;
    struct mock_dma_block **blocks;     /* sorted by bus address */
    size_t count;
    size_t capacity;
};

struct hdabdl_mock_hal {
    struct hdabdl_mock *device;

    pthread_mutex_t arena_lock;
    struct mock_arena arenas[2];        /* [0] low, [1] high (size 0 when absent) */
    uint32_t fail_skip;
    uint32_t fail_count;

    pthread_mutex_t irq_lock;
    hdabdl_hal_irq_handler irq_handler;
    void *irq_arg;
    hdabdl_hal_irq_handler timer_handler;   /* guarded by irq_lock, like irq_handler */
    void *timer_arg;
    _Atomic uint64_t timer_deadline_ns;     /* 0: not armed; lock-free so arming never blocks */

    pthread_mutex_t codec_lock;
    struct hdabdl_codec *codecs[MOCK_CODECS];   /* attached, owned */
    bool codec_is_default[MOCK_CODECS];         /* codecs[a] is a default codec */
    struct hdabdl_codec *defaults[MOCK_CODECS]; /* built, not attached yet */
    atomic_bool defaults_attached;
};

/* The HAL whose interrupt handler this thread is running, if any. */
static _Thread_local struct hdabdl_mock_hal *mock_hal_in_handler;

/* ---- Arenas ------------------------------------------------------------------------ */

/* First fit: the lowest @align-aligned address with @size bytes free, below @limit. */
static bool mock_arena_find(const struct mock_arena *a, uint64_t size, uint64_t align,
                            uint64_t limit, uint64_t *bus, size_t *pos)
{
    uint64_t end = a->base + a->size < limit ? a->base + a->size : limit;
    uint64_t cursor = a->base;

    for (size_t i = 0; i <= a->count; i++) {
        uint64_t gap_end = i < a->count ? a->blocks[i]->bus : end;
        if (gap_end > end)
            gap_end = end;
        uint64_t start = (cursor + align - 1) & ~(align - 1);
        if (start >= cursor && start <= gap_end && gap_end - start >= size) {
            *bus = start;
            *pos = i;
            return true;
        }
        if (i < a->count)
            cursor = a->blocks[i]->bus + a->blocks[i]->size;
        if (cursor >= end)
            break;
    }
    return false;
}

static int mock_arena_insert(struct mock_arena *a, size_t pos, struct mock_dma_block *block)
{
    if (a->count == a->capacity) {
        size_t capacity = a->capacity ? a->capacity * 2 : 16;
        struct mock_dma_block **blocks = realloc(a->blocks, capacity * sizeof(*blocks));
        if (!blocks)
            return -ENOMEM;
        a->blocks = blocks;
        a->capacity = capacity;
    }
    memmove(&a->blocks[pos + 1], &a->blocks[pos], (a->count - pos) * sizeof(*a->blocks));
    a->blocks[pos] = block;
    a->count++;
    return 0;
}

/* The block holding [bus, bus + len) entirely, or NULL. */
static struct mock_dma_block *mock_arena_lookup(const struct mock_arena *a, uint64_t bus, size_t len)
{
    size_t lo = 0, hi = a->count;
    while (lo < hi) {   /* first block starting above @bus */
        size_t mid = lo + (hi - lo) / 2;
        if (a->blocks[mid]->bus <= bus)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return NULL;
    struct mock_dma_block *b = a->blocks[lo - 1];
    uint64_t offset = bus - b->bus;
    return offset < b->size && len <= b->size - offset ? b : NULL;
}


/* The CPU side of a DMA block, aligned like the bus side (up to a page).
 * Windows's C runtime has no aligned_alloc, and its blocks need their own free. */
static void *aligned_block_alloc(size_t align, size_t size)
{
#ifdef _WIN32
    return _aligned_malloc(size, align);
#else
    return aligned_alloc(align, size);
#endif
}

static void aligned_block_free(void *p)
{
#ifdef _WIN32
    _aligned_free(p);
#else
    free(p);
#endif
}

static void mock_arena_free_all(struct mock_arena *a)
{
    for (size_t i = 0; i < a->count; i++) {
        aligned_block_free(a->blocks[i]->cpu);
        free(a->blocks[i]);
    }
    free(a->blocks);
    memset(a, 0, sizeof(*a));
}

/* ---- The device's host ------------------------------------------------------------------ */

static void *mock_hal_translate(struct hdabdl_mock_hal *hal, uint64_t bus, size_t len)
{
    for (unsigned i = 0; i < 2; i++) {
        struct mock_dma_block *b = mock_arena_lookup(&hal->arenas[i], bus, len);
        if (b)
            return (uint8_t *)b->cpu + (bus - b->bus);
    }
    return NULL;
}

static int mock_hal_device_read(void *ctx, uint64_t bus, void *buf, size_t len)
{
    struct hdabdl_mock_hal *hal = ctx;
    pthread_mutex_lock(&hal->arena_lock);
    void *p = mock_hal_translate(hal, bus, len);
    if (p)
        memcpy(buf, p, len);
    pthread_mutex_unlock(&hal->arena_lock);
    return p ? 0 : -EFAULT;
}

static int mock_hal_device_write(void *ctx, uint64_t bus, const void *buf, size_t len)
{
    struct hdabdl_mock_hal *hal = ctx;
    pthread_mutex_lock(&hal->arena_lock);
    void *p = mock_hal_translate(hal, bus, len);
    if (p)
        memcpy(p, buf, len);
    pthread_mutex_unlock(&hal->arena_lock);
    return p ? 0 : -EFAULT;
}

/* ---- Codecs -------------------------------------------------------------------------- */

static int mock_hal_build_codec(const struct hdabdl_codec_desc *desc, uint8_t address,
                                struct hdabdl_codec **out)
{
    struct hdabdl_codec_config cfg;
    hdabdl_codec_config_default(&cfg, desc);
    cfg.address = address;
    return hdabdl_codec_create(desc, &cfg, out);
}

/* The default codec at every address of @mask, built now, attached on first use. */
static int mock_hal_build_defaults(struct hdabdl_mock_hal *hal, uint16_t mask)
{
    if (!mask)
        return 0;
    struct hdabdl_codec_desc desc;
    int rc = hdabdl__mock_default_codec_desc(&desc);
    for (uint8_t a = 0; rc == 0 && a < MOCK_CODECS; a++)
        if (mask & (1u << a))
            rc = mock_hal_build_codec(&desc, a, &hal->defaults[a]);
    hdabdl_codec_desc_clear(&desc);
    return rc;
}

/* First use: attach the defaults where nothing else was put. */
static void mock_hal_attach_defaults(struct hdabdl_mock_hal *hal)
{
    if (atomic_load_explicit(&hal->defaults_attached, memory_order_acquire))
        return;
    pthread_mutex_lock(&hal->codec_lock);
    if (!atomic_load_explicit(&hal->defaults_attached, memory_order_relaxed)) {
        for (unsigned a = 0; a < MOCK_CODECS; a++) {
            struct hdabdl_codec *codec = hal->defaults[a];
            hal->defaults[a] = NULL;
            if (!codec)
                continue;
            if (!hal->codecs[a] && hdabdl_mock_attach_codec(hal->device, codec) == 0) {
                hal->codecs[a] = codec;
                hal->codec_is_default[a] = true;
            } else {
                hdabdl_codec_destroy(codec);    /* the host put its own codec there */
            }
        }
        atomic_store_explicit(&hal->defaults_attached, true, memory_order_release);
    }
    pthread_mutex_unlock(&hal->codec_lock);
}

int hdabdl_mock_hal_add_codec(struct hdabdl_mock_hal *hal, const struct hdabdl_codec_desc *desc,
                              uint8_t address, struct hdabdl_codec **out)
{
    struct hdabdl_codec_desc default_desc;
    struct hdabdl_codec *codec = NULL;
    int rc;

    if (out)
        *out = NULL;
    if (!hal || address >= MOCK_CODECS)
        return -EINVAL;
    if (desc) {
        rc = mock_hal_build_codec(desc, address, &codec);
    } else {
        rc = hdabdl__mock_default_codec_desc(&default_desc);
        if (rc == 0)
            rc = mock_hal_build_codec(&default_desc, address, &codec);
        hdabdl_codec_desc_clear(&default_desc);
    }
    if (rc != 0)
        return rc;

    pthread_mutex_lock(&hal->codec_lock);
    if (hal->codecs[address] && hal->codec_is_default[address]) {
        /* A default codec the host has not asked for: the added one replaces it. */
        hdabdl_mock_detach_codec(hal->device, address);
        hdabdl_codec_destroy(hal->codecs[address]);
        hal->codecs[address] = NULL;
        hal->codec_is_default[address] = false;
    }
    rc = hal->codecs[address] ? -EBUSY : hdabdl_mock_attach_codec(hal->device, codec);
    if (rc == 0) {
        hal->codecs[address] = codec;
        hdabdl_codec_destroy(hal->defaults[address]);
        hal->defaults[address] = NULL;
        hdabdl__mock_lock(hal->device);
        hal->device->config.codec_mask |= (uint16_t)(1u << address);
        hdabdl__mock_unlock(hal->device);
    }
    pthread_mutex_unlock(&hal->codec_lock);
    if (rc != 0) {
        hdabdl_codec_destroy(codec);
        return rc;
    }
    if (out)
        *out = codec;
    return 0;
}

/* ---- Life cycle --------------------------------------------------------------------- */

void hdabdl_mock_hal_config_default(struct hdabdl_mock_hal_config *config)
{
    memset(config, 0, sizeof(*config));
    hdabdl_mock_config_default(&config->device);
    config->dma_bus_base = 0x10000000u;
    config->dma_arena_size = 64u << 20;
    config->dma_high_bus_base = 0;
}

static bool mock_ranges_overlap(uint64_t a, uint64_t a_size, uint64_t b, uint64_t b_size)
{
    return a < b + b_size && b < a + a_size;
}

static bool mock_hal_config_valid(const struct hdabdl_mock_hal_config *c)
{
    uint64_t size = c->dma_arena_size;
    uint64_t bar = c->device.mmio_bus_address;

    if (size == 0 || c->dma_bus_base > UINT64_MAX - size)
        return false;
    if (mock_ranges_overlap(c->dma_bus_base, size, bar, HDA_MMIO_SIZE))
        return false;
    if (c->dma_high_bus_base == 0)
        return true;
    return c->dma_high_bus_base <= UINT64_MAX - size &&
           !mock_ranges_overlap(c->dma_high_bus_base, size, c->dma_bus_base, size) &&
           !mock_ranges_overlap(c->dma_high_bus_base, size, bar, HDA_MMIO_SIZE);
}

int hdabdl_mock_hal_create(const struct hdabdl_mock_hal_config *config, struct hdabdl_mock_hal **out)
{
    if (!out)
        return -EINVAL;
    *out = NULL;
    if (!config || !mock_hal_config_valid(config))
        return -EINVAL;

    struct hdabdl_mock_hal *hal = calloc(1, sizeof(*hal));
    if (!hal)
        return -ENOMEM;
    hal->arenas[0].base = config->dma_bus_base;
    hal->arenas[0].size = config->dma_arena_size;
    if (config->dma_high_bus_base) {
        hal->arenas[1].base = config->dma_high_bus_base;
        hal->arenas[1].size = config->dma_arena_size;
    }
    pthread_mutex_init(&hal->arena_lock, NULL);
    pthread_mutex_init(&hal->irq_lock, NULL);
    pthread_mutex_init(&hal->codec_lock, NULL);
    atomic_init(&hal->defaults_attached, false);

    struct hdabdl_mock_host host = {
        .ctx = hal,
        .dma_read = mock_hal_device_read,
        .dma_write = mock_hal_device_write,
        .irq_line = NULL,   /* the HAL polls the line between steps */
    };
    int rc = hdabdl_mock_create(&config->device, &host, &hal->device);
    if (rc == 0)
        rc = mock_hal_build_defaults(hal, config->device.codec_mask);
    if (rc != 0) {
        hdabdl_mock_hal_destroy(hal);
        return rc;
    }
    *out = hal;
    return 0;
}

void hdabdl_mock_hal_destroy(struct hdabdl_mock_hal *hal)
{
    if (!hal)
        return;
    hdabdl_mock_destroy(hal->device);
    for (unsigned a = 0; a < MOCK_CODECS; a++) {
        hdabdl_codec_destroy(hal->codecs[a]);
        hdabdl_codec_destroy(hal->defaults[a]);
    }
    mock_arena_free_all(&hal->arenas[0]);
    mock_arena_free_all(&hal->arenas[1]);
    pthread_mutex_destroy(&hal->arena_lock);
    pthread_mutex_destroy(&hal->irq_lock);
    pthread_mutex_destroy(&hal->codec_lock);
    free(hal);
}

void *hdabdl_mock_hal_context(struct hdabdl_mock_hal *hal)
{
    return hal;
}

struct hdabdl_mock *hdabdl_mock_hal_device(struct hdabdl_mock_hal *hal)
{
    return hal->device;
}

void hdabdl_mock_hal_fail_dma_alloc(struct hdabdl_mock_hal *hal, uint32_t skip, uint32_t count)
{
    pthread_mutex_lock(&hal->arena_lock);
    hal->fail_skip = skip;
    hal->fail_count = count;
    pthread_mutex_unlock(&hal->arena_lock);
}

size_t hdabdl_mock_hal_dma_blocks(const struct hdabdl_mock_hal *hal)
{
    struct hdabdl_mock_hal *h = (struct hdabdl_mock_hal *)hal;
    pthread_mutex_lock(&h->arena_lock);
    size_t count = h->arenas[0].count + h->arenas[1].count;
    pthread_mutex_unlock(&h->arena_lock);
    return count;
}

/* ---- Time and interrupts -------------------------------------------------------------- */

static void mock_hal_deliver_irqs(struct hdabdl_mock_hal *hal)
{
    pthread_mutex_lock(&hal->irq_lock);
    mock_hal_in_handler = hal;
    for (int i = 0; i < MOCK_HAL_IRQ_CALLS && hal->irq_handler && hdabdl_mock_irq_asserted(hal->device);
         i++)
        hal->irq_handler(hal->irq_arg);
    mock_hal_in_handler = NULL;
    pthread_mutex_unlock(&hal->irq_lock);
}

/* A timer whose deadline has passed fires once, after the interrupts of the step. */
static void mock_hal_fire_timer(struct hdabdl_mock_hal *hal)
{
    uint64_t deadline = atomic_load(&hal->timer_deadline_ns);

    if (deadline == 0 || hdabdl_mock_now(hal->device) < deadline ||
        !atomic_compare_exchange_strong(&hal->timer_deadline_ns, &deadline, 0))
        return;
    pthread_mutex_lock(&hal->irq_lock);
    mock_hal_in_handler = hal;
    if (hal->timer_handler)
        hal->timer_handler(hal->timer_arg);
    mock_hal_in_handler = NULL;
    pthread_mutex_unlock(&hal->irq_lock);
}

void hdabdl_mock_hal_advance(struct hdabdl_mock_hal *hal, uint64_t ns)
{
    mock_hal_attach_defaults(hal);
    do {
        uint64_t step = ns < MOCK_HAL_STEP_NS ? ns : MOCK_HAL_STEP_NS;
        hdabdl_mock_advance(hal->device, step);
        ns -= step;
        mock_hal_deliver_irqs(hal);
        mock_hal_fire_timer(hal);
    } while (ns > 0);
}

/* ---- The ops table ---------------------------------------------------------------------- */

static int mock_hal_reg_read(void *ctx, uint32_t offset, unsigned width, uint32_t *value)
{
    struct hdabdl_mock_hal *hal = ctx;
    mock_hal_attach_defaults(hal);
    return hdabdl_mock_mmio_read(hal->device, offset, width, value);
}

static int mock_hal_reg_write(void *ctx, uint32_t offset, unsigned width, uint32_t value)
{
    struct hdabdl_mock_hal *hal = ctx;
    mock_hal_attach_defaults(hal);
    return hdabdl_mock_mmio_write(hal->device, offset, width, value);
}

static const volatile uint32_t *mock_hal_reg_pointer(void *ctx, uint32_t offset)
{
    struct hdabdl_mock_hal *hal = ctx;
    return hdabdl_mock_alias_pointer(hal->device, offset);
}

static int mock_hal_dma_alloc(void *ctx, size_t size, size_t align, uint64_t limit,
                              struct hdabdl_hal_dma *out)
{
    struct hdabdl_mock_hal *hal = ctx;

    if (!out || size == 0 || align == 0 || (align & (align - 1)) != 0)
        return -EINVAL;

    pthread_mutex_lock(&hal->arena_lock);
    int rc = -ENOMEM;
    struct mock_arena *arena = NULL;
    uint64_t bus = 0;
    size_t pos = 0;
    if (hal->fail_skip > 0) {
        hal->fail_skip--;
    } else if (hal->fail_count > 0) {
        hal->fail_count--;
        goto out;
    }
    /* Prefer the high arena: that is where a 64-bit capable device's memory
     * would come from, and it proves the core handles addresses above 4 GiB. */
    for (int i = 1; i >= 0 && !arena; i--)
        if (hal->arenas[i].size && mock_arena_find(&hal->arenas[i], size, align, limit, &bus, &pos))
            arena = &hal->arenas[i];
    if (!arena)
        goto out;

    size_t cpu_align = align < 16 ? 16 : align > MOCK_HAL_MAX_CPU_ALIGN ? MOCK_HAL_MAX_CPU_ALIGN : align;
    struct mock_dma_block *block = calloc(1, sizeof(*block));
    void *cpu = aligned_block_alloc(cpu_align, (size + cpu_align - 1) / cpu_align * cpu_align);
    if (!block || !cpu || mock_arena_insert(arena, pos, block) != 0) {
        free(block);
        aligned_block_free(cpu);
        goto out;
    }
    memset(cpu, MOCK_HAL_POISON, size);
    block->bus = bus;
    block->size = size;
    block->cpu = cpu;
    out->cpu = cpu;
    out->bus = bus;
    out->size = size;
    out->cookie = block;
    rc = 0;
out:
    pthread_mutex_unlock(&hal->arena_lock);
    return rc;
}

static void mock_hal_dma_free(void *ctx, struct hdabdl_hal_dma *dma)
{
    struct hdabdl_mock_hal *hal = ctx;

    if (!dma || !dma->cookie)
        return;
    pthread_mutex_lock(&hal->arena_lock);
    for (unsigned a = 0; a < 2; a++) {
        struct mock_arena *arena = &hal->arenas[a];
        for (size_t i = 0; i < arena->count; i++) {
            if (arena->blocks[i] != dma->cookie)
                continue;
            aligned_block_free(arena->blocks[i]->cpu);
            free(arena->blocks[i]);
            memmove(&arena->blocks[i], &arena->blocks[i + 1], (arena->count - i - 1) * sizeof(*arena->blocks));
            arena->count--;
            pthread_mutex_unlock(&hal->arena_lock);
            memset(dma, 0, sizeof(*dma));
            return;
        }
    }
    pthread_mutex_unlock(&hal->arena_lock);
    hdabdl__posix_die("mock", "dma_free of a block this HAL did not allocate (double free?)", 0);
}

static void mock_hal_delay_us(void *ctx, uint32_t us)
{
    struct hdabdl_mock_hal *hal = ctx;
    mock_hal_attach_defaults(hal);
    hdabdl_mock_advance(hal->device, (uint64_t)us * 1000u);
}

/* Sleeping lets interrupts and the timer happen: the core holds no lock. */
static void mock_hal_sleep_us(void *ctx, uint32_t us)
{
    hdabdl_mock_hal_advance(ctx, (uint64_t)us * 1000u);
}

static uint64_t mock_hal_now_ns(void *ctx)
{
    struct hdabdl_mock_hal *hal = ctx;
    return hdabdl_mock_now(hal->device);
}

static int mock_hal_irq_attach(void *ctx, hdabdl_hal_irq_handler handler, void *arg)
{
    struct hdabdl_mock_hal *hal = ctx;
    bool inside = mock_hal_in_handler == hal;   /* irq_lock is already ours */

    if (!handler)
        return -EINVAL;
    if (!inside)
        pthread_mutex_lock(&hal->irq_lock);
    int rc = hal->irq_handler ? -EBUSY : 0;
    if (rc == 0) {
        hal->irq_handler = handler;
        hal->irq_arg = arg;
    }
    if (!inside)
        pthread_mutex_unlock(&hal->irq_lock);
    return rc;
}

static void mock_hal_irq_detach(void *ctx)
{
    struct hdabdl_mock_hal *hal = ctx;
    bool inside = mock_hal_in_handler == hal;

    /* Taking irq_lock waits for a handler running on another thread. */
    if (!inside)
        pthread_mutex_lock(&hal->irq_lock);
    hal->irq_handler = NULL;
    hal->irq_arg = NULL;
    if (!inside)
        pthread_mutex_unlock(&hal->irq_lock);
}

static int mock_hal_timer_attach(void *ctx, hdabdl_hal_irq_handler handler, void *arg)
{
    struct hdabdl_mock_hal *hal = ctx;
    bool inside = mock_hal_in_handler == hal;

    if (!handler)
        return -EINVAL;
    if (!inside)
        pthread_mutex_lock(&hal->irq_lock);
    int rc = hal->timer_handler ? -EBUSY : 0;
    if (rc == 0) {
        hal->timer_handler = handler;
        hal->timer_arg = arg;
    }
    if (!inside)
        pthread_mutex_unlock(&hal->irq_lock);
    return rc;
}

static void mock_hal_timer_arm(void *ctx, uint32_t delay_us)
{
    struct hdabdl_mock_hal *hal = ctx;
    /* A deadline is never 0 (delay_us > 0), so 0 can mean "not armed". */
    atomic_store(&hal->timer_deadline_ns,
                 delay_us ? hdabdl_mock_now(hal->device) + (uint64_t)delay_us * 1000u : 0);
}

static void mock_hal_timer_detach(void *ctx)
{
    struct hdabdl_mock_hal *hal = ctx;
    bool inside = mock_hal_in_handler == hal;

    atomic_store(&hal->timer_deadline_ns, 0);
    /* Taking irq_lock waits for a timer handler running on another thread. */
    if (!inside)
        pthread_mutex_lock(&hal->irq_lock);
    hal->timer_handler = NULL;
    hal->timer_arg = NULL;
    if (!inside)
        pthread_mutex_unlock(&hal->irq_lock);
}

static int mock_hal_lock_create(void *ctx, void **lock)
{
    (void)ctx;
    return hdabdl__posix_lock_create("mock", lock);
}

/* Version 2: the PCI identity from the configuration. */
static int mock_hal_pci_ids(void *ctx, struct hdabdl_pci_ids *ids)
{
    struct hdabdl_mock_hal *hal = ctx;
    const struct hdabdl_mock_config *c = &hal->device->config;  /* IDs never change after create */

    if (!ids)
        return -EINVAL;
    *ids = (struct hdabdl_pci_ids){.vendor_id = c->pci_vendor_id,
                                   .device_id = c->pci_device_id,
                                   .subsystem_vendor_id = c->pci_subsystem_vendor_id,
                                   .subsystem_id = c->pci_subsystem_id,
                                   .revision = c->pci_revision};
    return 0;
}

static const struct hdabdl_hal_ops mock_hal_ops = {
    .abi_version = HDABDL_HAL_ABI_VERSION,
    .struct_size = sizeof(struct hdabdl_hal_ops),
    .name = "mock",
    .reg_read = mock_hal_reg_read,
    .reg_write = mock_hal_reg_write,
    .reg_pointer = mock_hal_reg_pointer,
    .dma_alloc = mock_hal_dma_alloc,
    .dma_free = mock_hal_dma_free,
    .delay_us = mock_hal_delay_us,
    .sleep_us = mock_hal_sleep_us,
    .now_ns = mock_hal_now_ns,
    .irq_attach = mock_hal_irq_attach,
    .irq_detach = mock_hal_irq_detach,
    .lock_create = mock_hal_lock_create,
    .lock_destroy = hdabdl__posix_lock_destroy,
    .lock_acquire = hdabdl__posix_lock_acquire,
    .lock_release = hdabdl__posix_lock_release,
    .pci_ids = mock_hal_pci_ids,
    .timer_attach = mock_hal_timer_attach,
    .timer_arm = mock_hal_timer_arm,
    .timer_detach = mock_hal_timer_detach,
    .mem_alloc = hdabdl__posix_mem_alloc,
    .mem_free = hdabdl__posix_mem_free,
    .caller_level = hdabdl__posix_caller_level,
    .level_raise = hdabdl__posix_level_raise,
    .level_restore = hdabdl__posix_level_restore,
};

const struct hdabdl_hal_ops *hdabdl_mock_hal_ops(void)
{
    return &mock_hal_ops;
}
