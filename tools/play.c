/* SPDX-License-Identifier: MIT */
/*
 * play.c - `hdabdl play`: render a sine or a WAV file through one DMA engine
 * and a codec output path.
 *
 *   hdabdl play [--backend mock | --device BDF [--mode vfio|uio --allow-uio]]
 *               [--codec-file FILE [--codec N] [--strict]] [--sine HZ | --in FILE.wav]
 *               [--seconds N] [--amplitude A] [--out FILE.wav]
 *
 * The DDI sequence a function driver would use: open the controller; read the
 * codec through verbs (codec_walk.c) and find an output path, a DAC that
 * reaches an output pin through mixers and selectors; open a client on the
 * codec's audio function group; allocate a render engine (48 kHz, 16-bit,
 * stereo), allocate its contiguous buffer and BDL page, write a BDL of 4
 * fragments of 100 ms with IOC on each, set the engine up with a BDL ISR;
 * program the path with verbs (power, connection selects, amps at 0 dB,
 * pin control, EAPD, the DAC's converter format and stream tag); fill the
 * buffer, PAUSE, RUN; then, while the engine plays, refill each fragment
 * the engine has finished with (double buffering); finally disconnect the
 * DAC, PAUSE, RESET, free buffer and engine, close client and controller.
 *
 * On the mock (virtual time) the WAV written with --out is what reached the
 * DAC (the mock codec's converter ring), and the link tap (what left the
 * engine with the stream's tag) must hold the same bytes. The mock's BCIS
 * fires when a fragment's last byte has been fetched, so the fragment may be
 * rewritten at once; the engine comes back to it 300 ms later. The ISR runs
 * at interrupt time and only counts; the refill happens in the main loop
 * between 1 ms steps of (virtual) time, far inside that margin.
 *
 * On a real controller time is wall-clock time: the loop sleeps 2 ms between
 * polls; the backend delivers the interrupts (MSI, INTx or its polling thread)
 * and the ISR counts buffer completions; the loop also follows the link
 * position (LPIB) and refills every fragment the position has left behind or
 * whose completion interrupt came, whichever is first. It stops once N
 * seconds have gone out on the link. The sound goes to the codec's output
 * (on QEMU: the audiodev, e.g. a WAV file on the host); nothing can be
 * recorded here.
 *
 * SIGINT/SIGTERM end the loop; the normal teardown follows (no engine left
 * running, no DMA), and the tool exits with 128 + the signal.
 */
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sndfile.h>

#include "hdabdl/regs.h"

#include "cli.h"
#include "codec_walk.h"

#define PLAY_RATE            48000u
#define PLAY_CHANNELS        2u
#define PLAY_BITS            16u
#define PLAY_FRAME_BYTES     (PLAY_CHANNELS * (PLAY_BITS / 8u))    /* 4 */
#define PLAY_FRAGMENTS       4u
#define PLAY_FRAGMENT_FRAMES 4800u                                 /* 100 ms */
#define PLAY_FRAGMENT_BYTES  (PLAY_FRAGMENT_FRAMES * PLAY_FRAME_BYTES)   /* 19200 */
#define PLAY_BUFFER_BYTES    (PLAY_FRAGMENTS * PLAY_FRAGMENT_BYTES)      /* 76800 */
#define PLAY_STEP_NS         1000000ull                            /* 1 ms per time step (mock) */
#define PLAY_POLL_NS         2000000ull                            /* 2 ms between polls (real) */
#define PLAY_SLACK_NS        1000000000ull                         /* start-up allowance */
#define PLAY_STALL_NS        3000000000ull                         /* real: LPIB still this long */
#define PLAY_MAX_PATH_VERBS  128u
#define PLAY_PI              3.14159265358979323846

static const char *const CMD = "play";

void cli_play_help(FILE *out)
{
    fprintf(out,
            "Usage: hdabdl play [--backend NAME | --device BDF [--mode vfio|uio --allow-uio]]\n"
            "                   [--codec-file FILE [--codec N] [--strict]]\n"
            "                   [--sine HZ | --in FILE.wav] [--seconds N] [--amplitude A]\n"
            "                   [--out FILE.wav]\n"
            "\n"
            "Open the controller, read the codec through verbs and find an output path in\n"
            "it: a DAC (Audio Output converter) that reaches an output pin through mixers\n"
            "and selectors, line outs first, then headphones, then speakers. Open a client\n"
            "on the codec's audio function group, allocate a render DMA engine for 48 kHz\n"
            "16-bit stereo, give it a BDL of 4 fragments of 100 ms with an interrupt on\n"
            "each, and program the path with verbs: power on, connection selects, amps\n"
            "unmuted at 0 dB, pin output enabled (and headphone drive, EAPD), the DAC's\n"
            "converter format and stream tag. Fill the buffer with a sine (or the WAV\n"
            "file), refill every fragment the engine is done with, and run the engine for\n"
            "N seconds. Every DDI step and every verb is printed with its status.\n"
            "\n"
            "On the mock, what reached the DAC is written to FILE.wav (--out, required):\n"
            "48 kHz, 16-bit PCM, stereo, and the data that left the engine on the link\n"
            "must be the same bytes. On a real controller (--device) the engine runs in\n"
            "real time and the sound leaves through the codec (on QEMU: its audiodev);\n"
            "a progress line is shown when stderr is a terminal. Ctrl-C or SIGTERM stop\n"
            "the engine and release everything before the tool exits.\n"
            "\n"
            "Options:\n"
            "  --codec-file FILE  mock only: put the codecs of FILE (a /proc codec#N file or\n"
            "                     alsa-info output) on the link; the first codec (by\n"
            "                     address) with an output path plays. Default: the mock's\n"
            "                     default codec\n"
            "  --codec N          play through the N-th codec of FILE (from 1) only\n"
            "  --strict           refuse a FILE that ends early (cut off mid-file, mid-node or\n"
            "                     mid-line) instead of warning about it (exit 1)\n"
            "  --sine HZ          sine frequency, above 0 and below 24000 (default: 1000)\n"
            "  --in FILE.wav      play this file instead: 48000 Hz, mono or stereo, any\n"
            "                     sample format libsndfile reads (sent as 16-bit stereo)\n"
            "  --seconds N        seconds to play, above 0, at most 3600 (default: 1 for\n"
            "                     the sine, the whole file for --in)\n"
            "  --amplitude A      sine peak as a fraction of full scale, above 0, at most 1\n"
            "                     (default: 0.5)\n"
            "  --out FILE         mock only: WAV file of what reached the DAC (required there)\n"
            "  -h, --help         show this help\n");
    cli_target_help(out);
    fprintf(out,
            "\n"
            "Exit codes: 0 success, 1 runtime failure (also: no output path in the codec,\n"
            "an underrun), 2 usage error, 3 device unavailable, 128+N stopped by signal N.\n");
}

