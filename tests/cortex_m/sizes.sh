#!/usr/bin/env bash
# Sizes of the Cortex-M programs that make test-cortex-m built (build/cortex_m/fw_{ids,texts}_{f32,f16}.elf):
# arm-none-eabi-size (Berkeley: text = code + constants + the model blob when it is in FLASH), the code
# alone (.text: the program, mtl and the libc/libm parts it uses), the model blob, RAM (.data + .bss,
# the static arena included), and from the runs' logs the arena mtl_arena_bytes asked for, the heap
# the current loader used (bump peak = what the heap had to hold; live peak = the most allocated at
# once) and the stack's high-water mark.
cd "$(dirname "$0")/../.." || exit 1
OUT=build/cortex_m
SIZE=${SIZE:-arm-none-eabi-size}
ls $OUT/fw_*.elf > /dev/null 2>&1 || { echo "sizes: no $OUT/fw_*.elf (run make test-cortex-m first)"; exit 1; }
echo "== arm-none-eabi-size (Berkeley)"
$SIZE $OUT/fw_ids_f32.elf $OUT/fw_texts_f32.elf $OUT/fw_ids_f16.elf $OUT/fw_texts_f16.elf 2>/dev/null
echo "== per program: code (.vectors + .text + .ARM.exidx), model blob, RAM (.data + .bss), from the run: arena, heap, stack"
printf '%-22s %9s %9s %9s   %s\n' program code model ram "run (bytes)"
for v in ids texts; do for dt in f32 f16; do
    elf=$OUT/fw_${v}_$dt.elf; log=$OUT/qemu_${v}_$dt.log
    [ -f $elf ] || continue
    read -r code model ram < <($SIZE -A $elf | awk '
        $1 == ".vectors" || $1 == ".text" || $1 == ".ARM.exidx" || $1 == ".ARM.extab" { c += $2 }
        $1 == ".fw_model" || $1 == ".fw_xip" { m += $2 }
        $1 == ".data" || $1 == ".bss" { r += $2 }
        END { print c + 0, m + 0, r + 0 }')
    run=""
    if [ -f $log ]; then
        run=$(awk '
            /^arena / { for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] == "need") need = kv[2]; if (kv[1] == "have") have = kv[2] } }
            /^heap end / { for (i = 3; i <= NF; i++) { split($i, kv, "="); h[kv[1]] = kv[2] } }
            /^stack / { for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] == "used") st = kv[2] } }
            END { printf "arena need %s (static %s), heap bump peak %s live peak %s calls %d, stack %s",
                  need, have, h["bump_peak"], h["live_peak"], h["malloc"] + h["realloc"] + h["free"], st }' $log)
    fi
    printf '%-22s %9s %9s %9s   %s\n' "fw_${v}_$dt.elf" "$code" "$model" "$ram" "$run"
done; done
# the library's own numbers for the blobs, on a 32-bit ARM (as the device): load memory
# (mtl_model_mem_bytes), arenas (mtl_arena_bytes), text memory (mtl_text_mem_bytes); tests/cortex_m/mem_sizes.c
if command -v arm-linux-gnueabihf-gcc > /dev/null && command -v qemu-arm > /dev/null; then
    echo "== load memory, arena, text memory (32-bit ARM: mem_sizes under qemu-arm)"
    arm-linux-gnueabihf-gcc -std=c99 -Wall -Wextra -Wpedantic -Wconversion -Werror -O2 -D_FILE_OFFSET_BITS=64 -DMTL_NO_THREADS -I. \
        -o $OUT/mem_sizes tests/cortex_m/mem_sizes.c -lm && qemu-arm -L /usr/arm-linux-gnueabihf $OUT/mem_sizes $OUT/tiny_f32.gguf $OUT/tiny_f16.gguf "$@"
fi
