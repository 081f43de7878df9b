# spotfarm's Blender driver: keeps one Blender with the scene loaded and renders frames on request.
#
# Started as: blender -b [--factory-startup] -Y|-y SCENE.blend --python-exit-code 1
#             --python driver.py -- '<settings JSON>'
# The settings are those of RenderSettings (driver_protocol.h), the request and reply fds, and
# "scripts": true when the scene's own Python may run (-y).
# Requests arrive on fd settings["request_fd"], replies leave on fd settings["reply_fd"], one JSON
# object per line. stdout and stderr stay Blender's log, which spotfarm parses for progress.
#
#   reply on start   {"ready": true, "ok": true, "blender_version", "scene", "engine", "format",
#                     "resolution": [w, h], "frame_start", "frame_end", "device_used",
#                     "missing_files": [{"kind", "name", "path"}], "warnings": [...],
#                     "video": the scene's saved video settings (core::VideoOutput) or null,
#                     "fps", "fps_base": the scene's frame rate}
#                    or {"ready": true, "ok": false, "error": "..."}
#   {"cmd": "render", "frame": N, "output": "/abs/path.png"}
#                 -> {"ok": true, "frame": N, "output", "render_seconds", "peak_memory_mb",
#                     "warnings": [...]} or {"ok": false, "frame": N, "error": "..."}
#   {"cmd": "dependencies"} -> the files the scene needs (driver_dependencies.py)
#   {"cmd": "quit"} -> {"ok": true, "bye": true}, then Blender exits at once.
#
# With settings "path_remap_file", the scene's paths are remapped before anything else
# (driver_remap.py). Both are written in front of this file into one script (driver_script.cpp).
#
# With settings {"scene_output": true} (and "scene", "engine", "format") it prints one line
# "SPOTFARM_SCENE_OUTPUT {json}" (scene_output below) and exits; blender/scene_output.h uses that.
# With settings {"probe": true} it prints one line "SPOTFARM_PROBE {json}" (engines, GPU backends
# and devices) to stdout and exits; `spotfarm blender-info` uses that.

import json
import os
import resource
import sys
import threading
import time
import traceback

import bpy

# Cycles backends from the fastest choice on hardware that has several.
GPU_BACKENDS = ("OPTIX", "CUDA", "HIP", "ONEAPI", "METAL")
ENGINE_CANDIDATES = ("CYCLES", "BLENDER_EEVEE", "BLENDER_EEVEE_NEXT", "BLENDER_WORKBENCH")


class SetupError(Exception):
    """A setting that cannot be applied; the message is for the person who asked for it."""


def settings_from_argv():
    argv = sys.argv[sys.argv.index("--") + 1:] if "--" in sys.argv else []
    return json.loads(argv[0]) if argv else {}


def peak_memory_mb():
    # ru_maxrss is in KiB on Linux, bytes on macOS.
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024.0 * 1024.0) if sys.platform == "darwin" else peak / 1024.0


# ---- devices -------------------------------------------------------------------------------

def cycles_preferences():
    addon = bpy.context.preferences.addons.get("cycles")
    return addon.preferences if addon else None


def refresh_devices(prefs):
    if hasattr(prefs, "refresh_devices"):
        prefs.refresh_devices()
    else:  # before 3.0
        prefs.get_devices()


def gpu_backends():
    """[{"type": "CUDA", "devices": ["NVIDIA ..."]}, ...] for every backend this build has."""
    prefs = cycles_preferences()
    if prefs is None:
        return []
    backends = []
    for entry in prefs.get_device_types(bpy.context):
        backend = entry[0]
        if backend == "NONE":
            continue
        try:
            prefs.compute_device_type = backend
            refresh_devices(prefs)
        except Exception:  # a backend the build lists but cannot initialise
            backends.append({"type": backend, "devices": []})
            continue
        names = [d.name for d in prefs.devices if d.type == backend]
        backends.append({"type": backend, "devices": names})
    return backends


def use_backend(prefs, backend):
    """Enables every device of `backend`; returns their names (empty when there are none)."""
    prefs.compute_device_type = backend
    refresh_devices(prefs)
    names = []
    for d in prefs.devices:
        d.use = d.type == backend
        if d.use:
            names.append(d.name)
    return names


