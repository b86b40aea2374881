/* Loading and running with no heap (issue 14): mtl_model_from_memory_ex into caller memory
   (mtl_load_options.mem, sized by mtl_model_mem_bytes), a caller arena and caller text memory make
   ZERO allocator calls - the hooks below fail every call while that runs - and give the embeddings
   of the normal heap load, for the f32 and the f16 file of tiny-random-bert. Also: the tokenizer
   stored in the file (mtl.tokenizer.index) equals the one built from the HF folder; too little
   caller memory is MTL_ERR_NOMEM with a message naming the size function; a damaged index is
   refused or harmless, never a crash (run under ASan by make test). */
#include <stdlib.h>
#include <string.h>
static int g_fail, g_calls;
static void *t_malloc(size_t n) { g_calls++; return g_fail ? NULL : malloc(n); }
static void *t_realloc(void *p, size_t n) { g_calls++; return g_fail ? NULL : realloc(p, n); }
#define MTL_MALLOC(n) t_malloc(n)
#define MTL_REALLOC(p, n) t_realloc(p, n)
#define MTL_FREE(p) free(p)
#include "../weights_convert/convert.h"   /* defines MTL_BERT_IMPLEMENTATION, includes mtl_bert.h */
#include "mtl_test.h"

#include <math.h>

static char g_dir[1024];
static const char *const g_texts[4] = {"Hello, world!", "The quick brown fox jumps over the lazy dog.",
                                       "unaffable naïve résumé, 東京 and [MASK] tokens", "a"};
static const int32_t g_ids0[6] = {101, 7592, 1010, 2088, 999, 102}, g_ids1[3] = {101, 2023, 102};

static unsigned char *convert(int f16, size_t *len) {
    cv_result res;
    mtl_error err;
    unsigned char *blob, *al;
    if (cv_convert_dir(g_dir, NULL, f16, &res, &err)) { printf("  convert: %s\n", err.msg); return NULL; }
    blob = cv_result_blob(&res, len);
    cv_result_free(&res);
    if (!blob) return NULL;
    al = (unsigned char *)malloc(*len);   /* 16-byte aligned, as a firmware image in flash would be */
    if (al) memcpy(al, blob, *len);
    free(blob);
    return al;
}

/* embeddings of 2 id inputs, then 3 texts in one call, then 1 text through mtl_embed: [6, H] */
static int run_all(mtl_ctx *ctx, int H, float *out, mtl_error *err) {
    mtl_seq seqs[2];
    mtl_forward_out fo;
    memset(seqs, 0, sizeof seqs);
    seqs[0].ids = g_ids0; seqs[0].n = 6;
    seqs[1].ids = g_ids1; seqs[1].n = 3;
    memset(&fo, 0, sizeof fo);
    fo.embeddings = out;
    if (mtl_forward(ctx, seqs, 2, NULL, &fo, err)) return 0;
    memset(&fo, 0, sizeof fo);
    fo.embeddings = out + 2 * H;
    if (mtl_forward_texts(ctx, 3, g_texts, NULL, NULL, NULL, NULL, &fo, err)) return 0;
    if (mtl_embed(ctx, g_texts[3], strlen(g_texts[3]), out + 5 * H, err)) return 0;
    return 1;
}

