#!/usr/bin/env python3
"""Byte-level BPE fixtures from a REAL vocabulary: GPT-2's (50,257 tokens, 50,000 merges), for
tests/test_tokenizer_bpe.c, made by Hugging Face `tokenizers` 0.23.2.

Source of the vocabulary: models/ggml-vocab-gpt-2.gguf of llama.cpp, vendored in the sdist of the PyPI package
llama-cpp-python 0.3.36 (llama_cpp_python-0.3.36/vendor/llama.cpp/models/; llama.cpp and llama-cpp-python are
MIT). The file holds GPT-2's encoder and merges as OpenAI published them (github.com/openai/gpt-2, MIT,
Copyright (c) 2019 OpenAI): tokenizer.ggml.tokens (the byte-level strings of encoder.json, id = index),
tokenizer.ggml.merges (vocab.bpe without its header line, "a b" by rank), tokenizer.ggml.token_type (50256
<|endoftext|> is CONTROL, the rest NORMAL). Read with the `gguf` package (PyPI, 0.19.0). Checked here: every
token's bytes equal the same rank of whisper/assets/gpt2.tiktoken in the openai-whisper 20250625 sdist (MIT,
OpenAI) when that file is given (--whisper-sdist), and merge i makes token 256 + i, as in GPT-2.

Two tokenizers of that ONE vocabulary; only roberta_real.json is committed (each is ~1.36 MB), gpt2_real's
is made from it by three exact text replacements (derive_gpt2 below; tests/test_tokenizer_bpe.c does the
same in C):

  gpt2_real     what transformers' GPT2Converter builds for gpt2 (the hub's tokenizer.json):
                  model           BPE, vocab = the 50,257 tokens, merges as "a b" strings (as the hub files
                                  write them), dropout null, unk_token null, continuing_subword_prefix "",
                                  end_of_word_suffix "", fuse_unk false
                  pre_tokenizer   ByteLevel(add_prefix_space false)      decoder ByteLevel
                  post_processor  ByteLevel(trim_offsets FALSE) -- GPT2Converter writes
                                  processors.ByteLevel(trim_offsets=False) ("doesn't really do anything"):
                                  token offsets keep their leading space ("Ġworld" -> " world")
                  added_tokens    <|endoftext|> (50256, special)
                Padding in the fixtures: pad id 50256 "<|endoftext|>" (GPT-2 has no pad token; users set
                pad_token = eos_token), i.e. mtl's option pad_token = "<|endoftext|>".
  roberta_real  RoBERTa's pipeline on the same ids (roberta-base's ids are GPT-2's remapped by fairseq's
                dictionary, which no PyPI package here ships; so not roberta-base's ids): the GPT-2 vocab plus
                <s> 50257, <pad> 50258, </s> 50259, <unk> 50260, <mask> 50261 (in the model vocab and added
                as special tokens, <mask> with lstrip true, as roberta-base), post_processor
                RobertaProcessing(sep </s> 50259, cls <s> 50257, trim_offsets true, add_prefix_space false)
                (what transformers' RobertaConverter writes); <|endoftext|> stays a plain vocab entry (not an
                added token). Padding: 50258 "<pad>".
  derive_gpt2(roberta_real.json) = gpt2_real's tokenizer.json byte for byte (asserted): the five vocab
  entries removed, added_tokens and post_processor replaced.

Cases (the same texts for both, ~400 each), written by tools/gen_bpe_fixtures.py's encode_case (the jsonl
format of tests/data/bpe): edge = gen_bpe_fixtures' EDGE, the 46 test texts of llama.cpp's .gguf.inp and
REAL_EDGE below; multi = sentences of tools/unigram_texts.py; sst2 / imdb / conll of ../shared/data;
random; pair; pairtrunc.

llama.cpp's ggml-vocab-gpt-2.gguf.out holds, for each .inp text, transformers' AutoTokenizer("gpt2")
.encode(text, add_special_tokens=False) (convert_hf_to_gguf_update.py): this script compares gpt2_real's
encodings with it and prints how many agree.

Never run by CI:
  build/unifix-venv/bin/pip install gguf==0.19.0      # the venv of tools/gen_unigram_fixtures.py (tokenizers 0.23.2)
  build/unifix-venv/bin/pip download llama-cpp-python==0.3.36 --no-binary :all: --no-deps -d build/llama-sdist
  build/unifix-venv/bin/pip download openai-whisper==20250625 --no-binary :all: --no-deps -d build/whisper-sdist
  build/unifix-venv/bin/python tools/gen_real_bpe_fixtures.py [--shared ../shared]
"""
import argparse
import base64
import glob
import json
import os
import random
import sys
import tarfile
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_bpe_fixtures import EDGE, encode_case, load_texts  # noqa: E402  (the same line format)
from unigram_texts import multi_sentences  # noqa: E402

