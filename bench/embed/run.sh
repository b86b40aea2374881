#!/bin/sh
# all-MiniLM-L6-v2 embeddings, sentences/s: mtl vs ONNX Runtime (plain + optimized graph), CTranslate2, PyTorch.
#   bench/embed/run.sh            # the full run (3 interleaved rounds, SST-2 2,048 + IMDB 512, threads 1 and 2)
#   bench/embed/run.sh --quick    # smoke run (16 + 8 texts, 1 round)
#   bench/embed/run.sh --help     # every option (bench/embed/bench.py)
# Needs: bench/setup_venv.sh (the venv, BENCH_VENV, default build/bench-venv), libopenblas-dev for the bound
# columns, the model (tools/get_minilm.sh, run here when missing), the shared data ($MTL_SHARED, default ../shared).
# Builds build/bench/bench_mtl with the flags of `make` (make BLAS=1 / OPT=... apply), build/bench/bench_bounds.
# Output: stdout, build/bench/embed_report.md, build/bench/embed_summary.csv, build/bench/embed_rounds.csv.
set -eu
cd "$(dirname "$0")/../.."
VENV=${BENCH_VENV:-build/bench-venv}
if [ ! -x "$VENV/bin/python" ]; then
    echo "bench/embed: no venv at $VENV: run bench/setup_venv.sh first" >&2
    exit 1
fi
[ -f build/models/all-MiniLM-L6-v2.gguf ] && [ -f build/models/all-MiniLM-L6-v2/model.safetensors ] || tools/get_minilm.sh
nice -n 10 make -s build/bench/bench_mtl
if ! nice -n 10 make -s build/bench/bench_bounds; then
    echo "bench/embed: build/bench/bench_bounds not built (apt-get install -y libopenblas-dev): no bound columns" >&2
fi
BENCH_COMMAND="$0${*:+ $*}"
export BENCH_COMMAND
exec "$VENV/bin/python" bench/embed/bench.py "$@"
