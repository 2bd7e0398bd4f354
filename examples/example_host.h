/* SPDX-License-Identifier: MIT */
/*
 * examples/example_host.h - what the examples share: the host side.
 *
 * A real host (an emulator running a Windows HD Audio function driver, or a
 * test bench on real hardware) owns a controller and answers the driver's
 * IRP_MN_QUERY_INTERFACE. Here the controller is the library's mock: a
 * register-accurate software HDA controller whose time is virtual and moves
 * only when example_advance_ms() is called, so every run is the same.
 *
 * Everything else in each example is what a function driver does: it gets
 * an interface table from hdabdl_query_interface() and calls through it,
 * passing the table's Context first.
 */
#ifndef HDABDL_EXAMPLE_HOST_H
#define HDABDL_EXAMPLE_HOST_H

#include <stdio.h>

#include "hdabdl/ddi.h"
#include "hdabdl/hdabdl.h"
#include "hdabdl/mock.h"

struct example_host {
    struct hdabdl_mock_hal *hal;   /* the mock controller and its DMA memory */
    hdabdl_controller *ctrl;
    hdabdl_client *client;         /* the function driver's context (codec 0, AFG at node 1) */
};

/* Print a routine's status and say whether it succeeded. */
static inline int example_ok(const char *what, hdabdl_status st)
{
    printf("  %-36s %s\n", what, hdabdl_status_name(st));
    return HDABDL_NT_SUCCESS(st);
}

/* The mock controller, the library on top of it, and one client. */
static inline int example_open(struct example_host *host)
{
    struct hdabdl_mock_hal_config cfg;

    host->hal = NULL;
    host->ctrl = NULL;
    host->client = NULL;
    hdabdl_mock_hal_config_default(&cfg);
    if (hdabdl_mock_hal_create(&cfg, &host->hal) != 0) {
        fprintf(stderr, "cannot create the mock controller\n");
        return 0;
    }
    if (!example_ok("controller_open (mock)",
                    hdabdl_controller_open(hdabdl_mock_hal_ops(),
                                           hdabdl_mock_hal_context(host->hal), NULL,
                                           &host->ctrl)) ||
        !example_ok("client_open (codec 0, node 1)",
                    hdabdl_client_open(host->ctrl, 0, 1, &host->client)))
        return 0;
    return 1;
}

/* Let @ms milliseconds of virtual time pass: the engines move data and
 * interrupts are delivered (the driver's callbacks run in here). */
static inline void example_advance_ms(struct example_host *host, unsigned ms)
{
    hdabdl_mock_hal_advance(host->hal, (uint64_t)ms * 1000000u);
}

static inline uint64_t example_now_ns(const struct example_host *host)
{
    return hdabdl_mock_now(hdabdl_mock_hal_device(host->hal));
}

static inline void example_close(struct example_host *host)
{
    if (host->client)
        hdabdl_client_close(host->client);
    if (host->ctrl)
        hdabdl_controller_close(host->ctrl);
    if (host->hal)
        hdabdl_mock_hal_destroy(host->hal);
}

#endif /* HDABDL_EXAMPLE_HOST_H */
