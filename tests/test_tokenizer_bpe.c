/* Byte-level BPE tests: every case of tests/data/bpe (HF tokenizers outputs, tools/gen_bpe_fixtures.py):
   ids, type ids, special tokens mask, byte offsets, word ids, sequence ids, truncation (longest_first,
   only_first, only_second), padding, decode; the same through mtl_tokenizer_image -> from_image; what is
   refused by name; damaged images; version 1 (WordPiece) images. gpt2_real / roberta_real: GPT-2's real
   vocabulary (tools/gen_real_bpe_fixtures.py); only roberta_real.json is in the repository, gpt2_real's
   tokenizer.json is made from it here (load_bpe). */
#define MTL_TOKENIZER_IMPLEMENTATION
#include "../mtl_tokenizer.h"
#include "mtl_test.h"

static const char *const FIXTURES[] = {"roberta", "gpt2ap", "gpt2_real", "roberta_real"};

#include "tok_fixture.h"

/* Replaces the one occurrence of from in the len bytes at s (a malloc'd, NUL-terminated block, replaced). */
static char *replace_once(char *s, size_t *len, const char *from, const char *to) {
    char *p = s ? strstr(s, from) : NULL, *m;
    size_t fl = strlen(from), tl = strlen(to);
    if (!s) return NULL;
    CHECK(p != NULL && strstr(p + 1, from) == NULL, "roberta_real.json: not exactly one %.60s", from);
    if (!p || strstr(p + 1, from)) { free(s); return NULL; }
    m = (char *)malloc(*len - fl + tl + 1);
    memcpy(m, s, (size_t)(p - s));
    memcpy(m + (p - s), to, tl);
    memcpy(m + (p - s) + tl, p + fl, *len - (size_t)(p - s) - fl + 1);
    *len = *len - fl + tl;
    free(s);
    return m;
}

/* gpt2_real's tokenizer.json is roberta_real.json with three texts replaced (tools/gen_real_bpe_fixtures.py,
   derive_gpt2): the five RoBERTa tokens out of the vocab, added_tokens = <|endoftext|> alone, post-processor
   ByteLevel(trim_offsets false) as transformers' GPT2Converter writes it. Its fixtures pad with
   <|endoftext|> (GPT-2 has no pad token): the option pad_token. */
static mtl_tokenizer *load_bpe(const char *name) {
    size_t len = 0;
    char *js;
    mtl_tokenizer_files f;
    mtl_tokenizer_options o;
    mtl_tokenizer *t = NULL;
    mtl_error err;
    if (strcmp(name, "gpt2_real") != 0) return load_fixture(name);
    js = read_fixture("roberta_real", "json", &len);
    CHECK(js != NULL, "no roberta_real.json");
    js = replace_once(js, &len, ",\"<s>\":50257,\"<pad>\":50258,\"</s>\":50259,\"<unk>\":50260,\"<mask>\":50261}", "}");
    js = replace_once(js, &len,
                      "\"added_tokens\":[{\"id\":50257,\"content\":\"<s>\",\"single_word\":false,\"lstrip\":false,\"rstrip\":false,\"normalized\":false,\"special\":true},"
                      "{\"id\":50258,\"content\":\"<pad>\",\"single_word\":false,\"lstrip\":false,\"rstrip\":false,\"normalized\":false,\"special\":true},"
                      "{\"id\":50259,\"content\":\"</s>\",\"single_word\":false,\"lstrip\":false,\"rstrip\":false,\"normalized\":false,\"special\":true},"
                      "{\"id\":50260,\"content\":\"<unk>\",\"single_word\":false,\"lstrip\":false,\"rstrip\":false,\"normalized\":false,\"special\":true},"
                      "{\"id\":50261,\"content\":\"<mask>\",\"single_word\":false,\"lstrip\":true,\"rstrip\":false,\"normalized\":false,\"special\":true}]",
                      "\"added_tokens\":[{\"id\":50256,\"content\":\"<|endoftext|>\",\"single_word\":false,\"lstrip\":false,\"rstrip\":false,\"normalized\":false,\"special\":true}]");
    js = replace_once(js, &len,
                      "\"post_processor\":{\"type\":\"RobertaProcessing\",\"sep\":[\"</s>\",50259],\"cls\":[\"<s>\",50257],\"trim_offsets\":true,\"add_prefix_space\":false}",
                      "\"post_processor\":{\"type\":\"ByteLevel\",\"add_prefix_space\":true,\"trim_offsets\":false,\"use_regex\":true}");
    if (!js) return NULL;
    memset(&f, 0, sizeof f);
    memset(&o, 0, sizeof o);
    f.tokenizer_json = js;
    f.tokenizer_json_len = len;
    o.pad_token = "<|endoftext|>";
    if (mtl_tokenizer_from_memory(&f, &o, &t, &err)) CHECK(0, "gpt2_real: %s", err.msg);
    free(js);
    return t;
}

