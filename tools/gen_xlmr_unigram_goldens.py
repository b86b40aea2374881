#!/usr/bin/env python3
"""XLM-RoBERTa with its own tokenizer, end to end: a tiny seeded random XLMRobertaForSequenceClassification
whose tokenizer is the SentencePiece Unigram of tests/data/unigram/xlmr.json (transformers' XLM-R
conversion, 3,002 pieces), and what Hugging Face computes with it on text in many languages.

    /work/main/build/bench-venv/bin/python tools/gen_xlmr_unigram_goldens.py

Writes tests/data/roberta/xlmr_uni/ (a GENERATED TEST FIXTURE; random weights, no real model):
  config.json + model.safetensors   XLMRobertaForSequenceClassification, 3 labels, hidden 16, 2 layers,
                                    2 heads, intermediate 32, 40 positions (inputs up to 38 tokens),
                                    vocab 3,002, pad_token_id 1; save_pretrained (the tokenizer.json is
                                    tests/data/unigram/xlmr.json: tests/check_cli_heads.sh copies it in)
  tokenizer_config.json             what XLMRobertaTokenizerFast.save_pretrained writes
  texts.txt     12 texts in 10 languages; one holds "<pad>" as text (an added token: RoBERTa's position ids
                skip it), one is longer than the model (truncated to 38 tokens)
  pairs.tsv     text a<TAB>text b
  tokens.tsv    the backbone's last_hidden_state of every token of each text, then of each pair (as
                mtl-embed --tokens prints it: %.9g, an empty line after each input)
  mean.tsv      sentence-transformers' mean pooling of those states (mtl-embed --pooling mean --no-normalize)
  seqcls.jsonl  the text-classification pipeline (top_k=None) on the texts the model takes whole
                (mtl-predict --json)
  seqcls_pairs.jsonl  the same pipeline on {"text": a, "text_pair": b} (mtl-predict --pair --json)
Needs torch + transformers (the bench venv). Not part of `make test`."""
import os
import shutil

import torch
from transformers import XLMRobertaConfig, XLMRobertaForSequenceClassification, XLMRobertaTokenizerFast

from gen_head_goldens import write_cls_jsonl, js   # (the same output format)
from gen_roberta_goldens import perturb, rows, save

torch.set_num_threads(1)
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "tests", "data", "roberta", "xlmr_uni")
TOKJSON = os.path.join(HERE, "..", "tests", "data", "unigram", "xlmr.json")
LABELS = ["negative", "neutral", "positive"]
TEXTS = ["Der schnelle braune Fuchs springt über den faulen Hund.",
         "Le petit chat dort paisiblement sur le canapé du salon.",
         "¿Dónde está la biblioteca? Necesito devolver tres libros hoy.",
         "Москва — столица России, а Киев — столица Украины.",
         "東京は日本の首都です。",
         "Η Αθήνα είναι η πρωτεύουσα της Ελλάδας.",
         "a <pad> in the text: the pad token as text",
         "İstanbul'da hava bugün çok güzel, değil mi?",
         "ﬁne ﬂowers, ½ price, ＡＢＣ fullwidth, e\u0301 combining",
         "Việt Nam có nhiều cảnh đẹp.",
         "what a great movie, I loved it!",
         " ".join(["the quick brown fox jumps over the lazy dog"] * 6)]
PAIRS = [("Wo wohnt Maria?", "Maria wohnt in Berlin."),
         ("the cat sat on the mat.", "Le chat était assis sur le tapis."),
         ("is the <pad> here", "oui")]


def main():
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    os.makedirs(OUT)
    tok = XLMRobertaTokenizerFast(tokenizer_file=TOKJSON)
    tok.save_pretrained(OUT)
    for fn in ("tokenizer.json", "special_tokens_map.json", "sentencepiece.bpe.model", "chat_template.jinja"):
        if os.path.exists(os.path.join(OUT, fn)):
            os.remove(os.path.join(OUT, fn))
    V = len(tok)
    ids = tok(TEXTS[6])["input_ids"]
    assert 1 in ids[1:-1], "the <pad> text must hold id 1"
    torch.manual_seed(20)
    cfg = XLMRobertaConfig(vocab_size=V, num_hidden_layers=2, type_vocab_size=1, layer_norm_eps=1e-5,
                           initializer_range=0.2, pad_token_id=1, bos_token_id=0, eos_token_id=2, hidden_act="gelu",
                           hidden_size=16, num_attention_heads=2, intermediate_size=32, max_position_embeddings=40,
                           num_labels=3, id2label=dict(enumerate(LABELS)), label2id={l: i for i, l in enumerate(LABELS)})
    model = perturb(XLMRobertaForSequenceClassification(cfg).eval(), 120)
    with torch.no_grad():   # a spread of labels from a random model: out_proj scaled up
        model.classifier.out_proj.weight.mul_(8.0)
    save(model, "xlmr_uni")   # (tests/data/roberta/xlmr_uni, config.json marked as a generated fixture)
    with open(os.path.join(OUT, "texts.txt"), "w") as f:
        f.write("\n".join(TEXTS) + "\n")
    with open(os.path.join(OUT, "pairs.tsv"), "w") as f:
        f.write("".join("%s\t%s\n" % p for p in PAIRS))
    n_tok = 0
    with open(os.path.join(OUT, "tokens.tsv"), "w") as ft, open(os.path.join(OUT, "mean.tsv"), "w") as fm, torch.no_grad():
        for inp in TEXTS + PAIRS:
            e = tok(*inp, return_tensors="pt", truncation=True, max_length=38) if isinstance(inp, tuple) else \
                tok(inp, return_tensors="pt", truncation=True, max_length=38)
            h = model.roberta(input_ids=e["input_ids"], attention_mask=e["attention_mask"]).last_hidden_state[0]
            n_tok += h.shape[0]
            rows(ft, h)
            ft.write("\n")
            rows(fm, h.mean(0, keepdim=True))
    whole = [t for t in TEXTS if len(tok(t)["input_ids"]) <= 38]
    with open(os.path.join(OUT, "cls_texts.txt"), "w") as f:
        f.write("\n".join(whole) + "\n")
    preds = write_cls_jsonl(model, tok, whole, LABELS, os.path.join(OUT, "seqcls.jsonl"))
    pipe_pairs = [{"text": a, "text_pair": b} for a, b in PAIRS]
    from transformers import pipeline
    pipe = pipeline("text-classification", model=model, tokenizer=tok, device="cpu")
    with open(os.path.join(OUT, "seqcls_pairs.jsonl"), "w") as f:
        for i, p in enumerate(pipe_pairs):
            r = {o["label"]: o["score"] for o in pipe(p, top_k=None)}
            best = max(LABELS, key=lambda l: r[l])
            f.write('{"line": %d, "text": %s, "cls": {"label": %s, "probability": %.6f, "probabilities": {%s}}}\n'
                    % (i + 1, js(p["text"] + "\t" + p["text_pair"]), js(best), r[best], ", ".join("%s: %.6f" % (js(l), r[l]) for l in LABELS)))
    print("xlmr_uni: vocab %d, %d inputs, %d tokens; labels %s; long text %d tokens" %
          (V, len(TEXTS) + len(PAIRS), n_tok, [LABELS[p] for p in preds], len(tok(TEXTS[-1])["input_ids"])))
    total = sum(os.path.getsize(os.path.join(dp, fn)) for dp, _, fns in os.walk(OUT) for fn in fns)
    print("tests/data/roberta/xlmr_uni: %d bytes" % total)


if __name__ == "__main__":
    main()
