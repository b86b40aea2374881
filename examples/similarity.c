/* mtl-similarity: the cosine-similarity matrix of sentences.

   build/mtl-similarity --model BLOB [--pooling cls|mean|max|pooler] [--threads N] [--] "sentence" "sentence" ...

   Embeds every sentence (the model's default pooling unless --pooling is given) and prints an n x n
   matrix: row i holds cos(s_i, s_j) for j = 1..n, TAB-separated, %.6f. An argument that starts with
   "--" is an option (a sentence that starts with "--" goes after a "--" argument). --threads: default
   all online CPUs (at most 8).
   Exit status: 0 ok, 1 runtime error (incl. a write error on stdout), 2 usage. */
#define MTL_BERT_IMPLEMENTATION
#include "../mtl_bert.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define PROG "mtl-similarity"
static const cli_opt OPTS[] = {
    {"--model BLOB", "the model file (weights_convert or mtl-train output); required"},
    {"--pooling P", "cls|mean|max|pooler (default: the model's own; pooler needs pooler weights)"},
    {"--threads N", CLI_THREADS_HELP},
    {"--", "every argument after it is a sentence, even one that starts with \"--\""},
    {NULL, NULL}};

static int help(void) {
    return cli_help(PROG, "mtl-similarity --model BLOB [options] [--] \"sentence\" \"sentence\" ...",
                    "Prints the n x n cosine-similarity matrix of the sentences (row i: cos(s_i, s_j), TAB-separated, %.6f).\n",
                    OPTS);
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
    int opts_done = 0;
    mtl_ctx_options co;
    memset(&eo, 0, sizeof eo);
    memset(&co, 0, sizeof co);
    co.n_threads = cli_default_threads();
    texts = (const char **)malloc((size_t)argc * sizeof(char *));
    if (!texts) { fprintf(stderr, "%s: out of memory\n", PROG); return 1; }
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!opts_done && cli_is_help(a)) { free((void *)texts); return help(); }
        else if (opts_done || strncmp(a, "--", 2) != 0) texts[n++] = a;   /* a sentence */
        else if (!strcmp(a, "--")) opts_done = 1;
        else if (cli_is_version(a)) { free((void *)texts); return cli_version(PROG); }
        else if (!strcmp(a, "--model") && i + 1 < argc) model_path = argv[++i];
        else if (!strcmp(a, "--pooling") && i + 1 < argc) {
            const char *v = argv[++i];
            if (!strcmp(v, "cls")) eo.pooling = MTL_POOL_CLS;
            else if (!strcmp(v, "mean")) eo.pooling = MTL_POOL_MEAN;
            else if (!strcmp(v, "max")) eo.pooling = MTL_POOL_MAX;
            else if (!strcmp(v, "pooler")) eo.pooling = MTL_POOL_POOLER;
            else { free((void *)texts); return cli_usage_error(PROG, "--pooling must be cls, mean, max or pooler, not '%s'", v); }
        } else if (!strcmp(a, "--threads") && i + 1 < argc) {
            if (cli_parse_int(PROG, a, argv[++i], 1, CLI_THREADS_MAX, &co.n_threads)) { free((void *)texts); return CLI_EXIT_USAGE; }
        } else { free((void *)texts); return cli_bad_option(PROG, OPTS, a); }
    }
    if (!model_path) { free((void *)texts); return cli_usage_error(PROG, "--model is required"); }
    if (n < 1) { free((void *)texts); return cli_usage_error(PROG, "give at least one sentence"); }
    if (cli_load_model(PROG, model_path, &m)) { free((void *)texts); return 1; }
    H = mtl_model_get_info(m)->hidden_size;
    emb = (float *)malloc((size_t)n * (size_t)H * sizeof(float));
    if (!emb) { fprintf(stderr, "%s: out of memory\n", PROG); return 1; }
    if (mtl_ctx_init(&ctx, m, &co) != MTL_OK) { fprintf(stderr, "%s: %s\n", PROG, ctx.err.msg); return 1; }
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
