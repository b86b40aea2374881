#!/usr/bin/env python3
"""SentencePiece Unigram fixtures for mtl_tokenizer.h, from Hugging Face `tokenizers` 0.23.2.

Writes tests/data/unigram/: for each tokenizer NAME.json (its tokenizer.json) and NAME.jsonl, one encoding per
line in exactly the format of tests/data/bpe (written by the same functions of tools/gen_bpe_fixtures.py: id, cat,
text, text_b, ids, type_ids, word_ids, byte_offsets, sequence_ids (pairs), special_tokens_mask, decode
(skip_special_tokens=True), decode_all (False), no_special (pairs), truncated {"<strategy>:<max_length>": ...},
padded (truncation + padding to 32, pad id 1 "<pad>")), so tests/test_tokenizer_bpe.c's checker reads them as
they are; and normalize.jsonl (below). Every encoding is made by tokenizers 0.23.2 loading the file written
(Tokenizer.from_str of NAME.json).

  xlmr        A SentencePiece Unigram model trained here with the `sentencepiece` package (model_type unigram,
              vocab 3000, normalization_rule_name nmt_nfkc, character_coverage 0.9995: rare characters such
              as 친 침 커 피 하 학 화 😂 ꙮ are unknown) on SST-2 / IMDB / CoNLL-2003 text of ../shared, the
              multilingual sentences of tools/unigram_texts.py and the edge texts, then converted by
              transformers 5.24.0 the way it converts an XLM-R checkpoint that has only
              sentencepiece.bpe.model (`XLMRobertaTokenizer.from_pretrained(dir)`, then `save_pretrained`),
              and the tokenizer.json kept byte for byte (pretty-printed, as users' files are). It holds:
                normalizer     {"type":"Precompiled","precompiled_charsmap":"<base64 of the nmt_nfkc map>"}
                pre_tokenizer  {"type":"Sequence","pretokenizers":[{"type":"WhitespaceSplit"},
                               {"type":"Metaspace","replacement":"▁","prepend_scheme":"always","split":true}]}
                model          {"type":"Unigram","unk_id":3,"vocab":[[piece,score],...],"byte_fallback":false}:
                               <s> <pad> </s> <unk> (score 0), the spm pieces from spm id 3 on (id = spm id
                               + 1), <mask> last (id 3001, score 0)
                post_processor TemplateProcessing single <s>:0 $A:0 </s>:0, pair <s>:0 $A:0 </s>:0 </s>:0 $B:0
                               </s>:0, special_tokens <s>=[0] </s>=[2]
                decoder        {"type":"Metaspace","replacement":"▁","prepend_scheme":"always","split":true}
                added_tokens   <s> <pad> </s> <unk> <mask>: special, normalized false, lstrip / rstrip /
                               single_word false (transformers 5.x drops the lstrip of <mask> that 4.x files
                               have: see spm_real)
  spm_real    sentencepiece's own test model test/botchan_en_unigram_1000.model of the sentencepiece 0.2.3
              sdist (python/test/ in its repository; Apache-2.0): English, 1000 pieces, rule "nfkc", i.e. a
              real charsmap other than nmt_nfkc. The model part is what transformers' XLMRobertaConverter
              (convert_slow_tokenizer) builds: the XLM-R vocabulary shift, unk_id 3, <mask> appended, the
              template of xlmr; <mask> with lstrip true, as XLMRobertaTokenizerFast of transformers 4.x adds it.
              The rest is written as the multilingual-e5 / bge-m3 era files are (transformers 4.2x-4.35,
              tokenizers before `prepend_scheme`):
                normalizer     Sequence[Precompiled, Replace(Regex " {2,}" -> " ")]
                pre_tokenizer  {"type":"Metaspace","replacement":"▁","str_rep":"▁","add_prefix_space":true}
                decoder        the same legacy Metaspace (0.23.2 reads both as prepend_scheme always, split
                               true)
  uni_bf      Trained here with tokenizers' UnigramTrainer (vocab 2000, unk_token "<unk>", special tokens <s>
              <pad> </s> <unk> <mask> = ids 0-4) on the corpus without the Korean / Thai / Hindi / Bengali /
              Tamil / Georgian / Armenian / Amharic sentences and without the edge texts (those characters are
              not in the vocabulary), then the 256 pieces <0x00>..<0xFF> (score 0.0, ids 5-260, as
              SentencePiece's BYTE pieces) inserted and byte_fallback set to true:
                normalizer     Sequence[Precompiled (the charsmap of xlmr), Strip(left false, right true),
                               Replace(Regex " {2,}" -> "▁")] -- what transformers' SpmConverter.normalizer
                               writes (4.36 .. 5.24)
                pre_tokenizer  Metaspace(prepend_scheme "first", split true) (SpmConverter with legacy=False)
                post_processor TemplateProcessing as xlmr
                decoder        Sequence[Replace("▁" -> " "), ByteFallback, Fuse, Strip(" ", start 1, stop 0)]:
                               what transformers builds for a byte_fallback SentencePiece model with a dummy
                               prefix; the Metaspace decoder alone would leave "<0xED><0x95>..." as text.
              A literal "<0x41>" in the text is the piece <0x41> (the byte pieces are in the vocabulary like any
              other piece), decoded "A".
  uni_never   Trained here with UnigramTrainer (vocab 1500) on English and the Latin-script sentences only
              (Cyrillic, Greek, CJK, Arabic, ... unknown: a run of unknown characters is ONE <unk>), no
              byte_fallback:
                normalizer     null
                pre_tokenizer  Metaspace(prepend_scheme "never", split false) (pieces hold inner ▁: "a▁")
                post_processor TemplateProcessing pair <s>:0 $A:0 </s>:0 </s>:1 $B:1 </s>:1 (type ids 1 on B)
                decoder        Metaspace(prepend_scheme "never", split false)
                <mask>         special, lstrip true
  The trainer also learns "<mask>" from the text as an ordinary piece; the second copy is dropped (HF would map
  the string to the later id) and the added tokens' ids set to the vocabulary index (fix_vocab).

normalize.jsonl, for the normalizer and the pre-tokenizer alone, one line per text (the edge texts, 30
multilingual sentences, 40 random texts):
  {"text": ..., "normalized": xlmr's normalizer (Precompiled, nmt_nfkc): normalize_str(text),
   "normalized_nfkc": Precompiled with spm_real's charsmap (nfkc), alone: normalize_str(text),
   "pre": {"always" | "first" | "never": [[piece, [b0, b1], [o0, o1]], ...], "never:nosplit": same,
           "xlmr": [[piece, [b0, b1]], ...]}}
  always / first / never: Metaspace(replacement "▁", prepend_scheme, split true), never:nosplit: split false,
  xlmr: xlmr's own pre-tokenizer (WhitespaceSplit then Metaspace always); each on `normalized`. piece and
  [b0, b1] are pre_tokenize_str(normalized) with its offsets turned into UTF-8 byte offsets into `normalized`;
  [o0, o1] are the byte offsets into the original `text` of the same piece when xlmr's normalizer and that
  Metaspace run together (PreTokenizedString.get_splits("original", "byte")).

What tokenizers 0.23.2 does (checked here; the fixtures hold these cases):
 a) Precompiled works per extended grapheme cluster: a cluster shorter than 6 bytes is looked up whole and the
    WHOLE cluster is replaced by the replacement of the first (shortest) prefix match in the charsmap's trie;
    only when nothing matches is each char looked up alone. So "ﬁ\u0301" -> "fi" (the accent is dropped, both
    charsmaps), "²\u0301" -> "2", "Ａ\u0308" -> "A", "①\u0301" -> "1", "Ⅻ\u0301x" -> "XIIx",
    "a\u0308\u0323" -> "ä" (U+00E4: the dot below is dropped; SentencePiece itself keeps it); "e\u0301" -> "é".
    A cluster of 6 bytes or more goes char by char: "ﬁ\u0301\u0301" -> "fi\u0301\u0301".
 b) Alignments are those of NormalizedString::transform on the (char, change) list of the replacement: the
    replacement's chars get 0, except the last n of a longer one get +1 (inserted: they take the alignment of
    the char before) or the last char of a shorter one gets -n (it keeps the original char at its position; the
    removed chars' bytes are in no token). Same length: char i <-> char i. Byte offsets into the original:
      xlmr    "ﬁx"     -> ▁fi (0,3)  x (3,4)
              "x²y"    -> ▁ (0,1)  x (0,1)  2 (1,3)  y (3,4)     (the prepended ▁ has its char's offsets)
              "e\u0301" -> ▁ (0,1)  é (0,1)                       (bytes 1..3, the accent, in no token)
              "㈱abc"  -> ▁( (0,3)  株 (0,3)  ) (0,3)  a (3,4)  b (4,5)  c (5,6)
              "ＡＢＣ"  -> ▁ABC (0,9)
              "ﬁ\u0301" -> ▁fi (0,5)
      uni_bf  "ﬁ\u0301" -> ▁f (0,3)  i (3,5)                     (2 chars for 2: i <-> the accent)
              "ﬁx"     -> ▁f (0,3)  i (0,3)  x (3,4)           (i inserted: the alignment of f)
              "ＡＢＣ"  -> ▁A (0,3)  B (3,6)  C (6,9)
              "Ⅻ\u0301x" -> ▁ (0,3)  X (0,3)  I (3,5)  I (3,5)  x (5,6)
              "a  b"   -> ▁a (0,1)  ▁b (2,4)  (Replace " {2,}" -> "▁": the ▁ keeps the second space's bytes)
 c) prepend_scheme "first" prepends ▁ only to the split whose ORIGINAL offset is 0 (and not when it starts with
    ▁ already), so never after an added token: uni_bf "<mask>hello" -> <mask> h ell o,
    "hello <mask>world" -> ▁he ll o <mask> w or l d (the space before <mask> is removed by Strip: normalizers
    run on each piece between added tokens). "always" (xlmr): <mask> ▁ hello / ▁ hello <mask> ▁world.
    "never" never prepends (a space still becomes ▁). In a pair each sequence starts at its own offset 0 and
    gets the ▁.
 d) An unknown character with "unk_id": null (byte_fallback false, or true without the byte pieces) fails the
    whole encode: Exception "Encountered an unknown token but `unk_id` is missing". No fixture has this.
 Also: a legacy Metaspace {"add_prefix_space": false} without "prepend_scheme" does not load in 0.23.2
 ("add_prefix_space does not match declared prepend_scheme"); {"add_prefix_space": true} (with or without
 "str_rep") loads as prepend_scheme "always", split true. The token string of an unknown run is the text
 itself (Encoding.tokens shows the text, the id is unk_id). UnigramTrainer is not deterministic (two runs
 give different vocabularies, even single-threaded), so the committed uni_bf.json / uni_never.json are the
 reference: by default this script reuses the .json files in --out and only writes the .jsonl again;
 --rebuild-json makes all four again (xlmr and spm_real come out identical).

Reference: tokenizers 0.23.2 (as the BPE and WordPiece fixtures; 0.23.3 changed pair truncation). The JSON of
xlmr / spm_real made with transformers 5.24.0, sentencepiece 0.2.3, protobuf 7.36.2 (Python 3.11). Never run
by CI:
  python3 -m venv build/unifix-venv
  build/unifix-venv/bin/pip install tokenizers==0.23.2 transformers==5.24.0 sentencepiece==0.2.3 protobuf
  build/unifix-venv/bin/pip download sentencepiece==0.2.3 --no-binary :all: --no-deps -d build/spm-sdist
  build/unifix-venv/bin/python tools/gen_unigram_fixtures.py [--shared ../shared] [--rebuild-json]
"""
import argparse
import base64
import glob
import io
import json
import os
import random
import sys
import tarfile
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_bpe_fixtures import EDGE, encode_case, load_texts  # noqa: E402  (the same line format)
from unigram_texts import MULTI, multi_sentences  # noqa: E402