import tokenizers  # noqa: E402
from tokenizers import AddedToken, Tokenizer, decoders, models, pre_tokenizers, processors  # noqa: E402

LLAMA = "llama_cpp_python-0.3.36"
GGUF_MEMBER = LLAMA + "/vendor/llama.cpp/models/ggml-vocab-gpt-2.gguf"
ROBERTA_SPECIALS = ["<s>", "<pad>", "</s>", "<unk>", "<mask>"]   # ids 50257 .. 50261
EOT = "<|endoftext|>"

# What changes from roberta_real.json to gpt2_real's tokenizer.json (exact texts; tests/test_tokenizer_bpe.c).
ROBERTA_VOCAB_TAIL = ',"<s>":50257,"<pad>":50258,"</s>":50259,"<unk>":50260,"<mask>":50261}'
ROBERTA_ADDED = '"added_tokens":[' + ",".join(
    '{"id":%d,"content":"%s","single_word":false,"lstrip":%s,"rstrip":false,"normalized":false,"special":true}'
    % (50257 + k, t, "true" if t == "<mask>" else "false") for k, t in enumerate(ROBERTA_SPECIALS)) + "]"
GPT2_ADDED = ('"added_tokens":[{"id":50256,"content":"<|endoftext|>","single_word":false,"lstrip":false,"rstrip":false,'
              '"normalized":false,"special":true}]')
ROBERTA_POST = ('"post_processor":{"type":"RobertaProcessing","sep":["</s>",50259],"cls":["<s>",50257],"trim_offsets":true,'
                '"add_prefix_space":false}')
GPT2_POST = '"post_processor":{"type":"ByteLevel","add_prefix_space":true,"trim_offsets":false,"use_regex":true}'

# Text that the real vocabulary makes interesting (long merge chains, GPT-2's odd tokens, its regex).
REAL_EDGE = [
    EOT, "a<|endoftext|>b", " <|endoftext|> ", "<|endoftext|><|endoftext|>", "Hello<|endoftext|> world", "<|endoftext",
    "<|endoftext|", "<|ENDOFTEXT|>", "<s> <|endoftext|> </s> <mask>", "text\n<|endoftext|>\nnext",
    " SolidGoldMagikarp", "SolidGoldMagikarp", " davidjl", " TheNitromeFan", "rawdownloadcloneembedreportprint",
    "ÃÂÃÂÃÂÃÂ", " petertodd", "ĠĠ Ġthe Ċ", "'S 'T 'RE 'VE 'M 'LL 'D", "I'M YOU'RE WE'LL", "can't won't shouldn't've y'all",
    "\u2019s curly \u2018quotes\u2019 \u201cdouble\u201d", "def f(x):\n    return x ** 2\n",
    "for (int i = 0; i < n; i++) {\n\tsum += a[i];\n}", '{"key": [1, 2.5, null], "k2": "v\\n"}',
    '<html><body class="x">Hi &amp; bye</body></html>', "https://github.com/huggingface/tokenizers/blob/main/README.md?a=1#L10",
    "user.name+tag@example.co.uk", "2024-01-02T03:04:05Z", "1234567890123456789012345678901234567890",
    "3.14159265358979323846", "  \n\n  indented\n\t\ttabs", "word\n\n\n\nword", "     five spaces", "a     b",
    "\r\n\r\n", "hello\u00a0\u00a0world", "ＡＢＣ fullwidth １２３", "Ⅰ Ⅱ Ⅲ ⅳ", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝐛𝐨𝐥𝐝",
    "👨\u200d👩\u200d👧\u200d👦 family", "🏳\ufe0f\u200d🌈", "ﷺ", "\u0301accent first", "Zalgo: Z\u0334\u0321\u032aa\u0337\u0319l",
    "antidisestablishmentarianism", "pneumonoultramicroscopicsilicovolcanoconiosis",
    "Donaudampfschifffahrtsgesellschaftskapitän", " " * 40 + "x", "x" + " " * 40, "!" * 50, "." * 33, "-" * 80,
    "=" * 64, "é" * 50, "中文" * 30, "😀" * 20, "a\u200bb\u200cc\u200dd", "\ue000\uffff\U0010ffff", "\x00\x01\x02 \x1b[0m",
    " the The THE tHe", "Mr. O'Neil's dog's bone", "e.g. i.e. etc. a.m. p.m.", "#hashtag @mention $TSLA 50% off!!!",
]

