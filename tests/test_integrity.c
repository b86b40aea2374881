/* File integrity (issue 11): the whole-file checksum every blob carries, and what the loaders do
   with damaged files. A converted tiny-random-bert and a trainer checkpoint made from it are
   damaged one way at a time (every 4097th byte flipped, 16-byte overwrites); each damaged image
   must be refused with a message, or load and embed bit-identically to the intact one. Also: the
   XXH64 implementation against the reference (tests/golden/xxh64.txt from Python's xxhash,
   tools/gen_xxh64_golden.py), the opt-out and require options, files without a checksum, and
   the structural checks that hold without a checksum (overlapping tensors, duplicate names). */
#include "../weights_convert/convert.h"
#include "mtl_test.h"

static char g_model_dir[1024];

static const char *const k_texts[] = {
    "Hello, world!", "The quick brown fox jumps over the lazy dog.", "naïve café 東京 unaffable", "[MASK] x",
};
#define N_TEXTS 4

/* Default-pooled embeddings of k_texts (into out: N_TEXTS * H floats) and of two id inputs. */
static int embed_all(const mtl_model *m, float *out, mtl_error *err) {
    static const int32_t a[5] = {101, 7592, 2088, 999, 102}, b[3] = {101, 1037, 102};
    const int H = mtl_model_get_info(m)->hidden_size;
    mtl_seq s[2];
    mtl_ctx ctx;
    mtl_forward_out o;
    mtl_result r;
    s[0].ids = a; s[0].type_ids = NULL; s[0].n = 5;
    s[1].ids = b; s[1].type_ids = NULL; s[1].n = 3;
    if (mtl_ctx_init(&ctx, m, NULL)) return 0;
    memset(&o, 0, sizeof o);
    o.embeddings = out;
    r = mtl_forward_texts(&ctx, N_TEXTS, k_texts, NULL, NULL, NULL, NULL, &o, err);
    if (!r) {
        o.embeddings = out + (size_t)N_TEXTS * (size_t)H;
        r = mtl_forward(&ctx, s, 2, NULL, &o, err);
    }
    mtl_ctx_free(&ctx);
    return r == MTL_OK;
}

/* The k-th damage of an image of len bytes, applied to buf (a copy of the intact image); returns
   the number of bytes changed (0: no k-th damage) and its offset in *pos. First every 4097th byte
   flipped (XOR 0xFF) one at a time, then 16-byte overwrites (zeros, 0xFF, pseudo-random bytes in
   turn): every 61st offset of the first 8 KiB (the header, key/values and tensor infos) and every
   65521st offset of the rest. The sanitizer build (~10x slower) and the 32-bit ARM build (run under
   qemu by make test-portability) flip every 16th of those bytes (every 65552nd byte); the normal
   build flips all of them. */
#if defined(__SANITIZE_ADDRESS__) || defined(__arm__)
#define FLIP_STRIDE (4097 * 16)
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FLIP_STRIDE (4097 * 16)
#endif
#endif
#ifndef FLIP_STRIDE
#define FLIP_STRIDE 4097
#endif
static size_t corrupt(unsigned char *buf, size_t len, size_t k, size_t *pos) {
    const size_t n_flip = (len + FLIP_STRIDE - 1) / FLIP_STRIDE, n_head = (len < 8192 ? len : 8192) / 61 + 1;
    size_t i, p;
    if (k < n_flip) { *pos = k * FLIP_STRIDE; buf[*pos] ^= 0xFF; return 1; }
    k -= n_flip;
    if (k < n_head) p = k * 61;
    else if ((k - n_head) * 65521 + 8192 < len) p = 8192 + (k - n_head) * 65521;
    else return 0;
    if (p >= len) return 0;
    *pos = p;
    for (i = 0; i < 16 && p + i < len; i++) {
        uint32_t x = (uint32_t)(p * 2654435761u + i * 40503u);
        buf[p + i] = (unsigned char)(k % 3 == 0 ? 0 : k % 3 == 1 ? 0xFF : (x >> 13) & 0xFF);
    }
    return i;
}

/* tiny-random-bert converted once (in main) for every test: g_blob, or why not. */
static unsigned char *g_blob;
static size_t g_len;
static int g_have_model;
static char g_conv_err[256];
static void convert_tiny(void) {
    char p[1200];
    cv_result res;
    mtl_error err;
    snprintf(p, sizeof p, "%s/model.safetensors", g_model_dir);
    if (!(g_have_model = mtl_t_exists(p))) return;
    if (cv_convert_dir(g_model_dir, NULL, 0, &res, &err)) { snprintf(g_conv_err, sizeof g_conv_err, "%s", err.msg); return; }
    g_blob = cv_result_blob(&res, &g_len);
    cv_result_free(&res);
}
#define NEED_BLOB()                                                                                   \
    do {                                                                                              \
        if (!g_blob) {                                                                                \
            if (!g_have_model) SKIP("no %.900s/model.safetensors", g_model_dir);                       \
            CHECK(0, "convert: %s", g_conv_err);                                                      \
            return;                                                                                   \
        }                                                                                             \
    } while (0)

