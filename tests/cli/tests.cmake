# SPDX-License-Identifier: MIT
# tests/cli/tests.cmake - CTest registration of the CLI tests for list, info,
# regs, capture, play --in, the target options (--backend/--device/--mode/
# --allow-uio), extra words, undefined 4-bit verbs, codec dumps that end early
# (tests/cli/cut_*.txt) or are not dumps (header_only.txt, nul_bytes.txt), and
# signals. Included from CMakeLists.txt inside its CLI test section, where _cli
# (the tool), _expect (HdabdlRunExpect.cmake), _cli_dir (tests/cli), _three
# (three_codecs.txt) and _cli_work (a scratch folder, fixture cli_work) are set.

set(_wav_check "$<TARGET_FILE:hdabdl_wav_check>")

# Cases are name|exit code|output regex|arguments separated by ^ (as in CMakeLists.txt);
# no square brackets in them (they change how CMake splits lists).
set(_cli_more_cases
    "cli_help_lists_commands|0|list .*info .*regs .*codecs .*verbs .*play .*capture .*Exit codes.*3 +device unavailable.*128\\+N|--help"
    "cli_list_help|0|Usage: hdabdl list .--json.|list^--help"
    "cli_info_help|0|Usage: hdabdl info .*--device BDF.*--allow-uio|info^--help"
    "cli_regs_help|0|Usage: hdabdl regs .*--open|regs^--help"
    "cli_capture_help|0|Usage: hdabdl capture .*--seconds N.*--out FILE.wav|capture^--help"
    "cli_unknown_backend_bogus|2|backend 'bogus' is not available in this build|play^--backend^bogus^--out^x.wav"
    "cli_device_on_mock|2|--device, --mode and --allow-uio are for real controllers|info^--backend^mock^--device^00:1b.0"
    "cli_capture_no_out|2|--out FILE.wav is required|capture"
    "cli_play_in_and_sine|2|--in FILE plays the file: --sine and --amplitude are for the sine|play^--in^x.wav^--sine^440^--out^y.wav"
    "cli_play_in_missing|1|cannot open ${_cli_work}/no-such.wav|play^--in^${_cli_work}/no-such.wav^--out^${_cli_work}/y.wav"
    # the mock: info, regs as found and after open, capture, its verbs
    "cli_info_mock|0|GCAP: +0x4401: 4 output, 4 input, 0 bidirectional engines.*codec 0: +vendor 0x1af40022.*output path: DAC 0x02 -> Pin 0x03.*input path: +Pin 0x05 \\(Mic, Jack\\) -> ADC 0x04|info"
    "cli_info_mock_json|0|\"gcap\": \"0x4401\".*\"codecs\": .*\"vendor_id\": \"0x1af40022\".*\"input_path\": \"Pin 0x05|info^--json"
    "cli_regs_mock|0|as found.*GCAP +0x0000 +16 +0x4401 +OSS=4 ISS=4 BSS=0 NSDO=0 64OK=1.*GCTL +0x0008 +32 +0x00000000 .*CRST=0.*stream descriptor 7 \\(output 3\\) at 0x160.*SD7LPIB\\(a\\) +0x2164|regs"
    "cli_regs_mock_open|0|after hdabdl_controller_open.*GCTL .*CRST=1.*CORBCTL .*CORBRUN=1.*RIRBCTL .*RIRBDMAEN=1 RINTCTL=1|regs^--open"
    # extra words are usage errors that name the word, never ignored
    "cli_version_extra_word_is_a_usage_error|2|unexpected argument 'extra' after --version|--version^extra"
    "cli_help_extra_word_is_a_usage_error|2|unexpected argument 'extra' after --help|--help^extra"
    "cli_help_command_extra_word_is_a_usage_error|2|unexpected argument 'extra' after 'help verbs'|help^verbs^extra"
    "cli_info_extra_word_is_a_usage_error|2|hdabdl info: unexpected argument 'extra'|info^extra"
    "cli_codecs_extra_word_is_a_usage_error|2|hdabdl codecs: unexpected argument 'extra'|codecs^extra"
    "cli_verbs_left_over_word_is_named|2|5 numbers given: each verb takes four .CAD NID VERB PAYLOAD.. left over: 'extra'|verbs^0^1^0xf00^0^extra"
    # 4-bit verbs HDA does not define (only 0x2..0x5 and 0xa..0xd)
    "cli_verbs_verb_8_is_not_a_verb|2|VERB '0x8' is not a verb: .*4-bit verbs 0x2..0x5 and 0xa..0xd|verbs^0^1^0x8^0"
    "cli_verbs_verb_800_is_not_a_verb|2|VERB '0x800' is not a verb|verbs^0^1^0x800^0"
    "cli_verbs_verb_6_is_not_a_verb|2|VERB '0x6' is not a verb|verbs^0^1^0x6^0"
    "cli_verbs_verb_900_is_not_a_verb|2|VERB '0x900' is not a verb|verbs^0^1^0x900^0"
    "cli_verbs_verb_a_is_a_verb|0|nid = 0x02, verb = 0xa, param = 0x0000.value = 0x00000011|verbs^0^2^0xa^0"
    # codec dumps that end early warn (exit 0), or with --strict fail (exit 1)
    "cli_strict_needs_a_codec_file|2|--strict checks the dump of --codec-file FILE. there is none|codecs^--strict"
    "cli_codecs_cut_mid_node_warns_and_prints|0|cut_mid_node.txt:34: warning: the dump ends early: node 0x03 \\(line 31\\) has no 'Pin Default' line.*Codec: .*Node 0x03 .Pin Complex.|codecs^--codec-file^${_cli_dir}/cut_mid_node.txt"
    "cli_codecs_cut_mid_node_strict_fails|1|cut_mid_node.txt:34: the dump ends early: node 0x03.*cut_mid_node.txt: the dump ends early. --strict refuses it|codecs^--strict^--codec-file^${_cli_dir}/cut_mid_node.txt"
    "cli_codecs_cut_mid_line_warns_twice|0|cut_mid_line.txt:41: warning: the dump ends early: the text stops in the middle of this line.*cut_mid_line.txt:40: warning: the dump ends early: the text ends after 'Connection: 3' of node 0x03|codecs^--codec-file^${_cli_dir}/cut_mid_line.txt"
    "cli_verbs_cut_mid_node_warns_and_answers|0|cut_mid_node.txt:34: warning: the dump ends early.*value = 0x1af40044|verbs^--codec-file^${_cli_dir}/cut_mid_node.txt^0^0^0xf00^0"
    "cli_verbs_cut_mid_node_strict_fails|1|--strict refuses it|verbs^--strict^--codec-file^${_cli_dir}/cut_mid_node.txt^0^0^0xf00^0"
    "cli_play_cut_mid_line_strict_fails|1|cut_mid_line.txt:41: the dump ends early.*--strict refuses it|play^--strict^--codec-file^${_cli_dir}/cut_mid_line.txt^--out^${_cli_work}/cut.wav"
    "cli_capture_cut_mid_node_strict_fails|1|cut_mid_node.txt: the dump ends early. --strict refuses it|capture^--strict^--codec-file^${_cli_dir}/cut_mid_node.txt^--out^${_cli_work}/cut.wav"
    "cli_codecs_strict_takes_a_whole_dump|0|Codec: QEMU ID 11.Address: 0.*Codec: QEMU ID 33.Address: 2|codecs^--strict^--codec-file^${_three}"
    # not codec dumps: refused, naming file and line (exit 1, a file failed)
    "cli_codecs_header_only_is_not_a_codec_dump|1|header_only.txt:6: not a codec dump: codec 'Realtek ALC269' has no node, no function group and no 'Address:' line|codecs^--codec-file^${_cli_dir}/header_only.txt"
    "cli_codecs_nul_bytes_are_not_a_codec_dump|1|nul_bytes.txt:7: not a codec dump: a NUL byte at offset 215|codecs^--codec-file^${_cli_dir}/nul_bytes.txt"
)
foreach(_case IN LISTS _cli_more_cases)
    string(REPLACE "|" ";" _parts "${_case}")
    list(GET _parts 0 _name)
    list(GET _parts 1 _exit)
    list(GET _parts 2 _regex)
    list(GET _parts 3 _args)
    string(REPLACE "^" ";" _args "${_args}")
    add_test(NAME ${_name} COMMAND "${CMAKE_COMMAND}" -DEXPECT_EXIT=${_exit}
        "-DEXPECT_OUTPUT=${_regex}" -P "${_expect}" -- "${_cli}" ${_args})
    set_tests_properties(${_name} PROPERTIES
        TIMEOUT 60 LABELS "cli" FIXTURES_REQUIRED cli_work ENVIRONMENT "${HDABDL_TEST_ENVIRONMENT}")
