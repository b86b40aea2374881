#!/bin/sh
# Builds bench_mtl (the same flags as `make`) and runs bench/embed/bench.py (mtl vs ONNX Runtime vs PyTorch).
# Needs tools/get_minilm.sh to have run; Python: /usr/bin/python3 with python3-torch, transformers, onnxruntime.
set -eu
cd "$(dirname "$0")/../.."
[ -f build/models/all-MiniLM-L6-v2.gguf ] || tools/get_minilm.sh
CC=${CC:-cc}
$CC -std=c99 -Wall -Wextra -Wpedantic -Wconversion -Werror ${OPT:--O2} -I. -o build/bench_mtl bench/embed/bench_mtl.c -lm -lpthread
${PYTHON:-/usr/bin/python3} bench/embed/bench.py "$@"