/* ---- Options --------------------------------------------------------------------- */

struct play_options {
    struct cli_target target;   /* with --codec-file, --codec */
    double hz;
    double seconds;
    bool seconds_given;
    double amplitude;
    const char *in;
    const char *out;
};

enum { OPT_SINE = CLI_CODEC_OPTIONS, OPT_IN, OPT_SECONDS, OPT_AMPLITUDE, OPT_OUT, OPT_HELP };

static const struct cli_option play_option_table[] = {
    CLI_TARGET_OPTION_ROWS,
    CLI_CODEC_OPTION_ROWS,
    [OPT_SINE] = { "--sine", NULL, true },
    [OPT_IN] = { "--in", NULL, true },
    [OPT_SECONDS] = { "--seconds", NULL, true },
    [OPT_AMPLITUDE] = { "--amplitude", NULL, true },
    [OPT_OUT] = { "--out", NULL, true },
    [OPT_HELP] = { "--help", "-h", false },
};

/* CLI_EXIT_OK to go on, else the exit code (help shown, or a usage error). */
static int parse_options(int argc, char **argv, struct play_options *opt, bool *help)
{
    bool sine_given = false, amplitude_given = false;
    memset(opt, 0, sizeof(*opt));
    opt->hz = 1000.0;
    opt->seconds = 1.0;
    opt->amplitude = 0.5;
    *help = false;

    int index = 1;
    for (;;) {
        const char *value = NULL;
        int which = cli_next_option(CMD, play_option_table,
                                    sizeof(play_option_table) / sizeof(play_option_table[0]),
                                    argc, argv, &index, &value);
        if (which == CLI_OPT_END)
            break;
        if (which >= 0 && which < CLI_CODEC_OPTIONS) {
            if (!cli_target_option(CMD, &opt->target, which, value))
                return CLI_EXIT_USAGE;
            continue;
        }
        switch (which) {
        case OPT_SINE:
            if (!cli_parse_sine(CMD, value, &opt->hz))
                return CLI_EXIT_USAGE;
            sine_given = true;
            break;
        case OPT_IN:
            if (!cli_parse_file_name(CMD, "--in", value, &opt->in))
                return CLI_EXIT_USAGE;
            break;
        case OPT_SECONDS:
            if (!cli_parse_double(CMD, "--seconds", value, 0.0, 3600.0, &opt->seconds))
                return CLI_EXIT_USAGE;
            opt->seconds_given = true;
            break;
        case OPT_AMPLITUDE:
            if (!cli_parse_amplitude(CMD, value, &opt->amplitude))
                return CLI_EXIT_USAGE;
            amplitude_given = true;
            break;
        case OPT_OUT:
            if (!cli_parse_file_name(CMD, "--out", value, &opt->out))
                return CLI_EXIT_USAGE;
            break;
        case OPT_HELP:
            *help = true;
            return CLI_EXIT_OK;
        default: /* CLI_OPT_ERROR, already reported */
            return CLI_EXIT_USAGE;
        }
    }

    int rc = cli_target_resolve(CMD, &opt->target);
    if (rc != CLI_EXIT_OK)
        return rc;
    const struct cli_backend *be = opt->target.backend;
    if (opt->in != NULL && (sine_given || amplitude_given)) {
        cli_usage_error(CMD, "--in FILE plays the file: --sine and --amplitude are for the sine");
        return CLI_EXIT_USAGE;
    }
    if (!cli_target_codec_check(CMD, &opt->target))
        return CLI_EXIT_USAGE;
    if (be->realtime) {
        if (opt->out != NULL) {
            cli_usage_error(CMD, "--out records what reached the DAC, which only the mock can observe; "
                            "on backend '%s' the sound leaves through the codec", be->name);
            return CLI_EXIT_USAGE;
        }
    } else {
        if (be->link_tap_read == NULL || be->converter_read == NULL) {
            cli_usage_error(CMD, "backend '%s' cannot observe the link and the DAC; play needs one "
                            "that can", be->name);
            return CLI_EXIT_USAGE;
        }
        if (opt->out == NULL) {
            cli_usage_error(CMD, "--out FILE.wav is required on backend '%s'", be->name);
            return CLI_EXIT_USAGE;
        }
    }
    if (opt->seconds_given && llround(opt->seconds * PLAY_RATE) < 1) {
        cli_usage_error(CMD, "--seconds: %g s is less than one frame", opt->seconds);
        return CLI_EXIT_USAGE;
    }
    return CLI_EXIT_OK;
}

