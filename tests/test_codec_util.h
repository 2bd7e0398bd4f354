/* SPDX-License-Identifier: MIT */
/*
 * test_codec_util.h - what the codec tests share (not a test itself): two
 * codec dumps and a JSON well-formedness checker.
 *
 * alc269vb: the Realtek ALC269VB of an ASUS G73, as Linux printed it
 * (/work/shared/codecs/hda-emu/alc269vb-asus-g73, first codec): 34 widgets,
 * NIDs 0x02..0x23.
 *
 * synthetic: a made-up codec in the current Linux format with what the
 * ALC269VB lacks: a modem function group, an 8-channel digital converter,
 * beep generator, volume knob, power widget, a DP-MST pin with a device list,
 * EAPD, GPIO, coefficients, a long-form connection entry. Address 2.
 *
 * The texts are kept as arrays of lines (ISO C caps string literals at 4095
 * bytes); sample_text() joins them.
 */
#ifndef HDABDL_TEST_CODEC_UTIL_H
#define HDABDL_TEST_CODEC_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

enum sample_id { SAMPLE_ALC269VB, SAMPLE_SYNTHETIC };

/* The dump as one malloc'ed string ending in a newline; *len_out gets its length. */
static inline char *sample_text(enum sample_id id, size_t *len_out)
{
    static const char *const alc269vb[] = {
        "Codec: Realtek ALC269VB",
        "Address: 0",
        "AFG Function Id: 0x1 (unsol 1)",
        "Vendor Id: 0x10ec0269",
        "Subsystem Id: 0x10431a13",
        "Revision Id: 0x100100",
        "No Modem Function Group found",
        "Default PCM:",
        "    rates [0x560]: 44100 48000 96000 192000",
        "    bits [0xe]: 16 20 24",
        "    formats [0x1]: PCM",
        "Default Amp-In caps: N/A",
        "Default Amp-Out caps: N/A",
        "GPIO: io=2, o=0, i=0, unsolicited=1, wake=0",
        "  IO[0]: enable=0, dir=0, wake=0, sticky=0, data=0, unsol=0",
        "  IO[1]: enable=0, dir=0, wake=0, sticky=0, data=0, unsol=0",
        "Node 0x02 [Audio Output] wcaps 0x1d: Stereo Amp-Out",
        "  Control: name=\"Bass Speaker Playback Volume\", index=0, device=0",
        "    ControlAmp: chs=3, dir=Out, idx=0, ofs=0",
        "  Amp-Out caps: ofs=0x57, nsteps=0x57, stepsize=0x02, mute=0",
        "  Amp-Out vals:  [0x00 0x00]",
        "  Converter: stream=8, channel=0",
        "  PCM:",
        "    rates [0x560]: 44100 48000 96000 192000",
        "    bits [0xe]: 16 20 24",
        "    formats [0x1]: PCM",
        "Node 0x03 [Audio Output] wcaps 0x1d: Stereo Amp-Out",
        "  Control: name=\"Speaker Playback Volume\", index=0, device=0",
        "    ControlAmp: chs=3, dir=Out, idx=0, ofs=0",
        "  Device: name=\"ALC269VB Analog\", type=\"Audio\", device=0",
        "  Amp-Out caps: ofs=0x57, nsteps=0x57, stepsize=0x02, mute=0",
        "  Amp-Out vals:  [0x4b 0x4b]",
        "  Converter: stream=8, channel=0",
        "  PCM:",
        "    rates [0x560]: 44100 48000 96000 192000",
        "    bits [0xe]: 16 20 24",
        "    formats [0x1]: PCM",
        "Node 0x04 [Vendor Defined Widget] wcaps 0xf00000: Mono",
        "Node 0x05 [Vendor Defined Widget] wcaps 0xf00000: Mono",
        "Node 0x06 [Audio Output] wcaps 0x211: Stereo Digital",
        "  Control: name=\"IEC958 Playback Con Mask\", index=0, device=0",
        "  Control: name=\"IEC958 Playback Pro Mask\", index=0, device=0",
        "  Control: name=\"IEC958 Playback Default\", index=0, device=0",
        "  Control: name=\"IEC958 Playback Switch\", index=0, device=0",
        "  Control: name=\"IEC958 Default PCM Playback Switch\", index=0, device=0",
        "  Device: name=\"ALC269VB Digital\", type=\"SPDIF\", device=1",
        "  Converter: stream=8, channel=0",
        "  Digital: Enabled",
        "  Digital category: 0x0",
        "  PCM:",
        "    rates [0x5e0]: 44100 48000 88200 96000 192000",
        "    bits [0xe]: 16 20 24",
        "    formats [0x1]: PCM",
        "Node 0x07 [Vendor Defined Widget] wcaps 0xf00000: Mono",
        "Node 0x08 [Audio Input] wcaps 0x10011b: Stereo Amp-In",
        "  Control: name=\"Capture Switch\", index=0, device=0",
        "  Control: name=\"Capture Volume\", index=0, device=0",
        "  Device: name=\"ALC269VB Analog\", type=\"Audio\", device=0",
        "  Amp-In caps: ofs=0x0b, nsteps=0x1f, stepsize=0x05, mute=1",
        "  Amp-In vals:  [0x13 0x13]",
        "  Converter: stream=4, channel=0",
        "  SDI-Select: 0",
        "  PCM:",
        "    rates [0x560]: 44100 48000 96000 192000",
        "    bits [0xe]: 16 20 24",
        "    formats [0x1]: PCM",
        "  Connection: 1",
        "     0x23",
        "Node 0x09 [Audio Input] wcaps 0x10011b: Stereo Amp-In",
        "  Amp-In caps: ofs=0x0b, nsteps=0x1f, stepsize=0x05, mute=1",
        "  Amp-In vals:  [0x80 0x80]",
        "  Converter: stream=0, channel=0",
        "  SDI-Select: 0",
        "  PCM:",
        "    rates [0x560]: 44100 48000 96000 192000",
        "    bits [0xe]: 16 20 24",
        "    formats [0x1]: PCM",
        "  Connection: 1",
        "     0x22",
        "Node 0x0a [Vendor Defined Widget] wcaps 0xf00000: Mono",
        "Node 0x0b [Audio Mixer] wcaps 0x20010b: Stereo Amp-In",
        "  Control: name=\"Mic Playback Volume\", index=0, device=0",
        "    ControlAmp: chs=3, dir=In, idx=0, ofs=0",
        "  Control: name=\"Mic Playback Switch\", index=0, device=0",
        "    ControlAmp: chs=3, dir=In, idx=0, ofs=0",
        "  Control: name=\"Internal Mic Playback Volume\", index=0, device=0",
        "    ControlAmp: chs=3, dir=In, idx=1, ofs=0",
        "  Control: name=\"Internal Mic Playback Switch\", index=0, device=0",
        "    ControlAmp: chs=3, dir=In, idx=1, ofs=0",
        "  Amp-In caps: ofs=0x17, nsteps=0x1f, stepsize=0x05, mute=1",
        "  Amp-In vals:  [0x80 0x80] [0x80 0x80] [0x80 0x80] [0x80 0x80] [0x80 0x80]",
        "  Connection: 5",
        "     0x18 0x19 0x1a 0x1b 0x1d",
        "Node 0x0c [Audio Mixer] wcaps 0x20010b: Stereo Amp-In",
        "  Amp-In caps: ofs=0x00, nsteps=0x00, stepsize=0x00, mute=1",
        "  Amp-In vals:  [0x00 0x00] [0x80 0x80]",
        "  Connection: 2",
        "     0x02 0x0b",
        "Node 0x0d [Audio Mixer] wcaps 0x20010b: Stereo Amp-In",
        "  Amp-In caps: ofs=0x00, nsteps=0x00, stepsize=0x00, mute=1",
        "  Amp-In vals:  [0x00 0x00] [0x00 0x00]",
        "  Connection: 2",
        "     0x03 0x0b",
        "Node 0x0e [Vendor Defined Widget] wcaps 0xf00000: Mono",
        "Node 0x0f [Audio Mixer] wcaps 0x20010a: Mono Amp-In",
        "  Amp-In caps: ofs=0x00, nsteps=0x00, stepsize=0x00, mute=1",
        "  Amp-In vals:  [0x00] [0x00]",
        "  Connection: 2",
        "     0x02 0x0b",
        "Node 0x10 [Vendor Defined Widget] wcaps 0xf00000: Mono",
        "Node 0x11 [Vendor Defined Widget] wcaps 0xf00000: Mono",
        "Node 0x12 [Pin Complex] wcaps 0x40000b: Stereo Amp-In",
        "  Amp-In caps: ofs=0x00, nsteps=0x03, stepsize=0x2f, mute=0",
        "  Amp-In vals:  [0x00 0x00]",
        "  Pincap 0x00000020: IN",
        "  Pin Default 0x411111f0: [N/A] Speaker at Ext Rear",
        "    Conn = 1/8, Color = Black",
        "    DefAssociation = 0xf, Sequence = 0x0",
        "    Misc = NO_PRESENCE",
        "  Pin-ctls: 0x00:",
        "Node 0x13 [Vendor Defined Widget] wcaps 0xf00000: Mono",
        "Node 0x14 [Pin Complex] wcaps 0x40018d: Stereo Amp-Out",
        "  Control: name=\"Speaker Playback Switch\", index=0, device=0",
        "    ControlAmp: chs=3, dir=Out, idx=0, ofs=0",
        "  Amp-Out caps: ofs=0x00, nsteps=0x00, stepsize=0x00, mute=1",
        "  Amp-Out vals:  [0x00 0x00]",
        "  Pincap 0x00010014: OUT EAPD Detect",
        "  EAPD 0x2: EAPD",
        "  Pin Default 0x99130110: [Fixed] Speaker at Int ATAPI",
        "    Conn = ATAPI, Color = Unknown",
        "    DefAssociation = 0x1, Sequence = 0x0",
        "    Misc = NO_PRESENCE",
        "  Pin-ctls: 0x40: OUT",
        "  Unsolicited: tag=00, enabled=0",
        "  Connection: 2",
        "     0x0c 0x0d*",
        "Node 0x15 [Vendor Defined Widget] wcaps 0xf00000: Mono",
        "Node 0x16 [Vendor Defined Widget] wcaps 0xf00000: Mono",
        "Node 0x17 [Pin Complex] wcaps 0x40010c: Mono Amp-Out",
        "  Control: name=\"Bass Speaker Playback Switch\", index=0, device=0",
        "    ControlAmp: chs=1, dir=Out, idx=0, ofs=0",
        "  Amp-Out caps: ofs=0x00, nsteps=0x00, stepsize=0x00, mute=1",
        "  Amp-Out vals:  [0x00]",
        "  Pincap 0x00000010: OUT",
        "  Pin Default 0x99130111: [Fixed] Speaker at Int ATAPI",
        "    Conn = ATAPI, Color = Unknown",
        "    DefAssociation = 0x1, Sequence = 0x1",
        "    Misc = NO_PRESENCE",
        "  Pin-ctls: 0x40: OUT",
        "  Connection: 1",
        "     0x0f",
        "Node 0x18 [Pin Complex] wcaps 0x40018f: Stereo Amp-In Amp-Out",
        "  Control: name=\"Mic Boost Volume\", index=0, device=0",
        "    ControlAmp: chs=3, dir=In, idx=0, ofs=0",
        "  Control: name=\"Mic Jack\", index=0, device=0",
        "  Amp-In caps: ofs=0x00, nsteps=0x03, stepsize=0x2f, mute=0",
        "  Amp-In vals:  [0x00 0x00]",
        "  Amp-Out caps: ofs=0x00, nsteps=0x00, stepsize=0x00, mute=1",
        "  Amp-Out vals:  [0x80 0x80]",
        "  Pincap 0x00001734: IN OUT Detect",
        "    Vref caps: HIZ 50 GRD 80",
        "  Pin Default 0x01a19840: [Jack] Mic at Ext Rear",
        "    Conn = 1/8, Color = Pink",
        "    DefAssociation = 0x4, Sequence = 0x0",
        "  Pin-ctls: 0x24: IN VREF_80",
        "  Unsolicited: tag=02, enabled=1",
        "  Connection: 1",
        "     0x0d",
        "Node 0x19 [Pin Complex] wcaps 0x40008b: Stereo Amp-In",
        "  Control: name=\"Internal Mic Boost Volume\", index=0, device=0",
        "    ControlAmp: chs=3, dir=In, idx=0, ofs=0",
        "  Amp-In caps: ofs=0x00, nsteps=0x03, stepsize=0x2f, mute=0",
        "  Amp-In vals:  [0x00 0x00]",
        "  Pincap 0x00001724: IN Detect",
        "    Vref caps: HIZ 50 GRD 80",
        "  Pin Default 0x99a3094f: [Fixed] Mic at Int ATAPI",
        "    Conn = ATAPI, Color = Unknown",
        "    DefAssociation = 0x4, Sequence = 0xf",
        "    Misc = NO_PRESENCE",
        "  Pin-ctls: 0x24: IN VREF_80",
        "  Unsolicited: tag=00, enabled=0",
        "Node 0x1a [Pin Complex] wcaps 0x40018f: Stereo Amp-In Amp-Out",
        "  Amp-In caps: ofs=0x00, nsteps=0x03, stepsize=0x2f, mute=0",
        "  Amp-In vals:  [0x00 0x00]",
        "  Amp-Out caps: ofs=0x00, nsteps=0x00, stepsize=0x00, mute=1",
        "  Amp-Out vals:  [0x80 0x80]",
        "  Pincap 0x0000003c: IN OUT HP Detect",
        "  Pin Default 0x411111f0: [N/A] Speaker at Ext Rear",
        "    Conn = 1/8, Color = Black",
        "    DefAssociation = 0xf, Sequence = 0x0",
        "    Misc = NO_PRESENCE",
        "  Pin-ctls: 0x20: IN",
        "  Unsolicited: tag=00, enabled=0",
        "  Connection: 2",
        "     0x0c* 0x0d",
        "Node 0x1b [Pin Complex] wcaps 0x40018f: Stereo Amp-In Amp-Out",
        "  Amp-In caps: ofs=0x00, nsteps=0x03, stepsize=0x2f, mute=0",
        "  Amp-In vals:  [0x00 0x00]",
        "  Amp-Out caps: ofs=0x00, nsteps=0x00, stepsize=0x00, mute=1",
        "  Amp-Out vals:  [0x80 0x80]",
        "  Pincap 0x00000034: IN OUT Detect",
        "  Pin Default 0x411111f0: [N/A] Speaker at Ext Rear",
        "    Conn = 1/8, Color = Black",
        "    DefAssociation = 0xf, Sequence = 0x0",
        "    Misc = NO_PRESENCE",
        "  Pin-ctls: 0x20: IN",
        "  Unsolicited: tag=00, enabled=0",
        "  Connection: 2",
        "     0x0c* 0x0d",
        "Node 0x1c [Vendor Defined Widget] wcaps 0xf00000: Mono",
        "Node 0x1d [Pin Complex] wcaps 0x400000: Mono",
        "  Pincap 0x00000020: IN",
        "  Pin Default 0x40079a2d: [N/A] Line Out at Ext N/A",
        "    Conn = Analog, Color = Pink",
        "    DefAssociation = 0x2, Sequence = 0xd",
        "  Pin-ctls: 0x20: IN",
        "Node 0x1e [Pin Complex] wcaps 0x400381: Stereo Digital",
        "  Pincap 0x00000014: OUT Detect",
        "  Pin Default 0x99430130: [Fixed] SPDIF Out at Int ATAPI",
        "    Conn = ATAPI, Color = Unknown",
        "    DefAssociation = 0x3, Sequence = 0x0",
        "    Misc = NO_PRESENCE",
        "  Pin-ctls: 0x40: OUT",
        "  Unsolicited: tag=00, enabled=0",
        "  Connection: 1",
        "     0x06",
        "Node 0x1f [Vendor Defined Widget] wcaps 0xf00000: Mono",
        "Node 0x20 [Vendor Defined Widget] wcaps 0xf00040: Mono",
        "  Processing caps: benign=0, ncoeff=25",
        "Node 0x21 [Pin Complex] wcaps 0x40018d: Stereo Amp-Out",
        "  Control: name=\"Headphone Playback Switch\", index=0, device=0",
        "    ControlAmp: chs=3, dir=Out, idx=0, ofs=0",
        "  Control: name=\"Headphone Jack\", index=0, device=0",
        "  Amp-Out caps: ofs=0x00, nsteps=0x00, stepsize=0x00, mute=1",
        "  Amp-Out vals:  [0x00 0x00]",
        "  Pincap 0x0000001c: OUT HP Detect",
        "  Pin Default 0x0121401f: [Jack] HP Out at Ext Rear",
        "    Conn = 1/8, Color = Green",
        "    DefAssociation = 0x1, Sequence = 0xf",
        "  Pin-ctls: 0xc0: OUT HP",
        "  Unsolicited: tag=01, enabled=1",
        "  Connection: 2",
        "     0x0c 0x0d*",
        "Node 0x22 [Audio Selector] wcaps 0x30010b: Stereo Amp-In",
        "  Amp-In caps: N/A",
        "  Amp-In vals:  [0x00 0x00] [0x00 0x00] [0x00 0x00] [0x00 0x00] [0x00 0x00] [0x00 0x00] [0x00 0x00]",
        "  Connection: 7",
        "     0x18* 0x19 0x1a 0x1b 0x1d 0x0b 0x12",
        "Node 0x23 [Audio Mixer] wcaps 0x20010b: Stereo Amp-In",
        "  Amp-In caps: ofs=0x00, nsteps=0x00, stepsize=0x00, mute=1",
        "  Amp-In vals:  [0x80 0x80] [0x00 0x00] [0x80 0x80] [0x80 0x80] [0x80 0x80] [0x80 0x80]",
        "  Connection: 6",
        "     0x18 0x19 0x1a 0x1b 0x1d 0x0b",
        NULL
    };
    static const char *const synthetic[] = {
        "Codec: hdabdl Synthetic HDA",
        "Address: 2",
        "AFG Function Id: 0x1 (unsol 1)",
        "MFG Function Id: 0x2 (unsol 0)",
        "Vendor Id: 0x11d41984",
        "Subsystem Id: 0x17aa20bb",
        "Revision Id: 0x100400",
        "Modem Function Group: 0x2",
        "Default PCM:",
        "    rates [0x7f0]: 32000 44100 48000 88200 96000 176400 192000",
        "    bits [0x1e]: 16 20 24 32",
        "    formats [0x5]: PCM AC3",
        "Default Amp-In caps: ofs=0x27, nsteps=0x27, stepsize=0x05, mute=1",
        "Default Amp-Out caps: ofs=0x3f, nsteps=0x3f, stepsize=0x05, mute=1",
        "State of AFG node 0x01:",
        "  Power states:  D0 D1 D2 D3 EPSS",
        "  Power: setting=D0, actual=D0",
        "GPIO: io=3, o=1, i=1, unsolicited=1, wake=0",
        "  IO[0]: enable=1, dir=1, wake=0, sticky=0, data=1, unsol=0",
        "  IO[1]: enable=0, dir=0, wake=0, sticky=0, data=0, unsol=0",
        "  IO[2]: enable=1, dir=0, wake=0, sticky=0, data=0, unsol=1",
        "Node 0x03 [Audio Output] wcaps 0x6611: 8-Channels Digital",
        "  Converter: stream=0, channel=0",
        "  Digital: Enabled GenLevel",
        "  Digital category: 0x2",
        "  IEC Coding Type: 0x0",
        "  PCM:",
        "    rates [0x7f0]: 32000 44100 48000 88200 96000 176400 192000",
        "    bits [0x1e]: 16 20 24 32",
        "    formats [0x5]: PCM AC3",
        "  Power states:  D0 D3",
        "  Power: setting=D3, actual=D3",
        "Node 0x04 [Audio Output] wcaps 0x42d: Stereo Amp-Out Stripe",
        "  Amp-Out caps: ofs=0x4a, nsteps=0x4a, stepsize=0x03, mute=1",
        "  Amp-Out vals:  [0x4a 0x4a]",
        "  Converter: stream=5, channel=0",
        "  Power states:  D0 D1 D2 D3",
        "  Power: setting=D0, actual=D0",
        "Node 0x05 [Audio Input] wcaps 0x10010b: Stereo Amp-In",
        "  Amp-In caps: ofs=0x0b, nsteps=0x1f, stepsize=0x05, mute=1",
        "  Amp-In vals:  [0x97 0x97] [0x80 0x80]",
        "  Converter: stream=0, channel=0",
        "  SDI-Select: 0",
        "  Connection: 2",
        "     0x0c* 0x0d",
        "Node 0x06 [Beep Generator Widget] wcaps 0x70000c: Mono Amp-Out",
        "  Amp-Out caps: ofs=0x03, nsteps=0x03, stepsize=0x0b, mute=1",
        "  Amp-Out vals:  [0x03]",
        "Node 0x07 [Volume Knob Widget] wcaps 0x600100: Mono",
        "  Volume-Knob: delta=1, steps=127, direct=0, val=100",
        "  Connection: 2",
        "     0x04 0x0a",
        "Node 0x08 [Power Widget] wcaps 0x500500: Mono",
        "  Power states:  D0 D3",
        "  Power: setting=D0, actual=D0",
        "  Connection: 2",
        "     0x04 0x0a",
        "Node 0x09 [Pin Complex] wcaps 0x401781: Stereo Digital CP",
        "  Pincap 0x09000094: OUT Detect HBR HDMI DP",
        "  Pin Default 0x18560010: [Jack] Digital Out at Int HDMI",
        "    Conn = Digital, Color = Unknown",
        "    DefAssociation = 0x1, Sequence = 0x0",
        "  Pin-ctls: 0x40: OUT",
        "  Unsolicited: tag=03, enabled=1",
        "  Power states:  D0 D3 EPSS",
        "  Power: setting=D0, actual=D0",
        "  Devices: 3",
        "    *Dev 00: PD = 0, ELDV = 0, IA = 0",
        "     Dev 01: PD = 1, ELDV = 1, IA = 0",
        "     Dev 02: PD = 0, ELDV = 0, IA = 1",
        "  Connection: 1",
        "     0x03",
        "Node 0x0a [Pin Complex] wcaps 0x40018f: Stereo Amp-In Amp-Out",
        "  Amp-In caps: ofs=0x00, nsteps=0x03, stepsize=0x27, mute=0",
        "  Amp-In vals:  [0x00 0x00]",
        "  Amp-Out caps: ofs=0x00, nsteps=0x00, stepsize=0x00, mute=1",
        "  Amp-Out vals:  [0x80 0x80]",
        "  Pincap 0x0001173c: IN OUT HP EAPD Detect",
        "    Vref caps: HIZ 50 GRD 80",
        "  EAPD 0x2: EAPD",
        "  Pin Default 0x0221401f: [Jack] HP Out at Ext Front",
        "    Conn = 1/8, Color = Green",
        "    DefAssociation = 0x1, Sequence = 0xf",
        "  Pin-ctls: 0xc0: OUT HP VREF_HIZ",
        "  Unsolicited: tag=04, enabled=0",
        "  Connection: 2",
        "     0x04* 0x0c",
        "Node 0x0b [Vendor Defined Widget] wcaps 0xf00040: Mono",
        "  Processing caps: benign=1, ncoeff=3",
        "    Coeff 0x00: 0x1234",
        "    Coeff 0x01: 0x0000",
        "    Coeff 0x02: 0xbeef",
        "  Processing Coefficient: 0xbeef",
        "  Coefficient Index: 0x02",
        "Node 0x0c [Audio Mixer] wcaps 0x20010b: Stereo Amp-In",
        "  Amp-In caps: ofs=0x17, nsteps=0x1f, stepsize=0x05, mute=1",
        "  Amp-In vals:  [0x17 0x17] [0x80 0x80] [0x9f 0x1f]",
        "  Connection: 3",
        "     0x0a 0x04 0x05",
        "Node 0x0d [Audio Selector] wcaps 0x300101: Stereo",
        "  Connection: 3",
        "     0x0a 0x8c 0x100*",
        NULL
    };
    const char *const *lines = id == SAMPLE_ALC269VB ? alc269vb : synthetic;
    size_t len = 0;
    for (size_t i = 0; lines[i]; i++)
        len += strlen(lines[i]) + 1;
    char *text = malloc(len + 1);
    if (!text)
        return NULL;
    size_t pos = 0;
    for (size_t i = 0; lines[i]; i++) {
        size_t n = strlen(lines[i]);
        memcpy(text + pos, lines[i], n);
        pos += n;
        text[pos++] = '\n';
    }
    text[pos] = '\0';
    if (len_out)
        *len_out = pos;
    return text;
}

