/* mtl-train: fine-tune a BERT model file (or train one from scratch) on classification and/or NER data
   (issues #5, #15).

   build/mtl-train --model BLOB --out BLOB [--cls-train F --cls-dev F --cls-format sst2|imdb|csv:TEXTCOL,LABELCOL]
                   [--ner-train F --ner-dev F --ner-format conll|gmb] [options]
   build/mtl-train --init random --config config.json --tokenizer DIR|BLOB --out BLOB ...   (from scratch)
   build/mtl-train --config-file run.json [options]

   Every option and its default: --help (the table OPTS below is the one list: parsing, --help,
   --config-file keys and the saved configuration all come from it).

   --model: a GGUF model file from build/weights_convert, a previous mtl-train --out or state file (its
   heads are kept when their label sets and shapes equal this run's). --init random instead builds the
   model from scratch: the sizes of an HF config.json (--config), the vocabulary of --tokenizer (an HF
   tokenizer folder or a model file), weights as HF's _init_weights (N(0, initializer_range), biases 0,
   LayerNorm 1/0, the padding row 0). Label sets come from the training files; dev files must use them.
   The cls head's pooling: --pooling, else the starting model's, else "pooler" with the classifier of
   a converted BertForSequenceClassification whose labels equal the training file's (that classifier
   is then the starting head), else mean. Prints the run's configuration (JSON, the same text is saved
   in --out as mtl.train.config), dev metrics before training, at every --eval-every steps, at the end of
   each epoch and after training (stdout); progress on stderr (a bar on a terminal, plain lines
   otherwise). --out gets the inference model (backbone, heads, labels, tokenizer; no optimizer state)
   of the best dev score (the last one without dev files), written atomically (.tmp + rename); it loads
   in mtl-embed, mtl-eval and mtl-predict. The resumable state (weights, optimizer moments, step, RNG)
   goes to --save-state F (at the end of training and on Ctrl-C), else on Ctrl-C only to
   OUT.resume.gguf. Ctrl-C: the state is saved after the current step, exit status 130; --resume STATE
   continues it (same options) bit-identically; a second Ctrl-C stops at once (nothing more is saved).
   --threads: threads of the backbone's forward and backward (default: all online CPUs, at most 8, as in
   every tool); the same seed gives the same run, bit for bit, at any thread count.

   A step: --accum-steps N micro-batches of --batch examples per task of the step (each micro-batch's
   loss is its own mean over its rows / counted tokens, scaled by 1/N: the step's gradient is the mean
   of the micro-batches', HF Trainer's rule; for classification with full micro-batches that is one
   batch of N x B examples, up to float rounding). An epoch: ceil(M / N) steps, M = the micro-batches
   of one pass (the larger task's with --schedule combined, the sum otherwise); its last step may have
   fewer micro-batches. --max-steps N trains exactly N steps (the lr schedule spans them; --epochs is
   then ignored), as HF's max_steps.
   --early-stopping N: after each dev evaluation a task with a dev file compares its metric (cls:
   accuracy, NER: entity F1) with its best so far (the evaluation before training included); after N
   evaluations in a row without a strictly better value the task stops: its head is frozen (no more
   updates, no weight decay), the steps its schedule would give it train the other task, whose
   training (and the backbone's) goes on; its dev metric is still reported and --out still holds the
   best mean score. The run ends when every task has stopped (or at the last step).

   Label sets: --cls-labels A,B,... (or --labels) / --ner-labels T1,T2,... pin the classes / tags (ids
   follow the list): a label of the training or dev file outside the list is an error naming file:line
   (without them a typo would silently become one more class). Label fields are trimmed of surrounding
   whitespace ("1 " is "1"). A class in fewer than 5 rows or under 1% of the rows, and a tag on fewer
   than 5 words, is warned about on stderr (file:line of its first use), as is a pinned label that
   never occurs.
   Before any training step --out is checked: an empty name, a directory, a path in a missing or
   unwritable folder (a probe file OUT.tmp is created and removed), the state file being a directory,
   or less free space than a checkpoint needs are refused (exit 1). When a save still fails (disk
   full), the message says why and the trained state is saved as a resumable checkpoint beside OUT,
   else in $TMPDIR (or /tmp), and the message names it; no .tmp file is left behind.
   Exit status: 0 ok, 1 runtime error (incl. a write error on stdout), 2 usage, 130 interrupted. */
#define _POSIX_C_SOURCE 200809L
#define MTL_BERT_IMPLEMENTATION
#include "../mtl_bert.h"

#include <math.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include "report.h"
static rp_report *g_rep;   /* --report: the run's history (NULL: none) */
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "cli.h"
#include "cli_train.h"
#include "../weights_convert/convert.h"   /* cv_parse_config: config.json for --init random */

/* Ctrl-C: the first one asks for a save after the current step; a second one stops at once, removing
   the .tmp files a save in progress may have started (names set before training). */
static volatile sig_atomic_t g_stop = 0;
static char g_tmp[3][4400];
static void on_sigint(int sig) {
    static const char msg[] = "\nmtl-train: interrupted again: stopping at once (nothing more is saved)\n";
    int k;
    (void)sig;
    if (!g_stop) { g_stop = 1; return; }
    for (k = 0; k < 3; k++) if (g_tmp[k][0]) unlink(g_tmp[k]);
    if (write(2, msg, sizeof msg - 1) < 0) { /* nothing more to do */ }
    _exit(130);
}

#define PROG "mtl-train"

/* The run's settings: one field per option. */
typedef struct opts {
    const char *model, *out, *save_state, *config_file, *init, *config, *tokenizer, *cls_train, *cls_dev, *cls_fmt,
        *cls_labels, *ner_train, *ner_dev, *ner_fmt, *ner_labels, *freeze, *unfreeze, *optimizer, *lr_schedule, *head,
        *cls_head, *ner_head, *pooling, *dropout, *class_weights, *ner_class_weights, *schedule, *task_weights,
        *task_probs, *resume, *report;
    long epochs, max_steps, batch, accum, max_len, warmup_steps, early_stop, eval_every, threads;
    double momentum, lr, head_mult, layer_decay, wd, warmup_ratio, clip, label_smoothing;
    unsigned long long seed;
} opts;

/* One option: its help line, its type ('s' text, 'i' integer in lo..hi, 'd' number in lo..hi, lo
   excluded when open, 'u' 0..2^64-1), its field, its default (NULL: none, or set before parsing) and
   whether it belongs to the run's configuration (mtl.train.config: what changes the trained model;
   not the output paths, --resume, --threads, --config-file). */
typedef struct topt {
    cli_opt h;
    char type;
    size_t off;
    double lo, hi;
    int open;
    const char *dflt;
    int saved;
} topt;
#define T_S(f) 's', offsetof(opts, f), 0, 0, 0
#define T_I(f, lo, hi) 'i', offsetof(opts, f), lo, hi, 0
#define T_D(f, lo, hi, open) 'd', offsetof(opts, f), lo, hi, open
#define T_BIG 1e300
static const topt TOPTS[] = {
    {{"--model BLOB", "the starting model: weights_convert output or an mtl-train --out / state file; required (not with --init random)"}, T_S(model), NULL, 1},
    {{"--out BLOB", "the inference model to write (backbone + heads + labels, no optimizer state): the best dev score, the last one without dev files; required"}, T_S(out), NULL, 0},
    {{"--save-state F", "the resumable state (weights, optimizer moments, step, RNG): written at the end and on Ctrl-C (default: OUT.resume.gguf, on Ctrl-C only)"}, T_S(save_state), NULL, 0},
    {{"--config-file F", "options from a JSON object: keys = long option names (max-length or max_length), values strings, numbers or arrays (joined by ','); the command line overrides it (default: none)"}, T_S(config_file), NULL, 0},
    {{"--init I", "model|random: the weights of --model, or a model from scratch (HF _init_weights; needs --config and --tokenizer) (default: model)"}, T_S(init), "model", 1},
    {{"--config F", "--init random: an HF config.json (vocab_size, hidden_size, num_hidden_layers, num_attention_heads, intermediate_size, max_position_embeddings, type_vocab_size, layer_norm_eps, initializer_range) (default: none)"}, T_S(config), NULL, 1},
    {{"--tokenizer T", "--init random: the vocabulary, an HF tokenizer folder or a model file (default: none)"}, T_S(tokenizer), NULL, 1},
    {{"--cls-train F", "classification training file (default: none; --cls-train and/or --ner-train is required)"}, T_S(cls_train), NULL, 1},
    {{"--cls-dev F", "classification dev file, needs --cls-train (default: none)"}, T_S(cls_dev), NULL, 1},
    {{"--cls-format F", "sst2|imdb|csv:TEXTCOL,LABELCOL (default: sst2)"}, T_S(cls_fmt), "sst2", 1},
    {{"--cls-labels A,B,...", "pin the class set, ids in list order; another label in a file is an error (default: the training file's)"}, T_S(cls_labels), NULL, 1},
    {{"--labels A,B,...", "the same as --cls-labels"}, T_S(cls_labels), NULL, 0},
    {{"--ner-train F", "NER training file (default: none)"}, T_S(ner_train), NULL, 1},
    {{"--ner-dev F", "NER dev file, needs --ner-train (default: none)"}, T_S(ner_dev), NULL, 1},
    {{"--ner-format F", "conll|gmb (default: conll; CoNLL IOB1 tags become IOB2)"}, T_S(ner_fmt), "conll", 1},
    {{"--ner-labels T1,T2,...", "pin the tag set, ids in list order (default: the training file's)"}, T_S(ner_labels), NULL, 1},
    {{"--freeze SPEC", "none|all|backbone|embeddings|top:N|head:cls|head:ner, joined by + or , (default: none)"}, T_S(freeze), "none", 1},
    {{"--unfreeze-schedule S", "EPOCH:SPEC,... e.g. \"0:backbone,1:top:2,2:none\" (default: none)"}, T_S(unfreeze), NULL, 1},
    {{"--epochs N", "training epochs, 1..1000000 (default: 3)"}, T_I(epochs, 1, 1000000), "3", 1},
    {{"--max-steps N", "train exactly N optimizer steps (the lr schedule spans them; --epochs is then ignored), 0..2147483647, 0: --epochs decides (default: 0)"}, T_I(max_steps, 0, 2147483647), "0", 1},
    {{"--batch N", "examples per micro-batch, 1..1024 (default: 16)"}, T_I(batch, 1, 1024), "16", 1},
    {{"--accum-steps N", "micro-batches per optimizer step (gradient accumulation, the mean of their gradients), 1..1024 (default: 1)"}, T_I(accum, 1, 1024), "1", 1},
    {{"--max-length N", "tokens per example, 3..100000, at most the model's positions (default: 128)"}, T_I(max_len, 3, 100000), "128", 1},
    {{"--optimizer O", "adamw|adam|sgd, as torch.optim (betas 0.9,0.999, eps 1e-8; weight decay: AdamW decoupled, Adam/SGD L2) (default: adamw)"}, T_S(optimizer), "adamw", 1},
    {{"--momentum X", "SGD momentum, 0..1; only with --optimizer sgd (default: 0)"}, T_D(momentum, 0, 1, 0), "0", 1},
    {{"--lr X", "peak learning rate, > 0 (default: 2e-5)"}, T_D(lr, 0, T_BIG, 1), "2e-5", 1},
    {{"--lr-schedule S", "linear|cosine|constant after the warmup, as HF's get_*_schedule_with_warmup (default: linear)"}, T_S(lr_schedule), "linear", 1},
    {{"--head-lr-mult X", "the heads' lr = lr * X, > 0 (default: 1)"}, T_D(head_mult, 0, T_BIG, 1), "1", 1},
    {{"--layer-decay X", "layer-wise lr decay: layer k of L gets lr * X^(L-1-k), > 0 (default: 1: none)"}, T_D(layer_decay, 0, T_BIG, 1), "1", 1},
    {{"--weight-decay X", "weight decay, >= 0 (default: 0.01)"}, T_D(wd, 0, T_BIG, 0), "0.01", 1},
    {{"--warmup-steps N", "linear warmup steps, 0..2147483647; not with --warmup-ratio (default: 0)"}, T_I(warmup_steps, 0, 2147483647), NULL, 1},
    {{"--warmup-ratio X", "warmup as a fraction of the steps, 0..1; not with --warmup-steps (default: 0)"}, T_D(warmup_ratio, 0, 1, 0), NULL, 1},
    {{"--clip X", "clip the gradient norm to X, <= 0: no clipping (default: 1)"}, T_D(clip, -T_BIG, T_BIG, 0), "1", 1},
    {{"--head H", "both heads: linear|mlp[:HIDDEN[:relu|gelu|tanh]] (Linear, act, Dropout, Linear; HIDDEN 1..65536, default the model's hidden size; act default gelu) (default: linear)"}, T_S(head), NULL, 1},
    {{"--cls-head H", "the classification head, as --head (default: --head's)"}, T_S(cls_head), NULL, 1},
    {{"--ner-head H", "the NER head, as --head (default: --head's)"}, T_S(ner_head), NULL, 1},
    {{"--pooling P", "mean|cls|max|pooler: the cls head's pooling (default: the model's, else pooler with a matching HF classifier, else mean)"}, T_S(pooling), NULL, 1},
    {{"--dropout P", "P or CLS,HIDDEN,ATTN, each in [0, 1): on the heads' input (and inside an MLP head), the backbone's hidden states, the attention probabilities (default: 0.1)"}, T_S(dropout), "0.1", 1},
    {{"--label-smoothing X", "cross-entropy label smoothing of both tasks, 0..1 (default: 0)"}, T_D(label_smoothing, 0, 1, 0), "0", 1},
    {{"--class-weights W", "cls loss class weights: auto = n_rows / (n_classes * count of the class) in the training file (sklearn's \"balanced\"), or A,B,... >= 0 in label order (default: none: all 1)"}, T_S(class_weights), NULL, 1},
    {{"--ner-class-weights W", "NER loss tag weights: auto = n_words / (n_tags * words with the tag), or A,B,... in tag order (default: none: all 1)"}, T_S(ner_class_weights), NULL, 1},
    {{"--schedule S", "combined|alternate|sample|separate: how cls and NER steps mix (default: combined)"}, T_S(schedule), "combined", 1},
    {{"--task-weights A,B", "loss weights of cls and NER (default: 1,1)"}, T_S(task_weights), "1,1", 1},
    {{"--task-probs A,B", "--schedule sample: a step is a cls step with probability A / (A + B), A, B >= 0 (default: the tasks' shares of the batches)"}, T_S(task_probs), NULL, 1},
    {{"--early-stopping N", "stop a task after N dev evaluations without a better dev metric (cls accuracy, NER entity F1), 0..2147483647, 0: off (default: 0)"}, T_I(early_stop, 0, 2147483647), "0", 1},
    {{"--eval-every N", "dev evaluation every N steps too, 0..2147483647, 0: only per epoch (default: 0)"}, T_I(eval_every, 0, 2147483647), "0", 1},
    {{"--seed N", "seed of initialisation, shuffling, dropout and task sampling, 0..2^64-1 (default: 42)"}, 'u', offsetof(opts, seed), 0, 0, 0, "42", 1},
    {{"--threads N", "threads of the forward and backward, 1..64 (default: all online CPUs, at most 8)"}, T_I(threads, 1, CLI_THREADS_MAX), NULL, 0},
    {{"--resume STATE", "continue an interrupted run from its state file (--save-state, else OUT.resume.gguf), same options (default: none)"}, T_S(resume), NULL, 0},
    {{"--report DIR", "write DIR/report.html (made if missing): loss curves, lr, dev metrics, before/after, confusion matrix, per-class and per-entity F1; self-contained, after every evaluation (default: none)"}, T_S(report), NULL, 0},
};
#define N_TOPTS ((int)(sizeof TOPTS / sizeof TOPTS[0]))
static cli_opt g_help[N_TOPTS + 1];   /* TOPTS' help lines, for cli_help / cli_bad_option */

