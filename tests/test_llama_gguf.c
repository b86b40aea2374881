/* GGUF files written by llama.cpp's convert_hf_to_gguf.py (issue 11; FILE FORMAT in mtl_bert.h, "FILES
   FROM LLAMA.CPP"). tests/golden/tiny_random_bert.llamacpp.gguf was written by that converter
   (tools/make_llama_gguf.sh; the version is in tiny_random_bert.llamacpp.txt) from
   $MTL_SHARED/models/tiny-random-bert; mtl's own file of the same model is converted here with
   weights_convert's code. Checked: the two give bit-identical token ids, token states and sentence
   embeddings on texts with multi-piece words, punctuation, accents, uppercase, CJK, unknown
   characters, [MASK], an over-long word and pairs; the documented differences (pooler dropped by the
   converter, max length = the position table) hold; and hand-edited variants of the llama.cpp file
   load by the documented rules or are refused with a message that names the reason. */
#include "../weights_convert/convert.h"
#include "mtl_test.h"

#define LLAMA_FILE "tests/golden/tiny_random_bert.llamacpp.gguf"

/* ---- a minimal GGUF editor (independent of mtl's reader): key/value records, tensor infos, data ---- */
typedef struct { unsigned char *d; size_t n, cap; } buf;
static void put(buf *b, const void *p, size_t n) {
    if (b->n + n > b->cap) {
        size_t c = b->cap ? b->cap : 256;
        while (c < b->n + n) c *= 2;
        b->d = (unsigned char *)realloc(b->d, c);
        b->cap = c;
    }
    memcpy(b->d + b->n, p, n);
    b->n += n;
}
static void put_u32(buf *b, uint32_t v) { unsigned char x[4]; int i; for (i = 0; i < 4; i++) x[i] = (unsigned char)(v >> (8 * i)); put(b, x, 4); }
static void put_u64(buf *b, uint64_t v) { unsigned char x[8]; int i; for (i = 0; i < 8; i++) x[i] = (unsigned char)(v >> (8 * i)); put(b, x, 8); }
static void put_str(buf *b, const char *s, size_t n) { put_u64(b, n); put(b, s, n); }
static uint32_t get_u32(const unsigned char *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24; }
static uint64_t get_u64(const unsigned char *p) { return (uint64_t)get_u32(p) | (uint64_t)get_u32(p + 4) << 32; }

typedef struct { char key[96]; buf rec; } kvrec;
typedef struct {
    kvrec kv[64];
    int n_kv;
    buf tinfo;
    uint64_t n_t;
    buf data;
} gg;

