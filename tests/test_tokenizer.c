/* Tokenizer tests: every case of ../shared/fixtures/tokenizer (HF tokenizers 0.23.2 outputs), loading
   paths, bad input, decode, caller buffers, threads. */
#define MTL_TOKENIZER_IMPLEMENTATION
#include "../mtl_tokenizer.h"
#include "mtl_test.h"

#include <pthread.h>

static const char *model_dir(const char *which) {
    static char buf[2][512];
    int k = which[0] == 'c';
    return mtl_t_path(buf[k], sizeof buf[k], k ? "models/bert-base-cased" : "models/all-MiniLM-L6-v2");
}

static mtl_tokenizer *load(const char *which) {
    mtl_tokenizer *t = NULL;
    mtl_error err;
    if (mtl_tokenizer_load_dir(model_dir(which), NULL, &t, &err)) {
        CHECK(0, "load %s: %s", which, err.msg);
        return NULL;
    }
    return t;
}

static int hexval(int c) { return c <= '9' ? c - '0' : (c | 32) - 'a' + 10; }
/* hex -> bytes in place; returns the length */
static size_t unhex(char *s, size_t n) {
    size_t i;
    for (i = 0; i + 1 < n; i += 2) s[i / 2] = (char)(hexval((unsigned char)s[i]) * 16 + hexval((unsigned char)s[i + 1]));
    return n / 2;
}
/* space-separated ints; returns count */
static int parse_ints(const char *s, const char *end, int32_t *out, int cap) {
    int n = 0;
    while (s < end) {
        char *e;
        long v = strtol(s, &e, 10);
        if (e == s) break;
        if (n < cap) out[n] = (int32_t)v;
        n++;
        s = e;
    }
    return n;
}

/* ---------------------------------------------------------------- TSV fixtures: singles and pairs */
static void check_tsv(mtl_tokenizer *t, const char *rel, int pair, int *ncases) {
    char path[512];
    size_t len;
    char *data = mtl_t_read(mtl_t_path(path, sizeof path, rel), &len), *line, *next;
    mtl_encoding enc;
    mtl_error err;
    static int32_t want[1 << 16];
    int lineno = 0;
    memset(&enc, 0, sizeof enc);
    CHECK(data != NULL, "cannot read %s", path);
    if (!data) return;
    for (line = data; line < data + len; line = next) {
        char *f[4];
        int nf = 1, n, k, bad = 0;
        size_t la, lb = 0;
        char *eol = strchr(line, '\n');
        if (!eol) eol = data + len;
        next = eol + 1;
        *eol = 0;
        lineno++;
        f[0] = line;
        while (nf < 4 && (f[nf] = strchr(f[nf - 1], '\t')) != NULL) { *f[nf] = 0; f[nf]++; nf++; }
        if (nf < (pair ? 4 : 2)) { CHECK(0, "%s:%d: malformed", rel, lineno); continue; }
        la = unhex(f[0], strlen(f[0]));
        if (pair) lb = unhex(f[1], strlen(f[1]));
        if (pair ? mtl_encode_pair(t, f[0], la, f[1], lb, NULL, &enc, &err) : mtl_encode(t, f[0], la, NULL, &enc, &err)) {
            CHECK(0, "%s:%d: %s", rel, lineno, err.msg);
            continue;
        }
        n = parse_ints(f[pair ? 2 : 1], f[pair ? 2 : 1] + strlen(f[pair ? 2 : 1]), want, 1 << 16);
        bad = n != enc.n;
        for (k = 0; !bad && k < n; k++) bad = want[k] != enc.ids[k];
        if (pair && !bad) {
            n = parse_ints(f[3], f[3] + strlen(f[3]), want, 1 << 16);
            for (k = 0; !bad && k < n; k++) bad = want[k] != enc.type_ids[k];
        }
        CHECK(!bad, "%s:%d: ids differ (got %d tokens, want %d)", rel, lineno, enc.n, n);
        (*ncases)++;
    }
    mtl_encoding_free(&enc);
    free(data);
}

static void test_fixture_tsv(void) {
    const char *which[2] = {"uncased", "cased"};
    int w, n = 0;
    char path[512];
    if (!mtl_t_exists(mtl_t_path(path, sizeof path, "fixtures/tokenizer/uncased.tsv"))) SKIP("no %s", path);
    for (w = 0; w < 2; w++) {
        char rel[128];
        mtl_tokenizer *t = load(which[w]);
        if (!t) return;
        snprintf(rel, sizeof rel, "fixtures/tokenizer/%s.tsv", which[w]);
        check_tsv(t, rel, 0, &n);
        snprintf(rel, sizeof rel, "fixtures/tokenizer/%s_pairs.tsv", which[w]);
        check_tsv(t, rel, 1, &n);
        mtl_tokenizer_free(t);
    }
    CHECK(n == 2 * (2151 + 118), "ran %d cases", n);
}

/* ---------------------------------------------------------------- JSONL fixtures: every field */
typedef struct { mtl__json j; } jdoc;

#define json_ints_eq mtl_t_json_ints_eq

