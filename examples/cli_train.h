/* Helpers shared by mtl-train, mtl-eval and mtl-predict (examples/train.c, eval.c, predict.c):
   dataset loading by --*-format, tokenised examples, head application on the inference model.
   Include after mtl_bert.h with MTL_BERT_IMPLEMENTATION. */
#ifndef MTL_CLI_TRAIN_H
#define MTL_CLI_TRAIN_H
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__GNUC__)
#define CT_FN static __attribute__((unused))
#else
#define CT_FN static
#endif

/* Loads a classification file by format ("sst2", "imdb", "csv:TEXTCOL,LABELCOL"); labels NULL: the
   file's own label set. Prints "prog: file:line: what" on error; returns 0 on success. */
CT_FN int ct_load_cls(const char *prog, const char *path, const char *fmt, const char *const *labels, int n_labels,
                       mtl_cls_dataset *ds) {
    mtl_cls_load_options o;
    mtl_error err;
    char cols[512];
    memset(&o, 0, sizeof o);
    memset(ds, 0, sizeof *ds);
    if (!fmt || !strcmp(fmt, "sst2")) {
        o.text_column = "sentence"; o.label_column = "label"; o.delimiter = '\t';
    } else if (!strcmp(fmt, "imdb")) {
        o.text_column = "review"; o.label_column = "sentiment"; o.delimiter = ','; o.clean = MTL_CLEAN_HTML | MTL_CLEAN_SPACE;
    } else if (!strncmp(fmt, "csv:", 4) && strchr(fmt + 4, ',') && strlen(fmt + 4) < sizeof cols) {
        char *comma;
        strcpy(cols, fmt + 4);
        comma = strchr(cols, ',');
        *comma = 0;
        o.text_column = cols; o.label_column = comma + 1;
    } else {
        fprintf(stderr, "%s: unknown classification format '%s' (sst2, imdb, csv:TEXTCOL,LABELCOL)\n", prog, fmt);
        return 2;
    }
    o.labels = labels; o.n_labels = n_labels;
    if (mtl_cls_load(path, &o, ds, &err) != MTL_OK) { fprintf(stderr, "%s: %s\n", prog, err.msg); return 1; }
    return 0;
}

/* NER file by format ("conll": CoNLL, IOB1 or IOB2 tags -> IOB2; "gmb": GMB ner_dataset.csv, latin-1). */
CT_FN int ct_load_ner(const char *prog, const char *path, const char *fmt, const char *const *tags, int n_tags,
                       mtl_ner_dataset *ds) {
    mtl_ner_load_options o;
    mtl_error err;
    mtl_result r;
    memset(&o, 0, sizeof o);
    memset(ds, 0, sizeof *ds);
    o.tags = tags; o.n_tags = n_tags;
    if (!fmt || !strcmp(fmt, "conll")) { o.iob1 = 1; r = mtl_ner_load_conll(path, &o, ds, &err); }
    else if (!strcmp(fmt, "gmb")) { o.encoding = MTL_ENC_LATIN1; r = mtl_ner_load_csv(path, &o, ds, &err); }
    else { fprintf(stderr, "%s: unknown NER format '%s' (conll, gmb)\n", prog, fmt); return 2; }
    if (r != MTL_OK) { fprintf(stderr, "%s: %s\n", prog, err.msg); return 1; }
    return 0;
}

/* The label names of a head of a loaded model (NUL-terminated copies; NULL if it has none). */
CT_FN char **ct_head_labels(const mtl_model *m, mtl_head_kind kind, int n) {
    char **names = (char **)calloc((size_t)n + 1, sizeof *names);
    int i;
    if (!names) return NULL;
    for (i = 0; i < n; i++) {
        size_t len;
        const char *s = mtl_model_head_label(m, kind, i, &len);
        if (!s || !(names[i] = (char *)malloc(len + 1))) { while (i--) free(names[i]); free(names); return NULL; }
        memcpy(names[i], s, len);
        names[i][len] = 0;
    }
    return names;
}
CT_FN void ct_free_names(char **names) {
    int i;
    if (!names) return;
    for (i = 0; names[i]; i++) free(names[i]);
    free(names);
}