static int help(void) {
    return cli_help(PROG, "mtl-train --model BLOB --out BLOB [--cls-train F [--cls-dev F]] [--ner-train F [--ner-dev F]] [options]",
                    "Fine-tunes a BERT model file (or one from scratch: --init random) on classification and/or NER\n"
                    "data; the configuration and dev metrics on stdout, progress on stderr. Ctrl-C saves the resumable\n"
                    "state (--save-state, else OUT.resume.gguf) and exits 130 (--resume continues it); a second Ctrl-C\n"
                    "stops at once. The same seed gives the same run, bit for bit, at any thread count. Errors in a\n"
                    "data file: \"file:line: what\" (1-based lines).\n",
                    g_help);
}

/* The flag of option k ("--epochs": its help line's first word). */
static const char *opt_name(int k, char *buf, size_t cap) {
    const char *f = TOPTS[k].h.flags, *sp = strchr(f, ' ');
    const size_t n = sp ? (size_t)(sp - f) : strlen(f);
    snprintf(buf, cap, "%.*s", (int)n, f);
    return buf;
}
/* The option called name ("--epochs", or "epochs" / "max_length" when bare: a config file's key), or -1. */
static int find_opt(const char *name, int bare) {
    char nm[64], key[64];
    size_t i;
    int k;
    if (bare) {
        if (strlen(name) + 3 > sizeof key) return -1;
        key[0] = key[1] = '-';
        for (i = 0; name[i]; i++) key[i + 2] = name[i] == '_' ? '-' : name[i];
        key[i + 2] = 0;
        name = key;
    }
    for (k = 0; k < N_TOPTS; k++) if (!strcmp(opt_name(k, nm, sizeof nm), name)) return k;
    return -1;
}
/* Two names of one setting (--labels, --cls-labels): a later value of one replaces the other's. */
static int alias(int a, int b) { return TOPTS[a].off == TOPTS[b].off; }
/* What a command-line option overrides in --config-file: its aliases and, for the two warmup
   options, the other one. */
static int same_slot(int a, int b) {
    const size_t ws = offsetof(opts, warmup_steps), wr = offsetof(opts, warmup_ratio);
    return alias(a, b) || ((TOPTS[a].off == ws || TOPTS[a].off == wr) && (TOPTS[b].off == ws || TOPTS[b].off == wr));
}

/* Sets option k's field from its text; a bad value is a usage error (exit 2). */
static int set_opt(opts *o, int k, const char *v) {
    const topt *t = &TOPTS[k];
    char *field = (char *)o + t->off, nm[64], *end = NULL;
    opt_name(k, nm, sizeof nm);
    if (t->type == 's') { memcpy(field, &v, sizeof v); return 0; }
    if (t->type == 'i') {
        long x = 0;
        if (cli_parse_long(PROG, nm, v, (long)t->lo, (long)t->hi, &x)) return CLI_EXIT_USAGE;
        memcpy(field, &x, sizeof x);
        return 0;
    }
    errno = 0;
    if (t->type == 'u') {
        unsigned long long x = strtoull(v, &end, 10);
        if (end == v || *end || *v == '-' || errno == ERANGE) return cli_usage_error(PROG, "bad value for %s: '%s' (an integer, 0..2^64-1)", nm, v);
        memcpy(field, &x, sizeof x);
        return 0;
    } else {
        const double x = strtod(v, &end);
        if (end == v || *end || !(t->open ? x > t->lo : x >= t->lo) || !(x <= t->hi)) {
            char range[64];
            if (t->hi < T_BIG) snprintf(range, sizeof range, "%g..%g", t->lo, t->hi);
            else if (t->lo > -T_BIG) snprintf(range, sizeof range, "%s %g", t->open ? ">" : ">=", t->lo);
            else snprintf(range, sizeof range, "finite");
            return cli_usage_error(PROG, "bad value for %s: '%s' (a number, %s)", nm, v, range);
        }
        memcpy(field, &x, sizeof x);
        return 0;
    }
}

/* --config-file: the JSON object's values (text; numbers as written; arrays joined by ',') go to vals[]
   for every option the command line did not set (given[]). The texts live in *pool (free it).
   Returns 0, 1 (the file cannot be read) or 2 (bad content: a usage error). */
static int read_config_file(const char *path, const char **vals, const int *given, char **pool) {
    char *buf = NULL, *p;
    size_t len = 0;
    mtl_error err;
    mtl__json j;
    int e, k, q, status = 0;
    if (mtl__read_file(path, &buf, &len, &err) != MTL_OK) { fprintf(stderr, "%s: --config-file %s: %s\n", PROG, path, err.msg); return 1; }
    if (mtl__json_parse(&j, buf, len) != 0 || j.nodes[0].type != MTL__J_OBJ) {
        status = cli_usage_error(PROG, "--config-file %s: not a JSON object (%s)", path, j.error ? j.error : "an array or a value");
        goto done;
    }
    if (!(p = *pool = (char *)malloc(len + (size_t)j.n + 1))) { fprintf(stderr, "%s: out of memory\n", PROG); status = 1; goto done; }
    for (e = j.nodes[0].child; e >= 0; e = j.nodes[e].next) {
        const mtl__jnode *n = &j.nodes[e];
        char key[64];
        const int kl = (int)(n->kend - n->kstart);
        int skip = 0, el, one = n->type != MTL__J_ARR;
        snprintf(key, sizeof key, "%.*s", kl, j.s + n->kstart);
        k = kl < (int)sizeof key ? find_opt(key, 1) : -1;
        if (k < 0 || TOPTS[k].off == offsetof(opts, config_file)) {
            status = cli_usage_error(PROG, "--config-file %s: unknown key \"%s\" (the keys are the long option names)", path, key);
            goto done;
        }
        for (q = 0; q < N_TOPTS; q++) skip |= given[q] && same_slot(q, k);
        if (skip || n->type == MTL__J_NULL) continue;
        vals[k] = p;
        for (el = one ? e : n->child; el >= 0; el = one ? -1 : j.nodes[el].next) {
            const mtl__jnode *v = &j.nodes[el];
            if (v->type == MTL__J_STR) p += mtl__json_unescape(&j, el, p, v->end - v->start);
            else if (v->type == MTL__J_NUM) { memcpy(p, j.s + v->start, v->end - v->start); p += v->end - v->start; }
            else {
                status = cli_usage_error(PROG, "--config-file %s: \"%s\": a string, a number or an array of them", path, key);
                goto done;
            }
            if (!one && j.nodes[el].next >= 0) *p++ = ',';
        }
        *p++ = 0;
        for (q = 0; q < N_TOPTS; q++) if (q != k && alias(q, k)) vals[q] = NULL;
    }
done:
    mtl__json_free(&j);
    free(buf);
    return status;
}

/* The command line, then --config-file for what it did not set, then the defaults, into *o (vals[k]:
   option k's text, NULL when not given). 0 ok, -1 --help, -2 --version, else the exit status. */
static int parse_opts(int argc, char **argv, opts *o, const char **vals, char **pool) {
    int given[N_TOPTS], i, k, q, r;
    const int cf = find_opt("--config-file", 0);
    memset(o, 0, sizeof *o);
    memset(given, 0, sizeof given);
    for (k = 0; k < N_TOPTS; k++) vals[k] = NULL;
    o->threads = cli_default_threads();
    o->warmup_steps = -1;
    o->warmup_ratio = -1.0;
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (cli_is_help(a)) return -1;
        if (cli_is_version(a)) return -2;
        k = find_opt(a, 0);
        if (k < 0 || i + 1 >= argc) return cli_bad_option(PROG, g_help, a);
        for (q = 0; q < N_TOPTS; q++) if (alias(q, k)) { vals[q] = NULL; given[q] = 0; }
        vals[k] = argv[++i];
        given[k] = 1;
    }
    if (vals[cf] && (r = read_config_file(vals[cf], vals, given, pool)) != 0) return r;
    for (k = 0; k < N_TOPTS; k++) {
        const char *v = vals[k] ? vals[k] : TOPTS[k].dflt;
        if (v && (r = set_opt(o, k, v)) != 0) return r;
    }
    return 0;
}

