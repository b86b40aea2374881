/* mtl_trainer.h - the multi-task trainer of issue #4: BERT backbone + a sentence-classification head
   + a token (NER) head, trained exactly as PyTorch / Hugging Face.  MIT licence (see mtl_bert.h).
   Work in progress: composes wip/mtl_train_parts.h (heads, losses, optimizers, clipping, schedules)
   and wip/mtl_train_backbone.h (training forward with caches + backward); to be merged into mtl_bert.h.

   USAGE
     In ONE C or C++ file:
         #define MTL_TRAINER_IMPLEMENTATION
         #include "wip/mtl_trainer.h"        (includes both wip headers and their implementations)

         mtl_trainer_config c; mtl_trainer *tr; mtl_error err;
         mtl_trainer_defaults(&c);  c.bb = ...sizes from config.json...;  c.n_cls = 3;  c.n_ner = 9;
         c.max_batch = 32; c.max_len = 128;
         mtl_trainer_create(&tr, &c, &err);
         mtl_trainer_load_safetensors(tr, bytes, len, NULL, &err); // backbone (+ heads if present)
         mtl_trainer_freeze(tr, "top:2", &err);                   // which tensors train
         mtl_trainer_set_training(tr, 1);    // dropout (classifier/hidden/attention, 0.1 each) on
         for (...) mtl_trainer_step(tr, &batch, 1, &stats, &err); // forward, losses, backward, clip, update
         mtl_trainer_save_file(tr, "ckpt.gguf", &err);            // a model file + optimizer state, step, RNG
         mtl_trainer_free(tr);

   ONE TRAINING STEP (mtl_trainer_step; eval mode = the golden fixtures; training mode adds dropout)
     zero grads
     for each micro-batch (gradient accumulation: each loss scaled by 1/n_micro):
       backbone forward: frozen bottom layers forward-only in place, trainable ones keep activations
       cls head on pool(last hidden state) (mean | cls | max), NER head on every token; only the
       task(s) whose labels the batch has (task routing: a batch with only cls_labels never runs
       the NER head). HF's classifier dropout (p = classifier_dropout) on each head's input.
       loss = cls_weight * CE(cls) + ner_weight * CE(ner)    (ignore_index, class weights, smoothing)
       backward: heads, then the backbone (only its trainable part; nothing at all when frozen)
     total = global L2 norm of the trainable grads (torch's summation), clip to clip_norm
     optimizer update of every param group with lr = group lr * schedule lambda(step)
   Dropout is counter-based (mtl_train_parts.h): mask = f(seed, micro-batch counter, site), so a
   run is reproducible from the seed and a resumed run continues bit-identically.
   In training mode the backbone applies HF's dropout too (hidden_dropout after the embeddings and
   on both residual branches, attn_dropout on the attention probabilities; mtl_train_backbone.h).

   FREEZING (mtl_trainer_freeze): a spec is terms joined by '+' or ',', applied left to right,
   starting from "everything trainable" (the pooler never trains: no loss uses it):
     none        everything trainable
     all         everything frozen (inference only)
     backbone    embeddings + every encoder layer frozen (only the heads train)
     embeddings  the embeddings (word, position, type, LayerNorm) frozen, encoder layers untouched
     top:N       the embeddings and all but the top N encoder layers frozen (top N + heads train)
     head:cls    the classification head frozen;  head:ner  the token head frozen
   e.g. "top:2+head:ner". Any exact per-tensor set: mtl_trainer_set_trainable(). Gradual
   unfreezing: mtl_trainer_apply_epoch(tr, "0:backbone,1:top:2,2:none", epoch) applies the entry with
   the largest epoch <= epoch. Frozen tensors have NO gradient, NO optimizer state, take no part in
   the norm / clipping, and stay bit-identical. The backbone keeps activations only for the layers a
   gradient must pass through (all of them when the embeddings train).
   Memory: trainable tensors live in an mtl_params (data + grad), frozen ones in a data-only block;
   the optimizer state covers the trainable tensors only. mtl_trainer_plan() gives the counts and
   bytes of any strategy from a config alone (no weights); mtl_trainer_memory() the actual ones.
   When the set changes, tensors that stay trainable keep their optimizer state; newly trainable ones
   start from zero moments (the optimizer's step count is global: bias correction uses it).

   MULTI-TASK SCHEDULES (mtl_mt_tasks / mtl_trainer_step_mt): combined (one batch per task per step,
   weighted sum), alternate (cls on even steps, ner on odd), sample (cls with probability p_cls,
   drawn from the seed and the step: reproducible and resumable), separate (cls for the first
   round(p_cls * total_steps) steps, then ner). The task weights apply in every mode.

   CHECKPOINTS (mtl_trainer_save / _load, _save_file / _load_file): a GGUF v3 model file written by
   mtl_bert.h's writer (see its FILE FORMAT): the backbone under the names and keys weights_convert
   writes (plus the tokenizer when config.tokenizer is set, the embedding defaults from config.pooling,
   config.embed_normalize and max_len), so mtl_model_load and build/mtl-embed read a checkpoint
   directly; both heads (mtl.head.{cls,ner}.*, Linear or MLP) with their label maps and config; the
   optimizer type, hyper-parameters and state tensors (only for trainable tensors), the step, the RNG
   counter, the schedule and the trainable set; a whole-file checksum. _save_file writes
   "<path>.tmp", fsyncs it and renames it (atomic on POSIX). Loading into a trainer made with the same
   config validates everything first (a corrupt or truncated file changes nothing) and continues
   bit-identically.

   MATRIX PRODUCTS: every product of the backbone (forward and backward) goes through the one kernel
   mtl__bt_gemm of mtl_train_backbone.h (to be replaced by mtl_bert.h's threaded / BLAS matmul);
   the heads are small (H x classes) and use mtl_train_parts.h's mtl_linear_*.

   Library code never prints, exits or aborts and has no global state. */
#ifndef MTL_TRAINER_H
#define MTL_TRAINER_H

#include "mtl_train_parts.h"
#include "mtl_train_backbone.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct mtl_trainer mtl_trainer;

enum { MTL_TASK_CLS = 1, MTL_TASK_NER = 2, MTL_TASK_BOTH = 3 };

typedef struct mtl_trainer_config {
    mtl_backbone_config bb;          /* sizes from config.json                                      */
    int with_pooler;                 /* keep pooler.dense.{weight,bias} (never trained) in the model */
    int n_cls, n_ner;                /* classes / tags; 0 = no such head                           */
    int cls_hidden, ner_hidden;      /* 0: a Linear head; > 0: Linear -> act -> Dropout -> Linear    */
    mtl_activation head_act;
    float head_dropout;              /* dropout inside an MLP head (training mode)                  */
    float classifier_dropout;        /* dropout on each head's input (training mode), HF style      */
    float hidden_dropout, attn_dropout;  /* the backbone's dropout in training mode (config.json's
                                        hidden_dropout_prob, attention_probs_dropout_prob)            */
    mtl_head_pool pooling;           /* sentence pooling of the cls head (default mean)             */
    char cls_prefix[32], ner_prefix[32];   /* parameter names: "cls_head", "ner_head"              */
    int hf_classifier;               /* MTL_TASK_CLS / MTL_TASK_NER: mtl_trainer_load_safetensors reads a
                                        HF Bert*Classification "classifier.{weight,bias}" into that
                                        (linear) head; 0: ignore it                                   */
    double cls_weight, ner_weight;   /* loss = cls_weight * loss_cls + ner_weight * loss_ner       */
    int ignore_index;                /* -100                                                        */
    float label_smoothing;
    const float *cls_class_weight, *ner_class_weight;  /* [n_cls] / [n_ner] or NULL (caller memory) */
    const char *const *cls_labels, *const *ner_labels; /* label names or NULL (stored in checkpoints)*/
    const mtl_tokenizer *tokenizer;  /* caller memory or NULL: stored in checkpoints, which then load
                                        in mtl_model_load / mtl-embed (without it they only resume)     */
    int embed_normalize;             /* checkpoints: mtl.normalize (the embedding's default)            */
    mtl_optim_config optim;
    mtl_group_rule lr_rule;          /* param groups: layer-wise lr + HF no-decay rule              */
    mtl_schedule schedule;
    double clip_norm;                /* <= 0: no clipping (the norm is still reported)              */
    double clip_eps;                 /* torch's 1e-6                                                */
    uint64_t seed;                   /* dropout / task sampling                                     */
    int max_batch, max_len;          /* the largest micro-batch                                     */
} mtl_trainer_config;

/* A padded micro-batch [B, L]. types NULL = all 0, mask NULL = all 1. A NULL label array means the
   batch does not train that task (task routing). */
typedef struct mtl_batch {
    int B, L;
    const int32_t *ids, *types, *mask;
    const int32_t *cls_labels;       /* [B]                                                         */
    const int32_t *ner_labels;       /* [B, L], ignore_index where not counted                      */
} mtl_batch;

typedef struct mtl_step_stats {
    float loss, loss_cls, loss_ner;  /* of the (last) micro-batch, before the update                */
    int tasks;                       /* MTL_TASK_* bits that ran                                    */
    float grad_norm, clip_coef;      /* pre-clip global norm, applied coefficient                   */
    double lr_scale;                 /* the schedule's lambda used by the update                    */
    long step;                       /* updates done after this one                                 */
} mtl_step_stats;

/* Parameter counts and bytes of a strategy (mtl_trainer_plan) or of a trainer (mtl_trainer_memory). */
typedef struct mtl_trainer_mem {
    size_t n_params, n_trainable;    /* scalars (the pooler counts when with_pooler)                */
    size_t param_bytes;              /* parameter values (trainable + frozen)                       */
    size_t grad_bytes;               /* gradients of the trainable tensors (+ scratch grads)        */
    size_t optim_bytes;              /* optimizer state                                             */
    size_t activation_bytes;         /* backbone arena: caches + scratch                            */
    size_t head_bytes;               /* head / loss scratch                                         */
    size_t total;
} mtl_trainer_mem;

/* torch-like defaults: mean pooling, weights 1/1, ignore -100, AdamW (lr 2e-5, wd 0.01), no layer
   decay, linear schedule without warmup over 1000 steps, clip 1.0, heads "cls_head"/"ner_head". */
MTLDEF void       mtl_trainer_defaults(mtl_trainer_config *c);
MTLDEF mtl_result mtl_trainer_create(mtl_trainer **out, const mtl_trainer_config *c, mtl_error *err);
MTLDEF void       mtl_trainer_free(mtl_trainer *tr);
MTLDEF const mtl_trainer_config *mtl_trainer_get_config(const mtl_trainer *tr);

/* Tensors: the number, tensor i's name / shape, its values and gradient (NULL when frozen). */
MTLDEF int        mtl_trainer_n_tensors(const mtl_trainer *tr);
MTLDEF const char *mtl_trainer_tensor_info(const mtl_trainer *tr, int i, int *ndim, int shape[2], size_t *numel, int *trainable);
MTLDEF int        mtl_trainer_find(const mtl_trainer *tr, const char *name);   /* index or -1          */
MTLDEF float     *mtl_trainer_data(mtl_trainer *tr, int i);
MTLDEF float     *mtl_trainer_grad(mtl_trainer *tr, int i);
/* The trainable tensors as an mtl_params (its groups may be replaced after each freeze change). */
MTLDEF mtl_params *mtl_trainer_params(mtl_trainer *tr);
/* Copies safetensors tensors (F32, F16, BF16; a leading "bert." is ignored) whose names match;
   HF's "classifier.*" goes to the head named by config.hf_classifier. *n_loaded (may be NULL) gets
   how many. A matching name with another shape: MTL_ERR_SHAPE. */
MTLDEF mtl_result mtl_trainer_load_safetensors(mtl_trainer *tr, const void *buf, size_t len, int *n_loaded, mtl_error *err);
/* Head weights ~ N(0, std) (counter RNG from seed), biases 0. */
MTLDEF void       mtl_trainer_init_heads(mtl_trainer *tr, uint64_t seed, float std);

/* Freezing (see the top). Re-lays the tensors out; optimizer state of tensors that stay trainable is kept. */
MTLDEF mtl_result mtl_trainer_freeze(mtl_trainer *tr, const char *spec, mtl_error *err);
MTLDEF mtl_result mtl_trainer_set_trainable(mtl_trainer *tr, const char *const *names, int n, mtl_error *err);
MTLDEF mtl_result mtl_trainer_apply_epoch(mtl_trainer *tr, const char *gradual, int epoch, mtl_error *err);
/* Counts and bytes of a strategy from a config alone (no weights, nothing allocated). */
MTLDEF mtl_result mtl_trainer_plan(const mtl_trainer_config *c, const char *freeze, mtl_trainer_mem *out, mtl_error *err);
MTLDEF void       mtl_trainer_memory(const mtl_trainer *tr, mtl_trainer_mem *out);

