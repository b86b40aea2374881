/* Tests of mtl_bert.h's training building blocks: the multi-task heads, losses and gradients against the PyTorch
   fixtures of ../shared/fixtures/golden (README sections 4-8), the frozen-backbone AdamW trajectory,
   torch's clip_grad_norm_ summation (bit-exact), the group / layer-wise lr rules and the schedules,
   finite-difference checks of every op and head, and Adam / SGD against hand-derived values.
   Every size and hyper-parameter of a fixture is read from its meta.spec (other fixture sets are used
   for acceptance): $MTL_GOLDEN (a set directory) or $MTL_SHARED/fixtures/golden. */
#define MTL_BERT_IMPLEMENTATION
#include "../mtl_bert.h"
#include "mtl_test.h"

#include <math.h>
#include <dirent.h>

/* ============================================================================ fixture reading */
typedef struct fx_arr {
    char name[192], dtype[8];
    long off, numel;
    int ndim;
    long shape[8];
} fx_arr;

typedef struct fixture {
    char name[128];
    char *bin, *json;
    size_t bin_len, json_len;
    fx_arr *a;
    int n;
    mtl__json j;
    int spec;                 /* node of meta.spec, -1 if none */
    int meta;
} fixture;

static const char *golden_dir(char *buf, size_t cap) {
    const char *g = getenv("MTL_GOLDEN");
    if (g && *g) { snprintf(buf, cap, "%s", g); return buf; }
    return mtl_t_path(buf, cap, "fixtures/golden");
}

static void fx_free(fixture *f) {
    free(f->bin);
    free(f->json);
    free(f->a);
    mtl__json_free(&f->j);
    memset(f, 0, sizeof *f);
}

/* NAME.idx + NAME.bin (+ NAME.json if present). 0 on failure (with a CHECK message). */
static int fx_load(fixture *f, const char *dir, const char *name) {
    char path[1024];
    FILE *fp;
    int cap = 0;
    memset(f, 0, sizeof *f);
    f->spec = f->meta = -1;
    snprintf(f->name, sizeof f->name, "%s", name);
    snprintf(path, sizeof path, "%s/%s.idx", dir, name);
    fp = fopen(path, "r");
    if (!fp) { CHECK(0, "cannot open %s", path); return 0; }
    for (;;) {
        fx_arr x;
        int k;
        memset(&x, 0, sizeof x);
        if (fscanf(fp, "%191s %7s %ld %d", x.name, x.dtype, &x.off, &x.ndim) != 4) break;
        if (x.ndim < 1 || x.ndim > 8) { CHECK(0, "%s: bad ndim", path); fclose(fp); return 0; }
        x.numel = 1;
        for (k = 0; k < x.ndim; k++) {
            if (fscanf(fp, "%ld", &x.shape[k]) != 1) { CHECK(0, "%s: bad line", path); fclose(fp); return 0; }
            x.numel *= x.shape[k];
        }
        if (f->n == cap) {
            cap = cap ? 2 * cap : 64;
            f->a = (fx_arr *)realloc(f->a, (size_t)cap * sizeof *f->a);
        }
        f->a[f->n++] = x;
    }
    fclose(fp);
    snprintf(path, sizeof path, "%s/%s.bin", dir, name);
    f->bin = mtl_t_read(path, &f->bin_len);
    if (!f->bin) { CHECK(0, "cannot read %s", path); return 0; }
    {
        int i;
        for (i = 0; i < f->n; i++)
            if (f->a[i].off < 0 || f->a[i].off % 4 || (size_t)(f->a[i].off + 4 * f->a[i].numel) > f->bin_len) {
                CHECK(0, "%s: array %s out of range", name, f->a[i].name);
                return 0;
            }
    }
    snprintf(path, sizeof path, "%s/%s.json", dir, name);
    f->json = mtl_t_read(path, &f->json_len);
    if (f->json) {
        if (mtl__json_parse(&f->j, f->json, f->json_len) != 0) { CHECK(0, "%s: bad JSON", path); return 0; }
        f->meta = mtl__json_get(&f->j, 0, "meta");
        f->spec = mtl__json_get(&f->j, f->meta, "spec");
    }
    return 1;
}

static const fx_arr *fx_find(const fixture *f, const char *name) {
    int i;
    for (i = 0; i < f->n; i++) if (strcmp(f->a[i].name, name) == 0) return &f->a[i];
    return NULL;
}
/* The f32 array `name` with `numel` elements (-1: any), or NULL with a failed CHECK. */
static const float *fx_f32(const fixture *f, const char *name, long numel) {
    const fx_arr *a = fx_find(f, name);
    CHECK(a != NULL, "%s: no array %s", f->name, name);
    if (!a) return NULL;
    CHECK(strcmp(a->dtype, "f32") == 0 && (numel < 0 || a->numel == numel), "%s: %s has dtype %s, %ld elements (want f32, %ld)",
          f->name, name, a->dtype, a->numel, numel);
    if (strcmp(a->dtype, "f32") != 0 || (numel >= 0 && a->numel != numel)) return NULL;
    return (const float *)(const void *)(f->bin + a->off);
}
static const int32_t *fx_i32(const fixture *f, const char *name, long numel) {
    const fx_arr *a = fx_find(f, name);
    CHECK(a != NULL, "%s: no array %s", f->name, name);
    if (!a) return NULL;
    CHECK(strcmp(a->dtype, "i32") == 0 && (numel < 0 || a->numel == numel), "%s: %s: wrong dtype or size", f->name, name);
    if (strcmp(a->dtype, "i32") != 0 || (numel >= 0 && a->numel != numel)) return NULL;
    return (const int32_t *)(const void *)(f->bin + a->off);
}

