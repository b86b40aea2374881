/* bench_bounds: the two machine numbers behind the "bound" columns of bench/embed/bench.py.
     bench_bounds sgemm THREADS [SECONDS [H I]]  OpenBLAS cblas_sgemm GFLOP/s on a BERT layer's shapes, hidden H and
                                           FFN I (default 384 and 1536: all-MiniLM-L6-v2; M = 2048 tokens; y = x W^T:
                                           (N, K) = (H, H) x4 [Q, K, V, output], (I, H) [FFN up], (H, I) [FFN
                                           down]); prints the core
                                           OpenBLAS chose (set OPENBLAS_CORETYPE to choose it), each shape's
                                           best GFLOP/s and the layer mix (the FLOP-weighted time of one layer).
     bench_bounds copy THREADS [MIB]       memcpy bandwidth: MIB (default 1024) copied between two buffers
                                           (faulted in first), split over THREADS threads, best of 5;
                                           bytes counted = read + written = 2 x MIB per copy.
     bench_bounds read THREADS [MIB]       read-only bandwidth: MIB (default 1024) summed (AVX-512 / AVX2 loads
                                           when the CPU has them), split over THREADS threads, best of 5 (what a stream of weights that are
                                           only read can reach; bench.py prints it next to the copy bound).
   Output: key=value lines. Build: make build/bench/bench_bounds (links Debian's libopenblas-dev). */
#define _POSIX_C_SOURCE 200112L
#include <cblas.h>
#include <pthread.h>
#include <stdint.h>
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

static int cmd_sgemm(int threads, double seconds, int hid, int ffn) {
    const int M = 2048;
    double t_qkvo, t_up, t_down, flops;
    if (hid < 1 || ffn < 1) { fprintf(stderr, "bench_bounds: hidden and FFN sizes must be positive\n"); return 2; }
    openblas_set_num_threads(threads);
    printf("openblas_corename=%s\n", openblas_get_corename());
    printf("openblas_config=%s\n", openblas_get_config());
    printf("threads=%d\n", openblas_get_num_threads());
    t_qkvo = time_sgemm(M, hid, hid, seconds);
    t_up = time_sgemm(M, ffn, hid, seconds);
    t_down = time_sgemm(M, hid, ffn, seconds);
    printf("shape_qkvo=%dx%dx%d\nshape_up=%dx%dx%d\nshape_down=%dx%dx%d\n", M, hid, hid, M, ffn, hid, M, hid, ffn);
    printf("gflops_qkvo=%.2f\n", 2.0 * M * hid * hid / t_qkvo * 1e-9);
    printf("gflops_up=%.2f\n", 2.0 * M * (double)ffn * hid / t_up * 1e-9);
    printf("gflops_down=%.2f\n", 2.0 * M * (double)hid * ffn / t_down * 1e-9);
    flops = 2.0 * M * (4.0 * hid * hid + 2.0 * (double)hid * ffn);
    printf("gflops_layer_mix=%.2f\n", flops / (4 * t_qkvo + t_up + t_down) * 1e-9);
    return 0;
}

/* best seconds of fn run on threads jobs at once (job k at jobs + k * size; the caller runs job 0), best of
   5 passes after a warm-up */
static double time_workers(void *(*fn)(void *), void *jobs, size_t size, int threads) {
    pthread_t tid[64];
    double best = 1e30, t;
    int r, k;
    for (r = 0; r < 6; r++) {   /* the first pass is a warm-up */
        t = now();
        for (k = 1; k < threads; k++) pthread_create(&tid[k], NULL, fn, (char *)jobs + (size_t)k * size);
        fn(jobs);
        for (k = 1; k < threads; k++) pthread_join(tid[k], NULL);
        t = now() - t;
        if (r > 0 && t < best) best = t;
    }
    return best;
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
    double best;
    int k;
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
    best = time_workers(copy_worker, jobs, sizeof jobs[0], threads);
    printf("threads=%d\ncopy_bytes=%zu\ncounted_bytes=%zu\nseconds=%.6f\ngb_per_s=%.3f\n", threads, bytes, 2 * bytes, best,
           2.0 * (double)bytes / best * 1e-9);
    free(src);
    free(dst);
    return 0;
}

/* a read-only pass over n bytes (n a multiple of 256), summed so no load is dropped: on x86 with AVX-512
   or AVX2 (chosen at run time) four vector sums, as a streaming kernel reads; else eight 64-bit sums */
