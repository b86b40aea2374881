/* RoBERTa / XLM-RoBERTa (issue 13, requirements 2 and 3) on the generated fixture tests/data/roberta
   (tools/gen_roberta_goldens.py: tiny seeded random models saved by transformers 5, a byte-level BPE
   tokenizer, and what PyTorch computes with them):
   a) weights_convert (convert.h) of RobertaModel / ...ForSequenceClassification / ...ForToken-
      Classification and the XLMRoberta* of the same names: the file's keys (mtl.position_padding_idx,
      tokenizer.ggml.model "gpt2" + merges + the tokenizer index), the loaded model's info (position
      padding_idx, max length = positions - padding_idx - 1, 1-row type table, LayerNorm eps 1e-5,
      pooler only in RobertaModel), the heads (RobertaClassificationHead = an MLP head with tanh on
      <s>), and the file's tokenizer = the folder's tokenizer.json (ids, types, offsets);
   b) token types and lengths: a 1-row type table reads every type as 0 (types 1 = no types), a BERT
      file still refuses a type outside its table; inputs beyond max_position - padding_idx - 1 are
      truncated; a file whose BPE tokenizer lost its index is refused;
   c) one multi-task training step (cls MLP head with tanh on <s> + token head) against PyTorch
      (train_step.txt): logits, losses, every gradient (|d| <= 1e-5 + 1e-3 |g|, README of
      shared/fixtures/golden), the parameters after one AdamW update with layer-wise learning rates
      (atol 1e-4), all trainable and with "top:1" (embeddings and layer 0 frozen: bit-identical);
   d) checkpoints keep RoBERTa's position ids and the tanh head; a trainer with BERT's position ids
      refuses the file (and the other way round); export as a HF BertModel is refused;
   e) config.json refusals by name (QA, causal LM, is_decoder, a bad pad_token_id). */
#include "../weights_convert/convert.h"
#include "mtl_test.h"

#include <math.h>
#include <sys/stat.h>
#include <unistd.h>

#define RD "tests/data/roberta"

static char g_tmp[512];

/* A HF folder in g_tmp/<name>: the fixture's <name>/{config.json, model.safetensors} + the tokenizer
   files (src: the fixture directory, tests/data/roberta or tests/data/distil). Returns the path or NULL. */
static const char *folder(const char *src, const char *name, char *out, size_t cap) {
    static const char *const files[4] = {"config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json"};
    int k;
    snprintf(out, cap, "%s/%s", g_tmp, name);
    mkdir(out, 0700);
    for (k = 0; k < 4; k++) {
        char p[1200], q[1200];
        size_t n;
        char *d;
        FILE *f;
        snprintf(p, sizeof p, "%s/%s%s%s", src, k < 2 ? name : "", k < 2 ? "/" : "", files[k]);
        if (!(d = mtl_t_read(p, &n))) return NULL;
        snprintf(q, sizeof q, "%s/%s", out, files[k]);
        f = fopen(q, "wb");
        if (!f || fwrite(d, 1, n, f) != n) { if (f) fclose(f); free(d); return NULL; }
        fclose(f);
        free(d);
    }
    return out;
}
static void rm_folder(const char *dir) {
    static const char *const files[4] = {"config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json"};
    char p[1200];
    int k;
    for (k = 0; k < 4; k++) { snprintf(p, sizeof p, "%s/%s", dir, files[k]); remove(p); }
    rmdir(dir);
}

/* The converted file of fixture folder `name` (malloc'ed blob) and its loaded model (NULL on failure). */
static mtl_model *convert(const char *src, const char *name, unsigned char **blob, size_t *len) {
    char dir[900];
    cv_result res;
    mtl_error err;
    mtl_model *m = NULL;
    *blob = NULL;
    if (!folder(src, name, dir, sizeof dir)) { CHECK(0, "cannot copy %s/%s", src, name); return NULL; }
    if (cv_convert_dir(dir, NULL, 0, &res, &err) != MTL_OK) { CHECK(0, "convert %s: %s", name, err.msg); rm_folder(dir); return NULL; }
    *blob = cv_result_blob(&res, len);
    cv_result_free(&res);
    rm_folder(dir);
    if (!*blob || mtl_model_from_memory(*blob, *len, &m, &err) != MTL_OK) { CHECK(0, "load %s: %s", name, err.msg); free(*blob); *blob = NULL; return NULL; }
    return m;
}

