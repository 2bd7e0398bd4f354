/* SPDX-License-Identifier: MIT */
/*
 * test_codec_corpus.c - every real codec dump of the corpus.
 *
 * The corpus (683 files of tiwai/hda-emu's codecs/ and codecs/canonical/) is
 * found through the environment variable HDABDL_CODEC_DIR, or else at
 * ../shared/codecs/hda-emu relative to the source tree (the compile definition
 * HDABDL_SOURCE_DIR). Files the reader refuses must be listed, with the reason,
 * in tests/data/codec_refusals.txt. Without HDABDL_SOURCE_DIR the tests skip.
 *
 * Checks:
 *  - each file loads, or is listed as refused (and listed files are refused);
 *  - a second, deliberately simple reading of each file (lines starting with
 *    "Node 0x", the bracketed type names, "Connection:" lines and the list
 *    after them) finds the same nodes, types and connection lists;
 *  - every codec prints back to itself and prints as well-formed JSON;
 *  - a codec built from each description answers its own widget caps,
 *    connection lists and amp values.
 */
#if !defined(_GNU_SOURCE) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif

#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "hdabdl/codec.h"
#include "test_codec_util.h"

#define EXPECTED_FILES 683

/* ---- The corpus ----------------------------------------------------------------------------- */

struct corpus_file {
    char *path;     /* full path */
    char *rel;      /* relative to the corpus directory */
    bool refused_listed;
    char reason[200];
};

struct corpus {
    char dir[1024];
    struct corpus_file *files;
    size_t nfiles, cap;
    size_t nlisted;
};

static int add_file(struct corpus *c, const char *path, const char *rel)
{
    if (c->nfiles == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 1024;
        struct corpus_file *f = realloc(c->files, cap * sizeof(*f));
        if (!f)
            return -1;
        c->files = f;
        c->cap = cap;
    }
    struct corpus_file *f = &c->files[c->nfiles++];
    memset(f, 0, sizeof(*f));
    f->path = strdup(path);
    f->rel = strdup(rel);
    return f->path && f->rel ? 0 : -1;
}

/* Recursive walk (the corpus is two levels deep; depth is capped anyway). */
static int walk(struct corpus *c, const char *dir, const char *rel, int depth)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    struct dirent *e;
    int rc = 0;
    while (rc == 0 && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char path[2048], relpath[1024];
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        snprintf(relpath, sizeof(relpath), "%s%s%s", rel, rel[0] ? "/" : "", e->d_name);
        struct stat st;
        if (stat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            if (depth < 4)
                rc = walk(c, path, relpath, depth + 1);
        } else if (S_ISREG(st.st_mode)) {
            rc = add_file(c, path, relpath);
        }
    }
    closedir(d);
    return rc;
}

static int cmp_files(const void *a, const void *b)
{
    return strcmp(((const struct corpus_file *)a)->rel, ((const struct corpus_file *)b)->rel);
}

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap + 1);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (n < cap)
            break;
        char *nb = realloc(buf, cap * 2 + 1);
        if (!nb) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = nb;
        cap *= 2;
    }
    fclose(f);
    if (buf) {
        buf[n] = '\0';
        *len = n;
    }
    return buf;
}

/* tests/data/codec_refusals.txt: "<relative path>: <reason>" per line, '#' comments. */
static int read_refusals(struct corpus *c, const char *file)
{
    size_t len = 0;
    char *text = read_all(file, &len);
    if (!text) {
        print_message("cannot read %s\n", file);
        return -1;
    }
    int rc = 0;
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        size_t n = strlen(line);
        while (n && (line[n - 1] == '\r' || line[n - 1] == ' '))
            line[--n] = '\0';
        if (n == 0 || line[0] == '#')
            continue;
        char *colon = strstr(line, ": ");
        if (!colon || colon[2] == '\0') {
            print_message("refusals file: line without '<file>: <reason>': %s\n", line);
            rc = -1;
            continue;
        }
        *colon = '\0';
        size_t i;
        for (i = 0; i < c->nfiles; i++)
            if (strcmp(c->files[i].rel, line) == 0)
                break;
        if (i == c->nfiles) {
            print_message("refusals file lists %s, which is not in the corpus\n", line);
            rc = -1;
            continue;
        }
        c->files[i].refused_listed = true;
        snprintf(c->files[i].reason, sizeof(c->files[i].reason), "%s", colon + 2);
        c->nlisted++;
    }
    free(text);
    return rc;
}

