/* Tests of mtl_bert.h's trainer (the multi-task trainer of issue #4):
   a) the golden fixtures through the same code as build/mtl-golden (examples/golden_runner.h), on the shared
      set and on tests/golden_alt (another model size, labels, optimizers and schedules);
   b) freezing strategies: parameter counts (bert-base heads only), planned bytes == allocated bytes,
      the memory table of all-MiniLM-L6-v2 at batch 32 x 128, gradual unfreezing;
   c) a 200-step overfit on a handful of tokenized sentences (tiny-random-bert) under several strategies;
   d) resume: 10 steps + save + load + 10 steps == 20 steps, bit for bit (dropout on);
   e) multi-task step schedules and task routing; gradient accumulation;
   f) a finite-difference check of the whole training-mode loss (dropout on everywhere);
   g) export -> build/weights_convert -> mtl_bert.h (the library of mtl-embed) gives the same forward;
   h) checkpoints are GGUF blobs: mtl_model_load / build/mtl-embed read them (same forward, heads and
      label maps exposed), truncated ones are refused; resume with SGD / Adam and MLP heads;
   i) pooler pooling (HF BertForSequenceClassification): logits, loss and gradients vs HF
      (tests/golden/seqcls.txt), finite differences, checkpoint resume, export;
   j) a model from scratch (mtl_trainer_init_weights) and the inference model file (no training state). */
#define MTL_BERT_IMPLEMENTATION
#include "../mtl_bert.h"
#define MTL_GOLDEN_IMPLEMENTATION
#include "../examples/golden_runner.h"
#include "mtl_test.h"
#include <sys/stat.h>

static const char *fx_dir(char *buf, size_t cap) {
    const char *g = getenv("MTL_GOLDEN");
    if (g && *g) { snprintf(buf, cap, "%s", g); return buf; }
    return mtl_t_path(buf, cap, "fixtures/golden");
}
static const char *model_dir(char *buf, size_t cap) {
    const char *g = getenv("MTL_GOLDEN_MODEL");
    if (g && *g) { snprintf(buf, cap, "%s", g); return buf; }
    return mtl_t_path(buf, cap, "models/tiny-random-bert");
}

/* ============================================================================ a) golden */
static void test_golden(void) {
    char fx[900], md[900], path[1000], line[4096];
    FILE *tmp;
    int failed, n;
    fx_dir(fx, sizeof fx);
    model_dir(md, sizeof md);
    snprintf(path, sizeof path, "%s/multitask.idx", fx);
    if (!mtl_t_exists(path)) SKIP("no fixtures in %s", fx);
    tmp = tmpfile();
    CHECK(tmp != NULL, "tmpfile");
    if (!tmp) return;
    failed = mtl_golden_run(md, fx, tmp, &n);
    rewind(tmp);
    while (fgets(line, sizeof line, tmp)) printf("  golden: %s", line);
    fclose(tmp);
    CHECK(failed == 0, "%d of %d fixtures failed", failed, n);
    CHECK(n >= 5, "only %d fixtures ran", n);
}

/* A second set of the same format made by tools/gen_alt_golden.py (torch 1.13 + transformers 4.40):
   H 48, 3 layers, 6 heads, 5 classes / 7 tags, SGD+momentum/cosine (top 2), Adam/constant-with-warmup
   (embeddings + heads), AdamW/linear without warmup (all): nothing in the runner is tied to the
   public set. */
static void test_golden_alt(void) {
    char line[4096];
    FILE *tmp;
    int failed, n;
    if (!mtl_t_exists("tests/golden_alt/fixtures/multitask.idx")) SKIP("no tests/golden_alt (run from the repository root)");
    tmp = tmpfile();
    CHECK(tmp != NULL, "tmpfile");
    if (!tmp) return;
    failed = mtl_golden_run("tests/golden_alt/model", "tests/golden_alt/fixtures", tmp, &n);
    rewind(tmp);
    while (fgets(line, sizeof line, tmp)) printf("  golden_alt: %s", line);
    fclose(tmp);
    CHECK(failed == 0 && n == 5, "%d of %d fixtures failed", failed, n);
}

/* ============================================================================ helpers */
static int read_config(const char *dir, mtl_backbone_config *bb) {
    char p[1000], *s;
    size_t n;
    mtl__json j;
    snprintf(p, sizeof p, "%s/config.json", dir);
    if (!(s = mtl_t_read(p, &n))) return 0;
    if (mtl__json_parse(&j, s, n) != 0) { mtl__json_free(&j); free(s); return 0; }
    memset(bb, 0, sizeof *bb);
    bb->vocab_size = (int)mtg_long(&j, 0, "vocab_size", 0);
    bb->hidden_size = (int)mtg_long(&j, 0, "hidden_size", 0);
    bb->n_layers = (int)mtg_long(&j, 0, "num_hidden_layers", 0);
    bb->n_heads = (int)mtg_long(&j, 0, "num_attention_heads", 0);
    bb->intermediate_size = (int)mtg_long(&j, 0, "intermediate_size", 0);
    bb->max_position = (int)mtg_long(&j, 0, "max_position_embeddings", 0);
    bb->type_vocab_size = (int)mtg_long(&j, 0, "type_vocab_size", 2);
    bb->pad_token_id = (int)mtg_long(&j, 0, "pad_token_id", 0);
    bb->layer_norm_eps = (float)mtg_num(&j, 0, "layer_norm_eps", 1e-12);
    mtl__json_free(&j);
    free(s);
    return bb->vocab_size > 0 && bb->hidden_size > 0;
}

/* ============================================================================ b) freezing */
static const char *const strategies[] = {"none", "embeddings", "top:2", "top:1", "top:1+head:ner", "head:cls", "backbone", "all"};
#define N_STRAT ((int)(sizeof strategies / sizeof strategies[0]))

static void test_param_counts_bert_base(void) {
    char p[1000];
    mtl_trainer_config c;
    mtl_trainer_mem m;
    mtl_error err;
    int s;
    mtl_trainer_defaults(&c);
    if (!read_config(mtl_t_path(p, sizeof p, "models/bert-base-uncased"), &c.bb)) SKIP("no bert-base-uncased config.json");
    c.with_pooler = 0;   /* the pooler feeds no loss */
    c.n_cls = 3;
    c.n_ner = 9;
    c.max_batch = 32;
    c.max_len = 128;
    printf("  info: bert-base-uncased + cls(3) + ner(9) heads, trainable / total parameters (from config.json, no weights):\n");
    for (s = 0; s < N_STRAT; s++) {
        CHECK(mtl_trainer_plan(&c, strategies[s], &m, &err) == MTL_OK, "%s", err.msg);
        printf("  info:   %-16s %11zu / %zu (%.2f%%)\n", strategies[s], m.n_trainable, m.n_params, 100.0 * (double)m.n_trainable / (double)m.n_params);
        if (!strcmp(strategies[s], "backbone")) CHECK(m.n_trainable == 768 * 12 + 12, "heads only: %zu", m.n_trainable);
        if (!strcmp(strategies[s], "none")) CHECK(m.n_params == 108891648 + 768 * 12 + 12, "total %zu", m.n_params);
        if (!strcmp(strategies[s], "all")) CHECK(m.n_trainable == 0, "all frozen: %zu trainable", m.n_trainable);
    }
    c.n_cls = 2; c.n_ner = 17;   /* 19 outputs: (768 + 1) * 19 = 14,611 */
    CHECK(mtl_trainer_plan(&c, "backbone", &m, &err) == MTL_OK, "%s", err.msg);
    printf("  info:   with 2 classes + 17 tags: heads only %zu of %.1fM\n", m.n_trainable, (double)m.n_params / 1e6);
    CHECK(m.n_trainable == 14611, "%zu", m.n_trainable);
    CHECK(mtl_trainer_plan(&c, "top:x", &m, &err) == MTL_ERR_ARG && mtl_trainer_plan(&c, "bogus", &m, &err) == MTL_ERR_ARG, "bad specs rejected");
}

static void test_memory_table_minilm(void) {
    char p[1000];
    mtl_trainer_config c;
    mtl_trainer_mem m, none;
    mtl_error err;
    int s;
    mtl_trainer_defaults(&c);
    if (!read_config(mtl_t_path(p, sizeof p, "models/all-MiniLM-L6-v2"), &c.bb)) SKIP("no all-MiniLM-L6-v2 config.json");
    c.n_cls = 3; c.n_ner = 9; c.max_batch = 32; c.max_len = 128;
    printf("  info: all-MiniLM-L6-v2 + heads, AdamW, batch 32 x 128: bytes allocated per strategy (MiB)\n");
    printf("  info:   %-16s %12s %9s %9s %9s %11s %6s %9s\n", "strategy", "trainable", "params", "grads", "adamw", "activations", "heads", "total");
    CHECK(mtl_trainer_plan(&c, "none", &none, &err) == MTL_OK, "%s", err.msg);
    for (s = 0; s < N_STRAT; s++) {
        const double MB = 1024.0 * 1024.0;
        CHECK(mtl_trainer_plan(&c, strategies[s], &m, &err) == MTL_OK, "%s", err.msg);
        printf("  info:   %-16s %12zu %9.1f %9.1f %9.1f %11.1f %6.1f %9.1f\n", strategies[s], m.n_trainable, (double)m.param_bytes / MB,
               (double)m.grad_bytes / MB, (double)m.optim_bytes / MB, (double)m.activation_bytes / MB, (double)m.head_bytes / MB,
               (double)m.total / MB);
        if (!strcmp(strategies[s], "backbone")) {
            /* no backbone gradient, no activation cache: the grads are the heads', the arena is the
               forward-only one (no cached layer) */
            CHECK(m.grad_bytes < 64 * 1024, "backbone frozen: %zu grad bytes", m.grad_bytes);
            CHECK(m.activation_bytes == mtl_backbone_arena_bytes(&c.bb, 32, 128, 0, 0), "backbone frozen: arena %zu", m.activation_bytes);
            CHECK(m.activation_bytes * 4 < none.activation_bytes, "activation %zu vs %zu", m.activation_bytes, none.activation_bytes);
        }
    }
}

