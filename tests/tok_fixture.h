/* The tokenizer fixtures of tests/data/bpe and tests/data/unigram (HF tokenizers outputs, one encoding
   case per JSON line: tools/gen_bpe_fixtures.py, tools/gen_unigram_fixtures.py) compared with mtl's:
   ids, type ids, byte offsets, word ids, special tokens mask, sequence ids, truncation, padding, decode.
   Included by the tests that use them (after mtl_tokenizer.h and mtl_test.h); set fixture_dir first. */
#ifndef MTL_TOK_FIXTURE_H
#define MTL_TOK_FIXTURE_H
#define json_ints_eq mtl_t_json_ints_eq

static int json_str_eq(const mtl__json *j, int node, const char *got, size_t n) {
    size_t len;
    char *s = mtl__json_strdup(j, node, &len);
    int eq = s && len == n && memcmp(s, got, n) == 0;
    MTL_FREE(s);
    return eq;
}

static const char *fixture_dir = "tests/data/bpe";

static char *read_fixture(const char *name, const char *ext, size_t *len) {
    char path[256];
    snprintf(path, sizeof path, "%s/%s.%s", fixture_dir, name, ext);
    return mtl_t_read(path, len);
}

static mtl_tokenizer *load_fixture(const char *name) {
    mtl_tokenizer *t = NULL;
    mtl_error err;
    char path[256];
    snprintf(path, sizeof path, "%s/%s.json", fixture_dir, name);
    if (mtl_tokenizer_load_json(path, NULL, &t, &err)) {
        CHECK(0, "load %s: %s", path, err.msg);
        return NULL;
    }
    return t;
}

/* How run_fixtures loads a fixture's tokenizer: load_fixture unless a test sets its own (a tokenizer.json
   made from another one, options). */
static mtl_tokenizer *(*fixture_loader)(const char *name) = NULL;

typedef struct counts { int cases, encodings, truncated, padded, no_special, decodes; } counts;

/* Compares one encoding (the object at node v) with enc; what = a label for messages. */
static void check_enc(const mtl_tokenizer *t, const mtl__json *j, int v, const mtl_encoding *enc, int pair, const char *what,
                      counts *c) {
    static char dec[1 << 16];
    size_t dl;
    mtl_decode_options keep = {1, 0};
    mtl_error err;
    int d;
    CHECK(json_ints_eq(j, mtl__json_get(j, v, "ids"), enc->ids, enc->n, 0), "%s: ids", what);
    CHECK(json_ints_eq(j, mtl__json_get(j, v, "type_ids"), enc->type_ids, enc->n, 0), "%s: type_ids", what);
    CHECK(json_ints_eq(j, mtl__json_get(j, v, "byte_offsets"), enc->offsets, 2 * enc->n, 1), "%s: byte_offsets", what);
    d = mtl__json_get(j, v, "word_ids");
    if (d >= 0) CHECK(json_ints_eq(j, d, enc->word_ids, enc->n, 0), "%s: word_ids", what);
    d = mtl__json_get(j, v, "special_tokens_mask");
    if (d >= 0) CHECK(json_ints_eq(j, d, enc->special_tokens_mask, enc->n, 0), "%s: special_tokens_mask", what);
    d = mtl__json_get(j, v, "attention_mask");
    if (d >= 0) CHECK(json_ints_eq(j, d, enc->attention_mask, enc->n, 0), "%s: attention_mask", what);
    if (pair && (d = mtl__json_get(j, v, "sequence_ids")) >= 0) CHECK(json_ints_eq(j, d, enc->sequence_ids, enc->n, 0), "%s: sequence_ids", what);
    c->encodings++;
    d = mtl__json_get(j, v, "decode");
    if (d >= 0) {
        CHECK(mtl_decode(t, enc->ids, enc->n, NULL, dec, sizeof dec, &dl, &err) == MTL_OK, "%s: decode: %s", what, err.msg);
        CHECK(json_str_eq(j, d, dec, dl), "%s: decode '%s'", what, dec);
        c->decodes++;
    }
    d = mtl__json_get(j, v, "decode_all");
    if (d >= 0) {
        CHECK(mtl_decode(t, enc->ids, enc->n, &keep, dec, sizeof dec, &dl, &err) == MTL_OK, "%s: decode: %s", what, err.msg);
        CHECK(json_str_eq(j, d, dec, dl), "%s: decode_all '%s'", what, dec);
        c->decodes++;
    }
}

