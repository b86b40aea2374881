"""A second model for bench/embed: a BERT of any shape with random weights, so the engines can be compared on
shapes other than all-MiniLM-L6-v2's (speed does not depend on the weights' values; the checks against
PyTorch still hold, every engine reading the same weights).

    build/bench-venv/bin/python bench/embed/make_random_model.py                 # BERT-base, seed 0
    bash bench/embed/run.sh --model-dir build/models/bert-base-random \\
        --peer-dir build/bench/peers-bert-base-random --out-dir build/bench/bert-base-random [options]

Writes OUT/ (config.json, model.safetensors, the tokenizer and sentence-transformers files of --tokenizer-from,
with mean pooling + normalize and max_seq_length --max-seq-length) and OUT.gguf (build/weights_convert).
--config: an HF config.json giving the shape (default: BERT-base uncased from $MTL_SHARED/models). The
tokenizer's vocabulary must match the config's vocab_size (BERT uncased: 30,522, as all-MiniLM-L6-v2's)."""
import argparse
import json
import os
import shutil
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "../.."))


def main():
    shared = os.environ.get("MTL_SHARED", os.path.join(ROOT, "../shared"))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--config", default=os.path.join(shared, "models/bert-base-uncased/config.json"))
    ap.add_argument("--tokenizer-from", default=os.path.join(ROOT, "build/models/all-MiniLM-L6-v2"))
    ap.add_argument("--out", default=os.path.join(ROOT, "build/models/bert-base-random"))
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--max-seq-length", type=int, default=256)
    args = ap.parse_args()

    import torch
    from transformers import BertConfig, BertModel

    cfg = json.load(open(args.config))
    cfg["architectures"] = ["BertModel"]
    tok_vocab = sum(1 for _ in open(os.path.join(args.tokenizer_from, "vocab.txt"), encoding="utf-8"))
    if tok_vocab != cfg["vocab_size"]:
        sys.exit(f"make_random_model: the tokenizer has {tok_vocab} tokens, the config {cfg['vocab_size']}")
    torch.manual_seed(args.seed)
    model = BertModel(BertConfig(**cfg), add_pooling_layer=True).eval()
    os.makedirs(args.out, exist_ok=True)
    model.save_pretrained(args.out, safe_serialization=True)
    for f in ("vocab.txt", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"):
        src = os.path.join(args.tokenizer_from, f)
        if os.path.exists(src):
            shutil.copy(src, os.path.join(args.out, f))
    os.makedirs(os.path.join(args.out, "1_Pooling"), exist_ok=True)
    json.dump({"word_embedding_dimension": cfg["hidden_size"], "pooling_mode_cls_token": False,
               "pooling_mode_mean_tokens": True, "pooling_mode_max_tokens": False,
               "pooling_mode_mean_sqrt_len_tokens": False},
              open(os.path.join(args.out, "1_Pooling/config.json"), "w"), indent=2)
    json.dump([{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
               {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
               {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"}],
              open(os.path.join(args.out, "modules.json"), "w"), indent=2)
    json.dump({"max_seq_length": args.max_seq_length, "do_lower_case": False},
              open(os.path.join(args.out, "sentence_bert_config.json"), "w"), indent=2)
    n = sum(p.numel() for p in model.parameters())
    print(f"make_random_model: {args.out} ({n:,} parameters, seed {args.seed})")
    subprocess.run(["make", "-s", "build/weights_convert"], cwd=ROOT, check=True)
    subprocess.run([os.path.join(ROOT, "build/weights_convert"), args.out, args.out.rstrip("/") + ".gguf"], check=True)


if __name__ == "__main__":
    main()
