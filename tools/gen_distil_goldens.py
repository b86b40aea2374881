#!/usr/bin/env python3
"""DistilBERT parity fixture (issue 13, requirement 2): a tiny seeded random DistilBERT, small enough to
commit, and what Hugging Face computes with it.

    /work/main/build/bench-venv/bin/python tools/gen_distil_goldens.py

Writes tests/data/distil/ (a GENERATED TEST FIXTURE, about 150 KB; random weights, no real model):
  vocab.txt, tokenizer.json, tokenizer_config.json   a 107-token WordPiece
      vocabulary (the special tokens, a-z, 0-9, ##a-##z, some punctuation and the words of the texts)
  model/config.json + model.safetensors    DistilBertModel (dim 16, 2 layers, 2 heads, hidden_dim 32,
      64 positions, torch.manual_seed(0), initializer_range 0.2)
  seqcls/...  DistilBertForSequenceClassification, 3 named labels (manual_seed(1))
  tokcls/...  DistilBertForTokenClassification, 5 BIO labels (manual_seed(2))
  texts.txt, pairs.tsv   the inputs
  model_tokens.tsv      last_hidden_state of every token of each text, then of each pair (the tokenizer's
                        text/text_pair encoding; DistilBERT has no token types), as mtl-embed --tokens
                        prints it (tab-separated %.9g, an empty line after each input)
  seqcls.jsonl          the text-classification pipeline (top_k=None), as mtl-predict --json prints it
  tokcls.jsonl          the token-classification pipeline (aggregation_strategy "first"), likewise
  seqcls_train.tsv      the texts with gold labels (mtl-train / mtl-eval; seqcls_eval_accuracy.txt: the
                        accuracy of the pipeline's predictions on it)
tests/check_cli_heads.sh converts the three folders and compares (1e-5). Needs torch + transformers (the
bench venv: torch 2.15, transformers 5.x). Not part of `make test`."""
import os

import torch
from transformers import (BertTokenizerFast, DistilBertConfig, DistilBertForSequenceClassification,
                          DistilBertForTokenClassification, DistilBertModel)

from gen_head_goldens import write_cls_jsonl, write_ner_jsonl   # (the same output format)

torch.set_num_threads(1)
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "tests", "data", "distil")

TEXTS = ["the cat sat on the mat.",
         "john lives in paris and works in london",
         "what a great movie, i loved it!",
         "the weather was bad today",
         "maria and john flew to berlin on monday",
         "zebras are quick"]          # "zebras", "quick": split into pieces (## tokens) on purpose
PAIRS = [("where does john live?", "john lives in paris"),
         ("the cat sat on the mat.", "what a great movie")]
SEQ_LABELS = ["negative", "neutral", "positive"]
TOK_LABELS = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC"]


def vocab():
    special = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    chars = [chr(c) for c in range(ord("a"), ord("z") + 1)] + [str(d) for d in range(10)] + list(".,!?'-")
    pieces = ["##" + chr(c) for c in range(ord("a"), ord("z") + 1)]
    words = sorted({w for t in TEXTS + [x for p in PAIRS for x in p] for w in t.replace(".", " ").replace(",", " ").replace("!", " ").replace("?", " ").split()} - {"zebras", "quick"})
    v = special + chars + pieces + [w for w in words if w not in chars] + ["##s", "##ras", "zeb", "qu", "##ick"]
    out = []
    for t in v:
        if t not in out:
            out.append(t)
    return out


def config(**kw):
    return DistilBertConfig(vocab_size=len(VOCAB), dim=16, n_layers=2, n_heads=2, hidden_dim=32, max_position_embeddings=64,
                            initializer_range=0.2, pad_token_id=0, **kw)


VOCAB = vocab()


def main():
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "vocab.txt"), "w") as f:
        f.write("\n".join(VOCAB) + "\n")
    tok = BertTokenizerFast(vocab_file=os.path.join(OUT, "vocab.txt"), do_lower_case=True)
    tok.model_input_names = ["input_ids", "attention_mask"]
    tok.save_pretrained(OUT)

    # --- DistilBertModel: token states ---
    torch.manual_seed(0)
    model = DistilBertModel(config()).eval()
    model.save_pretrained(os.path.join(OUT, "model"))
    with open(os.path.join(OUT, "model_tokens.tsv"), "w") as f, torch.no_grad():
        for inp in TEXTS + PAIRS:
            enc = tok(*inp, return_tensors="pt") if isinstance(inp, tuple) else tok(inp, return_tensors="pt")
            h = model(input_ids=enc["input_ids"], attention_mask=enc["attention_mask"]).last_hidden_state[0]
            for row in h.tolist():
                f.write("\t".join("%.9g" % v for v in row) + "\n")
            f.write("\n")
    with open(os.path.join(OUT, "texts.txt"), "w") as f:
        f.write("\n".join(TEXTS) + "\n")
    with open(os.path.join(OUT, "pairs.tsv"), "w") as f:
        f.write("".join("%s\t%s\n" % p for p in PAIRS))

    # --- DistilBertForSequenceClassification: pre_classifier + ReLU + classifier on [CLS] ---
    torch.manual_seed(1)
    model = DistilBertForSequenceClassification(config(id2label=dict(enumerate(SEQ_LABELS)), label2id={l: i for i, l in enumerate(SEQ_LABELS)})).eval()
    model.save_pretrained(os.path.join(OUT, "seqcls"))
    preds = [SEQ_LABELS[k] for k in write_cls_jsonl(model, tok, TEXTS, SEQ_LABELS, os.path.join(OUT, "seqcls.jsonl"))]
    gold = [SEQ_LABELS[i % 3] for i in range(len(TEXTS))]
    with open(os.path.join(OUT, "seqcls_train.tsv"), "w") as f:
        f.write("sentence\tlabel\n" + "".join("%s\t%s\n" % (t, g) for t, g in zip(TEXTS, gold)))
    with open(os.path.join(OUT, "seqcls_eval_accuracy.txt"), "w") as f:
        f.write("%.4f\n" % (sum(a == b for a, b in zip(gold, preds)) / len(gold)))
    print("seqcls predictions:", preds)

    # --- DistilBertForTokenClassification ---
    torch.manual_seed(2)
    model = DistilBertForTokenClassification(config(id2label=dict(enumerate(TOK_LABELS)), label2id={l: i for i, l in enumerate(TOK_LABELS)})).eval()
    model.save_pretrained(os.path.join(OUT, "tokcls"))
    n = write_ner_jsonl(model, tok, TEXTS, os.path.join(OUT, "tokcls.jsonl"))
    print("tokcls entities:", n)


if __name__ == "__main__":
    main()
