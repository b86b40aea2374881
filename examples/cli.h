/* Helpers shared by the command-line tools in examples/ and weights_convert: the conventions (--help,
   --version, usage errors, the --threads default), stdin lines of any length, the stdin reader that
   knows when the input pauses (mtl-embed, mtl-predict), hex fields, UTF-8 checks, --on-error, output
   error checks (every tool exits 1 with a message when stdout cannot be written: each row is checked
   and stdout is flushed and closed at the end) and progress on stderr. Include after mtl_tokenizer.h
   or mtl_bert.h (MTL_VERSION); define _POSIX_C_SOURCE 200809L first for a monotonic clock. */
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
#include <time.h>
#if defined(__unix__) || defined(__APPLE__)
#include <unistd.h>
#endif
/* CLI_POSIX: poll(), isatty(), fstat() (a tool that defines _POSIX_C_SOURCE before its includes) */
#if (defined(__unix__) || defined(__APPLE__)) && defined(_POSIX_C_SOURCE) && _POSIX_C_SOURCE >= 200112L
#define CLI_POSIX 1
#include <poll.h>
#include <sys/stat.h>
#else
#define CLI_POSIX 0
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

/* ---- stdin lines, and whether more input is available right now (mtl-embed, mtl-predict) ----
   A tool that answers when its input pauses has to know about every byte already read from fd 0. C
   stdio gives no portable way to ask whether its FILE buffer still holds data (poll() on fd 0 says
   "nothing to read" while getc would return buffered lines), so on POSIX the lines are read with this
   reader's own buffer straight from fd 0, and poll() (timeout 0) is asked only when that buffer is
   empty, i.e. when read() is the next step: fd 0 not readable then means no more input right now
   (readable covers data, EOF/hangup and errors: the read() does not block). A line that has only
   partly arrived is kept (have bytes in the caller's buffer) and completed by a later call, so the
   held lines are answered while its rest is on its way. Elsewhere (no poll) the lines come from stdio
   (cli_read_line) and input is always taken to be available: the held lines are then answered when
   the batch or window is full or at EOF. Do not mix with stdio reads of stdin. */
typedef struct cli_reader {
#if CLI_POSIX
    char buf[65536];
    size_t pos, end, have;   /* buf[pos..end) unread; have: bytes of a partial line already in *line */
    int eof;
#endif
    double bytes;            /* bytes of the lines returned so far, newlines included (progress) */
} cli_reader;

#if CLI_POSIX
CLI_FN int cli__fd0_readable(int timeout_ms) {
    struct pollfd p;
    p.fd = 0;
    p.events = POLLIN;
    p.revents = 0;
    return poll(&p, 1, timeout_ms) != 0;   /* readable, hangup, error (read() will say) or poll failed: read */
}
#endif

/* One line as cli_read_line reads it (any length, NULs kept, no newline, a trailing CR kept): its
   length, -1 at EOF, -2 no memory, -3 read error (errno set), or with wait == 0 -4: no more input right
   now (a partial line stays in *buf for the next call; *buf is not to be touched until then). */
CLI_FN long cli_reader_line(cli_reader *rd, char **buf, size_t *cap, int wait) {
#if CLI_POSIX
    size_t n = rd->have;
    for (;;) {
        const char *nl;
        size_t take;
        if (rd->pos == rd->end) {
            ssize_t got;
            if (rd->eof) break;
            if (!wait && !cli__fd0_readable(0)) { rd->have = n; return -4; }
            got = read(0, rd->buf, sizeof rd->buf);
            if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {   /* a non-blocking stdin */
                if (!wait) { rd->have = n; return -4; }
                (void)cli__fd0_readable(-1);   /* wait (no timeout) until it is readable */
                continue;
            }
            if (got < 0 && errno == EINTR) continue;
            if (got < 0) return -3;
            if (got == 0) { rd->eof = 1; break; }
            rd->pos = 0;
            rd->end = (size_t)got;
        }
        nl = (const char *)memchr(rd->buf + rd->pos, '\n', rd->end - rd->pos);
        take = nl ? (size_t)(nl - (rd->buf + rd->pos)) : rd->end - rd->pos;
        if (n + take + 1 > *cap) {
            size_t nc = *cap ? *cap : 4096;
            char *nb;
            while (nc < n + take + 1) {
                if (nc > (size_t)LONG_MAX / 2) return -2;   /* the length must fit the long result (32-bit) */
                nc *= 2;
            }
            if (!(nb = (char *)realloc(*buf, nc))) return -2;
            *buf = nb;
            *cap = nc;
        }
        memcpy(*buf + n, rd->buf + rd->pos, take);
        n += take;
        rd->pos += take;
        if (nl) { rd->pos++; rd->have = 0; (*buf)[n] = 0; rd->bytes += (double)n + 1; return (long)n; }
    }
    rd->have = 0;
    if (n == 0) return -1;   /* EOF (a last line without a newline is returned first) */
    (*buf)[n] = 0;
    rd->bytes += (double)n;
    return (long)n;
#else
    long n;
    (void)wait;
    n = cli_read_line(stdin, buf, cap);
    if (n >= 0) rd->bytes += (double)n + 1;
    return n;
#endif
}

