/* SPDX-License-Identifier: MIT */
/*
 * cli.h - what the hdabdl command-line tool's files share.
 *
 * The tool is a table of subcommands (hdabdl.c) and a table of backends
 * (backend.c). A new subcommand is one more file with a run function and a
 * help text, and one more row in the command table; a new backend is one more
 * row in the backend table.
 */
#ifndef HDABDL_TOOLS_CLI_H
#define HDABDL_TOOLS_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "hdabdl/hdabdl.h"

/* Samples in DMA buffers and in the mock's converter rings are little-endian,
 * as on the HDA link, whatever the host: the tool converts with these. */
#include "byteorder.h"

/* Exit codes, documented in `hdabdl --help` and the README. */
#define CLI_EXIT_OK          0   /* success */
#define CLI_EXIT_FAILURE     1   /* runtime failure: a DDI routine, the backend or a file failed */
#define CLI_EXIT_USAGE       2   /* usage error: unknown command or option, bad value */
#define CLI_EXIT_UNAVAILABLE 3   /* the device cannot be opened: absent, not bound to the mode's
                                    driver, held by another driver, busy, no permission */
#define CLI_EXIT_SIGNAL_BASE 128 /* + signal number: stopped by SIGINT/SIGTERM/SIGHUP after a
                                    clean teardown (130 for Ctrl-C, 143 for SIGTERM) */

#if defined(__GNUC__) || defined(__clang__)
#define CLI_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define CLI_PRINTF(fmt, args)
#endif

/* Turn @count little-endian 16-bit samples at @buf into host order in place
 * (for libsndfile's short I/O); the same call turns host order back. */
static inline void cli_samples16_le_to_host(void *buf, size_t count)
{
    unsigned char *p = buf;
    for (size_t i = 0; i < count; i++, p += 2) {
        uint16_t v = hdabdl__le16_load(p);
        memcpy(p, &v, sizeof(v));
    }
}

/* ---- Subcommands -------------------------------------------------------- */

struct cli_command {
    const char *name;
    const char *summary;          /* one line for `hdabdl --help` */
    /* argv[0] is the command name; returns a CLI_EXIT_* code. */
    int (*run)(int argc, char **argv);
    void (*help)(FILE *out);
};

int cli_play_run(int argc, char **argv);
void cli_play_help(FILE *out);
int cli_codecs_run(int argc, char **argv);
void cli_codecs_help(FILE *out);
int cli_verbs_run(int argc, char **argv);
void cli_verbs_help(FILE *out);
int cli_list_run(int argc, char **argv);
void cli_list_help(FILE *out);
int cli_info_run(int argc, char **argv);
void cli_info_help(FILE *out);
int cli_regs_run(int argc, char **argv);
void cli_regs_help(FILE *out);
int cli_capture_run(int argc, char **argv);
void cli_capture_help(FILE *out);

/* ---- Option parsing ------------------------------------------------------ */

struct cli_option {
    const char *name;     /* "--sine"; "-h" style short aliases go in alias */
    const char *alias;    /* or NULL */
    bool has_value;
};

enum { CLI_OPT_END = -1, CLI_OPT_ERROR = -2, CLI_OPT_POSITIONAL = -3 };

/**
 * cli_next_option - the next option of @argv (from *@index, starting at 1).
 * Accepts "--name value" and "--name=value". Returns the option's index in
 * @options and sets *@value (NULL for options without a value), CLI_OPT_END
 * when the arguments are used up, or CLI_OPT_ERROR after printing a usage
 * error (unknown option, missing value, stray argument).
 */
int cli_next_option(const char *command, const struct cli_option *options, size_t count,
                    int argc, char **argv, int *index, const char **value);

/** cli_next_arg - as cli_next_option(), but an argument that is not an option
 *  is returned as CLI_OPT_POSITIONAL with *@value set to it. */
int cli_next_arg(const char *command, const struct cli_option *options, size_t count, int argc,
                 char **argv, int *index, const char **value);

/** cli_parse_double - @text as a finite number in (@min, @max]; else a usage error, false. */
bool cli_parse_double(const char *command, const char *option, const char *text, double min,
                      double max, double *out);