/* ---- A small JSON checker (RFC 8259 grammar; depth-limited) -------------------------------- */

struct jp {
    const char *p;
    const char *e;
    int depth;
};

static inline void jws(struct jp *j)
{
    while (j->p < j->e && (*j->p == ' ' || *j->p == '\n' || *j->p == '\r' || *j->p == '\t'))
        j->p++;
}

static inline bool jlit(struct jp *j, const char *lit)
{
    size_t n = strlen(lit);
    if ((size_t)(j->e - j->p) < n || memcmp(j->p, lit, n) != 0)
        return false;
    j->p += n;
    return true;
}

static inline bool jstring(struct jp *j)
{
    if (!jlit(j, "\""))
        return false;
    while (j->p < j->e && *j->p != '"') {
        unsigned char c = (unsigned char)*j->p;
        if (c < 0x20 || c >= 0x80)      /* the emitter writes ASCII only */
            return false;
        if (c == '\\') {
            j->p++;
            if (j->p >= j->e)
                return false;
            if (*j->p == 'u') {
                for (int i = 1; i <= 4; i++)
                    if (j->p + i >= j->e || !strchr("0123456789abcdefABCDEF", j->p[i]) || !j->p[i])
                        return false;
                j->p += 4;
            } else if (!strchr("\"\\/bfnrt", *j->p) || !*j->p) {
                return false;
            }
        }
        j->p++;
    }
    return jlit(j, "\"");
}