import tokenizers  # noqa: E402
from tokenizers import (AddedToken, PreTokenizedString, Regex, Tokenizer, models, normalizers,  # noqa: E402
                        pre_tokenizers, trainers)

SPECIALS = ["<s>", "<pad>", "</s>", "<unk>", "<mask>"]

# Normalizer and Metaspace edge cases, added to gen_bpe_fixtures' EDGE.
UNI_EDGE = [
    # NFKC-relevant: ligatures, fullwidth / halfwidth, fractions, super/subscripts, roman numerals, squared, circled
    "ﬁ ﬂ ﬃ ﬄ ﬀ ﬅ ﬆ", "ﬁx", "oﬃce ﬁnal ﬂow", "ＡＢＣ１２３ ｘｙｚ", "ＡＢＣ", "Ｈｅｌｌｏ　Ｗｏｒｌｄ！", "＜ｍａｓｋ＞",
    "ｶﾀｶﾅ ﾊﾝｶｸ ｶﾞｷﾞ ﾊﾟﾋﾟ ｰ", "ｶﾞ", "ﾊﾟ", "½ ¼ ¾ ⅓ ⅞ ² ³ ¹ ⁴ ₂ ₃", "x²y", "H₂O", "Ⅻ Ⅳ ⅻ ⅳ", "㈱abc",
    "㈱ ㈲ ㍻ ㎏ ㎞ ℃ № ™ ℡ ㋀ ㍿", "① ② ⑳ ⓐ Ⓐ ⑴ ⒈", "ㄱㄴㄷ ㅏㅑ ㅎ ㆍ", "ㄱㅏ", "µ Ω Å K ſ", "… ‥ ′ ″ ‼ ⁇",
    "𝐀𝐁𝐂 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝟘𝟙𝟚", "ﷺ", "ﷲ", "ﻻ ﻼ", "ǆ Ǆ ǅ", "ĳ Ĳ", "㌀ ㌔", "ℌ ℍ ℕ", "⁰¹²³⁴⁵⁶⁷⁸⁹", "Ⓢⓔⓒⓡⓔⓣ",
    # combining sequences and graphemes
    "e\u0301", "e\u0301\u0301", "cafe\u0301 re\u0301sume\u0301", "a\u0308\u0323", "a\u0323\u0308", "o\u0302\u0300",
    "ﬁ\u0301", "²\u0301", "Ａ\u0308", "①\u0301", "Ⅻ\u0301x", "ﬁ\u0301\u0301", "½\u0301", "ｶ\u3099", "\u0301",
    " \u0301", "\u0301abc", "x\u200dy", "base\u200d", "\u200dx", "\u1100\u1161\u11a8", "\u1100\u1161",
    "\u1100\u1161\u11a8\u1100\u1161", "가\u11a8", "A\u030a vs \u00c5 vs \u212b", "\u0928\u093f", "क्षत्रिय",
    "a\r\nb", "\r\n", "\r", "\n\r", "👍🏽", "👨\u200d👩\u200d👧\u200d👦", "🇺🇸🇫🇷", "🇺", "🇺🇸🇫", "🏳\ufe0f\u200d🌈",
    "❤\ufe0f", "☺\ufe0e", "1\ufe0f\u20e3", "a\u20dd", "ก\u0e33", "ำ", "ผู้ใหญ่", "\u0f40\u0fb2",
    # spaces
    " ", "  ", "   ", " " * 10, "a b", "a  b", "a   b", "a" + " " * 20 + "b", "  lead", "trail  ", " both ",
    "\t", "a\tb", "a\t\tb", " \t ", "a\nb", "a\n\nb", "a \n b", "\u00a0", "a\u00a0b", "a\u00a0\u00a0b",
    "\u3000x", "x\u3000\u3000y", "\u2002en\u2003em\u2009thin\u200ahair", "\u202fnarrow", "\u205fmath", "\u1680ogham",
    "\u2028", "\u2029", "\x0b\x0c", "\x1c\x1d\x1e\x1f", "a \u00a0 b", "  a  b  ", "\u00a0 \u00a0",
    # the replacement char itself
    "▁", "▁▁", "▁hello", "hello▁world", "a ▁ b", "▁ ", " ▁", "▁▁▁ ▁", "▁<mask>▁", "_underscore_",
    # specials literally in the text
    "<unk>", "<s>", "</s>", "<pad>", "a<unk>b", "<s> hello </s>", "hello <mask>world", "<mask>hello", "hello<mask>",
    "<mask> <mask>", "  <mask>", "<mask>  ", "x <mask> y", " <mask>", "<mask>\u3000x", "<MASK> <Mask>", "<0x41>",
    "<0x41><0xE2>", "<0xZZ>", "<0x0A>x",
    # zero-width, format and control characters
    "\u200b", "a\u200bb", "\u200c\u200d", "\ufeff", "a\ufeffb", "\u2060word\u2060joiner", "soft\u00adhyphen",
    "\u180emongolian", "\u200e\u200f", "\u202a\u202e", "\x00", "a\x00b", "\x01\x02\x1f", "\x7f", "\x80\x9f",
    "\x85", "a\x85b", "\ue000\ue001", "\U000f0000", "\ufffd", "\ufffe\uffff",
    # all unknown (or mostly) in at least one tokenizer
    "😀😀😀", "😀 😀", "𐍈𐌰𐌹", "ꙮ", "ⴰⵣⵓⵍ", "ᚠᚢᚦ", "\U0001f9ff\U0001fae0", "☃☃", "ᠮᠣᠩ", "ꦗꦮ", "𓀀𓀁",
    "x😀y", "😀x😀", "中文😀한국어", "Привет😀мир",
    # long words
    "a" * 300, "ab" * 150, "中" * 100, "▁" * 40, "x" + "\u0301" * 30, "ﬁ" * 50, " " * 60,
    "pneumonoultramicroscopicsilicovolcanoconiosis", "Donaudampfschifffahrtsgesellschaftskapitän",
]