/* The format names ct_load_cls / ct_load_ner take, checked before anything is loaded. */
static int cls_format_ok(const char *f) { return !strcmp(f, "sst2") || !strcmp(f, "imdb") || (!strncmp(f, "csv:", 4) && strchr(f + 4, ',')); }
static int ner_format_ok(const char *f) { return !strcmp(f, "conll") || !strcmp(f, "gmb"); }

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Tokenised examples of one task: ids [n][len], NER labels per token (or NULL), cls label. */
typedef struct examples {
    int n;
    int32_t **ids, **types, **ner;   /* ner NULL for cls */
    int *len;
    int32_t *cls;                    /* NULL for ner */
} examples;

static void ex_free(examples *e) {
    int i;
    for (i = 0; i < e->n; i++) { free(e->ids[i]); free(e->types[i]); if (e->ner) free(e->ner[i]); }
    free(e->ids); free(e->types); free(e->ner); free(e->len); free(e->cls);
    memset(e, 0, sizeof *e);
}

static int ex_alloc(examples *e, int n, int ner) {
    memset(e, 0, sizeof *e);
    e->n = n;
    e->ids = (int32_t **)calloc((size_t)n + 1, sizeof *e->ids);
    e->types = (int32_t **)calloc((size_t)n + 1, sizeof *e->types);
    e->len = (int *)calloc((size_t)n + 1, sizeof *e->len);
    if (ner) e->ner = (int32_t **)calloc((size_t)n + 1, sizeof *e->ner);
    else e->cls = (int32_t *)calloc((size_t)n + 1, sizeof *e->cls);
    return e->ids && e->types && e->len && (ner ? e->ner != NULL : e->cls != NULL);
}

static int32_t *dup32(const int32_t *s, int n) {
    int32_t *d = (int32_t *)malloc(((size_t)n + 1) * sizeof *d);
    if (d) memcpy(d, s, (size_t)n * sizeof *d);
    return d;
}

/* The count of examples cut to --max-length, on stderr as the other tools say it (none: nothing). */
static void say_truncated(const char *file, int k, int n, int max_len) {
    if (k) fprintf(stderr, "mtl-train: %s: %d of %d examples were truncated to %d tokens (--max-length)\n", file, k, n, max_len);
}

static int tokenize_cls(const mtl_tokenizer *tok, const mtl_cls_dataset *ds, int max_len, examples *e, const char *file) {
    mtl_aligned al;
    mtl_align_options ao;
    mtl_error err;
    int i, trunc = 0;
    memset(&al, 0, sizeof al);
    memset(&ao, 0, sizeof ao);
    ao.max_length = max_len;
    if (!ex_alloc(e, ds->n, 0)) return 1;
    for (i = 0; i < ds->n; i++) {
        const char *w = ds->texts[i];
        if (mtl_align_words(tok, &w, &ds->text_lens[i], 1, NULL, &ao, &al, &err) != MTL_OK) {
            fprintf(stderr, "mtl-train: %s:%d: %s\n", file, ds->lines[i], err.msg);
            mtl_aligned_free(&al);
            return 1;
        }
        e->len[i] = al.n;
        e->ids[i] = dup32(al.ids, al.n);
        e->types[i] = dup32(al.type_ids, al.n);
        e->cls[i] = ds->labels[i];
        trunc += al.truncated != 0;
        if (!e->ids[i] || !e->types[i]) { mtl_aligned_free(&al); return 1; }
    }
    mtl_aligned_free(&al);
    say_truncated(file, trunc, ds->n, max_len);
    return 0;
}

static int tokenize_ner(const mtl_tokenizer *tok, const mtl_ner_dataset *ds, int max_len, examples *e, const char *file) {
    mtl_aligned al;
    mtl_align_options ao;
    mtl_error err;
    int i, trunc = 0;
    memset(&al, 0, sizeof al);
    memset(&ao, 0, sizeof ao);
    ao.max_length = max_len;
    ao.split_into_words = 1;   /* CoNLL's words: HF's is_split_into_words (run_ner.py) */
    if (!ex_alloc(e, ds->n, 1)) return 1;
    for (i = 0; i < ds->n; i++) {
        const int w0 = ds->sent_start[i];
        if (mtl_align_words(tok, (const char *const *)ds->words + w0, ds->word_lens + w0, ds->sent_start[i + 1] - w0,
                            ds->tags + w0, &ao, &al, &err) != MTL_OK) {
            fprintf(stderr, "mtl-train: %s:%d: %s\n", file, ds->lines[i], err.msg);
            mtl_aligned_free(&al);
            return 1;
        }
        e->len[i] = al.n;
        e->ids[i] = dup32(al.ids, al.n);
        e->types[i] = dup32(al.type_ids, al.n);
        e->ner[i] = dup32(al.labels, al.n);
        trunc += al.truncated != 0;
        if (!e->ids[i] || !e->types[i] || !e->ner[i]) { mtl_aligned_free(&al); return 1; }
    }
    mtl_aligned_free(&al);
    say_truncated(file, trunc, ds->n, max_len);
    return 0;
}

/* padded batch buffers [max_batch * max_len] */
typedef struct batchbuf { int32_t *ids, *types, *mask, *ner, *cls; } batchbuf;

static int bb_alloc(batchbuf *b, int B, int L) {
    const size_t n = (size_t)B * (size_t)L;
    b->ids = (int32_t *)malloc(n * 4); b->types = (int32_t *)malloc(n * 4); b->mask = (int32_t *)malloc(n * 4);
    b->ner = (int32_t *)malloc(n * 4); b->cls = (int32_t *)malloc((size_t)B * 4);
    return b->ids && b->types && b->mask && b->ner && b->cls;
}
static void bb_free(batchbuf *b) { free(b->ids); free(b->types); free(b->mask); free(b->ner); free(b->cls); }

/* Fills a batch with examples idx[0..n) */
static mtl_batch make_batch(batchbuf *bb, const examples *e, const int32_t *idx, int n, int with_labels) {
    mtl_batch b;
    int i, t, L = 1;
    for (i = 0; i < n; i++) if (e->len[idx[i]] > L) L = e->len[idx[i]];
    for (i = 0; i < n; i++) {
        const int k = idx[i];
        for (t = 0; t < L; t++) {
            const size_t p = (size_t)i * (size_t)L + (size_t)t;
            const int in = t < e->len[k];
            bb->ids[p] = in ? e->ids[k][t] : 0;
            bb->types[p] = in ? e->types[k][t] : 0;
            bb->mask[p] = in;
            bb->ner[p] = in && e->ner ? e->ner[k][t] : -100;
        }
        if (e->cls) bb->cls[i] = e->cls[k];
    }
    memset(&b, 0, sizeof b);
    b.B = n; b.L = L; b.ids = bb->ids; b.types = bb->types; b.mask = bb->mask;
    if (with_labels) {
        if (e->cls) b.cls_labels = bb->cls;
        else b.ner_labels = bb->ner;
    }
    return b;
}

/* An epoch-wise shuffled stream of batches of one task. */
typedef struct stream { const examples *e; int32_t *order; int pos, epoch, B; uint64_t seed; } stream;
static void st_init(stream *s, const examples *e, int B, uint64_t seed) {
    s->e = e; s->B = B; s->seed = seed; s->pos = 0; s->epoch = 0;
    s->order = (int32_t *)malloc(((size_t)e->n + 1) * sizeof *s->order);
    if (s->order) mtl_shuffle(s->order, e->n, seed);
}
static const int32_t *st_next(stream *s, int *n) {
    const int32_t *p;
    if (s->pos >= s->e->n) { s->epoch++; s->pos = 0; mtl_shuffle(s->order, s->e->n, s->seed + (uint64_t)s->epoch); }
    p = s->order + s->pos;
    *n = s->e->n - s->pos < s->B ? s->e->n - s->pos : s->B;
    s->pos += *n;
    return p;
}

typedef struct dev {
    const examples *cls, *ner;
    const mtl_ner_dataset *ner_ds;
    const char *const *cls_names, *const *ner_names;
    int n_cls, n_ner;
} dev;

/* Dev evaluation with the trainer (eval mode). Prints one summary line (and the full reports when
   full); returns the selection score (mean of cls accuracy and NER micro F1), -1 on error. metric[0]
   gets the cls accuracy, metric[1] the NER entity F1 (NaN: 0), of the tasks with a dev file. */
static double evaluate(mtl_trainer *tr, const dev *d, batchbuf *bb, int B, const char *tag, int full, double metric[2]) {
    mtl_error err;
    mtl_step_stats st;
    double score = 0.0, loss;
    int parts = 0, i, k;
    int32_t idx[1024];
    char *rep_cls = NULL, *rep_ner = NULL;
    size_t need;
    rp_eval *re = rp_eval_begin(g_rep, mtl_trainer_step_count(tr));
    if (B > 1024) B = 1024;
    mtl_trainer_set_training(tr, 0);
    printf("[%s] step %ld", tag, mtl_trainer_step_count(tr));
    if (d->cls) {
        int32_t *pred = (int32_t *)malloc(((size_t)d->cls->n + 1) * 4);
        mtl_cls_metrics cm;
        loss = 0.0;
        if (!pred) return -1;
        for (i = 0; i < d->cls->n; i += B) {
            const int n = d->cls->n - i < B ? d->cls->n - i : B;
            mtl_batch b;
            const float *lg;
            for (k = 0; k < n; k++) idx[k] = i + k;
            b = make_batch(bb, d->cls, idx, n, 1);
            if (mtl_trainer_eval(tr, &b, &st, &err) != MTL_OK) { fprintf(stderr, "mtl-train: eval: %s\n", err.msg); free(pred); return -1; }
            loss += (double)st.loss_cls * n;
            lg = mtl_trainer_cls_logits(tr);
            for (k = 0; k < n; k++) pred[i + k] = ct_argmax(lg + (size_t)k * (size_t)d->n_cls, d->n_cls, NULL);
        }
        if (mtl_cls_metrics_compute(d->cls->cls, pred, d->cls->n, d->n_cls, &cm, &err) != MTL_OK) { fprintf(stderr, "mtl-train: %s\n", err.msg); free(pred); return -1; }
        printf("  cls: loss %.4f accuracy %.4f macro-F1 %.4f", loss / d->cls->n, cm.accuracy, cm.macro.f1);
        score += cm.accuracy; parts++;
        metric[0] = cm.accuracy;
        rp_eval_cls(g_rep, re, loss / d->cls->n, &cm);
        if (full && mtl_cls_report(&cm, d->cls_names, 4, NULL, 0, &need, &err) == MTL_ERR_NOMEM && (rep_cls = (char *)malloc(need + 1)) != NULL)
            mtl_cls_report(&cm, d->cls_names, 4, rep_cls, need + 1, &need, &err);
        mtl_cls_metrics_free(&cm);
        free(pred);
    }
    if (d->ner) {
        const mtl_ner_dataset *ds = d->ner_ds;
        int32_t *yp = (int32_t *)malloc(((size_t)ds->n_words + 1) * 4), *yt = (int32_t *)malloc(((size_t)ds->n_words + 1) * 4);
        int32_t *starts = (int32_t *)malloc(((size_t)ds->n + 1) * 4), *tp = NULL;
        mtl_ner_metrics nm;
        int kept = 0, t;
        loss = 0.0;
        if (!yp || !yt || !starts) { free(yp); free(yt); free(starts); free(rep_cls); return -1; }
        for (i = 0; i < d->ner->n; i += B) {
            const int n = d->ner->n - i < B ? d->ner->n - i : B;
            mtl_batch b;
            const float *lg;
            for (k = 0; k < n; k++) idx[k] = i + k;
            b = make_batch(bb, d->ner, idx, n, 1);
            if (mtl_trainer_eval(tr, &b, &st, &err) != MTL_OK) { fprintf(stderr, "mtl-train: eval: %s\n", err.msg); kept = -1; break; }
            loss += (double)st.loss_ner * n;
            lg = mtl_trainer_ner_logits(tr);
            for (k = 0; k < n; k++) {
                const int32_t *lab = d->ner->ner[i + k];
                starts[i + k] = kept;
                for (t = 0; t < d->ner->len[i + k]; t++) {
                    if (lab[t] == -100) continue;
                    yt[kept] = lab[t];
                    yp[kept++] = ct_argmax(lg + ((size_t)k * (size_t)b.L + (size_t)t) * (size_t)d->n_ner, d->n_ner, NULL);
                }
            }
        }
        starts[d->ner->n] = kept;
        if (kept < 0 || mtl_ner_metrics_compute(yt, yp, starts, d->ner->n, d->ner_names, d->n_ner, &nm, &err) != MTL_OK) {
            if (kept >= 0) fprintf(stderr, "mtl-train: %s\n", err.msg);
            free(yp); free(yt); free(starts);
            free(rep_cls); return -1;
        }
        printf("  ner: loss %.4f entity-F1 %.4f (P %.4f R %.4f)", loss / d->ner->n, nm.micro.f1, nm.micro.precision, nm.micro.recall);
        metric[1] = isnan(nm.micro.f1) ? 0.0 : nm.micro.f1;
        rp_eval_ner(g_rep, re, loss / d->ner->n, &nm);
        score += metric[1]; parts++;
        if (full && mtl_ner_report(&nm, 4, NULL, 0, &need, &err) == MTL_ERR_NOMEM && (rep_ner = (char *)malloc(need + 1)) != NULL)
            mtl_ner_report(&nm, 4, rep_ner, need + 1, &need, &err);
        mtl_ner_metrics_free(&nm);
        free(yp); free(yt); free(starts); free(tp);
    }
    printf("\n");
    if (rep_cls) printf("  classification (dev):\n%s\n", rep_cls);
    if (rep_ner) printf("  NER, entity level (dev):\n%s\n", rep_ner);
    free(rep_cls); free(rep_ner);
    if (g_rep && rp_write(g_rep)) fprintf(stderr, "mtl-train: cannot write %s: %s\n", g_rep->path, strerror(errno));
    if (cli_out_flush("mtl-train")) return -1;
    mtl_trainer_set_training(tr, 1);
    return parts ? score / parts : 0.0;
}

