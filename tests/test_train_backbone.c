/* mtl_bert.h's training backbone: the training forward and backward of the BERT backbone.
   a) tiny-random-bert weights straight from model.safetensors, every size from config.json;
   b) the multitask fixture: hidden_states.k forward, then dhidden_states.(n_layers) fed back gives
      dhidden_states.k and every backbone grad.*, for several trainable sets (all, top-1, layers only,
      embeddings only), plus the arena/grad sizes of each strategy;
   c) finite differences for each layer type and for the whole backbone through the public API. */
#define MTL_BERT_IMPLEMENTATION
#include "../mtl_bert.h"
#include "mtl_test.h"

#include <math.h>

/* ---------------------------------------------------------------------------------------------- */
/* Fixture reader (NAME.idx + NAME.bin, README section 1)                                          */
/* ---------------------------------------------------------------------------------------------- */
typedef struct fx_arr { char name[128]; char dtype[8]; long off; int ndim; long dim[4]; } fx_arr;
typedef struct fixture { fx_arr *a; int n; char *bin; size_t bin_len; } fixture;

static int fx_load(fixture *f, const char *dir, const char *name) {
    char p[2200];
    FILE *fp;
    int cap = 0;
    memset(f, 0, sizeof *f);
    snprintf(p, sizeof p, "%s/%s.idx", dir, name);
    fp = fopen(p, "r");
    if (!fp) return 0;
    for (;;) {
        fx_arr a;
        int d, ok = 1;
        memset(&a, 0, sizeof a);
        if (fscanf(fp, "%127s %7s %ld %d", a.name, a.dtype, &a.off, &a.ndim) != 4) break;
        for (d = 0; d < a.ndim; d++) {
            long v;
            if (fscanf(fp, "%ld", &v) != 1) { ok = 0; break; }
            if (d < 4) a.dim[d] = v;
        }
        if (!ok || a.ndim > 4) break;
        if (f->n == cap) {
            fx_arr *na;
            cap = cap ? 2 * cap : 64;
            na = (fx_arr *)realloc(f->a, (size_t)cap * sizeof *na);
            if (!na) break;
            f->a = na;
        }
        f->a[f->n++] = a;
    }
    fclose(fp);
    snprintf(p, sizeof p, "%s/%s.bin", dir, name);
    f->bin = mtl_t_read(p, &f->bin_len);
    return f->bin != NULL && f->n > 0;
}
static void fx_free(fixture *f) { free(f->a); free(f->bin); memset(f, 0, sizeof *f); }
static const fx_arr *fx_get(const fixture *f, const char *name) {
    int i;
    for (i = 0; i < f->n; i++) if (!strcmp(f->a[i].name, name)) return &f->a[i];
    return NULL;
}
static long fx_numel(const fx_arr *a) {
    long n = 1;
    int d;
    for (d = 0; d < a->ndim; d++) n *= a->dim[d];
    return n;
}
static const void *fx_data(const fixture *f, const char *name, long want_numel) {
    const fx_arr *a = fx_get(f, name);
    if (!a || a->off < 0 || (size_t)a->off + (size_t)fx_numel(a) * 4 > f->bin_len) return NULL;
    if (want_numel >= 0 && fx_numel(a) != want_numel) return NULL;
    return f->bin + a->off;
}

/* ---------------------------------------------------------------------------------------------- */
/* Model: config.json + model.safetensors (u64 LE header length, JSON header, raw F32 LE data)      */
/* ---------------------------------------------------------------------------------------------- */
typedef struct model {
    mtl_backbone_config cfg;
    mtl_backbone_params p;
    float *block;
} model;

static void model_free(model *m) { free(m->block); free(m->p.layers); memset(m, 0, sizeof *m); }

static int cfg_int(const mtl__json *j, const char *key, int dflt, int *out) {
    long v;
    int node = mtl__json_get(j, 0, key);
    if (node < 0 || mtl__json_type(j, node) == MTL__J_NULL) { *out = dflt; return dflt != -999; }
    if (!mtl__json_int(j, node, -1, 1L << 30, &v)) return 0;
    *out = (int)v;
    return 1;
}

/* Returns NULL on success, else why it failed. */
static const char *model_load(model *m, const char *dir) {
    char p[2200];
    char *cj, *st;
    size_t cl, sl, i;
    mtl__json j;
    uint64_t hl = 0;
    double eps;
    int k, ok, shape[2];
    size_t total = 0, off = 0;
    memset(m, 0, sizeof *m);
    snprintf(p, sizeof p, "%s/config.json", dir);
    cj = mtl_t_read(p, &cl);
    if (!cj) return "config.json missing";
    if (mtl__json_parse(&j, cj, cl) != 0) { free(cj); mtl__json_free(&j); return "config.json: bad JSON"; }
    ok = cfg_int(&j, "vocab_size", -999, &m->cfg.vocab_size) && cfg_int(&j, "hidden_size", -999, &m->cfg.hidden_size) &&
         cfg_int(&j, "num_hidden_layers", -999, &m->cfg.n_layers) && cfg_int(&j, "num_attention_heads", -999, &m->cfg.n_heads) &&
         cfg_int(&j, "intermediate_size", -999, &m->cfg.intermediate_size) &&
         cfg_int(&j, "max_position_embeddings", -999, &m->cfg.max_position) &&
         cfg_int(&j, "type_vocab_size", 2, &m->cfg.type_vocab_size) && cfg_int(&j, "pad_token_id", 0, &m->cfg.pad_token_id);
    if (ok && mtl__json_number(&j, mtl__json_get(&j, 0, "layer_norm_eps"), &eps)) m->cfg.layer_norm_eps = (float)eps;
    else ok = 0;
    if (ok && mtl__json_get(&j, 0, "hidden_act") >= 0 && !mtl__json_streq(&j, mtl__json_get(&j, 0, "hidden_act"), "gelu")) ok = 0;
    mtl__json_free(&j);
    free(cj);
    if (!ok) return "config.json: a size is missing or hidden_act is not gelu";

    snprintf(p, sizeof p, "%s/model.safetensors", dir);
    st = mtl_t_read(p, &sl);
    if (!st) return "model.safetensors missing";
    for (k = 0; k < 8 && sl >= 8; k++) hl |= (uint64_t)(unsigned char)st[k] << (8 * k);
    if (sl < 8 || hl > sl - 8) { free(st); return "model.safetensors: bad header length"; }
    if (mtl__json_parse(&j, st + 8, (size_t)hl) != 0) { free(st); mtl__json_free(&j); return "model.safetensors: bad JSON header"; }
    m->p.layers = (mtl_layer_params *)calloc((size_t)(m->cfg.n_layers + 1), sizeof(mtl_layer_params));
    for (k = 0; k < mtl_backbone_n_tensors(&m->cfg); k++) {
        mtl_backbone_tensor(&m->p, &m->cfg, k, p, shape);
        total += (size_t)shape[0] * (size_t)(shape[1] ? shape[1] : 1);
    }
    m->block = (float *)malloc(total * sizeof(float));
    if (!m->block || !m->p.layers) { free(st); mtl__json_free(&j); return "out of memory"; }
    for (k = 0; k < mtl_backbone_n_tensors(&m->cfg); k++) {
        char name[96];
        float **f = mtl_backbone_tensor(&m->p, &m->cfg, k, name, shape);
        int t = mtl__json_get(&j, 0, name), sh, off_node, c, nd = 0;
        int64_t dims[2] = {0, 0}, b0, b1;
        size_t numel = (size_t)shape[0] * (size_t)(shape[1] ? shape[1] : 1);
        if (t < 0 || !mtl__json_streq(&j, mtl__json_get(&j, t, "dtype"), "F32")) { free(st); mtl__json_free(&j); return "a backbone tensor is missing or not F32"; }
        sh = mtl__json_get(&j, t, "shape");
        for (c = sh >= 0 ? j.nodes[sh].child : -1; c >= 0; c = j.nodes[c].next) {
            int64_t v;
            if (nd < 2 && mtl__json_i64(&j, c, 0, (int64_t)1 << 40, &v)) dims[nd] = v;
            nd++;
        }
        if (nd != (shape[1] ? 2 : 1) || dims[0] != shape[0] || (shape[1] && dims[1] != shape[1])) { free(st); mtl__json_free(&j); return "a backbone tensor has the wrong shape"; }
        off_node = mtl__json_get(&j, t, "data_offsets");
        if (off_node < 0 || j.nodes[off_node].count != 2 || !mtl__json_i64(&j, j.nodes[off_node].child, 0, (int64_t)1 << 40, &b0) ||
            !mtl__json_i64(&j, j.nodes[j.nodes[off_node].child].next, 0, (int64_t)1 << 40, &b1) || b1 < b0 ||
            (uint64_t)(b1 - b0) != (uint64_t)numel * 4 || (uint64_t)b1 > (uint64_t)(sl - 8 - (size_t)hl)) { free(st); mtl__json_free(&j); return "bad data_offsets"; }
        for (i = 0; i < numel; i++) {
            const unsigned char *q = (const unsigned char *)st + 8 + hl + (size_t)b0 + 4 * i;
            uint32_t u = (uint32_t)q[0] | (uint32_t)q[1] << 8 | (uint32_t)q[2] << 16 | (uint32_t)q[3] << 24;
            memcpy(&m->block[off + i], &u, 4);
        }
        *f = m->block + off;
        off += numel;
    }
    mtl__json_free(&j);
    free(st);
    return NULL;
}