/* Byte offsets -> code point offsets of text (valid UTF-8). */
static void to_cp_offsets(const char *text, const int32_t *off, int32_t *cp, int n) {
    int k;
    for (k = 0; k < 2 * n; k++) {
        int32_t b = off[k], i, c = 0;
        for (i = 0; i < b; i++) c += ((unsigned char)text[i] & 0xC0) != 0x80;
        cp[k] = c;
    }
}

static char *json_text(const mtl__json *j, int obj, const char *key, size_t *len) {
    return mtl__json_strdup(j, mtl__json_get(j, obj, key), len);
}

static void check_jsonl_case(mtl_tokenizer *t, const mtl__json *j, mtl_encoding *enc, const char *which, int *ncases) {
    size_t la = 0, lb = 0;
    char *a = json_text(j, 0, "text", &la), *b = json_text(j, 0, "text_b", &lb);
    char id[64] = "?";
    mtl_error err;
    int idn = mtl__json_get(j, 0, "id"), v, trunc;
    static int32_t cpoff[1 << 17], seqoff[1 << 17];
    if (idn >= 0) {
        size_t il = mtl__json_unescape(j, idn, id, sizeof id - 1);
        id[il == (size_t)-1 ? 0 : il] = 0;
    }
    if (!a) { CHECK(0, "%s: no text", id); return; }
    /* plain encode: every field */
    if (b ? mtl_encode_pair(t, a, la, b, lb, NULL, enc, &err) : mtl_encode(t, a, la, NULL, enc, &err)) {
        CHECK(0, "%s %s: %s", which, id, err.msg);
    } else {
        int k;
        CHECK(json_ints_eq(j, mtl__json_get(j, 0, "ids"), enc->ids, enc->n, 0), "%s %s: ids", which, id);
        CHECK(json_ints_eq(j, mtl__json_get(j, 0, "type_ids"), enc->type_ids, enc->n, 0), "%s %s: type_ids", which, id);
        CHECK(json_ints_eq(j, mtl__json_get(j, 0, "special_tokens_mask"), enc->special_tokens_mask, enc->n, 0), "%s %s: special_tokens_mask", which, id);
        CHECK(json_ints_eq(j, mtl__json_get(j, 0, "byte_offsets"), enc->offsets, 2 * enc->n, 1), "%s %s: byte_offsets", which, id);
        CHECK(json_ints_eq(j, mtl__json_get(j, 0, "word_ids"), enc->word_ids, enc->n, 0), "%s %s: word_ids", which, id);
        if (b) CHECK(json_ints_eq(j, mtl__json_get(j, 0, "sequence_ids"), enc->sequence_ids, enc->n, 0), "%s %s: sequence_ids", which, id);
        /* code point offsets: each token's offsets are relative to its own sequence's text */
        for (k = 0; k < enc->n && 2 * k + 1 < (1 << 17); k++) {
            const char *src = enc->sequence_ids[k] == 1 ? b : a;
            to_cp_offsets(src, enc->offsets + 2 * k, seqoff + 2 * k, 1);
        }
        CHECK(json_ints_eq(j, mtl__json_get(j, 0, "offsets"), seqoff, 2 * enc->n, 1), "%s %s: code point offsets", which, id);
        for (k = 0; k < enc->n; k++) CHECK(enc->attention_mask[k] == 1, "%s %s: mask", which, id);
        (*ncases)++;
    }
    (void)cpoff;
    /* truncated variants */
    trunc = mtl__json_get(j, 0, "truncated");
    if (trunc >= 0) {
        for (v = j->nodes[trunc].child; v >= 0; v = j->nodes[v].next) {
            mtl_encode_options o;
            char ml[16];
            size_t kl = j->nodes[v].kend - j->nodes[v].kstart;
            memset(&o, 0, sizeof o);
            memcpy(ml, j->s + j->nodes[v].kstart, kl < 15 ? kl : 15);
            ml[kl < 15 ? kl : 15] = 0;
            o.max_length = atoi(ml);
            if (b ? mtl_encode_pair(t, a, la, b, lb, &o, enc, &err) : mtl_encode(t, a, la, &o, enc, &err)) {
                CHECK(0, "%s %s trunc %s: %s", which, id, ml, err.msg);
                continue;
            }
            CHECK(json_ints_eq(j, mtl__json_get(j, v, "ids"), enc->ids, enc->n, 0), "%s %s trunc %s: ids", which, id, ml);
            CHECK(json_ints_eq(j, mtl__json_get(j, v, "type_ids"), enc->type_ids, enc->n, 0), "%s %s trunc %s: type_ids", which, id, ml);
            CHECK(json_ints_eq(j, mtl__json_get(j, v, "byte_offsets"), enc->offsets, 2 * enc->n, 1), "%s %s trunc %s: offsets", which, id, ml);
            CHECK(json_ints_eq(j, mtl__json_get(j, v, "word_ids"), enc->word_ids, enc->n, 0), "%s %s trunc %s: word_ids", which, id, ml);
            CHECK(enc->n <= o.max_length, "%s %s: %d tokens > max_length %d", which, id, enc->n, o.max_length);
            (*ncases)++;
        }
    }
    /* truncation + padding to max_length */
    v = mtl__json_get(j, 0, "padded");
    if (v >= 0) {
        mtl_encode_options o;
        long ml = 0;
        int k;
        memset(&o, 0, sizeof o);
        CHECK(mtl__json_int(j, mtl__json_get(j, v, "max_length"), 1, 4096, &ml), "%s %s: padded.max_length", which, id);
        o.max_length = (int)ml;
        o.padding = MTL_PAD_MAX_LENGTH;
        if (b ? mtl_encode_pair(t, a, la, b, lb, &o, enc, &err) : mtl_encode(t, a, la, &o, enc, &err)) {
            CHECK(0, "%s %s padded: %s", which, id, err.msg);
        } else {
            CHECK(enc->n == ml, "%s %s padded: %d tokens", which, id, enc->n);
            CHECK(json_ints_eq(j, mtl__json_get(j, v, "ids"), enc->ids, enc->n, 0), "%s %s padded: ids", which, id);
            CHECK(json_ints_eq(j, mtl__json_get(j, v, "type_ids"), enc->type_ids, enc->n, 0), "%s %s padded: type_ids", which, id);
            CHECK(json_ints_eq(j, mtl__json_get(j, v, "attention_mask"), enc->attention_mask, enc->n, 0), "%s %s padded: mask", which, id);
            CHECK(json_ints_eq(j, mtl__json_get(j, v, "special_tokens_mask"), enc->special_tokens_mask, enc->n, 0), "%s %s padded: special", which, id);
            for (k = 0; k < enc->n; k++) {
                const char *src = enc->sequence_ids[k] == 1 ? b : a;
                to_cp_offsets(src, enc->offsets + 2 * k, seqoff + 2 * k, 1);
            }
            CHECK(json_ints_eq(j, mtl__json_get(j, v, "offsets"), seqoff, 2 * enc->n, 1), "%s %s padded: offsets", which, id);
            (*ncases)++;
        }
    }
    free(a);
    free(b);
}

