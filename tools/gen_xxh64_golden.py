#!/usr/bin/env python3
"""Reference XXH64 values for tests/test_integrity.c, from Python's xxhash (pip install xxhash):
    python3 tools/gen_xxh64_golden.py > tests/golden/xxh64.txt
Each line: length, skip, XXH64 (seed 0, hex) of the bytes ((i*131+7)>>1) & 0xFF for i < length with
the 8 bytes at skip set to zero (skip >= length: none) -- the rule of mtl's whole-file checksum."""
import xxhash

print("# length skip xxh64 -- tools/gen_xxh64_golden.py (xxhash %s)" % xxhash.VERSION)
for n in [0, 1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 35, 63, 64, 65, 100, 1000, 4097, 100003]:
    for skip in sorted({n, 0, n // 3, max(n - 8, 0)}):
        if skip < n and n - skip < 8:
            continue
        d = bytearray(((i * 131 + 7) >> 1) & 0xFF for i in range(n))
        if skip < n:
            d[skip:skip + 8] = b"\0" * 8
        print(n, skip, "%016x" % xxhash.xxh64(bytes(d)).intdigest())
