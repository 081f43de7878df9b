#pragma once
// What a person can do about an error Blender reported, by its kind.

#include <string>

#include "blender/log_events.h"

namespace spotfarm::blender {

// The error with advice appended where there is some: "Build without OpenImageDenoiser (this
// Blender has no OpenImageDenoise: turn denoising off ...)".
std::string explain(const ErrorEvent& error);

// Blender's message without its "Error: " prefix and surrounding blanks.
std::string strip_error_prefix(std::string message);

}  // namespace spotfarm::blender