static void run_jsonl(const char *which, int *ncases, int *nlines) {
    char rel[128], path[512];
    size_t len;
    char *data, *line, *next;
    mtl_tokenizer *t;
    mtl_encoding enc;
    snprintf(rel, sizeof rel, "fixtures/tokenizer/%s.jsonl", which);
    data = mtl_t_read(mtl_t_path(path, sizeof path, rel), &len);
    CHECK(data != NULL, "cannot read %s", path);
    if (!data) return;
    t = load(which);
    memset(&enc, 0, sizeof enc);
    for (line = data; t && line < data + len; line = next) {
        mtl__json j;
        char *eol = strchr(line, '\n');
        if (!eol) eol = data + len;
        next = eol + 1;
        if (eol == line) continue;
        if (mtl__json_parse(&j, line, (size_t)(eol - line)) != 0) {
            CHECK(0, "%s: bad JSON line", rel);
        } else {
            check_jsonl_case(t, &j, &enc, which, ncases);
            (*nlines)++;
        }
        mtl__json_free(&j);
    }
    mtl_encoding_free(&enc);
    mtl_tokenizer_free(t);
    free(data);
}

static void test_fixture_jsonl(void) {
    int n = 0, lines = 0;
    char path[512];
    if (!mtl_t_exists(mtl_t_path(path, sizeof path, "fixtures/tokenizer/uncased.jsonl"))) SKIP("no %s", path);
    run_jsonl("uncased", &n, &lines);
    run_jsonl("cased", &n, &lines);
    CHECK(lines == 2 * 2269, "read %d cases", lines);
    printf("  jsonl: %d lines, %d encodings compared\n", lines, n);
}

/* ---------------------------------------------------------------- batches: truncation + pad to longest */
static void test_fixture_batches(void) {
    const char *which[2] = {"uncased", "cased"};
    int w, nb = 0;
    char path[512];
    if (!mtl_t_exists(mtl_t_path(path, sizeof path, "fixtures/tokenizer/uncased_batches.jsonl"))) SKIP("no %s", path);
    for (w = 0; w < 2; w++) {
        char rel[128];
        size_t len;
        char *data, *line, *next;
        mtl_tokenizer *t = load(which[w]);
        snprintf(rel, sizeof rel, "fixtures/tokenizer/%s_batches.jsonl", which[w]);
        data = mtl_t_read(mtl_t_path(path, sizeof path, rel), &len);
        CHECK(data && t, "cannot read %s", rel);
        for (line = data; data && t && line < data + len; line = next) {
            mtl__json j;
            char *eol = strchr(line, '\n');
            if (!eol) eol = data + len;
            next = eol + 1;
            if (eol == line) continue;
            if (mtl__json_parse(&j, line, (size_t)(eol - line)) == 0) {
                int texts = mtl__json_get(&j, 0, "texts"), c, n = 0, k;
                char *tx[64];
                size_t tl[64];
                mtl_encoding enc[64];
                mtl_encode_options o;
                mtl_error err;
                long ml = 0;
                memset(&o, 0, sizeof o);
                memset(enc, 0, sizeof enc);
                mtl__json_int(&j, mtl__json_get(&j, 0, "max_length"), 1, 100000, &ml);
                o.max_length = (int)ml;
                o.padding = MTL_PAD_LONGEST;
                for (c = j.nodes[texts].child; c >= 0 && n < 64; c = j.nodes[c].next, n++) tx[n] = mtl__json_strdup(&j, c, &tl[n]);
                if (mtl_encode_batch(t, n, (const char *const *)tx, tl, NULL, NULL, &o, enc, &err)) CHECK(0, "batch: %s", err.msg);
                else {
                    int ids = j.nodes[mtl__json_get(&j, 0, "input_ids")].child;
                    int am = j.nodes[mtl__json_get(&j, 0, "attention_mask")].child;
                    int tt = j.nodes[mtl__json_get(&j, 0, "token_type_ids")].child;
                    for (k = 0; k < n; k++) {
                        CHECK(json_ints_eq(&j, ids, enc[k].ids, enc[k].n, 0), "%s batch %d row %d: ids", which[w], nb, k);
                        CHECK(json_ints_eq(&j, am, enc[k].attention_mask, enc[k].n, 0), "%s batch %d row %d: mask", which[w], nb, k);
                        CHECK(json_ints_eq(&j, tt, enc[k].type_ids, enc[k].n, 0), "%s batch %d row %d: types", which[w], nb, k);
                        ids = j.nodes[ids].next; am = j.nodes[am].next; tt = j.nodes[tt].next;
                    }
                }
                for (k = 0; k < n; k++) { free(tx[k]); mtl_encoding_free(&enc[k]); }
                nb++;
            } else CHECK(0, "%s: bad JSON", rel);
            mtl__json_free(&j);
        }
        free(data);
        mtl_tokenizer_free(t);
    }
    CHECK(nb == 60, "ran %d batches", nb);
}

