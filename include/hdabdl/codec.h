/* SPDX-License-Identifier: MIT */
/*
 * hdabdl/codec.h - codec descriptions and mock codecs for the mock controller.
 *
 * Three layers:
 *
 * 1. Descriptions (struct hdabdl_codec_desc): what one real codec looked like,
 *    read from the text Linux prints in /proc/asound/cardN/codec#M (also when
 *    embedded in alsa-info.sh output, several codecs per file, with unrelated
 *    text around them). hdabdl_codec_parse() takes what matters and skips the
 *    rest; a malformed line gives an error with its line number, never a crash.
 *    Descriptions print back to the same proc format (parse(print(d)) == d) and
 *    to JSON.
 *
 * 2. The codec model (struct hdabdl_codec): built from a description, it
 *    answers 32-bit verbs the way the dumped part would. Power-on state is the
 *    state in the dump (amp values, pin controls, selected connections, power
 *    states, EAPD, unsolicited enables, GPIO, coefficients), except converter
 *    stream tags and channels, which start at 0 (unconnected) as after a real
 *    reset. Verbs the part would not accept (unknown verb, a verb the
 *    addressed node type lacks, a NID that does not exist) answer 0 and are
 *    counted.
 *
 * 3. Stream and event hooks for the controller model: unsolicited responses
 *    (jack plug events), the converters listening to a stream tag, a byte ring
 *    per output converter recording what reached the DAC, and a capture source
 *    callback for input converters.
 *
 * Thread safety: none inside. A codec belongs to one controller model, which
 * serializes every call (it does so under its own lock). Descriptions are
 * plain data.
 *
 * Verb layout (HDA spec 7.1.2; CORB entry): 31:28 codec address, 27:20 NID,
 * then either 19:8 a 12-bit verb and 7:0 an 8-bit payload (verbs 0x7xx/0xFxx),
 * or 19:16 a 4-bit verb and 15:0 a 16-bit payload (0x2 set converter format,
 * 0x3 set amp gain/mute, 0x4 set coefficient, 0x5 set coefficient index,
 * 0xA get converter format, 0xB get amp gain/mute, 0xC get coefficient,
 * 0xD get coefficient index).
 */
#ifndef HDABDL_CODEC_H
#define HDABDL_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Limits ------------------------------------------------------------------ */

#define HDABDL_CODEC_MAX_CONN 128         /**< connection list entries per node (7-bit length) */
#define HDABDL_CODEC_MAX_DEVICES 64       /**< DP-MST device list entries per pin */
#define HDABDL_CODEC_MAX_COEFS 256        /**< "Coeff 0xNN" lines per node (ncoeff is 8 bits) */
#define HDABDL_CODEC_MAX_CONTROLS 32      /**< "Control:" lines per node */
#define HDABDL_CODEC_MAX_PCM_DEVICES 16   /**< "Device:" lines per node */
#define HDABDL_CODEC_NAME_MAX 128         /**< "Codec:" name, bytes incl. NUL (longer is cut) */
#define HDABDL_CODEC_CONTROL_NAME_MAX 64  /**< control / PCM names, bytes incl. NUL */
#define HDABDL_CODEC_MAX_INPUT (64u << 20) /**< hdabdl_codec_parse() refuses larger texts */

/* ---- Descriptions ------------------------------------------------------------ */

/** Widget types (audio widget capabilities 23:20). */
enum hdabdl_codec_widget_type {
    HDABDL_WIDGET_AUDIO_OUTPUT = 0x0,
    HDABDL_WIDGET_AUDIO_INPUT = 0x1,
    HDABDL_WIDGET_AUDIO_MIXER = 0x2,
    HDABDL_WIDGET_AUDIO_SELECTOR = 0x3,
    HDABDL_WIDGET_PIN_COMPLEX = 0x4,
    HDABDL_WIDGET_POWER = 0x5,
    HDABDL_WIDGET_VOLUME_KNOB = 0x6,
    HDABDL_WIDGET_BEEP_GENERATOR = 0x7,
    HDABDL_WIDGET_VENDOR_DEFINED = 0xF
};