/* The intact image's embeddings (embed_all; *nf floats, malloc'ed), after checking that it loads with
   a verified checksum; NULL on failure (recorded). */
static float *intact_embeddings(const char *what, const unsigned char *img, size_t len, size_t *nf) {
    mtl_model *m = NULL;
    mtl_error err;
    float *want;
    if (mtl_model_from_memory(img, len, &m, &err)) { CHECK(0, "%s: %s", what, err.msg); return NULL; }
    CHECK(mtl_model_get_info(m)->checksum == MTL_CHECKSUM_VERIFIED, "%s carries a verified checksum", what);
    *nf = (size_t)(N_TEXTS + 2) * (size_t)mtl_model_get_info(m)->hidden_size;
    want = (float *)malloc(*nf * sizeof(float));
    if (want && !embed_all(m, want, &err)) { CHECK(0, "%s: %s", what, err.msg); free(want); want = NULL; }
    mtl_model_free(m);
    return want;
}

/* Runs every damage of image against the intact model's embeddings `want`; counts refusals, loads
   (bit-identical) and failures. */
static void damage_all(const char *what, const unsigned char *image, size_t len, const float *want, size_t n_floats) {
    unsigned char *buf = (unsigned char *)malloc(len);
    float *got = (float *)malloc(n_floats * sizeof(float));
    size_t k, pos = 0, n, refused = 0, loaded = 0, bad = 0, no_msg = 0, same = 0;
    if (!buf || !got) { CHECK(0, "out of memory"); free(buf); free(got); return; }
    memcpy(buf, image, len);
    for (k = 0; (n = corrupt(buf, len, k, &pos)) != 0; k++) {
        mtl_model *m = NULL;
        mtl_error err;
        err.msg[0] = 0;
        if (memcmp(buf + pos, image + pos, n) == 0) { same++; continue; }   /* zeros over zeros: no damage */
        if (mtl_model_from_memory(buf, len, &m, &err) != MTL_OK) {
            refused++;
            if (!err.msg[0]) no_msg++;
        } else {
            loaded++;
            if (!embed_all(m, got, &err) || memcmp(got, want, n_floats * sizeof(float)) != 0) {
                if (bad < 5) printf("  %s: damage %zu at byte %zu loads and embeds differently\n", what, k, pos);
                bad++;
            }
            mtl_model_free(m);
        }
        memcpy(buf + pos, image + pos, n);
    }
    printf("  info: %s (%zu bytes, every %dth byte flipped + 16-byte overwrites): %zu damaged images, %zu refused, "
           "%zu loaded bit-identical, %zu differ\n", what, len, FLIP_STRIDE, k - same, refused, loaded - bad, bad);
    CHECK(k > len / FLIP_STRIDE, "%s: only %zu damages", what, k);
    CHECK(bad == 0, "%s: %zu damaged files load and give other embeddings", what, bad);
    CHECK(no_msg == 0, "%s: %zu refusals without a message", what, no_msg);
    free(buf);
    free(got);
}

/* XXH64 against Python's xxhash on inputs of every length class. */
static void test_xxh64_reference(void) {
    char line[512];
    FILE *f = fopen("tests/golden/xxh64.txt", "r");
    int n = 0;
    if (!f) SKIP("no tests/golden/xxh64.txt (run from the repository root)");
    while (fgets(line, sizeof line, f)) {
        unsigned long long len, want, sk;
        unsigned char *d;
        size_t i, skip;
        if (line[0] == '#' || sscanf(line, "%llu %llu %llx", &len, &sk, &want) != 3) continue;
        skip = sk > len ? (size_t)len : (size_t)sk;
        d = (unsigned char *)malloc((size_t)len + 1);
        for (i = 0; i < len; i++) d[i] = (unsigned char)((i * 131u + 7u) >> 1);   /* the generator's bytes */
        CHECK(mtl__xxh64_skip(d, (size_t)len, skip) == want, "xxh64 of %llu bytes (skip %zu)", len, skip);
        {   /* streaming in uneven pieces gives the same */
            mtl__xxh s;
            size_t at = 0, step = 1;
            if (skip >= len) {
                mtl__xxh_init(&s);
                while (at < len) { size_t c = step < len - at ? step : (size_t)len - at; mtl__xxh_update(&s, d + at, c); at += c; step = step * 3 + 1; }
                CHECK(mtl__xxh_final(&s) == want, "streamed xxh64 of %llu bytes", len);
            }
        }
        free(d);
        n++;
    }
    fclose(f);
    CHECK(n >= 10, "only %d reference lines", n);
}

