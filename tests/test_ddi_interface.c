/* SPDX-License-Identifier: MIT */
/*
 * test_ddi_interface.c - the DDI's interface tables (hdabdl/ddi.h; ddi.md §1-3,
 * §10 #13, #15): HDAUDIO_BUS_INTERFACE (V1), _BDL, _V2 and _V3 have the
 * DDI's layout (the INTERFACE header, then one pointer per routine in the
 * DDI's slot order; 144/152/176/192 bytes on 64-bit, 72/76/88/96 on 32-bit;
 * the BDL table is not a superset of V1), the GUIDs are the DDI's,
 * hdabdl_query_interface() fills the whole table (Size, Version 0x0100, the
 * client as Context), accepts any requested Version, refuses unknown GUIDs
 * and short buffers without writing, and counts references for real:
 * InterfaceReference / InterfaceDereference balance, and a client closed with
 * references outstanding lives until the last InterfaceDereference, which
 * releases everything it held. Every routine of every version is reached
 * through its table on the mock, and hdabdl_get_bus_address() finds bus
 * addresses inside the client's own buffers only.
 *
 * test_ddi_interface_ms_abi.c includes this file with HDABDL_DDI_MS_ABI: the
 * same tests then run through the ms_abi tables (x86-64 GCC/Clang), with
 * ms_abi callbacks.
 */
#define _POSIX_C_SOURCE 200809L
#include "support/fixture.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"   /* test-only: reference count, stray dereferences */
#include "hdabdl/codec.h"
#include "hdabdl/ddi.h"

#define VENDOR 0x14f15069u

/* ---- The four versions --------------------------------------------------------------- */

enum ver { V1, VBDL, V2, V3, NVER };

struct ver_desc {
    const char *name;
    const struct hdabdl_guid *guid;
    const char *guid_string;          /* ddi.md §1, verbatim */
    size_t size;                      /* sizeof the struct */
    size_t routines;                  /* ddi.md §1 */
    size_t size_lp64, size_ilp32;     /* ddi.md §2, derived there */
};

static const struct ver_desc vers[NVER] = {
    [V1] = {"V1", &hdabdl_guid_bus_interface, "{D2EAF88B-AB18-41A8-B664-8D592167671B}",
            sizeof(struct hdabdl_bus_interface), 14, 144, 72},
    [VBDL] = {"BDL", &hdabdl_guid_bus_interface_bdl, "{B4D65397-5634-40B0-B068-F5B9F8B967A5}",
              sizeof(struct hdabdl_bus_interface_bdl), 15, 152, 76},
    [V2] = {"V2", &hdabdl_guid_bus_interface_v2, "{B52AF5FB-424B-4BB9-A160-5B38BE94E568}",
            sizeof(struct hdabdl_bus_interface_v2), 18, 176, 88},
    [V3] = {"V3", &hdabdl_guid_bus_interface_v3, "{DC25DA12-BCD1-4C7F-84E1-02ADB6DCDCBF}",
            sizeof(struct hdabdl_bus_interface_v3), 20, 192, 96},
};

#define CLASS_GUID_STRING "{BBD1A745-ADD6-4575-9C2E-9B428D1C3266}"

/* Header: USHORT, USHORT, padding to a pointer, three pointers (ddi.md §2). */
#define PTR sizeof(void *)
#define HEADER_SIZE (((2 * sizeof(uint16_t) + PTR - 1) / PTR) * PTR + 3 * PTR)

/* Any table, big enough for the largest, with room for a canary after it. */
union any_table {
    struct hdabdl_interface hdr;
    struct hdabdl_bus_interface v1;
    struct hdabdl_bus_interface_bdl bdl;
    struct hdabdl_bus_interface_v2 v2;
    struct hdabdl_bus_interface_v3 v3;
    unsigned char bytes[sizeof(struct hdabdl_bus_interface_v3) + 64];
};

/* ---- Every routine of a table, NULL where the version has none ------------------------- */

struct view {
    enum ver ver;
    void *ctx;
    hdabdl_ddi_interface_reference ref;
    hdabdl_ddi_interface_dereference deref;
    hdabdl_ddi_transfer_codec_verbs transfer_codec_verbs;
    hdabdl_ddi_allocate_capture_dma_engine allocate_capture_dma_engine;
    hdabdl_ddi_allocate_render_dma_engine allocate_render_dma_engine;
    hdabdl_ddi_change_bandwidth_allocation change_bandwidth_allocation;
    hdabdl_ddi_allocate_dma_buffer allocate_dma_buffer;
    hdabdl_ddi_free_dma_buffer free_dma_buffer;
    hdabdl_ddi_allocate_contiguous_dma_buffer allocate_contiguous_dma_buffer;
    hdabdl_ddi_setup_dma_engine_with_bdl setup_dma_engine_with_bdl;
    hdabdl_ddi_free_contiguous_dma_buffer free_contiguous_dma_buffer;
    hdabdl_ddi_free_dma_engine free_dma_engine;
    hdabdl_ddi_set_dma_engine_state set_dma_engine_state;
    hdabdl_ddi_get_wall_clock_register get_wall_clock_register;
    hdabdl_ddi_get_link_position_register get_link_position_register;
    hdabdl_ddi_register_event_callback register_event_callback;
    hdabdl_ddi_unregister_event_callback unregister_event_callback;
    hdabdl_ddi_get_device_information get_device_information;
    hdabdl_ddi_get_resource_information get_resource_information;
    hdabdl_ddi_allocate_dma_buffer_with_notification allocate_dma_buffer_with_notification;
    hdabdl_ddi_free_dma_buffer_with_notification free_dma_buffer_with_notification;
    hdabdl_ddi_register_notification_event register_notification_event;
    hdabdl_ddi_unregister_notification_event unregister_notification_event;
    hdabdl_ddi_register_notification_callback register_notification_callback;
    hdabdl_ddi_unregister_notification_callback unregister_notification_callback;
};

#define VIEW_HEADER(v, t)                                        \
    do {                                                         \
        (v)->ctx = (t).Context;                                  \
        (v)->ref = (t).InterfaceReference;                       \
        (v)->deref = (t).InterfaceDereference;                   \
        (v)->transfer_codec_verbs = (t).TransferCodecVerbs;      \
        (v)->allocate_capture_dma_engine = (t).AllocateCaptureDmaEngine; \
        (v)->allocate_render_dma_engine = (t).AllocateRenderDmaEngine;   \
        (v)->change_bandwidth_allocation = (t).ChangeBandwidthAllocation; \
        (v)->free_dma_engine = (t).FreeDmaEngine;                \
        (v)->set_dma_engine_state = (t).SetDmaEngineState;       \
        (v)->get_wall_clock_register = (t).GetWallClockRegister; \
        (v)->get_link_position_register = (t).GetLinkPositionRegister; \
        (v)->register_event_callback = (t).RegisterEventCallback; \
        (v)->unregister_event_callback = (t).UnregisterEventCallback; \
        (v)->get_device_information = (t).GetDeviceInformation; \
        (v)->get_resource_information = (t).GetResourceInformation; \
    } while (0)

#define VIEW_BUS_BUFFERS(v, t)                                   \
    do {                                                         \
        (v)->allocate_dma_buffer = (t).AllocateDmaBuffer;        \
        (v)->free_dma_buffer = (t).FreeDmaBuffer;                \
    } while (0)

#define VIEW_V2(v, t)                                                                  \
    do {                                                                               \
        (v)->allocate_dma_buffer_with_notification = (t).AllocateDmaBufferWithNotification; \
        (v)->free_dma_buffer_with_notification = (t).FreeDmaBufferWithNotification;   \
        (v)->register_notification_event = (t).RegisterNotificationEvent;             \
        (v)->unregister_notification_event = (t).UnregisterNotificationEvent;         \
    } while (0)

static struct view view_of(enum ver ver, const union any_table *t)
{
    struct view v;
    memset(&v, 0, sizeof v);
    v.ver = ver;
    switch (ver) {
    case V1:
        VIEW_HEADER(&v, t->v1);
        VIEW_BUS_BUFFERS(&v, t->v1);
        break;
    case VBDL:
        VIEW_HEADER(&v, t->bdl);
        v.allocate_contiguous_dma_buffer = t->bdl.AllocateContiguousDmaBuffer;
        v.setup_dma_engine_with_bdl = t->bdl.SetupDmaEngineWithBdl;
        v.free_contiguous_dma_buffer = t->bdl.FreeContiguousDmaBuffer;
        break;
    case V2:
        VIEW_HEADER(&v, t->v2);
        VIEW_BUS_BUFFERS(&v, t->v2);
        VIEW_V2(&v, t->v2);
        break;
    case V3:
    default:
        VIEW_HEADER(&v, t->v3);
        VIEW_BUS_BUFFERS(&v, t->v3);
        VIEW_V2(&v, t->v3);
        v.register_notification_callback = t->v3.RegisterNotificationCallback;
        v.unregister_notification_callback = t->v3.UnregisterNotificationCallback;
        break;
    }
    return v;
}

static hdabdl_status query(hdabdl_client *c, enum ver ver, union any_table *t)
{
    memset(t, 0, sizeof *t);
    return hdabdl_query_interface(c, vers[ver].guid, (uint16_t)vers[ver].size,
                                  HDABDL_INTERFACE_VERSION, t);
}

/* Query @ver for @c (asserting success): the table's routines. Takes a reference. */
static struct view query_view(hdabdl_client *c, enum ver ver)
{
    union any_table t;
    assert_status(query(c, ver, &t), HDABDL_STATUS_SUCCESS);
    return view_of(ver, &t);
}

static uint32_t refs(hdabdl_client *c) { return hdabdl__client_reference_count(c); }

/* ---- Recording callbacks (the driver's convention: HDABDL_DDI_API) --------------------- */

struct isr_log {
    unsigned calls;
    uint32_t or_mask;
    void *context;
};

static void HDABDL_DDI_API isr_record(void *context, uint32_t interrupt_bit_mask)
{
    struct isr_log *log = context;
    log->calls++;
    log->or_mask |= interrupt_bit_mask;
    log->context = context;
}

struct xfer_log {
    unsigned calls;
    struct hdabdl_codec_transfer *first;
    void *context;
};