/* "name n v1 ... vn" lines of a golden text file (as tests/golden/seqcls.txt) */
static float *gold(FILE *f, const char *name, int *n) {
    char w[160];
    float *v;
    int i, cnt;
    rewind(f);
    for (;;) {
        int c;
        if (fscanf(f, "%159s", w) != 1) return NULL;
        if (w[0] == '#') { while ((c = fgetc(f)) != EOF && c != '\n') {} continue; }
        if (fscanf(f, "%d", &cnt) != 1 || cnt <= 0) return NULL;
        if (strcmp(w, name) == 0) break;
        while ((c = fgetc(f)) != EOF && c != '\n') {}
    }
    v = (float *)malloc((size_t)cnt * sizeof(float));
    for (i = 0; v && i < cnt; i++) if (fscanf(f, "%f", &v[i]) != 1) { free(v); return NULL; }
    *n = cnt;
    return v;
}

/* the same for a line of doubles (the learning rates: exactly the golden's) */
static int gold_d(FILE *f, const char *name, double *out, int cap) {
    char w[160];
    int i, cnt;
    rewind(f);
    for (;;) {
        int c;
        if (fscanf(f, "%159s", w) != 1) return 0;
        if (w[0] == '#') { while ((c = fgetc(f)) != EOF && c != '\n') {} continue; }
        if (fscanf(f, "%d", &cnt) != 1 || cnt <= 0) return 0;
        if (strcmp(w, name) == 0) break;
        while ((c = fgetc(f)) != EOF && c != '\n') {}
    }
    for (i = 0; i < cnt && i < cap; i++) if (fscanf(f, "%lf", &out[i]) != 1) return 0;
    return cnt;
}

static const char *const FAMILY[2] = {"roberta", "xlmr"};

/* ============================================================================ a) conversion */
static void test_convert(void) {
    static const char *const kinds[4] = {"model", "seqcls", "tokcls", "xenc"};
    int fam, k;
    if (!mtl_t_exists(RD "/roberta_model/config.json")) SKIP("no " RD " (run from the repository root)");
    for (fam = 0; fam < 2; fam++) {
        const int H = fam ? 24 : 16, P = fam ? 40 : 66;
        for (k = 0; k < 4; k++) {
            char name[64];
            unsigned char *blob;
            size_t len;
            const mtl_model_info *in;
            const mtl_head_info *h;
            mtl_model *m;
            mtl_error err;
            if (k == 3 && !fam) continue;
            snprintf(name, sizeof name, "%s_%s", FAMILY[fam], kinds[k]);
            if (!(m = convert(RD, name, &blob, &len))) continue;
            in = mtl_model_get_info(m);
            CHECK(in->position_padding_idx == 1 && in->max_position == P && in->max_seq_length == P - 2 && in->type_vocab_size == 1 &&
                  in->hidden_size == H && in->layer_norm_eps == 1e-5f && in->has_pooler == (k == 0),
                  "%s: padding_idx %d, positions %d, max length %d, types %d, eps %g, pooler %d", name, in->position_padding_idx,
                  in->max_position, in->max_seq_length, in->type_vocab_size, (double)in->layer_norm_eps, in->has_pooler);
            h = mtl_model_head(m, MTL_HEAD_SEQUENCE);
            if (k == 1 || k == 3) {
                size_t ll = 0;
                const char *l0 = mtl_model_head_label(m, MTL_HEAD_SEQUENCE, 0, &ll);
                CHECK(h && h->hidden == H && h->act == MTL_ACT_TANH && h->pooling == MTL_POOL_CLS && h->num_labels == (k == 1 ? 3 : 1) && h->w2 && h->b2,
                      "%s: the sequence head is not RobertaClassificationHead as an MLP head (dense, tanh, out_proj on <s>)", name);
                CHECK(l0 && ll == (k == 1 ? 8u : 7u) && !memcmp(l0, k == 1 ? "negative" : "LABEL_0", ll), "%s: label 0", name);
                CHECK(!mtl_model_head(m, MTL_HEAD_TOKEN), "%s: a token head", name);
            } else if (k == 2) {
                h = mtl_model_head(m, MTL_HEAD_TOKEN);
                CHECK(h && h->hidden == 0 && h->num_labels == 5 && !mtl_model_head(m, MTL_HEAD_SEQUENCE), "%s: the token head", name);
            } else {
                CHECK(!h && !mtl_model_head(m, MTL_HEAD_TOKEN), "%s: a head", name);
            }
            {   /* the file's keys */
                mtl__gguf g;
                const char *s;
                size_t sl;
                long v;
                const mtl__gguf_kv *kv;
                if (mtl__gguf_parse(&g, blob, len, NULL, &err) == MTL_OK) {
                    size_t jl = 0;
                    char *js = mtl_t_read(RD "/tokenizer.json", &jl);
                    mtl__json j;
                    int merges = -1;
                    if (js && mtl__json_parse(&j, js, jl) == 0) {
                        int mm = mtl__json_get(&j, mtl__json_get(&j, 0, "model"), "merges");
                        merges = mtl__json_type(&j, mm) == MTL__J_ARR ? j.nodes[mm].count : -1;
                    }
                    if (js) mtl__json_free(&j);
                    free(js);
                    kv = mtl__gguf_find(&g, "tokenizer.ggml.merges");
                    CHECK(mtl__gguf_str(&g, "tokenizer.ggml.model", &s, &sl) && mtl__streq(s, sl, "gpt2"), "%s: tokenizer.ggml.model", name);
                    CHECK(kv && kv->atype == MTL__GGUF_STR && (int)kv->n == merges && merges > 50, "%s: %d merges stored, tokenizer.json has %d", name,
                          kv ? (int)kv->n : -1, merges);
                    if (kv && kv->n) {   /* the first one, as tokenizer.json lists it */
                        size_t p = kv->pos;
                        CHECK(mtl__rd_str(&g, &p, &s, &sl) && sl >= 3 && memchr(s, ' ', sl), "%s: merge 0 is not \"a b\"", name);
                    }
                    CHECK(mtl__gguf_int(&g, "mtl.position_padding_idx", &v) && v == 1, "%s: mtl.position_padding_idx", name);
                    mtl__gguf_free(&g);
                } else CHECK(0, "%s: %s", name, err.msg);
            }
            if (k == 0) {   /* the file's tokenizer (its index) = the folder's tokenizer.json */
                mtl_tokenizer *ft = NULL;
                const mtl_tokenizer *mt = mtl_model_tokenizer(m);
                FILE *tf = fopen(RD "/texts.txt", "r");
                char line[2048];
                mtl_encoding a, b;
                int same = 1, n = 0;
                memset(&a, 0, sizeof a);
                memset(&b, 0, sizeof b);
                CHECK(mtl_tokenizer_load_json(RD "/tokenizer.json", NULL, &ft, &err) == MTL_OK, "%s", err.msg);
                while (tf && ft && mt && fgets(line, sizeof line, tf)) {
                    size_t l = strcspn(line, "\n");
                    int t;
                    if (mtl_encode(mt, line, l, NULL, &a, &err) || mtl_encode(ft, line, l, NULL, &b, &err) || a.n != b.n) { same = 0; break; }
                    for (t = 0; t < a.n; t++)
                        same &= a.ids[t] == b.ids[t] && a.type_ids[t] == b.type_ids[t] && a.offsets[2 * t] == b.offsets[2 * t] && a.offsets[2 * t + 1] == b.offsets[2 * t + 1];
                    n++;
                }
                CHECK(same && n == 7, "%s: the file's tokenizer differs from tokenizer.json (%d texts)", name, n);
                if (tf) fclose(tf);
                mtl_encoding_free(&a);
                mtl_encoding_free(&b);
                mtl_tokenizer_free(ft);
            }
            mtl_model_free(m);
            free(blob);
        }
    }
}