static size_t scalar_size(uint32_t t) {
    static const size_t sz[13] = {1, 1, 2, 2, 4, 4, 4, 1, 0, 0, 8, 8, 8};
    return t < 13 ? sz[t] : 0;
}
static int gg_parse(gg *g, const unsigned char *d, size_t len) {
    size_t pos = 24, i, start;
    uint64_t n_kv;
    memset(g, 0, sizeof *g);
    if (len < 24 || memcmp(d, "GGUF", 4) != 0 || get_u32(d + 4) != 3) return 0;
    g->n_t = get_u64(d + 8);
    n_kv = get_u64(d + 16);
    if (n_kv > 64) return 0;
    for (i = 0; i < n_kv; i++) {
        uint64_t kl = get_u64(d + pos);
        uint32_t t;
        start = pos;
        if (kl >= sizeof g->kv[i].key) return 0;
        memcpy(g->kv[i].key, d + pos + 8, (size_t)kl);
        pos += 8 + (size_t)kl;
        t = get_u32(d + pos);
        pos += 4;
        if (t == 8) pos += 8 + (size_t)get_u64(d + pos);
        else if (t == 9) {
            uint32_t et = get_u32(d + pos);
            uint64_t cnt = get_u64(d + pos + 4), k;
            pos += 12;
            if (et == 8) for (k = 0; k < cnt; k++) pos += 8 + (size_t)get_u64(d + pos);
            else pos += (size_t)cnt * scalar_size(et);
        } else pos += scalar_size(t);
        put(&g->kv[i].rec, d + start, pos - start);
        g->n_kv++;
    }
    start = pos;
    for (i = 0; i < g->n_t; i++) {
        uint32_t nd;
        pos += 8 + (size_t)get_u64(d + pos);
        nd = get_u32(d + pos);
        pos += 4 + 8 * (size_t)nd + 4 + 8;
    }
    put(&g->tinfo, d + start, pos - start);
    pos = (pos + 31) / 32 * 32;   /* llama.cpp's files keep the default alignment, 32 */
    if (pos > len) return 0;
    put(&g->data, d + pos, len - pos);
    return 1;
}
static unsigned char *gg_write(const gg *g, size_t *len) {
    buf b;
    int i;
    memset(&b, 0, sizeof b);
    put(&b, "GGUF", 4);
    put_u32(&b, 3);
    put_u64(&b, g->n_t);
    put_u64(&b, (uint64_t)g->n_kv);
    for (i = 0; i < g->n_kv; i++) put(&b, g->kv[i].rec.d, g->kv[i].rec.n);
    put(&b, g->tinfo.d, g->tinfo.n);
    while (b.n % 32) put(&b, "", 1);
    put(&b, g->data.d, g->data.n);
    *len = b.n;
    return b.d;
}
static void gg_free(gg *g) {
    int i;
    for (i = 0; i < g->n_kv; i++) free(g->kv[i].rec.d);
    free(g->tinfo.d);
    free(g->data.d);
}
static int gg_find(const gg *g, const char *key) {
    int i;
    for (i = 0; i < g->n_kv; i++) if (strcmp(g->kv[i].key, key) == 0) return i;
    return -1;
}
static void gg_drop(gg *g, const char *key) {
    int i = gg_find(g, key);
    if (i < 0) return;
    free(g->kv[i].rec.d);
    memmove(&g->kv[i], &g->kv[i + 1], (size_t)(g->n_kv - i - 1) * sizeof g->kv[0]);
    g->n_kv--;
}
/* Replaces (or appends) key with a value of type t whose bytes are v. */
static void gg_set(gg *g, const char *key, uint32_t t, const void *v, size_t vn) {
    int i = gg_find(g, key);
    if (i < 0) { i = g->n_kv++; memset(&g->kv[i], 0, sizeof g->kv[i]); snprintf(g->kv[i].key, sizeof g->kv[i].key, "%s", key); }
    g->kv[i].rec.n = 0;
    put_str(&g->kv[i].rec, key, strlen(key));
    put_u32(&g->kv[i].rec, t);
    put(&g->kv[i].rec, v, vn);
}
static void gg_set_u32(gg *g, const char *key, uint32_t v) { unsigned char x[4]; int i; for (i = 0; i < 4; i++) x[i] = (unsigned char)(v >> (8 * i)); gg_set(g, key, 4, x, 4); }
static void gg_set_bool(gg *g, const char *key, int v) { unsigned char x = (unsigned char)(v != 0); gg_set(g, key, 7, &x, 1); }
static void gg_set_str(gg *g, const char *key, const char *s) { buf v; memset(&v, 0, sizeof v); put_str(&v, s, strlen(s)); gg_set(g, key, 8, v.d, v.n); free(v.d); }

