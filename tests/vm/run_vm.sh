#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# run_vm.sh - the hdabdl guest tests: QEMU's intel-hda driven by the hdabdl
# CLI inside a Linux guest, checked on the host.
#
#   tests/vm/run_vm.sh kmod --out DIR
#       Build kmod/hdabdl_demo.ko into DIR for the kernel found below, against
#       its headers in /lib/modules/<release>/build (linux-headers-amd64).
#   tests/vm/run_vm.sh initrd --cli HDABDL [--kmod KO] --out INITRD.gz
#       Build the guest's initramfs (mkinitramfs.sh) with the guest CLI (and
#       the demo module), for the kernel found below.
#   tests/vm/run_vm.sh run SCENARIO --initrd INITRD.gz --host-cli HDABDL
#                      --wav-check HDABDL_WAV_CHECK --work DIR
#       Boot a guest for SCENARIO (tests/vm/scenarios/SCENARIO.sh runs inside),
#       then check its results on the host. Exit 0 when every check passes.
#
# Scenarios (machine, codec, audiodev; what the host checks):
#   play_vfio     intel-iommu, hda-output, wav: QEMU's WAV holds a clean 997 Hz
#                 sine of 2 s after a short leading silence (frequency, level,
#                 no gap or step anywhere, BDL wraps included)
#   play_uio      no vIOMMU, hda-output, wav: the same through uio_pci_generic;
#                 refusals without --allow-uio (exit 2) and in vfio mode (exit 3)
#   inspect       intel-iommu, hda-duplex, wav: list/info/regs/codecs/verbs;
#                 GCAP 0x4401, codec vendor 0x1af4; the codec dump loads into
#                 the mock and walks back identical there (real -> mock)
#   capture       intel-iommu, hda-duplex, none: capture runs 2 s in real time
#                 and records exactly 2 s (silence from QEMU's none audiodev)
#   kill_restart  intel-iommu, hda-duplex, wav: SIGTERM -> exit 143 and no
#                 stream left running; SIGKILL mid-stream, then a new run whose
#                 last 2 s in QEMU's WAV are a clean 997 Hz sine
#   kmod_play     intel-iommu, hda-output, wav: the kernel module hdabdl_demo
#                 (the core inside the guest kernel) plays 997 Hz for 2 s; each
#                 DDI step logged with SUCCESS, "done", rmmod, no kernel
#                 warning; QEMU's WAV holds the clean sine
#   kmod_rmmod    no vIOMMU, hda-output, wav: rmmod mid-play stops and frees
#                 everything; insmod again plays; unbind and bind play again;
#                 the last 2 s of QEMU's WAV are a clean 997 Hz sine
#
# Needs qemu-system-x86_64, a kernel in /boot with its modules in /lib/modules
# (Debian: linux-image-amd64), busybox-static and cpio (for the initramfs).
# When one is missing it prints "SKIP: ..." and exits 0, unless
# HDABDL_VM_REQUIRE=1 (CI), where that is a failure.
#
# KVM is used when /dev/kvm is usable and is not the PVM variant
# (/sys/module/kvm_pvm), else TCG; HDABDL_VM_ACCEL=tcg|kvm overrides.
set -uo pipefail

here="$(cd "$(dirname "$0")" && pwd)"

die() {
    echo "run_vm: $*" >&2
    exit 1
}

skip() {
    if [ "${HDABDL_VM_REQUIRE:-0}" = "1" ]; then
        echo "run_vm: $* (HDABDL_VM_REQUIRE=1: this is a failure)" >&2
        exit 1
    fi
    echo "SKIP: $*"
    exit 0
}

# The newest kernel in /boot that has its modules; sets kernel and kver.
find_kernel() {
    kernel=""
    kver=""
    local k v
    for k in $(ls -1 /boot/vmlinuz-* 2>/dev/null | sort -V); do
        v="${k#/boot/vmlinuz-}"
        if [ -r "$k" ] && [ -f "/lib/modules/$v/modules.dep" ]; then
            kernel="$k"
            kver="$v"
        fi
    done
    [ -n "$kernel" ]
}

