/* SPDX-License-Identifier: MIT */
/*
 * codecs.c - `hdabdl codecs`: discover the codecs on the link through verbs
 * and print them as Linux's /proc/asound/cardN/codec#M, or as JSON.
 *
 *   hdabdl codecs [--backend mock | --device BDF] [--codec-file FILE [--codec N] [--strict]]
 *                 [--json | --check]
 *
 * Every codec in the controller's codec mask (STATESTS after reset) is read by
 * the walker (codec_walk.c) with verbs only, through a client opened on the
 * codec's root node. With the mock, --codec-file puts the codecs of a dump on
 * the link (each at its dumped address); without it the mock's built-in
 * default codec sits at address 0. On a real controller (--device) the
 * codecs are the chips on its link: the printout loads into the mock with
 * --codec-file (real hardware -> mock round trip).
 *
 * --check compares instead of printing: the printout must read back to what
 * the walk found (hdabdl_codec_parse of hdabdl_codec_desc_to_proc), and that
 * must equal the description the mock codec was built from, on everything
 * verbs can observe (see check_normalize()).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hdabdl/codec.h"

#include "cli.h"
#include "codec_walk.h"

static const char *const CMD = "codecs";

void cli_codecs_help(FILE *out)
{
    fprintf(out,
            "Usage: hdabdl codecs [--backend NAME | --device BDF [--mode M]]\n"
            "                     [--codec-file FILE [--codec N] [--strict]] [--json | --check]\n"
            "                     [--coefs] [--verbose]\n"
            "\n"
            "Open the controller, and for every codec that answered at reset (the codec\n"
            "mask) read the codec through verbs alone, as Linux's hda_proc.c does: root\n"
            "node, function groups, and every widget's capabilities, amps, pin settings,\n"
            "connections, power, converter and GPIO state. Print each codec in the format\n"
            "of /proc/asound/cardN/codec#M (reading the printout again gives the same codec),\n"
            "or, with --json, a JSON array with one object per codec.\n"
            "\n"
            "What verbs cannot tell is left out: the driver's mixer controls and PCM\n"
            "devices, and the codec's marketing name (it prints as Linux names codecs it has\n"
            "no entry for, e.g. \"Realtek ID 269\").\n"
            "\n"
            "On a real controller the printout of its codecs can be given to the mock\n"
            "(--codec-file), which then answers verbs as those codecs do.\n"
            "\n"
            "Options:\n"
            "  --codec-file FILE  mock only: put the codecs of FILE (a /proc codec#N file or\n"
            "                     alsa-info output) on the link, each at its dumped address;\n"
            "                     without it the mock has its default codec at address 0\n"
            "  --codec N          use only the N-th codec of FILE (from 1); without it, of\n"
            "                     two codecs at one address the first is used\n"
            "  --strict           refuse a FILE that ends early (cut off mid-file, mid-node or\n"
            "                     mid-line) instead of warning about it (exit 1)\n"
            "  --json             print a JSON array instead of the proc format\n"
            "  --check            mock only: print no codec, but check that the printout\n"
            "                     reads back to what the walk found and that this equals\n"
            "                     the codec the mock was given, on everything verbs can\n"
            "                     observe\n"
            "  --coefs            also list processing coefficients (like Linux's dump_coef)\n"
            "  -v, --verbose      report every DDI step on stderr\n"
            "  -h, --help         show this help\n");
    cli_target_help(out);
    fprintf(out,
            "\n"
            "Exit codes: 0 success, 1 runtime failure (or --check found a difference),\n"
            "2 usage error, 3 device unavailable, 128+N stopped by signal N.\n");
}

/* ---- Options ------------------------------------------------------------------------- */

struct codecs_options {
    struct cli_target target;   /* with --codec-file, --codec */
    bool json;
    bool check;
    bool coefs;
    bool verbose;
};

enum { OPT_JSON = CLI_CODEC_OPTIONS, OPT_CHECK, OPT_COEFS, OPT_VERBOSE, OPT_HELP };

static const struct cli_option option_table[] = {
    CLI_TARGET_OPTION_ROWS,
    CLI_CODEC_OPTION_ROWS,
    [OPT_JSON] = { "--json", NULL, false },
    [OPT_CHECK] = { "--check", NULL, false },
    [OPT_COEFS] = { "--coefs", NULL, false },
    [OPT_VERBOSE] = { "--verbose", "-v", false },
    [OPT_HELP] = { "--help", "-h", false },
};

