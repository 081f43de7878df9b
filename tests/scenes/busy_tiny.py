# The tiny 32x18 Cycles scene with enough samples that one frame keeps one thread busy for a
# few seconds, so reliability tests can act while a frame is in flight (kill a worker or the
# manager, cancel the job). Frames 1-6.
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "common"))
from tiny_scene import save, tiny_scene  # noqa: E402

scene = tiny_scene("CYCLES", frame_end=6, samples=1)
scene.cycles.samples = 12000
save()
