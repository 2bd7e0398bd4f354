/* SPDX-License-Identifier: MIT */
/*
 * wav_check.c - check that a WAV written by `hdabdl play` (or recorded by
 * QEMU's wav audiodev from a guest running it) holds the sine asked for.
 *
 *   hdabdl_wav_check FILE.wav --sine HZ --seconds N [--amplitude A]
 *                    [--fragment-ms MS --fragments K]
 *                    [--lead-in-max S [--tolerance-ms MS] | --last]
 *   hdabdl_wav_check FILE.wav --silence --seconds N
 *
 * Which frames are checked:
 *   default        the whole file, which must be exactly N * 48000 frames;
 *   --lead-in-max  a recording of a device: up to S seconds of leading
 *                  silence (QEMU's timer-driven codec starts with some) and
 *                  any trailing silence are allowed; the sine is the frames
 *                  from the first to the last non-silent one, at least N
 *                  seconds less --tolerance-ms (default 100: what the device
 *                  still held when the stream stopped may never come out);
 *   --last         the last N seconds (less --tolerance-ms) before the
 *                  trailing silence (earlier content, e.g. from a killed run,
 *                  is not looked at);
 *   --silence      exactly N * 48000 frames, every sample 0 (a capture of
 *                  silence: QEMU's `none` audiodev).
 * --allow-drops K (with --lead-in-max or --last): QEMU's codec drops its
 * 8 KiB buffer when its audio timer runs late (a loaded host; trace event
 * hda_audio_overrun), which cuts a piece out of the sound. Up to K such cuts
 * are accepted: the frames are split where the sine's recurrence
 * x[n] = 2 cos(w) x[n-1] - x[n-2] breaks, and every piece must then be a
 * clean sine of the right frequency and level on its own. K = 0 (default):
 * no cut at all.
 * "Silent" is |sample| <= 1% of the expected peak (at least 8 LSB).
 *
 * Checks, on every channel:
 *   - the file is WAV, 16-bit PCM, 48000 Hz, 2 channels, exactly N * 48000 frames;
 *   - one sine fitted over the whole file (least squares: a sin + b cos + dc at
 *     HZ) explains every sample to within a few LSB: a dropped, repeated or
 *     stale sample anywhere, a leading silence or a phase jump fails here;
 *   - per 10 ms block (or 3 periods, if longer): RMS within 2% of the expected
 *     one, and the frequency from interpolated rising zero crossings within 1%;
 *   - no step between neighbouring samples larger than the sine's steepest
 *     (plus rounding), with fragment boundaries and BDL wraps called out;
 *   - both channels carry the same phase.
 * Exit 0 if all pass, 1 if a check fails, 2 for usage errors.
 */
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sndfile.h>

#define RATE         48000
#define CHANNELS     2
#define FULL_SCALE   32767.0
#define PI           3.14159265358979323846
#define MAX_FIT_LSB  3.0     /* max |sample - fitted sine|: 0.5 LSB rounding, with margin */
#define RMS_TOL      0.02
#define FREQ_TOL     0.01
#define AMP_TOL      0.02
#define PHASE_TOL    0.001   /* radians between channels */

static int failures;

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("wav_check: FAIL: ", stdout);
    vprintf(fmt, ap);
    fputc('\n', stdout);
    va_end(ap);
    failures++;
}

static double parse(const char *what, const char *text)
{
    char *end = NULL;
    double v = strtod(text, &end);
    if (end == text || *end != '\0' || !isfinite(v) || v <= 0) {
        fprintf(stderr, "wav_check: %s: bad value '%s'\n", what, text);
        exit(2);
    }
    return v;
}

/* Where frame @n sits relative to the BDL: for messages. */
static void describe_position(char *buf, size_t len, uint64_t n, uint64_t fragment_frames,
                              unsigned fragments)
{
    double ms = (double)n * 1000.0 / RATE;
    if (fragment_frames == 0) {
        snprintf(buf, len, "frame %llu (%.3f ms)", (unsigned long long)n, ms);
        return;
    }
    uint64_t ring = fragment_frames * fragments;
    const char *where = "";
    if (n % ring == 0)
        where = ", at a BDL wrap";
    else if (n % fragment_frames == 0)
        where = ", at a fragment boundary";
    snprintf(buf, len, "frame %llu (%.3f ms, fragment %llu + %llu frames%s)",
             (unsigned long long)n, ms, (unsigned long long)((n / fragment_frames) % fragments),
             (unsigned long long)(n % fragment_frames), where);
}