static void test_fixtures(void) {
    (void)mtl_t_path;   /* the fixtures are in the repository, not in shared/ */
    if (!mtl_t_exists("tests/data/bpe/roberta.jsonl")) SKIP("no tests/data/bpe (run from the repository root)");
    fixture_loader = load_bpe;
    run_fixtures(FIXTURES, (int)(sizeof FIXTURES / sizeof FIXTURES[0]), 0);
}

/* The same fixtures through the image, bound in place in caller memory. */
static void test_image_round_trip(void) {
    fixture_loader = load_bpe;
    run_fixtures(FIXTURES, (int)(sizeof FIXTURES / sizeof FIXTURES[0]), 1);
}

/* Everything outside the byte-level pipeline is refused by name. */
static void test_refused(void) {
    static const refuse_case cases[] = {
        {"\"type\":\"BPE\"", "\"type\":\"WordLevel\"", "WordLevel"},
        {"\"dropout\":null", "\"dropout\":0.1", "dropout"},
        {"\"byte_fallback\":false", "\"byte_fallback\":true", "byte_fallback"},
        {"\"continuing_subword_prefix\":null", "\"continuing_subword_prefix\":\"##\"", "continuing_subword_prefix"},
        {"\"end_of_word_suffix\":null", "\"end_of_word_suffix\":\"</w>\"", "end_of_word_suffix"},
        {"\"normalizer\":null", "\"normalizer\":{\"type\":\"NFC\"}", "NFC"},
        {"\"pre_tokenizer\":{\"type\":\"ByteLevel\"", "\"pre_tokenizer\":{\"type\":\"Metaspace\"", "Metaspace"},
        {"\"decoder\":{\"type\":\"ByteLevel\"", "\"decoder\":{\"type\":\"WordPiece\"", "WordPiece"},
        {"\"post_processor\":{\"type\":\"RobertaProcessing\"", "\"post_processor\":{\"type\":\"Sequence\"", "Sequence"},
        {"\"content\":\"<mask>\",\"single_word\":false", "\"content\":\"<mask>\",\"single_word\":true", "single_word"},
    };
    size_t len;
    char *js = read_fixture("roberta", "json", &len);
    CHECK(js != NULL, "no roberta.json");
    if (!js) return;
    check_refused(js, len, cases, sizeof cases / sizeof cases[0]);
    free(js);
}

/* Damaged images: every header word and words across the BPE tables set to hostile values must be
   refused or encode without reading out of bounds (ASan build). */
