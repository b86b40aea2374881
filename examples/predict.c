/* mtl-predict: the class and the entities of each stdin line with an mtl-train checkpoint (issue #5).

   build/mtl-predict --model BLOB [--json] [--threads N] [--on-error stop|skip]
   (--threads: default all online CPUs, at most 8; --help: every option with its default and range)

   One text per line (UTF-8; a trailing CR is dropped). Output, one line per input:
     text:   <class> <probability>\t<TYPE>[<start>,<end>)"<entity text>" ...
             (class part only with a classification head, entities only with a token head)
     --json: JSON Lines {"text": ..., "class": ..., "probability": ..., "probabilities": {label: p, ...},
             "entities": [{"type": ..., "start": ..., "end": ..., "text": ...}, ...]}
   Entity spans are character (code point) offsets [start, end) into the line, as Python's str
   indexes. Words for the token head are split as in CoNLL data: at whitespace, and every ASCII
   punctuation character is a word of its own; a word's tag is the prediction on its first sub-token;
   an entity is B-X followed by I-X (an I-X after another type also starts one).
   One output line per input line, in order, always. Invalid UTF-8 bytes read as U+FFFD (the
   tokenizer's rule; the line is printed and indexed with them replaced; a note on stderr). A line the
   model cannot process: --on-error stop (default): the lines before it are written, then
   "mtl-predict: <stdin>:N: what" and exit status 1; --on-error skip: a marked line (text: "!error";
   --json: {"text": ..., "error": "what"}) and the message on stderr.
   Exit status: 0 ok, 1 runtime error (incl. a write error on stdout), 2 usage. */
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
    {"--model BLOB", "an mtl-train checkpoint with a classification and/or a token (NER) head; required"},
    {"--json", "JSON Lines output (default: off: text, \"<class> <probability>\", a TAB, the entities)"},
    {"--threads N", CLI_THREADS_HELP},
    {"--on-error M", "stop|skip: a bad line stops the run (exit 1) or gets a marked line \"!error\" (default: stop)"},
    {NULL, NULL}};

