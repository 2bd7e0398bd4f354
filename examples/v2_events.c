/* SPDX-License-Identifier: MIT */
/*
 * examples/v2_events.c - HDAUDIO_BUS_INTERFACE_V2: a bus-allocated buffer
 * with two notifications per pass (the midpoint and the end) and a
 * notification event, as a WaveRT miniport uses them.
 *
 * The DDI's event is a KEVENT; here it is a struct hdabdl_notification_event
 * embedded in the driver's own object, whose signal() the bus calls at
 * interrupt time. 100 ms of buffer, NotificationCount 2: 20 signals a second.
 */
#include "example_host.h"

#define REQUESTED 19200u   /* 100 ms at 48 kHz, 16-bit stereo */

struct stream {
    struct hdabdl_notification_event event;   /* first: the bus hands this back */
    unsigned signals;
};

static void on_signal(struct hdabdl_notification_event *event)
{
    struct stream *s = (struct stream *)(void *)event;
    s->signals++;   /* a real driver would wake the thread refilling the buffer */
}

int main(void)
{
    struct example_host host;
    struct hdabdl_bus_interface_v2 bus;
    struct hdabdl_stream_format format = {48000, 16, 16, 2};
    struct stream stream = {{on_signal}, 0};
    hdabdl_handle engine = NULL;
    hdabdl_converter_format conv = 0;
    struct hdabdl_mdl *mdl = NULL;
    size_t allocated = 0, offset = 0;
    uint8_t stream_id = 0;
    uint32_t fifo = 0;
    int ok = 0;

    printf("V2: AllocateDmaBufferWithNotification (2 per pass) + RegisterNotificationEvent\n");
    if (!example_open(&host))
        goto out;
    if (!example_ok("query_interface (V2)",
                    hdabdl_query_interface(host.client, &hdabdl_guid_bus_interface_v2, sizeof bus,
                                           HDABDL_INTERFACE_VERSION, &bus)))
        goto out;

    if (!example_ok("AllocateRenderDmaEngine",
                    bus.AllocateRenderDmaEngine(bus.Context, &format, 0, &engine, &conv)) ||
        !example_ok("AllocateDmaBufferWithNotification",
                    bus.AllocateDmaBufferWithNotification(bus.Context, engine, 2, REQUESTED, &mdl,
                                                          &allocated, &offset, &stream_id,
                                                          &fifo)))
        goto release;
    printf("  allocated %zu bytes, offset from first page %zu, stream id %u\n", allocated,
           offset, (unsigned)stream_id);
    if (!example_ok("RegisterNotificationEvent",
                    bus.RegisterNotificationEvent(bus.Context, engine, &stream.event)) ||
        !example_ok("SetDmaEngineState (Pause)",
                    bus.SetDmaEngineState(bus.Context, HDABDL_PAUSE_STATE, 1, &engine)) ||
        !example_ok("SetDmaEngineState (Run)",
                    bus.SetDmaEngineState(bus.Context, HDABDL_RUN_STATE, 1, &engine)))
        goto release;

    example_advance_ms(&host, 25);   /* off the notification instants */
    unsigned before = stream.signals;
    for (unsigned t = 1; t <= 4; t++) {
        example_advance_ms(&host, 250);
        printf("  t = %4u ms: %2u signals\n", t * 250, stream.signals - before);
    }
    unsigned in_a_second = stream.signals - before;
    ok = in_a_second == 20;
    printf("%s: the event was signalled %u times in 1 s (expected 20: every 50 ms)\n",
           ok ? "OK" : "FAIL", in_a_second);

    ok &= example_ok("UnregisterNotificationEvent",
                     bus.UnregisterNotificationEvent(bus.Context, engine, &stream.event));
    example_ok("SetDmaEngineState (Pause)",
               bus.SetDmaEngineState(bus.Context, HDABDL_PAUSE_STATE, 1, &engine));
    example_ok("SetDmaEngineState (Reset)",
               bus.SetDmaEngineState(bus.Context, HDABDL_RESET_STATE, 1, &engine));
    ok &= example_ok("FreeDmaBufferWithNotification",
                     bus.FreeDmaBufferWithNotification(bus.Context, engine, mdl, allocated));
release:
    if (engine)
        ok &= example_ok("FreeDmaEngine", bus.FreeDmaEngine(bus.Context, engine));
    bus.InterfaceDereference(bus.Context);
out:
    example_close(&host);
    return ok ? 0 : 1;
}