/* Tolerances: multitask.json meta.spec.tolerances, else README section 6. */
typedef struct tols { double fwd, atol, rtol, kb; } tols;
static tols read_tols(const char *fx_dir) {
    char p[2200];
    char *s;
    size_t n;
    mtl__json j;
    tols t;
    t.fwd = 1e-4; t.atol = 1e-5; t.rtol = 1e-3; t.kb = 1e-6;
    snprintf(p, sizeof p, "%s/multitask.json", fx_dir);
    s = mtl_t_read(p, &n);
    if (!s) return t;
    if (mtl__json_parse(&j, s, n) == 0) {
        int tn = mtl__json_get(&j, mtl__json_get(&j, mtl__json_get(&j, 0, "meta"), "spec"), "tolerances");
        mtl__json_number(&j, mtl__json_get(&j, tn, "forward_atol"), &t.fwd);
        mtl__json_number(&j, mtl__json_get(&j, tn, "grad_atol"), &t.atol);
        mtl__json_number(&j, mtl__json_get(&j, tn, "grad_rtol"), &t.rtol);
        mtl__json_number(&j, mtl__json_get(&j, tn, "key_bias_grad_atol"), &t.kb);
    }
    mtl__json_free(&j);
    free(s);
    return t;
}

/* ---------------------------------------------------------------------------------------------- */
/* b) the multitask fixture                                                                        */
/* ---------------------------------------------------------------------------------------------- */
static char g_fx_dir[1024], g_model_dir[1024];

/* Forward + backward with one trainable set; checks everything that set produces. */
static void golden_strategy(int n_train, int emb_train) {
    model m;
    fixture f;
    const char *why;
    mtl_backbone_state st;
    mtl_backbone_params g;
    mtl_error err;
    tols tol;
    const int32_t *ids, *mask, *types;
    const fx_arr *a;
    float *gblock = NULL, *dhid = NULL;
    int B, L, H, nl, k, i, first;
    size_t TH, gfloats, counted = 0;
    double fwd_err = 0, dh_err = 0, g_ratio = 0, g_abs = 0, kb_err = 0;
    char name[160], path[1100];
    int shape[2];
    snprintf(path, sizeof path, "%s/config.json", g_model_dir);
    if (!mtl_t_exists(path) || !fx_load(&f, g_fx_dir, "multitask")) SKIP("no multitask fixture / model under %s", mtl_t_shared());
    if ((why = model_load(&m, g_model_dir)) != NULL) { fx_free(&f); model_free(&m); SKIP("%s", why); }
    tol = read_tols(g_fx_dir);
    a = fx_get(&f, "input_ids");
    CHECK(a && a->ndim == 2, "input_ids [B, L]");
    if (!a || a->ndim != 2) { fx_free(&f); model_free(&m); return; }
    B = (int)a->dim[0]; L = (int)a->dim[1]; H = m.cfg.hidden_size; nl = m.cfg.n_layers;
    TH = (size_t)B * (size_t)L * (size_t)H;
    ids = (const int32_t *)fx_data(&f, "input_ids", (long)B * L);
    mask = (const int32_t *)fx_data(&f, "attention_mask", (long)B * L);
    types = (const int32_t *)fx_data(&f, "token_type_ids", (long)B * L);
    CHECK(ids && mask && types, "inputs");
    if (n_train > nl) n_train = nl;
    CHECK(mtl_backbone_init(&st, &m.cfg, B, L, n_train, emb_train, NULL, 0, &err) == MTL_OK, "init: %s", err.msg);
    first = emb_train ? 0 : nl - n_train;
    CHECK(st.first_cached == first, "first cached %d", st.first_cached);
    /* forward: every kept hidden state on the real positions */
    CHECK(mtl_backbone_forward(&st, &m.p, ids, types, mask, B, L, &err) == MTL_OK, "forward: %s", err.msg);
    for (k = 0; k <= nl; k++) {
        const float *ours = mtl_backbone_hidden(&st, k), *ref;
        size_t r;
        snprintf(name, sizeof name, "hidden_states.%d", k);
        ref = (const float *)fx_data(&f, name, (long)TH);
        CHECK(ref != NULL, "%s missing", name);
        CHECK((ours != NULL) == (k >= first), "hidden %d kept: %d", k, ours != NULL);
        if (!ref || !ours) continue;
        for (r = 0; r < (size_t)B * (size_t)L; r++) {
            if (!mask[r]) continue;
            for (i = 0; i < H; i++) {
                double e = fabs((double)ours[r * (size_t)H + (size_t)i] - ref[r * (size_t)H + (size_t)i]);
                if (e > fwd_err) fwd_err = e;
            }
        }
    }
    CHECK(fwd_err <= tol.fwd, "hidden states max err %g", fwd_err);
    /* gradient block: exactly the trainable tensors */
    gfloats = mtl_backbone_grad_floats(&m.cfg, n_train, emb_train);
    g.layers = (mtl_layer_params *)calloc((size_t)nl + 1, sizeof(mtl_layer_params));
    gblock = (float *)calloc(gfloats + 1, sizeof(float));
    dhid = (float *)calloc((size_t)(nl + 1) * TH, sizeof(float));
    mtl_backbone_point_grads(&g, &m.cfg, n_train, emb_train, gblock);
    for (k = 0; k < mtl_backbone_n_tensors(&m.cfg); k++) {
        float **gp = mtl_backbone_tensor(&g, &m.cfg, k, name, shape);
        int tr = k < 5 ? emb_train : (k - 5) / 16 >= nl - n_train;
        CHECK((*gp != NULL) == (tr != 0), "grad view of %s: %p", name, (void *)*gp);
        if (tr) counted += (size_t)shape[0] * (size_t)(shape[1] ? shape[1] : 1);
    }
    CHECK(counted == gfloats, "grad floats %zu, trainable numel %zu", gfloats, counted);
    /* backward from dhidden_states.(n_layers) */
    snprintf(name, sizeof name, "dhidden_states.%d", nl);
    {
        const float *dout = (const float *)fx_data(&f, name, (long)TH);
        CHECK(dout != NULL, "%s missing", name);
        if (dout) CHECK(mtl_backbone_backward(&st, &m.p, &g, dout, dhid, &err) == MTL_OK, "backward: %s", err.msg);
    }
    for (k = (n_train || emb_train) ? first : nl; k <= nl; k++) {
        const float *ref;
        size_t r;
        snprintf(name, sizeof name, "dhidden_states.%d", k);
        ref = (const float *)fx_data(&f, name, (long)TH);
        if (!ref) continue;
        for (r = 0; r < TH; r++) {
            double e = fabs((double)dhid[(size_t)k * TH + r] - ref[r]), lim = tol.atol + tol.rtol * fabs(ref[r]);
            if (e / lim > dh_err) dh_err = e / lim;
        }
    }
    CHECK(dh_err <= 1.0, "dhidden_states: max |c-g|/(atol+rtol|g|) = %g", dh_err);
    for (k = 0; k < mtl_backbone_n_tensors(&m.cfg); k++) {
        float **gp = mtl_backbone_tensor(&g, &m.cfg, k, name, shape);
        size_t numel = (size_t)shape[0] * (size_t)(shape[1] ? shape[1] : 1), r;
        char gname[200];
        const float *ref;
        int key_bias = strstr(name, "attention.self.key.bias") != NULL;
        double worst = 0;
        if (!*gp) continue;
        snprintf(gname, sizeof gname, "grad.%s", name);
        ref = (const float *)fx_data(&f, gname, (long)numel);
        CHECK(ref != NULL, "%s missing or wrong size", gname);
        if (!ref) continue;
        for (r = 0; r < numel; r++) {
            double e = fabs((double)(*gp)[r] - ref[r]);
            if (key_bias) { if (e > kb_err) kb_err = e; continue; }
            if (e > g_abs) g_abs = e;
            if (e / (tol.atol + tol.rtol * fabs(ref[r])) > worst) worst = e / (tol.atol + tol.rtol * fabs(ref[r]));
        }
        CHECK(worst <= 1.0, "%s: max |c-g|/(atol+rtol|g|) = %g", gname, worst);
        if (worst > g_ratio) g_ratio = worst;
    }
    CHECK(kb_err <= tol.kb, "key bias grads max err %g", kb_err);
    printf("  [top %d%s] forward max err %.3g; dhidden max ratio %.3g; grads max |c-g| %.3g, max ratio %.3g; key bias max %.3g; arena %zu B, grads %zu B\n",
           n_train, emb_train ? " + embeddings" : "", fwd_err, dh_err, g_abs, g_ratio, kb_err,
           mtl_backbone_arena_bytes(&m.cfg, B, L, n_train, emb_train), gfloats * sizeof(float));
    mtl_backbone_free(&st);
    free(gblock); free(dhid); free(g.layers);
    fx_free(&f);
    model_free(&m);
}
static void test_golden_all(void) { golden_strategy(1 << 20, 1); }
static void test_golden_top1(void) { golden_strategy(1, 0); }
static void test_golden_layers_only(void) { golden_strategy(1 << 20, 0); }
static void test_golden_embeddings_only(void) { golden_strategy(0, 1); }
static void test_golden_frozen(void) { golden_strategy(0, 0); }

/* The arena per strategy: each kept layer costs exactly its cache + its input hidden state, the
   embeddings their cache; nothing is kept for frozen layers, and grads cover the trainable only. */
