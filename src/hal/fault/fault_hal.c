/* SPDX-License-Identifier: MIT */
/*
 * fault_hal.c - a HAL that wraps another HAL, counts its calls and fails the
 * ones it is told to (hdabdl/fault.h).
 *
 * The model is SQLite's fault-injection shims (src/test_vfs.c, and the
 * "Anomaly Testing" section of https://sqlite.org/testing.html): forward
 * everything, count, and make the Nth call of a kind fail once or from then on.
 *
 * Locking: one mutex guards every counter, the armed faults and the log. Each
 * slot takes it to count and decide, drops it, and only then calls the inner
 * HAL (which may run the core's interrupt or timer handler, and so come back
 * here on the same thread); a slot that must note the inner HAL's result
 * takes it again afterwards.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "hal/hal_posix.h"
#include "hdabdl/fault.h"

struct armed_fault {
    bool used;
    uint64_t generation;  /* which arming this is (a slot is reused after a disarm) */
    struct hdabdl_fault_spec spec;
    uint64_t matched;     /* matching calls since arming */
    uint64_t fired;
    bool spent;           /* not sticky and fired */
    /* HDABDL_FAULT_STUCK_BITS */
    bool latched;         /* the kept bits apply to reads */
    uint32_t kept;        /* the register's mask bits when latched */
};

struct hdabdl_fault_hal {
    struct hdabdl_hal_ops ops;          /* the per-instance table */
    const struct hdabdl_hal_ops *inner;
    void *inner_ctx;
    bool inner_mem;                     /* inner has v3 mem_alloc and mem_free */

    pthread_mutex_t mutex;
    struct armed_fault faults[HDABDL_FAULT_MAX_ARMED];
    uint64_t armings;                   /* generations handed out */

    /* [HDABDL_FAULT_SINCE_CREATE] and [HDABDL_FAULT_SINCE_RESET] */
    uint64_t slot_calls[2][HDABDL_FAULT_SLOT_COUNT];
    uint64_t fired[2][HDABDL_FAULT_KIND_COUNT];
    uint64_t fired_total[2];
    uint64_t tainted[2];
    uint64_t *reg_reads[2];             /* HDABDL_FAULT_REG_SPACE each */
    uint64_t *reg_writes[2];
    int64_t held[HDABDL_FAULT_RES_TIMER + 1];

    struct hdabdl_fault_read_record log[HDABDL_FAULT_LOG_SIZE];   /* a ring */
    size_t log_start;                   /* index of the oldest kept */
    size_t log_count;
    size_t log_open;                    /* kept records not closed (a fast path for reads) */
};

#define FH(ctx) ((struct hdabdl_fault_hal *)(ctx))
#define INNER(ctx) (FH(ctx)->inner)
#define INNER_CTX(ctx) (FH(ctx)->inner_ctx)

static void fh_lock(struct hdabdl_fault_hal *fh)
{
    int rc = pthread_mutex_lock(&fh->mutex);
    if (rc != 0)
        hdabdl__posix_die("fault", "mutex lock", rc);
}

static void fh_unlock(struct hdabdl_fault_hal *fh)
{
    int rc = pthread_mutex_unlock(&fh->mutex);
    if (rc != 0)
        hdabdl__posix_die("fault", "mutex unlock", rc);
}

/* Count a call of @slot; the mutex is held. */
static void count_slot(struct hdabdl_fault_hal *fh, enum hdabdl_fault_slot slot)
{
    fh->slot_calls[0][slot]++;
    fh->slot_calls[1][slot]++;
}

/* Count a call and release the mutex: the slots that never fail. */
static void count_only(struct hdabdl_fault_hal *fh, enum hdabdl_fault_slot slot)
{
    fh_lock(fh);
    count_slot(fh, slot);
    fh_unlock(fh);
}

static void note_held(struct hdabdl_fault_hal *fh, enum hdabdl_fault_resource res, int64_t delta)
{
    fh_lock(fh);
    fh->held[res] += delta;
    fh_unlock(fh);
}

static uint32_t width_mask(unsigned width)
{
    return width >= 4 ? 0xFFFFFFFFu : (1u << (8u * width)) - 1u;
}

static int default_error(enum hdabdl_fault_kind kind)
{
    switch (kind) {
    case HDABDL_FAULT_DMA_ALLOC:
    case HDABDL_FAULT_LOCK_CREATE:
        return -HDABDL_ENOMEM;
    case HDABDL_FAULT_IRQ_ATTACH:
    case HDABDL_FAULT_TIMER_ATTACH:
        return -HDABDL_EBUSY;
    default:
        return -HDABDL_EIO;
    }
}

static int fault_error(const struct armed_fault *f)
{
    int e = f->spec.error;
    if (e == 0)
        return default_error(f->spec.kind);
    return e < 0 ? e : -e;
}

static bool is_register_kind(enum hdabdl_fault_kind kind)
{
    return kind == HDABDL_FAULT_REG_READ_ERROR || kind == HDABDL_FAULT_REG_READ_ALL_ONES ||
           kind == HDABDL_FAULT_REG_READ_VALUE || kind == HDABDL_FAULT_REG_WRITE_ERROR ||
           kind == HDABDL_FAULT_STUCK_BITS;
}