/* ---- The signal ------------------------------------------------------------------ */

struct sine {
    double hz;
    double peak;          /* in LSB */
    uint64_t next_frame;  /* frame number of the next sample generated */
};

/* Frames are numbered from the start of the stream, so the phase is continuous
 * across fragments and across BDL wraps however the buffer is refilled. */
static void sine_fill(struct sine *s, void *dst, uint32_t frames)
{
    unsigned char *p = dst;
    for (uint32_t i = 0; i < frames; i++, s->next_frame++) {
        double cycles = fmod((double)s->next_frame * s->hz, (double)PLAY_RATE) / PLAY_RATE;
        long v = lrint(s->peak * sin(2.0 * PLAY_PI * cycles));
        if (v > 32767)
            v = 32767;
        if (v < -32768)
            v = -32768;
        int16_t sample = (int16_t)v;
        for (unsigned ch = 0; ch < PLAY_CHANNELS; ch++, p += sizeof(sample))
            hdabdl__le16_store(p, (uint16_t)sample);   /* little-endian in the buffer */
    }
}

/* What fills the buffer: the sine, or a WAV file (then silence after its end). */
struct source {
    struct sine sine;
    SNDFILE *file;
    unsigned file_channels;
    uint64_t file_frames_left;     /* frames still to take from the file */
    short tmp[PLAY_FRAGMENT_FRAMES * 2];
};

static bool source_fill(struct source *src, void *dst, uint32_t frames, const char *path)
{
    if (src->file == NULL) {
        sine_fill(&src->sine, dst, frames);
        return true;
    }
    unsigned char *out = dst;
    uint32_t done = 0;
    while (done < frames && src->file_frames_left > 0) {
        uint32_t want = frames - done;
        if (want > PLAY_FRAGMENT_FRAMES)
            want = PLAY_FRAGMENT_FRAMES;
        if (want > src->file_frames_left)
            want = (uint32_t)src->file_frames_left;
        sf_count_t got = sf_readf_short(src->file, src->tmp, want);
        if (got <= 0) {
            cli_error(CMD, "reading %s: %s", path, sf_strerror(src->file));
            return false;
        }
        for (sf_count_t i = 0; i < got; i++) {
            short l = src->tmp[i * src->file_channels];
            short r = src->file_channels > 1 ? src->tmp[i * src->file_channels + 1] : l;
            unsigned char *frame = out + (size_t)(done + (uint32_t)i) * PLAY_FRAME_BYTES;
            hdabdl__le16_store(frame, (uint16_t)l);   /* little-endian in the buffer */
            hdabdl__le16_store(frame + 2, (uint16_t)r);
        }
        done += (uint32_t)got;
        src->file_frames_left -= (uint64_t)got;
    }
    if (done < frames)
        memset(out + (size_t)done * PLAY_FRAME_BYTES, 0, (size_t)(frames - done) * PLAY_FRAME_BYTES);
    return true;
}

/* ---- Interrupt side ------------------------------------------------------------------ */

/* Shared between the BDL ISR (interrupt context) and the main loop. */
struct play_irq {
    atomic_uint bcis;     /* fragments completed */
    atomic_uint fifoe;
    atomic_uint dese;
    atomic_uint calls;
};

static void play_bdl_isr(void *context, uint32_t interrupt_bit_mask)
{
    struct play_irq *irq = context;
    atomic_fetch_add(&irq->calls, 1u);
    if (interrupt_bit_mask & HDABDL_ISR_BCIS)
        atomic_fetch_add(&irq->bcis, 1u);
    if (interrupt_bit_mask & HDABDL_ISR_FIFOE)
        atomic_fetch_add(&irq->fifoe, 1u);
    if (interrupt_bit_mask & HDABDL_ISR_DESE)
        atomic_fetch_add(&irq->dese, 1u);
}
/* ---- The run ------------------------------------------------------------------------- */

/* A growable byte queue: what one side of the cross-check has not matched yet. */
struct byteq {
    unsigned char *p;
    size_t len, cap;
};

static bool byteq_append(struct byteq *q, const void *data, size_t len)
{
    if (q->len + len > q->cap) {
        size_t cap = q->cap ? q->cap : 4096;
        while (cap < q->len + len)
            cap *= 2;
        unsigned char *p = realloc(q->p, cap);
        if (p == NULL)
            return false;
        q->p = p;
        q->cap = cap;
    }
    memcpy(q->p + q->len, data, len);
    q->len += len;
    return true;
}

static void byteq_drop(struct byteq *q, size_t len)
{
    memmove(q->p, q->p + len, q->len - len);
    q->len -= len;
}

