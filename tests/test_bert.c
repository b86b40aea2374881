/* mtl_bert.h against the golden forward fixture (shared/fixtures/golden/forward.*, tiny-random-bert),
   plus loader robustness, memory loading, text vs ids, truncation, batching and the static arena. */
#define MTL_THREAD_MIN_WORK 1.0          /* exercise the worker threads even on the tiny model */
#include "../weights_convert/convert.h"   /* defines MTL_BERT_IMPLEMENTATION, includes mtl_bert.h */
#include "mtl_test.h"

#include <math.h>
#include <pthread.h>
#include <unistd.h>

/* ---- the fixture reader (NAME.idx + NAME.bin) ---- */
typedef struct fx_arr { char name[96]; char dtype[8]; long off; int ndim; long dim[4]; } fx_arr;
typedef struct fixture { fx_arr a[64]; int n; char *bin; size_t bin_len; char *json; size_t json_len; } fixture;

static int fx_load(fixture *f, const char *dir, const char *name) {
    char p[2200];
    FILE *fp;
    memset(f, 0, sizeof *f);
    snprintf(p, sizeof p, "%s/%s.idx", dir, name);
    fp = fopen(p, "r");
    if (!fp) return 0;
    while (f->n < 64 && fscanf(fp, "%95s %7s %ld %d", f->a[f->n].name, f->a[f->n].dtype, &f->a[f->n].off, &f->a[f->n].ndim) == 4) {
        int d;
        for (d = 0; d < f->a[f->n].ndim && d < 4; d++) if (fscanf(fp, "%ld", &f->a[f->n].dim[d]) != 1) break;
        f->n++;
    }
    fclose(fp);
    snprintf(p, sizeof p, "%s/%s.bin", dir, name);
    f->bin = mtl_t_read(p, &f->bin_len);
    snprintf(p, sizeof p, "%s/%s.json", dir, name);
    f->json = mtl_t_read(p, &f->json_len);
    return f->bin != NULL && f->json != NULL;
}
static void fx_free(fixture *f) { free(f->bin); free(f->json); }
static const fx_arr *fx_get(const fixture *f, const char *name) {
    int i;
    for (i = 0; i < f->n; i++) if (!strcmp(f->a[i].name, name)) return &f->a[i];
    return NULL;
}
static const float *fx_f32(const fixture *f, const char *name) {
    const fx_arr *a = fx_get(f, name);
    return a ? (const float *)(const void *)(f->bin + a->off) : NULL;
}
static const int32_t *fx_i32(const fixture *f, const char *name) {
    const fx_arr *a = fx_get(f, name);
    return a ? (const int32_t *)(const void *)(f->bin + a->off) : NULL;
}

/* ---- helpers ---- */
static char g_fx_dir[1024], g_model_dir[1024];
static const char *g_skip;

static char g_f16_name[256] = "model_fp16.safetensors";

/* The fixture set: $MTL_GOLDEN (default $MTL_SHARED/fixtures/golden) and its model folder
   $MTL_GOLDEN_MODEL (default $MTL_SHARED/models/tiny-random-bert); the f16 weights file name comes
   from forward.json meta.spec.model.files.weights_f16. */
static void setup_paths(void) {
    const char *g = getenv("MTL_GOLDEN"), *gm = getenv("MTL_GOLDEN_MODEL");
    fixture f;
    if (g && *g) snprintf(g_fx_dir, sizeof g_fx_dir, "%s", g);
    else mtl_t_path(g_fx_dir, sizeof g_fx_dir, "fixtures/golden");
    if (gm && *gm) snprintf(g_model_dir, sizeof g_model_dir, "%s", gm);
    else mtl_t_path(g_model_dir, sizeof g_model_dir, "models/tiny-random-bert");
    if (fx_load(&f, g_fx_dir, "forward")) {
        mtl__json j;
        if (mtl__json_parse(&j, f.json, f.json_len) == 0) {
            int spec = mtl__json_get(&j, mtl__json_get(&j, 0, "meta"), "spec");
            int w = mtl__json_get(&j, mtl__json_get(&j, mtl__json_get(&j, spec, "model"), "files"), "weights_f16");
            char *name = mtl__json_strdup(&j, w, NULL);
            if (name && strlen(name) < sizeof g_f16_name && !strchr(name, '/')) strcpy(g_f16_name, name);
            free(name);
        }
        mtl__json_free(&j);
    }
    fx_free(&f);
}

/* Converts a HF folder in memory and loads it (buffer kept in *blob). */
static mtl_model *convert_load(const char *dir, const char *weights, int f16, unsigned char **blob, size_t *len) {
    cv_result res;
    mtl_error err;
    mtl_model *m = NULL;
    *blob = NULL;
    if (cv_convert_dir(dir, weights, f16, &res, &err)) { printf("  convert %s: %s\n", dir, err.msg); return NULL; }
    *blob = cv_result_blob(&res, len);
    cv_result_free(&res);
    if (!*blob) return NULL;
    if (mtl_model_from_memory(*blob, *len, &m, &err)) { printf("  load: %s\n", err.msg); free(*blob); *blob = NULL; return NULL; }
    return m;
}

/* max |a-b| over the real tokens: c[t] packed [sum len, H] vs fixture [B, L, H]. */
static double cmp_tokens(const float *c, const float *fx, const int32_t *seq_len, int B, int L, int H) {
    double mx = 0;
    int b, t, h;
    size_t p = 0;
    for (b = 0; b < B; b++)
        for (t = 0; t < seq_len[b]; t++, p++)
            for (h = 0; h < H; h++) {
                double d = fabs((double)c[p * (size_t)H + (size_t)h] - fx[((size_t)b * (size_t)L + (size_t)t) * (size_t)H + (size_t)h]);
                if (d > mx || d != d) mx = d != d ? 1e30 : d;
            }
    return mx;
}
static double cmp_vec(const float *a, const float *b, size_t n) {
    double mx = 0;
    size_t i;
    for (i = 0; i < n; i++) {
        double d = fabs((double)a[i] - b[i]);
        if (d > mx || d != d) mx = d != d ? 1e30 : d;
    }
    return mx;
}

/* Builds the id inputs of the fixture batch. */
static void fx_seqs(const fixture *f, mtl_seq *seqs, int B, int L) {
    const int32_t *ids = fx_i32(f, "input_ids"), *types = fx_i32(f, "token_type_ids"), *sl = fx_i32(f, "seq_len");
    int b;
    for (b = 0; b < B; b++) {
        seqs[b].ids = ids + (size_t)b * (size_t)L;
        seqs[b].type_ids = types + (size_t)b * (size_t)L;
        seqs[b].n = sl[b];
    }
}

#define TOL 1e-5
#define MAXH 1024   /* the largest hidden size these tests handle */
#define MAXB 512    /* the largest fixture batch */

