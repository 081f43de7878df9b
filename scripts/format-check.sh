#!/usr/bin/env bash
# Fails when a C++ file of src/, tests/ or bench/ is not as .clang-format says (100 columns among
# it). Pinned to Debian 12's clang-format-14: another major version formats differently.
# `make format` rewrites the files in place.
set -euo pipefail
cd "$(dirname "$0")/.."
tool="${CLANG_FORMAT:-clang-format-14}"
command -v "$tool" >/dev/null || { echo "format-check: $tool not found (make setup installs it)" >&2; exit 1; }
mapfile -t files < <(find src tests bench fuzz \( -name '*.cpp' -o -name '*.h' \) | sort)
if ! "$tool" --dry-run --Werror "${files[@]}" 2>/tmp/spotfarm-format-check.$$; then
    grep -E '^[^ ]+:[0-9]+:[0-9]+: error' /tmp/spotfarm-format-check.$$ | cut -d: -f1 | sort -u |
        sed 's/^/  not formatted: /' >&2
    rm -f /tmp/spotfarm-format-check.$$
    echo "format-check: run 'make format' and commit the result" >&2
    exit 1
fi
rm -f /tmp/spotfarm-format-check.$$
echo "format-check: ${#files[@]} files formatted as .clang-format says"
