#!/bin/sh
# Issue 11 (trust): no silent data loss in the command-line tools, on tiny-random-bert (a few seconds).
#  - mtl-embed / mtl-predict / mtl-tokenize: one output row per input line, or a non-zero exit after the
#    rows before the bad line with a message naming it (--on-error stop, the default); --on-error skip:
#    a marked row in place; invalid UTF-8 reads as U+FFFD everywhere (never a stop);
#  - a write error on stdout (> /dev/full) exits non-zero with the OS reason, in every tool; weights_convert
#    and mtl-train on a full location (ulimit -f) fail with the reason and leave no .tmp behind;
#  - mtl-train refuses an --out it cannot write before any training step, keeps the trained state when a
#    save fails later, pins label sets (--cls-labels / --ner-labels) and warns about rare labels.
# Prints PASS/FAIL/SKIP lines.
cd "$(dirname "$0")/.." || exit 1
S=${MTL_SHARED:-../shared}
if [ ! -d "$S/models/tiny-random-bert" ]; then echo "SKIP cli_trust: no $S/models/tiny-random-bert"; exit 0; fi
for b in build/weights_convert build/mtl-train build/mtl-eval build/mtl-predict build/mtl-embed build/mtl-tokenize build/mtl-similarity; do
    [ -x "$b" ] || { echo "SKIP cli_trust: no $b (run make)"; exit 0; }