/* Training mode: dropout on (1) or off (0, the default: eval mode, as the fixtures). */
MTLDEF void       mtl_trainer_set_training(mtl_trainer *tr, int training);
/* One update from n micro-batches (each loss scaled by 1/n). */
MTLDEF mtl_result mtl_trainer_step(mtl_trainer *tr, const mtl_batch *micro, int n, mtl_step_stats *st, mtl_error *err);
/* Lower level: forward + backward of one micro-batch, gradients accumulate with scale; then update. */
MTLDEF mtl_result mtl_trainer_accumulate(mtl_trainer *tr, const mtl_batch *b, int tasks, float scale, mtl_step_stats *st, mtl_error *err);
MTLDEF mtl_result mtl_trainer_update(mtl_trainer *tr, mtl_step_stats *st, mtl_error *err);
/* Forward and losses only (eval mode, no gradient). Logits of the last forward: */
MTLDEF mtl_result mtl_trainer_eval(mtl_trainer *tr, const mtl_batch *b, mtl_step_stats *st, mtl_error *err);
MTLDEF const float *mtl_trainer_cls_logits(const mtl_trainer *tr);   /* [B, n_cls]                   */
MTLDEF const float *mtl_trainer_ner_logits(const mtl_trainer *tr);   /* [B, L, n_ner]                */
/* Hidden state k of the last forward ([B,L,H]; k = n_layers: last; NULL when not kept). */
MTLDEF const float *mtl_trainer_hidden(const mtl_trainer *tr, int k);
MTLDEF long       mtl_trainer_step_count(const mtl_trainer *tr);

/* Multi-task step schedules */
typedef enum mtl_mt_mode { MTL_MT_COMBINED = 0, MTL_MT_ALTERNATE = 1, MTL_MT_SAMPLE = 2, MTL_MT_SEPARATE = 3 } mtl_mt_mode;
typedef struct mtl_mt_schedule {
    mtl_mt_mode mode;
    double p_cls;                    /* sample: P(cls); separate: fraction of the steps on cls      */
    long total_steps;                /* separate                                                    */
    uint64_t seed;                   /* sample                                                      */
} mtl_mt_schedule;
MTLDEF mtl_result mtl_mt_parse(mtl_mt_schedule *s, const char *name, mtl_error *err);  /* "combined" ... */
MTLDEF int        mtl_mt_tasks(const mtl_mt_schedule *s, long step);                     /* MTL_TASK_* bits */
/* One update by the schedule: cls_batch / ner_batch (may be the same batch, then one backbone pass). */
MTLDEF mtl_result mtl_trainer_step_mt(mtl_trainer *tr, const mtl_mt_schedule *s, const mtl_batch *cls_batch,
                                      const mtl_batch *ner_batch, mtl_step_stats *st, mtl_error *err);

/* Checkpoints (see the top). save: *buf gets an MTL_MALLOC block (MTL_FREE it). */
MTLDEF mtl_result mtl_trainer_save(const mtl_trainer *tr, unsigned char **buf, size_t *len, mtl_error *err);
MTLDEF mtl_result mtl_trainer_load(mtl_trainer *tr, const unsigned char *buf, size_t len, mtl_error *err);
#ifndef MTL_NO_STDIO
MTLDEF mtl_result mtl_trainer_save_file(const mtl_trainer *tr, const char *path, mtl_error *err);
MTLDEF mtl_result mtl_trainer_load_file(mtl_trainer *tr, const char *path, mtl_error *err);
/* Export for inference: writes DIR/config.json and DIR/model.safetensors (F32, HF names; DIR must
   exist) as a Hugging Face BertModel (task 0: the fine-tuned backbone + pooler) or
   BertForTokenClassification (MTL_TASK_NER: the linear NER head as "classifier", tag names as
   id2label: the same function as HF's). Add the tokenizer files and run build/weights_convert DIR OUT
   to get the blob mtl-embed loads. MTL_TASK_CLS: MTL_ERR_UNSUPPORTED (HF's sequence classifier reads
   the tanh pooler, this head a pooling of the tokens). Files are written as .tmp and renamed. */
MTLDEF mtl_result mtl_trainer_export_hf(const mtl_trainer *tr, int task, const char *dir, mtl_error *err);
#endif

#ifdef __cplusplus
}
#endif
#endif /* MTL_TRAINER_H */

/* ============================================================================================== */
/*                                        IMPLEMENTATION                                          */
/* ============================================================================================== */
#ifdef MTL_TRAINER_IMPLEMENTATION
#ifndef MTL_TRAINER_IMPLEMENTATION_DONE
#define MTL_TRAINER_IMPLEMENTATION_DONE

#ifndef MTL_TRAIN_PARTS_IMPLEMENTATION
#define MTL_TRAIN_PARTS_IMPLEMENTATION
#endif
#include "mtl_train_parts.h"
#ifndef MTL_TRAIN_BACKBONE_IMPLEMENTATION
#define MTL_TRAIN_BACKBONE_IMPLEMENTATION
#endif
#include "mtl_train_backbone.h"
#ifndef MTL_BERT_IMPLEMENTATION
#define MTL_BERT_IMPLEMENTATION
#endif
#include "../mtl_bert.h"   /* the GGUF reader and writer of the checkpoints */

#include <string.h>
#include <math.h>
#ifndef MTL_NO_STDIO
#include <stdio.h>
#endif

/* kinds of tensors */
enum { MTL__TR_BB = 0, MTL__TR_POOLER = 1, MTL__TR_CLS = 2, MTL__TR_NER = 3 };

typedef struct mtl__tr_tensor {
    char name[112];
    int ndim, shape[2];
    size_t numel;
    int kind, bb_index;              /* bb_index: backbone tensor index (kind BB)                    */
    int layer;                       /* encoder layer, -1 embeddings / others                       */
    int trainable;
    int pidx;                        /* index in P (trainable) or -1                                */
    size_t foff;                     /* offset in the frozen block (frozen)                         */
} mtl__tr_tensor;

struct mtl_trainer {
    mtl_trainer_config cfg;
    mtl__tr_tensor *t;
    int nt;
    mtl_params P;                    /* trainable tensors: data + grad                              */
    float *frozen;                   /* frozen tensors' values                                      */
    size_t frozen_n;
    mtl_optim O;
    int has_opt;
    long opt_step;                   /* kept across re-layouts                                      */
    mtl_backbone_state st;
    mtl_backbone_params bp, bg;      /* views: values, grads                                        */
    mtl_layer_params *bp_layers, *bg_layers;
    float *gscratch;                 /* grads the backbone computes for frozen tensors of its set    */
    size_t gscratch_n;
    int n_top, emb_train, bb_trains;
    mtl_head cls, ner;
    int cls_trains, ner_trains;
    /* scratch */
    void *smem;
    size_t smem_bytes;
    float *dlast, *pooled, *pooled_d, *dpooled_d, *dpooled, *cls_cache, *cls_logits, *cls_dlogits;
    float *xd, *dxd, *ner_cache, *ner_logits, *ner_dlogits;
    int32_t *argmax;
    int training;
    long step;
    uint64_t rng_counter;
    int last_B, last_L;
};

/* ---------------------------------------------------------------------------------------------- */
/* Config, tensor table                                                                           */
/* ---------------------------------------------------------------------------------------------- */
MTLDEF void mtl_trainer_defaults(mtl_trainer_config *c) {
    memset(c, 0, sizeof *c);
    c->with_pooler = 1;
    c->pooling = MTL_HPOOL_MEAN;
    c->head_act = MTL_ACT_GELU;
    memcpy(c->cls_prefix, "cls_head", 9);
    memcpy(c->ner_prefix, "ner_head", 9);
    c->cls_weight = 1.0;
    c->ner_weight = 1.0;
    c->ignore_index = -100;
    mtl_optim_defaults(&c->optim, MTL_OPTIM_ADAMW);
    c->lr_rule.base_lr = 2e-5;
    c->lr_rule.layer_decay = 1.0;
    c->lr_rule.head_mult = 1.0;
    c->lr_rule.weight_decay = 0.01;
    c->schedule.type = MTL_SCHED_LINEAR;
    c->schedule.total_steps = 1000;
    c->clip_norm = 1.0;
    c->clip_eps = 1e-6;
    c->seed = 42;
    c->bb.pad_token_id = 0;
    c->classifier_dropout = c->hidden_dropout = c->attn_dropout = 0.1f;   /* BERT's; training mode only */
}

static void mtl__tr_cat(char *dst, size_t cap, const char *a, const char *b) {
    size_t la = strlen(a), lb = strlen(b);
    if (la > cap - 1) la = cap - 1;
    if (lb > cap - 1 - la) lb = cap - 1 - la;
    memcpy(dst, a, la);
    memcpy(dst + la, b, lb);
    dst[la + lb] = 0;
}

/* The canonical tensor list of a config (HF state_dict order: backbone, pooler, cls head, ner head).
   t NULL: only counts. */
static int mtl__tr_list(const mtl_trainer_config *c, mtl__tr_tensor *t) {
    mtl_backbone_params tmp;
    mtl_layer_params lp;
    mtl_backbone_config one = c->bb;
    int n = 0, i, h, nb = mtl_backbone_n_tensors(&c->bb);
    memset(&tmp, 0, sizeof tmp);
    tmp.layers = &lp;
    one.n_layers = 1;
    for (i = 0; i < nb; i++, n++) {
        int shape[2], idx = i < 5 ? i : 5 + (i - 5) % 16;
        char nm[112];
        if (!t) continue;
        mtl_backbone_tensor(&tmp, &one, idx, nm, shape);   /* shapes do not depend on the layer */
        memset(&t[n], 0, sizeof t[n]);
        if (i >= 5) {
            /* "encoder.layer.0.<suffix>" (16 characters before the suffix) with the real layer number */
            int l = (i - 5) / 16, k = 0, v = l, pos = 14;
            char num[16], full[112];
            do { num[k++] = (char)('0' + v % 10); v /= 10; } while (v);
            memcpy(full, "encoder.layer.", 14);
            while (k) full[pos++] = num[--k];
            full[pos++] = '.';
            full[pos] = 0;
            mtl__tr_cat(t[n].name, sizeof t[n].name, full, nm + 16);
            t[n].layer = l;
        } else {
            mtl__tr_cat(t[n].name, sizeof t[n].name, nm, "");
            t[n].layer = -1;
        }
        t[n].ndim = shape[1] ? 2 : 1;
        t[n].shape[0] = shape[0];
        t[n].shape[1] = shape[1];
        t[n].kind = MTL__TR_BB;
        t[n].bb_index = i;
    }
    if (c->with_pooler) {
        for (i = 0; i < 2; i++, n++) {
            if (!t) continue;
            memset(&t[n], 0, sizeof t[n]);
            mtl__tr_cat(t[n].name, sizeof t[n].name, i ? "pooler.dense.bias" : "pooler.dense.weight", "");
            t[n].ndim = i ? 1 : 2;
            t[n].shape[0] = c->bb.hidden_size;
            t[n].shape[1] = i ? 0 : c->bb.hidden_size;
            t[n].kind = MTL__TR_POOLER;
            t[n].layer = -1;
        }
    }
    for (h = 0; h < 2; h++) {
        const int out = h ? c->n_ner : c->n_cls, hid = h ? c->ner_hidden : c->cls_hidden;
        const char *prefix = h ? c->ner_prefix : c->cls_prefix;
        static const char *const lin[2] = {".weight", ".bias"};
        static const char *const mlp[4] = {".dense.weight", ".dense.bias", ".out_proj.weight", ".out_proj.bias"};
        const int cnt = hid > 0 ? 4 : 2;
        if (out <= 0) continue;
        for (i = 0; i < cnt; i++, n++) {
            int rows, cols;
            if (!t) continue;
            memset(&t[n], 0, sizeof t[n]);
            mtl__tr_cat(t[n].name, sizeof t[n].name, prefix, hid > 0 ? mlp[i] : lin[i]);
            if (hid > 0) { rows = i < 2 ? hid : out; cols = i < 2 ? c->bb.hidden_size : hid; }
            else { rows = out; cols = c->bb.hidden_size; }
            t[n].ndim = i % 2 ? 1 : 2;
            t[n].shape[0] = rows;
            t[n].shape[1] = i % 2 ? 0 : cols;
            t[n].kind = h ? MTL__TR_NER : MTL__TR_CLS;
            t[n].layer = -1;
        }
    }
    if (t) for (i = 0; i < n; i++) t[i].numel = (size_t)t[i].shape[0] * (size_t)(t[i].shape[1] ? t[i].shape[1] : 1);
    return n;
}

static int mtl__tr_config_ok(const mtl_trainer_config *c) {
    const mtl_backbone_config *b = &c->bb;
    return b->vocab_size > 0 && b->hidden_size > 0 && b->n_layers >= 0 && b->n_heads > 0 && b->hidden_size % b->n_heads == 0 &&
           b->intermediate_size > 0 && b->max_position > 0 && b->type_vocab_size > 0 && c->n_cls >= 0 && c->n_ner >= 0 &&
           c->cls_hidden >= 0 && c->ner_hidden >= 0 && c->max_batch > 0 && c->max_len > 0 && c->max_len <= b->max_position &&
           c->cls_prefix[0] && c->ner_prefix[0] && strcmp(c->cls_prefix, c->ner_prefix) != 0;
}

/* ---------------------------------------------------------------------------------------------- */
/* Freeze specs -> per-tensor flags                                                               */
/* ---------------------------------------------------------------------------------------------- */
typedef struct mtl__tr_freeze { int emb, top, cls, ner; } mtl__tr_freeze;   /* emb/cls/ner: 1 = frozen */

static int mtl__tr_term(const char *s, size_t n, const char *lit) { return strlen(lit) == n && memcmp(s, lit, n) == 0; }

