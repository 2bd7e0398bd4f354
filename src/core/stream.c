/* SPDX-License-Identifier: MIT */
/*
 * stream.c - stream descriptor programming and SetDmaEngineState.
 */
#include <string.h>

#include "internal.h"

#define CTL0(e) SD_REG(e, HDA_SD_CTL)           /* SRST RUN IOCE FEIE DEIE */
#define CTL2(e) (SD_REG(e, HDA_SD_CTL) + 2)     /* STRIPE TP DIR STRM */

static void zero_position_slot(hdabdl_controller *ctrl, const struct engine *e)
{
    if (ctrl->posbuf.cpu)
        memset((uint8_t *)ctrl->posbuf.cpu + (size_t)e->index * HDA_POSBUF_STRIDE, 0,
               HDA_POSBUF_STRIDE);
}

/* SRST handshake (hw.md §3.2). RUN must already read 0. */
hdabdl_status hdabdl__stream_reset(hdabdl_controller *ctrl, struct engine *e)
{
    hdabdl__wr8(ctrl, CTL0(e), 0);
    hdabdl__wr8(ctrl, SD_REG(e, HDA_SD_STS), HDA_SD_STS_INT_MASK);
    hdabdl__wr8(ctrl, CTL0(e), HDA_SD_CTL_SRST);
    if (!hdabdl__poll(ctrl, CTL0(e), 1, HDA_SD_CTL_SRST, HDA_SD_CTL_SRST, SRST_POLL_US,
                      SRST_TIMEOUT_US) &&
        !(ctrl->info.quirks & HDABDL_OPT_SRST_NO_ACK))
        return HDABDL_STATUS_DEVICE_NOT_READY;
    hdabdl__wr8(ctrl, CTL0(e), 0);
    if (!hdabdl__poll(ctrl, CTL0(e), 1, HDA_SD_CTL_SRST, 0, SRST_POLL_US, SRST_TIMEOUT_US))
        return HDABDL_STATUS_DEVICE_NOT_READY;
    zero_position_slot(ctrl, e);
    return hdabdl__take_io_error(ctrl);
}

static uint8_t stripe_code(uint8_t lines)
{
    return lines == 4 ? 2 : lines == 2 ? 1 : 0;
}

void hdabdl__stream_program(hdabdl_controller *ctrl, struct engine *e)
{
    uint32_t ctl2 = (uint32_t)e->tag << (HDA_SD_CTL_STRM_SHIFT - 16);

    if (e->render) {
        ctl2 |= (uint32_t)stripe_code(e->stripe_lines) << (HDA_SD_CTL_STRIPE_SHIFT - 16);
        if (e->kind == HDABDL_ENGINE_BIDIR)
            ctl2 |= HDA_SD_CTL_DIR >> 16;
    }
    hdabdl__wr8(ctrl, CTL2(e), (uint8_t)ctl2);
    hdabdl__wr32(ctrl, SD_REG(e, HDA_SD_CBL), e->buffer_length);
    hdabdl__wr16(ctrl, SD_REG(e, HDA_SD_LVI), (uint16_t)e->lvi);
    hdabdl__wr16(ctrl, SD_REG(e, HDA_SD_FMT), e->converter_format);
    hdabdl__wr32(ctrl, SD_REG(e, HDA_SD_BDPL), (uint32_t)e->bdl.bus);
    hdabdl__wr32(ctrl, SD_REG(e, HDA_SD_BDPU), (uint32_t)(e->bdl.bus >> 32));
    hdabdl__wr8(ctrl, CTL0(e), HDA_SD_CTL_INT_MASK);
    hdabdl__write_intctl(ctrl, ctrl->intctl | 1u << e->index);
}

