/* SPDX-License-Identifier: MIT */
/*
 * internal.h - what the core's files share. Not installed.
 */
#ifndef HDABDL_CORE_INTERNAL_H
#define HDABDL_CORE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hdabdl/hdabdl.h"
#include "hdabdl/regs.h"
#include "hdabdl/version.h"
#include "byteorder.h"

/* Link capacity in bits per 48 kHz frame (hw.md §3.8). */
#define SDO_LINE_CAPACITY (HDA_SDO_FRAME_BITS - HDA_SDO_COMMAND_BITS)   /* 960 */
#define SDI_LINE_CAPACITY (HDA_SDI_FRAME_BITS - HDA_SDI_RESPONSE_BITS)  /* 464 */
#define MAX_SDO_LINES 4
#define MAX_SDI_LINES 15
#define MAX_STREAM_TAG 15

/* Bounded waits, in microseconds: (poll step, timeout). */
#define CRST_POLL_US        10
#define CRST_TIMEOUT_US     100000  /* Linux waits up to 100 ms each way */
#define CRST_ASSERT_US      100     /* reset held >= 100 us (codec PLL) */
#define CODEC_WAKE_US       1000    /* >= 521 us before STATESTS is valid */
#define SRST_POLL_US        3
#define SRST_TIMEOUT_US     1000
#define RUN_POLL_US         2
#define RUN_TIMEOUT_US      4000
#define CALLBACK_DRAIN_POLLS 100000

/* ---- Engines -------------------------------------------------------------------- */

struct engine {
    uint8_t index;                      /* SD number in register order */
    enum hdabdl_engine_kind kind;
    struct hdabdl_client *owner;        /* NULL when free */
    uint32_t generation;                /* part of the handle; new on every allocation */
    bool render;
    uint8_t tag;
    uint8_t codec_address;              /* capture: SDI line */
    uint8_t stripe_lines;               /* render: 1, 2 or 4 */
    uint32_t bandwidth_bits;            /* per line it uses */
    struct hdabdl_stream_format format;
    hdabdl_converter_format converter_format;
    enum hdabdl_stream_state state;
    enum hdabdl_buffer_state buffer;
    enum hdabdl_buffer_kind buffer_kind;
    struct hdabdl_hal_dma data;         /* contiguous (BDL flavour) buffer */
    struct hdabdl_hal_dma bdl;          /* the BDL page, every kind */
    struct hdabdl_mdl *mdl;             /* bus-allocated buffers: what the caller sees */
    struct hdabdl_hal_dma *blocks;      /* ... and the HAL blocks behind it */
    uint32_t nblocks;
    uint32_t blocks_capacity;           /* elements allocated at blocks */
    uint32_t notification_count;
    struct hdabdl_notification_event *events[HDABDL_MAX_NOTIFICATION_EVENTS];
    struct notification_callback {
        hdabdl_dma_notification_callback fn;   /* NULL: free slot */
        void *context;
        void *fdo;
    } callbacks[HDABDL_MAX_NOTIFICATION_CALLBACKS];
    uint32_t buffer_size;               /* contiguous: requested; bus-allocated: allocated */
    size_t requested_size;              /* bus-allocated: what the caller asked for */
    uint32_t buffer_length;             /* CBL */
    uint32_t lvi;
    uint32_t fifo_size;
    hdabdl_bdl_isr isr;
    void *isr_context;
    /* Interrupts serviced but not yet delivered (deliver.c). */
    uint8_t isr_pending;                /* SDnSTS bits for the BDL ISR, ORed */
    uint32_t bcis_pending;              /* buffer completions whose notifications are due */
    uint8_t notify_next;                /* next notification slot of the current completion */
    int64_t bcis_timestamp;             /* now_ns of the latest completion */
};

/* One TransferCodecVerbs call. Sync batches live on the caller's stack,
 * asynchronous ones in their client's reserve (hdabdl_client.batches). */
