/* SPDX-License-Identifier: MIT */
/*
 * hdabdl/mock.h - a register-accurate software HDA controller.
 *
 * Two layers:
 *
 * 1. The device model (struct hdabdl_mock). It needs no part of the core and
 *    can be embedded in an emulator: the host calls hdabdl_mock_mmio_read/
 *    _write for BAR0 accesses, supplies DMA through memory-access callbacks,
 *    is told about the interrupt line through a callback, and advances the
 *    model's virtual time with hdabdl_mock_advance().
 *
 * 2. The mock HAL (struct hdabdl_mock_hal): a device model plus a DMA memory
 *    arena acting as its host, exposed as an hdabdl_hal_ops table so the core
 *    runs against it. HAL delays advance virtual time.
 *
 * The model is a test oracle: it is stricter than QEMU's intel-hda. Every
 * access to an unknown offset, with a width or alignment the register does not
 * allow, or that tries to change read-only bits is counted and recorded.
 *
 * Thread safety: every entry point takes the model's own lock. The host's
 * dma_read/dma_write/irq_line callbacks are called with it held and must not
 * call back into the model.
 */
#ifndef HDABDL_MOCK_H
#define HDABDL_MOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hdabdl/hal.h"

#ifdef __cplusplus
extern "C" {
#endif

struct hdabdl_mock;
struct hdabdl_mock_hal;
struct hdabdl_codec_desc;   /* hdabdl/codec.h */

/* ---- Configuration ---------------------------------------------------------- */

struct hdabdl_mock_config {
    uint8_t input_streams;       /**< ISS, 0..15 */
    uint8_t output_streams;      /**< OSS, 0..15 */
    uint8_t bidir_streams;       /**< BSS, 0..15; ISS + OSS + BSS <= 30 (INTCTL has 30 stream bits) */
    bool addr64;                 /**< GCAP.64OK */
    uint8_t sdo_lines;           /**< 1, 2 or 4 (GCAP.NSDO) */
    uint16_t codec_mask;         /**< codecs that answer on the link: STATESTS bits after reset */
    bool old_ssync;              /**< SSYNC at 0x34 (ICH6) instead of 0x38 */
    uint64_t mmio_bus_address;   /**< where BAR0 sits on the bus; DMA there is refused */
    uint16_t output_fifo_size;   /**< bytes (SDnFIFOS + 1), output and bidir engines */
    uint16_t input_fifo_size;    /**< bytes, input engines */
    uint32_t crst_delay_ns;      /**< CRST takes this long to read back either way */
    uint32_t srst_delay_ns;      /**< SRST likewise */
    uint32_t codec_wake_delay_ns;/**< after leaving reset, codecs appear in STATESTS after this */
    uint32_t run_stop_delay_ns;  /**< RUN 1 -> 0 reads 0 after this */
    uint32_t fifo_ready_delay_ns;/**< RUN 0 -> 1: FIFORDY after this (FIFO primed) */
    size_t link_tap_capacity;    /**< bytes kept per output stream tag (oldest dropped) */
    /* Command transport (CORB/RIRB, immediate commands) */
    uint8_t corb_size_caps;      /**< CORBSIZE/RIRBSIZE bits 7:4: bit 4 = 2, 5 = 16, 6 = 256 entries */
    enum hdabdl_mock_corbrp_reset {
        HDABDL_MOCK_CORBRP_ACKED,        /**< CORBRP.RST reads 1 once done, 0 after SW clears it */
        HDABDL_MOCK_CORBRP_SELF_CLEARING,/**< resets RP and never reads 1 (NVIDIA-style) */
        HDABDL_MOCK_CORBRP_NEVER_ACKED   /**< resets RP, reads 1, but keeps reading 1 (never usable) */
    } corbrp_reset;
    /* PCI identity (for GetDeviceInformation V2) */
    uint16_t pci_vendor_id;      /**< default 0x8086 */
    uint16_t pci_device_id;      /**< default 0x2668 (ICH6, QEMU's intel-hda) */
    uint8_t pci_revision;        /**< default 0x01 */
    uint16_t pci_subsystem_vendor_id; /**< default 0x8086 */
    uint16_t pci_subsystem_id;   /**< default 0x0000 */
};

/** Defaults: 4 in, 4 out, 0 bidir, 64OK, 1 SDO, codec at address 0, QEMU's GCAP 0x4401,
 *  CORB/RIRB of 256 entries only (CORBSIZE 0x42), CORBRP reset acknowledged. */
void hdabdl_mock_config_default(struct hdabdl_mock_config *config);

/* ---- Host interface of the device model ------------------------------------- */

struct hdabdl_mock_host {
    void *ctx;
    /** Read @len bytes at bus address @bus. 0, or -EFAULT if nothing is mapped there.
 *  The model interprets what it reads (BDL entries, CORB verbs) as little-endian
 *  and writes little-endian (RIRB entries, the DMA position buffer), on any host;
 *  sample data it moves as bytes. */
    int (*dma_read)(void *ctx, uint64_t bus, void *buf, size_t len);
    /** Write @len bytes at bus address @bus. 0, or -EFAULT. */
    int (*dma_write)(void *ctx, uint64_t bus, const void *buf, size_t len);
    /** Optional: the interrupt line changed level. */
    void (*irq_line)(void *ctx, bool asserted);
};

/** Returns 0, -EINVAL for an impossible configuration, -ENOMEM. */
int hdabdl_mock_create(const struct hdabdl_mock_config *config, const struct hdabdl_mock_host *host,
                       struct hdabdl_mock **out);
void hdabdl_mock_destroy(struct hdabdl_mock *mock);

/** BAR0 access. @width 1, 2 or 4. Illegal accesses are recorded; reads of them give 0.
 *  @value is the access's value as a host integer (the byte at @offset + n is bits
 *  8n..8n+7 of it: registers are little-endian, as on the bus). Returns 0 or -EINVAL for an
 *  illegal access. */
int hdabdl_mock_mmio_read(struct hdabdl_mock *mock, uint32_t offset, unsigned width, uint32_t *value);
int hdabdl_mock_mmio_write(struct hdabdl_mock *mock, uint32_t offset, unsigned width, uint32_t value);

/** Advance virtual time: handshakes complete, WALCLK runs, engines move data. */
void hdabdl_mock_advance(struct hdabdl_mock *mock, uint64_t ns);
uint64_t hdabdl_mock_now(const struct hdabdl_mock *mock);
bool hdabdl_mock_irq_asserted(const struct hdabdl_mock *mock);

/**
 * A pointer through which the 32-bit register at @offset reads as the host
 * would see it through a mapping; kept current as time advances. Only the
 * alias page registers (HDA_REG_WALCLK_ALIAS, HDA_SD_LPIB_ALIAS(n)) are
 * offered; NULL otherwise. The word is the register's value in host byte
 * order (dereference it as a uint32_t on any host).
 */
const volatile uint32_t *hdabdl_mock_alias_pointer(struct hdabdl_mock *mock, uint32_t offset);

/* ---- Data on the link ---------------------------------------------------------------- */

/** Render data that left an output engine with stream tag @tag (1..15); drains what it returns. */
size_t hdabdl_mock_link_tap_read(struct hdabdl_mock *mock, uint8_t tag, void *buf, size_t len);
size_t hdabdl_mock_link_tap_available(struct hdabdl_mock *mock, uint8_t tag);
/** Bytes dropped because the tap was full. */
uint64_t hdabdl_mock_link_tap_dropped(struct hdabdl_mock *mock, uint8_t tag);

/** Supplies capture data: fill @len bytes for the input engine with stream tag @tag. */
typedef void (*hdabdl_mock_capture_fn)(void *ctx, uint8_t tag, void *buf, size_t len);
/** Without a source, capture engines receive zeros. */
void hdabdl_mock_set_capture_source(struct hdabdl_mock *mock, hdabdl_mock_capture_fn fn, void *ctx);

/* ---- Codecs on the link --------------------------------------------------- */

struct hdabdl_codec;   /* hdabdl/codec.h */

/**
 * Put @codec on the link at hdabdl_codec_address(@codec). The caller keeps
 * ownership; it must stay alive until the mock is destroyed or the codec is
 * detached. Verbs from the CORB and the immediate command interface go to it
 * one per link frame, its response arrives in the next frame; its unsolicited
 * responses reach the RIRB when GCTL.UNSOL is set; output engines feed the
 * converters whose stream tag matches (hdabdl_codec_converter_consume) and
 * input engines take data from them (hdabdl_codec_converter_produce).
 * A codec address in config.codec_mask with no codec attached is present on
 * the link (STATESTS) but never answers.
 * Returns 0, -EINVAL (bad address), -EBUSY (address taken).
 */
int hdabdl_mock_attach_codec(struct hdabdl_mock *mock, struct hdabdl_codec *codec);
void hdabdl_mock_detach_codec(struct hdabdl_mock *mock, uint8_t address);

/* ---- Faults ----------------------------------------------------------------- */

enum hdabdl_mock_fault {
    HDABDL_MOCK_FAULT_CRST_STUCK,         /**< GCTL.CRST never reads back what was written */
    HDABDL_MOCK_FAULT_SRST_NEVER_SET,     /**< SDnCTL.SRST never reads 1 */
    HDABDL_MOCK_FAULT_SRST_NEVER_CLEAR,   /**< SDnCTL.SRST never reads 0 again */
    HDABDL_MOCK_FAULT_FIFORDY_NEVER,      /**< FIFORDY never sets after RUN */
    HDABDL_MOCK_FAULT_RUN_NEVER_CLEARS,   /**< RUN keeps reading 1 after being cleared */
    HDABDL_MOCK_FAULT_ALL_ONES,           /**< every register reads all ones (device gone) */
    HDABDL_MOCK_FAULT_CODEC_SILENT,       /**< @stream = codec address: it never answers a verb
                                               (nor executes it, nor sends unsolicited responses) */
    HDABDL_MOCK_FAULT_RIRB_OVERRUN,       /**< responses are lost in the RIRB FIFO (RIRBSTS.OIS) */
    HDABDL_MOCK_FAULT_CORB_STALLED,       /**< the CORB engine never fetches a verb (RP stands still) */
    HDABDL_MOCK_FAULT_RIRB_IRQ_LOST,      /**< RIRBSTS.RINTFL is never raised (responses still land) */
    HDABDL_MOCK_FAULT_COUNT
};
/** @stream: the engine (SD index) the fault applies to, or -1 for all. */
void hdabdl_mock_set_fault(struct hdabdl_mock *mock, enum hdabdl_mock_fault fault, int stream, bool on);
/** Raise FIFOE on engine @stream (SD index) now, as an underrun/overrun would. */
void hdabdl_mock_inject_fifo_error(struct hdabdl_mock *mock, unsigned stream);

/* ---- Illegal access reports --------------------------------------------------- */

enum hdabdl_mock_violation {
    HDABDL_MOCK_UNKNOWN_OFFSET,   /**< no register at (part of) the accessed bytes */
    HDABDL_MOCK_BAD_WIDTH,        /**< width not 1/2/4 or not naturally aligned */
    HDABDL_MOCK_READ_ONLY_WRITE,  /**< a write tried to change read-only bits */
    HDABDL_MOCK_WRITE_WHILE_RUNNING, /**< CBL/LVI/BDPL/BDPU/FMT written, or SRST set, while RUN=1;
                                          CORB base/size or CORBRP.RST=1 while CORBRUN=1; RIRB
                                          base/size, RINTCNT or RIRBWP.RST while RIRBDMAEN=1; ICB
                                          set while CORBRUN or RIRBDMAEN=1; ICOI written while
                                          ICB=1 (each still applied) */
    HDABDL_MOCK_WRITE_IN_RESET,   /**< a register other than GCTL written while CRST=0 (dropped) */
    HDABDL_MOCK_DMA_INTO_MMIO,    /**< a BDL or data address pointed at the BAR */
    HDABDL_MOCK_DMA_FAULT         /**< the host refused a DMA access */
};

struct hdabdl_mock_violation_record {
    enum hdabdl_mock_violation kind;
    uint32_t offset;     /**< register offset, or low 32 bits of the DMA address */
    uint8_t width;
    bool write;
    uint32_t value;      /**< value written */
    uint64_t time_ns;
};

size_t hdabdl_mock_violation_count(const struct hdabdl_mock *mock);
/** Copy record @index (oldest first; the first 64 are kept). Returns false past the end. */
bool hdabdl_mock_violation_get(const struct hdabdl_mock *mock, size_t index,
                               struct hdabdl_mock_violation_record *out);
/** Human-readable list of the kept records into @buf (always NUL-terminated). */
void hdabdl_mock_violation_describe(const struct hdabdl_mock *mock, char *buf, size_t len);
void hdabdl_mock_violation_clear(struct hdabdl_mock *mock);

/** Access counters, for comparing register traffic. */
struct hdabdl_mock_stats {
    uint64_t reg_reads;
    uint64_t reg_writes;
    uint64_t dma_bytes_read;
    uint64_t dma_bytes_written;
    uint64_t bcis_raised;
};
void hdabdl_mock_get_stats(const struct hdabdl_mock *mock, struct hdabdl_mock_stats *out);

/* ---- The mock HAL ----------------------------------------------------------------- */

struct hdabdl_mock_hal_config {
    struct hdabdl_mock_config device;
    uint64_t dma_bus_base;   /**< bus address of the first byte of the DMA arena */
    uint64_t dma_arena_size; /**< bytes of bus address space the arena may hand out */
    uint64_t dma_high_bus_base; /**< if non-zero: a second arena of the same size there (above
                                     4 GiB); allocations whose limit allows it come from it */
};

/** Device defaults; arena at 0x10000000, 64 MiB (so below 4 GiB). */
void hdabdl_mock_hal_config_default(struct hdabdl_mock_hal_config *config);

int hdabdl_mock_hal_create(const struct hdabdl_mock_hal_config *config, struct hdabdl_mock_hal **out);
void hdabdl_mock_hal_destroy(struct hdabdl_mock_hal *hal);

/** The ops table and the context to pass to hdabdl_controller_open(). */
const struct hdabdl_hal_ops *hdabdl_mock_hal_ops(void);
void *hdabdl_mock_hal_context(struct hdabdl_mock_hal *hal);
struct hdabdl_mock *hdabdl_mock_hal_device(struct hdabdl_mock_hal *hal);

/**
 * Advance virtual time frame by frame; after each step, while the interrupt
 * line is asserted and a handler is attached, call it (bounded per step).
 */
void hdabdl_mock_hal_advance(struct hdabdl_mock_hal *hal, uint64_t ns);

/** DMA allocation failure knob: let @skip more allocations succeed, then fail @count. */
void hdabdl_mock_hal_fail_dma_alloc(struct hdabdl_mock_hal *hal, uint32_t skip, uint32_t count);

/**
 * Build a codec from @desc at @address (0..14), owned by the HAL, attach it
 * and mark the address present (codec_mask). Call before hdabdl_controller_open().
 * @desc NULL builds the built-in default codec. It replaces the default codec
 * the HAL put at a codec_mask address; -EBUSY if another codec is there.
 * @out (optional) receives the codec for inspection. Returns 0 or -errno.
 */
int hdabdl_mock_hal_add_codec(struct hdabdl_mock_hal *hal, const struct hdabdl_codec_desc *desc,
                              uint8_t address, struct hdabdl_codec **out);

/** Blocks currently allocated from the arena (leak checks). */
size_t hdabdl_mock_hal_dma_blocks(const struct hdabdl_mock_hal *hal);

#ifdef __cplusplus
}
#endif

#endif /* HDABDL_MOCK_H */
