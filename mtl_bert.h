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

     Training (fine-tuning: BERT + a sentence-classification head + a token/NER head, exact as PyTorch):
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
     Data and metrics: mtl_cls_load (CSV/TSV), mtl_ner_load_conll / mtl_ner_load_csv, mtl_align_words
     (word tags -> token labels), mtl_shuffle, mtl_cls_metrics_compute / mtl_ner_metrics_compute and
     the scikit-learn / seqeval text reports mtl_cls_report / mtl_ner_report (not with MTL_NO_STDIO).

   CONTENTS (declarations in this order; the implementation follows the same order)
     inference        mtl_model_load, mtl_ctx_init, mtl_forward, mtl_forward_texts, mtl_embed
     training: backbone forward/backward
                      mtl_backbone_init / _forward / _backward (caches + exact gradient); the op pairs
                      mtl_linear_, mtl_gelu_, mtl_relu_, mtl_tanh_, mtl_dropout_, mtl_pool_{mean,cls,max}_,
                      mtl_l2norm_ _forward / _backward (internal layer pairs: mtl__bt_<X>_forward /
                      _backward)
     heads, losses    mtl_params_*, mtl_head_forward / _backward, mtl_seq_head_forward / _backward,
                      mtl_cross_entropy, mtl_multitask_loss
     optimizers, schedules
                      mtl_grad_norm, mtl_clip_grad_norm, mtl_accumulate, mtl_schedule_lambda,
                      mtl_optim_init / _step / _free (SGD, Adam, AdamW)
     trainer          mtl_trainer_create / _init_weights / _step / _eval / _save / _load / _save_model_file /
                      _export_hf
     data, metrics    mtl_cls_*, mtl_ner_*, mtl_align_words, mtl_shuffle, mtl_*_metrics_*, mtl_*_report*

   WHAT IT COMPUTES (HF BertModel in eval mode, then sentence-transformers pooling)
     ids -> embeddings (word + position + token type, LayerNorm; RoBERTa / XLM-R: HF's position ids
            from padding_idx + 1, see FILE FORMAT)
         -> N x encoder layer (self-attention over the real tokens of each sequence, exact erf GELU,
            residual + LayerNorm)                                         = last hidden state per token
         -> pooling: cls | mean (over real tokens) | max (over real tokens) | pooler (dense + tanh on
            [CLS]), optionally L2-normalised                             = sentence embedding
     A batch is packed: sequences of different lengths are concatenated token by token, matrix
     products run over the real tokens only and attention is computed per sequence, so there is no
     padding and no work on it. Results do not depend on what else is in the batch.

   LIMITS AND TRUNCATION
     Texts are tokenized with truncation to the model's max_seq_length (sentence-transformers'
     setting, else max_position_embeddings, less padding_idx + 1 for RoBERTa / XLM-R, whose
     positions start there; HF's longest_first rule for pairs). Id inputs longer
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
       Tokenizing text uses a per-context encoding buffer and id store: MTL_MALLOC'd, or caller memory
       (mtl_ctx_options.text_mem, mtl_text_mem_bytes(n_texts, max_text_bytes, max_len): sized for
       WordPiece and byte-level BPE; a Unigram tokenizer (XLM-R) normalizes in that buffer too: twice
       as much for ordinary text, more where its normalizer expands the text; too little is
       MTL_ERR_NOMEM naming text_mem, never a wrong result).
     NO HEAP AT ALL (firmware): mtl_model_from_memory_ex with mtl_load_options.mem (the model's few
       tables: 7 KB for tiny-random-bert in f32; mtl_model_mem_bytes gives the size) + a caller arena
       + caller text memory: loading, mtl_forward, mtl_forward_texts and mtl_embed make no MTL_MALLOC /
       MTL_REALLOC call (tests/test_no_heap.c runs them with allocator hooks that fail). The tokenizer
       is then the index the converter stored in the file (mtl.tokenizer.index: mtl_tokenizer.h's
       image, used in place), and the weights are used in place in their stored type and packed per
       call (no repacked copy): f16 / bf16 embedding rows and weight panels are widened as they are
       read (14 KB of load memory for tiny-random-bert in f16; pooler and heads are widened into it).
       The numbers equal the heap load's (it widens f16 exactly): tests/test_no_heap.c.
       The trade-off (README, Firmware): the default load repacks the linear weights once (a copy of
       the encoder in f32: the fastest forward); in caller memory nothing is copied and each forward
       packs its panels again (slower on a PC, the only choice on a device).
     All allocation goes through MTL_MALLOC / MTL_REALLOC / MTL_FREE. MTL_NO_STDIO leaves out file
     loading (use mtl_model_from_memory). MTL_NO_THREADS leaves out pthreads. MTL_NO_TOKENIZER: an
     ids-only build - the model gets no tokenizer (mtl_model_tokenizer NULL, text calls return
     MTL_ERR_UNSUPPORTED), so with -ffunction-sections -Wl,--gc-sections no tokenizer code is linked.

   ERRORS
     Every function returns an mtl_result (MTL_OK = 0) and fills the optional mtl_error with a readable
     message; a context also keeps its last error in ctx.err. Nothing prints, exits or aborts.

   THREADS
     A loaded mtl_model is never written to: share it. Each thread uses its own mtl_ctx. Inside one
     call, mtl_ctx_options.n_threads > 1 splits the matrix products and attention over the
     context's worker threads (pthreads started by mtl_ctx_init, stopped by mtl_ctx_free). Idle
     workers spin briefly (MTL_SPIN iterations, 0 = never) before sleeping, like ONNX Runtime's pool:
     waking a sleeping thread costs more than a step of a small forward.
     Define MTL_USE_BLAS (and link a CBLAS) to run the linear layers through cblas_sgemm.
   SIMD
     Every matrix product (linear layers, attention, training) runs on one kernel, mtl__gemm, whose
     micro-kernel is picked per call on x86-64 with gcc or clang (__builtin_cpu_supports): AVX-512
     (blocks of up to 14 x 32 in registers), AVX2+FMA (6 x 16), else portable C (4 x 16); MTL_NO_SIMD keeps the
     portable one. Both FMA variants give the same bits. On x86-64 Linux + glibc the other hot loops
     are target_clones (AVX-512 / AVX2 / baseline picked by an ifunc resolver at load time). Define
     MTL_NO_CLONES to turn that off; it is off by itself under
     ThreadSanitizer (gcc __SANITIZE_THREAD__, clang __has_feature(thread_sanitizer)), where the
     resolver would run before the TSan runtime and crash, and without glibc (no ifunc).

   32-BIT TARGETS
     i386 and 32-bit ARM pass the same tests as x86-64 (make test-portability). Sizes are size_t and
     file offsets / shapes are checked as 64-bit values first: a model that does not fit the address
     space is an error, never a wraparound. On i386 build with -msse2 -mfpmath=sse for results
     identical to x86-64 (x87's excess precision changes last bits); on any 32-bit system build with
     -D_FILE_OFFSET_BITS=64 (directory listing and files > 2 GB, e.g. under qemu-user).

   FILE FORMAT (GGUF v3, ggml's docs/gguf.md; llama.cpp's BERT names where one exists)
     general.architecture "bert"; bert.context_length, bert.embedding_length, bert.feed_forward_length,
     bert.block_count, bert.attention.head_count, bert.attention.layer_norm_epsilon,
     bert.attention.causal, bert.pooling_type; tokenizer.ggml.model ("bert": WordPiece; "gpt2":
     byte-level BPE, then also tokenizer.ggml.merges, the merges "a b" in rank order, as llama.cpp writes
     them; "mtl": a model of mtl_tokenizer.h without a llama.cpp name), tokenizer.ggml.tokens,
     tokenizer.ggml.token_type, tokenizer.ggml.{unknown,seperator,padding,cls,mask}_token_id,
     tokenizer.ggml.token_type_count; mtl.tokenizer.* (lowercase, strip_accents, handle_chinese_chars,
     clean_text, max_input_chars_per_word, continuing_subword_prefix; written for every model, read
     for WordPiece), mtl.pooling, mtl.normalize, mtl.max_seq_length, mtl.head, mtl.labels,
     mtl.position_padding_idx (below); tensor mtl.tokenizer.index (ggml I8, bytes): the tokenizer's
     run-time image (mtl_tokenizer.h, THE TOKENIZER IMAGE), which the loader uses in place instead of
     building the tokenizer from tokenizer.ggml.tokens (files without it still load that way when the
     model is "bert"; any other tokenizer.ggml.model is read from the index alone, and a file without
     one is refused naming the key).
     Tensors (ggml dims, fastest first): token_embd.weight [H,V], position_embd.weight [H,P],
     token_types.weight [H,T], token_embd_norm.{weight,bias} [H], blk.N.{attn_q,attn_k,attn_v,
     attn_output}.weight [H,H], blk.N.ffn_up.weight [H,I], blk.N.ffn_down.weight [I,H], their .bias,
     blk.N.{attn_output_norm,layer_output_norm}.{weight,bias}; mtl.pooler.{weight,bias},
     mtl.classifier.{weight,bias}. F32, F16 or BF16.
     weights_convert's Hugging Face classifier: mtl.head ("sequence_classification" |
     "token_classification") + mtl.labels (id2label) + mtl.classifier.{weight,bias} [H,labels], [labels]
     (+ mtl.classifier.score "sigmoid" | "identity" with one label: what a cross-encoder's score is, from
     config.json's sentence-transformers activation_fn, sigmoid when none is given, as CrossEncoder).
     The loader reads it as that kind's task head (mtl_model_head: Linear; a sequence head on the pooler
     output, as BertForSequenceClassification) unless the file has an mtl.head.cls.* / .ner.* head of
     the same kind; the trainer (mtl_trainer_load_model) takes it as that head's weights.
     DistilBERT (weights_convert, model_type "distilbert") is stored as this BERT file: the same
     post-LN layer under the names above, token_types.weight a zero table of 2 rows (DistilBERT has no
     token types; x + 0 = x), no pooler; DistilBertForSequenceClassification's pre_classifier + ReLU +
     classifier on [CLS] as the task head mtl.head.cls.* (MLP, hidden = dim, activation relu, pooling
     cls), DistilBertForTokenClassification's classifier as mtl.classifier.* above.
     RoBERTa and XLM-RoBERTa (weights_convert, model_type "roberta" / "xlm-roberta": *Model, *ForMaskedLM
     read as its backbone, *ForSequenceClassification, *ForTokenClassification; tensors under
     "roberta.", BERT's names) are stored as this BERT file with one more key, mtl.position_padding_idx
     (u32, = config.json's pad_token_id): position ids as HF's create_position_ids_from_input_ids, the
     token whose id is padding_idx at position padding_idx, every other token at padding_idx + the
     number of tokens up to and including it whose id is not padding_idx (a packed input, a pad id
     typed inside a text included; training counts the tokens with mask != 0). Inputs are then at most
     max_position - padding_idx - 1 tokens (mtl.max_seq_length and the loader's default cap there); a
     file without the key has BERT's position ids 0, 1, 2, ... Token types: RoBERTa's type table has
     one row and HF passes no token_type_ids (zeros): a model whose table has one row reads every type
     id as 0 (the second text of a pair too); with more rows a type id outside the table is refused as
     before. LayerNorm eps from config.json (1e-5). RobertaModel's pooler is kept (mtl.pooler.*);
     RobertaFor*Classification have none. RobertaForSequenceClassification's RobertaClassificationHead,
     out_proj(tanh(dense(h[<s>]))), is the task head mtl.head.cls.* (MLP, hidden = H, activation tanh,
     pooling cls); RobertaForTokenClassification's classifier is mtl.classifier.* (Linear on every
     token). The tokenizer is whatever mtl_tokenizer_load_dir reads in the folder (tokenizer.json:
     RoBERTa's byte-level BPE), stored as its index ("gpt2" + tokens + merges for llama.cpp's tools).
     Written by weights_convert and by the trainer's checkpoints (mtl_trainer_save) through the one
     writer below (mtl__gw_*); a checkpoint is a model file with, in addition (all optional here):
       task heads, h = cls (sequence: on a pooling of the tokens) | ner (token):
         mtl.head.h.{kind ("sequence_classification" | "token_classification"), num_labels, hidden
         (0 = Linear), activation ("gelu" | "relu" | "tanh"; another is refused), dropout, pooling
         (cls: "cls" | "mean" | "max" | "pooler"), prefix (the trainer's parameter names),
         loss_weight, labels (string array = id2label), score (one label: "sigmoid" (default) |
         "identity", as mtl.classifier.score)};
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
         and mtl.optim.v.<name> (Adam's v) for each trainable tensor <name>. An inference model file
         (mtl_trainer_save_model_file) has the heads but none of the training state.
       mtl.train.config (string, optional, also in model files): the run's configuration as the
         caller gave it (mtl_trainer_config.run_config; mtl-train: its options as JSON).
       A trainer with RoBERTa's position ids (mtl_backbone_config.roberta_positions) writes
       mtl.position_padding_idx = bb.pad_token_id into its checkpoints and model files; its loaders
       (mtl_trainer_load, mtl_trainer_load_model) refuse a file whose position ids differ from the
       trainer's.
     INTEGRITY: every file written by mtl (weights_convert, checkpoints, mtl-train's --out) ends its
     key/values with mtl.checksum.xxh64 (u64): XXH64, seed 0, of the whole file with these 8 bytes
     read as zero (checkpoints of earlier versions: mtl.checksum, FNV-1a 64, same rule). The loaders
     (mtl_model_load, mtl_model_from_memory, mtl_trainer_load_model, mtl_trainer_load) verify it, so a
     damaged or half-copied file is refused ("checksum mismatch"); verifying all-MiniLM-L6-v2's 91 MB
     costs about 15 ms (README). mtl_load_options.skip_checksum opts out (the caller checks the
     bytes itself), .require_checksum refuses files without one. A file without a checksum (an older
     mtl, another GGUF writer) still loads, with mtl_model_info.checksum = MTL_CHECKSUM_NONE, and the
     tools print a note. Whatever the checksum, the loader checks the structure: every offset, size,
     shape, alignment and count against the file; no two keys or tensors of one name; no two tensors
     whose data overlap; the token table and special ids.

   FILES FROM LLAMA.CPP (convert_hf_to_gguf.py; tested with the converter of llama-cpp-python 0.3.36)
     mtl's own files carry mtl.tokenizer.* keys; a file without them is read as llama.cpp's BERT file
     and either loads exactly (same token ids and bit-identical embeddings as mtl's own file of the same
     Hugging Face model, tests/test_llama_gguf.c) or is refused with the reason; it never loads with a
     guessed tokenizer. general.* keys are not used to tell the writers apart (both set some).
     - Vocabulary: llama.cpp stores WordPiece in "phantom-space" form: control tokens (token type 3)
       as they are, every other word-start piece w as "\u2581w" and every continuation "##p" as "p".
       mtl maps it back ("\u2581w" -> "w", "p" -> "##p", "[name]" kept as the first converters wrote
       it). Refused: tokenizer.ggml.model other than "bert"; no or a mismatched
       tokenizer.ggml.token_type (control tokens cannot be told apart); user-defined added tokens
       (type 4) or byte tokens; a piece holding U+2581 anywhere but as its first character, or a bare
       U+2581 (the original vocabulary held that character, so "\u2581w" might have been "##\u2581w");
       two tokens mapping to the same piece; a vocabulary with no "\u2581" piece (not this form:
       an unknown writer); a piece joining a CJK character to others (the model then does not split
       CJK characters, which the file cannot say); unknown_token_id, seperator_token_id or
       cls_token_id (else bos_token_id, which is what the converter writes for [CLS]) missing.
     - Lowercasing / accent stripping: tokenizer.ggml.normalizer.lowercase and .strip_accents
       (written by recent converters, e.g. 0.3.36's, from tokenizer.json's BertNormalizer) are honoured;
       strip_accents absent follows lowercase (HF's and llama.cpp's rule). Files without them (older
       converters; llama.cpp itself then lowercases and strips) load as uncased + accent-stripping
       only when no non-control piece has a letter that lowercasing changes nor a character that
       accent stripping changes (one NFD decomposes, or a Mn mark): with such a vocabulary a cased
       or accent-keeping tokenizer would send every capitalised or accented word to [UNK], so the
       model lowercases and strips (bert-base-uncased's vocabulary is of this kind). Any other
       vocabulary is refused: whether its model lowercases / strips accents is then unknown.
     - Not stored by the converter, fixed: clean_text and CJK splitting on (llama.cpp always does
       both), max_input_chars_per_word 100 (HF's default; llama.cpp has no limit), prefix "##".
     - Embedding defaults: bert.pooling_type 1 mean, 2 cls, 0 (none: token outputs) or absent cls;
       3 (last token) and 4 (rank: a reranker) are refused. L2 normalisation on (the file does not say
       whether the model has a Normalize module; llama-embedding and llama-server normalise by
       default; pass normalize < 0 for raw embeddings).
       max_seq_length = bert.context_length, the position table: sentence-transformers' shorter
       max_seq_length is not stored, so texts longer than it are cut later than sentence-transformers
       would (pass mtl_embed_options.max_length to match). The converter drops the pooler, so
       MTL_POOL_POOLER is unavailable. Any tensor other than the encoder's (e.g. llama.cpp's
       classifier cls.*) is refused.
     The llama.cpp reading lives in mtl__llama_vocab (one call from the loader).
*/
#ifndef MTL_BERT_H
#define MTL_BERT_H

/* The version of mtl (the same in mtl_tokenizer.h; the command-line tools print it with --version) */
#ifndef MTL_VERSION
#define MTL_VERSION "0.1.0"
#endif

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

/* The activation inside an MLP head (Linear -> act -> Linear): exact GELU, ReLU (DistilBERT's
   pre_classifier), tanh (RoBERTa's classification head). */
typedef enum mtl_activation { MTL_ACT_GELU = 0, MTL_ACT_RELU = 1, MTL_ACT_TANH = 2 } mtl_activation;

/* The whole-file checksum every file written by mtl carries (see FILE FORMAT). */
typedef enum mtl_checksum_status {
    MTL_CHECKSUM_NONE = 0,         /* the file has none (written by an older mtl or another GGUF writer) */
    MTL_CHECKSUM_VERIFIED = 1,     /* present and equal to the file's content                       */
    MTL_CHECKSUM_NOT_VERIFIED = 2  /* present, not checked (mtl_load_options.skip_checksum)         */
} mtl_checksum_status;

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
    mtl_checksum_status checksum; /* the file's whole-content checksum: verified, not verified     */
                            /* (mtl_load_options.skip_checksum) or absent (an older or foreign file) */
    int position_padding_idx; /* -1: BERT's position ids (0, 1, 2, ...); >= 0: RoBERTa's / XLM-R's,  */
                            /* HF create_position_ids_from_input_ids with this padding_idx (the      */
                            /* file's mtl.position_padding_idx, FILE FORMAT): inputs are then at most */
                            /* max_position - position_padding_idx - 1 tokens                        */
} mtl_model_info;

/* Loading options; zero = defaults (verify the checksum when the file has one). */
typedef struct mtl_load_options {
    int skip_checksum;      /* 1: do not verify the file's checksum (the caller checks the bytes    */
                            /* itself, e.g. a firmware image with its own CRC)                     */
    int require_checksum;   /* 1: refuse a file that carries no checksum                            */
    void *mem;              /* mtl_model_from_memory_ex: caller memory for everything the loaded    */
    size_t mem_size;        /* model keeps; then loading never calls MTL_MALLOC. Size: mtl_model_mem_bytes */
} mtl_load_options;

/* Per-context settings; zero = defaults. */
typedef struct mtl_ctx_options {
    void *arena;            /* caller memory for all scratch (NULL: the context allocates)        */
    size_t arena_size;
    void *text_mem;         /* caller memory for the text path (tokenizer buffers, the texts' ids: */
    size_t text_mem_size;   /* mtl_text_mem_bytes); NULL: the context allocates them             */
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
    const int32_t *type_ids; /* NULL: all 0. A model whose type table has one row (RoBERTa, XLM-R) */
                             /* reads every type as 0, as HF does without token_type_ids (a pair's  */
                             /* second text included); with more rows a type outside it is refused */
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
/* Loads a converted model file (mmap where available, else read into memory). The file's checksum
   is verified (a corrupt file is refused); a file without one loads, with info.checksum NONE. */
MTLDEF mtl_result mtl_model_load(const char *path, mtl_model **out, mtl_error *err);
MTLDEF mtl_result mtl_model_load_ex(const char *path, const mtl_load_options *opt, mtl_model **out, mtl_error *err);
#endif
/* A model in caller memory, used in place (no copy of aligned f32 tensors): the buffer must stay
   valid and unchanged until mtl_model_free. Checksum as mtl_model_load; opt NULL = defaults. */
MTLDEF mtl_result mtl_model_from_memory(const void *data, size_t len, mtl_model **out, mtl_error *err);
MTLDEF mtl_result mtl_model_from_memory_ex(const void *data, size_t len, const mtl_load_options *opt, mtl_model **out,
                                           mtl_error *err);
/* The bytes of mtl_load_options.mem that mtl_model_from_memory_ex needs for this file (it measures a
   load on the heap). With caller memory the weights are used in place in their stored type (no
   repacked copy; f16 / bf16 embedding tables and linear weights are widened per panel by the kernel,
   the small rest - biases, LayerNorms, pooler, heads - into this memory) and the tokenizer is the index stored in the file (mtl.tokenizer.index); a file
   without one is refused (convert it again). mtl_model_free then frees nothing; drop the block after it. */
MTLDEF mtl_result mtl_model_mem_bytes(const void *data, size_t len, const mtl_load_options *opt, size_t *bytes, mtl_error *err);
MTLDEF void       mtl_model_free(mtl_model *m);
MTLDEF const mtl_model_info *mtl_model_get_info(const mtl_model *m);
MTLDEF const mtl_tokenizer  *mtl_model_tokenizer(const mtl_model *m);
/* The label of class id (id2label), or NULL. The string is NOT NUL-terminated: *len gets its length. */
MTLDEF const char *mtl_model_label(const mtl_model *m, int id, size_t *len);
MTLDEF const char *mtl_pooling_name(mtl_pooling p);

/* The task heads a trainer checkpoint stores (mtl.head.cls.* / mtl.head.ner.*; see FILE FORMAT), and
   the classifier weights_convert keeps from a Hugging Face Bert{Sequence,Token}Classification
   (mtl.classifier.* + mtl.head + mtl.labels: a Linear head, on the pooler for sequences, as HF).
   Weights in torch layout [out, in]: y = x W^T + b. */
typedef struct mtl_head_info {
    mtl_head_kind kind;     /* SEQUENCE: on a pooling of the last hidden state; TOKEN: on every token */
    int num_labels;
    int hidden;             /* 0: Linear(H, num_labels); > 0: Linear(H, hidden) -> act -> Linear(hidden, num_labels) */
    mtl_activation act;     /* the MLP's activation: exact GELU, ReLU or tanh                           */
    mtl_pooling pooling;    /* SEQUENCE: cls | mean | max (over real tokens) | pooler (HF pooler_output)   */
    const float *w1, *b1;   /* Linear: [num_labels, H], [num_labels]; MLP: [hidden, H], [hidden]        */
    const float *w2, *b2;   /* MLP: [num_labels, hidden], [num_labels]; Linear: NULL                    */
    int sigmoid;            /* num_labels 1 (a score, e.g. a cross-encoder): 1 = report sigmoid(logit)  */
                            /* (sentence-transformers CrossEncoder's default), 0 = the raw logit        */
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
/* Bytes of mtl_ctx_options.text_mem enough for n texts of up to max_text_bytes bytes each (a pair: its
   two texts together), truncated to max_len tokens (0: not truncated; an upper bound). */
MTLDEF size_t     mtl_text_mem_bytes(int n_texts, size_t max_text_bytes, int max_len);
/* One text -> out[hidden_size], with the model's default pooling and normalisation. */
MTLDEF mtl_result mtl_embed(mtl_ctx *ctx, const char *text, size_t len, float *out, mtl_error *err);


/* ============================================================================================== */
/*                              training: backbone forward/backward                               */
/* ============================================================================================== */

/* TRAINING BUILDING BLOCKS - backbone-independent parts of fine-tuning (issue #4), exact as PyTorch:
   ops (forward + backward), parameters, heads, losses, clipping, schedules, optimizers.

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

/* TRAINING BACKBONE - the BERT backbone's training forward (with activation caches) and backward.

   USE
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
     Exactly the forward of mtl_forward / HF BertModel in eval mode (dropout = identity), on a padded
     batch [B, L] with attention_mask (!= 0 = real token, 0 = padding; any pattern; the position id
     of a token is its column t, 0..L-1 in every row, as in HF):
         e   = word[ids] + type[types] + pos[t]                  h0 = LayerNorm(e)
         per layer:  q,k,v = h Wq^T + bq, ...                    scores/sqrt(d), masked keys weight 0
                     a = LayerNorm(ctx Wo^T + bo + h)            h' = LayerNorm(gelu(a W1^T + b1) W2^T + b2 + a)
     and the exact gradient of that function. Internally the batch is PACKED: only the real tokens
     are rows (T = their count, one sequence after the other), every layer runs on [T, H] and the
     attention runs per sequence over its real tokens, so padding costs no work. The layers are
     inference's (mtl__embeddings_forward, mtl__matmul_forward, mtl__attention_forward, the
     LayerNorm, GELU) plus the activations the backward needs; the backward runs on the same
     matrix kernel (mtl__linear_backward, mtl__attention_backward).
     PADDING (mask 0): the [batch, len, H] hidden states hold 0 there, and dout there is ignored
     (dhidden gets 0 there). So for a loss that reads only real tokens (HF's losses with padding
     masked out, mtl_trainer's), values and gradients are those of HF, which also computes padded
     rows but never lets them reach a real token. One exception: a row with NO real token is
     computed whole, every position a row attending uniformly over all len positions, as HF's
     arithmetic gives; its outputs and dout are then used at every position.
     Gradients are ADDED to the grad views (torch's accumulation): zero the block before a step.
     HF padding_idx: the word-embedding row pad_token_id gets no gradient.
    Training mode (mtl_backbone_set_dropout): HF's dropout after the embeddings, on the attention
    probabilities and on the two projections before their residual adds, with counter-based masks
    that the backward recomputes (mtl__bt_dropout / mtl__drop_keep; the _d versions of the blocks).

   WHAT IS TRAINABLE: the top n_trainable_layers encoder layers (0..n_layers), plus optionally the
     embeddings. Layers below the lowest one that needs a gradient run forward-only, in place, with
     NO cached activations and NO gradient memory. (Embeddings trainable with n < n_layers: every
     layer caches its activations so the gradient can reach the embeddings, but only the top n
     layers get parameter gradients.)

   MEMORY (all counted by mtl_backbone_arena_bytes; every array is 64-byte aligned)
     Planned for the worst case, a batch without padding: T = B*L tokens, H hidden, I intermediate,
     nh heads, C = cached layers (n, or n_layers when the embeddings train). Floats:
       inputs          3T int32 (ids, types, padded index of the packed rows); per sequence its first
                       row, empty flag and probs offset
       hidden states   (C+1) T H          the input of the lowest cached layer .. the last hidden state
       embeddings      T H + 2T           only when trainable (pre-LayerNorm sum, mean, rstd)
       per cached layer 7 T H + T I + B nh L L + 4T   (q k v ctx res1 a res2, pre-GELU, probs, LN stats;
                       probs hold nh n_b^2 per sequence of n_b real tokens, at most B nh L L)
       scratch         5 T H + T I + 4T + max(L, 16 max(H, I)),  + 4 T H when anything trains
     Gradients: one block of mtl_backbone_grad_floats() floats, the trainable tensors in HF order.

   DESIGN (llm.c style): one pair mtl__bt_<X>_forward / mtl__bt_<X>_backward per layer type, shapes
     in a comment above it, in data-path order. X = embeddings, layernorm, linear, gelu, residual,
     attention (the softmax core, per sequence), self_attention (q/k/v projections + core + output
     projection), layer (the encoder layer), all on the packed rows (mtl__bt_pack: rows of the real
     tokens, each with its padded index). mtl_backbone_forward packs the batch, runs them in order and
     scatters the kept hidden states back to [batch, len, H]; mtl_backbone_backward gathers dout and
     each layer's input back to rows.
     float32 math: every product (the three of a linear layer) runs on the library's one matrix
     kernel, mtl__gemm, the one under inference, split over threads by output columns so results do
     not depend on the thread count (mtl_backbone_set_threads); LayerNorm is the inference one
     (float sums in 16 fixed lanes, the same function), keeping its mean and rstd for the backward,
     whose sums are in float too.
*/

/* The sizes the backbone needs (the subset of config.json it uses). */
typedef struct mtl_backbone_config {
    int vocab_size, hidden_size, n_layers, n_heads, intermediate_size, max_position, type_vocab_size;
    int pad_token_id;       /* word-embedding row that gets no gradient (HF padding_idx); -1: none */
    float layer_norm_eps;
    int roberta_positions;  /* 0: BERT's position ids (a token's index); nonzero: RoBERTa's / XLM-R's
                               (HF create_position_ids_from_input_ids, padding_idx = pad_token_id,
                               which must be >= 0): position rows pad_token_id + 1 + ..., row
                               pad_token_id gets no gradient, lengths up to max_position -
                               pad_token_id - 1 (see mtl_backbone_forward)                        */
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
    int n_rows;                   /* packed rows of the last forward (its real tokens)           */
    int32_t *ids, *types, *src;   /* [T] each: of the packed rows (src = padded index b*len + t) */
    int32_t *seq_start, *seq_empty; size_t *seq_poff;  /* per sequence (mtl__bt_pack)           */
    float *hidden;                /* [(n_layers - first_cached + 1), T, H]                      */
    float *emb_e, *emb_mean, *emb_rstd;  /* embeddings cache (NULL when frozen)                  */
    unsigned char *layer_cache;   /* first cached layer's block; the next one layer_stride later */
    size_t layer_stride;
    float *s_q, *s_k, *s_v, *s_ctx, *s_tmp, *s_ff, *s_stats, *s_work; /* scratch                   */
    float *s_da, *s_dh0, *s_dh1, *s_x;        /* backward scratch (NULL when nothing trains)     */
    /* training-mode dropout (mtl_backbone_set_dropout; off after init) */
    float hidden_dropout, attn_dropout;
    uint64_t dropout_seed;
    int training;
    /* threads (mtl_backbone_set_threads; none after init) */
    void *pool;                   /* n_threads - 1 workers, or NULL                              */
    float *thread_work;           /* per-thread scratch, n_threads x the work buffer, 64-aligned */
    void *thread_work_mem;        /* the block thread_work lies in (MTL_FREE'd)                  */
    int n_threads;
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
/* Runs the forward and backward on n_threads threads (the caller + n_threads - 1 workers, started
   here and stopped by mtl_backbone_free; 0/1: the caller only). Every output element is computed by
   one thread in a fixed order, so the results are bit-identical for any thread count. Without
   pthreads (MTL_NO_THREADS) or with MTL_USE_BLAS (threads are the BLAS's) this is a no-op. */
MTLDEF mtl_result mtl_backbone_set_threads(mtl_backbone_state *st, int n_threads, mtl_error *err);

/* HF BertModel's dropout in training mode (training != 0): hidden_p after the embedding LayerNorm
   and on the attention-output and FFN-output projections (before their residual adds), attn_p on the
   attention probabilities; kept values scaled by 1/(1-p). The masks are a function of (seed, layer,
   site, element) and are recomputed by the backward, so the backward must follow the forward with
   the same setting; change the seed for every forward (e.g. per step). Off after init (eval mode). */
MTLDEF void   mtl_backbone_set_dropout(mtl_backbone_state *st, float hidden_p, float attn_p, uint64_t seed, int training);

/* The training forward of a padded batch ids/types/mask [batch, len] (batch, len <= the planned
   shape; types NULL = all 0, mask NULL = all 1; any mask pattern). Only the tokens with mask != 0
   are computed (see WHAT IT COMPUTES: a row with none is computed whole). The inputs are copied.
   A 1-row type table (RoBERTa) reads every type as 0. Position ids: a token's column (BERT), or
   with roberta_positions HF's RoBERTa rule over the computed tokens of its row (mtl__position: the
   same as HF when the padding holds pad_token_id, as HF pads). */
MTLDEF mtl_result mtl_backbone_forward(mtl_backbone_state *st, const mtl_backbone_params *p, const int32_t *ids,
                                       const int32_t *types, const int32_t *mask, int batch, int len, mtl_error *err);
/* Hidden state k of the last forward, [batch, len, H]: k = 0 the embedding output, k = n_layers the
   last hidden state (always available). 0 at padding (mask 0; but a row without any real token
   is computed at every position). NULL for k below the lowest cached layer's input. */
MTLDEF const float *mtl_backbone_hidden(const mtl_backbone_state *st, int k);
/* The backward of the last forward: dout [batch, len, H] = d loss / d last hidden state; its
   values at padding (mask 0) are ignored. Adds the gradient of every trainable tensor into g (its
   trainable fields must be set, see point_grads). dhidden (NULL, or [(n_layers+1), batch, len, H]):
   receives d loss / d hidden state k for every k that has a cached input (k >= the lowest cached
   layer; k = 0 only when the embeddings train), 0 at padding. */
MTLDEF mtl_result mtl_backbone_backward(mtl_backbone_state *st, const mtl_backbone_params *p, mtl_backbone_params *g,
                                        const float *dout, float *dhidden, mtl_error *err);

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
/* y[n] = tanh(x); y may be x */
MTLDEF void mtl_tanh_forward(float *y, const float *x, size_t n);
/* dx[n] += dy * (1 - tanh(x)^2), x = the forward's input (torch: dy * (1 - y^2), y = the output) */
MTLDEF void mtl_tanh_backward(float *dx, const float *dy, const float *x, size_t n);

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

/* ============================================================================================== */
/*                                         heads, losses                                          */
/* ============================================================================================== */

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
   never trained (its output feeds no loss; HF leaves its gradient None): it is marked frozen, unless
   rule.train_pooler (a head reads the pooler): then it is in the heads' block, as the usual
   layer-decay recipes for BertForSequenceClassification do (every name outside "embeddings" and
   "encoder.layer" -- the pooler and the classifier -- gets the head lr).
   Groups are made in the order embeddings, layer0 .. layer(L-1), heads, each block a ".decay" group
   (weight_decay) then a ".no_decay" group (0); empty groups are left out; frozen tensors get none.
   The groups already in p are replaced. A layer k >= num_layers: MTL_ERR_ARG. */
typedef struct mtl_group_rule {
    double base_lr;
    double layer_decay;              /* 0 = 1 (no layer-wise decay)                                */
    double head_mult;                /* 0 = 1                                                      */
    double weight_decay;
    int num_layers;                  /* L; 0 = 1 + the largest k found in "encoder.layer.k"         */
    int train_pooler;                /* 1: "pooler.*" is not frozen; it joins the heads' block (lr =
                                        base_lr * head_mult), HF's no-decay rule (bias: no decay)      */
} mtl_group_rule;
MTLDEF mtl_result mtl_params_make_groups(mtl_params *p, const mtl_group_rule *rule, mtl_error *err);

/* ---------------------------------------------------------------------------------------------- */
/* Heads                                                                                          */
/* ---------------------------------------------------------------------------------------------- */
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
/* MTL_HPOOL_POOLER (the trainer's cls head only): tanh(pooler.dense(h[:,0])), HF's pooler_output, as
   BertForSequenceClassification; the pooler then trains (see mtl_trainer_config.pooling). */
typedef enum mtl_head_pool { MTL_HPOOL_CLS = 1, MTL_HPOOL_MEAN = 2, MTL_HPOOL_MAX = 3, MTL_HPOOL_POOLER = 4 } mtl_head_pool;

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
   cache: mtl_seq_head_cache_floats(cfg, B) floats; argmax: [B,in] ints for MTL_HPOOL_MAX (else NULL).
   pool: cls | mean | max (MTL_HPOOL_POOLER needs the pooler's weights: the trainer only; here it is
   taken as mean). */
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

/* ============================================================================================== */
/*                                     optimizers, schedules                                      */
/* ============================================================================================== */

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

/* ============================================================================================== */
/*                                            trainer                                             */
/* ============================================================================================== */

/* TRAINER - the multi-task trainer of issue #4: BERT backbone + a sentence-classification head
   + a token (NER) head, trained exactly as PyTorch / Hugging Face. It composes the training building
   blocks (heads, losses, optimizers, clipping, schedules) and the training backbone (training
   forward with caches + backward) above. Usage: see the top of this file.

   ONE TRAINING STEP (mtl_trainer_step; eval mode = the golden fixtures; training mode adds dropout)
     zero grads
     for each micro-batch (gradient accumulation: each loss scaled by 1/n_micro):
       backbone forward: frozen bottom layers forward-only in place, trainable ones keep activations
       cls head on pool(last hidden state) (mean | cls | max | pooler = tanh(W_p h[CLS] + b_p)), NER head on every token; only the
       task(s) whose labels the batch has (task routing: a batch with only cls_labels never runs
       the NER head). HF's classifier dropout (p = classifier_dropout) on each head's input.
       loss = cls_weight * CE(cls) + ner_weight * CE(ner)    (ignore_index, class weights, smoothing)
       backward: heads, then the backbone (only its trainable part; nothing at all when frozen)
     total = global L2 norm of the trainable grads (torch's summation), clip to clip_norm
     optimizer update of every param group with lr = group lr * schedule lambda(step)
   Dropout is counter-based (mtl_dropout_forward): mask = f(seed, micro-batch counter, site), so a
   run is reproducible from the seed and a resumed run continues bit-identically.
   In training mode the backbone applies HF's dropout too (hidden_dropout after the embeddings and
   on both residual branches, attn_dropout on the attention probabilities; mtl_backbone_set_dropout).

   FREEZING (mtl_trainer_freeze): a spec is terms joined by '+' or ',', applied left to right,
   starting from "everything trainable" (the pooler trains only with pooler pooling, as part of the
   cls head: head:cls freezes it too; otherwise no loss uses it and it never trains):
     none        everything trainable
     all         everything frozen (inference only)
     backbone    embeddings + every encoder layer frozen (only the heads train)
     embeddings  the embeddings (word, position, type, LayerNorm) frozen, encoder layers untouched
     top:N       the embeddings and all but the top N encoder layers frozen (top N + heads train)
     head:cls    the classification head (and a pooler it reads) frozen;  head:ner  the token head frozen
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

   MATRIX PRODUCTS: every product of the backbone (forward and backward) goes through the library's
   one kernel mtl__gemm (cblas_sgemm with MTL_USE_BLAS), split over column tiles on the state's threads
   (mtl_backbone_set_threads; mtl_trainer_config.n_threads); the heads are small (H x classes) and
   use mtl_linear_forward / mtl_linear_backward.

   Library code never prints, exits or aborts and has no global state. */

typedef struct mtl_trainer mtl_trainer;

enum { MTL_TASK_CLS = 1, MTL_TASK_NER = 2, MTL_TASK_BOTH = 3 };

typedef struct mtl_trainer_config {
    mtl_backbone_config bb;          /* sizes from config.json                                      */
    int with_pooler;                 /* keep pooler.dense.{weight,bias} in the model (trained only with
                                        pooling = MTL_HPOOL_POOLER, which needs it)                    */
    int n_cls, n_ner;                /* classes / tags; 0 = no such head                           */
    int cls_hidden, ner_hidden;      /* 0: a Linear head; > 0: Linear -> act -> Dropout -> Linear    */
    mtl_activation head_act;
    float head_dropout;              /* dropout inside an MLP head (training mode)                  */
    float classifier_dropout;        /* dropout on each head's input (training mode), HF style      */
    float hidden_dropout, attn_dropout;  /* the backbone's dropout in training mode (config.json's
                                        hidden_dropout_prob, attention_probs_dropout_prob)            */
    mtl_head_pool pooling;           /* sentence pooling of the cls head (default mean). MTL_HPOOL_POOLER:
                                        tanh(pooler.dense(h[:,0])) as HF's BertForSequenceClassification
                                        (with hf_classifier = MTL_TASK_CLS its checkpoints load as is);
                                        pooler.dense.* then train with the cls head (frozen with
                                        head:cls), in the heads' lr group, weight decay on the weight
                                        only, and are saved with their optimizer state               */
    char cls_prefix[32], ner_prefix[32];   /* parameter names: "cls_head", "ner_head"              */
    int hf_classifier;               /* MTL_TASK_CLS / MTL_TASK_NER: mtl_trainer_load_safetensors reads a
                                        HF Bert*Classification "classifier.{weight,bias}" into that
                                        (linear) head; 0: ignore it. A BertForSequenceClassification
                                        checkpoint reproduces HF's logits with pooling = MTL_HPOOL_POOLER */
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
    int n_threads;                   /* threads of the backbone's forward and backward (0/1: the caller
                                        only); results are bit-identical for any count               */
    const char *run_config;          /* caller memory or NULL: saved as the string key mtl.train.config
                                        in checkpoints and model files (e.g. mtl-train's options as JSON) */
} mtl_trainer_config;

/* A padded micro-batch [B, L]. types NULL = all 0, mask NULL = all 1. A NULL label array means the
   batch does not train that task (task routing). The backbone computes only the tokens with
   mask != 0 (mtl_backbone_forward), so the losses read no padding: NER labels at mask-0 positions
   are not counted (as ignore_index), and the cls / pooler poolings, which read column 0, refuse a
   row whose column 0 is padding but not all of it (left padding: MTL_ERR_ARG). */
typedef struct mtl_batch {
    int B, L;
    const int32_t *ids, *types, *mask;
    const int32_t *cls_labels;       /* [B]                                                         */
    const int32_t *ner_labels;       /* [B, L], ignore_index where not counted (and never at mask 0)  */
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
/* Copies safetensors tensors (F32, F16, BF16; a leading "bert." or "roberta." is ignored) whose names match;
   HF's "classifier.*" goes to the head named by config.hf_classifier. *n_loaded (may be NULL) gets
   how many. A matching name with another shape: MTL_ERR_SHAPE. */
MTLDEF mtl_result mtl_trainer_load_safetensors(mtl_trainer *tr, const void *buf, size_t len, int *n_loaded, mtl_error *err);
/* Copies the weights of a model blob (a weights_convert file or a checkpoint; F32 / F16 / BF16) into the
   trainer: every backbone tensor must be there with the trainer's shape (else MTL_ERR_SHAPE); head
   tensors are copied only when load_cls / load_ner ask and they are present with the same shape
   (a file of weights_convert with a Bert{Sequence,Token}Classification classifier, mtl.classifier.* and
   no mtl.head.* tensors of that head, gives it to the cls / ner head). *n_heads (may be NULL) gets the number of head tensors copied. No stdio. */
MTLDEF mtl_result mtl_trainer_load_model(mtl_trainer *tr, const void *blob, size_t len, int load_cls, int load_ner,
                                         int *n_heads, mtl_error *err);
/* Head weights ~ N(0, std) (counter RNG from seed), biases 0. */
MTLDEF void       mtl_trainer_init_heads(mtl_trainer *tr, uint64_t seed, float std);
/* Every tensor as HF's BertPreTrainedModel._init_weights (a model from scratch): Linear and Embedding
   weights ~ N(0, std) (std = config.json's initializer_range), biases 0, LayerNorm weight 1 and bias 0,
   the word embedding row of bb.pad_token_id 0. The heads get the values mtl_trainer_init_heads gives. */
MTLDEF void       mtl_trainer_init_weights(mtl_trainer *tr, uint64_t seed, float std);

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
MTLDEF const float *mtl_trainer_ner_logits(const mtl_trainer *tr);   /* [B, L, n_ner] (meaningless at mask 0) */
/* Hidden state k of the last forward ([B,L,H], 0 at mask 0 as mtl_backbone_hidden; k = n_layers:
   last; NULL when not kept). */
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
/* The inference model alone (same writer, .tmp + rename): backbone, pooler, both heads with their label
   maps, tokenizer, embedding defaults and mtl.train.config, without the training state (no step / RNG
   / trainable-set keys, no mtl.optim.* / mtl.schedule.* keys, no optimizer tensors): about a third of
   an AdamW checkpoint. mtl_model_load and mtl_trainer_load_model read it; mtl_trainer_load refuses it. */
MTLDEF mtl_result mtl_trainer_save_model_file(const mtl_trainer *tr, const char *path, mtl_error *err);
/* Export for inference: writes DIR/config.json and DIR/model.safetensors (F32, HF names; DIR must
   exist) as a Hugging Face BertModel (task 0: the fine-tuned backbone + pooler) or
   BertForTokenClassification (MTL_TASK_NER: the linear NER head as "classifier", tag names as
   id2label: the same function as HF's). Add the tokenizer files and run build/weights_convert DIR OUT
   to get the blob mtl-embed loads. MTL_TASK_CLS (a linear cls head with pooling = MTL_HPOOL_POOLER):
   BertForSequenceClassification (backbone + trained pooler + "classifier"); with another pooling
   MTL_ERR_UNSUPPORTED (HF's sequence classifier reads the tanh pooler, that head a pooling of the
   tokens). A trainer with bb.roberta_positions: MTL_ERR_UNSUPPORTED (not written as RobertaModel yet).
   Files are written as .tmp and renamed. */
MTLDEF mtl_result mtl_trainer_export_hf(const mtl_trainer *tr, int task, const char *dir, mtl_error *err);
#endif

/* ============================================================================================== */
/*                                         data, metrics                                          */
/* ============================================================================================== */

/* DATA, METRICS - datasets, word/token label alignment, shuffling and metrics for mtl (issue #5).

   CLASSIFICATION DATA (CSV / TSV)
     mtl_cls_load(path, opt, &ds, &err) / mtl_cls_from_memory(data, len, opt, &ds, &err)
     - The first line is a header; the text and label columns are chosen by name (defaults: the first
       of "sentence", "text", "review", "content" / of "label", "sentiment"). GLUE SST-2 (sentence<TAB>label)
       and IMDB (review,sentiment) load with zero options.
     - Delimiter: a tab when the header line holds one, else a comma (or opt.delimiter).
     - Quoting (RFC 4180, as Python's csv module writes it): a field that starts with '"' runs to the
       next lone '"', "" inside it is one '"', and it may hold delimiters and newlines. A '"' inside an
       unquoted field is literal. On by default for comma files, off for tab files (GLUE's TSVs are
       read with quotechar=None). CRLF and LF line ends; a UTF-8 BOM is skipped; empty lines are skipped.
     - Cleaning (opt.clean, off by default):
         MTL_CLEAN_HTML   every tag "<" [A-Za-z/!] [^<>]* ">" becomes one space (IMDB's <br />), then the
                          entities &amp; &lt; &gt; &quot; &apos; &nbsp; (U+00A0) &#N; &#xH; are decoded.
                          A subset of Python's html.unescape: other named entities, entities without
                          ';', numeric ones of 0, surrogates or > U+10FFFF stay as they are, and
                          &#128;-&#159; are not remapped to cp1252. With MTL_CLEAN_SPACE the result on
                          all 50,000 IMDB reviews is byte-identical to
                          " ".join(html.unescape(re.sub(r"<[A-Za-z/!][^<>]*>", " ", s)).split());
         MTL_CLEAN_SPACE  runs of whitespace become one space, leading/trailing ones are removed: exactly
                          Python's " ".join(s.split()) (str.isspace: ASCII \t\n\v\f\r, \x1c-\x1f, space,
                          U+0085, U+00A0, U+1680, U+2000-200A, U+2028/9, U+202F, U+205F, U+3000).
     - Labels: by default the label set is the sorted (byte order = code point order) distinct labels
       of the file, as HF run_glue.py / run_ner.py build it; ids index that list. To load a dev/test file
       with the training labels, or to pin the label set of a training file (so that a typo is an error,
       not a new class), pass them in opt.labels: a label not in the list is an error naming file:line,
       unless opt.unknown_label names a label of the list to map it to. A given list must not hold
       empty names, names with surrounding whitespace or the same name twice (MTL_ERR_ARG).
     - Label fields are trimmed: surrounding ASCII whitespace (space, \t \n \v \f \r) is removed, so
       "1 " and "1" are one label (a label that is only whitespace is an "empty label" error). The same
       holds for the tag column of the NER CSV reader (CoNLL tags never hold whitespace).
     - ds.label_counts[id] / ds.label_lines[id]: rows per label and the line of the first one, so a
       caller can flag rare classes (mtl-train warns below 5 rows or 1% of the rows: often a typo).

   NER DATA
     mtl_ner_load_conll / mtl_ner_conll_from_memory: CoNLL files, one "word ... tag" line per token
       (whitespace-separated; the first column is the word, the last the tag: 4-column CoNLL-2003 and
       2-column files alike), blank lines between sentences, "-DOCSTART-" lines skipped (they end a
       sentence). opt.iob1: the tags are IOB1 and are converted to IOB2 (an I-X that does not follow
       B-X/I-X of the same type becomes B-X).
     mtl_ner_load_csv / mtl_ner_csv_from_memory: one word per row with a sentence column filled only on
       the first word of each sentence (Kaggle GMB ner_dataset.csv: "Sentence #,Word,POS,Tag"; the
       sentence number is forward-filled). opt.encoding = MTL_ENC_LATIN1 (or CP1252) for that file.
     Tag sets work like classification labels (sorted distinct tags, or opt.tags; opt.unknown_tag);
     ds.tag_counts[id] / ds.tag_lines[id]: words per tag and the line of the first one.

   ERRORS (all loaders): a message "file:line: what" and MTL_ERR_FORMAT for malformed lines, unknown
     labels, files that are not UTF-8 (with the default encoding), empty files (no rows / no sentence);
     MTL_ERR_IO when the file cannot be read (the message ends with the OS reason, strerror). On any error the output dataset is left zeroed (nothing
     half-written) and nothing leaks.

   ALIGNMENT (HF `tokenizer(words, is_split_into_words=True, truncation=True, max_length=N)` + word_ids())
     mtl_align_words(tok, words, lens, n, tags, opt, &al, &err): the words are joined by single spaces
     and encoded once; each token's byte offset maps it back to its word. opt.split_into_words: as HF
     tokenizes pre-split words one by one, a byte-level BPE without add_prefix_space (RoBERTa) gets a
     space before the first word too (transformers needs add_prefix_space=True there); WordPiece and
     Unigram (Metaspace) already give what the joined words give (tests/data/split_words.tsv). Labels: -100 for special and
     pad tokens, the word's tag on its first sub-token, -100 on the others (HF run_ner default), or with
     opt.label_all_tokens the tag on every sub-token with B-X turned into I-X (run_ner's b_to_i_label,
     see mtl_tags_b_to_i).

   SHUFFLING
     mtl_shuffle(idx, n, seed): a permutation of 0..n-1, Fisher-Yates driven by splitmix64(seed) with
     unbiased bounded draws; integer-only, so the same seed gives the same order on every platform.

   METRICS
     mtl_cls_metrics_compute: accuracy, per-class precision/recall/F1/support, micro/macro/weighted
       averages and the confusion matrix, with scikit-learn's definitions (1.9: F1 = 2tp/(2tp+fp+fn),
       zero_division -> 0, numpy's pairwise summation for the averages).
     mtl_ner_metrics_compute: entity-level scores as seqeval 1.2.2 classification_report(mode='strict',
       scheme=IOB2): an entity is B-X followed by I-X of the same type; an I-X without B-X is no entity.
       Types are the sorted types of the entities found in truth or predictions. With no entity at all
       the macro average is NaN (numpy's mean of nothing) and the report has only the average rows
       (seqeval raises there).
     mtl_cls_report / mtl_ner_report write the text of classification_report (byte-identical, digits as
       given; also scikit-learn's quirk of printing supports as "4.0" when no prediction is right);
       mtl_cls_report_json / mtl_ner_report_json the output_dict=True form as JSON (%.17g numbers, NaN as
       Python writes it). Report writers use snprintf and are left out with MTL_NO_STDIO (the numbers
       are always available). Checked against tests/golden/metrics_*.txt (tools/gen_metric_goldens.py).
*/

/* ---------------------------------------------------------------------------------------------- */
/* Datasets                                                                                        */
/* ---------------------------------------------------------------------------------------------- */
enum { MTL_CLEAN_HTML = 1, MTL_CLEAN_SPACE = 2 };

typedef enum mtl_text_encoding {
    MTL_ENC_UTF8 = 0,    /* invalid UTF-8 is an error naming file:line                         */
    MTL_ENC_LATIN1 = 1,  /* ISO-8859-1 (pandas encoding="latin1"): every byte is its code point   */
    MTL_ENC_CP1252 = 2   /* Windows-1252: 0x80-0x9F are the cp1252 characters (undefined: latin-1) */
} mtl_text_encoding;

/* Options of the classification loaders; zero = defaults. */
typedef struct mtl_cls_load_options {
    char delimiter;                   /* 0: tab if the header line holds one, else ','              */
    int quoting;                      /* 0: on for comma files, off for tab files; > 0 on; < 0 off   */
    const char *text_column;          /* NULL: "sentence", "text", "review" or "content"            */
    const char *label_column;         /* NULL: "label" or "sentiment"                                */
    int clean;                        /* MTL_CLEAN_HTML | MTL_CLEAN_SPACE                            */
    mtl_text_encoding encoding;
    const char *const *labels;        /* the label set (ids follow it); NULL: sorted labels of the file */
    int n_labels;
    const char *unknown_label;        /* with labels: map unknown labels to this one (NULL: error)   */
    const char *name;                 /* file name for messages of the _from_memory variant          */
} mtl_cls_load_options;

/* A classification dataset; owns all its memory (mtl_cls_dataset_free). */
typedef struct mtl_cls_dataset {
    int n;                            /* examples                                                   */
    char **texts;                     /* n NUL-terminated UTF-8 texts (cleaned when asked)          */
    size_t *text_lens;
    int32_t *labels;                  /* n label ids                                                */
    int32_t *lines;                   /* n: line of each example in its file (1-based)              */
    int n_labels;
    char **label_names;               /* n_labels NUL-terminated names; id = index                  */
    int32_t *label_counts;            /* n_labels: rows with each label (0 for a given label unused) */
    int32_t *label_lines;             /* n_labels: line of the first row with it (0: none)          */
    void *mem_;                       /* private                                                    */
} mtl_cls_dataset;

/* Options of the NER loaders; zero = defaults. */
typedef struct mtl_ner_load_options {
    int iob1;                         /* nonzero: the tags are IOB1, converted to IOB2               */
    mtl_text_encoding encoding;
    const char *sentence_column;      /* CSV: NULL = "Sentence #"                                    */
    const char *word_column;          /* CSV: NULL = "Word"                                          */
    const char *tag_column;           /* CSV: NULL = "Tag"                                           */
    const char *const *tags;          /* the tag set (ids follow it); NULL: sorted tags of the file  */
    int n_tags;
    const char *unknown_tag;          /* with tags: map unknown tags to this one (NULL: error)       */
    const char *name;                 /* file name for messages of the _from_memory variants         */
} mtl_ner_load_options;

/* An NER dataset: sentence i is words[sent_start[i] .. sent_start[i+1]) with tags at the same
   indexes. Owns all its memory (mtl_ner_dataset_free). */
typedef struct mtl_ner_dataset {
    int n;                            /* sentences                                                  */
    int32_t *sent_start;              /* n + 1 word indexes                                         */
    int32_t *lines;                   /* n: line of each sentence's first word                      */
    int n_words;
    char **words;                     /* n_words NUL-terminated UTF-8 words                         */
    size_t *word_lens;
    int32_t *tags;                    /* n_words tag ids                                            */
    int n_tags;
    char **tag_names;
    int32_t *tag_counts;              /* n_tags: words with each tag (0 for a given tag unused)     */
    int32_t *tag_lines;               /* n_tags: line of the first word with it (0: none)           */
    void *mem_;                       /* private                                                    */
} mtl_ner_dataset;

#ifndef MTL_NO_STDIO
MTLDEF mtl_result mtl_cls_load(const char *path, const mtl_cls_load_options *opt, mtl_cls_dataset *out, mtl_error *err);
MTLDEF mtl_result mtl_ner_load_conll(const char *path, const mtl_ner_load_options *opt, mtl_ner_dataset *out, mtl_error *err);
MTLDEF mtl_result mtl_ner_load_csv(const char *path, const mtl_ner_load_options *opt, mtl_ner_dataset *out, mtl_error *err);
#endif
MTLDEF mtl_result mtl_cls_from_memory(const char *data, size_t len, const mtl_cls_load_options *opt, mtl_cls_dataset *out, mtl_error *err);
MTLDEF mtl_result mtl_ner_conll_from_memory(const char *data, size_t len, const mtl_ner_load_options *opt, mtl_ner_dataset *out, mtl_error *err);
MTLDEF mtl_result mtl_ner_csv_from_memory(const char *data, size_t len, const mtl_ner_load_options *opt, mtl_ner_dataset *out, mtl_error *err);
MTLDEF void mtl_cls_dataset_free(mtl_cls_dataset *d);
MTLDEF void mtl_ner_dataset_free(mtl_ner_dataset *d);

/* Text cleaning (MTL_CLEAN_* flags) of s[0..len) into out (at most len bytes + NUL; out may be s).
   Returns the new length. */
MTLDEF size_t mtl_clean_text(const char *s, size_t len, int flags, char *out);

/* For each tag id, the id used on non-first sub-tokens with label_all_tokens: "B-X" -> "I-X" when
   "I-X" is in the set, else the id itself (run_ner.py's b_to_i_label). */
MTLDEF void mtl_tags_b_to_i(const char *const *names, int n, int32_t *map);

/* ---------------------------------------------------------------------------------------------- */
/* Alignment                                                                                       */
/* ---------------------------------------------------------------------------------------------- */
typedef struct mtl_align_options {
    int max_length;                   /* > 0: truncate to this many tokens (specials included)      */
    int pad_to;                       /* > 0: pad to this many tokens (mask 0, labels -100)         */
    int label_all_tokens;             /* nonzero: label every sub-token (B-X -> I-X via b_to_i)     */
    const int32_t *b_to_i;            /* with label_all_tokens: tag id map (NULL: identity)         */
    int split_into_words;             /* nonzero: HF's is_split_into_words=True (datasets of words:  */
                                      /* with a byte-level BPE the first word gets its prefix space */
                                      /* too, as transformers' add_prefix_space=True); 0: one text  */
} mtl_align_options;

/* One aligned sentence; reusable across calls (keeps its memory). Zero-initialise it. */
typedef struct mtl_aligned {
    int n;
    int truncated;
    int32_t *ids, *type_ids, *attention_mask;
    int32_t *word_ids;                /* index of the input word, -1 for special and pad tokens     */
    int32_t *labels;                  /* tag id or -100                                             */
    /* private */
    int cap, woff_cap;
    size_t text_cap;
    char *text;
    int32_t *woff;
    mtl_encoding enc;
} mtl_aligned;

/* tags: n_words tag ids (a negative tag, e.g. -100, is passed through as is), or NULL (labels all
   -100). lens: NULL = strlen of each word. b_to_i must cover every tag id used. The words are joined
   by single spaces for one encode; a word may itself hold spaces (all its tokens get its index). */
MTLDEF mtl_result mtl_align_words(const mtl_tokenizer *tok, const char *const *words, const size_t *lens, int n_words,
                                  const int32_t *tags, const mtl_align_options *opt, mtl_aligned *out, mtl_error *err);
MTLDEF void mtl_aligned_free(mtl_aligned *a);
/* run_ner.py's compute_metrics filter: for the tokens whose label is not -100, in order, copies the
   token's prediction (token_pred[t], may be NULL) to pred_out and its label to label_out (either may be
   NULL). Returns how many were written (at most al->n): one per word with tokens when labelling only
   first sub-tokens (words cut by truncation, and words that make no token, are left out as in HF). */
MTLDEF int mtl_aligned_keep_labeled(const mtl_aligned *al, const int32_t *token_pred, int32_t *pred_out, int32_t *label_out);

/* ---------------------------------------------------------------------------------------------- */
/* Shuffling                                                                                       */
/* ---------------------------------------------------------------------------------------------- */
/* splitmix64: advances *state and returns the next 64 random bits. */
MTLDEF uint64_t mtl_rng_next(uint64_t *state);
/* Uniform in [0, bound) (bound > 0), unbiased (rejection). */
MTLDEF uint64_t mtl_rng_below(uint64_t *state, uint64_t bound);
/* idx[0..n) = a permutation of 0..n-1 that depends only on seed. For epoch e use seed + e. */
MTLDEF void mtl_shuffle(int32_t *idx, int n, uint64_t seed);

/* ---------------------------------------------------------------------------------------------- */
/* Metrics                                                                                         */
/* ---------------------------------------------------------------------------------------------- */
typedef struct mtl_prfs {
    double precision, recall, f1;
    int64_t support;
} mtl_prfs;

/* Classification metrics; owns per_class and confusion (mtl_cls_metrics_free). */
typedef struct mtl_cls_metrics {
    int n_classes;
    int64_t n;                        /* examples                                                   */
    double accuracy;
    mtl_prfs *per_class;              /* n_classes                                                  */
    int64_t *pred_count;              /* n_classes: predictions of each class                       */
    mtl_prfs micro, macro, weighted;  /* micro == accuracy for single-label data                     */
    int64_t *confusion;               /* [true * n_classes + pred]                                  */
} mtl_cls_metrics;

/* y_true/y_pred: n class ids in [0, n_classes) (anything else is MTL_ERR_ARG), n > 0. */
MTLDEF mtl_result mtl_cls_metrics_compute(const int32_t *y_true, const int32_t *y_pred, int64_t n, int n_classes,
                                          mtl_cls_metrics *out, mtl_error *err);
MTLDEF void mtl_cls_metrics_free(mtl_cls_metrics *m);

/* Entity-level NER metrics (seqeval strict IOB2); owns its arrays (mtl_ner_metrics_free). */
typedef struct mtl_ner_metrics {
    int n_types;
    char **types;                     /* sorted entity types ("PER", ...)                           */
    mtl_prfs *per_type;
    int64_t *tp, *n_pred;             /* per type: correct entities, predicted entities             */
    mtl_prfs micro, macro, weighted;
    void *mem_;
} mtl_ner_metrics;

/* Tags are ids into tag_names ("O", "B-PER", "I-PER", ...); sentence i covers positions
   sent_start[i] .. sent_start[i+1]) of y_true and y_pred. A tag whose first character is not B, I or
   O is MTL_ERR_ARG (seqeval raises). Positions labelled -100 are not allowed (drop them first). */
MTLDEF mtl_result mtl_ner_metrics_compute(const int32_t *y_true, const int32_t *y_pred, const int32_t *sent_start,
                                          int n_sent, const char *const *tag_names, int n_tags,
                                          mtl_ner_metrics *out, mtl_error *err);
MTLDEF void mtl_ner_metrics_free(mtl_ner_metrics *m);

#ifndef MTL_NO_STDIO
/* Reports into buf (NUL-terminated). When cap is too small: MTL_ERR_NOMEM and *out_len = the length
   needed (without the NUL); call with buf NULL, cap 0 to size it. names NULL: the class ids. */
MTLDEF mtl_result mtl_cls_report(const mtl_cls_metrics *m, const char *const *names, int digits,
                                 char *buf, size_t cap, size_t *out_len, mtl_error *err);
MTLDEF mtl_result mtl_cls_report_json(const mtl_cls_metrics *m, const char *const *names,
                                      char *buf, size_t cap, size_t *out_len, mtl_error *err);
MTLDEF mtl_result mtl_ner_report(const mtl_ner_metrics *m, int digits, char *buf, size_t cap, size_t *out_len, mtl_error *err);
MTLDEF mtl_result mtl_ner_report_json(const mtl_ner_metrics *m, char *buf, size_t cap, size_t *out_len, mtl_error *err);
#endif

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
#ifndef MTL_NO_STDIO
#include <errno.h>
#endif
#if !defined(MTL_NO_STDIO) && (defined(__unix__) || defined(__APPLE__))
#define MTL__MMAP 1
#include <sys/mman.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>
#endif
#if !defined(MTL_NO_THREADS) && (defined(__unix__) || defined(__APPLE__))   /* POSIX threads; elsewhere (bare metal) one thread */
#define MTL__THREADS 1
#include <pthread.h>
#endif
#define MTL__NB 16      /* columns of a packed panel of B (the matrix kernel's layout) */
#define MTL__MR512 14   /* the most rows of C an AVX-512 micro-kernel block holds (x 32 columns) */
#define MTL__MR256 6    /* ... an AVX2+FMA block (x 16 columns) */
#define MTL__MRMAX MTL__MR512   /* the most of any ISA (AVX-512): the rows of A a block packs (a_km) */
#define MTL__PF_HEAD 16  /* lines of each of the next task's panels the micro-kernel prefetches: the
                            heads of the streams. Whole panels (a line per panel every k) cost 9% at
                            batch 1 on an Intel Xeon, where a software prefetch holds a fill buffer
                            the loads need; the heads alone ran as fast as no prefetch there. */
#define MTL__PF_AHEAD 32  /* k ahead at which the AVX-512 micro-kernel prefetches its own panels' lines
                            into L1 in a task's first block of rows (the panels come from memory; the
                            blocks after it find them in L2): SST-2 batch 1 on an Intel Xeon at 1
                            thread 365 -> 416 sentences/s, at 2 657 -> 697; 16 and 64 about as fast */
#ifndef MTL_KC
#define MTL_KC 256      /* k per block when B is packed per call: two panels (32 KB) stay in L1/L2 */
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
enum { MTL__GGML_F32 = 0, MTL__GGML_F16 = 1, MTL__GGML_I8 = 24, MTL__GGML_BF16 = 30 };   /* I8: bytes (the tokenizer index) */
#define MTL__GGML_ELEM(type) ((type) == MTL__GGML_F32 ? 4u : (type) == MTL__GGML_I8 ? 1u : 2u)
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

/* Where a loader's memory comes from. lm NULL or base NULL: MTL_MALLOC / MTL_FREE; else bumped from
   the caller's block [base, base + size) and never freed (the block is the caller's). `used` counts
   the bytes of every request, 64-byte rounded, in both cases (mtl_model_mem_bytes measures with it). */
typedef struct mtl__lmem { unsigned char *base; size_t size, used; int in_place; } mtl__lmem;
static void *mtl__lalloc(mtl__lmem *lm, size_t n) {
    size_t a;
    unsigned char *p;
    if (!lm) return MTL_MALLOC(n ? n : 1);
    if (n > (size_t)-1 - 128) return NULL;
    a = (n + 63) & ~(size_t)63;
    if (!lm->base) {
        void *q = MTL_MALLOC(n ? n : 1);
        if (q) lm->used += a;
        return q;
    }
    p = lm->base + lm->used;
    p += (64 - (uintptr_t)p % 64) % 64;
    if ((size_t)(p - lm->base) > lm->size || a > lm->size - (size_t)(p - lm->base)) return NULL;
    lm->used = (size_t)(p - lm->base) + a;
    return p;
}
static void mtl__lfree(mtl__lmem *lm, void *p) { if (!lm || !lm->base) MTL_FREE(p); }

typedef struct mtl__gguf {
    const unsigned char *d; size_t len;
    mtl__gguf_kv *kv; size_t n_kv;
    mtl__gguf_tensor *t; size_t n_t;
    mtl__lmem *lm;      /* the kv and tensor tables' memory (NULL: MTL_MALLOC) */
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
    mtl__lfree(g->lm, g->kv);
    mtl__lfree(g->lm, g->t);
    g->kv = NULL;
    g->t = NULL;
}
/* Sorting helpers for mtl__gguf_check_unique: byte strings, then tensor data ranges. */
typedef struct mtl__gguf_ref { const char *s; size_t n, off, end; } mtl__gguf_ref;
static int mtl__gguf_cmp_name(const void *a, const void *b) {
    const mtl__gguf_ref *x = (const mtl__gguf_ref *)a, *y = (const mtl__gguf_ref *)b;
    int c = memcmp(x->s, y->s, x->n < y->n ? x->n : y->n);
    return c ? c : (x->n > y->n) - (x->n < y->n);
}
static int mtl__gguf_cmp_off(const void *a, const void *b) {
    const mtl__gguf_ref *x = (const mtl__gguf_ref *)a, *y = (const mtl__gguf_ref *)b;
    return (x->off > y->off) - (x->off < y->off);
}
/* Refuses a file with two keys or two tensors of one name, or with tensors whose data overlap
   (a damaged offset must not make a tensor read another one's bytes). Frees g on error. */
static mtl_result mtl__gguf_check_unique(mtl__gguf *g, mtl_error *err) {
    size_t n = g->n_kv > g->n_t ? g->n_kv : g->n_t, i;
    mtl__gguf_ref *r = (mtl__gguf_ref *)mtl__lalloc(g->lm, (n + 1) * sizeof *r);
    const char *what = NULL;
    if (!r) { mtl__gguf_free(g); return mtl__err(err, MTL_ERR_NOMEM, "out of memory"); }
    for (i = 0; i < g->n_kv; i++) { r[i].s = g->kv[i].key; r[i].n = g->kv[i].klen; }
    if (g->n_kv > 1) qsort(r, g->n_kv, sizeof *r, mtl__gguf_cmp_name);
    for (i = 1; i < g->n_kv && !what; i++) if (!mtl__gguf_cmp_name(&r[i - 1], &r[i])) what = "a key appears twice";
    for (i = 0; i < g->n_t; i++) { r[i].s = g->t[i].name; r[i].n = g->t[i].nlen; r[i].off = g->t[i].off; r[i].end = g->t[i].off + g->t[i].nbytes; }
    if (g->n_t > 1) qsort(r, g->n_t, sizeof *r, mtl__gguf_cmp_name);
    for (i = 1; i < g->n_t && !what; i++) if (!mtl__gguf_cmp_name(&r[i - 1], &r[i])) what = "a tensor name appears twice";
    if (g->n_t > 1) qsort(r, g->n_t, sizeof *r, mtl__gguf_cmp_off);
    for (i = 1; i < g->n_t && !what; i++) if (r[i].off < r[i - 1].end) what = "the data of two tensors overlap";
    mtl__lfree(g->lm, r);
    if (!what) return MTL_OK;
    mtl__gguf_free(g);
    return mtl__err(err, MTL_ERR_FORMAT, "corrupt GGUF file: %s", what);
}
static mtl_result mtl__gguf_parse(mtl__gguf *g, const void *data, size_t len, mtl__lmem *lm, mtl_error *err) {
    size_t pos = 0, i, data_start;
    uint32_t magic, version, align = 32;
    uint64_t n_t, n_kv;
    memset(g, 0, sizeof *g);
    g->lm = lm;
    g->d = (const unsigned char *)data;
    g->len = len;
    if (!mtl__rd_u32(g, &pos, &magic) || magic != 0x46554747u) return mtl__err(err, MTL_ERR_FORMAT, "not a GGUF file (bad magic)");
    if (!mtl__rd_u32(g, &pos, &version)) return mtl__err(err, MTL_ERR_FORMAT, "truncated GGUF header");
    if (version != 3) return mtl__err(err, MTL_ERR_UNSUPPORTED, "GGUF version %u (only 3 is supported)", version);
    if (!mtl__rd_u64(g, &pos, &n_t) || !mtl__rd_u64(g, &pos, &n_kv)) return mtl__err(err, MTL_ERR_FORMAT, "truncated GGUF header");
    /* each key/value takes at least 12 bytes, each tensor info at least 24 */
    if (n_kv > (len - pos) / 12 || n_t > (len - pos) / 24) return mtl__err(err, MTL_ERR_FORMAT, "GGUF counts exceed the file size (truncated?)");
    g->kv = (mtl__gguf_kv *)mtl__lalloc(lm, ((size_t)n_kv + 1) * sizeof *g->kv);
    g->t = (mtl__gguf_tensor *)mtl__lalloc(lm, ((size_t)n_t + 1) * sizeof *g->t);
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
        /* numel <= 2^40: the byte count fits 64 bits; one past the buffer saturates (no 32-bit wraparound)
           and is refused by the bounds check below */
        if (t->type != MTL__GGML_F32 && t->type != MTL__GGML_F16 && t->type != MTL__GGML_BF16 && t->type != MTL__GGML_I8) {
            uint32_t ty = t->type;
            mtl__gguf_free(g);
            return mtl__err(err, MTL_ERR_UNSUPPORTED, "tensor %lu: ggml type %u (supported: F32, F16, BF16, I8)", (unsigned long)i, ty);
        }
        t->nbytes = t->numel * MTL__GGML_ELEM(t->type) > (uint64_t)len ? (size_t)-1 : (size_t)(t->numel * MTL__GGML_ELEM(t->type));
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
    return mtl__gguf_check_unique(g, err);
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
        uint32_t u = 0;   /* (the parser checked the bounds; 0 keeps gcc -O3 quiet) */
        mtl__rd_u32(g, &p, &u);
        *v = kv->type == MTL__GGUF_I32 ? (long)(int32_t)u : (long)(u & 0x7FFFFFFFu);
        if (kv->type == MTL__GGUF_U32 && u > 0x7FFFFFFFu) return 0;
        return 1;
    }
    case MTL__GGUF_U64: case MTL__GGUF_I64: {
        uint64_t u = 0;
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
    uint32_t u = 0;
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
/* Whole-file checksum. Every blob mtl writes ends its key/values with mtl.checksum.xxh64 (u64):   */
/* XXH64 (seed 0, the xxHash specification; `xxhsum -H64` of the same bytes) of the whole file     */
/* with the 8 bytes of that value read as zero. The loaders verify it unless asked not to          */
/* (mtl_load_options.skip_checksum). Trainer checkpoints of earlier versions carry mtl.checksum    */
/* (FNV-1a 64 of the same bytes) instead, which is verified too.                                  */
/* ---------------------------------------------------------------------------------------------- */
#define MTL__CHECKSUM_KEY "mtl.checksum.xxh64"
#define MTL__XP1 0x9E3779B185EBCA87ull
#define MTL__XP2 0xC2B2AE3D27D4EB4Full
#define MTL__XP3 0x165667B19E3779F9ull
#define MTL__XP4 0x85EBCA77C2B2AE63ull
#define MTL__XP5 0x27D4EB2F165667C5ull
typedef struct mtl__xxh { uint64_t v[4], total; unsigned char buf[32]; size_t nbuf; } mtl__xxh;
static uint64_t mtl__rotl64(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }
static uint64_t mtl__le64(const unsigned char *p) {
    return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 | (uint64_t)p[3] << 24 |
           (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 | (uint64_t)p[6] << 48 | (uint64_t)p[7] << 56;
}
static uint64_t mtl__xxh_round(uint64_t acc, uint64_t in) { return mtl__rotl64(acc + in * MTL__XP2, 31) * MTL__XP1; }
static void mtl__xxh_init(mtl__xxh *s) {
    s->v[0] = MTL__XP1 + MTL__XP2; s->v[1] = MTL__XP2; s->v[2] = 0; s->v[3] = 0 - MTL__XP1;
    s->total = 0; s->nbuf = 0;
}
static void mtl__xxh_update(mtl__xxh *s, const unsigned char *p, size_t n) {
    uint64_t v0 = s->v[0], v1 = s->v[1], v2 = s->v[2], v3 = s->v[3];
    s->total += n;
    if (s->nbuf) {                                       /* complete the buffered stripe */
        size_t k = 32 - s->nbuf < n ? 32 - s->nbuf : n;
        memcpy(s->buf + s->nbuf, p, k);
        s->nbuf += k; p += k; n -= k;
        if (s->nbuf < 32) return;
        v0 = mtl__xxh_round(v0, mtl__le64(s->buf)); v1 = mtl__xxh_round(v1, mtl__le64(s->buf + 8));
        v2 = mtl__xxh_round(v2, mtl__le64(s->buf + 16)); v3 = mtl__xxh_round(v3, mtl__le64(s->buf + 24));
        s->nbuf = 0;
    }
    for (; n >= 32; p += 32, n -= 32) {                  /* four independent lanes */
        v0 = mtl__xxh_round(v0, mtl__le64(p)); v1 = mtl__xxh_round(v1, mtl__le64(p + 8));
        v2 = mtl__xxh_round(v2, mtl__le64(p + 16)); v3 = mtl__xxh_round(v3, mtl__le64(p + 24));
    }
    if (n) memcpy(s->buf, p, n);
    s->nbuf = n;
    s->v[0] = v0; s->v[1] = v1; s->v[2] = v2; s->v[3] = v3;
}
static uint64_t mtl__xxh_final(const mtl__xxh *s) {
    const unsigned char *p = s->buf;
    size_t n = s->nbuf;
    uint64_t h;
    int k;
    if (s->total >= 32) {
        h = mtl__rotl64(s->v[0], 1) + mtl__rotl64(s->v[1], 7) + mtl__rotl64(s->v[2], 12) + mtl__rotl64(s->v[3], 18);
        for (k = 0; k < 4; k++) h = (h ^ mtl__xxh_round(0, s->v[k])) * MTL__XP1 + MTL__XP4;
    } else {
        h = MTL__XP5;                                    /* seed 0 + P5 */
    }
    h += s->total;
    for (; n >= 8; p += 8, n -= 8) h = mtl__rotl64(h ^ mtl__xxh_round(0, mtl__le64(p)), 27) * MTL__XP1 + MTL__XP4;
    if (n >= 4) {
        uint64_t w = (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 | (uint64_t)p[3] << 24;
        h = mtl__rotl64(h ^ (w * MTL__XP1), 23) * MTL__XP2 + MTL__XP3;
        p += 4; n -= 4;
    }
    for (; n; p++, n--) h = mtl__rotl64(h ^ (*p * MTL__XP5), 11) * MTL__XP1;
    h ^= h >> 33; h *= MTL__XP2; h ^= h >> 29; h *= MTL__XP3; h ^= h >> 32;
    return h;
}
/* XXH64 of p[0..n) with the 8 bytes at skip read as zero (skip >= n: none). */
static uint64_t mtl__xxh64_skip(const unsigned char *p, size_t n, size_t skip) {
    static const unsigned char zeros[8] = {0};
    mtl__xxh s;
    mtl__xxh_init(&s);
    if (skip >= n || n - skip < 8) { mtl__xxh_update(&s, p, n); return mtl__xxh_final(&s); }
    mtl__xxh_update(&s, p, skip);
    mtl__xxh_update(&s, zeros, 8);
    mtl__xxh_update(&s, p + skip + 8, n - skip - 8);
    return mtl__xxh_final(&s);
}
/* FNV-1a 64 with the same rule (checkpoints written before mtl.checksum.xxh64). */
static uint64_t mtl__fnv64_skip(const unsigned char *p, size_t n, size_t skip) {
    uint64_t h = 0xcbf29ce484222325ull;
    size_t i;
    for (i = 0; i < n; i++) { h ^= (i >= skip && i - skip < 8) ? 0u : p[i]; h *= 0x100000001b3ull; }
    return h;
}
/* Finds and (verify != 0) checks the file's checksum: *status = MTL_CHECKSUM_NONE (no checksum key),
   _VERIFIED or _NOT_VERIFIED. A key that looks like a checksum but is not one of the two is an
   error (a damaged name must not turn a protected file into an unprotected one). */
static mtl_result mtl__checksum_check(const mtl__gguf *g, int verify, int *status, mtl_error *err) {
    const mtl__gguf_kv *kv = NULL;
    size_t i, p;
    int legacy = 0;
    uint64_t want, got;
    *status = MTL_CHECKSUM_NONE;
    for (i = 0; i < g->n_kv; i++) {
        const mtl__gguf_kv *q = &g->kv[i];
        if (q->klen < 12 || memcmp(q->key, "mtl.checksum", 12) != 0) continue;
        if (kv || q->type != MTL__GGUF_U64 || !(mtl__streq(q->key, q->klen, MTL__CHECKSUM_KEY) || q->klen == 12))
            return mtl__err(err, MTL_ERR_FORMAT, "corrupt file: malformed checksum key");
        kv = q;
        legacy = q->klen == 12;
    }
    if (!kv) return MTL_OK;
    *status = MTL_CHECKSUM_NOT_VERIFIED;
    if (!verify) return MTL_OK;
    p = kv->pos;
    if (!mtl__rd_u64(g, &p, &want)) return mtl__err(err, MTL_ERR_FORMAT, "corrupt file: truncated checksum");
    got = legacy ? mtl__fnv64_skip(g->d, g->len, kv->pos) : mtl__xxh64_skip(g->d, g->len, kv->pos);
    if (got != want) {
        char hex[2][17];
        int k, j;
        for (k = 0; k < 2; k++)
            for (j = 0; j < 16; j++) hex[k][j] = "0123456789abcdef"[((k ? got : want) >> (60 - 4 * j)) & 15u];
        hex[0][16] = hex[1][16] = 0;
        return mtl__err(err, MTL_ERR_FORMAT, "checksum mismatch: the file is corrupt or was changed after it was written "
                        "(stored %s, computed %s)", hex[0], hex[1]);
    }
    *status = MTL_CHECKSUM_VERIFIED;
    return MTL_OK;
}

/* ---------------------------------------------------------------------------------------------- */
/* GGUF writing: the one writer of the repository (weights_convert and the trainer's checkpoints). */
/* A file is built in memory as three growable parts - key/values, tensor infos, tensor data - and */
/* assembled as header + key/values + tensor infos + padding (meta), then the data. Tensors are     */
/* 32-byte aligned (general.alignment 32). Private API (mtl__gw_*), used by weights_convert/ and the trainer. */
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
/* meta = magic, version 3, counts, key/values + the checksum key, tensor infos, padding to 32. The
   file is meta + g->data; the checksum (XXH64 of meta + data with its own 8 bytes as zero) is
   patched in here, so every blob written through this function carries one. */
MTL__WFN mtl_result mtl__gw_meta(const mtl__gw *g, mtl__wbuf *meta, mtl_error *err) {
    static const unsigned char zeros[32] = {0};
    static const char ck[] = MTL__CHECKSUM_KEY;
    size_t ck_pos;
    mtl__xxh h;
    uint64_t sum;
    int k;
    memset(meta, 0, sizeof *meta);
    mtl__wb_u32(meta, 0x46554747u);
    mtl__wb_u32(meta, 3);
    mtl__wb_u64(meta, g->n_ti);
    mtl__wb_u64(meta, g->n_kv + 1);
    mtl__wb_put(meta, g->kv.d, g->kv.n);
    mtl__wb_str(meta, ck, sizeof ck - 1);
    mtl__wb_u32(meta, MTL__GGUF_U64);
    ck_pos = meta->n;
    mtl__wb_u64(meta, 0);
    mtl__wb_put(meta, g->ti.d, g->ti.n);
    mtl__wb_put(meta, zeros, (32 - meta->n % 32) % 32);
    if (meta->oom || mtl__gw_oom(g)) { mtl__wb_free(meta); return mtl__err(err, MTL_ERR_NOMEM, "out of memory"); }
    mtl__xxh_init(&h);
    mtl__xxh_update(&h, meta->d, meta->n);
    if (g->data.n) mtl__xxh_update(&h, g->data.d, g->data.n);
    sum = mtl__xxh_final(&h);
    for (k = 0; k < 8; k++) meta->d[ck_pos + (size_t)k] = (unsigned char)(sum >> (8 * k));
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
    long max_seq_length;     /* <= 0 or >= the longest input: the longest input (the position table's) */
    int roberta;             /* RoBERTa's position ids: mtl.position_padding_idx = position_padding_idx */
    long position_padding_idx;
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
    if (c->roberta) mtl__gw_u32(g, "mtl.position_padding_idx", (uint32_t)c->position_padding_idx);
}
/* The tokenizer keys (tokenizer.ggml.*, mtl.tokenizer.*); tok NULL: only tokenizer.ggml.token_type_count
   (such a blob is not loadable by mtl_model_load). tokenizer.ggml.model: "bert" (WordPiece), "gpt2"
   (byte-level BPE, + tokenizer.ggml.merges "a b" in rank order, as llama.cpp writes them), "mtl" (a
   model of mtl_tokenizer.h this writer does not name: only the index below holds it). */
MTL__WFN void mtl__gw_tokenizer(mtl__gw *g, const mtl_tokenizer *tok, long type_vocab_size) {
    mtl_tokenizer_options to;
    int nv, i, l;
    if (!tok) { mtl__gw_u32(g, "tokenizer.ggml.token_type_count", (uint32_t)type_vocab_size); return; }
    nv = mtl_tokenizer_vocab_size(tok);
    mtl_tokenizer_get_options(tok, &to);
    mtl__gw_str(g, "tokenizer.ggml.model", tok->model == MTL__MODEL_WORDPIECE ? "bert" : tok->model == MTL__MODEL_BPE ? "gpt2" : "mtl");
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
    if (tok->model == MTL__MODEL_BPE) {   /* the merges, by rank (a rank is below n_slots: the hash has 2x room) */
        uint32_t *by_rank = tok->n_slots ? (uint32_t *)MTL_MALLOC((size_t)tok->n_slots * sizeof(uint32_t)) : NULL;
        uint64_t n_merges = 0;
        uint32_t q;
        if (tok->n_slots && !by_rank) { g->kv.oom = 1; return; }
        for (q = 0; q < tok->n_slots; q++) by_rank[q] = MTL__NONE;
        for (q = 0; q < tok->n_slots; q++) {
            const uint32_t *mg = tok->merges + 4 * (size_t)q;
            if (mg[0] != MTL__NONE && mg[2] < tok->n_slots) { by_rank[mg[2]] = q; n_merges++; }
        }
        mtl__gw_arr(g, "tokenizer.ggml.merges", MTL__GGUF_STR, n_merges);
        for (q = 0; q < tok->n_slots; q++) {
            const uint32_t *mg;
            size_t la = 0, lb = 0;
            const char *a, *b;
            if (by_rank[q] == MTL__NONE) continue;
            mg = tok->merges + 4 * (size_t)by_rank[q];
            a = mtl_tokenizer_id_to_token(tok, (int32_t)mg[0], &la);
            b = mtl_tokenizer_id_to_token(tok, (int32_t)mg[1], &lb);
            mtl__wb_u64(&g->kv, (uint64_t)(la + 1 + lb));
            mtl__wb_put(&g->kv, a, la);
            mtl__wb_put(&g->kv, " ", 1);
            mtl__wb_put(&g->kv, b, lb);
        }
        MTL_FREE(by_rank);
    }
    mtl__gw_u32(g, "tokenizer.ggml.token_type_count", (uint32_t)type_vocab_size);
    mtl__gw_bool(g, "mtl.tokenizer.lowercase", to.lowercase > 0);
    mtl__gw_bool(g, "mtl.tokenizer.strip_accents", to.strip_accents > 0);
    mtl__gw_bool(g, "mtl.tokenizer.handle_chinese_chars", to.handle_chinese_chars > 0);
    mtl__gw_bool(g, "mtl.tokenizer.clean_text", to.clean_text > 0);
    mtl__gw_u32(g, "mtl.tokenizer.max_input_chars_per_word", (uint32_t)to.max_input_chars_per_word);
    mtl__gw_str(g, "mtl.tokenizer.continuing_subword_prefix", to.continuing_subword_prefix ? to.continuing_subword_prefix : "##");
    {   /* the tokenizer's run-time image, used in place by the loader (no build, no allocation) */
        size_t il = 0;
        const void *img = mtl_tokenizer_image(tok, &il);
        if (img && il) {
            mtl__gw_tensor(g, "mtl.tokenizer.index", il, 1, MTL__GGML_I8);
            mtl__wb_put(&g->data, img, il);
        }
    }
}
/* The embedding defaults (mtl.pooling, mtl.normalize, mtl.max_seq_length). */
MTL__WFN void mtl__gw_embed_keys(mtl__gw *g, const mtl__gw_bert *c) {
    mtl_pooling pool = c->pooling == MTL_POOL_DEFAULT ? MTL_POOL_CLS : c->pooling;
    const long most = c->roberta ? c->max_position - c->position_padding_idx - 1 : c->max_position;
    mtl__gw_str(g, "mtl.pooling", pool == MTL_POOL_MEAN ? "mean" : pool == MTL_POOL_MAX ? "max" : pool == MTL_POOL_POOLER ? "pooler" : "cls");
    mtl__gw_bool(g, "mtl.normalize", c->normalize);
    mtl__gw_u32(g, "mtl.max_seq_length", (uint32_t)(c->max_seq_length > 0 && c->max_seq_length < most ? c->max_seq_length : most));
}
/* The keys of a task head (mtl.head.cls.* / mtl.head.ner.*, FILE FORMAT): the trainer's checkpoints and
   weights_convert's DistilBertForSequenceClassification. pooling: the cls head's ("cls" | "mean" | "max"
   | "pooler"; NULL for ner); labels NULL, or a NULL entry: LABEL_i (HF's default id2label). */
typedef struct mtl__gw_head {
    int ner, num_labels, hidden;
    mtl_activation act;
    float dropout;
    const char *pooling, *prefix;
    double loss_weight;
    const char *const *labels;
} mtl__gw_head;
MTL__WFN void mtl__gw_head_keys(mtl__gw *g, const mtl__gw_head *h) {
    char key[40];
    int i;
#define MTL__GW_KEY(suffix) (memcpy(key, h->ner ? "mtl.head.ner." : "mtl.head.cls.", 13), memcpy(key + 13, suffix, strlen(suffix) + 1), key)
    mtl__gw_str(g, MTL__GW_KEY("kind"), h->ner ? "token_classification" : "sequence_classification");
    mtl__gw_u32(g, MTL__GW_KEY("num_labels"), (uint32_t)h->num_labels);
    mtl__gw_u32(g, MTL__GW_KEY("hidden"), (uint32_t)h->hidden);
    mtl__gw_str(g, MTL__GW_KEY("activation"), h->act == MTL_ACT_RELU ? "relu" : h->act == MTL_ACT_TANH ? "tanh" : "gelu");
    mtl__gw_f32(g, MTL__GW_KEY("dropout"), h->dropout);
    if (h->pooling) mtl__gw_str(g, MTL__GW_KEY("pooling"), h->pooling);
    mtl__gw_str(g, MTL__GW_KEY("prefix"), h->prefix);
    mtl__gw_f64(g, MTL__GW_KEY("loss_weight"), h->loss_weight);
    mtl__gw_arr(g, MTL__GW_KEY("labels"), MTL__GGUF_STR, (uint64_t)h->num_labels);
#undef MTL__GW_KEY
    for (i = 0; i < h->num_labels; i++) {
        char lb[32];
        const char *s = h->labels && h->labels[i] ? h->labels[i] : NULL;
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
}


#ifndef MTL_NO_STDIO
/* Writes the parts to "<path>.tmp", flushes it to disk and renames it to path (atomic on POSIX): a
   reader sees the old file or the new one, never a partial one. */
MTL__WFN mtl_result mtl__write_atomic(const char *path, const void *const *parts, const size_t *lens, int n_parts, mtl_error *err) {
    size_t pl;
    char *tmp;
    int ok = 1, i, e = 0;
    if (!path) return mtl__err(err, MTL_ERR_ARG, "no path");
    pl = strlen(path);
    tmp = (char *)MTL_MALLOC(pl + 5);
    if (!tmp) return mtl__err(err, MTL_ERR_NOMEM, "out of memory");
    memcpy(tmp, path, pl);
    memcpy(tmp + pl, ".tmp", 5);
#ifdef MTL__MMAP
    {   /* POSIX: write, fsync, close */
        int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0) { e = errno; MTL_FREE(tmp); return mtl__err(err, MTL_ERR_IO, "cannot write %s: %s", path, strerror(e)); }
        for (i = 0; i < n_parts && ok; i++) {
            const unsigned char *p = (const unsigned char *)parts[i];
            size_t left = lens[i];
            while (left && ok) {
                ssize_t w = write(fd, p, left > ((size_t)1 << 30) ? ((size_t)1 << 30) : left);
                if (w <= 0) { ok = 0; e = w < 0 ? errno : 0; }
                else { p += w; left -= (size_t)w; }
            }
        }
        if (fsync(fd) != 0 && ok) { ok = 0; e = errno; }
        if (close(fd) != 0 && ok) { ok = 0; e = errno; }
    }
#else
    FILE *f = fopen(tmp, "wb");
    if (!f) { e = errno; MTL_FREE(tmp); return mtl__err(err, MTL_ERR_IO, "cannot write %s: %s", path, strerror(e)); }
    for (i = 0; i < n_parts && ok; i++) if (lens[i] != 0 && fwrite(parts[i], 1, lens[i], f) != lens[i]) { ok = 0; e = errno; }
    if (fflush(f) != 0 && ok) { ok = 0; e = errno; }
    if (fclose(f) != 0 && ok) { ok = 0; e = errno; }
#endif
    if (ok && rename(tmp, path) != 0) { ok = 0; e = errno; }
    if (!ok) {
        remove(tmp);
        MTL_FREE(tmp);
        return mtl__err(err, MTL_ERR_IO, "cannot write %s: %s", path, e ? strerror(e) : "write error");
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
    float *qkv_b;       /* [3H] = bq bk bv when q_p k_p v_p are one packed [3H, H] weight (H % 16 == 0) */
    int wt[6];          /* the types of q_w k_w v_w o_w up_w down_w: 0 f32, else f16 / bf16 read in place */
} mtl__layer;

struct mtl_model {
    mtl_model_info info;
    const float *tok_emb, *pos_emb, *type_emb;       /* [V,H] [P,H] [T,H]           */
    int emb_t[3];                                    /* their types (as mtl__layer.wt) */
    const float *emb_ln_w, *emb_ln_b;                /* [H]                         */
    mtl__layer *layers;                              /* [n_layers]                  */
    const float *pool_w, *pool_b;                    /* [H,H], [H] or NULL          */
    const float *cls_w, *cls_b;                      /* [num_labels,H], [num_labels] or NULL */
    const char **labels; size_t *label_lens;         /* [num_labels], into the blob */
    mtl_head_info heads[2];                          /* trainer heads: [0] cls, [1] ner (num_labels 0: none) */
    const char **hlabels[2]; size_t *hlabel_lens[2]; /* their label names, into the blob */
    int hf_head;                                     /* 1 / 2: heads[0] / heads[1] is the HF classifier
                                                        (mtl.classifier.*, labels = labels); 0: none */
    int hf_sigmoid;                                  /* mtl.classifier.score (1: sigmoid, the default) */
    mtl_tokenizer *tok;
    float *owned;                                    /* widened f16/bf16/misaligned tensors */
    float *packed;                                   /* linear weights repacked for the kernel, 64-byte
                                                        aligned (a panel row is one cache line)      */
    void *packed_mem;                                /* the block packed lies in (MTL_FREE'd)        */
    void *file_data; size_t file_len;                /* mmap'ed or read file (NULL: caller's buffer) */
    int mapped;
    mtl__lmem lm;                                    /* where all of the above was allocated        */
};

/* Finds tensor `name`, checks its ggml shape, and returns a float view (in place or widened into
   *fill, which advances). With fill == NULL only computes the number of floats needed in *need. */
static mtl_result mtl__view(const mtl__gguf *g, const char *name, uint64_t ne0, uint64_t ne1, int optional,
                            const float **out, int *typed, float **fill, size_t *need, mtl_error *err) {
    size_t i, nl = strlen(name), k;
    const mtl__gguf_tensor *t = NULL;
    for (i = 0; i < g->n_t; i++)
        if (g->t[i].nlen == nl && memcmp(g->t[i].name, name, nl) == 0) { t = &g->t[i]; break; }
    *out = NULL;
    if (!t) return optional ? MTL_OK : mtl__err(err, MTL_ERR_FORMAT, "tensor %s is missing", name);
    if (t->ne[0] != ne0 || t->ne[1] != ne1 || t->ne[2] != 1 || t->ne[3] != 1)
        return mtl__err(err, MTL_ERR_SHAPE, "tensor %s has shape [%lu,%lu], expected [%lu,%lu]", name,
                        (unsigned long)t->ne[0], (unsigned long)t->ne[1], (unsigned long)ne0, (unsigned long)ne1);
    if (t->type == MTL__GGML_I8) return mtl__err(err, MTL_ERR_FORMAT, "tensor %s is not a float tensor", name);
    if (typed) *typed = 0;
    if (typed && (t->type == MTL__GGML_F16 || t->type == MTL__GGML_BF16) && ((uintptr_t)(g->d + t->off) % 2) == 0) {
        *out = (const float *)(const void *)(g->d + t->off);   /* read as uint16 by the kernels (mtl__bval) */
        *typed = (int)t->type;
        return MTL_OK;
    }
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
#define MTL__V(nm, a, b, opt, dst) do { if ((r = mtl__view(g, nm, a, b, opt, &(dst), NULL, fill, need, err)) != MTL_OK) return r; } while (0)
    /* the big matrices (embedding tables, the six linear weights of each layer) stay f16 / bf16 in the
       file when the model lives in caller memory (the kernels widen them per panel); all else is f32 */
#ifdef MTL_USE_BLAS
#define MTL__TYPED(tdst) NULL
#else
#define MTL__TYPED(tdst) (m->lm.in_place ? (tdst) : NULL)
#endif
#define MTL__VT(nm, a, b, dst, tdst) do { if ((r = mtl__view(g, nm, a, b, 0, &(dst), MTL__TYPED(tdst), fill, need, err)) != MTL_OK) return r; } while (0)
    MTL__VT("token_embd.weight", H, (uint64_t)c->vocab_size, m->tok_emb, &m->emb_t[0]);
    MTL__VT("position_embd.weight", H, (uint64_t)c->max_position, m->pos_emb, &m->emb_t[2]);
    MTL__VT("token_types.weight", H, (uint64_t)c->type_vocab_size, m->type_emb, &m->emb_t[1]);
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
            if (k % 2 == 0 && k != 8 && k != 14) MTL__VT(name, s0[k], s1[k], *dst[k], &L->wt[k < 8 ? k / 2 : k / 2 - 1]);
            else MTL__V(name, s0[k], s1[k], 0, *dst[k]);
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
#undef MTL__VT
#undef MTL__TYPED
    return MTL_OK;
}

/* ---------------------------------------------------------------------------------------------- */
/* GGUF files from another writer: llama.cpp's convert_hf_to_gguf.py (FILE FORMAT, "FILES FROM      */
/* LLAMA.CPP"). Called by the loader once the token strings are read; a no-op on mtl's own files.   */
/* ---------------------------------------------------------------------------------------------- */
#ifndef MTL_NO_TOKENIZER   /* (an ids-only build reads no llama.cpp file) */
/* Whether s[0, n) contains U+2581 (E2 96 81), llama.cpp's phantom space. */
static int mtl__llama_has_phantom(const char *s, size_t n) {
    size_t i;
    for (i = 0; i + 2 < n; i++)
        if ((unsigned char)s[i] == 0xE2 && (unsigned char)s[i + 1] == 0x96 && (unsigned char)s[i + 2] == 0x81) return 1;
    return 0;
}
/* A tensor name the loader reads (token_embd.weight, ..., blk.N.<16 names> with N < n_layers). */
static int mtl__llama_tensor_known(const char *s, size_t n, int n_layers) {
    static const char *const top[5] = {"token_embd.weight", "position_embd.weight", "token_types.weight",
                                       "token_embd_norm.weight", "token_embd_norm.bias"};
    static const char *const blk[16] = {"attn_q.weight", "attn_q.bias", "attn_k.weight", "attn_k.bias",
                                        "attn_v.weight", "attn_v.bias", "attn_output.weight", "attn_output.bias",
                                        "attn_output_norm.weight", "attn_output_norm.bias", "ffn_up.weight", "ffn_up.bias",
                                        "ffn_down.weight", "ffn_down.bias", "layer_output_norm.weight", "layer_output_norm.bias"};
    size_t i = 4;
    long l = 0;
    int k;
    for (k = 0; k < 5; k++) if (mtl__streq(s, n, top[k])) return 1;
    if (n < 6 || memcmp(s, "blk.", 4) != 0 || s[4] < '0' || s[4] > '9' || (s[4] == '0' && s[5] != '.')) return 0;
    while (i < n && s[i] >= '0' && s[i] <= '9' && l < 100000) l = l * 10 + (s[i++] - '0');
    if (i >= n || s[i] != '.' || l >= n_layers) return 0;
    for (k = 0; k < 16; k++) if (mtl__streq(s + i + 1, n - i - 1, blk[k])) return 1;
    return 0;
}
/* The file is mtl's own when it carries mtl.tokenizer.* keys (every mtl writer puts them next to the
   vocabulary): nothing to do, *mem stays NULL. Otherwise it is read as llama.cpp's BERT file: its
   vocabulary is mapped back to WordPiece in place (toks/lens point into *mem, freed by the caller after
   the tokenizer is built), the tokenizer options and the embedding defaults (pooling, normalisation)
   are set from its keys and the documented rules, and anything that cannot be read exactly is
   refused with the reason. */
static mtl_result mtl__llama_vocab(const mtl__gguf *g, mtl_model_info *c, const char **toks, size_t *lens, size_t n,
                                   mtl_tokenizer_options *to, char **mem, mtl_error *err) {
    static const char *const idkey[4] = {"tokenizer.ggml.unknown_token_id", "tokenizer.ggml.seperator_token_id",
                                         "tokenizer.ggml.cls_token_id", "tokenizer.ggml.bos_token_id"};
    const mtl__gguf_kv *tt = mtl__gguf_find(g, "tokenizer.ggml.token_type");
    mtl__gguf_ref *srt = NULL;    /* the mapped pieces sorted by bytes (.off = token id) */
    unsigned char *ctl = NULL;
    size_t i, total = 0, n_word = 0;
    long v, lower = 1, strip = 1;
    int keyed = mtl__gguf_find(g, "tokenizer.ggml.normalizer.lowercase") != NULL;
    char *p;
    mtl_result r = MTL_OK;
    *mem = NULL;
    for (i = 0; i < g->n_kv; i++)
        if (g->kv[i].klen > 14 && memcmp(g->kv[i].key, "mtl.tokenizer.", 14) == 0) return MTL_OK;
#define MTL__LL(code, ...) do { r = mtl__err(err, code, "llama.cpp GGUF (no mtl.* keys): " __VA_ARGS__); goto out; } while (0)
    /* pooling: llama.cpp's bert.pooling_type 0 none, 1 mean, 2 cls, 3 last, 4 rank */
    if (!mtl__gguf_find(g, "bert.pooling_type")) c->pooling = MTL_POOL_CLS;
    else if (!mtl__gguf_int(g, "bert.pooling_type", &v)) MTL__LL(MTL_ERR_FORMAT, "bert.pooling_type is not an integer");
    else if (v == 0 || v == 2) c->pooling = MTL_POOL_CLS;
    else if (v == 1) c->pooling = MTL_POOL_MEAN;
    else if (v == 3) MTL__LL(MTL_ERR_UNSUPPORTED, "bert.pooling_type 3 (last token) is not supported");
    else if (v == 4) MTL__LL(MTL_ERR_UNSUPPORTED, "bert.pooling_type 4 (rank: a reranker's classifier) is not supported");
    else MTL__LL(MTL_ERR_UNSUPPORTED, "unknown bert.pooling_type %ld", v);
    c->normalize = 1;   /* not stored by llama.cpp; its embeddings are L2-normalised by default */
    for (i = 0; i < g->n_t; i++)
        if (!mtl__llama_tensor_known(g->t[i].name, g->t[i].nlen, c->n_layers))
            MTL__LL(MTL_ERR_UNSUPPORTED, "tensor %.*s is not a BERT encoder tensor mtl reads (e.g. a classifier / reranker head): not supported",
                    (int)(g->t[i].nlen < 64 ? g->t[i].nlen : 64), g->t[i].name);
    for (i = 0; i < 3; i++) {
        int k = (int)(i == 2 && !mtl__gguf_find(g, idkey[2]) ? 3 : i);
        if (!mtl__gguf_int(g, idkey[k], &v) || v < 0 || (uint64_t)v >= n)
            MTL__LL(MTL_ERR_FORMAT, "%s is missing or out of range", i == 2 ? "tokenizer.ggml.cls_token_id (or bos_token_id)" : idkey[k]);
    }
    /* token types (llama.cpp: 1 normal, 2 unknown, 3 control, 4 user-defined, 5 unused, 6 byte): control
       tokens are stored as they are, every other one in phantom-space form */
    if (!tt || tt->type != MTL__GGUF_ARR || tt->atype != MTL__GGUF_I32 || tt->n != (uint64_t)n)
        MTL__LL(MTL_ERR_FORMAT, "tokenizer.ggml.token_type is missing or does not match the tokens (needed to map the vocabulary back)");
    ctl = (unsigned char *)MTL_MALLOC(n);
    srt = (mtl__gguf_ref *)MTL_MALLOC(n * sizeof *srt);
    if (!ctl || !srt) MTL__LL(MTL_ERR_NOMEM, "out of memory");
    for (i = 0; i < n; i++) {
        size_t q = tt->pos + 4 * i;
        uint32_t ty = 0;
        mtl__rd_u32(g, &q, &ty);
        if (ty == 4) MTL__LL(MTL_ERR_UNSUPPORTED, "token %zu (%.*s) is a user-defined added token: not supported", i, (int)(lens[i] < 40 ? lens[i] : 40), toks[i]);
        if (ty < 1 || ty > 5) MTL__LL(MTL_ERR_UNSUPPORTED, "token %zu has token type %u: not a WordPiece vocabulary", i, ty);
        ctl[i] = ty == 3;
        total += lens[i] + 2;
    }
    /* phantom space -> WordPiece: "\u2581word" -> "word", "piece" -> "##piece"; "[name]" stays as it is
       (the converters before the token-type rule kept every bracketed token unchanged; "[" and "]"
       are punctuation, so no text reaches such a piece either way) */
    p = *mem = (char *)MTL_MALLOC(total + 1);
    if (!p) MTL__LL(MTL_ERR_NOMEM, "out of memory");
    for (i = 0; i < n; i++) {
        const char *s = toks[i];
        size_t l = lens[i];
        if (ctl[i] || (l >= 2 && s[0] == '[' && s[l - 1] == ']' && !mtl__llama_has_phantom(s, l))) continue;
        if (l >= 3 && (unsigned char)s[0] == 0xE2 && (unsigned char)s[1] == 0x96 && (unsigned char)s[2] == 0x81) {
            if (l == 3 || mtl__llama_has_phantom(s + 3, l - 3))
                MTL__LL(MTL_ERR_UNSUPPORTED, "token %zu (%.*s) cannot be mapped back to WordPiece unambiguously (a bare U+2581, or U+2581 beyond the word-start mark)", i, (int)(l < 40 ? l : 40), s);
            memcpy(p, s + 3, l - 3);
            toks[i] = p; lens[i] = l - 3;
            p += l - 3;
            n_word++;
        } else {
            if (mtl__llama_has_phantom(s, l))
                MTL__LL(MTL_ERR_UNSUPPORTED, "token %zu (%.*s) cannot be mapped back to WordPiece unambiguously (it holds U+2581 after its start)", i, (int)(l < 40 ? l : 40), s);
            p[0] = '#'; p[1] = '#';
            memcpy(p + 2, s, l);
            toks[i] = p; lens[i] = l + 2;
            p += l + 2;
        }
    }
    if (!n_word) MTL__LL(MTL_ERR_UNSUPPORTED, "the vocabulary is not in llama.cpp's phantom-space form (no token starts with U+2581): unknown GGUF writer");
    for (i = 0; i < n; i++) { srt[i].s = toks[i]; srt[i].n = lens[i]; srt[i].off = i; }
    qsort(srt, n, sizeof *srt, mtl__gguf_cmp_name);
    for (i = 1; i < n; i++)
        if (!mtl__gguf_cmp_name(&srt[i - 1], &srt[i])) {
            const int lo = srt[i - 1].off < srt[i].off;   /* name the lower id first (qsort is not stable) */
            const size_t a = lo ? srt[i - 1].off : srt[i].off, b = lo ? srt[i].off : srt[i - 1].off;
            MTL__LL(MTL_ERR_UNSUPPORTED, "tokens %zu and %zu both map back to %.*s: the vocabulary is ambiguous", a, b, (int)(srt[i].n < 40 ? srt[i].n : 40), srt[i].s);
        }
    /* lowercasing / accent stripping: the converter's keys, else inferred from the vocabulary */
    if (keyed) {
        if (!mtl__gguf_int(g, "tokenizer.ggml.normalizer.lowercase", &lower)) MTL__LL(MTL_ERR_FORMAT, "tokenizer.ggml.normalizer.lowercase is not a bool");
        strip = lower;
        if (mtl__gguf_find(g, "tokenizer.ggml.normalizer.strip_accents") && !mtl__gguf_int(g, "tokenizer.ggml.normalizer.strip_accents", &strip))
            MTL__LL(MTL_ERR_FORMAT, "tokenizer.ggml.normalizer.strip_accents is not a bool");
    } else if (mtl__gguf_find(g, "tokenizer.ggml.normalizer.strip_accents")) {
        MTL__LL(MTL_ERR_FORMAT, "tokenizer.ggml.normalizer.strip_accents without tokenizer.ggml.normalizer.lowercase");
    }
    for (i = 0; i < n; i++) {
        const unsigned char *s = (const unsigned char *)toks[i];
        size_t q = 0, l = lens[i];
        int cjk = 0, ncp = 0;
        if (ctl[i]) continue;
        if (l >= 2 && s[0] == '#' && s[1] == '#') q = 2;
        while (q < l) {
            uint32_t cp = mtl__utf8_next(s, l, &q);
            unsigned f = mtl__uc_flags(cp);
            ncp++;
            cjk |= mtl__is_cjk(cp);
            if (keyed) continue;
            if (f & MTL__UC_LOWER)
                MTL__LL(MTL_ERR_UNSUPPORTED, "tokenizer.ggml.normalizer.lowercase is missing (an older converter) and token %zu (%.*s) has an uppercase letter, so whether the model lowercases is unknown", i, (int)(l < 40 ? l : 40), toks[i]);
            if (f & (MTL__UC_MN | MTL__UC_NFD))   /* what accent stripping (NFD, drop Mn) would change */
                MTL__LL(MTL_ERR_UNSUPPORTED, "tokenizer.ggml.normalizer.lowercase is missing (an older converter) and token %zu (%.*s) has an accent (NFD), so whether the model strips accents is unknown", i, (int)(l < 40 ? l : 40), toks[i]);
        }
        if (cjk && ncp > 1)
            MTL__LL(MTL_ERR_UNSUPPORTED, "token %zu (%.*s) joins a CJK character to others: the model does not split CJK characters, which a llama.cpp file cannot say", i, (int)(l < 40 ? l : 40), toks[i]);
    }
#undef MTL__LL
    to->lowercase = lower ? 1 : -1;
    to->strip_accents = strip ? 1 : -1;
    to->handle_chinese_chars = 1;       /* not stored by the converter; llama.cpp always splits them */
    to->clean_text = 1;                 /* likewise always on in llama.cpp                             */
    to->max_input_chars_per_word = 0;   /* not stored: HF's default, 100                              */
out:
    MTL_FREE(ctl);
    MTL_FREE(srt);
    if (r) { MTL_FREE(*mem); *mem = NULL; }
    return r;
}
#endif

#ifdef MTL__REPACK
static void mtl__pack_weight(float *wp, const float *w, int O, int I);
static size_t mtl__packed_size(int O, int I);
#endif

static mtl_result mtl__model_build(mtl_model *m, const void *data, size_t len, const mtl_load_options *opt, mtl_error *err) {
    mtl__gguf g;
    mtl_result r;
    long v;
    const char *s;
    size_t sl, need = 0;
    float *fill = NULL;
    mtl_model_info *c = &m->info;
    int ck;
    if ((r = mtl__gguf_parse(&g, data, len, &m->lm, err)) != MTL_OK) return r;
    if ((r = mtl__checksum_check(&g, !(opt && opt->skip_checksum), &ck, err)) != MTL_OK) goto done;
    c->checksum = (mtl_checksum_status)ck;
    if (ck == MTL_CHECKSUM_NONE && opt && opt->require_checksum) {
        r = mtl__err(err, MTL_ERR_FORMAT, "the file has no checksum (mtl_load_options.require_checksum is set)");
        goto done;
    }
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
    c->position_padding_idx = -1;   /* BERT's position ids unless the file asks for RoBERTa's */
    if (mtl__gguf_find(&g, "mtl.position_padding_idx")) {
        if (!mtl__gguf_int(&g, "mtl.position_padding_idx", &v) || v < 0 || v > (long)c->max_position - 2) {
            r = mtl__err(err, MTL_ERR_FORMAT, "mtl.position_padding_idx is malformed or leaves no position (table of %d rows)", c->max_position);
            goto done;
        }
        c->position_padding_idx = (int)v;
    }
    {   /* the longest input: the position table's (RoBERTa's positions start at padding_idx + 1) */
        const int most = c->position_padding_idx >= 0 ? c->max_position - c->position_padding_idx - 1 : c->max_position;
        c->max_seq_length = mtl__gguf_int(&g, "mtl.max_seq_length", &v) && v > 0 && v <= most ? (int)v : most;
    }
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
        m->hf_sigmoid = !(mtl__gguf_str(&g, "mtl.classifier.score", &s, &sl) && mtl__streq(s, sl, "identity"));
        m->labels = (const char **)mtl__lalloc(&m->lm, (size_t)kv->n * sizeof(char *));
        m->label_lens = (size_t *)mtl__lalloc(&m->lm, (size_t)kv->n * sizeof(size_t));
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
            hi->act = MTL_ACT_GELU;
            if (mtl__gguf_str(&g, MTL__HK("activation"), &s, &sl)) {
                if (mtl__streq(s, sl, "relu")) hi->act = MTL_ACT_RELU;
                else if (mtl__streq(s, sl, "tanh")) hi->act = MTL_ACT_TANH;
                else if (!mtl__streq(s, sl, "gelu")) { r = mtl__err(err, MTL_ERR_UNSUPPORTED, "%s: activation '%.*s' is not supported (gelu, relu, tanh)", key, (int)(sl > 32 ? 32 : sl), s); goto done; }
            }
            hi->sigmoid = !(mtl__gguf_str(&g, MTL__HK("score"), &s, &sl) && mtl__streq(s, sl, "identity"));
            hi->pooling = MTL_POOL_MEAN;
            if (mtl__gguf_str(&g, MTL__HK("pooling"), &s, &sl)) hi->pooling = mtl__streq(s, sl, "cls") ? MTL_POOL_CLS : mtl__streq(s, sl, "max") ? MTL_POOL_MAX
                                                                           : mtl__streq(s, sl, "pooler") ? MTL_POOL_POOLER : MTL_POOL_MEAN;
            kv = mtl__gguf_find(&g, MTL__HK("labels"));
#undef MTL__HK
            if (kv) {
                size_t p = kv->pos, k;
                if (kv->type != MTL__GGUF_ARR || kv->atype != MTL__GGUF_STR || kv->n != (uint64_t)hi->num_labels) { r = mtl__err(err, MTL_ERR_FORMAT, "%s is malformed", key); goto done; }
                m->hlabels[h] = (const char **)mtl__lalloc(&m->lm, (size_t)kv->n * sizeof(char *));
                m->hlabel_lens[h] = (size_t *)mtl__lalloc(&m->lm, (size_t)kv->n * sizeof(size_t));
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
        char *strs[6], *llama_mem = NULL;
        static const char *const skey[6] = {"tokenizer.ggml.unknown_token_id", "tokenizer.ggml.cls_token_id",
                                            "tokenizer.ggml.seperator_token_id", "tokenizer.ggml.padding_token_id",
                                            "tokenizer.ggml.mask_token_id", "mtl.tokenizer.continuing_subword_prefix"};
        const mtl__gguf_tensor *ti = NULL;
        int wordpiece;   /* "bert": the tokenizer can be built from the token list (no index, llama.cpp's files) */
        if (!mtl__gguf_str(&g, "tokenizer.ggml.model", &s, &sl)) { r = mtl__err(err, MTL_ERR_UNSUPPORTED, "no tokenizer (tokenizer.ggml.model is missing)"); goto done; }
        wordpiece = mtl__streq(s, sl, "bert");   /* any other model (gpt2, ...) is read from the index alone */
        if (!kv || kv->type != MTL__GGUF_ARR || kv->atype != MTL__GGUF_STR || kv->n < 1 || kv->n > (1u << 24)) { r = mtl__err(err, MTL_ERR_FORMAT, "tokenizer.ggml.tokens is missing or malformed"); goto done; }
        c->vocab_size = (int)kv->n;
        {
            const mtl__gguf_tensor *te = NULL;
            for (k = 0; k < g.n_t; k++) if (mtl__streq(g.t[k].name, g.t[k].nlen, "token_embd.weight")) te = &g.t[k];
            if (te && te->ne[1] >= kv->n && te->ne[1] <= (1u << 24)) c->vocab_size = (int)te->ne[1]; /* embedding rows may exceed the vocab */
            for (k = 0; k < g.n_t; k++) if (mtl__streq(g.t[k].name, g.t[k].nlen, "mtl.tokenizer.index")) ti = &g.t[k];
        }
#ifdef MTL_NO_TOKENIZER   /* an ids-only build: no tokenizer in the model (text calls: MTL_ERR_UNSUPPORTED) */
        (void)toks; (void)lens; (void)p; (void)to; (void)strs; (void)llama_mem; (void)skey; (void)ti; (void)wordpiece;
        for (k = 0; k < g.n_kv; k++) if (g.kv[k].klen > 14 && memcmp(g.kv[k].key, "mtl.tokenizer.", 14) == 0) break;
        if (k == g.n_kv) { r = mtl__err(err, MTL_ERR_UNSUPPORTED, "a llama.cpp file needs the tokenizer to be read (built with MTL_NO_TOKENIZER)"); goto done; }
#else
        if (ti) {   /* the stored tokenizer, used in place */
            void *tm = mtl__lalloc(&m->lm, mtl_tokenizer_struct_bytes());
            if (ti->type != MTL__GGML_I8 || ti->ndim != 1) { r = mtl__err(err, MTL_ERR_FORMAT, "mtl.tokenizer.index is not a byte tensor"); goto done; }
            if (!tm) { r = mtl__err(err, MTL_ERR_NOMEM, "out of memory"); goto done; }
            r = mtl_tokenizer_from_image(g.d + ti->off, ti->nbytes, tm, mtl_tokenizer_struct_bytes(), &m->tok, err);
            if (!r) m->tok->own_self = !m->lm.base;   /* a heap block (mtl__lalloc): mtl_tokenizer_free frees it */
            else mtl__lfree(&m->lm, tm);
            /* misaligned in the caller's buffer, or written on a machine of the other byte order: build it instead */
            if (r == MTL_ERR_ARG || r == MTL_ERR_UNSUPPORTED) { m->tok = NULL; if (!m->lm.in_place) r = MTL_OK; }
            if (r) goto done;
            if (m->tok && mtl_tokenizer_vocab_size(m->tok) != (int)kv->n) { r = mtl__err(err, MTL_ERR_FORMAT, "mtl.tokenizer.index does not match tokenizer.ggml.tokens"); goto done; }
        }
        if (!m->tok && !wordpiece) {   /* a byte-level BPE (or another model) lives only in the index */
            r = mtl__err(err, MTL_ERR_UNSUPPORTED, "tokenizer.ggml.model '%.*s': that tokenizer is read only from the index mtl.tokenizer.index (written by "
                         "weights_convert), which %s", (int)(sl > 32 ? 32 : sl), s,
                         ti ? "is misaligned or of the other byte order here: convert the model again on this machine" : "this file lacks");
            goto done;
        }
        if (!m->tok && m->lm.in_place) {
            r = mtl__err(err, MTL_ERR_UNSUPPORTED, "loading into caller memory needs the tokenizer index stored in the file (mtl.tokenizer.index, "
                         "written by weights_convert and mtl-train since 0.1.0): %s", ti ? "it is misaligned or of the other byte order" : "this file has none");
            goto done;
        }
        if (!m->tok) {
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
        r = mtl__llama_vocab(&g, c, toks, lens, (size_t)kv->n, &to, &llama_mem, err); /* llama.cpp's files; MTL_OK on mtl's own */
        for (k = 0; k < 6 && !r; k++) {
            const char *ts = NULL;
            size_t tl = 0;
            if (k < 5) {
                if ((mtl__gguf_int(&g, skey[k], &v) || (k == 1 && llama_mem && mtl__gguf_int(&g, "tokenizer.ggml.bos_token_id", &v))) && v >= 0 && (uint64_t)v < kv->n) { ts = toks[v]; tl = lens[v]; }
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
        MTL_FREE(llama_mem);
        if (r) goto done;
        }
#endif
    }
    m->layers = (mtl__layer *)mtl__lalloc(&m->lm, (size_t)c->n_layers * sizeof(mtl__layer));
    if (!m->layers) { r = mtl__err(err, MTL_ERR_NOMEM, "out of memory"); goto done; }
    memset(m->layers, 0, (size_t)c->n_layers * sizeof(mtl__layer));
    if ((r = mtl__bind(m, &g, &fill, &need, err)) != MTL_OK) goto done;
    if (need) {
        if (need > (size_t)-1 / sizeof(float)) { r = mtl__err(err, MTL_ERR_NOMEM, "the widened tensors do not fit this address space"); goto done; }
        m->owned = (float *)mtl__lalloc(&m->lm, need * sizeof(float));
        if (!m->owned) { r = mtl__err(err, MTL_ERR_NOMEM, "out of memory"); goto done; }
        fill = m->owned;
        if ((r = mtl__bind(m, &g, &fill, &need, err)) != MTL_OK) goto done;
    }
#ifdef MTL__REPACK
    if (!m->lm.in_place) {   /* repack the linear weights once into the kernel's panel layout */
        const int H = c->hidden_size, I = c->intermediate_size;
        const int fuse = H % MTL__NB == 0;   /* q, k, v panels back to back: one weight of 3H columns */
        size_t per = 4 * mtl__packed_size(H, H) + mtl__packed_size(I, H) + mtl__packed_size(H, I) + (fuse ? 3 * (size_t)H : 0), off = 0;
        int l;
        if (per > (((size_t)-1 - 64) / sizeof(float)) / (size_t)c->n_layers) {   /* integers: no double on the load path */ r = mtl__err(err, MTL_ERR_NOMEM, "the repacked weights do not fit this address space"); goto done; }
        m->packed_mem = MTL_MALLOC(per * (size_t)c->n_layers * sizeof(float) + 64);
        if (!m->packed_mem) { r = mtl__err(err, MTL_ERR_NOMEM, "out of memory"); goto done; }
        /* at a cache line: a panel's k row (16 floats) is one line, not two halves (a split load) */
        m->packed = (float *)(void *)((unsigned char *)m->packed_mem + (64 - (uintptr_t)m->packed_mem % 64) % 64);
        for (l = 0; l < c->n_layers; l++) {
            mtl__layer *L = &m->layers[l];
            float *p = m->packed + off;
            mtl__pack_weight(p, L->q_w, H, H); L->q_p = p; p += mtl__packed_size(H, H);
            mtl__pack_weight(p, L->k_w, H, H); L->k_p = p; p += mtl__packed_size(H, H);
            mtl__pack_weight(p, L->v_w, H, H); L->v_p = p; p += mtl__packed_size(H, H);
            mtl__pack_weight(p, L->o_w, H, H); L->o_p = p; p += mtl__packed_size(H, H);
            mtl__pack_weight(p, L->up_w, I, H); L->up_p = p; p += mtl__packed_size(I, H);
            mtl__pack_weight(p, L->down_w, H, I); L->down_p = p; p += mtl__packed_size(H, I);
            if (fuse) {
                L->qkv_b = p;
                memcpy(p, L->q_b, (size_t)H * sizeof(float));
                memcpy(p + H, L->k_b, (size_t)H * sizeof(float));
                memcpy(p + 2 * H, L->v_b, (size_t)H * sizeof(float));
            }
            off += per;
        }
    }
#endif
    c->has_pooler = m->pool_w && m->pool_b;
    if ((m->pool_w == NULL) != (m->pool_b == NULL)) { r = mtl__err(err, MTL_ERR_FORMAT, "pooler weight without bias"); goto done; }
    if (c->pooling == MTL_POOL_POOLER && !c->has_pooler) c->pooling = MTL_POOL_CLS;
    if (m->heads[0].num_labels > 0 && m->heads[0].pooling == MTL_POOL_POOLER && !c->has_pooler) { r = mtl__err(err, MTL_ERR_FORMAT, "the cls head reads the pooler, which the file lacks"); goto done; }
    {   /* weights_convert's HF classifier is that kind's task head, unless the file has one of its own:
           BertForSequenceClassification applies it to the pooler output, BertForTokenClassification to
           every token (a sequence classifier without the pooler stays out: HF cannot run it either) */
        const int h = c->head == MTL_HEAD_SEQUENCE ? 0 : c->head == MTL_HEAD_TOKEN ? 1 : -1;
        if (h >= 0 && !m->heads[h].num_labels && (h || c->has_pooler)) {
            mtl_head_info *hi = &m->heads[h];
            memset(hi, 0, sizeof *hi);
            hi->kind = c->head;
            hi->num_labels = c->num_labels;
            hi->pooling = h ? MTL_POOL_MEAN : MTL_POOL_POOLER;
            hi->w1 = m->cls_w;
            hi->b1 = m->cls_b;
            hi->sigmoid = m->hf_sigmoid;
            m->hf_head = h + 1;
        }
    }
    r = MTL_OK;
done:
    mtl__gguf_free(&g);
    return r;
}

MTLDEF void mtl_model_free(mtl_model *m) {
    mtl__lmem *lm;
    if (!m) return;
    lm = &m->lm;
    mtl_tokenizer_free(m->tok);
    mtl__lfree(lm, m->layers);
    mtl__lfree(lm, m->owned);
    MTL_FREE(m->packed_mem);
    mtl__lfree(lm, (void *)m->labels);
    mtl__lfree(lm, m->label_lens);
    mtl__lfree(lm, (void *)m->hlabels[0]);
    mtl__lfree(lm, (void *)m->hlabels[1]);
    mtl__lfree(lm, m->hlabel_lens[0]);
    mtl__lfree(lm, m->hlabel_lens[1]);
#ifdef MTL__MMAP
    if (m->mapped) munmap(m->file_data, m->file_len);
    else
#endif
        MTL_FREE(m->file_data);
    if (!lm->base) MTL_FREE(m);
}

/* A zeroed model whose memory comes from lm (NULL: MTL_MALLOC; see mtl__lmem). */
static mtl_result mtl__model_new(mtl_model **out, const mtl__lmem *lm, mtl_error *err) {
    mtl__lmem l;
    mtl_model *m;
    memset(&l, 0, sizeof l);
    if (lm) l = *lm;
    m = (mtl_model *)mtl__lalloc(&l, sizeof *m);
    *out = m;
    if (!m) return mtl__err(err, MTL_ERR_NOMEM, lm && lm->base ? "the caller's memory is too small (see mtl_model_mem_bytes)" : "out of memory");
    memset(m, 0, sizeof *m);
    m->lm = l;
    return MTL_OK;
}

MTLDEF mtl_result mtl_model_from_memory_ex(const void *data, size_t len, const mtl_load_options *opt, mtl_model **out,
                                           mtl_error *err) {
    mtl_model *m;
    mtl_result r;
    mtl__lmem lm;
    if (!out) return mtl__err(err, MTL_ERR_ARG, "bad arguments");
    *out = NULL;
    if (!data && len) return mtl__err(err, MTL_ERR_ARG, "bad arguments");
    memset(&lm, 0, sizeof lm);
    if (opt && opt->mem) { lm.base = (unsigned char *)opt->mem; lm.size = opt->mem_size; lm.in_place = 1; }
    if ((r = mtl__model_new(&m, &lm, err)) != MTL_OK) return r;
    if ((r = mtl__model_build(m, data ? data : "", len, opt, err)) != MTL_OK) {
        if (r == MTL_ERR_NOMEM && lm.base)
            mtl__err(err, r, "the caller's memory (%lu bytes) is too small for this model: mtl_model_mem_bytes() gives the size", (unsigned long)lm.size);
        mtl_model_free(m);
        return r;
    }
    *out = m;
    mtl__ok(err);
    return MTL_OK;
}
MTLDEF mtl_result mtl_model_mem_bytes(const void *data, size_t len, const mtl_load_options *opt, size_t *bytes, mtl_error *err) {
    mtl_model *m;
    mtl_result r;
    mtl__lmem lm;
    mtl_load_options o;
    if (!bytes || (!data && len)) return mtl__err(err, MTL_ERR_ARG, "bad arguments");
    *bytes = 0;
    memset(&o, 0, sizeof o);
    if (opt) o = *opt;
    o.mem = NULL;
    o.mem_size = 0;
    memset(&lm, 0, sizeof lm);
    lm.in_place = 1;   /* the caller-memory load, measured on the heap */
    if ((r = mtl__model_new(&m, &lm, err)) != MTL_OK) return r;
    r = mtl__model_build(m, data ? data : "", len, &o, err);
    if (!r) *bytes = m->lm.used + 64;   /* + room to align the block */
    mtl_model_free(m);
    if (!r) mtl__ok(err);
    return r;
}
MTLDEF mtl_result mtl_model_from_memory(const void *data, size_t len, mtl_model **out, mtl_error *err) {
    return mtl_model_from_memory_ex(data, len, NULL, out, err);
}

#ifndef MTL_NO_STDIO
MTLDEF mtl_result mtl_model_load(const char *path, mtl_model **out, mtl_error *err) {
    return mtl_model_load_ex(path, NULL, out, err);
}
MTLDEF mtl_result mtl_model_load_ex(const char *path, const mtl_load_options *opt, mtl_model **out, mtl_error *err) {
    mtl_model *m;
    mtl_result r;
    if (!out || !path) return mtl__err(err, MTL_ERR_ARG, "bad arguments");
    *out = NULL;
    if ((r = mtl__model_new(&m, NULL, err)) != MTL_OK) return r;
#ifdef MTL__MMAP
    {
        int fd = open(path, O_RDONLY);
        struct stat st;
        if (fd >= 0 && fstat(fd, &st) == 0) {
            if ((uint64_t)st.st_size > (uint64_t)SIZE_MAX) {   /* 32-bit */
                close(fd);
                mtl_model_free(m);
                return mtl__err(err, MTL_ERR_NOMEM, "%s: too large for this address space", path);
            }
            if (st.st_size > 0) {
                void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
                if (p != MAP_FAILED) { m->file_data = p; m->file_len = (size_t)st.st_size; m->mapped = 1; }
            }
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
    if ((r = mtl__model_build(m, m->file_data, m->file_len, opt, err)) != MTL_OK) {
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
    if (m && h >= 0 && m->hf_head == h + 1) return mtl_model_label(m, id, len);
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
    int next;                 /* the job's tasks handed out so far                 */
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
#define MTL__CAS(x, old, v) __atomic_compare_exchange_n(&(x), &(old), (v), 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)
#define MTL__SPINS MTL_SPIN
#else
#define MTL__LOAD(x) (x)
#define MTL__STORE(x, v) ((x) = (v))
#define MTL__DEC(x) (--(x))
#define MTL__SPINS 0
#endif
/* Thread tid's share of the job: chunks taken from the shared counter p->next, each a 1 / (2 parts)
   of the tasks left (at least one), so a thread that is done early takes more and none waits long
   for a slower one (a memory-bound step does not run at the same speed on every core). A task's
   result does not depend on the thread that runs it. Without atomics: the tid-th of parts equal
   contiguous chunks. */
static void mtl__pool_share(mtl__pool *p, mtl__task_fn fn, void *a, int n_tasks, int parts, int tid) {
#ifdef MTL__CAS
    int b = MTL__LOAD(p->next);
    while (b < n_tasks) {
        const int e = b + (n_tasks - b + 2 * parts - 1) / (2 * parts);
        if (MTL__CAS(p->next, b, e)) { fn(a, b, e, tid); b = MTL__LOAD(p->next); }
    }
#else
    const int b = (int)((int64_t)n_tasks * tid / parts), e = (int)((int64_t)n_tasks * (tid + 1) / parts);
    if (b < e) fn(a, b, e, tid);
#endif
}
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
        if (w->tid < parts) mtl__pool_share(p, fn, a, n_tasks, parts, w->tid);
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

/* Runs fn over [0, n_tasks) in contiguous chunks on the caller and the pool's workers (when the work
   is worth it; mtl__pool_share). fn gets its thread index for per-thread scratch. */
static void mtl__parallel(mtl__pool *pool, int n_tasks, double work, mtl__task_fn fn, void *arg) {
#ifdef MTL__THREADS
    int parts = pool ? pool->n + 1 : 1;
    if (parts > n_tasks) parts = n_tasks;
    if (work / (double)(parts > 0 ? parts : 1) < MTL_THREAD_MIN_WORK) parts = (int)(work / MTL_THREAD_MIN_WORK);
    if (parts > 1 && pool) {
        long spin;
        pthread_mutex_lock(&pool->mu);
        pool->fn = fn; pool->arg = arg; pool->n_tasks = n_tasks; pool->parts = parts;
        MTL__STORE(pool->next, 0);
        MTL__STORE(pool->pending, pool->n);
        MTL__STORE(pool->gen, pool->gen + 1);       /* publishes the fields above */
        pthread_cond_broadcast(&pool->go);
        pthread_mutex_unlock(&pool->mu);
        mtl__pool_share(pool, fn, arg, n_tasks, parts, 0);
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
/* the threads a step on pool runs on (the caller's included) */
static int mtl__pool_threads(const mtl__pool *pool) {
#ifdef MTL__THREADS
    return pool ? pool->n + 1 : 1;
#else
    (void)pool;
    return 1;
#endif
}

/* ---------------------------------------------------------------------------------------------- */
/* The forward, one function per step, top to bottom. T = tokens of the packed batch (all inputs   */
/* one after another), H = hidden, I = intermediate, nh heads of hd = H/nh.                        */
/* ---------------------------------------------------------------------------------------------- */
/* The hot loops are compiled for several x86-64 levels (AVX-512 / AVX2+FMA / baseline), picked at
   load time, so a plain -O2 build still vectorizes well. Define MTL_NO_CLONES to turn this off.
   The pick is an ifunc resolver that the dynamic loader runs before main, so clones are used only
   on x86-64 Linux with glibc (musl has no ifunc) and never under ThreadSanitizer (the resolver
   would run before the TSan runtime is set up and crash). Static glibc links are fine (IRELATIVE). */
#if !defined(MTL_NO_CLONES) && defined(__x86_64__) && defined(__linux__) && defined(__GLIBC__) && !defined(__SANITIZE_THREAD__)
#if defined(__has_feature)
#if !__has_feature(thread_sanitizer)
#define MTL__CLONES 1
#endif
#else
#define MTL__CLONES 1
#endif
#endif
#if defined(MTL__CLONES) && defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 12
#define MTL__HOT __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default"), optimize("O3", "fp-contract=fast")))
#elif defined(MTL__CLONES) && defined(__clang__) && __clang_major__ >= 14
#define MTL__HOT __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define MTL__HOT
#endif

#if defined(__cplusplus) || (defined(__STDC_VERSION__) && __STDC_VERSION__ >= 199901L)
#define MTL__INLINE inline
#elif defined(_MSC_VER)
#define MTL__INLINE __inline
#else
#define MTL__INLINE
#endif
/* e^x in float for the softmax and the GELU derivative, written so that a loop over it vectorizes
   (libm's expf is a call per element): x = n ln2 + r with n = round(x log2 e) and |r| <= ln2/2, e^r
   by Cephes' degree-7 polynomial, 2^n put into the exponent bits. Relative error below 2.4e-7
   (about 2 ulp; tests/test_bert.c checks it against exp in double); 0 for x < -87.3 (where expf gives
   denormals, which a softmax sum cannot see), +inf above 88.376 (e^x within a factor 2 of FLT_MAX;
   the softmax and GELU arguments are <= 0), NaN stays NaN. */
/* its constants, shared with the softmax's AVX-512 copy (mtl__softmax_row512) */
#define MTL__EXP_HI 88.3762f                /* n = round(x log2 e) stays in [-126, 127] */
#define MTL__EXP_LO -87.3365f
#define MTL__EXP_LOG2E 1.44269504088896341f
#define MTL__EXP_ROUND 12582912.0f          /* + 1.5 * 2^23: rounds to an integer */
#define MTL__EXP_LN2_HI 0.693359375f        /* ln 2 in two parts (Cody-Waite) */
#define MTL__EXP_LN2_LO -2.12194440e-4f
#define MTL__EXP_P0 1.9875691500e-4f        /* e^r - 1 - r = r^2 (P5 + r (P4 + ... r P0)) */
#define MTL__EXP_P1 1.3981999507e-3f
#define MTL__EXP_P2 8.3334519073e-3f
#define MTL__EXP_P3 4.1665795894e-2f
#define MTL__EXP_P4 1.6666665459e-1f
#define MTL__EXP_P5 5.0000001201e-1f
static MTL__INLINE float mtl__expf(float x) {
    const float hi = MTL__EXP_HI, lo = MTL__EXP_LO;
    float xc = x < hi ? x : hi, t, n, r, p;         /* NaN -> hi here: the cast below stays defined */
    int32_t e;
    uint32_t bits;
    xc = xc > lo ? xc : lo;
    t = xc * MTL__EXP_LOG2E + MTL__EXP_ROUND;
    n = t - MTL__EXP_ROUND;
    r = xc - n * MTL__EXP_LN2_HI;
    r = r - n * MTL__EXP_LN2_LO;
    p = MTL__EXP_P0;
    p = p * r + MTL__EXP_P1;
    p = p * r + MTL__EXP_P2;
    p = p * r + MTL__EXP_P3;
    p = p * r + MTL__EXP_P4;
    p = p * r + MTL__EXP_P5;
    p = p * r * r + r + 1.0f;
    e = (int32_t)n + 127;                             /* 1 .. 254 after the clamp */
    bits = (uint32_t)e << 23;
    memcpy(&t, &bits, 4);
    p *= t;
    return x < lo ? 0.0f : x > hi ? p * 2.0f : x != x ? x : p;
}

/* GELU, the erf one of torch (not the tanh approximation), for inference, training and the heads:
   gelu(x) = 0.5 x (1 + erf(x / sqrt 2)),  gelu'(x) = Phi(x) + x phi(x).
   erf is a rational approximation that vectorizes (Eigen's: |error| < 5e-7 against the true erf, about
   erff's own accuracy; torch's CPU kernel uses its own vectorized erf too), so the loops run at SIMD
   speed; -DMTL_LIBM_ERF uses libm's erff instead. */
static MTL__INLINE float mtl__erf(float z) {
#ifdef MTL_LIBM_ERF
    return erff(z);
#else
    float z2, p, q;
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
    return z * p / q;
#endif
}

/* ---- the matrix kernel: one family for inference and training -------------------------------- */
/* Every matrix product of the library is C[M,N] (+)= A[M,K] B(K,N) (+ bias[N]):
   - A: rows contiguous, row stride lda (activations), or (a_km) stored [K,M], read by packing a
     block of rows per call (a gradient read transposed in training: dW = dy^T x);
   - B: read as panels of 16 columns, P[k*16 + c] = B(k, n0+c) (0 past N), packed once at load for
     the encoder's weights (mtl__pack_weight) or per task into the thread's scratch from B stored
     [N,K] (torch weights: b_nk) or [K,N] (activations), MTL_KC k at a time (K blocking: the two
     panels stay in L1/L2; C accumulates over the k blocks, bias, residual and GELU once);
   - a task is 32 columns of C (two panels) of one block of rows (mtl__gemm_ntasks); while the
     micro-kernel reads a task's panels it prefetches the first lines of the next task's into L2, so
     at a small batch (the weights streamed from memory) the hardware prefetcher is already on the
     next panels' streams when the kernel jumps to them;
   - the micro-kernel keeps an MR x 32 block of C in registers (AVX-512: MR up to 14; AVX2+FMA: up
     to 6 x 16 per panel; portable C: 4 x 16; the rows spread evenly over as few blocks as hold
     them, mtl__row_blocks) and sums over k in order, one multiply-add per term, then stores
     acc (+ bias), or C + that, (+ a residual: res);
   - on AVX-512 it reads A packed k-major (A(r, k) at [k MR + r]: one pointer, not 14): with packed
     B each thread packs a block of rows once for all the tasks it takes of that block, in its
     scratch when that holds mtl__gemm_ap_floats (else A is read in place), and a_km blocks are
     copied that way per call; attention's products read A in place.
   So every element of C is the same float whatever M, the row block it falls in, the thread count
   or the batch it came with; the ISA is picked at run time (__builtin_cpu_supports) on x86-64.
   (With MTL_USE_BLAS the linear layers call cblas_sgemm; attention still runs on this kernel.) */
typedef struct mtl__gemm_args {
    float *C; size_t ldc;
    const float *A; size_t lda;
    const float *Bp;                       /* packed panels (NULL: pack B per task)              */
    const float *B; size_t ldb; int b_nk;  /* B(k,n) = b_nk ? B[n*ldb + k] : B[k*ldb + n]        */
    int b_type;                            /* B's elements: 0 f32; MTL__GGML_F16 / _BF16: weights */
                                           /* used in place from the file, widened per panel     */
    const float *bias;                     /* [N] or NULL (not with accumulate)                  */
    int M, N, K, accumulate;
    float *scratch; size_t stride;         /* thread t's: scratch + t*stride, >= mtl__gemm_floats */
    int isa;                               /* 0: the best this CPU has (tests force the others)  */
    int gelu;                              /* 1: C = gelu(A B + bias), applied while C is in cache */
    const float *res; size_t ldr;          /* or NULL; else C = (A B + bias) + res (res[m*ldr + n]: */
                                           /* a layer's residual, added in the kernel's store)      */
    int a_km;                              /* A(m,k) = a_km ? A[k*lda + m] : A[m*lda + k]; a_km   */
                                           /* packs rows of A per block: needs Bp NULL           */
    int packed[MTL__MAX_THREADS];          /* thread t's row block packed in its scratch, + 1 (0: */
                                           /* none): kept over the chunks t takes of one product */
} mtl__gemm_args;

/* The scratch one thread needs when B is packed per call (Bp NULL): two panels of min(K, MTL_KC) k,
   and with a_km MTL__MRMAX rows of A of as many k. */
static size_t mtl__gemm_floats(int K, int a_km) {
    const size_t kc = (size_t)(K < MTL_KC ? K : MTL_KC);   /* a multiple of 16 floats: thread t's panels */
    return (((size_t)2 * MTL__NB + (a_km ? (size_t)MTL__MRMAX : 0u)) * kc + 15) & ~(size_t)15;   /* stay aligned */
}
/* Rows per block of a product with packed B: A's block (about 256 KB) stays in L2 while the task's
   panels stream past it; whole blocks of the tallest height, at least one. */
static int mtl__gemm_mb(int K) {
    const int mb = 65536 / K / MTL__MRMAX * MTL__MRMAX;
    return mb < MTL__MRMAX ? MTL__MRMAX : mb;
}
/* With packed B (Bp) on AVX-512, a thread whose scratch (g->stride floats) holds this for a product of
   M rows packs each block of rows of A it works on once (mtl__gemm_block, in the first of the block's
   tasks it takes: mtl__gemm_args.packed), for all of them; with less it reads A in place (the same
   sums: the packing moves values, the kernel's order is the same). A block is min(M, mtl__gemm_mb(K))
   rows, at least 4 (a block of 1-3 rows packs as 4). */
static size_t mtl__gemm_ap_floats(int K, int M) {
    const int mb = mtl__gemm_mb(K), rows = M < 4 ? 4 : M < mb ? M : mb;
    return ((size_t)rows * (size_t)K + 15) & ~(size_t)15;
}
/* Element i of B as a float: f32, or an f16 / bf16 weight read in place (mtl_load_options.mem). */
static float mtl__bval(const void *B, size_t i, int type) {
    if (type == MTL__GGML_F16) return mtl__f16_to_f32(((const uint16_t *)B)[i]);
    if (type == MTL__GGML_BF16) return mtl__bf16_to_f32(((const uint16_t *)B)[i]);
    return ((const float *)B)[i];
}
/* What a micro-kernel does with a block's sums: bias (the block's first column, or NULL), accumulate
   (add C's values), res (the block's residual, rows ldr apart, or NULL). */
typedef struct mtl__store {
    const float *bias; int accumulate; const float *res; size_t ldr;   /* what the store adds            */
    const float *pf;   /* the panels the thread reads next (NULL: none), prefetched by the k loop   */
    int ahead;         /* 1: prefetch P0, P1 MTL__PF_AHEAD k ahead (AVX-512)                          */
} mtl__store;
/* Row r of a block: c[0..nb) = ((acc (+ bias)) (+ c)) (+ res row r). */
static void mtl__store_row(float *c, const float *acc, int nb, const mtl__store *st, int r) {
    const float *res = st->res ? st->res + (size_t)r * st->ldr : NULL;
    int j;
    for (j = 0; j < nb; j++) {
        float v = st->bias ? acc[j] + st->bias[j] : acc[j];
        if (st->accumulate) v = c[j] + v;
        c[j] = res ? v + res[j] : v;
    }
}

/* Portable micro-kernel: C[rows<=4, nb<=16] from one panel P. */
MTL__HOT static void mtl__kern_c(float *C, size_t ldc, const float *A, size_t lda, const float *P, int rows, int K, int nb,
                        const mtl__store *st) {
    float a0[MTL__NB], a1[MTL__NB], a2[MTL__NB], a3[MTL__NB];
    const float *x0 = A, *x1 = A + (size_t)(rows > 1 ? 1 : 0) * lda;
    const float *x2 = A + (size_t)(rows > 2 ? 2 : 0) * lda, *x3 = A + (size_t)(rows > 3 ? 3 : 0) * lda;
    int j, k;
    for (j = 0; j < MTL__NB; j++) { a0[j] = 0.0f; a1[j] = 0.0f; a2[j] = 0.0f; a3[j] = 0.0f; }
    for (k = 0; k < K; k++) {
        const float *p = P + (size_t)k * MTL__NB;
        const float v0 = x0[k], v1 = x1[k], v2 = x2[k], v3 = x3[k];
        for (j = 0; j < MTL__NB; j++) { a0[j] += v0 * p[j]; a1[j] += v1 * p[j]; a2[j] += v2 * p[j]; a3[j] += v3 * p[j]; }
    }
    mtl__store_row(C, a0, nb, st, 0);
    if (rows > 1) mtl__store_row(C + ldc, a1, nb, st, 1);
    if (rows > 2) mtl__store_row(C + 2 * ldc, a2, nb, st, 2);
    if (rows > 3) mtl__store_row(C + 3 * ldc, a3, nb, st, 3);
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__)) && !defined(MTL_NO_SIMD) && \
    (defined(__clang__) ? __clang_major__ >= 8 : __GNUC__ >= 8)
#define MTL__X86 1
#include <immintrin.h>
#if defined(__clang__)
#define MTL__T512 __attribute__((target("avx512f,avx2,fma")))
#define MTL__T256 __attribute__((target("avx2,fma")))
#else   /* gcc unrolls the constant-MR loops (registers, not arrays) at O3 */
#define MTL__T512 __attribute__((target("avx512f,avx2,fma"), optimize("O3")))
#define MTL__T256 __attribute__((target("avx2,fma"), optimize("O3")))
#endif
#define MTL__INL __inline__ __attribute__((always_inline))
#if defined(__clang__)
#define MTL__UNROLL _Pragma("unroll")
#else
#define MTL__UNROLL _Pragma("GCC unroll 16")
#endif

/* AVX-512: C[rows<=MR, nb<=32] from the panels P0, P1 (MR a constant: the loops unroll into 2 MR
   zmm accumulators; 14 rows: 28 accumulators + 2 panel loads + 1 broadcast of the 32 registers).
   A: rows lda apart (KM 0), or (KM 1) packed k-major, A(r, k) = A[k MR + r] (mtl__pack_a512): one
   pointer, where 14 row pointers do not fit in the 15 general registers with the loop's own and
   gcc reloads 6 of them from the stack every k (172-184 -> 191-201 GFLOP/s in L1 on an Intel Xeon).
   The first MTL__PF_HEAD k also prefetch a line of each of the next task's panels (st->pf, two
   panels of K x 16 floats) into L2: the heads of the streams the hardware prefetcher then follows;
   with st->ahead every k prefetches the line MTL__PF_AHEAD k ahead in P0 and P1 into L1. */
MTL__T512 static MTL__INL void mtl__k512(float *C, size_t ldc, const float *A, size_t lda, const float *P0,
                                        const float *P1, int rows, int K, int nb, const mtl__store *st, const int MR,
                                        const int KM) {
    __m512 c0[MTL__MR512], c1[MTL__MR512];
    const float *a[MTL__MR512];
    int r, k;
    MTL__UNROLL for (r = 0; r < MR; r++) {
        a[r] = KM ? A : A + (size_t)(r < rows ? r : 0) * lda;
        c0[r] = _mm512_setzero_ps();
        c1[r] = _mm512_setzero_ps();
    }
    for (k = 0; k < K; k++) {
        const __m512 b0 = _mm512_loadu_ps(P0 + (size_t)k * MTL__NB), b1 = _mm512_loadu_ps(P1 + (size_t)k * MTL__NB);
        if (st->pf && k < MTL__PF_HEAD) {
            _mm_prefetch((const char *)(st->pf + (size_t)k * MTL__NB), _MM_HINT_T1);
            _mm_prefetch((const char *)(st->pf + (size_t)(K + k) * MTL__NB), _MM_HINT_T1);
        }
        if (st->ahead && k + MTL__PF_AHEAD < K) {
            _mm_prefetch((const char *)(P0 + (size_t)(k + MTL__PF_AHEAD) * MTL__NB), _MM_HINT_T0);
            _mm_prefetch((const char *)(P1 + (size_t)(k + MTL__PF_AHEAD) * MTL__NB), _MM_HINT_T0);
        }
        MTL__UNROLL for (r = 0; r < MR; r++) {
            const __m512 x = _mm512_set1_ps(KM ? A[(size_t)k * (size_t)MR + (size_t)r] : a[r][k]);
            c0[r] = _mm512_fmadd_ps(x, b0, c0[r]);
            c1[r] = _mm512_fmadd_ps(x, b1, c1[r]);
        }
    }
    {   /* columns past nb (the last task of an N that is not a multiple of 32) are masked off */
        const __mmask16 k0 = (__mmask16)(nb >= MTL__NB ? 0xFFFFu : (1u << nb) - 1u);
        const __mmask16 k1 = (__mmask16)(nb >= 2 * MTL__NB ? 0xFFFFu : nb > MTL__NB ? (1u << (nb - MTL__NB)) - 1u : 0u);
        MTL__UNROLL for (r = 0; r < MR; r++) {   /* unrolled: the accumulators stay in registers */
            float *c = C + (size_t)r * ldc;
            __m512 v0 = c0[r], v1 = c1[r];
            if (r >= rows) continue;
            if (st->bias) {
                v0 = _mm512_add_ps(v0, _mm512_maskz_loadu_ps(k0, st->bias));
                v1 = _mm512_add_ps(v1, _mm512_maskz_loadu_ps(k1, st->bias + MTL__NB));
            }
            if (st->accumulate) {
                v0 = _mm512_add_ps(_mm512_maskz_loadu_ps(k0, c), v0);
                v1 = _mm512_add_ps(_mm512_maskz_loadu_ps(k1, c + MTL__NB), v1);
            }
            if (st->res) {
                const float *res = st->res + (size_t)r * st->ldr;
                v0 = _mm512_add_ps(v0, _mm512_maskz_loadu_ps(k0, res));
                v1 = _mm512_add_ps(v1, _mm512_maskz_loadu_ps(k1, res + MTL__NB));
            }
            _mm512_mask_storeu_ps(c, k0, v0);
            _mm512_mask_storeu_ps(c + MTL__NB, k1, v1);
        }
    }
}
/* one function per block height (MR 4 .. 14), so a block computes no row it does not store, and
   per A layout (mtl__k512_N: rows lda apart; mtl__k512p_N: packed, lda unused) */
#define MTL__K512_MR(n) \
    MTL__T512 static void mtl__k512_##n(float *C, size_t ldc, const float *A, size_t lda, const float *P0, const float *P1, \
                                        int rows, int K, int nb, const mtl__store *st) { \
        mtl__k512(C, ldc, A, lda, P0, P1, rows, K, nb, st, n, 0); \
    } \
    MTL__T512 static void mtl__k512p_##n(float *C, size_t ldc, const float *A, size_t lda, const float *P0, const float *P1, \
                                         int rows, int K, int nb, const mtl__store *st) { \
        mtl__k512(C, ldc, A, lda, P0, P1, rows, K, nb, st, n, 1); \
    }
MTL__K512_MR(4) MTL__K512_MR(5) MTL__K512_MR(6) MTL__K512_MR(7) MTL__K512_MR(8) MTL__K512_MR(9)
MTL__K512_MR(10) MTL__K512_MR(11) MTL__K512_MR(12) MTL__K512_MR(13) MTL__K512_MR(14)
typedef void (*mtl__k512_fn)(float *, size_t, const float *, size_t, const float *, const float *, int, int, int,
                             const mtl__store *);
static const mtl__k512_fn mtl__k512_mr[2][MTL__MR512 + 1] = {
    {mtl__k512_4, mtl__k512_4, mtl__k512_4, mtl__k512_4, mtl__k512_4, mtl__k512_5, mtl__k512_6, mtl__k512_7,
     mtl__k512_8, mtl__k512_9, mtl__k512_10, mtl__k512_11, mtl__k512_12, mtl__k512_13, mtl__k512_14},
    {mtl__k512p_4, mtl__k512p_4, mtl__k512p_4, mtl__k512p_4, mtl__k512p_4, mtl__k512p_5, mtl__k512p_6, mtl__k512p_7,
     mtl__k512p_8, mtl__k512p_9, mtl__k512p_10, mtl__k512p_11, mtl__k512p_12, mtl__k512p_13, mtl__k512p_14}};
/* the MR of the micro-kernel that computes a block of rows (<= MTL__MR512) */
static int mtl__mr512(int rows) { return rows < 4 ? 4 : rows; }

/* The first w of 8 lanes set (w <= 0: none; w >= 8: all): the mask of a tail's maskload / maskstore */
MTL__T256 static MTL__INL __m256i mtl__lanes256(int w) {
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(w), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}
/* AVX2+FMA: C[rows<=MR, nb<=16] from one panel P (2 MR ymm accumulators; MR 6: 12 + 2 + 1 of 16);
   every k prefetches a line of st->pf (the panel read next) into L2: the whole panel, not the
   AVX-512 kernel's MTL__PF_HEAD lines. On an AMD EPYC (Zen 2), all-MiniLM-L6-v2, 512 SST-2
   sentences at batch 1 (the 43 MB of weights streamed from memory for every sentence), 3
   alternating runs: 1 thread 154-161 -> 179-184 sentences/s, 2 threads 273-275 -> 297-302;
   batches of 32 as fast as before (IMDB 19.3-19.7, SST-2 292-307 at 1 thread). */
MTL__T256 static MTL__INL void mtl__k256(float *C, size_t ldc, const float *A, size_t lda, const float *P, int rows,
                                        int K, int nb, const mtl__store *st, const int MR) {
    __m256 c0[MTL__MR256], c1[MTL__MR256];
    const float *a[MTL__MR256];
    int r, k;
    MTL__UNROLL for (r = 0; r < MR; r++) {
        a[r] = A + (size_t)(r < rows ? r : 0) * lda;
        c0[r] = _mm256_setzero_ps();
        c1[r] = _mm256_setzero_ps();
    }
    for (k = 0; k < K; k++) {
        const __m256 b0 = _mm256_loadu_ps(P + (size_t)k * MTL__NB), b1 = _mm256_loadu_ps(P + (size_t)k * MTL__NB + 8);
        if (st->pf) _mm_prefetch((const char *)(st->pf + (size_t)k * MTL__NB), _MM_HINT_T1);
        MTL__UNROLL for (r = 0; r < MR; r++) {
            const __m256 x = _mm256_broadcast_ss(a[r] + k);
            c0[r] = _mm256_fmadd_ps(x, b0, c0[r]);
            c1[r] = _mm256_fmadd_ps(x, b1, c1[r]);
        }
    }
    MTL__UNROLL for (r = 0; r < MR; r++) {   /* unrolled: the accumulators stay in registers (a loop over r
                                                 kept them on the stack, stored every k: half speed) */
        float *c = C + (size_t)r * ldc;
        const float *res = st->res ? st->res + (size_t)r * st->ldr : NULL;
        __m256 v0 = c0[r], v1 = c1[r];
        if (r >= rows) continue;
        if (nb < MTL__NB) {   /* the last panel of an N that is not a multiple of 16: the lanes < nb */
            const __m256i m0 = mtl__lanes256(nb), m1 = mtl__lanes256(nb - 8);
            const int hi = nb > 8;   /* lanes 8..15 in use (else their addresses are not formed) */
            if (st->bias) {   /* mtl__store_row's operations, in its order (as below) */
                v0 = _mm256_add_ps(v0, _mm256_maskload_ps(st->bias, m0));
                if (hi) v1 = _mm256_add_ps(v1, _mm256_maskload_ps(st->bias + 8, m1));
            }
            if (st->accumulate) {
                v0 = _mm256_add_ps(_mm256_maskload_ps(c, m0), v0);
                if (hi) v1 = _mm256_add_ps(_mm256_maskload_ps(c + 8, m1), v1);
            }
            if (res) {
                v0 = _mm256_add_ps(v0, _mm256_maskload_ps(res, m0));
                if (hi) v1 = _mm256_add_ps(v1, _mm256_maskload_ps(res + 8, m1));
            }
            _mm256_maskstore_ps(c, m0, v0);
            if (hi) _mm256_maskstore_ps(c + 8, m1, v1);
            continue;
        }
        if (st->bias) {   /* mtl__store_row's operations, in its order */
            v0 = _mm256_add_ps(v0, _mm256_loadu_ps(st->bias));
            v1 = _mm256_add_ps(v1, _mm256_loadu_ps(st->bias + 8));
        }
        if (st->accumulate) {
            v0 = _mm256_add_ps(_mm256_loadu_ps(c), v0);
            v1 = _mm256_add_ps(_mm256_loadu_ps(c + 8), v1);
        }
        if (res) {
            v0 = _mm256_add_ps(v0, _mm256_loadu_ps(res));
            v1 = _mm256_add_ps(v1, _mm256_loadu_ps(res + 8));
        }
        _mm256_storeu_ps(c, v0);
        _mm256_storeu_ps(c + 8, v1);
    }
}
#define MTL__K256_MR(n) \
    MTL__T256 static void mtl__k256_##n(float *C, size_t ldc, const float *A, size_t lda, const float *P, int rows, int K, \
                                        int nb, const mtl__store *st) { \
        mtl__k256(C, ldc, A, lda, P, rows, K, nb, st, n); \
    }
MTL__K256_MR(2) MTL__K256_MR(3) MTL__K256_MR(4) MTL__K256_MR(5) MTL__K256_MR(6)
typedef void (*mtl__k256_fn)(float *, size_t, const float *, size_t, const float *, int, int, int, const mtl__store *);
static const mtl__k256_fn mtl__k256_mr[MTL__MR256 + 1] = {
    mtl__k256_2, mtl__k256_2, mtl__k256_2, mtl__k256_3, mtl__k256_4, mtl__k256_5, mtl__k256_6};

/* mtl__pack_panel of f32 B(k, n) = B[k ldb + n] on AVX-512: a masked row copy per k */
MTL__T512 static void mtl__pack_r512(float *P, const float *B, size_t ldb, int n0, int N, int K) {
    const int w = N - n0 < MTL__NB ? N - n0 : MTL__NB;
    const __mmask16 m = (__mmask16)(w == MTL__NB ? 0xFFFFu : (1u << w) - 1u);
    int k;
    for (k = 0; k < K; k++) _mm512_storeu_ps(P + (size_t)k * MTL__NB, _mm512_maskz_loadu_ps(m, B + (size_t)k * ldb + (size_t)n0));
}
/* dst[c ldd + r] = src[r lds + c] for c < nc (<= 16), r < 16, with src's rows r >= nr read as 0; each
   dst row stores the lanes of wm. A 16 x 16 transpose in registers: unpack, shuffle, and two 128-bit
   lane shuffles, in their masked forms with every lane set (g++ warns of the plain forms' undefined source). */
MTL__T512 static MTL__INL void mtl__tr512(float *dst, size_t ldd, const float *src, size_t lds, int nr, int nc, __mmask16 wm) {
    const __mmask16 km = (__mmask16)(nc >= MTL__NB ? 0xFFFFu : (1u << nc) - 1u);
    __m512 r[MTL__NB], t[MTL__NB];
    int c;
    for (c = 0; c < MTL__NB; c++) r[c] = c < nr ? _mm512_maskz_loadu_ps(km, src + (size_t)c * lds) : _mm512_setzero_ps();
    for (c = 0; c < MTL__NB; c += 2) {   /* pairs of rows interleaved */
        t[c] = _mm512_mask_unpacklo_ps(r[c], 0xFFFF, r[c], r[c + 1]);
        t[c + 1] = _mm512_mask_unpackhi_ps(r[c], 0xFFFF, r[c], r[c + 1]);
    }
    for (c = 0; c < MTL__NB; c += 4) {   /* 4 x 4 blocks within each 128-bit lane */
        r[c] = _mm512_mask_shuffle_ps(t[c], 0xFFFF, t[c], t[c + 2], 0x44);
        r[c + 1] = _mm512_mask_shuffle_ps(t[c], 0xFFFF, t[c], t[c + 2], 0xEE);
        r[c + 2] = _mm512_mask_shuffle_ps(t[c + 1], 0xFFFF, t[c + 1], t[c + 3], 0x44);
        r[c + 3] = _mm512_mask_shuffle_ps(t[c + 1], 0xFFFF, t[c + 1], t[c + 3], 0xEE);
    }
    for (c = 0; c < 4; c++) {            /* the 128-bit lanes of rows c, c + 4 | c + 8, c + 12 */
        t[c] = _mm512_mask_shuffle_f32x4(r[c], 0xFFFF, r[c], r[c + 4], 0x88);
        t[c + 4] = _mm512_mask_shuffle_f32x4(r[c], 0xFFFF, r[c], r[c + 4], 0xDD);
        t[c + 8] = _mm512_mask_shuffle_f32x4(r[c + 8], 0xFFFF, r[c + 8], r[c + 12], 0x88);
        t[c + 12] = _mm512_mask_shuffle_f32x4(r[c + 8], 0xFFFF, r[c + 8], r[c + 12], 0xDD);
    }
    for (c = 0; c < 8; c++) {
        r[c] = _mm512_mask_shuffle_f32x4(t[c], 0xFFFF, t[c], t[c + 8], 0x88);
        r[c + 8] = _mm512_mask_shuffle_f32x4(t[c], 0xFFFF, t[c], t[c + 8], 0xDD);
    }
    for (c = 0; c < nc && c < MTL__NB; c++) _mm512_mask_storeu_ps(dst + (size_t)c * ldd, wm, r[c]);
}
/* mtl__pack_panel of f32 B(k, n) = B[n ldb + k] (K^T in attention, torch weights) on AVX-512 */
MTL__T512 static void mtl__pack_t512(float *P, const float *B, size_t ldb, int n0, int N, int K) {
    int k0;
    for (k0 = 0; k0 < K; k0 += MTL__NB)
        mtl__tr512(P + (size_t)k0 * MTL__NB, MTL__NB, B + (size_t)n0 * ldb + (size_t)k0, ldb, N - n0, K - k0, 0xFFFF);
}
/* A block of rows packed k-major for mtl__k512p: Ap[k MR + r] = A(r, k) for r < rows (<= MR), 0 for
   rows <= r < MR; A's rows lda apart (16 x 16 transposes), or (km) A stored [K, M], A(r, k) =
   A[k lda + r] (a masked copy per k) */
MTL__T512 static void mtl__pack_a512(float *Ap, const float *A, size_t lda, int rows, int MR, int K, int km) {
    const __mmask16 wm = (__mmask16)((1u << MR) - 1u), rm = (__mmask16)((1u << rows) - 1u);
    int k;
    if (km) {
        for (k = 0; k < K; k++) _mm512_mask_storeu_ps(Ap + (size_t)k * (size_t)MR, wm, _mm512_maskz_loadu_ps(rm, A + (size_t)k * lda));
        return;
    }
    for (k = 0; k < K; k += MTL__NB)
        mtl__tr512(Ap + (size_t)k * (size_t)MR, (size_t)MR, A + (size_t)k, lda, rows, K - k < MTL__NB ? K - k : MTL__NB, wm);
}
/* mtl__softmax_rows on AVX-512, one row in one call: r[t] = mtl__expf(c (r[t] - max r)) for t < L,
   r[L..Lp) = 0 (Lp: L rounded up to 16); returns 1 / their sum. The max and the sum run 16 lanes
   over the whole vectors (the last read masked, its pad lanes -FLT_MAX, whose exponential is an
   exact 0), then halve their lanes in registers: the sum in the order of mtl__softmax_rows' tree
   (lane j + lane j + 8, then + 4, + 2, + 1), so the bits are its own. The exponential is mtl__expf's
   operations, with the multiply-adds gcc contracted there (tests/test_bert.c test_softmax_exp checks
   it against exp in double), in intrinsics (gcc's vectorized mtl__expf spent 35 instructions a
   vector on its range tests). Its argument is <= 0 or NaN (r[t] <= max r), so only the low end is
   clamped (NaN -> lo: max's second operand) and 2^n (n in [-126, 0]) scales p in one rounding
   (vscalefps, the product p 2^n that the exponent bits gave); masked forms: see mtl__tr512. */
MTL__T512 static float mtl__softmax_row512(float *r, int L, float c) {
    const __m512 vc = _mm512_set1_ps(c), lo = _mm512_set1_ps(MTL__EXP_LO), low = _mm512_set1_ps(-FLT_MAX);
    const __m512 magic = _mm512_set1_ps(MTL__EXP_ROUND), zero = _mm512_setzero_ps();
    const int Lw = L / 16 * 16;
    const __mmask16 tail = (__mmask16)((1u << (L - Lw)) - 1u);
    __m512 m = low, sum = zero, vmx;
    __m256 h;
    __m128 q;
    int i;
    for (i = 0; i < Lw; i += 16) m = _mm512_mask_max_ps(m, 0xFFFF, _mm512_loadu_ps(r + i), m);
    if (tail) m = _mm512_mask_max_ps(m, 0xFFFF, _mm512_mask_loadu_ps(low, tail, r + Lw), m);
    h = _mm256_max_ps(_mm512_castps512_ps256(m), _mm256_castpd_ps(_mm512_mask_extractf64x4_pd(_mm256_setzero_pd(), 0xF, _mm512_castps_pd(m), 1)));
    q = _mm_max_ps(_mm256_castps256_ps128(h), _mm256_extractf128_ps(h, 1));
    q = _mm_max_ps(q, _mm_movehl_ps(q, q));
    q = _mm_max_ss(q, _mm_shuffle_ps(q, q, 1));
    vmx = _mm512_set1_ps(_mm_cvtss_f32(q));
    for (i = 0; i < L; i += 16) {
        const __m512 v = i < Lw ? _mm512_loadu_ps(r + i) : _mm512_mask_loadu_ps(low, tail, r + i);
        const __m512 x = _mm512_mul_ps(_mm512_sub_ps(v, vmx), vc);               /* <= 0, or NaN */
        const __m512 xc = _mm512_mask_max_ps(x, 0xFFFF, x, lo);
        const __m512 n = _mm512_sub_ps(_mm512_fmadd_ps(xc, _mm512_set1_ps(MTL__EXP_LOG2E), magic), magic);
        __m512 f = _mm512_fnmadd_ps(n, _mm512_set1_ps(MTL__EXP_LN2_HI), xc), p;
        f = _mm512_fnmadd_ps(n, _mm512_set1_ps(MTL__EXP_LN2_LO), f);
        p = _mm512_fmadd_ps(_mm512_set1_ps(MTL__EXP_P0), f, _mm512_set1_ps(MTL__EXP_P1));
        p = _mm512_fmadd_ps(p, f, _mm512_set1_ps(MTL__EXP_P2));
        p = _mm512_fmadd_ps(p, f, _mm512_set1_ps(MTL__EXP_P3));
        p = _mm512_fmadd_ps(p, f, _mm512_set1_ps(MTL__EXP_P4));
        p = _mm512_fmadd_ps(p, f, _mm512_set1_ps(MTL__EXP_P5));
        p = _mm512_add_ps(_mm512_fmadd_ps(f, _mm512_mul_ps(f, p), f), _mm512_set1_ps(1.0f));   /* p r r + r + 1 */
        p = _mm512_mask_scalef_ps(p, 0xFFFF, p, n);
        p = _mm512_mask_mov_ps(p, _mm512_cmp_ps_mask(x, x, _CMP_UNORD_Q), x);
        p = _mm512_mask_mov_ps(p, _mm512_cmp_ps_mask(x, lo, _CMP_LT_OQ), zero);
        _mm512_storeu_ps(r + i, p);
        sum = _mm512_add_ps(sum, p);
    }
    h = _mm256_add_ps(_mm512_castps512_ps256(sum), _mm256_castpd_ps(_mm512_mask_extractf64x4_pd(_mm256_setzero_pd(), 0xF, _mm512_castps_pd(sum), 1)));
    q = _mm_add_ps(_mm256_castps256_ps128(h), _mm256_extractf128_ps(h, 1));
    q = _mm_add_ps(q, _mm_movehl_ps(q, q));
    q = _mm_add_ss(q, _mm_shuffle_ps(q, q, 1));
    return 1.0f / _mm_cvtss_f32(q);
}
/* mtl__expf on AVX2+FMA for x <= 0 or NaN (the softmax's and the GELU derivative's arguments; the
   high clamp is not needed there), four vectors at a time: mtl__softmax_row512's steps, the
   multiply-adds where the FMA builds contract mtl__expf's, 2^n (n in [-126, 0]) put into the exponent
   bits as mtl__expf does: its bits. Each step runs on all four vectors before the next, so the
   out-of-order core overlaps four chains of ~17 dependent operations: one vector at a time left the
   FP units waiting (Zen 2: 0.84 ns an element of a softmax row of 256, 0.65 this way). */
MTL__T256 static MTL__INL void mtl__expf256x4(__m256 x[4]) {
    const __m256 lo = _mm256_set1_ps(MTL__EXP_LO), magic = _mm256_set1_ps(MTL__EXP_ROUND);
    __m256 xc[4], n[4], f[4], p[4];
    int j;
    for (j = 0; j < 4; j++) xc[j] = _mm256_max_ps(x[j], lo);   /* NaN -> lo */
    for (j = 0; j < 4; j++) n[j] = _mm256_sub_ps(_mm256_fmadd_ps(xc[j], _mm256_set1_ps(MTL__EXP_LOG2E), magic), magic);
    for (j = 0; j < 4; j++) f[j] = _mm256_fnmadd_ps(n[j], _mm256_set1_ps(MTL__EXP_LN2_HI), xc[j]);
    for (j = 0; j < 4; j++) f[j] = _mm256_fnmadd_ps(n[j], _mm256_set1_ps(MTL__EXP_LN2_LO), f[j]);
    for (j = 0; j < 4; j++) p[j] = _mm256_fmadd_ps(_mm256_set1_ps(MTL__EXP_P0), f[j], _mm256_set1_ps(MTL__EXP_P1));
    for (j = 0; j < 4; j++) p[j] = _mm256_fmadd_ps(p[j], f[j], _mm256_set1_ps(MTL__EXP_P2));
    for (j = 0; j < 4; j++) p[j] = _mm256_fmadd_ps(p[j], f[j], _mm256_set1_ps(MTL__EXP_P3));
    for (j = 0; j < 4; j++) p[j] = _mm256_fmadd_ps(p[j], f[j], _mm256_set1_ps(MTL__EXP_P4));
    for (j = 0; j < 4; j++) p[j] = _mm256_fmadd_ps(p[j], f[j], _mm256_set1_ps(MTL__EXP_P5));
    for (j = 0; j < 4; j++) p[j] = _mm256_add_ps(_mm256_fmadd_ps(f[j], _mm256_mul_ps(f[j], p[j]), f[j]), _mm256_set1_ps(1.0f));   /* p r r + r + 1 */
    for (j = 0; j < 4; j++)
        p[j] = _mm256_mul_ps(p[j], _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(n[j]), _mm256_set1_epi32(127)), 23)));
    for (j = 0; j < 4; j++) p[j] = _mm256_blendv_ps(p[j], x[j], _mm256_cmp_ps(x[j], x[j], _CMP_UNORD_Q));
    for (j = 0; j < 4; j++) x[j] = _mm256_blendv_ps(p[j], _mm256_setzero_ps(), _mm256_cmp_ps(x[j], lo, _CMP_LT_OQ));
}
/* mtl__softmax_rows on AVX2+FMA for the n rows r, r + ld, ...: inv[i] = 1 / row i's sum, the same
   bits (the sums as its 16 lanes). Two rows at a time, their 16-float blocks through mtl__expf256x4
   together (a row alone left its max -> exponentials -> sum chain unhidden: ~30 ns a row); a lone
   last row is paired with itself (the same values stored twice). */
MTL__T256 static void mtl__softmax_rows256(float *r, size_t ld, int n, int L, float c, float *inv) {
    const __m256 vc = _mm256_set1_ps(c), low = _mm256_set1_ps(-FLT_MAX);
    const int Lp = (L + 15) / 16 * 16;
    int row, i, j;
    for (row = 0; row < n; row += 2) {
        float *ra = r + (size_t)row * ld, *rb = row + 1 < n ? ra + ld : ra, *rs[2];
        __m256 m[4], s[4], v[4], mx[2];
        __m128 q;
        rs[0] = ra; rs[1] = rb;
        for (i = L; i < Lp; i++) ra[i] = rb[i] = -FLT_MAX;   /* pads: max unchanged, exponential an exact 0 */
        for (j = 0; j < 4; j++) { m[j] = low; s[j] = _mm256_setzero_ps(); }
        for (i = 0; i < Lp; i += 16)
            for (j = 0; j < 4; j++)   /* a NaN of r never wins (as the portable's >) */
                m[j] = _mm256_max_ps(_mm256_loadu_ps(rs[j / 2] + i + 8 * (j % 2)), m[j]);
        for (j = 0; j < 2; j++) {
            const __m256 m01 = _mm256_max_ps(m[2 * j + 1], m[2 * j]);
            q = _mm_max_ps(_mm256_extractf128_ps(m01, 1), _mm256_castps256_ps128(m01));
            q = _mm_max_ps(_mm_movehl_ps(q, q), q);
            q = _mm_max_ss(_mm_shuffle_ps(q, q, 1), q);
            mx[j] = _mm256_set1_ps(_mm_cvtss_f32(q));
        }
        for (i = 0; i < Lp; i += 16) {   /* lanes 0-7 and 8-15 of the portable loop's 16, of each row */
            for (j = 0; j < 4; j++) v[j] = _mm256_mul_ps(_mm256_sub_ps(_mm256_loadu_ps(rs[j / 2] + i + 8 * (j % 2)), mx[j / 2]), vc);
            mtl__expf256x4(v);   /* (r - max) c */
            for (j = 0; j < 4; j++) {
                _mm256_storeu_ps(rs[j / 2] + i + 8 * (j % 2), v[j]);
                s[j] = _mm256_add_ps(s[j], v[j]);
            }
        }
        for (j = 0; j < 2 && row + j < n; j++) {
            const __m256 s01 = _mm256_add_ps(s[2 * j], s[2 * j + 1]);                /* lane j + lane j + 8 */
            q = _mm_add_ps(_mm256_castps256_ps128(s01), _mm256_extractf128_ps(s01, 1));   /* + 4 */
            q = _mm_add_ps(q, _mm_movehl_ps(q, q));                                       /* + 2 */
            q = _mm_add_ss(q, _mm_shuffle_ps(q, q, 1));                                   /* + 1 */
            inv[row + j] = 1.0f / _mm_cvtss_f32(q);
        }
    }
}
/* mtl__gelu on AVX2+FMA (gcc does not vectorize its loop there: the clamps of mtl__erf are control
   flow without AVX-512's masks): mtl__erf's operations, the multiply-adds contracted as in the
   vectorized loop of the AVX-512 build, four vectors at a time, each step on all four (as
   mtl__expf256x4). z > 4 ? 4 : z is min(4, z) and z < -4 ? -4 : z is max(-4, z) (a NaN z stays z in
   both). */
MTL__T256 static MTL__INL void mtl__erf256x4(__m256 z[4]) {
    __m256 z2[4], p[4], q[4];
    int j;
    for (j = 0; j < 4; j++) z[j] = _mm256_max_ps(_mm256_set1_ps(-4.0f), _mm256_min_ps(_mm256_set1_ps(4.0f), z[j]));
    for (j = 0; j < 4; j++) z2[j] = _mm256_mul_ps(z[j], z[j]);
    for (j = 0; j < 4; j++) p[j] = _mm256_fmadd_ps(_mm256_set1_ps(-2.72614225801306e-10f), z2[j], _mm256_set1_ps(2.77068142495902e-08f));
    for (j = 0; j < 4; j++) q[j] = _mm256_fmadd_ps(_mm256_set1_ps(-1.45660718464996e-05f), z2[j], _mm256_set1_ps(-2.13374055278905e-04f));
    for (j = 0; j < 4; j++) p[j] = _mm256_fmadd_ps(p[j], z2[j], _mm256_set1_ps(-2.10102402082508e-06f));
    for (j = 0; j < 4; j++) q[j] = _mm256_fmadd_ps(q[j], z2[j], _mm256_set1_ps(-1.68282697438203e-03f));
    for (j = 0; j < 4; j++) p[j] = _mm256_fmadd_ps(p[j], z2[j], _mm256_set1_ps(-5.69250639462346e-05f));
    for (j = 0; j < 4; j++) q[j] = _mm256_fmadd_ps(q[j], z2[j], _mm256_set1_ps(-7.37332916720468e-03f));
    for (j = 0; j < 4; j++) p[j] = _mm256_fmadd_ps(p[j], z2[j], _mm256_set1_ps(-7.34990630326855e-04f));
    for (j = 0; j < 4; j++) q[j] = _mm256_fmadd_ps(q[j], z2[j], _mm256_set1_ps(-1.42647390514189e-02f));
    for (j = 0; j < 4; j++) p[j] = _mm256_fmadd_ps(p[j], z2[j], _mm256_set1_ps(-2.95459980854025e-03f));
    for (j = 0; j < 4; j++) p[j] = _mm256_fmadd_ps(p[j], z2[j], _mm256_set1_ps(-1.60960333262415e-02f));
    for (j = 0; j < 4; j++) z[j] = _mm256_div_ps(_mm256_mul_ps(z[j], p[j]), q[j]);
}
/* floats [i + 8 j, i + 8 j + 8) of x[n], j < 4 (what is past n: 0; a whole vector, or the tail masked);
   the store puts back those below n */
MTL__T256 static MTL__INL void mtl__load256x4(__m256 v[4], const float *x, size_t n, size_t i) {
    int j;
    for (j = 0; j < 4; j++) {
        const size_t at = i + 8 * (size_t)j;
        v[j] = at + 8 <= n ? _mm256_loadu_ps(x + at)
             : at < n ? _mm256_maskload_ps(x + at, mtl__lanes256((int)(n - at)))
             : _mm256_setzero_ps();
    }
}
MTL__T256 static MTL__INL void mtl__store256x4(float *y, const __m256 v[4], size_t n, size_t i) {
    int j;
    for (j = 0; j < 4; j++) {
        const size_t at = i + 8 * (size_t)j;
        if (at + 8 <= n) _mm256_storeu_ps(y + at, v[j]);
        else if (at < n) _mm256_maskstore_ps(y + at, mtl__lanes256((int)(n - at)), v[j]);
    }
}
MTL__T256 static void mtl__gelu256(float *y, const float *x, size_t n) {
    const __m256 half = _mm256_set1_ps(0.5f), one = _mm256_set1_ps(1.0f), rs2 = _mm256_set1_ps(0.70710678118654752440f);
    size_t i;
    int j;
    for (i = 0; i < n; i += 32) {
        __m256 v[4], e[4];
        mtl__load256x4(v, x, n, i);
        for (j = 0; j < 4; j++) e[j] = _mm256_mul_ps(v[j], rs2);
        mtl__erf256x4(e);
        for (j = 0; j < 4; j++) v[j] = _mm256_mul_ps(_mm256_mul_ps(half, v[j]), _mm256_add_ps(one, e[j]));
        mtl__store256x4(y, v, n, i);
    }
}
/* mtl__gelu_grad on AVX2+FMA: its operations (x pdf + cdf one multiply-add, as the FMA builds
   contract it), four vectors at a time as mtl__gelu256 */
MTL__T256 static void mtl__gelu_grad256(float *dx, const float *dy, const float *x, size_t n, int accumulate) {
    const __m256 half = _mm256_set1_ps(0.5f), one = _mm256_set1_ps(1.0f), rs2 = _mm256_set1_ps(0.70710678118654752440f);
    const __m256 mhalf = _mm256_set1_ps(-0.5f), rs2pi = _mm256_set1_ps(0.39894228040143267794f);
    size_t i;
    int j;
    for (i = 0; i < n; i += 32) {
        __m256 v[4], g[4], e[4], pdf[4], d[4];
        mtl__load256x4(v, x, n, i);
        mtl__load256x4(g, dy, n, i);
        for (j = 0; j < 4; j++) { e[j] = _mm256_mul_ps(v[j], rs2); pdf[j] = _mm256_mul_ps(_mm256_mul_ps(mhalf, v[j]), v[j]); }
        mtl__erf256x4(e);
        mtl__expf256x4(pdf);
        for (j = 0; j < 4; j++) {
            const __m256 cdf = _mm256_mul_ps(half, _mm256_add_ps(one, e[j]));
            d[j] = _mm256_mul_ps(g[j], _mm256_fmadd_ps(v[j], _mm256_mul_ps(rs2pi, pdf[j]), cdf));
        }
        if (accumulate) {
            mtl__load256x4(e, dx, n, i);
            for (j = 0; j < 4; j++) d[j] = _mm256_add_ps(e[j], d[j]);
        }
        mtl__store256x4(dx, d, n, i);
    }
}
#endif

enum { MTL__ISA_C = 1, MTL__ISA_AVX2 = 2, MTL__ISA_AVX512 = 3 };
static int mtl__isa(void) {
#ifdef MTL__X86
    if (__builtin_cpu_supports("avx512f")) return MTL__ISA_AVX512;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return MTL__ISA_AVX2;
#endif
    return MTL__ISA_C;
}

/* y[n] = gelu(x)   (y may alias x) */
MTL__HOT static void mtl__gelu(float *y, const float *x, size_t n) {
    size_t i;
#ifdef MTL__X86
    if (mtl__isa() == MTL__ISA_AVX2) { mtl__gelu256(y, x, n); return; }
#endif
    for (i = 0; i < n; i++) y[i] = 0.5f * x[i] * (1.0f + mtl__erf(x[i] * 0.70710678118654752440f));
}
/* dx[n] = dy gelu'(x), or += with accumulate   (dx may alias dy) */
MTL__HOT static void mtl__gelu_grad(float *dx, const float *dy, const float *x, size_t n, int accumulate) {
    size_t i;
#ifdef MTL__X86
    if (mtl__isa() == MTL__ISA_AVX2) { mtl__gelu_grad256(dx, dy, x, n, accumulate); return; }
#endif
    for (i = 0; i < n; i++) {
        const float cdf = 0.5f * (1.0f + mtl__erf(x[i] * 0.70710678118654752440f));
        const float pdf = 0.39894228040143267794f * mtl__expf(-0.5f * x[i] * x[i]);
        const float d = dy[i] * (cdf + x[i] * pdf);
        dx[i] = accumulate ? dx[i] + d : d;
    }
}

/* P[k*16 + c] = B(k, n0+c) for c < 16, 0 where n0+c >= N; B of type b_type (0: f32); isa: the
   micro-kernel's (an f32 copy on AVX-512 moves 16 floats at a time: the same values) */
static void mtl__pack_panel(float *P, const void *Bv, size_t ldb, int b_nk, int b_type, int n0, int N, int K, int isa) {
    const float *B = (const float *)Bv;
    int k, c;
    if (b_type) {
        for (k = 0; k < K; k++)
            for (c = 0; c < MTL__NB; c++)
                P[(size_t)k * MTL__NB + (size_t)c] = n0 + c >= N ? 0.0f
                    : mtl__bval(Bv, b_nk ? (size_t)(n0 + c) * ldb + (size_t)k : (size_t)k * ldb + (size_t)(n0 + c), b_type);
        return;
    }
    (void)isa;
#ifdef MTL__X86
    if (isa == MTL__ISA_AVX512) {
        if (b_nk) mtl__pack_t512(P, B, ldb, n0, N, K);
        else mtl__pack_r512(P, B, ldb, n0, N, K);
        return;
    }
#endif
    if (b_nk) {   /* 16 rows of B read side by side, P written in order */
        const float *r[MTL__NB];
        for (c = 0; c < MTL__NB; c++) r[c] = n0 + c < N ? B + (size_t)(n0 + c) * ldb : NULL;
        for (k = 0; k < K; k++)
            for (c = 0; c < MTL__NB; c++) P[(size_t)k * MTL__NB + (size_t)c] = r[c] ? r[c][k] : 0.0f;
    } else {
        for (k = 0; k < K; k++) {
            const float *b = B + (size_t)k * ldb;
            for (c = 0; c < MTL__NB; c++) P[(size_t)k * MTL__NB + (size_t)c] = n0 + c < N ? b[n0 + c] : 0.0f;
        }
    }
}
#ifdef MTL__REPACK
/* Packs a whole torch [O,I] weight: panel j at wp + j*I*16. */
static void mtl__pack_weight(float *wp, const float *w, int O, int I) {
    int j;
    const int isa = mtl__isa();
    for (j = 0; j * MTL__NB < O; j++) mtl__pack_panel(wp + (size_t)j * (size_t)I * MTL__NB, w, (size_t)I, 1, 0, j * MTL__NB, O, I, isa);
}
static size_t mtl__packed_size(int O, int I) { return (size_t)((O + MTL__NB - 1) / MTL__NB) * MTL__NB * (size_t)I; }
#endif

/* Rows m0 .. m0+rows-1 of A as the AVX2 and portable micro-kernels read them (lda_out): in place, or
   (a_km) packed into Ab [rows, K] */
static const float *mtl__gemm_a(const mtl__gemm_args *g, float *Ab, int m0, int rows, size_t *lda_out) {
    int r, k;
    if (!g->a_km) { *lda_out = g->lda; return g->A + (size_t)m0 * g->lda; }
    *lda_out = (size_t)g->K;
    for (k = 0; k < g->K; k++) {
        const float *a = g->A + (size_t)k * g->lda + (size_t)m0;
        for (r = 0; r < rows; r++) Ab[(size_t)r * (size_t)g->K + (size_t)k] = a[r];
    }
    return Ab;
}
/* The blocks of rows of a range of n rows: as few blocks of at most maxr rows as can hold them, as
   even as can be, the taller last (maxr 6: 13 rows 4 + 4 + 5, not 6 + 6 + 1; 30: 5 x 6), each computed by
   the micro-kernel of its height, so no row is computed that is not stored. Block i of nb has
   q + (i >= nb - r) rows (mtl__rb_rows): the divisions once per range, not two per block (the block
   loop runs once per panel when it goes a panel at a time; perf put 2% of an IMDB batch on an AMD
   EPYC, Zen 2, in that loop, but taking the divisions out changed no end-to-end time there). */
typedef struct mtl__rb { int nb, q, r; } mtl__rb;
static mtl__rb mtl__row_blocks(int n, int maxr) {
    mtl__rb b;
    b.nb = (n + maxr - 1) / maxr;
    b.q = b.nb > 0 ? n / b.nb : 0;
    b.r = b.nb > 0 ? n % b.nb : 0;
    return b;
}
static int mtl__rb_rows(const mtl__rb *b, int i) { return b->q + (i >= b->nb - b->r); }
/* C[mb..me, n0..n0+nb) from the panels P0, P1 (P1 unused when nb <= 16), on the micro-kernel of isa.
   Ab: room for MTL__MRMAX x K floats of A when g->a_km; else NULL, or (AVX-512) rows mb..me of A
   packed k-major block after block (mtl__pack_a512), packed here first when pack is 1. pf: the
   panels read next (prefetched while these are read), or NULL. */
static void mtl__gemm_block(const mtl__gemm_args *g, const float *P0, const float *P1, int n0, int nb, int isa, int mb, int me,
                            float *Ab, int pack, const float *pf) {
    const int M = me, K = g->K, np = (nb + MTL__NB - 1) / MTL__NB;   /* np: panels, 1 or 2 */
    const int pout = g->Bp && !g->a_km && mb == 0;   /* a panel at a time (below) */
    mtl__store st, sj;   /* st: the block's store at column n0; sj: at column n0 + 16 j (panel j) */
    const float *A;
    size_t lda;
    int m0 = mb, j, p, i, rows = 0;
    mtl__rb rb;
    (void)isa; (void)pack;
    st.bias = g->bias ? g->bias + n0 : NULL; st.accumulate = g->accumulate; st.ldr = g->ldr; st.pf = pf; st.ahead = 0;
#ifdef MTL__X86
    if (isa == MTL__ISA_AVX512) {
        float *Ap = g->a_km ? NULL : Ab;   /* the next block's packed rows */
        rb = mtl__row_blocks(M - mb, MTL__MR512);
        for (i = 0; m0 < M; m0 += rows, i++) {
            float *C = g->C + (size_t)m0 * g->ldc + (size_t)n0;
            int mr;
            A = g->A + (size_t)m0 * g->lda;
            rows = mtl__rb_rows(&rb, i);
            mr = mtl__mr512(rows);
            if (g->a_km) { mtl__pack_a512(Ab, g->A + (size_t)m0, g->lda, rows, mr, K, 1); A = Ab; }
            else if (Ap) {
                if (pack) mtl__pack_a512(Ap, A, g->lda, rows, mr, K, 0);
                A = Ap; Ap += (size_t)mr * (size_t)K;
            }
            st.res = g->res ? g->res + (size_t)m0 * g->ldr + (size_t)n0 : NULL;
            st.ahead = g->Bp && m0 == mb;   /* packed panels, first read: from memory */
            mtl__k512_mr[g->a_km || Ab][rows](C, g->ldc, A, g->lda, P0, P1, rows, K, nb, &st);
        }
        return;
    }
#endif
    /* The product's first rows (mb 0: the packed panels read from memory) go a panel at a time through
       every block of rows, the panel then re-read from cache while the next one is prefetched; the
       other rows a block at a time through both panels (A's block read once; packed once when a_km).
       all-MiniLM-L6-v2 on an AMD EPYC (Zen 2), 512 SST-2 sentences at batch 1, 1 thread, alternating:
       172-176 -> 186-193 sentences/s; IMDB batches of 32 unchanged (a panel at a time for all their
       rows lost 1% there). */
    rb = mtl__row_blocks(M - mb, isa == MTL__ISA_AVX2 ? MTL__MR256 : 4);
    for (p = 0; p < (pout ? np : 1); p++)
        for (i = 0, m0 = mb; m0 < M; m0 += rows, i++) {
            rows = mtl__rb_rows(&rb, i);
            A = mtl__gemm_a(g, Ab, m0, rows, &lda);
            for (j = pout ? p : 0; j < (pout ? p + 1 : np); j++) {
                const float *P = j ? P1 : P0;
                const int w = nb - j * MTL__NB < MTL__NB ? nb - j * MTL__NB : MTL__NB;
                float *C = g->C + (size_t)m0 * g->ldc + (size_t)(n0 + j * MTL__NB);
                sj = st;
                sj.pf = j || nb <= MTL__NB ? pf : P1;   /* the panel read next, one per panel */
                sj.bias = st.bias ? st.bias + j * MTL__NB : NULL;
                sj.res = g->res ? g->res + (size_t)m0 * g->ldr + (size_t)(n0 + j * MTL__NB) : NULL;
#ifdef MTL__X86
                if (isa == MTL__ISA_AVX2) { mtl__k256_mr[rows](C, g->ldc, A, lda, P, rows, K, w, &sj); continue; }
#endif
                mtl__kern_c(C, g->ldc, A, lda, P, rows, K, w, &sj);
            }
        }
}
/* mtl__gemm_block, then the GELU of the block's C (while it is in cache) */
static void mtl__gemm_cols(const mtl__gemm_args *g, const float *P0, const float *P1, int n0, int nb, int isa, int mb, int me,
                           float *Ab, int pack, const float *pf) {
    int m;
    mtl__gemm_block(g, P0, P1, n0, nb, isa, mb, me, Ab, pack, pf);
    if (g->gelu)
        for (m = mb; m < me; m++) mtl__gelu(g->C + (size_t)m * g->ldc + (size_t)n0, g->C + (size_t)m * g->ldc + (size_t)n0, (size_t)nb);
}
/* The tasks of a product: with packed B, (row block, 32 columns) pairs, row block by row block, so
   the consecutive tasks a thread takes share their block of A (read once from memory per chunk, not
   once per column); with B packed per task, 32-column blocks of C against all rows. */
static int mtl__gemm_ntasks(const mtl__gemm_args *g) {
    const int nt = (g->N + 2 * MTL__NB - 1) / (2 * MTL__NB), mb = mtl__gemm_mb(g->K);
    return g->Bp ? nt * ((g->M + mb - 1) / mb) : nt;
}
/* tasks [tb, te) of mtl__gemm_ntasks */
static void mtl__gemm_tasks(void *arg, int tb, int te, int tid) {
    const mtl__gemm_args *g = (const mtl__gemm_args *)arg;
    const size_t KP = (size_t)g->K * MTL__NB;
    const int isa = g->isa ? g->isa : mtl__isa();
    int t;
    if (g->Bp) {
        const int nt = (g->N + 2 * MTL__NB - 1) / (2 * MTL__NB), mb = mtl__gemm_mb(g->K);
        const int np = (g->N + MTL__NB - 1) / MTL__NB;   /* panels packed: the prefetch reads none past them */
        float *Ap = NULL;   /* A's rows packed for the AVX-512 kernel: those of row block *packed - 1 */
        int *packed = ((mtl__gemm_args *)arg)->packed + tid;   /* this thread's own: no other writes it */
#ifdef MTL__X86
        if (isa == MTL__ISA_AVX512 && g->scratch && g->stride >= mtl__gemm_ap_floats(g->K, g->M) && !g->a_km)
            Ap = g->scratch + (size_t)tid * g->stride;
#endif
        for (t = tb; t < te; t++) {
            const int m0 = t / nt * mb, c = t % nt, me = g->M - m0 < mb ? g->M : m0 + mb;
            const int n0 = c * 2 * MTL__NB, nb = g->N - n0 < 2 * MTL__NB ? g->N - n0 : 2 * MTL__NB;
            const float *P0 = g->Bp + (size_t)(2 * c) * KP;
            const int pack = Ap && m0 + 1 != *packed;   /* the block's first task here: packs its rows */
            if (pack) *packed = m0 + 1;
            mtl__gemm_cols(g, P0, nb > MTL__NB ? P0 + KP : P0, n0, nb, isa, m0, me, Ap, pack, 2 * c + 4 <= np ? P0 + 2 * KP : NULL);
        }
        return;
    }
    for (t = tb; t < te; t++) {   /* B packed here, a pair of panels of MTL_KC k at a time, against all rows */
        const int n0 = t * 2 * MTL__NB, nb = g->N - n0 < 2 * MTL__NB ? g->N - n0 : 2 * MTL__NB;
        float *S = g->scratch + (size_t)tid * g->stride;
        int k0;
        for (k0 = 0; k0 < g->K; k0 += MTL_KC) {   /* C = A[:, k0..] B[k0.., :] (+ C); bias and GELU once */
            mtl__gemm_args c = *g;
            const size_t kp = (size_t)(c.K = g->K - k0 < MTL_KC ? g->K - k0 : MTL_KC) * MTL__NB;
            const void *B = (const unsigned char *)g->B + MTL__GGML_ELEM(g->b_type) * (g->b_nk ? (size_t)k0 : (size_t)k0 * g->ldb);
            c.A = g->A + (g->a_km ? (size_t)k0 * g->lda : (size_t)k0);
            c.accumulate = g->accumulate || k0 > 0;
            c.bias = k0 ? NULL : g->bias;
            c.gelu = g->gelu && k0 + c.K == g->K;
            c.res = k0 + c.K == g->K ? g->res : NULL;
            mtl__pack_panel(S, B, g->ldb, g->b_nk, g->b_type, n0, g->N, c.K, isa);
            if (nb > MTL__NB) mtl__pack_panel(S + kp, B, g->ldb, g->b_nk, g->b_type, n0 + MTL__NB, g->N, c.K, isa);
            mtl__gemm_cols(&c, S, nb > MTL__NB ? S + kp : S, n0, nb, isa, 0, g->M, g->a_km ? S + 2 * kp : NULL, 0, NULL);
        }
    }
}
/* Runs every task of the product described by g on the calling thread (tid: its scratch). */
static void mtl__gemm_here(mtl__gemm_args *g, int tid) {
    memset(g->packed, 0, sizeof g->packed);
    mtl__gemm_tasks(g, 0, mtl__gemm_ntasks(g), tid);
}
#ifndef MTL_USE_BLAS
/* Runs the product described by g on the pool (mtl__gemm_ntasks). */
static void mtl__gemm(mtl__gemm_args *g, mtl__pool *pool) {
    memset(g->packed, 0, sizeof g->packed);   /* a product's own: g may be reused for another */
    mtl__parallel(pool, mtl__gemm_ntasks(g), (double)g->M * g->N * g->K, mtl__gemm_tasks, g);
}
#endif

/* ---- linear: the one forward and backward (inference, training, heads) ------------------------
   forward   out[T,O] = in[T,I] @ w[O,I]^T + b[O] (+ res[T,O]: a residual, rows ldo apart, or NULL),
             out's rows ldo apart, then gelu(out) when asked
             (w: torch layout, of type w_type (0: f32; f16 / bf16: used in place from the file); wp:
             the same packed, or NULL: packed per task; scratch: mtl__matmul_floats(I, wp != NULL, T)
             floats per thread, or NULL with wp)
   backward  dx[T,I] += dy[T,O] w[O,I];  dw[O,I] += dy^T x;  db[O] += sum_t dy   (each may be NULL;
             scratch: mtl__gemm_floats(max(I, T, O), 1) floats per thread) */
static size_t mtl__matmul_floats(int I, int packed, int T) {   /* B's panels, or with packed B A's rows on AVX-512 */
#ifdef MTL_USE_BLAS
    (void)I; (void)packed; (void)T;
    return 0;
#else
    return !packed ? mtl__gemm_floats(I, 0) : mtl__isa() == MTL__ISA_AVX512 ? mtl__gemm_ap_floats(I, T) : 0;
#endif
}
static void mtl__matmul_forward(float *out, size_t ldo, const float *in, const float *w, int w_type, const float *wp,
                                const float *b, const float *res, int T, int I, int O, int gelu, float *scratch, mtl__pool *pool) {
#ifdef MTL_USE_BLAS
    int t, o;
    (void)wp; (void)pool; (void)scratch; (void)w_type;   /* BLAS builds widen f16 weights at load */
    for (t = 0; t < T; t++) {
        if (b) memcpy(out + (size_t)t * ldo, b, (size_t)O * sizeof(float));
        else memset(out + (size_t)t * ldo, 0, (size_t)O * sizeof(float));
    }
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, T, O, I, 1.0f, in, I, w, I, 1.0f, out, (int)ldo);
    if (res) for (t = 0; t < T; t++) for (o = 0; o < O; o++) out[(size_t)t * ldo + (size_t)o] += res[(size_t)t * ldo + (size_t)o];
    if (gelu) for (t = 0; t < T; t++) mtl__gelu(out + (size_t)t * ldo, out + (size_t)t * ldo, (size_t)O);
#else
    mtl__gemm_args g;
    memset(&g, 0, sizeof g);
    g.C = out; g.ldc = ldo; g.A = in; g.lda = (size_t)I; g.Bp = wp; g.B = w; g.ldb = (size_t)I; g.b_nk = 1; g.b_type = w_type;
    g.bias = b; g.M = T; g.N = O; g.K = I; g.scratch = scratch; g.stride = mtl__matmul_floats(I, wp != NULL, T); g.gelu = gelu;
    g.res = res; g.ldr = ldo;
    mtl__gemm(&g, pool);
#endif
}

static void mtl__linear_backward(float *dx, float *dw, float *db, const float *dy, const float *x, const float *w,
                                 int T, int I, int O, float *scratch, size_t stride, mtl__pool *pool) {
    int t, o;
#ifdef MTL_USE_BLAS
    (void)scratch; (void)stride; (void)pool;
    if (dx) cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, T, I, O, 1.0f, dy, O, w, I, 1.0f, dx, I);
    if (dw) cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, O, I, T, 1.0f, dy, O, x, I, 1.0f, dw, I);
#else
    mtl__gemm_args g;
    memset(&g, 0, sizeof g);
    g.scratch = scratch; g.stride = stride; g.accumulate = 1;
    if (dx) {   /* A = dy [T,O], B(o, i) = w[o][i] */
        g.C = dx; g.ldc = (size_t)I; g.A = dy; g.lda = (size_t)O; g.B = w; g.ldb = (size_t)I; g.M = T; g.N = I; g.K = O;
        mtl__gemm(&g, pool);
    }
    if (dw) {   /* A(o, t) = dy[t][o] (read transposed), B(t, i) = x[t][i] */
        g.C = dw; g.ldc = (size_t)I; g.A = dy; g.lda = (size_t)O; g.a_km = 1; g.B = x; g.ldb = (size_t)I;
        g.M = O; g.N = I; g.K = T;
        mtl__gemm(&g, pool);
    }
#endif
    if (db) for (t = 0; t < T; t++) for (o = 0; o < O; o++) db[o] += dy[(size_t)t * (size_t)O + (size_t)o];
}

/* The position id of a packed row: the one rule of inference and training. pad < 0 (BERT): idx,
   the row's index within its input (training: its column in the padded [B, L], HF's position ids
   also under left padding). pad >= 0 (RoBERTa / XLM-R, HF create_position_ids_from_input_ids with
   padding_idx = pad): pad for a token whose id is pad, else pad + the number of the input's tokens up
   to and including it whose id is not pad (*count: that number so far, 0 before an input's first
   row). Exact for packed inputs (no padding) and for a pad id inside a text. Training counts the
   rows it computes (the tokens with mask != 0); HF counts every id that is not pad, which is the same
   whenever the padding holds the pad id, as HF's tokenizers and collators pad. */
static int mtl__position(int32_t id, int idx, int *count, int pad) {
    if (pad < 0) return idx;
    if (id == pad) return pad;
    return pad + ++*count;
}

/* The embeddings (inference and training): x[T,H] = (word[ids[r]] + type[types[r]]) + pos[p(r)] for
   the rows r of inputs 0 .. n_seq-1 (starts), p(r) = mtl__position(ids[r], idx, .., pad) with idx the
   row's index within its input, or with src (training) its column src[r] % L in the padded [B, L].
   tt: the three tables' types (word, type, pos; NULL: all f32; f16 / bf16 tables are read in place).
   The LayerNorm that follows is the callers'. */
static void mtl__embeddings_forward(float *x, const float *word, const float *type, const float *pos, const int *tt,
                                    const int32_t *ids, const int32_t *types, const int32_t *starts, int n_seq,
                                    const int32_t *src, int L, int H, int pad) {
    int s, t, h;
    for (s = 0; s < n_seq; s++) {
        int count = 0;
        for (t = starts[s]; t < starts[s + 1]; t++) {
            const int p = mtl__position(ids[t], src ? src[t] % L : t - starts[s], &count, pad);
            const size_t rw = (size_t)ids[t] * (size_t)H, rt = (size_t)types[t] * (size_t)H, rp = (size_t)p * (size_t)H;
            float *o = x + (size_t)t * (size_t)H;
            if (!tt || !(tt[0] | tt[1] | tt[2])) {
                const float *we = word + rw, *te = type + rt, *pe = pos + rp;
                for (h = 0; h < H; h++) o[h] = (we[h] + te[h]) + pe[h];
            } else {
                for (h = 0; h < H; h++)
                    o[h] = (mtl__bval(word, rw + (size_t)h, tt[0]) + mtl__bval(type, rt + (size_t)h, tt[1])) + mtl__bval(pos, rp + (size_t)h, tt[2]);
            }
        }
    }
}

/* sum_i f(x[i]) in a fixed order that vectorizes without reassociation: 16 running sums (lane j
   takes x[j], x[j+16], ...), then the lanes pairwise. dev: sum of x, else of (x - mean)^2. */
MTL__HOT static float mtl__lane_sum(const float *x, int n, int dev, float mean) {
    float s[16];
    int i = 0, j;
    for (j = 0; j < 16; j++) s[j] = 0.0f;
    if (dev) {
        for (; i + 16 <= n; i += 16) for (j = 0; j < 16; j++) { const float d = x[i + j] - mean; s[j] += d * d; }
        for (j = 0; i + j < n; j++) { const float d = x[i + j] - mean; s[j] += d * d; }
    } else {
        for (; i + 16 <= n; i += 16) for (j = 0; j < 16; j++) s[j] += x[i + j];
        for (j = 0; i + j < n; j++) s[j] += x[i + j];
    }
    for (i = 8; i >= 1; i /= 2) for (j = 0; j < i; j++) s[j] += s[j + i];
    return s[0];
}
/* out[T,H] = LayerNorm(in [+ res]) with weight w, bias b (out may alias in); float sums in 16 lanes.
   mean, rstd [T] (NULL: not wanted) receive each row's statistics (the training LayerNorm keeps them). */
MTL__HOT static void mtl__layernorm_stats_forward(float *out, float *mean_out, float *rstd_out, const float *in,
                                                  const float *res, const float *w, const float *b, int T, int H, float eps) {
    int t, h;
    for (t = 0; t < T; t++) {
        const float *x = in + (size_t)t * (size_t)H;
        const float *rr = res ? res + (size_t)t * (size_t)H : NULL;
        float *o = out + (size_t)t * (size_t)H;
        float mean, var, rstd;
        if (rr) for (h = 0; h < H; h++) o[h] = x[h] + rr[h];
        else if (o != x) for (h = 0; h < H; h++) o[h] = x[h];
        mean = mtl__lane_sum(o, H, 0, 0.0f) / (float)H;
        var = mtl__lane_sum(o, H, 1, mean) / (float)H;
        rstd = 1.0f / sqrtf(var + eps);
        for (h = 0; h < H; h++) o[h] = (o[h] - mean) * rstd * w[h] + b[h];
        if (mean_out) mean_out[t] = mean;
        if (rstd_out) rstd_out[t] = rstd;
    }
}
/* The same over the threads of pool, in blocks of MTL__LN_ROWS rows (a row's numbers do not depend on
   the block or thread it falls in); mean, rstd as above. */
#define MTL__LN_ROWS 16
typedef struct mtl__ln_args {
    float *out, *mean, *rstd; const float *in, *res, *w, *b; int T, H; float eps;
} mtl__ln_args;
static void mtl__ln_tasks(void *arg, int tb, int te, int tid) {
    const mtl__ln_args *a = (const mtl__ln_args *)arg;
    const int r0 = tb * MTL__LN_ROWS, r1 = te * MTL__LN_ROWS < a->T ? te * MTL__LN_ROWS : a->T;
    const size_t off = (size_t)r0 * (size_t)a->H;
    (void)tid;
    mtl__layernorm_stats_forward(a->out + off, a->mean ? a->mean + r0 : NULL, a->rstd ? a->rstd + r0 : NULL, a->in + off,
                                 a->res ? a->res + off : NULL, a->w, a->b, r1 - r0, a->H, a->eps);
}
static void mtl__layernorm_forward(float *out, float *mean, float *rstd, const float *in, const float *res, const float *w,
                                   const float *b, int T, int H, float eps, mtl__pool *pool) {
    mtl__ln_args a;
    a.out = out; a.mean = mean; a.rstd = rstd; a.in = in; a.res = res; a.w = w; a.b = b; a.T = T; a.H = H; a.eps = eps;
    mtl__parallel(pool, (T + MTL__LN_ROWS - 1) / MTL__LN_ROWS, 8.0 * (double)T * (double)H, mtl__ln_tasks, &a);
}


/* SplitMix64 (Steele, Lea, Flood 2014): a bijective 64-bit mixer, used counter-style. */
static MTL__INLINE uint64_t mtl__mix64(uint64_t z) {
    z += 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
/* mtl_rand_uniform, inlined into the loops that draw one per element (they vectorize: 64-bit
   multiplies on AVX-512) */
static MTL__INLINE float mtl__rand_u(uint64_t seed, uint64_t i) {
    return (float)(mtl__mix64(seed ^ mtl__mix64(i)) >> 40) * (1.0f / 16777216.0f);
}
/* Dropout's draw (training): element i of a site with seed `seed` is kept iff u(seed, i) >= p
   (mtl_rand_uniform: counter-based, so any order of evaluation gives the same mask). */
static MTL__INLINE int mtl__drop_keep(uint64_t seed, size_t i, float p) { return mtl__rand_u(seed, (uint64_t)i) >= p; }

/* ---- attention: one forward and one backward, for inference and training -------------------
   Input s owns rows starts[s] .. starts[s+1]-1 (L of them); head h owns columns h*hd .. h*hd+hd-1
   (of q, k, v: rows ld apart; of att, dctx, dq, dk, dv: rows H apart). With c = 1/sqrt(hd):
     forward   p[i,t] = softmax_t(c q[i].k[t]);          att[i] = sum_t p[i,t] m[i,t] v[t]
     backward  dv[t] = sum_i p[i,t] m[i,t] dctx[i];      dp[i,t] = m[i,t] dctx[i].v[t]
               ds[i,t] = p[i,t] (dp[i,t] - sum_u p[i,u] dp[i,u]) c
               dq[i] = sum_t ds[i,t] k[t];               dk[t] = sum_i ds[i,t] q[i]
   m = 1 (inference), or the training attention dropout: (i, t) of input s, head h is kept iff
   mtl__drop_keep(seed, ((s nh + h) Lpad + col_i) Lpad + col_t), its index in HF's [B, nh, L, L]
   (col = src[row] - s Lpad), and then scaled by 1/(1-p). An input marked empty (training: a row
   with no real token, all of whose positions are rows) attends uniformly, p = 1/L, as HF does.
   A task is one (input, head); every product goes through the matrix kernel, its B operands (K^T
   and V; in the backward V^T, K, Q and dctx) packed into panels per task. Queries are taken in
   blocks of MTL__AQ: a block of scores is MTL__AQ x L floats (cache-sized, never L x L) and holds
   every score of its rows, so each row's softmax is exact in one pass (max, exp, sum in 16 fixed
   lanes) without running-max rescaling. The forward divides by the sum after P V. A row's result
   does not depend on the other rows (the kernel's property), so neither on the block, the batch
   nor the thread count. probs (training) keeps p of input s, head h, query i at
   probs + nh poff[s] + (h L + i) L; the backward reads it. Per thread scratch: mtl__attn_floats. */
#define MTL__AQ 48      /* queries per block of scores */
static uint64_t mtl__attn_pad(uint64_t n, uint64_t m) { return (n + m - 1) / m * m; }
static uint64_t mtl__attn_floats(uint64_t max_len, uint64_t hd, int backward) {
    const uint64_t Lp = mtl__attn_pad(max_len, MTL__NB), hdp = mtl__attn_pad(hd, MTL__NB);
    return hd * Lp + Lp * hdp + MTL__AQ * Lp + (backward ? 2 * Lp * MTL__AQ + 2 * MTL__AQ * hdp + Lp : 0);
}
typedef struct mtl__attn {
    float *att;                         /* forward output                                         */
    const float *q, *k, *v; size_t ld;  /* ld: row stride of q, k, v                              */
    const int32_t *starts;              /* [n_seq + 1]                                            */
    const int32_t *empty;               /* NULL or [n_seq]: 1 = attends uniformly                 */
    int H, nh, hd, max_len;
    float *scratch; size_t stride;      /* thread t's: scratch + t stride floats                  */
    float *probs; const size_t *poff;   /* NULL, or where the forward keeps p (training)          */
    const float *kept;                  /* backward: the p a forward kept (same layout)           */
    float drop_p; uint64_t drop_seed;   /* attention dropout (drop_p > 0: training)               */
    const int32_t *src; int Lpad;       /* the padded index s Lpad + col of each row (dropout)    */
    const float *dctx; float *dq, *dk, *dv;   /* backward                                         */
} mtl__attn;

/* 16 lanes, as mtl__lane_sum: the max of x[0..n) (the portable softmax's; AVX-512 has its own in
   mtl__softmax_row512) and the sum of x[i] y[i] */
MTL__HOT static float mtl__lane_max(const float *x, int n) {
    float s[16];
    int i = 0, j;
    for (j = 0; j < 16; j++) s[j] = -FLT_MAX;
    for (; i + 16 <= n; i += 16) for (j = 0; j < 16; j++) s[j] = x[i + j] > s[j] ? x[i + j] : s[j];
    for (j = 0; i + j < n; j++) s[j] = x[i + j] > s[j] ? x[i + j] : s[j];
    for (i = 8; i >= 1; i /= 2) for (j = 0; j < i; j++) s[j] = s[j + i] > s[j] ? s[j + i] : s[j];
    return s[0];
}
MTL__HOT static float mtl__lane_dot(const float *x, const float *y, int n) {
    float s[16];
    int i = 0, j;
    for (j = 0; j < 16; j++) s[j] = 0.0f;
    for (; i + 16 <= n; i += 16) for (j = 0; j < 16; j++) s[j] += x[i + j] * y[i + j];
    for (j = 0; i + j < n; j++) s[j] += x[i + j] * y[i + j];
    for (i = 8; i >= 1; i /= 2) for (j = 0; j < i; j++) s[j] += s[j + i];
    return s[0];
}
/* Each of the n rows r, r + ld, ...: r[t] = exp(c (r[t] - max r)) for t < L, inv[i] = 1 / row i's sum
   (summed as mtl__lane_sum does, in the same pass). Rows have room for Lp = L rounded up to 16:
   r[L..Lp) is set to -FLT_MAX first, so every pass runs whole 16-lane vectors (a short row was all
   scalar tail); a pad changes no lane's max and adds an exact 0 (mtl__expf of less than -87.34 is 0)
   to its lane, so the bits are those of L. AVX-512: mtl__softmax_row512, AVX2: mtl__softmax_rows256,
   the same steps in registers. */
MTL__HOT static void mtl__softmax_rows(float *r, size_t ld, int n, int L, float c, float *inv) {
    const int Lp = (L + 15) / 16 * 16;
    float s[16], mx;
    int row, i, j;
#ifdef MTL__X86
    if (mtl__isa() == MTL__ISA_AVX2) { mtl__softmax_rows256(r, ld, n, L, c, inv); return; }
    if (mtl__isa() == MTL__ISA_AVX512) {
        for (row = 0; row < n; row++) inv[row] = mtl__softmax_row512(r + (size_t)row * ld, L, c);
        return;
    }
#endif
    for (row = 0; row < n; row++, r += ld) {
        for (i = L; i < Lp; i++) r[i] = -FLT_MAX;
        mx = mtl__lane_max(r, Lp);
        for (j = 0; j < 16; j++) s[j] = 0.0f;
        for (i = 0; i < Lp; i += 16)
            for (j = 0; j < 16; j++) { const float e = mtl__expf((r[i + j] - mx) * c); r[i + j] = e; s[j] += e; }
        for (i = 8; i >= 1; i /= 2) for (j = 0; j < i; j++) s[j] += s[j + i];
        inv[row] = 1.0f / s[0];
    }
}
/* r[t] *= m[i,t] for the keys t < L of query row i (row index within input s) */
MTL__HOT static void mtl__attn_drop_row(const mtl__attn *a, int s, int h, int i, float *r, int L) {
    const int32_t *src = a->src + a->starts[s];
    const size_t Lp = (size_t)a->Lpad, col0 = (size_t)s * Lp;
    const size_t base = (((size_t)s * (size_t)a->nh + (size_t)h) * Lp + ((size_t)src[i] - col0)) * Lp - col0;
    const float scale = a->drop_p < 1.0f ? 1.0f / (1.0f - a->drop_p) : 0.0f;
    int t;
    for (t = 0; t < L; t++)
        r[t] = a->drop_p < 1.0f && mtl__drop_keep(a->drop_seed, base + (size_t)src[t], a->drop_p) ? r[t] * scale : 0.0f;
}
#ifdef MTL__X86
/* mtl__attn_pack's row copy (B(k, n) = B[k ldb + n]: v) on AVX-512: row by row into every panel at
   once (a row's lines are read together, not once per panel), the row 8 ahead prefetched */
MTL__T512 static void mtl__attn_copy512(float *P, const float *B, size_t ldb, int N, int K) {
    const int np = (N + MTL__NB - 1) / MTL__NB, wl = N - (np - 1) * MTL__NB;   /* the last panel's columns */
    const __mmask16 ml = (__mmask16)(wl >= MTL__NB ? 0xFFFFu : (1u << wl) - 1u);
    int j, k, c;
    for (k = 0; k < K; k++) {
        const float *b = B + (size_t)k * ldb;
        if (k + 8 < K)
            for (c = 0; c < N; c += 16) _mm_prefetch((const char *)(b + 8 * ldb + (size_t)c), _MM_HINT_T0);
        for (j = 0; j < np; j++)
            _mm512_storeu_ps(P + ((size_t)j * (size_t)K + (size_t)k) * MTL__NB,
                             _mm512_maskz_loadu_ps(j + 1 < np ? (__mmask16)0xFFFFu : ml, b + (size_t)j * MTL__NB));
    }
}
/* mtl__attn_copy512 on AVX2+FMA (the last panel's columns past N: 0) */
MTL__T256 static void mtl__attn_copy256(float *P, const float *B, size_t ldb, int N, int K) {
    const int np = (N + MTL__NB - 1) / MTL__NB, wl = N - (np - 1) * MTL__NB;   /* the last panel's columns */
    const __m256i m0 = mtl__lanes256(wl), m1 = mtl__lanes256(wl - 8);
    int j, k, c;
    for (k = 0; k < K; k++) {
        const float *b = B + (size_t)k * ldb;
        if (k + 8 < K)
            for (c = 0; c < N; c += 16) _mm_prefetch((const char *)(b + 8 * ldb + (size_t)c), _MM_HINT_T0);
        for (j = 0; j < np; j++) {
            float *p = P + ((size_t)j * (size_t)K + (size_t)k) * MTL__NB;
            const float *bj = b + (size_t)j * MTL__NB;
            if (j + 1 < np || wl == MTL__NB) {
                _mm256_storeu_ps(p, _mm256_loadu_ps(bj));
                _mm256_storeu_ps(p + 8, _mm256_loadu_ps(bj + 8));
            } else {
                _mm256_storeu_ps(p, _mm256_maskload_ps(bj, m0));
                _mm256_storeu_ps(p + 8, wl > 8 ? _mm256_maskload_ps(bj + 8, m1) : _mm256_setzero_ps());
            }
        }
    }
}
#endif
/* P = panels of B(k, n) for n < N, k < K (mtl__pack_panel's layout, K*MTL__NB floats per panel), the
   same values as mtl__pack_panel's. Rows of q, k and v are 3H floats apart, more than a page, so the
   hardware prefetcher does not follow them: on x86 B[n ldb + k] (K^T) is transposed panel by panel
   with the next panel's rows prefetched first, and B(k, n) = B[k ldb + n] (v) copied row by row
   (mtl__attn_copy512 / 256). Without the prefetches on AVX2, IMDB batches of 32 on an AMD EPYC
   (Zen 2) spent ~1% of their time waiting for these rows. */
static void mtl__attn_pack(float *P, const float *B, size_t ldb, int b_nk, int N, int K) {
    const int isa = mtl__isa();
    int j;
    if (b_nk) {
        for (j = 0; j * MTL__NB < N; j++) {
#ifdef MTL__X86
            int c, k;
            for (c = (j + 1) * MTL__NB; c < (j + 2) * MTL__NB && c < N; c++)
                for (k = 0; k < K; k += 16) _mm_prefetch((const char *)(B + (size_t)c * ldb + (size_t)k), _MM_HINT_T0);
#endif
            mtl__pack_panel(P + (size_t)j * (size_t)K * MTL__NB, B, ldb, 1, 0, j * MTL__NB, N, K, isa);
        }
        return;
    }
#ifdef MTL__X86
    if (isa == MTL__ISA_AVX512) { mtl__attn_copy512(P, B, ldb, N, K); return; }
    if (isa == MTL__ISA_AVX2) { mtl__attn_copy256(P, B, ldb, N, K); return; }
#endif
    for (j = 0; j * MTL__NB < N; j++) mtl__pack_panel(P + (size_t)j * (size_t)K * MTL__NB, B, ldb, 0, 0, j * MTL__NB, N, K, isa);
}

MTL__HOT static void mtl__attention_fw_tasks(void *arg, int tb, int te, int tid) {
    const mtl__attn *a = (const mtl__attn *)arg;
    const int hd = a->hd;
    const size_t Lmax = (size_t)mtl__attn_pad((uint64_t)a->max_len, MTL__NB), hdp = (size_t)mtl__attn_pad((uint64_t)hd, MTL__NB);
    const float c = 1.0f / sqrtf((float)hd);
    float *kp = a->scratch + (size_t)tid * a->stride;   /* [hd, Lp]: panels of keys            */
    float *vp = kp + (size_t)hd * Lmax;                  /* [L, hdp]: panels of dimensions      */
    float *sc = vp + Lmax * hdp;                         /* [MTL__AQ, Lp] scores                */
    int task;
    for (task = tb; task < te; task++) {
        const int s = task / a->nh, h = task % a->nh, s0 = a->starts[s], L = a->starts[s + 1] - s0;
        const int empty = a->empty && a->empty[s];
        const size_t Lp = (size_t)mtl__attn_pad((uint64_t)L, MTL__NB);
        const float *Q = a->q + (size_t)s0 * a->ld + (size_t)(h * hd);
        const float *K = a->k + (size_t)s0 * a->ld + (size_t)(h * hd), *V = a->v + (size_t)s0 * a->ld + (size_t)(h * hd);
        mtl__gemm_args g;
        int i0, j, t;
        if (!empty) mtl__attn_pack(kp, K, a->ld, 1, L, hd);   /* B(d, t) = K[t][d] */
        mtl__attn_pack(vp, V, a->ld, 0, hd, L);                 /* B(t, d) = V[t][d] */
        memset(&g, 0, sizeof g);
        for (i0 = 0; i0 < L; i0 += MTL__AQ) {
            const int nq = L - i0 < MTL__AQ ? L - i0 : MTL__AQ;
            float inv[MTL__AQ];
            g.C = sc; g.ldc = Lp; g.A = Q + (size_t)i0 * a->ld; g.lda = a->ld; g.Bp = kp; g.M = nq; g.N = L; g.K = hd;
            if (empty) for (j = 0; j < nq; j++) memset(sc + (size_t)j * Lp, 0, (size_t)L * sizeof(float));
            else mtl__gemm_here(&g, tid);   /* sc = Q K^T */
            mtl__softmax_rows(sc, Lp, nq, L, c, inv);
            for (j = 0; j < nq; j++) {
                float *r = sc + (size_t)j * Lp;
                if (a->probs) {
                    float *p = a->probs + (size_t)a->nh * a->poff[s] + ((size_t)h * (size_t)L + (size_t)(i0 + j)) * (size_t)L;
                    for (t = 0; t < L; t++) p[t] = r[t] * inv[j];
                }
                if (a->drop_p > 0.0f) mtl__attn_drop_row(a, s, h, i0 + j, r, L);
            }
            g.C = a->att + (size_t)(s0 + i0) * (size_t)a->H + (size_t)(h * hd); g.ldc = (size_t)a->H;
            g.A = sc; g.lda = Lp; g.Bp = vp; g.N = hd; g.K = L;
            mtl__gemm_here(&g, tid);   /* att = E V */
            for (j = 0; j < nq; j++) {
                float *o = a->att + (size_t)(s0 + i0 + j) * (size_t)a->H + (size_t)(h * hd);
                for (t = 0; t < hd; t++) o[t] *= inv[j];
            }
        }
    }
}
MTL__HOT static void mtl__attention_bw_tasks(void *arg, int tb, int te, int tid) {
    const mtl__attn *a = (const mtl__attn *)arg;
    const int hd = a->hd, H = a->H;
    const size_t Lmax = (size_t)mtl__attn_pad((uint64_t)a->max_len, MTL__NB), hdp = (size_t)mtl__attn_pad((uint64_t)hd, MTL__NB);
    const float c = 1.0f / sqrtf((float)hd);
    float *vtp = a->scratch + (size_t)tid * a->stride;  /* [hd, Lp]: B(d, t) = V[t][d]          */
    float *kp = vtp + (size_t)hd * Lmax;                 /* [L, hdp]: B(t, d) = K[t][d]          */
    float *ds = kp + Lmax * hdp;                         /* [MTL__AQ, Lp]: dp, then ds           */
    float *dsT = ds + (size_t)MTL__AQ * Lmax;            /* [L, MTL__AQ]: ds^T                   */
    float *pdT = dsT + Lmax * MTL__AQ;                   /* [L, MTL__AQ]: (p m)^T                */
    float *qp = pdT + Lmax * MTL__AQ;                    /* [nq, hdp]: B(i, d) = Q[i][d]         */
    float *gp = qp + (size_t)MTL__AQ * hdp;              /* [nq, hdp]: B(i, d) = dctx[i][d]      */
    float *pm = gp + (size_t)MTL__AQ * hdp;              /* [L]: p m of one row (dropout)        */
    int task;
    for (task = tb; task < te; task++) {
        const int s = task / a->nh, h = task % a->nh, s0 = a->starts[s], L = a->starts[s + 1] - s0;
        const int empty = a->empty && a->empty[s];
        const size_t Lp = (size_t)mtl__attn_pad((uint64_t)L, MTL__NB), col = (size_t)(h * hd);
        const float *Q = a->q + (size_t)s0 * a->ld + col, *K = a->k + (size_t)s0 * a->ld + col;
        const float *V = a->v + (size_t)s0 * a->ld + col, *G = a->dctx + (size_t)s0 * (size_t)H + col;
        const float *P = a->kept + (size_t)a->nh * a->poff[s] + (size_t)h * (size_t)L * (size_t)L;
        mtl__gemm_args g;
        int i0, j, t;
        mtl__attn_pack(vtp, V, a->ld, 1, L, hd);
        mtl__attn_pack(kp, K, a->ld, 0, hd, L);
        memset(&g, 0, sizeof g);
        for (i0 = 0; i0 < L; i0 += MTL__AQ) {
            const int nq = L - i0 < MTL__AQ ? L - i0 : MTL__AQ;
            g.C = ds; g.ldc = Lp; g.A = G + (size_t)i0 * (size_t)H; g.lda = (size_t)H; g.Bp = vtp; g.M = nq; g.N = L; g.K = hd;
            g.accumulate = 0;
            mtl__gemm_here(&g, tid);   /* d(pm) = dctx V^T */
            for (j = 0; j < nq; j++) {
                const float *p = P + (size_t)(i0 + j) * (size_t)L;
                float *d = ds + (size_t)j * Lp, dsum;
                if (a->drop_p > 0.0f) {   /* dp = m d(pm); p m for dv */
                    memcpy(pm, p, (size_t)L * sizeof(float));
                    mtl__attn_drop_row(a, s, h, i0 + j, pm, L);
                    mtl__attn_drop_row(a, s, h, i0 + j, d, L);
                    for (t = 0; t < L; t++) pdT[(size_t)t * MTL__AQ + (size_t)j] = pm[t];
                } else for (t = 0; t < L; t++) pdT[(size_t)t * MTL__AQ + (size_t)j] = p[t];
                dsum = mtl__lane_dot(p, d, L);
                for (t = 0; t < L; t++) d[t] = empty ? 0.0f : p[t] * (d[t] - dsum) * c;
                for (t = 0; t < L; t++) dsT[(size_t)t * MTL__AQ + (size_t)j] = d[t];
            }
            g.C = a->dq + (size_t)(s0 + i0) * (size_t)H + col; g.ldc = (size_t)H;
            g.A = ds; g.lda = Lp; g.Bp = kp; g.N = hd; g.K = L;
            mtl__gemm_here(&g, tid);   /* dq = ds K */
            g.accumulate = i0 > 0; g.M = L; g.K = nq; g.lda = MTL__AQ;
            mtl__attn_pack(qp, Q + (size_t)i0 * a->ld, a->ld, 0, hd, nq);
            g.C = a->dk + (size_t)s0 * (size_t)H + col; g.A = dsT; g.Bp = qp;
            mtl__gemm_here(&g, tid);   /* dk += ds^T Q */
            mtl__attn_pack(gp, G + (size_t)i0 * (size_t)H, (size_t)H, 0, hd, nq);
            g.C = a->dv + (size_t)s0 * (size_t)H + col; g.A = pdT; g.Bp = gp;
            mtl__gemm_here(&g, tid);   /* dv += (p m)^T dctx */
        }
    }
}
/* multiply-adds of a forward */
/* The work of attention for mtl__parallel, in multiply-adds: the two products (2 L^2 H), and what
   they leave out: each score's softmax (an exp: about 32 multiply-adds) and each (input, head)'s
   packing and kernel calls (20,000: a 1-thread profile puts the 12 heads of a 13-token input at
   ~20 us, far more than the ~0.2 us of a hand-off, so such an input is split over 2 threads). */
static double mtl__attn_work(const int32_t *starts, int n_seq, int H, int nh) {
    double w = 0;
    int s;
    for (s = 0; s < n_seq; s++) {
        const double L = (double)(starts[s + 1] - starts[s]);
        w += 2.0 * L * L * H + 32.0 * L * L * nh + 20000.0 * nh;
    }
    return w;
}
static void mtl__attention_forward(mtl__attn *a, int n_seq, mtl__pool *pool) {
    mtl__parallel(pool, n_seq * a->nh, mtl__attn_work(a->starts, n_seq, a->H, a->nh), mtl__attention_fw_tasks, a);
}
static void mtl__attention_backward(mtl__attn *a, int n_seq, mtl__pool *pool) {
    mtl__parallel(pool, n_seq * a->nh, 2.0 * mtl__attn_work(a->starts, n_seq, a->H, a->nh), mtl__attention_bw_tasks, a);
}


/* Scratch of one forward: views into the arena. */
typedef struct mtl__scratch {
    float *x, *q, *k, *v, *att, *tmp, *ff, *scores, *pack;
    int32_t *ids, *types, *starts;
} mtl__scratch;

/* Floats of product scratch per thread for a batch of T rows (mtl__plan gives every thread this): two
   panels packed per call, or with packed weights A's rows (AVX-512); BLAS: none */
static size_t mtl__layer_pack_floats(const mtl_model *m, int T) {
    const size_t fh = mtl__matmul_floats(m->info.hidden_size, m->packed != NULL, T);
    const size_t fi = mtl__matmul_floats(m->info.intermediate_size, m->packed != NULL, T);
    return fh > fi ? fh : fi;
}
/* The layer after attention, on rows r0 .. r0+n-1 of the batch (each row on its own: the products,
   LayerNorm and GELU give a row the same floats in any block of rows):
     x = LN1(att Wo^T + bo + x);  x = LN2(gelu(x W1^T + b1) W2^T + b2 + x)
   ff: room for n x I floats; pack: the products' scratch (their thread 0's); pool: the threads the
   products share, or NULL (a task of mtl__layer_blocks: one thread). */
static void mtl__layer_rows(const mtl_model *m, const mtl__layer *L, const mtl__scratch *s, int r0, int n, float *ff,
                            float *pack, mtl__pool *nt) {
    const int H = m->info.hidden_size, I = m->info.intermediate_size;
    const float eps = m->info.layer_norm_eps;
    const size_t o = (size_t)r0 * (size_t)H;
    float *x = s->x + o, *tmp = s->tmp + o;
    mtl__matmul_forward(tmp, (size_t)H, s->att + o, L->o_w, L->wt[3], L->o_p, L->o_b, x, n, H, H, 0, pack, nt); /* + x */
    mtl__layernorm_forward(x, NULL, NULL, tmp, NULL, L->ln1_w, L->ln1_b, n, H, eps, nt);   /* a = LN(tmp) */
    mtl__matmul_forward(ff, (size_t)I, x, L->up_w, L->wt[4], L->up_p, L->up_b, NULL, n, H, I, 1, pack, nt); /* gelu(..) [n,I] */
    mtl__matmul_forward(tmp, (size_t)H, ff, L->down_w, L->wt[5], L->down_p, L->down_b, x, n, I, H, 0, pack, nt); /* + a */
    mtl__layernorm_forward(x, NULL, NULL, tmp, NULL, L->ln2_w, L->ln2_b, n, H, eps, nt);   /* h = LN(tmp) */
}
/* A large batch runs mtl__layer_rows block by block of rows, a block per task on one thread: its
   FFN intermediate (rows x I) and the rows of x and tmp stay in that core's L2 from the output
   projection to LayerNorm 2, where the whole batch's (T x I: 40 MB for 32 IMDB reviews) went out to
   L3 and back (IMDB batch 32 on an Intel Xeon: 27.9 -> 29.3 reviews/s at 1 thread, 56.1-56.8 ->
   59.0-59.6 at 2). A block's intermediate is about 768 KB (126 rows for I = 1536); each thread reuses
   one such area of s->ff for its blocks (or, when threads x rows exceed T, each block has its own
   rows of s->ff: ff_own). The blocks are used with at least 4 per thread; a smaller batch on several
   threads, of at least MTL__SPLIT_ROWS rows per thread, is cut into the fewest blocks of at most as
   many rows that give each thread as many: a block's products then read what the same core wrote,
   where with their columns split over the threads each read rows the other core had written (SST-2
   sorted batches of 32, ~590 rows, 2 threads on an Intel Xeon: +2-3%), but none of fewer than
   MTL__SPLIT_ROWS rows: every block reads all the weights of the layer after attention (5.3 MB for
   all-MiniLM-L6-v2, 21 MB for BERT-base), and more blocks per thread repeat that stream for less work
   each (BERT-base, R = 56, one IMDB review of ~205 tokens at 2 threads on an Intel Xeon: 4 blocks of
   52 rows -> 2 of 103, 7.10 -> 7.40 reviews/s, medians of 6 alternating runs). Fewer rows: the products
   split their columns over the threads, each streaming half the weights (batch 1). MTL_USE_BLAS:
   never (cblas_sgemm threads each product itself). */
#define MTL__SPLIT_ROWS 64
typedef struct mtl__blocks_args { const mtl_model *m; const mtl__layer *L; const mtl__scratch *s; int T, R, ff_own; size_t ps; } mtl__blocks_args;
static int mtl__block_rows_ffn(int I) {
    const int r = (int)(786432 / ((size_t)(I > 0 ? I : 1) * 4)) / MTL__MRMAX * MTL__MRMAX;
    return r < MTL__MRMAX ? MTL__MRMAX : r > 12 * MTL__MRMAX ? 12 * MTL__MRMAX : r;
}
/* mtl__layer_blocks' rows per block for a batch of T rows on pool's threads, or 0: the whole batch */
static int mtl__layer_block_rows(const mtl_model *m, int T, const mtl__pool *pool) {
    const int R = mtl__block_rows_ffn(m->info.intermediate_size), nth = mtl__pool_threads(pool);
#ifdef MTL_USE_BLAS
    (void)T; (void)R; (void)nth;
    return 0;
#else
    if (T / R >= 4 * nth) return R;   /* so s->ff holds a block per thread */
    if (nth > 1 && T >= MTL__SPLIT_ROWS * nth) {
        int k = (T + nth * R - 1) / (nth * R);   /* blocks per thread */
        if (k > T / (nth * MTL__SPLIT_ROWS)) k = T / (nth * MTL__SPLIT_ROWS);   /* blocks of >= MTL__SPLIT_ROWS rows (k >= 1) */
        return (T + nth * k - 1) / (nth * k);
    }
    return 0;
#endif
}
static void mtl__layer_blocks(void *arg, int tb, int te, int tid) {
    const mtl__blocks_args *b = (const mtl__blocks_args *)arg;
    const size_t I = (size_t)b->m->info.intermediate_size;
    int t;
    for (t = tb; t < te; t++) {
        const int r0 = t * b->R, n = b->T - r0 < b->R ? b->T - r0 : b->R;
        float *ff = b->s->ff + (b->ff_own ? (size_t)r0 : (size_t)tid * (size_t)b->R) * I;
        mtl__layer_rows(b->m, b->L, b->s, r0, n, ff, b->s->pack + (size_t)tid * b->ps, NULL);
    }
}

/* One encoder layer, in place on x[T,H]. */
static void mtl__layer_forward(const mtl_model *m, const mtl__layer *L, mtl__scratch *s, int T, int n_seq, int max_len, mtl__pool *nt) {
    const int H = m->info.hidden_size, I = m->info.intermediate_size;
    const size_t H3 = 3 * (size_t)H;
    if (L->qkv_b)   /* q | k | v [T,3H]: one product of 3H columns (the packed weights are adjacent) */
        mtl__matmul_forward(s->q, H3, s->x, NULL, 0, L->q_p, L->qkv_b, NULL, T, H, 3 * H, 0, s->pack, nt);
    else {
        mtl__matmul_forward(s->q, H3, s->x, L->q_w, L->wt[0], L->q_p, L->q_b, NULL, T, H, H, 0, s->pack, nt);
        mtl__matmul_forward(s->k, H3, s->x, L->k_w, L->wt[1], L->k_p, L->k_b, NULL, T, H, H, 0, s->pack, nt);
        mtl__matmul_forward(s->v, H3, s->x, L->v_w, L->wt[2], L->v_p, L->v_b, NULL, T, H, H, 0, s->pack, nt);
    }
    {
        mtl__attn a;
        memset(&a, 0, sizeof a);
        a.att = s->att; a.q = s->q; a.k = s->k; a.v = s->v; a.ld = H3; a.starts = s->starts;
        a.H = H; a.nh = m->info.n_heads; a.hd = H / a.nh; a.max_len = max_len;
        a.scratch = s->scores; a.stride = (size_t)mtl__attn_floats((uint64_t)max_len, (uint64_t)a.hd, 0);
        mtl__attention_forward(&a, n_seq, nt);
    }
    {
        mtl__blocks_args b;
        b.R = mtl__layer_block_rows(m, T, nt);
        if (b.R) {
            b.m = m; b.L = L; b.s = s; b.T = T; b.ps = mtl__layer_pack_floats(m, T);
            b.ff_own = (int64_t)mtl__pool_threads(nt) * b.R > T;   /* a thread's area each would not fit */
            mtl__parallel(nt, (T + b.R - 1) / b.R, 2.0 * (double)T * (double)H * (double)(H + 2 * I), mtl__layer_blocks, &b);
            return;
        }
    }
    mtl__layer_rows(m, L, s, 0, T, s->ff, s->pack, nt);
}

/* emb[n_seq,H] from the last hidden state x[T,H]. */
static void mtl__pool_forward(float *emb, const mtl_model *m, const float *x, const int32_t *starts, int n_seq,
                              mtl_pooling pool, int normalize) {   /* the training poolings, per input */
    const int H = m->info.hidden_size;
    int s;
    for (s = 0; s < n_seq; s++) {
        float *e = emb + (size_t)s * (size_t)H;
        const float *x0 = x + (size_t)starts[s] * (size_t)H;
        const int L = starts[s + 1] - starts[s];
        if (pool == MTL_POOL_MEAN) mtl_pool_mean_forward(e, x0, NULL, 1, L, H);
        else if (pool == MTL_POOL_MAX) mtl_pool_max_forward(e, NULL, x0, NULL, 1, L, H);
        else if (pool == MTL_POOL_POOLER) {   /* tanh(W x[CLS] + b), the linear of the heads */
            int h;
            mtl_linear_forward(e, x0, m->pool_w, m->pool_b, 1, H, H);
            for (h = 0; h < H; h++) e[h] = tanhf(e[h]);
        } else mtl_pool_cls_forward(e, x0, 1, L, H);
        if (normalize) mtl_l2norm_forward(e, e, 1, H);
    }
}

/* ---------------------------------------------------------------------------------------------- */
/* Arena plan and the public entry points                                                         */
/* ---------------------------------------------------------------------------------------------- */
/* Bytes for n_seq inputs, T tokens in all, the longest max_len; fills the views when base != NULL. */
/* Sizes in 64 bits: a batch whose scratch does not fit the address space gives (size_t)-1 (32-bit). */
static size_t mtl__plan(const mtl_model *m, int n_seq, size_t T_, int max_len, int n_threads, unsigned char *base, mtl__scratch *s) {
    const uint64_t H = (uint64_t)m->info.hidden_size, I = (uint64_t)m->info.intermediate_size, T = T_;
    uint64_t nt = (uint64_t)(n_threads > 1 ? n_threads : 1), off = 0;
    uint64_t sz[11];
    void **dst[11];
    int k;
    mtl__scratch dummy;
    if (!s) s = &dummy;
    if (nt > MTL__MAX_THREADS) nt = MTL__MAX_THREADS;
    sz[0] = T * H * 4; sz[1] = 3 * T * H * 4; sz[2] = 0; sz[3] = 0; sz[4] = T * H * 4; sz[5] = T * H * 4;  /* q|k|v rows */
    sz[6] = T * I * 4; sz[7] = nt * mtl__attn_floats((uint64_t)max_len, H / (uint64_t)m->info.n_heads, 0) * 4;
    sz[8] = T * 4 * 2; sz[9] = ((uint64_t)n_seq + 1) * sizeof(int32_t);
    {   /* per thread: mtl__layer_pack_floats */
        const int tr = T_ > (size_t)INT32_MAX ? INT32_MAX : (int)T_;   /* the rows of a product */
        sz[10] = nt * (uint64_t)mtl__layer_pack_floats(m, tr) * 4;
    }
    dst[0] = (void **)&s->x; dst[1] = (void **)&s->q; dst[2] = (void **)&s->k; dst[3] = (void **)&s->v;
    dst[4] = (void **)&s->att; dst[5] = (void **)&s->tmp; dst[6] = (void **)&s->ff; dst[7] = (void **)&s->scores;
    dst[8] = (void **)&s->ids; dst[9] = (void **)&s->starts; dst[10] = (void **)&s->pack;
    for (k = 0; k < 11; k++) {
        if (base) *dst[k] = base + (size_t)off;
        off += (sz[k] + 63) & ~(uint64_t)63;
    }
    if (base) { s->types = s->ids + T_; s->k = s->q + H; s->v = s->q + 2 * H; }
    return off + 64 > (uint64_t)SIZE_MAX ? (size_t)-1 : (size_t)(off + 64); /* + room to align the base */
}

/* The longest input the position table allows: max_position, less padding_idx + 1 under RoBERTa's
   position ids (they start at padding_idx + 1). */
static int mtl__max_len(const mtl_model_info *c) {
    return c->position_padding_idx >= 0 ? c->max_position - c->position_padding_idx - 1 : c->max_position;
}

MTLDEF size_t mtl_arena_bytes(const mtl_model *m, int batch, int max_len, int n_threads) {
    if (!m || batch < 1 || max_len < 1) return 0;
    if (max_len > mtl__max_len(&m->info)) max_len = mtl__max_len(&m->info);
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
    if (limit > mtl__max_len(&m->info)) limit = mtl__max_len(&m->info);
    pool = eo.pooling == MTL_POOL_DEFAULT ? m->info.pooling : eo.pooling;
    /* one unsigned test catches negatives too: an enum may be unsigned (arm-none-eabi: -Wtype-limits) */
    if ((unsigned)pool > (unsigned)MTL_POOL_POOLER) return mtl__ctx_err(ctx, err, MTL_ERR_ARG, "unknown pooling %d", (int)pool, 0);
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
            if (seqs[i].type_ids && m->info.type_vocab_size > 1 && (seqs[i].type_ids[k] < 0 || seqs[i].type_ids[k] >= m->info.type_vocab_size))
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
    if (need == (size_t)-1) return mtl__ctx_err(ctx, err, MTL_ERR_NOMEM, "the batch is too large for this address space", 0, 0);
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
            s.types[st + k] = seqs[i].type_ids && m->info.type_vocab_size > 1 ? seqs[i].type_ids[src] : 0;  /* a 1-row table: type 0 */
        }
        s.starts[i + 1] = st + len;
    }
    /* the data path */
    mtl__embeddings_forward(s.x, m->tok_emb, m->type_emb, m->pos_emb, m->emb_t, s.ids, s.types, s.starts, n, NULL, 0, (int)H,
                            m->info.position_padding_idx);
    mtl__layernorm_forward(s.x, NULL, NULL, s.x, NULL, m->emb_ln_w, m->emb_ln_b, (int)T, (int)H, m->info.layer_norm_eps,
                           (mtl__pool *)ctx->pool);
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

#ifndef MTL_NO_TOKENIZER
/* The text path's store: 2n ints of (length, truncated) per text, then each text's ids and type ids,
   then the mtl_seq array. In ctx->text_ids (grown with MTL_REALLOC), or in mtl_ctx_options.text_mem:
   [the one mtl_encoding][the store ...][free: the encoding's buffer while a text is encoded]. */
static mtl_result mtl__text_reserve(mtl_ctx *ctx, int32_t **st, size_t ints) {
    int32_t *nb;
    size_t nc;
    if (ints <= ctx->text_cap) return MTL_OK;
    if (ctx->opt.text_mem) return MTL_ERR_NOMEM;
    nc = ctx->text_cap ? ctx->text_cap : 1024;
    while (nc < ints) { if (nc > ((size_t)-1) / 8) return MTL_ERR_NOMEM; nc *= 2; }
    nb = (int32_t *)MTL_REALLOC(ctx->text_ids, nc * sizeof(int32_t));
    if (!nb) return MTL_ERR_NOMEM;
    ctx->text_ids = nb;
    ctx->text_cap = nc;
    *st = nb;
    return MTL_OK;
}
#endif

MTLDEF size_t mtl_text_mem_bytes(int n_texts, size_t max_text_bytes, int max_len) {
    /* an input of b bytes has at most b word pieces + the template's specials; while a text is encoded
       the encoding needs 48 bytes per token (12 ints), the store keeps 2 ints per token of the result */
    size_t per = max_text_bytes + 2 * MTL__TMAX, keep = max_len > 0 && (size_t)max_len < per ? (size_t)max_len : per;
    if (n_texts < 1) return 0;
    return ((sizeof(mtl_encoding) + 63) & ~(size_t)63) + 256 + (size_t)n_texts * (8 + 8 * keep + sizeof(mtl_seq)) + 48 * per;
}

MTLDEF mtl_result mtl_forward_texts(mtl_ctx *ctx, int n, const char *const *texts, const size_t *lens,
                                    const char *const *texts_b, const size_t *lens_b,
                                    const mtl_embed_options *opt, mtl_forward_out *out, mtl_error *err) {
#ifdef MTL_NO_TOKENIZER   /* no reference to the encoder, so none of it is linked */
    (void)n; (void)texts; (void)lens; (void)texts_b; (void)lens_b; (void)opt; (void)out;
    if (!ctx) return mtl__err(err, MTL_ERR_ARG, "no context");
    return mtl__ctx_err(ctx, err, MTL_ERR_UNSUPPORTED, "no tokenizer: this build has MTL_NO_TOKENIZER (use mtl_forward with token ids)", 0, 0);
#else
    const mtl_model *m;
    mtl_encode_options enc_opt;
    mtl_seq seq_buf[16], *seqs = seq_buf;
    mtl_encoding *e;
    int32_t *st = NULL;
    size_t used, pos;
    int i, limit, extra_trunc = 0;
    mtl_result r;
    memset(seq_buf, 0, sizeof seq_buf);
    if (!ctx || !ctx->model) return mtl__err(err, MTL_ERR_ARG, "no context");
    m = ctx->model;
    if (n < 0 || (n > 0 && !texts) || !out) return mtl__ctx_err(ctx, err, MTL_ERR_ARG, "bad arguments", 0, 0);
    if (!m->tok) return mtl__ctx_err(ctx, err, MTL_ERR_UNSUPPORTED, "this model has no tokenizer", 0, 0);
    limit = opt && opt->max_length > 0 ? opt->max_length : m->info.max_seq_length;
    if (limit > mtl__max_len(&m->info)) limit = mtl__max_len(&m->info);
    if (ctx->opt.text_mem) {   /* caller memory: [encoding][store] */
        unsigned char *b = (unsigned char *)ctx->opt.text_mem, *a = b + (64 - (uintptr_t)b % 64) % 64;
        size_t head = (size_t)(a - b) + ((sizeof *e + 63) & ~(size_t)63);
        if (ctx->opt.text_mem_size < head + 256) return mtl__ctx_err(ctx, err, MTL_ERR_NOMEM, "mtl_ctx_options.text_mem is too small (see mtl_text_mem_bytes)", 0, 0);
        e = (mtl_encoding *)(void *)a;
        st = (int32_t *)(void *)(b + head);
        ctx->text_cap = (ctx->opt.text_mem_size - head) / sizeof(int32_t);
    } else {
        if (!ctx->enc) {
            ctx->enc = (mtl_encoding *)MTL_MALLOC(sizeof *ctx->enc);
            if (!ctx->enc) return mtl__ctx_err(ctx, err, MTL_ERR_NOMEM, "out of memory", 0, 0);
            memset(ctx->enc, 0, sizeof *ctx->enc);
            ctx->n_enc = 1;
        }
        e = ctx->enc;
        st = ctx->text_ids;
    }
    memset(&enc_opt, 0, sizeof enc_opt);
    enc_opt.max_length = limit;
    used = 2 * (size_t)n;
    if (mtl__text_reserve(ctx, &st, used + 16)) goto nomem;
    for (i = 0; i < n; i++) {
        size_t la = lens ? lens[i] : strlen(texts[i]);
        int k;
        if (ctx->opt.text_mem) mtl_encoding_init_buffer(e, st + used, (ctx->text_cap - used) * sizeof(int32_t));
        if (texts_b) {
            size_t lb = lens_b ? lens_b[i] : strlen(texts_b[i]);
            r = mtl_encode_pair(m->tok, texts[i], la, texts_b[i], lb, &enc_opt, e, &ctx->err);
        } else {
            r = mtl_encode(m->tok, texts[i], la, &enc_opt, e, &ctx->err);
        }
        if (r == MTL_ERR_NOMEM && ctx->opt.text_mem) goto nomem;
        if (r) { if (err) *err = ctx->err; return r; }
        k = e->n;
        if (mtl__text_reserve(ctx, &st, used + 2 * (size_t)k + 16)) goto nomem;
        if (st + used != e->ids) memmove(st + used, e->ids, (size_t)k * sizeof(int32_t));   /* text_mem: in place already */
        memmove(st + used + k, e->type_ids, (size_t)k * sizeof(int32_t));
        st[2 * i] = k;
        st[2 * i + 1] = e->truncated;
        used += 2 * (size_t)k;
    }
    if (n > 16) {   /* the mtl_seq array after the ids, 64-byte aligned */
        size_t at = (used + 15) & ~(size_t)15;
        if (mtl__text_reserve(ctx, &st, at + ((size_t)n * sizeof *seqs + 3) / 4)) goto nomem;
        seqs = (mtl_seq *)(void *)(st + at);
    }
    for (i = 0, pos = 2 * (size_t)n; i < n; i++) {
        seqs[i].ids = st + pos;
        seqs[i].type_ids = st + pos + st[2 * i];
        seqs[i].n = st[2 * i];
        pos += 2 * (size_t)st[2 * i];
    }
    r = mtl_forward(ctx, seqs, n, opt, out, err);
    if (!r) {
        for (i = 0; i < n; i++) {
            if (st[2 * i + 1]) {
                extra_trunc++;
                if (out->truncated) out->truncated[i] = 1;
            }
        }
        out->n_truncated += extra_trunc;
    }
    return r;
nomem:
    if (ctx->opt.text_mem)
        return mtl__ctx_err(ctx, err, MTL_ERR_NOMEM, "mtl_ctx_options.text_mem (%d bytes) is too small for these texts (see mtl_text_mem_bytes)",
                            (int)(ctx->opt.text_mem_size > 0x7FFFFFFF ? 0x7FFFFFFF : ctx->opt.text_mem_size), 0);
    return mtl__ctx_err(ctx, err, MTL_ERR_NOMEM, "out of memory", 0, 0);
#endif
}

MTLDEF mtl_result mtl_embed(mtl_ctx *ctx, const char *text, size_t len, float *emb, mtl_error *err) {
    mtl_forward_out out;
    memset(&out, 0, sizeof out);
    out.embeddings = emb;
    return mtl_forward_texts(ctx, 1, &text, &len, NULL, NULL, NULL, &out, err);
}


/* ============================================================================================== */
/*                training: heads, losses, optimizers, schedules (implementation)                 */
/* ============================================================================================== */

#include <string.h>
#include <math.h>

/* ---------------------------------------------------------------------------------------------- */
/* Ops                                                                                            */
/* ---------------------------------------------------------------------------------------------- */
/* The library's linear (mtl__matmul_forward, mtl__linear_backward) on the caller's thread, with the
   matrix kernel's scratch on the stack: (32 + 14) x MTL_KC floats (47 KB; -DMTL_KC=64 for 12 KB). */
MTLDEF void mtl_linear_forward(float *y, const float *x, const float *w, const float *b, int n, int in, int out) {
    float scratch[(2 * MTL__NB + MTL__MRMAX) * MTL_KC];
    mtl__matmul_forward(y, (size_t)out, x, w, 0, NULL, b, NULL, n, in, out, 0, scratch, NULL);
}
MTLDEF void mtl_linear_backward(float *dx, float *dw, float *db, const float *dy, const float *x, const float *w,
                                int n, int in, int out) {
    float scratch[(2 * MTL__NB + MTL__MRMAX) * MTL_KC];
    mtl__linear_backward(dx, dw, db, dy, x, w, n, in, out, scratch, 0, NULL);
}

MTLDEF void mtl_gelu_forward(float *y, const float *x, size_t n) { mtl__gelu(y, x, n); }
MTLDEF void mtl_gelu_backward(float *dx, const float *dy, const float *x, size_t n) { mtl__gelu_grad(dx, dy, x, n, 1); }

MTLDEF void mtl_relu_forward(float *y, const float *x, size_t n) {
    size_t i;
    for (i = 0; i < n; i++) y[i] = x[i] > 0.0f ? x[i] : 0.0f;
}
MTLDEF void mtl_relu_backward(float *dx, const float *dy, const float *x, size_t n) {
    size_t i;
    for (i = 0; i < n; i++) if (x[i] > 0.0f) dx[i] += dy[i];
}
MTLDEF void mtl_tanh_forward(float *y, const float *x, size_t n) {
    size_t i;
    for (i = 0; i < n; i++) y[i] = tanhf(x[i]);
}
MTLDEF void mtl_tanh_backward(float *dx, const float *dy, const float *x, size_t n) {
    size_t i;
    for (i = 0; i < n; i++) {
        const float y = tanhf(x[i]);
        dx[i] += dy[i] * (1.0f - y * y);
    }
}

MTLDEF uint64_t mtl_rand_seed(uint64_t base, uint64_t step, uint64_t site) {
    return mtl__mix64(mtl__mix64(mtl__mix64(base) ^ step) ^ site);
}
MTLDEF float mtl_rand_uniform(uint64_t seed, uint64_t i) { return mtl__rand_u(seed, i); }

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
        for (i = 0; i < n; i++) y[i] = mtl__drop_keep(seed, i, p) ? x[i] * scale : 0.0f;
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
        for (i = 0; i < n; i++) if (mtl__drop_keep(seed, i, p)) dx[i] += dy[i] * scale;
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
        float nrm = sqrtf(mtl__lane_dot(xi, xi, d));   /* in float: 16 fixed lanes */
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
        if (b == -2 && !r->train_pooler) p->t[i].trainable = 0;
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
                if (tb == -2) tb = -3;   /* a trainable pooler: the heads' block */
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
    else if (c->act == MTL_ACT_TANH) mtl_tanh_forward(act, pre, nh);
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
    else if (c->act == MTL_ACT_TANH) mtl_tanh_backward(dact, act, pre, nh);
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
MTL__HOT MTLDEF float mtl_norm2(const float *x, size_t n) {
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

/* Adam / AdamW on w, m, v [0, n): the optimizer's loop below, elementwise, its operations in its
   order; c = beta1, 1 - beta1, beta2, 1 - beta2, sqrt(bias correction 2), eps, -lr / bc1,
   1 - lr wd, wd. mode: 1 AdamW (decay), 2 Adam with L2 (wd != 0), 0 Adam. The vector form (AVX2,
   also on AVX-512 CPUs: the loop streams 28 bytes a parameter, memory-bound at either width) does 8
   at a time with no fused multiply-add (fp-contract off), so its bits are those of the scalar form;
   isa: mtl__isa() (test_train_parts compares the two). It was AVX-512 only, and the scalar loop on
   AVX2 CPUs: with mtl__gelu_grad256, one epoch of the bench/train recipe on an AMD EPYC (Zen 2)
   went from 23.2-23.6 to 16.5 s. */
#ifdef MTL__X86
#if defined(__clang__)   /* clang fuses intrinsics only under an explicit -ffp-contract=fast */
__attribute__((target("avx2")))
#else
__attribute__((target("avx2"), optimize("O2", "fp-contract=off")))
#endif
static size_t mtl__adam_avx2(float *w, const float *gr, float *m, float *v, size_t n, const float *c, int mode) {
    const __m256 b1 = _mm256_set1_ps(c[0]), ob1 = _mm256_set1_ps(c[1]), b2 = _mm256_set1_ps(c[2]), ob2 = _mm256_set1_ps(c[3]);
    const __m256 bc2s = _mm256_set1_ps(c[4]), eps = _mm256_set1_ps(c[5]), step = _mm256_set1_ps(c[6]);
    const __m256 decay = _mm256_set1_ps(c[7]), wd = _mm256_set1_ps(c[8]);
    size_t k;
    for (k = 0; k + 8 <= n; k += 8) {
        __m256 d = _mm256_loadu_ps(gr + k), wk = _mm256_loadu_ps(w + k), mk, vk, den;
        if (mode == 1) wk = _mm256_mul_ps(wk, decay);
        else if (mode == 2) d = _mm256_add_ps(d, _mm256_mul_ps(wd, wk));
        mk = _mm256_add_ps(_mm256_mul_ps(_mm256_loadu_ps(m + k), b1), _mm256_mul_ps(ob1, d));
        vk = _mm256_add_ps(_mm256_mul_ps(_mm256_loadu_ps(v + k), b2), _mm256_mul_ps(_mm256_mul_ps(ob2, d), d));
        den = _mm256_add_ps(_mm256_div_ps(_mm256_sqrt_ps(vk), bc2s), eps);
        _mm256_storeu_ps(m + k, mk);
        _mm256_storeu_ps(v + k, vk);
        _mm256_storeu_ps(w + k, _mm256_add_ps(wk, _mm256_div_ps(_mm256_mul_ps(step, mk), den)));
    }
    return k;   /* the elements done; the scalar loop does the rest */
}
#endif
static void mtl__adam(float *w, const float *gr, float *m, float *v, size_t n, const float *c, int mode, int isa) {
    size_t k = 0;
#ifdef MTL__X86
    if (isa >= MTL__ISA_AVX2) k = mtl__adam_avx2(w, gr, m, v, n, c, mode);
#else
    (void)isa;
#endif
    for (; k < n; k++) {
        float d = gr[k], mm, vv, denom;
        if (mode == 1) w[k] = w[k] * c[7];                                 /* param.mul_(1 - lr*wd)    */
        else if (mode == 2) d = d + c[8] * w[k];                           /* grad.add(param, alpha=wd)*/
        mm = m[k] * c[0];                                                  /* exp_avg.mul_(beta1)      */
        m[k] = mm + c[1] * d;                                              /*   .add_(g, 1-beta1)      */
        vv = v[k] * c[2];                                                  /* exp_avg_sq.mul_(beta2)   */
        v[k] = vv + c[3] * d * d;                                          /*   .addcmul_(g, g, 1-b2)  */
        denom = sqrtf(v[k]) / c[4] + c[5];                                 /* sqrt(v)/sqrt(bc2) + eps  */
        w[k] = w[k] + c[6] * m[k] / denom;                                 /* addcdiv_(m, denom, -lr/bc1) */
    }
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
            float cst[9];
            cst[0] = (float)c->beta1; cst[1] = (float)(1.0 - c->beta1); cst[2] = (float)c->beta2; cst[3] = (float)(1.0 - c->beta2);
            cst[4] = (float)sqrt(bc2); cst[5] = (float)c->eps; cst[6] = (float)(-(lr / bc1)); cst[7] = (float)(1.0 - lr * wd);
            cst[8] = (float)wd;
            mtl__adam(w, gr, m, v, n, cst, c->type == MTL_OPTIM_ADAMW ? 1 : wd != 0.0 ? 2 : 0, mtl__isa());
        }
    }
    mtl__ok(err);
    return MTL_OK;
}


/* ============================================================================================== */
/*                      training: backbone forward/backward (implementation)                      */
/* ============================================================================================== */

#include <string.h>
#include <math.h>

/* ---------------------------------------------------------------------------------------------- */
/* Layer functions, in data-path order. They run on T packed rows: the real tokens of the batch,   */
/* one sequence after the other (mtl__bt_pack), so no work is spent on padding.                    */
/* "=" outputs are overwritten, "+=" outputs accumulate (param grads, and dx where noted).         */
/* ---------------------------------------------------------------------------------------------- */

/* ---- packing: the real tokens of a padded batch -------------------------------------------- */
/* A padded batch [B, L] with its attention mask becomes T rows: the tokens with mask != 0 of
   sequence 0 in column order, then those of sequence 1, ... Row r keeps its padded index
   src[r] = b*L + t: its column t is its position id (BERT's positions are 0..L-1 whatever the mask,
   as in HF), and dropout draws its masks from padded indices, so they do not depend on the packing.
   A sequence without any real token keeps all its L positions as rows and is marked empty: it
   attends uniformly over them, which is what HF's additive mask gives when every key is masked.
   Sequence b owns rows start[b] .. start[b+1]-1 (n_b rows); its attention probabilities
   [nh, n_b, n_b] start nh * poff[b] floats into a layer's probs (poff[b] = sum of n^2 before b). */
typedef struct mtl__bt_pack {
    int T, B, L;              /* packed rows; the padded shape [B, L]                          */
    const int32_t *src;       /* [T]   padded index b*L + t of each row                         */
    const int32_t *start;     /* [B+1] first row of each sequence (start[B] = T)               */
    const int32_t *empty;     /* [B]   1: the sequence has no real token                       */
    const size_t *poff;       /* [B+1] probs offset of each sequence, in units of nh floats    */
} mtl__bt_pack;
/* Fills src [B*L at most], start [B+1], empty [B], poff [B+1] from mask [B,L] (NULL: every token
   real). Returns T. */
static int mtl__bt_pack_mask(int32_t *src, int32_t *start, int32_t *empty, size_t *poff, const int32_t *mask, int B, int L) {
    int b, t, T = 0;
    size_t off = 0;
    for (b = 0; b < B; b++) {
        const int32_t *mb = mask ? mask + (size_t)b * (size_t)L : NULL;
        int n_real = 0, n;
        for (t = 0; t < L; t++) n_real += !mb || mb[t] != 0;
        start[b] = T;
        empty[b] = n_real == 0;
        poff[b] = off;
        for (t = 0; t < L; t++)
            if (!n_real || !mb || mb[t]) src[T++] = b * L + t;
        n = T - start[b];
        off += (size_t)n * (size_t)n;
    }
    start[B] = T;
    poff[B] = off;
    return T;
}
/* dst[T,H] = the packed rows of x [B*L, H]   (dst may alias x: a row only moves towards the front) */
static void mtl__bt_gather_rows(float *dst, const float *x, const mtl__bt_pack *pk, int H) {
    int r;
    for (r = 0; r < pk->T; r++)
        if ((size_t)pk->src[r] != (size_t)r || dst != x)
            memmove(dst + (size_t)r * (size_t)H, x + (size_t)pk->src[r] * (size_t)H, (size_t)H * sizeof(float));
}
/* y[B*L, H] = the packed rows x[T,H] at their padded positions, 0 at the others   (y may alias x: a
   row only moves towards the back, so the last one moves first) */
static void mtl__bt_scatter_rows(float *y, const float *x, const mtl__bt_pack *pk, int H) {
    const size_t rows = (size_t)pk->B * (size_t)pk->L;
    size_t p;
    int r;
    for (r = pk->T - 1; r >= 0; r--)
        if ((size_t)pk->src[r] != (size_t)r || y != x)
            memmove(y + (size_t)pk->src[r] * (size_t)H, x + (size_t)r * (size_t)H, (size_t)H * sizeof(float));
    for (p = 0, r = 0; p < rows; p++) {
        if (r < pk->T && (size_t)pk->src[r] == p) { r++; continue; }
        memset(y + p * (size_t)H, 0, (size_t)H * sizeof(float));
    }
}

/* ---- embeddings ---------------------------------------------------------------------------- */
/* e[T,H] = (word[ids] + type[types]) + pos[column];  h[T,H] = LayerNorm(e) (mean, rstd [T] kept).
   ids, types [T]: those of the packed rows. */
static void mtl__bt_layernorm_backward(float *dx, float *dw, float *db, const float *dy, const float *x,
                                       const float *mean, const float *rstd, const float *w, int T, int H);

/* pos_pad: mtl__position's pad (-1: BERT's position ids; else RoBERTa's with padding_idx pos_pad) */
static void mtl__bt_embeddings_forward(float *h, float *e, float *mean, float *rstd, const mtl_backbone_params *p,
                                       const int32_t *ids, const int32_t *types, const mtl__bt_pack *pk, int H, float eps,
                                       int pos_pad) {
    mtl__embeddings_forward(e, p->word_emb, p->type_emb, p->pos_emb, NULL, ids, types, pk->start, pk->B, pk->src, pk->L, H, pos_pad);
    mtl__layernorm_forward(h, mean, rstd, e, NULL, p->emb_ln_w, p->emb_ln_b, pk->T, H, eps, NULL);
}
/* From dh[T,H]: LayerNorm grads (+=), then de[T,H] (scratch) scattered into the three tables (+=) at
   the forward's rows (positions: mtl__position, the forward's rule). Row pad_id of the word table
   gets nothing (HF padding_idx), nor, under RoBERTa's positions (pos_pad >= 0), row pos_pad of the
   position table (HF gives its position_embeddings padding_idx too). Any of g's pointers may be NULL. */
static void mtl__bt_embeddings_backward(mtl_backbone_params *g, float *de, const float *dh, const float *e,
                                        const float *mean, const float *rstd, const mtl_backbone_params *p,
                                        const int32_t *ids, const int32_t *types, const mtl__bt_pack *pk, int H,
                                        int pad_id, int pos_pad) {
    int r, i, b;
    mtl__bt_layernorm_backward(de, g->emb_ln_w, g->emb_ln_b, dh, e, mean, rstd, p->emb_ln_w, pk->T, H);
    for (b = 0; b < pk->B; b++) {
        int count = 0;
        for (r = pk->start[b]; r < pk->start[b + 1]; r++) {
            const float *d = de + (size_t)r * (size_t)H;
            const int pos = mtl__position(ids[r], pk->src[r] % pk->L, &count, pos_pad);
            if (g->word_emb && ids[r] != pad_id) {
                float *o = g->word_emb + (size_t)ids[r] * (size_t)H;
                for (i = 0; i < H; i++) o[i] += d[i];
            }
            if (g->type_emb) {
                float *o = g->type_emb + (size_t)types[r] * (size_t)H;
                for (i = 0; i < H; i++) o[i] += d[i];
            }
            if (g->pos_emb && pos != pos_pad) {
                float *o = g->pos_emb + (size_t)pos * (size_t)H;
                for (i = 0; i < H; i++) o[i] += d[i];
            }
        }
    }
}

/* ---- LayerNorm ----------------------------------------------------------------------------- */
/* The forward is mtl__layernorm_forward, inference's, keeping mean and rstd [T]:
   y[T,H] = (x - mean) * rstd * w + b, rstd = 1/sqrt(var + eps), var biased. */
/* dx[T,H] = rstd * (dy w - mean(dy w) - xhat mean(dy w xhat))   (=, may alias dy)
   dw[H] += sum_t dy xhat,  db[H] += sum_t dy   (each may be NULL); xhat = (x - mean) * rstd.
   float sums in order. */
static void mtl__bt_layernorm_backward(float *dx, float *dw, float *db, const float *dy, const float *x,
                                       const float *mean, const float *rstd, const float *w, int T, int H) {
    int t, i;
    for (t = 0; t < T; t++) {
        const float *dyr = dy + (size_t)t * (size_t)H, *xr = x + (size_t)t * (size_t)H;
        float *dxr = dx + (size_t)t * (size_t)H;
        const float m = mean[t], rs = rstd[t];
        float s1 = 0.0f, s2 = 0.0f, a1, a2;
        for (i = 0; i < H; i++) {
            const float xh = (xr[i] - m) * rs, dn = dyr[i] * w[i];
            s1 += dn;
            s2 += dn * xh;
            if (dw) dw[i] += dyr[i] * xh;
            if (db) db[i] += dyr[i];
        }
        a1 = s1 / (float)H;
        a2 = s2 / (float)H;
        for (i = 0; i < H; i++) {
            const float xh = (xr[i] - m) * rs;
            dxr[i] = (dyr[i] * w[i] - a1 - xh * a2) * rs;
        }
    }
}

/* ---- how a layer runs: threads and per-thread scratch ------------------------------------- */
/* pool: the state's worker threads (NULL: the caller only); thread k's scratch is
   work + k * stride floats (stride = mtl__bt_work_floats). Every parallel loop below splits its
   outputs (column tiles, sequences, element ranges) so each output is computed by exactly one
   thread in the same order: results are bit-identical for any thread count. */
typedef struct mtl__bt_exec {
    mtl__pool *pool;
    float *work; size_t stride;   /* thread k's scratch: work + k * stride floats                  */
} mtl__bt_exec;

/* ---- linear -------------------------------------------------------------------------------- */
/* Every product is C[M,N] (+)= A[M,K] B(K,N) through the library's one matrix kernel (mtl__gemm:
   B packed per task into the thread's scratch, 32 columns per task, k summed in order). */
#define MTL__BT_NB 32   /* columns per task: a thread's scratch holds 32 K floats of packed B */
/* C[M,N] (+)= A[M,K] B(K,N): B row-major [K,N] (b_nk 0) or stored [N,K] (b_nk 1) */
static void mtl__bt_gemm(const mtl__bt_exec *ex, float *C, size_t ldc, const float *A, size_t lda, const float *B,
                         size_t ldb, int b_nk, int M, int N, int K, int accumulate) {
#ifdef MTL_USE_BLAS
    (void)ex;
    cblas_sgemm(CblasRowMajor, CblasNoTrans, b_nk ? CblasTrans : CblasNoTrans, M, N, K, 1.0f, A, (int)lda, B, (int)ldb,
                accumulate ? 1.0f : 0.0f, C, (int)ldc);
#else
    mtl__gemm_args g;
    memset(&g, 0, sizeof g);
    g.C = C; g.ldc = ldc; g.A = A; g.lda = lda; g.B = B; g.ldb = ldb; g.b_nk = b_nk;
    g.M = M; g.N = N; g.K = K; g.accumulate = accumulate; g.scratch = ex->work; g.stride = ex->stride;
    mtl__gemm(&g, ex->pool);
#endif
}
/* y[T,O] = x[T,I] W[O,I]^T + b[O]   (b may be NULL; y must not alias x): the inference linear
   forward, W packed per task into the thread's scratch, the bias added in the kernel's store */
static void mtl__bt_linear_forward(const mtl__bt_exec *ex, float *y, const float *x, const float *W, const float *b,
                                   int T, int I, int O) {
    mtl__matmul_forward(y, (size_t)O, x, W, 0, NULL, b, NULL, T, I, O, 0, ex->work, ex->pool);
}
/* dx[T,I] += dy[T,O] W[O,I];  dW[O,I] += dy^T x (the kernel reading dy transposed);  db[O] += sum_t dy
   (each output may be NULL) */
static void mtl__bt_linear_backward(const mtl__bt_exec *ex, float *dx, float *dW, float *db, const float *dy,
                                    const float *x, const float *W, int T, int I, int O) {
    mtl__linear_backward(dx, dW, db, dy, x, W, T, I, O, ex->work, ex->stride, ex->pool);
}

/* ---- GELU (mtl__gelu / mtl__gelu_grad, the inference ones, split over threads) ------------- */
/* y[n] = 0.5 x (1 + erf(x / sqrt 2))   (y may alias x) */
/* dx[n] = dy * (Phi(x) + x phi(x))   (=, dx may alias dy) */
#define MTL__BT_EW 4096   /* elements per task of the element-wise loops */
typedef struct mtl__bt_ew { float *y; const float *x, *dy; size_t n; } mtl__bt_ew;
static void mtl__bt_gelu_fw_tasks(void *arg, int tb, int te, int tid) {
    const mtl__bt_ew *a = (const mtl__bt_ew *)arg;
    size_t i = (size_t)tb * MTL__BT_EW, e = (size_t)te * MTL__BT_EW;
    (void)tid;
    if (e > a->n) e = a->n;
    if (i < e) mtl__gelu(a->y + i, a->x + i, e - i);
}
static void mtl__bt_gelu_bw_tasks(void *arg, int tb, int te, int tid) {
    const mtl__bt_ew *a = (const mtl__bt_ew *)arg;
    size_t i = (size_t)tb * MTL__BT_EW, e = (size_t)te * MTL__BT_EW;
    (void)tid;
    if (e > a->n) e = a->n;
    if (i < e) mtl__gelu_grad(a->y + i, a->dy + i, a->x + i, e - i, 0);
}
static void mtl__bt_gelu_forward(const mtl__bt_exec *ex, float *y, const float *x, size_t n) {
    mtl__bt_ew a;
    a.y = y; a.x = x; a.dy = NULL; a.n = n;
    mtl__parallel(ex->pool, (int)((n + MTL__BT_EW - 1) / MTL__BT_EW), 20.0 * (double)n, mtl__bt_gelu_fw_tasks, &a);
}
static void mtl__bt_gelu_backward(const mtl__bt_exec *ex, float *dx, const float *dy, const float *x, size_t n) {
    mtl__bt_ew a;
    a.y = dx; a.x = x; a.dy = dy; a.n = n;
    mtl__parallel(ex->pool, (int)((n + MTL__BT_EW - 1) / MTL__BT_EW), 40.0 * (double)n, mtl__bt_gelu_bw_tasks, &a);
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
static uint64_t mtl__bt_site(const mtl__bt_drop *d, int layer, int site) {
    return mtl__mix64(mtl__mix64(d->seed ^ mtl__mix64((uint64_t)(layer + 1))) ^ (uint64_t)site);
}
/* x[T,H] = mask(x) * 1/(1-p), in place: the forward of a dropout and, with the same seed, its
   backward. Element (r, i) draws with index src[r]*H + i, its index in the padded [B, L, H]. */
MTL__HOT static void mtl__bt_dropout(float *x, const mtl__bt_pack *pk, int H, float p, uint64_t seed) {
    int r, i;
    float scale;
    if (p <= 0.0f) return;
    if (p >= 1.0f) { memset(x, 0, (size_t)pk->T * (size_t)H * sizeof(float)); return; }
    scale = 1.0f / (1.0f - p);
    for (r = 0; r < pk->T; r++) {
        const size_t e0 = (size_t)pk->src[r] * (size_t)H;
        float *xr = x + (size_t)r * (size_t)H;
        for (i = 0; i < H; i++) xr[i] = mtl__drop_keep(seed, e0 + (size_t)i, p) ? xr[i] * scale : 0.0f;
    }
}
enum { MTL__BT_SITE_ATTN_PROBS = 1, MTL__BT_SITE_ATTN_OUT = 2, MTL__BT_SITE_FFN_OUT = 3, MTL__BT_SITE_EMB = 4 };

/* ---- attention (the softmax core): the one of inference (mtl__attention_forward/_backward) ---- */
/* q, k, v, ctx [T,H] packed; sequence b is input b of the pack; an empty sequence attends uniformly.
   probs keeps p ([nh, n_b, n_b] per sequence at nh * poff[b], mtl__bt_pack) for the backward;
   attention dropout (drop_p > 0) draws its element's index in HF's [B, nh, L, L]. */
static void mtl__bt_attn_of(mtl__attn *a, const mtl__bt_exec *ex, const float *q, const float *k, const float *v,
                            float *probs, const mtl__bt_pack *pk, int H, int nh, float drop_p, uint64_t drop_seed) {
    memset(a, 0, sizeof *a);
    a->q = q; a->k = k; a->v = v; a->ld = (size_t)H; a->starts = pk->start; a->empty = pk->empty;
    a->H = H; a->nh = nh; a->hd = H / nh; a->max_len = pk->L; a->scratch = ex->work; a->stride = ex->stride;
    a->probs = probs; a->poff = pk->poff; a->drop_p = drop_p; a->drop_seed = drop_seed; a->src = pk->src; a->Lpad = pk->L;
}
static void mtl__bt_attention_forward(const mtl__bt_exec *ex, float *ctx, float *probs, const float *q, const float *k,
                                      const float *v, const mtl__bt_pack *pk, int H, int nh, float drop_p,
                                      uint64_t drop_seed) {
    mtl__attn a;
    mtl__bt_attn_of(&a, ex, q, k, v, probs, pk, H, nh, drop_p, drop_seed);
    a.att = ctx;
    mtl__attention_forward(&a, pk->B, ex->pool);
}
/* From dctx[T,H] and the kept probs: dq, dk, dv [T,H] (=). */
static void mtl__bt_attention_backward(const mtl__bt_exec *ex, float *dq, float *dk, float *dv, const float *dctx,
                                       const float *probs, const float *q, const float *k, const float *v,
                                       const mtl__bt_pack *pk, int H, int nh, float drop_p, uint64_t drop_seed) {
    mtl__attn a;
    mtl__bt_attn_of(&a, ex, q, k, v, NULL, pk, H, nh, drop_p, drop_seed);
    a.kept = probs; a.dctx = dctx; a.dq = dq; a.dk = dk; a.dv = dv;
    mtl__attention_backward(&a, pk->B, ex->pool);
}

/* ---- self-attention block: projections + core + output projection ------------------------- */
/* (each block has a plain eval-mode version and a _d version with training-mode dropout) */
/* The activations one encoder layer keeps for its backward (views into the arena). A frozen layer
   points them at scratch (a and g may then alias x and u, probs is NULL). */
typedef struct mtl__bt_cache {
    float *q, *k, *v;           /* [T,H] projections                                */
    float *probs;               /* softmax: [nh, n_b, n_b] per sequence (mtl__bt_pack)  */
    float *ctx;                 /* [T,H] attention context, before the output dense   */
    float *res1;                /* [T,H] ctx Wo^T + bo + x   (LayerNorm 1 input)       */
    float *mean1, *rstd1;       /* [T]                                              */
    float *a;                   /* [T,H] LayerNorm 1 output                          */
    float *u;                   /* [T,I] intermediate dense output (GELU input)       */
    float *g;                   /* [T,I] GELU output (scratch: recomputed in backward) */
    float *res2;                /* [T,H] g W2^T + b2 + a     (LayerNorm 2 input)       */
    float *mean2, *rstd2;       /* [T]                                              */
} mtl__bt_cache;

/* y[T,H] = attention(x Wq^T + bq, x Wk^T + bk, x Wv^T + bv) Wo^T + bo  (q, k, v, probs, ctx kept in c) */
static void mtl__bt_self_attention_forward_d(const mtl__bt_exec *ex, float *y, mtl__bt_cache *c, const float *x,
                                             const mtl_layer_params *p, const mtl__bt_pack *pk, int H, int nh, float attn_p,
                                             uint64_t attn_seed) {
    const int T = pk->T;
    mtl__bt_linear_forward(ex, c->q, x, p->q_w, p->q_b, T, H, H);
    mtl__bt_linear_forward(ex, c->k, x, p->k_w, p->k_b, T, H, H);
    mtl__bt_linear_forward(ex, c->v, x, p->v_w, p->v_b, T, H, H);
    mtl__bt_attention_forward(ex, c->ctx, c->probs, c->q, c->k, c->v, pk, H, nh, attn_p, attn_seed);
    mtl__bt_linear_forward(ex, y, c->ctx, p->o_w, p->o_b, T, H, H);
}
static void mtl__bt_self_attention_forward(const mtl__bt_exec *ex, float *y, mtl__bt_cache *c, const float *x,
                                           const mtl_layer_params *p, const mtl__bt_pack *pk, int H, int nh) {
    mtl__bt_self_attention_forward_d(ex, y, c, x, p, pk, H, nh, 0.0f, 0);
}
/* From dy[T,H]: dx[T,H] += (NULL: not needed), param grads into g (+=, NULL: frozen).
   Scratch: dctx, dq, dk, dv [T,H]. */
static void mtl__bt_self_attention_backward_d(const mtl__bt_exec *ex, float *dx, mtl_layer_params *g, const float *dy,
                                              const float *x, const mtl_layer_params *p, const mtl__bt_cache *c,
                                              float *dctx, float *dq, float *dk, float *dv, const mtl__bt_pack *pk, int H,
                                              int nh, float attn_p, uint64_t attn_seed) {
    const int T = pk->T;
    mtl__bt_linear_backward(ex, NULL, g ? g->o_w : NULL, g ? g->o_b : NULL, dy, c->ctx, p->o_w, T, H, H);
    mtl__bt_gemm(ex, dctx, (size_t)H, dy, (size_t)H, p->o_w, (size_t)H, 0, T, H, H, 0);   /* dctx = dy Wo */
    mtl__bt_attention_backward(ex, dq, dk, dv, dctx, c->probs, c->q, c->k, c->v, pk, H, nh, attn_p, attn_seed);
    mtl__bt_linear_backward(ex, dx, g ? g->q_w : NULL, g ? g->q_b : NULL, dq, x, p->q_w, T, H, H);
    mtl__bt_linear_backward(ex, dx, g ? g->k_w : NULL, g ? g->k_b : NULL, dk, x, p->k_w, T, H, H);
    mtl__bt_linear_backward(ex, dx, g ? g->v_w : NULL, g ? g->v_b : NULL, dv, x, p->v_w, T, H, H);
}
static void mtl__bt_self_attention_backward(const mtl__bt_exec *ex, float *dx, mtl_layer_params *g, const float *dy,
                                            const float *x, const mtl_layer_params *p, const mtl__bt_cache *c,
                                            float *dctx, float *dq, float *dk, float *dv, const mtl__bt_pack *pk, int H,
                                            int nh) {
    mtl__bt_self_attention_backward_d(ex, dx, g, dy, x, p, c, dctx, dq, dk, dv, pk, H, nh, 0.0f, 0);
}

/* ---- encoder layer ------------------------------------------------------------------------- */
/* h[T,H] = LN2(down(gelu(up(a))) + a),  a = LN1(self_attention(x) + x)   (h may alias x when the
   cache lives in scratch with a == x: the frozen in-place forward). */
/* drop: training-mode dropout of layer `layer` (NULL: none). */
static void mtl__bt_layer_forward_d(const mtl__bt_exec *ex, float *h, mtl__bt_cache *c, const float *x, const mtl_layer_params *p,
                                    const mtl__bt_pack *pk, int H, int I, int nh, float eps, const mtl__bt_drop *drop,
                                    int layer) {
    const int T = pk->T;
    const size_t TH = (size_t)T * (size_t)H, TI = (size_t)T * (size_t)I;
    const float hp = drop ? drop->hidden_p : 0.0f;
    if (drop && drop->attn_p > 0.0f)                                             /* res1 = attn(x)      */
        mtl__bt_self_attention_forward_d(ex, c->res1, c, x, p, pk, H, nh, drop->attn_p,
                                         mtl__bt_site(drop, layer, MTL__BT_SITE_ATTN_PROBS));
    else mtl__bt_self_attention_forward(ex, c->res1, c, x, p, pk, H, nh);
    if (hp > 0.0f) mtl__bt_dropout(c->res1, pk, H, hp, mtl__bt_site(drop, layer, MTL__BT_SITE_ATTN_OUT));
    mtl__bt_residual_forward(c->res1, c->res1, x, TH);                          /* res1 += x           */
    mtl__layernorm_forward(c->a, c->mean1, c->rstd1, c->res1, NULL, p->ln1_w, p->ln1_b, T, H, eps, ex->pool); /* a */
    mtl__bt_linear_forward(ex, c->u, c->a, p->up_w, p->up_b, T, H, I);          /* u [T,I]            */
    mtl__bt_gelu_forward(ex, c->g, c->u, TI);                                   /* g = gelu(u)        */
    mtl__bt_linear_forward(ex, c->res2, c->g, p->down_w, p->down_b, T, I, H);   /* res2 = down(g)     */
    if (hp > 0.0f) mtl__bt_dropout(c->res2, pk, H, hp, mtl__bt_site(drop, layer, MTL__BT_SITE_FFN_OUT));
    mtl__bt_residual_forward(c->res2, c->res2, c->a, TH);                       /* res2 += a          */
    mtl__layernorm_forward(h, c->mean2, c->rstd2, c->res2, NULL, p->ln2_w, p->ln2_b, T, H, eps, ex->pool); /* h */
}
static void mtl__bt_layer_forward(const mtl__bt_exec *ex, float *h, mtl__bt_cache *c, const float *x, const mtl_layer_params *p,
                                  const mtl__bt_pack *pk, int H, int I, int nh, float eps) {
    mtl__bt_layer_forward_d(ex, h, c, x, p, pk, H, I, nh, eps, NULL, 0);
}
/* From dh[T,H] (the gradient of the layer output): dx[T,H] (=, NULL: not needed) and param grads
   into g (+=, NULL: frozen). The cache must be a kept one (c->g is scratch [T,I], recomputed).
   Scratch: da, dres, dctx, dq, dk, dv [T,H]; dff [T,I] is c->g. */
static void mtl__bt_layer_backward_d(const mtl__bt_exec *ex, float *dx, mtl_layer_params *g, const float *dh, const float *x,
                                     const mtl_layer_params *p, const mtl__bt_cache *c, float *da, float *dres,
                                     float *dctx, float *dq, float *dk, float *dv, const mtl__bt_pack *pk, int H,
                                     int I, int nh, const mtl__bt_drop *drop, int layer) {
    const int T = pk->T;
    const size_t TH = (size_t)T * (size_t)H, TI = (size_t)T * (size_t)I;
    const float hp = drop ? drop->hidden_p : 0.0f;
    float *dff = c->g;
    /* h = LN2(res2) */
    mtl__bt_layernorm_backward(dres, g ? g->ln2_w : NULL, g ? g->ln2_b : NULL, dh, c->res2, c->mean2, c->rstd2, p->ln2_w, T, H);
    /* res2 = down(g) + a: the residual branch gets dres as is */
    memset(da, 0, TH * sizeof(float));
    mtl__bt_residual_backward(da, NULL, dres, TH);
    /* the FFN-output dropout (training): the down branch gets mask * dres */
    if (hp > 0.0f) mtl__bt_dropout(dres, pk, H, hp, mtl__bt_site(drop, layer, MTL__BT_SITE_FFN_OUT));
    /* down: dW needs g = gelu(u) (recomputed into dff), then dff = dres W2 */
    if (g) {
        mtl__bt_gelu_forward(ex, dff, c->u, TI);
        mtl__bt_linear_backward(ex, NULL, g->down_w, g->down_b, dres, dff, p->down_w, T, I, H);
    }
    mtl__bt_gemm(ex, dff, (size_t)I, dres, (size_t)H, p->down_w, (size_t)I, 0, T, I, H, 0);   /* dff = dres W2 */
    /* g = gelu(u) */
    mtl__bt_gelu_backward(ex, dff, dff, c->u, TI);
    /* u = up(a) */
    mtl__bt_linear_backward(ex, da, g ? g->up_w : NULL, g ? g->up_b : NULL, dff, c->a, p->up_w, T, H, I);
    /* a = LN1(res1) */
    mtl__bt_layernorm_backward(dres, g ? g->ln1_w : NULL, g ? g->ln1_b : NULL, da, c->res1, c->mean1, c->rstd1, p->ln1_w, T, H);
    /* res1 = self_attention(x) + x */
    if (dx) { memset(dx, 0, TH * sizeof(float)); mtl__bt_residual_backward(dx, NULL, dres, TH); }
    if (hp > 0.0f) mtl__bt_dropout(dres, pk, H, hp, mtl__bt_site(drop, layer, MTL__BT_SITE_ATTN_OUT));
    if (drop && drop->attn_p > 0.0f)
        mtl__bt_self_attention_backward_d(ex, dx, g, dres, x, p, c, dctx, dq, dk, dv, pk, H, nh, drop->attn_p,
                                          mtl__bt_site(drop, layer, MTL__BT_SITE_ATTN_PROBS));
    else mtl__bt_self_attention_backward(ex, dx, g, dres, x, p, c, dctx, dq, dk, dv, pk, H, nh);
}
static void mtl__bt_layer_backward(const mtl__bt_exec *ex, float *dx, mtl_layer_params *g, const float *dh, const float *x,
                                   const mtl_layer_params *p, const mtl__bt_cache *c, float *da, float *dres,
                                   float *dctx, float *dq, float *dk, float *dv, const mtl__bt_pack *pk, int H,
                                   int I, int nh) {
    mtl__bt_layer_backward_d(ex, dx, g, dh, x, p, c, da, dres, dctx, dq, dk, dv, pk, H, I, nh, NULL, 0);
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

/* RoBERTa's padding_idx of the position ids (mtl__position), -1: BERT's */
static int mtl__bt_pos_pad(const mtl_backbone_config *c) { return c->roberta_positions ? c->pad_token_id : -1; }
/* the longest sequence the position table allows */
static int mtl__bt_max_len(const mtl_backbone_config *c) { return c->roberta_positions ? c->max_position - c->pad_token_id - 1 : c->max_position; }

static int mtl__bt_config_ok(const mtl_backbone_config *c) {
    return c && c->vocab_size > 0 && c->hidden_size > 0 && c->n_layers >= 0 && c->n_heads > 0 &&
           c->hidden_size % c->n_heads == 0 && c->intermediate_size > 0 && c->max_position > 0 &&
           c->type_vocab_size > 0 && c->layer_norm_eps >= 0.0f &&
           (!c->roberta_positions || (c->pad_token_id >= 0 && c->pad_token_id < c->max_position - 1));
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
/* A thread's work buffer: attention's panels and blocks (mtl__attn_floats), or the matrix kernel's
   (mtl__gemm_floats, K <= max(H, I, B*L), A transposed). */
static size_t mtl__bt_work_floats(const mtl_backbone_config *c, int B, int L) {
    const size_t att = (size_t)mtl__attn_floats((uint64_t)L, (uint64_t)(c->hidden_size / c->n_heads), 1);
    size_t m = (size_t)(c->hidden_size > c->intermediate_size ? c->hidden_size : c->intermediate_size);
    if ((size_t)B * (size_t)L > m) m = (size_t)B * (size_t)L;
    m = mtl__gemm_floats(m < MTL_KC ? (int)m : MTL_KC, 1);
    return att > m ? att : m;
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
        st->s_da = st->s_dh0 = st->s_dh1 = st->s_x = NULL;
    }
    MTL__BT_TAKE(st->ids, int32_t, Ti);
    MTL__BT_TAKE(st->types, int32_t, Ti);
    MTL__BT_TAKE(st->src, int32_t, Ti);
    MTL__BT_TAKE(st->seq_start, int32_t, mtl__bt_al(((size_t)B + 1) * 4));
    MTL__BT_TAKE(st->seq_empty, int32_t, mtl__bt_al((size_t)B * 4));
    MTL__BT_TAKE(st->seq_poff, size_t, mtl__bt_al(((size_t)B + 1) * sizeof(size_t)));
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
    MTL__BT_TAKE(st->s_work, float, mtl__bt_al(mtl__bt_work_floats(c, B, L) * 4));
    if (trains) {
        MTL__BT_TAKE(st->s_da, float, TH);
        MTL__BT_TAKE(st->s_dh0, float, TH);
        MTL__BT_TAKE(st->s_dh1, float, TH);
        MTL__BT_TAKE(st->s_x, float, TH);
    }
#undef MTL__BT_TAKE
    return off + 64; /* + room to align the base */
}

static int mtl__bt_args_ok(const mtl_backbone_config *c, int B, int L, int n_train) {
    return mtl__bt_config_ok(c) && B > 0 && L > 0 && L <= mtl__bt_max_len(c) && n_train >= 0 && n_train <= c->n_layers;
}
/* An upper bound of mtl__bt_plan in doubles (with a 2x margin for the alignment): a shape whose arena
   does not fit size_t (32-bit) is refused instead of wrapping around. */
static int mtl__bt_fits(const mtl_backbone_config *c, int B, int L) {
    const double T = (double)B * (double)L, H = (double)c->hidden_size, I = (double)c->intermediate_size;
    const double TH = T * H * 4, layer = 7 * TH + T * I * 4 + (double)B * (double)c->n_heads * (double)L * (double)L * 4 + 16 * T;
    const double work = ((H > I ? H : I) + T) * MTL__BT_NB * 4 + 16.0 * ((double)L + 16) * (H + 16 + 3 * MTL__AQ);
    const double total = (double)(c->n_layers + 1) * (TH + layer) + 11 * TH + 2 * T * (H + I) * 4 + 40 * T + 32.0 * B + work;
    return total + 64.0 * (double)(12 * c->n_layers + 40) < (double)SIZE_MAX / 2;
}

MTLDEF size_t mtl_backbone_arena_bytes(const mtl_backbone_config *c, int batch, int len, int n_trainable_layers,
                                       int embeddings_trainable) {
    if (!mtl__bt_args_ok(c, batch, len, n_trainable_layers) || !mtl__bt_fits(c, batch, len)) return 0;
    return mtl__bt_plan(c, batch, len, n_trainable_layers, embeddings_trainable != 0, NULL, NULL);
}

MTLDEF mtl_result mtl_backbone_init(mtl_backbone_state *st, const mtl_backbone_config *c, int batch, int len,
                                    int n_trainable_layers, int embeddings_trainable, void *arena, size_t arena_size,
                                    mtl_error *err) {
    size_t need;
    if (!st) return mtl__err(err, MTL_ERR_ARG, "no state");
    memset(st, 0, sizeof *st);
    if (!mtl__bt_config_ok(c)) return mtl__err(err, MTL_ERR_ARG, "bad backbone config (sizes must be > 0, heads must divide hidden; roberta_positions needs pad_token_id in 0 .. max_position - 2)");
    if (!mtl__bt_args_ok(c, batch, len, n_trainable_layers))
        return mtl__err(err, MTL_ERR_ARG, "bad shape [%d, %d] or trainable layers %d (0..%d, length <= %d)", batch, len,
                        n_trainable_layers, c->n_layers, mtl__bt_max_len(c));
    if (!mtl__bt_fits(c, batch, len)) return mtl__err(err, MTL_ERR_NOMEM, "shape [%d, %d]: the arena does not fit this address space", batch, len);
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

static void mtl__bt_stop_threads(mtl_backbone_state *st) {
#ifdef MTL__THREADS
    if (st->pool) mtl__pool_free((mtl__pool *)st->pool);
#endif
    if (st->thread_work_mem) MTL_FREE(st->thread_work_mem);
    st->pool = NULL; st->thread_work = NULL; st->thread_work_mem = NULL; st->n_threads = 1;
}
MTLDEF mtl_result mtl_backbone_set_threads(mtl_backbone_state *st, int n_threads, mtl_error *err) {
    if (!st || !st->arena) return mtl__err(err, MTL_ERR_ARG, "bad arguments");
    mtl__bt_stop_threads(st);
#if defined(MTL__THREADS) && !defined(MTL_USE_BLAS)
    if (n_threads > MTL__MAX_THREADS) n_threads = MTL__MAX_THREADS;
    if (n_threads > 1) {
        const size_t w = mtl__bt_work_floats(&st->cfg, st->max_batch, st->max_len);
        st->thread_work_mem = MTL_MALLOC((size_t)n_threads * w * sizeof(float) + 64);
        if (!st->thread_work_mem) return mtl__err(err, MTL_ERR_NOMEM, "out of memory (%zu bytes of thread scratch)", (size_t)n_threads * w * 4);
        /* at a cache line, as the arena: the kernel's panels (16 floats a k) are one line each */
        st->thread_work = (float *)(void *)((unsigned char *)st->thread_work_mem + (64 - (uintptr_t)st->thread_work_mem % 64) % 64);
        st->pool = mtl__pool_new(n_threads);
        if (!st->pool) { mtl__bt_stop_threads(st); return mtl__err(err, MTL_ERR_IO, "cannot start %d threads", n_threads - 1); }
        st->n_threads = n_threads;
    }
#else
    (void)n_threads;
#endif
    mtl__ok(err);
    return MTL_OK;
}
/* how the layers of this state run */
static mtl__bt_exec mtl__bt_exec_of(const mtl_backbone_state *st) {
    mtl__bt_exec ex;
    ex.pool = (mtl__pool *)st->pool;
    ex.work = st->thread_work ? st->thread_work : st->s_work;
    ex.stride = mtl__bt_work_floats(&st->cfg, st->max_batch, st->max_len);
    return ex;
}
MTLDEF void mtl_backbone_free(mtl_backbone_state *st) {
    if (!st) return;
    mtl__bt_stop_threads(st);
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
/* the packing of the last forward */
static mtl__bt_pack mtl__bt_pack_of(const mtl_backbone_state *st) {
    mtl__bt_pack pk;
    pk.T = st->n_rows; pk.B = st->batch; pk.L = st->len;
    pk.src = st->src; pk.start = st->seq_start; pk.empty = st->seq_empty; pk.poff = st->seq_poff;
    return pk;
}

MTLDEF const float *mtl_backbone_hidden(const mtl_backbone_state *st, int k) {
    if (!st || !st->arena || !st->batch || k < st->first_cached || k > st->cfg.n_layers) return NULL;
    return mtl__bt_hidden(st, k);
}

/* Layer k's attention probabilities of the last forward for query (b, col) and head j, as a row
   out[len] over the keys of HF's [B, nh, L, L] (0 at padded keys). Returns 0 (out untouched) when
   layer k keeps no cache or (b, col) is not a computed row (padding). */
MTL__WFN int mtl__bt_probs_row(const mtl_backbone_state *st, int k, int b, int j, int col, float *out) {
    const mtl__bt_pack pk = mtl__bt_pack_of(st);
    const int nh = st->cfg.n_heads;
    mtl__bt_cache c;
    int s0, n, i, t;
    if (!st->batch || k < st->first_cached || k >= st->cfg.n_layers || b < 0 || b >= pk.B || j < 0 || j >= nh || col < 0 || col >= pk.L) return 0;
    s0 = pk.start[b]; n = pk.start[b + 1] - s0;
    for (i = 0; i < n && pk.src[s0 + i] != b * pk.L + col; i++) {}
    if (i == n) return 0;
    mtl__bt_cache_view(st, k, &c);
    for (t = 0; t < pk.L; t++) out[t] = 0.0f;
    for (t = 0; t < n; t++)
        out[pk.src[s0 + t] - b * pk.L] = c.probs[(size_t)nh * pk.poff[b] + ((size_t)j * (size_t)n + (size_t)i) * (size_t)n + (size_t)t];
    return 1;
}

MTLDEF mtl_result mtl_backbone_forward(mtl_backbone_state *st, const mtl_backbone_params *p, const int32_t *ids,
                                       const int32_t *types, const int32_t *mask, int batch, int len, mtl_error *err) {
    const mtl_backbone_config *c;
    int H, I, nh, l, k;
    size_t r;
    float *x;
    mtl__bt_pack pk;
    mtl__bt_cache cache;
    mtl__bt_drop dbuf;
    const mtl__bt_drop *drop;
    mtl__bt_exec ex;
    if (!st || !st->arena || !p || !ids) return mtl__err(err, MTL_ERR_ARG, "bad arguments");
    drop = mtl__bt_get_drop(st, &dbuf);
    ex = mtl__bt_exec_of(st);
    c = &st->cfg;
    H = c->hidden_size; I = c->intermediate_size; nh = c->n_heads;
    if (batch < 1 || len < 1 || batch > st->max_batch || len > st->max_len)
        return mtl__err(err, MTL_ERR_SHAPE, "batch [%d, %d] exceeds the planned [%d, %d]", batch, len, st->max_batch, st->max_len);
    if (!p->word_emb || !p->pos_emb || !p->type_emb || !p->emb_ln_w || !p->emb_ln_b || (c->n_layers && !p->layers))
        return mtl__err(err, MTL_ERR_ARG, "missing parameter tensors");
    for (r = 0; r < (size_t)batch * (size_t)len; r++) {
        const int32_t ty = types && c->type_vocab_size > 1 ? types[r] : 0;   /* a 1-row table: every type 0 (RoBERTa) */
        if (ids[r] < 0 || ids[r] >= c->vocab_size) return mtl__err(err, MTL_ERR_ARG, "token id %d out of range (row %d)", ids[r], (int)(r / (size_t)len));
        if (ty < 0 || ty >= c->type_vocab_size) return mtl__err(err, MTL_ERR_ARG, "token type %d out of range (row %d)", ty, (int)(r / (size_t)len));
    }
    /* pack: the rows of the real tokens (with their ids and types) */
    st->batch = batch;
    st->len = len;
    st->n_rows = mtl__bt_pack_mask(st->src, st->seq_start, st->seq_empty, st->seq_poff, mask, batch, len);
    pk = mtl__bt_pack_of(st);
    for (k = 0; k < pk.T; k++) {
        st->ids[k] = ids[pk.src[k]];
        st->types[k] = types && c->type_vocab_size > 1 ? types[pk.src[k]] : 0;
    }
    /* embeddings: into hidden[first_cached] ([T,H] packed), with a kept cache when they train */
    x = mtl__bt_hidden(st, st->first_cached);
    if (st->embeddings_trainable)
        mtl__bt_embeddings_forward(x, st->emb_e, st->emb_mean, st->emb_rstd, p, st->ids, st->types, &pk, H, c->layer_norm_eps,
                                   mtl__bt_pos_pad(c));
    else
        mtl__bt_embeddings_forward(x, st->s_tmp, st->s_stats, st->s_stats + pk.T, p, st->ids, st->types, &pk, H, c->layer_norm_eps,
                                   mtl__bt_pos_pad(c));
    if (drop && drop->hidden_p > 0.0f) mtl__bt_dropout(x, &pk, H, drop->hidden_p, mtl__bt_site(drop, -1, MTL__BT_SITE_EMB));
    /* frozen layers: forward only, in place on x */
    for (l = 0; l < st->first_cached; l++) {
        mtl__bt_scratch_cache(st, x, &cache);
        if (drop) mtl__bt_layer_forward_d(&ex, x, &cache, x, &p->layers[l], &pk, H, I, nh, c->layer_norm_eps, drop, l);
        else mtl__bt_layer_forward(&ex, x, &cache, x, &p->layers[l], &pk, H, I, nh, c->layer_norm_eps);
    }
    /* kept layers: hidden[l] -> hidden[l+1] */
    for (l = st->first_cached; l < c->n_layers; l++) {
        mtl__bt_cache_view(st, l, &cache);
        mtl__bt_layer_forward_d(&ex, mtl__bt_hidden(st, l + 1), &cache, mtl__bt_hidden(st, l), &p->layers[l], &pk, H, I,
                                nh, c->layer_norm_eps, drop, l);
    }
    /* the kept hidden states in the caller's layout [batch, len, H], 0 at padding */
    for (l = st->first_cached; l <= c->n_layers; l++) mtl__bt_scatter_rows(mtl__bt_hidden(st, l), mtl__bt_hidden(st, l), &pk, H);
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
    int H, I, nh, l, first_grad_layer;
    size_t TH;
    float *dh, *dx;
    mtl__bt_pack pk;
    mtl__bt_cache cache;
    mtl__bt_drop dbuf;
    const mtl__bt_drop *drop;
    mtl__bt_exec ex;
    if (!st || !st->arena || !p || !dout) return mtl__err(err, MTL_ERR_ARG, "bad arguments");
    drop = mtl__bt_get_drop(st, &dbuf);
    ex = mtl__bt_exec_of(st);
    if (!st->batch) return mtl__err(err, MTL_ERR_ARG, "backward before forward");
    c = &st->cfg;
    H = c->hidden_size; I = c->intermediate_size; nh = c->n_heads;
    pk = mtl__bt_pack_of(st);
    TH = (size_t)pk.B * (size_t)pk.L * (size_t)H;   /* one padded [batch, len, H] */
    if (dhidden) {   /* dout itself, 0 at padding */
        float *o = dhidden + (size_t)c->n_layers * TH;
        mtl__bt_gather_rows(o, dout, &pk, H);
        mtl__bt_scatter_rows(o, o, &pk, H);
    }
    if (!st->s_dh0) { mtl__ok(err); return MTL_OK; } /* nothing trains */
    if (!mtl__bt_grads_ok(st, g)) return mtl__err(err, MTL_ERR_ARG, "a trainable tensor has no gradient view (mtl_backbone_point_grads)");
    first_grad_layer = c->n_layers - st->n_trainable_layers;
    mtl__bt_gather_rows(st->s_dh0, dout, &pk, H);   /* the real rows of dout: padding is ignored */
    dh = st->s_dh0;
    dx = st->s_dh1;
    for (l = c->n_layers - 1; l >= st->first_cached; l--) {
        /* the input gradient is needed below, or asked for */
        const int need_dx = l > st->first_cached || st->embeddings_trainable || dhidden;
        mtl__bt_cache_view(st, l, &cache);
        mtl__bt_gather_rows(st->s_x, mtl__bt_hidden(st, l), &pk, H);   /* the layer's input, packed */
        if (drop)
            mtl__bt_layer_backward_d(&ex, need_dx ? dx : NULL, l >= first_grad_layer ? &g->layers[l] : NULL, dh, st->s_x,
                                     &p->layers[l], &cache, st->s_da, st->s_tmp, st->s_ctx, st->s_q, st->s_k, st->s_v, &pk,
                                     H, I, nh, drop, l);
        else
            mtl__bt_layer_backward(&ex, need_dx ? dx : NULL, l >= first_grad_layer ? &g->layers[l] : NULL, dh, st->s_x,
                                   &p->layers[l], &cache, st->s_da, st->s_tmp, st->s_ctx, st->s_q, st->s_k, st->s_v, &pk,
                                   H, I, nh);
        if (!need_dx) break;
        if (dhidden) mtl__bt_scatter_rows(dhidden + (size_t)l * TH, dx, &pk, H);
        { float *t = dh; dh = dx; dx = t; }
    }
    if (st->embeddings_trainable && drop && drop->hidden_p > 0.0f)
        mtl__bt_dropout(dh, &pk, H, drop->hidden_p, mtl__bt_site(drop, -1, MTL__BT_SITE_EMB));
    if (st->embeddings_trainable)
        mtl__bt_embeddings_backward(g, st->s_tmp, dh, st->emb_e, st->emb_mean, st->emb_rstd, p, st->ids, st->types, &pk,
                                    H, c->pad_token_id, mtl__bt_pos_pad(c));
    mtl__ok(err);
    return MTL_OK;
}


/* ============================================================================================== */
/*                                    trainer (implementation)                                    */
/* ============================================================================================== */

#include <string.h>
#include <math.h>
#ifndef MTL_NO_STDIO
#include <stdio.h>
#endif

/* The pooler is trainable (a loss reads it) only under the cls head's pooler pooling. */
static int mtl__tr_pooler_trains(const mtl_trainer_config *c) { return c->pooling == MTL_HPOOL_POOLER && c->with_pooler && c->n_cls > 0; }

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
    int32_t *ner_labels;             /* [B,L]: a batch's NER labels with ignore_index at padding    */
    float *pool_x;                   /* pooler pooling: h[:,0], the pooler's input [B,H]            */
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
           c->cls_hidden >= 0 && c->ner_hidden >= 0 && c->max_batch > 0 && c->max_len > 0 &&
           (!b->roberta_positions || (b->pad_token_id >= 0 && b->pad_token_id < b->max_position - 1)) && c->max_len <= mtl__bt_max_len(b) &&
           c->cls_prefix[0] && c->ner_prefix[0] && strcmp(c->cls_prefix, c->ner_prefix) != 0 &&
           (c->pooling != MTL_HPOOL_POOLER || c->with_pooler);
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
    default: return mtl__tr_pooler_trains(c) && !f->cls;   /* pooler: part of the cls head with pooler pooling */
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
        if (c->pooling == MTL_HPOOL_POOLER) MTL__TR_TAKE(tr->pool_x, float, B * H);
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
        MTL__TR_TAKE(tr->ner_labels, int32_t, T);
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
    if ((r = mtl_backbone_set_threads(&nst, c->n_threads, err)) != MTL_OK) goto fail;
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
        rule.train_pooler = mtl__tr_pooler_trains(c);
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
    if (!c || !mtl__tr_config_ok(c)) return mtl__err(err, MTL_ERR_ARG, "mtl_trainer_create: bad config (sizes, max_batch/max_len (max_len within the position table), head prefixes, "
                                                   "pad_token_id under roberta_positions)");
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
    for (i = 0; i < tr->nt; i++) { tr->t[i].pidx = -1; flags[i] = tr->t[i].kind != MTL__TR_POOLER || mtl__tr_pooler_trains(c); }
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
    else if (strncmp(name, "roberta.", 8) == 0) name += 8;
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
        int64_t dims[4] = {0, 0, 0, 0}, b0, b1;
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
            int64_t v;
            if (nd < 4 && mtl__json_i64(&j, c, 0, (int64_t)1 << 40, &v)) dims[nd] = v;
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
        if (off < 0 || j.nodes[off].count != 2 || !mtl__json_i64(&j, j.nodes[off].child, 0, (int64_t)1 << 50, &b0) ||
            !mtl__json_i64(&j, j.nodes[j.nodes[off].child].next, 0, (int64_t)1 << 50, &b1) || b1 < b0 ||
            (uint64_t)(b1 - b0) != (uint64_t)numel * esz || (uint64_t)b1 > (uint64_t)(len - 8 - (size_t)hl)) {
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

/* N(0, std) weights and 0 biases: of the heads only (all 0), or of every tensor (all 1; LayerNorm
   weights 1, the padding row of the word embeddings 0). The heads draw from site 77 either way. */
static void mtl__tr_init(mtl_trainer *tr, uint64_t seed, float std, int all) {
    int i;
    size_t k;
    if (!tr) return;
    for (i = 0; i < tr->nt; i++) {
        const mtl__tr_tensor *t = &tr->t[i];
        const int head = t->kind == MTL__TR_CLS || t->kind == MTL__TR_NER;
        const int ln_w = strstr(t->name, "LayerNorm.weight") != NULL;
        float *d;
        if (!head && !all) continue;
        d = mtl__tr_ptr(tr, i);
        for (k = 0; k < t->numel; k++)
            d[k] = ln_w ? 1.0f : t->ndim == 1 ? 0.0f : std * mtl__tr_normal(mtl_rand_seed(seed, (uint64_t)i, head ? 77 : 78), k);
        if (!strcmp(t->name, "embeddings.word_embeddings.weight") && tr->cfg.bb.pad_token_id >= 0 && tr->cfg.bb.pad_token_id < t->shape[0])
            memset(d + (size_t)tr->cfg.bb.pad_token_id * (size_t)t->shape[1], 0, (size_t)t->shape[1] * sizeof(float));
    }
}
MTLDEF void mtl_trainer_init_heads(mtl_trainer *tr, uint64_t seed, float std) { mtl__tr_init(tr, seed, std, 0); }
MTLDEF void mtl_trainer_init_weights(mtl_trainer *tr, uint64_t seed, float std) { mtl__tr_init(tr, seed, std, 1); }

/* ---------------------------------------------------------------------------------------------- */
/* Freezing                                                                                       */
/* ---------------------------------------------------------------------------------------------- */
static mtl_result mtl__tr_apply_flags(mtl_trainer *tr, int *flags, mtl_error *err) {
    int i, same = 1;
    for (i = 0; i < tr->nt; i++) {
        if (tr->t[i].kind == MTL__TR_POOLER && !mtl__tr_pooler_trains(&tr->cfg)) flags[i] = 0;
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

/* The NER labels the loss counts: b's, with ignore_index where the mask is 0 (tr->ner_labels when
   that changes one). */
static const int32_t *mtl__tr_ner_labels(mtl_trainer *tr, const mtl_batch *b) {
    const size_t T = (size_t)b->B * (size_t)b->L;
    size_t i;
    int any = 0;
    if (!b->mask) return b->ner_labels;
    for (i = 0; i < T && !any; i++) any = !b->mask[i] && b->ner_labels[i] != tr->cfg.ignore_index;
    if (!any) return b->ner_labels;
    for (i = 0; i < T; i++) tr->ner_labels[i] = b->mask[i] ? b->ner_labels[i] : tr->cfg.ignore_index;
    return tr->ner_labels;
}

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
    /* the losses read no padding (the backbone computes none: its hidden states are 0 there) */
    if (do_cls && b->mask && (c->pooling == MTL_HPOOL_CLS || c->pooling == MTL_HPOOL_POOLER)) {
        int i, t, real;
        for (i = 0; i < B; i++) {
            const int32_t *m = b->mask + (size_t)i * (size_t)L;
            for (t = 0, real = 0; t < L; t++) real |= m[t] != 0;
            if (!m[0] && real)   /* (a row without any real token is computed whole) */
                return mtl__err(err, MTL_ERR_ARG, "batch row %d: %s pooling reads column 0, which is padding (mask 0): "
                                "put [CLS] first (right padding)", i, c->pooling == MTL_HPOOL_CLS ? "cls" : "pooler");
        }
    }
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
        const int pw = c->pooling == MTL_HPOOL_POOLER ? mtl_trainer_find(tr, "pooler.dense.weight") : -1;
        const int pb = pw >= 0 ? mtl_trainer_find(tr, "pooler.dense.bias") : -1;
        if (c->pooling == MTL_HPOOL_POOLER) {
            /* HF BertPooler: tanh(dense(h[:,0])) */
            size_t k;
            mtl_pool_cls_forward(tr->pool_x, last, B, L, H);
            mtl_linear_forward(tr->pooled, tr->pool_x, mtl__tr_ptr(tr, pw), mtl__tr_ptr(tr, pb), B, H, H);
            for (k = 0; k < BH; k++) tr->pooled[k] = tanhf(tr->pooled[k]);
        } else if (c->pooling == MTL_HPOOL_CLS) mtl_pool_cls_forward(tr->pooled, last, B, L, H);
        else if (c->pooling == MTL_HPOOL_MAX) mtl_pool_max_forward(tr->pooled, tr->argmax, last, mask, B, L, H);
        else mtl_pool_mean_forward(tr->pooled, last, mask, B, L, H);
        mtl_dropout_forward(tr->pooled_d, tr->pooled, BH, c->classifier_dropout, s_in, training);
        mtl_head_forward(&tr->cls, tr->cls_logits, tr->pooled_d, B, tr->cls_cache, training, s_h);
        o.class_weight = c->cls_class_weight;
        if ((r = mtl_cross_entropy(&lcls, grad ? tr->cls_dlogits : NULL, tr->cls_logits, b->cls_labels, B, c->n_cls, &o,
                                   (float)(c->cls_weight * (double)scale), NULL, err)) != MTL_OK) return r;
        if (grad && (tr->cls_trains || bb_grad || (pw >= 0 && tr->t[pw].pidx >= 0))) {
            /* the pooler's gradient when it trains (pooler pooling), the backbone's when it trains */
            const int pool_grad = pw >= 0 && tr->t[pw].pidx >= 0;
            const int need_dx = bb_grad || pool_grad;
            if (need_dx) memset(tr->dpooled_d, 0, BH * sizeof(float));
            mtl_head_backward(&tr->cls, need_dx ? tr->dpooled_d : NULL, tr->cls_dlogits, tr->pooled_d, B, tr->cls_cache, training, s_h);
            if (need_dx) {
                memset(tr->dpooled, 0, BH * sizeof(float));
                mtl_dropout_backward(tr->dpooled, tr->dpooled_d, BH, c->classifier_dropout, s_in, training);
            }
            if (need_dx && c->pooling == MTL_HPOOL_POOLER) {
                /* through tanh (dz = dy (1 - y^2)), then the dense layer: dW += dz^T x, db += sum dz,
                   dh[:,0] += dz W (dx is accumulated into pool_x, then scattered into dlast) */
                size_t k;
                float *dW = pool_grad ? mtl_trainer_grad(tr, pw) : NULL, *db = pool_grad ? mtl_trainer_grad(tr, pb) : NULL;
                for (k = 0; k < BH; k++) tr->dpooled[k] *= 1.0f - tr->pooled[k] * tr->pooled[k];
                if (bb_grad) {
                    memset(tr->dpooled_d, 0, BH * sizeof(float));
                    mtl_linear_backward(tr->dpooled_d, dW, db, tr->dpooled, tr->pool_x, mtl__tr_ptr(tr, pw), B, H, H);
                    mtl_pool_cls_backward(tr->dlast, tr->dpooled_d, B, L, H);
                } else mtl_linear_backward(NULL, dW, db, tr->dpooled, tr->pool_x, mtl__tr_ptr(tr, pw), B, H, H);
            } else if (bb_grad) {
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
        if ((r = mtl_cross_entropy(&lner, grad ? tr->ner_dlogits : NULL, tr->ner_logits, mtl__tr_ner_labels(tr, b), (int)T, c->n_ner, &o,
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

/* Builds the checkpoint (state 0: the inference model only): *meta (header + key/values + tensor
   infos, checksum patched in) and g->data. */
static mtl_result mtl__tr_build(const mtl_trainer *tr, int state, mtl__gw *g, mtl__wbuf *meta, mtl_error *err) {
    const mtl_trainer_config *c = &tr->cfg;
    mtl__gw_bert bk;
    char nm[160], key[200];
    int i, h, n_tr = 0;
    mtl_result r;
    memset(g, 0, sizeof *g);
    memset(&bk, 0, sizeof bk);
    bk.name = "mtl checkpoint";
    bk.hidden_size = c->bb.hidden_size; bk.intermediate_size = c->bb.intermediate_size; bk.n_layers = c->bb.n_layers;
    bk.n_heads = c->bb.n_heads; bk.max_position = c->bb.max_position; bk.type_vocab_size = c->bb.type_vocab_size;
    bk.layer_norm_eps = c->bb.layer_norm_eps;
    bk.roberta = c->bb.roberta_positions != 0;
    bk.position_padding_idx = c->bb.pad_token_id;
    bk.pooling = c->pooling == MTL_HPOOL_CLS ? MTL_POOL_CLS : c->pooling == MTL_HPOOL_MAX ? MTL_POOL_MAX
               : c->pooling == MTL_HPOOL_POOLER ? MTL_POOL_POOLER : MTL_POOL_MEAN;
    bk.normalize = c->embed_normalize;
    bk.max_seq_length = c->max_len;
    mtl__gw_bert_keys(g, &bk);
    mtl__gw_tokenizer(g, c->tokenizer, c->bb.type_vocab_size);
    mtl__gw_embed_keys(g, &bk);
    /* heads and label maps */
    for (h = 0; h < 2; h++) {
        mtl__gw_head hk;
        hk.ner = h;
        hk.num_labels = h ? c->n_ner : c->n_cls;
        hk.hidden = h ? c->ner_hidden : c->cls_hidden;
        hk.act = c->head_act;
        hk.dropout = c->head_dropout;
        hk.pooling = h ? NULL : c->pooling == MTL_HPOOL_CLS ? "cls" : c->pooling == MTL_HPOOL_MAX ? "max" : c->pooling == MTL_HPOOL_POOLER ? "pooler" : "mean";
        hk.prefix = h ? c->ner_prefix : c->cls_prefix;
        hk.loss_weight = h ? c->ner_weight : c->cls_weight;
        hk.labels = h ? c->ner_labels : c->cls_labels;
        if (hk.num_labels > 0) mtl__gw_head_keys(g, &hk);
    }
    if (c->run_config) mtl__gw_str(g, "mtl.train.config", c->run_config);
    /* training state and hyper-parameters */
    if (!state) goto tensors;
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
tensors:   /* the model, then the optimizer state of the trainable ones */
    for (i = 0; i < tr->nt; i++) {
        uint64_t ne0, ne1;
        mtl__tr_gguf_name(c, &tr->t[i], nm, sizeof nm);
        mtl__tr_ne(&tr->t[i], &ne0, &ne1);
        mtl__gw_tensor_f32(g, nm, ne0, ne1, mtl__tr_ptr(tr, i));
    }
    for (i = 0; i < tr->nt && tr->has_opt && state; i++) {
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
    /* the checksum key is added by mtl__gw_meta (the last key) */
    if ((r = mtl__gw_meta(g, meta, err)) != MTL_OK) { mtl__gw_free(g); return r; }
    return MTL_OK;
}

MTLDEF mtl_result mtl_trainer_save(const mtl_trainer *tr, unsigned char **buf, size_t *len, mtl_error *err) {
    mtl__gw g;
    mtl__wbuf meta;
    mtl_result r;
    if (!tr || !buf || !len) return mtl__err(err, MTL_ERR_ARG, "mtl_trainer_save: bad argument");
    *buf = NULL;
    *len = 0;
    if ((r = mtl__tr_build(tr, 1, &g, &meta, err)) != MTL_OK) return r;
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

/* The file's position ids (mtl.position_padding_idx) must be the trainer's (bb.roberta_positions with
   padding_idx bb.pad_token_id, or BERT's): the same weights under other position ids are another model. */
static mtl_result mtl__tr_pos_check(const mtl__gguf *g, const mtl_backbone_config *bb, const char *what, mtl_error *err) {
    long v = -1;
    const long want = bb->roberta_positions ? (long)bb->pad_token_id : -1;
    if (mtl__gguf_find(g, "mtl.position_padding_idx") && (!mtl__gguf_int(g, "mtl.position_padding_idx", &v) || v < 0))
        return mtl__err(err, MTL_ERR_FORMAT, "%s: mtl.position_padding_idx is malformed", what);
    if (v == want) return MTL_OK;
    if (v < 0) return mtl__err(err, MTL_ERR_ARG, "%s has BERT's position ids, this trainer RoBERTa's (bb.roberta_positions, padding_idx %d)", what, bb->pad_token_id);
    if (want < 0) return mtl__err(err, MTL_ERR_ARG, "%s has RoBERTa's position ids (padding_idx %d): set bb.roberta_positions and bb.pad_token_id %d", what, (int)v, (int)v);
    return mtl__err(err, MTL_ERR_ARG, "%s has RoBERTa's position ids with padding_idx %d, this trainer %d", what, (int)v, bb->pad_token_id);
}

MTLDEF mtl_result mtl_trainer_load_model(mtl_trainer *tr, const void *blob, size_t len, int load_cls, int load_ner,
                                         int *n_heads, mtl_error *err) {
    char nm[200];
    size_t i, sl;
    mtl__gguf g;
    int k, heads = 0, hf_kind = -1;
    const char *s;
    mtl_result r;
    if (n_heads) *n_heads = 0;
    if (!tr || (!blob && len)) return mtl__err(err, MTL_ERR_ARG, "mtl_trainer_load_model: bad arguments");
    r = mtl__gguf_parse(&g, blob, len, NULL, err);
    if (r) return r;
    r = mtl__checksum_check(&g, 1, &k, err);     /* a file with a checksum must match it */
    if (!r) r = mtl__tr_pos_check(&g, &tr->cfg.bb, "the model file", err);
    if (mtl__gguf_str(&g, "mtl.head", &s, &sl))  /* weights_convert's HF classifier: mtl.classifier.* */
        hf_kind = mtl__streq(s, sl, "sequence_classification") ? MTL__TR_CLS : mtl__streq(s, sl, "token_classification") ? MTL__TR_NER : -1;
    for (k = 0; k < tr->nt && r == MTL_OK; k++) {
        const mtl__tr_tensor *t = &tr->t[k];
        const mtl__gguf_tensor *q = NULL;
        uint64_t ne0, ne1;
        float *dst = mtl__tr_ptr(tr, k);
        const unsigned char *src;
        if (t->kind == MTL__TR_CLS && !load_cls) continue;
        if (t->kind == MTL__TR_NER && !load_ner) continue;
        mtl__tr_gguf_name(&tr->cfg, t, nm, sizeof nm);
        mtl__tr_ne(t, &ne0, &ne1);
        for (i = 0; i < g.n_t; i++)
            if (g.t[i].nlen == strlen(nm) && !memcmp(g.t[i].name, nm, g.t[i].nlen)) { q = &g.t[i]; break; }
        if (!q && t->kind == hf_kind) {   /* the file's HF classifier as this (linear) head: mtl.head.X.<sfx> -> mtl.classifier.<sfx> */
            char alias[sizeof nm];
            mtl__tr_cat(alias, sizeof alias, "mtl.classifier.", nm + 13);
            for (i = 0; i < g.n_t; i++)
                if (g.t[i].nlen == strlen(alias) && !memcmp(g.t[i].name, alias, g.t[i].nlen)) { q = &g.t[i]; break; }
        }
        if (!q || q->ne[0] != ne0 || q->ne[1] != ne1 || q->ne[2] != 1 || q->ne[3] != 1 ||
            (q->type != MTL__GGML_F32 && q->type != MTL__GGML_F16 && q->type != MTL__GGML_BF16)) {
            if (t->kind == MTL__TR_BB) r = mtl__err(err, MTL_ERR_SHAPE, "model blob: tensor %s missing or of another shape or type", nm);
            continue;
        }
        src = g.d + q->off;
        for (i = 0; i < t->numel; i++) {
            if (q->type == MTL__GGML_F32) memcpy(&dst[i], src + 4 * i, 4);
            else {
                uint16_t h;
                memcpy(&h, src + 2 * i, 2);
                dst[i] = q->type == MTL__GGML_F16 ? mtl__f16_to_f32(h) : mtl__bf16_to_f32(h);
            }
        }
        if (t->kind == MTL__TR_CLS || t->kind == MTL__TR_NER) heads++;
    }
    mtl__gguf_free(&g);
    if (n_heads) *n_heads = heads;
    return r;
}

MTLDEF mtl_result mtl_trainer_load(mtl_trainer *tr, const unsigned char *buf, size_t len, mtl_error *err) {
    mtl__gguf g;
    const mtl__gguf_kv *kv;
    const mtl_trainer_config *c;
    uint64_t step, rng, ostep;
    int *flags = NULL, i;
    long v;
    const char *s;
    size_t sl;
    char nm[160], key[200];
    mtl_result r;
    if (!tr || !buf) return mtl__err(err, MTL_ERR_ARG, "mtl_trainer_load: bad argument");
    c = &tr->cfg;
    if ((r = mtl__gguf_parse(&g, buf, len, NULL, err)) != MTL_OK) return r;   /* structure, bounds, truncation */
    if ((r = mtl__checksum_check(&g, 1, &i, err)) != MTL_OK) goto done;
    if (i != MTL_CHECKSUM_VERIFIED) { r = mtl__err(err, MTL_ERR_FORMAT, "not an mtl trainer checkpoint (no checksum)"); goto done; }
    if (!mtl__gguf_find(&g, "mtl.train.step")) {
        r = mtl__err(err, MTL_ERR_FORMAT, "not a resumable trainer state (no mtl.train.step): an inference model file "
                     "(mtl_trainer_save_model_file, mtl-train's --out); resume from the state file (mtl-train --save-state)");
        goto done;
    }
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
    if ((r = mtl__tr_pos_check(&g, &c->bb, "the checkpoint", err)) != MTL_OK) goto done;
    {   /* the learning-rate schedule must be this trainer's, or the continuation is another run */
        uint64_t wu = 0, tot = 0;
        if (!mtl__gguf_str(&g, "mtl.schedule.type", &s, &sl) || !mtl__tr_ck_u64(&g, "mtl.schedule.warmup_steps", &wu) ||
            !mtl__tr_ck_u64(&g, "mtl.schedule.total_steps", &tot)) {
            r = mtl__err(err, MTL_ERR_FORMAT, "checkpoint: mtl.schedule.* missing");
            goto done;
        }
        if (!mtl__streq(s, sl, mtl__tr_sched_name(c->schedule.type)) || wu != (uint64_t)c->schedule.warmup_steps ||
            tot != (uint64_t)c->schedule.total_steps) {
            r = mtl__err(err, MTL_ERR_ARG, "checkpoint: another schedule (saved: warmup %lu, total %lu steps; this trainer: %s, warmup %ld, total %ld): resume with the same schedule options",
                         (unsigned long)wu, (unsigned long)tot, mtl__tr_sched_name(c->schedule.type),
                         (long)c->schedule.warmup_steps, (long)c->schedule.total_steps);
            goto done;
        }
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
static mtl_result mtl__tr_save_file(const mtl_trainer *tr, int state, const char *path, mtl_error *err) {
    mtl__gw g;
    mtl__wbuf meta;
    mtl_result r;
    const void *parts[2];
    size_t lens[2];
    if (!tr || !path) return mtl__err(err, MTL_ERR_ARG, "mtl_trainer_save_file: bad argument");
    if ((r = mtl__tr_build(tr, state, &g, &meta, err)) != MTL_OK) return r;
    parts[0] = meta.d; lens[0] = meta.n;
    parts[1] = g.data.d; lens[1] = g.data.n;
    r = mtl__write_atomic(path, parts, lens, 2, err);
    mtl__wb_free(&meta);
    mtl__gw_free(&g);
    if (!r) mtl__ok(err);
    return r;
}
MTLDEF mtl_result mtl_trainer_save_file(const mtl_trainer *tr, const char *path, mtl_error *err) { return mtl__tr_save_file(tr, 1, path, err); }
MTLDEF mtl_result mtl_trainer_save_model_file(const mtl_trainer *tr, const char *path, mtl_error *err) { return mtl__tr_save_file(tr, 0, path, err); }

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
    int ok, e = 0;
    if (strlen(dir) + strlen(file) + 8 > sizeof path) return mtl__err(err, MTL_ERR_ARG, "path too long");
    snprintf(path, sizeof path, "%s/%s", dir, file);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    if (!(f = fopen(tmp, "wb"))) return mtl__err(err, MTL_ERR_IO, "cannot write %s: %s", tmp, strerror(errno));
    ok = fwrite(b->d, 1, b->n, f) == b->n;
    if (!ok) e = errno;
    if (fclose(f) != 0 && ok) { ok = 0; e = errno; }
    if (ok && rename(tmp, path) != 0) { ok = 0; e = errno; }
    if (!ok) { remove(tmp); return mtl__err(err, MTL_ERR_IO, "cannot write %s: %s", path, e ? strerror(e) : "write error"); }
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
    if (c->bb.roberta_positions)   /* a BertModel would read RoBERTa's weights with BERT's position ids */
        return mtl__err(err, MTL_ERR_UNSUPPORTED, "export: a model with RoBERTa's position ids is not exported as a Hugging Face model yet (it writes BertModel)");
    head_kind = task == MTL_TASK_CLS ? MTL__TR_CLS : task == MTL_TASK_NER ? MTL__TR_NER : -1;
    if (task) {
        n_labels = task == MTL_TASK_CLS ? c->n_cls : c->n_ner;
        labels = task == MTL_TASK_CLS ? c->cls_labels : c->ner_labels;
        if (n_labels <= 0) return mtl__err(err, MTL_ERR_ARG, "export: the trainer has no such head");
        if ((task == MTL_TASK_CLS ? c->cls_hidden : c->ner_hidden) > 0) return mtl__err(err, MTL_ERR_UNSUPPORTED, "export: only a linear head maps to HF's classifier");
        if (task == MTL_TASK_CLS && c->pooling != MTL_HPOOL_POOLER) return mtl__err(err, MTL_ERR_UNSUPPORTED, "export: HF's BertForSequenceClassification applies its classifier to the tanh pooler, not to this head's pooling of the tokens (use pooling = MTL_HPOOL_POOLER)");
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
        else mtl__tr_cat(list[n].nm, sizeof list[n].nm, task ? "bert." : "", t->name);   /* Bert*Classification: bert.* */
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


/* ============================================================================================== */
/*                                 data, metrics (implementation)                                 */
/* ============================================================================================== */

#include <string.h>
#include <stdlib.h>
#include <math.h>
#ifndef MTL_NO_STDIO
#include <stdio.h>
#endif

/* ---------------------------------------------------------------------------------------------- */
/* Growable buffers                                                                                */
/* ---------------------------------------------------------------------------------------------- */
typedef struct mtl__buf {
    char *p;
    size_t n, cap;
} mtl__buf;

static int mtl__buf_reserve(mtl__buf *b, size_t extra) {
    if (b->n + extra + 1 > b->cap) {
        size_t nc = b->cap ? b->cap : 256;
        char *np;
        while (nc < b->n + extra + 1) nc *= 2;
        np = (char *)MTL_REALLOC(b->p, nc);
        if (!np) return 0;
        b->p = np;
        b->cap = nc;
    }
    return 1;
}
static int mtl__buf_put(mtl__buf *b, const char *s, size_t n) {
    if (!mtl__buf_reserve(b, n)) return 0;
    if (n) memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = 0;
    return 1;
}
static int mtl__buf_putc(mtl__buf *b, char c) { return mtl__buf_put(b, &c, 1); }

/* A growable array of int64 (offsets, ids). */
typedef struct mtl__vec {
    int64_t *p;
    size_t n, cap;
} mtl__vec;
static int mtl__vec_push(mtl__vec *v, int64_t x) {
    if (v->n == v->cap) {
        size_t nc = v->cap ? v->cap * 2 : 64;
        int64_t *np = (int64_t *)MTL_REALLOC(v->p, nc * sizeof *np);
        if (!np) return 0;
        v->p = np;
        v->cap = nc;
    }
    v->p[v->n++] = x;
    return 1;
}

/* ---------------------------------------------------------------------------------------------- */
/* Label sets: strings -> ids (open addressing), then sorted or given order                        */
/* ---------------------------------------------------------------------------------------------- */
typedef struct mtl__strset {
    mtl__buf pool;          /* the strings, NUL-separated                                */
    mtl__vec off;           /* offset of string i in pool                                */
    int32_t *slots;         /* hash slots: string index + 1, 0 empty                     */
    size_t nslots;
} mtl__strset;

static uint32_t mtl__strhash(const char *s, size_t n) {
    uint32_t h = 2166136261u;
    size_t i;
    for (i = 0; i < n; i++) { h ^= (unsigned char)s[i]; h *= 16777619u; }
    return h;
}
static const char *mtl__strset_get(const mtl__strset *S, size_t i) { return S->pool.p + S->off.p[i]; }
/* Index of s, or -1. */
static int32_t mtl__strset_find(const mtl__strset *S, const char *s, size_t n) {
    size_t k;
    if (!S->nslots) return -1;
    k = mtl__strhash(s, n) & (S->nslots - 1);
    while (S->slots[k]) {
        const char *t = mtl__strset_get(S, (size_t)(S->slots[k] - 1));
        if (strlen(t) == n && memcmp(t, s, n) == 0) return S->slots[k] - 1;
        k = (k + 1) & (S->nslots - 1);
    }
    return -1;
}
/* Index of s, added when new; -1 when out of memory. */
static int32_t mtl__strset_add(mtl__strset *S, const char *s, size_t n) {
    int32_t i = mtl__strset_find(S, s, n);
    size_t k;
    if (i >= 0) return i;
    if ((S->off.n + 1) * 2 > S->nslots) {
        size_t ns = S->nslots ? S->nslots * 2 : 64, j;
        int32_t *sl = (int32_t *)MTL_MALLOC(ns * sizeof *sl);
        if (!sl) return -1;
        memset(sl, 0, ns * sizeof *sl);
        for (j = 0; j < S->off.n; j++) {
            const char *t = mtl__strset_get(S, j);
            k = mtl__strhash(t, strlen(t)) & (ns - 1);
            while (sl[k]) k = (k + 1) & (ns - 1);
            sl[k] = (int32_t)(j + 1);
        }
        MTL_FREE(S->slots);
        S->slots = sl;
        S->nslots = ns;
    }
    if (!mtl__vec_push(&S->off, (int64_t)S->pool.n)) return -1;
    if (!mtl__buf_put(&S->pool, s, n) || !mtl__buf_putc(&S->pool, 0)) { S->off.n--; return -1; }
    k = mtl__strhash(s, n) & (S->nslots - 1);
    while (S->slots[k]) k = (k + 1) & (S->nslots - 1);
    S->slots[k] = (int32_t)S->off.n;
    return (int32_t)(S->off.n - 1);
}
static void mtl__strset_free(mtl__strset *S) {
    MTL_FREE(S->pool.p);
    MTL_FREE(S->off.p);
    MTL_FREE(S->slots);
    memset(S, 0, sizeof *S);
}

/* Resolves raw label indexes (into the set of strings seen) to final ids. With a given list, ids
   follow it (unknown -> unknown id or error); otherwise the sorted distinct strings. On success
   *names/ *n_names describe the final set (strings copied into *pool). */
typedef struct mtl__labelmap {
    int32_t *map;          /* seen index -> final id (-1: unknown)                       */
    int n_final;
    char **names;          /* n_final pointers into pool                                */
    char *pool;
} mtl__labelmap;

static int mtl__cmp_str(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The whitespace trimmed from both ends of a label / tag field (ASCII, as Python's str.strip() on it). */
static int mtl__is_trim_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }
static const char *mtl__trim(const char *s, size_t *len) {
    size_t n = *len;
    while (n && mtl__is_trim_space(*s)) { s++; n--; }
    while (n && mtl__is_trim_space(s[n - 1])) n--;
    *len = n;
    return s;
}

static void mtl__labelmap_free(mtl__labelmap *lm);
static mtl_result mtl__labelmap_build(const mtl__strset *seen, const char *const *given, int n_given,
                                      const char *unknown, const char *what, mtl__labelmap *lm, mtl_error *err) {
    size_t n_seen = seen->off.n, i, bytes = 0;
    int nf, k;
    const char **src;
    mtl_result rc;
    memset(lm, 0, sizeof *lm);
    if (given && n_given <= 0) return mtl__err(err, MTL_ERR_ARG, "an empty %s list was given", what);
    nf = given ? n_given : (int)n_seen;
    src = (const char **)MTL_MALLOC((size_t)(nf ? nf : 1) * sizeof *src);
    lm->map = (int32_t *)MTL_MALLOC((n_seen ? n_seen : 1) * sizeof *lm->map);
    lm->names = (char **)MTL_MALLOC((size_t)(nf ? nf : 1) * sizeof *lm->names);
    if (!src || !lm->map || !lm->names) goto nomem;
    for (k = 0; k < nf; k++) {
        size_t l;
        src[k] = given ? given[k] : mtl__strset_get(seen, (size_t)k);
        if (!src[k]) { rc = mtl__err(err, MTL_ERR_ARG, "%s %d of the given list is NULL", what, k); goto fail; }
        l = strlen(src[k]);
        if (given) {   /* file labels are trimmed and never empty: such a list entry could never match */
            int j;
            if (l == 0) { rc = mtl__err(err, MTL_ERR_ARG, "%s %d of the given list is empty", what, k); goto fail; }
            if (mtl__is_trim_space(src[k][0]) || mtl__is_trim_space(src[k][l - 1])) {
                rc = mtl__err(err, MTL_ERR_ARG, "%s \"%s\" of the given list has surrounding whitespace", what, src[k]);
                goto fail;
            }
            for (j = 0; j < k; j++)
                if (strcmp(src[j], src[k]) == 0) { rc = mtl__err(err, MTL_ERR_ARG, "%s \"%s\" appears twice in the given list", what, src[k]); goto fail; }
        }
        bytes += l + 1;
    }
    if (!given) qsort(src, (size_t)nf, sizeof *src, mtl__cmp_str);
    lm->pool = (char *)MTL_MALLOC(bytes ? bytes : 1);
    if (!lm->pool) goto nomem;
    bytes = 0;
    for (k = 0; k < nf; k++) {
        size_t l = strlen(src[k]) + 1;
        memcpy(lm->pool + bytes, src[k], l);
        lm->names[k] = lm->pool + bytes;
        bytes += l;
    }
    lm->n_final = nf;
    for (i = 0; i < n_seen; i++) {
        const char *s = mtl__strset_get(seen, i);
        int32_t id = -1;
        for (k = 0; k < nf; k++)
            if (strcmp(lm->names[k], s) == 0) { id = (int32_t)k; break; }
        if (id < 0 && unknown) {
            for (k = 0; k < nf; k++)
                if (strcmp(lm->names[k], unknown) == 0) { id = (int32_t)k; break; }
            if (id < 0) { rc = mtl__err(err, MTL_ERR_ARG, "the unknown-%s mapping \"%s\" is not in the %s list", what, unknown, what); goto fail; }
        }
        lm->map[i] = id;
    }
    MTL_FREE(src);
    return MTL_OK;
nomem:
    rc = mtl__err(err, MTL_ERR_NOMEM, "out of memory");
fail:
    MTL_FREE(src);
    mtl__labelmap_free(lm);
    return rc;
}
static void mtl__labelmap_free(mtl__labelmap *lm) {
    MTL_FREE(lm->map);
    MTL_FREE(lm->names);
    MTL_FREE(lm->pool);
    memset(lm, 0, sizeof *lm);
}

/* ---------------------------------------------------------------------------------------------- */
/* Input text: encoding checks and conversion                                                      */
/* ---------------------------------------------------------------------------------------------- */
static const uint16_t mtl__cp1252_hi[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
    0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

/* Produces the UTF-8 text of a file: *out points into data (UTF-8 input) or to a new block in *owned.
   Checks UTF-8 validity (error names the line). Skips a UTF-8 BOM. */
static mtl_result mtl__input_text(const char *data, size_t len, mtl_text_encoding enc, const char *name,
                                  const char **out, size_t *out_len, char **owned, mtl_error *err) {
    *owned = NULL;
    if (enc == MTL_ENC_UTF8) {
        size_t i = 0, line = 1;
        if (len >= 3 && (unsigned char)data[0] == 0xEF && (unsigned char)data[1] == 0xBB && (unsigned char)data[2] == 0xBF) {
            data += 3;
            len -= 3;
        }
        while (i < len) {
            unsigned char c = (unsigned char)data[i];
            if (c < 0x80) {
                if (c == '\n') line++;
                i++;
            } else {
                size_t p = i;
                uint32_t cp = mtl__utf8_next((const unsigned char *)data, len, &i);
                if (cp == 0xFFFD && !(i - p == 3 && c == 0xEF))
                    return mtl__err(err, MTL_ERR_FORMAT, "%s:%lu: not UTF-8 (byte 0x%c%c); pass the file's encoding", name,
                                    (unsigned long)line, "0123456789ABCDEF"[c >> 4], "0123456789ABCDEF"[c & 15]);
            }
        }
        *out = data;
        *out_len = len;
        return MTL_OK;
    } else if (enc == MTL_ENC_LATIN1 || enc == MTL_ENC_CP1252) {
        size_t i, n = 0, extra = 0;
        char *o;
        for (i = 0; i < len; i++) extra += (unsigned char)data[i] >= 0x80 ? 2 : 0;
        o = (char *)MTL_MALLOC(len + extra + 1);
        if (!o) return mtl__err(err, MTL_ERR_NOMEM, "out of memory");
        for (i = 0; i < len; i++) {
            uint32_t c = (unsigned char)data[i];
            if (c >= 0x80 && c < 0xA0 && enc == MTL_ENC_CP1252) c = mtl__cp1252_hi[c - 0x80];
            n += (size_t)mtl__utf8_put(c, (unsigned char *)o + n);
        }
        o[n] = 0;
        *owned = o;
        *out = o;
        *out_len = n;
        return MTL_OK;
    }
    return mtl__err(err, MTL_ERR_ARG, "unknown text encoding %d", (int)enc);
}

/* ---------------------------------------------------------------------------------------------- */
/* CSV / TSV records                                                                               */
/* ---------------------------------------------------------------------------------------------- */
typedef struct mtl__csv {
    const char *s;
    size_t len, pos;
    unsigned long line;      /* line of pos                                               */
    char delim;
    int quoting;
    const char *name;
    mtl__buf fields;         /* the current record's fields, each NUL-terminated          */
    mtl__vec fstart;         /* start offset of each field in fields                      */
    unsigned long rec_line;  /* line where the current record starts                      */
} mtl__csv;

/* Reads the next non-empty record. Returns 1 (a record), 0 (end of input) or -1 (error in err). */
static int mtl__csv_next(mtl__csv *c, mtl_error *err) {
    const char *s = c->s;
    size_t n = c->len;
    for (;;) {
        if (c->pos >= n) return 0;
        if (s[c->pos] == '\n') { c->pos++; c->line++; continue; }
        if (s[c->pos] == '\r' && c->pos + 1 < n && s[c->pos + 1] == '\n') { c->pos += 2; c->line++; continue; }
        break;
    }
    c->fields.n = 0;
    c->fstart.n = 0;
    c->rec_line = c->line;
    for (;;) { /* one field */
        if (!mtl__vec_push(&c->fstart, (int64_t)c->fields.n)) goto nomem;
        if (c->quoting && c->pos < n && s[c->pos] == '"') {
            unsigned long start_line = c->line;
            c->pos++;
            for (;;) {
                size_t q = c->pos;
                while (q < n && s[q] != '"') { if (s[q] == '\n') c->line++; q++; }
                if (!mtl__buf_put(&c->fields, s + c->pos, q - c->pos)) goto nomem;
                if (q >= n) {
                    mtl__err(err, MTL_ERR_FORMAT, "%s:%lu: a quoted field is not closed", c->name, start_line);
                    return -1;
                }
                if (q + 1 < n && s[q + 1] == '"') { if (!mtl__buf_putc(&c->fields, '"')) goto nomem; c->pos = q + 2; continue; }
                c->pos = q + 1;
                break;
            }
            if (c->pos < n && s[c->pos] != c->delim && s[c->pos] != '\n' && !(s[c->pos] == '\r' && c->pos + 1 < n && s[c->pos + 1] == '\n') &&
                !(s[c->pos] == '\r' && c->pos + 1 == n)) {
                mtl__err(err, MTL_ERR_FORMAT, "%s:%lu: a character after a closing quote", c->name, c->line);
                return -1;
            }
        } else {
            size_t q = c->pos;
            while (q < n && s[q] != c->delim && s[q] != '\n') q++;
            { /* drop the \r of a CRLF end */
                size_t e = q;
                if ((q >= n || s[q] == '\n') && e > c->pos && s[e - 1] == '\r') e--;
                if (!mtl__buf_put(&c->fields, s + c->pos, e - c->pos)) goto nomem;
            }
            c->pos = q;
        }
        if (!mtl__buf_putc(&c->fields, 0)) goto nomem;
        if (c->pos < n && s[c->pos] == c->delim) { c->pos++; continue; }
        if (c->pos < n && s[c->pos] == '\r') c->pos++;
        if (c->pos < n && s[c->pos] == '\n') { c->pos++; c->line++; }
        return 1;
    }
nomem:
    mtl__err(err, MTL_ERR_NOMEM, "out of memory");
    return -1;
}
static size_t mtl__csv_nfields(const mtl__csv *c) { return c->fstart.n; }
static const char *mtl__csv_field(const mtl__csv *c, size_t i) { return c->fields.p + c->fstart.p[i]; }
static size_t mtl__csv_field_len(const mtl__csv *c, size_t i) {
    size_t e = i + 1 < c->fstart.n ? (size_t)c->fstart.p[i + 1] - 1 : c->fields.n - 1;
    return e - (size_t)c->fstart.p[i];
}
static void mtl__csv_free(mtl__csv *c) {
    MTL_FREE(c->fields.p);
    MTL_FREE(c->fstart.p);
}
/* Column index of name (exact match), or of the first of the NULL-terminated defaults; -1 if none. */
static int mtl__csv_column(const mtl__csv *c, const char *name, const char *const *defaults) {
    size_t i, d;
    if (name) {
        for (i = 0; i < mtl__csv_nfields(c); i++)
            if (strcmp(mtl__csv_field(c, i), name) == 0) return (int)i;
        return -1;
    }
    for (d = 0; defaults[d]; d++)
        for (i = 0; i < mtl__csv_nfields(c); i++)
            if (strcmp(mtl__csv_field(c, i), defaults[d]) == 0) return (int)i;
    return -1;
}

/* ---------------------------------------------------------------------------------------------- */
/* Cleaning                                                                                        */
/* ---------------------------------------------------------------------------------------------- */
static int mtl__is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
/* Python's str.isspace() (what str.split() splits on). */
static int mtl__is_py_space(uint32_t c) {
    return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) || c == 0x85 || c == 0xA0 || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

/* Decodes an entity at s[i] ('&'); returns its length (0: not an entity) and the code point. */
static size_t mtl__entity(const char *s, size_t len, size_t i, uint32_t *cp) {
    static const char *const names[] = {"amp;", "lt;", "gt;", "quot;", "apos;", "nbsp;"};
    static const uint32_t cps[] = {'&', '<', '>', '"', '\'', 0xA0};
    size_t k;
    for (k = 0; k < 6; k++) {
        size_t l = strlen(names[k]);
        if (i + 1 + l <= len && memcmp(s + i + 1, names[k], l) == 0) { *cp = cps[k]; return l + 1; }
    }
    if (i + 2 < len && s[i + 1] == '#') {
        size_t j = i + 2;
        uint32_t v = 0;
        int hex = 0, digits = 0;
        if (s[j] == 'x' || s[j] == 'X') { hex = 1; j++; }
        for (; j < len && digits < 8; j++, digits++) {
            char c = s[j];
            uint32_t d;
            if (c >= '0' && c <= '9') d = (uint32_t)(c - '0');
            else if (hex && c >= 'a' && c <= 'f') d = (uint32_t)(c - 'a' + 10);
            else if (hex && c >= 'A' && c <= 'F') d = (uint32_t)(c - 'A' + 10);
            else break;
            v = v * (hex ? 16u : 10u) + d;
        }
        if (digits == 0 || j >= len || s[j] != ';') return 0;
        if (v == 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
        *cp = v;
        return j + 1 - i;
    }
    return 0;
}

MTLDEF size_t mtl_clean_text(const char *s, size_t len, int flags, char *out) {
    size_t i = 0, n = 0;
    if (flags & MTL_CLEAN_HTML) {
        while (i < len) {
            char c = s[i];
            if (c == '<' && i + 1 < len && (mtl__is_alpha(s[i + 1]) || s[i + 1] == '/' || s[i + 1] == '!')) {
                size_t j = i + 1;
                while (j < len && s[j] != '>' && s[j] != '<') j++;
                if (j < len && s[j] == '>') { out[n++] = ' '; i = j + 1; continue; }
            }
            if (c == '&') {
                uint32_t cp;
                size_t l = mtl__entity(s, len, i, &cp);
                unsigned char u[4];
                int k, m;
                /* an entity's text is at least as long as its UTF-8 (&#N; >= 4 bytes for 4-byte UTF-8: &#x10000; ) */
                if (l && (m = mtl__utf8_put(cp, u)) <= (int)l) {
                    for (k = 0; k < m; k++) out[n++] = (char)u[k];
                    i += l;
                    continue;
                }
            }
            out[n++] = c;
            i++;
        }
        s = out;
        len = n;
    } else if (out != s && len) {
        memmove(out, s, len);
    }
    n = len;
    if (flags & MTL_CLEAN_SPACE) {
        size_t j = 0;
        int pending = 0;
        i = 0;
        while (i < len) {
            size_t p = i;
            uint32_t cp = (unsigned char)out[i] < 0x80 ? (uint32_t)(unsigned char)out[i++] : mtl__utf8_next((const unsigned char *)out, len, &i);
            if (mtl__is_py_space(cp)) { pending = j > 0; continue; }
            if (pending) { out[j++] = ' '; pending = 0; }
            while (p < i) out[j++] = out[p++];
        }
        n = j;
    }
    out[n] = 0;
    return n;
}

/* ---------------------------------------------------------------------------------------------- */
/* Classification loader                                                                           */
/* ---------------------------------------------------------------------------------------------- */
static const char *const mtl__text_cols[] = {"sentence", "text", "review", "content", NULL};
static const char *const mtl__label_cols[] = {"label", "sentiment", NULL};

MTLDEF void mtl_cls_dataset_free(mtl_cls_dataset *d) {
    if (!d) return;
    MTL_FREE(d->mem_);
    memset(d, 0, sizeof *d);
}

MTLDEF mtl_result mtl_cls_from_memory(const char *data, size_t len, const mtl_cls_load_options *opt_in,
                                      mtl_cls_dataset *out, mtl_error *err) {
    mtl_cls_load_options opt;
    const char *name, *text;
    size_t tlen, i;
    char *owned = NULL;
    mtl__csv c;
    mtl__strset seen;
    mtl__labelmap lm;
    mtl__buf pool;
    mtl__vec toff, tlab, tline;
    int tcol, lcol, r;
    size_t ncols;
    mtl_result rc;
    if (!out) return mtl__err(err, MTL_ERR_ARG, "mtl_cls_from_memory: out is NULL");
    memset(out, 0, sizeof *out);
    if (opt_in) opt = *opt_in; else memset(&opt, 0, sizeof opt);
    name = opt.name ? opt.name : "<memory>";
    if (!data && len) return mtl__err(err, MTL_ERR_ARG, "mtl_cls_from_memory: data is NULL");
    memset(&c, 0, sizeof c);
    memset(&seen, 0, sizeof seen);
    memset(&lm, 0, sizeof lm);
    memset(&pool, 0, sizeof pool);
    memset(&toff, 0, sizeof toff);
    memset(&tlab, 0, sizeof tlab);
    memset(&tline, 0, sizeof tline);
    rc = mtl__input_text(data ? data : "", len, opt.encoding, name, &text, &tlen, &owned, err);
    if (rc) return rc;
    c.s = text;
    c.len = tlen;
    c.line = 1;
    c.name = name;
    if (opt.delimiter) c.delim = opt.delimiter;
    else {
        size_t k = 0;
        c.delim = ',';
        while (k < tlen && text[k] != '\n') { if (text[k] == '\t') { c.delim = '\t'; break; } k++; }
    }
    c.quoting = opt.quoting > 0 || (opt.quoting == 0 && c.delim != '\t');
    r = mtl__csv_next(&c, err);
    if (r < 0) { rc = err ? err->code : MTL_ERR_FORMAT; goto fail; }
    if (r == 0) { rc = mtl__err(err, MTL_ERR_FORMAT, "%s:1: empty file (no header line)", name); goto fail; }
    ncols = mtl__csv_nfields(&c);
    tcol = mtl__csv_column(&c, opt.text_column, mtl__text_cols);
    lcol = mtl__csv_column(&c, opt.label_column, mtl__label_cols);
    if (tcol < 0 || lcol < 0) {
        rc = mtl__err(err, MTL_ERR_FORMAT, "%s:%lu: no %s column \"%s\" in the header", name, c.rec_line,
                      tcol < 0 ? "text" : "label",
                      tcol < 0 ? (opt.text_column ? opt.text_column : "sentence/text/review/content")
                               : (opt.label_column ? opt.label_column : "label/sentiment"));
        goto fail;
    }
    for (;;) {
        size_t fl;
        int32_t li;
        const char *lf;
        r = mtl__csv_next(&c, err);
        if (r < 0) { rc = err ? err->code : MTL_ERR_FORMAT; goto fail; }
        if (r == 0) break;
        if (mtl__csv_nfields(&c) != ncols) {
            rc = mtl__err(err, MTL_ERR_FORMAT, "%s:%lu: %lu fields, the header has %lu", name, c.rec_line,
                          (unsigned long)mtl__csv_nfields(&c), (unsigned long)ncols);
            goto fail;
        }
        fl = mtl__csv_field_len(&c, (size_t)lcol);
        lf = mtl__trim(mtl__csv_field(&c, (size_t)lcol), &fl);
        if (fl == 0) { rc = mtl__err(err, MTL_ERR_FORMAT, "%s:%lu: empty label", name, c.rec_line); goto fail; }
        li = mtl__strset_add(&seen, lf, fl);
        if (li < 0) goto nomem;
        if (!mtl__vec_push(&toff, (int64_t)pool.n) || !mtl__vec_push(&tlab, li) || !mtl__vec_push(&tline, (int64_t)c.rec_line))
            goto nomem;
        fl = mtl__csv_field_len(&c, (size_t)tcol);
        if (!mtl__buf_reserve(&pool, fl + 1)) goto nomem;
        fl = mtl_clean_text(mtl__csv_field(&c, (size_t)tcol), fl, opt.clean, pool.p + pool.n);
        pool.n += fl + 1;
    }
    if (toff.n == 0) { rc = mtl__err(err, MTL_ERR_FORMAT, "%s:%lu: no data rows after the header", name, c.line); goto fail; }
    if (toff.n > 0x7FFFFFFF) { rc = mtl__err(err, MTL_ERR_TOO_LONG, "%s: too many rows", name); goto fail; }
    rc = mtl__labelmap_build(&seen, opt.labels, opt.n_labels, opt.unknown_label, "label", &lm, err);
    if (rc) goto fail;
    for (i = 0; i < toff.n; i++)
        if (lm.map[tlab.p[i]] < 0) {
            rc = mtl__err(err, MTL_ERR_FORMAT, "%s:%ld: unknown label \"%s\" (not in the given label list)", name,
                          (long)tline.p[i], mtl__strset_get(&seen, (size_t)tlab.p[i]));
            goto fail;
        }
    { /* one block: texts[] text_lens[] label_names[] labels[] lines[] label_counts[] label_lines[] + label strings + texts */
        size_t n = toff.n, nl = (size_t)lm.n_final, lbytes = 0, k, off;
        unsigned char *blk;
        for (k = 0; k < nl; k++) lbytes += strlen(lm.names[k]) + 1;
        off = n * sizeof(char *) + n * sizeof(size_t) + nl * sizeof(char *) + (2 * n + 2 * nl) * sizeof(int32_t);
        blk = (unsigned char *)MTL_MALLOC(off + lbytes + pool.n + 1);
        if (!blk) goto nomem;
        out->texts = (char **)(void *)blk;
        out->text_lens = (size_t *)(void *)(blk + n * sizeof(char *));
        out->label_names = (char **)(void *)(blk + n * sizeof(char *) + n * sizeof(size_t));
        out->labels = (int32_t *)(void *)(blk + n * sizeof(char *) + n * sizeof(size_t) + nl * sizeof(char *));
        out->lines = out->labels + n;
        out->label_counts = out->lines + n;
        out->label_lines = out->label_counts + nl;
        {
            char *ls = (char *)blk + off, *ts = (char *)blk + off + lbytes;
            for (k = 0; k < nl; k++) {
                size_t l = strlen(lm.names[k]) + 1;
                memcpy(ls, lm.names[k], l);
                out->label_names[k] = ls;
                ls += l;
            }
            if (pool.n) memcpy(ts, pool.p, pool.n);
            for (k = 0; k < n; k++) {
                out->texts[k] = ts + toff.p[k];
                out->text_lens[k] = strlen(out->texts[k]);
                out->labels[k] = lm.map[tlab.p[k]];
                out->lines[k] = (int32_t)tline.p[k];
            }
            for (k = 0; k < nl; k++) out->label_counts[k] = out->label_lines[k] = 0;
            for (k = 0; k < n; k++) {
                if (!out->label_counts[out->labels[k]]++) out->label_lines[out->labels[k]] = out->lines[k];
            }
        }
        out->n = (int)n;
        out->n_labels = (int)nl;
        out->mem_ = blk;
    }
    rc = MTL_OK;
    mtl__ok(err);
    goto done;
nomem:
    rc = mtl__err(err, MTL_ERR_NOMEM, "out of memory");
fail:
    memset(out, 0, sizeof *out);
done:
    MTL_FREE(owned);
    mtl__csv_free(&c);
    mtl__strset_free(&seen);
    mtl__labelmap_free(&lm);
    MTL_FREE(pool.p);
    MTL_FREE(toff.p);
    MTL_FREE(tlab.p);
    MTL_FREE(tline.p);
    return rc;
}

/* ---------------------------------------------------------------------------------------------- */
/* NER loaders                                                                                     */
/* ---------------------------------------------------------------------------------------------- */
typedef struct mtl__nerb {
    mtl__buf words;        /* NUL-separated words                                        */
    mtl__vec woff, wtag, wline;
    mtl__vec sstart, sline;
    mtl__strset seen;
} mtl__nerb;

static void mtl__nerb_free(mtl__nerb *b) {
    MTL_FREE(b->words.p);
    MTL_FREE(b->woff.p);
    MTL_FREE(b->wtag.p);
    MTL_FREE(b->wline.p);
    MTL_FREE(b->sstart.p);
    MTL_FREE(b->sline.p);
    mtl__strset_free(&b->seen);
}
static int mtl__nerb_word(mtl__nerb *b, const char *w, size_t wl, const char *t, size_t tl, unsigned long line) {
    int32_t ti = mtl__strset_add(&b->seen, t, tl);
    if (ti < 0) return 0;
    return mtl__vec_push(&b->woff, (int64_t)b->words.n) && mtl__buf_put(&b->words, w, wl) && mtl__buf_putc(&b->words, 0) &&
           mtl__vec_push(&b->wtag, ti) && mtl__vec_push(&b->wline, (int64_t)line);
}
/* Starts a new sentence at the next word (no-op when the current one is empty). */
static int mtl__nerb_break(mtl__nerb *b) {
    if (b->sstart.n && (size_t)b->sstart.p[b->sstart.n - 1] == b->woff.n) return 1;
    return mtl__vec_push(&b->sstart, (int64_t)b->woff.n);
}

/* Splits "B-PER" into prefix char and type; returns 0 for a tag that is not O / B-x / I-x. */
static int mtl__iob_parse(const char *t, char *prefix, const char **type) {
    if (t[0] == 'O' && t[1] == 0) { *prefix = 'O'; *type = ""; return 1; }
    if ((t[0] == 'B' || t[0] == 'I') && t[1] == '-' && t[2]) { *prefix = t[0]; *type = t + 2; return 1; }
    return 0;
}

static mtl_result mtl__nerb_finish(mtl__nerb *b, const mtl_ner_load_options *opt, const char *name, mtl_ner_dataset *out, mtl_error *err) {
    mtl__labelmap lm;
    mtl_result rc;
    size_t n, nw, nl, lbytes = 0, k, off, s;
    unsigned char *blk;
    int32_t *tmp = NULL;
    memset(&lm, 0, sizeof lm);
    /* sentence starts: sstart holds starts; drop a trailing empty one */
    if (b->sstart.n && (size_t)b->sstart.p[b->sstart.n - 1] == b->woff.n) b->sstart.n--;
    n = b->sstart.n;
    nw = b->woff.n;
    if (n == 0 || nw == 0) return mtl__err(err, MTL_ERR_FORMAT, "%s:1: empty file (no sentence)", name);
    if (nw > 0x7FFFFFFF) return mtl__err(err, MTL_ERR_TOO_LONG, "%s: too many words", name);
    /* IOB1 -> IOB2 on the raw tag strings: make the converted strings part of the seen set */
    if (opt->iob1) {
        tmp = (int32_t *)MTL_MALLOC(nw * sizeof *tmp);
        if (!tmp) return mtl__err(err, MTL_ERR_NOMEM, "out of memory");
        for (s = 0; s < n; s++) {
            size_t a = (size_t)b->sstart.p[s], e = s + 1 < n ? (size_t)b->sstart.p[s + 1] : nw, w;
            char pp = 'O';
            const char *ptype = "";
            for (w = a; w < e; w++) {
                const char *t = mtl__strset_get(&b->seen, (size_t)b->wtag.p[w]);
                char p;
                const char *ty;
                if (!mtl__iob_parse(t, &p, &ty)) {
                    MTL_FREE(tmp);
                    return mtl__err(err, MTL_ERR_FORMAT, "%s:%ld: tag \"%s\" is not O, B-X or I-X (IOB1)", name, (long)b->wline.p[w], t);
                }
                tmp[w] = (int32_t)b->wtag.p[w];
                if (p == 'I' && (pp == 'O' || strcmp(ptype, ty) != 0)) {
                    mtl__buf nb;
                    int32_t id;
                    memset(&nb, 0, sizeof nb);
                    if (!mtl__buf_put(&nb, "B-", 2) || !mtl__buf_put(&nb, ty, strlen(ty))) { MTL_FREE(nb.p); MTL_FREE(tmp); return mtl__err(err, MTL_ERR_NOMEM, "out of memory"); }
                    id = mtl__strset_add(&b->seen, nb.p, nb.n);
                    MTL_FREE(nb.p);
                    if (id < 0) { MTL_FREE(tmp); return mtl__err(err, MTL_ERR_NOMEM, "out of memory"); }
                    tmp[w] = id;
                    /* strings may have moved: re-fetch the type of this word for the next comparison */
                    t = mtl__strset_get(&b->seen, (size_t)b->wtag.p[w]);
                    mtl__iob_parse(t, &p, &ty);
                }
                pp = p;
                ptype = ty;
            }
        }
        for (k = 0; k < nw; k++) b->wtag.p[k] = tmp[k];
        MTL_FREE(tmp);
        /* tags that only occurred before conversion (I-X at a start that never occurs elsewhere) stay in
           the seen set; drop unused ones so that the label set is exactly the converted tags */
        {
            mtl__strset used;
            int32_t *remap = (int32_t *)MTL_MALLOC((b->seen.off.n ? b->seen.off.n : 1) * sizeof *remap);
            memset(&used, 0, sizeof used);
            if (!remap) return mtl__err(err, MTL_ERR_NOMEM, "out of memory");
            for (k = 0; k < b->seen.off.n; k++) remap[k] = -1;
            for (k = 0; k < nw; k++) {
                int32_t old = (int32_t)b->wtag.p[k];
                if (remap[old] < 0) {
                    const char *t = mtl__strset_get(&b->seen, (size_t)old);
                    remap[old] = mtl__strset_add(&used, t, strlen(t));
                    if (remap[old] < 0) { MTL_FREE(remap); mtl__strset_free(&used); return mtl__err(err, MTL_ERR_NOMEM, "out of memory"); }
                }
                b->wtag.p[k] = remap[old];
            }
            MTL_FREE(remap);
            mtl__strset_free(&b->seen);
            b->seen = used;
        }
    }
    rc = mtl__labelmap_build(&b->seen, opt->tags, opt->n_tags, opt->unknown_tag, "tag", &lm, err);
    if (rc) return rc;
    for (k = 0; k < nw; k++)
        if (lm.map[b->wtag.p[k]] < 0) {
            rc = mtl__err(err, MTL_ERR_FORMAT, "%s:%ld: unknown tag \"%s\" (not in the given tag list)", name, (long)b->wline.p[k],
                          mtl__strset_get(&b->seen, (size_t)b->wtag.p[k]));
            mtl__labelmap_free(&lm);
            return rc;
        }
    nl = (size_t)lm.n_final;
    for (k = 0; k < nl; k++) lbytes += strlen(lm.names[k]) + 1;
    /* one block: words[] word_lens[] tag_names[] | sent_start[n+1] lines[n] tags[nw] tag_counts[nl] tag_lines[nl] | strings */
    off = nw * sizeof(char *) + nw * sizeof(size_t) + nl * sizeof(char *) + (2 * n + 1 + nw + 2 * nl) * sizeof(int32_t);
    blk = (unsigned char *)MTL_MALLOC(off + lbytes + b->words.n + 1);
    if (!blk) { mtl__labelmap_free(&lm); return mtl__err(err, MTL_ERR_NOMEM, "out of memory"); }
    out->words = (char **)(void *)blk;
    out->word_lens = (size_t *)(void *)(blk + nw * sizeof(char *));
    out->tag_names = (char **)(void *)(blk + nw * sizeof(char *) + nw * sizeof(size_t));
    out->sent_start = (int32_t *)(void *)(blk + nw * sizeof(char *) + nw * sizeof(size_t) + nl * sizeof(char *));
    out->lines = out->sent_start + n + 1;
    out->tags = out->lines + n;
    out->tag_counts = out->tags + nw;
    out->tag_lines = out->tag_counts + nl;
    {
        char *ls = (char *)blk + off, *ws = (char *)blk + off + lbytes;
        for (k = 0; k < nl; k++) {
            size_t l = strlen(lm.names[k]) + 1;
            memcpy(ls, lm.names[k], l);
            out->tag_names[k] = ls;
            ls += l;
        }
        if (b->words.n) memcpy(ws, b->words.p, b->words.n);
        for (k = 0; k < nw; k++) {
            out->words[k] = ws + b->woff.p[k];
            out->word_lens[k] = strlen(out->words[k]);
            out->tags[k] = lm.map[b->wtag.p[k]];
        }
        for (k = 0; k < nl; k++) out->tag_counts[k] = out->tag_lines[k] = 0;
        for (k = 0; k < nw; k++)
            if (!out->tag_counts[out->tags[k]]++) out->tag_lines[out->tags[k]] = (int32_t)b->wline.p[k];
        for (k = 0; k < n; k++) {
            out->sent_start[k] = (int32_t)b->sstart.p[k];
            out->lines[k] = (int32_t)b->wline.p[b->sstart.p[k]];
        }
        out->sent_start[n] = (int32_t)nw;
    }
    out->n = (int)n;
    out->n_words = (int)nw;
    out->n_tags = (int)nl;
    out->mem_ = blk;
    mtl__labelmap_free(&lm);
    return MTL_OK;
}

MTLDEF void mtl_ner_dataset_free(mtl_ner_dataset *d) {
    if (!d) return;
    MTL_FREE(d->mem_);
    memset(d, 0, sizeof *d);
}

MTLDEF mtl_result mtl_ner_conll_from_memory(const char *data, size_t len, const mtl_ner_load_options *opt_in,
                                            mtl_ner_dataset *out, mtl_error *err) {
    mtl_ner_load_options opt;
    const char *name, *text;
    size_t tlen, p = 0;
    unsigned long line = 1;
    char *owned = NULL;
    mtl__nerb b;
    mtl_result rc;
    if (!out) return mtl__err(err, MTL_ERR_ARG, "mtl_ner_conll_from_memory: out is NULL");
    memset(out, 0, sizeof *out);
    if (opt_in) opt = *opt_in; else memset(&opt, 0, sizeof opt);
    name = opt.name ? opt.name : "<memory>";
    if (!data && len) return mtl__err(err, MTL_ERR_ARG, "mtl_ner_conll_from_memory: data is NULL");
    memset(&b, 0, sizeof b);
    rc = mtl__input_text(data ? data : "", len, opt.encoding, name, &text, &tlen, &owned, err);
    if (rc) return rc;
    if (!mtl__nerb_break(&b)) goto nomem;
    while (p < tlen) {
        size_t e = p, q, ws, we, ts, te, ncol = 0;
        while (e < tlen && text[e] != '\n') e++;
        q = e;
        if (q > p && text[q - 1] == '\r') q--;
        { /* columns: first and last whitespace-separated fields */
            size_t i = p;
            ws = we = ts = te = 0;
            while (i < q) {
                size_t a;
                while (i < q && (text[i] == ' ' || text[i] == '\t')) i++;
                if (i >= q) break;
                a = i;
                while (i < q && text[i] != ' ' && text[i] != '\t') i++;
                if (ncol == 0) { ws = a; we = i; }
                ts = a;
                te = i;
                ncol++;
            }
        }
        if (ncol == 0) {
            if (!mtl__nerb_break(&b)) goto nomem;
        } else if (we - ws == 10 && memcmp(text + ws, "-DOCSTART-", 10) == 0) {
            if (!mtl__nerb_break(&b)) goto nomem;
        } else if (ncol < 2) {
            rc = mtl__err(err, MTL_ERR_FORMAT, "%s:%lu: a token line needs at least 2 columns (word ... tag)", name, line);
            goto fail;
        } else {
            if (!mtl__nerb_word(&b, text + ws, we - ws, text + ts, te - ts, line)) goto nomem;
        }
        p = e < tlen ? e + 1 : e;
        line++;
    }
    rc = mtl__nerb_finish(&b, &opt, name, out, err);
    if (rc) goto fail;
    mtl__ok(err);
    goto done;
nomem:
    rc = mtl__err(err, MTL_ERR_NOMEM, "out of memory");
fail:
    memset(out, 0, sizeof *out);
done:
    MTL_FREE(owned);
    mtl__nerb_free(&b);
    return rc;
}

MTLDEF mtl_result mtl_ner_csv_from_memory(const char *data, size_t len, const mtl_ner_load_options *opt_in,
                                          mtl_ner_dataset *out, mtl_error *err) {
    static const char *const none[] = {NULL};
    mtl_ner_load_options opt;
    const char *name, *text;
    size_t tlen, ncols;
    char *owned = NULL;
    mtl__nerb b;
    mtl__csv c;
    mtl_result rc;
    int scol, wcol, tcol, r, any = 0;
    if (!out) return mtl__err(err, MTL_ERR_ARG, "mtl_ner_csv_from_memory: out is NULL");
    memset(out, 0, sizeof *out);
    if (opt_in) opt = *opt_in; else memset(&opt, 0, sizeof opt);
    name = opt.name ? opt.name : "<memory>";
    if (!data && len) return mtl__err(err, MTL_ERR_ARG, "mtl_ner_csv_from_memory: data is NULL");
    memset(&b, 0, sizeof b);
    memset(&c, 0, sizeof c);
    rc = mtl__input_text(data ? data : "", len, opt.encoding, name, &text, &tlen, &owned, err);
    if (rc) return rc;
    c.s = text;
    c.len = tlen;
    c.line = 1;
    c.name = name;
    c.delim = ',';
    c.quoting = 1;
    r = mtl__csv_next(&c, err);
    if (r < 0) { rc = err ? err->code : MTL_ERR_FORMAT; goto fail; }
    if (r == 0) { rc = mtl__err(err, MTL_ERR_FORMAT, "%s:1: empty file (no header line)", name); goto fail; }
    ncols = mtl__csv_nfields(&c);
    scol = mtl__csv_column(&c, opt.sentence_column ? opt.sentence_column : "Sentence #", none);
    wcol = mtl__csv_column(&c, opt.word_column ? opt.word_column : "Word", none);
    tcol = mtl__csv_column(&c, opt.tag_column ? opt.tag_column : "Tag", none);
    if (scol < 0 || wcol < 0 || tcol < 0) {
        rc = mtl__err(err, MTL_ERR_FORMAT, "%s:%lu: no column \"%s\" in the header", name, c.rec_line,
                      scol < 0 ? (opt.sentence_column ? opt.sentence_column : "Sentence #")
                      : wcol < 0 ? (opt.word_column ? opt.word_column : "Word") : (opt.tag_column ? opt.tag_column : "Tag"));
        goto fail;
    }
    for (;;) {
        const char *tf;
        size_t tl;
        r = mtl__csv_next(&c, err);
        if (r < 0) { rc = err ? err->code : MTL_ERR_FORMAT; goto fail; }
        if (r == 0) break;
        if (mtl__csv_nfields(&c) != ncols) {
            rc = mtl__err(err, MTL_ERR_FORMAT, "%s:%lu: %lu fields, the header has %lu", name, c.rec_line,
                          (unsigned long)mtl__csv_nfields(&c), (unsigned long)ncols);
            goto fail;
        }
        if (mtl__csv_field_len(&c, (size_t)scol)) {
            if (!mtl__nerb_break(&b)) goto nomem;
        } else if (!any) {
            rc = mtl__err(err, MTL_ERR_FORMAT, "%s:%lu: the first row has no sentence id", name, c.rec_line);
            goto fail;
        }
        tl = mtl__csv_field_len(&c, (size_t)tcol);
        tf = mtl__trim(mtl__csv_field(&c, (size_t)tcol), &tl);
        if (!tl) {
            rc = mtl__err(err, MTL_ERR_FORMAT, "%s:%lu: empty tag", name, c.rec_line);
            goto fail;
        }
        if (!mtl__nerb_word(&b, mtl__csv_field(&c, (size_t)wcol), mtl__csv_field_len(&c, (size_t)wcol), tf, tl, c.rec_line))
            goto nomem;
        any = 1;
    }
    rc = mtl__nerb_finish(&b, &opt, name, out, err);
    if (rc) goto fail;
    mtl__ok(err);
    goto done;
nomem:
    rc = mtl__err(err, MTL_ERR_NOMEM, "out of memory");
fail:
    memset(out, 0, sizeof *out);
done:
    MTL_FREE(owned);
    mtl__csv_free(&c);
    mtl__nerb_free(&b);
    return rc;
}

#ifndef MTL_NO_STDIO
MTLDEF mtl_result mtl_cls_load(const char *path, const mtl_cls_load_options *opt, mtl_cls_dataset *out, mtl_error *err) {
    mtl_cls_load_options o;
    char *data;
    size_t len;
    mtl_result rc;
    if (out) memset(out, 0, sizeof *out);
    if (!path) return mtl__err(err, MTL_ERR_ARG, "mtl_cls_load: path is NULL");
    rc = mtl__read_file(path, &data, &len, err);
    if (rc) return rc;
    if (opt) o = *opt; else memset(&o, 0, sizeof o);
    if (!o.name) o.name = path;
    rc = mtl_cls_from_memory(data, len, &o, out, err);
    MTL_FREE(data);
    return rc;
}
static mtl_result mtl__ner_load(const char *path, const mtl_ner_load_options *opt, mtl_ner_dataset *out, mtl_error *err, int csv) {
    mtl_ner_load_options o;
    char *data;
    size_t len;
    mtl_result rc;
    if (out) memset(out, 0, sizeof *out);
    if (!path) return mtl__err(err, MTL_ERR_ARG, "NER load: path is NULL");
    rc = mtl__read_file(path, &data, &len, err);
    if (rc) return rc;
    if (opt) o = *opt; else memset(&o, 0, sizeof o);
    if (!o.name) o.name = path;
    rc = csv ? mtl_ner_csv_from_memory(data, len, &o, out, err) : mtl_ner_conll_from_memory(data, len, &o, out, err);
    MTL_FREE(data);
    return rc;
}
MTLDEF mtl_result mtl_ner_load_conll(const char *path, const mtl_ner_load_options *opt, mtl_ner_dataset *out, mtl_error *err) {
    return mtl__ner_load(path, opt, out, err, 0);
}
MTLDEF mtl_result mtl_ner_load_csv(const char *path, const mtl_ner_load_options *opt, mtl_ner_dataset *out, mtl_error *err) {
    return mtl__ner_load(path, opt, out, err, 1);
}
#endif

MTLDEF void mtl_tags_b_to_i(const char *const *names, int n, int32_t *map) {
    int i, j;
    for (i = 0; i < n; i++) {
        map[i] = i;
        if (names[i] && names[i][0] == 'B' && names[i][1] == '-') {
            for (j = 0; j < n; j++)
                if (names[j] && names[j][0] == 'I' && names[j][1] == '-' && strcmp(names[j] + 2, names[i] + 2) == 0) { map[i] = j; break; }
        }
    }
}

/* ---------------------------------------------------------------------------------------------- */
/* Alignment                                                                                       */
/* ---------------------------------------------------------------------------------------------- */
MTLDEF void mtl_aligned_free(mtl_aligned *a) {
    if (!a) return;
    MTL_FREE(a->ids);
    MTL_FREE(a->text);
    MTL_FREE(a->woff);
    mtl_encoding_free(&a->enc);
    memset(a, 0, sizeof *a);
}

MTLDEF mtl_result mtl_align_words(const mtl_tokenizer *tok, const char *const *words, const size_t *lens, int n_words,
                                  const int32_t *tags, const mtl_align_options *opt_in, mtl_aligned *a, mtl_error *err) {
    mtl_align_options opt;
    mtl_encode_options eo;
    size_t total = 0, p;
    int i, t, n;
    int32_t prev;
    mtl_result rc;
    if (!tok || !a || n_words < 0 || (n_words > 0 && !words)) return mtl__err(err, MTL_ERR_ARG, "mtl_align_words: bad arguments");
    if (opt_in) opt = *opt_in; else memset(&opt, 0, sizeof opt);
    for (i = 0; i < n_words; i++) {
        if (!words[i]) return mtl__err(err, MTL_ERR_ARG, "mtl_align_words: word %d is NULL", i);
        total += (lens ? lens[i] : strlen(words[i])) + 1;
    }
    if (total > 0x7FFFFFFF) return mtl__err(err, MTL_ERR_TOO_LONG, "mtl_align_words: the sentence is too long");
    if (total + 1 > a->text_cap) {
        char *nt = (char *)MTL_REALLOC(a->text, total + 1);
        if (!nt) return mtl__err(err, MTL_ERR_NOMEM, "out of memory");
        a->text = nt;
        a->text_cap = total + 1;
    }
    if (n_words + 1 > a->woff_cap) {
        int32_t *nw = (int32_t *)MTL_REALLOC(a->woff, (size_t)(n_words + 1) * sizeof *nw);
        if (!nw) return mtl__err(err, MTL_ERR_NOMEM, "out of memory");
        a->woff = nw;
        a->woff_cap = n_words + 1;
    }
    p = 0;
#ifndef MTL_NO_TOKENIZER
    if (opt.split_into_words && tok->model == MTL__MODEL_BPE && !tok->bpe_prefix_space && n_words > 0) a->text[p++] = ' ';
#endif
    for (i = 0; i < n_words; i++) {
        size_t l = lens ? lens[i] : strlen(words[i]);
        if (i) a->text[p++] = ' ';
        a->woff[i] = (int32_t)p;
        if (l) memcpy(a->text + p, words[i], l);
        p += l;
    }
    a->text[p] = 0;
    memset(&eo, 0, sizeof eo);
    eo.max_length = opt.max_length > 0 ? opt.max_length : 0;
    if (opt.pad_to > 0) { eo.padding = MTL_PAD_MAX_LENGTH; eo.pad_length = opt.pad_to; }
    rc = mtl_encode(tok, a->text, p, &eo, &a->enc, err);
    if (rc) return rc;
    n = a->enc.n;
    if (n > a->cap) {
        int32_t *blk = (int32_t *)MTL_REALLOC(a->ids, (size_t)n * 5 * sizeof *blk);
        if (!blk) return mtl__err(err, MTL_ERR_NOMEM, "out of memory");
        a->ids = blk;
        a->cap = n;
    }
    a->type_ids = a->ids + a->cap;
    a->attention_mask = a->ids + 2 * a->cap;
    a->word_ids = a->ids + 3 * a->cap;
    a->labels = a->ids + 4 * a->cap;
    a->n = n;
    a->truncated = a->enc.truncated;
    prev = -2;
    for (t = 0; t < n; t++) {
        int32_t w = -1, lab = -100;
        a->ids[t] = a->enc.ids[t];
        a->type_ids[t] = a->enc.type_ids[t];
        a->attention_mask[t] = a->enc.attention_mask[t];
        if (a->enc.word_ids[t] >= 0) { /* template and pad tokens have -1; "[SEP]" typed in a word is that word's (as HF) */
            int32_t s = a->enc.offsets[2 * t];
            int lo = 0, hi = n_words - 1;
            while (lo < hi) { /* the last word starting at or before s */
                int mid = (lo + hi + 1) / 2;
                if (a->woff[mid] <= s) lo = mid; else hi = mid - 1;
            }
            w = lo;
        }
        if (w >= 0 && tags) {
            if (w != prev) lab = tags[w];
            else if (opt.label_all_tokens) lab = opt.b_to_i && tags[w] >= 0 ? opt.b_to_i[tags[w]] : tags[w];
        }
        a->word_ids[t] = w;
        a->labels[t] = lab;
        prev = w;
    }
    mtl__ok(err);
    return MTL_OK;
}

MTLDEF int mtl_aligned_keep_labeled(const mtl_aligned *al, const int32_t *token_pred, int32_t *pred_out, int32_t *label_out) {
    int t, k = 0;
    if (!al) return 0;
    for (t = 0; t < al->n; t++) {
        if (al->labels[t] == -100) continue;
        if (pred_out && token_pred) pred_out[k] = token_pred[t];
        if (label_out) label_out[k] = al->labels[t];
        k++;
    }
    return k;
}

/* ---------------------------------------------------------------------------------------------- */
/* Shuffling                                                                                       */
/* ---------------------------------------------------------------------------------------------- */
MTLDEF uint64_t mtl_rng_next(uint64_t *state) {
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
MTLDEF uint64_t mtl_rng_below(uint64_t *state, uint64_t bound) {
    uint64_t limit, r;
    if (bound <= 1) return 0;
    limit = (uint64_t)0 - ((uint64_t)0 - bound) % bound; /* largest multiple of bound, mod 2^64 */
    do r = mtl_rng_next(state); while (limit && r >= limit);
    return r % bound;
}
MTLDEF void mtl_shuffle(int32_t *idx, int n, uint64_t seed) {
    uint64_t st = seed;
    int i;
    for (i = 0; i < n; i++) idx[i] = i;
    for (i = n - 1; i > 0; i--) {
        int j = (int)mtl_rng_below(&st, (uint64_t)i + 1);
        int32_t tmp = idx[i];
        idx[i] = idx[j];
        idx[j] = tmp;
    }
}

/* ---------------------------------------------------------------------------------------------- */
/* Metrics                                                                                         */
/* ---------------------------------------------------------------------------------------------- */
/* numpy's pairwise summation of a contiguous float64 array (np.add.reduce). */
static double mtl__np_sum(const double *a, size_t n) {
    if (n < 8) {
        double r = 0.;
        size_t i;
        for (i = 0; i < n; i++) r += a[i];
        return r;
    } else if (n <= 128) {
        double r[8], res;
        size_t i, j;
        for (j = 0; j < 8; j++) r[j] = a[j];
        for (i = 8; i < n - (n % 8); i += 8)
            for (j = 0; j < 8; j++) r[j] += a[i + j];
        res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for (; i < n; i++) res += a[i];
        return res;
    } else {
        size_t n2 = n / 2;
        n2 -= n2 % 8;
        return mtl__np_sum(a, n2) + mtl__np_sum(a + n2, n - n2);
    }
}
static double mtl__div0(double a, double b) { return b == 0 ? 0.0 : a / b; }

/* Averages of per-class scores: macro (np.mean) and weighted (np.average with support weights; all
   weights zero -> unweighted). tmp holds 2n doubles. */
static void mtl__averages(const mtl_prfs *pc, int n, double *tmp, mtl_prfs *macro, mtl_prfs *weighted, int seqeval) {
    int k, m;
    int64_t tot = 0;
    for (k = 0; k < n; k++) tot += pc[k].support;
    for (m = 0; m < 3; m++) {
        double mac, wei, sw;
        for (k = 0; k < n; k++) {
            double v = m == 0 ? pc[k].precision : m == 1 ? pc[k].recall : pc[k].f1;
            tmp[k] = v;
            tmp[n + k] = v * (double)pc[k].support;
        }
        mac = n ? mtl__np_sum(tmp, (size_t)n) / (double)n : 0.0;
        for (k = 0; k < n; k++) tmp[k] = (double)pc[k].support;
        sw = mtl__np_sum(tmp, (size_t)n);
        if (sw != 0) wei = mtl__np_sum(tmp + n, (size_t)n) / sw;
        else wei = seqeval ? 0.0 : mac;
        if (m == 0) { macro->precision = mac; weighted->precision = wei; }
        else if (m == 1) { macro->recall = mac; weighted->recall = wei; }
        else { macro->f1 = mac; weighted->f1 = wei; }
    }
    macro->support = weighted->support = tot;
}

MTLDEF void mtl_cls_metrics_free(mtl_cls_metrics *m) {
    if (!m) return;
    MTL_FREE(m->per_class);
    memset(m, 0, sizeof *m);
}

MTLDEF mtl_result mtl_cls_metrics_compute(const int32_t *yt, const int32_t *yp, int64_t n, int nc, mtl_cls_metrics *m, mtl_error *err) {
    int64_t i, tp_all = 0;
    int k;
    size_t bytes;
    unsigned char *blk;
    double *tmp;
    if (!m) return mtl__err(err, MTL_ERR_ARG, "mtl_cls_metrics_compute: out is NULL");
    memset(m, 0, sizeof *m);
    if (n <= 0 || nc <= 0 || !yt || !yp) return mtl__err(err, MTL_ERR_ARG, "mtl_cls_metrics_compute: need n > 0 examples and n_classes > 0");
    if ((uint64_t)nc > 46340) return mtl__err(err, MTL_ERR_TOO_LONG, "mtl_cls_metrics_compute: too many classes");
    for (i = 0; i < n; i++)
        if (yt[i] < 0 || yt[i] >= nc || yp[i] < 0 || yp[i] >= nc)
            return mtl__err(err, MTL_ERR_ARG, "mtl_cls_metrics_compute: example %ld: class id %d outside [0, %d)", (long)i,
                            (int)(yt[i] < 0 || yt[i] >= nc ? yt[i] : yp[i]), nc);
    bytes = (size_t)nc * sizeof(mtl_prfs) + (size_t)nc * sizeof(int64_t) * (size_t)(nc + 1) + 2 * (size_t)nc * sizeof(double);
    blk = (unsigned char *)MTL_MALLOC(bytes);
    if (!blk) return mtl__err(err, MTL_ERR_NOMEM, "out of memory");
    memset(blk, 0, bytes);
    m->per_class = (mtl_prfs *)(void *)blk;
    m->pred_count = (int64_t *)(void *)(blk + (size_t)nc * sizeof(mtl_prfs));
    m->confusion = m->pred_count + nc;
    tmp = (double *)(void *)(m->confusion + (size_t)nc * (size_t)nc);
    m->n_classes = nc;
    m->n = n;
    for (i = 0; i < n; i++) {
        m->confusion[(size_t)yt[i] * (size_t)nc + (size_t)yp[i]]++;
        m->per_class[yt[i]].support++;
        m->pred_count[yp[i]]++;
        tp_all += yt[i] == yp[i];
    }
    for (k = 0; k < nc; k++) {
        mtl_prfs *c = &m->per_class[k];
        double tp = (double)m->confusion[(size_t)k * (size_t)nc + (size_t)k];
        c->precision = mtl__div0(tp, (double)m->pred_count[k]);
        c->recall = mtl__div0(tp, (double)c->support);
        c->f1 = mtl__div0(2.0 * tp, (double)c->support + (double)m->pred_count[k]);
    }
    m->accuracy = (double)tp_all / (double)n;
    m->micro.precision = m->micro.recall = m->accuracy;
    m->micro.f1 = mtl__div0(2.0 * (double)tp_all, 2.0 * (double)n);
    m->micro.support = n;
    mtl__averages(m->per_class, nc, tmp, &m->macro, &m->weighted, 0);
    mtl__ok(err);
    return MTL_OK;
}

typedef struct mtl__ent {
    int32_t start, end, type;
} mtl__ent;

/* Strict IOB2 entities of one sentence (seqeval 1.2.2 Tokens.entities with scheme IOB2). */
static size_t mtl__entities(const int32_t *tags, int32_t a, int32_t e, const char *pre, const int32_t *ttype, mtl__ent *out) {
    int32_t i = a;
    size_t k = 0;
    while (i < e) {
        if (pre[tags[i]] == 'B') {
            int32_t j = i + 1, ty = ttype[tags[i]];
            while (j < e && pre[tags[j]] == 'I' && ttype[tags[j]] == ty) j++;
            out[k].start = i;
            out[k].end = j;
            out[k].type = ty;
            k++;
            i = j;
        } else {
            i++;
        }
    }
    return k;
}

MTLDEF void mtl_ner_metrics_free(mtl_ner_metrics *m) {
    if (!m) return;
    MTL_FREE(m->mem_);
    memset(m, 0, sizeof *m);
}

MTLDEF mtl_result mtl_ner_metrics_compute(const int32_t *yt, const int32_t *yp, const int32_t *ss, int n_sent,
                                          const char *const *names, int n_tags, mtl_ner_metrics *m, mtl_error *err) {
    char *pre = NULL;
    int32_t *ttype = NULL, *tidx = NULL;
    int64_t *cnt_true = NULL;
    mtl__ent *et = NULL, *ep = NULL;
    mtl__strset types;
    const char **tnames = NULL;
    int *present = NULL;
    int s, k, nt, nuniq;
    int32_t maxlen = 0;
    mtl_result rc = MTL_OK;
    if (!m) return mtl__err(err, MTL_ERR_ARG, "mtl_ner_metrics_compute: out is NULL");
    memset(m, 0, sizeof *m);
    memset(&types, 0, sizeof types);
    if (n_sent < 0 || n_tags <= 0 || !names || !ss || (n_sent > 0 && (!yt || !yp)))
        return mtl__err(err, MTL_ERR_ARG, "mtl_ner_metrics_compute: bad arguments");
    for (s = 0; s < n_sent; s++) {
        if (ss[s + 1] < ss[s] || ss[s] < 0) return mtl__err(err, MTL_ERR_ARG, "mtl_ner_metrics_compute: sent_start is not ascending at %d", s);
        if (ss[s + 1] - ss[s] > maxlen) maxlen = ss[s + 1] - ss[s];
    }
    pre = (char *)MTL_MALLOC((size_t)n_tags);
    ttype = (int32_t *)MTL_MALLOC((size_t)n_tags * sizeof *ttype);
    if (!pre || !ttype) goto nomem;
    /* per tag: prefix and type (seqeval: prefix = first char, type = rest stripped of '-', or "_") */
    for (k = 0; k < n_tags; k++) {
        const char *t = names[k], *b, *e;
        if (!t || !(t[0] == 'B' || t[0] == 'I' || t[0] == 'O')) {
            rc = mtl__err(err, MTL_ERR_ARG, "tag \"%s\": seqeval's strict IOB2 mode allows only B-, I- and O tags", t ? t : "(null)");
            goto fail;
        }
        pre[k] = t[0];
        b = t + 1;
        e = t + strlen(t);
        while (b < e && *b == '-') b++;
        while (e > b && e[-1] == '-') e--;
        if (e == b) { b = "_"; e = b + 1; }
        ttype[k] = mtl__strset_add(&types, b, (size_t)(e - b));
        if (ttype[k] < 0) goto nomem;
    }
    for (s = 0; s < n_sent; s++) {
        int32_t i;
        for (i = ss[s]; i < ss[s + 1]; i++)
            if (yt[i] < 0 || yt[i] >= n_tags || yp[i] < 0 || yp[i] >= n_tags) {
                rc = mtl__err(err, MTL_ERR_ARG, "mtl_ner_metrics_compute: position %d: tag id %d outside [0, %d)", (int)i,
                              (int)(yt[i] < 0 || yt[i] >= n_tags ? yt[i] : yp[i]), n_tags);
                goto fail;
            }
    }
    nt = (int)types.off.n;
    cnt_true = (int64_t *)MTL_MALLOC((size_t)nt * 3 * sizeof *cnt_true);
    et = (mtl__ent *)MTL_MALLOC((size_t)(maxlen ? maxlen : 1) * sizeof *et);
    ep = (mtl__ent *)MTL_MALLOC((size_t)(maxlen ? maxlen : 1) * sizeof *ep);
    present = (int *)MTL_MALLOC((size_t)nt * sizeof *present);
    tnames = (const char **)MTL_MALLOC((size_t)nt * sizeof *tnames);
    tidx = (int32_t *)MTL_MALLOC((size_t)nt * sizeof *tidx);
    if (!cnt_true || !et || !ep || !present || !tnames || !tidx) goto nomem;
    memset(cnt_true, 0, (size_t)nt * 3 * sizeof *cnt_true); /* [0,nt) true, [nt,2nt) pred, [2nt,3nt) tp */
    for (s = 0; s < n_sent; s++) {
        size_t a = mtl__entities(yt, ss[s], ss[s + 1], pre, ttype, et);
        size_t b = mtl__entities(yp, ss[s], ss[s + 1], pre, ttype, ep);
        size_t i = 0, j = 0;
        for (i = 0; i < a; i++) cnt_true[et[i].type]++;
        for (j = 0; j < b; j++) cnt_true[nt + ep[j].type]++;
        i = j = 0;
        while (i < a && j < b) { /* both sorted by start, no overlaps within a list */
            if (et[i].start < ep[j].start) i++;
            else if (et[i].start > ep[j].start) j++;
            else {
                if (et[i].end == ep[j].end && et[i].type == ep[j].type) cnt_true[2 * nt + et[i].type]++;
                i++;
                j++;
            }
        }
    }
    nuniq = 0;
    for (k = 0; k < nt; k++) {
        present[k] = cnt_true[k] + cnt_true[nt + k] > 0;
        if (present[k]) tnames[nuniq++] = mtl__strset_get(&types, (size_t)k);
    }
    qsort(tnames, (size_t)nuniq, sizeof *tnames, mtl__cmp_str);
    for (k = 0; k < nuniq; k++) tidx[k] = mtl__strset_find(&types, tnames[k], strlen(tnames[k]));
    { /* one block: types[] per_type[] tp[] n_pred[] tmp[2n] + strings */
        size_t nu = (size_t)nuniq, sb = 0, off;
        unsigned char *blk;
        int64_t tp_all = 0, pred_all = 0, true_all = 0;
        double *tmp;
        for (k = 0; k < nuniq; k++) sb += strlen(tnames[k]) + 1;
        off = nu * sizeof(char *) + nu * sizeof(mtl_prfs) + 2 * nu * sizeof(int64_t) + 2 * nu * sizeof(double);
        blk = (unsigned char *)MTL_MALLOC(off + sb + 1);
        if (!blk) goto nomem;
        m->mem_ = blk;
        m->per_type = (mtl_prfs *)(void *)blk;
        m->tp = (int64_t *)(void *)(blk + nu * sizeof(mtl_prfs));
        m->n_pred = m->tp + nu;
        tmp = (double *)(void *)(m->n_pred + nu);
        m->types = (char **)(void *)(tmp + 2 * nu);
        {
            char *sp = (char *)blk + off;
            for (k = 0; k < nuniq; k++) {
                size_t l = strlen(tnames[k]) + 1;
                int32_t t = tidx[k];
                mtl_prfs *c = &m->per_type[k];
                memcpy(sp, tnames[k], l);
                m->types[k] = sp;
                sp += l;
                m->tp[k] = cnt_true[2 * nt + t];
                m->n_pred[k] = cnt_true[nt + t];
                c->support = cnt_true[t];
                c->precision = mtl__div0((double)m->tp[k], (double)m->n_pred[k]);
                c->recall = mtl__div0((double)m->tp[k], (double)c->support);
                c->f1 = c->precision + c->recall == 0 ? 0.0 : 2.0 * c->precision * c->recall / (c->precision + c->recall);
                tp_all += m->tp[k];
                pred_all += m->n_pred[k];
                true_all += c->support;
            }
        }
        m->n_types = nuniq;
        m->micro.precision = mtl__div0((double)tp_all, (double)pred_all);
        m->micro.recall = mtl__div0((double)tp_all, (double)true_all);
        m->micro.f1 = m->micro.precision + m->micro.recall == 0 ? 0.0
                      : 2.0 * m->micro.precision * m->micro.recall / (m->micro.precision + m->micro.recall);
        m->micro.support = true_all;
        mtl__averages(m->per_type, nuniq, tmp, &m->macro, &m->weighted, 1);
        if (nuniq == 0) m->macro.precision = m->macro.recall = m->macro.f1 = NAN; /* numpy's mean of nothing */
    }
    mtl__ok(err);
    goto done;
nomem:
    rc = mtl__err(err, MTL_ERR_NOMEM, "out of memory");
fail:
    mtl_ner_metrics_free(m);
done:
    MTL_FREE(pre);
    MTL_FREE(ttype);
    MTL_FREE(tidx);
    MTL_FREE(cnt_true);
    MTL_FREE(et);
    MTL_FREE(ep);
    MTL_FREE(present);
    MTL_FREE(tnames);
    mtl__strset_free(&types);
    return rc;
}

#ifndef MTL_NO_STDIO
/* A writer into a caller buffer that counts what it would need. */
typedef struct mtl__rep {
    char *buf;
    size_t cap, n;
} mtl__rep;
static void mtl__rep_put(mtl__rep *o, const char *s, size_t l) {
    size_t i;
    for (i = 0; i < l; i++) {
        if (o->n + 1 < o->cap) o->buf[o->n] = s[i];
        o->n++;
    }
}
static void mtl__rep_str(mtl__rep *o, const char *s) { mtl__rep_put(o, s, strlen(s)); }
static void mtl__rep_pad(mtl__rep *o, int k) { while (k-- > 0) mtl__rep_put(o, " ", 1); }
static size_t mtl__u8len(const char *s) { /* code points, as Python's len() */
    size_t n = 0;
    for (; *s; s++) n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}
/* Python "{:>{w}s}" */
static void mtl__rep_rstr(mtl__rep *o, const char *s, int w) {
    mtl__rep_pad(o, w - (int)mtl__u8len(s));
    mtl__rep_str(o, s);
}
static void mtl__rep_fmt_f(mtl__rep *o, double v, int digits) { /* " {:>9.{d}f}" */
    char tmp[400];
    int l = snprintf(tmp, sizeof tmp, " %9.*f", digits, v);
    if (l > 0) mtl__rep_put(o, tmp, (size_t)l < sizeof tmp ? (size_t)l : sizeof tmp - 1);
}
static void mtl__rep_fmt_i(mtl__rep *o, int64_t v, int as_float) { /* " {:>9}" of an int, or of a float (repr) */
    char tmp[40];
    int l = as_float ? snprintf(tmp, sizeof tmp, " %7lld.0", (long long)v) : snprintf(tmp, sizeof tmp, " %9lld", (long long)v);
    if (l > 0) mtl__rep_put(o, tmp, (size_t)l);
}
static void mtl__report_row(mtl__rep *o, const char *name, int width, const mtl_prfs *r, int digits, int float_support) {
    mtl__rep_rstr(o, name, width);
    mtl__rep_put(o, " ", 1);
    mtl__rep_fmt_f(o, r->precision, digits);
    mtl__rep_fmt_f(o, r->recall, digits);
    mtl__rep_fmt_f(o, r->f1, digits);
    mtl__rep_fmt_i(o, r->support, float_support);
    mtl__rep_put(o, "\n", 1);
}
static void mtl__report_head(mtl__rep *o, int width) {
    static const char *const h[4] = {"precision", "recall", "f1-score", "support"};
    int k;
    mtl__rep_pad(o, width);
    mtl__rep_put(o, " ", 1);
    for (k = 0; k < 4; k++) { mtl__rep_put(o, " ", 1); mtl__rep_rstr(o, h[k], 9); }
    mtl__rep_str(o, "\n\n");
}
static mtl_result mtl__rep_end(mtl__rep *o, size_t *out_len, mtl_error *err) {
    if (o->cap) o->buf[o->n < o->cap ? o->n : o->cap - 1] = 0;
    if (out_len) *out_len = o->n;
    if (o->n + 1 > o->cap) return mtl__err(err, MTL_ERR_NOMEM, "report buffer too small: %lu bytes needed", (unsigned long)(o->n + 1));
    mtl__ok(err);
    return MTL_OK;
}
static void mtl__class_name(const char *const *names, int k, char *tmp, size_t cap, const char **out) {
    if (names && names[k]) *out = names[k];
    else { snprintf(tmp, cap, "%d", k); *out = tmp; }
}

MTLDEF mtl_result mtl_cls_report(const mtl_cls_metrics *m, const char *const *names, int digits,
                                 char *buf, size_t cap, size_t *out_len, mtl_error *err) {
    mtl__rep o;
    int k, width = 12;
    char tmp[24];
    const char *nm;
    mtl_prfs acc;
    int fs = m && m->accuracy == 0.0; /* scikit-learn: no correct prediction -> float supports ("4.0") */
    if (!m || !m->per_class || digits < 0 || digits > 300 || (!buf && cap)) return mtl__err(err, MTL_ERR_ARG, "mtl_cls_report: bad arguments");
    o.buf = buf; o.cap = cap; o.n = 0;
    for (k = 0; k < m->n_classes; k++) {
        mtl__class_name(names, k, tmp, sizeof tmp, &nm);
        if ((int)mtl__u8len(nm) > width) width = (int)mtl__u8len(nm);
    }
    if (digits > width) width = digits;
    mtl__report_head(&o, width);
    for (k = 0; k < m->n_classes; k++) {
        mtl__class_name(names, k, tmp, sizeof tmp, &nm);
        mtl__report_row(&o, nm, width, &m->per_class[k], digits, fs);
    }
    mtl__rep_put(&o, "\n", 1);
    /* accuracy row: "{:>{w}s} " + " {:>9.{d}}" * 2 (empty) + " {:>9.{d}f}" + " {:>9}" */
    mtl__rep_rstr(&o, "accuracy", width);
    mtl__rep_put(&o, " ", 1);
    mtl__rep_pad(&o, 20);
    acc = m->micro;
    mtl__rep_fmt_f(&o, acc.f1, digits);
    mtl__rep_fmt_i(&o, m->n, fs);
    mtl__rep_put(&o, "\n", 1);
    mtl__report_row(&o, "macro avg", width, &m->macro, digits, fs);
    mtl__report_row(&o, "weighted avg", width, &m->weighted, digits, fs);
    return mtl__rep_end(&o, out_len, err);
}

MTLDEF mtl_result mtl_ner_report(const mtl_ner_metrics *m, int digits, char *buf, size_t cap, size_t *out_len, mtl_error *err) {
    mtl__rep o;
    int k, width = 12;
    if (!m || digits < 0 || digits > 300 || (!buf && cap)) return mtl__err(err, MTL_ERR_ARG, "mtl_ner_report: bad arguments");
    o.buf = buf; o.cap = cap; o.n = 0;
    for (k = 0; k < m->n_types; k++)
        if ((int)mtl__u8len(m->types[k]) > width) width = (int)mtl__u8len(m->types[k]);
    if (digits > width) width = digits;
    mtl__report_head(&o, width);
    for (k = 0; k < m->n_types; k++) mtl__report_row(&o, m->types[k], width, &m->per_type[k], digits, 0);
    mtl__rep_put(&o, "\n", 1);
    mtl__report_row(&o, "micro avg", width, &m->micro, digits, 0);
    mtl__report_row(&o, "macro avg", width, &m->macro, digits, 0);
    mtl__report_row(&o, "weighted avg", width, &m->weighted, digits, 0);
    return mtl__rep_end(&o, out_len, err);
}

static void mtl__rj_str(mtl__rep *o, const char *s) {
    mtl__rep_put(o, "\"", 1);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') { mtl__rep_put(o, "\\", 1); mtl__rep_put(o, s, 1); }
        else if (c < 0x20) {
            char tmp[8];
            snprintf(tmp, sizeof tmp, "\\u%04x", (unsigned)c);
            mtl__rep_str(o, tmp);
        } else mtl__rep_put(o, s, 1);
    }
    mtl__rep_put(o, "\"", 1);
}
static void mtl__rj_num(mtl__rep *o, double v) { /* round-trip digits; NaN as Python's json.dumps writes it */
    char tmp[40];
    int l = v != v ? snprintf(tmp, sizeof tmp, "NaN") : snprintf(tmp, sizeof tmp, "%.17g", v);
    if (l > 0) mtl__rep_put(o, tmp, (size_t)l);
}
static void mtl__rj_row(mtl__rep *o, const char *name, const mtl_prfs *r, int first) {
    char tmp[40];
    if (!first) mtl__rep_str(o, ", ");
    mtl__rj_str(o, name);
    mtl__rep_str(o, ": {\"precision\": ");
    mtl__rj_num(o, r->precision);
    mtl__rep_str(o, ", \"recall\": ");
    mtl__rj_num(o, r->recall);
    mtl__rep_str(o, ", \"f1-score\": ");
    mtl__rj_num(o, r->f1);
    snprintf(tmp, sizeof tmp, ", \"support\": %lld}", (long long)r->support);
    mtl__rep_str(o, tmp);
}

MTLDEF mtl_result mtl_cls_report_json(const mtl_cls_metrics *m, const char *const *names, char *buf, size_t cap, size_t *out_len, mtl_error *err) {
    mtl__rep o;
    int k;
    char tmp[24];
    const char *nm;
    if (!m || !m->per_class || (!buf && cap)) return mtl__err(err, MTL_ERR_ARG, "mtl_cls_report_json: bad arguments");
    o.buf = buf; o.cap = cap; o.n = 0;
    mtl__rep_put(&o, "{", 1);
    for (k = 0; k < m->n_classes; k++) {
        mtl__class_name(names, k, tmp, sizeof tmp, &nm);
        mtl__rj_row(&o, nm, &m->per_class[k], k == 0);
    }
    mtl__rep_str(&o, ", \"accuracy\": ");
    mtl__rj_num(&o, m->accuracy);
    mtl__rj_row(&o, "macro avg", &m->macro, 0);
    mtl__rj_row(&o, "weighted avg", &m->weighted, 0);
    mtl__rep_str(&o, "}");
    return mtl__rep_end(&o, out_len, err);
}

MTLDEF mtl_result mtl_ner_report_json(const mtl_ner_metrics *m, char *buf, size_t cap, size_t *out_len, mtl_error *err) {
    mtl__rep o;
    int k;
    if (!m || (!buf && cap)) return mtl__err(err, MTL_ERR_ARG, "mtl_ner_report_json: bad arguments");
    o.buf = buf; o.cap = cap; o.n = 0;
    mtl__rep_put(&o, "{", 1);
    for (k = 0; k < m->n_types; k++) mtl__rj_row(&o, m->types[k], &m->per_type[k], k == 0);
    mtl__rj_row(&o, "micro avg", &m->micro, m->n_types == 0);
    mtl__rj_row(&o, "macro avg", &m->macro, 0);
    mtl__rj_row(&o, "weighted avg", &m->weighted, 0);
    mtl__rep_str(&o, "}");
    return mtl__rep_end(&o, out_len, err);
}
#endif /* MTL_NO_STDIO */

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
