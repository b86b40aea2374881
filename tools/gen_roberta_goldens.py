#!/usr/bin/env python3
"""RoBERTa / XLM-RoBERTa parity fixture (issue 13, requirements 2 and 3): tiny seeded random models, small
enough to commit, and what Hugging Face computes with them.

    /work/main/build/bench-venv/bin/python tools/gen_roberta_goldens.py

Writes tests/data/roberta/ (a GENERATED TEST FIXTURE; random weights, no real model):
  tokenizer.json, tokenizer_config.json   a byte-level BPE (GPT-2 / RoBERTa pipeline: ByteLevel, no
      prefix space, RobertaProcessing; <s> <pad> </s> <unk> <mask> = ids 0..4) trained here with HF
      `tokenizers` on the texts below, without the 256-byte initial alphabet (a small vocabulary; every
      input here uses only characters it has). XLM-R's own tokenizer is a SentencePiece Unigram; the
      architecture does not care, so the XLM-R models here use this BPE too.
  roberta_model/ roberta_seqcls/ roberta_tokcls/   RobertaModel (with its pooler) / ...ForSequence-
      Classification (3 labels) / ...ForTokenClassification (5 BIO labels): hidden 16, 2 layers, 2 heads,
      intermediate 32, 66 positions (inputs up to 64 tokens), type_vocab_size 1, layer_norm_eps 1e-5,
      pad_token_id 1 (config.json + model.safetensors, save_pretrained)
  xlmr_model/ xlmr_seqcls/ xlmr_tokcls/ xlmr_xenc/  the XLMRoberta* of the same names (hidden 24, 3 heads,
      intermediate 48, 40 positions: inputs up to 38 tokens) and a 1-label XLMRobertaForSequenceClassification
      scoring pairs (a cross-encoder, as the bge / mmarco rerankers)
  Weights: the models' own init (initializer_range 0.2, seeded), then LayerNorm weights 1 + N(0, 0.1),
  biases N(0, 0.05) and the padding rows of the word and position tables redrawn (so that a wrong row
  shows).
  texts.txt     inputs: one holds the pad token <pad> as text (the tokenizer maps it to id 1, so
                RoBERTa's position ids skip it and give it padding_idx), one is longer than both models'
                limits (truncated: the last position row is used)
  pairs.tsv     text a<TAB>text b
  ner_texts.txt inputs of the token heads: lowercase words and single spaces (mtl-predict splits words
                at spaces and punctuation and joins them with single spaces, which for a byte-level BPE is
                the sentence itself only for such text)
  {m}_tokens.tsv       (m = roberta, xlmr) last_hidden_state of every token of each text, then of each
                       pair, as mtl-embed --tokens prints it (%.9g, an empty line after each input)
  {m}_{cls,mean,max,pooler}.tsv   the sentence-transformers poolings of those hidden states (cls: the
                       first token; mean / max: over every token, the attention mask being all 1) and the
                       model's pooler_output, texts then pairs, as mtl-embed --pooling X --no-normalize
  {m}_seqcls.jsonl     the text-classification pipeline (top_k=None) on texts.txt, as mtl-predict --json
  {m}_seqcls_pairs.jsonl  the same pipeline on {"text": a, "text_pair": b} (mtl-predict --pair --json)
  {m}_tokcls.jsonl     the token-classification pipeline (aggregation_strategy "first") on ner_texts.txt
  {m}_seqcls_eval.txt  scikit-learn's classification_report (digits 4) of the pipeline's predictions on
                       seqcls_test.tsv (the texts with gold labels; mtl-eval)
  xlmr_xenc.jsonl      sentence-transformers CrossEncoder.predict on pairs.tsv (sigmoid of the logit)
  train_step.txt       one multi-task training step in PyTorch (see train_golden below): inputs, initial
                       heads, logits, losses, every gradient, and the parameters after one AdamW update with
                       layer-wise learning rates, all trainable and with "top:1" (embeddings and layer 0
                       frozen); read by tests/test_roberta.c
tests/check_cli_heads.sh converts the folders and compares (1e-5); tests/test_roberta.c converts them too
(file keys, model info, heads, tokenizer) and compares the training step. Needs torch + transformers + sentence-transformers + scikit-learn (the bench venv: torch 2.15,
transformers 5.x, sentence-transformers 6.3). Not part of `make test`."""
import json
import os
import shutil
import tempfile