/* Loads a model file (weights_convert blob or checkpoint) into the trainer (mtl_trainer_load_model). */
static int load_blob_weights(mtl_trainer *tr, const char *path, int load_cls, int load_ner, int *n_heads) {
    char *buf = NULL;
    size_t len = 0;
    mtl_error err;
    int status = 0;
    if (mtl__read_file(path, &buf, &len, &err) != MTL_OK ||
        mtl_trainer_load_model(tr, buf, len, load_cls, load_ner, n_heads, &err) != MTL_OK) {
        fprintf(stderr, "mtl-train: %s: %s\n", path, err.msg);
        status = 1;
    }
    free(buf);
    return status;
}

/* 1 when the model's head of that kind has exactly these labels and this shape (hidden 0: Linear); a
   weights_convert file's HF classifier is such a head (mtl_model_head) */
static int same_labels(const mtl_model *m, mtl_head_kind kind, char **names, int n, int hidden, mtl_activation act) {
    const mtl_head_info *h = m ? mtl_model_head(m, kind) : NULL;
    int i;
    if (!h || h->num_labels != n || h->hidden != hidden || (hidden && h->act != act)) return 0;
    for (i = 0; i < n; i++) {
        size_t len;
        const char *s = mtl_model_head_label(m, kind, i, &len);
        if (!s || len != strlen(names[i]) || memcmp(s, names[i], len)) return 0;
    }
    return 1;
}

/* What a resumed run must know besides the trainer's state: the best dev score so far (so that it keeps
   comparing against the model --out already holds) and the early-stopping state of each task (its
   best metric, the evaluations since, the step it stopped at or -1). */
typedef struct progress_state { double best, task_best[2]; long bad[2], stopped[2]; } progress_state;

/* Kept beside a state file as STATE.best (numbers on one line; written .tmp + rename). */
static int write_best(const char *ckpt, const progress_state *ps) {
    char p[4400], tmp[4500];
    FILE *f;
    snprintf(p, sizeof p, "%s.best", ckpt);
    snprintf(tmp, sizeof tmp, "%s.tmp", p);
    if (!(f = fopen(tmp, "w"))) { fprintf(stderr, "mtl-train: cannot write %s: %s\n", tmp, strerror(errno)); return 1; }
    errno = 0;
    if (fprintf(f, "%.17g %.17g %ld %ld %.17g %ld %ld\n", ps->best, ps->task_best[0], ps->bad[0], ps->stopped[0], ps->task_best[1],
                ps->bad[1], ps->stopped[1]) < 0 || fflush(f) != 0 || ferror(f)) {
        const int e = errno;
        fclose(f);
        remove(tmp);
        fprintf(stderr, "mtl-train: cannot write %s: %s\n", tmp, e ? strerror(e) : "write error");
        return 1;
    }
    if (fclose(f) != 0 || rename(tmp, p) != 0) { fprintf(stderr, "mtl-train: cannot write %s: %s\n", p, strerror(errno)); remove(tmp); return 1; }
    return 0;
}
/* Reads it into *ps (the fields it has; 0 when there is none). */
static int read_best(const char *ckpt, progress_state *ps) {
    char p[4400];
    int n = 0;
    FILE *f;
    snprintf(p, sizeof p, "%s.best", ckpt);
    if ((f = fopen(p, "r")) != NULL) {
        progress_state r = *ps;
        n = fscanf(f, "%lf %lf %ld %ld %lf %ld %ld", &r.best, &r.task_best[0], &r.bad[0], &r.stopped[0], &r.task_best[1], &r.bad[1], &r.stopped[1]);
        if (n == 1 || n == 7) *ps = r;
        fclose(f);
    }
    return n == 1 || n == 7;
}

/* Saves the trainer to path: the inference model (state 0, --out) or the resumable state (1). On
   failure the message (with the OS reason) is printed and the trained state is kept: a resumable
   checkpoint at state_path (beside --out), else in $TMPDIR (or /tmp); the message names where it
   went. Returns 0 on success. */
static int save_ckpt(mtl_trainer *tr, const char *path, int state, const char *state_path, const progress_state *ps) {
    mtl_error err;
    char alt[4200];
    const char *td = getenv("TMPDIR");
    if ((state ? mtl_trainer_save_file(tr, path, &err) : mtl_trainer_save_model_file(tr, path, &err)) == MTL_OK) return 0;
    fprintf(stderr, "mtl-train: %s\n", err.msg);   /* "cannot write PATH: reason" */
    if (state_path && strcmp(state_path, path) && mtl_trainer_save_file(tr, state_path, &err) == MTL_OK && !write_best(state_path, ps)) {
        fprintf(stderr, "mtl-train: the trained state (step %ld) is kept in %s: free space, then continue with the same options and --resume %s\n",
                mtl_trainer_step_count(tr), state_path, state_path);
        return 1;
    }
    if (state_path && strcmp(state_path, path)) fprintf(stderr, "mtl-train: %s\n", err.msg);
    snprintf(alt, sizeof alt, "%s/mtl-train-%ld.resume.gguf", td && *td ? td : "/tmp", (long)getpid());
    if (mtl_trainer_save_file(tr, alt, &err) == MTL_OK && !write_best(alt, ps)) {
        fprintf(stderr, "mtl-train: the trained state (step %ld) is kept in %s: continue with the same options and --resume %s\n",
                mtl_trainer_step_count(tr), alt, alt);
        return 1;
    }
    fprintf(stderr, "mtl-train: %s\nmtl-train: the trained state could not be saved anywhere\n", err.msg);
    return 1;
}

/* Refuses an output path that cannot be written, before any work: an empty name, a directory or
   another non-regular file, a folder that is missing or not writable (a probe PATH.tmp is created
   and removed: the checkpoint writer writes PATH.tmp and renames it). 0 when fine. */
static int check_out_path(const char *opt, const char *path) {
    struct stat st;
    char tmp[4300];
    int fd, exists;
    const size_t n = strlen(path);
    if (n == 0) { fprintf(stderr, "mtl-train: %s: an empty file name\n", opt); return 1; }
    if (n > 4000) { fprintf(stderr, "mtl-train: %s: the name is too long\n", opt); return 1; }
    exists = stat(path, &st) == 0;
    if (path[n - 1] == '/' || (exists && S_ISDIR(st.st_mode))) { fprintf(stderr, "mtl-train: %s %s: is a directory\n", opt, path); return 1; }
    if (exists && !S_ISREG(st.st_mode)) { fprintf(stderr, "mtl-train: %s %s: not a regular file\n", opt, path); return 1; }
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    if (stat(tmp, &st) == 0 && !S_ISREG(st.st_mode)) { fprintf(stderr, "mtl-train: %s: %s is in the way (not a regular file)\n", opt, tmp); return 1; }
    if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0) { fprintf(stderr, "mtl-train: %s: cannot write %s: %s\n", opt, tmp, strerror(errno)); return 1; }
    close(fd);
    unlink(tmp);
    return 0;
}

/* Free bytes in the folder of path (-1 when unknown). */
static double free_bytes(const char *path) {
    char dir[4200];
    const char *sl = strrchr(path, '/');
    struct statvfs sv;
    if (!sl) snprintf(dir, sizeof dir, ".");
    else if (sl == path) snprintf(dir, sizeof dir, "/");
    else snprintf(dir, sizeof dir, "%.*s", (int)(sl - path), path);
    if (statvfs(dir, &sv) != 0) return -1.0;
    return (double)sv.f_bavail * (double)sv.f_frsize;
}

/* Comma-separated list -> NULL-terminated array of trimmed names (in one allocation); NULL on no memory. */
static char **split_list(const char *s, int *n) {
    size_t len = strlen(s), k;
    int cnt = 1, i = 0;
    char **v, *p;
    for (k = 0; k < len; k++) cnt += s[k] == ',';
    v = (char **)malloc(((size_t)cnt + 1) * sizeof *v + len + 1);
    if (!v) return NULL;
    p = (char *)(v + cnt + 1);
    memcpy(p, s, len + 1);
    for (;;) {
        char *e = strchr(p, ','), *a = p, *b;
        if (e) *e = 0;
        b = a + strlen(a);
        while (*a == ' ' || *a == '\t') a++;
        while (b > a && (b[-1] == ' ' || b[-1] == '\t')) *--b = 0;
        v[i++] = a;
        if (!e) break;
        p = e + 1;
    }
    v[i] = NULL;
    *n = i;
    return v;
}

/* Warnings about rare labels (counts from the loader). */
static void warn_rare(const char *file, const char *what, const char *unit, char **names, const int32_t *counts, const int32_t *lines, int n_names,
                      long total, int pct) {
    int k;
    for (k = 0; k < n_names; k++) {
        if (counts[k] == 0)
            fprintf(stderr, "mtl-train: warning: %s \"%s\" of the given list never occurs in %s\n", what, names[k], file);
        else if (counts[k] < 5 || (pct && (long)counts[k] * 100 < total))
            fprintf(stderr, "mtl-train: warning: %s:%d: %s \"%s\" on only %ld of %ld %s (fewer than 5%s): a typo? (--%s-labels pins the set)\n", file,
                    (int)lines[k], what, names[k], (long)counts[k], total, unit, pct ? " or under 1%" : "", pct ? "cls" : "ner");
    }
}

static void progress(int tty, long step, long total, double t0, long step0, const mtl_step_stats *st, double run_loss,
                     double run_cls, double run_ner, int final) {
    const double el = now_s() - t0, its = el > 0 ? (double)(step - step0) / el : 0.0;
    const double eta = its > 0 ? (double)(total - step) / its : 0.0;
    char losses[160];
    (void)st;
    snprintf(losses, sizeof losses, "loss %.4f%s", run_loss, "");
    if (run_cls >= 0) snprintf(losses + strlen(losses), sizeof losses - strlen(losses), " cls %.4f", run_cls);
    if (run_ner >= 0) snprintf(losses + strlen(losses), sizeof losses - strlen(losses), " ner %.4f", run_ner);
    if (tty) {
        char bar[31];
        int i, fill = total > 0 ? (int)(30 * step / total) : 30;
        for (i = 0; i < 30; i++) bar[i] = i < fill ? '#' : '.';
        bar[30] = 0;
        fprintf(stderr, "\r[%s] %ld/%ld %.2f it/s ETA %.0fs %s   %s", bar, step, total, its, eta, losses, final ? "\n" : "");
    } else {
        fprintf(stderr, "progress: step %ld/%ld %.2f it/s eta %.0fs %s\n", step, total, its, eta, losses);
    }
    fflush(stderr);
}

