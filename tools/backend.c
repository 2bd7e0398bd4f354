/* SPDX-License-Identifier: MIT */
/*
 * backend.c - the backends the tool can open, the codecs they get, and the
 * controller session on top of them.
 *
 *   mock       the register-accurate software controller (virtual time), with
 *              codec models, a link tap and observable DACs
 *   pciaccess  real controllers through libpciaccess and vfio-pci (or
 *              uio_pci_generic), when the library was built with it
 *              (HDABDL_HAVE_PCIACCESS): no link tap, no DAC to read,
 *              codecs are chips, time is wall-clock time
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "hdabdl/codec.h"
#include "hdabdl/mock.h"
#ifdef HDABDL_HAVE_PCIACCESS
#include "hdabdl/pciaccess.h"
#endif

#include "cli.h"
#include "codec_walk.h"

/* ---- The mock ------------------------------------------------------------------------ */

static hdabdl_status mock_open(const char *command, const struct cli_target *target,
                               const struct cli_codec_set *codecs, struct cli_device *dev)
{
    (void)target;
    struct hdabdl_mock_hal_config config;
    hdabdl_mock_hal_config_default(&config);
    bool from_file = codecs != NULL && codecs->count_used > 0;
    if (from_file)
        config.device.codec_mask = 0;   /* only the file's codecs answer on the link */

    struct hdabdl_mock_hal *hal = NULL;
    int err = hdabdl_mock_hal_create(&config, &hal);
    hdabdl_status status = hdabdl_status_from_errno(err);
    if (!cli_step(command, "mock_hal_create", status,
                  "%u in / %u out / %u bidir engines, DMA arena 0x%llx + %llu MiB",
                  config.device.input_streams, config.device.output_streams,
                  config.device.bidir_streams, (unsigned long long)config.dma_bus_base,
                  (unsigned long long)(config.dma_arena_size >> 20)))
        return status;

    dev->mock = hal;
    dev->ops = hdabdl_mock_hal_ops();
    dev->hal_ctx = hdabdl_mock_hal_context(hal);

    if (!from_file) {
        /* The built-in default codec at address 0, added explicitly to hold its model. */
        err = hdabdl_mock_hal_add_codec(hal, NULL, 0, &dev->codecs[0]);
        status = hdabdl_status_from_errno(err);
        if (!cli_step(command, "mock_hal_add_codec", status, "built-in default codec at address 0"))
            return status;
        return HDABDL_STATUS_SUCCESS;
    }
    for (unsigned a = 0; a < CLI_CODEC_ADDRESSES; a++) {
        const struct hdabdl_codec_desc *d = codecs->use[a];
        if (d == NULL)
            continue;
        err = hdabdl_mock_hal_add_codec(hal, d, (uint8_t)a, &dev->codecs[a]);
        status = hdabdl_status_from_errno(err);
        if (!cli_step(command, "mock_hal_add_codec", status, "address %u: %s (vendor 0x%08x, %zu nodes)", a,
                      d->name, (unsigned)d->vendor_id, d->nnodes))
            return status;
    }
    return HDABDL_STATUS_SUCCESS;
}

static bool mock_close(const char *command, struct cli_device *dev)
{
    if (dev->mock == NULL)
        return true;
    struct hdabdl_mock *mock = hdabdl_mock_hal_device(dev->mock);
    size_t blocks = hdabdl_mock_hal_dma_blocks(dev->mock);
    size_t violations = hdabdl_mock_violation_count(mock);
    if (violations > 0) {
        char text[4096];
        hdabdl_mock_violation_describe(mock, text, sizeof(text));
        cli_error(command, "the mock recorded %zu illegal register or DMA accesses:\n%s",
                  violations, text);
    }
    if (blocks > 0)
        cli_error(command, "%zu DMA blocks were not freed", blocks);
    hdabdl_mock_hal_destroy(dev->mock);
    dev->mock = NULL;
    memset(dev->codecs, 0, sizeof(dev->codecs));
    cli_note("mock_hal_destroy: done (%zu illegal accesses, %zu DMA blocks leaked)", violations,
             blocks);
    return violations == 0 && blocks == 0;
}

