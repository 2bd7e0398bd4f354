/* SPDX-License-Identifier: MIT */
/*
 * controller.c - controller bring-up and teardown, clients, interrupt service.
 */
#include <string.h>

#include "internal.h"

/* ---- Bring-up ------------------------------------------------------------------- */

/* Stop anything a previous owner left running, so the reset starts from quiet. */
static void quiesce(hdabdl_controller *ctrl, unsigned streams)
{
    hdabdl__write_intctl(ctrl, 0);
    for (unsigned i = 0; i < streams; i++)
        hdabdl__wr8(ctrl, HDA_SD_OFFSET(i, HDA_SD_CTL), 0);
    hdabdl__wr8(ctrl, HDA_REG_CORBCTL, 0);
    hdabdl__wr8(ctrl, HDA_REG_RIRBCTL, 0);
    hdabdl__wr32(ctrl, HDA_REG_DPLBASE, 0);
    hdabdl__wr32(ctrl, HDA_REG_DPUBASE, 0);
}

static unsigned total_streams(uint16_t gcap)
{
    return ((gcap & HDA_GCAP_ISS_MASK) >> HDA_GCAP_ISS_SHIFT) +
           ((gcap & HDA_GCAP_OSS_MASK) >> HDA_GCAP_OSS_SHIFT) +
           ((gcap & HDA_GCAP_BSS_MASK) >> HDA_GCAP_BSS_SHIFT);
}

/* GCTL.CRST handshake (hw.md §3.1): enter reset, leave it, wait for codecs. */
static hdabdl_status reset_link(hdabdl_controller *ctrl)
{
    uint32_t gctl = hdabdl__rd32(ctrl, HDA_REG_GCTL);

    if (hdabdl__read_failed(ctrl))
        return hdabdl__take_io_error(ctrl);
    if (gctl & HDA_GCTL_CRST) {
        uint16_t gcap = hdabdl__rd16(ctrl, HDA_REG_GCAP);
        unsigned streams = total_streams(gcap);
        quiesce(ctrl, !hdabdl__read_failed(ctrl) && streams <= HDA_MAX_STREAMS ? streams : 0);
    }
    /* Every other GCTL bit is cleared by the reset anyway. */
    hdabdl__write_gctl(ctrl, 0);
    if (!hdabdl__poll(ctrl, HDA_REG_GCTL, 4, HDA_GCTL_CRST, 0, CRST_POLL_US, CRST_TIMEOUT_US))
        return HDABDL_STATUS_DEVICE_NOT_READY;
    hdabdl__delay_us(ctrl, CRST_ASSERT_US);

    hdabdl__write_gctl(ctrl, HDA_GCTL_CRST);
    if (!hdabdl__poll(ctrl, HDA_REG_GCTL, 4, HDA_GCTL_CRST, HDA_GCTL_CRST, CRST_POLL_US,
                      CRST_TIMEOUT_US))
        return HDABDL_STATUS_DEVICE_NOT_READY;
    hdabdl__delay_us(ctrl, CODEC_WAKE_US);

    ctrl->info.codec_mask = hdabdl__rd16(ctrl, HDA_REG_STATESTS) & HDA_STATESTS_MASK;
    if (hdabdl__read_failed(ctrl))
        return hdabdl__take_io_error(ctrl);     /* no codec mask to believe, nothing to clear */
    hdabdl__wr16(ctrl, HDA_REG_STATESTS, HDA_STATESTS_MASK);
    return HDABDL_STATUS_SUCCESS;
}

