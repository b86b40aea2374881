#!/bin/sh
# mtl-embed --sort-window and answering when the input pauses, on tiny-random-bert (a few seconds).
#  - sorting by length changes no bit: the rows with the default window (16 x batch), small windows and
#    windows below --batch are byte for byte those of --sort-window 1 (input order), with --batch 3, on
#    lines of very different lengths: text (TSV and f32), --pair (f32), --ids --tokens; the stderr
#    (truncation warnings) is the same and names the right 1-based lines;
#  - the forward calls really go longest first (MTL_EMBED_TRACE=1 lists each call's lines), and in
#    input order with --sort-window 1;
#  - --on-error stop / skip with a bad line inside a window: exactly the rows before it (in input
#    order) and exit 1, or a marked row in its place and the others unchanged;
#  - a pause: with stdin a FIFO that stays open, the row of one line appears at once (no full batch,
#    no EOF), a partial line waits for its newline, 2 more lines give 3 rows, a line followed by part of
#    the next one gets its row at once, closing gives exit 0 and the rows of the same lines from a file.
# Prints PASS/FAIL/SKIP lines.
cd "$(dirname "$0")/.." || exit 1
S=${MTL_SHARED:-../shared}
if [ ! -d "$S/models/tiny-random-bert" ]; then echo "SKIP embed_sort: no $S/models/tiny-random-bert"; exit 0; fi
for b in build/weights_convert build/mtl-embed; do
    [ -x "$b" ] || { echo "SKIP embed_sort: no $b (run make)"; exit 0; }
done
command -v mkfifo > /dev/null || { echo "SKIP embed_sort: no mkfifo"; exit 0; }
T=$(mktemp -d "${TMPDIR:-/tmp}/mtl_embed_sort.XXXXXX") || exit 1
pid=
trap '[ -n "$pid" ] && kill "$pid" 2> /dev/null; rm -rf "$T"' EXIT
export LC_ALL=C
pass=0; fail=0
ok() { echo "PASS embed_sort: $1"; pass=$((pass + 1)); }
ko() { echo "FAIL embed_sort: $1"; fail=$((fail + 1)); }
check() { if eval "$2"; then ok "$1"; else ko "$1"; fi; }
rows() { wc -l < "$1" | tr -d ' '; }

if ! build/weights_convert "$S/models/tiny-random-bert" "$T/tiny.gguf" > "$T/conv.log" 2>&1; then ko "weights_convert failed"; cat "$T/conv.log"; exit 1; fi
M=$T/tiny.gguf
H=32          # tiny-random-bert's hidden size
R=$((H * 4))  # bytes of an f32 row

# run NAME STDIN-FILE ARGS...: mtl-embed --model M ARGS < STDIN-FILE, stdout $T/NAME.out, stderr $T/NAME.err, status $rc
run() { n=$1; f=$2; shift 2; build/mtl-embed --model "$M" "$@" < "$f" > "$T/$n.out" 2> "$T/$n.err"; rc=$?; }

# 41 lines of 1 to 700 words (4 over the model's max_seq_length 256: truncated), lengths in no order
awk 'BEGIN { split("the cat sat on a mat with one small dog and a red bird", w, " ");
    for (k = 1; k <= 41; k++) { n = (k * 37) % 97 + 1; if (k % 10 == 3) n = 600 + k; s = "";
        for (i = 0; i < n; i++) s = s (i ? " " : "") w[(i + k) % 14 + 1]; print s } }' > "$T/text.txt"
awk 'BEGIN { split("a cat sat the dog ran far away", w, " ");
    for (k = 1; k <= 25; k++) { na = (k * 13) % 40 + 1; nb = (k * 7) % 23 + 1; a = ""; b = "";
        for (i = 0; i < na; i++) a = a (i ? " " : "") w[(i + k) % 8 + 1];
        for (i = 0; i < nb; i++) b = b (i ? " " : "") w[(i * 3 + k) % 8 + 1]; print a "\t" b } }' > "$T/pair.txt"
awk 'BEGIN { for (k = 1; k <= 30; k++) { n = (k * 11) % 29 + 1; s = "101";
        for (i = 0; i < n; i++) s = s " " (1000 + (i * 7 + k) % 900); print s " 102" } }' > "$T/ids.txt"