static void HDABDL_DDI_API xfer_done(struct hdabdl_codec_transfer *codec_transfer, void *context)
{
    struct xfer_log *log = context;
    log->calls++;
    log->first = codec_transfer;
    log->context = context;
}

struct unsol_log {
    unsigned calls;
    hdabdl_codec_response last;
    void *context;
};

static void HDABDL_DDI_API unsol_record(hdabdl_codec_response response, void *context)
{
    struct unsol_log *log = context;
    log->calls++;
    log->last = response;
    log->context = context;
}

struct note_log {
    unsigned calls;
    int64_t last_timestamp;
    void *context;
};

static void HDABDL_DDI_API note_record(void *context, int64_t qpc_dma_notification_timestamp)
{
    struct note_log *log = context;
    log->calls++;
    log->last_timestamp = qpc_dma_notification_timestamp;
    log->context = context;
}

/* The KEVENT stand-in: the emulator's own code, native convention. */
struct test_event {
    struct hdabdl_notification_event event;   /* first: signal() gets its address */
    unsigned signals;
};

static void test_event_signal(struct hdabdl_notification_event *event)
{
    ((struct test_event *)(void *)event)->signals++;
}

/* ---- Setup: a duplex codec at 0 (unsolicited-capable pins), two clients ------------------ */

static struct hdabdl_codec *codec0;

static int setup_duplex(void **state)
{
    fx_setup_bare(state);
    struct fx *fx = *state;
    codec0 = fx_add_duplex_codec(fx, 0, VENDOR);
    fx_start(fx, 2);
    return 0;
}

/* ---- Engines through a table --------------------------------------------------------------- */

#define FRAG_LEN 1024u   /* 128-byte multiple: 256 frames of 16-bit stereo, 5.3 ms */
#define FRAGS 4u
#define BUS_BUFFER_SIZE (FRAGS * FRAG_LEN)

struct tstream {
    hdabdl_handle h;
    hdabdl_converter_format conv;
    void *data;                               /* BDL: data buffer */
    struct hdabdl_buffer_descriptor *bdl;     /* BDL: its BDL */
    struct hdabdl_mdl *mdl;                   /* bus-allocated */
    size_t allocated;
    size_t offset;
    uint8_t stream_id;
    uint32_t fifo;
    bool notification;                        /* allocated with notification */
    struct isr_log isr;
};

static hdabdl_handle v_render(struct view *v, hdabdl_converter_format *conv)
{
    struct hdabdl_stream_format f = fx_format_default();
    hdabdl_handle h = NULL;
    hdabdl_converter_format c = 0;
    assert_status(v->allocate_render_dma_engine(v->ctx, &f, 0, &h, &c), HDABDL_STATUS_SUCCESS);
    assert_non_null(h);
    if (conv)
        *conv = c;
    return h;
}

/* BDL: a contiguous buffer and a BDL of FRAGS entries written with bus addresses
 * from hdabdl_get_bus_address(), the engine set up with isr_record. */
static void v_setup_bdl(struct view *v, struct tstream *s)
{
    assert_status(v->allocate_contiguous_dma_buffer(v->ctx, s->h, FRAGS * FRAG_LEN, &s->data,
                                                    &s->bdl),
                  HDABDL_STATUS_SUCCESS);
    assert_non_null(s->data);
    assert_non_null(s->bdl);
    memset(s->data, 0, FRAGS * FRAG_LEN);
    for (unsigned i = 0; i < FRAGS; i++) {
        uint64_t bus = 0;
        assert_status(hdabdl_get_bus_address(v->ctx, (uint8_t *)s->data + i * FRAG_LEN, &bus),
                      HDABDL_STATUS_SUCCESS);
        hdabdl_bdl_write_entry(s->bdl, i, bus, FRAG_LEN, 1);
    }
    assert_status(v->setup_dma_engine_with_bdl(v->ctx, s->h, FRAGS * FRAG_LEN, FRAGS - 1,
                                               isr_record, &s->isr, &s->stream_id, &s->fifo),
                  HDABDL_STATUS_SUCCESS);
}

/* Give @s a buffer the way its version does. */
static void v_attach(struct view *v, struct tstream *s)
{
    if (v->ver == VBDL) {
        v_setup_bdl(v, s);
    } else {
        assert_status(v->allocate_dma_buffer(v->ctx, s->h, BUS_BUFFER_SIZE, &s->mdl,
                                             &s->allocated, &s->stream_id, &s->fifo),
                      HDABDL_STATUS_SUCCESS);
        assert_non_null(s->mdl);
        assert_true(s->allocated >= BUS_BUFFER_SIZE);
    }
    assert_true(s->stream_id >= 1 && s->stream_id <= 15);
    assert_true(s->fifo > 0);
}

static void v_detach(struct view *v, struct tstream *s)
{
    if (v->ver == VBDL)
        assert_status(v->free_contiguous_dma_buffer(v->ctx, s->h), HDABDL_STATUS_SUCCESS);
    else if (s->notification)
        assert_status(v->free_dma_buffer_with_notification(v->ctx, s->h, s->mdl, s->allocated),
                      HDABDL_STATUS_SUCCESS);
    else
        assert_status(v->free_dma_buffer(v->ctx, s->h), HDABDL_STATUS_SUCCESS);
    s->mdl = NULL;
    s->data = NULL;
}

static hdabdl_status v_state(struct view *v, enum hdabdl_stream_state st, hdabdl_handle h)
{
    return v->set_dma_engine_state(v->ctx, st, 1, &h);
}

static void v_run(struct view *v, hdabdl_handle h)
{
    assert_status(v_state(v, HDABDL_PAUSE_STATE, h), HDABDL_STATUS_SUCCESS);
    assert_status(v_state(v, HDABDL_RUN_STATE, h), HDABDL_STATUS_SUCCESS);
}

static void v_stop(struct view *v, hdabdl_handle h)
{
    assert_status(v_state(v, HDABDL_PAUSE_STATE, h), HDABDL_STATUS_SUCCESS);
    assert_status(v_state(v, HDABDL_RESET_STATE, h), HDABDL_STATUS_SUCCESS);
}

/* ---- GUID strings ------------------------------------------------------------------------- */

static uint64_t hex_field(const char *s, size_t digits)
{
    char buf[17];
    char *end = NULL;
    assert_true(digits < sizeof buf);
    memcpy(buf, s, digits);
    buf[digits] = '\0';
    uint64_t v = strtoull(buf, &end, 16);
    assert_ptr_equal(end, buf + digits);
    return v;
}

/* "{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}" -> the GUID Windows builds from it. */
static struct hdabdl_guid parse_guid(const char *s)
{
    struct hdabdl_guid g;
    assert_int_equal(strlen(s), 38);
    assert_true(s[0] == '{' && s[9] == '-' && s[14] == '-' && s[19] == '-' && s[24] == '-' &&
                s[37] == '}');
    g.data1 = (uint32_t)hex_field(s + 1, 8);
    g.data2 = (uint16_t)hex_field(s + 10, 4);
    g.data3 = (uint16_t)hex_field(s + 15, 4);
    g.data4[0] = (uint8_t)hex_field(s + 20, 2);
    g.data4[1] = (uint8_t)hex_field(s + 22, 2);
    for (unsigned i = 0; i < 6; i++)
        g.data4[2 + i] = (uint8_t)hex_field(s + 25 + 2 * i, 2);
    return g;
}

static void assert_guid_is(const struct hdabdl_guid *g, const char *s)
{
    struct hdabdl_guid want = parse_guid(s);
    assert_int_equal(g->data1, want.data1);
    assert_int_equal(g->data2, want.data2);
    assert_int_equal(g->data3, want.data3);
    assert_memory_equal(g->data4, want.data4, 8);
    assert_int_equal(sizeof *g, 16);
    assert_memory_equal(g, &want, sizeof want);
    assert_true(hdabdl_guid_equal(g, &want));
}

/* ======================================================================================= */
/* Layout                                                                                  */
/* ======================================================================================= */

static void test_each_table_is_the_header_plus_one_pointer_per_routine(void **state)
{
    (void)state;
    for (unsigned v = 0; v < NVER; v++) {
        if (vers[v].size != HEADER_SIZE + vers[v].routines * PTR)
            fail_msg("%s: sizeof %zu, want %zu", vers[v].name, vers[v].size,
                     HEADER_SIZE + vers[v].routines * PTR);
        if (PTR == 8)
            assert_int_equal(vers[v].size, vers[v].size_lp64);
        else if (PTR == 4)
            assert_int_equal(vers[v].size, vers[v].size_ilp32);
    }
}

static void test_tables_are_144_152_176_192_bytes_on_64_bit_or_72_76_88_96_on_32_bit(void **state)
{
    (void)state;
    size_t want[NVER][2] = {{144, 72}, {152, 76}, {176, 88}, {192, 96}};
    for (unsigned v = 0; v < NVER; v++)
        assert_int_equal(vers[v].size, PTR == 8 ? want[v][0] : want[v][1]);
    assert_int_equal(HEADER_SIZE, PTR == 8 ? 32 : 16);
}

static void test_the_interface_header_is_size_version_context_reference_dereference(void **state)
{
    (void)state;
    assert_int_equal(offsetof(struct hdabdl_interface, Size), 0);
    assert_int_equal(offsetof(struct hdabdl_interface, Version), 2);
    assert_int_equal(offsetof(struct hdabdl_interface, Context), HEADER_SIZE - 3 * PTR);
    assert_int_equal(offsetof(struct hdabdl_interface, InterfaceReference), HEADER_SIZE - 2 * PTR);
    assert_int_equal(offsetof(struct hdabdl_interface, InterfaceDereference), HEADER_SIZE - PTR);
    assert_int_equal(sizeof(struct hdabdl_interface), HEADER_SIZE);
#define SAME_HEADER(T)                                                                      \
    assert_int_equal(offsetof(T, Size), 0);                                                 \
    assert_int_equal(offsetof(T, Version), 2);                                              \
    assert_int_equal(offsetof(T, Context), offsetof(struct hdabdl_interface, Context));     \
    assert_int_equal(offsetof(T, InterfaceReference),                                       \
                     offsetof(struct hdabdl_interface, InterfaceReference));                \
    assert_int_equal(offsetof(T, InterfaceDereference),                                     \
                     offsetof(struct hdabdl_interface, InterfaceDereference))
    SAME_HEADER(struct hdabdl_bus_interface);
    SAME_HEADER(struct hdabdl_bus_interface_bdl);
    SAME_HEADER(struct hdabdl_bus_interface_v2);
    SAME_HEADER(struct hdabdl_bus_interface_v3);
#undef SAME_HEADER
}