static void arena_checks(const mtl_backbone_config *c, int B, int L) {
    const size_t T = (size_t)B * (size_t)L, H = (size_t)c->hidden_size, I = (size_t)c->intermediate_size;
    const size_t layer_numel = 4 * (H * H + H) + 2 * H + (I * H + I) + (H * I + H) + 2 * H;
    const size_t emb_numel = ((size_t)c->vocab_size + (size_t)c->max_position + (size_t)c->type_vocab_size) * H + 2 * H;
    size_t lc, prev, al;
    int n;
#define AL(x) (((x) + 63) & ~(size_t)63)
    lc = 8 * AL(T * H * 4) + AL(T * I * 4) + AL((size_t)B * (size_t)c->n_heads * (size_t)L * (size_t)L * 4) + 4 * AL(T * 4);
    al = AL(T * H * 4);
    prev = mtl_backbone_arena_bytes(c, B, L, 0, 0);
    CHECK(prev > 0, "frozen arena");
    for (n = 1; n <= c->n_layers; n++) {
        size_t cur = mtl_backbone_arena_bytes(c, B, L, n, 0);
        /* the first trainable layer also brings the 4 backward buffers */
        const size_t bw = 4 * al;
        CHECK(cur - prev == lc + (n == 1 ? bw : 0), "top %d: +%zu bytes, expected %zu", n, cur - prev, lc + (n == 1 ? bw : 0));
        CHECK(mtl_backbone_grad_floats(c, n, 0) == (size_t)n * layer_numel, "top %d grad floats", n);
        prev = cur;
    }
    /* hidden_states.0 is already kept as the input of layer 0: only e, mean, rstd are added */
    CHECK(mtl_backbone_arena_bytes(c, B, L, c->n_layers, 1) - prev == al + 2 * AL(T * 4),
          "embeddings: +%zu", mtl_backbone_arena_bytes(c, B, L, c->n_layers, 1) - prev);
    CHECK(mtl_backbone_grad_floats(c, c->n_layers, 1) == (size_t)c->n_layers * layer_numel + emb_numel, "all grad floats");
    /* embeddings trainable under frozen layers: every layer keeps its cache */
    CHECK(mtl_backbone_arena_bytes(c, B, L, 0, 1) == mtl_backbone_arena_bytes(c, B, L, c->n_layers, 1), "emb-only arena");
    CHECK(mtl_backbone_grad_floats(c, 0, 0) == 0, "no grads when frozen");
    CHECK(mtl_backbone_arena_bytes(c, B, c->max_position + 1, 1, 0) == 0, "too long");
    CHECK(mtl_backbone_arena_bytes(c, B, L, c->n_layers + 1, 0) == 0, "too many layers");
#undef AL
}
static void test_arena_sizes(void) {
    model m;
    mtl_backbone_config mini;
    int n;
    /* all-MiniLM-L6-v2 at batch 32, length 128 */
    memset(&mini, 0, sizeof mini);
    mini.vocab_size = 30522; mini.hidden_size = 384; mini.n_layers = 6; mini.n_heads = 12;
    mini.intermediate_size = 1536; mini.max_position = 512; mini.type_vocab_size = 2; mini.layer_norm_eps = 1e-12f;
    arena_checks(&mini, 32, 128);
    for (n = 0; n <= 7; n++) {
        int nt = n < 7 ? n : 6, emb = n == 7;
        size_t ab = mtl_backbone_arena_bytes(&mini, 32, 128, nt, emb), gb = mtl_backbone_grad_floats(&mini, nt, emb) * 4;
        printf("  MiniLM-L6 B=32 L=128 top %d%s: arena %zu B (%.1f MiB), grads %zu B (%.1f MiB)\n", nt,
               emb ? " + embeddings" : "", ab, (double)ab / 1048576.0, gb, (double)gb / 1048576.0);
    }
    /* the model under test, at the multitask batch shape */
    if (model_load(&m, g_model_dir) == NULL) arena_checks(&m.cfg, 8, 26);
    model_free(&m);
}

/* ---------------------------------------------------------------------------------------------- */
/* c) finite differences                                                                           */
/* ---------------------------------------------------------------------------------------------- */
static uint64_t g_rng = 0x9E3779B97F4A7C15ull;
static double rnd_u(void) { /* [0, 1) */
    g_rng ^= g_rng << 13; g_rng ^= g_rng >> 7; g_rng ^= g_rng << 17;
    return (double)(g_rng >> 11) / 9007199254740992.0;
}
static float rnd_n(double sd) { /* approximately normal */
    double s = 0;
    int i;
    for (i = 0; i < 12; i++) s += rnd_u();
    return (float)((s - 6.0) * sd);
}
static float *rnd_vec(size_t n, double sd, double mean) {
    float *v = (float *)malloc(n * sizeof(float) + 4);
    size_t i;
    for (i = 0; i < n; i++) v[i] = (float)(mean + rnd_n(sd));
    return v;
}

/* A function under test: forward fills y[ny] from the current inputs; the objective is
   F = sum_i r_i y_i (double). The tensors checked are (value, analytic grad, n). */
typedef void (*fd_forward)(void *ctx, float *y);
static double g_zero_worst;
typedef struct fd_tensor { const char *name; float *x; const float *grad; size_t n; } fd_tensor;

static double fd_objective(fd_forward fn, void *ctx, float *y, const float *r, size_t ny, double *abs_sum) {
    double s = 0, a = 0;
    size_t i;
    fn(ctx, y);
    for (i = 0; i < ny; i++) { s += (double)r[i] * y[i]; a += fabs((double)r[i] * y[i]); }
    if (abs_sum) *abs_sum = a;
    return s;
}
/* Random-direction central difference per tensor (kann style): relative error of the directional
   derivative, using the perturbation actually applied in float. Returns the worst one.
   The float32 forward makes F noisy by about 1e-7 * sum|r y|: a tensor whose gradient is
   mathematically 0 (the attention key bias) is checked against that floor instead (|fd| and
   |analytic| both below 1e-5 * sum|r y|, i.e. ~100x the noise). */
static double fd_check(const char *what, fd_forward fn, void *ctx, const float *r, size_t ny, fd_tensor *ts, int nts,
                       double eps, double tol) {
    float *y = (float *)malloc(ny * sizeof(float) + 4);
    double worst = 0;
    int k, rep;
    g_zero_worst = 0;
    for (k = 0; k < nts; k++) {
        for (rep = 0; rep < 2; rep++) {
            fd_tensor *t = &ts[k];
            float *save = (float *)malloc(t->n * sizeof(float) + 4), *dp = (float *)malloc(t->n * sizeof(float) + 4);
            float *dm = (float *)malloc(t->n * sizeof(float) + 4);
            double fp, fm, an = 0, num, scale = 0, rel, abs_sum = 0;
            const int zero = strstr(t->name, "k_b") != NULL || strstr(t->name, "key.bias") != NULL;
            size_t i;
            memcpy(save, t->x, t->n * sizeof(float));
            for (i = 0; i < t->n; i++) { float u = rnd_n(1.0); dp[i] = (float)(save[i] + eps * u); dm[i] = (float)(save[i] - eps * u); }
            memcpy(t->x, dp, t->n * sizeof(float));
            fp = fd_objective(fn, ctx, y, r, ny, &abs_sum);
            memcpy(t->x, dm, t->n * sizeof(float));
            fm = fd_objective(fn, ctx, y, r, ny, NULL);
            memcpy(t->x, save, t->n * sizeof(float));
            for (i = 0; i < t->n; i++) {
                double d = ((double)dp[i] - save[i]) - ((double)dm[i] - save[i]);
                an += (double)t->grad[i] * d;
                scale += fabs((double)t->grad[i] * d);
            }
            num = fp - fm;
            /* relative to the size of the sum (a directional derivative can cancel to ~0) */
            if (zero) {
                CHECK(fabs(num) <= 1e-5 * abs_sum && fabs(an) <= 1e-5 * abs_sum, "%s: d/d %s (zero): fd %.3g, analytic %.3g, floor %.3g",
                      what, t->name, num, an, 1e-5 * abs_sum);
                if (fabs(num) / abs_sum > g_zero_worst) g_zero_worst = fabs(num) / abs_sum;
            } else {
                rel = fabs(num - an) / (scale > 1e-30 ? scale : 1e-30);
                if (rel > worst) worst = rel;
                CHECK(rel <= tol, "%s: d/d %s: fd %.9g vs analytic %.9g (rel %.3g)", what, t->name, num, an, rel);
            }
            free(save); free(dp); free(dm);
        }
    }
    printf("  %s: worst relative error %.3g over %d tensors (zero-gradient key bias: |fd|/sum|ry| <= %.3g)\n", what,
           worst, nts, g_zero_worst);
    free(y);
    return worst;
}
#define FD_EPS 3e-3
#define FD_TOL 2e-3