static int parse_options(int argc, char **argv, struct codecs_options *opt, bool *help)
{
    memset(opt, 0, sizeof(*opt));
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
        case OPT_JSON:
            opt->json = true;
            break;
        case OPT_CHECK:
            opt->check = true;
            break;
        case OPT_COEFS:
            opt->coefs = true;
            break;
        case OPT_VERBOSE:
            opt->verbose = true;
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
    if (opt->json && opt->check) {
        cli_usage_error(CMD, "--json and --check do not go together");
        return CLI_EXIT_USAGE;
    }
    if (!cli_target_codec_check(CMD, &opt->target))
        return CLI_EXIT_USAGE;
    if (opt->check && !opt->target.backend->can_load_codecs) {
        cli_usage_error(CMD, "--check compares with the codec the mock was given; backend '%s' has none",
                        opt->target.backend->name);
        return CLI_EXIT_USAGE;
    }
    return CLI_EXIT_OK;
}

/* ---- --check ---------------------------------------------------------------------------- */

/*
 * What the walker can be expected to find of a dumped codec: the dump minus
 * what no verb shows, minus what the mock's codec model deliberately does not
 * reproduce, and with the lines an older kernel did not print taken from the
 * walk (they cannot be compared; every line the dump has is).
 *
 * Not shown by verbs:
 *   - the name (the walker prints the vendor ID's generic name);
 *   - "Control:" and "Device:" lines (the driver's mixer controls and PCMs);
 *   - vendor hook lines of Linux drivers (Realtek "Processing Coefficient" /
 *     "Coefficient Index", IDT "Power-Map" / "Analog Loopback"): vendor verbs
 *     the model does not answer;
 *   - coefficient lists when the walk did not dump coefficients;
 *   - "Devices: 0" on pins of a DP-MST driver (a driver flag; verbs report
 *     no device list).
 * Not reproduced by the model:
 *   - converter stream and channel: every converter starts at stream 0,
 *     channel 0 (the HDA reset value), so an input converter also shows its
 *     SDI select, as Linux prints it for channel 0;
 *   - power-state flags (Error, Clock-stop-OK, Setting-reset) and an actual
 *     state other than the deeper of the node's and the AFG's setting;
 *   - the subsystem ID of a codec without function groups (Linux asks the
 *     root node, which the model does not answer for it).
 * Lines of older kernels' proc files: "AFG/MFG Function Id", "State of AFG
 * node" and its power lines, "Default PCM", "Default Amp" caps, "GPIO",
 * "Power states", "IEC Coding Type", "Digital category", "Unsolicited",
 * "Processing caps", ... when a dump lacks a line the walk has, the walk's
 * value is taken. Likewise what older kernels or driver quirks printed
 * differently from current Linux:
 *   - a selected connection ('*') on mixers, power widgets and volume knobs,
 *     or on a single connection (current Linux reads it only for selectors
 *     and pins with more than one connection);
 *   - no '*' at all (very old kernels), or a connection count that is a read
 *     error ("Connection: -22"): the walk's is taken;
 *   - "EAPD" on pins whose caps lack EAPD;
 *   - the number of amp values (Linux prints one per connection for input
 *     amps of non-pins and one otherwise; drivers with pin_amp_workaround or
 *     single_adc_amp print more or fewer): the values both have must match,
 *     the walk's count is taken.
 */
/* The power state the model reports for a dumped one: setting 0..4 (else D0), no flags;
 * actual = the setting for the AFG, the deeper of node and AFG setting for a widget. */
static uint32_t model_power(uint32_t dumped, unsigned afg_setting, bool widget)
{
    uint32_t setting = dumped & 0xFu;
    if (setting > 4)
        setting = 0;
    uint32_t fg = afg_setting > 4 ? 0 : afg_setting;
    uint32_t actual = widget && fg > setting ? fg : setting;
    return setting | actual << 4;
}

/* Amp values: the dump's where it has them, the walk's beyond (and the walk's count). */
static void fill_amp_vals(struct hdabdl_codec_amp *r, const struct hdabdl_codec_amp *w)
{
    if (!w->vals_present)
        return;
    unsigned have = r->vals_present ? r->nvals : 0;
    for (unsigned i = have; i < w->nvals && i < HDABDL_CODEC_MAX_CONN; i++) {
        r->vals[i][0] = w->vals[i][0];
        r->vals[i][1] = w->vals[i][1];
    }
    if (have == 0)
        r->vals_stereo = w->vals_stereo;
    r->vals_present = true;
    r->nvals = w->nvals;
    if (r->nvals == 0)
        r->vals_stereo = false;
}