static mtl_result mtl__tr_parse_freeze(const mtl_trainer_config *c, const char *spec, size_t len, mtl__tr_freeze *f, mtl_error *err) {
    size_t p = 0;
    f->emb = 0; f->top = c->bb.n_layers; f->cls = 0; f->ner = 0;
    while (p < len) {
        size_t e = p, n;
        const char *s;
        while (e < len && spec[e] != '+' && spec[e] != ',') e++;
        s = spec + p;
        n = e - p;
        while (n && (*s == ' ')) { s++; n--; }
        while (n && s[n - 1] == ' ') n--;
        if (n == 0) {}
        else if (mtl__tr_term(s, n, "none")) { f->emb = 0; f->top = c->bb.n_layers; f->cls = 0; f->ner = 0; }
        else if (mtl__tr_term(s, n, "all")) { f->emb = 1; f->top = 0; f->cls = 1; f->ner = 1; }
        else if (mtl__tr_term(s, n, "backbone")) { f->emb = 1; f->top = 0; }
        else if (mtl__tr_term(s, n, "embeddings")) f->emb = 1;
        else if (mtl__tr_term(s, n, "head:cls")) f->cls = 1;
        else if (mtl__tr_term(s, n, "head:ner")) f->ner = 1;
        else if (n > 4 && memcmp(s, "top:", 4) == 0) {
            long v = 0;
            size_t i;
            for (i = 4; i < n; i++) {
                if (s[i] < '0' || s[i] > '9' || v > 1000000) return mtl__err(err, MTL_ERR_ARG, "freeze: bad term '%.*s'", (int)n, s);
                v = v * 10 + (s[i] - '0');
            }
            if (v > c->bb.n_layers) v = c->bb.n_layers;
            f->emb = 1;
            if ((int)v < f->top) f->top = (int)v;
        } else return mtl__err(err, MTL_ERR_ARG, "freeze: unknown term '%.*s' (none, all, backbone, embeddings, top:N, head:cls, head:ner)", (int)n, s);
        p = e + 1;
    }
    return MTL_OK;
}

static int mtl__tr_flag(const mtl_trainer_config *c, const mtl__tr_tensor *t, const mtl__tr_freeze *f) {
    switch (t->kind) {
    case MTL__TR_BB: return t->layer < 0 ? !f->emb : t->layer >= c->bb.n_layers - f->top;
    case MTL__TR_CLS: return !f->cls;
    case MTL__TR_NER: return !f->ner;
    default: return 0;   /* pooler */
    }
}

/* ---------------------------------------------------------------------------------------------- */
/* Layout (plan and build)                                                                        */
/* ---------------------------------------------------------------------------------------------- */
static size_t mtl__tr_r16(size_t n) { return (n + 15) & ~(size_t)15; }

/* The backbone's superset: top layers any gradient needs, embeddings flag. */
static void mtl__tr_superset(const mtl_trainer_config *c, const mtl__tr_tensor *t, int nt, const int *flags, int *n_top, int *emb) {
    int i, lowest = c->bb.n_layers;
    *emb = 0;
    for (i = 0; i < nt; i++) {
        if (t[i].kind != MTL__TR_BB || !flags[i]) continue;
        if (t[i].layer < 0) *emb = 1;
        else if (t[i].layer < lowest) lowest = t[i].layer;
    }
    *n_top = c->bb.n_layers - lowest;
}

/* Head/loss scratch floats; the pointers are set when base is not NULL. */
static size_t mtl__tr_scratch(mtl_trainer *tr, const mtl_trainer_config *c, int bb_trains, unsigned char *base) {
    const size_t B = (size_t)c->max_batch, T = B * (size_t)c->max_len, H = (size_t)c->bb.hidden_size;
    size_t off = 0;
    mtl_head_config hc;
#define MTL__TR_TAKE(dst, type, count) do { if (base && tr) (dst) = (type *)(void *)(base + off); off += ((count) * 4 + 63) & ~(size_t)63; } while (0)
    if (bb_trains) MTL__TR_TAKE(tr->dlast, float, T * H);
    if (c->n_cls > 0) {
        memset(&hc, 0, sizeof hc);
        hc.in_dim = c->bb.hidden_size; hc.out_dim = c->n_cls; hc.hidden_dim = c->cls_hidden;
        MTL__TR_TAKE(tr->pooled, float, B * H);
        MTL__TR_TAKE(tr->pooled_d, float, B * H);
        MTL__TR_TAKE(tr->dpooled_d, float, B * H);
        MTL__TR_TAKE(tr->dpooled, float, B * H);
        MTL__TR_TAKE(tr->argmax, int32_t, B * H);
        MTL__TR_TAKE(tr->cls_cache, float, mtl_head_cache_floats(&hc, (int)B) + 1);
        MTL__TR_TAKE(tr->cls_logits, float, B * (size_t)c->n_cls);
        MTL__TR_TAKE(tr->cls_dlogits, float, B * (size_t)c->n_cls);
    }
    if (c->n_ner > 0) {
        memset(&hc, 0, sizeof hc);
        hc.in_dim = c->bb.hidden_size; hc.out_dim = c->n_ner; hc.hidden_dim = c->ner_hidden;
        MTL__TR_TAKE(tr->xd, float, T * H);
        if (bb_trains) MTL__TR_TAKE(tr->dxd, float, T * H);
        MTL__TR_TAKE(tr->ner_cache, float, mtl_head_cache_floats(&hc, (int)T) + 1);
        MTL__TR_TAKE(tr->ner_logits, float, T * (size_t)c->n_ner);
        MTL__TR_TAKE(tr->ner_dlogits, float, T * (size_t)c->n_ner);
    }
#undef MTL__TR_TAKE
    return off + 64;
}

/* Counts and bytes for flags (the same arithmetic as the build). */
static void mtl__tr_plan_flags(const mtl_trainer_config *c, const mtl__tr_tensor *t, int nt, const int *flags, mtl_trainer_mem *m) {
    int i, n_top, emb, any_train = 0;
    size_t pn = 0, fn = 0, gs = 0;
    memset(m, 0, sizeof *m);
    mtl__tr_superset(c, t, nt, flags, &n_top, &emb);
    for (i = 0; i < nt; i++) {
        m->n_params += t[i].numel;
        if (flags[i]) { m->n_trainable += t[i].numel; pn += mtl__tr_r16(t[i].numel); any_train = 1; }
        else {
            fn += mtl__tr_r16(t[i].numel);
            if (t[i].kind == MTL__TR_BB && mtl_backbone_tensor_trainable(&c->bb, t[i].bb_index, n_top, emb)) gs += t[i].numel;
        }
    }
    m->param_bytes = (pn + fn) * 4 + (pn ? 64 : 0);
    m->grad_bytes = pn * 4 + gs * 4;
    m->optim_bytes = any_train ? (c->optim.type == MTL_OPTIM_SGD ? 1 : 2) * pn * 4 + 64 : 0;
    m->activation_bytes = mtl_backbone_arena_bytes(&c->bb, c->max_batch, c->max_len, n_top, emb);
    m->head_bytes = mtl__tr_scratch(NULL, c, n_top > 0 || emb, NULL);
    m->total = m->param_bytes + m->grad_bytes + m->optim_bytes + m->activation_bytes + m->head_bytes;
}

static float *mtl__tr_ptr(const mtl_trainer *tr, int i) {
    const mtl__tr_tensor *t = &tr->t[i];
    if (t->pidx >= 0) return tr->P.data + tr->P.t[t->pidx].offset;
    return tr->frozen ? tr->frozen + t->foff : NULL;
}

/* Rebuilds the layout for new flags: tensors move between P and the frozen block with their values;
   optimizer state follows the tensors that stay trainable. */
static mtl_result mtl__tr_layout(mtl_trainer *tr, const int *flags, mtl_error *err) {
    const mtl_trainer_config *c = &tr->cfg;
    mtl_params NP;
    mtl_optim NO;
    float *nfrozen = NULL, *ngs = NULL;
    size_t nfn = 0, ngsn = 0, goff = 0;
    int i, n_top, emb, has_opt = 0, bb_trains;
    mtl_backbone_state nst;
    void *nsmem = NULL;
    size_t nsbytes;
    mtl_result r;
    memset(&NP, 0, sizeof NP);
    memset(&NO, 0, sizeof NO);
    memset(&nst, 0, sizeof nst);
    mtl__tr_superset(c, tr->t, tr->nt, flags, &n_top, &emb);
    bb_trains = n_top > 0 || emb;
    for (i = 0; i < tr->nt; i++) {
        if (flags[i]) {
            int s[2];
            s[0] = tr->t[i].shape[0]; s[1] = tr->t[i].shape[1];
            if ((r = mtl_params_add(&NP, tr->t[i].name, tr->t[i].ndim, s, err)) != MTL_OK) goto fail;
        } else {
            nfn += mtl__tr_r16(tr->t[i].numel);
            if (tr->t[i].kind == MTL__TR_BB && mtl_backbone_tensor_trainable(&c->bb, tr->t[i].bb_index, n_top, emb)) ngsn += tr->t[i].numel;
        }
    }
    if (NP.count && (r = mtl_params_alloc(&NP, err)) != MTL_OK) goto fail;
    if (nfn) {
        nfrozen = (float *)MTL_MALLOC(nfn * sizeof(float));
        if (!nfrozen) { r = mtl__err(err, MTL_ERR_NOMEM, "out of memory (%zu bytes of frozen parameters)", nfn * 4); goto fail; }
        memset(nfrozen, 0, nfn * sizeof(float));
    }
    if (ngsn) {
        ngs = (float *)MTL_MALLOC(ngsn * sizeof(float));
        if (!ngs) { r = mtl__err(err, MTL_ERR_NOMEM, "out of memory"); goto fail; }
        memset(ngs, 0, ngsn * sizeof(float));
    }
    if (NP.count) {
        if ((r = mtl_optim_init(&NO, &c->optim, &NP, err)) != MTL_OK) goto fail;
        has_opt = 1;
        NO.step = tr->opt_step;
    }
    if ((r = mtl_backbone_init(&nst, &c->bb, c->max_batch, c->max_len, n_top, emb, NULL, 0, err)) != MTL_OK) goto fail;
    {
        mtl_trainer tmp;
        memset(&tmp, 0, sizeof tmp);
        nsbytes = mtl__tr_scratch(&tmp, c, bb_trains, NULL);
        nsmem = MTL_MALLOC(nsbytes);
        if (!nsmem) { r = mtl__err(err, MTL_ERR_NOMEM, "out of memory (%zu bytes of head scratch)", nsbytes); goto fail; }
        memset(nsmem, 0, nsbytes);
    }
    /* move values and optimizer state */
    {
        size_t fo = 0;
        int pi = 0;
        for (i = 0; i < tr->nt; i++) {
            mtl__tr_tensor *t = &tr->t[i];
            const float *src = mtl__tr_ptr(tr, i);
            float *dst;
            if (flags[i]) {
                dst = NP.data + NP.t[pi].offset;
                if (src) memcpy(dst, src, t->numel * sizeof(float));
                if (t->pidx >= 0 && tr->has_opt) {
                    const size_t so = tr->P.t[t->pidx].offset, d = NP.t[pi].offset;
                    memcpy(NO.m + d, tr->O.m + so, t->numel * sizeof(float));
                    if (NO.v && tr->O.v) memcpy(NO.v + d, tr->O.v + so, t->numel * sizeof(float));
                }
            } else {
                dst = nfrozen + fo;
                if (src) memcpy(dst, src, t->numel * sizeof(float));
            }
            (void)dst;
            if (flags[i]) pi++;
            else fo += mtl__tr_r16(t->numel);
        }
    }
    /* commit */
    mtl_params_free(&tr->P);
    if (tr->has_opt) mtl_optim_free(&tr->O);
    MTL_FREE(tr->frozen);
    MTL_FREE(tr->gscratch);
    mtl_backbone_free(&tr->st);
    MTL_FREE(tr->smem);
    tr->P = NP;
    tr->O = NO;
    tr->has_opt = has_opt;
    tr->frozen = nfrozen;
    tr->frozen_n = nfn;
    tr->gscratch = ngs;
    tr->gscratch_n = ngsn;
    tr->st = nst;
    tr->smem = nsmem;
    tr->smem_bytes = nsbytes;
    tr->n_top = n_top;
    tr->emb_train = emb;
    tr->bb_trains = bb_trains;
    {
        size_t fo = 0;
        int pi = 0;
        for (i = 0; i < tr->nt; i++) {
            tr->t[i].trainable = flags[i] != 0;
            if (flags[i]) { tr->t[i].pidx = pi++; tr->t[i].foff = 0; }
            else { tr->t[i].pidx = -1; tr->t[i].foff = fo; fo += mtl__tr_r16(tr->t[i].numel); }
        }
    }
    /* groups */
    if (tr->P.count) {
        mtl_group_rule rule = c->lr_rule;
        if (rule.num_layers <= 0) rule.num_layers = c->bb.n_layers;
        if ((r = mtl_params_make_groups(&tr->P, &rule, err)) != MTL_OK) return r;
    }
    /* backbone views */
    tr->bp.layers = tr->bp_layers;
    tr->bg.layers = tr->bg_layers;
    for (i = 0; i < tr->nt; i++) {
        mtl__tr_tensor *t = &tr->t[i];
        float **pv, **gv;
        int shape[2];
        if (t->kind != MTL__TR_BB) continue;
        pv = mtl_backbone_tensor(&tr->bp, &c->bb, t->bb_index, NULL, shape);
        gv = mtl_backbone_tensor(&tr->bg, &c->bb, t->bb_index, NULL, shape);
        *pv = mtl__tr_ptr(tr, i);
        if (t->pidx >= 0) *gv = tr->P.grad + tr->P.t[t->pidx].offset;
        else if (mtl_backbone_tensor_trainable(&c->bb, t->bb_index, n_top, emb)) { *gv = tr->gscratch + goff; goff += t->numel; }
        else *gv = NULL;
    }
    /* heads */
    {
        int h;
        for (h = 0; h < 2; h++) {
            mtl_head *hd = h ? &tr->ner : &tr->cls;
            const int kind = h ? MTL__TR_NER : MTL__TR_CLS;
            float **w[4], **g[4];
            int k = 0, trains = 0;
            memset(hd, 0, sizeof *hd);
            hd->cfg.in_dim = c->bb.hidden_size;
            hd->cfg.out_dim = h ? c->n_ner : c->n_cls;
            hd->cfg.hidden_dim = h ? c->ner_hidden : c->cls_hidden;
            hd->cfg.act = c->head_act;
            hd->cfg.dropout = c->head_dropout;
            w[0] = &hd->w1; w[1] = &hd->b1; w[2] = &hd->w2; w[3] = &hd->b2;
            g[0] = &hd->dw1; g[1] = &hd->db1; g[2] = &hd->dw2; g[3] = &hd->db2;
            for (i = 0; i < tr->nt && k < 4; i++) {
                if (tr->t[i].kind != kind) continue;
                *w[k] = mtl__tr_ptr(tr, i);
                *g[k] = tr->t[i].pidx >= 0 ? tr->P.grad + tr->P.t[tr->t[i].pidx].offset : NULL;
                if (tr->t[i].pidx >= 0) trains = 1;
                k++;
            }
            if (h) tr->ner_trains = trains; else tr->cls_trains = trains;
        }
    }
    {
        unsigned char *base = (unsigned char *)tr->smem;
        base += (64 - (uintptr_t)base % 64) % 64;
        tr->dlast = tr->dxd = NULL;
        mtl__tr_scratch(tr, c, bb_trains, base);
    }
    mtl__ok(err);
    return MTL_OK;
fail:
    mtl_params_free(&NP);
    mtl_optim_free(&NO);
    MTL_FREE(nfrozen);
    MTL_FREE(ngs);
    mtl_backbone_free(&nst);
    MTL_FREE(nsmem);
    return r;
}

