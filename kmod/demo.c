// SPDX-License-Identifier: MIT
/*
 * demo.c - the hdabdl_demo kernel module: that plays a sine through the
 * hdabdl DDI core, linked unmodified, over the kernel HAL (src/hal/linux).
 *
 * It binds HD Audio controllers (PCI class 0x0403xx) that no other driver
 * holds. Probe maps the controller and queues the playback; the work item
 * opens the controller through the DDI, finds an output path on the first
 * codec with TransferCodecVerbs, allocates a render engine and a contiguous
 * buffer, writes a BDL of NFRAG fragments with IOC, calls
 * SetupDmaEngineWithBdl, gives the converter the stream id, runs the engine
 * with SetDmaEngineState, and refills played fragments from the BDL ISR (at
 * interrupt time, using only the buffer and the link position register the
 * DDI handed out). After `seconds` it pauses, resets and frees everything.
 * rmmod (or unbind) at any moment stops the engine and frees everything.
 *
 * Module parameters: freq (Hz, default 1000; 1..23999), seconds (default 2;
 * 1..3600). Out of range: the probe fails with -EINVAL and says why.
 */
#define pr_fmt(fmt) "hdabdl_demo: " fmt

#include <linux/completion.h>
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "hal/linux/linux_hal.h"
#include "hdabdl/hdabdl.h"
#include "hdabdl/verbs.h"

static unsigned int freq = 1000;
module_param(freq, uint, 0444);
MODULE_PARM_DESC(freq, "sine frequency in Hz (default 1000)");
static unsigned int seconds = 2;
module_param(seconds, uint, 0444);
MODULE_PARM_DESC(seconds, "seconds to play (default 2)");

#define RATE 48000u
#define CHANNELS 2u
#define FRAME_BYTES (2u * CHANNELS)            /* 16-bit stereo */
#define NFRAG 4u
#define FRAG_FRAMES (RATE / 10u)               /* 100 ms */
#define FRAG_BYTES (FRAG_FRAMES * FRAME_BYTES)
#define MAX_NODES 256u
#define MAX_CONN 16u
#define MAX_PATH 5u                            /* DAC ... pin, at most */

/* Widget types (Intel HDA specification 1.0a, section 7.3.4.6). */
#define WTYPE(caps) (((caps) >> 20) & 0xFu)
#define WTYPE_OUTPUT 0x0u
#define WTYPE_PIN 0x4u
#define WCAP_IN_AMP (1u << 1)
#define WCAP_OUT_AMP (1u << 2)
#define WCAP_CONN_LIST (1u << 8)
#define WCAP_DIGITAL (1u << 9)
#define PINCAP_HP_DRV (1u << 3)
#define PINCAP_OUT (1u << 4)
#define PINCAP_EAPD (1u << 16)

struct demo {
    struct pci_dev *pdev;
    struct hdabdl_linux_hal hal;
    struct work_struct work;
    struct completion wake;                 /* finished or stop_requested was set */
    bool finished;                          /* the ISR saw the last sine fragment played */
    bool stop_requested;                    /* remove() wants it to end now */
    hdabdl_controller *ctrl;
    hdabdl_client *client;
    hdabdl_handle engine;
    bool engine_allocated, buffer_allocated, running;
    /* The codec path. */
    u8 cad, afg, path[MAX_PATH], path_len; /* path[0] = DAC ... path[len-1] = pin */
    /* What the ISR uses: the buffer and the link position the DDI gave. */
    u8 *data;
    u64 data_bus;
    struct hdabdl_buffer_descriptor *bdl;
    u64 bdl_bus;
    const volatile u32 *lpib;
    u64 total_frames;                       /* of sine */
    u64 frames_written;                     /* sine or silence, from the start */
    u32 playing;                            /* absolute fragment the engine is in */
    u32 last_fragment;                      /* absolute fragment holding the last sine */
    /* Per-node scan of the codec (allocated in the work item). */
    u32 *caps;
    u8 (*conn)[MAX_CONN];
    u8 *nconn;
};

static const char *st_name(hdabdl_status st)
{
    return hdabdl_status_name(st);
}

/* Log a DDI step and pass its status on. */
static hdabdl_status step(const char *what, hdabdl_status st)
{
    pr_info("%s: %s\n", what, st_name(st));
    return st;
}

/* ---- Sine without floating point (kernel code) ----------------------------------- */

