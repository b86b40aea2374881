/* weights_convert: a Hugging Face BERT, DistilBERT, RoBERTa or XLM-RoBERTa folder -> one mtl model file (GGUF v3, see mtl_bert.h).

   build/weights_convert HF_DIR OUT [--dtype f32|f16] [--weights FILE] [--quiet]

   Reads HF_DIR/config.json (BertModel, BertForSequenceClassification, BertForTokenClassification, and
   the DistilBert* / Roberta* / XLMRoberta* of the same names: stored as the BERT file, see mtl_bert.h's FILE FORMAT; a
   classifier becomes the file's task head, which mtl-predict / mtl-eval / mtl-train use), the weights
   (the first present of model.safetensors, the shards of model.safetensors.index.json,
   pytorch_model.bin, the shards of pytorch_model.bin.index.json; or --weights FILE inside HF_DIR, either
   format: F32/F16/BF16, with or without the "bert." / "distilbert." / "roberta." prefix; a pytorch_model.bin is
   torch.save's zip checkpoint, read without running its pickle: see torchbin.h), the tokenizer files
   (tokenizer.json: WordPiece or byte-level BPE; or vocab.txt + tokenizer_config.json) and, when present, the sentence-transformers
   files (modules.json, <pooling>/config.json, sentence_bert_config.json). Writes OUT.tmp, loads it
   back with mtl_bert.h as a check, then renames it to OUT. The parsing lives in convert.h.
   OUT is checked before the conversion (an empty name, a directory or another non-regular file, a
   folder that is missing or not writable are refused); a failed write (disk full) removes OUT.tmp and
   names the OS reason. Progress on stderr (cli.h: the tensors' bytes converted, then the bytes
   written), then a summary line; --quiet: errors only. --help: every option with its default and
   range; --version: MTL_VERSION.
   Exit status: 0 ok, 1 runtime error, 2 usage. */
#define _POSIX_C_SOURCE 200809L
#include "convert.h"
#include "../examples/cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__unix__) || defined(__APPLE__)
#include <sys/stat.h>
#define WC_STAT 1
#endif

#define PROG "weights_convert"
static const cli_opt OPTS[] = {
    {"HF_DIR", "a Hugging Face BERT, DistilBERT, RoBERTa or XLM-RoBERTa folder (config.json, weights, tokenizer files); required"},
    {"OUT", "the mtl model file to write (OUT.tmp, checked, then renamed); required"},
    {"--dtype T", "f32|f16: the stored weight type (default: f32)"},
    {"--weights FILE", "the weights file inside HF_DIR, safetensors or pytorch_model.bin (default: model.safetensors, its index's shards, pytorch_model.bin, its index's shards)"},
    {"--quiet", "no progress and no summary line on stderr, only errors (default: off: progress on a terminal, else a line every 10 s)"},
    {NULL, NULL}};

static int help(void) {
    return cli_help(PROG, "weights_convert HF_DIR OUT [--dtype f32|f16] [--weights FILE] [--quiet]",
                    "Converts a Hugging Face BertModel / BertForSequenceClassification / BertForTokenClassification folder\n"
                    "(or DistilBert* / Roberta* / XLMRoberta* of those names; + sentence-transformers pooling files) into one mtl model file\n"
                    "(GGUF v3). A classifier becomes the file's task head (mtl-predict, mtl-eval, mtl-train --model).\n",
                    OPTS);
}

/* cv_convert_dir_ex's progress: the tensors' source bytes */
static void on_tensor(void *ud, double done, double total) {
    cli_progress *p = (cli_progress *)ud;
    p->total = total;
    cli_progress_update(p, done, -1.0);
}

/* Writes n bytes to fp in pieces, with progress; 0, or errno (or -1) on a failed write. */
static int write_all(FILE *fp, const unsigned char *d, size_t n, cli_progress *p, double *done) {
    const size_t piece = (size_t)8 << 20;
    size_t k;
    for (k = 0; k < n; k += piece) {
        const size_t m = n - k < piece ? n - k : piece;
        errno = 0;
        if (fwrite(d + k, 1, m, fp) != m) return errno ? errno : -1;
        *done += (double)m;
        cli_progress_update(p, *done, -1.0);
    }
    return 0;
}