/* The token strings (pointers into the record) of tokenizer.ggml.tokens. */
static int gg_tokens(const gg *g, const unsigned char **s, size_t *l, int cap) {
    int i = gg_find(g, "tokenizer.ggml.tokens"), k, n;
    const unsigned char *p;
    if (i < 0) return 0;
    p = g->kv[i].rec.d + 8 + strlen(g->kv[i].key) + 4;
    n = (int)get_u64(p + 4);
    p += 12;
    for (k = 0; k < n && k < cap; k++) { l[k] = (size_t)get_u64(p); s[k] = p + 8; p += 8 + l[k]; }
    return n;
}
#define MAXV 40000
static const unsigned char *g_ts[MAXV];
static size_t g_tl[MAXV];
/* Rebuilds tokenizer.ggml.tokens with token `id` replaced by `text` (id < 0: every token passed through map). */
static void gg_set_token(gg *g, int id, const char *text, void (*map)(const unsigned char *, size_t, buf *)) {
    int n = gg_tokens(g, g_ts, g_tl, MAXV), k;
    buf v;
    memset(&v, 0, sizeof v);
    put_u32(&v, 8);
    put_u64(&v, (uint64_t)n);
    for (k = 0; k < n; k++) {
        if (k == id) put_str(&v, text, strlen(text));
        else if (map) { buf t; memset(&t, 0, sizeof t); map(g_ts[k], g_tl[k], &t); put_str(&v, (const char *)t.d, t.n); free(t.d); }
        else put_str(&v, (const char *)g_ts[k], g_tl[k]);
    }
    gg_set(g, "tokenizer.ggml.tokens", 9, v.d, v.n);
    free(v.d);
}
static int gg_token_id(const gg *g, const char *text) {
    int n = gg_tokens(g, g_ts, g_tl, MAXV), k;
    for (k = 0; k < n; k++) if (g_tl[k] == strlen(text) && memcmp(g_ts[k], text, g_tl[k]) == 0) return k;
    return -1;
}
static void gg_set_token_type(gg *g, int id, uint32_t ty) {
    int i = gg_find(g, "tokenizer.ggml.token_type");
    unsigned char *p;
    if (i < 0) return;
    p = g->kv[i].rec.d + 8 + strlen(g->kv[i].key) + 4 + 12 + 4 * (size_t)id;
    p[0] = (unsigned char)ty; p[1] = (unsigned char)(ty >> 8); p[2] = (unsigned char)(ty >> 16); p[3] = (unsigned char)(ty >> 24);
}
/* Adds a 1-D F32 tensor info that points at offset 0 of the data (its contents do not matter). */
/* An F32 tensor of ne0 zeros with data of its own (appended, 32-byte aligned: the loader refuses
   tensors whose data overlap). */
static void gg_add_tensor(gg *g, const char *name, uint64_t ne0) {
    uint64_t i;
    while (g->data.n % 32) put(&g->data, "", 1);
    put_str(&g->tinfo, name, strlen(name));
    put_u32(&g->tinfo, 1);
    put_u64(&g->tinfo, ne0);
    put_u32(&g->tinfo, 0);
    put_u64(&g->tinfo, g->data.n);
    for (i = 0; i < ne0; i++) put_u32(&g->data, 0);
    g->n_t++;
}

/* ---- the two files ---- */
static unsigned char *g_llama, *g_own;
static size_t g_llama_len, g_own_len;

static int load_files(void) {
    char dir[1024];
    cv_result res;
    mtl_error err;
    if (g_llama && g_own) return 1;
    if (!g_llama && mtl_t_exists(LLAMA_FILE)) g_llama = (unsigned char *)mtl_t_read(LLAMA_FILE, &g_llama_len);
    if (!g_llama) return 0;
    mtl_t_path(dir, sizeof dir, "models/tiny-random-bert");
    if (cv_convert_dir(dir, NULL, 0, &res, &err)) return 0;
    g_own = cv_result_blob(&res, &g_own_len);
    cv_result_free(&res);
    return g_own != NULL;
}

static const char *const g_texts[] = {
    "Hello, world!",
    "unaffable tokenization of antidisestablishmentarianism",
    "Crème brûlée, naïve café, Ångström, façade.",
    "HELLO World ThIs Is MiXeD CaSe",
    "東京タワーは日本にあります。北京 서울 ąčęėįšųūž",
    "emoji \xF0\x9F\xA6\x99\xE2\x98\x83 and control \x01\x7F chars \xEF\xBF\xBD, bad utf-8 \xFF\xC3",
    "[MASK] is a [CLS] token; a [UNK] one; [unused5]",
    "it's (quoted) \"text\" -- with... punctuation!? 3.14 1,000 $5 #tag @user",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa word",
    "tabs\tand\nnew lines \r\n  spaces",
    "",
};
#define N_TEXTS ((int)(sizeof g_texts / sizeof g_texts[0]))
static const char *const g_pairs[][2] = {
    {"How old are you?", "I am SIX years old."},
    {"Résumé", "東京"},
};

