/* SPDX-License-Identifier: MIT */
/*
 * info.c - `hdabdl info`: open a controller and tell what it is.
 *
 *   hdabdl info [--backend mock | --device BDF [--mode vfio|uio --allow-uio]] [--json]
 *
 * Opens the backend and the controller (reset, codec discovery, CORB/RIRB),
 * then prints: the device and how it is reached (mode, interrupts, DMA
 * reach), its PCI IDs and the quirks applied, the HDA version, GCAP decoded,
 * payloads, the verb transport, and for every codec in the codec mask what a
 * walk through verbs finds: vendor, revision, subsystem, function groups,
 * widget counts, and the output and input paths play and capture would use.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hdabdl/codec.h"

#include "cli.h"
#include "codec_walk.h"

static const char *const CMD = "info";

void cli_info_help(FILE *out)
{
    fprintf(out,
            "Usage: hdabdl info [--backend NAME | --device BDF [--mode vfio|uio --allow-uio]]\n"
            "                   [--json] [--verbose]\n"
            "\n"
            "Open the controller (reset, codec discovery, CORB/RIRB) and print what it is:\n"
            "the device and how it is reached (mode, interrupt delivery, DMA reach), PCI\n"
            "IDs and the quirks applied, the HDA version, GCAP decoded (output, input and\n"
            "bidirectional engines, SDO lines, 64-bit DMA), payloads, the verb transport,\n"
            "and, for every codec that answered, what its verbs tell: vendor and device,\n"
            "revision, subsystem, function groups, widgets, and the output and input paths\n"
            "play and capture would use. The controller is closed (put back in reset)\n"
            "afterwards.\n"
            "\n"
            "Options:\n"
            "  --json             one JSON object instead of text\n"
            "  -v, --verbose      report every DDI step on stderr\n"
            "  -h, --help         show this help\n");
    cli_target_help(out);
    fprintf(out,
            "\n"
            "Exit codes: 0 success, 1 runtime failure, 2 usage error, 3 device unavailable,\n"
            "128+N stopped by signal N.\n");
}

enum { OPT_JSON = CLI_TARGET_OPTIONS, OPT_VERBOSE, OPT_HELP };

static const struct cli_option option_table[] = {
    CLI_TARGET_OPTION_ROWS,
    [OPT_JSON] = { "--json", NULL, false },
    [OPT_VERBOSE] = { "--verbose", "-v", false },
    [OPT_HELP] = { "--help", "-h", false },
};

/* What one codec's walk found. */
struct codec_facts {
    bool walked;
    struct hdabdl_codec_desc desc;
    unsigned widgets[16];           /* by widget type */
    bool have_out, have_in;
    char out_path[256], in_path[256];
    char out_why[256], in_why[256];
    struct codec_walk_stats stats;
};

static void quirk_names(uint32_t quirks, char *buf, size_t len)
{
    buf[0] = '\0';
    if (quirks & HDABDL_OPT_OLD_SSYNC)
        snprintf(buf + strlen(buf), len - strlen(buf), "%sOLD_SSYNC", buf[0] ? " " : "");
    if (quirks & HDABDL_OPT_SRST_NO_ACK)
        snprintf(buf + strlen(buf), len - strlen(buf), "%sSRST_NO_ACK", buf[0] ? " " : "");
    if (buf[0] == '\0')
        snprintf(buf, len, "none");
}

static const char *command_mode_name(enum hdabdl_command_mode mode)
{
    switch (mode) {
    case HDABDL_COMMANDS_CORB_IRQ:
        return "CORB/RIRB, responses by interrupt";
    case HDABDL_COMMANDS_CORB_POLL:
        return "CORB/RIRB, responses polled";
    case HDABDL_COMMANDS_IMMEDIATE:
        return "immediate command interface";
    }
    return "?";
}

static const char *corb_reset_name(enum hdabdl_corb_reset r)
{
    switch (r) {
    case HDABDL_CORB_RESET_ACKNOWLEDGED:
        return "acknowledged";
    case HDABDL_CORB_RESET_SELF_CLEARED:
        return "self-cleared";
    case HDABDL_CORB_RESET_FAILED:
        return "failed";
    }
    return "?";
}

