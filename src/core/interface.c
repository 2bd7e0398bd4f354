/* SPDX-License-Identifier: MIT */
/*
 * interface.c - the DDI's interface tables (hdabdl/ddi.h): GUIDs, the four
 * tables of wrappers, hdabdl_query_interface() and hdabdl_get_bus_address().
 *
 * This file is compiled twice. On its own it builds the tables from wrappers
 * with the platform's C convention. interface_ms_abi.c includes it with
 * HDABDL_DDI_MS_ABI defined (x86-64 GCC/Clang only): HDABDL_DDI_API becomes
 * ms_abi, the wrappers with it, and hdabdl_query_interface is spelled
 * hdabdl_query_interface_ms_abi by ddi.h. In that build the driver's callbacks
 * are ms_abi functions too, so the wrappers hand the core native thunks and
 * keep the driver's (function, context) pairs in per-client records
 * (client->ddi_thunks, one block allocated when the table is handed out and
 * freed with the client, so no wrapper allocates, at any level). What both builds
 * share (GUIDs, hdabdl_guid_equal, hdabdl_get_bus_address) is compiled only
 * in the native one.
 */
#include <string.h>

#include "hdabdl/ddi.h"
#include "internal.h"

#ifndef HDABDL__IFACE_MS_VARIANT

/* ---- GUIDs (ddi.md §1) ------------------------------------------------------------ */

const struct hdabdl_guid hdabdl_guid_bus_interface = {
    0xD2EAF88Bu, 0xAB18, 0x41A8, {0xB6, 0x64, 0x8D, 0x59, 0x21, 0x67, 0x67, 0x1B}};
const struct hdabdl_guid hdabdl_guid_bus_interface_bdl = {
    0xB4D65397u, 0x5634, 0x40B0, {0xB0, 0x68, 0xF5, 0xB9, 0xF8, 0xB9, 0x67, 0xA5}};
const struct hdabdl_guid hdabdl_guid_bus_interface_v2 = {
    0xB52AF5FBu, 0x424B, 0x4BB9, {0xA1, 0x60, 0x5B, 0x38, 0xBE, 0x94, 0xE5, 0x68}};
const struct hdabdl_guid hdabdl_guid_bus_interface_v3 = {
    0xDC25DA12u, 0xBCD1, 0x4C7F, {0x84, 0xE1, 0x02, 0xAD, 0xB6, 0xDC, 0xDC, 0xBF}};
const struct hdabdl_guid hdabdl_guid_bus_class = {
    0xBBD1A745u, 0xADD6, 0x4575, {0x9C, 0x2E, 0x9B, 0x42, 0x8D, 0x1C, 0x32, 0x66}};

int hdabdl_guid_equal(const struct hdabdl_guid *a, const struct hdabdl_guid *b)
{
    if (!a || !b)
        return 0;
    return a->data1 == b->data1 && a->data2 == b->data2 && a->data3 == b->data3 &&
           memcmp(a->data4, b->data4, sizeof a->data4) == 0;
}

/* ---- Bus addresses ------------------------------------------------------------------- */

static bool dma_lookup(const struct hdabdl_hal_dma *dma, uintptr_t p, uint64_t *bus)
{
    uintptr_t base = (uintptr_t)dma->cpu;

    if (!dma->cpu || dma->size == 0 || p < base || p - base >= dma->size)
        return false;
    *bus = dma->bus + (uint64_t)(p - base);
    return true;
}

