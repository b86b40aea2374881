/* mtl-predict: the class and the entities of each stdin line with an mtl-train checkpoint (issue #5).

   build/mtl-predict --model BLOB [--json] [--threads N]

   One text per line (UTF-8; a trailing CR is dropped). Output, one line per input:
     text:   <class> <probability>\t<TYPE>[<start>,<end>)"<entity text>" ...
             (class part only with a classification head, entities only with a token head)
     --json: JSON Lines {"text": ..., "class": ..., "probability": ..., "probabilities": {label: p, ...},
             "entities": [{"type": ..., "start": ..., "end": ..., "text": ...}, ...]}
   Entity spans are character (code point) offsets [start, end) into the line, as Python's str
   indexes. Words for the token head are split as in CoNLL data: at whitespace, and every ASCII
   punctuation character is a word of its own; a word's tag is the prediction on its first sub-token;
   an entity is B-X followed by I-X (an I-X after another type also starts one).
   A line that is not UTF-8: "<stdin>:N: not valid UTF-8" on stderr, exit status 1. */
#define MTL_BERT_IMPLEMENTATION
#include "../mtl_bert.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_train.h"

static void usage(void) { fprintf(stderr, "usage: mtl-predict --model BLOB [--json] [--threads N]\n"); }

static int utf8_valid(const unsigned char *s, size_t n) {
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        size_t k, len;
        unsigned cp;
        if (c < 0x80) { i++; continue; }
        if (c >= 0xC2 && c <= 0xDF) { len = 2; cp = c & 0x1F; }
        else if (c >= 0xE0 && c <= 0xEF) { len = 3; cp = c & 0x0F; }
        else if (c >= 0xF0 && c <= 0xF4) { len = 4; cp = c & 0x07; }
        else return 0;
        if (i + len > n) return 0;
        for (k = 1; k < len; k++) {
            if ((s[i + k] & 0xC0) != 0x80) return 0;
            cp = (cp << 6) | (s[i + k] & 0x3Fu);
        }
        if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF))) return 0;
        i += len;
    }
    return 1;
}

/* code points in s[0..n) */
static long n_chars(const char *s, size_t n) {
    long c = 0;
    size_t i;
    for (i = 0; i < n; i++) c += ((unsigned char)s[i] & 0xC0) != 0x80;
    return c;
}

static void json_str(const char *s, size_t n) {
    size_t i;
    putchar('"');
    for (i = 0; i < n; i++) {
        const unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') { putchar('\\'); putchar(c); }
        else if (c == '\n') fputs("\\n", stdout);
        else if (c == '\t') fputs("\\t", stdout);
        else if (c < 0x20) printf("\\u%04x", c);
        else putchar(c);
    }
    putchar('"');
}

static int is_punct(unsigned char c) { return (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126); }
static int is_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

int main(int argc, char **argv) {
    const char *model_path = NULL;
    int json = 0, threads = 1, i, status = 0, lineno = 0;
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
    for (i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--json")) json = 1;
        else if (i + 1 < argc && !strcmp(argv[i], "--model")) model_path = argv[++i];
        else if (i + 1 < argc && !strcmp(argv[i], "--threads")) threads = atoi(argv[++i]);
        else { usage(); return 2; }
    }
    (void)cli_unhex;   /* cli.h helper not needed here */
    if (!model_path) { usage(); return 2; }
    if (mtl_model_load(model_path, &m, &err) != MTL_OK) { fprintf(stderr, "mtl-predict: %s: %s\n", model_path, err.msg); return 1; }
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
        lineno++;
        if (n && line[n - 1] == '\r') line[--n] = 0;
        if (!utf8_valid((const unsigned char *)line, n)) { fprintf(stderr, "mtl-predict: <stdin>:%d: not valid UTF-8\n", lineno); status = 1; break; }
        if (json) { printf("{\"text\": "); json_str(line, n); }
        if (hc) {
            mtl_embed_options eo;
            mtl_forward_out fo;
            const char *t = line;
            double p;
            int k, best;
            float *logits = tmp + (hc->hidden > 0 ? hc->hidden : 1);
            memset(&eo, 0, sizeof eo);
            eo.pooling = hc->pooling;
            eo.normalize = -1;
            memset(&fo, 0, sizeof fo);
            fo.embeddings = emb;
            if (mtl_forward_texts(&ctx, 1, &t, &n, NULL, NULL, &eo, &fo, &err) != MTL_OK) { fprintf(stderr, "mtl-predict: <stdin>:%d: %s\n", lineno, err.msg); status = 1; break; }
            ct_head_apply(hc, emb, H, logits, tmp);
            best = ct_argmax(logits, hc->num_labels, &p);
            if (json) {
                printf(", \"class\": "); json_str(cls_names[best], strlen(cls_names[best]));
                printf(", \"probability\": %.6f, \"probabilities\": {", p);
                for (k = 0; k < hc->num_labels; k++) {
                    double q = 0.0;
                    int j;
                    for (j = 0; j < hc->num_labels; j++) q += exp((double)logits[j] - (double)logits[k]);
                    if (k) printf(", ");
                    json_str(cls_names[k], strlen(cls_names[k]));
                    printf(": %.6f", 1.0 / q);
                }
                printf("}");
            } else printf("%s %.4f", cls_names[best], p);
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
            if (json) printf(", \"entities\": [");
            else if (hc) printf("\t");
            if (nw > 0) {
                if (ct_ner_forward(&ctx, m, hn, words, wlens, nw, NULL, mtl_model_get_info(m)->max_seq_length, &al, &tpred, &tok,
                                   &tokcap, &ntmp, &err)) { fprintf(stderr, "mtl-predict: <stdin>:%d: %s\n", lineno, err.msg); status = 1; break; }
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
                                printf("%s{\"type\": ", n_ent ? ", " : ""); json_str(etype, etl);
                                printf(", \"start\": %ld, \"end\": %ld, \"text\": ", cs, ce); json_str(line + es, ee - es); printf("}");
                            } else {
                                printf("%s%.*s[%ld,%ld)\"%.*s\"", n_ent ? " " : "", (int)etl, etype, cs, ce, (int)(ee - es), line + es);
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
            if (json) printf("]");
        }
        printf(json ? "}\n" : "\n");
        fflush(stdout);
    }
    if (ll == -2) { fprintf(stderr, "mtl-predict: out of memory\n"); status = 1; }
    free(line); free(emb); free(tmp); free(tok); free(ntmp); free(tpred);
    free((void *)words); free(wlens); free(woffs); free(wtag);
    mtl_aligned_free(&al);
    mtl_ctx_free(&ctx);
    ct_free_names(cls_names); ct_free_names(ner_names);
    mtl_model_free(m);
    return status;
}