/* ---------------------------------------------------------------- other loading paths give the same ids */
static int same_on_tsv(mtl_tokenizer *a, mtl_tokenizer *b, const char *rel) {
    char path[512];
    size_t len;
    char *data = mtl_t_read(mtl_t_path(path, sizeof path, rel), &len), *line, *next;
    mtl_encoding ea, eb;
    int diffs = 0, n = 0;
    memset(&ea, 0, sizeof ea);
    memset(&eb, 0, sizeof eb);
    if (!data) return -1;
    for (line = data; line < data + len; line = next) {
        char *eol = strchr(line, '\n'), *tab;
        size_t l;
        if (!eol) eol = data + len;
        next = eol + 1;
        *eol = 0;
        tab = strchr(line, '\t');
        if (!tab) continue;
        l = unhex(line, (size_t)(tab - line));
        if (mtl_encode(a, line, l, NULL, &ea, NULL) || mtl_encode(b, line, l, NULL, &eb, NULL)) { diffs++; continue; }
        if (ea.n != eb.n || memcmp(ea.ids, eb.ids, (size_t)ea.n * 4) || memcmp(ea.offsets, eb.offsets, (size_t)ea.n * 8)) diffs++;
        n++;
    }
    free(data);
    mtl_encoding_free(&ea);
    mtl_encoding_free(&eb);
    return n > 2000 ? diffs : -1;
}

static void test_vocab_txt_paths(void) {
    char p1[512], p2[512], p3[512];
    size_t l1, l2, l3;
    char *vocab, *cfg, *smap;
    mtl_tokenizer *ref, *t = NULL;
    mtl_tokenizer_files f;
    mtl_tokenizer_options o;
    mtl_error err;
    vocab = mtl_t_read(mtl_t_path(p1, sizeof p1, "models/all-MiniLM-L6-v2/vocab.txt"), &l1);
    cfg = mtl_t_read(mtl_t_path(p2, sizeof p2, "models/all-MiniLM-L6-v2/tokenizer_config.json"), &l2);
    smap = mtl_t_read(mtl_t_path(p3, sizeof p3, "models/all-MiniLM-L6-v2/special_tokens_map.json"), &l3);
    if (!vocab || !cfg || !smap) { free(vocab); free(cfg); free(smap); SKIP("no all-MiniLM-L6-v2 files under %s", mtl_t_shared()); }
    ref = load("uncased");
    /* vocab.txt + tokenizer_config.json + special_tokens_map.json from memory */
    memset(&f, 0, sizeof f);
    f.vocab_txt = vocab; f.vocab_txt_len = l1;
    f.tokenizer_config_json = cfg; f.tokenizer_config_json_len = l2;
    f.special_tokens_map_json = smap; f.special_tokens_map_json_len = l3;
    CHECK(mtl_tokenizer_from_memory(&f, NULL, &t, &err) == MTL_OK, "%s", err.msg);
    if (t && ref) CHECK(same_on_tsv(ref, t, "fixtures/tokenizer/uncased.tsv") == 0, "vocab.txt build differs from tokenizer.json");
    mtl_tokenizer_free(t);
    /* the vocab file alone + options (bert-base-cased flags) */
    mtl_tokenizer_free(ref);
    ref = load("cased");
    memset(&o, 0, sizeof o);
    o.lowercase = -1;
    CHECK(mtl_tokenizer_load_vocab(mtl_t_path(p1, sizeof p1, "models/bert-base-cased/vocab.txt"), &o, &t, &err) == MTL_OK, "%s", err.msg);
    if (t && ref) {
        mtl_tokenizer_options got;
        CHECK(same_on_tsv(ref, t, "fixtures/tokenizer/cased.tsv") == 0, "cased vocab.txt + options differs");
        mtl_tokenizer_get_options(t, &got);
        CHECK(got.lowercase < 0 && got.strip_accents < 0 && got.clean_text > 0 && got.handle_chinese_chars > 0, "resolved options");
    }
    mtl_tokenizer_free(t);
    /* a token list (what the blob loader uses) */
    if (ref) {
        int n = mtl_tokenizer_vocab_size(ref), i;
        const char **toks = (const char **)malloc(sizeof(char *) * (size_t)n);
        size_t *lens = (size_t *)malloc(sizeof(size_t) * (size_t)n);
        for (i = 0; i < n; i++) toks[i] = mtl_tokenizer_id_to_token(ref, i, &lens[i]);
        CHECK(mtl_tokenizer_from_tokens(toks, lens, n, &o, &t, &err) == MTL_OK, "%s", err.msg);
        if (t) CHECK(same_on_tsv(ref, t, "fixtures/tokenizer/cased.tsv") == 0, "token-list build differs");
        mtl_tokenizer_free(t);
        free(toks);
        free(lens);
    }
    mtl_tokenizer_free(ref);
    free(vocab); free(cfg); free(smap);
}