/* Encodes a (and b, when not NULL) with o and compares the result with the encoding at node v. */
static void encode_check(const mtl_tokenizer *t, const mtl__json *j, int v, const char *a, size_t la, const char *b, size_t lb,
                         const mtl_encode_options *o, mtl_encoding *enc, const char *what, counts *c) {
    mtl_error err;
    if (b) CHECK(mtl_encode_pair(t, a, la, b, lb, o, enc, &err) == MTL_OK, "%s: %s", what, err.msg);
    else CHECK(mtl_encode(t, a, la, o, enc, &err) == MTL_OK, "%s: %s", what, err.msg);
    check_enc(t, j, v, enc, b != NULL, what, c);
}

static void check_case(const mtl_tokenizer *t, const mtl__json *j, mtl_encoding *enc, const char *name, counts *c) {
    char id[64], what[160];
    size_t la = 0, lb = 0;
    char *a = mtl__json_strdup(j, mtl__json_get(j, 0, "text"), &la), *b = mtl__json_strdup(j, mtl__json_get(j, 0, "text_b"), &lb);
    int v, k;
    mtl_encode_options o;
    size_t il = mtl__json_unescape(j, mtl__json_get(j, 0, "id"), id, sizeof id - 1);
    id[il == (size_t)-1 ? 0 : il] = 0;
    CHECK(a != NULL, "%s: no text", name);
    if (!a) return;
    c->cases++;
    memset(&o, 0, sizeof o);
    snprintf(what, sizeof what, "%s %s", name, id);
    encode_check(t, j, 0, a, la, b, lb, &o, enc, what, c);
    v = mtl__json_get(j, 0, "no_special");
    if (v >= 0) {
        memset(&o, 0, sizeof o);
        o.no_special_tokens = 1;
        snprintf(what, sizeof what, "%s %s no_special", name, id);
        encode_check(t, j, v, a, la, b, lb, &o, enc, what, c);
        c->no_special++;
    }
    v = mtl__json_get(j, 0, "truncated");
    if (v >= 0) {
        for (k = j->nodes[v].child; k >= 0; k = j->nodes[k].next) {
            char key[64];
            size_t kl = mtl__json_unescape_range(j->s, j->nodes[k].kstart, j->nodes[k].kend, key, sizeof key - 1);
            char *colon;
            key[kl == (size_t)-1 ? 0 : kl] = 0;
            colon = strchr(key, ':');
            if (!colon) { CHECK(0, "%s: bad truncation key %s", what, key); continue; }
            memset(&o, 0, sizeof o);
            o.max_length = atoi(colon + 1);
            o.truncation = strncmp(key, "only_first", 10) == 0 ? MTL_TRUNCATE_ONLY_FIRST
                         : strncmp(key, "only_second", 11) == 0 ? MTL_TRUNCATE_ONLY_SECOND : MTL_TRUNCATE_LONGEST_FIRST;
            snprintf(what, sizeof what, "%s %s trunc %s", name, id, key);
            encode_check(t, j, k, a, la, b, lb, &o, enc, what, c);
            c->truncated++;
        }
    }
    v = mtl__json_get(j, 0, "padded");
    if (v >= 0) {
        long ml = 0;
        CHECK(mtl__json_int(j, mtl__json_get(j, v, "max_length"), 1, 4096, &ml), "%s: padded.max_length", what);
        memset(&o, 0, sizeof o);
        o.max_length = (int)ml;
        o.padding = MTL_PAD_MAX_LENGTH;
        snprintf(what, sizeof what, "%s %s padded", name, id);
        encode_check(t, j, v, a, la, b, lb, &o, enc, what, c);
        c->padded++;
    }
    MTL_FREE(a);
    MTL_FREE(b);
}