static void test_damaged_image(void) {
    mtl_tokenizer *t = load_fixture("roberta"), *t2;
    const uint32_t *img;
    uint32_t *copy;
    size_t il, nw, k;
    int v, accepted = 0, refused = 0;
    static const uint32_t vals[] = {0, 1, 2, 255, 256, 0x7FFFFFFFu, 0x80000000u, 0xFFFFFFFFu, 0xFFFFFFFEu, 1u << 24};
    static const char *const texts[] = {"Hello world, it's <mask> héllo   there! 123", "\xff\xfe abc", "中文 😀 'll"};
    mtl_encoding enc;
    size_t msz = mtl_tokenizer_struct_bytes();
    void *mem = malloc(msz);
    if (!t) { free(mem); return; }
    memset(&enc, 0, sizeof enc);
    img = (const uint32_t *)mtl_tokenizer_image(t, &il);
    nw = il / 4;
    copy = (uint32_t *)malloc(il);
    for (k = 0; k < nw; k += k < MTL__TI_WORDS ? 1 : k + 4 > nw - 1200 ? 1 : 97) {   /* header, a sample, the tail */
        for (v = 0; v < (int)(sizeof vals / sizeof vals[0]); v++) {
            mtl_error err;
            int x;
            memcpy(copy, img, il);
            copy[k] = vals[v];
            if (mtl_tokenizer_from_image(copy, il, mem, msz, &t2, &err) != MTL_OK) { refused++; continue; }
            accepted++;
            for (x = 0; x < 3; x++) {
                char dec[512];
                size_t dl;
                mtl_encode_options o;
                memset(&o, 0, sizeof o);
                mtl_encode(t2, texts[x], strlen(texts[x]), &o, &enc, &err);
                mtl_decode(t2, enc.ids, enc.n, NULL, dec, sizeof dec, &dl, &err);
            }
            mtl_tokenizer_free(t2);
        }
    }
    /* every word of the byte table (it sits before the merge hash, at the end) */
    for (k = nw - 4 * (size_t)img[MTL__TI_NSLOTS] - 256; k < nw - 4 * (size_t)img[MTL__TI_NSLOTS]; k++) {
        for (v = 0; v < (int)(sizeof vals / sizeof vals[0]); v++) {
            mtl_error err;
            memcpy(copy, img, il);
            copy[k] = vals[v];
            if (mtl_tokenizer_from_image(copy, il, mem, msz, &t2, &err) != MTL_OK) { refused++; continue; }
            accepted++;
            mtl_encode(t2, texts[0], strlen(texts[0]), NULL, &enc, &err);
            mtl_tokenizer_free(t2);
        }
    }
    /* random words anywhere, random values */
    {
        uint64_t st = 0x9E3779B97F4A7C15ull;
        int trial;
        for (trial = 0; trial < 3000; trial++) {
            mtl_error err;
            st = st * 6364136223846793005ull + 1442695040888963407ull;
            k = (size_t)(st >> 33) % nw;
            memcpy(copy, img, il);
            copy[k] = (st & 1) ? vals[(st >> 8) % (sizeof vals / sizeof vals[0])] : (uint32_t)(st >> 13);
            if (mtl_tokenizer_from_image(copy, il, mem, msz, &t2, &err) != MTL_OK) { refused++; continue; }
            accepted++;
            mtl_encode(t2, texts[trial % 3], strlen(texts[trial % 3]), NULL, &enc, &err);
            mtl_tokenizer_free(t2);
        }
    }
    /* truncated images */
    for (k = 0; k < il; k += k < 64 ? 4 : 4093) {
        mtl_error err;
        CHECK(mtl_tokenizer_from_image(img, k, mem, msz, &t2, &err) != MTL_OK, "a %lu-byte prefix was accepted", (unsigned long)k);
    }
    printf("  damaged images: %d refused, %d accepted and encoded\n", refused, accepted);
    CHECK(refused > 100, "only %d refused", refused);
    free(copy);
    free(mem);
    mtl_encoding_free(&enc);
    mtl_tokenizer_free(t);
}

