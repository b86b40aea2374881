#!/bin/sh
# Training speed: build/mtl-train vs tools/train_reference.py (the same recipe in PyTorch 2.x, from the venv of
# bench/setup_venv.sh) on the same data and thread count, in the same run. Prints the CPU and versions, each
# trainer's seconds per epoch in every round, median and best, and the ratio torch / mtl (> 1: mtl faster).
#   bench/train/run.sh                 # the issue's recipe: one epoch of the first 1,536 SST-2 train sentences,
#                                      # batch 32, max length 128, AdamW (both trainers' default), 2 threads, 3 rounds
#   bench/train/run.sh --quick         # smoke run: 64 sentences (2 steps), 1 round
#   bench/train/run.sh [--quick] [extra options for both trainers, e.g. --freeze backbone]
# Environment (defaults): CLS_N=1536 (first SST-2 training sentences; 0 = no cls task), NER_N=0 (first CoNLL
# eng.train sentences; 0 = no NER task), EPOCHS=1, BATCH=32, MAXLEN=128, THREADS=2, ROUNDS=3 (rounds alternate
# which trainer goes first), MTL_SHARED=../shared (data in $MTL_SHARED/data), BENCH_VENV=build/bench-venv,
# PYTHON=$BENCH_VENV/bin/python (any Python with torch + transformers, e.g. /usr/bin/python3 for Debian's torch).
# The subsets are written to a temp dir (removed at exit); no dev files: only training is timed.
# Times: the per-epoch training times each trainer prints (mtl-train's "epoch N: X s training" lines, the
# reference's epoch_seconds; batch making + steps, eval and model loading excluded).
# Output: stdout, build/bench/train_report.md, build/bench/train_rounds.csv.
set -eu
cd "$(dirname "$0")/../.."
CMD="$0${*:+ $*}"
QUICK=0
if [ "${1:-}" = --quick ]; then QUICK=1; shift; fi
if [ "$QUICK" = 1 ]; then CLS_N=${CLS_N:-64}; ROUNDS=${ROUNDS:-1}; fi
VENV=${BENCH_VENV:-build/bench-venv}
PYTHON=${PYTHON:-$VENV/bin/python}
if [ ! -x "$PYTHON" ] && ! command -v "$PYTHON" >/dev/null 2>&1; then
    echo "bench/train: no $PYTHON: run bench/setup_venv.sh first (or set PYTHON)" >&2
    exit 1
fi
[ -f build/models/all-MiniLM-L6-v2.gguf ] && [ -f build/models/all-MiniLM-L6-v2/model.safetensors ] || tools/get_minilm.sh
nice -n 10 make -s build/mtl-train
mkdir -p build/bench
TMP=$(mktemp -d /tmp/mtl-bench-train.XXXXXX)
trap 'rm -rf "$TMP"' EXIT INT TERM
BENCH_COMMAND=$CMD QUICK=$QUICK \
CLS_N=${CLS_N:-1536} NER_N=${NER_N:-0} EPOCHS=${EPOCHS:-1} BATCH=${BATCH:-32} MAXLEN=${MAXLEN:-128} \
THREADS=${THREADS:-2} ROUNDS=${ROUNDS:-3} DATA=${MTL_SHARED:-../shared}/data TMP=$TMP \
"$PYTHON" - "$@" <<'EOF'
import csv, json, os, re, statistics, subprocess, sys, time
sys.path.insert(0, "bench")
from benchinfo import header

env = os.environ
tmp, data = env["TMP"], env["DATA"]
cls_n, ner_n, rounds = int(env["CLS_N"]), int(env["NER_N"]), int(env["ROUNDS"])
epochs, batch, maxlen, threads = env["EPOCHS"], env["BATCH"], env["MAXLEN"], env["THREADS"]
extra = sys.argv[1:]
report = open("build/bench/train_report.md", "w")

def out(s=""):
    print(s, flush=True)
    report.write(s + "\n")

settings = " ".join(f"{k}={env[k]}" for k in ("CLS_N", "NER_N", "EPOCHS", "BATCH", "MAXLEN", "THREADS", "ROUNDS"))
_, lines = header(f"{settings} {env['BENCH_COMMAND']}  (python: {sys.executable})",
                  ["torch", "transformers", "tokenizers", "numpy"], ["build/mtl-train"])
