/* mtl-eval: classification / NER reports of a model on test files (issue #5).

   build/mtl-eval --model BLOB [--cls-test F --cls-format sst2|imdb|csv:TEXTCOL,LABELCOL]
                  [--ner-test F --ner-format conll|gmb] [--json] [--threads N] [--quiet]

   BLOB: an mtl-train checkpoint (its cls / ner heads and label sets), or a weights_convert file of a
   Hugging Face (Distil)Bert{Sequence,Token}Classification (its classifier is the model's head). Text: scikit-learn's
   classification_report + the confusion matrix (rows = true, columns = predicted), seqeval's entity
   report. --json: one JSON object, the schema of mtl-predict --json too (README, "JSON output"):
   {"cls": {"file": F, "labels": [...], "report": {...}, "confusion_matrix": [[...]]}, "ner": {"file": F, "report": {...}}}
   (the reports are scikit-learn's / seqeval's output_dict form; the matrix rows and columns in "labels" order).
   Errors (unknown labels, malformed lines, ...): "file:line: what" on stderr, exit status 1; a write
   error on stdout: a message, exit status 1; usage errors: exit status 2. --threads: default all
   online CPUs (at most 8); --help: every option with its default and range. Both test files are read
   before any forward (their errors come first); progress on stderr counts their examples (cli.h), and
   at the end how many examples were truncated (to the model's max_seq_length) is said; --quiet: neither. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L   /* isatty(), clock_gettime() (cli.h) */
#endif
#define MTL_BERT_IMPLEMENTATION
#include "../mtl_bert.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_train.h"

#define PROG "mtl-eval"
static const cli_opt OPTS[] = {
    {"--model BLOB", "an mtl-train checkpoint or a converted HF *ForSequenceClassification / *ForTokenClassification (its heads and label sets); required"},
    {"--cls-test F", "a classification test file (default: none; --cls-test and/or --ner-test is required)"},
    {"--cls-format F", "sst2|imdb|csv:TEXTCOL,LABELCOL (default: sst2)"},
    {"--ner-test F", "a NER test file (default: none)"},
    {"--ner-format F", "conll|gmb (default: conll)"},
    {"--json", "one JSON object instead of the text reports (default: off)"},
    {"--threads N", CLI_THREADS_HELP},
    {"--quiet", "no progress and no truncation summary on stderr (default: off: progress on a terminal, else a line every 10 s)"},
    {NULL, NULL}};

static int help(void) {
    return cli_help(PROG, "mtl-eval --model BLOB [--cls-test F [--cls-format F]] [--ner-test F [--ner-format F]] [options]",
                    "Classification report (scikit-learn's) + confusion matrix, NER entity report (seqeval's) of a model\n"
                    "on test files. Errors in a file: \"file:line: what\" (1-based lines), exit 1.\n",
                    OPTS);
}

/* The format names ct_load_cls / ct_load_ner take, checked before anything is loaded. */
static int cls_format_ok(const char *f) { return !strcmp(f, "sst2") || !strcmp(f, "imdb") || (!strncmp(f, "csv:", 4) && strchr(f + 4, ',')); }
static int ner_format_ok(const char *f) { return !strcmp(f, "conll") || !strcmp(f, "gmb"); }

static void json_str(const char *s) {
    putchar('"');
    for (; *s; s++) {
        const unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') { putchar('\\'); putchar(c); }
        else if (c < 0x20) printf("\\u%04x", c);
        else putchar(c);
    }
    putchar('"');
}

/* The head of a kind and its label names: 0, or 1 after a message. */
static int head_labels(const mtl_model *m, mtl_head_kind kind, const char *path, const mtl_head_info **h, char ***names) {
    const int cls = kind == MTL_HEAD_SEQUENCE;
    if (!(*h = mtl_model_head(m, kind))) {
        fprintf(stderr, "mtl-eval: %s has no %s head (train one with mtl-train --%s-train)\n", path, cls ? "classification" : "token (NER)", cls ? "cls" : "ner");
        return 1;
    }
    if (cls && (*h)->num_labels < 2) {   /* a score (a cross-encoder): no classes to report on */
        fprintf(stderr, "mtl-eval: %s: its classification head has one label, a score (mtl-predict prints it), not classes to evaluate\n", path);
        return 1;
    }
    if (!(*names = ct_head_labels(m, kind, (*h)->num_labels))) { fprintf(stderr, "mtl-eval: %s: no %s labels\n", path, cls ? "class" : "tag"); return 1; }
    return 0;
}

