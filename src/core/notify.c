/* SPDX-License-Identifier: MIT */
/*
 * notify.c - DMA notification events (V2) and callbacks (V3): every one
 * registered with an engine fires on each of its buffer-completion interrupts.
 */
#include "internal.h"

hdabdl_status hdabdl_register_notification_event(hdabdl_client *client, hdabdl_handle handle,
                                                 struct hdabdl_notification_event *event)
{
    struct engine *e;
    hdabdl_status st;

    HDABDL_REQUIRE_PASSIVE(client);
    st = hdabdl__engine_enter(client, handle, &e);
    if (!HDABDL_NT_SUCCESS(st))
        return st;
    HDABDL_REQUIRE_PRESENT(client->ctrl);
    st = HDABDL_STATUS_INSUFFICIENT_RESOURCES;
    if (!event || !event->signal) {
        st = HDABDL_STATUS_INVALID_PARAMETER;
    } else {
        for (unsigned i = 0; i < HDABDL_MAX_NOTIFICATION_EVENTS; i++) {
            if (e->events[i] == event) {
                st = HDABDL_STATUS_INVALID_PARAMETER;   /* already registered here */
                break;
            }
        }
        for (unsigned i = 0; st == HDABDL_STATUS_INSUFFICIENT_RESOURCES &&
                             i < HDABDL_MAX_NOTIFICATION_EVENTS; i++) {
            if (!e->events[i]) {
                e->events[i] = event;
                st = HDABDL_STATUS_SUCCESS;
            }
        }
    }
    hdabdl__unlock(client->ctrl);
    return st;
}

hdabdl_status hdabdl_unregister_notification_event(hdabdl_client *client, hdabdl_handle handle,
                                                   struct hdabdl_notification_event *event)
{
    struct engine *e;
    hdabdl_status st;

    HDABDL_REQUIRE_PASSIVE(client);
    st = hdabdl__engine_enter(client, handle, &e);
    if (!HDABDL_NT_SUCCESS(st))
        return st;
    st = HDABDL_STATUS_INVALID_PARAMETER;
    for (unsigned i = 0; event && i < HDABDL_MAX_NOTIFICATION_EVENTS; i++) {
        if (e->events[i] == event) {
            e->events[i] = NULL;
            hdabdl__drain_callbacks(client->ctrl);   /* not signalled after we return */
            st = client->ctrl->gone ? HDABDL_STATUS_DEVICE_DOES_NOT_EXIST : HDABDL_STATUS_SUCCESS;
            break;
        }
    }
    hdabdl__unlock(client->ctrl);
    return st;
}

hdabdl_status hdabdl_register_notification_callback(hdabdl_client *client, hdabdl_handle handle,
                                                    void *fdo,
                                                    hdabdl_dma_notification_callback callback,
                                                    void *context)
{
    struct engine *e;
    hdabdl_status st;

    HDABDL_REQUIRE_PASSIVE(client);
    st = hdabdl__engine_enter(client, handle, &e);
    if (!HDABDL_NT_SUCCESS(st))
        return st;
    HDABDL_REQUIRE_PRESENT(client->ctrl);
    st = callback ? HDABDL_STATUS_INSUFFICIENT_RESOURCES : HDABDL_STATUS_INVALID_PARAMETER;
    for (unsigned i = 0; callback && i < HDABDL_MAX_NOTIFICATION_CALLBACKS; i++) {
        if (e->callbacks[i].fn == callback && e->callbacks[i].context == context) {
            st = HDABDL_STATUS_INVALID_PARAMETER;   /* already registered: unregister could not tell them apart */
            break;
        }
    }
    for (unsigned i = 0; st == HDABDL_STATUS_INSUFFICIENT_RESOURCES &&
                         i < HDABDL_MAX_NOTIFICATION_CALLBACKS; i++) {
        if (!e->callbacks[i].fn) {
            e->callbacks[i] = (struct notification_callback){callback, context, fdo};
            st = HDABDL_STATUS_SUCCESS;
            break;
        }
    }
    hdabdl__unlock(client->ctrl);
    return st;
}

hdabdl_status hdabdl_unregister_notification_callback(hdabdl_client *client, hdabdl_handle handle,
                                                      hdabdl_dma_notification_callback callback,
                                                      void *context)
{
    struct engine *e;
    hdabdl_status st;

    HDABDL_REQUIRE_PASSIVE(client);
    st = hdabdl__engine_enter(client, handle, &e);
    if (!HDABDL_NT_SUCCESS(st))
        return st;
    st = HDABDL_STATUS_INVALID_PARAMETER;
    /* Both must match (sklhdaudbus's || slip removes the wrong one). */
    for (unsigned i = 0; callback && i < HDABDL_MAX_NOTIFICATION_CALLBACKS; i++) {
        if (e->callbacks[i].fn == callback && e->callbacks[i].context == context) {
            e->callbacks[i] = (struct notification_callback){0};
            hdabdl__drain_callbacks(client->ctrl);
            st = client->ctrl->gone ? HDABDL_STATUS_DEVICE_DOES_NOT_EXIST : HDABDL_STATUS_SUCCESS;
            break;
        }
    }
    hdabdl__unlock(client->ctrl);
    return st;
}

void hdabdl__notifications_clear(struct engine *e)
{
    for (unsigned i = 0; i < HDABDL_MAX_NOTIFICATION_EVENTS; i++)
        e->events[i] = NULL;
    for (unsigned i = 0; i < HDABDL_MAX_NOTIFICATION_CALLBACKS; i++)
        e->callbacks[i] = (struct notification_callback){0};
}
