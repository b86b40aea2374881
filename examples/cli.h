/* Helpers shared by the command-line tools in examples/: stdin lines of any length, hex fields. */
#ifndef MTL_CLI_H
#define MTL_CLI_H
#include <stdio.h>
#include <stdlib.h>
#include <limits.h>

static int cli_hexval(int c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Decodes hex in place; returns the byte count or -1. */
static long cli_unhex(char *s, size_t n) {
    size_t i;
    if (n % 2) return -1;
    for (i = 0; i < n; i += 2) {
        int a = cli_hexval((unsigned char)s[i]), b = cli_hexval((unsigned char)s[i + 1]);
        if (a < 0 || b < 0) return -1;
        s[i / 2] = (char)(a * 16 + b);
    }
    return (long)(n / 2);
}

/* Reads one line of any length (without the newline, a trailing CR kept); -1 at EOF, -2 no memory. */
static long cli_read_line(FILE *fp, char **buf, size_t *cap) {
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
    if (c == EOF && n == 0) return -1;
    if (!*buf) {
        *buf = (char *)malloc(1);
        if (!*buf) return -2;
        *cap = 1;
    }
    (*buf)[n] = 0;
    return (long)n;
}
#endif