import torch
import torch.nn.functional as F
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
from transformers import (PreTrainedTokenizerFast, RobertaConfig, RobertaForSequenceClassification,
                          RobertaForTokenClassification, RobertaModel, XLMRobertaConfig,
                          XLMRobertaForSequenceClassification, XLMRobertaForTokenClassification, XLMRobertaModel,
                          pipeline)

from gen_head_goldens import write_cls_jsonl, write_ner_jsonl, js   # (the same output format)

torch.set_num_threads(1)
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "tests", "data", "roberta")

SPECIALS = ["<s>", "<pad>", "</s>", "<unk>", "<mask>"]
WORDS = ("the cat sat on the mat john lives in paris and works london what a great movie i loved it weather was "
         "bad today maria flew to berlin monday zebras are quick where does live smith angela met is here yes no "
         "words with unusual spellings")
LONG = " ".join(("the quick zebras and the cat sat on the mat while john works in london").split() * 6)
TEXTS = ["the cat sat on the mat.",
         "John lives in Paris and works in London",
         "What a great movie, I loved it!",
         "the weather was bad today",
         "a <pad> in the text: the pad token as text",
         "zebras are quick",
         LONG]
PAIRS = [("where does john live?", "john lives in paris"),
         ("the cat sat on the mat.", "what a great movie"),
         ("is the <pad> here", "yes")]
NER_TEXTS = ["john smith lives in paris",
             "maria flew to berlin on monday",
             "the cat sat on the mat",
             "angela met john in london"]
SEQ_LABELS = ["negative", "neutral", "positive"]
TOK_LABELS = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC"]
SIZES = {"roberta": dict(hidden_size=16, num_attention_heads=2, intermediate_size=32, max_position_embeddings=66),
         "xlmr": dict(hidden_size=24, num_attention_heads=3, intermediate_size=48, max_position_embeddings=40)}


def train_tokenizer():
    corpus = [WORDS, WORDS.capitalize(), "John Paris London What I , . ! ? : <pad>"] + TEXTS + NER_TEXTS + [x for p in PAIRS for x in p]
    t = Tokenizer(models.BPE())
    t.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    t.decoder = decoders.ByteLevel()
    t.train_from_iterator(corpus, trainers.BpeTrainer(vocab_size=160, special_tokens=SPECIALS, show_progress=False))
    j = json.loads(t.to_str())
    for a in j["added_tokens"]:
        if a["content"] == "<mask>":
            a["lstrip"] = True   # (as roberta-base)
    j["post_processor"] = {"type": "RobertaProcessing", "sep": ["</s>", 2], "cls": ["<s>", 0], "trim_offsets": True,
                           "add_prefix_space": False}
    j["model"]["merges"] = [" ".join(m) for m in j["model"]["merges"]]
    tok = PreTrainedTokenizerFast(tokenizer_object=Tokenizer.from_str(json.dumps(j)), bos_token="<s>", eos_token="</s>",
                                  unk_token="<unk>", sep_token="</s>", cls_token="<s>", pad_token="<pad>", mask_token="<mask>")
    tok.model_input_names = ["input_ids", "attention_mask"]   # (RoBERTa's: no token_type_ids)
    return tok


def config(family, V, **kw):
    c = XLMRobertaConfig if family == "xlmr" else RobertaConfig
    return c(vocab_size=V, num_hidden_layers=2, type_vocab_size=1, layer_norm_eps=1e-5, initializer_range=0.2,
             pad_token_id=1, bos_token_id=0, eos_token_id=2, hidden_act="gelu", **SIZES[family], **kw)


def perturb(model, seed):
    """LayerNorms and biases away from 1 / 0, the padding rows of the embeddings non-zero"""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for n, p in model.named_parameters():
            if "LayerNorm.weight" in n:
                p.copy_(1 + 0.1 * torch.randn(p.shape, generator=g))
            elif n.endswith("bias"):
                p.copy_(0.05 * torch.randn(p.shape, generator=g))
            elif n.endswith("word_embeddings.weight") or n.endswith("position_embeddings.weight"):
                p[1].copy_(0.2 * torch.randn(p.shape[1], generator=g))
    return model