hdabdl_status hdabdl_get_bus_address(hdabdl_client *client, const void *cpu, uint64_t *bus)
{
    hdabdl_controller *ctrl;
    uintptr_t p = (uintptr_t)cpu;
    bool found = false;

    if (!client || !cpu || !bus)
        return HDABDL_STATUS_INVALID_PARAMETER;
    ctrl = client->ctrl;
    hdabdl__lock(ctrl);
    for (unsigned i = 0; i < ctrl->num_streams && !found; i++) {
        const struct engine *e = &ctrl->engines[i];
        if (e->owner != client)
            continue;
        found = dma_lookup(&e->data, p, bus) || dma_lookup(&e->bdl, p, bus);
        for (uint32_t b = 0; b < e->nblocks && !found; b++)
            found = dma_lookup(&e->blocks[b], p, bus);
    }
    hdabdl__unlock(ctrl);
    return found ? HDABDL_STATUS_SUCCESS : HDABDL_STATUS_INVALID_PARAMETER;
}

#endif /* !HDABDL__IFACE_MS_VARIANT */

/* ---- Reference counting ------------------------------------------------------------- */

static void HDABDL_DDI_API ddi_interface_reference(void *context)
{
    if (context)
        (void)hdabdl__client_reference(context);
}

static void HDABDL_DDI_API ddi_interface_dereference(void *context)
{
    if (context)
        hdabdl__client_dereference(context);
}

/* ---- Callback records (ms_abi build) ------------------------------------------------ */

#ifdef HDABDL__IFACE_MS_VARIANT

struct ms_isr {
    hdabdl_ddi_bdl_isr fn;
    void *context;
};

struct ms_notification {
    hdabdl_ddi_dma_notification_callback fn;   /* NULL: free */
    void *context;
};

struct ms_unsolicited {
    hdabdl_ddi_unsolicited_response_callback fn;   /* NULL: free */
    void *context;
    bool registered;                               /* tag is valid */
    uint8_t tag;
};

struct ms_transfer {
    hdabdl_ddi_transfer_complete_callback fn;      /* NULL: free */
    void *context;
    hdabdl_client *client;
};

/* One per engine the client uses with callbacks, found by handle. */
struct ms_engine {
    hdabdl_handle handle;                      /* NULL: free */
    bool has_isr;
    unsigned isr_current;                      /* the record the engine uses */
    struct ms_isr isr[2];                      /* a new setup fills the other one */
    struct ms_notification notifications[HDABDL_MAX_NOTIFICATION_CALLBACKS];
};

struct ms_thunks {
    struct ms_engine engines[HDA_MAX_STREAMS];
    struct ms_unsolicited unsolicited[UNSOL_TAGS];
    struct ms_transfer transfers[HDABDL_MAX_ASYNC_BATCHES];   /* as many as the core queues */
};

/* The native functions the core calls: each calls the driver's ms_abi one. */
static void isr_thunk(void *context, uint32_t interrupt_bit_mask)
{
    const struct ms_isr *r = context;
    hdabdl_ddi_bdl_isr fn = r->fn;
    if (fn)
        fn(r->context, interrupt_bit_mask);
}

static void notification_thunk(void *context, int64_t timestamp_ns)
{
    const struct ms_notification *r = context;
    hdabdl_ddi_dma_notification_callback fn = r->fn;
    if (fn)
        fn(r->context, timestamp_ns);
}

static void unsolicited_thunk(hdabdl_codec_response response, void *context)
{
    const struct ms_unsolicited *r = context;
    hdabdl_ddi_unsolicited_response_callback fn = r->fn;
    if (fn)
        fn(response, r->context);
}

static void transfer_thunk(struct hdabdl_codec_transfer *transfer, void *context)
{
    struct ms_transfer *slot = context, r = *slot;

    hdabdl__lock(r.client->ctrl);
    slot->fn = NULL;   /* the core calls it exactly once per queued batch */
    hdabdl__unlock(r.client->ctrl);
    r.fn(transfer, r.context);
}

/* Lock held. The client's records (allocated when the table was handed out). */
static struct ms_thunks *thunks_of(hdabdl_client *client)
{
    return client->ddi_thunks;
}

/* Lock held. The record of @handle, an engine of @client (NULL if none). With
 * @create one is claimed for a valid handle; records of engines that are gone
 * (freed without the table, so without ddi_free_dma_engine) are reused. */
