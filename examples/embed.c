/* mtl-embed: sentence embeddings (or per-token hidden states) of stdin lines with an mtl model file.

   build/mtl-embed --model BLOB [--pooling cls|mean|max|pooler] [--normalize|--no-normalize] [--ids]
                   [--hex] [--pair] [--tokens] [--format tsv|f32|npy] [--output FILE] [--batch N]
                   [--sort-window N] [--threads N] [--max-length N] [--on-error stop|skip] [--quiet]

   One input per line: the text (--hex: the hex of its UTF-8 bytes; --pair: two texts separated by a
   TAB, token type 1 on the second; --ids: space-separated token ids that already include [CLS]/[SEP],
   optionally a TAB and the token type ids). Output: one embedding per input (TSV, floats printed
   %.9g, or --format f32: little-endian float32, or --format npy: a NumPy .npy file, see npy_*) on
   stdout or in --output FILE; --tokens: every token's last hidden state instead (TSV: one line per
   token, an empty line after each input). Without --pooling/--normalize the model's own settings
   (sentence-transformers config) apply. Truncated inputs are reported on stderr, each and in a
   summary at the end; progress on stderr (cli.h); --quiet: neither the summary nor the progress.

   One output row per input line, in order, always. Invalid UTF-8 bytes read as U+FFFD (the
   tokenizer's rule; a note on stderr). A line that cannot be parsed (--pair without a TAB, bad --hex,
   bad --ids: not numbers, out of the vocabulary, type ids that do not match) or embedded:
   --on-error stop (default): the rows of the lines before it are written, then
     "mtl-embed: <stdin>:N: what" and exit status 1;
   --on-error skip: a marked row (TSV: an empty line, with --tokens no token line, only the empty
     line that ends the input; f32: one row of hidden-size NaNs) and the message on stderr.
   --threads: default all online CPUs (at most 8). --help: every option with its default and range.

   Sorting by length (as sentence-transformers' encode() does): up to --sort-window N lines are held
   (default 16 x --batch; never fewer than --batch), the held inputs are ordered longest first (text
   bytes, text a + text b with --pair, the id count with --ids; ties in input order; with N below
   --batch within each group of N consecutive lines, so N = 1 keeps input order), cut into forward
   calls of --batch inputs, and their rows are written in input order. The library's forward of an
   input does not depend on the other inputs of its call (batches are packed, no padding), so the
   rows are the same bits as with --sort-window 1. Messages (truncation, skipped lines) name the
   1-based input line and are printed in input order with the rows.
   When no more input is available right now (a pause on a pipe or terminal, or EOF), the held lines
   are embedded and written at once (stdout flushed) instead of waiting for a full window (cli.h's
   reader).
   MTL_EMBED_TRACE=1 in the environment prints each forward call's input lines on stderr (tests).
   Exit status: 0 ok, 1 runtime error (incl. a write error on stdout), 2 usage. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L   /* poll(), read(), isatty(), clock_gettime() (cli.h), fcntl() */
#endif
#define MTL_BERT_IMPLEMENTATION
#include "../mtl_bert.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#if CLI_POSIX
#include <fcntl.h>
#endif

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
    {"--format F", "tsv|f32|npy: %.9g TSV, little-endian float32 rows, or a NumPy .npy file of n x hidden float32 (default: tsv)"},
    {"--output FILE", "write the rows (or the .npy file) to FILE (default: stdout)"},
    {"--batch N", "inputs per forward call, 1..100000 (default: 32)"},
    {"--sort-window N", "hold N lines, embed them longest first, rows in input order; 1 = off, 1..10000000 (default: 16 x batch)"},
    {"--threads N", CLI_THREADS_HELP},
    {"--max-length N", "truncate inputs to N tokens, 1..100000 (default: the model's max_seq_length)"},
    {"--on-error M", "stop|skip: a bad line stops the run (exit 1) or gets a marked row (default: stop)"},
    {"--quiet", "no progress and no truncation summary on stderr (default: off: progress on a terminal, else a line every 10 s)"},
    {NULL, NULL}};