/* Sentence embeddings [n, H] of the texts (and then the pairs) with options eo; tokens: token states. */
static int embed_all(const mtl_model *m, const mtl_embed_options *eo, float *emb, float *tokens, int *lens) {
    mtl_ctx ctx;
    mtl_forward_out o;
    mtl_error err;
    const char *a[2], *b[2];
    int ok = 1;
    memset(&o, 0, sizeof o);
    o.embeddings = emb;
    o.tokens = tokens;
    o.lengths = lens;
    if (mtl_ctx_init(&ctx, m, NULL)) return 0;
    if (mtl_forward_texts(&ctx, N_TEXTS, g_texts, NULL, NULL, NULL, eo, &o, &err)) { printf("  %s\n", err.msg); ok = 0; }
    a[0] = g_pairs[0][0]; a[1] = g_pairs[1][0]; b[0] = g_pairs[0][1]; b[1] = g_pairs[1][1];
    o.embeddings = emb + (size_t)N_TEXTS * (size_t)mtl_model_get_info(m)->hidden_size;
    o.tokens = NULL;
    o.lengths = NULL;
    if (ok && mtl_forward_texts(&ctx, 2, a, NULL, b, NULL, eo, &o, &err)) { printf("  %s\n", err.msg); ok = 0; }
    mtl_ctx_free(&ctx);
    return ok;
}

