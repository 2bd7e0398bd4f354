/* SPDX-License-Identifier: MIT */
/*
 * hdabdl/fault.h - a fault-injecting HAL that wraps any other HAL.
 *
 * The idea is SQLite's fault-injection shims (src/test_vfs.c and
 * src/test_malloc.c in the SQLite sources, https://sqlite.org/testing.html
 * "Anomaly Testing"): a layer between the code under test and its
 * environment forwards every call and can be told to make the Nth call of a
 * kind fail, once or from then on. Run a scenario once to count the calls,
 * then again with call 1, 2, ... failing, and every error path is taken.
 *
 * A fault HAL forwards every slot of every version of the inner table (its
 * ops and context) unchanged, counts the calls, and fails the ones it is told
 * to. Slots absent in the inner table stay absent, except mem_alloc and
 * mem_free: over a version 1 or 2 table (where they do not exist) the fault
 * HAL provides them with malloc and free, so the v3 core runs over any table.
 *
 *     struct hdabdl_fault_hal *fh;
 *     hdabdl_fault_hal_create(hdabdl_mock_hal_ops(), hdabdl_mock_hal_context(mock), &fh);
 *     hdabdl_fault_hal_fail(fh, HDABDL_FAULT_DMA_ALLOC, 2, false);  // 2nd dma_alloc fails once
 *     st = hdabdl_controller_open(hdabdl_fault_hal_ops(fh), hdabdl_fault_hal_context(fh),
 *                                 NULL, &ctrl);
 *     ...
 *     hdabdl_fault_hal_destroy(fh);   // after the controller is closed
 *
 * Counting. A fault fires at the nth call that matches it, counting from the
 * moment it was armed (1-based): the calls of its kind's slot
 * (hdabdl_fault_kind_slot()), and with HDABDL_FAULT_AT_OFFSET only those at
 * that register offset. A fault that is not sticky fires once and is spent; a
 * sticky one fires at the nth and every later matching call until disarmed.
 * Arming right after creation makes "from arming" the same as "from
 * creation". Every armed fault counts every call that matches it, whether or
 * not another fault fired on it; when several fire on one call the one armed
 * first (lowest id) decides the result.
 *
 * A faulted call does not reach the inner HAL (a failed dma_alloc allocates
 * nothing, a failed register write is not made, a faulted read is not made),
 * except for HDABDL_FAULT_STUCK_BITS, which changes what reads return.
 *
 * Register counts are per exact offset (the offset the caller passed, any
 * width), for offsets below HDABDL_FAULT_REG_SPACE (BAR0, 16 KiB); accesses
 * above it are counted in the slot counts only.
 *
 * Thread safety: every function and every slot may be called from any
 * thread. The fault HAL's state is guarded by its own mutex, which is never
 * held while the inner HAL runs (the inner HAL may call the core's interrupt
 * and timer handlers, which call back into the fault HAL); the handler and
 * argument of irq_attach and timer_attach reach the inner HAL unchanged.
 *
 * This is hosted code (malloc, pthreads): src/hal/fault/fault_hal.c, part of
 * the hdabdl library, not of the freestanding core.
 */
#ifndef HDABDL_FAULT_H
#define HDABDL_FAULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hdabdl/hal.h"
#include "hdabdl/status.h"