static int help(void) {
    return cli_help(PROG, "mtl-embed --model BLOB [options] < lines",
                    "One input per stdin line, one embedding row per input line, in order. A line that cannot be parsed\n"
                    "or embedded stops the run (exit 1) after the rows before it, or with --on-error skip gives a marked\n"
                    "row (TSV: an empty line; f32: a row of NaNs) and the message on stderr. Up to --sort-window lines\n"
                    "are held and embedded longest first (the same bits; rows stay in input order); when the input\n"
                    "pauses (nothing more to read right now, or EOF) the held lines are embedded and written at once.\n",
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

/* One held input line: the parsed input, its 1-based line, bad (a marked row: 1 a bad line, its message
   already printed; 2 its forward failed under --on-error skip, the message in err), and its result
   once embedded (the pooled row lives in the window's rows; --tokens: tok, len x hidden floats). */
typedef struct input { char *a, *b; size_t la, lb; int32_t *ids, *types; int n, line, bad; float *tok; char *err; int len, trunc; } input;

static void input_free(input *x) { free(x->a); free(x->b); free(x->ids); free(x->types); free(x->tok); free(x->err); memset(x, 0, sizeof *x); }

/* f32: binary rows (--format f32, and npy: the rows after the .npy header); rows: where binary rows
   go (NULL: stdout; npy through a pipe: a temporary file, see npy_*) */
typedef struct opts { int ids_mode, hex, pair, tokens, f32, npy; const mtl_model_info *info; FILE *rows; } opts;

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
        if (o->f32) fwrite(e, sizeof(float), (size_t)H, o->rows ? o->rows : stdout);
        else for (h = 0; h < H; h++) printf(h + 1 < H ? "%.9g\t" : "%.9g\n", (double)e[h]);
    }
    if (o->tokens && !o->f32) putchar('\n');
}
static void emit_marked(const opts *o) {
    if (o->f32) {
        const float nan = (float)NAN;
        int h;
        for (h = 0; h < o->info->hidden_size; h++) fwrite(&nan, sizeof nan, 1, o->rows ? o->rows : stdout);
    } else putchar('\n');
}

/* ---- --format npy: a NumPy .npy file, format version 1.0 (numpy.lib.format): the magic "\x93NUMPY",
   the version bytes 1 0, the header's length (uint16, little-endian), the header: the ASCII dict
   "{'descr': '<f4', 'fortran_order': False, 'shape': (N, H), }" padded with spaces and ended by a
   newline so that the data starts at a multiple of 64 bytes, then the N x H float32 rows, C order.
   The dict is padded as np.save pads it (room for 21 digits of N, numpy's GROWTH_AXIS_MAX_DIGITS), so
   the header has the same length whatever N: when the output is a regular file, the header with N = 0
   is written first and written again with the final N at the end; otherwise (a pipe, a terminal) the
   rows go to a temporary file and the header and the rows are written at the end. */
typedef struct npy_out { FILE *spool; long at; } npy_out;

/* The header for rows x dim into h (room for 256 bytes); returns its length (a multiple of 64). */
static size_t npy_header(char *h, unsigned long rows, int dim) {
    const unsigned one = 1;
    char dict[160];
    int n = snprintf(dict, sizeof dict, "{'descr': '%cf4', 'fortran_order': False, 'shape': (%lu, %d), }",
                     *(const unsigned char *)&one == 1 ? '<' : '>', rows, dim);
    int digits = snprintf(NULL, 0, "%lu", rows);
    size_t hlen, pad;
    while (digits++ < 21) dict[n++] = ' ';
    hlen = (size_t)n + 1;                        /* + the newline */
    pad = 64 - (10 + hlen) % 64;                 /* numpy's _wrap_header: 64 when already aligned */
    memcpy(h, "\x93NUMPY\x01\x00", 8);
    h[8] = (char)((hlen + pad) & 0xFF);
    h[9] = (char)((hlen + pad) >> 8);
    memcpy(h + 10, dict, (size_t)n);
    memset(h + 10 + n, ' ', pad);
    h[10 + (size_t)n + pad] = '\n';
    return 10 + hlen + pad;
}

/* Before the first row: 0, or 1 after a message. */
static int npy_start(opts *o, npy_out *nf) {
    char h[256];
    nf->spool = NULL;
    nf->at = -1;
#if CLI_POSIX
    {
        struct stat st;
        const int fl = fcntl(1, F_GETFL);
        if (fstat(1, &st) == 0 && S_ISREG(st.st_mode) && fl >= 0 && !(fl & O_APPEND) && (nf->at = ftell(stdout)) >= 0) {
            fwrite(h, 1, npy_header(h, 0, o->info->hidden_size), stdout);
            return 0;
        }
    }
#endif
    nf->at = -1;
    if (!(nf->spool = tmpfile())) { fprintf(stderr, "mtl-embed: cannot create a temporary file for the npy rows: %s\n", strerror(errno)); return 1; }
    o->rows = nf->spool;
    return 0;
}

