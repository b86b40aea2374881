#!/usr/bin/env python3
"""prepare_peers.py: the peers' model files for bench/embed/bench.py, made from the Hugging Face folder:

  OUT/minilm.onnx      torch.onnx.export (TorchScript exporter, dynamo=False, opset 17) of BertModel ->
                       last_hidden_state, dynamic batch and length, attention in "eager" mode (with "sdpa",
                       the default of transformers 5, onnxruntime's BERT fusion finds no Attention)
  OUT/minilm-opt.onnx  onnxruntime.transformers.optimizer.optimize_model(OUT/minilm.onnx, model_type='bert',
                       num_heads=12, hidden_size=384) (the model's own heads / hidden size are read from
                       config.json): fused Attention, SkipLayerNormalization, EmbedLayerNormalization, BiasGelu
  OUT/ct2/             ct2-transformers-converter --model DIR --output_dir OUT/ct2 --quantization float32
  OUT/stamp.json       the versions and inputs they were made with, and the node counts of both graphs;
                       bench.py re-runs this script when the stamp does not match.

    nice -n 10 build/bench-venv/bin/python bench/embed/prepare_peers.py --model-dir DIR --out-dir OUT
"""
import argparse
import collections
import json
import os
import shutil
import subprocess
import sys
from importlib import metadata


def stamp_of(model_dir):
    st = os.stat(os.path.join(model_dir, "model.safetensors"))
    return {"model_dir": os.path.abspath(model_dir), "model_size": st.st_size, "model_mtime": int(st.st_mtime),
            "versions": {p: metadata.version(p) for p in ("torch", "transformers", "onnx", "onnxruntime", "ctranslate2")},
            "script": 2}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model-dir", required=True)
    ap.add_argument("--out-dir", required=True)
    args = ap.parse_args()
    os.makedirs(args.out_dir, exist_ok=True)
    import onnx
    import torch
    from transformers import AutoModel, AutoTokenizer
    from onnxruntime.transformers.optimizer import optimize_model

    cfg = json.load(open(os.path.join(args.model_dir, "config.json")))
    tok = AutoTokenizer.from_pretrained(args.model_dir)
    model = AutoModel.from_pretrained(args.model_dir, attn_implementation="eager").eval()

    class LastHidden(torch.nn.Module):   # positional inputs, one output (transformers 5's forward takes kwargs)
        def __init__(self, m):
            super().__init__()
            self.m = m

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.m(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).last_hidden_state

    plain = os.path.join(args.out_dir, "minilm.onnx")
    opt = os.path.join(args.out_dir, "minilm-opt.onnx")
    enc = tok(["hello world", "a second, longer sentence for the export"], padding=True, return_tensors="pt")
    names = ["input_ids", "attention_mask", "token_type_ids"]
    with torch.inference_mode():
        torch.onnx.export(LastHidden(model), tuple(enc[k] for k in names), plain + ".tmp", input_names=names,
                          output_names=["last_hidden_state"],
                          dynamic_axes={k: {0: "batch", 1: "seq"} for k in names + ["last_hidden_state"]},
                          opset_version=17, dynamo=False)
    os.replace(plain + ".tmp", plain)
    om = optimize_model(plain, model_type="bert", num_heads=cfg["num_attention_heads"], hidden_size=cfg["hidden_size"])
    om.save_model_to_file(opt)
    fused = {k: v for k, v in om.get_fused_operator_statistics().items() if v}

    ct2_dir = os.path.join(args.out_dir, "ct2")
    shutil.rmtree(ct2_dir, ignore_errors=True)
    conv = os.path.join(os.path.dirname(sys.executable), "ct2-transformers-converter")
    subprocess.run([conv, "--model", args.model_dir, "--output_dir", ct2_dir, "--quantization", "float32"], check=True,
                   stdout=subprocess.DEVNULL)

    def counts(p):
        return dict(sorted(collections.Counter(n.op_type for n in onnx.load(p).graph.node).items()))

    st = stamp_of(args.model_dir)
    st["plain_nodes"] = counts(plain)
    st["opt_nodes"] = counts(opt)
    st["fused"] = fused
    with open(os.path.join(args.out_dir, "stamp.json"), "w") as f:
        json.dump(st, f, indent=1)
    print(json.dumps({"fused": fused}))


if __name__ == "__main__":
    main()