def save(model, name):
    """save_pretrained, and config.json marked as a generated test fixture (weights_convert stores
    _name_or_path as general.name)"""
    d = os.path.join(OUT, name)
    model.save_pretrained(d)
    p = os.path.join(d, "config.json")
    cfg = json.load(open(p))
    cfg["_name_or_path"] = "GENERATED TEST FIXTURE %s (tools/gen_roberta_goldens.py): random weights" % name
    with open(p, "w") as f:
        json.dump(cfg, f, indent=2, sort_keys=True)
        f.write("\n")
    return d


def enc(tok, inp, max_len):
    if isinstance(inp, tuple):
        return tok(*inp, return_tensors="pt", truncation=True, max_length=max_len)
    return tok(inp, return_tensors="pt", truncation=True, max_length=max_len)


def rows(f, t):
    for row in t.tolist():
        f.write("\t".join("%.9g" % v for v in row) + "\n")


def backbone_goldens(family, model, tok):
    max_len = SIZES[family]["max_position_embeddings"] - 2
    pools = {k: open(os.path.join(OUT, "%s_%s.tsv" % (family, k)), "w") for k in ("cls", "mean", "max", "pooler")}
    n_tok = 0
    with open(os.path.join(OUT, family + "_tokens.tsv"), "w") as f, torch.no_grad():
        for inp in TEXTS + PAIRS:
            e = enc(tok, inp, max_len)
            out = model(input_ids=e["input_ids"], attention_mask=e["attention_mask"])
            h = out.last_hidden_state[0]
            n_tok += h.shape[0]
            rows(f, h)
            f.write("\n")
            rows(pools["cls"], h[:1])
            rows(pools["mean"], h.mean(0, keepdim=True))
            rows(pools["max"], h.max(0, keepdim=True).values)
            rows(pools["pooler"], out.pooler_output)
    for p in pools.values():
        p.close()
    print("%s: %d inputs, %d tokens; long text: %d tokens before truncation" % (family, len(TEXTS) + len(PAIRS), n_tok, len(tok(LONG)["input_ids"])))


def spread_labels(model, tok):
    """out_proj re-drawn so that a random backbone's near-identical features still give several labels:
    the direction weight[i] ~ sin(0.37 i), centred and scaled on the texts' features tanh(dense(h[<s>]))
    (as gen_head_goldens.py's classifier())"""
    with torch.no_grad():
        feats = torch.cat([torch.tanh(model.classifier.dense(model.roberta(**enc(tok, t, 64)).last_hidden_state[:, 0]))
                           for t in TEXTS[:-1]], 0)
        n, h = model.classifier.out_proj.weight.shape
        w0 = torch.tensor([__import__("math").sin(0.37 * i) for i in range(n * h)]).reshape(n, h)
        mean = feats.mean(0)
        w = w0 * (2.0 / ((feats - mean) @ w0.T).std().item())
        model.classifier.out_proj.weight.copy_(w)
        model.classifier.out_proj.bias.copy_(-(w @ mean) + torch.tensor([0.1 * __import__("math").cos(1.3 * j) for j in range(n)]))


def pairs_jsonl(model, tok, path):
    pipe = pipeline("text-classification", model=model, tokenizer=tok, device="cpu")
    with open(path, "w") as f:
        for i, (a, b) in enumerate(PAIRS):
            p = {o["label"]: o["score"] for o in pipe({"text": a, "text_pair": b}, top_k=None)}
            best = max(SEQ_LABELS, key=lambda l: p[l])
            f.write('{"line": %d, "text": %s, "cls": {"label": %s, "probability": %.6f, "probabilities": {%s}}}\n'
                    % (i + 1, js(a + "\t" + b), js(best), p[best], ", ".join("%s: %.6f" % (js(l), p[l]) for l in SEQ_LABELS)))


