/* fw_compare TARGET_LOG REFERENCE_LOG [TOLERANCE]: checks a fw_embed run (examples/firmware/fw_embed.c,
   on the Cortex-M under QEMU) against the host build of the same program on the same model blob.
     - TARGET_LOG ends its run with "fw: PASS";
     - every "vec GROUP.I x0 x1 ..." line (floats as the hex of their bits) of the target is in the
       reference with the same count, and every value is within TOLERANCE (default 1e-5), no NaN;
     - every vector of a group the target has is there (no group only half printed);
     - every "tok ..." line (token counts, truncation) of the target is in the reference as it is.
   Prints one summary line; exit status 0 when all hold. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAXL 16384
typedef struct { char **line; int n, cap; } lines;

static int read_lines(const char *path, lines *L) {
    FILE *f = fopen(path, "r");
    char buf[MAXL];
    if (!f) { fprintf(stderr, "fw_compare: cannot open %s\n", path); return 1; }
    while (fgets(buf, sizeof buf, f)) {
        size_t n = strlen(buf);
        while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r')) buf[--n] = 0;
        if (L->n == L->cap) {
            L->cap = L->cap ? 2 * L->cap : 256;
            L->line = (char **)realloc(L->line, (size_t)L->cap * sizeof *L->line);
            if (!L->line) { fclose(f); return 1; }
        }
        L->line[L->n] = (char *)malloc(n + 1);
        if (!L->line[L->n]) { fclose(f); return 1; }
        memcpy(L->line[L->n++], buf, n + 1);
    }
    fclose(f);
    return 0;
}
/* the label of a vec line ("vec LABEL ...") into out; 0 if not a vec line */
static int vec_label(const char *s, char *out, size_t cap) {
    size_t k = 0;
    if (strncmp(s, "vec ", 4) != 0) return 0;
    s += 4;
    while (*s && *s != ' ' && k + 1 < cap) out[k++] = *s++;
    out[k] = 0;
    return 1;
}
static const char *find_vec(const lines *L, const char *label) {
    char lab[256];
    int i;
    for (i = 0; i < L->n; i++) if (vec_label(L->line[i], lab, sizeof lab) && strcmp(lab, label) == 0) return L->line[i];
    return NULL;
}
static int parse_vec(const char *s, float *v, int cap) {
    int n = 0;
    s = strchr(s + 4, ' ');
    while (s && *s == ' ' && n < cap) {
        char *e;
        unsigned long b = strtoul(s + 1, &e, 16);
        uint32_t u = (uint32_t)b;
        if (e == s + 1) break;
        memcpy(&v[n++], &u, sizeof u);
        s = e;
    }
    return n;
}
static int has_line(const lines *L, const char *s) {
    int i;
    for (i = 0; i < L->n; i++) if (strcmp(L->line[i], s) == 0) return 1;
    return 0;
}

int main(int argc, char **argv) {
    lines T = {NULL, 0, 0}, R = {NULL, 0, 0};
    double tol = argc > 3 ? atof(argv[3]) : 1e-5, maxd = 0;
    static float a[4096], b[4096];
    char lab[256], worst[280] = "-", groups[64][64];
    int i, j, n_vec = 0, n_val = 0, n_same = 0, n_groups = 0, bad = 0, passed = 0;
    if (argc < 3) { fprintf(stderr, "usage: fw_compare TARGET_LOG REFERENCE_LOG [TOLERANCE]\n"); return 2; }
    if (read_lines(argv[1], &T) || read_lines(argv[2], &R)) return 1;
    for (i = 0; i < T.n; i++) {
        const char *s = T.line[i], *r;
        if (strcmp(s, "fw: PASS") == 0) passed = 1;
        if (strncmp(s, "tok ", 4) == 0 && !has_line(&R, s)) { printf("fw_compare: '%s' differs from the reference\n", s); bad = 1; }
        if (!vec_label(s, lab, sizeof lab)) continue;
        {   /* its group */
            char g[64];
            size_t k = strcspn(lab, ".");
            if (k >= sizeof g) k = sizeof g - 1;
            memcpy(g, lab, k); g[k] = 0;
            for (j = 0; j < n_groups && strcmp(groups[j], g) != 0; j++) {}
            if (j == n_groups && n_groups < 64) strcpy(groups[n_groups++], g);
        }
        r = find_vec(&R, lab);
        if (!r) { printf("fw_compare: %s is not in the reference\n", lab); bad = 1; continue; }
        {
            int na = parse_vec(s, a, 4096), nb = parse_vec(r, b, 4096), same = 1;
            if (na != nb || na == 0) { printf("fw_compare: %s: %d values, reference %d\n", lab, na, nb); bad = 1; continue; }
            for (j = 0; j < na; j++) {
                double d = fabs((double)a[j] - (double)b[j]);
                if (a[j] != b[j]) same = 0;
                if (d != d || a[j] != a[j]) { printf("fw_compare: %s[%d] is NaN\n", lab, j); bad = 1; d = INFINITY; }
                if (d > maxd) { maxd = d; snprintf(worst, sizeof worst, "%s[%d]", lab, j); }
                if (d > tol) { printf("fw_compare: %s[%d] = %.9g, reference %.9g (|diff| %.3g > %.3g)\n", lab, j, a[j], b[j], d, tol); bad = 1; }
            }
            n_vec++; n_val += na; n_same += same;
        }
    }
    for (i = 0; i < R.n; i++) {   /* a group the target has is there whole */
        char g[64];
        size_t k;
        if (!vec_label(R.line[i], lab, sizeof lab)) continue;
        k = strcspn(lab, ".");
        if (k >= sizeof g) k = sizeof g - 1;
        memcpy(g, lab, k); g[k] = 0;
        for (j = 0; j < n_groups && strcmp(groups[j], g) != 0; j++) {}
        if (j < n_groups && !find_vec(&T, lab)) { printf("fw_compare: %s is missing from %s\n", lab, argv[1]); bad = 1; }
    }
    if (!passed) { printf("fw_compare: %s has no 'fw: PASS' line\n", argv[1]); bad = 1; }
    if (n_vec == 0) { printf("fw_compare: no vectors in %s\n", argv[1]); bad = 1; }
    printf("%s %s: %d vectors (%d values, %d groups) vs %s: max |diff| %.3g at %s (tolerance %.3g), %d of %d vectors bit-identical\n",
           bad ? "FAIL" : "PASS", argv[1], n_vec, n_val, n_groups, argv[2], maxd, worst, tol, n_same, n_vec);
    return bad;
}
