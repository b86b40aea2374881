/* mtl-predict: the class (or score) and the entities of each stdin line with a model's task heads (issue #5, #13).

   build/mtl-predict --model BLOB [--pair] [--json] [--batch N] [--threads N] [--on-error stop|skip] [--quiet]
   (--threads: default all online CPUs, at most 8; --help: every option with its default and range)

   BLOB: an mtl-train checkpoint, or a weights_convert file of a Hugging Face
   (Distil)Bert{Sequence,Token}Classification (its classifier is the model's task head, mtl_model_head).
   One text per line (UTF-8; a trailing CR is dropped); --pair: two texts separated by a TAB (token
   types 0 / 1, as HF's tokenizer(text, text_pair)), classification head only (a cross-encoder).
   Output, one line per input:
     text:   <class> <probability>\t<TYPE>[<start>,<end>)"<entity text>" ...
             (class part only with a classification head, entities only with a token head; the
             probabilities are the softmax of the logits). A head of one label (a cross-encoder's
             score): "<score>", as sentence-transformers' CrossEncoder.predict: sigmoid(logit) by
             default, the raw logit when the HF config said activation_fn Identity (mtl_head_info.sigmoid)
     --json: JSON Lines, the schema of mtl-eval --json too (README, "JSON output"): {"line": N, "text": ...,
             "cls": {"label": ..., "probability": p, "probabilities": {label: p, ...}},
             "ner": {"entities": [{"type": ..., "start": ..., "end": ..., "text": ...}, ...]}}
             ("cls" with a classification head, "ner" with a token head; one label: "cls": {"label": ...,
             "score": s})
   Entity spans are character (code point) offsets [start, end) into the line, as Python's str
   indexes. Words for the token head are split as in CoNLL data: at whitespace, and every ASCII
   punctuation character is a word of its own; a word's tag is the prediction on its first sub-token;
   an entity is B-X followed by I-X (an I-X after another type also starts one).
   One output line per input line, in order, always. Invalid UTF-8 bytes read as U+FFFD (the
   tokenizer's rule; the line is printed and indexed with them replaced; a note on stderr). A line the
   model cannot process: --on-error stop (default): the lines before it are written, then
   "mtl-predict: <stdin>:N: what" and exit status 1; --on-error skip: a marked line (text: "!error";
   --json: {"line": N, "text": ..., "error": "what"}) and the message on stderr.
   Batching and pauses: up to --batch lines are read and their classification forward runs as one
   call (an input's result does not depend on the others of its call: the same bytes as --batch 1);
   when no more input is available right now (a pause on a pipe or terminal, or EOF) the lines held
   are answered at once and stdout is flushed (cli.h's reader; elsewhere than POSIX at a full batch
   or EOF). MTL_PREDICT_TRACE=1 prints each classification forward call's input lines on stderr (tests).
   Progress on stderr (cli.h) and, at the end, how many lines were truncated; --quiet: neither.
   Exit status: 0 ok, 1 runtime error (incl. a write error on stdout), 2 usage. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L   /* poll(), isatty(), clock_gettime() (cli.h) */
#endif
#define MTL_BERT_IMPLEMENTATION
#include "../mtl_bert.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_train.h"

#define PROG "mtl-predict"
static const cli_opt OPTS[] = {
    {"--model BLOB", "an mtl-train checkpoint or a converted HF Bert*Classification, with a classification and/or a token (NER) head; required"},
    {"--pair", "two texts per line separated by a TAB (types 0 / 1), the classification head only, e.g. a cross-encoder (default: off)"},
    {"--json", "JSON Lines output (default: off: text, \"<class> <probability>\", a TAB, the entities)"},
    {"--batch N", "lines per forward call when input is plentiful, 1..100000 (default: 32)"},
    {"--threads N", CLI_THREADS_HELP},
    {"--on-error M", "stop|skip: a bad line stops the run (exit 1) or gets a marked line \"!error\" (default: stop)"},
    {"--quiet", "no progress and no truncation summary on stderr (default: off: progress on a terminal, else a line every 10 s)"},
    {NULL, NULL}};

static int help(void) {
    return cli_help(PROG, "mtl-predict --model BLOB [options] < lines",
                    "One text per stdin line, one output line per input line, in order: the class and its probability,\n"
                    "the entities with character offsets. A line that cannot be processed stops the run (exit 1) after\n"
                    "the lines before it, or with --on-error skip gives a marked line (\"!error\"; --json: an \"error\" key).\n"
                    "Up to --batch lines go through the model at once; when the input pauses (nothing more to read right\n"
                    "now, or EOF) the lines held are answered at once.\n",
                    OPTS);
}