RANDOM_POOL = [" ", "  ", "   ", "\t", "\n", "\r\n", "\u00a0", "\u3000", "a", "Z", "é", "ß", "Ω", "ж", "中", "の", "한",
               "1", "23", "456", "٣", "½", "'", "'s", "'S", "'ll", "'re", "!", ".", ",", "-", "?!", "😀", "🏽", "\u200b",
               "\u0301", "<mask>", "<s>", "</s>", "<pad>", EOT, "<|", "|>", "x", "hello", " world", "ing", "The", " the",
               "\x00", "\x85", "\u2028", "\U0001d400", "ǅ", "ʰ", "Ġ", "Ċ", "ÃÂ", " SolidGoldMagikarp", "http://", ".com"]


def random_text(rng, n):
    return "".join(rng.choice(RANDOM_POOL) for _ in range(n))


def llama_member(args, suffix=""):
    """The bytes of models/ggml-vocab-gpt-2.gguf<suffix>: from the sdist tarball, or from an extracted copy."""
    tars = glob.glob(os.path.join(args.llama_sdist, LLAMA + ".tar.gz"))
    if tars:
        with tarfile.open(tars[0]) as tf:
            f = tf.extractfile(GGUF_MEMBER + suffix)
            return f.read()
    path = os.path.join(args.llama_sdist, GGUF_MEMBER + suffix)
    if not os.path.exists(path):
        raise SystemExit("no %s.tar.gz (or extracted %s) in %s: see the docstring" % (LLAMA, GGUF_MEMBER, args.llama_sdist))
    with open(path, "rb") as f:
        return f.read()


def read_gguf(data):
    import gguf
    with tempfile.NamedTemporaryFile(suffix=".gguf") as tmp:
        tmp.write(data)
        tmp.flush()
        r = gguf.GGUFReader(tmp.name)
        f = r.fields
        assert f["tokenizer.ggml.model"].contents() == "gpt2" and f["tokenizer.ggml.pre"].contents() == "gpt-2"
        toks = list(f["tokenizer.ggml.tokens"].contents())
        merges = list(f["tokenizer.ggml.merges"].contents())
        types = list(f["tokenizer.ggml.token_type"].contents())
    assert len(toks) == 50257 and len(merges) == 50000 and toks[50256] == EOT
    assert [i for i, t in enumerate(types) if t != 1] == [50256] and types[50256] == 3   # CONTROL
    assert len(set(toks)) == len(toks)
    for i, m in enumerate(merges):   # GPT-2's vocab: the 256 byte chars, then one token per merge, in rank order
        a, b = m.split(" ")
        assert a + b == toks[256 + i], (i, m)
    return toks, merges


