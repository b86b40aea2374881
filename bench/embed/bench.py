#!/usr/bin/env python3
"""bench/embed/bench.py: all-MiniLM-L6-v2 sentence embeddings end to end (tokenization + forward + mean pooling
+ L2 normalisation), sentences/s, mtl against ONNX Runtime (plain and optimized graph), CTranslate2 and PyTorch.
Run it through bench/embed/run.sh (builds the C programs, uses the venv of bench/setup_venv.sh); bench/README.md
describes every option and column.

    bench/embed/run.sh [--quick] [--rounds 3] [--threads 1,2] [--modes b1,b32,b32s] [--corpora sst2,imdb]
                       [--engines mtl,ort,ort-opt,ct2,torch] [--n-sst2 2048] [--n-imdb 512] ...

Every engine runs in its own process (its runtime, thread pools and OpenMP stay apart from the others'); mtl
through build/bench/bench_mtl --serve, the peers through the HF fast tokenizer (TOKENIZERS_PARALLELISM=false,
so no engine tokenizes on extra threads). Timed: one pass over the corpus per cell, from the texts to the
normalised embeddings. Before timing, every engine's embeddings of the first --check-n texts of each corpus
(one at a time and as one padded batch, at every thread count) are compared with PyTorch's one-at-a-time
ones; an engine under --min-cos is dropped from the tables, with the reason printed.
"""
import argparse
import csv
import json
import multiprocessing as mp
import os
import shlex
import statistics
import struct
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.dirname(HERE))
from benchinfo import header, sh, versions  # noqa: E402
PEERS = ["ort", "ort-opt", "ct2", "torch"]
ENGINES = ["mtl"] + PEERS
LABEL = {"mtl": "mtl", "ort": "ORT", "ort-opt": "ORT-opt", "ct2": "CT2", "torch": "torch"}
MODES = ["b1", "b32", "b32s"]
CORPORA = ["sst2", "imdb"]
DISTS = ["torch", "transformers", "tokenizers", "onnxruntime", "onnx", "ctranslate2", "sentence-transformers", "numpy"]


# ------------------------------------------------------------------------------------------------------
# peers (each in its own process)
# ------------------------------------------------------------------------------------------------------
def pool_np(h, mask):
    """masked mean over the tokens, then L2 normalisation (sentence-transformers' Pooling + Normalize)"""
    import numpy as np
    m = mask[..., None].astype(np.float32)
    e = (h * m).sum(1) / np.maximum(m.sum(1), 1e-9)
    return e / np.maximum(np.linalg.norm(e, axis=1, keepdims=True), 1e-12)


class Peer:
    def __init__(self, kind, cfg):
        import numpy as np
        from transformers import AutoTokenizer
        self.np = np
        self.kind, self.cfg = kind, cfg
        self.maxlen = cfg["max_length"]
        self.tok = AutoTokenizer.from_pretrained(cfg["model_dir"])
        self.sessions = {}
        if kind == "torch":
            import torch
            from transformers import AutoModel
            torch.set_num_interop_threads(1)
            self.torch = torch
            self.model = AutoModel.from_pretrained(cfg["model_dir"]).eval()   # default attention (sdpa)
        elif kind in ("ort", "ort-opt"):
            import onnxruntime
            self.ort = onnxruntime
            self.path = cfg["onnx_opt" if kind == "ort-opt" else "onnx"]
        elif kind == "ct2":
            import ctranslate2
            self.ct2 = ctranslate2
        else:
            raise ValueError(kind)

    def threads(self, t):
        if self.kind == "torch":
            self.torch.set_num_threads(t)
            return None
        if t not in self.sessions:
            if self.kind == "ct2":
                self.sessions[t] = self.ct2.Encoder(self.cfg["ct2"], device="cpu", compute_type="float32",
                                                    intra_threads=t, inter_threads=1)
            else:
                so = self.ort.SessionOptions()
                so.intra_op_num_threads = t
                so.inter_op_num_threads = 1
                so.execution_mode = self.ort.ExecutionMode.ORT_SEQUENTIAL
                so.graph_optimization_level = self.ort.GraphOptimizationLevel.ORT_ENABLE_ALL
                self.sessions[t] = self.ort.InferenceSession(self.path, so, providers=["CPUExecutionProvider"])
        return self.sessions[t]

    def encode(self, sess, texts):
        """texts -> normalised embeddings [n, H] (numpy)"""
        np = self.np
        if self.kind == "torch":
            torch = self.torch
            e = self.tok(texts, padding=True, truncation=True, max_length=self.maxlen, return_tensors="pt")
            with torch.inference_mode():
                h = self.model(**e).last_hidden_state
                m = e["attention_mask"].unsqueeze(-1).to(h.dtype)
                s = (h * m).sum(1) / m.sum(1).clamp(min=1e-9)
                return torch.nn.functional.normalize(s, p=2, dim=1).numpy()
        if self.kind == "ct2":
            ids = self.tok(texts, truncation=True, max_length=self.maxlen)["input_ids"]
            h = np.asarray(sess.forward_batch(ids).last_hidden_state)
            lens = np.array([len(x) for x in ids])
            mask = (np.arange(h.shape[1])[None, :] < lens[:, None])
            return pool_np(h, mask)
        e = self.tok(texts, padding=True, truncation=True, max_length=self.maxlen, return_tensors="np")
        feed = {k: e[k].astype(np.int64) for k in ("input_ids", "attention_mask", "token_type_ids")}
        h = sess.run(None, feed)[0]
        return pool_np(h, e["attention_mask"])

    def st_check(self, texts):
        """sentence-transformers' encode of texts (the reference pipeline this benchmark reproduces)"""
        from sentence_transformers import SentenceTransformer
        st = SentenceTransformer(self.cfg["model_dir"], device="cpu")
        return st.encode(texts, batch_size=len(texts), convert_to_numpy=True)


