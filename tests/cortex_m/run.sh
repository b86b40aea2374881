#!/usr/bin/env bash
# make test-cortex-m: mtl bare metal on a Cortex-M4F (QEMU mps2-an386), checked against the host.
#   1. build/weights_convert turns $MTL_SHARED/models/tiny-random-bert into an f32 and an f16 blob
#      (build/cortex_m/tiny_{f32,f16}.gguf);
#   2. examples/firmware/fw_embed.c is built with arm-none-eabi-gcc (-mcpu=cortex-m4 -mfpu=fpv4-sp-d16
#      -mfloat-abi=hard, -std=c99 -Wall -Wextra -Wpedantic -Wconversion -Werror, MTL_NO_STDIO,
#      MTL_NO_THREADS) twice, ids only (FW_TEXTS=0, MTL_NO_TOKENIZER: no tokenizer code) and ids + texts, and linked with
#      tests/cortex_m/startup.S, mps2_an386.ld and each blob (model.S: .incbin; the f16 blob in
#      FLASH, the f32 one, larger than the 4 MB FLASH, in the PSRAM as external flash): 4 programs;
#   3. each runs under qemu-system-arm (semihosting output, timeout QEMU_TIMEOUT s) and must end with
#      "fw: PASS" and exit status 0;
#   4. the same source built for the host (FW_REQUIRE_ZERO_HEAP=0) computes the reference on the same blob; fw_compare
#      requires every value within 1e-5 (FW_TOLERANCE) and the same token counts;
#   5. tests/cortex_m/sizes.sh prints the programs' sizes, arena, heap and stack.
# FW_REQUIRE_ZERO_HEAP=1 (the Makefile's switch; 0 while the loader still allocates): any allocator
# call (MTL_MALLOC / MTL_REALLOC / MTL_FREE of a pointer) during a run fails it.
# Prints PASS/FAIL lines and "test-cortex-m: N passed, N failed"; a missing tool or model is a SKIP
# (FAIL when CI=true).
set -u
cd "$(dirname "$0")/../.." || exit 1
OUT=build/cortex_m
S=${MTL_SHARED:-../shared}
HF=$S/models/tiny-random-bert
ZERO=${FW_REQUIRE_ZERO_HEAP:-1}
TOL=${FW_TOLERANCE:-1e-5}
QEMU_TIMEOUT=${QEMU_TIMEOUT:-120}
OPT=${FW_OPT:--O2}
ARCH="-mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16"
STRICT="-std=c99 -Wall -Wextra -Wpedantic -Wconversion -Werror"
# MTL_NO_UNIGRAM: the firmware's model is WordPiece; the Unigram model's Viterbi sums doubles as HF does,
# which this single-precision FPU would do in soft-float (the float-only check below would see them)
DEFS="-DMTL_NO_STDIO -DMTL_NO_THREADS -DMTL_NO_UNIGRAM"
ZDEF="-DFW_REQUIRE_ZERO_HEAP=$ZERO"   # the Cortex-M programs only: the host build is the numbers' reference
t0=$(date +%s)
pass=0; fail=0

skip() {
    echo "SKIP test-cortex-m: $1"
    if [ "${CI:-}" = "true" ]; then echo "test-cortex-m: 0 passed, 1 failed (CI=true: a skip fails)"; exit 1; fi
    exit 0
}
ok()  { echo "PASS $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1"; fail=$((fail + 1)); }
finish() {
    echo "test-cortex-m: $pass passed, $fail failed ($(( $(date +%s) - t0 )) s)"
    [ "$fail" -eq 0 ]; exit
}
# run NAME LOG COMMAND...: the command's output into LOG; PASS/FAIL on its status (the log's tail on failure)
run() {
    local name=$1 log=$2 rc; shift 2
    "$@" > "$log" 2>&1; rc=$?
    if [ $rc -eq 0 ]; then ok "$name"; return 0; fi
    bad "$name (status $rc; $log):"; grep -v '^vec ' "$log" | tail -15 | sed 's/^/  /'; return 1
}

for t in arm-none-eabi-gcc qemu-system-arm; do
    command -v $t > /dev/null || skip "no $t (apt-get install gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm)"
done
[ -f "$HF/config.json" ] || skip "no $HF"
[ -x build/weights_convert ] || { bad "build/weights_convert is missing (make build/weights_convert)"; finish; }
mkdir -p $OUT

# 1. the blobs (again when the converter or the model is newer)
for dt in f32 f16; do
    blob=$OUT/tiny_$dt.gguf
    if [ ! -s $blob ] || [ build/weights_convert -nt $blob ] || [ "$HF/model.safetensors" -nt $blob ]; then
        run "convert tiny-random-bert $dt" $OUT/convert_$dt.log build/weights_convert "$HF" $blob --dtype $dt || finish
    fi
done