static void walk_codec(struct cli_session *s, uint8_t cad, struct codec_facts *f)
{
    memset(f, 0, sizeof(*f));
    hdabdl_client *client = NULL;
    hdabdl_status status = hdabdl_client_open(s->ctrl, cad, 0, &client);
    if (!cli_step(CMD, "client_open", status, "codec %u, root node", cad))
        return;
    status = codec_walk(client, cad, NULL, &f->desc, &f->stats);
    f->walked = cli_step(CMD, "codec_walk", status, "codec %u: %zu nodes, %u verbs, %u unanswered", cad,
                         f->desc.nnodes, f->stats.verbs, f->stats.invalid);
    hdabdl_client_close(client);
    cli_note("client_close: done");
    if (!f->walked)
        return;
    for (size_t i = 0; i < f->desc.nnodes; i++)
        f->widgets[hdabdl_codec_wcaps_type(f->desc.nodes[i].wcaps) & 0xFu]++;
    struct codec_path path;
    f->have_out = codec_find_output_path(&f->desc, &path, f->out_why, sizeof(f->out_why));
    if (f->have_out)
        codec_path_describe(&f->desc, &path, f->out_path, sizeof(f->out_path));
    f->have_in = codec_find_input_path(&f->desc, &path, f->in_why, sizeof(f->in_why));
    if (f->have_in)
        codec_input_path_describe(&f->desc, &path, f->in_path, sizeof(f->in_path));
}

static void json_str(const char *s)
{
    putchar('"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            printf("\\%c", c);
        else if (c < 0x20)
            printf("\\u%04x", c);
        else
            putchar(c);
    }
    putchar('"');
}

static void print_text(const struct cli_device_facts *df, const struct hdabdl_controller_info *ci,
                       const struct hdabdl_command_stats *cs, bool have_cs,
                       const struct codec_facts *codecs)
{
    char quirks[64];
    quirk_names(ci->quirks, quirks, sizeof(quirks));
    printf("device:       %s (backend %s", df->device[0] ? df->device : "?", df->backend);
    if (df->driver[0])
        printf(", driver %s", df->driver);
    printf(", mode %s, interrupts %s", df->mode, df->irq);
    if (df->iommu_group >= 0)
        printf(", IOMMU group %d", df->iommu_group);
    printf(")\n");
    printf("PCI IDs:      %04x:%04x, subsystem %04x:%04x, revision 0x%02x\n", ci->pci.vendor_id,
           ci->pci.device_id, ci->pci.subsystem_vendor_id, ci->pci.subsystem_id, ci->pci.revision);
    printf("quirks:       %s\n", quirks);
    printf("HDA version:  %u.%u (VMAJ %u, VMIN %u)\n", ci->version_major, ci->version_minor,
           ci->version_major, ci->version_minor);
    printf("GCAP:         0x%04x: %u output, %u input, %u bidirectional engines; %u SDO line%s; "
           "64-bit DMA %s\n", ci->gcap, ci->output_streams, ci->input_streams, ci->bidir_streams,
           ci->sdo_lines, ci->sdo_lines == 1 ? "" : "s", ci->addr64 ? "yes (64OK)" : "no");
    printf("payloads:     OUTPAY %u, INPAY %u words per frame\n", ci->output_payload, ci->input_payload);
    if (df->dma_limit == UINT64_MAX) {
        printf("DMA:          anywhere in the 64-bit bus address space");
        if (df->iova_ranges)
            printf(" (%u usable IOVA range%s)", df->iova_ranges, df->iova_ranges == 1 ? "" : "s");
        printf("\n");
    } else if (df->dma_limit != 0) {
        printf("DMA:          bus addresses below 0x%" PRIx64, df->dma_limit);
        if (df->iova_ranges)
            printf(" (%u usable IOVA range%s)", df->iova_ranges, df->iova_ranges == 1 ? "" : "s");
        printf("\n");
    }
    if (have_cs)
        printf("verbs:        %s, %u CORB entries, CORBRP reset %s; %" PRIu64 " sent, %" PRIu64
               " answered, %" PRIu64 " timed out, %" PRIu64 " mode changes\n", command_mode_name(cs->mode),
               cs->corb_entries, corb_reset_name(cs->corb_reset), cs->verbs_sent, cs->responses,
               cs->timeouts, cs->mode_changes);
    unsigned n = 0;
    for (unsigned a = 0; a < CLI_CODEC_ADDRESSES; a++)
        n += (ci->codec_mask >> a) & 1u;
    printf("codecs:       mask 0x%04x (%u codec%s)\n", ci->codec_mask, n, n == 1 ? "" : "s");
    for (unsigned a = 0; a < CLI_CODEC_ADDRESSES; a++) {
        if (!(ci->codec_mask & (1u << a)))
            continue;
        const struct codec_facts *f = &codecs[a];
        if (!f->walked) {
            printf("codec %u:      could not be read\n", a);
            continue;
        }
        const struct hdabdl_codec_desc *d = &f->desc;
        printf("codec %u:      vendor 0x%08x (%s), revision 0x%08x, subsystem 0x%08x\n", a,
               (unsigned)d->vendor_id, d->name, (unsigned)d->revision_id, (unsigned)d->subsystem_id);
        printf("  function groups: %s%s%s", d->has_afg_nid || d->nnodes ? "audio" : "",
               (d->has_afg_nid || d->nnodes) && d->has_mfg ? ", " : "", d->has_mfg ? "modem" : "");
        if (d->nnodes)
            printf(" (AFG at node 0x%02x)", d->afg_nid);
        printf("\n");
        printf("  widgets: %zu (%u DAC, %u ADC, %u mixer, %u selector, %u pin, %u other)\n", d->nnodes,
               f->widgets[HDABDL_WIDGET_AUDIO_OUTPUT], f->widgets[HDABDL_WIDGET_AUDIO_INPUT],
               f->widgets[HDABDL_WIDGET_AUDIO_MIXER], f->widgets[HDABDL_WIDGET_AUDIO_SELECTOR],
               f->widgets[HDABDL_WIDGET_PIN_COMPLEX],
               (unsigned)d->nnodes - f->widgets[HDABDL_WIDGET_AUDIO_OUTPUT] -
                   f->widgets[HDABDL_WIDGET_AUDIO_INPUT] - f->widgets[HDABDL_WIDGET_AUDIO_MIXER] -
                   f->widgets[HDABDL_WIDGET_AUDIO_SELECTOR] - f->widgets[HDABDL_WIDGET_PIN_COMPLEX]);
        printf("  output path: %s\n", f->have_out ? f->out_path : f->out_why);
        printf("  input path:  %s\n", f->have_in ? f->in_path : f->in_why);
    }
}

