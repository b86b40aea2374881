/* libFuzzer target: weights_convert's parsers (weights_convert/convert.h) on arbitrary bytes.
   The first byte picks the parser:
     0 safetensors   1 config.json   2 modules.json   3 pooling config   4 sentence_bert_config.json
     5 model.safetensors.index.json
     6 the whole path: "config.json bytes" NUL "safetensors bytes" -> cv_build with a small fixed
       tokenizer -> the GGUF is loaded back with mtl_bert.h and must load (or the build must fail).
   Seeds: tests/fuzz/seeds/fuzz_convert/. */
#include "../../weights_convert/convert.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static mtl_tokenizer *tok;
    static const char *const toks[12] = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "a", "b", "c", "##a", "##b", "hello", "."};
    mtl_error err;
    char *buf;
    size_t n;
    int which;
    if (size < 1) return 0;
    which = data[0] % 7;
    n = size - 1;
    buf = (char *)malloc(n ? n : 1);
    if (!buf) return 0;
    if (n) memcpy(buf, data + 1, n);
    switch (which) {
    case 0: {
        cv_tensors ts;
        memset(&ts, 0, sizeof ts);
        cv_parse_safetensors((const unsigned char *)buf, n, "fuzz", &ts, &err);
        cv_tensors_free(&ts);
        break;
    }
    case 1: {
        cv_config c;
        if (cv_parse_config(buf, n, &c, &err) == MTL_OK) cv_config_free(&c);
        break;
    }
    case 2: {
        char dir[64];
        int norm;
        cv_parse_modules(buf, n, dir, sizeof dir, &norm, &err);
        break;
    }
    case 3: {
        mtl_pooling p;
        cv_parse_pooling(buf, n, &p, &err);
        break;
    }
    case 4: {
        long v;
        cv_parse_sbert(buf, n, &v, &err);
        break;
    }
    case 5: {
        char **files;
        int nf, k;
        if (cv_parse_index(buf, n, &files, &nf, &err) == MTL_OK) {
            for (k = 0; k < nf; k++) free(files[k]);
            free(files);
        }
        break;
    }
    default: {
        char *z = (char *)memchr(buf, 0, n);
        cv_config c;
        cv_tensors ts;
        cv_extra x;
        cv_buf meta, dat;
        if (!tok && mtl_tokenizer_from_tokens(toks, NULL, 12, NULL, &tok, &err)) break;
        if (!z) break;
        memset(&ts, 0, sizeof ts);
        memset(&x, 0, sizeof x);
        x.pooling = MTL_POOL_MEAN;
        if (cv_parse_config(buf, (size_t)(z - buf), &c, &err) != MTL_OK) break;
        if ((int64_t)c.hidden_size * (c.intermediate_size + c.max_position) <= ((int64_t)1 << 22) &&
            cv_parse_safetensors((const unsigned char *)z + 1, n - (size_t)(z - buf) - 1, "fuzz", &ts, &err) == MTL_OK &&
            cv_build(&c, &ts, tok, &x, &meta, &dat, &err) == MTL_OK) {
            unsigned char *blob = (unsigned char *)malloc(meta.n + dat.n);
            mtl_model *m = NULL;
            if (blob) {
                memcpy(blob, meta.d, meta.n);
                if (dat.n) memcpy(blob + meta.n, dat.d, dat.n);
                if (mtl_model_from_memory(blob, meta.n + dat.n, &m, &err) != MTL_OK) __builtin_trap(); /* a built blob must load */
                mtl_model_free(m);
                free(blob);
            }
            cv_buf_free(&meta);
            cv_buf_free(&dat);
        }
        cv_tensors_free(&ts);
        cv_config_free(&c);
        break;
    }
    }
    free(buf);
    return 0;
}