MTLDEF mtl_result mtl_trainer_create(mtl_trainer **out, const mtl_trainer_config *c, mtl_error *err) {
    mtl_trainer *tr;
    int *flags, i;
    mtl_result r;
    if (!out) return mtl__err(err, MTL_ERR_ARG, "mtl_trainer_create: no output");
    *out = NULL;
    if (!c || !mtl__tr_config_ok(c)) return mtl__err(err, MTL_ERR_ARG, "mtl_trainer_create: bad config (sizes, max_batch/max_len, head prefixes)");
    tr = (mtl_trainer *)MTL_MALLOC(sizeof *tr);
    if (!tr) return mtl__err(err, MTL_ERR_NOMEM, "out of memory");
    memset(tr, 0, sizeof *tr);
    tr->cfg = *c;
    if (tr->cfg.clip_eps <= 0) tr->cfg.clip_eps = 1e-6;
    tr->nt = mtl__tr_list(c, NULL);
    tr->t = (mtl__tr_tensor *)MTL_MALLOC((size_t)tr->nt * sizeof *tr->t);
    tr->bp_layers = (mtl_layer_params *)MTL_MALLOC((size_t)(c->bb.n_layers + 1) * sizeof(mtl_layer_params));
    tr->bg_layers = (mtl_layer_params *)MTL_MALLOC((size_t)(c->bb.n_layers + 1) * sizeof(mtl_layer_params));
    flags = (int *)MTL_MALLOC((size_t)tr->nt * sizeof(int) + 1);
    if (!tr->t || !tr->bp_layers || !tr->bg_layers || !flags) { MTL_FREE(flags); mtl_trainer_free(tr); return mtl__err(err, MTL_ERR_NOMEM, "out of memory"); }
    memset(tr->bp_layers, 0, (size_t)(c->bb.n_layers + 1) * sizeof(mtl_layer_params));
    memset(tr->bg_layers, 0, (size_t)(c->bb.n_layers + 1) * sizeof(mtl_layer_params));
    mtl__tr_list(c, tr->t);
    for (i = 0; i < tr->nt; i++) { tr->t[i].pidx = -1; flags[i] = tr->t[i].kind != MTL__TR_POOLER; }
    r = mtl__tr_layout(tr, flags, err);
    MTL_FREE(flags);
    if (r) { mtl_trainer_free(tr); return r; }
    *out = tr;
    return MTL_OK;
}

MTLDEF void mtl_trainer_free(mtl_trainer *tr) {
    if (!tr) return;
    mtl_params_free(&tr->P);
    if (tr->has_opt) mtl_optim_free(&tr->O);
    MTL_FREE(tr->frozen);
    MTL_FREE(tr->gscratch);
    mtl_backbone_free(&tr->st);
    MTL_FREE(tr->smem);
    MTL_FREE(tr->t);
    MTL_FREE(tr->bp_layers);
    MTL_FREE(tr->bg_layers);
    MTL_FREE(tr);
}

MTLDEF const mtl_trainer_config *mtl_trainer_get_config(const mtl_trainer *tr) { return tr ? &tr->cfg : NULL; }
MTLDEF int mtl_trainer_n_tensors(const mtl_trainer *tr) { return tr ? tr->nt : 0; }
MTLDEF const char *mtl_trainer_tensor_info(const mtl_trainer *tr, int i, int *ndim, int shape[2], size_t *numel, int *trainable) {
    if (!tr || i < 0 || i >= tr->nt) return NULL;
    if (ndim) *ndim = tr->t[i].ndim;
    if (shape) { shape[0] = tr->t[i].shape[0]; shape[1] = tr->t[i].shape[1]; }
    if (numel) *numel = tr->t[i].numel;
    if (trainable) *trainable = tr->t[i].trainable;
    return tr->t[i].name;
}
MTLDEF int mtl_trainer_find(const mtl_trainer *tr, const char *name) {
    int i;
    if (!tr || !name) return -1;
    if (strncmp(name, "bert.", 5) == 0) name += 5;
    for (i = 0; i < tr->nt; i++) if (strcmp(tr->t[i].name, name) == 0) return i;
    return -1;
}
MTLDEF float *mtl_trainer_data(mtl_trainer *tr, int i) { return tr && i >= 0 && i < tr->nt ? mtl__tr_ptr(tr, i) : NULL; }
MTLDEF float *mtl_trainer_grad(mtl_trainer *tr, int i) {
    if (!tr || i < 0 || i >= tr->nt || tr->t[i].pidx < 0) return NULL;
    return tr->P.grad + tr->P.t[tr->t[i].pidx].offset;
}
MTLDEF mtl_params *mtl_trainer_params(mtl_trainer *tr) { return tr ? &tr->P : NULL; }
MTLDEF void mtl_trainer_set_training(mtl_trainer *tr, int training) { if (tr) tr->training = training != 0; }
MTLDEF long mtl_trainer_step_count(const mtl_trainer *tr) { return tr ? tr->step : 0; }
MTLDEF const float *mtl_trainer_cls_logits(const mtl_trainer *tr) { return tr ? tr->cls_logits : NULL; }
MTLDEF const float *mtl_trainer_ner_logits(const mtl_trainer *tr) { return tr ? tr->ner_logits : NULL; }
MTLDEF const float *mtl_trainer_hidden(const mtl_trainer *tr, int k) { return tr ? mtl_backbone_hidden(&tr->st, k) : NULL; }

/* ---------------------------------------------------------------------------------------------- */
/* Loading weights                                                                                */
/* ---------------------------------------------------------------------------------------------- */
static float mtl__tr_f16(uint16_t h) {
    const uint32_t s = (uint32_t)(h >> 15) << 31, e = (h >> 10) & 31, m = h & 1023u;
    uint32_t u;
    float f;
    if (e == 0) {
        f = (float)m * (1.0f / 16777216.0f);      /* subnormal: m * 2^-24 (exact) */
        return s ? -f : f;
    }
    if (e == 31) u = s | 0x7F800000u | (m << 13);
    else u = s | ((e + 112) << 23) | (m << 13);
    memcpy(&f, &u, 4);
    return f;
}

MTLDEF mtl_result mtl_trainer_load_safetensors(mtl_trainer *tr, const void *buf, size_t len, int *n_loaded, mtl_error *err) {
    const unsigned char *b = (const unsigned char *)buf;
    uint64_t hl = 0;
    mtl__json j;
    int k, node, count = 0;
    if (n_loaded) *n_loaded = 0;
    if (!tr || !b || len < 8) return mtl__err(err, MTL_ERR_FORMAT, "safetensors: too short");
    for (k = 0; k < 8; k++) hl |= (uint64_t)b[k] << (8 * k);
    if (hl > len - 8) return mtl__err(err, MTL_ERR_FORMAT, "safetensors: bad header length");
    if (mtl__json_parse(&j, (const char *)b + 8, (size_t)hl) != 0 || mtl__json_type(&j, 0) != MTL__J_OBJ) {
        mtl__json_free(&j);
        return mtl__err(err, MTL_ERR_FORMAT, "safetensors: bad JSON header");
    }
    for (node = j.nodes[0].child; node >= 0; node = j.nodes[node].next) {
        char name[160];
        size_t kl = j.nodes[node].kend - j.nodes[node].kstart, numel, esz, i;
        int ti, sh, off, c, nd = 0, es;
        long dims[4] = {0, 0, 0, 0}, b0, b1;
        const unsigned char *src;
        float *dst;
        if (kl >= sizeof name) continue;
        memcpy(name, j.s + j.nodes[node].kstart, kl);
        name[kl] = 0;
        if (strcmp(name, "__metadata__") == 0) continue;
        if ((tr->cfg.hf_classifier == MTL_TASK_CLS || tr->cfg.hf_classifier == MTL_TASK_NER) && strncmp(name, "classifier.", 11) == 0) {
            char mapped[160];
            mtl__tr_cat(mapped, sizeof mapped, tr->cfg.hf_classifier == MTL_TASK_CLS ? tr->cfg.cls_prefix : tr->cfg.ner_prefix, name + 10);
            ti = mtl_trainer_find(tr, mapped);
        } else ti = mtl_trainer_find(tr, name);
        if (ti < 0) continue;
        sh = mtl__json_get(&j, node, "shape");
        for (c = sh >= 0 ? j.nodes[sh].child : -1; c >= 0; c = j.nodes[c].next) {
            long v;
            if (nd < 4 && mtl__json_int(&j, c, 0, 1L << 40, &v)) dims[nd] = v;
            nd++;
        }
        if (nd != tr->t[ti].ndim || dims[0] != tr->t[ti].shape[0] || (nd == 2 && dims[1] != tr->t[ti].shape[1])) {
            mtl__json_free(&j);
            return mtl__err(err, MTL_ERR_SHAPE, "safetensors: %s has another shape than the model's", name);
        }
        es = mtl__json_streq(&j, mtl__json_get(&j, node, "dtype"), "F32") ? 4
           : mtl__json_streq(&j, mtl__json_get(&j, node, "dtype"), "F16") ? 2
           : mtl__json_streq(&j, mtl__json_get(&j, node, "dtype"), "BF16") ? 3 : 0;
        if (!es) { mtl__json_free(&j); return mtl__err(err, MTL_ERR_UNSUPPORTED, "safetensors: %s: dtype not F32/F16/BF16", name); }
        esz = es == 4 ? 4 : 2;
        numel = tr->t[ti].numel;
        off = mtl__json_get(&j, node, "data_offsets");
        if (off < 0 || j.nodes[off].count != 2 || !mtl__json_int(&j, j.nodes[off].child, 0, 1L << 50, &b0) ||
            !mtl__json_int(&j, j.nodes[j.nodes[off].child].next, 0, 1L << 50, &b1) || b1 < b0 ||
            (size_t)(b1 - b0) != numel * esz || (size_t)b1 > len - 8 - (size_t)hl) {
            mtl__json_free(&j);
            return mtl__err(err, MTL_ERR_FORMAT, "safetensors: %s: bad data_offsets", name);
        }
        src = b + 8 + hl + b0;
        dst = mtl__tr_ptr(tr, ti);
        for (i = 0; i < numel; i++) {
            const unsigned char *q = src + i * esz;
            if (es == 4) {
                uint32_t u = (uint32_t)q[0] | (uint32_t)q[1] << 8 | (uint32_t)q[2] << 16 | (uint32_t)q[3] << 24;
                memcpy(&dst[i], &u, 4);
            } else if (es == 2) {
                dst[i] = mtl__tr_f16((uint16_t)(q[0] | q[1] << 8));
            } else {
                uint32_t u = ((uint32_t)q[0] | (uint32_t)q[1] << 8) << 16;
                memcpy(&dst[i], &u, 4);
            }
        }
        count++;
    }
    mtl__json_free(&j);
    if (n_loaded) *n_loaded = count;
    mtl__ok(err);
    return MTL_OK;
}

/* N(0,1) from a counter (Box-Muller on two uniforms) */
static float mtl__tr_normal(uint64_t seed, uint64_t i) {
    double u1 = ((double)mtl_rand_uniform(seed, 2 * i) + 0.5 / 16777216.0), u2 = (double)mtl_rand_uniform(seed, 2 * i + 1);
    return (float)(sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2));
}

