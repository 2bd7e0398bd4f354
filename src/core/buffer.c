/* SPDX-License-Identifier: MIT */
/*
 * buffer.c - the BDL flavour: contiguous buffers and caller-built BDLs.
 */
#include <string.h>

#include "internal.h"

_Static_assert(sizeof(struct hdabdl_buffer_descriptor) == HDA_BDL_ENTRY_SIZE,
               "a BDL entry is 16 bytes");
_Static_assert(HDABDL_PAGE_SIZE / HDA_BDL_ENTRY_SIZE == HDA_BDL_MAX_ENTRIES,
               "one page of BDL holds exactly what SD_LVI can index");

#define DATA_BUFFER_ALIGN HDABDL_PAGE_SIZE

hdabdl_status hdabdl_allocate_contiguous_dma_buffer(hdabdl_client *client, hdabdl_handle handle,
                                                    uint32_t requested_size, void **data_buffer,
                                                    uint64_t *data_bus_address,
                                                    struct hdabdl_buffer_descriptor **bdl,
                                                    uint64_t *bdl_bus_address)
{
    hdabdl_controller *ctrl;
    struct engine *e;
    hdabdl_status st;

    HDABDL_REQUIRE_PASSIVE(client);
    st = hdabdl__engine_enter(client, handle, &e);
    if (!HDABDL_NT_SUCCESS(st))
        return st;
    HDABDL_REQUIRE_PRESENT(client->ctrl);
    ctrl = client->ctrl;
    if (requested_size == 0 || !data_buffer || !data_bus_address || !bdl || !bdl_bus_address) {
        st = HDABDL_STATUS_INVALID_PARAMETER;
        goto out;
    }
    if (e->state != HDABDL_RESET_STATE || e->buffer != HDABDL_BUFFER_NONE) {
        st = HDABDL_STATUS_INVALID_DEVICE_REQUEST;
        goto out;
    }
    if (hdabdl__dma_alloc(ctrl, requested_size, DATA_BUFFER_ALIGN, &e->data) != 0) {
        st = HDABDL_STATUS_INSUFFICIENT_RESOURCES;
        goto out;
    }
    if (hdabdl__dma_alloc(ctrl, HDABDL_PAGE_SIZE, HDABDL_PAGE_SIZE, &e->bdl) != 0) {
        hdabdl__dma_free(ctrl, &e->data);
        st = HDABDL_STATUS_INSUFFICIENT_RESOURCES;
        goto out;
    }
    e->buffer = HDABDL_BUFFER_ALLOCATED;
    e->buffer_kind = HDABDL_BUFFER_KIND_CONTIGUOUS;
    e->buffer_size = requested_size;
    *data_buffer = e->data.cpu;
    *data_bus_address = e->data.bus;
    *bdl = e->bdl.cpu;
    *bdl_bus_address = e->bdl.bus;
out:
    if (ctrl->gone && !HDABDL_NT_SUCCESS(st) && st != HDABDL_STATUS_INVALID_HANDLE)
        st = HDABDL_STATUS_DEVICE_DOES_NOT_EXIST;   /* what went wrong: the device went away */
    hdabdl__unlock(ctrl);
    return st;
}

/* The caller's BDL against the DDI's rules (ddi.md §4.9-4.10). Each entry is
 * read once (little-endian, as the controller reads it) so a caller changing
 * it meanwhile cannot slip one past. */
static hdabdl_status check_bdl(const struct engine *e, uint32_t buffer_length, uint32_t lvi)
{
    const struct hdabdl_buffer_descriptor *entries = e->bdl.cpu;
    struct format_layout layout;
    uint64_t start = e->data.bus, end = e->data.bus + e->buffer_size;
    uint64_t sum = 0;

    if (lvi < 1 || lvi >= HDA_BDL_MAX_ENTRIES)
        return HDABDL_STATUS_INVALID_PARAMETER;
    if (buffer_length == 0 || buffer_length > e->buffer_size)
        return HDABDL_STATUS_INVALID_PARAMETER;
    if (!HDABDL_NT_SUCCESS(hdabdl__format_layout(&e->format, &layout)) ||
        buffer_length % layout.block_bytes != 0)
        return HDABDL_STATUS_INVALID_PARAMETER;   /* CBL holds whole sample blocks */

    for (uint32_t i = 0; i <= lvi; i++) {
        struct hdabdl_buffer_descriptor d;
        hdabdl_bdl_read_entry(entries, i, &d.address, &d.length, &d.interrupt_on_completion);
        if (d.length == 0 || d.interrupt_on_completion > 1 ||
            d.address % HDA_BDL_FRAGMENT_ALIGN != 0 || d.address < start ||
            d.address >= end || d.length > end - d.address)
            return HDABDL_STATUS_INVALID_PARAMETER;
        sum += d.length;
    }
    return sum == buffer_length ? HDABDL_STATUS_SUCCESS : HDABDL_STATUS_INVALID_PARAMETER;
}

