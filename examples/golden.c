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

#define PROG "mtl-golden"
static const cli_opt OPTS[] = {
    {"--model-dir DIR", "the Hugging Face model folder the fixtures were made with (config.json + safetensors); required"},
    {"--fixtures DIR", "a folder of golden fixtures (one subfolder per fixture: meta.spec, .idx/.bin); required"},
    {NULL, NULL}};

static int help(void) {
    return cli_help(PROG, "mtl-golden --model-dir DIR --fixtures DIR",
                    "Replays PyTorch golden fixtures (forward, multitask, train_*); one line per fixture with its\n"
                    "worst error against the spec's tolerances; exit 1 on any miss.\n",
                    OPTS);
}

int main(int argc, char **argv) {
    const char *model = NULL, *fx = NULL;
    int i, failed, n;
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (cli_is_help(a)) return help();
        else if (cli_is_version(a)) return cli_version(PROG);
        else if (!strcmp(a, "--model-dir") && i + 1 < argc) model = argv[++i];
        else if (!strcmp(a, "--fixtures") && i + 1 < argc) fx = argv[++i];
        else return cli_bad_option(PROG, OPTS, a);
    }
    if (!model || !fx) return cli_usage_error(PROG, "--model-dir and --fixtures are required");
    failed = mtl_golden_run(model, fx, stdout, &n);
    printf("%d fixture(s), %d failed\n", n, failed);
    if (cli_out_close(PROG)) return 1;   /* a report that could not be written is no pass */
    return failed ? 1 : 0;
}
