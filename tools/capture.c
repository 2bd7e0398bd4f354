/* SPDX-License-Identifier: MIT */
/*
 * capture.c - `hdabdl capture`: record from a codec input path through a
 * capture DMA engine into a WAV file.
 *
 *   hdabdl capture [--backend mock | --device BDF [--mode vfio|uio --allow-uio]]
 *                  [--codec-file FILE [--codec N] [--strict]] [--seconds N] [--sine HZ]
 *                  [--amplitude A] --out FILE.wav
 *
 * The DDI sequence a function driver would use: open the controller; read
 * each codec through verbs and find an input path (an ADC reached from an
 * input pin through mixers and selectors); open a client on the codec's audio
 * function group; allocate a capture engine for that codec (48 kHz, 16-bit,
 * stereo), its contiguous buffer and BDL page; write a BDL of 4 fragments of
 * 100 ms with IOC on each; set the engine up; program the path (power,
 * selects, amps at 0 dB, pin IN, the ADC's format and stream tag); fill the
 * buffer with a pattern; PAUSE, RUN; then, every time a fragment is complete,
 * copy it to the WAV file and put the pattern back; after N seconds, PAUSE,
 * release the ADC, RESET, free everything.
 *
 * A fragment that still holds the pattern when it should be complete was
 * never written by the engine: that fails the run (the DMA did not happen).
 *
 * Completion: on the mock (virtual time) a fragment is complete when its
 * BCIS came; on a real controller, when its BCIS came or the link position
 * (LPIB) is past its end by more than the engine's FIFO (what the FIFO holds
 * may still be on its way to memory), whichever is first.
 *
 * On the mock every input converter plays a sine (--sine, --amplitude) into
 * the codec, so the WAV can be checked; on real hardware the WAV holds
 * whatever the pin receives (on QEMU with `-audiodev none`: silence).
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

#define CAP_RATE            48000u
#define CAP_CHANNELS        2u
#define CAP_BITS            16u
#define CAP_FRAME_BYTES     (CAP_CHANNELS * (CAP_BITS / 8u))
#define CAP_FRAGMENTS       4u
#define CAP_FRAGMENT_FRAMES 4800u
#define CAP_FRAGMENT_BYTES  (CAP_FRAGMENT_FRAMES * CAP_FRAME_BYTES)
#define CAP_BUFFER_BYTES    (CAP_FRAGMENTS * CAP_FRAGMENT_BYTES)
#define CAP_STEP_NS         1000000ull
#define CAP_POLL_NS         2000000ull
#define CAP_SLACK_NS        1000000000ull
#define CAP_STALL_NS        3000000000ull
#define CAP_PATTERN         0xA5u        /* fill byte: 0xA5A5 is not a likely sample pair */
#define CAP_MAX_PATH_VERBS  128u

static const char *const CMD = "capture";

void cli_capture_help(FILE *out)
{
    fprintf(out,
            "Usage: hdabdl capture [--backend NAME | --device BDF [--mode vfio|uio --allow-uio]]\n"
            "                      [--codec-file FILE [--codec N] [--strict]] [--seconds N]\n"
            "                      [--sine HZ] [--amplitude A] --out FILE.wav\n"
            "\n"
            "Open the controller, read the codecs through verbs and find an input path: an\n"
            "ADC (Audio Input converter) that an input pin reaches through mixers and\n"
            "selectors (line in first, then microphone, aux, CD). Open a client on the\n"
            "codec's audio function group, allocate a capture DMA engine for 48 kHz 16-bit\n"
            "stereo with a BDL of 4 fragments of 100 ms (an interrupt on each), program the\n"
            "path with verbs (power, selects, amps unmuted at 0 dB, pin input enabled, the\n"
            "ADC's format and stream tag), fill the buffer with a pattern and run the\n"
            "engine. Each fragment the engine completes is appended to FILE.wav (48 kHz,\n"
            "16-bit PCM, stereo) and refilled with the pattern; a completed fragment that\n"
            "still holds the pattern means the engine never wrote it, and fails the run.\n"
            "Exactly N seconds are written. On a real controller the engine runs in real\n"
            "time (progress on a terminal); Ctrl-C or SIGTERM stop it cleanly (the WAV is\n"
            "then not kept).\n"
            "\n"
            "Options:\n"
            "  --codec-file FILE  mock only: put the codecs of FILE on the link\n"
            "  --codec N          use only the N-th codec of FILE (from 1)\n"
            "  --strict           refuse a FILE that ends early (cut off mid-file, mid-node or\n"
            "                     mid-line) instead of warning about it (exit 1)\n"
            "  --seconds N        seconds to record, above 0, at most 3600 (default: 1)\n"
            "  --sine HZ          mock only: the sine every input converter receives\n"
            "                     (default: 1000)\n"
            "  --amplitude A      mock only: its peak as a fraction of full scale (default 0.5)\n"
            "  --out FILE         WAV file to write (required)\n"
            "  -h, --help         show this help\n");
    cli_target_help(out);
    fprintf(out,
            "\n"
            "Exit codes: 0 success, 1 runtime failure (also: no input path, an overrun, a\n"
            "fragment never written), 2 usage error, 3 device unavailable, 128+N stopped\n"
            "by signal N.\n");
}