/**
 * cli_parse_uint - @text as an integer in [@min, @max], decimal or hex with 0x;
 * else a usage error naming @what, false.
 */
bool cli_parse_uint(const char *command, const char *what, const char *text, unsigned long min,
                    unsigned long max, unsigned long *out);

/** cli_parse_file_name - @text as the file name of @option: not empty; else a usage error, false. */
bool cli_parse_file_name(const char *command, const char *option, const char *text, const char **out);

/**
 * --sine HZ and --amplitude A of play and capture: a frequency above 0 and
 * below 24000 Hz (half of the 48 kHz both run at), a peak above 0 and at most
 * 1 (of full scale); else a usage error, false.
 */
bool cli_parse_sine(const char *command, const char *text, double *hz);
bool cli_parse_amplitude(const char *command, const char *text, double *amplitude);

/* ---- Messages -------------------------------------------------------------- */

/** "hdabdl <command>: <message>" and a pointer to --help, on stderr. */
void cli_usage_error(const char *command, const char *fmt, ...) CLI_PRINTF(2, 3);

/** "hdabdl <command>: <message>" on stderr. */
void cli_error(const char *command, const char *fmt, ...) CLI_PRINTF(2, 3);

/**
 * cli_step - report one DDI step on the step stream: "<step>: STATUS_X (<details>)";
 * @fmt may be NULL for no details. A failing status is also reported on
 * stderr with its message. Returns HDABDL_NT_SUCCESS(@status).
 */
bool cli_step(const char *command, const char *step, hdabdl_status status, const char *fmt, ...)
    CLI_PRINTF(4, 5);

/** cli_note - one line on the step stream (nothing when steps are off). */
void cli_note(const char *fmt, ...) CLI_PRINTF(1, 2);

/**
 * cli_set_step_stream - where cli_step() and cli_note() write: stdout (the
 * default), stderr (commands whose stdout is data), or NULL (quiet; failures
 * still reach stderr).
 */
void cli_set_step_stream(FILE *stream);

/* ---- Backends ---------------------------------------------------------------- */

struct hdabdl_mock_hal;
struct hdabdl_codec;
struct hdabdl_codec_desc;
struct codec_path;

#define CLI_CODEC_ADDRESSES 15   /* codec addresses 0..14 */

/*
 * Where a command runs: the options every device command takes.
 *   --backend NAME   mock (default) or pciaccess
 *   --device BDF     a real controller (implies --backend pciaccess)
 *   --mode vfio|uio  how to reach it (default vfio; implies pciaccess)
 *   --allow-uio      the explicit opt-in --mode uio needs (no IOMMU protection)
 * and the codecs of the commands that take a codec file (codecs, verbs, play,
 * capture):
 *   --codec-file FILE  the codecs to put on the mock's link
 *   --codec N          only the N-th codec of FILE
 *   --strict           a FILE that ends early (cut off) is refused, not a warning
 * Commands put these four rows first in their option tables
 * (CLI_TARGET_OPTION_ROWS), followed by the three codec rows
 * (CLI_CODEC_OPTION_ROWS) where they take a codec file, so option indexes
 * below CLI_TARGET_OPTIONS (or CLI_CODEC_OPTIONS) are handed to
 * cli_target_option().
 */
struct cli_target {
    const char *backend_name;   /* --backend, or NULL */
    const char *device;         /* --device, or NULL */
    const char *mode;           /* --mode, or NULL */
    bool allow_uio;
    const char *codec_file;     /* --codec-file, or NULL */
    unsigned long codec_index;  /* --codec, or 0 */
    bool strict;                /* --strict */
    const struct cli_backend *backend;   /* set by cli_target_resolve() */
    bool uio;                            /* --mode uio (resolved) */
};

enum { CLI_OPT_BACKEND, CLI_OPT_DEVICE, CLI_OPT_MODE, CLI_OPT_ALLOW_UIO, CLI_TARGET_OPTIONS,
       CLI_OPT_CODEC_FILE = CLI_TARGET_OPTIONS, CLI_OPT_CODEC, CLI_OPT_STRICT, CLI_CODEC_OPTIONS };