static void mock_advance(struct cli_device *dev, uint64_t ns)
{
    hdabdl_mock_hal_advance(dev->mock, ns);
}

static size_t mock_tap_read(struct cli_device *dev, uint8_t tag, void *buf, size_t len)
{
    return hdabdl_mock_link_tap_read(hdabdl_mock_hal_device(dev->mock), tag, buf, len);
}

static uint64_t mock_tap_dropped(struct cli_device *dev, uint8_t tag)
{
    return hdabdl_mock_link_tap_dropped(hdabdl_mock_hal_device(dev->mock), tag);
}

/*
 * The codec models are not locked on their own: the mock feeds them from
 * hdabdl_mock_hal_advance(), which runs in this (the only) thread, so reading
 * between two advance calls is safe.
 */
static size_t mock_converter_read(struct cli_device *dev, uint8_t cad, uint8_t nid, void *buf, size_t len)
{
    if (cad >= CLI_CODEC_ADDRESSES || dev->codecs[cad] == NULL)
        return 0;
    return hdabdl_codec_converter_read(dev->codecs[cad], nid, buf, len);
}

static uint64_t mock_converter_dropped(struct cli_device *dev, uint8_t cad, uint8_t nid)
{
    if (cad >= CLI_CODEC_ADDRESSES || dev->codecs[cad] == NULL)
        return 0;
    return hdabdl_codec_converter_dropped(dev->codecs[cad], nid);
}

static void mock_facts(struct cli_device *dev, struct cli_device_facts *out)
{
    memset(out, 0, sizeof(*out));
    snprintf(out->backend, sizeof(out->backend), "mock");
    snprintf(out->device, sizeof(out->device), "mock");
    snprintf(out->mode, sizeof(out->mode), "virtual");
    snprintf(out->irq, sizeof(out->irq), "virtual");
    out->iommu_group = -1;
    struct hdabdl_mock_hal_config config;
    hdabdl_mock_hal_config_default(&config);
    out->dma_limit = config.dma_bus_base + config.dma_arena_size;
    (void)dev;
}

/* A sine for the mock's input converters: every channel the same, phase by frame. */
struct mock_sine_source {
    double hz;
    double peak;
    uint64_t frame[256];   /* per converter NID */
};

static struct mock_sine_source mock_sine;

static void mock_sine_fill(void *ctx, uint8_t nid, uint16_t format, void *buf, size_t len)
{
    struct mock_sine_source *src = ctx;
    unsigned channels = (format & 0xFu) + 1u;
    unsigned bits_code = (format >> 4) & 0x7u;
    unsigned container = bits_code == 0 ? 1u : bits_code == 1 ? 2u : 4u;
    unsigned valid = bits_code == 0 ? 8u : bits_code == 1 ? 16u : bits_code == 2 ? 20u
                     : bits_code == 3 ? 24u : 32u;
    unsigned rate_base = (format & 0x4000u) ? 44100u : 48000u;
    unsigned mult = ((format >> 11) & 0x7u) + 1u, div = ((format >> 8) & 0x7u) + 1u;
    double rate = (double)rate_base * mult / div;
    size_t frame_bytes = (size_t)channels * container;
    unsigned char *p = buf;
    for (size_t off = 0; off + frame_bytes <= len; off += frame_bytes) {
        double cycles = fmod((double)src->frame[nid] * src->hz, rate) / rate;
        double v = src->peak * sin(2.0 * 3.14159265358979323846 * cycles);
        src->frame[nid]++;
        for (unsigned ch = 0; ch < channels; ch++) {
            unsigned char *q = p + off + (size_t)ch * container;
            if (container == 1) {
                long s8 = lrint(v * 127.0);
                q[0] = (unsigned char)(int8_t)s8;
            } else if (container == 2) {
                int16_t s16 = (int16_t)lrint(v * 32767.0);
                hdabdl__le16_store(q, (uint16_t)s16);   /* samples are little-endian */
            } else {
                /* valid bits in the most significant bits of the 32-bit container */
                double full = (double)((1ull << (valid - 1)) - 1u);
                uint32_t s32 = (uint32_t)lrint(v * full) << (32u - valid);
                hdabdl__le32_store(q, s32);
            }
        }
    }
    if (len % frame_bytes)
        memset(p + len - len % frame_bytes, 0, len % frame_bytes);
}

