# The tiny Cycles scene whose every frame takes at least 3 seconds however fast the machine: a
# frame-change handler of its own sleeps (Blender runs it only with spotfarm's --allow-scripts).
# For tests that need a known lower bound on frame time, such as a Slurm allocation whose time
# limit must run out before 16 frames are done. Frames 1-18.
import os
import sys

import bpy

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "common"))
from tiny_scene import save, tiny_scene  # noqa: E402

tiny_scene("CYCLES", frame_end=18)
text = bpy.data.texts.new("pace_frames.py")
text.use_module = True  # registered when the file loads, if scripts may run
text.write('''import time

import bpy


def pace(scene, *args):
    time.sleep(3)


bpy.app.handlers.frame_change_pre.append(pace)
''')
save()