/* The DDI's slot order (ddi.md §2), one row per slot: name and offsetof in the struct. */
struct slot {
    const char *name;
    size_t offset;
};
#define SLOT(T, F) {#F, offsetof(T, F)}

static void assert_slots(const char *ver, const struct slot *slots, size_t n, size_t size)
{
    for (size_t i = 0; i < n; i++) {
        if (slots[i].offset != HEADER_SIZE + i * PTR)
            fail_msg("%s slot %zu: %s is at offset %zu, the DDI has it at %zu", ver, i,
                     slots[i].name, slots[i].offset, HEADER_SIZE + i * PTR);
    }
    assert_int_equal(size, HEADER_SIZE + n * PTR);
}

static void test_v1_routines_are_in_the_ddi_slot_order(void **state)
{
    (void)state;
#define S(F) SLOT(struct hdabdl_bus_interface, F)
    static const struct slot slots[] = {
        S(TransferCodecVerbs),        S(AllocateCaptureDmaEngine), S(AllocateRenderDmaEngine),
        S(ChangeBandwidthAllocation), S(AllocateDmaBuffer),        S(FreeDmaBuffer),
        S(FreeDmaEngine),             S(SetDmaEngineState),        S(GetWallClockRegister),
        S(GetLinkPositionRegister),   S(RegisterEventCallback),    S(UnregisterEventCallback),
        S(GetDeviceInformation),      S(GetResourceInformation),
    };
#undef S
    assert_int_equal(sizeof slots / sizeof slots[0], 14);
    assert_slots("V1", slots, 14, sizeof(struct hdabdl_bus_interface));
}

static void test_bdl_routines_are_in_the_ddi_slot_order(void **state)
{
    (void)state;
#define S(F) SLOT(struct hdabdl_bus_interface_bdl, F)
    static const struct slot slots[] = {
        S(TransferCodecVerbs),          S(AllocateCaptureDmaEngine), S(AllocateRenderDmaEngine),
        S(ChangeBandwidthAllocation),   S(AllocateContiguousDmaBuffer),
        S(SetupDmaEngineWithBdl),       S(FreeContiguousDmaBuffer),  S(FreeDmaEngine),
        S(SetDmaEngineState),           S(GetWallClockRegister),     S(GetLinkPositionRegister),
        S(RegisterEventCallback),       S(UnregisterEventCallback),  S(GetDeviceInformation),
        S(GetResourceInformation),
    };
#undef S
    assert_int_equal(sizeof slots / sizeof slots[0], 15);
    assert_slots("BDL", slots, 15, sizeof(struct hdabdl_bus_interface_bdl));
}

static void test_v2_routines_are_in_the_ddi_slot_order(void **state)
{
    (void)state;
#define S(F) SLOT(struct hdabdl_bus_interface_v2, F)
    static const struct slot slots[] = {
        S(TransferCodecVerbs),        S(AllocateCaptureDmaEngine), S(AllocateRenderDmaEngine),
        S(ChangeBandwidthAllocation), S(AllocateDmaBuffer),        S(FreeDmaBuffer),
        S(FreeDmaEngine),             S(SetDmaEngineState),        S(GetWallClockRegister),
        S(GetLinkPositionRegister),   S(RegisterEventCallback),    S(UnregisterEventCallback),
        S(GetDeviceInformation),      S(GetResourceInformation),
        S(AllocateDmaBufferWithNotification), S(FreeDmaBufferWithNotification),
        S(RegisterNotificationEvent), S(UnregisterNotificationEvent),
    };
#undef S
    assert_int_equal(sizeof slots / sizeof slots[0], 18);
    assert_slots("V2", slots, 18, sizeof(struct hdabdl_bus_interface_v2));
}

static void test_v3_routines_are_in_the_ddi_slot_order(void **state)
{
    (void)state;
#define S(F) SLOT(struct hdabdl_bus_interface_v3, F)
    static const struct slot slots[] = {
        S(TransferCodecVerbs),        S(AllocateCaptureDmaEngine), S(AllocateRenderDmaEngine),
        S(ChangeBandwidthAllocation), S(AllocateDmaBuffer),        S(FreeDmaBuffer),
        S(FreeDmaEngine),             S(SetDmaEngineState),        S(GetWallClockRegister),
        S(GetLinkPositionRegister),   S(RegisterEventCallback),    S(UnregisterEventCallback),
        S(GetDeviceInformation),      S(GetResourceInformation),
        S(AllocateDmaBufferWithNotification), S(FreeDmaBufferWithNotification),
        S(RegisterNotificationEvent), S(UnregisterNotificationEvent),
        S(RegisterNotificationCallback), S(UnregisterNotificationCallback),
    };
#undef S
    assert_int_equal(sizeof slots / sizeof slots[0], 20);
    assert_slots("V3", slots, 20, sizeof(struct hdabdl_bus_interface_v3));
}

static void test_the_bdl_table_is_not_a_superset_of_v1(void **state)
{
    struct fx *fx = *state;
    /* Slot 4 is AllocateDmaBuffer in V1 and AllocateContiguousDmaBuffer in BDL ... */
    assert_int_equal(offsetof(struct hdabdl_bus_interface, AllocateDmaBuffer),
                     offsetof(struct hdabdl_bus_interface_bdl, AllocateContiguousDmaBuffer));
    /* ... and the common routines after it sit one slot later in BDL. */
    assert_int_equal(offsetof(struct hdabdl_bus_interface_bdl, FreeDmaEngine),
                     offsetof(struct hdabdl_bus_interface, FreeDmaEngine) + PTR);
    assert_int_equal(offsetof(struct hdabdl_bus_interface_bdl, GetResourceInformation),
                     offsetof(struct hdabdl_bus_interface, GetResourceInformation) + PTR);

    union any_table a, b;
    assert_status(query(fx->client, V1, &a), HDABDL_STATUS_SUCCESS);
    assert_status(query(fx->client, VBDL, &b), HDABDL_STATUS_SUCCESS);
    size_t slot4 = HEADER_SIZE + 4 * PTR;
    /* The first four routines are the same functions, slot 4 is not. */
    assert_memory_equal(a.bytes + HEADER_SIZE, b.bytes + HEADER_SIZE, 4 * PTR);
    assert_memory_not_equal(a.bytes + slot4, b.bytes + slot4, PTR);
    a.hdr.InterfaceDereference(a.hdr.Context);
    b.hdr.InterfaceDereference(b.hdr.Context);
}

static void test_v2_extends_v1_and_v3_extends_v2_slot_for_slot(void **state)
{
    struct fx *fx = *state;
    union any_table t[NVER];
    for (unsigned v = 0; v < NVER; v++)
        assert_status(query(fx->client, (enum ver)v, &t[v]), HDABDL_STATUS_SUCCESS);
    /* Everything after Size/Version: Context, reference routines and V1's slots. */
    size_t from = offsetof(struct hdabdl_interface, Context);
    assert_memory_equal(t[V1].bytes + from, t[V2].bytes + from, sizeof t[V1].v1 - from);
    assert_memory_equal(t[V2].bytes + from, t[V3].bytes + from, sizeof t[V2].v2 - from);
    for (unsigned v = 0; v < NVER; v++)
        t[v].hdr.InterfaceDereference(t[v].hdr.Context);
}

/* ======================================================================================= */
/* GUIDs                                                                                   */
/* ======================================================================================= */

static void test_each_guid_has_the_bytes_of_its_ddi_string(void **state)
{
    (void)state;
    for (unsigned v = 0; v < NVER; v++)
        assert_guid_is(vers[v].guid, vers[v].guid_string);
    assert_guid_is(&hdabdl_guid_bus_class, CLASS_GUID_STRING);
}

static void test_the_v1_guid_is_laid_out_as_windows_does(void **state)
{
    (void)state;
    /* {D2EAF88B-AB18-41A8-B664-8D592167671B}: Data1..3 integers, Data4 as written. */
    static const uint8_t data4[8] = {0xB6, 0x64, 0x8D, 0x59, 0x21, 0x67, 0x67, 0x1B};
    assert_int_equal(hdabdl_guid_bus_interface.data1, 0xD2EAF88Bu);
    assert_int_equal(hdabdl_guid_bus_interface.data2, 0xAB18u);
    assert_int_equal(hdabdl_guid_bus_interface.data3, 0x41A8u);
    assert_memory_equal(hdabdl_guid_bus_interface.data4, data4, 8);
    /* In memory Data1..3 are host integers, so on a little-endian host (every
     * Windows one) the bytes are Windows' own. */
    static const uint8_t bytes[16] = {0x8B, 0xF8, 0xEA, 0xD2, 0x18, 0xAB, 0xA8, 0x41,
                                      0xB6, 0x64, 0x8D, 0x59, 0x21, 0x67, 0x67, 0x1B};
    if (!HDABDL_HOST_BIG_ENDIAN)
        assert_memory_equal(&hdabdl_guid_bus_interface, bytes, 16);
}

static void test_the_five_guids_are_distinct(void **state)
{
    (void)state;
    const struct hdabdl_guid *g[5] = {&hdabdl_guid_bus_interface, &hdabdl_guid_bus_interface_bdl,
                                      &hdabdl_guid_bus_interface_v2, &hdabdl_guid_bus_interface_v3,
                                      &hdabdl_guid_bus_class};
    for (unsigned i = 0; i < 5; i++)
        for (unsigned j = 0; j < 5; j++)
            assert_int_equal(hdabdl_guid_equal(g[i], g[j]), i == j);
    assert_false(hdabdl_guid_equal(NULL, g[0]));
    assert_false(hdabdl_guid_equal(g[0], NULL));
}

/* ======================================================================================= */
/* Query                                                                                   */
/* ======================================================================================= */

