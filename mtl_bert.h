/* mtl_bert.h - BERT sentence embeddings in C, identical to Hugging Face.  MIT licence at the end.

   USAGE
     In ONE C or C++ file:
         #define MTL_BERT_IMPLEMENTATION
         #include "mtl_bert.h"          (includes mtl_tokenizer.h and its implementation)
     everywhere else just #include "mtl_bert.h".

         mtl_model *m; mtl_ctx ctx; mtl_error err; float emb[384];
         if (mtl_model_load("all-MiniLM-L6-v2.gguf", &m, &err)) { puts(err.msg); return 1; }
         mtl_ctx_init(&ctx, m, NULL);
         mtl_embed(&ctx, "Hello, world!", 13, emb, &err);     // the model's own pooling + normalisation
         mtl_ctx_free(&ctx); mtl_model_free(m);

     The model file is made by weights_convert from a Hugging Face folder (GGUF v3, see below).

   WHAT IT COMPUTES (HF BertModel in eval mode, then sentence-transformers pooling)
     ids -> embeddings (word + position + token type, LayerNorm)
         -> N x encoder layer (self-attention over the real tokens of each sequence, exact erf GELU,
            residual + LayerNorm)                                         = last hidden state per token
         -> pooling: cls | mean (over real tokens) | max (over real tokens) | pooler (dense + tanh on
            [CLS]), optionally L2-normalised                             = sentence embedding
     A batch is packed: sequences of different lengths are concatenated token by token, matrix
     products run over the real tokens only and attention is computed per sequence, so there is no
     padding and no work on it. Results do not depend on what else is in the batch.

   LIMITS AND TRUNCATION
     Texts are tokenized with truncation to the model's max_seq_length (sentence-transformers'
     setting, else max_position_embeddings; HF's longest_first rule for pairs). Id inputs longer
     than the limit keep their first limit-1 ids and their last id (the final [SEP]). Either way the
     forward reports it (mtl_forward_out.truncated / n_truncated); nothing asserts.

   MEMORY
     mtl_model: the parameters are used in place from the mmap'ed file or the caller's buffer when
       they are float32 and aligned (f16/bf16 tensors are widened once into one owned block). The six
       linear weights of each layer are also repacked once at load into the matrix kernel's panel
       layout (an owned copy of the encoder's linear weights). Define MTL_NO_REPACK to use the
       buffer strictly in place (panels are then packed per call into the arena; slower) or
       MTL_USE_BLAS (cblas_sgemm on the original layout).
     mtl_ctx: all scratch of a forward comes from ONE arena of mtl_arena_bytes(model, batch, length,
       threads) bytes. Give it your own memory (mtl_ctx_options.arena, e.g. a static array) and the
       ids path never allocates; otherwise the context allocates it once and grows it when needed.
       Tokenizing text uses a small per-context encoding buffer (MTL_MALLOC).
     All allocation goes through MTL_MALLOC / MTL_REALLOC / MTL_FREE. MTL_NO_STDIO leaves out file
     loading (use mtl_model_from_memory). MTL_NO_THREADS leaves out pthreads.

   ERRORS
     Every function returns an mtl_result (MTL_OK = 0) and fills the optional mtl_error with a readable
     message; a context also keeps its last error in ctx.err. Nothing prints, exits or aborts.

   THREADS
     A loaded mtl_model is never written to: share it. Each thread uses its own mtl_ctx. Inside one
     call, mtl_ctx_options.n_threads > 1 splits the matrix products and attention over the
     context's worker threads (pthreads started by mtl_ctx_init, stopped by mtl_ctx_free). Idle
     workers spin briefly (MTL_SPIN iterations, 0 = never) before sleeping, like ONNX Runtime's pool:
     waking a sleeping thread costs more than a step of a small forward.
     Define MTL_USE_BLAS (and link a CBLAS) to run the matrix products through cblas_sgemm.

   FILE FORMAT (GGUF v3, ggml's docs/gguf.md; llama.cpp's BERT names where one exists)
     general.architecture "bert"; bert.context_length, bert.embedding_length, bert.feed_forward_length,
     bert.block_count, bert.attention.head_count, bert.attention.layer_norm_epsilon,
     bert.attention.causal, bert.pooling_type; tokenizer.ggml.model "bert", tokenizer.ggml.tokens,
     tokenizer.ggml.token_type, tokenizer.ggml.{unknown,seperator,padding,cls,mask}_token_id,
     tokenizer.ggml.token_type_count; mtl.tokenizer.* (lowercase, strip_accents, handle_chinese_chars,
     clean_text, max_input_chars_per_word, continuing_subword_prefix), mtl.pooling, mtl.normalize,
     mtl.max_seq_length, mtl.head, mtl.labels.
     Tensors (ggml dims, fastest first): token_embd.weight [H,V], position_embd.weight [H,P],
     token_types.weight [H,T], token_embd_norm.{weight,bias} [H], blk.N.{attn_q,attn_k,attn_v,
     attn_output}.weight [H,H], blk.N.ffn_up.weight [H,I], blk.N.ffn_down.weight [I,H], their .bias,
     blk.N.{attn_output_norm,layer_output_norm}.{weight,bias}; mtl.pooler.{weight,bias},
     mtl.classifier.{weight,bias}. F32, F16 or BF16.
     Written by weights_convert and by the trainer's checkpoints (wip/mtl_trainer.h) through the one
     writer below (mtl__gw_*); a checkpoint is a model file with, in addition (all optional here):
       task heads, h = cls (sequence: on a pooling of the tokens) | ner (token):
         mtl.head.h.{kind ("sequence_classification" | "token_classification"), num_labels, hidden
         (0 = Linear), activation ("gelu" | "relu"), dropout, pooling (cls: "cls" | "mean" | "max"),
         prefix (the trainer's parameter names), loss_weight, labels (string array = id2label)};
         tensors mtl.head.h.{weight,bias} (Linear: [H,labels], [labels]) or
         mtl.head.h.dense.{weight,bias} [H,hidden], [hidden] + mtl.head.h.out_proj.{weight,bias}
         [hidden,labels], [labels] (MLP); read by mtl_model_head / mtl_model_head_label.
       training state: mtl.train.{step, rng_counter, seed, training, classifier_dropout,
         hidden_dropout, attn_dropout, ignore_index, label_smoothing, clip_norm, clip_eps,
         pad_token_id, max_batch, max_len, trainable (string array: the blob names of the trainable
         tensors)}; mtl.optim.{type ("adamw" | "adam" | "sgd"), step, beta1, beta2, eps, momentum,
         dampening, nesterov, lr, layer_decay, head_mult, weight_decay, num_layers};
         mtl.schedule.{type ("constant" | "linear" | "cosine"), warmup_steps, total_steps,
         num_cycles, position}; F32 tensors mtl.optim.m.<name> (Adam's m / SGD's momentum buffer)
         and mtl.optim.v.<name> (Adam's v) for each trainable tensor <name>; mtl.checksum (u64, the
         last key: FNV-1a 64 of the whole file with these 8 bytes read as zero).
*/
#ifndef MTL_BERT_H
#define MTL_BERT_H

#include "mtl_tokenizer.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct mtl_model mtl_model;

typedef enum mtl_pooling {
    MTL_POOL_DEFAULT = 0,  /* the model's own (sentence-transformers config), else cls */
    MTL_POOL_CLS = 1,
    MTL_POOL_MEAN = 2,     /* mean over real tokens */
    MTL_POOL_MAX = 3,      /* max over real tokens  */
    MTL_POOL_POOLER = 4    /* tanh(W h[CLS] + b): BertModel's pooler_output */
} mtl_pooling;

typedef enum mtl_head_kind { MTL_HEAD_NONE = 0, MTL_HEAD_SEQUENCE = 1, MTL_HEAD_TOKEN = 2 } mtl_head_kind;

/* What a loaded model is. */
typedef struct mtl_model_info {
    int vocab_size, hidden_size, n_layers, n_heads, intermediate_size, max_position, type_vocab_size;
    float layer_norm_eps;
    int max_seq_length;     /* inputs are truncated to this many tokens by default               */
    mtl_pooling pooling;    /* the default pooling                                               */
    int normalize;          /* 1: the default embedding is L2-normalised                         */
    int has_pooler;
    mtl_head_kind head;     /* classifier head kept from BertFor{Sequence,Token}Classification     */
    int num_labels;
} mtl_model_info;

/* Per-context settings; zero = defaults. */
typedef struct mtl_ctx_options {
    void *arena;            /* caller memory for all scratch (NULL: the context allocates)        */
    size_t arena_size;
    int n_threads;          /* threads per call (0/1: the calling thread only)                    */
} mtl_ctx_options;

/* One thread's working state. Treat the fields as private; do not copy an initialised context. */
typedef struct mtl_ctx {
    const mtl_model *model;
    mtl_ctx_options opt;
    unsigned char *arena;
    size_t arena_size;
    int owns_arena;
    mtl_encoding *enc;      /* text inputs (allocated on first use)                               */
    int n_enc;
    int32_t *text_ids;      /* ids/types of tokenized texts                                       */
    size_t text_cap;
    mtl_error err;          /* the last error                                                     */
    void *pool;             /* worker threads (n_threads > 1)                                     */
} mtl_ctx;

/* Per-call settings; zero = the model's defaults. */
typedef struct mtl_embed_options {
    mtl_pooling pooling;
    int normalize;          /* 0: model default, > 0: on, < 0: off                              */
    int max_length;         /* > 0: truncate inputs to this many tokens (at most max_position)   */
} mtl_embed_options;

/* One input as token ids (with [CLS]/[SEP] already in it). */
typedef struct mtl_seq {
    const int32_t *ids;
    const int32_t *type_ids; /* NULL: all 0 */
    int n;
} mtl_seq;

/* Outputs of a forward; set the pointers you want, NULL the rest. */
typedef struct mtl_forward_out {
    float *embeddings;      /* [n_inputs, H] sentence embeddings                                 */
    float *tokens;          /* [sum of lengths, H] last hidden state of every token, inputs one   */
                            /* after another (lengths after truncation; for texts, n_inputs x    */
                            /* the length limit in use is always enough)                         */
    float *hidden_states;   /* [(n_layers+1), sum of lengths, H]: embedding output, then each     */
                            /* layer's output (debugging, tests)                                 */
    int *lengths;           /* [n_inputs] tokens used per input (after truncation)               */
    int *truncated;         /* [n_inputs] nonzero when that input was truncated                  */
    int n_truncated;        /* filled in: how many inputs were truncated                         */
    int n_tokens;           /* filled in: sum of lengths                                         */
} mtl_forward_out;

#ifndef MTL_NO_STDIO
/* Loads a converted model file (mmap where available, else read into memory). */
MTLDEF mtl_result mtl_model_load(const char *path, mtl_model **out, mtl_error *err);
#endif
/* A model in caller memory, used in place (no copy of aligned f32 tensors): the buffer must stay
   valid and unchanged until mtl_model_free. */
MTLDEF mtl_result mtl_model_from_memory(const void *data, size_t len, mtl_model **out, mtl_error *err);
MTLDEF void       mtl_model_free(mtl_model *m);
MTLDEF const mtl_model_info *mtl_model_get_info(const mtl_model *m);
MTLDEF const mtl_tokenizer  *mtl_model_tokenizer(const mtl_model *m);
/* The label of class id (id2label), or NULL. The string is NOT NUL-terminated: *len gets its length. */
MTLDEF const char *mtl_model_label(const mtl_model *m, int id, size_t *len);
MTLDEF const char *mtl_pooling_name(mtl_pooling p);

/* The task heads a trainer checkpoint stores (mtl.head.cls.* / mtl.head.ner.*; see FILE FORMAT).
   Weights in torch layout [out, in]: y = x W^T + b. */
typedef struct mtl_head_info {
    mtl_head_kind kind;     /* SEQUENCE: on a pooling of the last hidden state; TOKEN: on every token */
    int num_labels;
    int hidden;             /* 0: Linear(H, num_labels); > 0: Linear(H, hidden) -> act -> Linear(hidden, num_labels) */
    int relu;               /* the MLP's activation: 1 ReLU, 0 exact GELU                               */
    mtl_pooling pooling;    /* SEQUENCE: cls | mean | max (over real tokens)                            */
    const float *w1, *b1;   /* Linear: [num_labels, H], [num_labels]; MLP: [hidden, H], [hidden]        */
    const float *w2, *b2;   /* MLP: [num_labels, hidden], [num_labels]; Linear: NULL                    */
} mtl_head_info;
/* The head of that kind (MTL_HEAD_SEQUENCE: "cls", MTL_HEAD_TOKEN: "ner"), or NULL. */
MTLDEF const mtl_head_info *mtl_model_head(const mtl_model *m, mtl_head_kind kind);
/* Its label names (NOT NUL-terminated: *len gets the length), or NULL. */
MTLDEF const char *mtl_model_head_label(const mtl_model *m, mtl_head_kind kind, int id, size_t *len);

/* Bytes of scratch a forward of up to `batch` inputs of up to `max_len` tokens needs. */
MTLDEF size_t     mtl_arena_bytes(const mtl_model *m, int batch, int max_len, int n_threads);

MTLDEF mtl_result mtl_ctx_init(mtl_ctx *ctx, const mtl_model *m, const mtl_ctx_options *opt);
MTLDEF void       mtl_ctx_free(mtl_ctx *ctx);

/* The forward of n id inputs. */
MTLDEF mtl_result mtl_forward(mtl_ctx *ctx, const mtl_seq *seqs, int n, const mtl_embed_options *opt,
                              mtl_forward_out *out, mtl_error *err);
/* The same for n texts (texts_b NULL, or the second texts of n pairs: token type 1; lens NULL: strlen). */
MTLDEF mtl_result mtl_forward_texts(mtl_ctx *ctx, int n, const char *const *texts, const size_t *lens,
                                    const char *const *texts_b, const size_t *lens_b,
                                    const mtl_embed_options *opt, mtl_forward_out *out, mtl_error *err);
/* One text -> out[hidden_size], with the model's default pooling and normalisation. */
MTLDEF mtl_result mtl_embed(mtl_ctx *ctx, const char *text, size_t len, float *out, mtl_error *err);

#ifdef __cplusplus
}
#endif
#endif /* MTL_BERT_H */

/* ============================================================================================== */
/*                                        IMPLEMENTATION                                          */
/* ============================================================================================== */
#ifdef MTL_BERT_IMPLEMENTATION
#ifndef MTL_BERT_IMPLEMENTATION_DONE
#define MTL_BERT_IMPLEMENTATION_DONE

