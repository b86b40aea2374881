/* The matrix kernel under inference and training (mtl__gemm): every ISA variant this CPU has
   (AVX-512, AVX2+FMA, portable C) against a double-precision reference, on odd and BERT shapes,
   with B packed at load, packed per task from [N,K] and from [K,N] (in blocks of MTL_KC k), with A
   read transposed ([K,M], packed per row block), with bias, accumulation and a residual;
   and the properties the library relies on: a row of C does not depend on the other rows (batch
   composition) nor on the thread count, and the two FMA variants give the same bits. */
#define _POSIX_C_SOURCE 200809L
#define MTL_BERT_IMPLEMENTATION
#include "../mtl_bert.h"
#include "mtl_test.h"
#include <math.h>

#ifndef MTL_USE_BLAS
static float frand(uint64_t *s) {
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return (float)((double)(*s >> 40) / 16777216.0 - 0.5);
}
typedef struct { int M, N, K; } shape;
static const shape shapes[] = {
    {1, 1, 1}, {1, 16, 7}, {3, 17, 5}, {5, 31, 33}, {12, 32, 64}, {13, 33, 9}, {25, 48, 100},
    {18, 384, 384}, {37, 70, 1536}, {205, 96, 384}, {9, 1536, 40}, {40, 13, 300}
};

/* C = A B (+ bias) (+ C0) in double */
static void ref(double *C, const float *A, const float *B, int b_nk, const float *bias, const float *C0, int M, int N, int K) {
    int i, j, k;
    for (i = 0; i < M; i++)
        for (j = 0; j < N; j++) {
            double s = 0.0;
            for (k = 0; k < K; k++) s += (double)A[(size_t)i * (size_t)K + (size_t)k] *
                                         (double)(b_nk ? B[(size_t)j * (size_t)K + (size_t)k] : B[(size_t)k * (size_t)N + (size_t)j]);
            C[(size_t)i * (size_t)N + (size_t)j] = s + (bias ? (double)bias[j] : 0.0) + (C0 ? (double)C0[(size_t)i * (size_t)N + (size_t)j] : 0.0);
        }
}

static int isa_has(int isa) {
    return isa == MTL__ISA_C || (isa == MTL__ISA_AVX2 && mtl__isa() >= MTL__ISA_AVX2) || (isa == MTL__ISA_AVX512 && mtl__isa() >= MTL__ISA_AVX512);
}

/* a thread's scratch for any product of depth K: B's panels and A's rows (a_km), or A's rows packed
   with packed B (AVX-512) */