#define H_MAX 64
static void test_llamacpp_file_equals_own_file(void) {
    mtl_model *ml = NULL, *mo = NULL;
    mtl_error err;
    const mtl_model_info *il, *io;
    static float el[(N_TEXTS + 2) * H_MAX], eo_[(N_TEXTS + 2) * H_MAX], tl[N_TEXTS * 512 * H_MAX], to[N_TEXTS * 512 * H_MAX];
    int ll[N_TEXTS], lo[N_TEXTS], i, j, total = 0;
    mtl_embed_options opt;
    mtl_tokenizer_options ko;
    if (!load_files()) SKIP("%s or tiny-random-bert missing (set MTL_SHARED)", LLAMA_FILE);
    CHECK(mtl_model_from_memory(g_llama, g_llama_len, &ml, &err) == MTL_OK, "llama.cpp file: %s", err.msg);
    CHECK(mtl_model_from_memory(g_own, g_own_len, &mo, &err) == MTL_OK, "own file: %s", err.msg);
    if (!ml || !mo) { mtl_model_free(ml); mtl_model_free(mo); return; }
    il = mtl_model_get_info(ml);
    io = mtl_model_get_info(mo);
    CHECK(il->hidden_size <= H_MAX, "hidden size");
    CHECK(il->vocab_size == io->vocab_size && il->hidden_size == io->hidden_size && il->n_layers == io->n_layers, "sizes differ");
    CHECK(il->pooling == MTL_POOL_MEAN && io->pooling == MTL_POOL_MEAN, "pooling %d / %d (bert.pooling_type 1 = mean)", (int)il->pooling, (int)io->pooling);
    CHECK(il->normalize == 1 && io->normalize == 1, "normalize %d / %d", il->normalize, io->normalize);
    /* documented differences: the converter drops the pooler and stores no max_seq_length */
    CHECK(!il->has_pooler && io->has_pooler, "has_pooler %d / %d", il->has_pooler, io->has_pooler);
    CHECK(il->max_seq_length == 512 && io->max_seq_length == 256, "max_seq_length %d / %d", il->max_seq_length, io->max_seq_length);
    mtl_tokenizer_get_options(mtl_model_tokenizer(ml), &ko);
    CHECK(ko.lowercase > 0 && ko.strip_accents > 0 && ko.handle_chinese_chars > 0 && ko.clean_text > 0 && ko.max_input_chars_per_word == 100,
          "tokenizer options %d %d %d %d %d", ko.lowercase, ko.strip_accents, ko.handle_chinese_chars, ko.clean_text, ko.max_input_chars_per_word);
    /* the vocabulary maps back to WordPiece exactly: every token string equal */
    {
        int n = mtl_tokenizer_vocab_size(mtl_model_tokenizer(ml)), bad = 0;
        CHECK(n == mtl_tokenizer_vocab_size(mtl_model_tokenizer(mo)), "vocab sizes %d / %d", n, mtl_tokenizer_vocab_size(mtl_model_tokenizer(mo)));
        for (i = 0; i < n; i++) {
            size_t a = 0, b = 0;
            const char *x = mtl_tokenizer_id_to_token(mtl_model_tokenizer(ml), i, &a), *y = mtl_tokenizer_id_to_token(mtl_model_tokenizer(mo), i, &b);
            if (!x || !y || a != b || memcmp(x, y, a) != 0) { if (!bad) printf("  token %d: %.*s / %.*s\n", i, (int)a, x ? x : "", (int)b, y ? y : ""); bad++; }
        }
        CHECK(bad == 0, "%d tokens differ", bad);
    }
    /* token ids */
    for (i = 0; i < N_TEXTS; i++) {
        mtl_encoding a, b;
        memset(&a, 0, sizeof a);
        memset(&b, 0, sizeof b);
        CHECK(!mtl_encode(mtl_model_tokenizer(ml), g_texts[i], strlen(g_texts[i]), NULL, &a, &err) &&
              !mtl_encode(mtl_model_tokenizer(mo), g_texts[i], strlen(g_texts[i]), NULL, &b, &err), "encode");
        CHECK(a.n == b.n && a.n > 0 && memcmp(a.ids, b.ids, (size_t)a.n * sizeof *a.ids) == 0, "text %d: ids differ", i);
        if (i == 1 || i == 2) CHECK(a.n > 6, "text %d should split into several pieces (%d tokens)", i, a.n);
        mtl_encoding_free(&a);
        mtl_encoding_free(&b);
    }
    /* embeddings: the model defaults, then each pooling without normalisation; token states */
    for (j = 0; j < 5; j++) {
        memset(&opt, 0, sizeof opt);
        if (j > 0) { opt.pooling = j == 1 ? MTL_POOL_CLS : j == 2 ? MTL_POOL_MEAN : MTL_POOL_MAX; opt.normalize = -1; }
        if (j == 4) { opt.pooling = MTL_POOL_MEAN; opt.normalize = 1; opt.max_length = 7; }
        memset(el, 0, sizeof el);
        memset(eo_, 0, sizeof eo_);
        CHECK(embed_all(ml, &opt, el, j == 0 ? tl : NULL, ll) && embed_all(mo, &opt, eo_, j == 0 ? to : NULL, lo), "forward %d", j);
        CHECK(memcmp(el, eo_, (size_t)(N_TEXTS + 2) * (size_t)il->hidden_size * sizeof(float)) == 0, "options %d: embeddings are not bit-identical", j);
        if (j == 0) {
            CHECK(memcmp(ll, lo, sizeof ll) == 0, "lengths differ");
            for (i = 0; i < N_TEXTS; i++) total += ll[i];
            CHECK(memcmp(tl, to, (size_t)total * (size_t)il->hidden_size * sizeof(float)) == 0, "token states are not bit-identical");
        }
    }
    /* the converter drops the pooler: pooler pooling is an error, not a silent fallback */
    {
        mtl_ctx cl;
        mtl_forward_out o;
        memset(&o, 0, sizeof o);
        o.embeddings = el;
        memset(&opt, 0, sizeof opt);
        opt.pooling = MTL_POOL_POOLER;
        mtl_ctx_init(&cl, ml, NULL);
        CHECK(mtl_forward_texts(&cl, 1, g_texts, NULL, NULL, NULL, &opt, &o, &err) == MTL_ERR_UNSUPPORTED, "pooler pooling on the llama.cpp file");
        mtl_ctx_free(&cl);
    }
    /* the documented max-length rule: a text over 256 tokens is cut at 512 (the position table) in the
       llama.cpp file and at sentence-transformers' 256 in mtl's own; with max_length 256 both agree */
    {
        static char longtext[4000];
        const char *lt[1];
        int nl = 0, no = 0;
        mtl_ctx cl, co;
        mtl_forward_out o;
        size_t k;
        for (k = 0; k + 6 < sizeof longtext; k += 6) memcpy(longtext + k, "word, ", 6);
        longtext[k] = 0;
        lt[0] = longtext;
        memset(&opt, 0, sizeof opt);
        mtl_ctx_init(&cl, ml, NULL);
        mtl_ctx_init(&co, mo, NULL);
        memset(&o, 0, sizeof o);
        o.embeddings = el; o.lengths = &nl;
        CHECK(!mtl_forward_texts(&cl, 1, lt, NULL, NULL, NULL, &opt, &o, &err), "%s", err.msg);
        o.embeddings = eo_; o.lengths = &no;
        CHECK(!mtl_forward_texts(&co, 1, lt, NULL, NULL, NULL, &opt, &o, &err), "%s", err.msg);
        CHECK(nl == 512 && no == 256, "long text lengths %d / %d", nl, no);
        opt.max_length = 256;
        o.embeddings = el; o.lengths = &nl;
        CHECK(!mtl_forward_texts(&cl, 1, lt, NULL, NULL, NULL, &opt, &o, &err), "%s", err.msg);
        CHECK(nl == 256 && memcmp(el, eo_, (size_t)il->hidden_size * sizeof(float)) == 0, "max_length 256: not identical");
        mtl_ctx_free(&cl);
        mtl_ctx_free(&co);
    }
    mtl_model_free(ml);
    mtl_model_free(mo);
}