/* code points in s[0..n) */
static long n_chars(const char *s, size_t n) {
    long c = 0;
    size_t i;
    for (i = 0; i < n; i++) c += ((unsigned char)s[i] & 0xC0) != 0x80;
    return c;
}

/* One output line is built in ob, then written whole: a line that fails half-way writes nothing. */
static char *ob;
static size_t ob_n, ob_cap;
static int ob_oom;
static void ob_mem(const char *s, size_t n) {
    if (ob_n + n + 1 > ob_cap) {
        size_t nc = ob_cap ? ob_cap : 256;
        char *nb;
        while (nc < ob_n + n + 1) nc *= 2;
        if (!(nb = (char *)realloc(ob, nc))) { ob_oom = 1; return; }
        ob = nb;
        ob_cap = nc;
    }
    memcpy(ob + ob_n, s, n);
    ob_n += n;
}
static void ob_puts(const char *s) { ob_mem(s, strlen(s)); }
static void ob_printf(const char *fmt, ...) {
    va_list ap;
    int k;
    va_start(ap, fmt);
    k = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (k <= 0) return;
    if (ob_n + (size_t)k + 1 > ob_cap) {   /* room for the text and vsnprintf's NUL */
        size_t nc = ob_cap ? ob_cap : 256;
        char *nb;
        while (nc < ob_n + (size_t)k + 1) nc *= 2;
        if (!(nb = (char *)realloc(ob, nc))) { ob_oom = 1; return; }
        ob = nb;
        ob_cap = nc;
    }
    va_start(ap, fmt);
    vsnprintf(ob + ob_n, (size_t)k + 1, fmt, ap);
    va_end(ap);
    ob_n += (size_t)k;
}

static void json_str(const char *s, size_t n) {
    size_t i;
    ob_puts("\"");
    for (i = 0; i < n; i++) {
        const unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') { ob_puts("\\"); ob_mem(s + i, 1); }
        else if (c == '\n') ob_puts("\\n");
        else if (c == '\t') ob_puts("\\t");
        else if (c < 0x20) ob_printf("\\u%04x", c);
        else ob_mem(s + i, 1);
    }
    ob_puts("\"");
}

static int is_punct(unsigned char c) { return (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126); }
static int is_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

/* One held input line: its text (invalid UTF-8 replaced), 1-based line, and what its forward said;
   --pair: the second text starts at s + b (after the TAB at b - 1). */
typedef struct held { char *s; size_t n, cap, b; int line, trunc, failed, nomem; char *err; } held;

/* The model, its heads and the buffers of one batch. */
typedef struct predictor {
    mtl_model *m;
    mtl_ctx ctx;
    const mtl_head_info *hc, *hn;
    char **cls_names, **ner_names;
    int H, json, trace, batch, pair;
    float *emb, *tmp, *tok, *ntmp;   /* emb: batch x H (the cls head's pooled rows) */
    int *trunc;                      /* batch */
    const char **texts, **texts_b;   /* batch */
    size_t *lens, *lens_b, tokcap;   /* batch */
    int32_t *tpred;
    mtl_aligned al;
    const char **words;
    size_t *wlens, *woffs, wcap;
    int *wtag;
} predictor;

static void held_fail(held *x, const mtl_error *err) {
    x->failed = 1;
    x->nomem = err->code == MTL_ERR_NOMEM;
    free(x->err);
    if ((x->err = (char *)malloc(strlen(err->msg) + 1)) != NULL) memcpy(x->err, err->msg, strlen(err->msg) + 1);
    else x->nomem = 1;
}

/* The classification head's pooled rows of h[0..n) in one forward call (a failing call: one input at a
   time, to find the inputs that fail; an input's row does not depend on the others of its call). */