static void run_forward_checks(const char *weights, int f16_out, int f16_fixture) {
    fixture f;
    mtl_model *m;
    unsigned char *blob;
    size_t len;
    const fx_arr *ia;
    const mtl_model_info *info;
    mtl_ctx ctx;
    mtl_error err;
    mtl_seq seqs[MAXB];
    mtl_forward_out out;
    float *hs, *tok, *emb;
    int B, L, H, nl, k, total = 0;
    const int32_t *sl;
    if (!fx_load(&f, g_fx_dir, "forward")) { fx_free(&f); g_skip = "fixture missing"; return; }
    ia = fx_get(&f, "input_ids");
    CHECK(ia && ia->ndim == 2, "input_ids");
    if (!ia) { fx_free(&f); return; }
    B = (int)ia->dim[0];
    L = (int)ia->dim[1];
    CHECK(B <= MAXB, "batch too large for the test");
    if (B > MAXB) { fx_free(&f); return; }
    m = convert_load(g_model_dir, weights, f16_out, &blob, &len);
    CHECK(m != NULL, "convert+load %s", g_model_dir);
    if (!m) { fx_free(&f); return; }
    info = mtl_model_get_info(m);
    H = info->hidden_size;
    nl = info->n_layers;
    sl = fx_i32(&f, "seq_len");
    for (k = 0; k < B; k++) total += sl[k];
    fx_seqs(&f, seqs, B, L);
    hs = (float *)malloc((size_t)(nl + 1) * (size_t)total * (size_t)H * sizeof(float));
    tok = (float *)malloc((size_t)total * (size_t)H * sizeof(float));
    emb = (float *)malloc((size_t)B * (size_t)H * sizeof(float));
    mtl_ctx_init(&ctx, m, NULL);
    memset(&out, 0, sizeof out);
    out.hidden_states = hs;
    out.tokens = tok;
    out.embeddings = emb;
    CHECK(mtl_forward(&ctx, seqs, B, NULL, &out, &err) == MTL_OK, "forward: %s", err.msg);
    CHECK(out.n_tokens == total && out.n_truncated == 0, "n_tokens %d", out.n_tokens);
    if (!f16_fixture) {
        /* every layer */
        for (k = 0; k <= nl; k++) {
            char nm[64];
            const float *ref;
            double d;
            if (k < nl) snprintf(nm, sizeof nm, "hidden_states.%d", k); else snprintf(nm, sizeof nm, "last_hidden_state");
            ref = fx_f32(&f, nm);
            CHECK(ref != NULL, "array %s missing", nm);
            if (!ref) continue;
            d = cmp_tokens(hs + (size_t)k * (size_t)total * (size_t)H, ref, sl, B, L, H);
            printf("  %-20s max|d| = %.3g\n", nm, d);
            CHECK(d <= TOL, "%s: max |d| %g", nm, d);
        }
        CHECK(cmp_tokens(tok, fx_f32(&f, "last_hidden_state"), sl, B, L, H) <= TOL, "tokens output");
        /* default pooling = mean + normalize (sentence-transformers config) */
        {
            double d = cmp_vec(emb, fx_f32(&f, "emb_mean_norm"), (size_t)B * (size_t)H);
            printf("  %-20s max|d| = %.3g\n", "default(mean_norm)", d);
            CHECK(d <= TOL, "default embedding %g", d);
        }
        {
            static const mtl_pooling pools[4] = {MTL_POOL_CLS, MTL_POOL_MEAN, MTL_POOL_MAX, MTL_POOL_POOLER};
            static const char *const names[4] = {"emb_cls", "emb_mean", "emb_max", "pooler_output"};
            for (k = 0; k < 4; k++) {
                mtl_embed_options eo;
                double d;
                memset(&eo, 0, sizeof eo);
                eo.pooling = pools[k];
                eo.normalize = -1;
                memset(&out, 0, sizeof out);
                out.embeddings = emb;
                CHECK(mtl_forward(&ctx, seqs, B, &eo, &out, &err) == MTL_OK, "forward: %s", err.msg);
                d = cmp_vec(emb, fx_f32(&f, names[k]), (size_t)B * (size_t)H);
                printf("  %-20s max|d| = %.3g\n", names[k], d);
                CHECK(d <= TOL, "%s: %g", names[k], d);
            }
        }
    } else {
        double d = cmp_tokens(tok, fx_f32(&f, "f16w.last_hidden_state"), sl, B, L, H);
        printf("  %-26s max|d| = %.3g\n", "f16w.last_hidden_state", d);
        CHECK(d <= TOL, "f16w.last_hidden_state %g", d);
        d = cmp_vec(emb, fx_f32(&f, "f16w.emb_mean_norm"), (size_t)B * (size_t)H);
        printf("  %-26s max|d| = %.3g\n", "f16w.emb_mean_norm", d);
        CHECK(d <= TOL, "f16w.emb_mean_norm %g", d);
        {
            mtl_embed_options eo;
            memset(&eo, 0, sizeof eo);
            eo.pooling = MTL_POOL_POOLER;
            eo.normalize = -1;
            memset(&out, 0, sizeof out);
            out.embeddings = emb;
            CHECK(mtl_forward(&ctx, seqs, B, &eo, &out, &err) == MTL_OK, "forward: %s", err.msg);
            d = cmp_vec(emb, fx_f32(&f, "f16w.pooler_output"), (size_t)B * (size_t)H);
            printf("  %-26s max|d| = %.3g\n", "f16w.pooler_output", d);
            CHECK(d <= TOL, "f16w.pooler_output %g", d);
        }
    }
    mtl_ctx_free(&ctx);
    mtl_model_free(m);
    free(blob);
    free(hs);
    free(tok);
    free(emb);
    fx_free(&f);
}

static void test_golden_forward_f32(void) {
    g_skip = NULL;
    run_forward_checks(NULL, 0, 0);
    if (g_skip) SKIP("%s (set MTL_SHARED)", g_skip);
}
/* model_fp16.safetensors read (F16 -> f32 blob) */
static void test_golden_forward_f16_weights(void) {
    char p[1400];
    g_skip = NULL;
    snprintf(p, sizeof p, "%s/%s", g_model_dir, g_f16_name);
    if (!mtl_t_exists(p)) SKIP("%s missing", g_f16_name);
    run_forward_checks(g_f16_name, 0, 1);
    if (g_skip) SKIP("%s", g_skip);
}
/* f32 weights written as an F16 blob: the same values as model_fp16 (round to nearest even) */
static void test_golden_forward_f16_blob(void) {
    g_skip = NULL;
    run_forward_checks(NULL, 1, 1);
    if (g_skip) SKIP("%s", g_skip);
}

/* The F16 blob made from the F32 weights holds exactly the F16 values of model_fp16.safetensors. */
static void test_f16_conversion_exact(void) {
    unsigned char *b1, *b2;
    size_t l1, l2;
    mtl_model *m1, *m2;
    char p[1400];
    snprintf(p, sizeof p, "%s/%s", g_model_dir, g_f16_name);
    if (!mtl_t_exists(p)) SKIP("%s missing", g_f16_name);
    m1 = convert_load(g_model_dir, NULL, 1, &b1, &l1);
    m2 = convert_load(g_model_dir, g_f16_name, 1, &b2, &l2);
    CHECK(m1 && m2, "convert");
    if (m1 && m2) CHECK(l1 == l2 && memcmp(b1, b2, l1) == 0, "f16 blobs differ (%lu vs %lu bytes)", (unsigned long)l1, (unsigned long)l2);
    mtl_model_free(m1);
    mtl_model_free(m2);
    free(b1);
    free(b2);
}

/* A batch large enough for the layer to run block by block of rows (mtl__layer_blocks: a block per
   task, at 1 and 2 threads) gives every input the bits it gets alone (the whole-batch path); f32 and
   f16 weights. */
static void row_blocks_vs_single(int f16) {
    enum { N = 24 };
    static const int n_in[3] = {N, 4, 3};   /* 2,112 tokens: blocks of R rows; 342 and 231: split over 2 threads */
    mtl_model *m;
    unsigned char *blob;
    size_t len, p;
    mtl_seq seqs[N];
    int32_t *ids;
    float *batch, *one;
    int i, t, H, I, R, total = 0, nt, c;
    m = convert_load(g_model_dir, NULL, f16, &blob, &len);
    CHECK(m != NULL, "convert");
    if (!m) return;
    H = mtl_model_get_info(m)->hidden_size;
    I = mtl_model_get_info(m)->intermediate_size;
    R = mtl__block_rows_ffn(I);
    ids = (int32_t *)malloc((size_t)N * 120 * sizeof(int32_t));
    for (i = 0; i < N; i++) {
        seqs[i].ids = ids + (size_t)i * 120;
        seqs[i].type_ids = NULL;
        seqs[i].n = 60 + (i * 37) % 60;   /* 60 .. 119 tokens */
        for (t = 0; t < seqs[i].n; t++) ids[(size_t)i * 120 + (size_t)t] = t == 0 ? 101 : 1000 + (int32_t)((i * 7919 + t * 104729) % 28000);
        total += seqs[i].n;
    }
    CHECK(total / R >= 8, "the batch (%d tokens) must hold 4 blocks of %d rows per thread at 2 threads", total, R);
    batch = (float *)malloc((size_t)total * (size_t)H * sizeof(float));
    one = (float *)malloc((size_t)120 * (size_t)H * sizeof(float));
    for (c = 0; c < 3; c++)
    for (nt = 1; nt <= 2; nt++) {
        mtl_ctx ctx, single;
        mtl_ctx_options co;
        mtl_forward_out out;
        mtl_error err;
        double mx = 0;
        int T = 0, rows;
        for (i = 0; i < n_in[c]; i++) T += seqs[i].n;
        memset(&co, 0, sizeof co);
        co.n_threads = nt;
        mtl_ctx_init(&ctx, m, &co);
        mtl_ctx_init(&single, m, NULL);
        rows = mtl__layer_block_rows(m, T, ctx.pool);
#ifndef MTL_USE_BLAS
        if (ctx.pool && c > 0) {   /* the split: the fewest blocks of at most R rows, as many per thread */
            const int want = c == 1 ? (T + 3) / 4 : (T + 1) / 2;
            CHECK(rows == want, "%d tokens on 2 threads: blocks of %d rows, want %d", T, rows, want);
            CHECK((c == 1) == (2 * rows <= T), "%d tokens: each thread's own area of s->ff (c 1) or each block's (c 2)", T);
        }
        if (!ctx.pool && c > 0) CHECK(rows == 0, "%d tokens on 1 thread: whole batch, got blocks of %d rows", T, rows);
#endif
        memset(&out, 0, sizeof out);
        out.tokens = batch;
        CHECK(mtl_forward(&ctx, seqs, n_in[c], NULL, &out, &err) == MTL_OK, "batch forward: %s", err.msg);
        for (i = 0, p = 0; i < n_in[c]; i++) {
            memset(&out, 0, sizeof out);
            out.tokens = one;
            CHECK(mtl_forward(&single, &seqs[i], 1, NULL, &out, &err) == MTL_OK, "single forward: %s", err.msg);
            mx = fmax(mx, cmp_vec(one, batch + p * (size_t)H, (size_t)seqs[i].n * (size_t)H));
            p += (size_t)seqs[i].n;
        }
        printf("  %s, %d thread(s), %d tokens in blocks of %d rows: tokens max|d| vs one at a time = %.3g\n", f16 ? "f16" : "f32", nt, T, rows, mx);
#ifdef MTL_USE_BLAS
        CHECK(mx <= 1e-5, "row blocks vs single %g", mx);
#else
        CHECK(mx == 0, "row blocks vs single %g", mx);
#endif
        mtl_ctx_free(&ctx);
        mtl_ctx_free(&single);
    }
    free(ids);
    free(batch);
    free(one);
    mtl_model_free(m);
    free(blob);
}
/* The rows per block of the layer after attention at 2 threads (mtl__layer_block_rows), by the rule of its
   comment: R rows (mtl__block_rows_ffn: 126 for I = 1536, 56 for I = 3072) with 4 blocks of R per thread;
   below that and from MTL__SPLIT_ROWS rows per thread, the fewest blocks of at most R rows giving each
   thread as many, none of fewer than MTL__SPLIT_ROWS rows; fewer rows: 0 (the whole batch). */