static void free_corpus(struct corpus *c)
{
    for (size_t i = 0; i < c->nfiles; i++) {
        free(c->files[i].path);
        free(c->files[i].rel);
    }
    free(c->files);
    free(c);
}

static int setup(void **state)
{
#ifndef HDABDL_SOURCE_DIR
    print_message("HDABDL_SOURCE_DIR is not defined: the codec corpus tests are skipped\n");
    (void)walk;
    (void)cmp_files;
    (void)read_refusals;
    *state = NULL;
    return 0;
#else
    struct corpus *c = calloc(1, sizeof(*c));
    if (!c)
        return -1;
    const char *env = getenv("HDABDL_CODEC_DIR");
    if (env && env[0])
        snprintf(c->dir, sizeof(c->dir), "%s", env);
    else
        snprintf(c->dir, sizeof(c->dir), "%s/../shared/codecs/hda-emu", HDABDL_SOURCE_DIR);
    if (walk(c, c->dir, "", 0) != 0) {
        /* A checkout without ../shared beside it: say so and skip (CI has it). */
        print_message("cannot read the codec corpus at %s (set HDABDL_CODEC_DIR): skipped\n",
                      c->dir);
        free_corpus(c);
        *state = NULL;
        return 0;
    }
    qsort(c->files, c->nfiles, sizeof(c->files[0]), cmp_files);
    if (read_refusals(c, HDABDL_SOURCE_DIR "/tests/data/codec_refusals.txt") != 0) {
        free_corpus(c);
        return -1;
    }
    *state = c;
    return 0;
#endif
}

static int teardown(void **state)
{
    if (*state)
        free_corpus(*state);
    return 0;
}

#define NEED_CORPUS(state)                                                  \
    struct corpus *c = *(state);                                            \
    if (!c) {                                                               \
        skip();                                                             \
        return;                                                             \
    }

/* Parse one corpus file; NULL (and a message) when it is refused. */
static struct hdabdl_codec_desc *load(const struct corpus_file *f, size_t *n, struct hdabdl_codec_parse_error *err)
{
    struct hdabdl_codec_desc *d = NULL;
    int rc = hdabdl_codec_parse_file(f->path, &d, n, err);
    return rc == 0 ? d : NULL;
}

/* ---- Tests ------------------------------------------------------------------------------------ */

static void test_every_corpus_file_loads_or_is_listed_as_refused(void **state)
{
    NEED_CORPUS(state);
    size_t loaded = 0, refused = 0, codecs = 0, nodes = 0;
    unsigned failures = 0;
    if (c->nfiles != EXPECTED_FILES)
        print_message("note: %zu files in %s (the corpus had %d)\n", c->nfiles, c->dir, EXPECTED_FILES);
    assert_true(c->nfiles > 0);
    for (size_t i = 0; i < c->nfiles; i++) {
        const struct corpus_file *f = &c->files[i];
        struct hdabdl_codec_parse_error err;
        size_t n = 0;
        struct hdabdl_codec_desc *d = load(f, &n, &err);
        if (d) {
            loaded++;
            codecs += n;
            for (size_t k = 0; k < n; k++)
                nodes += d[k].nnodes;
            if (f->refused_listed) {
                print_message("%s loads but is listed as refused (%s)\n", f->rel, f->reason);
                failures++;
            }
            hdabdl_codec_desc_array_free(d, n);
        } else {
            refused++;
            if (!f->refused_listed) {
                print_message("%s: line %u: %s (not listed in codec_refusals.txt)\n", f->rel, err.line,
                              err.message);
                failures++;
            }
        }
    }
    print_message("corpus %s: %zu files, %zu loaded (%zu codecs, %zu nodes), %zu refused as listed\n",
                  c->dir, c->nfiles, loaded, codecs, nodes, refused);
    assert_int_equal(failures, 0);
}

/* No dump of the corpus ends early: each is a whole proc file or alsa-info output. */
static void test_corpus_files_read_without_warnings(void **state)
{
    NEED_CORPUS(state);
    unsigned warned = 0;
    struct hdabdl_codec_parse_warnings *w = malloc(sizeof(*w));
    assert_non_null(w);
    for (size_t i = 0; i < c->nfiles; i++) {
        const struct corpus_file *f = &c->files[i];
        if (f->refused_listed)
            continue;
        struct hdabdl_codec_parse_error err;
        struct hdabdl_codec_desc *d = NULL;
        size_t n = 0;
        assert_int_equal(hdabdl_codec_parse_file_ex(f->path, &d, &n, &err, w), 0);
        hdabdl_codec_desc_array_free(d, n);
        if (w->count == 0)
            continue;
        warned++;
        for (unsigned k = 0; k < w->count && k < HDABDL_CODEC_MAX_WARNINGS; k++)
            print_message("%s:%u: warning: %s\n", f->rel, w->list[k].line, w->list[k].message);
    }
    free(w);
    print_message("corpus: %u files warn that their dump ends early\n", warned);
    assert_int_equal(warned, 0);
}

