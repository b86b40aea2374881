/* mtl-tokenize: tokenize stdin lines with a Hugging Face model folder's tokenizer.

   build/mtl-tokenize --model-dir DIR [--hex] [--pair] [--no-special] [--max-length N] [--offsets] [--word-ids]

   One input per line: the text (with --hex: the hex of its UTF-8 bytes; an empty line is the empty
   text); with --pair two such fields separated by a TAB. One output line per input: the ids separated
   by spaces; with --pair a TAB and the token type ids; with --offsets a TAB and start:end byte offsets;
   with --word-ids a TAB and the word ids (-1 for special tokens). */
#define MTL_TOKENIZER_IMPLEMENTATION
#include "../mtl_tokenizer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void usage(void) {
    fprintf(stderr, "usage: mtl-tokenize --model-dir DIR [--hex] [--pair] [--no-special] [--max-length N] [--offsets] [--word-ids]\n");
}


int main(int argc, char **argv) {
    const char *dir = NULL;
    int hex = 0, pair = 0, offsets = 0, word_ids = 0, i, lineno = 0, rc = 0;
    mtl_encode_options eo;
    mtl_tokenizer *tok;
    mtl_encoding enc;
    mtl_error err;
    char *line = NULL;
    size_t cap = 0;
    long n;

    memset(&eo, 0, sizeof eo);
    memset(&enc, 0, sizeof enc);
    for (i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--model-dir") && i + 1 < argc) dir = argv[++i];
        else if (!strcmp(argv[i], "--hex")) hex = 1;
        else if (!strcmp(argv[i], "--pair")) pair = 1;
        else if (!strcmp(argv[i], "--no-special")) eo.no_special_tokens = 1;
        else if (!strcmp(argv[i], "--offsets")) offsets = 1;
        else if (!strcmp(argv[i], "--word-ids")) word_ids = 1;
        else if (!strcmp(argv[i], "--max-length") && i + 1 < argc) {
            char *end;
            long v = strtol(argv[++i], &end, 10);
            if (*end || v <= 0 || v > 1000000000L) { fprintf(stderr, "mtl-tokenize: bad --max-length '%s'\n", argv[i]); return 2; }
            eo.max_length = (int)v;
        } else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) { usage(); return 0; }
        else { fprintf(stderr, "mtl-tokenize: unknown or incomplete option '%s'\n", argv[i]); usage(); return 2; }
    }
    if (!dir) { usage(); return 2; }
    if (mtl_tokenizer_load_dir(dir, NULL, &tok, &err)) {
        fprintf(stderr, "mtl-tokenize: %s\n", err.msg);
        return 1;
    }
    while ((n = cli_read_line(stdin, &line, &cap)) >= 0) {
        char *a = line, *b = NULL;
        size_t alen = (size_t)n, blen = 0;
        mtl_result r;
        int k;
        lineno++;
        if (n > 0 && line[n - 1] == '\r' && hex) alen--;
        if (pair) {
            char *tab = (char *)memchr(line, '\t', alen);
            if (!tab) { fprintf(stderr, "mtl-tokenize: line %d: --pair needs two fields separated by a TAB\n", lineno); rc = 1; break; }
            b = tab + 1;
            blen = alen - (size_t)(b - line);
            alen = (size_t)(tab - line);
        }
        if (hex) {
            long la = cli_unhex(a, alen), lb = b ? cli_unhex(b, blen) : 0;
            if (la < 0 || lb < 0) { fprintf(stderr, "mtl-tokenize: line %d: bad hex\n", lineno); rc = 1; break; }
            alen = (size_t)la;
            blen = (size_t)lb;
        }
        r = pair ? mtl_encode_pair(tok, a, alen, b, blen, &eo, &enc, &err) : mtl_encode(tok, a, alen, &eo, &enc, &err);
        if (r) { fprintf(stderr, "mtl-tokenize: line %d: %s\n", lineno, err.msg); rc = 1; break; }
        for (k = 0; k < enc.n; k++) printf(k ? " %d" : "%d", (int)enc.ids[k]);
        if (pair) {
            putchar('\t');
            for (k = 0; k < enc.n; k++) printf(k ? " %d" : "%d", (int)enc.type_ids[k]);
        }
        if (offsets) {
            putchar('\t');
            for (k = 0; k < enc.n; k++) printf(k ? " %d:%d" : "%d:%d", (int)enc.offsets[2 * k], (int)enc.offsets[2 * k + 1]);
        }
        if (word_ids) {
            putchar('\t');
            for (k = 0; k < enc.n; k++) printf(k ? " %d" : "%d", (int)enc.word_ids[k]);
        }
        putchar('\n');
    }
    if (n == -2) { fprintf(stderr, "mtl-tokenize: out of memory\n"); rc = 1; }
    free(line);
    mtl_encoding_free(&enc);
    mtl_tokenizer_free(tok);
    return rc;
}