/** The widget type of a widget-capabilities value. */
static inline unsigned hdabdl_codec_wcaps_type(uint32_t wcaps) { return (wcaps >> 20) & 0xFu; }

/** "Default PCM:" / "PCM:" block: parameters 0x0A and 0x0B. */
struct hdabdl_codec_pcm {
    bool present;       /**< the dump has the block */
    bool na;            /**< the dump says N/A (the parameter read failed) */
    uint32_t sizes;     /**< parameter 0x0A: rates in 11:0, bit depths in 23:16 */
    uint32_t formats;   /**< parameter 0x0B: 0 PCM, 1 float32, 2 AC3 */
};

/** One amplifier side of a node: caps and the values read back (per index: left, right). */
struct hdabdl_codec_amp {
    bool caps_present;  /**< "Amp-xx caps:" line seen */
    uint32_t caps;      /**< parameter 0x0D / 0x12; 0 when the dump says N/A */
    bool vals_present;  /**< "Amp-xx vals:" line seen */
    bool vals_stereo;   /**< values came in pairs (left right) */
    uint16_t nvals;     /**< indices listed (0..HDABDL_CODEC_MAX_CONN) */
    uint8_t vals[HDABDL_CODEC_MAX_CONN][2]; /**< [index][0 left, 1 right]; mute bit 7, gain 6:0 */
};

/** "Control:" (+ "ControlAmp:") line: a mixer control the driver made on the node. */
struct hdabdl_codec_control {
    char name[HDABDL_CODEC_CONTROL_NAME_MAX];
    int32_t index;
    int32_t device;
    bool has_amp;       /**< a ControlAmp line followed */
    uint32_t amp_chs;
    bool amp_out;       /**< dir=Out (else In) */
    uint32_t amp_idx;
    uint32_t amp_ofs;
};

/** "Device:" line: a PCM device the driver attached to a converter. */
struct hdabdl_codec_pcm_device {
    char name[HDABDL_CODEC_CONTROL_NAME_MAX];
    char type[16];      /**< "Audio", "SPDIF", "HDMI", "Modem", ... */
    int32_t device;
    bool has_substream;  /**< older kernels added ", substream=N" */
    int32_t substream;
};

/** A processing coefficient ("Coeff 0xNN: 0xVVVV" lines of dump_coef). */
struct hdabdl_codec_coef {
    uint16_t index;
    uint16_t value;
};

/** One widget ("Node 0xNN [...] wcaps 0x...:" and its indented lines). */
struct hdabdl_codec_node {
    uint8_t nid;
    uint32_t wcaps;             /**< parameter 0x09 */
    unsigned line;              /**< line of the Node line in the parsed text (not compared) */

    struct hdabdl_codec_amp amp_in;
    struct hdabdl_codec_amp amp_out;

    bool has_pincap;        uint32_t pincap;       /**< parameter 0x0C */
    bool has_pin_default;   uint32_t pin_default;  /**< verb 0xF1C */
    bool has_pinctl;        uint8_t pinctl;        /**< verb 0xF07 */
    bool has_eapd;          uint8_t eapd;          /**< verb 0xF0C */
    bool has_unsol;         uint8_t unsol;         /**< verb 0xF08: enable bit 7, tag 5:0 */
    bool has_power_states;  uint32_t power_states; /**< parameter 0x0F */
    bool has_power;         uint32_t power;        /**< verb 0xF05: setting 3:0, actual 7:4, flags 10:8 */
    bool has_converter;     uint8_t conv_stream;   uint8_t conv_channel; /**< verb 0xF06 */
    bool has_sdi_select;    uint8_t sdi_select;    /**< verb 0xF04 */
    bool has_digital;       /**< "Digital:" line: verb 0xF0D byte 0 and KAE (byte 2 bit 7) */
    bool has_dig_category;  /**< "Digital category:" line: byte 1 */
    bool has_iec_coding;    /**< "IEC Coding Type:" line: byte 2 bits 3:0 */
    uint32_t digital;       /**< verb 0xF0D: DIG1 7:0, DIG2 15:8, DIG3 23:16 */
    struct hdabdl_codec_pcm pcm;                   /**< "PCM:" (format override converters) */
    bool has_volknob;       uint8_t volknob_cap;   uint8_t volknob_ctl; /**< param 0x13, verb 0xF0F */
    bool has_proc_caps;     uint32_t proc_caps;    /**< parameter 0x10: benign bit 0, ncoeff 15:8 */
    bool has_coef_value;    uint16_t coef_value;   /**< Realtek "Processing Coefficient:" */
    bool has_coef_index;    uint16_t coef_index;   /**< Realtek "Coefficient Index:" */
    uint16_t ncoefs;        struct hdabdl_codec_coef coefs[HDABDL_CODEC_MAX_COEFS];

