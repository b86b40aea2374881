/* mtl-train: fine-tune a BERT model file on classification and/or NER data (issue #5).

   build/mtl-train --model BLOB --out BLOB [--cls-train F --cls-dev F --cls-format sst2|imdb|csv:TEXTCOL,LABELCOL]
                   [--ner-train F --ner-dev F --ner-format conll|gmb] [--freeze STRATEGY]
                   [--unfreeze-schedule "0:backbone,1:top:2,2:none"] [--epochs N] [--batch N] [--max-length N]
                   [--lr X] [--head-lr-mult X] [--layer-decay X] [--weight-decay X]
                   [--warmup-steps N | --warmup-ratio X] [--clip X] [--schedule combined|alternate|sample|separate]
                   [--task-weights A,B] [--eval-every N] [--seed N] [--threads N] [--resume CKPT]
                   [--pooling mean|cls|max|pooler]

   --model: a GGUF model file from build/weights_convert (backbone + tokenizer) or a previous mtl-train
   checkpoint (its heads are kept when their label sets equal the training files'). Label sets come from
   the training files; dev files must use them. The cls head's pooling: --pooling, else the
   checkpoint's, else "pooler" with the classifier of a converted BertForSequenceClassification whose
   labels equal the training file's (that classifier is then the starting head), else mean. Prints dev metrics before training, at every --eval-every
   steps, at the end of each epoch and after training (stdout); progress on stderr (a bar on a terminal,
   plain lines otherwise). --out gets the best dev checkpoint (the last one without dev files), written
   atomically (.tmp + rename); it loads in mtl-embed, mtl-eval and mtl-predict. Ctrl-C: writes the
   resumable state to OUT.resume.gguf and exits with status 130; --resume OUT.resume.gguf continues (same
   options). --threads: threads of the backbone's forward and backward (default: all online CPUs, at
   most 8, as in every tool); the same seed gives the same run, bit for bit, at any thread count.
   --help: every option with its default and range.

   Label sets: --cls-labels A,B,... (or --labels) / --ner-labels T1,T2,... pin the classes / tags (ids
   follow the list): a label of the training or dev file outside the list is an error naming file:line
   (without them a typo would silently become one more class). Label fields are trimmed of surrounding
   whitespace ("1 " is "1"). A class in fewer than 5 rows or under 1% of the rows, and a tag on fewer
   than 5 words, is warned about on stderr (file:line of its first use), as is a pinned label that
   never occurs.
   Before any training step --out is checked: an empty name, a directory, a path in a missing or
   unwritable folder (a probe file OUT.tmp is created and removed), OUT.resume.gguf being a directory,
   or less free space than a checkpoint needs are refused (exit 1). When a save still fails (disk
   full), the message says why and the trained state is saved as a resumable checkpoint beside OUT,
   else in $TMPDIR (or /tmp), and the message names it; no .tmp file is left behind.
   Exit status: 0 ok, 1 runtime error (incl. a write error on stdout), 2 usage, 130 interrupted. */
#define _POSIX_C_SOURCE 200809L
#define MTL_BERT_IMPLEMENTATION
#include "../mtl_bert.h"

#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "cli.h"
#include "cli_train.h"

static volatile sig_atomic_t g_stop = 0;
static void on_sigint(int sig) { (void)sig; g_stop = 1; }

#define PROG "mtl-train"
static const cli_opt OPTS[] = {
    {"--model BLOB", "the starting model: weights_convert output or an mtl-train checkpoint; required"},
    {"--out BLOB", "the checkpoint to write (the best dev score; the last one without dev files); required"},
    {"--cls-train F", "classification training file (default: none; --cls-train and/or --ner-train is required)"},
    {"--cls-dev F", "classification dev file, needs --cls-train (default: none)"},
    {"--cls-format F", "sst2|imdb|csv:TEXTCOL,LABELCOL (default: sst2)"},
    {"--cls-labels A,B,...", "pin the class set, ids in list order; another label in a file is an error (default: the training file's)"},
    {"--labels A,B,...", "the same as --cls-labels"},
    {"--ner-train F", "NER training file (default: none)"},
    {"--ner-dev F", "NER dev file, needs --ner-train (default: none)"},
    {"--ner-format F", "conll|gmb (default: conll; CoNLL IOB1 tags become IOB2)"},
    {"--ner-labels T1,T2,...", "pin the tag set, ids in list order (default: the training file's)"},
    {"--freeze SPEC", "none|all|backbone|embeddings|top:N|head:cls|head:ner, joined by + or , (default: none)"},
    {"--unfreeze-schedule S", "EPOCH:SPEC,... e.g. \"0:backbone,1:top:2,2:none\" (default: none)"},
    {"--epochs N", "training epochs, 1..1000000 (default: 3)"},
    {"--batch N", "examples per step, 1..1024 (default: 16)"},
    {"--max-length N", "tokens per example, 3..100000, at most the model's positions (default: 128)"},
    {"--lr X", "peak learning rate of AdamW, > 0 (default: 2e-5)"},
    {"--head-lr-mult X", "the heads' lr = lr * X, > 0 (default: 1)"},
    {"--layer-decay X", "layer-wise lr decay: layer k of L gets lr * X^(L-1-k), > 0 (default: 1: none)"},
    {"--weight-decay X", "AdamW weight decay, >= 0 (default: 0.01)"},
    {"--warmup-steps N", "linear warmup steps, >= 0; not with --warmup-ratio (default: 0)"},
    {"--warmup-ratio X", "warmup as a fraction of the steps, 0..1; not with --warmup-steps (default: 0)"},
    {"--clip X", "clip the gradient norm to X, <= 0: no clipping (default: 1)"},
    {"--schedule S", "combined|alternate|sample|separate: how cls and NER steps mix (default: combined)"},
    {"--task-weights A,B", "loss weights of cls and NER (default: 1,1)"},
    {"--eval-every N", "dev evaluation every N steps too, 0..2147483647, 0: only per epoch (default: 0)"},
    {"--seed N", "seed of initialisation, shuffling and dropout, 0..2^64-1 (default: 42)"},
    {"--threads N", "threads of the forward and backward, 1..64 (default: all online CPUs, at most 8)"},
    {"--resume CKPT", "continue an interrupted run from OUT.resume.gguf, same options (default: none)"},
    {"--pooling P", "mean|cls|max|pooler: the cls head's pooling (default: the checkpoint's, else pooler with a"
                    " matching HF classifier, else mean)"},
    {NULL, NULL}};

static int help(void) {
    return cli_help(PROG, "mtl-train --model BLOB --out BLOB [--cls-train F [--cls-dev F]] [--ner-train F [--ner-dev F]] [options]",
                    "Fine-tunes a BERT model file on classification and/or NER data; dev metrics on stdout, progress on\n"
                    "stderr. Ctrl-C saves OUT.resume.gguf and exits 130 (--resume continues it). The same seed gives the\n"
                    "same run, bit for bit, at any thread count. Errors in a data file: \"file:line: what\" (1-based lines).\n",
                    OPTS);
}

