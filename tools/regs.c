/* SPDX-License-Identifier: MIT */
/*
 * regs.c - `hdabdl regs`: every controller register, decoded.
 *
 *   hdabdl regs [--backend mock | --device BDF [--mode vfio|uio --allow-uio]] [--open]
 *
 * Reads through the backend's HAL (hal.h reg_read), each register at its own
 * offset and width (QEMU's model matches registers by exact offset and width:
 * a 32-bit read at 0x00 returns GCAP only), and prints it with its fields by
 * name, from hdabdl/regs.h. Without --open the controller is not opened:
 * the registers are as the last user left them, except that the pciaccess
 * backend's open stops any DMA a previous owner left running (stream RUN and
 * interrupt enables, CORB/RIRB DMA, the position buffer, INTCTL: its
 * addresses are no longer mapped) before it turns bus mastering on. With
 * --open the library first brings the controller up (reset, CORB/RIRB,
 * interrupts), and closes it after the dump.
 *
 * Reads have no side effects on an HDA controller (no read-to-clear
 * registers), so a dump changes nothing.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hdabdl/regs.h"

#include "cli.h"

static const char *const CMD = "regs";

void cli_regs_help(FILE *out)
{
    fprintf(out,
            "Usage: hdabdl regs [--backend NAME | --device BDF [--mode vfio|uio --allow-uio]]\n"
            "                   [--open]\n"
            "\n"
            "Read every register of the controller at its own offset and width and print it\n"
            "decoded by name and field: the global registers (GCAP, version, GCTL, interrupts,\n"
            "wall clock, stream sync, CORB and RIRB, immediate commands, DMA position\n"
            "buffer), then every stream descriptor GCAP announces (input, output and\n"
            "bidirectional), then the alias page (WALCLK and the LPIBs). Lines look like\n"
            "\n"
            "  GCAP        0x0000  16  0x4401      OSS=4 ISS=4 BSS=0 NSDO=0 64OK=1  (4 output, ...)\n"
            "\n"
            "Without --open the controller is not opened: the dump shows what the last user\n"
            "left (e.g. GCTL.CRST=1, stream tags, formats and BDL addresses after a killed\n"
            "program), except that a real device's backend first stops any DMA left running\n"
            "(stream RUN and interrupt enables, CORB/RIRB DMA, INTCTL, position buffer),\n"
            "because its addresses are no longer mapped. With --open the library brings the\n"
            "controller up first (reset, codecs, CORB/RIRB, interrupts) and puts it back in\n"
            "reset afterwards.\n"
            "\n"
            "Options:\n"
            "  --open             open the controller (hdabdl_controller_open) before the dump\n"
            "  -v, --verbose      report every DDI step on stderr\n"
            "  -h, --help         show this help\n");
    cli_target_help(out);
    fprintf(out,
            "\n"
            "Exit codes: 0 success, 1 runtime failure (a read failed, GCAP reads all ones),\n"
            "2 usage error, 3 device unavailable.\n");
}

enum { OPT_OPEN = CLI_TARGET_OPTIONS, OPT_VERBOSE, OPT_HELP };

static const struct cli_option option_table[] = {
    CLI_TARGET_OPTION_ROWS,
    [OPT_OPEN] = { "--open", NULL, false },
    [OPT_VERBOSE] = { "--verbose", "-v", false },
    [OPT_HELP] = { "--help", "-h", false },
};

/* ---- The register map --------------------------------------------------------------- */

struct field {
    const char *name;
    uint8_t shift;
    uint8_t bits;
};

struct reg {
    const char *name;
    uint16_t offset;
    uint8_t width;                 /* bytes */
    const struct field *fields;    /* NULL-terminated by name, or NULL: the value only */
    void (*explain)(uint32_t value, char *buf, size_t len);
};

#define F(n, s, b) { (n), (s), (b) }
#define END { NULL, 0, 0 }

static const struct field f_gcap[] = { F("OSS", 12, 4), F("ISS", 8, 4), F("BSS", 3, 5), F("NSDO", 1, 2),
                                       F("64OK", 0, 1), END };