#ifndef MTL_TOKENIZER_IMPLEMENTATION
#define MTL_TOKENIZER_IMPLEMENTATION
#endif
#include "mtl_tokenizer.h"

#include <string.h>
#include <math.h>
#include <float.h>
#if !defined(MTL_NO_STDIO) && (defined(__unix__) || defined(__APPLE__))
#define MTL__MMAP 1
#include <sys/mman.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>
#endif
#if !defined(MTL_NO_THREADS) && !defined(_WIN32)
#define MTL__THREADS 1
#include <pthread.h>
#endif
#if !defined(MTL_USE_BLAS) && !defined(MTL_NO_REPACK)
#define MTL__REPACK 1   /* linear weights repacked once at load (else packed per call) */
#endif
#ifdef MTL_USE_BLAS
#include <cblas.h>
#ifdef I
#undef I   /* OpenBLAS's cblas.h pulls in <complex.h>; mtl uses I as the intermediate size */
#endif
#endif

/* ---------------------------------------------------------------------------------------------- */
/* GGUF reading: every offset and size is checked against the blob length.                         */
/* ---------------------------------------------------------------------------------------------- */
enum {
    MTL__GGUF_U8 = 0, MTL__GGUF_I8 = 1, MTL__GGUF_U16 = 2, MTL__GGUF_I16 = 3, MTL__GGUF_U32 = 4,
    MTL__GGUF_I32 = 5, MTL__GGUF_F32 = 6, MTL__GGUF_BOOL = 7, MTL__GGUF_STR = 8, MTL__GGUF_ARR = 9,
    MTL__GGUF_U64 = 10, MTL__GGUF_I64 = 11, MTL__GGUF_F64 = 12
};
enum { MTL__GGML_F32 = 0, MTL__GGML_F16 = 1, MTL__GGML_BF16 = 30 };
#define MTL__GGUF_MAX_DIMS 4

typedef struct mtl__gguf_kv {
    const char *key; size_t klen;
    uint32_t type;          /* value type                                   */
    uint32_t atype;         /* arrays: element type                         */
    uint64_t n;             /* arrays: element count                        */
    size_t pos;             /* offset of the value (arrays: first element)  */
} mtl__gguf_kv;

typedef struct mtl__gguf_tensor {
    const char *name; size_t nlen;
    uint32_t ndim, type;
    uint64_t ne[MTL__GGUF_MAX_DIMS];
    uint64_t numel;
    size_t off, nbytes;     /* absolute offset in the blob                  */
} mtl__gguf_tensor;

typedef struct mtl__gguf {
    const unsigned char *d; size_t len;
    mtl__gguf_kv *kv; size_t n_kv;
    mtl__gguf_tensor *t; size_t n_t;
} mtl__gguf;

static int mtl__rd(const mtl__gguf *g, size_t *pos, void *out, size_t n) {
    if (*pos > g->len || g->len - *pos < n) return 0;
    memcpy(out, g->d + *pos, n);
    *pos += n;
    return 1;
}
static int mtl__rd_u32(const mtl__gguf *g, size_t *pos, uint32_t *v) {
    unsigned char b[4];
    if (!mtl__rd(g, pos, b, 4)) return 0;
    *v = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
    return 1;
}
static int mtl__rd_u64(const mtl__gguf *g, size_t *pos, uint64_t *v) {
    uint32_t lo, hi;
    if (!mtl__rd_u32(g, pos, &lo) || !mtl__rd_u32(g, pos, &hi)) return 0;
    *v = (uint64_t)lo | (uint64_t)hi << 32;
    return 1;
}
/* A string: u64 length + bytes. */
static int mtl__rd_str(const mtl__gguf *g, size_t *pos, const char **s, size_t *n) {
    uint64_t l;
    if (!mtl__rd_u64(g, pos, &l) || l > g->len - *pos) return 0;
    *s = (const char *)g->d + *pos;
    *n = (size_t)l;
    *pos += (size_t)l;
    return 1;
}
static size_t mtl__gguf_scalar_size(uint32_t t) {
    switch (t) {
    case MTL__GGUF_U8: case MTL__GGUF_I8: case MTL__GGUF_BOOL: return 1;
    case MTL__GGUF_U16: case MTL__GGUF_I16: return 2;
    case MTL__GGUF_U32: case MTL__GGUF_I32: case MTL__GGUF_F32: return 4;
    case MTL__GGUF_U64: case MTL__GGUF_I64: case MTL__GGUF_F64: return 8;
    default: return 0;
    }
}
/* Skips one value of type t (arrays of scalars or strings; nested arrays are refused). */
static int mtl__gguf_skip(const mtl__gguf *g, size_t *pos, uint32_t t, uint32_t *atype, uint64_t *n) {
    size_t sz = mtl__gguf_scalar_size(t);
    if (sz) { if (g->len - *pos < sz) return 0; *pos += sz; return 1; }
    if (t == MTL__GGUF_STR) { const char *s; size_t l; return mtl__rd_str(g, pos, &s, &l); }
    if (t == MTL__GGUF_ARR) {
        uint32_t et;
        uint64_t cnt, i;
        if (!mtl__rd_u32(g, pos, &et) || !mtl__rd_u64(g, pos, &cnt)) return 0;
        *atype = et;
        *n = cnt;
        sz = mtl__gguf_scalar_size(et);
        if (sz) {
            if (cnt > (g->len - *pos) / sz) return 0;
            *pos += (size_t)cnt * sz;
            return 1;
        }
        if (et != MTL__GGUF_STR || cnt > (g->len - *pos) / 8) return 0;
        for (i = 0; i < cnt; i++) { const char *s; size_t l; if (!mtl__rd_str(g, pos, &s, &l)) return 0; }
        return 1;
    }
    return 0;
}
static void mtl__gguf_free(mtl__gguf *g) {
    MTL_FREE(g->kv);
    MTL_FREE(g->t);
    g->kv = NULL;
    g->t = NULL;
}
static mtl_result mtl__gguf_parse(mtl__gguf *g, const void *data, size_t len, mtl_error *err) {
    size_t pos = 0, i, data_start;
    uint32_t magic, version, align = 32;
    uint64_t n_t, n_kv;
    memset(g, 0, sizeof *g);
    g->d = (const unsigned char *)data;
    g->len = len;
    if (!mtl__rd_u32(g, &pos, &magic) || magic != 0x46554747u) return mtl__err(err, MTL_ERR_FORMAT, "not a GGUF file (bad magic)");
    if (!mtl__rd_u32(g, &pos, &version)) return mtl__err(err, MTL_ERR_FORMAT, "truncated GGUF header");
    if (version != 3) return mtl__err(err, MTL_ERR_UNSUPPORTED, "GGUF version %u (only 3 is supported)", version);
    if (!mtl__rd_u64(g, &pos, &n_t) || !mtl__rd_u64(g, &pos, &n_kv)) return mtl__err(err, MTL_ERR_FORMAT, "truncated GGUF header");
    /* each key/value takes at least 12 bytes, each tensor info at least 24 */
    if (n_kv > (len - pos) / 12 || n_t > (len - pos) / 24) return mtl__err(err, MTL_ERR_FORMAT, "GGUF counts exceed the file size (truncated?)");
    g->kv = (mtl__gguf_kv *)MTL_MALLOC(((size_t)n_kv + 1) * sizeof *g->kv);
    g->t = (mtl__gguf_tensor *)MTL_MALLOC(((size_t)n_t + 1) * sizeof *g->t);
    if (!g->kv || !g->t) { mtl__gguf_free(g); return mtl__err(err, MTL_ERR_NOMEM, "out of memory"); }
    for (i = 0; i < (size_t)n_kv; i++) {
        mtl__gguf_kv *kv = &g->kv[i];
        memset(kv, 0, sizeof *kv);
        if (!mtl__rd_str(g, &pos, &kv->key, &kv->klen) || !mtl__rd_u32(g, &pos, &kv->type)) goto trunc;
        kv->pos = pos;
        if (!mtl__gguf_skip(g, &pos, kv->type, &kv->atype, &kv->n)) goto trunc;
        if (kv->type == MTL__GGUF_ARR) kv->pos += 12;
        g->n_kv++;
        if (kv->klen == 17 && memcmp(kv->key, "general.alignment", 17) == 0) {
            size_t p = kv->pos;
            if (kv->type != MTL__GGUF_U32 || !mtl__rd_u32(g, &p, &align) || align == 0 || (align & (align - 1)) || align > 65536) {
                mtl__gguf_free(g);
                return mtl__err(err, MTL_ERR_FORMAT, "bad general.alignment");
            }
        }
    }
    for (i = 0; i < (size_t)n_t; i++) {
        mtl__gguf_tensor *t = &g->t[i];
        uint32_t d;
        uint64_t off;
        memset(t, 0, sizeof *t);
        if (!mtl__rd_str(g, &pos, &t->name, &t->nlen) || !mtl__rd_u32(g, &pos, &t->ndim)) goto trunc;
        if (t->ndim == 0 || t->ndim > MTL__GGUF_MAX_DIMS) { mtl__gguf_free(g); return mtl__err(err, MTL_ERR_FORMAT, "tensor %lu: bad number of dimensions", (unsigned long)i); }
        t->numel = 1;
        for (d = 0; d < t->ndim; d++) {
            if (!mtl__rd_u64(g, &pos, &t->ne[d])) goto trunc;
            if (t->ne[d] > ((uint64_t)1 << 40) || (t->ne[d] && t->numel > ((uint64_t)1 << 40) / t->ne[d])) {
                mtl__gguf_free(g);
                return mtl__err(err, MTL_ERR_FORMAT, "tensor %lu: dimensions too large", (unsigned long)i);
            }
            t->numel *= t->ne[d];
        }
        for (; d < MTL__GGUF_MAX_DIMS; d++) t->ne[d] = 1;
        if (!mtl__rd_u32(g, &pos, &t->type) || !mtl__rd_u64(g, &pos, &off)) goto trunc;
        t->nbytes = (size_t)(t->numel * (t->type == MTL__GGML_F32 ? 4u : 2u));
        if (t->type != MTL__GGML_F32 && t->type != MTL__GGML_F16 && t->type != MTL__GGML_BF16) {
            uint32_t ty = t->type;
            mtl__gguf_free(g);
            return mtl__err(err, MTL_ERR_UNSUPPORTED, "tensor %lu: ggml type %u (supported: F32, F16, BF16)", (unsigned long)i, ty);
        }
        if (off % align) { mtl__gguf_free(g); return mtl__err(err, MTL_ERR_FORMAT, "tensor %lu: misaligned offset", (unsigned long)i); }
        if (off > len) goto trunc;
        t->off = (size_t)off; /* relative for now */
        g->n_t++;
    }
    data_start = pos + (align - pos % align) % align;
    if (data_start > len) goto trunc;
    for (i = 0; i < g->n_t; i++) {
        mtl__gguf_tensor *t = &g->t[i];
        if (t->off > len - data_start || t->nbytes > len - data_start - t->off) goto trunc;
        t->off += data_start;
    }
    return MTL_OK;
trunc:
    mtl__gguf_free(g);
    return mtl__err(err, MTL_ERR_FORMAT, "truncated or corrupt GGUF file");
}
static const mtl__gguf_kv *mtl__gguf_find(const mtl__gguf *g, const char *key) {
    size_t i, kl = strlen(key);
    for (i = 0; i < g->n_kv; i++)
        if (g->kv[i].klen == kl && memcmp(g->kv[i].key, key, kl) == 0) return &g->kv[i];
    return NULL;
}
/* An integer-valued key (any integer type); returns 0 when absent or not an integer. */
static int mtl__gguf_int(const mtl__gguf *g, const char *key, long *v) {
    const mtl__gguf_kv *kv = mtl__gguf_find(g, key);
    size_t p;
    if (!kv) return 0;
    p = kv->pos;
    switch (kv->type) {
    case MTL__GGUF_U8: case MTL__GGUF_BOOL: *v = g->d[p]; return 1;
    case MTL__GGUF_I8: *v = (signed char)g->d[p]; return 1;
    case MTL__GGUF_U32: case MTL__GGUF_I32: {
        uint32_t u;
        mtl__rd_u32(g, &p, &u);
        *v = kv->type == MTL__GGUF_I32 ? (long)(int32_t)u : (long)(u & 0x7FFFFFFFu);
        if (kv->type == MTL__GGUF_U32 && u > 0x7FFFFFFFu) return 0;
        return 1;
    }
    case MTL__GGUF_U64: case MTL__GGUF_I64: {
        uint64_t u;
        mtl__rd_u64(g, &p, &u);
        if (u > 0x7FFFFFFFu) return 0;
        *v = (long)u;
        return 1;
    }
    default: return 0;
    }
}
static int mtl__gguf_f32(const mtl__gguf *g, const char *key, float *v) {
    const mtl__gguf_kv *kv = mtl__gguf_find(g, key);
    size_t p;
    uint32_t u;
    if (!kv || kv->type != MTL__GGUF_F32) return 0;
    p = kv->pos;
    mtl__rd_u32(g, &p, &u);
    memcpy(v, &u, 4);
    return 1;
}
static int mtl__gguf_str(const mtl__gguf *g, const char *key, const char **s, size_t *n) {
    const mtl__gguf_kv *kv = mtl__gguf_find(g, key);
    size_t p;
    if (!kv || kv->type != MTL__GGUF_STR) return 0;
    p = kv->pos;
    return mtl__rd_str(g, &p, s, n);
}
static int mtl__streq(const char *s, size_t n, const char *lit) {
    return strlen(lit) == n && memcmp(s, lit, n) == 0;
}

/* half / bfloat16 -> float */
static float mtl__f16_to_f32(uint16_t h) {
    uint32_t sign = (uint32_t)(h & 0x8000u) << 16, e = (h >> 10) & 0x1Fu, m = h & 0x3FFu, bits;
    float f;
    if (e == 0) {
        f = (float)m * (1.0f / 16777216.0f); /* subnormal: m * 2^-24 */
        return sign ? -f : f;
    }
    if (e == 31) bits = sign | 0x7F800000u | (m << 13);
    else bits = sign | ((e + 112u) << 23) | (m << 13);
    memcpy(&f, &bits, 4);
    return f;
}
static float mtl__bf16_to_f32(uint16_t h) {
    uint32_t bits = (uint32_t)h << 16;
    float f;
    memcpy(&f, &bits, 4);
    return f;
}