static void mock_capture_sine(struct cli_device *dev, double hz, double amplitude)
{
    memset(&mock_sine, 0, sizeof(mock_sine));
    mock_sine.hz = hz;
    mock_sine.peak = amplitude;
    for (unsigned a = 0; a < CLI_CODEC_ADDRESSES; a++)
        if (dev->codecs[a] != NULL)
            hdabdl_codec_set_source(dev->codecs[a], mock_sine_fill, &mock_sine);
}

#ifdef HDABDL_HAVE_PCIACCESS
/* ---- Real controllers (libpciaccess, vfio-pci or uio_pci_generic) ------------------ */

static void pci_emergency_stop(void *arg)
{
    hdabdl_pci_quiesce(arg);   /* MMIO stores and pwrite(2) only */
}

/* Statuses that mean "this device cannot be used as it is" (exit code 3). */
static bool pci_status_unavailable(hdabdl_status st)
{
    return st == HDABDL_STATUS_NO_SUCH_DEVICE || st == HDABDL_STATUS_DEVICE_BUSY ||
           st == HDABDL_STATUS_INVALID_DEVICE_STATE || st == HDABDL_STATUS_ACCESS_DENIED ||
           st == HDABDL_STATUS_NOT_SUPPORTED || st == HDABDL_STATUS_DEVICE_DOES_NOT_EXIST;
}

static hdabdl_status pci_open(const char *command, const struct cli_target *target,
                              const struct cli_codec_set *codecs, struct cli_device *dev)
{
    (void)codecs;
    struct hdabdl_pci_options options;
    hdabdl_pci_options_default(&options);
    options.mode = target->uio ? HDABDL_PCI_MODE_UIO : HDABDL_PCI_MODE_VFIO;
    hdabdl_pci *pci = NULL;
    hdabdl_status status = hdabdl_pci_open(target->device, &options, &pci);
    if (!HDABDL_NT_SUCCESS(status)) {
        const char *why = hdabdl_pci_last_error();
        cli_step(command, "pci_open", status, "%s, mode %s", target->device ? target->device : "the only HDA controller",
                 target->uio ? "uio" : "vfio");
        if (why != NULL && why[0] != '\0')
            cli_error(command, "%s", why);
        dev->unavailable = pci_status_unavailable(status);
        return status;
    }
    struct hdabdl_pci_open_info info;
    memset(&info, 0, sizeof(info));
    (void)hdabdl_pci_get_open_info(pci, &info);
    cli_step(command, "pci_open", status,
             "%s %04x:%04x (subsystem %04x:%04x), %s via %s, IOMMU group %d, irq %s, GCAP 0x%04x, "
             "DMA below 0x%llx", info.device.bdf, info.device.ids.vendor_id, info.device.ids.device_id,
             info.device.ids.subsystem_vendor_id, info.device.ids.subsystem_id,
             hdabdl_pci_mode_name(info.mode), info.device.driver, info.device.iommu_group,
             hdabdl_pci_irq_name(info.irq), info.gcap, (unsigned long long)info.dma_limit);
    if (info.mode == HDABDL_PCI_MODE_UIO)
        fprintf(stderr, "%s %s: warning: uio mode: the controller reaches all of memory (no IOMMU)\n",
                cli_program, command);
    dev->real = pci;
    dev->ops = hdabdl_pci_hal_ops();
    dev->hal_ctx = hdabdl_pci_hal_context(pci);
    dev->poll_irq = info.irq == HDABDL_PCI_IRQ_NONE;
    cli_set_emergency_stop(pci_emergency_stop, pci);
    return HDABDL_STATUS_SUCCESS;
}

