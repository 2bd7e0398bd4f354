/* SPDX-License-Identifier: MIT */
/*
 * hal_posix.c - the HAL lock slots as error-checking pthread mutexes, shared
 * by the mock and the pciaccess backend (hal_posix.h).
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hal/hal_posix.h"
#include "hdabdl/hal.h"

struct posix_lock {
    pthread_mutex_t mutex;
    const char *hal;   /* for the message of a misuse */
};

void hdabdl__posix_die(const char *hal, const char *what, int err)
{
    fprintf(stderr, "hdabdl %s HAL: %s: %s\n", hal, what, err ? strerror(err) : "misuse");
    abort();
}

int hdabdl__posix_lock_create(const char *hal, void **lock)
{
    struct posix_lock *l = malloc(sizeof(*l));
    if (!l)
        return -ENOMEM;
    pthread_mutexattr_t attr;
    pthread_mutexattr_init(&attr);
    pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ERRORCHECK);
    int rc = pthread_mutex_init(&l->mutex, &attr);
    pthread_mutexattr_destroy(&attr);
    if (rc != 0) {
        free(l);
        return -ENOMEM;
    }
    l->hal = hal;
    *lock = l;
    return 0;
}

void hdabdl__posix_lock_destroy(void *ctx, void *lock)
{
    (void)ctx;
    struct posix_lock *l = lock;
    if (!l)
        return;
    int rc = pthread_mutex_destroy(&l->mutex);
    if (rc != 0)
        hdabdl__posix_die(l->hal, "lock_destroy (lock still held?)", rc);
    free(l);
}

/* The core's lock is non-recursive: a second acquire by the owner is a core bug. */
void hdabdl__posix_lock_acquire(void *ctx, void *lock)
{
    (void)ctx;
    struct posix_lock *l = lock;
    int rc = pthread_mutex_lock(&l->mutex);
    if (rc != 0)
        hdabdl__posix_die(l->hal, "lock_acquire (recursive acquire?)", rc);
}

void hdabdl__posix_lock_release(void *ctx, void *lock)
{
    (void)ctx;
    struct posix_lock *l = lock;
    int rc = pthread_mutex_unlock(&l->mutex);
    if (rc != 0)
        hdabdl__posix_die(l->hal, "lock_release (not held by this thread?)", rc);
}

void *hdabdl__posix_mem_alloc(void *ctx, size_t size, unsigned flags)
{
    (void)ctx;
    (void)flags;
    return malloc(size ? size : 1);
}

void hdabdl__posix_mem_free(void *ctx, void *p, size_t size)
{
    (void)ctx;
    (void)size;
    free(p);
}

/* Depth of core callbacks running on this thread: one per thread, shared by
 * every controller (a callback of one controller that calls into another is
 * at raised level there too, as under a real IRQL). */
static _Thread_local unsigned callback_depth;

int hdabdl__posix_caller_level(void *ctx)
{
    (void)ctx;
    return callback_depth ? HDABDL_HAL_LEVEL_RAISED : HDABDL_HAL_LEVEL_PASSIVE;
}

uint64_t hdabdl__posix_level_raise(void *ctx)
{
    (void)ctx;
    callback_depth++;
    return 0;
}

void hdabdl__posix_level_restore(void *ctx, uint64_t token)
{
    (void)ctx;
    (void)token;
    callback_depth--;
}

bool hdabdl__hal_table_valid(const struct hdabdl_hal_ops *t)
{
    return t->abi_version >= 1 && t->struct_size >= HDABDL_HAL_OPS_V1_SIZE &&
           (t->abi_version < 2 || t->struct_size >= HDABDL_HAL_OPS_V2_SIZE) &&
           (t->abi_version < 3 || t->struct_size >= HDABDL_HAL_OPS_V3_SIZE);
}