RANDOM_POOL = [" ", "  ", "   ", "\t", "\n", "\r\n", "\u00a0", "\u3000", "\u200b", "\u200d", "\ufeff", "\x00", "\x85",
               "a", "e", "the", "ing", "Z", "é", "e\u0301", "\u0301", "\u0308", "ß", "Ω", "ж", "Привет", "中", "の", "カ",
               "ｶ", "ﾞ", "한", "\u1100", "\u1161", "\u11a8", "ㄱ", "ﬁ", "ﬂ", "Ａ", "１", "½", "²", "Ⅻ", "㈱", "①", "▁",
               "<mask>", "<s>", "</s>", "<unk>", "<pad>", "<0x41>", "😀", "🏽", "🇺", "🇸", "'s", "!", ".", ",", "-",
               "hello", " world", "ไทย", "ำ", "हि", "ع", "ש", "ǅ", "ʰ", "\U0001d400", "\ue000", "x", "1", "٣"]


def random_text(rng, n):
    return "".join(rng.choice(RANDOM_POOL) for _ in range(n))


def spm_train(corpus, path):
    import sentencepiece as spm
    spm.set_random_generator_seed(13)
    f = io.BytesIO()
    spm.SentencePieceTrainer.train(sentence_iterator=iter(corpus), model_writer=f, model_type="unigram",
                                   vocab_size=3000, character_coverage=0.9995, normalization_rule_name="nmt_nfkc",
                                   num_threads=1, minloglevel=2)
    with open(path, "wb") as out:
        out.write(f.getvalue())