/* A comma-separated list of finite numbers into v[0..cap); returns the count, -1 when it is not one. */
static int parse_numbers(const char *s, double *v, int cap) {
    int n = 0;
    for (;;) {
        char *end;
        double x;
        errno = 0;
        x = strtod(s, &end);
        if (end == s || n >= cap || !(x > -T_BIG && x < T_BIG) || (*end && *end != ',')) return -1;
        v[n++] = x;
        if (!*end) return n;
        s = end + 1;
    }
}
static int count_items(const char *s) { int n = 1; for (; *s; s++) n += *s == ','; return n; }

/* --head / --cls-head / --ner-head: linear | mlp[:HIDDEN[:relu|gelu|tanh]]. *hidden: 0 Linear, -1 the
   model's hidden size; *act: an mtl_activation, or -1 (not given: gelu). 0 when it parses. */
static int parse_head(const char *s, int *hidden, int *act) {
    char *end;
    long h;
    *hidden = 0;
    *act = -1;
    if (!strcmp(s, "linear")) return 0;
    if (strncmp(s, "mlp", 3) || (s[3] && s[3] != ':')) return 1;
    *hidden = -1;
    if (!s[3]) return 0;
    errno = 0;
    h = strtol(s + 4, &end, 10);
    if (end == s + 4 || errno == ERANGE || h < 1 || h > 65536) return 1;
    *hidden = (int)h;
    if (!*end) return 0;
    if (!strcmp(end, ":relu")) *act = MTL_ACT_RELU;
    else if (!strcmp(end, ":gelu")) *act = MTL_ACT_GELU;
    else if (!strcmp(end, ":tanh")) *act = MTL_ACT_TANH;
    else return 1;
    return 0;
}

/* Class weights of a task (spec NULL: none, *w NULL): "auto" = total / (n * count[c]) (sklearn's
   "balanced"), or one number >= 0 per class. 0 ok (*w malloc'ed), 1 runtime error, 2 usage error. */
static int class_weights(const char *opt, const char *spec, int n, const int32_t *counts, long total, char **names,
                         const char *file, float **w) {
    double *v;
    int c, got;
    *w = NULL;
    if (!spec) return 0;
    if (!(*w = (float *)malloc(((size_t)n + 1) * sizeof **w)) || !(v = (double *)malloc(((size_t)n + 1) * sizeof *v))) {
        fprintf(stderr, "%s: out of memory\n", PROG);
        return 1;
    }
    if (!strcmp(spec, "auto")) {
        for (c = 0; c < n; c++) {
            if (!counts[c]) { fprintf(stderr, "%s: %s auto: \"%s\" never occurs in %s (give the weights)\n", PROG, opt, names[c], file); free(v); return 1; }
            (*w)[c] = (float)((double)total / ((double)n * (double)counts[c]));
        }
        free(v);
        return 0;
    }
    got = parse_numbers(spec, v, n);
    if (got != n) {
        char order[160];
        size_t o = 0;
        for (c = 0; c < n && o + strlen(names[c]) + 5 < sizeof order; c++) o += (size_t)snprintf(order + o, sizeof order - o, "%s%s", c ? "," : "", names[c]);
        if (c < n) snprintf(order + o, sizeof order - o, ",...");
        free(v);
        return cli_usage_error(PROG, "bad value for %s: '%s' (auto, or %d numbers >= 0, in the order %s)", opt, spec, n, order);
    }
    for (c = 0; c < n; c++) (*w)[c] = (float)v[c];
    free(v);
    return 0;
}

/* The run's configuration as one line of JSON: every option of TOPTS that is saved, in table order,
   its value (texts as given, numbers in their shortest exact form) or null (not given, no default). */
static void put_json_number(mtl__wbuf *b, double x) {
    char t[40];
    int p;
    for (p = 1; p <= 17; p++) {
        snprintf(t, sizeof t, "%.*g", p, x);
        if (strtod(t, NULL) == x) break;
    }
    mtl__wb_put(b, t, strlen(t));
}
static char *run_config_json(const opts *o, const char *const *vals, mtl__wbuf *b) {
    int k, first = 1;
    memset(b, 0, sizeof *b);
    mtl__wb_put(b, "{", 1);
    for (k = 0; k < N_TOPTS; k++) {
        const topt *t = &TOPTS[k];
        const char *field = (const char *)o + t->off;
        char nm[64], num[32];
        if (!t->saved) continue;
        if (!first) mtl__wb_put(b, ", ", 2);
        first = 0;
        mtl__tr_put_json_str(b, opt_name(k, nm, sizeof nm) + 2);
        mtl__wb_put(b, ": ", 2);
        if (t->type == 's') {
            const char *s;
            memcpy(&s, field, sizeof s);
            if (s) mtl__tr_put_json_str(b, s);
            else mtl__wb_put(b, "null", 4);
        } else if (!vals[k] && !t->dflt) mtl__wb_put(b, "null", 4);
        else if (t->type == 'd') { double x; memcpy(&x, field, sizeof x); put_json_number(b, x); }
        else {
            long x = 0;
            unsigned long long u = 0;
            if (t->type == 'i') memcpy(&x, field, sizeof x);
            else memcpy(&u, field, sizeof u);
            if (t->type == 'i') snprintf(num, sizeof num, "%ld", x);
            else snprintf(num, sizeof num, "%llu", u);
            mtl__wb_put(b, num, strlen(num));
        }
    }
    mtl__wb_put(b, "}", 2);   /* with the NUL */
    return b->oom ? NULL : (char *)b->d;
}

/* The micro-batches of step s: accum, fewer in the last step of an epoch of M micro-batches. */
static int step_micro(long s, long steps_per_epoch, long M, long accum) {
    const long left = M - (s % steps_per_epoch) * accum;
    return (int)(left < accum ? left : accum);
}
/* The tasks step s trains: the schedule's (both with one task's data), without the ones that stopped
   early (their steps go to the other task). 0 when every task has stopped. */
static int step_tasks(const mtl_mt_schedule *ms, long s, int have, const progress_state *ps) {
    int active = have, t;
    if (ps->stopped[0] >= 0 && s >= ps->stopped[0]) active &= ~MTL_TASK_CLS;
    if (ps->stopped[1] >= 0 && s >= ps->stopped[1]) active &= ~MTL_TASK_NER;
    if (have != MTL_TASK_BOTH || active != MTL_TASK_BOTH) return active;
    t = mtl_mt_tasks(ms, s);
    return t ? t : active;
}
/* Freezes the heads of the tasks that stopped early (and the pooler a stopped cls head reads): the
   trainable set minus them. */
static int freeze_stopped(mtl_trainer *tr, const progress_state *ps) {
    const mtl_trainer_config *c = mtl_trainer_get_config(tr);
    const int nt = mtl_trainer_n_tensors(tr);
    const char **names = (const char **)malloc(((size_t)nt + 1) * sizeof *names);
    const size_t lc = strlen(c->cls_prefix), ln = strlen(c->ner_prefix);
    mtl_error err;
    int i, n = 0, trainable = 0;
    if (!names) { fprintf(stderr, "%s: out of memory\n", PROG); return 1; }
    for (i = 0; i < nt; i++) {
        const char *nm = mtl_trainer_tensor_info(tr, i, NULL, NULL, NULL, &trainable);
        const int is_cls = (!strncmp(nm, c->cls_prefix, lc) && nm[lc] == '.') || (c->pooling == MTL_HPOOL_POOLER && !strncmp(nm, "pooler.", 7));
        const int is_ner = !strncmp(nm, c->ner_prefix, ln) && nm[ln] == '.';
        if (trainable && !(is_cls && ps->stopped[0] >= 0) && !(is_ner && ps->stopped[1] >= 0)) names[n++] = nm;
    }
    i = mtl_trainer_set_trainable(tr, names, n, &err) != MTL_OK;
    if (i) fprintf(stderr, "%s: early stopping: %s\n", PROG, err.msg);
    free(names);
    return i;
}

/* The starting point: a model file (--model), or a config.json + a tokenizer (--init random). */
typedef struct start {
    mtl_model *m;                /* --model, or the model file --tokenizer names                      */
    mtl_tokenizer *own_tok;      /* --tokenizer DIR                                                   */
    const mtl_tokenizer *tok;
    mtl_backbone_config bb;
    int has_pooler, normalize;
    double init_std;             /* --init random: config.json's initializer_range                    */
} start;
static int load_start(const opts *o, start *s) {
    mtl_error err;
    memset(s, 0, sizeof *s);
    if (!strcmp(o->init, "model")) {
        const mtl_model_info *info;
        if (cli_load_model(PROG, o->model, &s->m)) return 1;
        info = mtl_model_get_info(s->m);
        if (!(s->tok = mtl_model_tokenizer(s->m))) { fprintf(stderr, "%s: %s has no tokenizer\n", PROG, o->model); return 1; }
        s->bb.vocab_size = info->vocab_size; s->bb.hidden_size = info->hidden_size; s->bb.n_layers = info->n_layers;
        s->bb.n_heads = info->n_heads; s->bb.intermediate_size = info->intermediate_size; s->bb.max_position = info->max_position;
        s->bb.type_vocab_size = info->type_vocab_size; s->bb.pad_token_id = 0; s->bb.layer_norm_eps = info->layer_norm_eps;
        if (info->position_padding_idx >= 0) {   /* RoBERTa / XLM-R: its position ids, and no gradient to its pad rows */
            s->bb.roberta_positions = 1;
            s->bb.pad_token_id = info->position_padding_idx;
        }
        s->has_pooler = info->has_pooler;
        s->normalize = info->normalize;
    } else {
        char *buf = NULL;
        size_t len = 0;
        cv_config cv;
        struct stat st;
        if (mtl__read_file(o->config, &buf, &len, &err) != MTL_OK || cv_parse_config(buf, len, &cv, &err) != MTL_OK) {
            fprintf(stderr, "%s: --config %s: %s\n", PROG, o->config, err.msg);
            free(buf);
            return 1;
        }
        free(buf);
        cv_config_free(&cv);
        if (cv.initializer_range < 0 || cv.pad_token_id < 0) {
            fprintf(stderr, "%s: --config %s: %s\n", PROG, o->config, cv.pad_token_id < 0 ? "pad_token_id is not a token id" : "bad initializer_range");
            return 1;
        }
        s->bb.vocab_size = (int)cv.vocab_size; s->bb.hidden_size = (int)cv.hidden_size; s->bb.n_layers = (int)cv.n_layers;
        s->bb.n_heads = (int)cv.n_heads; s->bb.intermediate_size = (int)cv.intermediate_size; s->bb.max_position = (int)cv.max_position;
        s->bb.type_vocab_size = (int)cv.type_vocab_size; s->bb.pad_token_id = (int)cv.pad_token_id;
        s->bb.roberta_positions = cv.roberta;
        s->bb.layer_norm_eps = (float)cv.layer_norm_eps;
        s->has_pooler = 1;
        s->init_std = cv.initializer_range;
        if (stat(o->tokenizer, &st) == 0 && S_ISDIR(st.st_mode)) {
            if (mtl_tokenizer_load_dir(o->tokenizer, NULL, &s->own_tok, &err) != MTL_OK) {
                fprintf(stderr, "%s: --tokenizer %s: %s\n", PROG, o->tokenizer, err.msg);
                return 1;
            }
            s->tok = s->own_tok;
        } else {
            if (cli_load_model(PROG, o->tokenizer, &s->m)) return 1;
            if (!(s->tok = mtl_model_tokenizer(s->m))) { fprintf(stderr, "%s: --tokenizer %s: the file has no tokenizer\n", PROG, o->tokenizer); return 1; }
        }
        if (mtl_tokenizer_vocab_size(s->tok) > s->bb.vocab_size) {
            fprintf(stderr, "%s: --tokenizer %s has %d tokens, more than --config's vocab_size %d\n", PROG, o->tokenizer,
                    mtl_tokenizer_vocab_size(s->tok), s->bb.vocab_size);
            return 1;
        }
    }
    return 0;
}

