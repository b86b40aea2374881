#!/bin/sh
# Issue 15 (progress, streaming, small gaps) on tiny-random-bert (about 10 s):
#  - progress on stderr: with stderr not a terminal and MTL_PROGRESS_SECONDS=0 (a line at every update;
#    the default period is 10 s) weights_convert, mtl-embed, mtl-predict and mtl-eval print plain
#    "TOOL: progress: ..." lines and a "TOOL: done: ..." line, none on stdout; stdout (and the converted
#    file) is byte for byte that of a run without them and of --quiet; --quiet prints no progress and
#    no summary; a short run with the default period prints no progress line;
#  - on a terminal (a pty from util-linux `script`): one line redrawn with CR and a bar, stdout the same
#    bytes; an interactive mtl-embed session on a FIFO shows the bar and answers a line at once;
#  - truncation summaries: "N of M inputs/lines/examples were truncated to L tokens" (mtl-embed,
#    mtl-predict, mtl-eval), the counts checked against mtl-tokenize --model;
#  - mtl-predict batches (MTL_PREDICT_TRACE: calls of --batch lines, the same bytes as --batch 1) and
#    answers a paused FIFO at once (one line, a partial line, then more, then EOF);
#  - mtl-embed --format npy: the header bytes, padding and size checked in shell, the data = --format f32,
#    the values = the TSV's, the same file through --output, a redirected stdout and a pipe, a stopped run
#    and an empty input; with numpy (python3 or build/bench-venv) np.load and np.save's bytes too;
#  - the one JSON schema: mtl-predict --json and mtl-eval --json put a task's results under "cls" / "ner";
#  - mtl-tokenize --model BLOB gives the ids, offsets and word ids of --model-dir.
# Prints PASS/FAIL/SKIP lines.
cd "$(dirname "$0")/.." || exit 1
S=${MTL_SHARED:-../shared}
DIR=$S/models/tiny-random-bert
if [ ! -d "$DIR" ]; then echo "SKIP cli_progress: no $DIR"; exit 0; fi
for b in build/weights_convert build/mtl-embed build/mtl-predict build/mtl-eval build/mtl-train build/mtl-tokenize; do
    [ -x "$b" ] || { echo "SKIP cli_progress: no $b (run make)"; exit 0; }
done
T=$(mktemp -d "${TMPDIR:-/tmp}/mtl_cli_progress.XXXXXX") || exit 1
pid=; spid=
trap '[ -n "$pid" ] && kill "$pid" 2> /dev/null; [ -n "$spid" ] && kill "$spid" 2> /dev/null; rm -rf "$T"' EXIT
export LC_ALL=C
unset MTL_PROGRESS_SECONDS MTL_PREDICT_TRACE MTL_EMBED_TRACE
pass=0; fail=0
ok() { echo "PASS cli_progress: $1"; pass=$((pass + 1)); }
ko() { echo "FAIL cli_progress: $1"; fail=$((fail + 1)); }
check() { if eval "$2"; then ok "$1"; else ko "$1"; fi; }
rows() { wc -l < "$1" | tr -d ' '; }
D=tests/data
H=32   # tiny-random-bert's hidden size

# ================================================================ weights_convert
MTL_PROGRESS_SECONDS=0 build/weights_convert "$DIR" "$T/tiny.gguf" > "$T/conv.out" 2> "$T/conv.err"; rc=$?
if [ $rc -ne 0 ]; then ko "weights_convert failed"; cat "$T/conv.err"; exit 1; fi
M=$T/tiny.gguf
check "weights_convert: progress lines (converting, then writing, MB and %) and done lines on stderr, nothing on stdout" \
    'grep -q "^weights_convert: progress: converting [0-9.]*/[0-9.]* MB ([0-9]*%), [0-9.]* MB/s" "$T/conv.err" &&
     mb=$(awk "BEGIN { printf \"%.1f\", $(wc -c < "$T/tiny.gguf") / 1e6 }") &&
     grep -q "^weights_convert: progress: writing [0-9.]*/$mb MB" "$T/conv.err" && grep -q "^weights_convert: done: writing $mb/$mb MB in " "$T/conv.err" &&
     [ ! -s "$T/conv.out" ]'
