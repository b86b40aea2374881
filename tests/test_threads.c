/* Threads: one model shared by several threads, each with its own context (one of them with
   n_threads = 2 worker threads per call), and the trainer on 2 threads (mtl_backbone_set_threads via
   mtl_trainer_config.n_threads), two trainers at once. Every result must be bit-identical to a
   single-threaded run. Built like every test (normal, ASan) and, by `make test-portability`, with
   ThreadSanitizer (halt_on_error=1: any report fails the run). Model: $MTL_SHARED/models/tiny-random-bert. */
#define MTL_THREAD_MIN_WORK 1.0          /* use the worker threads even on the tiny model */
#include "../weights_convert/convert.h"   /* defines MTL_BERT_IMPLEMENTATION, includes mtl_bert.h */
#include "mtl_test.h"

#include <pthread.h>

#define N_TEXTS 6
#define MAXH 1024
static char g_model_dir[600];
static const char *const g_texts[N_TEXTS] = {"Hello, world!", "a pair of words", "The quick brown fox jumps.",
                                             "naive cafe", "東京 and 1 2 3", "[MASK] token, last one"};

/* ---- inference: one model, 4 threads, one context each (thread 3: n_threads = 2) ---- */
typedef struct inf_arg { const mtl_model *m; int n_threads; float emb[N_TEXTS][MAXH]; int rc; char msg[300]; } inf_arg;
static int embed_all(const mtl_model *m, int n_threads, float *emb, char *msg, size_t cap) {
    mtl_ctx ctx;
    mtl_ctx_options co;
    mtl_forward_out out;
    mtl_error err;
    mtl_result r;
    memset(&co, 0, sizeof co);
    co.n_threads = n_threads;
    if ((r = mtl_ctx_init(&ctx, m, &co)) != MTL_OK) { snprintf(msg, cap, "ctx: %d", (int)r); return 1; }
    memset(&out, 0, sizeof out);
    out.embeddings = emb;
    r = mtl_forward_texts(&ctx, N_TEXTS, g_texts, NULL, NULL, NULL, NULL, &out, &err);
    if (r) snprintf(msg, cap, "%s", err.msg);
    mtl_ctx_free(&ctx);
    return r != MTL_OK;
}
static void *inf_main(void *p) {
    inf_arg *a = (inf_arg *)p;
    int rep;
    for (rep = 0; rep < 3 && !a->rc; rep++) a->rc = embed_all(a->m, a->n_threads, &a->emb[0][0], a->msg, sizeof a->msg);
    return NULL;
}
static void test_shared_model(void) {
    static float ref[N_TEXTS][MAXH];
    static inf_arg args[4];
    pthread_t th[4];
    cv_result res;
    mtl_error err;
    mtl_model *m = NULL;
    unsigned char *blob;
    size_t len;
    char msg[300];
    int k, H;
    if (cv_convert_dir(g_model_dir, NULL, 0, &res, &err)) SKIP("convert %.500s: %.400s", g_model_dir, err.msg);
    blob = cv_result_blob(&res, &len);
    cv_result_free(&res);
    if (!blob) SKIP("out of memory");
    if (mtl_model_from_memory(blob, len, &m, &err)) { free(blob); CHECK(0, "load: %s", err.msg); return; }
    H = mtl_model_get_info(m)->hidden_size;
    if (H > MAXH) { mtl_model_free(m); free(blob); SKIP("model too large"); }
    CHECK(embed_all(m, 1, &ref[0][0], msg, sizeof msg) == 0, "single-threaded: %s", msg);
    (void)mtl_t_exists;
    for (k = 0; k < 4; k++) { memset(&args[k], 0, sizeof args[k]); args[k].m = m; args[k].n_threads = k == 3 ? 2 : 1; }
    for (k = 0; k < 4; k++) CHECK(pthread_create(&th[k], NULL, inf_main, &args[k]) == 0, "pthread_create");
    for (k = 0; k < 4; k++) pthread_join(th[k], NULL);
    for (k = 0; k < 4; k++) {
        int t, same = 1;
        CHECK(args[k].rc == 0, "thread %d: %s", k, args[k].msg);
        for (t = 0; t < N_TEXTS; t++) same &= memcmp(args[k].emb[t], ref[t], (size_t)H * sizeof(float)) == 0;
        CHECK(same, "thread %d (n_threads %d): embeddings differ from the single-threaded run", k, args[k].n_threads);
    }
    printf("  info: 4 threads on one model (one context with 2 worker threads): %d x %d embeddings bit-identical to 1 thread\n", N_TEXTS, H);
    mtl_model_free(m);
    free(blob);
}

