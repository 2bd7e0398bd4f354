/* SPDX-License-Identifier: MIT */
/*
 * hdabdl/ddi.h - the DDI's interface tables: HDAUDIO_BUS_INTERFACE (V1),
 * HDAUDIO_BUS_INTERFACE_BDL, HDAUDIO_BUS_INTERFACE_V2 and _V3.
 *
 * A Windows-style HD Audio function driver does not call hdabdl_* routines:
 * it asks its bus (IRP_MN_QUERY_INTERFACE) for a table identified by a GUID and
 * calls through it, passing the table's Context first. An emulator hosting
 * such a driver answers that query with hdabdl_query_interface(), which fills
 * the driver's struct for the GUID it asked for. The structs have the DDI's
 * exact layout: the five members of the WDM INTERFACE header, then one
 * routine pointer per slot in the DDI's order (the BDL table is NOT a
 * superset of V1: slots 4.. differ; V2 extends V1 and V3 extends V2). Member
 * names are the DDI's, so ported code reads the same.
 *
 * Types are the DDI's mapped portably: ULONG uint32_t, USHORT uint16_t,
 * UCHAR/BOOLEAN uint8_t, HANDLE hdabdl_handle, SIZE_T size_t, PVOID void *,
 * PMDL struct hdabdl_mdl *, PKEVENT struct hdabdl_notification_event *,
 * PDEVICE_OBJECT void *, LARGE_INTEGER int64_t, NTSTATUS hdabdl_status (same
 * numbers), PHDAUDIO_* the hdabdl structs of hdabdl.h. Register pointers
 * (GetWallClockRegister, GetLinkPositionRegister: PULONG *) are
 * const volatile uint32_t **, as in hdabdl.h. The DDI hands out no bus
 * addresses (a Windows driver calls MmGetPhysicalAddress on the BDL path);
 * hdabdl_get_bus_address() plays that role.
 *
 * Every routine takes the table's Context (the hdabdl_client) first and calls
 * the hdabdl_* routine of the same name; behaviour, locking and the
 * raised-IRQL rules are those of hdabdl.h.
 *
 * Reference counting (the INTERFACE header): a client has a reference count,
 * 1 when hdabdl_client_open() creates it (the opener's reference).
 * hdabdl_query_interface() takes one more for the table it fills;
 * InterfaceReference(Context) takes one; InterfaceDereference(Context) drops
 * one; hdabdl_client_close() drops the opener's (a second close of the same
 * client is ignored). When the count reaches zero the client is released as
 * hdabdl_client_close() always did (its engines stopped, reset and freed,
 * buffers and registrations gone) and its memory freed: after dropping its
 * last reference the caller must not touch the client or the table's
 * Context again. A reference dropped while the count is already zero (during
 * the release) is ignored and counted (never a second release). Counting is
 * thread-safe (the controller's lock). hdabdl_controller_close() releases
 * every client whatever its count.
 *
 * Calling convention: every routine pointer and callback type below carries
 * HDABDL_DDI_API. It is empty by default (the platform's C convention). An
 * emulator that loads a Windows driver binary on x86-64 (GCC or Clang)
 * defines HDABDL_DDI_MS_ABI before including this header (or with -D): the
 * types become __attribute__((ms_abi)) and hdabdl_query_interface() names
 * hdabdl_query_interface_ms_abi(), whose tables are built from ms_abi
 * wrappers and which calls the driver's callbacks (BDL ISR, transfer-complete,
 * unsolicited-response and DMA-notification callbacks) as ms_abi functions.
 * The library always contains both (on x86-64), so it need not be rebuilt.
 * The notification event's signal() (struct hdabdl_notification_event) is
 * the emulator's own code and is always called with the native convention.
 */
#ifndef HDABDL_DDI_H
#define HDABDL_DDI_H

#include <stddef.h>
#include <stdint.h>

#include "hdabdl/hdabdl.h"
#include "hdabdl/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Calling convention ------------------------------------------------------- */

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define HDABDL_DDI_HAVE_MS_ABI 1   /* hdabdl_query_interface_ms_abi() exists */
#endif

#if defined(HDABDL_DDI_MS_ABI) && defined(HDABDL_DDI_HAVE_MS_ABI)
#define HDABDL_DDI_API __attribute__((ms_abi))
#define HDABDL_DDI_IS_MS_ABI 1
#else
#define HDABDL_DDI_API
#endif

/* ---- Interface identities ------------------------------------------------------ */