/* ---- Options ----------------------------------------------------------------------------- */

struct capture_options {
    struct cli_target target;   /* with --codec-file, --codec */
    double seconds;
    double hz;
    double amplitude;
    const char *out;
};

enum { OPT_SECONDS = CLI_CODEC_OPTIONS, OPT_SINE, OPT_AMPLITUDE, OPT_OUT, OPT_HELP };

static const struct cli_option option_table[] = {
    CLI_TARGET_OPTION_ROWS,
    CLI_CODEC_OPTION_ROWS,
    [OPT_SECONDS] = { "--seconds", NULL, true },
    [OPT_SINE] = { "--sine", NULL, true },
    [OPT_AMPLITUDE] = { "--amplitude", NULL, true },
    [OPT_OUT] = { "--out", NULL, true },
    [OPT_HELP] = { "--help", "-h", false },
};

static int parse_options(int argc, char **argv, struct capture_options *opt, bool *help)
{
    bool sine_given = false;
    memset(opt, 0, sizeof(*opt));
    opt->seconds = 1.0;
    opt->hz = 1000.0;
    opt->amplitude = 0.5;
    *help = false;
    int index = 1;
    for (;;) {
        const char *value = NULL;
        int which = cli_next_option(CMD, option_table, sizeof(option_table) / sizeof(option_table[0]),
                                    argc, argv, &index, &value);
        if (which == CLI_OPT_END)
            break;
        if (which >= 0 && which < CLI_CODEC_OPTIONS) {
            if (!cli_target_option(CMD, &opt->target, which, value))
                return CLI_EXIT_USAGE;
            continue;
        }
        switch (which) {
        case OPT_SECONDS:
            if (!cli_parse_double(CMD, "--seconds", value, 0.0, 3600.0, &opt->seconds))
                return CLI_EXIT_USAGE;
            break;
        case OPT_SINE:
            if (!cli_parse_sine(CMD, value, &opt->hz))
                return CLI_EXIT_USAGE;
            sine_given = true;
            break;
        case OPT_AMPLITUDE:
            if (!cli_parse_amplitude(CMD, value, &opt->amplitude))
                return CLI_EXIT_USAGE;
            sine_given = true;
            break;
        case OPT_OUT:
            if (!cli_parse_file_name(CMD, "--out", value, &opt->out))
                return CLI_EXIT_USAGE;
            break;
        case OPT_HELP:
            *help = true;
            return CLI_EXIT_OK;
        default:
            return CLI_EXIT_USAGE;
        }
    }
    int rc = cli_target_resolve(CMD, &opt->target);
    if (rc != CLI_EXIT_OK)
        return rc;
    if (sine_given && opt->target.backend->capture_sine == NULL) {
        cli_usage_error(CMD, "--sine and --amplitude feed the mock's input converters; backend '%s' "
                        "records what its codec's input receives", opt->target.backend->name);
        return CLI_EXIT_USAGE;
    }
    if (!cli_target_codec_check(CMD, &opt->target))
        return CLI_EXIT_USAGE;
    if (opt->out == NULL) {
        cli_usage_error(CMD, "--out FILE.wav is required");
        return CLI_EXIT_USAGE;
    }
    if (llround(opt->seconds * CAP_RATE) < 1) {
        cli_usage_error(CMD, "--seconds: %g s is less than one frame", opt->seconds);
        return CLI_EXIT_USAGE;
    }
    return CLI_EXIT_OK;
}

/* ---- State ------------------------------------------------------------------------------- */

