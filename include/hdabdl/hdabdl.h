/* SPDX-License-Identifier: MIT */
/*
 * hdabdl/hdabdl.h - the Windows HD Audio bus DDI (hdaudio.h), BDL flavour,
 * over Intel High Definition Audio controllers.
 *
 * Objects:
 *   hdabdl_controller  one HDA controller, opened over a HAL (ops + context).
 *   hdabdl_client      one per function driver / codec function group; the
 *                      DDI's per-client "_context". Handles belong to the
 *                      client that allocated them.
 *   hdabdl_handle      a DMA engine handle: opaque, carries a generation, never
 *                      dereferenced; forged, stale or foreign handles give
 *                      HDABDL_STATUS_INVALID_HANDLE.
 *
 * Routines are the DDI's, in snake case with the hdabdl_ prefix, taking the
 * client first. Where the DDI returns a virtual address the caller also gets
 * the bus address, because the caller writes the BDL.
 *
 * Locking: each controller has one lock (a HAL lock). Every routine takes it
 * for its whole duration, including bounded busy-waits for hardware
 * handshakes, so routines may be called from any number of threads; only a
 * synchronous hdabdl_transfer_codec_verbs() drops it between polls while it
 * waits for responses. The
 * interrupt service routine takes the same lock to decode and clear status and
 * releases it before calling BDL ISR callbacks, so a callback may call any
 * routine that the DDI allows at raised IRQL (set_dma_engine_state,
 * get_link_position_register, ...). Callbacks run in the context that
 * delivered the interrupt (the HAL's interrupt thread, or the caller of
 * hdabdl_controller_service_interrupt()).
 *
 * Raised IRQL: inside an interrupt-time callback (BDL ISR, notification
 * event or callback, unsolicited-response callback, transfer-complete
 * callback) the routines the DDI allows only at PASSIVE_LEVEL return
 * HDABDL_STATUS_UNSUCCESSFUL; set_dma_engine_state, free_dma_engine,
 * get_wall_clock_register, get_link_position_register and asynchronous
 * transfer_codec_verbs work there. Waits there are busy-waits; nothing sleeps.
 *
 * Byte order: memory shared with the controller (BDL entries, the DMA
 * position buffer, CORB, RIRB and the samples in DMA buffers) is
 * little-endian on the bus whatever the host's byte order (Intel HDA
 * specification 1.0a: the Buffer Descriptor List, the DMA position buffer,
 * CORB and RIRB of section 4.4, and the stream data formats). A caller that
 * fills a BDL writes each entry with hdabdl_bdl_write_entry(). The DDI structures
 * (hdabdl_codec_command, hdabdl_codec_response, struct hdabdl_codec_transfer)
 * are host-order values whose named fields mean the documented bits of the
 * integer on every host; they are never shared with the controller.
 */
#ifndef HDABDL_HDABDL_H
#define HDABDL_HDABDL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hdabdl/hal.h"
#include "hdabdl/status.h"
#include "hdabdl/verbs.h"