def bytes_to_unicode():
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs, n = bs[:], 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, map(chr, cs)))


def check_whisper(toks, whisper_sdist):
    tars = glob.glob(os.path.join(whisper_sdist, "openai_whisper-*.tar.gz"))
    if not tars:
        print("no openai_whisper sdist in %s: tokens not checked against gpt2.tiktoken" % whisper_sdist)
        return
    with tarfile.open(tars[0]) as tf:
        name = [m for m in tf.getnames() if m.endswith("whisper/assets/gpt2.tiktoken")][0]
        lines = tf.extractfile(name).read().split(b"\n")
    u2b = {v: k for k, v in bytes_to_unicode().items()}
    ranks = {}
    for line in lines:
        if line.strip():
            t, r = line.split()
            ranks[int(r)] = base64.b64decode(t)
    assert sorted(ranks) == list(range(50256))
    bad = [i for i in range(50256) if bytes(u2b[c] for c in toks[i]) != ranks[i]]
    assert not bad, bad[:10]
    print("tokens 0..50255 = %s (%d ranks)" % (os.path.basename(tars[0]) + ":" + name.split("/", 1)[1], len(ranks)))


def build(vocab, merges, post):
    t = Tokenizer(models.BPE(vocab=vocab, merges=[tuple(m.split(" ")) for m in merges], dropout=None,
                             continuing_subword_prefix="", end_of_word_suffix="", fuse_unk=False))
    t.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    t.decoder = decoders.ByteLevel()
    t.post_processor = post
    return t


def to_json(t):
    j = json.loads(t.to_str())
    j["model"]["merges"] = [" ".join(m) for m in j["model"]["merges"]]   # "a b", as the hub's gpt2 / roberta-base
    return json.dumps(j, ensure_ascii=False, separators=(",", ":"))


def gpt2_json(toks, merges):
    """transformers' GPT2Converter (convert_slow_tokenizer.py) + the <|endoftext|> special token."""
    t = build({s: i for i, s in enumerate(toks)}, merges, processors.ByteLevel(trim_offsets=False))
    t.add_special_tokens([AddedToken(EOT, special=True)])
    return to_json(t)


def roberta_json(toks, merges):
    """transformers' RobertaConverter on the GPT-2 ids, the RoBERTa special tokens after them."""
    vocab = {s: i for i, s in enumerate(toks)}
    for k, s in enumerate(ROBERTA_SPECIALS):
        vocab[s] = 50257 + k
    t = build(vocab, merges, processors.RobertaProcessing(("</s>", 50259), ("<s>", 50257), trim_offsets=True,
                                                          add_prefix_space=False))
    t.add_special_tokens([AddedToken(s, special=True, lstrip=(s == "<mask>")) for s in ROBERTA_SPECIALS])
    return to_json(t)


def replace_once(s, a, b):
    assert s.count(a) == 1, a
    return s.replace(a, b)


def derive_gpt2(roberta):
    """gpt2_real's tokenizer.json from roberta_real.json (what tests/test_tokenizer_bpe.c does)."""
    s = replace_once(roberta, ROBERTA_VOCAB_TAIL, "}")
    s = replace_once(s, ROBERTA_ADDED, GPT2_ADDED)
    return replace_once(s, ROBERTA_POST, GPT2_POST)


def compare_llama(tok, args):
    sep = "\n__ggml_vocab_test__\n"
    inp = llama_member(args, ".inp").decode("utf-8").split(sep)
    assert inp[-1] == ""
    texts = inp[:-1]
    outs = llama_member(args, ".out").decode("utf-8").split("\n")
    assert outs[-1] == "" and len(outs) - 1 == len(texts), (len(outs), len(texts))
    agree = 0
    for t, o in zip(texts, outs):
        want = [int(x) for x in o.split()]
        got = tok.encode(t, add_special_tokens=False).ids
        if got == want:
            agree += 1
        else:
            print("  llama.cpp .out differs: %r: .out %s, tokenizers %s" % (t, want, got))
    print("llama.cpp ggml-vocab-gpt-2.gguf.inp/.out: %d of %d texts agree with gpt2_real" % (agree, len(texts)))
    return texts


