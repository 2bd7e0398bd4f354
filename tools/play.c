/*
 * play.c - `hdabdl play`: render a sine through one DMA engine and record it.
 *
 *   hdabdl play [--backend mock] [--sine HZ] [--seconds N] [--amplitude A] --out FILE.wav
 *
 * The DDI sequence a function driver would use: open the controller and a
 * client, allocate a render engine (48 kHz, 16-bit, stereo), allocate its
 * contiguous buffer and BDL page, write a BDL of 4 fragments of 100 ms with
 * IOC on each, set the engine up with a BDL ISR, fill the buffer, PAUSE, RUN; then,
 * while the engine plays, refill each fragment after its buffer-completion
 * interrupt (double buffering); finally PAUSE, RESET, free buffer and engine,
 * close client and controller.
 *
 * The mock's BCIS fires when a fragment's last byte has been fetched, so the
 * fragment may be rewritten at once; the engine comes back to it 300 ms later.
 * The ISR runs at interrupt time and only counts; the refill happens in the
 * main loop between 1 ms steps of (virtual) time, far inside that margin.
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

#define PLAY_RATE            48000u
#define PLAY_CHANNELS        2u
#define PLAY_BITS            16u
#define PLAY_FRAME_BYTES     (PLAY_CHANNELS * (PLAY_BITS / 8u))    /* 4 */
#define PLAY_FRAGMENTS       4u
#define PLAY_FRAGMENT_FRAMES 4800u                                 /* 100 ms */
#define PLAY_FRAGMENT_BYTES  (PLAY_FRAGMENT_FRAMES * PLAY_FRAME_BYTES)   /* 19200 */
#define PLAY_BUFFER_BYTES    (PLAY_FRAGMENTS * PLAY_FRAGMENT_BYTES)      /* 76800 */
#define PLAY_STEP_NS         1000000ull                            /* 1 ms per time step */
#define PLAY_SLACK_NS        1000000000ull                         /* start-up allowance */
#define PLAY_CODEC           0u
#define PLAY_FUNCTION_NODE   1u
#define PLAY_PI              3.14159265358979323846

static const char *const CMD = "play";

void cli_play_help(FILE *out)
{
    fprintf(out,
            "Usage: hdabdl play [--backend NAME] [--sine HZ] [--seconds N] [--amplitude A]\n"
            "                   --out FILE.wav\n"
            "\n"
            "Open the controller and a client (codec 0, function group node 1), allocate a\n"
            "render DMA engine for 48 kHz 16-bit stereo, give it a BDL of 4 fragments of\n"
            "100 ms with an interrupt on each, fill the buffer with a sine and refill every\n"
            "fragment after its buffer-completion interrupt, run the engine for N seconds,\n"
            "and write the data that left the engine on the link to FILE.wav (48 kHz,\n"
            "16-bit PCM, stereo). Every DDI step is printed with its status.\n"
            "\n"
            "Options:\n"
            "  --backend NAME   backend to run on (default: mock; built: %s)\n"
            "  --sine HZ        sine frequency, above 0 and below 24000 (default: 1000)\n"
            "  --seconds N      seconds of audio to record, above 0, at most 3600 (default: 1)\n"
            "  --amplitude A    peak level as a fraction of full scale, above 0, at most 1\n"
            "                   (default: 0.5)\n"
            "  --out FILE       WAV file to write (required)\n"
            "  -h, --help       show this help\n"
            "\n"
            "Exit codes: 0 success, 1 runtime failure, 2 usage error.\n",
            cli_backend_names());
}

/* ---- Options --------------------------------------------------------------------- */

struct play_options {
    const struct cli_backend *backend;
    double hz;
    double seconds;
    double amplitude;
    const char *out;
};

enum { OPT_BACKEND, OPT_SINE, OPT_SECONDS, OPT_AMPLITUDE, OPT_OUT, OPT_HELP };

static const struct cli_option play_option_table[] = {
    [OPT_BACKEND] = { "--backend", NULL, true },
    [OPT_SINE] = { "--sine", NULL, true },
    [OPT_SECONDS] = { "--seconds", NULL, true },
    [OPT_AMPLITUDE] = { "--amplitude", NULL, true },
    [OPT_OUT] = { "--out", NULL, true },
    [OPT_HELP] = { "--help", "-h", false },
};