/* The file's truncation/padding blocks are ignored by default and available on request. */
/* Pair truncation around added tokens (tests/data/wp_added_trunc.tsv, HF tokenizers 0.23.2, whose
   stopping point is checked after the model's words only, not after an added token such as [MASK]). */
static void test_added_truncation(void) {
    mtl_tokenizer *t = load("uncased");
    size_t len;
    char *data = mtl_t_read("tests/data/wp_added_trunc.tsv", &len), *line, *eol;
    mtl_encoding e;
    int n = 0, ok = 0;
    if (!t || !data) { CHECK(data != NULL, "no tests/data/wp_added_trunc.tsv"); free(data); mtl_tokenizer_free(t); return; }
    memset(&e, 0, sizeof e);
    for (line = data; line < data + len; line = eol + 1) {
        char *f[4], *p = line;
        int k, good;
        mtl_encode_options o;
        mtl_error err;
        mtl_result r;
        eol = strchr(line, '\n');
        if (!eol) eol = data + len;
        *eol = 0;
        for (k = 0; k < 4; k++) { f[k] = p; p = strchr(p, '\t'); if (k < 3) { if (!p) break; *p++ = 0; } }
        if (k < 4) continue;
        memset(&o, 0, sizeof o);
        o.max_length = atoi(strchr(f[2], ':') + 1);
        o.truncation = !strncmp(f[2], "only_first", 10) ? MTL_TRUNCATE_ONLY_FIRST : !strncmp(f[2], "only_second", 11) ? MTL_TRUNCATE_ONLY_SECOND
                                                                                                        : MTL_TRUNCATE_LONGEST_FIRST;
        r = mtl_encode_pair(t, f[0], strlen(f[0]), f[1], strlen(f[1]), &o, &e, &err);
        if (!strcmp(f[3], "error")) good = r != MTL_OK;
        else {
            char *q = f[3];
            good = r == MTL_OK;
            for (k = 0; good && k < e.n; k++) good = strtol(q, &q, 10) == e.ids[k];
            good = good && *q == 0;
        }
        n++;
        ok += good;
        if (!good && n - ok < 4) printf("  differs: %s | %s | %s\n", f[0], f[1], f[2]);
    }
    printf("  %d of %d truncated pairs with added tokens as HF\n", ok, n);
    CHECK(n >= 400 && ok == n, "%d of %d", ok, n);
    mtl_encoding_free(&e);
    free(data);
    mtl_tokenizer_free(t);
}

static void test_file_options(void) {
    mtl_tokenizer *t = load("uncased");
    mtl_encode_options o;
    mtl_encoding e;
    if (!t) return;
    memset(&e, 0, sizeof e);
    mtl_tokenizer_file_options(t, &o);
    CHECK(o.max_length == 128 && o.padding == MTL_PAD_MAX_LENGTH && o.pad_length == 128, "file options %d %d %d", o.max_length, (int)o.padding, o.pad_length);
    CHECK(mtl_encode(t, "Hello", 5, NULL, &e, NULL) == MTL_OK && e.n == 3, "default: no padding (%d)", e.n);
    CHECK(mtl_encode(t, "Hello", 5, &o, &e, NULL) == MTL_OK && e.n == 128 && e.attention_mask[2] == 1 && e.attention_mask[3] == 0, "file options pad to 128");
    mtl_encoding_free(&e);
    mtl_tokenizer_free(t);
}

/* ---------------------------------------------------------------- bad input */
static int enc_ids(mtl_tokenizer *t, const char *s, size_t n, int32_t *out, int cap) {
    mtl_encoding e;
    int k, r;
    memset(&e, 0, sizeof e);
    if (mtl_encode(t, s, n, NULL, &e, NULL)) { mtl_encoding_free(&e); return -1; }
    for (k = 0; k < e.n && k < cap; k++) out[k] = e.ids[k];
    r = e.n;
    mtl_encoding_free(&e);
    return r;
}

