/* SPDX-License-Identifier: MIT */
/*
 * mock_internal.h - private state of the mock HDA controller (device model).
 *
 * The model is split by concern:
 *   mock_regs.c    the register table, MMIO access rules and write handlers
 *   mock_device.c  life cycle, virtual time, handshakes, resets, interrupts,
 *                  faults, violation records and statistics
 *   mock_cmd.c     the command transport: CORB, RIRB, immediate commands,
 *                  unsolicited responses, and the codecs on the link
 *   mock_dma.c     the stream DMA engines, position buffer, link taps, capture,
 *                  stream data to and from the codecs' converters
 *   mock_hal.c     the mock HAL (a model plus DMA arenas acting as its host)
 *   mock_default_codec.c  the codec the mock HAL attaches where none was added
 *
 * Register values live in one array indexed like the register table. A
 * register's stored value is always what it reads back as (for handshake bits
 * the written target is kept aside until the handshake completes); registers
 * whose value is computed (INTSTS, WALCLK, the alias page) have a read handler.
 *
 * Locking: every public entry point takes @lock; functions named *_locked and
 * everything declared here expect it held.
 */
#ifndef HDABDL_MOCK_INTERNAL_H
#define HDABDL_MOCK_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hdabdl/mock.h"
#include "hdabdl/regs.h"

#define MOCK_VIOLATIONS_KEPT    64
#define MOCK_LINK_TAGS          16      /* stream tags 0..15; 0 is reserved and never kept */
#define MOCK_FRAME_NS_NUM       62500u  /* link frame k starts at k * 62500 / 3 ns */
#define MOCK_FRAME_NS_DEN       3u
#define MOCK_MAX_FRAME_BYTES    256u    /* 4 blocks (192 kHz) of 16 channels x 4 bytes */
#define MOCK_CODECS             15      /* codec addresses 0..14 (15 is the broadcast address) */

struct hdabdl_mock;

/* ---- Register table ------------------------------------------------------- */

/* Global registers, in table order (also their index in the value array). */
enum mock_global_reg {
    MOCK_GCAP, MOCK_VMIN, MOCK_VMAJ, MOCK_OUTPAY, MOCK_INPAY, MOCK_GCTL, MOCK_WAKEEN,
    MOCK_STATESTS, MOCK_GSTS, MOCK_OUTSTRMPAY, MOCK_INSTRMPAY, MOCK_INTCTL, MOCK_INTSTS,
    MOCK_WALCLK, MOCK_SSYNC, MOCK_CORBLBASE, MOCK_CORBUBASE, MOCK_CORBWP, MOCK_CORBRP,
    MOCK_CORBCTL, MOCK_CORBSTS, MOCK_CORBSIZE, MOCK_RIRBLBASE, MOCK_RIRBUBASE, MOCK_RIRBWP,
    MOCK_RINTCNT, MOCK_RIRBCTL, MOCK_RIRBSTS, MOCK_RIRBSIZE, MOCK_ICOI, MOCK_ICII, MOCK_ICIS,
    MOCK_DPLBASE, MOCK_DPUBASE, MOCK_WALCLK_ALIAS,
    MOCK_GLOBAL_REGS
};

/* Registers of one stream descriptor (with its LPIB alias), in table order. */
enum mock_sd_reg {
    MOCK_SD_CTL, MOCK_SD_STS, MOCK_SD_LPIB, MOCK_SD_CBL, MOCK_SD_LVI, MOCK_SD_FIFOW,
    MOCK_SD_FIFOS, MOCK_SD_FMT, MOCK_SD_BDPL, MOCK_SD_BDPU, MOCK_SD_LPIB_ALIAS,
    MOCK_SD_REGS
};

/* What one MMIO access is, for reporting what it did wrong (each kind once). */
struct mock_access {
    uint32_t offset;
    uint8_t width;
    bool write;
    uint32_t value;
    uint32_t flagged;   /* bit per enum hdabdl_mock_violation already recorded */
};

/**
 * mock_write_fn - side effects of a register write, after the masks were applied.
 * @old:     the stored value before the write
 * @written: bit mask of the register bits the access covered
 */
typedef void (*mock_write_fn)(struct hdabdl_mock *m, struct mock_access *acc, unsigned reg,
                              uint32_t old, uint32_t written);
