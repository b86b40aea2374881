/* golden_runner.h - the golden-fixture runner behind build/mtl-golden (issue #4 item 8), shared by
   examples/golden.c and tests/test_trainer.c. Not a library header: it prints (to the FILE* it is
   given) and uses POSIX opendir.

   mtl_golden_run(model_dir, fixtures_dir, out) runs every fixture of the folder: each *.json with a
   meta.spec, dispatched on meta.spec.kind (forward, multitask, train). Everything comes from the
   files: sizes from the model's config.json (checked against spec.model.config), weights from
   spec.model.files (F32 / F16 safetensors), the batch, labels, heads, loss weights, optimizer,
   groups (lr, weight decay, members), schedule, clipping, trainable set and tolerances from
   meta.spec and the .bin arrays. One line per fixture:
       PASS|FAIL <name> (<kind>): worst <err>/<tol> [<metric> <err>/<tol> ...]
   Returns the number of failed fixtures (a folder without fixtures counts as one failure).
   stb-style: #define MTL_GOLDEN_IMPLEMENTATION in one file (it brings mtl_bert.h's implementation). */
#ifndef MTL_GOLDEN_H
#define MTL_GOLDEN_H

#include <stdio.h>
#include "../mtl_bert.h"

#ifdef __cplusplus
extern "C" {
#endif
/* Runs every fixture of fixtures_dir against the model in model_dir; prints one line per fixture to
   out; *n_run (may be NULL) = fixtures run. Returns the number of failed fixtures. */
MTLDEF int mtl_golden_run(const char *model_dir, const char *fixtures_dir, FILE *out, int *n_run);
#ifdef __cplusplus
}
#endif
#endif /* MTL_GOLDEN_H */

#ifdef MTL_GOLDEN_IMPLEMENTATION
#ifndef MTL_GOLDEN_IMPLEMENTATION_DONE
#define MTL_GOLDEN_IMPLEMENTATION_DONE

#ifndef MTL_BERT_IMPLEMENTATION
#define MTL_BERT_IMPLEMENTATION
#endif
#include "../mtl_bert.h"

#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <dirent.h>

/* ---------------------------------------------------------------------------------------------- */
/* Fixture files                                                                                  */
/* ---------------------------------------------------------------------------------------------- */
typedef struct mtg_arr { char name[192], dtype[8]; long off, numel; int ndim; long shape[8]; } mtg_arr;
typedef struct mtg_fx {
    char name[128];
    char *bin, *json;
    size_t bin_len, json_len;
    mtg_arr *a;
    int n;
    mtl__json j;
    int meta, spec;
} mtg_fx;

static char *mtg_read(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    char *b;
    long n;
    if (!f) return NULL;
    if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) { fclose(f); return NULL; }
    b = (char *)malloc((size_t)n + 1);
    if (b && fread(b, 1, (size_t)n, f) != (size_t)n) { free(b); b = NULL; }
    fclose(f);
    if (b) { b[n] = 0; if (len) *len = (size_t)n; }
    return b;
}

static void mtg_fx_free(mtg_fx *f) {
    free(f->bin); free(f->json); free(f->a);
    mtl__json_free(&f->j);
    memset(f, 0, sizeof *f);
}

/* NULL on success, else why */
static const char *mtg_fx_load(mtg_fx *f, const char *dir, const char *name) {
    char path[2048];
    FILE *fp;
    int cap = 0, i;
    memset(f, 0, sizeof *f);
    f->meta = f->spec = -1;
    snprintf(f->name, sizeof f->name, "%s", name);
    snprintf(path, sizeof path, "%s/%s.idx", dir, name);
    if (!(fp = fopen(path, "r"))) return "cannot open the .idx";
    for (;;) {
        mtg_arr x;
        int k;
        memset(&x, 0, sizeof x);
        if (fscanf(fp, "%191s %7s %ld %d", x.name, x.dtype, &x.off, &x.ndim) != 4) break;
        if (x.ndim < 1 || x.ndim > 8) { fclose(fp); return "bad .idx line"; }
        x.numel = 1;
        for (k = 0; k < x.ndim; k++) {
            if (fscanf(fp, "%ld", &x.shape[k]) != 1) { fclose(fp); return "bad .idx line"; }
            x.numel *= x.shape[k];
        }
        if (f->n == cap) {
            mtg_arr *na;
            cap = cap ? 2 * cap : 64;
            na = (mtg_arr *)realloc(f->a, (size_t)cap * sizeof *na);
            if (!na) { fclose(fp); return "out of memory"; }
            f->a = na;
        }
        f->a[f->n++] = x;
    }
    fclose(fp);
    snprintf(path, sizeof path, "%s/%s.bin", dir, name);
    if (!(f->bin = mtg_read(path, &f->bin_len))) return "cannot read the .bin";
    for (i = 0; i < f->n; i++)
        if (f->a[i].off < 0 || f->a[i].off % 4 || (size_t)f->a[i].off + 4 * (size_t)f->a[i].numel > f->bin_len) return "an array is outside the .bin";
    snprintf(path, sizeof path, "%s/%s.json", dir, name);
    if (!(f->json = mtg_read(path, &f->json_len))) return "cannot read the .json";
    if (mtl__json_parse(&f->j, f->json, f->json_len) != 0) return "bad JSON";
    f->meta = mtl__json_get(&f->j, 0, "meta");
    f->spec = mtl__json_get(&f->j, f->meta, "spec");
    if (f->spec < 0) return "no meta.spec";
    return NULL;
}

static const mtg_arr *mtg_find(const mtg_fx *f, const char *name) {
    int i;
    for (i = 0; i < f->n; i++) if (strcmp(f->a[i].name, name) == 0) return &f->a[i];
    return NULL;
}
static const float *mtg_f32(const mtg_fx *f, const char *name, long numel) {
    const mtg_arr *a = mtg_find(f, name);
    if (!a || strcmp(a->dtype, "f32") != 0 || (numel >= 0 && a->numel != numel)) return NULL;
    return (const float *)(const void *)(f->bin + a->off);
}
static const int32_t *mtg_i32(const mtg_fx *f, const char *name, long numel) {
    const mtg_arr *a = mtg_find(f, name);
    if (!a || strcmp(a->dtype, "i32") != 0 || (numel >= 0 && a->numel != numel)) return NULL;
    return (const int32_t *)(const void *)(f->bin + a->off);
}