endforeach()

# Capture on the mock (its input converters get a sine), then check the WAV;
# play that WAV back with --in: what reaches the DAC is the same sine.
add_test(NAME cli_capture_mock COMMAND "${CMAKE_COMMAND}" -DEXPECT_EXIT=0
    "-DEXPECT_OUTPUT=input path: Pin 0x05 \\(Mic, Jack\\) -> ADC 0x04.*codec_program: STATUS_SUCCESS .* 0 unanswered, 0 read back wrong.*recorded 2\\.000 s \\(96000 frames.*0 illegal accesses, 0 DMA blocks leaked.*wrote "
    -P "${_expect}" -- "${_cli}" capture --seconds 2 --sine 440 --amplitude 0.3
    --out "${_cli_work}/capture_mock.wav")
add_test(NAME wav_check_capture_mock COMMAND hdabdl_wav_check "${_cli_work}/capture_mock.wav"
    --sine 440 --seconds 2 --amplitude 0.3 --fragment-ms 100 --fragments 4)
add_test(NAME cli_play_in_mock COMMAND "${CMAKE_COMMAND}" -DEXPECT_EXIT=0
    "-DEXPECT_OUTPUT=play: .*capture_mock.wav \\(2 channels\\) for 2 s \\(96000 frames\\).*cross-check: the 384000 bytes"
    -P "${_expect}" -- "${_cli}" play --in "${_cli_work}/capture_mock.wav"
    --out "${_cli_work}/play_in_mock.wav")
