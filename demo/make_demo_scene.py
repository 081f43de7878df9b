# Builds spotfarm's demo scene: a small animated Cycles scene with frames of uneven cost.
# Run by the build: blender -b --factory-startup --python make_demo_scene.py -- OUT.blend
#
# 60 frames at 24 fps. A camera dollies past three objects on a floor; between frames 21 and 40
# a glass sphere filled with a scattering volume is in view, which makes those frames several
# times slower than the rest, the way real shots have expensive stretches.
# Denoising is off: Debian's Blender is built without OpenImageDenoise.
import math
import sys

import bpy

out_path = sys.argv[sys.argv.index("--") + 1]

bpy.ops.wm.read_factory_settings(use_empty=True)
scene = bpy.context.scene
scene.name = "Demo"
scene.frame_start = 1
scene.frame_end = 60
scene.render.fps = 24
scene.render.engine = "CYCLES"
scene.cycles.samples = 24
scene.cycles.use_denoising = False
scene.cycles.use_adaptive_sampling = False
scene.cycles.max_bounces = 6
scene.render.resolution_x = 480
scene.render.resolution_y = 270
scene.render.resolution_percentage = 100
scene.render.image_settings.file_format = "PNG"
scene.render.filepath = "//frames/demo_####"
view_layer = scene.view_layers[0]
if hasattr(view_layer, "cycles"):
    view_layer.cycles.use_denoising = False


def material(name, color, roughness=0.5, metallic=0.0):
    mat = bpy.data.materials.new(name)
    mat.use_nodes = True
    bsdf = mat.node_tree.nodes["Principled BSDF"]
    bsdf.inputs["Base Color"].default_value = (*color, 1.0)
    bsdf.inputs["Roughness"].default_value = roughness
    bsdf.inputs["Metallic"].default_value = metallic
    return mat


def add(obj_op, name, mat, **kwargs):
    obj_op(**kwargs)
    obj = bpy.context.active_object
    obj.name = name
    obj.data.materials.append(mat)
    return obj


add(bpy.ops.mesh.primitive_plane_add, "Floor", material("Floor", (0.6, 0.6, 0.62), 0.8), size=40)
cube = add(bpy.ops.mesh.primitive_cube_add, "Cube", material("Red", (0.8, 0.1, 0.08), 0.3),
           location=(-3, 0, 1))
torus = add(bpy.ops.mesh.primitive_torus_add, "Torus", material("Gold", (0.9, 0.7, 0.2), 0.2, 1.0),
            location=(3, 1, 1))
cone = add(bpy.ops.mesh.primitive_cone_add, "Cone", material("Blue", (0.1, 0.2, 0.8), 0.4),
           location=(0, 4, 1))
for obj, axis in ((cube, 2), (torus, 0), (cone, 2)):
    obj.rotation_euler[axis] = 0.0
    obj.keyframe_insert("rotation_euler", index=axis, frame=1)
    obj.rotation_euler[axis] = math.radians(360)
    obj.keyframe_insert("rotation_euler", index=axis, frame=60)

# The expensive stretch: a glass sphere with a dense scattering volume, visible in frames 21-40.
heavy_mat = bpy.data.materials.new("GlassFog")
heavy_mat.use_nodes = True
nodes = heavy_mat.node_tree.nodes
links = heavy_mat.node_tree.links
nodes.remove(nodes["Principled BSDF"])
glass = nodes.new("ShaderNodeBsdfGlass")
glass.inputs["Roughness"].default_value = 0.05
volume = nodes.new("ShaderNodeVolumePrincipled")
volume.inputs["Density"].default_value = 2.0
volume.inputs["Color"].default_value = (0.9, 0.95, 1.0, 1.0)
output = nodes["Material Output"]
links.new(glass.outputs["BSDF"], output.inputs["Surface"])
links.new(volume.outputs["Volume"], output.inputs["Volume"])
heavy = add(bpy.ops.mesh.primitive_uv_sphere_add, "HeavySphere", heavy_mat,
            location=(0, 0, 1.5), radius=1.4, segments=64, ring_count=32)
for frame, hidden in ((1, True), (20, True), (21, False), (40, False), (41, True)):
    heavy.hide_render = hidden
    heavy.keyframe_insert("hide_render", frame=frame)
scene.cycles.volume_step_rate = 0.1
scene.cycles.volume_max_steps = 512

# Light and world.
bpy.ops.object.light_add(type="SUN", location=(5, -5, 10))
bpy.context.active_object.data.energy = 3.0
bpy.context.active_object.rotation_euler = (math.radians(40), 0, math.radians(30))
world = bpy.data.worlds.new("Sky")
world.use_nodes = True
world.node_tree.nodes["Background"].inputs["Color"].default_value = (0.35, 0.45, 0.6, 1.0)
world.node_tree.nodes["Background"].inputs["Strength"].default_value = 0.6
scene.world = world

# Camera dolly from left to right, always looking at the middle.
bpy.ops.object.empty_add(location=(0, 1, 1))
target = bpy.context.active_object
target.name = "CameraTarget"
bpy.ops.object.camera_add(location=(-9, -10, 4))
cam = bpy.context.active_object
cam.name = "Camera"
scene.camera = cam
track = cam.constraints.new("TRACK_TO")
track.target = target
track.track_axis = "TRACK_NEGATIVE_Z"
track.up_axis = "UP_Y"
cam.keyframe_insert("location", frame=1)
cam.location = (9, -10, 4)
cam.keyframe_insert("location", frame=60)

bpy.ops.wm.save_as_mainfile(filepath=out_path, compress=False)
print(f"spotfarm demo scene written to {out_path}")
