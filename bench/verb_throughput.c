/* SPDX-License-Identifier: MIT */
/*
 * verb_throughput - how fast codec verbs travel, in link time and in register
 * accesses, over the mock controller (whose codecs answer on the link's
 * schedule: one verb per 20.83 us frame, the response in the next frame).
 *
 * Prints, for N GET_PARAMETER verbs to the default codec:
 *   - one batch (pipelined through the CORB),
 *   - N single-verb calls (send, then wait: what a driver gets without batching),
 *   - one batch in immediate-command mode (CORB unusable),
 * the verbs per second of link time, frames per verb, and MMIO reads/writes
 * per verb; and the host CPU time per verb (median of several runs).
 *
 * Usage: verb_throughput [N] [runs]     (defaults 4800 and 5)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hdabdl/hdabdl.h"
#include "hdabdl/mock.h"

#define FRAME_NS (1e9 / 48000.0)

struct result {
    double link_ns;
    double cpu_ns;
    double reads;
    double writes;
    unsigned invalid;
};

enum mode { BATCH, SINGLE, IMMEDIATE };

static double cpu_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int run(enum mode mode, unsigned n, struct result *out)
{
    struct hdabdl_mock_hal_config cfg;
    struct hdabdl_mock_hal *hal;
    hdabdl_controller *ctrl;
    hdabdl_client *client;
    struct hdabdl_codec_transfer *t = calloc(n, sizeof *t);
    struct hdabdl_mock_stats before, after;
    struct hdabdl_mock *dev;
    uint64_t t0;
    double c0;
    hdabdl_status st;

    if (!t)
        return -1;
    hdabdl_mock_hal_config_default(&cfg);
    if (mode == IMMEDIATE)
        cfg.device.corbrp_reset = HDABDL_MOCK_CORBRP_NEVER_ACKED;   /* CORB unusable */
    if (hdabdl_mock_hal_create(&cfg, &hal) != 0) {
        free(t);
        return -1;
    }
    dev = hdabdl_mock_hal_device(hal);
    st = hdabdl_controller_open(hdabdl_mock_hal_ops(), hdabdl_mock_hal_context(hal), NULL, &ctrl);
    if (!HDABDL_NT_SUCCESS(st) || !HDABDL_NT_SUCCESS(hdabdl_client_open(ctrl, 0, 1, &client))) {
        fprintf(stderr, "open: %s\n", hdabdl_status_name(st));
        return -1;
    }
    for (unsigned i = 0; i < n; i++)
        t[i].output.command = HDABDL_VERB12(0, 1, HDABDL_VERB_GET_PARAMETER,
                                            i % 2 ? HDABDL_PARAM_VENDOR_ID : HDABDL_PARAM_NODE_COUNT);

    hdabdl_mock_get_stats(dev, &before);
    t0 = hdabdl_mock_now(dev);
    c0 = cpu_now_ns();
    if (mode == SINGLE) {
        for (unsigned i = 0; i < n; i++)
            st = hdabdl_transfer_codec_verbs(client, 1, &t[i], NULL, NULL);
    } else {
        st = hdabdl_transfer_codec_verbs(client, n, t, NULL, NULL);
    }
    out->cpu_ns = (cpu_now_ns() - c0) / n;
    out->link_ns = (double)(hdabdl_mock_now(dev) - t0);
    hdabdl_mock_get_stats(dev, &after);
    out->reads = (double)(after.reg_reads - before.reg_reads) / n;
    out->writes = (double)(after.reg_writes - before.reg_writes) / n;
    out->invalid = 0;
    for (unsigned i = 0; i < n; i++)
        out->invalid += !t[i].input.is_valid;

    hdabdl_client_close(client);
    hdabdl_controller_close(ctrl);
    hdabdl_mock_hal_destroy(hal);
    free(t);
    return HDABDL_NT_SUCCESS(st) ? 0 : -1;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    unsigned n = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 0) : 4800;
    unsigned runs = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 0) : 5;
    static const char *names[] = {"one batch (CORB, pipelined)", "single-verb calls (send, wait)",
                                  "one batch (immediate commands)"};
    double batch_rate = 0;

    if (n == 0 || runs == 0 || runs > 99) {
        fprintf(stderr, "usage: verb_throughput [N>0] [runs 1..99]\n");
        return 2;
    }
    printf("%u GET_PARAMETER verbs to the mock's default codec, %u runs, medians\n", n, runs);
    printf("%-34s %12s %12s %10s %10s %12s\n", "mode", "verbs/s", "frames/verb", "reads/verb",
           "writes/verb", "cpu ns/verb");
    for (int m = BATCH; m <= IMMEDIATE; m++) {
        double cpu[99];
        struct result r = {0};
        for (unsigned k = 0; k < runs; k++) {
            if (run((enum mode)m, n, &r) != 0 || r.invalid) {
                fprintf(stderr, "%s: failed (%u invalid responses)\n", names[m], r.invalid);
                return 1;
            }
            cpu[k] = r.cpu_ns;
        }
        qsort(cpu, runs, sizeof cpu[0], cmp_double);
        double rate = n / (r.link_ns / 1e9);
        if (m == BATCH)
            batch_rate = rate;
        printf("%-34s %12.0f %12.2f %10.2f %10.2f %12.0f", names[m], rate, r.link_ns / FRAME_NS / n,
               r.reads, r.writes, cpu[runs / 2]);
        if (m != BATCH)
            printf("   (batch is %.2fx faster)", batch_rate / rate);
        printf("\n");
    }
    printf("link ceiling: 48000 verbs/s (one per frame); Linux sync_write: <= 24000 verbs/s\n");
    return 0;
}
