#!/usr/bin/python3
"""A second golden fixture set in the format of ../shared/fixtures/golden (README sections 1-8), with
other sizes, labels and hyper-parameters, to check that build/mtl-golden reads everything from the
files: another random BERT (H 48, 3 layers, 6 heads, I 80, vocab 200), 5 classes / 7 tags, loss
weights 0.3 / 0.7, and trajectories with SGD+momentum (cosine), Adam (constant with warmup) and AdamW
(linear, no warmup), with top-2, embeddings+heads and all trainable.

    /usr/bin/python3 tools/gen_alt_golden.py OUT_DIR      # writes OUT_DIR/model and OUT_DIR/fixtures
    build/mtl-golden --model-dir OUT_DIR/model --fixtures OUT_DIR/fixtures

Needs torch (1.13 was used) and transformers (HF BertModel is the reference forward). Not part of
`make test` (the test machines may lack torch)."""
import json, math, os, struct, sys

import numpy as np
import torch
from transformers import BertConfig, BertModel, get_constant_schedule_with_warmup, \
    get_cosine_schedule_with_warmup, get_linear_schedule_with_warmup

torch.set_num_threads(1)
OUT = sys.argv[1] if len(sys.argv) > 1 else "/tmp/mtl_alt_golden"
MODEL, FX = os.path.join(OUT, "model"), os.path.join(OUT, "fixtures")
os.makedirs(MODEL, exist_ok=True)
os.makedirs(FX, exist_ok=True)

CFG = dict(vocab_size=200, hidden_size=48, num_hidden_layers=3, num_attention_heads=6, intermediate_size=80,
           max_position_embeddings=32, type_vocab_size=2, layer_norm_eps=1e-12, hidden_act="gelu", pad_token_id=0,
           position_embedding_type="absolute", hidden_dropout_prob=0.1, attention_probs_dropout_prob=0.1)
config = BertConfig(**CFG)
torch.manual_seed(99)
model = BertModel(config, add_pooling_layer=True).eval()
with torch.no_grad():
    for n, p in model.named_parameters():
        if "embeddings" in n and "LayerNorm" not in n:
            p.normal_(0, 0.5)
        elif "LayerNorm.weight" in n:
            p.copy_(1 + 0.1 * torch.randn_like(p))
        elif n.endswith("bias"):
            p.normal_(0, 0.02)
        elif "query" in n or "key" in n:
            p.normal_(0, 0.3)
        else:
            p.normal_(0, 0.2)
sd = {k: v.detach().clone() for k, v in model.state_dict().items() if "position_ids" not in k and "token_type_ids" not in k}
NAMES = [k for k in sd if not k.startswith("pooler.")]


def write_safetensors(path, tensors, dtype):
    keys = sorted(tensors)
    hdr, off, blobs = {"__metadata__": {"format": "pt"}}, 0, []
    for k in keys:
        a = tensors[k].numpy().astype(np.float16 if dtype == "F16" else np.float32)
        b = a.tobytes()
        hdr[k] = {"dtype": dtype, "shape": list(a.shape), "data_offsets": [off, off + len(b)]}
        off += len(b)
        blobs.append(b)
    h = json.dumps(hdr, separators=(",", ":")).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))


cj = dict(CFG, architectures=["BertModel"], model_type="bert", _name_or_path="alt-random-bert")
json.dump(cj, open(os.path.join(MODEL, "config.json"), "w"), indent=2)
write_safetensors(os.path.join(MODEL, "model.safetensors"), sd, "F32")
write_safetensors(os.path.join(MODEL, "model_fp16.safetensors"), sd, "F16")

TOL = dict(forward_atol=1e-4, loss_atol=1e-5, grad_atol=1e-5, grad_rtol=1e-3, key_bias_grad_atol=1e-6,
           trajectory_atol=1e-4, final_param_atol=1e-4, key_bias_final_param_atol=2e-3)
MCFG = dict(CFG, head_dim=8)
MODEL_SPEC = dict(name="alt-random-bert", files=dict(config="config.json", weights="model.safetensors",
                  weights_f16="model_fp16.safetensors"), config=MCFG, n_tensors=len(NAMES), param_names=NAMES)


def save(name, arrays, spec):
    off, idx, blob = 0, [], []
    for n, a in arrays:
        a = np.ascontiguousarray(a)
        dt = "i32" if a.dtype.kind in "iu" else "f32"
        a = a.astype(np.int32 if dt == "i32" else np.float32)
        shape = list(a.shape) or [1]
        idx.append("%s %s %d %d %s" % (n, dt, off, len(shape), " ".join(map(str, shape))))
        blob.append(a.tobytes())
        off += a.nbytes
    open(os.path.join(FX, name + ".bin"), "wb").write(b"".join(blob))
    open(os.path.join(FX, name + ".idx"), "w").write("\n".join(idx) + "\n")
    spec = dict(format_version=1, model=MODEL_SPEC, eval_mode=True, tolerances=TOL, **spec)
    json.dump({"fixture": name, "meta": {"spec": spec}}, open(os.path.join(FX, name + ".json"), "w"))


