/* SPDX-License-Identifier: MIT */
/*
 * interface_ms_abi.c - interface.c again, with ms_abi wrappers and tables:
 * hdabdl_query_interface_ms_abi() (hdabdl/ddi.h, HDABDL_DDI_MS_ABI). Only on
 * x86-64 with GCC or Clang; elsewhere this file is empty.
 */
#define HDABDL_DDI_MS_ABI 1
#include "hdabdl/ddi.h"

#ifdef HDABDL_DDI_IS_MS_ABI
#define HDABDL__IFACE_MS_VARIANT 1
#include "interface.c"
#else
typedef int hdabdl__no_ms_abi_here;   /* ISO C wants a non-empty translation unit */
#endif
