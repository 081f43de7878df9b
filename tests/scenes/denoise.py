# The tiny Cycles scene with denoising on. Debian's Blender is built without OpenImageDenoise and
# fails such a render ("Build without OpenImageDenoiser"); other builds render it.
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "common"))
from tiny_scene import save, tiny_scene  # noqa: E402

tiny_scene("CYCLES", samples=2, denoise=True)
save()
