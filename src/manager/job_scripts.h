#pragma once
// Whether a job's settings let its scene run Python. The scheduler keeps this as a flag of the job
// (workers started with --refuse-scripts are never given such a job); the settings text it comes
// from is what is stored, so the flag is read back from it on submit and on every restart.

#include <string_view>

namespace spotfarm::manager {

// True only when the settings are a JSON object whose "allow_scripts" is the boolean true, the
// one value a worker's Blender acts on.
bool settings_allow_scripts(std::string_view settings_json);

}  // namespace spotfarm::manager