#define CLI_TARGET_OPTION_ROWS                                                              \
    [CLI_OPT_BACKEND] = { "--backend", NULL, true }, [CLI_OPT_DEVICE] = { "--device", "-d", true }, \
    [CLI_OPT_MODE] = { "--mode", NULL, true }, [CLI_OPT_ALLOW_UIO] = { "--allow-uio", NULL, false }

#define CLI_CODEC_OPTION_ROWS                                                               \
    [CLI_OPT_CODEC_FILE] = { "--codec-file", NULL, true }, [CLI_OPT_CODEC] = { "--codec", NULL, true }, \
    [CLI_OPT_STRICT] = { "--strict", NULL, false }

/**
 * Store option @which (< CLI_CODEC_OPTIONS, or < CLI_TARGET_OPTIONS for a
 * table without the codec rows) with @value. False after a usage error: an
 * empty --codec-file, a --codec that is not 1..64.
 */
bool cli_target_option(const char *command, struct cli_target *target, int which, const char *value);

/**
 * cli_target_resolve - pick the backend: --backend, else pciaccess when
 * --device or --mode was given, else mock. Usage errors (exit 2): an unknown
 * or unbuilt backend, --device/--mode/--allow-uio on the mock, a mode other
 * than vfio or uio, uio without --allow-uio. Returns a CLI_EXIT_* code.
 */
int cli_target_resolve(const char *command, struct cli_target *target);

/** False after the usage error for --codec N or --strict without --codec-file. */
bool cli_target_codec_check(const char *command, const struct cli_target *target);

/** Help text lines for the four options (indented by two, 19-column names). */
void cli_target_help(FILE *out);

/** An opened backend: the HAL to hand to hdabdl_controller_open() and its extras. */
struct cli_device {
    const struct cli_backend *backend;
    const struct hdabdl_hal_ops *ops;
    void *hal_ctx;
    struct hdabdl_mock_hal *mock;   /* mock backend only */
    /* mock backend: the codec model at each address (owned by the HAL), or NULL */
    struct hdabdl_codec *codecs[CLI_CODEC_ADDRESSES];
    void *real;                     /* pciaccess backend: its hdabdl_pci handle */
    bool poll_irq;                  /* the backend delivers no interrupts: advance() polls */
    hdabdl_controller *ctrl;        /* once the controller is open (cli_session_open) */
    bool unavailable;               /* open failed because the device cannot be used (exit 3) */
};

/** What a backend can tell about the device it opened (info, list). */
struct cli_device_facts {
    char backend[16];        /* "mock", "pciaccess" */
    char device[32];         /* "0000:00:1b.0", or "mock" */
    char driver[64];         /* "vfio-pci", "uio_pci_generic", "" */
    char mode[16];           /* "vfio", "uio", "virtual" */
    char irq[16];            /* "msi", "intx", "poll", "none", "virtual" */
    int iommu_group;         /* -1: none or not applicable */
    uint64_t dma_limit;      /* bus addresses of DMA memory end below this (0: unknown) */
    unsigned iova_ranges;    /* vfio: usable IOVA ranges; else 0 */
    uint64_t interrupts;     /* interrupt events received so far */
    bool have_ids;
    struct hdabdl_pci_ids ids;
};

/** Codecs to put on the link of a backend that can take them (the mock). */
struct cli_codec_set {
    const char *path;                     /* file they came from, or NULL: the default codec */
    struct hdabdl_codec_desc *all;        /* every codec of the file (owned) */
    size_t count_all;
    const struct hdabdl_codec_desc *use[CLI_CODEC_ADDRESSES];   /* chosen, by address */
    unsigned count_used;
};

