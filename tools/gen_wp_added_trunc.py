#!/usr/bin/env python3
"""WordPiece truncation around added tokens: tests/data/wp_added_trunc.tsv (tests/test_tokenizer.c).

tokenizers 0.23.2 decides which side of a pair is longer from the lengths at which it stopped tokenizing,
and it checks that stopping point after the model's words only, never right after an added token such as
[MASK]. Random pairs of words and [MASK] / [SEP] / [CLS] tokens, all three strategies, max_length 3..14,
with all-MiniLM-L6-v2's tokenizer.json ($MTL_SHARED or ../shared):
    /tmp/tok0232/bin/python tools/gen_wp_added_trunc.py      (tokenizers==0.23.2; never run by CI)
Each line: text TAB text_b TAB strategy:max_length TAB the ids (or "error" when HF refuses).
"""
import os
import random

from tokenizers import Tokenizer

shared = os.environ.get("MTL_SHARED", "../shared")
tok = Tokenizer.from_file(os.path.join(shared, "models/all-MiniLM-L6-v2/tokenizer.json"))
tok.no_padding()
rng = random.Random(5)
words = ["a", "b", "c", "d", "the", "cat", "qzxjv", "unbelievable", "[MASK]", "[MASK]", "[SEP]", "[CLS]", "hello", "world", "x"]
lines = []
for i in range(400):
    a = " ".join(rng.choice(words) for _ in range(rng.randrange(1, 9)))
    b = " ".join(rng.choice(words) for _ in range(rng.randrange(1, 9)))
    strat = ["longest_first", "only_first", "only_second"][i % 3]
    ml = rng.randrange(3, 15)
    tok.enable_truncation(max_length=ml, strategy=strat)
    try:
        ids = " ".join(map(str, tok.encode(a, b).ids))
    except Exception:
        ids = "error"
    lines.append("%s\t%s\t%s:%d\t%s\n" % (a, b, strat, ml, ids))
with open("tests/data/wp_added_trunc.tsv", "w") as f:
    f.writelines(lines)
print(len(lines), "cases")
