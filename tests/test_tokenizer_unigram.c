/* SentencePiece Unigram tests (XLM-RoBERTa's tokenizer): every case of tests/data/unigram (HF tokenizers
   0.23.2 outputs, tools/gen_unigram_fixtures.py): ids, type ids, byte offsets, word ids, pairs,
   truncation, padding, decode; the same through the image in caller memory; the grapheme clusters
   against Unicode's own test file; what is refused by name; damaged images. */
#define MTL_TOKENIZER_IMPLEMENTATION
#include "../mtl_tokenizer.h"
#include "mtl_test.h"
#include "tok_fixture.h"

static const char *const FIXTURES[] = {"xlmr", "spm_real", "uni_bf", "uni_never"};
#define N_FIXTURES (int)(sizeof FIXTURES / sizeof FIXTURES[0])

static void test_fixtures(void) {
    (void)mtl_t_path;   /* the fixtures are in the repository, not in shared/ */
    fixture_dir = "tests/data/unigram";
    if (!mtl_t_exists("tests/data/unigram/xlmr.jsonl")) SKIP("no tests/data/unigram (run from the repository root)");
    run_fixtures(FIXTURES, N_FIXTURES, 0);
}

/* The same fixtures through the image, bound in place in caller memory. */
static void test_image_round_trip(void) {
    run_fixtures(FIXTURES, N_FIXTURES, 1);
}

/* The Precompiled normalizer alone (tests/data/unigram/normalize.jsonl): xlmr's charsmap (its whole
   normalizer) and spm_real's (SentencePiece's own nmt_nfkc), texts of every script and the grapheme edge
   cases, compared as strings. */
static void test_normalize(void) {
    mtl_tokenizer *tx = load_fixture("xlmr"), *ts = load_fixture("spm_real");
    size_t len;
    char *data = read_fixture("normalize", "jsonl", &len), *line, *eol;
    static unsigned char out[1 << 16];
    static int32_t al[2 << 16];
    int n = 0, ok = 0;
    CHECK(data != NULL, "no normalize.jsonl");
    if (!data || !tx || !ts) { free(data); mtl_tokenizer_free(tx); mtl_tokenizer_free(ts); return; }
    for (line = data; line < data + len; line = eol + 1) {
        mtl__json j;
        size_t tl, m, k;
        char *text;
        eol = strchr(line, '\n');
        if (!eol) eol = data + len;
        if (eol == line) continue;
        memset(&j, 0, sizeof j);
        if (mtl__json_parse(&j, line, (size_t)(eol - line)) != 0) { CHECK(0, "bad JSON line"); continue; }
        text = mtl__json_strdup(&j, mtl__json_get(&j, 0, "text"), &tl);
        for (k = 0; k < 2 && text && tl < 4096; k++) {
            int good;
            m = mtl__uni_precompiled(k ? ts : tx, (const unsigned char *)text, 0, tl, out, al);
            good = json_str_eq(&j, mtl__json_get(&j, 0, k ? "normalized_nfkc" : "normalized"), (const char *)out, m);
            n++;
            ok += good;
            if (!good && n - ok < 4) printf("  %s: '%s' -> '%.*s'\n", k ? "nfkc" : "xlmr", text, (int)m, out);
        }
        MTL_FREE(text);
        mtl__json_free(&j);
    }
    printf("  normalize.jsonl: %d of %d normalized texts equal HF's\n", ok, n);
    CHECK(n > 500 && ok == n, "%d of %d", ok, n);
    free(data);
    mtl_tokenizer_free(tx);
    mtl_tokenizer_free(ts);
}

/* Unicode's own grapheme cluster test (GraphemeBreakTest.txt of the UCD the tables come from: Debian's
   unicode-data, as tools/gen_unicode_tables.py). Lines with GB9c (Indic conjunct) breaks are counted
   apart: mtl does not apply that 15.1 rule (see mtl__gcb_break). */
static void test_graphemes(void) {
    const char *path = "/usr/share/unicode/auxiliary/GraphemeBreakTest.txt";
    size_t len;
    char *data = mtl_t_read(path, &len), *line, *eol;
    int lines = 0, ok = 0;
    if (!data) SKIP("no %s (apt-get install unicode-data)", path);
    for (line = data; line < data + len; line = eol + 1) {
        uint32_t cps[64];
        int brk[65], n = 0, k, good = 1;
        char *p = line;
        mtl__gcb g;
        eol = strchr(line, '\n');
        if (!eol) eol = data + len;
        if (*line == '#' || eol == line) continue;
        /* "÷ 0020 × 0308 ÷ 0020 ÷	#  ..." */
        while (p < eol && *p != '#' && n < 64) {
            if ((unsigned char)p[0] == 0xC3 && (unsigned char)p[1] == 0xB7) { brk[n] = 1; p += 2; }         /* ÷ */
            else if ((unsigned char)p[0] == 0xC3 && (unsigned char)p[1] == 0x97) { brk[n] = 0; p += 2; }    /* × */
            else if ((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'F')) { cps[n++] = (uint32_t)strtoul(p, &p, 16); }
            else p++;
        }
        lines++;
        mtl__gcb_start(&g, mtl__gcb_of(cps[0]));
        for (k = 1; k < n; k++) good &= mtl__gcb_break(&g, mtl__gcb_of(cps[k])) == brk[k];
        ok += good;
    }
    free(data);
    printf("  GraphemeBreakTest.txt: %d of %d lines\n", ok, lines);
    CHECK(lines > 500 && ok == lines, "%d of %d lines", ok, lines);
}

