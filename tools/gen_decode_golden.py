#!/usr/bin/env python3
"""Writes tests/golden/decode_uncased.tsv: ids <TAB> hex(UTF-8 of the decoded text), where the text is what
Hugging Face transformers' BertTokenizerFast.decode(ids, skip_special_tokens=True,
clean_up_tokenization_spaces=True) returns for the all-MiniLM-L6-v2 tokenizer. Reference only; not run by
the tests.  Usage: python3 tools/gen_decode_golden.py [SHARED_DIR]   (pip install transformers)"""
import json, os, random, sys
from transformers import BertTokenizerFast

shared = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("MTL_SHARED", "../shared")
tok = BertTokenizerFast.from_pretrained(os.path.join(shared, "models/all-MiniLM-L6-v2"))
texts = ["Hello, world!", "I can't believe it's already December!", "We're here; you've seen it, haven't you?",
         "Don't do not stop . Really ?", "x[MASK]y and [CLS] tokens", "The café served crème brûlée.",
         "naïve 中文 テスト 한국어", "a , b . c ! d ? e ' f", "unbelievably tokenization", "It 's a 'quoted' word ."]
random.seed(3)
for line in open(os.path.join(shared, "fixtures/tokenizer/uncased.jsonl")):
    r = json.loads(line)
    if r["cat"] in ("english_plain", "english_template", "ascii_punct", "wordpiece", "special_literal", "accents"):
        texts.append(r["text"])
rows = []
for t in texts:
    ids = tok(t)["input_ids"]
    rows.append((ids, tok.decode(ids, skip_special_tokens=True, clean_up_tokenization_spaces=True)))
# a few raw id sequences, including [PAD] and ids that are ## pieces at the start
rows.append(([101, 7592, 0, 0, 102, 0], tok.decode([101, 7592, 0, 0, 102, 0], skip_special_tokens=True, clean_up_tokenization_spaces=True)))
rows.append(([2015, 7592, 2015, 1005, 1055], tok.decode([2015, 7592, 2015, 1005, 1055], skip_special_tokens=True, clean_up_tokenization_spaces=True)))
os.makedirs("tests/golden", exist_ok=True)
with open("tests/golden/decode_uncased.tsv", "w") as f:
    for ids, text in rows:
        f.write(" ".join(map(str, ids)) + "\t" + text.encode("utf-8").hex() + "\n")
print("wrote", len(rows), "rows")