#define SCRATCH(K) (mtl__gemm_floats(K, 1) > mtl__gemm_ap_floats(K, 1 << 20) ? mtl__gemm_floats(K, 1) : mtl__gemm_ap_floats(K, 1 << 20))
static void test_kernel_vs_double(void) {
    uint64_t seed = 42;
    size_t si;
    int isa, mode, n_isa = 0, n_res = 0;
    size_t res_diff = 0;
    double worst = 0.0;
    for (isa = MTL__ISA_C; isa <= MTL__ISA_AVX512; isa++) if (isa_has(isa)) n_isa++;
    for (si = 0; si < sizeof shapes / sizeof shapes[0]; si++) {
        const int M = shapes[si].M, N = shapes[si].N, K = shapes[si].K;
        float *A = (float *)malloc((size_t)M * (size_t)K * 4), *B = (float *)malloc((size_t)N * (size_t)K * 4);
        float *Bt = (float *)malloc((size_t)N * (size_t)K * 4), *bias = (float *)malloc((size_t)N * 4);
        float *C = (float *)malloc((size_t)M * (size_t)N * 4), *C0 = (float *)malloc((size_t)M * (size_t)N * 4);
        float *Cfma = (float *)malloc((size_t)M * (size_t)N * 4), *Cnr = (float *)malloc((size_t)M * (size_t)N * 4);
        float *Bp = (float *)malloc(mtl__packed_size(N, K) * 4), *scratch = (float *)malloc(SCRATCH(K) * 4);
        float *At = (float *)malloc((size_t)M * (size_t)K * 4);
        double *R = (double *)malloc((size_t)M * (size_t)N * 8), *Rabs = (double *)malloc((size_t)M * (size_t)N * 8);
        size_t i;
        int k, j;
        for (i = 0; i < (size_t)M * (size_t)K; i++) A[i] = frand(&seed);
        for (i = 0; i < (size_t)N * (size_t)K; i++) B[i] = frand(&seed);              /* [N,K] */
        for (j = 0; j < N; j++) for (k = 0; k < K; k++) Bt[(size_t)k * (size_t)N + (size_t)j] = B[(size_t)j * (size_t)K + (size_t)k];
        for (j = 0; j < N; j++) bias[j] = frand(&seed);
        for (i = 0; i < (size_t)M; i++) for (k = 0; k < K; k++) At[(size_t)k * (size_t)M + i] = A[i * (size_t)K + (size_t)k];
        for (i = 0; i < (size_t)M * (size_t)N; i++) C0[i] = frand(&seed);
        mtl__pack_weight(Bp, B, N, K);
        /* |A||B| for the error bound */
        {
            float *Aa = (float *)malloc((size_t)M * (size_t)K * 4), *Ba = (float *)malloc((size_t)N * (size_t)K * 4);
            for (i = 0; i < (size_t)M * (size_t)K; i++) Aa[i] = fabsf(A[i]);
            for (i = 0; i < (size_t)N * (size_t)K; i++) Ba[i] = fabsf(B[i]);
            ref(Rabs, Aa, Ba, 1, NULL, NULL, M, N, K);
            free(Aa); free(Ba);
        }
        for (mode = 0; mode < 8; mode++) {   /* packed+bias, [N,K], [K,N], [N,K]+accumulate, packed, A^T [K,N]+acc, */
                                             /* packed+bias+residual, [N,K]+bias+residual (C0 the residual) */
            const int accumulate = mode == 3 || mode == 5, use_bias = mode == 0 || mode >= 6, use_res = mode >= 6;
            int first = 1;
            ref(R, A, B, 1, use_bias ? bias : NULL, accumulate || use_res ? C0 : NULL, M, N, K);
            for (isa = MTL__ISA_C; isa <= MTL__ISA_AVX512; isa++) {
                mtl__gemm_args g;
                double w = 0.0;
                if (!isa_has(isa)) continue;
                memset(&g, 0, sizeof g);
                if (accumulate) memcpy(C, C0, (size_t)M * (size_t)N * 4);
                else for (i = 0; i < (size_t)M * (size_t)N; i++) C[i] = NAN;
                g.C = C; g.ldc = (size_t)N; g.A = A; g.lda = (size_t)K; g.M = M; g.N = N; g.K = K; g.isa = isa;
                if (mode == 5) { g.A = At; g.lda = (size_t)M; g.a_km = 1; }
                g.Bp = mode == 0 || mode == 4 || mode == 6 ? Bp : NULL;
                g.B = mode == 2 || mode == 5 ? Bt : B; g.ldb = mode == 2 || mode == 5 ? (size_t)N : (size_t)K; g.b_nk = mode != 2 && mode != 5;
                g.bias = use_bias ? bias : NULL; g.accumulate = accumulate; g.scratch = scratch; g.stride = SCRATCH(K);
                if (use_res) {   /* C = (the same product without it) + res, bit for bit: the layer's LN(dense + x) */
                    g.C = Cnr;
                    mtl__gemm(&g, NULL);
                    g.C = C; g.res = C0; g.ldr = (size_t)N;
                }
                mtl__gemm(&g, NULL);
                if (use_res) {
                    for (i = 0; i < (size_t)M * (size_t)N; i++) {
                        const float want = Cnr[i] + C0[i];
                        res_diff += memcmp(&C[i], &want, 4) != 0;
                    }
                    n_res++;
                }
                for (i = 0; i < (size_t)M * (size_t)N; i++) {
                    const double e = fabs((double)C[i] - R[i]) / (Rabs[i] + (use_bias || accumulate || use_res ? 1.0 : 0.0) + 1e-30);
                    if (!(e <= w)) w = isnan(e) ? 1e30 : e;
                }
                CHECK(w < 1e-6, "isa %d mode %d [%d,%d,%d]: error %g of sum|a||b|", isa, mode, M, N, K, w);
                if (w > worst) worst = w;
                if (isa >= MTL__ISA_AVX2) {   /* the FMA variants sum in the same order: same bits */
                    if (first) memcpy(Cfma, C, (size_t)M * (size_t)N * 4);
                    else CHECK(!memcmp(Cfma, C, (size_t)M * (size_t)N * 4), "AVX2 and AVX-512 differ [%d,%d,%d] mode %d", M, N, K, mode);
                    first = 0;
                }
            }
        }
        free(A); free(B); free(Bt); free(bias); free(C); free(C0); free(Cfma); free(Cnr); free(Bp); free(scratch); free(R); free(Rabs); free(At);
    }
    printf("  %d ISA variant(s) (best here: %s), %d shapes x 8 layouts: worst error %.3g of sum|a||b|\n", n_isa,
           mtl__isa() == MTL__ISA_AVX512 ? "AVX-512" : mtl__isa() == MTL__ISA_AVX2 ? "AVX2+FMA" : "portable C",
           (int)(sizeof shapes / sizeof shapes[0]), worst);
    printf("  residual in the store: %zu of the elements of %d products differ from (the product without it) + res\n", res_diff, n_res);
    CHECK(res_diff == 0 && n_res >= 2 * (int)(sizeof shapes / sizeof shapes[0]), "the residual store is not (product) + res");
}