# 2. objects (two compilers at a time: the machine has 2 cores)
build() {   # NAME LOG COMMAND...: in the background; LOG.rc gets the status
    local log=$2; shift 2
    ( "$@" > "$log" 2>&1; echo $? > "$log.rc" ) &
}
build arm_ids   $OUT/arm_ids.build.log   arm-none-eabi-gcc $ARCH $STRICT $OPT -ffunction-sections -fdata-sections $DEFS $ZDEF -DFW_TEXTS=0 -DMTL_NO_TOKENIZER -I. -c -o $OUT/fw_ids.o examples/firmware/fw_embed.c
build arm_texts $OUT/arm_texts.build.log arm-none-eabi-gcc $ARCH $STRICT $OPT -ffunction-sections -fdata-sections $DEFS $ZDEF -DFW_TEXTS=1 -I. -c -o $OUT/fw_texts.o examples/firmware/fw_embed.c
wait
# the host reference: its arena 1 MB (on AVX-512 the forward's scratch also holds A's rows packed for the
# micro-kernel, which the Cortex-M build does not plan)
build host      $OUT/host.build.log      ${CC:-cc} $STRICT -O2 $DEFS -DFW_REQUIRE_ZERO_HEAP=0 -DFW_TEXTS=1 -DFW_ARENA_BYTES=1048576u -I. -c -o $OUT/host_fw.o examples/firmware/fw_embed.c
build compare   $OUT/compare.build.log   ${CC:-cc} $STRICT -O2 -o $OUT/fw_compare tests/cortex_m/fw_compare.c -lm
wait
built=1
for b in arm_ids arm_texts host compare; do
    if [ "$(cat $OUT/$b.build.log.rc)" = 0 ]; then ok "build $b"; else bad "build $b:"; head -30 $OUT/$b.build.log | sed 's/^/  /'; built=0; fi
done
[ $built = 1 ] || finish
run "assemble startup.S" $OUT/startup.build.log arm-none-eabi-gcc $ARCH -c -o $OUT/startup.o tests/cortex_m/startup.S || finish

for dt in f32 f16; do
    # the f32 blob (4.6 MB) does not fit the 4 MB FLASH: it goes to the PSRAM (.fw_xip)
    sec=.rodata.fw_model; [ $dt = f32 ] && sec=.fw_xip
    run "assemble model $dt" $OUT/model_$dt.build.log arm-none-eabi-gcc $ARCH -c "-DFW_MODEL_FILE=\"$OUT/tiny_$dt.gguf\"" -DFW_MODEL_SECTION=$sec -o $OUT/model_$dt.o tests/cortex_m/model.S || finish
    run "host reference $dt" $OUT/host_$dt.log sh -c "${CC:-cc} -c '-DFW_MODEL_FILE=\"$OUT/tiny_$dt.gguf\"' -o $OUT/host_model_$dt.o tests/cortex_m/model.S && ${CC:-cc} -o $OUT/host_fw_$dt $OUT/host_fw.o $OUT/host_model_$dt.o -lm && $OUT/host_fw_$dt" || finish
    for v in ids texts; do
        elf=$OUT/fw_${v}_$dt.elf
        run "link $v $dt" $OUT/link_${v}_$dt.log arm-none-eabi-gcc $ARCH -nostartfiles -Wl,--gc-sections -Wl,-Map=$OUT/fw_${v}_$dt.map \
            -T tests/cortex_m/mps2_an386.ld -o $elf $OUT/startup.o $OUT/fw_$v.o $OUT/model_$dt.o -lm || continue
        # float-only: a Cortex-M4F has a single-precision FPU; double arithmetic would link libgcc's soft-float
        d=$(arm-none-eabi-nm $elf | grep -E ' __aeabi_(d[a-z0-9]+|[a-z0-9]+2d)$| __[a-z]+df[0-9]$' | awk '{print $3}' | tr '\n' ' ')
        if [ -z "$d" ]; then ok "float-only $v $dt: no double-precision routine linked"; else bad "float-only $v $dt: double-precision routines linked: $d"; fi
        # 3. the run, 4. the comparison
        if run "qemu mps2-an386 $v $dt" $OUT/qemu_${v}_$dt.log timeout $QEMU_TIMEOUT qemu-system-arm -machine mps2-an386 -cpu cortex-m4 \
                -nographic -monitor none -serial none -semihosting-config enable=on,target=native -kernel $elf; then
            grep -E '^(heap end|stack|fw: allocator)' $OUT/qemu_${v}_$dt.log | sed 's/^/  /'
        fi
        if r=$($OUT/fw_compare $OUT/qemu_${v}_$dt.log $OUT/host_$dt.log $TOL); then ok "compare $v $dt: ${r#PASS }"; else bad "compare $v $dt:"; echo "$r" | sed 's/^/  /'; fi
    done
done
# 5. sizes
bash tests/cortex_m/sizes.sh
finish
