/* libFuzzer target: the mtl_bert.h model loader (GGUF parsing, checksum, tensor views, the
   tokenizer rebuilt from the blob) on arbitrary bytes, then a short forward when the blob loads.
   The last input byte picks the checksum mode: 0 default (verify when present), 1 skip_checksum,
   2 a checksum key found in the input is first recomputed and patched in (so damaged structure
   gets past a verified checksum and reaches the deep checks), 3 require_checksum.
   Seeds (tests/fuzz/seeds/fuzz_blob/): an mtl file without and with a checksum, and a llama.cpp-style
   file (phantom-space vocabulary, no mtl.* keys) for the llama.cpp path. clang -fsanitize=fuzzer,
   address,undefined (make fuzz). */
#define MTL_BERT_IMPLEMENTATION
#include "../../mtl_bert.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    /* an exact-size copy, so that any read past the end is caught */
    unsigned char *buf = (unsigned char *)malloc(size ? size : 1);
    mtl_model *m = NULL;
    mtl_error err;
    if (!buf) return 0;
    mtl_load_options lo;
    int mode = size ? data[size - 1] & 3 : 0;
    if (size) memcpy(buf, data, size);
    memset(&lo, 0, sizeof lo);
    lo.skip_checksum = mode == 1;
    lo.require_checksum = mode == 3;
    if (mode == 2) {
        mtl__gguf g;
        size_t i;
        if (mtl__gguf_parse(&g, buf, size, NULL, &err) == MTL_OK) {   /* (NULL: the heap) */
            for (i = 0; i < g.n_kv; i++)
                if (mtl__streq(g.kv[i].key, g.kv[i].klen, MTL__CHECKSUM_KEY) && g.kv[i].type == MTL__GGUF_U64) {
                    uint64_t h = mtl__xxh64_skip(buf, size, g.kv[i].pos);
                    int k;
                    for (k = 0; k < 8; k++) buf[g.kv[i].pos + (size_t)k] = (unsigned char)(h >> (8 * k));
                }
            mtl__gguf_free(&g);
        }
    }
    if (mtl_model_from_memory_ex(buf, size, &lo, &m, &err) == MTL_OK) {
        const mtl_model_info *info = mtl_model_get_info(m);
        mtl_ctx ctx;
        mtl_forward_out out;
        int32_t ids[4] = {0, 1, 2, 0};
        mtl_seq s;
        float *emb = (float *)malloc((size_t)info->hidden_size * sizeof(float));
        int k;
        for (k = 0; k < 4; k++) ids[k] = ids[k] % info->vocab_size;
        s.ids = ids;
        s.type_ids = NULL;
        s.n = 4;
        memset(&out, 0, sizeof out);
        out.embeddings = emb;
        mtl_ctx_init(&ctx, m, NULL);
        if (info->hidden_size <= 4096 && info->n_layers <= 64) {
            mtl_forward(&ctx, &s, 1, NULL, &out, &err);
            mtl_embed(&ctx, "hello world", 11, emb, &err);
        }
        mtl_ctx_free(&ctx);
        free(emb);
        mtl_model_free(m);
    }
    free(buf);
    return 0;
}
