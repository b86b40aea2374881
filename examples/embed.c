/* mtl-embed: sentence embeddings (or per-token hidden states) of stdin lines with an mtl model file.

   build/mtl-embed --model BLOB [--pooling cls|mean|max|pooler] [--normalize|--no-normalize] [--ids]
                   [--hex] [--pair] [--tokens] [--format tsv|f32] [--batch N] [--threads N] [--max-length N]

   One input per line: the text (--hex: the hex of its UTF-8 bytes; --pair: two texts separated by a
   TAB, token type 1 on the second; --ids: space-separated token ids that already include [CLS]/[SEP],
   optionally a TAB and the token type ids). Output: one embedding per input (TSV, floats printed
   %.9g, or --format f32: little-endian float32); --tokens: every token's last hidden state instead
   (TSV: one line per token, an empty line after each input). Without --pooling/--normalize the
   model's own settings (sentence-transformers config) apply. Truncated inputs are reported on stderr. */
#define MTL_BERT_IMPLEMENTATION
#include "../mtl_bert.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void usage(void) {
    fprintf(stderr, "usage: mtl-embed --model BLOB [--pooling cls|mean|max|pooler] [--normalize|--no-normalize] [--ids] [--hex]\n"
                    "                 [--pair] [--tokens] [--format tsv|f32] [--batch N] [--threads N] [--max-length N]\n");
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

typedef struct input { char *a, *b; size_t la, lb; int32_t *ids, *types; int n; } input;