/* logits[num_labels] of a head (torch layout) on one vector x[H] */
CT_FN void ct_head_apply(const mtl_head_info *h, const float *x, int H, float *logits, float *tmp) {
    int o, k;
    if (h->hidden > 0) {
        for (o = 0; o < h->hidden; o++) {
            double s = h->b1 ? h->b1[o] : 0.0;
            for (k = 0; k < H; k++) s += (double)h->w1[(size_t)o * (size_t)H + (size_t)k] * x[k];
            tmp[o] = h->act == MTL_ACT_RELU ? (s > 0 ? (float)s : 0.0f) : h->act == MTL_ACT_TANH ? (float)tanh(s)
                   : (float)(0.5 * s * (1.0 + erf(s * 0.70710678118654752440)));
        }
        for (o = 0; o < h->num_labels; o++) {
            double s = h->b2 ? h->b2[o] : 0.0;
            for (k = 0; k < h->hidden; k++) s += (double)h->w2[(size_t)o * (size_t)h->hidden + (size_t)k] * tmp[k];
            logits[o] = (float)s;
        }
    } else {
        for (o = 0; o < h->num_labels; o++) {
            double s = h->b1 ? h->b1[o] : 0.0;
            for (k = 0; k < H; k++) s += (double)h->w1[(size_t)o * (size_t)H + (size_t)k] * x[k];
            logits[o] = (float)s;
        }
    }
}

/* argmax, and the softmax probability of it */
CT_FN int ct_argmax(const float *v, int n, double *prob) {
    int i, b = 0;
    double s = 0.0;
    for (i = 1; i < n; i++) if (v[i] > v[b]) b = i;
    for (i = 0; i < n; i++) s += exp((double)v[i] - (double)v[b]);
    if (prob) *prob = 1.0 / s;
    return b;
}

/* One NER sentence through the inference model: per-token predictions pred[al->n] after aligning
   words (tags may be NULL; split_words: a dataset's words, HF's is_split_into_words; 0: the words of
   one text, as the pipeline reads the text). Returns 0 on success. */
CT_FN int ct_ner_forward(mtl_ctx *ctx, const mtl_model *m, const mtl_head_info *h, const char *const *words,
                          const size_t *lens, int n_words, const int32_t *tags, int max_len, int split_words, mtl_aligned *al,
                          int32_t **pred, float **tokbuf, size_t *tokcap, float **tmp, mtl_error *err) {
    mtl_align_options ao;
    mtl_seq seq;
    mtl_forward_out fo;
    const int H = mtl_model_get_info(m)->hidden_size;
    int t, len;
    memset(&ao, 0, sizeof ao);
    ao.max_length = max_len;
    ao.split_into_words = split_words;
    if (mtl_align_words(mtl_model_tokenizer(m), words, lens, n_words, tags, &ao, al, err) != MTL_OK) return 1;
    if ((size_t)al->n * (size_t)H > *tokcap) {
        float *nb = (float *)realloc(*tokbuf, (size_t)al->n * (size_t)H * sizeof(float));
        int32_t *np = (int32_t *)realloc(*pred, (size_t)al->n * sizeof(int32_t));
        if (np) *pred = np;
        if (!nb || !np) { err->code = MTL_ERR_NOMEM; snprintf(err->msg, sizeof err->msg, "out of memory"); if (nb) *tokbuf = nb; return 1; }
        *tokbuf = nb;
        *tokcap = (size_t)al->n * (size_t)H;
    }
    if (!*tmp && !(*tmp = (float *)malloc(((size_t)(h->hidden > 0 ? h->hidden : 1) + (size_t)h->num_labels) * sizeof(float)))) {
        err->code = MTL_ERR_NOMEM;
        snprintf(err->msg, sizeof err->msg, "out of memory");
        return 1;
    }
    seq.ids = al->ids; seq.type_ids = al->type_ids; seq.n = al->n;
    memset(&fo, 0, sizeof fo);
    fo.tokens = *tokbuf;
    fo.lengths = &len;
    if (mtl_forward(ctx, &seq, 1, NULL, &fo, err) != MTL_OK) return 1;
    for (t = 0; t < len; t++) {
        float *logits = *tmp + (h->hidden > 0 ? h->hidden : 1);
        ct_head_apply(h, *tokbuf + (size_t)t * (size_t)H, H, logits, *tmp);
        (*pred)[t] = ct_argmax(logits, h->num_labels, NULL);
    }
    for (; t < al->n; t++) (*pred)[t] = 0;
    return 0;
}

#endif