/** mock_read_fn - value of a computed register. */
typedef uint32_t (*mock_read_fn)(const struct hdabdl_mock *m, unsigned reg);
/**
 * mock_check_fn - register-specific rules of a write, checked with the other
 * rules before anything is applied: records violations through @acc.
 * @value: the written bits (in register position); @mask: the bits covered
 * Returns the covered bits the write must leave unchanged (0: apply all).
 */
typedef uint32_t (*mock_check_fn)(struct hdabdl_mock *m, struct mock_access *acc, unsigned reg,
                                  uint32_t value, uint32_t mask);

/* Which DMA engine must be stopped for a register to be written. */
enum mock_run_lock {
    MOCK_LOCK_NONE,
    MOCK_LOCK_SD,       /* the register's stream: SDnCTL.RUN reads 1 */
    MOCK_LOCK_CORB,     /* CORBCTL.CORBRUN reads 1 */
    MOCK_LOCK_RIRB      /* RIRBCTL.RIRBDMAEN reads 1 */
};

struct mock_reg {
    const char *name;
    uint32_t offset;
    uint8_t size;           /* bytes: 1, 2, 3 (SDnCTL) or 4 */
    int8_t stream;          /* SD index, -1 for global registers */
    uint8_t run_lock;       /* enum mock_run_lock: writing it while that engine's run bit
                               reads 1 is a violation (reported, still applied) */
    uint32_t reset;
    uint32_t wmask;         /* bits software may set and clear */
    uint32_t w1c;           /* bits software clears by writing 1 */
    uint32_t wignore;       /* read-only bits the hardware owns (FIFORDY, CORB/RIRB pointers):
                               writes there are ignored without complaint, because software
                               cannot know their value when it writes the bits beside them */
    mock_write_fn on_write;
    mock_read_fn on_read;
    mock_check_fn on_check;
};

/* ---- Time-dependent state -------------------------------------------------- */

/* A bit that reads back the written value only some time after the write. */
struct mock_handshake {
    bool pending;
    bool target;
    uint64_t deadline;
};

struct mock_timer {
    bool pending;
    uint64_t deadline;
};

enum mock_stream_kind { MOCK_STREAM_INPUT, MOCK_STREAM_OUTPUT, MOCK_STREAM_BIDIR };

struct mock_bdl_entry {
    uint64_t address;
    uint32_t length;
    uint32_t flags;
};

struct mock_stream {
    enum mock_stream_kind kind;
    bool engine_on;                 /* RUN written 1 and not stopped since */
    struct mock_handshake srst;
    struct mock_timer run_stop;     /* RUN keeps reading 1 until this fires */
    struct mock_timer fifo_ready;   /* FIFORDY sets when this fires */
    /* Where the BDL walk is. */
    uint32_t entry_index;
    uint32_t entry_offset;
    bool entry_loaded;              /* @entry holds BDL entry @entry_index */
    struct mock_bdl_entry entry;
    uint64_t cadence;               /* rate accumulator, in units of base rate x MULT */
};

/*
 * The command transport (hw.md 3.5, 3.6, 7.2). Link frame k carries at most
 * one command on SDO (the immediate command first, else the next CORB entry)
 * and, on each codec's SDI, at most one response: the solicited response to
 * the command of frame k - 1, or else one queued unsolicited response.
 */
struct mock_cmd {
    bool corb_on;                   /* CORBRUN written 1 and not stopped since */
    struct mock_timer corb_stop;    /* CORBRUN keeps reading 1 until this fires */
    bool rirb_on;                   /* RIRBDMAEN written 1 and not stopped since */
    struct mock_timer rirb_stop;    /* RIRBDMAEN keeps reading 1 until this fires */
    unsigned rirb_count;            /* responses written since the last response interrupt */
    bool ic_pending;                /* ICB written 1, the command not sent yet */
    /* The command sent in the last frame, whose response comes in the next. */
    bool inflight;
    bool inflight_immediate;        /* from ICOI: the response goes to ICII */
    bool inflight_answered;         /* the codec answered (a response will come) */
    uint8_t inflight_codec;
    uint32_t inflight_response;
    bool codecs_awake;              /* the codecs finished their link-reset wake */
};

