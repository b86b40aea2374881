/* mtl_train_backbone.h - the BERT backbone's training forward (with activation caches) and backward.
   MIT licence at the end. Work in progress: to be merged into mtl_bert.h.

   USAGE
     In ONE C or C++ file:
         #define MTL_TRAIN_BACKBONE_IMPLEMENTATION
         #include "wip/mtl_train_backbone.h"     (includes mtl_tokenizer.h and its implementation)

         mtl_backbone_state st; mtl_error err;
         // params: views of every tensor (mtl_backbone_tensor() enumerates them with their HF names)
         // grads: the same struct, pointed into ONE block of mtl_backbone_grad_floats() floats
         mtl_backbone_init(&st, &cfg, B, L, n_top_layers, embeddings_too, NULL, 0, &err);
         mtl_backbone_point_grads(&grads, &cfg, n_top_layers, embeddings_too, grad_block);
         mtl_backbone_forward(&st, &params, ids, types, mask, B, L, &err);   // [B,L] inputs
         last = mtl_backbone_hidden(&st, cfg.n_layers);                     // [B,L,H]
         ... heads + loss give dlast [B,L,H] ...
         mtl_backbone_backward(&st, &params, &grads, dlast, NULL, &err);    // grads += d loss / d param
         mtl_backbone_free(&st);

   WHAT IT COMPUTES
     Exactly the forward of mtl_bert.h / HF BertModel in eval mode (dropout = identity), on a padded
     batch [B, L] with attention_mask (1 = real token, 0 = padding; positions 0..L-1 in every row):
         e   = word[ids] + type[types] + pos[t]                  h0 = LayerNorm(e)
         per layer:  q,k,v = h Wq^T + bq, ...                    scores/sqrt(d), masked keys weight 0
                     a = LayerNorm(ctx Wo^T + bo + h)            h' = LayerNorm(gelu(a W1^T + b1) W2^T + b2 + a)
     and the exact gradient of that function (padded rows included: a padded query row attends over
     the real keys as in HF, and its gradient flows back like any other). With a loss that ignores
     padding the upstream gradient there is 0, and so is everything that flows from it.
     Gradients are ADDED to the grad views (torch's accumulation): zero the block before a step.
     HF padding_idx: the word-embedding row pad_token_id gets no gradient.
    Training mode (mtl_backbone_set_dropout): HF's dropout after the embeddings, on the attention
    probabilities and on the two projections before their residual adds, with counter-based masks
    that the backward recomputes (mtl__bt_dropout / mtl__bt_keep; the _d versions of the blocks).

   WHAT IS TRAINABLE: the top n_trainable_layers encoder layers (0..n_layers), plus optionally the
     embeddings. Layers below the lowest one that needs a gradient run forward-only, in place, with
     NO cached activations and NO gradient memory. (Embeddings trainable with n < n_layers: every
     layer caches its activations so the gradient can reach the embeddings, but only the top n
     layers get parameter gradients.)

   MEMORY (all counted by mtl_backbone_arena_bytes; every array is 64-byte aligned)
     T = B*L tokens, H hidden, I intermediate, nh heads, C = cached layers (n, or n_layers when the
     embeddings train). Floats:
       inputs          3T (ids, types, mask as int32)
       hidden states   (C+1) T H          the input of the lowest cached layer .. the last hidden state
       embeddings      T H + 2T           only when trainable (pre-LayerNorm sum, mean, rstd)
       per cached layer 7 T H + T I + B nh L L + 4T   (q k v ctx res1 a res2, pre-GELU, probs, LN stats)
       scratch         5 T H + T I + 4T + max(L, 16 max(H, I)),  + 3 T H when anything trains
     Gradients: one block of mtl_backbone_grad_floats() floats, the trainable tensors in HF order.

   DESIGN (llm.c style): one pair mtl__bt_<X>_forward / mtl__bt_<X>_backward per layer type, shapes
     in a comment above it, in data-path order. X = embeddings, layernorm, linear, gelu, residual,
     attention (the masked-softmax core), self_attention (q/k/v projections + core + output
     projection), layer (the encoder layer). mtl_backbone_forward/backward only run them in order.
     Single-threaded, float32 math (one 4x16-tile matrix kernel for the three products of a
     linear layer); the LayerNorm reductions use double.
*/
#ifndef MTL_TRAIN_BACKBONE_H
#define MTL_TRAIN_BACKBONE_H

#include "../mtl_tokenizer.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The sizes the backbone needs (the subset of config.json it uses). */
typedef struct mtl_backbone_config {
    int vocab_size, hidden_size, n_layers, n_heads, intermediate_size, max_position, type_vocab_size;
    int pad_token_id;       /* word-embedding row that gets no gradient (HF padding_idx); -1: none */
    float layer_norm_eps;
} mtl_backbone_config;

/* One encoder layer's tensors (torch layout: a Linear weight is [out, in], y = x W^T + b). */
typedef struct mtl_layer_params {
    float *q_w, *q_b;       /* attention.self.query        [H,H] [H] */
    float *k_w, *k_b;       /* attention.self.key          [H,H] [H] */
    float *v_w, *v_b;       /* attention.self.value        [H,H] [H] */
    float *o_w, *o_b;       /* attention.output.dense      [H,H] [H] */
    float *ln1_w, *ln1_b;   /* attention.output.LayerNorm  [H]   [H] */
    float *up_w, *up_b;     /* intermediate.dense          [I,H] [I] */
    float *down_w, *down_b; /* output.dense                [H,I] [H] */
    float *ln2_w, *ln2_b;   /* output.LayerNorm            [H]   [H] */
} mtl_layer_params;

/* The backbone's tensors (or their gradients: the same struct). `layers` is caller storage for
   n_layers entries. Field order = HF state_dict order (the pooler is not part of the backbone). */
typedef struct mtl_backbone_params {
    float *word_emb;        /* embeddings.word_embeddings.weight        [V,H] */
    float *pos_emb;         /* embeddings.position_embeddings.weight    [P,H] */
    float *type_emb;        /* embeddings.token_type_embeddings.weight  [Tv,H] */
    float *emb_ln_w, *emb_ln_b; /* embeddings.LayerNorm.{weight,bias}   [H] */
    mtl_layer_params *layers;   /* encoder.layer.k.*                    [n_layers] */
} mtl_backbone_params;

/* Training state of one batch shape: the arena and its views. Treat the fields as private. */
typedef struct mtl_backbone_state {
    mtl_backbone_config cfg;
    int max_batch, max_len;       /* the planned shape                                          */
    int n_trainable_layers, embeddings_trainable;
    int first_cached;             /* lowest layer with cached activations (n_layers: none)       */
    int batch, len;               /* shape of the last forward (0: none yet)                    */
    unsigned char *arena;         /* 64-byte aligned base inside the memory below               */
    void *mem; size_t mem_size; int owns_mem;
    /* views */
    int32_t *ids, *types, *mask;  /* [T] each                                                   */
    float *hidden;                /* [(n_layers - first_cached + 1), T, H]                      */
    float *emb_e, *emb_mean, *emb_rstd;  /* embeddings cache (NULL when frozen)                  */
    unsigned char *layer_cache;   /* first cached layer's block; the next one layer_stride later */
    size_t layer_stride;
    float *s_q, *s_k, *s_v, *s_ctx, *s_tmp, *s_ff, *s_stats, *s_work; /* scratch                   */
    float *s_da, *s_dh0, *s_dh1;  /* backward scratch (NULL when nothing trains)                 */
    /* training-mode dropout (mtl_backbone_set_dropout; off after init) */
    float hidden_dropout, attn_dropout;
    uint64_t dropout_seed;
    int training;
} mtl_backbone_state;

/* Number of backbone tensors: 5 + 16 * n_layers. */
MTLDEF int    mtl_backbone_n_tensors(const mtl_backbone_config *c);
/* Tensor i (HF state_dict order): the address of its field in p, its HF name (written into name,
   at least 64 bytes) and its shape (shape[1] = 0 for vectors). NULL when i is out of range. */
MTLDEF float **mtl_backbone_tensor(mtl_backbone_params *p, const mtl_backbone_config *c, int i, char *name, int shape[2]);
/* 1 if tensor i trains under this strategy. */
MTLDEF int    mtl_backbone_tensor_trainable(const mtl_backbone_config *c, int i, int n_trainable_layers, int embeddings_trainable);

/* Floats of the gradient block for a strategy (the trainable tensors only). */
MTLDEF size_t mtl_backbone_grad_floats(const mtl_backbone_config *c, int n_trainable_layers, int embeddings_trainable);
/* Points the trainable tensors of g into block (HF order, back to back) and sets the rest to NULL.
   g->layers must already point to n_layers entries. */