static void test_layer_block_rows(void) {
#if defined(MTL__THREADS) && !defined(MTL_USE_BLAS)
    static const int cases[][3] = {  /* I, T, rows */
        {1536, 205, 103},   /* all-MiniLM-L6-v2, one IMDB review: a block per thread */
        {1536, 590, 99},    /* an SST-2 batch of 32: 3 blocks per thread */
        {1536, 1008, 126},  /* 4 blocks of R per thread */
        {3072, 205, 103},   /* BERT-base: a block per thread, not 2 of 52 rows */
        {3072, 300, 75},    /* 2 blocks per thread of 75 rows, not 3 of 50 */
        {3072, 447, 75},    /* 3 of 75, not 4 of 56 */
        {3072, 448, 56},    /* 4 blocks of R per thread */
        {3072, 127, 0}      /* under 64 rows per thread: the whole batch */
    };
    mtl_model m;
    mtl__pool *pool = mtl__pool_new(2);
    size_t i;
    CHECK(pool != NULL, "a pool of 2 threads");
    if (!pool) return;
    memset(&m, 0, sizeof m);
    CHECK(mtl__block_rows_ffn(1536) == 126 && mtl__block_rows_ffn(3072) == 56, "R %d, %d", mtl__block_rows_ffn(1536),
          mtl__block_rows_ffn(3072));
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int rows;
        m.info.intermediate_size = cases[i][0];
        rows = mtl__layer_block_rows(&m, cases[i][1], pool);
        CHECK(rows == cases[i][2], "I %d, %d rows on 2 threads: blocks of %d rows, want %d", cases[i][0], cases[i][1], rows,
              cases[i][2]);
    }
    mtl__pool_free(pool);
#endif
}
static void test_row_blocks_vs_single(void) {
    row_blocks_vs_single(0);
    row_blocks_vs_single(1);
}

/* A mixed-length batch gives the same results as one input at a time; a static arena works. */
static void test_batch_vs_single_and_static_arena(void) {
    fixture f;
    mtl_model *m;
    unsigned char *blob;
    size_t len, need;
    mtl_seq seqs[MAXB];
    mtl_ctx ctx, sctx;
    mtl_ctx_options co;
    mtl_error err;
    mtl_forward_out out;
    float *emb_all, *tok_all, one[MAXH], *tok1;
    int B, L, H, b, total = 0;
    const int32_t *sl;
    static unsigned char arena[4 << 20];
    if (!fx_load(&f, g_fx_dir, "forward")) { fx_free(&f); SKIP("fixture missing"); }
    m = convert_load(g_model_dir, NULL, 0, &blob, &len);
    CHECK(m != NULL, "convert");
    if (!m) { fx_free(&f); return; }
    B = (int)fx_get(&f, "input_ids")->dim[0];
    L = (int)fx_get(&f, "input_ids")->dim[1];
    H = mtl_model_get_info(m)->hidden_size;
    if (H > MAXH || B > MAXB) { mtl_model_free(m); free(blob); fx_free(&f); SKIP("model too large for this test"); }
    sl = fx_i32(&f, "seq_len");
    for (b = 0; b < B; b++) total += sl[b];
    fx_seqs(&f, seqs, B, L);
    emb_all = (float *)malloc((size_t)B * (size_t)H * sizeof(float));
    tok_all = (float *)malloc((size_t)total * (size_t)H * sizeof(float));
    tok1 = (float *)malloc((size_t)L * (size_t)H * sizeof(float));
    need = mtl_arena_bytes(m, B, L, 2);
    CHECK(need > 0 && need <= sizeof arena, "arena bytes %lu", (unsigned long)need);
    memset(&co, 0, sizeof co);
    co.arena = arena;
    co.arena_size = need;
    co.n_threads = 2;
    mtl_ctx_init(&sctx, m, &co);
    memset(&out, 0, sizeof out);
    out.embeddings = emb_all;
    out.tokens = tok_all;
    CHECK(mtl_forward(&sctx, seqs, B, NULL, &out, &err) == MTL_OK, "static arena forward: %s", err.msg);
    CHECK(cmp_tokens(tok_all, fx_f32(&f, "last_hidden_state"), sl, B, L, H) <= TOL, "static arena result");
    mtl_ctx_init(&ctx, m, NULL);
    {
        size_t p = 0;
        double mx = 0, mt = 0;
        for (b = 0; b < B; b++) {
            memset(&out, 0, sizeof out);
            out.embeddings = one;
            out.tokens = tok1;
            CHECK(mtl_forward(&ctx, &seqs[b], 1, NULL, &out, &err) == MTL_OK, "single forward: %s", err.msg);
            mx = fmax(mx, cmp_vec(one, emb_all + (size_t)b * (size_t)H, (size_t)H));
            mt = fmax(mt, cmp_vec(tok1, tok_all + p * (size_t)H, (size_t)sl[b] * (size_t)H));
            p += (size_t)sl[b];
        }
        printf("  batch vs single: embeddings max|d| = %.3g, tokens max|d| = %.3g\n", mx, mt);
#ifdef MTL_USE_BLAS
        CHECK(mx <= 1e-5 && mt <= 1e-5, "batch vs single %g %g", mx, mt); /* BLAS picks kernels by size */
#else
        CHECK(mx == 0 && mt == 0, "batch vs single %g %g", mx, mt);     /* bitwise: rows never mix */
#endif
    }
    /* an arena too small is an error, not a crash */
    co.arena_size = need / 4;
    mtl_ctx_free(&sctx);
    mtl_ctx_init(&sctx, m, &co);
    memset(&out, 0, sizeof out);
    out.embeddings = emb_all;
    CHECK(mtl_forward(&sctx, seqs, B, NULL, &out, &err) == MTL_ERR_NOMEM, "small arena must fail");
    mtl_ctx_free(&sctx);
    mtl_ctx_free(&ctx);
    mtl_model_free(m);
    free(blob);
    free(emb_all);
    free(tok_all);
    free(tok1);
    fx_free(&f);
}