static inline bool jnumber(struct jp *j)
{
    const char *start = j->p;
    if (j->p < j->e && *j->p == '-')
        j->p++;
    if (j->p >= j->e || *j->p < '0' || *j->p > '9')
        return false;
    if (*j->p == '0' && j->p + 1 < j->e && j->p[1] >= '0' && j->p[1] <= '9')
        return false;   /* no leading zeros */
    while (j->p < j->e && *j->p >= '0' && *j->p <= '9')
        j->p++;
    return j->p > start;
}

static inline bool jvalue(struct jp *j);

static inline bool jcontainer(struct jp *j, char open, char close, bool object)
{
    if (!jlit(j, (char[]){ open, 0 }))
        return false;
    if (++j->depth > 32)
        return false;
    jws(j);
    if (jlit(j, (char[]){ close, 0 })) {
        j->depth--;
        return true;
    }
    for (;;) {
        jws(j);
        if (object) {
            if (!jstring(j))
                return false;
            jws(j);
            if (!jlit(j, ":"))
                return false;
            jws(j);
        }
        if (!jvalue(j))
            return false;
        jws(j);
        if (jlit(j, ","))
            continue;
        if (jlit(j, (char[]){ close, 0 }))
            break;
        return false;
    }
    j->depth--;
    return true;
}

static inline bool jvalue(struct jp *j)
{
    if (j->p >= j->e)
        return false;
    switch (*j->p) {
    case '{': return jcontainer(j, '{', '}', true);
    case '[': return jcontainer(j, '[', ']', false);
    case '"': return jstring(j);
    case 't': return jlit(j, "true");
    case 'f': return jlit(j, "false");
    case 'n': return jlit(j, "null");
    default:  return jnumber(j);
    }
}

static inline bool json_valid(const char *text, size_t len)
{
    struct jp j = { text, text + len, 0 };
    jws(&j);
    if (!jvalue(&j))
        return false;
    jws(&j);
    return j.p == j.e;
}

#endif /* HDABDL_TEST_CODEC_UTIL_H */