static void check_no_heap(int f16) {
    size_t len = 0, need = 0, arena_bytes, text_bytes;
    unsigned char *blob = convert(f16, &len), *mem = NULL, *arena = NULL, *text = NULL;
    mtl_model *m0 = NULL, *m1 = NULL;
    mtl_ctx c0, c1;
    mtl_ctx_options co;
    mtl_load_options lo;
    mtl_error err;
    float *e0 = NULL, *e1 = NULL;
    double mx = 0;
    int H, i, calls_load, calls_run, ok;
    CHECK(blob != NULL, "convert");
    if (!blob) return;
    CHECK(mtl_model_from_memory(blob, len, &m0, &err) == MTL_OK, "%s", err.msg);
    if (!m0) { free(blob); return; }
    H = mtl_model_get_info(m0)->hidden_size;
    e0 = (float *)calloc(6 * (size_t)H, sizeof(float));
    e1 = (float *)calloc(6 * (size_t)H, sizeof(float));
    mtl_ctx_init(&c0, m0, NULL);
    CHECK(run_all(&c0, H, e0, &err), "heap run: %s", err.msg);
    mtl_ctx_free(&c0);

    memset(&lo, 0, sizeof lo);
    CHECK(mtl_model_mem_bytes(blob, len, &lo, &need, &err) == MTL_OK && need > 0, "%s", err.msg);
    mem = (unsigned char *)malloc(need);
    /* too small: refused with the size function named, still without the heap */
    lo.mem = mem; lo.mem_size = need / 2;
    g_calls = 0; g_fail = 1;
    CHECK(mtl_model_from_memory_ex(blob, len, &lo, &m1, &err) == MTL_ERR_NOMEM && m1 == NULL && strstr(err.msg, "mtl_model_mem_bytes"),
          "half the memory: %s", err.msg);
    CHECK(g_calls == 0, "%d allocator calls with too little memory", g_calls);
    /* the load */
    lo.mem_size = need;
    g_calls = 0;
    CHECK(mtl_model_from_memory_ex(blob, len, &lo, &m1, &err) == MTL_OK, "%s", err.msg);
    calls_load = g_calls;
    g_fail = 0;
    CHECK(calls_load == 0, "the load made %d allocator calls", calls_load);
    if (!m1) goto out;
    arena_bytes = mtl_arena_bytes(m1, 3, 64, 1);
    text_bytes = mtl_text_mem_bytes(3, 64, 0);
    arena = (unsigned char *)malloc(arena_bytes);
    text = (unsigned char *)malloc(text_bytes);
    memset(&co, 0, sizeof co);
    co.arena = arena; co.arena_size = arena_bytes; co.text_mem = text; co.text_mem_size = text_bytes;
    g_calls = 0; g_fail = 1;
    CHECK(mtl_ctx_init(&c1, m1, &co) == MTL_OK, "ctx");
    ok = run_all(&c1, H, e1, &err);
    CHECK(ok, "caller-memory run: %s", err.msg);
    /* text memory too small for a long text: NOMEM naming it, nothing allocated */
    {
        char longt[4000];
        float tmp[1024];
        memset(longt, 'a', sizeof longt - 1);
        for (i = 0; i < (int)sizeof longt - 1; i += 4) longt[i] = ' ';
        longt[sizeof longt - 1] = 0;
        CHECK(H <= 1024 && mtl_embed(&c1, longt, strlen(longt), tmp, &err) == MTL_ERR_NOMEM && strstr(err.msg, "text_mem"), "long text: %s", err.msg);
    }
    mtl_ctx_free(&c1);
    mtl_model_free(m1);
    calls_run = g_calls;
    g_fail = 0;
    CHECK(calls_run == 0, "ctx + forward + texts + free made %d allocator calls", calls_run);
    for (i = 0; i < 6 * H; i++) { double d = fabs((double)e0[i] - (double)e1[i]); if (d > mx || d != d) mx = d; }
    CHECK(mx <= 1e-6, "caller-memory embeddings differ from the heap load's by %.3g", mx);
    printf("  %s: model memory %lu bytes (file %lu), arena %lu, text memory %lu; 0 allocator calls; max|d| vs heap load %.3g\n",
           f16 ? "f16" : "f32", (unsigned long)need, (unsigned long)len, (unsigned long)arena_bytes, (unsigned long)text_bytes, mx);
out:
    g_fail = 0;
    mtl_model_free(m0);
    free(blob); free(mem); free(arena); free(text); free(e0); free(e1);
}
static void test_no_heap_f32(void) { check_no_heap(0); }
static void test_no_heap_f16(void) { check_no_heap(1); }

/* The index stored by the converter is the tokenizer of the HF folder: same ids, offsets, words on
   varied texts; a tokenizer made from an image in caller memory needs no allocation. */
