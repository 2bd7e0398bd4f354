/* SPDX-License-Identifier: MIT */
/*
 * string.h for the core inside a kernel: the four functions the core may
 * use (the kernel exports them). Nothing else from libc exists there.
 */
#ifndef HDABDL_KMOD_STRING_H
#define HDABDL_KMOD_STRING_H

#include <stddef.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);

#endif