/* JSON: a dot-separated path of keys from node; -1 if absent */
static int jp(const mtl__json *j, int node, const char *path) {
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
static double jnum(const mtl__json *j, int node, const char *path, double dflt) {
    double d;
    return mtl__json_number(j, jp(j, node, path), &d) ? d : dflt;
}
static long jlong(const mtl__json *j, int node, const char *path, long dflt) {
    long v;
    return mtl__json_int(j, jp(j, node, path), -(1L << 30), 1L << 30, &v) ? v : dflt;
}
static int jstr(const mtl__json *j, int node, char *buf, size_t cap) {
    size_t n;
    if (mtl__json_type(j, node) != MTL__J_STR) { if (cap) buf[0] = 0; return 0; }
    n = mtl__json_unescape(j, node, buf, cap - 1);
    if (n == (size_t)-1) { buf[0] = 0; return 0; }
    buf[n] = 0;
    return 1;
}
static int jat(const mtl__json *j, int arr, int i) {
    int c;
    if (mtl__json_type(j, arr) != MTL__J_ARR) return -1;
    for (c = j->nodes[arr].child; c >= 0 && i > 0; c = j->nodes[c].next) i--;
    return c;
}
static int jcount(const mtl__json *j, int arr) { return mtl__json_type(j, arr) == MTL__J_ARR ? j->nodes[arr].count : 0; }
static int jarr_has_str(const mtl__json *j, int arr, const char *s) {
    int c;
    if (mtl__json_type(j, arr) != MTL__J_ARR) return 0;
    for (c = j->nodes[arr].child; c >= 0; c = j->nodes[c].next) if (mtl__json_streq(j, c, s)) return 1;
    return 0;
}

/* Names of the fixtures of kind `kind` in the set directory (sorted); returns the count. */
static int list_fixtures(const char *dir, const char *kind, char names[][128], int cap) {
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0, i, k;
    if (!d) return 0;
    while ((e = readdir(d)) != NULL && n < cap) {
        size_t l = strlen(e->d_name);
        char path[1024], *txt;
        size_t len;
        mtl__json j;
        if (l < 6 || l >= 128 || strcmp(e->d_name + l - 5, ".json") != 0) continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        txt = mtl_t_read(path, &len);
        if (!txt) continue;
        if (mtl__json_parse(&j, txt, len) == 0 && mtl__json_streq(&j, jp(&j, 0, "meta.spec.kind"), kind)) {
            memcpy(names[n], e->d_name, l - 5);
            names[n][l - 5] = 0;
            n++;
        }
        mtl__json_free(&j);
        free(txt);
    }
    closedir(d);
    for (i = 1; i < n; i++)
        for (k = i; k > 0 && strcmp(names[k - 1], names[k]) > 0; k--) {
            char t[128];
            memcpy(t, names[k], 128); memcpy(names[k], names[k - 1], 128); memcpy(names[k - 1], t, 128);
        }
    return n;
}

/* |c - g| <= atol + rtol |g| over n; returns the max |c - g|, counts failures into *bad */
static double cmp(const float *c, const float *g, size_t n, double atol, double rtol, long *bad) {
    double worst = 0;
    size_t i;
    for (i = 0; i < n; i++) {
        double d = fabs((double)c[i] - (double)g[i]);
        if (!(d <= atol + rtol * fabs((double)g[i]))) (*bad)++;
        if (d > worst || d != d) worst = d;
    }
    return worst;
}

/* ============================================================================ the heads of a fixture */
typedef struct task {
    int B, L, H, C, T;
    double cls_w, ner_w;
    int ignore;
    mtl_head_pool pool;
    char cls_prefix[64], ner_prefix[64];
    const int32_t *mask, *cls_labels, *ner_labels;
    const float *hidden;      /* [B,L,H] last hidden state */
    mtl_params P;
    mtl_head cls, ner;
    float *cls_logits, *ner_logits, *dcls, *dner, *cache;
} task;

static int task_spec(task *t, const fixture *f) {
    const mtl__json *j = &f->j;
    char pool[32];
    memset(t, 0, sizeof *t);
    t->B = (int)jlong(j, f->spec, "batch.size", -1);
    t->L = (int)jlong(j, f->spec, "batch.max_len", -1);
    t->H = (int)jlong(j, f->spec, "heads.cls.in_dim", -1);
    t->C = (int)jlong(j, f->spec, "heads.cls.out", -1);
    t->T = (int)jlong(j, f->spec, "heads.ner.out", -1);
    t->cls_w = jnum(j, f->spec, "loss.cls_weight", NAN);
    t->ner_w = jnum(j, f->spec, "loss.ner_weight", NAN);
    t->ignore = (int)jlong(j, f->spec, "loss.ignore_index", -100);
    jstr(j, jp(j, f->spec, "heads.cls.param_prefix"), t->cls_prefix, sizeof t->cls_prefix);
    jstr(j, jp(j, f->spec, "heads.ner.param_prefix"), t->ner_prefix, sizeof t->ner_prefix);
    jstr(j, jp(j, f->spec, "heads.pooling"), pool, sizeof pool);
    t->pool = strcmp(pool, "cls") == 0 ? MTL_HPOOL_CLS : strcmp(pool, "max") == 0 ? MTL_HPOOL_MAX : MTL_HPOOL_MEAN;
    CHECK(t->B > 0 && t->L > 0 && t->H > 0 && t->C > 0 && t->T > 0 && t->cls_w == t->cls_w && t->ner_w == t->ner_w &&
          t->cls_prefix[0] && t->ner_prefix[0] && (!pool[0] || !strcmp(pool, "mean") || !strcmp(pool, "cls") || !strcmp(pool, "max")),
          "%s: incomplete meta.spec (batch, heads, loss)", f->name);
    CHECK(jlong(j, f->spec, "heads.ner.in_dim", -1) == t->H, "%s: heads.ner.in_dim", f->name);
    return t->B > 0 && t->L > 0 && t->H > 0 && t->C > 0 && t->T > 0 && t->cls_prefix[0] && t->ner_prefix[0];
}

/* Registers both linear heads (cls first, as the init.* arrays), copies init.*, binds, allocates scratch. */
static int task_setup(task *t, const fixture *f, const fixture *tf) {
    mtl_head_config cc, nc;
    mtl_error err;
    char nm[160];
    int i;
    memset(&cc, 0, sizeof cc);
    cc.in_dim = t->H; cc.out_dim = t->C;
    nc = cc;
    nc.out_dim = t->T;
    if (mtl_head_add_params(&t->P, t->cls_prefix, &cc, &err) || mtl_head_add_params(&t->P, t->ner_prefix, &nc, &err) ||
        mtl_params_alloc(&t->P, &err)) {
        CHECK(0, "params: %s", err.msg);
        return 0;
    }
    for (i = 0; i < t->P.count; i++) {
        const float *src;
        snprintf(nm, sizeof nm, "init.%s", t->P.t[i].name);
        src = fx_f32(f, nm, (long)t->P.t[i].numel);
        if (!src) return 0;
        memcpy(t->P.data + t->P.t[i].offset, src, t->P.t[i].numel * sizeof(float));
        if (tf) {
            t->P.t[i].trainable = jarr_has_str(&tf->j, jp(&tf->j, tf->spec, "trainable"), t->P.t[i].name);
        }
    }
    if (mtl_head_bind(&t->cls, &t->P, t->cls_prefix, &cc, &err) || mtl_head_bind(&t->ner, &t->P, t->ner_prefix, &nc, &err)) {
        CHECK(0, "bind: %s", err.msg);
        return 0;
    }
    t->cls_logits = (float *)calloc((size_t)t->B * (size_t)t->C, sizeof(float));
    t->dcls = (float *)calloc((size_t)t->B * (size_t)t->C, sizeof(float));
    t->ner_logits = (float *)calloc((size_t)t->B * (size_t)t->L * (size_t)t->T, sizeof(float));
    t->dner = (float *)calloc((size_t)t->B * (size_t)t->L * (size_t)t->T, sizeof(float));
    t->cache = (float *)calloc(mtl_seq_head_cache_floats(&cc, t->B) + 1, sizeof(float));
    return 1;
}
static void task_free(task *t) {
    mtl_params_free(&t->P);
    free(t->cls_logits); free(t->ner_logits); free(t->dcls); free(t->dner); free(t->cache);
}

/* forward + losses (+ dlogits); returns 1 on success */
static int task_loss(task *t, float *loss, float *lcls, float *lner, int *n_ner) {
    mtl_error err;
    mtl_ce_options o;
    memset(&o, 0, sizeof o);
    o.ignore_index = t->ignore;
    mtl_seq_head_forward(&t->cls, t->pool, t->cls_logits, t->hidden, t->mask, t->B, t->L, t->cache, NULL, 0, 0);
    mtl_head_forward(&t->ner, t->ner_logits, t->hidden, t->B * t->L, NULL, 0, 0);
    if (mtl_cross_entropy(lcls, t->dcls, t->cls_logits, t->cls_labels, t->B, t->C, &o, (float)t->cls_w, NULL, &err) ||
        mtl_cross_entropy(lner, t->dner, t->ner_logits, t->ner_labels, t->B * t->L, t->T, &o, (float)t->ner_w, n_ner, &err)) {
        CHECK(0, "cross_entropy: %s", err.msg);
        return 0;
    }
    *loss = mtl_multitask_loss(t->cls_w, *lcls, t->ner_w, *lner);
    return 1;
}
static void task_backward(task *t, float *dhidden) {
    mtl_seq_head_backward(&t->cls, t->pool, dhidden, t->dcls, t->hidden, t->mask, t->B, t->L, t->cache, NULL, 0, 0);
    mtl_head_backward(&t->ner, dhidden, t->dner, t->hidden, t->B * t->L, NULL, 0, 0);
}

/* ============================================================================ a) multitask fixture */
static void test_multitask_fixture(void) {
    char dir[900], nm[200], path[1000];
    fixture f;
    task t;
    const mtl__json *j;
    double fatol, latol, gatol, grtol, e, worst_grad = 0, worst_dh = 0, worst_logit = 0;
    int hcount, n_ner = 0, i, b, k;
    long bad = 0;
    float loss, lcls, lner, *dh;
    const float *want;
    golden_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/multitask.idx", dir);
    if (!mtl_t_exists(path)) SKIP("no %s", path);
    if (!fx_load(&f, dir, "multitask")) { fx_free(&f); return; }
    j = &f.j;
    CHECK(f.spec >= 0 && mtl__json_streq(j, jp(j, f.spec, "kind"), "multitask"), "multitask.json: no meta.spec of kind multitask");
    if (f.spec < 0 || !task_spec(&t, &f)) { fx_free(&f); return; }
    fatol = jnum(j, f.spec, "tolerances.forward_atol", 1e-4);
    latol = jnum(j, f.spec, "tolerances.loss_atol", 1e-5);
    gatol = jnum(j, f.spec, "tolerances.grad_atol", 1e-5);
    grtol = jnum(j, f.spec, "tolerances.grad_rtol", 1e-3);
    hcount = (int)jlong(j, f.spec, "hidden_states.count", -1);
    CHECK(hcount > 0, "hidden_states.count");
    snprintf(nm, sizeof nm, "hidden_states.%d", hcount - 1);
    t.hidden = fx_f32(&f, nm, (long)t.B * t.L * t.H);
    t.mask = fx_i32(&f, "attention_mask", (long)t.B * t.L);
    t.cls_labels = fx_i32(&f, "cls_labels", t.B);
    t.ner_labels = fx_i32(&f, "ner_labels", (long)t.B * t.L);
    if (!t.hidden || !t.mask || !t.cls_labels || !t.ner_labels || !task_setup(&t, &f, NULL)) { task_free(&t); fx_free(&f); return; }

    CHECK(task_loss(&t, &loss, &lcls, &lner, &n_ner), "loss");
    /* forward: pooled sentence embedding, logits (ner on valid positions only) */
    if ((want = fx_f32(&f, "sent_emb", (long)t.B * t.H)) != NULL) {
        e = cmp(t.cache, want, (size_t)t.B * (size_t)t.H, fatol, 0, &bad);
        CHECK(bad == 0, "sent_emb: max err %g", e);
        worst_logit = e;
    }
    if ((want = fx_f32(&f, "cls_logits", (long)t.B * t.C)) != NULL) {
        bad = 0;
        e = cmp(t.cls_logits, want, (size_t)t.B * (size_t)t.C, fatol, 0, &bad);
        CHECK(bad == 0, "cls_logits: max err %g", e);
        if (e > worst_logit) worst_logit = e;
    }
    if ((want = fx_f32(&f, "ner_logits", (long)t.B * t.L * t.T)) != NULL) {
        bad = 0;
        for (i = 0; i < t.B * t.L; i++) {
            if (!t.mask[i]) continue;
            e = cmp(t.ner_logits + (size_t)i * (size_t)t.T, want + (size_t)i * (size_t)t.T, (size_t)t.T, fatol, 0, &bad);
            if (e > worst_logit) worst_logit = e;
        }
        CHECK(bad == 0, "ner_logits: %ld bad, max err %g", bad, worst_logit);
    }
    CHECK(n_ner == jlong(j, f.spec, "loss.n_ner_tokens", -1), "counted %d NER tokens, spec says %ld", n_ner, jlong(j, f.spec, "loss.n_ner_tokens", -1));
    {
        const float *wl = fx_f32(&f, "loss", 1), *wc = fx_f32(&f, "loss_cls", 1), *wn = fx_f32(&f, "loss_ner", 1);
        if (wl && wc && wn) {
            CHECK(fabs(loss - wl[0]) <= latol && fabs(lcls - wc[0]) <= latol && fabs(lner - wn[0]) <= latol,
                  "losses %.8g %.8g %.8g, want %.8g %.8g %.8g", loss, lcls, lner, wl[0], wc[0], wn[0]);
            printf("  info: multitask loss err %.3g, loss_cls %.3g, loss_ner %.3g; max logit/sent_emb err %.3g\n",
                   fabs(loss - wl[0]), fabs(lcls - wc[0]), fabs(lner - wn[0]), worst_logit);
        }
    }
    /* backward */
    mtl_params_zero_grad(&t.P);
    dh = (float *)calloc((size_t)t.B * (size_t)t.L * (size_t)t.H, sizeof(float));
    task_backward(&t, dh);
    for (i = 0; i < t.P.count; i++) {
        snprintf(nm, sizeof nm, "grad.%s", t.P.t[i].name);
        if ((want = fx_f32(&f, nm, (long)t.P.t[i].numel)) == NULL) continue;
        bad = 0;
        e = cmp(t.P.grad + t.P.t[i].offset, want, t.P.t[i].numel, gatol, grtol, &bad);
        CHECK(bad == 0, "%s: %ld elements off, max err %g", nm, bad, e);
        if (e > worst_grad) worst_grad = e;
    }
    snprintf(nm, sizeof nm, "dhidden_states.%d", hcount - 1);
    if ((want = fx_f32(&f, nm, (long)t.B * t.L * t.H)) != NULL) {
        double worst_pad = 0;
        bad = 0;
        for (b = 0; b < t.B * t.L; b++) {
            if (t.mask[b]) {
                e = cmp(dh + (size_t)b * (size_t)t.H, want + (size_t)b * (size_t)t.H, (size_t)t.H, gatol, grtol, &bad);
                if (e > worst_dh) worst_dh = e;
            } else {
                for (k = 0; k < t.H; k++) if (fabs(dh[(size_t)b * (size_t)t.H + (size_t)k]) > worst_pad) worst_pad = fabs(dh[(size_t)b * (size_t)t.H + (size_t)k]);
            }
        }
        CHECK(bad == 0, "%s: %ld elements off, max err %g", nm, bad, worst_dh);
        CHECK(worst_pad == 0, "d hidden at padding is %g, want 0", worst_pad);
    }
    printf("  info: multitask max |grad err| heads %.3g, d last_hidden_state %.3g (tolerance %g + %g|g|)\n", worst_grad, worst_dh, gatol, grtol);
    free(dh);
    task_free(&t);
    fx_free(&f);
}

/* ============================================================================ grad norm (bit-exact) */
/* 1 when train fixture f starts where the multitask fixture mt is: same inputs, initial heads and loss */
static int same_step1(const fixture *mt, const fixture *f) {
    const char *arrs[] = {"input_ids", "attention_mask", "token_type_ids", "cls_labels", "ner_labels", "init.cls_head.weight",
                          "init.cls_head.bias", "init.ner_head.weight", "init.ner_head.bias"};
    const char *keys[] = {"loss.cls_weight", "loss.ner_weight", "loss.ignore_index"};
    int i;
    for (i = 0; i < 9; i++) {
        const fx_arr *a = fx_find(f, arrs[i]), *b = fx_find(mt, arrs[i]);
        if (!a || !b || a->numel != b->numel || memcmp(f->bin + a->off, mt->bin + b->off, (size_t)a->numel * 4) != 0) return 0;
    }
    for (i = 0; i < 3; i++)
        if (jnum(&f->j, f->spec, keys[i], NAN) != jnum(&mt->j, mt->spec, keys[i], NAN)) return 0;
    return 1;
}

/* For every train fixture: the step-1 gradients are the multitask fixture's grad.* (same weights,
   batch and loss); torch's recorded grad_norm[0] and clip_coef[0] must come out bit for bit. */
static void test_grad_norm_bits(void) {
    char dir[900], nm[200], path[1000], names[32][128];
    fixture mt;
    int nf, fi, checked = 0;
    golden_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/multitask.idx", dir);
    if (!mtl_t_exists(path)) SKIP("no %s", path);
    nf = list_fixtures(dir, "train", names, 32);
    if (nf == 0) SKIP("no train fixtures in %s", dir);
    if (!fx_load(&mt, dir, "multitask")) { fx_free(&mt); return; }
    for (fi = 0; fi < nf; fi++) {
        fixture f;
        mtl_params P;
        mtl_error err;
        const mtl__json *j;
        int pn, i, k, ok = 1, heads_init;
        const float *gn, *cc;
        float total = 0, coef;
        memset(&P, 0, sizeof P);
        if (!fx_load(&f, dir, names[fi])) { fx_free(&f); continue; }
        j = &f.j;
        if (!same_step1(&mt, &f)) {
            printf("  info: %s: batch, init or loss differ from the multitask fixture's: its step-1 gradients are not known here\n", names[fi]);
            fx_free(&f);
            continue;
        }
        /* model.parameters() order: the backbone (state_dict order), then the heads (init.* order) */
        pn = jp(j, f.spec, "model.param_names");
        heads_init = jp(j, f.spec, "heads.init.arrays");
        for (k = 0; k < 2 && ok; k++) {
            int arr = k == 0 ? pn : heads_init;
            for (i = 0; i < jcount(j, arr) && ok; i++) {
                char pname[160];
                const fx_arr *a;
                int shape[MTL_PARAM_MAX_DIMS], d;
                jstr(j, jat(j, arr, i), pname, sizeof pname);
                if (k == 1) memmove(pname, pname + 5, strlen(pname + 5) + 1);  /* "init." */
                if (!jarr_has_str(j, jp(j, f.spec, "trainable"), pname)) continue;
                snprintf(nm, sizeof nm, "grad.%s", pname);
                a = fx_find(&mt, nm);
                CHECK(a != NULL && a->ndim <= MTL_PARAM_MAX_DIMS, "multitask has no %s", nm);
                if (!a || a->ndim > MTL_PARAM_MAX_DIMS) { ok = 0; break; }
                for (d = 0; d < a->ndim; d++) shape[d] = (int)a->shape[d];
                if (mtl_params_add(&P, pname, a->ndim, shape, &err)) { CHECK(0, "%s", err.msg); ok = 0; }
            }
        }
        CHECK(P.count == jcount(j, jp(j, f.spec, "trainable")), "%s: %d of %d trainable tensors found", names[fi], P.count,
              jcount(j, jp(j, f.spec, "trainable")));
        gn = fx_f32(&f, "grad_norm", -1);
        cc = fx_f32(&f, "clip_coef", -1);
        if (ok && gn && cc && mtl_params_alloc(&P, &err) == MTL_OK) {
            double maxn = jnum(j, f.spec, "clip.max_norm", NAN), ceps = jnum(j, f.spec, "clip.eps", 1e-6);
            for (i = 0; i < P.count; i++) {
                snprintf(nm, sizeof nm, "grad.%s", P.t[i].name);
                memcpy(P.grad + P.t[i].offset, fx_f32(&mt, nm, (long)P.t[i].numel), P.t[i].numel * sizeof(float));
            }
            /* bit-exact with torch 1.13's AVX2 kernel (the public set); a fixture made with another
               kernel (AVX-512: 16 lanes) may differ in the last bit, so the CHECK allows 2 ulp */
            if (maxn == maxn) {
                coef = mtl_clip_grad_norm(&P, (float)maxn, (float)ceps, &total);
                CHECK(fabs(coef - cc[0]) <= 2.4e-7 * cc[0], "%s: clip coef %.9g, torch %.9g", names[fi], coef, cc[0]);
            } else total = mtl_grad_norm(&P);
            CHECK(fabs(total - gn[0]) <= 2.4e-7 * gn[0], "%s: grad norm %.9g, torch %.9g (rel %.3g)", names[fi], total, gn[0], (total - gn[0]) / gn[0]);
            printf("  info: %s: %d tensors, grad_norm %.9g vs torch %.9g: %s (rel %.3g)\n", names[fi], P.count, total, gn[0],
                   total == gn[0] ? "bit-exact" : "NOT bit-exact", (total - gn[0]) / gn[0]);
            checked++;
        }
        mtl_params_free(&P);
        fx_free(&f);
    }
    fx_free(&mt);
    if (!checked) SKIP("no train fixture starts from the multitask fixture's state");
}

/* ============================================================================ groups, schedule */
/* spec.schedule.type -> schedule ("linear_warmup_linear_decay"; cosine / constant by name) */
static mtl_schedule_type sched_type(const char *s) {
    return strstr(s, "cosine") ? MTL_SCHED_COSINE : strstr(s, "constant") ? MTL_SCHED_CONSTANT : MTL_SCHED_LINEAR;
}

static void test_groups_and_schedule(void) {
    char dir[900], names[32][128];
    int nf, fi;
    golden_dir(dir, sizeof dir);
    nf = list_fixtures(dir, "train", names, 32);
    if (nf == 0) SKIP("no train fixtures in %s", dir);
    for (fi = 0; fi < nf; fi++) {
        fixture f;
        mtl_params P;
        mtl_group_rule rule;
        mtl_schedule sc;
        mtl_error err;
        const mtl__json *j;
        char type[64], s[160];
        int k, i, g, groups, steps, one = 1;
        double worst_lr = 0;
        const float *lr, *lam;
        memset(&P, 0, sizeof P);
        if (!fx_load(&f, dir, names[fi])) { fx_free(&f); continue; }
        j = &f.j;
        /* every tensor (backbone + heads) with the trainable flags of the spec */
        for (k = 0; k < 2; k++) {
            int arr = jp(j, f.spec, k == 0 ? "model.param_names" : "heads.init.arrays");
            for (i = 0; i < jcount(j, arr); i++) {
                jstr(j, jat(j, arr, i), s, sizeof s);
                if (mtl_params_add(&P, k ? s + 5 : s, 1, &one, &err)) CHECK(0, "%s", err.msg);
            }
        }
        for (i = 0; i < P.count; i++) P.t[i].trainable = jarr_has_str(j, jp(j, f.spec, "trainable"), P.t[i].name);
        memset(&rule, 0, sizeof rule);
        rule.base_lr = jnum(j, f.spec, "layer_lr.base_lr", NAN);
        rule.layer_decay = jnum(j, f.spec, "layer_lr.layer_decay", 1);
        rule.head_mult = jnum(j, f.spec, "layer_lr.head_mult", 1);
        rule.num_layers = (int)jlong(j, f.spec, "layer_lr.num_layers", 0);
        rule.weight_decay = jnum(j, f.spec, "weight_decay.value", 0);
        CHECK(mtl_params_make_groups(&P, &rule, &err) == MTL_OK, "%s", err.msg);
        groups = jp(j, f.spec, "groups");
        CHECK(P.n_groups == jcount(j, groups), "%s: %d groups, spec has %d", names[fi], P.n_groups, jcount(j, groups));
        for (g = 0; g < P.n_groups && g < jcount(j, groups); g++) {
            int gn = jat(j, groups, g), params = jp(j, gn, "params"), n = 0;
            double blr = jnum(j, gn, "base_lr", NAN), wd = jnum(j, gn, "weight_decay", NAN);
            jstr(j, jp(j, gn, "name"), s, sizeof s);
            CHECK(!s[0] || strcmp(s, P.groups[g].name) == 0, "%s group %d: name %s, spec %s", names[fi], g, P.groups[g].name, s);
            CHECK(fabs(P.groups[g].lr - blr) <= 1e-15 * blr && P.groups[g].weight_decay == wd, "%s group %d: lr %.17g wd %g, spec %.17g %g",
                  names[fi], g, P.groups[g].lr, P.groups[g].weight_decay, blr, wd);
            if (fabs(P.groups[g].lr - blr) > worst_lr) worst_lr = fabs(P.groups[g].lr - blr);
            for (i = 0; i < P.count; i++) {
                if (P.t[i].group != g) continue;
                jstr(j, jat(j, params, n), s, sizeof s);
                CHECK(strcmp(s, P.t[i].name) == 0, "%s group %d member %d: %s, spec %s", names[fi], g, n, P.t[i].name, s);
                n++;
            }
            CHECK(n == jcount(j, params), "%s group %d: %d members, spec %d", names[fi], g, n, jcount(j, params));
        }
        for (i = 0; i < P.count; i++)
            CHECK(P.t[i].trainable == jarr_has_str(j, jp(j, f.spec, "trainable"), P.t[i].name), "%s: %s trainable flag", names[fi], P.t[i].name);
        /* schedule: lambda exact against spec.schedule.values (doubles), the lr array (float) and meta.lr_exact */
        memset(&sc, 0, sizeof sc);
        jstr(j, jp(j, f.spec, "schedule.type"), type, sizeof type);
        sc.type = sched_type(type);
        sc.warmup_steps = jlong(j, f.spec, "schedule.warmup_steps", 0);
        sc.total_steps = jlong(j, f.spec, "schedule.total_steps", 0);
        sc.num_cycles = jnum(j, f.spec, "schedule.num_cycles", 0.5);
        steps = (int)jlong(j, f.spec, "steps", 0);
        lr = fx_f32(&f, "lr", (long)steps * jcount(j, groups));
        lam = fx_f32(&f, "lr_lambda", steps);
        for (k = 0; k < steps; k++) {
            double l = mtl_schedule_lambda(&sc, k), want;
            want = jnum(j, jat(j, jp(j, f.spec, "schedule.values"), k), "", NAN);
            CHECK(l == want, "%s step %d: lambda %.17g, spec %.17g", names[fi], k + 1, l, want);
            if (lam) CHECK((float)l == lam[k], "%s step %d: lambda %.9g, lr_lambda %.9g", names[fi], k + 1, l, lam[k]);
            for (g = 0; g < jcount(j, groups); g++) {
                double glr = jnum(j, jat(j, groups, g), "base_lr", NAN) * l;
                int ex = jat(j, jat(j, jp(j, f.meta, "lr_exact"), k), g);
                if (lr) CHECK((float)glr == lr[k * jcount(j, groups) + g], "%s step %d group %d: lr %.9g, fixture %.9g", names[fi], k + 1, g, glr, lr[k * jcount(j, groups) + g]);
                if (ex >= 0) CHECK(glr == jnum(j, ex, "", NAN), "%s step %d group %d: lr %.17g, lr_exact %.17g", names[fi], k + 1, g, glr, jnum(j, ex, "", NAN));
            }
        }
        printf("  info: %s: %d groups as the spec (max |base_lr diff| %.3g), %d scheduled lrs exact\n", names[fi], P.n_groups, worst_lr, steps);
        mtl_params_free(&P);
        fx_free(&f);
    }
    {   /* HF cosine and constant-with-warmup, values by hand */
        mtl_schedule c;
        memset(&c, 0, sizeof c);
        c.type = MTL_SCHED_COSINE; c.warmup_steps = 2; c.total_steps = 10;
        CHECK(mtl_schedule_lambda(&c, 0) == 0 && mtl_schedule_lambda(&c, 1) == 0.5 && mtl_schedule_lambda(&c, 2) == 1.0, "cosine warmup");
        CHECK(fabs(mtl_schedule_lambda(&c, 6) - 0.5) < 1e-15 && fabs(mtl_schedule_lambda(&c, 4) - 0.5 * (1 + cos(3.141592653589793 * 0.25))) < 1e-15 &&
              mtl_schedule_lambda(&c, 10) < 1e-15 && mtl_schedule_lambda(&c, 12) >= 0, "cosine decay");
        c.num_cycles = 1.0;   /* a full cosine period: back up to 1 at the end */
        CHECK(fabs(mtl_schedule_lambda(&c, 10) - 1.0) < 1e-15, "cosine num_cycles 1");
        c.type = MTL_SCHED_CONSTANT;
        CHECK(mtl_schedule_lambda(&c, 1) == 0.5 && mtl_schedule_lambda(&c, 2) == 1.0 && mtl_schedule_lambda(&c, 100) == 1.0, "constant with warmup");
        c.type = MTL_SCHED_LINEAR; c.warmup_steps = 0;
        CHECK(mtl_schedule_lambda(&c, 0) == 1.0 && mtl_schedule_lambda(&c, 5) == 0.5 && mtl_schedule_lambda(&c, 11) == 0.0, "linear without warmup");
    }
}

/* ============================================================================ b) frozen-backbone trajectories */
static int head_only(const fixture *f, const task *t) {
    const mtl__json *j = &f->j;
    int arr = jp(j, f->spec, "trainable"), i;
    char s[160];
    for (i = 0; i < jcount(j, arr); i++) {
        size_t a = strlen(t->cls_prefix), b = strlen(t->ner_prefix);
        jstr(j, jat(j, arr, i), s, sizeof s);
        if (!((strncmp(s, t->cls_prefix, a) == 0 && s[a] == '.') || (strncmp(s, t->ner_prefix, b) == 0 && s[b] == '.'))) return 0;
    }
    return 1;
}

static void run_trajectory(const char *dir, const fixture *mt, const fixture *f, int *ran) {
    const mtl__json *j = &f->j;
    task t;
    mtl_optim opt;
    mtl_optim_config oc;
    mtl_schedule sc;
    mtl_error err;
    char s[200];
    int steps, k, i, g, groups, hcount, G, n_ner;
    double tatol, patol, maxn, ceps, w_loss = 0, w_gn = 0, w_gn_rel = 0, w_par = 0, w_fin = 0;
    float loss, lcls, lner, total = 0, coef = 1;
    const float *r_loss, *r_cls, *r_ner, *r_gn, *r_cc;
    long bad;
    (void)dir;
    if (!task_spec(&t, f)) return;
    if (!head_only(f, &t)) {
        printf("  info: %s: backbone trainable, needs the BERT backward: not replayed here\n", f->name);
        return;
    }
    /* the backbone is frozen and the batch the same: last_hidden_state is the multitask fixture's */
    {
        const char *same[] = {"input_ids", "attention_mask", "token_type_ids", "cls_labels", "ner_labels"};
        for (i = 0; i < 5; i++) {
            const fx_arr *a = fx_find(f, same[i]), *b = fx_find(mt, same[i]);
            CHECK(a && b && a->numel == b->numel && memcmp(f->bin + a->off, mt->bin + b->off, (size_t)a->numel * 4) == 0,
                  "%s: %s differs from the multitask fixture's", f->name, same[i]);
            if (!(a && b && a->numel == b->numel && memcmp(f->bin + a->off, mt->bin + b->off, (size_t)a->numel * 4) == 0)) return;
        }
    }
    hcount = (int)jlong(&mt->j, mt->spec, "hidden_states.count", -1);
    snprintf(s, sizeof s, "hidden_states.%d", hcount - 1);
    t.hidden = fx_f32(mt, s, (long)t.B * t.L * t.H);
    t.mask = fx_i32(f, "attention_mask", (long)t.B * t.L);
    t.cls_labels = fx_i32(f, "cls_labels", t.B);
    t.ner_labels = fx_i32(f, "ner_labels", (long)t.B * t.L);
    if (!t.hidden || !t.mask || !t.cls_labels || !t.ner_labels || !task_setup(&t, f, f)) { task_free(&t); return; }
    /* groups exactly as listed in the spec */
    groups = jp(j, f->spec, "groups");
    G = jcount(j, groups);
    for (g = 0; g < G; g++) {
        int gn = jat(j, groups, g), params = jp(j, gn, "params");
        jstr(j, jp(j, gn, "name"), s, sizeof s);
        CHECK(mtl_params_add_group(&t.P, s, jnum(j, gn, "base_lr", NAN), jnum(j, gn, "weight_decay", NAN)) == g, "add group");
        for (i = 0; i < jcount(j, params); i++) {
            int pi;
            jstr(j, jat(j, params, i), s, sizeof s);
            pi = mtl_params_find(&t.P, s);
            CHECK(pi >= 0, "%s: group member %s is not a head parameter", f->name, s);
            if (pi >= 0) t.P.t[pi].group = g;
        }
    }
    /* optimizer, schedule, clipping, tolerances */
    jstr(j, jp(j, f->spec, "optimizer.type"), s, sizeof s);
    mtl_optim_defaults(&oc, strcmp(s, "sgd") == 0 ? MTL_OPTIM_SGD : strcmp(s, "adam") == 0 ? MTL_OPTIM_ADAM : MTL_OPTIM_ADAMW);
    CHECK(!strcmp(s, "sgd") || !strcmp(s, "adam") || !strcmp(s, "adamw"), "%s: unknown optimizer %s", f->name, s);
    oc.beta1 = jnum(j, jat(j, jp(j, f->spec, "optimizer.betas"), 0), "", 0.9);
    oc.beta2 = jnum(j, jat(j, jp(j, f->spec, "optimizer.betas"), 1), "", 0.999);
    oc.eps = jnum(j, f->spec, "optimizer.eps", 1e-8);
    oc.momentum = jnum(j, f->spec, "optimizer.momentum", 0);
    oc.dampening = jnum(j, f->spec, "optimizer.dampening", 0);
    oc.nesterov = mtl__json_bool(j, jp(j, f->spec, "optimizer"), "nesterov", 0) == 1;
    memset(&sc, 0, sizeof sc);
    jstr(j, jp(j, f->spec, "schedule.type"), s, sizeof s);
    sc.type = sched_type(s);
    sc.warmup_steps = jlong(j, f->spec, "schedule.warmup_steps", 0);
    sc.total_steps = jlong(j, f->spec, "schedule.total_steps", 0);
    sc.num_cycles = jnum(j, f->spec, "schedule.num_cycles", 0.5);
    maxn = jnum(j, f->spec, "clip.max_norm", NAN);
    ceps = jnum(j, f->spec, "clip.eps", 1e-6);
    tatol = jnum(j, f->spec, "tolerances.trajectory_atol", 1e-4);
    patol = jnum(j, f->spec, "tolerances.final_param_atol", 1e-4);
    steps = (int)jlong(j, f->spec, "steps", 0);
    r_loss = fx_f32(f, "loss", steps);
    r_cls = fx_f32(f, "loss_cls", steps);
    r_ner = fx_f32(f, "loss_ner", steps);
    r_gn = fx_f32(f, "grad_norm", steps);
    r_cc = fx_f32(f, "clip_coef", steps);
    if (mtl_optim_init(&opt, &oc, &t.P, &err)) { CHECK(0, "%s", err.msg); task_free(&t); return; }
    for (k = 0; k < steps && r_loss && r_cls && r_ner && r_gn && r_cc; k++) {
        double lam = mtl_schedule_lambda(&sc, k);
        mtl_params_zero_grad(&t.P);
        if (!task_loss(&t, &loss, &lcls, &lner, &n_ner)) break;
        CHECK(fabs(loss - r_loss[k]) <= tatol && fabs(lcls - r_cls[k]) <= tatol && fabs(lner - r_ner[k]) <= tatol,
              "%s step %d: loss %.8g %.8g %.8g, want %.8g %.8g %.8g", f->name, k + 1, loss, lcls, lner, r_loss[k], r_cls[k], r_ner[k]);
        if (fabs(loss - r_loss[k]) > w_loss) w_loss = fabs(loss - r_loss[k]);
        if (fabs(lcls - r_cls[k]) > w_loss) w_loss = fabs(lcls - r_cls[k]);
        if (fabs(lner - r_ner[k]) > w_loss) w_loss = fabs(lner - r_ner[k]);
        task_backward(&t, NULL);
        if (maxn == maxn) coef = mtl_clip_grad_norm(&t.P, (float)maxn, (float)ceps, &total);
        else total = mtl_grad_norm(&t.P);
        CHECK(fabs(total - r_gn[k]) <= tatol && fabs(coef - r_cc[k]) <= tatol, "%s step %d: grad norm %.8g coef %.8g, want %.8g %.8g",
              f->name, k + 1, total, coef, r_gn[k], r_cc[k]);
        if (fabs(total - r_gn[k]) > w_gn) w_gn = fabs(total - r_gn[k]);
        if (fabs(total - r_gn[k]) / r_gn[k] > w_gn_rel) w_gn_rel = fabs(total - r_gn[k]) / r_gn[k];
        if (mtl_optim_step(&opt, &t.P, lam, &err)) { CHECK(0, "%s", err.msg); break; }
        for (i = 0; i < t.P.count; i++) {
            const float *sp;
            snprintf(s, sizeof s, "step_params.%s", t.P.t[i].name);
            if (!fx_find(f, s)) continue;
            sp = fx_f32(f, s, (long)steps * (long)t.P.t[i].numel);
            if (!sp) continue;
            bad = 0;
            {
                double e = cmp(t.P.data + t.P.t[i].offset, sp + (size_t)k * t.P.t[i].numel, t.P.t[i].numel, patol, 0, &bad);
                CHECK(bad == 0, "%s step %d: %s max err %g", f->name, k + 1, s, e);
                if (e > w_par) w_par = e;
            }
        }
    }
    /* the final loss and parameters */
    {
        const float *fl = fx_f32(f, "final_loss", 1), *fc = fx_f32(f, "final_loss_cls", 1), *fn = fx_f32(f, "final_loss_ner", 1);
        if (fl && fc && fn && task_loss(&t, &loss, &lcls, &lner, &n_ner)) {
            CHECK(fabs(loss - fl[0]) <= tatol && fabs(lcls - fc[0]) <= tatol && fabs(lner - fn[0]) <= tatol,
                  "%s: final loss %.8g %.8g %.8g, want %.8g %.8g %.8g", f->name, loss, lcls, lner, fl[0], fc[0], fn[0]);
            w_fin = fabs(loss - fl[0]);
        }
        for (i = 0; i < t.P.count; i++) {
            const float *pv;
            snprintf(s, sizeof s, "param.%s", t.P.t[i].name);
            if (!t.P.t[i].trainable && !fx_find(f, s)) continue;
            pv = fx_f32(f, s, (long)t.P.t[i].numel);
            if (!pv) continue;
            bad = 0;
            {
                double e = cmp(t.P.data + t.P.t[i].offset, pv, t.P.t[i].numel, patol, 0, &bad);
                CHECK(bad == 0, "%s: %s max err %g", f->name, s, e);
                if (e > w_par) w_par = e;
            }
        }
    }
    printf("  info: %s: %d steps: max |loss err| %.3g, |grad_norm err| %.3g (rel %.3g), |param err| %.3g, final loss err %.3g\n",
           f->name, steps, w_loss, w_gn, w_gn_rel, w_par, w_fin);
    (*ran)++;
    mtl_optim_free(&opt);
    task_free(&t);
}

static void test_train_frozen_backbone(void) {
    char dir[900], nm[1000], names[32][128];
    fixture mt;
    int nf, fi, ran = 0;
    golden_dir(dir, sizeof dir);
    snprintf(nm, sizeof nm, "%s/multitask.idx", dir);
    if (!mtl_t_exists(nm)) SKIP("no %s", nm);
    nf = list_fixtures(dir, "train", names, 32);
    if (nf == 0) SKIP("no train fixtures in %s", dir);
    if (!fx_load(&mt, dir, "multitask")) { fx_free(&mt); return; }
    for (fi = 0; fi < nf; fi++) {
        fixture f;
        if (fx_load(&f, dir, names[fi])) run_trajectory(dir, &mt, &f, &ran);
        fx_free(&f);
    }
    fx_free(&mt);
    if (!ran) SKIP("no train fixture with only the heads trainable in %s", dir);
}

/* ============================================================================ c) finite differences */
static uint64_t rng_state = 88172645463325252ull;
static float frand(void) {   /* uniform [-1, 1) */
    rng_state ^= rng_state << 13; rng_state ^= rng_state >> 7; rng_state ^= rng_state << 17;
    return (float)(rng_state >> 40) / 8388608.0f - 1.0f;
}
static void fill(float *x, size_t n, float scale) { size_t i; for (i = 0; i < n; i++) x[i] = scale * frand(); }
static double dot(const float *a, const float *r, size_t n) { double s = 0; size_t i; for (i = 0; i < n; i++) s += (double)a[i] * r[i]; return s; }

typedef double (*fd_eval)(void *ctx);
/* max over i of |central difference of f wrt x[i] - grad[i]| / max(1, |grad[i]|) */
static double fd_err(fd_eval f, void *ctx, float *x, const float *grad, size_t n, float h) {
    double worst = 0;
    size_t i;
    for (i = 0; i < n; i++) {
        float x0 = x[i];
        double fp, fm, hp, hm, fd, e;
        x[i] = x0 + h; hp = (double)x[i] - x0; fp = f(ctx);
        x[i] = x0 - h; hm = x0 - (double)x[i]; fm = f(ctx);
        x[i] = x0;
        fd = (fp - fm) / (hp + hm);
        e = fabs(fd - grad[i]) / (fabs(grad[i]) > 1 ? fabs(grad[i]) : 1);
        if (e > worst || e != e) worst = e;
    }
    return worst;
}
static double fd_worst;
static char fd_worst_what[80];
static void fd_check(const char *what, double e, double tol) {
    CHECK(e <= tol, "%s: finite-difference error %.3g > %g", what, e, tol);
    if (e > fd_worst) { fd_worst = e; snprintf(fd_worst_what, sizeof fd_worst_what, "%s", what); }
}
static void fd_summary(const char *group, int n) {
    printf("  info: %d finite-difference checks of %s: max error %.2e (%s)\n", n, group, fd_worst, fd_worst_what);
    fd_worst = 0;
}

/* loss = sum r*y for an op on x (and weights) */
typedef struct opctx {
    int kind;                 /* 0 linear 1 gelu 2 relu 3 dropout 4 mean 5 cls 6 max 7 l2norm 8 tanh */
    float *x, *w, *b, *y, *r;
    int32_t *mask, *argmax;
    int n, in, out, B, L, H;
    uint64_t seed;
} opctx;
static size_t op_out_n(const opctx *c) {
    return c->kind == 0 ? (size_t)c->n * (size_t)c->out : c->kind >= 4 && c->kind <= 6 ? (size_t)c->B * (size_t)c->H
         : c->kind == 7 ? (size_t)c->n * (size_t)c->in : (size_t)c->n;
}
static double op_eval(void *p) {
    opctx *c = (opctx *)p;
    switch (c->kind) {
    case 0: mtl_linear_forward(c->y, c->x, c->w, c->b, c->n, c->in, c->out); break;
    case 1: mtl_gelu_forward(c->y, c->x, (size_t)c->n); break;
    case 2: mtl_relu_forward(c->y, c->x, (size_t)c->n); break;
    case 3: mtl_dropout_forward(c->y, c->x, (size_t)c->n, 0.4f, c->seed, 1); break;
    case 4: mtl_pool_mean_forward(c->y, c->x, c->mask, c->B, c->L, c->H); break;
    case 5: mtl_pool_cls_forward(c->y, c->x, c->B, c->L, c->H); break;
    case 6: mtl_pool_max_forward(c->y, c->argmax, c->x, c->mask, c->B, c->L, c->H); break;
    case 8: mtl_tanh_forward(c->y, c->x, (size_t)c->n); break;
    default: mtl_l2norm_forward(c->y, c->x, c->n, c->in); break;
    }
    return dot(c->y, c->r, op_out_n(c));
}

static void test_fd_ops(void) {
    enum { N = 3, IN = 5, OUT = 4, B = 3, L = 4, H = 3, E = 24 };
    float x[64], w[64], b[8], y[64], r[64], dx[64], dw[64], db[8];
    int32_t mask[B * L] = {1, 1, 1, 0, 1, 1, 0, 0, 0, 0, 0, 0}, argmax[B * H];
    opctx c;
    int i, k;
    memset(&c, 0, sizeof c);
    c.x = x; c.w = w; c.b = b; c.y = y; c.r = r; c.mask = mask; c.argmax = argmax;
    /* linear */
    c.kind = 0; c.n = N; c.in = IN; c.out = OUT;
    fill(x, N * IN, 1); fill(w, OUT * IN, 0.5f); fill(b, OUT, 0.1f); fill(r, N * OUT, 1);
    memset(dx, 0, sizeof dx); memset(dw, 0, sizeof dw); memset(db, 0, sizeof db);
    mtl_linear_backward(dx, dw, db, r, x, w, N, IN, OUT);
    fd_check("linear dx", fd_err(op_eval, &c, x, dx, N * IN, 1e-2f), 1e-4);
    fd_check("linear dW", fd_err(op_eval, &c, w, dw, OUT * IN, 1e-2f), 1e-4);
    fd_check("linear db", fd_err(op_eval, &c, b, db, OUT, 1e-2f), 1e-4);
    /* gelu, relu, dropout on E elements */
    for (k = 1; k <= 3; k++) {
        c.kind = k; c.n = E; c.seed = 12345;
        fill(x, E, 3); fill(r, E, 1);
        for (i = 0; i < E; i++) if (fabsf(x[i]) < 0.05f) x[i] += x[i] < 0 ? -0.05f : 0.05f;  /* away from relu's kink */
        memset(dx, 0, sizeof dx);
        if (k == 1) mtl_gelu_backward(dx, r, x, E);
        else if (k == 2) mtl_relu_backward(dx, r, x, E);
        else mtl_dropout_backward(dx, r, E, 0.4f, c.seed, 1);
        fd_check(k == 1 ? "gelu" : k == 2 ? "relu" : "dropout (training)", fd_err(op_eval, &c, x, dx, E, k == 1 ? 1e-2f : 1e-3f), 1e-4);
    }
    /* poolings: B=3 rows with 3, 2 and 0 real tokens */
    for (k = 4; k <= 6; k++) {
        c.kind = k; c.B = B; c.L = L; c.H = H;
        for (i = 0; i < B * L * H; i++) x[i] = (float)((i * 7) % (B * L * H)) * 0.1f + 0.01f * frand();   /* distinct (max) */
        fill(r, B * H, 1);
        if (k == 6) for (i = 2 * H; i < 3 * H; i++) r[i] = 0;   /* the empty row's -1e9 would swamp the sum */
        op_eval(&c);
        memset(dx, 0, sizeof dx);
        if (k == 4) mtl_pool_mean_backward(dx, r, mask, B, L, H);
        else if (k == 5) mtl_pool_cls_backward(dx, r, B, L, H);
        else mtl_pool_max_backward(dx, r, argmax, B, L, H);
        fd_check(k == 4 ? "mean pooling" : k == 5 ? "cls pooling" : "max pooling", fd_err(op_eval, &c, x, dx, B * L * H, 1e-3f), 1e-4);
    }
    /* the empty row: mean 0, max -1e9 with no argmax; padding never gets a gradient */
    c.kind = 4; op_eval(&c);
    CHECK(y[2 * H] == 0 && y[2 * H + 2] == 0, "mean of an empty row");
    c.kind = 6; op_eval(&c);
    CHECK(y[2 * H] == -1e9f && argmax[2 * H] == -1 && argmax[0] >= 0 && argmax[0] < 3, "max of an empty row");
    /* l2 normalize: 3 rows of 5, plus the forward against F.normalize on a known vector */
    c.kind = 7; c.n = 3; c.in = 5;
    fill(x, 15, 1); fill(r, 15, 1);
    memset(dx, 0, sizeof dx);
    mtl_l2norm_backward(dx, r, x, 3, 5);
    fd_check("l2 normalize", fd_err(op_eval, &c, x, dx, 15, 1e-3f), 1e-4);
    { float v[2] = {3, 4}, o[2]; mtl_l2norm_forward(o, v, 1, 2); CHECK(o[0] == 0.6f && o[1] == 0.8f, "normalize (3,4): %g %g", o[0], o[1]); }
    { float v[2] = {0, 0}, o[2]; mtl_l2norm_forward(o, v, 1, 2); CHECK(o[0] == 0 && o[1] == 0, "normalize 0"); }
    /* tanh (RoBERTa's classification head) */
    c.kind = 8; c.n = E;
    fill(x, E, 3); fill(r, E, 1);
    memset(dx, 0, sizeof dx);
    mtl_tanh_backward(dx, r, x, E);
    fd_check("tanh", fd_err(op_eval, &c, x, dx, E, 1e-3f), 1e-4);
    { float v[2] = {0.5f, -2.0f}, o[2]; mtl_tanh_forward(o, v, 2); CHECK(fabs(o[0] - 0.46211715726000974) < 1e-7 && fabs(o[1] + 0.9640275800758169) < 1e-7, "tanh %g %g", o[0], o[1]); }
    fd_summary("linear dx/dW/db, gelu, relu, dropout, mean/cls/max pooling, l2 normalize, tanh", 11);
}

/* dropout semantics: eval / p=0 identity, training keeps about 1-p scaled by 1/(1-p), seeded */
static void test_dropout(void) {
    enum { N = 20000 };
    static float x[N], y[N], y2[N];
    int i, kept = 0, same = 1, diff = 0;
    for (i = 0; i < N; i++) x[i] = 1.0f + (float)(i % 7);
    mtl_dropout_forward(y, x, N, 0.1f, 1, 0);
    CHECK(memcmp(x, y, sizeof x) == 0, "eval dropout is the identity");
    mtl_dropout_forward(y, x, N, 0.0f, 1, 1);
    CHECK(memcmp(x, y, sizeof x) == 0, "p = 0 dropout is the identity");
    mtl_dropout_forward(y, x, N, 0.1f, 77, 1);
    mtl_dropout_forward(y2, x, N, 0.1f, 77, 1);
    for (i = 0; i < N; i++) {
        if (y[i] != 0) { kept++; if (y[i] != x[i] * (1.0f / 0.9f)) same = 0; }
        if (y[i] != y2[i]) same = 0;
    }
    CHECK(same, "kept values are x/(1-p) and the same seed gives the same mask");
    CHECK(abs(kept - 18000) < 300, "kept %d of %d at p = 0.1", kept, N);
    mtl_dropout_forward(y2, x, N, 0.1f, mtl_rand_seed(77, 1, 0), 1);
    for (i = 0; i < N; i++) diff += (y[i] == 0) != (y2[i] == 0);
    CHECK(diff > 1000, "another seed gives another mask (%d differences)", diff);
    mtl_dropout_forward(y, x, N, 1.0f, 3, 1);
    for (i = 0; i < N; i++) if (y[i] != 0) same = 0;
    CHECK(same, "p = 1 drops everything");
    memcpy(y, x, sizeof x);
    mtl_dropout_forward(y, y, N, 0.5f, 5, 1);   /* in place */
    mtl_dropout_forward(y2, x, N, 0.5f, 5, 1);
    CHECK(memcmp(y, y2, sizeof y) == 0, "in-place dropout");
}

/* cross-entropy: against torch's decomposition computed independently here (in double):
   (1-eps) * nll_loss(log_softmax, weight) + (eps/C) * sum_i(-sum_c w_c logp_ic) / sum_i w_{y_i};
   and the gradient against finite differences. */
typedef struct cectx { float *z; int32_t *y; int n, C; mtl_ce_options o; } cectx;
static double ce_eval(void *p) {
    cectx *c = (cectx *)p;
    float l = 0;
    mtl_cross_entropy(&l, NULL, c->z, c->y, c->n, c->C, &c->o, 1.0f, NULL, NULL);
    return l;
}
static double ce_ref(const float *z, const int32_t *y, int n, int C, const mtl_ce_options *o) {
    double nll = 0, wsum = 0, smooth = 0, eps = o->label_smoothing;
    int i, c;
    for (i = 0; i < n; i++) {
        double m = -1e30, s = 0, sm = 0;
        if (y[i] == o->ignore_index) continue;
        for (c = 0; c < C; c++) if (z[i * C + c] > m) m = z[i * C + c];
        for (c = 0; c < C; c++) s += exp(z[i * C + c] - m);
        for (c = 0; c < C; c++) sm += (o->class_weight ? o->class_weight[c] : 1.0) * (z[i * C + c] - m - log(s));
        nll += -(o->class_weight ? o->class_weight[y[i]] : 1.0) * (z[i * C + y[i]] - m - log(s));
        wsum += o->class_weight ? o->class_weight[y[i]] : 1.0;
        smooth += -sm;
    }
    return (1 - eps) * nll / wsum + eps / C * smooth / wsum;
}
static void test_cross_entropy(void) {
    enum { N = 7, C = 5 };
    float z[N * C], dz[N * C], wts[C] = {0.5f, 2.0f, 1.0f, 0.25f, 3.0f}, loss = 0;
    int32_t y[N] = {0, 4, -100, 2, 1, -100, 3};
    cectx c;
    int v, cnt = 0, i;
    mtl_error err;
    fill(z, N * C, 3);
    c.z = z; c.y = y; c.n = N; c.C = C;
    for (v = 0; v < 4; v++) {
        char what[64];
        memset(&c.o, 0, sizeof c.o);
        c.o.ignore_index = -100;
        c.o.class_weight = v & 1 ? wts : NULL;
        c.o.label_smoothing = v & 2 ? 0.1f : 0.0f;
        CHECK(mtl_cross_entropy(&loss, dz, z, y, N, C, &c.o, 1.0f, &cnt, &err) == MTL_OK, "%s", err.msg);
        CHECK(cnt == 5, "counted %d", cnt);
        CHECK(fabs(loss - ce_ref(z, y, N, C, &c.o)) < 1e-6, "loss %.8g, reference %.8g (variant %d)", loss, ce_ref(z, y, N, C, &c.o), v);
        for (i = 0; i < C; i++) CHECK(dz[2 * C + i] == 0 && dz[5 * C + i] == 0, "ignored rows get no gradient");
        snprintf(what, sizeof what, "CE%s%s", v & 1 ? " +weights" : "", v & 2 ? " +smoothing" : "");
        fd_check(what, fd_err(ce_eval, &c, z, dz, N * C, 1e-2f), 1e-4);
    }
    fd_summary("cross-entropy (ignore index, class weights, label smoothing)", 4);
    /* dscale scales the gradient only */
    {
        float dz2[N * C], l2;
        mtl_cross_entropy(&l2, dz2, z, y, N, C, &c.o, 0.25f, NULL, NULL);
        for (i = 0; i < N * C; i++) CHECK(fabsf(dz2[i] - 0.25f * dz[i]) <= 1e-7f, "dscale");
        CHECK(l2 == loss, "dscale changes the loss");
    }
    /* NULL options = torch defaults; all ignored -> 0 (torch: NaN); a bad label is refused */
    {
        int32_t all[3] = {-100, -100, -100}, badl[2] = {0, 5};
        CHECK(mtl_cross_entropy(&loss, dz, z, y, N, C, NULL, 1.0f, &cnt, NULL) == MTL_OK && cnt == 5, "defaults");
        CHECK(mtl_cross_entropy(&loss, dz, z, all, 3, C, NULL, 1.0f, &cnt, NULL) == MTL_OK && loss == 0 && cnt == 0 && dz[0] == 0, "all ignored");
        CHECK(mtl_cross_entropy(&loss, dz, z, badl, 2, C, NULL, 1.0f, &cnt, &err) == MTL_ERR_ARG, "label 5 of 5 classes is refused");
    }
    /* the multi-task sum in float */
    CHECK(mtl_multitask_loss(0.4, 1.1370406f, 0.6, 2.0014656f) == 0.4f * 1.1370406f + 0.6f * 2.0014656f, "multitask sum");
}

/* heads: linear and MLP (GELU / ReLU, dropout in training), as sequence (3 poolings) and token heads */
typedef struct headctx {
    mtl_params *P;
    mtl_head *h;
    int seq, B, L;
    mtl_head_pool pool;
    const int32_t *mask;
    float *hidden, *out, *r, *cache;
    int32_t *argmax;
    int training;
} headctx;
static double head_eval(void *p) {
    headctx *c = (headctx *)p;
    if (c->seq) mtl_seq_head_forward(c->h, c->pool, c->out, c->hidden, c->mask, c->B, c->L, c->cache, c->argmax, c->training, 99);
    else mtl_head_forward(c->h, c->out, c->hidden, c->B * c->L, c->cache, c->training, 99);
    return dot(c->out, c->r, (size_t)(c->seq ? c->B : c->B * c->L) * (size_t)c->h->cfg.out_dim);
}
static void test_fd_heads(void) {
    enum { B = 2, L = 4, H = 6, HID = 5, OUT = 3 };
    int32_t mask[B * L] = {1, 1, 1, 0, 1, 1, 1, 1};
    float hidden[B * L * H], out[B * L * OUT], r[B * L * OUT], dh[B * L * H], cache[256];
    int32_t argmax[B * H];
    int variant;
    for (variant = 0; variant < 16; variant++) {
        /* variant: kind (0 linear, 1 mlp gelu, 2 mlp relu + dropout, 3 mlp tanh: RoBERTa's head), then seq pools cls/mean/max, token */
        int kind = variant < 12 ? variant % 3 : 3, mode = variant < 12 ? variant / 3 : variant - 12;    /* mode 0 cls, 1 mean, 2 max, 3 token */
        mtl_params P;
        mtl_head h;
        mtl_head_config cfg;
        mtl_error err;
        headctx c;
        char what[80];
        int i;
        double e;
        memset(&P, 0, sizeof P);
        memset(&cfg, 0, sizeof cfg);
        cfg.in_dim = H; cfg.out_dim = OUT; cfg.hidden_dim = kind ? HID : 0;
        cfg.act = kind == 2 ? MTL_ACT_RELU : kind == 3 ? MTL_ACT_TANH : MTL_ACT_GELU;
        cfg.dropout = kind == 2 ? 0.3f : 0.1f;
        if (mtl_head_add_params(&P, "head", &cfg, &err) || mtl_params_alloc(&P, &err) || mtl_head_bind(&h, &P, "head", &cfg, &err)) {
            CHECK(0, "%s", err.msg);
            mtl_params_free(&P);
            continue;
        }
        CHECK(P.count == (kind ? 4 : 2) && mtl_params_find(&P, kind ? "head.out_proj.weight" : "head.weight") >= 0, "head param names");
        fill(P.data, P.n, 0.5f);
        for (i = 0; i < B * L * H; i++) hidden[i] = mode == 2 ? (float)((i * 11) % (B * L * H)) * 0.02f + 0.002f * frand() : frand();
        fill(r, sizeof r / sizeof r[0], 1);
        CHECK(mtl_seq_head_cache_floats(&cfg, B) <= 256 && mtl_head_cache_floats(&cfg, B * L) <= 256, "cache size");
        memset(&c, 0, sizeof c);
        c.P = &P; c.h = &h; c.seq = mode < 3; c.B = B; c.L = L; c.pool = (mtl_head_pool)(mode + 1); c.mask = mask;
        c.hidden = hidden; c.out = out; c.r = r; c.cache = cache; c.argmax = argmax; c.training = kind == 2;
        head_eval(&c);
        mtl_params_zero_grad(&P);
        memset(dh, 0, sizeof dh);
        if (c.seq) mtl_seq_head_backward(&h, c.pool, dh, r, hidden, mask, B, L, cache, argmax, c.training, 99);
        else mtl_head_backward(&h, dh, r, hidden, B * L, cache, c.training, 99);
        snprintf(what, sizeof what, "%s head, %s", kind == 0 ? "linear" : kind == 1 ? "mlp gelu" : kind == 2 ? "mlp relu+drop" : "mlp tanh",
                 mode == 0 ? "cls" : mode == 1 ? "mean" : mode == 2 ? "max" : "token");
        e = fd_err(head_eval, &c, hidden, dh, B * L * H, 1e-3f);
        for (i = 0; i < P.count; i++) {
            double ep = fd_err(head_eval, &c, P.data + P.t[i].offset, P.grad + P.t[i].offset, P.t[i].numel, 1e-3f);
            if (ep > e) e = ep;
        }
        fd_check(what, e, 2e-4);
        mtl_params_free(&P);
    }
    fd_summary("heads (linear / MLP gelu / MLP relu+dropout / MLP tanh) x (cls, mean, max pooling, token), d input and d params", 16);
}

/* ============================================================================ d) optimizers by hand */
/* No fixture exists for Adam and SGD (and AdamW is also covered by the trajectory test): two
   tensors in two groups, three updates with given gradients, against the update formulas of
   torch.optim (torch 1.13, README section 8) evaluated here in double, an independent code path. */
static void test_optimizers_by_hand(void) {
    static const float g_a[3][3] = {{0.5f, -1.0f, 2.0f}, {0.1f, 0.3f, -0.2f}, {-0.7f, 0.05f, 1.5f}};
    static const float g_b[3][2] = {{1.0f, -0.25f}, {-0.5f, 0.75f}, {0.2f, 0.0f}};
    static const float p_a0[3] = {1.0f, -2.0f, 0.5f}, p_b0[2] = {0.3f, -0.1f};
    const double lr_g[2] = {0.01, 0.05}, wd_g[2] = {0.1, 0.0}, scale[3] = {1.0, 0.5, 0.25};
    int variant;
    double worst = 0;
    for (variant = 0; variant < 5; variant++) {
        /* 0 adamw, 1 adam, 2 sgd, 3 sgd momentum 0.9, 4 sgd momentum 0.9 dampening 0.1 nesterov */
        mtl_params P;
        mtl_optim o;
        mtl_optim_config oc;
        mtl_error err;
        int s3 = 3, s2 = 2, step, i, t;
        double p[2][3], m[2][3] = {{0}}, v[2][3] = {{0}};
        memset(&P, 0, sizeof P);
        if (mtl_params_add(&P, "a.weight", 1, &s3, &err) || mtl_params_add(&P, "b.bias", 1, &s2, &err) || mtl_params_alloc(&P, &err)) {
            CHECK(0, "%s", err.msg);
            return;
        }
        CHECK(mtl_params_add_group(&P, "g0", lr_g[0], wd_g[0]) == 0 && mtl_params_add_group(&P, "g1", lr_g[1], wd_g[1]) == 1, "groups");
        P.t[0].group = 0; P.t[1].group = 1;
        memcpy(P.data + P.t[0].offset, p_a0, sizeof p_a0);
        memcpy(P.data + P.t[1].offset, p_b0, sizeof p_b0);
        for (i = 0; i < 3; i++) p[0][i] = p_a0[i];
        for (i = 0; i < 2; i++) p[1][i] = p_b0[i];
        mtl_optim_defaults(&oc, variant == 0 ? MTL_OPTIM_ADAMW : variant == 1 ? MTL_OPTIM_ADAM : MTL_OPTIM_SGD);
        if (variant >= 3) oc.momentum = 0.9;
        if (variant == 4) { oc.dampening = 0.1; oc.nesterov = 1; }
        if (mtl_optim_init(&o, &oc, &P, &err)) { CHECK(0, "%s", err.msg); mtl_params_free(&P); return; }
        for (step = 1; step <= 3; step++) {
            for (i = 0; i < 3; i++) P.grad[P.t[0].offset + (size_t)i] = g_a[step - 1][i];
            for (i = 0; i < 2; i++) P.grad[P.t[1].offset + (size_t)i] = g_b[step - 1][i];
            CHECK(mtl_optim_step(&o, &P, scale[step - 1], &err) == MTL_OK, "%s", err.msg);
            for (t = 0; t < 2; t++)
                for (i = 0; i < (t ? 2 : 3); i++) {
                    double g = t ? g_b[step - 1][i] : g_a[step - 1][i], lr = lr_g[t] * scale[step - 1], wd = wd_g[t];
                    double bc1 = 1 - pow(0.9, step), bc2 = 1 - pow(0.999, step);
                    if (variant == 0) {
                        p[t][i] *= 1 - lr * wd;
                        m[t][i] = 0.9 * m[t][i] + 0.1 * g;
                        v[t][i] = 0.999 * v[t][i] + 0.001 * g * g;
                        p[t][i] -= lr / bc1 * m[t][i] / (sqrt(v[t][i]) / sqrt(bc2) + 1e-8);
                    } else if (variant == 1) {
                        g += wd * p[t][i];
                        m[t][i] = 0.9 * m[t][i] + 0.1 * g;
                        v[t][i] = 0.999 * v[t][i] + 0.001 * g * g;
                        p[t][i] -= lr / bc1 * m[t][i] / (sqrt(v[t][i]) / sqrt(bc2) + 1e-8);
                    } else {
                        g += wd * p[t][i];
                        if (variant >= 3) {
                            m[t][i] = step == 1 ? g : 0.9 * m[t][i] + (variant == 4 ? 0.9 : 1.0) * g;
                            g = variant == 4 ? g + 0.9 * m[t][i] : m[t][i];
                        }
                        p[t][i] -= lr * g;
                    }
                    {
                        double got = P.data[P.t[t].offset + (size_t)i], d = fabs(got - p[t][i]);
                        CHECK(d <= 2e-6, "variant %d step %d tensor %d[%d]: %.9g, by hand %.9g", variant, step, t, i, got, p[t][i]);
                        if (d > worst) worst = d;
                    }
                }
        }
        CHECK(o.step == 3, "step count");
        /* lr 0 changes nothing but advances the state (HF's first warmup step) */
        {
            float before[3];
            memcpy(before, P.data, sizeof before);
            if (variant < 2) {
                mtl_optim_step(&o, &P, 0.0, NULL);
                CHECK(memcmp(before, P.data, sizeof before) == 0 && o.step == 4, "lr 0 keeps the parameters (variant %d)", variant);
            }
        }
        /* a trainable tensor without a group is refused */
        P.t[1].group = -1;
        CHECK(mtl_optim_step(&o, &P, 1.0, &err) == MTL_ERR_ARG, "a tensor in no group");
        mtl_optim_free(&o);
        mtl_params_free(&P);
    }
    printf("  info: optimizers (adamw, adam, sgd, sgd momentum, nesterov) vs hand-derived doubles: max |diff| %.3g\n", worst);
}

/* parameter table, clipping and accumulation helpers */
static void test_params_api(void) {
    mtl_params P;
    mtl_error err;
    int s[2] = {3, 4}, bad[2] = {0, 4}, one = 5;
    float total, coef;
    size_t i;
    memset(&P, 0, sizeof P);
    CHECK(mtl_params_add(&P, "x.weight", 2, s, &err) == MTL_OK, "add");
    CHECK(mtl_params_add(&P, "x.weight", 2, s, &err) == MTL_ERR_ARG, "duplicate name");
    CHECK(mtl_params_add(&P, "y", 2, bad, &err) == MTL_ERR_SHAPE, "zero dim");
    CHECK(mtl_params_add(&P, "x.bias", 1, &one, &err) == MTL_OK, "add");
    CHECK(mtl_params_add(&P, "frozen", 1, &one, &err) == MTL_OK, "add");
    CHECK(mtl_params_alloc(&P, &err) == MTL_OK, "alloc");
    CHECK(mtl_params_add(&P, "late", 1, &one, &err) == MTL_ERR_ARG, "add after alloc");
    CHECK(((uintptr_t)mtl_params_data(&P, "x.bias") & 63) == 0 && ((uintptr_t)mtl_params_grad(&P, "frozen") & 63) == 0, "aligned views");
    CHECK(mtl_params_data(&P, "nope") == NULL && mtl_params_find(&P, "x.bias") == 1, "find");
    CHECK(mtl_param_no_decay("a.LayerNorm.weight") && mtl_param_no_decay("a.bias") && !mtl_param_no_decay("a.weight") &&
          !mtl_param_no_decay("LayerNorm.bias.x"), "no-decay rule");
    P.t[2].trainable = 0;
    for (i = 0; i < P.n; i++) P.grad[i] = 1.0f;   /* padding too: must not count */
    total = mtl_grad_norm(&P);
    CHECK(total == sqrtf(17.0f), "norm over trainable tensors only: %.9g", total);
    coef = mtl_clip_grad_norm(&P, 2.0f, 1e-6f, &total);
    CHECK(coef == (1.0f / (sqrtf(17.0f) + 1e-6f)) * 2.0f && mtl_params_grad(&P, "x.bias")[0] == coef &&
          mtl_params_grad(&P, "frozen")[0] == 1.0f, "clip scales trainable grads only");
    coef = mtl_clip_grad_norm(&P, 100.0f, 1e-6f, &total);
    CHECK(coef == 1.0f, "no clip below max_norm");
    mtl_params_scale_grad(&P, 0.5f);
    CHECK(mtl_params_grad(&P, "frozen")[0] == 1.0f, "scale skips frozen");
    {
        float a[3] = {1, 2, 3}, b[3] = {1, 1, 1};
        mtl_accumulate(a, b, 3, 0.5f);
        CHECK(a[0] == 1.5f && a[2] == 3.5f, "accumulate");
    }
    /* torch 1.13's AVX2 norm kernel, written out here from ATen's norm_kernel_tensor_iterator_impl:
       Vectorized<float> (8 lanes) acc = fmadd(x, x, acc); store; buffer[0] += buffer[j] in order; the
       tail buffer[0] += x*x unfused; sqrt. mtl_norm2 must agree bit for bit at every length. */
    {
        static float v[1000];
        int len, k, same = 1;
        for (k = 0; k < 1000; k++) v[k] = frand() * (k % 3 ? 1.2345678f : 1.2345678e-3f);
        for (len = 0; len <= 1000; len++) {
            float acc[8] = {0, 0, 0, 0, 0, 0, 0, 0}, want;
            volatile float sq;
            int d = 0, lane;
            for (; d + 8 <= len; d += 8) for (lane = 0; lane < 8; lane++) acc[lane] = fmaf(v[d + lane], v[d + lane], acc[lane]);
            for (lane = 1; lane < 8; lane++) acc[0] = acc[0] + acc[lane];
            for (; d < len; d++) { sq = v[d] * v[d]; acc[0] = acc[0] + sq; }
            want = sqrtf(acc[0]);
            if (mtl_norm2(v, (size_t)len) != want) same = 0;
        }
        CHECK(same, "mtl_norm2 is not torch's AVX2 summation");
    }
    /* norm summation: 8 fused lanes then a plain tail; equals the exact norm closely */
    {
        float v[21];
        double s = 0;
        int k;
        for (k = 0; k < 21; k++) { v[k] = 0.1f * (float)(k + 1); s += (double)v[k] * v[k]; }
        CHECK(fabs(mtl_norm2(v, 21) - sqrt(s)) < 1e-6, "norm2");
        CHECK(mtl_norm2(v, 0) == 0, "empty norm");
    }
    mtl_params_free(&P);
    /* make_groups: layer-wise lr and blocks from names, "bert." prefix, pooler frozen */
    {
        const char *names[] = {"bert.embeddings.word_embeddings.weight", "bert.embeddings.LayerNorm.weight",
                               "bert.encoder.layer.0.attention.self.query.weight", "bert.encoder.layer.1.output.dense.bias",
                               "bert.pooler.dense.weight", "classifier.weight", "classifier.bias"};
        mtl_group_rule rule;
        int k;
        memset(&P, 0, sizeof P);
        for (k = 0; k < 7; k++) mtl_params_add(&P, names[k], 1, &one, NULL);
        memset(&rule, 0, sizeof rule);
        rule.base_lr = 1e-3; rule.layer_decay = 0.5; rule.head_mult = 10; rule.weight_decay = 0.01;
        CHECK(mtl_params_make_groups(&P, &rule, &err) == MTL_OK, "make_groups");
        CHECK(P.n_groups == 6, "groups %d", P.n_groups);
        if (P.n_groups == 6) {
            CHECK(!strcmp(P.groups[0].name, "embeddings.decay") && P.groups[0].lr == 1e-3 * 0.25 && P.groups[0].weight_decay == 0.01, "emb");
            CHECK(!strcmp(P.groups[1].name, "embeddings.no_decay") && P.groups[1].weight_decay == 0, "emb no decay");
            CHECK(!strcmp(P.groups[2].name, "layer0.decay") && P.groups[2].lr == 1e-3 * 0.5, "layer0");
            CHECK(!strcmp(P.groups[3].name, "layer1.no_decay") && P.groups[3].lr == 1e-3, "layer1");
            CHECK(!strcmp(P.groups[4].name, "heads.decay") && P.groups[4].lr == 1e-3 * 10 && P.t[5].group == 4 && P.t[6].group == 5, "heads");
        }
        CHECK(P.t[4].trainable == 0 && P.t[4].group == -1, "pooler is frozen");
        rule.num_layers = 1;   /* encoder.layer.1 does not fit */
        CHECK(mtl_params_make_groups(&P, &rule, &err) == MTL_ERR_ARG, "layer beyond num_layers");
        mtl_params_free(&P);
    }
}

/* The optimizer's vector loop (AVX2, 8 at a time; on AVX2 and AVX-512 CPUs) against its scalar loop:
   the same bits for Adam, AdamW and Adam + L2, over steps whose m, v feed the next, on a length that
   leaves a scalar tail. */
static void test_adam_isa_bits(void) {
    enum { N = 1000 + 7, STEPS = 6 };
    static float w[2][N], m[2][N], v[2][N], g[N];
    int isa, mode, step, k, diff = 0, n_isa = 0;
    uint64_t s = 12345;
    for (isa = mtl__isa() < MTL__ISA_AVX2 ? MTL__ISA_C : MTL__ISA_AVX2; isa <= mtl__isa(); isa++) {   /* AVX-512 CPUs: the AVX2 loop twice */
        n_isa++;
        for (mode = 0; mode < 3; mode++) {
            for (k = 0; k < N; k++) {
                s = s * 6364136223846793005ULL + 1442695040888963407ULL;
                w[0][k] = w[1][k] = (float)((double)(s >> 40) / 16777216.0 - 0.5) * (k % 97 == 0 ? 1e4f : 1.0f);
                m[0][k] = m[1][k] = 0.0f; v[0][k] = v[1][k] = 0.0f;
            }
            for (step = 1; step <= STEPS; step++) {
                const double lr = 1e-3, wd = mode == 0 ? 0.0 : 0.01, b1 = 0.9, b2 = 0.999;
                const double bc1 = 1.0 - pow(b1, step), bc2 = 1.0 - pow(b2, step);
                float c[9];
                c[0] = (float)b1; c[1] = (float)(1.0 - b1); c[2] = (float)b2; c[3] = (float)(1.0 - b2); c[4] = (float)sqrt(bc2);
                c[5] = 1e-8f; c[6] = (float)(-(lr / bc1)); c[7] = (float)(1.0 - lr * wd); c[8] = (float)wd;
                for (k = 0; k < N; k++) {
                    s = s * 6364136223846793005ULL + 1442695040888963407ULL;
                    g[k] = k % 13 == 0 ? 0.0f : (float)((double)(s >> 40) / 16777216.0 - 0.5) * (k % 31 == 0 ? 1e-6f : 2.0f);
                }
                mtl__adam(w[0], g, m[0], v[0], N, c, mode, MTL__ISA_C);
                mtl__adam(w[1], g, m[1], v[1], N, c, mode, isa);
            }
            diff += memcmp(w[0], w[1], sizeof w[0]) != 0;
            diff += memcmp(m[0], m[1], sizeof m[0]) != 0;
            diff += memcmp(v[0], v[1], sizeof v[0]) != 0;
        }
    }
    printf("  info: Adam, AdamW, Adam + L2 over %d steps of %d elements, scalar vs %s: arrays differing %d of %d\n", STEPS, N,
           mtl__isa() >= MTL__ISA_AVX2 ? "the AVX2 loop" : "scalar (no AVX2 code here: the vector loop is not run)", diff, 9 * n_isa);
    CHECK(diff == 0, "a vector optimizer loop differs from the scalar one in %d arrays", diff);
}

int main(void) {
    RUN(test_multitask_fixture);
    RUN(test_grad_norm_bits);
    RUN(test_groups_and_schedule);
    RUN(test_train_frozen_backbone);
    RUN(test_fd_ops);
    RUN(test_dropout);
    RUN(test_cross_entropy);
    RUN(test_fd_heads);
    RUN(test_optimizers_by_hand);
    RUN(test_adam_isa_bits);
    RUN(test_params_api);
    TEST_MAIN_END();
}