/* The format names ct_load_cls / ct_load_ner take, checked before anything is loaded. */
static int cls_format_ok(const char *f) { return !strcmp(f, "sst2") || !strcmp(f, "imdb") || (!strncmp(f, "csv:", 4) && strchr(f + 4, ',')); }
static int ner_format_ok(const char *f) { return !strcmp(f, "conll") || !strcmp(f, "gmb"); }

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Tokenised examples of one task: ids [n][len], NER labels per token (or NULL), cls label. */
typedef struct examples {
    int n;
    int32_t **ids, **types, **ner;   /* ner NULL for cls */
    int *len;
    int32_t *cls;                    /* NULL for ner */
} examples;

static void ex_free(examples *e) {
    int i;
    for (i = 0; i < e->n; i++) { free(e->ids[i]); free(e->types[i]); if (e->ner) free(e->ner[i]); }
    free(e->ids); free(e->types); free(e->ner); free(e->len); free(e->cls);
    memset(e, 0, sizeof *e);
}

static int ex_alloc(examples *e, int n, int ner) {
    memset(e, 0, sizeof *e);
    e->n = n;
    e->ids = (int32_t **)calloc((size_t)n + 1, sizeof *e->ids);
    e->types = (int32_t **)calloc((size_t)n + 1, sizeof *e->types);
    e->len = (int *)calloc((size_t)n + 1, sizeof *e->len);
    if (ner) e->ner = (int32_t **)calloc((size_t)n + 1, sizeof *e->ner);
    else e->cls = (int32_t *)calloc((size_t)n + 1, sizeof *e->cls);
    return e->ids && e->types && e->len && (ner ? e->ner != NULL : e->cls != NULL);
}

static int32_t *dup32(const int32_t *s, int n) {
    int32_t *d = (int32_t *)malloc(((size_t)n + 1) * sizeof *d);
    if (d) memcpy(d, s, (size_t)n * sizeof *d);
    return d;
}

static int tokenize_cls(const mtl_tokenizer *tok, const mtl_cls_dataset *ds, int max_len, examples *e, const char *file) {
    mtl_aligned al;
    mtl_align_options ao;
    mtl_error err;
    int i;
    memset(&al, 0, sizeof al);
    memset(&ao, 0, sizeof ao);
    ao.max_length = max_len;
    if (!ex_alloc(e, ds->n, 0)) return 1;
    for (i = 0; i < ds->n; i++) {
        const char *w = ds->texts[i];
        if (mtl_align_words(tok, &w, &ds->text_lens[i], 1, NULL, &ao, &al, &err) != MTL_OK) {
            fprintf(stderr, "mtl-train: %s:%d: %s\n", file, ds->lines[i], err.msg);
            mtl_aligned_free(&al);
            return 1;
        }
        e->len[i] = al.n;
        e->ids[i] = dup32(al.ids, al.n);
        e->types[i] = dup32(al.type_ids, al.n);
        e->cls[i] = ds->labels[i];
        if (!e->ids[i] || !e->types[i]) { mtl_aligned_free(&al); return 1; }
    }
    mtl_aligned_free(&al);
    return 0;
}

static int tokenize_ner(const mtl_tokenizer *tok, const mtl_ner_dataset *ds, int max_len, examples *e, const char *file) {
    mtl_aligned al;
    mtl_align_options ao;
    mtl_error err;
    int i;
    memset(&al, 0, sizeof al);
    memset(&ao, 0, sizeof ao);
    ao.max_length = max_len;
    if (!ex_alloc(e, ds->n, 1)) return 1;
    for (i = 0; i < ds->n; i++) {
        const int w0 = ds->sent_start[i];
        if (mtl_align_words(tok, (const char *const *)ds->words + w0, ds->word_lens + w0, ds->sent_start[i + 1] - w0,
                            ds->tags + w0, &ao, &al, &err) != MTL_OK) {
            fprintf(stderr, "mtl-train: %s:%d: %s\n", file, ds->lines[i], err.msg);
            mtl_aligned_free(&al);
            return 1;
        }
        e->len[i] = al.n;
        e->ids[i] = dup32(al.ids, al.n);
        e->types[i] = dup32(al.type_ids, al.n);
        e->ner[i] = dup32(al.labels, al.n);
        if (!e->ids[i] || !e->types[i] || !e->ner[i]) { mtl_aligned_free(&al); return 1; }
    }
    mtl_aligned_free(&al);
    return 0;
}

/* padded batch buffers [max_batch * max_len] */
typedef struct batchbuf { int32_t *ids, *types, *mask, *ner, *cls; } batchbuf;

static int bb_alloc(batchbuf *b, int B, int L) {
    const size_t n = (size_t)B * (size_t)L;
    b->ids = (int32_t *)malloc(n * 4); b->types = (int32_t *)malloc(n * 4); b->mask = (int32_t *)malloc(n * 4);
    b->ner = (int32_t *)malloc(n * 4); b->cls = (int32_t *)malloc((size_t)B * 4);
    return b->ids && b->types && b->mask && b->ner && b->cls;
}
static void bb_free(batchbuf *b) { free(b->ids); free(b->types); free(b->mask); free(b->ner); free(b->cls); }

/* Fills a batch with examples idx[0..n) */
static mtl_batch make_batch(batchbuf *bb, const examples *e, const int32_t *idx, int n, int with_labels) {
    mtl_batch b;
    int i, t, L = 1;
    for (i = 0; i < n; i++) if (e->len[idx[i]] > L) L = e->len[idx[i]];
    for (i = 0; i < n; i++) {
        const int k = idx[i];
        for (t = 0; t < L; t++) {
            const size_t p = (size_t)i * (size_t)L + (size_t)t;
            const int in = t < e->len[k];
            bb->ids[p] = in ? e->ids[k][t] : 0;
            bb->types[p] = in ? e->types[k][t] : 0;
            bb->mask[p] = in;
            bb->ner[p] = in && e->ner ? e->ner[k][t] : -100;
        }
        if (e->cls) bb->cls[i] = e->cls[k];
    }
    memset(&b, 0, sizeof b);
    b.B = n; b.L = L; b.ids = bb->ids; b.types = bb->types; b.mask = bb->mask;
    if (with_labels) {
        if (e->cls) b.cls_labels = bb->cls;
        else b.ner_labels = bb->ner;
    }
    return b;
}

/* An epoch-wise shuffled stream of batches of one task. */
typedef struct stream { const examples *e; int32_t *order; int pos, epoch, B; uint64_t seed; } stream;
static void st_init(stream *s, const examples *e, int B, uint64_t seed) {
    s->e = e; s->B = B; s->seed = seed; s->pos = 0; s->epoch = 0;
    s->order = (int32_t *)malloc(((size_t)e->n + 1) * sizeof *s->order);
    if (s->order) mtl_shuffle(s->order, e->n, seed);
}
static const int32_t *st_next(stream *s, int *n) {
    const int32_t *p;
    if (s->pos >= s->e->n) { s->epoch++; s->pos = 0; mtl_shuffle(s->order, s->e->n, s->seed + (uint64_t)s->epoch); }
    p = s->order + s->pos;
    *n = s->e->n - s->pos < s->B ? s->e->n - s->pos : s->B;
    s->pos += *n;
    return p;
}