static void fill_node_lines(struct hdabdl_codec_node *r, const struct hdabdl_codec_node *w)
{
#define TAKE(flag, ...)                                                                        \
    do {                                                                                       \
        if (!r->flag && w->flag) {                                                             \
            r->flag = true;                                                                    \
            __VA_ARGS__;                                                                       \
        }                                                                                      \
    } while (0)
    TAKE(has_pincap, r->pincap = w->pincap);
    TAKE(has_pin_default, r->pin_default = w->pin_default);
    TAKE(has_pinctl, r->pinctl = w->pinctl);
    TAKE(has_eapd, r->eapd = w->eapd);
    TAKE(has_unsol, r->unsol = w->unsol);
    TAKE(has_power_states, r->power_states = w->power_states);
    TAKE(has_power, r->power = w->power);
    TAKE(has_converter, r->conv_stream = w->conv_stream; r->conv_channel = w->conv_channel);
    TAKE(has_sdi_select, r->sdi_select = w->sdi_select);
    TAKE(has_digital, r->digital = (r->digital & ~0x8000FFu) | (w->digital & 0x8000FFu));
    TAKE(has_dig_category, r->digital = (r->digital & ~0x7F00u) | (w->digital & 0x7F00u));
    TAKE(has_iec_coding, r->digital = (r->digital & ~0xF0000u) | (w->digital & 0xF0000u));
    TAKE(has_volknob, r->volknob_cap = w->volknob_cap; r->volknob_ctl = w->volknob_ctl);
    TAKE(has_proc_caps, r->proc_caps = w->proc_caps);
    TAKE(has_conn, r->conn_len = w->conn_len; r->nconn = w->nconn; r->conn_sel = w->conn_sel;
         memcpy(r->conn, w->conn, sizeof(r->conn)));
    TAKE(pcm.present, r->pcm = w->pcm);
    TAKE(amp_in.caps_present, r->amp_in.caps = w->amp_in.caps);
    TAKE(amp_out.caps_present, r->amp_out.caps = w->amp_out.caps);
    if (r->has_conn && w->has_conn && r->conn_len < 0) {
        r->conn_len = w->conn_len;
        r->nconn = w->nconn;
        memcpy(r->conn, w->conn, sizeof(r->conn));
    }
    if (r->has_conn && r->conn_sel < 0 && w->conn_sel >= 0)
        r->conn_sel = w->conn_sel;
    fill_amp_vals(&r->amp_in, &w->amp_in);
    fill_amp_vals(&r->amp_out, &w->amp_out);
#undef TAKE
}