/* JSON helpers: dot-separated key paths */
static int mtg_jp(const mtl__json *j, int node, const char *path) {
    char key[128];
    while (node >= 0 && *path) {
        size_t l = strcspn(path, ".");
        if (l >= sizeof key) return -1;
        memcpy(key, path, l);
        key[l] = 0;
        node = mtl__json_get(j, node, key);
        path += l;
        if (*path == '.') path++;
    }
    return node;
}
static double mtg_num(const mtl__json *j, int node, const char *path, double dflt) {
    double d;
    return mtl__json_number(j, mtg_jp(j, node, path), &d) ? d : dflt;
}
static long mtg_long(const mtl__json *j, int node, const char *path, long dflt) {
    long v;
    return mtl__json_int(j, mtg_jp(j, node, path), -0x7FFFFFFFL, 0x7FFFFFFFL, &v) ? v : dflt;
}
static int mtg_str(const mtl__json *j, int node, char *buf, size_t cap) {
    size_t n = 0;
    buf[0] = 0;
    if (mtl__json_type(j, node) != MTL__J_STR) return 0;
    n = mtl__json_unescape(j, node, buf, cap - 1);
    if (n == (size_t)-1) { buf[0] = 0; return 0; }
    buf[n] = 0;
    return 1;
}
static int mtg_at(const mtl__json *j, int arr, int i) {
    int c;
    if (mtl__json_type(j, arr) != MTL__J_ARR) return -1;
    for (c = j->nodes[arr].child; c >= 0 && i > 0; c = j->nodes[c].next) i--;
    return c;
}
static int mtg_count(const mtl__json *j, int arr) { return mtl__json_type(j, arr) == MTL__J_ARR ? j->nodes[arr].count : 0; }

/* ---------------------------------------------------------------------------------------------- */
/* Metrics of one fixture                                                                         */
/* ---------------------------------------------------------------------------------------------- */
#define MTG_MAX_METRICS 24
typedef struct mtg_report {
    char name[MTG_MAX_METRICS][40];
    double err[MTG_MAX_METRICS], tol[MTG_MAX_METRICS];
    long bad[MTG_MAX_METRICS];
    int n;
    char why[256];               /* a fatal problem (missing array, setup error) */
} mtg_report;

static int mtg_metric(mtg_report *r, const char *name, double tol) {
    int i;
    for (i = 0; i < r->n; i++) if (strcmp(r->name[i], name) == 0) return i;
    if (r->n == MTG_MAX_METRICS) return r->n - 1;
    snprintf(r->name[r->n], sizeof r->name[r->n], "%s", name);
    r->err[r->n] = 0;
    r->tol[r->n] = tol;
    r->bad[r->n] = 0;
    return r->n++;
}
/* |c - g| <= atol + rtol |g|; records the worst |c - g| */
static void mtg_cmp(mtg_report *r, const char *metric, const float *c, const float *g, size_t n, double atol, double rtol) {
    int m = mtg_metric(r, metric, atol);
    size_t i;
    for (i = 0; i < n; i++) {
        double d = fabs((double)c[i] - (double)g[i]);
        if (!(d <= atol + rtol * fabs((double)g[i]))) r->bad[m]++;
        if (d > r->err[m] || d != d) r->err[m] = d;
    }
}
static void mtg_val(mtg_report *r, const char *metric, double c, double g, double tol) {
    float a = (float)c, b = (float)g;
    mtg_cmp(r, metric, &a, &b, 1, tol, 0);
}
/* only rows t with mask[b,t] != 0 of [B,L,D] arrays */
static void mtg_cmp_masked(mtg_report *r, const char *metric, const float *c, const float *g, const int32_t *mask, int B, int L,
                           int D, double atol) {
    int b, t;
    for (b = 0; b < B; b++)
        for (t = 0; t < L; t++) {
            size_t o = ((size_t)b * (size_t)L + (size_t)t) * (size_t)D;
            if (!mask || mask[(size_t)b * (size_t)L + (size_t)t]) mtg_cmp(r, metric, c + o, g + o, (size_t)D, atol, 0);
        }
}
static void mtg_fail(mtg_report *r, const char *why) {
    if (!r->why[0]) snprintf(r->why, sizeof r->why, "%s", why);
}

/* ---------------------------------------------------------------------------------------------- */
/* Model and trainer set-up from the spec                                                         */
/* ---------------------------------------------------------------------------------------------- */
typedef struct mtg_tols { double fwd, loss, gatol, grtol, kbg, traj, fparam, kbp; } mtg_tols;
static mtg_tols mtg_tolerances(const mtg_fx *f) {
    mtg_tols t;
    const mtl__json *j = &f->j;
    int n = mtg_jp(j, f->spec, "tolerances");
    t.fwd = mtg_num(j, n, "forward_atol", 1e-4);
    t.loss = mtg_num(j, n, "loss_atol", 1e-5);
    t.gatol = mtg_num(j, n, "grad_atol", 1e-5);
    t.grtol = mtg_num(j, n, "grad_rtol", 1e-3);
    t.kbg = mtg_num(j, n, "key_bias_grad_atol", 1e-6);
    t.traj = mtg_num(j, n, "trajectory_atol", 1e-4);
    t.fparam = mtg_num(j, n, "final_param_atol", 1e-4);
    t.kbp = mtg_num(j, n, "key_bias_final_param_atol", 2e-3);
    return t;
}

static int mtg_is_key_bias(const char *name) {
    size_t l = strlen(name);
    return l >= 23 && strcmp(name + l - 23, "attention.self.key.bias") == 0;
}