/* GCAP decode; streams are laid out input, output, bidirectional. */
static hdabdl_status decode_gcap(hdabdl_controller *ctrl)
{
    uint16_t gcap = hdabdl__rd16(ctrl, HDA_REG_GCAP);
    unsigned nsdo = (gcap & HDA_GCAP_NSDO_MASK) >> HDA_GCAP_NSDO_SHIFT;
    struct hdabdl_controller_info *info = &ctrl->info;

    if (gcap == 0xFFFF)
        return HDABDL_STATUS_DEVICE_DOES_NOT_EXIST;
    if (nsdo == 3 || total_streams(gcap) > HDA_MAX_STREAMS)
        return HDABDL_STATUS_NOT_SUPPORTED;   /* reserved NSDO, or more streams than INTCTL has bits */

    info->gcap = gcap;
    info->input_streams = (uint8_t)((gcap & HDA_GCAP_ISS_MASK) >> HDA_GCAP_ISS_SHIFT);
    info->output_streams = (uint8_t)((gcap & HDA_GCAP_OSS_MASK) >> HDA_GCAP_OSS_SHIFT);
    info->bidir_streams = (uint8_t)((gcap & HDA_GCAP_BSS_MASK) >> HDA_GCAP_BSS_SHIFT);
    info->sdo_lines = (uint8_t)(1u << nsdo);
    info->addr64 = (gcap & HDA_GCAP_64OK) != 0;
    info->version_major = hdabdl__rd8(ctrl, HDA_REG_VMAJ);
    info->version_minor = hdabdl__rd8(ctrl, HDA_REG_VMIN);
    info->output_payload = hdabdl__rd16(ctrl, HDA_REG_OUTPAY);
    info->input_payload = hdabdl__rd16(ctrl, HDA_REG_INPAY);

    ctrl->num_streams = total_streams(gcap);
    ctrl->dma_limit = info->addr64 ? UINT64_MAX : (uint64_t)1 << 32;
    for (unsigned i = 0; i < ctrl->num_streams; i++) {
        struct engine *e = &ctrl->engines[i];
        e->index = (uint8_t)i;
        e->kind = i < info->input_streams ? HDABDL_ENGINE_INPUT
                : i < (unsigned)info->input_streams + info->output_streams ? HDABDL_ENGINE_OUTPUT
                : HDABDL_ENGINE_BIDIR;
    }
    return HDABDL_STATUS_SUCCESS;
}

static hdabdl_status setup_position_buffer(hdabdl_controller *ctrl)
{
    size_t size = ctrl->num_streams * HDA_POSBUF_STRIDE;
    int err;

    if (size == 0)
        return HDABDL_STATUS_SUCCESS;
    err = hdabdl__dma_alloc(ctrl, size, 128, &ctrl->posbuf);
    if (err != 0)
        return HDABDL_STATUS_INSUFFICIENT_RESOURCES;
    memset(ctrl->posbuf.cpu, 0, size);
    hdabdl__wr32(ctrl, HDA_REG_DPUBASE, (uint32_t)(ctrl->posbuf.bus >> 32));
    hdabdl__wr32(ctrl, HDA_REG_DPLBASE, (uint32_t)ctrl->posbuf.bus | HDA_DPLBASE_ENABLE);
    return HDABDL_STATUS_SUCCESS;
}

/* Known controllers that need a quirk, by PCI identity. */
static const struct quirk {
    uint16_t vendor_id, device_id, subsystem_vendor_id;
    uint32_t flags;
    const char *why;
} quirks[] = {
    /* QEMU's intel-hda and ich9-intel-hda (subsystem vendor 0x1af4) clear
     * SRST in the same write (qemu-guest.md #12). */
    {0x8086, 0x2668, 0x1af4, HDABDL_OPT_SRST_NO_ACK, "QEMU intel-hda"},
    {0x8086, 0x293E, 0x1af4, HDABDL_OPT_SRST_NO_ACK, "QEMU ich9-intel-hda"},
};

static uint32_t quirks_for(const struct hdabdl_pci_ids *ids)
{
    uint32_t flags = 0;
    for (size_t i = 0; i < sizeof quirks / sizeof quirks[0]; i++)
        if (quirks[i].vendor_id == ids->vendor_id && quirks[i].device_id == ids->device_id &&
            quirks[i].subsystem_vendor_id == ids->subsystem_vendor_id)
            flags |= quirks[i].flags;
    return flags;
}