struct verb_batch {
    hdabdl_client *client;
    struct hdabdl_codec_transfer *transfers;
    uint32_t count;
    uint32_t sent;                  /* handed to the link */
    uint32_t done;                  /* responses written (valid or not) */
    hdabdl_transfer_complete_callback callback;   /* NULL: synchronous */
    int io_error;                   /* first register error while it was under way */
    void *context;
    struct verb_batch *next;
};

struct hdabdl_client {
    hdabdl_controller *ctrl;
    struct hdabdl_client *next;
    uint8_t codec_address;
    uint8_t function_group_start_node;
    /* References (ddi.h): the opener's, one per hdabdl_query_interface(), one per
     * InterfaceReference. 0 only while the client is being released. Lock held. */
    uint32_t refs;
    bool opener_closed;                 /* hdabdl_client_close() already dropped its one */
    void *ddi_thunks;                   /* interface.c's ms_abi callback records (one block) */
    size_t ddi_thunks_size;
    /* Asynchronous TransferCodecVerbs batches queued or awaiting delivery. */
    struct verb_batch batches[HDABDL_MAX_ASYNC_BATCHES];
    uint32_t batches_used;              /* bit i: batches[i] is taken */
};

/* ---- Codec verbs (commands.c) ------------------------------------------------ */

#define MAX_CORB_ENTRIES 256
#define UNSOL_TAGS 64
#define DEFAULT_VERB_TIMEOUT_US 5000
#define COMMAND_POLL_US 10          /* half a link frame */
#define IRQ_GRACE_US 500            /* then the waiter reads the RIRB itself */
#define RIRB_IRQ_EVERY 8            /* RINTCNT: responses per interrupt (8 frames << grace) */
#define LINK_FRAME_US 21            /* one 48 kHz link frame, rounded up */
#define CORB_RESET_TIMEOUT_US 1000  /* CORBRP.RST handshake, each way */
#define DMA_RUN_TIMEOUT_US 1000     /* CORBRUN / RIRBDMAEN reading back */
#define IMMEDIATE_POLL_US 5
#define EVENTS_PER_PASS 64          /* unsolicited responses per RIRB pass; the rest wait */

struct inflight_verb {
    struct verb_batch *batch;
    uint32_t index;                 /* element of batch->transfers */
    uint8_t codec;
    uint16_t corb_index;            /* CORB slot it was written to */
    uint64_t seq;                   /* order in which verbs were written */
};

struct event_slot {
    hdabdl_unsolicited_response_callback routine;   /* NULL: free */
    void *context;
    hdabdl_client *client;
};

/* Unsolicited responses read from the RIRB, waiting for delivery. The slot
 * is looked up when the event is delivered, so an unregistered tag gets nothing. */
struct pending_event {
    uint8_t codec;
    uint32_t response;
};

struct command_transport {
    enum hdabdl_command_mode mode;
    struct hdabdl_hal_dma ring;     /* CORB at 0, RIRB at 2048 */
    uint16_t entries;               /* CORB and RIRB size */
    uint16_t corb_wp;               /* last slot written */
    uint16_t rirb_rp;               /* last slot read */
    uint32_t timeout_us;
    struct inflight_verb inflight[MAX_CORB_ENTRIES];
    uint16_t inflight_head;
    uint16_t inflight_count;
    uint64_t head_since_ns;         /* when the oldest in-flight verb became the oldest */
    uint32_t head_polls;            /* polls since then (for a HAL whose clock stands still) */
    uint64_t write_seq;             /* verbs written to the CORB so far */
    uint64_t overrun_upto;          /* RIRBSTS.OIS was seen after verb #overrun_upto was written */
    struct verb_batch *queue_head;  /* batches not yet done, in order */
    struct verb_batch *queue_tail;
    struct event_slot events[MAX_SDI_LINES][UNSOL_TAGS];
    struct pending_event pending[EVENTS_PER_PASS];   /* a ring */
    uint16_t pending_head;
    uint16_t pending_count;
    struct verb_batch *completed;   /* async batches done, in completion order, not yet delivered */
    struct verb_batch *completed_tail;
    struct hdabdl_command_stats stats;
};