def xlmr_json(corpus, work):
    """The tokenizer.json transformers writes for an XLM-R directory with only sentencepiece.bpe.model."""
    from transformers import XLMRobertaTokenizer
    d = os.path.join(work, "xlmr_spm")
    os.makedirs(d, exist_ok=True)
    spm_train(corpus, os.path.join(d, "sentencepiece.bpe.model"))
    t = XLMRobertaTokenizer.from_pretrained(d)
    out = os.path.join(work, "xlmr_saved")
    t.save_pretrained(out)
    with open(os.path.join(out, "tokenizer.json"), encoding="utf-8") as f:
        return f.read()


def spm_real_json(model_path):
    """botchan_en_unigram_1000.model through transformers' XLMRobertaConverter, rewritten to the e5-era JSON."""
    from transformers.convert_slow_tokenizer import XLMRobertaConverter

    class Stub:   # what the converter reads of the slow tokenizer
        vocab_file = model_path
        add_prefix_space = True

        def convert_tokens_to_ids(self, t):
            return {"<s>": 0, "</s>": 2}[t]

    tok = XLMRobertaConverter(Stub()).converted()
    tok.add_special_tokens([AddedToken(t, normalized=False, special=True) for t in ["<s>", "</s>", "<unk>", "<pad>"]]
                           + [AddedToken("<mask>", lstrip=True, normalized=False, special=True)])
    j = json.loads(tok.to_str())
    assert j["normalizer"]["normalizers"][0]["type"] == "Precompiled", j["normalizer"]
    charsmap = j["normalizer"]["normalizers"][0]["precompiled_charsmap"]
    j["normalizer"] = {"type": "Sequence", "normalizers": [
        {"type": "Precompiled", "precompiled_charsmap": charsmap},
        {"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": " "}]}
    legacy = {"type": "Metaspace", "replacement": "▁", "str_rep": "▁", "add_prefix_space": True}
    j["pre_tokenizer"] = dict(legacy)
    j["decoder"] = dict(legacy)
    return json.dumps(j, ensure_ascii=False, separators=(",", ":"))