out(f"# bench/train: seconds per training epoch, mtl-train vs PyTorch{'  (QUICK SMOKE RUN: tiny sizes, not a measurement)' if env['QUICK'] == '1' else ''}")
out()
out("```")
for l in lines:
    out(l)
out("```")
out()

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
    print("$ " + " ".join(cmd), file=sys.stderr, flush=True)
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

def run_mtl():
    lines, wall = run(["build/mtl-train", "--model", "build/models/all-MiniLM-L6-v2.gguf", "--out", os.path.join(tmp, "out.gguf")] + common)
    ep = [re.match(r"epoch (\d+): ([0-9.]+) s training \((\d+) steps", l) for _, l in lines]
    ep = [m for m in ep if m]
    if not ep: sys.exit("bench-train: no 'epoch N: X s training' line from mtl-train")
    return {"epochs": [float(m.group(2)) for m in ep], "steps": sum(int(m.group(3)) for m in ep), "wall": wall}

def run_torch():
    lines, wall = run([sys.executable, "tools/train_reference.py", "--model-dir", "build/models/all-MiniLM-L6-v2"] + common)
    res = json.loads([l for _, l in lines if l.startswith("{")][-1])
    return {"epochs": res["epoch_seconds"], "steps": res["steps"], "wall": wall, "res": res}

results = {"mtl": [], "torch": []}
for r in range(rounds):
    order = [("mtl", run_mtl), ("torch", run_torch)]
    if r % 2: order.reverse()
    for name, fn in order:
        x = fn()
        results[name].append(x)
        print(f"[round {r + 1}/{rounds}] {name}: {x['steps']} steps, epochs {x['epochs']} s, wall {x['wall']:.2f} s",
              file=sys.stderr, flush=True)

res = results["torch"][-1]["res"]
per = {k: [sum(x["epochs"]) / len(x["epochs"]) for x in v] for k, v in results.items()}
med = {k: statistics.median(v) for k, v in per.items()}
best = {k: min(v) for k, v in per.items()}
out(f"Recipe: {res['cls_examples']} SST-2 + {res['ner_examples']} CoNLL examples, {epochs} epoch(s) of "
    f"{results['mtl'][0]['steps'] // int(epochs)} steps, batch {batch}, max length {maxlen}, AdamW, {threads} threads "
    f"(mtl-train --threads, torch.set_num_threads), dynamic padding in PyTorch (mtl packs), same example order; "
    f"extra options: {' '.join(extra) or '-'}. {rounds} round(s), alternating which trainer goes first.")
out()
out("| trainer | s/epoch per round | median | best | steps/s (median) |")
out("|---|---|---|---|---|")
steps = results["mtl"][0]["steps"] / int(epochs)
for k, label in (("mtl", "mtl-train"), ("torch", f"PyTorch {res['torch']}")):
    out(f"| {label} | {' '.join(f'{v:.2f}' for v in per[k])} | {med[k]:.2f} | {best[k]:.2f} | {steps / med[k]:.3f} |")
ratio = med["torch"] / med["mtl"]
out()
out(f"ratio torch / mtl (median seconds per epoch): {ratio:.2f} ({'mtl faster' if ratio > 1 else 'PyTorch faster'}); "
    f"by best: {best['torch'] / best['mtl']:.2f}")
load = os.getloadavg()
out(f"load avg {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} at the end")
report.close()
with open("build/bench/train_rounds.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["round", "trainer", "epoch_seconds", "steps", "wall_seconds"])
    for k, v in results.items():
        for i, x in enumerate(v):
            w.writerow([i + 1, k, round(per[k][i], 4), x["steps"], round(x["wall"], 3)])
print(json.dumps({"mtl_epoch_seconds": round(med["mtl"], 3), "torch_epoch_seconds": round(med["torch"], 3),
                  "ratio": round(ratio, 3), "threads": int(threads), "steps": results["mtl"][0]["steps"], "rounds": rounds,
                  "cls_examples": res["cls_examples"], "ner_examples": res["ner_examples"], "torch": res["torch"]}))
EOF
