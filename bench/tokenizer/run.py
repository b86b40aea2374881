#!/usr/bin/env python3
"""Single-thread tokenizer throughput: mtl vs Hugging Face `tokenizers` (RAYON_NUM_THREADS=1) on the same
corpus (the IMDB reviews of shared/data/imdb, >= 10 MB, one review per line), same run, ratio printed.
Usage: python3 bench/tokenizer/run.py [--mb 12] [--passes 3] [--model-dir DIR]   (needs: pip install tokenizers; run
`make bench-tokenizer` from the repo root). --model-dir: a folder with the tokenizer.json to time (default
all-MiniLM-L6-v2's WordPiece; e.g. a folder holding tests/data/unigram/xlmr.json as tokenizer.json)."""
import argparse, csv, os, subprocess, sys, time
os.environ["RAYON_NUM_THREADS"] = "1"           # before tokenizers is imported
os.environ["TOKENIZERS_PARALLELISM"] = "false"

ap = argparse.ArgumentParser()
ap.add_argument("--shared", default=os.environ.get("MTL_SHARED", "../shared"))
ap.add_argument("--mb", type=float, default=12.0)
ap.add_argument("--passes", type=int, default=3)
ap.add_argument("--model-dir", default=None)
a = ap.parse_args()
model = a.model_dir or os.path.join(a.shared, "models/all-MiniLM-L6-v2")
corpus = "build/bench/imdb_corpus.txt"
os.makedirs("build/bench", exist_ok=True)
texts, size = [], 0
csv.field_size_limit(1 << 30)
with open(os.path.join(a.shared, "data/imdb/imdb_50k.csv"), newline="", encoding="utf-8") as f:
    for row in csv.DictReader(f):
        t = row["review"].replace("\n", " ")
        texts.append(t)
        size += len(t.encode()) + 1
        if size >= a.mb * 1e6:
            break
with open(corpus, "w", encoding="utf-8") as f:
    f.write("\n".join(texts) + "\n")
nbytes = os.path.getsize(corpus)

from tokenizers import Tokenizer, __version__ as hf_version
tok = Tokenizer.from_file(os.path.join(model, "tokenizer.json"))
tok.no_truncation(); tok.no_padding()
best, hf_tokens = 1e30, 0
for _ in range(a.passes):
    t0 = time.perf_counter()
    enc = tok.encode_batch(texts)            # one call: no per-text Python overhead
    dt = time.perf_counter() - t0
    best = min(best, dt)
    hf_tokens = sum(len(e.ids) for e in enc)
hf_s = best

out = subprocess.run(["build/bench/bench_tokenizer", model, corpus, str(a.passes)], capture_output=True, text=True, check=True).stdout.split()
mtl_bytes, mtl_tokens, mtl_s = int(out[0]), int(out[1]), float(out[2])
assert mtl_tokens == hf_tokens, "token counts differ: mtl %d, HF %d" % (mtl_tokens, hf_tokens)
print("tokenizer: %s; corpus: %d texts, %.2f MB (IMDB reviews), %d tokens; best of %d passes, 1 thread" % (model, len(texts), nbytes / 1e6, hf_tokens, a.passes))
print("%-28s %10s %14s %9s" % ("", "MB/s", "tokens/s", "seconds"))
print("%-28s %10.1f %14.0f %9.3f" % ("HF tokenizers %s" % hf_version, nbytes / hf_s / 1e6, hf_tokens / hf_s, hf_s))
print("%-28s %10.1f %14.0f %9.3f" % ("mtl", nbytes / mtl_s / 1e6, mtl_tokens / mtl_s, mtl_s))
print("ratio mtl / HF: %.1fx" % (hf_s / mtl_s))