static bool is_read_kind(enum hdabdl_fault_kind kind)
{
    return kind == HDABDL_FAULT_REG_READ_ERROR || kind == HDABDL_FAULT_REG_READ_ALL_ONES ||
           kind == HDABDL_FAULT_REG_READ_VALUE;
}

enum hdabdl_fault_slot hdabdl_fault_kind_slot(enum hdabdl_fault_kind kind)
{
    switch (kind) {
    case HDABDL_FAULT_REG_READ_ERROR:
    case HDABDL_FAULT_REG_READ_ALL_ONES:
    case HDABDL_FAULT_REG_READ_VALUE:
        return HDABDL_FAULT_SLOT_REG_READ;
    case HDABDL_FAULT_REG_WRITE_ERROR:
    case HDABDL_FAULT_STUCK_BITS:
        return HDABDL_FAULT_SLOT_REG_WRITE;
    case HDABDL_FAULT_DMA_ALLOC:
        return HDABDL_FAULT_SLOT_DMA_ALLOC;
    case HDABDL_FAULT_MEM_ALLOC:
        return HDABDL_FAULT_SLOT_MEM_ALLOC;
    case HDABDL_FAULT_LOCK_CREATE:
        return HDABDL_FAULT_SLOT_LOCK_CREATE;
    case HDABDL_FAULT_IRQ_ATTACH:
        return HDABDL_FAULT_SLOT_IRQ_ATTACH;
    case HDABDL_FAULT_TIMER_ATTACH:
        return HDABDL_FAULT_SLOT_TIMER_ATTACH;
    default:
        return HDABDL_FAULT_SLOT_COUNT;
    }
}

/* Whether armed fault @f counts a call of @kind at @offset. */
static bool fault_matches(const struct armed_fault *f, enum hdabdl_fault_kind kind,
                          uint32_t offset)
{
    if (!f->used || f->spec.kind != kind)
        return false;
    return !(f->spec.flags & HDABDL_FAULT_AT_OFFSET) || f->spec.offset == offset;
}

/* Count the call for @f and say whether it fires on it; the mutex is held. */
static bool fault_step(struct armed_fault *f)
{
    f->matched++;
    if (f->spent || f->matched < f->spec.nth)
        return false;
    if (!(f->spec.flags & HDABDL_FAULT_STICKY))
        f->spent = true;
    f->fired++;
    return true;
}

static void note_fired(struct hdabdl_fault_hal *fh, enum hdabdl_fault_kind kind)
{
    fh->fired[0][kind]++;
    fh->fired[1][kind]++;
}

static void note_fired_call(struct hdabdl_fault_hal *fh)
{
    fh->fired_total[0]++;
    fh->fired_total[1]++;
}

/* Each kind in the bit set @kinds fired on this call (counted once per call). */
static void note_fired_kinds(struct hdabdl_fault_hal *fh, unsigned kinds)
{
    for (unsigned k = 0; k < HDABDL_FAULT_KIND_COUNT; k++)
        if (kinds & (1u << k))
            note_fired(fh, (enum hdabdl_fault_kind)k);
    if (kinds)
        note_fired_call(fh);
}

/*
 * The first armed fault of @kind (at @offset) that fires on this call, or
 * NULL; every matching one counts the call. The mutex is held.
 */
static struct armed_fault *step_kind(struct hdabdl_fault_hal *fh, enum hdabdl_fault_kind kind,
                                     uint32_t offset)
{
    struct armed_fault *first = NULL;
    for (unsigned i = 0; i < HDABDL_FAULT_MAX_ARMED; i++) {
        struct armed_fault *f = &fh->faults[i];
        if (fault_matches(f, kind, offset) && fault_step(f) && !first)
            first = f;
    }
    if (first)
        note_fired(fh, kind);
    return first;
}

/* A slot with one fault kind: count, decide; returns the fault that fired or NULL. */
static struct armed_fault *enter_simple(struct hdabdl_fault_hal *fh, enum hdabdl_fault_slot slot,
                                        enum hdabdl_fault_kind kind, int *error)
{
    fh_lock(fh);
    count_slot(fh, slot);
    struct armed_fault *f = step_kind(fh, kind, 0);
    if (f) {
        note_fired_call(fh);
        *error = fault_error(f);
    }
    fh_unlock(fh);
    return f;
}

/* ---- The log ------------------------------------------------------------------------ */

static struct hdabdl_fault_read_record *log_at(struct hdabdl_fault_hal *fh, size_t index)
{
    return &fh->log[(fh->log_start + index) % HDABDL_FAULT_LOG_SIZE];
}

static void log_faulted_read(struct hdabdl_fault_hal *fh, enum hdabdl_fault_kind kind,
                             uint32_t offset, unsigned width, int error, uint32_t value)
{
    struct hdabdl_fault_read_record *rec;
    if (fh->log_count == HDABDL_FAULT_LOG_SIZE) {
        rec = log_at(fh, 0);   /* the oldest goes */
        if (!rec->closed)
            fh->log_open--;
        fh->log_start = (fh->log_start + 1) % HDABDL_FAULT_LOG_SIZE;
        fh->log_count--;
    }
    rec = log_at(fh, fh->log_count++);
    memset(rec, 0, sizeof *rec);
    rec->call = fh->slot_calls[0][HDABDL_FAULT_SLOT_REG_READ];
    rec->kind = kind;
    rec->offset = offset;
    rec->width = (uint8_t)width;
    rec->error = error;
    rec->value = value;
    fh->log_open++;
}