struct hdabdl_controller {
    const struct hdabdl_hal_ops *ops;
    void *hal;
    void *lock;
    bool irq_attached;
    bool timer_attached;
    int io_error;                       /* first HAL register error since cleared */
    bool last_read_bad;                 /* the latest register read failed or read all ones */
    bool gone;                          /* the device vanished: no register is touched again */

    struct hdabdl_controller_info info;
    unsigned num_streams;
    uint32_t ssync_offset;
    /* What the core last wrote to the control registers it shares between
     * engines and paths: they are written from these, never read back and
     * modified, so a failed read cannot put garbage in them. */
    uint32_t gctl, intctl, ssync;
    uint64_t dma_limit;                 /* exclusive upper bound of bus addresses */
    struct hdabdl_hal_dma posbuf;       /* DMA position buffer, size 0 if none */

    struct engine engines[HDA_MAX_STREAMS];
    uint32_t next_generation;
    uint16_t render_tags;               /* bit t = tag t in use */
    uint16_t capture_tags;
    uint32_t sdo_used[MAX_SDO_LINES];
    uint32_t sdi_used[MAX_SDI_LINES];

    struct hdabdl_client *clients;
    uint64_t stray_dereferences;        /* references taken or dropped at 0, second closes: ignored */

    /* Callbacks run one at a time, without the lock, by one deliverer (deliver.c). */
    bool delivering;                    /* a thread is running hdabdl__deliver */
    bool callback_running;              /* ... and is inside a callback right now */
    uint32_t callbacks_returned;        /* counts callbacks that returned */

    struct command_transport cmd;
};

/* ---- HAL wrapper layer (hal_call.c): the only place the core calls ops ---- */

hdabdl_status hdabdl__hal_check_ops(const struct hdabdl_hal_ops *ops);
/* Host memory (zeroed) before and after a controller exists; flags HDABDL_HAL_MEM_*. */
void *hdabdl__hal_mem_alloc(const struct hdabdl_hal_ops *ops, void *hal, size_t size, unsigned flags);
void hdabdl__hal_mem_free(const struct hdabdl_hal_ops *ops, void *hal, void *p, size_t size);
void *hdabdl__mem_alloc(hdabdl_controller *ctrl, size_t size, unsigned flags);
void hdabdl__mem_free(hdabdl_controller *ctrl, void *p, size_t size);
/* The caller runs at raised level (HAL caller_level); false without the slot. */
bool hdabdl__at_raised_level(hdabdl_controller *ctrl);
/* Bracket a call into a client callback (HAL level_raise / level_restore). */
uint64_t hdabdl__level_raise(hdabdl_controller *ctrl);
void hdabdl__level_restore(hdabdl_controller *ctrl, uint64_t token);
uint8_t hdabdl__rd8(hdabdl_controller *ctrl, uint32_t offset);
uint16_t hdabdl__rd16(hdabdl_controller *ctrl, uint32_t offset);
uint32_t hdabdl__rd32(hdabdl_controller *ctrl, uint32_t offset);
void hdabdl__wr8(hdabdl_controller *ctrl, uint32_t offset, uint8_t value);
void hdabdl__wr16(hdabdl_controller *ctrl, uint32_t offset, uint16_t value);
void hdabdl__wr32(hdabdl_controller *ctrl, uint32_t offset, uint32_t value);
/* The latest register read failed or read all ones (its value is not the register's). */
bool hdabdl__read_failed(const hdabdl_controller *ctrl);
/* The device is gone (detected on reads): from now on no register is touched,
 * every engine counts as reset, and hdabdl__take_io_error() says
 * DEVICE_DOES_NOT_EXIST. */
void hdabdl__device_gone(hdabdl_controller *ctrl);
/* Routines that need the device refuse once it is gone. */
#define HDABDL_REQUIRE_PRESENT(ctrl)                                               \
    do {                                                                           \
        if ((ctrl)->gone) {                                                        \
            hdabdl__unlock(ctrl);                                                  \
            return HDABDL_STATUS_DEVICE_DOES_NOT_EXIST;                            \
        }                                                                          \
    } while (0)