static bool pci_close(const char *command, struct cli_device *dev)
{
    (void)command;
    if (dev->real == NULL)
        return true;
    cli_set_emergency_stop(NULL, NULL);
    hdabdl_pci_close(dev->real);
    dev->real = NULL;
    cli_note("pci_close: done (DMA stopped, bus mastering off, memory unmapped, device closed)");
    return true;
}

static void pci_advance(struct cli_device *dev, uint64_t ns)
{
    cli_sleep_ns(ns);
    if (dev->poll_irq && dev->ctrl != NULL)
        (void)hdabdl_controller_service_interrupt(dev->ctrl);
}

static void pci_facts(struct cli_device *dev, struct cli_device_facts *out)
{
    memset(out, 0, sizeof(*out));
    snprintf(out->backend, sizeof(out->backend), "pciaccess");
    out->iommu_group = -1;
    if (dev->real == NULL)
        return;
    struct hdabdl_pci_open_info info;
    memset(&info, 0, sizeof(info));
    if (!HDABDL_NT_SUCCESS(hdabdl_pci_get_open_info(dev->real, &info)))
        return;
    snprintf(out->device, sizeof(out->device), "%s", info.device.bdf);
    snprintf(out->driver, sizeof(out->driver), "%s", info.device.driver);
    snprintf(out->mode, sizeof(out->mode), "%s", hdabdl_pci_mode_name(info.mode));
    snprintf(out->irq, sizeof(out->irq), "%s", hdabdl_pci_irq_name(info.irq));
    out->iommu_group = info.device.iommu_group;
    out->dma_limit = info.dma_limit;
    out->iova_ranges = info.iova_ranges;
    out->interrupts = info.interrupts;
    out->have_ids = true;
    out->ids = info.device.ids;
}
#endif

static const struct cli_backend backends[] = {
    { "mock", "the register-accurate software controller in the library (virtual time)",
      mock_open, mock_close, mock_advance, mock_tap_read, mock_tap_dropped, mock_converter_read,
      mock_converter_dropped, mock_facts, mock_capture_sine, true, false },
#ifdef HDABDL_HAVE_PCIACCESS
    { "pciaccess", "real controllers through vfio-pci (or uio_pci_generic), found with libpciaccess",
      pci_open, pci_close, pci_advance, NULL, NULL, NULL, NULL, pci_facts, NULL, false, true },
#endif
};

#define N_BACKENDS (sizeof(backends) / sizeof(backends[0]))

const char *cli_backend_names(void)
{
    static char names[128];
    if (names[0] == '\0') {
        for (size_t i = 0; i < N_BACKENDS; i++) {
            if (i > 0)
                strncat(names, ", ", sizeof(names) - strlen(names) - 1);
            strncat(names, backends[i].name, sizeof(names) - strlen(names) - 1);
        }
    }
    return names;
}

const struct cli_backend *cli_backend_find(const char *command, const char *name)
{
    for (size_t i = 0; i < N_BACKENDS; i++)
        if (strcmp(backends[i].name, name) == 0)
            return &backends[i];
    cli_usage_error(command, "backend '%s' is not available in this build (only: %s)", name,
                    cli_backend_names());
    return NULL;
}

/* ---- Codec files ------------------------------------------------------------------------ */

static void codec_set_free(struct cli_codec_set *set)
{
    hdabdl_codec_desc_array_free(set->all, set->count_all);
    memset(set, 0, sizeof(*set));
}

/*
 * Where @path's dump ends early, one line per warning on stderr: "FILE:LINE:
 * warning: ..." (with @strict, as errors). False when @strict refuses the file.
 */
static bool codec_warnings_report(const char *command, const char *path,
                                  const struct hdabdl_codec_parse_warnings *w, bool strict)
{
    if (w->count == 0)
        return true;
    unsigned kept = w->count < HDABDL_CODEC_MAX_WARNINGS ? w->count : HDABDL_CODEC_MAX_WARNINGS;
    for (unsigned i = 0; i < kept; i++)
        cli_error(command, "%s:%u: %s%s", path, w->list[i].line, strict ? "" : "warning: ",
                  w->list[i].message);
    if (w->count > kept)
        cli_error(command, "%s: %s%u more like these", path, strict ? "" : "warning: ", w->count - kept);
    if (strict)
        cli_error(command, "%s: the dump ends early; --strict refuses it", path);
    return !strict;
}