typedef struct dev {
    const examples *cls, *ner;
    const mtl_ner_dataset *ner_ds;
    const char *const *cls_names, *const *ner_names;
    int n_cls, n_ner;
} dev;

/* Dev evaluation with the trainer (eval mode). Prints one summary line (and the full reports when
   full); returns the selection score (mean of cls accuracy and NER micro F1), -1 on error. */
static double evaluate(mtl_trainer *tr, const dev *d, batchbuf *bb, int B, const char *tag, int full) {
    mtl_error err;
    mtl_step_stats st;
    double score = 0.0, loss;
    int parts = 0, i, k;
    int32_t idx[1024];
    char *rep_cls = NULL, *rep_ner = NULL;
    size_t need;
    if (B > 1024) B = 1024;
    mtl_trainer_set_training(tr, 0);
    printf("[%s] step %ld", tag, mtl_trainer_step_count(tr));
    if (d->cls) {
        int32_t *pred = (int32_t *)malloc(((size_t)d->cls->n + 1) * 4);
        mtl_cls_metrics cm;
        loss = 0.0;
        if (!pred) return -1;
        for (i = 0; i < d->cls->n; i += B) {
            const int n = d->cls->n - i < B ? d->cls->n - i : B;
            mtl_batch b;
            const float *lg;
            for (k = 0; k < n; k++) idx[k] = i + k;
            b = make_batch(bb, d->cls, idx, n, 1);
            if (mtl_trainer_eval(tr, &b, &st, &err) != MTL_OK) { fprintf(stderr, "mtl-train: eval: %s\n", err.msg); free(pred); return -1; }
            loss += (double)st.loss_cls * n;
            lg = mtl_trainer_cls_logits(tr);
            for (k = 0; k < n; k++) pred[i + k] = ct_argmax(lg + (size_t)k * (size_t)d->n_cls, d->n_cls, NULL);
        }
        if (mtl_cls_metrics_compute(d->cls->cls, pred, d->cls->n, d->n_cls, &cm, &err) != MTL_OK) { fprintf(stderr, "mtl-train: %s\n", err.msg); free(pred); return -1; }
        printf("  cls: loss %.4f accuracy %.4f macro-F1 %.4f", loss / d->cls->n, cm.accuracy, cm.macro.f1);
        score += cm.accuracy; parts++;
        if (full && mtl_cls_report(&cm, d->cls_names, 4, NULL, 0, &need, &err) == MTL_ERR_NOMEM && (rep_cls = (char *)malloc(need + 1)) != NULL)
            mtl_cls_report(&cm, d->cls_names, 4, rep_cls, need + 1, &need, &err);
        mtl_cls_metrics_free(&cm);
        free(pred);
    }
    if (d->ner) {
        const mtl_ner_dataset *ds = d->ner_ds;
        int32_t *yp = (int32_t *)malloc(((size_t)ds->n_words + 1) * 4), *yt = (int32_t *)malloc(((size_t)ds->n_words + 1) * 4);
        int32_t *starts = (int32_t *)malloc(((size_t)ds->n + 1) * 4), *tp = NULL;
        mtl_ner_metrics nm;
        int kept = 0, t;
        loss = 0.0;
        if (!yp || !yt || !starts) { free(yp); free(yt); free(starts); free(rep_cls); return -1; }
        for (i = 0; i < d->ner->n; i += B) {
            const int n = d->ner->n - i < B ? d->ner->n - i : B;
            mtl_batch b;
            const float *lg;
            for (k = 0; k < n; k++) idx[k] = i + k;
            b = make_batch(bb, d->ner, idx, n, 1);
            if (mtl_trainer_eval(tr, &b, &st, &err) != MTL_OK) { fprintf(stderr, "mtl-train: eval: %s\n", err.msg); kept = -1; break; }
            loss += (double)st.loss_ner * n;
            lg = mtl_trainer_ner_logits(tr);
            for (k = 0; k < n; k++) {
                const int32_t *lab = d->ner->ner[i + k];
                starts[i + k] = kept;
                for (t = 0; t < d->ner->len[i + k]; t++) {
                    if (lab[t] == -100) continue;
                    yt[kept] = lab[t];
                    yp[kept++] = ct_argmax(lg + ((size_t)k * (size_t)b.L + (size_t)t) * (size_t)d->n_ner, d->n_ner, NULL);
                }
            }
        }
        starts[d->ner->n] = kept;
        if (kept < 0 || mtl_ner_metrics_compute(yt, yp, starts, d->ner->n, d->ner_names, d->n_ner, &nm, &err) != MTL_OK) {
            if (kept >= 0) fprintf(stderr, "mtl-train: %s\n", err.msg);
            free(yp); free(yt); free(starts);
            free(rep_cls); return -1;
        }
        printf("  ner: loss %.4f entity-F1 %.4f (P %.4f R %.4f)", loss / d->ner->n, nm.micro.f1, nm.micro.precision, nm.micro.recall);
        score += isnan(nm.micro.f1) ? 0.0 : nm.micro.f1; parts++;
        if (full && mtl_ner_report(&nm, 4, NULL, 0, &need, &err) == MTL_ERR_NOMEM && (rep_ner = (char *)malloc(need + 1)) != NULL)
            mtl_ner_report(&nm, 4, rep_ner, need + 1, &need, &err);
        mtl_ner_metrics_free(&nm);
        free(yp); free(yt); free(starts); free(tp);
    }
    printf("\n");
    if (rep_cls) printf("  classification (dev):\n%s\n", rep_cls);
    if (rep_ner) printf("  NER, entity level (dev):\n%s\n", rep_ner);
    free(rep_cls); free(rep_ner);
    if (cli_out_flush("mtl-train")) return -1;
    mtl_trainer_set_training(tr, 1);
    return parts ? score / parts : 0.0;
}

/* Loads a model file (weights_convert blob or checkpoint) into the trainer (mtl_trainer_load_model). */
static int load_blob_weights(mtl_trainer *tr, const char *path, int load_cls, int load_ner, int *n_heads) {
    char *buf = NULL;
    size_t len = 0;
    mtl_error err;
    int status = 0;
    if (mtl__read_file(path, &buf, &len, &err) != MTL_OK ||
        mtl_trainer_load_model(tr, buf, len, load_cls, load_ner, n_heads, &err) != MTL_OK) {
        fprintf(stderr, "mtl-train: %s: %s\n", path, err.msg);
        status = 1;
    }
    free(buf);
    return status;
}