cmd_kmod() {
    local out=""
    while [ "$#" -gt 0 ]; do
        case "$1" in
        --out) out="$2"; shift 2 ;;
        *) die "kmod: unknown argument $1" ;;
        esac
    done
    [ -n "$out" ] || die "kmod: --out is required"
    find_kernel || skip "no kernel in /boot with modules in /lib/modules (apt-get install linux-image-amd64)"
    [ -d "/lib/modules/$kver/build" ] ||
        skip "no headers for $kver in /lib/modules/$kver/build (apt-get install linux-headers-amd64)"
    mkdir -p "$out"
    make -C "$here/../../kmod" KDIR="/lib/modules/$kver/build" OUT="$out" || die "kmod: the module did not build"
    echo "run_vm: kmod: $out/hdabdl_demo.ko for $kver ($(stat -c %s "$out/hdabdl_demo.ko") bytes)"
}

cmd_initrd() {
    local cli="" out="" ko=""
    while [ "$#" -gt 0 ]; do
        case "$1" in
        --cli) cli="$2"; shift 2 ;;
        --kmod) ko="$2"; shift 2 ;;
        --out) out="$2"; shift 2 ;;
        *) die "initrd: unknown argument $1" ;;
        esac
    done
    [ -n "$cli" ] && [ -n "$out" ] || die "initrd: --cli and --out are required"
    find_kernel || skip "no kernel in /boot with modules in /lib/modules (apt-get install linux-image-amd64)"
    command -v cpio >/dev/null || skip "cpio not installed (apt-get install cpio)"
    { [ -x /bin/busybox ] || [ -x /usr/bin/busybox ]; } || skip "busybox not installed (apt-get install busybox-static)"
    local extra=()
    if [ -n "$ko" ]; then
        [ -f "$ko" ] || skip "no demo module at $ko (the vm_kmod test builds it)"
        extra=("$ko")
    fi
    bash "$here/mkinitramfs.sh" "$out" "$kver" "$cli" "${extra[@]}"
}

# ---- Scenario machines --------------------------------------------------------------

# scenario_config NAME: sets codec, audiodev (wav|none), iommu (yes|no).
scenario_config() {
    case "$1" in
    play_vfio) codec=hda-output; audiodev=wav; iommu=yes ;;
    play_uio) codec=hda-output; audiodev=wav; iommu=no ;;
    inspect) codec=hda-duplex; audiodev=wav; iommu=yes ;;
    capture) codec=hda-duplex; audiodev=none; iommu=yes ;;
    kill_restart) codec=hda-duplex; audiodev=wav; iommu=yes ;;
    kmod_play) codec=hda-output; audiodev=wav; iommu=yes ;;
    kmod_rmmod) codec=hda-output; audiodev=wav; iommu=no ;;
    *) die "unknown scenario '$1'" ;;
    esac
}

pick_accel() {
    case "${HDABDL_VM_ACCEL:-auto}" in
    tcg) accel=tcg ;;
    kvm) accel=kvm ;;
    *)
        if [ -e /sys/module/kvm_pvm ]; then
            accel=tcg   # a PVM /dev/kvm runs only specially built guest kernels
        elif [ -r /dev/kvm ] && [ -w /dev/kvm ] && [ -e /sys/module/kvm ]; then
            accel=kvm
        else
            accel=tcg
        fi
        ;;
    esac
}

# ---- Results ---------------------------------------------------------------------------

failures=0
check() {   # check DESCRIPTION COMMAND...: run a check, count failures
    local what="$1"
    shift
    if "$@"; then
        echo "  ok: $what"
    else
        echo "  FAIL: $what"
        failures=$((failures + 1))
    fi
}

rc_of() { cat "$res/$1.rc" 2>/dev/null || echo missing; }
has_rc() { [ "$(rc_of "$1")" = "$2" ]; }
out_has() { [ -f "$res/$1" ] && grep -Eq -- "$2" "$res/$1"; }
out_lacks() { [ -f "$res/$1" ] && ! grep -Eq -- "$2" "$res/$1"; }