struct cap_irq {
    atomic_uint bcis;
    atomic_uint fifoe;
    atomic_uint dese;
    atomic_uint calls;
};

static void cap_bdl_isr(void *context, uint32_t mask)
{
    struct cap_irq *irq = context;
    atomic_fetch_add(&irq->calls, 1u);
    if (mask & HDABDL_ISR_BCIS)
        atomic_fetch_add(&irq->bcis, 1u);
    if (mask & HDABDL_ISR_FIFOE)
        atomic_fetch_add(&irq->fifoe, 1u);
    if (mask & HDABDL_ISR_DESE)
        atomic_fetch_add(&irq->dese, 1u);
}

struct capture {
    struct capture_options opt;
    struct cli_session sess;
    hdabdl_client *client;
    hdabdl_handle handle;
    bool have_engine, have_buffer, path_programmed, interrupted;
    enum hdabdl_stream_state state;
    unsigned char *data;
    uint64_t data_bus;
    uint8_t tag;
    uint32_t fifo_size;
    hdabdl_converter_format converter;
    struct hdabdl_codec_desc desc;
    struct codec_path path;
    uint8_t cad, adc;
    struct cap_irq irq;
    SNDFILE *wav;
    uint64_t frames_wanted, frames_written;
    uint64_t nonzero_frames;
};

static const char *state_name(enum hdabdl_stream_state s)
{
    return s == HDABDL_RESET_STATE ? "RESET" : s == HDABDL_PAUSE_STATE ? "PAUSE" : "RUN";
}

static bool set_state(struct capture *c, enum hdabdl_stream_state state)
{
    char step[64];
    snprintf(step, sizeof(step), "set_dma_engine_state(%s)", state_name(state));
    hdabdl_status status = hdabdl_set_dma_engine_state(c->client, state, 1, &c->handle);
    if (!cli_step(CMD, step, status, NULL))
        return false;
    c->state = state;
    return true;
}

static bool open_all(struct capture *c)
{
    if (!cli_session_open(CMD, &c->opt.target, &c->sess))
        return false;
    const struct cli_backend *be = c->sess.dev.backend;
    if (be->capture_sine != NULL) {
        be->capture_sine(&c->sess.dev, c->opt.hz, c->opt.amplitude);
        printf("mock input: every input converter receives a %.6g Hz sine at %.3g of full scale\n",
               c->opt.hz, c->opt.amplitude);
    }
    unsigned tried = 0;
    if (!cli_find_codec_path(CMD, &c->sess, true, &c->desc, &c->path, &c->cad, &tried)) {
        if (tried > 0)
            cli_error(CMD, "no codec on the link has an input path: nothing can record");
        return false;
    }
    c->adc = c->path.nodes[0];
    return cli_client_open_afg(CMD, c->sess.ctrl, c->cad, c->desc.afg_nid, &c->client);
}

static bool setup_engine(struct capture *c)
{
    const struct hdabdl_stream_format format = {
        .sample_rate = CAP_RATE, .valid_bits_per_sample = CAP_BITS, .container_size = CAP_BITS,
        .number_of_channels = CAP_CHANNELS,
    };
    hdabdl_converter_format converter = 0;
    hdabdl_status status =
        hdabdl_allocate_capture_dma_engine(c->client, c->cad, &format, &c->handle, &converter);
    if (!cli_step(CMD, "allocate_capture_dma_engine", status, "codec %u, handle %p, converter format 0x%04x",
                  c->cad, (void *)c->handle, converter))
        return false;
    c->have_engine = true;
    c->state = HDABDL_RESET_STATE;
    c->converter = converter;

    void *data = NULL;
    struct hdabdl_buffer_descriptor *bdl = NULL;
    uint64_t bdl_bus = 0;
    status = hdabdl_allocate_contiguous_dma_buffer(c->client, c->handle, CAP_BUFFER_BYTES, &data,
                                                   &c->data_bus, &bdl, &bdl_bus);
    if (!cli_step(CMD, "allocate_contiguous_dma_buffer", status,
                  "%u bytes at bus 0x%llx, BDL page at bus 0x%llx", CAP_BUFFER_BYTES,
                  (unsigned long long)c->data_bus, (unsigned long long)bdl_bus))
        return false;
    c->have_buffer = true;
    c->data = data;
    for (uint32_t i = 0; i < CAP_FRAGMENTS; i++)
        hdabdl_bdl_write_entry(bdl, i, c->data_bus + (uint64_t)i * CAP_FRAGMENT_BYTES,
                               CAP_FRAGMENT_BYTES, 1);
    printf("BDL written: %u entries of %u bytes (%u ms each), IOC on every entry\n", CAP_FRAGMENTS,
           CAP_FRAGMENT_BYTES, CAP_FRAGMENT_FRAMES * 1000u / CAP_RATE);
    memset(c->data, CAP_PATTERN, CAP_BUFFER_BYTES);

    uint8_t stream_id = 0;
    status = hdabdl_setup_dma_engine_with_bdl(c->client, c->handle, CAP_BUFFER_BYTES, CAP_FRAGMENTS - 1,
                                              cap_bdl_isr, &c->irq, &stream_id, &c->fifo_size);
    if (!cli_step(CMD, "setup_dma_engine_with_bdl", status, "stream tag %u, FIFO %u bytes", stream_id,
                  c->fifo_size))
        return false;
    c->tag = stream_id;
    return true;
}