/* ============================================================================ b) types, lengths */
static void test_types_lengths(void) {
    unsigned char *blob, *dblob;
    size_t len, dlen;
    mtl_model *m, *d;
    mtl_ctx ctx;
    mtl_error err;
    mtl_forward_out o;
    mtl_seq s;
    int32_t ids[80], types[80], lens[1], trunc[1];
    float *a, *b;
    int i, same = 1;
    if (!mtl_t_exists(RD "/roberta_model/config.json")) SKIP("no " RD " (run from the repository root)");
    if (!(m = convert(RD, "roberta_model", &blob, &len))) return;
    for (i = 0; i < 80; i++) { ids[i] = 5 + (i * 7) % 150; types[i] = 1; }
    ids[0] = 0; ids[3] = 1; ids[9] = 1; ids[20] = 2;   /* <s>, pads inside, a </s> */
    a = (float *)malloc(80 * 16 * sizeof(float));
    b = (float *)malloc(80 * 16 * sizeof(float));
    mtl_ctx_init(&ctx, m, NULL);
    memset(&o, 0, sizeof o);
    o.tokens = a; o.lengths = lens; o.truncated = trunc;
    s.ids = ids; s.type_ids = NULL; s.n = 30;
    CHECK(mtl_forward(&ctx, &s, 1, NULL, &o, &err) == MTL_OK, "%s", err.msg);
    o.tokens = b;
    s.type_ids = types;   /* every type 1: a 1-row table reads them as 0 (HF RoBERTa without token_type_ids) */
    CHECK(mtl_forward(&ctx, &s, 1, NULL, &o, &err) == MTL_OK, "types 1 on a 1-row type table: %s", err.msg);
    for (i = 0; i < 30 * 16; i++) same &= a[i] == b[i];
    CHECK(same, "types 1 on a 1-row table changed the output");
    s.n = 64;
    CHECK(mtl_forward(&ctx, &s, 1, NULL, &o, &err) == MTL_OK && lens[0] == 64 && !trunc[0] && o.n_truncated == 0, "64 ids (the longest input): %s", err.msg);
    s.n = 65;   /* position row 66 does not exist: truncated to 64 */
    CHECK(mtl_forward(&ctx, &s, 1, NULL, &o, &err) == MTL_OK && lens[0] == 64 && trunc[0] && o.n_truncated == 1, "65 ids: length %d", lens[0]);
    CHECK(mtl_arena_bytes(m, 1, 1000, 1) == mtl_arena_bytes(m, 1, 64, 1), "arena bytes beyond the longest input");
    mtl_ctx_free(&ctx);
    {   /* a BERT-type file (DistilBERT: a 2-row zero table) still refuses a type outside its table */
        if (mtl_t_exists("tests/data/distil/model/config.json") && (d = convert("tests/data/distil", "model", &dblob, &dlen)) != NULL) {
            mtl_ctx_init(&ctx, d, NULL);
            CHECK(mtl_model_get_info(d)->position_padding_idx == -1, "DistilBERT: padding_idx %d", mtl_model_get_info(d)->position_padding_idx);
            for (i = 0; i < 10; i++) { ids[i] = 5 + i; types[i] = i == 4 ? 2 : 0; }
            s.ids = ids; s.type_ids = types; s.n = 10;
            o.tokens = a;
            CHECK(mtl_forward(&ctx, &s, 1, NULL, &o, &err) == MTL_ERR_ARG && strstr(err.msg, "token type id 2 is out of range"), "type 2, 2-row table: %s", err.msg);
            mtl_ctx_free(&ctx);
            mtl_model_free(d);
            free(dblob);
        } else CHECK(0, "no tests/data/distil");
    }
    {   /* the BPE tokenizer lives only in the index: a file without it is refused (its name changed in place) */
        unsigned char *c = (unsigned char *)malloc(len);
        mtl_load_options lo;
        mtl_model *x = NULL;
        size_t p;
        memcpy(c, blob, len);
        for (p = 0; p + 19 <= len; p++) if (!memcmp(c + p, "mtl.tokenizer.index", 19)) { c[p + 18] = 'y'; break; }
        memset(&lo, 0, sizeof lo);
        lo.skip_checksum = 1;
        CHECK(mtl_model_from_memory_ex(c, len, &lo, &x, &err) == MTL_ERR_UNSUPPORTED && strstr(err.msg, "tokenizer.ggml.model 'gpt2': that tokenizer is read only from the index") && strstr(err.msg, "this file lacks"),
              "a BPE file without its index: %s", err.msg);
        mtl_model_free(x);
        free(c);
    }
    free(a); free(b);
    mtl_model_free(m);
    free(blob);
}