/* 1 when the model file's HF classifier (weights_convert of a BertForSequenceClassification) has these labels */
static int same_hf_labels(const mtl_model *m, char **names, int n) {
    const mtl_model_info *info = mtl_model_get_info(m);
    int i;
    if (info->head != MTL_HEAD_SEQUENCE || info->num_labels != n || !info->has_pooler) return 0;
    for (i = 0; i < n; i++) {
        size_t len;
        const char *s = mtl_model_label(m, i, &len);
        if (!s || len != strlen(names[i]) || memcmp(s, names[i], len)) return 0;
    }
    return 1;
}

/* 1 when the model's head of that kind has exactly these labels */
static int same_labels(const mtl_model *m, mtl_head_kind kind, char **names, int n) {
    const mtl_head_info *h = mtl_model_head(m, kind);
    int i;
    if (!h || h->num_labels != n || h->hidden != 0) return 0;
    for (i = 0; i < n; i++) {
        size_t len;
        const char *s = mtl_model_head_label(m, kind, i, &len);
        if (!s || len != strlen(names[i]) || memcmp(s, names[i], len)) return 0;
    }
    return 1;
}

/* The best dev score so far beside a resumable state (CKPT.best, one number; written .tmp + rename),
   so a resumed run keeps comparing against the checkpoint --out already holds. */
static int write_best(const char *ckpt, double best) {
    char p[4400], tmp[4500];
    FILE *f;
    snprintf(p, sizeof p, "%s.best", ckpt);
    snprintf(tmp, sizeof tmp, "%s.tmp", p);
    if (!(f = fopen(tmp, "w"))) { fprintf(stderr, "mtl-train: cannot write %s: %s\n", tmp, strerror(errno)); return 1; }
    errno = 0;
    if (fprintf(f, "%.17g\n", best) < 0 || fflush(f) != 0 || ferror(f)) {
        const int e = errno;
        fclose(f);
        remove(tmp);
        fprintf(stderr, "mtl-train: cannot write %s: %s\n", tmp, e ? strerror(e) : "write error");
        return 1;
    }
    if (fclose(f) != 0 || rename(tmp, p) != 0) { fprintf(stderr, "mtl-train: cannot write %s: %s\n", p, strerror(errno)); remove(tmp); return 1; }
    return 0;
}
static double read_best(const char *ckpt) {
    char p[4400];
    double v = -2.0;
    FILE *f;
    snprintf(p, sizeof p, "%s.best", ckpt);
    if ((f = fopen(p, "r")) != NULL) {
        if (fscanf(f, "%lf", &v) != 1) v = -2.0;
        fclose(f);
    }
    return v;
}

/* Saves the trainer to path. On failure the message (with the OS reason) is printed and the trained
   state is kept: a resumable checkpoint at resume_path (beside --out), else in $TMPDIR (or /tmp);
   the message names where it went. Returns 0 on success. */
static int save_ckpt(mtl_trainer *tr, const char *path, const char *resume_path, double best) {
    mtl_error err;
    char alt[4200];
    const char *td = getenv("TMPDIR");
    if (mtl_trainer_save_file(tr, path, &err) == MTL_OK) return 0;
    fprintf(stderr, "mtl-train: %s\n", err.msg);   /* "cannot write PATH: reason" */
    if (resume_path && strcmp(resume_path, path) && mtl_trainer_save_file(tr, resume_path, &err) == MTL_OK && !write_best(resume_path, best)) {
        fprintf(stderr, "mtl-train: the trained state (step %ld) is kept in %s: free space, then continue with the same options and --resume %s\n",
                mtl_trainer_step_count(tr), resume_path, resume_path);
        return 1;
    }
    if (resume_path && strcmp(resume_path, path)) fprintf(stderr, "mtl-train: %s\n", err.msg);
    snprintf(alt, sizeof alt, "%s/mtl-train-%ld.resume.gguf", td && *td ? td : "/tmp", (long)getpid());
    if (mtl_trainer_save_file(tr, alt, &err) == MTL_OK && !write_best(alt, best)) {
        fprintf(stderr, "mtl-train: the trained state (step %ld) is kept in %s: continue with the same options and --resume %s\n",
                mtl_trainer_step_count(tr), alt, alt);
        return 1;
    }
    fprintf(stderr, "mtl-train: %s\nmtl-train: the trained state could not be saved anywhere\n", err.msg);
    return 1;
}

/* Refuses an output path that cannot be written, before any work: an empty name, a directory or
   another non-regular file, a folder that is missing or not writable (a probe PATH.tmp is created
   and removed: the checkpoint writer writes PATH.tmp and renames it). 0 when fine. */
static int check_out_path(const char *opt, const char *path) {
    struct stat st;
    char tmp[4300];
    int fd, exists;
    const size_t n = strlen(path);
    if (n == 0) { fprintf(stderr, "mtl-train: %s: an empty file name\n", opt); return 1; }
    if (n > 4000) { fprintf(stderr, "mtl-train: %s: the name is too long\n", opt); return 1; }
    exists = stat(path, &st) == 0;
    if (path[n - 1] == '/' || (exists && S_ISDIR(st.st_mode))) { fprintf(stderr, "mtl-train: %s %s: is a directory\n", opt, path); return 1; }
    if (exists && !S_ISREG(st.st_mode)) { fprintf(stderr, "mtl-train: %s %s: not a regular file\n", opt, path); return 1; }
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    if (stat(tmp, &st) == 0 && !S_ISREG(st.st_mode)) { fprintf(stderr, "mtl-train: %s: %s is in the way (not a regular file)\n", opt, tmp); return 1; }
    if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0) { fprintf(stderr, "mtl-train: %s: cannot write %s: %s\n", opt, tmp, strerror(errno)); return 1; }
    close(fd);
    unlink(tmp);
    return 0;
}

/* Free bytes in the folder of path (-1 when unknown). */
static double free_bytes(const char *path) {
    char dir[4200];
    const char *sl = strrchr(path, '/');
    struct statvfs sv;
    if (!sl) snprintf(dir, sizeof dir, ".");
    else if (sl == path) snprintf(dir, sizeof dir, "/");
    else snprintf(dir, sizeof dir, "%.*s", (int)(sl - path), path);
    if (statvfs(dir, &sv) != 0) return -1.0;
    return (double)sv.f_bavail * (double)sv.f_frsize;
}

/* Comma-separated list -> NULL-terminated array of trimmed names (in one allocation); NULL on no memory. */
static char **split_list(const char *s, int *n) {
    size_t len = strlen(s), k;
    int cnt = 1, i = 0;
    char **v, *p;
    for (k = 0; k < len; k++) cnt += s[k] == ',';
    v = (char **)malloc(((size_t)cnt + 1) * sizeof *v + len + 1);
    if (!v) return NULL;
    p = (char *)(v + cnt + 1);
    memcpy(p, s, len + 1);
    for (;;) {
        char *e = strchr(p, ','), *a = p, *b;
        if (e) *e = 0;
        b = a + strlen(a);
        while (*a == ' ' || *a == '\t') a++;
        while (b > a && (b[-1] == ' ' || b[-1] == '\t')) *--b = 0;
        v[i++] = a;
        if (!e) break;
        p = e + 1;
    }
    v[i] = NULL;
    *n = i;
    return v;
}