static void irq_trampoline(void *arg)
{
    (void)hdabdl_controller_service_interrupt(arg);
}

static void timer_trampoline(void *arg)
{
    hdabdl__commands_timer(arg);
}

static void free_controller(hdabdl_controller *ctrl)
{
    hdabdl__dma_free(ctrl, &ctrl->cmd.ring);
    hdabdl__dma_free(ctrl, &ctrl->posbuf);
    if (ctrl->lock)
        hdabdl__lock_destroy(ctrl);
    hdabdl__mem_free(ctrl, ctrl, sizeof *ctrl);
}

static void free_client(hdabdl_controller *ctrl, hdabdl_client *client)
{
    hdabdl__mem_free(ctrl, client->ddi_thunks, client->ddi_thunks_size);
    hdabdl__mem_free(ctrl, client, sizeof *client);
}

hdabdl_status hdabdl_controller_open(const struct hdabdl_hal_ops *ops, void *hal_ctx,
                                     const struct hdabdl_controller_options *options,
                                     hdabdl_controller **out)
{
    hdabdl_controller *ctrl;
    hdabdl_status st;

    if (!ops || !out)
        return HDABDL_STATUS_INVALID_PARAMETER;
    *out = NULL;
    if (options && options->size < offsetof(struct hdabdl_controller_options, verb_timeout_us))
        return HDABDL_STATUS_REVISION_MISMATCH;
    st = hdabdl__hal_check_ops(ops);
    if (!HDABDL_NT_SUCCESS(st))
        return st;

    ctrl = hdabdl__hal_mem_alloc(ops, hal_ctx, sizeof *ctrl, HDABDL_HAL_MEM_MAY_SLEEP);
    if (!ctrl)
        return HDABDL_STATUS_NO_MEMORY;
    ctrl->ops = ops;
    ctrl->hal = hal_ctx;
    ctrl->next_generation = 1;
    ctrl->cmd.timeout_us = DEFAULT_VERB_TIMEOUT_US;
    if (options && options->size >= offsetof(struct hdabdl_controller_options, verb_timeout_us) +
                                        sizeof options->verb_timeout_us &&
        options->verb_timeout_us)
        ctrl->cmd.timeout_us = options->verb_timeout_us;
    hdabdl__pci_ids(ctrl, &ctrl->info.pci);
    ctrl->info.quirks = (options ? options->flags : 0) | quirks_for(&ctrl->info.pci);
    ctrl->ssync_offset = ctrl->info.quirks & HDABDL_OPT_OLD_SSYNC ? HDA_REG_SSYNC_OLD : HDA_REG_SSYNC;
    if (hdabdl__lock_create(ctrl) != 0) {
        ctrl->lock = NULL;
        free_controller(ctrl);
        return HDABDL_STATUS_INSUFFICIENT_RESOURCES;
    }

    /* GCAP is readable in reset; all ones means the device is gone. */
    if (hdabdl__rd16(ctrl, HDA_REG_GCAP) == 0xFFFF) {
        st = HDABDL_STATUS_DEVICE_DOES_NOT_EXIST;
        goto fail;
    }
    st = reset_link(ctrl);
    if (HDABDL_NT_SUCCESS(st))
        st = decode_gcap(ctrl);
    if (HDABDL_NT_SUCCESS(st))
        st = setup_position_buffer(ctrl);
    if (HDABDL_NT_SUCCESS(st))
        st = hdabdl__commands_init(ctrl);
    if (HDABDL_NT_SUCCESS(st)) {
        hdabdl__write_intctl(ctrl, HDA_INT_GLOBAL | HDA_INT_CTRL);
        st = hdabdl__take_io_error(ctrl);
    }
    if (!HDABDL_NT_SUCCESS(st))
        goto fail;

    ctrl->irq_attached = hdabdl__irq_attach(ctrl, irq_trampoline, ctrl) == 0;
    ctrl->timer_attached = hdabdl__timer_attach(ctrl, timer_trampoline, ctrl) == 0;
    if (!ctrl->irq_attached && ctrl->cmd.mode == HDABDL_COMMANDS_CORB_IRQ)
        ctrl->cmd.mode = ctrl->cmd.stats.mode = HDABDL_COMMANDS_CORB_POLL;
    *out = ctrl;
    return HDABDL_STATUS_SUCCESS;

fail:
    /* Leave the hardware in reset rather than half set up. A controller that
     * never left reset has nothing to undo (and ignores other writes). */
    if (st != HDABDL_STATUS_DEVICE_DOES_NOT_EXIST && !ctrl->gone) {
        uint32_t gctl = hdabdl__rd32(ctrl, HDA_REG_GCTL);
        if (hdabdl__read_failed(ctrl) || (gctl & HDA_GCTL_CRST)) {   /* maybe running */
            quiesce(ctrl, ctrl->num_streams);
            hdabdl__write_gctl(ctrl, 0);
        }
    }
    free_controller(ctrl);
    return st;
}

