#!/bin/sh
# Runs the build/mtl-golden CLI (issue #4's contract) on the shared golden fixtures; prints PASS/FAIL/SKIP.
cd "$(dirname "$0")/.." || exit 1
S=${MTL_SHARED:-../shared}
if [ ! -d "$S/fixtures/golden" ] || [ ! -d "$S/models/tiny-random-bert" ]; then
    echo "SKIP golden_cli: no $S/fixtures/golden or $S/models/tiny-random-bert"; exit 0
fi
if out=$(build/mtl-golden --model-dir "$S/models/tiny-random-bert" --fixtures "$S/fixtures/golden" 2>&1); then
    n=$(printf '%s\n' "$out" | grep -c '^PASS ')
    if [ "$n" -ge 5 ]; then echo "PASS golden_cli ($n fixtures)"; else echo "FAIL golden_cli: only $n PASS lines"; fi
else
    echo "FAIL golden_cli: mtl-golden exited non-zero"
fi
printf '%s\n' "$out" | sed 's/^/  /'
