#!/bin/sh
# Records Blender's output for the log parser's tests: tiny scenes (32x18 px, 4 samples) made in a
# temporary folder, one log per case, temporary paths replaced by /tmp/spotfarm-logs so the logs
# stay the same between recordings. Run from anywhere: tests/data/blender-logs/record.sh
# The logs in this folder were recorded with Debian 12's Blender 3.4.1.
set -u
here=$(cd "$(dirname "$0")" && pwd)
blender=${BLENDER:-blender}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"

scene() {  # scene NAME ENGINE [OPTIONS...]
    name=$1; shift
    "$blender" -b --factory-startup --python-exit-code 1 --python "$here/make_scene.py" \
        -- "$tmp/$name.blend" "$@" > "$tmp/make-$name.log" 2>&1 || {
        echo "could not make $name.blend:"; cat "$tmp/make-$name.log"; exit 1; }
}

record() {  # record LOGNAME BLENDER-ARGS...
    log=$1; shift
    "$blender" "$@" > "$tmp/raw.log" 2>&1
    rc=$?
    sed -e "s#$tmp#/tmp/spotfarm-logs#g" -e "s#$here#/src/spotfarm/tests/data/blender-logs#g" \
        "$tmp/raw.log" > "$here/$log"
    echo "$log: exit $rc"
}

scene cycles CYCLES
scene eevee BLENDER_EEVEE
scene denoise CYCLES denoise
scene texture CYCLES missing-texture
scene texture-eevee BLENDER_EEVEE missing-texture
rm -f "$tmp/texture.png"
head -c 4096 /dev/urandom > "$tmp/garbage.blend"
printf 'BLENDER-v304' > "$tmp/truncated.blend"
touch "$tmp/not-a-folder"

record cycles-3.4.log -b cycles.blend -o "$tmp/out/frame_####" -F PNG -f 1
record cycles-anim-3.4.log -b cycles.blend -o "$tmp/out/anim_##" -F PNG -s 1 -e 2 -a
record eevee-3.4.log -b eevee.blend -o "$tmp/out/eevee_####" -F PNG -f 1
record denoise-3.4.log -b denoise.blend -o "$tmp/out/denoise_####" -F PNG -f 1
record missing-texture-3.4.log -b texture.blend -o "$tmp/out/texture_####" -F PNG -f 1
record missing-texture-eevee-3.4.log -b texture-eevee.blend -o "$tmp/out/texture_####" -F PNG -f 1
record no-optix-device-3.4.log -b cycles.blend -o "$tmp/out/optix_####" -F PNG -f 1 \
    -- --cycles-device OPTIX
record garbage-blend-3.4.log -b garbage.blend -o "$tmp/out/garbage_####" -f 1
record truncated-blend-3.4.log -b truncated.blend -o "$tmp/out/truncated_####" -f 1
record missing-blend-3.4.log -b "$tmp/no-such-scene.blend" -o "$tmp/out/missing_####" -f 1
record unwritable-output-3.4.log -b cycles.blend -o "$tmp/not-a-folder/frame_####" -F PNG -f 1
record python-error-3.4.log -b cycles.blend --python-exit-code 1 --python "$here/raise_error.py" \
    -o "$tmp/out/py_####" -f 1
record python-chained-error-3.4.log -b cycles.blend --python "$here/raise_chained.py" \
    -o "$tmp/out/py_####" -f 1
printf 'import bpy\nsamples = (\n' > "$tmp/syntax_error.py"
record python-syntax-error-3.4.log -b cycles.blend --python-exit-code 1 \
    --python "$tmp/syntax_error.py" -f 1
record missing-script-3.4.log -b cycles.blend --python-exit-code 1 --python "$tmp/no-such.py" -f 1
