# The tiny Cycles scene with a script of its own that makes Blender die on frame 3 (a frame-change
# handler that ends the process), a frame that always fails wherever it runs. Blender runs the
# script only when the scene's Python is allowed (-y, spotfarm's --allow-scripts).
import os
import sys

import bpy

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "common"))
from tiny_scene import save, tiny_scene  # noqa: E402

tiny_scene("CYCLES", frame_end=4)
text = bpy.data.texts.new("crash_on_frame_3.py")
text.use_module = True
text.write('''import os

import bpy


def crash_on_frame_3(scene, *args):
    if scene.frame_current == 3:
        os._exit(7)


bpy.app.handlers.frame_change_pre.append(crash_on_frame_3)
''')
save()
