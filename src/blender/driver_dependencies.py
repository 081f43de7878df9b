# spotfarm's Blender driver, part one: every external file the loaded scene needs, as Blender
# resolves it. driver_script.cpp writes this, then driver_remap.py, then driver.py into the one
# script Blender runs, so the later parts call these functions directly.
#
#   {"cmd": "dependencies"} -> {"ok": true, "dependencies": [{"kind", "written", "path", "size",
#                               "missing", "user"}]} or {"ok": false, "error": "..."}
#
# "written" is the path as the scene (or its library) wrote it; for a file found by expanding a
# pattern (image sequence frames, UDIM tiles, cache folders) it is that file's path in the same
# form ("//seq/f_0002.png" from "//seq/f_0001.png"), so each file has a key of its own for the
# remap. "path" is absolute and normalised; "size" is -1 when the file is missing.

import os
import re

import bpy

UDIM_TOKENS = ("<UDIM>", "<UVTILE>")
# The frame number of a sequence file is its name's last run of digits, as Blender reads it.
SEQUENCE_NAME = re.compile(r"^(.*\D|)(\d+)(\D*)$")
# A point cache file: NAME_FRAME_INDEX.EXT (ptcache_filepath in Blender).
POINT_CACHE_TAIL = re.compile(r"_\d+_\d+\.\w+$")
USER_PREFIX = {"Image": "IM", "MovieClip": "MC", "Library": "LI", "Sound": "SO",
               "VectorFont": "VF", "Volume": "VO", "CacheFile": "CF", "Object": "OB",
               "Scene": "SC", "Text": "TX"}


def absolute_path(path, library):
    """`path` as Blender resolves it: '//' is the folder of the file that holds the datablock.
    A library's own path is the exception: Blender keeps every library's path, indirect ones
    too, relative to the main file (BKE_library_filepath_set), so it passes library=None."""
    return os.path.normpath(bpy.path.abspath(path, library=library))


def user_label(block):
    prefix = USER_PREFIX.get(type(block).__name__, type(block).__name__)
    return "%s:%s" % (prefix, getattr(block, "name_full", block.name))


def is_packed(block):
    if getattr(block, "packed_file", None) is not None:
        return True
    return len(getattr(block, "packed_files", ())) > 0


def sibling(written, name):
    """The path of file `name` beside `written`, in the form `written` has ('//' kept)."""
    head = written.replace("\\", "/").rsplit("/", 1)
    return name if len(head) == 1 else head[0] + "/" + name


def sequence_files(full):
    """Names of the files in `full`'s folder that belong to its numbered sequence."""
    folder, name = os.path.split(full)
    match = SEQUENCE_NAME.match(name)
    if not match or not os.path.isdir(folder):
        return []
    pattern = re.compile(re.escape(match.group(1)) + r"\d+" + re.escape(match.group(3)) + "$")
    return sorted(n for n in os.listdir(folder) if pattern.match(n))


def folder_files(folder):
    """Every file under `folder`, as paths relative to it, '/'-separated."""
    found = []
    for root, _dirs, files in os.walk(folder):
        for name in files:
            found.append(os.path.relpath(os.path.join(root, name), folder).replace(os.sep, "/"))
    return sorted(found)


def udim_tile_names(image, full):
    """The file name of each tile of a TILED image, from its <UDIM> or <UVTILE> template."""
    name = os.path.basename(full)
    if not any(t in name for t in UDIM_TOKENS):
        return sequence_files(full)  # a file saved before templates: wood.1001.png
    names = []
    for tile in image.tiles:
        u = (tile.number - 1001) % 10 + 1
        v = (tile.number - 1001) // 10 + 1
        names.append(name.replace("<UDIM>", str(tile.number))
                     .replace("<UVTILE>", "u%d_v%d" % (u, v)))
    return names


