#!/bin/sh
# Every tool that reads a model file, on damaged copies of a trainer checkpoint (mtl-train's
# --save-state file: backbone, cls head with labels, optimizer state, checksum; --out is the same
# without the optimizer state): each run must either fail with a
# message on stderr (exit 1, never a signal) or succeed with output identical to the intact file's.
# The damages: one byte flipped at every 4097*29th offset, and 16-byte overwrites in the header.
# (tests/test_integrity.c flips every 4097th byte of the same kind of file through the loaders
# themselves; here each damage runs 5 programs.) Also: a model file without a checksum loads, and
# the tools say so on stderr. Prints PASS/FAIL/SKIP lines.
cd "$(dirname "$0")/.." || exit 1
S=${MTL_SHARED:-../shared}
if [ ! -d "$S/models/tiny-random-bert" ]; then echo "SKIP cli_integrity: no $S/models/tiny-random-bert"; exit 0; fi
for b in build/weights_convert build/mtl-train build/mtl-eval build/mtl-predict build/mtl-embed build/mtl-similarity; do
    [ -x "$b" ] || { echo "SKIP cli_integrity: no $b (run make)"; exit 0; }
done
T=$(mktemp -d "${TMPDIR:-/tmp}/mtl_cli_integrity.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
D=tests/data
pass=0; fail=0
ok() { echo "PASS cli_integrity: $1"; pass=$((pass + 1)); }
ko() { echo "FAIL cli_integrity: $1"; fail=$((fail + 1)); }

build/weights_convert "$S/models/tiny-random-bert" "$T/m.gguf" > "$T/log" 2>&1 || { ko "weights_convert"; cat "$T/log"; exit 1; }
head -12 $D/sst2_sample.tsv > "$T/train.tsv"
build/mtl-train --model "$T/m.gguf" --out "$T/model.gguf" --save-state "$T/ck.gguf" --cls-train "$T/train.tsv" --cls-format sst2 \
    --epochs 1 --batch 8 --max-length 32 --seed 1 --threads 1 > "$T/log" 2>&1 || { ko "mtl-train"; cat "$T/log"; exit 1; }
printf 'a gorgeous, witty, seductive movie.\nthe plot is nowhere near as clever as it thinks it is.\nnaïve café 東京\n' > "$T/texts"

# run TOOL FILE OUT: one tool on one model file, stdout to OUT, stderr to OUT.err, exit status echoed
run() {
    case $1 in
    embed)      build/mtl-embed --model "$2" < "$T/texts" > "$3" 2> "$3.err" ;;
    predict)    build/mtl-predict --model "$2" < "$T/texts" > "$3" 2> "$3.err" ;;
    eval)       build/mtl-eval --model "$2" --cls-test "$T/train.tsv" --cls-format sst2 > "$3" 2> "$3.err" ;;
    similarity) build/mtl-similarity --model "$2" "the cat" "a kitten" > "$3" 2> "$3.err" ;;
    train)      build/mtl-train --model "$2" --out "$T/out_$$.gguf" --cls-train "$T/train.tsv" --cls-format sst2 \
                    --epochs 1 --batch 8 --max-length 32 --seed 1 --threads 1 2> "$3.err" | grep -v ' s training' > "$3" ;;
    esac
    echo $?
}
TOOLS="embed predict eval similarity train"
for t in $TOOLS; do
    rc=$(run $t "$T/ck.gguf" "$T/ref.$t")
    if [ "$rc" != 0 ] || [ ! -s "$T/ref.$t" ]; then ko "$t on the intact checkpoint (exit $rc)"; cat "$T/ref.$t.err"; fi
done

size=$(wc -c < "$T/ck.gguf")
n=0; refused=0; same=0; bad=0
damage() {   # damage OFFSET LEN BYTE: a copy of the checkpoint with LEN bytes at OFFSET set to BYTE (or flipped: BYTE=flip)
    cp "$T/ck.gguf" "$T/bad.gguf"
    if [ "$3" = flip ]; then
        b=$(od -An -tu1 -j "$1" -N1 "$T/ck.gguf" | tr -d ' ')
        printf "$(printf '\\%03o' $((b ^ 255)))" | dd of="$T/bad.gguf" bs=1 seek="$1" conv=notrunc 2>/dev/null
    else
        head -c "$2" /dev/zero | tr '\0' "\\$3" | dd of="$T/bad.gguf" bs=1 seek="$1" conv=notrunc 2>/dev/null
    fi
    cmp -s "$T/ck.gguf" "$T/bad.gguf" && return 0
    n=$((n + 1))
    for t in $TOOLS; do
        rc=$(run $t "$T/bad.gguf" "$T/got.$t")
        if [ "$rc" = 0 ]; then
            if cmp -s "$T/ref.$t" "$T/got.$t"; then same=$((same + 1)); else bad=$((bad + 1)); echo "  $t: damage $3 at $1 ($2 bytes) exits 0 with other output"; fi
        elif [ "$rc" -gt 1 ] && [ "$rc" -ne 2 ] || [ ! -s "$T/got.$t.err" ]; then
            bad=$((bad + 1)); echo "  $t: damage at $1: exit $rc, stderr: $(head -c 200 "$T/got.$t.err")"
        else
            refused=$((refused + 1))
        fi
    done
}
off=0
while [ "$off" -lt "$size" ]; do damage "$off" 1 flip; off=$((off + 4097 * 29)); done
for off in 0 8 24 40 100 300 700 1500 3000; do damage "$off" 16 377; done
for off in 16 64 200 500 1000 2000; do damage "$off" 16 000; done
msg=$(cat "$T/got.embed.err")
if [ "$bad" -eq 0 ] && [ "$n" -gt 30 ]; then ok "$n damaged checkpoints x 5 tools: $refused runs refused with a message, $same identical, 0 wrong (e.g. $msg)"
else ko "$n damaged checkpoints x 5 tools: $bad runs wrong (exit 0 with other output, a signal, or no message)"; fi

# a file without a checksum: loads, and the tool says so (tests/fuzz/seeds: an older weights_convert's file)
printf '1 2 3\n' > "$T/ids"
build/mtl-embed --model tests/fuzz/seeds/fuzz_blob/tiny_seqcls.gguf --ids < "$T/ids" > "$T/o" 2> "$T/e"; rc=$?
if [ $rc -eq 0 ] && [ -s "$T/o" ] && grep -q "no checksum" "$T/e"; then ok "a file without a checksum loads, with a note on stderr: $(head -1 "$T/e")"
else ko "a file without a checksum: exit $rc, stderr: $(cat "$T/e")"; fi
echo "cli_integrity: $pass passed, $fail failed" >&2
[ "$fail" -eq 0 ]