/* Warnings about rare labels (counts from the loader). */
static void warn_rare(const char *file, const char *what, const char *unit, char **names, const int32_t *counts, const int32_t *lines, int n_names,
                      long total, int pct) {
    int k;
    for (k = 0; k < n_names; k++) {
        if (counts[k] == 0)
            fprintf(stderr, "mtl-train: warning: %s \"%s\" of the given list never occurs in %s\n", what, names[k], file);
        else if (counts[k] < 5 || (pct && (long)counts[k] * 100 < total))
            fprintf(stderr, "mtl-train: warning: %s:%d: %s \"%s\" on only %ld of %ld %s (fewer than 5%s): a typo? (--%s-labels pins the set)\n", file,
                    (int)lines[k], what, names[k], (long)counts[k], total, unit, pct ? " or under 1%" : "", pct ? "cls" : "ner");
    }
}

static void progress(int tty, long step, long total, double t0, long step0, const mtl_step_stats *st, double run_loss,
                     double run_cls, double run_ner, int final) {
    const double el = now_s() - t0, its = el > 0 ? (double)(step - step0) / el : 0.0;
    const double eta = its > 0 ? (double)(total - step) / its : 0.0;
    char losses[160];
    (void)st;
    snprintf(losses, sizeof losses, "loss %.4f%s", run_loss, "");
    if (run_cls >= 0) snprintf(losses + strlen(losses), sizeof losses - strlen(losses), " cls %.4f", run_cls);
    if (run_ner >= 0) snprintf(losses + strlen(losses), sizeof losses - strlen(losses), " ner %.4f", run_ner);
    if (tty) {
        char bar[31];
        int i, fill = total > 0 ? (int)(30 * step / total) : 30;
        for (i = 0; i < 30; i++) bar[i] = i < fill ? '#' : '.';
        bar[30] = 0;
        fprintf(stderr, "\r[%s] %ld/%ld %.2f it/s ETA %.0fs %s   %s", bar, step, total, its, eta, losses, final ? "\n" : "");
    } else {
        fprintf(stderr, "progress: step %ld/%ld %.2f it/s eta %.0fs %s\n", step, total, its, eta, losses);
    }
    fflush(stderr);
}