static struct ms_engine *engine_slot(hdabdl_client *client, struct ms_thunks *t,
                                     hdabdl_handle handle, bool create)
{
    struct ms_engine *free_slot = NULL;

    if (!t || !handle)
        return NULL;
    for (unsigned i = 0; i < HDA_MAX_STREAMS; i++) {
        struct ms_engine *slot = &t->engines[i];
        if (slot->handle && !hdabdl__engine_lookup(client, slot->handle))
            memset(slot, 0, sizeof *slot);   /* its engine is gone: no callback can come */
        if (slot->handle == handle)
            return slot;
        if (!slot->handle && !free_slot)
            free_slot = slot;
    }
    if (!create || !free_slot || !hdabdl__engine_lookup(client, handle))
        return NULL;
    free_slot->handle = handle;
    return free_slot;
}

/* Lock held. Give the record back if nothing uses it any more. */
static void engine_slot_gc(struct ms_engine *slot)
{
    if (!slot || slot->has_isr)
        return;
    for (unsigned i = 0; i < HDABDL_MAX_NOTIFICATION_CALLBACKS; i++)
        if (slot->notifications[i].fn)
            return;
    slot->handle = NULL;
}

/* Contexts never registered (fn NULL): let the core refuse a bad handle itself. */
static struct ms_notification no_registration;
static struct ms_isr no_isr;

#endif /* HDABDL__IFACE_MS_VARIANT */

/* ---- Wrappers: the DDI's shapes over the hdabdl_* routines --------------------------- */

static hdabdl_status HDABDL_DDI_API ddi_transfer_codec_verbs(
    void *context, uint32_t count, struct hdabdl_codec_transfer *codec_transfer,
    hdabdl_ddi_transfer_complete_callback callback, void *callback_context)
{
#ifdef HDABDL__IFACE_MS_VARIANT
    hdabdl_client *client = context;
    struct ms_thunks *t;
    struct ms_transfer *r = NULL;
    hdabdl_status st;

    if (!callback || !client)
        return hdabdl_transfer_codec_verbs(client, count, codec_transfer, NULL, NULL);
    hdabdl__lock(client->ctrl);
    t = thunks_of(client);
    for (unsigned i = 0; t && i < HDABDL_MAX_ASYNC_BATCHES && !r; i++)
        if (!t->transfers[i].fn)
            r = &t->transfers[i];
    if (r)
        *r = (struct ms_transfer){callback, callback_context, client};
    hdabdl__unlock(client->ctrl);
    if (!r)
        return HDABDL_STATUS_INSUFFICIENT_RESOURCES;
    st = hdabdl_transfer_codec_verbs(client, count, codec_transfer, transfer_thunk, r);
    if (!HDABDL_NT_SUCCESS(st)) {
        hdabdl__lock(client->ctrl);
        r->fn = NULL;   /* not queued: the callback never runs */
        hdabdl__unlock(client->ctrl);
    }
    return st;
#else
    return hdabdl_transfer_codec_verbs(context, count, codec_transfer, callback, callback_context);
#endif
}

static hdabdl_status HDABDL_DDI_API ddi_allocate_capture_dma_engine(
    void *context, uint8_t codec_address, const struct hdabdl_stream_format *stream_format,
    hdabdl_handle *handle, hdabdl_converter_format *converter_format)
{
    return hdabdl_allocate_capture_dma_engine(context, codec_address, stream_format, handle,
                                              converter_format);
}

static hdabdl_status HDABDL_DDI_API ddi_allocate_render_dma_engine(
    void *context, const struct hdabdl_stream_format *stream_format, uint8_t stripe,
    hdabdl_handle *handle, hdabdl_converter_format *converter_format)
{
    return hdabdl_allocate_render_dma_engine(context, stream_format, stripe != 0, handle,
                                             converter_format);
}

