#!/usr/bin/python3
"""train_reference.py: build/mtl-train's fine-tuning recipe in PyTorch + transformers (a reference peer
for accuracy and speed comparisons; never a runtime dependency of mtl).

Python: /usr/bin/python3 (Debian's python3-torch 1.13, transformers 4.40.2, scikit-learn, numpy) with
seqeval 1.2.2 from PyPI (`/usr/bin/python3 -m pip install --break-system-packages --no-deps seqeval`;
its dependencies numpy and scikit-learn are Debian's). The pyenv python3 on PATH has seqeval but no torch.
Install libopenblas0-pthread too: Debian's torch does its matrix products through libblas.so.3, which is
the unoptimised reference BLAS unless OpenBLAS provides it (measured here: 87 GFLOP/s with OpenBLAS at 2
threads; without it one eval pass over SST-2 dev took minutes on one core), and a peer run that way is not
a fair one.

  /usr/bin/python3 tools/train_reference.py --model-dir build/models/all-MiniLM-L6-v2 \
      [--cls-train F --cls-dev F --cls-format sst2|imdb] [--ner-train F --ner-dev F --ner-format conll]
      [--epochs 3] [--batch 16] [--max-length 128] [--lr 2e-5] [--head-lr-mult 1] [--layer-decay 1]
      [--weight-decay 0.01] [--warmup-steps N | --warmup-ratio X] [--clip 1.0] [--seed 42] [--threads N]
      [--freeze backbone|embeddings|top:N|none] [--schedule combined|alternate|separate] [--task-weights A,B]
      [--cls-test F] [--ner-test F] [--limit N] [--dev-limit N]

The recipe of examples/train.c + mtl_trainer_defaults (mtl_bert.h):
  - backbone: transformers BertModel without the pooler (mtl never trains the pooler with mean pooling),
    train mode (dropout 0.1 hidden / attention from config.json); eval mode for dev metrics.
  - cls head: masked mean of the last hidden state over real tokens ([CLS]/[SEP] included) ->
    Dropout(0.1) -> Linear(H, n_cls). NER head: Dropout(0.1) -> Linear(H, n_tags) on every token.
    Head weights ~ N(0, 0.02) (torch generator seeded with --seed), biases 0. --freeze as
    mtl_trainer_freeze: backbone = embeddings + all layers frozen (heads only), embeddings, top:N; frozen
    tensors get no gradient, no optimizer state and take no part in the clipping norm.
  - loss: cross-entropy, mean over counted items, ignore_index -100 (0 when nothing counts, as mtl);
    w_cls * L_cls + w_ner * L_ner (--task-weights; the weight also applies to single-task steps).
  - AdamW (betas 0.9/0.999, eps 1e-8: mtl_optim_defaults). Groups as mtl_params_make_groups: embeddings
    lr*decay^L, encoder layer k lr*decay^(L-1-k), heads lr*head_mult; weight decay except on names ending
    in "bias" or "LayerNorm.weight" (HF's rule). get_linear_schedule_with_warmup(warmup, total), total =
    steps_per_epoch * epochs; warmup = --warmup-steps, else ceil(ratio * total), else 0. Global grad-norm
    clip (clip_grad_norm_, skipped when --clip <= 0).
  - steps per epoch: one task: ceil(n/B); both: combined max(ceil(n_cls/B), ceil(n_ner/B)), alternate and
    separate the sum. combined: one batch of each task per step (two forward passes, one backward of the
    weighted sum); alternate: cls on even steps, ner on odd; separate: cls for the first
    round(p_cls * total) steps (p_cls = cls batches / all batches), then ner.
  - data: label set = sorted distinct labels of the training examples (with --limit: of the first N, as
    mtl-train sees a file holding only them); dev labels must be in it. SST-2 TSV (sentence, label; no
    quoting); IMDB CSV (review, sentiment) cleaned as mtl's MTL_CLEAN_HTML|MTL_CLEAN_SPACE:
    " ".join(html.unescape(re.sub(r"<[A-Za-z/!][^<>]*>", " ", s)).split()). CoNLL: first column the word,
    last the tag, -DOCSTART- skipped, IOB1 -> IOB2. Fast tokenizer with truncation=True,
    max_length=--max-length (clamped to max_position_embeddings); NER with is_split_into_words=True, the
    tag on each word's first sub-token, -100 elsewhere.
  - batches: each task has its own stream, shuffled with mtl_shuffle (splitmix64 Fisher-Yates, replicated
    here bit for bit: the same example order as mtl-train) seeded with seed (cls) / seed + 1000003 (ner),
    reshuffled with seed + k at the k-th pass; a pass ends with a partial batch; dynamic padding to the
    longest example of each batch.
  - eval: dev files in file order, batches of --batch. cls: accuracy (and macro-F1, sklearn); NER: seqeval
    (mode='strict', scheme=IOB2) micro P/R/F1 over the words that kept a first sub-token (words cut by
    truncation dropped from truth and prediction, as mtl-train's evaluate()); prediction = argmax of the
    first sub-token. Before training, at the end of each epoch but the last, and after training; then
    --cls-test / --ner-test with the weights of the best dev score (as mtl-eval on mtl-train's --out).
  - timing: wall time of each epoch's training steps (batch building included, eval excluded), printed
    per epoch and in a final JSON line.
Not matched (cannot be): dropout masks and head initial values (mtl has its own counter-based RNG).
"""
import argparse
import copy
import csv
import html
import json
import math
import os
import re
import sys
import time