struct cli_backend {
    const char *name;
    const char *description;
    /*
     * Create the HAL; reports its own steps. @codecs (NULL or empty: the
     * backend's own) are put on the link where the backend can do that
     * (can_load_codecs). Sets dev->unavailable when the device itself cannot
     * be used (not found, wrong binding, busy, no permission). Returns an
     * hdabdl status.
     */
    hdabdl_status (*open)(const char *command, const struct cli_target *target,
                          const struct cli_codec_set *codecs, struct cli_device *dev);
    /* Destroy the HAL; false if it saw a problem (leaks, illegal accesses), reported. */
    bool (*close)(const char *command, struct cli_device *dev);
    /**
     * Let @ns nanoseconds of device time pass. The mock advances its virtual
     * time (delivering interrupts between frames); a real backend sleeps
     * (and polls the controller's interrupt if it delivers none).
     */
    void (*advance)(struct cli_device *dev, uint64_t ns);
    /**
     * Render data that left the engine with stream tag @tag, if the backend
     * can observe the link (the mock's link tap); NULL otherwise.
     */
    size_t (*link_tap_read)(struct cli_device *dev, uint8_t tag, void *buf, size_t len);
    uint64_t (*link_tap_dropped)(struct cli_device *dev, uint8_t tag);
    /*
     * What reached Audio Output converter @nid of the codec at @cad, if the
     * backend can observe it (the mock's codec models); NULL otherwise.
     */
    size_t (*converter_read)(struct cli_device *dev, uint8_t cad, uint8_t nid, void *buf, size_t len);
    uint64_t (*converter_dropped)(struct cli_device *dev, uint8_t cad, uint8_t nid);
    /* Facts about the opened device (never NULL). */
    void (*facts)(struct cli_device *dev, struct cli_device_facts *out);
    /*
     * Feed the capture side: every input converter of the mock's codecs gets
     * a sine of @hz at @amplitude (of full scale). NULL for real hardware
     * (the codec's inputs are whatever is plugged in).
     */
    void (*capture_sine)(struct cli_device *dev, double hz, double amplitude);
    bool can_load_codecs;   /* --codec-file works (codecs are models, not chips) */
    bool realtime;          /* device time is wall-clock time (advance() sleeps) */
};

/** The backend called @name, or NULL after a usage error naming the ones built. */
const struct cli_backend *cli_backend_find(const char *command, const char *name);

/** Names of the backends built, "mock" or "mock, pciaccess", for help texts. */
const char *cli_backend_names(void);

/** A backend with the controller opened on it, and the codecs put on its link. */
struct cli_session {
    struct cli_codec_set codecs;   /* of --codec-file (empty: the backend's own) */
    struct cli_device dev;
    hdabdl_controller *ctrl;       /* NULL until the controller is open */
    struct hdabdl_controller_info info;
    int failure;   /* exit code of a failure: a failed load's (1, 2) or open's (3: device
                      unavailable, else 1); 1 for anything after */
};

/**
 * cli_session_load - clear @s and read the codecs of @target's --codec-file
 * (none: the backend's default) into it. --codec N takes only the N-th codec
 * of the file (counting from 1). When two codecs of the file sit at one
 * address, the first is used and a note says so on stderr. A file that ends
 * early (cut off: see hdabdl_codec_parse_ex()) gives one "FILE:LINE: warning:"
 * line on stderr per warning, or with --strict is refused. Returns a
 * CLI_EXIT_* code (1: the file cannot be read or parsed, is not a codec dump,
 * or ends early with --strict; 2: --codec is past the end, or the backend
 * cannot take codec files), also kept in s->failure.
 */
int cli_session_load(const char *command, const struct cli_target *target, struct cli_session *s);

/**
 * cli_session_open - open @target's backend with the codecs loaded into @s
 * (cli_session_load), the controller on it, and read its information; every
 * step is reported. On failure what was opened stays in @s for
 * cli_session_close(); returns false.
 */
bool cli_session_open(const char *command, const struct cli_target *target, struct cli_session *s);

/**
 * cli_session_close - close the controller and the backend, and free the
 * codecs; false if the backend saw a problem (reported).
 */
bool cli_session_close(const char *command, struct cli_session *s);

/**
 * cli_session_start - cli_session_load() and cli_session_open(); without
 * @controller only the backend (the HAL) is opened, not the controller (regs
 * reads the registers as they are). False on failure, with s->failure set.
 * End with cli_session_finish().
 */