static hdabdl_status HDABDL_DDI_API ddi_change_bandwidth_allocation(
    void *context, hdabdl_handle handle, const struct hdabdl_stream_format *stream_format,
    hdabdl_converter_format *converter_format)
{
    return hdabdl_change_bandwidth_allocation(context, handle, stream_format, converter_format);
}

static hdabdl_status HDABDL_DDI_API ddi_allocate_dma_buffer(
    void *context, hdabdl_handle handle, size_t requested_buffer_size,
    struct hdabdl_mdl **buffer_mdl, size_t *allocated_buffer_size, uint8_t *stream_id,
    uint32_t *fifo_size)
{
    return hdabdl_allocate_dma_buffer(context, handle, requested_buffer_size, buffer_mdl,
                                      allocated_buffer_size, stream_id, fifo_size);
}

static hdabdl_status HDABDL_DDI_API ddi_free_dma_buffer(void *context, hdabdl_handle handle)
{
    return hdabdl_free_dma_buffer(context, handle);
}

static hdabdl_status HDABDL_DDI_API ddi_allocate_contiguous_dma_buffer(
    void *context, hdabdl_handle handle, uint32_t requested_buffer_size, void **data_buffer,
    struct hdabdl_buffer_descriptor **bdl_buffer)
{
    uint64_t data_bus, bdl_bus;

    return hdabdl_allocate_contiguous_dma_buffer(context, handle, requested_buffer_size,
                                                 data_buffer, &data_bus, bdl_buffer, &bdl_bus);
}

static hdabdl_status HDABDL_DDI_API ddi_setup_dma_engine_with_bdl(
    void *context, hdabdl_handle handle, uint32_t buffer_length, uint32_t lvi,
    hdabdl_ddi_bdl_isr isr, void *isr_context, uint8_t *stream_id, uint32_t *fifo_size)
{
#ifdef HDABDL__IFACE_MS_VARIANT
    hdabdl_client *client = context;
    struct ms_engine *slot;
    struct ms_isr *r = NULL;
    unsigned next = 0;
    hdabdl_status st;

    if (!client)
        return HDABDL_STATUS_INVALID_PARAMETER;
    if (isr) {
        hdabdl__lock(client->ctrl);
        if (!hdabdl__engine_lookup(client, handle)) {
            r = &no_isr;   /* the core answers INVALID_HANDLE */
        } else if ((slot = engine_slot(client, thunks_of(client), handle, true)) != NULL) {
            next = slot->has_isr ? slot->isr_current ^ 1u : 0u;
            r = &slot->isr[next];
            r->fn = isr;
            r->context = isr_context;
        }
        hdabdl__unlock(client->ctrl);
        if (!r)
            return HDABDL_STATUS_INSUFFICIENT_RESOURCES;   /* no memory for the record */
    }
    st = hdabdl_setup_dma_engine_with_bdl(client, handle, buffer_length, lvi,
                                          isr ? isr_thunk : NULL, r, stream_id, fifo_size);
    if (isr && r != &no_isr) {
        hdabdl__lock(client->ctrl);
        slot = engine_slot(client, client->ddi_thunks, handle, false);
        if (slot && HDABDL_NT_SUCCESS(st)) {
            slot->isr_current = next;
            slot->has_isr = true;
        } else {
            engine_slot_gc(slot);
        }
        hdabdl__unlock(client->ctrl);
    }
    return st;
#else
    return hdabdl_setup_dma_engine_with_bdl(context, handle, buffer_length, lvi, isr, isr_context,
                                            stream_id, fifo_size);
#endif
}

static hdabdl_status HDABDL_DDI_API ddi_free_contiguous_dma_buffer(void *context,
                                                                  hdabdl_handle handle)
{
    return hdabdl_free_contiguous_dma_buffer(context, handle);
}