/* A read at @offset no read fault answered: the records there close. */
static void log_clean_read(struct hdabdl_fault_hal *fh, uint32_t offset)
{
    for (size_t i = 0; fh->log_open && i < fh->log_count; i++) {
        struct hdabdl_fault_read_record *rec = log_at(fh, i);
        if (!rec->closed && rec->offset == offset) {
            rec->closed = true;
            fh->log_open--;
        }
    }
}

static void log_write(struct hdabdl_fault_hal *fh, uint32_t offset, unsigned width,
                      uint32_t value)
{
    bool hit = false;
    for (size_t i = 0; fh->log_open && i < fh->log_count; i++) {
        struct hdabdl_fault_read_record *rec = log_at(fh, i);
        if (rec->closed || rec->offset != offset)
            continue;
        if (rec->writes++ == 0) {
            rec->write_width = (uint8_t)width;
            rec->write_value = value;
        }
        hit = true;
    }
    if (hit) {
        fh->tainted[0]++;
        fh->tainted[1]++;
    }
}

/* ---- Registers ------------------------------------------------------------------------ */

static int fault_reg_read(void *ctx, uint32_t offset, unsigned width, uint32_t *value)
{
    struct hdabdl_fault_hal *fh = ctx;
    struct armed_fault *hit = NULL;
    uint32_t stuck_mask = 0, stuck_bits = 0;
    uint32_t wmask = width_mask(width);
    unsigned fired_kinds = 0;
    int rc = 0;

    fh_lock(fh);
    count_slot(fh, HDABDL_FAULT_SLOT_REG_READ);
    if (offset < HDABDL_FAULT_REG_SPACE) {
        fh->reg_reads[0][offset]++;
        fh->reg_reads[1][offset]++;
    }
    for (unsigned i = 0; i < HDABDL_FAULT_MAX_ARMED; i++) {
        struct armed_fault *f = &fh->faults[i];
        if (!f->used)
            continue;
        if (is_read_kind(f->spec.kind) && fault_matches(f, f->spec.kind, offset) &&
            fault_step(f)) {
            fired_kinds |= 1u << f->spec.kind;
            if (!hit)
                hit = f;
        } else if (f->spec.kind == HDABDL_FAULT_STUCK_BITS && f->latched &&
                   f->spec.offset == offset) {
            stuck_mask |= f->spec.mask;
            stuck_bits = (stuck_bits & ~f->spec.mask) | (f->kept & f->spec.mask);
        }
    }
    note_fired_kinds(fh, fired_kinds);
    if (hit) {
        uint32_t v = wmask;
        if (hit->spec.kind == HDABDL_FAULT_REG_READ_ERROR)
            rc = fault_error(hit);
        else if (hit->spec.kind == HDABDL_FAULT_REG_READ_VALUE)
            v = hit->spec.value & wmask;
        log_faulted_read(fh, hit->spec.kind, offset, width, rc, v);
        fh_unlock(fh);
        if (value)
            *value = v;
        return rc;
    }
    log_clean_read(fh, offset);
    fh_unlock(fh);

    rc = INNER(ctx)->reg_read(INNER_CTX(ctx), offset, width, value);
    if (rc == 0 && value && stuck_mask) {
        stuck_mask &= wmask;
        *value = (*value & ~stuck_mask) | (stuck_bits & stuck_mask);
    }
    return rc;
}

static int fault_reg_write(void *ctx, uint32_t offset, unsigned width, uint32_t value)
{
    struct hdabdl_fault_hal *fh = ctx;
    struct armed_fault *error_fault = NULL;
    uint64_t latch[HDABDL_FAULT_MAX_ARMED];   /* generation of a fault to latch, or 0 */
    bool need_latch = false;
    unsigned fired_kinds = 0;
    int rc = 0;

    fh_lock(fh);
    count_slot(fh, HDABDL_FAULT_SLOT_REG_WRITE);
    if (offset < HDABDL_FAULT_REG_SPACE) {
        fh->reg_writes[0][offset]++;
        fh->reg_writes[1][offset]++;
    }
    log_write(fh, offset, width, value);
    for (unsigned i = 0; i < HDABDL_FAULT_MAX_ARMED; i++) {
        struct armed_fault *f = &fh->faults[i];
        latch[i] = 0;
        if (fault_matches(f, HDABDL_FAULT_REG_WRITE_ERROR, offset) && fault_step(f)) {
            fired_kinds |= 1u << HDABDL_FAULT_REG_WRITE_ERROR;
            if (!error_fault)
                error_fault = f;
        } else if (fault_matches(f, HDABDL_FAULT_STUCK_BITS, offset)) {
            bool was_latched = f->latched;
            if (fault_step(f)) {
                fired_kinds |= 1u << HDABDL_FAULT_STUCK_BITS;
                if (!was_latched) {
                    latch[i] = f->generation;       /* keep the bits as they are now */
                    need_latch = true;
                }
            } else if (was_latched && !(f->spec.flags & HDABDL_FAULT_STICKY)) {
                f->latched = false;                 /* the next write ends a one-shot */
            }
        }
    }
    note_fired_kinds(fh, fired_kinds);
    if (error_fault)
        rc = fault_error(error_fault);
    fh_unlock(fh);

    if (need_latch) {
        /* The register before this write: the bits the caller waits to change. */
        uint32_t now = 0;
        if (INNER(ctx)->reg_read(INNER_CTX(ctx), offset, width, &now) != 0)
            now = 0;
        fh_lock(fh);
        for (unsigned i = 0; i < HDABDL_FAULT_MAX_ARMED; i++) {
            struct armed_fault *f = &fh->faults[i];
            /* Still the same arming (not disarmed meanwhile), not latched by another thread. */
            if (latch[i] && f->used && f->generation == latch[i] && !f->latched) {
                f->kept = now & f->spec.mask;
                f->latched = true;
            }
        }
        fh_unlock(fh);
    }
    if (error_fault)
        return rc;
    return INNER(ctx)->reg_write(INNER_CTX(ctx), offset, width, value);
}

