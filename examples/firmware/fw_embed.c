/* fw_embed.c - mtl on a microcontroller: sentence embeddings from a model linked into flash.

   What a firmware build needs (this file is both the example and the program `make test-cortex-m`
   runs on a QEMU-emulated Cortex-M4F, tests/cortex_m/):
     - the model blob (build/weights_convert HF_DIR model.gguf [--dtype f16]) linked into flash as
       read-only data, 32-byte aligned (tests/cortex_m/model.S: .incbin); mtl_model_from_memory uses
       it in place (f32 tensors are not copied; f16 ones are widened once into owned memory);
     - -DMTL_NO_STDIO -DMTL_NO_THREADS; the library never prints, exits or reads files;
     - all scratch of a forward in ONE static arena of mtl_arena_bytes(model, batch, max_len, 1) bytes
       (checked at run time against FW_ARENA_BYTES);
     - MTL_MALLOC / MTL_REALLOC / MTL_FREE defined (all three) before the implementation: here they
       count every call and serve it from a static bump heap of FW_HEAP_BYTES (0: no heap at all, every
       call fails). The loader still allocates today (model struct, tokenizer tables, widened f16,
       repacked weights); text inputs use a small per-context encoding buffer.

   Output: one line per fact, floats as the hex of their IEEE-754 bits (exact; tests/cortex_m/
   fw_compare.c reads them). On a Cortex-M (no OS) lines go out through semihosting (SYS_WRITE0, in
   tests/cortex_m/startup.S); on a host (the reference build of the same file) to stdout.

   Switches (-D):
     FW_TEXTS=1              also tokenize and embed texts (0: token-id inputs only: the smallest program)
     FW_REQUIRE_ZERO_HEAP=1  fail unless the whole run made zero allocator calls (MTL_MALLOC, MTL_REALLOC,
                             MTL_FREE of a non-NULL pointer). `make test-cortex-m` passes 0 for now.
     FW_HEAP_BYTES           most bytes the bump heap behind the hooks may use (0 = no heap: every call
                             fails); bare metal: at most what the linker script leaves (__fw_heap_start
                             .. __fw_heap_end), host: a static array of this size (default 24 MB)
     FW_ARENA_BYTES          the static forward arena (default 320 KB)
*/
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifndef FW_TEXTS
#define FW_TEXTS 1
#endif
#ifndef FW_REQUIRE_ZERO_HEAP
#define FW_REQUIRE_ZERO_HEAP 1
#endif
#ifndef FW_HEAP_BYTES   /* bare metal: all the linker script gives (the rest of the PSRAM); host: 24 MB */
#if defined(__ARM_ARCH_PROFILE) && __ARM_ARCH_PROFILE == 'M'
#define FW_HEAP_BYTES ((size_t)-1)
#else
#define FW_HEAP_BYTES (24u * 1024u * 1024u)
#endif
#endif
#ifndef FW_ARENA_BYTES
#define FW_ARENA_BYTES (320u * 1024u)
#endif
#ifndef FW_TEXT_MEM_BYTES
#define FW_TEXT_MEM_BYTES (40u * 1024u)   /* mtl_text_mem_bytes(FW_BATCH, FW_MAX_TEXT, FW_MAX_LEN) */
#endif
#define FW_MAX_TEXT 512  /* bytes per text */
#define FW_BATCH 4      /* inputs per call                        */
#define FW_MAX_LEN 64   /* tokens per input (texts are truncated) */
#define FW_MAX_H 384    /* largest hidden size this program takes */
#define FW_MAX_TOKENS 32 /* token states kept of the first id call */

#if defined(__ARM_ARCH_PROFILE) && __ARM_ARCH_PROFILE == 'M'
#define FW_BARE_METAL 1
void fw_sh_write0(const char *s);   /* tests/cortex_m/startup.S: semihosting SYS_WRITE0 */
extern const uint32_t __stack_limit[], __stack_top[];   /* the linker script; startup.S paints the stack */
#else
#define FW_BARE_METAL 0
#include <stdio.h>
#endif

/* ---- the allocator hooks: count, then serve from a static bump heap ---------------------------- */
/* A stack-like bump heap: blocks are carved one after the other; freeing the last block (and any
   freed blocks below it) gives the memory back, a block freed in the middle stays until then. */
