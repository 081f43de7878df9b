# Takes a screenshot of the add-on's panel in Blender's own UI (run under Xvfb by
# scripts/addon-screenshot.sh): installs the zip, renders the open scene with "Render Here" and
# estimates it, so the panel shows real figures, then shoots the Output Properties.
# Usage: blender SCENE --python addon_screenshot.py -- ZIP SPOTFARM OUTPUT_PATTERN FRAMES SHOT.png
# (FRAMES: what "Render Here" renders; the estimate is of the scene's whole range.)
import sys
import time

import bpy

zip_path, spotfarm, output, frames, shot = sys.argv[sys.argv.index("--") + 1:]
bpy.ops.preferences.addon_install(filepath=zip_path)
bpy.ops.preferences.addon_enable(module="spotfarm")
addon = sys.modules["spotfarm"]
prefs = bpy.context.preferences.addons["spotfarm"].preferences
prefs.mode = "LOCAL"
prefs.spotfarm_path = spotfarm
job = bpy.context.scene.spotfarm
job.output = output
job.instances = 20


def run(operator):
    operator()
    while addon.runner.busy():
        addon.runner.tick()
        time.sleep(0.05)


job.use_scene_range = False
job.frames = frames
run(bpy.ops.spotfarm.render)
job.use_scene_range = True
run(bpy.ops.spotfarm.estimate)


def properties_area():
    window = bpy.context.window_manager.windows[0]
    area = max(window.screen.areas, key=lambda a: a.width * a.height)
    return window, area


def show_panel():
    # Each change takes effect at the next redraw: one step per timer call.
    window, area = properties_area()
    area.type = "PROPERTIES"
    return _next(output_tab)


def output_tab():
    window, area = properties_area()
    area.spaces[0].context = "OUTPUT"
    return _next(scroll)


def scroll():
    window, area = properties_area()
    region = [r for r in area.regions if r.type == "WINDOW"][0]
    with bpy.context.temp_override(window=window, area=area, region=region):
        bpy.ops.view2d.scroll_down(deltay=4000)
    return _next(take)


def take():
    window, area = properties_area()
    window.cursor_warp(0, 0)  # no tooltip where the pointer happens to be
    with bpy.context.temp_override(window=window, area=area):
        bpy.ops.screen.screenshot_area(filepath=shot)
    bpy.ops.wm.quit_blender()


def _next(step):
    def guarded():
        try:
            return step()
        except Exception:
            import traceback

            traceback.print_exc()
            sys.exit(1)

    bpy.app.timers.register(guarded, first_interval=1.0)
    return None


_next(show_panel)