def setup_device(scene, device, warnings):
    """Applies --device to a Cycles scene; returns a description of what renders."""
    device = device or "auto"
    if scene.render.engine != "CYCLES":
        if device not in ("auto", "cpu"):
            warnings.append("--device %s only applies to Cycles; %s picks its own device"
                            % (device, scene.render.engine))
        return "OpenGL (%s does not use --device)" % scene.render.engine
    if device == "cpu":
        scene.cycles.device = "CPU"
        return "CPU"
    prefs = cycles_preferences()
    backends = gpu_backends()
    present = [b["type"] for b in backends]
    if device in ("gpu", "auto"):
        wanted = [b for b in GPU_BACKENDS if b in present]
    elif device.upper() in GPU_BACKENDS:
        if device.upper() not in present:
            raise SetupError(
                "this Blender has no %s support (its GPU backends: %s); "
                "use --device gpu, auto or cpu"
                % (device.upper(), ", ".join(present) or "none"))
        wanted = [device.upper()]
    else:
        raise SetupError("unknown device '%s': use cpu, gpu, auto, %s"
                         % (device, ", ".join(GPU_BACKENDS)))
    for backend in wanted:
        names = use_backend(prefs, backend)
        if names:
            scene.cycles.device = "GPU"
            return "GPU %s: %s" % (backend, ", ".join(names))
    searched = ", ".join(wanted) or "none in this build"
    if device == "auto":
        scene.cycles.device = "CPU"
        warnings.append("no GPU found (backends tried: %s); rendering on the CPU" % searched)
        return "CPU"
    raise SetupError("no GPU device found (backends tried: %s); use --device cpu or auto"
                     % searched)


# ---- settings ------------------------------------------------------------------------------

def pick_scene(name):
    if not name:
        return bpy.context.scene
    scene = bpy.data.scenes.get(name)
    if scene is None:
        raise SetupError("the file has no scene '%s'; its scenes: %s"
                         % (name, ", ".join(s.name for s in bpy.data.scenes)))
    return scene


def set_engine(scene, engine):
    names = [engine]
    if engine == "BLENDER_EEVEE":
        names.append("BLENDER_EEVEE_NEXT")  # Eevee's name in Blender 4.2-4.5
    elif engine == "BLENDER_EEVEE_NEXT":
        names.append("BLENDER_EEVEE")
    for name in names:
        try:
            scene.render.engine = name
            return
        except TypeError:
            continue
    raise SetupError("this Blender has no render engine '%s'" % engine)


def set_samples(scene, samples):
    engine = scene.render.engine
    if engine == "CYCLES":
        scene.cycles.samples = samples
    elif engine.startswith("BLENDER_EEVEE"):
        scene.eevee.taa_render_samples = samples
    else:
        raise SetupError("--samples does not apply to %s" % engine)


def output_size(render):
    scale = render.resolution_percentage / 100.0
    width = int(render.resolution_x * scale)
    height = int(render.resolution_y * scale)
    if render.use_border and render.use_crop_to_border:
        return None  # cropped size depends on rounding inside Blender: not checked
    return [width, height]


# Blender's formats that write one video file; a farm renders frames in parallel, so these render
# as images and the manager encodes the video from them (docs/media.md).
VIDEO_FORMATS = ("FFMPEG", "AVI_JPEG", "AVI_RAW")


def video_output(scene):
    """The scene's saved video settings, or None when it writes images."""
    render = scene.render
    if render.image_settings.file_format not in VIDEO_FORMATS:
        return None
    if render.image_settings.file_format != "FFMPEG":  # Blender's own AVI writers
        return {"container": "AVI", "codec": "MPEG4", "quality": "HIGH", "speed": "GOOD",
                "bitrate_kbps": 0, "gop": 0, "fps": render.fps, "fps_base": render.fps_base,
                "audio_codec": "NONE", "color_mode": render.image_settings.color_mode}
    ff = render.ffmpeg
    return {"container": ff.format, "codec": ff.codec,
            "quality": getattr(ff, "constant_rate_factor", "NONE"),
            "speed": getattr(ff, "ffmpeg_preset", "GOOD"), "bitrate_kbps": ff.video_bitrate,
            "gop": ff.gopsize, "fps": render.fps, "fps_base": render.fps_base,
            "audio_codec": ff.audio_codec, "color_mode": render.image_settings.color_mode}


