/* SPDX-License-Identifier: MIT */
/* <stdint.h> for kernel code that includes the library's public headers: the
 * kernel's own types (linux/types.h), so nothing is defined twice. */
#ifndef HDABDL_KSHIM_STDINT_H
#define HDABDL_KSHIM_STDINT_H
#include <linux/stddef.h>
#include <linux/types.h>
#endif
