# The job's settings, kept on the scene (they belong to the shot and travel with the .blend; the
# farm's address and token do not: see preferences.py).

import bpy

DEVICES = [
    ("auto", "Auto", "A GPU when there is one, else the CPU"),
    ("cpu", "CPU", "Render on the CPU"),
    ("gpu", "GPU", "Render on a GPU; fails when the worker has none"),
]


class SpotfarmJobSettings(bpy.types.PropertyGroup):
    use_scene_range: bpy.props.BoolProperty(
        name="Scene range", description="Render the scene's frame range", default=True
    )
    frames: bpy.props.StringProperty(
        name="Frames", description="Frames to render, e.g. 1-250, 1,5,10-20 or 1-100x5"
    )
    output: bpy.props.StringProperty(
        name="Output",
        description="Output pattern or folder/ (empty: the scene's own output path)",
        subtype="FILE_PATH",
    )
    chunk: bpy.props.IntProperty(
        name="Chunk", description="Frames a worker takes at a time", default=1, min=1, max=1000
    )
    device: bpy.props.EnumProperty(name="Device", items=DEVICES, default="auto")
    priority: bpy.props.IntProperty(
        name="Priority", description="Higher runs first", default=50, min=0, max=100
    )
    samples: bpy.props.IntProperty(
        name="Samples", description="Samples per pixel (0: as set in the scene)", default=0, min=0
    )
    instances: bpy.props.IntProperty(
        name="Instances",
        description="How many cloud instances to price in the estimate and to start",
        default=10,
        min=1,
        max=1000,
    )


def frame_spec(scene):
    """The frames to render as spotfarm reads them."""
    job = scene.spotfarm
    if job.use_scene_range or not job.frames.strip():
        step = "x%d" % scene.frame_step if scene.frame_step > 1 else ""
        return "%d-%d%s" % (scene.frame_start, scene.frame_end, step)
    return job.frames.strip()


def output_pattern(scene):
    """The output as an absolute pattern: '//' is the artist's .blend folder, not the copy's."""
    pattern = scene.spotfarm.output or scene.render.filepath or "//render/"
    return bpy.path.abspath(pattern)


def register():
    bpy.utils.register_class(SpotfarmJobSettings)
    bpy.types.Scene.spotfarm = bpy.props.PointerProperty(type=SpotfarmJobSettings)


def unregister():
    del bpy.types.Scene.spotfarm
    bpy.utils.unregister_class(SpotfarmJobSettings)