def render_video_as_frames(scene, s, warnings):
    """A scene saved with a video output renders its frames as PNG (or the job's format)."""
    video = video_output(scene)
    if video is None:
        return None
    image_format = s.get("format") or "PNG"
    image_settings = scene.render.image_settings
    if hasattr(image_settings, "media_type"):  # Blender 5: videos are a media type of their own
        image_settings.media_type = "IMAGE"
    if not s.get("format"):
        image_settings.file_format = "PNG"
        if image_settings.color_mode not in ("BW", "RGB", "RGBA"):
            image_settings.color_mode = "RGBA"
    warnings.append("the scene writes a video (%s, %s); the farm renders its frames as %s and "
                    "the manager encodes the video from them when the job completes"
                    % (video["container"], video["codec"], image_format))
    if video["audio_codec"] not in ("NONE", ""):
        warnings.append("the scene's video has %s audio; the farm renders no sound, so the "
                        "video is made without it" % video["audio_codec"])
    return video


def apply_settings(scene, s, warnings):
    render = scene.render
    video = render_video_as_frames(scene, s, warnings)
    if video is not None:
        s["video"] = video
    if s.get("engine"):
        set_engine(scene, s["engine"])
    if s.get("format"):
        try:
            render.image_settings.file_format = s["format"]
        except TypeError:
            raise SetupError("this Blender cannot write the format '%s'" % s["format"])
    if s.get("resolution"):
        render.resolution_x, render.resolution_y = s["resolution"]
    if s.get("percentage"):
        render.resolution_percentage = s["percentage"]
    if s.get("samples"):
        set_samples(scene, s["samples"])
    if s.get("threads"):
        render.threads_mode = "FIXED"
        render.threads = s["threads"]
    if s.get("persistent_data"):
        render.use_persistent_data = True
    # spotfarm names the file exactly; Blender must not add an extension or a frame number.
    render.use_file_extension = False
    return setup_device(scene, s.get("device", "auto"), warnings)


# ---- linked files --------------------------------------------------------------------------

def absolute(datablock, path):
    return os.path.normpath(bpy.path.abspath(path, library=datablock.library))


def file_missing(datablock, path):
    if not path or path.startswith("<"):  # "<builtin>" fonts and the like
        return False
    full = absolute(datablock, path)
    if "<UDIM>" in full or "<UVTILE>" in full:
        folder = os.path.dirname(full)
        return not os.path.isdir(folder)
    return not os.path.exists(full)


def missing_files():
    """Linked files the scene refers to that are not on disk. Blender 3.4 renders these magenta
    without a word, so they are found here, before the first frame."""
    found = []

    def check(kind, collection, attribute="filepath", used_only=True):
        for block in collection:
            if getattr(block, "packed_file", None) is not None:
                continue
            if used_only and block.users == 0:
                continue
            path = getattr(block, attribute, "")
            if file_missing(block, path):
                found.append({"kind": kind, "name": block.name, "path": absolute(block, path)})

    check("library", bpy.data.libraries, used_only=False)
    images = [i for i in bpy.data.images if i.source in {"FILE", "SEQUENCE", "MOVIE", "TILED"}]
    check("image", images)
    check("sound", bpy.data.sounds)
    check("font", bpy.data.fonts)
    check("movie clip", bpy.data.movieclips)
    if hasattr(bpy.data, "volumes"):
        check("volume", bpy.data.volumes)
    check("cache file", bpy.data.cache_files)
    return found


# ---- protocol ------------------------------------------------------------------------------

class Channel:
    def __init__(self, request_fd, reply_fd):
        self.requests = os.fdopen(request_fd, "r", encoding="utf-8")
        self.replies = os.fdopen(reply_fd, "w", encoding="utf-8")

    def send(self, message):
        self.replies.write(json.dumps(message) + "\n")
        self.replies.flush()

    def receive(self):
        line = self.requests.readline()
        return json.loads(line) if line else None


