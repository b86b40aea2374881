/* mtl-embed: sentence embeddings (or per-token hidden states) of stdin lines with an mtl model file.

   build/mtl-embed --model BLOB [--pooling cls|mean|max|pooler] [--normalize|--no-normalize] [--ids]
                   [--hex] [--pair] [--tokens] [--format tsv|f32] [--batch N] [--threads N] [--max-length N]
                   [--on-error stop|skip]

   One input per line: the text (--hex: the hex of its UTF-8 bytes; --pair: two texts separated by a
   TAB, token type 1 on the second; --ids: space-separated token ids that already include [CLS]/[SEP],
   optionally a TAB and the token type ids). Output: one embedding per input (TSV, floats printed
   %.9g, or --format f32: little-endian float32); --tokens: every token's last hidden state instead
   (TSV: one line per token, an empty line after each input). Without --pooling/--normalize the
   model's own settings (sentence-transformers config) apply. Truncated inputs are reported on stderr.

   One output row per input line, in order, always. Invalid UTF-8 bytes read as U+FFFD (the
   tokenizer's rule; a note on stderr). A line that cannot be parsed (--pair without a TAB, bad --hex,
   bad --ids: not numbers, out of the vocabulary, type ids that do not match) or embedded:
   --on-error stop (default): the rows of the lines before it are written, then
     "mtl-embed: <stdin>:N: what" and exit status 1;
   --on-error skip: a marked row (TSV: an empty line, with --tokens no token line, only the empty
     line that ends the input; f32: one row of hidden-size NaNs) and the message on stderr.
   --threads: default all online CPUs (at most 8). --help: every option with its default and range.
   Exit status: 0 ok, 1 runtime error (incl. a write error on stdout), 2 usage. */
#define MTL_BERT_IMPLEMENTATION
#include "../mtl_bert.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define PROG "mtl-embed"
static const cli_opt OPTS[] = {
    {"--model BLOB", "the model file (weights_convert or mtl-train output); required"},
    {"--pooling P", "cls|mean|max|pooler (default: the model's own; pooler needs pooler weights)"},
    {"--normalize", "L2-normalise the embeddings (default: the model's own setting)"},
    {"--no-normalize", "do not L2-normalise (default: the model's own setting)"},
    {"--ids", "lines are token ids incl. [CLS]/[SEP], optionally TAB + type ids (default: off, lines are text)"},
    {"--hex", "lines are the hex of the UTF-8 bytes (default: off)"},
    {"--pair", "two texts per line separated by a TAB, type 1 on the second (default: off)"},
    {"--tokens", "every token's last hidden state, an empty line after each input (default: off)"},
    {"--format F", "tsv|f32: %.9g TSV or little-endian float32 rows (default: tsv)"},
    {"--batch N", "inputs per forward call, 1..100000 (default: 32)"},
    {"--threads N", CLI_THREADS_HELP},
    {"--max-length N", "truncate inputs to N tokens, 1..100000 (default: the model's max_seq_length)"},
    {"--on-error M", "stop|skip: a bad line stops the run (exit 1) or gets a marked row (default: stop)"},
    {NULL, NULL}};

static int help(void) {
    return cli_help(PROG, "mtl-embed --model BLOB [options] < lines",
                    "One input per stdin line, one embedding row per input line, in order. A line that cannot be parsed\n"
                    "or embedded stops the run (exit 1) after the rows before it, or with --on-error skip gives a marked\n"
                    "row (TSV: an empty line; f32: a row of NaNs) and the message on stderr.\n",
                    OPTS);
}

/* Parses space-separated integers; returns the count or -1. */
static int parse_ints(const char *s, int32_t *out, int cap) {
    int n = 0;
    while (*s) {
        char *end;
        long v;
        while (*s == ' ') s++;
        if (!*s) break;
        v = strtol(s, &end, 10);
        if (end == s || v < 0 || v > 0x7FFFFFFF || n >= cap || (*end && *end != ' ')) return -1;
        out[n++] = (int32_t)v;
        s = end;
    }
    return n;
}

