#!/usr/bin/env python3
"""Generate the Unicode lookup tables used by mtl_tokenizer.h.

Reads the Unicode Character Database (UCD) text files (default directory
/usr/share/unicode, Debian package "unicode-data") and writes a block of C99
code (also valid C++): compact static tables plus three static functions

    static unsigned mtl__uc_flags(uint32_t cp);
    static int mtl__uc_lower(uint32_t cp, uint32_t out[3]);
    static int mtl__uc_nfd(uint32_t cp, uint32_t out[MTL__UC_NFD_MAX]);

The semantics reproduce Hugging Face `tokenizers` (0.23) BERT normalization
and pre-tokenization, whose Rust code takes General_Category from the
`unicode_categories` crate (Unicode 8.0 data) and White_Space/lowercase from
Rust std (current Unicode):

  MTL__UC_OTHER  General_Category Cc, Cf, Co or Cs, as of Unicode 8.0
  MTL__UC_MN     General_Category Mn, as of Unicode 8.0
  MTL__UC_PUNCT  General_Category Pc Pd Ps Pe Pi Pf Po, as of Unicode 8.0
                 "As of Unicode 8.0" means: the category is taken from the
                 current UnicodeData.txt, but a code point whose Age
                 (DerivedAge.txt) is later than 8.0 counts as unassigned
                 and gets none of these three flags; the few code points
                 whose category changed after 8.0 in a way that matters
                 here get their 8.0 category from GC_AS_OF_8_0 below.
  MTL__UC_SPACE  White_Space property (PropList.txt, current UCD)
  MTL__UC_LOWER  mtl__uc_lower(cp) differs from cp
  MTL__UC_NFD    mtl__uc_nfd(cp) differs from cp
  MTL__UC_LETTER General_Category L* (Lu Ll Lt Lm Lo), current UCD: \p{L} of
                 the GPT-2 pre-tokenizer regex (byte-level BPE)
  MTL__UC_NUMBER General_Category N* (Nd Nl No), current UCD: \p{N}

  mtl__uc_gcb    = Grapheme_Cluster_Break (auxiliary/GraphemeBreakProperty.txt)
                   with Extended_Pictographic (emoji/emoji-data.txt) as its own
                   value: what UAX #29's extended grapheme clusters need (the
                   SentencePiece Precompiled normalizer works per grapheme,
                   as HF's unicode-segmentation).  MTL__GCB_* values.

  mtl__uc_lower  = Rust char::to_lowercase: the simple lowercase mapping
                   (UnicodeData.txt field 13), overridden by UNCONDITIONAL
                   lowercase mappings of SpecialCasing.txt (e.g. U+0130 ->
                   U+0069 U+0307).  No final-sigma / language rules.
  mtl__uc_nfd    = full canonical decomposition: canonical (untagged)
                   UnicodeData.txt field 5 mappings applied recursively, plus
                   algorithmic Hangul syllable decomposition (done in C).
                   No canonical reordering.

Table layout:
  flags: three-level trie (cp >> (S1+S2) -> cp >> S2 block -> byte), with
         deduplicated blocks;
  lower: runs (first, count, step 1|2, delta) + binary search, and a tiny
         list for multi-code-point mappings;
  nfd:   sorted uint32 index ((cp << 14) | offset into a UTF-16 pool) +
         binary search; the length is the distance to the next offset.

Usage:
  python3 tools/gen_unicode_tables.py                 # write to stdout
  python3 tools/gen_unicode_tables.py --out FILE      # write to FILE
  python3 tools/gen_unicode_tables.py --inplace mtl_tokenizer.h
      # replace the lines between /* MTL_UNICODE_TABLES_BEGIN */ and
      # /* MTL_UNICODE_TABLES_END */ (the marker lines are kept)
"""
import argparse
import os
import re
import shutil
import sys