static char *report(int json, int cls, const void *metrics, const char *const *names) {
    size_t need = 0;
    char *buf;
    mtl_error err;
    if (cls) {
        if (json) mtl_cls_report_json((const mtl_cls_metrics *)metrics, names, NULL, 0, &need, &err);
        else mtl_cls_report((const mtl_cls_metrics *)metrics, names, 4, NULL, 0, &need, &err);
    } else {
        if (json) mtl_ner_report_json((const mtl_ner_metrics *)metrics, NULL, 0, &need, &err);
        else mtl_ner_report((const mtl_ner_metrics *)metrics, 4, NULL, 0, &need, &err);
    }
    if (!(buf = (char *)malloc(need + 1))) return NULL;
    if (cls) {
        if (json) mtl_cls_report_json((const mtl_cls_metrics *)metrics, names, buf, need + 1, &need, &err);
        else mtl_cls_report((const mtl_cls_metrics *)metrics, names, 4, buf, need + 1, &need, &err);
    } else {
        if (json) mtl_ner_report_json((const mtl_ner_metrics *)metrics, buf, need + 1, &need, &err);
        else mtl_ner_report((const mtl_ner_metrics *)metrics, 4, buf, need + 1, &need, &err);
    }
    while (need > 0 && (buf[need - 1] == '\n' || buf[need - 1] == ' ')) buf[--need] = 0;
    return buf;
}