/* planned bytes == what a trainer allocates, for every strategy (tiny model) */
static void test_plan_matches_allocation(void) {
    char md[900];
    mtl_trainer_config c;
    mtl_trainer *tr;
    mtl_trainer_mem plan, used;
    mtl_error err;
    int s;
    mtl_trainer_defaults(&c);
    if (!read_config(model_dir(md, sizeof md), &c.bb)) SKIP("no tiny-random-bert config.json");
    c.n_cls = 3; c.n_ner = 9; c.max_batch = 4; c.max_len = 16;
    if (mtl_trainer_create(&tr, &c, &err)) { CHECK(0, "%s", err.msg); return; }
    for (s = 0; s < N_STRAT; s++) {
        CHECK(mtl_trainer_freeze(tr, strategies[s], &err) == MTL_OK, "%s", err.msg);
        mtl_trainer_plan(&c, strategies[s], &plan, &err);
        mtl_trainer_memory(tr, &used);
        CHECK(plan.n_trainable == used.n_trainable && plan.param_bytes == used.param_bytes && plan.grad_bytes == used.grad_bytes &&
              plan.optim_bytes == used.optim_bytes && plan.activation_bytes == used.activation_bytes && plan.head_bytes == used.head_bytes,
              "%s: plan %zu/%zu/%zu/%zu/%zu vs used %zu/%zu/%zu/%zu/%zu", strategies[s], plan.param_bytes, plan.grad_bytes, plan.optim_bytes,
              plan.activation_bytes, plan.head_bytes, used.param_bytes, used.grad_bytes, used.optim_bytes, used.activation_bytes, used.head_bytes);
    }
    /* what each term freezes */
    {
        int i, n = mtl_trainer_n_tensors(tr), tr_flag = 0;
        CHECK(mtl_trainer_freeze(tr, "top:1+head:ner", &err) == MTL_OK, "%s", err.msg);
        for (i = 0; i < n; i++) {
            const char *nm = mtl_trainer_tensor_info(tr, i, NULL, NULL, NULL, &tr_flag);
            int want = !strncmp(nm, "encoder.layer.1.", 16) || !strncmp(nm, "cls_head.", 9);
            CHECK(tr_flag == want, "top:1+head:ner: %s trainable %d", nm, tr_flag);
            CHECK((mtl_trainer_grad(tr, i) != NULL) == want, "%s: grad view", nm);
        }
        /* a bad term is named in the message (%.*s in the library's formatter) */
        CHECK(mtl_trainer_freeze(tr, "top:1+bogus+none", &err) == MTL_ERR_ARG && strstr(err.msg, "unknown term 'bogus' (") != NULL,
              "unknown term message: %s", err.msg);
        CHECK(mtl_trainer_freeze(tr, "top:1x", &err) == MTL_ERR_ARG && strstr(err.msg, "bad term 'top:1x'") != NULL,
              "bad term message: %s", err.msg);
        CHECK(mtl_trainer_freeze(tr, "embeddings", &err) == MTL_OK, "%s", err.msg);
        for (i = 0; i < n; i++) {
            const char *nm = mtl_trainer_tensor_info(tr, i, NULL, NULL, NULL, &tr_flag);
            CHECK(tr_flag == (strncmp(nm, "embeddings.", 11) != 0 && strncmp(nm, "pooler.", 7) != 0), "embeddings: %s %d", nm, tr_flag);
        }
    }
    mtl_trainer_free(tr);
}

/* ============================================================================ c) overfit data */
typedef struct toy {
    int B, L;
    int32_t *ids, *mask, *types, *cls, *ner;
} toy;

static int toy_make(toy *t, const char *dir) {
    static const char *const sents[6] = {
        "john smith works for acme corp in london",
        "the weather in paris was terrible today",
        "mary visited berlin and loved the food",
        "i am not sure about this plan",
        "google opened a new office in tokyo",
        "what a wonderful day at the beach"};
    static const int cls[6] = {1, 0, 2, 1, 1, 2};
    mtl_tokenizer *tok;
    mtl_encoding enc;
    mtl_encode_options eo;
    mtl_error err;
    int b, i;
    memset(t, 0, sizeof *t);
    memset(&enc, 0, sizeof enc);
    memset(&eo, 0, sizeof eo);
    if (mtl_tokenizer_load_dir(dir, NULL, &tok, &err)) return 0;
    t->B = 6;
    t->L = 16;
    t->ids = (int32_t *)calloc(6 * 16, 4); t->mask = (int32_t *)calloc(6 * 16, 4); t->types = (int32_t *)calloc(6 * 16, 4);
    t->ner = (int32_t *)calloc(6 * 16, 4); t->cls = (int32_t *)calloc(6, 4);
    for (b = 0; b < 6; b++) {
        int prev = -1;
        if (mtl_encode(tok, sents[b], strlen(sents[b]), &eo, &enc, &err) || enc.n > t->L) { mtl_tokenizer_free(tok); mtl_encoding_free(&enc); return 0; }
        t->cls[b] = cls[b];
        for (i = 0; i < t->L; i++) {
            const int r = b * t->L + i;
            t->ner[r] = -100;
            if (i >= enc.n) continue;
            t->ids[r] = enc.ids[i];
            t->mask[r] = 1;
            /* first sub-token of each word: a tag from the word's first id (deterministic, 9 tags) */
            if (enc.word_ids[i] >= 0 && enc.word_ids[i] != prev) t->ner[r] = (int32_t)(enc.ids[i] % 9);
            prev = enc.word_ids[i];
        }
    }
    mtl_encoding_free(&enc);
    mtl_tokenizer_free(tok);
    return 1;
}
static void toy_free(toy *t) { free(t->ids); free(t->mask); free(t->types); free(t->ner); free(t->cls); }
static mtl_batch toy_batch(const toy *t) {
    mtl_batch b;
    memset(&b, 0, sizeof b);
    b.B = t->B; b.L = t->L; b.ids = t->ids; b.mask = t->mask; b.types = t->types; b.cls_labels = t->cls; b.ner_labels = t->ner;
    return b;
}

/* a tiny-random-bert trainer with heads; NULL (and a SKIP reason) when the model is missing */
static mtl_trainer *tiny_trainer(const mtl_trainer_config *over, char *why, size_t cap) {
    char md[900], p[1000];
    mtl_trainer_config c;
    mtl_trainer *tr;
    mtl_error err;
    char *st;
    size_t n;
    mtl_trainer_defaults(&c);
    if (over) c = *over;
    if (!read_config(model_dir(md, sizeof md), &c.bb)) { snprintf(why, cap, "no %.200s/config.json", md); return NULL; }
    snprintf(p, sizeof p, "%s/model.safetensors", md);
    if (!(st = mtl_t_read(p, &n))) { snprintf(why, cap, "no %.250s", p); return NULL; }
    if (mtl_trainer_create(&tr, &c, &err) || mtl_trainer_load_safetensors(tr, st, n, NULL, &err)) {
        snprintf(why, cap, "trainer: %s", err.msg);
        free(st);
        return NULL;
    }
    free(st);
    mtl_trainer_init_heads(tr, 7, 0.2f);
    return tr;
}

static void overfit_config(mtl_trainer_config *c) {
    mtl_trainer_defaults(c);
    c->n_cls = 3; c->n_ner = 9; c->max_batch = 8; c->max_len = 16;
    c->cls_weight = 0.4; c->ner_weight = 0.6;
    c->lr_rule.base_lr = 3e-3;
    c->lr_rule.head_mult = 5.0;
    c->lr_rule.weight_decay = 0.0;
    c->schedule.type = MTL_SCHED_CONSTANT;
    c->schedule.warmup_steps = 10;
    c->clip_norm = 1.0;
}

#ifndef HEADS_ONLY_MULT
#define HEADS_ONLY_MULT 50.0
#endif
static void test_overfit_200(void) {
    static const char *const strat[] = {"none", "top:1", "backbone", "embeddings", "top:1+head:ner"};
    char md[900], why[300];
    mtl_trainer_config c;
    toy t;
    int s, k;
    if (!toy_make(&t, model_dir(md, sizeof md))) SKIP("no tokenizer / model in %s", md);
    overfit_config(&c);
    for (s = 0; s < (int)(sizeof strat / sizeof strat[0]); s++) {
        mtl_trainer *tr;
        mtl_batch b = toy_batch(&t);
        /* heads only: a linear probe on a frozen random backbone needs a larger lr */
        c.lr_rule.head_mult = strcmp(strat[s], "backbone") == 0 ? HEADS_ONLY_MULT : 5.0;
        tr = tiny_trainer(&c, why, sizeof why);
        mtl_step_stats st, first;
        mtl_error err;
        if (!tr) { toy_free(&t); SKIP("%s", why); }
        CHECK(mtl_trainer_freeze(tr, strat[s], &err) == MTL_OK, "%s", err.msg);
        memset(&first, 0, sizeof first);
        for (k = 0; k < 200; k++) {
            if (mtl_trainer_step(tr, &b, 1, &st, &err)) { CHECK(0, "%s step %d: %s", strat[s], k, err.msg); break; }
            if (k == 0) first = st;
        }
        mtl_trainer_eval(tr, &b, &st, &err);
        printf("  info: overfit %-15s loss %.4f -> %.5f  (cls %.4f -> %.5f, ner %.4f -> %.5f)\n", strat[s], first.loss, st.loss,
               first.loss_cls, st.loss_cls, first.loss_ner, st.loss_ner);
        CHECK(st.loss_cls < 0.05f && st.loss_ner < 0.05f, "%s: losses after 200 steps cls %g ner %g", strat[s], st.loss_cls, st.loss_ner);
        mtl_trainer_free(tr);
    }
    toy_free(&t);
}

/* ============================================================================ d) resume */
static int same_state(mtl_trainer *a, mtl_trainer *b) {
    int i;
    for (i = 0; i < mtl_trainer_n_tensors(a); i++) {
        size_t n = 0;
        mtl_trainer_tensor_info(a, i, NULL, NULL, &n, NULL);
        if (memcmp(mtl_trainer_data(a, i), mtl_trainer_data(b, i), n * sizeof(float)) != 0) return 0;
    }
    return mtl_trainer_step_count(a) == mtl_trainer_step_count(b);
}