void hdabdl__engine_free_buffers(hdabdl_controller *ctrl, struct engine *e)
{
    hdabdl__dma_free(ctrl, &e->data);
    hdabdl__dma_free(ctrl, &e->bdl);
    for (uint32_t i = 0; i < e->nblocks; i++)
        hdabdl__dma_free(ctrl, &e->blocks[i]);
    if (e->blocks)
        hdabdl__mem_free(ctrl, e->blocks, e->blocks_capacity * sizeof *e->blocks);
    if (e->mdl)
        hdabdl__mem_free(ctrl, e->mdl, sizeof *e->mdl + e->mdl->page_count * sizeof e->mdl->pages[0]);
    e->blocks = NULL;
    e->blocks_capacity = 0;
    e->nblocks = 0;
    e->mdl = NULL;
    e->notification_count = 0;
    e->buffer_kind = HDABDL_BUFFER_KIND_NONE;
    e->buffer = HDABDL_BUFFER_NONE;
    e->buffer_size = 0;
    e->buffer_length = 0;
    e->lvi = 0;
    e->fifo_size = 0;
    e->isr = NULL;
    e->isr_context = NULL;
    e->isr_pending = 0;       /* owed callbacks of the old buffer are dropped */
    e->bcis_pending = 0;
    e->notify_next = 0;
}

hdabdl_status hdabdl__engine_teardown(hdabdl_controller *ctrl, struct engine *e)
{
    hdabdl_status st = HDABDL_STATUS_SUCCESS;

    if (e->buffer == HDABDL_BUFFER_PROGRAMMED || e->state != HDABDL_RESET_STATE) {
        /* Stop whatever the engine does (RUN off, what stream_program set
         * otherwise), then reset it; neither value comes from a read. */
        hdabdl__wr8(ctrl, CTL0(e), HDA_SD_CTL_INT_MASK);
        if (!hdabdl__poll(ctrl, CTL0(e), 1, HDA_SD_CTL_RUN, 0, RUN_POLL_US, RUN_TIMEOUT_US))
            st = HDABDL_STATUS_DEVICE_NOT_READY;
        if (HDABDL_NT_SUCCESS(st)) {
            /* Stopped: reset it and make it forget the BDL. An engine
             * that will not stop is left alone (its registers cannot be
             * written while it runs). */
            st = hdabdl__stream_reset(ctrl, e);
            hdabdl__wr32(ctrl, SD_REG(e, HDA_SD_BDPL), 0);
            hdabdl__wr32(ctrl, SD_REG(e, HDA_SD_BDPU), 0);
        }
    }
    hdabdl__write_intctl(ctrl, ctrl->intctl & ~(1u << e->index));
    {
        hdabdl_status io = hdabdl__take_io_error(ctrl);
        if (HDABDL_NT_SUCCESS(st) || io == HDABDL_STATUS_DEVICE_DOES_NOT_EXIST)
            st = io;
    }
    e->state = HDABDL_RESET_STATE;
    hdabdl__engine_free_buffers(ctrl, e);
    return st;
}

/* ---- SetDmaEngineState ------------------------------------------------------------- */

/* Engines are passed around as masks of SD indexes (no arrays on the stack). */
static bool wait_all(hdabdl_controller *ctrl, uint32_t mask, uint32_t offset_in_sd, uint8_t bit,
                     uint8_t want)
{
    bool ok = true;
    for (unsigned i = 0; i < ctrl->num_streams; i++)
        if (mask & (1u << i))
            ok &= hdabdl__poll(ctrl, HDA_SD_OFFSET(i, offset_in_sd), 1, bit, want, RUN_POLL_US,
                               RUN_TIMEOUT_US);
    return ok;
}

/* SDnCTL byte 0 as stream_program left it, with or without RUN: written
 * whole, never read and modified. */
static void set_run(hdabdl_controller *ctrl, uint32_t mask, bool run)
{
    for (unsigned i = 0; i < ctrl->num_streams; i++)
        if (mask & (1u << i))
            hdabdl__wr8(ctrl, HDA_SD_OFFSET(i, HDA_SD_CTL),
                        (uint8_t)(HDA_SD_CTL_INT_MASK | (run ? HDA_SD_CTL_RUN : 0)));
}

/* SSYNC holds (set) or releases (clear) the engines of @mask only. */
static void set_ssync(hdabdl_controller *ctrl, uint32_t mask, bool hold)
{
    ctrl->ssync = hold ? ctrl->ssync | mask : ctrl->ssync & ~mask;
    hdabdl__wr32(ctrl, ctrl->ssync_offset, ctrl->ssync);
}

/* The engines of @mask were asked to stop and start nothing: RUN off, wait. */
static void back_out(hdabdl_controller *ctrl, uint32_t mask)
{
    set_run(ctrl, mask, false);
    (void)wait_all(ctrl, mask, HDA_SD_CTL, HDA_SD_CTL_RUN, 0);
    set_ssync(ctrl, mask, false);
}

