/* libFuzzer target: the mtl_bert.h model loader (GGUF parsing, tensor views, the tokenizer rebuilt
   from the blob) on arbitrary bytes, then a short forward when the blob loads.
   clang -fsanitize=fuzzer,address,undefined (make fuzz). Seeds: tests/fuzz/seeds/fuzz_blob/. */
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
    if (size) memcpy(buf, data, size);
    if (mtl_model_from_memory(buf, size, &m, &err) == MTL_OK) {
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
