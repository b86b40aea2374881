/* libFuzzer target: loading a tokenizer from arbitrary bytes as tokenizer.json, as vocab.txt (+ a
   tokenizer_config.json / special_tokens_map.json), then encoding a fixed text with it. */
#define MTL_TOKENIZER_IMPLEMENTATION
#include "../../mtl_tokenizer.h"
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    mtl_tokenizer_files f;
    mtl_tokenizer *t = NULL;
    mtl_error err;
    const char *s = (const char *)data + 1;
    size_t n;
    if (size < 1) return 0;
    n = size - 1;
    memset(&f, 0, sizeof f);
    switch (data[0] % 4) {
    case 0: f.tokenizer_json = s; f.tokenizer_json_len = n; break;
    case 1: f.vocab_txt = s; f.vocab_txt_len = n; break;
    case 2: /* config files from the input, a small valid vocab */
        f.vocab_txt = "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nhello\n##s\n";
        f.vocab_txt_len = strlen(f.vocab_txt);
        f.tokenizer_config_json = s; f.tokenizer_config_json_len = n;
        break;
    default:
        f.vocab_txt = "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nhello\n##s\n";
        f.vocab_txt_len = strlen(f.vocab_txt);
        f.special_tokens_map_json = s; f.special_tokens_map_json_len = n;
        break;
    }
    if (mtl_tokenizer_from_memory(&f, NULL, &t, &err) == MTL_OK) {
        mtl_encoding e;
        memset(&e, 0, sizeof e);
        mtl_encode_pair(t, "Hello, [MASK] worlds!", 21, "x[CLS]y", 7, NULL, &e, &err);
        mtl_encoding_free(&e);
        mtl_tokenizer_free(t);
    } else if (t != NULL || !err.msg[0]) {
        abort(); /* a failure must leave no tokenizer and say why */
    }
    return 0;
}