int main(int argc, char **argv) {
    const char *dir = NULL, *out = NULL, *weights = NULL;
    int f16 = 0, i, quiet = 0, we;
    double written = 0.0;
    cli_progress pg;
    cv_result res;
    mtl_error err;
    mtl_model *m;
    char *tmp;
    FILE *fp;

    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (cli_is_help(a)) return help();
        else if (cli_is_version(a)) return cli_version(PROG);
        else if (!strcmp(a, "--dtype") && i + 1 < argc) {
            i++;
            if (!strcmp(argv[i], "f16")) f16 = 1;
            else if (!strcmp(argv[i], "f32")) f16 = 0;
            else return cli_usage_error(PROG, "--dtype must be f32 or f16, not '%s'", argv[i]);
        } else if (!strcmp(a, "--weights") && i + 1 < argc) weights = argv[++i];
        else if (!strcmp(a, "--quiet")) quiet = 1;
        else if (a[0] == '-') return cli_bad_option(PROG, OPTS, a);
        else if (!dir) dir = a;
        else if (!out) out = a;
        else return cli_usage_error(PROG, "one HF_DIR and one OUT, not also '%s'", a);
    }
    if (!dir || !out) return cli_usage_error(PROG, "give HF_DIR and OUT");
    if (!*out) { fprintf(stderr, "weights_convert: OUT is an empty file name\n"); return 1; }
    tmp = (char *)malloc(strlen(out) + 5);
    if (!tmp) { fprintf(stderr, "weights_convert: out of memory\n"); return 1; }
    sprintf(tmp, "%s.tmp", out);
    {   /* OUT must be writable before the conversion */
#ifdef WC_STAT
        struct stat st;
        if (out[strlen(out) - 1] == '/' || (stat(out, &st) == 0 && S_ISDIR(st.st_mode))) { fprintf(stderr, "weights_convert: %s: is a directory\n", out); free(tmp); return 1; }
        if (stat(out, &st) == 0 && !S_ISREG(st.st_mode)) { fprintf(stderr, "weights_convert: %s: not a regular file\n", out); free(tmp); return 1; }
        if (stat(tmp, &st) == 0 && !S_ISREG(st.st_mode)) { fprintf(stderr, "weights_convert: %s is in the way (not a regular file)\n", tmp); free(tmp); return 1; }
#endif
        if (!(fp = fopen(tmp, "wb"))) { fprintf(stderr, "weights_convert: cannot write %s: %s\n", tmp, strerror(errno)); free(tmp); return 1; }
        fclose(fp);
        remove(tmp);
    }
    cli_progress_init(&pg, PROG, "MB", 0.0, quiet);
    pg.what = "converting";
    if (cv_convert_dir_ex(dir, weights, f16, on_tensor, &pg, &res, &err)) {
        cli_progress_clear(&pg);
        fprintf(stderr, "weights_convert: %s\n", err.msg);
        free(tmp);
        return 1;
    }
    cli_progress_end(&pg);
    cli_progress_init(&pg, PROG, "MB", (double)(res.meta.n + res.data.n), quiet);
    pg.what = "writing";
    fp = fopen(tmp, "wb");
    if (!fp) { fprintf(stderr, "weights_convert: cannot write %s: %s\n", tmp, strerror(errno)); cv_result_free(&res); free(tmp); return 1; }
    we = write_all(fp, res.meta.d, res.meta.n, &pg, &written);
    if (!we) we = write_all(fp, res.data.d, res.data.n, &pg, &written);
    errno = 0;
    if (!we && fflush(fp) != 0) we = errno ? errno : -1;
    cli_progress_end(&pg);
    if (we) {
        const int e = we > 0 ? we : 0;
        fclose(fp);
        fprintf(stderr, "weights_convert: cannot write %s: %s\n", tmp, e ? strerror(e) : "write error");
        remove(tmp);
        cv_result_free(&res); free(tmp);
        return 1;
    }
    if (fclose(fp) != 0) { fprintf(stderr, "weights_convert: cannot write %s: %s\n", tmp, strerror(errno)); remove(tmp); cv_result_free(&res); free(tmp); return 1; }
    if (mtl_model_load(tmp, &m, &err)) {
        fprintf(stderr, "weights_convert: the written file does not load back: %s\n", err.msg);
        remove(tmp);
        cv_result_free(&res); free(tmp);
        return 1;
    }
    mtl_model_free(m);
    if (rename(tmp, out) != 0) { fprintf(stderr, "weights_convert: cannot rename %s to %s: %s\n", tmp, out, strerror(errno)); remove(tmp); cv_result_free(&res); free(tmp); return 1; }
    if (!quiet) fprintf(stderr, "weights_convert: %s -> %s (%s, %d tensors in, %lu bytes, %s, pooling %s%s, max_seq_length %ld)\n", dir, out,
            f16 ? "f16" : "f32", res.n_tensors, (unsigned long)(res.meta.n + res.data.n), res.cfg.arch,
            mtl_pooling_name(res.extra.pooling == MTL_POOL_DEFAULT ? MTL_POOL_CLS : res.extra.pooling),
            res.extra.normalize ? " + normalize" : "", res.extra.max_seq_length);
    free(tmp);
    cv_result_free(&res);
    return 0;
}