int main(int argc, char **argv) {
    const char *model_path = NULL, *out_path = NULL, *cls_train = NULL, *cls_dev = NULL, *cls_fmt = "sst2";
    const char *ner_train = NULL, *ner_dev = NULL, *ner_fmt = "conll", *freeze = NULL, *unfreeze = NULL;
    const char *sched_name = "combined", *resume = NULL, *pooling = NULL, *cls_labels_opt = NULL, *ner_labels_opt = NULL;
    char **cls_pin = NULL, **ner_pin = NULL;
    int n_cls_pin = 0, n_ner_pin = 0;
    int hf_cls = 0;
    int epochs = 3, batch = 16, max_len = 128, eval_every = 0, threads = 0, i, status = 1, tty;
    double lr = 2e-5, head_mult = 1.0, layer_decay = 1.0, wd = 0.01, warmup_ratio = -1.0, clip = 1.0, w_cls = 1.0, w_ner = 1.0;
    long warmup_steps = -1;
    unsigned long long seed = 42;
    mtl_model *m = NULL;
    mtl_error err;
    mtl_cls_dataset cls_tr, cls_dv;
    mtl_ner_dataset ner_tr, ner_dv;
    examples ecls, ecls_dev, ener, ener_dev;
    mtl_trainer_config c;
    mtl_trainer *tr = NULL;
    mtl_mt_schedule ms;
    batchbuf bb, bb2;
    stream scls, sner;
    dev d;
    long steps_per_epoch, total, step0;
    int n_cls_batches = 0, n_ner_batches = 0, heads_loaded = 0;
    double best = -2.0, t0, run_loss = 0, run_cls = -1, run_ner = -1;
    char resume_path[4200];
    const mtl_model_info *info;

    memset(&cls_tr, 0, sizeof cls_tr); memset(&cls_dv, 0, sizeof cls_dv);
    memset(&ner_tr, 0, sizeof ner_tr); memset(&ner_dv, 0, sizeof ner_dv);
    memset(&ecls, 0, sizeof ecls); memset(&ecls_dev, 0, sizeof ecls_dev);
    memset(&ener, 0, sizeof ener); memset(&ener_dev, 0, sizeof ener_dev);
    memset(&bb, 0, sizeof bb); memset(&bb2, 0, sizeof bb2);
    memset(&scls, 0, sizeof scls); memset(&sner, 0, sizeof sner);
    memset(&ms, 0, sizeof ms);
    threads = cli_default_threads();
    for (i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        char *end = NULL;
#define OPT(name) (v && !strcmp(a, name) && (++i, 1))
        if (cli_is_help(a)) return help();
        else if (cli_is_version(a)) return cli_version(PROG);
        else if (OPT("--model")) model_path = v;
        else if (OPT("--out")) out_path = v;
        else if (OPT("--cls-train")) cls_train = v;
        else if (OPT("--cls-dev")) cls_dev = v;
        else if (OPT("--cls-format")) cls_fmt = v;
        else if (OPT("--ner-train")) ner_train = v;
        else if (OPT("--ner-dev")) ner_dev = v;
        else if (OPT("--ner-format")) ner_fmt = v;
        else if (OPT("--freeze")) freeze = v;
        else if (OPT("--unfreeze-schedule")) unfreeze = v;
        else if (OPT("--schedule")) sched_name = v;
        else if (OPT("--resume")) resume = v;
        else if (OPT("--pooling")) pooling = v;
        else if (OPT("--cls-labels") || OPT("--labels")) cls_labels_opt = v;
        else if (OPT("--ner-labels")) ner_labels_opt = v;
        else if (OPT("--epochs")) { if (cli_parse_int(PROG, a, v, 1, 1000000, &epochs)) return CLI_EXIT_USAGE; }
        else if (OPT("--batch")) { if (cli_parse_int(PROG, a, v, 1, 1024, &batch)) return CLI_EXIT_USAGE; }
        else if (OPT("--max-length")) { if (cli_parse_int(PROG, a, v, 3, 100000, &max_len)) return CLI_EXIT_USAGE; }
        else if (OPT("--eval-every")) { if (cli_parse_int(PROG, a, v, 0, INT_MAX, &eval_every)) return CLI_EXIT_USAGE; }
        else if (OPT("--threads")) { if (cli_parse_int(PROG, a, v, 1, CLI_THREADS_MAX, &threads)) return CLI_EXIT_USAGE; }
        else if (OPT("--warmup-steps")) { if (cli_parse_long(PROG, a, v, 0, LONG_MAX, &warmup_steps)) return CLI_EXIT_USAGE; }
        else if (OPT("--seed")) { errno = 0; seed = strtoull(v, &end, 10); if (end == v || *end || *v == '-' || errno == ERANGE) goto bad; }
        else if (OPT("--lr")) { lr = strtod(v, &end); if (end == v || *end || !(lr > 0)) goto bad; }
        else if (OPT("--head-lr-mult")) { head_mult = strtod(v, &end); if (end == v || *end || !(head_mult > 0)) goto bad; }
        else if (OPT("--layer-decay")) { layer_decay = strtod(v, &end); if (end == v || *end || !(layer_decay > 0)) goto bad; }
        else if (OPT("--weight-decay")) { wd = strtod(v, &end); if (end == v || *end || !(wd >= 0)) goto bad; }
        else if (OPT("--warmup-ratio")) { warmup_ratio = strtod(v, &end); if (end == v || *end || !(warmup_ratio >= 0 && warmup_ratio <= 1)) goto bad; }
        else if (OPT("--clip")) { clip = strtod(v, &end); if (end == v || *end || clip != clip) goto bad; }
        else if (OPT("--task-weights")) { w_cls = strtod(v, &end); if (*end != ',') goto bad; w_ner = strtod(end + 1, &end); if (*end) goto bad; }
        else return cli_bad_option(PROG, OPTS, a);
        continue;
    bad:
        return cli_usage_error(PROG, "bad value for %s: '%s' (see --help)", a, v);
#undef OPT
    }
    if (!model_path || !out_path) return cli_usage_error(PROG, "--model and --out are required");
    if (!cls_train && !ner_train) return cli_usage_error(PROG, "give --cls-train and/or --ner-train");
    if ((cls_dev && !cls_train) || (ner_dev && !ner_train)) return cli_usage_error(PROG, "--cls-dev needs --cls-train, --ner-dev --ner-train");
    if (warmup_steps >= 0 && warmup_ratio >= 0) return cli_usage_error(PROG, "--warmup-steps and --warmup-ratio exclude each other");
    if (!cls_format_ok(cls_fmt)) return cli_usage_error(PROG, "unknown classification format '%s' (sst2, imdb, csv:TEXTCOL,LABELCOL)", cls_fmt);
    if (!ner_format_ok(ner_fmt)) return cli_usage_error(PROG, "unknown NER format '%s' (conll, gmb)", ner_fmt);
    if (pooling && strcmp(pooling, "mean") && strcmp(pooling, "cls") && strcmp(pooling, "max") && strcmp(pooling, "pooler"))
        return cli_usage_error(PROG, "unknown --pooling '%s' (mean, cls, max, pooler)", pooling);
    if (mtl_mt_parse(&ms, sched_name, &err) != MTL_OK) return cli_usage_error(PROG, "%s", err.msg);
    if ((cls_labels_opt && !cls_train) || (ner_labels_opt && !ner_train)) return cli_usage_error(PROG, "--cls-labels needs --cls-train, --ner-labels --ner-train");
    snprintf(resume_path, sizeof resume_path, "%s.resume.gguf", out_path);
    {   /* the outputs must be writable before anything is loaded or trained */
        char bp[4400];
        snprintf(bp, sizeof bp, "%s.best", resume_path);
        if (check_out_path("--out", out_path) || check_out_path("--out (its resumable checkpoint)", resume_path) ||
            check_out_path("--out (its best-score file)", bp))
            return 1;
    }
    if ((cls_labels_opt && !(cls_pin = split_list(cls_labels_opt, &n_cls_pin))) || (ner_labels_opt && !(ner_pin = split_list(ner_labels_opt, &n_ner_pin)))) {
        fprintf(stderr, "mtl-train: out of memory\n");
        free(cls_pin);
        return 1;
    }

    /* data (everything is read and checked before anything is written) */
    if (cli_load_model("mtl-train", model_path, &m)) return 1;
    info = mtl_model_get_info(m);
    if (!mtl_model_tokenizer(m)) { fprintf(stderr, "mtl-train: %s has no tokenizer\n", model_path); goto out; }
    if (max_len > info->max_position) max_len = info->max_position;
    if (cls_train) {
        if (ct_load_cls("mtl-train", cls_train, cls_fmt, (const char *const *)cls_pin, n_cls_pin, &cls_tr)) goto out;
        warn_rare(cls_train, "label", "rows", cls_tr.label_names, cls_tr.label_counts, cls_tr.label_lines, cls_tr.n_labels, cls_tr.n, 1);
        if (cls_dev && ct_load_cls("mtl-train", cls_dev, cls_fmt, (const char *const *)cls_tr.label_names, cls_tr.n_labels, &cls_dv)) goto out;
        if (cls_tr.n_labels < 2) { fprintf(stderr, "mtl-train: %s: only one label ('%s'): nothing to learn\n", cls_train, cls_tr.label_names[0]); goto out; }
        if (tokenize_cls(mtl_model_tokenizer(m), &cls_tr, max_len, &ecls, cls_train)) goto out;
        if (cls_dev && tokenize_cls(mtl_model_tokenizer(m), &cls_dv, max_len, &ecls_dev, cls_dev)) goto out;
    }
    if (ner_train) {
        if (ct_load_ner("mtl-train", ner_train, ner_fmt, (const char *const *)ner_pin, n_ner_pin, &ner_tr)) goto out;
        warn_rare(ner_train, "tag", "words", ner_tr.tag_names, ner_tr.tag_counts, ner_tr.tag_lines, ner_tr.n_tags, ner_tr.n_words, 0);
        if (ner_dev && ct_load_ner("mtl-train", ner_dev, ner_fmt, (const char *const *)ner_tr.tag_names, ner_tr.n_tags, &ner_dv)) goto out;
        if (tokenize_ner(mtl_model_tokenizer(m), &ner_tr, max_len, &ener, ner_train)) goto out;
        if (ner_dev && tokenize_ner(mtl_model_tokenizer(m), &ner_dv, max_len, &ener_dev, ner_dev)) goto out;
    }

    if (check_out_path("--out", out_path)) goto out;   /* again: loading the data took a while */

    /* trainer */
    mtl_trainer_defaults(&c);
    c.bb.vocab_size = info->vocab_size; c.bb.hidden_size = info->hidden_size; c.bb.n_layers = info->n_layers;
    c.bb.n_heads = info->n_heads; c.bb.intermediate_size = info->intermediate_size; c.bb.max_position = info->max_position;
    c.bb.type_vocab_size = info->type_vocab_size; c.bb.pad_token_id = 0; c.bb.layer_norm_eps = info->layer_norm_eps;
    c.with_pooler = info->has_pooler;
    c.n_cls = cls_train ? cls_tr.n_labels : 0;
    c.n_ner = ner_train ? ner_tr.n_tags : 0;
    c.cls_labels = cls_train ? (const char *const *)cls_tr.label_names : NULL;
    c.ner_labels = ner_train ? (const char *const *)ner_tr.tag_names : NULL;
    c.tokenizer = mtl_model_tokenizer(m);
    c.embed_normalize = info->normalize;
    hf_cls = cls_train && !same_labels(m, MTL_HEAD_SEQUENCE, cls_tr.label_names, cls_tr.n_labels) &&
             same_hf_labels(m, cls_tr.label_names, cls_tr.n_labels) && (!pooling || !strcmp(pooling, "pooler"));
    if (!pooling) {
        const mtl_head_info *h = mtl_model_head(m, MTL_HEAD_SEQUENCE);
        c.pooling = hf_cls ? MTL_HPOOL_POOLER : !h ? MTL_HPOOL_MEAN : h->pooling == MTL_POOL_CLS ? MTL_HPOOL_CLS
                  : h->pooling == MTL_POOL_MAX ? MTL_HPOOL_MAX : h->pooling == MTL_POOL_POOLER ? MTL_HPOOL_POOLER : MTL_HPOOL_MEAN;
    } else if (!strcmp(pooling, "mean")) c.pooling = MTL_HPOOL_MEAN;
    else if (!strcmp(pooling, "cls")) c.pooling = MTL_HPOOL_CLS;
    else if (!strcmp(pooling, "max")) c.pooling = MTL_HPOOL_MAX;
    else if (!strcmp(pooling, "pooler")) c.pooling = MTL_HPOOL_POOLER;
    else { fprintf(stderr, "mtl-train: unknown --pooling '%s' (mean, cls, max, pooler)\n", pooling); goto out; }
    if (c.pooling == MTL_HPOOL_POOLER && !info->has_pooler) { fprintf(stderr, "mtl-train: --pooling pooler: %s has no pooler weights\n", model_path); goto out; }
    c.cls_weight = w_cls; c.ner_weight = w_ner;
    c.lr_rule.base_lr = lr; c.lr_rule.head_mult = head_mult; c.lr_rule.layer_decay = layer_decay; c.lr_rule.weight_decay = wd;
    c.clip_norm = clip;
    c.seed = (uint64_t)seed;
    c.max_batch = batch; c.max_len = max_len; c.n_threads = threads;
    if (cls_train) n_cls_batches = (ecls.n + batch - 1) / batch;
    if (ner_train) n_ner_batches = (ener.n + batch - 1) / batch;
    if (!cls_train || !ner_train) steps_per_epoch = n_cls_batches + n_ner_batches;
    else if (ms.mode == MTL_MT_COMBINED) steps_per_epoch = n_cls_batches > n_ner_batches ? n_cls_batches : n_ner_batches;
    else steps_per_epoch = n_cls_batches + n_ner_batches;
    total = steps_per_epoch * epochs;
    ms.total_steps = total;
    ms.seed = (uint64_t)seed;
    ms.p_cls = (double)n_cls_batches / (double)(n_cls_batches + n_ner_batches);
    c.schedule.type = MTL_SCHED_LINEAR;
    c.schedule.total_steps = total;
    c.schedule.warmup_steps = warmup_steps >= 0 ? warmup_steps : warmup_ratio >= 0 ? (long)ceil(warmup_ratio * (double)total) : 0;
    if (mtl_trainer_create(&tr, &c, &err) != MTL_OK) { fprintf(stderr, "mtl-train: %s\n", err.msg); goto out; }
    mtl_trainer_init_heads(tr, (uint64_t)seed, 0.02f);
    {
        const int keep_cls = !cls_train ? 0 : same_labels(m, MTL_HEAD_SEQUENCE, cls_tr.label_names, cls_tr.n_labels) ? 1
                             : hf_cls ? 2 : 0;
        const int keep_ner = ner_train && same_labels(m, MTL_HEAD_TOKEN, ner_tr.tag_names, ner_tr.n_tags);
        if (load_blob_weights(tr, model_path, keep_cls, keep_ner, &heads_loaded)) goto out;
    }
    if (freeze && mtl_trainer_freeze(tr, freeze, &err) != MTL_OK) { fprintf(stderr, "mtl-train: --freeze: %s\n", err.msg); goto out; }
    if (unfreeze && mtl_trainer_apply_epoch(tr, unfreeze, 0, &err) != MTL_OK) { fprintf(stderr, "mtl-train: --unfreeze-schedule: %s\n", err.msg); goto out; }
    if (resume && mtl_trainer_load_file(tr, resume, &err) != MTL_OK) { fprintf(stderr, "mtl-train: --resume %s: %s\n", resume, err.msg); goto out; }
    {   /* room for a checkpoint (parameters + optimizer state) beside --out */
        mtl_trainer_mem mem;
        double need, have;
        mtl_trainer_memory(tr, &mem);
        need = (double)mem.param_bytes + (double)mem.optim_bytes + 1048576.0;
        have = free_bytes(out_path);
        if (have >= 0 && have < need) {
            fprintf(stderr, "mtl-train: --out %s: %.1f MiB free there, a checkpoint needs about %.1f MiB\n", out_path, have / 1048576.0, need / 1048576.0);
            goto out;
        }
    }
    if (!bb_alloc(&bb, batch, max_len) || !bb_alloc(&bb2, batch, max_len)) { fprintf(stderr, "mtl-train: out of memory\n"); goto out; }
    if (cls_train) st_init(&scls, &ecls, batch, (uint64_t)seed);
    if (ner_train) st_init(&sner, &ener, batch, (uint64_t)seed + 1000003u);
    if ((cls_train && !scls.order) || (ner_train && !sner.order)) { fprintf(stderr, "mtl-train: out of memory\n"); goto out; }

    signal(SIGINT, on_sigint);   /* from here on Ctrl-C saves the resumable state (after the current step) */
    printf("model %s: %d layers, hidden %d; %s%s%s%s; %ld steps (%d epochs x %ld), batch %d, max length %d, lr %g, schedule %s%s\n",
           model_path, info->n_layers, info->hidden_size, cls_train ? "cls " : "", cls_train ? cls_train : "",
           ner_train ? (cls_train ? ", ner " : "ner ") : "", ner_train ? ner_train : "", total, epochs, steps_per_epoch, batch,
           max_len, lr, sched_name, heads_loaded ? " (heads from the model)" : "");
    if (cls_train) printf("cls labels (%d):", cls_tr.n_labels);
    for (i = 0; cls_train && i < cls_tr.n_labels; i++) printf(" %s", cls_tr.label_names[i]);
    if (cls_train) printf("\n");
    if (ner_train) printf("ner tags (%d):", ner_tr.n_tags);
    for (i = 0; ner_train && i < ner_tr.n_tags; i++) printf(" %s", ner_tr.tag_names[i]);
    if (ner_train) printf("\n");
    if (cli_out_flush("mtl-train")) goto out;   /* stdout cannot be written: stop before training */

    memset(&d, 0, sizeof d);
    d.cls = cls_dev ? &ecls_dev : NULL;
    d.ner = ner_dev ? &ener_dev : NULL;
    d.ner_ds = &ner_dv;
    d.cls_names = (const char *const *)cls_tr.label_names; d.n_cls = cls_tr.n_labels;
    d.ner_names = (const char *const *)ner_tr.tag_names; d.n_ner = ner_tr.n_tags;
    if (d.cls || d.ner) {
        double s = evaluate(tr, &d, &bb, batch, resume ? "dev (resumed)" : "dev before training", 1);
        if (s < -0.5) goto out;
        if (resume) {   /* the best dev score before the interruption (if --out holds it), else the resumed state's */
            const double saved = read_best(resume);
            best = saved > s ? saved : s;
        }
    }

    /* fast-forward the batch streams past the steps a resumed run already did */
    step0 = mtl_trainer_step_count(tr);
    if (resume) printf("resumed from %s at step %ld/%ld\n", resume, step0, total);
    {
        long s2;
        int n;
        for (s2 = 0; s2 < step0; s2++) {
            const int tasks = cls_train && ner_train ? mtl_mt_tasks(&ms, s2) : cls_train ? MTL_TASK_CLS : MTL_TASK_NER;
            if (tasks & MTL_TASK_CLS) st_next(&scls, &n);
            if (tasks & MTL_TASK_NER) st_next(&sner, &n);
        }
    }
    tty = isatty(fileno(stderr));
    t0 = now_s();
    mtl_trainer_set_training(tr, 1);
    {
        long step = step0, every = total / 20 > 0 ? total / 20 : 1;
        int epoch = (int)(step0 / (steps_per_epoch > 0 ? steps_per_epoch : 1));
        double last_print = now_s(), ep_time = 0.0;   /* training time of the current epoch (no eval) */
        long ep_steps = 0;
        while (step < total) {
            const double ts0 = now_s();
            mtl_step_stats st;
            mtl_batch cb, nbt;
            int n, tasks;
            const int32_t *idx;
            if (step % steps_per_epoch == 0 || step == step0) {
                epoch = (int)(step / steps_per_epoch);
                if (unfreeze && mtl_trainer_apply_epoch(tr, unfreeze, epoch, &err) != MTL_OK) { fprintf(stderr, "mtl-train: %s\n", err.msg); goto out; }
            }
            tasks = cls_train && ner_train ? mtl_mt_tasks(&ms, step) : cls_train ? MTL_TASK_CLS : MTL_TASK_NER;
            memset(&cb, 0, sizeof cb); memset(&nbt, 0, sizeof nbt);
            if (tasks & MTL_TASK_CLS) { idx = st_next(&scls, &n); cb = make_batch(&bb, &ecls, idx, n, 1); }
            if (tasks & MTL_TASK_NER) { idx = st_next(&sner, &n); nbt = make_batch(&bb2, &ener, idx, n, 1); }
            if (mtl_trainer_step_mt(tr, &ms, (tasks & MTL_TASK_CLS) ? &cb : NULL, (tasks & MTL_TASK_NER) ? &nbt : NULL, &st, &err) != MTL_OK) {
                fprintf(stderr, "\nmtl-train: step %ld: %s\n", step, err.msg);
                goto out;
            }
            step = mtl_trainer_step_count(tr);
            ep_time += now_s() - ts0; ep_steps++;
            run_loss = step - step0 == 1 ? st.loss : 0.9 * run_loss + 0.1 * st.loss;
            if (st.tasks & MTL_TASK_CLS) run_cls = run_cls < 0 ? st.loss_cls : 0.9 * run_cls + 0.1 * st.loss_cls;
            if (st.tasks & MTL_TASK_NER) run_ner = run_ner < 0 ? st.loss_ner : 0.9 * run_ner + 0.1 * st.loss_ner;
            if (tty ? (now_s() - last_print > 0.2 || step == total) : (step % every == 0 || step == total || now_s() - last_print > 30.0)) {
                progress(tty, step, total, t0, step0, &st, run_loss, run_cls, run_ner, step == total);
                last_print = now_s();
            }
            if (step % steps_per_epoch == 0 || step == total) {
                if (tty) fprintf(stderr, "\n");
                printf("epoch %ld: %.3f s training (%ld steps, %.3f s/step)\n", (step - 1) / steps_per_epoch + 1, ep_time, ep_steps,
                       ep_time / (double)(ep_steps > 0 ? ep_steps : 1));
                fflush(stdout);
                ep_time = 0.0; ep_steps = 0;
            }
            if (g_stop) {
                if (tty) fprintf(stderr, "\n");
                fprintf(stderr, "mtl-train: interrupted at step %ld/%ld: saving the resumable state to %s\n", step, total, resume_path);
                if (save_ckpt(tr, resume_path, NULL, best) || write_best(resume_path, best)) goto out;
                fprintf(stderr, "mtl-train: continue with the same options and --resume %s\n", resume_path);
                status = 130;
                goto out;
            }
            if ((d.cls || d.ner) && ((eval_every > 0 && step % eval_every == 0) || step % steps_per_epoch == 0) && step < total) {
                char tag[64];
                double s;
                if (tty) fprintf(stderr, "\n");
                snprintf(tag, sizeof tag, step % steps_per_epoch == 0 ? "dev epoch %ld" : "dev", step / steps_per_epoch);
                s = evaluate(tr, &d, &bb, batch, tag, 0);
                if (s < -0.5) goto out;
                if (s > best) { best = s; if (save_ckpt(tr, out_path, resume_path, best)) goto out; printf("  new best: saved %s\n", out_path); fflush(stdout); }
            }
        }
    }
    if (d.cls || d.ner) {
        double s = evaluate(tr, &d, &bb, batch, "dev after training", 1);
        if (s < -0.5) goto out;
        if (s > best) { best = s; if (save_ckpt(tr, out_path, resume_path, best)) goto out; }
        printf("best dev score %.4f (mean of cls accuracy / NER entity F1) saved in %s\n", best, out_path);
    } else {
        if (save_ckpt(tr, out_path, resume_path, best)) goto out;
        printf("saved %s\n", out_path);
    }
    remove(resume_path);
    {
        char bp[4400];
        snprintf(bp, sizeof bp, "%s.best", resume_path);
        remove(bp);
    }
    status = 0;
out:
    if (cli_out_close("mtl-train") && status != 130) status = 1;
    free(cls_pin); free(ner_pin);
    free(scls.order); free(sner.order);
    bb_free(&bb); bb_free(&bb2);
    ex_free(&ecls); ex_free(&ecls_dev); ex_free(&ener); ex_free(&ener_dev);
    mtl_trainer_free(tr);
    mtl_cls_dataset_free(&cls_tr); mtl_cls_dataset_free(&cls_dv);
    mtl_ner_dataset_free(&ner_tr); mtl_ner_dataset_free(&ner_dv);
    mtl_model_free(m);
    return status;
}