static int help(void) {
    return cli_help(PROG, "mtl-predict --model BLOB [options] < lines",
                    "One text per stdin line, one output line per input line, in order: the class and its probability,\n"
                    "the entities with character offsets. A line that cannot be processed stops the run (exit 1) after\n"
                    "the lines before it, or with --on-error skip gives a marked line (\"!error\"; --json: an \"error\" key).\n",
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

int main(int argc, char **argv) {
    const char *model_path = NULL;
    int json = 0, threads = 1, i, status = 0, lineno = 0, on_error = CLI_ON_ERROR_STOP;
    char *sline = NULL;
    size_t scap = 0;
    mtl_model *m;
    mtl_ctx ctx;
    mtl_ctx_options co;
    mtl_error err;
    const mtl_head_info *hc, *hn;
    char **cls_names = NULL, **ner_names = NULL;
    char *line = NULL;
    size_t cap = 0;
    long ll = 0;
    int H;
    float *emb = NULL, *tmp = NULL, *tok = NULL, *ntmp = NULL;
    size_t tokcap = 0;
    int32_t *tpred = NULL;
    const char **words = NULL;
    size_t *wlens = NULL, *woffs = NULL;
    int *wtag = NULL;
    size_t wcap = 0;
    mtl_aligned al;
    threads = cli_default_threads();
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (cli_is_help(a)) return help();
        else if (cli_is_version(a)) return cli_version(PROG);
        else if (!strcmp(a, "--json")) json = 1;
        else if (i + 1 < argc && !strcmp(a, "--model")) model_path = argv[++i];
        else if (i + 1 < argc && !strcmp(a, "--threads")) {
            if (cli_parse_int(PROG, a, argv[++i], 1, CLI_THREADS_MAX, &threads)) return CLI_EXIT_USAGE;
        } else if (i + 1 < argc && !strcmp(a, "--on-error")) {
            if (cli_parse_on_error(argv[++i], &on_error)) return cli_usage_error(PROG, "--on-error must be stop or skip, not '%s'", argv[i]);
        } else return cli_bad_option(PROG, OPTS, a);
    }
    if (!model_path) return cli_usage_error(PROG, "--model is required");
    if (cli_load_model("mtl-predict", model_path, &m)) return 1;
    hc = mtl_model_head(m, MTL_HEAD_SEQUENCE);
    hn = mtl_model_head(m, MTL_HEAD_TOKEN);
    if (!hc && !hn) { fprintf(stderr, "mtl-predict: %s has no task head (train one with mtl-train)\n", model_path); mtl_model_free(m); return 1; }
    if ((hc && !(cls_names = ct_head_labels(m, MTL_HEAD_SEQUENCE, hc->num_labels))) ||
        (hn && !(ner_names = ct_head_labels(m, MTL_HEAD_TOKEN, hn->num_labels)))) {
        fprintf(stderr, "mtl-predict: %s: a head without labels\n", model_path);
        ct_free_names(cls_names); mtl_model_free(m);
        return 1;
    }
    memset(&co, 0, sizeof co);
    co.n_threads = threads > 0 ? threads : 1;
    if (mtl_ctx_init(&ctx, m, &co) != MTL_OK) { fprintf(stderr, "mtl-predict: %s\n", ctx.err.msg); ct_free_names(cls_names); ct_free_names(ner_names); mtl_model_free(m); return 1; }
    H = mtl_model_get_info(m)->hidden_size;
    memset(&al, 0, sizeof al);
    emb = (float *)malloc((size_t)H * sizeof *emb);
    tmp = (float *)malloc(((size_t)(hc && hc->hidden > 0 ? hc->hidden : 1) + (size_t)(hc ? hc->num_labels : 1)) * sizeof *tmp);
    if (!emb || !tmp) { fprintf(stderr, "mtl-predict: out of memory\n"); status = 1; }
    while (!status && (ll = cli_read_line(stdin, &line, &cap)) >= 0) {
        size_t n = (size_t)ll;
        int failed = 0;   /* this line: 1 when the model could not process it (err.msg) */
        lineno++;
        if (n && line[n - 1] == '\r') line[--n] = 0;
        {   /* invalid UTF-8 bytes read as U+FFFD, as the tokenizer reads them; the line is used with them replaced */
            const size_t bad = cli_utf8_invalid(line, n);
            if (bad) {
                if (3 * n + 1 > scap) {
                    char *nb = (char *)realloc(sline, 3 * n + 1);
                    if (!nb) { fprintf(stderr, "mtl-predict: out of memory\n"); status = 1; break; }
                    sline = nb;
                    scap = 3 * n + 1;
                }
                cli_note_invalid_utf8("mtl-predict", lineno, bad);
                n = cli_utf8_sanitize(line, n, sline);
                { char *t = line; size_t c = cap; line = sline; cap = scap; sline = t; scap = c; }
            }
        }
        ob_n = 0;
        if (json) { ob_puts("{\"text\": "); json_str(line, n); }
        if (hc) {
            mtl_embed_options eo;
            mtl_forward_out fo;
            const char *t = line;
            memset(&eo, 0, sizeof eo);
            eo.pooling = hc->pooling;
            eo.normalize = -1;
            memset(&fo, 0, sizeof fo);
            fo.embeddings = emb;
            if (mtl_forward_texts(&ctx, 1, &t, &n, NULL, NULL, &eo, &fo, &err) != MTL_OK) failed = 1;
        }
        if (hc && !failed) {
            double p;
            int k, best;
            float *logits = tmp + (hc->hidden > 0 ? hc->hidden : 1);
            ct_head_apply(hc, emb, H, logits, tmp);
            best = ct_argmax(logits, hc->num_labels, &p);
            if (json) {
                ob_printf(", \"class\": "); json_str(cls_names[best], strlen(cls_names[best]));
                ob_printf(", \"probability\": %.6f, \"probabilities\": {", p);
                for (k = 0; k < hc->num_labels; k++) {
                    double q = 0.0;
                    int j;
                    for (j = 0; j < hc->num_labels; j++) q += exp((double)logits[j] - (double)logits[k]);
                    if (k) ob_printf(", ");
                    json_str(cls_names[k], strlen(cls_names[k]));
                    ob_printf(": %.6f", 1.0 / q);
                }
                ob_printf("}");
            } else ob_printf("%s %.4f", cls_names[best], p);
        }
        if (hn && !failed) {
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
                if ((size_t)nw + 1 > wcap) {
                    size_t nc = wcap ? 2 * wcap : 64;
                    const char **a = (const char **)realloc((void *)words, nc * sizeof *a);
                    size_t *b = a ? (size_t *)realloc(wlens, nc * sizeof *b) : NULL;
                    size_t *c2 = b ? (size_t *)realloc(woffs, nc * sizeof *c2) : NULL;
                    int *d = c2 ? (int *)realloc(wtag, nc * sizeof *d) : NULL;
                    if (a) words = a;
                    if (b) wlens = b;
                    if (c2) woffs = c2;
                    if (d) wtag = d;
                    if (!d) { fprintf(stderr, "mtl-predict: out of memory\n"); status = 1; break; }
                    wcap = nc;
                }
                words[nw] = line + st; wlens[nw] = pos - st; woffs[nw] = st; nw++;
            }
            if (status) break;
            if (json) ob_printf(", \"entities\": [");
            else if (hc) ob_printf("\t");
            if (nw > 0) {
                if (ct_ner_forward(&ctx, m, hn, words, wlens, nw, NULL, mtl_model_get_info(m)->max_seq_length, &al, &tpred, &tok,
                                   &tokcap, &ntmp, &err)) { failed = 1; goto line_done; }
                for (w = 0; w < nw; w++) wtag[w] = -1;   /* words cut by truncation: O */
                for (t = 0; t < al.n; t++)
                    if (al.word_ids[t] >= 0 && (t == 0 || al.word_ids[t - 1] != al.word_ids[t]) && wtag[al.word_ids[t]] < 0) wtag[al.word_ids[t]] = tpred[t];
                {
                    int n_ent = 0;
                    for (w = 0; w <= nw; w++) {
                        const char *tg = w < nw && wtag[w] >= 0 ? ner_names[wtag[w]] : "O";
                        const int is_b = tg[0] == 'B' && tg[1] == '-', is_i = tg[0] == 'I' && tg[1] == '-';
                        const int cont = is_i && ent_open && strlen(tg + 2) == etl && !memcmp(tg + 2, etype, etl);
                        if (ent_open && !cont) {
                            const long cs = n_chars(line, es), ce = cs + n_chars(line + es, ee - es);
                            if (json) {
                                ob_printf("%s{\"type\": ", n_ent ? ", " : ""); json_str(etype, etl);
                                ob_printf(", \"start\": %ld, \"end\": %ld, \"text\": ", cs, ce); json_str(line + es, ee - es); ob_printf("}");
                            } else {
                                ob_printf("%s%.*s[%ld,%ld)\"%.*s\"", n_ent ? " " : "", (int)etl, etype, cs, ce, (int)(ee - es), line + es);
                            }
                            n_ent++;
                            ent_open = 0;
                        }
                        if (w == nw) break;
                        if (cont) ee = woffs[w] + wlens[w];
                        else if (is_b || is_i) { ent_open = 1; etype = tg + 2; etl = strlen(etype); es = woffs[w]; ee = woffs[w] + wlens[w]; }
                    }
                }
            }
            if (json) ob_printf("]");
        }
    line_done:
        if (failed && (on_error == CLI_ON_ERROR_STOP || err.code == MTL_ERR_NOMEM)) {
            fprintf(stderr, "mtl-predict: <stdin>:%d: %s%s\n", lineno, err.msg, on_error == CLI_ON_ERROR_STOP ? " (stopped; --on-error skip writes a marked line and goes on)" : "");
            status = 1;
            break;
        }
        if (failed) {
            fprintf(stderr, "mtl-predict: <stdin>:%d: %s (skipped: marked line)\n", lineno, err.msg);
            ob_n = 0;
            if (json) { ob_puts("{\"text\": "); json_str(line, n); ob_puts(", \"error\": "); json_str(err.msg, strlen(err.msg)); ob_puts("}"); }
            else ob_puts("!error");
        } else ob_puts(json ? "}" : "");
        ob_puts("\n");
        if (ob_oom) { fprintf(stderr, "mtl-predict: out of memory\n"); status = 1; break; }
        fwrite(ob, 1, ob_n, stdout);
        if (cli_out_flush("mtl-predict")) { status = 1; break; }
    }
    if (!status && cli_read_failed("mtl-predict", ll)) status = 1;
    if (cli_out_close("mtl-predict")) status = 1;
    free(line); free(sline); free(ob); free(emb); free(tmp); free(tok); free(ntmp); free(tpred);
    free((void *)words); free(wlens); free(woffs); free(wtag);
    mtl_aligned_free(&al);
    mtl_ctx_free(&ctx);
    ct_free_names(cls_names); ct_free_names(ner_names);
    mtl_model_free(m);
    return status;
}
