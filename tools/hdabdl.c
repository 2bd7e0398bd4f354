/* SPDX-License-Identifier: MIT */
/*
 * hdabdl.c - the hdabdl command-line tool: subcommand table, option parsing,
 * messages.
 *
 *   hdabdl [--help | --version] <command> [options]
 *
 * Exit codes: 0 success, 1 runtime failure, 2 usage error, 3 device
 * unavailable, 128 + N stopped by signal N (after a clean teardown).
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "hdabdl/version.h"

#include "cli.h"

const char *const cli_program = "hdabdl";

/* The subcommands: one row each here plus their own file. */
static const struct cli_command commands[] = {
    { "list", "list the HDA controllers on the PCI bus: IDs, driver, IOMMU group, usable modes",
      cli_list_run, cli_list_help },
    { "info", "open a controller: capabilities (GCAP decoded), version, codecs found",
      cli_info_run, cli_info_help },
    { "regs", "dump every controller register, decoded by name and field",
      cli_regs_run, cli_regs_help },
    { "codecs", "discover the codecs on the link through verbs and print them (proc or JSON)",
      cli_codecs_run, cli_codecs_help },
    { "verbs", "send raw codec verbs and print the responses (like hda-verb)",
      cli_verbs_run, cli_verbs_help },
    { "play", "play a sine or a WAV file through a DMA engine and a codec output path",
      cli_play_run, cli_play_help },
    { "capture", "record from a codec input path through a capture DMA engine into a WAV file",
      cli_capture_run, cli_capture_help },
};

#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void main_help(FILE *out)
{
    fprintf(out,
            "Usage: hdabdl [--help | --version] <command> [options]\n"
            "       hdabdl help <command>\n"
            "\n"
            "Drive an Intel High Definition Audio controller through the hdabdl DDI\n"
            "(the Windows HD Audio bus DDI, BDL flavour).\n"
            "\n"
            "Commands:\n");
    for (size_t i = 0; i < N_COMMANDS; i++)
        fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].summary);
    fprintf(out,
            "\n"
            "Run 'hdabdl <command> --help' for the options of a command.\n"
            "\n"
            "Backends built: %s. Device commands run on the mock unless given\n"
            "--device BDF (or --backend pciaccess): a real controller bound to vfio-pci, or\n"
            "to uio_pci_generic with --mode uio --allow-uio (see 'hdabdl list').\n"
            "\n"
            "Exit codes:\n"
            "  0    success\n"
            "  1    runtime failure (a DDI routine, the backend, a codec, or a file failed;\n"
            "       a check found a difference)\n"
            "  2    usage error (unknown command or option, missing or bad value, a word a\n"
            "       command does not take, a backend that is not built)\n"
            "  3    device unavailable (no such controller, not bound to vfio-pci or\n"
            "       uio_pci_generic, held by another driver, busy, no permission)\n"
            "  128+N  stopped by signal N (130 SIGINT, 143 SIGTERM) after a clean teardown:\n"
            "       no engine running, no DMA\n",
            cli_backend_names());
}

static const struct cli_command *find_command(const char *name)
{
    for (size_t i = 0; i < N_COMMANDS; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        cli_usage_error(NULL, "no command given");
        return CLI_EXIT_USAGE;
    }
    const char *first = argv[1];
    bool main_help_word = strcmp(first, "--help") == 0 || strcmp(first, "-h") == 0;
    if (main_help_word || strcmp(first, "--version") == 0) {
        /* they take nothing after them: an extra word is a mistake, not ignored */
        if (argc > 2) {
            cli_usage_error(NULL, "unexpected argument '%s' after %s (it takes none)", argv[2], first);
            return CLI_EXIT_USAGE;
        }
        if (main_help_word)
            main_help(stdout);
        else
            printf("hdabdl %s (HAL ABI version %d)\n", HDABDL_VERSION_STRING, HDABDL_HAL_ABI_VERSION);
        return CLI_EXIT_OK;
    }
    if (strcmp(first, "help") == 0) {
        if (argc == 2) {
            main_help(stdout);
            return CLI_EXIT_OK;
        }
        const struct cli_command *cmd = find_command(argv[2]);
        if (cmd == NULL) {
            cli_usage_error(NULL, "unknown command '%s'", argv[2]);
            return CLI_EXIT_USAGE;
        }
        if (argc > 3) {
            cli_usage_error(NULL, "unexpected argument '%s' after 'help %s' (it takes one command)",
                            argv[3], argv[2]);
            return CLI_EXIT_USAGE;
        }
        cmd->help(stdout);
        return CLI_EXIT_OK;
    }
    if (first[0] == '-') {
        cli_usage_error(NULL, "unknown option '%s' (options go after the command)", first);
        return CLI_EXIT_USAGE;
    }
    const struct cli_command *cmd = find_command(first);
    if (cmd == NULL) {
        cli_usage_error(NULL, "unknown command '%s'", first);
        return CLI_EXIT_USAGE;
    }
    cli_signals_install();
    int rc = cmd->run(argc - 1, argv + 1);
    int sig = cli_interrupted();
    if (sig != 0) {
        fflush(stdout);
        cli_error(cmd->name, "stopped by %s%s", cli_signal_name(sig),
                  rc == CLI_EXIT_OK ? "" : " (see above)");
        return CLI_EXIT_SIGNAL_BASE + sig;
    }
    return rc;
}

