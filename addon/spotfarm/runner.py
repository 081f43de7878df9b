# Background `spotfarm` processes and the one timer that polls them. Nothing here blocks: a
# command's output goes to temporary files (a full pipe would stall it), and tick() looks at
# each process and at the calls scheduled for later. In background mode Blender runs no timers,
# so whoever drives the add-on there calls tick() itself.

import os
import subprocess
import tempfile
import time

import bpy

TICK_SECONDS = 0.25


class Finished:
    """How a command ended: its exit code and what it printed."""

    def __init__(self, argv, code, stdout, stderr):
        self.argv = argv
        self.code = code
        self.stdout = stdout
        self.stderr = stderr


class SpotfarmMissing(Exception):
    """The spotfarm program could not be started."""


class _Command:
    def __init__(self, argv, env, on_done):
        self.argv = argv
        self.on_done = on_done
        self.out = tempfile.TemporaryFile()
        self.err = tempfile.TemporaryFile()
        try:
            self.process = subprocess.Popen(
                argv,
                stdin=subprocess.DEVNULL,
                stdout=self.out,
                stderr=self.err,
                env=env,
                start_new_session=True,
            )
        except OSError as error:
            self.out.close()
            self.err.close()
            raise SpotfarmMissing("cannot run %s: %s" % (argv[0], error.strerror)) from error

    def finished(self):
        code = self.process.poll()
        if code is None:
            return None
        texts = []
        for f in (self.out, self.err):
            f.seek(0)
            texts.append(f.read().decode("utf-8", "replace"))
            f.close()
        return Finished(self.argv, code, texts[0], texts[1])

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


_commands = []
_later = []  # (when, function)


def start(argv, on_done, env_extra=None):
    """Starts argv; on_done(Finished) runs from tick() once it ends. Raises SpotfarmMissing."""
    env = dict(os.environ)
    env.update(env_extra or {})
    _commands.append(_Command(argv, env, on_done))
    _ensure_timer()


def call_later(seconds, function):
    """Runs function() from tick() once `seconds` have passed."""
    _later.append((time.monotonic() + seconds, function))
    _ensure_timer()


def busy():
    """Whether a command runs or a call waits."""
    return bool(_commands or _later)


def tick():
    """Polls every command and runs what is due; the timer's function (None: stop the timer)."""
    for command in list(_commands):
        done = command.finished()
        if done is not None:
            _commands.remove(command)
            _guarded(command.on_done, done)
    now = time.monotonic()
    for entry in list(_later):
        if entry[0] <= now:
            _later.remove(entry)
            _guarded(entry[1])
    _redraw()
    return TICK_SECONDS if busy() else None


def stop_all():
    """Ends every command (the add-on is being disabled) and forgets the scheduled calls."""
    for command in _commands:
        command.stop()
    _commands.clear()
    _later.clear()
    if bpy.app.timers.is_registered(tick):
        bpy.app.timers.unregister(tick)


def _guarded(function, *args):
    # A bug in a callback must not kill the timer for every other command.
    try:
        function(*args)
    except Exception as error:  # noqa: BLE001
        from . import state

        state.notify("ERROR", "spotfarm add-on: %s: %s" % (type(error).__name__, error))


def _ensure_timer():
    if not bpy.app.timers.is_registered(tick):
        bpy.app.timers.register(tick, first_interval=TICK_SECONDS, persistent=True)


def _redraw():
    wm = getattr(bpy.context, "window_manager", None)
    if wm is None:
        return
    for window in wm.windows:
        for area in window.screen.areas:
            if area.type == "PROPERTIES":
                area.tag_redraw()
