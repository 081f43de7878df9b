# A tiny Cycles scene for the engine tests: 32x18 pixels, 2 samples, frames 1-4, the cube turning
# so every frame differs. Run by the build; the last argument is the .blend to write.
import os
import sys

import bpy

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "common"))
from tiny_scene import save, tiny_scene  # noqa: E402

scene = tiny_scene("CYCLES", frame_end=4, samples=2)
scene.name = "Tiny"
cube = bpy.data.objects["Cube"]
cube.rotation_euler[2] = 0.0
cube.keyframe_insert("rotation_euler", index=2, frame=1)
cube.rotation_euler[2] = 1.5
cube.keyframe_insert("rotation_euler", index=2, frame=4)
save()