static void cls_forward(predictor *P, held *h, int n) {
    mtl_embed_options eo;
    mtl_forward_out fo;
    mtl_error err;
    int k;
    memset(&eo, 0, sizeof eo);
    eo.pooling = P->hc->pooling;
    eo.normalize = -1;
    memset(&fo, 0, sizeof fo);
    fo.embeddings = P->emb;
    fo.truncated = P->trunc;
    for (k = 0; k < n; k++) {
        P->texts[k] = h[k].s;
        P->lens[k] = !P->pair ? h[k].n : h[k].failed ? 0 : h[k].b - 1;   /* (a line without its TAB has failed) */
        P->texts_b[k] = h[k].s + (h[k].failed ? 0 : h[k].b);
        P->lens_b[k] = P->pair && !h[k].failed ? h[k].n - h[k].b : 0;
    }
    if (P->trace) {
        fprintf(stderr, "mtl-predict: trace: forward");
        for (k = 0; k < n; k++) fprintf(stderr, " %d", h[k].line);
        fputc('\n', stderr);
    }
    if (mtl_forward_texts(&P->ctx, n, P->texts, P->lens, P->pair ? P->texts_b : NULL, P->lens_b, &eo, &fo, &err) == MTL_OK) {
        for (k = 0; k < n; k++) h[k].trunc = P->trunc[k];
        return;
    }
    for (k = 0; k < n; k++) {
        fo.embeddings = P->emb + (size_t)k * (size_t)P->H;
        fo.truncated = &h[k].trunc;
        if (mtl_forward_texts(&P->ctx, 1, P->texts + k, P->lens + k, P->pair ? P->texts_b + k : NULL, P->lens_b + k, &eo, &fo, &err) != MTL_OK)
            held_fail(&h[k], &err);
    }
}

/* The output line of x (its cls row emb) in ob, without the newline: 0, 1 when the token head's forward
   failed (err), -1 out of memory. */
static int line_out(predictor *P, held *x, const float *emb, mtl_error *err) {
    const mtl_head_info *hc = P->hc, *hn = P->hn;
    const char *line = x->s;
    const size_t n = x->n;
    ob_n = 0;
    if (P->json) { ob_printf("{\"line\": %d, \"text\": ", x->line); json_str(line, n); }
    if (hc) {
        double p;
        int k, best;
        float *logits = P->tmp + (hc->hidden > 0 ? hc->hidden : 1);
        ct_head_apply(hc, emb, P->H, logits, P->tmp);
        best = ct_argmax(logits, hc->num_labels, &p);
        if (hc->num_labels == 1) {   /* a score (CrossEncoder.predict): sigmoid or the raw logit */
            const double sc = hc->sigmoid ? 1.0 / (1.0 + exp(-(double)logits[0])) : (double)logits[0];
            if (P->json) { ob_printf(", \"cls\": {\"label\": "); json_str(P->cls_names[0], strlen(P->cls_names[0])); ob_printf(", \"score\": %.6f}", sc); }
            else ob_printf("%.6f", sc);
        } else if (P->json) {
            ob_printf(", \"cls\": {\"label\": "); json_str(P->cls_names[best], strlen(P->cls_names[best]));
            ob_printf(", \"probability\": %.6f, \"probabilities\": {", p);
            for (k = 0; k < hc->num_labels; k++) {
                double q = 0.0;
                int j;
                for (j = 0; j < hc->num_labels; j++) q += exp((double)logits[j] - (double)logits[k]);
                if (k) ob_printf(", ");
                json_str(P->cls_names[k], strlen(P->cls_names[k]));
                ob_printf(": %.6f", 1.0 / q);
            }
            ob_printf("}}");
        } else ob_printf("%s %.4f", P->cls_names[best], p);
    }
    if (hn) {
        int nw = 0, w, t, ent_open = 0;
        size_t pos = 0, es = 0, ee = 0;
        const char *etype = NULL;
        size_t etl = 0;
        /* words */
        while (pos < n) {
            size_t st;
            while (pos < n && is_space((unsigned char)line[pos])) pos++;
            if (pos >= n) break;
            st = pos;
            if (is_punct((unsigned char)line[pos])) pos++;
            else while (pos < n && !is_space((unsigned char)line[pos]) && !is_punct((unsigned char)line[pos])) pos++;
            if ((size_t)nw + 1 > P->wcap) {
                size_t nc = P->wcap ? 2 * P->wcap : 64;
                const char **a = (const char **)realloc((void *)P->words, nc * sizeof *a);
                size_t *b = a ? (size_t *)realloc(P->wlens, nc * sizeof *b) : NULL;
                size_t *c2 = b ? (size_t *)realloc(P->woffs, nc * sizeof *c2) : NULL;
                int *d = c2 ? (int *)realloc(P->wtag, nc * sizeof *d) : NULL;
                if (a) P->words = a;
                if (b) P->wlens = b;
                if (c2) P->woffs = c2;
                if (d) P->wtag = d;
                if (!d) return -1;
                P->wcap = nc;
            }
            P->words[nw] = line + st; P->wlens[nw] = pos - st; P->woffs[nw] = st; nw++;
        }
        if (P->json) ob_printf(", \"ner\": {\"entities\": [");
        else if (hc) ob_printf("\t");
        if (nw > 0) {
            if (ct_ner_forward(&P->ctx, P->m, hn, P->words, P->wlens, nw, NULL, mtl_model_get_info(P->m)->max_seq_length, 0, &P->al, &P->tpred,
                               &P->tok, &P->tokcap, &P->ntmp, err)) return 1;
            if (P->al.truncated) x->trunc = 1;
            for (w = 0; w < nw; w++) P->wtag[w] = -1;   /* words cut by truncation: O */
            for (t = 0; t < P->al.n; t++)
                if (P->al.word_ids[t] >= 0 && (t == 0 || P->al.word_ids[t - 1] != P->al.word_ids[t]) && P->wtag[P->al.word_ids[t]] < 0)
                    P->wtag[P->al.word_ids[t]] = P->tpred[t];
            {
                int n_ent = 0;
                for (w = 0; w <= nw; w++) {
                    const char *tg = w < nw && P->wtag[w] >= 0 ? P->ner_names[P->wtag[w]] : "O";
                    const int is_b = tg[0] == 'B' && tg[1] == '-', is_i = tg[0] == 'I' && tg[1] == '-';
                    const int cont = is_i && ent_open && strlen(tg + 2) == etl && !memcmp(tg + 2, etype, etl);
                    if (ent_open && !cont) {
                        const long cs = n_chars(line, es), ce = cs + n_chars(line + es, ee - es);
                        if (P->json) {
                            ob_printf("%s{\"type\": ", n_ent ? ", " : ""); json_str(etype, etl);
                            ob_printf(", \"start\": %ld, \"end\": %ld, \"text\": ", cs, ce); json_str(line + es, ee - es); ob_printf("}");
                        } else {
                            ob_printf("%s%.*s[%ld,%ld)\"%.*s\"", n_ent ? " " : "", (int)etl, etype, cs, ce, (int)(ee - es), line + es);
                        }
                        n_ent++;
                        ent_open = 0;
                    }
                    if (w == nw) break;
                    if (cont) ee = P->woffs[w] + P->wlens[w];
                    else if (is_b || is_i) { ent_open = 1; etype = tg + 2; etl = strlen(etype); es = P->woffs[w]; ee = P->woffs[w] + P->wlens[w]; }
                }
            }
        }
        if (P->json) ob_printf("]}");
    }
    ob_puts(P->json ? "}" : "");
    return 0;
}

