#!/usr/bin/env python3
"""Goldens for weights_convert's Hugging Face classifiers as mtl task heads (issue 13, requirement 3):
tiny-random-bert's backbone with a classifier of fixed values, as
  seqcls  BertForSequenceClassification, 3 named labels (the classifier on the pooler output)
  tokcls  BertForTokenClassification, 5 BIO labels
  xenc    a 1-label BertForSequenceClassification scoring a sentence pair (a cross-encoder): the
          sentence-transformers CrossEncoder.predict default (Sigmoid for one label), and the same
          weights with config.sentence_transformers.activation_fn = Identity (raw logits, as the
          ms-marco rerankers' configs ask)
and the outputs Hugging Face gives on them.

    /work/main/build/bench-venv/bin/python tools/gen_head_goldens.py [TINY_RANDOM_BERT_DIR]

Writes tests/data/heads/<name>/{config.json, classifier.safetensors, model.safetensors.index.json}:
a sharded checkpoint whose backbone shard, backbone.safetensors, is tiny-random-bert's model.safetensors (not committed:
tests/check_cli_heads.sh copies it and the tokenizer files next to these) and whose second shard holds
only classifier.{weight,bias}: the direction weight[i] ~ sin(0.37 i) (i the flat index), then
centred and scaled on these texts so that a random backbone's near-identical features still give
several labels: weight = s * W0, bias = -weight . mean(features) + 0.1 cos(1.3 j), with the features
the pooler outputs (seqcls, xenc) or the token states (tokcls) of the texts and s making the logits'
spread about 2. The expected outputs, written as mtl-predict --json prints them (probabilities and
scores %.6f; check_cli_heads.sh compares labels and text exactly, numbers within 1e-5):
  seqcls.jsonl  transformers' text-classification pipeline, top_k=None (softmax over the 3 labels)
  tokcls.jsonl  the token-classification pipeline, aggregation_strategy "first" (a word's tag is its
                first sub-token's; B-X I-X... grouped; "O" dropped): what mtl-predict prints
  xenc.jsonl / xenc_identity.jsonl   CrossEncoder(dir).predict(pairs)
and for mtl-eval: seqcls_test.tsv (the texts with gold labels) + seqcls_eval.txt (scikit-learn's
classification_report of the pipeline's predictions, digits 4), tokcls_test.conll + tokcls_eval.txt
(seqeval's strict IOB2 report of the predictions on each word's first sub-token, digits 4).
Needs torch, transformers, sentence-transformers, scikit-learn, seqeval (the bench venv has them:
torch 2.15, transformers 5.x, sentence-transformers 6.3). Not part of `make test`."""
import json
import math
import os
import shutil
import sys
import tempfile

import torch
from safetensors import safe_open
from safetensors.torch import save_file
from transformers import (AutoTokenizer, BertForSequenceClassification, BertForTokenClassification, pipeline)

torch.set_num_threads(1)
HERE = os.path.dirname(os.path.abspath(__file__))
TINY = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.environ.get("MTL_SHARED", os.path.join(HERE, "..", "..", "shared")),
                                                          "models", "tiny-random-bert")
OUT = os.path.join(HERE, "..", "tests", "data", "heads")

TEXTS = ["the movie was wonderful and the cast was great",
         "john smith flew from london to paris on monday",
         "i did not like the ending at all",
         "a plain sentence about nothing in particular",
         "angela merkel met emmanuel macron in berlin",
         "terrible service, cold food, never again!",
         "the quick brown fox jumps over the lazy dog",
         "new york is bigger than boston",
         "maria lives in madrid",
         "what a great day"]
SEQ_LABELS = ["negative", "neutral", "positive"]
TOK_LABELS = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC"]
PAIRS = [("how many people live in berlin", "berlin has a population of about 3.5 million"),
         ("how many people live in berlin", "the cat sat on the mat"),
         ("what is the capital of france", "paris is the capital of france"),
         ("what is the capital of france", "new york is bigger than boston"),
         ("who wrote hamlet", "hamlet is a tragedy by william shakespeare"),
         ("who wrote hamlet", "a plain sentence about nothing in particular")]


def classifier(n_labels, hidden, feats):
    """feats [N, hidden]: the features the classifier reads, on the test inputs"""
    w0 = torch.tensor([math.sin(0.37 * i) for i in range(n_labels * hidden)], dtype=torch.float32).reshape(n_labels, hidden)
    mean = feats.mean(0)
    spread = ((feats - mean) @ w0.T).std().item()
    w = w0 * (2.0 / spread)
    b = -(w @ mean) + torch.tensor([0.1 * math.cos(1.3 * j) for j in range(n_labels)], dtype=torch.float32)
    return w.float(), b.float()