/* sin(pi/2 * t) for t in [0, 1] in Q30, Taylor to t^9 (error < 4e-6). */
static s64 quarter_sine_q30(s64 t)
{
    static const s64 c[] = {172272, -5026995, 85569306, -693598668, 1686629713};
    s64 u = (t * t) >> 30, acc = c[0];
    unsigned int i;

    for (i = 1; i < ARRAY_SIZE(c); i++)
        acc = c[i] + ((acc * u) >> 30);
    return (acc * t) >> 30;
}

/* Sample n of a sine at freq with peak 0.5 of full scale, rounded. */
static s16 sine_sample(u64 n)
{
    u64 p = (n * freq) % RATE;              /* phase in 1/RATE turns */
    u64 quarter = p * 4 / RATE, r = p * 4 - quarter * RATE;
    s64 t = (s64)((r << 30) / RATE), s, v;

    if (quarter & 1)
        t = ((s64)1 << 30) - t;
    s = quarter_sine_q30(t);                /* Q30, >= 0 */
    v = (s * 32767 + ((s64)1 << 30)) >> 31; /* * 16383.5, rounded */
    return (s16)(quarter >= 2 ? -v : v);
}

/* Fill fragment @frag of the ring with the next FRAG_FRAMES frames. */
static void fill_fragment(struct demo *d, u32 frag)
{
    u8 *p = d->data + (size_t)frag * FRAG_BYTES;
    u32 i;

    for (i = 0; i < FRAG_FRAMES; i++, d->frames_written++) {
        s16 v = d->frames_written < d->total_frames ? sine_sample(d->frames_written) : 0;
        /* Little-endian samples, both channels. */
        p[4 * i + 0] = p[4 * i + 2] = (u8)v;
        p[4 * i + 1] = p[4 * i + 3] = (u8)((u16)v >> 8);
    }
}

/* The BDL ISR (interrupt time): every fragment the engine has left is played;
 * refill it with what comes NFRAG fragments later. */
static void demo_isr(void *context, uint32_t bits)
{
    struct demo *d = context;
    u32 now;

    if (!(bits & HDABDL_ISR_BCIS))
        return;
    now = *d->lpib / FRAG_BYTES;
    if (now >= NFRAG)
        return;                             /* garbage: believe nothing */
    while (d->playing % NFRAG != now) {
        fill_fragment(d, d->playing % NFRAG);
        d->playing++;
    }
    /* One fragment of silence after the last sine one has been played too: by
     * then the device has taken every sine frame (QEMU buffers 43 ms of it). */
    if (d->playing > d->last_fragment + 1 && !READ_ONCE(d->finished)) {
        WRITE_ONCE(d->finished, true);
        complete(&d->wake);
    }
}

/* ---- Codec verbs ------------------------------------------------------------------- */

static hdabdl_status verb(struct demo *d, u8 nid, u32 verb12, u32 payload, u32 *response)
{
    struct hdabdl_codec_transfer t = {0};
    hdabdl_status st;

    t.output.command = verb12 > 0xF ? HDABDL_VERB12(d->cad, nid, verb12, payload)
                                    : HDABDL_VERB4(d->cad, nid, verb12, payload);
    st = hdabdl_transfer_codec_verbs(d->client, 1, &t, NULL, NULL);
    if (HDABDL_NT_SUCCESS(st) && !HDABDL_RESPONSE_IS_VALID(t.input.complete_response))
        st = HDABDL_STATUS_IO_TIMEOUT;
    if (response)
        *response = HDABDL_RESPONSE_VALUE(t.input.complete_response);
    return st;
}

static hdabdl_status param(struct demo *d, u8 nid, u32 id, u32 *value)
{
    return verb(d, nid, HDABDL_VERB_GET_PARAMETER, id, value);
}

/* The audio function group of codec d->cad (d->afg); widgets [*first, *first + *count). */
static hdabdl_status find_afg(struct demo *d, u32 *first, u32 *count)
{
    u32 nodes, type, i;
    hdabdl_status st = param(d, 0, HDABDL_PARAM_NODE_COUNT, &nodes);

    for (i = 0; HDABDL_NT_SUCCESS(st) && i < (nodes & 0xFF); i++) {
        u8 fg = (u8)(((nodes >> 16) & 0xFF) + i);
        st = param(d, fg, HDABDL_PARAM_FUNCTION_TYPE, &type);
        if (HDABDL_NT_SUCCESS(st) && (type & 0xFF) == 0x01) {
            d->afg = fg;
            st = param(d, fg, HDABDL_PARAM_NODE_COUNT, &nodes);
            *first = (nodes >> 16) & 0xFF;
            *count = nodes & 0xFF;
            return st;
        }
    }
    return HDABDL_NT_SUCCESS(st) ? HDABDL_STATUS_NOT_FOUND : st;
}

