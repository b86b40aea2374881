#!/usr/bin/env bash
# make test-portability (run by .ci/run after make test): the suite on other targets, one summary line
# per run ("portability MODE: N passed, N failed ... (build Ns, run Ns)"). Modes (default: all three):
#   tsan  ThreadSanitizer (gcc -fsanitize=thread -O1 -g1, TSAN_OPTIONS=halt_on_error=1: any report fails):
#         tests/test_threads.c (one model, 4 threads with their own contexts, one with n_threads = 2;
#         2 trainers at once on 2 threads each; all bit-identical to 1 thread), test_train_backbone
#         (forward + backward on 3 threads = 1 thread) and test_bert (3 threads x 2 workers).
#   m32   i386: gcc -m32 -msse2 -mfpmath=sse -D_FILE_OFFSET_BITS=64, every example, weights_convert and
#         tests/test_*.c at -std=c99 -Wall -Wextra -Wpedantic -Wconversion -Werror; every test, the
#         golden CLI, CLI train and CLI trust checks (tests/check_*.sh on the 32-bit binaries; the
#         damaged-checkpoint CLI check on i386 only).
#   arm   32-bit ARM: arm-linux-gnueabihf-gcc -D_FILE_OFFSET_BITS=64, the same build and the same runs
#         under qemu-arm -L /usr/arm-linux-gnueabihf, except the CLI checks that only i386 runs (the
#         conventions, the damaged-checkpoint and the training-options checks: minutes under qemu);
#         the all-MiniLM-L6-v2 parity test runs on a subset (every MTL_MINILM_STEP_ARM-th input,
#         default 8: 27 of 215) for time, and with MTL_TEST_EMULATED=1 the CLI checks' long training
#         runs take fewer epochs (they only need to outlast a signal or a mkdir).
#   The 32-bit test runs go in two halves at once (2 cores); the summary line sums them.
# Needs (Debian): gcc-12-multilib (not gcc-multilib: it conflicts with the cross compiler),
# gcc-arm-linux-gnueabihf, qemu-user. A mode whose tools are missing is reported as SKIP (FAIL if CI=true).
set -u
cd "$(dirname "$0")/.." || exit 1
ROOT=$(pwd)
STRICT="-std=c99 -Wall -Wextra -Wpedantic -Wconversion -Werror"
JOBS=${JOBS:-2}
S=${MTL_SHARED:-../shared}
if [ -d "$S" ]; then MTL_SHARED=$(cd "$S" && pwd); else MTL_SHARED=$S; fi
export MTL_SHARED
MODES=${*:-tsan m32 arm}
EXAMPLES=$(ls examples/*.c)
TESTS=$(ls tests/test_*.c)
summary=""
bad=0
SHOW='(PASS|FAIL|SKIP) |passed,|^slowest|CHECK\(|ThreadSanitizer|exited with'   # the lines of run.sh's output shown

now() { date +%s; }
# compile OUTDIR "CC FLAGS" SOURCE...: one binary per source (basename without .c), JOBS at a time.
compile() {
    local out=$1 cc=$2 f n; shift 2
    rm -f "$out/.failed"
    for f in "$@"; do
        n=$(basename "$f" .c)
        ( $cc -I. -o "$out/$n" "$f" -lm -lpthread > "$out/$n.build.log" 2>&1 || { echo "$n" >> "$out/.failed"; } ) &
        while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do sleep 0.2; done
    done
    wait
    if [ -s "$out/.failed" ]; then
        for n in $(cat "$out/.failed"); do echo "FAIL build $out/$n:"; sed 's/^/  /' "$out/$n.build.log" | head -40; done
        return 1
    fi
    return 0
}
# run_suite MODE SECONDS_BUILD binaries...: tests/run.sh, then the summary line
record() {   # mode, rc, build s, run s, last line of run.sh
    local line="portability $1: $5 (build $3 s, run $4 s)"
    echo "$line"
    summary="$summary$line"$'\n'
    [ "$2" -eq 0 ] || bad=1
}
skip_mode() {
    local line="portability $1: SKIP ($2)"
    echo "$line"; summary="$summary$line"$'\n'
    [ "${CI:-}" = "true" ] && bad=1
}
# a shadow repo root for tests/check_*.sh (they run build/<tool> from the repo root): tests/ is
# linked, build/<tool> and $mode/test_* run the target's binaries (through $2, e.g. qemu-arm).
shadow() {
    local dir=$1 runner=$2 bin=$3 n
    rm -rf "$dir"; mkdir -p "$dir/build" "$dir/$mode"
    ln -s "$ROOT/tests" "$dir/tests"
    for n in $(cd "$bin" && ls); do
        case $n in *.log|probe) continue ;; esac
        [ -x "$bin/$n" ] && [ -f "$bin/$n" ] || continue
        case $n in test_*) t=$mode/$n ;; weights_convert) t=build/$n ;; *) t=build/mtl-$n ;; esac
        printf '#!/bin/sh\nexec %s "%s/%s" "$@"\n' "$runner" "$bin" "$n" > "$dir/$t"
        chmod +x "$dir/$t"
    done
}

for mode in $MODES; do
    B=$ROOT/build/port-$mode
    mkdir -p "$B"
    case $mode in
    tsan)
        if ! echo 'int main(void){return 0;}' | gcc -fsanitize=thread -x c -o "$B/probe" - > /dev/null 2>&1; then skip_mode tsan "gcc -fsanitize=thread does not link"; continue; fi
        t0=$(now)
        compile "$B" "gcc $STRICT -O1 ${TEST_G:--g1} -fsanitize=thread -fno-omit-frame-pointer" tests/test_threads.c tests/test_train_backbone.c tests/test_bert.c
        brc=$?; t1=$(now)
        out=$(TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" bash tests/run.sh "$B/test_threads" "$B/test_train_backbone" "$B/test_bert" 2>&1); rc=$?
        printf '%s\n' "$out" | grep -E "$SHOW"
        if printf '%s\n' "$out" | grep -q 'WARNING: ThreadSanitizer'; then echo "FAIL: ThreadSanitizer reports"; rc=1; fi
        [ $brc -eq 0 ] || rc=1
        record tsan $rc $((t1 - t0)) $(($(now) - t1)) "$(printf '%s\n' "$out" | tail -1), 0 ThreadSanitizer reports$( [ $rc -eq 0 ] || echo ' (or FAILED)')"
        ;;
    m32|arm)
        if [ $mode = m32 ]; then
            inc=$B/inc; mkdir -p "$inc"
            # Debian's gcc-12-multilib lacks the /usr/include/asm link that gcc-multilib adds
            if [ ! -e /usr/include/asm ]; then ln -sfn "/usr/include/$(gcc -print-multiarch)/asm" "$inc/asm"; fi
            CC32="gcc -m32 -msse2 -mfpmath=sse -D_FILE_OFFSET_BITS=64 -idirafter $inc"
            RUNNER=""
            if ! echo 'int main(void){return 0;}' | $CC32 -x c -o "$B/probe" - > /dev/null 2>&1 || ! "$B/probe"; then skip_mode m32 "gcc -m32 does not build/run (apt-get install gcc-12-multilib)"; continue; fi
        else
            CC32="arm-linux-gnueabihf-gcc -D_FILE_OFFSET_BITS=64"
            RUNNER="qemu-arm -L /usr/arm-linux-gnueabihf"
            if ! command -v arm-linux-gnueabihf-gcc > /dev/null || ! command -v qemu-arm > /dev/null; then skip_mode arm "no arm-linux-gnueabihf-gcc / qemu-arm (apt-get install gcc-arm-linux-gnueabihf qemu-user)"; continue; fi
        fi
        t0=$(now)
        brc=0
        # every example, the converter and every test (-g1: line tables, as the Makefile's tests), largest first
        compile "$B" "$CC32 $STRICT -O2 ${TEST_G:--g1}" $(ls -S $EXAMPLES weights_convert/weights_convert.c $TESTS) || brc=1
        t1=$(now)
        if [ $brc -ne 0 ]; then record $mode 1 $((t1 - t0)) 0 "build FAILED"; continue; fi
        file "$B/test_bert" 2> /dev/null | sed 's/^/  /'
        shadow "$B/root" "$RUNNER" "$B"
        # two halves at once (the tests are single-threaded; under qemu this halves the wall time)
        # the CLI checks: golden replay, training, the trust checks (rows, errors, /dev/full, --out), the
        # conventions (--help, --version, exit statuses);
        # the damaged-checkpoint CLI check (610 tool runs), the training options (~60 runs) and the
        # conventions (--help / --version / exit statuses of every tool, nothing 32-bit about them) only on
        # i386: under qemu they take minutes, and test_integrity runs the same damages through the
        # loaders on ARM too. The halves are balanced by their times under qemu on an AMD EPYC (Zen 2),
        # two at once: test_trainer 132 s, test_bert_minilm 43, check_cli_train 42, check_cli_trust 29,
        # test_bert 26; the rest 1-16 s each (~186 and ~180 s a half).
        # Under qemu (MTL_TEST_EMULATED=1) the CLI checks' long training runs (the SIGINT / resume and
        # the failing-save cases) take fewer epochs: 60 and 150 epochs took 72 and ~170 s a run there.
        half_a=""; half_b="$B/root/tests/check_golden_cli.sh $B/root/tests/check_cli_train.sh $B/root/tests/check_cli_trust.sh"
        [ $mode = m32 ] && half_b="$half_b $B/root/tests/check_cli_conventions.sh $B/root/tests/check_integrity_cli.sh $B/root/tests/check_cli_train_opts.sh"
        for f in $TESTS; do
            n=$(basename "$f" .c)
            case $n in test_bert_minilm|test_tokenizer|test_trainer) half_a="$half_a $B/root/$mode/$n" ;; *) half_b="$half_b $B/root/$mode/$n" ;; esac
        done
        step=1; emu=; [ $mode = arm ] && { step=${MTL_MINILM_STEP_ARM:-8}; emu=1; }
        MTL_TEST_EMULATED=$emu MTL_TEST_JOBS=1 MTL_MINILM_STEP=$step bash tests/run.sh $half_a > "$B/run_a.log" 2>&1 &
        MTL_TEST_EMULATED=$emu MTL_TEST_JOBS=1 MTL_MINILM_STEP=$step bash tests/run.sh $half_b > "$B/run_b.log" 2>&1
        rc=$?; wait $! || rc=1
        cat "$B/run_a.log" "$B/run_b.log" | grep -E "$SHOW"
        # the sum of the two "N passed, N failed[, N skipped]" lines
        tot=$(tail -qn1 "$B/run_a.log" "$B/run_b.log" | awk '{ p += $1; f += $3; s += $5 } END { printf "%d passed, %d failed", p, f; if (s) printf ", %d skipped", s }')
        record $mode $rc $((t1 - t0)) $(($(now) - t1)) "$tot"
        ;;
    *) echo "unknown mode $mode (tsan, m32, arm)"; bad=1 ;;
    esac
done
echo "---"
printf '%s' "$summary"
# one closing total over the runs ("N passed, N failed", the line CI reads)
printf '%s' "$summary" | awk '{ for (i = 1; i < NF; i++) { if ($(i+1) ~ /^passed,?$/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
    END { printf "portability: %d passed, %d failed\n", p, f }'
exit $bad