/* The independent reading: one record per "Node 0x" line of each "Codec:" section. */
struct simple_node {
    unsigned nid;
    int type;           /* from the bracketed name; -1 for UNKNOWN */
    bool has_conn;
    long conn_len;
    unsigned nconn;
    unsigned conn[HDABDL_CODEC_MAX_CONN];
};

static int type_from_name(const char *name, size_t len)
{
    static const struct { const char *name; int type; } names[] = {
        { "Audio Output", 0 }, { "Audio Input", 1 }, { "Audio Mixer", 2 }, { "Audio Selector", 3 },
        { "Pin Complex", 4 }, { "Power Widget", 5 }, { "Volume Knob Widget", 6 },
        { "Beep Generator Widget", 7 }, { "Vendor Defined Widget", 15 },
    };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (strlen(names[i].name) == len && strncmp(names[i].name, name, len) == 0)
            return names[i].type;
    return -1;
}

/* Splits @text into lines in place; fills per-codec node arrays. Returns the number of codecs. */
static size_t simple_count(char *text, struct simple_node **nodes_out, size_t *counts, size_t max_codecs,
                           size_t max_nodes)
{
    size_t codecs = 0;
    struct simple_node *cur = NULL;
    bool want_list = false;
    char *line = text;
    if ((unsigned char)line[0] == 0xEF && (unsigned char)line[1] == 0xBB && (unsigned char)line[2] == 0xBF)
        line += 3;
    while (line && *line) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        size_t len = strlen(line);
        while (len && line[len - 1] == '\r')
            line[--len] = '\0';
        const char *t = line;
        while (*t == ' ' || *t == '\t')
            t++;
        if (strncmp(line, "Codec: ", 7) == 0 || strcmp(line, "Codec:") == 0) {
            if (codecs < max_codecs)
                counts[codecs] = 0;
            codecs++;
            cur = NULL;
            want_list = false;
        } else if (codecs && codecs <= max_codecs) {
            size_t ci = codecs - 1;
            if (want_list) {
                want_list = false;
                char *p = (char *)t, *end;
                while (cur && cur->nconn < HDABDL_CODEC_MAX_CONN) {
                    unsigned long v = strtoul(p, &end, 16);
                    if (end == p)
                        break;
                    cur->conn[cur->nconn++] = (unsigned)v;
                    p = end;
                    while (*p == '*' || *p == ' ')
                        p++;
                }
            } else if (strncmp(line, "Node 0x", 7) == 0 && counts[ci] < max_nodes) {
                struct simple_node *n = &nodes_out[ci][counts[ci]++];
                memset(n, 0, sizeof(*n));
                n->nid = (unsigned)strtoul(line + 7, NULL, 16);
                const char *lb = strchr(line, '['), *rb = lb ? strchr(lb, ']') : NULL;
                n->type = lb && rb ? type_from_name(lb + 1, (size_t)(rb - lb - 1)) : -2;
                cur = n;
            } else if (strncmp(t, "Connection: ", 12) == 0 && cur) {
                cur->has_conn = true;
                cur->conn_len = strtol(t + 12, NULL, 10);
                want_list = cur->conn_len > 0;
            }
        }
        line = nl ? nl + 1 : NULL;
    }
    return codecs;
}