static bool program_codec(struct capture *c)
{
    struct codec_path_verb list[CAP_MAX_PATH_VERBS];
    size_t n = codec_input_path_program(&c->desc, &c->path, c->converter, c->tag, list, CAP_MAX_PATH_VERBS);
    unsigned unanswered, wrong;
    if (n == 0 || n > CAP_MAX_PATH_VERBS) {
        cli_error(CMD, "the path needs %zu verbs (at most %u)", n, CAP_MAX_PATH_VERBS);
        return false;
    }
    if (!cli_path_send(CMD, c->client, list, n, &c->path_programmed, &unanswered, &wrong))
        return false;
    return cli_step(CMD, "codec_program",
                    unanswered || wrong ? HDABDL_STATUS_IO_DEVICE_ERROR : HDABDL_STATUS_SUCCESS,
                    "codec %u: ADC 0x%02x on stream %u, format 0x%04x; %u unanswered, %u read back wrong",
                    c->cad, c->adc, c->tag, c->converter, unanswered, wrong);
}

static bool release_codec(struct capture *c)
{
    uint32_t verb;
    hdabdl_status status = cli_path_release(c->client, &c->path, &verb);   /* nodes[0]: the ADC */
    c->path_programmed = false;
    return cli_step(CMD, "codec_release", status, "verb 0x%08x: ADC 0x%02x to stream 0",
                    (unsigned)verb, c->adc);
}

/* Take fragment @k (counting from the start) into the WAV file and put the pattern back. */
static bool take_fragment(struct capture *c, unsigned k)
{
    unsigned char *frag = c->data + (size_t)(k % CAP_FRAGMENTS) * CAP_FRAGMENT_BYTES;
    size_t untouched = 0;
    while (untouched < CAP_FRAGMENT_BYTES && frag[untouched] == CAP_PATTERN)
        untouched++;
    if (untouched == CAP_FRAGMENT_BYTES) {
        cli_error(CMD, "fragment %u (BDL entry %u) still holds the fill pattern: the engine never wrote "
                  "it", k, k % CAP_FRAGMENTS);
        return false;
    }
    uint64_t room = c->frames_wanted - c->frames_written;
    uint64_t take = room < CAP_FRAGMENT_FRAMES ? room : CAP_FRAGMENT_FRAMES;
    if (take > 0) {
        for (uint64_t i = 0; i < take; i++)
            if (hdabdl__le16_load(frag + 4 * i) != 0 || hdabdl__le16_load(frag + 4 * i + 2) != 0)
                c->nonzero_frames++;
        /* The engine wrote little-endian samples; libsndfile takes host shorts (the
         * fragment gets the pattern again below). */
        cli_samples16_le_to_host(frag, (size_t)take * 2u);
        sf_count_t wrote = sf_writef_short(c->wav, (const short *)(const void *)frag, (sf_count_t)take);
        if (wrote != (sf_count_t)take) {
            cli_error(CMD, "writing %s: %s", c->opt.out, sf_strerror(c->wav));
            return false;
        }
        c->frames_written += take;
    }
    memset(frag, CAP_PATTERN, CAP_FRAGMENT_BYTES);
    return true;
}