static void check_normalize(struct hdabdl_codec_desc *ref, const struct hdabdl_codec_desc *walked,
                            bool coefs)
{
    memcpy(ref->name, walked->name, sizeof(ref->name));
    ref->has_power_map = false;
    ref->power_map = 0;
    ref->has_analog_loopback = false;
    ref->analog_loopback = 0;
    if (!walked->has_afg_nid && !walked->has_mfg)
        ref->subsystem_id = walked->subsystem_id;

    /* Lines an older kernel did not print. */
    if (!ref->has_afg_fid && walked->has_afg_fid) {
        ref->has_afg_fid = true;
        ref->afg_fid = walked->afg_fid;
    }
    if (!ref->has_mfg_fid && walked->has_mfg_fid) {
        ref->has_mfg_fid = true;
        ref->mfg_fid = walked->mfg_fid;
    }
    if (!ref->has_afg_nid && walked->has_afg_nid) {
        ref->has_afg_nid = true;
        ref->afg_nid = walked->afg_nid;
    }
    if (!ref->has_afg_power_states && walked->has_afg_power_states) {
        ref->has_afg_power_states = true;
        ref->afg_power_states = walked->afg_power_states;
    }
    if (!ref->has_afg_power && walked->has_afg_power) {
        ref->has_afg_power = true;
        ref->afg_power = walked->afg_power;
    }
    if (!ref->default_pcm.present && walked->default_pcm.present)
        ref->default_pcm = walked->default_pcm;
    if (!ref->has_default_amp_in && walked->has_default_amp_in) {
        ref->has_default_amp_in = true;
        ref->default_amp_in = walked->default_amp_in;
    }
    if (!ref->has_default_amp_out && walked->has_default_amp_out) {
        ref->has_default_amp_out = true;
        ref->default_amp_out = walked->default_amp_out;
    }
    if (!ref->has_gpio && walked->has_gpio) {
        ref->has_gpio = true;
        ref->gpio_cap = walked->gpio_cap;
        ref->gpio_lines = walked->gpio_lines;
        ref->gpio_enable = walked->gpio_enable;
        ref->gpio_dir = walked->gpio_dir;
        ref->gpio_wake = walked->gpio_wake;
        ref->gpio_sticky = walked->gpio_sticky;
        ref->gpio_data = walked->gpio_data;
        ref->gpio_unsol = walked->gpio_unsol;
    }
    unsigned afg_setting = ref->afg_power & 0xFu;
    if (ref->has_afg_power)
        ref->afg_power = model_power(ref->afg_power, afg_setting, false);

    for (size_t i = 0; i < ref->nnodes; i++) {
        struct hdabdl_codec_node *n = &ref->nodes[i];
        const struct hdabdl_codec_node *w = hdabdl_codec_desc_node(walked, n->nid);
        n->ncontrols = 0;
        memset(n->controls, 0, sizeof(n->controls));
        n->npcm_devices = 0;
        memset(n->pcm_devices, 0, sizeof(n->pcm_devices));
        n->has_coef_value = false;
        n->coef_value = 0;
        n->has_coef_index = false;
        n->coef_index = 0;
        if (!coefs) {
            n->ncoefs = 0;
            memset(n->coefs, 0, sizeof(n->coefs));
        }
        if (n->has_devices && n->ndevices == 0) {
            n->has_devices = false;
            n->dev_sel = -1;
        }
        if (n->has_converter) {
            n->conv_stream = 0;
            n->conv_channel = 0;
            if (hdabdl_codec_wcaps_type(n->wcaps) == HDABDL_WIDGET_AUDIO_INPUT)
                n->has_sdi_select = true;
        }
        if (n->has_power)
            n->power = model_power(n->power, afg_setting, true);
        unsigned type = hdabdl_codec_wcaps_type(n->wcaps);
        if (type == HDABDL_WIDGET_AUDIO_MIXER || type == HDABDL_WIDGET_POWER ||
            type == HDABDL_WIDGET_VOLUME_KNOB || n->nconn <= 1)
            n->conn_sel = -1;
        if (n->has_eapd && n->has_pincap && !(n->pincap & CW_PINCAP_EAPD)) {
            n->has_eapd = false;
            n->eapd = 0;
        }
        if (w != NULL && w->wcaps == n->wcaps)
            fill_node_lines(n, w);
    }
}

static bool desc_has_coefs(const struct hdabdl_codec_desc *d)
{
    for (size_t i = 0; i < d->nnodes; i++)
        if (d->nodes[i].ncoefs > 0)
            return true;
    return false;
}

/* Both checks for one codec; reports on stdout (result) and stderr (difference). */
static bool check_codec(const struct hdabdl_codec_desc *walked, const struct hdabdl_codec_desc *given,
                        bool coefs, const struct codec_walk_stats *st)
{
    char why[256];
    bool ok = true;

    /* 1. The printout reads back to the walk. */
    size_t len = 0;
    char *text = hdabdl_codec_desc_to_proc(walked, &len);
    if (text == NULL) {
        cli_error(CMD, "out of memory printing codec %u", walked->address);
        return false;
    }
    struct hdabdl_codec_desc *back = NULL;
    size_t count = 0;
    struct hdabdl_codec_parse_error perr;
    memset(&perr, 0, sizeof(perr));
    int rc = hdabdl_codec_parse(text, len, &back, &count, &perr);
    if (rc != 0 || count != 1) {
        cli_error(CMD, "codec %u: the printout does not read back (line %u: %s)", walked->address,
                  perr.line, rc != 0 ? perr.message : "not one codec");
        ok = false;
    } else if (!hdabdl_codec_desc_equal(walked, &back[0], why, sizeof(why))) {
        cli_error(CMD, "codec %u: the printout reads back differently: %s", walked->address, why);
        ok = false;
    }

    /* 2. What was read back equals the codec the mock was given. */
    if (ok) {
        struct hdabdl_codec_desc ref;
        rc = hdabdl_codec_desc_copy(&ref, given);
        if (rc != 0) {
            cli_error(CMD, "codec %u: cannot copy its description", walked->address);
            ok = false;
        } else {
            check_normalize(&ref, walked, coefs);
            if (!hdabdl_codec_desc_equal(&ref, &back[0], why, sizeof(why))) {
                cli_error(CMD, "codec %u: the walk differs from the codec given (given != walked): %s",
                          walked->address, why);
                ok = false;
            }
            hdabdl_codec_desc_clear(&ref);
        }
    }
    printf("codec %u: %s, vendor 0x%08x, %zu nodes, %u verbs in %u transfers (%u unanswered): %s\n",
           walked->address, walked->name, (unsigned)walked->vendor_id, walked->nnodes, st->verbs,
           st->transfers, st->invalid, ok ? "walk == given codec" : "DIFFERENT");
    hdabdl_codec_desc_array_free(back, count);
    free(text);
    return ok;
}