static const struct field f_gctl[] = { F("UNSOL", 8, 1), F("FCNTRL", 1, 1), F("CRST", 0, 1), END };
static const struct field f_sdi[] = { F("SDI", 0, 15), END };
static const struct field f_gsts[] = { F("FSTS", 1, 1), END };
static const struct field f_intctl[] = { F("GIE", 31, 1), F("CIE", 30, 1), F("SIE", 0, 30), END };
static const struct field f_intsts[] = { F("GIS", 31, 1), F("CIS", 30, 1), F("SIS", 0, 30), END };
static const struct field f_ssync[] = { F("SSYNC", 0, 30), END };
static const struct field f_wp[] = { F("WP", 0, 8), END };
static const struct field f_corbrp[] = { F("CORBRPRST", 15, 1), F("RP", 0, 8), END };
static const struct field f_corbctl[] = { F("CORBRUN", 1, 1), F("CMEIE", 0, 1), END };
static const struct field f_corbsts[] = { F("CMEI", 0, 1), END };
static const struct field f_ringsize[] = { F("SZCAP", 4, 4), F("SIZE", 0, 2), END };
static const struct field f_rirbwp[] = { F("RIRBWPRST", 15, 1), F("WP", 0, 8), END };
static const struct field f_rintcnt[] = { F("RINTCNT", 0, 8), END };
static const struct field f_rirbctl[] = { F("RIRBOIC", 2, 1), F("RIRBDMAEN", 1, 1), F("RINTCTL", 0, 1), END };
static const struct field f_rirbsts[] = { F("RIRBOIS", 2, 1), F("RINTFL", 0, 1), END };
static const struct field f_icis[] = { F("IRRADD", 4, 4), F("IRRUNSOL", 3, 1), F("ICV", 2, 1), F("IRV", 1, 1),
                                       F("ICB", 0, 1), END };
static const struct field f_dplbase[] = { F("ENABLE", 0, 1), END };
static const struct field f_sdctl[] = { F("STRM", 20, 4), F("DIR", 19, 1), F("TP", 18, 1), F("STRIPE", 16, 2),
                                        F("DEIE", 4, 1), F("FEIE", 3, 1), F("IOCE", 2, 1), F("RUN", 1, 1),
                                        F("SRST", 0, 1), END };
static const struct field f_sdsts[] = { F("FIFORDY", 5, 1), F("DESE", 4, 1), F("FIFOE", 3, 1), F("BCIS", 2, 1),
                                        END };
static const struct field f_lvi[] = { F("LVI", 0, 8), END };
static const struct field f_fifow[] = { F("FIFOW", 0, 3), END };
static const struct field f_fmt[] = { F("BASE", 14, 1), F("MULT", 11, 3), F("DIV", 8, 3), F("BITS", 4, 3),
                                      F("CHAN", 0, 4), END };

static void explain_gcap(uint32_t v, char *buf, size_t len)
{
    unsigned nsdo = (v & HDA_GCAP_NSDO_MASK) >> HDA_GCAP_NSDO_SHIFT;
    snprintf(buf, len, "%u output, %u input, %u bidirectional engines, %u SDO line%s, %s DMA",
             (v & HDA_GCAP_OSS_MASK) >> HDA_GCAP_OSS_SHIFT, (v & HDA_GCAP_ISS_MASK) >> HDA_GCAP_ISS_SHIFT,
             (v & HDA_GCAP_BSS_MASK) >> HDA_GCAP_BSS_SHIFT, nsdo == 0 ? 1u : nsdo == 1 ? 2u : 4u,
             nsdo == 0 ? "" : "s", (v & HDA_GCAP_64OK) ? "64-bit" : "32-bit");
}

static void explain_gctl(uint32_t v, char *buf, size_t len)
{
    snprintf(buf, len, "%s", (v & HDA_GCTL_CRST) ? "running" : "in reset");
}

static void explain_ringsize(uint32_t v, char *buf, size_t len)
{
    static const unsigned entries[4] = { 2, 16, 256, 0 };
    snprintf(buf, len, "%u entries", entries[v & 3u]);
}

