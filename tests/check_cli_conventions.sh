#!/bin/sh
# Issue 15 (help and conventions): the same rules in every command-line tool (a second or two).
#  - --help and -h: exit 0, the help on stdout (nothing on stderr), "usage: " first, then one line per
#    option: every option the tool's source parses (each "--name" string literal of its .c file) has a
#    line of its own, and every option line states a default or that the option is required;
#  - --version: exactly MTL_VERSION, defined identically in mtl_tokenizer.h and mtl_bert.h, exit 0;
#  - an unknown option: exit 2 and "unknown option '--...'" on stderr; an option without its value: exit
#    2 and "needs a value"; a stray word (tools without word arguments): exit 2, "unexpected argument"; a bad --threads value: exit 2 naming --threads; a missing input file: exit 1;
#  - --threads: every tool that runs the model has it, with the same default (all online CPUs, at most 8);
#  - messages name 1-based input lines (the first stdin line is <stdin>:1).
# Prints PASS/FAIL/SKIP lines.
cd "$(dirname "$0")/.." || exit 1
# the sources and headers: beside this script's real folder (tests/ may be a link, tests/portability.sh)
SRC=$(cd "$(dirname "$0")" && pwd -P)/..
S=${MTL_SHARED:-../shared}
T=$(mktemp -d "${TMPDIR:-/tmp}/mtl_cli_conv.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
pass=0; fail=0
ok() { echo "PASS cli_conventions: $1"; pass=$((pass + 1)); }
ko() { echo "FAIL cli_conventions: $1"; fail=$((fail + 1)); }
check() { if eval "$2"; then ok "$1"; else ko "$1"; fi; }

V1=$(sed -n 's/^#define MTL_VERSION "\(.*\)"$/\1/p' "$SRC/mtl_tokenizer.h")
V2=$(sed -n 's/^#define MTL_VERSION "\(.*\)"$/\1/p' "$SRC/mtl_bert.h")
check "MTL_VERSION defined once in each header, the same ('$V1')" '[ -n "$V1" ] && [ "$V1" = "$V2" ] && [ $(printf "%s\n" "$V1" | wc -l) -eq 1 ]'

# tool, its source, an option that takes a value (given without one), a runtime error (a missing file)
TOOLS="mtl-embed:examples/embed.c:--batch
mtl-similarity:examples/similarity.c:--model
mtl-tokenize:examples/tokenize.c:--model-dir
mtl-train:examples/train.c:--out
mtl-eval:examples/eval.c:--model
mtl-predict:examples/predict.c:--model
mtl-golden:examples/golden.c:--fixtures
weights_convert:weights_convert/weights_convert.c:--dtype"
# tools that run the model: --threads with the common default
THREADED="mtl-embed mtl-similarity mtl-train mtl-eval mtl-predict"

missing_file() {   # a run that fails at run time (a file that does not exist)
    case $1 in
    mtl-embed|mtl-predict) "build/$1" --model "$T/none.gguf" < /dev/null ;;
    mtl-similarity) "build/$1" --model "$T/none.gguf" "a sentence" ;;
    mtl-tokenize) "build/$1" --model-dir "$T/none" < /dev/null ;;
    mtl-train) "build/$1" --model "$T/none.gguf" --out "$T/out.gguf" --cls-train "$T/none.tsv" ;;
    mtl-eval) "build/$1" --model "$T/none.gguf" --cls-test "$T/none.tsv" ;;
    mtl-golden) "build/$1" --model-dir "$T/none" --fixtures "$T/none" ;;
    weights_convert) "build/$1" "$T/none" "$T/out.gguf" ;;
    esac
}

