/* Helpers shared by the command-line tools in examples/: stdin lines of any length, hex fields, UTF-8
   checks, --on-error, and output error checks (every tool exits 1 with a message when stdout cannot be
   written: each row is checked and stdout is flushed and closed at the end). */
#ifndef MTL_CLI_H
#define MTL_CLI_H
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <limits.h>
#include <string.h>

#if defined(__GNUC__)
#define CLI_FN static __attribute__((unused))
#else
#define CLI_FN static
#endif

CLI_FN int cli_hexval(int c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Decodes hex in place; returns the byte count or -1. */
CLI_FN long cli_unhex(char *s, size_t n) {
    size_t i;
    if (n % 2) return -1;
    for (i = 0; i < n; i += 2) {
        int a = cli_hexval((unsigned char)s[i]), b = cli_hexval((unsigned char)s[i + 1]);
        if (a < 0 || b < 0) return -1;
        s[i / 2] = (char)(a * 16 + b);
    }
    return (long)(n / 2);
}

/* Reads one line of any length (without the newline, a trailing CR kept); -1 at EOF, -2 no memory,
   -3 read error (errno set). */
CLI_FN long cli_read_line(FILE *fp, char **buf, size_t *cap) {
    size_t n = 0;
    int c;
    while ((c = getc(fp)) != EOF) {
        if (n + 1 >= *cap) {
            size_t nc = *cap ? *cap * 2 : 4096;
            if (*cap > (size_t)LONG_MAX / 2) return -2;   /* the length must fit the long result (32-bit) */
            char *nb = (char *)realloc(*buf, nc);
            if (!nb) return -2;
            *buf = nb;
            *cap = nc;
        }
        if (c == '\n') break;
        (*buf)[n++] = (char)c;
    }
    if (c == EOF && ferror(fp)) return -3;
    if (c == EOF && n == 0) return -1;
    if (!*buf) {
        *buf = (char *)malloc(1);
        if (!*buf) return -2;
        *cap = 1;
    }
    (*buf)[n] = 0;
    return (long)n;
}

/* The message of a negative cli_read_line result (-2, -3); 0 when it is plain EOF. */
CLI_FN int cli_read_failed(const char *prog, long r) {
    if (r == -2) { fprintf(stderr, "%s: out of memory reading the input\n", prog); return 1; }
    if (r == -3) { fprintf(stderr, "%s: cannot read the input: %s\n", prog, strerror(errno)); return 1; }
    return 0;
}

/* --on-error stop|skip: what an input line that cannot be parsed or processed does. stop (default):
   the rows before it are written, then "prog: <stdin>:N: what" and exit status 1. skip: a marked row
   (each tool's usage says which) and the message on stderr, then the next line. */
enum { CLI_ON_ERROR_STOP = 0, CLI_ON_ERROR_SKIP = 1 };
CLI_FN int cli_parse_on_error(const char *v, int *mode) {
    if (!strcmp(v, "stop")) *mode = CLI_ON_ERROR_STOP;
    else if (!strcmp(v, "skip")) *mode = CLI_ON_ERROR_SKIP;
    else return -1;
    return 0;
}

/* Decodes one code point at s[*i] exactly as the tokenizer does (mtl_tokenizer.h's decoder, which the
   tools compile in): an invalid byte is U+FFFD and advances one byte (surrogates, overlong forms,
   values above U+10FFFF are invalid). Returns the code point. */
CLI_FN unsigned cli_utf8_next(const unsigned char *s, size_t n, size_t *i) {
    return (unsigned)mtl__utf8_next(s, n, i);
}

/* Number of invalid bytes (each one reads as U+FFFD) in s[0..n). */
CLI_FN size_t cli_utf8_invalid(const char *s, size_t n) {
    size_t i = 0, bad = 0;
    while (i < n) {
        const size_t p = i;
        if (cli_utf8_next((const unsigned char *)s, n, &i) == 0xFFFD && !(i - p == 3 && (unsigned char)s[p] == 0xEF)) bad++;
    }
    return bad;
}

/* The note every tool prints for a line with invalid UTF-8 (nothing when bad == 0). */
CLI_FN void cli_note_invalid_utf8(const char *prog, int line, size_t bad) {
    if (bad) fprintf(stderr, "%s: <stdin>:%d: not valid UTF-8: %lu invalid byte(s) read as U+FFFD\n", prog, line, (unsigned long)bad);
}

/* Copies s[0..n) to out (room for 3n + 1 bytes) with every invalid byte replaced by U+FFFD (EF BF BD),
   the tokenizer's reading; returns the new length (out NUL-terminated). */
CLI_FN size_t cli_utf8_sanitize(const char *s, size_t n, char *out) {
    size_t i = 0, o = 0;
    while (i < n) {
        const size_t p = i;
        const unsigned cp = cli_utf8_next((const unsigned char *)s, n, &i);
        if (cp == 0xFFFD && i - p == 1) { out[o++] = (char)0xEF; out[o++] = (char)0xBF; out[o++] = (char)0xBD; }
        else { memcpy(out + o, s + p, i - p); o += i - p; }
    }
    out[o] = 0;
    return o;
}

/* Output errors. cli_out_check after each row: 1 (and one message) once stdout has failed;
   cli_out_close at the end: flush + close, 1 on any error. */
static int cli__out_reported = 0;
CLI_FN int cli_out_error(const char *prog, int e) {
    if (!cli__out_reported) fprintf(stderr, "%s: cannot write the output: %s\n", prog, e ? strerror(e) : "write error");
    cli__out_reported = 1;
    return 1;
}
CLI_FN int cli_out_check(const char *prog) {
    if (cli__out_reported) return 1;
    return ferror(stdout) ? cli_out_error(prog, errno) : 0;
}
CLI_FN int cli_out_flush(const char *prog) {
    if (cli__out_reported) return 1;
    errno = 0;
    if (fflush(stdout) != 0 || ferror(stdout)) return cli_out_error(prog, errno);
    return 0;
}
CLI_FN int cli_out_close(const char *prog) {
    int bad = cli_out_flush(prog);
    errno = 0;
    if (fclose(stdout) != 0 && !bad) bad = cli_out_error(prog, errno);
    return bad;
}

#ifdef MTL_BERT_H
/* Loads a model file for a tool: 0 and *m, or 1 after printing "prog: why". The checksum is
   verified; a file without one (an older mtl, another GGUF writer) loads with a note on stderr. */
CLI_FN int cli_load_model(const char *prog, const char *path, mtl_model **m) {
    mtl_error err;
    if (mtl_model_load(path, m, &err) != MTL_OK) {
        if (strstr(err.msg, path)) fprintf(stderr, "%s: %s\n", prog, err.msg);
        else fprintf(stderr, "%s: %s: %s\n", prog, path, err.msg);
        return 1;
    }
    if (mtl_model_get_info(*m)->checksum == MTL_CHECKSUM_NONE)
        fprintf(stderr, "%s: note: %s has no checksum (written by an older mtl or another GGUF writer): "
                        "its integrity is not verified\n", prog, path);
    return 0;
}
#endif
#endif