/* Texts (and pairs) through the model's tokenizer give the fixture's ids and results. */
static void test_text_vs_ids(void) {
    fixture f;
    mtl__json j;
    int sent, e, b = 0, B, L, H;
    mtl_model *m;
    unsigned char *blob;
    size_t len;
    mtl_ctx ctx;
    mtl_error err;
    const int32_t *ids, *sl;
    const float *ref;
    if (!fx_load(&f, g_fx_dir, "forward")) { fx_free(&f); SKIP("fixture missing"); }
    m = convert_load(g_model_dir, NULL, 0, &blob, &len);
    CHECK(m != NULL, "convert");
    if (!m) { fx_free(&f); return; }
    CHECK(mtl__json_parse(&j, f.json, f.json_len) == 0, "forward.json");
    sent = mtl__json_get(&j, mtl__json_get(&j, 0, "meta"), "sentences");
    CHECK(mtl__json_type(&j, sent) == MTL__J_ARR, "meta.sentences");
    B = (int)fx_get(&f, "input_ids")->dim[0];
    L = (int)fx_get(&f, "input_ids")->dim[1];
    H = mtl_model_get_info(m)->hidden_size;
    ids = fx_i32(&f, "input_ids");
    sl = fx_i32(&f, "seq_len");
    ref = fx_f32(&f, "emb_mean_norm");
    mtl_ctx_init(&ctx, m, NULL);
    for (e = sent >= 0 ? j.nodes[sent].child : -1; e >= 0 && b < B; e = j.nodes[e].next, b++) {
        char *ta = mtl__json_strdup(&j, mtl__json_get(&j, e, "a"), NULL);
        char *tb = mtl__json_strdup(&j, mtl__json_get(&j, e, "b"), NULL);
        const char *pa = ta, *pb = tb;
        float emb[MAXH], *tokv = (float *)malloc((size_t)mtl_model_get_info(m)->max_seq_length * (size_t)H * sizeof(float));
        mtl_forward_out out;
        int k;
        if (!ta || H > MAXH) { free(ta); free(tb); free(tokv); continue; }
        memset(&out, 0, sizeof out);
        out.embeddings = emb;
        out.tokens = tokv;
        CHECK(mtl_forward_texts(&ctx, 1, &pa, NULL, tb ? &pb : NULL, NULL, NULL, &out, &err) == MTL_OK, "text forward: %s", err.msg);
        CHECK(out.n_tokens == sl[b], "row %d: %d tokens, fixture %d", b, out.n_tokens, sl[b]);
        if (out.n_tokens == sl[b]) {
            for (k = 0; k < sl[b]; k++) CHECK(ctx.enc[0].ids[k] == ids[b * L + k], "row %d token %d", b, k);
            CHECK(cmp_vec(emb, ref + (size_t)b * (size_t)H, (size_t)H) <= TOL, "row %d: text embedding", b);
        }
        free(ta);
        free(tb);
        free(tokv);
    }
    CHECK(b == B, "sentences %d of %d", b, B);
    /* mtl_embed: the one-call API */
    {
        float emb[MAXH];
        CHECK(mtl_embed(&ctx, "Hello", 5, emb, &err) == MTL_OK, "mtl_embed: %s", err.msg);
        CHECK(cmp_vec(emb, ref, (size_t)H) <= TOL, "mtl_embed(Hello)");
    }
    mtl__json_free(&j);
    mtl_ctx_free(&ctx);
    mtl_model_free(m);
    free(blob);
    fx_free(&f);
}

/* Inputs over the limit are truncated and reported: ids keep their first limit-1 ids + the last. */
static void test_truncation(void) {
    mtl_model *m;
    unsigned char *blob;
    size_t len;
    mtl_ctx ctx;
    mtl_error err;
    int32_t ids[600], cut[8];
    float e1[MAXH], e2[MAXH];
    int lens[2], trunc[2], k, H;
    mtl_seq s[2];
    mtl_forward_out out;
    mtl_embed_options eo;
    char text[4000];
    const char *tp = text;
    m = convert_load(g_model_dir, NULL, 0, &blob, &len);
    if (!m) SKIP("model missing");
    H = mtl_model_get_info(m)->hidden_size;
    if (H > MAXH) { mtl_model_free(m); free(blob); SKIP("model too large"); }
    mtl_ctx_init(&ctx, m, NULL);
    ids[0] = 101;
    for (k = 1; k < 599; k++) ids[k] = 1000 + k;
    ids[599] = 102;
    s[0].ids = ids; s[0].type_ids = NULL; s[0].n = 600;           /* above max_position too */
    memset(&out, 0, sizeof out);
    out.embeddings = e1;
    out.lengths = lens;
    out.truncated = trunc;
    CHECK(mtl_forward(&ctx, s, 1, NULL, &out, &err) == MTL_OK, "long ids: %s", err.msg);
    CHECK(out.n_truncated == 1 && trunc[0] && lens[0] == mtl_model_get_info(m)->max_seq_length, "reported: %d %d %d", out.n_truncated, trunc[0], lens[0]);
    /* explicit max_length 8 == the hand-truncated input */
    memset(&eo, 0, sizeof eo);
    eo.max_length = 8;
    CHECK(mtl_forward(&ctx, s, 1, &eo, &out, &err) == MTL_OK, "max_length 8");
    CHECK(lens[0] == 8 && trunc[0] == 1, "len %d", lens[0]);
    memcpy(cut, ids, 7 * sizeof(int32_t));
    cut[7] = 102;
    s[1].ids = cut; s[1].type_ids = NULL; s[1].n = 8;
    out.embeddings = e2;
    CHECK(mtl_forward(&ctx, &s[1], 1, NULL, &out, &err) == MTL_OK, "cut");
    CHECK(out.n_truncated == 0 && trunc[0] == 0, "no truncation reported for a short input");
    CHECK(cmp_vec(e1, e2, (size_t)H) == 0.0, "truncated == hand-cut");
    /* text: a long text is truncated to max_seq_length by the tokenizer, reported */
    text[0] = 0;
    for (k = 0; k < 400; k++) strcat(text, "word ");
    out.embeddings = e1;
    CHECK(mtl_forward_texts(&ctx, 1, &tp, NULL, NULL, NULL, NULL, &out, &err) == MTL_OK, "long text: %s", err.msg);
    CHECK(out.n_truncated == 1 && trunc[0] && lens[0] == mtl_model_get_info(m)->max_seq_length, "text truncation %d %d", out.n_truncated, lens[0]);
    /* bad ids are refused */
    ids[3] = 99999999;
    s[0].n = 10;
    CHECK(mtl_forward(&ctx, s, 1, NULL, &out, &err) == MTL_ERR_ARG, "out-of-range id");
    CHECK(strstr(err.msg, "out of range") != NULL, "message: %s", err.msg);
    s[0].n = 0;
    CHECK(mtl_forward(&ctx, s, 1, NULL, &out, &err) == MTL_ERR_ARG, "empty input");
    mtl_ctx_free(&ctx);
    mtl_model_free(m);
    free(blob);
}

/* The file loader (mmap) gives the same model as the memory loader; missing files are errors. */
static void test_file_load(void) {
    mtl_model *m, *m2;
    unsigned char *blob;
    size_t len;
    mtl_error err;
    char path[512];
    const char *tmp = getenv("TMPDIR");
    FILE *fp;
    mtl_ctx c1, c2;
    float e1[MAXH], e2[MAXH];
    m = convert_load(g_model_dir, NULL, 0, &blob, &len);
    if (!m) SKIP("model missing");
    snprintf(path, sizeof path, "%s/mtl_test_bert_%ld.gguf", tmp && *tmp ? tmp : "/tmp", (long)getpid());
    fp = fopen(path, "wb");
    CHECK(fp != NULL, "cannot write a temp file");
    if (fp) {
        fwrite(blob, 1, len, fp);
        fclose(fp);
        CHECK(mtl_model_load(path, &m2, &err) == MTL_OK, "load: %s", err.msg);
        if (m2) {
            mtl_ctx_init(&c1, m, NULL);
            mtl_ctx_init(&c2, m2, NULL);
            CHECK(mtl_embed(&c1, "a test", 6, e1, &err) == MTL_OK && mtl_embed(&c2, "a test", 6, e2, &err) == MTL_OK, "embed");
            CHECK(memcmp(e1, e2, (size_t)mtl_model_get_info(m)->hidden_size * sizeof(float)) == 0, "file vs memory");
            mtl_ctx_free(&c1);
            mtl_ctx_free(&c2);
            mtl_model_free(m2);
        }
        remove(path);
    }
    CHECK(mtl_model_load("/nonexistent/x.gguf", &m2, &err) == MTL_ERR_IO && m2 == NULL, "missing file: %s", err.msg);
    mtl_model_free(m);
    free(blob);
}

/* ---- a tiny synthetic model for the corruption tests (a few KB) ---- */
static unsigned char *tiny_blob(size_t *len) {
    static const char *const toks[12] = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "a", "b", "c", "##a", "##b", "hello", "."};
    mtl_tokenizer *tok;
    mtl_error err;
    cv_config c;
    cv_tensors ts;
    cv_extra x;
    cv_buf meta, data;
    unsigned char *blob = NULL;
    float *vals;
    int i, l;
    char nm[40][64];
    int nn = 0;
    const int H = 4, I = 8, V = 12, P = 8;
    if (mtl_tokenizer_from_tokens(toks, NULL, 12, NULL, &tok, &err)) return NULL;
    memset(&c, 0, sizeof c);
    strcpy(c.arch, "BertForSequenceClassification");
    c.head = MTL_HEAD_SEQUENCE;
    c.vocab_size = V; c.hidden_size = H; c.n_layers = 1; c.n_heads = 2; c.intermediate_size = I;
    c.max_position = P; c.type_vocab_size = 2; c.layer_norm_eps = 1e-12;
    memset(&ts, 0, sizeof ts);
    vals = (float *)malloc(4096 * sizeof(float));
    for (i = 0; i < 4096; i++) vals[i] = (float)((i * 37) % 101) / 101.0f - 0.5f;
    ts.t = (cv_tensor *)calloc(40, sizeof(cv_tensor));