def template(pair_b_type):
    sp = {"<s>": {"id": "<s>", "ids": [0], "tokens": ["<s>"]}, "</s>": {"id": "</s>", "ids": [2], "tokens": ["</s>"]}}
    b = pair_b_type
    return {"type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                       {"SpecialToken": {"id": "</s>", "type_id": 0}}],
            "pair": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                     {"SpecialToken": {"id": "</s>", "type_id": 0}}, {"SpecialToken": {"id": "</s>", "type_id": b}},
                     {"Sequence": {"id": "B", "type_id": b}}, {"SpecialToken": {"id": "</s>", "type_id": b}}],
            "special_tokens": sp}


def fix_vocab(j):
    """The trainer also learns "<mask>" etc. from the corpus text, a second piece of the same string (HF then maps
    the string to the later id): keep the first, and set the added tokens' ids to their vocabulary index."""
    seen, vocab = set(), []
    for p, score in j["model"]["vocab"]:
        if p not in seen:
            seen.add(p)
            vocab.append([p, score])
    j["model"]["vocab"] = vocab
    index = {p: i for i, (p, _) in enumerate(vocab)}
    for a in j["added_tokens"]:
        a["id"] = index[a["content"]]


def uni_bf_json(corpus, charsmap):
    t = Tokenizer(models.Unigram())
    # The normalizer transformers' SpmConverter.normalizer writes (convert_slow_tokenizer, 4.36 .. 5.24).
    t.normalizer = normalizers.Sequence([normalizers.Precompiled(base64.b64decode(charsmap)),
                                         normalizers.Strip(left=False, right=True),
                                         normalizers.Replace(Regex(" {2,}"), "▁")])
    t.pre_tokenizer = pre_tokenizers.Metaspace(prepend_scheme="first", split=True)
    tr = trainers.UnigramTrainer(vocab_size=2000, special_tokens=SPECIALS, unk_token="<unk>", show_progress=False)
    t.train_from_iterator(corpus, tr)
    j = json.loads(t.to_str())
    m = j["model"]
    assert [p for p, _ in m["vocab"][:5]] == SPECIALS and m["unk_id"] == 3
    m["vocab"] = m["vocab"][:5] + [["<0x%02X>" % b, 0.0] for b in range(256)] + m["vocab"][5:]
    m["byte_fallback"] = True
    fix_vocab(j)
    j["post_processor"] = template(0)
    j["decoder"] = {"type": "Sequence", "decoders": [
        {"type": "Replace", "pattern": {"String": "▁"}, "content": " "}, {"type": "ByteFallback"}, {"type": "Fuse"},
        {"type": "Strip", "content": " ", "start": 1, "stop": 0}]}
    return json.dumps(j, ensure_ascii=False, separators=(",", ":"))