MTLDEF void mtl_trainer_init_heads(mtl_trainer *tr, uint64_t seed, float std) {
    int i;
    size_t k;
    if (!tr) return;
    for (i = 0; i < tr->nt; i++) {
        float *d;
        if (tr->t[i].kind != MTL__TR_CLS && tr->t[i].kind != MTL__TR_NER) continue;
        d = mtl__tr_ptr(tr, i);
        for (k = 0; k < tr->t[i].numel; k++)
            d[k] = tr->t[i].ndim == 1 ? 0.0f : std * mtl__tr_normal(mtl_rand_seed(seed, (uint64_t)i, 77), k);
    }
}

/* ---------------------------------------------------------------------------------------------- */
/* Freezing                                                                                       */
/* ---------------------------------------------------------------------------------------------- */
static mtl_result mtl__tr_apply_flags(mtl_trainer *tr, int *flags, mtl_error *err) {
    int i, same = 1;
    for (i = 0; i < tr->nt; i++) {
        if (tr->t[i].kind == MTL__TR_POOLER) flags[i] = 0;
        if ((flags[i] != 0) != tr->t[i].trainable) same = 0;
    }
    if (tr->has_opt) tr->opt_step = tr->O.step;
    if (same) { mtl__ok(err); return MTL_OK; }
    return mtl__tr_layout(tr, flags, err);
}

MTLDEF mtl_result mtl_trainer_freeze(mtl_trainer *tr, const char *spec, mtl_error *err) {
    mtl__tr_freeze f;
    int *flags, i;
    mtl_result r;
    if (!tr || !spec) return mtl__err(err, MTL_ERR_ARG, "mtl_trainer_freeze: bad argument");
    if ((r = mtl__tr_parse_freeze(&tr->cfg, spec, strlen(spec), &f, err)) != MTL_OK) return r;
    flags = (int *)MTL_MALLOC((size_t)tr->nt * sizeof(int) + 1);
    if (!flags) return mtl__err(err, MTL_ERR_NOMEM, "out of memory");
    for (i = 0; i < tr->nt; i++) flags[i] = mtl__tr_flag(&tr->cfg, &tr->t[i], &f);
    r = mtl__tr_apply_flags(tr, flags, err);
    MTL_FREE(flags);
    return r;
}

MTLDEF mtl_result mtl_trainer_set_trainable(mtl_trainer *tr, const char *const *names, int n, mtl_error *err) {
    int *flags, i;
    mtl_result r;
    if (!tr || (n > 0 && !names)) return mtl__err(err, MTL_ERR_ARG, "mtl_trainer_set_trainable: bad argument");
    flags = (int *)MTL_MALLOC((size_t)tr->nt * sizeof(int) + 1);
    if (!flags) return mtl__err(err, MTL_ERR_NOMEM, "out of memory");
    for (i = 0; i < tr->nt; i++) flags[i] = 0;
    for (i = 0; i < n; i++) {
        int k = mtl_trainer_find(tr, names[i]);
        if (k < 0) { MTL_FREE(flags); return mtl__err(err, MTL_ERR_ARG, "set_trainable: no tensor %s", names[i]); }
        flags[k] = 1;
    }
    r = mtl__tr_apply_flags(tr, flags, err);
    MTL_FREE(flags);
    return r;
}

/* "E:spec,E:spec,...": a new entry starts at a ',' followed by digits and ':' */
MTLDEF mtl_result mtl_trainer_apply_epoch(mtl_trainer *tr, const char *g, int epoch, mtl_error *err) {
    size_t p = 0, n;
    long best_e = -1;
    size_t best_s = 0, best_n = 0;
    mtl__tr_freeze f;
    mtl_result r;
    int *flags, i;
    if (!tr || !g) return mtl__err(err, MTL_ERR_ARG, "mtl_trainer_apply_epoch: bad argument");
    n = strlen(g);
    while (p < n) {
        long e = 0;
        size_t q = p, s, end;
        while (q < n && g[q] == ' ') q++;
        if (q >= n || g[q] < '0' || g[q] > '9') return mtl__err(err, MTL_ERR_ARG, "gradual: expected '<epoch>:<freeze spec>' at '%s'", g + p);
        while (q < n && g[q] >= '0' && g[q] <= '9' && e < 1000000) e = e * 10 + (g[q++] - '0');
        if (q >= n || g[q] != ':') return mtl__err(err, MTL_ERR_ARG, "gradual: expected ':' after the epoch at '%s'", g + p);
        s = ++q;
        end = s;
        for (;;) {
            size_t d;
            while (end < n && g[end] != ',') end++;
            if (end >= n) break;
            d = end + 1;
            while (d < n && g[d] == ' ') d++;
            if (d < n && g[d] >= '0' && g[d] <= '9') {
                size_t x = d;
                while (x < n && g[x] >= '0' && g[x] <= '9') x++;
                if (x < n && g[x] == ':') break;   /* the ',' ends the spec only before "<epoch>:" */
            }
            end++;
        }
        if ((r = mtl__tr_parse_freeze(&tr->cfg, g + s, end - s, &f, err)) != MTL_OK) return r;
        if (e <= epoch && e >= best_e) { best_e = e; best_s = s; best_n = end - s; }
        p = end < n ? end + 1 : n;
    }
    if (best_e < 0) { mtl__ok(err); return MTL_OK; }
    if ((r = mtl__tr_parse_freeze(&tr->cfg, g + best_s, best_n, &f, err)) != MTL_OK) return r;
    flags = (int *)MTL_MALLOC((size_t)tr->nt * sizeof(int) + 1);
    if (!flags) return mtl__err(err, MTL_ERR_NOMEM, "out of memory");
    for (i = 0; i < tr->nt; i++) flags[i] = mtl__tr_flag(&tr->cfg, &tr->t[i], &f);
    r = mtl__tr_apply_flags(tr, flags, err);
    MTL_FREE(flags);
    return r;
}

MTLDEF mtl_result mtl_trainer_plan(const mtl_trainer_config *c, const char *freeze, mtl_trainer_mem *out, mtl_error *err) {
    mtl__tr_tensor *t;
    mtl__tr_freeze f;
    int *flags, n, i;
    mtl_result r;
    if (!c || !out || !mtl__tr_config_ok(c)) return mtl__err(err, MTL_ERR_ARG, "mtl_trainer_plan: bad config");
    if ((r = mtl__tr_parse_freeze(c, freeze ? freeze : "none", freeze ? strlen(freeze) : 4, &f, err)) != MTL_OK) return r;
    n = mtl__tr_list(c, NULL);
    t = (mtl__tr_tensor *)MTL_MALLOC((size_t)n * sizeof *t + 1);
    flags = (int *)MTL_MALLOC((size_t)n * sizeof(int) + 1);
    if (!t || !flags) { MTL_FREE(t); MTL_FREE(flags); return mtl__err(err, MTL_ERR_NOMEM, "out of memory"); }
    memset(flags, 0, (size_t)n * sizeof(int) + 1);
    mtl__tr_list(c, t);
    for (i = 0; i < n; i++) flags[i] = mtl__tr_flag(c, &t[i], &f);
    mtl__tr_plan_flags(c, t, n, flags, out);
    MTL_FREE(t);
    MTL_FREE(flags);
    mtl__ok(err);
    return MTL_OK;
}

MTLDEF void mtl_trainer_memory(const mtl_trainer *tr, mtl_trainer_mem *m) {
    int i;
    memset(m, 0, sizeof *m);
    if (!tr) return;
    for (i = 0; i < tr->nt; i++) {
        m->n_params += tr->t[i].numel;
        if (tr->t[i].trainable) m->n_trainable += tr->t[i].numel;
    }
    m->param_bytes = (tr->P.n + tr->frozen_n) * 4 + (tr->P.n ? 64 : 0);
    m->grad_bytes = tr->P.n * 4 + tr->gscratch_n * 4;
    m->optim_bytes = tr->has_opt ? (tr->O.v ? 2 : 1) * tr->O.n * 4 + 64 : 0;
    m->activation_bytes = tr->st.mem_size;
    m->head_bytes = tr->smem_bytes;
    m->total = m->param_bytes + m->grad_bytes + m->optim_bytes + m->activation_bytes + m->head_bytes;
}

/* ---------------------------------------------------------------------------------------------- */
/* The step                                                                                       */
/* ---------------------------------------------------------------------------------------------- */
enum { MTL__TR_SITE_CLS_IN = 1, MTL__TR_SITE_CLS_HEAD = 2, MTL__TR_SITE_NER_IN = 3, MTL__TR_SITE_NER_HEAD = 4, MTL__TR_SITE_SAMPLE = 5,
       MTL__TR_SITE_BACKBONE = 6 };

/* forward (+ backward when grad) of one micro-batch for the tasks in `tasks` (and in the batch) */
static mtl_result mtl__tr_run(mtl_trainer *tr, const mtl_batch *b, int tasks, float scale, int grad, mtl_step_stats *out, mtl_error *err) {
    const mtl_trainer_config *c = &tr->cfg;
    const int H = c->bb.hidden_size, training = tr->training;
    int B, L, do_cls, do_ner, bb_grad;
    size_t T, TH;
    const float *last;
    float lcls = 0.0f, lner = 0.0f;
    uint64_t ctr;
    mtl_ce_options o;
    mtl_result r;
    if (!b || !b->ids || b->B < 1 || b->L < 1) return mtl__err(err, MTL_ERR_ARG, "bad batch");
    B = b->B; L = b->L;
    if (B > c->max_batch || L > c->max_len) return mtl__err(err, MTL_ERR_SHAPE, "batch [%d, %d] exceeds max [%d, %d]", B, L, c->max_batch, c->max_len);
    do_cls = (tasks & MTL_TASK_CLS) && b->cls_labels && c->n_cls > 0;
    do_ner = (tasks & MTL_TASK_NER) && b->ner_labels && c->n_ner > 0;
    T = (size_t)B * (size_t)L;
    TH = T * (size_t)H;
    ctr = tr->rng_counter;
    if (training) tr->rng_counter++;
    mtl_backbone_set_dropout(&tr->st, c->hidden_dropout, c->attn_dropout, mtl_rand_seed(c->seed, ctr, MTL__TR_SITE_BACKBONE), training);
    if ((r = mtl_backbone_forward(&tr->st, &tr->bp, b->ids, b->types, b->mask, B, L, err)) != MTL_OK) return r;
    tr->last_B = B; tr->last_L = L;
    last = mtl_backbone_hidden(&tr->st, c->bb.n_layers);
    bb_grad = grad && tr->bb_trains && (do_cls || do_ner);
    if (bb_grad) memset(tr->dlast, 0, TH * sizeof(float));
    memset(&o, 0, sizeof o);
    o.ignore_index = c->ignore_index;
    o.label_smoothing = c->label_smoothing;
    if (do_cls) {
        const uint64_t s_in = mtl_rand_seed(c->seed, ctr, MTL__TR_SITE_CLS_IN), s_h = mtl_rand_seed(c->seed, ctr, MTL__TR_SITE_CLS_HEAD);
        const size_t BH = (size_t)B * (size_t)H;
        const int32_t *mask = b->mask;
        if (c->pooling == MTL_HPOOL_CLS) mtl_pool_cls_forward(tr->pooled, last, B, L, H);
        else if (c->pooling == MTL_HPOOL_MAX) mtl_pool_max_forward(tr->pooled, tr->argmax, last, mask, B, L, H);
        else mtl_pool_mean_forward(tr->pooled, last, mask, B, L, H);
        mtl_dropout_forward(tr->pooled_d, tr->pooled, BH, c->classifier_dropout, s_in, training);
        mtl_head_forward(&tr->cls, tr->cls_logits, tr->pooled_d, B, tr->cls_cache, training, s_h);
        o.class_weight = c->cls_class_weight;
        if ((r = mtl_cross_entropy(&lcls, grad ? tr->cls_dlogits : NULL, tr->cls_logits, b->cls_labels, B, c->n_cls, &o,
                                   (float)(c->cls_weight * (double)scale), NULL, err)) != MTL_OK) return r;
        if (grad && (tr->cls_trains || bb_grad)) {
            if (bb_grad) memset(tr->dpooled_d, 0, BH * sizeof(float));
            mtl_head_backward(&tr->cls, bb_grad ? tr->dpooled_d : NULL, tr->cls_dlogits, tr->pooled_d, B, tr->cls_cache, training, s_h);
            if (bb_grad) {
                memset(tr->dpooled, 0, BH * sizeof(float));
                mtl_dropout_backward(tr->dpooled, tr->dpooled_d, BH, c->classifier_dropout, s_in, training);
                if (c->pooling == MTL_HPOOL_CLS) mtl_pool_cls_backward(tr->dlast, tr->dpooled, B, L, H);
                else if (c->pooling == MTL_HPOOL_MAX) mtl_pool_max_backward(tr->dlast, tr->dpooled, tr->argmax, B, L, H);
                else mtl_pool_mean_backward(tr->dlast, tr->dpooled, mask, B, L, H);
            }
        }
    }
    if (do_ner) {
        const uint64_t s_in = mtl_rand_seed(c->seed, ctr, MTL__TR_SITE_NER_IN), s_h = mtl_rand_seed(c->seed, ctr, MTL__TR_SITE_NER_HEAD);
        mtl_dropout_forward(tr->xd, last, TH, c->classifier_dropout, s_in, training);
        mtl_head_forward(&tr->ner, tr->ner_logits, tr->xd, (int)T, tr->ner_cache, training, s_h);
        o.class_weight = c->ner_class_weight;
        if ((r = mtl_cross_entropy(&lner, grad ? tr->ner_dlogits : NULL, tr->ner_logits, b->ner_labels, (int)T, c->n_ner, &o,
                                   (float)(c->ner_weight * (double)scale), NULL, err)) != MTL_OK) return r;
        if (grad && (tr->ner_trains || bb_grad)) {
            if (bb_grad) memset(tr->dxd, 0, TH * sizeof(float));
            mtl_head_backward(&tr->ner, bb_grad ? tr->dxd : NULL, tr->ner_dlogits, tr->xd, (int)T, tr->ner_cache, training, s_h);
            if (bb_grad) mtl_dropout_backward(tr->dlast, tr->dxd, TH, c->classifier_dropout, s_in, training);
        }
    }
    if (bb_grad && (r = mtl_backbone_backward(&tr->st, &tr->bp, &tr->bg, tr->dlast, NULL, err)) != MTL_OK) return r;
    if (out) {
        out->loss_cls = lcls;
        out->loss_ner = lner;
        out->tasks = (do_cls ? MTL_TASK_CLS : 0) | (do_ner ? MTL_TASK_NER : 0);
        if (do_cls && do_ner) out->loss = mtl_multitask_loss(c->cls_weight, lcls, c->ner_weight, lner);
        else if (do_cls) out->loss = (float)c->cls_weight * lcls;
        else if (do_ner) out->loss = (float)c->ner_weight * lner;
        else out->loss = 0.0f;
    }
    mtl__ok(err);
    return MTL_OK;
}