def bake_folders(modifier):
    """(folder as written, owner) of each geometry-nodes bake or simulation cache on disk."""
    folders = []
    if getattr(modifier, "simulation_bake_directory", ""):  # Blender 3.6 and 4.0
        folders.append(modifier.simulation_bake_directory)
    base = getattr(modifier, "bake_directory", "")
    for bake in getattr(modifier, "bakes", ()):  # Blender 4.1 and later
        target = getattr(bake, "bake_target", "INHERIT")
        if target == "INHERIT":
            target = getattr(modifier, "bake_target", "DISK")
        if target == "PACKED":
            continue
        if bake.use_custom_path and bake.directory:
            folders.append(bake.directory)
        elif base:
            folders.append(base.rstrip("/\\") + "/" + str(bake.bake_id))
    return folders


def point_caches(obj):
    """Every point cache of an object: its modifiers', its particle systems', dynamic paint's."""
    caches = []
    for modifier in obj.modifiers:
        if getattr(modifier, "point_cache", None) is not None:
            caches.append(modifier.point_cache)
        canvas = getattr(modifier, "canvas_settings", None)
        if canvas is not None:
            caches.extend(s.point_cache for s in canvas.canvas_surfaces)
    for system in obj.particle_systems:
        caches.append(system.point_cache)
    stacks = []
    for cache in caches:
        if len(cache.point_caches):
            stacks.extend(cache.point_caches)
        else:
            stacks.append(cache)
    return stacks


def hex_name(name):
    """How Blender names the point cache files of a cache without a name: the ID's name in hex."""
    return "".join("%02X" % b for b in name.encode("utf-8"))


class DependencyList:
    def __init__(self):
        self.items = []
        self.seen = set()  # absolute paths already listed
        self.folders = set()  # folders whose files are listed (for the blend_paths cross-check)

    def add(self, kind, written, library, user):
        full = absolute_path(written, library)
        if full in self.seen:
            return
        self.seen.add(full)
        size = os.path.getsize(full) if os.path.isfile(full) else -1
        self.items.append({"kind": kind, "written": written, "path": full, "size": size,
                           "missing": size < 0, "user": user})

    def add_file(self, kind, block, written, library=None):
        if written and not written.startswith("<"):  # "<builtin>" fonts and the like
            self.add(kind, written, library, user_label(block))

    def add_sequence(self, kind, block, written, library=None):
        full = absolute_path(written, library)
        self.folders.add(full)
        names = sequence_files(full)
        if not names:
            self.add(kind, written, library, user_label(block))
        for name in names:
            self.add(kind, sibling(written, name), library, user_label(block))

    def add_folder(self, kind, block, written, library, required):
        """The files under a cache folder; the folder itself is missing only when `required`."""
        full = absolute_path(written, library)
        self.folders.add(full)
        files = folder_files(full) if os.path.isdir(full) else []
        if not files and required:
            self.add(kind, written, library, user_label(block))
        for rel in files:
            self.add(kind, written.rstrip("/\\") + "/" + rel, library, user_label(block))


def list_images(deps):
    for image in bpy.data.images:
        if is_packed(image) or not image.filepath:
            continue
        library = image.library
        if image.source == "FILE":
            deps.add_file("image", image, image.filepath, library)
        elif image.source == "MOVIE":
            deps.add_file("movie", image, image.filepath, library)
        elif image.source == "SEQUENCE":
            deps.add_sequence("image", image, image.filepath, library)
        elif image.source == "TILED":
            full = absolute_path(image.filepath, library)
            deps.folders.add(full)
            for name in udim_tile_names(image, full):
                deps.add_file("image", image, sibling(image.filepath, name), library)


def list_datablock_files(deps):
    for library in bpy.data.libraries:
        if not is_packed(library):
            deps.add_file("library", library, library.filepath, None)
    for clip in bpy.data.movieclips:
        if clip.source == "SEQUENCE":
            deps.add_sequence("movie", clip, clip.filepath, clip.library)
        else:
            deps.add_file("movie", clip, clip.filepath, clip.library)
    for kind, collection in (("sound", bpy.data.sounds), ("font", bpy.data.fonts)):
        for block in collection:
            if not is_packed(block):
                deps.add_file(kind, block, block.filepath, block.library)
    for volume in getattr(bpy.data, "volumes", ()):
        if is_packed(volume):
            continue
        if volume.is_sequence:
            deps.add_sequence("volume", volume, volume.filepath, volume.library)
        else:
            deps.add_file("volume", volume, volume.filepath, volume.library)
    for cache in bpy.data.cache_files:
        if getattr(cache, "is_sequence", False):
            deps.add_sequence("cache", cache, cache.filepath, cache.library)
        else:
            deps.add_file("cache", cache, cache.filepath, cache.library)
    for text in bpy.data.texts:
        if text.filepath and not text.is_in_memory:
            deps.add_file("text", text, text.filepath, text.library)