static void release_client_locked(hdabdl_client *client)
{
    hdabdl_controller *ctrl = client->ctrl;

    hdabdl__commands_flush_client(ctrl, client);
    hdabdl__events_release_client(ctrl, client);
    for (unsigned i = 0; i < ctrl->num_streams; i++) {
        struct engine *e = &ctrl->engines[i];
        if (e->owner == client) {
            (void)hdabdl__engine_teardown(ctrl, e);   /* released whatever the hardware says */
            hdabdl__engine_release(ctrl, e);
        }
    }
    for (hdabdl_client **p = &ctrl->clients; *p; p = &(*p)->next) {
        if (*p == client) {
            *p = client->next;
            break;
        }
    }
    /* Nothing of the client can be called any more; wait for what runs. */
    hdabdl__drain_callbacks(ctrl);
}

void hdabdl_controller_close(hdabdl_controller *ctrl)
{
    if (!ctrl)
        return;
    /* No interrupt may run from here on; detaching waits for a running one. */
    if (ctrl->irq_attached)
        hdabdl__irq_detach(ctrl);
    hdabdl__timer_detach(ctrl);

    hdabdl__lock(ctrl);
    hdabdl__drain_callbacks(ctrl);
    while (ctrl->clients) {
        hdabdl_client *client = ctrl->clients;
        release_client_locked(client);
        free_client(ctrl, client);
    }
    hdabdl__commands_shutdown(ctrl);
    quiesce(ctrl, ctrl->num_streams);
    hdabdl__write_gctl(ctrl, 0);
    hdabdl__unlock(ctrl);
    free_controller(ctrl);
}

hdabdl_status hdabdl_controller_get_info(hdabdl_controller *ctrl, struct hdabdl_controller_info *info)
{
    if (!ctrl || !info)
        return HDABDL_STATUS_INVALID_PARAMETER;
    hdabdl__lock(ctrl);
    *info = ctrl->info;
    hdabdl__unlock(ctrl);
    return HDABDL_STATUS_SUCCESS;
}

hdabdl_status hdabdl_controller_get_bandwidth(hdabdl_controller *ctrl, struct hdabdl_bandwidth_info *info)
{
    if (!ctrl || !info)
        return HDABDL_STATUS_INVALID_PARAMETER;
    hdabdl__lock(ctrl);
    memset(info, 0, sizeof *info);
    info->sdo_capacity = SDO_LINE_CAPACITY;
    info->sdi_capacity = SDI_LINE_CAPACITY;
    memcpy(info->sdo_used, ctrl->sdo_used, sizeof info->sdo_used);
    memcpy(info->sdi_used, ctrl->sdi_used, sizeof info->sdi_used);
    hdabdl__unlock(ctrl);
    return HDABDL_STATUS_SUCCESS;
}

/* ---- Clients ------------------------------------------------------------------- */