static bool run_engine(struct capture *c)
{
    const volatile uint32_t *lpib = NULL;
    const struct cli_backend *be = c->sess.dev.backend;
    hdabdl_status status = hdabdl_get_link_position_register(c->client, c->handle, &lpib);
    if (!cli_step(CMD, "get_link_position_register", status, NULL))
        return false;
    if (cli_interrupted()) {
        c->interrupted = true;
        return false;
    }
    if (!set_state(c, HDABDL_PAUSE_STATE) || !set_state(c, HDABDL_RUN_STATE))
        return false;

    const uint64_t start = cli_now_ns();
    const uint64_t limit_ns = (uint64_t)(c->opt.seconds * 2e9) + 10 * CAP_SLACK_NS;
    const uint64_t step = be->realtime ? CAP_POLL_NS : CAP_STEP_NS;
    uint64_t elapsed = 0, received = 0, moved_at = start;
    uint32_t last = 0;
    unsigned taken = 0;
    bool ok = true;
    struct cli_progress progress;
    cli_progress_begin(&progress);
    printf("recording %s: each fragment is written out once complete, until %.3f s\n",
           be->realtime ? "in real time" : "in the mock's virtual time",
           (double)c->frames_wanted / CAP_RATE);
    fflush(stdout);
    while (c->frames_written < c->frames_wanted) {
        if (cli_interrupted()) {
            c->interrupted = true;
            ok = false;
            break;
        }
        be->advance(&c->sess.dev, step);
        elapsed += step;
        unsigned fifoe = atomic_load(&c->irq.fifoe), dese = atomic_load(&c->irq.dese);
        if (fifoe != 0 || dese != 0) {
            cli_error(CMD, "the engine reported %u FIFO errors and %u descriptor errors", fifoe, dese);
            ok = false;
            break;
        }
        unsigned done = atomic_load(&c->irq.bcis);
        if (be->realtime) {
            uint32_t pos = *lpib;
            if (pos >= CAP_BUFFER_BYTES) {
                cli_error(CMD, "LPIB reads 0x%08x, outside the %u-byte buffer", (unsigned)pos,
                          CAP_BUFFER_BYTES);
                ok = false;
                break;
            }
            uint32_t delta = (pos + CAP_BUFFER_BYTES - last) % CAP_BUFFER_BYTES;
            if (delta != 0)
                moved_at = cli_now_ns();
            received += delta;
            last = pos;
            unsigned by_pos = received > c->fifo_size
                                  ? (unsigned)((received - c->fifo_size) / CAP_FRAGMENT_BYTES) : 0u;
            if (by_pos > done)
                done = by_pos;
        }
        if (done - taken >= CAP_FRAGMENTS) {
            cli_error(CMD, "overrun: %u fragments completed before they could be taken", done - taken);
            ok = false;
            break;
        }
        for (; taken != done && ok && c->frames_written < c->frames_wanted; taken++)
            ok = take_fragment(c, taken);
        if (!ok)
            break;
        uint64_t now = cli_now_ns();
        if (be->realtime && now - moved_at > CAP_STALL_NS) {
            cli_error(CMD, "the link position stopped at %u (after %llu bytes) for %.1f s: no data "
                      "arrives", (unsigned)last, (unsigned long long)received,
                      (double)(now - moved_at) / 1e9);
            ok = false;
            break;
        }
        uint64_t spent = be->realtime ? now - start : elapsed;
        if (spent > limit_ns) {
            cli_error(CMD, "after %.3f s only %llu of %llu frames were recorded", (double)spent / 1e9,
                      (unsigned long long)c->frames_written, (unsigned long long)c->frames_wanted);
            ok = false;
            break;
        }
        cli_progress_update(&progress, "capture: %.2f / %.2f s  %u fragments  %u interrupts",
                            (double)c->frames_written / CAP_RATE, (double)c->frames_wanted / CAP_RATE,
                            taken, atomic_load(&c->irq.calls));
    }
    cli_progress_end(&progress);
    uint64_t wall = cli_now_ns() - start;
    printf("%s %.3f s (%llu frames, %llu not silent) in %.3f s %s: %u interrupts, %u buffer "
           "completions, %u fragments taken\n", c->interrupted ? "interrupted after" : "recorded",
           (double)c->frames_written / CAP_RATE, (unsigned long long)c->frames_written,
           (unsigned long long)c->nonzero_frames, be->realtime ? (double)wall / 1e9 : (double)elapsed / 1e9,
           be->realtime ? "wall time" : "of device time", atomic_load(&c->irq.calls),
           atomic_load(&c->irq.bcis), taken);
    fflush(stdout);
    return ok;
}