struct play {
    struct play_options opt;
    struct cli_session sess;
    hdabdl_client *client;
    hdabdl_handle handle;
    bool have_engine;
    bool have_buffer;
    enum hdabdl_stream_state state;
    unsigned char *data;
    uint64_t data_bus;
    uint8_t tag;
    hdabdl_converter_format converter;
    /* the codec path */
    struct hdabdl_codec_desc desc;     /* the codec as the walk found it */
    struct codec_path path;
    uint8_t cad;
    uint8_t dac;
    bool path_programmed;
    struct play_irq irq;
    struct source src;
    SNDFILE *wav;
    bool interrupted;   /* a signal ended the run */
    unsigned char dac_buf[PLAY_FRAGMENT_BYTES + PLAY_FRAME_BYTES];
    size_t dac_held;      /* bytes of a partial frame kept from the last DAC read */
    unsigned char tap_buf[PLAY_FRAGMENT_BYTES];
    struct byteq xdac, xtap;   /* cross-check: bytes of each side not compared yet */
    uint64_t dac_total, tap_total;
    uint64_t frames_wanted;
    uint64_t frames_written;
};

static const char *state_name(enum hdabdl_stream_state state)
{
    switch (state) {
    case HDABDL_RESET_STATE:
        return "RESET";
    case HDABDL_PAUSE_STATE:
        return "PAUSE";
    case HDABDL_RUN_STATE:
        return "RUN";
    }
    return "?";
}

static bool set_state(struct play *p, enum hdabdl_stream_state state)
{
    char step[64];
    snprintf(step, sizeof(step), "set_dma_engine_state(%s)", state_name(state));
    hdabdl_status status = hdabdl_set_dma_engine_state(p->client, state, 1, &p->handle);
    if (!cli_step(CMD, step, status, NULL))
        return false;
    p->state = state;
    return true;
}

static bool open_all(struct play *p)
{
    if (!cli_session_open(CMD, &p->opt.target, &p->sess))
        return false;

    unsigned tried = 0;
    if (!cli_find_codec_path(CMD, &p->sess, false, &p->desc, &p->path, &p->cad, &tried)) {
        if (tried > 0 && p->sess.codecs.count_all > p->sess.codecs.count_used)
            cli_error(CMD, "no codec on the link has an output path: nothing can play (%s holds "
                      "%zu codecs; pick another with --codec N)", p->sess.codecs.path,
                      p->sess.codecs.count_all);
        else if (tried > 0)
            cli_error(CMD, "no codec on the link has an output path: nothing can play");
        return false;
    }
    p->dac = p->path.nodes[0];
    return cli_client_open_afg(CMD, p->sess.ctrl, p->cad, p->desc.afg_nid, &p->client);
}

static bool setup_engine(struct play *p)
{
    const struct hdabdl_stream_format format = {
        .sample_rate = PLAY_RATE,
        .valid_bits_per_sample = PLAY_BITS,
        .container_size = PLAY_BITS,
        .number_of_channels = PLAY_CHANNELS,
    };
    hdabdl_converter_format converter = 0;
    hdabdl_status status =
        hdabdl_allocate_render_dma_engine(p->client, &format, false, &p->handle, &converter);
    if (!cli_step(CMD, "allocate_render_dma_engine", status, "handle %p, converter format 0x%04x",
                  (void *)p->handle, converter))
        return false;
    p->have_engine = true;
    p->state = HDABDL_RESET_STATE;
    p->converter = converter;

    void *data = NULL;
    struct hdabdl_buffer_descriptor *bdl = NULL;
    uint64_t bdl_bus = 0;
    status = hdabdl_allocate_contiguous_dma_buffer(p->client, p->handle, PLAY_BUFFER_BYTES, &data,
                                                   &p->data_bus, &bdl, &bdl_bus);
    if (!cli_step(CMD, "allocate_contiguous_dma_buffer", status,
                  "%u bytes at bus 0x%llx, BDL page at bus 0x%llx", PLAY_BUFFER_BYTES,
                  (unsigned long long)p->data_bus, (unsigned long long)bdl_bus))
        return false;
    p->have_buffer = true;
    p->data = data;

    /* The caller writes the BDL: one entry per fragment, IOC on each. */
    for (uint32_t i = 0; i < PLAY_FRAGMENTS; i++)
        hdabdl_bdl_write_entry(bdl, i, p->data_bus + (uint64_t)i * PLAY_FRAGMENT_BYTES,
                               PLAY_FRAGMENT_BYTES, 1);
    printf("BDL written: %u entries of %u bytes (%u ms each), IOC on every entry\n",
           PLAY_FRAGMENTS, PLAY_FRAGMENT_BYTES, PLAY_FRAGMENT_FRAMES * 1000u / PLAY_RATE);

    /* Fill the whole buffer before the engine starts. */
    p->src.sine.hz = p->opt.hz;
    p->src.sine.peak = p->opt.amplitude * 32767.0;
    p->src.sine.next_frame = 0;
    if (!source_fill(&p->src, p->data, PLAY_FRAGMENTS * PLAY_FRAGMENT_FRAMES, p->opt.in))
        return false;

    uint8_t stream_id = 0;
    uint32_t fifo_size = 0;
    status = hdabdl_setup_dma_engine_with_bdl(p->client, p->handle, PLAY_BUFFER_BYTES,
                                              PLAY_FRAGMENTS - 1, play_bdl_isr, &p->irq,
                                              &stream_id, &fifo_size);
    if (!cli_step(CMD, "setup_dma_engine_with_bdl", status, "stream tag %u, FIFO %u bytes",
                  stream_id, fifo_size))
        return false;
    p->tag = stream_id;
    return true;
}