class SceneRenderer:
    """Renders frames of one scene the way `blender -b SCENE -a` does.

    scene.frame_set evaluates the context's view layer at the frame, bpy.ops updates it around
    every operator, and the render operator evaluates it once more after the render ("we leave
    state as we entered it"). With the job's scene as the context that is a viewport evaluation
    of every object twice a frame, which `-a` never does and nothing here looks at: on a scene
    with a modifier stack it costs as much CPU as half the render. So the operator runs with an
    empty scene as its context and is told which scene to render; the render evaluates that
    scene at the frame in its own depsgraph, exactly as -a does. A scene whose own scripts run
    (-y) may read bpy.context.scene while it renders, so it keeps its context and the
    evaluations."""

    def __init__(self, scene, scripts):
        self.scene = scene
        self.idle = None
        self.options = {}
        if not scripts and hasattr(bpy.context, "temp_override"):  # Blender 3.2 and later
            self.idle = bpy.data.scenes.new("spotfarm idle context")
            if scene.render.use_single_layer:
                # The operator renders the context's view layer alone: name the job scene's.
                layer = bpy.context.view_layer if bpy.context.scene == scene else None
                self.options["layer"] = (layer or scene.view_layers[0]).name

    def set_frame(self, frame):
        if self.idle is None:
            self.scene.frame_set(frame)
            return
        # The operator copies its context scene's frame into the scene it renders.
        for scene in (self.scene, self.idle):
            scene.frame_current = frame
            scene.frame_subframe = 0.0

    def render(self):
        if self.idle is None:
            return bpy.ops.render.render(write_still=True, scene=self.scene.name)
        with bpy.context.temp_override(scene=self.idle):
            return bpy.ops.render.render(write_still=True, scene=self.scene.name, **self.options)


def render_frame(renderer, frame, output):
    scene = renderer.scene
    warnings = []
    renderer.set_frame(frame)
    scene.render.filepath = output
    started = time.monotonic()
    result = renderer.render()
    seconds = time.monotonic() - started
    if "FINISHED" not in result:
        return {"ok": False, "frame": frame, "error": "Blender cancelled the render"}
    if not os.path.exists(output):
        # Versions that add a frame number despite our exact name: move their file into place.
        written = scene.render.frame_path(frame=frame)
        if os.path.exists(written):
            os.replace(written, output)
    if not os.path.exists(output):
        return {"ok": False, "frame": frame, "error": "Blender wrote no file for frame %d" % frame}
    return {"ok": True, "frame": frame, "output": output, "render_seconds": round(seconds, 4),
            "peak_memory_mb": round(peak_memory_mb(), 1), "warnings": warnings}


def serve(channel, renderer):
    while True:
        request = channel.receive()
        if request is None or request.get("cmd") == "quit":
            channel.send({"ok": True, "bye": True})
            return
        if request.get("cmd") == "dependencies":
            channel.send(dependencies_reply())
            continue
        if request.get("cmd") != "render":
            channel.send({"ok": False, "error": "unknown request %r" % request.get("cmd")})
            continue
        frame = int(request["frame"])
        try:
            reply = render_frame(renderer, frame, request["output"])
        except RuntimeError as e:  # how Blender reports a failed render; already in its log
            reply = {"ok": False, "frame": frame, "error": str(e).strip()}
        except Exception as e:
            print(traceback.format_exc(), file=sys.stderr, flush=True)
            reply = {"ok": False, "frame": frame, "error": "%s: %s" % (type(e).__name__, e)}
        channel.send(reply)


def dependencies_reply():
    try:
        return {"ok": True, "dependencies": list_dependencies()}
    except Exception as e:
        print(traceback.format_exc(), file=sys.stderr, flush=True)
        return {"ok": False, "error": "could not list the scene's files: %s: %s"
                % (type(e).__name__, e)}


def remap_paths(settings, warnings):
    """Transfer mode: points the scene's paths at the files' places on this machine."""
    if not settings.get("path_remap_file"):
        return
    try:
        table = read_remap(settings["path_remap_file"])
    except (OSError, ValueError) as e:
        raise SetupError("cannot read the path remap: %s" % e)
    warnings.extend(apply_path_remap(table))


