#!/usr/bin/env bash
# Runs every test binary given on the command line, prints their PASS/FAIL/SKIP lines and ends with
# "N passed, N failed". A skipped test (missing data) counts as failed when CI=true.
set -u
pass=0; fail=0; skip=0
for bin in "$@"; do
    out=$("$bin" 2>&1); rc=$?
    printf '%s\n' "$out" | sed "s|^|[$(basename "$(dirname "$bin")")/$(basename "$bin")] |"
    p=$(printf '%s\n' "$out" | grep -c '^PASS ')
    f=$(printf '%s\n' "$out" | grep -c '^FAIL ')
    s=$(printf '%s\n' "$out" | grep -c '^SKIP ')
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        echo "FAIL $bin: exited with status $rc"; f=1
    fi
    pass=$((pass + p)); fail=$((fail + f)); skip=$((skip + s))
done
if [ "${CI:-}" = "true" ] && [ "$skip" -gt 0 ]; then
    echo "CI=true: $skip skipped test(s) count as failed"
    fail=$((fail + skip)); skip=0
fi
if [ "$skip" -gt 0 ]; then
    echo "$pass passed, $fail failed, $skip skipped"
else
    echo "$pass passed, $fail failed"
fi
[ "$fail" -eq 0 ]
