/* mtl-golden: checks the trainer against a folder of PyTorch golden fixtures (issue #4 item 8).
     build/mtl-golden --model-dir DIR --fixtures DIR
   Reads everything from the files (the model's config.json + safetensors, each fixture's .idx/.bin
   and meta.spec), runs every fixture of the folder (forward, multitask, train_*), prints one line per
   fixture with its worst error against the spec's tolerances, and exits 1 on any miss. */
#define MTL_BERT_IMPLEMENTATION
#include "../mtl_bert.h"
#define MTL_GOLDEN_IMPLEMENTATION
#include "golden_runner.h"
#include "cli.h"

static int usage(void) {
    fprintf(stderr, "usage: mtl-golden --model-dir DIR --fixtures DIR\n");
    return 2;
}

int main(int argc, char **argv) {
    const char *model = NULL, *fx = NULL;
    int i, failed, n;
    for (i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--model-dir") && i + 1 < argc) model = argv[++i];
        else if (!strcmp(argv[i], "--fixtures") && i + 1 < argc) fx = argv[++i];
        else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) { usage(); return 0; }
        else return usage();
    }
    if (!model || !fx) return usage();
    failed = mtl_golden_run(model, fx, stdout, &n);
    printf("%d fixture(s), %d failed\n", n, failed);
    if (cli_out_close("mtl-golden")) return 1;   /* a report that could not be written is no pass */
    return failed ? 1 : 0;
}
