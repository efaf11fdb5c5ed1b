#!/usr/bin/env bash
# `make fuzz [SECONDS=N] [TARGETS="html lua-chunk"] [JOBS=2]`: builds Fuzz/ with libFuzzer and
# AddressSanitizer, then runs every target (or those named) for N seconds each, JOBS at a time. Each
# target starts from its seeds (test fixtures, plugins), its regression inputs (Fuzz/Regressions/NAME,
# inputs that once crashed) and the corpus earlier runs grew (.build/fuzz/corpus/NAME, kept between
# runs). Prints one line per target: executions, coverage, new inputs, findings. A finding is saved
# under .build/fuzz/findings/ and the script exits 1; turn it into a regression input and a fix.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SECONDS_EACH=${SECONDS_EACH:-60}
JOBS=${JOBS:-2}
WORK="$ROOT/.build/fuzz"
mkdir -p "$WORK/corpus" "$WORK/findings" "$WORK/logs"

echo "building the fuzzers (Fuzz/, -sanitize=fuzzer,address)..."
(cd Fuzz && swift build -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld 2>&1 |
    grep -E "error|warning: .*\.swift" || true)
BIN="$ROOT/Fuzz/.build/debug/QuarryFuzz"
[ -x "$BIN" ] || { echo "fuzz: the build failed (see above)" >&2; exit 2; }

declare -A SEEDS
while IFS=$'\t' read -r name dirs; do SEEDS[$name]="$dirs"; done < <("$BIN" --targets)
if [ -n "${TARGETS:-}" ]; then
    read -r -a NAMES <<< "$TARGETS"
    for name in "${NAMES[@]}"; do
        [ -n "${SEEDS[$name]+x}" ] || { echo "fuzz: no target '$name' (targets: ${!SEEDS[*]})" >&2; exit 2; }
    done
else
    mapfile -t NAMES < <("$BIN" --targets | cut -f1)
fi

run_one() {
    local name=$1
    local corpus="$WORK/corpus/$name" log="$WORK/logs/$name.log"
    mkdir -p "$corpus" "$ROOT/Fuzz/Regressions/$name"
    local dirs=("$corpus" "$ROOT/Fuzz/Regressions/$name")
    local dir
    for dir in ${SEEDS[$name]}; do [ -d "$ROOT/$dir" ] && dirs+=("$ROOT/$dir"); done
    if [ "$name" = lua-chunk ] && [ -d "$ROOT/../shared/lua-testes" ]; then dirs+=("$ROOT/../shared/lua-testes"); fi
    # New inputs go to the first folder only; the others are read. -timeout: one input may take 10 s.
    local status=0
    QUARRY_FUZZ_TARGET=$name "$BIN" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=4096 \
        -max_len=65536 -print_final_stats=1 -artifact_prefix="$WORK/findings/$name-" "${dirs[@]}" \
        > "$log" 2>&1 || status=$?
    local execs cov ft
    execs=$(grep -ao 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
    cov=$(grep -aoE 'cov: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+' || echo 0)
    ft=$(grep -aoE 'ft: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+' || echo 0)
    local found="clean"
    if [ "$status" -ne 0 ]; then found="FINDING (exit $status): $(ls -t "$WORK/findings/$name-"* 2>/dev/null | head -1), log $log"; fi
    printf '%-12s %10s execs  cov %6s  ft %7s  corpus %5s  %s\n' "$name" "$execs" "$cov" "$ft" \
        "$(ls "$corpus" | wc -l)" "$found"
    [ "$status" -eq 0 ]
}

echo "fuzzing ${#NAMES[@]} targets, ${SECONDS_EACH} s each, $JOBS at a time (logs in $WORK/logs)"
failed=0
running=0
for name in "${NAMES[@]}"; do
    run_one "$name" &
    running=$((running + 1))
    if [ "$running" -ge "$JOBS" ]; then
        wait -n || failed=1
        running=$((running - 1))
    fi
done
while [ "$running" -gt 0 ]; do
    wait -n || failed=1
    running=$((running - 1))
done
if [ "$failed" -ne 0 ]; then
    echo "fuzz: findings above; reproduce with QUARRY_FUZZ_TARGET=NAME $BIN FILE" >&2
    exit 1
fi
