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

os.makedirs(seeds, exist_ok=True)
for n in ("good.bin", "odict.bin", "noncontig.bin", "evil_global.bin", "evil_memo.bin"):
    shutil.copy(os.path.join(out, n), os.path.join(seeds, n))
for n in sorted(os.listdir(out)):
    print(f"{n}: {os.path.getsize(os.path.join(out, n))} bytes")
