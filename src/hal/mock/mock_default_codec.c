/* SPDX-License-Identifier: MIT */
/*
 * mock_default_codec.c - the codec the mock HAL puts at every address of
 * config.device.codec_mask for which no codec was added.
 *
 * A small analog duplex codec written in the /proc/asound/cardN/codec#M
 * format of current Linux, with the node layout of QEMU's hda-duplex
 * (hw.md 5.1: vendor 0x1af4, the ID range QEMU uses for its virtual codecs),
 * but with the capabilities of a real part:
 *
 *   0x01  Audio Function Group, unsolicited-capable
 *   0x02  Audio Output (DAC): stereo, output amp, 44.1/48/96/192 kHz, 16/20/24 bit
 *   0x03  Pin Complex: headphone/line-out jack, output, presence detect,
 *         unsolicited-capable, connected to the DAC
 *   0x04  Audio Input (ADC): stereo, input amp, connected to the mic pin
 *   0x05  Pin Complex: microphone jack, input with VREF, presence detect,
 *         unsolicited-capable
 *
 * Power-on state as a codec has it before a driver touched it: stream tags 0,
 * pin controls 0, unsolicited responses disabled.
 */
#include <string.h>

#include "mock_internal.h"

#include "hdabdl/codec.h"

static const char mock_default_codec_text[] =
    "Codec: hdabdl mock duplex codec\n"
    "Address: 0\n"
    "AFG Function Id: 0x1 (unsol 1)\n"
    "Vendor Id: 0x1af40022\n"
    "Subsystem Id: 0x1af40022\n"
    "Revision Id: 0x100101\n"
    "No Modem Function Group found\n"
    "Default PCM:\n"
    "    rates [0x560]: 44100 48000 96000 192000\n"
    "    bits [0xe]: 16 20 24\n"
    "    formats [0x1]: PCM\n"
    "Default Amp-In caps: N/A\n"
    "Default Amp-Out caps: N/A\n"
    "State of AFG node 0x01:\n"
    "  Power states:  D0 D3\n"
    "  Power: setting=D0, actual=D0\n"
    "GPIO: io=0, o=0, i=0, unsolicited=0, wake=0\n"
    "Node 0x02 [Audio Output] wcaps 0x1d: Stereo Amp-Out\n"
    "  Amp-Out caps: ofs=0x57, nsteps=0x57, stepsize=0x02, mute=1\n"
    "  Amp-Out vals:  [0x57 0x57]\n"
    "  Converter: stream=0, channel=0\n"
    "  PCM:\n"
    "    rates [0x560]: 44100 48000 96000 192000\n"
    "    bits [0xe]: 16 20 24\n"
    "    formats [0x1]: PCM\n"
    "Node 0x03 [Pin Complex] wcaps 0x40018d: Stereo Amp-Out\n"
    "  Amp-Out caps: ofs=0x00, nsteps=0x00, stepsize=0x00, mute=1\n"
    "  Amp-Out vals:  [0x80 0x80]\n"
    "  Pincap 0x0000001c: OUT HP Detect\n"
    "  Pin Default 0x0221401f: [Jack] HP Out at Ext Front\n"
    "    Conn = 1/8, Color = Green\n"
    "    DefAssociation = 0x1, Sequence = 0xf\n"
    "  Pin-ctls: 0x00:\n"
    "  Unsolicited: tag=00, enabled=0\n"
    "  Connection: 1\n"
    "     0x02\n"
    "Node 0x04 [Audio Input] wcaps 0x10011b: Stereo Amp-In\n"
    "  Amp-In caps: ofs=0x0b, nsteps=0x1f, stepsize=0x05, mute=1\n"
    "  Amp-In vals:  [0x0b 0x0b]\n"
    "  Converter: stream=0, channel=0\n"
    "  SDI-Select: 0\n"
    "  PCM:\n"
    "    rates [0x560]: 44100 48000 96000 192000\n"
    "    bits [0xe]: 16 20 24\n"
    "    formats [0x1]: PCM\n"
    "  Connection: 1\n"
    "     0x05\n"
    "Node 0x05 [Pin Complex] wcaps 0x40008b: Stereo Amp-In\n"
    "  Amp-In caps: ofs=0x00, nsteps=0x03, stepsize=0x27, mute=0\n"
    "  Amp-In vals:  [0x00 0x00]\n"
    "  Pincap 0x00001724: IN Detect\n"
    "    Vref caps: HIZ 50 GRD 80\n"
    "  Pin Default 0x02a19020: [Jack] Mic at Ext Front\n"
    "    Conn = 1/8, Color = Pink\n"
    "    DefAssociation = 0x2, Sequence = 0x0\n"
    "  Pin-ctls: 0x00: VREF_HIZ\n"
    "  Unsolicited: tag=00, enabled=0\n";

const char *hdabdl__mock_default_codec_text(size_t *len)
{
    if (len)
        *len = sizeof(mock_default_codec_text) - 1;
    return mock_default_codec_text;
}

int hdabdl__mock_default_codec_desc(struct hdabdl_codec_desc *out)
{
    struct hdabdl_codec_desc *descs = NULL;
    size_t count = 0;

    memset(out, 0, sizeof(*out));
    int rc = hdabdl_codec_parse(mock_default_codec_text, sizeof(mock_default_codec_text) - 1, &descs,
                                &count, NULL);
    if (rc != 0)
        return rc;
    /* Take the one description out of the array: the array itself is freed. */
    *out = descs[0];
    memset(&descs[0], 0, sizeof(descs[0]));
    hdabdl_codec_desc_array_free(descs, count);
    return 0;
}