/* Program the path: one batch of verbs (settings, then read-backs), each reported. */
static bool program_codec(struct play *p)
{
    struct codec_path_verb list[PLAY_MAX_PATH_VERBS];
    size_t n = codec_path_program(&p->desc, &p->path, p->converter, p->tag, list, PLAY_MAX_PATH_VERBS);
    unsigned unanswered, wrong;
    if (n == 0 || n > PLAY_MAX_PATH_VERBS) {
        cli_error(CMD, "the path needs %zu verbs (at most %u)", n, PLAY_MAX_PATH_VERBS);
        return false;
    }
    if (!cli_path_send(CMD, p->client, list, n, &p->path_programmed, &unanswered, &wrong))
        return false;
    return cli_step(CMD, "codec_program",
                    unanswered || wrong ? HDABDL_STATUS_IO_DEVICE_ERROR : HDABDL_STATUS_SUCCESS,
                    "codec %u: DAC 0x%02x on stream %u, format 0x%04x; %u unanswered, %u read back "
                    "wrong", p->cad, p->dac, p->tag, p->converter, unanswered, wrong);
}

/* Disconnect the DAC from the stream (stream 0). */
static bool release_codec(struct play *p)
{
    uint32_t verb;
    hdabdl_status status = cli_path_release(p->client, &p->path, &verb);
    p->path_programmed = false;
    return cli_step(CMD, "codec_release", status, "verb 0x%08x: DAC 0x%02x to stream 0",
                    (unsigned)verb, p->dac);
}

/* Compare what both sides have delivered so far; drop the matched bytes. */
static bool cross_check(struct play *p)
{
    size_t n = p->xdac.len < p->xtap.len ? p->xdac.len : p->xtap.len;
    if (n == 0)
        return true;
    if (memcmp(p->xdac.p, p->xtap.p, n) != 0) {
        size_t at = 0;
        while (at < n && p->xdac.p[at] == p->xtap.p[at])
            at++;
        uint64_t offset = p->dac_total - p->xdac.len + at;
        cli_error(CMD, "the DAC and the link tap differ at byte %llu (frame %llu): 0x%02x != 0x%02x",
                  (unsigned long long)offset, (unsigned long long)(offset / PLAY_FRAME_BYTES),
                  p->xdac.p[at], p->xtap.p[at]);
        return false;
    }
    byteq_drop(&p->xdac, n);
    byteq_drop(&p->xtap, n);
    return true;
}

/* Write what reached the DAC, whole frames only, up to frames_wanted; read the tap alongside. */
static bool drain(struct play *p)
{
    unsigned char *buf = p->dac_buf;
    size_t held = p->dac_held;
    const struct cli_backend *be = p->sess.dev.backend;

    for (;;) {
        size_t n = be->converter_read(&p->sess.dev, p->cad, p->dac, buf + held,
                                      sizeof(p->dac_buf) - PLAY_FRAME_BYTES);
        if (n == 0)
            break;
        if (!byteq_append(&p->xdac, buf + held, n)) {
            cli_error(CMD, "out of memory");
            return false;
        }
        p->dac_total += n;
        n += held;
        size_t frames = n / PLAY_FRAME_BYTES;
        uint64_t room = p->frames_wanted - p->frames_written;
        uint64_t take = frames < room ? frames : room;
        if (take > 0) {
            /* The DAC got little-endian samples; libsndfile takes host shorts. */
            cli_samples16_le_to_host(buf, (size_t)take * PLAY_CHANNELS);
            sf_count_t wrote = sf_writef_short(p->wav, (const short *)(const void *)buf,
                                               (sf_count_t)take);
            if (wrote != (sf_count_t)take) {
                cli_error(CMD, "writing %s: %s", p->opt.out, sf_strerror(p->wav));
                return false;
            }
            p->frames_written += take;
        }
        held = n % PLAY_FRAME_BYTES;
        memmove(buf, buf + frames * PLAY_FRAME_BYTES, held);
    }
    p->dac_held = held;

    for (;;) {
        size_t n = be->link_tap_read(&p->sess.dev, p->tag, p->tap_buf, sizeof(p->tap_buf));
        if (n == 0)
            break;
        if (!byteq_append(&p->xtap, p->tap_buf, n)) {
            cli_error(CMD, "out of memory");
            return false;
        }
        p->tap_total += n;
    }
    return cross_check(p);
}

static bool run_realtime(struct play *p, const volatile uint32_t *walclk, const volatile uint32_t *lpib);