int main(int argc, char **argv) {
    const char *model_path = NULL, *cls_test = NULL, *cls_fmt = "sst2", *ner_test = NULL, *ner_fmt = "conll";
    int json = 0, threads = 1, i, status = 0, quiet = 0;
    mtl_model *m = NULL;
    mtl_ctx ctx;
    mtl_ctx_options co;
    mtl_error err;
    char *cls_out = NULL, *ner_out = NULL, *conf = NULL;
    int ctx_ok = 0, cls_loaded = 0, ner_loaded = 0, max_len = 0;
    const mtl_head_info *hc = NULL, *hn = NULL;
    char **cls_names = NULL, **ner_names = NULL;
    mtl_cls_dataset cds;
    mtl_ner_dataset nds;
    cli_progress pg;
    long n_done = 0, cls_trunc = 0, ner_trunc = 0;
    threads = cli_default_threads();
    memset(&pg, 0, sizeof pg);
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (cli_is_help(a)) return help();
        else if (cli_is_version(a)) return cli_version(PROG);
        else if (!strcmp(a, "--json")) json = 1;
        else if (!strcmp(a, "--quiet")) quiet = 1;
        else if (i + 1 < argc && !strcmp(a, "--model")) model_path = argv[++i];
        else if (i + 1 < argc && !strcmp(a, "--cls-test")) cls_test = argv[++i];
        else if (i + 1 < argc && !strcmp(a, "--cls-format")) cls_fmt = argv[++i];
        else if (i + 1 < argc && !strcmp(a, "--ner-test")) ner_test = argv[++i];
        else if (i + 1 < argc && !strcmp(a, "--ner-format")) ner_fmt = argv[++i];
        else if (i + 1 < argc && !strcmp(a, "--threads")) {
            if (cli_parse_int(PROG, a, argv[++i], 1, CLI_THREADS_MAX, &threads)) return CLI_EXIT_USAGE;
        } else return cli_bad_option(PROG, OPTS, a);
    }
    if (!model_path) return cli_usage_error(PROG, "--model is required");
    if (!cls_test && !ner_test) return cli_usage_error(PROG, "give --cls-test and/or --ner-test");
    if (!cls_format_ok(cls_fmt)) return cli_usage_error(PROG, "unknown classification format '%s' (sst2, imdb, csv:TEXTCOL,LABELCOL)", cls_fmt);
    if (!ner_format_ok(ner_fmt)) return cli_usage_error(PROG, "unknown NER format '%s' (conll, gmb)", ner_fmt);
    if (cli_load_model("mtl-eval", model_path, &m)) return 1;
    max_len = mtl_model_get_info(m)->max_seq_length;
    memset(&co, 0, sizeof co);
    co.n_threads = threads > 0 ? threads : 1;
    if (mtl_ctx_init(&ctx, m, &co) != MTL_OK) { fprintf(stderr, "mtl-eval: %s\n", ctx.err.msg); mtl_model_free(m); return 1; }
    ctx_ok = 1;
    /* both test files first: their errors come before any work, and the progress knows the total */
    if (cls_test) {
        if (head_labels(m, MTL_HEAD_SEQUENCE, model_path, &hc, &cls_names)) { status = 1; goto done; }
        if ((status = ct_load_cls("mtl-eval", cls_test, cls_fmt, (const char *const *)cls_names, hc->num_labels, &cds)) != 0) goto done;
        cls_loaded = 1;
    }
    if (ner_test) {
        if (head_labels(m, MTL_HEAD_TOKEN, model_path, &hn, &ner_names)) { status = 1; goto done; }
        if ((status = ct_load_ner("mtl-eval", ner_test, ner_fmt, (const char *const *)ner_names, hn->num_labels, &nds)) != 0) goto done;
        ner_loaded = 1;
    }
    cli_progress_init(&pg, "mtl-eval", "examples", (double)((cls_loaded ? cds.n : 0) + (ner_loaded ? nds.n : 0)), quiet);
    if (cls_loaded) {
        const mtl_head_info *h = hc;
        mtl_cls_dataset *ds = &cds;
        mtl_cls_metrics cm;
        const int H = mtl_model_get_info(m)->hidden_size;
        int32_t *pred = NULL;
        float *emb = NULL, *tmp = NULL;
        pred = (int32_t *)malloc((size_t)ds->n * sizeof *pred);
        emb = (float *)malloc((size_t)32 * (size_t)H * sizeof *emb);
        tmp = (float *)malloc(((size_t)(h->hidden > 0 ? h->hidden : 1) + (size_t)h->num_labels) * sizeof *tmp);
        if (!pred || !emb || !tmp) { fprintf(stderr, "mtl-eval: out of memory\n"); status = 1; }
        for (i = 0; !status && i < ds->n; i += 32) {
            mtl_embed_options eo;
            mtl_forward_out fo;
            int n = ds->n - i < 32 ? ds->n - i : 32, k;
            memset(&eo, 0, sizeof eo);
            eo.pooling = h->pooling;
            eo.normalize = -1;
            memset(&fo, 0, sizeof fo);
            fo.embeddings = emb;
            if (mtl_forward_texts(&ctx, n, (const char *const *)ds->texts + i, ds->text_lens + i, NULL, NULL, &eo, &fo, &err) != MTL_OK) {
                cli_progress_clear(&pg);
                fprintf(stderr, "mtl-eval: %s:%d: %s\n", cls_test, ds->lines[i], err.msg); status = 1; break;
            }
            cls_trunc += fo.n_truncated;
            for (k = 0; k < n; k++) {
                float *logits = tmp + (h->hidden > 0 ? h->hidden : 1);
                ct_head_apply(h, emb + (size_t)k * (size_t)H, H, logits, tmp);
                pred[i + k] = ct_argmax(logits, h->num_labels, NULL);
            }
            n_done += n;
            cli_progress_update(&pg, (double)n_done, -1.0);
        }
        if (!status) {
            if (mtl_cls_metrics_compute(ds->labels, pred, ds->n, h->num_labels, &cm, &err) != MTL_OK) { fprintf(stderr, "mtl-eval: %s\n", err.msg); status = 1; }
            else {
                size_t cap = 64 + (size_t)h->num_labels * ((size_t)h->num_labels * 24 + 256), len = 0;
                int r, c;
                cls_out = report(json, 1, &cm, (const char *const *)cls_names);
                conf = (char *)malloc(cap);
                if (conf) {
                    if (json) {
                        len += (size_t)snprintf(conf + len, cap - len, "[");
                        for (r = 0; r < h->num_labels; r++) {
                            len += (size_t)snprintf(conf + len, cap - len, "%s[", r ? ", " : "");
                            for (c = 0; c < h->num_labels; c++)
                                len += (size_t)snprintf(conf + len, cap - len, "%s%lld", c ? ", " : "", (long long)cm.confusion[r * h->num_labels + c]);
                            len += (size_t)snprintf(conf + len, cap - len, "]");
                        }
                        snprintf(conf + len, cap - len, "]");
                    } else {
                        len += (size_t)snprintf(conf + len, cap - len, "confusion matrix (rows: true, columns: predicted)\n%12s", "");
                        for (c = 0; c < h->num_labels; c++) len += (size_t)snprintf(conf + len, cap - len, " %10.10s", cls_names[c]);
                        for (r = 0; r < h->num_labels; r++) {
                            len += (size_t)snprintf(conf + len, cap - len, "\n%12.12s", cls_names[r]);
                            for (c = 0; c < h->num_labels; c++) len += (size_t)snprintf(conf + len, cap - len, " %10lld", (long long)cm.confusion[r * h->num_labels + c]);
                        }
                    }
                }
                mtl_cls_metrics_free(&cm);
                if (!cls_out || !conf) { fprintf(stderr, "mtl-eval: out of memory\n"); status = 1; }
            }
        }
        free(pred); free(emb); free(tmp);
        if (status) goto done;
    }
    if (ner_loaded) {
        const mtl_head_info *h = hn;
        mtl_ner_dataset *ds = &nds;
        mtl_ner_metrics nm;
        mtl_aligned al;
        int32_t *tpred = NULL, *yp = NULL, *yt = NULL, *starts = NULL;
        float *tok = NULL, *tmp = NULL;
        size_t tokcap = 0;
        int n_kept = 0;
        memset(&al, 0, sizeof al);
        yp = (int32_t *)malloc(((size_t)ds->n_words + 1) * sizeof *yp);
        yt = (int32_t *)malloc(((size_t)ds->n_words + 1) * sizeof *yt);
        starts = (int32_t *)malloc(((size_t)ds->n + 1) * sizeof *starts);
        if (!yp || !yt || !starts) { fprintf(stderr, "mtl-eval: out of memory\n"); status = 1; }
        for (i = 0; !status && i < ds->n; i++) {
            const int w0 = ds->sent_start[i], nw = ds->sent_start[i + 1] - w0;
            starts[i] = n_kept;
            if (ct_ner_forward(&ctx, m, h, (const char *const *)ds->words + w0, ds->word_lens + w0, nw, ds->tags + w0,
                               max_len, 1, &al, &tpred, &tok, &tokcap, &tmp, &err)) {
                cli_progress_clear(&pg);
                fprintf(stderr, "mtl-eval: %s:%d: %s\n", ner_test, ds->lines[i], err.msg); status = 1; break;
            }
            ner_trunc += al.truncated != 0;
            n_kept += mtl_aligned_keep_labeled(&al, tpred, yp + n_kept, yt + n_kept);
            cli_progress_update(&pg, (double)++n_done, -1.0);
        }
        if (!status) {
            starts[ds->n] = n_kept;
            if (mtl_ner_metrics_compute(yt, yp, starts, ds->n, (const char *const *)ner_names, h->num_labels, &nm, &err) != MTL_OK) {
                fprintf(stderr, "mtl-eval: %s\n", err.msg); status = 1;
            } else {
                if (!(ner_out = report(json, 0, &nm, NULL))) { fprintf(stderr, "mtl-eval: out of memory\n"); status = 1; }
                mtl_ner_metrics_free(&nm);
            }
        }
        mtl_aligned_free(&al);
        free(tpred); free(yp); free(yt); free(starts); free(tok); free(tmp);
        if (status) goto done;
    }
    cli_progress_end(&pg);
    if (!quiet && cls_trunc)
        fprintf(stderr, "mtl-eval: %s: %ld of %d examples were truncated to %d tokens (the model's max_seq_length)\n", cls_test, cls_trunc, cds.n, max_len);
    if (!quiet && ner_trunc)
        fprintf(stderr, "mtl-eval: %s: %ld of %d sentences were truncated to %d tokens (the model's max_seq_length; the words cut off count as O)\n",
                ner_test, ner_trunc, nds.n, max_len);
    /* everything computed: print */
    if (json) {
        printf("{");
        if (cls_out) {
            printf("\"cls\": {\"file\": ");
            json_str(cls_test);
            printf(", \"labels\": [");
            for (i = 0; i < hc->num_labels; i++) { printf(i ? ", " : ""); json_str(cls_names[i]); }
            printf("], \"report\": %s, \"confusion_matrix\": %s}", cls_out, conf);
        }
        if (ner_out) { printf("%s\"ner\": {\"file\": ", cls_out ? ", " : ""); json_str(ner_test); printf(", \"report\": %s}", ner_out); }
        printf("}\n");
    } else {
        if (cls_out) printf("== classification: %s\n%s\n\n%s\n", cls_test, cls_out, conf);
        if (ner_out) printf("%s== NER (entity level, seqeval strict IOB2): %s\n%s\n", cls_out ? "\n" : "", ner_test, ner_out);
    }
    if (cli_out_close("mtl-eval")) status = 1;
done:
    cli_progress_clear(&pg);
    free(cls_out); free(ner_out); free(conf);
    if (cls_loaded) mtl_cls_dataset_free(&cds);
    if (ner_loaded) mtl_ner_dataset_free(&nds);
    ct_free_names(cls_names);
    ct_free_names(ner_names);
    if (ctx_ok) mtl_ctx_free(&ctx);
    mtl_model_free(m);
    return status;
}
