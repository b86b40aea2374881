/* bench/gemm: mtl's matrix kernel (mtl__gemm, the one under inference and training) vs OpenBLAS
   sgemm on the BERT shapes, one thread, warm and cold weights. Prints GFLOP/s and mtl / OpenBLAS.

       make bench-gemm          (builds with the flags of `make` + -lopenblas, runs with
                                 OPENBLAS_CORETYPE set to the CPU's best kernel for this run)

   C[M,N] = A[M,K] W[N,K]^T + b: A = activations (M tokens), W = a torch-layout weight, packed once
   into mtl's panel layout (as at model load) and given as is to OpenBLAS (CblasTrans).
   warm: the same weight every call (in cache); cold: a ring of weights of 256 MB in all, so each
   call streams its weight from memory, as a forward of a model larger than the caches does. */
#define _POSIX_C_SOURCE 200809L
#define MTL_BERT_IMPLEMENTATION
#include "mtl_bert.h"
#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "../bench_cpu.h"

extern void openblas_set_num_threads(int);
extern char *openblas_get_corename(void);

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* packed weights at a cache line, as the model keeps them (mtl_model_load) */
static float *alloc64(size_t bytes) {
    void *p = NULL;
    return posix_memalign(&p, 64, bytes) ? NULL : (float *)p;
}
typedef struct { float *A, *C, *Cref, *b, *S; float **W, **Wp; int n_w; } bufs;   /* S: the threads' scratch */

static double run_mtl(bufs *u, int M, int N, int K, int reps, int cold, mtl__pool *pool) {
    double t0 = now();
    int r;
    for (r = 0; r < reps; r++) {
        const int w = cold ? r % u->n_w : 0;
        mtl__matmul_forward(u->C, (size_t)N, u->A, u->W[w], 0, u->Wp[w], u->b, NULL, M, K, N, 0, u->S, pool);   /* as the model */
    }
    return now() - t0;
}
static double run_blas(bufs *u, int M, int N, int K, int reps, int cold) {
    double t0 = now();
    int r, i;
    for (r = 0; r < reps; r++) {
        const int w = cold ? r % u->n_w : 0;
        for (i = 0; i < M; i++) memcpy(u->Cref + (size_t)i * (size_t)N, u->b, (size_t)N * sizeof(float));
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, M, N, K, 1.0f, u->A, K, u->W[w], K, 1.0f, u->Cref, N);
    }
    return now() - t0;
}

/* The thread pool: the cost of one hand-off (an empty parallel step on 2 threads), and the speed-up
   of 2 threads over 1 on batched products (M = 2048, warm), mtl and OpenBLAS. */
static int n_calls;
static void empty_task(void *arg, int tb, int te, int tid) { (void)arg; (void)tid; n_calls += te - tb > 0; }
static void threads_part(int rounds) {
    static const int NK[3][2] = {{384, 384}, {1536, 384}, {384, 1536}};
    mtl__pool *pool = mtl__pool_new(2);
    double best = 1e9, t;
    int r, i, s;
    if (!pool) { printf("(no thread pool in this build)\n"); return; }
    for (r = 0; r < rounds; r++) {
        t = now();
        for (i = 0; i < 20000; i++) mtl__parallel(pool, 2, 1e12, empty_task, NULL);
        t = (now() - t) / 20000;
        if (t < best) best = t;
    }
    printf("\nthread hand-off (empty step on 2 threads, best of %d x 20000): %.2f us\n", rounds, best * 1e6);
    printf("| M | N | K | mtl 1T GFLOP/s | mtl 2T | mtl 2T/1T | OpenBLAS 1T | OpenBLAS 2T | OpenBLAS 2T/1T |\n|---|---|---|---|---|---|---|---|---|\n");
    for (s = 0; s < 3; s++) {
        const int M = 2048, N = NK[s][0], K = NK[s][1];
        const double flops = 2.0 * M * N * K;
        const int reps = (int)(4e9 / flops) + 2;
        double b1 = 1e9, b2 = 1e9, o1 = 1e9, o2 = 1e9;
        bufs u;
        size_t j;
        u.n_w = 1;
        u.W = (float **)malloc(sizeof(float *)); u.Wp = (float **)malloc(sizeof(float *));
        u.A = (float *)malloc((size_t)M * (size_t)K * 4); u.C = (float *)malloc((size_t)M * (size_t)N * 4);
        u.Cref = (float *)malloc((size_t)M * (size_t)N * 4); u.b = (float *)malloc((size_t)N * 4);
        u.S = alloc64(2 * mtl__matmul_floats(K, 1, M) * 4 + 64);
        u.W[0] = (float *)malloc((size_t)N * (size_t)K * 4); u.Wp[0] = alloc64(mtl__packed_size(N, K) * 4);
        for (j = 0; j < (size_t)M * (size_t)K; j++) u.A[j] = (float)(j % 17) * 0.01f;
        for (j = 0; j < (size_t)N * (size_t)K; j++) u.W[0][j] = (float)(j % 13) * 0.01f;
        for (j = 0; j < (size_t)N; j++) u.b[j] = 0.1f;
        mtl__pack_weight(u.Wp[0], u.W[0], N, K);
        for (r = 0; r < rounds; r++) {
            double x;
            x = run_mtl(&u, M, N, K, reps, 0, NULL); if (x < b1) b1 = x;
            x = run_mtl(&u, M, N, K, reps, 0, pool); if (x < b2) b2 = x;
            openblas_set_num_threads(1);
            x = run_blas(&u, M, N, K, reps, 0); if (x < o1) o1 = x;
            openblas_set_num_threads(2);
            x = run_blas(&u, M, N, K, reps, 0); if (x < o2) o2 = x;
        }
        openblas_set_num_threads(1);
        printf("| %d | %d | %d | %.1f | %.1f | %.2f | %.1f | %.1f | %.2f |\n", M, N, K, flops * reps / b1 * 1e-9,
               flops * reps / b2 * 1e-9, b1 / b2, flops * reps / o1 * 1e-9, flops * reps / o2 * 1e-9, o1 / o2);
        free(u.W[0]); free(u.Wp[0]); free(u.W); free(u.Wp); free(u.A); free(u.C); free(u.Cref); free(u.b); free(u.S);
    }
    mtl__pool_free(pool);
}

