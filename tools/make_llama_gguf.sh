#!/bin/sh
# Converts a Hugging Face BERT folder to GGUF with llama.cpp's own converter (convert_hf_to_gguf.py),
# so that mtl's handling of GGUF files written by llama.cpp can be tested on a real one.
#
#   tools/make_llama_gguf.sh [HF_DIR [OUT.gguf]]
#       default HF_DIR: $MTL_SHARED/models/tiny-random-bert (MTL_SHARED defaults to ../shared)
#       default OUT:    tests/golden/tiny_random_bert.llamacpp.gguf (+ a .txt note beside it)
#
# Everything it fetches comes from PyPI and stays under build/ (git-ignored): a venv
# (build/llama-venv, with torch, numpy, sentencepiece, transformers, safetensors, protobuf) and the
# source package (sdist) of llama-cpp-python, which vendors llama.cpp: only its
# convert_hf_to_gguf.py, conversion/ and gguf-py/ are unpacked (build/llama-cpp-src). No llama.cpp
# code is committed. Set LLAMA_CPP_PYTHON_VERSION to use another release (default: the pinned one).
#
# The folder is staged (symlinks, build/llama-stage) without model_fp16.safetensors and other
# *.safetensors copies beside model.safetensors: the converter indexes every *.safetensors file of a
# folder and the last one read wins, so a folder carrying an fp16 copy would be converted from it.
#
# The converter itself refuses a tokenizer whose pre-tokenizer hash it does not list ("BPE
# pre-tokenizer was not recognized"): tiny-random-bert's (bert-base-uncased's vocabulary) is listed,
# a cased copy of it is not. Re-running gives a byte-identical file.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
shared=${MTL_SHARED:-$root/../shared}
hf=${1:-$shared/models/tiny-random-bert}
out=${2:-$root/tests/golden/tiny_random_bert.llamacpp.gguf}
ver=${LLAMA_CPP_PYTHON_VERSION:-0.3.36}
venv=$root/build/llama-venv
src=$root/build/llama-cpp-src
stage=$root/build/llama-stage

[ -f "$hf/config.json" ] || { echo "make_llama_gguf: $hf/config.json not found" >&2; exit 1; }
mkdir -p "$root/build"
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
py=$venv/bin/python
if ! "$py" -c 'import torch, numpy, sentencepiece, transformers, safetensors, google.protobuf' 2>/dev/null; then
    "$py" -m pip install --quiet --upgrade pip
    "$py" -m pip install --quiet torch numpy sentencepiece transformers safetensors 'protobuf>=4.21.0,<5.0.0'
fi

# llama.cpp's converter, from llama-cpp-python's sdist (vendor/llama.cpp)
conv=$src/llama_cpp_python-$ver/vendor/llama.cpp
if [ ! -f "$conv/convert_hf_to_gguf.py" ]; then
    mkdir -p "$src"
    ( cd "$src" && "$py" -m pip download --quiet --no-deps --no-binary :all: "llama-cpp-python==$ver" )
    tarball=$src/llama_cpp_python-$ver.tar.gz
    [ -f "$tarball" ] || { echo "make_llama_gguf: $tarball was not downloaded" >&2; exit 1; }
    p=llama_cpp_python-$ver/vendor/llama.cpp
    tar -xzf "$tarball" -C "$src" "$p/convert_hf_to_gguf.py" "$p/conversion" "$p/gguf-py" "$p/LICENSE"
fi

# stage the HF folder: everything except extra *.safetensors copies
rm -rf "$stage"
mkdir -p "$stage"
for f in "$hf"/*; do
    b=$(basename "$f")
    case "$b" in
    *.safetensors) [ "$b" = model.safetensors ] || [ ! -f "$hf/model.safetensors" ] || continue ;;
    esac
    ln -s "$(cd "$(dirname "$f")" && pwd)/$b" "$stage/$b"
done

mkdir -p "$(dirname "$out")"
( cd "$conv" && "$py" convert_hf_to_gguf.py "$stage" --outtype f32 --outfile "$out.tmp" ) > "$root/build/llama-convert.log" 2>&1 || {
    tail -20 "$root/build/llama-convert.log" >&2
    echo "make_llama_gguf: the conversion failed (log: build/llama-convert.log)" >&2
    exit 1
}
mv "$out.tmp" "$out"

note=${out%.gguf}.txt
{
    echo "$(basename "$out"): written by llama.cpp's convert_hf_to_gguf.py --outtype f32"
    echo "converter: llama-cpp-python $ver (PyPI sdist, vendor/llama.cpp), its bundled gguf-py"
    echo "python packages: $("$py" -c 'import torch, transformers, numpy; print("torch", torch.__version__, "transformers", transformers.__version__, "numpy", numpy.__version__)')"
    echo "model: $(basename "$hf") (model.safetensors only)"
    echo "made by: tools/make_llama_gguf.sh"
    echo "sha256: $(sha256sum "$out" | cut -d' ' -f1)"
} > "$note"
echo "wrote $out ($(wc -c < "$out") bytes) and $note"