def peer_worker(kind, cfg, conn):
    os.environ["TOKENIZERS_PARALLELISM"] = "false"
    try:
        peer = Peer(kind, cfg)
    except Exception as e:  # reported; the engine is left out
        conn.send(("error", f"{type(e).__name__}: {e}"))
        return
    conn.send(("ok", None))
    corpora = {}
    while True:
        msg = conn.recv()
        try:
            if msg[0] == "quit":
                break
            if msg[0] == "load":
                with open(msg[2], encoding="utf-8") as f:
                    corpora[msg[1]] = f.read().split("\n")[:-1]
                conn.send(("ok", len(corpora[msg[1]])))
            elif msg[0] in ("run", "embed"):
                _, name, batch, t, count = msg
                texts = corpora[name][:count] if count else corpora[name]
                sess = peer.threads(t)
                out = []
                c0 = time.process_time()
                t0 = time.perf_counter()
                for i in range(0, len(texts), batch):
                    e = peer.encode(sess, texts[i:i + batch])
                    if msg[0] == "embed":
                        out.append(e)
                dt = time.perf_counter() - t0
                cpu = time.process_time() - c0
                conn.send(("ok", peer.np.concatenate(out) if msg[0] == "embed" else (dt, cpu)))
            elif msg[0] == "st":
                conn.send(("ok", peer.st_check(corpora[msg[1]][:msg[2]])))
            else:
                conn.send(("error", f"unknown command {msg[0]}"))
        except Exception as e:
            conn.send(("error", f"{type(e).__name__}: {e}"))


class PyRemote:
    def __init__(self, kind, cfg):
        ctx = mp.get_context("spawn")
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=peer_worker, args=(kind, cfg, child), daemon=True)
        self.proc.start()
        st, val = self.conn.recv()
        if st != "ok":
            self.close()
            raise RuntimeError(val)

    def _call(self, *msg):
        self.conn.send(msg)
        st, val = self.conn.recv()
        if st != "ok":
            raise RuntimeError(val)
        return val

    def load(self, name, path):
        return self._call("load", name, path)

    def run(self, name, batch, threads, count=0):
        return self._call("run", name, batch, threads, count)

    def embed(self, name, batch, threads, count):
        return self._call("embed", name, batch, threads, count)

    def st(self, name, count):
        return self._call("st", name, count)

    def close(self):
        try:
            self.conn.send(("quit",))
        except Exception:
            pass
        self.proc.join(10)
        if self.proc.is_alive():
            self.proc.kill()


