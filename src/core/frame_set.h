#pragma once
// The frames of a job: a sorted set of frame numbers, read from and written as people type them
// ("1-250", "1,5,10-20", "1-100x5", Blender's "1..10").

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace spotfarm::core {

// The most frames one set may hold; parse() refuses larger sets before allocating anything.
inline constexpr std::size_t k_max_frames = 10'000'000;

class FrameSet {
public:
    // Parses comma-separated items: "N", "A-B", "A..B", each range optionally stepped "A-BxS";
    // whitespace around items is allowed. Frames are >= 0. Fails, naming the bad item and showing
    // a valid example, on empty specs or items, reversed ranges, negative frames, a step below 1,
    // anything else that is not a frame, and on sets whose items add up to more than k_max_frames
    // frames (counted from the items, before expanding them).
    static util::Result<FrameSet> parse(std::string_view spec);
    // Sorts and removes duplicates.
    static FrameSet from_frames(std::vector<int> frames);

    // Sorted ascending, unique.
    const std::vector<int>& frames() const { return m_frames; }
    std::size_t size() const { return m_frames.size(); }
    bool empty() const { return m_frames.empty(); }
    bool contains(int frame) const;
    int first() const { return m_frames.front(); }  // precondition: !empty()
    int last() const { return m_frames.back(); }    // precondition: !empty()

    // Canonical compact form: runs of consecutive frames as "a-b", arithmetic runs of three or
    // more frames with a step above 1 as "a-bxs", other frames alone, joined by ",";
    // parse(to_string()) == *this. The empty set is "".
    std::string to_string() const;

    // Consecutive slices of at most n frames each, in frame order (n == 0 is taken as 1).
    std::vector<FrameSet> chunks(std::size_t n) const;

    bool operator==(const FrameSet&) const = default;

private:
    std::vector<int> m_frames;
};

}  // namespace spotfarm::core