static void test_query_fills_size_version_0x0100_and_the_client_as_context(void **state)
{
    struct fx *fx = *state;
    for (unsigned v = 0; v < NVER; v++) {
        union any_table t;
        assert_status(query(fx->client, (enum ver)v, &t), HDABDL_STATUS_SUCCESS);
        assert_int_equal(t.hdr.Size, vers[v].size);
        assert_int_equal(t.hdr.Version, 0x0100);
        assert_ptr_equal(t.hdr.Context, fx->client);
        assert_non_null(t.hdr.InterfaceReference);
        assert_non_null(t.hdr.InterfaceDereference);
        t.hdr.InterfaceDereference(t.hdr.Context);
    }
}

static void test_query_fills_every_routine_slot(void **state)
{
    struct fx *fx = *state;
    for (unsigned v = 0; v < NVER; v++) {
        union any_table t;
        assert_status(query(fx->client, (enum ver)v, &t), HDABDL_STATUS_SUCCESS);
        for (size_t i = 0; i < vers[v].routines; i++) {
            void (*fn)(void);
            memcpy(&fn, t.bytes + HEADER_SIZE + i * PTR, sizeof fn);
            if (!fn)
                fail_msg("%s slot %zu is NULL", vers[v].name, i);
        }
        t.hdr.InterfaceDereference(t.hdr.Context);
    }
}

static void test_each_client_gets_its_own_context(void **state)
{
    struct fx *fx = *state;
    union any_table a, b;
    assert_status(query(fx->client, V2, &a), HDABDL_STATUS_SUCCESS);
    assert_status(query(fx->client2, V2, &b), HDABDL_STATUS_SUCCESS);
    assert_ptr_equal(a.hdr.Context, fx->client);
    assert_ptr_equal(b.hdr.Context, fx->client2);
    a.hdr.InterfaceDereference(a.hdr.Context);
    b.hdr.InterfaceDereference(b.hdr.Context);
}

static void test_query_with_an_unknown_guid_is_not_supported_and_writes_nothing(void **state)
{
    struct fx *fx = *state;
    union any_table t;
    struct hdabdl_guid g = hdabdl_guid_bus_interface;
    g.data4[7] ^= 1;
    const struct hdabdl_guid *bad[] = {&g, &hdabdl_guid_bus_class};
    for (unsigned i = 0; i < 2; i++) {
        memset(&t, 0xA5, sizeof t);
        assert_status(hdabdl_query_interface(fx->client, bad[i], (uint16_t)sizeof t, 0x0100, &t),
                      HDABDL_STATUS_NOT_SUPPORTED);
        for (size_t b = 0; b < sizeof t; b++)
            assert_int_equal(t.bytes[b], 0xA5);
    }
    assert_int_equal(refs(fx->client), 1);
}

static void test_query_with_a_size_below_the_struct_is_buffer_too_small_and_writes_nothing(
    void **state)
{
    struct fx *fx = *state;
    for (unsigned v = 0; v < NVER; v++) {
        uint16_t sizes[] = {0, 2, (uint16_t)HEADER_SIZE, (uint16_t)(vers[v].size - 1)};
        for (unsigned s = 0; s < 4; s++) {
            union any_table t;
            memset(&t, 0xA5, sizeof t);
            assert_status(hdabdl_query_interface(fx->client, vers[v].guid, sizes[s], 0x0100, &t),
                          HDABDL_STATUS_BUFFER_TOO_SMALL);
            for (size_t b = 0; b < sizeof t; b++)
                if (t.bytes[b] != 0xA5)
                    fail_msg("%s, size %u: byte %zu written", vers[v].name, sizes[s], b);
        }
    }
    assert_int_equal(refs(fx->client), 1);
}

static void test_query_never_writes_past_the_struct_even_when_size_is_larger(void **state)
{
    struct fx *fx = *state;
    for (unsigned v = 0; v < NVER; v++) {
        uint16_t sizes[] = {(uint16_t)vers[v].size, (uint16_t)sizeof(union any_table)};
        for (unsigned s = 0; s < 2; s++) {
            union any_table t;
            memset(&t, 0xA5, sizeof t);
            assert_status(hdabdl_query_interface(fx->client, vers[v].guid, sizes[s], 0x0100, &t),
                          HDABDL_STATUS_SUCCESS);
            for (size_t b = vers[v].size; b < sizeof t; b++)
                if (t.bytes[b] != 0xA5)
                    fail_msg("%s, size %u: byte %zu past the struct written", vers[v].name,
                             sizes[s], b);
            assert_int_equal(t.hdr.Size, vers[v].size);
            t.hdr.InterfaceDereference(t.hdr.Context);
        }
    }
}

static void test_query_accepts_any_requested_version_and_always_says_0x0100(void **state)
{
    struct fx *fx = *state;
    const uint16_t asked[] = {0, 1, 0x0100, 0x0101, 0x0200, 0xFFFF};
    for (unsigned v = 0; v < NVER; v++) {
        for (unsigned i = 0; i < sizeof asked / sizeof asked[0]; i++) {
            union any_table t;
            memset(&t, 0, sizeof t);
            assert_status(hdabdl_query_interface(fx->client, vers[v].guid,
                                                 (uint16_t)vers[v].size, asked[i], &t),
                          HDABDL_STATUS_SUCCESS);
            assert_int_equal(t.hdr.Version, HDABDL_INTERFACE_VERSION);
            t.hdr.InterfaceDereference(t.hdr.Context);
        }
    }
    assert_int_equal(refs(fx->client), 1);
}

static void test_query_with_null_pointers_is_invalid_parameter(void **state)
{
    struct fx *fx = *state;
    union any_table t;
    uint16_t size = (uint16_t)sizeof t.v1;
    assert_status(hdabdl_query_interface(NULL, &hdabdl_guid_bus_interface, size, 0x0100, &t),
                  HDABDL_STATUS_INVALID_PARAMETER);
    assert_status(hdabdl_query_interface(fx->client, NULL, size, 0x0100, &t),
                  HDABDL_STATUS_INVALID_PARAMETER);
    assert_status(hdabdl_query_interface(fx->client, &hdabdl_guid_bus_interface, size, 0x0100, NULL),
                  HDABDL_STATUS_INVALID_PARAMETER);
    assert_int_equal(refs(fx->client), 1);
}

/* ======================================================================================= */
/* Reference counting                                                                      */
/* ======================================================================================= */

static void test_a_client_starts_with_the_openers_reference(void **state)
{
    struct fx *fx = *state;
    assert_int_equal(refs(fx->client), 1);
    assert_int_equal(refs(fx->client2), 1);
}

static void test_each_query_takes_a_reference(void **state)
{
    struct fx *fx = *state;
    struct view v[NVER];
    for (unsigned i = 0; i < NVER; i++) {
        v[i] = query_view(fx->client, (enum ver)i);
        assert_int_equal(refs(fx->client), 2 + i);
    }
    assert_int_equal(refs(fx->client2), 1);
    for (unsigned i = 0; i < NVER; i++)
        v[i].deref(v[i].ctx);
    assert_int_equal(refs(fx->client), 1);
}

static void test_interface_reference_and_dereference_balance(void **state)
{
    struct fx *fx = *state;
    struct view v = query_view(fx->client, V1);
    for (unsigned i = 0; i < 5; i++)
        v.ref(v.ctx);
    assert_int_equal(refs(fx->client), 7);
    for (unsigned i = 0; i < 5; i++)
        v.deref(v.ctx);
    assert_int_equal(refs(fx->client), 2);
    v.deref(v.ctx);
    assert_int_equal(refs(fx->client), 1);
    assert_int_equal(hdabdl__stray_dereferences(fx->ctrl), 0);
    /* The client is as usable as before. */
    (void)fx_alloc_render(fx->client, &(struct hdabdl_stream_format){48000, 16, 16, 2}, false);
}

static void test_closing_with_a_reference_outstanding_keeps_the_client_usable(void **state)
{
    struct fx *fx = *state;
    for (unsigned ver = 0; ver < NVER; ver++) {
        hdabdl_client *c = NULL;
        assert_status(hdabdl_client_open(fx->ctrl, 0, 3, &c), HDABDL_STATUS_SUCCESS);
        struct view v = query_view(c, (enum ver)ver);
        struct tstream s;
        memset(&s, 0, sizeof s);
        s.h = v_render(&v, &s.conv);

        hdabdl_client_close(c);   /* the opener's reference: the table's remains */
        assert_int_equal(refs(c), 1);

        /* Still usable through the table: buffer, run, stop, free. */
        v_attach(&v, &s);
        v_run(&v, s.h);
        fx_advance_ms(fx, 12);
        const volatile uint32_t *pos = NULL;
        assert_status(v.get_link_position_register(v.ctx, s.h, &pos), HDABDL_STATUS_SUCCESS);
        assert_non_null(pos);
        v_stop(&v, s.h);
        v_detach(&v, &s);
        assert_status(v.free_dma_engine(v.ctx, s.h), HDABDL_STATUS_SUCCESS);

        v.deref(v.ctx);   /* the last one: released and freed (ASan would see a use) */
    }
    assert_int_equal(hdabdl_mock_hal_dma_blocks(fx->hal), fx->dma_baseline);
}

static void test_the_last_dereference_releases_running_engines_and_their_buffers(void **state)
{
    struct fx *fx = *state;
    for (unsigned ver = 0; ver < NVER; ver++) {
        hdabdl_client *c = NULL;
        assert_status(hdabdl_client_open(fx->ctrl, 0, 3, &c), HDABDL_STATUS_SUCCESS);
        struct view v = query_view(c, (enum ver)ver);
        v.ref(v.ctx);   /* a second reference, dropped below */
        struct tstream s;
        memset(&s, 0, sizeof s);
        s.h = v_render(&v, &s.conv);
        v_attach(&v, &s);
        v_run(&v, s.h);
        unsigned sd = fx_info(c, s.h).sd_index;
        fx_advance_ms(fx, 8);
        assert_true(fx_sd_running(fx, sd));
        assert_true(fx_bandwidth(fx).sdo_used[0] > 0);

        hdabdl_client_close(c);
        v.deref(v.ctx);
        assert_true(fx_sd_running(fx, sd));   /* one reference left */
        assert_int_equal(refs(c), 1);

        v.deref(v.ctx);   /* the last: engines stopped, reset and freed, buffers gone */
        assert_false(fx_sd_running(fx, sd));
        assert_int_equal(fx_bandwidth(fx).sdo_used[0], 0);
        assert_int_equal(hdabdl_mock_hal_dma_blocks(fx->hal), fx->dma_baseline);
        /* The engine is free for others. */
        hdabdl_handle h = fx_alloc_render(fx->client2, &(struct hdabdl_stream_format){48000, 16, 16, 2},
                                          false);
        assert_int_equal(fx_info(fx->client2, h).sd_index, sd);
        assert_status(hdabdl_free_dma_engine(fx->client2, h), HDABDL_STATUS_SUCCESS);
    }
    assert_int_equal(hdabdl__stray_dereferences(fx->ctrl), 0);
}