    bool has_conn;          /**< "Connection:" line seen */
    int32_t conn_len;       /**< the count as printed (negative: the read failed, e.g. -22) */
    uint16_t nconn;         /**< entries in conn[] (== conn_len when conn_len > 0) */
    uint16_t conn[HDABDL_CODEC_MAX_CONN];
    int16_t conn_sel;       /**< index marked with '*', or -1 */

    bool has_devices;       /**< "Devices:" line seen (DP MST pins) */
    uint8_t ndevices;
    uint8_t devices[HDABDL_CODEC_MAX_DEVICES]; /**< bit 0 PD, bit 1 ELDV, bit 2 IA */
    int8_t dev_sel;         /**< entry marked with '*', or -1 */

    uint8_t ncontrols;      struct hdabdl_codec_control controls[HDABDL_CODEC_MAX_CONTROLS];
    uint8_t npcm_devices;   struct hdabdl_codec_pcm_device pcm_devices[HDABDL_CODEC_MAX_PCM_DEVICES];
};

/** One codec ("Codec:" line up to the end of its block). */
struct hdabdl_codec_desc {
    char name[HDABDL_CODEC_NAME_MAX];   /**< text after "Codec: " */
    unsigned line;                      /**< line of "Codec:" in the parsed text (not compared) */
    uint8_t address;                    /**< "Address:", 0..15 */
    bool has_afg_fid;   uint16_t afg_fid;   /**< param 0x05 of the AFG: type 7:0, unsol-capable bit 8 */
    bool has_mfg_fid;   uint16_t mfg_fid;   /**< same for the modem function group */
    uint32_t vendor_id;                 /**< parameter 0x00 of the root node */
    uint32_t subsystem_id;              /**< verb 0xF20 */
    uint32_t revision_id;               /**< parameter 0x02 */
    bool has_mfg;       uint8_t mfg_nid;    /**< "Modem Function Group: 0xNN" */
    bool has_afg_nid;   uint8_t afg_nid;    /**< "State of AFG node 0xNN:"; afg_nid is 1 otherwise */
    struct hdabdl_codec_pcm default_pcm;
    bool has_default_amp_in;  uint32_t default_amp_in;   /**< AFG parameter 0x0D (0 for N/A) */
    bool has_default_amp_out; uint32_t default_amp_out;  /**< AFG parameter 0x12 (0 for N/A) */
    bool has_afg_power_states; uint32_t afg_power_states;
    bool has_afg_power;        uint32_t afg_power;
    bool has_gpio;      uint32_t gpio_cap;  /**< AFG parameter 0x11 */
    uint8_t gpio_lines;                     /**< "IO[n]" lines listed */
    uint8_t gpio_enable, gpio_dir, gpio_wake, gpio_sticky, gpio_data, gpio_unsol;
    bool has_power_map;       uint32_t power_map;        /**< IDT "Power-Map:" */
    bool has_analog_loopback; uint32_t analog_loopback;  /**< IDT "Analog Loopback:" */
    bool invalid_afg_subtree;               /**< "Invalid AFG subtree" */
    size_t nnodes;
    struct hdabdl_codec_node *nodes;        /**< in dump order */
};

/** Where and why a text could not be read. */
struct hdabdl_codec_parse_error {
    unsigned line;          /**< 1-based line number; 0 when the problem is not one line */
    char message[160];      /**< one line, no trailing newline */
};