static void test_corpus_nodes_types_and_connections_match_an_independent_count(void **state)
{
    NEED_CORPUS(state);
    enum { MAX_CODECS = 16, MAX_NODES = 256 };
    struct simple_node **nodes = calloc(MAX_CODECS, sizeof(*nodes));
    assert_non_null(nodes);
    for (int i = 0; i < MAX_CODECS; i++) {
        nodes[i] = calloc(MAX_NODES, sizeof(**nodes));
        assert_non_null(nodes[i]);
    }
    size_t counts[MAX_CODECS];
    size_t checked_nodes = 0, checked_conns = 0;
    unsigned failures = 0;

    for (size_t i = 0; i < c->nfiles; i++) {
        const struct corpus_file *f = &c->files[i];
        if (f->refused_listed)
            continue;
        struct hdabdl_codec_parse_error err;
        size_t n = 0, len;
        struct hdabdl_codec_desc *d = load(f, &n, &err);
        assert_non_null(d);
        char *text = read_all(f->path, &len);
        assert_non_null(text);
        size_t sn = simple_count(text, nodes, counts, MAX_CODECS, MAX_NODES);
        free(text);
        if (sn != n) {
            print_message("%s: %zu 'Codec:' lines, parser read %zu codecs\n", f->rel, sn, n);
            failures++;
        }
        for (size_t k = 0; k < n && k < sn && k < MAX_CODECS; k++) {
            if (counts[k] != d[k].nnodes) {
                print_message("%s codec %zu: %zu 'Node 0x' lines, parser read %zu nodes\n", f->rel, k,
                              counts[k], d[k].nnodes);
                failures++;
                continue;
            }
            for (size_t j = 0; j < counts[k]; j++) {
                const struct simple_node *s = &nodes[k][j];
                const struct hdabdl_codec_node *p = &d[k].nodes[j];
                unsigned ptype = hdabdl_codec_wcaps_type(p->wcaps);
                int known = (ptype <= 7 || ptype == 15) ? (int)ptype : -1;
                bool same = s->nid == p->nid && s->type == known && s->has_conn == p->has_conn &&
                            (!s->has_conn || (s->conn_len == p->conn_len && s->nconn == p->nconn));
                for (unsigned q = 0; same && q < s->nconn; q++)
                    same = s->conn[q] == p->conn[q];
                if (!same) {
                    print_message("%s codec %zu node 0x%02x: simple count (nid 0x%02x type %d conn %ld/%u) "
                                  "!= parser (type %d conn %d/%u)\n", f->rel, k, p->nid, s->nid, s->type,
                                  s->conn_len, s->nconn, known, (int)p->conn_len, p->nconn);
                    failures++;
                }
                checked_nodes++;
                checked_conns += s->has_conn;
            }
        }
        hdabdl_codec_desc_array_free(d, n);
        if (failures > 20)
            break;
    }
    print_message("%zu nodes and %zu connection lists agree with the simple count\n", checked_nodes,
                  checked_conns);
    for (int i = 0; i < MAX_CODECS; i++)
        free(nodes[i]);
    free(nodes);
    assert_int_equal(failures, 0);
    assert_true(checked_nodes > 10000);
}

static void test_corpus_printouts_read_back_to_the_same_codecs(void **state)
{
    NEED_CORPUS(state);
    size_t codecs = 0;
    unsigned failures = 0;
    for (size_t i = 0; i < c->nfiles; i++) {
        const struct corpus_file *f = &c->files[i];
        if (f->refused_listed)
            continue;
        struct hdabdl_codec_parse_error err;
        size_t n = 0;
        struct hdabdl_codec_desc *d = load(f, &n, &err);
        assert_non_null(d);
        for (size_t k = 0; k < n; k++) {
            size_t len = 0, n2 = 0;
            char *text = hdabdl_codec_desc_to_proc(&d[k], &len);
            assert_non_null(text);
            struct hdabdl_codec_desc *back = NULL;
            int rc = hdabdl_codec_parse(text, len, &back, &n2, &err);
            char why[256] = "";
            if (rc != 0 || n2 != 1 || !hdabdl_codec_desc_equal(&d[k], &back[0], why, sizeof(why))) {
                print_message("%s codec %zu: printout does not read back: rc %d n %zu line %u %s %s\n",
                              f->rel, k, rc, n2, err.line, rc ? err.message : "", why);
                failures++;
            }
            hdabdl_codec_desc_array_free(back, n2);
            free(text);

            char *json = hdabdl_codec_desc_to_json(&d[k], &len);
            assert_non_null(json);
            if (!json_valid(json, len)) {
                print_message("%s codec %zu: JSON is not well formed\n", f->rel, k);
                failures++;
            }
            free(json);
            codecs++;
        }
        hdabdl_codec_desc_array_free(d, n);
    }
    print_message("%zu codecs print back to themselves and to well-formed JSON\n", codecs);
    assert_int_equal(failures, 0);
}

