/* mem_sizes.c - the memory a device needs for a model file, as the library computes it (README, the
   firmware size table; tests/cortex_m/sizes.sh builds it for 32-bit ARM and runs it under qemu-arm).
   usage: mem_sizes BLOB...   one line per file:
     file bytes | load memory (mtl_model_mem_bytes: mtl_load_options.mem) | arena for 1 input of 128
     tokens and for 4 of 64 (mtl_arena_bytes, 1 thread) | text memory for 1 text of 512 bytes at 128
     tokens (mtl_text_mem_bytes) */
#define MTL_BERT_IMPLEMENTATION
#include "../../mtl_bert.h"
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    int i, rc = 0;
    printf("%-40s %12s %12s %12s %12s %10s\n", "file", "bytes", "load_mem", "arena_1x128", "arena_4x64", "text_mem");
    for (i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        unsigned char *d;
        long n;
        size_t mem = 0;
        mtl_model *m = NULL;
        mtl_load_options lo;
        mtl_error err;
        if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) { fprintf(stderr, "%s: cannot read\n", argv[i]); rc = 1; if (f) fclose(f); continue; }
        d = (unsigned char *)malloc((size_t)n);
        if (!d || fread(d, 1, (size_t)n, f) != (size_t)n) { fprintf(stderr, "%s: cannot read\n", argv[i]); rc = 1; fclose(f); free(d); continue; }
        fclose(f);
        memset(&lo, 0, sizeof lo);
        if (mtl_model_mem_bytes(d, (size_t)n, &lo, &mem, &err)) { fprintf(stderr, "%s: %s\n", argv[i], err.msg); rc = 1; free(d); continue; }
        lo.mem = malloc(mem);
        lo.mem_size = mem;
        if (!lo.mem || mtl_model_from_memory_ex(d, (size_t)n, &lo, &m, &err)) { fprintf(stderr, "%s: %s\n", argv[i], err.msg); rc = 1; free(lo.mem); free(d); continue; }
        printf("%-40s %12ld %12lu %12lu %12lu %10lu\n", argv[i], n, (unsigned long)mem, (unsigned long)mtl_arena_bytes(m, 1, 128, 1),
               (unsigned long)mtl_arena_bytes(m, 4, 64, 1), (unsigned long)mtl_text_mem_bytes(1, 512, 128));
        mtl_model_free(m);
        free(lo.mem);
        free(d);
    }
    return rc;
}