/* ============================================================================ c) one training step */
static const char *const HEADS[6] = {"cls_head.dense.weight", "cls_head.dense.bias", "cls_head.out_proj.weight", "cls_head.out_proj.bias",
                                     "ner_head.weight", "ner_head.bias"};

/* The trainer of the golden: roberta_model's file + the golden's initial heads. freeze NULL: none. */
static mtl_trainer *golden_trainer(FILE *f, const unsigned char *blob, size_t len, const mtl_model *m, const char *freeze, int roberta) {
    const mtl_model_info *in = mtl_model_get_info(m);
    mtl_trainer_config c;
    mtl_trainer *tr = NULL;
    mtl_error err;
    float *sh;
    double op[5];
    int n, k;
    sh = gold(f, "shape", &n);
    if (!sh || n != 5 || gold_d(f, "optim", op, 5) != 5) { free(sh); CHECK(0, "train_step.txt: shape / optim"); return NULL; }
    mtl_trainer_defaults(&c);
    c.bb.vocab_size = in->vocab_size; c.bb.hidden_size = in->hidden_size; c.bb.n_layers = in->n_layers; c.bb.n_heads = in->n_heads;
    c.bb.intermediate_size = in->intermediate_size; c.bb.max_position = in->max_position; c.bb.type_vocab_size = in->type_vocab_size;
    c.bb.layer_norm_eps = in->layer_norm_eps;
    c.bb.roberta_positions = roberta;
    c.bb.pad_token_id = roberta ? in->position_padding_idx : 0;
    c.with_pooler = in->has_pooler;
    c.tokenizer = mtl_model_tokenizer(m);   /* (checkpoints then load as models) */
    c.n_cls = (int)sh[2]; c.n_ner = (int)sh[3];
    c.cls_hidden = in->hidden_size; c.ner_hidden = 0; c.head_act = MTL_ACT_TANH;
    c.pooling = MTL_HPOOL_CLS;
    c.cls_weight = 0.4; c.ner_weight = 0.6;
    c.max_batch = (int)sh[0]; c.max_len = (int)sh[1];
    c.lr_rule.base_lr = op[0]; c.lr_rule.layer_decay = op[1]; c.lr_rule.head_mult = op[2]; c.lr_rule.weight_decay = op[3];
    c.clip_norm = op[4];
    c.schedule.type = MTL_SCHED_CONSTANT;
    c.schedule.warmup_steps = 0;
    free(sh);
    if (mtl_trainer_create(&tr, &c, &err) != MTL_OK) { CHECK(0, "trainer: %s", err.msg); return NULL; }
    if (mtl_trainer_load_model(tr, blob, len, 0, 0, NULL, &err) != MTL_OK) {
        if (roberta) CHECK(0, "load: %s", err.msg);
        mtl_trainer_free(tr);
        return NULL;
    }
    for (k = 0; k < 6; k++) {
        char nm[64];
        int i = mtl_trainer_find(tr, HEADS[k]), cnt;
        float *v;
        snprintf(nm, sizeof nm, "init.%s", HEADS[k]);
        v = gold(f, nm, &cnt);
        CHECK(v && i >= 0, "%s", nm);
        if (v && i >= 0) memcpy(mtl_trainer_data(tr, i), v, (size_t)cnt * sizeof(float));
        free(v);
    }
    if (freeze) CHECK(mtl_trainer_freeze(tr, freeze, &err) == MTL_OK, "%s", err.msg);
    return tr;
}

