# The panel's buttons. Each checks what it can at once (spotfarm installed, file saved, farm set)
# and reports a failure on the spot; then it saves a copy of the open file, so the artist's file
# is untouched, and hands the work to background `spotfarm` commands (runner.py).

import os
import shutil
import tempfile
import time

import bpy

from . import commands, frames, preferences, runner, settings, state, text

JOB_POLL_SECONDS = 2.0
FINAL = ("completed", "failed", "canceled")


class _FarmOperator:
    needs_manager = False

    def prepare(self, context):
        """(program, prefs, spec, copy) or None once a reason was reported."""
        prefs = preferences.get(context)
        program = preferences.spotfarm_program(prefs)
        if not program:
            where = prefs.spotfarm_path or "PATH"
            return self.fail(
                "spotfarm is not installed (not found on %s): install it, or set the path of the "
                "spotfarm program in Preferences > Add-ons > spotfarm." % where
            )
        if not bpy.data.filepath:
            return self.fail("Save the file first: the farm renders a saved .blend (File > Save).")
        if self.needs_manager and not prefs.manager_url.strip():
            return self.fail("Set the manager's URL in Preferences > Add-ons > spotfarm.")
        if state.activity:
            return self.fail("spotfarm is busy: %s Wait for it to finish." % state.activity)
        scene = context.scene
        name = os.path.splitext(os.path.basename(bpy.data.filepath))[0]
        job = scene.spotfarm
        spec = {
            "name": name,
            "frames": settings.frame_spec(scene),
            "output": settings.output_pattern(scene),
            "chunk": job.chunk,
            "device": job.device,
            "priority": job.priority,
            "samples": job.samples,
            "instances": job.instances,
        }
        try:
            copy = os.path.join(tempfile.mkdtemp(prefix="spotfarm-"), name + ".blend")
            # relative_remap keeps //textures pointing at the artist's files from the copy's folder.
            bpy.ops.wm.save_as_mainfile(filepath=copy, copy=True, relative_remap=True)
        except (OSError, RuntimeError) as error:
            return self.fail("Could not save a copy of the file for the farm: %s" % error)
        state.clear_message()
        return program, prefs, spec, copy

    def fail(self, message):
        self.report({"ERROR"}, message)
        state.message = ("ERROR", message)
        state.reports.append(("ERROR", message))
        return None

    def launch(self, argv, on_done, activity, env=None):
        try:
            runner.start(argv, on_done, env)
        except runner.SpotfarmMissing as error:
            return self.fail("spotfarm is not installed: %s" % error)
        state.set_activity(activity)
        return True


def _remove_copy(copy):
    # The copy's folder holds nothing else; a job that reads it in place keeps it.
    shutil.rmtree(os.path.dirname(copy), ignore_errors=True)


def _failed(what, done, prefs=None):
    state.set_activity("")
    url = prefs.manager_url.strip() if prefs and prefs.mode == "MANAGER" else ""
    state.notify("ERROR", commands.explain_failure(what, done, url))


class SPOTFARM_OT_estimate(_FarmOperator, bpy.types.Operator):
    """Render a few sample frames here and estimate the time and the cost of the whole job"""

    bl_idname = "spotfarm.estimate"
    bl_label = "Estimate"

    def execute(self, context):
        prepared = self.prepare(context)
        if not prepared:
            return {"CANCELLED"}
        program, prefs, spec, copy = prepared

        def done(finished):
            _remove_copy(copy)
            answer = commands.parse_json(finished.stdout)
            if finished.code != 0 or answer is None:
                return _failed("spotfarm estimate", finished)
            state.set_activity("")
            state.estimate = text.estimate_lines(answer, spec["instances"])
            state.notify("INFO", "Estimated %d frames from %d rendered here"
                         % (answer.get("frames", 0), len(answer.get("samples", []))))

        argv = commands.estimate(program, copy, spec)
        if not self.launch(argv, done, "Estimating (rendering sample frames)..."):
            return {"CANCELLED"}
        return {"FINISHED"}


