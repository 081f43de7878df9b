#!/usr/bin/env bash
# `make bench`: runs every benchmark (bench_engine, bench_farm_efficiency, bench_manager_scale,
# bench_scheduler, bench_startup, bench_transfer) with its defaults and prints its table. Figures are printed,
# never asserted.
set -euo pipefail
build="${1:-build}"
root="$(cd "$(dirname "$0")/.." && pwd)"
echo "spotfarm benchmarks, $(date -u +%Y-%m-%d), $(nproc) cores, $(blender -b --version 2>/dev/null | head -1)"
# Figures depend on what else runs: say so next to them.
echo "load:$(uptime | sed 's/.*load average//')"
for b in "$root/$build"/bench/bench_*; do
    [[ -x "$b" ]] || continue
    echo
    echo "== $(basename "$b" | sed 's/^bench_//') =="
    "$b"
done
