/* report.h - `mtl-train --report DIR`: one self-contained HTML page of a training run, DIR/report.html.
   Everything is drawn here as inline SVG and HTML tables: no script, no external asset, so any browser
   (or a file viewer) shows it offline. Rewritten (temp file + rename) after every dev evaluation and at
   the end, so an interrupted run still has its report up to its last evaluation.

   What it shows:
     - the run: model, data, the effective configuration (the JSON mtl-train prints at start);
     - training loss per task over the steps (each step's loss, light, and its moving average), the
       learning rate;
     - dev metrics over the evaluations: cls accuracy and macro-F1, NER entity F1, precision, recall,
       and the dev losses;
     - before / after: the first evaluation (before training, or when a run resumed) against the last,
       for every metric, every class's F1 and every entity type's F1;
     - the last evaluation's confusion matrix (rows: true class, shaded by the row's share) and the
       per-class / per-entity-type precision, recall, F1 and support.
   Only what this process saw: a resumed run's curves start at the step it resumed from (said on the page).
   Used by examples/train.c only; plain C99 + stdio. */
#ifndef MTL_REPORT_H
#define MTL_REPORT_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct rp_series { double *x, *y; int n, cap; } rp_series;

/* One dev evaluation; has[0] cls, has[1] ner. */
typedef struct rp_eval {
    long step;
    int has[2];
    double cls_loss, cls_acc, cls_f1, ner_loss, ner_f1, ner_p, ner_r;
} rp_eval;

/* The class-level metrics of one evaluation (copied: the trainer's are freed after printing). */
typedef struct rp_snap {
    int valid[2];
    long step;
    int n_cls;
    double acc, macro_f1;
    mtl_prfs *per_class;
    int64_t *confusion;             /* [true * n_cls + pred] */
    int n_types;
    char **types;
    mtl_prfs *per_type, ner_micro;
} rp_snap;

typedef struct rp_report {
    char path[4200];                /* DIR/report.html                                            */
    const char *model, *cls_train, *ner_train, *config_json;  /* not owned                        */
    char *const *cls_names;         /* the cls labels (not owned)                                 */
    int n_cls;
    long step0;                     /* the first step this process ran (> 0: a resumed run)       */
    rp_series loss[2], lr;          /* per step: cls, ner training loss; the learning rate       */
    rp_eval *ev;
    int n_ev, cap_ev;
    rp_snap first, last;
    int done;                       /* the run ended (the last write)                             */
} rp_report;

static int rp_push(rp_series *s, double x, double y) {
    if (s->n == s->cap) {
        int nc = s->cap ? 2 * s->cap : 256;
        double *nx = (double *)realloc(s->x, (size_t)nc * sizeof *nx), *ny;
        if (!nx) return 1;
        s->x = nx;
        ny = (double *)realloc(s->y, (size_t)nc * sizeof *ny);
        if (!ny) return 1;
        s->y = ny;
        s->cap = nc;
    }
    s->x[s->n] = x;
    s->y[s->n] = y;
    s->n++;
    return 0;
}

/* A training step: its tasks' losses and the learning rate it used. */
static void rp_step(rp_report *r, long step, const mtl_step_stats *st, double lr) {
    if (!r) return;
    if (st->tasks & MTL_TASK_CLS) rp_push(&r->loss[0], (double)step, (double)st->loss_cls);
    if (st->tasks & MTL_TASK_NER) rp_push(&r->loss[1], (double)step, (double)st->loss_ner);
    rp_push(&r->lr, (double)step, lr);
}

static void rp_snap_free(rp_snap *s) {
    int k;
    free(s->per_class); free(s->confusion); free(s->per_type);
    for (k = 0; k < s->n_types; k++) free(s->types[k]);
    free(s->types);
    memset(s, 0, sizeof *s);
}