/* ---- The run ---------------------------------------------------------------------------- */

int cli_codecs_run(int argc, char **argv)
{
    struct codecs_options opt;
    bool help = false;
    int rc = parse_options(argc, argv, &opt, &help);
    if (rc != CLI_EXIT_OK)
        return rc;
    if (help) {
        cli_codecs_help(stdout);
        return CLI_EXIT_OK;
    }

    cli_set_step_stream(opt.verbose ? stderr : NULL);
    struct cli_session s;
    bool ok = cli_session_start(CMD, &opt.target, true, &s);
    unsigned printed = 0, found = 0;
    bool array_open = ok && opt.json;
    if (array_open)
        fputs("[", stdout);
    for (unsigned a = 0; ok && a < CLI_CODEC_ADDRESSES; a++) {
        if (!(s.info.codec_mask & (1u << a)))
            continue;
        found++;
        hdabdl_client *client = NULL;
        hdabdl_status status = hdabdl_client_open(s.ctrl, (uint8_t)a, 0, &client);
        if (!cli_step(CMD, "client_open", status, "codec %u, root node", a)) {
            ok = false;
            break;
        }
        const struct hdabdl_codec_desc *given =
            s.dev.codecs[a] != NULL ? hdabdl_codec_description(s.dev.codecs[a]) : NULL;
        struct codec_walk_options wopt = { .dump_coefs = opt.coefs };
        if (opt.check && given != NULL && desc_has_coefs(given))
            wopt.dump_coefs = true;
        struct hdabdl_codec_desc desc;
        struct codec_walk_stats st;
        status = codec_walk(client, (uint8_t)a, &wopt, &desc, &st);
        bool walked = cli_step(CMD, "codec_walk", status,
                               "codec %u: %zu nodes, %u verbs in %u transfers, %u unanswered", a,
                               desc.nnodes, st.verbs, st.transfers, st.invalid);
        hdabdl_client_close(client);
        cli_note("client_close: done");
        if (!walked) {
            cli_error(CMD, "codec at address %u could not be read", a);
            ok = false;
            break;
        }
        if (st.invalid > 0)
            cli_error(CMD, "note: codec %u: %u verbs got no response (shown as Linux shows them)", a,
                      st.invalid);

        if (opt.check) {
            if (given == NULL) {
                cli_error(CMD, "codec %u: the backend has no description to compare with", a);
                ok = false;
            } else {
                ok = check_codec(&desc, given, wopt.dump_coefs, &st) && ok;
            }
        } else {
            char *text = opt.json ? hdabdl_codec_desc_to_json(&desc, NULL)
                                  : hdabdl_codec_desc_to_proc(&desc, NULL);
            if (text == NULL) {
                cli_error(CMD, "out of memory printing codec %u", a);
                ok = false;
            } else {
                size_t len = strlen(text);
                if (opt.json) {
                    fputs(printed ? ",\n" : "\n", stdout);
                    if (len > 0 && text[len - 1] == '\n')
                        len--;   /* the array puts its own separators */
                }
                fwrite(text, 1, len, stdout);
                printed++;
                free(text);
            }
        }
        hdabdl_codec_desc_clear(&desc);
    }
    if (array_open)
        fputs(printed ? "\n]\n" : "]\n", stdout);
    if (ok && found == 0) {
        cli_error(CMD, "no codec answered on the link (codec mask 0x%04x)", s.info.codec_mask);
        ok = false;
    }
    fflush(stdout);
    return cli_session_finish(CMD, &s, ok);
}