# ================================================================ the same bits, sorted or not
same() {   # name, input file, args...: sorted runs (default window, 5, 2 < batch) = --sort-window 1
    name=$1; f=$2; shift 2
    run ref "$f" --batch 3 --sort-window 1 "$@"; rc_ref=$rc
    for w in default 5 2; do
        if [ $w = default ]; then run srt "$f" --batch 3 "$@"; else run srt "$f" --batch 3 --sort-window $w "$@"; fi
        check "$name, --batch 3, window $w: exit 0, stdout and stderr byte for byte those of --sort-window 1" \
            '[ $rc -eq 0 ] && [ $rc_ref -eq 0 ] && [ -s "$T/ref.out" ] && cmp -s "$T/srt.out" "$T/ref.out" && cmp -s "$T/srt.err" "$T/ref.err"'
    done
}
same "text TSV" "$T/text.txt"
check "text TSV: 41 rows" '[ $(rows "$T/ref.out") -eq 41 ]'
same "text f32" "$T/text.txt" --format f32
check "text f32: 41 rows of $H floats" '[ $(wc -c < "$T/ref.out") -eq $((41 * R)) ]'
same "--pair f32" "$T/pair.txt" --pair --format f32
check "--pair f32: 25 rows" '[ $(wc -c < "$T/ref.out") -eq $((25 * R)) ]'
same "--ids --tokens TSV" "$T/ids.txt" --ids --tokens
check "--ids --tokens: 30 inputs" '[ $(grep -c "^$" "$T/ref.out") -eq 30 ]'
same "--ids --max-length 8 (truncation warnings)" "$T/ids.txt" --ids --max-length 8
awk 'NF > 8 { print NR }' "$T/ids.txt" > "$T/trunc_expected"
sed -n 's/^mtl-embed: <stdin>:\([0-9]*\): truncated to 8 tokens$/\1/p' "$T/srt.err" > "$T/trunc_named"
check "--ids --max-length 8, sorted: the warnings name exactly the lines over 8 ids, in input order ($(wc -l < "$T/trunc_expected" | tr -d ' ') lines)" \
    '[ -s "$T/trunc_expected" ] && cmp -s "$T/trunc_named" "$T/trunc_expected"'
run srt "$T/text.txt" --batch 3
check "text, sorted: truncation warnings for the lines over max_seq_length (256 tokens): 3, 13, 23, 33" \
    '[ "$(sed -n "s/^mtl-embed: <stdin>:\([0-9]*\): truncated to 256 tokens$/\1/p" "$T/srt.err" | tr "\n" " ")" = "3 13 23 33 " ]'

# the forward calls: longest first (bytes; ties in input order), 3 at a time; input order when off
awk '{ print length($0), NR }' "$T/text.txt" | sort -k1,1nr -k2,2n | awk '{ print $2 }' > "$T/order_expected"
MTL_EMBED_TRACE=1 build/mtl-embed --model "$M" --batch 3 < "$T/text.txt" > /dev/null 2> "$T/trace.err"
sed -n 's/^mtl-embed: trace: forward //p' "$T/trace.err" > "$T/calls"
check "trace: the default window sorts the 41 lines longest first, calls of 3 (14 calls)" \
    '[ $(wc -l < "$T/calls") -eq 14 ] && [ $(awk "NF > 3" "$T/calls" | wc -l) -eq 0 ] && tr " " "\n" < "$T/calls" | cmp -s - "$T/order_expected"'
MTL_EMBED_TRACE=1 build/mtl-embed --model "$M" --batch 3 --sort-window 1 < "$T/text.txt" > /dev/null 2> "$T/trace.err"
sed -n 's/^mtl-embed: trace: forward //p' "$T/trace.err" > "$T/calls1"
check "trace: --sort-window 1 keeps input order (1 2 3, 4 5 6, ..., 41)" \
    '[ "$(head -2 "$T/calls1" | tr "\n" "|")" = "1 2 3|4 5 6|" ] && [ "$(tr "\n" " " < "$T/calls1")" = "$(seq 1 41 | tr "\n" " ")" ]'