#define HDABDL_CODEC_MAX_WARNINGS 16   /**< warnings kept by one reading (all are counted) */

/** A text that reads but is not whole: where the dump ends early. */
struct hdabdl_codec_parse_warning {
    unsigned line;          /**< 1-based line where the dump ends early */
    unsigned codec;         /**< the codec it concerns, 1-based, in text order */
    char message[200];      /**< one line, no trailing newline */
};

/** The warnings of one reading. */
struct hdabdl_codec_parse_warnings {
    unsigned count;         /**< warnings found (more than HDABDL_CODEC_MAX_WARNINGS: the rest are not kept) */
    struct hdabdl_codec_parse_warning list[HDABDL_CODEC_MAX_WARNINGS];  /**< the first ones, as found */
};

/**
 * Read every codec in a text.
 *
 * Lines are taken from "Codec:" at column 0 up to the first column-0 line that
 * is not part of a codec dump; everything else in the text is skipped. CR LF,
 * a UTF-8 BOM, bytes >= 0x80 and e-mail soft line breaks ("=" at the end of a
 * line inside a codec) are tolerated. A NUL byte anywhere is not (Linux's proc
 * file is text), and neither is a codec with no node, no function group and
 * not the whole header Linux prints for every codec (Address, Vendor Id,
 * Subsystem Id, Revision Id): both are -EINVAL, "not a codec dump".
 *
 * A codec cut off by the end of the text (or before other text) reads as far
 * as it goes; hdabdl_codec_parse_ex() reports it as a warning. The codec keeps
 * what its text has: a connection list that never came is empty
 * ("Connection: 0"), a last line that does not read is left out, and a last
 * codec cut in its header (when codecs came before it) is left out.
 *
 * @param text   the text; need not be NUL-terminated
 * @param len    its length in bytes (at most HDABDL_CODEC_MAX_INPUT)
 * @param out    receives a malloc'ed array of *count descriptions (NULL on error);
 *               free it with hdabdl_codec_desc_array_free()
 * @param count  receives the number of codecs
 * @param err    optional; filled on failure
 * @return 0; -EINVAL for a malformed text (see @err); -ENOENT when the text has
 *         no codec; -E2BIG when @len is too large; -ENOMEM
 */
int hdabdl_codec_parse(const char *text, size_t len, struct hdabdl_codec_desc **out, size_t *count,
                       struct hdabdl_codec_parse_error *err);

/**
 * hdabdl_codec_parse(), and what shows that the dump ends early (it was cut
 * off), as warnings with their line. What counts, from what Linux's
 * hda_proc.c prints:
 *   - a last line without a line end (the text stops inside it);
 *   - "Connection: N" (N > 0) with no list line after it;
 *   - a block with fewer lines than it announces: "Default PCM:" or a node's
 *     "PCM:" (rates, bits, formats), "State of AFG node" (its Power line),
 *     "GPIO: io=N" (N IO lines), "Devices: N";
 *   - an audio function group without nodes (and no "Invalid AFG subtree");
 *   - a codec's last node without a line its widget capabilities make Linux
 *     print (amp caps and values, a pin's Pincap / Pin Default / Pin-ctls, the
 *     PCM block of a format override converter), or without a line every other
 *     node of the codec with the same capability has;
 *   - the last codec cut inside its header (left out).
 * A dump cut exactly after a complete node cannot be told from a whole one.
 *
 * @param warnings  optional; cleared, then filled (also on success)
 * @return as hdabdl_codec_parse(); on failure @warnings is cleared
 */
int hdabdl_codec_parse_ex(const char *text, size_t len, struct hdabdl_codec_desc **out, size_t *count,
                          struct hdabdl_codec_parse_error *err, struct hdabdl_codec_parse_warnings *warnings);

/**
 * hdabdl_codec_parse() on a file's content.
 * @param path  the file (read whole, at most HDABDL_CODEC_MAX_INPUT bytes)
 * @return as hdabdl_codec_parse(), or -errno when the file cannot be read (@err line 0)
 */