/* Poll an 8/16/32-bit register until (value & mask) == want; false on timeout. */
bool hdabdl__poll(hdabdl_controller *ctrl, uint32_t offset, unsigned width, uint32_t mask,
                  uint32_t want, uint32_t step_us, uint32_t timeout_us);
/* Take the first register error since the last call: SUCCESS if none,
 * DEVICE_DOES_NOT_EXIST once the device is gone. */
hdabdl_status hdabdl__take_io_error(hdabdl_controller *ctrl);
const volatile uint32_t *hdabdl__reg_pointer(hdabdl_controller *ctrl, uint32_t offset);
void hdabdl__pci_ids(hdabdl_controller *ctrl, struct hdabdl_pci_ids *ids);
int hdabdl__timer_attach(hdabdl_controller *ctrl, hdabdl_hal_irq_handler handler, void *arg);
void hdabdl__timer_arm(hdabdl_controller *ctrl, uint32_t delay_us);
void hdabdl__timer_detach(hdabdl_controller *ctrl);
int hdabdl__dma_alloc(hdabdl_controller *ctrl, size_t size, size_t align, struct hdabdl_hal_dma *out);
void hdabdl__dma_free(hdabdl_controller *ctrl, struct hdabdl_hal_dma *dma);
void hdabdl__delay_us(hdabdl_controller *ctrl, uint32_t us);
/* A wait that may sleep: passive level only, no lock held. */
void hdabdl__sleep_us(hdabdl_controller *ctrl, uint32_t us);
uint64_t hdabdl__now_ns(hdabdl_controller *ctrl);
int hdabdl__lock_create(hdabdl_controller *ctrl);
void hdabdl__lock_destroy(hdabdl_controller *ctrl);
void hdabdl__lock(hdabdl_controller *ctrl);
void hdabdl__unlock(hdabdl_controller *ctrl);
int hdabdl__irq_attach(hdabdl_controller *ctrl, hdabdl_hal_irq_handler handler, void *arg);
void hdabdl__irq_detach(hdabdl_controller *ctrl);

/* Stream descriptor register of engine @e. */
#define SD_REG(e, reg) HDA_SD_OFFSET((e)->index, (reg))

/* ---- Formats (format.c) ---------------------------------------------------------- */

struct format_layout {
    hdabdl_converter_format fmt;
    uint32_t block_bytes;     /* one sample block in memory */
    uint32_t blocks_per_frame;/* most sample blocks one link frame can carry (MULT) */
};
hdabdl_status hdabdl__format_layout(const struct hdabdl_stream_format *format,
                                    struct format_layout *out);

/* ---- Engines (engine.c, stream.c) -------------------------------------------------- */

/* The engine @handle names, if it is allocated and belongs to @client; else NULL. */
struct engine *hdabdl__engine_lookup(hdabdl_client *client, hdabdl_handle handle);
hdabdl_handle hdabdl__engine_handle(const struct engine *e);
/* The routines' common start: lock the controller and find @handle's engine.
 * SUCCESS with the lock held, or INVALID_PARAMETER / INVALID_HANDLE without it. */
hdabdl_status hdabdl__engine_enter(hdabdl_client *client, hdabdl_handle handle, struct engine **out);
/* Give the engine back: tag, bandwidth and ownership. Buffers must be gone. */
void hdabdl__engine_release(hdabdl_controller *ctrl, struct engine *e);

/* SRST handshake; leaves the engine's registers at their reset values. */
hdabdl_status hdabdl__stream_reset(hdabdl_controller *ctrl, struct engine *e);
/* Write the engine's registers from its software state (after a reset). */
void hdabdl__stream_program(hdabdl_controller *ctrl, struct engine *e);
/* Stop, reset, free buffers: for teardown paths. Everything is released
 * whatever the hardware does; the status says whether it confirmed (SUCCESS)
 * or not (the I/O error, DEVICE_NOT_READY, DEVICE_DOES_NOT_EXIST). */
