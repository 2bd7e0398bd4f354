/* SPDX-License-Identifier: MIT */
/*
 * hdabdl/verbs.h - HD Audio codec verb and response encodings (HDA spec
 * section 7; ddi.md §5.1-5.2), and the usual verb and parameter IDs.
 */
#ifndef HDABDL_VERBS_H
#define HDABDL_VERBS_H

#include <stdint.h>

/* ---- Commands: 31:28 codec address, 27:20 NID, then a 12-bit verb with an
 *      8-bit payload, or a 4-bit verb with a 16-bit payload. ---------------- */

#define HDABDL_VERB12(cad, nid, verb, payload)                                          \
    ((((uint32_t)(cad) & 0xFu) << 28) | (((uint32_t)(nid) & 0xFFu) << 20) |               \
     (((uint32_t)(verb) & 0xFFFu) << 8) | ((uint32_t)(payload) & 0xFFu))
#define HDABDL_VERB4(cad, nid, verb, payload)                                           \
    ((((uint32_t)(cad) & 0xFu) << 28) | (((uint32_t)(nid) & 0xFFu) << 20) |               \
     (((uint32_t)(verb) & 0xFu) << 16) | ((uint32_t)(payload) & 0xFFFFu))
#define HDABDL_VERB_CODEC(cmd)   (((uint32_t)(cmd) >> 28) & 0xFu)
#define HDABDL_VERB_NID(cmd)     (((uint32_t)(cmd) >> 20) & 0xFFu)

/* 12-bit verbs */
#define HDABDL_VERB_GET_PARAMETER          0xF00
#define HDABDL_VERB_GET_CONNECT_SEL        0xF01
#define HDABDL_VERB_SET_CONNECT_SEL        0x701
#define HDABDL_VERB_GET_CONNECT_LIST       0xF02
#define HDABDL_VERB_GET_PROC_STATE         0xF03
#define HDABDL_VERB_SET_PROC_STATE         0x703
#define HDABDL_VERB_GET_SDI_SELECT         0xF04
#define HDABDL_VERB_SET_SDI_SELECT         0x704
#define HDABDL_VERB_GET_POWER_STATE        0xF05
#define HDABDL_VERB_SET_POWER_STATE        0x705
#define HDABDL_VERB_GET_CONV               0xF06
#define HDABDL_VERB_SET_CHANNEL_STREAMID   0x706
#define HDABDL_VERB_GET_PIN_WIDGET_CONTROL 0xF07
#define HDABDL_VERB_SET_PIN_WIDGET_CONTROL 0x707
#define HDABDL_VERB_GET_UNSOLICITED_RESPONSE 0xF08
#define HDABDL_VERB_SET_UNSOLICITED_ENABLE 0x708
#define HDABDL_VERB_GET_PIN_SENSE          0xF09
#define HDABDL_VERB_SET_PIN_SENSE          0x709
#define HDABDL_VERB_GET_EAPD_BTLENABLE     0xF0C
#define HDABDL_VERB_SET_EAPD_BTLENABLE     0x70C
#define HDABDL_VERB_GET_DIGI_CONVERT_1     0xF0D
#define HDABDL_VERB_SET_DIGI_CONVERT_1     0x70D
#define HDABDL_VERB_GET_VOLUME_KNOB        0xF0F
#define HDABDL_VERB_SET_VOLUME_KNOB        0x70F
#define HDABDL_VERB_GET_GPIO_DATA          0xF15
#define HDABDL_VERB_SET_GPIO_DATA          0x715
#define HDABDL_VERB_GET_GPIO_MASK          0xF16
#define HDABDL_VERB_SET_GPIO_MASK          0x716
#define HDABDL_VERB_GET_GPIO_DIRECTION     0xF17
#define HDABDL_VERB_SET_GPIO_DIRECTION     0x717
#define HDABDL_VERB_GET_CONFIG_DEFAULT     0xF1C
#define HDABDL_VERB_SET_CONFIG_DEFAULT_0   0x71C
#define HDABDL_VERB_GET_SUBSYSTEM_ID       0xF20
#define HDABDL_VERB_SET_CODEC_RESET        0x7FF

/* 4-bit verbs */
#define HDABDL_VERB4_SET_STREAM_FORMAT     0x2
#define HDABDL_VERB4_SET_AMP_GAIN_MUTE     0x3
#define HDABDL_VERB4_SET_COEF              0x4
#define HDABDL_VERB4_SET_COEF_INDEX        0x5
#define HDABDL_VERB4_GET_STREAM_FORMAT     0xA
#define HDABDL_VERB4_GET_AMP_GAIN_MUTE     0xB
#define HDABDL_VERB4_GET_COEF              0xC
#define HDABDL_VERB4_GET_COEF_INDEX        0xD

/* Set amplifier gain/mute payload: 15 output, 14 input, 13 left, 12 right,
 * 11:8 input index, 7 mute, 6:0 gain. */
#define HDABDL_AMP_SET_OUTPUT  0x8000u
#define HDABDL_AMP_SET_INPUT   0x4000u
#define HDABDL_AMP_SET_LEFT    0x2000u
#define HDABDL_AMP_SET_RIGHT   0x1000u
#define HDABDL_AMP_MUTE        0x0080u

/* Pin widget control */
#define HDABDL_PIN_HP_ENABLE   0x80u
#define HDABDL_PIN_OUT_ENABLE  0x40u
#define HDABDL_PIN_IN_ENABLE   0x20u

/* Parameters (GET_PARAMETER payload) */
#define HDABDL_PARAM_VENDOR_ID        0x00
#define HDABDL_PARAM_REVISION_ID      0x02
#define HDABDL_PARAM_NODE_COUNT       0x04
#define HDABDL_PARAM_FUNCTION_TYPE    0x05
#define HDABDL_PARAM_AUDIO_FG_CAP     0x08
#define HDABDL_PARAM_AUDIO_WIDGET_CAP 0x09
#define HDABDL_PARAM_PCM              0x0A
#define HDABDL_PARAM_STREAM           0x0B
#define HDABDL_PARAM_PIN_CAP          0x0C
#define HDABDL_PARAM_AMP_IN_CAP       0x0D
#define HDABDL_PARAM_CONNLIST_LEN     0x0E
#define HDABDL_PARAM_POWER_STATE      0x0F
#define HDABDL_PARAM_PROC_CAP         0x10
#define HDABDL_PARAM_GPIO_CAP         0x11
#define HDABDL_PARAM_AMP_OUT_CAP      0x12
#define HDABDL_PARAM_VOL_KNB_CAP      0x13

/* ---- Responses as the DDI delivers them (HDAUDIO_CODEC_RESPONSE) --------------- */

#define HDABDL_RESPONSE_VALUE(r)        ((uint32_t)(r))
#define HDABDL_RESPONSE_SDATA_IN(r)     ((unsigned)(((r) >> 32) & 0xFu))
#define HDABDL_RESPONSE_IS_UNSOL(r)     ((unsigned)(((r) >> 36) & 1u))
#define HDABDL_RESPONSE_FIFO_OVERRUN(r) ((unsigned)(((r) >> 62) & 1u))
#define HDABDL_RESPONSE_IS_VALID(r)     ((unsigned)(((r) >> 63) & 1u))
#define HDABDL_UNSOL_TAG(r)             ((unsigned)(((r) >> 26) & 0x3Fu))
#define HDABDL_UNSOL_SUBTAG(r)          ((unsigned)(((r) >> 21) & 0x1Fu))

#endif /* HDABDL_VERBS_H */