/* Capabilities and (short-form) connection lists of every widget. */
static hdabdl_status scan_widgets(struct demo *d, u32 first, u32 count)
{
    u32 nid, len, i, r;
    hdabdl_status st = HDABDL_STATUS_SUCCESS;

    for (nid = first; nid < first + count && nid < MAX_NODES && HDABDL_NT_SUCCESS(st); nid++) {
        st = param(d, (u8)nid, HDABDL_PARAM_AUDIO_WIDGET_CAP, &d->caps[nid]);
        if (!HDABDL_NT_SUCCESS(st) || !(d->caps[nid] & WCAP_CONN_LIST))
            continue;
        st = param(d, (u8)nid, HDABDL_PARAM_CONNLIST_LEN, &len);
        if (!HDABDL_NT_SUCCESS(st) || (len & 0x80))
            continue;                       /* long form: not followed here */
        len &= 0x7F;
        for (i = 0; i < len && i < MAX_CONN && HDABDL_NT_SUCCESS(st); i += 4) {
            u32 k;
            st = verb(d, (u8)nid, HDABDL_VERB_GET_CONNECT_LIST, i, &r);
            for (k = 0; k < 4 && i + k < len && i + k < MAX_CONN; k++)
                d->conn[nid][i + k] = (u8)(r >> (8 * k));
        }
        d->nconn[nid] = (u8)min_t(u32, len, MAX_CONN);
    }
    return st;
}

/* A path from an output pin back to an analog DAC, breadth first over the
 * connection lists (no recursion): the first pin in node order that has one. */
static bool find_path(struct demo *d, u32 first, u32 count)
{
    u8 *parent = kcalloc(MAX_NODES, 1, GFP_KERNEL), *queue = kcalloc(MAX_NODES, 1, GFP_KERNEL);
    u8 *depth = kcalloc(MAX_NODES, 1, GFP_KERNEL);
    bool found = false;
    u32 pin, pincap;

    for (pin = first; parent && queue && depth && !found && pin < first + count && pin < MAX_NODES; pin++) {
        u32 head = 0, tail = 0;
        if (WTYPE(d->caps[pin]) != WTYPE_PIN ||
            !HDABDL_NT_SUCCESS(param(d, (u8)pin, HDABDL_PARAM_PIN_CAP, &pincap)) ||
            !(pincap & PINCAP_OUT))
            continue;
        memset(parent, 0, MAX_NODES);
        parent[pin] = (u8)pin;
        depth[pin] = 1;
        queue[tail++] = (u8)pin;
        while (head < tail && !found) {
            u8 n = queue[head++], i;
            for (i = 0; i < d->nconn[n] && !found; i++) {
                u8 m = d->conn[n][i];
                if (m < first || m >= first + count || parent[m] || depth[n] >= MAX_PATH)
                    continue;
                parent[m] = n;
                depth[m] = depth[n] + 1;
                if (WTYPE(d->caps[m]) == WTYPE_OUTPUT && !(d->caps[m] & WCAP_DIGITAL)) {
                    u8 x = m;
                    d->path_len = 0;
                    while (d->path_len < MAX_PATH) {
                        d->path[d->path_len++] = x;
                        if (x == pin)
                            break;
                        x = parent[x];
                    }
                    found = true;
                } else if (tail < MAX_NODES) {
                    queue[tail++] = m;
                }
            }
        }
    }
    kfree(parent);
    kfree(queue);
    kfree(depth);
    return found;
}