MTLDEF void   mtl_backbone_point_grads(mtl_backbone_params *g, const mtl_backbone_config *c, int n_trainable_layers,
                                       int embeddings_trainable, float *block);

/* Bytes of arena a strategy needs for batches up to [batch, len] (0 on bad arguments). */
MTLDEF size_t mtl_backbone_arena_bytes(const mtl_backbone_config *c, int batch, int len, int n_trainable_layers,
                                       int embeddings_trainable);
/* Plans the arena in caller memory (arena, arena_size >= mtl_backbone_arena_bytes) or, with arena
   NULL, allocates it (MTL_MALLOC). */
MTLDEF mtl_result mtl_backbone_init(mtl_backbone_state *st, const mtl_backbone_config *c, int batch, int len,
                                    int n_trainable_layers, int embeddings_trainable, void *arena, size_t arena_size,
                                    mtl_error *err);
MTLDEF void   mtl_backbone_free(mtl_backbone_state *st);

/* HF BertModel's dropout in training mode (training != 0): hidden_p after the embedding LayerNorm
   and on the attention-output and FFN-output projections (before their residual adds), attn_p on the
   attention probabilities; kept values scaled by 1/(1-p). The masks are a function of (seed, layer,
   site, element) and are recomputed by the backward, so the backward must follow the forward with
   the same setting; change the seed for every forward (e.g. per step). Off after init (eval mode). */
MTLDEF void   mtl_backbone_set_dropout(mtl_backbone_state *st, float hidden_p, float attn_p, uint64_t seed, int training);

/* The training forward of a padded batch ids/types/mask [batch, len] (batch, len <= the planned
   shape; types NULL = all 0, mask NULL = all 1). The inputs are copied. */
MTLDEF mtl_result mtl_backbone_forward(mtl_backbone_state *st, const mtl_backbone_params *p, const int32_t *ids,
                                       const int32_t *types, const int32_t *mask, int batch, int len, mtl_error *err);
/* Hidden state k of the last forward, [batch, len, H]: k = 0 the embedding output, k = n_layers the
   last hidden state (always available). NULL for k below the lowest cached layer's input. */
MTLDEF const float *mtl_backbone_hidden(const mtl_backbone_state *st, int k);
/* The backward of the last forward: dout [batch, len, H] = d loss / d last hidden state. Adds the
   gradient of every trainable tensor into g (its trainable fields must be set, see point_grads).
   dhidden (NULL, or [(n_layers+1), batch, len, H]): receives d loss / d hidden state k for every k
   that has a cached input (k >= the lowest cached layer; k = 0 only when the embeddings train). */
MTLDEF mtl_result mtl_backbone_backward(mtl_backbone_state *st, const mtl_backbone_params *p, mtl_backbone_params *g,
                                        const float *dout, float *dhidden, mtl_error *err);

#ifdef __cplusplus
}
#endif
#endif /* MTL_TRAIN_BACKBONE_H */

/* ============================================================================================== */
/*                                        IMPLEMENTATION                                          */
/* ============================================================================================== */
#ifdef MTL_TRAIN_BACKBONE_IMPLEMENTATION
#ifndef MTL_TRAIN_BACKBONE_IMPLEMENTATION_DONE
#define MTL_TRAIN_BACKBONE_IMPLEMENTATION_DONE

#ifndef MTL_TOKENIZER_IMPLEMENTATION
#define MTL_TOKENIZER_IMPLEMENTATION
#endif
#include "../mtl_tokenizer.h"

#include <string.h>
#include <math.h>

/* ---------------------------------------------------------------------------------------------- */
/* Layer functions, in data-path order. T = rows (tokens), B x L = the padded batch (T = B*L).      */
/* "=" outputs are overwritten, "+=" outputs accumulate (param grads, and dx where noted).         */
/* ---------------------------------------------------------------------------------------------- */

/* ---- embeddings ---------------------------------------------------------------------------- */
/* e[T,H] = (word[ids] + type[types]) + pos[t % L];  h[T,H] = LayerNorm(e) (mean, rstd [T] kept). */
static void mtl__bt_layernorm_forward(float *y, float *mean, float *rstd, const float *x, const float *w,
                                      const float *b, int T, int H, float eps);
static void mtl__bt_layernorm_backward(float *dx, float *dw, float *db, const float *dy, const float *x,
                                       const float *mean, const float *rstd, const float *w, int T, int H);

static void mtl__bt_embeddings_forward(float *h, float *e, float *mean, float *rstd, const mtl_backbone_params *p,
                                       const int32_t *ids, const int32_t *types, int B, int L, int H, float eps) {
    int b, t, i;
    for (b = 0; b < B; b++) {
        for (t = 0; t < L; t++) {
            const size_t r = (size_t)b * (size_t)L + (size_t)t;
            const float *we = p->word_emb + (size_t)ids[r] * (size_t)H;
            const float *te = p->type_emb + (size_t)types[r] * (size_t)H;
            const float *pe = p->pos_emb + (size_t)t * (size_t)H;
            float *o = e + r * (size_t)H;
            for (i = 0; i < H; i++) o[i] = (we[i] + te[i]) + pe[i];
        }
    }
    mtl__bt_layernorm_forward(h, mean, rstd, e, p->emb_ln_w, p->emb_ln_b, B * L, H, eps);
}
/* From dh[T,H]: LayerNorm grads (+=), then de[T,H] (scratch) scattered into the three tables (+=).
   Row pad_id of the word table gets nothing (HF padding_idx). Any of g's pointers may be NULL. */
static void mtl__bt_embeddings_backward(mtl_backbone_params *g, float *de, const float *dh, const float *e,
                                        const float *mean, const float *rstd, const mtl_backbone_params *p,
                                        const int32_t *ids, const int32_t *types, int B, int L, int H, int pad_id) {
    int b, t, i;
    mtl__bt_layernorm_backward(de, g->emb_ln_w, g->emb_ln_b, dh, e, mean, rstd, p->emb_ln_w, B * L, H);
    for (b = 0; b < B; b++) {
        for (t = 0; t < L; t++) {
            const size_t r = (size_t)b * (size_t)L + (size_t)t;
            const float *d = de + r * (size_t)H;
            if (g->word_emb && ids[r] != pad_id) {
                float *o = g->word_emb + (size_t)ids[r] * (size_t)H;
                for (i = 0; i < H; i++) o[i] += d[i];
            }
            if (g->type_emb) {
                float *o = g->type_emb + (size_t)types[r] * (size_t)H;
                for (i = 0; i < H; i++) o[i] += d[i];
            }
            if (g->pos_emb) {
                float *o = g->pos_emb + (size_t)t * (size_t)H;
                for (i = 0; i < H; i++) o[i] += d[i];
            }
        }
    }
}

/* ---- LayerNorm ----------------------------------------------------------------------------- */
/* y[T,H] = (x - mean) * rstd * w + b, rstd = 1/sqrt(var + eps), var biased; mean, rstd [T] kept.
   y may alias x. */
static void mtl__bt_layernorm_forward(float *y, float *mean, float *rstd, const float *x, const float *w,
                                      const float *b, int T, int H, float eps) {
    int t, i;
    for (t = 0; t < T; t++) {
        const float *xr = x + (size_t)t * (size_t)H;
        float *yr = y + (size_t)t * (size_t)H;
        double m = 0.0, v = 0.0;
        float mf, rs;
        for (i = 0; i < H; i++) m += xr[i];
        m /= H;
        for (i = 0; i < H; i++) { double d = xr[i] - m; v += d * d; }
        v /= H;
        mf = (float)m;
        rs = (float)(1.0 / sqrt(v + (double)eps));
        for (i = 0; i < H; i++) yr[i] = (xr[i] - mf) * rs * w[i] + b[i];
        mean[t] = mf;
        rstd[t] = rs;
    }
}
/* dx[T,H] = rstd * (dy w - mean(dy w) - xhat mean(dy w xhat))   (=, may alias dy)
   dw[H] += sum_t dy xhat,  db[H] += sum_t dy   (each may be NULL); xhat = (x - mean) * rstd. */