NCP = 0x110000
CAT_AGE_LIMIT = (8, 0)
OTHER, MN, PUNCT, SPACE, LOWER, NFD, LETTER, NUMBER = 1, 2, 4, 8, 16, 32, 64, 128
S1, S2 = 5, 4                 # trie shifts (chosen by measuring total size)
NFD_OFF_BITS = 14             # pool offset bits in an nfd index entry
HANGUL_S, HANGUL_N = 0xAC00, 11172
# General_Category in Unicode 8.0 of the code points assigned <= 8.0 whose
# category changed later (9.0..15.0) across OTHER/MN/PUNCT.  Not derivable
# from the current UCD; checked against Unicode 8.0 DerivedGeneralCategory
# (Mn) and 9.0 UnicodeData (P*), and against tokenizers 0.23.2 itself.
GC_AS_OF_8_0 = {
    0x1734: "Mn",    # HANUNOO SIGN PAMUDPOD: Mc since 14.0
    0x1885: "Lo",    # MONGOLIAN LETTER ALI GALI BALUDA: Mn since 9.0
    0x1886: "Lo",    # MONGOLIAN LETTER ALI GALI THREE BALUDA: Mn since 9.0
    0xA9BD: "Mc",    # JAVANESE CONSONANT SIGN KERET: Mn since 12.0
    0x111C9: "Po",   # SHARADA SANDHI MARK: Mn since 11.0
    0x166D: "Po",    # CANADIAN SYLLABICS CHI SIGN: So since 12.0
}
# The GPT-2 pre-tokenizer regex runs on Oniguruma, whose \p{L} / \p{N} in the tokenizers 0.23.2 and
# 0.23.3 builds follow Unicode 16.0: these code points, unassigned in the 15.0 UCD that Debian ships, are
# letters (L) or numbers (N) there. Checked against both (their ByteLevel pre-tokenizer) code point by
# code point.
LN_SINCE_15 = [
    (0x1C89, 0x1C8A, "L"), (0xA7CB, 0xA7CD, "L"), (0xA7DA, 0xA7DC, "L"), (0x105C0, 0x105F3, "L"),
    (0x10D40, 0x10D49, "N"), (0x10D4A, 0x10D65, "L"), (0x10D6F, 0x10D85, "L"), (0x10EC2, 0x10EC4, "L"),
    (0x11380, 0x11389, "L"), (0x1138B, 0x1138B, "L"), (0x1138E, 0x1138E, "L"), (0x11390, 0x113B5, "L"),
    (0x113B7, 0x113B7, "L"), (0x113D1, 0x113D1, "L"), (0x113D3, 0x113D3, "L"), (0x116D0, 0x116E3, "N"),
    (0x11BC0, 0x11BE0, "L"), (0x11BF0, 0x11BF9, "N"), (0x13460, 0x143FA, "L"), (0x16100, 0x1611D, "L"),
    (0x16130, 0x16139, "N"), (0x16D40, 0x16D6C, "L"), (0x16D70, 0x16D79, "N"), (0x18CFF, 0x18CFF, "L"),
    (0x1CCF0, 0x1CCF9, "N"), (0x1E5D0, 0x1E5ED, "L"), (0x1E5F0, 0x1E5F0, "L"), (0x1E5F1, 0x1E5FA, "N"),
    (0x2EBF0, 0x2EE5D, "L"),
]
# HF lowercases with Rust std, which in the tokenizers 0.23.2 build is on Unicode 17.0: these simple
# lowercase mappings were added to UnicodeData.txt in 16.0 / 17.0 (not in the 15.0 UCD that Debian
# ships). Checked against tokenizers 0.23.2 (its Lowercase normalizer) code point by code point.
LOWER_SINCE_15 = dict(
    [(0x1C89, 0x1C8A), (0xA7CB, 0x0264), (0xA7CC, 0xA7CD), (0xA7CE, 0xA7CF), (0xA7D2, 0xA7D3),
     (0xA7D4, 0xA7D5), (0xA7DA, 0xA7DB), (0xA7DC, 0x019B)] +
    [(cp, cp + 0x20) for cp in range(0x10D50, 0x10D66)] +     # Garay (16.0)
    [(cp, cp + 0x1B) for cp in range(0x16EA0, 0x16EB9)])      # Beria Erfe (17.0)