int main(int argc, char **argv) {
    const char *model_path = NULL;
    int i, status = 0, lineno = 0, on_error = CLI_ON_ERROR_STOP, quiet = 0, done = 0, nh = 0;
    int n_trunc = 0, n_lines = 0;
    char *sline = NULL, *line = NULL;
    size_t scap = 0, cap = 0;
    predictor P;
    mtl_ctx_options co;
    held *h = NULL;
    static cli_reader rd;
    cli_progress pg;
    const char *trace = getenv("MTL_PREDICT_TRACE");
    memset(&P, 0, sizeof P);
    P.batch = 32;
    memset(&co, 0, sizeof co);
    co.n_threads = cli_default_threads();
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (cli_is_help(a)) return help();
        else if (cli_is_version(a)) return cli_version(PROG);
        else if (!strcmp(a, "--json")) P.json = 1;
        else if (!strcmp(a, "--pair")) P.pair = 1;
        else if (!strcmp(a, "--quiet")) quiet = 1;
        else if (i + 1 < argc && !strcmp(a, "--model")) model_path = argv[++i];
        else if (i + 1 < argc && !strcmp(a, "--threads")) {
            if (cli_parse_int(PROG, a, argv[++i], 1, CLI_THREADS_MAX, &co.n_threads)) return CLI_EXIT_USAGE;
        } else if (i + 1 < argc && !strcmp(a, "--batch")) {
            if (cli_parse_int(PROG, a, argv[++i], 1, 100000, &P.batch)) return CLI_EXIT_USAGE;
        } else if (i + 1 < argc && !strcmp(a, "--on-error")) {
            if (cli_parse_on_error(argv[++i], &on_error)) return cli_usage_error(PROG, "--on-error must be stop or skip, not '%s'", argv[i]);
        } else return cli_bad_option(PROG, OPTS, a);
    }
    if (!model_path) return cli_usage_error(PROG, "--model is required");
    if (cli_load_model("mtl-predict", model_path, &P.m)) return 1;
    P.hc = mtl_model_head(P.m, MTL_HEAD_SEQUENCE);
    P.hn = mtl_model_head(P.m, MTL_HEAD_TOKEN);
    if (!P.hc && !P.hn) { fprintf(stderr, "mtl-predict: %s has no task head (train one with mtl-train)\n", model_path); mtl_model_free(P.m); return 1; }
    if (P.pair && !P.hc) { fprintf(stderr, "mtl-predict: --pair: %s has no classification head (pairs go to the classification head only)\n", model_path); mtl_model_free(P.m); return 1; }
    if (P.pair) P.hn = NULL;   /* a token head is not applied to pairs */
    if ((P.hc && !(P.cls_names = ct_head_labels(P.m, MTL_HEAD_SEQUENCE, P.hc->num_labels))) ||
        (P.hn && !(P.ner_names = ct_head_labels(P.m, MTL_HEAD_TOKEN, P.hn->num_labels)))) {
        fprintf(stderr, "mtl-predict: %s: a head without labels\n", model_path);
        ct_free_names(P.cls_names); mtl_model_free(P.m);
        return 1;
    }
    if (mtl_ctx_init(&P.ctx, P.m, &co) != MTL_OK) {
        fprintf(stderr, "mtl-predict: %s\n", P.ctx.err.msg);
        ct_free_names(P.cls_names); ct_free_names(P.ner_names); mtl_model_free(P.m);
        return 1;
    }
    P.H = mtl_model_get_info(P.m)->hidden_size;
    P.trace = trace && *trace && strcmp(trace, "0");
    P.emb = (float *)malloc((size_t)P.batch * (size_t)P.H * sizeof *P.emb);
    P.tmp = (float *)malloc(((size_t)(P.hc && P.hc->hidden > 0 ? P.hc->hidden : 1) + (size_t)(P.hc ? P.hc->num_labels : 1)) * sizeof *P.tmp);
    P.trunc = (int *)malloc((size_t)P.batch * sizeof *P.trunc);
    P.texts = (const char **)malloc((size_t)P.batch * sizeof *P.texts);
    P.lens = (size_t *)malloc((size_t)P.batch * sizeof *P.lens);
    P.texts_b = (const char **)malloc((size_t)P.batch * sizeof *P.texts_b);
    P.lens_b = (size_t *)malloc((size_t)P.batch * sizeof *P.lens_b);
    h = (held *)calloc((size_t)P.batch, sizeof *h);
    if (!P.emb || !P.tmp || !P.trunc || !P.texts || !P.lens || !P.texts_b || !P.lens_b || !h) { fprintf(stderr, "mtl-predict: out of memory\n"); status = 1; done = 1; }
    cli_progress_init(&pg, "mtl-predict", "lines", cli_stdin_size(), quiet);
    while (!done) {
        int read_failed = 0;
        /* hold lines until the batch is full, EOF, or the input pauses (nothing more to read right now) */
        for (nh = 0; nh < P.batch;) {
            held *x = &h[nh];
            size_t n, bad;
            long ll;
            if (nh == 0 && pg.tty_in) cli_progress_clear(&pg);   /* a terminal's input: not typed after the line */
            ll = cli_reader_line(&rd, &line, &cap, nh == 0);      /* waits only when nothing is held */
            if (ll == -4) break;
            if (ll < 0) { cli_progress_clear(&pg); read_failed = cli_read_failed("mtl-predict", ll); done = 1; break; }
            n = (size_t)ll;
            lineno++;
            if (n && line[n - 1] == '\r') line[--n] = 0;
            /* invalid UTF-8 bytes read as U+FFFD, as the tokenizer reads them; the line is used with them replaced */
            if ((bad = cli_utf8_invalid(line, n)) != 0) {
                if (3 * n + 1 > scap) {
                    char *nb = (char *)realloc(sline, 3 * n + 1);
                    if (!nb) { fprintf(stderr, "mtl-predict: out of memory\n"); status = 1; done = 1; break; }
                    sline = nb;
                    scap = 3 * n + 1;
                }
                cli_progress_clear(&pg);
                cli_note_invalid_utf8("mtl-predict", lineno, bad);
                n = cli_utf8_sanitize(line, n, sline);
            }
            if (n + 1 > x->cap) {
                char *nb = (char *)realloc(x->s, n + 1);
                if (!nb) { fprintf(stderr, "mtl-predict: out of memory\n"); status = 1; done = 1; break; }
                x->s = nb;
                x->cap = n + 1;
            }
            memcpy(x->s, bad ? sline : line, n);
            x->s[n] = 0;
            x->n = n;
            x->line = lineno;
            x->trunc = x->failed = x->nomem = 0;
            if (P.pair) {   /* text a, a TAB, text b: a line without the TAB is a bad line */
                const char *tab = (const char *)memchr(x->s, '\t', n);
                mtl_error pe;
                x->b = tab ? (size_t)(tab - x->s) + 1 : 0;
                if (!tab) { mtl__err(&pe, MTL_ERR_ARG, "--pair needs two texts separated by a TAB"); held_fail(x, &pe); }
            }
            nh++;
        }
        if (status) break;
        if (nh && P.hc) cls_forward(&P, h, nh);
        if (pg.tty_out) cli_progress_clear(&pg);   /* the lines on the terminal of the progress line */
        for (i = 0; i < nh && !status; i++) {
            held *x = &h[i];
            mtl_error err;
            int r = x->failed ? 1 : line_out(&P, x, P.emb + (size_t)i * (size_t)P.H, &err);
            const char *what = x->failed ? (x->err ? x->err : "out of memory") : err.msg;
            if (r < 0 || ob_oom) { cli_progress_clear(&pg); fprintf(stderr, "mtl-predict: out of memory\n"); status = 1; break; }
            if (r > 0 && !x->failed) x->nomem = err.code == MTL_ERR_NOMEM;
            if (r > 0 && (on_error == CLI_ON_ERROR_STOP || x->nomem)) {
                cli_progress_clear(&pg);
                fprintf(stderr, "mtl-predict: <stdin>:%d: %s%s\n", x->line, what, on_error == CLI_ON_ERROR_STOP ? " (stopped; --on-error skip writes a marked line and goes on)" : "");
                status = 1;
                break;
            }
            if (r > 0) {
                cli_progress_clear(&pg);
                fprintf(stderr, "mtl-predict: <stdin>:%d: %s (skipped: marked line)\n", x->line, what);
                ob_n = 0;
                if (P.json) {
                    ob_printf("{\"line\": %d, \"text\": ", x->line); json_str(x->s, x->n);
                    ob_puts(", \"error\": "); json_str(what, strlen(what)); ob_puts("}");
                }
                else ob_puts("!error");
            } else {
                n_lines++;
                n_trunc += x->trunc != 0;
            }
            ob_puts("\n");
            if (ob_oom) { cli_progress_clear(&pg); fprintf(stderr, "mtl-predict: out of memory\n"); status = 1; break; }
            fwrite(ob, 1, ob_n, stdout);
            if (cli_out_check("mtl-predict")) status = 1;
        }
        if (cli_out_flush("mtl-predict")) status = 1;   /* the lines are out before the next (possibly slow) input */
        if (read_failed) status = 1;
        if (status) break;
        cli_progress_update(&pg, (double)lineno, pg.total > 0 ? rd.bytes : -1.0);
    }
    cli_progress_end(&pg);
    if (!quiet && n_trunc)
        fprintf(stderr, "mtl-predict: %d of %d lines were truncated to %d tokens (the model's max_seq_length)\n", n_trunc, n_lines,
                mtl_model_get_info(P.m)->max_seq_length);
    if (cli_out_close("mtl-predict")) status = 1;
    for (i = 0; h && i < P.batch; i++) { free(h[i].s); free(h[i].err); }
    free(h); free(line); free(sline); free(ob);
    free(P.emb); free(P.tmp); free(P.trunc); free((void *)P.texts); free(P.lens); free((void *)P.texts_b); free(P.lens_b); free(P.tok); free(P.ntmp); free(P.tpred);
    free((void *)P.words); free(P.wlens); free(P.woffs); free(P.wtag);
    mtl_aligned_free(&P.al);
    mtl_ctx_free(&P.ctx);
    ct_free_names(P.cls_names); ct_free_names(P.ner_names);
    mtl_model_free(P.m);
    return status;
}
