#!/usr/bin/env python3
"""Sentences/s of mtl vs ONNX Runtime vs PyTorch on all-MiniLM-L6-v2, same sentences, tokenization and
mean pooling + normalisation included, batch 1 and 32, 1 and 2 threads. Prints one table with ratios.

    /usr/bin/python3 bench/embed/bench.py [--model-dir build/models/all-MiniLM-L6-v2] [--n 256]

Needs: build/models/all-MiniLM-L6-v2{,.gguf} (tools/get_minilm.sh), torch (Debian python3-torch),
transformers, onnxruntime (PyPI). bench/embed/run.sh builds bench_mtl and calls this.
"""
import argparse
import os
import random
import subprocess
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

WORDS = ("the of and to in is you that it he was for on are as with his they at be this from have or by one had not "
         "but what all were when we there can an your which their said if do will each about how up out them then she "
         "many some so these would other into has more her two like him see time could no make than first been its who "
         "now people my made over did down only way find use may water long little very after words called just where "
         "most know get through back much go good new write our me man too any day same right look think also around "
         "another came come work three word must because does part even place well such here take why things help put "
         "years different away again off went old number great tell men say small every found still between name").split()


def sentences(n):
    r = random.Random(7)
    out = []
    for _ in range(n):
        k = r.choice([4, 6, 8, 10, 12, 16, 20, 24, 32, 48])
        out.append((" ".join(r.choice(WORDS) for _ in range(k))).capitalize() + ".")
    return out


def best_of(fn, repeat):
    best = 1e30
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model-dir", default=os.path.join(ROOT, "build/models/all-MiniLM-L6-v2"))
    ap.add_argument("--n", type=int, default=256)
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()
    blob = args.model_dir.rstrip("/") + ".gguf"
    sents = sentences(args.n)
    os.makedirs(os.path.join(ROOT, "build/bench"), exist_ok=True)
    sfile = os.path.join(ROOT, "build/bench/sentences.txt")
    with open(sfile, "w") as f:
        f.write("\n".join(sents) + "\n")

    import numpy as np
    import torch
    from transformers import AutoTokenizer, AutoModel
    import onnxruntime as ort

    tok = AutoTokenizer.from_pretrained(args.model_dir)
    model = AutoModel.from_pretrained(args.model_dir).eval()
    onnx_path = os.path.join(ROOT, "build/bench/minilm.onnx")
    if not os.path.exists(onnx_path):
        enc = tok(["hello world"], return_tensors="pt")
        with torch.no_grad():
            torch.onnx.export(model, (enc["input_ids"], enc["attention_mask"], enc["token_type_ids"]), onnx_path,
                              input_names=["input_ids", "attention_mask", "token_type_ids"],
                              output_names=["last_hidden_state"],
                              dynamic_axes={k: {0: "b", 1: "t"} for k in ["input_ids", "attention_mask", "token_type_ids", "last_hidden_state"]},
                              opset_version=14)

    def pool(h, mask):
        m = mask[..., None].astype(np.float32)
        e = (h * m).sum(1) / np.maximum(m.sum(1), 1e-9)
        return e / np.maximum(np.linalg.norm(e, axis=1, keepdims=True), 1e-12)

    results = {}
    for threads in (1, 2):
        torch.set_num_threads(threads)
        so = ort.SessionOptions()
        so.intra_op_num_threads = threads
        so.inter_op_num_threads = 1
        so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        sess = ort.InferenceSession(onnx_path, so, providers=["CPUExecutionProvider"])
        for batch in (1, 32):
            def run_ort():
                for i in range(0, len(sents), batch):
                    e = tok(sents[i:i + batch], padding=True, truncation=True, max_length=256, return_tensors="np")
                    h = sess.run(None, {"input_ids": e["input_ids"].astype(np.int64), "attention_mask": e["attention_mask"].astype(np.int64),
                                        "token_type_ids": e["token_type_ids"].astype(np.int64)})[0]
                    pool(h, e["attention_mask"])

            def run_torch():
                with torch.no_grad():
                    for i in range(0, len(sents), batch):
                        e = tok(sents[i:i + batch], padding=True, truncation=True, max_length=256, return_tensors="pt")
                        h = model(**e).last_hidden_state
                        m = e["attention_mask"][..., None].float()
                        s = (h * m).sum(1) / m.sum(1).clamp(min=1e-9)
                        torch.nn.functional.normalize(s, p=2, dim=1)

            run_ort()  # warm-up
            t_ort = best_of(run_ort, args.repeat)
            t_torch = best_of(run_torch, args.repeat)
            out = subprocess.run([os.path.join(ROOT, "build/bench_mtl"), blob, sfile, str(batch), str(threads), str(args.repeat + 1)],
                                 capture_output=True, text=True, check=True).stdout
            mtl_sps = float(out.split("sent/s=")[1].split()[0])
            results[(threads, batch)] = (mtl_sps, len(sents) / t_ort, len(sents) / t_torch)

    print(f"all-MiniLM-L6-v2, {len(sents)} sentences (4-48 words), tokenization + pooling included; sentences/s")
    print(f"{'threads':>7} {'batch':>5} {'mtl':>9} {'onnxrt':>9} {'pytorch':>9} {'mtl/ort':>8} {'mtl/torch':>9}")
    for (threads, batch), (a, b, c) in sorted(results.items()):
        print(f"{threads:>7} {batch:>5} {a:>9.1f} {b:>9.1f} {c:>9.1f} {a / b:>8.2f} {a / c:>9.2f}")


if __name__ == "__main__":
    main()
