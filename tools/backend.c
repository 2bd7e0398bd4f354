/*
 * backend.c - the backends the tool can open.
 *
 * Only the mock is built today. The pciaccess backend (real controllers) will
 * be one more row, with a NULL link_tap_read since real hardware has no tap.
 */
#include <string.h>

#include "hdabdl/mock.h"

#include "cli.h"

static hdabdl_status mock_open(const char *command, struct cli_device *dev)
{
    struct hdabdl_mock_hal_config config;
    hdabdl_mock_hal_config_default(&config);

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
    printf("mock_hal_destroy: done (%zu illegal accesses, %zu DMA blocks leaked)\n", violations,
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

static const struct cli_backend backends[] = {
    { "mock", "the register-accurate software controller in the library (virtual time)",
      mock_open, mock_close, mock_advance, mock_tap_read, mock_tap_dropped },
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