/*
 * The codecs of @path (NULL: none, the backend's default) for @backend;
 * @select 0 takes every codec of the file, N only the N-th; @strict refuses
 * a file that ends early. Returns a CLI_EXIT_* code (see cli_session_load()).
 */
static int codec_set_load(const char *command, const struct cli_backend *backend, const char *path,
                          unsigned long select, bool strict, struct cli_codec_set *set)
{
    memset(set, 0, sizeof(*set));
    if (path == NULL) {
        if (select > 1) {
            cli_usage_error(command, "--codec %lu: without --codec-file there is one codec", select);
            return CLI_EXIT_USAGE;
        }
        return CLI_EXIT_OK;
    }
    if (!backend->can_load_codecs) {
        cli_usage_error(command, "backend '%s' talks to real codecs; --codec-file needs the mock",
                        backend->name);
        return CLI_EXIT_USAGE;
    }

    struct hdabdl_codec_parse_error perr;
    struct hdabdl_codec_parse_warnings *warn = calloc(1, sizeof(*warn));
    if (warn == NULL) {
        cli_error(command, "out of memory");
        return CLI_EXIT_FAILURE;
    }
    memset(&perr, 0, sizeof(perr));
    int rc = hdabdl_codec_parse_file_ex(path, &set->all, &set->count_all, &perr, warn);
    if (rc == 0 && !codec_warnings_report(command, path, warn, strict)) {
        free(warn);
        codec_set_free(set);
        return CLI_EXIT_FAILURE;
    }
    free(warn);
    if (rc != 0) {
        if (perr.line > 0)
            cli_error(command, "%s:%u: %s", path, perr.line, perr.message);
        else if (perr.message[0] != '\0')
            cli_error(command, "%s: %s", path, perr.message);
        else
            cli_error(command, "%s: %s", path, strerror(-rc));
        set->all = NULL;
        set->count_all = 0;
        return CLI_EXIT_FAILURE;
    }
    set->path = path;
    if (select > set->count_all) {
        cli_usage_error(command, "--codec %lu: %s holds %zu codec%s", select, path, set->count_all,
                        set->count_all == 1 ? "" : "s");
        codec_set_free(set);
        return CLI_EXIT_USAGE;
    }
    for (size_t i = 0; i < set->count_all; i++) {
        const struct hdabdl_codec_desc *d = &set->all[i];
        if (select != 0 && i + 1 != select)
            continue;
        if (d->address >= CLI_CODEC_ADDRESSES) {
            cli_error(command, "%s:%u: codec %zu (%s) is at address %u; the link has 0..14", path,
                      d->line, i + 1, d->name, d->address);
            codec_set_free(set);
            return CLI_EXIT_FAILURE;
        }
        if (set->use[d->address] != NULL) {
            fprintf(stderr,
                    "%s %s: note: %s: codec %zu (%s) is at address %u like an earlier one; using the "
                    "first (pick one with --codec N)\n",
                    cli_program, command, path, i + 1, d->name, d->address);
            continue;
        }
        set->use[d->address] = d;
        set->count_used++;
    }
    return CLI_EXIT_OK;
}

/* ---- Targets: --backend, --device, --mode, --allow-uio, --codec-file, --codec ----------- */

bool cli_target_option(const char *command, struct cli_target *target, int which, const char *value)
{
    switch (which) {
    case CLI_OPT_BACKEND:
        target->backend_name = value;
        break;
    case CLI_OPT_DEVICE:
        target->device = value;
        break;
    case CLI_OPT_MODE:
        target->mode = value;
        break;
    case CLI_OPT_ALLOW_UIO:
        target->allow_uio = true;
        break;
    case CLI_OPT_CODEC_FILE:
        return cli_parse_file_name(command, "--codec-file", value, &target->codec_file);
    case CLI_OPT_CODEC:
        return cli_parse_uint(command, "--codec", value, 1, 64, &target->codec_index);
    case CLI_OPT_STRICT:
        target->strict = true;
        break;
    default:
        break;
    }
    return true;
}