int hdabdl_codec_parse_file(const char *path, struct hdabdl_codec_desc **out, size_t *count,
                            struct hdabdl_codec_parse_error *err);

/** hdabdl_codec_parse_ex() on a file's content (as hdabdl_codec_parse_file()). */
int hdabdl_codec_parse_file_ex(const char *path, struct hdabdl_codec_desc **out, size_t *count,
                               struct hdabdl_codec_parse_error *err,
                               struct hdabdl_codec_parse_warnings *warnings);

/** Free the nodes of one description (the struct itself is the caller's) and zero it. */
void hdabdl_codec_desc_clear(struct hdabdl_codec_desc *desc);
/** Free an array returned by hdabdl_codec_parse(), descriptions and all. NULL is fine. */
void hdabdl_codec_desc_array_free(struct hdabdl_codec_desc *descs, size_t count);
/**
 * Deep copy; free the copy with hdabdl_codec_desc_clear().
 * @return 0, -EINVAL (more than 256 nodes), or -ENOMEM (then @dst is zeroed)
 */
int hdabdl_codec_desc_copy(struct hdabdl_codec_desc *dst, const struct hdabdl_codec_desc *src);

/** @return the node of @desc with NID @nid, or NULL. */
const struct hdabdl_codec_node *hdabdl_codec_desc_node(const struct hdabdl_codec_desc *desc, uint8_t nid);

/**
 * Field-by-field comparison (line numbers excluded).
 * @param why     optional; receives the path of the first difference, e.g.
 *                "node 0x0c amp_in.vals[1][0]: 0x80 != 0x00"
 * @param why_len size of @why
 * @return true when equal
 */
bool hdabdl_codec_desc_equal(const struct hdabdl_codec_desc *a, const struct hdabdl_codec_desc *b,
                             char *why, size_t why_len);

/**
 * Print in the /proc/asound/cardN/codec#M format of current Linux. Parsing the
 * result gives a description equal to @desc.
 * @param len_out optional; receives strlen of the result
 * @return a malloc'ed NUL-terminated string, or NULL when out of memory
 */
char *hdabdl_codec_desc_to_proc(const struct hdabdl_codec_desc *desc, size_t *len_out);

/**
 * Print as one JSON object (ASCII; name bytes >= 0x80 are written as \u00XX).
 * Register values are written as decimal integers; lines absent from the dump
 * are absent from the object.
 * @param len_out optional; receives strlen of the result
 * @return a malloc'ed NUL-terminated string, or NULL when out of memory
 */
char *hdabdl_codec_desc_to_json(const struct hdabdl_codec_desc *desc, size_t *len_out);

/** @return the name of widget type @type as the proc file prints it ("Audio Output", ...). */
const char *hdabdl_codec_widget_type_name(unsigned type);

/* ---- The codec model --------------------------------------------------------- */

struct hdabdl_codec;

struct hdabdl_codec_config {
    uint8_t address;            /**< link address 0..14; the verb's 31:28 must match */
    size_t sink_capacity;       /**< bytes kept per output converter ring (oldest dropped) */
    size_t unsol_capacity;      /**< unsolicited responses queued before new ones are dropped */
};

/** Defaults: the description's address, 64 KiB per sink, 16 queued unsolicited responses. */
void hdabdl_codec_config_default(struct hdabdl_codec_config *config, const struct hdabdl_codec_desc *desc);

/**
 * Build a codec from a description.
 * @param desc    copied: it may be freed afterwards
 * @param config  optional (NULL: hdabdl_codec_config_default())
 * @param out     receives the codec (NULL on failure)
 * @return 0; -EINVAL (address > 14, unsol_capacity 0 or > 4096, a NID used
 *         twice or by a function group); -ENOMEM
 */
int hdabdl_codec_create(const struct hdabdl_codec_desc *desc, const struct hdabdl_codec_config *config,
                        struct hdabdl_codec **out);
/** Free a codec and its rings. NULL is fine. */
void hdabdl_codec_destroy(struct hdabdl_codec *codec);