static hdabdl_status HDABDL_DDI_API ddi_free_dma_engine(void *context, hdabdl_handle handle)
{
    hdabdl_status st = hdabdl_free_dma_engine(context, handle);
#ifdef HDABDL__IFACE_MS_VARIANT
    hdabdl_client *client = context;
    if (HDABDL_NT_SUCCESS(st)) {
        hdabdl__lock(client->ctrl);
        /* The engine is gone, so its record is cleared by the lookup. */
        (void)engine_slot(client, client->ddi_thunks, handle, false);
        hdabdl__unlock(client->ctrl);
    }
#endif
    return st;
}

static hdabdl_status HDABDL_DDI_API ddi_set_dma_engine_state(void *context,
                                                            enum hdabdl_stream_state stream_state,
                                                            uint32_t number_of_handles,
                                                            const hdabdl_handle *handles)
{
    return hdabdl_set_dma_engine_state(context, stream_state, number_of_handles, handles);
}

static void HDABDL_DDI_API ddi_get_wall_clock_register(void *context,
                                                       const volatile uint32_t **wallclock)
{
    /* VOID in the DDI: a failure (a HAL that cannot map registers) reads as NULL. */
    if (!HDABDL_NT_SUCCESS(hdabdl_get_wall_clock_register(context, wallclock)) && wallclock)
        *wallclock = NULL;
}

static hdabdl_status HDABDL_DDI_API ddi_get_link_position_register(
    void *context, hdabdl_handle handle, const volatile uint32_t **position)
{
    return hdabdl_get_link_position_register(context, handle, position);
}

static hdabdl_status HDABDL_DDI_API ddi_register_event_callback(
    void *context, hdabdl_ddi_unsolicited_response_callback routine, void *callback_context,
    uint8_t *tag)
{
#ifdef HDABDL__IFACE_MS_VARIANT
    hdabdl_client *client = context;
    struct ms_thunks *t;
    struct ms_unsolicited *r = NULL;
    uint8_t got = 0;
    hdabdl_status st;

    if (!client || !routine || !tag)
        return hdabdl_register_event_callback(client, NULL, callback_context, tag);
    hdabdl__lock(client->ctrl);
    t = thunks_of(client);
    for (unsigned i = 0; t && i < UNSOL_TAGS; i++) {
        struct ms_unsolicited *u = &t->unsolicited[i];
        /* Unregistered without the table (hdabdl_unregister_event_callback): free it. */
        if (u->fn && u->registered &&
            client->ctrl->cmd.events[client->codec_address][u->tag].context != (void *)u) {
            u->fn = NULL;
            u->registered = false;
        }
        if (!u->fn && !r)
            r = u;
    }
    if (r) {
        r->fn = routine;
        r->context = callback_context;
        r->registered = false;
    }
    hdabdl__unlock(client->ctrl);
    if (!r)
        return HDABDL_STATUS_INSUFFICIENT_RESOURCES;
    st = hdabdl_register_event_callback(client, unsolicited_thunk, r, &got);
    hdabdl__lock(client->ctrl);
    if (HDABDL_NT_SUCCESS(st)) {
        r->tag = got;
        r->registered = true;
    } else {
        r->fn = NULL;
    }
    hdabdl__unlock(client->ctrl);
    if (HDABDL_NT_SUCCESS(st))
        *tag = got;
    return st;
#else
    return hdabdl_register_event_callback(context, routine, callback_context, tag);
#endif
}

static hdabdl_status HDABDL_DDI_API ddi_unregister_event_callback(void *context, uint8_t tag)
{
    hdabdl_status st = hdabdl_unregister_event_callback(context, tag);
#ifdef HDABDL__IFACE_MS_VARIANT
    hdabdl_client *client = context;
    if (HDABDL_NT_SUCCESS(st) && client->ddi_thunks) {
        struct ms_thunks *t = client->ddi_thunks;
        hdabdl__lock(client->ctrl);
        for (unsigned i = 0; i < UNSOL_TAGS; i++) {
            struct ms_unsolicited *r = &t->unsolicited[i];
            if (r->fn && r->registered && r->tag == tag) {
                r->fn = NULL;
                r->registered = false;
            }
        }
        hdabdl__unlock(client->ctrl);
    }
#endif
    return st;
}