int main(int argc, char **argv) {
    const char *model_path = NULL;
    mtl_embed_options eo;
    mtl_ctx_options co;
    int ids_mode = 0, hex = 0, pair = 0, tokens = 0, f32 = 0, batch = 32, i, lineno = 0, status = 0;
    mtl_model *m;
    mtl_ctx ctx;
    mtl_error err;
    input *in;
    int n_in = 0;
    char *line = NULL;
    size_t cap = 0;
    long ll;
    int H, done = 0;
    float *emb = NULL, *tok = NULL;
    size_t tok_cap = 0;
    int *lens, *trunc;

    memset(&eo, 0, sizeof eo);
    memset(&co, 0, sizeof co);
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--model") && v) { model_path = v; i++; }
        else if (!strcmp(a, "--pooling") && v) {
            i++;
            if (!strcmp(v, "cls")) eo.pooling = MTL_POOL_CLS;
            else if (!strcmp(v, "mean")) eo.pooling = MTL_POOL_MEAN;
            else if (!strcmp(v, "max")) eo.pooling = MTL_POOL_MAX;
            else if (!strcmp(v, "pooler")) eo.pooling = MTL_POOL_POOLER;
            else { fprintf(stderr, "mtl-embed: unknown pooling '%s'\n", v); usage(); return 2; }
        } else if (!strcmp(a, "--normalize")) eo.normalize = 1;
        else if (!strcmp(a, "--no-normalize")) eo.normalize = -1;
        else if (!strcmp(a, "--ids")) ids_mode = 1;
        else if (!strcmp(a, "--hex")) hex = 1;
        else if (!strcmp(a, "--pair")) pair = 1;
        else if (!strcmp(a, "--tokens")) tokens = 1;
        else if (!strcmp(a, "--format") && v) {
            i++;
            if (!strcmp(v, "f32")) f32 = 1;
            else if (!strcmp(v, "tsv")) f32 = 0;
            else { fprintf(stderr, "mtl-embed: unknown format '%s'\n", v); usage(); return 2; }
        } else if ((!strcmp(a, "--batch") || !strcmp(a, "--threads") || !strcmp(a, "--max-length")) && v) {
            char *end;
            long n = strtol(v, &end, 10);
            i++;
            if (*end || n < 1 || n > 100000) { fprintf(stderr, "mtl-embed: bad value for %s: '%s'\n", a, v); usage(); return 2; }
            if (!strcmp(a, "--batch")) batch = (int)n;
            else if (!strcmp(a, "--threads")) co.n_threads = (int)n;
            else eo.max_length = (int)n;
        } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) { usage(); return 0; }
        else { fprintf(stderr, "mtl-embed: unknown or incomplete option '%s'\n", a); usage(); return 2; }
    }
    if (!model_path) { fprintf(stderr, "mtl-embed: --model is required\n"); usage(); return 2; }
    if (ids_mode && (hex || pair)) { fprintf(stderr, "mtl-embed: --ids cannot be combined with --hex or --pair\n"); return 2; }
    if (mtl_model_load(model_path, &m, &err)) { fprintf(stderr, "mtl-embed: %s\n", err.msg); return 1; }
    H = mtl_model_get_info(m)->hidden_size;
    if (eo.pooling == MTL_POOL_POOLER && !mtl_model_get_info(m)->has_pooler) { fprintf(stderr, "mtl-embed: this model has no pooler\n"); mtl_model_free(m); return 2; }
    mtl_ctx_init(&ctx, m, &co);
    in = (input *)calloc((size_t)batch, sizeof *in);
    emb = (float *)malloc((size_t)batch * (size_t)H * sizeof(float));
    lens = (int *)malloc((size_t)batch * sizeof(int));
    trunc = (int *)malloc((size_t)batch * sizeof(int));
    if (!in || !emb || !lens || !trunc) { fprintf(stderr, "mtl-embed: out of memory\n"); return 1; }

    while (!done) {
        mtl_forward_out out;
        mtl_result r;
        int k, first_line;
        /* gather a batch */
        n_in = 0;
        first_line = lineno + 1;
        while (n_in < batch) {
            input *x = &in[n_in];
            char *tab;
            ll = cli_read_line(stdin, &line, &cap);
            if (ll == -2) { fprintf(stderr, "mtl-embed: out of memory\n"); return 1; }
            if (ll < 0) { done = 1; break; }
            lineno++;
            if (ll > 0 && line[ll - 1] == '\r') line[--ll] = 0;
            memset(x, 0, sizeof *x);
            tab = (pair || ids_mode) ? strchr(line, '\t') : NULL;
            if (pair && !tab) { fprintf(stderr, "mtl-embed: line %d: --pair needs two fields separated by a TAB\n", lineno); status = 1; continue; }
            if (tab) *tab = 0;
            if (ids_mode) {
                int cnt = 1, t;
                const char *p;
                for (p = line; *p; p++) cnt += *p == ' ';
                x->ids = (int32_t *)malloc((size_t)cnt * sizeof(int32_t));
                x->types = (int32_t *)calloc((size_t)cnt, sizeof(int32_t));
                x->n = parse_ints(line, x->ids, cnt);
                if (x->n < 1) { fprintf(stderr, "mtl-embed: line %d: bad or empty id list\n", lineno); free(x->ids); free(x->types); status = 1; continue; }
                if (tab) {
                    int32_t *tt = (int32_t *)malloc((strlen(tab + 1) + 1) * sizeof(int32_t));
                    t = parse_ints(tab + 1, tt, (int)strlen(tab + 1) + 1);
                    if (t != x->n) { fprintf(stderr, "mtl-embed: line %d: %d token type ids for %d ids\n", lineno, t, x->n); free(tt); free(x->ids); free(x->types); status = 1; continue; }
                    memcpy(x->types, tt, (size_t)t * sizeof(int32_t));
                    free(tt);
                }
            } else {
                x->la = strlen(line);
                x->a = (char *)malloc(x->la + 1);
                memcpy(x->a, line, x->la + 1);
                if (tab) {
                    x->lb = strlen(tab + 1);
                    x->b = (char *)malloc(x->lb + 1);
                    memcpy(x->b, tab + 1, x->lb + 1);
                }
                if (hex) {
                    long na = cli_unhex(x->a, x->la), nb = x->b ? cli_unhex(x->b, x->lb) : 0;
                    if (na < 0 || nb < 0) { fprintf(stderr, "mtl-embed: line %d: bad hex\n", lineno); free(x->a); free(x->b); status = 1; continue; }
                    x->la = (size_t)na;
                    x->lb = (size_t)nb;
                }
                /* a NUL byte inside a (hex) text is fine: lengths are passed */
            }
            n_in++;
        }
        if (n_in == 0) break;
        /* the forward */
        memset(&out, 0, sizeof out);
        out.embeddings = tokens ? NULL : emb;
        out.lengths = lens;
        out.truncated = trunc;
        if (tokens) {
            size_t need = 0;
            int lim = eo.max_length > 0 ? eo.max_length : mtl_model_get_info(m)->max_seq_length;
            for (k = 0; k < n_in; k++) need += (size_t)(ids_mode ? (in[k].n < lim ? in[k].n : lim) : lim);
            if (need * (size_t)H > tok_cap) {
                free(tok);
                tok_cap = need * (size_t)H;
                tok = (float *)malloc(tok_cap * sizeof(float));
                if (!tok) { fprintf(stderr, "mtl-embed: out of memory\n"); return 1; }
            }
            out.tokens = tok;
        }
        if (ids_mode) {
            mtl_seq *seqs = (mtl_seq *)malloc((size_t)n_in * sizeof *seqs);
            for (k = 0; k < n_in; k++) { seqs[k].ids = in[k].ids; seqs[k].type_ids = in[k].types; seqs[k].n = in[k].n; }
            r = mtl_forward(&ctx, seqs, n_in, &eo, &out, &err);
            free(seqs);
        } else {
            const char **ta = (const char **)malloc((size_t)n_in * sizeof(char *)), **tb = (const char **)malloc((size_t)n_in * sizeof(char *));
            size_t *la = (size_t *)malloc((size_t)n_in * sizeof(size_t)), *lb = (size_t *)malloc((size_t)n_in * sizeof(size_t));
            for (k = 0; k < n_in; k++) { ta[k] = in[k].a; la[k] = in[k].la; tb[k] = in[k].b; lb[k] = in[k].lb; }
            r = mtl_forward_texts(&ctx, n_in, ta, la, pair ? tb : NULL, pair ? lb : NULL, &eo, &out, &err);
            free((void *)ta); free((void *)tb); free(la); free(lb);
        }
        if (r) { fprintf(stderr, "mtl-embed: lines %d-%d: %s\n", first_line, lineno, err.msg); return 1; }
        /* outputs */
        {
            size_t p = 0;
            for (k = 0; k < n_in; k++) {
                int h, t;
                if (trunc[k]) fprintf(stderr, "mtl-embed: input %d truncated to %d tokens\n", first_line + k, lens[k]);
                if (!tokens) {
                    const float *e = emb + (size_t)k * (size_t)H;
                    if (f32) fwrite(e, sizeof(float), (size_t)H, stdout);
                    else for (h = 0; h < H; h++) printf(h + 1 < H ? "%.9g\t" : "%.9g\n", (double)e[h]);
                } else {
                    for (t = 0; t < lens[k]; t++, p++) {
                        const float *e = tok + p * (size_t)H;
                        if (f32) fwrite(e, sizeof(float), (size_t)H, stdout);
                        else for (h = 0; h < H; h++) printf(h + 1 < H ? "%.9g\t" : "%.9g\n", (double)e[h]);
                    }
                    if (!f32) putchar('\n');
                }
                free(in[k].a); free(in[k].b); free(in[k].ids); free(in[k].types);
            }
        }
    }
    if (fflush(stdout) != 0) { fprintf(stderr, "mtl-embed: write error\n"); status = 1; }
    free(line);
    free(in);
    free(emb);
    free(tok);
    free(lens);
    free(trunc);
    mtl_ctx_free(&ctx);
    mtl_model_free(m);
    return status;
}