static const volatile uint32_t *fault_reg_pointer(void *ctx, uint32_t offset)
{
    count_only(ctx, HDABDL_FAULT_SLOT_REG_POINTER);
    return INNER(ctx)->reg_pointer(INNER_CTX(ctx), offset);
}

/* ---- DMA, time, interrupts, locks ---------------------------------------------------- */

static int fault_dma_alloc(void *ctx, size_t size, size_t align, uint64_t limit,
                           struct hdabdl_hal_dma *out)
{
    int err = 0;
    if (enter_simple(ctx, HDABDL_FAULT_SLOT_DMA_ALLOC, HDABDL_FAULT_DMA_ALLOC, &err))
        return err;
    err = INNER(ctx)->dma_alloc(INNER_CTX(ctx), size, align, limit, out);
    if (err == 0)
        note_held(ctx, HDABDL_FAULT_RES_DMA, 1);
    return err;
}

static void fault_dma_free(void *ctx, struct hdabdl_hal_dma *dma)
{
    struct hdabdl_fault_hal *fh = ctx;
    fh_lock(fh);
    count_slot(fh, HDABDL_FAULT_SLOT_DMA_FREE);
    fh->held[HDABDL_FAULT_RES_DMA]--;
    fh_unlock(fh);
    INNER(ctx)->dma_free(INNER_CTX(ctx), dma);
}

static void fault_delay_us(void *ctx, uint32_t us)
{
    count_only(ctx, HDABDL_FAULT_SLOT_DELAY_US);
    INNER(ctx)->delay_us(INNER_CTX(ctx), us);
}

static uint64_t fault_now_ns(void *ctx)
{
    count_only(ctx, HDABDL_FAULT_SLOT_NOW_NS);
    return INNER(ctx)->now_ns(INNER_CTX(ctx));
}

static int fault_irq_attach(void *ctx, hdabdl_hal_irq_handler handler, void *arg)
{
    int err = 0;
    if (enter_simple(ctx, HDABDL_FAULT_SLOT_IRQ_ATTACH, HDABDL_FAULT_IRQ_ATTACH, &err))
        return err;
    err = INNER(ctx)->irq_attach(INNER_CTX(ctx), handler, arg);
    if (err == 0)
        note_held(ctx, HDABDL_FAULT_RES_IRQ, 1);
    return err;
}

static void fault_irq_detach(void *ctx)
{
    struct hdabdl_fault_hal *fh = ctx;
    fh_lock(fh);
    count_slot(fh, HDABDL_FAULT_SLOT_IRQ_DETACH);
    fh->held[HDABDL_FAULT_RES_IRQ]--;
    fh_unlock(fh);
    INNER(ctx)->irq_detach(INNER_CTX(ctx));
}

static int fault_lock_create(void *ctx, void **lock)
{
    int err = 0;
    if (enter_simple(ctx, HDABDL_FAULT_SLOT_LOCK_CREATE, HDABDL_FAULT_LOCK_CREATE, &err))
        return err;
    err = INNER(ctx)->lock_create(INNER_CTX(ctx), lock);
    if (err == 0)
        note_held(ctx, HDABDL_FAULT_RES_LOCK, 1);
    return err;
}

static void fault_lock_destroy(void *ctx, void *lock)
{
    struct hdabdl_fault_hal *fh = ctx;
    fh_lock(fh);
    count_slot(fh, HDABDL_FAULT_SLOT_LOCK_DESTROY);
    fh->held[HDABDL_FAULT_RES_LOCK]--;
    fh_unlock(fh);
    INNER(ctx)->lock_destroy(INNER_CTX(ctx), lock);
}

static void fault_lock_acquire(void *ctx, void *lock)
{
    count_only(ctx, HDABDL_FAULT_SLOT_LOCK_ACQUIRE);
    INNER(ctx)->lock_acquire(INNER_CTX(ctx), lock);
}

static void fault_lock_release(void *ctx, void *lock)
{
    count_only(ctx, HDABDL_FAULT_SLOT_LOCK_RELEASE);
    INNER(ctx)->lock_release(INNER_CTX(ctx), lock);
}

/* ---- Version 2 ----------------------------------------------------------------------- */

static int fault_pci_ids(void *ctx, struct hdabdl_pci_ids *ids)
{
    count_only(ctx, HDABDL_FAULT_SLOT_PCI_IDS);
    return INNER(ctx)->pci_ids(INNER_CTX(ctx), ids);
}