/** A GUID as Windows lays it out ({data1-data2-data3-data4[0..1]-data4[2..7]}). */
struct hdabdl_guid {
    uint32_t data1;
    uint16_t data2;
    uint16_t data3;
    uint8_t data4[8];
};

/** GUID_HDAUDIO_BUS_INTERFACE {D2EAF88B-AB18-41A8-B664-8D592167671B}: V1. */
extern const struct hdabdl_guid hdabdl_guid_bus_interface;
/** GUID_HDAUDIO_BUS_INTERFACE_BDL {B4D65397-5634-40B0-B068-F5B9F8B967A5}. */
extern const struct hdabdl_guid hdabdl_guid_bus_interface_bdl;
/** GUID_HDAUDIO_BUS_INTERFACE_V2 {B52AF5FB-424B-4BB9-A160-5B38BE94E568}. */
extern const struct hdabdl_guid hdabdl_guid_bus_interface_v2;
/** GUID_HDAUDIO_BUS_INTERFACE_V3 {DC25DA12-BCD1-4C7F-84E1-02ADB6DCDCBF}. */
extern const struct hdabdl_guid hdabdl_guid_bus_interface_v3;
/** GUID_HDAUDIO_BUS_CLASS {BBD1A745-ADD6-4575-9C2E-9B428D1C3266} (device class, no table). */
extern const struct hdabdl_guid hdabdl_guid_bus_class;

/** The Version every table is filled with. */
#define HDABDL_INTERFACE_VERSION 0x0100u

/* ---- Callback types (the driver's code, called by the library) --------------- */

/** PHDAUDIO_TRANSFER_COMPLETE_CALLBACK. */
typedef void (HDABDL_DDI_API *hdabdl_ddi_transfer_complete_callback)(
    struct hdabdl_codec_transfer *codec_transfer, void *context);
/** PHDAUDIO_UNSOLICITED_RESPONSE_CALLBACK: the response by value. */
typedef void (HDABDL_DDI_API *hdabdl_ddi_unsolicited_response_callback)(
    hdabdl_codec_response response, void *context);
/** PHDAUDIO_BDL_ISR. */
typedef void (HDABDL_DDI_API *hdabdl_ddi_bdl_isr)(void *context, uint32_t interrupt_bit_mask);
/** PHDAUDIO_DMA_NOTIFICATION_CALLBACK: the LARGE_INTEGER is the HAL's now_ns at the interrupt. */
typedef void (HDABDL_DDI_API *hdabdl_ddi_dma_notification_callback)(
    void *context, int64_t qpc_dma_notification_timestamp);

/* ---- Routine types (the library's code, called by the driver) ----------------- */

/** PINTERFACE_REFERENCE / PINTERFACE_DEREFERENCE. */
typedef void (HDABDL_DDI_API *hdabdl_ddi_interface_reference)(void *context);
typedef void (HDABDL_DDI_API *hdabdl_ddi_interface_dereference)(void *context);

/** PTRANSFER_CODEC_VERBS. */
typedef hdabdl_status (HDABDL_DDI_API *hdabdl_ddi_transfer_codec_verbs)(
    void *context, uint32_t count, struct hdabdl_codec_transfer *codec_transfer,
    hdabdl_ddi_transfer_complete_callback callback, void *callback_context);
/** PALLOCATE_CAPTURE_DMA_ENGINE. */
typedef hdabdl_status (HDABDL_DDI_API *hdabdl_ddi_allocate_capture_dma_engine)(
    void *context, uint8_t codec_address, const struct hdabdl_stream_format *stream_format,
    hdabdl_handle *handle, hdabdl_converter_format *converter_format);
/** PALLOCATE_RENDER_DMA_ENGINE: stripe is a BOOLEAN (nonzero = TRUE). */
typedef hdabdl_status (HDABDL_DDI_API *hdabdl_ddi_allocate_render_dma_engine)(
    void *context, const struct hdabdl_stream_format *stream_format, uint8_t stripe,
    hdabdl_handle *handle, hdabdl_converter_format *converter_format);
/** PCHANGE_BANDWIDTH_ALLOCATION. */
typedef hdabdl_status (HDABDL_DDI_API *hdabdl_ddi_change_bandwidth_allocation)(
    void *context, hdabdl_handle handle, const struct hdabdl_stream_format *stream_format,
    hdabdl_converter_format *converter_format);