def list_point_cache(deps, obj, cache):
    if cache.use_external:
        folder, prefix = cache.filepath, cache.name
    elif cache.use_disk_cache:
        holder = obj.library.filepath if obj.library else bpy.data.filepath
        blend = os.path.splitext(os.path.basename(bpy.path.abspath(holder)))[0]
        folder, prefix = "//blendcache_" + blend, cache.name or hex_name(obj.name)
    else:
        return
    full = absolute_path(folder, obj.library)
    deps.folders.add(full)
    names = []
    if os.path.isdir(full):
        names = sorted(n for n in os.listdir(full)
                       if n.startswith(prefix + "_") and POINT_CACHE_TAIL.search(n[len(prefix):]))
    if not names and cache.is_baked:
        deps.add("point_cache", folder, obj.library, user_label(obj))
    for name in names:
        deps.add("point_cache", folder.rstrip("/\\") + "/" + name, obj.library, user_label(obj))


def list_object_caches(deps):
    for obj in bpy.data.objects:
        for cache in point_caches(obj):
            list_point_cache(deps, obj, cache)
        for modifier in obj.modifiers:
            if modifier.type == "FLUID" and modifier.fluid_type == "DOMAIN":
                domain = modifier.domain_settings
                deps.add_folder("simulation", obj, domain.cache_directory, obj.library,
                                getattr(domain, "has_cache_baked_any", False))
            elif modifier.type == "OCEAN" and modifier.is_cached:
                deps.add_folder("simulation", obj, modifier.filepath, obj.library, True)
            elif modifier.type == "MESH_CACHE":
                deps.add_file("cache", obj, modifier.filepath, obj.library)
            elif modifier.type == "NODES":
                for folder in bake_folders(modifier):
                    deps.add_folder("simulation", obj, folder, obj.library, False)


def sequencer_strips(scene):
    editor = scene.sequence_editor
    if editor is None:
        return []
    strips = getattr(editor, "strips_all", None)  # Blender 4.4 and later
    return strips if strips is not None else editor.sequences_all


def list_strips(deps):
    for scene in bpy.data.scenes:
        for strip in sequencer_strips(scene):
            if strip.type == "IMAGE":
                deps.folders.add(absolute_path(strip.directory, scene.library))
                for element in strip.elements:
                    written = strip.directory.rstrip("/\\") + "/" + element.filename
                    deps.add_file("sequence_strip", scene, written, scene.library)
            elif strip.type == "MOVIE":
                deps.add_file("sequence_strip", scene, strip.filepath, scene.library)


def cross_check(deps):
    """Adds what bpy.utils.blend_paths knows and nothing above listed, so no kind of file
    Blender links to is forgotten (a new one in a later Blender shows up as "other")."""
    ignored = {absolute_path(b.icon_filepath, b.library) for b in bpy.data.brushes
               if getattr(b, "use_custom_icon", False) and b.icon_filepath}
    for full in bpy.utils.blend_paths(absolute=True, packed=True):
        if not full or full.startswith("<"):  # e.g. a strip or cache with no path set
            continue
        full = os.path.normpath(full)
        if any(t in full for t in UDIM_TOKENS) or full in deps.folders or full in ignored:
            continue
        if full in deps.seen or os.path.normpath(os.path.dirname(full)) in deps.folders:
            continue
        if os.path.isdir(full):
            deps.folders.add(full)
            for rel in folder_files(full):
                deps.add("other", full + "/" + rel, None, "")
        else:
            deps.add("other", full, None, "")


def list_dependencies():
    deps = DependencyList()
    list_images(deps)
    list_datablock_files(deps)
    list_object_caches(deps)
    list_strips(deps)
    cross_check(deps)
    return deps.items