static void run_fixture(const mtl_tokenizer *t, const char *name, counts *c) {
    size_t len;
    char *data = read_fixture(name, "jsonl", &len), *line, *eol;
    mtl_encoding enc;
    memset(&enc, 0, sizeof enc);
    CHECK(data != NULL, "no %s/%s.jsonl", fixture_dir, name);
    if (!data) return;
    for (line = data; line < data + len; line = eol + 1) {
        mtl__json j;
        eol = strchr(line, '\n');
        if (!eol) eol = data + len;
        if (eol == line) continue;
        memset(&j, 0, sizeof j);
        if (mtl__json_parse(&j, line, (size_t)(eol - line)) != 0) CHECK(0, "%s: bad JSON line", name);
        else check_case(t, &j, &enc, name, c);
        mtl__json_free(&j);
    }
    mtl_encoding_free(&enc);
    free(data);
}

/* Every case of each named fixture, the tokenizer loaded from its tokenizer.json (image = 0) or bound in
   place, in caller memory, from a copy of its image (image = 1). */
static void run_fixtures(const char *const *names, int n, int image) {
    int f;
    for (f = 0; f < n; f++) {
        counts c;
        mtl_tokenizer *t = fixture_loader ? fixture_loader(names[f]) : load_fixture(names[f]), *t2 = NULL;
        size_t il = 0;
        void *copy = NULL, *mem = NULL;
        mtl_error err;
        memset(&c, 0, sizeof c);
        if (!t) continue;
        if (image) {
            const void *img = mtl_tokenizer_image(t, &il);
            copy = malloc(il);
            mem = malloc(mtl_tokenizer_struct_bytes());
            memcpy(copy, img, il);
            mtl_tokenizer_free(t);
            t = NULL;
            CHECK(mtl_tokenizer_from_image(copy, il, mem, mtl_tokenizer_struct_bytes(), &t2, &err) == MTL_OK, "from_image: %s", err.msg);
            if (!t2) { free(copy); free(mem); continue; }
        }
        run_fixture(image ? t2 : t, names[f], &c);
        if (image) printf("  %s from its image (%lu bytes): %d encodings, %d decodes compared\n", names[f], (unsigned long)il, c.encodings, c.decodes);
        else printf("  %s: %d cases, %d encodings (%d truncated, %d padded, %d without special tokens), %d decodes compared\n",
                    names[f], c.cases, c.encodings, c.truncated, c.padded, c.no_special, c.decodes);
        CHECK(c.cases > 100, "%s: only %d cases", names[f], c.cases);
        mtl_tokenizer_free(image ? t2 : t);
        free(copy);
        free(mem);
    }
}

/* Each case replaces the first `from` in the tokenizer.json text js with `to`; the result must be
   refused as MTL_ERR_UNSUPPORTED with a message containing `says`. */
typedef struct refuse_case { const char *from, *to, *says; } refuse_case;
static void check_refused(const char *js, size_t len, const refuse_case *cases, size_t n) {
    size_t k;
    for (k = 0; k < n; k++) {
        const char *p = strstr(js, cases[k].from);
        char *m;
        size_t fl = strlen(cases[k].from), tl = strlen(cases[k].to);
        mtl_tokenizer_files f;
        mtl_tokenizer *t = NULL;
        mtl_error err;
        mtl_result r;
        CHECK(p != NULL, "fixture lacks %s", cases[k].from);
        if (!p) continue;
        m = (char *)malloc(len - fl + tl + 1);
        memcpy(m, js, (size_t)(p - js));
        memcpy(m + (p - js), cases[k].to, tl);
        memcpy(m + (p - js) + tl, p + fl, len - (size_t)(p - js) - fl);
        memset(&f, 0, sizeof f);
        f.tokenizer_json = m;
        f.tokenizer_json_len = len - fl + tl;
        r = mtl_tokenizer_from_memory(&f, NULL, &t, &err);
        CHECK(r == MTL_ERR_UNSUPPORTED && strstr(err.msg, cases[k].says), "%s: got %d '%s'", cases[k].to, (int)r, r ? err.msg : "");
        mtl_tokenizer_free(t);
        free(m);
    }
}

#endif
