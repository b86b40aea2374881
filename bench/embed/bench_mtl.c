/* bench_mtl: sentences/s of mtl_bert.h on a file of sentences (one per line), tokenization included.
   bench_mtl MODEL.gguf SENTENCES.txt BATCH THREADS [REPEAT] -> prints "mtl batch=B threads=T sent/s=X" */
#define _POSIX_C_SOURCE 199309L
#define MTL_BERT_IMPLEMENTATION
#include "../../mtl_bert.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int main(int argc, char **argv) {
    mtl_model *m;
    mtl_ctx ctx;
    mtl_ctx_options co;
    mtl_error err;
    char *buf, **lines, *p;
    size_t n = 0, cap = 1024, i, len;
    int batch, threads, repeat, r, H;
    float *emb;
    double t0, t1, best = 1e30, c0, cbest = 1e30;
    FILE *fp;
    if (argc < 5) { fprintf(stderr, "usage: bench_mtl MODEL SENTENCES BATCH THREADS [REPEAT]\n"); return 2; }
    batch = atoi(argv[3]);
    threads = atoi(argv[4]);
    repeat = argc > 5 ? atoi(argv[5]) : 3;
    if (mtl_model_load(argv[1], &m, &err)) { fprintf(stderr, "%s\n", err.msg); return 1; }
    fp = fopen(argv[2], "rb");
    if (!fp) return 1;
    fseek(fp, 0, SEEK_END);
    len = (size_t)ftell(fp);
    fseek(fp, 0, SEEK_SET);
    buf = (char *)malloc(len + 1);
    if (fread(buf, 1, len, fp) != len) return 1;
    fclose(fp);
    buf[len] = 0;
    lines = (char **)malloc(cap * sizeof(char *));
    for (p = buf; *p;) {
        char *e = strchr(p, '\n');
        if (e) *e = 0;
        if (n == cap) { cap *= 2; lines = (char **)realloc(lines, cap * sizeof(char *)); }
        lines[n++] = p;
        if (!e) break;
        p = e + 1;
    }
    H = mtl_model_get_info(m)->hidden_size;
    emb = (float *)malloc((size_t)batch * (size_t)H * sizeof(float));
    memset(&co, 0, sizeof co);
    co.n_threads = threads;
    mtl_ctx_init(&ctx, m, &co);
    for (r = 0; r < repeat; r++) {
        t0 = now();
        c0 = (double)clock() / CLOCKS_PER_SEC;
        for (i = 0; i < n; i += (size_t)batch) {
            mtl_forward_out out;
            int nb = (int)(n - i < (size_t)batch ? n - i : (size_t)batch);
            memset(&out, 0, sizeof out);
            out.embeddings = emb;
            if (mtl_forward_texts(&ctx, nb, (const char *const *)lines + i, NULL, NULL, NULL, NULL, &out, &err)) { fprintf(stderr, "%s\n", err.msg); return 1; }
        }
        t1 = now();
        if (t1 - t0 < best) best = t1 - t0;
        if ((double)clock() / CLOCKS_PER_SEC - c0 < cbest) cbest = (double)clock() / CLOCKS_PER_SEC - c0;
    }
    printf("mtl batch=%d threads=%d sent/s=%.1f (per cpu-second: %.1f)\n", batch, threads, (double)n / best, (double)n / cbest);
    mtl_ctx_free(&ctx);
    mtl_model_free(m);
    free(emb);
    free(lines);
    free(buf);
    return 0;
}
