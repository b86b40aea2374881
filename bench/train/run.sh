#!/bin/sh
# Training speed: build/mtl-train vs tools/train_reference.py (the same recipe in PyTorch) on the same data,
# one after the other, at the same thread count. Prints each one's seconds per epoch and the ratio
# torch / mtl (> 1: mtl is faster).
#   bench/train/run.sh [extra options for both trainers, e.g. --freeze backbone or --schedule separate]
# Environment (defaults): CLS_N=2000 (first SST-2 training sentences; 0 = no cls task), NER_N=1000 (first
# CoNLL eng.train sentences; 0 = no NER task), EPOCHS=1, BATCH=32, MAXLEN=128, THREADS=2, DATA=../shared/data,
# PYTHON=/usr/bin/python3 (torch + transformers + seqeval, and OpenBLAS behind Debian's torch: see
# tools/train_reference.py).
# The subsets are written to a temp dir (removed at exit); no dev files: only training is timed.
# Times: the mean of the per-epoch training times each trainer prints (mtl-train's "epoch N: X s
# training" lines, the reference's epoch_seconds; batch making + steps, eval excluded).
set -eu
cd "$(dirname "$0")/../.."
[ -f build/models/all-MiniLM-L6-v2.gguf ] && [ -f build/models/all-MiniLM-L6-v2/model.safetensors ] || tools/get_minilm.sh
[ -x build/mtl-train ] || make build/mtl-train
TMP=$(mktemp -d /tmp/mtl-bench-train.XXXXXX)
trap 'rm -rf "$TMP"' EXIT INT TERM
CLS_N=${CLS_N:-2000} NER_N=${NER_N:-1000} EPOCHS=${EPOCHS:-1} BATCH=${BATCH:-32} MAXLEN=${MAXLEN:-128} \
THREADS=${THREADS:-2} DATA=${DATA:-../shared/data} TMP=$TMP \
${PYTHON:-/usr/bin/python3} - "$@" <<'EOF'
import json, os, re, subprocess, sys, time

env = os.environ
tmp, data = env["TMP"], env["DATA"]
cls_n, ner_n = int(env["CLS_N"]), int(env["NER_N"])
epochs, batch, maxlen, threads = env["EPOCHS"], env["BATCH"], env["MAXLEN"], env["THREADS"]
extra = sys.argv[1:]

args = []
if cls_n > 0:   # header + the first cls_n non-empty rows (SST-2 TSV: one row per line, no quoting)
    p = os.path.join(tmp, "sst2_train.tsv")
    with open(os.path.join(data, "sst2/train.tsv"), encoding="utf-8") as f, open(p, "w", encoding="utf-8") as o:
        rows = [l for l in f if l.strip()]
        o.writelines(rows[:cls_n + 1])
    args += ["--cls-train", p, "--cls-format", "sst2"]
if ner_n > 0:   # the first ner_n sentences of eng.train (-DOCSTART- lines dropped)
    p = os.path.join(tmp, "conll_train.txt")
    sents, cur = [], []
    with open(os.path.join(data, "conll2003/iob2/eng.train"), encoding="utf-8") as f:
        for l in f:
            if not l.strip() or l.startswith("-DOCSTART-"):
                if cur: sents.append(cur); cur = []
                if len(sents) >= ner_n: break
            else:
                cur.append(l)
    if cur and len(sents) < ner_n: sents.append(cur)
    with open(p, "w", encoding="utf-8") as o:
        for s in sents[:ner_n]: o.writelines(s); o.write("\n")
    args += ["--ner-train", p, "--ner-format", "conll"]
if not args: sys.exit("bench-train: CLS_N and NER_N are both 0")
common = args + ["--epochs", epochs, "--batch", batch, "--max-length", maxlen, "--threads", threads] + extra

def run(cmd):
    """runs cmd (stdout + stderr in one pipe), returns [(t, line)] with each line's arrival time"""
    print("$ " + " ".join(cmd), flush=True)
    t_begin = time.perf_counter()
    pr = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, bufsize=0)
    lines = []
    for raw in iter(pr.stdout.readline, b""):
        lines.append((time.perf_counter(), raw.decode("utf-8", "replace").rstrip("\n")))
    rc = pr.wait()
    wall = time.perf_counter() - t_begin
    if rc != 0:
        sys.stdout.write("\n".join(l for _, l in lines[-20:]) + "\n")
        sys.exit(f"bench-train: {cmd[0]} failed (status {rc})")
    return lines, wall

# mtl-train
lines, mtl_wall = run(["build/mtl-train", "--model", "build/models/all-MiniLM-L6-v2.gguf", "--out", os.path.join(tmp, "out.gguf")] + common)
ep = [re.match(r"epoch (\d+): ([0-9.]+) s training \((\d+) steps", l) for _, l in lines]
ep = [m for m in ep if m]
if not ep: sys.exit("bench-train: no 'epoch N: X s training' line from mtl-train")
mtl_epochs = [float(m.group(2)) for m in ep]
total = sum(int(m.group(3)) for m in ep)
mtl_epoch = sum(mtl_epochs) / len(mtl_epochs)
print(f"mtl:     {total} steps, epochs {mtl_epochs} s, {mtl_epoch:.2f} s/epoch, wall {mtl_wall:.2f} s", flush=True)

# PyTorch reference
lines, torch_wall = run([sys.executable, "tools/train_reference.py", "--model-dir", "build/models/all-MiniLM-L6-v2"] + common)
res = json.loads([l for _, l in lines if l.startswith("{")][-1])
torch_epoch = sum(res["epoch_seconds"]) / len(res["epoch_seconds"])
print(f"pytorch: {res['steps']} steps, epochs {res['epoch_seconds']} s, {torch_epoch:.2f} s/epoch, "
      f"wall {torch_wall:.2f} s (torch {res['torch']})", flush=True)

ratio = torch_epoch / mtl_epoch
print(f"\nseconds per epoch ({res['cls_examples']} cls + {res['ner_examples']} NER examples, batch {batch}, "
      f"max length {maxlen}, {threads} threads): mtl {mtl_epoch:.2f}  pytorch {torch_epoch:.2f}  "
      f"ratio torch/mtl {ratio:.2f} ({'mtl faster' if ratio > 1 else 'pytorch faster'})")
print(json.dumps({"mtl_epoch_seconds": round(mtl_epoch, 3), "torch_epoch_seconds": round(torch_epoch, 3),
                  "ratio": round(ratio, 3), "threads": int(threads), "steps": total,
                  "cls_examples": res["cls_examples"], "ner_examples": res["ner_examples"]}))
EOF
