#pragma once
// Telling a full output disk from other failures, so a render stops at once with a message that
// says what to do instead of failing every frame left with "the output is empty".

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

namespace spotfarm::blender {

// Free bytes for this user on the file system that holds `folder`; none when it cannot be asked.
using FreeSpaceQuery = std::function<std::optional<std::uintmax_t>(const std::filesystem::path&)>;

FreeSpaceQuery system_free_space();

// The bytes a frame needs at least: 1 MiB, or twice the largest frame written so far.
std::uintmax_t room_for_a_frame(std::uintmax_t largest_frame_bytes);

// When a frame has failed: the message for people if `folder` lacks room for one more frame
// (naming the folder and the free space, and that finished frames are kept), else none.
// `cause` is what the failure said, kept at the end of the message.
std::optional<std::string> disk_full_message(const std::filesystem::path& folder,
                                             std::uintmax_t largest_frame_bytes,
                                             const std::string& cause,
                                             const FreeSpaceQuery& free_space);

}  // namespace spotfarm::blender