/* ---- Signals ----------------------------------------------------------------- */

static volatile sig_atomic_t signal_seen;
static void (*volatile emergency_fn)(void *);
static void *volatile emergency_arg;

static volatile sig_atomic_t first_signal_s;   /* CLOCK_MONOTONIC seconds of the first signal */

static long monotonic_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);   /* async-signal-safe */
    return (long)ts.tv_sec;
}

static void on_signal(int sig)
{
    if (signal_seen == 0) {
        signal_seen = sig;
        first_signal_s = (sig_atomic_t)monotonic_s();
        return;
    }
    /* The same signal often comes twice at once (timeout(1) sends it to the
     * program and to its process group): only one at least a second later
     * means the user is insisting. */
    if (monotonic_s() - (long)first_signal_s < 2)
        return;
    /* A second signal: the normal teardown is taking too long (or hangs). */
    void (*fn)(void *) = emergency_fn;
    if (fn != NULL)
        fn(emergency_arg);
    static const char msg[] = "hdabdl: second signal: DMA stopped, exiting now\n";
    ssize_t w = write(STDERR_FILENO, msg, sizeof(msg) - 1);
    (void)w;
    _exit(CLI_EXIT_SIGNAL_BASE + sig);
}

void cli_signals_install(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;   /* no SA_RESTART: a sleep ends early and the loop sees the flag */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
}

int cli_interrupted(void)
{
    return (int)signal_seen;
}

void cli_set_emergency_stop(void (*fn)(void *arg), void *arg)
{
    emergency_fn = NULL;
    emergency_arg = arg;
    emergency_fn = fn;
}

const char *cli_signal_name(int sig)
{
    switch (sig) {
    case SIGINT:
        return "SIGINT";
    case SIGTERM:
        return "SIGTERM";
    case SIGHUP:
        return "SIGHUP";
    default:
        return "a signal";
    }
}

/* ---- Time and progress ------------------------------------------------------------ */

uint64_t cli_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void cli_sleep_ns(uint64_t ns)
{
    struct timespec ts = { (time_t)(ns / 1000000000ull), (long)(ns % 1000000000ull) };
    (void)nanosleep(&ts, NULL);   /* EINTR: a signal came; the caller checks the flag */
}

void cli_progress_begin(struct cli_progress *p)
{
    p->on = isatty(STDERR_FILENO) != 0;
    p->shown = false;
    p->last_ns = 0;
}