hdabdl_status hdabdl_setup_dma_engine_with_bdl(hdabdl_client *client, hdabdl_handle handle,
                                               uint32_t buffer_length, uint32_t lvi,
                                               hdabdl_bdl_isr isr, void *context,
                                               uint8_t *stream_id, uint32_t *fifo_size)
{
    hdabdl_controller *ctrl;
    struct engine *e;
    hdabdl_status st;

    HDABDL_REQUIRE_PASSIVE(client);
    st = hdabdl__engine_enter(client, handle, &e);
    if (!HDABDL_NT_SUCCESS(st))
        return st;
    HDABDL_REQUIRE_PRESENT(client->ctrl);
    ctrl = client->ctrl;
    if (!isr || !stream_id || !fifo_size) {
        st = HDABDL_STATUS_INVALID_PARAMETER;
        goto out;
    }
    if (e->state != HDABDL_RESET_STATE || e->buffer_kind != HDABDL_BUFFER_KIND_CONTIGUOUS) {
        st = HDABDL_STATUS_INVALID_DEVICE_REQUEST;
        goto out;
    }
    st = check_bdl(e, buffer_length, lvi);
    if (!HDABDL_NT_SUCCESS(st))
        goto out;

    /* No interrupt of the old programming may reach the new ISR. Draining
     * drops the lock, so look again at what may have changed meanwhile. */
    e->buffer = HDABDL_BUFFER_ALLOCATED;
    hdabdl__drain_callbacks(ctrl);
    if (hdabdl__engine_lookup(client, handle) != e ||
        e->buffer_kind != HDABDL_BUFFER_KIND_CONTIGUOUS || e->state != HDABDL_RESET_STATE) {
        st = HDABDL_STATUS_INVALID_DEVICE_REQUEST;
        goto out;
    }
    st = hdabdl__stream_reset(ctrl, e);
    if (!HDABDL_NT_SUCCESS(st))
        goto out;
    e->buffer_length = buffer_length;
    e->lvi = lvi;
    e->isr = isr;
    e->isr_context = context;
    hdabdl__stream_program(ctrl, e);
    e->fifo_size = (uint32_t)hdabdl__rd16(ctrl, SD_REG(e, HDA_SD_FIFOS)) + 1u;
    st = hdabdl__take_io_error(ctrl);
    if (!HDABDL_NT_SUCCESS(st))
        goto out;
    e->buffer = HDABDL_BUFFER_PROGRAMMED;
    *stream_id = e->tag;
    *fifo_size = e->fifo_size;
out:
    if (ctrl->gone && !HDABDL_NT_SUCCESS(st) && st != HDABDL_STATUS_INVALID_HANDLE)
        st = HDABDL_STATUS_DEVICE_DOES_NOT_EXIST;   /* what went wrong: the device went away */
    hdabdl__unlock(ctrl);
    return st;
}

hdabdl_status hdabdl_free_contiguous_dma_buffer(hdabdl_client *client, hdabdl_handle handle)
{
    hdabdl_controller *ctrl;
    struct engine *e;
    hdabdl_status st;

    HDABDL_REQUIRE_PASSIVE(client);
    st = hdabdl__engine_enter(client, handle, &e);
    if (!HDABDL_NT_SUCCESS(st))
        return st;
    ctrl = client->ctrl;
    if (e->state != HDABDL_RESET_STATE || e->buffer_kind != HDABDL_BUFFER_KIND_CONTIGUOUS)
        st = HDABDL_STATUS_INVALID_DEVICE_REQUEST;
    else {
        hdabdl__drain_callbacks(ctrl);
        /* The engine must forget the memory before it is freed. */
        if (hdabdl__engine_lookup(client, handle) == e &&
            e->buffer_kind == HDABDL_BUFFER_KIND_CONTIGUOUS && e->state == HDABDL_RESET_STATE)
            st = hdabdl__engine_teardown(ctrl, e);
        else
            st = HDABDL_STATUS_INVALID_DEVICE_REQUEST;
    }
    hdabdl__unlock(ctrl);
    return st;
}