add_test(NAME wav_check_play_in_mock COMMAND hdabdl_wav_check "${_cli_work}/play_in_mock.wav"
    --sine 440 --seconds 2 --amplitude 0.3 --fragment-ms 100 --fragments 4)
set_tests_properties(cli_capture_mock PROPERTIES FIXTURES_SETUP cli_capture_wav)
set_tests_properties(wav_check_capture_mock cli_play_in_mock PROPERTIES FIXTURES_REQUIRED cli_capture_wav)
set_tests_properties(cli_play_in_mock PROPERTIES FIXTURES_SETUP cli_play_in_wav)
set_tests_properties(wav_check_play_in_mock PROPERTIES FIXTURES_REQUIRED cli_play_in_wav)
set_tests_properties(cli_capture_mock wav_check_capture_mock cli_play_in_mock wav_check_play_in_mock
    PROPERTIES TIMEOUT 120 LABELS "cli" FIXTURES_REQUIRED cli_work
    ENVIRONMENT "${HDABDL_TEST_ENVIRONMENT}")
# FIXTURES_REQUIRED is a list: keep both fixtures on the tests that need both.
set_tests_properties(wav_check_capture_mock cli_play_in_mock PROPERTIES
    FIXTURES_REQUIRED "cli_work;cli_capture_wav")
set_tests_properties(wav_check_play_in_mock PROPERTIES FIXTURES_REQUIRED "cli_work;cli_play_in_wav")

