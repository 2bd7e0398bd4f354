/* SPDX-License-Identifier: MIT */
/*
 * verbs.c - `hdabdl verbs`: send raw codec verbs, print the responses (like
 * alsa-tools' hda-verb, several verbs at once).
 *
 *   hdabdl verbs [--backend mock | --device BDF] [--codec-file FILE [--codec N] [--strict]]
 *                CAD NID VERB PAYLOAD ...
 *
 * All verbs go in one hdabdl_transfer_codec_verbs() call, in order, through a
 * client opened on the first verb's codec (root node).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hdabdl/verbs.h"

#include "cli.h"

static const char *const CMD = "verbs";

void cli_verbs_help(FILE *out)
{
    fprintf(out,
            "Usage: hdabdl verbs [--backend NAME | --device BDF [--mode M]]\n"
            "                    [--codec-file FILE [--codec N] [--strict]] [--verbose]\n"
            "                    CAD NID VERB PAYLOAD [CAD NID VERB PAYLOAD ...]\n"
            "\n"
            "Send codec verbs, all in one TransferCodecVerbs call, and print each response\n"
            "as hda-verb does:\n"
            "\n"
            "  nid = 0x02, verb = 0xf00, param = 0x09\n"
            "  value = 0x0000001d\n"
            "\n"
            "(\"cad = N, \" comes first for codecs other than 0). A verb nobody answered\n"
            "prints \"value = no response\" (IsValid = 0).\n"
            "\n"
            "Numbers are decimal or hex with 0x:\n"
            "  CAD      codec address, 0..14\n"
            "  NID      node ID, 0..0xff\n"
            "  VERB     a 12-bit verb 0x700..0x7ff (set) or 0xf00..0xfff (get) with an 8-bit\n"
            "           PAYLOAD (0..0xff); or one of the 4-bit verbs HDA defines, 0x2..0x5\n"
            "           (set converter format, amp gain/mute, coefficient, coefficient\n"
            "           index) and 0xa..0xd (the gets), with a 16-bit PAYLOAD (0..0xffff),\n"
            "           also written the Linux way as 0x200 ... 0x500, 0xa00 ... 0xd00 (e.g.\n"
            "           0x300 0xb000 sets both output amps to gain 0, unmuted)\n"
            "\n"
            "Options:\n"
            "  --codec-file FILE  mock only: put the codecs of FILE on the link (see\n"
            "                     'hdabdl codecs --help'); default: the mock's default codec\n"
            "  --codec N          use only the N-th codec of FILE (from 1)\n"
            "  --strict           refuse a FILE that ends early (cut off mid-file, mid-node or\n"
            "                     mid-line) instead of warning about it (exit 1)\n"
            "  -v, --verbose      report every DDI step on stderr\n"
            "  -h, --help         show this help\n");
    cli_target_help(out);
    fprintf(out,
            "\n"
            "Example: hdabdl verbs 0 0 0xf00 0 0 1 0xf00 4   (vendor ID, AFG node count)\n"
            "\n"
            "Exit codes: 0 every verb was answered, 1 runtime failure or a verb got no\n"
            "response, 2 usage error, 3 device unavailable, 128+N stopped by signal N.\n");
}

struct verb_arg {
    unsigned cad, nid, verb, payload;
    bool four_bit;      /* 4-bit verb (bits 19:16) with a 16-bit payload */
};

/*
 * The 4-bit verbs HDA defines (spec 7.3.3: converter format, amplifier
 * gain/mute, processing coefficient, coefficient index), set and get. IDs 0x6,
 * 0x8 and 0x9 are not verbs; 0x7 and 0xF are the first digits of the 12-bit ones.
 */