static void explain_walclk(uint32_t v, char *buf, size_t len)
{
    snprintf(buf, len, "%.6f s of 24 MHz ticks (mod 2^32)", (double)v / HDA_WALCLK_HZ);
}

static void explain_sdctl(uint32_t v, char *buf, size_t len)
{
    snprintf(buf, len, "%s%s, stream tag %u", (v & HDA_SD_CTL_SRST) ? "in reset, " : "",
             (v & HDA_SD_CTL_RUN) ? "RUNNING" : "stopped", (v & HDA_SD_CTL_STRM_MASK) >> HDA_SD_CTL_STRM_SHIFT);
}

static void explain_fmt(uint32_t v, char *buf, size_t len)
{
    static const unsigned bits[8] = { 8, 16, 20, 24, 32, 0, 0, 0 };
    unsigned base = (v & HDA_FMT_BASE_44K1) ? 44100u : 48000u;
    unsigned mult = ((v & HDA_FMT_MULT_MASK) >> HDA_FMT_MULT_SHIFT) + 1u;
    unsigned div = ((v & HDA_FMT_DIV_MASK) >> HDA_FMT_DIV_SHIFT) + 1u;
    snprintf(buf, len, "%g Hz, %u-bit, %u channel%s", (double)base * mult / div,
             bits[(v & HDA_FMT_BITS_MASK) >> HDA_FMT_BITS_SHIFT], (v & HDA_FMT_CHAN_MASK) + 1u,
             (v & HDA_FMT_CHAN_MASK) ? "s" : "");
}

static const struct reg global_regs[] = {
    { "GCAP", HDA_REG_GCAP, 2, f_gcap, explain_gcap },
    { "VMIN", HDA_REG_VMIN, 1, NULL, NULL },
    { "VMAJ", HDA_REG_VMAJ, 1, NULL, NULL },
    { "OUTPAY", HDA_REG_OUTPAY, 2, NULL, NULL },
    { "INPAY", HDA_REG_INPAY, 2, NULL, NULL },
    { "GCTL", HDA_REG_GCTL, 4, f_gctl, explain_gctl },
    { "WAKEEN", HDA_REG_WAKEEN, 2, f_sdi, NULL },
    { "STATESTS", HDA_REG_STATESTS, 2, f_sdi, NULL },
    { "GSTS", HDA_REG_GSTS, 2, f_gsts, NULL },
    { "OUTSTRMPAY", HDA_REG_OUTSTRMPAY, 2, NULL, NULL },
    { "INSTRMPAY", HDA_REG_INSTRMPAY, 2, NULL, NULL },
    { "INTCTL", HDA_REG_INTCTL, 4, f_intctl, NULL },
    { "INTSTS", HDA_REG_INTSTS, 4, f_intsts, NULL },
    { "WALCLK", HDA_REG_WALCLK, 4, NULL, explain_walclk },
    { "SSYNC", HDA_REG_SSYNC, 4, f_ssync, NULL },
    { "CORBLBASE", HDA_REG_CORBLBASE, 4, NULL, NULL },
    { "CORBUBASE", HDA_REG_CORBUBASE, 4, NULL, NULL },
    { "CORBWP", HDA_REG_CORBWP, 2, f_wp, NULL },
    { "CORBRP", HDA_REG_CORBRP, 2, f_corbrp, NULL },
    { "CORBCTL", HDA_REG_CORBCTL, 1, f_corbctl, NULL },
    { "CORBSTS", HDA_REG_CORBSTS, 1, f_corbsts, NULL },
    { "CORBSIZE", HDA_REG_CORBSIZE, 1, f_ringsize, explain_ringsize },
    { "RIRBLBASE", HDA_REG_RIRBLBASE, 4, NULL, NULL },
    { "RIRBUBASE", HDA_REG_RIRBUBASE, 4, NULL, NULL },
    { "RIRBWP", HDA_REG_RIRBWP, 2, f_rirbwp, NULL },
    { "RINTCNT", HDA_REG_RINTCNT, 2, f_rintcnt, NULL },
    { "RIRBCTL", HDA_REG_RIRBCTL, 1, f_rirbctl, NULL },
    { "RIRBSTS", HDA_REG_RIRBSTS, 1, f_rirbsts, NULL },
    { "RIRBSIZE", HDA_REG_RIRBSIZE, 1, f_ringsize, explain_ringsize },
    { "ICOI", HDA_REG_ICOI, 4, NULL, NULL },
    { "ICII", HDA_REG_ICII, 4, NULL, NULL },
    { "ICIS", HDA_REG_ICIS, 2, f_icis, NULL },
    { "DPLBASE", HDA_REG_DPLBASE, 4, f_dplbase, NULL },
    { "DPUBASE", HDA_REG_DPUBASE, 4, NULL, NULL },
};