/* "dddd:bb:dd.f" or "bb:dd.f" in hex, device <= 0x1f, function <= 7. */
static bool bdf_well_formed(const char *text)
{
    unsigned domain = 0, bus = 0, dev = 0, fn = 0;
    int used = 0;
    size_t len = strlen(text);
    if (len == 12 && sscanf(text, "%4x:%2x:%2x.%1x%n", &domain, &bus, &dev, &fn, &used) == 4 &&
        (size_t)used == len)
        return dev <= 0x1f && fn <= 7 && isxdigit((unsigned char)text[0]);
    if (len == 7 && sscanf(text, "%2x:%2x.%1x%n", &bus, &dev, &fn, &used) == 3 && (size_t)used == len)
        return dev <= 0x1f && fn <= 7 && isxdigit((unsigned char)text[0]);
    return false;
}

int cli_target_resolve(const char *command, struct cli_target *t)
{
    const char *name = t->backend_name;
    bool real_options = t->device != NULL || t->mode != NULL || t->allow_uio;
    if (name == NULL)
        name = real_options ? "pciaccess" : "mock";
    t->backend = cli_backend_find(command, name);
    if (t->backend == NULL)
        return CLI_EXIT_USAGE;
    if (!t->backend->realtime) {
        if (real_options) {
            cli_usage_error(command, "--device, --mode and --allow-uio are for real controllers "
                            "(backend pciaccess), not backend '%s'", t->backend->name);
            return CLI_EXIT_USAGE;
        }
        return CLI_EXIT_OK;
    }
    if (t->device != NULL && !bdf_well_formed(t->device)) {
        cli_usage_error(command, "--device: '%s' is not a PCI address (BDF: dddd:bb:dd.f or bb:dd.f, "
                        "hex, as 'hdabdl list' prints them)", t->device);
        return CLI_EXIT_USAGE;
    }
    t->uio = false;
    if (t->mode != NULL) {
        if (strcmp(t->mode, "uio") == 0) {
            t->uio = true;
        } else if (strcmp(t->mode, "vfio") != 0) {
            cli_usage_error(command, "--mode: '%s' is not a mode (vfio or uio)", t->mode);
            return CLI_EXIT_USAGE;
        }
    }
    if (t->uio && !t->allow_uio) {
        cli_usage_error(command, "--mode uio bypasses the IOMMU: the controller can then read and "
                        "write all of memory; add --allow-uio to accept that");
        return CLI_EXIT_USAGE;
    }
    if (!t->uio && t->allow_uio) {
        cli_usage_error(command, "--allow-uio goes with --mode uio");
        return CLI_EXIT_USAGE;
    }
    return CLI_EXIT_OK;
}

bool cli_target_codec_check(const char *command, const struct cli_target *target)
{
    if (target->codec_index != 0 && target->codec_file == NULL) {
        cli_usage_error(command, "--codec N picks a codec of --codec-file FILE");
        return false;
    }
    if (target->strict && target->codec_file == NULL) {
        cli_usage_error(command, "--strict checks the dump of --codec-file FILE; there is none");
        return false;
    }
    return true;
}

void cli_target_help(FILE *out)
{
    fprintf(out,
            "  --backend NAME     backend to run on: mock (default) or pciaccess (built: %s)\n"
            "  -d, --device BDF   the real controller to drive, e.g. 0000:00:1b.0 or 00:1b.0\n"
            "                     (implies --backend pciaccess; without it: the only usable one)\n"
            "  --mode vfio|uio    how to reach it: vfio (vfio-pci, IOMMU-protected; default)\n"
            "                     or uio (uio_pci_generic: physical addresses, root only)\n"
            "  --allow-uio        required with --mode uio: accept that the controller can\n"
            "                     reach all of memory\n",
            cli_backend_names());
}

/* ---- Sessions ------------------------------------------------------------------------------ */

/* The exit code for a failed open: 3 if the device was unavailable, else 1. */
static int failure_code(const struct cli_device *dev)
{
    return dev->unavailable ? CLI_EXIT_UNAVAILABLE : CLI_EXIT_FAILURE;
}