import torch
import torch.nn.functional as F


# ------------------------------------------------------------------------------------------------
# mtl_shuffle (mtl_bert.h): splitmix64 + unbiased bounded draws, Fisher-Yates
# ------------------------------------------------------------------------------------------------
M64 = (1 << 64) - 1


class SplitMix64:
    def __init__(self, seed):
        self.state = seed & M64

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & M64
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
        return z ^ (z >> 31)

    def below(self, bound):
        if bound <= 1:
            return 0
        limit = (-((-bound) % (1 << 64) % bound)) % (1 << 64)
        while True:
            r = self.next()
            if not (limit and r >= limit):
                return r % bound


def mtl_shuffle(n, seed):
    idx = list(range(n))
    rng = SplitMix64(seed)
    for i in range(n - 1, 0, -1):
        j = rng.below(i + 1)
        idx[i], idx[j] = idx[j], idx[i]
    return idx


class Stream:
    """train.c's stream: epoch-wise shuffled batches of one task (st_next)."""

    def __init__(self, n, batch, seed):
        self.n, self.B, self.seed, self.pos, self.epoch = n, batch, seed, 0, 0
        self.order = mtl_shuffle(n, seed)

    def next(self):
        if self.pos >= self.n:
            self.epoch += 1
            self.pos = 0
            self.order = mtl_shuffle(self.n, self.seed + self.epoch)
        k = min(self.B, self.n - self.pos)
        out = self.order[self.pos:self.pos + k]
        self.pos += k
        return out


# ------------------------------------------------------------------------------------------------
# data
# ------------------------------------------------------------------------------------------------
def clean_imdb(s):
    return " ".join(html.unescape(re.sub(r"<[A-Za-z/!][^<>]*>", " ", s)).split())


def load_cls(path, fmt, limit=None):
    with open(path, encoding="utf-8-sig", newline="") as f:
        if fmt == "sst2":
            rows = csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
            text_col, label_col, clean = "sentence", "label", None
        elif fmt == "imdb":
            rows = csv.reader(f, delimiter=",")
            text_col, label_col, clean = "review", "sentiment", clean_imdb
        else:
            sys.exit(f"train_reference: unknown --cls-format '{fmt}' (sst2, imdb)")
        header = None
        texts, labels = [], []
        for row in rows:
            if not row or row == [""]:
                continue
            if header is None:
                header = row
                ti, li = header.index(text_col), header.index(label_col)
                continue
            t = row[ti]
            texts.append(clean(t) if clean else t)
            labels.append(row[li])
            if limit and len(texts) >= limit:
                break
    return texts, labels


