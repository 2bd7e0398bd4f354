/* SPDX-License-Identifier: MIT */
/*
 * codec_parse.c - read codec descriptions from Linux proc text.
 *
 * The text is what sound/pci/hda/hda_proc.c prints into
 * /proc/asound/cardN/codec#M, from kernels of 2005 to today, as users posted it:
 * raw, inside alsa-info.sh output (several codecs, much unrelated text), with
 * CR LF, re-indented, or quoted-printable wrapped. Facts about the format come
 * from hda_proc.c (which lines exist, in which order, which are derived from
 * others) and from hda-emu's reader (which lines matter).
 *
 * Rules:
 *  - A codec starts at "Codec: " in column 0 and ends before the next column-0
 *    line that is not one of the codec's own column-0 lines.
 *  - Indented lines are matched by keyword after their leading blanks, so a
 *    re-indented dump reads the same. Unknown indented lines (vendor hooks,
 *    driver notes) are skipped; lines derived from others (Vref caps, Conn =,
 *    DefAssociation, Misc, Delay, In-driver Connection) are skipped too.
 *  - A known keyword with a value that does not read is an error that names the
 *    line; so is a count that disagrees with what follows it.
 *  - A text with a NUL byte is not a codec dump: hda_proc.c prints text.
 *  - hda_proc.c prints Address, Vendor Id, Subsystem Id and Revision Id for
 *    every codec, and stops there only for a codec without an audio function
 *    group (old kernels print modem codecs so). A codec with neither nodes nor
 *    a function group line must therefore have that whole header; with only a
 *    part of it ("Codec:" and "Vendor Id:", say) the text is not a codec dump.
 *  - A codec that reads but lacks what its own lines promise ends early (the
 *    text was cut off): a warning with the line, not an error, and the codec
 *    keeps what was there. What is promised (facts of hda_proc.c):
 *      - the list line after "Connection: N" (N > 0);
 *      - the items of an open block: "Default PCM:" and a node's "PCM:" (rates,
 *        bits, formats, or N/A), "State of AFG node" (its Power line), "GPIO:
 *        io=N" (N IO lines), "Devices: N" (N entries);
 *      - an audio function group's nodes (or "Invalid AFG subtree");
 *      - the lines of the last node that its wcaps and type make Linux print
 *        on every kernel: Amp-In/Amp-Out caps and vals (wcaps bits 1, 2), a
 *        pin's Pincap, Pin Default and Pin-ctls, the PCM block of a format
 *        override converter (bit 4); and the lines every other node of the
 *        same codec with the same capability has (Converter, Digital,
 *        Unsolicited, Power states, Power, Connection, Processing caps,
 *        Volume-Knob), since older kernels printed fewer of those.
 *    A last line without a line end inside a codec was cut mid-line: a warning
 *    too, and when it does not read it is left out, as if the text ended
 *    before it. A last codec cut inside its header, after codecs that read,
 *    is left out with a warning (alone it is no codec dump, see above).
 *
 * Everything works on (pointer, end) slices of the caller's buffer: no NUL is
 * needed, nothing reads past the end, and there is no recursion.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec_internal.h"

/* ---- Slices ------------------------------------------------------------------------- */

struct sl {
    const char *p;
    const char *e;
};

static bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

static void skip_ws(struct sl *s)
{
    while (s->p < s->e && is_blank(*s->p))
        s->p++;
}

static void trim_right(struct sl *s)
{
    while (s->e > s->p && (is_blank(s->e[-1]) || s->e[-1] == '\r'))
        s->e--;
}

static bool at_end(const struct sl *s)
{
    return s->p >= s->e;
}

/* Consume @lit if the slice starts with it. */
static bool take(struct sl *s, const char *lit)
{
    size_t n = strlen(lit);
    if ((size_t)(s->e - s->p) < n || memcmp(s->p, lit, n) != 0)
        return false;
    s->p += n;
    return true;
}