/* ---------------------------------------------------------------------------------------------- */
/* GGUF writing: the one writer of the repository (weights_convert and the trainer's checkpoints). */
/* A file is built in memory as three growable parts - key/values, tensor infos, tensor data - and */
/* assembled as header + key/values + tensor infos + padding (meta), then the data. Tensors are     */
/* 32-byte aligned (general.alignment 32). Private API (mtl__gw_*), used by weights_convert/ and wip/. */
/* ---------------------------------------------------------------------------------------------- */
#if defined(__GNUC__) || defined(__clang__)
#define MTL__WFN static __attribute__((unused))
#else
#define MTL__WFN static
#endif
typedef struct mtl__wbuf { unsigned char *d; size_t n, cap; int oom; } mtl__wbuf;
MTL__WFN void mtl__wb_put(mtl__wbuf *b, const void *p, size_t n) {
    if (b->oom) return;
    if (n > b->cap - b->n) {
        size_t nc = b->cap ? b->cap : 4096;
        unsigned char *nd;
        while (nc - b->n < n) {
            if (nc > ((size_t)-1) / 2) { b->oom = 1; return; }
            nc *= 2;
        }
        nd = (unsigned char *)MTL_REALLOC(b->d, nc);
        if (!nd) { b->oom = 1; return; }
        b->d = nd;
        b->cap = nc;
    }
    if (n) memcpy(b->d + b->n, p, n);
    b->n += n;
}
MTL__WFN void mtl__wb_u32(mtl__wbuf *b, uint32_t v) {
    unsigned char x[4];
    x[0] = (unsigned char)v; x[1] = (unsigned char)(v >> 8); x[2] = (unsigned char)(v >> 16); x[3] = (unsigned char)(v >> 24);
    mtl__wb_put(b, x, 4);
}
MTL__WFN void mtl__wb_u64(mtl__wbuf *b, uint64_t v) { mtl__wb_u32(b, (uint32_t)v); mtl__wb_u32(b, (uint32_t)(v >> 32)); }
MTL__WFN void mtl__wb_str(mtl__wbuf *b, const char *s, size_t n) { mtl__wb_u64(b, n); mtl__wb_put(b, s, n); }
MTL__WFN void mtl__wb_f32s(mtl__wbuf *b, const float *f, size_t n) {   /* little-endian floats */
    size_t i;
    for (i = 0; i < n; i++) { uint32_t u; memcpy(&u, &f[i], 4); mtl__wb_u32(b, u); }
}
MTL__WFN void mtl__wb_free(mtl__wbuf *b) { MTL_FREE(b->d); memset(b, 0, sizeof *b); }

typedef struct mtl__gw { mtl__wbuf kv, ti, data; uint64_t n_kv, n_ti; } mtl__gw;
/* Key/values. Arrays: mtl__gw_key(g, k, MTL__GGUF_ARR), then the element type (u32), the count (u64)
   and the elements appended to g->kv with mtl__wb_*. */
MTL__WFN void mtl__gw_key(mtl__gw *g, const char *k, uint32_t type) { g->n_kv++; mtl__wb_str(&g->kv, k, strlen(k)); mtl__wb_u32(&g->kv, type); }
MTL__WFN void mtl__gw_u32(mtl__gw *g, const char *k, uint32_t v) { mtl__gw_key(g, k, MTL__GGUF_U32); mtl__wb_u32(&g->kv, v); }
MTL__WFN void mtl__gw_i32(mtl__gw *g, const char *k, int32_t v) { mtl__gw_key(g, k, MTL__GGUF_I32); mtl__wb_u32(&g->kv, (uint32_t)v); }
MTL__WFN void mtl__gw_u64(mtl__gw *g, const char *k, uint64_t v) { mtl__gw_key(g, k, MTL__GGUF_U64); mtl__wb_u64(&g->kv, v); }
MTL__WFN void mtl__gw_bool(mtl__gw *g, const char *k, int v) { unsigned char b = (unsigned char)(v != 0); mtl__gw_key(g, k, MTL__GGUF_BOOL); mtl__wb_put(&g->kv, &b, 1); }
MTL__WFN void mtl__gw_f32(mtl__gw *g, const char *k, float v) { uint32_t u; memcpy(&u, &v, 4); mtl__gw_key(g, k, MTL__GGUF_F32); mtl__wb_u32(&g->kv, u); }
MTL__WFN void mtl__gw_f64(mtl__gw *g, const char *k, double v) { uint64_t u; memcpy(&u, &v, 8); mtl__gw_key(g, k, MTL__GGUF_F64); mtl__wb_u64(&g->kv, u); }
MTL__WFN void mtl__gw_str(mtl__gw *g, const char *k, const char *v) { mtl__gw_key(g, k, MTL__GGUF_STR); mtl__wb_str(&g->kv, v, strlen(v)); }
MTL__WFN void mtl__gw_arr(mtl__gw *g, const char *k, uint32_t etype, uint64_t n) { mtl__gw_key(g, k, MTL__GGUF_ARR); mtl__wb_u32(&g->kv, etype); mtl__wb_u64(&g->kv, n); }
/* A tensor's info (ggml dims: ne0 fastest; stored with 1 dimension when ne1 <= 1); its data must be
   appended to g->data right after (numel * 4 bytes for F32, * 2 for F16/BF16). */
MTL__WFN void mtl__gw_tensor(mtl__gw *g, const char *name, uint64_t ne0, uint64_t ne1, uint32_t ggml_type) {
    static const unsigned char zeros[32] = {0};
    mtl__wb_put(&g->data, zeros, (32 - g->data.n % 32) % 32);
    g->n_ti++;
    mtl__wb_str(&g->ti, name, strlen(name));
    mtl__wb_u32(&g->ti, ne1 > 1 ? 2u : 1u);
    mtl__wb_u64(&g->ti, ne0);
    if (ne1 > 1) mtl__wb_u64(&g->ti, ne1);
    mtl__wb_u32(&g->ti, ggml_type);
    mtl__wb_u64(&g->ti, g->data.n);
}
MTL__WFN void mtl__gw_tensor_f32(mtl__gw *g, const char *name, uint64_t ne0, uint64_t ne1, const float *x) {
    mtl__gw_tensor(g, name, ne0, ne1, MTL__GGML_F32);
    mtl__wb_f32s(&g->data, x, (size_t)(ne0 * (ne1 ? ne1 : 1)));
}
MTL__WFN int mtl__gw_oom(const mtl__gw *g) { return g->kv.oom || g->ti.oom || g->data.oom; }
/* meta = magic, version 3, counts, key/values, tensor infos, padding to 32. The file is meta + g->data. */
MTL__WFN mtl_result mtl__gw_meta(const mtl__gw *g, mtl__wbuf *meta, mtl_error *err) {
    static const unsigned char zeros[32] = {0};
    memset(meta, 0, sizeof *meta);
    mtl__wb_u32(meta, 0x46554747u);
    mtl__wb_u32(meta, 3);
    mtl__wb_u64(meta, g->n_ti);
    mtl__wb_u64(meta, g->n_kv);
    mtl__wb_put(meta, g->kv.d, g->kv.n);
    mtl__wb_put(meta, g->ti.d, g->ti.n);
    mtl__wb_put(meta, zeros, (32 - meta->n % 32) % 32);
    if (meta->oom || mtl__gw_oom(g)) { mtl__wb_free(meta); return mtl__err(err, MTL_ERR_NOMEM, "out of memory"); }
    return MTL_OK;
}
MTL__WFN void mtl__gw_free(mtl__gw *g) { mtl__wb_free(&g->kv); mtl__wb_free(&g->ti); mtl__wb_free(&g->data); g->n_kv = g->n_ti = 0; }
/* The whole file as one MTL_MALLOC block. */
MTL__WFN mtl_result mtl__gw_blob(const mtl__gw *g, unsigned char **out, size_t *len, mtl_error *err) {
    mtl__wbuf meta;
    mtl_result r;
    *out = NULL;
    *len = 0;
    if ((r = mtl__gw_meta(g, &meta, err)) != MTL_OK) return r;
    mtl__wb_put(&meta, g->data.d, g->data.n);
    if (meta.oom) { mtl__wb_free(&meta); return mtl__err(err, MTL_ERR_NOMEM, "out of memory"); }
    *out = meta.d;
    *len = meta.n;
    return MTL_OK;
}

/* The model keys every blob starts with (general.*, bert.*). pooling: MTL_POOL_DEFAULT = cls. */
typedef struct mtl__gw_bert {
    const char *name;
    int f16;                 /* general.file_type 1 */
    long hidden_size, intermediate_size, n_layers, n_heads, max_position, type_vocab_size;
    float layer_norm_eps;
    mtl_pooling pooling;
    int normalize;
    long max_seq_length;     /* <= 0 or >= max_position: max_position */
} mtl__gw_bert;
MTL__WFN void mtl__gw_bert_keys(mtl__gw *g, const mtl__gw_bert *c) {
    mtl_pooling pool = c->pooling == MTL_POOL_DEFAULT ? MTL_POOL_CLS : c->pooling;
    mtl__gw_str(g, "general.architecture", "bert");
    mtl__gw_str(g, "general.name", c->name && c->name[0] ? c->name : "bert");
    mtl__gw_u32(g, "general.alignment", 32);
    mtl__gw_u32(g, "general.file_type", c->f16 ? 1u : 0u);
    mtl__gw_u32(g, "bert.context_length", (uint32_t)c->max_position);
    mtl__gw_u32(g, "bert.embedding_length", (uint32_t)c->hidden_size);
    mtl__gw_u32(g, "bert.feed_forward_length", (uint32_t)c->intermediate_size);
    mtl__gw_u32(g, "bert.block_count", (uint32_t)c->n_layers);
    mtl__gw_u32(g, "bert.attention.head_count", (uint32_t)c->n_heads);
    mtl__gw_f32(g, "bert.attention.layer_norm_epsilon", c->layer_norm_eps);
    mtl__gw_bool(g, "bert.attention.causal", 0);
    mtl__gw_u32(g, "bert.pooling_type", pool == MTL_POOL_MEAN ? 1u : pool == MTL_POOL_MAX ? 0u : 2u); /* llama.cpp: 0 none, 1 mean, 2 cls */
}
/* The tokenizer keys (tokenizer.ggml.*, mtl.tokenizer.*); tok NULL: only tokenizer.ggml.token_type_count
   (such a blob is not loadable by mtl_model_load). */
MTL__WFN void mtl__gw_tokenizer(mtl__gw *g, const mtl_tokenizer *tok, long type_vocab_size) {
    mtl_tokenizer_options to;
    int nv, i, l;
    if (!tok) { mtl__gw_u32(g, "tokenizer.ggml.token_type_count", (uint32_t)type_vocab_size); return; }
    nv = mtl_tokenizer_vocab_size(tok);
    mtl_tokenizer_get_options(tok, &to);
    mtl__gw_str(g, "tokenizer.ggml.model", "bert");
    mtl__gw_arr(g, "tokenizer.ggml.tokens", MTL__GGUF_STR, (uint64_t)nv);
    for (i = 0; i < nv; i++) {
        size_t tl = 0;
        const char *tks = mtl_tokenizer_id_to_token(tok, i, &tl);
        if (!tks) { tks = ""; tl = 0; }
        mtl__wb_str(&g->kv, tks, tl);
    }
    {
        int32_t ids[5];
        const char *sp[5];
        static const char *const keys[5] = {"tokenizer.ggml.unknown_token_id", "tokenizer.ggml.cls_token_id",
                                            "tokenizer.ggml.seperator_token_id", "tokenizer.ggml.padding_token_id",
                                            "tokenizer.ggml.mask_token_id"};
        sp[0] = to.unk_token; sp[1] = to.cls_token; sp[2] = to.sep_token; sp[3] = to.pad_token; sp[4] = to.mask_token;
        for (i = 0; i < 5; i++) ids[i] = sp[i] ? mtl_tokenizer_token_to_id(tok, sp[i], strlen(sp[i])) : -1;
        mtl__gw_arr(g, "tokenizer.ggml.token_type", MTL__GGUF_I32, (uint64_t)nv);
        for (l = 0; l < nv; l++) {
            int ty = 1, q;
            if (l == ids[0]) ty = 2;
            for (q = 1; q < 5; q++) if (l == ids[q]) ty = 3;
            mtl__wb_u32(&g->kv, (uint32_t)ty);
        }
        for (i = 0; i < 5; i++) if (ids[i] >= 0) mtl__gw_u32(g, keys[i], (uint32_t)ids[i]);
    }
    mtl__gw_u32(g, "tokenizer.ggml.token_type_count", (uint32_t)type_vocab_size);
    mtl__gw_bool(g, "mtl.tokenizer.lowercase", to.lowercase > 0);
    mtl__gw_bool(g, "mtl.tokenizer.strip_accents", to.strip_accents > 0);
    mtl__gw_bool(g, "mtl.tokenizer.handle_chinese_chars", to.handle_chinese_chars > 0);
    mtl__gw_bool(g, "mtl.tokenizer.clean_text", to.clean_text > 0);
    mtl__gw_u32(g, "mtl.tokenizer.max_input_chars_per_word", (uint32_t)to.max_input_chars_per_word);
    mtl__gw_str(g, "mtl.tokenizer.continuing_subword_prefix", to.continuing_subword_prefix ? to.continuing_subword_prefix : "##");
}
/* The embedding defaults (mtl.pooling, mtl.normalize, mtl.max_seq_length). */
MTL__WFN void mtl__gw_embed_keys(mtl__gw *g, const mtl__gw_bert *c) {
    mtl_pooling pool = c->pooling == MTL_POOL_DEFAULT ? MTL_POOL_CLS : c->pooling;
    mtl__gw_str(g, "mtl.pooling", pool == MTL_POOL_MEAN ? "mean" : pool == MTL_POOL_MAX ? "max" : pool == MTL_POOL_POOLER ? "pooler" : "cls");
    mtl__gw_bool(g, "mtl.normalize", c->normalize);
    mtl__gw_u32(g, "mtl.max_seq_length", (uint32_t)(c->max_seq_length > 0 && c->max_seq_length < c->max_position ? c->max_seq_length : c->max_position));
}

