/* SPDX-License-Identifier: MIT */
/*
 * hal_posix.h - what the HALs built on POSIX threads share (the mock and the
 * pciaccess backend).
 *
 * The lock slots of hal.h as error-checking pthread mutexes: the core's lock
 * is non-recursive, and destroying a held lock, a second acquire by the
 * owner, or a release by a thread that does not hold it is a core bug, so
 * each aborts with a message naming the HAL. The ops tables point
 * lock_destroy, lock_acquire and lock_release here directly; lock_create
 * passes the HAL's name: "hdabdl <hal> HAL: lock_acquire (recursive
 * acquire?): <strerror>".
 *
 * Also the v3 memory and level slots of a user-space HAL (malloc, and a
 * thread-local callback depth), used by both backends and by the hosted
 * fallback for older tables (hal_hosted.c).
 */
#ifndef HDABDL_HAL_POSIX_H
#define HDABDL_HAL_POSIX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** "hdabdl @hal HAL: @what: <strerror(@err), or "misuse" for 0>" on stderr, then abort(). */
_Noreturn void hdabdl__posix_die(const char *hal, const char *what, int err);

/** lock_create for HAL @hal ("mock", "pciaccess"): 0, or -ENOMEM. */
int hdabdl__posix_lock_create(const char *hal, void **lock);
void hdabdl__posix_lock_destroy(void *ctx, void *lock);
void hdabdl__posix_lock_acquire(void *ctx, void *lock);
void hdabdl__posix_lock_release(void *ctx, void *lock);

struct hdabdl_hal_ops;

/* Tables that wrap another table (hal_hosted.c, fault/): the inner table is
 * big enough for the version it claims (1, 2 or 3), and a slot of version @v
 * exists in @t (the append-only rule of hal.h). */
bool hdabdl__hal_table_valid(const struct hdabdl_hal_ops *t);
#define HDABDL__HAL_HAS(t, v, slot) \
    ((t)->abi_version >= (v) && (t)->struct_size >= HDABDL_HAL_OPS_V##v##_SIZE && (t)->slot)

/* HAL v3 memory slots: malloc and free (the flags do not matter in user space). */
void *hdabdl__posix_mem_alloc(void *ctx, size_t size, unsigned flags);
void hdabdl__posix_mem_free(void *ctx, void *p, size_t size);

/* HAL v3 level slots: a thread-local depth of core callbacks. A thread is at
 * raised level while the core runs a callback on it, whatever the HAL. */
int hdabdl__posix_caller_level(void *ctx);
uint64_t hdabdl__posix_level_raise(void *ctx);
void hdabdl__posix_level_restore(void *ctx, uint64_t token);

#endif /* HDABDL_HAL_POSIX_H */
