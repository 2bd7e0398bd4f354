/*
 * hdabdl.c - the hdabdl command-line tool: subcommand table, option parsing,
 * messages.
 *
 *   hdabdl [--help | --version] <command> [options]
 *
 * Exit codes: 0 success, 1 runtime failure, 2 usage error.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hdabdl/version.h"

#include "cli.h"

const char *const cli_program = "hdabdl";

/*
 * The subcommands. Later ones (list, info, codecs, verbs, regs, capture) are
 * one row each here plus their own file.
 */
static const struct cli_command commands[] = {
    { "play", "render a sine through a DMA engine and record what left it on the link",
      cli_play_run, cli_play_help },
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
            "Backends built: %s (the pciaccess backend for real hardware is not written yet).\n"
            "\n"
            "Exit codes:\n"
            "  0  success\n"
            "  1  runtime failure (a DDI routine, the backend or an output file failed)\n"
            "  2  usage error (unknown command or option, missing or bad value)\n",
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
    if (strcmp(first, "--help") == 0 || strcmp(first, "-h") == 0) {
        main_help(stdout);
        return CLI_EXIT_OK;
    }
    if (strcmp(first, "--version") == 0) {
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
    return cmd->run(argc - 1, argv + 1);
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

bool cli_step(const char *command, const char *step, hdabdl_status status, const char *fmt, ...)
{
    printf("%s: %s", step, hdabdl_status_name(status));
    if (fmt != NULL) {
        va_list ap;
        va_start(ap, fmt);
        fputs(" (", stdout);
        vprintf(fmt, ap);
        fputc(')', stdout);
        va_end(ap);
    }
    fputc('\n', stdout);
    fflush(stdout);
    if (HDABDL_NT_SUCCESS(status))
        return true;
    cli_error(command, "%s failed: %s (0x%08X: %s)", step, hdabdl_status_name(status),
              (unsigned)status, hdabdl_status_message(status));
    return false;
}

/* ---- Option parsing -------------------------------------------------------------- */

int cli_next_option(const char *command, const struct cli_option *options, size_t count,
                    int argc, char **argv, int *index, const char **value)
{
    *value = NULL;
    if (*index >= argc)
        return CLI_OPT_END;

    const char *arg = argv[(*index)++];
    if (arg[0] != '-' || arg[1] == '\0') {
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