int cli_session_load(const char *command, const struct cli_target *target, struct cli_session *s)
{
    memset(s, 0, sizeof(*s));
    int rc = codec_set_load(command, target->backend, target->codec_file, target->codec_index,
                            target->strict, &s->codecs);
    s->failure = rc != CLI_EXIT_OK ? rc : CLI_EXIT_FAILURE;
    return rc;
}

static bool session_open(const char *command, const struct cli_target *target, bool controller,
                         struct cli_session *s)
{
    const struct cli_backend *backend = target->backend;
    hdabdl_status status = backend->open(command, target, &s->codecs, &s->dev);
    s->dev.backend = backend;   /* so cli_session_close() undoes a partial open */
    if (!HDABDL_NT_SUCCESS(status)) {
        s->failure = failure_code(&s->dev);
        return false;
    }
    if (!controller)
        return true;

    status = hdabdl_controller_open(s->dev.ops, s->dev.hal_ctx, NULL, &s->ctrl);
    if (!cli_step(command, "controller_open", status, "backend %s", backend->name)) {
        s->ctrl = NULL;
        return false;
    }
    s->dev.ctrl = s->ctrl;

    struct hdabdl_controller_info *info = &s->info;
    status = hdabdl_controller_get_info(s->ctrl, info);
    return cli_step(command, "controller_get_info", status,
                    "HDA %u.%u, GCAP 0x%04x, %u in / %u out / %u bidir engines, %u SDO, codecs 0x%04x",
                    info->version_major, info->version_minor, info->gcap, info->input_streams,
                    info->output_streams, info->bidir_streams, info->sdo_lines, info->codec_mask);
}

bool cli_session_open(const char *command, const struct cli_target *target, struct cli_session *s)
{
    return session_open(command, target, true, s);
}

bool cli_session_close(const char *command, struct cli_session *s)
{
    bool ok = true;
    if (s->ctrl != NULL) {
        hdabdl_controller_close(s->ctrl);
        cli_note("controller_close: done");
        s->ctrl = NULL;
        s->dev.ctrl = NULL;
    }
    if (s->dev.backend != NULL) {
        ok = s->dev.backend->close(command, &s->dev);
        s->dev.backend = NULL;
    }
    codec_set_free(&s->codecs);
    return ok;
}

bool cli_session_start(const char *command, const struct cli_target *target, bool controller,
                       struct cli_session *s)
{
    return cli_session_load(command, target, s) == CLI_EXIT_OK &&
           session_open(command, target, controller, s);
}

int cli_session_finish(const char *command, struct cli_session *s, bool ok)
{
    ok = cli_session_close(command, s) && ok;
    return ok ? CLI_EXIT_OK : s->failure;
}

/* Read the codec at @cad and look for a path in it; true when one was found. */
static bool try_codec(const char *command, const struct cli_session *s, bool input, uint8_t cad,
                      struct hdabdl_codec_desc *desc, struct codec_path *path, char *why,
                      size_t why_len)
{
    hdabdl_client *walker = NULL;
    hdabdl_status status = hdabdl_client_open(s->ctrl, cad, 0, &walker);
    if (!cli_step(command, "client_open", status, "codec %u, root node (to read the codec)", cad)) {
        snprintf(why, why_len, "no client");
        return false;
    }
    struct codec_walk_stats st;
    hdabdl_codec_desc_clear(desc);
    status = codec_walk(walker, cad, NULL, desc, &st);
    bool walked = cli_step(command, "codec_walk", status,
                           "codec %u: %s, vendor 0x%08x, %zu nodes, %u verbs in %u transfers, "
                           "%u unanswered", cad, desc->name, (unsigned)desc->vendor_id,
                           desc->nnodes, st.verbs, st.transfers, st.invalid);
    hdabdl_client_close(walker);
    printf("client_close: done (codec %u, root node)\n", cad);
    if (!walked) {
        snprintf(why, why_len, "the codec could not be read");
        return false;
    }
    bool found = input ? codec_find_input_path(desc, path, why, why_len)
                       : codec_find_output_path(desc, path, why, why_len);
    if (!found)
        return false;
    char text[256];
    if (input)
        codec_input_path_describe(desc, path, text, sizeof(text));
    else
        codec_path_describe(desc, path, text, sizeof(text));
    printf("codec %u %s path: %s\n", cad, input ? "input" : "output", text);
    return true;
}

