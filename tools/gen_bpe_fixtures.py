#!/usr/bin/env python3
"""Byte-level BPE fixtures for mtl_tokenizer.h (tests/test_tokenizer_bpe.c), from Hugging Face `tokenizers`.

Trains two small byte-level BPE tokenizers (GPT-2 / RoBERTa pipeline) on texts of ../shared/data (SST-2,
IMDB, CoNLL-2003 words) plus constructed non-English and edge-case text, and writes to tests/data/bpe/:

  roberta.json   vocab 3000, ByteLevel(add_prefix_space=False), RobertaProcessing(trim_offsets), merges
                 written as strings "a b", <mask> with lstrip (as roberta-base)
  gpt2ap.json    vocab 1200, ByteLevel(add_prefix_space=True), ignore_merges, TemplateProcessing
                 (<s> $A </s> / <s> $A </s> </s> $B:1 </s>:1), merges written as arrays [a, b]
  {name}.jsonl   one encoding per line: text (+ text_b), ids, type_ids, special_tokens_mask, byte_offsets
                 (UTF-8 bytes of the original text, from HF's code point offsets), word_ids, sequence_ids,
                 decode (skip_special_tokens=True) and decode_all (False); "no_special" (pairs:
                 add_special_tokens=False); for a subset "truncated":
                 {"<strategy>:<max_length>": {...}} and "padded" (truncation + padding to 32).

No real RoBERTa tokenizer.json ships in the venv's packages (checked: none under site-packages), so both
are trained here. The reference is tokenizers 0.23.2, as for the WordPiece fixtures of shared/ (0.23.3
changed pair truncation: it compares the full lengths of the two sequences where 0.23.2 compares the
lengths at which it stopped tokenizing them). Never run by CI:
  python3 -m venv /tmp/tok0232 && /tmp/tok0232/bin/pip install tokenizers==0.23.2
  /tmp/tok0232/bin/python tools/gen_bpe_fixtures.py [--shared ../shared]
"""
import argparse
import csv
import json
import os
import random

from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers
import tokenizers

SPECIALS = ["<s>", "<pad>", "</s>", "<unk>", "<mask>"]

EDGE = [
    "", " ", "   ", "\n", "\n\n", "\t\t tab", "hello  world", "  leading", "trailing  ", "a  \n  b",
    "it's I'm we'll they've she'd you're don't", "'s 's 'S 'll'd", "''quoted'' \"double\"", "?'s !'re",
    "<mask>", "Hello <mask>!", "Hello<mask>world", "<s>x</s>", "a<mask>b", "  <mask>  ", "<mask><mask>",
    "<pad> <unk> </s>", "<s", "123 4567 3.14 1,000,000 2nd", "ÀÉÎõü ñandú café crème brûlée", "naïve façade",
    "Ελληνικά γράμματα", "Русский язык, ёлка", "中文字符测试", "日本語のテキスト、カタカナ", "한국어 문장",
    "emoji 😀👍🏽 🇺🇸 ❤️", "\u00a0nbsp\u00a0", "line\u2028sep\u2029para", "\u3000ideographic\u3000space",
    "e\u0301 combining", "ﬁ ligature ﬂ", "٣٤٥ Arabic-Indic ١٢", "Ⅻ roman ½ ¾ ²", "x\x00y\x01z\x7f",
    "zero\u200bwidth\u200djoiner", "private\ue000use", "a" * 120, "ab" * 60 + " end", "\x85NEL", "A\r\nB\r\n",
    "tab\there", "   \t\n  mixed   ", "!!!???...", "$100 #tag @user http://x.y/z?q=1&r=2", "C++ & C# | x->y",
    "\U0001d400 math bold \U0001d7d8", "ǅ titlecase ǈ", "ʰ modifier ˀ", "ー長音", "ดีมาก ภาษาไทย", "עברית שלום",
    "العربية مرحبا", "हिन्दी नमस्ते", "Ünïcödé ÜBER", "ﾊﾝｶｸ halfwidth", "\ufeffBOM", "trailing space ",
    "multiple   spaces   between", " single leading", "'", "''", "' s", "don 't", "1a2b3c", "a1 b2 c3",
]