struct fit {
    double a, b, dc;       /* x ~ a sin(wn) + b cos(wn) + dc */
    double amplitude, phase;
};

/* Least squares over all frames: 3x3 normal equations by Cramer's rule. */
static bool fit_sine(const int16_t *x, uint64_t frames, unsigned ch, double w, struct fit *out)
{
    double ss = 0, cc = 0, sc = 0, s1 = 0, c1 = 0, n1 = 0, xs = 0, xc = 0, x1 = 0;
    for (uint64_t n = 0; n < frames; n++) {
        double s = sin(w * (double)n), c = cos(w * (double)n), v = x[n * CHANNELS + ch];
        ss += s * s; cc += c * c; sc += s * c; s1 += s; c1 += c; n1 += 1;
        xs += v * s; xc += v * c; x1 += v;
    }
    /* | ss sc s1 | |a |   |xs|
     * | sc cc c1 | |b | = |xc|
     * | s1 c1 n1 | |dc|   |x1| */
    double det = ss * (cc * n1 - c1 * c1) - sc * (sc * n1 - c1 * s1) + s1 * (sc * c1 - cc * s1);
    if (fabs(det) < 1e-9)
        return false;
    out->a = (xs * (cc * n1 - c1 * c1) - sc * (xc * n1 - c1 * x1) + s1 * (xc * c1 - cc * x1)) / det;
    out->b = (ss * (xc * n1 - x1 * c1) - xs * (sc * n1 - c1 * s1) + s1 * (sc * x1 - xc * s1)) / det;
    out->dc = (ss * (cc * x1 - c1 * xc) - sc * (sc * x1 - c1 * xs) + xs * (sc * c1 - cc * s1)) / det;
    out->amplitude = hypot(out->a, out->b);
    out->phase = atan2(out->b, out->a);
    return true;
}