/* The bytes stdin still holds when it is a regular file (the total of a progress by bytes), else 0. */
CLI_FN double cli_stdin_size(void) {
#if CLI_POSIX
    struct stat st;
    off_t at;
    if (fstat(0, &st) != 0 || !S_ISREG(st.st_mode)) return 0.0;
    at = lseek(0, 0, SEEK_CUR);
    return at >= 0 && at < st.st_size ? (double)(st.st_size - at) : 0.0;
#else
    return 0.0;
#endif
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

/* ---- Progress on stderr (mtl-embed, mtl-predict, mtl-eval, weights_convert) ----
   stderr a terminal: one line redrawn in place (at most 5 times a second, from 0.5 s into the run; cut
   to $COLUMNS, default 80, so that it never wraps):
     "mtl-eval: [###.......] 35% 3072/8800 examples 812.3 examples/s ETA 0:07"
   otherwise a plain line every MTL_PROGRESS_SECONDS seconds (default 10; 0: at every update, for tests):
     "mtl-eval: progress: 3072/8800 examples (35%), 812.3 examples/s, ETA 0:07"
   and at the end, when any progress was shown, "mtl-eval: done: 8800 examples in 10.8 s, 812.3 examples/s".
   The total may be unknown (0: no percentage or ETA), or be other work than the items counted (the
   bytes of a stdin file while lines are counted). --quiet (init's quiet) shows nothing. Progress never
   goes to stdout. Before another message on stderr (or rows on a terminal stdout) call cli_progress_clear:
   it takes the terminal line away; the next update draws it again. */
typedef struct cli_progress {
    const char *prog, *unit;      /* "mtl-eval", "examples" ("MB": counts are bytes, shown in MB) */
    const char *what;             /* NULL, or a word before the count ("converting") */
    double total, work, count;    /* the work to do (0: unknown), done so far, items done */
    double t0, t_shown, period;   /* start, last line shown, seconds between plain lines */
    int mode;                     /* 0 off, 1 plain lines, 2 a terminal line */
    int shown;                    /* plain: lines printed; terminal: the line is on the screen */
    int ever, width;              /* anything shown yet; the terminal line's length */
    int same;                     /* the work is the count (update's work < 0) */
    int tty_in, tty_out;          /* stdin / stdout are terminals (callers clear before reading / rows) */
    int cols;                     /* the terminal line's room: $COLUMNS (default 80), 20..200 */
} cli_progress;

CLI_FN double cli_now(void) {
#if defined(CLOCK_MONOTONIC)
    struct timespec ts;
    if (clock_gettime(CLOCK_MONOTONIC, &ts) == 0) return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
#endif
    return (double)time(NULL);
}

/* Starts a progress of items called unit (static strings); total: the work to do, 0 unknown. */
CLI_FN void cli_progress_init(cli_progress *p, const char *prog, const char *unit, double total, int quiet) {
    const char *e = getenv("MTL_PROGRESS_SECONDS"), *c = getenv("COLUMNS");
    char *end;
    double s = e && *e ? strtod(e, &end) : -1.0;
    const long cols = c && *c ? strtol(c, NULL, 10) : 80;
    memset(p, 0, sizeof *p);
    p->cols = cols < 20 ? 20 : cols > 200 ? 200 : (int)cols;
    p->prog = prog;
    p->unit = unit;
    p->total = total > 0 ? total : 0.0;
    p->period = e && *e && !*end && s >= 0 ? s : 10.0;
#if CLI_POSIX
    p->mode = quiet ? 0 : isatty(2) ? 2 : 1;
    p->tty_in = isatty(0);
    p->tty_out = isatty(1);
#else
    p->mode = quiet ? 0 : 1;
#endif
    p->t0 = p->t_shown = cli_now();
}

/* "0:07", "12:03", "1:02:03" */
CLI_FN void cli__hms(double s, char *buf, size_t cap) {
    const long t = s < 0 ? 0 : s > 3.6e7 ? 36000000L : (long)(s + 0.5);
    if (t >= 3600) snprintf(buf, cap, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
    else snprintf(buf, cap, "%ld:%02ld", t / 60, t % 60);
}

/* The text of the progress (kind 0 plain, 1 terminal, 2 done) into buf. */
CLI_FN void cli__progress_text(const cli_progress *p, int kind, char *buf, size_t cap) {
    const double el = cli_now() - p->t0, sc = !strcmp(p->unit, "MB") ? 1e-6 : 1.0;
    const double rate = el > 0 ? p->count * sc / el : 0.0;
    const double frac = p->total > 0 ? (p->work < p->total ? p->work / p->total : 1.0) : -1.0;
    const int of = frac >= 0 && p->same;   /* "N/TOTAL unit": the total counts the items */
    const char *fmt = sc != 1.0 ? (of ? "%.1f/%.1f %s" : "%.1f %s") : (of ? "%.0f/%.0f %s" : "%.0f %s");
    char cnt[96], eta[32];
    size_t n = p->what ? (size_t)snprintf(cnt, 32, "%s ", p->what) : 0;
    if (n > 31) n = 31;
    if (of) snprintf(cnt + n, sizeof cnt - n, fmt, p->count * sc, p->total * sc, p->unit);
    else snprintf(cnt + n, sizeof cnt - n, fmt, p->count * sc, p->unit);
    eta[0] = 0;
    if (frac > 0 && frac < 1) cli__hms(el * (1 - frac) / frac, eta, sizeof eta);
    if (kind == 2) { snprintf(buf, cap, "%s: done: %s in %.1f s, %.1f %s/s", p->prog, cnt, el, rate, p->unit); return; }
    if (kind == 1) {   /* short: one terminal line (cut to the width by the caller) */
        n = (size_t)snprintf(buf, cap, "%s: ", p->prog);
        if (frac >= 0 && n < cap) {
            char bar[11];
            int i;
            for (i = 0; i < 10; i++) bar[i] = i < (int)(10 * frac) ? '#' : '.';
            bar[10] = 0;
            n += (size_t)snprintf(buf + n, cap - n, "[%s] %.0f%% ", bar, 100 * frac);
        }
        if (n < cap) n += (size_t)snprintf(buf + n, cap - n, "%s %.1f %s/s", cnt, rate, p->unit);
        if (eta[0] && n < cap) snprintf(buf + n, cap - n, " ETA %s", eta);
        return;
    } else {
        n = (size_t)snprintf(buf, cap, "%s: progress: %s", p->prog, cnt);
        if (frac >= 0 && n < cap) n += (size_t)snprintf(buf + n, cap - n, of ? " (%.0f%%)" : " (%.0f%% of the input)", 100 * frac);
        if (n < cap) n += (size_t)snprintf(buf + n, cap - n, ", %.1f %s/s", rate, p->unit);
    }
    if (eta[0] && n < cap) snprintf(buf + n, cap - n, ", ETA %s", eta);
}

/* Takes the terminal line away (before another message on stderr, or rows on a terminal stdout). */
CLI_FN void cli_progress_clear(cli_progress *p) {
    if (p->mode == 2 && p->shown) {
        fprintf(stderr, "\r%*s\r", p->width, "");
        fflush(stderr);
        p->shown = 0;
    }
}

/* count items and work (in total's units; < 0: the same as count) done so far. */
CLI_FN void cli_progress_update(cli_progress *p, double count, double work) {
    char line[200];
    double now, since;
    if (!p->mode) return;
    p->count = count;
    p->work = work < 0 ? count : work;
    p->same = work < 0;
    now = cli_now();
    since = now - p->t_shown;
    if (p->mode == 2) {
        int len;
        if (now - p->t0 < (p->period < 0.5 ? p->period : 0.5) || (p->shown && since < 0.2)) return;
        cli__progress_text(p, 1, line, (size_t)p->cols);   /* cut to the terminal's width: no wrapped line */
        len = (int)strlen(line);
        fprintf(stderr, "\r%s%*s", line, p->width > len ? p->width - len : 0, "");
        p->width = len;
    } else {
        if (since < p->period) return;
        cli__progress_text(p, 0, line, sizeof line);
        fprintf(stderr, "%s\n", line);
    }
    fflush(stderr);
    p->shown = p->ever = 1;
    p->t_shown = now;
}

/* The end: the terminal line is replaced by the "done" line, or after plain lines a "done" line. */
CLI_FN void cli_progress_end(cli_progress *p) {
    char line[200];
    if (!p->mode || !p->ever) return;
    cli_progress_clear(p);
    cli__progress_text(p, 2, line, sizeof line);
    fprintf(stderr, "%s\n", line);
    fflush(stderr);
    p->mode = 0;
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
