#!/usr/bin/env python3
"""Writes tests/data/torchbin/: small pytorch_model.bin-style checkpoints for tests/test_torchbin.c
and the fuzz seeds (tests/fuzz/seeds/fuzz_torchbin/).

  good.bin          torch.save of a state dict: fp32 / fp16 / bf16 tensors, an int64 buffer, a 0-d
                    tensor, a view with a non-zero storage offset and two tensors sharing one storage
  good.txt          the expected tensors: "name dtype ndim dims... values..." (values: Python repr of
                    the exact value, int64 as integers)
  odict.bin         torch.save of an OrderedDict with _metadata (what model.state_dict() is)
  noncontig.bin     a transposed (non-contiguous) tensor: refused
  not_tensors.bin   {'epoch': 3}: refused
  legacy.bin        torch.save(..., _use_new_zipfile_serialization=False): torch's format before 1.6
  evil_global.bin   hand-written data.pkl: GLOBAL os.system + REDUCE
  evil_inst.bin     hand-written data.pkl: INST os system
  evil_memo.bin     hand-written data.pkl: BINGET of a memo index never set
  evil_deflate.bin  good.bin's entries re-zipped with deflate
  bigendian.bin     good.bin with byteorder "big"
  truncated.bin     the first 1000 bytes of good.bin (no end of central directory)

Run with a Python that has torch (the bench venv): tools/gen_torchbin_fixture.py [OUT_DIR].
The files are committed; torch is not needed to run the tests."""
import collections
import io
import os
import shutil
import sys
import zipfile

import torch

out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "tests", "data", "torchbin")
os.makedirs(out, exist_ok=True)
seeds = os.path.join(os.path.dirname(__file__), "..", "tests", "fuzz", "seeds", "fuzz_torchbin")


def save(obj, name, **kw):
    path = os.path.join(out, name)
    torch.save(obj, path, **kw)
    return path


base = torch.tensor([0.5 * k - 1.25 for k in range(10)], dtype=torch.float32)
sd = {
    "f32": torch.tensor([[1.0, -2.5, 3.25], [0.1, 1e-3, -7.0]], dtype=torch.float32),
    "f16": torch.tensor([1.0, -0.333, 65504.0, 6e-5], dtype=torch.float16),
    "bf16": torch.tensor([[1.0, -3.140625], [100.5, 1e-20]], dtype=torch.bfloat16),
    "i64": torch.arange(5, dtype=torch.int64) * 1000000007,
    "scalar": torch.tensor(42.75, dtype=torch.float32),
    "view": base[4:10].view(2, 3),         # storage offset 4
    "shared": base[0:4],                    # the same storage as view
    "cube": torch.arange(24, dtype=torch.float32).reshape(2, 3, 4) / 8,
}
assert sd["view"].storage_offset() == 4
assert sd["view"].untyped_storage().data_ptr() == sd["shared"].untyped_storage().data_ptr()
good = save(sd, "good.bin")

with open(os.path.join(out, "good.txt"), "w") as f:
    f.write("# tools/gen_torchbin_fixture.py: name dtype ndim dims... values (exact)\n")
    for k, t in sd.items():
        dt = {torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16", torch.int64: "I64"}[t.dtype]
        vals = t.reshape(-1).tolist()
        f.write(" ".join([k, dt, str(t.dim())] + [str(d) for d in t.shape] + [repr(v) for v in vals]) + "\n")

od = collections.OrderedDict([("a", torch.ones(2)), ("b", torch.zeros(3, dtype=torch.float16))])
od._metadata = collections.OrderedDict([("", {"version": 1}), ("enc", {"version": 1})])
save(od, "odict.bin")
save({"t": torch.arange(6, dtype=torch.float32).reshape(2, 3).t()}, "noncontig.bin")
save({"epoch": 3}, "not_tensors.bin")
save({"a": torch.ones(2)}, "legacy.bin", _use_new_zipfile_serialization=False)


def zip_with(name, entries, method=zipfile.ZIP_STORED):
    with zipfile.ZipFile(os.path.join(out, name), "w", compression=method) as z:
        for n, d in entries:
            z.writestr(zipfile.ZipInfo(n), d, compress_type=method)


def evil(name, pkl):
    zip_with(name, [("archive/data.pkl", pkl), ("archive/byteorder", b"little"), ("archive/version", b"3\n")])


evil("evil_global.bin", b"\x80\x02cos\nsystem\nX\x02\x00\x00\x00ls\x85R.")
evil("evil_inst.bin", b"\x80\x02(X\x02\x00\x00\x00lsios\nsystem\n.")
evil("evil_memo.bin", b"\x80\x02}q\x00h\x07.")
with zipfile.ZipFile(good) as z:
    items = [(i.filename, z.read(i.filename)) for i in z.infolist()]
zip_with("evil_deflate.bin", items, zipfile.ZIP_DEFLATED)
zip_with("bigendian.bin", [(n, b"big" if n.endswith("/byteorder") else d) for n, d in items])
with open(good, "rb") as f:
    data = f.read()
with open(os.path.join(out, "truncated.bin"), "wb") as f:
    f.write(data[:1000])

# fuzz seeds: a mode byte (tests/fuzz/fuzz_torchbin.c), then a checkpoint (0: CRC-32s checked, 1: not)
# or a data.pkl (2, 3) whose storages match the target's archive/data/0..3 (4, 8, 16 and 64 bytes)
save({"a": torch.tensor([0.5]), "b": torch.ones(4, dtype=torch.float16), "c": torch.ones(2, 4, dtype=torch.bfloat16),
      "d": torch.arange(16, dtype=torch.float32).reshape(4, 4)[1:3]}, "seed_pkl.bin")
os.makedirs(seeds, exist_ok=True)
for f in os.listdir(seeds):
    os.remove(os.path.join(seeds, f))


def seed(name, mode, payload):
    with open(os.path.join(seeds, name), "wb") as f:
        f.write(bytes([mode]) + payload)


def read(name):
    with open(os.path.join(out, name), "rb") as f:
        return f.read()


def pkl(name):
    with zipfile.ZipFile(os.path.join(out, name)) as z:
        return z.read(z.infolist()[0].filename)


seed("good_crc", 0, read("good.bin"))
seed("good", 1, read("good.bin"))
seed("odict", 1, read("odict.bin"))
seed("noncontig", 1, read("noncontig.bin"))
seed("evil_global", 0, read("evil_global.bin"))
seed("pkl_storages", 2, pkl("seed_pkl.bin"))
seed("pkl_storages_zip64", 3, pkl("seed_pkl.bin"))
seed("pkl_odict", 2, pkl("odict.bin"))
seed("pkl_evil_memo", 2, pkl("evil_memo.bin"))
os.remove(os.path.join(out, "seed_pkl.bin"))
for n in sorted(os.listdir(out)):
    print(f"{n}: {os.path.getsize(os.path.join(out, n))} bytes")