/* Power the path up, select each hop, unmute amps at 0 dB, enable the pin. */
static hdabdl_status program_path(struct demo *d)
{
    hdabdl_status st = verb(d, d->afg, HDABDL_VERB_SET_POWER_STATE, 0, NULL);
    u32 i, r;

    for (i = 0; i < d->path_len && HDABDL_NT_SUCCESS(st); i++) {
        u8 n = d->path[i];
        u32 caps = d->caps[n], amp = 0;

        st = verb(d, n, HDABDL_VERB_SET_POWER_STATE, 0, NULL);
        if (HDABDL_NT_SUCCESS(st) && i > 0 && d->nconn[n] > 1) {
            u32 k;
            for (k = 0; k < d->nconn[n]; k++)
                if (d->conn[n][k] == d->path[i - 1])
                    st = verb(d, n, HDABDL_VERB_SET_CONNECT_SEL, k, NULL);
        }
        if (HDABDL_NT_SUCCESS(st) && (caps & WCAP_OUT_AMP)) {
            st = param(d, n, HDABDL_PARAM_AMP_OUT_CAP, &amp);
            if (HDABDL_NT_SUCCESS(st))
                st = verb(d, n, HDABDL_VERB4_SET_AMP_GAIN_MUTE,
                          HDABDL_AMP_SET_OUTPUT | HDABDL_AMP_SET_LEFT | HDABDL_AMP_SET_RIGHT |
                              (amp & 0x7F), NULL);
        }
        if (HDABDL_NT_SUCCESS(st) && i > 0 && (caps & WCAP_IN_AMP)) {
            u32 k;
            st = param(d, n, HDABDL_PARAM_AMP_IN_CAP, &amp);
            for (k = 0; HDABDL_NT_SUCCESS(st) && k < d->nconn[n]; k++)
                if (d->conn[n][k] == d->path[i - 1])
                    st = verb(d, n, HDABDL_VERB4_SET_AMP_GAIN_MUTE,
                              HDABDL_AMP_SET_INPUT | HDABDL_AMP_SET_LEFT | HDABDL_AMP_SET_RIGHT |
                                  (k << 8) | (amp & 0x7F), NULL);
        }
    }
    if (HDABDL_NT_SUCCESS(st)) {
        u8 pin = d->path[d->path_len - 1];
        st = param(d, pin, HDABDL_PARAM_PIN_CAP, &r);
        if (HDABDL_NT_SUCCESS(st))
            st = verb(d, pin, HDABDL_VERB_SET_PIN_WIDGET_CONTROL,
                      HDABDL_PIN_OUT_ENABLE | (r & PINCAP_HP_DRV ? HDABDL_PIN_HP_ENABLE : 0), NULL);
        if (HDABDL_NT_SUCCESS(st) && (r & PINCAP_EAPD))
            st = verb(d, pin, HDABDL_VERB_SET_EAPD_BTLENABLE, 0x02, NULL);
    }
    return st;
}

static hdabdl_status find_output_path(struct demo *d)
{
    struct hdabdl_controller_info info;
    u32 first = 0, count = 0, i;
    hdabdl_status st;

    st = step("controller_get_info", hdabdl_controller_get_info(d->ctrl, &info));
    if (!HDABDL_NT_SUCCESS(st))
        return st;
    if (!info.codec_mask)
        return HDABDL_STATUS_NO_SUCH_DEVICE;
    d->cad = (u8)__ffs(info.codec_mask);
    pr_info("GCAP 0x%04x, codec mask 0x%04x: codec %u\n", info.gcap, info.codec_mask, d->cad);
    /* The function group's node is found through the client's verbs; the start
     * node given here is what GetResourceInformation reports (1 on most codecs). */
    st = step("client_open", hdabdl_client_open(d->ctrl, d->cad, 1, &d->client));
    if (!HDABDL_NT_SUCCESS(st))
        return st;
    st = step("transfer_codec_verbs(find the audio function group)", find_afg(d, &first, &count));
    if (!HDABDL_NT_SUCCESS(st))
        return st;
    d->caps = kcalloc(MAX_NODES, sizeof(*d->caps), GFP_KERNEL);
    d->conn = kcalloc(MAX_NODES, sizeof(*d->conn), GFP_KERNEL);
    d->nconn = kcalloc(MAX_NODES, 1, GFP_KERNEL);
    if (!d->caps || !d->conn || !d->nconn)
        return HDABDL_STATUS_INSUFFICIENT_RESOURCES;
    st = step("transfer_codec_verbs(widget capabilities and connections)",
              scan_widgets(d, first, count));
    if (!HDABDL_NT_SUCCESS(st))
        return st;
    if (!find_path(d, first, count)) {
        pr_info("codec %u: no output path\n", d->cad);
        return HDABDL_STATUS_NOT_FOUND;
    }
    pr_info("codec %u output path: DAC 0x%02x", d->cad, d->path[0]);
    for (i = 1; i < d->path_len; i++)
        pr_cont(" -> 0x%02x", d->path[i]);
    pr_cont(" (pin)\n");
    return step("transfer_codec_verbs(program the path)", program_path(d));
}

/* ---- Playback ------------------------------------------------------------------------ */