static int fault_timer_attach(void *ctx, hdabdl_hal_irq_handler handler, void *arg)
{
    int err = 0;
    if (enter_simple(ctx, HDABDL_FAULT_SLOT_TIMER_ATTACH, HDABDL_FAULT_TIMER_ATTACH, &err))
        return err;
    err = INNER(ctx)->timer_attach(INNER_CTX(ctx), handler, arg);
    if (err == 0)
        note_held(ctx, HDABDL_FAULT_RES_TIMER, 1);
    return err;
}

static void fault_timer_arm(void *ctx, uint32_t delay_us)
{
    count_only(ctx, HDABDL_FAULT_SLOT_TIMER_ARM);
    INNER(ctx)->timer_arm(INNER_CTX(ctx), delay_us);
}

static void fault_timer_detach(void *ctx)
{
    struct hdabdl_fault_hal *fh = ctx;
    fh_lock(fh);
    count_slot(fh, HDABDL_FAULT_SLOT_TIMER_DETACH);
    fh->held[HDABDL_FAULT_RES_TIMER]--;
    fh_unlock(fh);
    INNER(ctx)->timer_detach(INNER_CTX(ctx));
}

static void fault_sleep_us(void *ctx, uint32_t us)
{
    count_only(ctx, HDABDL_FAULT_SLOT_SLEEP_US);
    INNER(ctx)->sleep_us(INNER_CTX(ctx), us);
}

/* ---- Version 3 ------------------------------------------------------------------------- */

static void *fault_mem_alloc(void *ctx, size_t size, unsigned flags)
{
    struct hdabdl_fault_hal *fh = ctx;
    int err = 0;
    if (enter_simple(ctx, HDABDL_FAULT_SLOT_MEM_ALLOC, HDABDL_FAULT_MEM_ALLOC, &err))
        return NULL;
    /* An inner table without the v3 slots: libc's allocator, like hal_hosted.c. */
    void *p = fh->inner_mem ? fh->inner->mem_alloc(fh->inner_ctx, size, flags)
                            : hdabdl__posix_mem_alloc(NULL, size, flags);
    if (p) {
        fh_lock(fh);
        fh->held[HDABDL_FAULT_RES_MEM]++;
        fh->held[HDABDL_FAULT_RES_MEM_BYTES] += (int64_t)size;
        fh_unlock(fh);
    }
    return p;
}

static void fault_mem_free(void *ctx, void *p, size_t size)
{
    struct hdabdl_fault_hal *fh = ctx;
    fh_lock(fh);
    count_slot(fh, HDABDL_FAULT_SLOT_MEM_FREE);
    fh->held[HDABDL_FAULT_RES_MEM]--;
    fh->held[HDABDL_FAULT_RES_MEM_BYTES] -= (int64_t)size;
    fh_unlock(fh);
    if (fh->inner_mem)
        fh->inner->mem_free(fh->inner_ctx, p, size);
    else
        hdabdl__posix_mem_free(NULL, p, size);
}

static int fault_caller_level(void *ctx)
{
    count_only(ctx, HDABDL_FAULT_SLOT_CALLER_LEVEL);
    return INNER(ctx)->caller_level(INNER_CTX(ctx));
}

static uint64_t fault_level_raise(void *ctx)
{
    count_only(ctx, HDABDL_FAULT_SLOT_LEVEL_RAISE);
    return INNER(ctx)->level_raise(INNER_CTX(ctx));
}

static void fault_level_restore(void *ctx, uint64_t token)
{
    count_only(ctx, HDABDL_FAULT_SLOT_LEVEL_RESTORE);
    INNER(ctx)->level_restore(INNER_CTX(ctx), token);
}

/* ---- Life cycle --------------------------------------------------------------------------- */

static void fill_ops(struct hdabdl_fault_hal *fh)
{
    const struct hdabdl_hal_ops *in = fh->inner;
    struct hdabdl_hal_ops *o = &fh->ops;

    memset(o, 0, sizeof *o);
    o->abi_version = HDABDL_HAL_ABI_VERSION;
    o->struct_size = sizeof *o;
    o->name = in->name;
    /* Version 1: a required slot the inner table lacks stays NULL (the core checks). */
    o->reg_read = in->reg_read ? fault_reg_read : NULL;
    o->reg_write = in->reg_write ? fault_reg_write : NULL;
    o->reg_pointer = in->reg_pointer ? fault_reg_pointer : NULL;
    o->dma_alloc = in->dma_alloc ? fault_dma_alloc : NULL;
    o->dma_free = in->dma_free ? fault_dma_free : NULL;
    o->delay_us = in->delay_us ? fault_delay_us : NULL;
    o->now_ns = in->now_ns ? fault_now_ns : NULL;
    o->irq_attach = in->irq_attach ? fault_irq_attach : NULL;
    o->irq_detach = in->irq_detach ? fault_irq_detach : NULL;
    o->lock_create = in->lock_create ? fault_lock_create : NULL;
    o->lock_destroy = in->lock_destroy ? fault_lock_destroy : NULL;
    o->lock_acquire = in->lock_acquire ? fault_lock_acquire : NULL;
    o->lock_release = in->lock_release ? fault_lock_release : NULL;
    /* Version 2, each slot as the inner table has it. */
    o->pci_ids = HDABDL__HAL_HAS(in, 2, pci_ids) ? fault_pci_ids : NULL;
    o->timer_attach = HDABDL__HAL_HAS(in, 2, timer_attach) ? fault_timer_attach : NULL;
    o->timer_arm = HDABDL__HAL_HAS(in, 2, timer_arm) ? fault_timer_arm : NULL;
    o->timer_detach = HDABDL__HAL_HAS(in, 2, timer_detach) ? fault_timer_detach : NULL;
    o->sleep_us = HDABDL__HAL_HAS(in, 2, sleep_us) ? fault_sleep_us : NULL;
    /* Version 3: memory always (the inner's, or malloc); the levels only if the inner has them. */
    fh->inner_mem = HDABDL__HAL_HAS(in, 3, mem_alloc) && HDABDL__HAL_HAS(in, 3, mem_free);
    o->mem_alloc = fault_mem_alloc;
    o->mem_free = fault_mem_free;
    o->caller_level = HDABDL__HAL_HAS(in, 3, caller_level) ? fault_caller_level : NULL;
    o->level_raise = HDABDL__HAL_HAS(in, 3, level_raise) ? fault_level_raise : NULL;
    o->level_restore = HDABDL__HAL_HAS(in, 3, level_restore) ? fault_level_restore : NULL;
}