/* Usage errors that need no file: exit 2 before anything is read. */
static int check_opts(const opts *o, const char *const *vals, mtl_mt_schedule *ms, int head_hidden[2], int head_act[2], float drop[3],
                      double task_w[2], double *p_cls) {
    mtl_error err;
    double v[3];
    int k, h;
    const char *heads[2];
    if (strcmp(o->init, "model") && strcmp(o->init, "random")) return cli_usage_error(PROG, "unknown --init '%s' (model, random)", o->init);
    if (!strcmp(o->init, "random")) {
        if (!o->config || !o->tokenizer || o->model)
            return cli_usage_error(PROG, "--init random needs --config and --tokenizer, and no --model");
    } else if (o->config || o->tokenizer) return cli_usage_error(PROG, "--config and --tokenizer go with --init random");
    if ((!o->model && !strcmp(o->init, "model")) || !o->out) return cli_usage_error(PROG, "--model and --out are required");
    if (!o->cls_train && !o->ner_train) return cli_usage_error(PROG, "give --cls-train and/or --ner-train");
    if ((o->cls_dev && !o->cls_train) || (o->ner_dev && !o->ner_train)) return cli_usage_error(PROG, "--cls-dev needs --cls-train, --ner-dev --ner-train");
    if (o->warmup_steps >= 0 && o->warmup_ratio >= 0) return cli_usage_error(PROG, "--warmup-steps and --warmup-ratio exclude each other");
    if (!cls_format_ok(o->cls_fmt)) return cli_usage_error(PROG, "unknown classification format '%s' (sst2, imdb, csv:TEXTCOL,LABELCOL)", o->cls_fmt);
    if (!ner_format_ok(o->ner_fmt)) return cli_usage_error(PROG, "unknown NER format '%s' (conll, gmb)", o->ner_fmt);
    if (o->pooling && strcmp(o->pooling, "mean") && strcmp(o->pooling, "cls") && strcmp(o->pooling, "max") && strcmp(o->pooling, "pooler"))
        return cli_usage_error(PROG, "unknown --pooling '%s' (mean, cls, max, pooler)", o->pooling);
    if (mtl_mt_parse(ms, o->schedule, &err) != MTL_OK) return cli_usage_error(PROG, "%s", err.msg);
    if ((o->cls_labels && !o->cls_train) || (o->ner_labels && !o->ner_train)) return cli_usage_error(PROG, "--cls-labels needs --cls-train, --ner-labels --ner-train");
    if (strcmp(o->optimizer, "adamw") && strcmp(o->optimizer, "adam") && strcmp(o->optimizer, "sgd"))
        return cli_usage_error(PROG, "unknown --optimizer '%s' (adamw, adam, sgd)", o->optimizer);
    if (vals[find_opt("--momentum", 0)] && strcmp(o->optimizer, "sgd")) return cli_usage_error(PROG, "--momentum goes with --optimizer sgd");
    if (strcmp(o->lr_schedule, "linear") && strcmp(o->lr_schedule, "cosine") && strcmp(o->lr_schedule, "constant"))
        return cli_usage_error(PROG, "unknown --lr-schedule '%s' (linear, cosine, constant)", o->lr_schedule);
    heads[0] = o->cls_head ? o->cls_head : o->head ? o->head : "linear";
    heads[1] = o->ner_head ? o->ner_head : o->head ? o->head : "linear";
    for (k = 0; k < 2; k++)
        if (parse_head(heads[k], &head_hidden[k], &head_act[k]))
            return cli_usage_error(PROG, "bad value for %s: '%s' (linear, mlp, mlp:HIDDEN or mlp:HIDDEN:relu|gelu|tanh; HIDDEN 1..65536)",
                                   (k ? o->ner_head : o->cls_head) ? (k ? "--ner-head" : "--cls-head") : "--head", heads[k]);
    {   /* the trainer has one activation for its MLP heads */
        const int mc = o->cls_train && head_hidden[0], mn = o->ner_train && head_hidden[1];
        const int ac = head_act[0] < 0 ? MTL_ACT_GELU : head_act[0], an = head_act[1] < 0 ? MTL_ACT_GELU : head_act[1];
        if (mc && mn && ac != an) return cli_usage_error(PROG, "--cls-head and --ner-head: two MLP heads have one activation (both relu, both gelu or both tanh)");
        head_act[0] = head_act[1] = mc ? ac : mn ? an : MTL_ACT_GELU;
    }
    k = parse_numbers(o->dropout, v, 3);
    if ((k != 1 && k != 3) || !(v[0] >= 0 && v[0] < 1) || (k == 3 && !(v[1] >= 0 && v[1] < 1 && v[2] >= 0 && v[2] < 1)))
        return cli_usage_error(PROG, "bad value for --dropout: '%s' (P or CLS,HIDDEN,ATTN, each in [0, 1))", o->dropout);
    for (h = 0; h < 3; h++) drop[h] = (float)v[k == 3 ? h : 0];
    if (parse_numbers(o->task_weights, task_w, 2) != 2) return cli_usage_error(PROG, "bad value for --task-weights: '%s' (two numbers: A,B)", o->task_weights);
    *p_cls = -1.0;
    if (o->task_probs) {
        if (ms->mode != MTL_MT_SAMPLE || !o->cls_train || !o->ner_train) return cli_usage_error(PROG, "--task-probs goes with --schedule sample and both tasks");
        if (parse_numbers(o->task_probs, v, 2) != 2 || !(v[0] >= 0 && v[1] >= 0 && v[0] + v[1] > 0))
            return cli_usage_error(PROG, "bad value for --task-probs: '%s' (A,B: two numbers >= 0, not both 0)", o->task_probs);
        *p_cls = v[0] / (v[0] + v[1]);
    }
    for (k = 0; k < 2; k++) {
        const char *w = k ? o->ner_class_weights : o->class_weights, *opt = k ? "--ner-class-weights" : "--class-weights";
        double *x;
        int n, ok;
        if (!w) continue;
        if (!(k ? o->ner_train : o->cls_train)) return cli_usage_error(PROG, "%s needs %s", opt, k ? "--ner-train" : "--cls-train");
        if (!strcmp(w, "auto")) continue;
        n = count_items(w);
        if (!(x = (double *)malloc((size_t)n * sizeof *x))) return 1;
        ok = parse_numbers(w, x, n) == n;
        for (h = 0; ok && h < n; h++) ok = x[h] >= 0;
        free(x);
        if (!ok) return cli_usage_error(PROG, "bad value for %s: '%s' (auto, or numbers >= 0: A,B,...)", opt, w);
    }
    if (o->early_stop > 0 && !o->cls_dev && !o->ner_dev) return cli_usage_error(PROG, "--early-stopping needs --cls-dev and/or --ner-dev");
    return 0;
}

/* One optimizer step: the step's micro-batches of each of its tasks (losses scaled by 1/n), then the
   update; *st gets the step's mean losses. */
static int train_step(mtl_trainer *tr, int tasks, int n_micro, stream *scls, stream *sner, batchbuf *bb, batchbuf *bb2,
                      const mtl_trainer_config *c, mtl_step_stats *st) {
    mtl_error err;
    mtl_step_stats a;
    double lc = 0.0, ln = 0.0;
    int k, n;
    mtl_params_zero_grad(mtl_trainer_params(tr));
    for (k = 0; k < n_micro; k++) {
        const float scale = 1.0f / (float)n_micro;
        mtl_batch b;
        const int32_t *idx;
        if (tasks & MTL_TASK_CLS) {
            idx = st_next(scls, &n);
            b = make_batch(bb, scls->e, idx, n, 1);
            if (mtl_trainer_accumulate(tr, &b, MTL_TASK_CLS, scale, &a, &err) != MTL_OK) goto fail;
            lc += a.loss_cls;
        }
        if (tasks & MTL_TASK_NER) {
            idx = st_next(sner, &n);
            b = make_batch(bb2, sner->e, idx, n, 1);
            if (mtl_trainer_accumulate(tr, &b, MTL_TASK_NER, scale, &a, &err) != MTL_OK) goto fail;
            ln += a.loss_ner;
        }
    }
    memset(st, 0, sizeof *st);
    st->tasks = tasks;
    st->loss_cls = (float)(lc / n_micro);
    st->loss_ner = (float)(ln / n_micro);
    st->loss = tasks == MTL_TASK_BOTH ? mtl_multitask_loss(c->cls_weight, st->loss_cls, c->ner_weight, st->loss_ner)
             : tasks == MTL_TASK_CLS ? (float)c->cls_weight * st->loss_cls : (float)c->ner_weight * st->loss_ner;
    if (mtl_trainer_update(tr, st, &err) == MTL_OK) return 0;
fail:
    fprintf(stderr, "\nmtl-train: step %ld: %s\n", mtl_trainer_step_count(tr), err.msg);
    return 1;
}

/* Whether the run evaluates on the dev files after step count s (not after the last: "after training"). */
static int eval_point(long s, long eval_every, long steps_per_epoch, long total) {
    return s > 0 && s < total && ((eval_every > 0 && s % eval_every == 0) || s % steps_per_epoch == 0);
}
/* After a dev evaluation at step count `step` (score s, the tasks' metrics): --out gets a better
   model; --early-stopping counts the evaluations without a better metric per task and stops a task
   (its head frozen) after N. 0 ok. */
static int after_eval(mtl_trainer *tr, const opts *o, const dev *d, const mtl_mt_schedule *ms, int have, double s, const double metric[2],
                      long step, const char *state_path, progress_state *ps) {
    int t, stopped_now = 0;
    if (s > ps->best) {
        ps->best = s;
        if (save_ckpt(tr, o->out, 0, state_path, ps)) return 1;
        printf("  new best: saved %s\n", o->out);
    }
    for (t = 0; t < 2 && o->early_stop > 0; t++) {
        if (!(t ? d->ner : d->cls) || ps->stopped[t] >= 0) continue;
        if (metric[t] > ps->task_best[t]) { ps->task_best[t] = metric[t]; ps->bad[t] = 0; continue; }
        if (++ps->bad[t] < o->early_stop) continue;
        ps->stopped[t] = step;
        stopped_now = 1;
        printf("early stopping: %s %s has not improved on %.4f for %ld evaluations: %s training stops at step %ld\n",
               t ? "ner" : "cls", t ? "entity-F1" : "accuracy", ps->task_best[t], ps->bad[t], t ? "ner" : "cls", step);
    }
    fflush(stdout);
    return stopped_now && step_tasks(ms, step, have, ps) && freeze_stopped(tr, ps);
}