static void test_a_second_close_while_references_remain_is_ignored(void **state)
{
    struct fx *fx = *state;
    hdabdl_client *c = NULL;
    assert_status(hdabdl_client_open(fx->ctrl, 0, 3, &c), HDABDL_STATUS_SUCCESS);
    struct view v = query_view(c, V2);
    hdabdl_client_close(c);
    hdabdl_client_close(c);   /* over-release: ignored and counted */
    assert_int_equal(hdabdl__stray_dereferences(fx->ctrl), 1);
    assert_int_equal(refs(c), 1);
    hdabdl_handle h = v_render(&v, NULL);
    assert_status(v.free_dma_engine(v.ctx, h), HDABDL_STATUS_SUCCESS);
    v.deref(v.ctx);
}

static void test_a_failed_query_takes_no_reference(void **state)
{
    struct fx *fx = *state;
    union any_table t;
    assert_status(hdabdl_query_interface(fx->client, &hdabdl_guid_bus_interface_v3, 10, 0x100, &t),
                  HDABDL_STATUS_BUFFER_TOO_SMALL);
    assert_status(hdabdl_query_interface(fx->client, &hdabdl_guid_bus_class, (uint16_t)sizeof t,
                                         0x100, &t),
                  HDABDL_STATUS_NOT_SUPPORTED);
    assert_int_equal(refs(fx->client), 1);
}

static void test_controller_close_releases_clients_whatever_their_references(void **state)
{
    struct fx *fx = *state;
    struct view v = query_view(fx->client, VBDL);
    v.ref(v.ctx);
    struct tstream s;
    memset(&s, 0, sizeof s);
    s.h = v_render(&v, &s.conv);
    v_attach(&v, &s);
    v_run(&v, s.h);
    fx_advance_ms(fx, 3);
    fx_close_all(fx);   /* client closed (2 references left), then the controller */
    assert_int_equal(hdabdl_mock_hal_dma_blocks(fx->hal), 0);
}

#define REF_THREADS 4
#define REF_ROUNDS 20000

static void *ref_worker(void *arg)
{
    struct view *v = arg;
    for (unsigned i = 0; i < REF_ROUNDS; i++) {
        v->ref(v->ctx);
        v->deref(v->ctx);
    }
    return NULL;
}

static void test_reference_counting_is_thread_safe(void **state)
{
    struct fx *fx = *state;
    struct view v = query_view(fx->client, V3);
    pthread_t th[REF_THREADS];
    for (unsigned i = 0; i < REF_THREADS; i++)
        assert_int_equal(pthread_create(&th[i], NULL, ref_worker, &v), 0);
    for (unsigned i = 0; i < REF_THREADS; i++)
        assert_int_equal(pthread_join(th[i], NULL), 0);
    assert_int_equal(refs(fx->client), 2);
    v.deref(v.ctx);
    assert_int_equal(refs(fx->client), 1);
    assert_int_equal(hdabdl__stray_dereferences(fx->ctrl), 0);
}

/* ======================================================================================= */
/* Every routine through every table                                                       */
/* ======================================================================================= */

static void test_allocate_render_dma_engine_through_every_table_allocates_an_engine(void **state)
{
    struct fx *fx = *state;
    for (unsigned ver = 0; ver < NVER; ver++) {
        struct view v = query_view(fx->client, (enum ver)ver);
        struct hdabdl_stream_format f = fx_format(44100, 24, 32, 2);
        hdabdl_handle h = NULL;
        hdabdl_converter_format conv = 0, want = 0;
        assert_status(v.allocate_render_dma_engine(v.ctx, &f, 0, &h, &conv), HDABDL_STATUS_SUCCESS);
        assert_status(hdabdl_stream_format_encode(&f, &want), HDABDL_STATUS_SUCCESS);
        assert_int_equal(conv, want);
        struct hdabdl_engine_info info = fx_info(fx->client, h);
        assert_true(info.render);
        assert_int_equal(info.state, HDABDL_RESET_STATE);
        assert_int_equal(info.format.sample_rate, 44100);
        assert_status(v.free_dma_engine(v.ctx, h), HDABDL_STATUS_SUCCESS);
        assert_status(hdabdl_engine_get_info(fx->client, h, &info), HDABDL_STATUS_INVALID_HANDLE);
        v.deref(v.ctx);
    }
}

static void test_render_stripe_through_every_table_is_a_boolean(void **state)
{
    struct fx *fx = *state;
    for (unsigned ver = 0; ver < NVER; ver++) {
        struct view v = query_view(fx->client, (enum ver)ver);
        struct hdabdl_stream_format f = fx_format_default();
        hdabdl_handle a = NULL, b = NULL;
        hdabdl_converter_format conv = 0;
        assert_status(v.allocate_render_dma_engine(v.ctx, &f, 0, &a, &conv), HDABDL_STATUS_SUCCESS);
        assert_status(v.allocate_render_dma_engine(v.ctx, &f, 0x80, &b, &conv), HDABDL_STATUS_SUCCESS);
        /* Whatever the SDO lines, TRUE (any nonzero) asks for what the direct API's true does. */
        hdabdl_handle c = fx_alloc_render(fx->client, &f, true);
        assert_int_equal(fx_info(fx->client, b).stripe_lines, fx_info(fx->client, c).stripe_lines);
        assert_int_equal(fx_info(fx->client, a).stripe_lines, 1);
        assert_status(v.free_dma_engine(v.ctx, a), HDABDL_STATUS_SUCCESS);
        assert_status(v.free_dma_engine(v.ctx, b), HDABDL_STATUS_SUCCESS);
        assert_status(hdabdl_free_dma_engine(fx->client, c), HDABDL_STATUS_SUCCESS);
        v.deref(v.ctx);
    }
}

static void test_allocate_capture_and_change_bandwidth_through_every_table(void **state)
{
    struct fx *fx = *state;
    for (unsigned ver = 0; ver < NVER; ver++) {
        struct view v = query_view(fx->client, (enum ver)ver);
        struct hdabdl_stream_format f = fx_format_default();
        hdabdl_handle h = NULL;
        hdabdl_converter_format conv = 0, want = 0;
        assert_status(v.allocate_capture_dma_engine(v.ctx, 0, &f, &h, &conv), HDABDL_STATUS_SUCCESS);
        struct hdabdl_engine_info info = fx_info(fx->client, h);
        assert_false(info.render);
        assert_int_equal(info.codec_address, 0);

        struct hdabdl_stream_format g = fx_format(96000, 16, 16, 2);
        assert_status(v.change_bandwidth_allocation(v.ctx, h, &g, &conv), HDABDL_STATUS_SUCCESS);
        assert_status(hdabdl_stream_format_encode(&g, &want), HDABDL_STATUS_SUCCESS);
        assert_int_equal(conv, want);
        assert_int_equal(fx_info(fx->client, h).format.sample_rate, 96000);
        /* Errors come through unchanged. */
        assert_status(v.change_bandwidth_allocation(v.ctx, FX_FORGED_HANDLE, &g, &conv),
                      HDABDL_STATUS_INVALID_HANDLE);
        assert_status(v.free_dma_engine(v.ctx, h), HDABDL_STATUS_SUCCESS);
        assert_status(v.free_dma_engine(v.ctx, h), HDABDL_STATUS_INVALID_HANDLE);
        v.deref(v.ctx);
    }
}

static void test_set_state_and_position_registers_through_every_table(void **state)
{
    struct fx *fx = *state;
    for (unsigned ver = 0; ver < NVER; ver++) {
        struct view v = query_view(fx->client, (enum ver)ver);
        struct tstream s;
        memset(&s, 0, sizeof s);
        s.h = v_render(&v, &s.conv);
        v_attach(&v, &s);
        unsigned sd = fx_info(fx->client, s.h).sd_index;

        const volatile uint32_t *wc = NULL, *pos = NULL;
        v.get_wall_clock_register(v.ctx, &wc);
        assert_non_null(wc);
        assert_status(v.get_link_position_register(v.ctx, s.h, &pos), HDABDL_STATUS_SUCCESS);
        assert_non_null(pos);

        v_run(&v, s.h);
        uint32_t t0 = *wc;
        assert_true(fx_sd_running(fx, sd));
        assert_int_equal(fx_info(fx->client, s.h).state, HDABDL_RUN_STATE);
        fx_advance_us(fx, 2000);
        assert_int_equal(*wc - t0, 48000);              /* 24 MHz */
        assert_int_equal(*pos, fx_sd_lpib(fx, sd));
        assert_true(*pos > 0);
        /* Running -> Reset is refused through the table as directly. */
        assert_status(v_state(&v, HDABDL_RESET_STATE, s.h), HDABDL_STATUS_INVALID_DEVICE_REQUEST);
        v_stop(&v, s.h);
        assert_false(fx_sd_running(fx, sd));
        v_detach(&v, &s);
        assert_status(v.free_dma_engine(v.ctx, s.h), HDABDL_STATUS_SUCCESS);
        v.deref(v.ctx);
    }
}