/** @return the description the codec was built from (owned by the codec). */
const struct hdabdl_codec_desc *hdabdl_codec_description(const struct hdabdl_codec *codec);
/** @return the link address the codec answers at (verb bits 31:28, STATESTS bit). */
uint8_t hdabdl_codec_address(const struct hdabdl_codec *codec);

/**
 * Link reset (controller CRST going to 0): every node back to its power-on
 * state, the unsolicited queue emptied. Pin configuration defaults, the
 * subsystem ID (both BIOS-programmed), jack states, rings and counters are
 * kept. The function reset verb (0x7FF to the AFG) does the same minus the
 * queue.
 */
void hdabdl_codec_reset(struct hdabdl_codec *codec);

/**
 * Execute one verb.
 * @param verb      the 32-bit command as it sits in the CORB / ICOI
 * @param response  receives the 32-bit response (0 for verbs the part refuses)
 * @return true when the codec answers, i.e. bits 31:28 equal its address;
 *         false means nothing answers on the link (the controller must not
 *         produce a response)
 */
bool hdabdl_codec_verb(struct hdabdl_codec *codec, uint32_t verb, uint32_t *response);

/** Counters of the verbs a codec saw. */
struct hdabdl_codec_stats {
    uint64_t verbs;             /**< verbs answered */
    uint64_t refused;           /**< of those, refused (answered 0): the sum of the next three */
    uint64_t refused_bad_nid;   /**< the NID does not exist */
    uint64_t refused_unknown;   /**< unknown verb or parameter */
    uint64_t refused_wrong_node;/**< a verb the node type lacks, or a payload it rejects */
    uint32_t last_refused;      /**< the last refused verb */
    uint64_t unsol_dropped;     /**< unsolicited responses lost to a full queue */
};
/** Copy the counters into @out. */
void hdabdl_codec_get_stats(const struct hdabdl_codec *codec, struct hdabdl_codec_stats *out);
/** @return verbs refused so far (answered 0): the stats' refused count. */
uint64_t hdabdl_codec_refused_verbs(const struct hdabdl_codec *codec);

/* ---- Jacks and unsolicited responses ----------------------------------------- */

/**
 * Plug or unplug the jack of pin @nid. Pin sense (0xF09) reports presence in
 * bit 31 from now on (and ELD valid in bit 30 for HDMI/DP pins). If presence
 * changed and the pin has unsolicited responses enabled (0x708 bit 7), the
 * response (tag << 26, plus PD/ELDV in bits 0/1 for HDMI/DP pins) is queued.
 * Power-on presence: true for pins whose default configuration says the port
 * is Fixed or Both (built-in speaker, internal mic), false otherwise.
 * @return false if @nid is not a pin complex (nothing changes)
 */
bool hdabdl_codec_set_jack(struct hdabdl_codec *codec, uint8_t nid, bool present);

/**
 * Take the oldest queued unsolicited response. The controller model puts it in
 * the RIRB with response_ex = codec address | bit 4 (unsolicited), when
 * GCTL.UNSOL allows.
 * @return false when the queue is empty
 */
bool hdabdl_codec_pop_unsolicited(struct hdabdl_codec *codec, uint32_t *response);
/** @return unsolicited responses waiting in the queue. */
size_t hdabdl_codec_unsolicited_pending(const struct hdabdl_codec *codec);

/* ---- Streams ------------------------------------------------------------------ */

/** A converter set to a stream. */
struct hdabdl_codec_converter {
    uint8_t nid;
    uint8_t channel;    /**< lowest channel it takes from the stream (verb 0x706 bits 3:0) */
    uint8_t channels;   /**< channels it converts: format bits 3:0 + 1 */
    uint16_t format;    /**< converter format (verb 0x2 / 0xA) */
    bool digital;       /**< S/PDIF or HDMI converter */
    bool powered;       /**< actual power state D0 (a converter in D1-D3 does not convert) */
};