def head_goldens(family, tok, V):
    from sklearn.metrics import classification_report
    seq_cls = XLMRobertaForSequenceClassification if family == "xlmr" else RobertaForSequenceClassification
    tok_cls = XLMRobertaForTokenClassification if family == "xlmr" else RobertaForTokenClassification
    base = 10 if family == "xlmr" else 0
    torch.manual_seed(base + 1)
    lab = dict(id2label=dict(enumerate(SEQ_LABELS)), label2id={l: i for i, l in enumerate(SEQ_LABELS)})
    model = perturb(seq_cls(config(family, V, **lab)).eval(), base + 101)
    spread_labels(model, tok)
    save(model, family + "_seqcls")
    preds = write_cls_jsonl(model, tok, TEXTS[:-1], SEQ_LABELS, os.path.join(OUT, family + "_seqcls.jsonl"))
    pairs_jsonl(model, tok, os.path.join(OUT, family + "_seqcls_pairs.jsonl"))
    gold = [i % 3 for i in range(len(TEXTS) - 1)]
    with open(os.path.join(OUT, family + "_seqcls_eval.txt"), "w") as f:
        f.write(classification_report(gold, preds, labels=[0, 1, 2], target_names=SEQ_LABELS, digits=4, zero_division=0).rstrip() + "\n")
    print("%s seqcls predictions: %s" % (family, [SEQ_LABELS[p] for p in preds]))
    torch.manual_seed(base + 2)
    lab = dict(id2label=dict(enumerate(TOK_LABELS)), label2id={l: i for i, l in enumerate(TOK_LABELS)})
    model = perturb(tok_cls(config(family, V, **lab)).eval(), base + 102)
    save(model, family + "_tokcls")
    print("%s tokcls entities: %d" % (family, write_ner_jsonl(model, tok, NER_TEXTS, os.path.join(OUT, family + "_tokcls.jsonl"))))


def xenc_golden(tok, V):
    from sentence_transformers import CrossEncoder
    torch.manual_seed(21)
    model = perturb(XLMRobertaForSequenceClassification(config("xlmr", V, num_labels=1)).eval(), 121)
    d = save(model, "xlmr_xenc")
    tmp = tempfile.mkdtemp()
    try:   # CrossEncoder reads a whole folder: the model + the tokenizer
        for fn in os.listdir(d):
            shutil.copy(os.path.join(d, fn), tmp)
        tok.save_pretrained(tmp)
        scores = CrossEncoder(tmp, device="cpu").predict(PAIRS)
    finally:
        shutil.rmtree(tmp)
    with open(os.path.join(OUT, "xlmr_xenc.jsonl"), "w") as f:
        for i, (a, b) in enumerate(PAIRS):
            f.write('{"line": %d, "text": %s, "cls": {"label": "LABEL_0", "score": %.6f}}\n' % (i + 1, js(a + "\t" + b), float(scores[i])))
    print("xlmr xenc scores:", [round(float(s), 4) for s in scores])


# ------------------------------------------------------------------------------------------------
# One multi-task training step (the design's model: a cls MLP head on <s> + a token head)
# ------------------------------------------------------------------------------------------------
TRAIN_TEXTS = ["john smith lives in paris", "maria flew to berlin on monday", "john <pad> lives in london",
               "the cat sat on the mat"]
TRAIN_TAGS = [["B-PER", "I-PER", "O", "O", "B-LOC"], ["B-PER", "O", "O", "B-LOC", "O", "O"],
              ["B-PER", "O", "O", "O", "B-LOC"], ["O", "O", "O", "O", "O", "O"]]
TRAIN_CLS = [2, 1, 0, 1]
CLS_W, NER_W = 0.4, 0.6
LR, LAYER_DECAY, HEAD_MULT, WD, CLIP = 1e-3, 0.8, 5.0, 0.01, 1.0


def ner_labels(tok, texts, tags):
    """the first token of each space-separated word gets the word's tag, every other token -100"""
    e = tok(texts, padding=True, return_offsets_mapping=True, return_tensors="pt")
    lab = torch.full(e["input_ids"].shape, -100, dtype=torch.long)
    for b, t in enumerate(texts):
        spans, p = [], 0
        for w in t.split(" "):
            spans.append((p, p + len(w)))
            p += len(w) + 1
        seen = set()
        for k, (s, en) in enumerate(e["offset_mapping"][b].tolist()):
            if e["attention_mask"][b, k] == 0 or s == en or k == 0:
                continue
            for wi, (ws, we) in enumerate(spans):
                if ws <= s < we and wi not in seen:
                    seen.add(wi)
                    lab[b, k] = TOK_LABELS.index(tags[b][wi])
    return e, lab