static void print_json(const struct cli_device_facts *df, const struct hdabdl_controller_info *ci,
                       const struct hdabdl_command_stats *cs, bool have_cs,
                       const struct codec_facts *codecs)
{
    char quirks[64];
    quirk_names(ci->quirks, quirks, sizeof(quirks));
    printf("{\n  \"backend\": ");
    json_str(df->backend);
    printf(",\n  \"device\": ");
    json_str(df->device);
    printf(",\n  \"driver\": ");
    json_str(df->driver);
    printf(",\n  \"mode\": ");
    json_str(df->mode);
    printf(",\n  \"interrupts\": ");
    json_str(df->irq);
    printf(",\n  \"iommu_group\": ");
    if (df->iommu_group >= 0)
        printf("%d", df->iommu_group);
    else
        printf("null");
    printf(",\n  \"dma_limit\": \"0x%" PRIx64 "\",\n  \"iova_ranges\": %u", df->dma_limit, df->iova_ranges);
    printf(",\n  \"pci\": {\"vendor_id\": \"0x%04x\", \"device_id\": \"0x%04x\", "
           "\"subsystem_vendor_id\": \"0x%04x\", \"subsystem_id\": \"0x%04x\", \"revision\": \"0x%02x\"}",
           ci->pci.vendor_id, ci->pci.device_id, ci->pci.subsystem_vendor_id, ci->pci.subsystem_id,
           ci->pci.revision);
    printf(",\n  \"quirks\": ");
    json_str(quirks);
    printf(",\n  \"version\": \"%u.%u\",\n  \"gcap\": \"0x%04x\",\n  \"output_streams\": %u,"
           "\n  \"input_streams\": %u,\n  \"bidir_streams\": %u,\n  \"sdo_lines\": %u,"
           "\n  \"addr64\": %s,\n  \"output_payload\": %u,\n  \"input_payload\": %u,"
           "\n  \"codec_mask\": \"0x%04x\"",
           ci->version_major, ci->version_minor, ci->gcap, ci->output_streams, ci->input_streams,
           ci->bidir_streams, ci->sdo_lines, ci->addr64 ? "true" : "false", ci->output_payload,
           ci->input_payload, ci->codec_mask);
    if (have_cs) {
        printf(",\n  \"verbs\": {\"mode\": ");
        json_str(command_mode_name(cs->mode));
        printf(", \"corb_entries\": %u, \"corb_reset\": ", cs->corb_entries);
        json_str(corb_reset_name(cs->corb_reset));
        printf(", \"sent\": %" PRIu64 ", \"answered\": %" PRIu64 ", \"timed_out\": %" PRIu64
               ", \"mode_changes\": %" PRIu64 "}", cs->verbs_sent, cs->responses, cs->timeouts,
               cs->mode_changes);
    }
    printf(",\n  \"codecs\": [");
    bool first = true;
    for (unsigned a = 0; a < CLI_CODEC_ADDRESSES; a++) {
        if (!(ci->codec_mask & (1u << a)))
            continue;
        const struct codec_facts *f = &codecs[a];
        printf("%s\n    {\"address\": %u, \"readable\": %s", first ? "" : ",", a, f->walked ? "true" : "false");
        first = false;
        if (f->walked) {
            const struct hdabdl_codec_desc *d = &f->desc;
            printf(", \"name\": ");
            json_str(d->name);
            printf(", \"vendor_id\": \"0x%08x\", \"revision_id\": \"0x%08x\", \"subsystem_id\": \"0x%08x\", "
                   "\"afg\": %s, \"modem\": %s, \"widgets\": %zu, \"output_path\": ",
                   (unsigned)d->vendor_id, (unsigned)d->revision_id, (unsigned)d->subsystem_id,
                   d->nnodes ? "true" : "false", d->has_mfg ? "true" : "false", d->nnodes);
            if (f->have_out)
                json_str(f->out_path);
            else
                printf("null");
            printf(", \"input_path\": ");
            if (f->have_in)
                json_str(f->in_path);
            else
                printf("null");
        }
        printf("}");
    }
    printf("%s]\n}\n", first ? "" : "\n  ");
}