MTLDEF mtl_result mtl_trainer_accumulate(mtl_trainer *tr, const mtl_batch *b, int tasks, float scale, mtl_step_stats *st, mtl_error *err) {
    if (!tr) return mtl__err(err, MTL_ERR_ARG, "no trainer");
    return mtl__tr_run(tr, b, tasks, scale, 1, st, err);
}

MTLDEF mtl_result mtl_trainer_eval(mtl_trainer *tr, const mtl_batch *b, mtl_step_stats *st, mtl_error *err) {
    int training;
    mtl_result r;
    if (!tr) return mtl__err(err, MTL_ERR_ARG, "no trainer");
    training = tr->training;
    tr->training = 0;
    r = mtl__tr_run(tr, b, MTL_TASK_BOTH, 1.0f, 0, st, err);
    tr->training = training;
    return r;
}

MTLDEF mtl_result mtl_trainer_update(mtl_trainer *tr, mtl_step_stats *st, mtl_error *err) {
    float total = 0.0f, coef = 1.0f;
    double lam;
    mtl_result r;
    if (!tr) return mtl__err(err, MTL_ERR_ARG, "no trainer");
    lam = mtl_schedule_lambda(&tr->cfg.schedule, tr->step);
    if (tr->has_opt) {
        if (tr->cfg.clip_norm > 0) coef = mtl_clip_grad_norm(&tr->P, (float)tr->cfg.clip_norm, (float)tr->cfg.clip_eps, &total);
        else total = mtl_grad_norm(&tr->P);
        if ((r = mtl_optim_step(&tr->O, &tr->P, lam, err)) != MTL_OK) return r;
        tr->opt_step = tr->O.step;
        mtl_params_zero_grad(&tr->P);
    }
    tr->step++;
    if (st) { st->grad_norm = total; st->clip_coef = coef; st->lr_scale = lam; st->step = tr->step; }
    mtl__ok(err);
    return MTL_OK;
}

MTLDEF mtl_result mtl_trainer_step(mtl_trainer *tr, const mtl_batch *micro, int n, mtl_step_stats *st, mtl_error *err) {
    int i;
    mtl_result r;
    if (!tr || !micro || n < 1) return mtl__err(err, MTL_ERR_ARG, "mtl_trainer_step: bad argument");
    mtl_params_zero_grad(&tr->P);
    for (i = 0; i < n; i++)
        if ((r = mtl__tr_run(tr, &micro[i], MTL_TASK_BOTH, 1.0f / (float)n, 1, st, err)) != MTL_OK) return r;
    return mtl_trainer_update(tr, st, err);
}

/* ---------------------------------------------------------------------------------------------- */
/* Multi-task schedules                                                                           */
/* ---------------------------------------------------------------------------------------------- */
MTLDEF mtl_result mtl_mt_parse(mtl_mt_schedule *s, const char *name, mtl_error *err) {
    if (!s || !name) return mtl__err(err, MTL_ERR_ARG, "mtl_mt_parse: bad argument");
    if (!strcmp(name, "combined")) s->mode = MTL_MT_COMBINED;
    else if (!strcmp(name, "alternate")) s->mode = MTL_MT_ALTERNATE;
    else if (!strcmp(name, "sample")) s->mode = MTL_MT_SAMPLE;
    else if (!strcmp(name, "separate")) s->mode = MTL_MT_SEPARATE;
    else return mtl__err(err, MTL_ERR_ARG, "unknown multi-task schedule '%s' (combined, alternate, sample, separate)", name);
    mtl__ok(err);
    return MTL_OK;
}

MTLDEF int mtl_mt_tasks(const mtl_mt_schedule *s, long step) {
    if (!s) return MTL_TASK_BOTH;
    switch (s->mode) {
    case MTL_MT_ALTERNATE: return step % 2 == 0 ? MTL_TASK_CLS : MTL_TASK_NER;
    case MTL_MT_SAMPLE:
        return (double)mtl_rand_uniform(mtl_rand_seed(s->seed, (uint64_t)step, MTL__TR_SITE_SAMPLE), 0) < s->p_cls ? MTL_TASK_CLS : MTL_TASK_NER;
    case MTL_MT_SEPARATE: {
        long n_cls = (long)floor(s->p_cls * (double)s->total_steps + 0.5);
        return step < n_cls ? MTL_TASK_CLS : MTL_TASK_NER;
    }
    default: return MTL_TASK_BOTH;
    }
}

MTLDEF mtl_result mtl_trainer_step_mt(mtl_trainer *tr, const mtl_mt_schedule *s, const mtl_batch *cb, const mtl_batch *nb,
                                      mtl_step_stats *st, mtl_error *err) {
    int tasks;
    mtl_result r;
    mtl_step_stats a, b2;
    if (!tr) return mtl__err(err, MTL_ERR_ARG, "no trainer");
    tasks = mtl_mt_tasks(s, tr->step);
    memset(&a, 0, sizeof a);
    memset(&b2, 0, sizeof b2);
    mtl_params_zero_grad(&tr->P);
    if (cb && cb == nb) {
        if ((r = mtl__tr_run(tr, cb, tasks, 1.0f, 1, &a, err)) != MTL_OK) return r;
    } else {
        if ((tasks & MTL_TASK_CLS) && cb && (r = mtl__tr_run(tr, cb, MTL_TASK_CLS, 1.0f, 1, &a, err)) != MTL_OK) return r;
        if ((tasks & MTL_TASK_NER) && nb && (r = mtl__tr_run(tr, nb, MTL_TASK_NER, 1.0f, 1, &b2, err)) != MTL_OK) return r;
        a.loss_ner = b2.loss_ner;
        a.tasks |= b2.tasks;
        if (a.tasks == MTL_TASK_BOTH) a.loss = mtl_multitask_loss(tr->cfg.cls_weight, a.loss_cls, tr->cfg.ner_weight, a.loss_ner);
        else if (a.tasks == MTL_TASK_NER) a.loss = b2.loss;
    }
    if ((r = mtl_trainer_update(tr, &a, err)) != MTL_OK) return r;
    if (st) *st = a;
    return MTL_OK;
}

/* ---------------------------------------------------------------------------------------------- */
/* Checkpoints: GGUF v3 blobs written by mtl_bert.h's writer (see CHECKPOINTS at the top)          */
/* ---------------------------------------------------------------------------------------------- */
#ifndef MTL_NO_STDIO
typedef mtl__wbuf mtl__tr_buf;   /* the export's buffers */
static void mtl__tr_put(mtl__tr_buf *b, const void *p, size_t n) { mtl__wb_put(b, p, n); }
static void mtl__tr_put_u64(mtl__tr_buf *b, uint64_t v) { mtl__wb_u64(b, v); }
static void mtl__tr_put_f32(mtl__tr_buf *b, const float *f, size_t n) { mtl__wb_f32s(b, f, n); }
#endif

/* The blob name of trainer tensor t (mtl_bert.h's names for the backbone and the pooler,
   mtl.head.{cls,ner}.<suffix> for the heads). */
static void mtl__tr_gguf_name(const mtl_trainer_config *c, const mtl__tr_tensor *t, char *out, size_t cap) {
    static const char *const hfn[8] = {"attention.self.query", "attention.self.key", "attention.self.value",
                                       "attention.output.dense", "attention.output.LayerNorm", "intermediate.dense",
                                       "output.dense", "output.LayerNorm"};
    static const char *const ggn[8] = {"attn_q", "attn_k", "attn_v", "attn_output", "attn_output_norm", "ffn_up",
                                       "ffn_down", "layer_output_norm"};
    const char *n = t->name;
    int k;
    if (t->kind == MTL__TR_CLS || t->kind == MTL__TR_NER) {
        mtl__tr_cat(out, cap, t->kind == MTL__TR_CLS ? "mtl.head.cls" : "mtl.head.ner", n + strlen(t->kind == MTL__TR_CLS ? c->cls_prefix : c->ner_prefix));
        return;
    }
    if (t->kind == MTL__TR_POOLER) { mtl__tr_cat(out, cap, "mtl.pooler", n + strlen("pooler.dense")); return; }
    if (!strcmp(n, "embeddings.word_embeddings.weight")) { mtl__tr_cat(out, cap, "token_embd.weight", ""); return; }
    if (!strcmp(n, "embeddings.position_embeddings.weight")) { mtl__tr_cat(out, cap, "position_embd.weight", ""); return; }
    if (!strcmp(n, "embeddings.token_type_embeddings.weight")) { mtl__tr_cat(out, cap, "token_types.weight", ""); return; }
    if (!strncmp(n, "embeddings.LayerNorm", 20)) { mtl__tr_cat(out, cap, "token_embd_norm", n + 20); return; }
    if (!strncmp(n, "encoder.layer.", 14)) {
        const char *p = n + 14, *dot = strchr(p, '.');
        char pre[48];
        size_t ln = dot ? (size_t)(dot - p) : 0;
        if (dot && ln < 16) {
            for (k = 0; k < 8; k++) {
                size_t hl = strlen(hfn[k]);
                if (!strncmp(dot + 1, hfn[k], hl) && dot[1 + hl] == '.') {
                    memcpy(pre, "blk.", 4);
                    memcpy(pre + 4, p, ln);
                    pre[4 + ln] = '.';
                    pre[5 + ln] = 0;
                    mtl__tr_cat(out, cap, pre, ggn[k]);
                    mtl__tr_cat(pre, sizeof pre, out, "");
                    mtl__tr_cat(out, cap, pre, dot + 1 + hl);
                    return;
                }
            }
        }
    }
    mtl__tr_cat(out, cap, "mtl.extra.", n);   /* not reached with the trainer's tensor list */
}
/* ggml dims of t: ne0 fastest (torch [rows, cols] -> [cols, rows]) */
static void mtl__tr_ne(const mtl__tr_tensor *t, uint64_t *ne0, uint64_t *ne1) {
    if (t->ndim == 2) { *ne0 = (uint64_t)t->shape[1]; *ne1 = (uint64_t)t->shape[0]; }
    else { *ne0 = (uint64_t)t->shape[0]; *ne1 = 1; }
}
static const char *mtl__tr_optim_name(mtl_optim_type t) { return t == MTL_OPTIM_SGD ? "sgd" : t == MTL_OPTIM_ADAM ? "adam" : "adamw"; }
static const char *mtl__tr_sched_name(mtl_schedule_type t) { return t == MTL_SCHED_CONSTANT ? "constant" : t == MTL_SCHED_COSINE ? "cosine" : "linear"; }