/** PALLOCATE_DMA_BUFFER (V1, V2, V3). */
typedef hdabdl_status (HDABDL_DDI_API *hdabdl_ddi_allocate_dma_buffer)(
    void *context, hdabdl_handle handle, size_t requested_buffer_size,
    struct hdabdl_mdl **buffer_mdl, size_t *allocated_buffer_size, uint8_t *stream_id,
    uint32_t *fifo_size);
/** PFREE_DMA_BUFFER (V1, V2, V3). */
typedef hdabdl_status (HDABDL_DDI_API *hdabdl_ddi_free_dma_buffer)(void *context,
                                                                 hdabdl_handle handle);
/** PALLOCATE_CONTIGUOUS_DMA_BUFFER (BDL): no bus addresses; see hdabdl_get_bus_address(). */
typedef hdabdl_status (HDABDL_DDI_API *hdabdl_ddi_allocate_contiguous_dma_buffer)(
    void *context, hdabdl_handle handle, uint32_t requested_buffer_size, void **data_buffer,
    struct hdabdl_buffer_descriptor **bdl_buffer);
/** PSETUP_DMA_ENGINE_WITH_BDL (BDL). */
typedef hdabdl_status (HDABDL_DDI_API *hdabdl_ddi_setup_dma_engine_with_bdl)(
    void *context, hdabdl_handle handle, uint32_t buffer_length, uint32_t lvi,
    hdabdl_ddi_bdl_isr isr, void *isr_context, uint8_t *stream_id, uint32_t *fifo_size);
/** PFREE_CONTIGUOUS_DMA_BUFFER (BDL). */
typedef hdabdl_status (HDABDL_DDI_API *hdabdl_ddi_free_contiguous_dma_buffer)(
    void *context, hdabdl_handle handle);
/** PFREE_DMA_ENGINE. */
typedef hdabdl_status (HDABDL_DDI_API *hdabdl_ddi_free_dma_engine)(void *context,
                                                                 hdabdl_handle handle);
/** PSET_DMA_ENGINE_STATE. */
typedef hdabdl_status (HDABDL_DDI_API *hdabdl_ddi_set_dma_engine_state)(
    void *context, enum hdabdl_stream_state stream_state, uint32_t number_of_handles,
    const hdabdl_handle *handles);
/** PGET_WALL_CLOCK_REGISTER: returns nothing (VOID), as in the DDI; *wallclock is NULL
 *  if the HAL cannot map registers. */
typedef void (HDABDL_DDI_API *hdabdl_ddi_get_wall_clock_register)(
    void *context, const volatile uint32_t **wallclock);
/** PGET_LINK_POSITION_REGISTER. */
typedef hdabdl_status (HDABDL_DDI_API *hdabdl_ddi_get_link_position_register)(
    void *context, hdabdl_handle handle, const volatile uint32_t **position);
/** PREGISTER_EVENT_CALLBACK. */
typedef hdabdl_status (HDABDL_DDI_API *hdabdl_ddi_register_event_callback)(
    void *context, hdabdl_ddi_unsolicited_response_callback routine, void *callback_context,
    uint8_t *tag);
/** PUNREGISTER_EVENT_CALLBACK. */
typedef hdabdl_status (HDABDL_DDI_API *hdabdl_ddi_unregister_event_callback)(void *context,
                                                                           uint8_t tag);
/** PGET_DEVICE_INFORMATION: also takes a struct hdabdl_device_information_v2 (by its size). */
typedef hdabdl_status (HDABDL_DDI_API *hdabdl_ddi_get_device_information)(
    void *context, struct hdabdl_device_information *device_information);
/** PGET_RESOURCE_INFORMATION: returns nothing (VOID), as in the DDI. */
typedef void (HDABDL_DDI_API *hdabdl_ddi_get_resource_information)(
    void *context, uint8_t *codec_address, uint8_t *function_group_start_node);
/** PALLOCATE_DMA_BUFFER_WITH_NOTIFICATION (V2, V3). */
typedef hdabdl_status (HDABDL_DDI_API *hdabdl_ddi_allocate_dma_buffer_with_notification)(
    void *context, hdabdl_handle handle, uint32_t notification_count,
    size_t requested_buffer_size, struct hdabdl_mdl **buffer_mdl, size_t *allocated_buffer_size,
    size_t *offset_from_first_page, uint8_t *stream_id, uint32_t *fifo_size);