static hdabdl_status play(struct demo *d)
{
    struct hdabdl_stream_format fmt = {.sample_rate = RATE, .valid_bits_per_sample = 16,
                                       .container_size = 16, .number_of_channels = CHANNELS};
    hdabdl_converter_format conv;
    unsigned long timeout;
    void *data;
    u8 stream_id;
    u32 fifo, i;
    hdabdl_status st;

    st = step("allocate_render_dma_engine",
              hdabdl_allocate_render_dma_engine(d->client, &fmt, false, &d->engine, &conv));
    if (!HDABDL_NT_SUCCESS(st))
        return st;
    d->engine_allocated = true;
    st = step("allocate_contiguous_dma_buffer",
              hdabdl_allocate_contiguous_dma_buffer(d->client, d->engine, NFRAG * FRAG_BYTES, &data,
                                                    &d->data_bus, &d->bdl, &d->bdl_bus));
    if (!HDABDL_NT_SUCCESS(st))
        return st;
    d->buffer_allocated = true;
    d->data = data;
    d->total_frames = (u64)seconds * RATE;
    d->last_fragment = d->total_frames ? (u32)((d->total_frames - 1) / FRAG_FRAMES) : 0;
    for (i = 0; i < NFRAG; i++) {
        fill_fragment(d, i);
        hdabdl_bdl_write_entry(d->bdl, i, d->data_bus + (u64)i * FRAG_BYTES, FRAG_BYTES, 1);
    }
    st = step("get_link_position_register",
              hdabdl_get_link_position_register(d->client, d->engine, &d->lpib));
    if (!HDABDL_NT_SUCCESS(st))
        return st;
    st = step("setup_dma_engine_with_bdl",
              hdabdl_setup_dma_engine_with_bdl(d->client, d->engine, NFRAG * FRAG_BYTES, NFRAG - 1,
                                               demo_isr, d, &stream_id, &fifo));
    if (!HDABDL_NT_SUCCESS(st))
        return st;
    pr_info("stream id %u, FIFO %u bytes, converter format 0x%04x, %u fragments of %u bytes\n",
            stream_id, fifo, conv, NFRAG, FRAG_BYTES);
    st = step("transfer_codec_verbs(converter format and stream id)",
              verb(d, d->path[0], HDABDL_VERB4_SET_STREAM_FORMAT, conv, NULL));
    if (HDABDL_NT_SUCCESS(st))
        st = verb(d, d->path[0], HDABDL_VERB_SET_CHANNEL_STREAMID, (u32)stream_id << 4, NULL);
    if (!HDABDL_NT_SUCCESS(st))
        return st;
    /* Reset -> Run is not a transition the DDI allows: through Pause. */
    st = step("set_dma_engine_state(PAUSE)",
              hdabdl_set_dma_engine_state(d->client, HDABDL_PAUSE_STATE, 1, &d->engine));
    if (!HDABDL_NT_SUCCESS(st))
        return st;
    st = step("set_dma_engine_state(RUN)",
              hdabdl_set_dma_engine_state(d->client, HDABDL_RUN_STATE, 1, &d->engine));
    if (!HDABDL_NT_SUCCESS(st))
        return st;
    d->running = true;
    pr_info("playing %u Hz for %u s\n", freq, seconds);

    /* Until the last sine fragment has played (with a margin), or rmmod. */
    timeout = msecs_to_jiffies(seconds * 1000u + 2000u);
    while (!READ_ONCE(d->finished) && !READ_ONCE(d->stop_requested) && timeout)
        timeout = wait_for_completion_timeout(&d->wake, timeout);
    if (READ_ONCE(d->stop_requested)) {
        pr_info("stopped early (module removed) after %u fragments\n", d->playing);
        return HDABDL_STATUS_SUCCESS;
    }
    if (!READ_ONCE(d->finished)) {
        pr_info("the engine did not reach the end in time (%u fragments)\n", d->playing);
        return HDABDL_STATUS_IO_TIMEOUT;
    }
    pr_info("played %u fragments\n", d->playing);
    return HDABDL_STATUS_SUCCESS;
}

