/* Load time of a model file with and without checksum verification (issue 11):
       make bench-load                      (all-MiniLM-L6-v2: tools/get_minilm.sh first)
       build/bench/bench_load MODEL.gguf [ROUNDS]
   Each round loads the file with mtl_model_load (mmap + parse + checksum + tokenizer + repack),
   alternating verification on and off, after one untimed load that brings the file into the page
   cache; prints the CPU, the best and median times of both, and the XXH64 rate over the file. */
#define _POSIX_C_SOURCE 200809L
#define MTL_BERT_IMPLEMENTATION
#include "mtl_bert.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "../bench_cpu.h"

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}
static int cmp_d(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    const char *path = argc > 1 ? argv[1] : "build/models/all-MiniLM-L6-v2.gguf";
    int rounds = argc > 2 ? atoi(argv[2]) : 15, i, v;
    double *t[2], best[2], med[2], hash_s = 1e30;
    char cpu[256];
    mtl_error err;
    mtl_model *m;
    size_t len;
    if (rounds < 1) rounds = 1;
    t[0] = (double *)malloc((size_t)rounds * sizeof(double));
    t[1] = (double *)malloc((size_t)rounds * sizeof(double));
    if (!t[0] || !t[1]) return 1;
    if (mtl_model_load(path, &m, &err)) { fprintf(stderr, "bench_load: %s\n", err.msg); return 1; }
    if (mtl_model_get_info(m)->checksum != MTL_CHECKSUM_VERIFIED) fprintf(stderr, "bench_load: note: %s has no checksum\n", path);
    len = m->file_len;
    for (i = 0; i < 5; i++) {   /* the checksum alone, over the mapped file */
        double a = now(), d;
        volatile uint64_t h = mtl__xxh64_skip((const unsigned char *)m->file_data, len, len);
        (void)h;
        d = now() - a;
        if (d < hash_s) hash_s = d;
    }
    mtl_model_free(m);
    for (i = 0; i < rounds; i++)
        for (v = 0; v < 2; v++) {
            mtl_load_options lo;
            double a;
            memset(&lo, 0, sizeof lo);
            lo.skip_checksum = !v;
            a = now();
            if (mtl_model_load_ex(path, &lo, &m, &err)) { fprintf(stderr, "bench_load: %s\n", err.msg); return 1; }
            t[v][i] = now() - a;
            mtl_model_free(m);
        }
    for (v = 0; v < 2; v++) {
        qsort(t[v], (size_t)rounds, sizeof(double), cmp_d);
        best[v] = t[v][0];
        med[v] = t[v][rounds / 2];
    }
    bench_cpu_model(cpu, sizeof cpu);
    printf("cpu: %s\n", cpu);
    printf("%s: %zu bytes, %d rounds\n", path, len, rounds);
    printf("load, checksum not verified: best %.2f ms, median %.2f ms\n", 1e3 * best[0], 1e3 * med[0]);
    printf("load, checksum verified:     best %.2f ms, median %.2f ms (+%.2f ms median)\n", 1e3 * best[1], 1e3 * med[1], 1e3 * (med[1] - med[0]));
    printf("XXH64 over the mapped file:  %.2f ms (%.1f GB/s)\n", 1e3 * hash_s, (double)len / hash_s * 1e-9);
    free(t[0]);
    free(t[1]);
    return 0;
}