/* max |a - b| (and the worst of |d| / (atol + rtol |b|) in *ratio) */
static double diff(const float *a, const float *b, int n, double atol, double rtol, double *ratio) {
    double m = 0, r = 0;
    int i;
    for (i = 0; i < n; i++) {
        const double d = fabs((double)a[i] - b[i]), q = d / (atol + rtol * fabs(b[i]));
        if (d > m) m = d;
        if (q > r) r = q;
    }
    if (ratio) *ratio = r;
    return m;
}

static void test_train_step(void) {
    FILE *f;
    unsigned char *blob;
    size_t len;
    mtl_model *m;
    mtl_trainer *tr;
    mtl_batch b;
    mtl_step_stats st;
    mtl_error err;
    float *sh, *ids_f, *mask_f, *cl_f, *nl_f, *v, *gn;
    int32_t *ids, *mask, *ner, cls[64];
    int n, i, k, B, T, C, N;
    if (!(f = fopen(RD "/train_step.txt", "r"))) SKIP("no " RD "/train_step.txt (run from the repository root)");
    if (!(m = convert(RD, "roberta_model", &blob, &len))) { fclose(f); return; }
    sh = gold(f, "shape", &n);
    ids_f = gold(f, "ids", &i); mask_f = gold(f, "mask", &i); cl_f = gold(f, "cls_labels", &i); nl_f = gold(f, "ner_labels", &i);
    if (!sh || !ids_f || !mask_f || !cl_f || !nl_f) { CHECK(0, "train_step.txt: inputs"); goto out0; }
    B = (int)sh[0]; T = (int)sh[1]; C = (int)sh[2]; N = (int)sh[3];
    ids = (int32_t *)malloc((size_t)(B * T) * 4); mask = (int32_t *)malloc((size_t)(B * T) * 4); ner = (int32_t *)malloc((size_t)(B * T) * 4);
    for (i = 0; i < B * T; i++) { ids[i] = (int32_t)ids_f[i]; mask[i] = (int32_t)mask_f[i]; ner[i] = (int32_t)nl_f[i]; }
    for (i = 0; i < B && i < 64; i++) cls[i] = (int32_t)cl_f[i];
    memset(&b, 0, sizeof b);
    b.B = B; b.L = T; b.ids = ids; b.mask = mask; b.cls_labels = cls; b.ner_labels = ner;

    /* --- all trainable: gradients, then the update --- */
    if ((tr = golden_trainer(f, blob, len, m, NULL, 1)) != NULL) {
        mtl_params *P = mtl_trainer_params(tr);
        double worst = 0, wr = 0, d, r, dlog = 0;
        float *lg = gold(f, "cls_logits", &n), *ng = gold(f, "ner_logits", &k), *ls = gold(f, "loss", &i);
        float w1_before[16];
        const int wi = mtl_trainer_find(tr, "embeddings.word_embeddings.weight");
        int n_grads = 0;
        memcpy(w1_before, mtl_trainer_data(tr, wi) + 16, sizeof w1_before);   /* row 1: <pad> */
        mtl_params_zero_grad(P);
        CHECK(mtl_trainer_accumulate(tr, &b, MTL_TASK_BOTH, 1.0f, &st, &err) == MTL_OK, "%s", err.msg);
        if (lg && n == B * C) dlog = diff(mtl_trainer_cls_logits(tr), lg, n, 0, 0, NULL);
        if (ng && k == B * T * N)
            for (i = 0; i < B * T; i++)
                if (mask[i]) { d = diff(mtl_trainer_ner_logits(tr) + (size_t)i * (size_t)N, ng + (size_t)i * (size_t)N, N, 0, 0, NULL); if (d > dlog) dlog = d; }
        CHECK(lg && ng && dlog <= 1e-4, "logits differ by %g", dlog);
        CHECK(ls && fabs((double)st.loss_cls - ls[0]) <= 1e-5 && fabs((double)st.loss_ner - ls[1]) <= 1e-5 && fabs((double)st.loss - ls[2]) <= 1e-5,
              "losses %g %g %g vs %g %g %g", (double)st.loss_cls, (double)st.loss_ner, (double)st.loss, ls ? ls[0] : 0.0, ls ? ls[1] : 0.0, ls ? ls[2] : 0.0);
        printf("  info: RoBERTa multi-task step vs PyTorch (B %d, T %d, a <pad> inside a text): logits max|d| %.3g, loss %.7f vs %.7f\n",
               B, T, dlog, (double)st.loss, ls ? (double)ls[2] : 0.0);
        free(lg); free(ng); free(ls);
        for (k = 0; k < mtl_trainer_n_tensors(tr); k++) {
            int nd, shp[2], tn;
            size_t numel;
            const char *name = mtl_trainer_tensor_info(tr, k, &nd, shp, &numel, &tn);
            char key[200];
            const int kb = strstr(name, "attention.self.key.bias") != NULL;
            snprintf(key, sizeof key, "grad.%s", name);
            if (!strncmp(name, "pooler.", 7)) { CHECK(!tn, "the pooler trains"); continue; }   /* (no loss reads it) */
            v = gold(f, key, &n);
            CHECK(v && (size_t)n == numel && tn, "%s: missing or frozen", key);
            if (v && (size_t)n == numel && mtl_trainer_grad(tr, k)) {
                d = diff(mtl_trainer_grad(tr, k), v, n, kb ? 1e-6 : 1e-5, kb ? 0 : 1e-3, &r);
                CHECK(r <= 1.0, "%s: max|d| %g", key, d);
                if (d > worst) worst = d;
                if (r > wr) wr = r;
                n_grads++;
            }
            free(v);
        }
        printf("  info:   %d gradients (embeddings incl. positions, both layers, both heads): max|d| %.3g, max |d| / (1e-5 + 1e-3|g|) %.3g\n",
               n_grads, worst, wr);
        CHECK(n_grads == 43, "%d gradients compared", n_grads);
        CHECK(mtl_trainer_update(tr, &st, &err) == MTL_OK, "%s", err.msg);
        gn = gold(f, "grad_norm.all", &n);
        CHECK(gn && fabs((double)st.grad_norm - gn[0]) <= 1e-4, "grad norm %g vs %g", (double)st.grad_norm, gn ? gn[0] : 0.0);
        worst = 0;
        for (k = 0, n_grads = 0; k < mtl_trainer_n_tensors(tr); k++) {
            const char *name = mtl_trainer_tensor_info(tr, k, NULL, NULL, NULL, NULL);
            char key[200];
            snprintf(key, sizeof key, "after.all.%s", name);
            if (strstr(name, "attention.self.key.bias")) continue;   /* Adam of a roundoff gradient (shared golden README, section 5) */
            if (!(v = gold(f, key, &n))) continue;
            d = diff(mtl_trainer_data(tr, k), v, n, 1e-4, 0, &r);
            CHECK(d <= 1e-4, "%s: max|d| %g", key, d);
            if (d > worst) worst = d;
            n_grads++;
            free(v);
        }
        {   /* word row 1 (<pad>, HF's padding_idx) has no gradient: AdamW only decays it (embeddings' lr 1e-3 * 0.8^2) */
            const float *w = mtl_trainer_data(tr, wi) + 16;
            const mtl_trainer_config *tc = mtl_trainer_get_config(tr);
            const float keep = (float)(1.0 - tc->lr_rule.base_lr * pow(tc->lr_rule.layer_decay, 2.0) * tc->lr_rule.weight_decay);
            int ok = 1;
            for (i = 0; i < 16; i++) ok &= w[i] == w1_before[i] * keep;
            CHECK(ok, "the <pad> row of the word embeddings changed beyond its decay");
        }
        printf("  info:   one AdamW step, layer-wise lr (embeddings 6.4e-4, layer 0 8e-4, layer 1 1e-3, heads 5e-3), grad norm %.6f vs %.6f: "
               "%d tensors after the step max|d| %.3g\n", (double)st.grad_norm, gn ? (double)gn[0] : 0.0, n_grads, worst);
        CHECK(n_grads == 40, "%d tensors compared after the step", n_grads);
        free(gn);
        {   /* d) the checkpoint keeps RoBERTa's positions and the tanh head */
            unsigned char *ck = NULL;
            size_t cl = 0;
            mtl_model *cm = NULL;
            mtl_trainer *bt;
            CHECK(mtl_trainer_save(tr, &ck, &cl, &err) == MTL_OK, "%s", err.msg);
            if (ck && mtl_model_from_memory(ck, cl, &cm, &err) == MTL_OK) {
                const mtl_head_info *h = mtl_model_head(cm, MTL_HEAD_SEQUENCE);
                mtl_encoding e1, e2;
                const char *txt = "john <pad> lives in paris";
                int same = 0, q;
                CHECK(mtl_model_get_info(cm)->position_padding_idx == 1 && mtl_model_get_info(cm)->max_seq_length == T &&
                      h && h->act == MTL_ACT_TANH && h->hidden == 16 && h->pooling == MTL_POOL_CLS, "the checkpoint as a model");
                memset(&e1, 0, sizeof e1);
                memset(&e2, 0, sizeof e2);
                if (mtl_encode(mtl_model_tokenizer(cm), txt, strlen(txt), NULL, &e1, &err) == MTL_OK &&
                    mtl_encode(mtl_model_tokenizer(m), txt, strlen(txt), NULL, &e2, &err) == MTL_OK && e1.n == e2.n)
                    for (q = 0, same = 1; q < e1.n; q++) same &= e1.ids[q] == e2.ids[q];
                CHECK(same, "the checkpoint's tokenizer differs from the converted file's");
                mtl_encoding_free(&e1);
                mtl_encoding_free(&e2);
                mtl_model_free(cm);
            } else CHECK(0, "checkpoint: %s", err.msg);
            if ((bt = golden_trainer(f, blob, len, m, NULL, 1)) != NULL) {
                CHECK(mtl_trainer_load(bt, ck, cl, &err) == MTL_OK, "resume: %s", err.msg);
                mtl_trainer_free(bt);
            }
            {   /* a trainer with BERT's position ids refuses the converted file and the checkpoint */
                mtl_trainer_config c = *mtl_trainer_get_config(tr);
                c.bb.roberta_positions = 0;
                c.bb.pad_token_id = 0;
                if (mtl_trainer_create(&bt, &c, &err) == MTL_OK) {
                    CHECK(mtl_trainer_load_model(bt, blob, len, 0, 0, NULL, &err) == MTL_ERR_ARG && strstr(err.msg, "RoBERTa's position ids (padding_idx 1)"),
                          "a BERT trainer took the RoBERTa file: %s", err.msg);
                    CHECK(mtl_trainer_load(bt, ck, cl, &err) == MTL_ERR_ARG && strstr(err.msg, "RoBERTa's position ids"), "a BERT trainer resumed: %s", err.msg);
                    mtl_trainer_free(bt);
                } else CHECK(0, "%s", err.msg);
            }
            {
                char dir[600];
                snprintf(dir, sizeof dir, "%s/export", g_tmp);
                mkdir(dir, 0700);
                CHECK(mtl_trainer_export_hf(tr, 0, dir, &err) == MTL_ERR_UNSUPPORTED && strstr(err.msg, "RoBERTa"), "export: %s", err.msg);
                rmdir(dir);
            }
            MTL_FREE(ck);
        }
        mtl_trainer_free(tr);
    }

    /* --- top:1: the embeddings and layer 0 frozen (bit-identical), layer 1 and the heads step --- */
    if ((tr = golden_trainer(f, blob, len, m, "top:1", 1)) != NULL) {
        const int nt = mtl_trainer_n_tensors(tr);
        float **before = (float **)calloc((size_t)nt, sizeof *before);
        double worst = 0, d;
        int n_cmp = 0, frozen_same = 1, n_frozen = 0;
        for (k = 0; k < nt; k++) {
            size_t numel;
            mtl_trainer_tensor_info(tr, k, NULL, NULL, &numel, NULL);
            before[k] = (float *)malloc(numel * sizeof(float));
            memcpy(before[k], mtl_trainer_data(tr, k), numel * sizeof(float));
        }
        CHECK(mtl_trainer_step(tr, &b, 1, &st, &err) == MTL_OK, "%s", err.msg);
        gn = gold(f, "grad_norm.top1", &n);
        CHECK(gn && fabs((double)st.grad_norm - gn[0]) <= 1e-4, "top:1 grad norm %g vs %g", (double)st.grad_norm, gn ? gn[0] : 0.0);
        for (k = 0; k < nt; k++) {
            size_t numel;
            int tn;
            const char *name = mtl_trainer_tensor_info(tr, k, NULL, NULL, &numel, &tn);
            char key[200];
            snprintf(key, sizeof key, "after.top1.%s", name);
            v = gold(f, key, &n);
            CHECK(!v == !tn || !strncmp(name, "pooler.", 7), "%s: trainable %d, in the golden %d", name, tn, v != NULL);
            if (!tn) {
                frozen_same &= !memcmp(before[k], mtl_trainer_data(tr, k), numel * sizeof(float));
                n_frozen++;
            } else if (v && !strstr(name, "attention.self.key.bias")) {
                d = diff(mtl_trainer_data(tr, k), v, n, 1e-4, 0, NULL);
                CHECK(d <= 1e-4, "%s: max|d| %g", key, d);
                if (d > worst) worst = d;
                n_cmp++;
            }
            free(v);
            free(before[k]);
        }
        free(before);
        CHECK(frozen_same && n_frozen == 23, "frozen tensors changed (%d frozen)", n_frozen);
        printf("  info:   top:1 (embeddings + layer 0 frozen: %d tensors bit-identical): grad norm %.6f vs %.6f, %d tensors after the step max|d| %.3g\n",
               n_frozen, (double)st.grad_norm, gn ? (double)gn[0] : 0.0, n_cmp, worst);
        free(gn);
        mtl_trainer_free(tr);
    }
    free(ids); free(mask); free(ner);
out0:
    free(sh); free(ids_f); free(mask_f); free(cl_f); free(nl_f);
    mtl_model_free(m);
    free(blob);
    fclose(f);
}