hdabdl_status hdabdl_fault_hal_create(const struct hdabdl_hal_ops *inner, void *inner_ctx,
                                      struct hdabdl_fault_hal **out)
{
    struct hdabdl_fault_hal *fh;

    if (out)
        *out = NULL;
    if (!inner || !out)
        return HDABDL_STATUS_INVALID_PARAMETER;
    if (!hdabdl__hal_table_valid(inner))
        return HDABDL_STATUS_REVISION_MISMATCH;

    fh = calloc(1, sizeof *fh);
    if (!fh)
        return HDABDL_STATUS_NO_MEMORY;
    for (unsigned s = 0; s < 2; s++) {
        fh->reg_reads[s] = calloc(HDABDL_FAULT_REG_SPACE, sizeof *fh->reg_reads[s]);
        fh->reg_writes[s] = calloc(HDABDL_FAULT_REG_SPACE, sizeof *fh->reg_writes[s]);
    }
    if (!fh->reg_reads[0] || !fh->reg_reads[1] || !fh->reg_writes[0] || !fh->reg_writes[1] ||
        pthread_mutex_init(&fh->mutex, NULL) != 0) {
        for (unsigned s = 0; s < 2; s++) {
            free(fh->reg_reads[s]);
            free(fh->reg_writes[s]);
        }
        free(fh);
        return HDABDL_STATUS_NO_MEMORY;
    }
    fh->inner = inner;
    fh->inner_ctx = inner_ctx;
    fill_ops(fh);
    *out = fh;
    return HDABDL_STATUS_SUCCESS;
}

void hdabdl_fault_hal_destroy(struct hdabdl_fault_hal *fh)
{
    if (!fh)
        return;
    pthread_mutex_destroy(&fh->mutex);
    for (unsigned s = 0; s < 2; s++) {
        free(fh->reg_reads[s]);
        free(fh->reg_writes[s]);
    }
    free(fh);
}

const struct hdabdl_hal_ops *hdabdl_fault_hal_ops(struct hdabdl_fault_hal *fh)
{
    return fh ? &fh->ops : NULL;
}

void *hdabdl_fault_hal_context(struct hdabdl_fault_hal *fh)
{
    return fh;
}

hdabdl_status hdabdl_fault_hal_set_version(struct hdabdl_fault_hal *fh, uint32_t version)
{
    static const uint32_t sizes[] = {0, (uint32_t)HDABDL_HAL_OPS_V1_SIZE,
                                     (uint32_t)HDABDL_HAL_OPS_V2_SIZE,
                                     (uint32_t)HDABDL_HAL_OPS_V3_SIZE};
    if (!fh || version < 1 || version > 3)
        return HDABDL_STATUS_INVALID_PARAMETER;
    fh->ops.abi_version = version;
    fh->ops.struct_size = version == HDABDL_HAL_ABI_VERSION ? (uint32_t)sizeof fh->ops
                                                            : sizes[version];
    return HDABDL_STATUS_SUCCESS;
}

/* ---- Arming ----------------------------------------------------------------------------------- */

hdabdl_status hdabdl_fault_hal_arm(struct hdabdl_fault_hal *fh, const struct hdabdl_fault_spec *spec,
                                   int *id)
{
    hdabdl_status st = HDABDL_STATUS_INSUFFICIENT_RESOURCES;

    if (id)
        *id = -1;
    if (!fh || !spec || (unsigned)spec->kind >= HDABDL_FAULT_KIND_COUNT || spec->nth == 0 ||
        (spec->flags & ~(HDABDL_FAULT_STICKY | HDABDL_FAULT_AT_OFFSET)) != 0 ||
        ((spec->flags & HDABDL_FAULT_AT_OFFSET) && !is_register_kind(spec->kind)) ||
        (spec->kind == HDABDL_FAULT_STUCK_BITS &&
         (!(spec->flags & HDABDL_FAULT_AT_OFFSET) || spec->mask == 0)))
        return HDABDL_STATUS_INVALID_PARAMETER;

    fh_lock(fh);
    for (int i = 0; i < HDABDL_FAULT_MAX_ARMED; i++) {
        struct armed_fault *f = &fh->faults[i];
        if (f->used)
            continue;
        memset(f, 0, sizeof *f);
        f->used = true;
        f->generation = ++fh->armings;
        f->spec = *spec;
        if (id)
            *id = i;
        st = HDABDL_STATUS_SUCCESS;
        break;
    }
    fh_unlock(fh);
    return st;
}