/* Everything that exists, in reverse order; each step logged. The first failure is kept. */
static hdabdl_status teardown(struct demo *d, hdabdl_status result)
{
    hdabdl_status st;

#define KEEP(x) do { st = (x); if (HDABDL_NT_SUCCESS(result) && !HDABDL_NT_SUCCESS(st)) result = st; } while (0)
    if (d->running) {
        KEEP(step("set_dma_engine_state(PAUSE)",
                  hdabdl_set_dma_engine_state(d->client, HDABDL_PAUSE_STATE, 1, &d->engine)));
        d->running = false;
    }
    if (d->engine_allocated)
        KEEP(step("set_dma_engine_state(RESET)",
                  hdabdl_set_dma_engine_state(d->client, HDABDL_RESET_STATE, 1, &d->engine)));
    if (d->buffer_allocated) {
        KEEP(step("free_contiguous_dma_buffer", hdabdl_free_contiguous_dma_buffer(d->client, d->engine)));
        d->buffer_allocated = false;
    }
    if (d->engine_allocated) {
        KEEP(step("free_dma_engine", hdabdl_free_dma_engine(d->client, d->engine)));
        d->engine_allocated = false;
    }
#undef KEEP
    if (d->client) {
        hdabdl_client_close(d->client);
        pr_info("client_close\n");
        d->client = NULL;
    }
    if (d->ctrl) {
        hdabdl_controller_close(d->ctrl);
        pr_info("controller_close\n");
        d->ctrl = NULL;
    }
    kfree(d->caps);
    kfree(d->conn);
    kfree(d->nconn);
    d->caps = NULL;
    d->conn = NULL;
    d->nconn = NULL;
    return result;
}

static void demo_work(struct work_struct *work)
{
    struct demo *d = container_of(work, struct demo, work);
    hdabdl_status st;

    st = step("controller_open",
              hdabdl_controller_open(hdabdl_linux_hal_ops(), &d->hal, NULL, &d->ctrl));
    if (HDABDL_NT_SUCCESS(st))
        st = find_output_path(d);
    if (HDABDL_NT_SUCCESS(st))
        st = play(d);
    st = teardown(d, st);
    if (HDABDL_NT_SUCCESS(st))
        pr_info("done\n");
    else
        pr_info("failed: %s\n", st_name(st));
}

/* ---- PCI driver ---------------------------------------------------------------------- */

static int demo_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
    struct demo *d;
    int err;

    (void)id;
    if (freq == 0 || freq >= RATE / 2 || seconds == 0 || seconds > 3600) {
        pr_err("freq must be 1..%u Hz and seconds 1..3600 (got %u Hz, %u s)\n", RATE / 2 - 1,
               freq, seconds);
        return -EINVAL;
    }
    d = kzalloc(sizeof(*d), GFP_KERNEL);
    if (!d)
        return -ENOMEM;
    d->pdev = pdev;
    init_completion(&d->wake);
    INIT_WORK(&d->work, demo_work);
    err = pci_enable_device(pdev);
    if (err)
        goto fail_free;
    err = pci_request_regions(pdev, "hdabdl_demo");
    if (err)
        goto fail_disable;
    pci_set_master(pdev);
    err = hdabdl_linux_hal_init(&d->hal, pdev);
    if (err)
        goto fail_regions;
    pci_set_drvdata(pdev, d);
    pr_info("%s: bound (%04x:%04x, %s interrupt)\n", pci_name(pdev), pdev->vendor, pdev->device,
            d->hal.msi ? "MSI" : "INTx");
    schedule_work(&d->work);                /* insmod returns at once */
    return 0;

fail_regions:
    pci_release_regions(pdev);
fail_disable:
    pci_disable_device(pdev);
fail_free:
    kfree(d);
    pr_info("%s: probe failed: %d\n", pci_name(pdev), err);
    return err;
}

static void demo_remove(struct pci_dev *pdev)
{
    struct demo *d = pci_get_drvdata(pdev);

    WRITE_ONCE(d->stop_requested, true);    /* a playing work item ends and tears down */
    complete(&d->wake);
    cancel_work_sync(&d->work);             /* waits for it, or keeps it from starting */
    hdabdl_linux_hal_fini(&d->hal);
    pci_clear_master(pdev);
    pci_release_regions(pdev);
    pci_disable_device(pdev);
    pr_info("%s: unbound\n", pci_name(pdev));
    kfree(d);
}

static const struct pci_device_id demo_ids[] = {
    {PCI_DEVICE_CLASS(PCI_CLASS_MULTIMEDIA_HD_AUDIO << 8, 0xFFFF00)},
    {0},
};
MODULE_DEVICE_TABLE(pci, demo_ids);

static struct pci_driver demo_driver = {
    .name = "hdabdl_demo",
    .id_table = demo_ids,
    .probe = demo_probe,
    .remove = demo_remove,
};
module_pci_driver(demo_driver);

MODULE_DESCRIPTION("hdabdl demo: a sine through the Windows HD Audio bus DDI (BDL flavour) in a Linux kernel");
MODULE_LICENSE("Dual MIT/GPL");
