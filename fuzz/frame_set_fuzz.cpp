// Frame-set syntax ("1-250", "1,5,10-20", "1-100x5", "1..10"), as typed by people and sent in
// POST /jobs: parsing never crashes or allocates without bound, and what it accepts writes back
// to a text that parses to the same frames.

#include "core/frame_set.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using spotfarm::core::FrameSet;
    auto set = FrameSet::parse(spotfarm::fuzz::as_text(data, size));
    if (!set) {
        spotfarm::fuzz::require(!set.error().message.empty(), "a refusal says why");
        return 0;
    }
    auto again = FrameSet::parse(set->to_string());
    spotfarm::fuzz::require(again.ok(), "to_string() parses");
    spotfarm::fuzz::require(*again == *set, "parse(to_string()) == the set");
    std::size_t sliced = 0;
    for (const auto& chunk : set->chunks(4096)) sliced += chunk.size();
    spotfarm::fuzz::require(sliced == set->size(), "chunks hold every frame once");
    return 0;
}
