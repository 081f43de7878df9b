# The tiny Cycles scene with enough samples that a frame takes a second or two, so tests can act
# while a frame is in flight (kill a worker, kill the manager, cancel the job).
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "common"))
from tiny_scene import save, tiny_scene  # noqa: E402

scene = tiny_scene("CYCLES", frame_end=8, samples=1)
scene.render.resolution_x = 160
scene.render.resolution_y = 90
scene.cycles.samples = 256
save()