/* After the last row (rows written): the final header. 0, or 1 after a message. */
static int npy_finish(const opts *o, npy_out *nf, unsigned long rows) {
    char h[256], buf[65536];
    const size_t hl = npy_header(h, rows, o->info->hidden_size);
    size_t got;
    int bad = 0;
    if (!nf->spool) {
        if (cli_out_flush("mtl-embed")) return 1;
        errno = 0;
        if (fseek(stdout, nf->at, SEEK_SET) != 0 || fwrite(h, 1, hl, stdout) != hl || fseek(stdout, 0, SEEK_END) != 0)
            return cli_out_error("mtl-embed", errno);
        return 0;
    }
    fwrite(h, 1, hl, stdout);
    errno = 0;
    if (fflush(nf->spool) != 0 || ferror(nf->spool) || fseek(nf->spool, 0, SEEK_SET) != 0) bad = 1;
    while (!bad && (got = fread(buf, 1, sizeof buf, nf->spool)) > 0)
        if (fwrite(buf, 1, got, stdout) != got) break;
    if (bad || ferror(nf->spool)) { fprintf(stderr, "mtl-embed: the temporary file of the npy rows failed: %s\n", errno ? strerror(errno) : "I/O error"); bad = 1; }
    fclose(nf->spool);
    nf->spool = NULL;
    return bad || cli_out_check("mtl-embed");
}

/* ---- the window: held inputs, embedded in length order, written in input order ---- */
typedef struct embedder {
    mtl_ctx *ctx;
    const opts *o;
    const mtl_embed_options *eo;
    int batch, window, on_error, trace;
    input *in;        /* the held inputs in input order, in[0..n), room for cap */
    float *rows;      /* cap x hidden: the pooled rows of in[] */
    int *order;       /* cap: the embedding order */
    int n, cap;
    float *emb, *tok; /* one forward call's output: batch x hidden, and the token states (--tokens) */
    size_t tok_cap;
    int *lens, *trunc, *idx;   /* batch */
    cli_progress *pg;
    double work0, work1;                 /* progress: stdin bytes read before this window, and with it */
    unsigned long n_rows, n_trunc, n_in;   /* rows written; inputs truncated, of n_in embedded */
    int trunc_min, trunc_max;            /* their lengths after truncation */
} embedder;

static const embedder *sort_e;   /* qsort's comparator has no context argument */
static size_t input_len(const embedder *e, int k) {
    const input *x = &e->in[k];
    return e->o->ids_mode ? (size_t)x->n : x->la + x->lb;
}
/* Groups of `window` consecutive held inputs, longest first within a group, ties in input order. */
static int by_length(const void *pa, const void *pb) {
    const int a = *(const int *)pa, b = *(const int *)pb;
    const int ga = a / sort_e->window, gb = b / sort_e->window;
    size_t la, lb;
    if (ga != gb) return ga < gb ? -1 : 1;
    la = input_len(sort_e, a);
    lb = input_len(sort_e, b);
    if (la != lb) return la > lb ? -1 : 1;
    return a < b ? -1 : a > b;
}

/* Room for one more held input (at most max(window, batch)); 0, or -1 no memory. */
static int hold_room(embedder *e) {
    const int H = e->o->info->hidden_size, hold = e->window > e->batch ? e->window : e->batch;
    int nc;
    void *p;
    if (e->n < e->cap) return 0;
    nc = e->cap < 16 ? 16 : e->cap > hold / 2 ? hold : e->cap * 2;
    if (nc > hold) nc = hold;
    if (!(p = realloc(e->in, (size_t)nc * sizeof *e->in))) return -1;
    e->in = (input *)p;
    memset(e->in + e->cap, 0, (size_t)(nc - e->cap) * sizeof *e->in);
    if (!(p = realloc(e->order, (size_t)nc * sizeof *e->order))) return -1;
    e->order = (int *)p;
    if (!e->o->tokens) {
        if (!(p = realloc(e->rows, (size_t)nc * (size_t)H * sizeof *e->rows))) return -1;
        e->rows = (float *)p;
    }
    e->cap = nc;
    return 0;
}