hdabdl_status hdabdl_fault_hal_fail(struct hdabdl_fault_hal *fh, enum hdabdl_fault_kind kind,
                                    uint64_t nth, bool sticky)
{
    struct hdabdl_fault_spec spec;
    memset(&spec, 0, sizeof spec);
    spec.kind = kind;
    spec.nth = nth;
    spec.flags = sticky ? HDABDL_FAULT_STICKY : 0;
    return hdabdl_fault_hal_arm(fh, &spec, NULL);
}

void hdabdl_fault_hal_disarm(struct hdabdl_fault_hal *fh, int id)
{
    if (!fh || id < 0 || id >= HDABDL_FAULT_MAX_ARMED)
        return;
    fh_lock(fh);
    memset(&fh->faults[id], 0, sizeof fh->faults[id]);
    fh_unlock(fh);
}

void hdabdl_fault_hal_disarm_all(struct hdabdl_fault_hal *fh)
{
    if (!fh)
        return;
    fh_lock(fh);
    memset(fh->faults, 0, sizeof fh->faults);
    fh_unlock(fh);
}

static uint64_t fault_field(struct hdabdl_fault_hal *fh, int id, bool fired)
{
    uint64_t v = 0;
    if (!fh || id < 0 || id >= HDABDL_FAULT_MAX_ARMED)
        return 0;
    fh_lock(fh);
    if (fh->faults[id].used)
        v = fired ? fh->faults[id].fired : fh->faults[id].matched;
    fh_unlock(fh);
    return v;
}

uint64_t hdabdl_fault_hal_fault_matched(struct hdabdl_fault_hal *fh, int id)
{
    return fault_field(fh, id, false);
}

uint64_t hdabdl_fault_hal_fault_fired(struct hdabdl_fault_hal *fh, int id)
{
    return fault_field(fh, id, true);
}

/* ---- Counting ------------------------------------------------------------------------------- */

static unsigned since_index(enum hdabdl_fault_since since)
{
    return since == HDABDL_FAULT_SINCE_RESET ? 1u : 0u;
}

uint64_t hdabdl_fault_hal_slot_calls(struct hdabdl_fault_hal *fh, enum hdabdl_fault_slot slot,
                                     enum hdabdl_fault_since since)
{
    uint64_t v = 0;
    if (!fh || (unsigned)slot >= HDABDL_FAULT_SLOT_COUNT)
        return 0;
    fh_lock(fh);
    v = fh->slot_calls[since_index(since)][slot];
    fh_unlock(fh);
    return v;
}

uint64_t hdabdl_fault_hal_kind_calls(struct hdabdl_fault_hal *fh, enum hdabdl_fault_kind kind,
                                     enum hdabdl_fault_since since)
{
    return hdabdl_fault_hal_slot_calls(fh, hdabdl_fault_kind_slot(kind), since);
}

static uint64_t reg_count(struct hdabdl_fault_hal *fh, uint64_t *const counts[2], uint32_t offset,
                          enum hdabdl_fault_since since)
{
    uint64_t v;
    if (!fh || offset >= HDABDL_FAULT_REG_SPACE)
        return 0;
    fh_lock(fh);
    v = counts[since_index(since)][offset];
    fh_unlock(fh);
    return v;
}

uint64_t hdabdl_fault_hal_reg_reads(struct hdabdl_fault_hal *fh, uint32_t offset,
                                    enum hdabdl_fault_since since)
{
    return fh ? reg_count(fh, fh->reg_reads, offset, since) : 0;
}

uint64_t hdabdl_fault_hal_reg_writes(struct hdabdl_fault_hal *fh, uint32_t offset,
                                     enum hdabdl_fault_since since)
{
    return fh ? reg_count(fh, fh->reg_writes, offset, since) : 0;
}

uint64_t hdabdl_fault_hal_fired(struct hdabdl_fault_hal *fh, enum hdabdl_fault_kind kind,
                                enum hdabdl_fault_since since)
{
    uint64_t v;
    if (!fh || (unsigned)kind >= HDABDL_FAULT_KIND_COUNT)
        return 0;
    fh_lock(fh);
    v = fh->fired[since_index(since)][kind];
    fh_unlock(fh);
    return v;
}

uint64_t hdabdl_fault_hal_fired_total(struct hdabdl_fault_hal *fh, enum hdabdl_fault_since since)
{
    uint64_t v;
    if (!fh)
        return 0;
    fh_lock(fh);
    v = fh->fired_total[since_index(since)];
    fh_unlock(fh);
    return v;
}

int64_t hdabdl_fault_hal_outstanding(struct hdabdl_fault_hal *fh, enum hdabdl_fault_resource res)
{
    int64_t v;
    if (!fh || (unsigned)res > HDABDL_FAULT_RES_TIMER)
        return 0;
    fh_lock(fh);
    v = fh->held[res];
    fh_unlock(fh);
    return v;
}