hdabdl_status hdabdl_client_open(hdabdl_controller *ctrl, uint8_t codec_address,
                                 uint8_t function_group_start_node, hdabdl_client **out)
{
    hdabdl_client *client;

    if (!ctrl || !out || codec_address >= MAX_SDI_LINES)
        return HDABDL_STATUS_INVALID_PARAMETER;
    client = hdabdl__mem_alloc(ctrl, sizeof *client, HDABDL_HAL_MEM_MAY_SLEEP);
    if (!client)
        return HDABDL_STATUS_NO_MEMORY;
    client->ctrl = ctrl;
    client->codec_address = codec_address;
    client->function_group_start_node = function_group_start_node;
    client->refs = 1;   /* the opener's */

    hdabdl__lock(ctrl);
    client->next = ctrl->clients;
    ctrl->clients = client;
    hdabdl__unlock(ctrl);
    *out = client;
    return HDABDL_STATUS_SUCCESS;
}

/* Drop one reference, lock held; returns with it released. At zero the
 * client is released (everything it holds freed) and its memory freed. A
 * reference dropped at zero (the release is under way) is ignored. */
static void client_put_unlock(hdabdl_client *client)
{
    hdabdl_controller *ctrl = client->ctrl;

    if (client->refs == 0) {
        ctrl->stray_dereferences++;
        hdabdl__unlock(ctrl);
        return;
    }
    if (--client->refs > 0) {
        hdabdl__unlock(ctrl);
        return;
    }
    release_client_locked(client);
    hdabdl__unlock(ctrl);
    free_client(ctrl, client);
}

void hdabdl_client_close(hdabdl_client *client)
{
    hdabdl_controller *ctrl;

    if (!client)
        return;
    ctrl = client->ctrl;
    hdabdl__lock(ctrl);
    if (client->opener_closed) {
        ctrl->stray_dereferences++;   /* closed twice while references keep it alive */
        hdabdl__unlock(ctrl);
        return;
    }
    client->opener_closed = true;
    client_put_unlock(client);
}

bool hdabdl__client_reference(hdabdl_client *client)
{
    hdabdl_controller *ctrl = client->ctrl;
    bool taken = false;

    hdabdl__lock(ctrl);
    if (client->refs > 0 && client->refs < UINT32_MAX) {
        client->refs++;
        taken = true;
    } else {
        ctrl->stray_dereferences++;
    }
    hdabdl__unlock(ctrl);
    return taken;
}

void hdabdl__client_dereference(hdabdl_client *client)
{
    hdabdl__lock(client->ctrl);
    client_put_unlock(client);
}

uint32_t hdabdl__client_reference_count(hdabdl_client *client)
{
    uint32_t refs;

    hdabdl__lock(client->ctrl);
    refs = client->refs;
    hdabdl__unlock(client->ctrl);
    return refs;
}

uint64_t hdabdl__stray_dereferences(hdabdl_controller *ctrl)
{
    uint64_t n;

    hdabdl__lock(ctrl);
    n = ctrl->stray_dereferences;
    hdabdl__unlock(ctrl);
    return n;
}

/* ---- Interrupts ----------------------------------------------------------------- */