#define ADD(NM, d0, d1) do { cv_tensor *t = &ts.t[ts.n++]; strcpy(nm[nn], NM); t->name = nm[nn++]; t->dtype = CV_F32; \
        t->ndim = (d1) ? 2 : 1; t->shape[0] = (uint64_t)(d0); t->shape[1] = (uint64_t)(d1); t->numel = (uint64_t)(d0) * (uint64_t)((d1) ? (d1) : 1); \
        t->data = (const unsigned char *)vals; t->nbytes = (size_t)t->numel * 4; } while (0)
    ADD("embeddings.word_embeddings.weight", V, H);
    ADD("embeddings.position_embeddings.weight", P, H);
    ADD("embeddings.token_type_embeddings.weight", 2, H);
    ADD("embeddings.LayerNorm.weight", H, 0);
    ADD("embeddings.LayerNorm.bias", H, 0);
    for (l = 0; l < 1; l++) {
        ADD("encoder.layer.0.attention.self.query.weight", H, H); ADD("encoder.layer.0.attention.self.query.bias", H, 0);
        ADD("encoder.layer.0.attention.self.key.weight", H, H); ADD("encoder.layer.0.attention.self.key.bias", H, 0);
        ADD("encoder.layer.0.attention.self.value.weight", H, H); ADD("encoder.layer.0.attention.self.value.bias", H, 0);
        ADD("encoder.layer.0.attention.output.dense.weight", H, H); ADD("encoder.layer.0.attention.output.dense.bias", H, 0);
        ADD("encoder.layer.0.attention.output.LayerNorm.weight", H, 0); ADD("encoder.layer.0.attention.output.LayerNorm.bias", H, 0);
        ADD("encoder.layer.0.intermediate.dense.weight", I, H); ADD("encoder.layer.0.intermediate.dense.bias", I, 0);
        ADD("encoder.layer.0.output.dense.weight", H, I); ADD("encoder.layer.0.output.dense.bias", H, 0);
        ADD("encoder.layer.0.output.LayerNorm.weight", H, 0); ADD("encoder.layer.0.output.LayerNorm.bias", H, 0);
    }
    ADD("pooler.dense.weight", H, H);
    ADD("pooler.dense.bias", H, 0);
    ADD("classifier.weight", 3, H);
    ADD("classifier.bias", 3, 0);
#undef ADD
    memset(&x, 0, sizeof x);
    x.pooling = MTL_POOL_MEAN;
    x.normalize = 1;
    x.max_seq_length = 6;
    if (cv_build(&c, &ts, tok, &x, &meta, &data, &err) == MTL_OK) {
        blob = (unsigned char *)malloc(meta.n + data.n);
        memcpy(blob, meta.d, meta.n);
        memcpy(blob + meta.n, data.d, data.n);
        *len = meta.n + data.n;
        cv_buf_free(&meta);
        cv_buf_free(&data);
    } else {
        printf("  cv_build: %s\n", err.msg);
    }
    free(ts.t);
    free(vals);
    mtl_tokenizer_free(tok);
    return blob;
}

/* A small blob: every truncated prefix is an error; flipped bytes are an error or a usable model. */
static void test_corrupt_blobs(void) {
    size_t len, n, i;
    unsigned char *blob = tiny_blob(&len), *copy;
    mtl_model *m;
    mtl_error err;
    int loaded = 0, refused = 0;
    CHECK(blob != NULL, "tiny blob");
    if (!blob) return;
    CHECK(mtl_model_from_memory(blob, len, &m, &err) == MTL_OK, "tiny blob loads: %s", err.msg);
    if (m) {
        const mtl_model_info *info = mtl_model_get_info(m);
        size_t ll;
        const char *lb = mtl_model_label(m, 2, &ll);
        mtl_ctx ctx;
        float e[4];
        CHECK(info->head == MTL_HEAD_SEQUENCE && info->num_labels == 3 && lb && ll == 7 && !memcmp(lb, "LABEL_2", 7), "head + labels");
        CHECK(info->pooling == MTL_POOL_MEAN && info->normalize == 1 && info->max_seq_length == 6, "pooling config");
        mtl_ctx_init(&ctx, m, NULL);
        CHECK(mtl_embed(&ctx, "hello a.", 8, e, &err) == MTL_OK, "embed: %s", err.msg);
        mtl_ctx_free(&ctx);
        mtl_model_free(m);
    }
    printf("  blob of %lu bytes\n", (unsigned long)len);
    for (n = 0; n < len; n++) {
        copy = (unsigned char *)malloc(n ? n : 1);   /* exact size: ASan catches any overread */
        memcpy(copy, blob, n);
        if (mtl_model_from_memory(copy, n, &m, &err) == MTL_OK) { loaded++; mtl_model_free(m); }
        else { refused++; CHECK(err.msg[0] != 0 && m == NULL, "no message at %lu", (unsigned long)n); }
        free(copy);
    }
    CHECK(loaded == 0, "%d truncated prefixes loaded", loaded);
    /* flipped bytes: any outcome but a crash; when it loads, a forward must work */
    copy = (unsigned char *)malloc(len);
    for (i = 0; i < len; i++) {
        memcpy(copy, blob, len);
        copy[i] ^= (unsigned char)(i % 7 == 0 ? 0x80 : 0xFF);
        if (mtl_model_from_memory(copy, len, &m, &err) == MTL_OK) {
            mtl_ctx ctx;
            float e[16];
            int32_t ids[3] = {2, 5, 3};
            mtl_seq s;
            mtl_forward_out out;
            s.ids = ids; s.type_ids = NULL; s.n = 3;
            memset(&out, 0, sizeof out);
            out.embeddings = mtl_model_get_info(m)->hidden_size <= 16 ? e : NULL;
            mtl_ctx_init(&ctx, m, NULL);
            mtl_forward(&ctx, &s, 1, NULL, &out, &err);
            mtl_ctx_free(&ctx);
            mtl_model_free(m);
        }
    }
    free(copy);
    free(blob);
}

/* Converter refusals: unsupported architectures, missing files, shape mismatches. */
static void test_convert_refusals(void) {
    cv_config c;
    mtl_error err;
    cv_result res;
    const char *roberta = "{\"architectures\":[\"RobertaForQuestionAnswering\"],\"model_type\":\"roberta\",\"hidden_size\":32}";   /* (RobertaModel converts) */
    const char *albert = "{\"architectures\":[\"AlbertModel\"],\"model_type\":\"albert\",\"hidden_size\":32}";
    const char *distil = "{\"architectures\":[\"DistilBertForQuestionAnswering\"],\"model_type\":\"distilbert\"}";   /* (DistilBertModel converts) */
    const char *badshape = "{\"model_type\":\"bert\",\"vocab_size\":10,\"hidden_size\":30,\"num_hidden_layers\":1,\"num_attention_heads\":4,"
                           "\"intermediate_size\":8,\"max_position_embeddings\":8,\"type_vocab_size\":2}";
    CHECK(cv_parse_config(roberta, strlen(roberta), &c, &err) == MTL_ERR_UNSUPPORTED && strstr(err.msg, "RobertaForQuestionAnswering is not supported yet"), "roberta: %s", err.msg);
    CHECK(cv_parse_config(albert, strlen(albert), &c, &err) == MTL_ERR_UNSUPPORTED && strstr(err.msg, "model_type 'albert'"), "albert: %s", err.msg);
    CHECK(cv_parse_config(distil, strlen(distil), &c, &err) == MTL_ERR_UNSUPPORTED && strstr(err.msg, "not supported yet"), "distilbert: %s", err.msg);
    CHECK(cv_parse_config(badshape, strlen(badshape), &c, &err) == MTL_ERR_SHAPE, "heads: %s", err.msg);
    CHECK(cv_convert_dir("/nonexistent-dir", NULL, 0, &res, &err) == MTL_ERR_IO && strstr(err.msg, "config.json"), "missing dir: %s", err.msg);
    {
        /* a safetensors whose offsets do not match the shape */
        const char *hdr = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,12]}}";
        unsigned char buf[256];
        size_t hl = strlen(hdr);
        cv_tensors ts;
        memset(&ts, 0, sizeof ts);
        memset(buf, 0, sizeof buf);
        buf[0] = (unsigned char)hl;
        memcpy(buf + 8, hdr, hl);
        CHECK(cv_parse_safetensors(buf, 8 + hl + 16, "x", &ts, &err) == MTL_ERR_FORMAT, "offsets: %s", err.msg);
        cv_tensors_free(&ts);
    }
}

/* One model shared by threads, each with its own context (and 2 worker threads per call). */
typedef struct thr_arg { const mtl_model *m; float emb[8][MAXH]; int rc; } thr_arg;
static const char *const thr_texts[8] = {"Hello", "a pair of words", "The quick brown fox.", "naive cafe",
                                         "東京", "1 2 3 4 5 6", "[MASK] token", "last one"};