show_step() {   # the guest's output and exit code of one step
    echo "---- guest: $1 (exit $(rc_of "$1"))"
    if [ -f "$res/$1" ]; then sed 's/^/    /' "$res/$1"; fi
}

guest_seconds() {   # guest seconds a step took, from its .time section
    awk '{ printf "%.2f", $2 - $1 }' "$res/$1.time" 2>/dev/null || echo "?"
}

wav_check() {   # wav_check ARGS...: the host-side WAV checker, output indented
    "$wavcheck" "$@" 2>&1 | sed 's/^/    /'
    return "${PIPESTATUS[0]}"
}

# QEMU's codec drops its 8 KiB buffer (43 ms) when its audio timer runs late on
# a busy host; it says so with the trace event hda_audio_overrun. The WAV check
# then accepts that many cuts (each piece must still be a clean sine), and
# 45 ms less sound per cut.
overruns() { grep -c '^hda_audio_overrun' "$work/qemu-trace.log" 2>/dev/null || true; }

drop_args() {
    local n
    n=$(overruns)
    n=${n:-0}
    if [ "$n" -gt 0 ]; then
        echo "    note: QEMU reported $n overrun(s) of its codec buffer (host too busy): $n cut(s) allowed" >&2
    fi
    echo "--allow-drops $n --tolerance-ms $((100 + 45 * n))"
}

# The sine is 997 Hz: a fragment (100 ms) is not a whole number of its
# periods, so a stale fragment played again (an underrun) is a phase jump.
check_play_wav() {   # the sine in QEMU's WAV: leading silence allowed
    # shellcheck disable=SC2046
    wav_check "$work/qemu.wav" --sine 997 --seconds 2 --amplitude 0.5 --lead-in-max 3 \
        --fragment-ms 100 --fragments 4 $(drop_args)
}

# ---- Host-side checks per scenario ------------------------------------------------------

check_play_vfio() {
    show_step list
    show_step play
    check "list shows the controller bound to vfio-pci, usable in mode vfio" \
        out_has list "vfio-pci +[0-9]+ +vfio"
    check "play exits 0 (guest took $(guest_seconds play) s)" has_rc play 0
    check "play ran in real time and got completion interrupts" \
        out_has play "^played 2\.[0-9]+ s of audio .* [1-9][0-9]* buffer completions"
    check "the codec path read back as set" out_has play "codec_program: STATUS_SUCCESS.* 0 unanswered, 0 read back wrong"
    check "QEMU's SRST quirk was applied by PCI identity" out_has play "subsystem 1af4:"
    check "QEMU's WAV holds a clean 997 Hz sine of 2 s" check_play_wav
}

check_play_uio() {
    show_step refuse_no_opt_in
    show_step refuse_vfio_mode
    show_step play
    check "list shows uio_pci_generic, mode uio" out_has list "uio_pci_generic +- +uio"
    check "--mode uio without --allow-uio is a usage error (exit 2)" has_rc refuse_no_opt_in 2
    check "the refusal says why" out_has refuse_no_opt_in "bypasses the IOMMU.*--allow-uio"
    check "vfio mode on a uio-bound device: device unavailable (exit 3)" has_rc refuse_vfio_mode 3
    check "play through uio exits 0 (guest took $(guest_seconds play) s)" has_rc play 0
    check "the warning about uio was given" out_has play "warning: uio mode"
    check "play ran in real time" out_has play "^played 2\.[0-9]+ s of audio"
    check "QEMU's WAV holds a clean 997 Hz sine of 2 s" check_play_wav
}

codecs_roundtrip() {   # the guest's dump loads into the mock and walks back identical
    "$hostcli" codecs --codec-file "$res/codecs" --check >"$work/host_codecs_check.txt" 2>&1 &&
        grep -q "walk == given codec" "$work/host_codecs_check.txt" &&
        "$hostcli" codecs --codec-file "$res/codecs" >"$work/host_codecs.txt" 2>&1 &&
        cmp -s "$work/host_codecs.txt" "$res/codecs"
}