/* Loads an edited copy of the llama.cpp file (the model uses the buffer in place: free it with
   free_variant). Returns the result, fills err. */
static unsigned char *g_vbuf;
static mtl_result load_variant(const gg *g, mtl_model **m, mtl_error *err) {
    size_t len;
    mtl_result r;
    free(g_vbuf);
    g_vbuf = gg_write(g, &len);
    *m = NULL;
    r = mtl_model_from_memory(g_vbuf, len, m, err);
    return r;
}
static void free_variant(mtl_model *m) {
    mtl_model_free(m);
    free(g_vbuf);
    g_vbuf = NULL;
}
#define EXPECT_REFUSED(g, substr)                                                                        \
    do {                                                                                                   \
        mtl_model *m_;                                                                                     \
        mtl_error e_;                                                                                      \
        mtl_result r_ = load_variant(g, &m_, &e_);                                                         \
        CHECK(r_ != MTL_OK && strstr(e_.msg, substr) != NULL, "expected a refusal naming \"%s\", got %d: %s", \
              substr, (int)r_, r_ ? e_.msg : "(loaded)");                                                 \
        if (r_) printf("  info: refused as expected: %s\n", e_.msg);                                           \
        free_variant(m_);                                                                                  \
    } while (0)

static int fresh(gg *g) { return gg_parse(g, g_llama, g_llama_len); }

/* llama.cpp's phantom form undone: "\u2581word" -> "word", "piece" -> "##piece" (control tokens kept). */
static void unphantom(const unsigned char *s, size_t l, buf *out) {
    if (l >= 3 && s[0] == 0xE2 && s[1] == 0x96 && s[2] == 0x81) put(out, s + 3, l - 3);
    else if (l && s[0] == '[' && s[l - 1] == ']') put(out, s, l);
    else { put(out, "##", 2); put(out, s, l); }
}