/* The start of an evaluation at `step` (then rp_eval_cls / rp_eval_ner for the tasks it has). */
static rp_eval *rp_eval_begin(rp_report *r, long step) {
    rp_eval *e;
    if (!r) return NULL;
    if (r->n_ev == r->cap_ev) {
        int nc = r->cap_ev ? 2 * r->cap_ev : 32;
        rp_eval *ne = (rp_eval *)realloc(r->ev, (size_t)nc * sizeof *ne);
        if (!ne) return NULL;
        r->ev = ne;
        r->cap_ev = nc;
    }
    e = &r->ev[r->n_ev++];
    memset(e, 0, sizeof *e);
    e->step = step;
    /* the snapshot of the latest evaluation; the first one is kept as "before" */
    if (r->n_ev > 1) rp_snap_free(&r->last);
    r->last.step = step;
    return e;
}
static rp_snap *rp_cur(rp_report *r) { return r->n_ev == 1 ? &r->first : &r->last; }

static void rp_eval_cls(rp_report *r, rp_eval *e, double loss, const mtl_cls_metrics *cm) {
    rp_snap *s;
    size_t nc;
    if (!r || !e) return;
    e->has[0] = 1; e->cls_loss = loss; e->cls_acc = cm->accuracy; e->cls_f1 = cm->macro.f1;
    s = rp_cur(r);
    s->step = e->step;
    nc = (size_t)cm->n_classes;
    s->per_class = (mtl_prfs *)malloc(nc * sizeof *s->per_class);
    s->confusion = (int64_t *)malloc(nc * nc * sizeof *s->confusion);
    if (!s->per_class || !s->confusion) { free(s->per_class); free(s->confusion); s->per_class = NULL; s->confusion = NULL; return; }
    memcpy(s->per_class, cm->per_class, nc * sizeof *s->per_class);
    memcpy(s->confusion, cm->confusion, nc * nc * sizeof *s->confusion);
    s->n_cls = cm->n_classes; s->acc = cm->accuracy; s->macro_f1 = cm->macro.f1;
    s->valid[0] = 1;
}
static void rp_eval_ner(rp_report *r, rp_eval *e, double loss, const mtl_ner_metrics *nm) {
    rp_snap *s;
    int k;
    if (!r || !e) return;
    e->has[1] = 1; e->ner_loss = loss;
    e->ner_f1 = isnan(nm->micro.f1) ? 0.0 : nm->micro.f1; e->ner_p = nm->micro.precision; e->ner_r = nm->micro.recall;
    s = rp_cur(r);
    s->step = e->step;
    s->per_type = (mtl_prfs *)malloc(((size_t)nm->n_types + 1) * sizeof *s->per_type);
    s->types = (char **)calloc((size_t)nm->n_types + 1, sizeof *s->types);
    if (!s->per_type || !s->types) { free(s->per_type); free(s->types); s->per_type = NULL; s->types = NULL; return; }
    for (k = 0; k < nm->n_types; k++) {
        size_t l = strlen(nm->types[k]);
        s->types[k] = (char *)malloc(l + 1);
        if (s->types[k]) memcpy(s->types[k], nm->types[k], l + 1);
        s->per_type[k] = nm->per_type[k];
    }
    s->n_types = nm->n_types;
    s->ner_micro = nm->micro;
    s->valid[1] = 1;
}

static void rp_free(rp_report *r) {
    int k;
    if (!r) return;
    for (k = 0; k < 2; k++) { free(r->loss[k].x); free(r->loss[k].y); }
    free(r->lr.x); free(r->lr.y); free(r->ev);
    rp_snap_free(&r->first);
    rp_snap_free(&r->last);
}

/* ---- writing ---------------------------------------------------------------------------------- */
static void rp_esc(FILE *f, const char *s) {
    for (; s && *s; s++) {
        if (*s == '<') fputs("&lt;", f);
        else if (*s == '>') fputs("&gt;", f);
        else if (*s == '&') fputs("&amp;", f);
        else if (*s == '"') fputs("&quot;", f);
        else fputc(*s, f);
    }
}
/* a "nice" tick step for a range: 1, 2 or 5 x 10^k, about n ticks */
static double rp_tick(double range, int n) {
    double raw = range / n, p = pow(10.0, floor(log10(raw))), m = raw / p;
    return (m < 1.5 ? 1.0 : m < 3.5 ? 2.0 : m < 7.5 ? 5.0 : 10.0) * p;
}
static void rp_num(FILE *f, double v) { fprintf(f, "%.3g", v); }

