/* SPDX-License-Identifier: MIT */
/*
 * tests/support/fixture.h - the shared fixture of the DDI rule tests.
 *
 * Every test_ddi_*.c test gets a fresh mock controller (struct hdabdl_mock_hal),
 * the controller opened over it and one or two clients, built by a per-test
 * cmocka setup and torn down by fx_teardown(), which also states two rules for
 * every test: the core made no illegal register access (the mock's violation
 * count is 0) and, once everything is closed, no DMA memory is left.
 *
 * cmocka.h needs <stdarg.h>, <stddef.h>, <stdint.h> and <setjmp.h> first; this
 * header includes them in that order.
 */
#ifndef HDABDL_TESTS_FIXTURE_H
#define HDABDL_TESTS_FIXTURE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdbool.h>
#include <cmocka.h>

#include "hdabdl/hdabdl.h"
#include "hdabdl/mock.h"
#include "hdabdl/regs.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- The fixture ---------------------------------------------------------- */

struct fx {
    struct hdabdl_mock_hal_config cfg; /* tweak before fx_start() */
    struct hdabdl_mock_hal *hal;
    struct hdabdl_mock *dev;
    hdabdl_controller *ctrl;
    hdabdl_client *client;             /* codec 0, first node 1 */
    hdabdl_client *client2;            /* codec 0, first node 2 (only if asked for) */
    size_t dma_baseline;               /* DMA blocks the open controller holds by itself */
    struct hdabdl_hal_ops ops;         /* a modified ops table must outlive the controller */
};

/** Adjusts a default configuration before the controller is opened. */
typedef void (*fx_tweak_fn)(struct hdabdl_mock_hal_config *cfg);

/* cmocka setups. All leave a struct fx in *state. */
int fx_setup(void **state);              /* default mock, controller, one client */
int fx_setup_two_clients(void **state);  /* default mock, controller, two clients */
int fx_setup_bare(void **state);         /* only the default configuration: call fx_start() */
/* Build with @tweak applied to the default configuration and @clients (0..2) clients. */
int fx_setup_with(void **state, fx_tweak_fn tweak, unsigned clients);
/* Closes clients and controller; asserts no violations and no DMA blocks left. */
int fx_teardown(void **state);

/* Create the mock HAL from fx->cfg (asserts success); no controller. */
void fx_create_hal(struct fx *fx);
/* Create the HAL (if not yet), open the controller and @clients clients (asserts success). */
void fx_start(struct fx *fx, unsigned clients);
/* Close clients and controller now (teardown then only checks and destroys the HAL). */
void fx_close_all(struct fx *fx);

/* Fail the test with the mock's description if it recorded violations. */
void fx_assert_no_violations(struct fx *fx);

/* ---- Formats ---------------------------------------------------------------- */

struct hdabdl_stream_format fx_format(uint32_t rate, uint16_t valid_bits, uint16_t container,
                                      uint16_t channels);
/* 48000 Hz, 16 valid bits in 16, 2 channels (SDnFMT 0x0011, 4 bytes per block). */
struct hdabdl_stream_format fx_format_default(void);

/* ---- Engines ------------------------------------------------------------------ */

/* Allocate, asserting success. */
hdabdl_handle fx_alloc_render(hdabdl_client *client, const struct hdabdl_stream_format *fmt,
                              bool stripe);
hdabdl_handle fx_alloc_capture(hdabdl_client *client, uint8_t codec,
                               const struct hdabdl_stream_format *fmt);
struct hdabdl_engine_info fx_info(hdabdl_client *client, hdabdl_handle h);
struct hdabdl_bandwidth_info fx_bandwidth(struct fx *fx);
struct hdabdl_controller_info fx_ctrl_info(struct fx *fx);

/* Records BDL ISR calls. */
#define FX_ISR_LOG_MAX 256
struct fx_isr_log {
    unsigned calls;
    uint32_t or_mask;                  /* all masks ORed */
    uint32_t masks[FX_ISR_LOG_MAX];    /* first FX_ISR_LOG_MAX masks */
    /* Optional: called from the ISR after recording. */
    void (*hook)(struct fx_isr_log *log, uint32_t mask);
    void *hook_ctx;
};
void fx_isr_record(void *context, uint32_t interrupt_bit_mask);
unsigned fx_isr_count(const struct fx_isr_log *log, uint32_t mask); /* calls with exactly @mask */

/* An engine with a contiguous buffer and a BDL. */
struct fx_stream {
    hdabdl_client *client;
    hdabdl_handle handle;
    hdabdl_converter_format conv;
    struct hdabdl_stream_format format;
    uint8_t *data;
    uint64_t data_bus;
    struct hdabdl_buffer_descriptor *bdl;
    uint64_t bdl_bus;
    uint32_t size;           /* requested */
    uint32_t length;         /* buffer_length (sum of fragments) */
    uint32_t lvi;
    uint8_t tag;             /* stream_id from setup */
    uint32_t fifo_size;
    uint8_t sd;              /* engine_info.sd_index */
    struct fx_isr_log log;   /* the BDL ISR's context */
};

