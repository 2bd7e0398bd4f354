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

#include "hdabdl/hdabdl.h"

/* Exit codes, documented in `hdabdl --help` and the README. */
#define CLI_EXIT_OK      0   /* success */
#define CLI_EXIT_FAILURE 1   /* runtime failure: a DDI routine, the backend or a file failed */
#define CLI_EXIT_USAGE   2   /* usage error: unknown command or option, bad value */

#if defined(__GNUC__) || defined(__clang__)
#define CLI_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define CLI_PRINTF(fmt, args)
#endif

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

#define CLI_CODEC_ADDRESSES 15   /* codec addresses 0..14 */

/** An opened backend: the HAL to hand to hdabdl_controller_open() and its extras. */
struct cli_device {
    const struct cli_backend *backend;
    const struct hdabdl_hal_ops *ops;
    void *hal_ctx;
    struct hdabdl_mock_hal *mock;   /* mock backend only */
    /* mock backend: the codec model at each address (owned by the HAL), or NULL */
    struct hdabdl_codec *codecs[CLI_CODEC_ADDRESSES];
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
     * (can_load_codecs). Returns an hdabdl status.
     */
    hdabdl_status (*open)(const char *command, const struct cli_codec_set *codecs,
                          struct cli_device *dev);
    /* Destroy the HAL; false if it saw a problem (leaks, illegal accesses), reported. */
    bool (*close)(const char *command, struct cli_device *dev);
    /**
     * Let @ns nanoseconds of device time pass. The mock advances its virtual
     * time (delivering interrupts between frames); a real backend would sleep.
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
    bool can_load_codecs;   /* --codec-file works (codecs are models, not chips) */
};

/** The backend called @name, or NULL after a usage error naming the ones built. */
const struct cli_backend *cli_backend_find(const char *command, const char *name);

/** Names of the backends built, "mock" or "mock, pciaccess", for help texts. */
const char *cli_backend_names(void);

/**
 * cli_codec_set_load - read the codecs of @path (NULL: none, the backend's
 * default) for @backend. @select 0 takes every codec of the file; N takes
 * only the N-th (counting from 1). When two codecs of the file sit at one
 * address, the first is used and a note says so on stderr. Returns a
 * CLI_EXIT_* code (1: the file cannot be read or parsed; 2: @select is past
 * the end, or the backend cannot take codec files).
 */
int cli_codec_set_load(const char *command, const struct cli_backend *backend, const char *path,
                       unsigned long select, struct cli_codec_set *set);
void cli_codec_set_free(struct cli_codec_set *set);

/** A backend with the controller opened on it. */
struct cli_session {
    struct cli_device dev;
    hdabdl_controller *ctrl;
    struct hdabdl_controller_info info;
};

/**
 * cli_session_open - open @backend (with @codecs, may be NULL), the controller
 * on it, and read its information; every step is reported. On failure what
 * was opened stays in @s for cli_session_close(); returns false.
 */
bool cli_session_open(const char *command, const struct cli_backend *backend,
                      const struct cli_codec_set *codecs, struct cli_session *s);

/** Close the controller and the backend; false if the backend saw a problem (reported). */
bool cli_session_close(const char *command, struct cli_session *s);

extern const char *const cli_program;   /* "hdabdl" */

#endif /* HDABDL_TOOLS_CLI_H */