static bool four_bit_verb_defined(unsigned long v)
{
    switch (v) {
    case HDABDL_VERB4_SET_STREAM_FORMAT:
    case HDABDL_VERB4_SET_AMP_GAIN_MUTE:
    case HDABDL_VERB4_SET_COEF:
    case HDABDL_VERB4_SET_COEF_INDEX:
    case HDABDL_VERB4_GET_STREAM_FORMAT:
    case HDABDL_VERB4_GET_AMP_GAIN_MUTE:
    case HDABDL_VERB4_GET_COEF:
    case HDABDL_VERB4_GET_COEF_INDEX:
        return true;
    default:
        return false;
    }
}

/* One CAD NID VERB PAYLOAD group, validated. */
static bool parse_verb(const char *const *words, unsigned n, struct verb_arg *v)
{
    unsigned long cad, nid, verb, payload;
    char what[96];

    snprintf(what, sizeof(what), "verb %u: CAD", n);
    if (!cli_parse_uint(CMD, what, words[0], 0, 14, &cad))
        return false;
    snprintf(what, sizeof(what), "verb %u: NID", n);
    if (!cli_parse_uint(CMD, what, words[1], 0, 0xFF, &nid))
        return false;
    snprintf(what, sizeof(what), "verb %u: VERB", n);
    if (!cli_parse_uint(CMD, what, words[2], 0, 0xFFF, &verb))
        return false;

    bool four_bit;
    unsigned long v4 = verb <= 0xF ? verb : verb >> 8;
    if (verb > 0xF && (v4 == 0x7 || v4 == 0xF)) {
        four_bit = false;
    } else if (four_bit_verb_defined(v4) && (verb <= 0xF || (verb & 0xFF) == 0)) {
        four_bit = true;
        verb = v4;
    } else {
        cli_usage_error(CMD,
                        "verb %u: VERB '%s' is not a verb: 12-bit verbs are 0x700..0x7ff and "
                        "0xf00..0xfff, 4-bit verbs 0x2..0x5 and 0xa..0xd (or 0x200..0x500, "
                        "0xa00..0xd00)", n, words[2]);
        return false;
    }
    snprintf(what, sizeof(what), "verb %u: PAYLOAD of the %s verb 0x%lx", n,
             four_bit ? "4-bit" : "12-bit", verb);
    if (!cli_parse_uint(CMD, what, words[3], 0, four_bit ? 0xFFFF : 0xFF, &payload))
        return false;
    v->cad = (unsigned)cad;
    v->nid = (unsigned)nid;
    v->verb = (unsigned)verb;
    v->payload = (unsigned)payload;
    v->four_bit = four_bit;
    return true;
}

enum { OPT_VERBOSE = CLI_CODEC_OPTIONS, OPT_HELP };

static const struct cli_option option_table[] = {
    CLI_TARGET_OPTION_ROWS,
    CLI_CODEC_OPTION_ROWS,
    [OPT_VERBOSE] = { "--verbose", "-v", false },
    [OPT_HELP] = { "--help", "-h", false },
};

