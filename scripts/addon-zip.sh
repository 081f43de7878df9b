#!/bin/sh
# Builds the Blender add-on's zip from addon/spotfarm: one folder spotfarm/ inside, as Blender's
# "Install add-on" (3.4+) and "Install from Disk" (4.2+ extensions) take it.
# Usage: scripts/addon-zip.sh OUT.zip
set -eu
[ $# -eq 1 ] || { echo "usage: $0 OUT.zip" >&2; exit 2; }
src="$(cd "$(dirname "$0")/.." && pwd)/addon/spotfarm"
mkdir -p "$(dirname "$1")"
out="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# Only the sources: no __pycache__ or editor files from a working copy.
mkdir "$tmp/spotfarm"
cp "$src"/*.py "$src"/blender_manifest.toml "$tmp/spotfarm/"
rm -f "$out"
(cd "$tmp" && cmake -E tar cf "$out" --format=zip spotfarm)
echo "$out"