bool cli_find_codec_path(const char *command, const struct cli_session *s, bool input,
                         struct hdabdl_codec_desc *desc, struct codec_path *path, uint8_t *cad,
                         unsigned *tried)
{
    *tried = 0;
    for (unsigned a = 0; a < CLI_CODEC_ADDRESSES; a++) {
        if (!(s->info.codec_mask & (1u << a)))
            continue;
        char why[256] = "";
        ++*tried;
        if (try_codec(command, s, input, (uint8_t)a, desc, path, why, sizeof(why))) {
            *cad = (uint8_t)a;
            return true;
        }
        cli_error(command, "codec %u: no %s path: %s", a, input ? "input" : "output", why);
    }
    if (*tried == 0)
        cli_error(command, "no codec answered on the link (codec mask 0x%04x)", s->info.codec_mask);
    return false;
}

bool cli_client_open_afg(const char *command, hdabdl_controller *ctrl, uint8_t cad, uint8_t afg,
                         hdabdl_client **client)
{
    hdabdl_status status = hdabdl_client_open(ctrl, cad, afg, client);
    if (!cli_step(command, "client_open", status, "codec %u, function group node %u", cad, afg)) {
        *client = NULL;
        return false;
    }
    return true;
}

/* ---- Codec paths ------------------------------------------------------------------------ */

bool cli_path_send(const char *command, hdabdl_client *client, const struct codec_path_verb *list,
                   size_t n, bool *programmed, unsigned *unanswered, unsigned *wrong)
{
    struct hdabdl_codec_transfer *t = calloc(n ? n : 1, sizeof(*t));
    *programmed = false;
    *unanswered = *wrong = 0;
    if (!t) {
        cli_error(command, "out of memory");
        return false;
    }
    for (size_t i = 0; i < n; i++)
        t[i].output.command = list[i].verb;
    hdabdl_status status = hdabdl_transfer_codec_verbs(client, (uint32_t)n, t, NULL, NULL);
    *programmed = HDABDL_NT_SUCCESS(status);
    if (!cli_step(command, "transfer_codec_verbs", status,
                  "%zu verbs: program the path, then read it back", n)) {
        free(t);
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        uint64_t r = t[i].input.complete_response;
        uint32_t value = HDABDL_RESPONSE_VALUE(r);
        const char *result;
        char text[64];
        if (!HDABDL_RESPONSE_IS_VALID(r)) {
            result = "NO RESPONSE";
            (*unanswered)++;
        } else if (!list[i].readback) {
            result = "answered";
        } else if ((value & list[i].mask) == (list[i].expect & list[i].mask)) {
            snprintf(text, sizeof(text), "0x%08x, as set", (unsigned)value);
            result = text;
        } else {
            snprintf(text, sizeof(text), "0x%08x, NOT AS SET", (unsigned)value);
            result = text;
            (*wrong)++;
        }
        printf("  verb 0x%08x  %-66s %s\n", (unsigned)list[i].verb, list[i].what, result);
    }
    fflush(stdout);
    free(t);
    return true;
}

hdabdl_status cli_path_release(hdabdl_client *client, const struct codec_path *path, uint32_t *verb)
{
    struct hdabdl_codec_transfer t;
    memset(&t, 0, sizeof(t));
    t.output.command = codec_path_release_verb(path);
    *verb = t.output.command;
    hdabdl_status status = hdabdl_transfer_codec_verbs(client, 1, &t, NULL, NULL);
    if (HDABDL_NT_SUCCESS(status) && !HDABDL_RESPONSE_IS_VALID(t.input.complete_response))
        status = HDABDL_STATUS_IO_TIMEOUT;
    return status;
}