int cli_verbs_run(int argc, char **argv)
{
    struct cli_target target;
    bool verbose = false;
    const char **words = calloc((size_t)argc + 1, sizeof(*words));
    unsigned nwords = 0;
    struct verb_arg *verbs = NULL;
    struct hdabdl_codec_transfer *t = NULL;
    int rc = CLI_EXIT_USAGE;

    if (words == NULL) {
        cli_error(CMD, "out of memory");
        return CLI_EXIT_FAILURE;
    }
    memset(&target, 0, sizeof(target));
    int index = 1;
    for (;;) {
        const char *value = NULL;
        int which = cli_next_arg(CMD, option_table, sizeof(option_table) / sizeof(option_table[0]), argc,
                                 argv, &index, &value);
        if (which == CLI_OPT_END)
            break;
        if (which >= 0 && which < CLI_CODEC_OPTIONS) {
            if (!cli_target_option(CMD, &target, which, value))
                goto out;
            continue;
        }
        switch (which) {
        case CLI_OPT_POSITIONAL:
            words[nwords++] = value;
            break;
        case OPT_VERBOSE:
            verbose = true;
            break;
        case OPT_HELP:
            cli_verbs_help(stdout);
            rc = CLI_EXIT_OK;
            goto out;
        default:
            goto out;
        }
    }
    rc = cli_target_resolve(CMD, &target);
    if (rc != CLI_EXIT_OK)
        goto out;
    rc = CLI_EXIT_USAGE;
    if (!cli_target_codec_check(CMD, &target))
        goto out;
    if (nwords == 0) {
        cli_usage_error(CMD, "no verb given (CAD NID VERB PAYLOAD)");
        goto out;
    }
    if (nwords % 4 != 0) {
        /* name the words of the incomplete group (one to three) */
        char left[160] = "";
        for (unsigned i = nwords - nwords % 4; i < nwords; i++) {
            size_t used = strlen(left);
            snprintf(left + used, sizeof(left) - used, "%s'%.40s'", used ? " " : "", words[i]);
        }
        cli_usage_error(CMD, "%u numbers given: each verb takes four (CAD NID VERB PAYLOAD); "
                        "left over: %s", nwords, left);
        goto out;
    }
    unsigned count = nwords / 4;
    verbs = calloc(count, sizeof(*verbs));
    t = calloc(count, sizeof(*t));
    if (verbs == NULL || t == NULL) {
        cli_error(CMD, "out of memory");
        rc = CLI_EXIT_FAILURE;
        goto out;
    }
    for (unsigned i = 0; i < count; i++)
        if (!parse_verb(&words[4 * i], i + 1, &verbs[i]))
            goto out;

    cli_set_step_stream(verbose ? stderr : NULL);
    struct cli_session s;
    bool ok = cli_session_start(CMD, &target, true, &s);
    hdabdl_client *client = NULL;
    if (ok) {
        hdabdl_status status = hdabdl_client_open(s.ctrl, (uint8_t)verbs[0].cad, 0, &client);
        ok = cli_step(CMD, "client_open", status, "codec %u, root node", verbs[0].cad);
        if (!ok)
            client = NULL;
    }
    unsigned unanswered = 0;
    if (ok) {
        for (unsigned i = 0; i < count; i++) {
            const struct verb_arg *v = &verbs[i];
            t[i].output.command = v->four_bit ? HDABDL_VERB4(v->cad, v->nid, v->verb, v->payload)
                                              : HDABDL_VERB12(v->cad, v->nid, v->verb, v->payload);
        }
        hdabdl_status status = hdabdl_transfer_codec_verbs(client, count, t, NULL, NULL);
        ok = cli_step(CMD, "transfer_codec_verbs", status, "%u verbs", count);
        for (unsigned i = 0; ok && i < count; i++) {
            const struct verb_arg *v = &verbs[i];
            uint64_t r = t[i].input.complete_response;
            if (v->cad != 0)
                printf("cad = %u, ", v->cad);
            if (v->four_bit)
                printf("nid = 0x%02x, verb = 0x%x, param = 0x%04x\n", v->nid, v->verb, v->payload);
            else
                printf("nid = 0x%02x, verb = 0x%03x, param = 0x%02x\n", v->nid, v->verb, v->payload);
            if (!HDABDL_RESPONSE_IS_VALID(r)) {
                printf("value = no response (IsValid = 0%s)\n",
                       HDABDL_RESPONSE_FIFO_OVERRUN(r) ? ", the RIRB overran" : "");
                unanswered++;
            } else {
                printf("value = 0x%08x\n", (unsigned)HDABDL_RESPONSE_VALUE(r));
            }
        }
        fflush(stdout);
        if (ok && unanswered > 0) {
            cli_error(CMD, "%u of %u verbs got no response", unanswered, count);
            ok = false;
        }
    }
    if (client != NULL) {
        hdabdl_client_close(client);
        cli_note("client_close: done");
    }
    rc = cli_session_finish(CMD, &s, ok);

out:
    free(words);
    free(verbs);
    free(t);
    return rc;
}