class SPOTFARM_OT_submit(_FarmOperator, bpy.types.Operator):
    """Send a copy of this file to the farm's manager as a job (the open file is not touched)"""

    bl_idname = "spotfarm.submit"
    bl_label = "Submit"
    needs_manager = True

    def execute(self, context):
        prepared = self.prepare(context)
        if not prepared:
            return {"CANCELLED"}
        program, prefs, spec, copy = prepared
        env = commands.manager_env(prefs)

        def submitted(finished):
            answer = commands.parse_json(finished.stdout)
            if finished.code != 0 or answer is None or "id" not in answer:
                _remove_copy(copy)
                return _failed("spotfarm submit", finished, prefs)
            if "transfer" in answer:
                _remove_copy(copy)  # uploaded: the manager keeps its own
            state.set_activity("")
            state.job = {"id": answer["id"], "status": answer.get("status", "queued"),
                         "url": prefs.manager_url.strip(), "output": spec["output"],
                         "frames_done": 0, "frame_count": answer.get("frame_count", 0),
                         # In transfer mode the frames stay on the manager until synced here.
                         "transfer": "transfer" in answer}
            state.notify("INFO", "Submitted job %d (%s)" % (answer["id"], spec["name"]))
            _poll_job(program, prefs, env)

        def checked(finished):
            listed = commands.parse_json(finished.stdout)
            if listed is None:
                _remove_copy(copy)
                return _failed("spotfarm deps", finished)
            missing = commands.missing_files(listed)
            if missing:
                _remove_copy(copy)
                state.set_activity("")
                return state.notify(
                    "ERROR",
                    "Missing textures or other files (the farm would render them wrong): %s. "
                    "Find them (File > External Data > Find Missing Files) and submit again."
                    % ", ".join(missing),
                )
            argv = commands.submit(program, copy, spec, prefs)
            runner.start(argv, submitted, env)
            state.set_activity("Submitting to %s..." % prefs.manager_url.strip())

        if not self.launch(commands.deps(program, copy), checked, "Checking the scene's files..."):
            return {"CANCELLED"}
        return {"FINISHED"}


def _poll_job(program, prefs, env):
    # One `spotfarm job ID --json` at a time, the next one JOB_POLL_SECONDS after its answer.
    job_id = state.job["id"]

    def answered(finished):
        if state.job.get("id") != job_id:
            return  # another job is followed now
        answer = commands.parse_json(finished.stdout)
        if finished.code != 0 or answer is None:
            state.job["status"] = "unknown"
            why = commands.explain_failure("spotfarm job", finished, prefs.manager_url.strip())
            if state.message != ("WARNING", why):  # once, not every poll while it lasts
                state.notify("WARNING", why)
        else:
            _update_job(answer)
        if state.job.get("transfer"):
            _sync(program, prefs, env, then)
        else:
            then()

    def then():
        if state.job.get("id") != job_id:
            return
        if state.job.get("status") not in FINAL:
            runner.call_later(JOB_POLL_SECONDS, lambda: _poll_job(program, prefs, env))
        else:
            state.notify("INFO" if state.job["status"] == "completed" else "ERROR",
                         "Job %d %s: %d/%d frames" % (job_id, state.job["status"],
                                                      state.job["frames_done"],
                                                      state.job["frame_count"]))

    try:
        runner.start(commands.job(program, job_id, prefs), answered, env)
    except runner.SpotfarmMissing as error:
        state.notify("ERROR", "spotfarm is not installed: %s" % error)


def _sync(program, prefs, env, then):
    # The frames finished so far come home beside the output pattern, then `then` goes on.
    job = state.job
    folder = os.path.dirname(job["output"]) or "."

    def synced(finished):
        if finished.code != 0:
            why = commands.explain_failure("spotfarm sync", finished, prefs.manager_url.strip())
            if state.message != ("WARNING", why):
                state.notify("WARNING", why)
        job["latest_frame"] = frames.latest(job["output"])
        then()

    try:
        runner.start(commands.sync(program, job["id"], folder, prefs), synced, env)
    except runner.SpotfarmMissing as error:
        state.notify("ERROR", "spotfarm is not installed: %s" % error)