build/weights_convert --quiet "$DIR" "$T/quiet.gguf" > "$T/convq.out" 2> "$T/convq.err"; rc=$?
check "weights_convert --quiet: exit 0, nothing on stderr, the same file" '[ $rc -eq 0 ] && [ ! -s "$T/convq.err" ] && cmp -s "$T/quiet.gguf" "$M"'
build/weights_convert "$DIR" "$T/plain.gguf" > /dev/null 2> "$T/convp.err"; rc=$?
check "weights_convert, default period (10 s): no progress line in a short run, the summary line, the same file" \
    '[ $rc -eq 0 ] && ! grep -q "^weights_convert: \(progress\|done\):" "$T/convp.err" && [ $(rows "$T/convp.err") -eq 1 ] && grep -q " -> " "$T/convp.err" && cmp -s "$T/plain.gguf" "$M"'

# ================================================================ mtl-embed: progress, --quiet, truncation
# 60 lines of 1 to 100 words, 4 of them over max_seq_length (256 tokens)
awk 'BEGIN { split("the cat sat on a mat with one small dog and a red bird", w, " ");
    for (k = 1; k <= 60; k++) { n = (k * 37) % 97 + 1; if (k % 15 == 3) n = 300 + k; s = "";
        for (i = 0; i < n; i++) s = s (i ? " " : "") w[(i + k) % 14 + 1]; print s } }' > "$T/text.txt"
E="--batch 4 --sort-window 8"
MTL_PROGRESS_SECONDS=0 build/mtl-embed --model "$M" $E < "$T/text.txt" > "$T/e0.out" 2> "$T/e0.err"; rc0=$?
build/mtl-embed --model "$M" $E < "$T/text.txt" > "$T/e1.out" 2> "$T/e1.err"; rc1=$?
build/mtl-embed --model "$M" $E --quiet < "$T/text.txt" > "$T/eq.out" 2> "$T/eq.err"; rcq=$?
check "mtl-embed: exit 0 (progress at every update, default period, --quiet), 60 rows" '[ $rc0 -eq 0 ] && [ $rc1 -eq 0 ] && [ $rcq -eq 0 ] && [ $(rows "$T/e0.out") -eq 60 ]'
check "mtl-embed, stdin a file: progress lines with the lines done, the part of the input, the rate; a done line" \
    '[ $(grep -c "^mtl-embed: progress: [0-9]* lines ([0-9]*% of the input), [0-9.]* lines/s" "$T/e0.err") -ge 10 ] &&
     grep -q "^mtl-embed: done: 60 lines in [0-9.]* s, [0-9.]* lines/s$" "$T/e0.err"'
check "mtl-embed: stdout byte for byte the same with progress lines, with the default period and with --quiet" \
    'cmp -s "$T/e0.out" "$T/e1.out" && cmp -s "$T/e0.out" "$T/eq.out" && ! grep -q "mtl-embed: \(progress\|done\)" "$T/e0.out"'
check "mtl-embed, default period: no progress line in a short run" '! grep -q "^mtl-embed: \(progress\|done\):" "$T/e1.err"'
check "mtl-embed: the truncation summary (4 of 60 inputs, 256 tokens, the model's max_seq_length), not with --quiet" \
    'grep -q "^mtl-embed: 4 of 60 inputs were truncated to 256 tokens (the model.s max_seq_length)$" "$T/e1.err" &&
     ! grep -q "were truncated\|^mtl-embed: \(progress\|done\):" "$T/eq.err" && [ $(grep -c "truncated to 256 tokens$" "$T/eq.err") -eq 4 ]'
cat "$T/text.txt" | MTL_PROGRESS_SECONDS=0 build/mtl-embed --model "$M" $E --max-length 20 > "$T/e2.out" 2> "$T/e2.err"; rc=$?
n20=$(awk 'NF + 2 > 20' "$T/text.txt" | wc -l | tr -d ' ')
check "mtl-embed, stdin a pipe: progress without a total; --max-length 20: $n20 of 60 inputs truncated to 20 tokens (--max-length)" \
    '[ $rc -eq 0 ] && grep -q "^mtl-embed: progress: [0-9]* lines, [0-9.]* lines/s$" "$T/e2.err" &&
     grep -q "^mtl-embed: $n20 of 60 inputs were truncated to 20 tokens (--max-length)$" "$T/e2.err"'