/* FNV-1a 64 of a blob with the 8 bytes at skip (the stored checksum itself) read as zero. */
MTL__WFN uint64_t mtl__fnv64_skip(const unsigned char *p, size_t n, size_t skip) {
    uint64_t h = 0xcbf29ce484222325ull;
    size_t i;
    for (i = 0; i < n; i++) { h ^= (i >= skip && i - skip < 8) ? 0u : p[i]; h *= 0x100000001b3ull; }
    return h;
}

#ifndef MTL_NO_STDIO
/* Writes the parts to "<path>.tmp", flushes it to disk and renames it to path (atomic on POSIX): a
   reader sees the old file or the new one, never a partial one. */
MTL__WFN mtl_result mtl__write_atomic(const char *path, const void *const *parts, const size_t *lens, int n_parts, mtl_error *err) {
    size_t pl;
    char *tmp;
    int ok = 1, i;
    if (!path) return mtl__err(err, MTL_ERR_ARG, "no path");
    pl = strlen(path);
    tmp = (char *)MTL_MALLOC(pl + 5);
    if (!tmp) return mtl__err(err, MTL_ERR_NOMEM, "out of memory");
    memcpy(tmp, path, pl);
    memcpy(tmp + pl, ".tmp", 5);
#ifdef MTL__MMAP
    {   /* POSIX: write, fsync, close */
        int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0) { MTL_FREE(tmp); return mtl__err(err, MTL_ERR_IO, "cannot write %s", path); }
        for (i = 0; i < n_parts && ok; i++) {
            const unsigned char *p = (const unsigned char *)parts[i];
            size_t left = lens[i];
            while (left && ok) {
                ssize_t w = write(fd, p, left > ((size_t)1 << 30) ? ((size_t)1 << 30) : left);
                if (w <= 0) ok = 0;
                else { p += w; left -= (size_t)w; }
            }
        }
        ok = (fsync(fd) == 0) && ok;
        ok = (close(fd) == 0) && ok;
    }
#else
    FILE *f = fopen(tmp, "wb");
    if (!f) { MTL_FREE(tmp); return mtl__err(err, MTL_ERR_IO, "cannot write %s", path); }
    for (i = 0; i < n_parts && ok; i++) ok = lens[i] == 0 || fwrite(parts[i], 1, lens[i], f) == lens[i];
    ok = (fflush(f) == 0) && ok;
    ok = (fclose(f) == 0) && ok;
#endif
    if (!ok || rename(tmp, path) != 0) {
        remove(tmp);
        MTL_FREE(tmp);
        return mtl__err(err, MTL_ERR_IO, "cannot write %s", path);
    }
    MTL_FREE(tmp);
    return MTL_OK;
}
#endif

/* ---------------------------------------------------------------------------------------------- */
/* The model: config + named views of every parameter.                                            */
/* ---------------------------------------------------------------------------------------------- */
typedef struct mtl__layer {
    const float *q_w, *q_b, *k_w, *k_b, *v_w, *v_b;  /* [H,H] (torch [out,in]), [H]  */
    const float *o_w, *o_b, *ln1_w, *ln1_b;          /* attention output + its LayerNorm */
    const float *up_w, *up_b;                        /* [I,H], [I]                  */
    const float *down_w, *down_b;                    /* [H,I], [H]                  */
    const float *ln2_w, *ln2_b;                      /* output LayerNorm            */
    const float *q_p, *k_p, *v_p, *o_p, *up_p, *down_p; /* the six weights packed for the matmul kernel */
} mtl__layer;

struct mtl_model {
    mtl_model_info info;
    const float *tok_emb, *pos_emb, *type_emb;       /* [V,H] [P,H] [T,H]           */
    const float *emb_ln_w, *emb_ln_b;                /* [H]                         */
    mtl__layer *layers;                              /* [n_layers]                  */
    const float *pool_w, *pool_b;                    /* [H,H], [H] or NULL          */
    const float *cls_w, *cls_b;                      /* [num_labels,H], [num_labels] or NULL */
    const char **labels; size_t *label_lens;         /* [num_labels], into the blob */
    mtl_head_info heads[2];                          /* trainer heads: [0] cls, [1] ner (num_labels 0: none) */
    const char **hlabels[2]; size_t *hlabel_lens[2]; /* their label names, into the blob */
    mtl_tokenizer *tok;
    float *owned;                                    /* widened f16/bf16/misaligned tensors */
    float *packed;                                   /* linear weights repacked for the kernel */
    void *file_data; size_t file_len;                /* mmap'ed or read file (NULL: caller's buffer) */
    int mapped;
};

/* Finds tensor `name`, checks its ggml shape, and returns a float view (in place or widened into
   *fill, which advances). With fill == NULL only computes the number of floats needed in *need. */
static mtl_result mtl__view(const mtl__gguf *g, const char *name, uint64_t ne0, uint64_t ne1, int optional,
                            const float **out, float **fill, size_t *need, mtl_error *err) {
    size_t i, nl = strlen(name), k;
    const mtl__gguf_tensor *t = NULL;
    for (i = 0; i < g->n_t; i++)
        if (g->t[i].nlen == nl && memcmp(g->t[i].name, name, nl) == 0) { t = &g->t[i]; break; }
    *out = NULL;
    if (!t) return optional ? MTL_OK : mtl__err(err, MTL_ERR_FORMAT, "tensor %s is missing", name);
    if (t->ne[0] != ne0 || t->ne[1] != ne1 || t->ne[2] != 1 || t->ne[3] != 1)
        return mtl__err(err, MTL_ERR_SHAPE, "tensor %s has shape [%lu,%lu], expected [%lu,%lu]", name,
                        (unsigned long)t->ne[0], (unsigned long)t->ne[1], (unsigned long)ne0, (unsigned long)ne1);
    if (t->type == MTL__GGML_F32 && ((uintptr_t)(g->d + t->off) % sizeof(float)) == 0) {
        *out = (const float *)(const void *)(g->d + t->off);
        return MTL_OK;
    }
    if (!*fill) { *need += (size_t)t->numel; return MTL_OK; }
    for (k = 0; k < (size_t)t->numel; k++) {
        const unsigned char *p = g->d + t->off;
        if (t->type == MTL__GGML_F32) { uint32_t u = (uint32_t)p[4 * k] | (uint32_t)p[4 * k + 1] << 8 | (uint32_t)p[4 * k + 2] << 16 | (uint32_t)p[4 * k + 3] << 24; memcpy(&(*fill)[k], &u, 4); }
        else {
            uint16_t h = (uint16_t)(p[2 * k] | p[2 * k + 1] << 8);
            (*fill)[k] = t->type == MTL__GGML_F16 ? mtl__f16_to_f32(h) : mtl__bf16_to_f32(h);
        }
    }
    *out = *fill;
    *fill += t->numel;
    return MTL_OK;
}

/* Points every parameter view; called twice (count, then fill). */
static mtl_result mtl__bind(mtl_model *m, const mtl__gguf *g, float **fill, size_t *need, mtl_error *err) {
    const mtl_model_info *c = &m->info;
    uint64_t H = (uint64_t)c->hidden_size, I = (uint64_t)c->intermediate_size;
    mtl_result r;
    int l;
    char name[64];
#define MTL__V(nm, a, b, opt, dst) do { if ((r = mtl__view(g, nm, a, b, opt, &(dst), fill, need, err)) != MTL_OK) return r; } while (0)
    MTL__V("token_embd.weight", H, (uint64_t)c->vocab_size, 0, m->tok_emb);
    MTL__V("position_embd.weight", H, (uint64_t)c->max_position, 0, m->pos_emb);
    MTL__V("token_types.weight", H, (uint64_t)c->type_vocab_size, 0, m->type_emb);
    MTL__V("token_embd_norm.weight", H, 1, 0, m->emb_ln_w);
    MTL__V("token_embd_norm.bias", H, 1, 0, m->emb_ln_b);
    for (l = 0; l < c->n_layers; l++) {
        mtl__layer *L = &m->layers[l];
        static const char *const nm[16] = {"attn_q.weight", "attn_q.bias", "attn_k.weight", "attn_k.bias",
                                           "attn_v.weight", "attn_v.bias", "attn_output.weight", "attn_output.bias",
                                           "attn_output_norm.weight", "attn_output_norm.bias", "ffn_up.weight", "ffn_up.bias",
                                           "ffn_down.weight", "ffn_down.bias", "layer_output_norm.weight", "layer_output_norm.bias"};
        const float **dst[16];
        uint64_t s0[16], s1[16];
        int k;
        dst[0] = &L->q_w; dst[1] = &L->q_b; dst[2] = &L->k_w; dst[3] = &L->k_b; dst[4] = &L->v_w; dst[5] = &L->v_b;
        dst[6] = &L->o_w; dst[7] = &L->o_b; dst[8] = &L->ln1_w; dst[9] = &L->ln1_b; dst[10] = &L->up_w; dst[11] = &L->up_b;
        dst[12] = &L->down_w; dst[13] = &L->down_b; dst[14] = &L->ln2_w; dst[15] = &L->ln2_b;
        for (k = 0; k < 16; k++) { s0[k] = H; s1[k] = (k % 2 == 0 && k < 8) ? H : 1; }
        s0[10] = H; s1[10] = I; s0[11] = I; s0[12] = I; s1[12] = H;
        for (k = 0; k < 16; k++) {
            size_t nl = strlen(nm[k]);
            int p = 4;
            memcpy(name, "blk.", 4);
            { int v = l, d = 1; while (v / d >= 10) d *= 10; while (d) { name[p++] = (char)('0' + v / d % 10); d /= 10; } }
            name[p++] = '.';
            memcpy(name + p, nm[k], nl + 1);
            MTL__V(name, s0[k], s1[k], 0, *dst[k]);
        }
    }
    MTL__V("mtl.pooler.weight", H, H, 1, m->pool_w);
    MTL__V("mtl.pooler.bias", H, 1, 1, m->pool_b);
    if (c->head != MTL_HEAD_NONE) {
        MTL__V("mtl.classifier.weight", H, (uint64_t)c->num_labels, 0, m->cls_w);
        MTL__V("mtl.classifier.bias", (uint64_t)c->num_labels, 1, 0, m->cls_b);
    }
    for (l = 0; l < 2; l++) {
        mtl_head_info *hi = &m->heads[l];
        const uint64_t nl = (uint64_t)hi->num_labels, hd = (uint64_t)hi->hidden;
        const char *base = l ? "mtl.head.ner." : "mtl.head.cls.";
        static const char *const sfx[6] = {"weight", "bias", "dense.weight", "dense.bias", "out_proj.weight", "out_proj.bias"};
        if (!hi->num_labels) continue;
        memcpy(name, base, 13);
#define MTL__HN(k) (memcpy(name + 13, sfx[k], strlen(sfx[k]) + 1), name)
        if (!hd) {
            MTL__V(MTL__HN(0), H, nl, 0, hi->w1);
            MTL__V(MTL__HN(1), nl, 1, 0, hi->b1);
        } else {
            MTL__V(MTL__HN(2), H, hd, 0, hi->w1);
            MTL__V(MTL__HN(3), hd, 1, 0, hi->b1);
            MTL__V(MTL__HN(4), hd, nl, 0, hi->w2);
            MTL__V(MTL__HN(5), nl, 1, 0, hi->b2);
        }
#undef MTL__HN
    }
#undef MTL__V
    return MTL_OK;
}

#ifdef MTL__REPACK
static void mtl__pack_weight(float *wp, const float *w, int O, int I);
static size_t mtl__packed_size(int O, int I);
#endif