/* Allocate a buffer of @size bytes for s->handle (asserting success) into @s. */
void fx_alloc_buffer(struct fx_stream *s, uint32_t size);
/* Write @fragments contiguous entries of @frag_len bytes each (frag_len a multiple of 128). */
void fx_fill_bdl(struct fx_stream *s, unsigned fragments, uint32_t frag_len, bool ioc);
/* Setup with s->length / s->lvi, ISR fx_isr_record(&s->log); returns the status. */
hdabdl_status fx_try_setup(struct fx_stream *s);

/*
 * One call: allocate a render engine for @fmt, a contiguous buffer of
 * fragments x frag_len bytes, a BDL of @fragments entries (all with @ioc) and
 * set the engine up; asserts every step. The data buffer is zeroed.
 */
void fx_render_stream(hdabdl_client *client, const struct hdabdl_stream_format *fmt,
                      unsigned fragments, uint32_t frag_len, bool ioc, struct fx_stream *s);
void fx_capture_stream(hdabdl_client *client, uint8_t codec, const struct hdabdl_stream_format *fmt,
                       unsigned fragments, uint32_t frag_len, bool ioc, struct fx_stream *s);

/* set_dma_engine_state on one engine. */
hdabdl_status fx_state1(hdabdl_client *client, enum hdabdl_stream_state st, hdabdl_handle h);
/* set_dma_engine_state on two engines. */
hdabdl_status fx_state2(hdabdl_client *client, enum hdabdl_stream_state st, hdabdl_handle a,
                        hdabdl_handle b);
/* Reset -> Pause -> Run, asserting success. */
void fx_start_stream(struct fx_stream *s);

/* ---- Time and registers ---------------------------------------------------------- */

void fx_advance_ns(struct fx *fx, uint64_t ns);
void fx_advance_us(struct fx *fx, uint64_t us);
void fx_advance_ms(struct fx *fx, uint64_t ms);

uint32_t fx_reg(struct fx *fx, uint32_t offset, unsigned width);
uint32_t fx_sd_reg(struct fx *fx, unsigned sd, uint32_t reg, unsigned width);
uint32_t fx_sd_ctl(struct fx *fx, unsigned sd);   /* SDnCTL, 32-bit read (CTL + STS) */
uint8_t fx_sd_sts(struct fx *fx, unsigned sd);
bool fx_sd_running(struct fx *fx, unsigned sd);   /* SDnCTL.RUN */
uint32_t fx_sd_lpib(struct fx *fx, unsigned sd);

/* A handle no allocation returned. */
#define FX_FORGED_HANDLE ((hdabdl_handle)(uintptr_t)0x12345678u)

/* Assert a status, printing both names on failure. */
#define assert_status(got, want) fx_assert_status_((got), (want), #got, __FILE__, __LINE__)
void fx_assert_status_(hdabdl_status got, hdabdl_status want, const char *expr, const char *file,
                       int line);

/* ---- Codecs and verbs ---------------------------------------------------------------- */

struct hdabdl_codec;

/* Open the controller with @options (may be NULL) and @clients clients, like fx_start(). */
void fx_start_opts(struct fx *fx, const struct hdabdl_controller_options *options,
                   unsigned clients);

/*
 * Parse @text (a /proc/asound/cardN/codec#M dump of exactly one codec) and put
 * that codec on the link at @address with hdabdl_mock_hal_add_codec() (which
 * also marks the address present). Call before fx_start(); creates the HAL if
 * needed. Returns the codec (owned by the HAL) for inspection and jack events.
 */
struct hdabdl_codec *fx_add_codec_text(struct fx *fx, const char *text, uint8_t address);

/*
 * A small duplex codec at @address answering GET_PARAMETER(VENDOR_ID) with
 * @vendor_id. Nodes (the layout of the mock's default codec):
 *   FX_AFG 0x01 audio function group, unsolicited-capable
 *   FX_DAC 0x02 audio output, stereo output amp (gain 0..0x57, power-on 0x57)
 *   FX_HP  0x03 headphone pin: output, presence detect, unsolicited-capable, jack unplugged
 *   FX_ADC 0x04 audio input
 *   FX_MIC 0x05 mic pin: input, presence detect, unsolicited-capable, jack unplugged
 * Subsystem ID FX_CODEC_SUBSYSTEM, revision ID FX_CODEC_REVISION.
 */
struct hdabdl_codec *fx_add_duplex_codec(struct fx *fx, uint8_t address, uint32_t vendor_id);

#define FX_AFG 0x01
#define FX_DAC 0x02
#define FX_HP  0x03
#define FX_ADC 0x04
#define FX_MIC 0x05
#define FX_CODEC_SUBSYSTEM 0x17aa3a5bu
#define FX_CODEC_REVISION  0x100302u