# ================================================================ a terminal: one line redrawn in place
if command -v script > /dev/null 2>&1 && script -qfec true /dev/null > /dev/null 2>&1 < /dev/null; then
    script -qfec "MTL_PROGRESS_SECONDS=0 build/mtl-embed --model '$M' $E < '$T/text.txt' > '$T/tty.out'" "$T/tty.log" > /dev/null 2>&1 < /dev/null; rc=$?
    cr=$(printf '\r')
    check "terminal (script): the progress line is redrawn after a CR, with a bar and %, within 80 columns, no plain progress lines, a done line" \
        '[ $rc -eq 0 ] && [ $(grep -c "${cr}mtl-embed: \[[#.]*\] [0-9]*% [0-9]* lines [0-9.]* lines/s" "$T/tty.log") -ge 1 ] &&
         ! grep -q "mtl-embed: progress:" "$T/tty.log" && grep -q "mtl-embed: done: 60 lines" "$T/tty.log" &&
         [ $(tr "\r" "\n" < "$T/tty.log" | grep "^mtl-embed: \[" | awk "length > 79" | wc -l) -eq 0 ]'
    check "terminal (script): stdout byte for byte that of the other runs" 'cmp -s "$T/tty.out" "$T/e0.out"'
    # an interactive session: stdout and stderr the terminal, lines arriving one by one on a FIFO
    mkfifo "$T/tfifo"
    script -qfec "MTL_PROGRESS_SECONDS=0 build/mtl-embed --model '$M' < '$T/tfifo'" "$T/term.log" > /dev/null 2>&1 < /dev/null &
    spid=$!
    exec 4> "$T/tfifo"
    printf 'hello world\n' >&4
    i=0; while [ $i -lt 100 ] && ! grep -q "lines/s" "$T/term.log" 2> /dev/null; do sleep 0.1; i=$((i + 1)); done
    check "terminal session: the first line's row appears at once (no EOF, default batch) and the progress bar after it" \
        'kill -0 $spid 2> /dev/null && [ $(grep -c "	" "$T/term.log") -eq 1 ] && grep -q "${cr}mtl-embed: 1 lines [0-9.]* lines/s" "$T/term.log"'
    printf 'hello world\n' >&4
    i=0; while [ $i -lt 100 ] && [ "$(grep -c "	" "$T/term.log")" -lt 2 ]; do sleep 0.1; i=$((i + 1)); done
    check "terminal session: the next line's row too, the bar cleared before it and drawn again (2 lines)" \
        'kill -0 $spid 2> /dev/null && [ $(grep -c "	" "$T/term.log") -eq 2 ] && grep -q "${cr}mtl-embed: 2 lines " "$T/term.log"'
    exec 4>&-
    wait $spid; rc=$?; spid=
    check "terminal session: EOF ends it, exit 0, a done line" '[ $rc -eq 0 ] && grep -q "mtl-embed: done: 2 lines" "$T/term.log"'
else
    echo "SKIP cli_progress: the terminal checks (no working util-linux script)"
fi

# ================================================================ mtl-predict: batches, pauses, progress, truncation
build/mtl-train --model "$M" --out "$T/ck.gguf" --cls-train $D/sst2_sample.tsv --ner-train $D/conll_2col_iob2.txt \
    --epochs 1 --batch 4 --max-length 32 > "$T/train.log" 2>&1
if [ ! -s "$T/ck.gguf" ]; then ko "training the checkpoint for mtl-predict / mtl-eval failed"; cat "$T/train.log"; exit 1; fi
# 50 lines of plain lowercase words (the token head's words are the tokenizer's), some over 32 tokens
awk 'BEGIN { split("anna lives in oslo and the film is a charming journey with bleak moments", w, " ");
    for (k = 1; k <= 50; k++) { n = (k * 13) % 45 + 1; s = "";
        for (i = 0; i < n; i++) s = s (i ? " " : "") w[(i * 3 + k) % 15 + 1]; print s } }' > "$T/p.txt"