static int run(opts *o, const char *const *vals) {
    const char *cls_train = o->cls_train, *ner_train = o->ner_train;
    char **cls_pin = NULL, **ner_pin = NULL;
    int n_cls_pin = 0, n_ner_pin = 0, head_hidden[2], head_act[2], i, status = 1, tty;
    int batch = (int)o->batch, max_len = (int)o->max_len;
    float drop[3], *cls_w = NULL, *ner_w = NULL;
    double task_w[2], p_cls = -1.0, metric[2] = {0, 0};
    mtl_error err;
    mtl_cls_dataset cls_tr, cls_dv;
    mtl_ner_dataset ner_tr, ner_dv;
    examples ecls, ecls_dev, ener, ener_dev;
    mtl_trainer_config c;
    mtl_trainer *tr = NULL;
    mtl_mt_schedule ms;
    batchbuf bb, bb2;
    stream scls, sner;
    dev d;
    start sp;
    const mtl_model *hm;          /* the model whose heads may be kept (NULL from scratch) */
    mtl__wbuf cfg_json;
    rp_report rep;
    long steps_per_epoch, M, total, step0, n_task_steps[2] = {0, 0};
    int n_cls_batches = 0, n_ner_batches = 0, heads_loaded = 0;
    const int have = (cls_train ? MTL_TASK_CLS : 0) | (ner_train ? MTL_TASK_NER : 0);
    double t0, run_loss = 0, run_cls = -1, run_ner = -1;
    progress_state ps;
    char state_path[4200], head_txt[2][40];

    memset(&cls_tr, 0, sizeof cls_tr); memset(&cls_dv, 0, sizeof cls_dv);
    memset(&ner_tr, 0, sizeof ner_tr); memset(&ner_dv, 0, sizeof ner_dv);
    memset(&ecls, 0, sizeof ecls); memset(&ecls_dev, 0, sizeof ecls_dev);
    memset(&ener, 0, sizeof ener); memset(&ener_dev, 0, sizeof ener_dev);
    memset(&bb, 0, sizeof bb); memset(&bb2, 0, sizeof bb2);
    memset(&scls, 0, sizeof scls); memset(&sner, 0, sizeof sner);
    memset(&ms, 0, sizeof ms);
    memset(&sp, 0, sizeof sp);
    memset(&cfg_json, 0, sizeof cfg_json);
    memset(&rep, 0, sizeof rep);
    ps.best = -2.0;
    ps.task_best[0] = ps.task_best[1] = -1.0;
    ps.bad[0] = ps.bad[1] = 0;
    ps.stopped[0] = ps.stopped[1] = -1;
    if ((i = check_opts(o, vals, &ms, head_hidden, head_act, drop, task_w, &p_cls)) != 0) return i;
    if (o->save_state) snprintf(state_path, sizeof state_path, "%s", o->save_state);
    else snprintf(state_path, sizeof state_path, "%s.resume.gguf", o->out);
    {   /* the outputs must be writable before anything is loaded or trained */
        char bp[4400];
        snprintf(bp, sizeof bp, "%s.best", state_path);
        if (check_out_path("--out", o->out) || check_out_path(o->save_state ? "--save-state" : "--out (its resumable checkpoint)", state_path) ||
            check_out_path(o->save_state ? "--save-state (its best-score file)" : "--out (its best-score file)", bp))
            return 1;
        if (!strcmp(state_path, o->out)) return cli_usage_error(PROG, "--save-state and --out name one file");
    }
    if ((o->cls_labels && !(cls_pin = split_list(o->cls_labels, &n_cls_pin))) || (o->ner_labels && !(ner_pin = split_list(o->ner_labels, &n_ner_pin)))) {
        fprintf(stderr, "mtl-train: out of memory\n");
        free(cls_pin);
        return 1;
    }

    /* the starting model and the data (everything is read and checked before anything is written) */
    if (load_start(o, &sp)) goto out;
    hm = !strcmp(o->init, "model") ? sp.m : NULL;
    {   /* the position table's longest input (RoBERTa's positions start at pad_token_id + 1) */
        const int most = sp.bb.roberta_positions ? sp.bb.max_position - sp.bb.pad_token_id - 1 : sp.bb.max_position;
        if (max_len > most) max_len = most;
    }
    if (cls_train) {
        if (ct_load_cls("mtl-train", cls_train, o->cls_fmt, (const char *const *)cls_pin, n_cls_pin, &cls_tr)) goto out;
        warn_rare(cls_train, "label", "rows", cls_tr.label_names, cls_tr.label_counts, cls_tr.label_lines, cls_tr.n_labels, cls_tr.n, 1);
        if (o->cls_dev && ct_load_cls("mtl-train", o->cls_dev, o->cls_fmt, (const char *const *)cls_tr.label_names, cls_tr.n_labels, &cls_dv)) goto out;
        if (cls_tr.n_labels < 2) { fprintf(stderr, "mtl-train: %s: only one label ('%s'): nothing to learn\n", cls_train, cls_tr.label_names[0]); goto out; }
        if (tokenize_cls(sp.tok, &cls_tr, max_len, &ecls, cls_train)) goto out;
        if (o->cls_dev && tokenize_cls(sp.tok, &cls_dv, max_len, &ecls_dev, o->cls_dev)) goto out;
        if ((i = class_weights("--class-weights", o->class_weights, cls_tr.n_labels, cls_tr.label_counts, cls_tr.n, cls_tr.label_names, cls_train, &cls_w))) { status = i; goto out; }
    }
    if (ner_train) {
        if (ct_load_ner("mtl-train", ner_train, o->ner_fmt, (const char *const *)ner_pin, n_ner_pin, &ner_tr)) goto out;
        warn_rare(ner_train, "tag", "words", ner_tr.tag_names, ner_tr.tag_counts, ner_tr.tag_lines, ner_tr.n_tags, ner_tr.n_words, 0);
        if (o->ner_dev && ct_load_ner("mtl-train", o->ner_dev, o->ner_fmt, (const char *const *)ner_tr.tag_names, ner_tr.n_tags, &ner_dv)) goto out;
        if (tokenize_ner(sp.tok, &ner_tr, max_len, &ener, ner_train)) goto out;
        if (o->ner_dev && tokenize_ner(sp.tok, &ner_dv, max_len, &ener_dev, o->ner_dev)) goto out;
        if ((i = class_weights("--ner-class-weights", o->ner_class_weights, ner_tr.n_tags, ner_tr.tag_counts, ner_tr.n_words, ner_tr.tag_names, ner_train, &ner_w))) { status = i; goto out; }
    }

    if (check_out_path("--out", o->out)) goto out;   /* again: loading the data took a while */

    /* trainer */
    mtl_trainer_defaults(&c);
    c.bb = sp.bb;
    c.with_pooler = sp.has_pooler;
    c.n_cls = cls_train ? cls_tr.n_labels : 0;
    c.n_ner = ner_train ? ner_tr.n_tags : 0;
    c.cls_hidden = head_hidden[0] < 0 ? c.bb.hidden_size : head_hidden[0];
    c.ner_hidden = head_hidden[1] < 0 ? c.bb.hidden_size : head_hidden[1];
    c.head_act = (mtl_activation)head_act[0];
    for (i = 0; i < 2; i++) {
        const int hid = i ? c.ner_hidden : c.cls_hidden;
        if (hid) snprintf(head_txt[i], sizeof head_txt[i], "mlp:%d:%s", hid, c.head_act == MTL_ACT_RELU ? "relu" : c.head_act == MTL_ACT_TANH ? "tanh" : "gelu");
        else snprintf(head_txt[i], sizeof head_txt[i], "linear");
    }
    o->cls_head = head_txt[0];
    o->ner_head = head_txt[1];
    c.classifier_dropout = c.head_dropout = drop[0];
    c.hidden_dropout = drop[1];
    c.attn_dropout = drop[2];
    c.label_smoothing = (float)o->label_smoothing;
    c.cls_class_weight = cls_w;
    c.ner_class_weight = ner_w;
    c.cls_labels = cls_train ? (const char *const *)cls_tr.label_names : NULL;
    c.ner_labels = ner_train ? (const char *const *)ner_tr.tag_names : NULL;
    c.tokenizer = sp.tok;
    c.embed_normalize = sp.normalize;
    if (!o->pooling) {
        const mtl_head_info *h = hm ? mtl_model_head(hm, MTL_HEAD_SEQUENCE) : NULL;
        c.pooling = !h ? MTL_HPOOL_MEAN : h->pooling == MTL_POOL_CLS ? MTL_HPOOL_CLS
                  : h->pooling == MTL_POOL_MAX ? MTL_HPOOL_MAX : h->pooling == MTL_POOL_POOLER ? MTL_HPOOL_POOLER : MTL_HPOOL_MEAN;
    } else if (!strcmp(o->pooling, "mean")) c.pooling = MTL_HPOOL_MEAN;
    else if (!strcmp(o->pooling, "cls")) c.pooling = MTL_HPOOL_CLS;
    else if (!strcmp(o->pooling, "max")) c.pooling = MTL_HPOOL_MAX;
    else c.pooling = MTL_HPOOL_POOLER;
    o->pooling = c.pooling == MTL_HPOOL_CLS ? "cls" : c.pooling == MTL_HPOOL_MAX ? "max" : c.pooling == MTL_HPOOL_POOLER ? "pooler" : "mean";
    if (c.pooling == MTL_HPOOL_POOLER && !sp.has_pooler) { fprintf(stderr, "mtl-train: --pooling pooler: %s has no pooler weights\n", o->model); goto out; }
    c.cls_weight = task_w[0]; c.ner_weight = task_w[1];
    mtl_optim_defaults(&c.optim, !strcmp(o->optimizer, "sgd") ? MTL_OPTIM_SGD : !strcmp(o->optimizer, "adam") ? MTL_OPTIM_ADAM : MTL_OPTIM_ADAMW);
    c.optim.momentum = o->momentum;
    c.lr_rule.base_lr = o->lr; c.lr_rule.head_mult = o->head_mult; c.lr_rule.layer_decay = o->layer_decay; c.lr_rule.weight_decay = o->wd;
    c.clip_norm = o->clip;
    c.seed = (uint64_t)o->seed;
    c.max_batch = batch; c.max_len = max_len; c.n_threads = (int)o->threads;
    if (cls_train) n_cls_batches = (ecls.n + batch - 1) / batch;
    if (ner_train) n_ner_batches = (ener.n + batch - 1) / batch;
    if (!cls_train || !ner_train) M = n_cls_batches + n_ner_batches;
    else if (ms.mode == MTL_MT_COMBINED) M = n_cls_batches > n_ner_batches ? n_cls_batches : n_ner_batches;
    else M = n_cls_batches + n_ner_batches;
    steps_per_epoch = (M + o->accum - 1) / o->accum;
    total = o->max_steps > 0 ? o->max_steps : steps_per_epoch * o->epochs;
    ms.total_steps = total;
    ms.seed = (uint64_t)o->seed;
    ms.p_cls = p_cls >= 0 ? p_cls : (double)n_cls_batches / (double)(n_cls_batches + n_ner_batches);
    c.schedule.type = !strcmp(o->lr_schedule, "cosine") ? MTL_SCHED_COSINE : !strcmp(o->lr_schedule, "constant") ? MTL_SCHED_CONSTANT : MTL_SCHED_LINEAR;
    c.schedule.total_steps = total;
    c.schedule.warmup_steps = o->warmup_steps >= 0 ? o->warmup_steps : o->warmup_ratio >= 0 ? (long)ceil(o->warmup_ratio * (double)total) : 0;
    if (!run_config_json(o, vals, &cfg_json)) { fprintf(stderr, "mtl-train: out of memory\n"); goto out; }
    c.run_config = (const char *)cfg_json.d;
    if (mtl_trainer_create(&tr, &c, &err) != MTL_OK) { fprintf(stderr, "mtl-train: %s\n", err.msg); goto out; }
    if (!hm) mtl_trainer_init_weights(tr, (uint64_t)o->seed, (float)sp.init_std);
    else {
        const int keep_cls = cls_train && same_labels(hm, MTL_HEAD_SEQUENCE, cls_tr.label_names, cls_tr.n_labels, c.cls_hidden, c.head_act);
        const int keep_ner = ner_train && same_labels(hm, MTL_HEAD_TOKEN, ner_tr.tag_names, ner_tr.n_tags, c.ner_hidden, c.head_act);
        mtl_trainer_init_heads(tr, (uint64_t)o->seed, 0.02f);
        if (load_blob_weights(tr, o->model, keep_cls, keep_ner, &heads_loaded)) goto out;
    }
    if (strcmp(o->freeze, "none") && mtl_trainer_freeze(tr, o->freeze, &err) != MTL_OK) { fprintf(stderr, "mtl-train: --freeze: %s\n", err.msg); goto out; }
    if (o->unfreeze && mtl_trainer_apply_epoch(tr, o->unfreeze, 0, &err) != MTL_OK) { fprintf(stderr, "mtl-train: --unfreeze-schedule: %s\n", err.msg); goto out; }
    if (o->resume) {
        if (mtl_trainer_load_file(tr, o->resume, &err) != MTL_OK) { fprintf(stderr, "mtl-train: --resume %s: %s\n", o->resume, err.msg); goto out; }
        read_best(o->resume, &ps);
    }
    {   /* room for a checkpoint (parameters + optimizer state) beside --out */
        mtl_trainer_mem mem;
        double need, have_b;
        mtl_trainer_memory(tr, &mem);
        need = (double)mem.param_bytes + (double)mem.optim_bytes + 1048576.0;
        have_b = free_bytes(o->out);
        if (have_b >= 0 && have_b < need) {
            fprintf(stderr, "mtl-train: --out %s: %.1f MiB free there, a checkpoint needs about %.1f MiB\n", o->out, have_b / 1048576.0, need / 1048576.0);
            goto out;
        }
    }
    if (!bb_alloc(&bb, batch, max_len) || !bb_alloc(&bb2, batch, max_len)) { fprintf(stderr, "mtl-train: out of memory\n"); goto out; }
    if (cls_train) st_init(&scls, &ecls, batch, (uint64_t)o->seed);
    if (ner_train) st_init(&sner, &ener, batch, (uint64_t)o->seed + 1000003u);
    if ((cls_train && !scls.order) || (ner_train && !sner.order)) { fprintf(stderr, "mtl-train: out of memory\n"); goto out; }

    /* from here on Ctrl-C saves the resumable state (after the current step); a second one stops at once */
    snprintf(g_tmp[0], sizeof g_tmp[0], "%s.tmp", o->out);
    snprintf(g_tmp[1], sizeof g_tmp[1], "%s.tmp", state_path);
    snprintf(g_tmp[2], sizeof g_tmp[2], "%s.best.tmp", state_path);
    {   /* (sigaction: the handler stays for the second Ctrl-C; signal() may reset it) */
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_sigint;
        sa.sa_flags = SA_RESTART;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGINT, &sa, NULL);
    }
    if (hm) printf("model %s: ", o->model);
    else printf("model from scratch (--config %s, --tokenizer %s, vocab %d): ", o->config, o->tokenizer, c.bb.vocab_size);
    printf("%d layers, hidden %d; %s%s%s%s; %ld steps (", c.bb.n_layers, c.bb.hidden_size, cls_train ? "cls " : "", cls_train ? cls_train : "",
           ner_train ? (cls_train ? ", ner " : "ner ") : "", ner_train ? ner_train : "", total);
    if (o->max_steps > 0) printf("--max-steps; epochs of %ld), batch %d", steps_per_epoch, batch);
    else printf("%ld epochs x %ld), batch %d", o->epochs, steps_per_epoch, batch);
    if (o->accum > 1) printf(" x %ld micro-batches", o->accum);
    printf(", max length %d, %s lr %g (%s), schedule %s%s\n", max_len, o->optimizer, o->lr, o->lr_schedule, o->schedule, heads_loaded ? " (heads from the model)" : "");
    printf("config: %s\n", (const char *)cfg_json.d);
    if (cls_train) printf("cls labels (%d):", cls_tr.n_labels);
    for (i = 0; cls_train && i < cls_tr.n_labels; i++) printf(" %s", cls_tr.label_names[i]);
    if (cls_train) printf("\n");
    if (ner_train) printf("ner tags (%d):", ner_tr.n_tags);
    for (i = 0; ner_train && i < ner_tr.n_tags; i++) printf(" %s", ner_tr.tag_names[i]);
    if (ner_train) printf("\n");
    if (cli_out_flush("mtl-train")) goto out;   /* stdout cannot be written: stop before training */
    if (o->report) {   /* --report DIR: the page is written after every evaluation and at the end */
        if (mkdir(o->report, 0777) != 0 && errno != EEXIST) { fprintf(stderr, "mtl-train: cannot make %s: %s\n", o->report, strerror(errno)); goto out; }
        if (strlen(o->report) > sizeof rep.path - 16) { fprintf(stderr, "mtl-train: --report: the path is too long\n"); goto out; }
        snprintf(rep.path, sizeof rep.path, "%s/report.html", o->report);
        rep.model = o->model ? o->model : "(from scratch)";
        rep.cls_train = cls_train; rep.ner_train = ner_train;
        rep.config_json = (const char *)cfg_json.d;
        rep.cls_names = cls_tr.label_names; rep.n_cls = cls_train ? cls_tr.n_labels : 0;
        rep.step0 = mtl_trainer_step_count(tr);
        g_rep = &rep;
        if (rp_write(&rep)) { fprintf(stderr, "mtl-train: cannot write %s: %s\n", rep.path, strerror(errno)); g_rep = NULL; goto out; }
    }

    memset(&d, 0, sizeof d);
    d.cls = o->cls_dev ? &ecls_dev : NULL;
    d.ner = o->ner_dev ? &ener_dev : NULL;
    d.ner_ds = &ner_dv;
    d.cls_names = (const char *const *)cls_tr.label_names; d.n_cls = cls_tr.n_labels;
    d.ner_names = (const char *const *)ner_tr.tag_names; d.n_ner = ner_tr.n_tags;
    step0 = mtl_trainer_step_count(tr);
    if (d.cls || d.ner) {
        double s = evaluate(tr, &d, &bb, batch, o->resume ? "dev (resumed)" : "dev before training", 1, metric);
        if (s < -0.5) goto out;
        if (!o->resume) {   /* early stopping's first best metrics (--out: only trained models compete) */
            ps.task_best[0] = metric[0]; ps.task_best[1] = metric[1];
        } else if (eval_point(step0, o->eval_every, steps_per_epoch, total)) {
            /* the state was saved before this step's evaluation: it is this one */
            if (after_eval(tr, o, &d, &ms, have, s, metric, step0, state_path, &ps)) goto out;
        }
    }

    /* fast-forward the batch streams past the steps a resumed run already did */
    if (o->resume) printf("resumed from %s at step %ld/%ld\n", o->resume, step0, total);
    {
        long s2;
        int n, k, tasks;
        for (s2 = 0; s2 < step0; s2++) {
            tasks = step_tasks(&ms, s2, have, &ps);
            for (k = step_micro(s2, steps_per_epoch, M, o->accum); k > 0; k--) {
                if (tasks & MTL_TASK_CLS) st_next(&scls, &n);
                if (tasks & MTL_TASK_NER) st_next(&sner, &n);
            }
        }
    }
    tty = isatty(fileno(stderr));
    t0 = now_s();
    mtl_trainer_set_training(tr, 1);
    {
        long step = step0, every = total / 20 > 0 ? total / 20 : 1;
        int epoch = (int)(step0 / steps_per_epoch);
        double last_print = now_s(), ep_time = 0.0;   /* training time of the current epoch (no eval) */
        long ep_steps = 0;
        while (step < total) {
            const double ts0 = now_s();
            mtl_step_stats st;
            const int tasks = step_tasks(&ms, step, have, &ps);
            if (!tasks) {
                printf("every task has stopped early: training ends at step %ld/%ld\n", step, total);
                break;
            }
            if (step % steps_per_epoch == 0 || step == step0) {
                epoch = (int)(step / steps_per_epoch);
                if (o->unfreeze && mtl_trainer_apply_epoch(tr, o->unfreeze, epoch, &err) != MTL_OK) { fprintf(stderr, "mtl-train: %s\n", err.msg); goto out; }
                if ((o->unfreeze || step == step0) && (ps.stopped[0] >= 0 || ps.stopped[1] >= 0) && freeze_stopped(tr, &ps)) goto out;
                {
                    mtl_trainer_mem mm;
                    mtl_trainer_memory(tr, &mm);
                    printf("epoch %d: %lu of %lu parameters train\n", epoch + 1, (unsigned long)mm.n_trainable, (unsigned long)mm.n_params);
                }
            }
            if (train_step(tr, tasks, step_micro(step, steps_per_epoch, M, o->accum), &scls, &sner, &bb, &bb2, &c, &st)) goto out;
            step = mtl_trainer_step_count(tr);
            rp_step(g_rep, step, &st, o->lr * st.lr_scale);
            n_task_steps[0] += (tasks & MTL_TASK_CLS) != 0;
            n_task_steps[1] += (tasks & MTL_TASK_NER) != 0;
            ep_time += now_s() - ts0; ep_steps++;
            run_loss = step - step0 == 1 ? st.loss : 0.9 * run_loss + 0.1 * st.loss;
            if (st.tasks & MTL_TASK_CLS) run_cls = run_cls < 0 ? st.loss_cls : 0.9 * run_cls + 0.1 * st.loss_cls;
            if (st.tasks & MTL_TASK_NER) run_ner = run_ner < 0 ? st.loss_ner : 0.9 * run_ner + 0.1 * st.loss_ner;
            if (tty ? (now_s() - last_print > 0.2 || step == total) : (step % every == 0 || step == total || now_s() - last_print > 30.0)) {
                progress(tty, step, total, t0, step0, &st, run_loss, run_cls, run_ner, step == total);
                last_print = now_s();
            }
            if (step % steps_per_epoch == 0 || step == total) {
                if (tty) fprintf(stderr, "\n");
                printf("epoch %ld: %.3f s training (%ld steps, %.3f s/step)\n", (step - 1) / steps_per_epoch + 1, ep_time, ep_steps,
                       ep_time / (double)(ep_steps > 0 ? ep_steps : 1));
                fflush(stdout);
                ep_time = 0.0; ep_steps = 0;
            }
            if (g_stop) {
                if (tty) fprintf(stderr, "\n");
                fprintf(stderr, "mtl-train: interrupted at step %ld/%ld: saving the resumable state to %s\n", step, total, state_path);
                if (save_ckpt(tr, state_path, 1, NULL, &ps) || write_best(state_path, &ps)) goto out;
                fprintf(stderr, "mtl-train: continue with the same options and --resume %s\n", state_path);
                status = 130;
                goto out;
            }
            if ((d.cls || d.ner) && eval_point(step, o->eval_every, steps_per_epoch, total)) {
                char tag[64];
                double s;
                if (tty) fprintf(stderr, "\n");
                snprintf(tag, sizeof tag, step % steps_per_epoch == 0 ? "dev epoch %ld" : "dev", step / steps_per_epoch);
                s = evaluate(tr, &d, &bb, batch, tag, 0, metric);
                if (s < -0.5 || after_eval(tr, o, &d, &ms, have, s, metric, step, state_path, &ps)) goto out;
            }
        }
    }
    if (d.cls || d.ner) {
        double s = evaluate(tr, &d, &bb, batch, "dev after training", 1, metric);
        if (s < -0.5) goto out;
        if (s > ps.best) { ps.best = s; if (save_ckpt(tr, o->out, 0, state_path, &ps)) goto out; }
        printf("best dev score %.4f (mean of cls accuracy / NER entity F1) saved in %s\n", ps.best, o->out);
    } else {
        if (save_ckpt(tr, o->out, 0, state_path, &ps)) goto out;
        printf("saved %s\n", o->out);
    }
    printf("steps per task: cls %ld, ner %ld\n", n_task_steps[0], n_task_steps[1]);
    {
        char bp[4400];
        snprintf(bp, sizeof bp, "%s.best", state_path);
        if (o->save_state) {
            if (save_ckpt(tr, state_path, 1, NULL, &ps) || write_best(state_path, &ps)) goto out;
            printf("saved the resumable state in %s\n", state_path);
        } else {
            remove(state_path);
            remove(bp);
        }
    }
    status = 0;
