#!/usr/bin/python3
"""Golden for the trainer's pooler pooling (issue #4): ../shared/models/tiny-random-bert loaded as a
Hugging Face BertForSequenceClassification (num_labels 3, classifier drawn with torch seed 1234,
eval mode: dropout off), a batch of 4 sentences tokenized by the model's own tokenizer, and:
logits, the cross-entropy loss (mean over the batch), and the gradients of classifier.*,
bert.pooler.dense.* and bert.encoder.layer.<last>.output.dense.weight.

    /usr/bin/python3 tools/gen_seqcls_golden.py [MODEL_DIR]

writes tests/golden/seqcls_classifier.safetensors (classifier.{weight,bias}, as a HF checkpoint
names them) and tests/golden/seqcls.txt (text: "name n v1 ... vn" per line). tests/test_trainer.c
(test_seqcls_vs_hf) reads both. Needs torch (1.13 was used) + transformers (4.40.2). Not part of
`make test`."""
import os, sys

import torch
from transformers import BertForSequenceClassification, BertTokenizerFast
from safetensors.torch import save_file

torch.set_num_threads(1)
HERE = os.path.dirname(os.path.abspath(__file__))
MODEL = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "..", "shared", "models", "tiny-random-bert")
OUT = os.path.join(HERE, "..", "tests", "golden")

SENTS = ["john smith works for acme corp in london",
         "the weather in paris was terrible today",
         "i am not sure about this plan",
         "what a wonderful day!"]
LABELS = [1, 0, 2, 1]

tok = BertTokenizerFast.from_pretrained(MODEL)
enc = tok(SENTS, padding=True, return_tensors="pt")
model = BertForSequenceClassification.from_pretrained(MODEL, num_labels=3, hidden_dropout_prob=0.0,
                                                      attention_probs_dropout_prob=0.0).eval()
L = model.config.num_hidden_layers
torch.manual_seed(1234)
with torch.no_grad():
    model.classifier.weight.normal_(0.0, 0.5)
    model.classifier.bias.normal_(0.0, 0.1)
labels = torch.tensor(LABELS)
out = model(input_ids=enc["input_ids"], attention_mask=enc["attention_mask"],
            token_type_ids=enc["token_type_ids"], labels=labels)
out.loss.backward()
P = dict(model.named_parameters())
grads = ["classifier.weight", "classifier.bias", "bert.pooler.dense.weight", "bert.pooler.dense.bias",
         "bert.encoder.layer.%d.output.dense.weight" % (L - 1)]

os.makedirs(OUT, exist_ok=True)
save_file({"classifier.weight": model.classifier.weight.detach().contiguous(),
           "classifier.bias": model.classifier.bias.detach().contiguous()},
          os.path.join(OUT, "seqcls_classifier.safetensors"), metadata={"format": "pt"})


def line(f, name, vals, fmt):
    vals = list(vals)
    f.write("%s %d %s\n" % (name, len(vals), " ".join(fmt % v for v in vals)))


B, T = enc["input_ids"].shape
with open(os.path.join(OUT, "seqcls.txt"), "w") as f:
    f.write("# tools/gen_seqcls_golden.py: tiny-random-bert as BertForSequenceClassification, torch %s, transformers %s\n"
            % (torch.__version__, __import__("transformers").__version__))
    line(f, "shape", [B, T, 3], "%d")
    line(f, "ids", enc["input_ids"].flatten().tolist(), "%d")
    line(f, "types", enc["token_type_ids"].flatten().tolist(), "%d")
    line(f, "mask", enc["attention_mask"].flatten().tolist(), "%d")
    line(f, "labels", LABELS, "%d")
    line(f, "logits", out.logits.detach().flatten().tolist(), "%.9g")
    line(f, "loss", [out.loss.item()], "%.9g")
    for n in grads:
        line(f, "grad." + n, P[n].grad.flatten().tolist(), "%.9g")
print("B %d T %d loss %.6f logits %s" % (B, T, out.loss.item(), out.logits.detach().numpy().round(4).tolist()))
for n in grads:
    print("  grad %-45s |g|max %.3g" % (n, P[n].grad.abs().max().item()))