/* The panels and A blocks each ISA packs (AVX-512: 16 x 16 transposes in registers, masked row copies;
   and attention's K^T and V panels, mtl__attn_pack, with this CPU's) hold exactly the portable code's
   values, zeros past N included: B(k, n) read both ways, every panel start, K and N not multiples of
   16; and AVX-512's k-major A blocks (mtl__pack_a512: A(r, k) at [k MR + r], rows up to MR zero,
   nothing written past MR K) of A read both ways (rows lda apart, and stored [K, M]: a_km), for
   1 .. 14 rows, against the portable code's rows of A (mtl__gemm_a). */
static void test_pack_isa_bits(void) {
    enum { LD = 83, ROWS = 83 };   /* B [ROWS, LD]: k and n < 83 both ways */
    static const int Ns[] = {1, 7, 16, 17, 31, 32, 45, 70}, Ks[] = {1, 5, 16, 17, 33, 64, 83};
    uint64_t seed = 3;
    float *B = (float *)malloc((size_t)ROWS * LD * 4), *P0 = (float *)malloc((size_t)LD * 16 * 4), *P1 = (float *)malloc((size_t)LD * 16 * 4);
    size_t i, n_cmp = 0, n_diff = 0;
    int isa, b_nk, ni, ki, n0, rows;
    (void)rows;   /* (the A blocks: AVX-512 builds only) */
    for (i = 0; i < (size_t)ROWS * LD; i++) B[i] = frand(&seed);
    for (isa = MTL__ISA_AVX2; isa <= MTL__ISA_AVX512; isa++) {
        if (!isa_has(isa)) continue;
        for (b_nk = 0; b_nk < 2; b_nk++)
            for (ni = 0; ni < (int)(sizeof Ns / sizeof Ns[0]); ni++)
                for (ki = 0; ki < (int)(sizeof Ks / sizeof Ks[0]); ki++)
                    for (n0 = 0; n0 < Ns[ni]; n0 += 16) {
                        const int N = Ns[ni], K = Ks[ki];
                        memset(P0, 0xFF, (size_t)K * 16 * 4); memset(P1, 0xAB, (size_t)K * 16 * 4);   /* NaN, garbage */
                        mtl__pack_panel(P0, B, LD, b_nk, 0, n0, N, K, MTL__ISA_C);
                        mtl__pack_panel(P1, B, LD, b_nk, 0, n0, N, K, isa);
                        n_cmp++;
                        n_diff += memcmp(P0, P1, (size_t)K * 16 * 4) != 0;
                    }
#ifdef MTL__X86
        if (isa == MTL__ISA_AVX512)
            for (rows = 1; rows <= 14; rows++)
                for (ki = 0; ki < (int)(sizeof Ks / sizeof Ks[0]); ki++) {
                    const int K = Ks[ki], mr = mtl__mr512(rows);
                    int km, r, k;
                    for (km = 0; km < 2; km++) {
                        mtl__gemm_args g;
                        size_t lda;
                        const float *a;
                        int bad = 0;
                        memset(&g, 0, sizeof g);
                        g.A = B; g.lda = LD; g.a_km = km; g.K = K;   /* A(m, k) = B[k LD + m] or B[m LD + k] */
                        memset(P0, 0xFF, (size_t)K * 16 * 4); memset(P1, 0xAB, (size_t)K * 16 * 4);
                        a = mtl__gemm_a(&g, P0, 5, rows, &lda);
                        mtl__pack_a512(P1, km ? B + 5 : B + 5 * LD, LD, rows, mr, K, km);
                        for (k = 0; k < K; k++)
                            for (r = 0; r < mr; r++) {
                                const float want = r < rows ? a[(size_t)r * lda + (size_t)k] : 0.0f;
                                bad |= memcmp(&P1[(size_t)k * (size_t)mr + (size_t)r], &want, 4) != 0;
                            }
                        for (k = mr * K; k < 16 * K; k++) { unsigned char c[4]; memcpy(c, &P1[k], 4); bad |= c[0] != 0xAB || c[3] != 0xAB; }
                        n_cmp++;
                        n_diff += bad != 0;
                    }
                }
#endif
    }
    {   /* attention's packing of all of K^T's or V's panels at once (mtl__attn_pack, this CPU's ISA) */
        float *A0 = (float *)malloc((size_t)LD * 80 * 4), *A1 = (float *)malloc((size_t)LD * 80 * 4);
        for (b_nk = 0; b_nk < 2; b_nk++)
            for (ni = 0; ni < (int)(sizeof Ns / sizeof Ns[0]); ni++)
                for (ki = 0; ki < (int)(sizeof Ks / sizeof Ks[0]); ki++) {
                    const int N = Ns[ni], K = Ks[ki], np = (N + 15) / 16;
                    memset(A0, 0xFF, (size_t)np * (size_t)K * 16 * 4); memset(A1, 0xAB, (size_t)np * (size_t)K * 16 * 4);
                    for (n0 = 0; n0 < N; n0 += 16) mtl__pack_panel(A0 + (size_t)n0 * (size_t)K, B, LD, b_nk, 0, n0, N, K, MTL__ISA_C);
                    mtl__attn_pack(A1, B, LD, b_nk, N, K);
                    n_cmp++;
                    n_diff += memcmp(A0, A1, (size_t)np * (size_t)K * 16 * 4) != 0;
                }
        free(A0); free(A1);
    }
    printf("  panels and A blocks packed by each ISA, attention's panels by this CPU's: %zu of %zu differ from the portable code's\n", n_diff, n_cmp);
    CHECK(n_diff == 0, "a packed panel or A block differs between ISAs");
    free(B); free(P0); free(P1);
}