class MtlRemote:
    """build/bench/bench_mtl --serve MODEL: the same commands over a pipe"""

    def __init__(self, exe, blob, tmpdir):
        self.p = subprocess.Popen([exe, "--serve", blob], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
        self.tmp = tmpdir
        self.H = int(self._reply().split("hidden=")[1])

    def _reply(self):
        line = self.p.stdout.readline().strip()
        if not line.startswith("ok"):
            raise RuntimeError(line or f"bench_mtl exited ({self.p.poll()})")
        return line

    def _call(self, cmd):
        self.p.stdin.write(cmd + "\n")
        self.p.stdin.flush()
        return self._reply()

    def load(self, name, path):
        return int(self._call(f"load {name} {path}").split("n=")[1])

    def run(self, name, batch, threads, count=0):
        r = self._call(f"run {name} {batch} {threads} {count}")
        return float(r.split("seconds=")[1].split()[0]), float(r.split("cpu=")[1].split()[0])

    def embed(self, name, batch, threads, count):
        import numpy as np
        out = os.path.join(self.tmp, "mtl_emb.f32")
        self._call(f"embed {name} {batch} {threads} {count} {out}")
        return np.fromfile(out, dtype=np.float32).reshape(-1, self.H)

    def close(self):
        try:
            self.p.stdin.write("quit\n")
            self.p.stdin.flush()
        except Exception:
            pass
        self.p.wait(10)


# ------------------------------------------------------------------------------------------------------
# machine, versions, corpora, bounds
# ------------------------------------------------------------------------------------------------------
def read_corpora(args):
    import csv as _csv
    out = {}
    if "sst2" in args.corpora:
        p = os.path.join(args.shared, "data/sst2/train.tsv")
        with open(p, encoding="utf-8") as f:
            rows = f.read().split("\n")
        if rows[0].split("\t")[0] != "sentence":
            sys.exit(f"bench: unexpected header in {p}")
        out["sst2"] = [r.split("\t")[0] for r in rows[1:] if r.strip()][:args.n_sst2]
    if "imdb" in args.corpora:
        p = os.path.join(args.shared, "data/imdb/imdb_50k.csv")
        texts = []
        with open(p, encoding="utf-8", newline="") as f:
            rd = _csv.reader(f)
            if next(rd)[0] != "review":
                sys.exit(f"bench: unexpected header in {p}")
            for row in rd:
                texts.append(" ".join(row[0].replace("\r", " ").split("\n")))
                if len(texts) == args.n_imdb:
                    break
        out["imdb"] = texts
    for k, v in out.items():
        if not v:
            sys.exit(f"bench: corpus {k} is empty")
    return out


def safetensors_bytes(path):
    """bytes of every tensor, and of those a forward reads in full (all but the word-embedding table, of
    which it reads only the rows of its tokens, and the pooler, unused by mean pooling)"""
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        hdr = json.loads(f.read(n))
    total = read = 0
    for name, t in hdr.items():
        if name == "__metadata__":
            continue
        nel = 1
        for d in t["shape"]:
            nel *= d
        b = 4 * nel   # as float32, whatever the file's dtype
        total += b
        if "word_embeddings" not in name and "pooler" not in name:
            read += b
    return total, read


def measure_bounds(args, mi, threads, label, shape):
    """shape: the model's (hidden, FFN) sizes, the products bench_bounds times"""
    exe = os.path.join(ROOT, "build/bench/bench_bounds")
    if not os.access(exe, os.X_OK):
        return None
    env = dict(os.environ)
    core = args.openblas_coretype or ("SkylakeX" if mi["avx512f"] else "Haswell" if mi["avx2"] else "")
    if core:
        env["OPENBLAS_CORETYPE"] = core
    res = {}
    for t in threads:
        print(f"[bounds {label}] sgemm and copy, {t} thread(s)", file=sys.stderr, flush=True)
        g = dict(l.split("=", 1) for l in sh([exe, "sgemm", str(t), str(args.sgemm_seconds), str(shape[0]), str(shape[1])],
                                            env=env).splitlines() if "=" in l)
        c = dict(l.split("=", 1) for l in sh([exe, "copy", str(t), str(args.copy_mib)]).splitlines() if "=" in l)
        rd = dict(l.split("=", 1) for l in sh([exe, "read", str(t), str(args.copy_mib)]).splitlines() if "=" in l)
        res[t] = {"gflops": float(g["gflops_layer_mix"]), "sgemm": g, "gbps": float(c["gb_per_s"]), "copy": c,
                  "read_gbps": float(rd["gb_per_s"]), "read_isa": rd.get("read_isa", "?"), "coretype_env": core}
    return res


# ------------------------------------------------------------------------------------------------------
# main
# ------------------------------------------------------------------------------------------------------
def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="smoke run: 16 SST-2 sentences, 8 IMDB reviews, 1 round")
    ap.add_argument("--rounds", type=int, default=None, help="interleaved rounds (default 3; --quick 1)")
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--modes", default=",".join(MODES), help="b1 (batch 1), b32 (batches of --batch in corpus order), "
                    "b32s (the corpus sorted by token count, longest first, then batches)")
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--corpora", default=",".join(CORPORA))
    ap.add_argument("--engines", default=",".join(ENGINES))
    ap.add_argument("--n-sst2", type=int, default=None, help="first N sentences of SST-2 train (default 2048; --quick 16)")
    ap.add_argument("--n-imdb", type=int, default=None, help="first N IMDB reviews (default 512; --quick 8)")
    ap.add_argument("--max-length", type=int, default=None, help="truncation in tokens (default: the model's "
                    "max_seq_length from sentence_bert_config.json, 256)")
    ap.add_argument("--check-n", type=int, default=None, help="texts per corpus checked against PyTorch (default 8; --quick 4)")
    ap.add_argument("--min-cos", type=float, default=0.9999)
    ap.add_argument("--warmup", type=int, default=64, help="texts of each corpus run per engine, mode and thread count before timing")
    ap.add_argument("--gap", type=float, default=0.2, help="seconds of pause between two timed runs (lets spinning worker threads settle)")
    ap.add_argument("--no-bounds", action="store_true")
    ap.add_argument("--sgemm-seconds", type=float, default=None, help="per shape (default 1.0; --quick 0.2)")
    ap.add_argument("--copy-mib", type=int, default=1024)
    ap.add_argument("--openblas-coretype", default="", help="default: SkylakeX with avx512f, else Haswell with avx2")
    ap.add_argument("--weight-bytes", choices=["read", "all"], default="read",
                    help="weights per forward for the memory bound: 'read' (every tensor but the word-embedding table "
                    "and the pooler) or 'all' (the whole fp32 model)")
    ap.add_argument("--model-dir", default=os.path.join(ROOT, "build/models/all-MiniLM-L6-v2"))
    ap.add_argument("--shared", default=os.environ.get("MTL_SHARED", os.path.join(ROOT, "../shared")))
    ap.add_argument("--out-dir", default=os.path.join(ROOT, "build/bench"), help="report, CSVs and corpus files")
    ap.add_argument("--peer-dir", default=os.path.join(ROOT, "build/bench/peers"), help="ONNX / CT2 files (made once, "
                    "re-made when the versions change)")
    args = ap.parse_args()
    q = args.quick
    args.rounds = args.rounds or (1 if q else 3)
    args.n_sst2 = args.n_sst2 or (16 if q else 2048)
    args.n_imdb = args.n_imdb or (8 if q else 512)
    args.check_n = args.check_n or (4 if q else 8)
    args.sgemm_seconds = args.sgemm_seconds or (0.2 if q else 1.0)
    if q:
        args.warmup = min(args.warmup, 8)
        args.gap = min(args.gap, 0.05)
    threads = [int(t) for t in args.threads.split(",")]
    modes = args.modes.split(",")
    args.corpora = args.corpora.split(",")
    engines = args.engines.split(",")
    for m in modes:
        if m not in MODES:
            sys.exit(f"bench: unknown mode {m}")
    for e in engines:
        if e not in ENGINES:
            sys.exit(f"bench: unknown engine {e}")
    if "torch" not in engines:
        sys.exit("bench: torch is the reference of the checks; keep it in --engines")
    os.makedirs(args.out_dir, exist_ok=True)
    model_dir = os.path.abspath(args.model_dir)
    blob = model_dir.rstrip("/") + ".gguf"
    cfg_model = json.load(open(os.path.join(model_dir, "config.json")))
    if args.max_length is None:
        try:
            args.max_length = int(json.load(open(os.path.join(model_dir, "sentence_bert_config.json")))["max_seq_length"])
        except (OSError, KeyError):
            args.max_length = int(cfg_model["max_position_embeddings"])
    os.environ["TOKENIZERS_PARALLELISM"] = "false"

    report_path = os.path.join(args.out_dir, "embed_report.md")
    report = open(report_path, "w")

    def out(s=""):
        print(s, flush=True)
        report.write(s + "\n")

    def note(s):
        print(s, file=sys.stderr, flush=True)

    # ---- header
    cmd = os.environ.get("BENCH_COMMAND") or " ".join(shlex.quote(a) for a in [sys.executable] + sys.argv)
    mi, lines = header(cmd, DISTS, ["build/bench/bench_mtl", "build/bench/bench_bounds"])
    ver = versions(DISTS)
    out(f"# bench/embed: {os.path.basename(model_dir.rstrip('/'))} embeddings, sentences/s{'  (QUICK SMOKE RUN: tiny sizes, not a measurement)' if q else ''}")
    out()
    out("```")
    for line in lines:
        out(line)
    out("```")
    out()

    # ---- peers' files
    peer_dir = os.path.abspath(args.peer_dir)
    stamp_path = os.path.join(peer_dir, "stamp.json")
    sys.path.insert(0, HERE)
    from prepare_peers import stamp_of  # noqa: E402
    want = stamp_of(model_dir)
    have = json.load(open(stamp_path)) if os.path.exists(stamp_path) else {}
    if any(p in engines for p in PEERS[:3]) and {k: have.get(k) for k in want} != want:
        note("[prepare] exporting ONNX, optimizing, converting for CTranslate2 (nice -n 10)")
        subprocess.run(["nice", "-n", "10", sys.executable, os.path.join(HERE, "prepare_peers.py"), "--model-dir", model_dir,
                        "--out-dir", peer_dir], check=True, stdout=subprocess.DEVNULL)
        have = json.load(open(stamp_path))
    fused = have.get("fused", {})
    n_att = fused.get("Attention", 0) + fused.get("MultiHeadAttention", 0)

    # ---- corpora
    from transformers import AutoTokenizer
    tok = AutoTokenizer.from_pretrained(model_dir)
    texts = read_corpora(args)
    cdata = {}
    for name, tx in texts.items():
        lens = [len(x) for x in tok(tx, truncation=True, max_length=args.max_length)["input_ids"]]
        full = [len(x) for x in tok(tx, truncation=False)["input_ids"]]
        order = sorted(range(len(tx)), key=lambda i: -lens[i])   # stable: ties keep corpus order
        files = {}
        for key, idx in (("", range(len(tx))), ("_sorted", order)):
            p = os.path.join(args.out_dir, f"corpus_{name}{key}.txt")
            with open(p, "w", encoding="utf-8") as f:
                for i in idx:
                    f.write(tx[i] + "\n")
            files[name + key] = p
        cdata[name] = {"lens": lens, "order": order, "files": files, "truncated": sum(a > b for a, b in zip(full, lens))}

    def batches(name, mode):
        n = len(texts[name])
        if mode == "b1":
            return [[i] for i in range(n)]
        idx = cdata[name]["order"] if mode == "b32s" else list(range(n))
        return [idx[i:i + args.batch] for i in range(0, n, args.batch)]

    def corpus_key(name, mode):
        return name + ("_sorted" if mode == "b32s" else "")

    def bsize(mode):
        return 1 if mode == "b1" else args.batch

    # ---- FLOPs, weight bytes
    H, I, Lyr = cfg_model["hidden_size"], cfg_model["intermediate_size"], cfg_model["num_hidden_layers"]
    p_mat = 4 * H * H + 2 * H * I
    wb_all, wb_read = safetensors_bytes(os.path.join(model_dir, "model.safetensors"))
    wbytes = wb_read if args.weight_bytes == "read" else wb_all

    def flops(L):
        return Lyr * (2 * p_mat * L + 4 * L * L * H)

    out("## Setup")
    out()
    out(f"- Model `{model_dir}`: {Lyr} layers, hidden {H}, FFN {I}, {cfg_model['num_attention_heads']} heads; inputs "
        f"truncated to {args.max_length} tokens by every engine; fp32 everywhere.")
    for name in texts:
        ln = cdata[name]["lens"]
        pad_b = sum(len(b) * max(ln[i] for i in b) for b in batches(name, "b32"))
        pad_s = sum(len(b) * max(ln[i] for i in b) for b in batches(name, "b32s"))
        src = "SST-2 train.tsv, first" if name == "sst2" else "IMDB imdb_50k.csv, first"
        out(f"- Corpus {name}: {src} {len(ln)} texts, {sum(ln)} real tokens ([CLS]/[SEP] included; mean {sum(ln) / len(ln):.1f}, "
            f"max {max(ln)}, {cdata[name]['truncated']} truncated); padded to the batch's longest: b{args.batch} "
            f"{pad_b} tokens (+{100 * (pad_b / sum(ln) - 1):.0f}%), b{args.batch}s {pad_s} (+{100 * (pad_s / sum(ln) - 1):.0f}%); "
            f"{sum(flops(L) for L in ln) / 1e9:.1f} GFLOP of real tokens.")
    if have:
        out(f"- ORT: `{os.path.relpath(peer_dir, ROOT)}/minilm.onnx` (torch.onnx.export, TorchScript exporter, opset 17, "
            f"eager attention), nodes: {json.dumps(have.get('plain_nodes', {}))}")
        out(f"- ORT-opt: `minilm-opt.onnx` = onnxruntime.transformers.optimizer.optimize_model(model_type='bert', "
            f"num_heads={cfg_model['num_attention_heads']}, hidden_size={H}); fused operators: {json.dumps(fused)}"
            f"{'' if n_att == Lyr else f'  **WARNING: {n_att} Attention nodes for {Lyr} layers: fusion incomplete**'}")
        out("- Both ORT graphs: intra_op_num_threads = threads, inter_op_num_threads 1, sequential, ORT_ENABLE_ALL. "
            "CT2: `ct2-transformers-converter --quantization float32`, ctranslate2.Encoder(intra_threads = threads, "
            "inter_threads 1). torch: transformers AutoModel (default attention), torch.inference_mode(), "
            "torch.set_num_threads(threads), interop threads 1.")
    out("- Peers: HF fast tokenizer, padding to the batch's longest (CT2 gets unpadded id lists), masked mean pooling "
        "+ L2 in numpy (torch: in torch); mtl: `mtl_forward_texts` (its own tokenizer, packed batches, no padding).")

    # ---- bounds (start)
    layer_shape = (cfg_model["hidden_size"], cfg_model["intermediate_size"])   # the products bench_bounds times
    bounds0 = None if args.no_bounds else measure_bounds(args, mi, threads, "start", layer_shape)

    # ---- engines
    tmpdir = tempfile.mkdtemp(prefix="mtl-bench-embed.")
    peer_cfg = {"model_dir": model_dir, "max_length": args.max_length, "onnx": os.path.join(peer_dir, "minilm.onnx"),
                "onnx_opt": os.path.join(peer_dir, "minilm-opt.onnx"), "ct2": os.path.join(peer_dir, "ct2")}
    remotes, dropped = {}, {}
    for e in engines:
        note(f"[start] {e}")
        try:
            if e == "mtl":
                remotes[e] = MtlRemote(os.path.join(ROOT, "build/bench/bench_mtl"), blob, tmpdir)
            else:
                remotes[e] = PyRemote(e, peer_cfg)
            for name in texts:
                for key, p in cdata[name]["files"].items():
                    n = remotes[e].load(key, p)
                    if n != len(texts[name]):
                        raise RuntimeError(f"{key}: read {n} texts, expected {len(texts[name])}")
        except Exception as ex:
            dropped[e] = f"could not start: {ex}"
            remotes.pop(e, None)
    if "torch" not in remotes:
        sys.exit(f"bench: the reference engine torch is not available: {dropped.get('torch')}")

    # ---- checks
    import numpy as np
    out()
    out(f"## Checks (cosine with PyTorch one text at a time, first {args.check_n} texts of each corpus, "
        f"at 1 text per call and as one batch, threads {args.threads}; required >= {args.min_cos})")
    out()
    mincos = {e: 1.0 for e in remotes}
    for name in texts:
        k = min(args.check_n, len(texts[name]))
        ref = remotes["torch"].embed(name, 1, threads[0], k)
        if "sentence-transformers" in ver and ver["sentence-transformers"] != "not installed":
            try:
                st = remotes["torch"].st(name, k)
                c = float(np.min(np.sum(st * ref, 1) / np.linalg.norm(st, axis=1)))
                out(f"- {name}: sentence-transformers {ver['sentence-transformers']} encode() vs this torch pipeline: min cosine {c:.9f}")
            except Exception as ex:
                out(f"- {name}: sentence-transformers check failed: {ex}")
        for e in list(remotes):
            for t in threads:
                for b in (1, k):
                    try:
                        emb = remotes[e].embed(name, b, t, k)
                        c = float(np.min(np.sum(emb * ref, 1) / np.maximum(np.linalg.norm(emb, axis=1), 1e-30)))
                    except Exception as ex:
                        c = -2.0
                        dropped[e] = f"check failed on {name}: {ex}"
                    mincos[e] = min(mincos[e], c)
    for e in list(remotes):
        ok = mincos[e] >= args.min_cos and e not in dropped
        out(f"- {LABEL[e]}: min cosine {mincos[e]:.9f} {'ok' if ok else 'FAILED: left out of the tables'}")
        if not ok:
            dropped.setdefault(e, f"min cosine {mincos[e]:.9f} < {args.min_cos}")
            remotes.pop(e).close()
    for e, why in dropped.items():
        if e not in mincos or why.startswith("check failed"):
            out(f"- {LABEL[e]}: not measured: {why}")

    # ---- warm-up
    cells = [(name, t, m) for name in texts for t in threads for m in modes]
    active = [e for e in engines if e in remotes]
    if not active:
        sys.exit("bench: no engine left to measure")
    note(f"[warm-up] {len(active)} engines")
    for e in active:
        for name, t, m in cells:
            remotes[e].run(corpus_key(name, m), bsize(m), t, min(args.warmup, len(texts[name])))

    # ---- rounds
    raw = []   # (round, corpus, threads, mode, engine, seconds, cpu seconds of the engine's process)
    rounds_csv = open(os.path.join(args.out_dir, "embed_rounds.csv"), "w", newline="")   # written as it goes
    rounds_w = csv.writer(rounds_csv)
    rounds_w.writerow(["round", "corpus", "threads", "mode", "engine", "seconds", "cpu_seconds", "sentences_per_s"])
    t_start = time.time()
    bounds_between = []   # the bounds measured after rounds 1 .. rounds - 1
    for r in range(args.rounds):
        for ci, (name, t, m) in enumerate(cells):
            k = (r + ci) % len(active)
            for e in active[k:] + active[:k]:
                time.sleep(args.gap)
                s, cpu = remotes[e].run(corpus_key(name, m), bsize(m), t)
                raw.append((r + 1, name, t, m, e, s, cpu))
                rounds_w.writerow([r + 1, name, t, m, e, round(s, 6), round(cpu, 6), round(len(texts[name]) / s, 3)])
                rounds_csv.flush()
                note(f"[round {r + 1}/{args.rounds}] {name} threads={t} {m} {LABEL[e]}: {len(texts[name]) / s:.1f} sent/s")
        if bounds0 and r + 1 < args.rounds:   # each round between two measurements of the bounds
            bounds_between.append(measure_bounds(args, mi, threads, f"after round {r + 1}", layer_shape))
        el = time.time() - t_start
        note(f"[round {r + 1}/{args.rounds}] done, {el:.0f} s so far, about {el / (r + 1) * (args.rounds - r - 1):.0f} s to go")
    rounds_csv.close()
    for e in list(remotes):
        remotes.pop(e).close()

    # ---- bounds (end)
    bounds1 = None if args.no_bounds else measure_bounds(args, mi, threads, "end", layer_shape)
    def better(a, b):
        return {t: {"gflops": max(a[t]["gflops"], b[t]["gflops"]), "gbps": max(a[t]["gbps"], b[t]["gbps"])} for t in threads}
    bounds = None
    round_bounds = []   # round r's: the better of the measurements just before and just after it
    if bounds0 and bounds1 and None not in bounds_between:
        bounds = better(bounds0, bounds1)
        marks = [bounds0] + bounds_between + [bounds1]
        round_bounds = [better(marks[r], marks[r + 1]) for r in range(args.rounds)]

    # ---- summary
    def cell_bound(name, t, m, bnd=None):
        bnd = bnd or bounds
        if not bnd:
            return None
        gf, bw = bnd[t]["gflops"] * 1e9, bnd[t]["gbps"] * 1e9
        ln = cdata[name]["lens"]
        tf = tm = troof = tfl = 0.0
        for b in batches(name, m):
            f = sum(flops(ln[i]) for i in b) / gf
            w = wbytes / bw
            tf += f
            tm += w
            troof += max(f, w)
            tfl += f if f >= w else 0.0
        n = len(ln)
        return {"bound": n / troof, "bound_flop": n / tf, "bound_mem": n / tm, "kind": "flop" if tfl >= troof / 2 else "mem"}

    summ = {}
    for name, t, m in cells:
        for e in active:
            s = [x[5] for x in raw if x[1:5] == (name, t, m, e)]
            sps = [len(texts[name]) / v for v in s]
            cpu = statistics.median(x[6] / x[5] for x in raw if x[1:5] == (name, t, m, e))
            summ[(name, t, m, e)] = (statistics.median(sps), max(sps), len(sps), cpu)

    out()
    out("## Bounds")
    out()
    if bounds:
        for t in threads:
            s0 = bounds0[t]["sgemm"]
            out(f"- {t} thread(s): OpenBLAS sgemm ({s0['openblas_corename']}, OPENBLAS_CORETYPE={bounds0[t]['coretype_env'] or 'unset'}; "
                f"{s0['openblas_config']}) layer mix {bounds0[t]['gflops']:.1f} / {bounds1[t]['gflops']:.1f} GFLOP/s (start / end; "
                f"{s0['shape_qkvo']} {s0['gflops_qkvo']}, {s0['shape_up']} {s0['gflops_up']}, {s0['shape_down']} "
                f"{s0['gflops_down']} at start); copy {bounds0[t]['gbps']:.1f} / {bounds1[t]['gbps']:.1f} GB/s "
                f"({int(bounds0[t]['copy']['copy_bytes']) >> 20} MiB memcpy, counted read + write = "
                f"{int(bounds0[t]['copy']['counted_bytes']) >> 20} MiB per copy); read-only stream "
                f"{bounds0[t]['read_gbps']:.1f} / {bounds1[t]['read_gbps']:.1f} GB/s ({bounds0[t]['read_isa']} loads; "
                f"not in the bound: what a stream of weights that are only read reaches on these threads).")
        out(f"- FLOPs per text of L tokens: {Lyr} layers x (2 x {p_mat:,} matmul weights x L + 4 x L^2 x {H} attention); "
            f"weights per forward: {wbytes / 1e6:.1f} MB ({args.weight_bytes}: "
            f"{'every fp32 tensor but the word-embedding table, which a forward samples, and the unused pooler' if args.weight_bytes == 'read' else 'the whole fp32 model'}; "
            f"whole model {wb_all / 1e6:.1f} MB, read per forward {wb_read / 1e6:.1f} MB).")
        if bounds_between:
            for t in threads:
                out(f"- {t} thread(s) between the rounds: layer mix " + " / ".join(f"{b[t]['gflops']:.1f}" for b in bounds_between)
                    + " GFLOP/s, copy " + " / ".join(f"{b[t]['gbps']:.1f}" for b in bounds_between) + " GB/s (after round"
                    + (f"s 1 .. {args.rounds - 1})." if args.rounds > 2 else " 1)."))
        out("- bound: the better of the start and end measurements. mtl/bound per round: each round's mtl against the better of "
            "the measurements just before and just after that round, the median over the rounds (the host's speed can drift "
            "during a run; this compares mtl with OpenBLAS measured minutes apart, not up to the whole run apart).")
        out("- bound = texts / sum over the cell's batches of max(batch FLOPs / sgemm GFLOP/s, weight bytes / copy GB/s): "
            "the time if every matrix product ran at OpenBLAS's speed on these shapes with no padding, and every batch "
            "streamed the weights once at memcpy speed; (flop) / (mem) says which term dominates (b32 / b32s: FLOPs; "
            "b1 on short texts: the weights too). mtl/bound > 1: faster than OpenBLAS's sgemm would allow, or a noisy "
            "bound (compare start and end).")
    else:
        out("- not measured (--no-bounds, or build/bench/bench_bounds missing: apt-get install libopenblas-dev)")

    out()
    out(f"## Results: sentences/s, median (best) of {args.rounds} interleaved round(s)")
    rows_csv = []
    for name in texts:
        out()
        title = {"sst2": f"SST-2, first {len(texts[name])} train sentences",
                 "imdb": f"IMDB, first {len(texts[name])} reviews, truncated to {args.max_length} tokens"}[name]
        out(f"### {title}")
        out()
        cols = [e for e in ENGINES if e in active]
        out("| threads | mode | " + " | ".join(LABEL[e] for e in cols) + " | best peer | mtl/best | bound | mtl/bound | mtl/bound per round |")
        out("|---|---|" + "---|" * (len(cols) + 5))
        for t in threads:
            for m in modes:
                vals = {e: summ[(name, t, m, e)] for e in cols}
                peers = [e for e in cols if e != "mtl"]
                bp = max(peers, key=lambda e: vals[e][0]) if peers else None
                b = cell_bound(name, t, m)
                mtl = vals.get("mtl")
                line = f"| {t} | {m} | " + " | ".join(f"{vals[e][0]:.1f} ({vals[e][1]:.1f})" for e in cols)
                line += f" | {LABEL[bp] + ' ' + format(vals[bp][0], '.1f') if bp else '-'}"
                line += f" | {mtl[0] / vals[bp][0]:.2f}" if mtl and bp else " | -"
                line += f" | {b['bound']:.1f} ({b['kind']})" if b else " | -"
                line += f" | {mtl[0] / b['bound']:.2f}" if b and mtl else " | -"
                per_round = None
                if round_bounds and mtl:
                    per_round = statistics.median(
                        len(texts[name]) / x[5] / cell_bound(name, t, m, round_bounds[x[0] - 1])["bound"]
                        for x in raw if x[1:5] == (name, t, m, "mtl"))
                line += f" | {per_round:.2f}" if per_round else " | -"
                out(line + " |")
                for e in cols:
                    rows_csv.append({"corpus": name, "threads": t, "mode": m, "engine": e, "median_sps": round(vals[e][0], 3),
                                     "best_sps": round(vals[e][1], 3), "rounds": vals[e][2],
                                     "cpu_per_wall": round(vals[e][3], 3), "texts": len(texts[name]),
                                     "tokens": sum(cdata[name]["lens"]),
                                     "best_peer": bp or "", "mtl_over_best_peer": round(mtl[0] / vals[bp][0], 4) if mtl and bp else "",
                                     "bound_sps": round(b["bound"], 3) if b else "", "bound_kind": b["kind"] if b else "",
                                     "bound_flop_sps": round(b["bound_flop"], 3) if b else "",
                                     "bound_mem_sps": round(b["bound_mem"], 3) if b else "",
                                     "over_bound": round(vals[e][0] / b["bound"], 4) if b else "",
                                     "mtl_over_bound_per_round": round(per_round, 4) if per_round and e == "mtl" else ""})
    load1 = os.getloadavg()
    out()
    out(f"load avg {load1[0]:.2f} {load1[1]:.2f} {load1[2]:.2f} at the end; {time.time() - t_start:.0f} s of rounds.")

    with open(os.path.join(args.out_dir, "embed_summary.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows_csv[0].keys()) if rows_csv else ["corpus"])
        w.writeheader()
        w.writerows(rows_csv)
    report.close()
    note(f"[done] {report_path}, {os.path.join(args.out_dir, 'embed_summary.csv')}, {os.path.join(args.out_dir, 'embed_rounds.csv')}")


if __name__ == "__main__":
    main()
