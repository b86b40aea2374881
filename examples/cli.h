/* Helpers shared by the command-line tools in examples/ and weights_convert: the conventions (--help,
   --version, usage errors, the --threads default), stdin lines of any length, hex fields, UTF-8 checks,
   --on-error, and output error checks (every tool exits 1 with a message when stdout cannot be written:
   each row is checked and stdout is flushed and closed at the end). Include after mtl_tokenizer.h or
   mtl_bert.h (MTL_VERSION). */
#ifndef MTL_CLI_H
#define MTL_CLI_H
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <limits.h>
#include <string.h>

#if defined(__GNUC__)
#define CLI_FN static __attribute__((unused))
#else
#define CLI_FN static
#endif
#if defined(__unix__) || defined(__APPLE__)
#include <unistd.h>
#endif
#ifndef MTL_VERSION
#error "include mtl_tokenizer.h or mtl_bert.h before cli.h (MTL_VERSION)"
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

/* ---- Conventions shared by every tool ----
   Exit status: CLI_EXIT_OK 0, CLI_EXIT_RUNTIME 1 (a runtime error, incl. a write error on stdout),
   CLI_EXIT_USAGE 2 (a usage error: an unknown option, a missing or bad value, a missing argument).
   -h / --help: the help on stdout (synopsis, then one line per option: what it does, its default, its
   range or choices), exit 0. --version: MTL_VERSION on stdout, exit 0. A usage error: "prog: what"
   (e.g. "unknown option '--foo'") and a hint on stderr, exit 2. */
enum { CLI_EXIT_OK = 0, CLI_EXIT_RUNTIME = 1, CLI_EXIT_USAGE = 2 };

/* One option of a tool's help: flags ("--batch N", "-h, --help") and its line (what, default, range). */
typedef struct cli_opt { const char *flags, *text; } cli_opt;

/* The --threads line every tool that runs the model shows; cli_default_threads() is that default. */
#define CLI_THREADS_MAX 64
#define CLI_THREADS_HELP "threads per forward call, 1..64 (default: all online CPUs, at most 8)"

/* The default --threads: the online CPUs, at most 8 (1 when unknown). */
CLI_FN int cli_default_threads(void) {
#if defined(_SC_NPROCESSORS_ONLN)
    const long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 8 ? 8 : (int)n;
#else
    return 1;
#endif
}

CLI_FN int cli_is_help(const char *a) { return !strcmp(a, "-h") || !strcmp(a, "--help"); }
CLI_FN int cli_is_version(const char *a) { return !strcmp(a, "--version"); }

/* --version: MTL_VERSION and a newline on stdout; returns the exit status (1 when stdout fails). */
CLI_FN int cli_version(const char *prog) {
    printf("%s\n", MTL_VERSION);
    return cli_out_close(prog);
}

/* --help: "usage: SYNOPSIS", the about text (NULL: none; each line ends with \n), then one line per
   option of opts (ended by a {NULL, NULL} entry), then -h/--help, --version and the exit statuses, on
   stdout. Returns the exit status (1 when stdout fails). */
CLI_FN int cli_help(const char *prog, const char *synopsis, const char *about, const cli_opt *opts) {
    printf("usage: %s\n", synopsis);
    if (about) fputs(about, stdout);
    printf("options:\n");
    for (; opts && opts->flags; opts++) printf("  %-22s %s\n", opts->flags, opts->text);
    printf("  %-22s %s\n", "-h, --help", "print this help and exit");
    printf("  %-22s %s\n", "--version", "print the version (" MTL_VERSION ") and exit");
    printf("exit status: 0 ok, 1 runtime error, 2 usage error\n");
    return cli_out_close(prog);
}

#if defined(__GNUC__)
static int cli_usage_error(const char *prog, const char *fmt, ...) __attribute__((format(printf, 2, 3), unused));
#endif
/* A usage error: "prog: what" and "Try 'prog --help'." on stderr; returns CLI_EXIT_USAGE. */
static int cli_usage_error(const char *prog, const char *fmt, ...) {
    va_list ap;
    fprintf(stderr, "%s: ", prog);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry '%s --help' for the options.\n", prog);
    return CLI_EXIT_USAGE;
}

/* 1 when a is one of the flags of opts (a word of "--model BLOB" or "-h, --help"). */
CLI_FN int cli_is_option(const cli_opt *opts, const char *a) {
    const size_t n = strlen(a);
    if (n == 0) return 0;
    for (; opts && opts->flags; opts++) {
        const char *f = opts->flags;
        while ((f = strstr(f, a)) != NULL) {
            if ((f == opts->flags || f[-1] == ' ') && (f[n] == 0 || f[n] == ' ' || f[n] == ',')) return 1;
            f += n;
        }
    }
    return 0;
}

/* The argument a that no rule of the parser took: "option '--model' needs a value" when it is a
   known option (the only way a known option is left over), "unknown option '--foo'" for another
   option, "unexpected argument 'foo'" for a word that is no option; exit 2. */
CLI_FN int cli_bad_option(const char *prog, const cli_opt *opts, const char *a) {
    if (cli_is_option(opts, a) || cli_is_help(a) || cli_is_version(a)) return cli_usage_error(prog, "option '%s' needs a value", a);
    if (a[0] != '-') return cli_usage_error(prog, "unexpected argument '%s'", a);
    return cli_usage_error(prog, "unknown option '%s'", a);
}

/* An integer option value in [lo, hi]: 0 and *out, else the usage error (exit status 2). */
CLI_FN int cli_parse_long(const char *prog, const char *opt, const char *v, long lo, long hi, long *out) {
    char *end;
    long x;
    errno = 0;
    x = strtol(v, &end, 10);
    if (end == v || *end || errno == ERANGE || x < lo || x > hi)
        return cli_usage_error(prog, "bad value for %s: '%s' (an integer, %ld..%ld)", opt, v, lo, hi);
    *out = x;
    return 0;
}
CLI_FN int cli_parse_int(const char *prog, const char *opt, const char *v, int lo, int hi, int *out) {
    long x = 0;
    if (cli_parse_long(prog, opt, v, lo, hi, &x)) return CLI_EXIT_USAGE;
    *out = (int)x;
    return 0;
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