/* Builds the checkpoint: *meta (header + key/values + tensor infos, checksum patched in) and g->data. */
static mtl_result mtl__tr_build(const mtl_trainer *tr, mtl__gw *g, mtl__wbuf *meta, mtl_error *err) {
    const mtl_trainer_config *c = &tr->cfg;
    mtl__gw_bert bk;
    char nm[160], key[200];
    int i, h, n_tr = 0;
    size_t ck_pos;
    mtl_result r;
    memset(g, 0, sizeof *g);
    memset(&bk, 0, sizeof bk);
    bk.name = "mtl checkpoint";
    bk.hidden_size = c->bb.hidden_size; bk.intermediate_size = c->bb.intermediate_size; bk.n_layers = c->bb.n_layers;
    bk.n_heads = c->bb.n_heads; bk.max_position = c->bb.max_position; bk.type_vocab_size = c->bb.type_vocab_size;
    bk.layer_norm_eps = c->bb.layer_norm_eps;
    bk.pooling = c->pooling == MTL_HPOOL_CLS ? MTL_POOL_CLS : c->pooling == MTL_HPOOL_MAX ? MTL_POOL_MAX : MTL_POOL_MEAN;
    bk.normalize = c->embed_normalize;
    bk.max_seq_length = c->max_len;
    mtl__gw_bert_keys(g, &bk);
    mtl__gw_tokenizer(g, c->tokenizer, c->bb.type_vocab_size);
    mtl__gw_embed_keys(g, &bk);
    /* heads and label maps */
    for (h = 0; h < 2; h++) {
        const int nl = h ? c->n_ner : c->n_cls, hid = h ? c->ner_hidden : c->cls_hidden;
        const char *const *labels = h ? c->ner_labels : c->cls_labels;
        const char *base = h ? "mtl.head.ner." : "mtl.head.cls.";
#define MTL__TR_KEY(suffix) (mtl__tr_cat(key, sizeof key, base, suffix), key)
        if (nl <= 0) continue;
        mtl__gw_str(g, MTL__TR_KEY("kind"), h ? "token_classification" : "sequence_classification");
        mtl__gw_u32(g, MTL__TR_KEY("num_labels"), (uint32_t)nl);
        mtl__gw_u32(g, MTL__TR_KEY("hidden"), (uint32_t)hid);
        mtl__gw_str(g, MTL__TR_KEY("activation"), c->head_act == MTL_ACT_RELU ? "relu" : "gelu");
        mtl__gw_f32(g, MTL__TR_KEY("dropout"), c->head_dropout);
        if (!h) mtl__gw_str(g, MTL__TR_KEY("pooling"), c->pooling == MTL_HPOOL_CLS ? "cls" : c->pooling == MTL_HPOOL_MAX ? "max" : "mean");
        mtl__gw_str(g, MTL__TR_KEY("prefix"), h ? c->ner_prefix : c->cls_prefix);
        mtl__gw_f64(g, MTL__TR_KEY("loss_weight"), h ? c->ner_weight : c->cls_weight);
        mtl__gw_arr(g, MTL__TR_KEY("labels"), MTL__GGUF_STR, (uint64_t)nl);
        for (i = 0; i < nl; i++) {
            char lb[32];
            const char *s = labels && labels[i] ? labels[i] : NULL;
            if (!s) {   /* LABEL_i, as HF's default id2label */
                int d = 1, p = 6, q = i;
                memcpy(lb, "LABEL_", 6);
                while (q / d >= 10) d *= 10;
                for (; d; d /= 10) lb[p++] = (char)('0' + q / d % 10);
                lb[p] = 0;
                s = lb;
            }
            mtl__wb_str(&g->kv, s, strlen(s));
        }
#undef MTL__TR_KEY
    }
    /* training state and hyper-parameters */
    mtl__gw_u64(g, "mtl.train.step", (uint64_t)tr->step);
    mtl__gw_u64(g, "mtl.train.rng_counter", tr->rng_counter);
    mtl__gw_u64(g, "mtl.train.seed", c->seed);
    mtl__gw_bool(g, "mtl.train.training", tr->training);
    mtl__gw_f32(g, "mtl.train.classifier_dropout", c->classifier_dropout);
    mtl__gw_f32(g, "mtl.train.hidden_dropout", c->hidden_dropout);
    mtl__gw_f32(g, "mtl.train.attn_dropout", c->attn_dropout);
    mtl__gw_i32(g, "mtl.train.ignore_index", (int32_t)c->ignore_index);
    mtl__gw_f32(g, "mtl.train.label_smoothing", c->label_smoothing);
    mtl__gw_f64(g, "mtl.train.clip_norm", c->clip_norm);
    mtl__gw_f64(g, "mtl.train.clip_eps", c->clip_eps);
    mtl__gw_i32(g, "mtl.train.pad_token_id", (int32_t)c->bb.pad_token_id);
    mtl__gw_u32(g, "mtl.train.max_batch", (uint32_t)c->max_batch);
    mtl__gw_u32(g, "mtl.train.max_len", (uint32_t)c->max_len);
    for (i = 0; i < tr->nt; i++) n_tr += tr->t[i].pidx >= 0;
    mtl__gw_arr(g, "mtl.train.trainable", MTL__GGUF_STR, (uint64_t)n_tr);
    for (i = 0; i < tr->nt; i++) {
        if (tr->t[i].pidx < 0) continue;
        mtl__tr_gguf_name(c, &tr->t[i], nm, sizeof nm);
        mtl__wb_str(&g->kv, nm, strlen(nm));
    }
    mtl__gw_str(g, "mtl.optim.type", mtl__tr_optim_name(c->optim.type));
    mtl__gw_u64(g, "mtl.optim.step", (uint64_t)(tr->has_opt ? tr->O.step : tr->opt_step));
    mtl__gw_f64(g, "mtl.optim.beta1", c->optim.beta1);
    mtl__gw_f64(g, "mtl.optim.beta2", c->optim.beta2);
    mtl__gw_f64(g, "mtl.optim.eps", c->optim.eps);
    mtl__gw_f64(g, "mtl.optim.momentum", c->optim.momentum);
    mtl__gw_f64(g, "mtl.optim.dampening", c->optim.dampening);
    mtl__gw_bool(g, "mtl.optim.nesterov", c->optim.nesterov);
    mtl__gw_f64(g, "mtl.optim.lr", c->lr_rule.base_lr);
    mtl__gw_f64(g, "mtl.optim.layer_decay", c->lr_rule.layer_decay);
    mtl__gw_f64(g, "mtl.optim.head_mult", c->lr_rule.head_mult);
    mtl__gw_f64(g, "mtl.optim.weight_decay", c->lr_rule.weight_decay);
    mtl__gw_u32(g, "mtl.optim.num_layers", (uint32_t)c->lr_rule.num_layers);
    mtl__gw_str(g, "mtl.schedule.type", mtl__tr_sched_name(c->schedule.type));
    mtl__gw_u64(g, "mtl.schedule.warmup_steps", (uint64_t)c->schedule.warmup_steps);
    mtl__gw_u64(g, "mtl.schedule.total_steps", (uint64_t)c->schedule.total_steps);
    mtl__gw_f64(g, "mtl.schedule.num_cycles", c->schedule.num_cycles);
    mtl__gw_u64(g, "mtl.schedule.position", (uint64_t)tr->step);
    /* tensors: the model, then the optimizer state of the trainable ones */
    for (i = 0; i < tr->nt; i++) {
        uint64_t ne0, ne1;
        mtl__tr_gguf_name(c, &tr->t[i], nm, sizeof nm);
        mtl__tr_ne(&tr->t[i], &ne0, &ne1);
        mtl__gw_tensor_f32(g, nm, ne0, ne1, mtl__tr_ptr(tr, i));
    }
    for (i = 0; i < tr->nt && tr->has_opt; i++) {
        const mtl__tr_tensor *t = &tr->t[i];
        uint64_t ne0, ne1;
        size_t off;
        if (t->pidx < 0) continue;
        off = tr->P.t[t->pidx].offset;
        mtl__tr_gguf_name(c, t, nm, sizeof nm);
        mtl__tr_ne(t, &ne0, &ne1);
        if (tr->O.m) { mtl__tr_cat(key, sizeof key, "mtl.optim.m.", nm); mtl__gw_tensor_f32(g, key, ne0, ne1, tr->O.m + off); }
        if (tr->O.v) { mtl__tr_cat(key, sizeof key, "mtl.optim.v.", nm); mtl__gw_tensor_f32(g, key, ne0, ne1, tr->O.v + off); }
    }
    /* the checksum (FNV-1a 64 of the whole file with these 8 bytes as zero) is the last key */
    mtl__gw_u64(g, "mtl.checksum", 0);
    ck_pos = 24 + g->kv.n - 8;
    if ((r = mtl__gw_meta(g, meta, err)) != MTL_OK) { mtl__gw_free(g); return r; }
    {
        uint64_t hsh = 0xcbf29ce484222325ull;
        size_t k;
        for (k = 0; k < meta->n; k++) { hsh ^= (k >= ck_pos && k - ck_pos < 8) ? 0u : meta->d[k]; hsh *= 0x100000001b3ull; }
        for (k = 0; k < g->data.n; k++) { hsh ^= g->data.d[k]; hsh *= 0x100000001b3ull; }
        for (k = 0; k < 8; k++) meta->d[ck_pos + k] = (unsigned char)(hsh >> (8 * k));
    }
    return MTL_OK;
}

MTLDEF mtl_result mtl_trainer_save(const mtl_trainer *tr, unsigned char **buf, size_t *len, mtl_error *err) {
    mtl__gw g;
    mtl__wbuf meta;
    mtl_result r;
    if (!tr || !buf || !len) return mtl__err(err, MTL_ERR_ARG, "mtl_trainer_save: bad argument");
    *buf = NULL;
    *len = 0;
    if ((r = mtl__tr_build(tr, &g, &meta, err)) != MTL_OK) return r;
    mtl__wb_put(&meta, g.data.d, g.data.n);
    mtl__gw_free(&g);
    if (meta.oom) { mtl__wb_free(&meta); return mtl__err(err, MTL_ERR_NOMEM, "out of memory"); }
    *buf = meta.d;
    *len = meta.n;
    mtl__ok(err);
    return MTL_OK;
}

/* A tensor of the checkpoint: F32 with the trainer's shape, or NULL. */
static const mtl__gguf_tensor *mtl__tr_ck_tensor(const mtl__gguf *g, const char *name, const mtl__tr_tensor *t) {
    size_t i, nl = strlen(name);
    uint64_t ne0, ne1;
    mtl__tr_ne(t, &ne0, &ne1);
    for (i = 0; i < g->n_t; i++) {
        const mtl__gguf_tensor *q = &g->t[i];
        if (q->nlen == nl && memcmp(q->name, name, nl) == 0)
            return q->type == MTL__GGML_F32 && q->ne[0] == ne0 && q->ne[1] == ne1 && q->ne[2] == 1 && q->ne[3] == 1 ? q : NULL;
    }
    return NULL;
}
static void mtl__tr_ck_copy(const mtl__gguf *g, const mtl__gguf_tensor *q, float *dst) {
    size_t k;
    const unsigned char *p = g->d + q->off;
    for (k = 0; k < (size_t)q->numel; k++) {
        uint32_t u = (uint32_t)p[4 * k] | (uint32_t)p[4 * k + 1] << 8 | (uint32_t)p[4 * k + 2] << 16 | (uint32_t)p[4 * k + 3] << 24;
        memcpy(&dst[k], &u, 4);
    }
}
static int mtl__tr_ck_u64(const mtl__gguf *g, const char *key, uint64_t *v) {
    const mtl__gguf_kv *kv = mtl__gguf_find(g, key);
    size_t p;
    if (!kv || kv->type != MTL__GGUF_U64) return 0;
    p = kv->pos;
    return mtl__rd_u64(g, &p, v);
}

MTLDEF mtl_result mtl_trainer_load(mtl_trainer *tr, const unsigned char *buf, size_t len, mtl_error *err) {
    mtl__gguf g;
    const mtl__gguf_kv *kv;
    const mtl_trainer_config *c;
    uint64_t step, rng, ostep, want;
    int *flags = NULL, i;
    long v;
    const char *s;
    size_t sl;
    char nm[160], key[200];
    mtl_result r;
    if (!tr || !buf) return mtl__err(err, MTL_ERR_ARG, "mtl_trainer_load: bad argument");
    c = &tr->cfg;
    if ((r = mtl__gguf_parse(&g, buf, len, err)) != MTL_OK) return r;   /* structure, bounds, truncation */
    kv = mtl__gguf_find(&g, "mtl.checksum");
    if (!kv || kv->type != MTL__GGUF_U64 || !mtl__tr_ck_u64(&g, "mtl.checksum", &want)) { r = mtl__err(err, MTL_ERR_FORMAT, "not an mtl trainer checkpoint (no mtl.checksum)"); goto done; }
    if (want != mtl__fnv64_skip(buf, len, kv->pos)) { r = mtl__err(err, MTL_ERR_FORMAT, "checkpoint: checksum mismatch (corrupt or truncated)"); goto done; }
    if (!mtl__tr_ck_u64(&g, "mtl.train.step", &step) || !mtl__tr_ck_u64(&g, "mtl.train.rng_counter", &rng) ||
        !mtl__tr_ck_u64(&g, "mtl.optim.step", &ostep) || step > 0x7FFFFFFFu || ostep > 0x7FFFFFFFu) {
        r = mtl__err(err, MTL_ERR_FORMAT, "checkpoint: mtl.train.step / rng_counter / mtl.optim.step missing");
        goto done;
    }
    if (!mtl__gguf_str(&g, "mtl.optim.type", &s, &sl) || !mtl__streq(s, sl, mtl__tr_optim_name(c->optim.type))) {
        r = mtl__err(err, MTL_ERR_ARG, "checkpoint: another optimizer type");
        goto done;
    }
    if (!mtl__gguf_int(&g, "bert.block_count", &v) || v != c->bb.n_layers || !mtl__gguf_int(&g, "bert.embedding_length", &v) || v != c->bb.hidden_size) {
        r = mtl__err(err, MTL_ERR_FORMAT, "checkpoint: another model size");
        goto done;
    }
    /* the trainable set */
    kv = mtl__gguf_find(&g, "mtl.train.trainable");
    if (!kv || kv->type != MTL__GGUF_ARR || kv->atype != MTL__GGUF_STR) { r = mtl__err(err, MTL_ERR_FORMAT, "checkpoint: mtl.train.trainable missing"); goto done; }
    flags = (int *)MTL_MALLOC((size_t)tr->nt * sizeof(int) + 1);
    if (!flags) { r = mtl__err(err, MTL_ERR_NOMEM, "out of memory"); goto done; }
    for (i = 0; i < tr->nt; i++) flags[i] = 0;
    {
        size_t p = kv->pos;
        uint64_t q;
        for (q = 0; q < kv->n; q++) {
            int found = 0;
            mtl__rd_str(&g, &p, &s, &sl);
            for (i = 0; i < tr->nt && !found; i++) {
                mtl__tr_gguf_name(c, &tr->t[i], nm, sizeof nm);
                if (mtl__streq(s, sl, nm)) { flags[i] = 1; found = 1; }
            }
            if (!found) { r = mtl__err(err, MTL_ERR_FORMAT, "checkpoint: a trainable tensor this trainer does not have"); goto done; }
        }
    }
    /* pass 1: every tensor present with this trainer's shape (nothing is changed before this passes) */
    for (i = 0; i < tr->nt; i++) {
        mtl__tr_gguf_name(c, &tr->t[i], nm, sizeof nm);
        if (!mtl__tr_ck_tensor(&g, nm, &tr->t[i])) { r = mtl__err(err, MTL_ERR_FORMAT, "checkpoint: tensor %s missing or of another shape", nm); goto done; }
        if (flags[i] && ostep > 0) {
            mtl__tr_cat(key, sizeof key, "mtl.optim.m.", nm);
            if (!mtl__tr_ck_tensor(&g, key, &tr->t[i])) { r = mtl__err(err, MTL_ERR_FORMAT, "checkpoint: optimizer state %s missing", key); goto done; }
        }
    }
    if (tr->has_opt) tr->opt_step = tr->O.step;
    if ((r = mtl__tr_layout(tr, flags, err)) != MTL_OK) goto done;   /* always re-lay out: fresh optimizer blocks */
    /* pass 2: values and optimizer state (absent state: zero moments) */
    for (i = 0; i < tr->nt; i++) {
        const mtl__tr_tensor *t = &tr->t[i];
        const mtl__gguf_tensor *q;
        mtl__tr_gguf_name(c, t, nm, sizeof nm);
        mtl__tr_ck_copy(&g, mtl__tr_ck_tensor(&g, nm, t), mtl__tr_ptr(tr, i));
        if (t->pidx >= 0 && tr->has_opt) {
            const size_t off = tr->P.t[t->pidx].offset;
            mtl__tr_cat(key, sizeof key, "mtl.optim.m.", nm);
            if (tr->O.m) { if ((q = mtl__tr_ck_tensor(&g, key, t)) != NULL) mtl__tr_ck_copy(&g, q, tr->O.m + off); else memset(tr->O.m + off, 0, t->numel * 4); }
            mtl__tr_cat(key, sizeof key, "mtl.optim.v.", nm);
            if (tr->O.v) { if ((q = mtl__tr_ck_tensor(&g, key, t)) != NULL) mtl__tr_ck_copy(&g, q, tr->O.v + off); else memset(tr->O.v + off, 0, t->numel * 4); }
        }
    }
    tr->step = (long)step;
    tr->rng_counter = rng;
    tr->opt_step = (long)ostep;
    if (tr->has_opt) tr->O.step = (long)ostep;
    tr->training = mtl__gguf_int(&g, "mtl.train.training", &v) && v;
    mtl_params_zero_grad(&tr->P);
    mtl__ok(err);
done:
    MTL_FREE(flags);
    mtl__gguf_free(&g);
    return r;
}