/* ---- LayerNorm ---- */
typedef struct ln_ctx { float *x, *w, *b, *mean, *rstd; int T, H; } ln_ctx;
static void ln_fwd(void *c, float *y) {
    ln_ctx *k = (ln_ctx *)c;
    mtl__layernorm_forward(y, k->mean, k->rstd, k->x, NULL, k->w, k->b, k->T, k->H, 1e-12f, NULL);
}
static void test_fd_layernorm(void) {
    ln_ctx c;
    size_t n;
    float *y, *r, *dx, *dw, *db;
    fd_tensor ts[3];
    c.T = 6; c.H = 11; n = (size_t)c.T * (size_t)c.H;
    c.x = rnd_vec(n, 1.0, 0.3); c.w = rnd_vec((size_t)c.H, 0.2, 1.0); c.b = rnd_vec((size_t)c.H, 0.1, 0.0);
    c.mean = rnd_vec((size_t)c.T, 0, 0); c.rstd = rnd_vec((size_t)c.T, 0, 0);
    y = rnd_vec(n, 0, 0); r = rnd_vec(n, 1.0, 0.0);
    dx = rnd_vec(n, 0, 0); dw = rnd_vec((size_t)c.H, 0, 0); db = rnd_vec((size_t)c.H, 0, 0);
    ln_fwd(&c, y);
    mtl__bt_layernorm_backward(dx, dw, db, r, c.x, c.mean, c.rstd, c.w, c.T, c.H);
    ts[0].name = "x"; ts[0].x = c.x; ts[0].grad = dx; ts[0].n = n;
    ts[1].name = "weight"; ts[1].x = c.w; ts[1].grad = dw; ts[1].n = (size_t)c.H;
    ts[2].name = "bias"; ts[2].x = c.b; ts[2].grad = db; ts[2].n = (size_t)c.H;
    fd_check("layernorm", ln_fwd, &c, r, n, ts, 3, FD_EPS, FD_TOL);
    free(c.x); free(c.w); free(c.b); free(c.mean); free(c.rstd); free(y); free(r); free(dx); free(dw); free(db);
}

/* ---- how the layer functions run here: the caller's thread, scratch for sizes up to 64 ---- */
static mtl__bt_exec ex_make(void) {
    mtl__bt_exec ex;
    ex.pool = NULL;
    ex.stride = mtl__gemm_floats(64, 1);   /* the kernel's scratch for K <= 64, or attention's (L, hd <= 64) */
    if ((size_t)mtl__attn_floats(64, 64, 1) > ex.stride) ex.stride = (size_t)mtl__attn_floats(64, 64, 1);
    ex.work = rnd_vec(ex.stride, 0, 0);
    return ex;
}
static void ex_free(mtl__bt_exec *ex) { free(ex->work); }

/* ---- linear ---- */
typedef struct lin_ctx { float *x, *W, *b; mtl__bt_exec ex; int T, I, O; } lin_ctx;
static void lin_fwd(void *c, float *y) {
    lin_ctx *k = (lin_ctx *)c;
    mtl__bt_linear_forward(&k->ex, y, k->x, k->W, k->b, k->T, k->I, k->O);
}
static void test_fd_linear(void) {
    lin_ctx c;
    size_t nx, ny, nw;
    float *y, *r, *dx, *dW, *db;
    fd_tensor ts[3];
    /* sizes that take both the full 4-row x 32-column tiles and the remainders of the kernel in all 3 products */
    c.T = 7; c.I = 36; c.O = 37;
    c.ex = ex_make();
    nx = (size_t)c.T * (size_t)c.I; ny = (size_t)c.T * (size_t)c.O; nw = (size_t)c.O * (size_t)c.I;
    c.x = rnd_vec(nx, 1.0, 0.0); c.W = rnd_vec(nw, 0.3, 0.0); c.b = rnd_vec((size_t)c.O, 0.1, 0.0);
    y = rnd_vec(ny, 0, 0); r = rnd_vec(ny, 1.0, 0.0);
    dx = rnd_vec(nx, 0, 0); dW = rnd_vec(nw, 0, 0); db = rnd_vec((size_t)c.O, 0, 0);
    mtl__bt_linear_backward(&c.ex, dx, dW, db, r, c.x, c.W, c.T, c.I, c.O);
    /* against the plain triple loops in double */
    {
        double e = 0;
        int t, o, i;
        lin_fwd(&c, y);
        for (t = 0; t < c.T; t++) for (o = 0; o < c.O; o++) {
            double acc = c.b[o];
            for (i = 0; i < c.I; i++) acc += (double)c.x[t * c.I + i] * c.W[o * c.I + i];
            if (fabs(acc - y[t * c.O + o]) > e) e = fabs(acc - y[t * c.O + o]);
        }
        for (o = 0; o < c.O; o++) for (i = 0; i < c.I; i++) {
            double acc = 0;
            for (t = 0; t < c.T; t++) acc += (double)r[t * c.O + o] * c.x[t * c.I + i];
            if (fabs(acc - dW[o * c.I + i]) > e) e = fabs(acc - dW[o * c.I + i]);
        }
        for (t = 0; t < c.T; t++) for (i = 0; i < c.I; i++) {
            double acc = 0;
            for (o = 0; o < c.O; o++) acc += (double)r[t * c.O + o] * c.W[o * c.I + i];
            if (fabs(acc - dx[t * c.I + i]) > e) e = fabs(acc - dx[t * c.I + i]);
        }
        CHECK(e < 1e-5, "linear vs double loops: %g", e);
    }
    ts[0].name = "x"; ts[0].x = c.x; ts[0].grad = dx; ts[0].n = nx;
    ts[1].name = "weight"; ts[1].x = c.W; ts[1].grad = dW; ts[1].n = nw;
    ts[2].name = "bias"; ts[2].x = c.b; ts[2].grad = db; ts[2].n = (size_t)c.O;
    fd_check("linear", lin_fwd, &c, r, ny, ts, 3, FD_EPS, FD_TOL);
    free(c.x); free(c.W); free(c.b); ex_free(&c.ex); free(y); free(r); free(dx); free(dW); free(db);
}

/* ---- GELU ---- */
typedef struct gelu_ctx { float *x; size_t n; } gelu_ctx;
static const mtl__bt_exec g_ex1 = {NULL, NULL, 0};   /* the caller's thread, no scratch */
static void gelu_fwd(void *c, float *y) { gelu_ctx *k = (gelu_ctx *)c; mtl__bt_gelu_forward(&g_ex1, y, k->x, k->n); }
static void test_fd_gelu(void) {
    gelu_ctx c;
    float *y, *r, *dx;
    fd_tensor ts[1];
    size_t i;
    c.n = 64;
    c.x = rnd_vec(c.n, 0, 0);
    for (i = 0; i < c.n; i++) c.x[i] = (float)(-5.0 + 10.0 * (double)i / (double)(c.n - 1)) + 0.01f;
    y = rnd_vec(c.n, 0, 0); r = rnd_vec(c.n, 1.0, 0.0); dx = rnd_vec(c.n, 0, 0);
    mtl__bt_gelu_backward(&g_ex1, dx, r, c.x, c.n);
    ts[0].name = "x"; ts[0].x = c.x; ts[0].grad = dx; ts[0].n = c.n;
    fd_check("gelu", gelu_fwd, &c, r, c.n, ts, 1, FD_EPS, FD_TOL);
    /* and the exact values against erf in double at a few points */
    for (i = 0; i < c.n; i += 7) {
        double x = c.x[i], ref = 0.5 * x * (1.0 + erf(x / sqrt(2.0)));
        float yy;
        mtl__bt_gelu_forward(&g_ex1, &yy, &c.x[i], 1);
        CHECK(fabs(yy - ref) <= 1e-6 * (1 + fabs(ref)), "gelu(%g) = %.9g, expected %.9g", x, yy, ref);
    }
    free(c.x); free(y); free(r); free(dx);
}

/* ---- a random layer (params + one grad struct) for the attention and layer checks ---- */
typedef struct rlayer { mtl_layer_params p, g; float *mem, *gmem; } rlayer;
static void rlayer_make(rlayer *l, int H, int I) {
    mtl_backbone_config c;
    mtl_backbone_params bp, bg;
    size_t total = 0, off = 0;
    int k, shape[2];
    memset(&c, 0, sizeof c);
    c.hidden_size = H; c.intermediate_size = I; c.n_layers = 1; c.vocab_size = 1; c.max_position = 1; c.type_vocab_size = 1;
    memset(&bp, 0, sizeof bp); memset(&bg, 0, sizeof bg);
    bp.layers = &l->p; bg.layers = &l->g;
    for (k = 5; k < 21; k++) { mtl_backbone_tensor(&bp, &c, k, NULL, shape); total += (size_t)shape[0] * (size_t)(shape[1] ? shape[1] : 1); }
    l->mem = (float *)malloc(total * sizeof(float));
    l->gmem = (float *)calloc(total, sizeof(float));
    for (k = 5; k < 21; k++) {
        float **pp = mtl_backbone_tensor(&bp, &c, k, NULL, shape), **gg = mtl_backbone_tensor(&bg, &c, k, NULL, shape);
        size_t n = (size_t)shape[0] * (size_t)(shape[1] ? shape[1] : 1), i;
        int is_ln_w = k - 5 == 8 || k - 5 == 14, is_vec = shape[1] == 0;
        *pp = l->mem + off; *gg = l->gmem + off;
        for (i = 0; i < n; i++) l->mem[off + i] = is_ln_w ? 1.0f + rnd_n(0.1) : is_vec ? rnd_n(0.05) : rnd_n(0.3);
        off += n;
    }
}
/* fills ts with the layer's 16 tensors (name, value, grad) starting at ts[0]; returns the count */
static int rlayer_tensors(rlayer *l, int H, int I, fd_tensor *ts, int only_attention) {
    static const char *const names[16] = {"q_w", "q_b", "k_w", "k_b", "v_w", "v_b", "o_w", "o_b", "ln1_w", "ln1_b",
                                          "up_w", "up_b", "down_w", "down_b", "ln2_w", "ln2_b"};
    mtl_backbone_config c;
    mtl_backbone_params bp, bg;
    int k, shape[2], n = 0;
    memset(&c, 0, sizeof c);
    c.hidden_size = H; c.intermediate_size = I; c.n_layers = 1;
    bp.layers = &l->p; bg.layers = &l->g;
    for (k = 0; k < (only_attention ? 8 : 16); k++) {
        float **pp = mtl_backbone_tensor(&bp, &c, 5 + k, NULL, shape), **gg = mtl_backbone_tensor(&bg, &c, 5 + k, NULL, shape);
        ts[n].name = names[k]; ts[n].x = *pp; ts[n].grad = *gg;
        ts[n].n = (size_t)shape[0] * (size_t)(shape[1] ? shape[1] : 1);
        n++;
    }
    return n;
}
static void rlayer_free(rlayer *l) { free(l->mem); free(l->gmem); }