def features(tok, texts, pairs=None, token_level=False):
    from transformers import BertModel
    bert = BertModel.from_pretrained(TINY).eval()
    rows = []
    with torch.no_grad():
        for i, t in enumerate(texts):
            enc = tok(*t, return_tensors="pt") if pairs else tok(t, return_tensors="pt")
            out = bert(**enc)
            rows.append(out.last_hidden_state[0] if token_level else out.pooler_output)
    return torch.cat(rows, 0)


def write_folder(name, arch, id2label, w, b, extra=None):
    d = os.path.join(OUT, name)
    os.makedirs(d, exist_ok=True)
    cfg = json.load(open(os.path.join(TINY, "config.json")))
    cfg["architectures"] = [arch]
    cfg["id2label"] = {str(i): l for i, l in enumerate(id2label)}
    cfg["label2id"] = {l: i for i, l in enumerate(id2label)}
    cfg["_name_or_path"] = "mtl test fixture " + name
    if extra:
        cfg.update(extra)
    with open(os.path.join(d, "config.json"), "w") as f:
        json.dump(cfg, f, indent=2, sort_keys=True)
        f.write("\n")
    save_file({"classifier.weight": w.contiguous(), "classifier.bias": b.contiguous()}, os.path.join(d, "classifier.safetensors"))
    with safe_open(os.path.join(TINY, "model.safetensors"), "pt") as f:
        names = list(f.keys())
    wm = {n: "backbone.safetensors" for n in names}
    wm["classifier.weight"] = wm["classifier.bias"] = "classifier.safetensors"
    with open(os.path.join(d, "model.safetensors.index.json"), "w") as f:
        json.dump({"metadata": {}, "weight_map": dict(sorted(wm.items()))}, f, indent=1)
        f.write("\n")
    return d


def hf_dir(tmp, name, cls, fixture_dir):
    """The same model as a plain HF folder (tiny-random-bert + the fixture's config and classifier)."""
    d = os.path.join(tmp, name)
    os.makedirs(d)
    for fn in os.listdir(TINY):
        if fn.endswith(".json") or fn == "vocab.txt":
            if fn not in ("config.json", "modules.json", "sentence_bert_config.json", "config_sentence_transformers.json"):
                shutil.copy(os.path.join(TINY, fn), d)
    shutil.copy(os.path.join(fixture_dir, "config.json"), d)
    model = cls.from_pretrained(TINY, config=os.path.join(fixture_dir, "config.json")).eval()
    with safe_open(os.path.join(fixture_dir, "classifier.safetensors"), "pt") as f, torch.no_grad():
        model.classifier.weight.copy_(f.get_tensor("classifier.weight"))
        model.classifier.bias.copy_(f.get_tensor("classifier.bias"))
    return model, d


def js(s):
    return json.dumps(s, ensure_ascii=False)


def write_cls_jsonl(model, tok, texts, labels, path):
    """The text-classification pipeline (top_k=None: softmax over the labels) on each text, as
    mtl-predict --json prints it; returns the predicted label ids (also used by gen_distil_goldens.py)"""
    pipe = pipeline("text-classification", model=model, tokenizer=tok, device="cpu")
    preds = []
    with open(path, "w") as f:
        for i, t in enumerate(texts):
            p = {o["label"]: o["score"] for o in pipe(t, top_k=None)}
            best = max(labels, key=lambda l: p[l])
            preds.append(labels.index(best))
            f.write('{"line": %d, "text": %s, "cls": {"label": %s, "probability": %.6f, "probabilities": {%s}}}\n'
                    % (i + 1, js(t), js(best), p[best], ", ".join("%s: %.6f" % (js(l), p[l]) for l in labels)))
    return preds


def write_ner_jsonl(model, tok, texts, path):
    """The token-classification pipeline (aggregation_strategy "first": a word's tag is its first
    sub-token's, B-X I-X... grouped, "O" dropped) on each text, as mtl-predict --json prints it;
    returns the number of entities"""
    pipe = pipeline("token-classification", model=model, tokenizer=tok, aggregation_strategy="first", device="cpu")
    n = 0
    with open(path, "w") as f:
        for i, t in enumerate(texts):
            ents = pipe(t)
            n += len(ents)
            parts = ['{"type": %s, "start": %d, "end": %d, "text": %s}' % (js(e["entity_group"]), e["start"], e["end"], js(t[e["start"]:e["end"]]))
                     for e in ents]
            f.write('{"line": %d, "text": %s, "ner": {"entities": [%s]}}\n' % (i + 1, js(t), ", ".join(parts)))
    return n