static void test_bdl_table_contiguous_buffer_and_setup_with_bus_addresses_streams(void **state)
{
    struct fx *fx = *state;
    struct view v = query_view(fx->client, VBDL);
    struct tstream s;
    memset(&s, 0, sizeof s);
    s.h = v_render(&v, &s.conv);
    v_setup_bdl(&v, &s);   /* BDL entries from hdabdl_get_bus_address() */

    struct hdabdl_engine_info info = fx_info(fx->client, s.h);
    assert_int_equal(info.buffer_kind, HDABDL_BUFFER_KIND_CONTIGUOUS);
    assert_int_equal(info.buffer, HDABDL_BUFFER_PROGRAMMED);
    assert_int_equal(info.lvi, FRAGS - 1);
    assert_int_equal(info.buffer_length, FRAGS * FRAG_LEN);
    assert_int_equal(info.stream_tag, s.stream_id);
    /* The controller got the BDL's bus address: SDnBDPL is what get_bus_address says. */
    uint64_t bdl_bus = 0;
    assert_status(hdabdl_get_bus_address(fx->client, s.bdl, &bdl_bus), HDABDL_STATUS_SUCCESS);
    assert_int_equal(fx_sd_reg(fx, info.sd_index, HDA_SD_BDPL, 4), (uint32_t)bdl_bus);

    v_run(&v, s.h);
    fx_advance_ms(fx, 25);   /* > 4 fragments of 5.3 ms: an IOC each */
    assert_true(s.isr.calls >= 4);
    assert_true(s.isr.or_mask & HDABDL_ISR_BCIS);
    assert_ptr_equal(s.isr.context, &s.isr);
    v_stop(&v, s.h);
    v_detach(&v, &s);
    assert_int_equal(fx_info(fx->client, s.h).buffer, HDABDL_BUFFER_NONE);
    assert_status(v.free_dma_engine(v.ctx, s.h), HDABDL_STATUS_SUCCESS);
    v.deref(v.ctx);
}

static void test_bdl_table_setup_twice_calls_the_second_isr_only(void **state)
{
    struct fx *fx = *state;
    struct view v = query_view(fx->client, VBDL);
    struct tstream s;
    memset(&s, 0, sizeof s);
    s.h = v_render(&v, &s.conv);
    v_setup_bdl(&v, &s);
    struct isr_log second;
    memset(&second, 0, sizeof second);
    assert_status(v.setup_dma_engine_with_bdl(v.ctx, s.h, FRAGS * FRAG_LEN, FRAGS - 1, isr_record,
                                              &second, &s.stream_id, &s.fifo),
                  HDABDL_STATUS_SUCCESS);
    /* A failing setup (Lvi 0) leaves the second one in place. */
    struct isr_log third;
    memset(&third, 0, sizeof third);
    assert_status(v.setup_dma_engine_with_bdl(v.ctx, s.h, FRAGS * FRAG_LEN, 0, isr_record, &third,
                                              &s.stream_id, &s.fifo),
                  HDABDL_STATUS_INVALID_PARAMETER);
    v_run(&v, s.h);
    fx_advance_ms(fx, 12);
    assert_int_equal(s.isr.calls, 0);
    assert_int_equal(third.calls, 0);
    assert_true(second.calls >= 2);
    v_stop(&v, s.h);
    v_detach(&v, &s);
    assert_status(v.free_dma_engine(v.ctx, s.h), HDABDL_STATUS_SUCCESS);
    v.deref(v.ctx);
}

static void test_allocate_dma_buffer_through_v1_v2_v3_builds_the_buffer(void **state)
{
    struct fx *fx = *state;
    const enum ver with[] = {V1, V2, V3};
    for (unsigned i = 0; i < 3; i++) {
        struct view v = query_view(fx->client, with[i]);
        assert_null(v.allocate_contiguous_dma_buffer);
        struct tstream s;
        memset(&s, 0, sizeof s);
        s.h = v_render(&v, &s.conv);
        v_attach(&v, &s);
        struct hdabdl_engine_info info = fx_info(fx->client, s.h);
        assert_int_equal(info.buffer_kind, HDABDL_BUFFER_KIND_BUS);
        assert_int_equal(info.buffer, HDABDL_BUFFER_PROGRAMMED);
        assert_int_equal(s.mdl->byte_count, s.allocated);
        /* A second allocation without freeing is refused, as directly. */
        struct hdabdl_mdl *mdl2 = NULL;
        size_t got = 0;
        uint8_t sid = 0;
        uint32_t fifo = 0;
        assert_status(v.allocate_dma_buffer(v.ctx, s.h, 1024, &mdl2, &got, &sid, &fifo),
                      HDABDL_STATUS_INVALID_DEVICE_REQUEST);
        v_detach(&v, &s);
        assert_int_equal(fx_info(fx->client, s.h).buffer, HDABDL_BUFFER_NONE);
        assert_status(v.free_dma_buffer(v.ctx, s.h), HDABDL_STATUS_INVALID_DEVICE_REQUEST);
        assert_status(v.free_dma_engine(v.ctx, s.h), HDABDL_STATUS_SUCCESS);
        v.deref(v.ctx);
    }
    assert_int_equal(hdabdl_mock_hal_dma_blocks(fx->hal), fx->dma_baseline);
}

static void test_notification_buffer_and_events_through_v2_and_v3(void **state)
{
    struct fx *fx = *state;
    const enum ver with[] = {V2, V3};
    for (unsigned i = 0; i < 2; i++) {
        struct view v = query_view(fx->client, with[i]);
        struct tstream s;
        memset(&s, 0, sizeof s);
        s.h = v_render(&v, &s.conv);
        assert_status(v.allocate_dma_buffer_with_notification(v.ctx, s.h, 2, BUS_BUFFER_SIZE,
                                                              &s.mdl, &s.allocated, &s.offset,
                                                              &s.stream_id, &s.fifo),
                      HDABDL_STATUS_SUCCESS);
        s.notification = true;
        struct hdabdl_engine_info info = fx_info(fx->client, s.h);
        assert_int_equal(info.buffer_kind, HDABDL_BUFFER_KIND_NOTIFICATION);
        assert_int_equal(info.notification_count, 2);
        assert_int_equal(s.offset, s.mdl->byte_offset);

        struct test_event ev = {{test_event_signal}, 0};
        assert_status(v.register_notification_event(v.ctx, s.h, &ev.event), HDABDL_STATUS_SUCCESS);
        assert_int_equal(fx_info(fx->client, s.h).notification_events, 1);
        v_run(&v, s.h);
        /* One pass of the buffer is allocated / 192 bytes per ms; two IOCs per pass. */
        uint64_t pass_us = (uint64_t)s.allocated * 1000u / 192u;
        fx_advance_us(fx, pass_us * 2 + 100);
        assert_true(ev.signals >= 3);
        v_stop(&v, s.h);
        assert_status(v.unregister_notification_event(v.ctx, s.h, &ev.event), HDABDL_STATUS_SUCCESS);
        assert_status(v.unregister_notification_event(v.ctx, s.h, &ev.event),
                      HDABDL_STATUS_INVALID_PARAMETER);
        v_detach(&v, &s);
        assert_status(v.free_dma_engine(v.ctx, s.h), HDABDL_STATUS_SUCCESS);
        v.deref(v.ctx);
    }
}

static void test_notification_callback_through_v3_is_called_with_a_timestamp(void **state)
{
    struct fx *fx = *state;
    struct view v = query_view(fx->client, V3);
    assert_non_null(v.register_notification_callback);
    struct tstream s;
    memset(&s, 0, sizeof s);
    s.h = v_render(&v, &s.conv);
    assert_status(v.allocate_dma_buffer_with_notification(v.ctx, s.h, 1, BUS_BUFFER_SIZE, &s.mdl,
                                                          &s.allocated, &s.offset, &s.stream_id,
                                                          &s.fifo),
                  HDABDL_STATUS_SUCCESS);
    s.notification = true;
    struct note_log a, b;
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    int fdo;
    assert_status(v.register_notification_callback(v.ctx, s.h, &fdo, note_record, &a),
                  HDABDL_STATUS_SUCCESS);
    assert_status(v.register_notification_callback(v.ctx, s.h, &fdo, note_record, &b),
                  HDABDL_STATUS_SUCCESS);
    assert_int_equal(fx_info(fx->client, s.h).notification_callbacks, 2);
    v_run(&v, s.h);
    uint64_t before = fx_now_ns(fx);
    uint64_t pass_us = (uint64_t)s.allocated * 1000u / 192u;
    fx_advance_us(fx, pass_us * 2 + 100);
    assert_true(a.calls >= 2);
    assert_int_equal(b.calls, a.calls);
    assert_ptr_equal(a.context, &a);
    assert_ptr_equal(b.context, &b);
    assert_true(a.last_timestamp > (int64_t)before);
    assert_true(a.last_timestamp <= (int64_t)fx_now_ns(fx));

    /* Unregistration matches on callback and context. */
    assert_status(v.unregister_notification_callback(v.ctx, s.h, note_record, &fdo),
                  HDABDL_STATUS_INVALID_PARAMETER);
    assert_status(v.unregister_notification_callback(v.ctx, s.h, note_record, &a),
                  HDABDL_STATUS_SUCCESS);
    assert_status(v.unregister_notification_callback(v.ctx, s.h, note_record, &a),
                  HDABDL_STATUS_INVALID_PARAMETER);
    assert_status(v.unregister_notification_callback(v.ctx, FX_FORGED_HANDLE, note_record, &b),
                  HDABDL_STATUS_INVALID_HANDLE);
    unsigned a_calls = a.calls, b_calls = b.calls;
    fx_advance_us(fx, pass_us + 100);
    assert_int_equal(a.calls, a_calls);
    assert_true(b.calls > b_calls);
    v_stop(&v, s.h);
    assert_status(v.unregister_notification_callback(v.ctx, s.h, note_record, &b),
                  HDABDL_STATUS_SUCCESS);
    assert_int_equal(fx_info(fx->client, s.h).notification_callbacks, 0);
    v_detach(&v, &s);
    assert_status(v.free_dma_engine(v.ctx, s.h), HDABDL_STATUS_SUCCESS);
    v.deref(v.ctx);
}

