/* SPDX-License-Identifier: MIT */
/*
 * tests/test_bdl_util.h - one field of one BDL entry, read or changed in
 * place, for tests that build a BDL and then spoil it.
 *
 * A BDL entry is little-endian in memory whatever the host (the controller
 * reads it that way): these go through hdabdl_bdl_read_entry() and
 * hdabdl_bdl_write_entry(), never through the struct's members.
 */
#ifndef HDABDL_TESTS_TEST_BDL_UTIL_H
#define HDABDL_TESTS_TEST_BDL_UTIL_H

#include <stdint.h>

#include "hdabdl/hdabdl.h"

static inline uint64_t bdl_entry_address(const struct hdabdl_buffer_descriptor *bdl, uint32_t i)
{
    uint64_t address;
    hdabdl_bdl_read_entry(bdl, i, &address, NULL, NULL);
    return address;
}

static inline uint32_t bdl_entry_length(const struct hdabdl_buffer_descriptor *bdl, uint32_t i)
{
    uint32_t length;
    hdabdl_bdl_read_entry(bdl, i, NULL, &length, NULL);
    return length;
}

static inline uint32_t bdl_entry_ioc(const struct hdabdl_buffer_descriptor *bdl, uint32_t i)
{
    uint32_t ioc;
    hdabdl_bdl_read_entry(bdl, i, NULL, NULL, &ioc);
    return ioc;
}

static inline void bdl_entry_set_address(struct hdabdl_buffer_descriptor *bdl, uint32_t i, uint64_t address)
{
    hdabdl_bdl_write_entry(bdl, i, address, bdl_entry_length(bdl, i), bdl_entry_ioc(bdl, i));
}

static inline void bdl_entry_set_length(struct hdabdl_buffer_descriptor *bdl, uint32_t i, uint32_t length)
{
    hdabdl_bdl_write_entry(bdl, i, bdl_entry_address(bdl, i), length, bdl_entry_ioc(bdl, i));
}

static inline void bdl_entry_set_ioc(struct hdabdl_buffer_descriptor *bdl, uint32_t i, uint32_t ioc)
{
    hdabdl_bdl_write_entry(bdl, i, bdl_entry_address(bdl, i), bdl_entry_length(bdl, i), ioc);
}

#endif /* HDABDL_TESTS_TEST_BDL_UTIL_H */
