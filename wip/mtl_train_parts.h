/* mtl_train_parts.h - backbone-independent building blocks of fine-tuning (issue #4), exact as PyTorch.
   Work in progress: written so that it can be pasted into mtl_bert.h unchanged.  MIT licence (mtl_bert.h).

   USAGE
     In ONE C or C++ file:
         #define MTL_TRAIN_PARTS_IMPLEMENTATION
         #include "wip/mtl_train_parts.h"        (includes mtl_tokenizer.h and its implementation)

   CONVENTIONS (llm.c style)
     - float32, row-major. A Linear weight W is [out, in] as in torch: y = x W^T + b.
     - Every op is a forward/backward pair with the shapes in the comment. Backward functions
       ACCUMULATE (+=) into every gradient they write (dx, dW, db ...): zero them first
       (mtl_params_zero_grad). Any gradient pointer may be NULL (not wanted).
     - Parameters live in ONE flat float block (mtl_params.data) with a table of named views; their
       gradients in a second block of the same layout (mtl_params.grad); the optimizer state (m, v or
       the momentum buffer) in blocks of the same layout too. So norm, clipping and update are one loop.
     - Library code never prints, exits or aborts and has no global state. Functions that can fail
       return mtl_result and fill an mtl_error (NULL to ignore).

   WHAT IS EXACT (and checked by tests/test_train_parts.c against PyTorch fixtures)
     - cross-entropy: torch.nn.CrossEntropyLoss(weight, ignore_index, label_smoothing), reduction mean.
       Deviation: a batch with no counted item gives loss 0 and gradient 0 (torch: NaN).
     - optimizers: torch.optim.SGD / Adam / AdamW of torch 1.13 (single-tensor path): scalars in
       double, applied to float32 tensors in torch's operation order.
     - clipping: torch.nn.utils.clip_grad_norm_: per-tensor norms, then the norm of the norms, each
       summed the way torch 1.13's AVX2 CPU kernel does (8 lanes of fused multiply-adds, the lanes
       added in order, the remainder added one by one), coef = max_norm * (1/(total + eps)), clamped to 1.
     - schedules: transformers' get_constant_schedule_with_warmup, get_linear_schedule_with_warmup,
       get_cosine_schedule_with_warmup; update t (1-based) uses lambda(t-1).
     - pooling: sentence-transformers (mean over mask, max over mask, CLS), F.normalize.
*/
#ifndef MTL_TRAIN_PARTS_H
#define MTL_TRAIN_PARTS_H

#include "../mtl_tokenizer.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------------------------------------- */
/* Ops: forward + backward                                                                        */
/* ---------------------------------------------------------------------------------------------- */
/* y[n,out] = x[n,in] W[out,in]^T + b[out]  (b may be NULL) */
MTLDEF void mtl_linear_forward(float *y, const float *x, const float *w, const float *b, int n, int in, int out);
/* dx[n,in] += dy W;  dW[out,in] += dy^T x;  db[out] += sum_n dy  (dy [n,out]) */
MTLDEF void mtl_linear_backward(float *dx, float *dw, float *db, const float *dy, const float *x, const float *w,
                                int n, int in, int out);
/* y[n] = gelu(x) = 0.5 x (1 + erf(x/sqrt 2)) (exact erf, as torch and HF "gelu"); y may be x */
MTLDEF void mtl_gelu_forward(float *y, const float *x, size_t n);
/* dx[n] += dy * gelu'(x), x = the forward's input */
MTLDEF void mtl_gelu_backward(float *dx, const float *dy, const float *x, size_t n);
/* y[n] = max(x, 0); y may be x */
MTLDEF void mtl_relu_forward(float *y, const float *x, size_t n);
/* dx[n] += dy * (x > 0), x = the forward's input (or its output: same sign test) */
MTLDEF void mtl_relu_backward(float *dx, const float *dy, const float *x, size_t n);

/* Dropout with a counter-based RNG: element i is kept iff mtl_rand_uniform(seed, i) >= p, and kept
   values are scaled by 1/(1-p) (as torch). No mask is stored: the backward recomputes it from the
   same seed. Not training, or p <= 0: the identity. p >= 1: everything dropped. y may be x.
   Use a different seed per call site and step (mtl_rand_seed(base, step, site)). */
MTLDEF void     mtl_dropout_forward(float *y, const float *x, size_t n, float p, uint64_t seed, int training);
MTLDEF void     mtl_dropout_backward(float *dx, const float *dy, size_t n, float p, uint64_t seed, int training);
MTLDEF uint64_t mtl_rand_seed(uint64_t base, uint64_t step, uint64_t site);  /* splitmix64 mixing   */
MTLDEF float    mtl_rand_uniform(uint64_t seed, uint64_t i);                   /* [0,1), 24 bits      */

/* Poolings of x[B,L,H] with mask[B,L] (1 = real token, 0 = padding; NULL = all real) -> out[B,H].
   mean: sum_t mask*x / max(sum_t mask, 1e-9)     (sentence-transformers; no real token -> 0)
   cls:  x[:, 0]
   max:  max over the real tokens (sentence-transformers: padding set to -1e9 first, so a row with no
         real token gives -1e9); argmax[B,H] records the winning t (the first one) for the backward,
         -1 when there is no real token. */
MTLDEF void mtl_pool_mean_forward(float *out, const float *x, const int32_t *mask, int B, int L, int H);
MTLDEF void mtl_pool_mean_backward(float *dx, const float *dout, const int32_t *mask, int B, int L, int H);
MTLDEF void mtl_pool_cls_forward(float *out, const float *x, int B, int L, int H);
MTLDEF void mtl_pool_cls_backward(float *dx, const float *dout, int B, int L, int H);
MTLDEF void mtl_pool_max_forward(float *out, int32_t *argmax, const float *x, const int32_t *mask, int B, int L, int H);
MTLDEF void mtl_pool_max_backward(float *dx, const float *dout, const int32_t *argmax, int B, int L, int H);

/* y[n,d] = x / max(||x||_2, 1e-12) per row (torch.nn.functional.normalize); y may be x */
MTLDEF void mtl_l2norm_forward(float *y, const float *x, int n, int d);
/* dx[n,d] += J^T dy, x = the forward's input */
MTLDEF void mtl_l2norm_backward(float *dx, const float *dy, const float *x, int n, int d);

/* ---------------------------------------------------------------------------------------------- */
/* Parameters: one flat block + a table of named views                                            */
/* ---------------------------------------------------------------------------------------------- */
#define MTL_PARAM_MAX_DIMS 4

typedef struct mtl_param {
    char *name;                      /* Hugging Face name, e.g. "cls_head.weight"                  */
    size_t offset, numel;            /* the view: data + offset, numel floats                      */
    int ndim, shape[MTL_PARAM_MAX_DIMS];
    int trainable;                   /* 0 = frozen: no gradient, no clipping, no update (default 1) */
    int group;                       /* index into groups (-1: none yet)                           */
} mtl_param;

/* A parameter group, as in torch.optim: its own base lr and weight decay. */
typedef struct mtl_param_group {
    char name[64];                   /* "<block>.decay" / "<block>.no_decay" from mtl_params_make_groups */
    double lr;                       /* base lr; the lr of an update is lr * the schedule's lambda  */
    double weight_decay;
} mtl_param_group;

typedef struct mtl_params {
    float *data, *grad;              /* [n] each, 64-byte aligned views; zeroed by mtl_params_alloc */
    size_t n;
    mtl_param *t;                    /* count tensors, in the order they were added                */
    int count, cap;
    mtl_param_group *groups;
    int n_groups, groups_cap;
    void *mem;                       /* private */
} mtl_params;