static hdabdl_status HDABDL_DDI_API ddi_get_device_information(
    void *context, struct hdabdl_device_information *device_information)
{
    return hdabdl_get_device_information(context, device_information);
}

static void HDABDL_DDI_API ddi_get_resource_information(void *context, uint8_t *codec_address,
                                                        uint8_t *function_group_start_node)
{
    (void)hdabdl_get_resource_information(context, codec_address, function_group_start_node);
}

static hdabdl_status HDABDL_DDI_API ddi_allocate_dma_buffer_with_notification(
    void *context, hdabdl_handle handle, uint32_t notification_count,
    size_t requested_buffer_size, struct hdabdl_mdl **buffer_mdl, size_t *allocated_buffer_size,
    size_t *offset_from_first_page, uint8_t *stream_id, uint32_t *fifo_size)
{
    return hdabdl_allocate_dma_buffer_with_notification(
        context, handle, notification_count, requested_buffer_size, buffer_mdl,
        allocated_buffer_size, offset_from_first_page, stream_id, fifo_size);
}

static hdabdl_status HDABDL_DDI_API ddi_free_dma_buffer_with_notification(
    void *context, hdabdl_handle handle, struct hdabdl_mdl *buffer_mdl, size_t buffer_size)
{
    return hdabdl_free_dma_buffer_with_notification(context, handle, buffer_mdl, buffer_size);
}

static hdabdl_status HDABDL_DDI_API ddi_register_notification_event(
    void *context, hdabdl_handle handle, struct hdabdl_notification_event *notification_event)
{
    return hdabdl_register_notification_event(context, handle, notification_event);
}

static hdabdl_status HDABDL_DDI_API ddi_unregister_notification_event(
    void *context, hdabdl_handle handle, struct hdabdl_notification_event *notification_event)
{
    return hdabdl_unregister_notification_event(context, handle, notification_event);
}

static hdabdl_status HDABDL_DDI_API ddi_register_notification_callback(
    void *context, hdabdl_handle handle, void *fdo,
    hdabdl_ddi_dma_notification_callback notification_callback, void *callback_context)
{
#ifdef HDABDL__IFACE_MS_VARIANT
    hdabdl_client *client = context;
    struct ms_engine *slot;
    struct ms_notification *r = NULL;
    hdabdl_status st;

    if (!client || !notification_callback)
        return hdabdl_register_notification_callback(client, handle, fdo, NULL, callback_context);
    hdabdl__lock(client->ctrl);
    if (!hdabdl__engine_lookup(client, handle)) {
        r = &no_registration;   /* the core answers INVALID_HANDLE */
    } else {
        slot = engine_slot(client, thunks_of(client), handle, true);
        for (unsigned i = 0; slot && i < HDABDL_MAX_NOTIFICATION_CALLBACKS && !r; i++)
            if (!slot->notifications[i].fn)
                r = &slot->notifications[i];
        if (r) {
            r->fn = notification_callback;
            r->context = callback_context;
        } else {
            engine_slot_gc(slot);
        }
    }
    hdabdl__unlock(client->ctrl);
    if (!r)   /* as many records as the core's own limit: it would refuse too */
        return HDABDL_STATUS_INSUFFICIENT_RESOURCES;
    st = hdabdl_register_notification_callback(client, handle, fdo, notification_thunk, r);
    if (!HDABDL_NT_SUCCESS(st) && r != &no_registration) {
        hdabdl__lock(client->ctrl);
        r->fn = NULL;
        engine_slot_gc(engine_slot(client, client->ddi_thunks, handle, false));
        hdabdl__unlock(client->ctrl);
    }
    return st;
#else
    return hdabdl_register_notification_callback(context, handle, fdo, notification_callback,
                                                 callback_context);
#endif
}

