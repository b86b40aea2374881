/* libFuzzer target: encode / encode_pair / batch / decode on arbitrary bytes with the real uncased and
   cased tokenizers ($MTL_SHARED or ../shared), the byte-level BPE fixtures (tests/data/bpe) and the Unigram
   fixtures (tests/data/unigram; run from the repository root; one of each also bound in place from its
   image), options chosen by the first bytes, the tokenizer by them and the input's length. */
#define MTL_TOKENIZER_IMPLEMENTATION
#include "../../mtl_tokenizer.h"
#include <stdio.h>
#include <stdlib.h>

static mtl_tokenizer *tok[8];

static void from_image(const char *path, mtl_tokenizer **out) {
    mtl_tokenizer *b;
    mtl_error err;
    const void *img;
    size_t il;
    void *copy;
    if (mtl_tokenizer_load_json(path, NULL, &b, &err)) { fprintf(stderr, "%s: %s\n", path, err.msg); abort(); }
    img = mtl_tokenizer_image(b, &il);
    copy = malloc(il);
    if (!copy) abort();
    memcpy(copy, img, il);
    mtl_tokenizer_free(b);
    if (mtl_tokenizer_from_image(copy, il, NULL, 0, out, &err)) { fprintf(stderr, "%s\n", err.msg); abort(); }
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    const char *shared = getenv("MTL_SHARED");
    char path[1024];
    mtl_error err;
    (void)argc; (void)argv;
    if (!shared) shared = "../shared";
    snprintf(path, sizeof path, "%s/models/all-MiniLM-L6-v2", shared);
    if (mtl_tokenizer_load_dir(path, NULL, &tok[0], &err)) { fprintf(stderr, "%s\n", err.msg); abort(); }
    snprintf(path, sizeof path, "%s/models/bert-base-cased", shared);
    if (mtl_tokenizer_load_dir(path, NULL, &tok[1], &err)) { fprintf(stderr, "%s\n", err.msg); abort(); }
    if (mtl_tokenizer_load_json("tests/data/bpe/roberta.json", NULL, &tok[2], &err)) { fprintf(stderr, "%s\n", err.msg); abort(); }
    from_image("tests/data/bpe/gpt2ap.json", &tok[3]);
    if (mtl_tokenizer_load_json("tests/data/unigram/xlmr.json", NULL, &tok[4], &err)) { fprintf(stderr, "%s\n", err.msg); abort(); }
    from_image("tests/data/unigram/uni_bf.json", &tok[5]);
    if (mtl_tokenizer_load_json("tests/data/unigram/spm_real.json", NULL, &tok[6], &err)) { fprintf(stderr, "%s\n", err.msg); abort(); }
    from_image("tests/data/unigram/uni_never.json", &tok[7]);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    mtl_encode_options o;
    mtl_encoding e[2];
    mtl_error err;
    const char *text;
    size_t n, split;
    uint8_t c0, c1;
    const mtl_tokenizer *t;
    char out[2048];
    size_t ol;
    int k;
    if (size < 2) return 0;
    c0 = data[0]; c1 = data[1];
    text = (const char *)data + 2;
    n = size - 2;
    t = tok[(c0 & 1) | ((c1 >> 6) & 2) | ((size & 1) << 2)];
    memset(&o, 0, sizeof o);
    memset(e, 0, sizeof e);
    o.no_special_tokens = (c0 >> 1) & 1;
    o.max_length = (c0 >> 2) & 1 ? 1 + (c1 & 63) : 0;
    o.truncation = (mtl_truncation)((c0 >> 3) % 3);
    o.padding = (mtl_padding)((c0 >> 5) % 3);
    o.pad_to_multiple_of = (c1 >> 6) & 1 ? 8 : 0;
    split = n ? (size_t)c1 % (n + 1) : 0;
    if ((c0 >> 7) & 1) {
        if (mtl_encode_pair(t, text, split, text + split, n - split, &o, &e[0], &err) == MTL_OK) {
            int i;
            for (i = 0; i < e[0].n; i++)   /* offsets within their own sequence */
                if (e[0].sequence_ids[i] >= 0 && (size_t)e[0].offsets[2 * i + 1] > (e[0].sequence_ids[i] ? n - split : split)) abort();
            /* at most max_length tokens, or just the special tokens when max_length is below their count (as HF) */
            int floor_n = o.no_special_tokens ? 0 : mtl_tokenizer_num_special(t, 1);
            if (o.max_length && o.padding != MTL_PAD_MAX_LENGTH && e[0].n > (o.max_length > floor_n ? o.max_length : floor_n)) abort();
        }
    } else {
        const char *texts[2];
        size_t lens[2];
        texts[0] = text; lens[0] = split; texts[1] = text + split; lens[1] = n - split;
        if (mtl_encode_batch(t, 2, texts, lens, NULL, NULL, &o, e, &err) == MTL_OK) {
            if (o.padding == MTL_PAD_LONGEST && e[0].n != e[1].n) abort();
        }
    }
    for (k = 0; k < 2; k++) {
        int i;
        for (i = 0; i < e[k].n; i++) {
            int32_t s = e[k].offsets[2 * i], en = e[k].offsets[2 * i + 1];
            if (s < 0 || en < s || (size_t)en > n) abort();
            if (e[k].ids[i] < 0 || e[k].ids[i] >= mtl_tokenizer_vocab_size(t)) abort();
        }
        mtl_decode(t, e[k].ids, e[k].n, NULL, out, sizeof out, &ol, &err);
        mtl_encoding_free(&e[k]);
    }
    return 0;
}