static void mtl__bt_layernorm_backward(float *dx, float *dw, float *db, const float *dy, const float *x,
                                       const float *mean, const float *rstd, const float *w, int T, int H) {
    int t, i;
    for (t = 0; t < T; t++) {
        const float *dyr = dy + (size_t)t * (size_t)H, *xr = x + (size_t)t * (size_t)H;
        float *dxr = dx + (size_t)t * (size_t)H;
        const float m = mean[t], rs = rstd[t];
        double s1 = 0.0, s2 = 0.0;
        float a1, a2;
        for (i = 0; i < H; i++) {
            const float xh = (xr[i] - m) * rs, dn = dyr[i] * w[i];
            s1 += dn;
            s2 += (double)dn * xh;
            if (dw) dw[i] += dyr[i] * xh;
            if (db) db[i] += dyr[i];
        }
        a1 = (float)(s1 / H);
        a2 = (float)(s2 / H);
        for (i = 0; i < H; i++) {
            const float xh = (xr[i] - m) * rs;
            dxr[i] = (dyr[i] * w[i] - a1 - xh * a2) * rs;
        }
    }
}

/* ---- linear -------------------------------------------------------------------------------- */
/* The one matrix kernel: C[M,N] (+)= sum_k A(m,k) B[k,n], A(m,k) = A[m*am + k*ak] (so A may be
   read transposed), B and C row-major with row strides ldb, ldc. Tiles of 4 rows x 16 columns,
   accumulated in float over k in order; the 16-wide inner loop vectorizes. */
#define MTL__BT_NB 16
static void mtl__bt_gemm(float *C, size_t ldc, const float *A, size_t am, size_t ak, const float *B, size_t ldb,
                         int M, int N, int K, int accumulate) {
    int n0, m0, k, r, j;
    for (n0 = 0; n0 < N; n0 += MTL__BT_NB) {
        const int nb = N - n0 < MTL__BT_NB ? N - n0 : MTL__BT_NB;
        for (m0 = 0; m0 < M; m0 += 4) {
            const int rows = M - m0 < 4 ? M - m0 : 4;
            float acc[4][MTL__BT_NB];
            const float *a[4];
            for (r = 0; r < 4; r++) {
                a[r] = A + (size_t)(m0 + (r < rows ? r : 0)) * am;
                for (j = 0; j < MTL__BT_NB; j++) acc[r][j] = 0.0f;
            }
            if (nb == MTL__BT_NB) {
                for (k = 0; k < K; k++) {
                    const float *b = B + (size_t)k * ldb + n0;
                    const size_t ko = (size_t)k * ak;
                    const float a0 = a[0][ko], a1 = a[1][ko], a2 = a[2][ko], a3 = a[3][ko];
                    for (j = 0; j < MTL__BT_NB; j++) {
                        acc[0][j] += a0 * b[j];
                        acc[1][j] += a1 * b[j];
                        acc[2][j] += a2 * b[j];
                        acc[3][j] += a3 * b[j];
                    }
                }
            } else {
                for (k = 0; k < K; k++) {
                    const float *b = B + (size_t)k * ldb + n0;
                    const size_t ko = (size_t)k * ak;
                    for (r = 0; r < 4; r++) for (j = 0; j < nb; j++) acc[r][j] += a[r][ko] * b[j];
                }
            }
            for (r = 0; r < rows; r++) {
                float *c = C + (size_t)(m0 + r) * ldc + n0;
                if (accumulate) for (j = 0; j < nb; j++) c[j] += acc[r][j];
                else for (j = 0; j < nb; j++) c[j] = acc[r][j];
            }
        }
    }
}
/* y[T,O] = x[T,I] W[O,I]^T + b[O]   (b may be NULL; y must not alias x).
   work: 16*I floats, W packed 16 output columns at a time as a [I,16] panel. */
static void mtl__bt_linear_forward(float *y, const float *x, const float *W, const float *b, int T, int I, int O,
                                   float *work) {
    int o0, i, j, t;
    for (o0 = 0; o0 < O; o0 += MTL__BT_NB) {
        const int nb = O - o0 < MTL__BT_NB ? O - o0 : MTL__BT_NB;
        for (i = 0; i < I; i++)
            for (j = 0; j < MTL__BT_NB; j++) work[(size_t)i * MTL__BT_NB + (size_t)j] = j < nb ? W[(size_t)(o0 + j) * (size_t)I + (size_t)i] : 0.0f;
        mtl__bt_gemm(y + o0, (size_t)O, x, (size_t)I, 1, work, MTL__BT_NB, T, nb, I, 0);
    }
    if (b) for (t = 0; t < T; t++) for (j = 0; j < O; j++) y[(size_t)t * (size_t)O + (size_t)j] += b[j];
}
/* dx[T,I] += dy[T,O] W[O,I];  dW[O,I] += dy^T x;  db[O] += sum_t dy   (each output may be NULL) */
static void mtl__bt_linear_backward(float *dx, float *dW, float *db, const float *dy, const float *x,
                                    const float *W, int T, int I, int O) {
    int t, o;
    if (dx) mtl__bt_gemm(dx, (size_t)I, dy, (size_t)O, 1, W, (size_t)I, T, I, O, 1);
    if (dW) mtl__bt_gemm(dW, (size_t)I, dy, 1, (size_t)O, x, (size_t)I, O, I, T, 1);
    if (db) for (t = 0; t < T; t++) for (o = 0; o < O; o++) db[o] += dy[(size_t)t * (size_t)O + (size_t)o];
}

/* ---- GELU (exact erf, as torch) ------------------------------------------------------------ */
/* y[n] = 0.5 x (1 + erf(x / sqrt 2))   (y may alias x) */
static void mtl__bt_gelu_forward(float *y, const float *x, size_t n) {
    size_t i;
    for (i = 0; i < n; i++) y[i] = 0.5f * x[i] * (1.0f + erff(x[i] * 0.70710678118654752440f));
}
/* dx[n] = dy * (Phi(x) + x phi(x))   (=, dx may alias dy) */
static void mtl__bt_gelu_backward(float *dx, const float *dy, const float *x, size_t n) {
    size_t i;
    for (i = 0; i < n; i++) {
        const float cdf = 0.5f * (1.0f + erff(x[i] * 0.70710678118654752440f));
        const float pdf = 0.39894228040143267794f * expf(-0.5f * x[i] * x[i]);
        dx[i] = dy[i] * (cdf + x[i] * pdf);
    }
}

/* ---- residual ------------------------------------------------------------------------------ */
/* y[n] = a + b   (y may alias a or b) */
static void mtl__bt_residual_forward(float *y, const float *a, const float *b, size_t n) {
    size_t i;
    for (i = 0; i < n; i++) y[i] = a[i] + b[i];
}
/* da[n] += dy, db[n] += dy   (either may be NULL) */
static void mtl__bt_residual_backward(float *da, float *db, const float *dy, size_t n) {
    size_t i;
    if (da) for (i = 0; i < n; i++) da[i] += dy[i];
    if (db) for (i = 0; i < n; i++) db[i] += dy[i];
}

/* ---- dropout (training mode) --------------------------------------------------------------- */
/* Counter-based: element i of a site is kept iff u(seed, i) >= p (u uniform in [0,1) from 24 bits of
   a SplitMix64 hash), kept values are scaled by 1/(1-p). p <= 0: no dropout (a NULL drop, too). */
