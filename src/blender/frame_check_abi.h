#pragma once
// The one C entry point of the frame-check module (spotfarm_frame_check.so), the only code that
// links OpenImageIO. Plain C types, so the module and the program that loads it share no C++ ABI;
// the version in the symbol's name makes a stale module fail to load instead of misreading.

#include <stddef.h>

extern "C" {

enum SpotfarmFrameCheckOutcome {
    spotfarm_frame_ok = 0,          // every pixel of every subimage decoded
    spotfarm_frame_unreadable = 1,  // not an image any decoder opens
    spotfarm_frame_wrong_size = 2,  // the first subimage is not the expected size
    spotfarm_frame_damaged = 3,     // it opens but some pixels do not decode
};

// What the module found. `width` and `height` are those of the first subimage once it opened;
// `message` is the decoder's text for the failures, NUL-terminated.
struct SpotfarmFrameCheckReport {
    int width;
    int height;
    char message[512];
};

// Decodes `path` completely; an expected width of 0 accepts any size. Thread-safe.
int spotfarm_frame_check_v1(const char* path, int expected_width, int expected_height,
                            SpotfarmFrameCheckReport* report);

// The symbol the loader looks up.
#define SPOTFARM_FRAME_CHECK_SYMBOL "spotfarm_frame_check_v1"

using SpotfarmFrameCheckFn = int (*)(const char*, int, int, SpotfarmFrameCheckReport*);
}