/* config.json of the model dir -> backbone config; checks spec.model.config agrees. NULL on success. */
static const char *mtg_model_config(const char *model_dir, const mtg_fx *f, mtl_backbone_config *bb) {
    char path[2048], file[256];
    char *s;
    size_t n = 0;
    mtl__json j;
    const mtl__json *fj = &f->j;
    int mc = mtg_jp(fj, f->spec, "model.config");
    double eps;
    static const char *const keys[7] = {"vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads",
                                        "intermediate_size", "max_position_embeddings", "type_vocab_size"};
    int *dst[7], k;
    mtg_str(fj, mtg_jp(fj, f->spec, "model.files.config"), file, sizeof file);
    if (!file[0]) memcpy(file, "config.json", 12);
    snprintf(path, sizeof path, "%s/%s", model_dir, file);
    if (!(s = mtg_read(path, &n))) return "cannot read the model's config.json";
    if (mtl__json_parse(&j, s, n) != 0) { mtl__json_free(&j); free(s); return "config.json: bad JSON"; }
    memset(bb, 0, sizeof *bb);
    dst[0] = &bb->vocab_size; dst[1] = &bb->hidden_size; dst[2] = &bb->n_layers; dst[3] = &bb->n_heads;
    dst[4] = &bb->intermediate_size; dst[5] = &bb->max_position; dst[6] = &bb->type_vocab_size;
    for (k = 0; k < 7; k++) {
        long v = mtg_long(&j, 0, keys[k], k == 6 ? 2 : -1);
        *dst[k] = (int)v;
        if (v <= 0) { mtl__json_free(&j); free(s); return "config.json: a size is missing"; }
        if (mc >= 0 && mtg_long(fj, mc, keys[k], v) != v) { mtl__json_free(&j); free(s); return "spec.model.config differs from the model dir's config.json"; }
    }
    bb->pad_token_id = (int)mtg_long(&j, 0, "pad_token_id", 0);
    eps = mtg_num(&j, 0, "layer_norm_eps", 1e-12);
    bb->layer_norm_eps = (float)eps;
    if (mtl__json_get(&j, 0, "hidden_act") >= 0 && !mtl__json_streq(&j, mtl__json_get(&j, 0, "hidden_act"), "gelu")) {
        mtl__json_free(&j); free(s); return "config.json: hidden_act is not gelu (exact erf)";
    }
    if (mtl__json_get(&j, 0, "position_embedding_type") >= 0 && !mtl__json_streq(&j, mtl__json_get(&j, 0, "position_embedding_type"), "absolute")) {
        mtl__json_free(&j); free(s); return "config.json: position_embedding_type is not absolute";
    }
    mtl__json_free(&j);
    free(s);
    return NULL;
}

static const char *mtg_load_weights(mtl_trainer *tr, const char *model_dir, const mtg_fx *f, const char *key, const char *dflt) {
    char path[2048], file[256];
    char *s;
    size_t n = 0;
    mtl_error err;
    int loaded;
    static char why[400];
    mtg_str(&f->j, mtg_jp(&f->j, f->spec, key), file, sizeof file);
    if (!file[0]) snprintf(file, sizeof file, "%s", dflt);
    snprintf(path, sizeof path, "%s/%s", model_dir, file);
    if (!(s = mtg_read(path, &n))) { snprintf(why, sizeof why, "cannot read %.250s", path); return why; }
    if (mtl_trainer_load_safetensors(tr, s, n, &loaded, &err)) { free(s); snprintf(why, sizeof why, "%.40s: %.250s", file, err.msg); return why; }
    free(s);
    if (loaded < mtl_backbone_n_tensors(&mtl_trainer_get_config(tr)->bb)) { snprintf(why, sizeof why, "%.200s: only %d tensors loaded", file, loaded); return why; }
    return NULL;
}