typedef struct rp_line { const char *name, *color; const rp_series *s; int smooth; } rp_line;

/* A line chart (SVG 640 x 240): lines share the x axis (steps) and one y axis. smooth: also the
   moving average over ~2% of the points (the raw line then drawn light). At most ~800 points a line
   are drawn (bucket means). */
static void rp_chart(FILE *f, const char *title, const char *ylabel, const rp_line *ln, int n_lines) {
    const double W = 640, Hh = 240, L = 56, R = 12, T = 26, B = 34;
    double x0 = 1e300, x1 = -1e300, y0 = 1e300, y1 = -1e300, t, dx, dy;
    int k, i, any = 0;
    for (k = 0; k < n_lines; k++)
        for (i = 0; i < ln[k].s->n; i++) {
            const double x = ln[k].s->x[i], y = ln[k].s->y[i];
            if (!isfinite(y)) continue;
            any = 1;
            if (x < x0) x0 = x;
            if (x > x1) x1 = x;
            if (y < y0) y0 = y;
            if (y > y1) y1 = y;
        }
    fprintf(f, "<figure><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" role=\"img\">\n", W, Hh, W, Hh);
    fprintf(f, "<text x=\"%.0f\" y=\"16\" class=\"ct\">", L);
    rp_esc(f, title);
    fputs("</text>\n", f);
    if (!any) { fprintf(f, "<text x=\"%.0f\" y=\"%.0f\" class=\"ax\">no data</text></svg></figure>\n", L + 10, Hh / 2); return; }
    if (x1 <= x0) { x0 -= 1; x1 += 1; }
    if (y1 <= y0) { y0 -= 0.5 * (fabs(y0) + 1e-3); y1 += 0.5 * (fabs(y1) + 1e-3); }
    t = rp_tick(y1 - y0, 4);
    y0 = floor(y0 / t) * t;
    y1 = ceil(y1 / t) * t;
    dx = (W - L - R) / (x1 - x0);
    dy = (Hh - T - B) / (y1 - y0);
#define RP_X(v) (L + ((v) - x0) * dx)
#define RP_Y(v) (Hh - B - ((v) - y0) * dy)
    for (i = 0; y0 + i * t <= y1 + 1e-9 * t; i++) {
        const double v = y0 + i * t;
        fprintf(f, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" class=\"gr\"/><text x=\"%.1f\" y=\"%.1f\" class=\"ax\" text-anchor=\"end\">",
                L, W - R, RP_Y(v), RP_Y(v), L - 4, RP_Y(v) + 4);
        rp_num(f, fabs(v) < 1e-12 * t ? 0.0 : v);
        fputs("</text>\n", f);
    }
    t = rp_tick(x1 - x0, 6);
    if (t < 1) t = 1;   /* steps are integers */
    for (i = (int)ceil(x0 / t); i * t <= x1 + 1e-9; i++)
        fprintf(f, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" class=\"gr\"/><text x=\"%.1f\" y=\"%.1f\" class=\"ax\" text-anchor=\"middle\">%g</text>\n",
                RP_X(i * t), RP_X(i * t), T, Hh - B, RP_X(i * t), Hh - B + 14, i * t);
    fprintf(f, "<text x=\"%.0f\" y=\"%.0f\" class=\"ax\" text-anchor=\"middle\">step</text>\n", (L + W - R) / 2, Hh - 4);
    fprintf(f, "<text x=\"12\" y=\"%.0f\" class=\"ax\" text-anchor=\"middle\" transform=\"rotate(-90 12 %.0f)\">", (T + Hh - B) / 2, (T + Hh - B) / 2);
    rp_esc(f, ylabel);
    fputs("</text>\n", f);
    for (k = 0; k < n_lines; k++) {
        const rp_series *s = ln[k].s;
        int pass, bucket = s->n > 800 ? (s->n + 799) / 800 : 1;
        if (!s->n) continue;
        for (pass = ln[k].smooth ? 0 : 1; pass < 2; pass++) {
            int win = pass == 1 && ln[k].smooth ? (s->n / 50 > 1 ? s->n / 50 : 1) : 1, started = 0;
            double acc = 0;
            int cnt = 0;
            fprintf(f, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"%s\" %s points=\"", ln[k].color, pass ? "1.6" : "1",
                    pass || !ln[k].smooth ? "" : "stroke-opacity=\"0.25\"");
            for (i = 0; i < s->n; i++) {
                double y = s->y[i], xs = 0, ys = 0;
                int j, m = 0;
                if (win > 1) {   /* trailing moving average */
                    acc += isfinite(y) ? y : 0; cnt += isfinite(y) != 0;
                    if (i >= win && isfinite(s->y[i - win])) { acc -= s->y[i - win]; cnt--; }
                    y = cnt ? acc / cnt : NAN;
                }
                if (bucket > 1 && win == 1) {   /* raw line: the mean of a bucket */
                    if (i % bucket) continue;
                    for (j = i; j < i + bucket && j < s->n; j++) if (isfinite(s->y[j])) { xs += s->x[j]; ys += s->y[j]; m++; }
                    if (!m) continue;
                    fprintf(f, "%s%.1f,%.1f", started++ ? " " : "", RP_X(xs / m), RP_Y(ys / m));
                    continue;
                }
                if (!isfinite(y) || (bucket > 1 && i % bucket && i != s->n - 1)) continue;
                fprintf(f, "%s%.1f,%.1f", started++ ? " " : "", RP_X(s->x[i]), RP_Y(y));
            }
            fputs("\"/>\n", f);
            if (s->n == 1) fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>\n", RP_X(s->x[0]), RP_Y(s->y[0]), ln[k].color);
        }
    }
    /* the legend: top right inside the plot, on a white box */
    fprintf(f, "<rect x=\"%.0f\" y=\"%.0f\" width=\"124\" height=\"%d\" fill=\"#fff\" fill-opacity=\"0.85\" stroke=\"#ddd\"/>\n", W - R - 130, T + 4, 13 * n_lines + 6);
    for (k = 0; k < n_lines; k++) {
        fprintf(f, "<rect x=\"%.0f\" y=\"%.0f\" width=\"12\" height=\"3\" fill=\"%s\"/><text x=\"%.0f\" y=\"%.0f\" class=\"lg\">", W - R - 124,
                T + 4 + 13 * k + 8, ln[k].color, W - R - 108, T + 4 + 13 * k + 13);
        rp_esc(f, ln[k].name);
        fputs("</text>\n", f);
    }
#undef RP_X
#undef RP_Y
    fputs("</svg></figure>\n", f);
}