ntr=$(build/mtl-tokenize --model "$T/ck.gguf" < "$T/p.txt" | awk 'NF > 32' | wc -l | tr -d ' ')
MTL_PROGRESS_SECONDS=0 MTL_PREDICT_TRACE=1 build/mtl-predict --model "$T/ck.gguf" --batch 4 < "$T/p.txt" > "$T/p0.out" 2> "$T/p0.err"; rc0=$?
build/mtl-predict --model "$T/ck.gguf" --batch 1 < "$T/p.txt" > "$T/p1.out" 2> "$T/p1.err"; rc1=$?
build/mtl-predict --model "$T/ck.gguf" --quiet < "$T/p.txt" > "$T/pq.out" 2> "$T/pq.err"; rcq=$?
sed -n 's/^mtl-predict: trace: forward //p' "$T/p0.err" > "$T/calls"
check "mtl-predict --batch 4 from a file: 13 forward calls of 4 lines in input order (1 2 3 4, ..., 49 50)" \
    '[ $rc0 -eq 0 ] && [ $(rows "$T/calls") -eq 13 ] && [ "$(head -1 "$T/calls")" = "1 2 3 4" ] && [ "$(tr "\n" " " < "$T/calls")" = "$(seq 1 50 | tr "\n" " ")" ]'
check "mtl-predict: 50 lines, stdout the same bytes with --batch 1, progress lines and --quiet" \
    '[ $rc1 -eq 0 ] && [ $rcq -eq 0 ] && [ $(rows "$T/p0.out") -eq 50 ] && cmp -s "$T/p0.out" "$T/p1.out" && cmp -s "$T/p0.out" "$T/pq.out"'
check "mtl-predict: progress lines (lines, % of the input, rate) and a done line on stderr" \
    'grep -q "^mtl-predict: progress: [0-9]* lines ([0-9]*% of the input), [0-9.]* lines/s" "$T/p0.err" && grep -q "^mtl-predict: done: 50 lines in " "$T/p0.err"'
check "mtl-predict: the truncation summary ($ntr of 50 lines over 32 tokens by mtl-tokenize --model), not with --quiet" \
    '[ "$ntr" -gt 0 ] && grep -q "^mtl-predict: $ntr of 50 lines were truncated to 32 tokens (the model.s max_seq_length)$" "$T/p1.err" && [ ! -s "$T/pq.err" ]'

# pauses: a FIFO that stays open
mkfifo "$T/fifo"
head -5 "$T/p.txt" > "$T/five.txt"
build/mtl-predict --model "$T/ck.gguf" < "$T/five.txt" > "$T/five.out" 2> /dev/null
wait_rows() { i=0; while [ $i -lt 100 ] && [ "$(rows "$1")" -lt "$2" ]; do sleep 0.1; i=$((i + 1)); done; }
trap '' PIPE
MTL_PREDICT_TRACE=1 build/mtl-predict --model "$T/ck.gguf" < "$T/fifo" > "$T/fifo.out" 2> "$T/fifo.err" &
pid=$!
exec 3> "$T/fifo"
sed -n 1p "$T/five.txt" >&3
wait_rows "$T/fifo.out" 1
check "mtl-predict pause: one line on an open FIFO is answered at once (default --batch 32, no EOF), a call of 1 line" \
    '[ $(rows "$T/fifo.out") -eq 1 ] && kill -0 $pid 2> /dev/null && head -1 "$T/five.out" | cmp -s - "$T/fifo.out" && grep -q "trace: forward 1$" "$T/fifo.err"'
sed -n 2p "$T/five.txt" | tr -d '\n' >&3
sleep 0.5
check "mtl-predict pause: a partial line (no newline yet) gives no line" '[ $(rows "$T/fifo.out") -eq 1 ] && kill -0 $pid 2> /dev/null'
{ echo; sed -n 3p "$T/five.txt"; } >&3
wait_rows "$T/fifo.out" 3
check "mtl-predict pause: its newline and one more line give lines 2 and 3" '[ $(rows "$T/fifo.out") -eq 3 ] && kill -0 $pid 2> /dev/null && head -3 "$T/five.out" | cmp -s - "$T/fifo.out"'
sed -n 4,5p "$T/five.txt" >&3
exec 3>&-
wait $pid; rc=$?; pid=
check "mtl-predict pause: closing the FIFO ends the run, exit 0, the lines = those of the same input from a file" '[ $rc -eq 0 ] && cmp -s "$T/fifo.out" "$T/five.out"'