int main(int argc, char **argv) {
    static const int Ms[3] = {18, 205, 2048};
    static const int NK[3][2] = {{384, 384}, {1536, 384}, {384, 1536}};
    char cpu[256];
    int mi, s, cold, i, rounds = argc > 1 ? atoi(argv[1]) : 5;
    double worst = 1e9;
    openblas_set_num_threads(1);
    bench_cpu_model(cpu, sizeof cpu);
    printf("# bench/gemm  cpu: %s  OpenBLAS core: %s (OPENBLAS_CORETYPE=%s)  mtl ISA: %s  1 thread, %d rounds (best)\n",
           cpu, openblas_get_corename(), getenv("OPENBLAS_CORETYPE") ? getenv("OPENBLAS_CORETYPE") : "(unset)",
           mtl__isa() == MTL__ISA_AVX512 ? "AVX-512" : mtl__isa() == MTL__ISA_AVX2 ? "AVX2+FMA" : "portable C", rounds);
    printf("| M | N | K | weights | mtl GFLOP/s | OpenBLAS GFLOP/s | mtl / OpenBLAS | max diff / max |C| |\n|---|---|---|---|---|---|---|---|\n");
    for (s = 0; s < 3; s++) {
        const int N = NK[s][0], K = NK[s][1];
        bufs u;
        const size_t wsz = (size_t)N * (size_t)K;
        u.n_w = (int)((256u << 20) / (wsz * 4 * 2)) + 1;
        u.W = (float **)malloc((size_t)u.n_w * sizeof(float *));
        u.Wp = (float **)malloc((size_t)u.n_w * sizeof(float *));
        u.A = (float *)malloc((size_t)2048 * (size_t)K * sizeof(float));
        u.C = (float *)malloc((size_t)2048 * (size_t)N * sizeof(float));
        u.Cref = (float *)malloc((size_t)2048 * (size_t)N * sizeof(float));
        u.b = (float *)malloc((size_t)N * sizeof(float));
        u.S = alloc64(2 * mtl__matmul_floats(K, 1, 2048) * sizeof(float) + 64);
        srand(1);
        for (i = 0; i < 2048 * K; i++) u.A[i] = (float)rand() / (float)RAND_MAX - 0.5f;
        for (i = 0; i < N; i++) u.b[i] = (float)rand() / (float)RAND_MAX - 0.5f;
        for (i = 0; i < u.n_w; i++) {
            size_t j;
            u.W[i] = (float *)malloc(wsz * sizeof(float));
            u.Wp[i] = alloc64(mtl__packed_size(N, K) * sizeof(float));
            for (j = 0; j < wsz; j++) u.W[i][j] = (float)rand() / (float)RAND_MAX - 0.5f;
            mtl__pack_weight(u.Wp[i], u.W[i], N, K);
        }
        for (mi = 0; mi < 3; mi++) {
            const int M = Ms[mi];
            const double flops = 2.0 * M * N * K;
            for (cold = 0; cold < 2; cold++) {
                const int reps = (int)(2e9 / flops) + 4;
                double bm = 1e9, bb = 1e9, d = 0.0, cmax = 0.0;
                int r;
                size_t j;
                for (r = 0; r < rounds; r++) {
                    const double tm = run_mtl(&u, M, N, K, reps, cold, NULL), tb = run_blas(&u, M, N, K, reps, cold);
                    if (tm < bm) bm = tm;
                    if (tb < bb) bb = tb;
                }
                run_mtl(&u, M, N, K, 1, 0, NULL);
                run_blas(&u, M, N, K, 1, 0);
                for (j = 0; j < (size_t)M * (size_t)N; j++) {
                    const double e = fabs((double)u.C[j] - (double)u.Cref[j]);
                    if (e > d) d = e;
                    if (fabs((double)u.Cref[j]) > cmax) cmax = fabs((double)u.Cref[j]);
                }
                d /= cmax > 0.0 ? cmax : 1.0;
                printf("| %d | %d | %d | %s | %.1f | %.1f | %.2f | %.1e |\n", M, N, K, cold ? "cold" : "warm",
                       flops * reps / bm * 1e-9, flops * reps / bb * 1e-9, bb / bm, d);
                if (bb / bm < worst) worst = bb / bm;
            }
        }
        for (i = 0; i < u.n_w; i++) { free(u.W[i]); free(u.Wp[i]); }
        free(u.W); free(u.Wp); free(u.A); free(u.C); free(u.Cref); free(u.b); free(u.S);
    }
    printf("worst mtl / OpenBLAS: %.2f\n", worst);
    threads_part(rounds);
    return 0;
}