/* ---- training: tiny-random-bert + heads, 3 steps with dropout, on 1 and on 2 threads ---- */
typedef struct tr_arg { int n_threads; float loss[3]; double gnorm[3]; float *params; size_t n_params; int rc; char msg[300]; } tr_arg;
static char *g_st;
static size_t g_st_len;
static mtl_backbone_config g_bb;
static int read_bb(const char *dir, mtl_backbone_config *bb) {
    static const char *const keys[7] = {"vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads",
                                        "intermediate_size", "max_position_embeddings", "type_vocab_size"};
    int *dst[7];
    char p[700], *s;
    size_t n;
    mtl__json j;
    int k, ok = 1;
    memset(bb, 0, sizeof *bb);
    dst[0] = &bb->vocab_size; dst[1] = &bb->hidden_size; dst[2] = &bb->n_layers; dst[3] = &bb->n_heads;
    dst[4] = &bb->intermediate_size; dst[5] = &bb->max_position; dst[6] = &bb->type_vocab_size;
    snprintf(p, sizeof p, "%s/config.json", dir);
    if (!(s = mtl_t_read(p, &n))) return 0;
    if (mtl__json_parse(&j, s, n) != 0) { mtl__json_free(&j); free(s); return 0; }
    for (k = 0; k < 7; k++) {
        long v;
        if (mtl__json_int(&j, mtl__json_get(&j, 0, keys[k]), 1, 1L << 24, &v)) *dst[k] = (int)v; else ok = 0;
    }
    bb->layer_norm_eps = 1e-12f;
    mtl__json_free(&j);
    free(s);
    return ok;
}
static void *tr_main(void *p) {
    tr_arg *a = (tr_arg *)p;
    mtl_trainer_config c;
    mtl_trainer *tr;
    mtl_error err;
    mtl_step_stats st;
    mtl_batch b;
    int32_t ids[4 * 12], mask[4 * 12], types[4 * 12], cls[4], ner[4 * 12];
    int i, k, s;
    size_t off = 0;
    mtl_trainer_defaults(&c);
    c.bb = g_bb;
    c.n_cls = 3; c.n_ner = 5; c.max_batch = 4; c.max_len = 12;
    c.classifier_dropout = c.hidden_dropout = c.attn_dropout = 0.1f;
    c.lr_rule.base_lr = 1e-3;
    c.n_threads = a->n_threads;
    if (mtl_trainer_create(&tr, &c, &err) || mtl_trainer_load_safetensors(tr, g_st, g_st_len, NULL, &err)) {
        snprintf(a->msg, sizeof a->msg, "trainer: %s", err.msg); a->rc = 1; return NULL;
    }
    mtl_trainer_init_heads(tr, 7, 0.2f);
    mtl_trainer_set_training(tr, 1);
    for (i = 0; i < 4 * 12; i++) {
        const int row = i / 12, col = i % 12, n = 12 - 2 * row;
        ids[i] = col < n ? (int32_t)(1 + (i * 37) % (g_bb.vocab_size - 1)) : 0;
        mask[i] = col < n;
        types[i] = col >= n / 2 && col < n;
        ner[i] = col < n && col > 0 ? (int32_t)(i % 5) : -100;
    }
    for (k = 0; k < 4; k++) cls[k] = k % 3;
    memset(&b, 0, sizeof b);
    b.B = 4; b.L = 12; b.ids = ids; b.mask = mask; b.types = types; b.cls_labels = cls; b.ner_labels = ner;
    for (s = 0; s < 3; s++) {
        if (mtl_trainer_step(tr, &b, 1, &st, &err)) { snprintf(a->msg, sizeof a->msg, "step: %s", err.msg); a->rc = 1; break; }
        a->loss[s] = (float)st.loss;
        a->gnorm[s] = (double)st.grad_norm;
    }
    for (k = 0; k < mtl_trainer_n_tensors(tr); k++) { size_t n; mtl_trainer_tensor_info(tr, k, NULL, NULL, &n, NULL); a->n_params += n; }
    a->params = (float *)malloc(a->n_params * sizeof(float));
    for (k = 0; a->params && k < mtl_trainer_n_tensors(tr); k++) {
        size_t n;
        mtl_trainer_tensor_info(tr, k, NULL, NULL, &n, NULL);
        memcpy(a->params + off, mtl_trainer_data(tr, k), n * sizeof(float));
        off += n;
    }
    mtl_trainer_free(tr);
    return NULL;
}
static void test_trainer_threads(void) {
    static tr_arg one, two[2];
    pthread_t th[2];
    char p[700];
    int k;
    if (!read_bb(g_model_dir, &g_bb)) SKIP("no %s/config.json", g_model_dir);
    snprintf(p, sizeof p, "%s/model.safetensors", g_model_dir);
    if (!(g_st = mtl_t_read(p, &g_st_len))) SKIP("no %s", p);
    memset(&one, 0, sizeof one);
    one.n_threads = 1;
    tr_main(&one);                                          /* the reference, on the caller's thread */
    CHECK(one.rc == 0 && one.params, "1 thread: %s", one.msg);
    for (k = 0; k < 2; k++) { memset(&two[k], 0, sizeof two[k]); two[k].n_threads = 2; }
    for (k = 0; k < 2; k++) CHECK(pthread_create(&th[k], NULL, tr_main, &two[k]) == 0, "pthread_create");
    for (k = 0; k < 2; k++) pthread_join(th[k], NULL);
    for (k = 0; k < 2 && one.params; k++) {
        CHECK(two[k].rc == 0 && two[k].params && two[k].n_params == one.n_params, "trainer %d: %s", k, two[k].msg);
        if (!two[k].params || two[k].n_params != one.n_params) continue;
        CHECK(memcmp(one.loss, two[k].loss, sizeof one.loss) == 0 && memcmp(one.gnorm, two[k].gnorm, sizeof one.gnorm) == 0,
              "trainer %d: losses %.9g %.9g %.9g vs %.9g %.9g %.9g", k, one.loss[0], one.loss[1], one.loss[2], two[k].loss[0],
              two[k].loss[1], two[k].loss[2]);
        CHECK(memcmp(one.params, two[k].params, one.n_params * sizeof(float)) == 0, "trainer %d: parameters differ after 3 steps", k);
    }
    printf("  info: 2 trainers at once, each on 2 threads, 3 steps with dropout: losses %.6g %.6g %.6g, %zu parameters, bit-identical to 1 thread\n",
           one.loss[0], one.loss[1], one.loss[2], one.n_params);
    free(one.params); free(two[0].params); free(two[1].params);
    free(g_st);
    g_st = NULL;
}

int main(void) {
    mtl_t_path(g_model_dir, sizeof g_model_dir, "models/tiny-random-bert");
    RUN(test_shared_model);
    RUN(test_trainer_threads);
    TEST_MAIN_END();
}
