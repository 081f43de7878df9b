# What the panel shows: what runs now, the latest estimate, the job followed, and the messages
# reported. Kept for Blender's session only (nothing of it is saved in the .blend).

import bpy

activity = ""  # what runs now, e.g. "Estimating..."; "" when idle
estimate = []  # lines of the latest estimate
job = {}  # the job followed: id, status, frames_done, frame_count, eta, cost, url, output
message = ("", "")  # (kind, text) of the latest message: kind is INFO, WARNING or ERROR
reports = []  # every (kind, text) reported, oldest first


def notify(kind, text):
    """Shows `text` in the panel and reports it through Blender (the status bar, the info log)."""
    global message
    message = (kind, text)
    reports.append((kind, text))
    print("spotfarm: %s: %s" % (kind, text), flush=True)
    try:
        bpy.ops.spotfarm.report(kind=kind, text=text)
    except RuntimeError:
        pass  # an ERROR report comes back as an exception when called from Python: it was shown


def set_activity(text):
    global activity
    activity = text


def clear_message():
    global message
    message = ("", "")


class SPOTFARM_OT_report(bpy.types.Operator):
    """Reports a message of the add-on in Blender's status bar and info log"""

    bl_idname = "spotfarm.report"
    bl_label = "spotfarm message"
    bl_options = {"INTERNAL"}

    kind: bpy.props.EnumProperty(
        items=[("INFO", "Info", ""), ("WARNING", "Warning", ""), ("ERROR", "Error", "")]
    )
    text: bpy.props.StringProperty()

    def execute(self, context):
        self.report({self.kind}, self.text)
        return {"FINISHED"}


def register():
    bpy.utils.register_class(SPOTFARM_OT_report)


def unregister():
    bpy.utils.unregister_class(SPOTFARM_OT_report)
