# spotfarm for Blender: estimate, submit and follow renders on a spotfarm farm from the Output
# Properties. The add-on only runs the `spotfarm` program (with --json) in background processes
# that a timer polls, so Blender's UI never waits on the network or on a render.

bl_info = {
    "name": "spotfarm",
    "author": "spotfarm",
    "version": (0, 1, 0),
    "blender": (3, 4, 0),
    "location": "Properties > Output > spotfarm",
    "description": "Estimate, submit and follow renders on a spotfarm render farm",
    "category": "Render",
}

from . import operators, panel, preferences, runner, settings  # noqa: E402

_modules = (preferences, settings, operators, panel)


def register():
    for module in _modules:
        module.register()


def unregister():
    runner.stop_all()
    for module in reversed(_modules):
        module.unregister()
