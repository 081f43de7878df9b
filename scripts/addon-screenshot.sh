#!/bin/sh
# A screenshot of the Blender add-on's panel with real figures, for the README: Blender's own UI
# under Xvfb (Debian's xvfb package), its user folders in a temporary folder.
# Usage: scripts/addon-screenshot.sh BUILD_DIR OUT.png [SCENE [FRAMES]]
# (default: the demo scene, frames 1-3 rendered and the whole range estimated)
set -eu
[ $# -ge 2 ] || { echo "usage: $0 BUILD_DIR OUT.png [SCENE [FRAMES]]" >&2; exit 2; }
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$(cd "$1" && pwd)"
mkdir -p "$(dirname "$2")"
shot="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$root/scripts/addon-zip.sh" "$tmp/spotfarm-addon.zip" > /dev/null
cp "${3:-$build/demo/demo.blend}" "$tmp/shot.blend"
BLENDER_USER_CONFIG="$tmp/config" BLENDER_USER_SCRIPTS="$tmp/scripts" \
    xvfb-run -a -s "-screen 0 1000x1500x24" \
    blender --window-geometry 0 0 1000 1500 --no-window-focus "$tmp/shot.blend" \
    --python "$root/scripts/addon_screenshot.py" -- \
    "$tmp/spotfarm-addon.zip" "$build/spotfarm" "$tmp/out/frame_####" "${4:-1-3}" "$shot"
test -s "$shot"
echo "$shot"
