/* SPDX-License-Identifier: MIT */
/*
 * codec_walk.h - discover a codec through verbs, and find a playback path in it.
 *
 * The walker reads a codec the way Linux's sound/pci/hda/hda_proc.c does when
 * it prints /proc/asound/cardN/codec#M, but only through
 * hdabdl_transfer_codec_verbs(): no mock internals, so it works the same on a
 * real controller. The result is a struct hdabdl_codec_desc holding what the
 * proc file would show; hdabdl_codec_desc_to_proc() then prints it in that
 * format and hdabdl_codec_parse() reads the printout back to the same
 * description.
 *
 * What verbs cannot tell stays empty: the mixer controls and PCM devices a
 * driver made ("Control:", "Device:" lines), the driver's "In-driver
 * Connection" lists, and the lines vendor hooks of Linux drivers add (Realtek
 * "Processing Coefficient", IDT "Power-Map" / "Analog Loopback"). The codec
 * name is what Linux prints for a codec it has no entry for: the vendor's
 * name and "ID" with the device ID ("Realtek ID 269").
 *
 * The path finder works on such a description: it picks an output pin and an
 * Audio Output converter (DAC) that reaches it through the connection lists,
 * and lists the verbs that make the path carry sound.
 */
#ifndef HDABDL_TOOLS_CODEC_WALK_H
#define HDABDL_TOOLS_CODEC_WALK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hdabdl/codec.h"
#include "hdabdl/hdabdl.h"

/* ---- HDA constants (HDA spec 7.3.4; Linux hda_verbs.h names) ------------------------- */

#define CW_WCAP_STEREO       (1u << 0)
#define CW_WCAP_IN_AMP       (1u << 1)
#define CW_WCAP_OUT_AMP      (1u << 2)
#define CW_WCAP_AMP_OVRD     (1u << 3)
#define CW_WCAP_FORMAT_OVRD  (1u << 4)
#define CW_WCAP_STRIPE       (1u << 5)
#define CW_WCAP_PROC_WID     (1u << 6)
#define CW_WCAP_UNSOL_CAP    (1u << 7)
#define CW_WCAP_CONN_LIST    (1u << 8)
#define CW_WCAP_DIGITAL      (1u << 9)
#define CW_WCAP_POWER        (1u << 10)

#define CW_PINCAP_HP_DRV     (1u << 3)
#define CW_PINCAP_OUT        (1u << 4)
#define CW_PINCAP_IN         (1u << 5)
#define CW_PINCAP_EAPD       (1u << 16)

#define CW_EAPD_ENABLE       0x02u

#define CW_AMPCAP_OFFSET(c)  ((unsigned)((c) & 0x7Fu))
#define CW_AMPCAP_NSTEPS(c)  ((unsigned)(((c) >> 8) & 0x7Fu))
#define CW_AMPCAP_MUTE       (1u << 31)

/* Pin configuration default (HDA spec 7.3.3.31) */
#define CW_PINCFG_PORT(c)    ((unsigned)((c) >> 30))            /* 0 jack, 1 none, 2 fixed, 3 both */
#define CW_PINCFG_DEVICE(c)  ((unsigned)(((c) >> 20) & 0xFu))    /* 0 line out, 1 speaker, 2 HP, ... */
#define CW_PINCFG_ASSOC(c)   ((unsigned)(((c) >> 4) & 0xFu))
#define CW_PINCFG_SEQ(c)     ((unsigned)((c) & 0xFu))
#define CW_PORT_NONE         1u
#define CW_DEVICE_LINE_OUT   0u
#define CW_DEVICE_SPEAKER    1u
#define CW_DEVICE_HP_OUT     2u
#define CW_DEVICE_CD         3u
#define CW_DEVICE_LINE_IN    8u
#define CW_DEVICE_AUX        9u
#define CW_DEVICE_MIC        10u

/* ---- The walker ------------------------------------------------------------------------- */

struct codec_walk_options {
    /* Also list every processing coefficient of widgets with processing
     * controls, as Linux does with the snd-hda-codec dump_coef option. Reading
     * them writes the coefficient index (and puts the old index back). */
    bool dump_coefs;
};

struct codec_walk_stats {
    unsigned transfers;   /* hdabdl_transfer_codec_verbs() calls */
    unsigned verbs;       /* verbs sent */
    unsigned invalid;     /* verbs that got no response (IsValid = 0) */
};

/**
 * codec_walk - read the codec at @cad through @client's verbs into @out.
 *
 * @out is overwritten; free it with hdabdl_codec_desc_clear(). @options may be
 * NULL (defaults). @stats (optional) receives the verb counts.
 * Returns SUCCESS; NO_SUCH_DEVICE when the root node does not answer (no
 * codec at @cad); NO_MEMORY; or the status of a failed transfer. Verbs that
 * get no response are read as Linux reads them (N/A where it prints N/A, 0
 * elsewhere) and counted in @stats.
 */
hdabdl_status codec_walk(hdabdl_client *client, uint8_t cad, const struct codec_walk_options *options,
                         struct hdabdl_codec_desc *out, struct codec_walk_stats *stats);