mock_plays_qemu_codec() {   # the mock, given QEMU's codec, plays through it
    "$hostcli" play --codec-file "$res/codecs" --seconds 0.5 --out "$work/mock_play.wav" \
        >"$work/host_mock_play.txt" 2>&1 &&
        "$wavcheck" "$work/mock_play.wav" --sine 1000 --seconds 0.5 >>"$work/host_mock_play.txt" 2>&1
}

check_inspect() {
    for step in list_unbound info_unbound list list_json regs_as_found info info_json regs codecs \
        codecs_json verbs regs_after; do
        show_step "$step"
    done
    check "list before binding: no driver, and what to do" out_has list_unbound "\(none\).*-$|no driver: bind vfio-pci"
    check "info on an unbound controller: device unavailable (exit 3)" has_rc info_unbound 3
    check "list after binding: vfio-pci, IOMMU group, mode vfio" out_has list "vfio-pci +[0-9]+ +vfio"
    check "list --json names the binding and modes" out_has list_json '"binding": "vfio-pci".*"modes": \["vfio"\]'
    check "info exits 0" has_rc info 0
    check "info: GCAP 0x4401 decoded (4 out, 4 in, 0 bidir, 1 SDO)" \
        out_has info "^GCAP: +0x4401: 4 output, 4 input, 0 bidirectional engines; 1 SDO line"
    check "info: HDA version 1.0" out_has info "^HDA version: +1\.0"
    check "info: PCI IDs 8086:2668, QEMU subsystem 1af4, SRST quirk" \
        out_has info "^PCI IDs: +8086:2668, subsystem 1af4:"
    check "info: the SRST_NO_ACK quirk is in effect" out_has info "^quirks: +.*SRST_NO_ACK"
    check "info: a QEMU codec (vendor 0x1af4) at address 0" out_has info "^codec 0: +vendor 0x1af4"
    check "info: output and input paths of hda-duplex" \
        out_has info "output path: DAC 0x02 -> Pin 0x03" 
    check "info: input path" out_has info "input path: +Pin 0x05 .* -> ADC 0x04"
    check "info: verbs went through the CORB/RIRB, none timed out" out_has info "^verbs: +CORB/RIRB.* 0 timed out"
    check "info --json: gcap and codec vendor" out_has info_json '"gcap": "0x4401"'
    check "info --json: codec vendor" out_has info_json '"vendor_id": "0x1af4'
    check "regs exits 0" has_rc regs 0
    check "regs: GCAP 0x4401 with its fields" out_has regs "^GCAP +0x0000 +16 +0x4401 +OSS=4 ISS=4 BSS=0 NSDO=0 64OK=1"
    check "regs --open: controller running (CRST=1), CORB and RIRB DMA on" \
        out_has regs "^GCTL .*CRST=1"
    check "regs --open: CORBRUN=1" out_has regs "^CORBCTL .*CORBRUN=1"
    check "regs --open: RIRBDMAEN=1 RINTCTL=1" out_has regs "^RIRBCTL .*RIRBDMAEN=1 RINTCTL=1"
    check "regs: 8 stream descriptors (4 in, 4 out)" out_has regs "^stream descriptor 7 \(output 3\)"
    check "regs after close: controller back in reset" out_has regs_after "^GCTL .*CRST=0"
    check "codecs exits 0" has_rc codecs 0
    check "codecs: QEMU's codec, vendor 0x1af4" out_has codecs "^Vendor Id: 0x1af4"
    check "codecs: a DAC and an ADC" out_has codecs "Node 0x04 \[Audio Input\]"
    check "codecs --json: vendor" out_has codecs_json '"vendor_id"'
    check "the dump loads into the mock and walks back identical (real -> mock)" codecs_roundtrip
    check "the mock plays a clean sine through QEMU's codec" mock_plays_qemu_codec
    check "verbs: vendor ID 0x1af4xxxx" out_has verbs "^value = 0x1af4"
    check "verbs exits 0" has_rc verbs 0
}