/* Unigram scores read as HF reads them (serde_json without float_roundtrip), not as strtod. */
static void test_scores(void) {
    size_t len;
    char *data = mtl_t_read("tests/data/unigram/scores_f64.txt", &len), *line, *eol;
    int n = 0, ok = 0, not_nearest = 0;
    CHECK(data != NULL, "no tests/data/unigram/scores_f64.txt");
    if (!data) return;
    for (line = data; line < data + len; line = eol + 1) {
        char *sp;
        double d, want;
        unsigned long long bits;
        eol = strchr(line, '\n');
        if (!eol) eol = data + len;
        if (*line == '#' || eol == line) continue;
        sp = memchr(line, ' ', (size_t)(eol - line));
        if (!sp) continue;
        bits = strtoull(sp + 1, NULL, 16);
        memcpy(&want, &bits, sizeof want);
        n++;
        if (mtl__serde_f64(line, (size_t)(sp - line), &d) && memcmp(&d, &want, sizeof d) == 0) ok++;
        else if (n - ok < 5) printf("  %.*s: got %.17g, HF %.17g\n", (int)(sp - line), line, d, want);
        *sp = 0;
        not_nearest += strtod(line, NULL) != want;
    }
    free(data);
    printf("  scores: %d of %d read as HF does (%d of them are not the nearest double)\n", ok, n, not_nearest);
    CHECK(n > 1000 && ok == n, "%d of %d", ok, n);
    CHECK(not_nearest > 100, "the fixture has only %d numbers that differ from strtod", not_nearest);
}

/* JSON text without the white space between tokens (the fixtures are pretty-printed); in place. */
static size_t compact_json(char *s, size_t n) {
    size_t i, o = 0;
    int in = 0;
    for (i = 0; i < n; i++) {
        char c = s[i];
        if (in) { s[o++] = c; if (c == '\\' && i + 1 < n) s[o++] = s[++i]; else if (c == '"') in = 0; continue; }
        if (c == '"') in = 1;
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r') continue;
        s[o++] = c;
    }
    return o;
}

/* What the Unigram pipeline does not implement is refused by name. */
static void test_refused(void) {
    static const refuse_case cases[] = {
        {"\"type\":\"Unigram\"", "\"type\":\"WordLevel\"", "WordLevel"},
        {"\"type\":\"WhitespaceSplit\"", "\"type\":\"Whitespace\"", "WhitespaceSplit, Metaspace"},
        {"\"normalizer\":{\"type\":\"Precompiled\"", "\"normalizer\":{\"type\":\"NFKC\",\"x\":{\"type\":\"Precompiled\"}", "NFKC"},
        {"\"decoder\":{\"type\":\"Metaspace\"", "\"decoder\":{\"type\":\"WordPiece\"", "WordPiece"},
        {"\"post_processor\":{\"type\":\"TemplateProcessing\"", "\"post_processor\":{\"type\":\"RobertaProcessing\"", "RobertaProcessing"},
        {"\"content\":\"<mask>\",\"single_word\":false", "\"content\":\"<mask>\",\"single_word\":true", "single_word"},
    };
    size_t len;
    char *js = read_fixture("xlmr", "json", &len);
    CHECK(js != NULL, "no xlmr.json");
    if (!js) return;
    len = compact_json(js, len);
    js[len] = 0;
    check_refused(js, len, cases, sizeof cases / sizeof cases[0]);
    free(js);
}

/* Damaged images: hostile values in the header, the scores, the charsmap and anywhere else are refused
   or encode without reading out of bounds (ASan build); hostile texts. */