done
T=$(mktemp -d "${TMPDIR:-/tmp}/mtl_cli_trust.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
D=tests/data
DIR=$S/models/tiny-random-bert
pass=0; fail=0
ok() { echo "PASS cli_trust: $1"; pass=$((pass + 1)); }
ko() { echo "FAIL cli_trust: $1"; fail=$((fail + 1)); }
check() { if eval "$2"; then ok "$1"; else ko "$1"; fi; }
rows() { wc -l < "$1" | tr -d ' '; }
PY=$(command -v python3 || true)

if ! build/weights_convert "$DIR" "$T/tiny.gguf" > "$T/conv.log" 2>&1; then ko "weights_convert failed"; cat "$T/conv.log"; exit 1; fi
M=$T/tiny.gguf
H=32   # tiny-random-bert's hidden size

# run NAME STDIN-FILE COMMAND...: stdout to $T/NAME.out, stderr to $T/NAME.err, status in $rc
run() { n=$1; f=$2; shift 2; "$@" < "$f" > "$T/$n.out" 2> "$T/$n.err"; rc=$?; }

# ================================================================ mtl-embed
printf 'a cat\tsits\nno tab here\nthe dog\truns\n' > "$T/pair.txt"
printf 'a cat\tsits\n' > "$T/pair1.txt"
run e_pair1 "$T/pair1.txt" build/mtl-embed --model "$M" --pair
run e_pair_stop "$T/pair.txt" build/mtl-embed --model "$M" --pair
check "embed --pair without TAB (stop): exit 1, the row before it, message names line 2" '[ $rc -ne 0 ] && [ $(rows "$T/e_pair_stop.out") -eq 1 ] &&
    cmp -s "$T/e_pair_stop.out" "$T/e_pair1.out" && grep -q "<stdin>:2: --pair needs two fields separated by a TAB" "$T/e_pair_stop.err"'
run e_pair_skip "$T/pair.txt" build/mtl-embed --model "$M" --pair --on-error skip
check "embed --pair without TAB (skip): 3 rows, row 2 empty, message names line 2" '[ $rc -eq 0 ] && [ $(rows "$T/e_pair_skip.out") -eq 3 ] &&
    [ -z "$(sed -n 2p "$T/e_pair_skip.out")" ] && [ $(sed -n 3p "$T/e_pair_skip.out" | awk -F"\t" "{print NF}") -eq $H ] &&
    grep -q "<stdin>:2: .*skipped" "$T/e_pair_skip.err"'

# bad hex, in the middle of one batch: the rows before it are exactly the rows of those lines alone
printf '68656c6c6f\n776f726c64\n7a7a\nzz\n6f6b\n' > "$T/hex.txt"
printf '68656c6c6f\n776f726c64\n7a7a\n' > "$T/hex3.txt"
printf '68656c6c6f\n776f726c64\n7a7a\n6f6b\n' > "$T/hex_good.txt"
run e_hex3 "$T/hex3.txt" build/mtl-embed --model "$M" --hex
run e_hex_stop "$T/hex.txt" build/mtl-embed --model "$M" --hex --batch 32
check "embed bad --hex (stop) mid-batch: exit 1, exactly the 3 rows before it, message names line 4" '[ $rc -ne 0 ] && [ $(rows "$T/e_hex_stop.out") -eq 3 ] &&
    cmp -s "$T/e_hex_stop.out" "$T/e_hex3.out" && grep -q "<stdin>:4: bad hex" "$T/e_hex_stop.err"'
run e_hex_good "$T/hex_good.txt" build/mtl-embed --model "$M" --hex
run e_hex_skip "$T/hex.txt" build/mtl-embed --model "$M" --hex --on-error skip --batch 2
check "embed bad --hex (skip): 5 rows, row 4 empty, the others = the good lines' rows in order" '[ $rc -eq 0 ] && [ $(rows "$T/e_hex_skip.out") -eq 5 ] &&
    [ -z "$(sed -n 4p "$T/e_hex_skip.out")" ] && sed 4d "$T/e_hex_skip.out" | cmp -s - "$T/e_hex_good.out" && grep -q "<stdin>:4: bad hex" "$T/e_hex_skip.err"'

# bad --ids: not a number, outside the vocabulary, type ids that do not match, empty
printf '101 7592 102\n101 x 102\n101 99999 102\n101 2088 102\t0 0\n\n101 2088 102\t0 0 0\n' > "$T/ids.txt"
run e_ids_skip "$T/ids.txt" build/mtl-embed --model "$M" --ids --on-error skip
check "embed bad --ids (skip): 6 rows, rows 2-5 empty, 4 messages naming lines 2-5" '[ $rc -eq 0 ] && [ $(rows "$T/e_ids_skip.out") -eq 6 ] &&
    [ $(sed -n 2,5p "$T/e_ids_skip.out" | grep -c "^$") -eq 4 ] && [ $(sed -n 6p "$T/e_ids_skip.out" | awk -F"\t" "{print NF}") -eq $H ] &&
    grep -q "<stdin>:2: bad id list" "$T/e_ids_skip.err" && grep -q "<stdin>:3: token id 99999 is not in the vocabulary" "$T/e_ids_skip.err" &&
    grep -q "<stdin>:4: 2 token type ids for 3 ids" "$T/e_ids_skip.err" && grep -q "<stdin>:5: empty id list" "$T/e_ids_skip.err"'
for k in 2 3 4 5; do   # line 1, then the bad line k as line 2, then a good line
    { sed -n 1p "$T/ids.txt"; sed -n ${k}p "$T/ids.txt"; sed -n 1p "$T/ids.txt"; } > "$T/ids_$k.txt"
    run e_ids_stop "$T/ids_$k.txt" build/mtl-embed --model "$M" --ids
    check "embed bad --ids (input line $k) (stop): exit 1, 1 row, message names line 2" '[ $rc -ne 0 ] && [ $(rows "$T/e_ids_stop.out") -eq 1 ] && grep -q "<stdin>:2: " "$T/e_ids_stop.err"'
done

# --format f32 and --tokens keep the rows too
run e_f32 "$T/hex.txt" build/mtl-embed --model "$M" --hex --on-error skip --format f32
if [ -n "$PY" ]; then
    check "embed --format f32 (skip): 5 rows of $H floats, row 4 all NaN, the others finite" '[ $rc -eq 0 ] && "$PY" -c "
import struct, sys, math
b = open(sys.argv[1], \"rb\").read(); H = int(sys.argv[2])
assert len(b) == 5 * H * 4, len(b)
v = struct.unpack(\"<%df\" % (5 * H), b)
rows = [v[i * H:(i + 1) * H] for i in range(5)]
assert all(math.isnan(x) for x in rows[3])
assert all(math.isfinite(x) for r in rows[:3] + rows[4:] for x in r)
" "$T/e_f32.out" $H'
else
    check "embed --format f32 (skip): 5 rows" '[ $rc -eq 0 ] && [ $(wc -c < "$T/e_f32.out") -eq $((5 * H * 4)) ]'
fi
run e_tok "$T/hex.txt" build/mtl-embed --model "$M" --hex --on-error skip --tokens
check "embed --tokens (skip): one empty line ending each of the 5 inputs" '[ $rc -eq 0 ] && [ $(grep -c "^$" "$T/e_tok.out") -eq 5 ]'

# invalid UTF-8 mid-file: U+FFFD (dropped by the normalizer, as in HF), never a stop
printf 'first line\nbad \377\376 bytes\nlast line\n' > "$T/latin.txt"
printf 'bad  bytes\n' > "$T/latin_clean.txt"
run e_utf_clean "$T/latin_clean.txt" build/mtl-embed --model "$M"
run e_utf "$T/latin.txt" build/mtl-embed --model "$M"
check "embed invalid UTF-8 mid-file: 3 rows, exit 0, a note naming line 2, row 2 = the text without the bytes" '[ $rc -eq 0 ] && [ $(rows "$T/e_utf.out") -eq 3 ] &&
    grep -q "<stdin>:2: not valid UTF-8: 2 invalid byte(s) read as U+FFFD" "$T/e_utf.err" && sed -n 2p "$T/e_utf.out" | cmp -s - "$T/e_utf_clean.out"'
printf 'one\ntwo\n' > "$T/two.txt"
run e_full "$T/two.txt" sh -c 'build/mtl-embed --model "$1" > /dev/full' sh "$M"
check "embed > /dev/full: exit 1, reason" '[ $rc -eq 1 ] && grep -q "cannot write the output: No space left on device" "$T/e_full.err"'
run e_opt "$T/two.txt" build/mtl-embed --model "$M" --on-error ignore
check "embed --on-error ignore: usage error, exit 2" '[ $rc -eq 2 ]'

# ================================================================ mtl-tokenize
run t_pair_stop "$T/pair.txt" build/mtl-tokenize --model-dir "$DIR" --pair
check "tokenize --pair without TAB (stop): exit 1, 1 row, message names line 2" '[ $rc -ne 0 ] && [ $(rows "$T/t_pair_stop.out") -eq 1 ] &&
    grep -q "<stdin>:2: --pair needs two fields" "$T/t_pair_stop.err"'
run t_pair_skip "$T/pair.txt" build/mtl-tokenize --model-dir "$DIR" --pair --on-error skip
check "tokenize --pair without TAB (skip): 3 rows, row 2 empty" '[ $rc -eq 0 ] && [ $(rows "$T/t_pair_skip.out") -eq 3 ] &&
    [ -z "$(sed -n 2p "$T/t_pair_skip.out")" ] && sed -n 3p "$T/t_pair_skip.out" | grep -q "^101 .* 102	0 .* 1$" && grep -q "<stdin>:2: .*skipped" "$T/t_pair_skip.err"'
run t_hex_stop "$T/hex.txt" build/mtl-tokenize --model-dir "$DIR" --hex
check "tokenize bad --hex (stop): exit 1, 3 rows, message names line 4" '[ $rc -ne 0 ] && [ $(rows "$T/t_hex_stop.out") -eq 3 ] && grep -q "<stdin>:4: bad hex" "$T/t_hex_stop.err"'
run t_hex_skip "$T/hex.txt" build/mtl-tokenize --model-dir "$DIR" --hex --on-error skip
check "tokenize bad --hex (skip): 5 rows, row 4 empty, row 1 = hello" '[ $rc -eq 0 ] && [ $(rows "$T/t_hex_skip.out") -eq 5 ] && [ -z "$(sed -n 4p "$T/t_hex_skip.out")" ] &&
    [ "$(sed -n 1p "$T/t_hex_skip.out")" = "101 7592 102" ]'
run t_utf_clean "$T/latin_clean.txt" build/mtl-tokenize --model-dir "$DIR"
run t_utf "$T/latin.txt" build/mtl-tokenize --model-dir "$DIR"
check "tokenize invalid UTF-8 mid-file: 3 rows, exit 0, note on line 2, ids = the text without the bytes" '[ $rc -eq 0 ] && [ $(rows "$T/t_utf.out") -eq 3 ] &&
    grep -q "<stdin>:2: not valid UTF-8" "$T/t_utf.err" && sed -n 2p "$T/t_utf.out" | cmp -s - "$T/t_utf_clean.out"'
run t_full "$T/two.txt" sh -c 'build/mtl-tokenize --model-dir "$1" > /dev/full' sh "$DIR"
check "tokenize > /dev/full: exit 1, reason" '[ $rc -eq 1 ] && grep -q "No space left on device" "$T/t_full.err"'
run t_nodir "$T/two.txt" build/mtl-tokenize --model-dir "$T/no_such_dir"
check "tokenize missing --model-dir: exit 1, the OS reason" '[ $rc -eq 1 ] && grep -q "no_such_dir: No such file or directory" "$T/t_nodir.err"'

# ================================================================ mtl-train: --out refused before any step
TR="--model $M --cls-train $D/sst2_sample.tsv --epochs 1 --batch 4 --max-length 32"
out_refused() {   # name, expected message, --out value
    name=$1; re=$2
    build/mtl-train $TR --out "$3" > "$T/r.out" 2> "$T/r.err"; rc=$?
    if [ $rc -ne 0 ] && grep -q "$re" "$T/r.err" && ! grep -q "progress:" "$T/r.err" && ! grep -q "^model \|^\[dev" "$T/r.out"; then ok "train --out $name: refused before any step"
    else ko "train --out $name (exit $rc): $(cat "$T/r.err")"; fi
}
mkdir -p "$T/adir"
: > "$T/afile"
out_refused "a directory" "is a directory" "$T/adir"
out_refused "a directory name with a slash" "is a directory" "$T/newdir/"
out_refused "an empty string" "empty file name" ""
out_refused "in a missing directory" "No such file or directory" "$T/no/such/dir/x.gguf"
out_refused "under a regular file" "Not a directory" "$T/afile/x.gguf"
mkdir -p "$T/r2.gguf.resume.gguf"
out_refused "whose resumable checkpoint path is a directory" "resume.gguf: is a directory" "$T/r2.gguf"
check "train: the refused runs left nothing behind" '[ ! -e "$T/newdir" ] && [ ! -e "$T/r2.gguf" ] && [ ! -e "$T/r2.gguf.tmp" ] && [ -z "$(ls "$T/adir")" ]'

# stdout that cannot be written: stops before training
build/mtl-train $TR --out "$T/fullout.gguf" > /dev/full 2> "$T/tf.err"; rc=$?
check "train > /dev/full: exit 1 before any step, nothing written" '[ $rc -eq 1 ] && grep -q "No space left on device" "$T/tf.err" && ! grep -q "progress:" "$T/tf.err" && [ ! -e "$T/fullout.gguf" ]'

# a save that fails later (disk full: a file size limit): the reason, no .tmp left
(trap '' XFSZ; ulimit -f 1000; exec build/mtl-train $TR --out "$T/big.gguf") > "$T/big.out" 2> "$T/big.err"; rc=$?
check "train save on a full location: exit 1, the reason, no .tmp left" '[ $rc -eq 1 ] && grep -q "cannot write .*big.gguf: File too large" "$T/big.err" &&
    [ ! -e "$T/big.gguf" ] && [ ! -e "$T/big.gguf.tmp" ] && [ ! -e "$T/big.gguf.resume.gguf.tmp" ]'
# --out becomes unwritable during training: the trained state is kept beside it (or in $TMPDIR) and named.
# The run must outlast the mkdir below: 150 epochs (~0.8 s natively); under an emulator
# (MTL_TEST_EMULATED=1: tests/portability.sh's qemu-arm run, ~100x slower) 8 epochs last longer still.
KEEP_EPOCHS=150; [ "${MTL_TEST_EMULATED:-}" = 1 ] && KEEP_EPOCHS=8
KEEP_STEPS=$((KEEP_EPOCHS * 3))   # 3 steps an epoch (10 sentences, batch 4)
LONG="--model $M --cls-train $D/sst2_sample.tsv --epochs $KEEP_EPOCHS --batch 4 --max-length 16"
keep_case() {   # name, dirs to create once training runs...
    name=$1; shift
    mkdir -p "$T/tmpd"
    rm -f "$T/keep.out"   # else the wait below can see the previous case's output before this run truncates it
    TMPDIR="$T/tmpd" build/mtl-train $LONG --out "$T/keep.gguf" > "$T/keep.out" 2> "$T/keep.err" &
    pid=$!
    i=0
    while [ $i -lt 200 ] && ! grep -q "^cls labels" "$T/keep.out" 2>/dev/null; do sleep 0.05; i=$((i + 1)); done
    for dd in "$@"; do mkdir -p "$dd"; done
    wait $pid; rc=$?
}
keep_case beside "$T/keep.gguf.tmp"
kept=$(sed -n 's/.*the trained state (step [0-9]*) is kept in \([^:]*\):.*/\1/p' "$T/keep.err")
check "train: a save failing mid-run keeps the state beside --out and names it" '[ $rc -eq 1 ] && grep -q "cannot write .*keep.gguf: Is a directory" "$T/keep.err" &&
    [ "$kept" = "$T/keep.gguf.resume.gguf" ] && [ -s "$kept" ] && grep -q "step $KEEP_STEPS/$KEEP_STEPS" "$T/keep.err" && echo hi | build/mtl-embed --model "$kept" > /dev/null 2>&1'
rmdir "$T/keep.gguf.tmp"; rm -f "$T/keep.gguf.resume.gguf" "$T/keep.gguf.resume.gguf.best"
keep_case tmpdir "$T/keep.gguf.tmp" "$T/keep.gguf.resume.gguf.tmp"
kept=$(sed -n 's/.*the trained state (step [0-9]*) is kept in \([^:]*\):.*/\1/p' "$T/keep.err")
case "$kept" in "$T/tmpd/mtl-train-"*.resume.gguf) where=ok ;; *) where=bad ;; esac
check "train: when beside fails too, the state goes to \$TMPDIR ($kept)" '[ $rc -eq 1 ] && [ $where = ok ] && [ -s "$kept" ] && echo hi | build/mtl-embed --model "$kept" > /dev/null 2>&1'

# ================================================================ mtl-train: labels
printf 'sentence\tlabel\na good film\t1\na bad film\t0\nfine\t1 \nawful\t0\ngreat\t1\nboring\t0\nnice\t1\ndull\t0\nsuperb\t1\nweak\t0\nlovely\tpositive\nbland\t0\n' > "$T/typo.tsv"
build/mtl-train --model "$M" --out "$T/lab.gguf" --cls-train "$T/typo.tsv" --cls-labels 0,1 --epochs 1 > "$T/l.out" 2> "$T/l.err"; rc=$?
check "train --cls-labels 0,1: a typo is an error with file:line, nothing written" '[ $rc -eq 1 ] && grep -q "typo.tsv:12: unknown label \"positive\"" "$T/l.err" && [ ! -e "$T/lab.gguf" ] && ! grep -q "progress:" "$T/l.err"'
build/mtl-train --model "$M" --out "$T/lab.gguf" --cls-train "$T/typo.tsv" --epochs 1 > "$T/l.out" 2> "$T/l.err"; rc=$?
check "train without --cls-labels: the typo's class is warned about (file:line), \"1 \" is \"1\"" '[ $rc -eq 0 ] &&
    grep -q "warning: .*typo.tsv:12: label \"positive\" on only 1 of 12 rows" "$T/l.err" && grep -q "^cls labels (3): 0 1 positive$" "$T/l.out"'
sed '/positive/d' "$T/typo.tsv" > "$T/clean.tsv"
build/mtl-train --model "$M" --out "$T/lab.gguf" --cls-train "$T/clean.tsv" --labels 1,0,2 --epochs 1 > "$T/l.out" 2> "$T/l.err"; rc=$?
check "train --labels 1,0,2: ids follow the list, the unused label is warned about" '[ $rc -eq 0 ] && grep -q "^cls labels (3): 1 0 2$" "$T/l.out" &&
    grep -q "warning: label \"2\" of the given list never occurs" "$T/l.err"'
build/mtl-train --model "$M" --out "$T/lab.gguf" --ner-train $D/conll_2col_iob2.txt --ner-labels O,B-PER,I-PER --epochs 1 > "$T/l.out" 2> "$T/l.err"; rc=$?
check "train --ner-labels: a tag outside the list is an error with file:line" '[ $rc -eq 1 ] && grep -q "conll_2col_iob2.txt:[0-9]*: unknown tag \"B-LOC\"" "$T/l.err"'
build/mtl-train --model "$M" --out "$T/lab.gguf" --cls-train "$T/clean.tsv" --cls-labels 0,1,0 --epochs 1 > "$T/l.out" 2> "$T/l.err"; rc=$?
check "train --cls-labels with a duplicate: refused" '[ $rc -ne 0 ] && grep -q "appears twice" "$T/l.err"'

# ================================================================ mtl-predict, mtl-eval, mtl-similarity (a trained checkpoint)
build/mtl-train --model "$M" --out "$T/ck.gguf" --cls-train $D/sst2_sample.tsv --ner-train $D/conll_2col_iob2.txt --epochs 1 --batch 4 --max-length 32 > /dev/null 2>&1
if [ ! -s "$T/ck.gguf" ]; then ko "training the checkpoint for predict/eval failed"; else
    printf 'Anna lives in Oslo .\nbad \377 line\n\nlast one\n' > "$T/p.txt"
    run p_utf "$T/p.txt" build/mtl-predict --model "$T/ck.gguf"
    check "predict invalid UTF-8 mid-file: 4 rows, exit 0, a note naming line 2" '[ $rc -eq 0 ] && [ $(rows "$T/p_utf.out") -eq 4 ] &&
        grep -q "<stdin>:2: not valid UTF-8: 1 invalid byte(s) read as U+FFFD" "$T/p_utf.err" && [ $(grep -c "^[01] [01]\.[0-9]*	" "$T/p_utf.out") -eq 4 ]'
    run p_json "$T/p.txt" build/mtl-predict --model "$T/ck.gguf" --json
    if [ -n "$PY" ]; then
        check "predict --json invalid UTF-8: 4 valid JSON rows, U+FFFD in the text, spans index it" '[ $rc -eq 0 ] && "$PY" -c "
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1], encoding=\"utf-8\")]
assert len(rows) == 4
assert rows[1][\"text\"] == \"bad \ufffd line\" and rows[2][\"text\"] == \"\" and rows[3][\"text\"] == \"last one\"
for r in rows:
    for e in r[\"ner\"][\"entities\"]:
        assert r[\"text\"][e[\"start\"]:e[\"end\"]] == e[\"text\"], e
" "$T/p_json.out"'
    else
        check "predict --json invalid UTF-8: 4 rows" '[ $rc -eq 0 ] && [ $(rows "$T/p_json.out") -eq 4 ]'
    fi
    run p_full "$T/p.txt" sh -c 'build/mtl-predict --model "$1" > /dev/full' sh "$T/ck.gguf"
    check "predict > /dev/full: exit 1, reason" '[ $rc -eq 1 ] && grep -q "No space left on device" "$T/p_full.err"'
    run p_opt "$T/p.txt" build/mtl-predict --model "$T/ck.gguf" --on-error maybe
    check "predict --on-error maybe: usage error, exit 2" '[ $rc -eq 2 ]'
    run p_skip "$T/p.txt" build/mtl-predict --model "$T/ck.gguf" --on-error skip
    check "predict --on-error skip: same 4 rows" '[ $rc -eq 0 ] && cmp -s "$T/p_skip.out" "$T/p_utf.out"'
    run v_full "$T/two.txt" sh -c 'build/mtl-eval --model "$1" --cls-test "$2" > /dev/full' sh "$T/ck.gguf" $D/sst2_sample.tsv
    check "eval > /dev/full: exit 1, reason" '[ $rc -eq 1 ] && grep -q "No space left on device" "$T/v_full.err"'
    run v_nofile "$T/two.txt" build/mtl-eval --model "$T/ck.gguf" --cls-test "$T/no_such.tsv"
    check "eval of a missing file: exit 1, the OS reason" '[ $rc -eq 1 ] && grep -q "no_such.tsv: No such file or directory" "$T/v_nofile.err"'
fi
run s_full "$T/two.txt" sh -c 'build/mtl-similarity --model "$1" "a cat" "a dog" > /dev/full' sh "$M"
check "similarity > /dev/full: exit 1, reason" '[ $rc -eq 1 ] && grep -q "No space left on device" "$T/s_full.err"'

# ================================================================ weights_convert
build/weights_convert "$DIR" "$T/adir" > /dev/null 2> "$T/w.err"; rc=$?
check "weights_convert OUT a directory: refused" '[ $rc -eq 1 ] && grep -q "is a directory" "$T/w.err"'
build/weights_convert "$DIR" "$T/no/such/x.gguf" > /dev/null 2> "$T/w.err"; rc=$?
check "weights_convert OUT in a missing directory: the OS reason" '[ $rc -eq 1 ] && grep -q "No such file or directory" "$T/w.err"'
(trap '' XFSZ; ulimit -f 1000; exec build/weights_convert "$DIR" "$T/wfull.gguf") > /dev/null 2> "$T/w.err"; rc=$?
check "weights_convert on a full location: exit 1, the reason, no OUT / OUT.tmp" '[ $rc -eq 1 ] && grep -q "File too large" "$T/w.err" && [ ! -e "$T/wfull.gguf" ] && [ ! -e "$T/wfull.gguf.tmp" ]'
exit 0