void hdabdl_fault_hal_reset_counts(struct hdabdl_fault_hal *fh)
{
    if (!fh)
        return;
    fh_lock(fh);
    memset(fh->slot_calls[1], 0, sizeof fh->slot_calls[1]);
    memset(fh->fired[1], 0, sizeof fh->fired[1]);
    fh->fired_total[1] = 0;
    fh->tainted[1] = 0;
    memset(fh->reg_reads[1], 0, HDABDL_FAULT_REG_SPACE * sizeof *fh->reg_reads[1]);
    memset(fh->reg_writes[1], 0, HDABDL_FAULT_REG_SPACE * sizeof *fh->reg_writes[1]);
    fh_unlock(fh);
}

/* ---- The log ------------------------------------------------------------------------------- */

size_t hdabdl_fault_hal_log_count(struct hdabdl_fault_hal *fh)
{
    size_t n;
    if (!fh)
        return 0;
    fh_lock(fh);
    n = fh->log_count;
    fh_unlock(fh);
    return n;
}

bool hdabdl_fault_hal_log_get(struct hdabdl_fault_hal *fh, size_t index,
                              struct hdabdl_fault_read_record *out)
{
    bool ok = false;
    if (!fh || !out)
        return false;
    fh_lock(fh);
    if (index < fh->log_count) {
        *out = *log_at(fh, index);
        ok = true;
    }
    fh_unlock(fh);
    return ok;
}

void hdabdl_fault_hal_log_clear(struct hdabdl_fault_hal *fh)
{
    if (!fh)
        return;
    fh_lock(fh);
    fh->log_start = 0;
    fh->log_count = 0;
    fh->log_open = 0;
    fh_unlock(fh);
}

uint64_t hdabdl_fault_hal_tainted_writes(struct hdabdl_fault_hal *fh, enum hdabdl_fault_since since)
{
    uint64_t v;
    if (!fh)
        return 0;
    fh_lock(fh);
    v = fh->tainted[since_index(since)];
    fh_unlock(fh);
    return v;
}

/* ---- Names ------------------------------------------------------------------------------------ */

const char *hdabdl_fault_kind_name(enum hdabdl_fault_kind kind)
{
    static const char *const names[HDABDL_FAULT_KIND_COUNT] = {
        [HDABDL_FAULT_REG_READ_ERROR] = "reg_read_error",
        [HDABDL_FAULT_REG_READ_ALL_ONES] = "reg_read_all_ones",
        [HDABDL_FAULT_REG_READ_VALUE] = "reg_read_value",
        [HDABDL_FAULT_REG_WRITE_ERROR] = "reg_write_error",
        [HDABDL_FAULT_DMA_ALLOC] = "dma_alloc",
        [HDABDL_FAULT_MEM_ALLOC] = "mem_alloc",
        [HDABDL_FAULT_LOCK_CREATE] = "lock_create",
        [HDABDL_FAULT_IRQ_ATTACH] = "irq_attach",
        [HDABDL_FAULT_TIMER_ATTACH] = "timer_attach",
        [HDABDL_FAULT_STUCK_BITS] = "stuck_bits",
    };
    return (unsigned)kind < HDABDL_FAULT_KIND_COUNT ? names[kind] : "?";
}

const char *hdabdl_fault_slot_name(enum hdabdl_fault_slot slot)
{
    static const char *const names[HDABDL_FAULT_SLOT_COUNT] = {
        [HDABDL_FAULT_SLOT_REG_READ] = "reg_read",
        [HDABDL_FAULT_SLOT_REG_WRITE] = "reg_write",
        [HDABDL_FAULT_SLOT_REG_POINTER] = "reg_pointer",
        [HDABDL_FAULT_SLOT_DMA_ALLOC] = "dma_alloc",
        [HDABDL_FAULT_SLOT_DMA_FREE] = "dma_free",
        [HDABDL_FAULT_SLOT_DELAY_US] = "delay_us",
        [HDABDL_FAULT_SLOT_NOW_NS] = "now_ns",
        [HDABDL_FAULT_SLOT_IRQ_ATTACH] = "irq_attach",
        [HDABDL_FAULT_SLOT_IRQ_DETACH] = "irq_detach",
        [HDABDL_FAULT_SLOT_LOCK_CREATE] = "lock_create",
        [HDABDL_FAULT_SLOT_LOCK_DESTROY] = "lock_destroy",
        [HDABDL_FAULT_SLOT_LOCK_ACQUIRE] = "lock_acquire",
        [HDABDL_FAULT_SLOT_LOCK_RELEASE] = "lock_release",
        [HDABDL_FAULT_SLOT_PCI_IDS] = "pci_ids",
        [HDABDL_FAULT_SLOT_TIMER_ATTACH] = "timer_attach",
        [HDABDL_FAULT_SLOT_TIMER_ARM] = "timer_arm",
        [HDABDL_FAULT_SLOT_TIMER_DETACH] = "timer_detach",
        [HDABDL_FAULT_SLOT_SLEEP_US] = "sleep_us",
        [HDABDL_FAULT_SLOT_MEM_ALLOC] = "mem_alloc",
        [HDABDL_FAULT_SLOT_MEM_FREE] = "mem_free",
        [HDABDL_FAULT_SLOT_CALLER_LEVEL] = "caller_level",
        [HDABDL_FAULT_SLOT_LEVEL_RAISE] = "level_raise",
        [HDABDL_FAULT_SLOT_LEVEL_RESTORE] = "level_restore",
    };
    return (unsigned)slot < HDABDL_FAULT_SLOT_COUNT ? names[slot] : "?";
}