/** PFREE_DMA_BUFFER_WITH_NOTIFICATION (V2, V3). */
typedef hdabdl_status (HDABDL_DDI_API *hdabdl_ddi_free_dma_buffer_with_notification)(
    void *context, hdabdl_handle handle, struct hdabdl_mdl *buffer_mdl, size_t buffer_size);
/** PREGISTER_NOTIFICATION_EVENT (V2, V3). */
typedef hdabdl_status (HDABDL_DDI_API *hdabdl_ddi_register_notification_event)(
    void *context, hdabdl_handle handle, struct hdabdl_notification_event *notification_event);
/** PUNREGISTER_NOTIFICATION_EVENT (V2, V3). */
typedef hdabdl_status (HDABDL_DDI_API *hdabdl_ddi_unregister_notification_event)(
    void *context, hdabdl_handle handle, struct hdabdl_notification_event *notification_event);
/** PREGISTER_NOTIFICATION_CALLBACK (V3): fdo is the PDEVICE_OBJECT owning the callback. */
typedef hdabdl_status (HDABDL_DDI_API *hdabdl_ddi_register_notification_callback)(
    void *context, hdabdl_handle handle, void *fdo,
    hdabdl_ddi_dma_notification_callback notification_callback, void *callback_context);
/** PUNREGISTER_NOTIFICATION_CALLBACK (V3): matches on callback and context. */
typedef hdabdl_status (HDABDL_DDI_API *hdabdl_ddi_unregister_notification_callback)(
    void *context, hdabdl_handle handle,
    hdabdl_ddi_dma_notification_callback notification_callback, void *callback_context);

/* ---- The tables ------------------------------------------------------------------ */

/* The WDM INTERFACE header every table starts with. */
#define HDABDL_DDI_INTERFACE_HEADER_                                                     \
    uint16_t Size;                                    /* sizeof the table's struct */   \
    uint16_t Version;                                 /* HDABDL_INTERFACE_VERSION */     \
    void *Context;                                    /* the hdabdl_client */           \
    hdabdl_ddi_interface_reference InterfaceReference;                                   \
    hdabdl_ddi_interface_dereference InterfaceDereference;

/** INTERFACE: the header alone (what a PINTERFACE points at). */
struct hdabdl_interface {
    HDABDL_DDI_INTERFACE_HEADER_
};

/** HDAUDIO_BUS_INTERFACE (V1): 14 routines; 144 bytes on LP64, 72 on ILP32. */
struct hdabdl_bus_interface {
    HDABDL_DDI_INTERFACE_HEADER_
    hdabdl_ddi_transfer_codec_verbs TransferCodecVerbs;
    hdabdl_ddi_allocate_capture_dma_engine AllocateCaptureDmaEngine;
    hdabdl_ddi_allocate_render_dma_engine AllocateRenderDmaEngine;
    hdabdl_ddi_change_bandwidth_allocation ChangeBandwidthAllocation;
    hdabdl_ddi_allocate_dma_buffer AllocateDmaBuffer;
    hdabdl_ddi_free_dma_buffer FreeDmaBuffer;
    hdabdl_ddi_free_dma_engine FreeDmaEngine;
    hdabdl_ddi_set_dma_engine_state SetDmaEngineState;
    hdabdl_ddi_get_wall_clock_register GetWallClockRegister;
    hdabdl_ddi_get_link_position_register GetLinkPositionRegister;
    hdabdl_ddi_register_event_callback RegisterEventCallback;
    hdabdl_ddi_unregister_event_callback UnregisterEventCallback;
    hdabdl_ddi_get_device_information GetDeviceInformation;
    hdabdl_ddi_get_resource_information GetResourceInformation;
};

/** HDAUDIO_BUS_INTERFACE_BDL: 15 routines; 152 / 76 bytes. Not a superset of V1. */
struct hdabdl_bus_interface_bdl {
    HDABDL_DDI_INTERFACE_HEADER_
    hdabdl_ddi_transfer_codec_verbs TransferCodecVerbs;
    hdabdl_ddi_allocate_capture_dma_engine AllocateCaptureDmaEngine;
    hdabdl_ddi_allocate_render_dma_engine AllocateRenderDmaEngine;
    hdabdl_ddi_change_bandwidth_allocation ChangeBandwidthAllocation;
    hdabdl_ddi_allocate_contiguous_dma_buffer AllocateContiguousDmaBuffer;
    hdabdl_ddi_setup_dma_engine_with_bdl SetupDmaEngineWithBdl;
    hdabdl_ddi_free_contiguous_dma_buffer FreeContiguousDmaBuffer;
    hdabdl_ddi_free_dma_engine FreeDmaEngine;
    hdabdl_ddi_set_dma_engine_state SetDmaEngineState;
    hdabdl_ddi_get_wall_clock_register GetWallClockRegister;
    hdabdl_ddi_get_link_position_register GetLinkPositionRegister;
    hdabdl_ddi_register_event_callback RegisterEventCallback;
    hdabdl_ddi_unregister_event_callback UnregisterEventCallback;
    hdabdl_ddi_get_device_information GetDeviceInformation;
    hdabdl_ddi_get_resource_information GetResourceInformation;
};

