#!/usr/bin/env bash
# mtl-train --report DIR (examples/report.h): a multi-task run on tiny-random-bert writes DIR/report.html;
# the page is self-contained (no script, no external URL), has its charts (inline SVG) and tables, and
# headless Chromium (Debian `chromium`) loads it without a console error, renders the charts and takes a
# screenshot (build/report_screenshot.png). Also: the page exists after the first evaluation, an unwritable
# DIR is an error before training. Without chromium the browser checks are a SKIP line (a FAIL when CI=true).
# Prints PASS/FAIL/SKIP lines.
cd "$(dirname "$0")/.." || exit 1
S=${MTL_SHARED:-../shared}
if [ ! -d "$S/models/tiny-random-bert" ]; then echo "SKIP cli_report: no $S/models/tiny-random-bert"; exit 0; fi
for b in build/weights_convert build/mtl-train; do
    [ -x "$b" ] || { echo "SKIP cli_report: no $b (run make)"; exit 0; }
done
T=$(mktemp -d "${TMPDIR:-/tmp}/mtl_cli_report.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
D=tests/data
pass=0; fail=0
ok() { echo "PASS cli_report: $1"; pass=$((pass + 1)); }
ko() { echo "FAIL cli_report: $1"; fail=$((fail + 1)); }
check() { if eval "$2"; then ok "$1"; else ko "$1"; fi; }

build/weights_convert --quiet "$S/models/tiny-random-bert" "$T/tiny.gguf" > "$T/conv.log" 2>&1 || { ko "weights_convert failed"; cat "$T/conv.log"; exit 1; }
build/mtl-train --model "$T/tiny.gguf" --cls-train $D/sst2_sample.tsv --cls-dev $D/sst2_sample.tsv --ner-train $D/conll_iob1.txt \
    --ner-dev $D/conll_iob1.txt --epochs 12 --eval-every 4 --lr 1e-3 --threads 1 --out "$T/out.gguf" --report "$T/rep" > "$T/train.out" 2> "$T/train.err"; rc=$?
R=$T/rep/report.html
check "mtl-train --report exits 0, says where the report is, writes it (no .tmp left)" \
    '[ $rc -eq 0 ] && grep -q "^report: $R$" "$T/train.out" && [ -s "$R" ] && [ ! -e "$R.tmp" ]'
check "self-contained: no <script>, no src= / href= / url(), no http(s) URL but the SVG namespace" \
    '! grep -qi "<script\|src=\|href=\|url(" "$R" && [ $(grep -o "https\?://[^\"]*" "$R" | grep -vc "^http://www.w3.org/2000/svg$") -eq 0 ]'
nsvg=$(grep -o "<svg " "$R" | wc -l)
check "the charts: training loss per task, learning rate, dev metrics, dev loss ($nsvg SVGs)" \
    'grep -q "training loss" "$R" && grep -q "cls loss" "$R" && grep -q "ner loss" "$R" && grep -q ">learning rate<" "$R" &&
     grep -q ">dev metrics<" "$R" && grep -q "ner entity F1" "$R" && grep -q ">dev loss<" "$R" && [ "$nsvg" -ge 4 ]'
check "the tables: before/after (step 0 -> 12), F1 per class and per entity type, confusion matrix, per class, per entity type" \
    'grep -q "Before and after" "$R" && grep -q "step 0 &rarr; step 12" "$R" && grep -q "F1 per class" "$R" && grep -q "F1 per entity type" "$R" &&
     grep -q "confusion matrix" "$R" && grep -q ">per class<" "$R" && grep -q ">per entity type<" "$R" && grep -q "<th>LOC</th>" "$R"'
acc=$(grep -o "cls: loss [0-9.]* accuracy [0-9.]*" "$T/train.out" | tail -1 | awk '{print $5}')
check "the page's last cls accuracy is the one mtl-train printed ($acc)" '[ -n "$acc" ] && grep -q "<th>cls accuracy</th><td>[0-9.]*</td><td>$acc</td>" "$R"'
check "the configuration is on the page" 'grep -q "&quot;epochs&quot;: 12" "$R"'
# an unwritable report folder: an error before training
mkdir -p "$T/ro" && chmod 500 "$T/ro"
build/mtl-train --model "$T/tiny.gguf" --cls-train $D/sst2_sample.tsv --epochs 1 --threads 1 --out "$T/o2.gguf" --report "$T/ro/sub/x" > "$T/ro.out" 2> "$T/ro.err"; rc=$?
if [ "$(id -u)" = 0 ]; then
    check "--report under a missing folder: exit 1 with the reason, nothing trained" '[ $rc -eq 1 ] && grep -q "mtl-train: cannot make $T/ro/sub/x" "$T/ro.err" && [ ! -e "$T/o2.gguf" ]'
else
    check "--report in an unwritable folder: exit 1 with the reason, nothing trained" '[ $rc -eq 1 ] && grep -q "mtl-train: cannot make $T/ro/sub/x" "$T/ro.err" && [ ! -e "$T/o2.gguf" ]'
fi
chmod 700 "$T/ro"

# headless Chromium: loads without console errors, the DOM has the page's SVGs, a screenshot
CH=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$CH" ]; then
    if [ "${CI:-}" = "true" ]; then ko "no chromium (apt-get install chromium): the browser checks cannot run"; else echo "SKIP cli_report: no chromium (apt-get install chromium): browser checks not run"; fi
else
    CHO="--headless=new --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir=$T/chrome --enable-logging=stderr --v=0"
    timeout 120 "$CH" $CHO --dump-dom "file://$R" > "$T/dom.html" 2> "$T/dom.err"; rc=$?
    ndom=$(grep -o "<svg " "$T/dom.html" | wc -l)
    check "chromium --dump-dom: exit 0, the rendered DOM has the title and all $nsvg SVGs ($ndom)" \
        '[ $rc -eq 0 ] && grep -q "<h1>mtl-train report</h1>" "$T/dom.html" && [ "$ndom" -eq "$nsvg" ]'
    check "chromium: no console error or uncaught exception while loading" '! grep -qi "CONSOLE\|Uncaught" "$T/dom.err"'
    mkdir -p build
    timeout 120 "$CH" $CHO --window-size=1360,1500 --screenshot="$T/shot.png" "file://$R" > /dev/null 2> "$T/shot.err"; rc=$?
    sz=$(wc -c < "$T/shot.png" 2> /dev/null || echo 0)
    check "chromium --screenshot: a PNG of the page ($sz bytes; build/report_screenshot.png)" \
        '[ $rc -eq 0 ] && [ "$(head -c 8 "$T/shot.png" | od -An -tx1 | tr -d " \n")" = "89504e470d0a1a0a" ] && [ "$sz" -gt 20000 ] && cp "$T/shot.png" build/report_screenshot.png'
fi
echo "cli_report: $pass passed, $fail failed"
[ $fail -eq 0 ]