typedef struct fw_heap_stats {
    unsigned long mallocs, reallocs, frees, free_nulls, failed;
    size_t bytes;           /* requested by MTL_MALLOC + MTL_REALLOC                                 */
    size_t top, peak;       /* bump pointer, its high-water mark: the heap this run needed            */
    size_t live, live_peak; /* bytes of the blocks not freed: what any allocator would need at least */
    size_t last;            /* offset of the last block's header (FW_NONE: none)                      */
} fw_heap_stats;
typedef struct fw_hdr { size_t n, prev, freed; } fw_hdr;
#define FW_NONE ((size_t)-1)
#define FW_ALIGN 32u
#define FW_HDR 32u          /* the header, rounded up: blocks stay FW_ALIGN-aligned */
static fw_heap_stats fw_hs = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, FW_NONE};
#if FW_BARE_METAL   /* the heap is what the linker script leaves of the external RAM, capped by FW_HEAP_BYTES */
extern unsigned char __fw_heap_start[], __fw_heap_end[];
#define fw_heap __fw_heap_start
#define FW_HEAP_AVAIL ((size_t)(__fw_heap_end - __fw_heap_start))
#else
static unsigned char fw_heap[FW_HEAP_BYTES > 0 ? FW_HEAP_BYTES : 1] __attribute__((aligned(32)));
#define FW_HEAP_AVAIL ((size_t)FW_HEAP_BYTES)
#endif
static size_t fw_heap_cap;   /* set by fw_run: min(FW_HEAP_AVAIL, FW_HEAP_BYTES) */

static size_t fw_round(size_t n) { return (n + FW_ALIGN - 1) & ~(size_t)(FW_ALIGN - 1); }
static fw_hdr *fw_h(size_t off) { return (fw_hdr *)(void *)(fw_heap + off); }
static size_t fw_off(const void *p) { return (size_t)((const unsigned char *)p - fw_heap) - FW_HDR; }
static void fw_grew(void) {
    if (fw_hs.top > fw_hs.peak) fw_hs.peak = fw_hs.top;
    if (fw_hs.live > fw_hs.live_peak) fw_hs.live_peak = fw_hs.live;
}
static void *fw_bump(size_t n) {
    size_t off = fw_hs.top;
    fw_hdr *h;
    if (n > fw_heap_cap || FW_HDR + fw_round(n) > fw_heap_cap - off) { fw_hs.failed++; return NULL; }
    h = fw_h(off);
    h->n = n; h->prev = fw_hs.last; h->freed = 0;
    fw_hs.last = off;
    fw_hs.top = off + FW_HDR + fw_round(n);
    fw_hs.live += n;
    fw_grew();
    return fw_heap + off + FW_HDR;
}
static void fw_release(void *p) {   /* mark free; pop freed blocks off the top */
    fw_h(fw_off(p))->freed = 1;
    fw_hs.live -= fw_h(fw_off(p))->n;
    while (fw_hs.last != FW_NONE && fw_h(fw_hs.last)->freed) {
        fw_hs.top = fw_hs.last;
        fw_hs.last = fw_h(fw_hs.last)->prev;
    }
}
static void *fw_malloc(size_t n) {
    fw_hs.mallocs++;
    fw_hs.bytes += n;
    return fw_bump(n);
}
static void fw_free(void *p) {
    if (!p) { fw_hs.free_nulls++; return; }
    fw_hs.frees++;
    fw_release(p);
}
static void *fw_realloc(void *p, size_t n) {
    void *q;
    size_t off, old;
    fw_hs.reallocs++;
    fw_hs.bytes += n;
    if (!p) return fw_bump(n);
    off = fw_off(p);
    old = fw_h(off)->n;
    if (off == fw_hs.last) {   /* the last block: grow or shrink in place */
        if (n > fw_heap_cap || FW_HDR + fw_round(n) > fw_heap_cap - off) { fw_hs.failed++; return NULL; }
        fw_h(off)->n = n;
        fw_hs.top = off + FW_HDR + fw_round(n);
        fw_hs.live = fw_hs.live - old + n;
        fw_grew();
        return p;
    }
    q = fw_bump(n);
    if (!q) return NULL;
    memcpy(q, p, old < n ? old : n);
    fw_release(p);
    return q;
}

#define MTL_MALLOC(sz) fw_malloc(sz)
#define MTL_REALLOC(p, sz) fw_realloc(p, sz)
#define MTL_FREE(p) fw_free(p)
#define MTL_BERT_IMPLEMENTATION
#include "mtl_bert.h"

