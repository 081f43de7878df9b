# The tiny Cycles scene with an image texture whose file does not exist: Blender 3.4 renders it
# magenta without an error, so spotfarm must notice before the first frame.
import os
import sys

import bpy

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "common"))
from tiny_scene import save, tiny_scene  # noqa: E402

tiny_scene("CYCLES")
material = bpy.data.materials.new("Wood")
material.use_nodes = True
nodes = material.node_tree.nodes
texture = nodes.new("ShaderNodeTexImage")
image = bpy.data.images.new("wood", 4, 4)
image.source = "FILE"
image.filepath = "/nonexistent/spotfarm/textures/wood.png"
texture.image = image
material.node_tree.links.new(texture.outputs["Color"], nodes["Principled BSDF"].inputs["Base Color"])
cube = bpy.data.objects["Cube"]
cube.data.materials.clear()
cube.data.materials.append(material)
save()