/** The amp caps that apply to a widget: its own, or the AFG's when it does not override them. */
uint32_t codec_effective_amp_caps(const struct hdabdl_codec_desc *desc,
                                  const struct hdabdl_codec_node *node, bool output);

/* ---- Output paths --------------------------------------------------------------------- */

#define CODEC_PATH_MAX 16   /* nodes on a path, DAC and pin included */

struct codec_path {
    uint8_t cad;
    unsigned len;                       /* nodes[0] is the DAC, nodes[len - 1] the pin */
    uint8_t nodes[CODEC_PATH_MAX];
    int16_t conn_index[CODEC_PATH_MAX]; /* [i > 0]: index of nodes[i - 1] in nodes[i]'s list */
};

/**
 * codec_find_output_path - a DAC and an output pin it reaches.
 *
 * Candidate pins: Pin Complex widgets whose pin caps have OUT and whose
 * default configuration is not "no physical connection"; line outs first,
 * then headphones, then speakers, then the rest (within a kind by default
 * association and sequence, then NID). From each pin a breadth-first search
 * follows the connection lists through mixers and selectors to an Audio
 * Output converter that can take 48 kHz 16-bit PCM; the first pin that
 * reaches one gives the path (the shortest from that pin).
 *
 * @return true with @path filled; false with a reason in @why.
 */
bool codec_find_output_path(const struct hdabdl_codec_desc *desc, struct codec_path *path,
                            char *why, size_t why_len);

/** Describe a path: "DAC 0x02 -> Audio Mixer 0x0c -> Pin 0x14 (Speaker, Fixed)". */
void codec_path_describe(const struct hdabdl_codec_desc *desc, const struct codec_path *path,
                         char *buf, size_t len);

/** One verb of a path's programming, with what it is for. */
struct codec_path_verb {
    uint32_t verb;          /* as sent (address in 31:28) */
    char what[96];          /* "SET_POWER_STATE AFG 0x01 D0" */
    bool readback;          /* a GET whose response must equal @expect */
    uint32_t expect;
    uint32_t mask;          /* bits of the response compared with @expect */
};

/**
 * codec_path_program - the verbs that make @path play a stream: power (AFG
 * and path nodes to D0), connection selects along the path, unmuted amps at
 * 0 dB (the amp caps' offset) on the path's output amps and on the inputs it
 * uses, the pin's widget control (OUT, plus HP on headphone pins that drive
 * them), EAPD on pins that have it, the DAC's converter format @format and
 * stream @tag (channel 0). Then the GETs that read it all back.
 *
 * @out receives up to @max entries; returns how many there are (may exceed @max).
 */
size_t codec_path_program(const struct hdabdl_codec_desc *desc, const struct codec_path *path,
                          uint16_t format, uint8_t tag, struct codec_path_verb *out, size_t max);

/** The verb that disconnects the path's DAC from the stream (stream 0, channel 0). */
uint32_t codec_path_release_verb(const struct codec_path *path);

/* ---- Input paths ------------------------------------------------------------------------ */

/*
 * An input path uses struct codec_path the other way round: nodes[0] is the
 * ADC (Audio Input converter), nodes[len - 1] the input pin, and for i < len - 1
 * conn_index[i] is the index of nodes[i + 1] in nodes[i]'s connection list
 * (the signal flows from the pin toward the ADC, and connection lists name a
 * widget's inputs); conn_index[len - 1] is -1.
 */

/**
 * codec_find_input_path - an ADC and an input pin that reaches it.
 *
 * From each Audio Input converter that can give 48 kHz 16-bit PCM, a
 * breadth-first search follows the connection lists through mixers and
 * selectors to Pin Complex widgets whose pin caps have IN and whose default
 * configuration is not "no physical connection". Pins are preferred as line
 * in, microphone, aux, CD, then the rest (then by association, sequence, NID);
 * among equals the shortest path, then the lowest ADC NID.
 *
 * @return true with @path filled; false with a reason in @why.
 */
bool codec_find_input_path(const struct hdabdl_codec_desc *desc, struct codec_path *path,
                           char *why, size_t why_len);

/** Describe an input path: "Pin 0x05 (Line In, Jack) -> ADC 0x04". */
void codec_input_path_describe(const struct hdabdl_codec_desc *desc, const struct codec_path *path,
                               char *buf, size_t len);

/**
 * codec_input_path_program - the verbs that make @path record a stream:
 * power (AFG and path nodes to D0), connection selects, unmuted input amps
 * at 0 dB on the inputs the path uses (and output amps of mixers and
 * selectors on it), the pin's widget control (IN), the ADC's converter format
 * @format and stream @tag (channel 0); then the GETs that read it back.
 * Amp verbs go from the pin toward the ADC, so the converter's own amp is set
 * last (QEMU's codec applies any node's amp verb to the converter's stream).
 *
 * @out receives up to @max entries; returns how many there are (may exceed @max).
 */
size_t codec_input_path_program(const struct hdabdl_codec_desc *desc, const struct codec_path *path,
                                uint16_t format, uint8_t tag, struct codec_path_verb *out, size_t max);

/** Generic name from the vendor ID, as Linux gives codecs it has no entry for. */
void codec_generic_name(uint32_t vendor_id, char *buf, size_t len);

#endif /* HDABDL_TOOLS_CODEC_WALK_H */