/* The trainer of a multitask / train spec (heads, loss, optimizer, schedule, clip). */
static const char *mtg_trainer(mtl_trainer **out, const char *model_dir, const mtg_fx *f, int heads) {
    const mtl__json *j = &f->j;
    mtl_trainer_config c;
    mtl_error err;
    char s[128];
    const char *why;
    int i;
    static char msg[300];
    *out = NULL;
    mtl_trainer_defaults(&c);
    if ((why = mtg_model_config(model_dir, f, &c.bb)) != NULL) return why;
    c.with_pooler = 1;
    c.max_batch = (int)mtg_long(j, f->spec, "batch.size", -1);
    c.max_len = (int)mtg_long(j, f->spec, "batch.max_len", -1);
    if (c.max_batch <= 0 || c.max_len <= 0) return "spec.batch: size / max_len missing";
    if (heads) {
        c.n_cls = (int)mtg_long(j, f->spec, "heads.cls.out", -1);
        c.n_ner = (int)mtg_long(j, f->spec, "heads.ner.out", -1);
        if (c.n_cls <= 0 || c.n_ner <= 0) return "spec.heads: out sizes missing";
        if (mtg_long(j, f->spec, "heads.cls.in_dim", c.bb.hidden_size) != c.bb.hidden_size ||
            mtg_long(j, f->spec, "heads.ner.in_dim", c.bb.hidden_size) != c.bb.hidden_size) return "spec.heads: in_dim is not the hidden size";
        mtg_str(j, mtg_jp(j, f->spec, "heads.cls.param_prefix"), c.cls_prefix, sizeof c.cls_prefix);
        mtg_str(j, mtg_jp(j, f->spec, "heads.ner.param_prefix"), c.ner_prefix, sizeof c.ner_prefix);
        if (!c.cls_prefix[0]) memcpy(c.cls_prefix, "cls_head", 9);
        if (!c.ner_prefix[0]) memcpy(c.ner_prefix, "ner_head", 9);
        mtg_str(j, mtg_jp(j, f->spec, "heads.pooling"), s, sizeof s);
        if (!s[0] || !strcmp(s, "mean")) c.pooling = MTL_HPOOL_MEAN;
        else if (!strcmp(s, "cls")) c.pooling = MTL_HPOOL_CLS;
        else if (!strcmp(s, "max")) c.pooling = MTL_HPOOL_MAX;
        else { snprintf(msg, sizeof msg, "spec.heads.pooling '%s' not supported", s); return msg; }
        c.cls_weight = mtg_num(j, f->spec, "loss.cls_weight", NAN);
        c.ner_weight = mtg_num(j, f->spec, "loss.ner_weight", NAN);
        if (c.cls_weight != c.cls_weight || c.ner_weight != c.ner_weight) return "spec.loss: weights missing";
        c.ignore_index = (int)mtg_long(j, f->spec, "loss.ignore_index", -100);
        c.label_smoothing = (float)mtg_num(j, f->spec, "loss.label_smoothing", 0.0);
    }
    /* optimizer, schedule, clipping (train) */
    if (mtg_jp(j, f->spec, "optimizer") >= 0) {
        mtg_str(j, mtg_jp(j, f->spec, "optimizer.type"), s, sizeof s);
        if (!strcmp(s, "adamw")) mtl_optim_defaults(&c.optim, MTL_OPTIM_ADAMW);
        else if (!strcmp(s, "adam")) mtl_optim_defaults(&c.optim, MTL_OPTIM_ADAM);
        else if (!strcmp(s, "sgd")) mtl_optim_defaults(&c.optim, MTL_OPTIM_SGD);
        else { snprintf(msg, sizeof msg, "optimizer '%s' not supported", s); return msg; }
        if (mtg_jp(j, f->spec, "optimizer.amsgrad") >= 0 && mtl__json_bool(j, mtg_jp(j, f->spec, "optimizer"), "amsgrad", 0) == 1)
            return "optimizer.amsgrad is not supported";
        c.optim.beta1 = mtg_num(j, mtg_at(j, mtg_jp(j, f->spec, "optimizer.betas"), 0), "", 0.9);
        c.optim.beta2 = mtg_num(j, mtg_at(j, mtg_jp(j, f->spec, "optimizer.betas"), 1), "", 0.999);
        c.optim.eps = mtg_num(j, f->spec, "optimizer.eps", 1e-8);
        c.optim.momentum = mtg_num(j, f->spec, "optimizer.momentum", 0);
        c.optim.dampening = mtg_num(j, f->spec, "optimizer.dampening", 0);
        c.optim.nesterov = mtl__json_bool(j, mtg_jp(j, f->spec, "optimizer"), "nesterov", 0) == 1;
        mtg_str(j, mtg_jp(j, f->spec, "schedule.type"), s, sizeof s);
        c.schedule.type = strstr(s, "cosine") ? MTL_SCHED_COSINE : strstr(s, "constant") ? MTL_SCHED_CONSTANT : MTL_SCHED_LINEAR;
        if (s[0] && !strstr(s, "cosine") && !strstr(s, "constant") && !strstr(s, "linear")) { snprintf(msg, sizeof msg, "schedule '%s' not supported", s); return msg; }
        c.schedule.warmup_steps = mtg_long(j, f->spec, "schedule.warmup_steps", 0);
        c.schedule.total_steps = mtg_long(j, f->spec, "schedule.total_steps", 0);
        c.schedule.num_cycles = mtg_num(j, f->spec, "schedule.num_cycles", 0.5);
        c.clip_norm = mtg_num(j, f->spec, "clip.max_norm", 0.0);
        c.clip_eps = mtg_num(j, f->spec, "clip.eps", 1e-6);
        if (mtg_long(j, f->spec, "clip.norm_type", 2) != 2) return "clip.norm_type other than 2 is not supported";
        c.lr_rule.base_lr = mtg_num(j, f->spec, "layer_lr.base_lr", 1e-3);
        c.lr_rule.layer_decay = mtg_num(j, f->spec, "layer_lr.layer_decay", 1.0);
        c.lr_rule.head_mult = mtg_num(j, f->spec, "layer_lr.head_mult", 1.0);
        c.lr_rule.num_layers = (int)mtg_long(j, f->spec, "layer_lr.num_layers", 0);
        c.lr_rule.weight_decay = mtg_num(j, f->spec, "weight_decay.value", 0.0);
    }
    if (mtl_trainer_create(out, &c, &err)) { snprintf(msg, sizeof msg, "trainer: %s", err.msg); return msg; }
    if ((why = mtg_load_weights(*out, model_dir, f, "model.files.weights", "model.safetensors")) != NULL) return why;
    if (heads) {   /* initial heads: the init.* arrays named in the spec */
        int arr = mtg_jp(j, f->spec, "heads.init.arrays");
        int n = mtg_count(j, arr);
        if (n == 0) return "spec.heads.init.arrays missing";
        for (i = 0; i < n; i++) {
            char an[200];
            int ti;
            size_t numel = 0;
            const float *src;
            mtg_str(j, mtg_at(j, arr, i), an, sizeof an);
            if (strncmp(an, "init.", 5) != 0 || (ti = mtl_trainer_find(*out, an + 5)) < 0) { snprintf(msg, sizeof msg, "%s is not a head parameter", an); return msg; }
            mtl_trainer_tensor_info(*out, ti, NULL, NULL, &numel, NULL);
            if (!(src = mtg_f32(f, an, (long)numel))) { snprintf(msg, sizeof msg, "array %s missing or of the wrong size", an); return msg; }
            memcpy(mtl_trainer_data(*out, ti), src, numel * sizeof(float));
        }
    }
    return NULL;
}

/* The batch named in spec.batch.arrays */
static const char *mtg_batch(mtl_batch *b, const mtg_fx *f, int labels) {
    const mtl__json *j = &f->j;
    memset(b, 0, sizeof *b);
    b->B = (int)mtg_long(j, f->spec, "batch.size", -1);
    b->L = (int)mtg_long(j, f->spec, "batch.max_len", -1);
    b->ids = mtg_i32(f, "input_ids", (long)b->B * b->L);
    b->mask = mtg_i32(f, "attention_mask", (long)b->B * b->L);
    b->types = mtg_i32(f, "token_type_ids", (long)b->B * b->L);
    if (!b->ids || !b->mask) return "input_ids / attention_mask missing or of the wrong size";
    if (labels) {
        b->cls_labels = mtg_i32(f, "cls_labels", b->B);
        b->ner_labels = mtg_i32(f, "ner_labels", (long)b->B * b->L);
        if (!b->cls_labels || !b->ner_labels) return "cls_labels / ner_labels missing or of the wrong size";
    }
    return NULL;
}