/* scratch cache for B, L, H, I, nh */
typedef struct rcache { mtl__bt_cache c; float *mem; } rcache;
static void rcache_make(rcache *rc, int B, int L, int H, int I, int nh) {
    const size_t T = (size_t)B * (size_t)L, TH = T * (size_t)H, TI = T * (size_t)I;
    const size_t total = 7 * TH + 2 * TI + (size_t)B * (size_t)nh * (size_t)L * (size_t)L + 4 * T;
    float *m = (float *)calloc(total, sizeof(float));
    rc->mem = m;
    rc->c.q = m; m += TH; rc->c.k = m; m += TH; rc->c.v = m; m += TH; rc->c.ctx = m; m += TH;
    rc->c.res1 = m; m += TH; rc->c.a = m; m += TH; rc->c.res2 = m; m += TH;
    rc->c.u = m; m += TI; rc->c.g = m; m += TI;
    rc->c.probs = m; m += (size_t)B * (size_t)nh * (size_t)L * (size_t)L;
    rc->c.mean1 = m; m += T; rc->c.rstd1 = m; m += T; rc->c.mean2 = m; m += T; rc->c.rstd2 = m;
}

/* the packing of a mask [B,L] (mtl__bt_pack_mask), with its own arrays */
typedef struct tpack { mtl__bt_pack pk; int32_t *src, *start, *empty; size_t *poff; } tpack;
static void tpack_make(tpack *t, const int32_t *mask, int B, int L) {
    t->src = (int32_t *)malloc((size_t)B * (size_t)L * sizeof(int32_t));
    t->start = (int32_t *)malloc(((size_t)B + 1) * sizeof(int32_t));
    t->empty = (int32_t *)malloc((size_t)B * sizeof(int32_t));
    t->poff = (size_t *)malloc(((size_t)B + 1) * sizeof(size_t));
    t->pk.T = mtl__bt_pack_mask(t->src, t->start, t->empty, t->poff, mask, B, L);
    t->pk.B = B; t->pk.L = L;
    t->pk.src = t->src; t->pk.start = t->start; t->pk.empty = t->empty; t->pk.poff = t->poff;
}
static void tpack_free(tpack *t) { free(t->src); free(t->start); free(t->empty); free(t->poff); }

/* ---- self-attention on a packed batch (projections, softmax per sequence, context, output) ---- */
typedef struct att_ctx { rlayer l; rcache rc; float *x; mtl__bt_exec ex; tpack tp; int H, nh; } att_ctx;
static void att_fwd(void *c, float *y) {
    att_ctx *k = (att_ctx *)c;
    mtl__bt_self_attention_forward(&k->ex, y, &k->rc.c, k->x, &k->l.p, &k->tp.pk, k->H, k->nh);
}
static void test_fd_attention(void) {
    att_ctx c;
    size_t TH;
    float *y, *r, *dx, *s[4];
    fd_tensor ts[9];
    int32_t mask[4 * 6];
    int i, b, t, n, j, B = 4, L = 6;
    double worst_sum = 0;
    c.H = 12; c.nh = 3;
    /* row 0: 4 real tokens then padding; row 1: no padding; row 2: a hole in the middle; row 3: no real token */
    for (b = 0; b < B; b++) for (t = 0; t < L; t++) mask[b * L + t] = b == 0 ? t < 4 : b == 1 ? 1 : b == 2 ? t != 2 : 0;
    tpack_make(&c.tp, mask, B, L);
    CHECK(c.tp.pk.T == 4 + 6 + 5 + 6, "packed rows %d", c.tp.pk.T);
    CHECK(c.tp.start[2] == 10 && c.tp.src[12] == 2 * L + 3 && !c.tp.empty[2] && c.tp.empty[3] && c.tp.start[4] == 21, "packing");
    CHECK(c.tp.poff[4] == 16 + 36 + 25 + 36, "probs offsets %zu", c.tp.poff[4]);
    TH = (size_t)c.tp.pk.T * (size_t)c.H;
    rlayer_make(&c.l, c.H, 4);
    rcache_make(&c.rc, B, L, c.H, 4, c.nh);
    c.x = rnd_vec(TH, 1.0, 0.0); c.ex = ex_make();
    y = rnd_vec(TH, 0, 0); r = rnd_vec(TH, 1.0, 0.0); dx = rnd_vec(TH, 0, 0);
    for (i = 0; i < 4; i++) s[i] = rnd_vec(TH, 0, 0);
    att_fwd(&c, y);
    /* every row is a distribution over its sequence's rows; the empty sequence's is uniform, 1/L exactly */
    for (b = 0; b < B; b++) {
        const int nb = c.tp.start[b + 1] - c.tp.start[b];
        for (j = 0; j < c.nh * nb; j++) {
            const float *p = c.rc.c.probs + (size_t)c.nh * c.tp.poff[b] + (size_t)j * (size_t)nb;
            double sum = 0;
            for (t = 0; t < nb; t++) {
                sum += p[t];
                if (b == 3) CHECK(p[t] == 1.0f / (float)L, "empty sequence: p = %.9g", p[t]);
            }
            if (fabs(sum - 1.0) > worst_sum) worst_sum = fabs(sum - 1.0);
        }
    }
    CHECK(worst_sum < 1e-6, "probability rows sum to 1 (worst %g)", worst_sum);
    mtl__bt_self_attention_backward(&c.ex, dx, &c.l.g, r, c.x, &c.l.p, &c.rc.c, s[0], s[1], s[2], s[3], &c.tp.pk, c.H, c.nh);
    n = rlayer_tensors(&c.l, c.H, 4, ts, 1);
    ts[n].name = "x"; ts[n].x = c.x; ts[n].grad = dx; ts[n].n = TH; n++;
    fd_check("self-attention (packed: padding, a hole, an empty row)", att_fwd, &c, r, TH, ts, n, FD_EPS, FD_TOL);
    /* the key bias gradient is mathematically 0 (softmax shift invariance) */
    for (i = 0; i < c.H; i++) CHECK(fabsf(c.l.g.k_b[i]) < 1e-5f, "key bias grad %g", c.l.g.k_b[i]);
    /* a sequence's result does not depend on the others: sequence 2 alone gives the same rows, bit for bit */
    {
        tpack one;
        float *y2 = rnd_vec(TH, 0, 0);
        const int s0 = c.tp.start[2];
        att_fwd(&c, y);
        tpack_make(&one, mask + 2 * L, 1, L);
        {   /* the 5 rows of sequence 2 placed alone at the front */
            float *xs = rnd_vec((size_t)5 * (size_t)c.H, 0, 0), *save = c.x;
            memcpy(xs, c.x + (size_t)s0 * (size_t)c.H, (size_t)5 * (size_t)c.H * sizeof(float));
            c.x = xs;
            mtl__bt_self_attention_forward(&c.ex, y2, &c.rc.c, c.x, &c.l.p, &one.pk, c.H, c.nh);
            c.x = save;
            free(xs);
        }
        CHECK(one.pk.T == 5 && !memcmp(y2, y + (size_t)s0 * (size_t)c.H, (size_t)5 * (size_t)c.H * sizeof(float)),
              "sequence 2 alone differs");
        tpack_free(&one);
        free(y2);
    }
    rlayer_free(&c.l); free(c.rc.mem); free(c.x); ex_free(&c.ex); tpack_free(&c.tp); free(y); free(r); free(dx);
    for (i = 0; i < 4; i++) free(s[i]);
}

