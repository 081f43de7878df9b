# The spotfarm panel in Output Properties: the job's settings, the three actions, and what the
# background commands found (estimate, job progress, messages).

import os

import bpy

from . import preferences, preview, state, text


class SPOTFARM_PT_output(bpy.types.Panel):
    bl_label = "spotfarm"
    bl_space_type = "PROPERTIES"
    bl_region_type = "WINDOW"
    bl_context = "output"

    def draw(self, context):
        layout = self.layout
        job = context.scene.spotfarm
        prefs = preferences.get(context)

        col = layout.column()
        col.use_property_split = True
        col.use_property_decorate = False
        col.prop(job, "use_scene_range")
        if not job.use_scene_range:
            col.prop(job, "frames")
        col.prop(job, "output")
        col.prop(job, "chunk")
        col.prop(job, "device")
        col.prop(job, "priority")
        col.prop(job, "samples")
        col.prop(job, "instances")

        busy = bool(state.activity)
        row = layout.row(align=True)
        row.enabled = not busy
        row.operator("spotfarm.estimate", icon="TIME")
        if prefs.mode == "MANAGER":
            row.operator("spotfarm.submit", icon="EXPORT")
        elif prefs.mode == "CLOUD":
            row.operator("spotfarm.render", text="Render in the Cloud", icon="WORLD")
        else:
            row.operator("spotfarm.render", text="Render Here", icon="RENDER_ANIMATION")

        if busy:
            layout.label(text=state.activity, icon="SORTTIME")
        if state.estimate:
            box = layout.box()
            for i, line in enumerate(state.estimate):
                box.label(text=line, icon="TIME" if i == 0 else "BLANK1")
        _draw_job(layout, prefs)
        kind, message = state.message
        if message:
            icon = {"ERROR": "ERROR", "WARNING": "ERROR"}.get(kind, "INFO")
            box = layout.box()
            for i, line in enumerate(_wrap(message, 60)):
                box.label(text=line, icon=icon if i == 0 else "BLANK1")


def _draw_job(layout, prefs):
    job = state.job
    if not job:
        return
    box = layout.box()
    if job.get("id"):
        box.label(text="Job %d: %s" % (job["id"], job.get("status", "?")))
    else:
        box.label(text="spotfarm render: %s" % job.get("status", "?"))
    total = job.get("frame_count") or 0
    done = job.get("frames_done") or 0
    if total:
        box.label(text="%d/%d frames (%d %%)" % (done, total, 100 * done // total))
    if job.get("eta") is not None:
        box.label(text="ETA " + text.duration(job["eta"]))
    if job.get("cost") is not None:
        box.label(text="Cost so far " + text.dollars(job["cost"]))
    if job.get("message"):
        box.label(text=job["message"], icon="ERROR")
    if job.get("latest_frame"):
        icon = preview.icon(job["latest_frame"])
        if icon:
            box.label(text="Latest frame: " + os.path.basename(job["latest_frame"]))
            box.template_icon(icon_value=icon, scale=8)
    if job.get("url"):
        box.operator("spotfarm.open_dashboard", icon="URL")


def _wrap(message, width):
    lines, line = [], ""
    for word in message.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = (line + " " + word).strip()
    return lines + [line] if line else lines


def register():
    bpy.utils.register_class(SPOTFARM_PT_output)


def unregister():
    bpy.utils.unregister_class(SPOTFARM_PT_output)
    preview.clear()