/* ---------------------------------------------------------------------------------------------- */
/* forward                                                                                        */
/* ---------------------------------------------------------------------------------------------- */
static float mtg_round_f16(float x) {   /* round-to-nearest-even to binary16, back to float */
    double a = fabs((double)x), q, r;
    int e;
    if (x != x) return x;
    if (a >= 65520.0) return x < 0 ? -HUGE_VALF : HUGE_VALF;
    if (a < 6.103515625e-05) q = 5.9604644775390625e-08;          /* subnormal quantum 2^-24 */
    else { frexp(a, &e); q = ldexp(1.0, e - 1 - 10); }
    r = rint(a / q) * q;
    return (float)(x < 0 ? -r : r);
}

static void mtg_forward_outputs(mtl_trainer *tr, const mtl_batch *b, float *pool_out, float *mean, float *cls, float *mx, float *mean_norm) {
    const mtl_trainer_config *c = mtl_trainer_get_config(tr);
    const int H = c->bb.hidden_size, B = b->B, L = b->L;
    const float *last = mtl_trainer_hidden(tr, c->bb.n_layers);
    float *x0 = (float *)malloc((size_t)B * (size_t)H * sizeof(float));
    int wi = mtl_trainer_find(tr, "pooler.dense.weight"), bi = mtl_trainer_find(tr, "pooler.dense.bias"), i;
    mtl_pool_cls_forward(x0, last, B, L, H);
    mtl_linear_forward(pool_out, x0, mtl_trainer_data(tr, wi), mtl_trainer_data(tr, bi), B, H, H);
    for (i = 0; i < B * H; i++) pool_out[i] = tanhf(pool_out[i]);
    mtl_pool_mean_forward(mean, last, b->mask, B, L, H);
    memcpy(cls, x0, (size_t)B * (size_t)H * sizeof(float));
    mtl_pool_max_forward(mx, NULL, last, b->mask, B, L, H);
    mtl_l2norm_forward(mean_norm, mean, B, H);
    free(x0);
}

static void mtg_run_forward(mtg_report *r, const char *model_dir, const mtg_fx *f) {
    const mtl__json *j = &f->j;
    mtg_tols tl = mtg_tolerances(f);
    mtl_trainer *tr = NULL;
    mtl_batch b;
    mtl_error err;
    const char *why;
    const mtl_trainer_config *c;
    int k, count, H, i;
    char nm[64];
    float *o[5], *snap = NULL;
    const char *const pnames[5] = {"pooler_output", "emb_mean", "emb_cls", "emb_max", "emb_mean_norm"};
    size_t BH, total = 0, off;
    memset(o, 0, sizeof o);
    if ((why = mtg_trainer(&tr, model_dir, f, 0)) != NULL || (why = mtg_batch(&b, f, 0)) != NULL) { mtg_fail(r, why); goto done; }
    c = mtl_trainer_get_config(tr);
    H = c->bb.hidden_size;
    BH = (size_t)b.B * (size_t)H;
    if (mtl_trainer_eval(tr, &b, NULL, &err)) { mtg_fail(r, err.msg); goto done; }
    count = (int)mtg_long(j, f->spec, "hidden_states.count", c->bb.n_layers);
    for (k = 0; k <= count; k++) {
        const float *want, *have = mtl_trainer_hidden(tr, k < count ? k : c->bb.n_layers);
        if (k < count) snprintf(nm, sizeof nm, "hidden_states.%d", k);
        else snprintf(nm, sizeof nm, "last_hidden_state");
        want = mtg_f32(f, nm, (long)BH * b.L);
        if (!want || !have) { mtg_fail(r, "a hidden_states array is missing"); goto done; }
        mtg_cmp_masked(r, "hidden", have, want, b.mask, b.B, b.L, H, tl.fwd);
    }
    {   /* attention probabilities of one row (debugging arrays): the kept softmax of each layer */
        int an = mtg_jp(j, f->spec, "attn_probs.names"), row = (int)mtg_long(j, f->spec, "attn_probs.row", -1);
        const int nh = c->bb.n_heads, L = b.L;
        float *prow = (float *)malloc((size_t)L * sizeof(float));
        for (k = 0; prow && k < mtg_count(j, an) && row >= 0 && row < b.B; k++) {
            const float *want;
            int hh, q;
            mtg_str(j, mtg_at(j, an, k), nm, sizeof nm);
            want = mtg_f32(f, nm, (long)nh * L * L);
            if (!want || k >= c->bb.n_layers || tr->st.first_cached > k) { mtg_fail(r, "an attn_probs array is missing or not kept"); break; }
            for (hh = 0; hh < nh; hh++)
                for (q = 0; q < L; q++)
                    if (b.mask[(size_t)row * (size_t)L + (size_t)q]) {   /* the row over all L keys, 0 at padded ones */
                        if (!mtl__bt_probs_row(&tr->st, k, row, hh, q, prow)) { mtg_fail(r, "an attn_probs row is not kept"); break; }
                        mtg_cmp(r, "attn_probs", prow, want + ((size_t)hh * (size_t)L + (size_t)q) * (size_t)L, (size_t)L, tl.fwd, 0);
                    }
        }
        free(prow);
    }
    for (i = 0; i < 5; i++) o[i] = (float *)malloc(BH * sizeof(float));
    mtg_forward_outputs(tr, &b, o[0], o[1], o[2], o[3], o[4]);
    for (i = 0; i < 5; i++) {
        const float *want = mtg_f32(f, pnames[i], (long)BH);
        if (!want) { mtg_fail(r, "a pooling array is missing"); goto done; }
        mtg_cmp(r, i == 0 ? "pooler" : "poolings", o[i], want, BH, tl.fwd, 0);
    }
    /* f16 weights: exact rounding of the f32 weights, then the same forward */
    if (mtg_jp(j, f->spec, "f16w") >= 0) {
        for (i = 0; i < mtl_trainer_n_tensors(tr); i++) { size_t n = 0; mtl_trainer_tensor_info(tr, i, NULL, NULL, &n, NULL); total += n; }
        snap = (float *)malloc(total * sizeof(float));
        for (i = 0, off = 0; i < mtl_trainer_n_tensors(tr); i++) {
            size_t n = 0;
            mtl_trainer_tensor_info(tr, i, NULL, NULL, &n, NULL);
            memcpy(snap + off, mtl_trainer_data(tr, i), n * sizeof(float));
            off += n;
        }
        if ((why = mtg_load_weights(tr, model_dir, f, "model.files.weights_f16", "model_fp16.safetensors")) != NULL) { mtg_fail(r, why); goto done; }
        {
            int m = mtg_metric(r, "f16=rne(f32)", 0.0);
            for (i = 0, off = 0; i < mtl_trainer_n_tensors(tr); i++) {
                size_t n = 0, q;
                const float *d = mtl_trainer_data(tr, i);
                mtl_trainer_tensor_info(tr, i, NULL, NULL, &n, NULL);
                for (q = 0; q < n; q++) {
                    double e = fabs((double)d[q] - (double)mtg_round_f16(snap[off + q]));
                    if (d[q] != mtg_round_f16(snap[off + q])) r->bad[m]++;
                    if (e > r->err[m]) r->err[m] = e;
                }
                off += n;
            }
        }
        if (mtl_trainer_eval(tr, &b, NULL, &err)) { mtg_fail(r, err.msg); goto done; }
        mtg_forward_outputs(tr, &b, o[0], o[1], o[2], o[3], o[4]);
        {
            const float *w1 = mtg_f32(f, "f16w.last_hidden_state", (long)BH * b.L), *w2 = mtg_f32(f, "f16w.pooler_output", (long)BH),
                        *w3 = mtg_f32(f, "f16w.emb_mean_norm", (long)BH);
            if (!w1 || !w2 || !w3) { mtg_fail(r, "an f16w array is missing"); goto done; }
            mtg_cmp_masked(r, "f16w", mtl_trainer_hidden(tr, c->bb.n_layers), w1, b.mask, b.B, b.L, H, tl.fwd);
            mtg_cmp(r, "f16w", o[0], w2, BH, tl.fwd, 0);
            mtg_cmp(r, "f16w", o[4], w3, BH, tl.fwd, 0);
        }
    }
done:
    for (i = 0; i < 5; i++) free(o[i]);
    free(snap);
    mtl_trainer_free(tr);
}