static hdabdl_status HDABDL_DDI_API ddi_unregister_notification_callback(
    void *context, hdabdl_handle handle,
    hdabdl_ddi_dma_notification_callback notification_callback, void *callback_context)
{
#ifdef HDABDL__IFACE_MS_VARIANT
    hdabdl_client *client = context;
    struct ms_engine *slot;
    struct ms_notification *r = NULL;
    hdabdl_status st;

    if (!client || !notification_callback)
        return hdabdl_unregister_notification_callback(client, handle, NULL, callback_context);
    hdabdl__lock(client->ctrl);
    slot = engine_slot(client, client->ddi_thunks, handle, false);
    for (unsigned i = 0; slot && i < HDABDL_MAX_NOTIFICATION_CALLBACKS && !r; i++)
        if (slot->notifications[i].fn == notification_callback &&
            slot->notifications[i].context == callback_context)
            r = &slot->notifications[i];
    hdabdl__unlock(client->ctrl);
    /* Unmatched: the core answers INVALID_HANDLE or INVALID_PARAMETER as it would. */
    st = hdabdl_unregister_notification_callback(client, handle, notification_thunk,
                                                 r ? r : &no_registration);
    if (r && HDABDL_NT_SUCCESS(st)) {
        hdabdl__lock(client->ctrl);
        r->fn = NULL;
        engine_slot_gc(slot);
        hdabdl__unlock(client->ctrl);
    }
    return st;
#else
    return hdabdl_unregister_notification_callback(context, handle, notification_callback,
                                                   callback_context);
#endif
}

/* ---- The tables (Context is filled per query) ------------------------------------------ */

#define DDI_HEADER_(type)                                                                   \
    .Size = (uint16_t)sizeof(type), .Version = HDABDL_INTERFACE_VERSION, .Context = NULL, \
    .InterfaceReference = ddi_interface_reference,                                         \
    .InterfaceDereference = ddi_interface_dereference

#define DDI_COMMON_HEAD_                                            \
    .TransferCodecVerbs = ddi_transfer_codec_verbs,                 \
    .AllocateCaptureDmaEngine = ddi_allocate_capture_dma_engine,    \
    .AllocateRenderDmaEngine = ddi_allocate_render_dma_engine,      \
    .ChangeBandwidthAllocation = ddi_change_bandwidth_allocation

#define DDI_COMMON_TAIL_                                            \
    .FreeDmaEngine = ddi_free_dma_engine,                           \
    .SetDmaEngineState = ddi_set_dma_engine_state,                  \
    .GetWallClockRegister = ddi_get_wall_clock_register,            \
    .GetLinkPositionRegister = ddi_get_link_position_register,      \
    .RegisterEventCallback = ddi_register_event_callback,           \
    .UnregisterEventCallback = ddi_unregister_event_callback,       \
    .GetDeviceInformation = ddi_get_device_information,             \
    .GetResourceInformation = ddi_get_resource_information

#define DDI_BUS_BUFFERS_                                            \
    .AllocateDmaBuffer = ddi_allocate_dma_buffer,                   \
    .FreeDmaBuffer = ddi_free_dma_buffer

#define DDI_V2_                                                                      \
    .AllocateDmaBufferWithNotification = ddi_allocate_dma_buffer_with_notification,  \
    .FreeDmaBufferWithNotification = ddi_free_dma_buffer_with_notification,          \
    .RegisterNotificationEvent = ddi_register_notification_event,                    \
    .UnregisterNotificationEvent = ddi_unregister_notification_event

static const struct hdabdl_bus_interface table_v1 = {
    DDI_HEADER_(struct hdabdl_bus_interface), DDI_COMMON_HEAD_, DDI_BUS_BUFFERS_,
    DDI_COMMON_TAIL_};