static void *thr_main(void *p) {
    thr_arg *a = (thr_arg *)p;
    mtl_ctx ctx;
    mtl_ctx_options co;
    mtl_forward_out out;
    mtl_error err;
    int rep;
    memset(&co, 0, sizeof co);
    co.n_threads = 2;
    mtl_ctx_init(&ctx, a->m, &co);
    for (rep = 0; rep < 20 && !a->rc; rep++) {
        memset(&out, 0, sizeof out);
        out.embeddings = &a->emb[0][0];
        a->rc = (int)mtl_forward_texts(&ctx, 8, thr_texts, NULL, NULL, NULL, NULL, &out, &err);
    }
    mtl_ctx_free(&ctx);
    return NULL;
}
static void test_threads_shared_model(void) {
    mtl_model *m;
    unsigned char *blob;
    size_t len;
    static thr_arg args[3];
    pthread_t th[3];
    int k, H;
    m = convert_load(g_model_dir, NULL, 0, &blob, &len);
    if (!m) SKIP("model missing");
    H = mtl_model_get_info(m)->hidden_size;
    if (H > MAXH) { mtl_model_free(m); free(blob); SKIP("model too large"); }
    for (k = 0; k < 3; k++) { memset(&args[k], 0, sizeof args[k]); args[k].m = m; }
    for (k = 0; k < 3; k++) CHECK(pthread_create(&th[k], NULL, thr_main, &args[k]) == 0, "pthread_create");
    for (k = 0; k < 3; k++) pthread_join(th[k], NULL);
    for (k = 0; k < 3; k++) CHECK(args[k].rc == 0, "thread %d failed", k);
    CHECK(memcmp(args[0].emb, args[1].emb, 8 * (size_t)H * sizeof(float)) == 0 && memcmp(args[0].emb, args[2].emb, 8 * (size_t)H * sizeof(float)) == 0, "threads disagree");
    mtl_model_free(m);
    free(blob);
}

/* The matrix kernel (repacked, per-call packed and the AVX-512 two-panel path) against a naive
   product, for sizes that are not multiples of the tile sizes. */
/* mtl__expf (the softmax's and GELU derivative's exp) against exp in double: relative error below
   2.4e-7 over [-87.33, 88.37], 0 below -87.34, inf above 88.38, NaN kept. */
static void test_expf_accuracy(void) {
    double worst = 0, wx = 0;
    float x;
    long n = 0;
    for (x = -87.33f; x <= 88.37f; x = nextafterf(x, 100.0f) + (fabsf(x) > 1e-3f ? fabsf(x) * 1e-5f : 1e-8f)) {
        const double want = exp((double)x), got = (double)mtl__expf(x), rel = fabs(got - want) / want;
        if (rel > worst) { worst = rel; wx = x; }
        n++;
    }
    printf("  info: mtl__expf vs exp: %ld points in [-87.33, 88.37], worst relative error %.3g at x = %.9g\n", n, worst, wx);
    CHECK(worst < 2.4e-7, "mtl__expf: relative error %g at %g", worst, wx);
    CHECK(mtl__expf(0.0f) == 1.0f && mtl__expf(-100.0f) == 0.0f && mtl__expf(-FLT_MAX) == 0.0f, "exp(0), exp(-100)");
    CHECK(isinf(mtl__expf(88.4f)) && isinf(mtl__expf(FLT_MAX)) && mtl__expf(89.0f) > 0, "exp(88.4) = inf");
    CHECK(isnan(mtl__expf(NAN)), "exp(NaN)");
}

/* The softmax's exponentials (mtl__softmax_rows: AVX-512 or AVX2 intrinsics where the CPU has them, else
   the portable mtl__expf loop) against exp in double of the same x = (r - max) c: relative error below
   2.4e-7, the row's padding to 16 lanes and -inf (masked) scores exactly 0, NaN kept, and the returned
   1 / sum within 1e-6 of the double sum's; rows of every tail length. */
static void test_softmax_exp(void) {
    static const int Ls[] = {1, 5, 15, 16, 17, 48, 100, 205, 256};
    uint64_t seed = 11;
    double worst = 0.0, worst_sum = 0.0;
    int li, bad_special = 0, n = 0;
    for (li = 0; li < (int)(sizeof Ls / sizeof Ls[0]); li++) {
        const int L = Ls[li], Lp = (L + 15) / 16 * 16;
        int v;
        for (v = 0; v < 3; v++) {   /* 0: plain, 1: every third score -inf and a huge spread, 2: one NaN */
            float r[256], x[256], mx = -INFINITY, inv;
            const float c = 0.125f;
            double sum = 0.0;
            int i;
            for (i = 0; i < L; i++) {
                seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
                r[i] = ((float)(seed >> 40) / 16777216.0f - 0.5f) * (v == 1 ? 2000.0f : 40.0f);
                if (v == 1 && i % 3 == 1) r[i] = -INFINITY;
            }
            if (v == 2) r[L / 2] = NAN;   /* (L 1: the row is all NaN, its max the padding's) */
            if (v == 2 && L == 1) continue;
            for (i = 0; i < L; i++) mx = r[i] > mx ? r[i] : mx;
            for (i = 0; i < L; i++) x[i] = (r[i] - mx) * c;
            for (i = L; i < Lp; i++) r[i] = 12345.0f;   /* overwritten by the padding */
            mtl__softmax_rows(r, 0, 1, L, c, &inv);
            for (i = 0; i < L; i++) {
                if (x[i] != x[i]) { bad_special += !isnan(r[i]); continue; }
                if (x[i] < -87.3365f) { bad_special += r[i] != 0.0f; continue; }
                {
                    const double want = exp((double)x[i]), rel = fabs((double)r[i] - want) / want;
                    if (rel > worst) worst = rel;
                    sum += want;
                }
                n++;
            }
            for (i = L; i < Lp; i++) bad_special += r[i] != 0.0f;
            if (v == 2) bad_special += !isnan(inv);
            else {
                const double rel = fabs((double)inv * sum - 1.0);
                if (rel > worst_sum) worst_sum = rel;
            }
        }
    }
    printf("  info: softmax exp (%s): %d values, worst relative error %.3g; 1/sum worst %.3g; special values wrong: %d\n",
           mtl__isa() == MTL__ISA_AVX512 ? "AVX-512 intrinsics" : mtl__isa() == MTL__ISA_AVX2 ? "AVX2 intrinsics" : "portable mtl__expf loop", n, worst, worst_sum, bad_special);
    CHECK(worst < 2.4e-7 && worst_sum < 1e-6 && bad_special == 0 && n > 1000, "softmax exp");
}

/* The attention (per input and head through the matrix kernel, blocks of MTL__AQ = 48 queries,
   panels of 16 keys) against a double-precision reference, on packed inputs of lengths that hit
   every tail (1..37) and more than one query block (100, 131), head sizes 8..72 that are and are
   not multiples of the panel width. */
/* The AVX2+FMA elementwise loops (mtl__softmax_rows256 on a pair of rows and a lone one, mtl__gelu256,
   mtl__gelu_grad256: intrinsics, as gcc leaves the portable loops scalar there) against the portable formulas written out with fmaf,
   each multiply-add where the FMA builds contract it (mtl__expf's and mtl__erf's): the same bits, on
   random rows of every tail length and on the special values. Run where the CPU has AVX2 and FMA. */
