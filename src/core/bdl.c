/* SPDX-License-Identifier: MIT */
/*
 * bdl.c - one BDL entry in the controller's byte order, for callers of the
 * BDL flavour who fill the BDL themselves (and for tests and tools that read
 * one back).
 *
 * A BDL entry is 16 bytes, each field little-endian on the bus (Intel HDA
 * specification 1.0a, "Buffer Descriptor List Entry"): bytes 0-7 the
 * fragment's 64-bit address, 8-11 its length in bytes, 12-15 the IOC word
 * (bit 0, the rest reserved). struct hdabdl_buffer_descriptor has those
 * members at those offsets; these routines store and load them byte by byte,
 * so they are right on any host byte order and need no alignment.
 *
 * Freestanding: no libc.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "byteorder.h"

#include "hdabdl/hdabdl.h"

#define BDL_ADDRESS offsetof(struct hdabdl_buffer_descriptor, address)
#define BDL_LENGTH  offsetof(struct hdabdl_buffer_descriptor, length)
#define BDL_IOC     offsetof(struct hdabdl_buffer_descriptor, interrupt_on_completion)

_Static_assert(sizeof(struct hdabdl_buffer_descriptor) == 16 && BDL_ADDRESS == 0 && BDL_LENGTH == 8 &&
                   BDL_IOC == 12,
               "a BDL entry: address at 0, length at 8, IOC at 12, 16 bytes");
/* The MSVC layout of the DDI's 64-bit members (HDABDL_ALIGNAS in hdabdl.h). */
_Static_assert(_Alignof(struct hdabdl_buffer_descriptor) == 8, "HDAUDIO_BUFFER_DESCRIPTOR aligned to 8");
_Static_assert(_Alignof(hdabdl_codec_response) == 8, "HDAUDIO_CODEC_RESPONSE aligned to 8");
_Static_assert(_Alignof(struct hdabdl_codec_transfer) == 8, "HDAUDIO_CODEC_TRANSFER aligned to 8");

void hdabdl_bdl_write_entry(struct hdabdl_buffer_descriptor *bdl, uint32_t index, uint64_t address,
                            uint32_t length, uint32_t interrupt_on_completion)
{
    if (!bdl)
        return;
    uint8_t *e = (uint8_t *)(void *)(bdl + index);
    hdabdl__le64_store(e + BDL_ADDRESS, address);
    hdabdl__le32_store(e + BDL_LENGTH, length);
    hdabdl__le32_store(e + BDL_IOC, interrupt_on_completion);
}

void hdabdl_bdl_read_entry(const struct hdabdl_buffer_descriptor *bdl, uint32_t index,
                           uint64_t *address, uint32_t *length,
                           uint32_t *interrupt_on_completion)
{
    const uint8_t *e = bdl ? (const uint8_t *)(const void *)(bdl + index) : NULL;
    if (address)
        *address = e ? hdabdl__le64_load(e + BDL_ADDRESS) : 0;
    if (length)
        *length = e ? hdabdl__le32_load(e + BDL_LENGTH) : 0;
    if (interrupt_on_completion)
        *interrupt_on_completion = e ? hdabdl__le32_load(e + BDL_IOC) : 0;
}