/* ---- embeddings ---- */
typedef struct emb_ctx { mtl_backbone_params p; float *e, *mean, *rstd; int32_t *ids, *types; tpack tp; int H, pos_pad; } emb_ctx;
static void emb_fwd(void *c, float *y) {
    emb_ctx *k = (emb_ctx *)c;
    mtl__bt_embeddings_forward(y, k->e, k->mean, k->rstd, &k->p, k->ids, k->types, &k->tp.pk, k->H, 1e-12f, k->pos_pad);
}
static void test_fd_embeddings(void) {
    emb_ctx c;
    mtl_backbone_params g, g0;
    const int V = 10, P = 7, Tv = 2;
    size_t TH, T;
    float *y, *r, *de;
    fd_tensor ts[5];
    int i, B = 2, L = 5;
    c.H = 8;
    c.pos_pad = -1;   /* BERT's position ids */
    {   /* every token real but one, (1, 2): the rows after it keep their column as position */
        static const int32_t mask[10] = {1, 1, 1, 1, 1, 1, 1, 0, 1, 1};
        tpack_make(&c.tp, mask, B, L);
    }
    T = (size_t)c.tp.pk.T; TH = T * (size_t)c.H;
    memset(&c.p, 0, sizeof c.p);
    c.p.word_emb = rnd_vec((size_t)V * (size_t)c.H, 0.5, 0); c.p.pos_emb = rnd_vec((size_t)P * (size_t)c.H, 0.5, 0);
    c.p.type_emb = rnd_vec((size_t)Tv * (size_t)c.H, 0.5, 0);
    c.p.emb_ln_w = rnd_vec((size_t)c.H, 0.1, 1.0); c.p.emb_ln_b = rnd_vec((size_t)c.H, 0.05, 0);
    c.e = rnd_vec(TH, 0, 0); c.mean = rnd_vec(T, 0, 0); c.rstd = rnd_vec(T, 0, 0);
    c.ids = (int32_t *)malloc(T * sizeof(int32_t)); c.types = (int32_t *)malloc(T * sizeof(int32_t));
    {   /* a repeated id (3), the pad id 0 (as a token: the padding_idx rule), two token types; the packed rows' */
        static const int32_t ids[10] = {1, 3, 5, 3, 0, 2, 7, 3, 9, 0}, types[10] = {0, 0, 1, 1, 0, 0, 1, 0, 0, 0};
        size_t r;
        for (r = 0; r < T; r++) { c.ids[r] = ids[c.tp.src[r]]; c.types[r] = types[c.tp.src[r]]; }
    }
    y = rnd_vec(TH, 0, 0); r = rnd_vec(TH, 1.0, 0.0); de = rnd_vec(TH, 0, 0);
    memset(&g, 0, sizeof g);
    g.word_emb = rnd_vec((size_t)V * (size_t)c.H, 0, 0); g.pos_emb = rnd_vec((size_t)P * (size_t)c.H, 0, 0);
    g.type_emb = rnd_vec((size_t)Tv * (size_t)c.H, 0, 0); g.emb_ln_w = rnd_vec((size_t)c.H, 0, 0); g.emb_ln_b = rnd_vec((size_t)c.H, 0, 0);
    g0 = g;
    g0.word_emb = rnd_vec((size_t)V * (size_t)c.H, 0, 0);
    g0.pos_emb = g0.type_emb = g0.emb_ln_w = g0.emb_ln_b = NULL;
    emb_fwd(&c, y);
    /* row 7 is (1, 3): position 3 */
    CHECK(T == 9 && c.tp.src[7] == 8, "packing");
    for (i = 0; i < c.H; i++)
        CHECK(c.e[7 * c.H + i] == (c.p.word_emb[9 * c.H + i] + c.p.type_emb[i]) + c.p.pos_emb[3 * c.H + i], "position of (1, 3)");
    /* the true gradient (no padding_idx) for the finite differences */
    mtl__bt_embeddings_backward(&g, de, r, c.e, c.mean, c.rstd, &c.p, c.ids, c.types, &c.tp.pk, c.H, -1, -1);
    ts[0].name = "word_embeddings"; ts[0].x = c.p.word_emb; ts[0].grad = g.word_emb; ts[0].n = (size_t)V * (size_t)c.H;
    ts[1].name = "position_embeddings"; ts[1].x = c.p.pos_emb; ts[1].grad = g.pos_emb; ts[1].n = (size_t)P * (size_t)c.H;
    ts[2].name = "token_type_embeddings"; ts[2].x = c.p.type_emb; ts[2].grad = g.type_emb; ts[2].n = (size_t)Tv * (size_t)c.H;
    ts[3].name = "LayerNorm.weight"; ts[3].x = c.p.emb_ln_w; ts[3].grad = g.emb_ln_w; ts[3].n = (size_t)c.H;
    ts[4].name = "LayerNorm.bias"; ts[4].x = c.p.emb_ln_b; ts[4].grad = g.emb_ln_b; ts[4].n = (size_t)c.H;
    fd_check("embeddings", emb_fwd, &c, r, TH, ts, 5, FD_EPS, FD_TOL);
    /* HF padding_idx = 0: row 0 gets nothing, the other rows the same; unused rows stay 0 */
    mtl__bt_embeddings_backward(&g0, de, r, c.e, c.mean, c.rstd, &c.p, c.ids, c.types, &c.tp.pk, c.H, 0, -1);
    for (i = 0; i < V * c.H; i++) {
        if (i < c.H) { CHECK(g0.word_emb[i] == 0.0f, "pad row grad %g", g0.word_emb[i]); CHECK(g.word_emb[i] != 0.0f, "pad row true grad"); }
        else CHECK(g0.word_emb[i] == g.word_emb[i], "row %d", i / c.H);
        if (i / c.H == 4 || i / c.H == 6 || i / c.H == 8) CHECK(g.word_emb[i] == 0.0f, "unused row %d", i / c.H);
    }
    {   /* RoBERTa's position ids (padding_idx 2; HF create_position_ids_from_input_ids over the computed
           rows): sequence 0 (1 3 5 3 0) -> 3 4 5 6 7; sequence 1 (2 7 - 9 0) -> 2 3 4 5, the pad token 2 at
           position 2. Finite differences of every table, the position rows but row 2 (HF's padding_idx:
           no gradient, checked to be 0) */
        const int RP = 9;
        float *pos9 = rnd_vec((size_t)RP * (size_t)c.H, 0.5, 0), *gp = rnd_vec((size_t)RP * (size_t)c.H, 0, 0), *keep = c.p.pos_emb, *gkeep = g.pos_emb;
        static const int want[9] = {3, 4, 5, 6, 7, 2, 3, 4, 5};
        int ok = 1, q;
        c.p.pos_emb = pos9;
        c.pos_pad = 2;
        emb_fwd(&c, y);
        for (q = 0; q < 9; q++)
            for (i = 0; i < c.H; i++)
                ok &= c.e[q * c.H + i] == (c.p.word_emb[c.ids[q] * c.H + i] + c.p.type_emb[c.types[q] * c.H + i]) + pos9[want[q] * c.H + i];
        CHECK(ok, "RoBERTa position ids of the packed rows");
        memset(g.word_emb, 0, (size_t)V * (size_t)c.H * sizeof(float)); memset(g.type_emb, 0, (size_t)Tv * (size_t)c.H * sizeof(float));
        memset(g.emb_ln_w, 0, (size_t)c.H * sizeof(float)); memset(g.emb_ln_b, 0, (size_t)c.H * sizeof(float));
        g.pos_emb = gp;
        mtl__bt_embeddings_backward(&g, de, r, c.e, c.mean, c.rstd, &c.p, c.ids, c.types, &c.tp.pk, c.H, -1, 2);
        for (i = 0; i < c.H; i++) CHECK(gp[2 * c.H + i] == 0.0f, "position row 2 (padding_idx) got a gradient");
        ts[1].x = pos9; ts[1].grad = gp; ts[1].n = (size_t)2 * (size_t)c.H;   /* rows 0, 1 (unused: 0) */
        ts[2].name = "token_type_embeddings"; ts[2].x = c.p.type_emb; ts[2].grad = g.type_emb; ts[2].n = (size_t)Tv * (size_t)c.H;
        {
            fd_tensor t6[6];
            memcpy(t6, ts, sizeof ts);
            t6[5].name = "position_embeddings rows 3-8"; t6[5].x = pos9 + 3 * c.H; t6[5].grad = gp + 3 * c.H; t6[5].n = (size_t)(RP - 3) * (size_t)c.H;
            fd_check("embeddings, RoBERTa position ids", emb_fwd, &c, r, TH, t6, 6, FD_EPS, FD_TOL);
        }
        g.pos_emb = gkeep;
        c.p.pos_emb = keep;
        c.pos_pad = -1;
        free(pos9); free(gp);
    }
    free(c.p.word_emb); free(c.p.pos_emb); free(c.p.type_emb); free(c.p.emb_ln_w); free(c.p.emb_ln_b);
    free(c.e); free(c.mean); free(c.rstd); free(c.ids); free(c.types); tpack_free(&c.tp); free(y); free(r); free(de);
    free(g.word_emb); free(g.pos_emb); free(g.type_emb); free(g.emb_ln_w); free(g.emb_ln_b); free(g0.word_emb);
}

/* ---- a full encoder layer ---- */
typedef struct lay_ctx { rlayer l; rcache rc; float *x; mtl__bt_exec ex; tpack tp; int H, I, nh; } lay_ctx;
static void lay_fwd(void *c, float *y) {
    lay_ctx *k = (lay_ctx *)c;
    mtl__bt_layer_forward(&k->ex, y, &k->rc.c, k->x, &k->l.p, &k->tp.pk, k->H, k->I, k->nh, 1e-12f);
}
static void test_fd_layer(void) {
    lay_ctx c;
    size_t TH;
    float *y, *r, *dx, *s[6];
    fd_tensor ts[17];
    int32_t mask[2 * 5];
    int i, b, t, n, B = 2, L = 5;
    c.H = 8; c.I = 16; c.nh = 2;
    for (b = 0; b < B; b++) for (t = 0; t < L; t++) mask[b * L + t] = b == 1 || t < 3;
    tpack_make(&c.tp, mask, B, L);
    TH = (size_t)c.tp.pk.T * (size_t)c.H;
    rlayer_make(&c.l, c.H, c.I);
    rcache_make(&c.rc, B, L, c.H, c.I, c.nh);
    c.x = rnd_vec(TH, 1.0, 0.0); c.ex = ex_make();
    y = rnd_vec(TH, 0, 0); r = rnd_vec(TH, 1.0, 0.0); dx = rnd_vec(TH, 0, 0);
    for (i = 0; i < 6; i++) s[i] = rnd_vec(TH, 0, 0);
    lay_fwd(&c, y);
    mtl__bt_layer_backward(&c.ex, dx, &c.l.g, r, c.x, &c.l.p, &c.rc.c, s[0], s[1], s[2], s[3], s[4], s[5], &c.tp.pk,
                           c.H, c.I, c.nh);
    n = rlayer_tensors(&c.l, c.H, c.I, ts, 0);
    ts[n].name = "x"; ts[n].x = c.x; ts[n].grad = dx; ts[n].n = TH; n++;
    fd_check("encoder layer", lay_fwd, &c, r, TH, ts, n, FD_EPS, FD_TOL);
    /* the frozen in-place forward (scratch cache, a == x == h) gives the same output */
    {
        mtl__bt_cache fc = c.rc.c;
        float *x2 = rnd_vec(TH, 0, 0), *ff = rnd_vec((size_t)c.tp.pk.T * (size_t)c.I, 0, 0);
        size_t k;
        memcpy(x2, c.x, TH * sizeof(float));
        lay_fwd(&c, y);
        fc.probs = NULL; fc.a = x2; fc.res2 = fc.res1; fc.u = fc.g = ff; fc.mean2 = fc.mean1; fc.rstd2 = fc.rstd1;
        mtl__bt_layer_forward(&c.ex, x2, &fc, x2, &c.l.p, &c.tp.pk, c.H, c.I, c.nh, 1e-12f);
        for (k = 0; k < TH; k++) CHECK(x2[k] == y[k], "in-place forward differs at %zu", k);
        free(x2); free(ff);
    }
    rlayer_free(&c.l); free(c.rc.mem); free(c.x); ex_free(&c.ex); tpack_free(&c.tp); free(y); free(r); free(dx);
    for (i = 0; i < 6; i++) free(s[i]);
}