# HF's NFD (unicode-normalization-alignments) has pre-13.0 tables: a code point assigned in 13.0 or
# later is not decomposed (U+11938 DIVES AKURU VOWEL SIGN O is the one such decomposable character).
NFD_AGE_LIMIT = (12, 1)
BEGIN_MARK = "/* MTL_UNICODE_TABLES_BEGIN */"
END_MARK = "/* MTL_UNICODE_TABLES_END */"
REGEN_CMD = "python3 tools/gen_unicode_tables.py --inplace mtl_tokenizer.h"


def data_lines(path):
    """Yield the ';'-separated, stripped fields of each non-comment line."""
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if line:
                yield [x.strip() for x in line.split(";")]


def cp_range(s):
    a, _, b = s.partition("..")
    return range(int(a, 16), int(b or a, 16) + 1)


def file_version(path):
    with open(path, encoding="utf-8") as f:
        m = re.match(r"# \w+-(\d+\.\d+\.\d+)\.txt", f.readline())
    if not m:
        sys.exit("cannot read the UCD version from " + path)
    return m.group(1)


def load_ucd(ucd):
    """Return (version, gc list, age dict, white-space set, lower, nfd)."""
    versions = {file_version(os.path.join(ucd, n)) for n in
                ("DerivedAge.txt", "PropList.txt", "SpecialCasing.txt")}
    assert len(versions) == 1, "mixed UCD versions: %s" % versions
    gc, decomp, lower1, first = ["Cn"] * NCP, {}, {}, None
    with open(os.path.join(ucd, "UnicodeData.txt"), encoding="utf-8") as f:
        for line in f:
            fld = line.rstrip("\n").split(";")
            cp, name = int(fld[0], 16), fld[1]
            if name.endswith(", First>"):
                first = cp
                continue
            if name.endswith(", Last>"):         # <..., First>/<..., Last> pair
                gc[first:cp + 1] = [fld[2]] * (cp + 1 - first)
                continue
            gc[cp] = fld[2]
            if fld[5] and not fld[5].startswith("<"):   # canonical only
                decomp[cp] = [int(x, 16) for x in fld[5].split()]
            if fld[13]:
                lower1[cp] = [int(fld[13], 16)]
    age = {}
    for rng, ver in data_lines(os.path.join(ucd, "DerivedAge.txt")):
        for cp in cp_range(rng):
            age[cp] = tuple(int(x) for x in ver.split("."))
    space = set()
    for rng, prop in data_lines(os.path.join(ucd, "PropList.txt")):
        if prop == "White_Space":
            space.update(cp_range(rng))
    lower = dict(lower1)
    for fld in data_lines(os.path.join(ucd, "SpecialCasing.txt")):
        if len(fld) > 4 and fld[4]:
            continue                             # conditional mapping: skip
        lower[int(fld[0], 16)] = [int(x, 16) for x in fld[1].split()]
    for cp, lc in LOWER_SINCE_15.items():
        assert cp not in lower, "U+%04X already has a lowercase mapping" % cp
        lower[cp] = [lc]
    lower = {cp: m for cp, m in lower.items() if m != [cp]}

    def full(cp):
        return [y for x in decomp[cp] for y in full(x)] if cp in decomp else [cp]
    nfd = {cp: full(cp) for cp in decomp if age.get(cp, (99,)) <= NFD_AGE_LIMIT}
    return versions.pop(), gc, age, space, lower, nfd


GCB_NAMES = ["Other", "CR", "LF", "Control", "Extend", "ZWJ", "Regional_Indicator", "Prepend", "SpacingMark",
             "L", "V", "T", "LV", "LVT", "ExtPict"]


