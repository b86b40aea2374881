/* bench_mtl: sentences/s of mtl_bert.h on files of texts (one per line), tokenization, forward, pooling
   and normalisation included (mtl_forward_texts with the model's defaults: mean pooling + L2 for
   all-MiniLM-L6-v2, inputs truncated to its max_seq_length).

   One-shot:  bench_mtl MODEL.gguf TEXTS.txt BATCH THREADS [REPEAT]
              -> "mtl batch=B threads=T sent/s=X (per cpu-second: Y)" (best of REPEAT passes)
   Worker:    bench_mtl --serve MODEL.gguf      (used by bench/embed/bench.py: the model and one context per
              thread count stay loaded between cells, as the peers' sessions do). Commands on stdin, one
              reply line each on stdout ("ok ..." or "error ..."):
                load NAME FILE                  -> ok n=N              texts of FILE, one per line
                run NAME BATCH THREADS [COUNT]  -> ok seconds=S cpu=C tokens=T truncated=K
                                                   (one pass over NAME, or its first COUNT texts, in file
                                                   order, batches of BATCH)
                embed NAME BATCH THREADS COUNT OUT  -> ok n=COUNT dim=H  (float32 embeddings of the first
                                                   COUNT texts written to OUT, batches of BATCH)
                quit
   Build with the flags of `make`: make build/bench/bench_mtl */
#define _POSIX_C_SOURCE 199309L
#define MTL_BERT_IMPLEMENTATION
#include "../../mtl_bert.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_CORPORA 16
#define MAX_THREADS 64

typedef struct corpus {
    char name[64];
    char *buf;
    char **lines;
    size_t n;
} corpus;

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static double cpu_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Reads FILE into c: one text per line (a final newline is not an empty text). 0 on success. */
static int corpus_read(corpus *c, const char *path) {
    FILE *fp = fopen(path, "rb");
    size_t cap = 1024, len;
    long sz;
    char *p;
    if (!fp) return 1;
    if (fseek(fp, 0, SEEK_END) != 0 || (sz = ftell(fp)) < 0 || fseek(fp, 0, SEEK_SET) != 0) { fclose(fp); return 1; }
    len = (size_t)sz;
    c->buf = (char *)malloc(len + 1);
    c->lines = (char **)malloc(cap * sizeof(char *));
    if (!c->buf || !c->lines || fread(c->buf, 1, len, fp) != len) { fclose(fp); return 1; }
    fclose(fp);
    c->buf[len] = 0;
    c->n = 0;
    for (p = c->buf; *p;) {
        char *e = strchr(p, '\n');
        if (e) *e = 0;
        if (c->n == cap) {
            char **nl = (char **)realloc(c->lines, 2 * cap * sizeof(char *));
            if (!nl) return 1;
            c->lines = nl;
            cap *= 2;
        }
        c->lines[c->n++] = p;
        if (!e) break;
        p = e + 1;
    }
    return 0;
}

static void corpus_free(corpus *c) {
    free(c->buf);
    free(c->lines);
    memset(c, 0, sizeof *c);
}

/* One pass over the first n texts of c in batches of `batch`; embeddings of the batch go to emb
   (emb_all: all of them, n x H, else emb is reused per batch). */
static int run_pass(mtl_ctx *ctx, const corpus *c, size_t n, int batch, float *emb, int emb_all, int H,
                    long *tokens, long *truncated, mtl_error *err) {
    size_t i;
    *tokens = 0;
    *truncated = 0;
    for (i = 0; i < n; i += (size_t)batch) {
        mtl_forward_out out;
        int nb = (int)(n - i < (size_t)batch ? n - i : (size_t)batch);
        memset(&out, 0, sizeof out);
        out.embeddings = emb_all ? emb + i * (size_t)H : emb;
        if (mtl_forward_texts(ctx, nb, (const char *const *)c->lines + i, NULL, NULL, NULL, NULL, &out, err)) return 1;
        *tokens += out.n_tokens;
        *truncated += out.n_truncated;
    }
    return 0;
}

