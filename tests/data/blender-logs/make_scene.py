# Makes a tiny scene for recording Blender's log output (see record.sh).
# blender -b --factory-startup --python make_scene.py -- OUT.blend ENGINE [denoise] [missing-texture]
import os
import sys

import bpy

args = sys.argv[sys.argv.index("--") + 1:]
out_path, engine, options = args[0], args[1], set(args[2:])

bpy.ops.wm.read_factory_settings(use_empty=True)
scene = bpy.context.scene
scene.frame_start = 1
scene.frame_end = 2
scene.render.engine = engine
scene.render.resolution_x = 32
scene.render.resolution_y = 18
scene.render.resolution_percentage = 100
scene.render.image_settings.file_format = "PNG"
if engine == "CYCLES":
    scene.cycles.samples = 4
    scene.cycles.use_adaptive_sampling = False
    scene.cycles.use_denoising = "denoise" in options
else:
    scene.eevee.taa_render_samples = 4

bpy.ops.mesh.primitive_cube_add(location=(0, 0, 0))
cube = bpy.context.active_object
if "missing-texture" in options:
    mat = bpy.data.materials.new("Textured")
    mat.use_nodes = True
    tex = mat.node_tree.nodes.new("ShaderNodeTexImage")
    # A texture saved next to the scene; record.sh deletes it before rendering, the way a scene
    # arrives on a worker without its textures.
    image = bpy.data.images.new("texture", 4, 4)
    image.filepath_raw = os.path.join(os.path.dirname(out_path), "texture.png")
    image.file_format = "PNG"
    image.save()
    image.source = "FILE"
    tex.image = image
    mat.node_tree.links.new(tex.outputs["Color"],
                            mat.node_tree.nodes["Principled BSDF"].inputs["Base Color"])
    cube.data.materials.append(mat)
bpy.ops.object.light_add(type="SUN", location=(3, -3, 5))
bpy.ops.object.camera_add(location=(4, -4, 3), rotation=(1.1, 0, 0.8))
scene.camera = bpy.context.active_object
bpy.ops.wm.save_as_mainfile(filepath=out_path, compress=False)