/* Zero-initialise an mtl_params, add every tensor, then allocate. */
MTLDEF mtl_result mtl_params_add(mtl_params *p, const char *name, int ndim, const int *shape, mtl_error *err);
MTLDEF mtl_result mtl_params_alloc(mtl_params *p, mtl_error *err);
MTLDEF void       mtl_params_free(mtl_params *p);
MTLDEF int        mtl_params_find(const mtl_params *p, const char *name);      /* index or -1      */
MTLDEF float     *mtl_params_data(const mtl_params *p, const char *name);      /* NULL if absent   */
MTLDEF float     *mtl_params_grad(const mtl_params *p, const char *name);
MTLDEF void       mtl_params_zero_grad(mtl_params *p);
/* Adds a group; returns its index (or -1 when out of memory). Tensors join with t[i].group = index. */
MTLDEF int        mtl_params_add_group(mtl_params *p, const char *name, double lr, double weight_decay);

/* HF's rule: names ending in "bias" or "LayerNorm.weight" get no weight decay. */
MTLDEF int        mtl_param_no_decay(const char *name);

/* Layer-wise learning rates + HF's no-decay rule, from parameter names (an optional "bert." prefix
   is ignored). Blocks: "embeddings.*" (lr = base_lr * layer_decay^L), "encoder.layer.k.*"
   (base_lr * layer_decay^(L-1-k)), everything else is a head (base_lr * head_mult); "pooler.*" is
   never trained (its output feeds no loss; HF leaves its gradient None): it is marked frozen.
   Groups are made in the order embeddings, layer0 .. layer(L-1), heads, each block a ".decay" group
   (weight_decay) then a ".no_decay" group (0); empty groups are left out; frozen tensors get none.
   The groups already in p are replaced. A layer k >= num_layers: MTL_ERR_ARG. */
typedef struct mtl_group_rule {
    double base_lr;
    double layer_decay;              /* 0 = 1 (no layer-wise decay)                                */
    double head_mult;                /* 0 = 1                                                      */
    double weight_decay;
    int num_layers;                  /* L; 0 = 1 + the largest k found in "encoder.layer.k"         */
} mtl_group_rule;
MTLDEF mtl_result mtl_params_make_groups(mtl_params *p, const mtl_group_rule *rule, mtl_error *err);

/* ---------------------------------------------------------------------------------------------- */
/* Heads                                                                                          */
/* ---------------------------------------------------------------------------------------------- */
typedef enum mtl_activation { MTL_ACT_GELU = 0, MTL_ACT_RELU = 1 } mtl_activation;

/* hidden_dim 0: one Linear(in -> out), params "<prefix>.weight" [out,in], "<prefix>.bias" [out].
   hidden_dim > 0: Linear(in -> hidden) -> act -> Dropout(dropout) -> Linear(hidden -> out), params
   "<prefix>.dense.{weight,bias}" and "<prefix>.out_proj.{weight,bias}". */
typedef struct mtl_head_config {
    int in_dim, out_dim, hidden_dim;
    mtl_activation act;
    float dropout;
} mtl_head_config;

/* Views into an mtl_params: the weights and their gradients. */
typedef struct mtl_head {
    mtl_head_config cfg;
    float *w1, *b1, *w2, *b2;        /* linear head: w1, b1 only                                   */
    float *dw1, *db1, *dw2, *db2;    /* NULL for a frozen head                                      */
} mtl_head;

/* Sentence pooling of a sequence head: the values of mtl_bert.h's mtl_pooling. */
typedef enum mtl_head_pool { MTL_HPOOL_CLS = 1, MTL_HPOOL_MEAN = 2, MTL_HPOOL_MAX = 3 } mtl_head_pool;

MTLDEF mtl_result mtl_head_add_params(mtl_params *p, const char *prefix, const mtl_head_config *cfg, mtl_error *err);
MTLDEF mtl_result mtl_head_bind(mtl_head *h, const mtl_params *p, const char *prefix, const mtl_head_config *cfg, mtl_error *err);

/* A head on n rows: out[n,out] = head(x[n,in]). The NER (token) head is this on every token (n = B*L).
   cache: mtl_head_cache_floats(cfg, n) floats, written by the forward, used by the backward.
   seed: the dropout seed (the backward must get the same one). */
MTLDEF size_t mtl_head_cache_floats(const mtl_head_config *cfg, int n);
MTLDEF void   mtl_head_forward(const mtl_head *h, float *out, const float *x, int n, float *cache, int training, uint64_t seed);
/* dx[n,in] += d x; the head's gradients += (dout [n,out]). cache is reused as scratch. */
MTLDEF void   mtl_head_backward(const mtl_head *h, float *dx, const float *dout, const float *x, int n, float *cache,
                                int training, uint64_t seed);

/* A sequence (classification) head: logits[B,out] = head(pool(hidden[B,L,in], mask)).
   cache: mtl_seq_head_cache_floats(cfg, B) floats; argmax: [B,in] ints for MTL_HPOOL_MAX (else NULL). */
MTLDEF size_t mtl_seq_head_cache_floats(const mtl_head_config *cfg, int B);
MTLDEF void   mtl_seq_head_forward(const mtl_head *h, mtl_head_pool pool, float *logits, const float *hidden,
                                   const int32_t *mask, int B, int L, float *cache, int32_t *argmax, int training, uint64_t seed);
/* dhidden[B,L,in] += d hidden (NULL: only the head's gradients) */
MTLDEF void   mtl_seq_head_backward(const mtl_head *h, mtl_head_pool pool, float *dhidden, const float *dlogits,
                                    const float *hidden, const int32_t *mask, int B, int L, float *cache,
                                    const int32_t *argmax, int training, uint64_t seed);

/* ---------------------------------------------------------------------------------------------- */
/* Losses                                                                                         */
/* ---------------------------------------------------------------------------------------------- */
typedef struct mtl_ce_options {
    int ignore_index;                /* labels equal to it are not counted (torch default -100)      */
    const float *class_weight;       /* [C] or NULL                                                  */
    float label_smoothing;           /* in [0, 1]                                                    */
} mtl_ce_options;

/* Softmax cross-entropy of logits[n,C] against labels[n], reduction "mean", exactly
   torch.nn.functional.cross_entropy(logits, labels, weight, ignore_index=, label_smoothing=):
     q[i,c] = ((1-eps) w[y_i] [c == y_i] + (eps/C) w[c]) / sum_{counted j} w[y_j]  (w = 1 without weights)
     loss   = -sum_{counted i} sum_c q[i,c] log_softmax(logits[i])[c]
   dlogits[n,C] (NULL: none) is SET (not accumulated) to dscale * d loss / d logits: p*sum_c q - q, and
   0 on ignored rows. No counted row (or a zero total weight): loss 0, gradient 0 (torch: NaN). opt NULL: ignore_index -100, no weights, no smoothing. *n_counted (may be NULL)
   gets the number of counted rows. A label outside [0, C) other than ignore_index: MTL_ERR_ARG. */
MTLDEF mtl_result mtl_cross_entropy(float *loss, float *dlogits, const float *logits, const int32_t *labels, int n, int C,
                                    const mtl_ce_options *opt, float dscale, int *n_counted, mtl_error *err);
/* cls_weight*loss_cls + ner_weight*loss_ner in float32, as torch adds two loss tensors. */
MTLDEF float mtl_multitask_loss(double cls_weight, float loss_cls, double ner_weight, float loss_ner);

/* ---------------------------------------------------------------------------------------------- */
/* Clipping, accumulation, schedules, optimizers                                                  */
/* ---------------------------------------------------------------------------------------------- */
/* ||x||_2 of one float tensor, summed as torch 1.13's AVX2 CPU kernel (see the top). */
MTLDEF float mtl_norm2(const float *x, size_t n);
/* The global L2 norm of the trainable gradients, as torch.nn.utils.clip_grad_norm_: the norm of the
   vector of per-tensor norms, tensors in table order. */
