/* mtl-tokenize: tokenize stdin lines with a Hugging Face model folder's tokenizer, or the tokenizer
   inside an mtl model file (mtl_model_load + mtl_model_tokenizer: the same ids as the folder it was
   converted from).

   build/mtl-tokenize --model-dir DIR | --model BLOB [--hex] [--pair] [--no-special] [--max-length N] [--offsets] [--word-ids]
                      [--on-error stop|skip]   (--help: every option with its default and range)

   One input per line: the text (with --hex: the hex of its UTF-8 bytes; an empty line is the empty
   text); with --pair two such fields separated by a TAB. One output line per input: the ids separated
   by spaces; with --pair a TAB and the token type ids; with --offsets a TAB and start:end byte offsets;
   with --word-ids a TAB and the word ids (-1 for special tokens).

   One output line per input line, in order, always. Invalid UTF-8 bytes read as U+FFFD (the
   tokenizer's rule; offsets stay byte offsets into the line; a note on stderr). A line that cannot be
   parsed (--pair without a TAB, bad --hex) or encoded: --on-error stop (default): the lines before it
   are written, then "mtl-tokenize: <stdin>:N: what" and exit status 1; --on-error skip: an empty
   line (an encoding always has ids unless --no-special, so use the message on stderr to tell) and the
   message on stderr. Exit status: 0 ok, 1 runtime error (incl. a write error on stdout), 2 usage. */
#define MTL_BERT_IMPLEMENTATION   /* mtl_model_load for --model; it includes mtl_tokenizer.h */
#include "../mtl_bert.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define PROG "mtl-tokenize"
static const cli_opt OPTS[] = {
    {"--model-dir DIR", "a Hugging Face model folder (tokenizer.json, or vocab.txt + tokenizer_config.json); it or --model is required"},
    {"--model BLOB", "an mtl model file (weights_convert or mtl-train output): its tokenizer; it or --model-dir is required"},
    {"--hex", "lines are the hex of the UTF-8 bytes (default: off)"},
    {"--pair", "two texts per line separated by a TAB; prints a TAB and the type ids (default: off)"},
    {"--no-special", "no [CLS]/[SEP] (default: off, they are added)"},
    {"--max-length N", "truncate to N tokens, 1..1000000000 (default: no truncation)"},
    {"--offsets", "a TAB and the start:end byte offsets of each token (default: off)"},
    {"--word-ids", "a TAB and the word id of each token, -1 for special tokens (default: off)"},
    {"--on-error M", "stop|skip: a bad line stops the run (exit 1) or gets an empty line (default: stop)"},
    {NULL, NULL}};

static int help(void) {
    return cli_help(PROG, "mtl-tokenize --model-dir DIR | --model BLOB [options] < lines",
                    "One text per stdin line, one line of space-separated token ids per input line, in order. A line that\n"
                    "cannot be parsed or encoded stops the run (exit 1) after the lines before it, or with --on-error skip\n"
                    "gives an empty line (and the message on stderr).\n",
                    OPTS);
}

