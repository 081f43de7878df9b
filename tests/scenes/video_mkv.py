# A tiny Cycles scene saved with a video output, as many public scenes are: Matroska, H.264 at
# high quality, 25 fps, 6 frames of 32x18 with the cube turning. The farm renders its frames as
# PNG and the manager encodes the video. Run by the build; the last argument is the .blend.
import os
import sys

import bpy

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "common"))
from tiny_scene import save, tiny_scene  # noqa: E402

scene = tiny_scene("CYCLES", frame_end=6, samples=1)
scene.name = "Video"
scene.render.fps = 25
scene.render.fps_base = 1.0
scene.render.image_settings.file_format = "FFMPEG"
scene.render.ffmpeg.format = "MKV"
scene.render.ffmpeg.codec = "H264"
scene.render.ffmpeg.constant_rate_factor = "HIGH"
scene.render.ffmpeg.ffmpeg_preset = "REALTIME"
scene.render.ffmpeg.audio_codec = "NONE"
cube = bpy.data.objects["Cube"]
cube.rotation_euler[2] = 0.0
cube.keyframe_insert("rotation_euler", index=2, frame=1)
cube.rotation_euler[2] = 1.5
cube.keyframe_insert("rotation_euler", index=2, frame=6)
save()