def load_gcb(ucd):
    """Grapheme_Cluster_Break per code point (index into GCB_NAMES), Extended_Pictographic as ExtPict."""
    path = os.path.join(ucd, "auxiliary", "GraphemeBreakProperty.txt")
    gcb = [0] * NCP
    for rng, prop in data_lines(path):
        for cp in cp_range(rng):
            gcb[cp] = GCB_NAMES.index(prop)
    ext = 0
    for fld in data_lines(os.path.join(ucd, "emoji", "emoji-data.txt")):
        if fld[1] == "Extended_Pictographic":
            for cp in cp_range(fld[0]):
                assert gcb[cp] == 0, "U+%04X: Extended_Pictographic with Grapheme_Cluster_Break %s" % (cp, GCB_NAMES[gcb[cp]])
                gcb[cp] = GCB_NAMES.index("ExtPict")
                ext += 1
    assert ext > 3000
    return file_version(path), gcb


def compute_flags(gc, age, space, lower, nfd):
    flags = [0] * NCP
    ln_new = {}
    for lo, hi, k in LN_SINCE_15:
        for cp in range(lo, hi + 1):
            assert gc[cp] == "Cn", "U+%04X is assigned in this UCD" % cp
            ln_new[cp] = k
    for cp in range(NCP):
        f, g = 0, GC_AS_OF_8_0.get(cp, gc[cp])
        if age.get(cp, (99,)) <= CAT_AGE_LIMIT:
            if g in ("Cc", "Cf", "Co", "Cs"):
                f |= OTHER
            elif g == "Mn":
                f |= MN
            elif g[0] == "P":
                f |= PUNCT
        if gc[cp][0] == "L" or ln_new.get(cp) == "L":   # current category (GPT-2's regex, Oniguruma)
            f |= LETTER
        elif gc[cp][0] == "N" or ln_new.get(cp) == "N":
            f |= NUMBER
        if cp in space:
            f |= SPACE
        if cp in lower:
            f |= LOWER
        if cp in nfd or HANGUL_S <= cp < HANGUL_S + HANGUL_N:
            f |= NFD
        flags[cp] = f
    return flags


def dedup_blocks(values, shift):
    """Split values into 2**shift blocks; return (block index list, data)."""
    size, seen, index, data = 1 << shift, {}, [], []
    for i in range(0, len(values), size):
        block = tuple(values[i:i + size])
        if block not in seen:
            seen[block] = len(seen)
            data.extend(block)
        index.append(seen[block])
    return index, data


def lower_runs(lower):
    """Group single-code-point mappings into runs of equal delta, step 1 or 2."""
    runs = []                                    # [first, count, step, delta]
    for cp in sorted(c for c, m in lower.items() if len(m) == 1):
        delta = lower[cp][0] - cp
        if runs:
            r = runs[-1]
            last = r[0] + (r[1] - 1) * r[2]
            if r[3] == delta and r[1] < 256:
                if r[1] == 1 and cp - last in (1, 2):
                    r[1], r[2] = 2, cp - last
                    continue
                if cp - last == r[2]:
                    r[1] += 1
                    continue
        runs.append([cp, 1, 1, delta])
    return runs


class Out:
    """Collect C source text and the static data size."""

    def __init__(self):
        self.parts, self.nbytes = [], 0

    def __call__(self, text=""):
        self.parts.append(text + "\n")

    def array(self, ctype, name, values, per_line=12, fmt="0x%X"):
        width = {"uint8_t": 1, "uint16_t": 2, "uint32_t": 4, "int32_t": 4}[ctype]
        self.nbytes += width * len(values)
        self("static const %s %s[%d] = {" % (ctype, name, len(values)))
        for i in range(0, len(values), per_line):
            self("    " + ", ".join(fmt % v for v in values[i:i + per_line]) + ",")
        self("};")


def uint_type(values):
    top = max(values)
    return "uint8_t" if top < 1 << 8 else "uint16_t" if top < 1 << 16 else "uint32_t"