static void test_stored_tokenizer(void) {
    size_t len = 0, il = 0;
    unsigned char *blob = convert(0, &len);
    mtl_tokenizer *td = NULL, *ti = NULL;
    mtl_model *m = NULL;
    mtl_error err;
    mtl_encoding a, b;
    const void *img;
    static unsigned char tmem[4096];
    int k, same = 1;
    static const char *const more[6] = {"", "  leading and trailing  ", "ÀÉÎÕÜ çñ ß ﬁ", "[CLS] [SEP][PAD]x[UNK]", "don't-stop 3.14 $5 #1", "\xff\xfe broken \xc3 utf8"};
    CHECK(blob && mtl_model_from_memory(blob, len, &m, &err) == MTL_OK, "load: %s", err.msg);
    CHECK(mtl_tokenizer_load_dir(g_dir, NULL, &td, &err) == MTL_OK, "%s", err.msg);
    if (!m || !td) { mtl_model_free(m); mtl_tokenizer_free(td); free(blob); return; }
    img = mtl_tokenizer_image(mtl_model_tokenizer(m), &il);
    CHECK(img != NULL && (const unsigned char *)img >= blob && (const unsigned char *)img < blob + len, "the model's tokenizer is not used in place from the file");
    CHECK(mtl_tokenizer_struct_bytes() <= sizeof tmem, "struct %lu", (unsigned long)mtl_tokenizer_struct_bytes());
    g_calls = 0; g_fail = 1;
    CHECK(mtl_tokenizer_from_image(img, il, tmem, sizeof tmem, &ti, &err) == MTL_OK, "%s", err.msg);
    g_fail = 0;
    CHECK(g_calls == 0, "from_image made %d allocator calls", g_calls);
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    for (k = 0; k < 10 && ti; k++) {
        const char *t = k < 4 ? g_texts[k] : more[k - 4];
        CHECK(mtl_encode(td, t, strlen(t), NULL, &a, &err) == MTL_OK, "%s", err.msg);
        CHECK(mtl_encode(ti, t, strlen(t), NULL, &b, &err) == MTL_OK, "%s", err.msg);
        same &= a.n == b.n && !memcmp(a.ids, b.ids, (size_t)a.n * 4) && !memcmp(a.offsets, b.offsets, (size_t)a.n * 8) &&
                !memcmp(a.word_ids, b.word_ids, (size_t)a.n * 4);
    }
    CHECK(same, "the stored tokenizer encodes differently from the folder's");
    CHECK(mtl_tokenizer_vocab_size(ti) == mtl_tokenizer_vocab_size(td), "vocab");
    mtl_encoding_free(&a);
    mtl_encoding_free(&b);
    mtl_tokenizer_free(ti);
    mtl_tokenizer_free(td);
    mtl_model_free(m);
    free(blob);
}

/* Every single-byte change of the stored index (checksum skipped, as a firmware image with its own CRC
   would): the load refuses it or the model still encodes without reading out of bounds. */
static void test_damaged_index(void) {
    size_t len = 0, off = 0, nb = 0, i;
    unsigned char *blob = convert(0, &len), *mem;
    mtl__gguf g;
    mtl_error err;
    mtl_load_options lo;
    int refused = 0, loaded = 0, trial;
    uint64_t state = 0x9E3779B97F4A7C15ull;
    if (!blob) { CHECK(0, "convert"); return; }
    CHECK(mtl__gguf_parse(&g, blob, len, NULL, &err) == MTL_OK, "%s", err.msg);
    for (i = 0; i < g.n_t; i++)
        if (g.t[i].nlen == 19 && !memcmp(g.t[i].name, "mtl.tokenizer.index", 19)) { off = g.t[i].off; nb = g.t[i].nbytes; }
    mtl__gguf_free(&g);
    CHECK(nb > 0, "no mtl.tokenizer.index in the converted file");
    memset(&lo, 0, sizeof lo);
    lo.skip_checksum = 1;
    if (mtl_model_mem_bytes(blob, len, &lo, &lo.mem_size, &err)) { CHECK(0, "%s", err.msg); free(blob); return; }
    mem = (unsigned char *)malloc(lo.mem_size);
    lo.mem = mem;
    for (trial = 0; trial < 2000 && nb; trial++) {
        size_t at;
        unsigned char old;
        mtl_model *m = NULL;
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        /* half the trials in the header and the small tables, half anywhere */
        at = off + (size_t)((state >> 33) % (trial & 1 ? nb : (nb < 4096 ? nb : 4096)));
        old = blob[at];
        blob[at] = (unsigned char)(old ^ (unsigned char)(1u + (state >> 24) % 255u));
        if (mtl_model_from_memory_ex(blob, len, &lo, &m, &err) == MTL_OK) {
            mtl_ctx ctx;
            float e[1024];
            loaded++;
            mtl_ctx_init(&ctx, m, NULL);
            (void)mtl_embed(&ctx, g_texts[2], strlen(g_texts[2]), e, &err);
            mtl_ctx_free(&ctx);
            mtl_model_free(m);
        } else {
            refused++;
        }
        blob[at] = old;
    }
    printf("  %d damaged indexes: %d refused, %d loaded (a changed token string or id: no crash)\n", refused + loaded, refused, loaded);
    CHECK(refused > 0, "no damaged index was refused");
    free(mem);
    free(blob);
}

int main(void) {
    (void)mtl_t_read;
    mtl_t_path(g_dir, sizeof g_dir, "models/tiny-random-bert");
    if (!mtl_t_exists(g_dir)) { printf("SKIP all: %s missing (set MTL_SHARED)\n", g_dir); return 0; }
    RUN(test_no_heap_f32);
    RUN(test_no_heap_f16);
    RUN(test_stored_tokenizer);
    RUN(test_damaged_index);
    TEST_MAIN_END();
}