/**
 * Converters whose stream tag (0x706 bits 7:4) is @tag.
 * @param tag     1..15 (0 means "not connected" and finds nothing)
 * @param output  true: Audio Output converters (DACs); false: Audio Inputs (ADCs)
 * @param out     receives up to @max entries, by NID
 * @return how many converters match (may be more than @max)
 */
size_t hdabdl_codec_find_converters(const struct hdabdl_codec *codec, uint8_t tag, bool output,
                                    struct hdabdl_codec_converter *out, size_t max);

/**
 * Hand stream bytes that reached output converter @nid (the controller model
 * calls this for each converter find_converters returned; the bytes are the
 * stream's samples as they were in memory). They are appended to the
 * converter's ring; when it is full the oldest bytes are dropped.
 * @return @len, or 0 if @nid is not an Audio Output converter
 */
size_t hdabdl_codec_converter_consume(struct hdabdl_codec *codec, uint8_t nid, const void *samples,
                                      size_t len);
/**
 * Take bytes from the ring of output converter @nid, oldest first.
 * @param buf  receives them; NULL discards them
 * @return bytes taken (at most @len)
 */
size_t hdabdl_codec_converter_read(struct hdabdl_codec *codec, uint8_t nid, void *buf, size_t len);
/** @return bytes waiting in the ring of output converter @nid (0 for other NIDs). */
size_t hdabdl_codec_converter_available(const struct hdabdl_codec *codec, uint8_t nid);
/** @return bytes ever handed to converter @nid (kept or not). */
uint64_t hdabdl_codec_converter_total(const struct hdabdl_codec *codec, uint8_t nid);
/** @return bytes of converter @nid dropped because its ring was full. */
uint64_t hdabdl_codec_converter_dropped(const struct hdabdl_codec *codec, uint8_t nid);

/**
 * Deliver a chunk of an output stream to this codec, as the link would: every
 * Audio Output converter set to stream @tag and powered (actual D0) takes its
 * channels - [channel, channel + its format's channel count) of each frame -
 * into its ring. Converters in D1-D3 take nothing.
 * @param tag            the stream tag (SDnCTL.STRM), 1..15
 * @param stream_format  the stream's format (SDnFMT): channels and container size
 * @param data           the stream's bytes as the DMA engine read them
 * @param len            bytes; only whole frames are used (the link carries whole sample blocks)
 * @return how many converters took data (0: nobody on this codec listens to @tag)
 */
size_t hdabdl_codec_stream_render(struct hdabdl_codec *codec, uint8_t tag, uint16_t stream_format,
                                  const void *data, size_t len);

/**
 * Fill a chunk of an input stream from this codec: every Audio Input converter
 * set to stream @tag and powered puts its channels, from the capture source
 * (zeros without one), into its slot of each frame; other slots read 0.
 * @param buf  receives @len bytes (whole frames of @stream_format); untouched when
 *             the function returns 0
 * @return how many converters contributed (0: none listens to @tag here)
 */
size_t hdabdl_codec_stream_capture(struct hdabdl_codec *codec, uint8_t tag, uint16_t stream_format,
                                   void *buf, size_t len);

/**
 * Capture source: fill @len bytes for input converter @nid, whose format is
 * @format (the converter's own channels, containers as in memory). Called
 * from hdabdl_codec_stream_capture() and hdabdl_codec_converter_produce(),
 * i.e. with the controller model's lock held: it must not call back into the
 * model.
 */
typedef void (*hdabdl_codec_source_fn)(void *ctx, uint8_t nid, uint16_t format, void *buf, size_t len);
/**
 * Set the capture source.
 * @param fn   the source, or NULL to remove it (input converters then produce zeros)
 * @param ctx  passed to @fn
 */
void hdabdl_codec_set_source(struct hdabdl_codec *codec, hdabdl_codec_source_fn fn, void *ctx);
/**
 * Fill @len bytes of capture data from input converter @nid (calls the source).
 * @return @len, or 0 (buffer untouched) if @nid is not an Audio Input converter
 */
size_t hdabdl_codec_converter_produce(struct hdabdl_codec *codec, uint8_t nid, void *buf, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* HDABDL_CODEC_H */