static void test_model_damage(void) {
    float *want;
    size_t nf = 0;
    NEED_BLOB();
    if (!(want = intact_embeddings("the converted file", g_blob, g_len, &nf))) return;
    damage_all("converted tiny-random-bert", g_blob, g_len, want, nf);
    free(want);
}

/* Without the checksum (opt-out): never a crash, and the structural checks still refuse overlapping
   tensor data and duplicate names. */
static void test_structure_without_checksum(void) {
    mtl_error err;
    size_t len, k, pos = 0, n;
    unsigned char *blob, *buf;
    mtl_model *m = NULL;
    mtl_load_options lo;
    mtl__gguf g;
    NEED_BLOB();
    blob = g_blob;    /* damaged and restored in place below */
    len = g_len;
    memset(&lo, 0, sizeof lo);
    lo.skip_checksum = 1;
    CHECK(mtl_model_from_memory_ex(blob, len, &lo, &m, &err) == MTL_OK, "%s", err.msg);
    CHECK(m && mtl_model_get_info(m)->checksum == MTL_CHECKSUM_NOT_VERIFIED, "skip_checksum: status");
    mtl_model_free(m);
    /* one flipped byte in the data: refused by default, loads when the caller opts out */
    blob[len - 5] ^= 0x40;
    CHECK(mtl_model_from_memory(blob, len, &m, &err) == MTL_ERR_FORMAT && strstr(err.msg, "checksum mismatch"), "damaged data: %s", err.msg);
    CHECK(mtl_model_from_memory_ex(blob, len, &lo, &m, &err) == MTL_OK, "skip_checksum: %s", err.msg);
    mtl_model_free(m);
    blob[len - 5] ^= 0x40;
    /* every damage with verification off: refused or loaded, never a crash (ASan build) */
    buf = (unsigned char *)malloc(len);
    memcpy(buf, blob, len);
    for (k = 0; (n = corrupt(buf, len, k, &pos)) != 0; k++) {
        if (mtl_model_from_memory_ex(buf, len, &lo, &m, &err) == MTL_OK) mtl_model_free(m);
        else CHECK(err.msg[0] != 0, "refusal without a message");
        memcpy(buf + pos, blob + pos, n);
    }
    /* overlapping tensors and a duplicate tensor name are refused whatever the options */
    CHECK(mtl__gguf_parse(&g, blob, len, NULL, &err) == MTL_OK && g.n_t > 2, "%s", err.msg);
    {
        /* a tensor info ends with its u64 offset: set tensor 1's to tensor 0's */
        size_t off1 = (size_t)(g.t[1].name - (const char *)blob) + g.t[1].nlen + 4 + 8 * g.t[1].ndim + 4;
        size_t off0 = (size_t)(g.t[0].name - (const char *)blob) + g.t[0].nlen + 4 + 8 * g.t[0].ndim + 4;
        memcpy(buf, blob, len);
        memcpy(buf + off1, buf + off0, 8);
        CHECK(mtl_model_from_memory_ex(buf, len, &lo, &m, &err) == MTL_ERR_FORMAT && strstr(err.msg, "overlap"), "overlap: %s", err.msg);
        memcpy(buf, blob, len);
        if (g.t[0].nlen == g.t[1].nlen) {
            memcpy(buf + (g.t[1].name - (const char *)blob), g.t[0].name, g.t[0].nlen);
            CHECK(mtl_model_from_memory_ex(buf, len, &lo, &m, &err) == MTL_ERR_FORMAT && strstr(err.msg, "twice"), "duplicate name: %s", err.msg);
        }
        /* a damaged checksum key name is refused, never read as "no checksum" */
        memcpy(buf, blob, len);
        for (k = 0; k < g.n_kv; k++)
            if (mtl__streq(g.kv[k].key, g.kv[k].klen, MTL__CHECKSUM_KEY)) buf[(size_t)(g.kv[k].key - (const char *)blob) + g.kv[k].klen - 1] ^= 1;
        CHECK(mtl_model_from_memory(buf, len, &m, &err) == MTL_ERR_FORMAT && strstr(err.msg, "checksum"), "renamed checksum key: %s", err.msg);
    }
    mtl__gguf_free(&g);
    free(buf);
}

/* A file written before checksums (tests/fuzz/seeds/fuzz_blob/tiny_seqcls.gguf, an older
   weights_convert): loads, says so, and require_checksum refuses it. */