# ================================================================ mtl-eval: progress, truncation, --quiet
printf 'sentence\tlabel\n' > "$T/long.tsv"
awk 'NR <= 20 { print $0 " \t" (NR % 2) }' "$T/p.txt" >> "$T/long.tsv"
etr=$(head -20 "$T/p.txt" | build/mtl-tokenize --model "$T/ck.gguf" | awk 'NF > 32' | wc -l | tr -d ' ')
MTL_PROGRESS_SECONDS=0 build/mtl-eval --model "$T/ck.gguf" --cls-test "$T/long.tsv" --ner-test $D/conll_iob1.txt > "$T/v0.out" 2> "$T/v0.err"; rc0=$?
build/mtl-eval --model "$T/ck.gguf" --cls-test "$T/long.tsv" --ner-test $D/conll_iob1.txt > "$T/v1.out" 2> "$T/v1.err"; rc1=$?
build/mtl-eval --model "$T/ck.gguf" --cls-test "$T/long.tsv" --ner-test $D/conll_iob1.txt --quiet > "$T/vq.out" 2> "$T/vq.err"; rcq=$?
check "mtl-eval: progress over both files' examples (n/27, %), a done line, nothing of it on stdout" \
    '[ $rc0 -eq 0 ] && grep -q "^mtl-eval: progress: [0-9]*/27 examples ([0-9]*%), [0-9.]* examples/s" "$T/v0.err" &&
     grep -q "^mtl-eval: done: 27/27 examples in " "$T/v0.err" && ! grep -q "mtl-eval: \(progress\|done\):" "$T/v0.out"'
check "mtl-eval: stdout the same bytes with progress lines, the default period and --quiet" \
    '[ $rc1 -eq 0 ] && [ $rcq -eq 0 ] && [ -s "$T/v0.out" ] && cmp -s "$T/v0.out" "$T/v1.out" && cmp -s "$T/v0.out" "$T/vq.out"'
check "mtl-eval: the truncation summary ($etr of 20 examples over 32 tokens), no progress line at the default period, nothing with --quiet" \
    '[ "$etr" -gt 0 ] && grep -q "^mtl-eval: $T/long.tsv: $etr of 20 examples were truncated to 32 tokens (the model.s max_seq_length)$" "$T/v1.err" &&
     ! grep -q "^mtl-eval: \(progress\|done\):" "$T/v1.err" && [ ! -s "$T/vq.err" ]'