def load_texts(shared, rng):
    sst = []
    with open(os.path.join(shared, "data/sst2/train.tsv"), encoding="utf-8") as f:
        next(f)
        for line in f:
            sst.append(line.rsplit("\t", 1)[0])
    imdb = []
    with open(os.path.join(shared, "data/imdb/imdb_50k.csv"), encoding="utf-8") as f:
        r = csv.reader(f)
        next(r)
        for i, row in enumerate(r):
            imdb.append(row[0])
            if i > 4000:
                break
    conll = []
    with open(os.path.join(shared, "data/conll2003/iob1/eng.train"), encoding="utf-8") as f:
        sent = []
        for line in f:
            p = line.split()
            if not p:
                if sent:
                    conll.append(" ".join(sent))
                sent = []
            elif p[0] != "-DOCSTART-":
                sent.append(p[0])
    return sst, imdb, conll


def random_text(rng, n):
    pools = [" ", "  ", "\t", "\n", "\u00a0", "\u3000", "a", "Z", "é", "ß", "Ω", "ж", "中", "の", "한", "1", "٣", "½",
             "Ⅻ", "'", "'s", "'ll", "'re", "!", ".", ",", "-", "😀", "🏽", "\u200b", "\u0301", "<mask>", "<s>", "x",
             "hello", " world", "ing", "The", "\x00", "\x85", "\u2028", "\U0001d400", "ǅ", "ʰ"]
    return "".join(rng.choice(pools) for _ in range(n))


def train(name, corpus, vocab, add_prefix_space):
    t = Tokenizer(models.BPE())
    t.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=add_prefix_space)
    t.decoder = decoders.ByteLevel()
    tr = trainers.BpeTrainer(vocab_size=vocab, special_tokens=SPECIALS, initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
                             show_progress=False)
    t.train_from_iterator(corpus, tr)
    j = json.loads(t.to_str())
    for a in j["added_tokens"]:
        if a["content"] == "<mask>":
            a["lstrip"] = True
    if name == "roberta":
        j["post_processor"] = {"type": "RobertaProcessing", "sep": ["</s>", 2], "cls": ["<s>", 0], "trim_offsets": True,
                               "add_prefix_space": False}
        j["model"]["merges"] = [" ".join(m) for m in j["model"]["merges"]]
    else:
        j["model"]["ignore_merges"] = True
        sp = {"<s>": {"id": "<s>", "ids": [0], "tokens": ["<s>"]}, "</s>": {"id": "</s>", "ids": [2], "tokens": ["</s>"]}}
        j["post_processor"] = {
            "type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                       {"SpecialToken": {"id": "</s>", "type_id": 0}}],
            "pair": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                     {"SpecialToken": {"id": "</s>", "type_id": 0}}, {"SpecialToken": {"id": "</s>", "type_id": 1}},
                     {"Sequence": {"id": "B", "type_id": 1}}, {"SpecialToken": {"id": "</s>", "type_id": 1}}],
            "special_tokens": sp}
    return json.dumps(j, ensure_ascii=False, separators=(",", ":"))


def byte_offsets(text, offs):
    pre = [0]
    for ch in text:
        pre.append(pre[-1] + len(ch.encode("utf-8")))
    return [[pre[a], pre[b]] for a, b in offs]


def enc_dict(tok, e, a, b, full=True):
    d = {"ids": e.ids, "type_ids": e.type_ids, "word_ids": e.word_ids}
    bo = []
    for (s, t), sid in zip(e.offsets, e.sequence_ids):
        src = b if sid == 1 else a
        bo += byte_offsets(src, [(s, t)])
    d["byte_offsets"] = bo
    if b is not None:
        d["sequence_ids"] = e.sequence_ids
    d["special_tokens_mask"] = e.special_tokens_mask
    d["decode"] = tok.decode(e.ids, skip_special_tokens=True)
    if full:
        d["decode_all"] = tok.decode(e.ids, skip_special_tokens=False)
    return d