typedef struct input { char *a, *b; size_t la, lb; int32_t *ids, *types; int n, line, bad; } input;

static void input_free(input *x) { free(x->a); free(x->b); free(x->ids); free(x->types); memset(x, 0, sizeof *x); }

typedef struct opts { int ids_mode, hex, pair, tokens, f32; const mtl_model_info *info; } opts;

/* One stdin line (line[0..n), NUL bytes allowed in texts) -> x. 0, or 1 with msg (bad line), or -1 no memory. */
static int parse_line(const opts *o, char *line, size_t n, input *x, char *msg, size_t msg_cap) {
    char *tab = (o->pair || o->ids_mode) ? (char *)memchr(line, '\t', n) : NULL;
    size_t na = tab ? (size_t)(tab - line) : n;
    if (o->pair && !tab) { snprintf(msg, msg_cap, "--pair needs two fields separated by a TAB"); return 1; }
    if (o->ids_mode) {
        int cnt = 1, k;
        size_t p;
        if (memchr(line, 0, n)) { snprintf(msg, msg_cap, "a NUL byte in an id list"); return 1; }
        if (tab) *tab = 0;
        for (p = 0; p < na; p++) cnt += line[p] == ' ';
        x->ids = (int32_t *)malloc((size_t)cnt * sizeof(int32_t));
        x->types = (int32_t *)calloc((size_t)cnt, sizeof(int32_t));
        if (!x->ids || !x->types) return -1;
        x->n = parse_ints(line, x->ids, cnt);
        if (x->n < 1) { snprintf(msg, msg_cap, x->n == 0 ? "empty id list" : "bad id list (space-separated non-negative integers)"); return 1; }
        for (k = 0; k < x->n; k++)
            if (x->ids[k] >= o->info->vocab_size) { snprintf(msg, msg_cap, "token id %ld is not in the vocabulary (size %d)", (long)x->ids[k], o->info->vocab_size); return 1; }
        if (tab) {
            const size_t lt = strlen(tab + 1);
            int32_t *tt = (int32_t *)malloc((lt + 1) * sizeof(int32_t));
            int t;
            if (!tt) return -1;
            t = parse_ints(tab + 1, tt, (int)lt + 1);
            if (t != x->n) {
                if (t < 0) snprintf(msg, msg_cap, "bad token type id list");
                else snprintf(msg, msg_cap, "%d token type ids for %d ids", t, x->n);
                free(tt);
                return 1;
            }
            for (k = 0; k < t; k++)
                if (tt[k] >= o->info->type_vocab_size) { snprintf(msg, msg_cap, "token type id %ld >= the model's %d types", (long)tt[k], o->info->type_vocab_size); free(tt); return 1; }
            memcpy(x->types, tt, (size_t)t * sizeof(int32_t));
            free(tt);
        }
        return 0;
    }
    x->la = na;
    if (!(x->a = (char *)malloc(na + 1))) return -1;
    memcpy(x->a, line, na);
    x->a[na] = 0;
    if (tab) {
        x->lb = n - na - 1;
        if (!(x->b = (char *)malloc(x->lb + 1))) return -1;
        memcpy(x->b, tab + 1, x->lb);
        x->b[x->lb] = 0;
    }
    if (o->hex) {
        long ha = cli_unhex(x->a, x->la), hb = x->b ? cli_unhex(x->b, x->lb) : 0;
        if (ha < 0 || hb < 0) { snprintf(msg, msg_cap, "bad hex (an even number of hex digits per field)"); return 1; }
        x->la = (size_t)ha;
        x->lb = (size_t)hb;
    }
    return 0;
}