def generate(ucd):
    version, gc, age, space, lower, nfd = load_ucd(ucd)
    flags = compute_flags(gc, age, space, lower, nfd)
    nfd_max = max(3, max(len(v) for v in nfd.values()))   # 3: Hangul LVT
    assert nfd_max == 4, "NFD max length changed: %d" % nfd_max
    mid, data = dedup_blocks(flags, S2)
    top, mid = dedup_blocks(mid, S1)
    multi = sorted((cp, m) for cp, m in lower.items() if len(m) > 1)
    assert multi and all(len(m) <= 3 for _, m in multi)
    runs = lower_runs(lower)
    assert all(r[0] < 1 << 21 and r[1] <= 256 for r in runs)
    keys = sorted(nfd)
    pool, index = [], []
    for cp in keys:
        index.append(cp << NFD_OFF_BITS | len(pool))
        for c in nfd[cp]:
            if c > 0xFFFF:                        # store as UTF-16 pair
                pool += [0xD800 + ((c - 0x10000) >> 10), 0xDC00 + (c & 0x3FF)]
            else:
                assert not 0xD800 <= c < 0xE000
                pool.append(c)
    index.append(0x3FFFF << NFD_OFF_BITS | len(pool))          # sentinel
    assert keys[-1] < 0x3FFFF and len(pool) < 1 << NFD_OFF_BITS

    gcb_version, gcb = load_gcb(ucd)
    gmid, gdata = dedup_blocks(gcb, S2)
    gtop, gmid = dedup_blocks(gmid, S1)

    o = Out()
    o("/* GENERATED FILE CONTENT -- DO NOT EDIT BY HAND.")
    o(" * Generated by tools/gen_unicode_tables.py from the Unicode Character")
    o(" * Database %s (UnicodeData.txt, DerivedAge.txt, PropList.txt," % version)
    o(" * SpecialCasing.txt, auxiliary/GraphemeBreakProperty.txt, emoji/emoji-data.txt).")
    o(" * Regenerate with:")
    o(" *   %s" % REGEN_CMD)
    o(" * OTHER/MN/PUNCT: General_Category as of Unicode 8.0 (later Age =")
    o(" * unassigned; %d code points use their 8.0 category); SPACE: White_Space;" % len(GC_AS_OF_8_0))
    o(" * lower: simple lowercase + unconditional SpecialCasing, plus the %d" % len(LOWER_SINCE_15))
    o(" * mappings Unicode 16/17 added (Rust std in tokenizers 0.23.2); nfd: full")
    o(" * canonical decomposition of code points assigned <= 12.1 (Hangul")
    o(" * algorithmic), no reordering; LETTER/NUMBER: General_Category L* and N*")
    o(" * of this UCD plus the %d code points Unicode 16.0 made L or N (Oniguruma" % sum(b - a + 1 for a, b, _ in LN_SINCE_15))
    o(" * in tokenizers 0.23.2 and 0.23.3). */")
    o("#define MTL__UC_OTHER  1u  /* Cc Cf Co Cs, as of Unicode 8.0 */")
    o("#define MTL__UC_MN     2u  /* Mn, as of Unicode 8.0 */")
    o("#define MTL__UC_PUNCT  4u  /* Pc Pd Ps Pe Pi Pf Po, as of Unicode 8.0 */")
    o("#define MTL__UC_SPACE  8u  /* White_Space */")
    o("#define MTL__UC_LOWER 16u  /* mtl__uc_lower(cp) differs from cp */")
    o("#define MTL__UC_NFD   32u  /* mtl__uc_nfd(cp) differs from cp */")
    o("#define MTL__UC_LETTER 64u /* L*, current category (\\p{L} of GPT-2's regex) */")
    o("#define MTL__UC_NUMBER 128u /* N*, current category (\\p{N}) */")
    o("#define MTL__UC_NFD_MAX %d  /* longest canonical decomposition */" % nfd_max)
    o("/* Grapheme_Cluster_Break (GraphemeBreakProperty.txt %s), Extended_Pictographic as its own value */" % gcb_version)
    o("enum { " + ", ".join("MTL__GCB_%s = %d" % (n.upper() if n != "Regional_Indicator" else "RI", i)
                          for i, n in enumerate(GCB_NAMES)) + " };")
    o("#if defined(__GNUC__) || defined(__clang__)")
    o("#define MTL__UC_UNUSED __attribute__((unused))")
    o("#else")
    o("#define MTL__UC_UNUSED")
    o("#endif")
    o()
    o.array(uint_type(top), "mtl__uc_flags_top", top, 16, "%d")
    o.array(uint_type(mid), "mtl__uc_flags_mid", mid, 16, "%d")
    o.array("uint8_t", "mtl__uc_flags_data", data, 16, "%d")
    o.array("uint32_t", "mtl__uc_lower_runs",
            [r[0] | (r[1] - 1) << 21 | (r[2] - 1) << 29 for r in runs], 8)
    o.array("int32_t", "mtl__uc_lower_delta", [r[3] for r in runs], 12, "%d")
    o.nbytes += 16 * len(multi)
    o("static const uint32_t mtl__uc_lower_multi[%d][4] = { /* cp, mapping (0-terminated) */" % len(multi))
    for cp, m in multi:
        o("    {" + ", ".join("0x%X" % v for v in [cp] + m + [0] * (3 - len(m))) + "},")
    o("};")
    o.array(uint_type(gtop), "mtl__uc_gcb_top", gtop, 16, "%d")
    o.array(uint_type(gmid), "mtl__uc_gcb_mid", gmid, 16, "%d")
    o.array("uint8_t", "mtl__uc_gcb_data", gdata, 16, "%d")
    o.array("uint32_t", "mtl__uc_nfd_index", index, 8)
    o.array("uint16_t", "mtl__uc_nfd_pool", pool, 12)
    mask1, mask2 = (1 << S1) - 1, (1 << S2) - 1
    o(C_FUNCS.replace("@S1S2@", str(S1 + S2)).replace("@S1@", str(S1))
          .replace("@S2@", str(S2)).replace("@M1@", "0x%Xu" % mask1)
          .replace("@M2@", "0x%Xu" % mask2).replace("@NFDN@", str(len(keys)))
          .replace("@NRUNS@", str(len(runs))).replace("@NMULTI@", str(len(multi)))
          .replace("@OB@", str(NFD_OFF_BITS))
          .replace("@OM@", "0x%Xu" % ((1 << NFD_OFF_BITS) - 1)).rstrip())
    o("/* static table data: %d bytes */" % o.nbytes)
    return "".join(o.parts), o.nbytes


