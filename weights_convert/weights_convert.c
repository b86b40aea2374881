/* weights_convert: a Hugging Face BERT folder -> one mtl model file (GGUF v3, see mtl_bert.h).

   build/weights_convert HF_DIR OUT [--dtype f32|f16] [--weights FILE]

   Reads HF_DIR/config.json (BertModel, BertForSequenceClassification, BertForTokenClassification),
   the weights (model.safetensors, or the shards of model.safetensors.index.json, or --weights FILE
   inside HF_DIR: F32/F16/BF16, with or without the "bert." prefix), the tokenizer files
   (tokenizer.json or vocab.txt + tokenizer_config.json) and, when present, the sentence-transformers
   files (modules.json, <pooling>/config.json, sentence_bert_config.json). Writes OUT.tmp, loads it
   back with mtl_bert.h as a check, then renames it to OUT. The parsing lives in convert.h. */
#include "convert.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(void) {
    fprintf(stderr, "usage: weights_convert HF_DIR OUT [--dtype f32|f16] [--weights FILE]\n");
}

int main(int argc, char **argv) {
    const char *dir = NULL, *out = NULL, *weights = NULL;
    int f16 = 0, i;
    cv_result res;
    mtl_error err;
    mtl_model *m;
    char *tmp;
    FILE *fp;

    for (i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--dtype") && i + 1 < argc) {
            i++;
            if (!strcmp(argv[i], "f16")) f16 = 1;
            else if (!strcmp(argv[i], "f32")) f16 = 0;
            else { fprintf(stderr, "weights_convert: --dtype must be f32 or f16\n"); return 2; }
        } else if (!strcmp(argv[i], "--weights") && i + 1 < argc) {
            weights = argv[++i];
        } else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            usage();
            return 0;
        } else if (argv[i][0] == '-') {
            fprintf(stderr, "weights_convert: unknown option %s\n", argv[i]);
            usage();
            return 2;
        } else if (!dir) dir = argv[i];
        else if (!out) out = argv[i];
        else { usage(); return 2; }
    }
    if (!dir || !out) { usage(); return 2; }
    if (cv_convert_dir(dir, weights, f16, &res, &err)) {
        fprintf(stderr, "weights_convert: %s\n", err.msg);
        return 1;
    }
    tmp = (char *)malloc(strlen(out) + 5);
    if (!tmp) return 1;
    sprintf(tmp, "%s.tmp", out);
    fp = fopen(tmp, "wb");
    if (!fp) { fprintf(stderr, "weights_convert: cannot write %s\n", tmp); return 1; }
    if (fwrite(res.meta.d, 1, res.meta.n, fp) != res.meta.n || (res.data.n && fwrite(res.data.d, 1, res.data.n, fp) != res.data.n)) {
        fclose(fp);
        fprintf(stderr, "weights_convert: error writing %s\n", tmp);
        remove(tmp);
        return 1;
    }
    if (fclose(fp) != 0) { fprintf(stderr, "weights_convert: error writing %s\n", tmp); remove(tmp); return 1; }
    if (mtl_model_load(tmp, &m, &err)) {
        fprintf(stderr, "weights_convert: the written file does not load back: %s\n", err.msg);
        remove(tmp);
        return 1;
    }
    mtl_model_free(m);
    if (rename(tmp, out) != 0) { fprintf(stderr, "weights_convert: cannot rename %s to %s\n", tmp, out); remove(tmp); return 1; }
    fprintf(stderr, "weights_convert: %s -> %s (%s, %d tensors in, %lu bytes, %s, pooling %s%s, max_seq_length %ld)\n", dir, out,
            f16 ? "f16" : "f32", res.n_tensors, (unsigned long)(res.meta.n + res.data.n), res.cfg.arch,
            mtl_pooling_name(res.extra.pooling == MTL_POOL_DEFAULT ? MTL_POOL_CLS : res.extra.pooling),
            res.extra.normalize ? " + normalize" : "", res.extra.max_seq_length);
    free(tmp);
    cv_result_free(&res);
    return 0;
}
