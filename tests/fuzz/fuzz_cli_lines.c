/* libFuzzer target: the command-line tools' input parsing on arbitrary bytes: cli_read_line over a
   stream of lines (any length, NULs, CRs, no final newline), the UTF-8 check and U+FFFD
   sanitizing every tool applies, hex fields, and mtl-embed's line parser (parse_line: --ids with
   token types, --pair, --hex) with its message for a bad line. The first byte picks the mode.
   clang -fsanitize=fuzzer,address,undefined (make fuzz). */
#define _POSIX_C_SOURCE 200809L
#define main mtl_embed_main          /* embed.c's parser without its main */
#include "../../examples/embed.c"
#undef main

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    mtl_model_info info;
    opts o;
    FILE *f;
    char *line = NULL, *clean;
    size_t cap = 0;
    long n;
    int lines = 0;
    if (size < 1) return 0;
    memset(&info, 0, sizeof info);
    info.vocab_size = 1000 + data[0];
    info.type_vocab_size = 1 + (data[0] >> 6);
    memset(&o, 0, sizeof o);
    o.ids_mode = data[0] & 1;
    o.hex = (data[0] >> 1) & 1;
    o.pair = (data[0] >> 2) & 1;
    o.info = &info;
    f = fmemopen((void *)(data + 1), size - 1 ? size - 1 : 1, "rb");
    if (!f) return 0;
    if (size == 1) fgetc(f);                       /* an empty stream */
    while ((n = cli_read_line(f, &line, &cap)) >= 0 && lines++ < 64) {
        input x;
        char msg[256];
        size_t bad = cli_utf8_invalid(line, (size_t)n);
        memset(&x, 0, sizeof x);
        msg[0] = 0;
        clean = (char *)malloc(3 * (size_t)n + 1);
        if (clean) {
            size_t m = cli_utf8_sanitize(line, (size_t)n, clean);
            if (cli_utf8_invalid(clean, m) != 0 || (bad == 0 && (m != (size_t)n || memcmp(clean, line, (size_t)n)))) abort();
            free(clean);
        }
        if (parse_line(&o, line, (size_t)n, &x, msg, sizeof msg) == 1 && !msg[0]) abort();   /* a bad line always says why */
        input_free(&x);
    }
    free(line);
    fclose(f);
    return 0;
}
