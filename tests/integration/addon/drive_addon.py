# Drives the spotfarm add-on inside Blender run in background mode, as an artist would from the
# panel: installs the zip with Blender's own operator, enables it, sets its preferences, then
# runs each step of a plan and writes what the operators and the panel said to a JSON file.
# Usage: blender -b SCENE --python drive_addon.py -- PLAN.json
# Blender runs no timers in background mode, so this script calls the add-on's timer function
# (runner.tick) itself until the background commands are done.
import json
import sys
import time

import bpy

plan = json.load(open(sys.argv[sys.argv.index("--") + 1]))
results = {"steps": []}

bpy.ops.preferences.addon_install(filepath=plan["zip"])
bpy.ops.preferences.addon_enable(module="spotfarm")
addon = sys.modules["spotfarm"]
prefs = bpy.context.preferences.addons["spotfarm"].preferences


def wait(limit):
    deadline = time.monotonic() + limit
    while addon.runner.busy() and time.monotonic() < deadline:
        addon.runner.tick()
        time.sleep(0.05)
    return not addon.runner.busy()


for step in plan["steps"]:
    for name, value in step.get("prefs", {}).items():
        setattr(prefs, name, value)
    for name, value in step.get("scene", {}).items():
        setattr(bpy.context.scene.spotfarm, name, value)
    if "open" in step:
        bpy.ops.wm.open_mainfile(filepath=step["open"])
    if step.get("new_file"):
        bpy.ops.wm.read_homefile(use_empty=True)
    first_report = len(addon.state.reports)
    outcome = {"operator": step["operator"]}
    try:
        outcome["result"] = sorted(getattr(bpy.ops.spotfarm, step["operator"])())
    except RuntimeError as error:  # an ERROR report, as Blender raises it to Python callers
        outcome["error"] = str(error)
    outcome["finished"] = wait(step.get("limit", 240))
    outcome["reports"] = addon.state.reports[first_report:]
    outcome["panel_message"] = list(addon.state.message)
    outcome["estimate"] = list(addon.state.estimate)
    outcome["job"] = dict(addon.state.job)
    results["steps"].append(outcome)

if plan.get("save_userpref"):
    bpy.ops.wm.save_userpref()
if plan.get("save_as"):
    bpy.ops.wm.save_as_mainfile(filepath=plan["save_as"], copy=True)
json.dump(results, open(plan["results"], "w"), indent=1)