def _update_job(answer):
    job = state.job
    job["status"] = answer.get("status", "unknown")
    job["frames_done"] = answer.get("frames_done", 0)
    job["frame_count"] = answer.get("frame_count", 0)
    job["message"] = answer.get("message", "")
    job["eta"] = text.job_eta(answer.get("created_ms", 0), time.time() * 1000,
                              job["frames_done"], job["frame_count"])
    cost = answer.get("cost")
    job["cost"] = cost.get("usd") if isinstance(cost, dict) else None
    # Frames reach this machine's disk with shared storage; in transfer mode there is no preview.
    job["latest_frame"] = frames.latest(job["output"])


class SPOTFARM_OT_render(_FarmOperator, bpy.types.Operator):
    """Render a copy of this file with `spotfarm render`: here, or on AWS EC2 Spot instances"""

    bl_idname = "spotfarm.render"
    bl_label = "Render"

    def execute(self, context):
        prepared = self.prepare(context)
        if not prepared:
            return {"CANCELLED"}
        program, prefs, spec, copy = prepared
        cloud = None
        if prefs.mode == "CLOUD":
            try:
                commands.render(program, copy, spec, (1, "", prefs.cloud_args))
            except ValueError as error:  # shlex: an unclosed quote
                _remove_copy(copy)
                return self.fail("The cloud options in the add-on's preferences: %s" % error)
            cloud = (spec["instances"], prefs.region.strip(), prefs.cloud_args)
        started = time.time()
        job = {"id": 0, "status": "rendering", "url": "", "output": spec["output"],
               "frames_done": 0, "frame_count": frames.count(spec["frames"]) or 0}

        def done(finished):
            _remove_copy(copy)
            state.set_activity("")
            if state.job is job:
                job["status"] = "completed" if finished.code == 0 else "failed"
                _count_on_disk(job, started)
            if finished.code != 0:
                return _failed("Render in the cloud" if cloud else "Render here", finished)
            state.notify("INFO", "Rendered in %s into %s" % (text.duration(time.time() - started),
                                                              spec["output"]))

        def watch():
            # Progress from the frames on disk: each takes its name only once it is whole.
            if state.job is job and job["status"] == "rendering":
                _count_on_disk(job, started)
                runner.call_later(JOB_POLL_SECONDS, watch)

        where = "on %d cloud instances" % spec["instances"] if cloud else "on this machine"
        argv = commands.render(program, copy, spec, cloud)
        if not self.launch(argv, done, "Rendering %s..." % where):
            return {"CANCELLED"}
        state.job = job
        runner.call_later(JOB_POLL_SECONDS, watch)
        return {"FINISHED"}


def _count_on_disk(job, started):
    on_disk = frames.on_disk(job["output"])
    job["frames_done"] = min(len(on_disk), job["frame_count"] or len(on_disk))
    job["latest_frame"] = frames.latest(job["output"])
    job["eta"] = text.job_eta(started * 1000, time.time() * 1000, job["frames_done"],
                              job["frame_count"])


class SPOTFARM_OT_open_dashboard(bpy.types.Operator):
    """Open the manager's page in the web browser"""

    bl_idname = "spotfarm.open_dashboard"
    bl_label = "Open Dashboard"

    def execute(self, context):
        url = state.job.get("url") or preferences.get(context).manager_url.strip()
        if not url:
            self.report({"ERROR"}, "Set the manager's URL in Preferences > Add-ons > spotfarm.")
            return {"CANCELLED"}
        bpy.ops.wm.url_open(url=url)
        return {"FINISHED"}


_classes = (SPOTFARM_OT_estimate, SPOTFARM_OT_submit, SPOTFARM_OT_render,
            SPOTFARM_OT_open_dashboard)


def register():
    state.register()
    for cls in _classes:
        bpy.utils.register_class(cls)


def unregister():
    for cls in reversed(_classes):
        bpy.utils.unregister_class(cls)
    state.unregister()