def cases_for(r, llama_texts, sst, imdb, conll, multi):
    cases = [("edge", t, None) for t in EDGE + llama_texts + REAL_EDGE]
    cases += [("multi", t, None) for t in r.sample(multi, 60)]
    cases += [("sst2", t, None) for t in r.sample(sst, 20)]
    cases += [("imdb", t[:400], None) for t in r.sample(imdb, 10)]
    cases += [("conll", t, None) for t in r.sample(conll, 15)]
    cases += [("random", random_text(r, r.randint(1, 40)), None) for _ in range(50)]
    pool_a = EDGE + REAL_EDGE + multi[:80] + sst[:100]
    pool_b = llama_texts + multi[80:] + conll[:100]
    for _ in range(40):
        cases.append(("pair", r.choice(pool_a + [random_text(r, 12)]), r.choice(pool_b + [random_text(r, 12)])))
    for _ in range(40):   # both sides long, added tokens: which side is longer
        cases.append(("pairtrunc", random_text(r, r.randint(4, 16)), random_text(r, r.randint(4, 16))))
    return cases


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=os.path.join(here, "../../shared"))
    ap.add_argument("--llama-sdist", default=os.path.join(here, "../build/llama-sdist"),
                    help="directory with %s.tar.gz (pip download --no-binary :all:) or its extracted tree" % LLAMA)
    ap.add_argument("--whisper-sdist", default=os.path.join(here, "../build/whisper-sdist"))
    ap.add_argument("--out", default=os.path.join(here, "../tests/data/bpe"))
    args = ap.parse_args()
    if tokenizers.__version__ != "0.23.2":
        raise SystemExit("tokenizers %s: the fixtures are made with 0.23.2 (see the docstring)" % tokenizers.__version__)
    toks, merges = read_gguf(llama_member(args))
    check_whisper(toks, args.whisper_sdist)
    gpt2, roberta = gpt2_json(toks, merges), roberta_json(toks, merges)
    assert derive_gpt2(roberta) == gpt2
    with open(os.path.join(args.out, "roberta_real.json"), "w", encoding="utf-8") as f:
        f.write(roberta)
    print("roberta_real.json %d bytes (gpt2_real's, derived: %d bytes)" % (len(roberta.encode()), len(gpt2.encode())))
    toks_by_name = {"gpt2_real": Tokenizer.from_str(gpt2), "roberta_real": Tokenizer.from_str(roberta)}
    for a in json.loads(roberta)["added_tokens"]:
        assert toks_by_name["roberta_real"].token_to_id(a["content"]) == a["id"], a
    llama_texts = compare_llama(toks_by_name["gpt2_real"], args)
    sst, imdb, conll = load_texts(args.shared, random.Random(13))
    cases = cases_for(random.Random(21), llama_texts, sst, imdb, conll, multi_sentences())
    pads = {"gpt2_real": (50256, EOT), "roberta_real": (50258, "<pad>")}
    for seed, name in enumerate(("gpt2_real", "roberta_real")):
        tok = toks_by_name[name]
        r2 = random.Random(200 + seed)
        out = []
        for i, (cat, a, b) in enumerate(cases):
            trunc = b is not None or r2.random() < 0.25 or cat == "edge" and len(a) > 40
            d = encode_case(tok, "%s-%d" % (name, i), cat, a, b, r2, trunc, pad_id=pads[name][0], pad_token=pads[name][1])
            out.append(json.dumps(d, ensure_ascii=True, separators=(",", ":")))
        with open(os.path.join(args.out, name + ".jsonl"), "w", encoding="utf-8") as f:
            f.write("\n".join(out) + "\n")
        print(name, len(out), "cases, tokenizers", tokenizers.__version__)


if __name__ == "__main__":
    main()
