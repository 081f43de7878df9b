# Writes a shot that needs files beside it and elsewhere, for the tests of transfer mode:
#
#   blender -b --factory-startup --python tests/scenes/make_transfer_scene.py -- OUTDIR
#
#   OUTDIR/shot/shot.blend          the scene: Cycles, 48x16 pixels, frames 1-3, 1 sample
#   OUTDIR/shot/tex/wood.png        orange, used by a material as "//tex/wood.png" (relative)
#   OUTDIR/shot/lib/props.blend     holds the blue object "Prop", linked as "//lib/props.blend"
#   OUTDIR/external/rock.png        green, used by a material by its ABSOLUTE path (outside the
#                                   scene's folder)
#   OUTDIR/shot/shot_missing.blend  the same scene, but its wood texture is "//tex/gone.png",
#                                   which does not exist
#
# What a frame shows, left to right in three equal columns, each an emission shader under the
# Standard view transform so a pixel is exactly its colour: wood (orange 1, 0.5, 0), the linked
# prop (blue 0, 0, 1), rock (green 0, 1, 0). A texture Blender did not find renders magenta
# (1, 0, 1); a library it did not find leaves the middle column black (the world). A small white
# square moves across the bottom edge from frame to frame, so frames differ.
#
# Not built with the other test scenes (tests/CMakeLists.txt leaves make_*.py out): its output
# is a folder, and tests that move or delete its files generate their own copy.
import os
import sys

import bpy

WOOD = (1.0, 0.5, 0.0, 1.0)
PROP = (0.0, 0.0, 1.0, 1.0)
ROCK = (0.0, 1.0, 0.0, 1.0)
WIDTH, HEIGHT = 48, 16


def out_dir():
    argv = sys.argv[sys.argv.index("--") + 1:] if "--" in sys.argv else []
    if len(argv) != 1:
        sys.exit("usage: blender -b --factory-startup --python make_transfer_scene.py -- OUTDIR")
    return os.path.abspath(argv[0])


def write_png(path, colour):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    image = bpy.data.images.new(os.path.basename(path), 8, 8)
    image.pixels = list(colour) * 64
    image.filepath_raw = path
    image.file_format = "PNG"
    image.save()
    bpy.data.images.remove(image)


def empty_file():
    bpy.ops.wm.read_factory_settings(use_empty=True)
    bpy.context.preferences.filepaths.save_version = 0  # no shot.blend1 beside the scene


def emission_material(name, colour=None, image=None):
    material = bpy.data.materials.new(name)
    material.use_nodes = True
    nodes = material.node_tree.nodes
    nodes.clear()
    output = nodes.new("ShaderNodeOutputMaterial")
    emission = nodes.new("ShaderNodeEmission")
    material.node_tree.links.new(emission.outputs["Emission"], output.inputs["Surface"])
    if image is not None:
        texture = nodes.new("ShaderNodeTexImage")
        texture.image = image
        texture.interpolation = "Closest"
        material.node_tree.links.new(texture.outputs["Color"], emission.inputs["Color"])
    else:
        emission.inputs["Color"].default_value = colour
    return material


def column(name, x, material):
    """A square facing the camera, one third of the frame wide, centred at `x`."""
    mesh = bpy.data.meshes.new(name)
    h = 0.5
    mesh.from_pydata([(-h, -h, 0), (h, -h, 0), (h, h, 0), (-h, h, 0)], [], [(0, 1, 2, 3)])
    mesh.uv_layers.new()
    mesh.materials.append(material)
    obj = bpy.data.objects.new(name, mesh)
    obj.location = (x, 0, 0)
    return obj


def write_library(path):
    empty_file()
    prop = column("Prop", 0.0, emission_material("PropBlue", colour=PROP))
    bpy.context.scene.collection.objects.link(prop)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    bpy.ops.wm.save_as_mainfile(filepath=path)


def setup_render(scene):
    scene.render.engine = "CYCLES"
    scene.cycles.samples = 1
    scene.cycles.use_denoising = False
    scene.cycles.use_adaptive_sampling = False
    scene.cycles.device = "CPU"
    scene.cycles.filter_width = 0.01  # each pixel its own colour: no blend across columns
    scene.render.resolution_x = WIDTH
    scene.render.resolution_y = HEIGHT
    scene.render.resolution_percentage = 100
    scene.render.image_settings.file_format = "PNG"
    scene.render.image_settings.color_mode = "RGB"
    scene.view_settings.view_transform = "Standard"
    scene.frame_start = 1
    scene.frame_end = 3
    world = bpy.data.worlds.new("Black")
    world.color = (0, 0, 0)
    scene.world = world


def add_camera(scene):
    data = bpy.data.cameras.new("Camera")
    data.type = "ORTHO"
    data.ortho_scale = 3.0  # three unit columns across the frame
    camera = bpy.data.objects.new("Camera", data)
    camera.location = (0, 0, 5)
    scene.collection.objects.link(camera)
    scene.camera = camera


def add_moving_square(scene):
    """A small white square along the bottom edge, in front of the columns, moving each frame."""
    square = column("Mover", -1.2, emission_material("White", colour=(1, 1, 1, 1)))
    square.scale = (0.12, 0.12, 1)
    square.location = (-1.2, -0.35, 1)
    scene.collection.objects.link(square)
    for frame, x in ((1, -1.2), (3, 1.2)):
        square.location.x = x
        square.keyframe_insert("location", index=0, frame=frame)
    for curve in square.animation_data.action.fcurves:
        for point in curve.keyframe_points:
            point.interpolation = "LINEAR"


def write_shot(path, wood_path, rock_path):
    empty_file()
    os.makedirs(os.path.dirname(path), exist_ok=True)
    # Saved once empty, so the library and the wood texture can be given paths relative to it.
    bpy.ops.wm.save_as_mainfile(filepath=path)
    scene = bpy.context.scene
    setup_render(scene)
    add_camera(scene)

    wood = bpy.data.images.load(os.path.join(os.path.dirname(path), "tex", "wood.png"))
    wood.filepath = wood_path  # relative; may name a file that does not exist
    rock = bpy.data.images.load(rock_path)
    rock.filepath = rock_path  # absolute, outside the scene's folder
    scene.collection.objects.link(column("Wood", -1.0, emission_material("Wood", image=wood)))
    scene.collection.objects.link(column("Rock", 1.0, emission_material("Rock", image=rock)))

    library = os.path.join(os.path.dirname(path), "lib", "props.blend")
    with bpy.data.libraries.load(library, link=True, relative=True) as (source, target):
        target.objects = ["Prop"]
    for obj in target.objects:
        scene.collection.objects.link(obj)
    add_moving_square(scene)
    bpy.ops.wm.save_as_mainfile(filepath=path, relative_remap=False)


def main():
    root = out_dir()
    shot = os.path.join(root, "shot")
    write_png(os.path.join(shot, "tex", "wood.png"), WOOD)
    rock = os.path.join(root, "external", "rock.png")
    write_png(rock, ROCK)
    write_library(os.path.join(shot, "lib", "props.blend"))
    write_shot(os.path.join(shot, "shot.blend"), "//tex/wood.png", rock)
    write_shot(os.path.join(shot, "shot_missing.blend"), "//tex/gone.png", rock)


main()
