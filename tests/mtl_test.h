/* A minimal test harness: each test binary runs functions with RUN(fn); CHECK records failures.
   Output lines, read by tests/run.sh:  "PASS name", "FAIL name: why", "SKIP name: why". */
#ifndef MTL_TEST_H
#define MTL_TEST_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int mtl_t_failures, mtl_t_skipped, mtl_t_total_fail;
static char mtl_t_skip_why[1024];

#define CHECK(cond, ...)                                                          \
    do {                                                                          \
        if (!(cond)) {                                                            \
            if (mtl_t_failures < 10) {                                            \
                fprintf(stdout, "  %s:%d: CHECK(%s) failed: ", __FILE__, __LINE__, #cond); \
                fprintf(stdout, __VA_ARGS__);                                     \
                fputc('\n', stdout);                                              \
            }                                                                     \
            mtl_t_failures++;                                                     \
        }                                                                         \
    } while (0)

/* Marks the running test as skipped (data missing) and returns from it. */
#define SKIP(...)                                                                  \
    do {                                                                          \
        snprintf(mtl_t_skip_why, sizeof mtl_t_skip_why, __VA_ARGS__);             \
        mtl_t_skipped = 1;                                                        \
        return;                                                                   \
    } while (0)

#define RUN(fn)                                                                    \
    do {                                                                          \
        mtl_t_failures = 0;                                                       \
        mtl_t_skipped = 0;                                                        \
        fn();                                                                     \
        if (mtl_t_skipped && !mtl_t_failures) printf("SKIP %s: %s\n", #fn, mtl_t_skip_why); \
        else if (mtl_t_failures) { printf("FAIL %s: %d checks failed\n", #fn, mtl_t_failures); mtl_t_total_fail++; } \
        else printf("PASS %s\n", #fn);                                            \
        fflush(stdout);                                                           \
    } while (0)

#define TEST_MAIN_END() return mtl_t_total_fail ? 1 : 0

/* The shared data folder: $MTL_SHARED or ../shared. */
static const char *mtl_t_shared(void) {
    const char *s = getenv("MTL_SHARED");
    return s && *s ? s : "../shared";
}
static const char *mtl_t_path(char *buf, size_t cap, const char *rel) {
    snprintf(buf, cap, "%s/%s", mtl_t_shared(), rel);
    return buf;
}
static int mtl_t_exists(const char *path) {
    FILE *f = fopen(path, "rb");
    if (f) fclose(f);
    return f != NULL;
}
/* Whole file into memory (NUL-terminated), or NULL. */
static char *mtl_t_read(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    char *b;
    long n;
    if (!f) return NULL;
    if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) { fclose(f); return NULL; }
    b = (char *)malloc((size_t)n + 1);
    if (b && fread(b, 1, (size_t)n, f) != (size_t)n) { free(b); b = NULL; }
    fclose(f);
    if (b) { b[n] = 0; if (len) *len = (size_t)n; }
    return b;
}
#ifdef MTL__JSON_DEFINED
/* (tokenizer tests) Compares a JSON int array node (null -> -1) with got[0..n); for 2-level arrays
   ([[a,b],...]) flat=1. */
static inline int mtl_t_json_ints_eq(const mtl__json *j, int arr, const int32_t *got, int n, int flat) {
    int c, k = 0;
    if (mtl__json_type(j, arr) != MTL__J_ARR) return 0;
    for (c = j->nodes[arr].child; c >= 0; c = j->nodes[c].next) {
        if (flat) {
            int d;
            for (d = j->nodes[c].child; d >= 0; d = j->nodes[d].next) {
                long v;
                if (k >= n || !mtl__json_int(j, d, -1, 1L << 30, &v) || v != got[k]) return 0;
                k++;
            }
        } else {
            long v = -1;
            if (k >= n) return 0;
            if (mtl__json_type(j, c) != MTL__J_NULL && !mtl__json_int(j, c, -1, 1L << 30, &v)) return 0;
            if (v != got[k]) return 0;
            k++;
        }
    }
    return k == n;
}
#endif
#endif
