/* SPDX-License-Identifier: MIT */
/*
 * examples/v1.c - HDAUDIO_BUS_INTERFACE (V1): the bus allocates the buffer,
 * builds the BDL and programs the engine; the driver only fills the buffer
 * the MDL describes and starts the engine.
 *
 * Plays 100 ms of a counting pattern and reads back, on the mock's link,
 * what left the engine: the buffer's bytes in order, wrapping.
 */
#include <stdlib.h>

#include "example_host.h"

#define REQUESTED 19000u   /* rounded up by the bus: use the allocated size */

/* Byte @offset of the buffer: the MDL is a list of pieces (one block, or pages). */
static uint8_t *buffer_byte(const struct hdabdl_mdl *mdl, size_t offset)
{
    size_t pos = mdl->byte_offset + offset;
    for (uint32_t i = 0; i < mdl->page_count; i++) {
        if (pos < mdl->pages[i].size)
            return (uint8_t *)mdl->pages[i].cpu + pos;
        pos -= mdl->pages[i].size;
    }
    return NULL;
}

static uint8_t pattern(size_t i)
{
    return (uint8_t)(i * 7u + (i >> 8));
}

int main(void)
{
    struct example_host host;
    struct hdabdl_bus_interface bus;
    struct hdabdl_stream_format format = {48000, 16, 16, 2};
    hdabdl_handle engine = NULL;
    hdabdl_converter_format conv = 0;
    struct hdabdl_mdl *mdl = NULL;
    size_t allocated = 0;
    uint8_t stream_id = 0;
    uint32_t fifo = 0;
    uint8_t *heard = NULL;
    int ok = 0;

    printf("V1: AllocateDmaBuffer, the bus builds the BDL\n");
    if (!example_open(&host))
        goto out;
    if (!example_ok("query_interface (V1)",
                    hdabdl_query_interface(host.client, &hdabdl_guid_bus_interface, sizeof bus,
                                           HDABDL_INTERFACE_VERSION, &bus)))
        goto out;

    if (!example_ok("AllocateRenderDmaEngine",
                    bus.AllocateRenderDmaEngine(bus.Context, &format, 0, &engine, &conv)) ||
        !example_ok("AllocateDmaBuffer",
                    bus.AllocateDmaBuffer(bus.Context, engine, REQUESTED, &mdl, &allocated,
                                          &stream_id, &fifo)))
        goto release;
    printf("  requested %u bytes, allocated %zu in %u piece(s), stream id %u, FIFO %u bytes\n",
           REQUESTED, allocated, (unsigned)mdl->page_count, (unsigned)stream_id, (unsigned)fifo);

    for (size_t i = 0; i < allocated; i++)
        *buffer_byte(mdl, i) = pattern(i);

    if (!example_ok("SetDmaEngineState (Pause)",
                    bus.SetDmaEngineState(bus.Context, HDABDL_PAUSE_STATE, 1, &engine)) ||
        !example_ok("SetDmaEngineState (Run)",
                    bus.SetDmaEngineState(bus.Context, HDABDL_RUN_STATE, 1, &engine)))
        goto release;
    example_advance_ms(&host, 250);
    example_ok("SetDmaEngineState (Pause)",
               bus.SetDmaEngineState(bus.Context, HDABDL_PAUSE_STATE, 1, &engine));

    /* What the codec received: the mock keeps a tap per stream tag. */
    struct hdabdl_mock *dev = hdabdl_mock_hal_device(host.hal);
    size_t n = hdabdl_mock_link_tap_available(dev, stream_id);
    heard = malloc(n ? n : 1);
    if (!heard)
        goto release;
    n = hdabdl_mock_link_tap_read(dev, stream_id, heard, n);
    size_t same = 0;
    while (same < n && heard[same] == pattern(same % allocated))
        same++;
    ok = n >= 2 * allocated && same == n;
    printf("%s: the link carried %zu bytes (%.2f buffer passes); %zu match the buffer in order\n",
           ok ? "OK" : "FAIL", n, (double)n / (double)allocated, same);

    example_ok("SetDmaEngineState (Reset)",
               bus.SetDmaEngineState(bus.Context, HDABDL_RESET_STATE, 1, &engine));
    ok &= example_ok("FreeDmaBuffer", bus.FreeDmaBuffer(bus.Context, engine));
release:
    if (engine)
        ok &= example_ok("FreeDmaEngine", bus.FreeDmaEngine(bus.Context, engine));
    bus.InterfaceDereference(bus.Context);
out:
    free(heard);
    example_close(&host);
    return ok ? 0 : 1;
}