/* ---- output: a line buffer, integers, hex words ------------------------------------------------ */
static char fw_buf[2048];
static size_t fw_n;
static void fw_c(char c) { if (fw_n + 2 < sizeof fw_buf) fw_buf[fw_n++] = c; }
static void fw_s(const char *s) { while (*s) fw_c(*s++); }
static void fw_u(unsigned long long v) {
    char t[24];
    int k = 0;
    do { t[k++] = (char)('0' + (int)(v % 10)); v /= 10; } while (v);
    while (k) fw_c(t[--k]);
}
static void fw_x(uint32_t v) {
    int k;
    for (k = 28; k >= 0; k -= 4) fw_c("0123456789abcdef"[(v >> k) & 15u]);
}
static void fw_end(void) {
    fw_buf[fw_n++] = '\n';
    fw_buf[fw_n] = 0;
#if FW_BARE_METAL
    fw_sh_write0(fw_buf);
#else
    fputs(fw_buf, stdout);
#endif
    fw_n = 0;
}
static void fw_kv(const char *k, unsigned long long v) { fw_c(' '); fw_s(k); fw_c('='); fw_u(v); }

/* "vec LABEL x0 x1 ...": floats as the hex of their bits */
static void fw_vec(const char *label, int idx, const float *v, int n) {
    int i;
    fw_s("vec "); fw_s(label); fw_c('.'); fw_u((unsigned)idx);
    for (i = 0; i < n; i++) {
        uint32_t b;
        memcpy(&b, &v[i], sizeof b);
        fw_c(' ');
        fw_x(b);
    }
    fw_end();
}
static void fw_heap_line(const char *phase) {
    fw_s("heap "); fw_s(phase);
    fw_kv("malloc", fw_hs.mallocs); fw_kv("realloc", fw_hs.reallocs); fw_kv("free", fw_hs.frees);
    fw_kv("free_null", fw_hs.free_nulls); fw_kv("failed", fw_hs.failed);
    fw_kv("bytes", fw_hs.bytes); fw_kv("live", fw_hs.live); fw_kv("live_peak", fw_hs.live_peak);
    fw_kv("bump_peak", fw_hs.peak); fw_kv("bump_top", fw_hs.top);
    fw_end();
}
#if FW_BARE_METAL
static void fw_stack_line(void) {   /* the stack's high-water mark: the first word no longer painted */
    const uint32_t *w = __stack_limit;
    while (w < __stack_top && *w == 0x5AC0FFEEu) w++;
    fw_s("stack"); fw_kv("used", (size_t)(__stack_top - w) * 4u); fw_kv("size", (size_t)(__stack_top - __stack_limit) * 4u); fw_end();
}
#else
static void fw_stack_line(void) {}
#endif
static int fw_fail(const char *what, const mtl_error *e) {
    fw_s("fw: FAIL "); fw_s(what);
    if (e) { fw_s(": "); fw_s(e->msg); }
    fw_end();
    fw_heap_line("at-failure");
    return 1;
}

/* ---- the model (tests/cortex_m/model.S) and the static arena --------------------------------- */
extern const unsigned char fw_model[], fw_model_end[];
static unsigned char fw_arena[FW_ARENA_BYTES] __attribute__((aligned(64)));
#if FW_TEXTS && FW_REQUIRE_ZERO_HEAP
static unsigned char fw_textmem[FW_TEXT_MEM_BYTES] __attribute__((aligned(64)));
#endif
static float fw_emb[FW_BATCH * FW_MAX_H];
static float fw_tok[FW_MAX_TOKENS * FW_MAX_H];   /* token states of the first id call */

/* token-id inputs: [CLS] ... [SEP] (tiny-random-bert: bert-base-uncased's vocabulary) */
static const int32_t fw_ids0[] = {101, 7592, 1010, 2088, 999, 102};
static const int32_t fw_ids1[] = {101, 1996, 4937, 7719, 2006, 1996, 13523, 1012, 102};
static const int32_t fw_ids2[] = {101, 2054, 2003, 2023, 1029, 102, 2009, 2003, 1037, 3231, 1012, 102};
static const int32_t fw_typ2[] = {0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1};
static const int32_t fw_ids3[] = {101, 102};