static mtl_result mtl__model_build(mtl_model *m, const void *data, size_t len, mtl_error *err) {
    mtl__gguf g;
    mtl_result r;
    long v;
    const char *s;
    size_t sl, need = 0;
    float *fill = NULL;
    mtl_model_info *c = &m->info;
    if ((r = mtl__gguf_parse(&g, data, len, err)) != MTL_OK) return r;
    if (!mtl__gguf_str(&g, "general.architecture", &s, &sl)) { r = mtl__err(err, MTL_ERR_FORMAT, "general.architecture is missing"); goto done; }
    if (!mtl__streq(s, sl, "bert")) { r = mtl__err(err, MTL_ERR_UNSUPPORTED, "architecture is not bert: not supported"); goto done; }
    {
        static const char *const keys[6] = {"bert.embedding_length", "bert.block_count", "bert.attention.head_count",
                                            "bert.feed_forward_length", "bert.context_length", "tokenizer.ggml.token_type_count"};
        int *dst[6];
        int k;
        dst[0] = &c->hidden_size; dst[1] = &c->n_layers; dst[2] = &c->n_heads; dst[3] = &c->intermediate_size;
        dst[4] = &c->max_position; dst[5] = &c->type_vocab_size;
        for (k = 0; k < 6; k++) {
            if (!mtl__gguf_int(&g, keys[k], &v) || v < 1 || v > (1L << 24)) { r = mtl__err(err, MTL_ERR_FORMAT, "%s is missing or out of range", keys[k]); goto done; }
            *dst[k] = (int)v;
        }
    }
    if (c->hidden_size % c->n_heads) { r = mtl__err(err, MTL_ERR_SHAPE, "hidden size %d is not a multiple of the head count %d", c->hidden_size, c->n_heads); goto done; }
    if (c->n_layers > 1024) { r = mtl__err(err, MTL_ERR_FORMAT, "too many layers"); goto done; }
    if (!mtl__gguf_f32(&g, "bert.attention.layer_norm_epsilon", &c->layer_norm_eps) || !(c->layer_norm_eps >= 0 && c->layer_norm_eps < 1)) {
        r = mtl__err(err, MTL_ERR_FORMAT, "bert.attention.layer_norm_epsilon is missing or out of range");
        goto done;
    }
    if (mtl__gguf_int(&g, "bert.attention.causal", &v) && v) { r = mtl__err(err, MTL_ERR_UNSUPPORTED, "causal attention is not supported"); goto done; }
    c->max_seq_length = mtl__gguf_int(&g, "mtl.max_seq_length", &v) && v > 0 && v <= c->max_position ? (int)v : c->max_position;
    c->pooling = MTL_POOL_CLS;
    if (mtl__gguf_str(&g, "mtl.pooling", &s, &sl)) {
        if (mtl__streq(s, sl, "mean")) c->pooling = MTL_POOL_MEAN;
        else if (mtl__streq(s, sl, "max")) c->pooling = MTL_POOL_MAX;
        else if (mtl__streq(s, sl, "pooler")) c->pooling = MTL_POOL_POOLER;
    } else if (mtl__gguf_int(&g, "bert.pooling_type", &v) && v == 1) {
        c->pooling = MTL_POOL_MEAN;
    }
    c->normalize = mtl__gguf_int(&g, "mtl.normalize", &v) && v;
    if (mtl__gguf_str(&g, "mtl.head", &s, &sl)) {
        const mtl__gguf_kv *kv;
        if (mtl__streq(s, sl, "sequence_classification")) c->head = MTL_HEAD_SEQUENCE;
        else if (mtl__streq(s, sl, "token_classification")) c->head = MTL_HEAD_TOKEN;
        else { r = mtl__err(err, MTL_ERR_UNSUPPORTED, "unknown mtl.head"); goto done; }
        kv = mtl__gguf_find(&g, "mtl.labels");
        if (!kv || kv->type != MTL__GGUF_ARR || kv->atype != MTL__GGUF_STR || kv->n < 1 || kv->n > 65536) {
            r = mtl__err(err, MTL_ERR_FORMAT, "mtl.labels is missing or malformed");
            goto done;
        }
        c->num_labels = (int)kv->n;
        m->labels = (const char **)MTL_MALLOC((size_t)kv->n * sizeof(char *));
        m->label_lens = (size_t *)MTL_MALLOC((size_t)kv->n * sizeof(size_t));
        if (!m->labels || !m->label_lens) { r = mtl__err(err, MTL_ERR_NOMEM, "out of memory"); goto done; }
        {
            size_t p = kv->pos, k;
            for (k = 0; k < (size_t)kv->n; k++) mtl__rd_str(&g, &p, &m->labels[k], &m->label_lens[k]);
        }
    }
    /* the trainer's task heads (mtl.head.cls.*, mtl.head.ner.*) */
    {
        int h;
        for (h = 0; h < 2; h++) {
            mtl_head_info *hi = &m->heads[h];
            char key[40];
            const char *base = h ? "mtl.head.ner." : "mtl.head.cls.";
            const mtl__gguf_kv *kv;
#define MTL__HK(sfx) (memcpy(key, base, 13), memcpy(key + 13, sfx, strlen(sfx) + 1), key)
            if (!mtl__gguf_int(&g, MTL__HK("num_labels"), &v)) continue;
            if (v < 1 || v > 65536) { r = mtl__err(err, MTL_ERR_FORMAT, "%s is out of range", key); goto done; }
            hi->num_labels = (int)v;
            hi->kind = h ? MTL_HEAD_TOKEN : MTL_HEAD_SEQUENCE;
            if (mtl__gguf_int(&g, MTL__HK("hidden"), &v) && v > 0) {
                if (v > (1L << 24)) { r = mtl__err(err, MTL_ERR_FORMAT, "%s is out of range", key); goto done; }
                hi->hidden = (int)v;
            }
            hi->relu = mtl__gguf_str(&g, MTL__HK("activation"), &s, &sl) && mtl__streq(s, sl, "relu");
            hi->pooling = MTL_POOL_MEAN;
            if (mtl__gguf_str(&g, MTL__HK("pooling"), &s, &sl)) hi->pooling = mtl__streq(s, sl, "cls") ? MTL_POOL_CLS : mtl__streq(s, sl, "max") ? MTL_POOL_MAX : MTL_POOL_MEAN;
            kv = mtl__gguf_find(&g, MTL__HK("labels"));
#undef MTL__HK
            if (kv) {
                size_t p = kv->pos, k;
                if (kv->type != MTL__GGUF_ARR || kv->atype != MTL__GGUF_STR || kv->n != (uint64_t)hi->num_labels) { r = mtl__err(err, MTL_ERR_FORMAT, "%s is malformed", key); goto done; }
                m->hlabels[h] = (const char **)MTL_MALLOC((size_t)kv->n * sizeof(char *));
                m->hlabel_lens[h] = (size_t *)MTL_MALLOC((size_t)kv->n * sizeof(size_t));
                if (!m->hlabels[h] || !m->hlabel_lens[h]) { r = mtl__err(err, MTL_ERR_NOMEM, "out of memory"); goto done; }
                for (k = 0; k < (size_t)kv->n; k++) mtl__rd_str(&g, &p, &m->hlabels[h][k], &m->hlabel_lens[h][k]);
            }
        }
    }
    /* the tokenizer */
    {
        const mtl__gguf_kv *kv = mtl__gguf_find(&g, "tokenizer.ggml.tokens");
        const char **toks;
        size_t *lens, p, k;
        mtl_tokenizer_options to;
        char *strs[6];
        static const char *const skey[6] = {"tokenizer.ggml.unknown_token_id", "tokenizer.ggml.cls_token_id",
                                            "tokenizer.ggml.seperator_token_id", "tokenizer.ggml.padding_token_id",
                                            "tokenizer.ggml.mask_token_id", "mtl.tokenizer.continuing_subword_prefix"};
        if (!mtl__gguf_str(&g, "tokenizer.ggml.model", &s, &sl) || !mtl__streq(s, sl, "bert")) { r = mtl__err(err, MTL_ERR_UNSUPPORTED, "tokenizer.ggml.model is not bert"); goto done; }
        if (!kv || kv->type != MTL__GGUF_ARR || kv->atype != MTL__GGUF_STR || kv->n < 1 || kv->n > (1u << 24)) { r = mtl__err(err, MTL_ERR_FORMAT, "tokenizer.ggml.tokens is missing or malformed"); goto done; }
        c->vocab_size = (int)kv->n;
        {
            const mtl__gguf_tensor *te = NULL;
            for (k = 0; k < g.n_t; k++) if (mtl__streq(g.t[k].name, g.t[k].nlen, "token_embd.weight")) te = &g.t[k];
            if (te && te->ne[1] >= kv->n && te->ne[1] <= (1u << 24)) c->vocab_size = (int)te->ne[1]; /* embedding rows may exceed the vocab */
        }
        memset(&to, 0, sizeof to);
        memset(strs, 0, sizeof strs);
        if (mtl__gguf_int(&g, "mtl.tokenizer.lowercase", &v)) to.lowercase = v ? 1 : -1;
        if (mtl__gguf_int(&g, "mtl.tokenizer.strip_accents", &v)) to.strip_accents = v ? 1 : -1;
        if (mtl__gguf_int(&g, "mtl.tokenizer.handle_chinese_chars", &v)) to.handle_chinese_chars = v ? 1 : -1;
        if (mtl__gguf_int(&g, "mtl.tokenizer.clean_text", &v)) to.clean_text = v ? 1 : -1;
        if (mtl__gguf_int(&g, "mtl.tokenizer.max_input_chars_per_word", &v) && v > 0 && v < 100000) to.max_input_chars_per_word = (int)v;
        toks = (const char **)MTL_MALLOC((size_t)kv->n * sizeof(char *));
        lens = (size_t *)MTL_MALLOC((size_t)kv->n * sizeof(size_t));
        if (!toks || !lens) { MTL_FREE((void *)toks); MTL_FREE(lens); r = mtl__err(err, MTL_ERR_NOMEM, "out of memory"); goto done; }
        p = kv->pos;
        for (k = 0; k < (size_t)kv->n; k++) mtl__rd_str(&g, &p, &toks[k], &lens[k]);
        r = MTL_OK;
        for (k = 0; k < 6 && !r; k++) {
            const char *ts = NULL;
            size_t tl = 0;
            if (k < 5) {
                if (mtl__gguf_int(&g, skey[k], &v) && v >= 0 && (uint64_t)v < kv->n) { ts = toks[v]; tl = lens[v]; }
            } else if (!mtl__gguf_str(&g, skey[k], &ts, &tl)) ts = NULL;
            if (!ts) continue;
            strs[k] = (char *)MTL_MALLOC(tl + 1);
            if (!strs[k]) { r = mtl__err(err, MTL_ERR_NOMEM, "out of memory"); break; }
            memcpy(strs[k], ts, tl);
            strs[k][tl] = 0;
        }
        to.unk_token = strs[0]; to.cls_token = strs[1]; to.sep_token = strs[2]; to.pad_token = strs[3]; to.mask_token = strs[4];
        to.continuing_subword_prefix = strs[5];
        if (!r) r = mtl_tokenizer_from_tokens(toks, lens, (int)kv->n, &to, &m->tok, err);
        for (k = 0; k < 6; k++) MTL_FREE(strs[k]);
        MTL_FREE((void *)toks);
        MTL_FREE(lens);
        if (r) goto done;
    }
    m->layers = (mtl__layer *)MTL_MALLOC((size_t)c->n_layers * sizeof(mtl__layer));
    if (!m->layers) { r = mtl__err(err, MTL_ERR_NOMEM, "out of memory"); goto done; }
    memset(m->layers, 0, (size_t)c->n_layers * sizeof(mtl__layer));
    if ((r = mtl__bind(m, &g, &fill, &need, err)) != MTL_OK) goto done;
    if (need) {
        m->owned = (float *)MTL_MALLOC(need * sizeof(float));
        if (!m->owned) { r = mtl__err(err, MTL_ERR_NOMEM, "out of memory"); goto done; }
        fill = m->owned;
        if ((r = mtl__bind(m, &g, &fill, &need, err)) != MTL_OK) goto done;
    }
#ifdef MTL__REPACK
    {   /* repack the linear weights once into the kernel's panel layout */
        const int H = c->hidden_size, I = c->intermediate_size;
        size_t per = 4 * mtl__packed_size(H, H) + mtl__packed_size(I, H) + mtl__packed_size(H, I), off = 0;
        int l;
        m->packed = (float *)MTL_MALLOC(per * (size_t)c->n_layers * sizeof(float));
        if (!m->packed) { r = mtl__err(err, MTL_ERR_NOMEM, "out of memory"); goto done; }
        for (l = 0; l < c->n_layers; l++) {
            mtl__layer *L = &m->layers[l];
            float *p = m->packed + off;
            mtl__pack_weight(p, L->q_w, H, H); L->q_p = p; p += mtl__packed_size(H, H);
            mtl__pack_weight(p, L->k_w, H, H); L->k_p = p; p += mtl__packed_size(H, H);
            mtl__pack_weight(p, L->v_w, H, H); L->v_p = p; p += mtl__packed_size(H, H);
            mtl__pack_weight(p, L->o_w, H, H); L->o_p = p; p += mtl__packed_size(H, H);
            mtl__pack_weight(p, L->up_w, I, H); L->up_p = p; p += mtl__packed_size(I, H);
            mtl__pack_weight(p, L->down_w, H, I); L->down_p = p;
            off += per;
        }
    }
#endif
    c->has_pooler = m->pool_w && m->pool_b;
    if ((m->pool_w == NULL) != (m->pool_b == NULL)) { r = mtl__err(err, MTL_ERR_FORMAT, "pooler weight without bias"); goto done; }
    if (c->pooling == MTL_POOL_POOLER && !c->has_pooler) c->pooling = MTL_POOL_CLS;
    r = MTL_OK;
done:
    mtl__gguf_free(&g);
    return r;
}

MTLDEF void mtl_model_free(mtl_model *m) {
    if (!m) return;
    mtl_tokenizer_free(m->tok);
    MTL_FREE(m->layers);
    MTL_FREE(m->owned);
    MTL_FREE(m->packed);
    MTL_FREE((void *)m->labels);
    MTL_FREE(m->label_lens);
    MTL_FREE((void *)m->hlabels[0]);
    MTL_FREE((void *)m->hlabels[1]);
    MTL_FREE(m->hlabel_lens[0]);
    MTL_FREE(m->hlabel_lens[1]);
#ifdef MTL__MMAP
    if (m->mapped) munmap(m->file_data, m->file_len);
    else
#endif
        MTL_FREE(m->file_data);
    MTL_FREE(m);
}

static mtl_result mtl__model_new(mtl_model **out, mtl_error *err) {
    mtl_model *m = (mtl_model *)MTL_MALLOC(sizeof *m);
    *out = m;
    if (!m) return mtl__err(err, MTL_ERR_NOMEM, "out of memory");
    memset(m, 0, sizeof *m);
    return MTL_OK;
}

MTLDEF mtl_result mtl_model_from_memory(const void *data, size_t len, mtl_model **out, mtl_error *err) {
    mtl_model *m;
    mtl_result r;
    if (!out) return mtl__err(err, MTL_ERR_ARG, "bad arguments");
    *out = NULL;
    if (!data && len) return mtl__err(err, MTL_ERR_ARG, "bad arguments");
    if ((r = mtl__model_new(&m, err)) != MTL_OK) return r;
    if ((r = mtl__model_build(m, data ? data : "", len, err)) != MTL_OK) { mtl_model_free(m); return r; }
    *out = m;
    mtl__ok(err);
    return MTL_OK;
}

#ifndef MTL_NO_STDIO
MTLDEF mtl_result mtl_model_load(const char *path, mtl_model **out, mtl_error *err) {
    mtl_model *m;
    mtl_result r;
    if (!out || !path) return mtl__err(err, MTL_ERR_ARG, "bad arguments");
    *out = NULL;
    if ((r = mtl__model_new(&m, err)) != MTL_OK) return r;
#ifdef MTL__MMAP
    {
        int fd = open(path, O_RDONLY);
        struct stat st;
        if (fd >= 0 && fstat(fd, &st) == 0 && st.st_size > 0) {
            void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
            if (p != MAP_FAILED) { m->file_data = p; m->file_len = (size_t)st.st_size; m->mapped = 1; }
        }
        if (fd >= 0) close(fd);
    }
#endif
    if (!m->mapped) {
        char *d;
        size_t n;
        if ((r = mtl__read_file(path, &d, &n, err)) != MTL_OK) { mtl_model_free(m); return r; }
        m->file_data = d;
        m->file_len = n;
    }
    if ((r = mtl__model_build(m, m->file_data, m->file_len, err)) != MTL_OK) {
        char msg[256];
        size_t pl = strlen(path);
        if (err && pl < 100) { memcpy(msg, err->msg, sizeof msg); mtl__err(err, r, "%s: %s", path, msg); }
        mtl_model_free(m);
        return r;
    }
    *out = m;
    mtl__ok(err);
    return MTL_OK;
}
#endif

