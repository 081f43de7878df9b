#!/usr/bin/env bash
# `make fuzz`: runs every libFuzzer target of BUILD/fuzz for SECONDS each (default 60), one after
# another, starting from the seeds in fuzz/corpus/NAME and the corpus earlier runs grew in
# BUILD/fuzz-corpus/NAME. A crash leaves its input in BUILD/fuzz-crashes/NAME and the script
# exits 1 after the others ran; turn each into a regression test under tests/. A unit slower
# than 30 s counts as a crash (a timeout).
#   scripts/fuzz.sh [BUILD] [SECONDS] [TARGET...]
set -uo pipefail
build="${1:-build-fuzz}"
seconds="${2:-60}"
shift 2 2>/dev/null || shift $#
root="$(cd "$(dirname "$0")/.." && pwd)"
targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then
    for t in "$build"/fuzz/*_fuzz; do [[ -x "$t" ]] && targets+=("$(basename "$t")"); done
fi
echo "spotfarm fuzzing, $(date -u '+%Y-%m-%d %H:%M UTC'), ${seconds} s per target, load:$(uptime | sed 's/.*load average//')"
failed=()
for name in "${targets[@]}"; do
    corpus="$build/fuzz-corpus/$name"
    crashes="$build/fuzz-crashes/$name"
    mkdir -p "$corpus" "$crashes"
    seeds=()
    [[ -d "$root/fuzz/corpus/$name" ]] && seeds=("$root/fuzz/corpus/$name")
    log="$build/fuzz-$name.log"
    "$build/fuzz/$name" "$corpus" "${seeds[@]}" -max_total_time="$seconds" -timeout=30 \
        -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
        -artifact_prefix="$crashes/" >"$log" 2>&1
    status=$?
    runs="$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$')"
    cov="$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*')"
    # Slow units (slow-unit-*) are kept too, for a look, but are not failures.
    found="$(find "$crashes" -type f \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' \
        -o -name 'leak-*' \) | wc -l)"
    printf '%-22s %12s runs  %6s edges  %3s crash input(s)  %s\n' "$name" "${runs:-?}" \
        "${cov:-?}" "$found" "$([[ $status -eq 0 ]] && echo ok || echo "FAILED, see $log")"
    [[ $status -eq 0 && $found -eq 0 ]] || failed+=("$name")
done
if [[ ${#failed[@]} -gt 0 ]]; then
    echo "crashes in: ${failed[*]}"
    exit 1
fi
