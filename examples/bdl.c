/* SPDX-License-Identifier: MIT */
/*
 * examples/bdl.c - the BDL flavour (HDAUDIO_BUS_INTERFACE_BDL), as an XP-era
 * function driver uses it: the driver gets a contiguous buffer and a BDL
 * page, writes the BDL itself, and is told about each completed fragment by
 * its BDL ISR.
 *
 * Plays a 48 kHz 16-bit stereo buffer of 4 fragments x 10 ms, each with IOC,
 * for one second of (virtual) time: the ISR runs 100 times.
 */
#include <string.h>

#include "example_host.h"

#define FRAGMENTS 4u
#define FRAGMENT_BYTES 1920u   /* 10 ms: 480 frames of 4 bytes */

struct driver {
    unsigned iocs;             /* BDL ISR calls with BCIS */
    unsigned other;            /* with FIFOE or DESE */
};

/* PHDAUDIO_BDL_ISR: interrupt time; only routines allowed at DIRQL/DISPATCH here. */
static void HDABDL_DDI_API on_interrupt(void *context, uint32_t interrupt_bit_mask)
{
    struct driver *drv = context;
    if (interrupt_bit_mask & HDABDL_ISR_BCIS)
        drv->iocs++;
    if (interrupt_bit_mask & (HDABDL_ISR_FIFOE | HDABDL_ISR_DESE))
        drv->other++;
}

int main(void)
{
    struct example_host host;
    struct hdabdl_bus_interface_bdl bus;
    struct hdabdl_stream_format format = {48000, 16, 16, 2};
    struct driver drv = {0, 0};
    hdabdl_handle engine = NULL;
    hdabdl_converter_format conv = 0;
    void *data = NULL;
    struct hdabdl_buffer_descriptor *bdl = NULL;
    uint64_t data_bus = 0;
    uint8_t stream_id = 0;
    uint32_t fifo = 0;
    const volatile uint32_t *lpib = NULL;
    int ok = 0;

    printf("BDL flavour: contiguous buffer, driver-written BDL, BDL ISR\n");
    if (!example_open(&host))
        goto out;
    if (!example_ok("query_interface (BDL)",
                    hdabdl_query_interface(host.client, &hdabdl_guid_bus_interface_bdl,
                                           sizeof bus, HDABDL_INTERFACE_VERSION, &bus)))
        goto out;
    printf("  table: Size %u, Version 0x%04x\n", (unsigned)bus.Size, (unsigned)bus.Version);

    if (!example_ok("AllocateRenderDmaEngine",
                    bus.AllocateRenderDmaEngine(bus.Context, &format, 0, &engine, &conv)) ||
        !example_ok("AllocateContiguousDmaBuffer",
                    bus.AllocateContiguousDmaBuffer(bus.Context, engine,
                                                    FRAGMENTS * FRAGMENT_BYTES, &data, &bdl)))
        goto release;
    printf("  converter format 0x%04x, buffer %u bytes, BDL page at %p\n", (unsigned)conv,
           FRAGMENTS * FRAGMENT_BYTES, (void *)bdl);

    /* A Windows driver calls MmGetPhysicalAddress here. */
    if (!example_ok("get_bus_address (data buffer)",
                    hdabdl_get_bus_address(host.client, data, &data_bus)))
        goto release;

    /* The samples: a quiet ramp on both channels, 16-bit little-endian as the
     * controller reads them (whatever the host's byte order). */
    uint8_t *samples = data;
    for (uint32_t i = 0; i < FRAGMENTS * FRAGMENT_BYTES / 4u; i++) {
        uint16_t left = (uint16_t)((i % 480u) * 16u);
        uint16_t right = (uint16_t)(0u - left);
        samples[4 * i] = (uint8_t)left;
        samples[4 * i + 1] = (uint8_t)(left >> 8);
        samples[4 * i + 2] = (uint8_t)right;
        samples[4 * i + 3] = (uint8_t)(right >> 8);
    }
    /* The BDL: one entry per fragment, each raising an interrupt on completion,
     * written in the controller's byte order. */
    memset(bdl, 0, HDABDL_PAGE_SIZE);
    for (uint32_t i = 0; i < FRAGMENTS; i++)
        hdabdl_bdl_write_entry(bdl, i, data_bus + (uint64_t)i * FRAGMENT_BYTES, FRAGMENT_BYTES, 1);
    if (!example_ok("SetupDmaEngineWithBdl (Lvi 3)",
                    bus.SetupDmaEngineWithBdl(bus.Context, engine, FRAGMENTS * FRAGMENT_BYTES,
                                              FRAGMENTS - 1u, on_interrupt, &drv, &stream_id,
                                              &fifo)))
        goto release;
    printf("  stream id %u, FIFO %u bytes\n", (unsigned)stream_id, (unsigned)fifo);

    if (!example_ok("SetDmaEngineState (Pause)",
                    bus.SetDmaEngineState(bus.Context, HDABDL_PAUSE_STATE, 1, &engine)) ||
        !example_ok("SetDmaEngineState (Run)",
                    bus.SetDmaEngineState(bus.Context, HDABDL_RUN_STATE, 1, &engine)) ||
        !example_ok("GetLinkPositionRegister",
                    bus.GetLinkPositionRegister(bus.Context, engine, &lpib)))
        goto release;

    for (unsigned t = 0; t < 4; t++) {
        example_advance_ms(&host, 250);
        printf("  t = %4u ms: %3u IOCs, link position %5u\n", (t + 1) * 250, drv.iocs,
               (unsigned)*lpib);
    }
    ok = drv.iocs >= 99 && drv.iocs <= 101 && drv.other == 0;
    printf("%s: %u fragment interrupts in 1 s (expected 100), %u errors\n", ok ? "OK" : "FAIL",
           drv.iocs, drv.other);

    example_ok("SetDmaEngineState (Pause)",
               bus.SetDmaEngineState(bus.Context, HDABDL_PAUSE_STATE, 1, &engine));
    example_ok("SetDmaEngineState (Reset)",
               bus.SetDmaEngineState(bus.Context, HDABDL_RESET_STATE, 1, &engine));
    ok &= example_ok("FreeContiguousDmaBuffer",
                     bus.FreeContiguousDmaBuffer(bus.Context, engine));
release:
    if (engine)
        ok &= example_ok("FreeDmaEngine", bus.FreeDmaEngine(bus.Context, engine));
    bus.InterfaceDereference(bus.Context);
out:
    example_close(&host);
    return ok ? 0 : 1;
}