MTLDEF const mtl_model_info *mtl_model_get_info(const mtl_model *m) { return m ? &m->info : NULL; }
MTLDEF const mtl_tokenizer *mtl_model_tokenizer(const mtl_model *m) { return m ? m->tok : NULL; }
MTLDEF const char *mtl_model_label(const mtl_model *m, int id, size_t *len) {
    if (!m || !m->labels || id < 0 || id >= m->info.num_labels) return NULL;
    if (len) *len = m->label_lens[id];
    return m->labels[id];
}
MTLDEF const mtl_head_info *mtl_model_head(const mtl_model *m, mtl_head_kind kind) {
    int h = kind == MTL_HEAD_SEQUENCE ? 0 : kind == MTL_HEAD_TOKEN ? 1 : -1;
    return m && h >= 0 && m->heads[h].num_labels > 0 ? &m->heads[h] : NULL;
}
MTLDEF const char *mtl_model_head_label(const mtl_model *m, mtl_head_kind kind, int id, size_t *len) {
    int h = kind == MTL_HEAD_SEQUENCE ? 0 : kind == MTL_HEAD_TOKEN ? 1 : -1;
    if (!m || h < 0 || !m->hlabels[h] || id < 0 || id >= m->heads[h].num_labels) return NULL;
    if (len) *len = m->hlabel_lens[h][id];
    return m->hlabels[h][id];
}
MTLDEF const char *mtl_pooling_name(mtl_pooling p) {
    switch (p) {
    case MTL_POOL_CLS: return "cls";
    case MTL_POOL_MEAN: return "mean";
    case MTL_POOL_MAX: return "max";
    case MTL_POOL_POOLER: return "pooler";
    default: return "default";
    }
}

/* ---------------------------------------------------------------------------------------------- */
/* Threads: run fn over [0, n_tasks) split into contiguous chunks, one per thread.                */
/* ---------------------------------------------------------------------------------------------- */
typedef void (*mtl__task_fn)(void *arg, int begin, int end, int tid);
#define MTL__MAX_THREADS 64
#ifndef MTL_THREAD_MIN_WORK
#define MTL_THREAD_MIN_WORK 200000.0  /* multiply-adds per thread below which waking workers does not pay */
#endif
typedef struct mtl__pool mtl__pool;
#ifdef MTL__THREADS
/* A context's worker threads, started once (mtl_ctx_init) and woken for each parallel step. */
typedef struct mtl__worker { mtl__pool *pool; int tid; } mtl__worker;
struct mtl__pool {
    pthread_mutex_t mu;
    pthread_cond_t go, done;
    pthread_t th[MTL__MAX_THREADS];
    mtl__worker w[MTL__MAX_THREADS];
    int n;                    /* worker threads; the caller is thread 0            */
    unsigned long gen;        /* incremented for every job                         */
    int pending, quit;        /* workers still busy with the job; shut down        */
    mtl__task_fn fn; void *arg; int n_tasks, parts;
};
/* Workers, and the caller waiting for them, spin for a while before sleeping on the condition
   variable: the steps of a small forward take tens of microseconds, less than waking a sleeping
   thread costs on many machines. MTL_SPIN = iterations (0: always sleep). */
#ifndef MTL_SPIN
#define MTL_SPIN 200000
#endif
#if defined(__GNUC__) || defined(__clang__)
#define MTL__LOAD(x) __atomic_load_n(&(x), __ATOMIC_ACQUIRE)
#define MTL__STORE(x, v) __atomic_store_n(&(x), (v), __ATOMIC_RELEASE)
#define MTL__DEC(x) __atomic_sub_fetch(&(x), 1, __ATOMIC_ACQ_REL)
#define MTL__SPINS MTL_SPIN
#else
#define MTL__LOAD(x) (x)
#define MTL__STORE(x, v) ((x) = (v))
#define MTL__DEC(x) (--(x))
#define MTL__SPINS 0
#endif
static void *mtl__worker_main(void *arg) {
    mtl__worker *w = (mtl__worker *)arg;
    mtl__pool *p = w->pool;
    unsigned long seen = 0;
    for (;;) {
        mtl__task_fn fn;
        void *a;
        int n_tasks, parts;
        long spin;
        for (spin = 0; spin < MTL__SPINS && MTL__LOAD(p->gen) == seen && !MTL__LOAD(p->quit); spin++) {}
        if (MTL__LOAD(p->gen) == seen) {
            pthread_mutex_lock(&p->mu);
            while (MTL__LOAD(p->gen) == seen && !MTL__LOAD(p->quit)) pthread_cond_wait(&p->go, &p->mu);
            pthread_mutex_unlock(&p->mu);
        }
        if (MTL__LOAD(p->quit)) break;
        seen = MTL__LOAD(p->gen);
        fn = p->fn; a = p->arg; n_tasks = p->n_tasks; parts = p->parts;
        if (w->tid < parts) {
            int begin = (int)((long)n_tasks * w->tid / parts), end = (int)((long)n_tasks * (w->tid + 1) / parts);
            if (begin < end) fn(a, begin, end, w->tid);
        }
        if (MTL__DEC(p->pending) == 0) {
            pthread_mutex_lock(&p->mu);
            pthread_cond_signal(&p->done);
            pthread_mutex_unlock(&p->mu);
        }
    }
    return NULL;
}
static void mtl__pool_free(mtl__pool *p) {
    int k;
    if (!p) return;
    pthread_mutex_lock(&p->mu);
    MTL__STORE(p->quit, 1);
    pthread_cond_broadcast(&p->go);
    pthread_mutex_unlock(&p->mu);
    for (k = 0; k < p->n; k++) pthread_join(p->th[k], NULL);
    pthread_cond_destroy(&p->go);
    pthread_cond_destroy(&p->done);
    pthread_mutex_destroy(&p->mu);
    MTL_FREE(p);
}
/* n_threads - 1 workers; NULL when threads are not wanted or cannot be made. */
static mtl__pool *mtl__pool_new(int n_threads) {
    mtl__pool *p;
    int k;
    if (n_threads < 2) return NULL;
    if (n_threads > MTL__MAX_THREADS) n_threads = MTL__MAX_THREADS;
    p = (mtl__pool *)MTL_MALLOC(sizeof *p);
    if (!p) return NULL;
    memset(p, 0, sizeof *p);
    if (pthread_mutex_init(&p->mu, NULL)) { MTL_FREE(p); return NULL; }
    if (pthread_cond_init(&p->go, NULL)) { pthread_mutex_destroy(&p->mu); MTL_FREE(p); return NULL; }
    if (pthread_cond_init(&p->done, NULL)) { pthread_cond_destroy(&p->go); pthread_mutex_destroy(&p->mu); MTL_FREE(p); return NULL; }
    for (k = 0; k < n_threads - 1; k++) {
        p->w[k].pool = p;
        p->w[k].tid = k + 1;
        if (pthread_create(&p->th[k], NULL, mtl__worker_main, &p->w[k]) != 0) break;
        p->n++;
    }
    if (p->n == 0) { mtl__pool_free(p); return NULL; }
    return p;
}
#endif

/* Runs fn over [0, n_tasks) split into contiguous chunks: chunk 0 on the caller, the others on the
   pool's workers (when the work is worth it). fn gets its thread index for per-thread scratch. */
static void mtl__parallel(mtl__pool *pool, int n_tasks, double work, mtl__task_fn fn, void *arg) {
#ifdef MTL__THREADS
    int parts = pool ? pool->n + 1 : 1;
    if (parts > n_tasks) parts = n_tasks;
    if (work / (double)(parts > 0 ? parts : 1) < MTL_THREAD_MIN_WORK) parts = (int)(work / MTL_THREAD_MIN_WORK);
    if (parts > 1) {
        long spin;
        pthread_mutex_lock(&pool->mu);
        pool->fn = fn; pool->arg = arg; pool->n_tasks = n_tasks; pool->parts = parts;
        MTL__STORE(pool->pending, pool->n);
        MTL__STORE(pool->gen, pool->gen + 1);       /* publishes the fields above */
        pthread_cond_broadcast(&pool->go);
        pthread_mutex_unlock(&pool->mu);
        fn(arg, 0, (int)((long)n_tasks / parts), 0);
        for (spin = 0; spin < MTL__SPINS && MTL__LOAD(pool->pending) > 0; spin++) {}
        if (MTL__LOAD(pool->pending) > 0) {
            pthread_mutex_lock(&pool->mu);
            while (MTL__LOAD(pool->pending) > 0) pthread_cond_wait(&pool->done, &pool->mu);
            pthread_mutex_unlock(&pool->mu);
        }
        return;
    }
#else
    (void)pool; (void)work;
#endif
    if (n_tasks > 0) fn(arg, 0, n_tasks, 0);
}

/* ---------------------------------------------------------------------------------------------- */
/* The forward, one function per step, top to bottom. T = tokens of the packed batch (all inputs   */
/* one after another), H = hidden, I = intermediate, nh heads of hd = H/nh.                        */
/* ---------------------------------------------------------------------------------------------- */
/* The hot loops are compiled for several x86-64 levels (AVX-512 / AVX2+FMA / baseline), picked at
   load time, so a plain -O2 build still vectorizes well. Define MTL_NO_CLONES to turn this off. */
#if !defined(MTL_NO_CLONES) && defined(__x86_64__) && defined(__linux__) && defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 12
#define MTL__HOT __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default"), optimize("O3", "fp-contract=fast")))
#elif !defined(MTL_NO_CLONES) && defined(__x86_64__) && defined(__linux__) && defined(__clang__) && __clang_major__ >= 14
#define MTL__HOT __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define MTL__HOT
#endif
/* On AVX-512 a second kernel works on two panels (32 columns) at once: 8 vector accumulators. */
#if !defined(MTL_NO_CLONES) && defined(MTL__REPACK) && defined(__x86_64__) && defined(__linux__) && defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 12
#define MTL__WIDE __attribute__((target("arch=x86-64-v4"), optimize("O3", "fp-contract=fast")))
#elif !defined(MTL_NO_CLONES) && defined(MTL__REPACK) && defined(__x86_64__) && defined(__linux__) && defined(__clang__) && __clang_major__ >= 14
#define MTL__WIDE __attribute__((target("avx512f,avx512vl,avx512bw,avx512dq,avx2,fma")))
#endif
#define MTL__NB 16      /* output columns per tile of the matrix product (the packed panel width) */

#ifndef MTL_USE_BLAS
typedef struct mtl__mm {
    float *out; const float *in, *w, *wp, *b;
    int T, I, O;
    float *scratch;     /* without repacked weights: per thread I * MTL__NB floats for one panel */
} mtl__mm;

/* Packs output columns [o0, o0+NB) of a torch [O,I] weight: P[i*NB + c] = W[o0+c][i] (0 past O). */
static void mtl__pack_tile(float *P, const float *w, int o0, int O, int I) {
    int i, c;
    for (c = 0; c < MTL__NB; c++) {
        const float *wr = w + (size_t)(o0 + c < O ? o0 + c : 0) * (size_t)I;
        if (o0 + c < O) for (i = 0; i < I; i++) P[(size_t)i * MTL__NB + (size_t)c] = wr[i];
        else for (i = 0; i < I; i++) P[(size_t)i * MTL__NB + (size_t)c] = 0.0f;
    }
}

/* out[T,O] = in[T,I] @ W^T + b for output column tiles [tb, te); W comes packed (mtl__pack_weight):
   tile j holds W[j*NB .. j*NB+NB-1][0..I) transposed, i.e. wp[(j*I + i)*NB + c] = W[j*NB+c][i]. */
MTL__HOT static void mtl__matmul_tiles(void *arg, int tb, int te, int tid) {
    const mtl__mm *a = (const mtl__mm *)arg;
    const int T = a->T, I = a->I, O = a->O;
    int tile;
    for (tile = tb; tile < te; tile++) {
        const int o0 = tile * MTL__NB, nb = O - o0 < MTL__NB ? O - o0 : MTL__NB;
        const float *P;
        if (a->wp) P = a->wp + (size_t)tile * (size_t)I * MTL__NB;
        else {
            float *S = a->scratch + (size_t)tid * (size_t)I * MTL__NB;
            mtl__pack_tile(S, a->w, o0, O, I);
            P = S;
        }
        int t, j, k, r;
        for (t = 0; t < T; t += 4) {
            float a0[MTL__NB], a1[MTL__NB], a2[MTL__NB], a3[MTL__NB];
            const int rows = T - t < 4 ? T - t : 4;
            const float *x0 = a->in + (size_t)t * (size_t)I;
            const float *x1 = a->in + (size_t)(t + (rows > 1 ? 1 : 0)) * (size_t)I;
            const float *x2 = a->in + (size_t)(t + (rows > 2 ? 2 : 0)) * (size_t)I;
            const float *x3 = a->in + (size_t)(t + (rows > 3 ? 3 : 0)) * (size_t)I;
            for (j = 0; j < MTL__NB; j++) { a0[j] = 0.0f; a1[j] = 0.0f; a2[j] = 0.0f; a3[j] = 0.0f; }
            for (k = 0; k < I; k++) {
                const float *p = P + (size_t)k * MTL__NB;
                const float v0 = x0[k], v1 = x1[k], v2 = x2[k], v3 = x3[k];
                for (j = 0; j < MTL__NB; j++) {
                    a0[j] += v0 * p[j];
                    a1[j] += v1 * p[j];
                    a2[j] += v2 * p[j];
                    a3[j] += v3 * p[j];
                }
            }
            /* (no pointers to the accumulators: they would stop clang from vectorizing) */
            for (r = 0; r < rows; r++) {
                float *o = a->out + (size_t)(t + r) * (size_t)O + o0;
                for (j = 0; j < nb; j++)
                    o[j] = (r == 0 ? a0[j] : r == 1 ? a1[j] : r == 2 ? a2[j] : a3[j]) + (a->b ? a->b[o0 + j] : 0.0f);
            }
        }
    }
}
#ifdef MTL__REPACK
/* Packs a whole torch [O,I] weight into the panel layout above. */
static void mtl__pack_weight(float *wp, const float *w, int O, int I) {
    int tile;
    for (tile = 0; tile * MTL__NB < O; tile++) mtl__pack_tile(wp + (size_t)tile * (size_t)I * MTL__NB, w, tile * MTL__NB, O, I);
}
static size_t mtl__packed_size(int O, int I) { return (size_t)((O + MTL__NB - 1) / MTL__NB) * MTL__NB * (size_t)I; }
#endif

#endif

