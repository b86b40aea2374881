#!/usr/bin/env bash
# Runs every test binary given on the command line, prints their PASS/FAIL/SKIP lines and ends with
# "N passed, N failed". A skipped test (missing data) counts as failed when CI=true.
# MTL_TEST_JOBS binaries run at once (default 2; each writes its own temp files, named by pid or
# mktemp); their output is printed whole, in the order given, then the slowest five with their
# wall times (the CI budget: tests/portability.sh runs halves of the suite under qemu).
set -u
pass=0; fail=0; skip=0
jobs_max=${MTL_TEST_JOBS:-2}
out_dir=$(mktemp -d "${TMPDIR:-/tmp}/mtl_run.XXXXXX") || exit 1
trap 'rm -rf "$out_dir"' EXIT
i=0
for bin in "$@"; do
    ( t0=$(date +%s); "$bin" > "$out_dir/$i.out" 2>&1; echo $? > "$out_dir/$i.rc"; echo "$(($(date +%s) - t0)) $(basename "$(dirname "$bin")")/$(basename "$bin")" > "$out_dir/$i.time" ) &
    i=$((i + 1))
    while [ "$(jobs -rp | wc -l)" -ge "$jobs_max" ]; do sleep 0.1; done
done
wait
i=0
for bin in "$@"; do
    out=$(cat "$out_dir/$i.out"); rc=$(cat "$out_dir/$i.rc" 2>/dev/null || echo 1)
    i=$((i + 1))
    printf '%s\n' "$out" | sed "s|^|[$(basename "$(dirname "$bin")")/$(basename "$bin")] |"
    p=$(printf '%s\n' "$out" | grep -c '^PASS ')
    f=$(printf '%s\n' "$out" | grep -c '^FAIL ')
    s=$(printf '%s\n' "$out" | grep -c '^SKIP ')
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        echo "FAIL $bin: exited with status $rc"; f=1
    fi
    pass=$((pass + p)); fail=$((fail + f)); skip=$((skip + s))
done
echo "slowest (wall s): $(cat "$out_dir"/*.time 2> /dev/null | sort -rn | head -5 | awk '{ printf "%s%s %s", (NR > 1 ? ", " : ""), $2, $1 }')"
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