typedef struct mtl__bt_drop { float hidden_p, attn_p; uint64_t seed; } mtl__bt_drop;
static uint64_t mtl__bt_mix64(uint64_t z) {
    z += 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
static uint64_t mtl__bt_site(const mtl__bt_drop *d, int layer, int site) {
    return mtl__bt_mix64(mtl__bt_mix64(d->seed ^ mtl__bt_mix64((uint64_t)(layer + 1))) ^ (uint64_t)site);
}
static int mtl__bt_keep(uint64_t seed, size_t i, float p) {
    return (float)(mtl__bt_mix64(seed ^ mtl__bt_mix64((uint64_t)i)) >> 40) * (1.0f / 16777216.0f) >= p;
}
/* x[n] = mask(x) * 1/(1-p), in place: the forward of a dropout and, with the same seed, its backward */
static void mtl__bt_dropout(float *x, size_t n, float p, uint64_t seed) {
    size_t i;
    float scale;
    if (p <= 0.0f) return;
    if (p >= 1.0f) { memset(x, 0, n * sizeof(float)); return; }
    scale = 1.0f / (1.0f - p);
    for (i = 0; i < n; i++) x[i] = mtl__bt_keep(seed, i, p) ? x[i] * scale : 0.0f;
}
enum { MTL__BT_SITE_ATTN_PROBS = 1, MTL__BT_SITE_ATTN_OUT = 2, MTL__BT_SITE_FFN_OUT = 3, MTL__BT_SITE_EMB = 4 };

/* ---- attention (the softmax core), per sequence and head ----------------------------------- */
/* q, k, v, ctx [B,L,H] (head j = columns j*hd .. j*hd+hd-1, hd = H/nh); mask [B,L].
   p[b,j,i,t] = softmax_t(q_j[i].k_j[t] / sqrt(hd) over real keys t (mask != 0)); padded keys get
   exactly 0 (HF's additive finfo.min mask). A row without real keys attends uniformly to all L keys
   (what HF's float arithmetic gives). ctx_j[i] = sum_t p v_j[t]. probs [B,nh,L,L] kept unless NULL
   (then row [L] is the scratch). Padded query rows are computed like the others. */
static void mtl__bt_attention_forward(float *ctx, float *probs, float *row, const float *q, const float *k,
                                      const float *v, const int32_t *mask, int B, int L, int H, int nh,
                                      float drop_p, uint64_t drop_seed) {
    const int hd = H / nh;
    const float scale = 1.0f / sqrtf((float)hd), dscale = drop_p > 0.0f && drop_p < 1.0f ? 1.0f / (1.0f - drop_p) : 1.0f;
    int b, j, i, t, d;
    for (b = 0; b < B; b++) {
        const int32_t *mb = mask + (size_t)b * (size_t)L;
        int n_real = 0;
        for (t = 0; t < L; t++) n_real += mb[t] != 0;
        for (j = 0; j < nh; j++) {
            for (i = 0; i < L; i++) {
                const size_t ri = (size_t)b * (size_t)L + (size_t)i;
                const float *qi = q + ri * (size_t)H + (size_t)(j * hd);
                float *p = probs ? probs + (((size_t)b * (size_t)nh + (size_t)j) * (size_t)L + (size_t)i) * (size_t)L : row;
                float *o = ctx + ri * (size_t)H + (size_t)(j * hd);
                float mx = -3.402823466e38f, sum = 0.0f, inv;
                for (t = 0; t < L; t++) {
                    const float *kt = k + ((size_t)b * (size_t)L + (size_t)t) * (size_t)H + (size_t)(j * hd);
                    float dot = 0.0f;
                    if (n_real && !mb[t]) { p[t] = 0.0f; continue; }
                    for (d = 0; d < hd; d++) dot += qi[d] * kt[d];
                    p[t] = n_real ? dot * scale : 0.0f;
                    if (p[t] > mx) mx = p[t];
                }
                for (t = 0; t < L; t++) {
                    if (n_real && !mb[t]) continue;
                    p[t] = expf(p[t] - mx);
                    sum += p[t];
                }
                inv = 1.0f / sum;
                for (t = 0; t < L; t++) p[t] *= inv;
                for (d = 0; d < hd; d++) o[d] = 0.0f;
                for (t = 0; t < L; t++) {
                    const float *vt = v + ((size_t)b * (size_t)L + (size_t)t) * (size_t)H + (size_t)(j * hd);
                    float pt = p[t];
                    if (pt == 0.0f) continue;
                    if (drop_p > 0.0f) {   /* dropout on the probabilities (the kept probs stay undropped) */
                        const size_t e = (((size_t)b * (size_t)nh + (size_t)j) * (size_t)L + (size_t)i) * (size_t)L + (size_t)t;
                        pt = drop_p < 1.0f && mtl__bt_keep(drop_seed, e, drop_p) ? pt * dscale : 0.0f;
                    }
                    for (d = 0; d < hd; d++) o[d] += pt * vt[d];
                }
            }
        }
    }
}
/* From dctx[B,L,H] and the kept probs: dq, dk, dv [B,L,H] (=).
   dv[t] = sum_i p[i,t] dctx[i];  dp[i,t] = dctx[i].v[t];  ds = p (dp - sum_t p dp);
   dq[i] = sum_t ds k[t] / sqrt(hd);  dk[t] = sum_i ds q[i] / sqrt(hd).  row [L] is scratch.
   (The uniform no-real-key case has constant scores: ds = 0 there.) */
static void mtl__bt_attention_backward(float *dq, float *dk, float *dv, float *row, const float *dctx,
                                       const float *probs, const float *q, const float *k, const float *v,
                                       const int32_t *mask, int B, int L, int H, int nh, float drop_p, uint64_t drop_seed) {
    const int hd = H / nh;
    const float scale = 1.0f / sqrtf((float)hd), dscale = drop_p > 0.0f && drop_p < 1.0f ? 1.0f / (1.0f - drop_p) : 1.0f;
    const size_t n = (size_t)B * (size_t)L * (size_t)H;
    int b, j, i, t, d;
    memset(dq, 0, n * sizeof(float));
    memset(dk, 0, n * sizeof(float));
    memset(dv, 0, n * sizeof(float));
    for (b = 0; b < B; b++) {
        const int32_t *mb = mask + (size_t)b * (size_t)L;
        int n_real = 0;
        for (t = 0; t < L; t++) n_real += mb[t] != 0;
        for (j = 0; j < nh; j++) {
            for (i = 0; i < L; i++) {
                const size_t ri = (size_t)b * (size_t)L + (size_t)i;
                const float *p = probs + (((size_t)b * (size_t)nh + (size_t)j) * (size_t)L + (size_t)i) * (size_t)L;
                const float *go = dctx + ri * (size_t)H + (size_t)(j * hd);
                const float *qi = q + ri * (size_t)H + (size_t)(j * hd);
                float *dqi = dq + ri * (size_t)H + (size_t)(j * hd);
                float dsum = 0.0f;
                for (t = 0; t < L; t++) {
                    const size_t rt = ((size_t)b * (size_t)L + (size_t)t) * (size_t)H + (size_t)(j * hd);
                    float dp = 0.0f, m = 1.0f;
                    if (p[t] == 0.0f) { row[t] = 0.0f; continue; }
                    if (drop_p > 0.0f) {   /* the dropped probability pd = p m: dv uses pd, dp = m d(pd) */
                        const size_t e = (((size_t)b * (size_t)nh + (size_t)j) * (size_t)L + (size_t)i) * (size_t)L + (size_t)t;
                        m = drop_p < 1.0f && mtl__bt_keep(drop_seed, e, drop_p) ? dscale : 0.0f;
                    }
                    for (d = 0; d < hd; d++) { dp += go[d] * v[rt + (size_t)d]; dv[rt + (size_t)d] += p[t] * m * go[d]; }
                    dp *= m;
                    row[t] = dp;
                    dsum += p[t] * dp;
                }
                if (!n_real) continue;
                for (t = 0; t < L; t++) {
                    const size_t rt = ((size_t)b * (size_t)L + (size_t)t) * (size_t)H + (size_t)(j * hd);
                    float ds;
                    if (p[t] == 0.0f) continue;
                    ds = p[t] * (row[t] - dsum) * scale;
                    for (d = 0; d < hd; d++) { dqi[d] += ds * k[rt + (size_t)d]; dk[rt + (size_t)d] += ds * qi[d]; }
                }
            }
        }
    }
}

/* ---- self-attention block: projections + core + output projection ------------------------- */
/* (each block has a plain eval-mode version and a _d version with training-mode dropout) */
/* The activations one encoder layer keeps for its backward (views into the arena). A frozen layer
   points them at scratch (a and g may then alias x and u, probs is NULL). */
typedef struct mtl__bt_cache {
    float *q, *k, *v;           /* [T,H] projections                                */
    float *probs;               /* [B,nh,L,L] softmax                                */
    float *ctx;                 /* [T,H] attention context, before the output dense   */
    float *res1;                /* [T,H] ctx Wo^T + bo + x   (LayerNorm 1 input)       */
    float *mean1, *rstd1;       /* [T]                                              */
    float *a;                   /* [T,H] LayerNorm 1 output                          */
    float *u;                   /* [T,I] intermediate dense output (GELU input)       */
    float *g;                   /* [T,I] GELU output (scratch: recomputed in backward) */
    float *res2;                /* [T,H] g W2^T + b2 + a     (LayerNorm 2 input)       */
    float *mean2, *rstd2;       /* [T]                                              */
} mtl__bt_cache;

/* y[T,H] = attention(x Wq^T + bq, x Wk^T + bk, x Wv^T + bv) Wo^T + bo  (q, k, v, probs, ctx kept in c;
   work: mtl__bt_work_floats) */
static void mtl__bt_self_attention_forward_d(float *y, mtl__bt_cache *c, float *work, const float *x,
                                             const mtl_layer_params *p, const int32_t *mask, int B, int L, int H, int nh,
                                             float attn_p, uint64_t attn_seed) {
    const int T = B * L;
    mtl__bt_linear_forward(c->q, x, p->q_w, p->q_b, T, H, H, work);
    mtl__bt_linear_forward(c->k, x, p->k_w, p->k_b, T, H, H, work);
    mtl__bt_linear_forward(c->v, x, p->v_w, p->v_b, T, H, H, work);
    mtl__bt_attention_forward(c->ctx, c->probs, work, c->q, c->k, c->v, mask, B, L, H, nh, attn_p, attn_seed);
    mtl__bt_linear_forward(y, c->ctx, p->o_w, p->o_b, T, H, H, work);
}
static void mtl__bt_self_attention_forward(float *y, mtl__bt_cache *c, float *work, const float *x,
                                           const mtl_layer_params *p, const int32_t *mask, int B, int L, int H, int nh) {
    mtl__bt_self_attention_forward_d(y, c, work, x, p, mask, B, L, H, nh, 0.0f, 0);
}
/* From dy[T,H]: dx[T,H] += (NULL: not needed), param grads into g (+=, NULL: frozen).
   Scratch: dctx, dq, dk, dv [T,H], row [L]. */
static void mtl__bt_self_attention_backward_d(float *dx, mtl_layer_params *g, const float *dy, const float *x,
                                              const mtl_layer_params *p, const mtl__bt_cache *c, float *dctx, float *dq,
                                              float *dk, float *dv, float *row, const int32_t *mask, int B, int L,
                                              int H, int nh, float attn_p, uint64_t attn_seed) {
    const int T = B * L;
    const size_t TH = (size_t)T * (size_t)H;
    mtl__bt_linear_backward(NULL, g ? g->o_w : NULL, g ? g->o_b : NULL, dy, c->ctx, p->o_w, T, H, H);
    memset(dctx, 0, TH * sizeof(float));
    mtl__bt_linear_backward(dctx, NULL, NULL, dy, NULL, p->o_w, T, H, H);
    mtl__bt_attention_backward(dq, dk, dv, row, dctx, c->probs, c->q, c->k, c->v, mask, B, L, H, nh, attn_p, attn_seed);
    mtl__bt_linear_backward(dx, g ? g->q_w : NULL, g ? g->q_b : NULL, dq, x, p->q_w, T, H, H);
    mtl__bt_linear_backward(dx, g ? g->k_w : NULL, g ? g->k_b : NULL, dk, x, p->k_w, T, H, H);
    mtl__bt_linear_backward(dx, g ? g->v_w : NULL, g ? g->v_b : NULL, dv, x, p->v_w, T, H, H);
}
static void mtl__bt_self_attention_backward(float *dx, mtl_layer_params *g, const float *dy, const float *x,
                                            const mtl_layer_params *p, const mtl__bt_cache *c, float *dctx, float *dq,
                                            float *dk, float *dv, float *row, const int32_t *mask, int B, int L,
                                            int H, int nh) {
    mtl__bt_self_attention_backward_d(dx, g, dy, x, p, c, dctx, dq, dk, dv, row, mask, B, L, H, nh, 0.0f, 0);
}

/* ---- encoder layer ------------------------------------------------------------------------- */
/* h[T,H] = LN2(down(gelu(up(a))) + a),  a = LN1(self_attention(x) + x)   (h may alias x when the
   cache lives in scratch with a == x: the frozen in-place forward). work: mtl__bt_work_floats. */
/* drop: training-mode dropout of layer `layer` (NULL: none). */
static void mtl__bt_layer_forward_d(float *h, mtl__bt_cache *c, float *work, const float *x, const mtl_layer_params *p,
                                    const int32_t *mask, int B, int L, int H, int I, int nh, float eps,
                                    const mtl__bt_drop *drop, int layer) {
    const int T = B * L;
    const size_t TH = (size_t)T * (size_t)H, TI = (size_t)T * (size_t)I;
    const float hp = drop ? drop->hidden_p : 0.0f;
    if (drop && drop->attn_p > 0.0f)                                             /* res1 = attn(x)      */
        mtl__bt_self_attention_forward_d(c->res1, c, work, x, p, mask, B, L, H, nh, drop->attn_p,
                                         mtl__bt_site(drop, layer, MTL__BT_SITE_ATTN_PROBS));
    else mtl__bt_self_attention_forward(c->res1, c, work, x, p, mask, B, L, H, nh);
    if (hp > 0.0f) mtl__bt_dropout(c->res1, TH, hp, mtl__bt_site(drop, layer, MTL__BT_SITE_ATTN_OUT));
    mtl__bt_residual_forward(c->res1, c->res1, x, TH);                          /* res1 += x           */
    mtl__bt_layernorm_forward(c->a, c->mean1, c->rstd1, c->res1, p->ln1_w, p->ln1_b, T, H, eps); /* a   */
    mtl__bt_linear_forward(c->u, c->a, p->up_w, p->up_b, T, H, I, work);        /* u [T,I]            */
    mtl__bt_gelu_forward(c->g, c->u, TI);                                       /* g = gelu(u)        */
    mtl__bt_linear_forward(c->res2, c->g, p->down_w, p->down_b, T, I, H, work); /* res2 = down(g)     */
    if (hp > 0.0f) mtl__bt_dropout(c->res2, TH, hp, mtl__bt_site(drop, layer, MTL__BT_SITE_FFN_OUT));
    mtl__bt_residual_forward(c->res2, c->res2, c->a, TH);                       /* res2 += a          */
    mtl__bt_layernorm_forward(h, c->mean2, c->rstd2, c->res2, p->ln2_w, p->ln2_b, T, H, eps); /* h    */
}
static void mtl__bt_layer_forward(float *h, mtl__bt_cache *c, float *work, const float *x, const mtl_layer_params *p,
                                  const int32_t *mask, int B, int L, int H, int I, int nh, float eps) {
    mtl__bt_layer_forward_d(h, c, work, x, p, mask, B, L, H, I, nh, eps, NULL, 0);
}
/* From dh[T,H] (the gradient of the layer output): dx[T,H] (=, NULL: not needed) and param grads
   into g (+=, NULL: frozen). The cache must be a kept one (c->g is scratch [T,I], recomputed).
   Scratch: da, dres, dctx, dq, dk, dv [T,H], row [L]; dff [T,I] is c->g. */
static void mtl__bt_layer_backward_d(float *dx, mtl_layer_params *g, const float *dh, const float *x,
                                     const mtl_layer_params *p, const mtl__bt_cache *c, float *da, float *dres,
                                     float *dctx, float *dq, float *dk, float *dv, float *row, const int32_t *mask,
                                     int B, int L, int H, int I, int nh, const mtl__bt_drop *drop, int layer) {
    const int T = B * L;
    const size_t TH = (size_t)T * (size_t)H, TI = (size_t)T * (size_t)I;
    const float hp = drop ? drop->hidden_p : 0.0f;
    float *dff = c->g;
    /* h = LN2(res2) */
    mtl__bt_layernorm_backward(dres, g ? g->ln2_w : NULL, g ? g->ln2_b : NULL, dh, c->res2, c->mean2, c->rstd2, p->ln2_w, T, H);
    /* res2 = down(g) + a: the residual branch gets dres as is */
    memset(da, 0, TH * sizeof(float));
    mtl__bt_residual_backward(da, NULL, dres, TH);
    /* the FFN-output dropout (training): the down branch gets mask * dres */
    if (hp > 0.0f) mtl__bt_dropout(dres, TH, hp, mtl__bt_site(drop, layer, MTL__BT_SITE_FFN_OUT));
    /* down: dW needs g = gelu(u) (recomputed into dff), then dff = dres W2 */
    if (g) {
        mtl__bt_gelu_forward(dff, c->u, TI);
        mtl__bt_linear_backward(NULL, g->down_w, g->down_b, dres, dff, p->down_w, T, I, H);
    }
    memset(dff, 0, TI * sizeof(float));
    mtl__bt_linear_backward(dff, NULL, NULL, dres, NULL, p->down_w, T, I, H);
    /* g = gelu(u) */
    mtl__bt_gelu_backward(dff, dff, c->u, TI);
    /* u = up(a) */
    mtl__bt_linear_backward(da, g ? g->up_w : NULL, g ? g->up_b : NULL, dff, c->a, p->up_w, T, H, I);
    /* a = LN1(res1) */
    mtl__bt_layernorm_backward(dres, g ? g->ln1_w : NULL, g ? g->ln1_b : NULL, da, c->res1, c->mean1, c->rstd1, p->ln1_w, T, H);
    /* res1 = self_attention(x) + x */
    if (dx) { memset(dx, 0, TH * sizeof(float)); mtl__bt_residual_backward(dx, NULL, dres, TH); }
    if (hp > 0.0f) mtl__bt_dropout(dres, TH, hp, mtl__bt_site(drop, layer, MTL__BT_SITE_ATTN_OUT));
    if (drop && drop->attn_p > 0.0f)
        mtl__bt_self_attention_backward_d(dx, g, dres, x, p, c, dctx, dq, dk, dv, row, mask, B, L, H, nh, drop->attn_p,
                                          mtl__bt_site(drop, layer, MTL__BT_SITE_ATTN_PROBS));
    else mtl__bt_self_attention_backward(dx, g, dres, x, p, c, dctx, dq, dk, dv, row, mask, B, L, H, nh);
}
static void mtl__bt_layer_backward(float *dx, mtl_layer_params *g, const float *dh, const float *x,
                                   const mtl_layer_params *p, const mtl__bt_cache *c, float *da, float *dres,
                                   float *dctx, float *dq, float *dk, float *dv, float *row, const int32_t *mask,
                                   int B, int L, int H, int I, int nh) {
    mtl__bt_layer_backward_d(dx, g, dh, x, p, c, da, dres, dctx, dq, dk, dv, row, mask, B, L, H, I, nh, NULL, 0);
}

/* ---------------------------------------------------------------------------------------------- */
/* Tensor table, gradient block, arena plan                                                       */
/* ---------------------------------------------------------------------------------------------- */
static const char *const mtl__bt_layer_names[16] = {
    "attention.self.query.weight", "attention.self.query.bias", "attention.self.key.weight",
    "attention.self.key.bias", "attention.self.value.weight", "attention.self.value.bias",
    "attention.output.dense.weight", "attention.output.dense.bias", "attention.output.LayerNorm.weight",
    "attention.output.LayerNorm.bias", "intermediate.dense.weight", "intermediate.dense.bias",
    "output.dense.weight", "output.dense.bias", "output.LayerNorm.weight", "output.LayerNorm.bias"};
static const char *const mtl__bt_emb_names[5] = {
    "embeddings.word_embeddings.weight", "embeddings.position_embeddings.weight",
    "embeddings.token_type_embeddings.weight", "embeddings.LayerNorm.weight", "embeddings.LayerNorm.bias"};

static int mtl__bt_config_ok(const mtl_backbone_config *c) {
    return c && c->vocab_size > 0 && c->hidden_size > 0 && c->n_layers >= 0 && c->n_heads > 0 &&
           c->hidden_size % c->n_heads == 0 && c->intermediate_size > 0 && c->max_position > 0 &&
           c->type_vocab_size > 0 && c->layer_norm_eps >= 0.0f;
}

MTLDEF int mtl_backbone_n_tensors(const mtl_backbone_config *c) { return c ? 5 + 16 * c->n_layers : 0; }

MTLDEF float **mtl_backbone_tensor(mtl_backbone_params *p, const mtl_backbone_config *c, int i, char *name, int shape[2]) {
    const int H = c ? c->hidden_size : 0, I = c ? c->intermediate_size : 0;
    int s0 = H, s1 = 0;
    float **f = NULL;
    if (!p || !c || i < 0 || i >= mtl_backbone_n_tensors(c)) return NULL;
    if (i < 5) {
        float **e[5];
        e[0] = &p->word_emb; e[1] = &p->pos_emb; e[2] = &p->type_emb; e[3] = &p->emb_ln_w; e[4] = &p->emb_ln_b;
        f = e[i];
        if (i == 0) { s0 = c->vocab_size; s1 = H; }
        if (i == 1) { s0 = c->max_position; s1 = H; }
        if (i == 2) { s0 = c->type_vocab_size; s1 = H; }
        if (name) strcpy(name, mtl__bt_emb_names[i]);
    } else {
        int l = (i - 5) / 16, k = (i - 5) % 16;
        mtl_layer_params *lp = &p->layers[l];
        float **t[16];
        t[0] = &lp->q_w; t[1] = &lp->q_b; t[2] = &lp->k_w; t[3] = &lp->k_b; t[4] = &lp->v_w; t[5] = &lp->v_b;
        t[6] = &lp->o_w; t[7] = &lp->o_b; t[8] = &lp->ln1_w; t[9] = &lp->ln1_b; t[10] = &lp->up_w;
        t[11] = &lp->up_b; t[12] = &lp->down_w; t[13] = &lp->down_b; t[14] = &lp->ln2_w; t[15] = &lp->ln2_b;
        f = t[k];
        if (k == 0 || k == 2 || k == 4 || k == 6) s1 = H;
        if (k == 10) { s0 = I; s1 = H; }
        if (k == 11) s0 = I;
        if (k == 12) s1 = I;
        if (name) {
            /* "encoder.layer.<l>.<suffix>" without stdio */
            char num[16];
            int n = 0, v = l, pos;
            do { num[n++] = (char)('0' + v % 10); v /= 10; } while (v);
            strcpy(name, "encoder.layer.");
            pos = 14;
            while (n) name[pos++] = num[--n];
            name[pos++] = '.';
            strcpy(name + pos, mtl__bt_layer_names[k]);
        }
    }
    if (shape) { shape[0] = s0; shape[1] = s1; }
    return f;
}

MTLDEF int mtl_backbone_tensor_trainable(const mtl_backbone_config *c, int i, int n_trainable_layers, int embeddings_trainable) {
    if (!c || i < 0 || i >= mtl_backbone_n_tensors(c)) return 0;
    if (i < 5) return embeddings_trainable != 0;
    return (i - 5) / 16 >= c->n_layers - n_trainable_layers;
}

static size_t mtl__bt_numel(const int shape[2]) { return (size_t)shape[0] * (size_t)(shape[1] ? shape[1] : 1); }

MTLDEF size_t mtl_backbone_grad_floats(const mtl_backbone_config *c, int n_trainable_layers, int embeddings_trainable) {
    mtl_backbone_params tmp;
    mtl_layer_params lp;
    size_t n = 0;
    int i, shape[2];
    if (!mtl__bt_config_ok(c) || n_trainable_layers < 0 || n_trainable_layers > c->n_layers) return 0;
    memset(&tmp, 0, sizeof tmp);
    memset(&lp, 0, sizeof lp);
    for (i = 0; i < mtl_backbone_n_tensors(c); i++) {
        /* the shapes do not depend on the layer: a one-entry layers array for the lookup */
        mtl_backbone_config one = *c;
        int idx = i < 5 ? i : 5 + (i - 5) % 16;
        if (!mtl_backbone_tensor_trainable(c, i, n_trainable_layers, embeddings_trainable)) continue;
        one.n_layers = 1;
        tmp.layers = &lp;
        mtl_backbone_tensor(&tmp, &one, idx, NULL, shape);
        n += mtl__bt_numel(shape);
    }
    return n;
}

MTLDEF void mtl_backbone_point_grads(mtl_backbone_params *g, const mtl_backbone_config *c, int n_trainable_layers,
                                     int embeddings_trainable, float *block) {
    int i, shape[2];
    size_t off = 0;
    if (!g || !c) return;
    for (i = 0; i < mtl_backbone_n_tensors(c); i++) {
        float **f = mtl_backbone_tensor(g, c, i, NULL, shape);
        if (block && mtl_backbone_tensor_trainable(c, i, n_trainable_layers, embeddings_trainable)) {
            *f = block + off;
            off += mtl__bt_numel(shape);
        } else {
            *f = NULL;
        }
    }
}

static size_t mtl__bt_al(size_t bytes) { return (bytes + 63) & ~(size_t)63; }
/* The small work buffer: a softmax row [L], or a packed weight panel [16 * max(H, I)]. */
static size_t mtl__bt_work_floats(const mtl_backbone_config *c, int L) {
    size_t m = (size_t)(c->hidden_size > c->intermediate_size ? c->hidden_size : c->intermediate_size) * MTL__BT_NB;
    return (size_t)L > m ? (size_t)L : m;
}
static size_t mtl__bt_layer_cache_bytes(const mtl_backbone_config *c, int B, int L) {
    const size_t T = (size_t)B * (size_t)L, H = (size_t)c->hidden_size, I = (size_t)c->intermediate_size;
    return 7 * mtl__bt_al(T * H * 4) + mtl__bt_al(T * I * 4) +
           mtl__bt_al((size_t)B * (size_t)c->n_heads * (size_t)L * (size_t)L * 4) + 4 * mtl__bt_al(T * 4);
}
/* Views of one kept layer cache (k >= first_cached). g points at the scratch s_ff. */
static void mtl__bt_cache_view(const mtl_backbone_state *st, int k, mtl__bt_cache *c) {
    const size_t T = (size_t)st->max_batch * (size_t)st->max_len, H = (size_t)st->cfg.hidden_size;
    const size_t I = (size_t)st->cfg.intermediate_size;
    unsigned char *b = st->layer_cache + (size_t)(k - st->first_cached) * st->layer_stride;
    float **v[7];
    int i;
    v[0] = &c->q; v[1] = &c->k; v[2] = &c->v; v[3] = &c->ctx; v[4] = &c->res1; v[5] = &c->a; v[6] = &c->res2;
    for (i = 0; i < 7; i++) { *v[i] = (float *)(void *)b; b += mtl__bt_al(T * H * 4); }
    c->u = (float *)(void *)b; b += mtl__bt_al(T * I * 4);
    c->probs = (float *)(void *)b;
    b += mtl__bt_al((size_t)st->max_batch * (size_t)st->cfg.n_heads * (size_t)st->max_len * (size_t)st->max_len * 4);
    c->mean1 = (float *)(void *)b; b += mtl__bt_al(T * 4);
    c->rstd1 = (float *)(void *)b; b += mtl__bt_al(T * 4);
    c->mean2 = (float *)(void *)b; b += mtl__bt_al(T * 4);
    c->rstd2 = (float *)(void *)b;
    c->g = st->s_ff;
}
/* The scratch as a cache, for the frozen in-place forward of a layer on x. */
static void mtl__bt_scratch_cache(const mtl_backbone_state *st, float *x, mtl__bt_cache *c) {
    const size_t T = (size_t)st->max_batch * (size_t)st->max_len;
    c->q = st->s_q; c->k = st->s_k; c->v = st->s_v; c->ctx = st->s_ctx; c->probs = NULL;
    c->res1 = st->s_tmp; c->res2 = st->s_tmp; c->a = x; c->u = st->s_ff; c->g = st->s_ff;
    c->mean1 = c->mean2 = st->s_stats; c->rstd1 = c->rstd2 = st->s_stats + T;
}

/* Lays out the arena (base NULL: only counts). Returns the bytes needed. */
static size_t mtl__bt_plan(const mtl_backbone_config *c, int B, int L, int n_train, int emb_train, unsigned char *base,
                           mtl_backbone_state *st) {
    const size_t T = (size_t)B * (size_t)L, H = (size_t)c->hidden_size, I = (size_t)c->intermediate_size;
    const int first_cached = emb_train ? 0 : c->n_layers - n_train, n_cached = c->n_layers - first_cached;
    const int trains = n_train > 0 || emb_train;
    const size_t TH = mtl__bt_al(T * H * 4), Ti = mtl__bt_al(T * 4);
    size_t off = 0;
#define MTL__BT_TAKE(dst, type, bytes) do { if (base) (dst) = (type *)(void *)(base + off); off += (bytes); } while (0)
    if (base) {
        st->first_cached = first_cached;
        st->emb_e = st->emb_mean = st->emb_rstd = NULL;
        st->s_da = st->s_dh0 = st->s_dh1 = NULL;
    }
    MTL__BT_TAKE(st->ids, int32_t, Ti);
    MTL__BT_TAKE(st->types, int32_t, Ti);
    MTL__BT_TAKE(st->mask, int32_t, Ti);
    MTL__BT_TAKE(st->hidden, float, (size_t)(n_cached + 1) * TH);
    if (emb_train) {
        MTL__BT_TAKE(st->emb_e, float, TH);
        MTL__BT_TAKE(st->emb_mean, float, Ti);
        MTL__BT_TAKE(st->emb_rstd, float, Ti);
    }
    if (base) { st->layer_cache = base + off; st->layer_stride = mtl__bt_layer_cache_bytes(c, B, L); }
    off += (size_t)n_cached * mtl__bt_layer_cache_bytes(c, B, L);
    MTL__BT_TAKE(st->s_q, float, TH);
    MTL__BT_TAKE(st->s_k, float, TH);
    MTL__BT_TAKE(st->s_v, float, TH);
    MTL__BT_TAKE(st->s_ctx, float, TH);
    MTL__BT_TAKE(st->s_tmp, float, TH);
    MTL__BT_TAKE(st->s_ff, float, mtl__bt_al(T * I * 4));
    MTL__BT_TAKE(st->s_stats, float, 4 * Ti);
    MTL__BT_TAKE(st->s_work, float, mtl__bt_al(mtl__bt_work_floats(c, L) * 4));
    if (trains) {
        MTL__BT_TAKE(st->s_da, float, TH);
        MTL__BT_TAKE(st->s_dh0, float, TH);
        MTL__BT_TAKE(st->s_dh1, float, TH);
    }
#undef MTL__BT_TAKE
    return off + 64; /* + room to align the base */
}

static int mtl__bt_args_ok(const mtl_backbone_config *c, int B, int L, int n_train) {
    return mtl__bt_config_ok(c) && B > 0 && L > 0 && L <= c->max_position && n_train >= 0 && n_train <= c->n_layers;
}

MTLDEF size_t mtl_backbone_arena_bytes(const mtl_backbone_config *c, int batch, int len, int n_trainable_layers,
                                       int embeddings_trainable) {
    if (!mtl__bt_args_ok(c, batch, len, n_trainable_layers)) return 0;
    return mtl__bt_plan(c, batch, len, n_trainable_layers, embeddings_trainable != 0, NULL, NULL);
}

MTLDEF mtl_result mtl_backbone_init(mtl_backbone_state *st, const mtl_backbone_config *c, int batch, int len,
                                    int n_trainable_layers, int embeddings_trainable, void *arena, size_t arena_size,
                                    mtl_error *err) {
    size_t need;
    if (!st) return mtl__err(err, MTL_ERR_ARG, "no state");
    memset(st, 0, sizeof *st);
    if (!mtl__bt_config_ok(c)) return mtl__err(err, MTL_ERR_ARG, "bad backbone config (sizes must be > 0, heads must divide hidden)");
    if (!mtl__bt_args_ok(c, batch, len, n_trainable_layers))
        return mtl__err(err, MTL_ERR_ARG, "bad shape [%d, %d] or trainable layers %d (0..%d, length <= %d)", batch, len,
                        n_trainable_layers, c->n_layers, c->max_position);
    need = mtl__bt_plan(c, batch, len, n_trainable_layers, embeddings_trainable != 0, NULL, NULL);
    if (arena) {
        if (arena_size < need) return mtl__err(err, MTL_ERR_NOMEM, "arena of %zu bytes, %zu needed (mtl_backbone_arena_bytes)", arena_size, need);
        st->mem = arena;
        st->mem_size = arena_size;
    } else {
        st->mem = MTL_MALLOC(need);
        if (!st->mem) return mtl__err(err, MTL_ERR_NOMEM, "out of memory (%zu bytes of arena)", need);
        st->mem_size = need;
        st->owns_mem = 1;
    }
    st->cfg = *c;
    st->max_batch = batch;
    st->max_len = len;
    st->n_trainable_layers = n_trainable_layers;
    st->embeddings_trainable = embeddings_trainable != 0;
    st->arena = (unsigned char *)st->mem + (64 - (uintptr_t)st->mem % 64) % 64;
    mtl__bt_plan(c, batch, len, n_trainable_layers, st->embeddings_trainable, st->arena, st);
    mtl__ok(err);
    return MTL_OK;
}

MTLDEF void mtl_backbone_free(mtl_backbone_state *st) {
    if (!st) return;
    if (st->owns_mem) MTL_FREE(st->mem);
    memset(st, 0, sizeof *st);
}

MTLDEF void mtl_backbone_set_dropout(mtl_backbone_state *st, float hidden_p, float attn_p, uint64_t seed, int training) {
    if (!st) return;
    st->hidden_dropout = hidden_p;
    st->attn_dropout = attn_p;
    st->dropout_seed = seed;
    st->training = training != 0;
}
/* the dropout of the current setting, or NULL (eval mode / p = 0) */
static const mtl__bt_drop *mtl__bt_get_drop(const mtl_backbone_state *st, mtl__bt_drop *d) {
    if (!st->training || (st->hidden_dropout <= 0.0f && st->attn_dropout <= 0.0f)) return NULL;
    d->hidden_p = st->hidden_dropout;
    d->attn_p = st->attn_dropout;
    d->seed = st->dropout_seed;
    return d;
}

static float *mtl__bt_hidden(const mtl_backbone_state *st, int k) {
    const size_t TH = mtl__bt_al((size_t)st->max_batch * (size_t)st->max_len * (size_t)st->cfg.hidden_size * 4);
    return (float *)(void *)((unsigned char *)st->hidden + (size_t)(k - st->first_cached) * TH);
}

MTLDEF const float *mtl_backbone_hidden(const mtl_backbone_state *st, int k) {
    if (!st || !st->arena || !st->batch || k < st->first_cached || k > st->cfg.n_layers) return NULL;
    return mtl__bt_hidden(st, k);
}

MTLDEF mtl_result mtl_backbone_forward(mtl_backbone_state *st, const mtl_backbone_params *p, const int32_t *ids,
                                       const int32_t *types, const int32_t *mask, int batch, int len, mtl_error *err) {
    const mtl_backbone_config *c;
    int H, I, nh, l;
    size_t T, r;
    float *x;
    mtl__bt_cache cache;
    mtl__bt_drop dbuf;
    const mtl__bt_drop *drop;
    if (!st || !st->arena || !p || !ids) return mtl__err(err, MTL_ERR_ARG, "bad arguments");
    drop = mtl__bt_get_drop(st, &dbuf);
    c = &st->cfg;
    H = c->hidden_size; I = c->intermediate_size; nh = c->n_heads;
    if (batch < 1 || len < 1 || batch > st->max_batch || len > st->max_len)
        return mtl__err(err, MTL_ERR_SHAPE, "batch [%d, %d] exceeds the planned [%d, %d]", batch, len, st->max_batch, st->max_len);
    if (!p->word_emb || !p->pos_emb || !p->type_emb || !p->emb_ln_w || !p->emb_ln_b || (c->n_layers && !p->layers))
        return mtl__err(err, MTL_ERR_ARG, "missing parameter tensors");
    T = (size_t)batch * (size_t)len;
    for (r = 0; r < T; r++) {
        const int32_t ty = types ? types[r] : 0;
        if (ids[r] < 0 || ids[r] >= c->vocab_size) return mtl__err(err, MTL_ERR_ARG, "token id %d out of range (row %d)", ids[r], (int)(r / (size_t)len));
        if (ty < 0 || ty >= c->type_vocab_size) return mtl__err(err, MTL_ERR_ARG, "token type %d out of range (row %d)", ty, (int)(r / (size_t)len));
        st->ids[r] = ids[r];
        st->types[r] = ty;
        st->mask[r] = mask ? (mask[r] != 0) : 1;
    }
    st->batch = batch;
    st->len = len;
    /* embeddings: into hidden[0] with a kept cache, or frozen into the lowest kept buffer */
    x = mtl__bt_hidden(st, st->first_cached);
    if (st->embeddings_trainable)
        mtl__bt_embeddings_forward(x, st->emb_e, st->emb_mean, st->emb_rstd, p, st->ids, st->types, batch, len, H, c->layer_norm_eps);
    else
        mtl__bt_embeddings_forward(x, st->s_tmp, st->s_stats, st->s_stats + T, p, st->ids, st->types, batch, len, H, c->layer_norm_eps);
    if (drop && drop->hidden_p > 0.0f) mtl__bt_dropout(x, T * (size_t)H, drop->hidden_p, mtl__bt_site(drop, -1, MTL__BT_SITE_EMB));
    /* frozen layers: forward only, in place on x */
    for (l = 0; l < st->first_cached; l++) {
        mtl__bt_scratch_cache(st, x, &cache);
        if (drop) mtl__bt_layer_forward_d(x, &cache, st->s_work, x, &p->layers[l], st->mask, batch, len, H, I, nh, c->layer_norm_eps, drop, l);
        else mtl__bt_layer_forward(x, &cache, st->s_work, x, &p->layers[l], st->mask, batch, len, H, I, nh, c->layer_norm_eps);
    }
    /* kept layers: hidden[l] -> hidden[l+1] */
    for (l = st->first_cached; l < c->n_layers; l++) {
        mtl__bt_cache_view(st, l, &cache);
        mtl__bt_layer_forward_d(mtl__bt_hidden(st, l + 1), &cache, st->s_work, mtl__bt_hidden(st, l), &p->layers[l],
                                st->mask, batch, len, H, I, nh, c->layer_norm_eps, drop, l);
    }
    mtl__ok(err);
    return MTL_OK;
}

static int mtl__bt_grads_ok(const mtl_backbone_state *st, mtl_backbone_params *g) {
    const mtl_backbone_config *c = &st->cfg;
    int i, shape[2];
    if (!g) return 0;
    if (c->n_layers > c->n_layers - st->n_trainable_layers && !g->layers) return 0;
    for (i = 0; i < mtl_backbone_n_tensors(c); i++) {
        if (i >= 5 && !g->layers) break;
        if (mtl_backbone_tensor_trainable(c, i, st->n_trainable_layers, st->embeddings_trainable) &&
            !*mtl_backbone_tensor(g, c, i, NULL, shape))
            return 0;
    }
    return 1;
}

MTLDEF mtl_result mtl_backbone_backward(mtl_backbone_state *st, const mtl_backbone_params *p, mtl_backbone_params *g,
                                        const float *dout, float *dhidden, mtl_error *err) {
    const mtl_backbone_config *c;
    int B, L, H, I, nh, l, first_grad_layer;
    size_t TH;
    float *dh, *dx;
    mtl__bt_cache cache;
    mtl__bt_drop dbuf;
    const mtl__bt_drop *drop;
    if (!st || !st->arena || !p || !dout) return mtl__err(err, MTL_ERR_ARG, "bad arguments");
    drop = mtl__bt_get_drop(st, &dbuf);
    if (!st->batch) return mtl__err(err, MTL_ERR_ARG, "backward before forward");
    c = &st->cfg;
    B = st->batch; L = st->len; H = c->hidden_size; I = c->intermediate_size; nh = c->n_heads;
    TH = (size_t)B * (size_t)L * (size_t)H;
    if (dhidden) memcpy(dhidden + (size_t)c->n_layers * TH, dout, TH * sizeof(float));
    if (!st->s_dh0) { mtl__ok(err); return MTL_OK; } /* nothing trains */
    if (!mtl__bt_grads_ok(st, g)) return mtl__err(err, MTL_ERR_ARG, "a trainable tensor has no gradient view (mtl_backbone_point_grads)");
    first_grad_layer = c->n_layers - st->n_trainable_layers;
    memcpy(st->s_dh0, dout, TH * sizeof(float));
    dh = st->s_dh0;
    dx = st->s_dh1;
    for (l = c->n_layers - 1; l >= st->first_cached; l--) {
        /* the input gradient is needed below, or asked for */
        const int need_dx = l > st->first_cached || st->embeddings_trainable || dhidden;
        mtl__bt_cache_view(st, l, &cache);
        if (drop)
            mtl__bt_layer_backward_d(need_dx ? dx : NULL, l >= first_grad_layer ? &g->layers[l] : NULL, dh,
                                     mtl__bt_hidden(st, l), &p->layers[l], &cache, st->s_da, st->s_tmp, st->s_ctx, st->s_q,
                                     st->s_k, st->s_v, st->s_work, st->mask, B, L, H, I, nh, drop, l);
        else
            mtl__bt_layer_backward(need_dx ? dx : NULL, l >= first_grad_layer ? &g->layers[l] : NULL, dh,
                                   mtl__bt_hidden(st, l), &p->layers[l], &cache, st->s_da, st->s_tmp, st->s_ctx, st->s_q,
                                   st->s_k, st->s_v, st->s_work, st->mask, B, L, H, I, nh);
        if (!need_dx) break;
        if (dhidden) memcpy(dhidden + (size_t)l * TH, dx, TH * sizeof(float));
        { float *t = dh; dh = dx; dx = t; }
    }
    if (st->embeddings_trainable && drop && drop->hidden_p > 0.0f)
        mtl__bt_dropout(dh, TH, drop->hidden_p, mtl__bt_site(drop, -1, MTL__BT_SITE_EMB));
    if (st->embeddings_trainable)
        mtl__bt_embeddings_backward(g, st->s_tmp, dh, st->emb_e, st->emb_mean, st->emb_rstd, p, st->ids, st->types,
                                    B, L, H, c->pad_token_id);
    mtl__ok(err);
    return MTL_OK;
}

#endif /* MTL_TRAIN_BACKBONE_IMPLEMENTATION_DONE */
#endif /* MTL_TRAIN_BACKBONE_IMPLEMENTATION */

/*
------------------------------------------------------------------------------
MIT License

Copyright (c) 2026 the mtl authors

Permission is hereby granted, free of charge, to any person obtaining a copy of
this software and associated documentation files (the "Software"), to deal in
the Software without restriction, including without limitation the rights to
use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies
of the Software, and to permit persons to whom the Software is furnished to do
so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
------------------------------------------------------------------------------
*/