void cli_progress_update(struct cli_progress *p, const char *fmt, ...)
{
    if (!p->on)
        return;
    uint64_t now = cli_now_ns();
    if (p->shown && now - p->last_ns < 100000000ull)
        return;
    p->last_ns = now;
    p->shown = true;
    char line[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    fprintf(stderr, "\r%-79.79s", line);
    fflush(stderr);
}

void cli_progress_end(struct cli_progress *p)
{
    if (p->on && p->shown) {
        fputc('\n', stderr);
        fflush(stderr);
    }
    p->shown = false;
}

/* ---- Messages --------------------------------------------------------------- */

static void vmessage(const char *command, const char *fmt, va_list ap) CLI_PRINTF(2, 0);

static void vmessage(const char *command, const char *fmt, va_list ap)
{
    if (command != NULL)
        fprintf(stderr, "%s %s: ", cli_program, command);
    else
        fprintf(stderr, "%s: ", cli_program);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void cli_usage_error(const char *command, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage(command, fmt, ap);
    va_end(ap);
    if (command != NULL)
        fprintf(stderr, "Try '%s %s --help'.\n", cli_program, command);
    else
        fprintf(stderr, "Try '%s --help'.\n", cli_program);
}

void cli_error(const char *command, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage(command, fmt, ap);
    va_end(ap);
}

static FILE *step_stream;
static bool step_stream_set;

void cli_set_step_stream(FILE *stream)
{
    step_stream = stream;
    step_stream_set = true;
}

static FILE *steps(void)
{
    return step_stream_set ? step_stream : stdout;
}

void cli_note(const char *fmt, ...)
{
    FILE *out = steps();
    if (out == NULL)
        return;
    va_list ap;
    va_start(ap, fmt);
    vfprintf(out, fmt, ap);
    va_end(ap);
    fputc('\n', out);
    fflush(out);
}

bool cli_step(const char *command, const char *step, hdabdl_status status, const char *fmt, ...)
{
    FILE *out = steps();
    if (out != NULL) {
        fprintf(out, "%s: %s", step, hdabdl_status_name(status));
        if (fmt != NULL) {
            va_list ap;
            va_start(ap, fmt);
            fputs(" (", out);
            vfprintf(out, fmt, ap);
            fputc(')', out);
            va_end(ap);
        }
        fputc('\n', out);
        fflush(out);
    }
    if (HDABDL_NT_SUCCESS(status))
        return true;
    cli_error(command, "%s failed: %s (0x%08X: %s)", step, hdabdl_status_name(status),
              (unsigned)status, hdabdl_status_message(status));
    return false;
}

/* ---- Option parsing -------------------------------------------------------------- */

static int next_option(const char *command, const struct cli_option *options, size_t count,
                       int argc, char **argv, int *index, const char **value, bool positional)
{
    *value = NULL;
    if (*index >= argc)
        return CLI_OPT_END;

    const char *arg = argv[(*index)++];
    if (arg[0] != '-' || arg[1] == '\0') {
        if (positional) {
            *value = arg;
            return CLI_OPT_POSITIONAL;
        }
        cli_usage_error(command, "unexpected argument '%s'", arg);
        return CLI_OPT_ERROR;
    }

    const char *eq = strchr(arg, '=');
    size_t name_len = eq != NULL ? (size_t)(eq - arg) : strlen(arg);
    for (size_t i = 0; i < count; i++) {
        const struct cli_option *opt = &options[i];
        bool match = (strlen(opt->name) == name_len && strncmp(opt->name, arg, name_len) == 0) ||
                     (opt->alias != NULL && strlen(opt->alias) == name_len &&
                      strncmp(opt->alias, arg, name_len) == 0);
        if (!match)
            continue;
        if (!opt->has_value) {
            if (eq != NULL) {
                cli_usage_error(command, "option '%s' takes no value", opt->name);
                return CLI_OPT_ERROR;
            }
            return (int)i;
        }
        if (eq != NULL) {
            *value = eq + 1;
        } else if (*index < argc) {
            *value = argv[(*index)++];
        } else {
            cli_usage_error(command, "%s needs a value", opt->name);
            return CLI_OPT_ERROR;
        }
        return (int)i;
    }
    cli_usage_error(command, "unknown option '%.*s'", (int)name_len, arg);
    return CLI_OPT_ERROR;
}

int cli_next_option(const char *command, const struct cli_option *options, size_t count,
                    int argc, char **argv, int *index, const char **value)
{
    return next_option(command, options, count, argc, argv, index, value, false);
}

int cli_next_arg(const char *command, const struct cli_option *options, size_t count, int argc,
                 char **argv, int *index, const char **value)
{
    return next_option(command, options, count, argc, argv, index, value, true);
}

bool cli_parse_double(const char *command, const char *option, const char *text, double min,
                      double max, double *out)
{
    char *end = NULL;
    errno = 0;
    double v = strtod(text, &end);
    if (end == text || *end != '\0' || errno == ERANGE || !isfinite(v)) {
        cli_usage_error(command, "%s: '%s' is not a number", option, text);
        return false;
    }
    if (!(v > min && v <= max)) {
        cli_usage_error(command, "%s: '%s' is out of range (must be > %g and <= %g)", option, text,
                        min, max);
        return false;
    }
    *out = v;
    return true;
}

bool cli_parse_uint(const char *command, const char *what, const char *text, unsigned long min,
                    unsigned long max, unsigned long *out)
{
    char *end = NULL;
    const char *digits = text;
    int base = 10;
    if (text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
        digits = text + 2;
        base = 16;
    }
    /* strtoul would accept a sign and leading blanks: only digits here. */
    bool ok = digits[0] != '\0';
    for (const char *c = digits; *c != '\0'; c++)
        if (base == 16 ? !isxdigit((unsigned char)*c) : !isdigit((unsigned char)*c))
            ok = false;
    if (!ok) {
        cli_usage_error(command, "%s: '%s' is not a number (decimal, or hex with 0x)", what, text);
        return false;
    }
    errno = 0;
    unsigned long v = strtoul(digits, &end, base);
    if (errno == ERANGE || v < min || v > max) {
        cli_usage_error(command, "%s: '%s' is out of range (0x%lx..0x%lx)", what, text, min, max);
        return false;
    }
    *out = v;
    return true;
}

bool cli_parse_file_name(const char *command, const char *option, const char *text, const char **out)
{
    if (text[0] == '\0') {
        cli_usage_error(command, "%s: empty file name", option);
        return false;
    }
    *out = text;
    return true;
}

bool cli_parse_sine(const char *command, const char *text, double *hz)
{
    if (!cli_parse_double(command, "--sine", text, 0.0, 1e9, hz))
        return false;
    if (*hz >= 48000 / 2.0) {
        cli_usage_error(command, "--sine: %s Hz is not below 24000 Hz (half of 48 kHz)", text);
        return false;
    }
    return true;
}

bool cli_parse_amplitude(const char *command, const char *text, double *amplitude)
{
    return cli_parse_double(command, "--amplitude", text, 0.0, 1.0, amplitude);
}