static bool run_engine(struct play *p)
{
    const volatile uint32_t *walclk = NULL;
    const volatile uint32_t *lpib = NULL;
    const struct cli_backend *be = p->sess.dev.backend;
    hdabdl_status status = hdabdl_get_wall_clock_register(p->client, &walclk);
    if (!cli_step(CMD, "get_wall_clock_register", status, NULL))
        return false;
    status = hdabdl_get_link_position_register(p->client, p->handle, &lpib);
    if (!cli_step(CMD, "get_link_position_register", status, NULL))
        return false;
    uint32_t walclk_start = *walclk;

    if (cli_interrupted()) {
        p->interrupted = true;
        return false;
    }
    /* The DDI has no direct Reset -> Run transition: go through Pause. */
    if (!set_state(p, HDABDL_PAUSE_STATE) || !set_state(p, HDABDL_RUN_STATE))
        return false;
    if (be->realtime)
        return run_realtime(p, walclk, lpib);

    struct cli_progress progress;
    cli_progress_begin(&progress);
    uint64_t limit_ns = (uint64_t)(p->opt.seconds * 1e9) + PLAY_SLACK_NS;
    uint64_t elapsed_ns = 0;
    unsigned refilled = 0;   /* fragment completions already refilled */
    while (p->frames_written < p->frames_wanted) {
        if (cli_interrupted()) {
            cli_progress_end(&progress);
            p->interrupted = true;
            return false;
        }
        if (elapsed_ns >= limit_ns) {
            cli_error(CMD, "after %.3f s only %llu of %llu frames reached DAC 0x%02x (%llu bytes "
                      "left the engine)", (double)elapsed_ns / 1e9,
                      (unsigned long long)p->frames_written, (unsigned long long)p->frames_wanted,
                      p->dac, (unsigned long long)p->tap_total);
            return false;
        }
        be->advance(&p->sess.dev, PLAY_STEP_NS);
        elapsed_ns += PLAY_STEP_NS;

        unsigned fifoe = atomic_load(&p->irq.fifoe);
        unsigned dese = atomic_load(&p->irq.dese);
        if (fifoe != 0 || dese != 0) {
            cli_error(CMD, "the engine reported %u FIFO errors and %u descriptor errors", fifoe,
                      dese);
            return false;
        }

        /* Refill every fragment the engine finished fetching. */
        unsigned done = atomic_load(&p->irq.bcis);
        if (done - refilled >= PLAY_FRAGMENTS) {
            cli_error(CMD, "%u fragments completed before they could be refilled",
                      done - refilled);
            return false;
        }
        for (; refilled != done; refilled++) {
            unsigned fragment = refilled % PLAY_FRAGMENTS;
            if (!source_fill(&p->src, p->data + (size_t)fragment * PLAY_FRAGMENT_BYTES,
                             PLAY_FRAGMENT_FRAMES, p->opt.in))
                return false;
        }

        if (!drain(p))
            return false;
        cli_progress_update(&progress, "play: %.2f / %.2f s reached the DAC (device time %.2f s)",
                            (double)p->frames_written / PLAY_RATE,
                            (double)p->frames_wanted / PLAY_RATE, (double)elapsed_ns / 1e9);
    }
    cli_progress_end(&progress);

    uint32_t walclk_ticks = *walclk - walclk_start;
    uint32_t position = *lpib;
    printf("ran %.3f s of device time: WALCLK advanced %u ticks (%.3f s), LPIB %u of %u, "
           "%u interrupts, %u fragments refilled\n",
           (double)elapsed_ns / 1e9, walclk_ticks, (double)walclk_ticks / HDA_WALCLK_HZ, position,
           PLAY_BUFFER_BYTES, atomic_load(&p->irq.calls), refilled);

    if (atomic_load(&p->irq.bcis) == 0) {
        cli_error(CMD, "no buffer-completion interrupt arrived");
        return false;
    }
    uint64_t dropped = be->link_tap_dropped(&p->sess.dev, p->tag);
    if (dropped != 0) {
        cli_error(CMD, "the link tap dropped %llu bytes", (unsigned long long)dropped);
        return false;
    }
    dropped = be->converter_dropped(&p->sess.dev, p->cad, p->dac);
    if (dropped != 0) {
        cli_error(CMD, "DAC 0x%02x's ring dropped %llu bytes", p->dac, (unsigned long long)dropped);
        return false;
    }
    if (p->dac_total != p->tap_total) {
        cli_error(CMD, "%llu bytes reached DAC 0x%02x but %llu left the engine on the link",
                  (unsigned long long)p->dac_total, p->dac, (unsigned long long)p->tap_total);
        return false;
    }
    printf("cross-check: the %llu bytes that reached DAC 0x%02x are the bytes that left the engine "
           "on the link (stream %u)\n", (unsigned long long)p->dac_total, p->dac, p->tag);
    return true;
}

/*
 * Real time: sleep between polls, follow LPIB, refill what the engine left
 * behind, until the position has covered frames_wanted.
 */