/* ---- the whole backbone through the public API (2 layers, embeddings trainable, padding) ---- */
typedef struct bb_ctx { mtl_backbone_state st; mtl_backbone_params p; int32_t *ids, *types, *mask; int B, L; } bb_ctx;
static void bb_fwd(void *c, float *y) {
    bb_ctx *k = (bb_ctx *)c;
    mtl_error err;
    mtl_backbone_forward(&k->st, &k->p, k->ids, k->types, k->mask, k->B, k->L, &err);
    memcpy(y, mtl_backbone_hidden(&k->st, k->st.cfg.n_layers), (size_t)k->B * (size_t)k->L * (size_t)k->st.cfg.hidden_size * sizeof(float));
}
static void test_fd_backbone(void) {
    bb_ctx c;
    mtl_backbone_config cfg;
    mtl_backbone_params g, g1;
    mtl_error err;
    float *pmem, *gmem, *g1mem, *y, *r;
    fd_tensor ts[64];
    size_t total = 0, off = 0, TH, k1 = 0;
    int k, shape[2], nts = 0;
    char names[64][64];
    memset(&cfg, 0, sizeof cfg);
    cfg.vocab_size = 13; cfg.hidden_size = 8; cfg.n_layers = 2; cfg.n_heads = 2; cfg.intermediate_size = 12;
    cfg.max_position = 9; cfg.type_vocab_size = 2; cfg.pad_token_id = -1; cfg.layer_norm_eps = 1e-12f;
    c.B = 2; c.L = 6;
    TH = (size_t)c.B * (size_t)c.L * (size_t)cfg.hidden_size;
    memset(&c.p, 0, sizeof c.p);
    c.p.layers = (mtl_layer_params *)calloc(2, sizeof(mtl_layer_params));
    g.layers = (mtl_layer_params *)calloc(2, sizeof(mtl_layer_params));
    g1.layers = (mtl_layer_params *)calloc(2, sizeof(mtl_layer_params));
    for (k = 0; k < mtl_backbone_n_tensors(&cfg); k++) { mtl_backbone_tensor(&c.p, &cfg, k, NULL, shape); total += (size_t)shape[0] * (size_t)(shape[1] ? shape[1] : 1); }
    CHECK(total == mtl_backbone_grad_floats(&cfg, 2, 1), "grad floats (all)");
    pmem = (float *)malloc(total * sizeof(float));
    gmem = (float *)calloc(total, sizeof(float));
    g1mem = (float *)calloc(total, sizeof(float));
    for (k = 0; k < mtl_backbone_n_tensors(&cfg); k++) {
        float **f = mtl_backbone_tensor(&c.p, &cfg, k, names[k], shape);
        size_t n = (size_t)shape[0] * (size_t)(shape[1] ? shape[1] : 1), j;
        int is_ln_w = strstr(names[k], "LayerNorm.weight") != NULL, is_vec = shape[1] == 0, is_emb = k < 3;
        *f = pmem + off;
        for (j = 0; j < n; j++) pmem[off + j] = is_ln_w ? 1.0f + rnd_n(0.1) : is_emb ? rnd_n(0.5) : is_vec ? rnd_n(0.05) : rnd_n(0.3);
        off += n;
    }
    mtl_backbone_point_grads(&g, &cfg, 2, 1, gmem);
    mtl_backbone_point_grads(&g1, &cfg, 1, 0, g1mem);
    c.ids = (int32_t *)malloc(12 * sizeof(int32_t)); c.types = (int32_t *)malloc(12 * sizeof(int32_t)); c.mask = (int32_t *)malloc(12 * sizeof(int32_t));
    {
        static const int32_t ids[12] = {1, 5, 7, 5, 2, 0, 1, 9, 4, 11, 3, 2}, mask[12] = {1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1};
        static const int32_t types[12] = {0, 0, 0, 1, 0, 0, 0, 0, 1, 1, 1, 1};
        memcpy(c.ids, ids, sizeof ids); memcpy(c.mask, mask, sizeof mask); memcpy(c.types, types, sizeof types);
    }
    y = rnd_vec(TH, 0, 0); r = rnd_vec(TH, 1.0, 0.0);
    /* top-1 first: its layer-1 grads must equal the full run's bit for bit */
    CHECK(mtl_backbone_init(&c.st, &cfg, c.B, c.L, 1, 0, NULL, 0, &err) == MTL_OK, "init: %s", err.msg);
    bb_fwd(&c, y);
    CHECK(mtl_backbone_backward(&c.st, &c.p, &g1, r, NULL, &err) == MTL_OK, "backward: %s", err.msg);
    mtl_backbone_free(&c.st);
    /* the caller's arena, exactly the size asked */
    {
        size_t need = mtl_backbone_arena_bytes(&cfg, c.B, c.L, 2, 1);
        char *arena = (char *)malloc(need + 8);   /* used at +8: not 64-byte aligned */
        CHECK(mtl_backbone_init(&c.st, &cfg, c.B, c.L, 2, 1, arena + 8, need - 1, &err) == MTL_ERR_NOMEM, "small arena refused");
        CHECK(mtl_backbone_init(&c.st, &cfg, c.B, c.L, 2, 1, arena + 8, need, &err) == MTL_OK, "init: %s", err.msg);
        bb_fwd(&c, y);
        CHECK(mtl_backbone_backward(&c.st, &c.p, &g, r, NULL, &err) == MTL_OK, "backward: %s", err.msg);
        for (k = 0; k < mtl_backbone_n_tensors(&cfg); k++) {
            float **gp = mtl_backbone_tensor(&g, &cfg, k, NULL, shape), **p = mtl_backbone_tensor(&c.p, &cfg, k, NULL, shape);
            ts[nts].name = names[k]; ts[nts].x = *p; ts[nts].grad = *gp;
            ts[nts].n = (size_t)shape[0] * (size_t)(shape[1] ? shape[1] : 1);
            nts++;
        }
        for (k = 5 + 16; k < mtl_backbone_n_tensors(&cfg); k++) {
            float **a = mtl_backbone_tensor(&g, &cfg, k, NULL, shape), **b = mtl_backbone_tensor(&g1, &cfg, k, NULL, shape);
            size_t n = (size_t)shape[0] * (size_t)(shape[1] ? shape[1] : 1), j;
            for (j = 0; j < n; j++) { CHECK((*a)[j] == (*b)[j], "top-1 grad of %s differs", names[k]); k1++; }
        }
        CHECK(k1 == mtl_backbone_grad_floats(&cfg, 1, 0), "top-1 grad floats");
        fd_check("backbone (2 layers + embeddings, padded batch)", bb_fwd, &c, r, TH, ts, nts, FD_EPS, FD_TOL);
        /* padding: every kept hidden state is 0 there, dout there is ignored, d hidden there is 0 */
        {
            float *dh = (float *)calloc(3 * TH, sizeof(float)), *r2 = rnd_vec(TH, 1.0, 0.0), *gsave = (float *)malloc(total * sizeof(float));
            size_t q, nz = 0, nzd = 0, diff = 0;
            const size_t H = (size_t)cfg.hidden_size;
            for (k = 0; k <= 2; k++) {
                const float *h = mtl_backbone_hidden(&c.st, k);
                for (q = 0; q < TH; q++) nz += !c.mask[q / H] && h[q] != 0.0f;
            }
            memset(gmem, 0, total * sizeof(float));
            CHECK(mtl_backbone_backward(&c.st, &c.p, &g, r, dh, &err) == MTL_OK, "backward: %s", err.msg);
            memcpy(gsave, gmem, total * sizeof(float));
            for (q = 0; q < 3 * TH; q++) nzd += !c.mask[(q % TH) / H] && dh[q] != 0.0f;
            for (q = 0; q < TH; q++) if (c.mask[q / H]) r2[q] = r[q];   /* the same dout on the real tokens only */
            memset(gmem, 0, total * sizeof(float));
            CHECK(mtl_backbone_backward(&c.st, &c.p, &g, r2, NULL, &err) == MTL_OK, "backward: %s", err.msg);
            for (q = 0; q < total; q++) diff += gmem[q] != gsave[q];
            CHECK(nz == 0, "%zu hidden values at padding are not 0", nz);
            CHECK(nzd == 0, "%zu d hidden values at padding are not 0", nzd);
            CHECK(diff == 0, "dout at padding changed %zu gradients", diff);
            free(dh); free(r2); free(gsave);
        }
        /* errors */
        CHECK(mtl_backbone_forward(&c.st, &c.p, c.ids, c.types, c.mask, c.B + 1, c.L, &err) == MTL_ERR_SHAPE, "batch too big");
        c.ids[3] = cfg.vocab_size;
        CHECK(mtl_backbone_forward(&c.st, &c.p, c.ids, c.types, c.mask, c.B, c.L, &err) == MTL_ERR_ARG, "bad id");
        g.layers[1].q_w = NULL;
        CHECK(mtl_backbone_backward(&c.st, &c.p, &g, r, NULL, &err) == MTL_ERR_ARG, "missing grad view");
        mtl_backbone_free(&c.st);
        free(arena);
    }
    free(pmem); free(gmem); free(g1mem); free(c.p.layers); free(g.layers); free(g1.layers);
    free(c.ids); free(c.types); free(c.mask); free(y); free(r);
}