class MultiTask(torch.nn.Module):
    def __init__(self, backbone, H, g):
        super().__init__()
        self.roberta = backbone
        self.cls_dense = torch.nn.Linear(H, H)
        self.cls_out = torch.nn.Linear(H, len(SEQ_LABELS))
        self.ner = torch.nn.Linear(H, len(TOK_LABELS))
        with torch.no_grad():
            for lin in (self.cls_dense, self.cls_out, self.ner):
                lin.weight.copy_(0.3 * torch.randn(lin.weight.shape, generator=g))
                lin.bias.copy_(0.05 * torch.randn(lin.bias.shape, generator=g))

    def forward(self, ids, mask):
        h = self.roberta(input_ids=ids, attention_mask=mask).last_hidden_state
        cls = self.cls_out(torch.tanh(self.cls_dense(h[:, 0])))   # RobertaClassificationHead (eval: no dropout)
        return cls, self.ner(h)


HEAD_NAMES = {"cls_dense.weight": "cls_head.dense.weight", "cls_dense.bias": "cls_head.dense.bias",
              "cls_out.weight": "cls_head.out_proj.weight", "cls_out.bias": "cls_head.out_proj.bias",
              "ner.weight": "ner_head.weight", "ner.bias": "ner_head.bias"}


def mtl_name(n):
    return HEAD_NAMES.get(n, n[len("roberta."):] if n.startswith("roberta.") else n)


def one_step(tok, frozen, f=None):
    """frozen: a predicate on mtl names; returns {name: param after the step} of the trainable ones"""
    backbone = RobertaModel.from_pretrained(os.path.join(OUT, "roberta_model"), add_pooling_layer=False).eval()
    H = backbone.config.hidden_size
    L = backbone.config.num_hidden_layers
    m = MultiTask(backbone, H, torch.Generator().manual_seed(7)).eval()
    e, lab = ner_labels(tok, TRAIN_TEXTS, TRAIN_TAGS)
    ids, mask = e["input_ids"], e["attention_mask"]
    named = [(mtl_name(n), p) for n, p in m.named_parameters()]
    for n, p in named:
        p.requires_grad_(not frozen(n))
    cls, ner = m(ids, mask)
    loss_cls = F.cross_entropy(cls, torch.tensor(TRAIN_CLS))
    loss_ner = F.cross_entropy(ner.reshape(-1, len(TOK_LABELS)), lab.reshape(-1), ignore_index=-100)
    loss = CLS_W * loss_cls + NER_W * loss_ner
    loss.backward()
    trainable = [(n, p) for n, p in named if not frozen(n)]
    if f:   # the inputs, the initial heads and the gradients (all trainable)
        B, T = ids.shape
        line(f, "shape", [B, T, len(SEQ_LABELS), len(TOK_LABELS), L], "%d")
        line(f, "ids", ids.flatten().tolist(), "%d")
        line(f, "mask", mask.flatten().tolist(), "%d")
        line(f, "cls_labels", TRAIN_CLS, "%d")
        line(f, "ner_labels", lab.flatten().tolist(), "%d")
        line(f, "loss_weights", [CLS_W, NER_W], "%.9g")
        line(f, "optim", [LR, LAYER_DECAY, HEAD_MULT, WD, CLIP], "%.9g")
        for n, p in named:
            if n.startswith(("cls_head.", "ner_head.")):
                line(f, "init." + n, p.detach().flatten().tolist(), "%.9g")
        line(f, "cls_logits", cls.detach().flatten().tolist(), "%.9g")
        line(f, "ner_logits", ner.detach().flatten().tolist(), "%.9g")
        line(f, "loss", [loss_cls.item(), loss_ner.item(), loss.item()], "%.9g")
        for n, p in named:
            line(f, "grad." + n, p.grad.flatten().tolist(), "%.7g")
        print("train step: B %d T %d loss_cls %.6f loss_ner %.6f loss %.6f" % (B, T, loss_cls.item(), loss_ner.item(), loss.item()))
    # groups as mtl_params_make_groups: embeddings lr*d^L, layer k lr*d^(L-1-k), heads lr*head_mult;
    # no weight decay on biases and LayerNorm weights (HF's rule)
    groups = {}
    for n, p in trainable:
        if n.startswith("embeddings."):
            lr = LR * LAYER_DECAY ** L
        elif n.startswith("encoder.layer."):
            lr = LR * LAYER_DECAY ** (L - 1 - int(n.split(".")[2]))
        else:
            lr = LR * HEAD_MULT
        wd = 0.0 if n.endswith("bias") or n.endswith("LayerNorm.weight") else WD
        groups.setdefault((lr, wd), []).append(p)
    norm = torch.nn.utils.clip_grad_norm_([p for _, p in trainable], CLIP)
    opt = torch.optim.AdamW([{"params": ps, "lr": lr, "weight_decay": wd} for (lr, wd), ps in groups.items()],
                            betas=(0.9, 0.999), eps=1e-8)
    opt.step()
    print("  %s: %d trainable tensors, grad norm %.6f" % ("all" if f else "top:1", len(trainable), norm.item()))
    return {n: p.detach().clone() for n, p in trainable}, norm.item()