/* Keeps the result of in[k], output j of the forward call (token states from tok + *p rows). 0, or -1 no memory. */
static int keep(embedder *e, int k, int j, size_t *p) {
    const size_t H = (size_t)e->o->info->hidden_size;
    input *x = &e->in[k];
    x->len = e->lens[j];
    x->trunc = e->trunc[j];
    if (e->o->tokens) {
        const size_t nf = (size_t)x->len * H;
        if (!(x->tok = (float *)malloc((nf ? nf : 1) * sizeof(float)))) return -1;
        memcpy(x->tok, e->tok + *p * H, nf * sizeof(float));
        *p += (size_t)x->len;
    } else memcpy(e->rows + (size_t)k * H, e->emb + (size_t)j * H, H * sizeof(float));
    return 0;
}

/* Embeds the held inputs (forward calls of `batch` in length order) and writes their rows in input
   order. 0, or 1 after the message of the first input (in input order) that stops the run, with
   exactly the rows before it written. */
static int embed_window(embedder *e) {
    const int H = e->o->info->hidden_size;
    int ng = 0, k, b, fail = e->n;   /* fail: the first held input that stops the run */
    char fmsg[sizeof(((mtl_error *)0)->msg)];
    mtl_error err;
    fmsg[0] = 0;
    for (k = 0; k < e->n; k++) if (!e->in[k].bad) e->order[ng++] = k;
    if (e->window > 1 && ng > 1) { sort_e = e; qsort(e->order, (size_t)ng, sizeof *e->order, by_length); }
    for (b = 0; b < ng; b += e->batch) {
        int m = 0, j;
        /* the next inputs in length order; once an input stops the run, only those before it still count */
        for (k = b; k < ng && k < b + e->batch; k++) if (e->order[k] < fail) e->idx[m++] = e->order[k];
        if (!m) continue;
        if (e->trace) {
            fprintf(stderr, "mtl-embed: trace: forward");
            for (j = 0; j < m; j++) fprintf(stderr, " %d", e->in[e->idx[j]].line);
            fputc('\n', stderr);
        }
        if (run(e->ctx, e->o, e->in, e->idx, m, e->eo, e->emb, &e->tok, &e->tok_cap, e->lens, e->trunc, &err) == MTL_OK) {
            size_t p = 0;
            const double f = (double)(k < ng ? k : ng) / ng;   /* the part of the window embedded */
            for (j = 0; j < m; j++)
                if (keep(e, e->idx[j], j, &p) && e->idx[j] < fail) { fail = e->idx[j]; snprintf(fmsg, sizeof fmsg, "out of memory"); }
            cli_progress_update(e->pg, e->in[0].line - 1 + f * e->n, e->pg->total > 0 ? e->work0 + f * (e->work1 - e->work0) : -1.0);
            continue;
        }
        for (j = 0; j < m; j++) {   /* find the failing inputs: one at a time */
            const int i = e->idx[j];
            size_t p = 0;
            if (i >= fail) continue;
            if (run(e->ctx, e->o, e->in, &i, 1, e->eo, e->emb, &e->tok, &e->tok_cap, e->lens, e->trunc, &err) == MTL_OK) {
                if (keep(e, i, 0, &p)) { fail = i; snprintf(fmsg, sizeof fmsg, "out of memory"); }
            } else if (e->on_error == CLI_ON_ERROR_SKIP && err.code != MTL_ERR_NOMEM && (e->in[i].err = (char *)malloc(strlen(err.msg) + 1)) != NULL) {
                memcpy(e->in[i].err, err.msg, strlen(err.msg) + 1);
                e->in[i].bad = 2;
            } else {
                fail = i;
                snprintf(fmsg, sizeof fmsg, "%s", err.msg);
            }
        }
    }
    if (e->pg->tty_out) cli_progress_clear(e->pg);   /* rows on the terminal of the progress line */
    for (k = 0; k < fail; k++) {   /* the rows in input order */
        const input *x = &e->in[k];
        e->n_rows++;
        if (x->bad) {
            if (x->bad == 2) { cli_progress_clear(e->pg); fprintf(stderr, "mtl-embed: <stdin>:%d: %s (skipped: marked row)\n", x->line, x->err); }
            emit_marked(e->o);
            continue;
        }
        e->n_in++;
        if (x->trunc) {
            cli_progress_clear(e->pg);
            fprintf(stderr, "mtl-embed: <stdin>:%d: truncated to %d tokens\n", x->line, x->len);
            if (!e->n_trunc++ || x->len < e->trunc_min) e->trunc_min = x->len;
            if (x->len > e->trunc_max) e->trunc_max = x->len;
        }
        emit_row(e->o, e->o->tokens ? x->tok : e->rows + (size_t)k * (size_t)H, x->len);
    }
    if (fail < e->n) { cli_progress_clear(e->pg); fprintf(stderr, "mtl-embed: <stdin>:%d: %s\n", e->in[fail].line, fmsg); return 1; }
    return 0;
}