def uni_never_json(corpus):
    t = Tokenizer(models.Unigram())
    t.pre_tokenizer = pre_tokenizers.Metaspace(prepend_scheme="never", split=False)
    tr = trainers.UnigramTrainer(vocab_size=1500, special_tokens=SPECIALS, unk_token="<unk>", show_progress=False)
    t.train_from_iterator(corpus, tr)
    j = json.loads(t.to_str())
    assert [p for p, _ in j["model"]["vocab"][:5]] == SPECIALS and j["model"]["unk_id"] == 3
    fix_vocab(j)
    for a in j["added_tokens"]:
        if a["content"] == "<mask>":
            a["lstrip"] = True
    j["post_processor"] = template(1)
    j["decoder"] = {"type": "Metaspace", "replacement": "▁", "prepend_scheme": "never", "split": False}
    return json.dumps(j, ensure_ascii=False, separators=(",", ":"))


def utf8_pre(s):
    pre = [0]
    for ch in s:
        pre.append(pre[-1] + len(ch.encode("utf-8")))
    return pre


def normalize_line(text, norm, norm_nfkc, xlmr_pre):
    normalized = norm.normalize_str(text)
    d = {"text": text, "normalized": normalized, "normalized_nfkc": norm_nfkc.normalize_str(text), "pre": {}}
    pre = utf8_pre(normalized)
    for scheme, split in (("always", True), ("first", True), ("never", True), ("never", False)):
        if True:
            mp = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme=scheme, split=split)
            a = mp.pre_tokenize_str(normalized)
            pts = PreTokenizedString(text)
            pts.normalize(lambda ns: norm.normalize(ns))
            mp.pre_tokenize(pts)
            b = pts.get_splits(offset_referential="original", offset_type="byte")
            assert [s for s, _ in a] == [s[0] for s in b], (text, a, b)
            d["pre"][scheme + ("" if split else ":nosplit")] = [[s, [pre[x], pre[y]], list(o)]
                                                                 for (s, (x, y)), (_, o, _t) in zip(a, b)]
    a = xlmr_pre.pre_tokenize_str(normalized)
    d["pre"]["xlmr"] = [[s, [pre[x], pre[y]]] for s, (x, y) in a]
    return d


