# The tiny scene rendered with Eevee (OpenGL; headless Linux falls back to surfaceless EGL).
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "common"))
from tiny_scene import save, tiny_scene  # noqa: E402

tiny_scene("BLENDER_EEVEE", frame_end=2, samples=1)
save()
