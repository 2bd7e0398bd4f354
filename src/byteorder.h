/* SPDX-License-Identifier: MIT */
/*
 * byteorder.h - little-endian loads and stores for memory shared with the
 * controller (BDL entries, the DMA position buffer, CORB, RIRB and sample
 * data are little-endian on the bus: Intel HDA specification 1.0a, §3.3 and
 * §3.6). Shared by the core and the mock; not installed.
 *
 * Byte by byte, so they work on any host byte order and any alignment; gcc
 * and clang turn each into a single load or store (plus a byte swap on a
 * big-endian host). Freestanding: no headers beyond <stdint.h>.
 */
#ifndef HDABDL_BYTEORDER_H
#define HDABDL_BYTEORDER_H

#include <stdint.h>

static inline uint16_t hdabdl__le16_load(const void *p)
{
    const uint8_t *b = p;
    return (uint16_t)(b[0] | (uint16_t)b[1] << 8);
}

static inline uint32_t hdabdl__le32_load(const void *p)
{
    const uint8_t *b = p;
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static inline uint64_t hdabdl__le64_load(const void *p)
{
    const uint8_t *b = p;
    return (uint64_t)hdabdl__le32_load(b) | (uint64_t)hdabdl__le32_load(b + 4) << 32;
}

static inline void hdabdl__le16_store(void *p, uint16_t v)
{
    uint8_t *b = p;
    b[0] = (uint8_t)v;
    b[1] = (uint8_t)(v >> 8);
}

static inline void hdabdl__le32_store(void *p, uint32_t v)
{
    uint8_t *b = p;
    b[0] = (uint8_t)v;
    b[1] = (uint8_t)(v >> 8);
    b[2] = (uint8_t)(v >> 16);
    b[3] = (uint8_t)(v >> 24);
}

static inline void hdabdl__le64_store(void *p, uint64_t v)
{
    uint8_t *b = p;
    hdabdl__le32_store(b, (uint32_t)v);
    hdabdl__le32_store(b + 4, (uint32_t)(v >> 32));
}

#endif /* HDABDL_BYTEORDER_H */