/* The forward of inputs in[idx[0..n)]: embeddings emb[n][H], or token states *tok (packed) + lens. */
static mtl_result run(mtl_ctx *ctx, const opts *o, const input *in, const int *idx, int n, const mtl_embed_options *eo, float *emb,
                      float **tok, size_t *tok_cap, int *lens, int *trunc, mtl_error *err) {
    mtl_forward_out out;
    mtl_result r;
    const int H = o->info->hidden_size;
    int k;
    memset(&out, 0, sizeof out);
    out.embeddings = o->tokens ? NULL : emb;
    out.lengths = lens;
    out.truncated = trunc;
    if (o->tokens) {
        size_t need = 0;
        const int lim = eo->max_length > 0 ? eo->max_length : o->info->max_seq_length;
        for (k = 0; k < n; k++) need += (size_t)(o->ids_mode ? (in[idx[k]].n < lim ? in[idx[k]].n : lim) : lim);
        if (need * (size_t)H > *tok_cap) {
            float *nt = (float *)realloc(*tok, need * (size_t)H * sizeof(float));
            if (!nt) { snprintf(err->msg, sizeof err->msg, "out of memory"); return MTL_ERR_NOMEM; }
            *tok = nt;
            *tok_cap = need * (size_t)H;
        }
        out.tokens = *tok;
    }
    if (o->ids_mode) {
        mtl_seq *seqs = (mtl_seq *)malloc((size_t)n * sizeof *seqs);
        if (!seqs) { snprintf(err->msg, sizeof err->msg, "out of memory"); return MTL_ERR_NOMEM; }
        for (k = 0; k < n; k++) { seqs[k].ids = in[idx[k]].ids; seqs[k].type_ids = in[idx[k]].types; seqs[k].n = in[idx[k]].n; }
        r = mtl_forward(ctx, seqs, n, eo, &out, err);
        free(seqs);
    } else {
        const char **ta = (const char **)malloc((size_t)n * sizeof(char *)), **tb = (const char **)malloc((size_t)n * sizeof(char *));
        size_t *la = (size_t *)malloc((size_t)n * sizeof(size_t)), *lb = (size_t *)malloc((size_t)n * sizeof(size_t));
        if (!ta || !tb || !la || !lb) r = MTL_ERR_NOMEM, snprintf(err->msg, sizeof err->msg, "out of memory");
        else {
            for (k = 0; k < n; k++) { ta[k] = in[idx[k]].a; la[k] = in[idx[k]].la; tb[k] = in[idx[k]].b; lb[k] = in[idx[k]].lb; }
            r = mtl_forward_texts(ctx, n, ta, la, o->pair ? tb : NULL, o->pair ? lb : NULL, eo, &out, err);
        }
        free((void *)ta); free((void *)tb); free(la); free(lb);
    }
    return r;
}

static void emit_row(const opts *o, const float *e, int n_tok) {
    const int H = o->info->hidden_size;
    int h, t;
    if (!o->tokens) n_tok = 1;
    for (t = 0; t < n_tok; t++, e += H) {
        if (o->f32) fwrite(e, sizeof(float), (size_t)H, stdout);
        else for (h = 0; h < H; h++) printf(h + 1 < H ? "%.9g\t" : "%.9g\n", (double)e[h]);
    }
    if (o->tokens && !o->f32) putchar('\n');
}
static void emit_marked(const opts *o) {
    if (o->f32) {
        const float nan = (float)NAN;
        int h;
        for (h = 0; h < o->info->hidden_size; h++) fwrite(&nan, sizeof nan, 1, stdout);
    } else putchar('\n');
}