#ifdef __cplusplus
extern "C" {
#endif

#define HDABDL_PAGE_SIZE 4096u  /* BDL allocation: exactly one page */

/* ---- Portability of the DDI's layouts --------------------------------------- */

/*
 * HDABDL_HOST_BIG_ENDIAN: 1 on a big-endian host, 0 on a little-endian one.
 * GCC and Clang allocate bit-fields from the least significant bit on
 * little-endian targets and from the most significant bit on big-endian ones,
 * so the bit-field unions below list their members in the opposite order on a
 * big-endian host to keep each field on its documented bits.
 */
#if defined(__BYTE_ORDER__) && defined(__ORDER_LITTLE_ENDIAN__) && defined(__ORDER_BIG_ENDIAN__)
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define HDABDL_HOST_BIG_ENDIAN 1
#elif __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define HDABDL_HOST_BIG_ENDIAN 0
#else
#error "hdabdl: the host is neither little- nor big-endian (__BYTE_ORDER__)"
#endif
#elif defined(_MSC_VER) && (defined(_M_IX86) || defined(_M_X64) || defined(_M_ARM) || defined(_M_ARM64))
#define HDABDL_HOST_BIG_ENDIAN 0   /* every Windows target is little-endian */
#else
#error "hdabdl: cannot tell the host's byte order (no __BYTE_ORDER__); the DDI bit-fields need it"
#endif

/*
 * HDABDL_ALIGNAS(n): an alignment specifier for a member. The DDI's
 * structures are laid out as MSVC lays them out, where a ULONGLONG (or
 * PHYSICAL_ADDRESS) member is aligned to 8 bytes on 32-bit x86 as well; i386
 * System V compilers align uint64_t members to 4. Every DDI structure with a
 * 64-bit member gives that member 8-byte alignment explicitly, so
 * HDAUDIO_CODEC_TRANSFER is 16 bytes with Input at offset 8 on every host.
 */
#if defined(__cplusplus) && __cplusplus >= 201103L
#define HDABDL_ALIGNAS(n) alignas(n)
#elif defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L
#define HDABDL_ALIGNAS(n) _Alignas(n)
#elif defined(__GNUC__)
#define HDABDL_ALIGNAS(n) __attribute__((aligned(n)))
#elif defined(_MSC_VER)
#define HDABDL_ALIGNAS(n) __declspec(align(n))
#else
#error "hdabdl: no way to give a member 8-byte alignment (needs C11 or C++11)"
#endif

/* Compile-time checks of the layouts the DDI requires (C11 or C++11). */
#if defined(__cplusplus) && __cplusplus >= 201103L
#define HDABDL_LAYOUT_ASSERT_(cond, msg) static_assert(cond, msg)
#elif defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L
#define HDABDL_LAYOUT_ASSERT_(cond, msg) _Static_assert(cond, msg)
#endif

typedef struct hdabdl_controller hdabdl_controller;
typedef struct hdabdl_client hdabdl_client;
typedef struct hdabdl_engine_handle_ *hdabdl_handle;

/* ---- DDI types ------------------------------------------------------------ */

/** HDAUDIO_STREAM_FORMAT. */
struct hdabdl_stream_format {
    uint32_t sample_rate;            /**< frames per second */
    uint16_t valid_bits_per_sample;  /**< 8, 16, 20, 24 or 32: what the converter gets */
    uint16_t container_size;         /**< bits per sample in memory: 8, 16 or 32 */
    uint16_t number_of_channels;     /**< 1..16 */
};

/** HDAUDIO_CONVERTER_FORMAT: the 16-bit SDnFMT / converter format value. */
typedef uint16_t hdabdl_converter_format;

/**
 * HDAUDIO_BUFFER_DESCRIPTOR: one BDL entry (16 bytes; "Buffer Descriptor List
 * Entry" in the Intel HDA specification 1.0a). The members are the DDI's, but
 * in memory the controller reads each of them little-endian: bytes 0-7 the address, 8-11
 * the length, 12-15 the IOC word (bit 0; the other bits are reserved). On a
 * little-endian host that is what assigning the members stores; write entries
 * with hdabdl_bdl_write_entry() (and read them with hdabdl_bdl_read_entry())
 * to be right on any host.
 */
struct hdabdl_buffer_descriptor {
    HDABDL_ALIGNAS(8) uint64_t address; /**< bus address of the fragment */
    uint32_t length;                   /**< bytes */
    uint32_t interrupt_on_completion;  /**< 1: raise BCIS when the fragment completes; else 0 */
};

/**
 * Write entry @index of the BDL at @bdl in the controller's byte order
 * (little-endian): the bus address of the fragment, its length in bytes and
 * the IOC word (1: raise BCIS when the fragment completes, 0: not; the DDI's
 * ULONG, stored as given, so a caller may also write a value
 * SetupDmaEngineWithBdl rejects). Nothing is checked; @bdl NULL does nothing.
 */
void hdabdl_bdl_write_entry(struct hdabdl_buffer_descriptor *bdl, uint32_t index, uint64_t address,
                            uint32_t length, uint32_t interrupt_on_completion);

/**
 * Read entry @index of the BDL at @bdl (little-endian in memory) into host
 * order. Any output pointer may be NULL; @bdl NULL gives zeros.
 */
void hdabdl_bdl_read_entry(const struct hdabdl_buffer_descriptor *bdl, uint32_t index,
                           uint64_t *address, uint32_t *length,
                           uint32_t *interrupt_on_completion);

/** HDAUDIO_STREAM_STATE. Stop and Pause are the same state. */
enum hdabdl_stream_state {
    HDABDL_RESET_STATE = 0,
    HDABDL_STOP_STATE = 1,
    HDABDL_PAUSE_STATE = 1,
    HDABDL_RUN_STATE = 2
};

/**
 * PHDAUDIO_BDL_ISR: called at interrupt time for each stream interrupt with
 * only the SDnSTS bits BCIS (bit 2), FIFOE (bit 3) and DESE (bit 4) set.
 */
typedef void (*hdabdl_bdl_isr)(void *context, uint32_t interrupt_bit_mask);

#define HDABDL_ISR_BCIS  0x04u
#define HDABDL_ISR_FIFOE 0x08u
#define HDABDL_ISR_DESE  0x10u

/* ---- Controller -------------------------------------------------------------- */

#define HDABDL_OPT_OLD_SSYNC   0x1u  /* SSYNC at 0x34 (ICH6-era parts) instead of 0x38 */
#define HDABDL_OPT_SRST_NO_ACK 0x2u  /* SRST=1 is never read back (QEMU's intel-hda): go on after
                                        a bounded wait instead of failing. Set automatically for
                                        controllers in the quirk table (README). */

struct hdabdl_controller_options {
    uint32_t size;            /**< sizeof(struct hdabdl_controller_options) as the caller knows it */
    uint32_t flags;           /**< HDABDL_OPT_* */
    /* Fields below are read only when size covers them (append-only). */
    uint32_t verb_timeout_us; /**< a verb without response after this is invalid; 0: 5000 */
};

struct hdabdl_controller_info {
    uint16_t gcap;            /**< GCAP as read after reset */
    uint32_t quirks;          /**< HDABDL_OPT_* in effect (options and the quirk table) */
    uint8_t version_major;    /**< VMAJ */
    uint8_t version_minor;    /**< VMIN */
    uint8_t input_streams;    /**< ISS */
    uint8_t output_streams;   /**< OSS */
    uint8_t bidir_streams;    /**< BSS */
    uint8_t sdo_lines;        /**< 1, 2 or 4 */
    bool addr64;              /**< 64OK: DMA above 4 GiB */
    uint16_t codec_mask;      /**< STATESTS after reset: bit n = codec at address n */
    uint16_t output_payload;  /**< OUTPAY, words per frame */
    uint16_t input_payload;   /**< INPAY, words per frame */
    struct hdabdl_pci_ids pci; /**< from the HAL (zeros if it cannot tell) */
};

/** How codec verbs travel. */
enum hdabdl_command_mode {
    HDABDL_COMMANDS_CORB_IRQ,    /**< CORB/RIRB, responses collected by the interrupt */
    HDABDL_COMMANDS_CORB_POLL,   /**< CORB/RIRB, the waiting caller reads the RIRB */
    HDABDL_COMMANDS_IMMEDIATE    /**< ICOI/ICII/ICIS, one verb at a time */
};

/** How the CORBRP reset handshake went at open. */
enum hdabdl_corb_reset {
    HDABDL_CORB_RESET_ACKNOWLEDGED,   /**< bit 15 read 1, then 0 after it was cleared */
    HDABDL_CORB_RESET_SELF_CLEARED,   /**< bit 15 never read 1; RP read 0 */
    HDABDL_CORB_RESET_FAILED          /**< bit 15 stuck or RP not reset: immediate commands */
};

struct hdabdl_command_stats {
    enum hdabdl_command_mode mode;
    enum hdabdl_corb_reset corb_reset;
    uint16_t corb_entries;       /**< 0 in immediate mode */
    uint64_t verbs_sent;
    uint64_t responses;          /**< solicited responses matched to a verb */
    uint64_t timeouts;           /**< verbs completed with IsValid = 0 */
    uint64_t overruns;           /**< of those, with HasFifoOverrun */
    uint64_t unsolicited;        /**< unsolicited responses received */
    uint64_t unsolicited_dropped;/**< with no registered callback */
    uint64_t spurious;           /**< responses from a codec no verb was waiting for */
    uint64_t mode_changes;       /**< steps down the ladder IRQ -> polling -> immediate */
};

/** Bits per 48 kHz frame reserved on each link line. */
struct hdabdl_bandwidth_info {
    uint32_t sdo_capacity;    /**< per SDO line: 1000 - 40 command bits */
    uint32_t sdo_used[4];     /**< per SDO line */
    uint32_t sdi_capacity;    /**< per SDI line: 500 - 36 response bits */
    uint32_t sdi_used[15];    /**< per SDI line (codec address) */
};

/**
 * Open a controller: CRST handshake, codec discovery, GCAP decode, DMA
 * position buffer, interrupts. @options may be NULL.
 * Returns REVISION_MISMATCH for a HAL of an unknown version, INVALID_PARAMETER
 * for missing required slots, DEVICE_DOES_NOT_EXIST if registers read all
 * ones, NOT_SUPPORTED for a GCAP the library cannot drive, DEVICE_NOT_READY if
 * the reset handshake never completes, or the HAL's error.
 */
hdabdl_status hdabdl_controller_open(const struct hdabdl_hal_ops *ops, void *hal_ctx,
                                     const struct hdabdl_controller_options *options,
                                     hdabdl_controller **out);

/** Quiesce (every engine stopped and reset, interrupts off, controller in reset) and free.
 *  Clients still open are closed first. */
void hdabdl_controller_close(hdabdl_controller *ctrl);

hdabdl_status hdabdl_controller_get_info(hdabdl_controller *ctrl, struct hdabdl_controller_info *info);
hdabdl_status hdabdl_controller_get_bandwidth(hdabdl_controller *ctrl, struct hdabdl_bandwidth_info *info);

/**
 * The interrupt service routine. The HAL calls it when the line is asserted
 * (irq_attach); without an interrupt-capable HAL, call it to poll.
 * Returns true if the controller had something pending.
 */
bool hdabdl_controller_service_interrupt(hdabdl_controller *ctrl);

/* ---- Clients ------------------------------------------------------------- */

/**
 * Create the per-client context for the function group whose codec sits at
 * @codec_address (0..14) and whose first node is @function_group_start_node.
 */
hdabdl_status hdabdl_client_open(hdabdl_controller *ctrl, uint8_t codec_address,
                                 uint8_t function_group_start_node, hdabdl_client **out);

/**
 * Drop the opener's reference to the client. A client is reference counted
 * (hdabdl/ddi.h): 1 at open, +1 per hdabdl_query_interface() and per
 * InterfaceReference, -1 per InterfaceDereference and for this call. When the
 * count reaches zero everything the client still holds is released (engines
 * stopped, reset and freed, buffers and registrations gone) and the client is
 * freed; with interface tables still referenced it stays usable until their
 * last InterfaceDereference. Without such references (the usual case) this
 * releases and frees it at once. Do not use the client after dropping its
 * last reference; a second close of a client kept alive by references is
 * ignored.
 */
void hdabdl_client_close(hdabdl_client *client);

/* ---- DMA engine DDI (all versions) ---------------------------------------- */

/** AllocateCaptureDmaEngine: capture-only engine first, then bidirectional. */
hdabdl_status hdabdl_allocate_capture_dma_engine(hdabdl_client *client, uint8_t codec_address,
                                                 const struct hdabdl_stream_format *format,
                                                 hdabdl_handle *handle,
                                                 hdabdl_converter_format *converter_format);

/** AllocateRenderDmaEngine: render-only engine first, then bidirectional. */
hdabdl_status hdabdl_allocate_render_dma_engine(hdabdl_client *client,
                                                const struct hdabdl_stream_format *format,
                                                bool stripe, hdabdl_handle *handle,
                                                hdabdl_converter_format *converter_format);

/** ChangeBandwidthAllocation: only in Reset with no buffer; on failure the old reservation stays. */
hdabdl_status hdabdl_change_bandwidth_allocation(hdabdl_client *client, hdabdl_handle handle,
                                                 const struct hdabdl_stream_format *format,
                                                 hdabdl_converter_format *converter_format);

/** FreeDmaEngine: only in Reset with no buffer. */
hdabdl_status hdabdl_free_dma_engine(hdabdl_client *client, hdabdl_handle handle);

/** SetDmaEngineState: every handle is validated before any register changes;
 *  the engines start or stop together (SSYNC). */
hdabdl_status hdabdl_set_dma_engine_state(hdabdl_client *client, enum hdabdl_stream_state state,
                                          uint32_t number_of_handles, const hdabdl_handle *handles);

/** GetWallClockRegister: pointer to the WALCLK alias. */
hdabdl_status hdabdl_get_wall_clock_register(hdabdl_client *client,
                                             const volatile uint32_t **wallclock);

/** GetLinkPositionRegister: pointer to the engine's LPIB alias. */
hdabdl_status hdabdl_get_link_position_register(hdabdl_client *client, hdabdl_handle handle,
                                                const volatile uint32_t **position);

/* ---- BDL flavour ----------------------------------------------------------------- */

/**
 * AllocateContiguousDmaBuffer: a physically contiguous data buffer of
 * @requested_size bytes within the controller's address reach, and a BDL of
 * exactly one page (HDABDL_PAGE_SIZE, page aligned, 256 entries). Both are
 * uninitialized. Only in Reset with no buffer.
 */
hdabdl_status hdabdl_allocate_contiguous_dma_buffer(hdabdl_client *client, hdabdl_handle handle,
                                                    uint32_t requested_size, void **data_buffer,
                                                    uint64_t *data_bus_address,
                                                    struct hdabdl_buffer_descriptor **bdl,
                                                    uint64_t *bdl_bus_address);

/**
 * SetupDmaEngineWithBdl: check the caller's BDL (entries 0..@lvi inside the
 * buffer, each starting on 128 bytes, lengths summing to @buffer_length, which
 * is at most the requested size), program the engine and leave it in Reset.
 * SD_LVI is programmed as @lvi itself (the DDI's Lvi is already the index of
 * the last entry).
 */
hdabdl_status hdabdl_setup_dma_engine_with_bdl(hdabdl_client *client, hdabdl_handle handle,
                                               uint32_t buffer_length, uint32_t lvi,
                                               hdabdl_bdl_isr isr, void *context,
                                               uint8_t *stream_id, uint32_t *fifo_size);

/** FreeContiguousDmaBuffer: only in Reset with a buffer. */
hdabdl_status hdabdl_free_contiguous_dma_buffer(hdabdl_client *client, hdabdl_handle handle);

/* ---- Bus-allocated buffers and notifications (V1, V2, V3) --------------------- */

/** One physically contiguous piece of a bus-allocated buffer. */
struct hdabdl_dma_page {
    void *cpu;
    uint64_t bus;
    uint32_t size;
};

/**
 * The MDL the DDI hands back: the buffer's pieces in order. The buffer starts
 * at byte_offset in the first piece. virtual_address is the CPU address of the
 * whole buffer when it is one block, NULL when it is a set of pages.
 */
struct hdabdl_mdl {
    size_t byte_count;        /**< allocated size */
    size_t byte_offset;       /**< the DDI's OffsetFromFirstPage */
    void *virtual_address;
    uint32_t page_count;
    struct hdabdl_dma_page pages[];
};

/**
 * AllocateDmaBuffer (V1, V2, V3): the library allocates the buffer (one block,
 * or a set of pages when no block is free), builds the BDL with an IOC at the
 * buffer's end, programs the engine and leaves it in Reset. @allocated_size is
 * @requested_size rounded up to whole sample blocks and 256 bytes (at most
 * 16 MiB). Only in Reset with no buffer.
 */
hdabdl_status hdabdl_allocate_dma_buffer(hdabdl_client *client, hdabdl_handle handle,
                                         size_t requested_size, struct hdabdl_mdl **buffer_mdl,
                                         size_t *allocated_size, uint8_t *stream_id,
                                         uint32_t *fifo_size);
/** FreeDmaBuffer: only in Reset with a buffer from hdabdl_allocate_dma_buffer. */
hdabdl_status hdabdl_free_dma_buffer(hdabdl_client *client, hdabdl_handle handle);

/**
 * AllocateDmaBufferWithNotification (V2, V3): as hdabdl_allocate_dma_buffer,
 * with an IOC at the end (@notification_count 1) or at the midpoint and the
 * end (2); anything else is INVALID_PARAMETER.
 */
hdabdl_status hdabdl_allocate_dma_buffer_with_notification(
    hdabdl_client *client, hdabdl_handle handle, uint32_t notification_count,
    size_t requested_size, struct hdabdl_mdl **buffer_mdl, size_t *allocated_size,
    size_t *offset_from_first_page, uint8_t *stream_id, uint32_t *fifo_size);
/** FreeDmaBufferWithNotification: @buffer_mdl must be the one allocated for the
 *  engine and @buffer_size its allocated (or requested) size. */
hdabdl_status hdabdl_free_dma_buffer_with_notification(hdabdl_client *client, hdabdl_handle handle,
                                                       struct hdabdl_mdl *buffer_mdl,
                                                       size_t buffer_size);

/**
 * A notification event (the DDI's KEVENT): embed it in your own object; the
 * library calls signal() at interrupt time, once per buffer-completion
 * interrupt of every engine it is registered with.
 */
struct hdabdl_notification_event {
    void (*signal)(struct hdabdl_notification_event *event);
};

/** PHDAUDIO_DMA_NOTIFICATION_CALLBACK: @timestamp_ns is the HAL's now_ns taken
 *  when the interrupt was serviced. */
typedef void (*hdabdl_dma_notification_callback)(void *context, int64_t timestamp_ns);

#define HDABDL_MAX_NOTIFICATION_EVENTS 16     /* per engine */
#define HDABDL_MAX_NOTIFICATION_CALLBACKS 16  /* per engine */

/** RegisterNotificationEvent (V2, V3): INSUFFICIENT_RESOURCES past the limit;
 *  INVALID_PARAMETER for an event already registered with the engine. */
hdabdl_status hdabdl_register_notification_event(hdabdl_client *client, hdabdl_handle handle,
                                                 struct hdabdl_notification_event *event);
/** UnregisterNotificationEvent: INVALID_PARAMETER if @event is not registered there. */
hdabdl_status hdabdl_unregister_notification_event(hdabdl_client *client, hdabdl_handle handle,
                                                   struct hdabdl_notification_event *event);
/** RegisterNotificationCallback (V3): @fdo is the device object that owns the
 *  callback; it is kept (the DDI's reference) until unregistration.
 *  INVALID_PARAMETER for a callback and context already registered together. */
hdabdl_status hdabdl_register_notification_callback(hdabdl_client *client, hdabdl_handle handle,
                                                    void *fdo,
                                                    hdabdl_dma_notification_callback callback,
                                                    void *context);
/** UnregisterNotificationCallback: matches on callback and context. */
hdabdl_status hdabdl_unregister_notification_callback(hdabdl_client *client, hdabdl_handle handle,
                                                      hdabdl_dma_notification_callback callback,
                                                      void *context);

/* ---- Codec verbs, unsolicited responses, device information ------------------ */

/**
 * HDAUDIO_CODEC_COMMAND: the 32-bit command (verb) as the CORB carries it
 * (Intel HDA specification 1.0a, chapter 7). verb8: data 7:0, verb_id 19:8,
 * node 27:20, codec_address 31:28 (12-bit verbs); verb16: data 15:0, verb_id
 * 19:16, node 27:20, codec_address 31:28 (4-bit verbs). The fields mean these
 * bits of @command on every host (HDABDL_HOST_BIG_ENDIAN).
 */
typedef union hdabdl_codec_command {
    uint32_t command;
    struct {
#if HDABDL_HOST_BIG_ENDIAN
        uint32_t codec_address : 4;
        uint32_t node : 8;
        uint32_t verb_id : 12;
        uint32_t data : 8;
#else
        uint32_t data : 8;             /**< bits 7:0 */
        uint32_t verb_id : 12;         /**< bits 19:8 */
        uint32_t node : 8;             /**< bits 27:20 */
        uint32_t codec_address : 4;    /**< bits 31:28 */
#endif
    } verb8;
    struct {
#if HDABDL_HOST_BIG_ENDIAN
        uint32_t codec_address : 4;
        uint32_t node : 8;
        uint32_t verb_id : 4;
        uint32_t data : 16;
#else
        uint32_t data : 16;            /**< bits 15:0 */
        uint32_t verb_id : 4;          /**< bits 19:16 */
        uint32_t node : 8;             /**< bits 27:20 */
        uint32_t codec_address : 4;    /**< bits 31:28 */
#endif
    } verb16;
} hdabdl_codec_command;

/**
 * HDAUDIO_CODEC_RESPONSE: 64 bits; see HDABDL_RESPONSE_* in verbs.h for
 * portable access. Bits of @complete_response (the RIRB entry of the Intel
 * HDA specification 1.0a, section 4.4.2, and the DDI's documentation): 63
 * is_valid, 62 has_fifo_overrun, 61:37 reserved, 36 is_unsolicited_response,
 * 35:32 sdata_in, 31:0 response; an unsolicited response is tag 31:26,
 * sub_tag 25:21, response 20:0. The fields
 * mean these bits on every host: on a big-endian host the high half comes
 * first in memory and each half lists its bit-fields from the top.
 */
typedef union hdabdl_codec_response {
    HDABDL_ALIGNAS(8) uint64_t complete_response;
    struct {
#if HDABDL_HOST_BIG_ENDIAN
        uint32_t is_valid : 1;
        uint32_t has_fifo_overrun : 1;
        uint32_t : 25;
        uint32_t is_unsolicited_response : 1;
        uint32_t sdata_in : 4;
        union {
            uint32_t response;
            struct {
                uint32_t tag : 6;
                uint32_t sub_tag : 5;
                uint32_t response : 21;
            } unsolicited;
        };
#else
        union {
            uint32_t response;            /**< bits 31:0 */
            struct {
                uint32_t response : 21;   /**< bits 20:0 */
                uint32_t sub_tag : 5;     /**< bits 25:21 */
                uint32_t tag : 6;         /**< bits 31:26 */
            } unsolicited;
        };
        uint32_t sdata_in : 4;            /**< bits 35:32: codec address (SDI line) that answered */
        uint32_t is_unsolicited_response : 1; /**< bit 36 */
        uint32_t : 25;                    /**< bits 61:37, reserved */
        uint32_t has_fifo_overrun : 1;    /**< bit 62, set by software: the RIRB overran */
        uint32_t is_valid : 1;            /**< bit 63, set by software: a response arrived */
#endif
    };
} hdabdl_codec_response;

/** HDAUDIO_CODEC_TRANSFER: 16 bytes, Input at offset 8 (as MSVC lays it out on x86 and x64). */
struct hdabdl_codec_transfer {
    hdabdl_codec_command output;   /**< the verb, written by the caller */
    hdabdl_codec_response input;   /**< its response, written by the library */
};

/** PHDAUDIO_TRANSFER_COMPLETE_CALLBACK: once per batch, with the array's first element. */
typedef void (*hdabdl_transfer_complete_callback)(struct hdabdl_codec_transfer *transfer,
                                                  void *context);
/** PHDAUDIO_UNSOLICITED_RESPONSE_CALLBACK: the response by value. */
typedef void (*hdabdl_unsolicited_response_callback)(hdabdl_codec_response response,
                                                     void *context);

/**
 * TransferCodecVerbs: send @count verbs, strictly in order, each response into
 * its own element (IsValid, HasFifoOverrun and SDataIn set by the library).
 * Any number of verbs: batches longer than the CORB are fed as it drains.
 * Without @callback: returns once every response is in (a verb that gets no
 * answer within the verb timeout is marked invalid; the call never hangs).
 * With @callback: queues the batch and returns; @callback(@transfers, @context)
 * runs once when the whole batch is done. Batches of all clients are sent in
 * the order they were queued. Each client has room for
 * HDABDL_MAX_ASYNC_BATCHES asynchronous batches queued or awaiting their
 * callback (reserved when the client opens, so queuing never allocates, at
 * any level); past that the call returns INSUFFICIENT_RESOURCES.
 */
#define HDABDL_MAX_ASYNC_BATCHES 32
hdabdl_status hdabdl_transfer_codec_verbs(hdabdl_client *client, uint32_t count,
                                          struct hdabdl_codec_transfer *transfers,
                                          hdabdl_transfer_complete_callback callback,
                                          void *context);

/**
 * RegisterEventCallback: a unique 6-bit tag (up to 64 per codec: the client's
 * codec address) for unsolicited responses; INSUFFICIENT_RESOURCES when all
 * 64 are taken. A response from that codec with that tag calls @routine.
 */
hdabdl_status hdabdl_register_event_callback(hdabdl_client *client,
                                             hdabdl_unsolicited_response_callback routine,
                                             void *context, uint8_t *tag);
/** UnregisterEventCallback: INVALID_PARAMETER for a tag this client does not hold. */
hdabdl_status hdabdl_unregister_event_callback(hdabdl_client *client, uint8_t tag);

/** HDAUDIO_DEVICE_INFORMATION (10 bytes). */
struct hdabdl_device_information {
    uint16_t size;               /**< set by the caller; written back with the size filled */
    uint16_t device_version;     /**< VMAJ << 8 | VMIN */
    uint16_t driver_version;     /**< library major << 8 | minor */
    uint16_t codecs_detected;    /**< number of codecs that answered at reset */
    bool is_striping_supported;  /**< at least 2 SDO lines */
};

/** HDAUDIO_DEVICE_INFORMATION_V2 (14 bytes). */
struct hdabdl_device_information_v2 {
    uint16_t size;
    uint16_t device_version;
    uint16_t driver_version;
    uint16_t codecs_detected;
    bool is_striping_supported;
    uint8_t ctrl_revision;       /**< PCI revision */
    uint16_t ctrl_vendor_id;     /**< PCI vendor ID */
    uint16_t ctrl_device_id;     /**< PCI device ID */
};

/**
 * GetDeviceInformation: honours info->size: below sizeof V1 -> BUFFER_TOO_SMALL;
 * at least sizeof V2 -> the V2 fields too. Writes back the size it filled.
 */
hdabdl_status hdabdl_get_device_information(hdabdl_client *client,
                                            struct hdabdl_device_information *info);

/** GetResourceInformation: the client's codec address and function group start node. */
hdabdl_status hdabdl_get_resource_information(hdabdl_client *client, uint8_t *codec_address,
                                              uint8_t *function_group_start_node);

/** Verb transport state and counters. */
hdabdl_status hdabdl_controller_get_command_stats(hdabdl_controller *ctrl,
                                                  struct hdabdl_command_stats *stats);

/* ---- Inspection -------------------------------------------------------------- */

enum hdabdl_engine_kind { HDABDL_ENGINE_INPUT, HDABDL_ENGINE_OUTPUT, HDABDL_ENGINE_BIDIR };
enum hdabdl_buffer_state { HDABDL_BUFFER_NONE, HDABDL_BUFFER_ALLOCATED, HDABDL_BUFFER_PROGRAMMED };

/** Which routine gave the engine its buffer (each is freed by its own routine). */
enum hdabdl_buffer_kind {
    HDABDL_BUFFER_KIND_NONE,
    HDABDL_BUFFER_KIND_CONTIGUOUS,    /**< AllocateContiguousDmaBuffer (BDL) */
    HDABDL_BUFFER_KIND_BUS,           /**< AllocateDmaBuffer (V1) */
    HDABDL_BUFFER_KIND_NOTIFICATION   /**< AllocateDmaBufferWithNotification (V2) */
};

struct hdabdl_engine_info {
    uint8_t sd_index;                   /**< stream descriptor number (register order) */
    enum hdabdl_engine_kind kind;
    bool render;                        /**< direction it was allocated for */
    uint8_t stream_tag;                 /**< 1..15 */
    enum hdabdl_stream_state state;
    enum hdabdl_buffer_state buffer;
    enum hdabdl_buffer_kind buffer_kind;
    uint32_t notification_count;        /**< IOCs per buffer pass (bus-allocated buffers) */
    uint32_t notification_events;       /**< registered */
    uint32_t notification_callbacks;    /**< registered */
    struct hdabdl_stream_format format;
    hdabdl_converter_format converter_format;
    uint8_t codec_address;              /**< capture: SDI line; render: 0 */
    uint8_t stripe_lines;               /**< render: SDO lines the stream is striped over */
    uint32_t bandwidth_bits;            /**< bits per frame reserved on each of its lines */
    uint32_t buffer_size;               /**< requested size of the contiguous buffer */
    uint32_t buffer_length;             /**< CBL once programmed */
    uint32_t lvi;                       /**< once programmed */
    uint32_t fifo_size;                 /**< bytes */
};

hdabdl_status hdabdl_engine_get_info(hdabdl_client *client, hdabdl_handle handle,
                                     struct hdabdl_engine_info *info);

/**
 * Encode a stream format as SDnFMT (from ValidBitsPerSample, never
 * ContainerSize). INVALID_PARAMETER if the controller cannot carry it.
 */
hdabdl_status hdabdl_stream_format_encode(const struct hdabdl_stream_format *format,
                                          hdabdl_converter_format *out);

/** Bytes of one sample block in memory (channels x container bytes); 0 if invalid. */
uint32_t hdabdl_stream_format_block_bytes(const struct hdabdl_stream_format *format);

/* ---- Layouts the DDI requires ------------------------------------------------ */

#ifdef HDABDL_LAYOUT_ASSERT_
HDABDL_LAYOUT_ASSERT_(sizeof(struct hdabdl_buffer_descriptor) == 16,
                      "HDAUDIO_BUFFER_DESCRIPTOR is 16 bytes");
HDABDL_LAYOUT_ASSERT_(offsetof(struct hdabdl_buffer_descriptor, length) == 8 &&
                          offsetof(struct hdabdl_buffer_descriptor, interrupt_on_completion) == 12,
                      "HDAUDIO_BUFFER_DESCRIPTOR: Address at 0, Length at 8, IOC at 12");
HDABDL_LAYOUT_ASSERT_(sizeof(hdabdl_codec_command) == 4, "HDAUDIO_CODEC_COMMAND is 4 bytes");
HDABDL_LAYOUT_ASSERT_(sizeof(hdabdl_codec_response) == 8, "HDAUDIO_CODEC_RESPONSE is 8 bytes");
HDABDL_LAYOUT_ASSERT_(sizeof(struct hdabdl_codec_transfer) == 16,
                      "HDAUDIO_CODEC_TRANSFER is 16 bytes (MSVC alignment of the response)");
HDABDL_LAYOUT_ASSERT_(offsetof(struct hdabdl_codec_transfer, input) == 8,
                      "HDAUDIO_CODEC_TRANSFER: Input at offset 8");
HDABDL_LAYOUT_ASSERT_(sizeof(struct hdabdl_stream_format) == 12, "HDAUDIO_STREAM_FORMAT is 12 bytes");
HDABDL_LAYOUT_ASSERT_(sizeof(struct hdabdl_device_information) == 10,
                      "HDAUDIO_DEVICE_INFORMATION is 10 bytes");
HDABDL_LAYOUT_ASSERT_(sizeof(struct hdabdl_device_information_v2) == 14 &&
                          offsetof(struct hdabdl_device_information_v2, ctrl_vendor_id) == 10,
                      "HDAUDIO_DEVICE_INFORMATION_V2 is 14 bytes, CtrlVendorId at 10");
#endif

#ifdef __cplusplus
}
#endif

#endif /* HDABDL_HDABDL_H */