static void set_state(hdabdl_controller *ctrl, uint32_t mask, enum hdabdl_stream_state state)
{
    for (unsigned i = 0; i < ctrl->num_streams; i++)
        if (mask & (1u << i))
            ctrl->engines[i].state = state;
}

/* Synchronized start (hw.md §3.3): hold the streams in SSYNC, set RUN, wait
 * for every FIFO to be primed, release them in one write. Any I/O error on
 * the way backs out: the engines are marked running only when all of it
 * went through. */
static hdabdl_status start_together(hdabdl_controller *ctrl, uint32_t mask)
{
    hdabdl_status st;

    set_ssync(ctrl, mask, true);
    st = hdabdl__take_io_error(ctrl);
    if (!HDABDL_NT_SUCCESS(st)) {
        set_ssync(ctrl, mask, false);   /* nothing was started */
        (void)hdabdl__take_io_error(ctrl);
        return st;
    }
    set_run(ctrl, mask, true);
    if (!wait_all(ctrl, mask, HDA_SD_STS, HDA_SD_STS_FIFORDY, HDA_SD_STS_FIFORDY)) {
        st = hdabdl__take_io_error(ctrl);
        back_out(ctrl, mask);
        (void)hdabdl__take_io_error(ctrl);
        return HDABDL_NT_SUCCESS(st) ? HDABDL_STATUS_DEVICE_NOT_READY : st;
    }
    set_ssync(ctrl, mask, false);
    st = hdabdl__take_io_error(ctrl);
    if (!HDABDL_NT_SUCCESS(st)) {
        back_out(ctrl, mask);
        (void)hdabdl__take_io_error(ctrl);
        return st;
    }
    set_state(ctrl, mask, HDABDL_RUN_STATE);
    return HDABDL_STATUS_SUCCESS;
}

static hdabdl_status stop_together(hdabdl_controller *ctrl, uint32_t mask)
{
    hdabdl_status st = HDABDL_STATUS_SUCCESS;

    set_ssync(ctrl, mask, true);
    set_run(ctrl, mask, false);
    for (unsigned i = 0; i < ctrl->num_streams; i++) {
        if (!(mask & (1u << i)))
            continue;
        /* An engine that will not stop is still running: say so. */
        if (hdabdl__poll(ctrl, HDA_SD_OFFSET(i, HDA_SD_CTL), 1, HDA_SD_CTL_RUN, 0, RUN_POLL_US,
                         RUN_TIMEOUT_US))
            ctrl->engines[i].state = HDABDL_PAUSE_STATE;
        else
            st = HDABDL_STATUS_DEVICE_NOT_READY;
    }
    set_ssync(ctrl, mask, false);
    if (HDABDL_NT_SUCCESS(st))
        st = hdabdl__take_io_error(ctrl);
    else
        (void)hdabdl__take_io_error(ctrl);
    return st;
}

/* Paused -> Reset: SRST, then program the registers again so Run works later. */
static hdabdl_status reset_engines(hdabdl_controller *ctrl, uint32_t mask)
{
    hdabdl_status result = HDABDL_STATUS_SUCCESS;

    for (unsigned i = 0; i < ctrl->num_streams; i++) {
        struct engine *e = &ctrl->engines[i];
        hdabdl_status st;

        if (!(mask & (1u << i)))
            continue;
        st = hdabdl__stream_reset(ctrl, e);
        e->state = HDABDL_RESET_STATE;
        if (HDABDL_NT_SUCCESS(st)) {
            hdabdl__stream_program(ctrl, e);
            st = hdabdl__take_io_error(ctrl);
        }
        if (!HDABDL_NT_SUCCESS(st)) {
            /* The registers are in an unknown state: a new setup is needed. */
            e->buffer = HDABDL_BUFFER_ALLOCATED;
            result = st;
        }
    }
    return result;
}

static bool transition_allowed(enum hdabdl_stream_state from, enum hdabdl_stream_state to)
{
    return !((from == HDABDL_RESET_STATE && to == HDABDL_RUN_STATE) ||
             (from == HDABDL_RUN_STATE && to == HDABDL_RESET_STATE));
}

