# Shared by the test scene scripts: the factory default scene (cube, light, camera) made tiny,
# so renders take a moment even on a busy two-core machine.
import sys

import bpy


def output_path():
    """The .blend to write: the build passes it after "--"."""
    return sys.argv[sys.argv.index("--") + 1]


def tiny_scene(engine="CYCLES", frame_end=2, samples=1, denoise=False):
    bpy.ops.wm.read_factory_settings(use_empty=False)
    scene = bpy.context.scene
    scene.frame_start = 1
    scene.frame_end = frame_end
    scene.render.engine = engine
    if engine == "CYCLES":
        scene.cycles.samples = samples
        scene.cycles.use_denoising = denoise
        scene.cycles.use_adaptive_sampling = False
    else:
        scene.eevee.taa_render_samples = samples
    scene.render.resolution_x = 32
    scene.render.resolution_y = 18
    scene.render.resolution_percentage = 100
    scene.render.image_settings.file_format = "PNG"
    return scene


def save():
    bpy.ops.wm.save_as_mainfile(filepath=output_path())
