/* SPDX-License-Identifier: MIT */
/*
 * test_ddi_interface_ms_abi.c - test_ddi_interface.c through the ms_abi
 * tables: with HDABDL_DDI_MS_ABI, hdabdl/ddi.h makes every routine and
 * callback type ms_abi and hdabdl_query_interface() names
 * hdabdl_query_interface_ms_abi(), so every test calls ms_abi wrappers and
 * the library calls the tests' ms_abi callbacks (BDL ISR, transfer-complete,
 * unsolicited-response, DMA-notification) through its thunks. Where ms_abi
 * does not exist (not x86-64 GCC/Clang) this runs the native tables again.
 */
#define HDABDL_DDI_MS_ABI 1
#include "test_ddi_interface.c"