static bool run_realtime(struct play *p, const volatile uint32_t *walclk, const volatile uint32_t *lpib)
{
    const struct cli_backend *be = p->sess.dev.backend;
    const uint64_t want = p->frames_wanted * PLAY_FRAME_BYTES;
    const uint64_t start = cli_now_ns();
    const uint64_t limit_ns = (uint64_t)(p->opt.seconds * 2e9) + 10 * PLAY_SLACK_NS;
    uint32_t walclk_start = *walclk;
    uint32_t last = *lpib % PLAY_BUFFER_BYTES;
    uint64_t played = 0, moved_at = start, polls = 0;
    unsigned refilled = 0, max_ahead = 0;
    struct cli_progress progress;
    cli_progress_begin(&progress);

    printf("running in real time: refilling each fragment the engine has left behind, until %.3f s "
           "(%llu bytes) have gone out\n", (double)p->frames_wanted / PLAY_RATE, (unsigned long long)want);
    fflush(stdout);
    bool ok = true;
    while (played < want) {
        if (cli_interrupted()) {
            p->interrupted = true;
            ok = false;
            break;
        }
        be->advance(&p->sess.dev, PLAY_POLL_NS);
        polls++;
        uint64_t now = cli_now_ns();

        unsigned fifoe = atomic_load(&p->irq.fifoe);
        unsigned dese = atomic_load(&p->irq.dese);
        if (fifoe != 0 || dese != 0) {
            cli_error(CMD, "the engine reported %u FIFO errors and %u descriptor errors", fifoe, dese);
            ok = false;
            break;
        }
        uint32_t pos = *lpib;
        if (pos >= PLAY_BUFFER_BYTES) {
            cli_error(CMD, "LPIB reads 0x%08x, outside the %u-byte buffer", (unsigned)pos,
                      PLAY_BUFFER_BYTES);
            ok = false;
            break;
        }
        uint32_t delta = (pos + PLAY_BUFFER_BYTES - last) % PLAY_BUFFER_BYTES;
        if (delta != 0)
            moved_at = now;
        played += delta;
        last = pos;

        /* A fragment is done when the position has left it, or its BCIS came. */
        unsigned by_pos = (unsigned)(played / PLAY_FRAGMENT_BYTES);
        unsigned by_irq = atomic_load(&p->irq.bcis);
        unsigned done = by_pos > by_irq ? by_pos : by_irq;
        if (done - refilled > max_ahead)
            max_ahead = done - refilled;
        if (done - refilled >= PLAY_FRAGMENTS) {
            cli_error(CMD, "underrun: %u fragments completed before they could be refilled "
                      "(position %llu bytes, %u completion interrupts)", done - refilled,
                      (unsigned long long)played, by_irq);
            ok = false;
            break;
        }
        for (; refilled != done; refilled++) {
            unsigned fragment = refilled % PLAY_FRAGMENTS;
            if (!source_fill(&p->src, p->data + (size_t)fragment * PLAY_FRAGMENT_BYTES,
                             PLAY_FRAGMENT_FRAMES, p->opt.in)) {
                ok = false;
                break;
            }
        }
        if (!ok)
            break;
        if (now - moved_at > PLAY_STALL_NS) {
            cli_error(CMD, "the link position stopped at %u (after %llu of %llu bytes) for %.1f s",
                      (unsigned)pos, (unsigned long long)played, (unsigned long long)want,
                      (double)(now - moved_at) / 1e9);
            ok = false;
            break;
        }
        if (now - start > limit_ns) {
            cli_error(CMD, "after %.3f s only %llu of %llu bytes went out", (double)(now - start) / 1e9,
                      (unsigned long long)played, (unsigned long long)want);
            ok = false;
            break;
        }
        cli_progress_update(&progress, "play: %.2f / %.2f s  LPIB %6u  %u interrupts  %u refills",
                            (double)played / (PLAY_RATE * PLAY_FRAME_BYTES),
                            (double)p->frames_wanted / PLAY_RATE, (unsigned)pos,
                            atomic_load(&p->irq.calls), refilled);
    }
    cli_progress_end(&progress);
    uint64_t wall = cli_now_ns() - start;
    uint32_t walclk_ticks = *walclk - walclk_start;
    printf("%s %.3f s of audio (LPIB advanced %llu bytes) in %.3f s: WALCLK advanced %u ticks (%.3f s), "
           "%u interrupts, %u buffer completions, %u fragments refilled (at most %u waiting), %llu polls\n",
           p->interrupted ? "interrupted after" : "played", (double)played / (PLAY_RATE * PLAY_FRAME_BYTES),
           (unsigned long long)played, (double)wall / 1e9, walclk_ticks,
           (double)walclk_ticks / HDA_WALCLK_HZ, atomic_load(&p->irq.calls),
           atomic_load(&p->irq.bcis), refilled, max_ahead, (unsigned long long)polls);
    if (ok && atomic_load(&p->irq.bcis) == 0) {
        cli_error(CMD, "no buffer-completion interrupt arrived");
        ok = false;
    }
    if (ok)
        p->frames_written = played / PLAY_FRAME_BYTES;
    fflush(stdout);
    return ok;
}

/* Undo whatever was done, in reverse order, reporting every step. */
static bool teardown(struct play *p)
{
    bool ok = true;
    hdabdl_status status;

    if (p->have_engine && p->state == HDABDL_RUN_STATE)
        ok = set_state(p, HDABDL_PAUSE_STATE) && ok;
    if (p->path_programmed)
        ok = release_codec(p) && ok;
    if (p->have_engine && p->state != HDABDL_RESET_STATE)
        ok = set_state(p, HDABDL_RESET_STATE) && ok;
    if (p->have_buffer) {
        status = hdabdl_free_contiguous_dma_buffer(p->client, p->handle);
        ok = cli_step(CMD, "free_contiguous_dma_buffer", status, NULL) && ok;
        p->have_buffer = false;
    }
    if (p->have_engine) {
        status = hdabdl_free_dma_engine(p->client, p->handle);
        ok = cli_step(CMD, "free_dma_engine", status, NULL) && ok;
        p->have_engine = false;
    }
    if (p->client != NULL) {
        hdabdl_client_close(p->client);
        printf("client_close: done\n");
        p->client = NULL;
    }
    ok = cli_session_close(CMD, &p->sess) && ok;
    hdabdl_codec_desc_clear(&p->desc);
    free(p->xdac.p);
    free(p->xtap.p);
    p->xdac.p = p->xtap.p = NULL;
    return ok;
}