out:
    if (g_rep) {   /* the last write: the whole run, or up to an interruption */
        rep.done = status == 0;
        if (rp_write(&rep)) { fprintf(stderr, "mtl-train: cannot write %s: %s\n", rep.path, strerror(errno)); if (!status) status = 1; }
        else if (!status) printf("report: %s\n", rep.path);
        g_rep = NULL;
    }
    rp_free(&rep);
    if (cli_out_close("mtl-train") && status != 130) status = 1;
    free(cls_pin); free(ner_pin); free(cls_w); free(ner_w);
    free(scls.order); free(sner.order);
    bb_free(&bb); bb_free(&bb2);
    ex_free(&ecls); ex_free(&ecls_dev); ex_free(&ener); ex_free(&ener_dev);
    mtl_trainer_free(tr);
    mtl_cls_dataset_free(&cls_tr); mtl_cls_dataset_free(&cls_dv);
    mtl_ner_dataset_free(&ner_tr); mtl_ner_dataset_free(&ner_dv);
    mtl_model_free(sp.m);
    mtl_tokenizer_free(sp.own_tok);
    mtl__wb_free(&cfg_json);
    return status;
}

int main(int argc, char **argv) {
    opts o;
    const char *vals[N_TOPTS];
    char *pool = NULL;
    int k, r;
    for (k = 0; k < N_TOPTS; k++) g_help[k] = TOPTS[k].h;
    g_help[N_TOPTS].flags = g_help[N_TOPTS].text = NULL;
    r = parse_opts(argc, argv, &o, vals, &pool);
    r = r == -1 ? help() : r == -2 ? cli_version(PROG) : r ? r : run(&o, vals);
    free(pool);
    return r;
}