/** HDAUDIO_BUS_INTERFACE_V2: V1 + 4 routines; 176 / 88 bytes. */
struct hdabdl_bus_interface_v2 {
    HDABDL_DDI_INTERFACE_HEADER_
    hdabdl_ddi_transfer_codec_verbs TransferCodecVerbs;
    hdabdl_ddi_allocate_capture_dma_engine AllocateCaptureDmaEngine;
    hdabdl_ddi_allocate_render_dma_engine AllocateRenderDmaEngine;
    hdabdl_ddi_change_bandwidth_allocation ChangeBandwidthAllocation;
    hdabdl_ddi_allocate_dma_buffer AllocateDmaBuffer;
    hdabdl_ddi_free_dma_buffer FreeDmaBuffer;
    hdabdl_ddi_free_dma_engine FreeDmaEngine;
    hdabdl_ddi_set_dma_engine_state SetDmaEngineState;
    hdabdl_ddi_get_wall_clock_register GetWallClockRegister;
    hdabdl_ddi_get_link_position_register GetLinkPositionRegister;
    hdabdl_ddi_register_event_callback RegisterEventCallback;
    hdabdl_ddi_unregister_event_callback UnregisterEventCallback;
    hdabdl_ddi_get_device_information GetDeviceInformation;
    hdabdl_ddi_get_resource_information GetResourceInformation;
    hdabdl_ddi_allocate_dma_buffer_with_notification AllocateDmaBufferWithNotification;
    hdabdl_ddi_free_dma_buffer_with_notification FreeDmaBufferWithNotification;
    hdabdl_ddi_register_notification_event RegisterNotificationEvent;
    hdabdl_ddi_unregister_notification_event UnregisterNotificationEvent;
};

/** HDAUDIO_BUS_INTERFACE_V3: V2 + 2 routines; 192 / 96 bytes. */
struct hdabdl_bus_interface_v3 {
    HDABDL_DDI_INTERFACE_HEADER_
    hdabdl_ddi_transfer_codec_verbs TransferCodecVerbs;
    hdabdl_ddi_allocate_capture_dma_engine AllocateCaptureDmaEngine;
    hdabdl_ddi_allocate_render_dma_engine AllocateRenderDmaEngine;
    hdabdl_ddi_change_bandwidth_allocation ChangeBandwidthAllocation;
    hdabdl_ddi_allocate_dma_buffer AllocateDmaBuffer;
    hdabdl_ddi_free_dma_buffer FreeDmaBuffer;
    hdabdl_ddi_free_dma_engine FreeDmaEngine;
    hdabdl_ddi_set_dma_engine_state SetDmaEngineState;
    hdabdl_ddi_get_wall_clock_register GetWallClockRegister;
    hdabdl_ddi_get_link_position_register GetLinkPositionRegister;
    hdabdl_ddi_register_event_callback RegisterEventCallback;
    hdabdl_ddi_unregister_event_callback UnregisterEventCallback;
    hdabdl_ddi_get_device_information GetDeviceInformation;
    hdabdl_ddi_get_resource_information GetResourceInformation;
    hdabdl_ddi_allocate_dma_buffer_with_notification AllocateDmaBufferWithNotification;
    hdabdl_ddi_free_dma_buffer_with_notification FreeDmaBufferWithNotification;
    hdabdl_ddi_register_notification_event RegisterNotificationEvent;
    hdabdl_ddi_unregister_notification_event UnregisterNotificationEvent;
    hdabdl_ddi_register_notification_callback RegisterNotificationCallback;
    hdabdl_ddi_unregister_notification_callback UnregisterNotificationCallback;
};

/* ---- Query ----------------------------------------------------------------------- */

