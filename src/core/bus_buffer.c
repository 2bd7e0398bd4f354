/* SPDX-License-Identifier: MIT */
/*
 * bus_buffer.c - buffers the library allocates and describes itself
 * (AllocateDmaBuffer, AllocateDmaBufferWithNotification and their frees).
 *
 * The buffer is one block when the HAL has one, else a set of pages. The BDL
 * has at least two entries (SD_LVI >= 1), an entry boundary at the midpoint,
 * and IOC at the end of the buffer (and at the midpoint for two
 * notifications), so BCIS comes exactly where the caller asked.
 */
#include <string.h>

#include "internal.h"

#define BUS_BUFFER_MAX (16u << 20)      /* "as close as possible" above this */
#define SIZE_UNIT 256u                  /* halves start on 128 bytes */

static size_t gcd(size_t a, size_t b)
{
    while (b) {
        size_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

/* Requested size -> allocated size: whole sample blocks, halves on 128 bytes. */
static size_t allocation_size(size_t requested, uint32_t block_bytes)
{
    size_t unit = SIZE_UNIT / gcd(SIZE_UNIT, block_bytes) * block_bytes;   /* lcm */
    size_t max = BUS_BUFFER_MAX / unit * unit;
    if (requested >= max)
        return max;
    return (requested + unit - 1) / unit * unit;
}

/* Get the memory: one block if the HAL has it, else page by page. */
static int allocate_blocks(hdabdl_controller *ctrl, struct engine *e, size_t size)
{
    uint32_t pages = (uint32_t)((size + HDABDL_PAGE_SIZE - 1) / HDABDL_PAGE_SIZE);

    /* The lock is held: no sleeping allocation. */
    e->blocks = hdabdl__mem_alloc(ctrl, pages * sizeof *e->blocks, HDABDL_HAL_MEM_ATOMIC);
    if (!e->blocks)
        return -1;
    e->blocks_capacity = pages;
    if (hdabdl__dma_alloc(ctrl, size, HDABDL_PAGE_SIZE, &e->blocks[0]) == 0) {
        e->nblocks = 1;
        return 0;
    }
    for (uint32_t i = 0; i < pages; i++) {
        size_t piece = i + 1 < pages ? HDABDL_PAGE_SIZE : size - (size_t)i * HDABDL_PAGE_SIZE;
        if (hdabdl__dma_alloc(ctrl, piece, HDABDL_PAGE_SIZE, &e->blocks[i]) != 0)
            return -1;
        e->nblocks = i + 1;
    }
    return 0;
}

/* The BDL being written (little-endian, as the controller reads it) and its
 * last entry in host order, which the next piece may extend. */
struct bdl_writer {
    uint8_t *bdl;
    uint32_t n;             /* entries written */
    uint32_t sealed;        /* entries below this are closed (the midpoint) */
    uint64_t last_address;
    uint32_t last_length;
    bool last_ioc;
};

static void put_entry(struct bdl_writer *w, uint64_t bus, uint32_t length, bool ioc)
{
    /* Pages the HAL happened to place back to back make one entry, but
     * never across the midpoint. */
    if (w->n > w->sealed && !w->last_ioc && w->last_address + w->last_length == bus) {
        w->last_length += length;
        w->last_ioc = ioc;
    } else {
        w->n++;
        w->last_address = bus;
        w->last_length = length;
        w->last_ioc = ioc;
    }
    hdabdl_bdl_write_entry((struct hdabdl_buffer_descriptor *)(void *)w->bdl, w->n - 1,
                           w->last_address, w->last_length, w->last_ioc);
}

/* Describe the blocks in the BDL, split at the midpoint. Returns the entry count, 0 if too many. */
static uint32_t build_bdl(struct engine *e, size_t size, uint32_t notifications)
{
    struct bdl_writer w = {.bdl = e->bdl.cpu};
    size_t half = size / 2, done = 0;

    for (uint32_t b = 0; b < e->nblocks; b++) {
        size_t len = e->blocks[b].size < size - done ? e->blocks[b].size : size - done;
        uint64_t bus = e->blocks[b].bus;
        if (w.n + 2 > HDA_BDL_MAX_ENTRIES)
            return 0;
        if (done < half && done + len > half) {       /* the midpoint falls in this block */
            size_t first = half - done;
            put_entry(&w, bus, (uint32_t)first, notifications == 2);
            w.sealed = w.n;
            bus += first;
            len -= first;
            done += first;
        }
        done += len;
        put_entry(&w, bus, (uint32_t)len, done == size || (done == half && notifications == 2));
        if (done == half)
            w.sealed = w.n;
    }
    return w.n >= 2 ? w.n : 0;
}

static struct hdabdl_mdl *make_mdl(hdabdl_controller *ctrl, const struct engine *e, size_t size)
{
    struct hdabdl_mdl *mdl = hdabdl__mem_alloc(ctrl, sizeof *mdl + e->nblocks * sizeof mdl->pages[0],
                                               HDABDL_HAL_MEM_ATOMIC);
    if (!mdl)
        return NULL;
    mdl->byte_count = size;
    mdl->byte_offset = 0;
    mdl->virtual_address = e->nblocks == 1 ? e->blocks[0].cpu : NULL;
    mdl->page_count = e->nblocks;
    for (uint32_t i = 0; i < e->nblocks; i++)
        mdl->pages[i] = (struct hdabdl_dma_page){e->blocks[i].cpu, e->blocks[i].bus,
                                                 (uint32_t)e->blocks[i].size};
    return mdl;
}

static hdabdl_status allocate_bus_buffer(hdabdl_client *client, hdabdl_handle handle,
                                         enum hdabdl_buffer_kind kind, uint32_t notifications,
                                         size_t requested, struct hdabdl_mdl **buffer_mdl,
                                         size_t *allocated, size_t *offset, uint8_t *stream_id,
                                         uint32_t *fifo_size)
{
    hdabdl_controller *ctrl;
    struct format_layout layout;
    struct engine *e;
    size_t size;
    uint32_t entries = 0;
    hdabdl_status st;

    HDABDL_REQUIRE_PASSIVE(client);
    st = hdabdl__engine_enter(client, handle, &e);
    if (!HDABDL_NT_SUCCESS(st))
        return st;
    HDABDL_REQUIRE_PRESENT(client->ctrl);
    ctrl = client->ctrl;
    if (requested == 0 || !buffer_mdl || !allocated || !stream_id || !fifo_size ||
        (kind == HDABDL_BUFFER_KIND_NOTIFICATION && (!offset || notifications < 1 || notifications > 2))) {
        st = HDABDL_STATUS_INVALID_PARAMETER;
        goto out;
    }
    if (e->state != HDABDL_RESET_STATE || e->buffer != HDABDL_BUFFER_NONE) {
        st = HDABDL_STATUS_INVALID_DEVICE_REQUEST;
        goto out;
    }
    (void)hdabdl__format_layout(&e->format, &layout);   /* valid: checked at allocation */
    size = allocation_size(requested, layout.block_bytes);

    if (hdabdl__dma_alloc(ctrl, HDABDL_PAGE_SIZE, HDABDL_PAGE_SIZE, &e->bdl) != 0 ||
        allocate_blocks(ctrl, e, size) != 0 ||
        (entries = build_bdl(e, size, notifications)) == 0 || !(e->mdl = make_mdl(ctrl, e, size))) {
        hdabdl__engine_free_buffers(ctrl, e);
        st = HDABDL_STATUS_INSUFFICIENT_RESOURCES;
        goto out;
    }
    e->buffer = HDABDL_BUFFER_ALLOCATED;
    e->buffer_kind = kind;
    e->buffer_size = (uint32_t)size;
    e->requested_size = requested;
    e->buffer_length = (uint32_t)size;
    e->lvi = entries - 1;
    e->notification_count = notifications;

    st = hdabdl__stream_reset(ctrl, e);
    if (HDABDL_NT_SUCCESS(st)) {
        hdabdl__stream_program(ctrl, e);
        e->fifo_size = (uint32_t)hdabdl__rd16(ctrl, SD_REG(e, HDA_SD_FIFOS)) + 1u;
        st = hdabdl__take_io_error(ctrl);
    }
    if (!HDABDL_NT_SUCCESS(st)) {
        (void)hdabdl__engine_teardown(ctrl, e);   /* the first error is the one to report */
        goto out;
    }
    e->buffer = HDABDL_BUFFER_PROGRAMMED;
    *buffer_mdl = e->mdl;
    *allocated = size;
    if (offset)
        *offset = e->mdl->byte_offset;
    *stream_id = e->tag;
    *fifo_size = e->fifo_size;
out:
    if (ctrl->gone && !HDABDL_NT_SUCCESS(st) && st != HDABDL_STATUS_INVALID_HANDLE)
        st = HDABDL_STATUS_DEVICE_DOES_NOT_EXIST;   /* what went wrong: the device went away */
    hdabdl__unlock(ctrl);
    return st;
}

static hdabdl_status free_bus_buffer(hdabdl_client *client, hdabdl_handle handle,
                                     enum hdabdl_buffer_kind kind, const struct hdabdl_mdl *mdl,
                                     const size_t *size)
{
    hdabdl_controller *ctrl;
    struct engine *e;
    hdabdl_status st;

    HDABDL_REQUIRE_PASSIVE(client);
    st = hdabdl__engine_enter(client, handle, &e);
    if (!HDABDL_NT_SUCCESS(st))
        return st;
    ctrl = client->ctrl;
    if (e->state != HDABDL_RESET_STATE || e->buffer_kind != kind) {
        st = HDABDL_STATUS_INVALID_DEVICE_REQUEST;     /* not in reset, or no such buffer */
    } else if (kind == HDABDL_BUFFER_KIND_NOTIFICATION &&
               (mdl != e->mdl || (*size != e->mdl->byte_count && *size != e->requested_size))) {
        st = HDABDL_STATUS_INVALID_PARAMETER;          /* not what the allocation returned */
    } else {
        hdabdl__drain_callbacks(ctrl);
        st = hdabdl__engine_teardown(ctrl, e);
    }
    hdabdl__unlock(ctrl);
    return st;
}

hdabdl_status hdabdl_allocate_dma_buffer(hdabdl_client *client, hdabdl_handle handle,
                                         size_t requested_size, struct hdabdl_mdl **buffer_mdl,
                                         size_t *allocated_size, uint8_t *stream_id,
                                         uint32_t *fifo_size)
{
    return allocate_bus_buffer(client, handle, HDABDL_BUFFER_KIND_BUS, 1, requested_size,
                               buffer_mdl, allocated_size, NULL, stream_id, fifo_size);
}

hdabdl_status hdabdl_free_dma_buffer(hdabdl_client *client, hdabdl_handle handle)
{
    return free_bus_buffer(client, handle, HDABDL_BUFFER_KIND_BUS, NULL, NULL);
}

hdabdl_status hdabdl_allocate_dma_buffer_with_notification(
    hdabdl_client *client, hdabdl_handle handle, uint32_t notification_count,
    size_t requested_size, struct hdabdl_mdl **buffer_mdl, size_t *allocated_size,
    size_t *offset_from_first_page, uint8_t *stream_id, uint32_t *fifo_size)
{
    return allocate_bus_buffer(client, handle, HDABDL_BUFFER_KIND_NOTIFICATION, notification_count,
                               requested_size, buffer_mdl, allocated_size, offset_from_first_page,
                               stream_id, fifo_size);
}

hdabdl_status hdabdl_free_dma_buffer_with_notification(hdabdl_client *client, hdabdl_handle handle,
                                                       struct hdabdl_mdl *buffer_mdl,
                                                       size_t buffer_size)
{
    return free_bus_buffer(client, handle, HDABDL_BUFFER_KIND_NOTIFICATION, buffer_mdl,
                           &buffer_size);
}