static void test_corpus_codecs_answer_their_dumped_caps_connections_and_amps(void **state)
{
    NEED_CORPUS(state);
    size_t codecs = 0, verbs = 0;
    unsigned failures = 0;
    for (size_t i = 0; i < c->nfiles && failures < 20; i++) {
        const struct corpus_file *f = &c->files[i];
        if (f->refused_listed)
            continue;
        struct hdabdl_codec_parse_error err;
        size_t n = 0;
        struct hdabdl_codec_desc *d = load(f, &n, &err);
        assert_non_null(d);
        for (size_t k = 0; k < n; k++) {
            struct hdabdl_codec *codec = NULL;
            int rc = hdabdl_codec_create(&d[k], NULL, &codec);
            if (rc) {
                print_message("%s codec %zu: create failed (%d)\n", f->rel, k, rc);
                failures++;
                continue;
            }
            uint32_t cad = (uint32_t)hdabdl_codec_address(codec) << 28, r = 0;
            assert_true(hdabdl_codec_verb(codec, cad | 0x000F0000u, &r));
            if (r != d[k].vendor_id)
                failures++;
            for (size_t j = 0; j < d[k].nnodes; j++) {
                const struct hdabdl_codec_node *nd = &d[k].nodes[j];
                uint32_t base = cad | (uint32_t)nd->nid << 20;
                hdabdl_codec_verb(codec, base | 0xF0009u, &r);
                if (r != nd->wcaps) {
                    print_message("%s node 0x%02x: wcaps 0x%x != 0x%x\n", f->rel, nd->nid, (unsigned)r,
                                  (unsigned)nd->wcaps);
                    failures++;
                }
                /* the connection list, read the way a driver reads it */
                if (nd->wcaps & (1u << 8)) {
                    hdabdl_codec_verb(codec, base | 0xF000Eu, &r);
                    unsigned len = r & 0x7F, per = (r & 0x80) ? 2 : 4;
                    if (len != nd->nconn) {
                        print_message("%s node 0x%02x: connection length %u != %u\n", f->rel, nd->nid, len,
                                      nd->nconn);
                        failures++;
                    }
                    for (unsigned e = 0; e < len; e += per) {
                        hdabdl_codec_verb(codec, base | 0xF0200u | e, &r);
                        for (unsigned q = 0; q < per && e + q < len; q++) {
                            unsigned v = per == 2 ? (r >> (16 * q)) & 0xFFFF : (r >> (8 * q)) & 0xFF;
                            if (v != nd->conn[e + q])
                                failures++;
                        }
                    }
                    verbs += 1 + len / per;
                }
                /* power-on amp values are the dumped ones */
                if ((nd->wcaps & (1u << 2)) && nd->amp_out.nvals) {
                    hdabdl_codec_verb(codec, base | 0xBA000u, &r);
                    if (r != nd->amp_out.vals[0][0]) {
                        print_message("%s node 0x%02x: out amp 0x%x != 0x%x\n", f->rel, nd->nid,
                                      (unsigned)r, nd->amp_out.vals[0][0]);
                        failures++;
                    }
                }
                if ((nd->wcaps & (1u << 1)) && nd->amp_in.nvals) {
                    unsigned last = nd->amp_in.nvals - 1u < 15 ? nd->amp_in.nvals - 1u : 15;
                    hdabdl_codec_verb(codec, base | 0xB2000u | last, &r);
                    if (r != nd->amp_in.vals[last][0]) {
                        print_message("%s node 0x%02x: in amp %u 0x%x != 0x%x\n", f->rel, nd->nid, last,
                                      (unsigned)r, nd->amp_in.vals[last][0]);
                        failures++;
                    }
                }
                verbs += 3;
            }
            if (hdabdl_codec_refused_verbs(codec) != 0) {
                struct hdabdl_codec_stats st;
                hdabdl_codec_get_stats(codec, &st);
                print_message("%s codec %zu: %llu verbs refused (last 0x%08x)\n", f->rel, k,
                              (unsigned long long)st.refused, (unsigned)st.last_refused);
                failures++;
            }
            hdabdl_codec_destroy(codec);
            codecs++;
        }
        hdabdl_codec_desc_array_free(d, n);
    }
    print_message("%zu codecs answered about %zu verbs as dumped\n", codecs, verbs);
    assert_int_equal(failures, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_corpus_file_loads_or_is_listed_as_refused),
        cmocka_unit_test(test_corpus_files_read_without_warnings),
        cmocka_unit_test(test_corpus_nodes_types_and_connections_match_an_independent_count),
        cmocka_unit_test(test_corpus_printouts_read_back_to_the_same_codecs),
        cmocka_unit_test(test_corpus_codecs_answer_their_dumped_caps_connections_and_amps),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