/* A version 1 image (WordPiece, before BPE) is still read: the v2 image without the model words. */
static void test_v1_image(void) {
    static const char *const toks[] = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "hello", "world", "##s", ",", "!"};
    mtl_tokenizer *t = NULL, *t1 = NULL;
    mtl_error err;
    const uint32_t *img;
    uint32_t *v1;
    size_t il, drop = MTL__TI_WORDS - MTL__TI_WORDS_V1;
    mtl_encoding a, b;
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    CHECK(mtl_tokenizer_from_tokens(toks, NULL, 10, NULL, &t, &err) == MTL_OK, "%s", err.msg);
    if (!t) return;
    img = (const uint32_t *)mtl_tokenizer_image(t, &il);
    CHECK(img[MTL__TI_VERSION] == 2u && img[MTL__TI_MODEL] == MTL__MODEL_WORDPIECE, "not a v2 WordPiece image");
    v1 = (uint32_t *)malloc(il);
    memcpy(v1, img, 4 * MTL__TI_WORDS_V1);
    memcpy(v1 + MTL__TI_WORDS_V1, img + MTL__TI_WORDS, il - 4 * MTL__TI_WORDS);
    v1[MTL__TI_VERSION] = 1u;
    v1[MTL__TI_BYTES] -= (uint32_t)(4 * drop);
    CHECK(mtl_tokenizer_from_image(v1, il - 4 * drop, NULL, 0, &t1, &err) == MTL_OK, "v1 image: %s", err.msg);
    if (t1) {
        CHECK(mtl_encode(t, "hellos, world!", 14, NULL, &a, &err) == MTL_OK, "%s", err.msg);
        CHECK(mtl_encode(t1, "hellos, world!", 14, NULL, &b, &err) == MTL_OK, "%s", err.msg);
        CHECK(a.n == 7 && b.n == a.n && memcmp(a.ids, b.ids, (size_t)a.n * 4) == 0 && memcmp(a.offsets, b.offsets, (size_t)a.n * 8) == 0,
              "v1 and v2 images encode differently");
        mtl_tokenizer_free(t1);
    }
    v1[MTL__TI_VERSION] = 3u;
    CHECK(mtl_tokenizer_from_image(v1, il - 4 * drop, NULL, 0, &t1, &err) == MTL_ERR_UNSUPPORTED, "version 3 accepted");
    {   /* WordPiece options do not apply to a BPE file */
        mtl_tokenizer_options o;
        mtl_tokenizer *b = NULL;
        memset(&o, 0, sizeof o);
        o.lowercase = 1;
        CHECK(mtl_tokenizer_load_json("tests/data/bpe/roberta.json", &o, &b, &err) == MTL_ERR_UNSUPPORTED, "lowercase accepted for BPE");
        mtl_tokenizer_free(b);
    }
    free(v1);
    mtl_encoding_free(&a);
    mtl_encoding_free(&b);
    mtl_tokenizer_free(t);
}

/* Long words (the heap merge), invalid UTF-8 (U+FFFD's bytes, offsets of the bad byte), caller buffers. */
static void test_bad_and_long(void) {
    mtl_tokenizer *t = load_fixture("roberta");
    mtl_encoding enc, fixed;
    mtl_error err;
    char *big;
    size_t n = 200000, k;
    static int32_t buf[48 * 64];
    if (!t) return;
    memset(&enc, 0, sizeof enc);
    big = (char *)malloc(n);
    for (k = 0; k < n; k++) big[k] = (char)('a' + (k * 7 + k / 13) % 26);
    CHECK(mtl_encode(t, big, n, NULL, &enc, &err) == MTL_OK, "long word: %s", err.msg);
    CHECK(enc.n > 1000 && enc.offsets[2 * enc.n - 3] == (int32_t)n, "long word: %d tokens", enc.n);
    CHECK(mtl_encode(t, "a\xff" "b", 3, NULL, &enc, &err) == MTL_OK, "%s", err.msg);
    CHECK(enc.n >= 4, "invalid byte: %d tokens", enc.n);
    mtl_encoding_init_buffer(&fixed, buf, sizeof buf);
    CHECK(mtl_encode(t, "Hello world, it's me.", 21, NULL, &fixed, &err) == MTL_OK, "caller buffer: %s", err.msg);
    CHECK(mtl_encode(t, big, 5000, NULL, &fixed, &err) == MTL_ERR_NOMEM, "caller buffer too small not reported");
    free(big);
    mtl_encoding_free(&enc);
    mtl_tokenizer_free(t);
}

int main(void) {
    RUN(test_fixtures);
    RUN(test_image_round_trip);
    RUN(test_refused);
    RUN(test_damaged_image);
    RUN(test_v1_image);
    RUN(test_bad_and_long);
    TEST_MAIN_END();
}
