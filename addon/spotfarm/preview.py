# The latest finished frame as an icon for the panel, loaded by Blender's preview system (only
# when the panel is drawn, so background mode never loads an image).

import os

import bpy
import bpy.utils.previews

_collection = None


def icon(path):
    """The icon id of the image at `path` (reloaded when the file changes); 0 when unreadable."""
    global _collection
    try:
        key = "%s:%d" % (path, os.stat(path).st_mtime_ns)
    except OSError:
        return 0
    if _collection is None:
        _collection = bpy.utils.previews.new()
    if key not in _collection:
        if len(_collection) > 16:  # one frame is shown at a time: keep memory bounded
            _collection.clear()
        _collection.load(key, path, "IMAGE")
    return _collection[key].icon_id


def clear():
    global _collection
    if _collection is not None:
        bpy.utils.previews.remove(_collection)
        _collection = None