int cli_info_run(int argc, char **argv)
{
    struct cli_target target;
    bool json = false, verbose = false;
    memset(&target, 0, sizeof(target));
    int index = 1;
    for (;;) {
        const char *value = NULL;
        int which = cli_next_option(CMD, option_table, sizeof(option_table) / sizeof(option_table[0]),
                                    argc, argv, &index, &value);
        if (which == CLI_OPT_END)
            break;
        if (which >= 0 && which < CLI_TARGET_OPTIONS) {
            cli_target_option(CMD, &target, which, value);
            continue;
        }
        switch (which) {
        case OPT_JSON:
            json = true;
            break;
        case OPT_VERBOSE:
            verbose = true;
            break;
        case OPT_HELP:
            cli_info_help(stdout);
            return CLI_EXIT_OK;
        default:
            return CLI_EXIT_USAGE;
        }
    }
    int rc = cli_target_resolve(CMD, &target);
    if (rc != CLI_EXIT_OK)
        return rc;
    cli_set_step_stream(verbose ? stderr : NULL);

    struct codec_facts *codecs = calloc(CLI_CODEC_ADDRESSES, sizeof(*codecs));
    if (codecs == NULL) {
        cli_error(CMD, "out of memory");
        return CLI_EXIT_FAILURE;
    }
    struct cli_session s;
    bool ok = cli_session_start(CMD, &target, true, &s);
    if (ok) {
        for (unsigned a = 0; a < CLI_CODEC_ADDRESSES && !cli_interrupted(); a++)
            if (s.info.codec_mask & (1u << a))
                walk_codec(&s, (uint8_t)a, &codecs[a]);
        struct hdabdl_command_stats cs;
        memset(&cs, 0, sizeof(cs));
        bool have_cs = HDABDL_NT_SUCCESS(hdabdl_controller_get_command_stats(s.ctrl, &cs));
        struct cli_device_facts df;
        s.dev.backend->facts(&s.dev, &df);
        if (json)
            print_json(&df, &s.info, &cs, have_cs, codecs);
        else
            print_text(&df, &s.info, &cs, have_cs, codecs);
        fflush(stdout);
        for (unsigned a = 0; a < CLI_CODEC_ADDRESSES; a++)
            if ((s.info.codec_mask & (1u << a)) && !codecs[a].walked)
                ok = false;
    }
    for (unsigned a = 0; a < CLI_CODEC_ADDRESSES; a++)
        hdabdl_codec_desc_clear(&codecs[a].desc);
    free(codecs);
    return cli_session_finish(CMD, &s, ok);
}
