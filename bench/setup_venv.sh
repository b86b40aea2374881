#!/bin/sh
# Creates the benchmark venv build/bench-venv (git-ignored; never a runtime dependency of mtl) with the
# peers of bench/embed and bench/train, from PyPI, latest versions unless pinned:
#   torch, transformers, onnxruntime, onnx, ctranslate2, sentence-transformers, numpy (+ seqeval and
#   scikit-learn for tools/train_reference.py).
# Writes the exact versions to build/bench-venv/versions.txt (`pip freeze`); every benchmark prints them too.
#
#   bench/setup_venv.sh                  # create or update build/bench-venv
#   BENCH_VENV=DIR bench/setup_venv.sh   # another place
#   PYTHON=python3.12 bench/setup_venv.sh
#   TORCH_INDEX_URL=URL bench/setup_venv.sh   # torch from another index (e.g. PyTorch's CPU-only wheel index,
#                                             # where reachable); default: PyPI, whose Linux x86-64 torch wheel
#                                             # is the CUDA build and pulls ~3 GB of nvidia-* wheels; the CPU
#                                             # kernels (oneDNN / MKL) are the same, nothing here uses CUDA.
#   PIP_SPEC_EXTRA="torch==2.15.0 transformers==5.25.0" bench/setup_venv.sh   # pin (passed to pip as is)
#   BENCH_NO_APT=1 bench/setup_venv.sh   # do not apt-get install libopenblas-dev when it is missing (as root it is)
set -eu
cd "$(dirname "$0")/.."
VENV=${BENCH_VENV:-build/bench-venv}
PY=${PYTHON:-python3}
[ -x "$VENV/bin/python" ] || "$PY" -m venv "$VENV"
VPY=$VENV/bin/python
"$VPY" -m pip install --quiet --upgrade pip
if [ -n "${TORCH_INDEX_URL:-}" ]; then
    "$VPY" -m pip install --quiet --upgrade --index-url "$TORCH_INDEX_URL" torch
fi
# shellcheck disable=SC2086
"$VPY" -m pip install --quiet --upgrade torch transformers onnxruntime onnx ctranslate2 sentence-transformers \
    numpy seqeval scikit-learn ${PIP_SPEC_EXTRA:-}
"$VPY" -m pip freeze > "$VENV/versions.txt"
"$VPY" - <<'EOF'
import importlib, sys
print("python", sys.version.split()[0])
for m in ("torch", "transformers", "tokenizers", "onnxruntime", "onnx", "ctranslate2", "sentence_transformers", "numpy"):
    try:
        print(m, importlib.import_module(m).__version__)
    except Exception as e:  # a missing optional peer is reported, the benchmark skips it
        print(m, "NOT AVAILABLE:", type(e).__name__, e)
EOF
# OpenBLAS (Debian's libopenblas-dev) for build/bench/bench_bounds, the sgemm bound of bench/embed
if ! printf '#include <cblas.h>\nint main(void){return openblas_get_num_threads() < 0;}\n' |
        ${CC:-cc} -x c - -o /dev/null -lopenblas 2>/dev/null; then
    if [ "${BENCH_NO_APT:-}" != 1 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        apt-get install -y libopenblas-dev >/dev/null || { apt-get update >/dev/null && apt-get install -y libopenblas-dev >/dev/null; }
    else
        echo "setup_venv: no OpenBLAS to link: install libopenblas-dev for the bound columns of bench/embed" >&2
    fi
fi
echo "setup_venv: $VENV (versions in $VENV/versions.txt)"