def encode_case(tok, cid, cat, a, b, rng, trunc, pad_id=1, pad_token="<pad>"):
    tok.no_truncation()
    tok.no_padding()
    e = tok.encode(a, b) if b is not None else tok.encode(a)
    d = {"id": cid, "cat": cat, "text": a}
    if b is not None:
        d["text_b"] = b
    d.update(enc_dict(tok, e, a, b))
    if b is not None and cat == "pair":   # add_special_tokens=False (what changes: type ids, no specials)
        ne = tok.encode(a, b, add_special_tokens=False)
        d["no_special"] = {k: v for k, v in enc_dict(tok, ne, a, b, full=False).items() if k in ("ids", "type_ids", "byte_offsets")}
    if trunc:
        tr = {}
        strategies = ["longest_first", "only_first", "only_second"] if b is not None else ["longest_first"]
        for strat in strategies:
            for ml in ((5, 9) if cat == "pairtrunc" else (8, 24) if strat == "longest_first" else (12,)):
                if ml >= len(e.ids) and strat == "longest_first" and ml not in (9, 24):
                    continue
                tok.enable_truncation(ml, strategy=strat)
                try:
                    te = tok.encode(a, b) if b is not None else tok.encode(a)
                except Exception:
                    continue
                tr["%s:%d" % (strat, ml)] = enc_dict(tok, te, a, b, full=False)
        tok.no_truncation()
        d["truncated"] = tr
        if rng.random() < 0.6:
            return d
        tok.enable_truncation(32)
        tok.enable_padding(length=32, pad_id=pad_id, pad_token=pad_token)
        pe = tok.encode(a, b) if b is not None else tok.encode(a)
        d["padded"] = {"max_length": 32, "ids": pe.ids, "type_ids": pe.type_ids, "attention_mask": pe.attention_mask,
                       "special_tokens_mask": pe.special_tokens_mask,
                       "byte_offsets": sum((byte_offsets(b if sid == 1 else a, [o]) for o, sid in zip(pe.offsets, pe.sequence_ids)), [])}
        tok.no_truncation()
        tok.no_padding()
    return d


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=os.path.join(os.path.dirname(__file__), "../../shared"))
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "../tests/data/bpe"))
    args = ap.parse_args()
    if tokenizers.__version__ != "0.23.2":
        raise SystemExit("tokenizers %s: the fixtures are made with 0.23.2 (see the docstring)" % tokenizers.__version__)
    rng = random.Random(13)
    sst, imdb, conll = load_texts(args.shared, rng)
    corpus = sst[:30000] + imdb[:3000] + conll[:5000] + EDGE * 20 + [random_text(rng, 30) for _ in range(300)]
    os.makedirs(args.out, exist_ok=True)
    for name, vocab, aps in (("roberta", 3000, False), ("gpt2ap", 1200, True)):
        js = train(name, corpus, vocab, aps)
        path = os.path.join(args.out, name + ".json")
        with open(path, "w", encoding="utf-8") as f:
            f.write(js)
        tok = Tokenizer.from_file(path)
        r2 = random.Random(7 if name == "roberta" else 8)
        cases = []
        for i, t in enumerate(EDGE):
            cases.append(("edge", t, None))
        for t in r2.sample(sst, 20 if name == "roberta" else 10):
            cases.append(("sst2", t, None))
        for t in r2.sample(imdb, 6 if name == "roberta" else 4):
            cases.append(("imdb", t[:200], None))
        for t in r2.sample(conll, 12 if name == "roberta" else 8):
            cases.append(("conll", t, None))
        for _ in range(40 if name == "roberta" else 25):
            cases.append(("random", random_text(r2, r2.randint(1, 40)), None))
        for _ in range(24 if name == "roberta" else 16):
            pa = r2.choice(EDGE + sst[:200] + [random_text(r2, 12)])
            pb = r2.choice(EDGE + conll[:200] + [random_text(r2, 12)])
            cases.append(("pair", pa, pb))
        for _ in range(40 if name == "roberta" else 20):   # both sides long, added tokens: which side is longer
            cases.append(("pairtrunc", random_text(r2, r2.randint(4, 16)), random_text(r2, r2.randint(4, 16))))
        out = []
        for i, (cat, a, b) in enumerate(cases):
            trunc = b is not None or r2.random() < 0.25 or cat == "edge" and len(a) > 40
            out.append(json.dumps(encode_case(tok, "%s-%d" % (name, i), cat, a, b, r2, trunc), ensure_ascii=True,
                                  separators=(",", ":")))
        with open(os.path.join(args.out, name + ".jsonl"), "w", encoding="utf-8") as f:
            f.write("\n".join(out) + "\n")
        print(name, len(out), "cases, tokenizers", tokenizers.__version__)


if __name__ == "__main__":
    main()
