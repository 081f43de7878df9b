# The demo scene plus a mesh whose evaluation costs real time at every frame (a 150x150 grid
# under an animated wave and two levels of subdivision), for bench_engine --scene: it shows what
# evaluating a scene costs a Blender that renders frame after frame.
#   blender -b --factory-startup --python bench/engine_modifier_scene.py -- DEMO.blend OUT.blend
import sys

import bpy

demo, out = sys.argv[sys.argv.index("--") + 1:][:2]
bpy.ops.wm.open_mainfile(filepath=demo)
bpy.ops.mesh.primitive_grid_add(x_subdivisions=150, y_subdivisions=150, size=6,
                                location=(0, 3, 0.5))
grid = bpy.context.active_object
grid.name = "WavingGrid"
wave = grid.modifiers.new("Wave", "WAVE")
wave.height = 0.3
subdivision = grid.modifiers.new("Subdivision", "SUBSURF")
subdivision.levels = 2
subdivision.render_levels = 2
bpy.ops.wm.save_as_mainfile(filepath=out, compress=False)
print(f"bench scene with a modifier stack written to {out}")