/* Render data that left the controller with one stream tag: a ring of bytes. */
struct mock_link_tap {
    uint8_t *data;
    size_t allocated;   /* grows on demand up to the configured capacity */
    size_t head;        /* oldest byte */
    size_t used;
    uint64_t dropped;
};

struct hdabdl_mock {
    pthread_mutex_t lock;
    struct hdabdl_mock_config config;
    struct hdabdl_mock_host host;
    unsigned stream_count;

    /* Registers: the table (fixed after create) and the values. */
    struct mock_reg *regs;
    uint32_t *vals;
    unsigned reg_count;
    int16_t reg_at[HDA_MMIO_SIZE];  /* byte offset -> register index, -1 for none */

    /* Virtual time. Every link frame starting at or before @now has been run. */
    uint64_t now;
    uint64_t next_frame;
    struct mock_handshake crst;
    struct mock_timer codec_wake;
    bool walclk_running;
    uint64_t walclk_start;

    struct mock_stream streams[HDA_MAX_STREAMS];
    struct mock_cmd cmd;
    struct hdabdl_codec *codecs[MOCK_CODECS];   /* attached codecs (not owned) by address */
    uint32_t faults[HDABDL_MOCK_FAULT_COUNT];   /* bit n: applies to stream (or codec) n */
    bool irq_level;

    /* What the alias page reads as: [0] WALCLK, [1 + n] SDn LPIB. */
    volatile uint32_t alias_shadow[1 + HDA_MAX_STREAMS];

    struct mock_link_tap taps[MOCK_LINK_TAGS];
    hdabdl_mock_capture_fn capture_fn;
    void *capture_ctx;

    struct hdabdl_mock_violation_record violations[MOCK_VIOLATIONS_KEPT];
    size_t violation_count;
    struct hdabdl_mock_stats stats;
};

/* ---- Register helpers --------------------------------------------------------- */

static inline unsigned mock_sd_reg_index(unsigned stream, enum mock_sd_reg reg)
{
    return MOCK_GLOBAL_REGS + stream * MOCK_SD_REGS + (unsigned)reg;
}

static inline uint32_t *mock_gr(struct hdabdl_mock *m, enum mock_global_reg reg)
{
    return &m->vals[reg];
}

static inline uint32_t *mock_sd(struct hdabdl_mock *m, unsigned stream, enum mock_sd_reg reg)
{
    return &m->vals[mock_sd_reg_index(stream, reg)];
}

static inline uint32_t mock_sd_get(const struct hdabdl_mock *m, unsigned stream, enum mock_sd_reg reg)
{
    return m->vals[mock_sd_reg_index(stream, reg)];
}

static inline bool mock_sd_running(const struct hdabdl_mock *m, unsigned stream)
{
    return (mock_sd_get(m, stream, MOCK_SD_CTL) & HDA_SD_CTL_RUN) != 0;
}

static inline bool mock_in_reset(const struct hdabdl_mock *m)
{
    return (m->vals[MOCK_GCTL] & HDA_GCTL_CRST) == 0;
}

/* Entries of the CORB or RIRB for a CORBSIZE/RIRBSIZE value (code 3 is reserved:
 * never offered by the capabilities, so never selected). */
static inline unsigned mock_ring_entries(uint32_t size_reg)
{
    switch (size_reg & 0x3u) {
    case 0: return 2;
    case 1: return 16;
    default: return 256;
    }
}

/* ---- mock_regs.c ---------------------------------------------------------------- */

/** hdabdl__mock_build_regs - allocate and fill the register table for m->config. */
int hdabdl__mock_build_regs(struct hdabdl_mock *m);
/** hdabdl__mock_reg_value - what register @reg reads as now. */
uint32_t hdabdl__mock_reg_value(const struct hdabdl_mock *m, unsigned reg);
/** hdabdl__mock_reg_name - "GCTL", "SD4CTL", ... into @buf; "?" for none. */
void hdabdl__mock_reg_name(const struct hdabdl_mock *m, uint32_t offset, char *buf, size_t len);

/* ---- mock_device.c ---------------------------------------------------------------- */