#ifdef MTL__WIDE
/* The same as mtl__matmul_tiles for repacked weights, two adjacent panels per task (AVX-512 only). */
MTL__WIDE static void mtl__matmul_tiles2(void *arg, int tb, int te, int tid) {
    const mtl__mm *a = (const mtl__mm *)arg;
    const int T = a->T, I = a->I, O = a->O, n_tiles = (O + MTL__NB - 1) / MTL__NB;
    int pair;
    for (pair = tb; pair < te; pair++) {
        const int tile = 2 * pair, o0 = tile * MTL__NB;
        const float *P0 = a->wp + (size_t)tile * (size_t)I * MTL__NB, *P1 = P0 + (size_t)I * MTL__NB;
        int t, j, k, r;
        if (tile + 1 >= n_tiles) { mtl__matmul_tiles(arg, tile, tile + 1, tid); continue; }
        for (t = 0; t < T; t += 4) {
            float a0[MTL__NB], a1[MTL__NB], a2[MTL__NB], a3[MTL__NB], b0[MTL__NB], b1[MTL__NB], b2[MTL__NB], b3[MTL__NB];
            const int rows = T - t < 4 ? T - t : 4, nb = O - o0 - MTL__NB < MTL__NB ? O - o0 - MTL__NB : MTL__NB;
            const float *x0 = a->in + (size_t)t * (size_t)I;
            const float *x1 = a->in + (size_t)(t + (rows > 1 ? 1 : 0)) * (size_t)I;
            const float *x2 = a->in + (size_t)(t + (rows > 2 ? 2 : 0)) * (size_t)I;
            const float *x3 = a->in + (size_t)(t + (rows > 3 ? 3 : 0)) * (size_t)I;
            for (j = 0; j < MTL__NB; j++) { a0[j] = a1[j] = a2[j] = a3[j] = 0.0f; b0[j] = b1[j] = b2[j] = b3[j] = 0.0f; }
            for (k = 0; k < I; k++) {
                const float *p = P0 + (size_t)k * MTL__NB, *q = P1 + (size_t)k * MTL__NB;
                const float v0 = x0[k], v1 = x1[k], v2 = x2[k], v3 = x3[k];
                for (j = 0; j < MTL__NB; j++) {
                    a0[j] += v0 * p[j]; a1[j] += v1 * p[j]; a2[j] += v2 * p[j]; a3[j] += v3 * p[j];
                    b0[j] += v0 * q[j]; b1[j] += v1 * q[j]; b2[j] += v2 * q[j]; b3[j] += v3 * q[j];
                }
            }
            for (r = 0; r < rows; r++) {
                float *o = a->out + (size_t)(t + r) * (size_t)O + o0;
                for (j = 0; j < MTL__NB; j++)
                    o[j] = (r == 0 ? a0[j] : r == 1 ? a1[j] : r == 2 ? a2[j] : a3[j]) + (a->b ? a->b[o0 + j] : 0.0f);
                for (j = 0; j < nb; j++)
                    o[MTL__NB + j] = (r == 0 ? b0[j] : r == 1 ? b1[j] : r == 2 ? b2[j] : b3[j]) + (a->b ? a->b[o0 + MTL__NB + j] : 0.0f);
            }
        }
    }
}
#endif

/* out[T,O] = in[T,I] @ w[O,I]^T + b[O]  (w: torch layout; wp: the same packed) */
static void mtl__matmul_forward(float *out, const float *in, const float *w, const float *wp, const float *b,
                                int T, int I, int O, float *scratch, mtl__pool *pool) {
#ifdef MTL_USE_BLAS
    int t;
    (void)wp; (void)pool; (void)scratch;
    for (t = 0; t < T; t++) {
        if (b) memcpy(out + (size_t)t * (size_t)O, b, (size_t)O * sizeof(float));
        else memset(out + (size_t)t * (size_t)O, 0, (size_t)O * sizeof(float));
    }
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, T, O, I, 1.0f, in, I, w, I, 1.0f, out, O);
#else
    mtl__mm a;
    a.out = out; a.in = in; a.w = w; a.wp = wp; a.b = b; a.T = T; a.I = I; a.O = O; a.scratch = scratch;
#ifdef MTL__WIDE
    if (wp && __builtin_cpu_supports("avx512f")) {
        mtl__parallel(pool, ((O + MTL__NB - 1) / MTL__NB + 1) / 2, (double)T * I * O, mtl__matmul_tiles2, &a);
        return;
    }
#endif
    mtl__parallel(pool, (O + MTL__NB - 1) / MTL__NB, (double)T * I * O, mtl__matmul_tiles, &a);
#endif
}

/* x[T,H] = word[ids] + type[types] + pos[position within its input] */
static void mtl__embeddings_forward(float *x, const mtl_model *m, const int32_t *ids, const int32_t *types,
                                    const int *starts, int n_seq) {
    const int H = m->info.hidden_size;
    int s, t, h;
    for (s = 0; s < n_seq; s++) {
        for (t = starts[s]; t < starts[s + 1]; t++) {
            const float *we = m->tok_emb + (size_t)ids[t] * (size_t)H;
            const float *te = m->type_emb + (size_t)types[t] * (size_t)H;
            const float *pe = m->pos_emb + (size_t)(t - starts[s]) * (size_t)H;
            float *o = x + (size_t)t * (size_t)H;
            for (h = 0; h < H; h++) o[h] = (we[h] + te[h]) + pe[h];
        }
    }
}

/* out[T,H] = LayerNorm(in [+ res]) with weight w, bias b (out may alias in). */
static void mtl__layernorm_forward(float *out, const float *in, const float *res, const float *w, const float *b,
                                   int T, int H, float eps) {
    int t, h;
    for (t = 0; t < T; t++) {
        const float *x = in + (size_t)t * (size_t)H;
        const float *rr = res ? res + (size_t)t * (size_t)H : NULL;
        float *o = out + (size_t)t * (size_t)H;
        float mean = 0.0f, var = 0.0f, rstd;
        if (rr) for (h = 0; h < H; h++) o[h] = x[h] + rr[h];
        else if (o != x) for (h = 0; h < H; h++) o[h] = x[h];
        for (h = 0; h < H; h++) mean += o[h];
        mean /= (float)H;
        for (h = 0; h < H; h++) { float d = o[h] - mean; var += d * d; }
        var /= (float)H;
        rstd = 1.0f / sqrtf(var + eps);
        for (h = 0; h < H; h++) o[h] = (o[h] - mean) * rstd * w[h] + b[h];
    }
}

/* Self-attention per input and head: att[T,H] from q,k,v [T,H]; a task is one (input, head). */
typedef struct mtl__attn {
    float *att; const float *q, *k, *v;
    const int *starts;
    int H, nh, hd, max_len;
    float *scores;      /* per thread: (hd + 1) * max_len floats */
} mtl__attn;
MTL__HOT static void mtl__attention_tasks(void *arg, int tb, int te, int tid) {
    const mtl__attn *a = (const mtl__attn *)arg;
    const int H = a->H, hd = a->hd;
    const float scale = 1.0f / sqrtf((float)hd);
    float *sc = a->scores + (size_t)tid * (size_t)a->max_len * (size_t)(hd + 1);
    float *kt = sc + a->max_len;            /* k of this (input, head) transposed: [hd, L] */
    int task;
    for (task = tb; task < te; task++) {
        int s = task / a->nh, h = task % a->nh, s0 = a->starts[s], L = a->starts[s + 1] - s0, i, t, d;
        for (t = 0; t < L; t++)
            for (d = 0; d < hd; d++) kt[(size_t)d * (size_t)L + (size_t)t] = a->k[(size_t)(s0 + t) * (size_t)H + (size_t)(h * hd + d)];
        for (i = 0; i < L; i++) {
            const float *qi = a->q + (size_t)(s0 + i) * (size_t)H + h * hd;
            float *o = a->att + (size_t)(s0 + i) * (size_t)H + h * hd;
            float mx = -FLT_MAX, sum = 0.0f, inv;
            for (t = 0; t < L; t++) sc[t] = 0.0f;
            for (d = 0; d < hd; d++) {                         /* sc[t] = q_i . k_t */
                const float qd = qi[d];
                const float *kd = kt + (size_t)d * (size_t)L;
                for (t = 0; t < L; t++) sc[t] += qd * kd[t];
            }
            for (t = 0; t < L; t++) { sc[t] *= scale; if (sc[t] > mx) mx = sc[t]; }
            for (t = 0; t < L; t++) { sc[t] = expf(sc[t] - mx); sum += sc[t]; }
            inv = 1.0f / sum;
            for (d = 0; d < hd; d++) o[d] = 0.0f;
            for (t = 0; t < L; t++) {                          /* o = sum_t p_t v_t */
                const float *vt = a->v + (size_t)(s0 + t) * (size_t)H + h * hd;
                const float p = sc[t] * inv;
                for (d = 0; d < hd; d++) o[d] += p * vt[d];
            }
        }
    }
}
static void mtl__attention_forward(float *att, const float *q, const float *k, const float *v, const int *starts,
                                   int n_seq, int H, int nh, int max_len, float *scores, mtl__pool *pool) {
    mtl__attn a;
    int s;
    double work = 0;
    a.att = att; a.q = q; a.k = k; a.v = v; a.starts = starts; a.H = H; a.nh = nh; a.hd = H / nh;
    a.max_len = max_len; a.scores = scores;
    for (s = 0; s < n_seq; s++) work += 2.0 * (double)(starts[s + 1] - starts[s]) * (starts[s + 1] - starts[s]) * H;
    mtl__parallel(pool, n_seq * nh, work, mtl__attention_tasks, &a);
}

/* x[n] = gelu(x) = 0.5 x (1 + erf(x / sqrt 2)): the erf GELU of torch (not the tanh approximation).
   erf is a rational approximation that vectorizes (Eigen's: |error| < 5e-7 against the true erf, about
   erff's own accuracy), so the loop runs at SIMD speed; -DMTL_LIBM_ERF uses libm's erff instead. */
MTL__HOT static void mtl__gelu_forward(float *x, size_t n) {
    size_t i;
    for (i = 0; i < n; i++) {
#ifdef MTL_LIBM_ERF
        x[i] = 0.5f * x[i] * (1.0f + erff(x[i] * 0.70710678118654752440f));
#else
        float z = x[i] * 0.70710678118654752440f, z2, p, q;
        z = z > 4.0f ? 4.0f : z < -4.0f ? -4.0f : z;
        z2 = z * z;
        p = -2.72614225801306e-10f;
        p = p * z2 + 2.77068142495902e-08f;
        p = p * z2 - 2.10102402082508e-06f;
        p = p * z2 - 5.69250639462346e-05f;
        p = p * z2 - 7.34990630326855e-04f;
        p = p * z2 - 2.95459980854025e-03f;
        p = p * z2 - 1.60960333262415e-02f;
        q = -1.45660718464996e-05f;
        q = q * z2 - 2.13374055278905e-04f;
        q = q * z2 - 1.68282697438203e-03f;
        q = q * z2 - 7.37332916720468e-03f;
        q = q * z2 - 1.42647390514189e-02f;
        x[i] = 0.5f * x[i] * (1.0f + z * p / q);
#endif
    }
}

/* Scratch of one forward: views into the arena. */
typedef struct mtl__scratch {
    float *x, *q, *k, *v, *att, *tmp, *ff, *scores, *pack;
    int32_t *ids, *types;
    int *starts;
} mtl__scratch;

/* One encoder layer, in place on x[T,H]. */
static void mtl__layer_forward(const mtl_model *m, const mtl__layer *L, mtl__scratch *s, int T, int n_seq, int max_len, mtl__pool *nt) {
    const int H = m->info.hidden_size, I = m->info.intermediate_size;
    const float eps = m->info.layer_norm_eps;
    mtl__matmul_forward(s->q, s->x, L->q_w, L->q_p, L->q_b, T, H, H, s->pack, nt);        /* q [T,H] */
    mtl__matmul_forward(s->k, s->x, L->k_w, L->k_p, L->k_b, T, H, H, s->pack, nt);        /* k [T,H] */
    mtl__matmul_forward(s->v, s->x, L->v_w, L->v_p, L->v_b, T, H, H, s->pack, nt);        /* v [T,H] */
    mtl__attention_forward(s->att, s->q, s->k, s->v, s->starts, n_seq, H, m->info.n_heads, max_len, s->scores, nt);
    mtl__matmul_forward(s->tmp, s->att, L->o_w, L->o_p, L->o_b, T, H, H, s->pack, nt);    /* [T,H] */
    mtl__layernorm_forward(s->x, s->tmp, s->x, L->ln1_w, L->ln1_b, T, H, eps);   /* a = LN(tmp + x) */
    mtl__matmul_forward(s->ff, s->x, L->up_w, L->up_p, L->up_b, T, H, I, s->pack, nt);     /* [T,I] */
    mtl__gelu_forward(s->ff, (size_t)T * (size_t)I);
    mtl__matmul_forward(s->tmp, s->ff, L->down_w, L->down_p, L->down_b, T, I, H, s->pack, nt); /* [T,H] */
    mtl__layernorm_forward(s->x, s->tmp, s->x, L->ln2_w, L->ln2_b, T, H, eps);   /* h = LN(tmp + a) */
}

/* emb[n_seq,H] from the last hidden state x[T,H]. */
static void mtl__pool_forward(float *emb, const mtl_model *m, const float *x, const int *starts, int n_seq,
                              mtl_pooling pool, int normalize) {
    const int H = m->info.hidden_size;
    int s, t, h;
    for (s = 0; s < n_seq; s++) {
        float *e = emb + (size_t)s * (size_t)H;
        const float *x0 = x + (size_t)starts[s] * (size_t)H;
        int L = starts[s + 1] - starts[s];
        if (pool == MTL_POOL_MEAN) {
            for (h = 0; h < H; h++) e[h] = 0.0f;
            for (t = 0; t < L; t++) for (h = 0; h < H; h++) e[h] += x0[(size_t)t * (size_t)H + (size_t)h];
            for (h = 0; h < H; h++) e[h] /= (float)L;
        } else if (pool == MTL_POOL_MAX) {
            for (h = 0; h < H; h++) e[h] = x0[h];
            for (t = 1; t < L; t++) for (h = 0; h < H; h++) if (x0[(size_t)t * (size_t)H + (size_t)h] > e[h]) e[h] = x0[(size_t)t * (size_t)H + (size_t)h];
        } else if (pool == MTL_POOL_POOLER) {
            for (h = 0; h < H; h++) {
                const float *w = m->pool_w + (size_t)h * (size_t)H;
                float acc = 0.0f;
                for (t = 0; t < H; t++) acc += w[t] * x0[t];
                e[h] = tanhf(acc + m->pool_b[h]);
            }
        } else {
            for (h = 0; h < H; h++) e[h] = x0[h];
        }
        if (normalize) {
            double n2 = 0.0;
            float inv;
            for (h = 0; h < H; h++) n2 += (double)e[h] * e[h];
            inv = (float)(1.0 / (sqrt(n2) > 1e-12 ? sqrt(n2) : 1e-12));
            for (h = 0; h < H; h++) e[h] *= inv;
        }
    }
}