static void test_resume_bit_identical(void) {
    char md[900], why[300], path[1000];
    mtl_trainer_config c;
    mtl_trainer *a, *b, *r;
    mtl_error err;
    mtl_step_stats sa, sb;
    unsigned char *buf = NULL;
    size_t len = 0;
    toy t;
    mtl_batch bt;
    int k;
    if (!toy_make(&t, model_dir(md, sizeof md))) SKIP("no tokenizer / model in %s", md);
    overfit_config(&c);
    c.classifier_dropout = c.hidden_dropout = c.attn_dropout = 0.1f;   /* dropout on: the RNG position must be restored too */
    c.schedule.type = MTL_SCHED_LINEAR;
    c.schedule.warmup_steps = 3;
    c.schedule.total_steps = 20;
    c.lr_rule.weight_decay = 0.01;
    c.lr_rule.layer_decay = 0.8;
    bt = toy_batch(&t);
    a = tiny_trainer(&c, why, sizeof why);
    b = tiny_trainer(&c, why, sizeof why);
    r = tiny_trainer(&c, why, sizeof why);
    if (!a || !b || !r) { mtl_trainer_free(a); mtl_trainer_free(b); mtl_trainer_free(r); toy_free(&t); SKIP("%s", why); }
    mtl_trainer_freeze(a, "top:1", &err);
    mtl_trainer_freeze(b, "top:1", &err);
    mtl_trainer_set_training(a, 1);
    mtl_trainer_set_training(b, 1);
    for (k = 0; k < 20; k++) CHECK(mtl_trainer_step(a, &bt, 1, &sa, &err) == MTL_OK, "%s", err.msg);
    for (k = 0; k < 10; k++) CHECK(mtl_trainer_step(b, &bt, 1, &sb, &err) == MTL_OK, "%s", err.msg);
    /* save to a buffer and to a file (atomically), load the file into a fresh trainer */
    CHECK(mtl_trainer_save(b, &buf, &len, &err) == MTL_OK, "%s", err.msg);
    snprintf(path, sizeof path, "%s/mtl_test_trainer_resume_%p.gguf", getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (void *)r);
    CHECK(mtl_trainer_save_file(b, path, &err) == MTL_OK, "%s", err.msg);
    CHECK(mtl_trainer_load_file(r, path, &err) == MTL_OK, "%s", err.msg);
    remove(path);
    mtl_trainer_free(b);
    for (k = 0; k < 10; k++) CHECK(mtl_trainer_step(r, &bt, 1, &sb, &err) == MTL_OK, "%s", err.msg);
    CHECK(same_state(a, r), "10 + save/load + 10 steps differ from 20 straight steps");
    CHECK(sa.loss == sb.loss && sa.grad_norm == sb.grad_norm, "last step: loss %.9g vs %.9g, norm %.9g vs %.9g", sa.loss, sb.loss, sa.grad_norm, sb.grad_norm);
    printf("  info: resume: 20 straight vs 10 + save (%zu bytes) + load + 10: params %s, last loss %.7g vs %.7g\n", len,
           same_state(a, r) ? "bit-identical" : "DIFFER", sa.loss, sb.loss);
    /* corrupt / foreign buffers are rejected */
    if (buf && len > 100) {
        buf[len / 2] ^= 1;
        CHECK(mtl_trainer_load(r, buf, len, &err) == MTL_ERR_FORMAT, "corrupt checkpoint accepted");
        CHECK(mtl_trainer_load(r, buf, 10, &err) == MTL_ERR_FORMAT, "truncated checkpoint accepted");
    }
    MTL_FREE(buf);
    mtl_trainer_free(a);
    mtl_trainer_free(r);
    toy_free(&t);
}

/* ============================================================================ e) schedules, routing */
static void test_mt_schedules(void) {
    mtl_mt_schedule s;
    mtl_error err;
    long k, n_cls = 0;
    memset(&s, 0, sizeof s);
    CHECK(mtl_mt_parse(&s, "sample", &err) == MTL_OK && s.mode == MTL_MT_SAMPLE, "parse");
    CHECK(mtl_mt_parse(&s, "bogus", &err) == MTL_ERR_ARG, "bad name rejected");
    s.mode = MTL_MT_SAMPLE; s.p_cls = 0.4; s.seed = 11;
    for (k = 0; k < 10000; k++) n_cls += mtl_mt_tasks(&s, k) == MTL_TASK_CLS;
    printf("  info: sample 0.4/0.6: %ld of 10000 steps on cls\n", n_cls);
    CHECK(n_cls > 3800 && n_cls < 4200, "sample: %ld cls steps", n_cls);
    CHECK(mtl_mt_tasks(&s, 123) == mtl_mt_tasks(&s, 123), "sample is a function of (seed, step)");
    s.mode = MTL_MT_ALTERNATE;
    CHECK(mtl_mt_tasks(&s, 0) == MTL_TASK_CLS && mtl_mt_tasks(&s, 1) == MTL_TASK_NER && mtl_mt_tasks(&s, 2) == MTL_TASK_CLS, "alternate");
    s.mode = MTL_MT_SEPARATE; s.total_steps = 10; s.p_cls = 0.4;
    CHECK(mtl_mt_tasks(&s, 3) == MTL_TASK_CLS && mtl_mt_tasks(&s, 4) == MTL_TASK_NER && mtl_mt_tasks(&s, 9) == MTL_TASK_NER, "separate");
    s.mode = MTL_MT_COMBINED;
    CHECK(mtl_mt_tasks(&s, 5) == MTL_TASK_BOTH, "combined");
}

/* task routing: a cls-only batch leaves the NER head's gradient at zero (and vice versa); a combined
   step over two one-task batches equals their weighted sum; accumulating a batch twice at 1/2 equals
   one pass */
static void test_routing_and_accumulation(void) {
    char md[900], why[300];
    mtl_trainer_config c;
    mtl_trainer *a, *b;
    mtl_error err;
    mtl_step_stats st;
    mtl_batch full, cb, nb;
    toy t;
    int i, wi, ni;
    size_t n = 0, q;
    double worst = 0;
    if (!toy_make(&t, model_dir(md, sizeof md))) SKIP("no tokenizer / model in %s", md);
    overfit_config(&c);
    a = tiny_trainer(&c, why, sizeof why);
    b = tiny_trainer(&c, why, sizeof why);
    if (!a || !b) { mtl_trainer_free(a); mtl_trainer_free(b); toy_free(&t); SKIP("%s", why); }
    full = toy_batch(&t);
    cb = full; cb.ner_labels = NULL;
    nb = full; nb.cls_labels = NULL;
    wi = mtl_trainer_find(a, "ner_head.weight");
    mtl_params_zero_grad(mtl_trainer_params(a));
    CHECK(mtl_trainer_accumulate(a, &cb, MTL_TASK_BOTH, 1.0f, &st, &err) == MTL_OK, "%s", err.msg);
    CHECK(st.tasks == MTL_TASK_CLS, "cls-only batch ran tasks %d", st.tasks);
    mtl_trainer_tensor_info(a, wi, NULL, NULL, &n, NULL);
    for (q = 0; q < n; q++) if (mtl_trainer_grad(a, wi)[q] != 0.0f) break;
    CHECK(q == n, "cls-only batch touched the NER head's gradient");
    /* combined over two one-task batches == one pass over the batch with both label sets */
    CHECK(mtl_trainer_accumulate(a, &nb, MTL_TASK_BOTH, 1.0f, &st, &err) == MTL_OK, "%s", err.msg);
    mtl_params_zero_grad(mtl_trainer_params(b));
    CHECK(mtl_trainer_accumulate(b, &full, MTL_TASK_BOTH, 1.0f, &st, &err) == MTL_OK, "%s", err.msg);
    for (i = 0; i < mtl_trainer_n_tensors(a); i++) {
        const float *ga = mtl_trainer_grad(a, i), *gb = mtl_trainer_grad(b, i);
        if (!ga || !gb) continue;
        mtl_trainer_tensor_info(a, i, NULL, NULL, &n, NULL);
        for (q = 0; q < n; q++) {
            double d = fabs((double)ga[q] - gb[q]) / (1e-5 + 1e-3 * fabs((double)gb[q]));   /* err / tolerance */
            if (d > worst) worst = d;
        }
    }
    CHECK(worst <= 1.0, "two one-task passes vs one two-task pass: %g of the tolerance 1e-5 + 1e-3 |g|", worst);
    /* step_mt: alternate routes the step to one batch */
    {
        mtl_mt_schedule s;
        memset(&s, 0, sizeof s);
        s.mode = MTL_MT_ALTERNATE;
        CHECK(mtl_trainer_step_mt(a, &s, &cb, &nb, &st, &err) == MTL_OK && st.tasks == MTL_TASK_CLS, "alternate step 0: tasks %d", st.tasks);
        CHECK(mtl_trainer_step_mt(a, &s, &cb, &nb, &st, &err) == MTL_OK && st.tasks == MTL_TASK_NER, "alternate step 1: tasks %d", st.tasks);
        s.mode = MTL_MT_COMBINED;
        CHECK(mtl_trainer_step_mt(a, &s, &cb, &nb, &st, &err) == MTL_OK && st.tasks == MTL_TASK_BOTH, "combined: tasks %d", st.tasks);
    }
    /* accumulation: [full, full] at 1/2 each == [full] */
    mtl_trainer_free(a);
    mtl_trainer_free(b);
    a = tiny_trainer(&c, why, sizeof why);
    b = tiny_trainer(&c, why, sizeof why);
    if (a && b) {
        mtl_batch two[2];
        float ga, gb;
        two[0] = full; two[1] = full;
        CHECK(mtl_trainer_step(a, two, 2, &st, &err) == MTL_OK, "%s", err.msg);
        ga = st.grad_norm;
        CHECK(mtl_trainer_step(b, &full, 1, &st, &err) == MTL_OK, "%s", err.msg);
        gb = st.grad_norm;
        CHECK(fabsf(ga - gb) <= 1e-5f * gb, "accumulated grad norm %g vs %g", ga, gb);
        ni = mtl_trainer_find(a, "encoder.layer.0.attention.self.query.weight");
        mtl_trainer_tensor_info(a, ni, NULL, NULL, &n, NULL);
        worst = 0;
        for (q = 0; q < n; q++) {
            double d = fabs((double)mtl_trainer_data(a, ni)[q] - mtl_trainer_data(b, ni)[q]);
            if (d > worst) worst = d;
        }
        CHECK(worst < 1e-6, "accumulation: params differ by %g", worst);
    }
    mtl_trainer_free(a);
    mtl_trainer_free(b);
    toy_free(&t);
}

/* padding is never read: other ids and NER labels at mask-0 positions give the same losses and the same
   gradients, bit for bit (the labels there are not counted); cls pooling refuses a padded column 0 */