bool hdabdl_controller_service_interrupt(hdabdl_controller *ctrl)
{
    uint32_t intsts;
    int64_t timestamp;

    if (!ctrl)
        return false;
    timestamp = (int64_t)hdabdl__now_ns(ctrl);   /* the V3 callbacks' "QPC of the IOC" */
    hdabdl__lock(ctrl);
    intsts = hdabdl__rd32(ctrl, HDA_REG_INTSTS);
    if (intsts == 0 || intsts == 0xFFFFFFFFu) {   /* not ours, or the device is gone */
        (void)hdabdl__take_io_error(ctrl);
        hdabdl__unlock(ctrl);
        return false;
    }
    for (unsigned i = 0; i < ctrl->num_streams; i++) {
        struct engine *e = &ctrl->engines[i];
        uint8_t sts;

        if (!(intsts & (1u << i)))
            continue;
        sts = hdabdl__rd8(ctrl, SD_REG(e, HDA_SD_STS)) & HDA_SD_STS_INT_MASK;
        if (hdabdl__read_failed(ctrl))
            continue;                   /* not the register's bits: clear nothing, report nothing */
        hdabdl__wr8(ctrl, SD_REG(e, HDA_SD_STS), sts);     /* write 1 to clear */
        if (!sts || !e->owner || e->buffer != HDABDL_BUFFER_PROGRAMMED)
            continue;
        /* Owed until delivered; a second interrupt before then merges in. */
        if (e->isr)
            e->isr_pending |= sts;
        if (sts & HDA_SD_STS_BCIS) {
            e->bcis_pending++;
            e->bcis_timestamp = timestamp;
        }
    }
    /* Nobody to report a stream register error to; the verb transport
     * gives its own to the batches under way. */
    (void)hdabdl__take_io_error(ctrl);
    if (intsts & HDA_INT_CTRL)
        hdabdl__commands_interrupt(ctrl);
    (void)hdabdl__take_io_error(ctrl);
    /* Callbacks run without the lock so they may call routines allowed at
     * interrupt time; freeing paths wait for them (hdabdl__drain_callbacks). */
    hdabdl__deliver(ctrl);
    hdabdl__unlock(ctrl);
    return true;
}

/* ---- Device and resource information ---------------------------------------------- */

static uint16_t count_bits(uint16_t mask)
{
    uint16_t n = 0;
    for (; mask; mask &= (uint16_t)(mask - 1))
        n++;
    return n;
}

hdabdl_status hdabdl_get_device_information(hdabdl_client *client,
                                            struct hdabdl_device_information *info)
{
    hdabdl_controller *ctrl;
    struct hdabdl_device_information_v2 v2;
    uint16_t size;

    HDABDL_REQUIRE_PASSIVE(client);
    if (!client || !info)
        return HDABDL_STATUS_INVALID_PARAMETER;
    size = info->size;
    if (size < sizeof(struct hdabdl_device_information))
        return HDABDL_STATUS_BUFFER_TOO_SMALL;
    ctrl = client->ctrl;

    memset(&v2, 0, sizeof v2);
    hdabdl__lock(ctrl);
    HDABDL_REQUIRE_PRESENT(ctrl);
    v2.device_version = (uint16_t)(ctrl->info.version_major << 8 | ctrl->info.version_minor);
    v2.driver_version = (uint16_t)(HDABDL_VERSION_MAJOR << 8 | HDABDL_VERSION_MINOR);
    /* The DDI pages say "number of codecs"; the mask is in hdabdl_controller_get_info. */
    v2.codecs_detected = count_bits(ctrl->info.codec_mask);
    v2.is_striping_supported = ctrl->info.sdo_lines >= 2;
    v2.ctrl_revision = ctrl->info.pci.revision;
    v2.ctrl_vendor_id = ctrl->info.pci.vendor_id;
    v2.ctrl_device_id = ctrl->info.pci.device_id;
    hdabdl__unlock(ctrl);

    v2.size = size >= sizeof v2 ? (uint16_t)sizeof v2 : (uint16_t)sizeof *info;
    memcpy(info, &v2, v2.size);
    return HDABDL_STATUS_SUCCESS;
}

hdabdl_status hdabdl_get_resource_information(hdabdl_client *client, uint8_t *codec_address,
                                              uint8_t *function_group_start_node)
{
    HDABDL_REQUIRE_PASSIVE(client);
    if (!client || !codec_address || !function_group_start_node)
        return HDABDL_STATUS_INVALID_PARAMETER;
    /* The DDI's GetResourceInformation returns nothing: its outputs are
     * always filled, from software, even once the device is gone. */
    *codec_address = client->codec_address;
    *function_group_start_node = client->function_group_start_node;
    return client->ctrl->gone ? HDABDL_STATUS_DEVICE_DOES_NOT_EXIST : HDABDL_STATUS_SUCCESS;
}