static void test_llamacpp_variants(void) {
    gg g;
    int id;
    mtl_model *m;
    mtl_error err;
    if (!load_files()) SKIP("%s or tiny-random-bert missing (set MTL_SHARED)", LLAMA_FILE);
    CHECK(fresh(&g), "cannot parse %s", LLAMA_FILE);
    /* unchanged round trip through the editor loads */
    CHECK(load_variant(&g, &m, &err) == MTL_OK, "round trip: %s", err.msg);
    free_variant(m);
    gg_free(&g);

    /* tokenizer.ggml.model other than bert */
    fresh(&g); gg_set_str(&g, "tokenizer.ggml.model", "gpt2");
    EXPECT_REFUSED(&g, "tokenizer.ggml.model"); gg_free(&g);
    /* no lowercase key (older converters): an all-lowercase, accent-free vocabulary reads as uncased
       and gives the same embeddings */
    fresh(&g); gg_drop(&g, "tokenizer.ggml.normalizer.lowercase");
    {
        mtl_model *mo = NULL;
        static float a[(N_TEXTS + 2) * H_MAX], b[(N_TEXTS + 2) * H_MAX];
        mtl_embed_options opt;
        int la[N_TEXTS], lb[N_TEXTS];
        memset(&opt, 0, sizeof opt);
        CHECK(load_variant(&g, &m, &err) == MTL_OK, "no lowercase key: %s", err.msg);
        CHECK(mtl_model_from_memory(g_own, g_own_len, &mo, &err) == MTL_OK, "%s", err.msg);
        if (m && mo) {
            CHECK(embed_all(m, &opt, a, NULL, la) && embed_all(mo, &opt, b, NULL, lb), "forward");
            CHECK(memcmp(a, b, (size_t)(N_TEXTS + 2) * (size_t)mtl_model_get_info(m)->hidden_size * sizeof(float)) == 0, "inferred uncased: embeddings differ");
        }
        free_variant(m);
        mtl_model_free(mo);
    }
    /* ... but a vocabulary with an uppercase letter or an accent leaves it unknown: refused */
    id = gg_token_id(&g, "\xE2\x96\x81[unused5]");
    CHECK(id > 0, "token [unused5] not found");
    gg_set_token(&g, id, "\xE2\x96\x81Zebra", NULL);
    EXPECT_REFUSED(&g, "uppercase");
    gg_set_token(&g, id, "caf\xC3\xA9", NULL);
    EXPECT_REFUSED(&g, "accent");
    gg_free(&g);
    /* the key, when present, is honoured: lowercase false loads as a cased tokenizer */
    fresh(&g); gg_set_bool(&g, "tokenizer.ggml.normalizer.lowercase", 0);
    CHECK(load_variant(&g, &m, &err) == MTL_OK, "lowercase false: %s", err.msg);
    if (m) {
        mtl_tokenizer_options ko;
        mtl_tokenizer_get_options(mtl_model_tokenizer(m), &ko);
        CHECK(ko.lowercase < 0 && ko.strip_accents < 0, "lowercase %d strip_accents %d", ko.lowercase, ko.strip_accents);
    }
    free_variant(m);
    gg_set_bool(&g, "tokenizer.ggml.normalizer.strip_accents", 1);
    CHECK(load_variant(&g, &m, &err) == MTL_OK, "strip_accents true: %s", err.msg);
    if (m) {
        mtl_tokenizer_options ko;
        mtl_tokenizer_get_options(mtl_model_tokenizer(m), &ko);
        CHECK(ko.lowercase < 0 && ko.strip_accents > 0, "lowercase %d strip_accents %d", ko.lowercase, ko.strip_accents);
    }
    free_variant(m);
    gg_free(&g);
    /* ambiguous vocabularies */
    fresh(&g); id = gg_token_id(&g, "\xE2\x96\x81[unused6]");
    gg_set_token(&g, id, "\xE2\x96\x81" "a" "\xE2\x96\x81" "b", NULL);
    EXPECT_REFUSED(&g, "U+2581"); gg_free(&g);
    fresh(&g); id = gg_token_id(&g, "\xE2\x96\x81[unused6]");
    gg_set_token(&g, id, "\xE2\x96\x81", NULL);
    EXPECT_REFUSED(&g, "unambiguously"); gg_free(&g);
    fresh(&g); id = gg_token_id(&g, "\xE2\x96\x81[unused7]");
    gg_set_token(&g, id, "ing", NULL);   /* "##ing" is already in the vocabulary */
    EXPECT_REFUSED(&g, "both map back to ##ing"); gg_free(&g);
    fresh(&g); id = gg_token_id(&g, "\xE2\x96\x81[unused8]");
    gg_set_token(&g, id, "\xE2\x96\x81\xE6\x9D\xB1\xE4\xBA\xAC", NULL);  /* a two-character CJK piece */
    EXPECT_REFUSED(&g, "CJK"); gg_free(&g);
    /* the first converters kept bracketed tokens as they are ("[unused0]", type normal): read the same */
    fresh(&g); id = gg_token_id(&g, "\xE2\x96\x81[unused0]");
    gg_set_token(&g, id, "[unused0]", NULL);
    CHECK(load_variant(&g, &m, &err) == MTL_OK, "verbatim [unused0]: %s", err.msg);
    if (m) {
        mtl_model *mo = NULL;
        static float a[(N_TEXTS + 2) * H_MAX], b[(N_TEXTS + 2) * H_MAX];
        mtl_embed_options opt;
        int la[N_TEXTS], lb[N_TEXTS];
        size_t tl = 0;
        const char *t = mtl_tokenizer_id_to_token(mtl_model_tokenizer(m), id, &tl);
        CHECK(t && tl == 9 && memcmp(t, "[unused0]", 9) == 0, "token %d: %.*s", id, (int)tl, t ? t : "");
        memset(&opt, 0, sizeof opt);
        CHECK(mtl_model_from_memory(g_own, g_own_len, &mo, &err) == MTL_OK, "%s", err.msg);
        CHECK(mo && embed_all(m, &opt, a, NULL, la) && embed_all(mo, &opt, b, NULL, lb), "forward");
        CHECK(memcmp(a, b, (size_t)(N_TEXTS + 2) * (size_t)mtl_model_get_info(m)->hidden_size * sizeof(float)) == 0, "verbatim brackets: embeddings differ");
        mtl_model_free(mo);
    }
    free_variant(m); gg_free(&g);
    /* a WordPiece vocabulary without mtl.* keys: not llama.cpp's form, unknown writer */
    fresh(&g); gg_set_token(&g, -1, NULL, unphantom);
    EXPECT_REFUSED(&g, "phantom-space form"); gg_free(&g);
    /* missing pieces */
    fresh(&g); gg_drop(&g, "tokenizer.ggml.token_type");
    EXPECT_REFUSED(&g, "tokenizer.ggml.token_type"); gg_free(&g);
    fresh(&g); gg_drop(&g, "tokenizer.ggml.bos_token_id");
    EXPECT_REFUSED(&g, "cls_token_id"); gg_free(&g);
    fresh(&g); gg_drop(&g, "tokenizer.ggml.unknown_token_id");
    EXPECT_REFUSED(&g, "unknown_token_id"); gg_free(&g);
    fresh(&g); gg_set_token_type(&g, gg_token_id(&g, "\xE2\x96\x81[unused9]"), 4);
    EXPECT_REFUSED(&g, "user-defined"); gg_free(&g);
    fresh(&g); gg_set_token_type(&g, 5, 6);
    EXPECT_REFUSED(&g, "token type 6"); gg_free(&g);
    /* poolings llama.cpp has and mtl has not; a classifier head */
    fresh(&g); gg_set_u32(&g, "bert.pooling_type", 3);
    EXPECT_REFUSED(&g, "last token"); gg_free(&g);
    fresh(&g); gg_set_u32(&g, "bert.pooling_type", 4);
    EXPECT_REFUSED(&g, "rank"); gg_free(&g);
    fresh(&g); gg_set_u32(&g, "bert.pooling_type", 2);
    CHECK(load_variant(&g, &m, &err) == MTL_OK && mtl_model_get_info(m)->pooling == MTL_POOL_CLS, "pooling_type 2: %s", err.msg);
    free_variant(m); gg_free(&g);
    fresh(&g); gg_drop(&g, "bert.pooling_type");
    CHECK(load_variant(&g, &m, &err) == MTL_OK && mtl_model_get_info(m)->pooling == MTL_POOL_CLS, "no pooling_type: %s", err.msg);
    free_variant(m); gg_free(&g);
    fresh(&g); gg_add_tensor(&g, "cls.output.weight", 32);
    EXPECT_REFUSED(&g, "cls.output.weight"); gg_free(&g);
    fresh(&g); gg_add_tensor(&g, "blk.2.attn_q.bias", 32);   /* a layer beyond bert.block_count */
    EXPECT_REFUSED(&g, "blk.2.attn_q.bias"); gg_free(&g);
}

int main(void) {
    RUN(test_llamacpp_file_equals_own_file);
    RUN(test_llamacpp_variants);
    free(g_llama);
    free(g_own);
    TEST_MAIN_END();
}