#ifndef MTL_NO_STDIO
MTLDEF mtl_result mtl_trainer_save_file(const mtl_trainer *tr, const char *path, mtl_error *err) {
    mtl__gw g;
    mtl__wbuf meta;
    mtl_result r;
    const void *parts[2];
    size_t lens[2];
    if (!tr || !path) return mtl__err(err, MTL_ERR_ARG, "mtl_trainer_save_file: bad argument");
    if ((r = mtl__tr_build(tr, &g, &meta, err)) != MTL_OK) return r;
    parts[0] = meta.d; lens[0] = meta.n;
    parts[1] = g.data.d; lens[1] = g.data.n;
    r = mtl__write_atomic(path, parts, lens, 2, err);
    mtl__wb_free(&meta);
    mtl__gw_free(&g);
    if (!r) mtl__ok(err);
    return r;
}

MTLDEF mtl_result mtl_trainer_load_file(mtl_trainer *tr, const char *path, mtl_error *err) {
    char *b = NULL;
    size_t n = 0;
    mtl_result r;
    if (!path) return mtl__err(err, MTL_ERR_ARG, "no path");
    if ((r = mtl__read_file(path, &b, &n, err)) != MTL_OK) return r;
    r = mtl_trainer_load(tr, (const unsigned char *)b, n, err);
    MTL_FREE(b);
    return r;
}
#endif

/* ---------------------------------------------------------------------------------------------- */
/* Export (HF folder: config.json + model.safetensors)                                            */
/* ---------------------------------------------------------------------------------------------- */
#ifndef MTL_NO_STDIO
static void mtl__tr_put_s(mtl__tr_buf *b, const char *s) { mtl__tr_put(b, s, strlen(s)); }
static void mtl__tr_put_json_str(mtl__tr_buf *b, const char *s) {
    char u[8];
    mtl__tr_put(b, "\"", 1);
    for (; *s; s++) {
        const unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') { mtl__tr_put(b, "\\", 1); mtl__tr_put(b, s, 1); }
        else if (c < 0x20) { snprintf(u, sizeof u, "\\u%04x", c); mtl__tr_put_s(b, u); }
        else mtl__tr_put(b, s, 1);
    }
    mtl__tr_put(b, "\"", 1);
}
typedef struct mtl__tr_named { char nm[160]; int idx; } mtl__tr_named;
static int mtl__tr_cmp_names(const void *a, const void *b) {
    return strcmp(((const mtl__tr_named *)a)->nm, ((const mtl__tr_named *)b)->nm);
}
static mtl_result mtl__tr_write_atomic(const char *dir, const char *file, const mtl__tr_buf *b, mtl_error *err) {
    char path[4096], tmp[4100];
    FILE *f;
    int ok;
    if (strlen(dir) + strlen(file) + 8 > sizeof path) return mtl__err(err, MTL_ERR_ARG, "path too long");
    snprintf(path, sizeof path, "%s/%s", dir, file);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    if (!(f = fopen(tmp, "wb"))) return mtl__err(err, MTL_ERR_IO, "cannot write %s", tmp);
    ok = fwrite(b->d, 1, b->n, f) == b->n;
    ok = (fclose(f) == 0) && ok;
    if (!ok || rename(tmp, path) != 0) { remove(tmp); return mtl__err(err, MTL_ERR_IO, "cannot write %s", path); }
    return MTL_OK;
}

MTLDEF mtl_result mtl_trainer_export_hf(const mtl_trainer *tr, int task, const char *dir, mtl_error *err) {
    const mtl_trainer_config *c;
    mtl__tr_named *list = NULL;
    mtl__tr_buf hdr, cfg, out;
    int i, n = 0, head_kind, n_labels = 0;
    const char *const *labels = NULL;
    size_t off = 0;
    char num[160];
    mtl_result r = MTL_OK;
    if (!tr || !dir || (task != 0 && task != MTL_TASK_CLS && task != MTL_TASK_NER)) return mtl__err(err, MTL_ERR_ARG, "export: bad argument");
    c = &tr->cfg;
    head_kind = task == MTL_TASK_CLS ? MTL__TR_CLS : task == MTL_TASK_NER ? MTL__TR_NER : -1;
    if (task) {
        n_labels = task == MTL_TASK_CLS ? c->n_cls : c->n_ner;
        labels = task == MTL_TASK_CLS ? c->cls_labels : c->ner_labels;
        if (n_labels <= 0) return mtl__err(err, MTL_ERR_ARG, "export: the trainer has no such head");
        if ((task == MTL_TASK_CLS ? c->cls_hidden : c->ner_hidden) > 0) return mtl__err(err, MTL_ERR_UNSUPPORTED, "export: only a linear head maps to HF's classifier");
        if (task == MTL_TASK_CLS) return mtl__err(err, MTL_ERR_UNSUPPORTED, "export: HF's BertForSequenceClassification applies its classifier to the tanh pooler, not to this head's pooling of the tokens");
    }
    memset(&hdr, 0, sizeof hdr);
    memset(&cfg, 0, sizeof cfg);
    memset(&out, 0, sizeof out);
    list = (mtl__tr_named *)MTL_MALLOC((size_t)tr->nt * sizeof *list + 1);
    if (!list) return mtl__err(err, MTL_ERR_NOMEM, "out of memory");
    for (i = 0; i < tr->nt; i++) {
        const mtl__tr_tensor *t = &tr->t[i];
        if (t->kind != MTL__TR_BB && t->kind != MTL__TR_POOLER && t->kind != head_kind) continue;
        if (t->kind == head_kind) mtl__tr_cat(list[n].nm, sizeof list[n].nm, "classifier", t->name + strlen(head_kind == MTL__TR_CLS ? c->cls_prefix : c->ner_prefix));
        else mtl__tr_cat(list[n].nm, sizeof list[n].nm, t->name, "");
        list[n++].idx = i;
    }
    qsort(list, (size_t)n, sizeof *list, mtl__tr_cmp_names);
    /* safetensors header: keys sorted bytewise, the head as classifier.* */
    mtl__tr_put_s(&hdr, "{\"__metadata__\":{\"format\":\"pt\"}");
    for (i = 0; i < n; i++) {
        const mtl__tr_tensor *t = &tr->t[list[i].idx];
        mtl__tr_put_s(&hdr, ",");
        mtl__tr_put_json_str(&hdr, list[i].nm);
        if (t->ndim == 2) snprintf(num, sizeof num, ":{\"dtype\":\"F32\",\"shape\":[%d,%d],\"data_offsets\":[%zu,%zu]}", t->shape[0], t->shape[1], off, off + t->numel * 4);
        else snprintf(num, sizeof num, ":{\"dtype\":\"F32\",\"shape\":[%d],\"data_offsets\":[%zu,%zu]}", t->shape[0], off, off + t->numel * 4);
        mtl__tr_put_s(&hdr, num);
        off += t->numel * 4;
    }
    mtl__tr_put_s(&hdr, "}");
    while (hdr.n % 8) mtl__tr_put_s(&hdr, " ");
    mtl__tr_put_u64(&out, (uint64_t)hdr.n);
    if (!hdr.oom) mtl__tr_put(&out, hdr.d, hdr.n);
    for (i = 0; i < n; i++) mtl__tr_put_f32(&out, mtl__tr_ptr(tr, list[i].idx), tr->t[list[i].idx].numel);
    /* config.json */
    mtl__tr_put_s(&cfg, "{\n  \"architectures\": [\"");
    mtl__tr_put_s(&cfg, task == MTL_TASK_CLS ? "BertForSequenceClassification" : task == MTL_TASK_NER ? "BertForTokenClassification" : "BertModel");
    snprintf(num, sizeof num, "\"],\n  \"model_type\": \"bert\",\n  \"vocab_size\": %d,\n  \"hidden_size\": %d,\n", c->bb.vocab_size, c->bb.hidden_size);
    mtl__tr_put_s(&cfg, num);
    snprintf(num, sizeof num, "  \"num_hidden_layers\": %d,\n  \"num_attention_heads\": %d,\n  \"intermediate_size\": %d,\n",
             c->bb.n_layers, c->bb.n_heads, c->bb.intermediate_size);
    mtl__tr_put_s(&cfg, num);
    snprintf(num, sizeof num, "  \"max_position_embeddings\": %d,\n  \"type_vocab_size\": %d,\n  \"pad_token_id\": %d,\n",
             c->bb.max_position, c->bb.type_vocab_size, c->bb.pad_token_id);
    mtl__tr_put_s(&cfg, num);
    snprintf(num, sizeof num, "  \"layer_norm_eps\": %.9g,\n  \"hidden_dropout_prob\": %.9g,\n  \"attention_probs_dropout_prob\": %.9g,\n",
             (double)c->bb.layer_norm_eps, (double)c->hidden_dropout, (double)c->attn_dropout);
    mtl__tr_put_s(&cfg, num);
    mtl__tr_put_s(&cfg, "  \"hidden_act\": \"gelu\",\n  \"position_embedding_type\": \"absolute\"");
    if (task) {
        int k;
        for (k = 0; k < 2; k++) {
            mtl__tr_put_s(&cfg, k ? ",\n  \"label2id\": {" : ",\n  \"id2label\": {");
            for (i = 0; i < n_labels; i++) {
                char lab[32];
                const char *name = labels && labels[i] ? labels[i] : NULL;
                if (!name) { snprintf(lab, sizeof lab, "LABEL_%d", i); name = lab; }
                snprintf(num, sizeof num, "%s\"%d\": ", i ? ", " : "", i);
                if (k) {
                    mtl__tr_put_s(&cfg, i ? ", " : "");
                    mtl__tr_put_json_str(&cfg, name);
                    snprintf(num, sizeof num, ": %d", i);
                    mtl__tr_put_s(&cfg, num);
                } else {
                    mtl__tr_put_s(&cfg, num);
                    mtl__tr_put_json_str(&cfg, name);
                }
            }
            mtl__tr_put_s(&cfg, "}");
        }
    }
    mtl__tr_put_s(&cfg, "\n}\n");
    if (hdr.oom || out.oom || cfg.oom) r = mtl__err(err, MTL_ERR_NOMEM, "out of memory");
    if (!r) r = mtl__tr_write_atomic(dir, "model.safetensors", &out, err);
    if (!r) r = mtl__tr_write_atomic(dir, "config.json", &cfg, err);
    MTL_FREE(hdr.d);
    MTL_FREE(cfg.d);
    MTL_FREE(out.d);
    MTL_FREE(list);
    if (!r) mtl__ok(err);
    return r;
}
#endif

#endif /* MTL_TRAINER_IMPLEMENTATION_DONE */
#endif /* MTL_TRAINER_IMPLEMENTATION */