static int one_shot(int argc, char **argv) {
    mtl_model *m;
    mtl_ctx ctx;
    mtl_ctx_options co;
    mtl_error err;
    corpus c;
    int batch, threads, repeat, r, H;
    long tokens, trunc;
    float *emb;
    double t0, c0, best = 1e30, cbest = 1e30;
    batch = atoi(argv[3]);
    threads = atoi(argv[4]);
    repeat = argc > 5 ? atoi(argv[5]) : 3;
    if (batch < 1 || threads < 1 || repeat < 1) { fprintf(stderr, "bench_mtl: bad BATCH/THREADS/REPEAT\n"); return 2; }
    if (getenv("MTL_BENCH_CALLER_MEM") && !strcmp(getenv("MTL_BENCH_CALLER_MEM"), "1")) {   /* the firmware load: weights in place in their stored type, no repack */
        mtl_load_options lo;
        FILE *f = fopen(argv[1], "rb");
        long n;
        unsigned char *d;
        if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) { fprintf(stderr, "bench_mtl: cannot read %s\n", argv[1]); return 1; }
        d = (unsigned char *)malloc((size_t)n);
        if (!d || fread(d, 1, (size_t)n, f) != (size_t)n) { fprintf(stderr, "bench_mtl: cannot read %s\n", argv[1]); return 1; }
        fclose(f);
        memset(&lo, 0, sizeof lo);
        if (mtl_model_mem_bytes(d, (size_t)n, &lo, &lo.mem_size, &err) || !(lo.mem = malloc(lo.mem_size)) ||
            mtl_model_from_memory_ex(d, (size_t)n, &lo, &m, &err)) { fprintf(stderr, "bench_mtl: %s\n", err.msg); return 1; }
        fprintf(stderr, "bench_mtl: caller-memory load (%lu bytes of load memory)\n", (unsigned long)lo.mem_size);   /* d and lo.mem: kept to the end */
    } else if (mtl_model_load(argv[1], &m, &err)) { fprintf(stderr, "bench_mtl: %s\n", err.msg); return 1; }
    memset(&c, 0, sizeof c);
    if (corpus_read(&c, argv[2])) { fprintf(stderr, "bench_mtl: cannot read %s\n", argv[2]); return 1; }
    H = mtl_model_get_info(m)->hidden_size;
    emb = (float *)malloc((size_t)batch * (size_t)H * sizeof(float));
    memset(&co, 0, sizeof co);
    co.n_threads = threads;
    if (!emb || mtl_ctx_init(&ctx, m, &co)) { fprintf(stderr, "bench_mtl: cannot make a context\n"); return 1; }
    for (r = 0; r < repeat; r++) {
        t0 = now();
        c0 = cpu_now();
        if (run_pass(&ctx, &c, c.n, batch, emb, 0, H, &tokens, &trunc, &err)) { fprintf(stderr, "bench_mtl: %s\n", err.msg); return 1; }
        t0 = now() - t0;
        c0 = cpu_now() - c0;
        if (t0 < best) best = t0;
        if (c0 < cbest) cbest = c0;
    }
    printf("mtl batch=%d threads=%d sent/s=%.1f (per cpu-second: %.1f)\n", batch, threads, (double)c.n / best, (double)c.n / cbest);
    mtl_ctx_free(&ctx);
    mtl_model_free(m);
    free(emb);
    corpus_free(&c);
    return 0;
}

