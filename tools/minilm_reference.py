#!/usr/bin/env python3
"""Reference outputs of all-MiniLM-L6-v2 (HF transformers + sentence-transformers) for mtl's parity test.

    /usr/bin/python3 tools/minilm_reference.py [--model-dir build/models/all-MiniLM-L6-v2] [--check]

Needs torch (Debian python3-torch), transformers and sentence-transformers; not needed at test time.
Writes (committed, small):
  tests/golden/minilm_inputs.txt  one input per line: hex(UTF-8 text A) TAB hex(text B or "-") TAB
                                  n_tokens TAB sampled token position TAB the token ids
  tests/golden/minilm_ref.bin     per input, float32 little-endian: the sentence embedding (384,
                                  sentence-transformers: mean pooling + Normalize) then the last
                                  hidden state of the sampled token (384)
Inputs are truncated like sentence-transformers does (max_seq_length 256, longest_first for pairs).
--check also runs build/mtl-embed over every input and compares ALL tokens' last hidden states and
the embeddings, printing max |d| and the minimum cosine (the numbers for the parity claim).
"""
import argparse
import os
import random
import struct
import subprocess
import sys

import numpy as np
import torch

torch.set_num_threads(1)
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def make_inputs():
    rnd = random.Random(20261123)
    base = [
        "Hello", "OK.", "A man is eating food.", "A man is eating a piece of bread.", "The girl is carrying a baby.",
        "A man is riding a horse.", "A woman is playing violin.", "Two men pushed carts through the woods.",
        "A man is riding a white horse on an enclosed ground.", "A monkey is playing drums.",
        "Someone in a gorilla costume is playing a set of drums.", "The new movie is awesome",
        "The cat sits outside", "The new movie is so great", "A man is playing guitar", "I love pasta",
        "Do you like pizza?", "Café crème brûlée à la française", "naïve résumé coöperate", "Ünïcödé ÄÖÜ ß",
        "東京は日本の首都です。", "北京欢迎你", "한국어 문장입니다", "Emoji 😀🎉👍 test", "Numbers 3.14159 and 42,000,000",
        "E-mail me at john.doe@example.com!", "URL: https://example.org/path?q=1&r=2", "unbelievably antidisestablishmentarianism",
        "supercalifragilisticexpialidocious", "Don't stop believin' — it's \"quoted\"", "tabs\tand\nnewlines inside",
        "   leading and trailing spaces   ", "MiXeD CaSe WoRdS", "[MASK] is a special token", "[CLS] [SEP] inside text",
        "Ελληνικά γράμματα", "Русский текст для проверки", "עברית", "العربية نص", "हिन्दी वाक्य",
        "ข้อความภาษาไทย", "Tiếng Việt có dấu", "x" * 150, "a-b-c-d-e-f-g", "C++ and C# are languages", "$100 or €90 or ¥1000",
        "", " ", "...", "?!?!", "The quick brown fox jumps over the lazy dog.",
    ]
    words = ("the of and to in is you that it he was for on are as with his they at be this from have or by one had not "
             "but what all were when we there can an your which their said if do will each about how up out them then she "
             "many some so these would other into has more her two like him see time could no make than first been its who "
             "now people my made over did down only way find use may water long little very after words called just where "
             "most know get through back much go good new write our me man too any day same right look think also around "
             "another came come work three word must because does part even place well such here take why things help put "
             "years different away again off went old number great tell men say small every found still between name should "
             "home big give air line set own under read last never us left end along while might next sound below saw "
             "something thought both few those always looked show large often together asked house don't world going want "
             "school important until form food keep children feet land side without boy once animals life enough took sometimes "
             "four head above kind began almost live page got earth need far hand high year mother light parts country father "
             "tokenization embeddings transformer attention gradient backpropagation").split()
    singles = list(base)
    while len(singles) < 170:
        n = rnd.choice([3, 5, 8, 12, 20, 30, 45])
        s = " ".join(rnd.choice(words) for _ in range(n))
        if rnd.random() < 0.3:
            s = s.capitalize() + rnd.choice([".", "?", "!", "..."])
        singles.append(s)
    # long inputs: more than 256 tokens (truncated)
    for k in range(6):
        singles.append(" ".join(rnd.choice(words) for _ in range(260 + 40 * k)))
    pairs = []
    for k in range(36):
        a = rnd.choice(singles[:170])
        b = rnd.choice(singles[:170])
        pairs.append((a, b))
    pairs.append((" ".join(rnd.choice(words) for _ in range(300)), "short second"))
    pairs.append(("short first", " ".join(rnd.choice(words) for _ in range(300))))
    pairs.append((" ".join(rnd.choice(words) for _ in range(200)), " ".join(rnd.choice(words) for _ in range(200))))
    return [(s, None) for s in singles] + pairs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model-dir", default=os.path.join(ROOT, "build/models/all-MiniLM-L6-v2"))
    ap.add_argument("--out-dir", default=os.path.join(ROOT, "tests/golden"))
    ap.add_argument("--check", action="store_true", help="compare build/mtl-embed on every token")
    ap.add_argument("--blob", default=os.path.join(ROOT, "build/models/all-MiniLM-L6-v2.gguf"))
    args = ap.parse_args()

    from transformers import AutoTokenizer, AutoModel
    from sentence_transformers import SentenceTransformer

    tok = AutoTokenizer.from_pretrained(args.model_dir)
    model = AutoModel.from_pretrained(args.model_dir).eval()
    st = SentenceTransformer(args.model_dir, device="cpu")
    max_len = st.max_seq_length
    inputs = make_inputs()
    print(f"{len(inputs)} inputs ({sum(b is not None for _, b in inputs)} pairs), max_seq_length {max_len}")

    rows, hidden, embs = [], [], []
    with torch.no_grad():
        for i, (a, b) in enumerate(inputs):
            enc = tok(a, b, truncation="longest_first", max_length=max_len, return_tensors="pt") if b is not None else \
                tok(a, truncation=True, max_length=max_len, return_tensors="pt")
            out = model(**enc).last_hidden_state[0]
            n = out.shape[0]
            mean = out.mean(0)
            emb = torch.nn.functional.normalize(mean, p=2, dim=0)
            if b is None:  # cross-check against the sentence-transformers pipeline itself
                st_emb = torch.from_numpy(st.encode([a], convert_to_numpy=True)[0])
                cos = float(torch.nn.functional.cosine_similarity(st_emb, emb, dim=0))
                assert cos > 0.999999 and float((st_emb - emb).abs().max()) < 1e-6, (i, cos)
            pos = (i * 7919) % n
            ids = enc["input_ids"][0].tolist()
            rows.append((a, b, n, pos, ids))
            hidden.append(out.numpy())
            embs.append(emb.numpy())

    os.makedirs(args.out_dir, exist_ok=True)
    with open(os.path.join(args.out_dir, "minilm_inputs.txt"), "w") as f:
        for a, b, n, pos, ids in rows:
            f.write("%s\t%s\t%d\t%d\t%s\n" % (a.encode().hex(), "-" if b is None else b.encode().hex(), n, pos,
                                              " ".join(map(str, ids))))
    with open(os.path.join(args.out_dir, "minilm_ref.bin"), "wb") as f:
        for (a, b, n, pos, ids), h, e in zip(rows, hidden, embs):
            f.write(np.asarray(e, dtype="<f4").tobytes())
            f.write(np.asarray(h[pos], dtype="<f4").tobytes())
    print("wrote", os.path.join(args.out_dir, "minilm_inputs.txt"), "and minilm_ref.bin")
    print("longest input:", max(r[2] for r in rows), "tokens; inputs truncated:",
          sum(1 for a, b, n, p, ids in rows if n == max_len))

    if args.check:
        exe = os.path.join(ROOT, "build/mtl-embed")
        max_h, max_e, min_cos = 0.0, 0.0, 1.0
        for pair in (False, True):
            idx = [k for k, r in enumerate(rows) if (r[1] is not None) == pair]
            lines = "".join("%s%s\n" % (rows[k][0].encode().hex(), ("\t" + rows[k][1].encode().hex()) if pair else "") for k in idx)
            base = [exe, "--model", args.blob, "--hex"] + (["--pair"] if pair else [])
            tk = subprocess.run(base + ["--tokens"], input=lines.encode(), capture_output=True, check=True).stdout.decode()
            em = subprocess.run(base, input=lines.encode(), capture_output=True, check=True).stdout.decode()
            blocks = tk.split("\n\n")
            elines = em.strip("\n").split("\n")
            for j, k in enumerate(idx):
                c = np.array([[float(v) for v in l.split("\t")] for l in blocks[j].strip("\n").split("\n")])
                assert c.shape == hidden[k].shape, (k, c.shape, hidden[k].shape)
                max_h = max(max_h, float(np.abs(c - hidden[k]).max()))
                ce = np.array([float(v) for v in elines[j].split("\t")])
                max_e = max(max_e, float(np.abs(ce - embs[k]).max()))
                cos = float(np.dot(ce, embs[k]) / np.linalg.norm(ce) / np.linalg.norm(embs[k]))
                min_cos = min(min_cos, cos)
        print(f"mtl vs HF over {len(rows)} inputs, every token: last_hidden_state max|d| = {max_h:.3g}; "
              f"embedding max|d| = {max_e:.3g}; min cosine = {min_cos:.9f}")
        ok = max_h <= 1e-4 and min_cos >= 0.99999
        print("PARITY", "OK" if ok else "FAILED")
        sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