def probe():
    engines = []
    scene = bpy.context.scene
    for engine in ENGINE_CANDIDATES + tuple(c.bl_idname for c in bpy.types.RenderEngine.__subclasses__()):
        if engine in engines:
            continue
        try:
            scene.render.engine = engine
            engines.append(engine)
        except TypeError:
            pass
    report = {"blender_version": bpy.app.version_string, "python_version": sys.version.split()[0],
              "engines": engines, "gpu_backends": gpu_backends()}
    print("SPOTFARM_PROBE " + json.dumps(report), flush=True)


def exit_with_parent():
    """Ends this Blender when the process that drives it dies without a word (kill -9, the
    out-of-memory killer): left behind, it would render on for no one, holding a core and leaving
    its half-written frame in the output folder. Blender runs Python threads during a render."""
    parent = os.getppid()

    def watch():
        while os.getppid() == parent:
            time.sleep(0.25)
        os._exit(1)

    threading.Thread(target=watch, name="spotfarm-parent-watch", daemon=True).start()


def scene_output(settings):
    """What the scene writes, before a job starts: one line "SPOTFARM_SCENE_OUTPUT {json}" with
    the format frames will be written in, the scene's saved video (or null), its frame rate and
    the notes, or {"ok": false, "error"} when the scene cannot be set up as asked."""
    warnings = []
    try:
        scene = pick_scene(settings.get("scene"))
        fps, fps_base = scene.render.fps, scene.render.fps_base
        video = render_video_as_frames(scene, settings, warnings)
        if settings.get("engine"):
            set_engine(scene, settings["engine"])
        if settings.get("format"):
            try:
                scene.render.image_settings.file_format = settings["format"]
            except TypeError:
                raise SetupError("this Blender cannot write the format '%s'" % settings["format"])
        report = {"ok": True, "format": scene.render.image_settings.file_format, "video": video,
                  "fps": fps, "fps_base": fps_base, "warnings": warnings}
    except SetupError as e:
        report = {"ok": False, "error": str(e)}
    print("SPOTFARM_SCENE_OUTPUT " + json.dumps(report), flush=True)


def main():
    settings = settings_from_argv()
    if settings.get("probe"):
        probe()
        return
    if settings.get("scene_output"):
        scene_output(settings)
        return
    exit_with_parent()
    channel = Channel(settings["request_fd"], settings["reply_fd"])
    warnings = []
    try:
        remap_paths(settings, warnings)
        scene = pick_scene(settings.get("scene"))
        device_used = apply_settings(scene, settings, warnings)
        missing = missing_files()
    except SetupError as e:
        channel.send({"ready": True, "ok": False, "error": str(e)})
        return
    except Exception as e:
        print(traceback.format_exc(), file=sys.stderr, flush=True)
        channel.send({"ready": True, "ok": False, "error": "could not set the scene up: %s" % e})
        return
    channel.send({
        "ready": True, "ok": True, "blender_version": bpy.app.version_string,
        "scene_file": bpy.data.filepath, "scene": scene.name, "engine": scene.render.engine,
        "format": scene.render.image_settings.file_format,
        "resolution": output_size(scene.render),
        "frame_start": scene.frame_start, "frame_end": scene.frame_end,
        "device_used": device_used, "missing_files": missing, "warnings": warnings,
        "video": settings.get("video"), "fps": scene.render.fps,
        "fps_base": scene.render.fps_base, "peak_memory_mb": round(peak_memory_mb(), 1)})
    serve(channel, SceneRenderer(scene, settings.get("scripts", False)))
    leave_now()


def leave_now():
    """Ends Blender without its tidy exit, which frees every datablock of the scene one by one and
    takes a large share of a second even on a small scene, at the end of every session. Nothing is
    lost: every frame is written and reported by now. What the tidy exit would remove is removed
    here: Blender's session temporary folder."""
    import shutil
    sys.stdout.flush()
    sys.stderr.flush()
    session_temp = bpy.app.tempdir.rstrip(os.sep)
    if os.path.basename(session_temp).startswith("blender_"):  # never a shared folder
        shutil.rmtree(session_temp, ignore_errors=True)
    os._exit(0)


main()