def iob1_to_iob2(tags):
    out, prev = [], "O"
    for t in tags:
        if t.startswith("I-") and not (prev[:2] in ("B-", "I-") and prev[2:] == t[2:]):
            t = "B-" + t[2:]
        out.append(t)
        prev = t
    return out


def load_conll(path, limit=None):
    sents, tags = [], []
    words, wt = [], []

    def flush():
        if words:
            sents.append(list(words))
            tags.append(iob1_to_iob2(wt))
        words.clear()
        wt.clear()

    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if not parts:
                flush()
            elif parts[0] == "-DOCSTART-":
                flush()
            else:
                words.append(parts[0])
                wt.append(parts[-1])
            if limit and len(sents) >= limit:
                break
    flush()
    if limit:
        sents, tags = sents[:limit], tags[:limit]
    return sents, tags


def label_ids(labels, names, path):
    m = {n: i for i, n in enumerate(names)}
    out = []
    for lab in labels:
        if lab not in m:
            sys.exit(f"train_reference: {path}: label '{lab}' is not in the training labels")
        out.append(m[lab])
    return out


def tokenize_cls(tok, texts, max_len):
    enc = tok(texts, truncation=True, max_length=max_len)
    return [(enc["input_ids"][i], enc["token_type_ids"][i]) for i in range(len(texts))]


def tokenize_ner(tok, sents, tag_ids, max_len):
    enc = tok(sents, is_split_into_words=True, truncation=True, max_length=max_len)
    out = []
    for i in range(len(sents)):
        prev, labs = None, []
        for w in enc.word_ids(i):
            labs.append(-100 if w is None or w == prev else tag_ids[i][w])
            prev = w
        out.append((enc["input_ids"][i], enc["token_type_ids"][i], labs))
    return out


def make_batch(ex, idx, ner):
    L = max(1, max(len(ex[k][0]) for k in idx))
    B = len(idx)
    ids = torch.zeros(B, L, dtype=torch.long)
    types = torch.zeros(B, L, dtype=torch.long)
    mask = torch.zeros(B, L, dtype=torch.long)
    labels = torch.full((B, L), -100, dtype=torch.long) if ner else torch.zeros(B, dtype=torch.long)
    for r, k in enumerate(idx):
        e = ex[k]
        n = len(e[0])
        ids[r, :n] = torch.tensor(e[0])
        types[r, :n] = torch.tensor(e[1])
        mask[r, :n] = 1
        if ner:
            labels[r, :n] = torch.tensor(e[2])
        else:
            labels[r] = e[2]
    return ids, types, mask, labels


# ------------------------------------------------------------------------------------------------
# model
# ------------------------------------------------------------------------------------------------
class MultiTask(torch.nn.Module):
    def __init__(self, model_dir, n_cls, n_ner, seed):
        super().__init__()
        from transformers import BertModel
        self.bert = BertModel.from_pretrained(model_dir, add_pooling_layer=False)
        H = self.bert.config.hidden_size
        self.drop = torch.nn.Dropout(0.1)
        g = torch.Generator().manual_seed(seed)
        self.cls_head = torch.nn.Linear(H, n_cls) if n_cls else None
        self.ner_head = torch.nn.Linear(H, n_ner) if n_ner else None
        for h in (self.cls_head, self.ner_head):
            if h is not None:
                with torch.no_grad():
                    h.weight.normal_(0.0, 0.02, generator=g)
                    h.bias.zero_()

    def hidden(self, ids, types, mask):
        return self.bert(input_ids=ids, token_type_ids=types, attention_mask=mask).last_hidden_state

    def cls_logits(self, ids, types, mask):
        h = self.hidden(ids, types, mask)
        m = mask.unsqueeze(-1).to(h.dtype)
        pooled = (h * m).sum(1) / m.sum(1).clamp(min=1e-9)
        return self.cls_head(self.drop(pooled))

    def ner_logits(self, ids, types, mask):
        return self.ner_head(self.drop(self.hidden(ids, types, mask)))