static bool starts(const struct sl *s, const char *lit)
{
    struct sl t = *s;
    return take(&t, lit);
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Hex digits without prefix; at most 32 bits. */
static bool take_hex_digits(struct sl *s, uint32_t *out)
{
    uint64_t v = 0;
    const char *start = s->p;
    while (s->p < s->e && hexval(*s->p) >= 0) {
        v = (v << 4) | (uint64_t)hexval(*s->p);
        if (v > 0xFFFFFFFFu)
            return false;
        s->p++;
    }
    if (s->p == start)
        return false;
    *out = (uint32_t)v;
    return true;
}

/* "0x" + hex digits. */
static bool take_hex(struct sl *s, uint32_t *out)
{
    struct sl t = *s;
    if (!take(&t, "0x") && !take(&t, "0X"))
        return false;
    if (!take_hex_digits(&t, out))
        return false;
    *s = t;
    return true;
}

/* Optional '-', decimal digits, within [min, max]. */
static bool take_dec(struct sl *s, long long min, long long max, long long *out)
{
    struct sl t = *s;
    bool neg = take(&t, "-");
    long long v = 0;
    const char *start = t.p;
    while (t.p < t.e && *t.p >= '0' && *t.p <= '9') {
        v = v * 10 + (*t.p - '0');
        if (v > 0x7FFFFFFFLL)
            return false;
        t.p++;
    }
    if (t.p == start)
        return false;
    if (neg)
        v = -v;
    if (v < min || v > max)
        return false;
    *out = v;
    *s = t;
    return true;
}

static bool take_u32dec(struct sl *s, uint32_t max, uint32_t *out)
{
    long long v;
    if (!take_dec(s, 0, (long long)max, &v))
        return false;
    *out = (uint32_t)v;
    return true;
}


/* ---- Parser state ------------------------------------------------------------------------ */

enum pstate {
    ST_HEADER,          /* codec lines before/among nodes, no open sub-block */
    ST_DEFAULT_PCM,     /* after "Default PCM:" */
    ST_AFG_STATE,       /* after "State of AFG node" */
    ST_GPIO,            /* after "GPIO:" */
    ST_NODE,            /* inside a node */
    ST_NODE_PCM,        /* after a node's "PCM:" */
    ST_DEVICES          /* after "Devices:" */
};

enum pending {
    PEND_NONE,
    PEND_CONN,          /* the next line is the connection list */
    PEND_INDRIVER       /* the next line may be the In-driver list (skipped) */
};

struct parser {
    const char *text;
    size_t len;
    size_t pos;                 /* next physical line */
    unsigned phys_line;         /* physical lines consumed */
    unsigned line;              /* first physical line of the current logical line */
    char *join;                 /* scratch for soft-wrapped lines */
    size_t join_cap;

    struct hdabdl_codec_desc *descs;
    size_t ndescs, cap_descs;
    bool in_codec;
    size_t cap_nodes;           /* of descs[ndescs-1].nodes */
    bool seen_vendor;
    bool seen_address, seen_subsystem, seen_revision;
    bool seen_default_pcm;
    unsigned last_line;         /* last line that belonged to the current codec */

    enum pstate st;
    enum pending pend;
    unsigned pend_line;
    int amp_cont;               /* 1/2: this line was Amp-In/Amp-Out vals */
    int amp_prev;               /* amp_cont of the previous line */
    unsigned block_line;        /* line of the open block's header (st other than HEADER, NODE) */
    unsigned block_items;       /* items read under it */
    unsigned block_expect;      /* items it announced ("GPIO: io=N", "Devices: N") */
    struct hdabdl_codec_parse_error *err;
    struct hdabdl_codec_parse_warnings *warn;
};

static struct hdabdl_codec_desc *cur(struct parser *ps)
{
    return &ps->descs[ps->ndescs - 1];
}

static struct hdabdl_codec_node *cur_node(struct parser *ps)
{
    struct hdabdl_codec_desc *d = cur(ps);
    return d->nnodes ? &d->nodes[d->nnodes - 1] : NULL;
}

/* Quote a line for an error message: printable ASCII, at most 48 characters. */
static void quote(char *dst, size_t cap, struct sl s)
{
    size_t n = 0;
    trim_right(&s);
    while (s.p < s.e && n + 5 < cap) {
        unsigned char c = (unsigned char)*s.p++;
        dst[n++] = (c >= 0x20 && c < 0x7F) ? (char)c : '?';
        if (n >= 48 && s.p < s.e) {
            dst[n++] = '.';
            dst[n++] = '.';
            dst[n++] = '.';
            break;
        }
    }
    dst[n] = '\0';
}

CODEC_PRINTF(3, 4) static int fail_at(struct parser *ps, unsigned line, const char *fmt, ...)
{
    if (ps->err) {
        va_list ap;
        va_start(ap, fmt);
        ps->err->line = line;
        vsnprintf(ps->err->message, sizeof(ps->err->message), fmt, ap);
        va_end(ap);
    }
    return -EINVAL;
}

/* A malformed line: "<what>: '<the line>'". */
static int bad(struct parser *ps, const char *what, struct sl whole)
{
    char q[64];
    quote(q, sizeof(q), whole);
    return fail_at(ps, ps->line, "%s: '%s'", what, q);
}

/* A warning: the text reads, but line @line shows that the dump ends early. */
CODEC_PRINTF(3, 4) static void warn_at(struct parser *ps, unsigned line, const char *fmt, ...)
{
    struct hdabdl_codec_parse_warnings *w = ps->warn;
    if (!w)
        return;
    if (w->count < HDABDL_CODEC_MAX_WARNINGS) {
        struct hdabdl_codec_parse_warning *e = &w->list[w->count];
        va_list ap;
        va_start(ap, fmt);
        e->line = line;
        e->codec = (unsigned)ps->ndescs;
        vsnprintf(e->message, sizeof(e->message), fmt, ap);
        va_end(ap);
    }
    if (w->count != ~0u)
        w->count++;
}

/* Enter an open block (Default PCM:, PCM:, State of AFG node, GPIO:, Devices:). */
static void open_block(struct parser *ps, enum pstate st, unsigned expect)
{
    ps->st = st;
    ps->block_line = ps->line;
    ps->block_items = 0;
    ps->block_expect = expect;
}

/* ---- Physical and logical lines -------------------------------------------------------- */

static bool next_physical(struct parser *ps, struct sl *out)
{
    if (ps->pos >= ps->len)
        return false;
    const char *start = ps->text + ps->pos;
    const char *nl = memchr(start, '\n', ps->len - ps->pos);
    const char *end = nl ? nl : ps->text + ps->len;
    ps->pos = (size_t)(end - ps->text) + (nl ? 1 : 0);
    ps->phys_line++;
    out->p = start;
    out->e = end;
    while (out->e > out->p && out->e[-1] == '\r')
        out->e--;
    if (ps->phys_line == 1 && out->e - out->p >= 3 && memcmp(out->p, "\xEF\xBB\xBF", 3) == 0)
        out->p += 3;
    return true;
}

/*
 * The next logical line. Inside a codec, a line ending in '=' is a
 * quoted-printable soft break: it continues on the next line (at most 16).
 */
static int next_line(struct parser *ps, struct sl *out, bool *eof)
{
    struct sl s;
    if (!next_physical(ps, &s)) {
        *eof = true;
        return 0;
    }
    *eof = false;
    ps->line = ps->phys_line;
    if (!ps->in_codec || s.e == s.p || s.e[-1] != '=' || ps->pos >= ps->len) {
        *out = s;
        return 0;
    }
    size_t n = 0;
    for (int parts = 0;; parts++) {
        bool soft = s.e > s.p && s.e[-1] == '=' && parts < 16 && ps->pos < ps->len;
        size_t add = (size_t)(s.e - s.p) - (soft ? 1 : 0);
        if (n + add + 1 > ps->join_cap) {
            size_t cap = ps->join_cap ? ps->join_cap : 256;
            while (cap < n + add + 1)
                cap *= 2;
            char *j = realloc(ps->join, cap);
            if (!j)
                return -ENOMEM;
            ps->join = j;
            ps->join_cap = cap;
        }
        memcpy(ps->join + n, s.p, add);
        n += add;
        if (!soft)
            break;
        if (!next_physical(ps, &s))
            break;
    }
    out->p = ps->join;
    out->e = ps->join + n;
    return 0;
}

/* ---- What a codec's lines promise ----------------------------------------------------------- */

/* The lines of a node that hda_proc.c prints when its wcaps (HDA spec 7.3.4.6) or type ask
 * for them, in the order it prints them. "always": every kernel whose dumps are known prints
 * the line so; the others older kernels left out, so a dump is judged by its own nodes. */
enum promise {
    PR_AMP_IN_CAPS, PR_AMP_IN_VALS, PR_AMP_OUT_CAPS, PR_AMP_OUT_VALS, PR_PINCAP, PR_PIN_DEFAULT,
    PR_PINCTL, PR_VOLKNOB, PR_CONVERTER, PR_DIGITAL, PR_PCM, PR_UNSOL, PR_POWER_STATES, PR_POWER,
    PR_CONN, PR_PROC_CAPS, PR_COUNT
};

static const struct {
    const char *line;   /* as printed */
    const char *kind;   /* the nodes that have it */
    bool always;
} promises[PR_COUNT] = {
    [PR_AMP_IN_CAPS] = { "Amp-In caps:", "Amp-In", true },
    [PR_AMP_IN_VALS] = { "Amp-In vals:", "Amp-In", true },
    [PR_AMP_OUT_CAPS] = { "Amp-Out caps:", "Amp-Out", true },
    [PR_AMP_OUT_VALS] = { "Amp-Out vals:", "Amp-Out", true },
    [PR_PINCAP] = { "Pincap", "Pin Complex", true },
    [PR_PIN_DEFAULT] = { "Pin Default", "Pin Complex", true },
    [PR_PINCTL] = { "Pin-ctls:", "Pin Complex", true },
    [PR_VOLKNOB] = { "Volume-Knob:", "Volume Knob", false },
    [PR_CONVERTER] = { "Converter:", "converter", false },
    [PR_DIGITAL] = { "Digital:", "Digital converter", false },
    [PR_PCM] = { "PCM:", "Format Override converter", true },
    [PR_UNSOL] = { "Unsolicited:", "Unsol Capable", false },
    [PR_POWER_STATES] = { "Power states:", "Power Control", false },
    [PR_POWER] = { "Power:", "Power Control", false },
    [PR_CONN] = { "Connection:", "Conn List", false },
    [PR_PROC_CAPS] = { "Processing caps:", "Processing Widget", false },
};

static bool node_promises(const struct hdabdl_codec_node *n, enum promise p)
{
    unsigned type = hdabdl_codec_wcaps_type(n->wcaps);
    bool conv = type == HDABDL_WIDGET_AUDIO_OUTPUT || type == HDABDL_WIDGET_AUDIO_INPUT;
    switch (p) {
    case PR_AMP_IN_CAPS:
    case PR_AMP_IN_VALS:
        return (n->wcaps & WCAP_IN_AMP) != 0;
    case PR_AMP_OUT_CAPS:
    case PR_AMP_OUT_VALS:
        return (n->wcaps & WCAP_OUT_AMP) != 0;
    case PR_PINCAP:
    case PR_PIN_DEFAULT:
    case PR_PINCTL:
        return type == HDABDL_WIDGET_PIN_COMPLEX;
    case PR_VOLKNOB:
        return type == HDABDL_WIDGET_VOLUME_KNOB;
    case PR_CONVERTER:
        return conv;
    case PR_DIGITAL:
        return conv && (n->wcaps & WCAP_DIGITAL);
    case PR_PCM:
        return conv && (n->wcaps & WCAP_FORMAT_OVRD);
    case PR_UNSOL:
        return (n->wcaps & WCAP_UNSOL_CAP) != 0;
    case PR_POWER_STATES:
    case PR_POWER:
        return (n->wcaps & WCAP_POWER) != 0;
    case PR_CONN:
        return (n->wcaps & WCAP_CONN_LIST) != 0;   /* not implied for knobs: old kernels */
    case PR_PROC_CAPS:
        return (n->wcaps & WCAP_PROC_WID) != 0;
    case PR_COUNT:
        break;
    }
    return false;
}

static bool node_has(const struct hdabdl_codec_node *n, enum promise p)
{
    switch (p) {
    case PR_AMP_IN_CAPS:
        return n->amp_in.caps_present;
    case PR_AMP_IN_VALS:
        return n->amp_in.vals_present;
    case PR_AMP_OUT_CAPS:
        return n->amp_out.caps_present;
    case PR_AMP_OUT_VALS:
        return n->amp_out.vals_present;
    case PR_PINCAP:
        return n->has_pincap;
    case PR_PIN_DEFAULT:
        return n->has_pin_default;
    case PR_PINCTL:
        return n->has_pinctl;
    case PR_VOLKNOB:
        return n->has_volknob;
    case PR_CONVERTER:
        return n->has_converter;
    case PR_DIGITAL:
        return n->has_digital;
    case PR_PCM:
        return n->pcm.present;
    case PR_UNSOL:
        return n->has_unsol;
    case PR_POWER_STATES:
        return n->has_power_states;
    case PR_POWER:
        return n->has_power;
    case PR_CONN:
        return n->has_conn;
    case PR_PROC_CAPS:
        return n->has_proc_caps;
    case PR_COUNT:
        break;
    }
    return true;
}

/*
 * The first line the last node of @d lacks although it promises it: a line every
 * kernel prints, or one that every other node of @d with the same capability has.
 * PR_COUNT when nothing is missing.
 */
static enum promise last_node_missing(const struct hdabdl_codec_desc *d)
{
    const struct hdabdl_codec_node *last = &d->nodes[d->nnodes - 1];
    for (int p = 0; p < PR_COUNT; p++) {
        if (!node_promises(last, (enum promise)p) || node_has(last, (enum promise)p))
            continue;
        if (promises[p].always)
            return (enum promise)p;
        size_t have = 0, lack = 0;
        for (size_t i = 0; i + 1 < d->nnodes; i++) {
            if (!node_promises(&d->nodes[i], (enum promise)p))
                continue;
            if (node_has(&d->nodes[i], (enum promise)p))
                have++;
            else
                lack++;
        }
        if (have > 0 && lack == 0)
            return (enum promise)p;
    }
    return PR_COUNT;
}

/* An audio function group line of the codec header (the AFG's own lines). */
static bool has_afg_lines(const struct hdabdl_codec_desc *d)
{
    return d->has_afg_fid || d->has_afg_nid || d->default_pcm.present || d->has_default_amp_in ||
           d->has_default_amp_out || d->has_afg_power_states || d->has_afg_power || d->has_gpio ||
           d->invalid_afg_subtree;
}

/* The block the codec ended in, when it lacks items it announced: a description in @what. */
static bool open_block_short(const struct parser *ps, const struct hdabdl_codec_desc *d,
                             const struct hdabdl_codec_node *n, char *what, size_t cap)
{
    switch (ps->st) {
    case ST_DEFAULT_PCM:
        if (d->default_pcm.na || ps->block_items >= ps->block_expect)
            return false;
        snprintf(what, cap, "'Default PCM:' (line %u) has %u of its %u lines (rates, bits, formats)",
                 ps->block_line, ps->block_items, ps->block_expect);
        return true;
    case ST_NODE_PCM:
        if (!n || n->pcm.na || ps->block_items >= ps->block_expect)
            return false;
        snprintf(what, cap, "the 'PCM:' block of node 0x%02x (line %u) has %u of its %u lines (rates, "
                 "bits, formats)", n->nid, ps->block_line, ps->block_items, ps->block_expect);
        return true;
    case ST_AFG_STATE:
        if (d->has_afg_power)
            return false;
        snprintf(what, cap, "'State of AFG node 0x%02x:' (line %u) has no 'Power:' line", d->afg_nid,
                 ps->block_line);
        return true;
    case ST_GPIO:
        if (ps->block_items >= ps->block_expect)
            return false;
        snprintf(what, cap, "'GPIO: io=%u' (line %u) lists %u of its %u IO lines", ps->block_expect,
                 ps->block_line, ps->block_items, ps->block_expect);
        return true;
    case ST_DEVICES:
        if (!n || n->ndevices >= ps->block_expect)
            return false;
        snprintf(what, cap, "'Devices: %u' of node 0x%02x (line %u) lists %u of its entries",
                 ps->block_expect, n->nid, ps->block_line, (unsigned)n->ndevices);
        return true;
    case ST_HEADER:
    case ST_NODE:
        break;
    }
    return false;
}

/* ---- Codec and node bookkeeping ------------------------------------------------------------ */

/*
 * The codec's text ends: before another codec or other text, or (@at_end) with the text.
 * Errors: a codec without 'Vendor Id:', a header-only text that is not a codec dump, and a
 * connection list missing before more text. What the codec promised and lacks otherwise is
 * one warning (the dump ends early).
 */
static int finish_codec(struct parser *ps, bool at_end)
{
    if (!ps->in_codec)
        return 0;
    ps->in_codec = false;
    struct hdabdl_codec_desc *d = cur(ps);
    struct hdabdl_codec_node *n = cur_node(ps);
    char what[160];
    bool early = false;

    if (ps->pend == PEND_CONN) {
        ps->pend = PEND_NONE;
        if (!at_end)
            return fail_at(ps, ps->pend_line, "node 0x%02x: 'Connection: %d' is not followed by its list",
                           n ? n->nid : 0, n ? (int)n->conn_len : 0);
        if (n) {
            snprintf(what, sizeof(what), "the text ends after 'Connection: %d' of node 0x%02x, before its list",
                     (int)n->conn_len, n->nid);
            n->conn_len = 0;    /* what the dump has: no entry */
            n->nconn = 0;
            n->conn_sel = -1;
            early = true;
        }
    }
    ps->pend = PEND_NONE;

    bool function_group = has_afg_lines(d) || d->has_mfg_fid || d->has_mfg;
    const char *missing = !ps->seen_address     ? "Address:"
                          : !ps->seen_vendor    ? "Vendor Id:"
                          : !ps->seen_subsystem ? "Subsystem Id:"
                          : !ps->seen_revision  ? "Revision Id:"
                                                : NULL;
    if (d->nnodes == 0 && !function_group && missing) {
        if (at_end && ps->ndescs > 1) {
            /* cut off in the header of the last codec: it is left out, the ones before it stay */
            warn_at(ps, ps->last_line,
                    "the dump ends early: the text ends in the header of codec %lu ('%.60s', line %u), "
                    "before its '%s' line; that codec is left out", (unsigned long)ps->ndescs, d->name, d->line, missing);
            hdabdl_codec_desc_clear(d);
            ps->ndescs--;
            return 0;
        }
        return fail_at(ps, d->line, "not a codec dump: codec '%.60s' has no node, no function group "
                       "and no '%s' line", d->name, missing);
    }
    if (!ps->seen_vendor)
        return fail_at(ps, d->line, "codec '%.60s' has no 'Vendor Id:' line", d->name);

    if (!early)
        early = open_block_short(ps, d, n, what, sizeof(what));
    if (!early && d->nnodes == 0 && has_afg_lines(d) && !d->invalid_afg_subtree) {
        snprintf(what, sizeof(what), "codec '%.60s' (line %u) has an audio function group but no node",
                 d->name, d->line);
        early = true;
    }
    if (!early && d->nnodes > 0) {
        enum promise p = last_node_missing(d);
        if (p != PR_COUNT) {
            if (promises[p].always)
                snprintf(what, sizeof(what), "node 0x%02x (line %u) has no '%s' line, which Linux prints "
                         "for every %s node", n->nid, n->line, promises[p].line, promises[p].kind);
            else
                snprintf(what, sizeof(what), "node 0x%02x (line %u) has no '%s' line, which every other "
                         "%s node of the codec has", n->nid, n->line, promises[p].line, promises[p].kind);
            early = true;
        }
    }
    if (early)
        warn_at(ps, ps->last_line, "the dump ends early: %s", what);
    return 0;
}

static int start_codec(struct parser *ps, struct sl name)
{
    if (ps->ndescs == ps->cap_descs) {
        size_t cap = ps->cap_descs ? ps->cap_descs * 2 : 4;
        struct hdabdl_codec_desc *d = realloc(ps->descs, cap * sizeof(*d));
        if (!d)
            return -ENOMEM;
        ps->descs = d;
        ps->cap_descs = cap;
    }
    struct hdabdl_codec_desc *d = &ps->descs[ps->ndescs++];
    memset(d, 0, sizeof(*d));
    d->line = ps->line;
    d->afg_nid = 1;
    skip_ws(&name);
    trim_right(&name);
    size_t n = (size_t)(name.e - name.p);
    if (n >= sizeof(d->name))
        n = sizeof(d->name) - 1;
    while (n && (is_blank(name.p[n - 1]) || name.p[n - 1] == '\r'))
        n--;    /* a cut name must not end in blanks: they would not read back */
    memcpy(d->name, name.p, n);
    d->name[n] = '\0';
    for (size_t i = 0; i < n; i++)      /* NULs would end the name early; keep it one string */
        if (d->name[i] == '\0')
            d->name[i] = '?';
    ps->in_codec = true;
    ps->cap_nodes = 0;
    ps->seen_vendor = false;
    ps->seen_address = ps->seen_subsystem = ps->seen_revision = false;
    ps->seen_default_pcm = false;
    ps->last_line = ps->line;
    ps->st = ST_HEADER;
    ps->pend = PEND_NONE;
    ps->amp_cont = 0;
    return 0;
}

static int add_node(struct parser *ps, uint8_t nid, uint32_t wcaps)
{
    struct hdabdl_codec_desc *d = cur(ps);
    for (size_t i = 0; i < d->nnodes; i++)
        if (d->nodes[i].nid == nid)
            return fail_at(ps, ps->line, "node 0x%02x appears twice (first at line %u)", nid,
                           d->nodes[i].line);
    if (d->nnodes == ps->cap_nodes) {
        size_t cap = ps->cap_nodes ? ps->cap_nodes * 2 : 16;
        struct hdabdl_codec_node *n = realloc(d->nodes, cap * sizeof(*n));
        if (!n)
            return -ENOMEM;
        d->nodes = n;
        ps->cap_nodes = cap;
    }
    struct hdabdl_codec_node *n = &d->nodes[d->nnodes++];
    memset(n, 0, sizeof(*n));
    n->nid = nid;
    n->wcaps = wcaps;
    n->line = ps->line;
    n->conn_sel = -1;
    n->dev_sel = -1;
    return 0;
}

/* ---- Value readers shared by several lines ---------------------------------------------- */

/* "N/A" or "ofs=0x.., nsteps=0x.., stepsize=0x.., mute=N" -> parameter 0x0D/0x12. */
static bool read_amp_caps(struct sl s, uint32_t *caps)
{
    skip_ws(&s);
    trim_right(&s);
    if (take(&s, "N/A")) {
        *caps = 0;
        return at_end(&s);
    }
    uint32_t ofs, nsteps, stepsize, mute;
    if (!take(&s, "ofs=") || !take_hex(&s, &ofs) || ofs > 0x7F || !take(&s, ", nsteps=") ||
        !take_hex(&s, &nsteps) || nsteps > 0x7F || !take(&s, ", stepsize=") ||
        !take_hex(&s, &stepsize) || stepsize > 0x7F || !take(&s, ", mute=") ||
        !take_hex_digits(&s, &mute) || mute > 1 || !at_end(&s))
        return false;
    *caps = ofs | (nsteps << 8) | (stepsize << 16) | (mute << 31);
    return true;
}

/* Old single-line PCM: "rates 0x.., bits 0x.., types 0x..". */
static bool read_old_pcm(struct sl s, struct hdabdl_codec_pcm *pcm)
{
    uint32_t rates, bits, types;
    skip_ws(&s);
    trim_right(&s);
    if (take(&s, "N/A") && at_end(&s)) {
        pcm->present = true;
        pcm->na = true;
        return true;
    }
    if (!take(&s, "rates ") || !take_hex(&s, &rates) || !take(&s, ", bits ") ||
        !take_hex(&s, &bits) || !take(&s, ", types ") || !take_hex(&s, &types) || !at_end(&s))
        return false;
    pcm->present = true;
    pcm->sizes = (rates & 0xFFF) | ((bits & 0xFF) << 16);
    pcm->formats = types & 0xF;
    return true;
}

/* One of "rates [0x..]: ...", "bits [0x..]: ...", "formats [0x..]: ...".
 * Returns 1 when it was one, 0 when not, -1 when malformed. */
static int read_pcm_item(struct sl t, struct hdabdl_codec_pcm *pcm)
{
    uint32_t v;
    if (take(&t, "rates [")) {
        if (!take_hex(&t, &v) || !take(&t, "]"))
            return -1;
        pcm->sizes = (pcm->sizes & ~0xFFFu) | (v & 0xFFF);
    } else if (take(&t, "bits [")) {
        if (!take_hex(&t, &v) || !take(&t, "]"))
            return -1;
        if (v >= 0x1000)    /* a 2008 kernel printed the unshifted word (hda-emu note) */
            v >>= 16;
        pcm->sizes = (pcm->sizes & 0xFFF) | ((v & 0xFF) << 16);
    } else if (take(&t, "formats [")) {
        if (!take_hex(&t, &v) || !take(&t, "]"))
            return -1;
        pcm->formats = v & 0xF;
    } else if (starts(&t, "N/A")) {
        pcm->na = true;
    } else {
        return 0;
    }
    pcm->present = true;
    return 1;
}

/* "D0".."D3cold" / "UNKNOWN" -> nibble. */
static bool take_dstate(struct sl *s, uint32_t *v)
{
    if (take(s, "D3cold"))
        *v = 4;
    else if (take(s, "D0"))
        *v = 0;
    else if (take(s, "D1"))
        *v = 1;
    else if (take(s, "D2"))
        *v = 2;
    else if (take(s, "D3"))
        *v = 3;
    else if (take(s, "UNKNOWN"))
        *v = 0xF;
    else
        return false;
    return true;
}

/* "Power: setting=D0, actual=D0[, Error][, Clock-stop-OK][, Setting-reset]" or old "Power: 0x..". */
static bool read_power(struct sl s, uint32_t *out)
{
    uint32_t setting, actual, v;
    skip_ws(&s);
    trim_right(&s);
    if (take_hex(&s, &v)) {
        if (!at_end(&s))
            return false;
        *out = codec_power_normalize(v);
        return true;
    }
    if (!take(&s, "setting=") || !take_dstate(&s, &setting) || !take(&s, ", actual=") ||
        !take_dstate(&s, &actual))
        return false;
    v = setting | (actual << 4);
    while (!at_end(&s)) {
        if (take(&s, ", Error"))
            v |= PWRST_ERROR;
        else if (take(&s, ", Clock-stop-OK"))
            v |= PWRST_CLK_STOP_OK;
        else if (take(&s, ", Setting-reset"))
            v |= PWRST_SETTING_RESET;
        else
            return false;
    }
    *out = v;
    return true;
}

/* "Power states:  D0 D1 ... EPSS" -> parameter 0x0F. */
static bool read_power_states(struct sl s, uint32_t *out)
{
    static const struct { const char *name; uint32_t bit; } names[] = {
        { "D0", 1u << 0 }, { "D1", 1u << 1 }, { "D2", 1u << 2 }, { "D3", 1u << 3 },
        { "D3cold", 1u << 4 }, { "S3D3cold", PWRST_S3D3COLDSUP }, { "CLKSTOP", PWRST_CLKSTOP },
        { "EPSS", PWRST_EPSS },
    };
    uint32_t v = 0;
    for (;;) {
        skip_ws(&s);
        if (at_end(&s))
            break;
        const char *w = s.p;
        while (s.p < s.e && !is_blank(*s.p))
            s.p++;
        size_t n = (size_t)(s.p - w);
        size_t i;
        for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
            if (strlen(names[i].name) == n && memcmp(names[i].name, w, n) == 0)
                break;
        if (i == sizeof(names) / sizeof(names[0]))
            return false;
        v |= names[i].bit;
    }
    *out = v;
    return true;
}

/* ---- Top-level lines ------------------------------------------------------------------------ */

/* "0x1 (unsol 1)" -> type | unsol << 8. */
static bool read_fid(struct sl s, uint16_t *out)
{
    uint32_t type, unsol;
    skip_ws(&s);
    trim_right(&s);
    if (!take_hex(&s, &type) || type > 0xFF || !take(&s, " (unsol ") ||
        !take_u32dec(&s, 1, &unsol) || !take(&s, ")") || !at_end(&s))
        return false;
    *out = (uint16_t)(type | (unsol << 8));
    return true;
}

static bool read_hex_line(struct sl s, uint32_t *out)
{
    skip_ws(&s);
    trim_right(&s);
    return take_hex(&s, out) && at_end(&s);
}

static int parse_node_line(struct parser *ps, struct sl whole, struct sl s)
{
    uint32_t nid, wcaps;
    if (!take_hex(&s, &nid) || nid > 0xFF || nid == 0)
        return bad(ps, "Node line without a valid NID", whole);
    if (!take(&s, " ["))
        return bad(ps, "Node line without a widget type", whole);
    /* find "] wcaps 0x" after the type name */
    const char *q = s.p;
    bool found = false;
    while (q < s.e) {
        struct sl t = { q, s.e };
        if (take(&t, "] wcaps ")) {
            s = t;
            found = true;
            break;
        }
        q++;
    }
    if (!found || !take_hex(&s, &wcaps) || !take(&s, ":"))
        return bad(ps, "Node line without 'wcaps 0x...:'", whole);
    int rc = add_node(ps, (uint8_t)nid, wcaps);
    if (rc)
        return rc;
    ps->st = ST_NODE;
    return 0;
}

/*
 * A column-0 line inside a codec. Returns 1 when handled, 0 when it is not a
 * codec line (the codec ends), <0 on error.
 */
static int parse_top(struct parser *ps, struct sl s)
{
    struct hdabdl_codec_desc *d = cur(ps);
    struct sl whole = s;
    uint32_t v;

    if (take(&s, "Node ")) {
        int rc = parse_node_line(ps, whole, s);
        return rc ? rc : 1;
    }
    enum pstate prev = ps->st;
    ps->st = ST_HEADER;
    if (take(&s, "Address: ")) {
        skip_ws(&s);
        trim_right(&s);
        if (!take_u32dec(&s, 15, &v) || !at_end(&s))
            return bad(ps, "Address is not a number 0..15", whole);
        d->address = (uint8_t)v;
        ps->seen_address = true;
    } else if (take(&s, "AFG Function Id:")) {
        if (!read_fid(s, &d->afg_fid))
            return bad(ps, "malformed AFG Function Id", whole);
        d->has_afg_fid = true;
    } else if (take(&s, "MFG Function Id:")) {
        if (!read_fid(s, &d->mfg_fid))
            return bad(ps, "malformed MFG Function Id", whole);
        d->has_mfg_fid = true;
    } else if (take(&s, "Function Id:")) {
        /* before 2009 one line for whichever group the codec had */
        if (!read_hex_line(s, &v) || v > 0x1FF)
            return bad(ps, "malformed Function Id", whole);
        if ((v & 0xFF) == 0x02) {
            d->has_mfg_fid = true;
            d->mfg_fid = (uint16_t)v;
        } else {
            d->has_afg_fid = true;
            d->afg_fid = (uint16_t)v;
        }
    } else if (take(&s, "Vendor Id:")) {
        if (!read_hex_line(s, &d->vendor_id))
            return bad(ps, "malformed Vendor Id", whole);
        ps->seen_vendor = true;
    } else if (take(&s, "Subsystem Id:")) {
        if (!read_hex_line(s, &d->subsystem_id))
            return bad(ps, "malformed Subsystem Id", whole);
        ps->seen_subsystem = true;
    } else if (take(&s, "Revision Id:")) {
        if (!read_hex_line(s, &d->revision_id))
            return bad(ps, "malformed Revision Id", whole);
        ps->seen_revision = true;
    } else if (take(&s, "No Modem Function Group found")) {
        d->has_mfg = false;
        d->mfg_nid = 0;
    } else if (take(&s, "Modem Function Group:")) {
        if (!read_hex_line(s, &v) || v > 0xFF)
            return bad(ps, "malformed Modem Function Group", whole);
        d->has_mfg = true;
        d->mfg_nid = (uint8_t)v;
    } else if (take(&s, "Default PCM:")) {
        trim_right(&s);
        if (at_end(&s)) {
            d->default_pcm.present = true;
            open_block(ps, ST_DEFAULT_PCM, 3);
        } else if (!read_old_pcm(s, &d->default_pcm)) {
            return bad(ps, "malformed Default PCM", whole);
        }
        ps->seen_default_pcm = true;
    } else if (take(&s, "Default Amp-In caps:")) {
        if (!read_amp_caps(s, &d->default_amp_in))
            return bad(ps, "malformed Default Amp-In caps", whole);
        d->has_default_amp_in = true;
    } else if (take(&s, "Default Amp-Out caps:")) {
        if (!read_amp_caps(s, &d->default_amp_out))
            return bad(ps, "malformed Default Amp-Out caps", whole);
        d->has_default_amp_out = true;
    } else if (take(&s, "State of AFG node ")) {
        trim_right(&s);
        if (!take_hex(&s, &v) || v > 0xFF || !take(&s, ":") || !at_end(&s))
            return bad(ps, "malformed 'State of AFG node' line", whole);
        d->has_afg_nid = true;
        d->afg_nid = (uint8_t)v;
        open_block(ps, ST_AFG_STATE, 0);
    } else if (take(&s, "GPIO: ")) {
        uint32_t io, o, i, unsol, wake;
        trim_right(&s);
        if (!take(&s, "io=") || !take_u32dec(&s, 255, &io) || !take(&s, ", o=") ||
            !take_u32dec(&s, 255, &o) || !take(&s, ", i=") || !take_u32dec(&s, 255, &i) ||
            !take(&s, ", unsolicited=") || !take_u32dec(&s, 1, &unsol) || !take(&s, ", wake=") ||
            !take_u32dec(&s, 1, &wake) || !at_end(&s))
            return bad(ps, "malformed GPIO line", whole);
        d->has_gpio = true;
        d->gpio_cap = io | (o << 8) | (i << 16) | (unsol << 30) | (wake << 31);
        open_block(ps, ST_GPIO, io);
    } else if (take(&s, "Invalid AFG subtree")) {
        d->invalid_afg_subtree = true;
    } else if (take(&s, "Power-Map:")) {
        if (!read_hex_line(s, &d->power_map))
            return bad(ps, "malformed Power-Map", whole);
        d->has_power_map = true;
    } else if (take(&s, "Analog Loopback:")) {
        if (!read_hex_line(s, &d->analog_loopback))
            return bad(ps, "malformed Analog Loopback", whole);
        d->has_analog_loopback = true;
    } else {
        ps->st = prev;
        return 0;
    }
    return 1;
}

/* ---- Node lines --------------------------------------------------------------------------- */

/* "[0x.. 0x..] [0x..]" (or old "0x.. 0x..") -> amp values. */
static int parse_amp_vals(struct parser *ps, struct sl whole, struct sl s, struct hdabdl_codec_amp *amp,
                          bool append, uint32_t wcaps)
{
    skip_ws(&s);
    trim_right(&s);
    if (!append) {
        amp->vals_present = true;
        amp->nvals = 0;
        amp->vals_stereo = false;
    }
    if (at_end(&s))
        return 0;
    if (*s.p != '[') {
        /* old format: bare values, pairs on stereo widgets */
        uint32_t v[2 * HDABDL_CODEC_MAX_CONN];
        unsigned n = 0;
        while (!at_end(&s)) {
            if (n == 2 * HDABDL_CODEC_MAX_CONN || !take_hex(&s, &v[n]) || v[n] > 0xFF)
                return bad(ps, "malformed amp values", whole);
            n++;
            skip_ws(&s);
        }
        bool stereo = (wcaps & WCAP_STEREO) && n % 2 == 0;
        unsigned per = stereo ? 2 : 1;
        amp->vals_stereo = stereo;
        for (unsigned i = 0; i + per <= n; i += per) {
            if (amp->nvals >= HDABDL_CODEC_MAX_CONN)
                return bad(ps, "too many amp values", whole);
            amp->vals[amp->nvals][0] = (uint8_t)v[i];
            amp->vals[amp->nvals][1] = (uint8_t)(stereo ? v[i + 1] : v[i]);
            amp->nvals++;
        }
        return 0;
    }
    while (!at_end(&s)) {
        uint32_t l, r;
        unsigned per;
        if (!take(&s, "["))
            return bad(ps, "malformed amp values", whole);
        skip_ws(&s);
        if (!take_hex(&s, &l) || l > 0xFF)
            return bad(ps, "malformed amp values", whole);
        skip_ws(&s);
        if (take(&s, "]")) {
            per = 1;
            r = l;
        } else {
            if (!take_hex(&s, &r) || r > 0xFF)
                return bad(ps, "malformed amp values", whole);
            skip_ws(&s);
            if (!take(&s, "]"))
                return bad(ps, "malformed amp values", whole);
            per = 2;
        }
        if (amp->nvals == 0)
            amp->vals_stereo = per == 2;
        else if (amp->vals_stereo != (per == 2))
            return bad(ps, "amp values mix pairs and single values", whole);
        if (amp->nvals >= HDABDL_CODEC_MAX_CONN)
            return bad(ps, "too many amp values", whole);
        amp->vals[amp->nvals][0] = (uint8_t)l;
        amp->vals[amp->nvals][1] = (uint8_t)r;
        amp->nvals++;
        skip_ws(&s);
    }
    return 0;
}

/* The list line after "Connection: N". */
static int parse_conn_list(struct parser *ps, struct sl whole, struct sl s, struct hdabdl_codec_node *n)
{
    skip_ws(&s);
    trim_right(&s);
    n->nconn = 0;
    n->conn_sel = -1;
    while (!at_end(&s)) {
        uint32_t v;
        if (!take_hex(&s, &v) || v > 0x7FFF)
            return bad(ps, "malformed connection list", whole);
        if (n->nconn >= HDABDL_CODEC_MAX_CONN)
            return bad(ps, "connection list too long", whole);
        if (take(&s, "*")) {
            if (n->conn_sel >= 0)
                return bad(ps, "connection list marks two entries", whole);
            n->conn_sel = (int16_t)n->nconn;
        }
        n->conn[n->nconn++] = (uint16_t)v;
        if (!at_end(&s) && !is_blank(*s.p))
            return bad(ps, "malformed connection list", whole);
        skip_ws(&s);
    }
    if ((int32_t)n->nconn != n->conn_len)
        return fail_at(ps, ps->line, "node 0x%02x: connection list has %u entries, 'Connection: %d' says %d",
                       n->nid, n->nconn, (int)n->conn_len, (int)n->conn_len);
    return 0;
}

/* Text between quotes: name="..." up to the last '"' before @stop. */
static bool take_quoted(struct sl *s, const char *stop, char *dst, size_t cap, bool *too_long)
{
    *too_long = false;
    if (!take(s, "\""))
        return false;
    /* the name may contain quotes: take the last occurrence of @stop */
    const char *end = NULL;
    size_t sn = strlen(stop);
    for (const char *q = s->p; q + sn <= s->e; q++)
        if (memcmp(q, stop, sn) == 0)
            end = q;
    if (!end)
        return false;
    size_t n = (size_t)(end - s->p);
    if (n >= cap) {
        *too_long = true;
        return false;
    }
    memcpy(dst, s->p, n);
    dst[n] = '\0';
    for (size_t i = 0; i < n; i++)
        if (dst[i] == '\0')
            dst[i] = '?';
    s->p = end + 1;     /* past the closing quote */
    return true;
}

static int parse_control(struct parser *ps, struct sl whole, struct sl s, struct hdabdl_codec_node *n)
{
    struct hdabdl_codec_control c;
    long long index, device;
    bool too_long;
    memset(&c, 0, sizeof(c));
    trim_right(&s);
    if (!take_quoted(&s, "\", index=", c.name, sizeof(c.name), &too_long))
        return bad(ps, too_long ? "control name too long" : "malformed Control line", whole);
    if (!take(&s, ", index=") || !take_dec(&s, -0x7FFFFFFFLL, 0x7FFFFFFFLL, &index) ||
        !take(&s, ", device=") || !take_dec(&s, -0x7FFFFFFFLL, 0x7FFFFFFFLL, &device) || !at_end(&s))
        return bad(ps, "malformed Control line", whole);
    if (n->ncontrols >= HDABDL_CODEC_MAX_CONTROLS)
        return bad(ps, "too many Control lines for one node", whole);
    c.index = (int32_t)index;
    c.device = (int32_t)device;
    n->controls[n->ncontrols++] = c;
    return 0;
}

static int parse_control_amp(struct parser *ps, struct sl whole, struct sl s, struct hdabdl_codec_node *n)
{
    uint32_t chs, idx, ofs;
    bool out;
    trim_right(&s);
    skip_ws(&s);
    if (!take(&s, "chs=") || !take_u32dec(&s, 0x7FFFFFFF, &chs) || !take(&s, ", dir="))
        return bad(ps, "malformed ControlAmp line", whole);
    if (take(&s, "Out"))
        out = true;
    else if (take(&s, "In"))
        out = false;
    else
        return bad(ps, "malformed ControlAmp line", whole);
    if (!take(&s, ", idx=") || !take_u32dec(&s, 0x7FFFFFFF, &idx) || !take(&s, ", ofs=") ||
        !take_u32dec(&s, 0x7FFFFFFF, &ofs) || !at_end(&s))
        return bad(ps, "malformed ControlAmp line", whole);
    if (n->ncontrols == 0)
        return bad(ps, "ControlAmp line without a Control line", whole);
    struct hdabdl_codec_control *c = &n->controls[n->ncontrols - 1];
    c->has_amp = true;
    c->amp_chs = chs;
    c->amp_out = out;
    c->amp_idx = idx;
    c->amp_ofs = ofs;
    return 0;
}

static int parse_pcm_device(struct parser *ps, struct sl whole, struct sl s, struct hdabdl_codec_node *n)
{
    struct hdabdl_codec_pcm_device dev;
    long long device;
    bool too_long;
    memset(&dev, 0, sizeof(dev));
    trim_right(&s);
    if (!take_quoted(&s, "\", type=", dev.name, sizeof(dev.name), &too_long) || !take(&s, ", type=") ||
        !take_quoted(&s, "\", device=", dev.type, sizeof(dev.type), &too_long) ||
        !take(&s, ", device=") || !take_dec(&s, -0x7FFFFFFFLL, 0x7FFFFFFFLL, &device))
        return bad(ps, too_long ? "PCM device name too long" : "malformed Device line", whole);
    if (take(&s, ", substream=")) {
        long long sub;
        if (!take_dec(&s, -0x7FFFFFFFLL, 0x7FFFFFFFLL, &sub))
            return bad(ps, "malformed Device line", whole);
        dev.has_substream = true;
        dev.substream = (int32_t)sub;
    }
    if (!at_end(&s))
        return bad(ps, "malformed Device line", whole);
    if (n->npcm_devices >= HDABDL_CODEC_MAX_PCM_DEVICES)
        return bad(ps, "too many Device lines for one node", whole);
    dev.device = (int32_t)device;
    n->pcm_devices[n->npcm_devices++] = dev;
    return 0;
}

static int parse_digital_flags(struct parser *ps, struct sl whole, struct sl s, struct hdabdl_codec_node *n)
{
    static const struct { const char *name; uint32_t bit; } flags[] = {
        { "Enabled", 1u << 0 }, { "Validity", 1u << 1 }, { "ValidityCfg", 1u << 2 },
        { "Preemphasis", 1u << 3 }, { "Non-Copyright", 1u << 4 }, { "Copyright", 1u << 4 },
        { "Non-Audio", 1u << 5 }, { "Pro", 1u << 6 }, { "GenLevel", 1u << 7 },
        { "KAE", 1u << 23 },
    };
    uint32_t v = 0;
    for (;;) {
        skip_ws(&s);
        if (at_end(&s))
            break;
        const char *w = s.p;
        while (s.p < s.e && !is_blank(*s.p))
            s.p++;
        size_t len = (size_t)(s.p - w), i;
        for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
            if (strlen(flags[i].name) == len && memcmp(flags[i].name, w, len) == 0)
                break;
        if (i == sizeof(flags) / sizeof(flags[0]))
            return bad(ps, "unknown flag in Digital line", whole);
        v |= flags[i].bit;
    }
    n->has_digital = true;
    n->digital = (n->digital & ~0x8000FFu) | v;
    return 0;
}

/* Volume-Knob: delta=%d, steps=%d, direct=%d, val=%d */
static bool read_volknob(struct sl s, struct hdabdl_codec_node *n)
{
    uint32_t delta, steps, direct, val;
    skip_ws(&s);
    trim_right(&s);
    if (!take(&s, "delta=") || !take_u32dec(&s, 1, &delta) || !take(&s, ", steps=") ||
        !take_u32dec(&s, 0x7F, &steps) || !take(&s, ", direct=") || !take_u32dec(&s, 1, &direct) ||
        !take(&s, ", val=") || !take_u32dec(&s, 0x7F, &val) || !at_end(&s))
        return false;
    n->has_volknob = true;
    n->volknob_cap = (uint8_t)(delta << 7 | steps);
    n->volknob_ctl = (uint8_t)(direct << 7 | val);
    return true;
}

/* "  *Dev 00: PD = 1, ELDV = 1, IA = 0" */
static int parse_device_entry(struct parser *ps, struct sl whole, struct sl t, struct hdabdl_codec_node *n)
{
    uint32_t idx, pd, eldv, ia;
    bool sel = take(&t, "*");
    skip_ws(&t);
    trim_right(&t);
    if (!take(&t, "Dev ") || !take_u32dec(&t, 99, &idx) || !take(&t, ": PD = ") ||
        !take_u32dec(&t, 1, &pd) || !take(&t, ", ELDV = ") || !take_u32dec(&t, 1, &eldv) ||
        !take(&t, ", IA = ") || !take_u32dec(&t, 1, &ia) || !at_end(&t))
        return bad(ps, "malformed device list entry", whole);
    if (idx != n->ndevices || n->ndevices >= HDABDL_CODEC_MAX_DEVICES)
        return bad(ps, "device list entry out of sequence", whole);
    n->devices[n->ndevices] = (uint8_t)(pd | eldv << 1 | ia << 2);
    if (sel)
        n->dev_sel = (int8_t)n->ndevices;
    n->ndevices++;
    return 0;
}

/*
 * An indented line of a node (leading blanks removed in @t). Returns 1 when
 * recognised, 0 when not (skipped), <0 on error.
 */
static int parse_node_item(struct parser *ps, struct sl whole, struct sl t)
{
    struct hdabdl_codec_node *n = cur_node(ps);
    uint32_t v;
    long long ll;
    int rc;

    if (!n)
        return 0;
    if (take(&t, "Control: name=")) {
        rc = parse_control(ps, whole, t, n);
    } else if (take(&t, "ControlAmp:")) {
        rc = parse_control_amp(ps, whole, t, n);
    } else if (take(&t, "Device: name=")) {
        rc = parse_pcm_device(ps, whole, t, n);
    } else if (take(&t, "Amp-In caps:")) {
        rc = read_amp_caps(t, &n->amp_in.caps) ? 0 : bad(ps, "malformed Amp-In caps", whole);
        n->amp_in.caps_present = true;
    } else if (take(&t, "Amp-Out caps:")) {
        rc = read_amp_caps(t, &n->amp_out.caps) ? 0 : bad(ps, "malformed Amp-Out caps", whole);
        n->amp_out.caps_present = true;
    } else if (take(&t, "Amp-In vals:")) {
        rc = parse_amp_vals(ps, whole, t, &n->amp_in, false, n->wcaps);
        ps->amp_cont = 1;
        return rc ? rc : 1;
    } else if (take(&t, "Amp-Out vals:")) {
        rc = parse_amp_vals(ps, whole, t, &n->amp_out, false, n->wcaps);
        ps->amp_cont = 2;
        return rc ? rc : 1;
    } else if (take(&t, "Pincap ")) {
        /* 2005-2006 kernels printed "0x08%x": a value with "0x08" glued in front */
        struct sl u = t;
        if (!take_hex(&u, &v) || !take(&u, ":"))
            return bad(ps, "malformed Pincap", whole);
        if (starts(&t, "0x08") && u.p - t.p - 1 != 10) {
            u = t;
            u.p += 4;
            if (!take_hex_digits(&u, &v))
                return bad(ps, "malformed Pincap", whole);
        }
        n->has_pincap = true;
        n->pincap = v;
        rc = 0;
    } else if (take(&t, "Pin Default ")) {
        if (!take_hex(&t, &v) || !take(&t, ":"))
            return bad(ps, "malformed Pin Default", whole);
        n->has_pin_default = true;
        n->pin_default = v;
        rc = 0;
    } else if (take(&t, "Pin-ctls: ")) {
        if (!take_hex(&t, &v) || v > 0xFF)
            return bad(ps, "malformed Pin-ctls", whole);
        n->has_pinctl = true;
        n->pinctl = (uint8_t)v;
        rc = 0;
    } else if (take(&t, "EAPD ") || take(&t, "EAPD: ")) {
        if (!take_hex(&t, &v) || v > 0xFF)
            return bad(ps, "malformed EAPD", whole);
        n->has_eapd = true;
        n->eapd = (uint8_t)v;
        rc = 0;
    } else if (take(&t, "Unsolicited: tag=")) {
        uint32_t en;
        trim_right(&t);
        if (!take_hex_digits(&t, &v) || v > 0x3F || !take(&t, ", enabled=") ||
            !take_u32dec(&t, 1, &en) || !at_end(&t))
            return bad(ps, "malformed Unsolicited line", whole);
        n->has_unsol = true;
        n->unsol = (uint8_t)(v | en << 7);
        rc = 0;
    } else if (take(&t, "Power states:")) {
        if (!read_power_states(t, &n->power_states))
            return bad(ps, "malformed Power states", whole);
        n->has_power_states = true;
        rc = 0;
    } else if (take(&t, "Power:")) {
        if (!read_power(t, &n->power))
            return bad(ps, "malformed Power line", whole);
        n->has_power = true;
        rc = 0;
    } else if (take(&t, "Converter: stream=")) {
        uint32_t stream, chan;
        trim_right(&t);
        if (!take_u32dec(&t, 15, &stream) || !take(&t, ", channel=") || !take_u32dec(&t, 15, &chan) ||
            !at_end(&t))
            return bad(ps, "malformed Converter line", whole);
        n->has_converter = true;
        n->conv_stream = (uint8_t)stream;
        n->conv_channel = (uint8_t)chan;
        rc = 0;
    } else if (take(&t, "SDI-Select: ")) {
        trim_right(&t);
        if (!take_u32dec(&t, 15, &v) || !at_end(&t))
            return bad(ps, "malformed SDI-Select", whole);
        n->has_sdi_select = true;
        n->sdi_select = (uint8_t)v;
        rc = 0;
    } else if (take(&t, "Digital category: ")) {
        if (!read_hex_line(t, &v) || v > 0x7F)
            return bad(ps, "malformed Digital category", whole);
        n->has_dig_category = true;
        n->digital = (n->digital & ~0xFF00u) | (v << 8);
        rc = 0;
    } else if (take(&t, "IEC Coding Type: ")) {
        if (!read_hex_line(t, &v) || v > 0xF)
            return bad(ps, "malformed IEC Coding Type", whole);
        n->has_iec_coding = true;
        n->digital = (n->digital & ~0x0F0000u) | (v << 16);
        rc = 0;
    } else if (take(&t, "Digital:")) {
        rc = parse_digital_flags(ps, whole, t, n);
    } else if (take(&t, "PCM:")) {
        trim_right(&t);
        if (at_end(&t)) {
            n->pcm.present = true;
            open_block(ps, ST_NODE_PCM, 3);
            return 1;
        }
        rc = read_old_pcm(t, &n->pcm) ? 0 : bad(ps, "malformed PCM line", whole);
    } else if (take(&t, "Volume-Knob:")) {
        rc = read_volknob(t, n) ? 0 : bad(ps, "malformed Volume-Knob line", whole);
    } else if (take(&t, "Devices: ")) {
        trim_right(&t);
        if (!take_dec(&t, -0x7FFFFFFFLL, HDABDL_CODEC_MAX_DEVICES, &ll) || !at_end(&t))
            return bad(ps, "malformed Devices line", whole);
        n->has_devices = true;
        n->ndevices = 0;
        n->dev_sel = -1;
        open_block(ps, ST_DEVICES, ll > 0 ? (unsigned)ll : 0);
        return 1;
    } else if (take(&t, "Connection: ")) {
        trim_right(&t);
        if (!take_dec(&t, -0x7FFFFFFFLL, 0x7FFFFFFFLL, &ll) || !at_end(&t))
            return bad(ps, "malformed Connection line", whole);
        if (ll > HDABDL_CODEC_MAX_CONN)
            return bad(ps, "connection count too large", whole);
        n->has_conn = true;
        n->conn_len = (int32_t)ll;
        n->nconn = 0;
        n->conn_sel = -1;
        if (ll > 0) {
            ps->pend = PEND_CONN;
            ps->pend_line = ps->line;
        }
        rc = 0;
    } else if (take(&t, "In-driver Connection: ")) {
        ps->pend = PEND_INDRIVER;
        rc = 0;
    } else if (take(&t, "Processing caps: ")) {
        uint32_t benign, ncoeff;
        trim_right(&t);
        if (!take(&t, "benign=") || !take_u32dec(&t, 1, &benign) || !take(&t, ", ncoeff=") ||
            !take_u32dec(&t, 255, &ncoeff) || !at_end(&t))
            return bad(ps, "malformed Processing caps", whole);
        n->has_proc_caps = true;
        n->proc_caps = benign | ncoeff << 8;
        rc = 0;
    } else if (take(&t, "Coeff ")) {
        uint32_t idx;
        trim_right(&t);
        if (!take_hex(&t, &idx) || idx > 0xFFFF || !take(&t, ": ") || !take_hex(&t, &v) ||
            v > 0xFFFF || !at_end(&t))
            return bad(ps, "malformed Coeff line", whole);
        if (n->ncoefs >= HDABDL_CODEC_MAX_COEFS)
            return bad(ps, "too many Coeff lines", whole);
        n->coefs[n->ncoefs].index = (uint16_t)idx;
        n->coefs[n->ncoefs].value = (uint16_t)v;
        n->ncoefs++;
        rc = 0;
    } else if (take(&t, "Processing Coefficient: ")) {
        if (!read_hex_line(t, &v) || v > 0xFFFF)
            return bad(ps, "malformed Processing Coefficient", whole);
        n->has_coef_value = true;
        n->coef_value = (uint16_t)v;
        rc = 0;
    } else if (take(&t, "Coefficient Index: ")) {
        if (!read_hex_line(t, &v) || v > 0xFFFF)
            return bad(ps, "malformed Coefficient Index", whole);
        n->has_coef_index = true;
        n->coef_index = (uint16_t)v;
        rc = 0;
    } else {
        return 0;   /* derived or vendor line: skipped */
    }
    return rc ? rc : 1;
}

/* ---- Dispatch -------------------------------------------------------------------------------- */

static int parse_indented(struct parser *ps, struct sl whole, struct sl t)
{
    struct hdabdl_codec_desc *d = cur(ps);
    int rc;

    for (int pass = 0; pass < 2; pass++) {
        switch (ps->st) {
        case ST_DEFAULT_PCM:
            rc = read_pcm_item(t, &d->default_pcm);
            if (rc < 0)
                return bad(ps, "malformed Default PCM item", whole);
            if (rc > 0) {
                ps->block_items++;
                return 0;
            }
            ps->st = ST_HEADER;
            continue;
        case ST_NODE_PCM:
            rc = read_pcm_item(t, &cur_node(ps)->pcm);
            if (rc < 0)
                return bad(ps, "malformed PCM item", whole);
            if (rc > 0) {
                ps->block_items++;
                return 0;
            }
            ps->st = ST_NODE;
            continue;
        case ST_AFG_STATE:
            if (take(&t, "Power states:")) {
                if (!read_power_states(t, &d->afg_power_states))
                    return bad(ps, "malformed Power states", whole);
                d->has_afg_power_states = true;
                return 0;
            }
            if (take(&t, "Power:")) {
                if (!read_power(t, &d->afg_power))
                    return bad(ps, "malformed Power line", whole);
                d->has_afg_power = true;
                return 0;
            }
            ps->st = ST_HEADER;
            continue;
        case ST_GPIO:
            if (take(&t, "IO[")) {
                uint32_t i, en, dir, wake, sticky, data, unsol = 0;
                trim_right(&t);
                if (!take_u32dec(&t, 7, &i) || !take(&t, "]: enable=") || !take_u32dec(&t, 1, &en) ||
                    !take(&t, ", dir=") || !take_u32dec(&t, 1, &dir) || !take(&t, ", wake=") ||
                    !take_u32dec(&t, 1, &wake) || !take(&t, ", sticky=") ||
                    !take_u32dec(&t, 1, &sticky) || !take(&t, ", data=") || !take_u32dec(&t, 1, &data))
                    return bad(ps, "malformed GPIO IO line", whole);
                if (take(&t, ", unsol=") && !take_u32dec(&t, 1, &unsol))
                    return bad(ps, "malformed GPIO IO line", whole);
                if (!at_end(&t))
                    return bad(ps, "malformed GPIO IO line", whole);
                uint8_t bit = (uint8_t)(1u << i);
                d->gpio_enable = (uint8_t)((d->gpio_enable & ~bit) | (en ? bit : 0));
                d->gpio_dir = (uint8_t)((d->gpio_dir & ~bit) | (dir ? bit : 0));
                d->gpio_wake = (uint8_t)((d->gpio_wake & ~bit) | (wake ? bit : 0));
                d->gpio_sticky = (uint8_t)((d->gpio_sticky & ~bit) | (sticky ? bit : 0));
                d->gpio_data = (uint8_t)((d->gpio_data & ~bit) | (data ? bit : 0));
                d->gpio_unsol = (uint8_t)((d->gpio_unsol & ~bit) | (unsol ? bit : 0));
                if (i + 1 > d->gpio_lines)
                    d->gpio_lines = (uint8_t)(i + 1);
                ps->block_items++;
                return 0;
            }
            ps->st = d->nnodes ? ST_NODE : ST_HEADER;
            continue;
        case ST_DEVICES:
            if (starts(&t, "Dev ") || starts(&t, "*"))
                return parse_device_entry(ps, whole, t, cur_node(ps));
            ps->st = ST_NODE;
            continue;
        case ST_NODE:
            if (ps->amp_prev && starts(&t, "[")) {
                /* a wrapped Amp vals line continues */
                struct hdabdl_codec_node *n = cur_node(ps);
                ps->amp_cont = ps->amp_prev;
                return parse_amp_vals(ps, whole, t, ps->amp_cont == 1 ? &n->amp_in : &n->amp_out, true,
                                      n->wcaps);
            }
            rc = parse_node_item(ps, whole, t);
            return rc < 0 ? rc : 0;
        case ST_HEADER:
            return 0;   /* unknown indented text in the header: skipped */
        }
    }
    return 0;
}

static int parse_line(struct parser *ps, struct sl s)
{
    struct sl t = s;
    ps->amp_prev = ps->amp_cont;
    ps->amp_cont = 0;
    trim_right(&t);
    if (starts(&s, "Codec: ") || (starts(&s, "Codec:") && t.e - t.p == 6)) {
        int rc = finish_codec(ps, false);
        if (rc)
            return rc;
        s.p += 6;
        return start_codec(ps, s);
    }
    if (!ps->in_codec)
        return 0;
    skip_ws(&t);
    if (at_end(&t))
        return 0;       /* blank lines do not end a codec */
    unsigned prev_last = ps->last_line;
    ps->last_line = ps->line;

    if (ps->pend != PEND_NONE) {
        enum pending p = ps->pend;
        ps->pend = PEND_NONE;
        if (starts(&t, "0x"))
            return p == PEND_CONN ? parse_conn_list(ps, s, t, cur_node(ps)) : 0;
        if (p == PEND_CONN) {
            struct hdabdl_codec_node *n = cur_node(ps);
            return fail_at(ps, ps->line,
                           "node 0x%02x: 'Connection: %d' (line %u) is not followed by its list",
                           n->nid, (int)n->conn_len, ps->pend_line);
        }
    }

    if (is_blank(*s.p))
        return parse_indented(ps, s, t);

    enum pstate st = ps->st;
    int rc = parse_top(ps, s);
    if (rc < 0)
        return rc;
    if (rc > 0)
        return 0;
    /* "N/A" under a PCM header, or a node line that lost its indent */
    if ((st == ST_DEFAULT_PCM || st == ST_NODE_PCM) && starts(&t, "N/A"))
        return parse_indented(ps, s, t);
    if (st == ST_NODE || st == ST_NODE_PCM || st == ST_DEVICES) {
        rc = parse_node_item(ps, s, t);
        if (rc != 0)
            return rc < 0 ? rc : 0;
    }
    ps->last_line = prev_last;  /* the line is not the codec's */
    return finish_codec(ps, false);    /* any other column-0 text ends the codec */
}

/* ---- Entry points -------------------------------------------------------------------------------- */

/* What parsing one line may change, so that a cut last line can be taken back. */
struct line_undo {
    struct parser ps;
    struct hdabdl_codec_desc desc;      /* the codec's own fields; its node array stays */
    struct hdabdl_codec_node *node;     /* a copy of its last node (malloc'ed), or NULL */
    size_t nnodes;
};

static int undo_save(struct line_undo *u, struct parser *ps)
{
    memset(u, 0, sizeof(*u));
    u->ps = *ps;
    struct hdabdl_codec_desc *d = cur(ps);
    u->desc = *d;
    u->nnodes = d->nnodes;
    if (d->nnodes > 0) {
        u->node = malloc(sizeof(*u->node));
        if (!u->node)
            return -ENOMEM;
        *u->node = d->nodes[d->nnodes - 1];
    }
    return 0;
}

/* Back to the state before the line (same codec count: a failed line adds none). */
static bool undo_restore(struct line_undo *u, struct parser *ps)
{
    if (ps->ndescs != u->ps.ndescs)
        return false;
    struct parser now = *ps;
    *ps = u->ps;
    ps->descs = now.descs;
    ps->cap_descs = now.cap_descs;
    ps->cap_nodes = now.cap_nodes;
    ps->join = now.join;
    ps->join_cap = now.join_cap;
    ps->pos = now.pos;
    ps->phys_line = now.phys_line;
    ps->line = now.line;
    struct hdabdl_codec_desc *d = cur(ps);
    struct hdabdl_codec_node *nodes = d->nodes;
    *d = u->desc;
    d->nodes = nodes;
    if (u->node)
        d->nodes[u->nnodes - 1] = *u->node;
    if (ps->err) {
        ps->err->line = 0;
        ps->err->message[0] = '\0';
    }
    return true;
}

/* A last line that ended the codec but is the start of one of its column-0 lines. */
static bool cut_line_start(struct sl s)
{
    static const char *const starts_of[] = {
        "Node 0x", "Codec: ", "Address: ", "AFG Function Id: ", "MFG Function Id: ", "Function Id: ",
        "Vendor Id: ", "Subsystem Id: ", "Revision Id: ", "No Modem Function Group found",
        "Modem Function Group: ", "Default PCM:", "Default Amp-In caps: ", "Default Amp-Out caps: ",
        "State of AFG node 0x", "GPIO: ", "Invalid AFG subtree", "Power-Map: ", "Analog Loopback: ",
    };
    trim_right(&s);
    size_t n = (size_t)(s.e - s.p);
    for (size_t i = 0; i < sizeof(starts_of) / sizeof(starts_of[0]); i++)
        if (n > 0 && n < strlen(starts_of[i]) && memcmp(s.p, starts_of[i], n) == 0)
            return true;
    return false;
}

/* A NUL byte: the text is not what hda_proc.c prints. */
static int refuse_nul(const char *text, size_t len, struct hdabdl_codec_parse_error *err)
{
    const char *nul = memchr(text, '\0', len);
    if (!nul)
        return 0;
    size_t off = (size_t)(nul - text);
    unsigned line = 1;
    for (size_t i = 0; i < off; i++)
        line += text[i] == '\n';
    if (err) {
        err->line = line;
        snprintf(err->message, sizeof(err->message),
                 "not a codec dump: a NUL byte at offset %zu (codec dumps are text)", off);
    }
    return -EINVAL;
}

int hdabdl_codec_parse_ex(const char *text, size_t len, struct hdabdl_codec_desc **out, size_t *count,
                          struct hdabdl_codec_parse_error *err, struct hdabdl_codec_parse_warnings *warnings)
{
    struct parser ps;
    int rc = 0;

    if (out)
        *out = NULL;
    if (count)
        *count = 0;
    if (err) {
        err->line = 0;
        err->message[0] = '\0';
    }
    if (warnings)
        memset(warnings, 0, sizeof(*warnings));
    if (!out || !count || (!text && len)) {
        if (err)
            snprintf(err->message, sizeof(err->message), "invalid arguments");
        return -EINVAL;
    }
    if (len > HDABDL_CODEC_MAX_INPUT) {
        if (err)
            snprintf(err->message, sizeof(err->message), "text of %zu bytes is larger than %u bytes",
                     len, (unsigned)HDABDL_CODEC_MAX_INPUT);
        return -E2BIG;
    }
    if (len > 0 && (rc = refuse_nul(text, len, err)) != 0)
        return rc;
    memset(&ps, 0, sizeof(ps));
    ps.text = text;
    ps.len = len;
    ps.err = err;
    ps.warn = warnings;

    for (;;) {
        struct sl s;
        bool eof;
        rc = next_line(&ps, &s, &eof);
        if (rc || eof)
            break;
        /* The last line, without a line end, inside a codec: the text was cut in it. */
        bool cut = ps.in_codec && ps.pos >= ps.len && text[len - 1] != '\n' && text[len - 1] != '\r';
        if (!cut) {
            rc = parse_line(&ps, s);
            if (rc)
                break;
            continue;
        }
        struct line_undo undo;
        rc = undo_save(&undo, &ps);
        if (rc) {
            free(undo.node);
            break;
        }
        char q[64];
        quote(q, sizeof(q), s);
        unsigned line = ps.line;
        rc = parse_line(&ps, s);
        if (rc == -EINVAL && undo_restore(&undo, &ps)) {
            warn_at(&ps, line, "the dump ends early: the text stops in the middle of this line, which "
                    "does not read and is left out ('%s')", q);
            rc = 0;
        } else if (rc == 0 && (ps.in_codec || cut_line_start(s))) {
            warn_at(&ps, line, "the dump ends early: the text stops without a line end, maybe in the "
                    "middle of this line ('%s')", q);
        }
        free(undo.node);
        if (rc)
            break;
    }
    if (!rc)
        rc = finish_codec(&ps, true);
    if (!rc && ps.ndescs == 0) {
        rc = -ENOENT;
        if (err) {
            err->line = ps.phys_line ? ps.phys_line : 1;
            snprintf(err->message, sizeof(err->message),
                     "end of text after %u lines: no 'Codec:' line found", ps.phys_line);
        }
    }
    if (rc == -ENOMEM && err) {
        err->line = ps.line;
        snprintf(err->message, sizeof(err->message), "out of memory");
    }
    free(ps.join);
    if (rc) {
        hdabdl_codec_desc_array_free(ps.descs, ps.ndescs);
        if (warnings)
            memset(warnings, 0, sizeof(*warnings));
        return rc;
    }
    *out = ps.descs;
    *count = ps.ndescs;
    return 0;
}

int hdabdl_codec_parse(const char *text, size_t len, struct hdabdl_codec_desc **out, size_t *count,
                       struct hdabdl_codec_parse_error *err)
{
    return hdabdl_codec_parse_ex(text, len, out, count, err, NULL);
}

int hdabdl_codec_parse_file(const char *path, struct hdabdl_codec_desc **out, size_t *count,
                            struct hdabdl_codec_parse_error *err)
{
    return hdabdl_codec_parse_file_ex(path, out, count, err, NULL);
}

int hdabdl_codec_parse_file_ex(const char *path, struct hdabdl_codec_desc **out, size_t *count,
                               struct hdabdl_codec_parse_error *err,
                               struct hdabdl_codec_parse_warnings *warnings)
{
    if (warnings)
        memset(warnings, 0, sizeof(*warnings));
    if (out)
        *out = NULL;
    if (count)
        *count = 0;
    if (err) {
        err->line = 0;
        err->message[0] = '\0';
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        int e = errno ? errno : EIO;
        if (err)
            snprintf(err->message, sizeof(err->message), "cannot open: %s", strerror(e));
        return -e;
    }
    char *buf = NULL;
    size_t len = 0, cap = 0;
    int rc = 0;
    for (;;) {
        if (len == cap) {
            if (cap >= HDABDL_CODEC_MAX_INPUT + 1) {
                rc = -E2BIG;
                if (err)
                    snprintf(err->message, sizeof(err->message), "file is larger than %u bytes",
                             (unsigned)HDABDL_CODEC_MAX_INPUT);
                break;
            }
            size_t ncap = cap ? cap * 2 : 65536;
            if (ncap > HDABDL_CODEC_MAX_INPUT + 1)
                ncap = HDABDL_CODEC_MAX_INPUT + 1;
            char *nb = realloc(buf, ncap);
            if (!nb) {
                rc = -ENOMEM;
                if (err)
                    snprintf(err->message, sizeof(err->message), "out of memory");
                break;
            }
            buf = nb;
            cap = ncap;
        }
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0) {
            if (ferror(f)) {
                rc = -EIO;
                if (err)
                    snprintf(err->message, sizeof(err->message), "read error");
            }
            break;
        }
    }
    fclose(f);
    if (!rc)
        rc = hdabdl_codec_parse_ex(buf, len, out, count, err, warnings);
    free(buf);
    return rc;
}