/* ---- packing through the public API: a sequence's hidden states do not depend on the batch ---- */
static void test_packed_batch(void) {
    mtl_backbone_config cfg;
    mtl_backbone_params p;
    mtl_backbone_state st;
    mtl_error err;
    float *pmem, *all;
    int32_t ids[4 * 9], mask[4 * 9];
    size_t total = 0, off = 0, TH, rowH, j, differ = 0, zero_in_empty = 0;
    int k, b, t, shape[2];
    const int B = 4, L = 9;
    memset(&cfg, 0, sizeof cfg);
    cfg.vocab_size = 30; cfg.hidden_size = 16; cfg.n_layers = 2; cfg.n_heads = 2; cfg.intermediate_size = 24;
    cfg.max_position = 12; cfg.type_vocab_size = 2; cfg.pad_token_id = 0; cfg.layer_norm_eps = 1e-12f;
    TH = (size_t)B * (size_t)L * (size_t)cfg.hidden_size;
    rowH = (size_t)L * (size_t)cfg.hidden_size;
    memset(&p, 0, sizeof p);
    p.layers = (mtl_layer_params *)calloc(2, sizeof(mtl_layer_params));
    for (k = 0; k < mtl_backbone_n_tensors(&cfg); k++) { mtl_backbone_tensor(&p, &cfg, k, NULL, shape); total += (size_t)shape[0] * (size_t)(shape[1] ? shape[1] : 1); }
    pmem = rnd_vec(total, 0.3, 0.0);
    for (k = 0; k < mtl_backbone_n_tensors(&cfg); k++) {
        float **f = mtl_backbone_tensor(&p, &cfg, k, NULL, shape);
        *f = pmem + off;
        off += (size_t)shape[0] * (size_t)(shape[1] ? shape[1] : 1);
    }
    /* right padding, none, holes, no real token at all */
    for (b = 0; b < B; b++)
        for (t = 0; t < L; t++) {
            mask[b * L + t] = b == 0 ? t < 5 : b == 1 ? 1 : b == 2 ? t % 2 == 0 : 0;
            ids[b * L + t] = mask[b * L + t] || b == 3 ? 1 + (int32_t)(rnd_u() * 28) : 0;
        }
    all = (float *)malloc(TH * sizeof(float));
    CHECK(mtl_backbone_init(&st, &cfg, B, L, 2, 1, NULL, 0, &err) == MTL_OK, "init: %s", err.msg);
    CHECK(mtl_backbone_forward(&st, &p, ids, NULL, mask, B, L, &err) == MTL_OK, "forward: %s", err.msg);
    memcpy(all, mtl_backbone_hidden(&st, cfg.n_layers), TH * sizeof(float));
    for (b = 0; b < B; b++) {
        const float *one;
        CHECK(mtl_backbone_forward(&st, &p, ids + b * L, NULL, mask + b * L, 1, L, &err) == MTL_OK, "forward: %s", err.msg);
        one = mtl_backbone_hidden(&st, cfg.n_layers);
        for (j = 0; j < rowH; j++) differ += one[j] != all[(size_t)b * rowH + j];
    }
    /* the row without a real token is computed at every position (uniform attention, as HF) */
    for (j = 0; j < rowH; j++) zero_in_empty += all[3 * rowH + j] == 0.0f;
    CHECK(differ == 0, "%zu values differ between the batch and its sequences alone", differ);
    CHECK(zero_in_empty == 0, "the row without real tokens has %zu zeros", zero_in_empty);
    mtl_backbone_free(&st);
    free(pmem); free(p.layers); free(all);
}

/* ---- threads: the same forward and backward, bit for bit, on 1 and on 3 threads ---- */
static void test_threads_bit_identical(void) {
    mtl_backbone_config cfg;
    mtl_backbone_params p, g[2];
    mtl_backbone_state st;
    mtl_error err;
    float *pmem, *gmem[2], *hid[2], *dout;
    int32_t *ids, *mask;
    size_t total = 0, off = 0, TH, j, diff_h = 0, diff_g = 0;
    int k, run, shape[2];
    const int B = 4, L = 48;
    memset(&cfg, 0, sizeof cfg);
    cfg.vocab_size = 50; cfg.hidden_size = 64; cfg.n_layers = 2; cfg.n_heads = 4; cfg.intermediate_size = 200;
    cfg.max_position = 64; cfg.type_vocab_size = 2; cfg.pad_token_id = 0; cfg.layer_norm_eps = 1e-12f;
    TH = (size_t)B * (size_t)L * (size_t)cfg.hidden_size;
    memset(&p, 0, sizeof p);
    p.layers = (mtl_layer_params *)calloc(2, sizeof(mtl_layer_params));
    for (k = 0; k < mtl_backbone_n_tensors(&cfg); k++) { mtl_backbone_tensor(&p, &cfg, k, NULL, shape); total += (size_t)shape[0] * (size_t)(shape[1] ? shape[1] : 1); }
    pmem = rnd_vec(total, 0.2, 0.0);
    for (k = 0; k < mtl_backbone_n_tensors(&cfg); k++) {
        float **f = mtl_backbone_tensor(&p, &cfg, k, NULL, shape);
        *f = pmem + off;
        off += (size_t)shape[0] * (size_t)(shape[1] ? shape[1] : 1);
    }
    ids = (int32_t *)malloc((size_t)(B * L) * sizeof(int32_t)); mask = (int32_t *)malloc((size_t)(B * L) * sizeof(int32_t));
    for (j = 0; j < (size_t)(B * L); j++) { ids[j] = 1 + (int32_t)(rnd_u() * 48); mask[j] = (int)(j % (size_t)L) < L - (int)(j / (size_t)L) * 7; }
    dout = rnd_vec(TH, 1.0, 0.0);
    for (run = 0; run < 2; run++) {
        g[run].layers = (mtl_layer_params *)calloc(2, sizeof(mtl_layer_params));
        gmem[run] = (float *)calloc(total, sizeof(float));
        hid[run] = (float *)malloc(TH * sizeof(float));
        mtl_backbone_point_grads(&g[run], &cfg, 2, 1, gmem[run]);
        CHECK(mtl_backbone_init(&st, &cfg, B, L, 2, 1, NULL, 0, &err) == MTL_OK, "init: %s", err.msg);
        if (run) CHECK(mtl_backbone_set_threads(&st, 3, &err) == MTL_OK, "threads: %s", err.msg);
        mtl_backbone_set_dropout(&st, 0.1f, 0.1f, 1234, 1);
        CHECK(mtl_backbone_forward(&st, &p, ids, NULL, mask, B, L, &err) == MTL_OK, "forward: %s", err.msg);
        memcpy(hid[run], mtl_backbone_hidden(&st, cfg.n_layers), TH * sizeof(float));
        CHECK(mtl_backbone_backward(&st, &p, &g[run], dout, NULL, &err) == MTL_OK, "backward: %s", err.msg);
        mtl_backbone_free(&st);
    }
    for (j = 0; j < TH; j++) diff_h += hid[0][j] != hid[1][j];
    for (j = 0; j < total; j++) diff_g += gmem[0][j] != gmem[1][j];
    CHECK(diff_h == 0, "%zu hidden values differ between 1 and 3 threads", diff_h);
    CHECK(diff_g == 0, "%zu gradient values differ between 1 and 3 threads", diff_g);
    printf("  1 vs 3 threads (dropout on): %zu hidden values and %zu gradients, all bit-identical: %s\n", TH, total,
           diff_h + diff_g == 0 ? "yes" : "no");
    for (run = 0; run < 2; run++) { free(g[run].layers); free(gmem[run]); free(hid[run]); }
    free(pmem); free(p.layers); free(ids); free(mask); free(dout);
}

int main(void) {
    mtl_t_path(g_fx_dir, sizeof g_fx_dir, "fixtures/golden");
    mtl_t_path(g_model_dir, sizeof g_model_dir, "models/tiny-random-bert");
    RUN(test_golden_all);
    RUN(test_golden_top1);
    RUN(test_golden_layers_only);
    RUN(test_golden_embeddings_only);
    RUN(test_golden_frozen);
    RUN(test_arena_sizes);
    RUN(test_fd_layernorm);
    RUN(test_fd_linear);
    RUN(test_fd_gelu);
    RUN(test_fd_attention);
    RUN(test_fd_embeddings);
    RUN(test_fd_layer);
    RUN(test_fd_backbone);
    RUN(test_packed_batch);
    RUN(test_threads_bit_identical);
    TEST_MAIN_END();
}
