/* SPDX-License-Identifier: MIT */
/*
 * deliver.c - making the callbacks the interrupt, the timer and the verb
 * transport owe: BDL ISRs, notification events and callbacks, unsolicited
 * responses and transfer-complete callbacks.
 *
 * What is owed is recorded under the lock in the controller and its engines
 * (nothing on the stack, nothing allocated), and one thread at a time, the
 * deliverer, takes one item under the lock and calls it without the lock, at
 * raised level, until nothing is left. The item is looked up when it is
 * taken, so a callback that was unregistered is not called. Freeing paths
 * wait only for the call that is running (hdabdl__drain_callbacks).
 */
#include "internal.h"

/* The next engine callback: BDL ISRs first, then the notifications of each
 * completion, every registered event and callback once per completion. */
static bool next_engine_delivery(hdabdl_controller *ctrl, struct delivery *out)
{
    for (unsigned i = 0; i < ctrl->num_streams; i++) {
        struct engine *e = &ctrl->engines[i];
        if (e->isr_pending) {
            uint8_t bits = e->isr_pending;
            e->isr_pending = 0;
            if (!e->isr)
                continue;
            out->kind = DELIVER_ISR;
            out->u.isr.fn = e->isr;
            out->u.isr.context = e->isr_context;
            out->u.isr.bits = bits;
            return true;
        }
    }
    for (unsigned i = 0; i < ctrl->num_streams; i++) {
        struct engine *e = &ctrl->engines[i];
        while (e->bcis_pending) {
            unsigned slot = e->notify_next++;
            if (slot < HDABDL_MAX_NOTIFICATION_EVENTS) {
                if (!e->events[slot])
                    continue;
                out->kind = DELIVER_EVENT;
                out->u.event = e->events[slot];
                return true;
            }
            slot -= HDABDL_MAX_NOTIFICATION_EVENTS;
            if (slot < HDABDL_MAX_NOTIFICATION_CALLBACKS) {
                if (!e->callbacks[slot].fn)
                    continue;
                out->kind = DELIVER_NOTIFY;
                out->u.notify.fn = e->callbacks[slot].fn;
                out->u.notify.context = e->callbacks[slot].context;
                out->u.notify.timestamp = e->bcis_timestamp;
                return true;
            }
            e->notify_next = 0;        /* this completion is done */
            e->bcis_pending--;
        }
    }
    return false;
}

static void call(const struct delivery *d)
{
    switch (d->kind) {
    case DELIVER_ISR:
        d->u.isr.fn(d->u.isr.context, d->u.isr.bits);
        break;
    case DELIVER_EVENT:
        d->u.event->signal(d->u.event);
        break;
    case DELIVER_NOTIFY:
        d->u.notify.fn(d->u.notify.context, d->u.notify.timestamp);
        break;
    case DELIVER_UNSOLICITED:
        d->u.unsolicited.fn(d->u.unsolicited.response, d->u.unsolicited.context);
        break;
    case DELIVER_BATCH:
        d->u.batch.fn(d->u.batch.transfers, d->u.batch.context);
        break;
    }
}

void hdabdl__deliver(hdabdl_controller *ctrl)
{
    struct delivery d;

    if (ctrl->delivering)
        return;
    ctrl->delivering = true;
    while (next_engine_delivery(ctrl, &d) || hdabdl__commands_next_delivery(ctrl, &d)) {
        uint64_t level;

        ctrl->callback_running = true;
        hdabdl__unlock(ctrl);
        level = hdabdl__level_raise(ctrl);
        call(&d);
        hdabdl__level_restore(ctrl, level);
        hdabdl__lock(ctrl);
        ctrl->callback_running = false;
        ctrl->callbacks_returned++;
    }
    ctrl->delivering = false;
}

void hdabdl__drain_callbacks(hdabdl_controller *ctrl)
{
    uint32_t returned = ctrl->callbacks_returned;

    /* From inside a callback the running one is the caller's own. */
    if (hdabdl__at_raised_level(ctrl))
        return;
    /* Bounded: a callback that never returns must not hang teardown forever. */
    for (unsigned i = 0; ctrl->callback_running && ctrl->callbacks_returned == returned &&
                         i < CALLBACK_DRAIN_POLLS; i++) {
        hdabdl__unlock(ctrl);
        hdabdl__delay_us(ctrl, 1);
        hdabdl__lock(ctrl);
    }
}
