#!/bin/sh
# Compiles each header's implementation under several configurations; prints PASS/FAIL lines.
cd "$(dirname "$0")/.." || exit 1
mkdir -p build/cc
STRICT="-std=c99 -Wall -Wextra -Wpedantic -Wconversion -Werror"
status=0
check() { # name, command...
    name=$1; shift
    if out=$("$@" 2>&1); then echo "PASS $name"; else echo "FAIL $name"; echo "$out" | head -20; status=1; fi
}
# the two library headers
for f in mtl_tokenizer.h mtl_bert.h; do
    [ -f "$f" ] || continue
    h=$(basename "$f" .h)
    IMPL=$(echo $h | tr a-z A-Z)_IMPLEMENTATION
    src=build/cc/$h.c
    printf '#define %s\n#include "../../%s"\nint main(void) { return 0; }\n' "$IMPL" "$f" > $src
    check "compile_${h}_gcc"     gcc   $STRICT -c -o build/cc/$h.gcc.o $src
    check "compile_${h}_clang"   clang $STRICT -c -o build/cc/$h.clang.o $src
    check "compile_${h}_cxx"     g++ -x c++ -std=c++11 -Wall -Wextra -Wpedantic -Werror -c -o build/cc/$h.cxx.o $src
    check "compile_${h}_nostdio" gcc $STRICT -DMTL_NO_STDIO -c -o build/cc/$h.nostdio.o $src
    check "compile_${h}_static"  gcc $STRICT -DMTL_STATIC -Wno-unused-function -c -o build/cc/$h.static.o $src
done
# the converter's parsers (weights_convert/convert.h + torchbin.h), in C and C++
if [ -f weights_convert/convert.h ]; then
    src=build/cc/convert.c
    printf '#include "../../weights_convert/convert.h"\nint main(void) { return 0; }\n' > $src
    check "compile_convert_gcc"   gcc   $STRICT -c -o build/cc/convert.gcc.o $src
    check "compile_convert_clang" clang $STRICT -c -o build/cc/convert.clang.o $src
    check "compile_convert_cxx"   g++ -x c++ -std=c++11 -Wall -Wextra -Wpedantic -Werror -c -o build/cc/convert.cxx.o $src
fi
# firmware configurations of mtl_bert.h (tests/cortex_m runs them): ids only, bare metal, in C and C++
src=build/cc/mtl_bert.c
check "compile_mtl_bert_notokenizer"     gcc $STRICT -DMTL_NO_TOKENIZER -DMTL_NO_STDIO -DMTL_NO_THREADS -c -o build/cc/mtl_bert.notok.o $src
check "compile_mtl_bert_notokenizer_cxx" g++ -x c++ -std=c++11 -Wall -Wextra -Wpedantic -Werror -DMTL_NO_TOKENIZER -c -o build/cc/mtl_bert.notok.cxx.o $src
exit $status