/* Stream descriptor registers, offsets within the descriptor. SDnCTL is read
 * as 32 bits at +0 (its upper byte is SDnSTS, shown on its own line). */
static const struct reg sd_regs[] = {
    { "CTL", HDA_SD_CTL, 4, f_sdctl, explain_sdctl },
    { "STS", HDA_SD_STS, 1, f_sdsts, NULL },
    { "LPIB", HDA_SD_LPIB, 4, NULL, NULL },
    { "CBL", HDA_SD_CBL, 4, NULL, NULL },
    { "LVI", HDA_SD_LVI, 2, f_lvi, NULL },
    { "FIFOW", HDA_SD_FIFOW, 2, f_fifow, NULL },
    { "FIFOS", HDA_SD_FIFOS, 2, NULL, NULL },
    { "FMT", HDA_SD_FMT, 2, f_fmt, explain_fmt },
    { "BDPL", HDA_SD_BDPL, 4, NULL, NULL },
    { "BDPU", HDA_SD_BDPU, 4, NULL, NULL },
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- Reading and printing ------------------------------------------------------------ */

struct dumper {
    const struct hdabdl_hal_ops *ops;
    void *ctx;
    unsigned failures;
};

static bool read_reg(struct dumper *d, uint32_t offset, unsigned width, uint32_t *value)
{
    *value = 0;
    int err = d->ops->reg_read(d->ctx, offset, width, value);
    if (err != 0) {
        d->failures++;
        return false;
    }
    return true;
}

static void print_reg(struct dumper *d, const char *prefix, const struct reg *r, uint32_t base,
                      uint32_t mask)
{
    uint32_t value = 0;
    char name[32], shown[16], rest[512];
    snprintf(name, sizeof(name), "%s%s", prefix, r->name);
    unsigned bits = mask == 0xFFFFFFu ? 24u : r->width * 8u;
    if (!read_reg(d, base + r->offset, r->width, &value)) {
        printf("%-11s 0x%04x  %2u  READ FAILED\n", name, base + r->offset, bits);
        return;
    }
    value &= mask;
    snprintf(shown, sizeof(shown), "0x%0*x", (int)(bits / 4u), (unsigned)value);
    size_t used = 0;
    rest[0] = '\0';
    if (r->fields != NULL) {
        for (const struct field *f = r->fields; f->name != NULL && used < sizeof(rest); f++) {
            uint32_t v = (value >> f->shift) & (f->bits >= 32 ? 0xFFFFFFFFu : ((1u << f->bits) - 1u));
            int n = snprintf(rest + used, sizeof(rest) - used, f->bits > 5 ? "%s%s=0x%x" : "%s%s=%u",
                             used ? " " : "", f->name, (unsigned)v);
            if (n > 0)
                used += (size_t)n;
        }
    }
    if (r->explain != NULL && used < sizeof(rest)) {
        char text[128];
        r->explain(value, text, sizeof(text));
        snprintf(rest + used, sizeof(rest) - used, "%s(%s)", used ? "  " : "", text);
    }
    if (rest[0] != '\0')
        printf("%-11s 0x%04x  %2u  %-11s %s\n", name, base + r->offset, bits, shown, rest);
    else
        printf("%-11s 0x%04x  %2u  %s\n", name, base + r->offset, bits, shown);
}

static bool dump(struct dumper *d)
{
    uint32_t gcap = 0;
    if (!read_reg(d, HDA_REG_GCAP, 2, &gcap)) {
        cli_error(CMD, "reading GCAP failed: the registers cannot be read");
        return false;
    }
    if (gcap == 0xFFFFu) {
        cli_error(CMD, "GCAP reads 0xffff: the device is gone or its memory decoding is off");
        return false;
    }
    unsigned iss = (gcap & HDA_GCAP_ISS_MASK) >> HDA_GCAP_ISS_SHIFT;
    unsigned oss = (gcap & HDA_GCAP_OSS_MASK) >> HDA_GCAP_OSS_SHIFT;
    unsigned bss = (gcap & HDA_GCAP_BSS_MASK) >> HDA_GCAP_BSS_SHIFT;
    unsigned streams = iss + oss + bss;
    if (streams > HDA_MAX_STREAMS)
        streams = HDA_MAX_STREAMS;

    printf("global registers:\n");
    for (size_t i = 0; i < N(global_regs); i++)
        print_reg(d, "", &global_regs[i], 0, 0xFFFFFFFFu);
    for (unsigned n = 0; n < streams; n++) {
        const char *kind = n < iss ? "input" : n < iss + oss ? "output" : "bidirectional";
        unsigned k = n < iss ? n : n < iss + oss ? n - iss : n - iss - oss;
        char prefix[16];
        snprintf(prefix, sizeof(prefix), "SD%u", n);
        printf("stream descriptor %u (%s %u) at 0x%03x:\n", n, kind, k, HDA_SD_OFFSET(n, 0));
        for (size_t i = 0; i < N(sd_regs); i++)
            print_reg(d, prefix, &sd_regs[i], HDA_SD_OFFSET(n, 0), i == 0 ? 0xFFFFFFu : 0xFFFFFFFFu);
    }
    printf("alias page:\n");
    const struct reg walclk_alias = { "WALCLK(a)", HDA_REG_WALCLK_ALIAS, 4, NULL, explain_walclk };
    print_reg(d, "", &walclk_alias, 0, 0xFFFFFFFFu);
    for (unsigned n = 0; n < streams; n++) {
        char name[24];
        snprintf(name, sizeof(name), "SD%uLPIB(a)", n);
        const struct reg lpib_alias = { name, (uint16_t)HDA_SD_LPIB_ALIAS(n), 4, NULL, NULL };
        print_reg(d, "", &lpib_alias, 0, 0xFFFFFFFFu);
    }
    fflush(stdout);
    if (d->failures > 0) {
        cli_error(CMD, "%u register reads failed", d->failures);
        return false;
    }
    return true;
}

int cli_regs_run(int argc, char **argv)
{
    struct cli_target target;
    bool open_ctrl = false, verbose = false;
    memset(&target, 0, sizeof(target));
    int index = 1;
    for (;;) {
        const char *value = NULL;
        int which = cli_next_option(CMD, option_table, N(option_table), argc, argv, &index, &value);
        if (which == CLI_OPT_END)
            break;
        if (which >= 0 && which < CLI_TARGET_OPTIONS) {
            cli_target_option(CMD, &target, which, value);
            continue;
        }
        switch (which) {
        case OPT_OPEN:
            open_ctrl = true;
            break;
        case OPT_VERBOSE:
            verbose = true;
            break;
        case OPT_HELP:
            cli_regs_help(stdout);
            return CLI_EXIT_OK;
        default:
            return CLI_EXIT_USAGE;
        }
    }
    int rc = cli_target_resolve(CMD, &target);
    if (rc != CLI_EXIT_OK)
        return rc;
    cli_set_step_stream(verbose ? stderr : NULL);

    struct cli_session s;
    bool ok = cli_session_start(CMD, &target, open_ctrl, &s);
    if (ok) {
        struct dumper d = { s.dev.ops, s.dev.hal_ctx, 0 };
        if (open_ctrl)
            printf("registers after hdabdl_controller_open (backend %s):\n", target.backend->name);
        else
            printf("registers as found (backend %s; the controller was not opened):\n", target.backend->name);
        ok = dump(&d);
    }
    return cli_session_finish(CMD, &s, ok);
}
