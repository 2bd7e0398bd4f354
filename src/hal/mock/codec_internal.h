/* SPDX-License-Identifier: MIT */
/*
 * codec_internal.h - what the codec files of the mock share. Not installed.
 *
 * codec_parse.c   proc text -> struct hdabdl_codec_desc
 * codec_desc.c    copy / free / compare / lookup, names
 * codec_print.c   description -> proc text and JSON
 * codec_model.c   the verb engine (struct hdabdl_codec)
 * codec_stream.c  converters, sinks, capture source, jacks, unsolicited queue
 */
#ifndef HDABDL_MOCK_CODEC_INTERNAL_H
#define HDABDL_MOCK_CODEC_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hdabdl/codec.h"

#if defined(__GNUC__) || defined(__clang__)
#define CODEC_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define CODEC_PRINTF(fmt, args)
#endif

/* ---- HDA constants the codec files use (Linux hda_verbs.h names, HDA spec values) ---- */

#define WCAP_STEREO        (1u << 0)
#define WCAP_IN_AMP        (1u << 1)
#define WCAP_OUT_AMP       (1u << 2)
#define WCAP_AMP_OVRD      (1u << 3)
#define WCAP_FORMAT_OVRD   (1u << 4)
#define WCAP_STRIPE        (1u << 5)
#define WCAP_PROC_WID      (1u << 6)
#define WCAP_UNSOL_CAP     (1u << 7)
#define WCAP_CONN_LIST     (1u << 8)
#define WCAP_DIGITAL       (1u << 9)
#define WCAP_POWER         (1u << 10)
#define WCAP_LR_SWAP       (1u << 11)
#define WCAP_CP_CAPS       (1u << 12)
#define WCAP_CHAN_CNT_EXT  (7u << 13)
#define WCAP_DELAY_SHIFT   16

#define PINCAP_IMP_SENSE   (1u << 0)
#define PINCAP_TRIG_REQ    (1u << 1)
#define PINCAP_PRES_DETECT (1u << 2)
#define PINCAP_HP_DRV      (1u << 3)
#define PINCAP_OUT         (1u << 4)
#define PINCAP_IN          (1u << 5)
#define PINCAP_BALANCE     (1u << 6)
#define PINCAP_HDMI        (1u << 7)
#define PINCAP_VREF_SHIFT  8
#define PINCAP_VREF_MASK   (0x37u << 8)
#define PINCAP_EAPD        (1u << 16)
#define PINCAP_DP          (1u << 24)
#define PINCAP_HBR         (1u << 27)

#define PWRST_S3D3COLDSUP  (1u << 29)
#define PWRST_CLKSTOP      (1u << 30)
#define PWRST_EPSS         (1u << 31)
#define PWRST_ERROR        (1u << 8)
#define PWRST_CLK_STOP_OK  (1u << 9)
#define PWRST_SETTING_RESET (1u << 10)

#define AMPCAP_MUTE        (1u << 31)

/* ---- A growable text buffer ------------------------------------------------------ */

struct codec_sbuf {
    char *p;
    size_t len;
    size_t cap;
    bool oom;           /* an append failed; the text is incomplete */
};

void codec_sbuf_init(struct codec_sbuf *sb);
void codec_sbuf_free(struct codec_sbuf *sb);
void codec_sbuf_putc(struct codec_sbuf *sb, char c);
void codec_sbuf_puts(struct codec_sbuf *sb, const char *s);
void codec_sbuf_printf(struct codec_sbuf *sb, const char *fmt, ...) CODEC_PRINTF(2, 3);
/* The finished string (ownership passes to the caller), or NULL after an allocation failure. */
char *codec_sbuf_finish(struct codec_sbuf *sb, size_t *len_out);

/* ---- Shared helpers ------------------------------------------------------------------ */

/* Channels a widget carries: wcaps CHAN_CNT_EXT and STEREO (HDA spec 7.3.4.6). */
unsigned codec_wcaps_channels(uint32_t wcaps);