printf '%s\n' "$TOOLS" > "$T/tools"
while IFS=: read -r tool src valopt; do
    b=build/$tool
    if [ ! -x "$b" ]; then echo "SKIP cli_conventions: no $b (run make)"; continue; fi
    "$b" --help > "$T/h.out" 2> "$T/h.err"; rc=$?
    check "$tool --help: exit 0, the help on stdout, nothing on stderr" '[ $rc -eq 0 ] && [ ! -s "$T/h.err" ] && head -1 "$T/h.out" | grep -q "^usage: "'
    "$b" -h > "$T/h2.out" 2> /dev/null; rc=$?
    check "$tool -h: the same help, exit 0" '[ $rc -eq 0 ] && cmp -s "$T/h.out" "$T/h2.out"'
    # every option the source parses: "--name" string literals (messages hold no whole-literal option)
    opts=$(grep -oE '"--[a-z0-9][a-z0-9-]*"' "$SRC/$src" | tr -d '"' | sort -u)
    missing=""
    for o in $opts -h --help --version; do
        grep -qE -- "^  ([^ ]+, )*$o( |,|\$)" "$T/h.out" || missing="$missing $o"
    done
    check "$tool --help: one line for each of its $(echo $opts | wc -w) parsed options + -h/--help/--version${missing:+ (missing:$missing)}" '[ -z "$missing" ] && [ -n "$opts" ]'
    nodef=$(grep -E '^  -' "$T/h.out" | grep -vE '^  (-h, --help|--version) ' | grep -vE 'default|required|the same as|every argument after it' || true)
    check "$tool --help: every option line gives its default (or says it is required)${nodef:+: $nodef}" '[ -z "$nodef" ]'
    "$b" --version > "$T/v.out" 2> "$T/v.err"; rc=$?
    check "$tool --version: exactly MTL_VERSION ($V1), exit 0" '[ $rc -eq 0 ] && [ "$(cat "$T/v.out")" = "$V1" ] && [ $(wc -l < "$T/v.out") -eq 1 ] && [ ! -s "$T/v.err" ]'
    "$b" --no-such-option < /dev/null > "$T/u.out" 2> "$T/u.err"; rc=$?
    check "$tool --no-such-option: exit 2, the message names it" '[ $rc -eq 2 ] && grep -q "^$tool: unknown option '"'"'--no-such-option'"'"'" "$T/u.err" && [ ! -s "$T/u.out" ]'
    case $tool in mtl-similarity|weights_convert) ;; *)   # (those two take words: sentences, HF_DIR OUT)
        "$b" stray < /dev/null > "$T/u.out" 2> "$T/u.err"; rc=$?
        check "$tool stray: exit 2, 'unexpected argument'" '[ $rc -eq 2 ] && grep -q "^$tool: unexpected argument '"'"'stray'"'"'" "$T/u.err"' ;;
    esac
    "$b" "$valopt" < /dev/null > "$T/u.out" 2> "$T/u.err"; rc=$?
    check "$tool $valopt without its value: exit 2, 'needs a value'" '[ $rc -eq 2 ] && grep -q "^$tool: option '"'"'$valopt'"'"' needs a value" "$T/u.err"'
    missing_file "$tool" > /dev/null 2> "$T/r.err"; rc=$?
    # (mtl-golden reports a fixture folder it cannot open as a failed fixture on stdout)
    check "$tool on a missing file: runtime error, exit 1, a message" '[ $rc -eq 1 ] && { [ "$tool" = mtl-golden ] || grep -q "^$tool: " "$T/r.err"; }'
    case " $THREADED " in
    *" $tool "*)
        check "$tool --threads: default all online CPUs (at most 8), range 1..64" 'grep -qE "^  --threads N +.*1\.\.64.*default: all online CPUs, at most 8" "$T/h.out"'
        "$b" --threads 0 --model "$T/none.gguf" < /dev/null > /dev/null 2> "$T/t.err"; rc=$?
        check "$tool --threads 0: exit 2 naming --threads" '[ $rc -eq 2 ] && grep -q "bad value for --threads" "$T/t.err"' ;;
    esac
done < "$T/tools"

# 1-based line numbers: the first stdin line is <stdin>:1
if [ -x build/mtl-tokenize ] && [ -d "$S/models/tiny-random-bert" ]; then
    printf 'no tab\n' | build/mtl-tokenize --model-dir "$S/models/tiny-random-bert" --pair > /dev/null 2> "$T/l.err"; rc=$?
    check "mtl-tokenize: a bad first line is <stdin>:1 (1-based), exit 1" '[ $rc -eq 1 ] && grep -q "^mtl-tokenize: <stdin>:1: " "$T/l.err"'
else
    echo "SKIP cli_conventions: line numbers (no $S/models/tiny-random-bert or build/mtl-tokenize)"
fi
exit 0