def line(f, name, vals, fmt):
    vals = list(vals)
    f.write("%s %d %s\n" % (name, len(vals), " ".join(fmt % v for v in vals)))


def train_golden(tok):
    with open(os.path.join(OUT, "train_step.txt"), "w") as f:
        f.write("# tools/gen_roberta_goldens.py: one multi-task step of roberta_model (RobertaModel, no pooler) + a cls MLP head "
                "(dense, tanh, out_proj on <s>) + a token head; torch %s, transformers %s. GENERATED TEST FIXTURE\n"
                % (torch.__version__, __import__("transformers").__version__))
        after, norm = one_step(tok, lambda n: False, f)
        line(f, "grad_norm.all", [norm], "%.9g")
        for n, p in after.items():
            if n != "embeddings.word_embeddings.weight":   # (its unused rows only decay: checked by formula)
                line(f, "after.all." + n, p.flatten().tolist(), "%.7g")
        after, norm = one_step(tok, lambda n: n.startswith("embeddings.") or n.startswith("encoder.layer.0."))
        line(f, "grad_norm.top1", [norm], "%.9g")
        for n, p in after.items():
            line(f, "after.top1." + n, p.flatten().tolist(), "%.7g")


def main():
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    os.makedirs(OUT)
    tok = train_tokenizer()
    tok.save_pretrained(OUT)
    for fn in ("special_tokens_map.json", "chat_template.jinja"):
        if os.path.exists(os.path.join(OUT, fn)):
            os.remove(os.path.join(OUT, fn))
    V = len(tok)
    ids = tok(TEXTS[4])["input_ids"]
    assert 1 in ids[1:-1], "the <pad> text must hold id 1"
    print("tokenizer: %d tokens; %r -> %s" % (V, TEXTS[4], tok.convert_ids_to_tokens(ids)))
    with open(os.path.join(OUT, "texts.txt"), "w") as f:
        f.write("\n".join(TEXTS) + "\n")
    with open(os.path.join(OUT, "pairs.tsv"), "w") as f:
        f.write("".join("%s\t%s\n" % p for p in PAIRS))
    with open(os.path.join(OUT, "ner_texts.txt"), "w") as f:
        f.write("\n".join(NER_TEXTS) + "\n")
    with open(os.path.join(OUT, "seqcls_test.tsv"), "w") as f:
        f.write("sentence\tlabel\n" + "".join("%s\t%s\n" % (t, SEQ_LABELS[i % 3]) for i, t in enumerate(TEXTS[:-1])))
    for family, cls in (("roberta", RobertaModel), ("xlmr", XLMRobertaModel)):
        torch.manual_seed(0 if family == "roberta" else 10)
        model = perturb(cls(config(family, V)).eval(), 100 if family == "roberta" else 110)
        save(model, family + "_model")
        backbone_goldens(family, model, tok)
        head_goldens(family, tok, V)
    xenc_golden(tok, V)
    train_golden(tok)
    total = sum(os.path.getsize(os.path.join(dp, fn)) for dp, _, fns in os.walk(OUT) for fn in fns)
    print("tests/data/roberta: %d bytes" % total)


if __name__ == "__main__":
    main()