static void test_damaged_image(void) {
    mtl_tokenizer *t = load_fixture("xlmr"), *t2;
    const uint32_t *img;
    uint32_t *copy;
    size_t il, nw, k;
    int v, accepted = 0, refused = 0, trial;
    static const uint32_t vals[] = {0, 1, 2, 3, 255, 256, 0x7FFFFFFFu, 0x80000000u, 0xFFFFFFFFu, 0xFFFFFFFEu, 1u << 24, 0x7FF00000u};
    static const char *const texts[] = {"Hello world, it's <mask> héllo   there! 123", "\xff\xfe abc ﬁ ½", "中文 😀 e\xcc\x81 ①"};
    mtl_encoding enc;
    size_t msz = mtl_tokenizer_struct_bytes();
    void *mem = malloc(msz);
    uint64_t st = 0x9E3779B97F4A7C15ull;
    if (!t) { free(mem); return; }
    memset(&enc, 0, sizeof enc);
    img = (const uint32_t *)mtl_tokenizer_image(t, &il);
    nw = il / 4;
    copy = (uint32_t *)malloc(il);
    for (trial = 0; trial < 6000; trial++) {
        mtl_error err;
        int x;
        st = st * 6364136223846793005ull + 1442695040888963407ull;
        /* the header words in turn, then random words (half of them in the charsmap and scores at the end) */
        k = trial < MTL__TI_WORDS * 12 ? (size_t)trial / 12 : (st & 2) ? nw - 1 - (size_t)(st >> 35) % (nw / 3) : (size_t)(st >> 33) % nw;
        memcpy(copy, img, il);
        v = trial < MTL__TI_WORDS * 12 ? trial % 12 : (int)((st >> 8) % 12);
        copy[k] = (trial < MTL__TI_WORDS * 12 || (st & 1)) ? vals[v] : (uint32_t)(st >> 13);
        if (mtl_tokenizer_from_image(copy, il, mem, msz, &t2, &err) != MTL_OK) { refused++; continue; }
        accepted++;
        for (x = 0; x < 3; x++) {
            char dec[1024];
            size_t dl;
            mtl_encode(t2, texts[x], strlen(texts[x]), NULL, &enc, &err);
            mtl_decode(t2, enc.ids, enc.n, NULL, dec, sizeof dec, &dl, &err);
        }
        mtl_tokenizer_free(t2);
    }
    for (k = 0; k < il; k += k < 64 ? 4 : 4093) {
        mtl_error err;
        CHECK(mtl_tokenizer_from_image(img, k, mem, msz, &t2, &err) != MTL_OK, "a %lu-byte prefix was accepted", (unsigned long)k);
    }
    printf("  damaged images: %d refused, %d accepted and encoded\n", refused, accepted);
    CHECK(refused > 100 && accepted > 100, "%d refused, %d accepted", refused, accepted);
    free(copy);
    free(mem);
    mtl_encoding_free(&enc);
    mtl_tokenizer_free(t);
}

/* Hostile and long texts on the real charsmap: random bytes, long runs, a caller buffer too small. */
static void test_bad_and_long(void) {
    mtl_tokenizer *t = load_fixture("xlmr");
    mtl_encoding enc, fixed;
    mtl_error err;
    static int32_t buf[1 << 14];
    char *big;
    size_t n = 1 << 20, k;
    uint64_t st = 12345;
    int trial;
    if (!t) return;
    memset(&enc, 0, sizeof enc);
    big = (char *)malloc(n);
    for (trial = 0; trial < 300; trial++) {   /* random bytes: any result, no crash (ASan) */
        size_t m = 1 + (size_t)trial * 7 % 300;
        for (k = 0; k < m; k++) { st = st * 6364136223846793005ull + 1442695040888963407ull; big[k] = (char)(st >> 56); }
        CHECK(mtl_encode(t, big, m, NULL, &enc, &err) == MTL_OK, "random bytes: %s", err.msg);
    }
    for (k = 0; k < n; k++) big[k] = "ab ﬁc\xcc\x81 "[k % 10];
    CHECK(mtl_encode(t, big, n - n % 10, NULL, &enc, &err) == MTL_OK, "1 MB: %s", err.msg);
    CHECK(enc.n > 100000 && enc.offsets[2 * enc.n - 3] <= (int32_t)n, "1 MB: %d tokens", enc.n);
    memset(big, ' ', n);
    CHECK(mtl_encode(t, big, n, NULL, &enc, &err) == MTL_OK && enc.n == 2, "1 MB of spaces: %d tokens, %s", enc.n, err.msg);
    mtl_encoding_init_buffer(&fixed, buf, sizeof buf);
    CHECK(mtl_encode(t, "Hello world, it's me.", 21, NULL, &fixed, &err) == MTL_OK, "caller buffer: %s", err.msg);
    for (k = 0; k < 5000; k++) big[k] = (char)('a' + k % 26);
    CHECK(mtl_encode(t, big, 5000, NULL, &fixed, &err) == MTL_ERR_NOMEM, "caller buffer too small not reported");
    free(big);
    mtl_encoding_free(&enc);
    mtl_tokenizer_free(t);
}

int main(void) {
    RUN(test_fixtures);
    RUN(test_image_round_trip);
    RUN(test_normalize);
    RUN(test_graphemes);
    RUN(test_scores);
    RUN(test_refused);
    RUN(test_damaged_image);
    RUN(test_bad_and_long);
    TEST_MAIN_END();
}
