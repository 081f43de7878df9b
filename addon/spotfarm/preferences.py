# Where the farm is and how to reach it. Stored with Blender's preferences (userpref.blend), never
# in a .blend, so a shared scene file carries no token.

import os
import shutil

import bpy

MODES = [
    ("LOCAL", "This machine", "Render on this machine with `spotfarm render` (local workers)"),
    ("MANAGER", "Manager", "Submit to a standing `spotfarm manager` with its people token"),
    ("CLOUD", "Cloud", "Render on AWS EC2 Spot instances with `spotfarm render --cloud aws`"),
]


class SpotfarmPreferences(bpy.types.AddonPreferences):
    bl_idname = __package__

    mode: bpy.props.EnumProperty(name="Farm", items=MODES, default="LOCAL")
    manager_url: bpy.props.StringProperty(
        name="Manager URL", description="The manager's URL, e.g. http://render-box:8420"
    )
    token: bpy.props.StringProperty(
        name="People token",
        description="The manager's STATE/people.token; kept in Blender's preferences only",
        subtype="PASSWORD",
    )
    storage: bpy.props.EnumProperty(
        name="Storage",
        items=[
            ("AUTO", "Automatic", "Upload the files when the manager cannot see the scene"),
            ("TRANSFER", "Upload", "Always upload the scene and its files (no shared storage)"),
            ("SHARED", "Shared", "Send paths only: every worker sees the scene and the output"),
        ],
        default="AUTO",
    )
    region: bpy.props.StringProperty(
        name="AWS region", description="e.g. eu-west-1 (empty: AWS_REGION or the profile's)"
    )
    cloud_args: bpy.props.StringProperty(
        name="Cloud options",
        description="More options for `spotfarm render --cloud aws`, e.g. --ami ami-... "
        "--efs fs-... --manager-url http://10.0.0.5:8420 (see docs/cloud.md)",
    )
    spotfarm_path: bpy.props.StringProperty(
        name="spotfarm program",
        description="Path of the spotfarm executable (empty: spotfarm found on PATH)",
        subtype="FILE_PATH",
    )

    def draw(self, context):
        layout = self.layout
        layout.prop(self, "mode")
        if self.mode == "MANAGER":
            layout.prop(self, "manager_url")
            layout.prop(self, "token")
            layout.prop(self, "storage")
        elif self.mode == "CLOUD":
            layout.prop(self, "region")
            layout.prop(self, "cloud_args")
        layout.prop(self, "spotfarm_path")
        found = spotfarm_program(self)
        layout.label(text="spotfarm: " + found if found else "spotfarm not found", icon="INFO")


def get(context=None):
    """The add-on's preferences."""
    context = context or bpy.context
    return context.preferences.addons[__package__].preferences


def spotfarm_program(prefs):
    """The spotfarm executable to run, or "" when it is not there."""
    path = bpy.path.abspath(prefs.spotfarm_path) if prefs.spotfarm_path else ""
    if path:
        return path if os.path.isfile(path) and os.access(path, os.X_OK) else ""
    return shutil.which("spotfarm") or ""


def register():
    bpy.utils.register_class(SpotfarmPreferences)


def unregister():
    bpy.utils.unregister_class(SpotfarmPreferences)
