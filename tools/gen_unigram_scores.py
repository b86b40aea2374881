#!/usr/bin/env python3
"""How HF tokenizers reads a Unigram score: tests/data/unigram/scores_f64.txt (tests/test_tokenizer_unigram.c).

tokenizers parses tokenizer.json with serde_json, whose f64 parsing (without its float_roundtrip feature)
is not always the nearest double: e.g. "-9.622109953673247" reads as -9.622109953673249. The Viterbi sums
these scores, so mtl must read them the same way to pick the same path among near-equal ones. This writes
~2,000 number texts (random scores as Python and other writers print them, long mantissas, exponents,
extremes) with the f64 that tokenizers 0.23.2 holds after loading them (Tokenizer.to_str(), IEEE bits).
    /tmp/tok0232/bin/python tools/gen_unigram_scores.py      (tokenizers==0.23.2; never run by CI)
"""
import json
import random
import struct

from tokenizers import Tokenizer

rng = random.Random(7)
vals = ['-9.622109953673247', '-7.023613407447485', '0', '-0', '-10', '1e-5', '-1.5E+2', '-123456789012345678901234',
        '-0.000000000000000000000000001234567890123456789', '-1.7976931348623157e308', '-4.9e-324',
        '-2.2250738585072014e-308', '12345678901234567890.5', '-99999999999999999999999999999999999999e-30', '1e22', '1e23',
        '-3.14159265358979323846264338327950288']
for _ in range(1500):
    vals.append(repr(-rng.uniform(0, 25)))
for _ in range(300):
    vals.append('%.20g' % -rng.uniform(0, 25))
for _ in range(200):
    vals.append('-%d.%de-%d' % (rng.randrange(1, 10), rng.randrange(0, 10 ** rng.randrange(1, 19)), rng.randrange(0, 40)))
vocab = ','.join('["p%d",%s]' % (i, v) for i, v in enumerate(vals))
js = ('{"version":"1.0","truncation":null,"padding":null,"added_tokens":[],"normalizer":null,"pre_tokenizer":null,'
      '"post_processor":null,"decoder":null,"model":{"type":"Unigram","unk_id":0,"vocab":[%s],"byte_fallback":false}}' % vocab)
got = [x[1] for x in json.loads(Tokenizer.from_str(js).to_str())['model']['vocab']]
with open('tests/data/unigram/scores_f64.txt', 'w') as f:
    f.write('# JSON number text -> the f64 HF tokenizers 0.23.2 reads for a Unigram score (its to_str(), as IEEE bits); '
            'tools/gen_unigram_scores.py\n')
    for v, g in zip(vals, got):
        f.write('%s %016x\n' % (v, struct.unpack('<Q', struct.pack('<d', g))[0]))
print(len(vals), 'numbers,', sum(1 for v, g in zip(vals, got) if float(v) != g), 'not the nearest double')
