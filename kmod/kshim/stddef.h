/* SPDX-License-Identifier: MIT */
/* <stddef.h> for kernel code that includes the library's public headers: the
 * kernel's own types (linux/types.h), so nothing is defined twice. */
#ifndef HDABDL_KSHIM_STDDEF_H
#define HDABDL_KSHIM_STDDEF_H
#include <linux/stddef.h>
#include <linux/types.h>
#endif