/* The blocks of rows (mtl__row_blocks): for every range of 1..3000 rows and every ISA's most rows a
   block (portable 4, AVX2 6, AVX-512 14), as few blocks as hold the rows, none taller than the most,
   heights differing by at most 1, the taller last, and the heights summing to the range. */
static void test_row_blocks(void) {
    static const int maxrs[3] = {4, MTL__MR256, MTL__MR512};
    int n, x, i, bad = 0, h[3];
    mtl__rb b = mtl__row_blocks(13, 6);
    for (i = 0; i < 3; i++) h[i] = mtl__rb_rows(&b, i);
    CHECK(b.nb == 3 && h[0] == 4 && h[1] == 4 && h[2] == 5, "13 rows, 6 a block: %d blocks, %d + %d + %d", b.nb, h[0], h[1], h[2]);
    for (x = 0; x < 3; x++)
        for (n = 1; n <= 3000; n++) {
            int sum = 0, prev = 0;
            b = mtl__row_blocks(n, maxrs[x]);
            bad += b.nb != (n + maxrs[x] - 1) / maxrs[x];
            for (i = 0; i < b.nb; i++) {
                const int r = mtl__rb_rows(&b, i);
                bad += r < 1 || r > maxrs[x] || (i > 0 && (r < prev || r > prev + 1)) || r - mtl__rb_rows(&b, 0) > 1;
                sum += r; prev = r;
            }
            bad += sum != n;
        }
    printf("  ranges of 1..3000 rows, at most 4, %d and %d rows a block: %d violations\n", MTL__MR256, MTL__MR512, bad);
    CHECK(bad == 0, "%d violations", bad);
}

/* Row i of C computed in a batch of M rows == row i computed alone, and 1 thread == 3 threads: with
   K = 384 one block of rows (mtl__gemm_mb) holds the batch; with K = 1536 it spans two (42 + 11), so
   the threads share tasks of (row block, 32 columns). Each with A read in place and with A's row
   blocks packed in the threads' scratch (AVX-512), all against the first (in place, one thread). */
