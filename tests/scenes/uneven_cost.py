# For the estimate tests: 12 tiny Cycles frames whose cost changes smoothly along the shot. The
# sample count is keyframed from 100 (frame 1) up to 1000 (frames 6-7) and down to 300 (frame 12)
# in straight stretches, so frames differ several times over in render time (measurable even
# on a busy machine) while neighbouring frames stay close, as in a real shot.
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "common"))
from tiny_scene import save, tiny_scene  # noqa: E402

scene = tiny_scene("CYCLES", frame_end=12, samples=100)
scene.render.resolution_x = 64
scene.render.resolution_y = 36
for frame, samples in ((1, 100), (6, 1000), (7, 1000), (12, 300)):
    scene.cycles.samples = samples
    scene.cycles.keyframe_insert("samples", frame=frame)
save()
