/*
 * backend.c - the backends the tool can open, the codecs they get, and the
 * controller session on top of them.
 *
 * Only the mock is built today. The pciaccess backend (real controllers) will
 * be one more row, with NULL link_tap_read / converter_read since real
 * hardware has neither, and can_load_codecs false (its codecs are chips).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hdabdl/codec.h"
#include "hdabdl/mock.h"

#include "cli.h"

/* ---- The mock ------------------------------------------------------------------------ */

static hdabdl_status mock_open(const char *command, const struct cli_codec_set *codecs,
                               struct cli_device *dev)
{
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

static const struct cli_backend backends[] = {
    { "mock", "the register-accurate software controller in the library (virtual time)",
      mock_open, mock_close, mock_advance, mock_tap_read, mock_tap_dropped, mock_converter_read,
      mock_converter_dropped, true },
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

int cli_codec_set_load(const char *command, const struct cli_backend *backend, const char *path,
                       unsigned long select, struct cli_codec_set *set)
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
    memset(&perr, 0, sizeof(perr));
    int rc = hdabdl_codec_parse_file(path, &set->all, &set->count_all, &perr);
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
        cli_codec_set_free(set);
        return CLI_EXIT_USAGE;
    }
    for (size_t i = 0; i < set->count_all; i++) {
        const struct hdabdl_codec_desc *d = &set->all[i];
        if (select != 0 && i + 1 != select)
            continue;
        if (d->address >= CLI_CODEC_ADDRESSES) {
            cli_error(command, "%s:%u: codec %zu (%s) is at address %u; the link has 0..14", path,
                      d->line, i + 1, d->name, d->address);
            cli_codec_set_free(set);
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

void cli_codec_set_free(struct cli_codec_set *set)
{
    hdabdl_codec_desc_array_free(set->all, set->count_all);
    memset(set, 0, sizeof(*set));
}

/* ---- Sessions ------------------------------------------------------------------------------ */

bool cli_session_open(const char *command, const struct cli_backend *backend,
                      const struct cli_codec_set *codecs, struct cli_session *s)
{
    memset(s, 0, sizeof(*s));
    hdabdl_status status = backend->open(command, codecs, &s->dev);
    s->dev.backend = backend;   /* so cli_session_close() undoes a partial open */
    if (!HDABDL_NT_SUCCESS(status))
        return false;

    status = hdabdl_controller_open(s->dev.ops, s->dev.hal_ctx, NULL, &s->ctrl);
    if (!cli_step(command, "controller_open", status, "backend %s", backend->name)) {
        s->ctrl = NULL;
        return false;
    }

    struct hdabdl_controller_info *info = &s->info;
    status = hdabdl_controller_get_info(s->ctrl, info);
    return cli_step(command, "controller_get_info", status,
                    "HDA %u.%u, GCAP 0x%04x, %u in / %u out / %u bidir engines, %u SDO, codecs 0x%04x",
                    info->version_major, info->version_minor, info->gcap, info->input_streams,
                    info->output_streams, info->bidir_streams, info->sdo_lines, info->codec_mask);
}

bool cli_session_close(const char *command, struct cli_session *s)
{
    bool ok = true;
    if (s->ctrl != NULL) {
        hdabdl_controller_close(s->ctrl);
        cli_note("controller_close: done");
        s->ctrl = NULL;
    }
    if (s->dev.backend != NULL) {
        ok = s->dev.backend->close(command, &s->dev);
        s->dev.backend = NULL;
    }
    return ok;
}