check_capture_wav() {
    [ -f "$res/capture_wav.base64" ] && base64 -d "$res/capture_wav.base64" >"$work/capture.wav" &&
        wav_check "$work/capture.wav" --silence --seconds 2
}

check_capture() {
    show_step capture
    show_step regs_after
    check "capture exits 0 (guest took $(guest_seconds capture) s)" has_rc capture 0
    check "capture recorded 2 s in real time" \
        out_has capture "^recorded 2\.000 s \(96000 frames, .*\) in (1\.9|2\.|3\.)[0-9]* s wall time"
    check "capture found hda-duplex's line in" out_has capture "input path: Pin 0x05 .* -> ADC 0x04"
    check "capture's WAV: exactly 2 s of silence (QEMU's none audiodev)" check_capture_wav
    check "no stream left running" out_lacks regs_after "RUN=1"
}

check_kill_restart() {
    for step in play_term regs_after_term play_kill regs_after_kill play; do
        show_step "$step"
    done
    check "SIGTERM: exit 143 (128 + 15)" has_rc play_term 143
    check "SIGTERM: the teardown ran (paused, released, reset, closed)" \
        out_has play_term "stopped by SIGTERM: engine paused and reset"
    check "SIGTERM: the engine was reset" out_has play_term "set_dma_engine_state\(RESET\): STATUS_SUCCESS"
    check "after SIGTERM: controller in reset, no stream running" out_has regs_after_term "^GCTL .*CRST=0"
    check "after SIGTERM: no RUN bit" out_lacks regs_after_term "RUN=1"
    check "SIGKILL: exit 137" has_rc play_kill 137
    check "the next run exits 0" has_rc play 0
    check "the next run played 2 s" out_has play "^played 2\.[0-9]+ s of audio"
    check "after SIGKILL the controller was left running (CRST=1): nothing cleaned up" \
        out_has regs_after_kill "^GCTL .*CRST=1"
    # shellcheck disable=SC2046
    check "QEMU's WAV ends with a clean 997 Hz sine of 2 s" \
        wav_check "$work/qemu.wav" --sine 997 --seconds 2 --amplitude 0.5 --last $(drop_args)
}

# in_order FILE REGEX...: the patterns match lines of FILE in this order.
in_order() {
    local file="$res/$1"
    shift
    [ -f "$file" ] || return 1
    PATS="$(printf '%s\n' "$@")" awk '
        BEGIN { n = split(ENVIRON["PATS"], p, "\n"); i = 1 }
        i <= n && $0 ~ p[i] { i++ }
        END { exit i <= n }' "$file"
}

# The guest kernel's log must hold no warning the kernel can report.
kernel_clean() {
    out_lacks dmesg "WARNING:|BUG:|Call Trace|lockdep|possible circular|DMA-API|sleeping function|scheduling while atomic|general protection"
}

check_kmod_play() {
    show_step insmod_bad
    show_step insmod
    show_step demo_log
    show_step rmmod
    check "freq=0: the probe refuses it and says why" out_has demo_log "hdabdl_demo: freq must be 1\.\.23999 Hz"
    check "freq=0: nothing was opened (one controller_open in all, after the refusal)" \
        sh -c "[ \$(grep -c 'hdabdl_demo: controller_open' '$res/demo_log') -eq 1 ]"
    check "the refusal came first" in_order demo_log "freq must be" "controller_open: STATUS_SUCCESS"
    check "insmod returns at once with exit 0" has_rc insmod 0
    check "controller_open: STATUS_SUCCESS" out_has demo_log "hdabdl_demo: controller_open: STATUS_SUCCESS"
    check "an output path on the first codec" out_has demo_log "hdabdl_demo: codec 0 output path: DAC 0x02"
    check "setup_dma_engine_with_bdl: STATUS_SUCCESS" \
        out_has demo_log "hdabdl_demo: setup_dma_engine_with_bdl: STATUS_SUCCESS"
    check "set_dma_engine_state(RUN): STATUS_SUCCESS" \
        out_has demo_log "hdabdl_demo: set_dma_engine_state\(RUN\): STATUS_SUCCESS"
    check "no DDI step failed" out_lacks demo_log ": STATUS_(UNSUCCESSFUL|INVALID|INSUFFICIENT|DEVICE|IO_|NO_|NOT_)"
    check "the demo played 20 fragments and ends with done" out_has demo_log "hdabdl_demo: played 2[0-9] fragments"
    check "the log ends with hdabdl_demo: done" out_has demo_log "hdabdl_demo: done"
    check "rmmod exits 0 and unbinds" has_rc rmmod 0
    check "unbound after rmmod" out_has demo_log "hdabdl_demo: [0-9a-f:.]+: unbound"
    check "no kernel warning in the guest's log" kernel_clean
    check "QEMU's WAV holds a clean 997 Hz sine of 2 s" check_play_wav
}