#ifdef MTL__X86
static float ref_expf_fma(float x) {
    float xc = x < MTL__EXP_HI ? x : MTL__EXP_HI, t, n, r, p;
    uint32_t bits;
    xc = xc > MTL__EXP_LO ? xc : MTL__EXP_LO;
    t = fmaf(xc, MTL__EXP_LOG2E, MTL__EXP_ROUND);
    n = t - MTL__EXP_ROUND;
    r = fmaf(-n, MTL__EXP_LN2_HI, xc);
    r = fmaf(-n, MTL__EXP_LN2_LO, r);
    p = fmaf(MTL__EXP_P0, r, MTL__EXP_P1);
    p = fmaf(p, r, MTL__EXP_P2);
    p = fmaf(p, r, MTL__EXP_P3);
    p = fmaf(p, r, MTL__EXP_P4);
    p = fmaf(p, r, MTL__EXP_P5);
    p = fmaf(p * r, r, r) + 1.0f;
    bits = (uint32_t)((int32_t)n + 127) << 23;
    memcpy(&t, &bits, 4);
    p *= t;
    return x < MTL__EXP_LO ? 0.0f : x > MTL__EXP_HI ? p * 2.0f : x != x ? x : p;
}
static float ref_erf_fma(float z) {
    float z2, p, q;
    z = z > 4.0f ? 4.0f : z < -4.0f ? -4.0f : z;
    z2 = z * z;
    p = fmaf(-2.72614225801306e-10f, z2, 2.77068142495902e-08f);
    p = fmaf(p, z2, -2.10102402082508e-06f);
    p = fmaf(p, z2, -5.69250639462346e-05f);
    p = fmaf(p, z2, -7.34990630326855e-04f);
    p = fmaf(p, z2, -2.95459980854025e-03f);
    p = fmaf(p, z2, -1.60960333262415e-02f);
    q = fmaf(-1.45660718464996e-05f, z2, -2.13374055278905e-04f);
    q = fmaf(q, z2, -1.68282697438203e-03f);
    q = fmaf(q, z2, -7.37332916720468e-03f);
    q = fmaf(q, z2, -1.42647390514189e-02f);
    return z * p / q;
}
static float ref_gelu_fma(float x) { return 0.5f * x * (1.0f + ref_erf_fma(x * 0.70710678118654752440f)); }
static float ref_gelu_grad_fma(float dy, float x) {
    const float cdf = 0.5f * (1.0f + ref_erf_fma(x * 0.70710678118654752440f));
    const float pdf = 0.39894228040143267794f * ref_expf_fma(-0.5f * x * x);
    return dy * fmaf(x, pdf, cdf);
}
#endif
static void test_avx2_elementwise(void) {
#ifdef MTL__X86
    static float x[4099], y[4099], dy[4099], dx[4099], r[3 * 272], w[3 * 272];
    uint64_t seed = 5;
    int i, L, v, ch, n_rows = 0, bad_sm = 0, bad_g = 0, bad_gg = 0;
    if (mtl__isa() < MTL__ISA_AVX2) SKIP("no AVX2+FMA on this CPU");
    for (i = 0; i < 4099; i++) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        x[i] = ((float)(seed >> 40) / 16777216.0f - 0.5f) * (i % 3 == 0 ? 20.0f : i % 3 == 1 ? 4.0f : 400.0f);
    }
    x[1] = NAN; x[2] = INFINITY; x[3] = -INFINITY; x[4] = 0.0f; x[5] = -0.0f; x[6] = 4.0f * 1.41421356f; x[7] = FLT_MAX;
    for (i = 0, ch = 1; i < 4099; i += ch, ch = ch % 71 + 1)   /* chunks of 1 .. 71: every tail of the 32-float blocks */
        mtl__gelu256(y + i, x + i, (size_t)(4099 - i < ch ? 4099 - i : ch));
    for (i = 0; i < 4099; i++) { const float want = ref_gelu_fma(x[i]); bad_g += memcmp(&want, &y[i], 4) != 0; }
    for (i = 0; i < 4099; i++) { dy[i] = x[(i * 7 + 3) % 4099] * 0.01f; dx[i] = x[(i * 5 + 1) % 4099]; }
    for (v = 0; v < 2; v++) {   /* dx = dy gelu'(x), then dx += dy gelu'(x) */
        float want[4099];
        for (i = 0; i < 4099; i++) { const float d = ref_gelu_grad_fma(dy[i], x[i]); want[i] = v ? dx[i] + d : d; }
        for (i = 0, ch = 1; i < 4099; i += ch, ch = ch % 71 + 1) mtl__gelu_grad256(dx + i, dy + i, x + i, (size_t)(4099 - i < ch ? 4099 - i : ch), v);
        for (i = 0; i < 4099; i++) bad_gg += memcmp(&want[i], &dx[i], 4) != 0;
    }
    for (L = 1; L <= 256; L++)
        for (v = 0; v < 3; v++) {   /* 0: plain, 1: every third -inf and a huge spread, 2: one NaN */
            const int Lp = (L + 15) / 16 * 16;
            float inv[3], want_inv[3];
            int j, k, bad = 0;
            for (k = 0; k < 3; k++) {   /* three rows: a pair, then a lone row */
                float s16[16], mx = -FLT_MAX, *rk = r + k * 272, *wk = w + k * 272;
                for (i = 0; i < L; i++) {
                    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
                    rk[i] = ((float)(seed >> 40) / 16777216.0f - 0.5f) * (v == 1 ? 2000.0f : 40.0f);
                    if (v == 1 && i % 3 == 1) rk[i] = -INFINITY;
                }
                if (v == 2) rk[(L * (k + 1)) / 4] = NAN;
                for (i = 0; i < L; i++) wk[i] = rk[i];
                for (i = L; i < Lp; i++) wk[i] = -FLT_MAX;
                for (i = 0; i < Lp; i++) mx = wk[i] > mx ? wk[i] : mx;
                for (j = 0; j < 16; j++) s16[j] = 0.0f;
                for (i = 0; i < Lp; i++) { wk[i] = ref_expf_fma((wk[i] - mx) * 0.125f); s16[i % 16] += wk[i]; }
                for (i = 8; i >= 1; i /= 2) for (j = 0; j < i; j++) s16[j] += s16[j + i];
                want_inv[k] = 1.0f / s16[0];
            }
            mtl__softmax_rows256(r, 272, 3, L, 0.125f, inv);
            for (k = 0; k < 3; k++) bad += memcmp(r + k * 272, w + k * 272, (size_t)Lp * 4) != 0 || memcmp(&inv[k], &want_inv[k], 4) != 0;
            bad_sm += bad;
            n_rows += 3;
        }
    printf("  info: AVX2 softmax rows differing from the fmaf formulas: %d of %d; GELU values differing: %d of 4099; "
           "GELU derivative (set, accumulated): %d of 8198\n", bad_sm, n_rows, bad_g, bad_gg);
    CHECK(bad_sm == 0 && bad_g == 0 && bad_gg == 0 && n_rows == 2304, "AVX2 softmax / GELU / GELU derivative bits");
#else   /* no AVX2 code in this build: the portable loops, called on chunks, equal one call on the whole array */
    static float x[4099], y[4099], y1[4099], dx[4099], dx1[4099];
    uint64_t seed = 5;
    int i, bad = 0;
    for (i = 0; i < 4099; i++) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        x[i] = ((float)(seed >> 40) / 16777216.0f - 0.5f) * 20.0f;
    }
    mtl__gelu(y1, x, 4099);
    mtl__gelu_grad(dx1, x, x, 4099, 0);
    for (i = 0; i < 4099; i += 37) {
        mtl__gelu(y + i, x + i, (size_t)(4099 - i < 37 ? 4099 - i : 37));
        mtl__gelu_grad(dx + i, x + i, x + i, (size_t)(4099 - i < 37 ? 4099 - i : 37), 0);
    }
    bad = memcmp(y, y1, sizeof y) != 0 || memcmp(dx, dx1, sizeof dx) != 0;
    printf("  info: no AVX2 code in this build: portable GELU / GELU derivative on chunks of 37 vs one call differ: %d\n", bad);
    CHECK(bad == 0, "portable GELU chunks differ");
#endif
}

/* The one attention (inference and training) against double: forward att and p, and the backward
   dq, dk, dv from a given dctx, over head sizes and lengths that cross the query blocks (MTL__AQ) and
   the kernel's panels; input 3 is marked empty (uniform weights, ds = 0). */