/**
 * IRP_MN_QUERY_INTERFACE: fill the table for @interface_type (one of the four
 * bus-interface GUIDs) into @interface_out, a caller-allocated struct of
 * @size bytes: the whole struct (Size = its sizeof, Version =
 * HDABDL_INTERFACE_VERSION, Context = @client, InterfaceReference,
 * InterfaceDereference, every routine), and take one reference on @client
 * (drop it with InterfaceDereference(Context)). Any requested @version is
 * accepted (the docs ask for 0x0100; some drivers ask for 1) and the table
 * always says 0x0100. Returns INVALID_PARAMETER for a NULL pointer,
 * NOT_SUPPORTED for any other GUID (hdabdl_guid_bus_class included),
 * BUFFER_TOO_SMALL if @size is below the struct's size; on failure nothing is
 * written and no reference is taken, and no more than @size bytes are ever
 * written.
 *
 * With HDABDL_DDI_MS_ABI (see the top of this file) this name refers to
 * hdabdl_query_interface_ms_abi(): same contract, ms_abi tables.
 */
#ifdef HDABDL_DDI_IS_MS_ABI
#define hdabdl_query_interface hdabdl_query_interface_ms_abi
#endif
hdabdl_status hdabdl_query_interface(hdabdl_client *client, const struct hdabdl_guid *interface_type,
                                     uint16_t size, uint16_t version, void *interface_out);
#if defined(HDABDL_DDI_HAVE_MS_ABI) && !defined(HDABDL_DDI_IS_MS_ABI)
/** The same query handing out ms_abi tables (x86-64 GCC/Clang only). */
hdabdl_status hdabdl_query_interface_ms_abi(hdabdl_client *client,
                                            const struct hdabdl_guid *interface_type,
                                            uint16_t size, uint16_t version, void *interface_out);
#endif

/** 1 if the two GUIDs are equal, else 0. */
int hdabdl_guid_equal(const struct hdabdl_guid *a, const struct hdabdl_guid *b);

/**
 * The bus address of the byte at @cpu, which must lie inside a buffer the
 * library allocated for one of @client's engines: a contiguous data buffer or
 * its BDL page (AllocateContiguousDmaBuffer), or a page of a bus-allocated
 * buffer or its BDL (AllocateDmaBuffer, AllocateDmaBufferWithNotification).
 * This is MmGetPhysicalAddress for a driver filling its BDL. Returns
 * INVALID_PARAMETER for NULL pointers or an address outside every such buffer
 * (another client's included).
 */
hdabdl_status hdabdl_get_bus_address(hdabdl_client *client, const void *cpu, uint64_t *bus);

/* ---- Layouts ------------------------------------------------------------------- */

/* The INTERFACE header is four pointers wide (Size and Version padded to one
 * pointer), then one pointer per routine: 144/152/176/192 bytes on LP64 and
 * LLP64, 72/76/88/96 on ILP32, as the DDI's tables are. */
#ifdef HDABDL_LAYOUT_ASSERT_
HDABDL_LAYOUT_ASSERT_(sizeof(struct hdabdl_guid) == 16, "GUID is 16 bytes");
HDABDL_LAYOUT_ASSERT_(offsetof(struct hdabdl_interface, Context) == sizeof(void *) &&
                          sizeof(struct hdabdl_interface) == 4 * sizeof(void *),
                      "INTERFACE: Size, Version, Context, InterfaceReference, InterfaceDereference");
HDABDL_LAYOUT_ASSERT_(sizeof(struct hdabdl_bus_interface) == (4 + 14) * sizeof(void *),
                      "HDAUDIO_BUS_INTERFACE: the header and 14 routines");
HDABDL_LAYOUT_ASSERT_(sizeof(struct hdabdl_bus_interface_bdl) == (4 + 15) * sizeof(void *),
                      "HDAUDIO_BUS_INTERFACE_BDL: the header and 15 routines");
HDABDL_LAYOUT_ASSERT_(sizeof(struct hdabdl_bus_interface_v2) == (4 + 18) * sizeof(void *),
                      "HDAUDIO_BUS_INTERFACE_V2: the header and 18 routines");
HDABDL_LAYOUT_ASSERT_(sizeof(struct hdabdl_bus_interface_v3) == (4 + 20) * sizeof(void *),
                      "HDAUDIO_BUS_INTERFACE_V3: the header and 20 routines");
#endif

#ifdef __cplusplus
}
#endif

#endif /* HDABDL_DDI_H */