static int fw_run(void) {
    mtl_model *m = NULL;
    mtl_ctx ctx;
    mtl_ctx_options co;
    mtl_load_options lo;
    mtl_embed_options eo;
    mtl_forward_out out;
    mtl_error err;
    mtl_seq seqs[FW_BATCH];
    const mtl_model_info *info;
    size_t need, blob = (size_t)(fw_model_end - fw_model);
    int H, i, rc = 0;

    fw_s("fw: start"); fw_kv("blob", blob); fw_kv("texts", FW_TEXTS); fw_kv("require_zero_heap", FW_REQUIRE_ZERO_HEAP);
    fw_heap_cap = FW_HEAP_AVAIL < (size_t)FW_HEAP_BYTES ? FW_HEAP_AVAIL : (size_t)FW_HEAP_BYTES;
    fw_kv("heap_bytes", fw_heap_cap); fw_kv("arena_bytes", FW_ARENA_BYTES); fw_end();

    /* load: in place from flash. The checksum is verified (a firmware image with its own CRC would
       set lo.skip_checksum = 1). With FW_REQUIRE_ZERO_HEAP the model's tables (and f16 weights widened
       to f32) go into caller memory - the external RAM region the bump heap had - and the hooks get no
       heap at all: any MTL_MALLOC / MTL_REALLOC fails and is counted. */
    memset(&lo, 0, sizeof lo);
#if FW_REQUIRE_ZERO_HEAP
    lo.mem = fw_heap;
    lo.mem_size = fw_heap_cap;
    fw_heap_cap = 0;
#endif
    if (mtl_model_from_memory_ex(fw_model, blob, &lo, &m, &err)) return fw_fail("mtl_model_from_memory_ex", &err);
    info = mtl_model_get_info(m);
    H = info->hidden_size;
    fw_s("model"); fw_kv("vocab", (unsigned)info->vocab_size); fw_kv("hidden", (unsigned)H);
    fw_kv("layers", (unsigned)info->n_layers); fw_kv("heads", (unsigned)info->n_heads);
    fw_kv("pooling", (unsigned)info->pooling); fw_kv("normalize", (unsigned)info->normalize);
    fw_kv("checksum", (unsigned)info->checksum); fw_end();
    fw_heap_line("load");
    if (H > FW_MAX_H || H < 8) { mtl_model_free(m); return fw_fail("hidden size outside what this program takes", NULL); }

    /* the arena: all scratch of a forward of FW_BATCH inputs of FW_MAX_LEN tokens */
    need = mtl_arena_bytes(m, FW_BATCH, FW_MAX_LEN, 1);
    fw_s("arena"); fw_kv("need", need); fw_kv("have", sizeof fw_arena); fw_kv("batch", FW_BATCH); fw_kv("max_len", FW_MAX_LEN); fw_end();
    if (need > sizeof fw_arena) { mtl_model_free(m); return fw_fail("FW_ARENA_BYTES is below mtl_arena_bytes", NULL); }
    memset(&co, 0, sizeof co);
    co.arena = fw_arena;
    co.arena_size = sizeof fw_arena;
    co.n_threads = 1;
#if FW_TEXTS && FW_REQUIRE_ZERO_HEAP
    /* the text path's buffers (tokenizer, the texts' ids): FW_BATCH texts of up to FW_MAX_TEXT bytes */
    need = mtl_text_mem_bytes(FW_BATCH, FW_MAX_TEXT, FW_MAX_LEN);
    fw_s("text_mem"); fw_kv("need", need); fw_kv("have", sizeof fw_textmem); fw_end();
    if (need > sizeof fw_textmem) { mtl_model_free(m); return fw_fail("FW_TEXT_MEM_BYTES is below mtl_text_mem_bytes", NULL); }
    co.text_mem = fw_textmem;
    co.text_mem_size = sizeof fw_textmem;
#endif
    if (mtl_ctx_init(&ctx, m, &co)) { err = ctx.err; mtl_model_free(m); return fw_fail("mtl_ctx_init", &err); }

    /* token ids: one batch, the model's pooling (mean + L2), with the token states */
    memset(seqs, 0, sizeof seqs);
    seqs[0].ids = fw_ids0; seqs[0].n = (int)(sizeof fw_ids0 / sizeof fw_ids0[0]);
    seqs[1].ids = fw_ids1; seqs[1].n = (int)(sizeof fw_ids1 / sizeof fw_ids1[0]);
    seqs[2].ids = fw_ids2; seqs[2].type_ids = fw_typ2; seqs[2].n = (int)(sizeof fw_ids2 / sizeof fw_ids2[0]);
    seqs[3].ids = fw_ids3; seqs[3].n = 2;
    memset(&out, 0, sizeof out);
    out.embeddings = fw_emb;
    out.tokens = fw_tok;
    if (seqs[0].n + seqs[1].n + seqs[2].n + seqs[3].n > FW_MAX_TOKENS) rc = fw_fail("FW_MAX_TOKENS is too small", NULL);
    else if (mtl_forward(&ctx, seqs, FW_BATCH, NULL, &out, &err)) rc = fw_fail("mtl_forward (ids)", &err);
    else {
        fw_s("tok ids"); fw_kv("n_tokens", (unsigned)out.n_tokens); fw_kv("truncated", (unsigned)out.n_truncated); fw_end();
        for (i = 0; i < FW_BATCH; i++) fw_vec("ids", i, fw_emb + (size_t)i * (size_t)H, H);
        for (i = 0; i < out.n_tokens; i++) fw_vec("ids_tokens", i, fw_tok + (size_t)i * (size_t)H, H);
    }
    /* the same inputs, [CLS] pooling, not normalised */
    if (!rc) {
        memset(&eo, 0, sizeof eo);
        eo.pooling = MTL_POOL_CLS;
        eo.normalize = -1;
        memset(&out, 0, sizeof out);
        out.embeddings = fw_emb;
        if (mtl_forward(&ctx, seqs, 3, &eo, &out, &err)) rc = fw_fail("mtl_forward (ids, cls)", &err);
        else for (i = 0; i < 3; i++) fw_vec("ids_cls", i, fw_emb + (size_t)i * (size_t)H, H);
    }
    fw_heap_line("ids");
#ifdef MTL_NO_TOKENIZER
    if (!rc) {   /* an ids-only build: no tokenizer, and a text call says so */
        float e1[FW_MAX_H];
        if (mtl_model_tokenizer(m) != NULL) rc = fw_fail("MTL_NO_TOKENIZER: the model has a tokenizer", NULL);
        else if (mtl_embed(&ctx, "text", 4, e1, &err) != MTL_ERR_UNSUPPORTED) rc = fw_fail("MTL_NO_TOKENIZER: mtl_embed did not refuse", NULL);
        else { fw_s("no tokenizer: mtl_embed refused"); fw_end(); }
    }
#endif

#if FW_TEXTS
    if (!rc) {   /* texts: tokenized on the device, a batch and a pair */
        static const char *const texts[FW_BATCH] = {
            "Hello, world!", "The cat sits on the mat.",
            "Na\xc3\xaf" "ve caf\xc3\xa9 fa\xc3\xa7" "ade, \xe6\x9d\xb1\xe4\xba\xac and \xc3\x9c" "ber-STRASSE!",
            "A sentence long enough to be cut: one two three four five six seven eight nine ten eleven "
            "twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty twenty-one "
            "twenty-two twenty-three twenty-four twenty-five twenty-six twenty-seven twenty-eight, and then "
            "more words again: thirty-one, thirty-two, thirty-three, thirty-four, thirty-five, thirty-six."};
        static const char *const qa[1] = {"What is the capital of France?"};
        static const char *const qb[1] = {"Paris is the capital and largest city of France."};
        memset(&eo, 0, sizeof eo);
        eo.max_length = FW_MAX_LEN;
        memset(&out, 0, sizeof out);
        out.embeddings = fw_emb;
        if (mtl_forward_texts(&ctx, FW_BATCH, texts, NULL, NULL, NULL, &eo, &out, &err)) rc = fw_fail("mtl_forward_texts", &err);
        else {
            fw_s("tok texts"); fw_kv("n_tokens", (unsigned)out.n_tokens); fw_kv("truncated", (unsigned)out.n_truncated); fw_end();
            for (i = 0; i < FW_BATCH; i++) fw_vec("texts", i, fw_emb + (size_t)i * (size_t)H, H);
        }
        if (!rc) {
            memset(&out, 0, sizeof out);
            out.embeddings = fw_emb;
            if (mtl_forward_texts(&ctx, 1, qa, NULL, qb, NULL, &eo, &out, &err)) rc = fw_fail("mtl_forward_texts (pair)", &err);
            else {
                fw_s("tok pair"); fw_kv("n_tokens", (unsigned)out.n_tokens); fw_end();
                fw_vec("pair", 0, fw_emb, H);
            }
        }
        if (!rc) {
            const char *t = "Embedded systems run BERT too.";
            if (mtl_embed(&ctx, t, strlen(t), fw_emb, &err)) rc = fw_fail("mtl_embed", &err);
            else fw_vec("embed", 0, fw_emb, H);
        }
        fw_heap_line("texts");
    }
#endif
    mtl_ctx_free(&ctx);
    mtl_model_free(m);
    fw_heap_line("end");
    fw_stack_line();
    if (rc) return rc;
    if (fw_hs.mallocs + fw_hs.reallocs + fw_hs.frees) {
        fw_s("fw: allocator calls"); fw_kv("total", fw_hs.mallocs + fw_hs.reallocs + fw_hs.frees);
        fw_s(FW_REQUIRE_ZERO_HEAP ? " (FW_REQUIRE_ZERO_HEAP=1: fail)" : " (FW_REQUIRE_ZERO_HEAP=0: allowed)"); fw_end();
        if (FW_REQUIRE_ZERO_HEAP) return fw_fail("the run used the allocator", NULL);
    }
    fw_s("fw: PASS"); fw_end();
    return 0;
}

int main(void) { return fw_run(); }
