/* SPDX-License-Identifier: MIT */
/*
 * hdabdl/regs.h - Intel High Definition Audio controller register map.
 *
 * The one source of truth for register offsets and fields, shared by the core,
 * the mock controller and the CLI. Offsets are from BAR0. Field comments give
 * the meaning; sources are listed in shared/reference/hw.md sections 1 and 2.
 */
#ifndef HDABDL_REGS_H
#define HDABDL_REGS_H

/* ---- Global registers ---------------------------------------------------- */

#define HDA_REG_GCAP            0x00    /* 16 RO  global capabilities */
#define   HDA_GCAP_64OK         0x0001u /*   64-bit DMA addresses supported */
#define   HDA_GCAP_NSDO_MASK    0x0006u /*   SDO lines: 00=1, 01=2, 10=4 */
#define   HDA_GCAP_NSDO_SHIFT   1
#define   HDA_GCAP_BSS_MASK     0x00F8u /*   bidirectional stream count */
#define   HDA_GCAP_BSS_SHIFT    3
#define   HDA_GCAP_ISS_MASK     0x0F00u /*   input stream count */
#define   HDA_GCAP_ISS_SHIFT    8
#define   HDA_GCAP_OSS_MASK     0xF000u /*   output stream count */
#define   HDA_GCAP_OSS_SHIFT    12
#define HDA_REG_VMIN            0x02    /*  8 RO  spec minor version */
#define HDA_REG_VMAJ            0x03    /*  8 RO  spec major version */
#define HDA_REG_OUTPAY          0x04    /* 16 RO  output payload words per frame */
#define HDA_REG_INPAY           0x06    /* 16 RO  input payload words per frame */
#define HDA_REG_GCTL            0x08    /* 32 RW  global control */
#define   HDA_GCTL_CRST         0x00000001u /* 0 = controller in reset */
#define   HDA_GCTL_FCNTRL       0x00000002u /* flush control */
#define   HDA_GCTL_UNSOL        0x00000100u /* accept unsolicited responses */
#define HDA_REG_WAKEEN          0x0C    /* 16 RW  SDI wake enable */
#define HDA_REG_STATESTS        0x0E    /* 16 W1C SDI state change (codec present) */
#define   HDA_STATESTS_MASK     0x7FFFu
#define HDA_REG_GSTS            0x10    /* 16 W1C global status */
#define   HDA_GSTS_FSTS         0x0002u /*   flush done */
#define HDA_REG_OUTSTRMPAY      0x18    /* 16 RO  max output stream payload */
#define HDA_REG_INSTRMPAY       0x1A    /* 16 RO  max input stream payload */
#define HDA_REG_INTCTL          0x20    /* 32 RW  interrupt control */
#define   HDA_INT_GLOBAL        0x80000000u /* GIE / GIS */
#define   HDA_INT_CTRL          0x40000000u /* CIE / CIS */
#define   HDA_INT_STREAMS_MASK  0x3FFFFFFFu /* SIE / SIS, bit n = stream n */
#define HDA_REG_INTSTS          0x24    /* 32 RO  interrupt status */
#define HDA_REG_WALCLK          0x30    /* 32 RO  wall clock, 24 MHz */
#define HDA_REG_SSYNC_OLD       0x34    /* 32 RW  stream sync on ICH6-era parts */
#define HDA_REG_SSYNC           0x38    /* 32 RW  stream sync, bit n blocks stream n */
#define HDA_REG_CORBLBASE       0x40
#define HDA_REG_CORBUBASE       0x44
#define HDA_REG_CORBWP          0x48
#define HDA_REG_CORBRP          0x4A
#define   HDA_CORBRP_RST        0x8000u
#define HDA_REG_CORBCTL         0x4C
#define   HDA_CORBCTL_RUN       0x02u
#define   HDA_CORBCTL_CMEIE     0x01u
#define HDA_REG_CORBSTS         0x4D
#define HDA_REG_CORBSIZE        0x4E
#define HDA_REG_RIRBLBASE       0x50
#define HDA_REG_RIRBUBASE       0x54
#define HDA_REG_RIRBWP          0x58
#define   HDA_RIRBWP_RST        0x8000u
#define HDA_REG_RINTCNT         0x5A
#define HDA_REG_RIRBCTL         0x5C
#define   HDA_RIRBCTL_OIC       0x04u
#define   HDA_RIRBCTL_DMAEN     0x02u
#define   HDA_RIRBCTL_RINTCTL   0x01u
#define HDA_REG_RIRBSTS         0x5D
#define   HDA_RIRBSTS_OIS       0x04u
#define   HDA_RIRBSTS_RINTFL    0x01u
#define HDA_REG_RIRBSIZE        0x5E
#define HDA_REG_ICOI            0x60    /* immediate command output */
#define HDA_REG_ICII            0x64    /* immediate command input (response) */
#define HDA_REG_ICIS            0x68    /* immediate command status */
#define   HDA_ICIS_ICB          0x0001u
#define   HDA_ICIS_IRV          0x0002u
#define HDA_REG_DPLBASE         0x70    /* 32 RW  DMA position buffer base */
#define   HDA_DPLBASE_ENABLE    0x00000001u
#define HDA_REG_DPUBASE         0x74

