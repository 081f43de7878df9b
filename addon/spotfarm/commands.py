# The spotfarm command lines the add-on runs, and what their failures mean to a person. Plain
# Python (no bpy), so the wording is the same wherever a command ran.

import json
import shlex


def render_flags(spec):
    """Flags every command shares: frames, chunk, device, samples."""
    flags = ["--frames", spec["frames"], "--chunk", str(spec["chunk"]), "--device", spec["device"]]
    if spec["samples"] > 0:
        flags += ["--samples", str(spec["samples"])]
    return flags


def manager_flags(prefs):
    """The manager's URL; its token travels in SPOTFARM_TOKEN, out of `ps`'s sight."""
    return ["--manager", prefs.manager_url.strip()]


def manager_env(prefs):
    """The environment that carries the people token."""
    return {"SPOTFARM_TOKEN": prefs.token.strip()}


def deps(program, scene):
    return [program, "deps", scene, "--json"]


def estimate(program, scene, spec):
    return [program, "estimate", scene, "--json", "--count", str(spec["instances"])] + (
        render_flags(spec)
    )


def submit(program, scene, spec, prefs):
    argv = [program, "submit", scene, "--json", "-o", spec["output"], "--name", spec["name"]]
    argv += ["--priority", str(spec["priority"])] + render_flags(spec) + manager_flags(prefs)
    argv += {"TRANSFER": ["--transfer"], "SHARED": ["--shared"]}.get(prefs.storage, [])
    return argv


def sync(program, job_id, folder, prefs):
    """Brings a transfer job's finished frames into `folder`."""
    return [program, "sync", str(job_id), "-o", folder, "--json"] + manager_flags(prefs)


def render(program, scene, spec, cloud=None):
    """`spotfarm render` here, or with cloud=(count, region, options) on EC2 Spot instances."""
    argv = [program, "render", scene, "--json", "-o", spec["output"]] + render_flags(spec)
    argv += ["--priority", str(spec["priority"])]
    if cloud:
        count, region, options = cloud
        argv += ["--cloud", "aws", "--count", str(count)]
        if region:
            argv += ["--region", region]
        argv += shlex.split(options)
    return argv


def job(program, job_id, prefs):
    return [program, "job", str(job_id), "--json"] + manager_flags(prefs)


def parse_json(text):
    """The JSON document a command printed, or None."""
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def missing_files(deps_json):
    """The paths of the files a scene needs and Blender cannot find."""
    files = (deps_json or {}).get("files", [])
    return [f.get("path", "?") for f in files if isinstance(f, dict) and f.get("missing")]


def explain_failure(what, done, manager_url=""):
    """One message for a person: what went wrong and what to do."""
    text = (done.stderr + "\n" + done.stdout).strip()
    if "HTTP 401" in text:
        return (
            "The manager at %s refused the people token (HTTP 401): copy the token from the "
            "manager's STATE/people.token into Preferences > Add-ons > spotfarm." % manager_url
        )
    if "cannot reach the manager" in text or (done.code == 3 and manager_url):
        # spotfarm's line repeats the URL; keep only the cause after it.
        cause = _last_line(text).split(manager_url + ": ", 1)[-1]
        return (
            "Cannot reach the manager at %s: is `spotfarm manager` running there, and is the URL "
            "in Preferences > Add-ons > spotfarm right? (%s)" % (manager_url, cause)
        )
    return "%s failed (exit code %d): %s" % (what, done.code, _last_line(text) or "no message")


def _last_line(text):
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    # The error line is usually the last one; JSON output ends with a bracket, not a message.
    for line in reversed(lines):
        if line not in ("}", "]", "{"):
            return line
    return ""
