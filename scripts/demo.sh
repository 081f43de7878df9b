#!/usr/bin/env bash
# `make demo`: renders the bundled demo scene on this machine with spotfarm's main job.
# Running it again resumes: frames already on disk and valid are not rendered again.
set -euo pipefail
build="${1:-build}"
root="$(cd "$(dirname "$0")/.." && pwd)"
scene="$root/$build/demo/demo.blend"
out="$root/demo-output"

"$root/$build/spotfarm" render "$scene" --frames 1-60 -o "$out/demo_####"
echo
echo "Frames are in $out/"
