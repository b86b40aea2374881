/* bench_bounds: the two machine numbers behind the "bound" columns of bench/embed/bench.py.
     bench_bounds sgemm THREADS [SECONDS]  OpenBLAS cblas_sgemm GFLOP/s on the BERT shapes of all-MiniLM-L6-v2
                                           (M = 2048 tokens; y = x W^T: (N, K) = (384, 384) x4 [Q, K, V, output],
                                           (1536, 384) [FFN up], (384, 1536) [FFN down]); prints the core
                                           OpenBLAS chose (set OPENBLAS_CORETYPE to choose it), each shape's
                                           best GFLOP/s and the layer mix (the FLOP-weighted time of one layer).
     bench_bounds copy THREADS [MIB]       memcpy bandwidth: MIB (default 1024) copied between two buffers
                                           (faulted in first), split over THREADS threads, best of 5;
                                           bytes counted = read + written = 2 x MIB per copy.
   Output: key=value lines. Build: make build/bench/bench_bounds (links Debian's libopenblas-dev). */
#define _POSIX_C_SOURCE 200112L
#include <cblas.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* best seconds of one C[M,N] = A[M,K] B[N,K]^T, repeated for at least `seconds` */
static double time_sgemm(int M, int N, int K, double seconds) {
    float *A = (float *)malloc((size_t)M * (size_t)K * sizeof(float));
    float *B = (float *)malloc((size_t)N * (size_t)K * sizeof(float));
    float *C = (float *)malloc((size_t)M * (size_t)N * sizeof(float));
    size_t i;
    double best = 1e30, start, t;
    int reps = 0;
    if (!A || !B || !C) { fprintf(stderr, "bench_bounds: out of memory\n"); exit(1); }
    for (i = 0; i < (size_t)M * (size_t)K; i++) A[i] = (float)((i * 7u) % 13u) * 0.01f - 0.06f;
    for (i = 0; i < (size_t)N * (size_t)K; i++) B[i] = (float)((i * 5u) % 11u) * 0.01f - 0.05f;
    memset(C, 0, (size_t)M * (size_t)N * sizeof(float));
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, M, N, K, 1.0f, A, K, B, K, 0.0f, C, N); /* warm-up */
    start = now();
    while (reps < 5 || now() - start < seconds) {
        t = now();
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, M, N, K, 1.0f, A, K, B, K, 0.0f, C, N);
        t = now() - t;
        if (t < best) best = t;
        reps++;
    }
    free(A);
    free(B);
    free(C);
    return best;
}

static int cmd_sgemm(int threads, double seconds) {
    const int M = 2048;
    double t_qkvo, t_up, t_down, flops;
    openblas_set_num_threads(threads);
    printf("openblas_corename=%s\n", openblas_get_corename());
    printf("openblas_config=%s\n", openblas_get_config());
    printf("threads=%d\n", openblas_get_num_threads());
    t_qkvo = time_sgemm(M, 384, 384, seconds);
    t_up = time_sgemm(M, 1536, 384, seconds);
    t_down = time_sgemm(M, 384, 1536, seconds);
    printf("gflops_2048x384x384=%.2f\n", 2.0 * M * 384 * 384 / t_qkvo * 1e-9);
    printf("gflops_2048x1536x384=%.2f\n", 2.0 * M * 1536 * 384 / t_up * 1e-9);
    printf("gflops_2048x384x1536=%.2f\n", 2.0 * M * 384 * 1536 / t_down * 1e-9);
    flops = 2.0 * M * (4.0 * 384 * 384 + 2.0 * 384 * 1536);
    printf("gflops_layer_mix=%.2f\n", flops / (4 * t_qkvo + t_up + t_down) * 1e-9);
    return 0;
}

typedef struct copy_job {
    char *dst;
    const char *src;
    size_t n;
} copy_job;

static void *copy_worker(void *arg) {
    copy_job *j = (copy_job *)arg;
    memcpy(j->dst, j->src, j->n);
    return NULL;
}

static int cmd_copy(int threads, size_t mib) {
    size_t bytes = mib << 20, chunk;
    char *src = (char *)malloc(bytes), *dst = (char *)malloc(bytes);
    copy_job jobs[64];
    pthread_t tid[64];
    double best = 1e30, t;
    int r, k;
    if (!src || !dst) { fprintf(stderr, "bench_bounds: out of memory\n"); return 1; }
    if (threads < 1 || threads > 64) { fprintf(stderr, "bench_bounds: 1..64 threads\n"); return 2; }
    memset(src, 1, bytes);   /* fault every page in before timing */
    memset(dst, 2, bytes);
    chunk = (bytes / (size_t)threads) & ~(size_t)4095;
    for (k = 0; k < threads; k++) {
        jobs[k].src = src + (size_t)k * chunk;
        jobs[k].dst = dst + (size_t)k * chunk;
        jobs[k].n = k == threads - 1 ? bytes - (size_t)k * chunk : chunk;
    }
    for (r = 0; r < 6; r++) {   /* the first copy is a warm-up */
        t = now();
        for (k = 1; k < threads; k++) pthread_create(&tid[k], NULL, copy_worker, &jobs[k]);
        copy_worker(&jobs[0]);
        for (k = 1; k < threads; k++) pthread_join(tid[k], NULL);
        t = now() - t;
        if (r > 0 && t < best) best = t;
    }
    printf("threads=%d\ncopy_bytes=%zu\ncounted_bytes=%zu\nseconds=%.6f\ngb_per_s=%.3f\n", threads, bytes, 2 * bytes, best,
           2.0 * (double)bytes / best * 1e-9);
    free(src);
    free(dst);
    return 0;
}

int main(int argc, char **argv) {
    if (argc >= 3 && !strcmp(argv[1], "sgemm")) return cmd_sgemm(atoi(argv[2]), argc > 3 ? atof(argv[3]) : 1.0);
    if (argc >= 3 && !strcmp(argv[1], "copy")) return cmd_copy(atoi(argv[2]), argc > 3 ? (size_t)atol(argv[3]) : 1024);
    fprintf(stderr, "usage: bench_bounds sgemm THREADS [SECONDS] | copy THREADS [MIB]\n");
    return 2;
}