static void test_padding_not_read(void) {
    char md[900], why[300];
    mtl_trainer_config c;
    mtl_trainer *tr;
    mtl_error err;
    mtl_step_stats st0, st1;
    mtl_batch b0, b1;
    toy t;
    int32_t *ids, *ner, *mask;
    float *g0;
    size_t total = 0, off, q, n, T, diff = 0;
    int i, pads = 0;
    if (!toy_make(&t, model_dir(md, sizeof md))) SKIP("no tokenizer / model in %s", md);
    overfit_config(&c);
    tr = tiny_trainer(&c, why, sizeof why);
    if (!tr) { toy_free(&t); SKIP("%s", why); }
    b0 = toy_batch(&t);
    T = (size_t)b0.B * (size_t)b0.L;
    ids = (int32_t *)malloc(T * sizeof(int32_t)); ner = (int32_t *)malloc(T * sizeof(int32_t));
    mask = (int32_t *)malloc(T * sizeof(int32_t));
    for (q = 0; q < T; q++) {
        ids[q] = t.mask[q] ? t.ids[q] : (int32_t)(1 + (q * 7) % 500);
        ner[q] = t.mask[q] ? t.ner[q] : (int32_t)(q % 9);
        pads += !t.mask[q];
    }
    b1 = b0; b1.ids = ids; b1.ner_labels = ner;
    for (i = 0; i < mtl_trainer_n_tensors(tr); i++) { mtl_trainer_tensor_info(tr, i, NULL, NULL, &n, NULL); if (mtl_trainer_grad(tr, i)) total += n; }
    g0 = (float *)malloc(total * sizeof(float) + 4);
    mtl_params_zero_grad(mtl_trainer_params(tr));
    CHECK(mtl_trainer_accumulate(tr, &b0, MTL_TASK_BOTH, 1.0f, &st0, &err) == MTL_OK, "%s", err.msg);
    for (i = 0, off = 0; i < mtl_trainer_n_tensors(tr); i++) {
        if (!mtl_trainer_grad(tr, i)) continue;
        mtl_trainer_tensor_info(tr, i, NULL, NULL, &n, NULL);
        memcpy(g0 + off, mtl_trainer_grad(tr, i), n * sizeof(float));
        off += n;
    }
    mtl_params_zero_grad(mtl_trainer_params(tr));
    CHECK(mtl_trainer_accumulate(tr, &b1, MTL_TASK_BOTH, 1.0f, &st1, &err) == MTL_OK, "%s", err.msg);
    for (i = 0, off = 0; i < mtl_trainer_n_tensors(tr); i++) {
        const float *g = mtl_trainer_grad(tr, i);
        if (!g) continue;
        mtl_trainer_tensor_info(tr, i, NULL, NULL, &n, NULL);
        for (q = 0; q < n; q++) diff += g[q] != g0[off + q];
        off += n;
    }
    CHECK(pads > 0, "the toy batch has padding");
    CHECK(st0.loss_cls == st1.loss_cls && st0.loss_ner == st1.loss_ner, "losses %.9g %.9g vs %.9g %.9g", st0.loss_cls,
          st0.loss_ner, st1.loss_cls, st1.loss_ner);
    CHECK(diff == 0, "%zu of %zu gradients differ with other ids and labels at padding", diff, total);
    printf("  info: %d padded positions with other ids and counted-looking NER labels: same losses, %zu gradients bit-identical\n",
           pads, total);
    mtl_trainer_free(tr);
    /* cls pooling reads column 0: a row padded there (left padding) is refused, a row without any real token is not */
    c.pooling = MTL_HPOOL_CLS;
    tr = tiny_trainer(&c, why, sizeof why);
    if (tr) {
        memcpy(mask, t.mask, T * sizeof(int32_t));
        b1 = b0; b1.mask = mask;
        mask[(size_t)b0.L] = 0;   /* row 1, column 0 */
        CHECK(mtl_trainer_eval(tr, &b1, &st1, &err) == MTL_ERR_ARG && strstr(err.msg, "row 1"), "left padding under cls pooling: %s", err.msg);
        memset(mask + b0.L, 0, (size_t)b0.L * sizeof(int32_t));
        CHECK(mtl_trainer_eval(tr, &b1, &st1, &err) == MTL_OK, "a row without real tokens: %s", err.msg);
        mtl_trainer_free(tr);
    }
    free(ids); free(ner); free(mask); free(g0);
    toy_free(&t);
}

/* gradual unfreezing: "0:backbone,1:top:1,2:none"; the heads' optimizer state survives re-layouts */
static void test_gradual_unfreezing(void) {
    char md[900], why[300];
    mtl_trainer_config c;
    mtl_trainer *tr;
    mtl_error err;
    mtl_step_stats st;
    mtl_trainer_mem m0, m1, m2;
    toy t;
    mtl_batch b;
    const char *g = "0:backbone,1:top:1+head:ner,2:none";
    float before;
    int hi;
    if (!toy_make(&t, model_dir(md, sizeof md))) SKIP("no tokenizer / model in %s", md);
    overfit_config(&c);
    tr = tiny_trainer(&c, why, sizeof why);
    if (!tr) { toy_free(&t); SKIP("%s", why); }
    b = toy_batch(&t);
    CHECK(mtl_trainer_apply_epoch(tr, g, 0, &err) == MTL_OK, "%s", err.msg);
    mtl_trainer_memory(tr, &m0);
    CHECK(mtl_trainer_step(tr, &b, 1, &st, &err) == MTL_OK, "%s", err.msg);
    hi = mtl_params_find(mtl_trainer_params(tr), "cls_head.weight");
    before = mtl_trainer_params(tr)->count ? tr->O.m[mtl_trainer_params(tr)->t[hi].offset] : 0.0f;
    CHECK(mtl_trainer_apply_epoch(tr, g, 1, &err) == MTL_OK, "%s", err.msg);
    mtl_trainer_memory(tr, &m1);
    hi = mtl_params_find(mtl_trainer_params(tr), "cls_head.weight");
    CHECK(hi >= 0 && tr->O.m[mtl_trainer_params(tr)->t[hi].offset] == before && before != 0.0f, "cls head moments lost in the re-layout");
    CHECK(mtl_trainer_find(tr, "ner_head.weight") >= 0 && mtl_trainer_grad(tr, mtl_trainer_find(tr, "ner_head.weight")) == NULL, "epoch 1: ner head frozen");
    CHECK(mtl_trainer_step(tr, &b, 1, &st, &err) == MTL_OK, "%s", err.msg);
    CHECK(mtl_trainer_apply_epoch(tr, g, 5, &err) == MTL_OK, "%s", err.msg);
    mtl_trainer_memory(tr, &m2);
    CHECK(mtl_trainer_step(tr, &b, 1, &st, &err) == MTL_OK, "%s", err.msg);
    printf("  info: gradual %s: trainable %zu -> %zu -> %zu, activation bytes %zu -> %zu -> %zu\n", g, m0.n_trainable, m1.n_trainable,
           m2.n_trainable, m0.activation_bytes, m1.activation_bytes, m2.activation_bytes);
    CHECK(m0.n_trainable < m1.n_trainable && m1.n_trainable < m2.n_trainable, "trainable counts grow");
    CHECK(mtl_trainer_apply_epoch(tr, "x:none", 0, &err) == MTL_ERR_ARG, "bad gradual spec rejected");
    mtl_trainer_free(tr);
    toy_free(&t);
}

/* ============================================================================ f) finite differences */
/* The whole trainer loss (heads + losses + backbone, dropout ON with a fixed RNG position) against a
   random-direction central difference: checks the training-mode dropout backward of every site. */
static double trainer_loss(mtl_trainer *tr, const mtl_batch *b, int grad) {
    mtl_step_stats st;
    mtl_error err;
    tr->rng_counter = 1234;   /* the same masks for every evaluation */
    if (grad) mtl_params_zero_grad(&tr->P);
    if (mtl__tr_run(tr, b, MTL_TASK_BOTH, 1.0f, grad, &st, &err)) return NAN;
    return (double)st.loss;
}
static void test_fd_training_mode(void) {
    static const char *const strat[] = {"none", "top:1", "none"};   /* the third: MLP heads, max pooling, smoothing, class weights */
    static const float cw[3] = {0.5f, 1.0f, 2.0f}, nw[9] = {1, 2, 1, 0.5f, 1, 1, 3, 1, 1};
    char md[900], why[300];
    mtl_trainer_config c;
    toy t;
    int s;
    if (!toy_make(&t, model_dir(md, sizeof md))) SKIP("no tokenizer / model in %s", md);
    overfit_config(&c);
    c.classifier_dropout = 0.1f; c.hidden_dropout = 0.1f; c.attn_dropout = 0.1f;
    for (s = 0; s < 3; s++) {
        mtl_trainer *tr;
        mtl_batch b = toy_batch(&t);
        if (s == 2) {
            c.cls_hidden = 16; c.ner_hidden = 8; c.head_act = MTL_ACT_RELU; c.head_dropout = 0.2f;
            c.pooling = MTL_HPOOL_MAX; c.label_smoothing = 0.1f; c.cls_class_weight = cw; c.ner_class_weight = nw;
        }
        tr = tiny_trainer(&c, why, sizeof why);
        mtl_params *P;
        float *r, *g;
        double nr = 0, gr = 0, lp, lm, fd, l_train, l_eval, h = 1e-2;
        size_t i;
        mtl_error err;
        mtl_step_stats st;
        if (!tr) { toy_free(&t); SKIP("%s", why); }
        mtl_trainer_freeze(tr, strat[s], &err);
        P = mtl_trainer_params(tr);
        r = (float *)malloc(P->n * sizeof(float));
        g = (float *)malloc(P->n * sizeof(float));
        for (i = 0; i < P->n; i++) r[i] = mtl__tr_normal(99, i);
        {   /* word-embedding rows that are not in the batch do not matter: leave them out */
            int wi = mtl_params_find(P, "embeddings.word_embeddings.weight");
            if (wi >= 0) {
                const size_t H = (size_t)P->t[wi].shape[1], V = (size_t)P->t[wi].shape[0];
                size_t row, q;
                for (row = 0; row < V; row++) {
                    int used = 0;
                    for (q = 0; q < (size_t)(b.B * b.L) && !used; q++) used = b.mask[q] && (size_t)b.ids[q] == row;
                    if (!used) memset(r + P->t[wi].offset + row * H, 0, H * sizeof(float));
                }
            }
        }
        for (i = 0; i < P->n; i++) nr += (double)r[i] * r[i];
        /* only the used word-embedding rows matter; normalise the direction */
        for (i = 0; i < P->n; i++) r[i] = (float)(r[i] / sqrt(nr));
        mtl_trainer_set_training(tr, 1);
        l_train = trainer_loss(tr, &b, 1);
        memcpy(g, P->grad, P->n * sizeof(float));
        for (i = 0; i < P->n; i++) gr += (double)g[i] * r[i];
        for (i = 0; i < P->n; i++) P->data[i] += (float)(h * r[i]);
        lp = trainer_loss(tr, &b, 0);
        for (i = 0; i < P->n; i++) P->data[i] -= (float)(2 * h * r[i]);
        lm = trainer_loss(tr, &b, 0);
        for (i = 0; i < P->n; i++) P->data[i] += (float)(h * r[i]);
        fd = (lp - lm) / (2 * h);
        mtl_trainer_eval(tr, &b, &st, &err);
        l_eval = st.loss;
        printf("  info: fd %-6s %s (dropout everywhere): directional derivative %.6g, autograd %.6g, rel err %.2g; loss train %.5f eval %.5f\n",
               strat[s], s == 2 ? "MLP heads, max pool, smoothing, class weights" : "linear heads, mean pool", fd, gr, fabs(fd - gr) / fabs(gr), l_train, l_eval);
        CHECK(fabs(fd - gr) <= 2e-2 * fabs(gr) + 1e-4, "%s: fd %g vs autograd %g", strat[s], fd, gr);
        CHECK(l_train != l_eval, "dropout had no effect");
        free(r);
        free(g);
        mtl_trainer_free(tr);
    }
    toy_free(&t);
}

