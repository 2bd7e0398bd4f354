/* SPDX-License-Identifier: MIT */
/*
 * examples/v3_callbacks.c - HDAUDIO_BUS_INTERFACE_V3: a DMA notification
 * callback that gets the time of each buffer-completion interrupt.
 *
 * On Windows the timestamp is the QPC value at the IOC; here it is the HAL's
 * now_ns (the mock's virtual nanoseconds) taken when the interrupt was
 * serviced. With NotificationCount 2 on a 100 ms buffer the callbacks come
 * 50 ms apart.
 */
#include "example_host.h"

#define REQUESTED 19200u
#define CALLS 10u

struct stream {
    unsigned calls;
    int64_t stamps[CALLS];
};

/* PHDAUDIO_DMA_NOTIFICATION_CALLBACK: interrupt (DPC) time. */
static void HDABDL_DDI_API on_notification(void *context, int64_t timestamp_ns)
{
    struct stream *s = context;
    if (s->calls < CALLS)
        s->stamps[s->calls] = timestamp_ns;
    s->calls++;
}

int main(void)
{
    struct example_host host;
    struct hdabdl_bus_interface_v3 bus;
    struct hdabdl_stream_format format = {48000, 16, 16, 2};
    struct stream stream = {0, {0}};
    hdabdl_handle engine = NULL;
    hdabdl_converter_format conv = 0;
    struct hdabdl_mdl *mdl = NULL;
    size_t allocated = 0, offset = 0;
    uint8_t stream_id = 0;
    uint32_t fifo = 0;
    int fdo = 0;   /* stands for the driver's DEVICE_OBJECT */
    int ok = 0;

    printf("V3: RegisterNotificationCallback, timestamps of the buffer interrupts\n");
    if (!example_open(&host))
        goto out;
    if (!example_ok("query_interface (V3)",
                    hdabdl_query_interface(host.client, &hdabdl_guid_bus_interface_v3, sizeof bus,
                                           HDABDL_INTERFACE_VERSION, &bus)))
        goto out;

    if (!example_ok("AllocateRenderDmaEngine",
                    bus.AllocateRenderDmaEngine(bus.Context, &format, 0, &engine, &conv)) ||
        !example_ok("AllocateDmaBufferWithNotification",
                    bus.AllocateDmaBufferWithNotification(bus.Context, engine, 2, REQUESTED, &mdl,
                                                          &allocated, &offset, &stream_id,
                                                          &fifo)) ||
        !example_ok("RegisterNotificationCallback",
                    bus.RegisterNotificationCallback(bus.Context, engine, &fdo, on_notification,
                                                     &stream)))
        goto release;

    int64_t start = (int64_t)example_now_ns(&host);
    if (!example_ok("SetDmaEngineState (Pause)",
                    bus.SetDmaEngineState(bus.Context, HDABDL_PAUSE_STATE, 1, &engine)) ||
        !example_ok("SetDmaEngineState (Run)",
                    bus.SetDmaEngineState(bus.Context, HDABDL_RUN_STATE, 1, &engine)))
        goto release;
    example_advance_ms(&host, 520);

    ok = stream.calls == CALLS;
    for (unsigned i = 0; i < CALLS && i < stream.calls; i++) {
        double at = (double)(stream.stamps[i] - start) / 1e6;
        double gap = i ? (double)(stream.stamps[i] - stream.stamps[i - 1]) / 1e6 : at;
        printf("  callback %2u: timestamp %12lld ns (%8.3f ms after Run, %+7.3f ms)\n", i + 1,
               (long long)stream.stamps[i], at, gap);
        ok &= gap > 49.9 && gap < 50.2 && (i == 0 || stream.stamps[i] > stream.stamps[i - 1]);
    }
    printf("%s: %u callbacks in 520 ms, 50 ms apart\n", ok ? "OK" : "FAIL", stream.calls);

    ok &= example_ok("UnregisterNotificationCallback",
                     bus.UnregisterNotificationCallback(bus.Context, engine, on_notification,
                                                        &stream));
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