/* Normalise a power-state value the way the proc printer can express it:
 * setting and actual nibbles 0..4 or 0xF ("UNKNOWN"), flags 10:8. */
uint32_t codec_power_normalize(uint32_t value);

/* Name of a D-state nibble as printed ("D0".."D3cold", "UNKNOWN"). */
const char *codec_power_state_name(unsigned state);


/* ---- The codec model (codec_model.c, codec_stream.c) ------------------------------------------ */

#define CODEC_MAX_VERB_COEFS 4096   /* coefficients a node keeps (dumped + written) */

struct codec_ring {
    uint8_t *buf;
    size_t cap;
    size_t head;                /* oldest byte */
    size_t len;
    uint64_t total;
    uint64_t dropped;
};

/* Run-time state of one widget. */
struct codec_node_rt {
    const struct hdabdl_codec_node *d;  /* its description (in codec->desc) */
    uint8_t type;
    uint8_t n_in_amps;
    uint8_t amp_in[HDABDL_CODEC_MAX_CONN][2];
    uint8_t amp_out[2];
    uint8_t conn_sel;
    uint8_t pinctl;
    uint32_t pin_default;
    uint8_t eapd;
    uint8_t unsol;
    uint8_t power_setting;
    uint8_t stream_chan;        /* stream tag 7:4, channel 3:0 */
    uint16_t format;
    uint8_t sdi;
    uint32_t digital;           /* DIG1..DIG4 */
    uint8_t volknob;
    uint8_t beep;
    uint8_t proc_state;
    uint16_t coef_index;
    uint16_t ncoefs;
    struct hdabdl_codec_coef *coefs;    /* sorted by index; malloc'ed */
    uint8_t stripe;
    uint8_t cvt_chan_count;
    uint8_t dev_sel;
    uint8_t dip_index;
    uint8_t dip_xmit;
    uint16_t cp_ctrl;
    uint8_t chan_slot[16];
    bool jack;                  /* something is plugged in */
    struct codec_ring ring;     /* output converters: what reached the DAC */
};

struct hdabdl_codec {
    struct hdabdl_codec_desc desc;      /* deep copy */
    struct hdabdl_codec_config cfg;
    int16_t map[256];                   /* NID -> index in nodes[], -1 */
    struct codec_node_rt *nodes;
    size_t nnodes;
    uint8_t first_nid;                  /* widget range reported by the AFG */
    uint8_t num_widgets;
    bool has_afg;
    uint8_t afg_nid;
    uint8_t afg_power;                  /* setting */
    uint8_t afg_unsol;
    bool has_mfg;
    uint8_t mfg_nid;
    uint8_t mfg_power;
    uint32_t subsystem_id;
    uint8_t gpio_data, gpio_mask, gpio_dir, gpio_wake, gpio_unsol, gpio_sticky;
    uint8_t gpi_data, gpi_wake, gpi_unsol, gpi_sticky, gpo_data;
    uint32_t *unsol_q;
    size_t unsol_head, unsol_len;
    struct hdabdl_codec_stats stats;
    hdabdl_codec_source_fn source;
    void *source_ctx;
};

/* Power-on state of one widget (function reset and link reset). */
void codec_node_power_on(struct hdabdl_codec *codec, struct codec_node_rt *rt, bool keep_pin_config);
/* Actual power state (D0..D3) of a widget: the deeper of its own setting and the AFG's. */
unsigned codec_node_actual_power(const struct hdabdl_codec *codec, const struct codec_node_rt *rt);
/* The widget of @nid, or NULL. */
struct codec_node_rt *codec_node(struct hdabdl_codec *codec, uint8_t nid);
/* Pin sense value (verb 0xF09) of a pin widget. */
uint32_t codec_pin_sense(const struct hdabdl_codec *codec, const struct codec_node_rt *rt);
/* Is the pin an HDMI/DP pin (pin caps; Realtek uses the HDMI bit for L/R swap). */
bool codec_pin_is_hdmi(const struct hdabdl_codec *codec, const struct codec_node_rt *rt);

#endif /* HDABDL_MOCK_CODEC_INTERNAL_H */