int main(int argc, char **argv) {
    const char *model_path = NULL, *out_path = NULL;
    mtl_embed_options eo;
    mtl_ctx_options co;
    opts o;
    int batch = 32, window = 0, hold, i, lineno = 0, status = 0, on_error = CLI_ON_ERROR_STOP;
    mtl_model *m;
    mtl_ctx ctx;
    embedder e;
    static cli_reader rd;
    cli_progress pg;
    npy_out nf;
    int quiet = 0;
    char *line = NULL;
    size_t cap = 0;
    int H, done = 0;
    const char *trace = getenv("MTL_EMBED_TRACE");

    memset(&eo, 0, sizeof eo);
    memset(&co, 0, sizeof co);
    memset(&o, 0, sizeof o);
    memset(&e, 0, sizeof e);
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
            o.f32 = !strcmp(v, "f32") || !strcmp(v, "npy");
            o.npy = !strcmp(v, "npy");
            if (!o.f32 && strcmp(v, "tsv")) return cli_usage_error(PROG, "--format must be tsv, f32 or npy, not '%s'", v);
        } else if (!strcmp(a, "--output") && v) {
            i++;
            if (!*v) return cli_usage_error(PROG, "--output needs a file name");
            out_path = v;
        } else if (!strcmp(a, "--quiet")) quiet = 1;
        else if (!strcmp(a, "--on-error") && v) {
            i++;
            if (cli_parse_on_error(v, &on_error)) return cli_usage_error(PROG, "--on-error must be stop or skip, not '%s'", v);
        } else if (!strcmp(a, "--batch") && v) { i++; if (cli_parse_int(PROG, a, v, 1, 100000, &batch)) return CLI_EXIT_USAGE; }
        else if (!strcmp(a, "--sort-window") && v) { i++; if (cli_parse_int(PROG, a, v, 1, 10000000, &window)) return CLI_EXIT_USAGE; }
        else if (!strcmp(a, "--threads") && v) { i++; if (cli_parse_int(PROG, a, v, 1, CLI_THREADS_MAX, &co.n_threads)) return CLI_EXIT_USAGE; }
        else if (!strcmp(a, "--max-length") && v) { i++; if (cli_parse_int(PROG, a, v, 1, 100000, &eo.max_length)) return CLI_EXIT_USAGE; }
        else return cli_bad_option(PROG, OPTS, a);
    }
    if (!model_path) return cli_usage_error(PROG, "--model is required");
    if (o.ids_mode && (o.hex || o.pair)) return cli_usage_error(PROG, "--ids cannot be combined with --hex or --pair");
    if (o.npy && o.tokens) return cli_usage_error(PROG, "--format npy holds one row per input: not with --tokens (use f32)");
    if (!window) window = 16 * batch;
    hold = window > batch ? window : batch;   /* the most lines held at once */
    if (cli_load_model("mtl-embed", model_path, &m)) return 1;
    o.info = mtl_model_get_info(m);
    H = o.info->hidden_size;
    if (eo.pooling == MTL_POOL_POOLER && !o.info->has_pooler) { fprintf(stderr, "mtl-embed: this model has no pooler\n"); mtl_model_free(m); return 2; }
    if (mtl_ctx_init(&ctx, m, &co) != MTL_OK) { fprintf(stderr, "mtl-embed: %s\n", ctx.err.msg); mtl_model_free(m); return 1; }
    if (out_path && !freopen(out_path, "wb", stdout)) {
        fprintf(stderr, "mtl-embed: cannot write %s: %s\n", out_path, strerror(errno));
        mtl_ctx_free(&ctx); mtl_model_free(m);
        return 1;
    }
    if (o.npy && npy_start(&o, &nf)) { mtl_ctx_free(&ctx); mtl_model_free(m); return 1; }
    cli_progress_init(&pg, "mtl-embed", "lines", cli_stdin_size(), quiet);
    e.pg = &pg;
    e.ctx = &ctx;
    e.o = &o;
    e.eo = &eo;
    e.batch = batch;
    e.window = window;
    e.on_error = on_error;
    e.trace = trace && *trace && strcmp(trace, "0");
    e.emb = (float *)malloc((size_t)batch * (size_t)H * sizeof(float));
    e.lens = (int *)malloc((size_t)batch * sizeof(int));
    e.trunc = (int *)malloc((size_t)batch * sizeof(int));
    e.idx = (int *)malloc((size_t)batch * sizeof(int));
    if (!e.emb || !e.lens || !e.trunc || !e.idx) { fprintf(stderr, "mtl-embed: out of memory\n"); status = 1; done = 1; }

    while (!done) {
        int k, pending = 0, read_failed = 0;
        char pmsg[256];
        /* hold lines until the window is full, a bad line stops the run, EOF, or the input pauses;
           a bad line is marked (skip) or ends the window (stop) */
        while (e.n < hold) {
            input *x;
            char msg[200];
            int pr;
            long ll;
            if (e.n == 0 && pg.tty_in) cli_progress_clear(&pg);   /* a terminal's input: not typed after the line */
            ll = cli_reader_line(&rd, &line, &cap, e.n == 0);   /* waits only when nothing is held */
            if (ll == -4) break;                            /* nothing more right now: answer what is held */
            if (ll < 0) { cli_progress_clear(&pg); read_failed = cli_read_failed("mtl-embed", ll); done = 1; break; }   /* the rows so far are still written */
            lineno++;
            if (hold_room(&e)) { cli_progress_clear(&pg); fprintf(stderr, "mtl-embed: out of memory\n"); status = 1; done = 1; break; }
            x = &e.in[e.n];
            if (ll > 0 && line[ll - 1] == '\r') line[--ll] = 0;
            memset(x, 0, sizeof *x);
            x->line = lineno;
            msg[0] = 0;
            pr = parse_line(&o, line, (size_t)ll, x, msg, sizeof msg);
            if (pr != 0) cli_progress_clear(&pg);
            if (pr < 0) { fprintf(stderr, "mtl-embed: out of memory\n"); input_free(x); status = 1; done = 1; break; }
            if (pr == 0 && !o.ids_mode) {
                const size_t bad = cli_utf8_invalid(x->a, x->la) + (x->b ? cli_utf8_invalid(x->b, x->lb) : 0);
                if (bad) cli_progress_clear(&pg);
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
            e.n++;
        }
        if (status) break;
        e.work0 = e.work1;
        e.work1 = rd.bytes;
        if (e.n && embed_window(&e)) status = 1;
        for (k = 0; k < e.n; k++) input_free(&e.in[k]);
        e.n = 0;
        if (cli_out_flush("mtl-embed")) status = 1;   /* the rows are out before the next (possibly slow) input */
        if (read_failed) status = 1;
        if (pending && !status) {
            cli_progress_clear(&pg);
            fprintf(stderr, "mtl-embed: %s (stopped; --on-error skip writes a marked row and goes on)\n", pmsg);
            status = 1;
        }
        if (status) break;
        cli_progress_update(&pg, (double)lineno, pg.total > 0 ? rd.bytes : -1.0);
    }
    if (o.npy && npy_finish(&o, &nf, e.n_rows)) status = 1;
    cli_progress_end(&pg);
    if (!quiet && e.n_trunc) {
        fprintf(stderr, "mtl-embed: %lu of %lu inputs were truncated to ", e.n_trunc, e.n_in);
        if (e.trunc_min == e.trunc_max) fprintf(stderr, "%d tokens", e.trunc_max);
        else fprintf(stderr, "%d..%d tokens", e.trunc_min, e.trunc_max);
        fprintf(stderr, " (%s)\n", eo.max_length > 0 ? "--max-length" : "the model's max_seq_length");
    }
    if (cli_out_close("mtl-embed")) status = 1;
    for (i = 0; i < e.n; i++) input_free(&e.in[i]);
    free(line);
    free(e.in);
    free(e.rows);
    free(e.order);
    free(e.emb);
    free(e.tok);
    free(e.lens);
    free(e.trunc);
    free(e.idx);
    mtl_ctx_free(&ctx);
    mtl_model_free(m);
    return status;
}