/* ---------------------------------------------------------------------------------------------- */
/* multitask                                                                                      */
/* ---------------------------------------------------------------------------------------------- */
static void mtg_run_multitask(mtg_report *r, const char *model_dir, const mtg_fx *f) {
    const mtl__json *j = &f->j;
    mtg_tols tl = mtg_tolerances(f);
    mtl_trainer *tr = NULL;
    mtl_batch b;
    mtl_error err;
    mtl_step_stats st;
    const char *why;
    const mtl_trainer_config *c;
    int k, count, i, gn;
    char nm[256];
    const float *want;
    if ((why = mtg_trainer(&tr, model_dir, f, 1)) != NULL || (why = mtg_batch(&b, f, 1)) != NULL) { mtg_fail(r, why); goto done; }
    c = mtl_trainer_get_config(tr);
    if (mtl_trainer_freeze(tr, "none", &err)) { mtg_fail(r, err.msg); goto done; }
    mtl_params_zero_grad(mtl_trainer_params(tr));
    if (mtl_trainer_accumulate(tr, &b, MTL_TASK_BOTH, 1.0f, &st, &err)) { mtg_fail(r, err.msg); goto done; }
    count = (int)mtg_long(j, f->spec, "hidden_states.count", c->bb.n_layers + 1);
    for (k = 0; k < count; k++) {
        snprintf(nm, sizeof nm, "hidden_states.%d", k);
        want = mtg_f32(f, nm, (long)b.B * b.L * c->bb.hidden_size);
        if (!want || !mtl_trainer_hidden(tr, k)) { mtg_fail(r, "a hidden_states array is missing"); goto done; }
        mtg_cmp_masked(r, "hidden", mtl_trainer_hidden(tr, k), want, b.mask, b.B, b.L, c->bb.hidden_size, tl.fwd);
    }
    if ((want = mtg_f32(f, "sent_emb", (long)b.B * c->bb.hidden_size)) != NULL)   /* the pooled input of the cls head */
        mtg_cmp(r, "sent_emb", tr->pooled, want, (size_t)b.B * (size_t)c->bb.hidden_size, tl.fwd, 0);
    if (!(want = mtg_f32(f, "cls_logits", (long)b.B * c->n_cls))) { mtg_fail(r, "cls_logits missing"); goto done; }
    mtg_cmp(r, "logits", mtl_trainer_cls_logits(tr), want, (size_t)b.B * (size_t)c->n_cls, tl.fwd, 0);
    if (!(want = mtg_f32(f, "ner_logits", (long)b.B * b.L * c->n_ner))) { mtg_fail(r, "ner_logits missing"); goto done; }
    mtg_cmp_masked(r, "logits", mtl_trainer_ner_logits(tr), want, b.mask, b.B, b.L, c->n_ner, tl.fwd);
    {
        const float *l = mtg_f32(f, "loss", 1), *lc = mtg_f32(f, "loss_cls", 1), *ln = mtg_f32(f, "loss_ner", 1);
        if (!l || !lc || !ln) { mtg_fail(r, "loss arrays missing"); goto done; }
        mtg_val(r, "loss", st.loss, l[0], tl.loss);
        mtg_val(r, "loss", st.loss_cls, lc[0], tl.loss);
        mtg_val(r, "loss", st.loss_ner, ln[0], tl.loss);
    }
    gn = mtg_jp(j, f->spec, "grads.names");
    if (mtg_count(j, gn) == 0) { mtg_fail(r, "spec.grads.names missing"); goto done; }
    for (i = 0; i < mtg_count(j, gn); i++) {
        int ti, kb;
        size_t numel = 0;
        const float *g;
        mtg_str(j, mtg_at(j, gn, i), nm, sizeof nm);
        if (strncmp(nm, "grad.", 5) != 0 || (ti = mtl_trainer_find(tr, nm + 5)) < 0) { mtg_fail(r, "a grad.* array names no parameter"); continue; }
        mtl_trainer_tensor_info(tr, ti, NULL, NULL, &numel, NULL);
        if (!(want = mtg_f32(f, nm, (long)numel))) { mtg_fail(r, "a grad.* array is missing"); continue; }
        g = mtl_trainer_grad(tr, ti);
        kb = mtg_is_key_bias(nm);
        if (!g) {   /* no gradient (the pooler): the reference must be exactly 0 */
            float *z = (float *)calloc(numel, sizeof(float));
            mtg_cmp(r, "grad(unused)=0", z, want, numel, 0.0, 0);
            free(z);
        } else mtg_cmp(r, kb ? "grad(key bias)" : "grads", g, want, numel, kb ? tl.kbg : tl.gatol, kb ? 0.0 : tl.grtol);
    }
done:
    mtl_trainer_free(tr);
}