static const struct hdabdl_bus_interface_bdl table_bdl = {
    DDI_HEADER_(struct hdabdl_bus_interface_bdl), DDI_COMMON_HEAD_,
    .AllocateContiguousDmaBuffer = ddi_allocate_contiguous_dma_buffer,
    .SetupDmaEngineWithBdl = ddi_setup_dma_engine_with_bdl,
    .FreeContiguousDmaBuffer = ddi_free_contiguous_dma_buffer, DDI_COMMON_TAIL_};

static const struct hdabdl_bus_interface_v2 table_v2 = {
    DDI_HEADER_(struct hdabdl_bus_interface_v2), DDI_COMMON_HEAD_, DDI_BUS_BUFFERS_,
    DDI_COMMON_TAIL_, DDI_V2_};

static const struct hdabdl_bus_interface_v3 table_v3 = {
    DDI_HEADER_(struct hdabdl_bus_interface_v3), DDI_COMMON_HEAD_, DDI_BUS_BUFFERS_,
    DDI_COMMON_TAIL_, DDI_V2_,
    .RegisterNotificationCallback = ddi_register_notification_callback,
    .UnregisterNotificationCallback = ddi_unregister_notification_callback};

/* ---- Query ---------------------------------------------------------------------------- */

/* With HDABDL_DDI_MS_ABI, ddi.h spells this hdabdl_query_interface_ms_abi. */
hdabdl_status hdabdl_query_interface(hdabdl_client *client, const struct hdabdl_guid *interface_type,
                                     uint16_t size, uint16_t version, void *interface_out)
{
    const void *table;
    size_t table_size;

    (void)version;   /* any requested Version is accepted (ddi.md §10 #15) */
    if (!client || !interface_type || !interface_out)
        return HDABDL_STATUS_INVALID_PARAMETER;
    if (hdabdl_guid_equal(interface_type, &hdabdl_guid_bus_interface)) {
        table = &table_v1;
        table_size = sizeof table_v1;
    } else if (hdabdl_guid_equal(interface_type, &hdabdl_guid_bus_interface_bdl)) {
        table = &table_bdl;
        table_size = sizeof table_bdl;
    } else if (hdabdl_guid_equal(interface_type, &hdabdl_guid_bus_interface_v2)) {
        table = &table_v2;
        table_size = sizeof table_v2;
    } else if (hdabdl_guid_equal(interface_type, &hdabdl_guid_bus_interface_v3)) {
        table = &table_v3;
        table_size = sizeof table_v3;
    } else {
        return HDABDL_STATUS_NOT_SUPPORTED;
    }
    if (size < table_size)
        return HDABDL_STATUS_BUFFER_TOO_SMALL;
#ifdef HDABDL__IFACE_MS_VARIANT
    /* The wrappers' records, at passive level, before any wrapper needs them. */
    if (!client->ddi_thunks) {
        struct ms_thunks *t = hdabdl__mem_alloc(client->ctrl, sizeof *t, HDABDL_HAL_MEM_MAY_SLEEP);
        if (!t)
            return HDABDL_STATUS_INSUFFICIENT_RESOURCES;
        hdabdl__lock(client->ctrl);
        if (!client->ddi_thunks) {
            client->ddi_thunks = t;
            client->ddi_thunks_size = sizeof *t;
            t = NULL;
        }
        hdabdl__unlock(client->ctrl);
        hdabdl__mem_free(client->ctrl, t, sizeof *t);
    }
#endif
    /* The exporter references the interface each time it hands it out. */
    if (!hdabdl__client_reference(client))
        return HDABDL_STATUS_INVALID_PARAMETER;   /* the client is being released */

    /* Every table starts with the INTERFACE header: fill in the client. */
    struct hdabdl_interface header;
    memcpy(interface_out, table, table_size);
    memcpy(&header, interface_out, sizeof header);
    header.Context = client;
    memcpy(interface_out, &header, sizeof header);
    return HDABDL_STATUS_SUCCESS;
}
