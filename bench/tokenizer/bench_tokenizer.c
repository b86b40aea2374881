/* Times mtl_encode over a corpus (one text per line): best of N passes, single thread.
   usage: bench_tokenizer MODEL_DIR CORPUS [passes]   -> prints "bytes tokens seconds" */
#define _POSIX_C_SOURCE 199309L
#define MTL_TOKENIZER_IMPLEMENTATION
#include "../../mtl_tokenizer.h"
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int main(int argc, char **argv) {
    mtl_tokenizer *tok;
    mtl_error err;
    mtl_encoding enc;
    FILE *f;
    char *data;
    long n;
    int passes = argc > 3 ? atoi(argv[3]) : 3, p;
    double best = 1e30;
    long long tokens = 0;
    if (argc < 3) { fprintf(stderr, "usage: bench_tokenizer MODEL_DIR CORPUS [passes]\n"); return 2; }
    if (mtl_tokenizer_load_dir(argv[1], NULL, &tok, &err)) { fprintf(stderr, "%s\n", err.msg); return 1; }
    f = fopen(argv[2], "rb");
    if (!f) { perror(argv[2]); return 1; }
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    data = (char *)malloc((size_t)n);
    if (!data || fread(data, 1, (size_t)n, f) != (size_t)n) { fprintf(stderr, "read failed\n"); return 1; }
    fclose(f);
    memset(&enc, 0, sizeof enc);
    for (p = 0; p < passes; p++) {
        double t0 = now();
        char *s = data, *end = data + n;
        tokens = 0;
        while (s < end) {
            char *e = (char *)memchr(s, '\n', (size_t)(end - s));
            if (!e) e = end;
            if (mtl_encode(tok, s, (size_t)(e - s), NULL, &enc, &err)) { fprintf(stderr, "%s\n", err.msg); return 1; }
            tokens += enc.n;
            s = e + 1;
        }
        t0 = now() - t0;
        if (t0 < best) best = t0;
    }
    printf("%ld %lld %.6f\n", n, tokens, best);
    mtl_encoding_free(&enc);
    mtl_tokenizer_free(tok);
    free(data);
    return 0;
}