bool cli_session_start(const char *command, const struct cli_target *target, bool controller,
                       struct cli_session *s);

/**
 * cli_session_finish - cli_session_close(); the command's exit code: 0 when
 * @ok and the close saw no problem, else s->failure.
 */
int cli_session_finish(const char *command, struct cli_session *s, bool ok);

/**
 * cli_find_codec_path - the codec play (@input false: an output path) or
 * capture (@input true: an input path) uses. The codecs of @s's codec mask
 * are read through verbs in address order (a client on the root node of
 * each) until one has such a path; it is printed ("codec N output path:
 * ...") and @desc (cleared first), @path and *@cad describe it. A codec
 * without one is reported on stderr, and so is an empty codec mask.
 * *@tried counts the codecs read. Returns true when a codec was found.
 */
bool cli_find_codec_path(const char *command, const struct cli_session *s, bool input,
                         struct hdabdl_codec_desc *desc, struct codec_path *path, uint8_t *cad,
                         unsigned *tried);

/**
 * cli_client_open_afg - open @client on the audio function group (node @afg)
 * of the codec at @cad, reporting the step; on failure *@client is NULL.
 */
bool cli_client_open_afg(const char *command, hdabdl_controller *ctrl, uint8_t cad, uint8_t afg,
                         hdabdl_client **client);

extern const char *const cli_program;   /* "hdabdl" */

/* ---- Signals ------------------------------------------------------------------ */

/**
 * cli_signals_install - SIGINT, SIGTERM and SIGHUP set a flag that the
 * long-running loops (play, capture) check; they then leave through their
 * normal teardown (engine paused and reset, codec released, controller
 * closed, device closed), and the tool exits with 128 + the signal number.
 * A second signal while that teardown runs (at least a second after the
 * first: one signal often arrives twice at once) calls the emergency stop (if
 * one is registered: it stops all DMA with async-signal-safe calls only) and
 * exits at once. SIGPIPE is ignored (a closed pipe is a write error, not a crash
 * that skips the teardown).
 */
void cli_signals_install(void);

/** The first signal received (SIGINT, SIGTERM, SIGHUP), or 0. */
int cli_interrupted(void);

/** The emergency stop for a second signal (NULL: none); async-signal-safe @fn only. */
void cli_set_emergency_stop(void (*fn)(void *arg), void *arg);

/** "SIGINT", "SIGTERM", ... for messages. */
const char *cli_signal_name(int sig);

/* ---- Progress ------------------------------------------------------------------- */

/**
 * A one-line progress display on stderr, rewritten in place at most ten
 * times a second, and only when stderr is a terminal (so logs and tests see
 * none of it). cli_progress_end() finishes the line.
 */
struct cli_progress {
    bool on;
    bool shown;
    uint64_t last_ns;
};
void cli_progress_begin(struct cli_progress *p);
void cli_progress_update(struct cli_progress *p, const char *fmt, ...) CLI_PRINTF(2, 3);
void cli_progress_end(struct cli_progress *p);

/** Monotonic clock in nanoseconds. */
uint64_t cli_now_ns(void);

struct codec_path_verb;

/**
 * cli_path_send - send a codec path's verbs in one transfer and print each
 * with its result (answered, read back as set or not). @programmed tells
 * whether the transfer itself went through (the caller must release the path
 * then); @unanswered and @wrong count what failed. False if the transfer
 * failed (reported).
 */
bool cli_path_send(const char *command, hdabdl_client *client, const struct codec_path_verb *list,
                   size_t n, bool *programmed, unsigned *unanswered, unsigned *wrong);

/** cli_path_release - the verb that takes the path's converter off its stream,
 *  sent; its status (IO_TIMEOUT when unanswered) and the verb in @verb. */
hdabdl_status cli_path_release(hdabdl_client *client, const struct codec_path *path, uint32_t *verb);

/** Sleep @ns nanoseconds (returns early when a signal arrives). */
void cli_sleep_ns(uint64_t ns);

#endif /* HDABDL_TOOLS_CLI_H */