hdabdl_status hdabdl_set_dma_engine_state(hdabdl_client *client, enum hdabdl_stream_state state,
                                          uint32_t number_of_handles, const hdabdl_handle *handles)
{
    hdabdl_controller *ctrl;
    hdabdl_status st = HDABDL_STATUS_SUCCESS;
    uint32_t seen = 0, change = 0;

    if (!client || !handles || number_of_handles == 0 ||
        (state != HDABDL_RESET_STATE && state != HDABDL_PAUSE_STATE && state != HDABDL_RUN_STATE))
        return HDABDL_STATUS_INVALID_PARAMETER;
    ctrl = client->ctrl;

    hdabdl__lock(ctrl);
    HDABDL_REQUIRE_PRESENT(ctrl);
    /* Validate everything before touching a register. */
    for (uint32_t i = 0; i < number_of_handles; i++) {
        if (!hdabdl__engine_lookup(client, handles[i])) {
            st = HDABDL_STATUS_INVALID_HANDLE;
            goto out;
        }
    }
    for (uint32_t i = 0; i < number_of_handles; i++) {
        struct engine *e = hdabdl__engine_lookup(client, handles[i]);
        if (seen & (1u << e->index)) {
            st = HDABDL_STATUS_INVALID_PARAMETER;   /* the same engine twice */
            goto out;
        }
        seen |= 1u << e->index;
        if ((state != HDABDL_RESET_STATE && e->buffer != HDABDL_BUFFER_PROGRAMMED) ||
            !transition_allowed(e->state, state)) {
            st = HDABDL_STATUS_INVALID_DEVICE_REQUEST;
            goto out;
        }
        if (e->state != state)
            change |= 1u << e->index;
    }
    if (change == 0)
        goto out;

    if (state == HDABDL_RUN_STATE) {
        st = start_together(ctrl, change);
    } else if (state == HDABDL_PAUSE_STATE) {
        uint32_t running = 0;
        for (unsigned i = 0; i < ctrl->num_streams; i++) {
            if (!(change & (1u << i)))
                continue;
            if (ctrl->engines[i].state == HDABDL_RUN_STATE)
                running |= 1u << i;
            else
                ctrl->engines[i].state = HDABDL_PAUSE_STATE;   /* Reset -> Pause: nothing to do in hardware */
        }
        if (running)
            st = stop_together(ctrl, running);
    } else {
        st = reset_engines(ctrl, change);
    }
out:
    if (ctrl->gone && !HDABDL_NT_SUCCESS(st) && st != HDABDL_STATUS_INVALID_HANDLE)
        st = HDABDL_STATUS_DEVICE_DOES_NOT_EXIST;   /* what went wrong: the device went away */
    hdabdl__unlock(ctrl);
    return st;
}

/* ---- Wall clock and link position ---------------------------------------------------- */

hdabdl_status hdabdl_get_wall_clock_register(hdabdl_client *client,
                                             const volatile uint32_t **wallclock)
{
    const volatile uint32_t *p;

    if (!client || !wallclock)
        return HDABDL_STATUS_INVALID_PARAMETER;
    if (client->ctrl->gone)
        return HDABDL_STATUS_DEVICE_DOES_NOT_EXIST;
    p = hdabdl__reg_pointer(client->ctrl, HDA_REG_WALCLK_ALIAS);
    if (!p)
        return HDABDL_STATUS_NOT_SUPPORTED;
    *wallclock = p;
    return HDABDL_STATUS_SUCCESS;
}

hdabdl_status hdabdl_get_link_position_register(hdabdl_client *client, hdabdl_handle handle,
                                                const volatile uint32_t **position)
{
    hdabdl_controller *ctrl;
    struct engine *e;
    hdabdl_status st = hdabdl__engine_enter(client, handle, &e);

    if (!HDABDL_NT_SUCCESS(st))
        return st;
    HDABDL_REQUIRE_PRESENT(client->ctrl);
    ctrl = client->ctrl;
    if (!position) {
        st = HDABDL_STATUS_INVALID_PARAMETER;
    } else {
        const volatile uint32_t *p = hdabdl__reg_pointer(ctrl, HDA_SD_LPIB_ALIAS(e->index));
        if (p)
            *position = p;
        else
            st = HDABDL_STATUS_NOT_SUPPORTED;
    }
    hdabdl__unlock(ctrl);
    return st;
}