int main(int argc, char **argv) {
    const char *dir = NULL, *blob = NULL;
    int hex = 0, pair = 0, offsets = 0, word_ids = 0, i, lineno = 0, rc = 0, on_error = CLI_ON_ERROR_STOP;
    mtl_encode_options eo;
    mtl_tokenizer *own = NULL;
    const mtl_tokenizer *tok;
    mtl_model *m = NULL;
    mtl_encoding enc;
    mtl_error err;
    char *line = NULL;
    size_t cap = 0;
    long n;

    memset(&eo, 0, sizeof eo);
    memset(&enc, 0, sizeof enc);
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (cli_is_help(a)) return help();
        else if (cli_is_version(a)) return cli_version(PROG);
        else if (!strcmp(a, "--model-dir") && i + 1 < argc) dir = argv[++i];
        else if (!strcmp(a, "--model") && i + 1 < argc) blob = argv[++i];
        else if (!strcmp(a, "--hex")) hex = 1;
        else if (!strcmp(a, "--pair")) pair = 1;
        else if (!strcmp(a, "--no-special")) eo.no_special_tokens = 1;
        else if (!strcmp(a, "--offsets")) offsets = 1;
        else if (!strcmp(a, "--word-ids")) word_ids = 1;
        else if (!strcmp(a, "--max-length") && i + 1 < argc) {
            if (cli_parse_int(PROG, a, argv[++i], 1, 1000000000, &eo.max_length)) return CLI_EXIT_USAGE;
        } else if (!strcmp(a, "--on-error") && i + 1 < argc) {
            if (cli_parse_on_error(argv[++i], &on_error)) return cli_usage_error(PROG, "--on-error must be stop or skip, not '%s'", argv[i]);
        } else return cli_bad_option(PROG, OPTS, a);
    }
    if (!dir && !blob) return cli_usage_error(PROG, "--model-dir or --model is required");
    if (dir && blob) return cli_usage_error(PROG, "give --model-dir or --model, not both");
    if (blob) {
        if (cli_load_model(PROG, blob, &m)) return 1;
        tok = mtl_model_tokenizer(m);
    } else {
        if (mtl_tokenizer_load_dir(dir, NULL, &own, &err)) {
            fprintf(stderr, "mtl-tokenize: %s\n", err.msg);
            return 1;
        }
        tok = own;
    }
    while ((n = cli_read_line(stdin, &line, &cap)) >= 0) {
        char *a = line, *b = NULL;
        size_t alen = (size_t)n, blen = 0, bad;
        mtl_result r = MTL_OK;
        const char *what = NULL;
        int k;
        lineno++;
        if (n > 0 && line[n - 1] == '\r' && hex) alen--;
        if (pair) {
            char *tab = (char *)memchr(line, '\t', alen);
            if (!tab) what = "--pair needs two fields separated by a TAB";
            else {
                b = tab + 1;
                blen = alen - (size_t)(b - line);
                alen = (size_t)(tab - line);
            }
        }
        if (!what && hex) {
            long la = cli_unhex(a, alen), lb = b ? cli_unhex(b, blen) : 0;
            if (la < 0 || lb < 0) what = "bad hex (an even number of hex digits per field)";
            else {
                alen = (size_t)la;
                blen = (size_t)lb;
            }
        }
        if (!what) {
            bad = cli_utf8_invalid(a, alen) + (b ? cli_utf8_invalid(b, blen) : 0);
            cli_note_invalid_utf8("mtl-tokenize", lineno, bad);
            r = pair ? mtl_encode_pair(tok, a, alen, b, blen, &eo, &enc, &err) : mtl_encode(tok, a, alen, &eo, &enc, &err);
            if (r) what = err.msg;
        }
        if (what) {
            if (on_error == CLI_ON_ERROR_STOP || r == MTL_ERR_NOMEM) {
                fprintf(stderr, "mtl-tokenize: <stdin>:%d: %s%s\n", lineno, what,
                        on_error == CLI_ON_ERROR_STOP ? " (stopped; --on-error skip writes an empty line and goes on)" : "");
                rc = 1;
                break;
            }
            fprintf(stderr, "mtl-tokenize: <stdin>:%d: %s (skipped: empty line)\n", lineno, what);
            putchar('\n');
            if (cli_out_check("mtl-tokenize")) { rc = 1; break; }
            continue;
        }
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
        if (cli_out_check("mtl-tokenize")) { rc = 1; break; }
    }
    if (!rc && cli_read_failed("mtl-tokenize", n)) rc = 1;
    if (cli_out_close("mtl-tokenize")) rc = 1;
    free(line);
    mtl_encoding_free(&enc);
    mtl_tokenizer_free(own);
    mtl_model_free(m);
    return rc;
}