check_kmod_rmmod() {
    show_step demo_log
    for step in insmod_long rmmod_mid insmod unbind bind rmmod; do
        show_step "$step"
        check "$step exits 0" has_rc "$step" 0
    done
    check "rmmod mid-play stopped the engine early" out_has demo_log "hdabdl_demo: stopped early \(module removed\)"
    check "after the early stop: paused, reset, freed, closed, done, unbound (in that order)" \
        in_order demo_log "stopped early" "set_dma_engine_state\(PAUSE\): STATUS_SUCCESS" \
        "set_dma_engine_state\(RESET\): STATUS_SUCCESS" "free_contiguous_dma_buffer: STATUS_SUCCESS" \
        "free_dma_engine: STATUS_SUCCESS" "controller_close" "hdabdl_demo: done" "unbound"
    check "the stopped run, the second insmod and the rebind each end with done" \
        sh -c "[ \$(grep -c 'hdabdl_demo: done' '$res/demo_log') -eq 3 ]"
    check "no DDI step failed" out_lacks demo_log ": STATUS_(UNSUCCESSFUL|INVALID|INSUFFICIENT|DEVICE|IO_|NO_|NOT_)|hdabdl_demo: failed:"
    check "no kernel warning in the guest's log" kernel_clean
    # shellcheck disable=SC2046
    check "QEMU's WAV ends with a clean 997 Hz sine of 2 s" \
        wav_check "$work/qemu.wav" --sine 997 --seconds 2 --amplitude 0.5 --last $(drop_args)
}

# ---- Run -----------------------------------------------------------------------------------