static void rp_cell(FILE *f, double v) {
    if (isnan(v)) fputs("<td>&ndash;</td>", f);
    else fprintf(f, "<td>%.4f</td>", v);
}
static void rp_delta(FILE *f, double a, double b) {
    if (isnan(a) || isnan(b)) { fputs("<td>&ndash;</td>", f); return; }
    fprintf(f, "<td class=\"%s\">%+.4f</td>", b > a ? "up" : b < a ? "dn" : "", b - a);
}
static void rp_ba_row(FILE *f, const char *name, double a, double b) {
    fputs("<tr><th>", f);
    rp_esc(f, name);
    fputs("</th>", f);
    rp_cell(f, a); rp_cell(f, b); rp_delta(f, a, b);
    fputs("</tr>\n", f);
}

static void rp_write_body(FILE *f, const rp_report *r) {
    static const char *const color[6] = {"#1f6fb4", "#d2691e", "#2e8b57", "#8e44ad", "#c0392b", "#7f8c8d"};
    const rp_eval *e0 = r->n_ev ? &r->ev[0] : NULL, *e1 = r->n_ev ? &r->ev[r->n_ev - 1] : NULL;
    const rp_snap *a = &r->first, *b = r->n_ev > 1 ? &r->last : &r->first;
    rp_series ev[8];
    int k, i, j;
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>mtl-train report</title>\n<style>\n"
          "body{font:14px/1.4 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px auto;max-width:1340px;color:#222;padding:0 16px}\n"
          "h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:3px}\n"
          ".sub{color:#666}figure{display:inline-block;margin:4px 14px 4px 0;vertical-align:top;border:1px solid #e4e4e4;border-radius:4px}\n"
          "svg text{font:11px system-ui,sans-serif}.ct{font-weight:600;font-size:12px}.ax{fill:#555}.lg{fill:#333}.gr{stroke:#eee}\n"
          "table{border-collapse:collapse;margin:6px 24px 10px 0;display:inline-table;vertical-align:top}td,th{border:1px solid #ddd;padding:3px 8px;text-align:right}\n"
          "th{background:#f6f6f6;text-align:left}.up{color:#1a7f37}.dn{color:#c0392b}pre{background:#f6f6f6;padding:8px;white-space:pre-wrap;word-break:break-all;font-size:12px}\n"
          ".tb{display:inline-block;vertical-align:top;margin:0 24px 10px 0}.tb table{margin:2px 0}.cap{font-weight:600;padding:2px 0}\n</style></head><body>\n", f);
    fputs("<h1>mtl-train report</h1>\n<p class=\"sub\">model ", f);
    rp_esc(f, r->model);
    if (r->cls_train) { fputs(" &middot; classification ", f); rp_esc(f, r->cls_train); }
    if (r->ner_train) { fputs(" &middot; NER ", f); rp_esc(f, r->ner_train); }
    fprintf(f, " &middot; %s", r->done ? "finished" : "in progress (written after each evaluation)");
    if (r->step0 > 0) fprintf(f, " &middot; resumed at step %ld: the curves start there", r->step0);
    fputs("</p>\n", f);

    fputs("<h2>Training</h2>\n", f);
    {
        rp_line ln[2];
        int n = 0;
        if (r->loss[0].n) { ln[n].name = "cls loss"; ln[n].color = color[0]; ln[n].s = &r->loss[0]; ln[n].smooth = 1; n++; }
        if (r->loss[1].n) { ln[n].name = "ner loss"; ln[n].color = color[1]; ln[n].s = &r->loss[1]; ln[n].smooth = 1; n++; }
        rp_chart(f, "training loss (light: each step, dark: moving average)", "loss", ln, n);
        ln[0].name = "learning rate"; ln[0].color = color[2]; ln[0].s = &r->lr; ln[0].smooth = 0;
        rp_chart(f, "learning rate", "lr", ln, 1);
    }

    fputs("<h2>Dev metrics over the evaluations</h2>\n", f);
    memset(ev, 0, sizeof ev);
    for (i = 0; i < r->n_ev; i++) {
        const rp_eval *e = &r->ev[i];
        const double x = (double)e->step;
        if (e->has[0]) { rp_push(&ev[0], x, e->cls_acc); rp_push(&ev[1], x, e->cls_f1); rp_push(&ev[5], x, e->cls_loss); }
        if (e->has[1]) { rp_push(&ev[2], x, e->ner_f1); rp_push(&ev[3], x, e->ner_p); rp_push(&ev[4], x, e->ner_r); rp_push(&ev[6], x, e->ner_loss); }
    }
    {
        rp_line ln[5];
        int n = 0;
        static const char *const nm[5] = {"cls accuracy", "cls macro-F1", "ner entity F1", "ner precision", "ner recall"};
        for (k = 0; k < 5; k++) if (ev[k].n) { ln[n].name = nm[k]; ln[n].color = color[k]; ln[n].s = &ev[k]; ln[n].smooth = 0; n++; }
        if (n) rp_chart(f, "dev metrics", "score", ln, n);
        n = 0;
        if (ev[5].n) { ln[n].name = "cls dev loss"; ln[n].color = color[0]; ln[n].s = &ev[5]; ln[n].smooth = 0; n++; }
        if (ev[6].n) { ln[n].name = "ner dev loss"; ln[n].color = color[1]; ln[n].s = &ev[6]; ln[n].smooth = 0; n++; }
        if (n) rp_chart(f, "dev loss", "loss", ln, n);
    }
    for (k = 0; k < 8; k++) { free(ev[k].x); free(ev[k].y); }
    if (!r->n_ev) fputs("<p class=\"sub\">no dev evaluation (no dev file)</p>\n", f);

    if (e0 && e1) {
        fprintf(f, "<h2>Before and after</h2>\n<div class=\"tb\"><div class=\"cap\">dev, step %ld &rarr; step %ld</div><table><tr><th>metric</th><th>before</th><th>after</th><th>&Delta;</th></tr>\n",
                e0->step, e1->step);
        if (e0->has[0] && e1->has[0]) {
            rp_ba_row(f, "cls accuracy", e0->cls_acc, e1->cls_acc);
            rp_ba_row(f, "cls macro-F1", e0->cls_f1, e1->cls_f1);
            rp_ba_row(f, "cls dev loss", e0->cls_loss, e1->cls_loss);
        }
        if (e0->has[1] && e1->has[1]) {
            rp_ba_row(f, "ner entity F1", e0->ner_f1, e1->ner_f1);
            rp_ba_row(f, "ner precision", e0->ner_p, e1->ner_p);
            rp_ba_row(f, "ner recall", e0->ner_r, e1->ner_r);
            rp_ba_row(f, "ner dev loss", e0->ner_loss, e1->ner_loss);
        }
        fputs("</table></div>\n", f);
        if (a->valid[0] && b->valid[0] && a->n_cls == b->n_cls) {
            fputs("<div class=\"tb\"><div class=\"cap\">F1 per class</div><table><tr><th>class</th><th>before</th><th>after</th><th>&Delta;</th></tr>\n", f);
            for (k = 0; k < b->n_cls; k++) rp_ba_row(f, k < r->n_cls && r->cls_names ? r->cls_names[k] : "?", a->per_class[k].f1, b->per_class[k].f1);
            fputs("</table></div>\n", f);
        }
        if (a->valid[1] && b->valid[1]) {
            fputs("<div class=\"tb\"><div class=\"cap\">F1 per entity type</div><table><tr><th>type</th><th>before</th><th>after</th><th>&Delta;</th></tr>\n", f);
            for (k = 0; k < b->n_types; k++) {
                double before = NAN;
                for (j = 0; j < a->n_types; j++) if (a->types[j] && b->types[k] && !strcmp(a->types[j], b->types[k])) before = a->per_type[j].f1;
                rp_ba_row(f, b->types[k] ? b->types[k] : "?", before, b->per_type[k].f1);
            }
            fputs("</table></div>\n", f);
        }
    }

    if (b->valid[0] && b->confusion) {
        fprintf(f, "<h2>Classification at step %ld</h2>\n<div class=\"tb\"><div class=\"cap\">confusion matrix (rows: true, columns: predicted)</div><table><tr><th></th>", b->step);
        for (k = 0; k < b->n_cls; k++) { fputs("<th>", f); rp_esc(f, k < r->n_cls && r->cls_names ? r->cls_names[k] : "?"); fputs("</th>", f); }
        fputs("</tr>\n", f);
        for (i = 0; i < b->n_cls; i++) {
            int64_t row = 0;
            for (k = 0; k < b->n_cls; k++) row += b->confusion[(size_t)i * (size_t)b->n_cls + (size_t)k];
            fputs("<tr><th>", f);
            rp_esc(f, i < r->n_cls && r->cls_names ? r->cls_names[i] : "?");
            fputs("</th>", f);
            for (k = 0; k < b->n_cls; k++) {
                const int64_t c = b->confusion[(size_t)i * (size_t)b->n_cls + (size_t)k];
                const double sh = row ? (double)c / (double)row : 0.0;
                fprintf(f, "<td style=\"background:rgba(%s,%.3f)\">%lld</td>", i == k ? "46,139,87" : "192,57,43", 0.08 + 0.6 * sh, (long long)c);
            }
            fputs("</tr>\n", f);
        }
        fputs("</table></div>\n<div class=\"tb\"><div class=\"cap\">per class</div><table><tr><th>class</th><th>precision</th><th>recall</th><th>F1</th><th>support</th></tr>\n", f);
        for (k = 0; k < b->n_cls; k++) {
            fputs("<tr><th>", f);
            rp_esc(f, k < r->n_cls && r->cls_names ? r->cls_names[k] : "?");
            fputs("</th>", f);
            rp_cell(f, b->per_class[k].precision); rp_cell(f, b->per_class[k].recall); rp_cell(f, b->per_class[k].f1);
            fprintf(f, "<td>%lld</td></tr>\n", (long long)b->per_class[k].support);
        }
        fprintf(f, "<tr><th>accuracy</th><td></td><td></td><td>%.4f</td><td></td></tr><tr><th>macro avg</th><td></td><td></td><td>%.4f</td><td></td></tr></table></div>\n",
                b->acc, b->macro_f1);
    }
    if (b->valid[1] && b->per_type) {
        fprintf(f, "<h2>NER at step %ld (entity level, seqeval strict IOB2)</h2>\n<div class=\"tb\"><div class=\"cap\">per entity type</div><table>"
                "<tr><th>type</th><th>precision</th><th>recall</th><th>F1</th><th>support</th><th></th></tr>\n", b->step);
        for (k = 0; k < b->n_types; k++) {
            const double f1 = isnan(b->per_type[k].f1) ? 0.0 : b->per_type[k].f1;
            fputs("<tr><th>", f);
            rp_esc(f, b->types[k] ? b->types[k] : "?");
            fputs("</th>", f);
            rp_cell(f, b->per_type[k].precision); rp_cell(f, b->per_type[k].recall); rp_cell(f, b->per_type[k].f1);
            fprintf(f, "<td>%lld</td><td style=\"text-align:left\"><svg width=\"120\" height=\"10\"><rect width=\"%.1f\" height=\"10\" fill=\"%s\"/></svg></td></tr>\n",
                    (long long)b->per_type[k].support, 120.0 * f1, color[1]);
        }
        fputs("<tr><th>micro avg</th>", f);
        rp_cell(f, b->ner_micro.precision); rp_cell(f, b->ner_micro.recall); rp_cell(f, b->ner_micro.f1);
        fprintf(f, "<td>%lld</td><td></td></tr></table></div>\n", (long long)b->ner_micro.support);
    }
    if (r->config_json) {
        fputs("<h2>Configuration</h2>\n<pre>", f);
        rp_esc(f, r->config_json);
        fputs("</pre>\n", f);
    }
    fputs("<p class=\"sub\">written by mtl-train " MTL_VERSION "</p>\n</body></html>\n", f);
}

/* Writes r->path (via r->path + ".tmp" and a rename). 0 ok; else errno is set. */
static int rp_write(const rp_report *r) {
    char tmp[4300];
    FILE *f;
    int bad;
    snprintf(tmp, sizeof tmp, "%s.tmp", r->path);
    f = fopen(tmp, "wb");
    if (!f) return 1;
    rp_write_body(f, r);
    bad = ferror(f) != 0;
    if (fclose(f) != 0) bad = 1;
    if (bad || rename(tmp, r->path) != 0) { remove(tmp); return 1; }
    return 0;
}

#endif