/* ---- Stream descriptors: base 0x80 + 0x20 * n, input, then output, then bidir */

#define HDA_SD_BASE             0x80
#define HDA_SD_STRIDE           0x20
#define HDA_SD_OFFSET(n, reg)   (HDA_SD_BASE + HDA_SD_STRIDE * (unsigned)(n) + (reg))
#define HDA_MAX_STREAMS         30      /* INTCTL/INTSTS/SSYNC carry 30 stream bits */

#define HDA_SD_CTL              0x00    /* 24 RW  stream control (bytes 0..2) */
#define   HDA_SD_CTL_SRST       0x000001u   /* stream reset */
#define   HDA_SD_CTL_RUN        0x000002u   /* DMA run */
#define   HDA_SD_CTL_IOCE       0x000004u   /* interrupt on completion enable */
#define   HDA_SD_CTL_FEIE       0x000008u   /* FIFO error interrupt enable */
#define   HDA_SD_CTL_DEIE       0x000010u   /* descriptor error interrupt enable */
#define   HDA_SD_CTL_INT_MASK   0x00001Cu
#define   HDA_SD_CTL_STRIPE_MASK  0x030000u /* 00=1, 01=2, 10=4 SDO lines */
#define   HDA_SD_CTL_STRIPE_SHIFT 16
#define   HDA_SD_CTL_TP         0x040000u   /* traffic priority */
#define   HDA_SD_CTL_DIR        0x080000u   /* bidirectional engine: 1 = output */
#define   HDA_SD_CTL_STRM_MASK  0xF00000u   /* stream tag 1..15 */
#define   HDA_SD_CTL_STRM_SHIFT 20
#define HDA_SD_STS              0x03    /*  8 W1C stream status */
#define   HDA_SD_STS_BCIS       0x04u   /* buffer completion */
#define   HDA_SD_STS_FIFOE      0x08u   /* FIFO error */
#define   HDA_SD_STS_DESE       0x10u   /* descriptor error */
#define   HDA_SD_STS_FIFORDY    0x20u   /* FIFO ready (RO) */
#define   HDA_SD_STS_INT_MASK   0x1Cu   /* the bits a BDL ISR may see */
#define HDA_SD_LPIB             0x04    /* 32 RO  link position in buffer */
#define HDA_SD_CBL              0x08    /* 32 RW  cyclic buffer length */
#define HDA_SD_LVI              0x0C    /* 16 RW  last valid index (7:0) */
#define HDA_SD_FIFOW            0x0E    /* 16 RW  FIFO watermark (2:0) */
#define HDA_SD_FIFOS            0x10    /* 16     FIFO size - 1 in bytes */
#define HDA_SD_FMT              0x12    /* 16 RW  stream format */
#define   HDA_FMT_CHAN_MASK     0x000Fu /*   channels - 1 */
#define   HDA_FMT_BITS_MASK     0x0070u /*   0=8 1=16 2=20 3=24 4=32 */
#define   HDA_FMT_BITS_SHIFT    4
#define   HDA_FMT_DIV_MASK      0x0700u /*   divisor - 1 */
#define   HDA_FMT_DIV_SHIFT     8
#define   HDA_FMT_MULT_MASK     0x3800u /*   multiplier - 1 */
#define   HDA_FMT_MULT_SHIFT    11
#define   HDA_FMT_BASE_44K1     0x4000u /*   base 44.1 kHz (else 48 kHz) */
#define   HDA_FMT_NONPCM        0x8000u /*   codec side only */
#define HDA_SD_BDPL             0x18    /* 32 RW  BDL base low (128-byte aligned) */
#define HDA_SD_BDPU             0x1C    /* 32 RW  BDL base high */

/* ---- Alias page: WALCLK and the LPIBs mirrored on a page of their own ----- */

#define HDA_ALIAS_BASE          0x2000
#define HDA_REG_WALCLK_ALIAS    (HDA_ALIAS_BASE + HDA_REG_WALCLK)
#define HDA_SD_LPIB_ALIAS(n)    (HDA_ALIAS_BASE + HDA_SD_OFFSET(n, HDA_SD_LPIB))

#define HDA_MMIO_SIZE           0x4000  /* BAR0 size the library maps */

/* ---- In-memory structures ---------------------------------------------- */

#define HDA_BDL_ENTRY_SIZE      16      /* address lo/hi, length, flags */
#define HDA_BDL_IOC             0x1u
#define HDA_BDL_MAX_ENTRIES     256     /* LVI is 8 bits */
#define HDA_BDL_FRAGMENT_ALIGN  128     /* DDI: fragments start on 128 bytes */
#define HDA_POSBUF_STRIDE       8       /* DMA position buffer slot per stream */

/* ---- Link ------------------------------------------------------------- */

#define HDA_FRAME_RATE          48000u  /* link frames per second */
#define HDA_WALCLK_HZ           24000000u
#define HDA_SDO_FRAME_BITS      1000u   /* double-pumped SDO */
#define HDA_SDO_COMMAND_BITS    40u
#define HDA_SDI_FRAME_BITS      500u
#define HDA_SDI_RESPONSE_BITS   36u
#define HDA_SDI_STREAM_HEADER_BITS 10u  /* 4-bit tag + 6-bit length */

#endif /* HDABDL_REGS_H */