/* ============================================================================ g) export -> blob */
/* Train a little, export as an HF BertForTokenClassification folder, convert it with
   build/weights_convert, load the blob with mtl_bert.h (what mtl-embed runs) and compare its last
   hidden states with the trainer's forward. */
static int copy_file(const char *src, const char *dst) {
    size_t n;
    char *b = mtl_t_read(src, &n);
    FILE *f;
    int ok;
    if (!b) return 0;
    f = fopen(dst, "wb");
    ok = f && fwrite(b, 1, n, f) == n;
    if (f) ok = (fclose(f) == 0) && ok;
    free(b);
    return ok;
}
static void test_export_to_blob(void) {
    static const char *const files[] = {"vocab.txt", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"};
    char md[900], why[300], dir[600], src[1200], dst[1200], blob[700], cmd[2000];
    mtl_trainer_config c;
    mtl_trainer *tr;
    mtl_model *m = NULL;
    mtl_ctx ctx;
    mtl_error err;
    mtl_step_stats st;
    toy t;
    mtl_batch b;
    int k, i, rows, H;
    double worst = 0;
    if (!mtl_t_exists("build/weights_convert")) SKIP("no build/weights_convert (run make)");
    if (!toy_make(&t, model_dir(md, sizeof md))) SKIP("no tokenizer / model in %s", md);
    overfit_config(&c);
    tr = tiny_trainer(&c, why, sizeof why);
    if (!tr) { toy_free(&t); SKIP("%s", why); }
    b = toy_batch(&t);
    H = mtl_trainer_get_config(tr)->bb.hidden_size;
    for (k = 0; k < 5; k++) CHECK(mtl_trainer_step(tr, &b, 1, &st, &err) == MTL_OK, "%s", err.msg);
    snprintf(dir, sizeof dir, "%s/mtl_test_export_%p", getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (void *)tr);
    mkdir(dir, 0700);
    CHECK(mtl_trainer_export_hf(tr, MTL_TASK_CLS, dir, &err) == MTL_ERR_UNSUPPORTED, "cls export must be refused");
    CHECK(mtl_trainer_export_hf(tr, MTL_TASK_NER, dir, &err) == MTL_OK, "%s", err.msg);
    for (i = 0; i < 4; i++) {
        snprintf(src, sizeof src, "%s/%s", md, files[i]);
        snprintf(dst, sizeof dst, "%s/%s", dir, files[i]);
        copy_file(src, dst);
    }
    snprintf(blob, sizeof blob, "%s.gguf", dir);
    snprintf(cmd, sizeof cmd, "build/weights_convert %s %s > /dev/null 2>&1", dir, blob);
    CHECK(system(cmd) == 0, "weights_convert failed on the exported folder: %s", cmd);
    if (mtl_model_load(blob, &m, &err)) { CHECK(0, "mtl_model_load: %s", err.msg); goto done; }
    CHECK(mtl_model_get_info(m)->head == MTL_HEAD_TOKEN, "the blob has no token head");
    mtl_ctx_init(&ctx, m, NULL);
    mtl_trainer_eval(tr, &b, &st, &err);
    rows = 0;
    for (i = 0; i < b.B; i++) {
        mtl_seq q;
        mtl_forward_out o;
        int n = 0, tt;
        float *tok;
        const float *h = mtl_trainer_hidden(tr, mtl_trainer_get_config(tr)->bb.n_layers);
        while (n < b.L && b.mask[i * b.L + n]) n++;
        tok = (float *)malloc((size_t)n * (size_t)H * sizeof(float));
        memset(&q, 0, sizeof q);
        memset(&o, 0, sizeof o);
        q.ids = b.ids + i * b.L;
        q.n = n;
        o.tokens = tok;
        if (mtl_forward(&ctx, &q, 1, NULL, &o, &err)) { CHECK(0, "mtl_forward: %s", err.msg); free(tok); break; }
        for (tt = 0; tt < n * H; tt++) {
            double d = fabs((double)tok[tt] - h[(size_t)i * (size_t)b.L * (size_t)H + (size_t)tt]);
            if (d > worst) worst = d;
        }
        rows++;
        free(tok);
    }
    printf("  info: export (5 steps of training) -> weights_convert -> mtl_bert.h: %d rows, last hidden state max |diff| %.3g vs the trainer\n", rows, worst);
    CHECK(rows == b.B && worst < 1e-4, "blob forward differs from the trainer by %g", worst);
    {   /* the exported HF folder loads back as a trainer: classifier.* -> the NER head */
        mtl_trainer_config c2 = *mtl_trainer_get_config(tr);
        mtl_trainer *t2;
        char *st2;
        size_t n2;
        int loaded = 0, same = 1;
        c2.hf_classifier = MTL_TASK_NER;
        snprintf(src, sizeof src, "%s/model.safetensors", dir);
        st2 = mtl_t_read(src, &n2);
        if (st2 && mtl_trainer_create(&t2, &c2, &err) == MTL_OK) {
            CHECK(mtl_trainer_load_safetensors(t2, st2, n2, &loaded, &err) == MTL_OK, "%s", err.msg);
            for (i = 0; i < mtl_trainer_n_tensors(tr); i++) {
                size_t ne = 0;
                const char *nm = mtl_trainer_tensor_info(tr, i, NULL, NULL, &ne, NULL);
                if (strncmp(nm, "cls_head.", 9) == 0) continue;
                if (memcmp(mtl_trainer_data(tr, i), mtl_trainer_data(t2, mtl_trainer_find(t2, nm)), ne * 4) != 0) same = 0;
            }
            CHECK(same && loaded == mtl_trainer_n_tensors(tr) - 2, "HF classifier checkpoint: %d tensors loaded, identical %d", loaded, same);
            mtl_trainer_free(t2);
        } else CHECK(0, "cannot reload the export");
        free(st2);
    }
    mtl_ctx_free(&ctx);
    mtl_model_free(m);
done:
    remove(blob);
    for (i = 0; i < 4; i++) { snprintf(dst, sizeof dst, "%s/%s", dir, files[i]); remove(dst); }
    snprintf(dst, sizeof dst, "%s/config.json", dir); remove(dst);
    snprintf(dst, sizeof dst, "%s/model.safetensors", dir); remove(dst);
    rmdir(dir);
    mtl_trainer_free(tr);
    toy_free(&t);
}

/* ============================================================================ h) checkpoints = blobs */
/* A checkpoint is the GGUF blob mtl_bert.h loads: train a little with the tokenizer attached, save
   it (atomically), load it with mtl_model_load and compare the last hidden states and the sentence
   embeddings with the trainer's forward; the stored heads and label maps are exposed; build/mtl-embed
   runs on it and prints the same embeddings; truncated checkpoints are refused cleanly. */
static const char *tmp_dir(void) { return getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp"; }
static int write_bytes(const char *path, const void *p, size_t n) {
    FILE *f = fopen(path, "wb");
    int ok = f && fwrite(p, 1, n, f) == n;
    if (f) ok = (fclose(f) == 0) && ok;
    return ok;
}
static void test_checkpoint_is_blob(void) {
    static const char *const cls_names[3] = {"negative", "neutral", "positive"};
    static const char *const ner_names[9] = {"O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"};
    char md[900], why[300], path[1000], cut[1100], cmd[3000], outp[1100];
    mtl_trainer_config c;
    mtl_trainer *tr, *r2;
    mtl_tokenizer *tok = NULL;
    mtl_model *m = NULL;
    mtl_ctx ctx;
    mtl_error err;
    mtl_step_stats st;
    toy t;
    mtl_batch b;
    int k, i, H, rows = 0;
    double worst = 0, worst_emb = 0;
    char *blob;
    size_t len;
    if (!toy_make(&t, model_dir(md, sizeof md))) SKIP("no tokenizer / model in %s", md);
    if (mtl_tokenizer_load_dir(md, NULL, &tok, &err)) { toy_free(&t); SKIP("tokenizer: %s", err.msg); }
    overfit_config(&c);
    c.tokenizer = tok;
    c.cls_labels = cls_names;
    c.ner_labels = ner_names;
    c.ner_hidden = 16;                       /* an MLP head, stored with its two layers */
    c.pooling = MTL_HPOOL_MEAN;
    tr = tiny_trainer(&c, why, sizeof why);
    r2 = tiny_trainer(&c, why, sizeof why);
    if (!tr || !r2) { mtl_trainer_free(tr); mtl_trainer_free(r2); mtl_tokenizer_free(tok); toy_free(&t); SKIP("%s", why); }
    b = toy_batch(&t);
    c.bb = mtl_trainer_get_config(tr)->bb;   /* sizes read from config.json by tiny_trainer */
    H = c.bb.hidden_size;
    CHECK(mtl_trainer_freeze(tr, "top:1", &err) == MTL_OK, "%s", err.msg);
    for (k = 0; k < 5; k++) CHECK(mtl_trainer_step(tr, &b, 1, &st, &err) == MTL_OK, "%s", err.msg);
    snprintf(path, sizeof path, "%s/mtl_test_ckpt_%p.gguf", tmp_dir(), (void *)tr);
    CHECK(mtl_trainer_save_file(tr, path, &err) == MTL_OK, "%s", err.msg);
    snprintf(cut, sizeof cut, "%s.tmp", path);
    CHECK(!mtl_t_exists(cut), "the temporary file is left behind");
    /* the trainer reads it back: same trainable set and values */
    CHECK(mtl_trainer_load_file(r2, path, &err) == MTL_OK, "%s", err.msg);
    CHECK(same_state(tr, r2), "checkpoint -> trainer: values differ");
    for (i = 0; i < mtl_trainer_n_tensors(tr); i++) {
        int fa = 0, fb = 0;
        mtl_trainer_tensor_info(tr, i, NULL, NULL, NULL, &fa);
        mtl_trainer_tensor_info(r2, i, NULL, NULL, NULL, &fb);
        CHECK(fa == fb, "trainable set differs at tensor %d", i);
    }
    /* mtl_model_load: the backbone, the embedding defaults, the heads and their labels */
    if (mtl_model_load(path, &m, &err)) { CHECK(0, "mtl_model_load of a checkpoint: %s", err.msg); goto done; }
    {
        const mtl_model_info *in = mtl_model_get_info(m);
        const mtl_head_info *hc = mtl_model_head(m, MTL_HEAD_SEQUENCE), *hn = mtl_model_head(m, MTL_HEAD_TOKEN);
        size_t ll = 0;
        const char *lab;
        CHECK(in->hidden_size == H && in->n_layers == c.bb.n_layers && in->pooling == MTL_POOL_MEAN && in->max_seq_length == c.max_len, "model info");
        CHECK(hc && hc->num_labels == 3 && hc->hidden == 0 && hc->pooling == MTL_POOL_MEAN && hc->w1 && hc->b1 && !hc->w2, "cls head");
        CHECK(hn && hn->num_labels == 9 && hn->hidden == 16 && hn->w1 && hn->b1 && hn->w2 && hn->b2 && hn->act == MTL_ACT_GELU, "ner head");
        lab = mtl_model_head_label(m, MTL_HEAD_TOKEN, 5, &ll);
        CHECK(lab && ll == 5 && memcmp(lab, "B-LOC", 5) == 0, "ner label 5");
        lab = mtl_model_head_label(m, MTL_HEAD_SEQUENCE, 2, &ll);
        CHECK(lab && ll == 8 && memcmp(lab, "positive", 8) == 0, "cls label 2");
        CHECK(mtl_model_head_label(m, MTL_HEAD_SEQUENCE, 3, &ll) == NULL, "label out of range");
        if (hc) CHECK(memcmp(hc->w1, mtl_trainer_data(tr, mtl_trainer_find(tr, "cls_head.weight")), (size_t)(3 * H) * 4) == 0, "cls head weights");
        if (hn) CHECK(memcmp(hn->w2, mtl_trainer_data(tr, mtl_trainer_find(tr, "ner_head.out_proj.weight")), (size_t)(9 * 16) * 4) == 0, "ner head weights");
    }
    mtl_ctx_init(&ctx, m, NULL);
    mtl_trainer_eval(tr, &b, &st, &err);
    for (i = 0; i < b.B; i++) {
        mtl_seq q;
        mtl_forward_out o;
        int n = 0, tt, d;
        float *tok_h = (float *)malloc((size_t)b.L * (size_t)H * sizeof(float)), *emb = (float *)malloc((size_t)H * sizeof(float));
        const float *h = mtl_trainer_hidden(tr, c.bb.n_layers);
        mtl_embed_options eo;
        memset(&eo, 0, sizeof eo);
        eo.pooling = MTL_POOL_MEAN;
        eo.normalize = -1;
        while (n < b.L && b.mask[i * b.L + n]) n++;
        memset(&q, 0, sizeof q);
        memset(&o, 0, sizeof o);
        q.ids = b.ids + i * b.L;
        q.n = n;
        o.tokens = tok_h;
        o.embeddings = emb;
        if (mtl_forward(&ctx, &q, 1, &eo, &o, &err)) { CHECK(0, "mtl_forward: %s", err.msg); free(tok_h); free(emb); break; }
        for (tt = 0; tt < n * H; tt++) {
            double df = fabs((double)tok_h[tt] - h[(size_t)i * (size_t)b.L * (size_t)H + (size_t)tt]);
            if (df > worst) worst = df;
        }
        for (d = 0; d < H; d++) {   /* mean pooling of the trainer's hidden states */
            double sum = 0, df;
            for (tt = 0; tt < n; tt++) sum += h[((size_t)i * (size_t)b.L + (size_t)tt) * (size_t)H + (size_t)d];
            df = fabs(sum / n - emb[d]);
            if (df > worst_emb) worst_emb = df;
        }
        rows++;
        free(tok_h);
        free(emb);
    }
    printf("  info: checkpoint (5 steps, top:1, MLP ner head) -> mtl_model_load: %d rows, hidden max |diff| %.3g, mean embedding %.3g vs the trainer\n", rows, worst, worst_emb);
    CHECK(rows == b.B && worst < 1e-4 && worst_emb < 1e-4, "checkpoint forward differs from the trainer by %g / %g", worst, worst_emb);
    /* build/mtl-embed on the checkpoint == mtl_embed in process */
    if (mtl_t_exists("build/mtl-embed")) {
        static const char *const text = "mary visited berlin and loved the food";
        float ref[1024];
        snprintf(outp, sizeof outp, "%s.out", path);
        snprintf(cmd, sizeof cmd, "echo '%s' | build/mtl-embed --model %s > %s 2>/dev/null", text, path, outp);
        CHECK(system(cmd) == 0, "mtl-embed failed on a checkpoint: %s", cmd);
        if (H <= 1024 && mtl_embed(&ctx, text, strlen(text), ref, &err) == MTL_OK) {
            char *o = mtl_t_read(outp, &len), *p = o, *e;
            int d, same = o != NULL;
            for (d = 0; d < H && same; d++) {
                double x = o ? strtod(p, &e) : 0;
                if (!o || e == p || fabs(x - ref[d]) > 1e-6 * (1 + fabs(ref[d]))) same = 0;
                p = e;
            }
            printf("  info: build/mtl-embed --model <checkpoint>: %s\n", same ? "same embedding as mtl_embed in process" : "DIFFERS");
            CHECK(same, "mtl-embed output differs from mtl_embed");
            free(o);
        } else CHECK(0, "mtl_embed: %s", err.msg);
        remove(outp);
    }
    mtl_ctx_free(&ctx);
    mtl_model_free(m);
    /* truncated / cut checkpoints: refused cleanly by both loaders, the trainer untouched */
    if ((blob = mtl_t_read(path, &len)) != NULL) {
        static const double frac[5] = {0.0, 0.001, 0.3, 0.5, 0.999};
        int f;
        for (f = 0; f < 5; f++) {
            size_t n = f == 0 ? 10 : (size_t)((double)len * frac[f]);
            mtl_model *m2 = NULL;
            if (f == 4) n = len - 1;
            snprintf(cut, sizeof cut, "%s.cut", path);
            CHECK(write_bytes(cut, blob, n), "write %s", cut);
            CHECK(mtl_trainer_load_file(r2, cut, &err) == MTL_ERR_FORMAT, "truncated checkpoint (%zu of %zu bytes) accepted by the trainer", n, len);
            CHECK(mtl_model_load(cut, &m2, &err) != MTL_OK && m2 == NULL, "truncated checkpoint (%zu of %zu bytes) accepted by mtl_model_load", n, len);
            mtl_model_free(m2);
        }
        remove(cut);
        CHECK(same_state(tr, r2), "a refused checkpoint changed the trainer");
        free(blob);
    }
done:
    remove(path);
    mtl_trainer_free(tr);
    mtl_trainer_free(r2);
    mtl_tokenizer_free(tok);
    toy_free(&t);
}

/* resume with other optimizers and heads: SGD + momentum (momentum buffers) and Adam with MLP heads */
/* mtl_trainer_init_weights (HF's _init_weights: a model from scratch) and mtl_trainer_save_model_file
   (the inference model: no training state, loads in mtl_model_load, refused by mtl_trainer_load). */
static void test_init_weights_and_model_file(void) {
    static const char *const cls_names[2] = {"neg", "pos"};
    char md[900], mpath[1100], spath[1100];
    mtl_trainer_config c;
    mtl_trainer *tr = NULL;
    mtl_tokenizer *tok = NULL;
    mtl_model *m = NULL;
    mtl_error err;
    int i, nd, shape[2], tr_flag, pad_zero = 1;
    size_t numel, k, msize = 0, ssize = 0;
    char *bytes;
    mtl_trainer_defaults(&c);
    if (!read_config(model_dir(md, sizeof md), &c.bb)) SKIP("no %s/config.json", md);
    if (mtl_tokenizer_load_dir(md, NULL, &tok, &err)) SKIP("tokenizer: %s", err.msg);
    c.bb.pad_token_id = 3;                 /* any row: it must be the zero one */
    c.n_cls = 2; c.n_ner = 3; c.ner_hidden = 8; c.max_batch = 2; c.max_len = 16;
    c.cls_labels = cls_names; c.tokenizer = tok;
    c.run_config = "{\"lr\": 0.001}";
    if (mtl_trainer_create(&tr, &c, &err)) { CHECK(0, "%s", err.msg); mtl_tokenizer_free(tok); return; }
    mtl_trainer_init_weights(tr, 11, 0.02f);
    for (i = 0; i < mtl_trainer_n_tensors(tr); i++) {
        const char *nm = mtl_trainer_tensor_info(tr, i, &nd, shape, &numel, &tr_flag);
        const float *d = mtl_trainer_data(tr, i);
        double sum = 0, sq = 0;
        int ones = 1, zeros = 1;
        for (k = 0; k < numel; k++) { sum += d[k]; sq += (double)d[k] * d[k]; ones &= d[k] == 1.0f; zeros &= d[k] == 0.0f; }
        if (strstr(nm, "LayerNorm.weight")) CHECK(ones, "%s: not all 1", nm);
        else if (nd == 1) CHECK(zeros, "%s: a bias not all 0", nm);
        else if (numel >= 2000) {
            const double mean = sum / (double)numel, sd = sqrt(sq / (double)numel - mean * mean);
            CHECK(fabs(mean) < 0.002 && fabs(sd - 0.02) < 0.002, "%s: mean %g std %g, not N(0, 0.02)", nm, mean, sd);
        }
        if (!strcmp(nm, "embeddings.word_embeddings.weight"))
            for (k = 0; k < (size_t)shape[1]; k++) pad_zero &= d[3 * (size_t)shape[1] + k] == 0.0f && d[4 * (size_t)shape[1] + k] != 0.0f;
    }
    CHECK(pad_zero, "the padding row (3) is not 0, or another row is");
    snprintf(mpath, sizeof mpath, "%s/mtl_test_model_%p.gguf", tmp_dir(), (void *)tr);
    snprintf(spath, sizeof spath, "%s/mtl_test_state_%p.gguf", tmp_dir(), (void *)tr);
    CHECK(mtl_trainer_save_model_file(tr, mpath, &err) == MTL_OK, "%s", err.msg);
    CHECK(mtl_trainer_save_file(tr, spath, &err) == MTL_OK, "%s", err.msg);
    free(mtl_t_read(spath, &ssize));
    bytes = mtl_t_read(mpath, &msize);
    CHECK(bytes && msize > 0 && 2 * msize < ssize, "the model file (%lu bytes) is not under half the AdamW state (%lu)", (unsigned long)msize, (unsigned long)ssize);
    if (bytes) {   /* the run's configuration is a string key; no training state */
        int cfg = 0, state = 0;
        for (k = 0; k + 20 < msize; k++) {
            cfg |= !memcmp(bytes + k, "mtl.train.config", 16);
            state |= !memcmp(bytes + k, "mtl.optim.", 10) || !memcmp(bytes + k, "mtl.train.step", 14);
            if (!memcmp(bytes + k, c.run_config, strlen(c.run_config))) cfg |= 2;
        }
        CHECK(cfg == 3 && !state, "keys: config %d, training state %d", cfg, state);
        free(bytes);
    }
    if (mtl_model_load(mpath, &m, &err)) CHECK(0, "mtl_model_load of the model file: %s", err.msg);
    else {
        const mtl_head_info *hn = mtl_model_head(m, MTL_HEAD_TOKEN);
        size_t ll = 0;
        const char *lab = mtl_model_head_label(m, MTL_HEAD_SEQUENCE, 1, &ll);
        CHECK(mtl_model_get_info(m)->vocab_size == c.bb.vocab_size && hn && hn->hidden == 8 && lab && ll == 3 && !memcmp(lab, "pos", 3), "model: sizes, heads, labels");
        mtl_model_free(m);
    }
    CHECK(mtl_trainer_load_file(tr, mpath, &err) != MTL_OK && strstr(err.msg, "not a resumable trainer state"), "the model file resumes: %s", err.msg);
    CHECK(mtl_trainer_load_file(tr, spath, &err) == MTL_OK, "the state file: %s", err.msg);
    remove(mpath);
    remove(spath);
    mtl_trainer_free(tr);
    mtl_tokenizer_free(tok);
}

static void test_resume_other_optimizers(void) {
    char md[900], why[300];
    int o;
    toy t;
    if (!toy_make(&t, model_dir(md, sizeof md))) SKIP("no tokenizer / model in %s", md);
    for (o = 0; o < 2; o++) {
        mtl_trainer_config c;
        mtl_trainer *a, *b, *r;
        mtl_error err;
        mtl_step_stats sa, sb;
        mtl_batch bt = toy_batch(&t);
        unsigned char *buf = NULL;
        size_t len = 0;
        int k;
        overfit_config(&c);
        c.classifier_dropout = c.hidden_dropout = c.attn_dropout = 0.1f;
        if (o == 0) { mtl_optim_defaults(&c.optim, MTL_OPTIM_SGD); c.optim.momentum = 0.9; c.optim.nesterov = 1; c.schedule.type = MTL_SCHED_COSINE; c.schedule.total_steps = 20; }
        else { mtl_optim_defaults(&c.optim, MTL_OPTIM_ADAM); c.cls_hidden = 8; c.ner_hidden = 12; c.head_act = MTL_ACT_RELU; c.head_dropout = 0.2f; c.pooling = MTL_HPOOL_MAX; }
        a = tiny_trainer(&c, why, sizeof why);
        b = tiny_trainer(&c, why, sizeof why);
        r = tiny_trainer(&c, why, sizeof why);
        if (!a || !b || !r) { mtl_trainer_free(a); mtl_trainer_free(b); mtl_trainer_free(r); toy_free(&t); SKIP("%s", why); }
        mtl_trainer_freeze(a, o ? "embeddings" : "top:2+head:cls", &err);
        mtl_trainer_freeze(b, o ? "embeddings" : "top:2+head:cls", &err);
        mtl_trainer_set_training(a, 1);
        mtl_trainer_set_training(b, 1);
        for (k = 0; k < 20; k++) CHECK(mtl_trainer_step(a, &bt, 1, &sa, &err) == MTL_OK, "%s", err.msg);
        for (k = 0; k < 10; k++) CHECK(mtl_trainer_step(b, &bt, 1, &sb, &err) == MTL_OK, "%s", err.msg);
        CHECK(mtl_trainer_save(b, &buf, &len, &err) == MTL_OK, "%s", err.msg);
        mtl_trainer_free(b);
        CHECK(mtl_trainer_load(r, buf, len, &err) == MTL_OK, "%s", err.msg);
        for (k = 0; k < 10; k++) CHECK(mtl_trainer_step(r, &bt, 1, &sb, &err) == MTL_OK, "%s", err.msg);
        printf("  info: resume %s: 20 straight vs 10 + save (%zu bytes) + load + 10: params %s, last loss %.7g vs %.7g\n",
               o ? "adam, MLP heads, max pool" : "sgd nesterov momentum, cosine", len, same_state(a, r) ? "bit-identical" : "DIFFER", sa.loss, sb.loss);
        CHECK(same_state(a, r) && sa.loss == sb.loss && sa.grad_norm == sb.grad_norm, "%s resume is not bit-identical", o ? "adam" : "sgd");
        {   /* without config.tokenizer a checkpoint only resumes: mtl_bert.h refuses it with a message */
            mtl_model *m = NULL;
            CHECK(mtl_model_from_memory(buf, len, &m, &err) == MTL_ERR_UNSUPPORTED && m == NULL && strstr(err.msg, "tokenizer"), "checkpoint without a tokenizer: %s", err.msg);
            mtl_model_free(m);
        }
        {   /* a checkpoint of another optimizer type is refused */
            mtl_trainer_config c2 = c;
            mtl_trainer *x;
            mtl_optim_defaults(&c2.optim, o ? MTL_OPTIM_ADAMW : MTL_OPTIM_ADAM);
            if ((x = tiny_trainer(&c2, why, sizeof why)) != NULL) {
                CHECK(mtl_trainer_load(x, buf, len, &err) == MTL_ERR_ARG, "another optimizer's checkpoint accepted");
                mtl_trainer_free(x);
            }
        }
        MTL_FREE(buf);
        mtl_trainer_free(a);
        mtl_trainer_free(r);
    }
    toy_free(&t);
}

/* ============================================================================ i) pooler pooling vs HF */
/* tests/golden/seqcls.txt + seqcls_classifier.safetensors (tools/gen_seqcls_golden.py, torch 1.13 +
   transformers 4.40.2): tiny-random-bert as HF BertForSequenceClassification (3 labels, eval mode).
   The trainer with pooling = MTL_HPOOL_POOLER loads the model and the HF classifier checkpoint
   (hf_classifier = MTL_TASK_CLS) and must give HF's logits, loss and gradients. */
static float *sq_read(FILE *f, const char *name, int *n) {
    char w[128];
    float *v;
    int i, cnt;
    rewind(f);
    for (;;) {
        int c;
        if (fscanf(f, "%127s", w) != 1) return NULL;
        if (w[0] == '#') { while ((c = fgetc(f)) != EOF && c != '\n') {} continue; }
        if (fscanf(f, "%d", &cnt) != 1 || cnt <= 0) return NULL;
        if (strcmp(w, name) == 0) break;
        while ((c = fgetc(f)) != EOF && c != '\n') {}
    }
    v = (float *)malloc((size_t)cnt * sizeof(float));
    for (i = 0; i < cnt; i++) if (fscanf(f, "%f", &v[i]) != 1) { free(v); return NULL; }
    *n = cnt;
    return v;
}
static void test_seqcls_vs_hf(void) {
    static const char *const gn[5][2] = {{"grad.classifier.weight", "cls_head.weight"}, {"grad.classifier.bias", "cls_head.bias"},
                                         {"grad.bert.pooler.dense.weight", "pooler.dense.weight"}, {"grad.bert.pooler.dense.bias", "pooler.dense.bias"},
                                         {"grad.bert.encoder.layer.1.output.dense.weight", "encoder.layer.1.output.dense.weight"}};
    char why[300];
    mtl_trainer_config c;
    mtl_trainer *tr;
    mtl_error err;
    mtl_step_stats st;
    mtl_batch b;
    FILE *f;
    float *shape, *fv, *logits, *loss, *g;
    int32_t *ids, *types, *mask, labels[16];
    char *cs;
    size_t cn;
    int n, i, k, B, L, C, loaded = 0, ok = 1;
    double dl = 0, dloss, worst_rel = 0;
    mtl_params *P;
    f = fopen("tests/golden/seqcls.txt", "r");
    cs = mtl_t_read("tests/golden/seqcls_classifier.safetensors", &cn);
    if (!f || !cs) { if (f) fclose(f); free(cs); SKIP("no tests/golden/seqcls.* (run from the repository root)"); }
    shape = sq_read(f, "shape", &n);
    CHECK(shape && n == 3, "shape");
    if (!shape) { fclose(f); free(cs); return; }
    B = (int)shape[0]; L = (int)shape[1]; C = (int)shape[2];
    free(shape);
    ids = (int32_t *)calloc((size_t)(B * L), 4); types = (int32_t *)calloc((size_t)(B * L), 4); mask = (int32_t *)calloc((size_t)(B * L), 4);
    {
        static const char *const nm[4] = {"ids", "types", "mask", "labels"};
        int32_t *dst[4];
        dst[0] = ids; dst[1] = types; dst[2] = mask; dst[3] = labels;
        for (k = 0; k < 4; k++) {
            fv = sq_read(f, nm[k], &n);
            CHECK(fv && n == (k == 3 ? B : B * L) && B <= 16, "%s", nm[k]);
            if (fv && n == (k == 3 ? B : B * L) && B <= 16) for (i = 0; i < n; i++) dst[k][i] = (int32_t)fv[i];
            free(fv);
        }
    }
    mtl_trainer_defaults(&c);
    c.n_cls = C; c.max_batch = B; c.max_len = L;
    c.pooling = MTL_HPOOL_POOLER;
    c.hf_classifier = MTL_TASK_CLS;
    tr = tiny_trainer(&c, why, sizeof why);
    if (!tr) { fclose(f); free(cs); free(ids); free(types); free(mask); SKIP("%s", why); }
    CHECK(mtl_trainer_load_safetensors(tr, cs, cn, &loaded, &err) == MTL_OK && loaded == 2, "classifier checkpoint: %d loaded (%s)", loaded, err.msg);
    free(cs);
    {   /* the pooler trains, in the heads' groups: weight decay on the weight, none on the bias */
        const mtl_params *Q = mtl_trainer_params(tr);
        int w = mtl_params_find(Q, "pooler.dense.weight"), bb = mtl_params_find(Q, "pooler.dense.bias");
        CHECK(w >= 0 && bb >= 0, "pooler not trainable under pooler pooling");
        if (w >= 0 && bb >= 0) {
            const mtl_param_group *gw = &Q->groups[Q->t[w].group], *gb = &Q->groups[Q->t[bb].group];
            CHECK(strcmp(gw->name, "heads.decay") == 0 && gw->weight_decay == 0.01, "pooler weight group %s wd %g", gw->name, gw->weight_decay);
            CHECK(strcmp(gb->name, "heads.no_decay") == 0 && gb->weight_decay == 0.0, "pooler bias group %s wd %g", gb->name, gb->weight_decay);
        }
    }
    memset(&b, 0, sizeof b);
    b.B = B; b.L = L; b.ids = ids; b.types = types; b.mask = mask; b.cls_labels = labels;
    P = mtl_trainer_params(tr);
    mtl_params_zero_grad(P);
    CHECK(mtl_trainer_accumulate(tr, &b, MTL_TASK_CLS, 1.0f, &st, &err) == MTL_OK, "%s", err.msg);
    logits = sq_read(f, "logits", &n);
    CHECK(logits && n == B * C, "logits");
    if (logits && n == B * C)
        for (i = 0; i < n; i++) { double d = fabs((double)mtl_trainer_cls_logits(tr)[i] - logits[i]); if (d > dl) dl = d; }
    loss = sq_read(f, "loss", &n);
    dloss = loss ? fabs((double)st.loss_cls - loss[0]) : 1e9;
    printf("  info: pooler pooling vs HF BertForSequenceClassification (tiny-random-bert, B %d, L %d): logits max|d| %.3g, loss %.7f vs %.7f (|d| %.3g)\n",
           B, L, dl, st.loss_cls, loss ? loss[0] : 0.0f, dloss);
    CHECK(dl <= 1e-4, "logits differ by %g", dl);
    CHECK(dloss <= 1e-5, "loss differs by %g", dloss);
    for (k = 0; k < 5; k++) {
        int ti = mtl_trainer_find(tr, gn[k][1]);
        const float *cg = mtl_trainer_grad(tr, ti);
        double worst = 0, wrel = 0;
        g = sq_read(f, gn[k][0], &n);
        ok = g && cg && (size_t)n == P->t[mtl_params_find(P, gn[k][1])].numel;
        CHECK(ok, "%s: missing", gn[k][0]);
        if (ok)
            for (i = 0; i < n; i++) {
                const double d = fabs((double)cg[i] - g[i]), lim = 1e-5 + 1e-3 * fabs(g[i]);
                if (d > worst) worst = d;
                if (d / lim > wrel) wrel = d / lim;
            }
        printf("  info:   %-45s max|d| %.3g  (max |d| / (1e-5 + 1e-3|g|) = %.3g)\n", gn[k][0], worst, wrel);
        CHECK(ok && wrel <= 1.0, "%s: max|d| %g", gn[k][0], worst);
        if (wrel > worst_rel) worst_rel = wrel;
        free(g);
    }
    free(logits); free(loss);
    {   /* the cls head now exports as BertForSequenceClassification */
        char dir[600], p2[700];
        snprintf(dir, sizeof dir, "%s/mtl_test_seqcls_%p", getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (void *)tr);
        mkdir(dir, 0700);
        CHECK(mtl_trainer_export_hf(tr, MTL_TASK_CLS, dir, &err) == MTL_OK, "cls export with pooler pooling: %s", err.msg);
        snprintf(p2, sizeof p2, "%s/model.safetensors", dir);
        {   /* ... and the export reloads with the same logits */
            size_t en;
            char *es = mtl_t_read(p2, &en);
            mtl_trainer *t2 = NULL;
            mtl_step_stats s2;
            double d2 = 0;
            if (es && mtl_trainer_create(&t2, mtl_trainer_get_config(tr), &err) == MTL_OK && mtl_trainer_load_safetensors(t2, es, en, &loaded, &err) == MTL_OK &&
                mtl_trainer_eval(t2, &b, &s2, &err) == MTL_OK && mtl_trainer_eval(tr, &b, &st, &err) == MTL_OK) {
                for (i = 0; i < B * C; i++) { double d = fabs((double)mtl_trainer_cls_logits(t2)[i] - mtl_trainer_cls_logits(tr)[i]); if (d > d2) d2 = d; }
                CHECK(d2 == 0.0 && loaded == mtl_trainer_n_tensors(tr), "exported BertForSequenceClassification: logits differ by %g, %d loaded", d2, loaded);
            } else CHECK(0, "cannot reload the export: %s", err.msg);
            mtl_trainer_free(t2);
            free(es);
        }
        remove(p2);
        snprintf(p2, sizeof p2, "%s/config.json", dir); remove(p2);
        rmdir(dir);
    }
    fclose(f);
    free(ids); free(types); free(mask);
    mtl_trainer_free(tr);
}

/* Pooler pooling: finite differences of the training-mode loss (dropout everywhere) along a random
   direction in the pooler only, and along one in every trainable tensor; the pooler's optimizer state
   survives a checkpoint (save + load + steps == straight steps, bit for bit); head:cls freezes it. */
static void test_fd_pooler_pooling(void) {
    char md[900], why[300];
    mtl_trainer_config c;
    mtl_trainer *tr, *a, *r;
    mtl_error err;
    mtl_step_stats st;
    toy t;
    mtl_batch b;
    mtl_params *P;
    float *dir, *g;
    int pass, k;
    unsigned char *buf = NULL;
    size_t len = 0;
    if (!toy_make(&t, model_dir(md, sizeof md))) SKIP("no tokenizer / model in %s", md);
    overfit_config(&c);
    c.pooling = MTL_HPOOL_POOLER;
    c.classifier_dropout = c.hidden_dropout = c.attn_dropout = 0.1f;
    b = toy_batch(&t);
    tr = tiny_trainer(&c, why, sizeof why);
    if (!tr) { toy_free(&t); SKIP("%s", why); }
    mtl_trainer_set_training(tr, 1);
    P = mtl_trainer_params(tr);
    dir = (float *)calloc(P->n, sizeof(float));
    g = (float *)malloc(P->n * sizeof(float));
    for (pass = 0; pass < 2; pass++) {
        double nr = 0, gr = 0, lp, lm, fd, h = 1e-2;
        size_t i;
        memset(dir, 0, P->n * sizeof(float));
        for (k = 0; k < P->count; k++) {
            const int pool = strncmp(P->t[k].name, "pooler.", 7) == 0;
            if (pass == 0 && !pool) continue;
            if (strcmp(P->t[k].name, "embeddings.word_embeddings.weight") == 0) continue;   /* unused rows do not matter */
            for (i = 0; i < P->t[k].numel; i++) dir[P->t[k].offset + i] = mtl__tr_normal(555 + (uint64_t)pass, P->t[k].offset + i);
        }
        for (i = 0; i < P->n; i++) nr += (double)dir[i] * dir[i];
        for (i = 0; i < P->n; i++) dir[i] = (float)(dir[i] / sqrt(nr));
        trainer_loss(tr, &b, 1);
        memcpy(g, P->grad, P->n * sizeof(float));
        for (i = 0; i < P->n; i++) gr += (double)g[i] * dir[i];
        for (i = 0; i < P->n; i++) P->data[i] += (float)(h * dir[i]);
        lp = trainer_loss(tr, &b, 0);
        for (i = 0; i < P->n; i++) P->data[i] -= (float)(2 * h * dir[i]);
        lm = trainer_loss(tr, &b, 0);
        for (i = 0; i < P->n; i++) P->data[i] += (float)(h * dir[i]);
        fd = (lp - lm) / (2 * h);
        printf("  info: fd pooler pooling, direction in %s (dropout everywhere): fd %.6g, autograd %.6g, rel err %.2g\n",
               pass ? "every tensor" : "the pooler only", fd, gr, fabs(fd - gr) / fabs(gr));
        CHECK(fabs(gr) > 1e-3, "pooler gradient is ~0 (%g)", gr);
        CHECK(fabs(fd - gr) <= 2e-2 * fabs(gr) + 1e-4, "pooler pooling: fd %g vs autograd %g", fd, gr);
    }
    free(dir); free(g);
    /* head:cls freezes the pooler with the head; "none" makes it trainable again */
    CHECK(mtl_trainer_freeze(tr, "head:cls", &err) == MTL_OK && mtl_params_find(mtl_trainer_params(tr), "pooler.dense.weight") < 0, "head:cls: pooler still trainable");
    CHECK(mtl_trainer_freeze(tr, "backbone", &err) == MTL_OK && mtl_params_find(mtl_trainer_params(tr), "pooler.dense.bias") >= 0, "backbone: pooler frozen");
    mtl_trainer_free(tr);
    /* resume: 4 steps == 2 + save/load + 2, bit for bit (the pooler's AdamW moments are in the checkpoint) */
    c.lr_rule.weight_decay = 0.01;
    a = tiny_trainer(&c, why, sizeof why);
    tr = tiny_trainer(&c, why, sizeof why);
    r = tiny_trainer(&c, why, sizeof why);
    if (a && tr && r) {
        const int pw = mtl_trainer_find(a, "pooler.dense.weight");
        const size_t HH = (size_t)mtl_trainer_get_config(a)->bb.hidden_size * (size_t)mtl_trainer_get_config(a)->bb.hidden_size;
        float *before = (float *)malloc(HH * sizeof(float));
        memcpy(before, mtl_trainer_data(a, pw), HH * sizeof(float));
        mtl_trainer_set_training(a, 1); mtl_trainer_set_training(tr, 1);
        for (k = 0; k < 4; k++) CHECK(mtl_trainer_step(a, &b, 1, &st, &err) == MTL_OK, "%s", err.msg);
        for (k = 0; k < 2; k++) CHECK(mtl_trainer_step(tr, &b, 1, &st, &err) == MTL_OK, "%s", err.msg);
        CHECK(mtl_trainer_save(tr, &buf, &len, &err) == MTL_OK, "%s", err.msg);
        CHECK(mtl_trainer_load(r, buf, len, &err) == MTL_OK, "%s", err.msg);
        for (k = 0; k < 2; k++) CHECK(mtl_trainer_step(r, &b, 1, &st, &err) == MTL_OK, "%s", err.msg);
        CHECK(HH > 0 && memcmp(before, mtl_trainer_data(a, pw), HH * sizeof(float)) != 0, "the pooler did not train");
        CHECK(same_state(a, r), "pooler pooling: 2 + save/load + 2 steps differ from 4 straight steps");
        printf("  info: pooler pooling resume (checkpoint %zu bytes): %s\n", len, same_state(a, r) ? "bit-identical" : "DIFFER");
        free(before);
    } else CHECK(0, "%s", why);
    MTL_FREE(buf);
    mtl_trainer_free(a); mtl_trainer_free(tr); mtl_trainer_free(r);
    toy_free(&t);
}

int main(void) {
    RUN(test_golden);
    RUN(test_golden_alt);
    RUN(test_param_counts_bert_base);
    RUN(test_memory_table_minilm);
    RUN(test_plan_matches_allocation);
    RUN(test_mt_schedules);
    RUN(test_routing_and_accumulation);
    RUN(test_padding_not_read);
    RUN(test_gradual_unfreezing);
    RUN(test_fd_training_mode);
    RUN(test_resume_bit_identical);
    RUN(test_overfit_200);
    RUN(test_export_to_blob);
    RUN(test_checkpoint_is_blob);
    RUN(test_resume_other_optimizers);
    RUN(test_init_weights_and_model_file);
    RUN(test_seqcls_vs_hf);
    RUN(test_fd_pooler_pooling);
    TEST_MAIN_END();
}