hdabdl_status hdabdl__engine_teardown(hdabdl_controller *ctrl, struct engine *e);
/* Write GCTL, INTCTL, SSYNC from their shadows after changing them. */
void hdabdl__write_gctl(hdabdl_controller *ctrl, uint32_t value);
void hdabdl__write_intctl(hdabdl_controller *ctrl, uint32_t value);
/* Free the buffers of an engine whose hardware no longer uses them. */
void hdabdl__engine_free_buffers(hdabdl_controller *ctrl, struct engine *e);
/* Wait (lock held, released while waiting) until no BDL ISR callback runs.
 * A no-op when called from inside a callback. */
void hdabdl__drain_callbacks(hdabdl_controller *ctrl);

/* ---- Verb transport (commands.c) --------------------------------------------- */

/* Set up CORB/RIRB (or fall back to immediate commands) after the link reset. */
hdabdl_status hdabdl__commands_init(hdabdl_controller *ctrl);
/* Stop CORB/RIRB DMA and complete whatever is still queued as invalid. */
void hdabdl__commands_shutdown(hdabdl_controller *ctrl);
/* The poll timer fired: move asynchronous batches along. Lock NOT held. */
void hdabdl__commands_timer(hdabdl_controller *ctrl);
/* Controller interrupt (CIS): read the RIRB. Lock held. */
void hdabdl__commands_interrupt(hdabdl_controller *ctrl);
/* Finish and deliver every batch of @client (lock held; drops it while waiting). */
void hdabdl__commands_flush_client(hdabdl_controller *ctrl, hdabdl_client *client);
/* Take the next delivery of the verb transport (lock held): an unsolicited
 * event or a completed batch, as a callback to make. False if none. */
struct delivery;
bool hdabdl__commands_next_delivery(hdabdl_controller *ctrl, struct delivery *out);
/* Forget @client's unsolicited registrations. */
void hdabdl__events_release_client(hdabdl_controller *ctrl, hdabdl_client *client);
/* ---- Callbacks (deliver.c) ------------------------------------------------------ */

/* One callback to make, taken under the lock and made without it. */
struct delivery {
    enum { DELIVER_ISR, DELIVER_EVENT, DELIVER_NOTIFY, DELIVER_UNSOLICITED, DELIVER_BATCH } kind;
    union {
        struct { hdabdl_bdl_isr fn; void *context; uint32_t bits; } isr;
        struct hdabdl_notification_event *event;
        struct { hdabdl_dma_notification_callback fn; void *context; int64_t timestamp; } notify;
        struct { hdabdl_unsolicited_response_callback fn; void *context;
                 hdabdl_codec_response response; } unsolicited;
        struct { hdabdl_transfer_complete_callback fn; void *context;
                 struct hdabdl_codec_transfer *transfers; } batch;
    } u;
};

/* Make every pending callback (lock held on entry and on return; dropped
 * around each call). Does nothing if another thread, or an outer frame of
 * this one, is already delivering: that one picks the new work up. */
void hdabdl__deliver(hdabdl_controller *ctrl);

/* Routines the DDI allows only at PASSIVE_LEVEL refuse to run at raised level. */
#define HDABDL_REQUIRE_PASSIVE(client)                                             \
    do {                                                                           \
        if ((client) && hdabdl__at_raised_level((client)->ctrl))                   \
            return HDABDL_STATUS_UNSUCCESSFUL;                                     \
    } while (0)

/* Forget the engine's notification events and callbacks (notify.c). */
void hdabdl__notifications_clear(struct engine *e);

/* ---- Client references (controller.c; ddi.h describes the rules) ---------------- */

/* Take one reference; false (nothing taken, counted as stray) if @client is
 * already being released. */
bool hdabdl__client_reference(hdabdl_client *client);
/* Drop one reference; at zero the client is released and freed. */
void hdabdl__client_dereference(hdabdl_client *client);
/* Test-only accessors. */
uint32_t hdabdl__client_reference_count(hdabdl_client *client);
uint64_t hdabdl__stray_dereferences(hdabdl_controller *ctrl);

#endif /* HDABDL_CORE_INTERNAL_H */