/* ---------------------------------------------------------------------------------------------- */
/* train                                                                                          */
/* ---------------------------------------------------------------------------------------------- */
static void mtg_run_train(mtg_report *r, const char *model_dir, const mtg_fx *f) {
    const mtl__json *j = &f->j;
    mtg_tols tl = mtg_tolerances(f);
    mtl_trainer *tr = NULL;
    mtl_batch b;
    mtl_error err;
    mtl_step_stats st;
    mtl_params *P;
    const char *why;
    int i, k, steps, G, groups, trn, nt;
    char nm[256], **names = NULL;
    float *init = NULL;
    size_t total = 0, off;
    const float *r_loss, *r_cls, *r_ner, *r_gn, *r_cc, *r_lr, *r_lam;
    if ((why = mtg_trainer(&tr, model_dir, f, 1)) != NULL || (why = mtg_batch(&b, f, 1)) != NULL) { mtg_fail(r, why); goto done; }
    nt = mtl_trainer_n_tensors(tr);
    /* the trainable set of the spec */
    trn = mtg_jp(j, f->spec, "trainable");
    names = (char **)calloc((size_t)mtg_count(j, trn) + 1, sizeof(char *));
    for (i = 0; i < mtg_count(j, trn); i++) {
        names[i] = (char *)malloc(256);
        mtg_str(j, mtg_at(j, trn, i), names[i], 256);
    }
    if (mtl_trainer_set_trainable(tr, (const char *const *)names, mtg_count(j, trn), &err)) { mtg_fail(r, err.msg); goto done; }
    /* the groups of the spec, in its order */
    P = mtl_trainer_params(tr);
    groups = mtg_jp(j, f->spec, "groups");
    G = mtg_count(j, groups);
    P->n_groups = 0;
    for (i = 0; i < P->count; i++) P->t[i].group = -1;
    for (k = 0; k < G; k++) {
        int gn = mtg_at(j, groups, k), params = mtg_jp(j, gn, "params"), q;
        mtg_str(j, mtg_jp(j, gn, "name"), nm, sizeof nm);
        if (mtl_params_add_group(P, nm, mtg_num(j, gn, "base_lr", NAN), mtg_num(j, gn, "weight_decay", NAN)) != k) { mtg_fail(r, "out of memory"); goto done; }
        if (P->groups[k].lr != P->groups[k].lr || P->groups[k].weight_decay != P->groups[k].weight_decay) { mtg_fail(r, "a group lacks base_lr / weight_decay"); goto done; }
        for (q = 0; q < mtg_count(j, params); q++) {
            int pi;
            mtg_str(j, mtg_at(j, params, q), nm, sizeof nm);
            if ((pi = mtl_params_find(P, nm)) < 0) { mtg_fail(r, "a group member is not in spec.trainable"); goto done; }
            P->t[pi].group = k;
        }
    }
    for (i = 0; i < P->count; i++) if (P->t[i].group < 0) { mtg_fail(r, "a trainable tensor is in no group"); goto done; }
    /* snapshot of the initial values (frozen tensors must stay bit-identical) */
    for (i = 0; i < nt; i++) { size_t n = 0; mtl_trainer_tensor_info(tr, i, NULL, NULL, &n, NULL); total += n; }
    init = (float *)malloc(total * sizeof(float));
    for (i = 0, off = 0; i < nt; i++) {
        size_t n = 0;
        mtl_trainer_tensor_info(tr, i, NULL, NULL, &n, NULL);
        memcpy(init + off, mtl_trainer_data(tr, i), n * sizeof(float));
        off += n;
    }
    steps = (int)mtg_long(j, f->spec, "steps", 0);
    r_loss = mtg_f32(f, "loss", steps);
    r_cls = mtg_f32(f, "loss_cls", steps);
    r_ner = mtg_f32(f, "loss_ner", steps);
    r_gn = mtg_f32(f, "grad_norm", steps);
    r_cc = mtg_f32(f, "clip_coef", steps);
    r_lr = mtg_f32(f, "lr", (long)steps * G);
    r_lam = mtg_f32(f, "lr_lambda", steps);
    if (steps <= 0 || !r_loss || !r_cls || !r_ner || !r_gn) { mtg_fail(r, "per-step arrays missing"); goto done; }
    for (k = 0; k < steps; k++) {
        if (mtl_trainer_step(tr, &b, 1, &st, &err)) { mtg_fail(r, err.msg); goto done; }
        mtg_val(r, "loss", st.loss, r_loss[k], tl.traj);
        mtg_val(r, "loss", st.loss_cls, r_cls[k], tl.traj);
        mtg_val(r, "loss", st.loss_ner, r_ner[k], tl.traj);
        mtg_val(r, "grad_norm", st.grad_norm, r_gn[k], tl.traj);
        if (r_cc) mtg_val(r, "clip_coef", st.clip_coef, r_cc[k], tl.traj);
        if (r_lam) mtg_val(r, "lr", (float)st.lr_scale, r_lam[k], 0.0);
        if (r_lr) for (i = 0; i < G; i++) mtg_val(r, "lr", (float)(P->groups[i].lr * st.lr_scale), r_lr[k * G + i], 0.0);
        for (i = 0; i < nt; i++) {   /* step_params.* */
            size_t n = 0;
            const char *tn = mtl_trainer_tensor_info(tr, i, NULL, NULL, &n, NULL);
            const float *sp;
            if (!tn) continue;
            snprintf(nm, sizeof nm, "step_params.%s", tn);
            if (!mtg_find(f, nm)) continue;
            if (!(sp = mtg_f32(f, nm, (long)steps * (long)n))) { mtg_fail(r, "a step_params array has the wrong size"); continue; }
            mtg_cmp(r, "params", mtl_trainer_data(tr, i), sp + (size_t)k * n, n, tl.fparam, 0);
        }
    }
    /* final loss, final params, frozen bit-identical */
    {
        const float *fl = mtg_f32(f, "final_loss", 1), *fc = mtg_f32(f, "final_loss_cls", 1), *fn = mtg_f32(f, "final_loss_ner", 1);
        if (fl && fc && fn) {
            if (mtl_trainer_eval(tr, &b, &st, &err)) { mtg_fail(r, err.msg); goto done; }
            mtg_val(r, "final_loss", st.loss, fl[0], tl.traj);
            mtg_val(r, "final_loss", st.loss_cls, fc[0], tl.traj);
            mtg_val(r, "final_loss", st.loss_ner, fn[0], tl.traj);
        } else mtg_fail(r, "final_loss arrays missing");
    }
    for (i = 0, off = 0; i < nt; i++) {
        size_t n = 0;
        int trainable = 0;
        const char *tn = mtl_trainer_tensor_info(tr, i, NULL, NULL, &n, &trainable);
        if (!tn) continue;
        const float *pv;
        snprintf(nm, sizeof nm, "param.%s", tn);
        pv = mtg_f32(f, nm, (long)n);
        if (trainable && !pv) mtg_fail(r, "param.* of a trainable tensor is missing");
        if (pv) {
            int kb = mtg_is_key_bias(tn);
            mtg_cmp(r, kb ? "params(key bias)" : "params", mtl_trainer_data(tr, i), pv, n, kb ? tl.kbp : tl.fparam, 0);
        }
        if (!trainable) {
            int m = mtg_metric(r, "frozen(bit-exact)", 0.0);
            if (memcmp(mtl_trainer_data(tr, i), init + off, n * sizeof(float)) != 0) r->bad[m]++;
            if (pv && memcmp(pv, init + off, n * sizeof(float)) != 0) r->bad[m]++;
        }
        off += n;
    }
done:
    if (names) for (i = 0; names[i]; i++) free(names[i]);
    free(names);
    free(init);
    mtl_trainer_free(tr);
}