rng = np.random.RandomState(5)
# ---- forward: 6 rows, 2 of them pairs (type 1 on the second segment)
B, L = 6, 14
lens = [14, 5, 3, 11, 9, 13]
ids = np.zeros((B, L), np.int64); mask = np.zeros((B, L), np.int64); types = np.zeros((B, L), np.int64)
for b, n in enumerate(lens):
    ids[b, :n] = rng.randint(1, 200, n); mask[b, :n] = 1
    if b >= 4:
        types[b, n // 2:n] = 1
with torch.no_grad():
    out = model(input_ids=torch.tensor(ids), attention_mask=torch.tensor(mask), token_type_ids=torch.tensor(types),
                output_hidden_states=True)


def poolings(h, m):
    mf = torch.tensor(m, dtype=torch.float32).unsqueeze(-1)
    mean = (h * mf).sum(1) / torch.clamp(mf.sum(1), min=1e-9)
    mx = torch.where(mf > 0, h, torch.full_like(h, -1e9)).max(1).values
    return h[:, 0], mean, mx, torch.nn.functional.normalize(mean, p=2, dim=1)


hs = out.hidden_states
cls_, mean, mx, mn = poolings(out.last_hidden_state, mask)
arrs = [("input_ids", ids), ("attention_mask", mask), ("token_type_ids", types), ("seq_len", np.array(lens))]
arrs += [("hidden_states.%d" % k, hs[k].numpy()) for k in range(CFG["num_hidden_layers"])]
arrs += [("last_hidden_state", out.last_hidden_state.numpy()), ("pooler_output", out.pooler_output.numpy()),
         ("emb_cls", cls_.numpy()), ("emb_mean", mean.numpy()), ("emb_max", mx.numpy()), ("emb_mean_norm", mn.numpy())]
m16 = BertModel(config).eval()
m16.load_state_dict({k: v.half().float() for k, v in sd.items()}, strict=False)
with torch.no_grad():
    o16 = m16(input_ids=torch.tensor(ids), attention_mask=torch.tensor(mask), token_type_ids=torch.tensor(types))
arrs += [("f16w.last_hidden_state", o16.last_hidden_state.numpy()), ("f16w.pooler_output", o16.pooler_output.numpy()),
         ("f16w.emb_mean_norm", poolings(o16.last_hidden_state, mask)[3].numpy())]
save("forward", arrs, dict(kind="forward", batch=dict(size=B, max_len=L, arrays=["input_ids", "attention_mask", "token_type_ids"],
                                                      seq_len=lens, pairs=2),
                           hidden_states=dict(count=CFG["num_hidden_layers"]),
                           f16w=dict(arrays=["f16w.last_hidden_state", "f16w.pooler_output", "f16w.emb_mean_norm"])))

# ---- multitask batch: 5 classes, 7 tags
B, L, C, T = 7, 12, 5, 7
lens = [12, 4, 9, 7, 3, 10, 6]
ids = np.zeros((B, L), np.int64); mask = np.zeros((B, L), np.int64); types = np.zeros((B, L), np.int64)
ner = np.full((B, L), -100, np.int64)
for b, n in enumerate(lens):
    ids[b, :n] = rng.randint(1, 200, n); mask[b, :n] = 1
    for t in range(1, n - 1):
        if rng.rand() < 0.7:
            ner[b, t] = rng.randint(0, T)
cls_labels = rng.randint(0, C, B)
W_CLS, W_NER = 0.3, 0.7
g = torch.Generator().manual_seed(77)
init = {"cls_head.weight": torch.randn(C, 48, generator=g) * 0.2, "cls_head.bias": torch.randn(C, generator=g) * 0.02,
        "ner_head.weight": torch.randn(T, 48, generator=g) * 0.2, "ner_head.bias": torch.randn(T, generator=g) * 0.02}
HEAD_NAMES = list(init)


class MT(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.bert = BertModel(config, add_pooling_layer=True)
        self.bert.load_state_dict(sd, strict=False)
        self.cls_head = torch.nn.Linear(48, C)
        self.ner_head = torch.nn.Linear(48, T)
        with torch.no_grad():
            for k, v in init.items():
                dict(self.named_parameters())[k].copy_(v)
        self.eval()

    def forward(self):
        o = self.bert(input_ids=torch.tensor(ids), attention_mask=torch.tensor(mask), token_type_ids=torch.tensor(types),
                      output_hidden_states=True)
        h = o.last_hidden_state
        mf = torch.tensor(mask, dtype=torch.float32).unsqueeze(-1)
        sent = (h * mf).sum(1) / torch.clamp(mf.sum(1), min=1e-9)
        cl, nl = self.cls_head(sent), self.ner_head(h)
        lc = torch.nn.functional.cross_entropy(cl, torch.tensor(cls_labels))
        ln = torch.nn.functional.cross_entropy(nl.reshape(-1, T), torch.tensor(ner).reshape(-1), ignore_index=-100)
        return W_CLS * lc + W_NER * ln, lc, ln, o, sent, cl, nl


def pname(n):
    return n[5:] if n.startswith("bert.") else n


HEADS = dict(cls=dict(param_prefix="cls_head", **{"in": "mean-pooled"}, in_dim=48, out=C, weight_shape=[C, 48],
                      labels=["c%d" % i for i in range(C)]),
             ner=dict(param_prefix="ner_head", **{"in": "token"}, in_dim=48, out=T, weight_shape=[T, 48],
                      tags=["t%d" % i for i in range(T)], scheme="IOB2"),
             pooling="mean", pooler_used=False, init=dict(seed=77, arrays=["init." + k for k in HEAD_NAMES]))
LOSS = dict(cls_weight=W_CLS, ner_weight=W_NER, ignore_index=-100, reduction="mean")
BATCH = dict(size=B, max_len=L, arrays=["input_ids", "attention_mask", "token_type_ids", "cls_labels", "ner_labels"], seq_len=lens)
base_arrays = [("input_ids", ids), ("attention_mask", mask), ("token_type_ids", types), ("ner_labels", ner),
               ("cls_labels", cls_labels)] + [("init." + k, v.numpy()) for k, v in init.items()]

m = MT()
loss, lc, ln, o, sent, cl, nl = m()
loss.backward()
arrs = list(base_arrays)
arrs += [("hidden_states.%d" % k, o.hidden_states[k].detach().numpy()) for k in range(4)]
arrs += [("sent_emb", sent.detach().numpy()), ("cls_logits", cl.detach().numpy()), ("ner_logits", nl.detach().numpy()),
         ("loss_cls", lc.detach().numpy()), ("loss_ner", ln.detach().numpy()), ("loss", loss.detach().numpy())]
gnames = []
for n, p in m.named_parameters():
    gnames.append("grad." + pname(n))
    arrs.append(("grad." + pname(n), (p.grad if p.grad is not None else torch.zeros_like(p)).numpy()))
save("multitask", arrs, dict(kind="multitask", batch=BATCH, heads=HEADS, loss=LOSS, hidden_states=dict(count=4),
                             grads=dict(names=gnames)))


# ---- trajectories
def block(n):
    if n.startswith("embeddings."):
        return "embeddings"
    if n.startswith("encoder.layer."):
        return "layer" + n.split(".")[2]
    return "heads"


def run(name, opt_type, sched, steps, trainable_blocks, base_lr, layer_decay, head_mult, wd, clip, extra_opt):
    m = MT()
    params = [(pname(n), p) for n, p in m.named_parameters() if not pname(n).startswith("pooler.")]
    for n, p in m.named_parameters():
        p.requires_grad_(not pname(n).startswith("pooler.") and block(pname(n)) in trainable_blocks)
    NL = CFG["num_hidden_layers"]
    groups = []
    order = ["embeddings"] + ["layer%d" % k for k in range(NL)] + ["heads"]
    for blk in order:
        if blk not in trainable_blocks:
            continue
        lr = base_lr * layer_decay ** NL if blk == "embeddings" else base_lr * head_mult if blk == "heads" else \
            base_lr * layer_decay ** (NL - 1 - int(blk[5:]))
        for nd in (0, 1):
            mem = [(n, p) for n, p in params if block(n) == blk and (n.endswith("bias") or n.endswith("LayerNorm.weight")) == bool(nd)]
            if mem:
                groups.append(dict(index=len(groups), name=blk + (".no_decay" if nd else ".decay"), block=blk,
                                   params=[n for n, _ in mem], base_lr=lr, weight_decay=0.0 if nd else wd, _p=[p for _, p in mem]))
    tg = [dict(params=gr["_p"], lr=gr["base_lr"], weight_decay=gr["weight_decay"]) for gr in groups]
    if opt_type == "sgd":
        opt = torch.optim.SGD(tg, lr=base_lr, momentum=extra_opt["momentum"])
    elif opt_type == "adam":
        opt = torch.optim.Adam(tg, lr=base_lr, betas=(0.9, 0.999), eps=1e-8)
    else:
        opt = torch.optim.AdamW(tg, lr=base_lr, betas=(0.9, 0.999), eps=1e-8)
    if sched["type"].startswith("cosine"):
        sch = get_cosine_schedule_with_warmup(opt, sched["warmup_steps"], sched["total_steps"])
    elif sched["type"].startswith("constant"):
        sch = get_constant_schedule_with_warmup(opt, sched["warmup_steps"])
    else:
        sch = get_linear_schedule_with_warmup(opt, sched["warmup_steps"], sched["total_steps"])
    trainable = sorted(n for n, p in m.named_parameters() if p.requires_grad)
    trainable = [pname(n) for n in trainable]
    init_state = {pname(n): p.detach().clone() for n, p in m.named_parameters()}
    rec = {k: [] for k in ["loss", "loss_cls", "loss_ner", "grad_norm", "clip_coef", "lr", "lr_lambda"]}
    step_params = {k: [] for k in HEAD_NAMES}
    tp = [p for n, p in m.named_parameters() if p.requires_grad]
    for t in range(steps):
        opt.zero_grad()
        loss, lc, ln = m()[:3]
        loss.backward()
        rec["loss"].append(loss.item()); rec["loss_cls"].append(lc.item()); rec["loss_ner"].append(ln.item())
        rec["lr"].append([gr["lr"] for gr in opt.param_groups]); rec["lr_lambda"].append(sch.lr_lambdas[0](t))
        tot = torch.nn.utils.clip_grad_norm_(tp, clip)
        rec["grad_norm"].append(tot.item()); rec["clip_coef"].append(min(1.0, clip / (tot.item() + 1e-6)))
        opt.step()
        sch.step()
        pd = dict(m.named_parameters())
        for k in HEAD_NAMES:
            step_params[k].append(pd[k].detach().numpy().copy())
    with torch.no_grad():
        fl, flc, fln = m()[:3]
    arrs = list(base_arrays)
    arrs += [(k, np.array(v, np.float32)) for k, v in rec.items()]
    arrs += [("step_params." + k, np.stack(v)) for k, v in step_params.items() if k in trainable]
    arrs += [("final_loss", fl.numpy()), ("final_loss_cls", flc.numpy()), ("final_loss_ner", fln.numpy())]
    for n, p in m.named_parameters():
        if pname(n) in trainable:
            arrs.append(("param." + pname(n), p.detach().numpy()))
        else:
            assert torch.equal(p.detach(), init_state[pname(n)]), n
    sched = dict(sched, values=[sch.lr_lambdas[0](t) for t in range(steps)])
    optspec = dict(type=opt_type, betas=[0.9, 0.999], eps=1e-8, **extra_opt)
    spec = dict(kind="train", batch=BATCH, heads=HEADS, loss=LOSS, steps=steps, optimizer=optspec,
                groups=[{k: v for k, v in gr.items() if k != "_p"} for gr in groups],
                layer_lr=dict(base_lr=base_lr, layer_decay=layer_decay, head_mult=head_mult, num_layers=CFG["num_hidden_layers"]),
                weight_decay=dict(value=wd, no_decay=["bias", "LayerNorm.weight"]), schedule=sched,
                clip=dict(max_norm=clip, eps=1e-6, norm_type=2), trainable_blocks=trainable_blocks, trainable=trainable,
                frozen=sorted(set(init_state) - set(trainable)), saved_params="trainable")
    save(name, arrs, spec)
    print(name, "loss", rec["loss"][0], "->", fl.item(), "grad_norm", rec["grad_norm"][0], "->", rec["grad_norm"][-1])


run("train_sgd_top2", "sgd", dict(type="cosine_warmup_cosine_decay", warmup_steps=2, total_steps=8), 6,
    ["layer1", "layer2", "heads"], 0.05, 0.7, 2.0, 0.01, 0.5, dict(momentum=0.9))
run("train_adam_embeddings", "adam", dict(type="constant_with_warmup", warmup_steps=2, total_steps=5), 5,
    ["embeddings", "heads"], 2e-3, 0.8, 4.0, 0.001, 3.0, {})
run("train_adamw_all_nowarmup", "adamw", dict(type="linear_warmup_linear_decay", warmup_steps=0, total_steps=7), 6,
    ["embeddings", "layer0", "layer1", "layer2", "heads"], 1e-3, 0.9, 3.0, 0.02, 1.0, {})
print("wrote", OUT)