/* Open --in and check its format; sets frames_wanted. */
static int open_input(struct play *p)
{
    SF_INFO info;
    memset(&info, 0, sizeof(info));
    p->src.file = sf_open(p->opt.in, SFM_READ, &info);
    if (p->src.file == NULL) {
        cli_error(CMD, "cannot open %s: %s", p->opt.in, sf_strerror(NULL));
        return CLI_EXIT_FAILURE;
    }
    if (info.samplerate != (int)PLAY_RATE || info.channels < 1 || info.channels > 2 || info.frames <= 0) {
        cli_error(CMD, "%s: %d Hz, %d channels, %lld frames: play takes 48000 Hz mono or stereo audio",
                  p->opt.in, info.samplerate, info.channels, (long long)info.frames);
        sf_close(p->src.file);
        p->src.file = NULL;
        return CLI_EXIT_FAILURE;
    }
    p->src.file_channels = (unsigned)info.channels;
    p->src.file_frames_left = (uint64_t)info.frames;
    p->frames_wanted = (uint64_t)info.frames;
    if (p->opt.seconds_given && (uint64_t)llround(p->opt.seconds * PLAY_RATE) < p->frames_wanted)
        p->frames_wanted = (uint64_t)llround(p->opt.seconds * PLAY_RATE);
    p->opt.seconds = (double)p->frames_wanted / PLAY_RATE;
    return CLI_EXIT_OK;
}

int cli_play_run(int argc, char **argv)
{
    struct play *p = calloc(1, sizeof(*p));
    if (p == NULL) {
        cli_error(CMD, "out of memory");
        return CLI_EXIT_FAILURE;
    }
    atomic_init(&p->irq.bcis, 0u);
    atomic_init(&p->irq.fifoe, 0u);
    atomic_init(&p->irq.dese, 0u);
    atomic_init(&p->irq.calls, 0u);

    bool help = false;
    int rc = parse_options(argc, argv, &p->opt, &help);
    if (rc == CLI_EXIT_OK && help) {
        cli_play_help(stdout);
        free(p);
        return CLI_EXIT_OK;
    }
    if (rc == CLI_EXIT_OK)
        rc = cli_session_load(CMD, &p->opt.target, &p->sess);
    if (rc != CLI_EXIT_OK) {
        free(p);
        return rc;
    }
    p->frames_wanted = (uint64_t)llround(p->opt.seconds * PLAY_RATE);
    if (p->opt.in != NULL) {
        rc = open_input(p);
        if (rc != CLI_EXIT_OK) {
            cli_session_close(CMD, &p->sess);   /* the codecs */
            free(p);
            return rc;
        }
    }

    if (p->opt.out != NULL) {
        SF_INFO info = {
            .samplerate = (int)PLAY_RATE,
            .channels = (int)PLAY_CHANNELS,
            .format = SF_FORMAT_WAV | SF_FORMAT_PCM_16,
        };
        p->wav = sf_open(p->opt.out, SFM_WRITE, &info);
        if (p->wav == NULL) {
            cli_error(CMD, "cannot open %s for writing: %s", p->opt.out, sf_strerror(NULL));
            if (p->src.file != NULL)
                sf_close(p->src.file);
            cli_session_close(CMD, &p->sess);   /* the codecs */
            free(p);
            return CLI_EXIT_FAILURE;
        }
    }
    char what[256];
    if (p->opt.in != NULL)
        snprintf(what, sizeof(what), "%s (%u channel%s)", p->opt.in, p->src.file_channels,
                 p->src.file_channels == 1 ? ", sent to both" : "s");
    else
        snprintf(what, sizeof(what), "%.6g Hz sine at %.3g of full scale", p->opt.hz, p->opt.amplitude);
    printf("play: %s for %.6g s (%llu frames) on backend %s%s%s%s%s%s%s\n", what, p->opt.seconds,
           (unsigned long long)p->frames_wanted, p->opt.target.backend->name,
           p->opt.target.device ? " device " : "", p->opt.target.device ? p->opt.target.device : "",
           p->opt.target.codec_file ? ", codecs of " : "",
           p->opt.target.codec_file ? p->opt.target.codec_file : "",
           p->opt.out ? " -> " : "", p->opt.out ? p->opt.out : "");
    fflush(stdout);

    bool ok = open_all(p) && setup_engine(p) && program_codec(p) && run_engine(p);
    int fail_rc = p->sess.failure;
    bool teardown_ok = teardown(p);
    ok = teardown_ok && ok;
    if (p->interrupted)
        printf("stopped by %s: engine paused and reset, DAC released, controller and device closed\n",
               cli_signal_name(cli_interrupted()));

    if (p->src.file != NULL)
        sf_close(p->src.file);
    if (p->wav != NULL) {
        if (sf_close(p->wav) != 0) {
            cli_error(CMD, "closing %s failed", p->opt.out);
            ok = false;
        }
        if (!ok) {
            unlink(p->opt.out);   /* no half-written file that looks like a result */
            cli_error(CMD, "%s; %s not written", p->interrupted ? "interrupted" : "failed", p->opt.out);
        } else {
            printf("wrote %s: %llu frames, %u Hz, %u-bit PCM, %u channels, as they reached DAC 0x%02x of "
                   "codec %u\n", p->opt.out, (unsigned long long)p->frames_written, PLAY_RATE, PLAY_BITS,
                   PLAY_CHANNELS, p->dac, p->cad);
        }
    } else if (ok) {
        printf("played %llu frames through DAC 0x%02x of codec %u\n",
               (unsigned long long)p->frames_written, p->dac, p->cad);
    }
    fflush(stdout);
    bool interrupted = p->interrupted;
    free(p);
    if (interrupted)   /* main() turns a clean stop into 128 + the signal */
        return teardown_ok ? CLI_EXIT_OK : CLI_EXIT_FAILURE;
    return ok ? CLI_EXIT_OK : fail_rc;
}