# ================================================================ a bad line inside a window
# line 11 of 20 has no TAB (--pair): windows of 48 (default) and of 4 (two full windows before it)
head -20 "$T/pair.txt" | awk 'NR == 11 { gsub("\t", " ") } { print }' > "$T/bad.txt"
head -10 "$T/pair.txt" > "$T/before.txt"
head -20 "$T/pair.txt" | sed 11d > "$T/good.txt"
for fmt in tsv f32; do
    run before "$T/before.txt" --pair --format $fmt --sort-window 1
    run good "$T/good.txt" --pair --format $fmt --sort-window 1
    for w in default 4; do
        ww=; [ $w = default ] || ww="--sort-window $w"
        run stop "$T/bad.txt" --pair --format $fmt --batch 3 $ww
        check "stop, $fmt, window $w: exit 1, exactly the 10 rows before line 11 in input order, the message names line 11" \
            '[ $rc -eq 1 ] && [ -s "$T/before.out" ] && cmp -s "$T/stop.out" "$T/before.out" &&
             grep -q "^mtl-embed: <stdin>:11: --pair needs two fields separated by a TAB (stopped" "$T/stop.err"'
        run skip "$T/bad.txt" --pair --format $fmt --batch 3 --on-error skip $ww
        if [ $fmt = tsv ]; then
            check "skip, tsv, window $w: exit 0, 20 rows, row 11 empty, the others = the good lines' rows in order" \
                '[ $rc -eq 0 ] && [ $(rows "$T/skip.out") -eq 20 ] && [ -z "$(sed -n 11p "$T/skip.out")" ] &&
                 sed 11d "$T/skip.out" | cmp -s - "$T/good.out" && grep -q "<stdin>:11: --pair needs .*skipped" "$T/skip.err"'
        else
            nan=$(od -v -An -tx4 -j $((10 * R)) -N $R "$T/skip.out" | tr -s " " "\n" | grep -v "^$" | sort -u | tr "\n" " ")
            check "skip, f32, window $w: exit 0, 20 rows, row 11 NaN ($nan), the others = the good lines' rows in order" \
                '[ $rc -eq 0 ] && [ $(wc -c < "$T/skip.out") -eq $((20 * R)) ] && [ "$nan" = "7fc00000 " ] &&
                 cmp -s -n $((10 * R)) "$T/skip.out" "$T/good.out" && cmp -s -i $((11 * R)):$((10 * R)) "$T/skip.out" "$T/good.out"'
        fi
    done
done

# ================================================================ answering when the input pauses
mkfifo "$T/fifo"
printf 'hello world\ntwo lines\nthree\nfour\nfive\n' > "$T/five.txt"
run five "$T/five.txt"
head -3 "$T/five.out" > "$T/three.out"
wait_rows() {   # file, rows: up to 10 s
    i=0
    while [ $i -lt 100 ] && [ "$(rows "$1")" -lt "$2" ]; do sleep 0.1; i=$((i + 1)); done
}
trap '' PIPE   # a tool that died must not take this script with it
build/mtl-embed --model "$M" < "$T/fifo" > "$T/fifo.out" 2> "$T/fifo.err" &
pid=$!
exec 3> "$T/fifo"
printf 'hello world\n' >&3
wait_rows "$T/fifo.out" 1
check "pause: one line written to an open FIFO gives its row at once (default batch 32, no EOF)" \
    '[ $(rows "$T/fifo.out") -eq 1 ] && kill -0 $pid 2> /dev/null && head -1 "$T/five.out" | cmp -s - "$T/fifo.out"'
printf 'two' >&3
sleep 0.5
check "pause: a partial line (no newline yet) gives no row" '[ $(rows "$T/fifo.out") -eq 1 ] && kill -0 $pid 2> /dev/null'
printf ' lines\nthree\n' >&3
wait_rows "$T/fifo.out" 3
check "pause: 2 more lines give 3 rows, still running" '[ $(rows "$T/fifo.out") -eq 3 ] && kill -0 $pid 2> /dev/null && cmp -s "$T/fifo.out" "$T/three.out"'
printf 'four\nfi' >&3
wait_rows "$T/fifo.out" 4
check "pause: a line followed by part of the next one gets its row without waiting for the rest" '[ $(rows "$T/fifo.out") -eq 4 ] && kill -0 $pid 2> /dev/null'
printf 've\n' >&3
wait_rows "$T/fifo.out" 5
check "pause: the rest of that line gives the 5th row" '[ $(rows "$T/fifo.out") -eq 5 ] && kill -0 $pid 2> /dev/null'
exec 3>&-
wait $pid; rc=$?; pid=
check "pause: closing the FIFO ends the run, exit 0, the rows = those of the same lines from a file" \
    '[ $rc -eq 0 ] && cmp -s "$T/fifo.out" "$T/five.out" && [ ! -s "$T/fifo.err" ]'
exit 0