static void test_notification_callbacks_through_v3_are_limited_as_documented(void **state)
{
    struct fx *fx = *state;
    struct view v = query_view(fx->client, V3);
    struct tstream s;
    memset(&s, 0, sizeof s);
    s.h = v_render(&v, &s.conv);
    struct note_log logs[HDABDL_MAX_NOTIFICATION_CALLBACKS + 1];
    memset(logs, 0, sizeof logs);
    for (unsigned i = 0; i < HDABDL_MAX_NOTIFICATION_CALLBACKS; i++)
        assert_status(v.register_notification_callback(v.ctx, s.h, NULL, note_record, &logs[i]),
                      HDABDL_STATUS_SUCCESS);
    assert_status(v.register_notification_callback(v.ctx, s.h, NULL, note_record,
                                                   &logs[HDABDL_MAX_NOTIFICATION_CALLBACKS]),
                  HDABDL_STATUS_INSUFFICIENT_RESOURCES);
    for (unsigned i = 0; i < HDABDL_MAX_NOTIFICATION_CALLBACKS; i++)
        assert_status(v.unregister_notification_callback(v.ctx, s.h, note_record, &logs[i]),
                      HDABDL_STATUS_SUCCESS);
    assert_status(v.free_dma_engine(v.ctx, s.h), HDABDL_STATUS_SUCCESS);
    v.deref(v.ctx);
}

static void test_transfer_codec_verbs_through_every_table_reaches_the_codec(void **state)
{
    struct fx *fx = *state;
    for (unsigned ver = 0; ver < NVER; ver++) {
        struct view v = query_view(fx->client, (enum ver)ver);
        struct hdabdl_codec_transfer t[2];
        memset(t, 0, sizeof t);
        t[0].output.command = HDABDL_VERB12(0, 0, HDABDL_VERB_GET_PARAMETER, HDABDL_PARAM_VENDOR_ID);
        t[1].output.command = HDABDL_VERB12(0, 0, HDABDL_VERB_GET_PARAMETER, HDABDL_PARAM_VENDOR_ID);
        /* Synchronous. */
        assert_status(v.transfer_codec_verbs(v.ctx, 2, t, NULL, NULL), HDABDL_STATUS_SUCCESS);
        for (unsigned i = 0; i < 2; i++) {
            assert_int_equal(t[i].input.is_valid, 1);
            assert_int_equal(t[i].input.response, VENDOR);
        }
        /* Asynchronous: the callback once, with the array and its context. */
        struct xfer_log log;
        memset(&log, 0, sizeof log);
        memset(&t[0].input, 0, sizeof t[0].input);
        assert_status(v.transfer_codec_verbs(v.ctx, 1, t, xfer_done, &log), HDABDL_STATUS_SUCCESS);
        fx_advance_ms(fx, 2);
        assert_int_equal(log.calls, 1);
        assert_ptr_equal(log.first, &t[0]);
        assert_ptr_equal(log.context, &log);
        assert_int_equal(t[0].input.is_valid, 1);
        assert_int_equal(t[0].input.response, VENDOR);
        /* An empty asynchronous batch completes at once. */
        assert_status(v.transfer_codec_verbs(v.ctx, 0, t, xfer_done, &log), HDABDL_STATUS_SUCCESS);
        assert_int_equal(log.calls, 2);
        v.deref(v.ctx);
    }
}

static void test_register_and_unregister_event_callback_through_every_table(void **state)
{
    struct fx *fx = *state;
    bool plugged = false;   /* the pin starts unplugged; every change is an event */
    for (unsigned ver = 0; ver < NVER; ver++) {
        struct view v = query_view(fx->client, (enum ver)ver);
        struct unsol_log log;
        memset(&log, 0, sizeof log);
        uint8_t tag = 0xFF;
        assert_status(v.register_event_callback(v.ctx, unsol_record, &log, &tag),
                      HDABDL_STATUS_SUCCESS);
        assert_true(tag < 64);
        /* Jack events of the headphone pin with that tag. */
        (void)fx_verb(fx->client, HDABDL_VERB12(0, FX_HP, HDABDL_VERB_SET_UNSOLICITED_ENABLE,
                                                0x80u | tag));
        plugged = !plugged;
        assert_true(hdabdl_codec_set_jack(codec0, FX_HP, plugged));
        fx_advance_ms(fx, 1);
        assert_int_equal(log.calls, 1);
        assert_ptr_equal(log.context, &log);
        assert_int_equal(log.last.is_unsolicited_response, 1);
        assert_int_equal(log.last.unsolicited.tag, tag);

        assert_status(v.unregister_event_callback(v.ctx, tag), HDABDL_STATUS_SUCCESS);
        assert_status(v.unregister_event_callback(v.ctx, tag), HDABDL_STATUS_INVALID_PARAMETER);
        plugged = !plugged;
        assert_true(hdabdl_codec_set_jack(codec0, FX_HP, plugged));
        fx_advance_ms(fx, 1);
        assert_int_equal(log.calls, 1);
        (void)fx_verb(fx->client, HDABDL_VERB12(0, FX_HP, HDABDL_VERB_SET_UNSOLICITED_ENABLE, 0));
        v.deref(v.ctx);
    }
}

static void test_event_callbacks_through_a_table_get_distinct_tags(void **state)
{
    struct fx *fx = *state;
    struct view v = query_view(fx->client, V1);
    struct unsol_log logs[8];
    uint8_t tags[8];
    uint64_t seen = 0;
    for (unsigned i = 0; i < 8; i++) {
        assert_status(v.register_event_callback(v.ctx, unsol_record, &logs[i], &tags[i]),
                      HDABDL_STATUS_SUCCESS);
        assert_false(seen & (1ull << tags[i]));
        seen |= 1ull << tags[i];
    }
    assert_status(v.register_event_callback(v.ctx, NULL, NULL, &tags[0]),
                  HDABDL_STATUS_INVALID_PARAMETER);
    for (unsigned i = 0; i < 8; i++)
        assert_status(v.unregister_event_callback(v.ctx, tags[i]), HDABDL_STATUS_SUCCESS);
    v.deref(v.ctx);
}

static void test_device_and_resource_information_through_every_table(void **state)
{
    struct fx *fx = *state;
    struct hdabdl_device_information direct;
    memset(&direct, 0, sizeof direct);
    direct.size = sizeof direct;
    assert_status(hdabdl_get_device_information(fx->client, &direct), HDABDL_STATUS_SUCCESS);
    for (unsigned ver = 0; ver < NVER; ver++) {
        struct view v = query_view(fx->client2, (enum ver)ver);
        struct hdabdl_device_information info;
        memset(&info, 0, sizeof info);
        info.size = sizeof info;
        assert_status(v.get_device_information(v.ctx, &info), HDABDL_STATUS_SUCCESS);
        assert_memory_equal(&info, &direct, sizeof info);
        struct hdabdl_device_information_v2 info2;
        memset(&info2, 0, sizeof info2);
        info2.size = sizeof info2;
        assert_status(v.get_device_information(v.ctx, (struct hdabdl_device_information *)&info2),
                      HDABDL_STATUS_SUCCESS);
        assert_int_equal(info2.size, sizeof info2);
        info.size = 2;
        assert_status(v.get_device_information(v.ctx, &info), HDABDL_STATUS_BUFFER_TOO_SMALL);

        uint8_t cad = 0xFF, node = 0xFF;
        v.get_resource_information(v.ctx, &cad, &node);
        assert_int_equal(cad, 0);
        assert_int_equal(node, 2);   /* client2: first node 2 */
        v.deref(v.ctx);
    }
}

static void test_routines_through_a_table_refuse_other_clients_handles(void **state)
{
    struct fx *fx = *state;
    struct view v = query_view(fx->client, V2);
    hdabdl_handle other = fx_alloc_render(fx->client2, &(struct hdabdl_stream_format){48000, 16, 16, 2},
                                          false);
    assert_status(v.free_dma_engine(v.ctx, other), HDABDL_STATUS_INVALID_HANDLE);
    assert_status(v_state(&v, HDABDL_PAUSE_STATE, other), HDABDL_STATUS_INVALID_HANDLE);
    v.deref(v.ctx);
}

static void test_table_and_direct_calls_mix_freely_on_the_same_engines_and_tags(void **state)
{
    struct fx *fx = *state;
    struct view bdl = query_view(fx->client, VBDL);
    struct view v3 = query_view(fx->client, V3);
    /* More rounds than there are engines, tags or callback records: each set up
     * or registered through a table and torn down directly (and so never seen
     * by the table's own free routines). */
    for (unsigned round = 0; round < 80; round++) {
        struct tstream s;
        memset(&s, 0, sizeof s);
        s.h = v_render(&bdl, &s.conv);
        v_setup_bdl(&bdl, &s);
        struct note_log n;
        memset(&n, 0, sizeof n);
        assert_status(v3.register_notification_callback(v3.ctx, s.h, NULL, note_record, &n),
                      HDABDL_STATUS_SUCCESS);
        struct unsol_log u;
        uint8_t tag = 0xFF;
        assert_status(bdl.register_event_callback(bdl.ctx, unsol_record, &u, &tag),
                      HDABDL_STATUS_SUCCESS);

        /* Torn down directly: the engine's notification callback goes with it. */
        assert_status(hdabdl_unregister_event_callback(fx->client, tag), HDABDL_STATUS_SUCCESS);
        assert_status(hdabdl_free_contiguous_dma_buffer(fx->client, s.h), HDABDL_STATUS_SUCCESS);
        assert_status(hdabdl_free_dma_engine(fx->client, s.h), HDABDL_STATUS_SUCCESS);
    }
    bdl.deref(bdl.ctx);
    v3.deref(v3.ctx);
}