# SIGTERM in the middle of a long play on the mock: the teardown runs, the
# exit code is 128 + 15, and the half-written WAV is removed.
find_program(HDABDL_TIMEOUT_PROGRAM timeout)
if(HDABDL_TIMEOUT_PROGRAM)
    add_test(NAME cli_play_sigterm COMMAND "${CMAKE_COMMAND}" -DEXPECT_EXIT=143
        "-DEXPECT_OUTPUT=set_dma_engine_state\\(RESET\\): STATUS_SUCCESS.*0 illegal accesses, 0 DMA blocks leaked.*stopped by SIGTERM: engine paused and reset"
        "-DEXPECT_NO_FILE=${_cli_work}/sigterm.wav"
        -P "${_expect}" -- "${HDABDL_TIMEOUT_PROGRAM}" --preserve-status -s TERM 2
        "${_cli}" play --seconds 3600 --out "${_cli_work}/sigterm.wav")
    add_test(NAME cli_capture_sigint COMMAND "${CMAKE_COMMAND}" -DEXPECT_EXIT=130
        "-DEXPECT_OUTPUT=codec_release: STATUS_SUCCESS.*stopped by SIGINT: engine paused and reset"
        "-DEXPECT_NO_FILE=${_cli_work}/sigint.wav"
        -P "${_expect}" -- "${HDABDL_TIMEOUT_PROGRAM}" --preserve-status -s INT 2
        "${_cli}" capture --seconds 3600 --out "${_cli_work}/sigint.wav")
    set_tests_properties(cli_play_sigterm cli_capture_sigint PROPERTIES
        TIMEOUT 60 LABELS "cli" FIXTURES_REQUIRED cli_work ENVIRONMENT "${HDABDL_TEST_ENVIRONMENT}")
endif()

# Real-controller options where the pciaccess backend is built: discovery
# works on any machine (exit 0, with or without controllers); a BDF that
# cannot exist is "device unavailable" (exit 3); --out is mock-only.
if(HDABDL_HAVE_PCIACCESS)
    set(_cli_pci_cases
        "cli_list|0|BDF +ID|no HD Audio controller|list"
        "cli_list_json|0|\"bdf\"|^..\n$|list^--json"
        "cli_info_no_device|3|pci_open failed: STATUS_NO_SUCH_DEVICE|info^--device^ffff:ff:1f.7"
        "cli_regs_no_device|3|STATUS_NO_SUCH_DEVICE|regs^--device^ffff:ff:1f.7"
        "cli_play_no_device|3|STATUS_NO_SUCH_DEVICE|play^--device^ffff:ff:1f.7"
        "cli_play_out_real|2|--out records what reached the DAC, which only the mock can observe|play^--device^00:1b.0^--out^x.wav"
        "cli_capture_sine_real|2|--sine and --amplitude feed the mock's input converters|capture^--device^00:1b.0^--sine^440^--out^x.wav"
        "cli_device_bad_bdf|2|--device: 'not-a-bdf' is not a PCI address|info^--device^not-a-bdf"
        "cli_mode_bad|2|--mode: 'dma' is not a mode \\(vfio or uio\\)|info^--mode^dma"
        "cli_mode_uio_no_opt_in|2|--mode uio bypasses the IOMMU.*--allow-uio|info^--mode^uio"
        "cli_allow_uio_alone|2|--allow-uio goes with --mode uio|regs^--allow-uio")
else()
    set(_cli_pci_cases
        "cli_device_not_built|2|backend 'pciaccess' is not available in this build|info^--device^00:1b.0"
        "cli_list_not_built|2|needs the pciaccess backend|list")
endif()
if(_cli_pci_cases)
    foreach(_case IN LISTS _cli_pci_cases)
        string(REPLACE "|" ";" _parts "${_case}")
        list(LENGTH _parts _n)
        list(GET _parts 0 _name)
        list(GET _parts 1 _exit)
        math(EXPR _last "${_n} - 1")
        list(GET _parts ${_last} _args)
        # a regex may hold one "|" (alternatives): the parts between exit and args
        list(SUBLIST _parts 2 -1 _rest)
        list(REMOVE_AT _rest -1)
        string(REPLACE ";" "|" _regex "${_rest}")
        string(REPLACE "^" ";" _args "${_args}")
        add_test(NAME ${_name} COMMAND "${CMAKE_COMMAND}" -DEXPECT_EXIT=${_exit}
            "-DEXPECT_OUTPUT=${_regex}" -P "${_expect}" -- "${_cli}" ${_args})
        set_tests_properties(${_name} PROPERTIES
            TIMEOUT 60 LABELS "cli" ENVIRONMENT "${HDABDL_TEST_ENVIRONMENT}")
    endforeach()
endif()