static void test_bad_text(void) {
    mtl_tokenizer *t = load("uncased");
    int32_t a[64], b[64];
    int na, nb;
    mtl_encoding e;
    mtl_error err;
    if (!t) return;
    memset(&e, 0, sizeof e);
    /* empty text and empty pair */
    CHECK(enc_ids(t, "", 0, a, 64) == 2 && a[0] == 101 && a[1] == 102, "empty");
    CHECK(mtl_encode_pair(t, "", 0, "", 0, NULL, &e, NULL) == MTL_OK && e.n == 3 && e.type_ids[2] == 1, "empty pair");
    CHECK(enc_ids(t, NULL, 0, a, 64) == 2, "NULL with length 0");
    /* invalid UTF-8: each bad byte is U+FFFD, removed by clean_text: joins the text around it */
    {
        static const char *bad[] = {"ab\xff" "cd", "ab\xc3" "cd", "ab\xed\xa0\x80" "cd", "ab\xf4\x90\x80\x80" "cd",
                                    "ab\xc0\xaf" "cd", "ab\xe2\x82" "cd", "ab\x80\x80" "cd", "ab\xf0\x9f\x98" "cd"};
        size_t i;
        nb = enc_ids(t, "abcd", 4, b, 64);
        for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
            na = enc_ids(t, bad[i], strlen(bad[i]), a, 64);
            CHECK(na == nb && !memcmp(a, b, (size_t)na * 4), "invalid UTF-8 case %d", (int)i);
        }
        /* offsets still point at the real bytes */
        CHECK(mtl_encode(t, "\xff\xfehi", 4, NULL, &e, NULL) == MTL_OK && e.n == 3 && e.offsets[2] == 2 && e.offsets[3] == 4, "offsets after invalid bytes");
    }
    /* NUL bytes are text (removed as controls), not terminators */
    na = enc_ids(t, "hello\0world", 11, a, 64);
    CHECK(na == 4 && a[1] == 7592 && a[2] == 11108, "NUL inside text: %d", na);
    /* a 10 MB text: mixed words, and one 10 MB word */
    {
        size_t n = 10u << 20, i;
        char *big = (char *)malloc(n);
        const char *words = "the quick brown fox jumps over the lazy dog 123 caf\xc3\xa9 \xe4\xb8\xad\xe6\x96\x87 ";
        size_t wl = strlen(words);
        for (i = 0; i < n; i++) big[i] = words[i % wl];
        CHECK(mtl_encode(t, big, n, NULL, &e, &err) == MTL_OK, "10MB text: %s", err.msg);
        CHECK(e.n > 2000000 && e.ids[0] == 101 && e.ids[e.n - 1] == 102, "10MB text: %d tokens", e.n);
        memset(big, 'a', n);
        CHECK(mtl_encode(t, big, n, NULL, &e, &err) == MTL_OK && e.n == 3 && e.ids[1] == 100 && e.offsets[3] == (int32_t)n, "10MB word is one [UNK]");
        free(big);
    }
    /* word-length limit: 100 code points -> WordPiece, 101 -> [UNK] */
    {
        char w[202];
        memset(w, 'a', sizeof w);
        CHECK(enc_ids(t, w, 100, a, 64) == 52, "100 a's: 50 pieces");
        CHECK(enc_ids(t, w, 101, a, 64) == 3 && a[1] == 100, "101 a's: [UNK]");
    }
    /* truncation errors */
    {
        mtl_encode_options o;
        memset(&o, 0, sizeof o);
        o.max_length = 5;
        o.truncation = MTL_TRUNCATE_ONLY_SECOND;
        CHECK(mtl_encode(t, "a b c d e f", 11, &o, &e, &err) == MTL_ERR_ARG, "only_second without a pair");
        o.truncation = MTL_TRUNCATE_ONLY_FIRST;
        CHECK(mtl_encode_pair(t, "a", 1, "b c d e f g", 11, &o, &e, &err) == MTL_ERR_TOO_LONG, "only_first: first too short");
        CHECK(mtl_encode_pair(t, "a b c d e f", 11, "x", 1, &o, &e, &err) == MTL_OK && e.n == 5 && e.truncated, "only_first ok");
        o.truncation = MTL_TRUNCATE_LONGEST_FIRST;
        o.max_length = 2;
        CHECK(mtl_encode(t, "a b", 3, &o, &e, &err) == MTL_OK && e.n == 2 && e.truncated, "max_length = specials only");
        o.max_length = -1;
        CHECK(mtl_encode(t, "a b", 3, &o, &e, &err) == MTL_ERR_ARG, "negative max_length");
    }
    mtl_encoding_free(&e);
    mtl_tokenizer_free(t);
}

static mtl_result vocab_from(const char *s, size_t n, mtl_tokenizer **t, mtl_error *err) {
    mtl_tokenizer_files f;
    memset(&f, 0, sizeof f);
    f.vocab_txt = s;
    f.vocab_txt_len = n;
    *t = NULL;
    return mtl_tokenizer_from_memory(&f, NULL, t, err);
}

