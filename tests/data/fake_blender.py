#!/usr/bin/env python3
# A stand-in for Blender in the session's unit tests: it takes Blender's command line, speaks the
# driver protocol on the same fds as driver.py, prints Blender-like log lines and writes real PNG
# files, and misbehaves on demand. The ".blend" it is given is a JSON file that says how:
#   {"open_error": "text"}            print "Error: text" and exit 1, as for a corrupt .blend
#   {"ready_error": "text"}           answer the ready line with ok: false
#   {"missing_files": [...]}          report these in the ready line
#   {"resolution": [w, h]}            the size it reports and writes (default 8x4)
#   {"memory_mb_per_frame": N}        peak memory grows by N per frame rendered
#   {"starts_file": "/path"}          appends a line per start (to count restarts)
#   {"load_seconds": N}               takes N seconds to load the scene before answering ready
#   {"frames": {"3": ACTION}}         per frame: ok (default), hang, crash, garbage, no_file,
#                                     error (log "Error: ..." and reply ok: false),
#                                     gpu_error (log a CUDA error but reply ok), wrong_size,
#                                     slow (keeps printing progress for 3 s), quiet_exit,
#                                     mojibake (as slow, after a line with an emoji and a
#                                     stray Latin-1 byte, as a scene's print may give)
#   {"env_file": "/path"}             writes its environment there as JSON at start
# With the settings {"probe": true} it prints a probe report, as driver.py does, and exits.
import json
import os
import signal
import struct
import sys
import time
import zlib


def png(width, height):
    rows = b"".join(b"\x00" + bytes([200, 100, 50]) * width for _ in range(height))

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
            + chunk(b"IEND", b""))


def log(text):
    print(text, flush=True)


def main():
    argv = sys.argv
    settings = json.loads(argv[argv.index("--") + 1])
    if settings.get("probe"):
        print("SPOTFARM_PROBE " + json.dumps({"blender_version": "9.9.9", "python_version": "3",
                                              "engines": ["CYCLES"], "gpu_backends": []}),
              flush=True)
        return
    scene_file = argv[argv.index("-Y" if "-Y" in argv else "-y") + 1]
    log("Blender 9.9.9 (fake)")
    try:
        with open(scene_file) as f:
            spec = json.load(f)
    except (OSError, ValueError) as e:
        log("Error: Cannot read file '%s': %s" % (scene_file, e))
        sys.exit(1)
    log("Read blend: %s" % scene_file)
    if "env_file" in spec:
        with open(spec["env_file"], "w") as f:
            json.dump(dict(os.environ), f)
    if "starts_file" in spec:
        with open(spec["starts_file"], "a") as f:
            f.write("%d\n" % os.getpid())
    if "open_error" in spec:
        log("Error: " + spec["open_error"])
        sys.exit(1)
    time.sleep(spec.get("load_seconds", 0))
    requests = os.fdopen(settings["request_fd"], "r")
    replies = os.fdopen(settings["reply_fd"], "w")

    def reply(message):
        replies.write(json.dumps(message) + "\n")
        replies.flush()

    if "ready_error" in spec:
        reply({"ready": True, "ok": False, "error": spec["ready_error"]})
        return
    width, height = spec.get("resolution", [8, 4])
    reply({"ready": True, "ok": True, "blender_version": "9.9.9", "scene": "Scene",
           "engine": "CYCLES", "format": settings.get("format", "PNG"),
           "resolution": [width, height], "frame_start": 1, "frame_end": 10,
           "device_used": "CPU", "missing_files": spec.get("missing_files", []),
           "warnings": [], "peak_memory_mb": 100.0})
    peak = 100.0
    for line in requests:
        request = json.loads(line)
        if request["cmd"] == "quit":
            reply({"ok": True, "bye": True})
            return
        frame, output = request["frame"], request["output"]
        action = spec.get("frames", {}).get(str(frame), "ok")
        peak += spec.get("memory_mb_per_frame", 0)
        log("Fra:%d Mem:9.40M (Peak 9.40M) | Time:00:00.00 | Mem:0.00M, Peak:0.00M "
            "| Scene, ViewLayer | Sample 0/2" % frame)
        if action == "hang":
            time.sleep(3600)
        if action == "crash":
            os.kill(os.getpid(), signal.SIGSEGV)
        if action == "quiet_exit":
            sys.exit(0)
        if action == "mojibake":
            sys.stdout.buffer.write("Fra:%d caf\xe9 \U0001F600 ".encode("utf-8") % frame
                                    + b"caf\xe9 latin-1\n")
            sys.stdout.buffer.flush()
        if action in ("slow", "mojibake"):
            for i in range(30):
                time.sleep(0.1)
                log("Fra:%d Mem:9.40M (Peak 9.40M) | Time:00:00.%02d | Scene, ViewLayer "
                    "| Sample 1/2" % (frame, i))
        if action == "error":
            log("Error: Build without OpenImageDenoiser")
            reply({"ok": False, "frame": frame, "error": "Error: Build without OpenImageDenoiser"})
            continue
        if action == "gpu_error":
            log("CUDA error: Out of memory in cuMemAlloc(&device_pointer, size)")
        data = png(width, height)
        if action == "garbage":
            data = b"this is not a PNG file"
        if action == "wrong_size":
            data = png(width * 2, height)
        if action != "no_file":
            with open(output, "wb") as f:
                f.write(data)
            log("Saved: '%s'" % output)
        log(" Time: 00:00.25 (Saving: 00:00.01)")
        reply({"ok": True, "frame": frame, "output": output, "render_seconds": 0.25,
               "peak_memory_mb": peak, "warnings": []})


main()