/* ============================================================================ e) refusals */
static void test_refusals(void) {
    static const char *const bad[6][2] = {
        {"{\"model_type\":\"roberta\",\"architectures\":[\"RobertaForQuestionAnswering\"]}", "RobertaForQuestionAnswering is not supported yet"},
        {"{\"model_type\":\"xlm-roberta\",\"architectures\":[\"XLMRobertaForMultipleChoice\"]}", "XLMRobertaForMultipleChoice is not supported yet"},
        {"{\"model_type\":\"roberta\",\"architectures\":[\"RobertaForCausalLM\"],\"is_decoder\":true}", "RobertaForCausalLM is a decoder"},
        {"{\"model_type\":\"roberta\",\"architectures\":[\"RobertaForMaskedLM\"],\"vocab_size\":100,\"hidden_size\":16,\"num_hidden_layers\":1,"
         "\"num_attention_heads\":2,\"intermediate_size\":32,\"max_position_embeddings\":20,\"type_vocab_size\":1,\"is_decoder\":true}", "is_decoder"},
        {"{\"model_type\":\"roberta\",\"vocab_size\":100,\"hidden_size\":16,\"num_hidden_layers\":1,"
         "\"num_attention_heads\":2,\"intermediate_size\":32,\"max_position_embeddings\":20,\"type_vocab_size\":1,\"pad_token_id\":null}", "needs pad_token_id"},
        {"{\"model_type\":\"xlm-roberta\",\"vocab_size\":100,\"hidden_size\":16,\"num_hidden_layers\":1,"
         "\"num_attention_heads\":2,\"intermediate_size\":32,\"max_position_embeddings\":20,\"type_vocab_size\":1,\"pad_token_id\":19}", "needs pad_token_id"}};
    const char *ok = "{\"model_type\":\"roberta\",\"architectures\":[\"RobertaForMaskedLM\"],\"vocab_size\":100,\"hidden_size\":16,\"num_hidden_layers\":1,"
                     "\"num_attention_heads\":2,\"intermediate_size\":32,\"max_position_embeddings\":20,\"type_vocab_size\":1}";
    cv_config c;
    mtl_error err;
    int k;
    for (k = 0; k < 6; k++) {
        mtl_result r = cv_parse_config(bad[k][0], strlen(bad[k][0]), &c, &err);
        CHECK(r != MTL_OK && strstr(err.msg, bad[k][1]), "config %d: %s", k, err.msg);
    }
    CHECK(cv_parse_config(ok, strlen(ok), &c, &err) == MTL_OK && c.roberta && c.head == MTL_HEAD_NONE && c.pad_token_id == 1 && c.layer_norm_eps == 1e-12,
          "RobertaForMaskedLM as a backbone (pad_token_id 1 by default): %s", err.msg);
    cv_config_free(&c);
}

int main(void) {
    const char *t = getenv("TMPDIR");
    snprintf(g_tmp, sizeof g_tmp, "%s/mtl_test_roberta_%ld", t && *t ? t : "/tmp", (long)getpid());
    mkdir(g_tmp, 0700);
    (void)mtl_t_path;
    RUN(test_convert);
    RUN(test_types_lengths);
    RUN(test_train_step);
    RUN(test_refusals);
    rmdir(g_tmp);
    TEST_MAIN_END();
}