static void test_kernel_rows_and_threads(void) {
    enum { M = 53, N = 200, KMAX = 1536 };
    static const int Ks[2] = {384, KMAX};
    uint64_t seed = 7;
    float *A = (float *)malloc((size_t)M * KMAX * 4), *B = (float *)malloc((size_t)N * KMAX * 4), *bias = (float *)malloc((size_t)N * 4);
    float *C1 = (float *)malloc((size_t)M * N * 4), *C3 = (float *)malloc((size_t)M * N * 4), *row = (float *)malloc((size_t)N * 4);
    float *Bp = (float *)malloc(mtl__packed_size(N, KMAX) * 4), *S = (float *)malloc(3 * mtl__gemm_ap_floats(KMAX, M) * 4);
    mtl__pool *pool = mtl__pool_new(3);
    int i, m, isa, ki, pa, diff_rows = 0, diff_threads = 0, diff_heights = 0, n_heights = 0, n_multi = 0;
    for (i = 0; i < M * KMAX; i++) A[i] = frand(&seed);
    for (i = 0; i < N * KMAX; i++) B[i] = frand(&seed);
    for (i = 0; i < N; i++) bias[i] = frand(&seed);
    for (ki = 0; ki < 2; ki++) {
        const int K = Ks[ki];
        mtl__pack_weight(Bp, B, N, K);
        n_multi += M > mtl__gemm_mb(K);
        for (isa = MTL__ISA_C; isa <= MTL__ISA_AVX512; isa++) {
            mtl__gemm_args g;
            if (!isa_has(isa)) continue;
            memset(&g, 0, sizeof g);
            g.C = C1; g.ldc = (size_t)N; g.A = A; g.lda = (size_t)K; g.Bp = Bp; g.bias = bias; g.M = M; g.N = N; g.K = K; g.isa = isa;
            mtl__gemm(&g, NULL);   /* A read in place: every result below is compared with this */
            for (pa = 0; pa < 2; pa++) {   /* A in place, and (AVX-512) A's row blocks packed per thread */
                g.scratch = pa ? S : NULL; g.stride = pa ? mtl__gemm_ap_floats(K, M) : 0;
                g.C = C3; g.A = A; g.M = M;
                mtl__gemm(&g, pool);
                diff_threads += memcmp(C1, C3, (size_t)M * N * 4) != 0;
                if (pa) { g.C = C3; mtl__gemm(&g, NULL); diff_threads += memcmp(C1, C3, (size_t)M * N * 4) != 0; }
                for (i = 0; i < M; i++) {
                    g.C = row; g.A = A + (size_t)i * (size_t)K; g.M = 1;
                    mtl__gemm(&g, NULL);
                    diff_rows += memcmp(row, C1 + (size_t)i * N, (size_t)N * 4) != 0;
                }
                for (m = 2; m <= 40; m++) {   /* every block height of every micro-kernel, and their mixes */
                    g.C = C3; g.A = A; g.M = m;
                    mtl__gemm(&g, m % 2 ? pool : NULL);
                    diff_heights += memcmp(C3, C1, (size_t)m * N * 4) != 0;
                    n_heights++;
                }
            }
        }
    }
    printf("  K = 384 and 1536 (%d of them with more than one block of rows): rows differing alone vs in a batch of %d: %d; "
           "1 vs 3 threads differing: %d (pool: %s); batches of 2..40 rows differing from the batch of %d: %d of %d\n",
           n_multi, M, diff_rows, diff_threads, pool ? "yes" : "no threads", M, diff_heights, n_heights);
    CHECK(n_multi == 1, "the K = 1536 product does not span two blocks of rows");
    CHECK(diff_heights == 0 && n_heights >= 156, "a row depends on the height of its batch");
    CHECK(diff_rows == 0, "a row depends on the rows around it");
    CHECK(diff_threads == 0, "results depend on the thread count");
    mtl__pool_free(pool);
    free(A); free(B); free(bias); free(C1); free(C3); free(row); free(Bp); free(S);
}
#endif

int main(void) {
    (void)mtl_t_path; (void)mtl_t_exists; (void)mtl_t_read;   /* (harness helpers this test does not need) */
#ifndef MTL_USE_BLAS
    RUN(test_kernel_vs_double);
    RUN(test_row_blocks);
    RUN(test_kernel_rows_and_threads);
    RUN(test_pack_isa_bits);
#else
    printf("SKIP kernel: built with MTL_USE_BLAS\n");
#endif
    TEST_MAIN_END();
}