MTLDEF float mtl_grad_norm(const mtl_params *p);
/* clip_grad_norm_(max_norm, norm_type 2): coef = min(1, max_norm * (1/(total + eps))) in float32 (eps:
   torch's 1e-6), every trainable gradient *= coef. Returns coef; *total (may be NULL) = the norm. */
MTLDEF float mtl_clip_grad_norm(mtl_params *p, float max_norm, float eps, float *total);
/* Gradient accumulation: backward passes accumulate, so k micro-batches with their losses scaled by
   1/k (the dscale of the losses) add up to the mean. These help with other schemes: */
MTLDEF void  mtl_params_scale_grad(mtl_params *p, float s);               /* trainable grads *= s   */
MTLDEF void  mtl_accumulate(float *dst, const float *src, size_t n, float scale); /* dst += scale*src */

typedef enum mtl_schedule_type {
    MTL_SCHED_CONSTANT = 0,          /* get_constant_schedule(_with_warmup)                          */
    MTL_SCHED_LINEAR = 1,            /* get_linear_schedule_with_warmup                               */
    MTL_SCHED_COSINE = 2             /* get_cosine_schedule_with_warmup                               */
} mtl_schedule_type;
typedef struct mtl_schedule {
    mtl_schedule_type type;
    long warmup_steps, total_steps;
    double num_cycles;               /* cosine; 0 = 0.5 (HF's default)                               */
} mtl_schedule;
/* The lr multiplier lambda(s) in double; update t (1-based) uses s = t-1. */
MTLDEF double mtl_schedule_lambda(const mtl_schedule *s, long step);

typedef enum mtl_optim_type { MTL_OPTIM_ADAMW = 0, MTL_OPTIM_ADAM = 1, MTL_OPTIM_SGD = 2 } mtl_optim_type;
typedef struct mtl_optim_config {
    mtl_optim_type type;
    double beta1, beta2, eps;        /* adam(w)                                                      */
    double momentum, dampening;      /* sgd                                                          */
    int nesterov;                    /* sgd                                                          */
} mtl_optim_config;
/* The state: m and v (adam), or the momentum buffer in m (sgd), in blocks of the params' layout. */
typedef struct mtl_optim {
    mtl_optim_config cfg;
    float *m, *v;
    size_t n;
    long step;                       /* updates done                                                 */
    void *mem;                       /* private */
} mtl_optim;
/* torch's defaults for the type: betas (0.9, 0.999), eps 1e-8, momentum 0, dampening 0. */
MTLDEF void       mtl_optim_defaults(mtl_optim_config *cfg, mtl_optim_type type);
MTLDEF mtl_result mtl_optim_init(mtl_optim *o, const mtl_optim_config *cfg, const mtl_params *p, mtl_error *err);
/* One update of every trainable tensor with group g's lr = groups[g].lr * lr_scale (double). Every
   trainable tensor must be in a group (else MTL_ERR_ARG, nothing changed).
     adamw: p *= (float)(1 - lr wd); m = b1 m + (1-b1) g; v = b2 v + (1-b2) g g;
            p -= (lr/bc1) m / (sqrt(v)/sqrt(bc2) + eps), bc_i = 1 - b_i^step
     adam:  g += wd p, then the same without the decoupled decay
     sgd:   g += wd p; momentum: buf = g (first update), else buf = momentum buf + (1-dampening) g;
            g = nesterov ? g + momentum buf : buf; p -= lr g */
MTLDEF mtl_result mtl_optim_step(mtl_optim *o, mtl_params *p, double lr_scale, mtl_error *err);
MTLDEF void       mtl_optim_free(mtl_optim *o);

#ifdef __cplusplus
}
#endif
#endif /* MTL_TRAIN_PARTS_H */

/* ============================================================================================== */
/*                                        IMPLEMENTATION                                          */
/* ============================================================================================== */
#ifdef MTL_TRAIN_PARTS_IMPLEMENTATION
#ifndef MTL_TRAIN_PARTS_IMPLEMENTATION_DONE
#define MTL_TRAIN_PARTS_IMPLEMENTATION_DONE

#ifndef MTL_TOKENIZER_IMPLEMENTATION
#define MTL_TOKENIZER_IMPLEMENTATION
#endif
#include "../mtl_tokenizer.h"

#include <string.h>
#include <math.h>

/* ---------------------------------------------------------------------------------------------- */
/* Ops                                                                                            */
/* ---------------------------------------------------------------------------------------------- */
MTLDEF void mtl_linear_forward(float *y, const float *x, const float *w, const float *b, int n, int in, int out) {
    int i, o, k;
    for (i = 0; i < n; i++) {
        const float *xi = x + (size_t)i * (size_t)in;
        float *yi = y + (size_t)i * (size_t)out;
        for (o = 0; o < out; o++) {
            const float *wo = w + (size_t)o * (size_t)in;
            float acc = b ? b[o] : 0.0f;
            for (k = 0; k < in; k++) acc += xi[k] * wo[k];
            yi[o] = acc;
        }
    }
}

MTLDEF void mtl_linear_backward(float *dx, float *dw, float *db, const float *dy, const float *x, const float *w,
                                int n, int in, int out) {
    int i, o, k;
    for (i = 0; i < n; i++) {
        const float *dyi = dy + (size_t)i * (size_t)out;
        const float *xi = x + (size_t)i * (size_t)in;
        float *dxi = dx ? dx + (size_t)i * (size_t)in : NULL;
        for (o = 0; o < out; o++) {
            const float d = dyi[o];
            const float *wo = w + (size_t)o * (size_t)in;
            if (dxi) for (k = 0; k < in; k++) dxi[k] += d * wo[k];                 /* dx = dy W     */
            if (dw) {
                float *dwo = dw + (size_t)o * (size_t)in;
                for (k = 0; k < in; k++) dwo[k] += d * xi[k];                      /* dW = dy^T x   */
            }
            if (db) db[o] += d;                                                    /* db = sum dy   */
        }
    }
}

#define MTL__INV_SQRT2 0.70710678118654752440
#define MTL__INV_SQRT_2PI 0.39894228040143267794

MTLDEF void mtl_gelu_forward(float *y, const float *x, size_t n) {
    size_t i;
    for (i = 0; i < n; i++) y[i] = 0.5f * x[i] * (1.0f + erff(x[i] * (float)MTL__INV_SQRT2));
}
MTLDEF void mtl_gelu_backward(float *dx, const float *dy, const float *x, size_t n) {
    size_t i;
    for (i = 0; i < n; i++) {
        /* gelu'(x) = Phi(x) + x phi(x) */
        float cdf = 0.5f * (1.0f + erff(x[i] * (float)MTL__INV_SQRT2));
        float pdf = (float)MTL__INV_SQRT_2PI * expf(-0.5f * x[i] * x[i]);
        dx[i] += dy[i] * (cdf + x[i] * pdf);
    }
}

MTLDEF void mtl_relu_forward(float *y, const float *x, size_t n) {
    size_t i;
    for (i = 0; i < n; i++) y[i] = x[i] > 0.0f ? x[i] : 0.0f;
}
MTLDEF void mtl_relu_backward(float *dx, const float *dy, const float *x, size_t n) {
    size_t i;
    for (i = 0; i < n; i++) if (x[i] > 0.0f) dx[i] += dy[i];
}

