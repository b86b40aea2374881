#!/bin/sh
# pytorch_model.bin against model.safetensors: writes tiny-random-bert's weights with torch.save into
# copies of its folder (config, tokenizer and sentence-transformers files, no *.safetensors):
#   bin/    pytorch_model.bin = torch.save(model.state_dict()) of the model transformers loads (an
#           OrderedDict with _metadata)
#   shard/  pytorch_model-0000{1,2}-of-00002.bin (plain dicts of the safetensors tensors, split in
#           two) + pytorch_model.bin.index.json
# converts the original folder and both copies with build/weights_convert (f32 and --dtype f16) and
# requires the GGUF files to be byte for byte the same. Needs a Python with torch, transformers and
# safetensors (default: build/bench-venv from bench/setup_venv.sh; TORCH_PY=... for another); it is a
# developer check, not part of `make test`. Prints PASS/FAIL/SKIP lines.
cd "$(dirname "$0")/.." || exit 1
S=${MTL_SHARED:-../shared}
DIR=$S/models/tiny-random-bert
PY=${TORCH_PY:-${BENCH_VENV:-build/bench-venv}/bin/python}
if [ ! -f "$DIR/model.safetensors" ]; then echo "SKIP check_torchbin: no $DIR/model.safetensors"; exit 0; fi
if ! "$PY" -c "import torch, transformers, safetensors" > /dev/null 2>&1; then echo "SKIP check_torchbin: no torch/transformers/safetensors in $PY (TORCH_PY=...)"; exit 0; fi
make -s build/weights_convert || exit 1
T=$(mktemp -d "${TMPDIR:-/tmp}/mtl_check_torchbin.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
status=0
for d in bin shard; do
    cp -r "$DIR" "$T/$d"
    rm -f "$T/$d"/*.safetensors
done
"$PY" - "$DIR" "$T" << 'EOF' || { echo "FAIL check_torchbin: writing the checkpoints"; exit 1; }
import json, os, sys
import torch
from safetensors.torch import load_file
from transformers import AutoModel
src, t = sys.argv[1], sys.argv[2]
sd = load_file(os.path.join(src, "model.safetensors"))
model = AutoModel.from_pretrained(src)
msd = model.state_dict()
assert set(msd) == set(sd) and all(torch.equal(msd[k], sd[k]) for k in sd), "transformers' state_dict differs from model.safetensors"
torch.save(msd, os.path.join(t, "bin", "pytorch_model.bin"))
keys = list(sd)
half = len(keys) // 2
wm = {}
for i, part in enumerate((keys[:half], keys[half:])):
    name = f"pytorch_model-0000{i + 1}-of-00002.bin"
    torch.save({k: sd[k] for k in part}, os.path.join(t, "shard", name))
    wm.update({k: name for k in part})
with open(os.path.join(t, "shard", "pytorch_model.bin.index.json"), "w") as f:
    json.dump({"metadata": {"total_size": sum(v.numel() * v.element_size() for v in sd.values())}, "weight_map": wm}, f)
print(f"torch {torch.__version__}: {len(sd)} tensors; pytorch_model.bin {os.path.getsize(os.path.join(t, 'bin', 'pytorch_model.bin'))} bytes ({type(msd).__name__}), 2 shards")
EOF
for dt in f32 f16; do
    build/weights_convert "$DIR" "$T/st.$dt.gguf" --dtype $dt --quiet || { echo "FAIL check_torchbin: model.safetensors ($dt) does not convert"; status=1; continue; }
    for d in bin shard; do
        if ! out=$(build/weights_convert "$T/$d" "$T/$d.$dt.gguf" --dtype $dt 2>&1); then
            echo "FAIL check_torchbin: $d ($dt): $out"; status=1
        elif cmp -s "$T/st.$dt.gguf" "$T/$d.$dt.gguf"; then
            echo "PASS check_torchbin: $d ($dt) = model.safetensors ($dt), $(wc -c < "$T/$d.$dt.gguf") bytes, sha256 $(sha256sum < "$T/$d.$dt.gguf" | cut -c1-16)"
            echo "    $out"
        else
            echo "FAIL check_torchbin: $d ($dt): the GGUF differs from model.safetensors' ($(cmp "$T/st.$dt.gguf" "$T/$d.$dt.gguf" | head -1))"; status=1
        fi
    done
done
exit $status