/* ---------------------------------------------------------------------------------------------- */
/* Arena plan and the public entry points                                                         */
/* ---------------------------------------------------------------------------------------------- */
static size_t mtl__al(size_t n) { return (n + 63) & ~(size_t)63; }
/* Bytes for n_seq inputs, T tokens in all, the longest max_len; fills the views when base != NULL. */
static size_t mtl__plan(const mtl_model *m, int n_seq, size_t T, int max_len, int n_threads, unsigned char *base, mtl__scratch *s) {
    const size_t H = (size_t)m->info.hidden_size, I = (size_t)m->info.intermediate_size;
    size_t nt = (size_t)(n_threads > 1 ? n_threads : 1), off = 0;
    size_t sz[11];
    void **dst[11];
    int k;
    mtl__scratch dummy;
    if (!s) s = &dummy;
    if (nt > MTL__MAX_THREADS) nt = MTL__MAX_THREADS;
    sz[0] = T * H * 4; sz[1] = T * H * 4; sz[2] = T * H * 4; sz[3] = T * H * 4; sz[4] = T * H * 4; sz[5] = T * H * 4;
    sz[6] = T * I * 4; sz[7] = nt * (size_t)max_len * (H / (size_t)m->info.n_heads + 1) * 4;
    sz[8] = T * 4 * 2; sz[9] = ((size_t)n_seq + 1) * sizeof(int);
#if defined(MTL__REPACK) || defined(MTL_USE_BLAS)
    sz[10] = 0;
#else
    sz[10] = nt * (I > H ? I : H) * MTL__NB * 4;   /* one packed panel per thread */
#endif
    dst[0] = (void **)&s->x; dst[1] = (void **)&s->q; dst[2] = (void **)&s->k; dst[3] = (void **)&s->v;
    dst[4] = (void **)&s->att; dst[5] = (void **)&s->tmp; dst[6] = (void **)&s->ff; dst[7] = (void **)&s->scores;
    dst[8] = (void **)&s->ids; dst[9] = (void **)&s->starts; dst[10] = (void **)&s->pack;
    for (k = 0; k < 11; k++) {
        if (base) *dst[k] = base + off;
        off += mtl__al(sz[k]);
    }
    if (base) s->types = s->ids + T;
    return off + 64; /* + room to align the base */
}

MTLDEF size_t mtl_arena_bytes(const mtl_model *m, int batch, int max_len, int n_threads) {
    if (!m || batch < 1 || max_len < 1) return 0;
    if (max_len > m->info.max_position) max_len = m->info.max_position;
    return mtl__plan(m, batch, (size_t)batch * (size_t)max_len, max_len, n_threads, NULL, NULL);
}

MTLDEF mtl_result mtl_ctx_init(mtl_ctx *ctx, const mtl_model *m, const mtl_ctx_options *opt) {
    if (!ctx) return MTL_ERR_ARG;
    memset(ctx, 0, sizeof *ctx);
    if (!m) return mtl__err(&ctx->err, MTL_ERR_ARG, "no model");
    ctx->model = m;
    if (opt) ctx->opt = *opt;
    if (ctx->opt.arena) { ctx->arena = (unsigned char *)ctx->opt.arena; ctx->arena_size = ctx->opt.arena_size; }
#ifdef MTL__THREADS
    ctx->pool = mtl__pool_new(ctx->opt.n_threads);   /* NULL (one thread) if threads cannot start */
#endif
    return MTL_OK;
}
MTLDEF void mtl_ctx_free(mtl_ctx *ctx) {
    int i;
    if (!ctx) return;
#ifdef MTL__THREADS
    mtl__pool_free((mtl__pool *)ctx->pool);
#endif
    if (ctx->owns_arena) MTL_FREE(ctx->arena);
    for (i = 0; i < ctx->n_enc; i++) mtl_encoding_free(&ctx->enc[i]);
    MTL_FREE(ctx->enc);
    MTL_FREE(ctx->text_ids);
    memset(ctx, 0, sizeof *ctx);
}

static mtl_result mtl__ctx_err(mtl_ctx *ctx, mtl_error *err, mtl_result code, const char *msg, int a, int b) {
    mtl__err(&ctx->err, code, msg, a, b);
    if (err) *err = ctx->err;
    return code;
}

MTLDEF mtl_result mtl_forward(mtl_ctx *ctx, const mtl_seq *seqs, int n, const mtl_embed_options *opt,
                              mtl_forward_out *out, mtl_error *err) {
    const mtl_model *m;
    mtl_embed_options eo;
    mtl__scratch s;
    mtl_pooling pool;
    int limit, i, l, max_len = 0, normalize, nt;
    size_t T = 0, need, H;
    unsigned char *base;
    if (!ctx || !ctx->model) return mtl__err(err, MTL_ERR_ARG, "no context");
    m = ctx->model;
    H = (size_t)m->info.hidden_size;
    if (!out || n < 0 || (n > 0 && !seqs)) return mtl__ctx_err(ctx, err, MTL_ERR_ARG, "bad arguments", 0, 0);
    if (opt) eo = *opt; else memset(&eo, 0, sizeof eo);
    limit = eo.max_length > 0 ? eo.max_length : m->info.max_seq_length;
    if (limit > m->info.max_position) limit = m->info.max_position;
    pool = eo.pooling == MTL_POOL_DEFAULT ? m->info.pooling : eo.pooling;
    if (pool < MTL_POOL_DEFAULT || pool > MTL_POOL_POOLER) return mtl__ctx_err(ctx, err, MTL_ERR_ARG, "unknown pooling %d", (int)pool, 0);
    if (pool == MTL_POOL_POOLER && !m->info.has_pooler) return mtl__ctx_err(ctx, err, MTL_ERR_UNSUPPORTED, "this model has no pooler", 0, 0);
    normalize = eo.normalize > 0 ? 1 : eo.normalize < 0 ? 0 : m->info.normalize;
    nt = ctx->opt.n_threads > 1 ? ctx->opt.n_threads : 1;
    out->n_truncated = 0;
    out->n_tokens = 0;
    for (i = 0; i < n; i++) {
        int len = seqs[i].n, k;
        if (len < 1 || !seqs[i].ids) return mtl__ctx_err(ctx, err, MTL_ERR_ARG, "input %d is empty", i, 0);
        for (k = 0; k < len; k++) {
            if (seqs[i].ids[k] < 0 || seqs[i].ids[k] >= m->info.vocab_size) return mtl__ctx_err(ctx, err, MTL_ERR_ARG, "input %d: token id %d is out of range", i, seqs[i].ids[k]);
            if (seqs[i].type_ids && (seqs[i].type_ids[k] < 0 || seqs[i].type_ids[k] >= m->info.type_vocab_size))
                return mtl__ctx_err(ctx, err, MTL_ERR_ARG, "input %d: token type id %d is out of range", i, seqs[i].type_ids[k]);
        }
        if (len > limit) { len = limit; out->n_truncated++; }
        if (out->lengths) out->lengths[i] = len;
        if (out->truncated) out->truncated[i] = len < seqs[i].n;
        if (len > max_len) max_len = len;
        T += (size_t)len;
    }
    out->n_tokens = (int)T;
    if (n == 0) return MTL_OK;
    /* the arena */
    need = mtl__plan(m, n, T, max_len, nt, NULL, NULL);
    if (need > ctx->arena_size) {
        unsigned char *na;
        if (ctx->opt.arena) return mtl__ctx_err(ctx, err, MTL_ERR_NOMEM, "the arena is too small for this batch (see mtl_arena_bytes)", 0, 0);
        if (ctx->owns_arena) MTL_FREE(ctx->arena);
        ctx->arena = NULL; ctx->arena_size = 0; ctx->owns_arena = 0;
        na = (unsigned char *)MTL_MALLOC(need);
        if (!na) return mtl__ctx_err(ctx, err, MTL_ERR_NOMEM, "out of memory", 0, 0);
        ctx->arena = na; ctx->arena_size = need; ctx->owns_arena = 1;
    }
    base = ctx->arena + (64 - (uintptr_t)ctx->arena % 64) % 64;
    mtl__plan(m, n, T, max_len, nt, base, &s);
    /* pack the inputs: ids, types, starts */
    s.starts[0] = 0;
    for (i = 0; i < n; i++) {
        int len = seqs[i].n > limit ? limit : seqs[i].n, k, st = s.starts[i];
        for (k = 0; k < len; k++) {
            int src = (len < seqs[i].n && k == len - 1) ? seqs[i].n - 1 : k; /* truncated: keep the last id */
            s.ids[st + k] = seqs[i].ids[src];
            s.types[st + k] = seqs[i].type_ids ? seqs[i].type_ids[src] : 0;
        }
        s.starts[i + 1] = st + len;
    }
    /* the data path */
    mtl__embeddings_forward(s.x, m, s.ids, s.types, s.starts, n);
    mtl__layernorm_forward(s.x, s.x, NULL, m->emb_ln_w, m->emb_ln_b, (int)T, (int)H, m->info.layer_norm_eps);
    if (out->hidden_states) memcpy(out->hidden_states, s.x, T * H * sizeof(float));
    for (l = 0; l < m->info.n_layers; l++) {
        mtl__layer_forward(m, &m->layers[l], &s, (int)T, n, max_len, (mtl__pool *)ctx->pool);
        if (out->hidden_states) memcpy(out->hidden_states + (size_t)(l + 1) * T * H, s.x, T * H * sizeof(float));
    }
    if (out->tokens) memcpy(out->tokens, s.x, T * H * sizeof(float));
    if (out->embeddings) mtl__pool_forward(out->embeddings, m, s.x, s.starts, n, pool, normalize);
    mtl__ok(&ctx->err);
    mtl__ok(err);
    return MTL_OK;
}

MTLDEF mtl_result mtl_forward_texts(mtl_ctx *ctx, int n, const char *const *texts, const size_t *lens,
                                    const char *const *texts_b, const size_t *lens_b,
                                    const mtl_embed_options *opt, mtl_forward_out *out, mtl_error *err) {
    const mtl_model *m;
    mtl_encode_options enc_opt;
    mtl_seq seq_buf[16], *seqs = seq_buf;
    size_t total = 0, pos = 0;
    int i, limit, extra_trunc = 0;
    mtl_result r;
    if (!ctx || !ctx->model) return mtl__err(err, MTL_ERR_ARG, "no context");
    m = ctx->model;
    memset(seq_buf, 0, sizeof seq_buf);
    if (n < 0 || (n > 0 && !texts) || !out) return mtl__ctx_err(ctx, err, MTL_ERR_ARG, "bad arguments", 0, 0);
    limit = opt && opt->max_length > 0 ? opt->max_length : m->info.max_seq_length;
    if (limit > m->info.max_position) limit = m->info.max_position;
    if (n > ctx->n_enc) {
        mtl_encoding *ne = (mtl_encoding *)MTL_REALLOC(ctx->enc, (size_t)n * sizeof *ne);
        if (!ne) return mtl__ctx_err(ctx, err, MTL_ERR_NOMEM, "out of memory", 0, 0);
        memset(ne + ctx->n_enc, 0, (size_t)(n - ctx->n_enc) * sizeof *ne);
        ctx->enc = ne;
        ctx->n_enc = n;
    }
    memset(&enc_opt, 0, sizeof enc_opt);
    enc_opt.max_length = limit;
    for (i = 0; i < n; i++) {
        size_t la = lens ? lens[i] : strlen(texts[i]);
        if (texts_b) {
            size_t lb = lens_b ? lens_b[i] : strlen(texts_b[i]);
            r = mtl_encode_pair(m->tok, texts[i], la, texts_b[i], lb, &enc_opt, &ctx->enc[i], &ctx->err);
        } else {
            r = mtl_encode(m->tok, texts[i], la, &enc_opt, &ctx->enc[i], &ctx->err);
        }
        if (r) { if (err) *err = ctx->err; return r; }
        total += (size_t)ctx->enc[i].n;
    }
    if (n > 16) {
        seqs = (mtl_seq *)MTL_MALLOC((size_t)n * sizeof *seqs);
        if (!seqs) return mtl__ctx_err(ctx, err, MTL_ERR_NOMEM, "out of memory", 0, 0);
    }
    if (2 * total > ctx->text_cap) {
        int32_t *nb = (int32_t *)MTL_REALLOC(ctx->text_ids, 2 * total * sizeof(int32_t));
        if (!nb) { if (seqs != seq_buf) MTL_FREE(seqs); return mtl__ctx_err(ctx, err, MTL_ERR_NOMEM, "out of memory", 0, 0); }
        ctx->text_ids = nb;
        ctx->text_cap = 2 * total;
    }
    for (i = 0; i < n; i++) {
        const mtl_encoding *e = &ctx->enc[i];
        memcpy(ctx->text_ids + pos, e->ids, (size_t)e->n * sizeof(int32_t));
        memcpy(ctx->text_ids + total + pos, e->type_ids, (size_t)e->n * sizeof(int32_t));
        seqs[i].ids = ctx->text_ids + pos;
        seqs[i].type_ids = ctx->text_ids + total + pos;
        seqs[i].n = e->n;
        pos += (size_t)e->n;
    }
    r = mtl_forward(ctx, seqs, n, opt, out, err);
    if (!r) {
        for (i = 0; i < n; i++) {
            if (ctx->enc[i].truncated) {
                extra_trunc++;
                if (out->truncated) out->truncated[i] = 1;
            }
        }
        out->n_truncated += extra_trunc;
    }
    if (seqs != seq_buf) MTL_FREE(seqs);
    return r;
}

MTLDEF mtl_result mtl_embed(mtl_ctx *ctx, const char *text, size_t len, float *emb, mtl_error *err) {
    mtl_forward_out out;
    memset(&out, 0, sizeof out);
    out.embeddings = emb;
    return mtl_forward_texts(ctx, 1, &text, &len, NULL, NULL, NULL, &out, err);
}

#endif /* MTL_BERT_IMPLEMENTATION_DONE */
#endif /* MTL_BERT_IMPLEMENTATION */

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