C_FUNCS = r"""
static MTL__UC_UNUSED unsigned mtl__uc_flags(uint32_t cp)
{
    uint32_t i;
    if (cp >= 0x110000u) return 0u;
    i = (uint32_t)mtl__uc_flags_top[cp >> @S1S2@];
    i = (uint32_t)mtl__uc_flags_mid[(i << @S1@) | ((cp >> @S2@) & @M1@)];
    return (unsigned)mtl__uc_flags_data[(i << @S2@) | (cp & @M2@)];
}

static MTL__UC_UNUSED unsigned mtl__uc_gcb(uint32_t cp)
{
    uint32_t i;
    if (cp >= 0x110000u) return 0u;
    i = (uint32_t)mtl__uc_gcb_top[cp >> @S1S2@];
    i = (uint32_t)mtl__uc_gcb_mid[(i << @S1@) | ((cp >> @S2@) & @M1@)];
    return (unsigned)mtl__uc_gcb_data[(i << @S2@) | (cp & @M2@)];
}

static MTL__UC_UNUSED int mtl__uc_lower(uint32_t cp, uint32_t out[3])
{
    uint32_t lo = 0u, hi = @NRUNS@u, i;
    out[0] = cp;
    if (!(mtl__uc_flags(cp) & MTL__UC_LOWER)) return 1;
    for (i = 0u; i < @NMULTI@u; i++) {
        if (mtl__uc_lower_multi[i][0] == cp) {
            int n = 0;
            while (n < 3 && mtl__uc_lower_multi[i][n + 1] != 0u) {
                out[n] = mtl__uc_lower_multi[i][n + 1];
                n++;
            }
            return n;
        }
    }
    /* runs: bits 0-20 first cp, 21-28 count-1, 29-30 step-1 */
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2u;
        if ((mtl__uc_lower_runs[mid] & 0x1FFFFFu) <= cp) lo = mid + 1u; else hi = mid;
    }
    if (lo > 0u) {
        uint32_t run = mtl__uc_lower_runs[lo - 1u];
        uint32_t off = cp - (run & 0x1FFFFFu);
        uint32_t count = ((run >> 21) & 0xFFu) + 1u, step = ((run >> 29) & 3u) + 1u;
        if (off % step == 0u && off / step < count)
            out[0] = (uint32_t)((int32_t)cp + mtl__uc_lower_delta[lo - 1u]);
    }
    return 1;
}

static MTL__UC_UNUSED int mtl__uc_nfd(uint32_t cp, uint32_t out[MTL__UC_NFD_MAX])
{
    uint32_t lo = 0u, hi = @NFDN@u; /* the last index entry is a sentinel */
    out[0] = cp;
    if (!(mtl__uc_flags(cp) & MTL__UC_NFD)) return 1;
    if (cp - 0xAC00u < 11172u) { /* Hangul syllable: L V (T) */
        uint32_t s = cp - 0xAC00u, t = s % 28u;
        out[0] = 0x1100u + s / 588u;
        out[1] = 0x1161u + (s % 588u) / 28u;
        if (t == 0u) return 2;
        out[2] = 0x11A7u + t;
        return 3;
    }
    /* index: (cp << @OB@) | offset into the UTF-16 pool */
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2u;
        uint32_t key = mtl__uc_nfd_index[mid] >> @OB@;
        if (key == cp) {
            uint32_t p = mtl__uc_nfd_index[mid] & @OM@;
            uint32_t end = mtl__uc_nfd_index[mid + 1u] & @OM@;
            int n = 0;
            while (p < end && n < MTL__UC_NFD_MAX) {
                uint32_t u = (uint32_t)mtl__uc_nfd_pool[p++];
                if (u - 0xD800u < 0x400u && p < end)
                    u = 0x10000u + ((u - 0xD800u) << 10) + ((uint32_t)mtl__uc_nfd_pool[p++] - 0xDC00u);
                out[n++] = u;
            }
            return n;
        }
        if (key < cp) lo = mid + 1u; else hi = mid;
    }
    return 1;
}
"""


def replace_inplace(path, block):
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines(keepends=True)
    marks = [i for i, ln in enumerate(lines) if ln.strip() in (BEGIN_MARK, END_MARK)]
    if (len(marks) != 2 or lines[marks[0]].strip() != BEGIN_MARK
            or lines[marks[1]].strip() != END_MARK):
        sys.exit("%s: need exactly one %s line followed by one %s line"
                 % (path, BEGIN_MARK, END_MARK))
    text = "".join(lines[:marks[0] + 1]) + block + "".join(lines[marks[1]:])
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    shutil.copymode(path, tmp)
    os.replace(tmp, path)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--ucd", default="/usr/share/unicode", help="UCD directory")
    g = ap.add_mutually_exclusive_group()
    g.add_argument("--out", metavar="FILE", help="write the block to FILE")
    g.add_argument("--inplace", metavar="HEADER",
                   help="replace the block between the markers in HEADER")
    args = ap.parse_args()
    block, nbytes = generate(args.ucd)
    if args.inplace:
        replace_inplace(args.inplace, block)
    elif args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(block)
    else:
        sys.stdout.write(block)
    print("unicode tables: %d bytes of static data" % nbytes, file=sys.stderr)


if __name__ == "__main__":
    main()