/* CLI_EXIT_OK to go on, else the exit code (help shown, or a usage error). */
static int parse_options(int argc, char **argv, struct play_options *opt, bool *help)
{
    const char *backend = "mock";
    opt->hz = 1000.0;
    opt->seconds = 1.0;
    opt->amplitude = 0.5;
    opt->out = NULL;
    *help = false;

    int index = 1;
    for (;;) {
        const char *value = NULL;
        int which = cli_next_option(CMD, play_option_table,
                                    sizeof(play_option_table) / sizeof(play_option_table[0]),
                                    argc, argv, &index, &value);
        if (which == CLI_OPT_END)
            break;
        switch (which) {
        case OPT_BACKEND:
            backend = value;
            break;
        case OPT_SINE:
            if (!cli_parse_double(CMD, "--sine", value, 0.0, 1e9, &opt->hz))
                return CLI_EXIT_USAGE;
            if (opt->hz >= PLAY_RATE / 2.0) {
                cli_usage_error(CMD, "--sine: %s Hz is not below 24000 Hz (half of 48 kHz)", value);
                return CLI_EXIT_USAGE;
            }
            break;
        case OPT_SECONDS:
            if (!cli_parse_double(CMD, "--seconds", value, 0.0, 3600.0, &opt->seconds))
                return CLI_EXIT_USAGE;
            break;
        case OPT_AMPLITUDE:
            if (!cli_parse_double(CMD, "--amplitude", value, 0.0, 1.0, &opt->amplitude))
                return CLI_EXIT_USAGE;
            break;
        case OPT_OUT:
            if (value[0] == '\0') {
                cli_usage_error(CMD, "--out: empty file name");
                return CLI_EXIT_USAGE;
            }
            opt->out = value;
            break;
        case OPT_HELP:
            *help = true;
            return CLI_EXIT_OK;
        default: /* CLI_OPT_ERROR, already reported */
            return CLI_EXIT_USAGE;
        }
    }

    opt->backend = cli_backend_find(CMD, backend);
    if (opt->backend == NULL)
        return CLI_EXIT_USAGE;
    if (opt->backend->link_tap_read == NULL) {
        cli_usage_error(CMD, "backend '%s' cannot observe the link; play needs one that can",
                        backend);
        return CLI_EXIT_USAGE;
    }
    if (opt->out == NULL) {
        cli_usage_error(CMD, "--out FILE.wav is required");
        return CLI_EXIT_USAGE;
    }
    if (llround(opt->seconds * PLAY_RATE) < 1) {
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
            memcpy(p, &sample, sizeof(sample));   /* the buffer is little-endian, as the host */
    }
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

struct play {
    struct play_options opt;
    struct cli_device dev;
    hdabdl_controller *ctrl;
    hdabdl_client *client;
    hdabdl_handle handle;
    bool have_engine;
    bool have_buffer;
    enum hdabdl_stream_state state;
    unsigned char *data;
    uint64_t data_bus;
    uint8_t tag;
    struct play_irq irq;
    struct sine sine;
    SNDFILE *wav;
    unsigned char tap_buf[PLAY_FRAGMENT_BYTES + PLAY_FRAME_BYTES];
    size_t tap_held;      /* bytes of a partial frame kept from the last tap read */
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
    hdabdl_status status = p->opt.backend->open(CMD, &p->dev);
    if (!HDABDL_NT_SUCCESS(status))
        return false;
    p->dev.backend = p->opt.backend;

    status = hdabdl_controller_open(p->dev.ops, p->dev.hal_ctx, NULL, &p->ctrl);
    if (!cli_step(CMD, "controller_open", status, "backend %s", p->opt.backend->name)) {
        p->ctrl = NULL;
        return false;
    }

    struct hdabdl_controller_info info;
    status = hdabdl_controller_get_info(p->ctrl, &info);
    if (!cli_step(CMD, "controller_get_info", status,
                  "HDA %u.%u, GCAP 0x%04x, %u in / %u out / %u bidir engines, %u SDO, codecs 0x%04x",
                  info.version_major, info.version_minor, info.gcap, info.input_streams,
                  info.output_streams, info.bidir_streams, info.sdo_lines, info.codec_mask))
        return false;

    status = hdabdl_client_open(p->ctrl, PLAY_CODEC, PLAY_FUNCTION_NODE, &p->client);
    if (!cli_step(CMD, "client_open", status, "codec %u, function group node %u", PLAY_CODEC,
                  PLAY_FUNCTION_NODE)) {
        p->client = NULL;
        return false;
    }
    return true;
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
    for (uint32_t i = 0; i < PLAY_FRAGMENTS; i++) {
        bdl[i].address = p->data_bus + (uint64_t)i * PLAY_FRAGMENT_BYTES;
        bdl[i].length = PLAY_FRAGMENT_BYTES;
        bdl[i].interrupt_on_completion = 1;
    }
    printf("BDL written: %u entries of %u bytes (%u ms each), IOC on every entry\n",
           PLAY_FRAGMENTS, PLAY_FRAGMENT_BYTES, PLAY_FRAGMENT_FRAMES * 1000u / PLAY_RATE);

    /* Fill the whole buffer before the engine starts. */
    p->sine.hz = p->opt.hz;
    p->sine.peak = p->opt.amplitude * 32767.0;
    p->sine.next_frame = 0;
    sine_fill(&p->sine, p->data, PLAY_FRAGMENTS * PLAY_FRAGMENT_FRAMES);

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

/* Write what the link carried, whole frames only, up to frames_wanted. */
static bool drain_tap(struct play *p)
{
    unsigned char *buf = p->tap_buf;
    size_t held = p->tap_held;

    for (;;) {
        size_t n = p->dev.backend->link_tap_read(&p->dev, p->tag, buf + held,
                                                 sizeof(p->tap_buf) - PLAY_FRAME_BYTES);
        if (n == 0) {
            p->tap_held = held;
            return true;
        }
        n += held;
        size_t frames = n / PLAY_FRAME_BYTES;
        uint64_t room = p->frames_wanted - p->frames_written;
        uint64_t take = frames < room ? frames : room;
        if (take > 0) {
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
}

static bool run_engine(struct play *p)
{
    const volatile uint32_t *walclk = NULL;
    const volatile uint32_t *lpib = NULL;
    hdabdl_status status = hdabdl_get_wall_clock_register(p->client, &walclk);
    if (!cli_step(CMD, "get_wall_clock_register", status, NULL))
        return false;
    status = hdabdl_get_link_position_register(p->client, p->handle, &lpib);
    if (!cli_step(CMD, "get_link_position_register", status, NULL))
        return false;
    uint32_t walclk_start = *walclk;

    /* The DDI has no direct Reset -> Run transition: go through Pause. */
    if (!set_state(p, HDABDL_PAUSE_STATE) || !set_state(p, HDABDL_RUN_STATE))
        return false;

    uint64_t limit_ns = (uint64_t)(p->opt.seconds * 1e9) + PLAY_SLACK_NS;
    uint64_t elapsed_ns = 0;
    unsigned refilled = 0;   /* fragment completions already refilled */
    while (p->frames_written < p->frames_wanted) {
        if (elapsed_ns >= limit_ns) {
            cli_error(CMD, "after %.3f s only %llu of %llu frames left the engine",
                      (double)elapsed_ns / 1e9, (unsigned long long)p->frames_written,
                      (unsigned long long)p->frames_wanted);
            return false;
        }
        p->dev.backend->advance(&p->dev, PLAY_STEP_NS);
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
            sine_fill(&p->sine, p->data + (size_t)fragment * PLAY_FRAGMENT_BYTES,
                      PLAY_FRAGMENT_FRAMES);
        }

        if (!drain_tap(p))
            return false;
    }

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
    uint64_t dropped = p->dev.backend->link_tap_dropped(&p->dev, p->tag);
    if (dropped != 0) {
        cli_error(CMD, "the link tap dropped %llu bytes", (unsigned long long)dropped);
        return false;
    }
    return true;
}

/* Undo whatever was done, in reverse order, reporting every step. */
static bool teardown(struct play *p)
{
    bool ok = true;
    hdabdl_status status;

    if (p->have_engine && p->state == HDABDL_RUN_STATE)
        ok = set_state(p, HDABDL_PAUSE_STATE) && ok;
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
    if (p->ctrl != NULL) {
        hdabdl_controller_close(p->ctrl);
        printf("controller_close: done\n");
        p->ctrl = NULL;
    }
    if (p->dev.backend != NULL)
        ok = p->dev.backend->close(CMD, &p->dev) && ok;
    return ok;
}

int cli_play_run(int argc, char **argv)
{
    struct play p;
    memset(&p, 0, sizeof(p));
    atomic_init(&p.irq.bcis, 0u);
    atomic_init(&p.irq.fifoe, 0u);
    atomic_init(&p.irq.dese, 0u);
    atomic_init(&p.irq.calls, 0u);

    bool help = false;
    int rc = parse_options(argc, argv, &p.opt, &help);
    if (rc != CLI_EXIT_OK)
        return rc;
    if (help) {
        cli_play_help(stdout);
        return CLI_EXIT_OK;
    }
    p.frames_wanted = (uint64_t)llround(p.opt.seconds * PLAY_RATE);

    SF_INFO info = {
        .samplerate = (int)PLAY_RATE,
        .channels = (int)PLAY_CHANNELS,
        .format = SF_FORMAT_WAV | SF_FORMAT_PCM_16,
    };
    p.wav = sf_open(p.opt.out, SFM_WRITE, &info);
    if (p.wav == NULL) {
        cli_error(CMD, "cannot open %s for writing: %s", p.opt.out, sf_strerror(NULL));
        return CLI_EXIT_FAILURE;
    }
    printf("play: %.6g Hz sine at %.3g of full scale for %.6g s (%llu frames) on backend %s -> %s\n",
           p.opt.hz, p.opt.amplitude, p.opt.seconds, (unsigned long long)p.frames_wanted,
           p.opt.backend->name, p.opt.out);

    bool ok = open_all(&p) && setup_engine(&p) && run_engine(&p);
    ok = teardown(&p) && ok;

    if (sf_close(p.wav) != 0) {
        cli_error(CMD, "closing %s failed", p.opt.out);
        ok = false;
    }
    if (!ok) {
        unlink(p.opt.out);   /* no half-written file that looks like a result */
        cli_error(CMD, "failed; %s not written", p.opt.out);
        return CLI_EXIT_FAILURE;
    }
    printf("wrote %s: %llu frames, %u Hz, %u-bit PCM, %u channels\n", p.opt.out,
           (unsigned long long)p.frames_written, PLAY_RATE, PLAY_BITS, PLAY_CHANNELS);
    return CLI_EXIT_OK;
}