#ifdef __cplusplus
extern "C" {
#endif

struct hdabdl_fault_hal;

/** BAR0's size: register offsets below it are counted one by one. */
#define HDABDL_FAULT_REG_SPACE 0x4000u

/** Faults armed at once, at most. */
#define HDABDL_FAULT_MAX_ARMED 16

/** Faulted register reads kept in the log (the latest ones). */
#define HDABDL_FAULT_LOG_SIZE 64

/** What a fault does. The slot whose calls it counts is in brackets. */
enum hdabdl_fault_kind {
    /** [reg_read] returns spec.error (default -HDABDL_EIO); *value is all ones of the width. */
    HDABDL_FAULT_REG_READ_ERROR,
    /** [reg_read] returns 0 and all ones of the width (what a vanished PCI device reads). */
    HDABDL_FAULT_REG_READ_ALL_ONES,
    /** [reg_read] returns 0 and spec.value (truncated to the width). */
    HDABDL_FAULT_REG_READ_VALUE,
    /** [reg_write] returns spec.error (default -HDABDL_EIO); the write is not made. */
    HDABDL_FAULT_REG_WRITE_ERROR,
    /** [dma_alloc] returns spec.error (default -HDABDL_ENOMEM); nothing is allocated. */
    HDABDL_FAULT_DMA_ALLOC,
    /** [mem_alloc] returns NULL. */
    HDABDL_FAULT_MEM_ALLOC,
    /** [lock_create] returns spec.error (default -HDABDL_ENOMEM); no lock is made. */
    HDABDL_FAULT_LOCK_CREATE,
    /** [irq_attach] returns spec.error (default -HDABDL_EBUSY); nothing is attached. */
    HDABDL_FAULT_IRQ_ATTACH,
    /** [timer_attach] returns spec.error (default -HDABDL_EBUSY); nothing is attached. */
    HDABDL_FAULT_TIMER_ATTACH,
    /**
     * [reg_write at spec.offset] handshake bits that never change. Needs
     * HDABDL_FAULT_AT_OFFSET and a non-zero spec.mask (bits of the value at
     * spec.offset, as the access width sees it). When the nth write at
     * spec.offset comes, the fault HAL first reads the register from the
     * inner HAL itself (same offset and width; that read is not counted) and
     * keeps the mask bits as they are; the write is then made, but every read
     * at spec.offset returns those kept bits instead of the real ones (the
     * other bits are real). Not sticky: until the next write at spec.offset,
     * which is made normally and ends the fault. Sticky: forever (later writes
     * do not change the kept bits), until disarmed.
     *
     * The core accesses each handshake register at one offset: GCTL.CRST
     * (HDA_REG_GCTL, 32-bit), SDnCTL.SRST and .RUN (HDA_SD_OFFSET(n, HDA_SD_CTL),
     * 8-bit), CORBRP.RST (HDA_REG_CORBRP, 16-bit), ICIS.ICB (HDA_REG_ICIS, 16-bit).
     */
    HDABDL_FAULT_STUCK_BITS,
    HDABDL_FAULT_KIND_COUNT
};

/** The slots, in the order of struct hdabdl_hal_ops: what the call counters count. */
enum hdabdl_fault_slot {
    HDABDL_FAULT_SLOT_REG_READ,
    HDABDL_FAULT_SLOT_REG_WRITE,
    HDABDL_FAULT_SLOT_REG_POINTER,
    HDABDL_FAULT_SLOT_DMA_ALLOC,
    HDABDL_FAULT_SLOT_DMA_FREE,
    HDABDL_FAULT_SLOT_DELAY_US,
    HDABDL_FAULT_SLOT_NOW_NS,
    HDABDL_FAULT_SLOT_IRQ_ATTACH,
    HDABDL_FAULT_SLOT_IRQ_DETACH,
    HDABDL_FAULT_SLOT_LOCK_CREATE,
    HDABDL_FAULT_SLOT_LOCK_DESTROY,
    HDABDL_FAULT_SLOT_LOCK_ACQUIRE,
    HDABDL_FAULT_SLOT_LOCK_RELEASE,
    HDABDL_FAULT_SLOT_PCI_IDS,        /* v2 */
    HDABDL_FAULT_SLOT_TIMER_ATTACH,
    HDABDL_FAULT_SLOT_TIMER_ARM,
    HDABDL_FAULT_SLOT_TIMER_DETACH,
    HDABDL_FAULT_SLOT_SLEEP_US,
    HDABDL_FAULT_SLOT_MEM_ALLOC,      /* v3 */
    HDABDL_FAULT_SLOT_MEM_FREE,
    HDABDL_FAULT_SLOT_CALLER_LEVEL,
    HDABDL_FAULT_SLOT_LEVEL_RAISE,
    HDABDL_FAULT_SLOT_LEVEL_RESTORE,
    HDABDL_FAULT_SLOT_COUNT
};

/** Which counter: since hdabdl_fault_hal_create(), or since the last hdabdl_fault_hal_reset_counts(). */
enum hdabdl_fault_since {
    HDABDL_FAULT_SINCE_CREATE,
    HDABDL_FAULT_SINCE_RESET
};

/** What is held: successful acquisitions minus releases (leak checks over any inner HAL). */
enum hdabdl_fault_resource {
    HDABDL_FAULT_RES_DMA,        /**< dma_alloc successes - dma_free calls */
    HDABDL_FAULT_RES_MEM,        /**< mem_alloc successes - mem_free calls */
    HDABDL_FAULT_RES_MEM_BYTES,  /**< bytes of those (mem_free's size argument) */
    HDABDL_FAULT_RES_LOCK,       /**< lock_create successes - lock_destroy calls */
    HDABDL_FAULT_RES_IRQ,        /**< irq_attach successes - irq_detach calls */
    HDABDL_FAULT_RES_TIMER       /**< timer_attach successes - timer_detach calls */
};

/** spec.flags */
#define HDABDL_FAULT_STICKY    0x1u  /**< fire at the nth matching call and at every later one */
#define HDABDL_FAULT_AT_OFFSET 0x2u  /**< register kinds: only calls at spec.offset match */

/** A fault to arm. Zero what you do not use. */
struct hdabdl_fault_spec {
    enum hdabdl_fault_kind kind;
    uint64_t nth;       /**< 1-based: the nth matching call from arming fires */
    uint32_t flags;     /**< HDABDL_FAULT_STICKY, HDABDL_FAULT_AT_OFFSET */
    uint32_t offset;    /**< with HDABDL_FAULT_AT_OFFSET: the register offset (exact) */
    uint32_t mask;      /**< HDABDL_FAULT_STUCK_BITS: the bits that never change */
    uint32_t value;     /**< HDABDL_FAULT_REG_READ_VALUE: what the read returns */
    int error;          /**< error kinds: what the slot returns (-HDABDL_E*; positive is
                             negated); 0: the kind's default */
};

/* ---- Life cycle ----------------------------------------------------------------- */

/**
 * A fault HAL over (@inner, @inner_ctx), nothing armed, counters at 0, its
 * table of version 3 (hdabdl_fault_hal_set_version() changes that).
 * INVALID_PARAMETER for NULL @inner or @out; REVISION_MISMATCH when @inner
 * is not a valid version 1, 2 or 3 table (too small for its version);
 * NO_MEMORY. The inner HAL must outlive the fault HAL.
 */
hdabdl_status hdabdl_fault_hal_create(const struct hdabdl_hal_ops *inner, void *inner_ctx,
                                      struct hdabdl_fault_hal **out);

/** Free it (NULL is ignored). Only after the controller over it is closed. */
void hdabdl_fault_hal_destroy(struct hdabdl_fault_hal *fh);

/** The ops table and the context to pass to hdabdl_controller_open() (one table per instance). */
const struct hdabdl_hal_ops *hdabdl_fault_hal_ops(struct hdabdl_fault_hal *fh);
void *hdabdl_fault_hal_context(struct hdabdl_fault_hal *fh);

/**
 * Make the table pretend to be of HAL version @version (1, 2 or 3):
 * abi_version = @version, struct_size = HDABDL_HAL_OPS_V<version>_SIZE. The
 * slots stay as they are (a reader of the table must not look past
 * struct_size). The core refuses 1 and 2 (REVISION_MISMATCH);
 * hdabdl_hal_hosted_wrap() takes them. INVALID_PARAMETER for other versions.
 * Call it before the table is handed to anyone.
 */
hdabdl_status hdabdl_fault_hal_set_version(struct hdabdl_fault_hal *fh, uint32_t version);

/* ---- Arming ---------------------------------------------------------------------- */

/**
 * Arm @spec; *@id (optional) gets its id (0 .. HDABDL_FAULT_MAX_ARMED - 1).
 * INVALID_PARAMETER for an unknown kind or flag, nth 0, AT_OFFSET on a kind
 * that is not a register kind, STUCK_BITS without AT_OFFSET or mask;
 * INSUFFICIENT_RESOURCES when HDABDL_FAULT_MAX_ARMED faults are armed.
 */
hdabdl_status hdabdl_fault_hal_arm(struct hdabdl_fault_hal *fh, const struct hdabdl_fault_spec *spec,
                                   int *id);

/** Shorthand: arm @kind at the @nth call of its slot (any offset), once or sticky, defaults
 *  for the rest. STUCK_BITS needs hdabdl_fault_hal_arm() (an offset and a mask). */
hdabdl_status hdabdl_fault_hal_fail(struct hdabdl_fault_hal *fh, enum hdabdl_fault_kind kind,
                                    uint64_t nth, bool sticky);

/** Disarm fault @id (an unknown id is ignored); stuck bits read true again. */
void hdabdl_fault_hal_disarm(struct hdabdl_fault_hal *fh, int id);
void hdabdl_fault_hal_disarm_all(struct hdabdl_fault_hal *fh);

/** Calls that matched fault @id since it was armed, and how many times it fired (0 for an
 *  unknown id). matched < nth after a run: the run never reached the nth call. */
uint64_t hdabdl_fault_hal_fault_matched(struct hdabdl_fault_hal *fh, int id);
uint64_t hdabdl_fault_hal_fault_fired(struct hdabdl_fault_hal *fh, int id);

/* ---- Counting --------------------------------------------------------------------- */

/** Calls of @slot. */
uint64_t hdabdl_fault_hal_slot_calls(struct hdabdl_fault_hal *fh, enum hdabdl_fault_slot slot,
                                     enum hdabdl_fault_since since);

/** The slot whose calls a fault of @kind counts (HDABDL_FAULT_SLOT_COUNT for an unknown kind). */
enum hdabdl_fault_slot hdabdl_fault_kind_slot(enum hdabdl_fault_kind kind);

/** Calls of @kind's slot: a fault of @kind armed with no offset can fire at 1 .. this. */
uint64_t hdabdl_fault_hal_kind_calls(struct hdabdl_fault_hal *fh, enum hdabdl_fault_kind kind,
                                     enum hdabdl_fault_since since);

/** reg_read / reg_write calls at exactly @offset (0 for offsets >= HDABDL_FAULT_REG_SPACE). */
uint64_t hdabdl_fault_hal_reg_reads(struct hdabdl_fault_hal *fh, uint32_t offset,
                                    enum hdabdl_fault_since since);
uint64_t hdabdl_fault_hal_reg_writes(struct hdabdl_fault_hal *fh, uint32_t offset,
                                     enum hdabdl_fault_since since);

/** Calls that a fault of @kind fired on; and of all kinds (a call counts once). For
 *  STUCK_BITS: the writes that kept the bits (not the reads they changed). */
uint64_t hdabdl_fault_hal_fired(struct hdabdl_fault_hal *fh, enum hdabdl_fault_kind kind,
                                enum hdabdl_fault_since since);
uint64_t hdabdl_fault_hal_fired_total(struct hdabdl_fault_hal *fh, enum hdabdl_fault_since since);

/** What is held now (see enum hdabdl_fault_resource); 0 for each after a clean close. */
int64_t hdabdl_fault_hal_outstanding(struct hdabdl_fault_hal *fh, enum hdabdl_fault_resource res);

/** Zero every SINCE_RESET counter (slots, registers, fired, tainted writes). */
void hdabdl_fault_hal_reset_counts(struct hdabdl_fault_hal *fh);

/* ---- The log of faulted reads (read-modify-write after a failed read) --------------- */

/**
 * One register read that a fault of kind REG_READ_ERROR, REG_READ_ALL_ONES
 * or REG_READ_VALUE answered, and what the caller wrote to the same offset
 * afterwards. The record is open from the read until the next read at the
 * same offset that no such fault answers (a "clean" read: the caller knows
 * the register again). Every reg_write at the offset while the record is open
 * is counted in it: a write there is what a read-modify-write of a value that
 * came from the failed read looks like.
 */
struct hdabdl_fault_read_record {
    uint64_t call;           /**< which reg_read call it was (1-based, since creation) */
    enum hdabdl_fault_kind kind;
    uint32_t offset;
    uint8_t width;
    int error;               /**< what reg_read returned (0 for ALL_ONES and VALUE) */
    uint32_t value;          /**< what *value got */
    bool closed;             /**< a clean read at @offset came after it */
    uint64_t writes;         /**< reg_write calls at @offset while it was open */
    uint8_t write_width;     /**< of the first of them (when writes > 0) */
    uint32_t write_value;    /**< the value of the first of them */
};

/** Records kept (the latest HDABDL_FAULT_LOG_SIZE faulted reads). */
size_t hdabdl_fault_hal_log_count(struct hdabdl_fault_hal *fh);
/** Copy record @index (0: the oldest kept). false past the end. */
bool hdabdl_fault_hal_log_get(struct hdabdl_fault_hal *fh, size_t index,
                              struct hdabdl_fault_read_record *out);
/** Forget the records (the tainted write counters stay). */
void hdabdl_fault_hal_log_clear(struct hdabdl_fault_hal *fh);

/**
 * reg_write calls that hit an open record (each call counted once, however
 * many records it hits). 0 means no register was written at an offset whose
 * last read was a faulted one. Records pushed out of the log no longer count.
 */
uint64_t hdabdl_fault_hal_tainted_writes(struct hdabdl_fault_hal *fh, enum hdabdl_fault_since since);

/* ---- Names (for messages) ------------------------------------------------------------ */

/** "reg_read_error", ...; "?" for an unknown kind. */
const char *hdabdl_fault_kind_name(enum hdabdl_fault_kind kind);
/** "reg_read", ... (the slot's name in struct hdabdl_hal_ops); "?" for an unknown slot. */
const char *hdabdl_fault_slot_name(enum hdabdl_fault_slot slot);

#ifdef __cplusplus
}
#endif

#endif /* HDABDL_FAULT_H */
