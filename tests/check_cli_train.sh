#!/bin/sh
# End-to-end check of the issue #5 CLIs on tiny-random-bert and tests/data (a few seconds):
# weights_convert -> mtl-train (multi-task, dev metrics before/after, losses fall) -> mtl-eval (text + JSON)
# -> mtl-predict (text + JSON, spans) -> mtl-embed loads the checkpoint; error cases (file:line, exit
# status, no output written); Ctrl-C -> resumable checkpoint -> --resume. Prints PASS/FAIL/SKIP lines.
cd "$(dirname "$0")/.." || exit 1
S=${MTL_SHARED:-../shared}
if [ ! -d "$S/models/tiny-random-bert" ]; then echo "SKIP cli_train: no $S/models/tiny-random-bert"; exit 0; fi
for b in build/weights_convert build/mtl-train build/mtl-eval build/mtl-predict build/mtl-embed; do
    [ -x "$b" ] || { echo "SKIP cli_train: no $b (run make)"; exit 0; }
done
T=$(mktemp -d "${TMPDIR:-/tmp}/mtl_cli_train.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
D=tests/data
pass=0; fail=0
ok() { echo "PASS cli_train: $1"; pass=$((pass + 1)); }
ko() { echo "FAIL cli_train: $1"; fail=$((fail + 1)); }
check() { if eval "$2"; then ok "$1"; else ko "$1"; fi; }
PY=$(command -v python3 || true)

if ! build/weights_convert "$S/models/tiny-random-bert" "$T/tiny.gguf" > "$T/conv.log" 2>&1; then
    ko "weights_convert failed"; cat "$T/conv.log"; exit 1
fi
M=$T/tiny.gguf
TRAIN="--model $M --cls-train $D/sst2_sample.tsv --cls-dev $D/sst2_sample.tsv --cls-format sst2
       --ner-train $D/conll_2col_iob2.txt --ner-dev $D/conll_iob1.txt --ner-format conll
       --epochs 15 --batch 4 --max-length 64 --lr 3e-3 --head-lr-mult 5 --warmup-ratio 0.1 --seed 7"

# --- training ---
build/mtl-train $TRAIN --out "$T/ck.gguf" --eval-every 20 > "$T/train.out" 2> "$T/train.err"; rc=$?
check "mtl-train exits 0" '[ $rc -eq 0 ]'
check "mtl-train writes --out (and no .tmp / .resume.gguf left)" '[ -s "$T/ck.gguf" ] && [ ! -e "$T/ck.gguf.tmp" ] && [ ! -e "$T/ck.gguf.resume.gguf" ]'
check "dev metrics before, during and after training" 'grep -q "^\[dev before training\] step 0  cls: loss .* accuracy .*  ner: loss .* entity-F1" "$T/train.out" &&
    grep -q "^\[dev epoch 1\]" "$T/train.out" && grep -q "^\[dev\] step 20 " "$T/train.out" && grep -q "^\[dev after training\] step 45 " "$T/train.out" &&
    grep -q "precision    recall  f1-score   support" "$T/train.out" && grep -q "micro avg" "$T/train.out"'
# dev losses fall (before -> after), for both tasks
b_cls=$(sed -n 's/^\[dev before training\].*cls: loss \([0-9.]*\).*/\1/p' "$T/train.out")
a_cls=$(sed -n 's/^\[dev after training\].*cls: loss \([0-9.]*\).*/\1/p' "$T/train.out")
b_ner=$(sed -n 's/^\[dev before training\].*ner: loss \([0-9.]*\).*/\1/p' "$T/train.out")
a_ner=$(sed -n 's/^\[dev after training\].*ner: loss \([0-9.]*\).*/\1/p' "$T/train.out")
check "dev losses fall: cls $b_cls -> $a_cls, ner $b_ner -> $a_ner" \
    'awk -v b="$b_cls" -v a="$a_cls" -v c="$b_ner" -v d="$a_ner" "BEGIN { exit !(b != \"\" && c != \"\" && a + 0 < 0.5 * b && d + 0 < 0.8 * c) }"'
# plain progress lines (stderr is not a terminal here); the running loss falls
first=$(sed -n 's/^progress: step [0-9]*\/45 .* loss \([0-9.]*\) cls.*/\1/p' "$T/train.err" | head -1)
last=$(sed -n 's/^progress: step 45\/45 .* loss \([0-9.]*\) cls.*/\1/p' "$T/train.err")
check "plain progress lines, running loss falls ($first -> $last)" \
    'grep -q "it/s eta" "$T/train.err" && awk -v f="$first" -v l="$last" "BEGIN { exit !(f != \"\" && l != \"\" && l + 0 < f + 0) }"'

# --- evaluation ---
build/mtl-eval --model "$T/ck.gguf" --cls-test $D/sst2_sample.tsv --ner-test $D/conll_iob1.txt > "$T/eval.txt" 2>&1; rc=$?
check "mtl-eval text: classification report, confusion matrix, entity report" '[ $rc -eq 0 ] &&
    grep -q "^              precision    recall  f1-score   support" "$T/eval.txt" && grep -q "^    accuracy  " "$T/eval.txt" &&
    grep -q "^confusion matrix" "$T/eval.txt" && grep -q "^         PER " "$T/eval.txt" && grep -q "^   micro avg " "$T/eval.txt"'
# the checkpoint's dev numbers = mtl-eval's numbers (trainer eval vs inference path)
t_acc=$(sed -n 's/^\[dev after training\].*accuracy \([0-9.]*\).*/\1/p' "$T/train.out")
e_acc=$(awk '$1 == "accuracy" { print $2 }' "$T/eval.txt")
check "mtl-eval accuracy ($e_acc) = mtl-train's last dev accuracy ($t_acc)" '[ -n "$e_acc" ] && awk -v a="$e_acc" -v b="$t_acc" "BEGIN { exit !(a + 0 == b + 0) }"'
build/mtl-eval --model "$T/ck.gguf" --cls-test $D/sst2_sample.tsv --ner-test $D/conll_iob1.txt --json > "$T/eval.json" 2>&1; rc=$?
if [ -n "$PY" ]; then
    check "mtl-eval --json parses, has the report keys" '[ $rc -eq 0 ] && "$PY" -c "
import json, sys
d = json.load(open(sys.argv[1]))
r = d[\"cls\"][\"report\"]; n = d[\"ner\"][\"report\"]
assert set(r) >= {\"0\", \"1\", \"accuracy\", \"macro avg\", \"weighted avg\"}, r
assert len(d[\"cls\"][\"confusion_matrix\"]) == 2 and sum(map(sum, d[\"cls\"][\"confusion_matrix\"])) == 10
assert d[\"cls\"][\"labels\"] == [\"0\", \"1\"]
assert {\"micro avg\", \"macro avg\", \"weighted avg\"} <= set(n) and n[\"micro avg\"][\"support\"] == 17, n
" "$T/eval.json"'
else
    check "mtl-eval --json" '[ $rc -eq 0 ] && grep -q "\"confusion_matrix\": \[\[" "$T/eval.json"'
fi

# --- prediction ---
printf 'Anna Lindqvist visited Uppsala in Z\303\274rich .\r\nit is a charming and often affecting journey .\n\n' > "$T/in.txt"
build/mtl-predict --model "$T/ck.gguf" < "$T/in.txt" > "$T/pred.txt" 2>&1; rc=$?
check "mtl-predict text: one line per input, class + probability" '[ $rc -eq 0 ] && [ $(wc -l < "$T/pred.txt") -eq 3 ] &&
    [ $(grep -c "^[01] [01]\.[0-9][0-9][0-9][0-9]	" "$T/pred.txt") -eq 3 ]'
build/mtl-predict --model "$T/ck.gguf" --json < "$T/in.txt" > "$T/pred.json" 2>&1; rc=$?
if [ -n "$PY" ]; then
    check "mtl-predict --json: line, cls label + probabilities, ner entity spans index the text" '[ $rc -eq 0 ] && "$PY" -c "
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1], encoding=\"utf-8\")]
assert len(rows) == 3 and [r[\"line\"] for r in rows] == [1, 2, 3]
for r in rows:
    c = r[\"cls\"]
    assert c[\"label\"] in (\"0\", \"1\") and abs(sum(c[\"probabilities\"].values()) - 1) < 1e-4
    assert c[\"probability\"] == max(c[\"probabilities\"].values())
    for e in r[\"ner\"][\"entities\"]:
        assert r[\"text\"][e[\"start\"]:e[\"end\"]] == e[\"text\"], e
        assert e[\"type\"] in (\"PER\", \"LOC\", \"ORG\", \"MISC\")
assert rows[0][\"text\"].endswith(\"rich .\") and rows[2][\"text\"] == \"\" and rows[2][\"ner\"][\"entities\"] == []
" "$T/pred.json"'
else
    check "mtl-predict --json" '[ $rc -eq 0 ] && [ $(grep -c "\"ner\": {\"entities\": \[" "$T/pred.json") -eq 3 ]'
fi
check "mtl-embed loads the checkpoint" 'echo "hello world" | build/mtl-embed --model "$T/ck.gguf" > "$T/emb.txt" 2>&1 && [ $(awk -F"\t" "{ print NF }" "$T/emb.txt") -eq 32 ]'

# --- errors: file:line message, exit status, nothing written ---
printf 'sentence\tlabel\ngood film \t1\nbad film \t2\n' > "$T/unk.tsv"
printf 'sentence\tlabel\ngood film \t1\nbad film\n' > "$T/mal.tsv"
: > "$T/empty.tsv"
printf 'sentence\tlabel\ngood \377 film \t1\n' > "$T/latin.tsv"
err_case() {   # name, expected message regexp, command...
    name=$1; re=$2; shift 2
    rm -f "$T/bad.gguf" "$T/bad.gguf.tmp"
    "$@" > "$T/e.out" 2> "$T/e.err"; rc=$?
    if [ $rc -ne 0 ] && grep -q "$re" "$T/e.err" && [ ! -e "$T/bad.gguf" ] && [ ! -e "$T/bad.gguf.tmp" ]; then ok "error: $name"
    else ko "error: $name (exit $rc): $(cat "$T/e.err")"; fi
}
err_case "unknown dev label" "unk.tsv:3: unknown label" build/mtl-train --model "$M" --out "$T/bad.gguf" --cls-train $D/sst2_sample.tsv --cls-dev "$T/unk.tsv"
err_case "malformed line" "mal.tsv:3: " build/mtl-train --model "$M" --out "$T/bad.gguf" --cls-train "$T/mal.tsv"
err_case "empty file" "empty.tsv:1: empty file" build/mtl-train --model "$M" --out "$T/bad.gguf" --cls-train "$T/empty.tsv"
err_case "not UTF-8" "latin.tsv:2: not UTF-8" build/mtl-train --model "$M" --out "$T/bad.gguf" --cls-train "$T/latin.tsv"
err_case "latin-1 GMB read as CoNLL" "gmb_sample.csv:12: not UTF-8" build/mtl-train --model "$M" --out "$T/bad.gguf" --ner-train $D/gmb_sample.csv --ner-format conll
err_case "bad NER format" "unknown NER format" build/mtl-train --model "$M" --out "$T/bad.gguf" --ner-train $D/gmb_sample.csv --ner-format xml
err_case "unwritable --out" "cannot write" build/mtl-train --model "$M" --out "$T/no/such/dir/x.gguf" --cls-train $D/sst2_sample.tsv
err_case "mtl-eval unknown label" "unk.tsv:3: unknown label" build/mtl-eval --model "$T/ck.gguf" --cls-test "$T/unk.tsv"
err_case "mtl-eval: NER file with a tag the model lacks" "gmb_sample.csv:[0-9]*: unknown" build/mtl-eval --model "$T/ck.gguf" --ner-test $D/gmb_sample.csv --ner-format gmb
printf 'ok line\nbad \377 line\n' > "$T/bad.txt"
build/mtl-predict --model "$T/ck.gguf" < "$T/bad.txt" > "$T/bad.out" 2> "$T/bad.err"; rc=$?
check "mtl-predict non-UTF-8 input: U+FFFD, a note naming the line, one row per line" '[ $rc -eq 0 ] && [ $(wc -l < "$T/bad.out") -eq 2 ] &&
    grep -q "<stdin>:2: not valid UTF-8: 1 invalid byte(s) read as U+FFFD" "$T/bad.err"'

# --- Ctrl-C: resumable checkpoint; --resume with the same options ends bit-identical to an uninterrupted run ---
# 60 epochs (~0.5 s natively: SIGINT lands mid-run); under an emulator (MTL_TEST_EMULATED=1:
# tests/portability.sh's qemu-arm run, ~100x slower) 6 epochs, which last longer still
EP=60; [ "${MTL_TEST_EMULATED:-}" = 1 ] && EP=6
ST=$((EP * 3))   # 3 steps an epoch (batch 4)
RUN="--model $M --cls-train $D/sst2_sample.tsv --ner-train $D/conll_2col_iob2.txt --batch 4 --max-length 32 --lr 1e-3 --seed 3 --epochs $EP"
build/mtl-train $RUN --out "$T/int.gguf" > "$T/int.out" 2> "$T/int.err" &
pid=$!
i=0
while [ $i -lt 100 ] && ! grep -q "^ner tags" "$T/int.out" 2>/dev/null; do sleep 0.05; i=$((i + 1)); done
sleep 0.2
kill -INT $pid 2>/dev/null
wait $pid; rc=$?
k=$(sed -n 's/^mtl-train: interrupted at step \([0-9]*\)\/.*/\1/p' "$T/int.err")
check "SIGINT: exit 130, resumable checkpoint at step $k/$ST, --out untouched" '[ $rc -eq 130 ] && [ -n "$k" ] && [ -s "$T/int.gguf.resume.gguf" ] && [ ! -e "$T/int.gguf" ]'
if [ -n "$k" ]; then
    check "SIGINT: the best dev score so far is kept beside it" '[ -s "$T/int.gguf.resume.gguf.best" ]'
    build/mtl-train $RUN --epochs $((EP + 1)) --out "$T/int.gguf" --resume "$T/int.gguf.resume.gguf" > "$T/res61.out" 2> "$T/res61.err"; rc=$?
    check "--resume with another schedule (--epochs) is refused, nothing written" '[ $rc -ne 0 ] && grep -q "another schedule" "$T/res61.err" && [ ! -e "$T/int.gguf" ] && [ -s "$T/int.gguf.resume.gguf" ]'
    build/mtl-train $RUN --out "$T/int.gguf" --resume "$T/int.gguf.resume.gguf" > "$T/res.out" 2> "$T/res.err"; rc=$?
    check "--resume continues from step $k to $ST" '[ $rc -eq 0 ] && grep -q "^resumed from .* at step $k/$ST" "$T/res.out" && [ -s "$T/int.gguf" ] &&
        grep -q "^progress: step $ST/$ST " "$T/res.err" && [ ! -e "$T/int.gguf.resume.gguf" ] &&
        [ ! -e "$T/int.gguf.resume.gguf.best" ]'
    build/mtl-train $RUN --out "$T/full.gguf" > /dev/null 2>&1
    check "interrupted + resumed run = uninterrupted run, byte for byte" 'cmp -s "$T/int.gguf" "$T/full.gguf"'
fi
[ $fail -eq 0 ] || { echo "  last lines of the main mtl-train run (stdout, stderr):"; tail -3 "$T/train.out" | sed "s/^/  /"; tail -3 "$T/train.err" | sed "s/^/  /"; }
exit 0