static bool teardown(struct capture *c)
{
    bool ok = true;
    hdabdl_status status;
    if (c->have_engine && c->state == HDABDL_RUN_STATE)
        ok = set_state(c, HDABDL_PAUSE_STATE) && ok;
    if (c->path_programmed)
        ok = release_codec(c) && ok;
    if (c->have_engine && c->state != HDABDL_RESET_STATE)
        ok = set_state(c, HDABDL_RESET_STATE) && ok;
    if (c->have_buffer) {
        status = hdabdl_free_contiguous_dma_buffer(c->client, c->handle);
        ok = cli_step(CMD, "free_contiguous_dma_buffer", status, NULL) && ok;
        c->have_buffer = false;
    }
    if (c->have_engine) {
        status = hdabdl_free_dma_engine(c->client, c->handle);
        ok = cli_step(CMD, "free_dma_engine", status, NULL) && ok;
        c->have_engine = false;
    }
    if (c->client != NULL) {
        hdabdl_client_close(c->client);
        printf("client_close: done\n");
        c->client = NULL;
    }
    ok = cli_session_close(CMD, &c->sess) && ok;
    hdabdl_codec_desc_clear(&c->desc);
    return ok;
}

int cli_capture_run(int argc, char **argv)
{
    struct capture *c = calloc(1, sizeof(*c));
    if (c == NULL) {
        cli_error(CMD, "out of memory");
        return CLI_EXIT_FAILURE;
    }
    atomic_init(&c->irq.bcis, 0u);
    atomic_init(&c->irq.fifoe, 0u);
    atomic_init(&c->irq.dese, 0u);
    atomic_init(&c->irq.calls, 0u);
    bool help = false;
    int rc = parse_options(argc, argv, &c->opt, &help);
    if (rc == CLI_EXIT_OK && help) {
        cli_capture_help(stdout);
        free(c);
        return CLI_EXIT_OK;
    }
    if (rc == CLI_EXIT_OK)
        rc = cli_session_load(CMD, &c->opt.target, &c->sess);
    if (rc != CLI_EXIT_OK) {
        free(c);
        return rc;
    }
    c->frames_wanted = (uint64_t)llround(c->opt.seconds * CAP_RATE);
    SF_INFO info = { .samplerate = (int)CAP_RATE, .channels = (int)CAP_CHANNELS,
                     .format = SF_FORMAT_WAV | SF_FORMAT_PCM_16 };
    c->wav = sf_open(c->opt.out, SFM_WRITE, &info);
    if (c->wav == NULL) {
        cli_error(CMD, "cannot open %s for writing: %s", c->opt.out, sf_strerror(NULL));
        cli_session_close(CMD, &c->sess);   /* the codecs */
        free(c);
        return CLI_EXIT_FAILURE;
    }
    printf("capture: %.6g s (%llu frames) on backend %s%s%s -> %s\n", c->opt.seconds,
           (unsigned long long)c->frames_wanted, c->opt.target.backend->name,
           c->opt.target.device ? " device " : "", c->opt.target.device ? c->opt.target.device : "",
           c->opt.out);
    fflush(stdout);

    bool ok = open_all(c) && setup_engine(c) && program_codec(c) && run_engine(c);
    int fail_rc = c->sess.failure;
    bool teardown_ok = teardown(c);
    ok = teardown_ok && ok;
    if (c->interrupted)
        printf("stopped by %s: engine paused and reset, ADC released, controller and device closed\n",
               cli_signal_name(cli_interrupted()));
    if (sf_close(c->wav) != 0) {
        cli_error(CMD, "closing %s failed", c->opt.out);
        ok = false;
    }
    if (!ok) {
        unlink(c->opt.out);
        cli_error(CMD, "%s; %s not written", c->interrupted ? "interrupted" : "failed", c->opt.out);
    } else {
        printf("wrote %s: %llu frames, %u Hz, %u-bit PCM, %u channels, from ADC 0x%02x of codec %u\n",
               c->opt.out, (unsigned long long)c->frames_written, CAP_RATE, CAP_BITS, CAP_CHANNELS, c->adc,
               c->cad);
    }
    fflush(stdout);
    bool interrupted = c->interrupted;
    free(c);
    if (interrupted)   /* main() turns a clean stop into 128 + the signal */
        return teardown_ok ? CLI_EXIT_OK : CLI_EXIT_FAILURE;
    return ok ? CLI_EXIT_OK : fail_rc;
}