static void test_file_without_checksum(void) {
    size_t len;
    char *d = mtl_t_read("tests/fuzz/seeds/fuzz_blob/tiny_seqcls.gguf", &len);
    mtl_model *m = NULL;
    mtl_error err;
    mtl_load_options lo;
    if (!d) SKIP("no tests/fuzz/seeds/fuzz_blob/tiny_seqcls.gguf (run from the repository root)");
    CHECK(mtl_model_from_memory(d, len, &m, &err) == MTL_OK, "%s", err.msg);
    CHECK(m && mtl_model_get_info(m)->checksum == MTL_CHECKSUM_NONE, "status NONE");
    mtl_model_free(m);
    memset(&lo, 0, sizeof lo);
    lo.require_checksum = 1;
    CHECK(mtl_model_from_memory_ex(d, len, &lo, &m, &err) == MTL_ERR_FORMAT && strstr(err.msg, "no checksum"), "require_checksum: %s", err.msg);
    free(d);
}

/* A trainer checkpoint (backbone, two heads with labels, AdamW state, tokenizer) made from the
   converted model: the same damages through mtl_model_from_memory, and mtl_trainer_load refuses
   every one of them. */
static void test_checkpoint_damage(void) {
    static const char *const cls[2] = {"negative", "positive"};
    static const char *const ner[3] = {"O", "B-PER", "I-PER"};
    mtl_error err;
    size_t clen = 0, k, pos, n, refused = 0, same = 0, nf = 0;
    unsigned char *ck = NULL, *buf;
    mtl_model *m = NULL;
    mtl_trainer_config c;
    mtl_trainer *tr = NULL, *t2 = NULL;
    const mtl_model_info *in;
    float *want;
    NEED_BLOB();
    if (mtl_model_from_memory(g_blob, g_len, &m, &err)) { CHECK(0, "%s", err.msg); return; }
    in = mtl_model_get_info(m);
    mtl_trainer_defaults(&c);
    c.bb.vocab_size = in->vocab_size; c.bb.hidden_size = in->hidden_size; c.bb.n_layers = in->n_layers;
    c.bb.n_heads = in->n_heads; c.bb.intermediate_size = in->intermediate_size; c.bb.max_position = in->max_position;
    c.bb.type_vocab_size = in->type_vocab_size; c.bb.pad_token_id = 0; c.bb.layer_norm_eps = in->layer_norm_eps;
    c.n_cls = 2; c.cls_labels = cls; c.n_ner = 3; c.ner_labels = ner; c.max_batch = 2; c.max_len = 32;
    c.tokenizer = mtl_model_tokenizer(m);
    if (mtl_trainer_create(&tr, &c, &err) || mtl_trainer_load_model(tr, g_blob, g_len, 0, 0, NULL, &err) ||
        mtl_trainer_create(&t2, &c, &err)) {
        CHECK(0, "trainer: %s", err.msg);
        goto done;
    }
    mtl_trainer_init_heads(tr, 7, 0.2f);
    if (mtl_trainer_save(tr, &ck, &clen, &err)) { CHECK(0, "save: %s", err.msg); goto done; }
    CHECK(mtl_trainer_load(t2, ck, clen, &err) == MTL_OK, "intact checkpoint: %s", err.msg);
    if (!(want = intact_embeddings("the checkpoint as a model", ck, clen, &nf))) goto done;
    damage_all("trainer checkpoint", ck, clen, want, nf);
    free(want);
    /* the trainer's own reader (resume) */
    buf = (unsigned char *)malloc(clen);
    memcpy(buf, ck, clen);
    for (k = 0; (n = corrupt(buf, clen, k, &pos)) != 0; k++) {
        if (memcmp(buf + pos, ck + pos, n) == 0) { same++; continue; }
        if (mtl_trainer_load(t2, buf, clen, &err) != MTL_OK && err.msg[0]) refused++;
        memcpy(buf + pos, ck + pos, n);
    }
    printf("  info: trainer checkpoint through mtl_trainer_load: %zu of %zu damaged images refused\n", refused, k - same);
    CHECK(refused == k - same, "mtl_trainer_load accepted %zu damaged checkpoints", k - same - refused);
    free(buf);
done:
    MTL_FREE(ck);
    mtl_trainer_free(tr);
    mtl_trainer_free(t2);
    mtl_model_free(m);
}

int main(void) {
    if (getenv("MTL_GOLDEN_MODEL") && *getenv("MTL_GOLDEN_MODEL")) snprintf(g_model_dir, sizeof g_model_dir, "%s", getenv("MTL_GOLDEN_MODEL"));
    else mtl_t_path(g_model_dir, sizeof g_model_dir, "models/tiny-random-bert");
    convert_tiny();
    RUN(test_xxh64_reference);
    RUN(test_model_damage);
    RUN(test_structure_without_checksum);
    RUN(test_file_without_checksum);
    RUN(test_checkpoint_damage);
    free(g_blob);
    TEST_MAIN_END();
}
