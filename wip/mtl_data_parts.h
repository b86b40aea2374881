/* mtl_data_parts.h - datasets, word/token label alignment, shuffling and metrics for mtl (issue #5).
   Written to be pasted into mtl_bert.h unchanged (public names mtl_..., private mtl__...).

   USAGE
     In ONE C or C++ file:
         #define MTL_DATA_PARTS_IMPLEMENTATION
         #include "wip/mtl_data_parts.h"     (includes mtl_tokenizer.h and its implementation)

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
       with the training labels, pass them in opt.labels: a label not in the list is an error naming
       file:line, unless opt.unknown_label names a label of the list to map it to.

   NER DATA
     mtl_ner_load_conll / mtl_ner_conll_from_memory: CoNLL files, one "word ... tag" line per token
       (whitespace-separated; the first column is the word, the last the tag: 4-column CoNLL-2003 and
       2-column files alike), blank lines between sentences, "-DOCSTART-" lines skipped (they end a
       sentence). opt.iob1: the tags are IOB1 and are converted to IOB2 (an I-X that does not follow
       B-X/I-X of the same type becomes B-X).
     mtl_ner_load_csv / mtl_ner_csv_from_memory: one word per row with a sentence column filled only on
       the first word of each sentence (Kaggle GMB ner_dataset.csv: "Sentence #,Word,POS,Tag"; the
       sentence number is forward-filled). opt.encoding = MTL_ENC_LATIN1 (or CP1252) for that file.
     Tag sets work like classification labels (sorted distinct tags, or opt.tags; opt.unknown_tag).

   ERRORS (all loaders): a message "file:line: what" and MTL_ERR_FORMAT for malformed lines, unknown
     labels, files that are not UTF-8 (with the default encoding), empty files (no rows / no sentence);
     MTL_ERR_IO when the file cannot be read. On any error the output dataset is left zeroed (nothing
     half-written) and nothing leaks.

   ALIGNMENT (HF `tokenizer(words, is_split_into_words=True, truncation=True, max_length=N)` + word_ids())
     mtl_align_words(tok, words, lens, n, tags, opt, &al, &err): the words are joined by single spaces
     and encoded once; each token's byte offset maps it back to its word. Labels: -100 for special and
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
#ifndef MTL_DATA_PARTS_H
#define MTL_DATA_PARTS_H

#include "../mtl_tokenizer.h"

#ifdef __cplusplus
extern "C" {
#endif

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
#endif /* MTL_DATA_PARTS_H */

/* ============================================================================================== */
/*                                        IMPLEMENTATION                                          */
/* ============================================================================================== */
#ifdef MTL_DATA_PARTS_IMPLEMENTATION
#ifndef MTL_DATA_PARTS_IMPLEMENTATION_DONE
#define MTL_DATA_PARTS_IMPLEMENTATION_DONE

#ifndef MTL_TOKENIZER_IMPLEMENTATION
#define MTL_TOKENIZER_IMPLEMENTATION
#endif
#include "../mtl_tokenizer.h"

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
        src[k] = given ? given[k] : mtl__strset_get(seen, (size_t)k);
        if (!src[k]) { rc = mtl__err(err, MTL_ERR_ARG, "%s %d of the given list is NULL", what, k); goto fail; }
        bytes += strlen(src[k]) + 1;
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
        r = mtl__csv_next(&c, err);
        if (r < 0) { rc = err ? err->code : MTL_ERR_FORMAT; goto fail; }
        if (r == 0) break;
        if (mtl__csv_nfields(&c) != ncols) {
            rc = mtl__err(err, MTL_ERR_FORMAT, "%s:%lu: %lu fields, the header has %lu", name, c.rec_line,
                          (unsigned long)mtl__csv_nfields(&c), (unsigned long)ncols);
            goto fail;
        }
        fl = mtl__csv_field_len(&c, (size_t)lcol);
        if (fl == 0) { rc = mtl__err(err, MTL_ERR_FORMAT, "%s:%lu: empty label", name, c.rec_line); goto fail; }
        li = mtl__strset_add(&seen, mtl__csv_field(&c, (size_t)lcol), fl);
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
    { /* one block: texts[] text_lens[] labels[] lines[] label_names[] + label strings + texts */
        size_t n = toff.n, nl = (size_t)lm.n_final, lbytes = 0, k, off;
        unsigned char *blk;
        for (k = 0; k < nl; k++) lbytes += strlen(lm.names[k]) + 1;
        off = n * sizeof(char *) + n * sizeof(size_t) + nl * sizeof(char *) + 2 * n * sizeof(int32_t);
        blk = (unsigned char *)MTL_MALLOC(off + lbytes + pool.n + 1);
        if (!blk) goto nomem;
        out->texts = (char **)(void *)blk;
        out->text_lens = (size_t *)(void *)(blk + n * sizeof(char *));
        out->label_names = (char **)(void *)(blk + n * sizeof(char *) + n * sizeof(size_t));
        out->labels = (int32_t *)(void *)(blk + n * sizeof(char *) + n * sizeof(size_t) + nl * sizeof(char *));
        out->lines = out->labels + n;
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
    /* one block: words[] word_lens[] tag_names[] | sent_start[n+1] lines[n] tags[nw] | strings */
    off = nw * sizeof(char *) + nw * sizeof(size_t) + nl * sizeof(char *) + (2 * n + 1 + nw) * sizeof(int32_t);
    blk = (unsigned char *)MTL_MALLOC(off + lbytes + b->words.n + 1);
    if (!blk) { mtl__labelmap_free(&lm); return mtl__err(err, MTL_ERR_NOMEM, "out of memory"); }
    out->words = (char **)(void *)blk;
    out->word_lens = (size_t *)(void *)(blk + nw * sizeof(char *));
    out->tag_names = (char **)(void *)(blk + nw * sizeof(char *) + nw * sizeof(size_t));
    out->sent_start = (int32_t *)(void *)(blk + nw * sizeof(char *) + nw * sizeof(size_t) + nl * sizeof(char *));
    out->lines = out->sent_start + n + 1;
    out->tags = out->lines + n;
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
        if (!mtl__csv_field_len(&c, (size_t)tcol)) {
            rc = mtl__err(err, MTL_ERR_FORMAT, "%s:%lu: empty tag", name, c.rec_line);
            goto fail;
        }
        if (!mtl__nerb_word(&b, mtl__csv_field(&c, (size_t)wcol), mtl__csv_field_len(&c, (size_t)wcol), mtl__csv_field(&c, (size_t)tcol),
                            mtl__csv_field_len(&c, (size_t)tcol), c.rec_line))
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

#endif /* MTL_DATA_PARTS_IMPLEMENTATION_DONE */
#endif /* MTL_DATA_PARTS_IMPLEMENTATION */