/* ---------------------------------------------------------------------------------------------- */
/* The runner                                                                                     */
/* ---------------------------------------------------------------------------------------------- */
static int mtg_cmpstr(const void *a, const void *b) { return strcmp((const char *)a, (const char *)b); }

MTLDEF int mtl_golden_run(const char *model_dir, const char *dir, FILE *out, int *n_run) {
    DIR *d = opendir(dir);
    struct dirent *e;
    char (*names)[128] = NULL;
    int n = 0, cap = 0, i, failed = 0, ran = 0;
    if (n_run) *n_run = 0;
    if (!d) { fprintf(out, "FAIL %s: cannot open the fixture folder\n", dir); return 1; }
    while ((e = readdir(d)) != NULL) {
        size_t l = strlen(e->d_name);
        if (l < 6 || l >= 128 || strcmp(e->d_name + l - 5, ".json") != 0) continue;
        if (n == cap) {
            char (*nn)[128];
            cap = cap ? 2 * cap : 32;
            nn = (char (*)[128])realloc(names, (size_t)cap * sizeof *names);
            if (!nn) break;
            names = nn;
        }
        memcpy(names[n], e->d_name, l - 5);
        names[n][l - 5] = 0;
        n++;
    }
    closedir(d);
    if (n > 1) qsort(names, (size_t)n, sizeof *names, mtg_cmpstr);
    for (i = 0; i < n; i++) {
        mtg_fx f;
        mtg_report rep;
        const char *why;
        char kind[32];
        double worst = 0, wr = 0;
        int m, bad = 0, wm = -1;
        char path[2048];
        snprintf(path, sizeof path, "%s/%s.idx", dir, names[i]);
        {   /* a .json without .idx, or without meta.spec, is not a fixture */
            FILE *fp = fopen(path, "r");
            if (!fp) continue;
            fclose(fp);
        }
        memset(&rep, 0, sizeof rep);
        why = mtg_fx_load(&f, dir, names[i]);
        if (why && f.spec < 0 && f.json) { mtg_fx_free(&f); continue; }
        kind[0] = 0;
        if (!why) mtg_str(&f.j, mtl__json_get(&f.j, f.spec, "kind"), kind, sizeof kind);
        if (why) mtg_fail(&rep, why);
        else if (mtg_long(&f.j, f.spec, "format_version", 1) != 1) mtg_fail(&rep, "unsupported format_version");
        else if (!strcmp(kind, "forward")) mtg_run_forward(&rep, model_dir, &f);
        else if (!strcmp(kind, "multitask")) mtg_run_multitask(&rep, model_dir, &f);
        else if (!strcmp(kind, "train")) mtg_run_train(&rep, model_dir, &f);
        else mtg_fail(&rep, "unknown meta.spec.kind");
        for (m = 0; m < rep.n; m++) {
            double ratio = rep.tol[m] > 0 ? rep.err[m] / rep.tol[m] : (rep.err[m] > 0 ? 1e30 : 0);
            bad += rep.bad[m] > 0;
            if (wm < 0 || ratio > wr) { wr = ratio; wm = m; worst = rep.err[m]; }
        }
        if (rep.why[0] || rep.n == 0) bad++;
        fprintf(out, "%s %s (%s): ", bad ? "FAIL" : "PASS", names[i], kind[0] ? kind : "?");
        if (wm >= 0) fprintf(out, "worst %s %.3g (tol %.3g)", rep.name[wm], worst, rep.tol[wm]);
        for (m = 0; m < rep.n; m++)
            fprintf(out, "%s %s %.2g/%.2g%s", m ? "," : " |", rep.name[m], rep.err[m], rep.tol[m], rep.bad[m] ? " MISS" : "");
        if (rep.why[0]) fprintf(out, " | ERROR: %s", rep.why);
        fputc('\n', out);
        failed += bad != 0;
        ran++;
        mtg_fx_free(&f);
    }
    free(names);
    if (ran == 0) { fprintf(out, "FAIL %s: no fixtures (*.json with meta.spec) found\n", dir); failed++; }
    if (n_run) *n_run = ran;
    return failed;
}

#endif /* MTL_GOLDEN_IMPLEMENTATION_DONE */
#endif /* MTL_GOLDEN_IMPLEMENTATION */