static void test_attention_blocked(void) {
    static const int lens[8] = {1, 3, 4, 5, 17, 37, 100, 131}, hds[5] = {8, 16, 24, 32, 72};
    int hi, nh = 3;
    double worst = 0, worst_p = 0, worst_g = 0, gscale = 0;
    for (hi = 0; hi < 5; hi++) {
        const int hd = hds[hi], H = nh * hd;
        int32_t starts[9], empty[8] = {0, 0, 0, 1, 0, 0, 0, 0};
        size_t poff[9], np = 0;
        int T = 0, s, i, t, d, h, max_len = 0, u;
        float *q, *k, *v, *att, *scr, *probs, *dctx, *dq, *dk, *dv;
        double *rdq, *rdk, *rdv;
        mtl__attn a;
        for (s = 0; s < 8; s++) {
            starts[s] = T; poff[s] = np; T += lens[s]; np += (size_t)lens[s] * (size_t)lens[s];
            max_len = lens[s] > max_len ? lens[s] : max_len;
        }
        starts[8] = T; poff[8] = np;
        q = (float *)malloc((size_t)T * (size_t)H * 4); k = (float *)malloc((size_t)T * (size_t)H * 4);
        v = (float *)malloc((size_t)T * (size_t)H * 4); att = (float *)malloc((size_t)T * (size_t)H * 4);
        dctx = (float *)malloc((size_t)T * (size_t)H * 4); dq = (float *)malloc((size_t)T * (size_t)H * 4);
        dk = (float *)malloc((size_t)T * (size_t)H * 4); dv = (float *)malloc((size_t)T * (size_t)H * 4);
        rdq = (double *)calloc((size_t)T * (size_t)H, 8); rdk = (double *)calloc((size_t)T * (size_t)H, 8);
        rdv = (double *)calloc((size_t)T * (size_t)H, 8);
        probs = (float *)malloc(np * (size_t)nh * 4);
        scr = (float *)malloc((size_t)mtl__attn_floats((uint64_t)max_len, (uint64_t)hd, 1) * 4);
        for (i = 0; i < T * H; i++) {
            q[i] = (float)sin(0.37 * i) * 2.0f; k[i] = (float)cos(0.11 * i + 1.0); v[i] = (float)sin(0.05 * i * i + 0.3);
            dctx[i] = (float)cos(0.7 * i + 0.2);
        }
        memset(&a, 0, sizeof a);
        a.att = att; a.q = q; a.k = k; a.v = v; a.ld = (size_t)H; a.starts = starts; a.empty = empty;
        a.H = H; a.nh = nh; a.hd = hd; a.max_len = max_len; a.scratch = scr;
        a.stride = (size_t)mtl__attn_floats((uint64_t)max_len, (uint64_t)hd, 1); a.probs = probs; a.poff = poff;
        mtl__attention_forward(&a, 8, NULL);
        a.kept = probs; a.probs = NULL; a.dctx = dctx; a.dq = dq; a.dk = dk; a.dv = dv;
        mtl__attention_backward(&a, 8, NULL);
        for (s = 0; s < 8; s++)
            for (h = 0; h < nh; h++)
                for (i = starts[s]; i < starts[s + 1]; i++) {
                    const int L = lens[s];
                    double p[160], dp[160], mx = -1e300, sum = 0, dsum = 0;
                    for (t = starts[s]; t < starts[s + 1]; t++) {
                        double dot = 0;
                        for (d = 0; d < hd; d++) dot += (double)q[i * H + h * hd + d] * k[t * H + h * hd + d];
                        p[t - starts[s]] = empty[s] ? 0.0 : dot / sqrt((double)hd);
                        if (p[t - starts[s]] > mx) mx = p[t - starts[s]];
                    }
                    for (t = 0; t < L; t++) { p[t] = exp(p[t] - mx); sum += p[t]; }
                    for (t = 0; t < L; t++) {
                        const double e = fabs(p[t] / sum - probs[(size_t)nh * poff[s] + ((size_t)h * (size_t)L + (size_t)(i - starts[s])) * (size_t)L + (size_t)t]);
                        p[t] /= sum;
                        if (e > worst_p) worst_p = e;
                    }
                    for (d = 0; d < hd; d++) {
                        double o = 0;
                        for (t = 0; t < L; t++) o += p[t] * v[(starts[s] + t) * H + h * hd + d];
                        if (fabs(o - att[i * H + h * hd + d]) > worst) worst = fabs(o - att[i * H + h * hd + d]);
                    }
                    /* backward in double */
                    for (t = 0; t < L; t++) {
                        double x = 0;
                        for (d = 0; d < hd; d++) {
                            x += (double)dctx[i * H + h * hd + d] * v[(starts[s] + t) * H + h * hd + d];
                            rdv[(starts[s] + t) * H + h * hd + d] += p[t] * dctx[i * H + h * hd + d];
                        }
                        dp[t] = x;
                        dsum += p[t] * x;
                    }
                    for (t = 0; t < L && !empty[s]; t++) {
                        const double ds = p[t] * (dp[t] - dsum) / sqrt((double)hd);
                        for (d = 0; d < hd; d++) {
                            rdq[i * H + h * hd + d] += ds * k[(starts[s] + t) * H + h * hd + d];
                            rdk[(starts[s] + t) * H + h * hd + d] += ds * q[i * H + h * hd + d];
                        }
                    }
                }
        for (u = 0; u < T * H; u++) {
            const double e = fabs(rdq[u] - dq[u]) > fabs(rdk[u] - dk[u]) ? fabs(rdq[u] - dq[u]) : fabs(rdk[u] - dk[u]);
            worst_g = e > worst_g ? e : worst_g;
            worst_g = fabs(rdv[u] - dv[u]) > worst_g ? fabs(rdv[u] - dv[u]) : worst_g;
            gscale = fabs(rdv[u]) > gscale ? fabs(rdv[u]) : gscale;
            gscale = fabs(rdq[u]) > gscale ? fabs(rdq[u]) : gscale;
        }
        free(q); free(k); free(v); free(att); free(scr); free(probs); free(dctx); free(dq); free(dk); free(dv);
        free(rdq); free(rdk); free(rdv);
    }
    printf("  info: blocked attention vs double (hd 8..72, lengths 1..131, an empty input): forward max |d| = %.3g, "
           "p %.3g; backward max |d| = %.3g (largest gradient %.3g)\n", worst, worst_p, worst_g, gscale);
    CHECK(worst < 2e-6, "attention: max |d| %g", worst);
    CHECK(worst_p < 1e-6, "attention p: max |d| %g", worst_p);
    CHECK(worst_g < 1e-5 * (gscale > 1 ? gscale : 1), "attention backward: max |d| %g", worst_g);
}

static void test_matmul_shapes(void) {
    static const int Os[] = {1, 5, 16, 17, 31, 32, 33, 48, 70}, Is[] = {1, 3, 16, 40, 300}, Ts[] = {1, 2, 3, 4, 5, 9};   /* 300 > MTL_KC */
    int oi, ii, ti, bad = 0;
    mtl__pool *pool2 = NULL;   /* two threads */
#ifdef MTL__THREADS
    pool2 = mtl__pool_new(2);
#endif
    for (oi = 0; oi < 9; oi++) for (ii = 0; ii < 5; ii++) for (ti = 0; ti < 6; ti++) {
        int O = Os[oi], I = Is[ii], T = Ts[ti], k, t, o, threads, packed = 0;
        float *w = (float *)malloc((size_t)O * (size_t)I * sizeof(float)), *b = (float *)malloc((size_t)O * sizeof(float));
        float *x = (float *)malloc((size_t)T * (size_t)I * sizeof(float)), *y = (float *)malloc((size_t)T * (size_t)O * sizeof(float));
        size_t np = (size_t)((O + 15) / 16 + 1) * 16 * (size_t)I;   /* room for any panel width up to 16 + 1 panel */
        /* the scratch exactly as documented: mtl__matmul_floats(I, packed or not, T) per thread, 2 threads
           (ASan sees any overrun) */
        const size_t fs = mtl__matmul_floats(I, 0, T) > mtl__matmul_floats(I, 1, T) ? mtl__matmul_floats(I, 0, T) : mtl__matmul_floats(I, 1, T);
        float *wp = (float *)calloc(np * 2, sizeof(float)), *scratch = (float *)calloc(2 * fs, sizeof(float));
        for (k = 0; k < O * I; k++) w[k] = (float)((k * 7) % 13) / 13.0f - 0.4f;
        for (k = 0; k < O; k++) b[k] = 0.1f * (float)k;
        for (k = 0; k < T * I; k++) x[k] = (float)((k * 5) % 11) / 11.0f - 0.5f;
#ifdef MTL__REPACK
        mtl__pack_weight(wp, w, O, I);
        packed = 1;
#endif
        uint16_t *w16 = (uint16_t *)malloc((size_t)O * (size_t)I * 2 * sizeof(uint16_t)), *wb = w16 + (size_t)O * (size_t)I;
        for (k = 0; k < O * I; k++) { uint32_t u; memcpy(&u, &w[k], 4); w16[k] = cv_f32_to_f16(w[k]); wb[k] = (uint16_t)(u >> 16); }
        for (threads = 1; threads <= 2; threads++) {
            int mode;
            for (mode = 0; mode < 4; mode++) {
                /* mode 0: the build's default (packed weights when repacking), 1: packing per call,
                   2 / 3: f16 / bf16 weights read in place (caller-memory loads), widened per panel */
                const int ty = mode == 2 ? MTL__GGML_F16 : mode == 3 ? MTL__GGML_BF16 : 0;
                const float *wv = mode == 2 ? (const float *)(const void *)w16 : mode == 3 ? (const float *)(const void *)wb : w;
                mtl__matmul_forward(y, (size_t)O, x, wv, ty, mode == 0 && packed ? wp : NULL, b, NULL, T, I, O, 0, scratch, threads == 1 ? NULL : pool2);
                for (t = 0; t < T; t++) for (o = 0; o < O; o++) {
                    double ref = b[o];
                    for (k = 0; k < I; k++) {
                        const float wk = mode == 2 ? mtl__f16_to_f32(w16[o * I + k]) : mode == 3 ? mtl__bf16_to_f32(wb[o * I + k]) : w[o * I + k];
                        ref += (double)x[t * I + k] * wk;
                    }
                    if (fabs(ref - y[t * O + o]) > 1e-5 * (1 + fabs(ref))) bad++;
                }
            }
        }
        free(w); free(b); free(x); free(y); free(wp); free(scratch); free(w16);
    }
#ifdef MTL__THREADS
    mtl__pool_free(pool2);
#endif
    CHECK(bad == 0, "%d wrong matmul outputs", bad);
}

int main(void) {
    setup_paths();
    RUN(test_expf_accuracy);
    RUN(test_softmax_exp);
    RUN(test_avx2_elementwise);
    RUN(test_attention_blocked);
    RUN(test_matmul_shapes);
    RUN(test_golden_forward_f32);
    RUN(test_golden_forward_f16_weights);
    RUN(test_golden_forward_f16_blob);
    RUN(test_f16_conversion_exact);
    RUN(test_batch_vs_single_and_static_arena);
    RUN(test_layer_block_rows);
    RUN(test_row_blocks_vs_single);
    RUN(test_text_vs_ids);
    RUN(test_truncation);
    RUN(test_file_load);
    RUN(test_corrupt_blobs);
    RUN(test_convert_refusals);
    RUN(test_threads_shared_model);
    TEST_MAIN_END();
}