int main(int argc, char **argv) {
    const char *model_path = NULL;
    mtl_embed_options eo;
    mtl_ctx_options co;
    opts o;
    int batch = 32, i, lineno = 0, status = 0, on_error = CLI_ON_ERROR_STOP;
    mtl_model *m;
    mtl_ctx ctx;
    mtl_error err;
    input *in;
    char *line = NULL;
    size_t cap = 0;
    int H, done = 0;
    float *emb = NULL, *tok = NULL;
    size_t tok_cap = 0;
    int *lens, *trunc, *idx;

    memset(&eo, 0, sizeof eo);
    memset(&co, 0, sizeof co);
    memset(&o, 0, sizeof o);
    co.n_threads = cli_default_threads();
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (cli_is_help(a)) return help();
        else if (cli_is_version(a)) return cli_version(PROG);
        else if (!strcmp(a, "--model") && v) { model_path = v; i++; }
        else if (!strcmp(a, "--pooling") && v) {
            i++;
            if (!strcmp(v, "cls")) eo.pooling = MTL_POOL_CLS;
            else if (!strcmp(v, "mean")) eo.pooling = MTL_POOL_MEAN;
            else if (!strcmp(v, "max")) eo.pooling = MTL_POOL_MAX;
            else if (!strcmp(v, "pooler")) eo.pooling = MTL_POOL_POOLER;
            else return cli_usage_error(PROG, "--pooling must be cls, mean, max or pooler, not '%s'", v);
        } else if (!strcmp(a, "--normalize")) eo.normalize = 1;
        else if (!strcmp(a, "--no-normalize")) eo.normalize = -1;
        else if (!strcmp(a, "--ids")) o.ids_mode = 1;
        else if (!strcmp(a, "--hex")) o.hex = 1;
        else if (!strcmp(a, "--pair")) o.pair = 1;
        else if (!strcmp(a, "--tokens")) o.tokens = 1;
        else if (!strcmp(a, "--format") && v) {
            i++;
            if (!strcmp(v, "f32")) o.f32 = 1;
            else if (!strcmp(v, "tsv")) o.f32 = 0;
            else return cli_usage_error(PROG, "--format must be tsv or f32, not '%s'", v);
        } else if (!strcmp(a, "--on-error") && v) {
            i++;
            if (cli_parse_on_error(v, &on_error)) return cli_usage_error(PROG, "--on-error must be stop or skip, not '%s'", v);
        } else if (!strcmp(a, "--batch") && v) { i++; if (cli_parse_int(PROG, a, v, 1, 100000, &batch)) return CLI_EXIT_USAGE; }
        else if (!strcmp(a, "--threads") && v) { i++; if (cli_parse_int(PROG, a, v, 1, CLI_THREADS_MAX, &co.n_threads)) return CLI_EXIT_USAGE; }
        else if (!strcmp(a, "--max-length") && v) { i++; if (cli_parse_int(PROG, a, v, 1, 100000, &eo.max_length)) return CLI_EXIT_USAGE; }
        else return cli_bad_option(PROG, OPTS, a);
    }
    if (!model_path) return cli_usage_error(PROG, "--model is required");
    if (o.ids_mode && (o.hex || o.pair)) return cli_usage_error(PROG, "--ids cannot be combined with --hex or --pair");
    if (cli_load_model("mtl-embed", model_path, &m)) return 1;
    o.info = mtl_model_get_info(m);
    H = o.info->hidden_size;
    if (eo.pooling == MTL_POOL_POOLER && !o.info->has_pooler) { fprintf(stderr, "mtl-embed: this model has no pooler\n"); mtl_model_free(m); return 2; }
    if (mtl_ctx_init(&ctx, m, &co) != MTL_OK) { fprintf(stderr, "mtl-embed: %s\n", ctx.err.msg); mtl_model_free(m); return 1; }
    in = (input *)calloc((size_t)batch, sizeof *in);
    emb = (float *)malloc((size_t)batch * (size_t)H * sizeof(float));
    lens = (int *)malloc((size_t)batch * sizeof(int));
    trunc = (int *)malloc((size_t)batch * sizeof(int));
    idx = (int *)malloc((size_t)batch * sizeof(int));
    if (!in || !emb || !lens || !trunc || !idx) { fprintf(stderr, "mtl-embed: out of memory\n"); status = 1; done = 1; }

    while (!done) {
        mtl_result r;
        int k, n_in = 0, ng = 0, pending = 0, read_failed = 0;
        char pmsg[256];
        /* gather a batch; a bad line is marked (skip) or ends the batch (stop) */
        while (n_in < batch) {
            input *x = &in[n_in];
            char msg[200];
            int pr;
            long ll = cli_read_line(stdin, &line, &cap);
            if (ll < 0) { read_failed = cli_read_failed("mtl-embed", ll); done = 1; break; }   /* the rows so far are still written */
            lineno++;
            if (ll > 0 && line[ll - 1] == '\r') line[--ll] = 0;
            memset(x, 0, sizeof *x);
            x->line = lineno;
            msg[0] = 0;
            pr = parse_line(&o, line, (size_t)ll, x, msg, sizeof msg);
            if (pr < 0) { fprintf(stderr, "mtl-embed: out of memory\n"); input_free(x); status = 1; done = 1; break; }
            if (pr == 0 && !o.ids_mode) {
                const size_t bad = cli_utf8_invalid(x->a, x->la) + (x->b ? cli_utf8_invalid(x->b, x->lb) : 0);
                cli_note_invalid_utf8("mtl-embed", lineno, bad);
            }
            if (pr > 0) {
                input_free(x);
                if (on_error == CLI_ON_ERROR_STOP) {
                    snprintf(pmsg, sizeof pmsg, "<stdin>:%d: %s", lineno, msg);
                    pending = 1;
                    done = 1;
                    break;
                }
                x->line = lineno;
                x->bad = 1;
                fprintf(stderr, "mtl-embed: <stdin>:%d: %s (skipped: marked row)\n", lineno, msg);
            }
            n_in++;
        }
        if (status) { for (k = 0; k < n_in; k++) input_free(&in[k]); break; }
        for (k = 0; k < n_in; k++) if (!in[k].bad) idx[ng++] = k;
        r = ng ? run(&ctx, &o, in, idx, ng, &eo, emb, &tok, &tok_cap, lens, trunc, &err) : MTL_OK;
        if (r == MTL_OK) {
            size_t p = 0;
            int j = 0;
            for (k = 0; k < n_in; k++) {
                if (in[k].bad) { emit_marked(&o); continue; }
                if (trunc[j]) fprintf(stderr, "mtl-embed: <stdin>:%d: truncated to %d tokens\n", in[k].line, lens[j]);
                emit_row(&o, o.tokens ? tok + p * (size_t)H : emb + (size_t)j * (size_t)H, lens[j]);
                p += (size_t)lens[j];
                j++;
            }
        } else {   /* find the line: one input at a time, in order */
            for (k = 0; k < n_in && !status; k++) {
                if (in[k].bad) { emit_marked(&o); continue; }
                if (run(&ctx, &o, in, &k, 1, &eo, emb, &tok, &tok_cap, lens, trunc, &err) == MTL_OK) {
                    if (trunc[0]) fprintf(stderr, "mtl-embed: <stdin>:%d: truncated to %d tokens\n", in[k].line, lens[0]);
                    emit_row(&o, o.tokens ? tok : emb, lens[0]);
                } else if (on_error == CLI_ON_ERROR_SKIP && err.code != MTL_ERR_NOMEM) {
                    fprintf(stderr, "mtl-embed: <stdin>:%d: %s (skipped: marked row)\n", in[k].line, err.msg);
                    emit_marked(&o);
                } else {
                    fprintf(stderr, "mtl-embed: <stdin>:%d: %s\n", in[k].line, err.msg);
                    status = 1;
                }
            }
        }
        for (k = 0; k < n_in; k++) input_free(&in[k]);
        if (cli_out_check("mtl-embed")) status = 1;
        if (read_failed) status = 1;
        if (pending && !status) {
            fprintf(stderr, "mtl-embed: %s (stopped; --on-error skip writes a marked row and goes on)\n", pmsg);
            status = 1;
        }
        if (status) break;
    }
    if (cli_out_close("mtl-embed")) status = 1;
    free(line);
    free(in);
    free(emb);
    free(tok);
    free(lens);
    free(trunc);
    free(idx);
    mtl_ctx_free(&ctx);
    mtl_model_free(m);
    return status;
}