void hdabdl__mock_lock(const struct hdabdl_mock *m);
void hdabdl__mock_unlock(const struct hdabdl_mock *m);
/** hdabdl__mock_settle_locked - after a change: fire due handshakes, update IRQ and aliases. */
void hdabdl__mock_settle_locked(struct hdabdl_mock *m);
void hdabdl__mock_record(struct hdabdl_mock *m, enum hdabdl_mock_violation kind, uint32_t offset,
                         uint8_t width, bool write, uint32_t value);
/** hdabdl__mock_flag - record @kind for this access unless it already was. */
void hdabdl__mock_flag(struct hdabdl_mock *m, struct mock_access *acc, enum hdabdl_mock_violation kind);
bool hdabdl__mock_fault(const struct hdabdl_mock *m, enum hdabdl_mock_fault fault, unsigned stream);
uint32_t hdabdl__mock_intsts(const struct hdabdl_mock *m);
uint32_t hdabdl__mock_walclk(const struct hdabdl_mock *m);
/* Handshake and engine requests from register writes. */
void hdabdl__mock_request_crst(struct hdabdl_mock *m, bool target);
void hdabdl__mock_request_srst(struct hdabdl_mock *m, unsigned stream, bool target);
void hdabdl__mock_run_written(struct hdabdl_mock *m, unsigned stream, bool run);
/** hdabdl__mock_next_frame_time - when the next link frame starts (a stop takes one frame). */
uint64_t hdabdl__mock_next_frame_time(const struct hdabdl_mock *m);
/** hdabdl__mock_present_codecs - codec_mask plus the attached codecs' addresses. */
uint16_t hdabdl__mock_present_codecs(const struct hdabdl_mock *m);
/** hdabdl__mock_stop_engine - DMA stops now and RUN reads 0 now (descriptor error). */
void hdabdl__mock_stop_engine(struct hdabdl_mock *m, unsigned stream);

/* ---- mock_cmd.c ---------------------------------------------------------------- */

/* Register writes that start or stop the command transport. */
void hdabdl__mock_corb_run_written(struct hdabdl_mock *m, bool run);
void hdabdl__mock_rirb_dma_written(struct hdabdl_mock *m, bool run);
void hdabdl__mock_corbrp_written(struct hdabdl_mock *m, bool rst);
void hdabdl__mock_icb_written(struct hdabdl_mock *m);
/** hdabdl__mock_cmd_reset - controller reset: engines off, nothing in flight. */
void hdabdl__mock_cmd_reset(struct hdabdl_mock *m);
/** hdabdl__mock_cmd_busy - would the next frame do something for the command transport? */
bool hdabdl__mock_cmd_busy(const struct hdabdl_mock *m);
/** hdabdl__mock_cmd_frame - one link frame of the command transport. */
void hdabdl__mock_cmd_frame(struct hdabdl_mock *m);
/** Deadlines and firing of the CORBRUN / RIRBDMAEN stop acknowledgements. */
uint64_t hdabdl__mock_cmd_next_deadline(const struct hdabdl_mock *m, uint64_t t);
void hdabdl__mock_cmd_fire_events_at(struct hdabdl_mock *m, uint64_t t);

/* ---- mock_dma.c ---------------------------------------------------------------- */

/** Device-initiated memory access: refused ranges and host failures are recorded. */
bool hdabdl__mock_dma_read(struct hdabdl_mock *m, uint64_t bus, void *buf, size_t len);
bool hdabdl__mock_dma_write(struct hdabdl_mock *m, uint64_t bus, const void *buf, size_t len);

/** hdabdl__mock_stream_moving - would the engine move data in the next frame? */
bool hdabdl__mock_stream_moving(const struct hdabdl_mock *m, unsigned stream);
/** hdabdl__mock_dma_frame - one link frame: every moving engine moves its blocks. */
void hdabdl__mock_dma_frame(struct hdabdl_mock *m);
void hdabdl__mock_link_taps_free(struct hdabdl_mock *m);

/* ---- mock_default_codec.c ---------------------------------------------------------- */

/** The default codec as proc text (static storage). */
const char *hdabdl__mock_default_codec_text(size_t *len);
/** Parse it into @out (free with hdabdl_codec_desc_clear()). 0 or -errno. */
int hdabdl__mock_default_codec_desc(struct hdabdl_codec_desc *out);

#endif /* HDABDL_MOCK_INTERNAL_H */