static void test_bad_vocab(void) {
    mtl_tokenizer *t;
    mtl_error err;
    int32_t a[16];
    static const char good[] = "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nhello\n##s\nworld\n";
    static const char crlf[] = "[PAD]\r\n[UNK]\r\n[CLS]\r\n[SEP]\r\n[MASK]\r\nhello\r\n##s\r\nworld\r\n";
    CHECK(vocab_from("", 0, &t, &err) == MTL_ERR_FORMAT && t == NULL, "empty vocab: %s", err.msg);
    CHECK(vocab_from("[UNK]\nab\0cd\n", 12, &t, &err) == MTL_ERR_FORMAT, "binary vocab: %s", err.msg);
    CHECK(vocab_from("[UNK]\n\xff\xfe\n", 9, &t, &err) == MTL_ERR_FORMAT, "invalid UTF-8 vocab: %s", err.msg);
    CHECK(vocab_from("[PAD]\nhello\n[CLS]\n[SEP]\n", 24, &t, &err) == MTL_ERR_FORMAT && strstr(err.msg, "[UNK]"), "no [UNK]: %s", err.msg);
    CHECK(vocab_from(good, sizeof good - 1, &t, &err) == MTL_OK, "good vocab: %s", err.msg);
    if (t) {
        CHECK(enc_ids(t, "Hellos World", 12, a, 16) == 5 && a[1] == 5 && a[2] == 6 && a[3] == 7, "tiny vocab ids");
        CHECK(enc_ids(t, "xyz", 3, a, 16) == 3 && a[1] == 1, "tiny vocab [UNK]");
        mtl_tokenizer_free(t);
    }
    CHECK(vocab_from(crlf, sizeof crlf - 1, &t, &err) == MTL_OK, "CRLF vocab: %s", err.msg);
    if (t) {
        CHECK(enc_ids(t, "Hellos World", 12, a, 16) == 5 && a[1] == 5 && a[2] == 6 && a[3] == 7, "CRLF vocab ids");
        mtl_tokenizer_free(t);
    }
    /* duplicates: the last line wins (as HF's vocab reader) */
    CHECK(vocab_from("[PAD]\n[UNK]\n[CLS]\n[SEP]\nhi\nhi\n", 29, &t, &err) == MTL_OK, "dup vocab: %s", err.msg);
    if (t) {
        CHECK(enc_ids(t, "hi", 2, a, 16) == 3 && a[1] == 5, "duplicate -> last id (%d)", (int)a[1]);
        mtl_tokenizer_free(t);
    }
    /* no [CLS]: refused (the template needs it) */
    CHECK(vocab_from("[PAD]\n[UNK]\nhi\n", 15, &t, &err) == MTL_ERR_FORMAT, "no [CLS]: %s", err.msg);
}

static void test_bad_json(void) {
    char path[512];
    size_t len, cut;
    char *json = mtl_t_read(mtl_t_path(path, sizeof path, "models/all-MiniLM-L6-v2/tokenizer.json"), &len);
    mtl_tokenizer_files f;
    mtl_tokenizer *t;
    mtl_error err;
    int ok = 0;
    static const char *bad[] = {"", "{", "[]", "{\"model\":1}", "{\"model\":{\"type\":\"BPE\",\"vocab\":{}}}",
                                "{\"model\":{\"vocab\":{\"a\":-1}}}", "{\"model\":{\"vocab\":{\"[UNK]\":0}},\"normalizer\":{\"type\":\"NFKC\"}}",
                                "{\"model\":{\"vocab\":{\"[UNK]\":99999999999}}}", "{\"a\":\"\\u12\"}", "{\"a\":\"\\ud800\"} x",
                                "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"};
    size_t i;
    memset(&f, 0, sizeof f);
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        f.tokenizer_json = bad[i];
        f.tokenizer_json_len = strlen(bad[i]);
        CHECK(mtl_tokenizer_from_memory(&f, NULL, &t, &err) != MTL_OK && t == NULL && err.msg[0], "bad json %d accepted", (int)i);
    }
    if (!json) SKIP("no tokenizer.json");
    /* every truncation of the real file is refused cleanly (sampled) */
    for (cut = 0; cut < len; cut += 997) {
        f.tokenizer_json = json;
        f.tokenizer_json_len = cut;
        CHECK(mtl_tokenizer_from_memory(&f, NULL, &t, &err) == MTL_ERR_FORMAT && t == NULL, "truncated at %d", (int)cut);
    }
    f.tokenizer_json_len = len;
    CHECK(mtl_tokenizer_from_memory(&f, NULL, &t, &err) == MTL_OK, "%s", err.msg);
    mtl_tokenizer_free(t);
    ok = 1;
    (void)ok;
    free(json);
}