/* One synchronous verb through @client (asserts SUCCESS); its complete response. */
uint64_t fx_verb(hdabdl_client *client, uint32_t verb);

/* Command transport counters (asserts SUCCESS). */
struct hdabdl_command_stats fx_cmd_stats(struct fx *fx);

/* The mock's virtual time. */
uint64_t fx_now_ns(struct fx *fx);

/* One link frame: 1 / 48000 s = 62500 / 3 ns. */
#define FX_FRAME_NS (62500.0 / 3.0)


/* ---- Bus-allocated buffers (V1 AllocateDmaBuffer, V2/V3 ...WithNotification) ------------- */

/* An engine whose buffer the library allocated. */
struct fx_bus {
    hdabdl_client *client;
    hdabdl_handle handle;
    struct hdabdl_stream_format format;
    hdabdl_converter_format conv;
    uint8_t sd;                    /* engine_info.sd_index */
    uint32_t count;                /* 0: AllocateDmaBuffer (V1); 1 or 2: ...WithNotification */
    size_t requested;
    struct hdabdl_mdl *mdl;        /* BufferMdl */
    size_t allocated;              /* AllocatedBufferSize */
    size_t offset;                 /* OffsetFromFirstPage (notification buffers) */
    uint8_t tag;                   /* StreamId */
    uint32_t fifo_size;            /* FifoSize */
};

/* A render engine for @fmt (asserting success) into @b; no buffer yet. */
void fx_bus_engine(hdabdl_client *client, const struct hdabdl_stream_format *fmt,
                   struct fx_bus *b);
/* AllocateDmaBuffer (@count 0) or AllocateDmaBufferWithNotification(@count) of
 * @requested bytes for b->handle; the outputs go to @b. Returns the status. */
hdabdl_status fx_bus_try_alloc(struct fx_bus *b, uint32_t count, size_t requested);
/* fx_bus_engine + fx_bus_try_alloc, asserting success; the buffer is zeroed. */
void fx_bus_render(hdabdl_client *client, const struct hdabdl_stream_format *fmt, uint32_t count,
                   size_t requested, struct fx_bus *b);
/* The free routine of b's kind (FreeDmaBuffer, or ...WithNotification with b's MDL and
 * allocated size). Returns the status. */
hdabdl_status fx_bus_free(struct fx_bus *b);
/* Reset -> Pause -> Run, asserting success. */
void fx_bus_start(struct fx_bus *b);

/* Byte @offset of the buffer an MDL describes (pages in order, from byte_offset). */
uint8_t *fx_mdl_byte(const struct hdabdl_mdl *mdl, size_t offset);
/* Copy @len bytes into / out of the buffer at @offset, across pages. */
void fx_mdl_write(const struct hdabdl_mdl *mdl, size_t offset, const void *src, size_t len);
void fx_mdl_read(const struct hdabdl_mdl *mdl, size_t offset, void *dst, size_t len);

/* A notification event (the DDI's KEVENT) that counts its signals and notes the
 * mock's time of each. */
#define FX_EVENT_LOG_MAX 64
struct fx_event {
    struct hdabdl_notification_event event;   /* what is registered */
    struct fx *fx;                            /* for the time; may be NULL */
    unsigned signals;
    uint64_t times[FX_EVENT_LOG_MAX];         /* mock time of the first signals */
};
void fx_event_init(struct fx_event *ev, struct fx *fx);

/* A V3 notification callback's context: calls and timestamps; an optional hook. */
#define FX_CALLBACK_LOG_MAX 64
struct fx_callback_log {
    unsigned calls;
    int64_t stamps[FX_CALLBACK_LOG_MAX];      /* timestamp_ns of the first calls */
    void (*hook)(struct fx_callback_log *log, int64_t timestamp_ns);
    void *hook_ctx;
};
/* The hdabdl_dma_notification_callback: @context is a struct fx_callback_log. */
void fx_callback_record(void *context, int64_t timestamp_ns);

/* ---- A spying HAL: the mock's ops with counted delays and scripted DMA failures ------- */

struct fx_hal_spy {
    uint64_t fail_mask;     /* bit i: the i-th dma_alloc from now fails (shifts per call) */
    uint64_t dma_allocs;    /* dma_alloc calls */
    uint64_t delay_calls;   /* delay_us calls (busy-waits) */
    uint64_t delay_us;      /* and their total */
};
extern struct fx_hal_spy fx_spy;

/* Like fx_setup, but the controller runs over fx->ops: the mock's ops with
 * dma_alloc and delay_us going through fx_spy (reset at setup). */
int fx_setup_spy(void **state);
/* fx_setup_spy with @tweak applied to the default configuration first. */
int fx_setup_spy_with(void **state, fx_tweak_fn tweak);

#ifdef __cplusplus
}
#endif

#endif /* HDABDL_TESTS_FIXTURE_H */
