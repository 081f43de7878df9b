# spotfarm's Blender driver, part two: the path remap of transfer mode. Settings
# "path_remap_file" name a JSON object {path as written or absolute: absolute path here}; it is
# applied once the scene is loaded, before anything is reported or rendered. A datablock whose
# path is a key gets the value; one whose path names a pattern or a folder (an image sequence,
# UDIM tiles, a cache folder, a strip's folder) follows the key of any file it holds. The .blend
# is never saved. Uses the helpers of driver_dependencies.py, which comes first in the script.

import json
import os
import re

import bpy


class PathRemap:
    def __init__(self, table):
        self.table = table
        self.warnings = []

    def lookup(self, written, library):
        """The new path of a file written as `written`, or None."""
        if not written:
            return None
        for key in (written, absolute_path(written, library)):
            if key in self.table:
                return self.table[key]
        return None

    def folder_lookup(self, written_folder, library, accept=None):
        """The new folder of `written_folder`, from the remapped path of any key under it (by
        its path as written or absolute) whose path inside it `accept`s, or None. The keys are
        searched, not the disk: the folder need not exist here."""
        if not written_folder:
            return None
        prefixes = {absolute_path(written_folder, library).rstrip(os.sep) + os.sep}
        if written_folder.rstrip("/\\"):  # "//" is the blend's folder: only its absolute form
            prefixes.add(written_folder.rstrip("/\\") + "/")
        for key, target in self.table.items():
            for prefix in prefixes:
                if not key.startswith(prefix):
                    continue
                inside = key[len(prefix):]
                if accept is not None and not accept(inside):
                    continue
                if target.replace(os.sep, "/").endswith("/" + inside.replace(os.sep, "/")):
                    return target[:len(target) - len(inside) - 1]
        return None

    def new_path(self, written, library, accept=None):
        """The remapped path of a file, or of a pattern whose folder follows any key under it
        that `accept`s (none: only the file's own key counts)."""
        direct = self.lookup(written, library)
        if direct is not None or accept is None:
            return direct
        folder = os.path.dirname(written.replace("\\", "/"))
        target = self.folder_lookup(folder, library, accept)
        return None if target is None else target + "/" + os.path.basename(written)

    def assign(self, block, attribute, value):
        if value is None:
            return False
        if getattr(block, "library", None) is not None:
            self.warnings.append("cannot remap %s of %s: it is linked from %s"
                                 % (attribute, user_label(block), block.library.filepath))
            return False
        setattr(block, attribute, value)
        return True


def remap_libraries(remap):
    for library in list(bpy.data.libraries):
        target = remap.lookup(library.filepath, None)
        if target is None:
            continue
        library.filepath = target
        try:
            library.reload()
        except Exception as e:  # noqa: BLE001 - Blender raises several kinds; all mean the same
            remap.warnings.append("could not reload library %s from %s: %s"
                                  % (library.name, target, e))


def sequence_member(full):
    """Whether a name belongs to the numbered sequence of `full` (the files need not exist)."""
    match = SEQUENCE_NAME.match(os.path.basename(full))
    if not match:
        return lambda name: False
    pattern = re.compile(re.escape(match.group(1)) + r"\d+" + re.escape(match.group(3)) + "$")
    return lambda name: pattern.match(name) is not None


def remap_images(remap):
    for image in bpy.data.images:
        if is_packed(image) or not image.filepath:
            continue
        full = absolute_path(image.filepath, image.library)
        accept = None
        if image.source == "SEQUENCE":
            accept = sequence_member(full)
        elif image.source == "TILED":
            tiles = set(udim_tile_names(image, full))
            accept = tiles.__contains__
        target = remap.new_path(image.filepath, image.library, accept)
        if remap.assign(image, "filepath", target):
            image.reload()


def remap_datablocks(remap):
    collections = [bpy.data.movieclips, bpy.data.sounds, bpy.data.fonts, bpy.data.cache_files,
                   getattr(bpy.data, "volumes", ())]
    for collection in collections:
        for block in collection:
            if is_packed(block) or not block.filepath:
                continue
            accept = None
            if getattr(block, "is_sequence", False) or getattr(block, "source", "") == "SEQUENCE":
                accept = sequence_member(absolute_path(block.filepath, block.library))
            target = remap.new_path(block.filepath, block.library, accept)
            remap.assign(block, "filepath", target)


def remap_folder(remap, block, owner, attribute):
    """A cache folder follows its own key or the key of any file under it."""
    written = getattr(owner, attribute)
    if not written:
        return
    target = remap.lookup(written, block.library)
    if target is None:
        target = remap.folder_lookup(written, block.library)
    if target is None:
        return
    if block.library is None:
        setattr(owner, attribute, target)
    else:
        remap.assign(block, attribute, target)


def remap_object_caches(remap):
    for obj in bpy.data.objects:
        for cache in point_caches(obj):
            if cache.use_external:
                remap_folder(remap, obj, cache, "filepath")
        for modifier in obj.modifiers:
            if modifier.type == "FLUID" and modifier.fluid_type == "DOMAIN":
                remap_folder(remap, obj, modifier.domain_settings, "cache_directory")
            elif modifier.type == "OCEAN":
                remap_folder(remap, obj, modifier, "filepath")
            elif modifier.type == "MESH_CACHE" and obj.library is None:
                target = remap.lookup(modifier.filepath, None)
                if target is not None:
                    modifier.filepath = target
            elif modifier.type == "NODES":
                if getattr(modifier, "simulation_bake_directory", ""):
                    remap_folder(remap, obj, modifier, "simulation_bake_directory")
                for bake in getattr(modifier, "bakes", ()):
                    if bake.use_custom_path:
                        remap_folder(remap, obj, bake, "directory")


def remap_strips(remap):
    for scene in bpy.data.scenes:
        if scene.library is not None:
            continue
        for strip in sequencer_strips(scene):
            if strip.type == "IMAGE":
                names = {e.filename for e in strip.elements}
                target = remap.folder_lookup(strip.directory, scene.library, names.__contains__)
                if target is not None:
                    strip.directory = target + "/"
            elif strip.type == "MOVIE":
                target = remap.lookup(strip.filepath, None)
                if target is not None:
                    strip.filepath = target


def read_remap(path):
    """The remap table of the settings' "path_remap_file"; every value must be absolute."""
    with open(path, encoding="utf-8") as f:
        table = json.load(f)
    if not isinstance(table, dict):
        raise ValueError("the path remap is not a JSON object")
    for key, value in table.items():
        if not isinstance(value, str) or not os.path.isabs(value):
            raise ValueError("the path remap maps %s to %r, which is not an absolute path"
                             % (key, value))
    return table


def apply_path_remap(table):
    """Rewrites the loaded scene's paths by `table`; returns warnings for people."""
    remap = PathRemap(table)
    remap_libraries(remap)  # first: reloading a library replaces the datablocks it holds
    remap_images(remap)
    remap_datablocks(remap)
    remap_object_caches(remap)
    remap_strips(remap)
    return remap.warnings