def ce(logits, labels):
    C = logits.shape[-1]
    logits, labels = logits.reshape(-1, C), labels.reshape(-1)
    if not bool((labels != -100).any()):
        return logits.sum() * 0.0   # mtl: no counted row -> loss 0, gradient 0 (torch: NaN)
    return F.cross_entropy(logits, labels, ignore_index=-100)


def param_groups(model, lr, head_mult, layer_decay, wd, n_layers):
    blocks = {}
    for name, p in model.named_parameters():
        if not p.requires_grad:
            continue
        if name.startswith("bert.embeddings."):
            key, blr = ("embeddings",), lr * layer_decay ** n_layers
        elif name.startswith("bert.encoder.layer."):
            k = int(name.split(".")[3])
            key, blr = ("layer", k), lr * layer_decay ** (n_layers - 1 - k)
        else:
            key, blr = ("heads",), lr * head_mult
        nd = name.endswith("bias") or name.endswith("LayerNorm.weight")
        g = blocks.setdefault(key + (nd,), {"params": [], "lr": blr, "weight_decay": 0.0 if nd else wd, "name": ".".join(map(str, key)) + (".no_decay" if nd else ".decay")})
        g["params"].append(p)
    order = lambda k: (0 if k[0] == "embeddings" else 1 if k[0] == "layer" else 2, k[1] if k[0] == "layer" else 0, k[-1])
    return [blocks[k] for k in sorted(blocks, key=order)]


# ------------------------------------------------------------------------------------------------
# eval
# ------------------------------------------------------------------------------------------------
def evaluate(model, d, B, tag, step):
    from seqeval.metrics import f1_score, precision_score, recall_score
    from seqeval.scheme import IOB2
    from sklearn.metrics import f1_score as sk_f1
    model.eval()
    res = {}
    line = f"[{tag}] step {step}"
    scores = []
    with torch.no_grad():
        if d.get("cls") is not None:
            ex, names = d["cls"], d["cls_names"]
            preds, loss = [], 0.0
            for i in range(0, len(ex), B):
                idx = list(range(i, min(i + B, len(ex))))
                ids, types, mask, lab = make_batch(ex, idx, False)
                lg = model.cls_logits(ids, types, mask)
                loss += float(ce(lg, lab)) * len(idx)
                preds += lg.argmax(-1).tolist()
            gold = [e[2] for e in ex]
            acc = sum(int(p == g) for p, g in zip(preds, gold)) / len(gold)
            mf1 = sk_f1(gold, preds, average="macro", labels=list(range(len(names))), zero_division=0)
            line += f"  cls: loss {loss / len(ex):.4f} accuracy {acc:.4f} macro-F1 {mf1:.4f}"
            res["cls_accuracy"] = acc
            res["cls_macro_f1"] = float(mf1)
            scores.append(acc)
        if d.get("ner") is not None:
            ex, names = d["ner"], d["ner_names"]
            yt, yp, loss = [], [], 0.0
            for i in range(0, len(ex), B):
                idx = list(range(i, min(i + B, len(ex))))
                ids, types, mask, lab = make_batch(ex, idx, True)
                lg = model.ner_logits(ids, types, mask)
                loss += float(ce(lg, lab)) * len(idx)
                am = lg.argmax(-1)
                for r in range(len(idx)):
                    keep = lab[r] != -100
                    yt.append([names[t] for t in lab[r][keep].tolist()])
                    yp.append([names[t] for t in am[r][keep].tolist()])
            kw = dict(mode="strict", scheme=IOB2, zero_division=0)
            p, r_, f = precision_score(yt, yp, **kw), recall_score(yt, yp, **kw), f1_score(yt, yp, **kw)
            line += f"  ner: loss {loss / len(ex):.4f} entity-F1 {f:.4f} (P {p:.4f} R {r_:.4f})"
            res.update(ner_f1=float(f), ner_precision=float(p), ner_recall=float(r_))
            scores.append(float(f))
    print(line, flush=True)
    model.train()
    res["score"] = sum(scores) / len(scores) if scores else 0.0
    return res


