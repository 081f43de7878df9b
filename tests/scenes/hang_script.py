# The tiny Cycles scene with a script of its own that hangs on frame 2 (a frame-change handler
# that sleeps for an hour), the way a broken add-on or rig script can. Blender runs the script only
# when the scene's Python is allowed (-y, spotfarm's --allow-scripts).
import os
import sys

import bpy

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "common"))
from tiny_scene import save, tiny_scene  # noqa: E402

tiny_scene("CYCLES", frame_end=3)
text = bpy.data.texts.new("hang_on_frame_2.py")
text.use_module = True  # registered when the file loads, if scripts may run
text.write('''import time

import bpy


def hang_on_frame_2(scene, *args):
    if scene.frame_current == 2:
        time.sleep(3600)


bpy.app.handlers.frame_change_pre.append(hang_on_frame_2)
''')
save()
