# Frames on disk, for the progress of a render that runs here and the panel's preview. Plain
# Python (no bpy).

import os
import re

_ITEM = re.compile(r"^(\d+)(?:(?:-|\.\.)(\d+)(?:x(\d+))?)?$")


def count(spec):
    """How many frames a frame set such as '1-250,300x1' holds; None when it is not understood."""
    frames = set()
    for item in spec.replace(" ", "").split(","):
        match = _ITEM.match(item)
        if not match:
            return None
        first = int(match.group(1))
        last = int(match.group(2) or first)
        step = int(match.group(3) or 1)
        if last < first or step < 1:
            return None
        frames.update(range(first, last + 1, step))
    return len(frames)


def _folder_and_prefix(pattern):
    folder, name = os.path.split(pattern)
    return folder or ".", name.split("#", 1)[0]


def on_disk(pattern):
    """The frames of an output pattern that are on disk (hidden temporary files left out)."""
    folder, prefix = _folder_and_prefix(pattern)
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    return [
        os.path.join(folder, n)
        for n in names
        if n.startswith(prefix) and not n.startswith(".") and n[len(prefix):][:1].isdigit()
    ]


def latest(pattern):
    """The newest frame of an output pattern on disk, or ""."""
    paths = on_disk(pattern)
    try:
        return max(paths, key=os.path.getmtime) if paths else ""
    except OSError:
        return ""
