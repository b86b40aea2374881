#!/usr/bin/env python3
"""HF `tokenizer(words, is_split_into_words=True)` for mtl_align_words(split_into_words): tests/data/split_words.tsv.

transformers tokenizes pre-split words (run_ner.py on CoNLL) one word at a time: a byte-level BPE needs
add_prefix_space=True for it, so every word, the first included, gets its "G" space; WordPiece and Metaspace
(Unigram) give what the words joined by spaces give. For the real RoBERTa-pipeline BPE
(tests/data/bpe/roberta_real.json: GPT-2's merges), XLM-R's Unigram (tests/data/unigram/xlmr.json) and all-MiniLM-L6-v2's
WordPiece ($MTL_SHARED/models), the first 40 sentences of CoNLL-2003 eng.testa ($MTL_SHARED/data) and the
NER texts of tests/data/roberta, with max_length 24 (truncation) and without. Each line:
    tokenizer TAB max_length (0: none) TAB the words joined by U+0001 TAB input ids TAB word ids (-1: none)
    /work/main/build/bench-venv/bin/python tools/gen_split_words.py      (never run by CI)
"""
import json
import os
import shutil
import tempfile

from transformers import AutoTokenizer, XLMRobertaTokenizerFast

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..")
shared = os.environ.get("MTL_SHARED", os.path.join(ROOT, "..", "shared"))
# run_ner.py's way: from_pretrained(..., add_prefix_space=True) of a folder (transformers 5 ignores the keyword
# for RobertaTokenizerFast(tokenizer_file=...): the words then get no space at all)
rdir = tempfile.mkdtemp()
shutil.copy(os.path.join(ROOT, "tests/data/bpe/roberta_real.json"), os.path.join(rdir, "tokenizer.json"))
with open(os.path.join(rdir, "tokenizer_config.json"), "w") as f:
    json.dump({"tokenizer_class": "RobertaTokenizer", "model_max_length": 512}, f)
toks = {
    "roberta_real": AutoTokenizer.from_pretrained(rdir, add_prefix_space=True),
    "xlmr": XLMRobertaTokenizerFast(tokenizer_file=os.path.join(ROOT, "tests/data/unigram/xlmr.json")),
    "minilm": AutoTokenizer.from_pretrained(os.path.join(shared, "models/all-MiniLM-L6-v2")),
}
sents, cur = [], []
for line in open(os.path.join(shared, "data/conll2003/iob2/eng.testa"), encoding="utf-8"):
    p = line.split()
    if not p:
        if cur:
            sents.append(cur)
        cur = []
    elif p[0] != "-DOCSTART-":
        cur.append(p[0])
sents = sents[:40] + [l.split() for l in open(os.path.join(ROOT, "tests/data/roberta/ner_texts.txt")) if l.strip()]
with open(os.path.join(ROOT, "tests/data/split_words.tsv"), "w", encoding="utf-8") as f:
    for name, tok in toks.items():
        for ml in (0, 24):
            for words in sents:
                e = tok(words, is_split_into_words=True, truncation=ml > 0, max_length=ml or None)
                wid = [-1 if w is None else w for w in e.word_ids()]
                f.write("%s\t%d\t%s\t%s\t%s\n" % (name, ml, "\x01".join(words), " ".join(map(str, e["input_ids"])), " ".join(map(str, wid))))
shutil.rmtree(rdir)
print("tests/data/split_words.tsv:", 3 * 2 * len(sents), "lines")
