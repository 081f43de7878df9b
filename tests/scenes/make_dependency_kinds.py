# Writes a scene that needs one file of nearly every kind Blender links to, for the tests of
# dependency listing and path remap (blender::list_dependencies):
#
#   blender -b --factory-startup --python tests/scenes/make_dependency_kinds.py -- OUTDIR
#
#   OUTDIR/k.blend                  the scene
#   OUTDIR/seq/f_0001..0003.png     an image sequence "//seq/f_0001.png" (seq/other_0001.png is
#                                   not part of it)
#   OUTDIR/udim/wood.1001/1002.png  the tiles of a UDIM image "//udim/wood.<UDIM>.png"
#   OUTDIR/strip/s1.png, s2.png     a sequencer image strip in "//strip/"
#   OUTDIR/blendcache_k/*.bphys     the disk cache of the cube's cloth
#   OUTDIR/lib/inner.blend          a linked library holding the collection "Props": the object
#                                   "Inner", whose material uses "//tex/inner.png" relative to
#                                   the library (lib/tex/inner.png), and "Deeper", which
#                                   inner.blend links from "//deep/deeper.blend" (OUTDIR/lib/deep/
#                                   deeper.blend): an indirect library
#   //snd/missing.wav               a sound that does not exist
import os
import sys

import bpy


def out_dir():
    argv = sys.argv[sys.argv.index("--") + 1:] if "--" in sys.argv else []
    if len(argv) != 1:
        sys.exit("usage: blender -b --factory-startup --python make_dependency_kinds.py -- OUTDIR")
    return os.path.abspath(argv[0])


def reset(use_empty=True):
    bpy.ops.wm.read_factory_settings(use_empty=use_empty)
    bpy.context.preferences.filepaths.save_version = 0


def png(path):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    image = bpy.data.images.new("tmp", 2, 2)
    image.filepath_raw = path
    image.file_format = "PNG"
    image.save()
    bpy.data.images.remove(image)


def save(path):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    bpy.ops.wm.save_as_mainfile(filepath=path, relative_remap=False)


def link(library, kind, name):
    with bpy.data.libraries.load(library, link=True, relative=True) as (_source, target):
        setattr(target, kind, [name])
    return getattr(target, kind)[0]


def write_libraries(root):
    reset()
    mesh = bpy.data.meshes.new("Deeper")
    bpy.context.scene.collection.objects.link(bpy.data.objects.new("Deeper", mesh))
    save(os.path.join(root, "lib", "deep", "deeper.blend"))

    reset()
    inner = os.path.join(root, "lib", "inner.blend")
    save(inner)
    png(os.path.join(root, "lib", "tex", "inner.png"))
    image = bpy.data.images.load(os.path.join(root, "lib", "tex", "inner.png"))
    image.filepath = "//tex/inner.png"
    material = bpy.data.materials.new("Inner")
    material.use_nodes = True
    material.node_tree.nodes.new("ShaderNodeTexImage").image = image
    mesh = bpy.data.meshes.new("Inner")
    mesh.materials.append(material)
    props = bpy.data.collections.new("Props")
    bpy.context.scene.collection.children.link(props)
    props.objects.link(bpy.data.objects.new("Inner", mesh))
    props.objects.link(link(os.path.join(root, "lib", "deep", "deeper.blend"), "objects", "Deeper"))
    save(inner)


def write_scene(root):
    for i in (1, 2, 3):
        png(os.path.join(root, "seq", "f_%04d.png" % i))
    png(os.path.join(root, "seq", "other_0001.png"))
    for tile in (1001, 1002):
        png(os.path.join(root, "udim", "wood.%d.png" % tile))
    for i in (1, 2):
        png(os.path.join(root, "strip", "s%d.png" % i))

    reset(use_empty=False)
    path = os.path.join(root, "k.blend")
    save(path)
    sequence = bpy.data.images.load(os.path.join(root, "seq", "f_0001.png"))
    sequence.source = "SEQUENCE"
    sequence.filepath = "//seq/f_0001.png"
    sequence.use_fake_user = True
    tiled = bpy.data.images.new("wood", 4, 4, tiled=True)
    tiled.tiles.new(1002)
    tiled.source = "TILED"
    tiled.filepath = "//udim/wood.<UDIM>.png"
    tiled.use_fake_user = True
    sound = bpy.data.sounds.load("//snd/missing.wav", check_existing=False)
    sound.use_fake_user = True
    scene = bpy.context.scene
    editor = scene.sequence_editor_create()
    strip = editor.sequences.new_image("strip", os.path.join(root, "strip", "s1.png"), 1, 1)
    strip.directory = "//strip/"
    strip.elements.append("s2.png")
    cube = bpy.data.objects["Cube"]
    cube.modifiers.new("Cloth", "CLOTH").point_cache.use_disk_cache = True
    scene.collection.children.link(link(os.path.join(root, "lib", "inner.blend"), "collections",
                                        "Props"))
    save(path)
    # Blender drops a cache it did not bake when it saves, so the cache files come afterwards,
    # named as Blender names them: the object's name in hex, frame, index.
    cache = os.path.join(root, "blendcache_k")
    os.makedirs(cache, exist_ok=True)
    for frame in (1, 2):
        with open(os.path.join(cache, "43756265_%06d_00.bphys" % frame), "w") as f:
            f.write("cache")


def main():
    root = out_dir()
    write_libraries(root)
    write_scene(root)


main()