def main():
    from sentence_transformers import CrossEncoder
    from sklearn.metrics import classification_report
    from seqeval.metrics import classification_report as seq_report
    from seqeval.scheme import IOB2

    os.makedirs(OUT, exist_ok=True)
    tok = AutoTokenizer.from_pretrained(TINY)
    H = json.load(open(os.path.join(TINY, "config.json")))["hidden_size"]
    tmp = tempfile.mkdtemp()
    try:
        # --- sequence classification ---
        d = write_folder("seqcls", "BertForSequenceClassification", SEQ_LABELS, *classifier(3, H, features(tok, TEXTS)))
        model, _ = hf_dir(tmp, "seqcls", BertForSequenceClassification, d)
        preds = write_cls_jsonl(model, tok, TEXTS, SEQ_LABELS, os.path.join(OUT, "seqcls.jsonl"))
        gold = [i % 3 for i in range(len(TEXTS))]
        with open(os.path.join(OUT, "seqcls_test.tsv"), "w") as f:
            f.write("sentence\tlabel\n")
            for t, g in zip(TEXTS, gold):
                f.write("%s\t%s\n" % (t, SEQ_LABELS[g]))
        with open(os.path.join(OUT, "seqcls_eval.txt"), "w") as f:
            f.write(classification_report(gold, preds, labels=[0, 1, 2], target_names=SEQ_LABELS, digits=4, zero_division=0).rstrip() + "\n")
        print("seqcls predictions:", [SEQ_LABELS[p] for p in preds])

        # --- token classification ---
        d = write_folder("tokcls", "BertForTokenClassification", TOK_LABELS, *classifier(5, H, features(tok, TEXTS, token_level=True)))
        model, _ = hf_dir(tmp, "tokcls", BertForTokenClassification, d)
        n_ent = write_ner_jsonl(model, tok, TEXTS, os.path.join(OUT, "tokcls.jsonl"))
        # mtl-eval: each word's tag = the prediction on its first sub-token (the words split as CoNLL text)
        y_true, y_pred = [], []
        with open(os.path.join(OUT, "tokcls_test.conll"), "w") as f:
            for si, t in enumerate(TEXTS):
                words = t.replace(",", " ,").replace("!", " !").split()
                enc = tok(words, is_split_into_words=True, return_tensors="pt")
                with torch.no_grad():
                    am = model(**enc).logits[0].argmax(-1).tolist()
                seen, pred = set(), []
                for ti, wid in enumerate(enc.word_ids()):
                    if wid is not None and wid not in seen:
                        seen.add(wid)
                        pred.append(TOK_LABELS[am[ti]])
                gold = [TOK_LABELS[(si + wi) % 5] if (si + wi) % 3 else "O" for wi in range(len(words))]
                gold = [g if not g.startswith("I-") or (k > 0 and gold[k - 1][2:] == g[2:]) else "B-" + g[2:] for k, g in enumerate(gold)]
                for w, g in zip(words, gold):
                    f.write("%s %s\n" % (w, g))
                f.write("\n")
                y_true.append(gold)
                y_pred.append(pred)
        with open(os.path.join(OUT, "tokcls_eval.txt"), "w") as f:
            f.write(seq_report(y_true, y_pred, digits=4, mode="strict", scheme=IOB2, zero_division=0).rstrip() + "\n")
        print("tokcls entities:", n_ent)

        # --- cross-encoder (1 label), sigmoid by default and Identity from the config ---
        for name, extra in (("xenc", None), ("xenc_identity", {"sentence_transformers": {"activation_fn": "torch.nn.modules.linear.Identity"}})):
            d = write_folder(name, "BertForSequenceClassification", ["LABEL_0"], *classifier(1, H, features(tok, PAIRS, pairs=True)), extra=extra)
            model, hd = hf_dir(tmp, name, BertForSequenceClassification, d)
            model.save_pretrained(hd)
            ce = CrossEncoder(hd, device="cpu")
            scores = ce.predict(PAIRS)
            with open(os.path.join(OUT, name + ".jsonl"), "w") as f:
                for i, (a, b) in enumerate(PAIRS):
                    f.write('{"line": %d, "text": %s, "cls": {"label": "LABEL_0", "score": %.6f}}\n' % (i + 1, js(a + "\t" + b), float(scores[i])))
            print(name, "activation", type(ce.activation_fn).__name__, "scores", [round(float(s), 4) for s in scores])
        with open(os.path.join(OUT, "xenc_pairs.tsv"), "w") as f:
            for a, b in PAIRS:
                f.write("%s\t%s\n" % (a, b))
        with open(os.path.join(OUT, "texts.txt"), "w") as f:
            f.write("\n".join(TEXTS) + "\n")
    finally:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