/* SplitMix64 (Steele, Lea, Flood 2014): a bijective 64-bit mixer, used counter-style. */
static uint64_t mtl__mix64(uint64_t z) {
    z += 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
MTLDEF uint64_t mtl_rand_seed(uint64_t base, uint64_t step, uint64_t site) {
    return mtl__mix64(mtl__mix64(mtl__mix64(base) ^ step) ^ site);
}
MTLDEF float mtl_rand_uniform(uint64_t seed, uint64_t i) {
    return (float)(mtl__mix64(seed ^ mtl__mix64(i)) >> 40) * (1.0f / 16777216.0f);
}

MTLDEF void mtl_dropout_forward(float *y, const float *x, size_t n, float p, uint64_t seed, int training) {
    size_t i;
    if (!training || p <= 0.0f) {
        if (y != x) memmove(y, x, n * sizeof *y);
        return;
    }
    if (p >= 1.0f) {
        for (i = 0; i < n; i++) y[i] = 0.0f;
        return;
    }
    {
        const float scale = 1.0f / (1.0f - p);
        for (i = 0; i < n; i++) y[i] = mtl_rand_uniform(seed, i) >= p ? x[i] * scale : 0.0f;
    }
}
MTLDEF void mtl_dropout_backward(float *dx, const float *dy, size_t n, float p, uint64_t seed, int training) {
    size_t i;
    if (!training || p <= 0.0f) {
        for (i = 0; i < n; i++) dx[i] += dy[i];
        return;
    }
    if (p >= 1.0f) return;
    {
        const float scale = 1.0f / (1.0f - p);
        for (i = 0; i < n; i++) if (mtl_rand_uniform(seed, i) >= p) dx[i] += dy[i] * scale;
    }
}

/* out[B,H] = sum_t mask[b,t] x[b,t,:] / max(count, 1e-9) */
MTLDEF void mtl_pool_mean_forward(float *out, const float *x, const int32_t *mask, int B, int L, int H) {
    int b, t, h;
    for (b = 0; b < B; b++) {
        float *o = out + (size_t)b * (size_t)H;
        float cnt = 0.0f;
        for (h = 0; h < H; h++) o[h] = 0.0f;
        for (t = 0; t < L; t++) {
            const float *xt = x + ((size_t)b * (size_t)L + (size_t)t) * (size_t)H;
            if (mask && !mask[(size_t)b * (size_t)L + (size_t)t]) continue;
            cnt += 1.0f;
            for (h = 0; h < H; h++) o[h] += xt[h];
        }
        if (cnt < 1e-9f) cnt = 1e-9f;
        for (h = 0; h < H; h++) o[h] /= cnt;
    }
}
/* dx[b,t,:] += mask[b,t] dout[b,:] / max(count, 1e-9) */
MTLDEF void mtl_pool_mean_backward(float *dx, const float *dout, const int32_t *mask, int B, int L, int H) {
    int b, t, h;
    for (b = 0; b < B; b++) {
        const float *d = dout + (size_t)b * (size_t)H;
        float cnt = 0.0f;
        for (t = 0; t < L; t++) if (!mask || mask[(size_t)b * (size_t)L + (size_t)t]) cnt += 1.0f;
        if (cnt < 1e-9f) continue;
        for (t = 0; t < L; t++) {
            float *dxt = dx + ((size_t)b * (size_t)L + (size_t)t) * (size_t)H;
            if (mask && !mask[(size_t)b * (size_t)L + (size_t)t]) continue;
            for (h = 0; h < H; h++) dxt[h] += d[h] / cnt;
        }
    }
}

MTLDEF void mtl_pool_cls_forward(float *out, const float *x, int B, int L, int H) {
    int b;
    for (b = 0; b < B; b++) memcpy(out + (size_t)b * (size_t)H, x + (size_t)b * (size_t)L * (size_t)H, (size_t)H * sizeof *out);
}
MTLDEF void mtl_pool_cls_backward(float *dx, const float *dout, int B, int L, int H) {
    int b, h;
    for (b = 0; b < B; b++)
        for (h = 0; h < H; h++) dx[(size_t)b * (size_t)L * (size_t)H + (size_t)h] += dout[(size_t)b * (size_t)H + (size_t)h];
}

MTLDEF void mtl_pool_max_forward(float *out, int32_t *argmax, const float *x, const int32_t *mask, int B, int L, int H) {
    int b, t, h;
    for (b = 0; b < B; b++) {
        float *o = out + (size_t)b * (size_t)H;
        int32_t *a = argmax ? argmax + (size_t)b * (size_t)H : NULL;
        int first = 1;
        for (h = 0; h < H; h++) { o[h] = -1e9f; if (a) a[h] = -1; }
        for (t = 0; t < L; t++) {
            const float *xt = x + ((size_t)b * (size_t)L + (size_t)t) * (size_t)H;
            if (mask && !mask[(size_t)b * (size_t)L + (size_t)t]) continue;
            for (h = 0; h < H; h++)
                if (first || xt[h] > o[h]) { o[h] = xt[h]; if (a) a[h] = t; }
            first = 0;
        }
    }
}
MTLDEF void mtl_pool_max_backward(float *dx, const float *dout, const int32_t *argmax, int B, int L, int H) {
    int b, h;
    for (b = 0; b < B; b++)
        for (h = 0; h < H; h++) {
            int32_t t = argmax[(size_t)b * (size_t)H + (size_t)h];
            if (t >= 0 && t < L) dx[((size_t)b * (size_t)L + (size_t)t) * (size_t)H + (size_t)h] += dout[(size_t)b * (size_t)H + (size_t)h];
        }
}

MTLDEF void mtl_l2norm_forward(float *y, const float *x, int n, int d) {
    int i, k;
    for (i = 0; i < n; i++) {
        const float *xi = x + (size_t)i * (size_t)d;
        float *yi = y + (size_t)i * (size_t)d;
        double s = 0.0;
        float nrm;
        for (k = 0; k < d; k++) s += (double)xi[k] * xi[k];
        nrm = (float)sqrt(s);
        if (nrm < 1e-12f) nrm = 1e-12f;
        for (k = 0; k < d; k++) yi[k] = xi[k] / nrm;
    }
}
/* y = x / r, r = max(||x||, 1e-12): dx = (dy - y (y.dy)) / r when ||x|| > 1e-12, else dy / 1e-12 */
MTLDEF void mtl_l2norm_backward(float *dx, const float *dy, const float *x, int n, int d) {
    int i, k;
    for (i = 0; i < n; i++) {
        const float *xi = x + (size_t)i * (size_t)d, *dyi = dy + (size_t)i * (size_t)d;
        float *dxi = dx + (size_t)i * (size_t)d;
        double s = 0.0, ydy = 0.0, r;
        for (k = 0; k < d; k++) s += (double)xi[k] * xi[k];
        r = sqrt(s);
        if (r <= 1e-12) {
            for (k = 0; k < d; k++) dxi[k] += (float)(dyi[k] / 1e-12);
            continue;
        }
        for (k = 0; k < d; k++) ydy += (double)xi[k] / r * dyi[k];
        for (k = 0; k < d; k++) dxi[k] += (float)((dyi[k] - xi[k] / r * ydy) / r);
    }
}

/* ---------------------------------------------------------------------------------------------- */
/* Parameters                                                                                     */
/* ---------------------------------------------------------------------------------------------- */
#if !defined(MTL_MALLOC) || !defined(MTL_REALLOC) || !defined(MTL_FREE)
#define MTL_MALLOC(sz) malloc(sz)
#define MTL_REALLOC(p, sz) realloc(p, sz)
#define MTL_FREE(p) free(p)
#endif

static size_t mtl__round16(size_t n) { return (n + 15) & ~(size_t)15; }

MTLDEF mtl_result mtl_params_add(mtl_params *p, const char *name, int ndim, const int *shape, mtl_error *err) {
    mtl_param *t;
    size_t numel = 1, len;
    int i;
    if (!p || !name || ndim < 1 || ndim > MTL_PARAM_MAX_DIMS || !shape) return mtl__err(err, MTL_ERR_ARG, "mtl_params_add: bad argument");
    if (p->data) return mtl__err(err, MTL_ERR_ARG, "mtl_params_add: %s: parameters already allocated", name);
    if (mtl_params_find(p, name) >= 0) return mtl__err(err, MTL_ERR_ARG, "mtl_params_add: %s added twice", name);
    for (i = 0; i < ndim; i++) {
        if (shape[i] <= 0 || numel > ((size_t)-1 >> 2) / (size_t)shape[i]) return mtl__err(err, MTL_ERR_SHAPE, "mtl_params_add: %s: bad shape", name);
        numel *= (size_t)shape[i];
    }
    if (p->count == p->cap) {
        int nc = p->cap ? p->cap * 2 : 16;
        mtl_param *nt = (mtl_param *)MTL_REALLOC(p->t, (size_t)nc * sizeof *nt);
        if (!nt) return mtl__err(err, MTL_ERR_NOMEM, "out of memory");
        p->t = nt;
        p->cap = nc;
    }
    t = &p->t[p->count];
    memset(t, 0, sizeof *t);
    len = strlen(name);
    t->name = (char *)MTL_MALLOC(len + 1);
    if (!t->name) return mtl__err(err, MTL_ERR_NOMEM, "out of memory");
    memcpy(t->name, name, len + 1);
    t->ndim = ndim;
    for (i = 0; i < ndim; i++) t->shape[i] = shape[i];
    t->numel = numel;
    t->offset = p->n;
    t->trainable = 1;
    t->group = -1;
    p->n += mtl__round16(numel);       /* every view starts 64-byte aligned */
    p->count++;
    mtl__ok(err);
    return MTL_OK;
}

MTLDEF mtl_result mtl_params_alloc(mtl_params *p, mtl_error *err) {
    unsigned char *mem;
    size_t bytes;
    if (!p || p->data) return mtl__err(err, MTL_ERR_ARG, "mtl_params_alloc: bad argument");
    if (p->n > ((size_t)-1 - 128) / (2 * sizeof(float))) return mtl__err(err, MTL_ERR_NOMEM, "parameters too large");
    bytes = 2 * p->n * sizeof(float) + 64;
    mem = (unsigned char *)MTL_MALLOC(bytes);
    if (!mem) return mtl__err(err, MTL_ERR_NOMEM, "out of memory (%zu bytes of parameters)", bytes);
    memset(mem, 0, bytes);
    p->mem = mem;
    p->data = (float *)(void *)(mem + ((64 - ((uintptr_t)mem & 63)) & 63));
    p->grad = p->data + p->n;
    mtl__ok(err);
    return MTL_OK;
}

MTLDEF void mtl_params_free(mtl_params *p) {
    int i;
    if (!p) return;
    for (i = 0; i < p->count; i++) MTL_FREE(p->t[i].name);
    MTL_FREE(p->t);
    MTL_FREE(p->groups);
    MTL_FREE(p->mem);
    memset(p, 0, sizeof *p);
}

MTLDEF int mtl_params_find(const mtl_params *p, const char *name) {
    int i;
    for (i = 0; i < p->count; i++) if (strcmp(p->t[i].name, name) == 0) return i;
    return -1;
}
MTLDEF float *mtl_params_data(const mtl_params *p, const char *name) {
    int i = mtl_params_find(p, name);
    return i < 0 || !p->data ? NULL : p->data + p->t[i].offset;
}
MTLDEF float *mtl_params_grad(const mtl_params *p, const char *name) {
    int i = mtl_params_find(p, name);
    return i < 0 || !p->grad ? NULL : p->grad + p->t[i].offset;
}
MTLDEF void mtl_params_zero_grad(mtl_params *p) {
    if (p->grad) memset(p->grad, 0, p->n * sizeof *p->grad);
}

MTLDEF int mtl_params_add_group(mtl_params *p, const char *name, double lr, double weight_decay) {
    mtl_param_group *g;
    size_t l = strlen(name);
    if (p->n_groups == p->groups_cap) {
        int nc = p->groups_cap ? p->groups_cap * 2 : 8;
        mtl_param_group *ng = (mtl_param_group *)MTL_REALLOC(p->groups, (size_t)nc * sizeof *ng);
        if (!ng) return -1;
        p->groups = ng;
        p->groups_cap = nc;
    }
    g = &p->groups[p->n_groups];
    memset(g, 0, sizeof *g);
    if (l >= sizeof g->name) l = sizeof g->name - 1;
    memcpy(g->name, name, l);
    g->lr = lr;
    g->weight_decay = weight_decay;
    return p->n_groups++;
}

static int mtl__ends_with(const char *s, const char *suffix) {
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && memcmp(s + a - b, suffix, b) == 0;
}
MTLDEF int mtl_param_no_decay(const char *name) {
    return mtl__ends_with(name, "bias") || mtl__ends_with(name, "LayerNorm.weight");
}

/* Block of a parameter name: -1 embeddings, k >= 0 encoder layer k, -2 pooler, -3 head. */
static int mtl__param_block(const char *name) {
    if (strncmp(name, "bert.", 5) == 0) name += 5;
    if (strncmp(name, "embeddings.", 11) == 0) return -1;
    if (strncmp(name, "pooler.", 7) == 0) return -2;
    if (strncmp(name, "encoder.layer.", 14) == 0) {
        const char *s = name + 14;
        long k = 0;
        if (*s < '0' || *s > '9') return -3;
        while (*s >= '0' && *s <= '9' && k < 1000000) k = k * 10 + (*s++ - '0');
        if (*s == '.') return (int)k;
    }
    return -3;
}

MTLDEF mtl_result mtl_params_make_groups(mtl_params *p, const mtl_group_rule *r, mtl_error *err) {
    int L, i, blk, nd;
    double decay, mult;
    if (!p || !r) return mtl__err(err, MTL_ERR_ARG, "mtl_params_make_groups: bad argument");
    L = r->num_layers;
    decay = r->layer_decay > 0 ? r->layer_decay : 1.0;
    mult = r->head_mult > 0 ? r->head_mult : 1.0;
    for (i = 0; i < p->count; i++) {
        int b = mtl__param_block(p->t[i].name);
        if (b == -2) p->t[i].trainable = 0;
        if (r->num_layers <= 0 && b + 1 > L) L = b + 1;
        p->t[i].group = -1;
    }
    for (i = 0; i < p->count; i++)
        if (mtl__param_block(p->t[i].name) >= L) return mtl__err(err, MTL_ERR_ARG, "%s: layer index beyond num_layers %d", p->t[i].name, L);
    p->n_groups = 0;
    /* blocks in order: embeddings (-1), layers 0..L-1, heads (-3) */
    for (blk = -1; blk <= L; blk++) {
        int b = blk == L ? -3 : blk;
        double lr = b == -1 ? r->base_lr * pow(decay, (double)L)
                  : b == -3 ? r->base_lr * mult
                            : r->base_lr * pow(decay, (double)(L - 1 - b));
        char name[64];
        if (b == -1) memcpy(name, "embeddings", 11);
        else if (b == -3) memcpy(name, "heads", 6);
        else {
            char num[16];
            int k = 0, v = b, o = 5;
            memcpy(name, "layer", 5);
            do { num[k++] = (char)('0' + v % 10); v /= 10; } while (v);
            while (k) name[o++] = num[--k];
            name[o] = 0;
        }
        for (nd = 0; nd < 2; nd++) {
            int g = -1;
            for (i = 0; i < p->count; i++) {
                mtl_param *t = &p->t[i];
                int tb = mtl__param_block(t->name);
                if (!t->trainable || t->group >= 0) continue;
                if (tb != b) continue;
                if (mtl_param_no_decay(t->name) != nd) continue;
                if (g < 0) {
                    char gn[64];
                    size_t l = strlen(name);
                    memcpy(gn, name, l);
                    memcpy(gn + l, nd ? ".no_decay" : ".decay", nd ? 10 : 7);
                    g = mtl_params_add_group(p, gn, lr, nd ? 0.0 : r->weight_decay);
                    if (g < 0) return mtl__err(err, MTL_ERR_NOMEM, "out of memory");
                }
                t->group = g;
            }
        }
    }
    mtl__ok(err);
    return MTL_OK;
}

/* ---------------------------------------------------------------------------------------------- */
/* Heads                                                                                          */
/* ---------------------------------------------------------------------------------------------- */
static void mtl__head_name(char *buf, const char *prefix, const char *suffix) {
    size_t a = strlen(prefix), b = strlen(suffix);
    if (a > 200) a = 200;
    memcpy(buf, prefix, a);
    memcpy(buf + a, suffix, b + 1);
}

MTLDEF mtl_result mtl_head_add_params(mtl_params *p, const char *prefix, const mtl_head_config *c, mtl_error *err) {
    char nm[256];
    int s[2];
    mtl_result r;
    if (!c || c->in_dim <= 0 || c->out_dim <= 0 || c->hidden_dim < 0) return mtl__err(err, MTL_ERR_ARG, "head %s: bad config", prefix);
    if (c->hidden_dim == 0) {
        s[0] = c->out_dim; s[1] = c->in_dim;
        mtl__head_name(nm, prefix, ".weight");
        if ((r = mtl_params_add(p, nm, 2, s, err)) != MTL_OK) return r;
        mtl__head_name(nm, prefix, ".bias");
        return mtl_params_add(p, nm, 1, s, err);
    }
    s[0] = c->hidden_dim; s[1] = c->in_dim;
    mtl__head_name(nm, prefix, ".dense.weight");
    if ((r = mtl_params_add(p, nm, 2, s, err)) != MTL_OK) return r;
    mtl__head_name(nm, prefix, ".dense.bias");
    if ((r = mtl_params_add(p, nm, 1, s, err)) != MTL_OK) return r;
    s[0] = c->out_dim; s[1] = c->hidden_dim;
    mtl__head_name(nm, prefix, ".out_proj.weight");
    if ((r = mtl_params_add(p, nm, 2, s, err)) != MTL_OK) return r;
    mtl__head_name(nm, prefix, ".out_proj.bias");
    return mtl_params_add(p, nm, 1, s, err);
}

static mtl_result mtl__head_view(const mtl_params *p, const char *prefix, const char *suffix, int d0, int d1,
                                 float **w, float **g, mtl_error *err) {
    char nm[256];
    int i;
    const mtl_param *t;
    mtl__head_name(nm, prefix, suffix);
    i = mtl_params_find(p, nm);
    if (i < 0 || !p->data) return mtl__err(err, MTL_ERR_ARG, "head: no parameter %s", nm);
    t = &p->t[i];
    if (t->ndim != (d1 ? 2 : 1) || t->shape[0] != d0 || (d1 && t->shape[1] != d1)) return mtl__err(err, MTL_ERR_SHAPE, "head: %s has the wrong shape", nm);
    *w = p->data + t->offset;
    *g = t->trainable ? p->grad + t->offset : NULL;
    return MTL_OK;
}

MTLDEF mtl_result mtl_head_bind(mtl_head *h, const mtl_params *p, const char *prefix, const mtl_head_config *c, mtl_error *err) {
    mtl_result r;
    memset(h, 0, sizeof *h);
    if (!c || c->in_dim <= 0 || c->out_dim <= 0 || c->hidden_dim < 0) return mtl__err(err, MTL_ERR_ARG, "head %s: bad config", prefix);
    h->cfg = *c;
    if (c->hidden_dim == 0) {
        if ((r = mtl__head_view(p, prefix, ".weight", c->out_dim, c->in_dim, &h->w1, &h->dw1, err)) != MTL_OK) return r;
        return mtl__head_view(p, prefix, ".bias", c->out_dim, 0, &h->b1, &h->db1, err);
    }
    if ((r = mtl__head_view(p, prefix, ".dense.weight", c->hidden_dim, c->in_dim, &h->w1, &h->dw1, err)) != MTL_OK) return r;
    if ((r = mtl__head_view(p, prefix, ".dense.bias", c->hidden_dim, 0, &h->b1, &h->db1, err)) != MTL_OK) return r;
    if ((r = mtl__head_view(p, prefix, ".out_proj.weight", c->out_dim, c->hidden_dim, &h->w2, &h->dw2, err)) != MTL_OK) return r;
    return mtl__head_view(p, prefix, ".out_proj.bias", c->out_dim, 0, &h->b2, &h->db2, err);
}

/* cache of an MLP head: pre[n,hid] (pre-activation), act[n,hid] (after activation and dropout),
   then dact[n,hid] (backward scratch). A linear head needs none. */
MTLDEF size_t mtl_head_cache_floats(const mtl_head_config *c, int n) {
    return c->hidden_dim > 0 ? 3 * (size_t)n * (size_t)c->hidden_dim : 0;
}

MTLDEF void mtl_head_forward(const mtl_head *h, float *out, const float *x, int n, float *cache, int training, uint64_t seed) {
    const mtl_head_config *c = &h->cfg;
    size_t nh;
    float *pre, *act;
    if (c->hidden_dim == 0) {
        mtl_linear_forward(out, x, h->w1, h->b1, n, c->in_dim, c->out_dim);     /* out [n,out] */
        return;
    }
    nh = (size_t)n * (size_t)c->hidden_dim;
    pre = cache;
    act = cache + nh;
    mtl_linear_forward(pre, x, h->w1, h->b1, n, c->in_dim, c->hidden_dim);     /* pre [n,hid] */
    if (c->act == MTL_ACT_RELU) mtl_relu_forward(act, pre, nh);                 /* act [n,hid] */
    else mtl_gelu_forward(act, pre, nh);
    mtl_dropout_forward(act, act, nh, c->dropout, seed, training);
    mtl_linear_forward(out, act, h->w2, h->b2, n, c->hidden_dim, c->out_dim);  /* out [n,out] */
}

MTLDEF void mtl_head_backward(const mtl_head *h, float *dx, const float *dout, const float *x, int n, float *cache,
                              int training, uint64_t seed) {
    const mtl_head_config *c = &h->cfg;
    size_t nh, i;
    float *pre, *act, *dact;
    if (c->hidden_dim == 0) {
        mtl_linear_backward(dx, h->dw1, h->db1, dout, x, h->w1, n, c->in_dim, c->out_dim);
        return;
    }
    nh = (size_t)n * (size_t)c->hidden_dim;
    pre = cache;
    act = cache + nh;
    dact = cache + 2 * nh;
    for (i = 0; i < nh; i++) dact[i] = 0.0f;
    mtl_linear_backward(dact, h->dw2, h->db2, dout, act, h->w2, n, c->hidden_dim, c->out_dim);
    /* act is no longer needed: d(pre-dropout) goes there, then d(pre) into dact */
    for (i = 0; i < nh; i++) act[i] = 0.0f;
    mtl_dropout_backward(act, dact, nh, c->dropout, seed, training);
    for (i = 0; i < nh; i++) dact[i] = 0.0f;
    if (c->act == MTL_ACT_RELU) mtl_relu_backward(dact, act, pre, nh);
    else mtl_gelu_backward(dact, act, pre, nh);
    mtl_linear_backward(dx, h->dw1, h->db1, dact, x, h->w1, n, c->in_dim, c->hidden_dim);
}

/* cache of a sequence head: pooled[B,in], dpooled[B,in], then the head's cache */
MTLDEF size_t mtl_seq_head_cache_floats(const mtl_head_config *c, int B) {
    return 2 * (size_t)B * (size_t)c->in_dim + mtl_head_cache_floats(c, B);
}

MTLDEF void mtl_seq_head_forward(const mtl_head *h, mtl_head_pool pool, float *logits, const float *hidden,
                                 const int32_t *mask, int B, int L, float *cache, int32_t *argmax, int training, uint64_t seed) {
    const int H = h->cfg.in_dim;
    float *pooled = cache;                                           /* [B,H] */
    if (pool == MTL_HPOOL_CLS) mtl_pool_cls_forward(pooled, hidden, B, L, H);
    else if (pool == MTL_HPOOL_MAX) mtl_pool_max_forward(pooled, argmax, hidden, mask, B, L, H);
    else mtl_pool_mean_forward(pooled, hidden, mask, B, L, H);
    mtl_head_forward(h, logits, pooled, B, cache + 2 * (size_t)B * (size_t)H, training, seed);  /* [B,out] */
}

MTLDEF void mtl_seq_head_backward(const mtl_head *h, mtl_head_pool pool, float *dhidden, const float *dlogits,
                                  const float *hidden, const int32_t *mask, int B, int L, float *cache,
                                  const int32_t *argmax, int training, uint64_t seed) {
    const int H = h->cfg.in_dim;
    const size_t nb = (size_t)B * (size_t)H;
    float *pooled = cache, *dpooled = cache + nb;
    size_t i;
    (void)hidden;
    for (i = 0; i < nb; i++) dpooled[i] = 0.0f;
    mtl_head_backward(h, dhidden ? dpooled : NULL, dlogits, pooled, B, cache + 2 * nb, training, seed);
    if (!dhidden) return;
    if (pool == MTL_HPOOL_CLS) mtl_pool_cls_backward(dhidden, dpooled, B, L, H);
    else if (pool == MTL_HPOOL_MAX) mtl_pool_max_backward(dhidden, dpooled, argmax, B, L, H);
    else mtl_pool_mean_backward(dhidden, dpooled, mask, B, L, H);
}

/* ---------------------------------------------------------------------------------------------- */
/* Losses                                                                                         */
/* ---------------------------------------------------------------------------------------------- */
MTLDEF mtl_result mtl_cross_entropy(float *loss, float *dlogits, const float *logits, const int32_t *labels, int n, int C,
                                    const mtl_ce_options *opt, float dscale, int *n_counted, mtl_error *err) {
    const int ignore = opt ? opt->ignore_index : -100;
    const float *w = opt ? opt->class_weight : NULL;
    const double eps = opt ? (double)opt->label_smoothing : 0.0;
    double wsum = 0.0, total = 0.0, wall = 0.0;
    int i, c, counted = 0;
    if (loss) *loss = 0.0f;
    if (n_counted) *n_counted = 0;
    if (n < 0 || C <= 0 || !logits || !labels) return mtl__err(err, MTL_ERR_ARG, "cross_entropy: bad argument");
    /* the denominator: sum of the weights of the counted targets (their number without weights) */
    for (i = 0; i < n; i++) {
        int32_t y = labels[i];
        if (y == ignore) continue;
        if (y < 0 || y >= C) return mtl__err(err, MTL_ERR_ARG, "cross_entropy: label %d of row %d is outside [0, %d)", (int)y, i, C);
        wsum += w ? (double)w[y] : 1.0;
        counted++;
    }
    if (w) for (c = 0; c < C; c++) wall += (double)w[c];
    else wall = (double)C;
    for (i = 0; i < n; i++) {
        const float *z = logits + (size_t)i * (size_t)C;
        float *dz = dlogits ? dlogits + (size_t)i * (size_t)C : NULL;
        int32_t y = labels[i];
        double mx, se = 0.0, lse, qsum;
        if (y == ignore || counted == 0 || wsum == 0.0) {
            if (dz) for (c = 0; c < C; c++) dz[c] = 0.0f;
            continue;
        }
        mx = z[0];
        for (c = 1; c < C; c++) if (z[c] > mx) mx = z[c];
        for (c = 0; c < C; c++) se += exp((double)z[c] - mx);
        lse = mx + log(se);
        /* q[c] = ((1-eps) w_y [c==y] + (eps/C) w_c) / wsum; loss -= sum_c q[c] logp[c] */
        qsum = ((1.0 - eps) * (w ? (double)w[y] : 1.0) + eps / C * wall) / wsum;
        for (c = 0; c < C; c++) {
            double logp = (double)z[c] - lse;
            double q = ((c == y ? (1.0 - eps) * (w ? (double)w[y] : 1.0) : 0.0) + eps / C * (w ? (double)w[c] : 1.0)) / wsum;
            total -= q * logp;
            if (dz) dz[c] = (float)((double)dscale * (exp(logp) * qsum - q));
        }
    }
    if (loss) *loss = (float)total;
    if (n_counted) *n_counted = counted;
    mtl__ok(err);
    return MTL_OK;
}

MTLDEF float mtl_multitask_loss(double cls_weight, float loss_cls, double ner_weight, float loss_ner) {
    float a = (float)cls_weight * loss_cls;
    float b = (float)ner_weight * loss_ner;
    return a + b;
}

/* ---------------------------------------------------------------------------------------------- */
/* Norms, clipping, accumulation                                                                  */
/* ---------------------------------------------------------------------------------------------- */
/* torch 1.13 CPU (AVX2) norm_two kernel: acc_vec = fma(x, x, acc_vec) over 8 lanes, then
   buffer[0] + buffer[1] + ... + buffer[7] in order, then the remaining n % 8 elements added one by
   one (not fused), then sqrt in float. This reproduces clip_grad_norm_'s total bit for bit. */
MTLDEF float mtl_norm2(const float *x, size_t n) {
    float acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    size_t d = 0, full = n - n % 8;
    int j;
    for (; d < full; d += 8)
        for (j = 0; j < 8; j++) acc[j] = fmaf(x[d + (size_t)j], x[d + (size_t)j], acc[j]);
    for (j = 1; j < 8; j++) acc[0] = acc[0] + acc[j];
    for (; d < n; d++) {
        volatile float sq = x[d] * x[d];   /* a separate rounding: keep compilers from fusing it */
        acc[0] = acc[0] + sq;
    }
    return sqrtf(acc[0]);
}

MTLDEF float mtl_grad_norm(const mtl_params *p) {
    float stack[64] = {0}, *norms = stack, total;
    int i, k = 0;
    if (!p->grad) return 0.0f;
    if (p->count > 64) {
        norms = (float *)MTL_MALLOC((size_t)p->count * sizeof *norms);
        if (!norms) {   /* no memory: the same value up to rounding, without the stack of norms */
            double s = 0.0;
            for (i = 0; i < p->count; i++)
                if (p->t[i].trainable) { double v = mtl_norm2(p->grad + p->t[i].offset, p->t[i].numel); s += v * v; }
            return (float)sqrt(s);
        }
    }
    for (i = 0; i < p->count; i++)
        if (p->t[i].trainable) norms[k++] = mtl_norm2(p->grad + p->t[i].offset, p->t[i].numel);
    total = mtl_norm2(norms, (size_t)k);
    if (norms != stack) MTL_FREE(norms);
    return total;
}

MTLDEF float mtl_clip_grad_norm(mtl_params *p, float max_norm, float eps, float *total_out) {
    float total = mtl_grad_norm(p), coef;
    /* torch: clip_coef = max_norm / (total + 1e-6) is Tensor.__rtruediv__ = reciprocal() * max_norm */
    coef = (1.0f / (total + eps)) * max_norm;
    if (coef > 1.0f) coef = 1.0f;          /* torch.clamp(max=1.0); NaN stays NaN */
    mtl_params_scale_grad(p, coef);
    if (total_out) *total_out = total;
    return coef;
}

MTLDEF void mtl_params_scale_grad(mtl_params *p, float s) {
    int i;
    size_t k;
    if (!p->grad) return;
    for (i = 0; i < p->count; i++) {
        float *g = p->grad + p->t[i].offset;
        if (!p->t[i].trainable) continue;
        for (k = 0; k < p->t[i].numel; k++) g[k] *= s;
    }
}

MTLDEF void mtl_accumulate(float *dst, const float *src, size_t n, float scale) {
    size_t i;
    for (i = 0; i < n; i++) dst[i] += scale * src[i];
}

/* ---------------------------------------------------------------------------------------------- */
/* Schedules                                                                                      */
/* ---------------------------------------------------------------------------------------------- */
MTLDEF double mtl_schedule_lambda(const mtl_schedule *s, long step) {
    const long W = s->warmup_steps, T = s->total_steps;
    if (step < W) return (double)step / (double)(W > 1 ? W : 1);
    if (s->type == MTL_SCHED_LINEAR) {
        double v = (double)(T - step) / (double)(T - W > 1 ? T - W : 1);
        return v > 0.0 ? v : 0.0;
    }
    if (s->type == MTL_SCHED_COSINE) {
        const double pi = 3.141592653589793, cycles = s->num_cycles > 0 ? s->num_cycles : 0.5;
        double progress = (double)(step - W) / (double)(T - W > 1 ? T - W : 1);
        double v = 0.5 * (1.0 + cos(pi * cycles * 2.0 * progress));
        return v > 0.0 ? v : 0.0;
    }
    return 1.0;
}

/* ---------------------------------------------------------------------------------------------- */
/* Optimizers (torch 1.13 single-tensor paths; float32 tensors, double scalars cast to float as    */
/* torch does when it multiplies a float tensor by a Python number)                                */
/* ---------------------------------------------------------------------------------------------- */
MTLDEF void mtl_optim_defaults(mtl_optim_config *c, mtl_optim_type type) {
    memset(c, 0, sizeof *c);
    c->type = type;
    c->beta1 = 0.9;
    c->beta2 = 0.999;
    c->eps = 1e-8;
}

MTLDEF mtl_result mtl_optim_init(mtl_optim *o, const mtl_optim_config *cfg, const mtl_params *p, mtl_error *err) {
    size_t nblocks, bytes;
    unsigned char *mem;
    memset(o, 0, sizeof *o);
    if (!cfg || !p || !p->data) return mtl__err(err, MTL_ERR_ARG, "mtl_optim_init: bad argument (allocate the parameters first)");
    if (cfg->type != MTL_OPTIM_ADAMW && cfg->type != MTL_OPTIM_ADAM && cfg->type != MTL_OPTIM_SGD)
        return mtl__err(err, MTL_ERR_ARG, "mtl_optim_init: unknown optimizer type %d", (int)cfg->type);
    nblocks = cfg->type == MTL_OPTIM_SGD ? 1 : 2;
    bytes = nblocks * p->n * sizeof(float) + 64;
    mem = (unsigned char *)MTL_MALLOC(bytes);
    if (!mem) return mtl__err(err, MTL_ERR_NOMEM, "out of memory (%zu bytes of optimizer state)", bytes);
    memset(mem, 0, bytes);
    o->mem = mem;
    o->cfg = *cfg;
    o->n = p->n;
    o->m = (float *)(void *)(mem + ((64 - ((uintptr_t)mem & 63)) & 63));
    o->v = nblocks == 2 ? o->m + p->n : NULL;
    mtl__ok(err);
    return MTL_OK;
}

MTLDEF void mtl_optim_free(mtl_optim *o) {
    if (!o) return;
    MTL_FREE(o->mem);
    memset(o, 0, sizeof *o);
}

MTLDEF mtl_result mtl_optim_step(mtl_optim *o, mtl_params *p, double lr_scale, mtl_error *err) {
    const mtl_optim_config *c = &o->cfg;
    int i;
    double bc1, bc2;
    if (!o->m || !p->data || o->n != p->n) return mtl__err(err, MTL_ERR_ARG, "mtl_optim_step: optimizer not initialised for these parameters");
    for (i = 0; i < p->count; i++)
        if (p->t[i].trainable && (p->t[i].group < 0 || p->t[i].group >= p->n_groups))
            return mtl__err(err, MTL_ERR_ARG, "mtl_optim_step: trainable parameter %s is in no group", p->t[i].name);
    o->step++;
    bc1 = 1.0 - pow(c->beta1, (double)o->step);
    bc2 = 1.0 - pow(c->beta2, (double)o->step);
    for (i = 0; i < p->count; i++) {
        const mtl_param *t = &p->t[i];
        const mtl_param_group *g;
        float *w, *gr, *m, *v;
        double lr, wd;
        size_t k, n = t->numel;
        if (!t->trainable) continue;
        g = &p->groups[t->group];
        lr = g->lr * lr_scale;
        wd = g->weight_decay;
        w = p->data + t->offset;
        gr = p->grad + t->offset;
        m = o->m + t->offset;
        v = o->v ? o->v + t->offset : NULL;
        if (c->type == MTL_OPTIM_SGD) {
            const float fwd = (float)wd, fmom = (float)c->momentum, fdamp = (float)(1.0 - c->dampening), flr = (float)(-lr);
            for (k = 0; k < n; k++) {
                float d = gr[k];
                if (wd != 0.0) d = d + fwd * w[k];                         /* d_p.add(param, alpha=wd) */
                if (c->momentum != 0.0) {
                    if (o->step == 1) m[k] = d;                            /* buf = clone(d_p)         */
                    else {
                        float b = m[k] * fmom;                             /* buf.mul_(momentum)       */
                        m[k] = b + fdamp * d;                              /* .add_(d_p, 1-dampening)  */
                    }
                    d = c->nesterov ? d + fmom * m[k] : m[k];
                }
                w[k] = w[k] + flr * d;                                     /* param.add_(d_p, -lr)     */
            }
        } else {
            const float fb1 = (float)c->beta1, f1b1 = (float)(1.0 - c->beta1);
            const float fb2 = (float)c->beta2, f1b2 = (float)(1.0 - c->beta2);
            const float fbc2s = (float)sqrt(bc2), feps = (float)c->eps, fstep = (float)(-(lr / bc1));
            const float fdecay = (float)(1.0 - lr * wd), fwd = (float)wd;
            const int adamw = c->type == MTL_OPTIM_ADAMW;
            for (k = 0; k < n; k++) {
                float d = gr[k], mm, vv, denom;
                if (adamw) w[k] = w[k] * fdecay;                           /* param.mul_(1 - lr*wd)    */
                else if (wd != 0.0) d = d + fwd * w[k];                    /* grad.add(param, alpha=wd)*/
                mm = m[k] * fb1;                                           /* exp_avg.mul_(beta1)      */
                m[k] = mm + f1b1 * d;                                      /*   .add_(g, 1-beta1)      */
                vv = v[k] * fb2;                                           /* exp_avg_sq.mul_(beta2)   */
                v[k] = vv + f1b2 * d * d;                                  /*   .addcmul_(g, g, 1-b2)  */
                denom = sqrtf(v[k]) / fbc2s + feps;                        /* sqrt(v)/sqrt(bc2) + eps  */
                w[k] = w[k] + fstep * m[k] / denom;                        /* addcdiv_(m, denom, -lr/bc1) */
            }
        }
    }
    mtl__ok(err);
    return MTL_OK;
}

#endif /* MTL_TRAIN_PARTS_IMPLEMENTATION_DONE */
#endif /* MTL_TRAIN_PARTS_IMPLEMENTATION */