static int serve(const char *model_path) {
    mtl_model *m;
    mtl_error err;
    mtl_ctx ctx[MAX_THREADS + 1];
    int have_ctx[MAX_THREADS + 1];
    corpus corp[MAX_CORPORA];
    int n_corp = 0, H, k;
    float *emb = NULL;
    size_t emb_cap = 0;
    char line[4096];
    if (mtl_model_load(model_path, &m, &err)) { printf("error %s\n", err.msg); return 1; }
    H = mtl_model_get_info(m)->hidden_size;
    memset(have_ctx, 0, sizeof have_ctx);
    memset(corp, 0, sizeof corp);
    printf("ok hidden=%d\n", H);
    fflush(stdout);
    while (fgets(line, sizeof line, stdin)) {
        char cmd[16], name[64], path[3000];
        int batch = 0, threads = 0, count = 0;
        corpus *c = NULL;
        line[strcspn(line, "\r\n")] = 0;
        if (sscanf(line, "%15s", cmd) != 1) continue;
        if (!strcmp(cmd, "quit")) break;
        if (!strcmp(cmd, "load")) {
            if (sscanf(line, "%*s %63s %2999s", name, path) != 2) { printf("error usage: load NAME FILE\n"); goto next; }
            for (k = 0; k < n_corp; k++)
                if (!strcmp(corp[k].name, name)) { corpus_free(&corp[k]); c = &corp[k]; break; }
            if (!c) {
                if (n_corp == MAX_CORPORA) { printf("error too many corpora\n"); goto next; }
                c = &corp[n_corp++];
            }
            if (corpus_read(c, path)) { printf("error cannot read %s\n", path); goto next; }
            strcpy(c->name, name);
            printf("ok n=%zu\n", c->n);
            goto next;
        }
        if (!strcmp(cmd, "run") || !strcmp(cmd, "embed")) {
            int embed = !strcmp(cmd, "embed");
            long tokens, trunc;
            size_t n, need;
            double t0, c0, t1, c1;
            FILE *fo;
            if ((embed ? sscanf(line, "%*s %63s %d %d %d %2999s", name, &batch, &threads, &count, path) != 5
                       : sscanf(line, "%*s %63s %d %d %d", name, &batch, &threads, &count) < 3) ||
                batch < 1 || threads < 1 || threads > MAX_THREADS || count < 0) {
                printf("error usage: run NAME BATCH THREADS [COUNT] | embed NAME BATCH THREADS COUNT OUT\n");
                goto next;
            }
            for (k = 0; k < n_corp; k++)
                if (!strcmp(corp[k].name, name)) c = &corp[k];
            if (!c) { printf("error no corpus %s\n", name); goto next; }
            n = count > 0 && (size_t)count < c->n ? (size_t)count : c->n;
            need = (embed ? n : (size_t)batch) * (size_t)H;
            if (need > emb_cap) {
                float *ne = (float *)realloc(emb, need * sizeof(float));
                if (!ne) { printf("error out of memory\n"); goto next; }
                emb = ne;
                emb_cap = need;
            }
            if (!have_ctx[threads]) {
                mtl_ctx_options co;
                memset(&co, 0, sizeof co);
                co.n_threads = threads;
                if (mtl_ctx_init(&ctx[threads], m, &co)) { printf("error cannot make a context\n"); goto next; }
                have_ctx[threads] = 1;
            }
            t0 = now();
            c0 = cpu_now();
            if (run_pass(&ctx[threads], c, n, batch, emb, embed, H, &tokens, &trunc, &err)) { printf("error %s\n", err.msg); goto next; }
            t1 = now();
            c1 = cpu_now();
            if (embed) {
                fo = fopen(path, "wb");
                if (!fo || fwrite(emb, sizeof(float), n * (size_t)H, fo) != n * (size_t)H || fclose(fo) != 0) {
                    printf("error cannot write %s\n", path);
                    goto next;
                }
                printf("ok n=%zu dim=%d\n", n, H);
            } else {
                printf("ok seconds=%.9f cpu=%.9f tokens=%ld truncated=%ld\n", t1 - t0, c1 - c0, tokens, trunc);
            }
            goto next;
        }
        printf("error unknown command %s\n", cmd);
    next:
        fflush(stdout);
    }
    for (k = 0; k <= MAX_THREADS; k++)
        if (have_ctx[k]) mtl_ctx_free(&ctx[k]);
    for (k = 0; k < n_corp; k++) corpus_free(&corp[k]);
    free(emb);
    mtl_model_free(m);
    return 0;
}

int main(int argc, char **argv) {
    if (argc == 3 && !strcmp(argv[1], "--serve")) return serve(argv[2]);
    if (argc >= 5) return one_shot(argc, argv);
    fprintf(stderr, "usage: bench_mtl MODEL TEXTS BATCH THREADS [REPEAT]\n       bench_mtl --serve MODEL\n");
    return 2;
}
