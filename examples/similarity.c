/* mtl-similarity: the cosine-similarity matrix of sentences.

   build/mtl-similarity --model BLOB [--pooling cls|mean|max|pooler] "sentence" "sentence" ...

   Embeds every sentence (the model's default pooling unless --pooling is given) and prints an n x n
   matrix: row i holds cos(s_i, s_j) for j = 1..n, TAB-separated, %.6f.
   Exit status: 0 ok, 1 runtime error (incl. a write error on stdout), 2 usage. */
#define MTL_BERT_IMPLEMENTATION
#include "../mtl_bert.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void usage(void) {
    fprintf(stderr, "usage: mtl-similarity --model BLOB [--pooling cls|mean|max|pooler] \"sentence\" \"sentence\" ...\n");
}

int main(int argc, char **argv) {
    const char *model_path = NULL;
    const char **texts;
    int n = 0, i, j, H;
    mtl_embed_options eo;
    mtl_model *m;
    mtl_ctx ctx;
    mtl_error err;
    mtl_forward_out out;
    float *emb;
    memset(&eo, 0, sizeof eo);
    texts = (const char **)malloc((size_t)argc * sizeof(char *));
    if (!texts) return 1;
    for (i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--model") && i + 1 < argc) model_path = argv[++i];
        else if (!strcmp(argv[i], "--pooling") && i + 1 < argc) {
            const char *v = argv[++i];
            if (!strcmp(v, "cls")) eo.pooling = MTL_POOL_CLS;
            else if (!strcmp(v, "mean")) eo.pooling = MTL_POOL_MEAN;
            else if (!strcmp(v, "max")) eo.pooling = MTL_POOL_MAX;
            else if (!strcmp(v, "pooler")) eo.pooling = MTL_POOL_POOLER;
            else { fprintf(stderr, "mtl-similarity: unknown pooling '%s'\n", v); usage(); return 2; }
        } else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) { usage(); return 0; }
        else if (argv[i][0] == '-' && argv[i][1] == '-') { fprintf(stderr, "mtl-similarity: unknown or incomplete option '%s'\n", argv[i]); usage(); return 2; }
        else texts[n++] = argv[i];
    }
    if (!model_path) { fprintf(stderr, "mtl-similarity: --model is required\n"); usage(); return 2; }
    if (n < 1) { fprintf(stderr, "mtl-similarity: give at least one sentence\n"); usage(); return 2; }
    if (cli_load_model("mtl-similarity", model_path, &m)) return 1;
    H = mtl_model_get_info(m)->hidden_size;
    emb = (float *)malloc((size_t)n * (size_t)H * sizeof(float));
    if (!emb) return 1;
    mtl_ctx_init(&ctx, m, NULL);
    memset(&out, 0, sizeof out);
    out.embeddings = emb;
    if (mtl_forward_texts(&ctx, n, texts, NULL, NULL, NULL, &eo, &out, &err)) { fprintf(stderr, "mtl-similarity: %s\n", err.msg); return 1; }
    if (out.n_truncated) fprintf(stderr, "mtl-similarity: %d sentence(s) truncated to %d tokens\n", out.n_truncated, mtl_model_get_info(m)->max_seq_length);
    for (i = 0; i < n; i++) {
        double nn = 0;
        float *e = emb + (size_t)i * (size_t)H;
        int h;
        for (h = 0; h < H; h++) nn += (double)e[h] * e[h];
        nn = sqrt(nn);
        for (h = 0; h < H; h++) e[h] = (float)(e[h] / (nn > 1e-12 ? nn : 1e-12));
    }
    for (i = 0; i < n; i++) {
        for (j = 0; j < n; j++) {
            double d = 0;
            int h;
            for (h = 0; h < H; h++) d += (double)emb[(size_t)i * (size_t)H + (size_t)h] * emb[(size_t)j * (size_t)H + (size_t)h];
            printf(j + 1 < n ? "%.6f\t" : "%.6f\n", d);
        }
    }
    free(emb);
    free((void *)texts);
    mtl_ctx_free(&ctx);
    mtl_model_free(m);
    return cli_out_close("mtl-similarity");
}
