# The tiny Cycles scene whose frame 3 always kills Blender: a frame-change handler, registered by
# a text block that runs when the file is loaded with scripts allowed, ends the process on frame 3
# the way a crashing add-on or driver would. Every other frame renders. Frames 1-5.
import os
import sys

import bpy

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "common"))
from tiny_scene import save, tiny_scene  # noqa: E402

tiny_scene("CYCLES", frame_end=5, samples=1)
text = bpy.data.texts.new("crash_on_frame_3.py")
text.write(
    "import os\n"
    "import sys\n"
    "import bpy\n"
    "\n"
    "def crash_on_frame_3(scene, *args):\n"
    "    if scene.frame_current == 3:\n"
    "        print('crash_frame3: frame 3 crashes on purpose', flush=True)\n"
    "        os._exit(7)\n"
    "\n"
    "bpy.app.handlers.frame_change_pre.append(crash_on_frame_3)\n"
)
text.use_module = True
save()