/* ---------------------------------------------------------------- decode */
static void test_decode(void) {
    mtl_tokenizer *t = load("uncased");
    char path[512], out[4096];
    size_t len, ol;
    char *data, *line, *next;
    mtl_encoding e;
    mtl_error err;
    int n = 0;
    if (!t) return;
    memset(&e, 0, sizeof e);
    /* small buffer: reports the needed size */
    mtl_encode(t, "Hello, world!", 13, NULL, &e, NULL);
    CHECK(mtl_decode(t, e.ids, e.n, NULL, out, 4, &ol, &err) == MTL_ERR_NOMEM && ol == 15, "small buffer (%d)", (int)ol);
    CHECK(mtl_decode(t, e.ids, e.n, NULL, out, ol + 1, &ol, &err) == MTL_OK && ol == 13, "exact buffer");
    CHECK(mtl_decode(t, e.ids, e.n, NULL, out, sizeof out, &ol, &err) == MTL_OK && !strcmp(out, "hello, world!"), "decode: '%s'", out);
    {
        mtl_decode_options d;
        memset(&d, 0, sizeof d);
        d.keep_special_tokens = 1;
        d.no_cleanup = 1;
        CHECK(mtl_decode(t, e.ids, e.n, &d, out, sizeof out, &ol, &err) == MTL_OK && !strcmp(out, "[CLS] hello , world ! [SEP]"), "decode raw: '%s'", out);
    }
    /* goldens made by transformers' BertTokenizerFast.decode (tools/gen_decode_golden.py) */
    data = mtl_t_read("tests/golden/decode_uncased.tsv", &len);
    CHECK(data != NULL, "tests/golden/decode_uncased.tsv missing");
    for (line = data; data && line < data + len; line = next) {
        char *eol = strchr(line, '\n'), *tab;
        int32_t ids[1024];
        int ni;
        if (!eol) eol = data + len;
        next = eol + 1;
        *eol = 0;
        tab = strchr(line, '\t');
        if (!tab) continue;
        *tab = 0;
        ni = parse_ints(line, tab, ids, 1024);
        unhex(tab + 1, strlen(tab + 1));
        tab[1 + strlen(tab + 1) / 2] = 0;
        CHECK(mtl_decode(t, ids, ni, NULL, out, sizeof out, &ol, &err) == MTL_OK && !strcmp(out, tab + 1), "decode golden %d: '%s' want '%s'", n, out, tab + 1);
        n++;
    }
    CHECK(!data || n >= 50, "only %d decode goldens", n);
    free(data);
    (void)path;
    mtl_encoding_free(&e);
    mtl_tokenizer_free(t);
}

/* ---------------------------------------------------------------- caller memory, threads */
static void test_caller_buffer(void) {
    mtl_tokenizer *t = load("uncased");
    static int32_t mem[12 * 16 + 3]; /* 48 bytes per token: room for 16 */
    mtl_encoding e;
    mtl_error err;
    if (!t) return;
    CHECK(mtl_encoding_init_buffer(&e, mem, sizeof mem) == MTL_OK && e.cap == 16, "cap %d", e.cap);
    CHECK(mtl_encode(t, "Hello, world!", 13, NULL, &e, &err) == MTL_OK && e.n == 6 && e.ids[1] == 7592, "fits");
    CHECK(mtl_encode(t, "a b c d e f g h i j k l m n o p q r", 35, NULL, &e, &err) == MTL_ERR_NOMEM, "too long for the buffer: %s", err.msg);
    CHECK(mtl_encode(t, "Hello, world!", 13, NULL, &e, &err) == MTL_OK && e.n == 6, "reusable after an error");
    mtl_encoding_free(&e); /* no-op for caller memory */
    mtl_tokenizer_free(t);
}

typedef struct { mtl_tokenizer *t; const char *text; size_t len; int32_t sum; int ok; } thr_arg;
static void *thr_main(void *p) {
    thr_arg *a = (thr_arg *)p;
    mtl_encoding e;
    int k, rep;
    memset(&e, 0, sizeof e);
    a->ok = 1;
    for (rep = 0; rep < 200; rep++) {
        int32_t s = 0;
        if (mtl_encode(a->t, a->text, a->len, NULL, &e, NULL)) { a->ok = 0; break; }
        for (k = 0; k < e.n; k++) s += e.ids[k] * (k + 1);
        if (rep && s != a->sum) a->ok = 0;
        a->sum = s;
    }
    mtl_encoding_free(&e);
    return NULL;
}
static void test_threads(void) {
    mtl_tokenizer *t = load("uncased");
    pthread_t th[4];
    thr_arg args[4];
    int i;
    static const char *texts[2] = {"The caf\xc3\xa9 served cr\xc3\xa8me br\xc3\xbbl\xc3\xa9" "e \xe4\xb8\xad\xe6\x96\x87 [MASK] x",
                                   "Transformers use self-attention to mix information across positions."};
    if (!t) return;
    for (i = 0; i < 4; i++) {
        args[i].t = t; args[i].text = texts[i % 2]; args[i].len = strlen(texts[i % 2]); args[i].sum = 0; args[i].ok = 0;
        pthread_create(&th[i], NULL, thr_main, &args[i]);
    }
    for (i = 0; i < 4; i++) pthread_join(th[i], NULL);
    for (i = 0; i < 4; i++) CHECK(args[i].ok && args[i].sum == args[i % 2].sum, "thread %d", i);
    mtl_tokenizer_free(t);
}

int main(void) {
    RUN(test_fixture_tsv);
    RUN(test_fixture_jsonl);
    RUN(test_fixture_batches);
    RUN(test_vocab_txt_paths);
    RUN(test_added_truncation);
    RUN(test_file_options);
    RUN(test_bad_text);
    RUN(test_bad_vocab);
    RUN(test_bad_json);
    RUN(test_decode);
    RUN(test_caller_buffer);
    RUN(test_threads);
    TEST_MAIN_END();
}