def cases_for(name, r2, sst, imdb, conll, multi, extra):
    big = name == "xlmr"
    cases = [("edge", t, None) for t in EDGE + UNI_EDGE + extra]
    cases += [("multi", t, None) for t in r2.sample(multi, 60 if big else 30)]
    cases += [("sst2", t, None) for t in r2.sample(sst, 6 if big else 4)]
    cases += [("imdb", t[:200], None) for t in r2.sample(imdb, 2)]
    cases += [("conll", t, None) for t in r2.sample(conll, 4 if big else 3)]
    cases += [("random", random_text(r2, r2.randint(1, 30)), None) for _ in range(40 if big else 30)]
    pool_a = EDGE + UNI_EDGE + multi[:80] + sst[:50]
    pool_b = UNI_EDGE + multi[80:] + conll[:50]
    for _ in range(20 if big else 16):
        cases.append(("pair", r2.choice(pool_a + [random_text(r2, 10)]), r2.choice(pool_b + [random_text(r2, 10)])))
    for _ in range(20 if big else 16):
        cases.append(("pairtrunc", random_text(r2, r2.randint(4, 14)), random_text(r2, r2.randint(4, 14))))
    return cases


NAMES = ("xlmr", "spm_real", "uni_bf", "uni_never")


def build_jsons(args, sst, imdb, conll, rng):
    """The four tokenizer.json texts (needs transformers, sentencepiece and the sentencepiece sdist)."""
    import transformers
    if transformers.__version__ != "5.24.0":
        print("warning: transformers %s, the docstring describes 5.24.0" % transformers.__version__)
    multi = multi_sentences()
    # The spm / trainer corpora: English, the multilingual sentences repeated, the edge and random texts.
    rnd = [random_text(rng, 30) for _ in range(300)]
    base = sst[:8000] + [t[:1500] for t in imdb[:300]] + conll[:3000]
    far = {"ko", "th", "hi", "bn", "ta", "ka", "hy", "am"}
    latin = {"de", "fr", "es", "it", "pt", "nl", "pl", "cs", "tr", "vi", "id", "sw"}
    corpus_xlmr = base + multi * 25 + EDGE * 5 + UNI_EDGE * 2 + rnd
    corpus_bf = base + [s for k in sorted(MULTI) if k not in far for s in MULTI[k]] * 10
    corpus_never = base + [s for k in sorted(latin) for s in MULTI[k]] * 10
    tar = glob.glob(os.path.join(args.spm_sdist, "sentencepiece-0.2.3.tar.gz"))
    if not tar:
        raise SystemExit("no sentencepiece-0.2.3.tar.gz in %s (see the docstring)" % args.spm_sdist)
    with tempfile.TemporaryDirectory() as work:
        with tarfile.open(tar[0]) as tf:
            m = tf.extractfile("sentencepiece-0.2.3/test/botchan_en_unigram_1000.model")
            if m is None:
                raise SystemExit("botchan_en_unigram_1000.model not in the sdist")
            botchan = os.path.join(work, "botchan.model")
            with open(botchan, "wb") as f:
                f.write(m.read())
        jsons = {"xlmr": xlmr_json(corpus_xlmr, work)}
        charsmap = json.loads(jsons["xlmr"])["normalizer"]["precompiled_charsmap"]
        jsons["spm_real"] = spm_real_json(botchan)
        jsons["uni_bf"] = uni_bf_json(corpus_bf, charsmap)
        jsons["uni_never"] = uni_never_json(corpus_never)
    return jsons


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=os.path.join(here, "../../shared"))
    ap.add_argument("--spm-sdist", default=os.path.join(here, "../build/spm-sdist"),
                    help="directory with sentencepiece-0.2.3.tar.gz (pip download --no-binary :all:)")
    ap.add_argument("--out", default=os.path.join(here, "../tests/data/unigram"))
    ap.add_argument("--rebuild-json", action="store_true",
                    help="build the tokenizer.json files again (uni_bf / uni_never then differ: see the docstring)")
    args = ap.parse_args()
    if tokenizers.__version__ != "0.23.2":
        raise SystemExit("tokenizers %s: the fixtures are made with 0.23.2 (see the docstring)" % tokenizers.__version__)
    rng = random.Random(13)
    sst, imdb, conll = load_texts(args.shared, rng)
    multi = multi_sentences()
    os.makedirs(args.out, exist_ok=True)
    paths = {n: os.path.join(args.out, n + ".json") for n in NAMES}
    if args.rebuild_json or not all(os.path.exists(p) for p in paths.values()):
        for n, js in build_jsons(args, sst, imdb, conll, rng).items():
            with open(paths[n], "w", encoding="utf-8") as f:
                f.write(js)
    extra = {"uni_bf": ["<0x41>", "<0xe2>", "a<0x41>b", "<0x41><0x42>", "<0xE2><0x82><0xAC>"]}
    for seed, name in enumerate(NAMES):
        with open(paths[name], encoding="utf-8") as f:
            tok = Tokenizer.from_str(f.read())
        for a in json.loads(tok.to_str())["added_tokens"]:
            assert tok.token_to_id(a["content"]) == a["id"] and tok.id_to_token(a["id"]) == a["content"], (name, a)
        r2 = random.Random(100 + seed)
        out = []
        for i, (cat, a, b) in enumerate(cases_for(name, r2, sst, imdb, conll, multi, extra.get(name, []))):
            trunc = b is not None or r2.random() < 0.1 or cat == "edge" and len(a) > 40
            out.append(json.dumps(encode_case(tok, "%s-%d" % (name, i), cat, a, b, r2, trunc), ensure_ascii=True,
                                  separators=(",", ":")))
        with open(os.path.join(args.out, name + ".jsonl"), "w", encoding="utf-8") as f:
            f.write("\n".join(out) + "\n")
        print(name, len(out), "cases, tokenizers", tokenizers.__version__)
    # The normalizer and the Metaspace pre-tokenizer alone.
    xt = Tokenizer.from_file(paths["xlmr"])
    norm, xlmr_pre = xt.normalizer, xt.pre_tokenizer
    with open(paths["spm_real"], encoding="utf-8") as f:
        cm = json.load(f)["normalizer"]["normalizers"][0]["precompiled_charsmap"]
    norm_nfkc = normalizers.Precompiled(base64.b64decode(cm))
    r3 = random.Random(99)
    texts = EDGE + UNI_EDGE + r3.sample(multi, 30) + [random_text(r3, r3.randint(1, 25)) for _ in range(40)]
    with open(os.path.join(args.out, "normalize.jsonl"), "w", encoding="utf-8") as f:
        for t in texts:
            f.write(json.dumps(normalize_line(t, norm, norm_nfkc, xlmr_pre), ensure_ascii=True, separators=(",", ":")) + "\n")
    print("normalize", len(texts), "texts")


if __name__ == "__main__":
    main()