int main(int argc, char **argv)
{
    const char *path = NULL;
    double hz = 0, seconds = 0, amplitude = 0.5, fragment_ms = 0, lead_in_max = -1, tolerance_ms = 100;
    unsigned fragments = 0;
    double allow_drops = 0;
    bool tail = false, silence = false;

    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        const char *value = i + 1 < argc ? argv[i + 1] : NULL;
        if (arg[0] != '-') {
            path = arg;
            continue;
        }
        if (strcmp(arg, "--last") == 0) {
            tail = true;
            continue;
        }
        if (strcmp(arg, "--silence") == 0) {
            silence = true;
            continue;
        }
        if (value == NULL) {
            fprintf(stderr, "wav_check: %s needs a value\n", arg);
            return 2;
        }
        if (strcmp(arg, "--sine") == 0)
            hz = parse(arg, value);
        else if (strcmp(arg, "--seconds") == 0)
            seconds = parse(arg, value);
        else if (strcmp(arg, "--amplitude") == 0)
            amplitude = parse(arg, value);
        else if (strcmp(arg, "--fragment-ms") == 0)
            fragment_ms = parse(arg, value);
        else if (strcmp(arg, "--fragments") == 0)
            fragments = (unsigned)parse(arg, value);
        else if (strcmp(arg, "--lead-in-max") == 0)
            lead_in_max = parse(arg, value);
        else if (strcmp(arg, "--tolerance-ms") == 0)
            tolerance_ms = parse(arg, value);
        else if (strcmp(arg, "--allow-drops") == 0)
            allow_drops = strcmp(value, "0") == 0 ? 0 : parse(arg, value);
        else {
            fprintf(stderr, "wav_check: unknown option '%s'\n", arg);
            return 2;
        }
        i++;
    }
    if (path == NULL || seconds <= 0 || (!silence && (hz <= 0 || hz >= RATE / 2.0)) ||
        (tail && lead_in_max >= 0) || (silence && (tail || lead_in_max >= 0 || hz > 0))) {
        fprintf(stderr, "Usage: hdabdl_wav_check FILE.wav --sine HZ --seconds N [--amplitude A] "
                        "[--fragment-ms MS --fragments K] [--lead-in-max S [--tolerance-ms MS] | --last]\n"
                        "       hdabdl_wav_check FILE.wav --silence --seconds N\n");
        return 2;
    }
    const bool exact = !tail && lead_in_max < 0;

    SF_INFO info;
    memset(&info, 0, sizeof(info));
    SNDFILE *f = sf_open(path, SFM_READ, &info);
    if (f == NULL) {
        printf("wav_check: FAIL: cannot open %s: %s\n", path, sf_strerror(NULL));
        return 1;
    }
    if ((info.format & SF_FORMAT_TYPEMASK) != SF_FORMAT_WAV)
        fail("not a WAV file (format 0x%08x)", info.format);
    if ((info.format & SF_FORMAT_SUBMASK) != SF_FORMAT_PCM_16)
        fail("not 16-bit PCM (format 0x%08x)", info.format);
    if (info.samplerate != RATE)
        fail("sample rate %d, expected %d", info.samplerate, RATE);
    if (info.channels != CHANNELS)
        fail("%d channels, expected %d", info.channels, CHANNELS);
    uint64_t expected_frames = (uint64_t)llround(seconds * RATE);
    if (exact && info.frames != (sf_count_t)expected_frames)
        fail("%lld frames, expected %llu", (long long)info.frames,
             (unsigned long long)expected_frames);
    if (failures > 0 || info.frames <= 0) {
        sf_close(f);
        printf("wav_check: %s: %d check(s) failed\n", path, failures);
        return 1;
    }

    uint64_t frames = (uint64_t)info.frames;
    int16_t *all = malloc(frames * CHANNELS * sizeof(*all));
    if (all == NULL) {
        printf("wav_check: FAIL: out of memory\n");
        return 1;
    }
    sf_count_t got = sf_readf_short(f, all, (sf_count_t)frames);
    sf_close(f);
    if (got != (sf_count_t)frames) {
        printf("wav_check: FAIL: read %lld of %llu frames\n", (long long)got,
               (unsigned long long)frames);
        free(all);
        return 1;
    }

    if (silence) {
        uint64_t loud = 0, first = 0;
        for (uint64_t n = 0; n < frames * CHANNELS; n++)
            if (all[n] != 0 && loud++ == 0)
                first = n / CHANNELS;
        free(all);
        if (loud > 0) {
            printf("wav_check: FAIL: %llu samples are not 0, the first in frame %llu\n",
                   (unsigned long long)loud, (unsigned long long)first);
            printf("wav_check: %s: 1 check(s) failed\n", path);
            return 1;
        }
        printf("wav_check: OK: %s: %llu frames, %d Hz, 16-bit PCM, %d channels, silence everywhere\n",
               path, (unsigned long long)frames, RATE, CHANNELS);
        return 0;
    }

    /* The frames to check: all of them, or the sine between silences. */
    const int16_t *x = all;
    const double quiet = fmax(8.0, 0.01 * amplitude * FULL_SCALE);
    if (!exact) {
        uint64_t onset = frames, end = 0;
        for (uint64_t n = 0; n < frames; n++)
            for (unsigned ch = 0; ch < CHANNELS; ch++)
                if (fabs((double)all[n * CHANNELS + ch]) > quiet) {
                    if (onset == frames)
                        onset = n;
                    end = n + 1;
                }
        if (onset == frames) {
            printf("wav_check: FAIL: %s: %llu frames of silence, no sine\n", path,
                   (unsigned long long)frames);
            free(all);
            return 1;
        }
        uint64_t start = onset;
        uint64_t tolerance = (uint64_t)llround(tolerance_ms * RATE / 1000.0);
        if (tolerance > expected_frames / 2)
            tolerance = expected_frames / 2;
        if (tail) {
            uint64_t want = expected_frames - tolerance;
            if (end < want) {
                fail("the sound ends at frame %llu, before %llu frames", (unsigned long long)end,
                     (unsigned long long)want);
                start = 0;
            } else {
                start = end - want;
            }
        } else {
            if ((double)onset > lead_in_max * RATE)
                fail("the sine starts at frame %llu (%.3f s), after the %.3f s of leading silence "
                     "allowed", (unsigned long long)onset, (double)onset / RATE, lead_in_max);
            if (end - onset + tolerance < expected_frames)
                fail("the sine lasts %llu frames (%.3f s), expected at least %llu (%.3f s, less "
                     "%.0f ms)", (unsigned long long)(end - onset), (double)(end - onset) / RATE,
                     (unsigned long long)expected_frames, seconds, tolerance_ms);
        }
        printf("wav_check: %s: %llu frames: %.3f s of leading silence, sound until %.3f s, "
               "%.3f s of trailing silence; checking frames %llu..%llu (%.3f s)\n", path,
               (unsigned long long)frames, (double)onset / RATE, (double)end / RATE,
               (double)(frames - end) / RATE, (unsigned long long)start,
               (unsigned long long)end, (double)(end - start) / RATE);
        if (failures > 0) {
            printf("wav_check: %s: %d check(s) failed\n", path, failures);
            free(all);
            return 1;
        }
        x = all + start * CHANNELS;
        frames = end - start;
    }

    const double w = 2.0 * PI * hz / RATE;

    if (!exact && allow_drops > 0) {
        /* Cuts: where the two-step sine recurrence breaks on either channel. */
        const double c2 = 2.0 * cos(w);
        uint64_t cuts[64];
        unsigned ncuts = 0, extra = 0;
        for (uint64_t n = 2; n < frames; n++) {
            bool broken = false;
            for (unsigned ch = 0; ch < CHANNELS; ch++) {
                double r = x[n * CHANNELS + ch] - c2 * x[(n - 1) * CHANNELS + ch] + x[(n - 2) * CHANNELS + ch];
                if (fabs(r) > 12.0)
                    broken = true;
            }
            if (!broken)
                continue;
            if (ncuts > 0 && n - cuts[ncuts - 1] < 3)
                continue;   /* the same cut seen from the next sample */
            if (ncuts < 64)
                cuts[ncuts++] = n;
            else
                extra++;
        }
        if (ncuts == 0) {
            printf("wav_check: no cut in the sound (up to %.0f allowed)\n", allow_drops);
        } else {
            if ((double)(ncuts + extra) > allow_drops)
                fail("%u cuts in the sound, only %.0f allowed (QEMU overruns)", ncuts + extra, allow_drops);
            uint64_t begin = 0;
            for (unsigned k = 0; k <= ncuts && k < 64; k++) {
                uint64_t stop = k < ncuts ? cuts[k] : frames;
                uint64_t len = stop - begin;
                if (len < (uint64_t)(3.0 * RATE / hz) + 2) {
                    fail("piece %u (frames %llu..%llu) is too short to check", k, (unsigned long long)begin,
                         (unsigned long long)stop);
                    begin = stop;
                    continue;
                }
                for (unsigned ch = 0; ch < CHANNELS; ch++) {
                    struct fit pf;
                    const int16_t *px = x + begin * CHANNELS;
                    if (!fit_sine(px, len, ch, w, &pf)) {
                        fail("piece %u, channel %u: cannot fit a sine", k, ch);
                        continue;
                    }
                    if (fabs(pf.amplitude - amplitude * FULL_SCALE) > AMP_TOL * amplitude * FULL_SCALE)
                        fail("piece %u, channel %u: amplitude %.1f, expected %.1f", k, ch, pf.amplitude,
                             amplitude * FULL_SCALE);
                    double worst = 0;
                    for (uint64_t n = 0; n < len; n++) {
                        double model = pf.a * sin(w * (double)n) + pf.b * cos(w * (double)n) + pf.dc;
                        double r = fabs(px[n * CHANNELS + ch] - model);
                        if (r > worst)
                            worst = r;
                    }
                    if (worst > MAX_FIT_LSB)
                        fail("piece %u (frames %llu..%llu), channel %u: a sample is %.1f LSB off the sine",
                             k, (unsigned long long)begin, (unsigned long long)stop, ch, worst);
                }
                printf("wav_check: piece %u: frames %llu..%llu (%.3f s) a clean sine\n", k,
                       (unsigned long long)begin, (unsigned long long)stop, (double)len / RATE);
                begin = stop;
            }
            free(all);
            if (failures > 0) {
                printf("wav_check: %s: %d check(s) failed\n", path, failures);
                return 1;
            }
            printf("wav_check: OK: %s: %.2f Hz sine in %u pieces, cut where QEMU dropped its buffer\n",
                   path, hz, ncuts + 1);
            return 0;
        }
    }
    const double peak = amplitude * FULL_SCALE;
    const double expected_rms = peak / sqrt(2.0);
    const double max_step = peak * 2.0 * sin(w / 2.0) + 2.0;   /* steepest, + rounding */
    uint64_t fragment_frames = (uint64_t)llround(fragment_ms * RATE / 1000.0);
    uint64_t block = RATE / 100;                               /* 10 ms */
    uint64_t three_periods = (uint64_t)ceil(3.0 * RATE / hz);
    if (block < three_periods)
        block = three_periods;
    char where[160];
    struct fit fits[CHANNELS];

    for (unsigned ch = 0; ch < CHANNELS; ch++) {
        int before = failures;
        struct fit *fit = &fits[ch];
        if (!fit_sine(x, frames, ch, w, fit)) {
            fail("channel %u: cannot fit a sine (too few frames)", ch);
            continue;
        }
        if (fabs(fit->amplitude - peak) > AMP_TOL * peak)
            fail("channel %u: amplitude %.1f, expected %.1f", ch, fit->amplitude, peak);

        /* every sample against the fitted sine */
        double worst = 0;
        uint64_t worst_at = 0, bad = 0;
        for (uint64_t n = 0; n < frames; n++) {
            double model = fit->a * sin(w * (double)n) + fit->b * cos(w * (double)n) + fit->dc;
            double r = fabs(x[n * CHANNELS + ch] - model);
            if (r > MAX_FIT_LSB)
                bad++;
            if (r > worst) {
                worst = r;
                worst_at = n;
            }
        }
        if (bad > 0) {
            describe_position(where, sizeof(where), worst_at, fragment_frames, fragments);
            fail("channel %u: %llu samples off the fitted sine by more than %.0f LSB; worst %.1f "
                 "LSB at %s (sample %d, sine %.1f)", ch, (unsigned long long)bad, MAX_FIT_LSB,
                 worst, where, x[worst_at * CHANNELS + ch],
                 fit->a * sin(w * (double)worst_at) + fit->b * cos(w * (double)worst_at) + fit->dc);
        }

        /* steps between neighbours */
        for (uint64_t n = 1; n < frames; n++) {
            double step = fabs((double)x[n * CHANNELS + ch] - x[(n - 1) * CHANNELS + ch]);
            if (step > max_step) {
                describe_position(where, sizeof(where), n, fragment_frames, fragments);
                fail("channel %u: discontinuity of %.0f LSB (max %.0f) at %s", ch, step, max_step,
                     where);
                break;
            }
        }

        /* per block: RMS and frequency */
        unsigned blocks_bad = 0;
        for (uint64_t start = 0; start + block <= frames; start += block) {
            double sum = 0;
            for (uint64_t n = start; n < start + block; n++) {
                double v = x[n * CHANNELS + ch] - fit->dc;
                sum += v * v;
            }
            double rms = sqrt(sum / (double)block);
            /* rising zero crossings, linearly interpolated */
            double first = -1, last = -1;
            unsigned crossings = 0;
            for (uint64_t n = start + 1; n < start + block; n++) {
                double y0 = x[(n - 1) * CHANNELS + ch] - fit->dc, y1 = x[n * CHANNELS + ch] - fit->dc;
                if (y0 < 0 && y1 >= 0) {
                    double t = (double)(n - 1) + (-y0) / (y1 - y0);
                    if (crossings == 0)
                        first = t;
                    last = t;
                    crossings++;
                }
            }
            double est = crossings >= 2 ? (crossings - 1) * (double)RATE / (last - first) : 0;
            bool rms_ok = fabs(rms - expected_rms) <= RMS_TOL * expected_rms;
            bool freq_ok = crossings >= 2 && fabs(est - hz) <= FREQ_TOL * hz;
            if ((!rms_ok || !freq_ok) && blocks_bad++ < 5) {
                describe_position(where, sizeof(where), start, fragment_frames, fragments);
                fail("channel %u: block at %s: RMS %.1f (expected %.1f), frequency %.2f Hz "
                     "(expected %.2f)", ch, where, rms, expected_rms, est, hz);
            }
        }
        if (blocks_bad > 5)
            fail("channel %u: %u blocks failed in all", ch, blocks_bad);

        if (failures == before)
            printf("wav_check: channel %u: sine of %.1f LSB peak (expected %.1f), dc %.2f, "
                   "max deviation %.2f LSB, %llu blocks of %llu frames within RMS %.0f%% and "
                   "frequency %.0f%%\n", ch, fit->amplitude, peak, fit->dc, worst,
                   (unsigned long long)(frames / block), (unsigned long long)block,
                   RMS_TOL * 100, FREQ_TOL * 100);
    }

    if (failures == 0) {
        double d = fabs(remainder(fits[0].phase - fits[1].phase, 2.0 * PI));
        if (d > PHASE_TOL)
            fail("channels differ in phase by %.4f rad", d);
    }
    free(all);

    if (failures > 0) {
        printf("wav_check: %s: %d check(s) failed\n", path, failures);
        return 1;
    }
    printf("wav_check: OK: %s: %llu frames, %d Hz, 16-bit PCM, %d channels, %.2f Hz sine "
           "everywhere\n", path, (unsigned long long)frames, RATE, CHANNELS, hz);
    return 0;
}