# ------------------------------------------------------------------------------------------------
def main():
    ap = argparse.ArgumentParser(description="mtl-train's recipe in PyTorch (reference peer)")
    ap.add_argument("--model-dir", required=True, help="HF model folder (config.json, model.safetensors, tokenizer.json)")
    ap.add_argument("--cls-train"), ap.add_argument("--cls-dev"), ap.add_argument("--cls-format", default="sst2", choices=["sst2", "imdb"])
    ap.add_argument("--ner-train"), ap.add_argument("--ner-dev"), ap.add_argument("--ner-format", default="conll", choices=["conll"])
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--max-length", type=int, default=128)
    ap.add_argument("--lr", type=float, default=2e-5)
    ap.add_argument("--head-lr-mult", type=float, default=1.0)
    ap.add_argument("--layer-decay", type=float, default=1.0)
    ap.add_argument("--weight-decay", type=float, default=0.01)
    ap.add_argument("--warmup-steps", type=int, default=None)
    ap.add_argument("--warmup-ratio", type=float, default=None)
    ap.add_argument("--clip", type=float, default=1.0)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--threads", type=int, default=None, help="default: the online CPUs, at most 8 (as mtl-train)")
    ap.add_argument("--freeze", default=None, help="backbone (only the heads train), embeddings, top:N (the top N layers + heads train), none")
    ap.add_argument("--schedule", default="combined", choices=["combined", "alternate", "separate"])
    ap.add_argument("--task-weights", default="1,1")
    ap.add_argument("--cls-test", help="after training: accuracy of the best-dev weights (the final ones without a dev file) on this file, as mtl-eval on mtl-train's --out")
    ap.add_argument("--ner-test", help="after training: entity F1 of the best-dev weights on this CoNLL file")
    ap.add_argument("--limit", type=int, default=None, help="only the first N training examples of each task")
    ap.add_argument("--dev-limit", type=int, default=None, help="only the first N dev examples of each task")
    a = ap.parse_args()
    if not a.cls_train and not a.ner_train:
        ap.error("give --cls-train and/or --ner-train")
    if (a.cls_dev and not a.cls_train) or (a.ner_dev and not a.ner_train):
        ap.error("a dev file needs its training file")
    if a.warmup_steps is not None and a.warmup_ratio is not None:
        ap.error("--warmup-steps and --warmup-ratio exclude each other")
    if a.epochs < 1 or a.batch < 1 or a.max_length < 3:
        ap.error("bad --epochs / --batch / --max-length")
    w_cls, w_ner = (float(x) for x in a.task_weights.split(","))

    threads = a.threads or max(1, min(8, os.cpu_count() or 1))
    torch.set_num_threads(threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(a.seed)   # dropout

    from transformers import AutoTokenizer, logging as hf_logging
    hf_logging.set_verbosity_error()
    tok = AutoTokenizer.from_pretrained(a.model_dir, use_fast=True)
    assert tok.is_fast, "a fast tokenizer is needed (tokenizer.json)"

    model = None
    cls_names = ner_names = None
    ecls = ener = dcls = dner = None
    # max_position clamp as mtl-train
    import json as _json
    with open(os.path.join(a.model_dir, "config.json")) as f:
        cfg = _json.load(f)
    max_len = min(a.max_length, cfg.get("max_position_embeddings", a.max_length))
    n_layers = cfg["num_hidden_layers"]

    if a.cls_train:
        texts, labs = load_cls(a.cls_train, a.cls_format, a.limit)
        cls_names = sorted(set(labs))
        if len(cls_names) < 2:
            sys.exit(f"train_reference: {a.cls_train}: only one label ('{cls_names[0]}'): nothing to learn")
        ids = label_ids(labs, cls_names, a.cls_train)
        ecls = [(i, t, y) for (i, t), y in zip(tokenize_cls(tok, texts, max_len), ids)]
        if a.cls_dev:
            dt, dl = load_cls(a.cls_dev, a.cls_format, a.dev_limit)
            dcls = [(i, t, y) for (i, t), y in zip(tokenize_cls(tok, dt, max_len), label_ids(dl, cls_names, a.cls_dev))]
    if a.ner_train:
        sents, tags = load_conll(a.ner_train, a.limit)
        ner_names = sorted({t for ts in tags for t in ts})
        tid = [label_ids(ts, ner_names, a.ner_train) for ts in tags]
        ener = tokenize_ner(tok, sents, tid, max_len)
        if a.ner_dev:
            ds, dtg = load_conll(a.ner_dev, a.dev_limit)
            dner = tokenize_ner(tok, ds, [label_ids(ts, ner_names, a.ner_dev) for ts in dtg], max_len)
    tcls = tner = None
    if a.cls_test:
        if not a.cls_train:
            ap.error("--cls-test needs --cls-train")
        tt, tl = load_cls(a.cls_test, a.cls_format)
        tcls = [(i, t, y) for (i, t), y in zip(tokenize_cls(tok, tt, max_len), label_ids(tl, cls_names, a.cls_test))]
    if a.ner_test:
        if not a.ner_train:
            ap.error("--ner-test needs --ner-train")
        ts_, ttg = load_conll(a.ner_test)
        tner = tokenize_ner(tok, ts_, [label_ids(ts, ner_names, a.ner_test) for ts in ttg], max_len)

    model = MultiTask(a.model_dir, len(cls_names) if cls_names else 0, len(ner_names) if ner_names else 0, a.seed)
    if a.freeze and a.freeze != "none":   # mtl_trainer_freeze's backbone / embeddings / top:N
        if a.freeze == "backbone":
            keep_from = n_layers
        elif a.freeze == "embeddings":
            keep_from = 0
        elif re.fullmatch(r"top:\d+", a.freeze):
            keep_from = max(0, n_layers - int(a.freeze[4:]))
        else:
            sys.exit(f"train_reference: --freeze '{a.freeze}' not supported here (backbone, embeddings, top:N, none)")
        for name, p in model.bert.named_parameters():
            if name.startswith("embeddings.") or (name.startswith("encoder.layer.") and int(name.split(".")[2]) < keep_from):
                p.requires_grad_(False)
    groups = param_groups(model, a.lr, a.head_lr_mult, a.layer_decay, a.weight_decay, n_layers)
    opt = torch.optim.AdamW(groups, lr=a.lr, betas=(0.9, 0.999), eps=1e-8)
    trainable = [p for g in groups for p in g["params"]]

    B = a.batch
    n_cls_b = (len(ecls) + B - 1) // B if ecls else 0
    n_ner_b = (len(ener) + B - 1) // B if ener else 0
    both = bool(ecls) and bool(ener)
    if not both:
        spe = n_cls_b + n_ner_b
    elif a.schedule == "combined":
        spe = max(n_cls_b, n_ner_b)
    else:
        spe = n_cls_b + n_ner_b
    total = spe * a.epochs
    p_cls = n_cls_b / (n_cls_b + n_ner_b)
    warmup = a.warmup_steps if a.warmup_steps is not None else math.ceil(a.warmup_ratio * total) if a.warmup_ratio is not None else 0
    from transformers import get_linear_schedule_with_warmup
    sched = get_linear_schedule_with_warmup(opt, warmup, total)

    def tasks_at(step):
        if not both:
            return (bool(ecls), bool(ener))
        if a.schedule == "combined":
            return (True, True)
        if a.schedule == "alternate":
            return (step % 2 == 0, step % 2 == 1)
        n_c = math.floor(p_cls * total + 0.5)
        return (step < n_c, step >= n_c)

    print(f"model {a.model_dir}: {n_layers} layers, hidden {cfg['hidden_size']}; "
          + (f"cls {a.cls_train} ({len(ecls)})" if ecls else "") + (", " if both else "")
          + (f"ner {a.ner_train} ({len(ener)})" if ener else "")
          + f"; {total} steps ({a.epochs} epochs x {spe}), batch {B}, max length {max_len}, lr {a.lr:g}, "
          + f"schedule {a.schedule}, warmup {warmup}, threads {threads}, torch {torch.__version__}", flush=True)
    if cls_names:
        print(f"cls labels ({len(cls_names)}): " + " ".join(cls_names))
    if ner_names:
        print(f"ner tags ({len(ner_names)}): " + " ".join(ner_names))
    print("param groups: " + ", ".join(f"{g['name']} lr {g['initial_lr']:g} wd {g['weight_decay']:g} ({len(g['params'])})" for g in groups), flush=True)

    dev = {"cls": dcls, "cls_names": cls_names, "ner": dner, "ner_names": ner_names}
    has_dev = dcls is not None or dner is not None
    if has_dev:
        evaluate(model, dev, B, "dev before training", 0)

    s_cls = Stream(len(ecls), B, a.seed) if ecls else None
    s_ner = Stream(len(ener), B, a.seed + 1000003) if ener else None
    model.train()
    epoch_seconds = []
    step = 0
    best = -2.0
    final = {}
    for ep in range(a.epochs):
        t0 = time.perf_counter()
        run = None
        for _ in range(spe):
            do_c, do_n = tasks_at(step)
            loss = 0.0
            if do_c:
                ids, types, mask, lab = make_batch(ecls, s_cls.next(), False)
                loss = loss + w_cls * ce(model.cls_logits(ids, types, mask), lab)
            if do_n:
                ids, types, mask, lab = make_batch(ener, s_ner.next(), True)
                loss = loss + w_ner * ce(model.ner_logits(ids, types, mask), lab)
            loss.backward()
            if a.clip > 0:
                torch.nn.utils.clip_grad_norm_(trainable, a.clip)
            opt.step()
            sched.step()
            opt.zero_grad(set_to_none=True)
            step += 1
            lv = float(loss)
            run = lv if run is None else 0.9 * run + 0.1 * lv
            if step % max(1, total // 20) == 0 or step == total:
                el = time.perf_counter() - t0
                print(f"progress: step {step}/{total} epoch {ep + 1} {(step - ep * spe) / el:.2f} it/s loss {run:.4f}", file=sys.stderr, flush=True)
        dt = time.perf_counter() - t0
        epoch_seconds.append(dt)
        print(f"epoch {ep + 1}: {dt:.3f} s training ({spe} steps, {spe / dt:.3f} it/s)", flush=True)
        if has_dev:
            last = ep == a.epochs - 1
            r = evaluate(model, dev, B, "dev after training" if last else f"dev epoch {ep + 1}", step)
            if r["score"] > best:   # mtl-train keeps the checkpoint of the best dev score (the first on ties)
                best = r["score"]
                best_state = copy.deepcopy(model.state_dict())
            final = r
    if has_dev:
        print(f"best dev score {best:.4f} (mean of cls accuracy / NER entity F1)")
    test = {}
    if tcls is not None or tner is not None:
        if has_dev:
            model.load_state_dict(best_state)
        test = evaluate(model, {"cls": tcls, "cls_names": cls_names, "ner": tner, "ner_names": ner_names}, B,
                        "test, best dev weights" if has_dev else "test, final weights", step)
    out = {"epoch_seconds": [round(x, 4) for x in epoch_seconds],
           "cls_accuracy": final.get("cls_accuracy"), "ner_f1": final.get("ner_f1"),
           "threads": threads, "examples": (len(ecls) if ecls else 0) + (len(ener) if ener else 0),
           "cls_examples": len(ecls) if ecls else 0, "ner_examples": len(ener) if ener else 0,
           "steps": total, "torch": torch.__version__,
           "test_cls_accuracy": test.get("cls_accuracy"), "test_ner_f1": test.get("ner_f1")}
    print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