typedef struct read_job { const unsigned char *p; size_t n; int isa; double sum; } read_job;
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
__attribute__((target("avx512f"))) static double read512(const unsigned char *p, size_t n) {
    __m512d s0 = _mm512_setzero_pd(), s1 = s0, s2 = s0, s3 = s0;
    size_t i;
    for (i = 0; i < n; i += 256) {
        s0 = _mm512_add_pd(s0, _mm512_load_pd((const double *)(p + i)));
        s1 = _mm512_add_pd(s1, _mm512_load_pd((const double *)(p + i + 64)));
        s2 = _mm512_add_pd(s2, _mm512_load_pd((const double *)(p + i + 128)));
        s3 = _mm512_add_pd(s3, _mm512_load_pd((const double *)(p + i + 192)));
    }
    return _mm512_reduce_add_pd(_mm512_add_pd(_mm512_add_pd(s0, s1), _mm512_add_pd(s2, s3)));
}
__attribute__((target("avx2"))) static double read256(const unsigned char *p, size_t n) {
    __m256d s0 = _mm256_setzero_pd(), s1 = s0, s2 = s0, s3 = s0;
    double t[4];
    size_t i;
    for (i = 0; i < n; i += 128) {
        s0 = _mm256_add_pd(s0, _mm256_load_pd((const double *)(p + i)));
        s1 = _mm256_add_pd(s1, _mm256_load_pd((const double *)(p + i + 32)));
        s2 = _mm256_add_pd(s2, _mm256_load_pd((const double *)(p + i + 64)));
        s3 = _mm256_add_pd(s3, _mm256_load_pd((const double *)(p + i + 96)));
    }
    _mm256_storeu_pd(t, _mm256_add_pd(_mm256_add_pd(s0, s1), _mm256_add_pd(s2, s3)));
    return t[0] + t[1] + t[2] + t[3];
}
#endif
static double read_c(const unsigned char *p, size_t n) {
    const double *d = (const double *)(const void *)p;
    double s[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    size_t i;
    int k;
    for (i = 0; i < n / 8; i += 8)
        for (k = 0; k < 8; k++) s[k] += d[i + (size_t)k];
    for (k = 1; k < 8; k++) s[0] += s[k];
    return s[0];
}
/* the loads read_worker uses: 2 AVX-512, 1 AVX2, 0 plain C */
static int read_isa(void) {
#if defined(__x86_64__) && defined(__GNUC__)
    if (__builtin_cpu_supports("avx512f")) return 2;
    if (__builtin_cpu_supports("avx2")) return 1;
#endif
    return 0;
}
static const char *const read_isa_name[3] = {"c", "avx2", "avx512"};
static void *read_worker(void *arg) {
    read_job *j = (read_job *)arg;
#if defined(__x86_64__) && defined(__GNUC__)
    if (j->isa == 2) { j->sum += read512(j->p, j->n); return NULL; }
    if (j->isa == 1) { j->sum += read256(j->p, j->n); return NULL; }
#endif
    j->sum += read_c(j->p, j->n);
    return NULL;
}

static int cmd_read(int threads, size_t mib) {
    size_t bytes = mib << 20, chunk;
    unsigned char *src = NULL;
    double total = 0;
    read_job jobs[64];
    double best;
    int k, isa = read_isa();
    if (threads < 1 || threads > 64) { fprintf(stderr, "bench_bounds: 1..64 threads\n"); return 2; }
    if (posix_memalign((void **)&src, 4096, bytes)) { fprintf(stderr, "bench_bounds: out of memory\n"); return 1; }
    memset(src, 0, bytes);   /* fault every page in before timing (zeros: the sums stay finite) */
    chunk = (bytes / (size_t)threads) & ~(size_t)4095;
    for (k = 0; k < threads; k++) {
        jobs[k].p = src + (size_t)k * chunk;
        jobs[k].n = k == threads - 1 ? bytes - (size_t)k * chunk : chunk;
        jobs[k].isa = isa;
        jobs[k].sum = 0;
    }
    best = time_workers(read_worker, jobs, sizeof jobs[0], threads);
    for (k = 0; k < threads; k++) total += jobs[k].sum;
    printf("threads=%d\nread_bytes=%zu\nread_isa=%s\nseconds=%.6f\ngb_per_s=%.3f\nsum=%g\n", threads, bytes, read_isa_name[isa], best,
           (double)bytes / best * 1e-9, total);
    free(src);
    return 0;
}

int main(int argc, char **argv) {
    if (argc >= 3 && !strcmp(argv[1], "sgemm"))
        return cmd_sgemm(atoi(argv[2]), argc > 3 ? atof(argv[3]) : 1.0, argc > 4 ? atoi(argv[4]) : 384, argc > 5 ? atoi(argv[5]) : 1536);
    if (argc >= 3 && !strcmp(argv[1], "copy")) return cmd_copy(atoi(argv[2]), argc > 3 ? (size_t)atol(argv[3]) : 1024);
    if (argc >= 3 && !strcmp(argv[1], "read")) return cmd_read(atoi(argv[2]), argc > 3 ? (size_t)atol(argv[3]) : 1024);
    fprintf(stderr, "usage: bench_bounds sgemm THREADS [SECONDS [H I]] | copy THREADS [MIB] | read THREADS [MIB]\n");
    return 2;
}