static void test_bad_handles_through_a_table_are_invalid_handle(void **state)
{
    struct fx *fx = *state;
    struct view bdl = query_view(fx->client, VBDL);
    struct view v3 = query_view(fx->client, V3);
    struct isr_log log;
    uint8_t sid = 0;
    uint32_t fifo = 0;
    struct note_log n;
    assert_status(bdl.setup_dma_engine_with_bdl(bdl.ctx, FX_FORGED_HANDLE, 2048, 1, isr_record, &log,
                                                &sid, &fifo),
                  HDABDL_STATUS_INVALID_HANDLE);
    assert_status(v3.register_notification_callback(v3.ctx, FX_FORGED_HANDLE, NULL, note_record, &n),
                  HDABDL_STATUS_INVALID_HANDLE);
    assert_status(v3.unregister_notification_callback(v3.ctx, FX_FORGED_HANDLE, note_record, &n),
                  HDABDL_STATUS_INVALID_HANDLE);
    assert_status(bdl.free_dma_engine(bdl.ctx, FX_FORGED_HANDLE), HDABDL_STATUS_INVALID_HANDLE);
    hdabdl_handle other = fx_alloc_render(fx->client2, &(struct hdabdl_stream_format){48000, 16, 16, 2},
                                          false);
    assert_status(bdl.setup_dma_engine_with_bdl(bdl.ctx, other, 2048, 1, isr_record, &log, &sid,
                                                &fifo),
                  HDABDL_STATUS_INVALID_HANDLE);
    assert_status(v3.register_notification_callback(v3.ctx, other, NULL, note_record, &n),
                  HDABDL_STATUS_INVALID_HANDLE);
    bdl.deref(bdl.ctx);
    v3.deref(v3.ctx);
}

/* ======================================================================================= */
/* hdabdl_get_bus_address                                                                  */
/* ======================================================================================= */

static void test_bus_address_inside_a_contiguous_buffer_and_its_bdl(void **state)
{
    struct fx *fx = *state;
    hdabdl_handle h = fx_alloc_render(fx->client, &(struct hdabdl_stream_format){48000, 16, 16, 2},
                                      false);
    void *data = NULL;
    struct hdabdl_buffer_descriptor *bdl = NULL;
    uint64_t data_bus = 0, bdl_bus = 0, bus = 0;
    assert_status(hdabdl_allocate_contiguous_dma_buffer(fx->client, h, 8192, &data, &data_bus, &bdl,
                                                        &bdl_bus),
                  HDABDL_STATUS_SUCCESS);
    const size_t offsets[] = {0, 1, 128, 4095, 4096, 8191};
    for (unsigned i = 0; i < 6; i++) {
        assert_status(hdabdl_get_bus_address(fx->client, (uint8_t *)data + offsets[i], &bus),
                      HDABDL_STATUS_SUCCESS);
        assert_int_equal(bus, data_bus + offsets[i]);
    }
    assert_status(hdabdl_get_bus_address(fx->client, &bdl[3], &bus), HDABDL_STATUS_SUCCESS);
    assert_int_equal(bus, bdl_bus + 3 * sizeof *bdl);
    assert_status(hdabdl_get_bus_address(fx->client, (uint8_t *)bdl + HDABDL_PAGE_SIZE - 1, &bus),
                  HDABDL_STATUS_SUCCESS);
    assert_int_equal(bus, bdl_bus + HDABDL_PAGE_SIZE - 1);
    /* Freed: no longer found. */
    assert_status(hdabdl_free_contiguous_dma_buffer(fx->client, h), HDABDL_STATUS_SUCCESS);
    assert_status(hdabdl_get_bus_address(fx->client, data, &bus), HDABDL_STATUS_INVALID_PARAMETER);
    assert_status(hdabdl_get_bus_address(fx->client, bdl, &bus), HDABDL_STATUS_INVALID_PARAMETER);
}

static void test_bus_address_inside_every_page_of_a_bus_allocated_buffer(void **state)
{
    struct fx *fx = *state;
    struct view v = query_view(fx->client, V1);
    struct tstream s;
    memset(&s, 0, sizeof s);
    s.h = v_render(&v, &s.conv);
    assert_status(v.allocate_dma_buffer(v.ctx, s.h, 64 * 1024, &s.mdl, &s.allocated, &s.stream_id,
                                        &s.fifo),
                  HDABDL_STATUS_SUCCESS);
    assert_true(s.mdl->page_count >= 1);
    for (uint32_t p = 0; p < s.mdl->page_count; p++) {
        const struct hdabdl_dma_page *pg = &s.mdl->pages[p];
        const size_t offsets[] = {0, pg->size / 2, pg->size - 1};
        for (unsigned i = 0; i < 3; i++) {
            uint64_t bus = 0;
            assert_status(hdabdl_get_bus_address(v.ctx, (uint8_t *)pg->cpu + offsets[i], &bus),
                          HDABDL_STATUS_SUCCESS);
            assert_int_equal(bus, pg->bus + offsets[i]);
        }
    }
    v_detach(&v, &s);
    assert_status(v.free_dma_engine(v.ctx, s.h), HDABDL_STATUS_SUCCESS);
    v.deref(v.ctx);
}

static void test_bus_address_outside_every_buffer_is_invalid_parameter(void **state)
{
    struct fx *fx = *state;
    struct fx_stream s;
    fx_render_stream(fx->client, &(struct hdabdl_stream_format){48000, 16, 16, 2}, 2, 1024, true, &s);
    int local = 0;
    uint64_t bus = 0xDEAD;
    void *heap = malloc(64);
    assert_non_null(heap);
    assert_status(hdabdl_get_bus_address(fx->client, &local, &bus), HDABDL_STATUS_INVALID_PARAMETER);
    assert_status(hdabdl_get_bus_address(fx->client, heap, &bus), HDABDL_STATUS_INVALID_PARAMETER);
    assert_status(hdabdl_get_bus_address(fx->client, s.data - 1, &bus),
                  HDABDL_STATUS_INVALID_PARAMETER);
    assert_int_equal(bus, 0xDEAD);
    free(heap);
    assert_status(hdabdl_get_bus_address(fx->client, NULL, &bus), HDABDL_STATUS_INVALID_PARAMETER);
    assert_status(hdabdl_get_bus_address(fx->client, s.data, NULL), HDABDL_STATUS_INVALID_PARAMETER);
    assert_status(hdabdl_get_bus_address(NULL, s.data, &bus), HDABDL_STATUS_INVALID_PARAMETER);
}

static void test_bus_address_in_another_clients_buffer_is_invalid_parameter(void **state)
{
    struct fx *fx = *state;
    struct fx_stream s;
    fx_render_stream(fx->client2, &(struct hdabdl_stream_format){48000, 16, 16, 2}, 2, 1024, true, &s);
    uint64_t bus = 0;
    assert_status(hdabdl_get_bus_address(fx->client, s.data + 100, &bus),
                  HDABDL_STATUS_INVALID_PARAMETER);
    assert_status(hdabdl_get_bus_address(fx->client, s.bdl, &bus), HDABDL_STATUS_INVALID_PARAMETER);
    assert_status(hdabdl_get_bus_address(fx->client2, s.data + 100, &bus), HDABDL_STATUS_SUCCESS);
    assert_int_equal(bus, s.data_bus + 100);
}

/* ======================================================================================= */

#define T(name) cmocka_unit_test_setup_teardown(name, setup_duplex, fx_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        /* Layout */
        T(test_each_table_is_the_header_plus_one_pointer_per_routine),
        T(test_tables_are_144_152_176_192_bytes_on_64_bit_or_72_76_88_96_on_32_bit),
        T(test_the_interface_header_is_size_version_context_reference_dereference),
        T(test_v1_routines_are_in_the_ddi_slot_order),
        T(test_bdl_routines_are_in_the_ddi_slot_order),
        T(test_v2_routines_are_in_the_ddi_slot_order),
        T(test_v3_routines_are_in_the_ddi_slot_order),
        T(test_the_bdl_table_is_not_a_superset_of_v1),
        T(test_v2_extends_v1_and_v3_extends_v2_slot_for_slot),
        /* GUIDs */
        T(test_each_guid_has_the_bytes_of_its_ddi_string),
        T(test_the_v1_guid_is_laid_out_as_windows_does),
        T(test_the_five_guids_are_distinct),
        /* Query */
        T(test_query_fills_size_version_0x0100_and_the_client_as_context),
        T(test_query_fills_every_routine_slot),
        T(test_each_client_gets_its_own_context),
        T(test_query_with_an_unknown_guid_is_not_supported_and_writes_nothing),
        T(test_query_with_a_size_below_the_struct_is_buffer_too_small_and_writes_nothing),
        T(test_query_never_writes_past_the_struct_even_when_size_is_larger),
        T(test_query_accepts_any_requested_version_and_always_says_0x0100),
        T(test_query_with_null_pointers_is_invalid_parameter),
        /* References */
        T(test_a_client_starts_with_the_openers_reference),
        T(test_each_query_takes_a_reference),
        T(test_interface_reference_and_dereference_balance),
        T(test_closing_with_a_reference_outstanding_keeps_the_client_usable),
        T(test_the_last_dereference_releases_running_engines_and_their_buffers),
        T(test_a_second_close_while_references_remain_is_ignored),
        T(test_a_failed_query_takes_no_reference),
        T(test_controller_close_releases_clients_whatever_their_references),
        T(test_reference_counting_is_thread_safe),
        /* Every routine through its tables */
        T(test_allocate_render_dma_engine_through_every_table_allocates_an_engine),
        T(test_render_stripe_through_every_table_is_a_boolean),
        T(test_allocate_capture_and_change_bandwidth_through_every_table),
        T(test_set_state_and_position_registers_through_every_table),
        T(test_bdl_table_contiguous_buffer_and_setup_with_bus_addresses_streams),
        T(test_bdl_table_setup_twice_calls_the_second_isr_only),
        T(test_allocate_dma_buffer_through_v1_v2_v3_builds_the_buffer),
        T(test_notification_buffer_and_events_through_v2_and_v3),
        T(test_notification_callback_through_v3_is_called_with_a_timestamp),
        T(test_notification_callbacks_through_v3_are_limited_as_documented),
        T(test_transfer_codec_verbs_through_every_table_reaches_the_codec),
        T(test_register_and_unregister_event_callback_through_every_table),
        T(test_event_callbacks_through_a_table_get_distinct_tags),
        T(test_device_and_resource_information_through_every_table),
        T(test_routines_through_a_table_refuse_other_clients_handles),
        T(test_table_and_direct_calls_mix_freely_on_the_same_engines_and_tags),
        T(test_bad_handles_through_a_table_are_invalid_handle),
        /* Bus addresses */
        T(test_bus_address_inside_a_contiguous_buffer_and_its_bdl),
        T(test_bus_address_inside_every_page_of_a_bus_allocated_buffer),
        T(test_bus_address_outside_every_buffer_is_invalid_parameter),
        T(test_bus_address_in_another_clients_buffer_is_invalid_parameter),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