cmd_run() {
    local scenario="$1"
    shift
    local initrd="" timeout_s="${HDABDL_VM_TIMEOUT:-240}"
    hostcli=""
    wavcheck=""
    work=""
    while [ "$#" -gt 0 ]; do
        case "$1" in
        --initrd) initrd="$2"; shift 2 ;;
        --host-cli) hostcli="$2"; shift 2 ;;
        --wav-check) wavcheck="$2"; shift 2 ;;
        --work) work="$2"; shift 2 ;;
        *) die "run: unknown argument $1" ;;
        esac
    done
    [ -n "$initrd" ] && [ -n "$hostcli" ] && [ -n "$wavcheck" ] && [ -n "$work" ] ||
        die "run: --initrd, --host-cli, --wav-check and --work are required"
    scenario_config "$scenario"
    command -v qemu-system-x86_64 >/dev/null ||
        skip "qemu-system-x86_64 not installed (apt-get install qemu-system-x86)"
    find_kernel || skip "no kernel in /boot with modules in /lib/modules (apt-get install linux-image-amd64)"
    [ -f "$initrd" ] || skip "no initramfs at $initrd (the vm_initramfs test builds it)"
    pick_accel

    work="$work/$scenario"
    res="$work/results"
    rm -rf "$work"
    mkdir -p "$res"

    local machine=(-machine q35) cpu=() append="console=ttyS0 panic=-1 quiet no_timer_check hdabdl.scenario=$scenario"
    if [ "$accel" = kvm ]; then
        machine=(-machine q35,kernel-irqchip=split)
        cpu=(-cpu host)
    fi
    local iommu_dev=()
    if [ "$iommu" = yes ]; then
        iommu_dev=(-device intel-iommu,intremap=on)
    fi
    local audio
    if [ "$audiodev" = wav ]; then
        audio="wav,id=snd0,path=$work/qemu.wav,out.frequency=48000,out.channels=2,out.format=s16"
    else
        audio="none,id=snd0,in.frequency=48000,in.channels=2,in.format=s16,out.frequency=48000,out.channels=2,out.format=s16"
    fi
    local qemu=(qemu-system-x86_64 -accel "$accel" "${machine[@]}" "${cpu[@]}" -m 512M -smp 1
        -nodefaults -no-reboot -display none "${iommu_dev[@]}"
        -device intel-hda,id=hda,bus=pcie.0,addr=0x1b -device "$codec,audiodev=snd0"
        -audiodev "$audio"
        -serial "file:$work/console.txt" -serial "file:$work/data.txt"
        -trace hda_audio_overrun -trace hda_audio_running -D "$work/qemu-trace.log"
        -kernel "$kernel" -initrd "$initrd" -append "$append")
    printf '%q ' "${qemu[@]}" >"$work/qemu-command.txt"
    echo "run_vm: $scenario: $accel, q35, $([ "$iommu" = yes ] && echo "intel-iommu intremap=on" || echo "no vIOMMU"), intel-hda + $codec, audiodev $audiodev; kernel $kver"

    local t0 t1 qrc
    t0=$(date +%s.%N)
    timeout --signal=TERM --kill-after=10 "$timeout_s" "${qemu[@]}" >"$work/qemu-stdout.txt" 2>&1
    qrc=$?
    t1=$(date +%s.%N)
    local wall
    wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')

    # Split the data port into results/NAME and results/NAME.rc.
    awk -v dir="$res" '
        /^@@@BEGIN / { name = $2; file = dir "/" name; printf "" > file; inside = 1; next }
        /^@@@END / {
            if (inside) { close(file); rcf = dir "/" $2 ".rc"; print $3 > rcf; close(rcf) }
            inside = 0; next
        }
        inside { print >> file }
    ' "$work/data.txt" 2>/dev/null

    local booted="?"
    booted=$(sed -n 's/.*hdabdl-vm: booted in \([0-9.]*\) s.*/\1/p' "$work/console.txt" 2>/dev/null | head -n1)
    echo "run_vm: $scenario: QEMU exited $qrc after $wall s (guest booted in ${booted:-?} s, scenario status $(rc_of scenario))"
    if [ "$qrc" -ne 0 ] || [ ! -f "$res/scenario.rc" ]; then
        echo "run_vm: $scenario: the guest did not finish (QEMU exit $qrc; timeout ${timeout_s}s). Console:"
        tail -n 60 "$work/console.txt" 2>/dev/null | sed 's/^/    /'
        sed 's/^/    qemu: /' "$work/qemu-stdout.txt"
        failures=$((failures + 1))
    fi
    if [ "$audiodev" = wav ] && [ -f "$work/qemu.wav" ]; then
        echo "run_vm: $scenario: QEMU's WAV: $(stat -c %s "$work/qemu.wav") bytes"
    fi

    "check_$scenario"
    echo "run_vm: $scenario: $failures check(s) failed; QEMU wall time $wall s; files in $work"
    [ "$failures" -eq 0 ]
}

case "${1:-}" in
kmod) shift; cmd_kmod "$@" ;;
initrd) shift; cmd_initrd "$@" ;;
run) shift; [ "$#" -ge 1 ] || die "run: SCENARIO missing"; cmd_run "$@" ;;
*) die "usage: $0 initrd --cli HDABDL --out INITRD.gz | run SCENARIO --initrd F --host-cli H --wav-check W --work DIR" ;;
esac