# ================================================================ one JSON schema (mtl-predict, mtl-eval)
build/mtl-predict --model "$T/ck.gguf" --json < "$T/five.txt" > "$T/p.json" 2> /dev/null
build/mtl-eval --model "$T/ck.gguf" --cls-test "$T/long.tsv" --ner-test $D/conll_iob1.txt --json --quiet > "$T/v.json"
PY=$(command -v python3 || true)
if [ -n "$PY" ]; then
    check "JSON: predict rows and the eval object keep a task's results under \"cls\" / \"ner\"" '"$PY" -c "
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert [r[\"line\"] for r in rows] == [1, 2, 3, 4, 5]
for r in rows:
    assert set(r) == {\"line\", \"text\", \"cls\", \"ner\"}, r
    assert set(r[\"cls\"]) == {\"label\", \"probability\", \"probabilities\"} and set(r[\"ner\"]) == {\"entities\"}
    assert r[\"cls\"][\"label\"] in r[\"cls\"][\"probabilities\"]
e = json.load(open(sys.argv[2]))
assert set(e) == {\"cls\", \"ner\"} and set(e[\"cls\"]) == {\"file\", \"labels\", \"report\", \"confusion_matrix\"} and set(e[\"ner\"]) == {\"file\", \"report\"}
assert e[\"cls\"][\"labels\"] == sorted(rows[0][\"cls\"][\"probabilities\"]) and len(e[\"cls\"][\"confusion_matrix\"]) == len(e[\"cls\"][\"labels\"])
" "$T/p.json" "$T/v.json"'
else
    check "JSON: \"cls\" / \"ner\" in predict rows and the eval object" \
        '[ $(grep -c "^{\"line\": [0-9]*, \"text\": .*, \"cls\": {\"label\": .*, \"ner\": {\"entities\": \[" "$T/p.json") -eq 5 ] && grep -q "^{\"cls\": {\"file\": .*, \"labels\": \[.*\"ner\": {\"file\": " "$T/v.json"'
fi

# ================================================================ mtl-embed --format npy
head -41 "$T/text.txt" > "$T/t41.txt"
build/mtl-embed --model "$M" --format npy --output "$T/a.npy" < "$T/t41.txt" 2> /dev/null; rca=$?
build/mtl-embed --model "$M" --format npy < "$T/t41.txt" > "$T/b.npy" 2> /dev/null; rcb=$?
build/mtl-embed --model "$M" --format npy < "$T/t41.txt" 2> /dev/null | cat > "$T/c.npy"
build/mtl-embed --model "$M" --format f32 < "$T/t41.txt" > "$T/a.f32" 2> /dev/null
build/mtl-embed --model "$M" < "$T/t41.txt" > "$T/a.tsv" 2> /dev/null
hl=$(od -An -tu2 -j8 -N2 "$T/a.npy" | tr -d ' ')   # the header length: little-endian uint16 (od reads this machine's order: x86, ARM)
magic=$(od -An -tx1 -N8 "$T/a.npy" | tr -s ' ' | sed 's/^ //;s/ $//')
dict="{'descr': '<f4', 'fortran_order': False, 'shape': (41, $H), }"
expect=$(printf '%s%*s' "$dict" $((hl - ${#dict} - 1)) "")
got=$(dd if="$T/a.npy" bs=1 skip=10 count=$((hl - 1)) 2> /dev/null)
last=$(od -An -c -j $((9 + hl)) -N1 "$T/a.npy" | tr -d ' ')
check "npy: magic 93 NUMPY, version 1.0, header length $hl: 10 + it a multiple of 64" \
    '[ $rca -eq 0 ] && [ "$magic" = "93 4e 55 4d 50 59 01 00" ] && [ -n "$hl" ] && [ $(((10 + hl) % 64)) -eq 0 ]'
check "npy: the header is the dict ('<f4', fortran_order False, shape (41, $H)) padded with spaces, then a newline" \
    '[ "$got" = "$expect" ] && [ "$last" = "\n" ] && [ $((hl - ${#dict} - 1)) -ge 21 ]'
check "npy: size = header + 41 x $H x 4, the data = the --format f32 rows" \
    '[ $(wc -c < "$T/a.npy") -eq $((10 + hl + 41 * H * 4)) ] && tail -c +$((11 + hl)) "$T/a.npy" | cmp -s - "$T/a.f32"'
od -An -v -tf4 -w$((H * 4)) "$T/a.f32" > "$T/a.od"
check "npy: the values = the TSV's (%.9g; od's float32 within 1e-6 relative)" 'awk -v F="$T/a.od" "
    { if ((getline l < F) <= 0) exit 1; n = split(l, v, \" \"); if (n != NF) exit 1;
      for (i = 1; i <= NF; i++) { d = \$i - v[i]; if (d < 0) d = -d; a = \$i < 0 ? -\$i : \$i; if (d > 1e-6 * (a > 1 ? a : 1)) exit 1 } }
    END { if (NR != 41) exit 1 }" "$T/a.tsv"'
check "npy: the same bytes through --output, stdout redirected to a file, and a pipe" '[ $rcb -eq 0 ] && cmp -s "$T/a.npy" "$T/b.npy" && cmp -s "$T/a.npy" "$T/c.npy"'
printf 'a cat\tsits\nthe dog\truns\nno tab here\nlast\tone\n' > "$T/pairs.txt"
build/mtl-embed --model "$M" --pair --format npy --output "$T/stop.npy" < "$T/pairs.txt" 2> "$T/stop.err"; rc=$?
build/mtl-embed --model "$M" --pair --format npy < "$T/pairs.txt" 2> /dev/null | cat > "$T/stop2.npy"
check "npy, a bad 3rd line (stop): exit 1, shape (2, $H) and the 2 rows before it, file or pipe" \
    '[ $rc -eq 1 ] && grep -q "<stdin>:3: --pair needs" "$T/stop.err" && dd if="$T/stop.npy" bs=1 skip=10 count=70 2> /dev/null | grep -q "(2, $H)" &&
     [ $(wc -c < "$T/stop.npy") -eq $((10 + hl + 2 * H * 4)) ] && cmp -s "$T/stop.npy" "$T/stop2.npy"'
build/mtl-embed --model "$M" --pair --format npy --on-error skip --output "$T/skip.npy" < "$T/pairs.txt" 2> /dev/null; rc=$?
nan=$(od -An -v -tx4 -j $((10 + hl + 2 * H * 4)) -N $((H * 4)) "$T/skip.npy" | tr -s ' ' '\n' | grep -v '^$' | sort -u | tr '\n' ' ')
check "npy --on-error skip: shape (4, $H), row 3 NaN ($nan)" \
    '[ $rc -eq 0 ] && dd if="$T/skip.npy" bs=1 skip=10 count=70 2> /dev/null | grep -q "(4, $H)" && [ "$nan" = "7fc00000 " ]'
build/mtl-embed --model "$M" --format npy --output "$T/empty.npy" < /dev/null; rc=$?
check "npy, no input: exit 0, shape (0, $H), the header alone" '[ $rc -eq 0 ] && dd if="$T/empty.npy" bs=1 skip=10 count=70 2> /dev/null | grep -q "(0, $H)" && [ $(wc -c < "$T/empty.npy") -eq $((10 + hl)) ]'
build/mtl-embed --model "$M" --format npy --tokens < /dev/null > /dev/null 2> "$T/u.err"; rc=$?
check "npy with --tokens: a usage error (exit 2)" '[ $rc -eq 2 ] && grep -q "npy" "$T/u.err"'
NPY=
for p in python3 build/bench-venv/bin/python3; do
    if command -v "$p" > /dev/null 2>&1 && "$p" -c "import numpy" > /dev/null 2>&1; then NPY=$p; break; fi
done
if [ -n "$NPY" ]; then
    check "npy with numpy ($("$NPY" -c "import numpy; print(numpy.__version__)")): np.load gives (41, $H) float32 = the TSV, np.save writes the same bytes" '"$NPY" -c "
import io, sys, numpy as np
a = np.load(sys.argv[1])
t = np.loadtxt(sys.argv[2], dtype=np.float64, delimiter=\"\t\", ndmin=2)
assert a.shape == (41, $H) and a.dtype == np.float32 and not np.isfortran(a), (a.shape, a.dtype)
assert np.array_equal(a, t.astype(np.float32)), np.abs(a - t).max()
b = io.BytesIO(); np.save(b, a)
assert b.getvalue() == open(sys.argv[1], \"rb\").read()
e = np.load(sys.argv[3]); assert e.shape == (0, $H) and e.dtype == np.float32
" "$T/a.npy" "$T/a.tsv" "$T/empty.npy"'
else
    echo "note cli_progress: numpy not found (python3, build/bench-venv): np.load not run; the header, size and values were checked above in shell"
fi

# ================================================================ mtl-tokenize --model BLOB
printf 'Hello, world!\nThe caf\303\251 [MASK] unbelievably\tsecond part, here\n\nStra\303\237e \346\235\261\344\272\254 ok\tx\n' > "$T/tok.txt"
same_ids=1
for args in "--offsets --word-ids" "--pair --offsets" "--no-special --max-length 5 --word-ids"; do
    build/mtl-tokenize --model-dir "$DIR" $args --on-error skip < "$T/tok.txt" > "$T/tk_dir.out" 2> "$T/tk_dir.err"
    build/mtl-tokenize --model "$M" $args --on-error skip < "$T/tok.txt" > "$T/tk_blob.out" 2> "$T/tk_blob.err"
    { cmp -s "$T/tk_dir.out" "$T/tk_blob.out" && cmp -s "$T/tk_dir.err" "$T/tk_blob.err" && [ $(rows "$T/tk_blob.out") -eq 4 ]; } || same_ids=0
done
build/mtl-tokenize --model-dir "$DIR" < "$T/text.txt" > "$T/tk_dir.out"
build/mtl-tokenize --model "$M" < "$T/text.txt" > "$T/tk_blob.out"
check "mtl-tokenize --model BLOB = --model-dir DIR (ids, pairs, offsets, word ids, --max-length, 60 lines)" \
    '[ $same_ids -eq 1 ] && [ $(rows "$T/tk_blob.out") -eq 60 ] && cmp -s "$T/tk_dir.out" "$T/tk_blob.out"'
build/mtl-tokenize --model "$T/none.gguf" < /dev/null > /dev/null 2> "$T/tk.err"; rc=$?
check "mtl-tokenize --model on a missing file: exit 1, the OS reason" '[ $rc -eq 1 ] && grep -q "^mtl-tokenize: .*No such file or directory" "$T/tk.err"'
build/mtl-tokenize --model "$M" --model-dir "$DIR" < /dev/null > /dev/null 2> "$T/tk.err"; rc=$?
check "mtl-tokenize --model and --model-dir together: exit 2" '[ $rc -eq 2 ] && grep -q "not both" "$T/tk.err"'
exit 0
